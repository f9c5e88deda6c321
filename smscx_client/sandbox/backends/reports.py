"""Reports: single messages, campaigns, the filtered (advanced) report, summaries and exports.

Everything is computed from the outbox (``account.messages``) at request time, so the numbers
always agree with it. A campaign is the set of messages sharing a ``campaign_id`` (every send
request gets one). Message dates are UTC days of the sandbox clock.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from typing import Any, Callable, Dict, List, Sequence, Tuple

from smscx_client.sandbox import exports
from smscx_client.sandbox.backends._outbox import report_channel, report_row, totals
from smscx_client.sandbox.backends._report_query import Window, message_filter, window
from smscx_client.sandbox.state import Message
from smscx_client.sandbox.wire import Ctx, Reply

_NO_PAGE = {"next": None, "previous": None, "size": 0}
_EXPORT_MAX = 10000
EXPORT_HEADER = (
    "msgId", "to", "countryIso", "from", "channel", "source", "text", "parts", "cost",
    "status", "statusCode", "errorCode", "createdAt", "updatedAt", "scheduledAt",
)  # fmt: skip

# Delivery buckets of the campaign `status` object and the delivery summary: messages in
# flight count as accepted, refused ones (opted out) as failed.
_BUCKETS = {
    "ACCEPTED": "accepted",
    "SENT": "accepted",
    "DELIVERED": "delivered",
    "FAILED": "failed",
    "REJECTED": "failed",
    "SCHEDULED": "scheduled",
    "NO COVERAGE": "noCoverage",
}
BUCKET_NAMES = ("accepted", "delivered", "failed", "scheduled", "noCoverage")


# -- helpers --------------------------------------------------------------------------------
def _campaigns(ctx: Ctx) -> "OrderedDict[str, List[Message]]":
    """Campaign id -> its messages in send order; campaigns in the order they were sent."""
    out: "OrderedDict[str, List[Message]]" = OrderedDict()
    for m in ctx.account.messages.values():
        out.setdefault(m.campaign_id, []).append(m)
    return out


def _campaign(ctx: Ctx, unknown: int) -> Tuple[str, List[Message]]:
    cid = ctx.path["campaignId"]  # a UUID: validated from the spec
    msgs = _campaigns(ctx).get(cid)
    if not msgs:
        raise ctx.error(unknown)
    return cid, msgs


def _campaign_name(ctx: Ctx, first: Message) -> str:
    # the API names campaigns in its web app; sends through the API carry no name
    return "Campaign " + ctx.clock.fmt(first.created_at)


def _groups(ctx: Ctx, cid: str) -> List[Dict[str, Any]]:
    """The groups a campaign went to, as the send pipeline recorded them (``account.campaigns``)."""
    record = ctx.account.campaigns.get(cid)
    groups = (record.groups if record is not None else None) or []
    return [{"id": g.id, "name": g.name, "phoneNumbers": g.phone_numbers} for g in groups]


def _status_counts(msgs: List[Message]) -> Dict[str, int]:
    counts = dict.fromkeys(BUCKET_NAMES, 0)
    for m in msgs:
        counts[_BUCKETS.get(m.status, "accepted")] += 1
    return counts


def _newest_first(ctx: Ctx, keep: Callable[[Message], bool]) -> List[Message]:
    return [m for m in reversed(list(ctx.account.messages.values())) if keep(m)]


def _rows(ctx: Ctx, msgs: List[Message]) -> List[Sequence[Any]]:
    out: List[Sequence[Any]] = []
    for m in msgs:
        row = dict(report_row(m, ctx.clock), parts=m.parts)
        out.append([row[k] for k in EXPORT_HEADER])
    return out


def _export_limit(ctx: Ctx, msgs: List[Message]) -> List[Message]:
    chunk, _ = ctx.page(msgs, default_limit=500, max_limit=_EXPORT_MAX)
    return chunk


# -- single and campaigns --------------------------------------------------------------------
def get_single_report(ctx: Ctx) -> Dict[str, Any]:
    """``GET /reports/single/{msgId}``."""
    m = ctx.account.messages.get(ctx.path["msgId"])  # a UUID: validated from the spec
    if m is None:
        raise ctx.error(1160)
    return {"data": report_row(m, ctx.clock)}


def get_campaigns_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /reports/campaigns``: newest first, optionally one source, with delivery counts."""
    source = ctx.query.get("source")  # one of the sources: validated from the spec
    with_status = ctx.flag("delivery_reports")
    items = [(cid, msgs) for cid, msgs in reversed(_campaigns(ctx).items()) if source in (None, msgs[0].source)]

    def render(item: Tuple[str, List[Message]]) -> Dict[str, Any]:
        cid, msgs = item
        first, sums = msgs[0], totals(msgs)
        out = {
            "id": cid,
            "name": _campaign_name(ctx, first),
            "from": first.sender,
            "groups": _groups(ctx, cid),
            "totalPhoneNumers": sums["phoneNumbers"],
            "parts": sums["parts"],
            "cost": sums["cost"],
            "text": first.text,
            "source": first.source,
            "channel": report_channel(first),
            "datetimeAdded": ctx.clock.fmt(first.created_at),
            "datetimeScheduled": ctx.clock.fmt(first.scheduled_at) if first.scheduled_at else None,
        }
        if with_status:
            out["status"] = _status_counts(msgs)
        return out

    data, paging = ctx.page(items, render)
    return {"info": {"totalCampaigns": len(items)}, "data": data, "paging": paging}


def get_campaign_report(ctx: Ctx) -> Dict[str, Any]:
    """``GET /reports/campaigns/{campaignId}``: summary plus one row per recipient."""
    cid, msgs = _campaign(ctx, 1150)
    sums = totals(msgs)
    info = {
        "campaignId": cid,
        "campaignName": _campaign_name(ctx, msgs[0]),
        "totalPhoneNumbers": sums["phoneNumbers"],
        "totalCost": sums["cost"],
        "totalParts": sums["parts"],
        "channel": msgs[0].channel,
    }
    if ctx.flag("short_response"):
        return {"info": info, "data": [], "paging": dict(_NO_PAGE)}
    data, paging = ctx.page(msgs, lambda m: report_row(m, ctx.clock))
    return {"info": info, "data": data, "paging": paging}


def export_campaign_report_to_csv(ctx: Ctx) -> Reply:
    """``GET /reports/campaigns/{campaignId}/csv``."""
    cid, msgs = _campaign(ctx, 1160)
    return exports.csv_reply("campaign-{}.csv".format(cid), EXPORT_HEADER, _rows(ctx, msgs))


def export_campaign_report_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /reports/campaigns/{campaignId}/xlsx``."""
    cid, msgs = _campaign(ctx, 1160)
    return exports.xlsx_reply("campaign-{}.xlsx".format(cid), EXPORT_HEADER, _rows(ctx, msgs), "Campaign")


# -- advanced report -------------------------------------------------------------------------
def _advanced(ctx: Ctx) -> Tuple[Window, List[Message]]:
    win = window(ctx)
    return win, _newest_first(ctx, message_filter(ctx, win))


def get_advanced_report(ctx: Ctx) -> Dict[str, Any]:
    """``GET /reports``: messages of a period or interval, filtered, newest first."""
    _, msgs = _advanced(ctx)
    sums = totals(msgs)
    info = {"totalPhoneNumbers": sums["phoneNumbers"], "totalCost": sums["cost"], "totalParts": sums["parts"]}
    if ctx.flag("short_response"):
        return {"info": info, "data": [], "paging": dict(_NO_PAGE)}
    data, paging = ctx.page(msgs, lambda m: report_row(m, ctx.clock))
    return {"info": info, "data": data, "paging": paging}


def _export_name(win: Window, ext: str) -> str:
    return "report-{}-{}.{}".format(win.first.isoformat(), win.last.isoformat(), ext)


def export_advanced_report_to_csv(ctx: Ctx) -> Reply:
    """``GET /reports/csv``: the advanced report's rows (at most ``limit``) as CSV."""
    win, msgs = _advanced(ctx)
    return exports.csv_reply(_export_name(win, "csv"), EXPORT_HEADER, _rows(ctx, _export_limit(ctx, msgs)))


def export_advanced_report_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /reports/xlsx``: the advanced report's rows (at most ``limit``) as XLSX."""
    win, msgs = _advanced(ctx)
    return exports.xlsx_reply(_export_name(win, "xlsx"), EXPORT_HEADER, _rows(ctx, _export_limit(ctx, msgs)), "Report")


# -- summaries -------------------------------------------------------------------------------
# The source summary's `value` enum names web-app sends `campaigns`.
_SUMMARY_SOURCE = {"webapp": "campaigns"}


def _summary_value(dimension: str, key: str, msgs: List[Message]) -> Dict[str, Any]:
    if dimension == "delivery":
        out: Dict[str, Any] = {b: {"parts": 0, "costParts": Decimal(0)} for b in BUCKET_NAMES}
        for m in msgs:
            cell = out[_BUCKETS.get(m.status, "accepted")]
            cell["parts"] += m.parts
            cell["costParts"] += m.cost
        return {b: {"parts": c["parts"], "costParts": float(c["costParts"])} for b, c in out.items()}
    sums = totals(msgs)
    value = {"phoneNumbers": sums["phoneNumbers"], "parts": sums["parts"], "costParts": sums["cost"]}
    if dimension in ("source", "channel"):
        return dict(value=key, **value)
    return value


def get_summary_reports(ctx: Ctx) -> Dict[str, Any]:
    """``GET /reports/summary/{dimension}``: totals keyed by source, channel, country or date.

    ``traffic`` and ``delivery`` are keyed by date (``YYYY-MM`` for a yearly period, else
    ``YYYY-MM-DD``); only keys with traffic appear, in ascending order.
    """
    dimension = ctx.path["dimension"]  # one of the five: validated from the spec (1829)
    win = window(ctx)
    clock = ctx.clock
    keyers: Dict[str, Callable[[Message], str]] = {
        "source": lambda m: _SUMMARY_SOURCE.get(m.source, m.source),
        "channel": lambda m: m.channel,
        "country": lambda m: m.country_iso,
        "traffic": lambda m: win.key(clock.utc(m.created_at).date()),
        "delivery": lambda m: win.key(clock.utc(m.created_at).date()),
    }
    keyer = keyers[dimension]
    grouped: Dict[str, List[Message]] = {}
    for m in ctx.account.messages.values():
        if win.first <= clock.utc(m.created_at).date() <= win.last:
            grouped.setdefault(keyer(m), []).append(m)
    keys, _ = ctx.page(sorted(grouped))
    return {"data": {k: _summary_value(dimension, k, grouped[k]) for k in keys}}
