"""MultichannelApi against the sandbox: failover strategies, their validation, charging per
channel started, the ttl, campaigns, estimates and deletion of scheduled sends."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List

import pytest
from support import (
    FR_MOBILE,
    FR_MOBILE_2,
    SMS_FR,
    VIBER,
    WHATSAPP,
    Receiver,
    add_group,
    add_template,
    api_fixture,
    expect_error,
    outbox,
    raw_call,
    set_balance,
)

from smscx_client.api.multichannel_api import MultichannelApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InsufficientBalanceException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    ResourceNotFoundException,
    TemplateNotApprovedException,
)
from smscx_client.model.send_multichannel_campaign_request import SendMultichannelCampaignRequest
from smscx_client.model.send_multichannel_campaign_request_estimate import (
    SendMultichannelCampaignRequestEstimate,
)
from smscx_client.model.send_multichannel_message_request import SendMultichannelMessageRequest
from smscx_client.model.send_multichannel_message_request_estimate import (
    SendMultichannelMessageRequestEstimate,
)
from smscx_client.model.strategy import Strategy
from smscx_client.sandbox import MAGIC_NUMBERS

mc = api_fixture(MultichannelApi)


@pytest.fixture
def tpls(smscx_sandbox: Any) -> Dict[str, int]:
    """Approved, locked templates: ``viber`` and ``whatsapp``."""
    return {c: add_template(smscx_sandbox, c, "{} says hi".format(c)) for c in ("viber", "whatsapp")}


def _strategy(tpls: Dict[str, int], *channels: str) -> List[Strategy]:
    return [
        Strategy(c, text="SMS says hi") if c == "sms" else Strategy(c, template_id=tpls[c]) for c in channels
    ]


def _body(tpls: Dict[str, int], **change: Any) -> Dict[str, Any]:
    body = {
        "to": [FR_MOBILE],
        "from": "Brand",
        "strategy": [
            {"channel": "viber", "templateId": tpls["viber"]},
            {"channel": "sms", "text": "SMS says hi"},
        ],
    }
    body.update(change)
    return {k: v for k, v in body.items() if v is not None}


def test_first_channel_is_used_and_charged(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]
) -> None:
    sb = smscx_sandbox
    res = mc.send_multichannel_message(
        SendMultichannelMessageRequest([FR_MOBILE, FR_MOBILE_2], "Brand", _strategy(tpls, "viber", "sms"))
    )
    info, item = res.info, res.data[0]
    assert (info.total_valid, info.total_parts, info.total_cost) == (2, 2, pytest.approx(2 * VIBER))
    assert (item.channel, item.text, item.parts, item.status, item.cost) == (
        "viber",
        "viber says hi",
        1,
        "ACCEPTED",
        VIBER,
    )
    assert sb.balance == pytest.approx(100 - 2 * VIBER)
    sb.advance(60)
    msg = outbox(sb, item.msg_id)
    assert (msg.channel, msg.route, msg.status, float(msg.cost)) == (
        "multichannel",
        "viber",
        "DELIVERED",
        VIBER,
    )
    assert sb.balance == pytest.approx(100 - 2 * VIBER)


def test_failed_channels_fall_back_to_sms(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int], receiver: Receiver
) -> None:
    sb = smscx_sandbox
    req = SendMultichannelMessageRequest(
        [MAGIC_NUMBERS["delivery_failed"]],
        "Brand",
        _strategy(tpls, "whatsapp", "viber", "sms"),
        dlr_callback_url=receiver.url,
    )
    item = mc.send_multichannel_message(req).data[0]
    assert (item.channel, item.cost) == ("whatsapp", WHATSAPP)
    sb.advance(60)
    msg = outbox(sb, item.msg_id)
    assert (msg.route, msg.status, msg.text, msg.parts) == ("sms", "DELIVERED", "SMS says hi", 1)
    assert float(msg.cost) == pytest.approx(WHATSAPP + VIBER + SMS_FR)
    assert sb.balance == pytest.approx(100 - WHATSAPP - VIBER - SMS_FR)
    receiver.wait(2)
    assert [e["status"] for e in receiver.dlr_entries(item.msg_id)] == ["SENT", "DELIVERED"]


def test_silent_channel_times_out_after_ttl(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]
) -> None:
    sb = smscx_sandbox
    req = SendMultichannelMessageRequest(
        [MAGIC_NUMBERS["no_final_report"]], "Brand", _strategy(tpls, "viber", "sms"), ttl=600
    )
    msg_id = mc.send_multichannel_message(req).data[0].msg_id
    sb.advance(590)
    assert (outbox(sb, msg_id).route, outbox(sb, msg_id).status) == ("viber", "SENT")
    sb.advance(20)
    msg = outbox(sb, msg_id)
    assert (msg.route, msg.status, float(msg.cost)) == ("sms", "SENT", pytest.approx(VIBER + SMS_FR))


def test_unpaid_failover_fails_the_message(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]
) -> None:
    sb = smscx_sandbox
    item = mc.send_multichannel_message(
        SendMultichannelMessageRequest(
            [MAGIC_NUMBERS["delivery_failed"]], "Brand", _strategy(tpls, "viber", "sms")
        )
    ).data[0]
    set_balance(sb, 0)
    sb.advance(60)
    msg = outbox(sb, item.msg_id)
    assert (msg.status, msg.error_code, msg.route) == ("FAILED", 2, "viber")


def test_failover_credit_is_checked_up_front(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]
) -> None:
    set_balance(smscx_sandbox, VIBER + SMS_FR / 2)
    req = SendMultichannelMessageRequest([FR_MOBILE], "Brand", _strategy(tpls, "viber", "sms"))
    expect_error(InsufficientBalanceException, 1130, mc.send_multichannel_message, req)
    set_balance(smscx_sandbox, VIBER / 2)
    expect_error(InsufficientBalanceException, 1113, mc.send_multichannel_message, req)
    assert smscx_sandbox.messages == []


@pytest.mark.parametrize(
    "strategy, code",
    [
        (None, 1120),
        ([], 1120),
        ("viber", 1120),
        ([{"channel": "email"}, {"channel": "sms", "text": "x"}], 1123),
        (["viber", "sms"], 1123),
        ([{"channel": "sms", "text": "x"}], 1121),
        (
            [
                {"channel": "viber", "templateId": 1},
                {"channel": "viber", "templateId": 1},
                {"channel": "sms", "text": "x"},
            ],
            1129,
        ),
        ([{"channel": "sms", "text": "x"}, {"channel": "viber", "templateId": 1}], 1122),
        ([{"channel": "viber"}, {"channel": "sms", "text": "x"}], 1126),
        ([{"channel": "viber", "templateId": "one"}, {"channel": "sms", "text": "x"}], 1127),
        ([{"channel": "viber", "templateId": 999}, {"channel": "sms", "text": "x"}], 1128),
        (
            [{"channel": "whatsapp", "templateId": 1}, {"channel": "sms", "text": "x"}],
            1128,
        ),  # 1 is the Viber one
        ([{"channel": "viber", "templateId": 1}, {"channel": "sms"}], 1107),
        ([{"channel": "viber", "templateId": 1}, {"channel": "sms", "text": ""}], 1107),
    ],
)
def test_strategy_errors(mc: MultichannelApi, tpls: Dict[str, int], strategy: Any, code: int) -> None:
    assert tpls["viber"] == 1
    for path in ("/multichannel", "/multichannel/estimate"):
        expect_error(InvalidRequestException, code, raw_call, mc.api_client, "POST", path, _body(tpls, strategy=strategy))


@pytest.mark.parametrize(
    "change, code",
    [
        ({"ttl": "abc"}, 1124),
        ({"ttl": True}, 1124),
        ({"ttl": 299}, 1125),
        ({"ttl": 1209601}, 1134),
        ({"from": "a" * 12}, 1106),
        ({"from": None}, 1105),
        ({"to": None}, 1104),
        ({"idempotencyId": "nope"}, 1111),
        ({"dlrCallbackUrl": "mailto:x@y.z"}, 1109),
    ],
)
def test_other_errors(mc: MultichannelApi, tpls: Dict[str, int], change: Any, code: int) -> None:
    expect_error(InvalidRequestException, code, raw_call, mc.api_client, "POST", "/multichannel", _body(tpls, **change))


def test_ttl_is_a_json_integer_and_numbers_are_checked(mc: MultichannelApi, tpls: Dict[str, int]) -> None:
    # the spec types ttl as an integer: a numeric string is refused with ttl's own row
    err = expect_error(InvalidRequestException, 1124, raw_call, mc.api_client, "POST", "/multichannel", _body(tpls, ttl="900"))
    assert "`ttl` must be an integer" in str(err.body)
    data, status, _ = raw_call(mc.api_client, "POST", "/multichannel", _body(tpls, ttl=900))
    assert status == 200 and data["data"][0]["channel"] == "viber"
    expect_error(InvalidPhoneNumberException, 1207, raw_call, mc.api_client, "POST", "/multichannel", _body(tpls, to=["+33"]))


def test_template_approval_and_inactive_channels(
    mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]
) -> None:
    sb = smscx_sandbox
    pending = add_template(sb, "viber", "pending", approved=False, locked=False)
    strategy = [Strategy("viber", template_id=pending), Strategy("sms", text="x")]
    expect_error(
        TemplateNotApprovedException,
        1132,
        mc.send_multichannel_message,
        SendMultichannelMessageRequest([FR_MOBILE], "Brand", strategy),
    )
    with sb.state.lock:
        sb.state.account.channels["whatsapp"] = False
    req = SendMultichannelMessageRequest([FR_MOBILE], "Brand", _strategy(tpls, "whatsapp", "sms"))
    expect_error(AccessDeniedException, 1131, mc.send_multichannel_message, req)


def test_campaign_and_estimates(mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]) -> None:
    sb = smscx_sandbox
    gid = add_group(sb, "All", [(FR_MOBILE, {}), (FR_MOBILE_2, {}), (FR_MOBILE_2, {})])
    strategy = _strategy(tpls, "whatsapp", "sms")
    est = mc.estimate_multichannel_message(
        SendMultichannelMessageRequestEstimate([FR_MOBILE], "Brand", strategy)
    )
    assert (est.info.total_cost, est.data[0].channel) == (pytest.approx(WHATSAPP), "whatsapp")
    est = mc.estimate_multichannel_campaign(SendMultichannelCampaignRequestEstimate([gid], "Brand", strategy))
    assert (est.info.total_phone_numbers, est.info.duplicates_removed, len(est.data)) == (3, 1, 2)
    assert sb.messages == [] and sb.balance == 100
    res = mc.send_multichannel_campaign(SendMultichannelCampaignRequest([gid], "Brand", strategy))
    assert [g.name for g in res.info.groups] == ["All"] and len(sb.messages) == 2
    assert sb.balance == pytest.approx(100 - 2 * WHATSAPP)
    expect_error(
        InvalidRequestException,
        1140,
        raw_call,
        mc.api_client,
        "POST",
        "/multichannel/campaign",
        _body(tpls, to=None, groups=[gid, 77]),
    )


def test_delete_scheduled(mc: MultichannelApi, smscx_sandbox: Any, tpls: Dict[str, int]) -> None:
    sb = smscx_sandbox
    when = datetime.fromtimestamp(int(sb.now() + 3600), tz=timezone.utc).replace(tzinfo=None)
    strategy = _strategy(tpls, "viber", "sms")
    one = mc.send_multichannel_message(
        SendMultichannelMessageRequest([FR_MOBILE], "Brand", strategy, scheduled_date=when)
    )
    info = mc.delete_scheduled_multichannel_message(one.data[0].msg_id).info
    assert (info.channel, info.credit_returned) == ("multichannel", pytest.approx(VIBER))
    gid = add_group(sb, "All", [(FR_MOBILE, {}), (FR_MOBILE_2, {})])
    camp = mc.send_multichannel_campaign(
        SendMultichannelCampaignRequest([gid], "Brand", strategy, scheduled_date=when)
    )
    out = mc.delete_scheduled_multichannel_campaign(camp.info.campaign_id).info
    assert (out.phone_numbers_deleted, out.credit_returned, out.channel) == (
        2,
        pytest.approx(2 * VIBER),
        "multichannel",
    )
    assert sb.balance == pytest.approx(100)
    expect_error(ResourceNotFoundException, 1150, mc.delete_scheduled_multichannel_campaign, camp.info.campaign_id)
    expect_error(
        InvalidRequestException,
        1155,
        raw_call,
        mc.api_client,
        "DELETE",
        "/multichannel/scheduled/campaign/x",
    )
