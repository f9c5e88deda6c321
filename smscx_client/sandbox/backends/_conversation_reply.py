"""A charged reply to a conversation: priced, paid and put in the outbox."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List

from smscx_client import text as sms_text
from smscx_client.sandbox import pricing
from smscx_client.sandbox.backends import _delivery
from smscx_client.sandbox.backends._outbox import text_analysis
from smscx_client.sandbox.records import Inbound, Message
from smscx_client.sandbox.state import money
from smscx_client.sandbox.wire import Ctx

__all__ = ["send_reply", "REPLY_WINDOW"]

# Viber and WhatsApp only allow a business reply within 24 hours of the contact's last message.
REPLY_WINDOW = 24 * 3600
_WINDOW_CODES = {"viber": 1181, "whatsapp": 1182}


def _charge(ctx: Ctx, cost: Decimal) -> None:
    account = ctx.account
    if not account.can_spend(cost):
        raise ctx.error(1114 if account.credit_limit > 0 else 1113)
    account.spend(cost)


def send_reply(
    ctx: Ctx, conv_id: str, number: str, country_iso: str, sender: str, channel: str, inbound: List[Inbound]
) -> Dict[str, Any]:
    """Send ``text`` (and ``richMedia``) to ``number`` on ``channel``; the reply response."""
    # text (1801 1802 1811), richMedia and idempotencyId (1111) are validated from the spec
    body: Dict[str, Any] = ctx.body
    text: str = body["text"]
    if not text.strip():
        raise ctx.error(1801)
    rich: Dict[str, Any] = body.get("richMedia", {}) if channel != "sms" else {}
    now = ctx.now()
    if channel in _WINDOW_CODES and now - inbound[-1].created_at > REPLY_WINDOW:
        raise ctx.error(_WINDOW_CODES[channel])
    analysis = sms_text.analyze(text)
    parts = analysis.parts if channel == "sms" else 1
    two_way = channel == "sms" and inbound[-1].rent_id is not None
    traffic = "2way" if two_way else "transactional"
    unit = pricing.price(channel, country_iso, traffic)
    if unit is None:
        raise ctx.error(1119)
    opted_out = ctx.account.is_opted_out(number)
    cost = money(0) if opted_out else money(unit * parts)
    _charge(ctx, cost)
    msg = Message(
        msg_id=ctx.state.new_id(),
        channel=channel,
        to=number,
        sender=sender[:15],
        text=text,
        parts=parts,
        cost=cost,
        status="REJECTED" if opted_out else "ACCEPTED",
        campaign_id=ctx.state.new_id(),
        country_iso=country_iso,
        created_at=now,
        traffic=traffic,
        unicode=analysis.unicode,
        length=analysis.length,
        conversation_id=conv_id,
        rich_media=rich,
    )
    ctx.account.messages[msg.msg_id] = msg
    if opted_out:
        msg.final_status = "REJECTED"
    else:
        _delivery.activate(ctx.state, [msg], now)
    return {"info": _info(msg), "data": _data(ctx, msg)}


def _info(msg: Message) -> Dict[str, Any]:
    return {
        "campaignId": msg.campaign_id,
        "totalPhoneNumbers": 1,
        "totalValid": 1,
        "totalInvalid": 0,
        "totalCost": float(msg.cost),
        "totalParts": msg.parts,
        "dlrCallbackUrl": None,
        "scheduled": False,
        "phoneNumbersByCountry": {msg.country_iso: 1},
    }


def _data(ctx: Ctx, msg: Message) -> Dict[str, Any]:
    common = {
        "msgId": msg.msg_id,
        "createdAt": ctx.clock.fmt(msg.created_at),
        "cost": float(msg.cost),
        "to": msg.to,
        "countryIso": msg.country_iso,
        "from": msg.sender,
        "text": msg.text,
        "parts": msg.parts,
    }
    if msg.channel == "sms":
        # DataConversationReply.status has no ACCEPTED/REJECTED
        return dict(common, status="FAILED" if msg.status == "REJECTED" else "SENT", textAnalysis=text_analysis(msg))
    return dict(common, status=msg.status, statusCode=msg.status_code, errorCode=msg.error_code, inQuietHours=False)
