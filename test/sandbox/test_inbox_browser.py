"""The inbox page (``GET /__sandbox/``) in headless Chromium, driven by Playwright.

The browser is the system's Chromium (Debian's ``chromium`` package, which ``.ci/run`` installs),
launched through ``executable_path``: nothing is downloaded at run time. Without one (or without
the ``playwright`` package) these tests are skipped saying what to install; under CI they fail
instead, so CI never passes without them.

Waits are Playwright's (``expect(...)`` polls until its timeout), never sleeps.
``SMSCX_WRITE_SCREENSHOT=1`` makes ``test_screenshot_of_the_inbox`` write
docs/images/sandbox-inbox.png (``scripts/screenshot-inbox``); otherwise it writes to a temporary
folder only, so the committed image changes only when asked.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path
from typing import Any, Iterator, List, NoReturn, Optional

import inbox_scene
import pytest
from inbox_scene import send
from support import FR_MOBILE, FR_MOBILE_2, Receiver

from smscx_client.api.conversations_api import ConversationsApi
from smscx_client.exceptions import ApiException
from smscx_client.sandbox import MAGIC_NUMBERS, Sandbox

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "images" / "sandbox-inbox.png"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
APPEARS = 1000  # ms: a send shows in its thread within a second (the page polls every 300 ms)
WAIT = 5000  # ms: anything else the page is waited for


def _missing(what: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail("CI runs the inbox browser tests, but {} is missing (.ci/run installs it)".format(what))
    pytest.skip("the inbox browser tests need {}".format(what))


def _chromium() -> Optional[str]:
    given = os.environ.get("SMSCX_CHROMIUM")
    if given:
        return given
    return next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium under Playwright, for this module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the Python package `playwright` (pip install -r test-requirements.txt)")
    path = _chromium()
    if path is None:
        _missing("a Chromium: install Debian's `chromium` package (apt-get install chromium), or set SMSCX_CHROMIUM")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def inbox_sandbox() -> Iterator[Sandbox]:
    """A socket sandbox of this module's own (a browser needs a real address, also when the
    rest of the folder runs in process)."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def sb(inbox_sandbox: Sandbox) -> Sandbox:
    """The module's sandbox, reset for this test."""
    inbox_sandbox.reset()
    return inbox_sandbox


class Inbox:
    """The page, open in a fresh browser context, and what went wrong in it."""

    def __init__(self, browser: Any, sb: Sandbox, **context: Any) -> None:
        context.setdefault("viewport", {"width": 1280, "height": 800})
        context.setdefault("locale", "en-US")
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: List[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(sb.url + "/__sandbox/")
        self.expect(self.page.locator("#live")).to_have_text("live", timeout=WAIT)

    @staticmethod
    def expect(locator: Any) -> Any:
        """Playwright's ``expect``."""
        from playwright.sync_api import expect

        return expect(locator)

    def bubble(self, msg_id: str) -> Any:
        """The bubble of a message, by its msgId."""
        return self.page.locator('.bubble[data-msg-id="{}"]'.format(msg_id))

    def close(self) -> None:
        """Close the context; fail on any script error or blocked load it logged."""
        self.context.close()
        assert self.errors == []


@pytest.fixture
def inbox(browser: Any, sb: Sandbox) -> Iterator[Inbox]:
    """The inbox page of ``sb``, open at 1280x800."""
    page = Inbox(browser, sb)
    yield page
    page.close()


def _refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:{}/hook".format(s.getsockname()[1])



def test_a_send_shows_in_its_thread_within_a_second(sb: Sandbox, inbox: Inbox) -> None:
    inbox.expect(inbox.page.locator("#no-recipients")).to_be_visible()
    inbox.expect(inbox.page.locator("#reply-form")).to_be_hidden()  # no thread to reply in
    inbox.expect(inbox.page.locator("#faults-fact")).to_be_hidden()
    msg_id = send(sb, FR_MOBILE, "Your parcel is on its way")
    bubble = inbox.bubble(msg_id)
    inbox.expect(bubble.locator(".text")).to_have_text("Your parcel is on its way", timeout=APPEARS)
    inbox.expect(bubble.locator(".sender")).to_have_text("MyBrand")
    inbox.expect(bubble.locator(".channel")).to_have_text("SMS")
    inbox.expect(bubble.locator(".parts")).to_have_text("1 part · GSM-7")
    inbox.expect(bubble.locator(".cost")).to_have_text("€0.045")
    inbox.expect(bubble.locator(".status")).to_have_text(re.compile("^(ACCEPTED|SENT)$"))
    inbox.expect(inbox.page.locator("#thread-title")).to_have_text("Thread with " + FR_MOBILE)
    inbox.expect(inbox.page.locator("#no-recipients")).to_be_hidden()


def test_the_clock_button_delivers_it_in_place(sb: Sandbox, inbox: Inbox) -> None:
    # the slow number delivers after 55 s of sandbox time: only the +1 min button gets it there
    msg_id = send(sb, MAGIC_NUMBERS["slow_delivery"], "Slow one")
    status = inbox.bubble(msg_id).locator(".status")
    inbox.expect(status).to_have_text(re.compile("^(ACCEPTED|SENT)$"), timeout=APPEARS)
    inbox.bubble(msg_id).evaluate("node => { node.dataset.marked = 'yes'; }")
    inbox.page.click("#advance-60")
    inbox.expect(status).to_have_text("DELIVERED", timeout=WAIT)
    assert sb.messages[0]["status"] == "DELIVERED"
    # the same element, changed in place (no flicker): the mark made on it is still there
    inbox.expect(inbox.bubble(msg_id)).to_have_attribute("data-marked", "yes")
    inbox.expect(inbox.page.locator("#notice")).to_contain_text("Clock advanced")


def test_a_reply_from_the_page_reaches_the_webhook_and_the_conversation(sb: Sandbox, inbox: Inbox, receiver: Receiver) -> None:
    sb.control("POST", "application", {"settings": {"sms": {"receiveCallback": receiver.url}}})
    send(sb, FR_MOBILE, "Can you come on Tuesday?")
    inbox.expect(inbox.page.locator("#reply-label")).to_have_text("Reply as " + FR_MOBILE, timeout=WAIT)
    inbox.page.fill("#reply-text", "Yes, Tuesday works")
    inbox.page.click("#reply-send")
    inbox.expect(inbox.page.locator(".bubble.in .text")).to_have_text("Yes, Tuesday works", timeout=WAIT)
    inbox.expect(inbox.page.locator("#reply-text")).to_have_value("")
    (callback,) = [c for c in receiver.wait(1) if c.body["event"] == "receive_sms"]
    (received,) = callback.body["data"]
    assert (received["from"], received["to"], received["text"]) == (FR_MOBILE, "MyBrand", "Yes, Tuesday works")
    conversations = ConversationsApi(sb.api_client())
    (conv,) = conversations.get_converstions_list().data
    assert (conv.phone_number, conv.last_reply) == (FR_MOBILE, "Yes, Tuesday works")
    details = conversations.get_conversation(conv.conversation_id)
    assert [(m.type, m.text) for m in details.data][-1] == ("received", "Yes, Tuesday works")
    # the webhook log shows the callback delivered, with its body
    hook = inbox.page.locator(".hook", has_text="receive_sms")
    inbox.expect(hook.locator(".outcome")).to_have_text("delivered", timeout=WAIT)
    inbox.expect(hook.locator(".url")).to_have_text(receiver.url)
    inbox.expect(hook.locator(".hook-facts")).to_have_text("1 attempt · HTTP 200")
    hook.locator("summary").click()
    inbox.expect(hook.locator(".body")).to_contain_text('"text": "Yes, Tuesday works"')


XSS = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    '"><svg onload="window.__pwned = \'svg\'"> &amp; &lt;b&gt;',
]


def test_message_texts_show_as_text_and_never_run(sb: Sandbox, inbox: Inbox) -> None:
    ids = [send(sb, FR_MOBILE, text) for text in XSS]
    for msg_id, text in zip(ids, XSS):
        inbox.expect(inbox.bubble(msg_id).locator(".text")).to_have_text(text, timeout=WAIT)
    inbox.page.fill("#reply-text", XSS[1])  # a reply is untrusted too
    inbox.page.click("#reply-send")
    inbox.expect(inbox.page.locator(".bubble.in .text")).to_have_text(XSS[1], timeout=WAIT)
    assert inbox.page.locator("#threads script, #threads img, #threads svg").count() == 0
    assert inbox.page.evaluate("window.__pwned") is None


def _tab_order(inbox: Inbox, presses: int) -> List[str]:
    reached = []
    for _ in range(presses):
        inbox.page.keyboard.press("Tab")
        reached.append(
            inbox.page.evaluate("(() => { const e = document.activeElement; return e.id || e.dataset.number || e.tagName; })()")
        )
    return reached


def test_every_control_is_reachable_and_usable_by_keyboard(sb: Sandbox, inbox: Inbox) -> None:
    send(sb, FR_MOBILE, "One")
    send(sb, FR_MOBILE_2, "Two")
    inbox.expect(inbox.page.locator(".recipient-button")).to_have_count(2, timeout=WAIT)
    reached = _tab_order(inbox, 25)
    for control in (
        *("advance-{}".format(s) for s in (5, 60, 3600, 86400)),
        "fail-kind", "fail-path", "fail-next", "balance-input", "balance-set", "reset",
        FR_MOBILE, FR_MOBILE_2, "reply-channel", "reply-text", "reply-send",
    ):  # fmt: skip
        assert control in reached, (control, reached)
    # the older recipient, chosen with the keyboard alone, opens its thread
    inbox.page.focus('.recipient-button[data-number="{}"]'.format(FR_MOBILE))
    inbox.page.keyboard.press("Enter")
    inbox.expect(inbox.page.locator("#thread-title")).to_have_text("Thread with " + FR_MOBILE)
    inbox.expect(inbox.page.locator('.recipient-button[data-number="{}"]'.format(FR_MOBILE))).to_have_attribute(
        "aria-current", "true"
    )
    # and the clock moves with Space on a focused button
    before = sb.now()
    inbox.page.focus("#advance-3600")
    inbox.page.keyboard.press("Space")
    inbox.expect(inbox.page.locator("#notice")).to_contain_text("Clock advanced", timeout=WAIT)
    assert sb.now() - before >= 3600


def test_failure_balance_and_reset_controls(sb: Sandbox, inbox: Inbox) -> None:
    page = inbox.page
    page.select_option("#fail-kind", "503")
    page.fill("#fail-path", "/sms")
    page.click("#fail-next")
    inbox.expect(page.locator("#faults")).to_have_text("503 on * /sms", timeout=WAIT)
    inbox.expect(page.locator("#faults-fact")).to_be_visible()
    with pytest.raises(ApiException) as failed:
        send(sb, FR_MOBILE, "Not this one")
    assert failed.value.status == 503
    inbox.expect(page.locator("#faults-fact")).to_be_hidden(timeout=WAIT)

    page.fill("#balance-input", "42.5")
    page.press("#balance-input", "Enter")
    inbox.expect(page.locator("#balance")).to_have_text("€42.50", timeout=WAIT)
    assert sb.balance == 42.5

    msg_id = send(sb, FR_MOBILE, "Soon gone")
    inbox.expect(inbox.bubble(msg_id)).to_be_visible(timeout=WAIT)
    page.click("#reset")
    inbox.expect(inbox.bubble(msg_id)).to_have_count(0, timeout=WAIT)
    inbox.expect(page.locator("#no-recipients")).to_be_visible()
    assert sb.messages == [] and sb.balance == 100


def test_codes_schedules_channels_and_the_webhook_log(sb: Sandbox, inbox: Inbox, receiver: Receiver) -> None:
    inbox_scene.fill(sb, receiver.url, _refused_url())
    page = inbox.page
    pin = sb.last_pin(inbox_scene.JEAN)
    jean = page.locator('.thread[data-number="{}"]'.format(inbox_scene.JEAN))
    inbox.expect(jean.locator("mark.code")).to_have_text(pin, timeout=WAIT)
    inbox.expect(jean.locator(".bubble.out .parts").first).to_have_text("1 part · UCS-2")  # the dash is no GSM-7
    page.click('.recipient-button[data-number="{}"]'.format(inbox_scene.CLAIRE))
    claire = page.locator('.thread[data-number="{}"]'.format(inbox_scene.CLAIRE))
    inbox.expect(claire.locator(".status")).to_have_text("SCHEDULED")
    inbox.expect(claire.locator(".schedule")).to_contain_text(re.compile(r"\(in 1 h 59 min\)$"))
    page.click('.recipient-button[data-number="{}"]'.format(inbox_scene.TOM))
    inbox.expect(page.locator('.thread[data-number="{}"] .channel'.format(inbox_scene.TOM))).to_have_text("Viber")
    failed = page.locator(".bubble", has_text="INV-2291")
    inbox.expect(failed.locator(".status")).to_have_text("FAILED (error 1)")
    log = page.locator(".hook")
    inbox.expect(log).to_have_count(len(sb.webhooks))
    failures = [h for h in sb.webhooks if h["outcome"] == "failed"]
    assert len(failures) == 2  # SENT and FAILED reports, both to the refused URL
    refused = page.locator('.hook[data-outcome="failed"]')
    inbox.expect(refused).to_have_count(2)
    inbox.expect(refused.locator(".hook-facts")).to_have_text([re.compile("^3 attempts · .*refused")] * 2)
    inbox.expect(refused.locator(".event")).to_have_text(["dlr_update"] * 2)


def test_a_narrow_window_scrolls_only_down_and_dark_mode_is_dark(browser: Any, sb: Sandbox) -> None:
    inbox_scene.fill(sb, _refused_url(), _refused_url())
    narrow = Inbox(browser, sb, viewport={"width": 360, "height": 740})
    try:
        narrow.expect(narrow.page.locator(".bubble").first).to_be_visible(timeout=WAIT)
        assert narrow.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        narrow.close()
    colours = {}
    for scheme in ("light", "dark"):
        themed = Inbox(browser, sb, color_scheme=scheme)
        try:
            colours[scheme] = themed.page.evaluate("getComputedStyle(document.body).backgroundColor")
        finally:
            themed.close()
    dark = [int(n) for n in re.findall(r"\d+", colours["dark"])[:3]]
    light = [int(n) for n in re.findall(r"\d+", colours["light"])[:3]]
    assert sum(dark) < 150 < 600 < sum(light), colours


def test_screenshot_of_the_inbox(browser: Any, sb: Sandbox, receiver: Receiver, tmp_path: Path) -> None:
    inbox_scene.fill(sb, receiver.url, _refused_url())
    sb.control("POST", "fail-next", {"method": "POST", "path": "/sms", "status": 500})
    shot = Inbox(browser, sb, viewport={"width": 1280, "height": 760})
    try:
        page = shot.page
        shot.expect(page.locator("mark.code")).to_be_visible(timeout=WAIT)
        shot.expect(page.locator(".bubble.in")).to_be_visible()
        shot.expect(page.locator('.hook[data-outcome="failed"]')).to_have_count(2)
        target = SCREENSHOT if os.environ.get("SMSCX_WRITE_SCREENSHOT") == "1" else tmp_path / "inbox.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), animations="disabled", caret="hide")
    finally:
        shot.close()
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000
