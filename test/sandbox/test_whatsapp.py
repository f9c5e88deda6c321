"""WhatsappApi against the sandbox: template sends, estimates, scheduled deletion with refund,
the auto-reply inbound record, and the documented errors."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from support import FR_MOBILE, GB_MOBILE, WHATSAPP, add_template, api_fixture, expect_error, outbox, raw_call

from smscx_client.api.whatsapp_api import WhatsappApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InvalidRequestException,
    ResourceNotFoundException,
    TemplateNotApprovedException,
)
from smscx_client.model.send_whatsapp_message_request import SendWhatsappMessageRequest
from smscx_client.model.send_whatsapp_message_request_estimate import SendWhatsappMessageRequestEstimate
from smscx_client.sandbox import MAGIC_NUMBERS

wa = api_fixture(WhatsappApi)


@pytest.fixture
def tpl(smscx_sandbox: Any) -> int:
    """An approved, locked WhatsApp template."""
    return add_template(smscx_sandbox, "whatsapp", "Order {{order}} ships {{today}}")


def test_send_and_deliver(wa: WhatsappApi, smscx_sandbox: Any, tpl: int) -> None:
    sb = smscx_sandbox
    body = {
        "to": [FR_MOBILE, GB_MOBILE],
        "from": "Shop",
        "templateId": tpl,
        "customFields": {"order": "A-17"},
    }
    data, status, _ = raw_call(wa.api_client, "POST", "/whatsapp", body)
    assert status == 200
    info, first = data["info"], data["data"][0]
    assert (info["totalValid"], info["totalParts"], info["totalCost"], info["scheduled"]) == (
        2,
        2,
        2 * WHATSAPP,
        False,
    )
    assert first["text"].startswith("Order A-17 ships ") and (first["parts"], first["cost"]) == (1, WHATSAPP)
    assert sb.balance == pytest.approx(100 - 2 * WHATSAPP)
    res = wa.send_whatsapp_message(SendWhatsappMessageRequest([FR_MOBILE], "Shop", tpl, show_timezone=True))
    assert res.data[0].status == "ACCEPTED" and res.data[0].text.startswith("Order  ships ")
    assert res.data[0]["timezone"] == "Europe/Paris"
    sb.advance(60)
    msg = outbox(sb, res.data[0].msg_id)
    assert (msg.channel, msg.status) == ("whatsapp", "DELIVERED")


def test_estimate_does_not_send(wa: WhatsappApi, smscx_sandbox: Any, tpl: int) -> None:
    est = wa.estimate_whatsapp_message(
        SendWhatsappMessageRequestEstimate([FR_MOBILE], "Shop", tpl, no_text_details=True)
    )
    assert est.info.total_cost == pytest.approx(WHATSAPP) and "text" not in est.data[0].to_dict()
    assert smscx_sandbox.messages == [] and smscx_sandbox.balance == 100


def test_template_rules(wa: WhatsappApi, smscx_sandbox: Any) -> None:
    viber_tpl = add_template(smscx_sandbox, "viber", "Hi")
    expect_error(
        InvalidRequestException,
        1128,
        wa.send_whatsapp_message,
        SendWhatsappMessageRequest([FR_MOBILE], "Shop", viber_tpl),
    )
    pending = add_template(smscx_sandbox, "whatsapp", "Hi", approved=False, locked=False)
    expect_error(
        TemplateNotApprovedException,
        1132,
        wa.send_whatsapp_message,
        SendWhatsappMessageRequest([FR_MOBILE], "Shop", pending),
    )
    expect_error(
        InvalidRequestException, 1126, raw_call, wa.api_client, "POST", "/whatsapp", {"to": [FR_MOBILE], "from": "Shop"}
    )
    expect_error(
        InvalidRequestException,
        1127,
        raw_call,
        wa.api_client,
        "POST",
        "/whatsapp/estimate",
        {"to": [FR_MOBILE], "from": "Shop", "templateId": 1.5},
    )


def test_delete_scheduled_message(wa: WhatsappApi, smscx_sandbox: Any, tpl: int) -> None:
    sb = smscx_sandbox
    when = datetime.fromtimestamp(int(sb.now() + 900), tz=timezone.utc).replace(tzinfo=None)
    res = wa.send_whatsapp_message(SendWhatsappMessageRequest([FR_MOBILE], "Shop", tpl, scheduled_date=when))
    assert res.data[0].scheduled_at == when
    info = wa.delete_scheduled_whatsapp_message(res.data[0].msg_id).info
    assert (info.channel, info.parts, info.credit_returned) == ("whatsapp", 1, pytest.approx(WHATSAPP))
    assert sb.balance == pytest.approx(100)
    expect_error(ResourceNotFoundException, 1100, wa.delete_scheduled_whatsapp_message, res.data[0].msg_id)
    now = wa.send_whatsapp_message(SendWhatsappMessageRequest([FR_MOBILE], "Shop", tpl))
    expect_error(AccessDeniedException, 1118, wa.delete_scheduled_whatsapp_message, now.data[0].msg_id)


def test_auto_reply_arrives_on_whatsapp(wa: WhatsappApi, smscx_sandbox: Any, tpl: int) -> None:
    wa.send_whatsapp_message(SendWhatsappMessageRequest([MAGIC_NUMBERS["auto_reply"]], "Shop", tpl))
    smscx_sandbox.advance(10)
    (inbound,) = smscx_sandbox.state.account.inbound.values()
    assert (inbound.channel, inbound.sender, inbound.to) == (
        "whatsapp",
        MAGIC_NUMBERS["auto_reply"],
        "Shop",
    )
