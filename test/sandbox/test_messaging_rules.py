"""Message rules of the sandbox, seen through SmsApi: GSM-7/Unicode parts, placeholders,
transliteration and emoji removal, magic numbers, quiet hours and the auto-reply inbound record."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any, List

import pytest
from support import (
    FR_MOBILE,
    FR_MOBILE_2,
    SMS_FR,
    Receiver,
    add_shortlink,
    api_fixture,
    expect_error,
    outbox,
    raw_call,
)

from smscx_client.api.sms_api import SmsApi
from smscx_client.exceptions import InvalidRequestException
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_sms_request_estimate import SendSmsRequestEstimate
from smscx_client.model.transliteration import Transliteration
from smscx_client.sandbox import MAGIC_NUMBERS
from smscx_client.sandbox.backends import _delivery
from smscx_client.webhooks import parse_callback

sms = api_fixture(SmsApi)


def _send(sms: SmsApi, text: str, to: Any = None, **kw: Any) -> Any:
    return sms.send_sms(SendSmsMessageRequest(to or [FR_MOBILE], "Brand", text, **kw))


# -- parts ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, length, unicode, parts",
    [
        ("a" * 160, 160, False, 1),
        ("a" * 161, 161, False, 2),
        ("a" * 306, 306, False, 2),
        ("a" * 307, 307, False, 3),
        ("€" * 80, 160, False, 1),  # extension characters take two septets
        ("€" * 81, 162, False, 2),
        ("a" * 159 + "[", 161, False, 2),
        ("ж" * 70, 70, True, 1),
        ("ж" * 71, 71, True, 2),
        ("ж" * 134, 134, True, 2),
        ("ж" * 135, 135, True, 3),
        ("😀" * 35, 70, True, 1),  # outside the BMP: two UTF-16 units each
        ("é" * 160, 160, False, 1),  # é is in GSM-7
    ],
)
def test_gsm_and_unicode_part_counting(
    sms: SmsApi, smscx_sandbox: Any, text: str, length: int, unicode: bool, parts: int
) -> None:
    item = _send(sms, text).data[0]
    assert (item.text_analysis.length, item.text_analysis.unicode, item.text_analysis.parts, item.parts) == (
        length,
        unicode,
        parts,
        parts,
    )
    assert item.cost == pytest.approx(parts * SMS_FR)
    assert smscx_sandbox.balance == pytest.approx(100 - parts * SMS_FR)
    msg = outbox(smscx_sandbox, item.msg_id)
    assert (msg.parts, msg.unicode, msg.length) == (parts, unicode, length)


# -- placeholders -----------------------------------------------------------------------------------
def test_random_placeholders(sms: SmsApi) -> None:
    res = _send(
        sms,
        "{{numbers}}|{{numbers:8}}|{{letters}}|{{letters:10}}|{{alphanumeric}}|{{alphanumeric:6}}|{{ numbers:20 }}",
        [FR_MOBILE, FR_MOBILE_2],
    )
    pattern = r"\d{4}\|\d{8}\|[A-Z]{4}\|[A-Z]{10}\|[A-Z0-9]{4}\|[A-Z0-9]{6}\|\d{20}"
    texts = [d.text for d in res.data]
    assert all(re.fullmatch(pattern, t) for t in texts), texts
    assert texts[0] != texts[1]  # drawn per recipient


@pytest.mark.parametrize(
    "text, code",
    [
        ("{{numbers:0}}", 1137),
        ("{{letters:21}}", 1137),
        ("{{alphanumeric:99}}", 1137),
        ("{{numbers:abc}}", 1136),
        ("{{letters:}}", 1136),
        ("{{alphanumeric:-3}}", 1136),
    ],
)
def test_placeholder_length_errors(sms: SmsApi, smscx_sandbox: Any, text: str, code: int) -> None:
    expect_error(InvalidRequestException, code, _send, sms, text)
    expect_error(
        InvalidRequestException, code, sms.estimate_sms, SendSmsRequestEstimate([FR_MOBILE], "Brand", text)
    )
    assert smscx_sandbox.messages == []


def test_today_follows_the_sandbox_clock(sms: SmsApi, smscx_sandbox: Any) -> None:
    smscx_sandbox.advance(3 * 86400)
    day = datetime.fromtimestamp(smscx_sandbox.now(), tz=timezone.utc)
    expected = "{} {} {}".format(day.day, day.strftime("%b"), day.year)
    assert _send(sms, "On {{today}}.").data[0].text == "On {}.".format(expected)


def test_unknown_placeholders_become_empty(sms: SmsApi) -> None:
    assert _send(sms, "Hi {{firstName}}!{{nothing}}").data[0].text == "Hi !"


def test_tracked_links_are_unique_per_recipient(sms: SmsApi, smscx_sandbox: Any) -> None:
    short = add_shortlink(smscx_sandbox)
    res = _send(sms, "Go {{shortlink:%s}} stop {{optoutLink}}" % short, [FR_MOBILE, FR_MOBILE_2])
    links = [re.fullmatch(r"Go (https://sandbox\.test/\S+) stop (\S+)", d.text).groups() for d in res.data]  # type: ignore[union-attr]
    assert links[0][0] != links[1][0] and links[0][1] != links[1][1]
    assert all(s.startswith("https://sandbox.test/{}/".format(short)) for s, _ in links)
    table = smscx_sandbox.state.account.links
    rec = table.get(links[0][0].rsplit("/", 1)[1])
    assert (rec.kind, rec.target_id, rec.phone_number, rec.msg_id) == (
        "shortlink",
        short,
        FR_MOBILE,
        res.data[0].msg_id,
    )
    assert table.get(links[1][1].rsplit("/", 1)[1]).kind == "optout"


@pytest.mark.parametrize("text", ["{{shortlink:nope42}}", "{{attachement:nope42}}", "{{shortlink:}}"])
def test_unknown_tracked_link_is_1112(sms: SmsApi, text: str) -> None:
    expect_error(InvalidRequestException, 1112, _send, sms, text)


def test_estimates_do_not_register_links(sms: SmsApi, smscx_sandbox: Any) -> None:
    short = add_shortlink(smscx_sandbox)
    sms.estimate_sms(SendSmsRequestEstimate([FR_MOBILE], "Brand", "{{shortlink:%s}}" % short))
    assert len(smscx_sandbox.state.account.links) == 0


# -- transliteration ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "alphabet, text, expected",
    [
        ("RUSSIAN_CYRILLIC", "Привет, Щука", "Privet, Shchuka"),
        ("BULGARIAN_CYRILLIC", "Щастие", "Shtastie"),
        ("UKRAINIAN_CYRILLIC", "Їжак і ґава", "Yizhak i gava"),
        ("BELARUSIAN_CYRILLIC", "Ўсё", "Usyo"),
        ("SERBIAN_CYRILLIC", "Ђорђе Љиљана", "Djordje Ljiljana"),
        ("MACEDONIAN_CYRILLIC", "Ќерка Ѓорѓи", "Kjerka Gjorgji"),
        ("POLISH", "Zażółć gęślą jaźń", "Zazolc gesla jazn"),
        ("ROMANIAN", "bună Ștefan ţară", "buna Stefan tara"),
        ("TURKISH", "Iğdır edilmiş çok", "Igdir edilmis cok"),
        ("GREEK", "Καλημέρα", "KAΛHMEPA"),
        ("NON_GSM", "“Olá” — ₹ Ωmega 中", '"Ola" - ? Ωmega ?'),
        ("NONE", "Zażółć", "Zażółć"),
    ],
)
def test_transliteration_alphabets(sms: SmsApi, alphabet: str, text: str, expected: str) -> None:
    data, _, _ = raw_call(
        sms.api_client,
        "POST",
        "/sms",
        {"to": [FR_MOBILE], "from": "Brand", "text": text, "transliteration": {"alphabet": alphabet}},
    )
    assert data["data"][0]["text"] == expected


def test_a_language_alphabet_leaves_other_scripts_alone(sms: SmsApi) -> None:
    res = _send(sms, "Zażółć Привет", transliteration=Transliteration("POLISH"))
    assert res.data[0].text == "Zazolc Привет" and res.data[0].text_analysis.unicode is True


def test_transliteration_analysis(sms: SmsApi, smscx_sandbox: Any) -> None:
    text = "Zażółć gęślą jaźń 👍 " * 4  # 84 Unicode units: 2 parts; 80 GSM characters once converted
    res = _send(
        sms, text, [FR_MOBILE, FR_MOBILE_2], transliteration=Transliteration("POLISH", remove_emojis=True)
    )
    item = res.data[0]
    assert item.text == "Zazolc gesla jazn  " * 4 and item.parts == 1 and item.text_analysis.unicode is False
    ta = res.info.transliteration_analysis
    assert (ta.total_original_parts, ta.total_replaced_parts, ta.total_parts_saved) == (4, 2, 2)
    assert ta.total_original_cost == pytest.approx(4 * SMS_FR) and ta.total_replaced_cost == pytest.approx(
        2 * SMS_FR
    )
    assert ta.total_cost_saved == 0  # the schema types it as an integer (whole currency units)
    assert (ta.text.original.text, ta.text.original.encoding, ta.text.original.parts) == (text, "UCS-2", 2)
    assert (ta.text.replaced.text, ta.text.replaced.encoding, ta.text.replaced.parts) == (
        item.text,
        "GSM-7",
        1,
    )
    assert ta.text.replaced.characters.to_dict() == {
        "ż": 4,
        "ó": 4,
        "ł": 4,
        "ć": 4,
        "ę": 4,
        "ś": 4,
        "ą": 4,
        "ź": 4,
        "ń": 4,
        "👍": 4,
    }
    assert smscx_sandbox.balance == pytest.approx(100 - 2 * SMS_FR)


def test_remove_emojis_alone(sms: SmsApi) -> None:
    res = _send(sms, "Party 🎉👩‍👧‍👧 time", transliteration=Transliteration("NONE", remove_emojis=True))
    assert res.data[0].text == "Party  time"
    assert res.info.transliteration_analysis.text.replaced.characters.to_dict() == {"🎉": 1, "👩": 1, "👧": 2}


def test_application_default_transliteration(sms: SmsApi, smscx_sandbox: Any) -> None:
    smscx_sandbox.control(
        "POST", "application", {"settings": {"sms": {"transliteration": {"alphabet": "ROMANIAN"}}}}
    )
    assert _send(sms, "bună").data[0].text == "buna"
    assert _send(sms, "bună", transliteration=Transliteration("NONE")).data[0].text == "bună"


@pytest.mark.parametrize(
    "value, code",
    [
        ("POLISH", 1135),
        ([1], 1135),
        ({}, 1110),
        ({"alphabet": "KLINGON"}, 1110),
        ({"alphabet": 3}, 1110),
        ({"alphabet": "POLISH", "removeEmojis": "yes"}, 1503),
        ({"alphabet": "NONE", "removeEmojis": 1}, 1503),
    ],
)
def test_transliteration_errors(sms: SmsApi, value: Any, code: int) -> None:
    body = {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "transliteration": value}
    for path in ("/sms", "/sms/estimate"):
        expect_error(InvalidRequestException, code, raw_call, sms.api_client, "POST", path, body)


# -- magic numbers ----------------------------------------------------------------------------------
def _statuses(sb: Any, msg_ids: List[str]) -> List[str]:
    return [outbox(sb, m).status for m in msg_ids]


def test_magic_number_timelines(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    names = ["delivered", "delivery_failed", "no_final_report", "slow_delivery"]
    res = _send(sms, "Hi", [MAGIC_NUMBERS[n] for n in names])
    ids = [d.msg_id for d in res.data]
    assert [d.status for d in res.data] == ["ACCEPTED"] * 4
    sb.advance(50)
    assert _statuses(sb, ids) == ["DELIVERED", "FAILED", "SENT", "SENT"]
    assert outbox(sb, ids[1]).error_code == _delivery.FAILED_ERROR_CODE
    sb.advance(10)
    assert _statuses(sb, ids) == ["DELIVERED", "FAILED", "SENT", "DELIVERED"]
    sb.advance(3600)
    assert outbox(sb, ids[2]).status == "SENT" and outbox(sb, ids[2]).final_status == "SENT"


def test_auto_reply_stores_an_inbound_message(sms: SmsApi, smscx_sandbox: Any, receiver: Receiver) -> None:
    sb = smscx_sandbox
    sb.control("POST", "application", {"settings": {"sms": {"receiveCallback": receiver.url}}})
    res = _send(sms, "Ping", [MAGIC_NUMBERS["auto_reply"]])
    sb.advance(10)
    ((_, body),) = receiver.wait(1)
    (inbound,) = sb.state.account.inbound.values()
    event = parse_callback(body)
    assert event.event == "receive_sms" and event.data[0].msg_id == inbound.msg_id
    assert (event.data[0]._from, event.data[0].to, event.data[0].text, event.data[0].cost) == (
        MAGIC_NUMBERS["auto_reply"],
        "Brand",
        _delivery.AUTO_REPLY_TEXT,
        0,
    )
    assert (inbound.sender, inbound.to, inbound.text, inbound.channel, inbound.country_iso) == (
        MAGIC_NUMBERS["auto_reply"],
        "Brand",
        _delivery.AUTO_REPLY_TEXT,
        "sms",
        "FR",
    )
    assert inbound.rent_id is None and len(inbound.msg_id) == 36
    assert inbound.created_at == pytest.approx(outbox(sb, res.data[0].msg_id).created_at + 5, abs=1)


# -- quiet hours ------------------------------------------------------------------------------------
def test_quiet_hours_hold_messages_until_they_end(sms: SmsApi, smscx_sandbox: Any) -> None:
    from zoneinfo import ZoneInfo

    sb = smscx_sandbox
    local = datetime.fromtimestamp(sb.now(), ZoneInfo("Europe/Paris"))
    start, stop = (local.hour - 1) % 24, (local.hour + 2) % 24
    sb.control(
        "POST",
        "application",
        {"settings": {"sms": {"quietHours": {"start": "%02d:00" % start, "stop": "%02d:00" % stop}}}},
    )
    res = _send(sms, "Hi")
    item = res.data[0]
    assert item.status == "SCHEDULED" and item.in_quiet_hours is True and res.info.total_in_quiet_hours == 1
    assert res.info.scheduled is True
    held = item.scheduled_at.replace(tzinfo=timezone.utc)
    assert held.astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") == "%02d:01" % stop
    assert 0 < held.timestamp() - sb.now() <= 3 * 3600
    sb.advance(held.timestamp() - sb.now() + 60)
    assert outbox(sb, item.msg_id).status == "DELIVERED"
