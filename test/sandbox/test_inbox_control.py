"""The inbox's control endpoints without a browser: the page and its files with their security
headers, ``GET /__sandbox/inbox`` (JSON), a reply through ``POST /__sandbox/inbound`` reaching the
receive callback and the conversation, cross-origin control requests refused, and the CLI's
banner line, ``--open`` and its warning off loopback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Tuple

import pytest
from inbox_scene import send
from support import FR_MOBILE, GB_MOBILE, Receiver, control_error, inbound

from smscx_client.api.conversations_api import ConversationsApi
from smscx_client.api.otp_api import OtpApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.sandbox import MAGIC_NUMBERS, Sandbox

ROOT = Path(__file__).resolve().parents[2]


def _http(
    sb: Sandbox, method: str, path: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None
) -> Tuple[int, Dict[str, str], bytes]:
    """Status, headers and body of a raw request (no redirect followed)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    req = urllib.request.Request(sb.url + path, data=body, method=method, headers=headers or {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()



# -- the page ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, content_type",
    [("/__sandbox/", "text/html"), ("/__sandbox/inbox.js", "text/javascript"), ("/__sandbox/inbox.css", "text/css")],
)
def test_the_page_and_its_files_load_nothing_from_elsewhere(sb: Sandbox, path: str, content_type: str) -> None:
    status, headers, body = _http(sb, "GET", path)
    assert status == 200
    assert headers["Content-Type"] == content_type + "; charset=utf-8"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    text = body.decode("utf-8")
    # no CDN, no other host: every reference is to the sandbox itself
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text) == []
    if content_type == "text/html":
        assert re.findall(r'(?:src|href)="([^"]+)"', text) == ["data:,", "/__sandbox/inbox.css", "/__sandbox/inbox.js"]
        assert "<script>" not in text  # no inline script
        assert re.search(r"<[^>]+\son[a-z]+=", text) is None  # no inline event handler
    if content_type == "text/javascript":
        assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "eval(" not in text


def test_the_page_without_its_slash_redirects(sb: Sandbox) -> None:
    status, headers, _ = _http(sb, "GET", "/__sandbox")
    assert (status, headers["Location"]) == (308, "/__sandbox/")


def test_the_page_takes_get_only(sb: Sandbox) -> None:
    status, headers, body = _http(sb, "POST", "/__sandbox/", b"{}")
    assert (status, headers["Allow"], json.loads(body)["error"]["code"]) == (405, "GET", 1004)


# -- GET /__sandbox/inbox -------------------------------------------------------------------------
def test_the_inbox_view_holds_what_the_page_shows(sb: Sandbox, receiver: Receiver) -> None:
    plain = send(sb, FR_MOBILE, "Hello", dlr_callback_url=receiver.url)
    unicode = send(sb, GB_MOBILE, "Ça va? ✓")
    failed = send(sb, MAGIC_NUMBERS["delivery_failed"], "No luck")
    OtpApi(sb.api_client()).new_otp(NewOtpRequest(phone_number=FR_MOBILE))
    reply = inbound(sb, FR_MOBILE, "Hi back", to="MyBrand")
    sb.fail_next("POST", "/sms", status=500)
    sb.advance(5)
    view = sb.control("GET", "inbox")
    assert set(view) == {"now", "datetime", "account", "messages", "received", "webhooks", "faults", "totals"}
    assert view["now"] <= sb.now()
    assert view["account"] == {"balance": sb.balance, "creditLimit": 0.0, "currency": "eur"}
    by_id = {m["msgId"]: m for m in view["messages"]}
    assert [m["msgId"] for m in view["messages"]][:3] == [plain, unicode, failed]
    assert {k: by_id[plain][k] for k in ("to", "from", "text", "channel", "status", "encoding", "errorCode", "pin")} == {
        "to": FR_MOBILE, "from": "MyBrand", "text": "Hello", "channel": "sms", "status": "DELIVERED",
        "encoding": "GSM-7", "errorCode": None, "pin": None,
    }  # fmt: skip
    assert by_id[unicode]["encoding"] == "UCS-2"
    assert (by_id[failed]["status"], by_id[failed]["errorCode"]) == ("FAILED", 1)
    otp_message = view["messages"][-1]
    assert otp_message["pin"] == sb.last_pin(FR_MOBILE) and otp_message["pin"] in otp_message["text"]
    assert otp_message["otpId"] is not None
    (received,) = view["received"]
    assert received == {
        "msgId": reply["msgId"], "channel": "sms", "from": FR_MOBILE, "to": "MyBrand", "text": "Hi back",
        "countryIso": "FR", "receivedAt": received["receivedAt"], "rentId": None,
    }  # fmt: skip
    assert [(w["event"], w["outcome"]) for w in view["webhooks"]] == [("dlr_update", "delivered")] * 2
    assert view["webhooks"] == sb.webhooks
    assert view["faults"] == [{"method": "POST", "path": "/sms", "status": 500, "type": None, "code": None, "fault": None}]
    assert view["totals"] == {"messages": 4, "received": 1, "webhooks": 2}
    # the outbox the control plane always had lists the same messages, with the same new fields
    assert [m["msgId"] for m in sb.messages] == list(by_id)
    assert sb.messages[1]["encoding"] == "UCS-2"


def test_the_inbox_view_limit_keeps_the_newest(sb: Sandbox) -> None:
    ids = [send(sb, FR_MOBILE, "n{}".format(i)) for i in range(3)]
    view = sb.control("GET", "inbox?limit=2")
    assert [m["msgId"] for m in view["messages"]] == ids[1:]
    assert view["totals"]["messages"] == 3
    assert sb.control("GET", "inbox?limit=0")["messages"] == []
    with pytest.raises(urllib.error.HTTPError) as err:
        sb.control("GET", "inbox?limit=-1")
    with err.value:
        assert (err.value.code, json.loads(err.value.read())["error"]["code"]) == (400, 1009)


# -- replies: POST /__sandbox/inbound -------------------------------------------------------------
@pytest.mark.parametrize("channel", ["sms", "viber", "whatsapp"])
def test_a_reply_owes_the_receive_callback_and_opens_the_conversation(sb: Sandbox, receiver: Receiver, channel: str) -> None:
    sb.control("POST", "application", {"settings": {channel: {"receiveCallback": receiver.url}}})
    reply = inbound(sb, FR_MOBILE, "Is it open on Sunday?", channel=channel, to="MyBrand")
    sb.advance(0)
    (callback,) = receiver.wait(1)
    assert callback.body["event"] == "receive_" + channel
    (data,) = callback.body["data"]
    assert (data["msgId"], data["from"], data["to"], data["text"]) == (reply["msgId"], FR_MOBILE, "MyBrand", "Is it open on Sunday?")
    (hook,) = sb.webhooks
    assert (hook["url"], hook["outcome"], hook["status"]) == (receiver.url, "delivered", 200)
    (conv,) = ConversationsApi(sb.api_client()).get_converstions_list().data
    assert (conv.conversation_id, conv.last_reply) == (reply["conversationId"], "Is it open on Sunday?")


def test_a_reply_without_a_receive_callback_owes_nothing(sb: Sandbox) -> None:
    inbound(sb, FR_MOBILE, "Hello?", to="MyBrand")
    sb.advance(0)
    assert sb.webhooks == []


# -- cross-origin requests ----------------------------------------------------------------------
def test_a_control_request_from_a_page_of_another_origin_is_refused(sb: Sandbox) -> None:
    send(sb, FR_MOBILE, "Keep me")
    host = sb.url.split("//", 1)[1]
    for origin in ("http://attacker.example", "null", "http://" + host + ".attacker.example"):
        status, _, body = _http(sb, "POST", "/__sandbox/reset", b"", {"Origin": origin})
        error = json.loads(body)["error"]
        assert (status, error["type"], error["code"]) == (403, "forbidden", 1011), origin
        assert origin in error["message"]
    assert len(sb.messages) == 1
    # the page's own requests (same origin) and clients that send no Origin go through
    status, _, _ = _http(sb, "POST", "/__sandbox/clock/advance", b'{"seconds": 1}', {"Origin": "http://" + host})
    assert status == 200
    assert control_error(sb, "clock/advance", {"seconds": -1})[0] == 400
    status, _, _ = _http(sb, "GET", "/__sandbox/inbox", None, {"Origin": "http://attacker.example"})
    assert status == 200  # a GET changes nothing; the browser keeps its answer from the other page (no CORS)


# -- the CLI ------------------------------------------------------------------------------------
@pytest.fixture
def cli() -> Iterator[Any]:
    """``cli(*options, env=...)``: start ``python -m smscx_client.sandbox``; stopped after the test."""
    procs = []

    def start(*options: str, env: Optional[Dict[str, str]] = None) -> "subprocess.Popen[str]":
        full = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **(env or {}))
        proc = subprocess.Popen(
            [sys.executable, "-m", "smscx_client.sandbox", "--port", "0", "--no-examples", *options],
            cwd=str(ROOT), env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)


def _banner(proc: "subprocess.Popen[str]") -> str:
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Press Ctrl-C"):
            break
    return "".join(lines)


def test_the_banner_names_the_inbox_and_loopback_gives_no_warning(cli: Any) -> None:
    proc = cli()
    banner = _banner(proc)
    url = re.search(r"listening on (http://127\.0\.0\.1:\d+)", banner).group(1)  # type: ignore[union-attr]
    assert "  inbox:          {}/__sandbox/\n".format(url) in banner
    with urllib.request.urlopen(url + "/__sandbox/", timeout=10) as resp:  # noqa: S310 - our own loopback server
        assert b"<title>SMS.CX sandbox inbox</title>" in resp.read()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert "warning" not in err


def test_another_host_is_served_with_a_warning(cli: Any) -> None:
    proc = cli("--host", "0.0.0.0")  # noqa: S104 - what the warning is about
    assert "inbox:          http://0.0.0.0:" in _banner(proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert "warning: listening on 0.0.0.0, not loopback" in err and "/__sandbox/" in err


def test_open_shows_the_inbox_in_the_browser(cli: Any, tmp_path: Path) -> None:
    opened = tmp_path / "opened"
    # webbrowser runs $BROWSER with the URL in place of %s: here, a script that writes it down
    recorder = "{} -c \"import sys; open(sys.argv[1], 'w').write(sys.argv[2])\" {} %s".format(sys.executable, opened)
    proc = cli("--open", env={"BROWSER": recorder})
    banner = _banner(proc)
    url = re.search(r"inbox: +(\S+)", banner).group(1)  # type: ignore[union-attr]
    deadline = time.monotonic() + 15
    while not opened.exists() and time.monotonic() < deadline:  # the browser is started after the banner
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=15)
    assert opened.read_text() == url and url.endswith("/__sandbox/")
    assert "Traceback" not in err
