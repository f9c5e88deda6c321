"""Read-only views of outbox messages (``state.Message``) shared by reports.py and conversations.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, Iterable, Optional

from smscx_client.sandbox.state import Clock, Message

__all__ = ["REPORT_CHANNELS", "report_channel", "updated_at", "report_row", "text_analysis", "totals"]

# The channels a message-level report may name (DataReports.channel has no `multichannel`).
REPORT_CHANNELS = ("sms", "viber", "whatsapp")


def report_channel(m: Message) -> str:
    """The channel a report names: a multichannel message shows the channel that carried it."""
    if m.channel in REPORT_CHANNELS:
        return m.channel
    used = m.route  # the strategy step the send pipeline is on
    return used if used in REPORT_CHANNELS else "sms"


def updated_at(m: Message) -> Optional[float]:
    """When the delivery pipeline last changed the status (None while nothing happened yet)."""
    return m.updated_at


def text_analysis(m: Message) -> Dict[str, Any]:
    """The ``TextAnalysis`` object of a message."""
    return {"length": m.length, "unicode": bool(m.unicode), "parts": max(1, m.parts)}


def report_row(m: Message, clock: Clock) -> Dict[str, Any]:
    """A message as ``DataReports`` / ``DataReportCampaign`` (the same fields)."""
    changed = updated_at(m)
    return {
        "msgId": m.msg_id,
        "status": m.status,
        "statusCode": m.status_code,
        "errorCode": m.error_code,
        "inQuietHours": m.in_quiet_hours,
        "createdAt": clock.fmt(m.created_at),
        "updatedAt": clock.fmt(changed) if changed is not None else None,
        "cost": float(m.cost),
        "to": m.to,
        "countryIso": m.country_iso,
        "from": m.sender,
        "text": m.text,
        "source": m.source if m.source in ("api", "webapp", "smpp", "plugin", "alerts", "excel") else "api",
        "channel": report_channel(m),
        "textAnalysis": text_analysis(m),
        "scheduledAt": clock.fmt(m.scheduled_at) if m.scheduled_at else None,
    }


def totals(messages: Iterable[Message]) -> Dict[str, Any]:
    """Recipients, parts and cost of some messages (cost as a float for JSON)."""
    count = parts = 0
    cost = Decimal(0)
    for m in messages:
        count += 1
        parts += m.parts
        cost += m.cost
    return {"phoneNumbers": count, "parts": parts, "cost": float(cost)}
