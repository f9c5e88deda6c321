"""ViberApi against the sandbox: template sends to numbers and groups, estimates, scheduling and
deletion with refunds, delivery reports, and the documented errors."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from support import (
    FR_MOBILE,
    FR_MOBILE_2,
    GB_MOBILE,
    VIBER,
    Receiver,
    add_group,
    add_shortlink,
    add_template,
    api_fixture,
    expect_error,
    opt_out,
    outbox,
    raw_call,
    set_balance,
)

from smscx_client.api.viber_api import ViberApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InsufficientBalanceException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    NoCoverageException,
    ResourceNotFoundException,
    TemplateNotApprovedException,
)
from smscx_client.model.custom_fields import CustomFields
from smscx_client.model.send_viber_campaign_request import SendViberCampaignRequest
from smscx_client.model.send_viber_campaign_request_estimate import SendViberCampaignRequestEstimate
from smscx_client.model.send_viber_message_request import SendViberMessageRequest
from smscx_client.model.send_viber_message_request_estimate import SendViberMessageRequestEstimate
from smscx_client.sandbox import MAGIC_NUMBERS

viber = api_fixture(ViberApi)


@pytest.fixture
def tpl(smscx_sandbox: Any) -> int:
    """An approved, locked Viber template."""
    return add_template(smscx_sandbox, "viber", "Hello {{name}}, your code is {{numbers:6}}")


def _later(sb: Any, seconds: float) -> datetime:
    return datetime.fromtimestamp(int(sb.now() + seconds), tz=timezone.utc).replace(tzinfo=None)


def test_send_viber_message(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    sb = smscx_sandbox
    track = str(uuid.uuid4())
    fields = CustomFields(custom_field_name={"name": "Ann"})
    res = viber.send_viber_message(
        SendViberMessageRequest([FR_MOBILE, GB_MOBILE], "Brand", tpl, custom_fields=fields, track_data=track)
    )
    info = res.info
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid, info.total_parts) == (2, 2, 0, 2)
    assert (
        info.total_cost == pytest.approx(2 * VIBER)
        and info.scheduled is False
        and info.dlr_callback_url is None
    )
    fr = res.data[0]
    assert (fr.status, fr.status_code, fr.error_code, fr.to, fr.country_iso, fr._from, fr.parts) == (
        "ACCEPTED",
        1,
        None,
        FR_MOBILE,
        "FR",
        "Brand",
        1,
    )
    assert fr.text.startswith("Hello Ann, your code is ") and fr.text[-6:].isdigit()
    assert fr.cost == pytest.approx(VIBER) and fr.track_data == track and fr.in_quiet_hours is False
    assert sb.balance == pytest.approx(100 - 2 * VIBER)
    msg = outbox(sb, fr.msg_id)
    assert (msg.channel, msg.parts, msg.text, msg.campaign_id) == ("viber", 1, fr.text, info.campaign_id)
    sb.advance(60)
    assert outbox(sb, fr.msg_id).status == "DELIVERED"


def test_plain_custom_fields_object_and_sender_length(viber: ViberApi, tpl: int) -> None:
    body = {"to": [FR_MOBILE], "from": "Brand", "templateId": tpl, "customFields": {"name": "Bob"}}
    data, _, _ = raw_call(viber.api_client, "POST", "/viber", body)
    item = data["data"][0]
    assert item["text"].startswith("Hello Bob,") and item["from"] == "Brand"
    assert "textAnalysis" not in item
    # custom field values are strings (the spec's map)
    nested = dict(body, customFields={"name": "Bob", "n": {"nested": 1}})
    err = expect_error(InvalidRequestException, 1008, raw_call, viber.api_client, "POST", "/viber", nested)
    assert "`customFields.n` must be a string" in str(err.body)
    # `from` is 3 to 15 characters (the spec); no row of this table names it, so 1008
    err = expect_error(InvalidRequestException, 1008, raw_call, viber.api_client, "POST", "/viber", dict(body, **{"from": "ab"}))
    assert "`from` must be 3 to 15 characters long" in str(err.body)


def test_opt_out_and_coverage(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    opt_out(smscx_sandbox, FR_MOBILE_2)
    res = viber.send_viber_message(
        SendViberMessageRequest([FR_MOBILE, FR_MOBILE_2, MAGIC_NUMBERS["no_coverage"]], "Brand", tpl)
    )
    assert [(d.status, d.cost) for d in res.data] == [
        ("ACCEPTED", VIBER),
        ("REJECTED", 0),
        ("NO COVERAGE", 0),
    ]
    expect_error(
        NoCoverageException,
        1119,
        viber.send_viber_message,
        SendViberMessageRequest([MAGIC_NUMBERS["no_coverage"]], "Brand", tpl),
    )


@pytest.mark.parametrize(
    "change, code",
    [
        ({"templateId": None}, 1126),
        ({"templateId": "1"}, 1127),
        ({"templateId": 0}, 1127),
        ({"templateId": True}, 1127),
        ({"templateId": 999}, 1128),
        ({"to": []}, 1104),
        ({"from": ""}, 1105),
        ({"scheduledDate": "soon"}, 1108),
        ({"scheduledDate": "2001-01-01T00:00:00"}, 1116),
        ({"dlrCallbackUrl": "x"}, 1109),
        ({"idempotencyId": "1"}, 1111),
    ],
)
def test_documented_errors(viber: ViberApi, smscx_sandbox: Any, tpl: int, change: Any, code: int) -> None:
    body = dict({"to": [FR_MOBILE], "from": "Brand", "templateId": tpl}, **change)
    body = {k: v for k, v in body.items() if v is not None}
    expect_error(InvalidRequestException, code, raw_call, viber.api_client, "POST", "/viber", body)
    assert smscx_sandbox.messages == []


def test_template_must_be_a_usable_viber_template(viber: ViberApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    for channel in ("sms", "whatsapp"):
        other = add_template(sb, channel, "Hi")
        expect_error(
            InvalidRequestException,
            1128,
            viber.send_viber_message,
            SendViberMessageRequest([FR_MOBILE], "Brand", other),
        )
    pending = add_template(sb, "viber", "Hi", approved=False, locked=False)
    expect_error(
        TemplateNotApprovedException,
        1132,
        viber.send_viber_message,
        SendViberMessageRequest([FR_MOBILE], "Brand", pending),
    )
    unlocked = add_template(sb, "viber", "Hi", approved=True, locked=False)
    expect_error(
        TemplateNotApprovedException,
        1133,
        viber.estimate_viber_message,
        SendViberMessageRequestEstimate([FR_MOBILE], "Brand", unlocked),
    )


def test_numbers_and_credit(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    err = expect_error(
        InvalidPhoneNumberException,
        1210,
        viber.send_viber_message,
        SendViberMessageRequest([FR_MOBILE, "+1"], "Brand", tpl),
    )
    assert err.invalid == ["+1"]
    expect_error(
        InvalidPhoneNumberException,
        1207,
        viber.send_viber_message,
        SendViberMessageRequest(["+1"], "Brand", tpl),
    )
    set_balance(smscx_sandbox, 0.01)
    expect_error(
        InsufficientBalanceException,
        1113,
        viber.send_viber_message,
        SendViberMessageRequest([FR_MOBILE], "Brand", tpl),
    )


def test_tracked_shortlink_in_a_template(viber: ViberApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    short = add_shortlink(sb)
    ok = add_template(sb, "viber", "See {{shortlink:%s}}" % short)
    text = viber.send_viber_message(SendViberMessageRequest([FR_MOBILE], "Brand", ok)).data[0].text
    assert text.startswith("See https://sandbox.test/%s/" % short)
    broken = add_template(sb, "viber", "See {{shortlink:gone}}")
    expect_error(
        InvalidRequestException,
        1112,
        viber.send_viber_message,
        SendViberMessageRequest([FR_MOBILE], "Brand", broken),
    )


def test_campaign_estimate_and_send(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    sb = smscx_sandbox
    gid = add_group(
        sb, "Fans", [(FR_MOBILE, {"customFields": {"name": "Zoe"}}), (FR_MOBILE_2, {}), (FR_MOBILE, {})]
    )
    est = viber.estimate_viber_campaign(SendViberCampaignRequestEstimate([gid], "Brand", tpl))
    assert (est.info.total_phone_numbers, est.info.duplicates_removed, est.info.total_cost) == (
        3,
        1,
        pytest.approx(2 * VIBER),
    )
    assert sb.messages == [] and sb.balance == 100
    fields = CustomFields(custom_field_name={"name": "friend"})
    res = viber.send_viber_campaign(SendViberCampaignRequest([gid], "Brand", tpl, custom_fields=fields))
    assert [d.text.split(",")[0] for d in res.data] == ["Hello Zoe", "Hello friend"]
    assert [(g.id, g.name, g.phone_numbers) for g in res.info.groups] == [(gid, "Fans", 3)]
    assert sb.balance == pytest.approx(100 - 2 * VIBER)
    expect_error(
        InvalidRequestException,
        1140,
        viber.send_viber_campaign,
        SendViberCampaignRequest([gid + 1], "Brand", tpl),
    )
    expect_error(
        InvalidRequestException,
        1101,
        raw_call,
        viber.api_client,
        "POST",
        "/viber/campaign",
        {"from": "Brand", "templateId": tpl},
    )


def test_scheduled_message_and_campaign_deletion(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    sb = smscx_sandbox
    one = viber.send_viber_message(
        SendViberMessageRequest([FR_MOBILE], "Brand", tpl, scheduled_date=_later(sb, 600))
    )
    assert one.data[0].status == "SCHEDULED" and one.info.scheduled is True
    out = viber.delete_scheduled_viber_message(one.data[0].msg_id).info
    assert (out.parts, out.channel, out.credit_returned) == (1, "viber", pytest.approx(VIBER))
    gid = add_group(sb, "Fans", [(FR_MOBILE, {}), (FR_MOBILE_2, {})])
    camp = viber.send_viber_campaign(
        SendViberCampaignRequest([gid], "Brand", tpl, scheduled_date=_later(sb, 600))
    )
    assert sb.balance == pytest.approx(100 - 2 * VIBER)
    info = viber.delete_scheduled_viber_campaign(camp.info.campaign_id).info
    assert (info.phone_numbers_deleted, info.parts_deleted, info.channel) == (2, 2, "viber")
    assert info.credit_returned == pytest.approx(2 * VIBER) and sb.balance == pytest.approx(100)
    expect_error(ResourceNotFoundException, 1150, viber.delete_scheduled_viber_campaign, camp.info.campaign_id)
    expect_error(ResourceNotFoundException, 1100, viber.delete_scheduled_viber_message, one.data[0].msg_id)
    sent = viber.send_viber_message(SendViberMessageRequest([FR_MOBILE], "Brand", tpl))
    expect_error(AccessDeniedException, 1118, viber.delete_scheduled_viber_message, sent.data[0].msg_id)
    expect_error(InvalidRequestException, 1115, raw_call, viber.api_client, "DELETE", "/viber/scheduled/zzz")


def test_sms_ids_are_not_viber_ids(viber: ViberApi, smscx_sandbox: Any, tpl: int) -> None:
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    sms = SmsApi(smscx_sandbox.api_client(max_retries=0))
    sms_id = (
        sms.send_sms(
            SendSmsMessageRequest([FR_MOBILE], "Brand", "Hi", scheduled_date=_later(smscx_sandbox, 600))
        )
        .data[0]
        .msg_id
    )
    expect_error(ResourceNotFoundException, 1100, viber.delete_scheduled_viber_message, sms_id)


def test_delivery_reports(viber: ViberApi, smscx_sandbox: Any, tpl: int, receiver: Receiver) -> None:
    res = viber.send_viber_message(
        SendViberMessageRequest([MAGIC_NUMBERS["delivery_failed"]], "Brand", tpl, dlr_callback_url=receiver.url)
    )
    smscx_sandbox.advance(60)
    receiver.wait(2)
    assert [(e["status"], e["errorCode"]) for e in receiver.dlr_entries(res.data[0].msg_id)] == [
        ("SENT", None),
        ("FAILED", 1),
    ]
