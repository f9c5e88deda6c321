"""SmsApi against the sandbox: sends, campaigns, estimates, scheduling, deletion with refunds,
delivery reports and their webhooks, idempotent replays, and every documented error rule."""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from support import (
    FR_MOBILE,
    FR_MOBILE_2,
    GB_MOBILE,
    SMS_FR,
    SMS_GB,
    Receiver,
    add_group,
    api_fixture,
    control_error,
    expect_error,
    opt_out,
    outbox,
    raw_call,
    set_balance,
)

from smscx_client.api.sms_api import SmsApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InsufficientBalanceException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    NoCoverageException,
    ResourceNotFoundException,
)
from smscx_client.model.call_back_request_dlr_update import CallBackRequestDlrUpdate
from smscx_client.model.send_sms_campaign_request import SendSmsCampaignRequest
from smscx_client.model.send_sms_campaign_request_estimate import SendSmsCampaignRequestEstimate
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_sms_request_estimate import SendSmsRequestEstimate
from smscx_client.sandbox import MAGIC_NUMBERS
from smscx_client.webhooks import parse_callback

sms = api_fixture(SmsApi)


def _utc(sb: Any, seconds: float) -> datetime:
    """A naive UTC datetime ``seconds`` from the sandbox's now, whole seconds."""
    return datetime.fromtimestamp(int(sb.now() + seconds), tz=timezone.utc).replace(tzinfo=None)


# -- send_sms ----------------------------------------------------------------------------------
def test_send_sms_answers_field_by_field_and_charges_once(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    track = str(uuid.uuid4())
    res = sms.send_sms(
        SendSmsMessageRequest([FR_MOBILE, GB_MOBILE], "Brand", "Hello there", track_data=track)
    )
    info = res.info
    assert len(info.campaign_id) == 36
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid, info.total_parts) == (2, 2, 0, 2)
    assert info.total_cost == pytest.approx(SMS_FR + SMS_GB)
    assert info.dlr_callback_url is None and info.scheduled is False and info.total_in_quiet_hours == 0
    fr, gb = res.data
    assert fr.status == "ACCEPTED" and fr.status_code == 1 and fr.error_code is None
    assert (fr.to, fr.country_iso, fr._from, fr.text, fr.parts) == (
        FR_MOBILE,
        "FR",
        "Brand",
        "Hello there",
        1,
    )
    assert fr.cost == pytest.approx(SMS_FR) and gb.cost == pytest.approx(SMS_GB) and gb.country_iso == "GB"
    assert (fr.text_analysis.length, fr.text_analysis.unicode, fr.text_analysis.parts) == (11, False, 1)
    assert fr.track_data == track and fr.in_quiet_hours is False
    assert abs(fr.created_at.replace(tzinfo=timezone.utc).timestamp() - sb.now()) < 5
    assert sb.balance == pytest.approx(100 - SMS_FR - SMS_GB)
    msg = outbox(sb, fr.msg_id)
    assert (msg.channel, msg.campaign_id, msg.country_iso, msg.source, msg.traffic) == (
        "sms",
        info.campaign_id,
        "FR",
        "api",
        "transactional",
    )
    assert (msg.unicode, msg.length, msg.track_data, msg.scheduled_at) == (False, 11, track, None)
    assert [m["to"] for m in sb.messages] == [FR_MOBILE, GB_MOBILE]


def test_accepted_messages_are_delivered_within_60_seconds(sms: SmsApi, smscx_sandbox: Any) -> None:
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi"))
    smscx_sandbox.advance(60)
    msg = outbox(smscx_sandbox, res.data[0].msg_id)
    assert (msg.status, msg.status_code, msg.error_code) == ("DELIVERED", 3, None)
    assert msg.deliver_at - msg.created_at <= 60 and msg.updated_at == msg.deliver_at


def test_national_numbers_with_country_iso_and_duplicates(sms: SmsApi, smscx_sandbox: Any) -> None:
    res = sms.send_sms(
        SendSmsMessageRequest(
            ["06 12 34 56 78", "+33612345678", "0612345679"], "Brand", "Hi", country_iso="FR"
        )
    )
    assert (res.info.total_phone_numbers, res.info.total_valid, res.info.total_invalid) == (3, 3, 0)
    assert [d.to for d in res.data] == [FR_MOBILE, FR_MOBILE_2]
    assert res.info.total_cost == pytest.approx(2 * SMS_FR)


def test_a_single_number_as_a_string_is_refused(sms: SmsApi, smscx_sandbox: Any) -> None:
    # `to` is a list, even for one number (the spec's type): a bare string gets `to`'s own row
    err = expect_error(
        InvalidRequestException, 1104, raw_call, sms.api_client, "POST", "/sms", {"to": FR_MOBILE, "from": "Brand", "text": "Hi"}
    )
    assert "`to` must be an array, not string" in str(err.body)
    assert smscx_sandbox.messages == []


def test_invalid_numbers_are_refused_and_listed(sms: SmsApi, smscx_sandbox: Any) -> None:
    err = expect_error(
        InvalidPhoneNumberException, 1207, sms.send_sms, SendSmsMessageRequest(["12"], "Brand", "Hi")
    )
    assert err.invalid == ["12"]
    body = {"to": [FR_MOBILE, 33612345679], "from": "Brand", "text": "Hi"}  # numbers are strings
    err = expect_error(InvalidPhoneNumberException, 1207, raw_call, sms.api_client, "POST", "/sms", body)
    assert "`to[1]` must be a string" in str(err.body)
    err = expect_error(
        InvalidPhoneNumberException,
        1210,
        sms.send_sms,
        SendSmsMessageRequest([FR_MOBILE, "+3361", "abc"], "Brand", "Hi"),
    )
    assert err.invalid == ["+3361", "abc"]
    assert smscx_sandbox.messages == [] and smscx_sandbox.balance == 100


def test_allow_invalid_sends_to_the_valid_ones(sms: SmsApi) -> None:
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE, "+3361"], "Brand", "Hi", allow_invalid=True))
    assert res.info.invalid == ["+3361"]
    assert (res.info.total_valid, res.info.total_invalid, len(res.data)) == (1, 1, 1)
    expect_error(
        InvalidPhoneNumberException,
        1207,
        sms.send_sms,
        SendSmsMessageRequest(["+3361"], "Brand", "Hi", allow_invalid=True),
    )


def test_opted_out_numbers_are_rejected_free(sms: SmsApi, smscx_sandbox: Any) -> None:
    opt_out(smscx_sandbox, FR_MOBILE_2)
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE, FR_MOBILE_2], "Brand", "Hi"))
    assert [(d.status, d.status_code, d.cost) for d in res.data] == [
        ("ACCEPTED", 1, SMS_FR),
        ("REJECTED", 6, 0),
    ]
    assert res.info.total_cost == pytest.approx(SMS_FR)
    smscx_sandbox.advance(60)
    assert outbox(smscx_sandbox, res.data[1].msg_id).status == "REJECTED"


def test_no_coverage(sms: SmsApi, smscx_sandbox: Any) -> None:
    expect_error(
        NoCoverageException,
        1119,
        sms.send_sms,
        SendSmsMessageRequest([MAGIC_NUMBERS["no_coverage"]], "Brand", "Hi"),
    )
    expect_error(
        NoCoverageException, 1119, sms.send_sms, SendSmsMessageRequest(["+5351234567"], "Brand", "Hi")
    )  # Cuba
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE, MAGIC_NUMBERS["no_coverage"]], "Brand", "Hi"))
    assert [(d.status, d.status_code, d.cost) for d in res.data] == [
        ("ACCEPTED", 1, SMS_FR),
        ("NO COVERAGE", 7, 0),
    ]
    assert smscx_sandbox.balance == pytest.approx(100 - SMS_FR)


def test_insufficient_credit_and_credit_limit(sms: SmsApi, smscx_sandbox: Any) -> None:
    set_balance(smscx_sandbox, 0.05)
    req = SendSmsMessageRequest([FR_MOBILE, FR_MOBILE_2], "Brand", "Hi")
    expect_error(InsufficientBalanceException, 1113, sms.send_sms, req)
    expect_error(
        InsufficientBalanceException,
        1113,
        sms.estimate_sms,
        SendSmsRequestEstimate([FR_MOBILE, FR_MOBILE_2], "Brand", "Hi"),
    )
    set_balance(smscx_sandbox, 0.01, credit_limit=0.02)
    expect_error(InsufficientBalanceException, 1114, sms.send_sms, req)
    assert smscx_sandbox.messages == []
    set_balance(smscx_sandbox, 0.05, credit_limit=0.05)
    sms.send_sms(req)  # the credit limit lets the balance go below zero
    assert smscx_sandbox.balance == pytest.approx(0.05 - 2 * SMS_FR)


def test_the_control_plane_sets_balance_credit_limit_and_channels(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    req = SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi")
    account = sb.control("POST", "account", {"balance": -1, "creditLimit": 1})
    assert (account["balance"], account["creditLimit"]) == (-1.0, 1.0)
    assert sb.control("GET", "account") == account and sb.balance == -1.0
    expect_error(InsufficientBalanceException, 1114, sms.send_sms, req)
    sb.control("POST", "account", {"creditLimit": 1.05})
    sms.send_sms(req)
    assert sb.balance == pytest.approx(-1 - SMS_FR)
    channels = sb.control("POST", "account", {"channels": {"viber": False}})["channels"]
    assert channels == {"sms": True, "viber": False, "whatsapp": True, "multichannel": True}
    for bad in (
        {"balance": "5"},
        {"balance": True},
        {"creditLimit": -1},
        {"currency": "usd"},
        {"channels": {"fax": False}},
        {"channels": {"sms": 0}},
        {"channels": ["sms"]},
    ):
        status, answer = control_error(sb, "account", bad)
        assert (status, answer["error"]["code"]) == (400, 1009), bad
    sb.reset()
    assert sb.control("GET", "account")["creditLimit"] == 0.0 and sb.balance == 100.0


@pytest.mark.parametrize(
    "body, code",
    [
        ({"from": "Brand", "text": "Hi"}, 1104),
        ({"to": [], "from": "Brand", "text": "Hi"}, 1104),
        ({"to": {"a": 1}, "from": "Brand", "text": "Hi"}, 1104),
        ({"to": [FR_MOBILE], "text": "Hi"}, 1105),
        ({"to": [FR_MOBILE], "from": 12345, "text": "Hi"}, 1105),
        ({"to": [FR_MOBILE], "from": "ab", "text": "Hi"}, 1106),
        ({"to": [FR_MOBILE], "from": "a" * 16, "text": "Hi"}, 1106),
        ({"to": [FR_MOBILE], "from": "Brand"}, 1107),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "  "}, 1107),
        ({"to": [FR_MOBILE], "from": "Brand", "text": ["Hi"]}, 1107),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": "tomorrow"}, 1108),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": "2030-02-30 10:00:00"}, 1108),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": 1700000000}, 1108),
        (
            {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": "2030-01-01 10:00:00+99:99"},
            1108,
        ),
        (
            {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": "9999-12-31 23:59:59-12:00"},
            1108,
        ),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "scheduledDate": "2001-01-01 10:00:00"}, 1116),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "dlrCallbackUrl": "not a url"}, 1109),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "dlrCallbackUrl": "ftp://host/x"}, 1109),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "dlrCallbackUrl": 5}, 1109),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": "abc"}, 1111),
        (
            {
                "to": [FR_MOBILE],
                "from": "Brand",
                "text": "Hi",
                "idempotencyId": "00000000-0000-0000-0000-000000000000",
            },
            1111,
        ),
        ({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": 7}, 1111),
    ],
)
def test_documented_validation_errors(sms: SmsApi, smscx_sandbox: Any, body: Any, code: int) -> None:
    expect_error(InvalidRequestException, code, raw_call, sms.api_client, "POST", "/sms", body)
    assert smscx_sandbox.messages == [] and smscx_sandbox.balance == 100


def test_any_json_body_gets_a_documented_error(sms: SmsApi) -> None:
    for body in ([1, 2], "text", 3, None):  # no body, or one that is no object: the common row
        err = expect_error(InvalidRequestException, 1007, raw_call, sms.api_client, "POST", "/sms", body)
        assert err.error_type == "invalid_body"


def test_too_many_numbers(sms: SmsApi) -> None:
    numbers = ["+336{:08d}".format(10000000 + i) for i in range(25001)]
    expect_error(
        InvalidRequestException,
        1103,
        raw_call,
        sms.api_client,
        "POST",
        "/sms",
        {"to": numbers, "from": "Brand", "text": "Hi"},
    )


def test_25000_numbers_in_a_few_seconds(sms: SmsApi, smscx_sandbox: Any) -> None:
    set_balance(smscx_sandbox, 2000)
    numbers = ["+336{:08d}".format(10000000 + i) for i in range(25000)]
    started = time.monotonic()
    res = sms.send_sms(SendSmsMessageRequest(numbers, "Brand", "Hi {{numbers}}", short_response=True))
    assert time.monotonic() - started < 5
    assert (res.info.total_valid, res.info.total_parts, res.data) == (25000, 25000, [])
    assert res.info.total_cost == pytest.approx(25000 * SMS_FR)
    assert len(smscx_sandbox.state.account.messages) == 25000


# -- response shaping ----------------------------------------------------------------------------
def test_short_response_no_text_details_and_show_timezone(sms: SmsApi) -> None:
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi", short_response=True))
    assert res.data == [] and res.info.total_valid == 1
    data, _, _ = raw_call(
        sms.api_client,
        "POST",
        "/sms",
        {
            "to": [FR_MOBILE, "+12025550123"],
            "from": "Brand",
            "text": "Hi",
            "noTextDetails": True,
            "showTimezone": True,
        },
    )
    first, second = data["data"]
    assert "text" not in first and "textAnalysis" not in first
    assert (first["timezone"], second["timezone"]) == ("Europe/Paris", "America/New_York")
    # the spec's trackData is a UUID: anything else is refused (no row names it: 1008), not dropped
    err = expect_error(
        InvalidRequestException,
        1008,
        raw_call,
        sms.api_client,
        "POST",
        "/sms",
        {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "trackData": "nope"},
    )
    assert "`trackData`" in str(err.body)


# -- idempotency -----------------------------------------------------------------------------------
def test_idempotent_replay_sends_once(sms: SmsApi, smscx_sandbox: Any) -> None:
    key = str(uuid.uuid4())
    body = {"to": [FR_MOBILE], "from": "Brand", "text": "Hi {{numbers}}", "idempotencyId": key}
    first, _, headers = raw_call(sms.api_client, "POST", "/sms", body)
    again, _, headers2 = raw_call(sms.api_client, "POST", "/sms", body)
    assert again == first and headers["X-Idempotency-Id"] == headers2["X-Idempotency-Id"] == key
    assert len(smscx_sandbox.messages) == 1
    assert smscx_sandbox.balance == pytest.approx(100 - SMS_FR)


# -- scheduling ----------------------------------------------------------------------------------
def test_scheduled_sms_waits_then_is_delivered(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    when = _utc(sb, 3600)
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Later", scheduled_date=when))
    item = res.data[0]
    assert res.info.scheduled is True and item.status == "SCHEDULED" and item.status_code == 5
    assert item.scheduled_at == when
    assert sb.balance == pytest.approx(100 - SMS_FR)
    sb.advance(1800)
    assert outbox(sb, item.msg_id).status == "SCHEDULED"
    sb.advance(1800 + 60)
    msg = outbox(sb, item.msg_id)
    assert msg.status == "DELIVERED" and msg.scheduled_at == when.replace(tzinfo=timezone.utc).timestamp()


def test_scheduled_date_in_the_destination_time_zone(sms: SmsApi, smscx_sandbox: Any) -> None:
    from zoneinfo import ZoneInfo

    local = _utc(smscx_sandbox, 86400).replace(minute=0, second=0)
    res = sms.send_sms(
        SendSmsMessageRequest([FR_MOBILE, "+12025550123"], "Brand", "Hi", scheduled_date=local, is_utc=False)
    )
    paris = local.replace(tzinfo=ZoneInfo("Europe/Paris")).astimezone(timezone.utc).replace(tzinfo=None)
    new_york = (
        local.replace(tzinfo=ZoneInfo("America/New_York")).astimezone(timezone.utc).replace(tzinfo=None)
    )
    assert [d.scheduled_at for d in res.data] == [paris, new_york]
    past = _utc(smscx_sandbox, -60)
    expect_error(
        InvalidRequestException,
        1116,
        sms.send_sms,
        SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi", scheduled_date=past),
    )


def test_delete_scheduled_sms_refunds(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "x" * 161, scheduled_date=_utc(sb, 600)))
    msg_id = res.data[0].msg_id
    assert sb.balance == pytest.approx(100 - 2 * SMS_FR)
    out = sms.delete_scheduled_sms(msg_id)
    assert (out.info.msg_id, out.info.parts, out.info.channel) == (msg_id, 2, "sms")
    assert out.info.credit_returned == pytest.approx(2 * SMS_FR)
    assert sb.balance == pytest.approx(100) and sb.messages == []
    expect_error(ResourceNotFoundException, 1100, sms.delete_scheduled_sms, msg_id)
    expect_error(ResourceNotFoundException, 1100, sms.delete_scheduled_sms, str(uuid.uuid4()))
    sent = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "now")).data[0].msg_id
    expect_error(AccessDeniedException, 1118, sms.delete_scheduled_sms, sent)
    expect_error(InvalidRequestException, 1115, raw_call, sms.api_client, "DELETE", "/sms/scheduled/not-a-uuid")
    sb.advance(700)  # the deleted message never wakes up
    assert [m["msgId"] for m in sb.messages] == [sent]


# -- campaigns -----------------------------------------------------------------------------------
def test_campaign_sends_to_every_contact_once(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    g1 = add_group(
        sb,
        "Clients",
        [
            (FR_MOBILE, {"firstName": "Ana", "customFields": {"city": "Lyon"}}),
            (FR_MOBILE_2, {"firstName": "Bob"}),
        ],
    )
    g2 = add_group(sb, "VIP", [(FR_MOBILE, {"firstName": "Ana"}), (GB_MOBILE, {"countryIso": "GB"})])
    res = sms.send_sms_campaign(SendSmsCampaignRequest([g1, g2], "Brand", "Hi {{firstName}} from {{city}}"))
    info = res.info
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid, info.duplicates_removed) == (
        4,
        4,
        0,
        1,
    )
    assert [(g.id, g.name, g.phone_numbers) for g in info.groups] == [(g1, "Clients", 2), (g2, "VIP", 2)]
    assert [(d.to, d.text) for d in res.data] == [
        (FR_MOBILE, "Hi Ana from Lyon"),
        (FR_MOBILE_2, "Hi Bob from "),
        (GB_MOBILE, "Hi  from "),
    ]
    assert info.total_cost == pytest.approx(2 * SMS_FR + SMS_GB)
    assert {m["campaignId"] for m in sb.messages} == {info.campaign_id}
    assert sb.state.account.campaigns.get(info.campaign_id).kind == "campaign"


@pytest.mark.parametrize(
    "groups, code",
    [(None, 1101), ([], 1101), ("1", 1101), ([999], 1140), (["1"], 1140), ([True], 1140)],
)
def test_campaign_group_errors(sms: SmsApi, groups: Any, code: int) -> None:
    body = {"from": "Brand", "text": "Hi"}
    if groups is not None:
        body["groups"] = groups
    expect_error(InvalidRequestException, code, raw_call, sms.api_client, "POST", "/sms/campaign", body)


def test_campaign_to_an_empty_group(sms: SmsApi, smscx_sandbox: Any) -> None:
    empty = add_group(smscx_sandbox, "Empty", [])
    expect_error(
        InvalidRequestException, 1102, sms.send_sms_campaign, SendSmsCampaignRequest([empty], "Brand", "Hi")
    )


def test_delete_scheduled_campaign_refunds_it(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    gid = add_group(sb, "Clients", [(FR_MOBILE, {}), (FR_MOBILE_2, {})])
    res = sms.send_sms_campaign(SendSmsCampaignRequest([gid], "Brand", "Hi", scheduled_date=_utc(sb, 3600)))
    assert [d.status for d in res.data] == ["SCHEDULED", "SCHEDULED"]
    assert sb.balance == pytest.approx(100 - 2 * SMS_FR)
    out = sms.delete_scheduled_sms_campaign(res.info.campaign_id).info
    assert (
        out.campaign_id,
        out.total_phone_numbers,
        out.total_parts,
        out.phone_numbers_deleted,
        out.parts_deleted,
        out.channel,
    ) == (res.info.campaign_id, 2, 2, 2, 2, "sms")
    assert out.credit_returned == pytest.approx(2 * SMS_FR)
    assert sb.balance == pytest.approx(100) and sb.messages == []
    expect_error(ResourceNotFoundException, 1150, sms.delete_scheduled_sms_campaign, res.info.campaign_id)
    expect_error(InvalidRequestException, 1155, raw_call, sms.api_client, "DELETE", "/sms/scheduled/campaign/123")
    now = sms.send_sms_campaign(SendSmsCampaignRequest([gid], "Brand", "Hi"))
    expect_error(AccessDeniedException, 1118, sms.delete_scheduled_sms_campaign, now.info.campaign_id)


# -- estimates -----------------------------------------------------------------------------------
def test_estimates_price_without_sending(sms: SmsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    est = sms.estimate_sms(SendSmsRequestEstimate([FR_MOBILE, GB_MOBILE], "Brand", "ж" * 71))
    assert (est.info.total_parts, est.data[0].parts, est.data[0].text_analysis.unicode) == (4, 2, True)
    assert est.info.total_cost == pytest.approx(2 * SMS_FR + 2 * SMS_GB)
    assert est.data[0].status == "ACCEPTED"
    gid = add_group(sb, "Clients", [(FR_MOBILE, {}), (FR_MOBILE, {})])
    camp = sms.estimate_sms_campaign(SendSmsCampaignRequestEstimate([gid], "Brand", "Hi"))
    assert (camp.info.total_phone_numbers, camp.info.duplicates_removed, len(camp.data)) == (2, 1, 1)
    assert sb.messages == [] and sb.balance == 100
    expect_error(
        InvalidRequestException, 1104, raw_call, sms.api_client, "POST", "/sms/estimate", {"from": "Brand", "text": "Hi"}
    )


# -- delivery reports ------------------------------------------------------------------------------
def test_dlr_webhooks_reach_the_callback_url(sms: SmsApi, smscx_sandbox: Any, receiver: Receiver) -> None:
    sb = smscx_sandbox
    track = str(uuid.uuid4())
    res = sms.send_sms(
        SendSmsMessageRequest(
            [FR_MOBILE, MAGIC_NUMBERS["delivery_failed"]],
            "Brand",
            "Hi",
            dlr_callback_url=receiver.url,
            track_data=track,
        )
    )
    assert res.info.dlr_callback_url == receiver.url
    sb.advance(60)
    receiver.wait(2)  # the SENT reports, then the final ones
    ok, failed = (m.msg_id for m in res.data)
    assert [(e["status"], e["statusCode"], e["errorCode"]) for e in receiver.dlr_entries(ok)] == [
        ("SENT", 2, None),
        ("DELIVERED", 3, None),
    ]
    assert [(e["status"], e["statusCode"]) for e in receiver.dlr_entries(failed)] == [("SENT", 2), ("FAILED", 4)]
    final = receiver.dlr_entries(failed)[-1]
    assert (
        final["errorCode"] == 1
        and final["campaignId"] == res.info.campaign_id
        and final["trackData"] == track
    )
    typed = parse_callback(receiver.bodies[-1])
    assert isinstance(typed, CallBackRequestDlrUpdate) and typed.event == "dlr_update"
    assert {(d.msg_id, d.status, d.track_data) for d in typed.data} <= {
        (ok, "DELIVERED", track),
        (failed, "FAILED", track),
    }
    assert all(w["outcome"] == "delivered" for w in sb.webhooks)


def test_application_dlr_callback_is_the_default(sms: SmsApi, smscx_sandbox: Any, receiver: Receiver) -> None:
    sb = smscx_sandbox
    sb.control("POST", "application", {"settings": {"sms": {"dlrCallback": receiver.url}}})
    res = sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi"))
    assert res.info.dlr_callback_url == receiver.url
    sb.advance(10)
    receiver.wait(2)
    assert [e["status"] for e in receiver.dlr_entries()] == ["SENT", "DELIVERED"]
