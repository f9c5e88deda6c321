"""The send pipeline of sms.py, viber.py, whatsapp.py and multichannel.py.

``run(ctx, channel, make_content, campaign=..., estimate=...)`` reads the common fields of a send
(validated from the spec before it runs: recipients, ``from``, ``scheduledDate``, ``dlrCallbackUrl``,
``idempotencyId``, flags), asks the channel for its ``Content`` (_content.py), resolves and deduplicates the recipients,
prices each message, refuses what the balance cannot pay, and then -- unless it is an estimate
-- deducts the total once, puts every message in the outbox (``account.messages``) and hands them
to _delivery.py. Deleting scheduled messages and campaigns (with a refund) is here too.

Records this module writes besides the outbox: ``account.campaigns`` (a ``records.Campaign`` per
send request) and ``account.links`` (a ``records.Link`` per recipient of a ``{{shortlink:ID}}``,
``{{attachement:ID}}`` or ``{{optoutLink}}`` URL, keyed by its code).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from smscx_client.phones import normalize
from smscx_client.sandbox import phones, textproc
from smscx_client.sandbox.backends import _delivery, _timing
from smscx_client.sandbox.backends._content import Content, Piece
from smscx_client.sandbox.backends.applications import section
from smscx_client.sandbox.magic import MAGIC_NUMBERS
from smscx_client.sandbox.records import Campaign, CampaignGroup, Contact, Group, Link, Message
from smscx_client.sandbox.state import money
from smscx_client.sandbox.wire import Ctx

__all__ = ["run", "delete_scheduled_message", "delete_scheduled_campaign", "LINK_HOST", "MAX_NUMBERS"]

MAX_NUMBERS = 25000
LINK_HOST = "https://sandbox.test"  # a reserved test domain, as shortlinks.py uses
_CODE_CHARS = string.ascii_letters + string.digits

MakeContent = Callable[[Ctx, Dict[str, Any], str, random.Random], Content]


@dataclass
class Target:
    """A destination: its E.164 number, country and the fields its placeholders may use."""

    e164: str
    country: str
    fields: Dict[str, str] = field(default_factory=dict)
    _zone: Optional[str] = None

    def zone(self) -> str:
        """The IANA time zone of the number ('' when unknown)."""
        if self._zone is None:
            import phonenumbers
            from phonenumbers import timezone as tz

            try:
                zones = tz.time_zones_for_number(phonenumbers.parse(self.e164))
            except phonenumbers.NumberParseException:
                zones = ()
            self._zone = zones[0] if zones and zones[0] != "Etc/Unknown" else ""
        return self._zone


@dataclass
class Order:
    """The validated common part of a send or estimate request."""

    channel: str
    campaign: bool
    sender: str
    dlr_url: Optional[str]
    track: Optional[str]
    when: Optional[datetime]
    region: Optional[str]
    is_utc: bool
    allow_invalid: bool
    short: bool
    no_text: bool
    show_zone: bool
    total: int = 0
    invalid: List[str] = field(default_factory=list)
    duplicates: int = 0
    targets: List[Target] = field(default_factory=list)
    groups: Optional[List[CampaignGroup]] = None


# -- reading the request ---------------------------------------------------------------------
# Types, lengths, forms and ranges of every field (to, groups, from, countryIso, scheduledDate,
# dlrCallbackUrl, idempotencyId, trackData, the flags) are validated from the spec before a
# backend runs; what is left here is what the spec cannot say.
def read_order(ctx: Ctx, channel: str, campaign: bool) -> Tuple[Order, Dict[str, Any]]:
    """The common fields of a send/estimate body; recipients are resolved later."""
    body: Dict[str, Any] = ctx.body
    if not campaign and not any(body["to"]):
        raise ctx.error(1104)  # only empty strings: nobody to send to
    if not body["from"].strip():
        raise ctx.error(1105)
    country = body.get("countryIso")
    order = Order(
        channel=channel,
        campaign=campaign,
        sender=body["from"],
        dlr_url=body.get("dlrCallbackUrl"),
        track=body.get("trackData"),
        when=_timing.parse_date(ctx, body.get("scheduledDate")),
        region=country.upper() if country else None,
        is_utc=body.get("isUtc", True),
        allow_invalid=body.get("allowInvalid", False),
        short=body.get("shortResponse", False),
        no_text=body.get("noTextDetails", False),
        show_zone=body.get("showTimezone", False),
    )
    return order, body


# -- recipients ------------------------------------------------------------------------------
def _parse_number(raw: str, region: Optional[str]) -> Optional[Tuple[str, str]]:
    """(E.164, country) of a valid geographic number, else None."""
    phone = phones.parse(raw, region)
    if not phone.valid or len(phone.country_iso) != 2:
        return None  # non-geographic numbers (+800, +882...) have no country to price
    return phone.e164, phone.country_iso


def _numbers(ctx: Ctx, order: Order, body: Dict[str, Any]) -> None:
    """Resolve ``to`` by the public ``normalize``: invalid numbers are an error (1207 alone, 1210
    among others) unless ``allowInvalid``; duplicates are dropped."""
    found = normalize(body["to"], order.region)
    order.invalid = [bad.number for bad in found.invalid]
    order.total = found.total
    order.duplicates = found.duplicates
    if found.error_code is not None and (not order.allow_invalid or not found.numbers):
        raise ctx.error(found.error_code, invalid=order.invalid)
    order.targets = [Target(number, country) for number, country in found.countries.items()]


def _contact_fields(contact: Contact) -> Dict[str, str]:
    fields = {k: v for k, v in contact.details().items() if v is not None and v != ""}
    for k, v in contact.custom_fields.items():
        fields.setdefault(str(k), "" if v is None else str(v))
    return fields


def _groups(ctx: Ctx, order: Order, body: Dict[str, Any]) -> None:
    """Resolve ``groups`` (1140 unknown group, 1102 nobody to send to, 1103 too many)."""
    groups: List[Group] = []
    for gid in body["groups"]:
        group = ctx.account.groups.get(gid)
        if group is None:
            raise ctx.error(1140)
        groups.append(group)
    contacts = [c for g in groups for c in g.contacts.values()]
    if not contacts:
        raise ctx.error(1102)
    if len(contacts) > MAX_NUMBERS:  # the groups hold more than one request may name
        raise ctx.error(1103)
    seen: Dict[str, Target] = {}
    for c in contacts:
        # contacts were validated when added: trust their E.164 and country when present
        number, country = c.phone_number, c.country_iso
        parsed: Optional[Tuple[str, str]]
        if number.startswith("+") and len(country) == 2:
            parsed = (number, country)
        else:
            parsed = _parse_number(number, None)
        if parsed is None:
            order.invalid.append(number)
        elif parsed[0] not in seen:
            seen[parsed[0]] = Target(parsed[0], parsed[1].upper(), _contact_fields(c))
    if not seen:
        raise ctx.error(1102)
    order.total = len(contacts)
    order.duplicates = order.total - len(order.invalid) - len(seen)
    order.targets = list(seen.values())
    order.groups = [CampaignGroup(g.id, g.name, len(g.contacts)) for g in groups]


# -- links -----------------------------------------------------------------------------------
class _Links:
    """Per-recipient tracked URLs, registered once the request succeeds."""

    def __init__(self, ctx: Ctx, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.pending: List[Link] = []
        self._bases: Dict[Tuple[str, str], str] = {}

    def _base(self, kind: str, ident: str) -> str:
        key = (kind, ident)
        if key not in self._bases:
            account = self.ctx.account
            rec = (account.shortlinks if kind == "shortlink" else account.attachments).get(ident)
            self._bases[key] = (rec.short_url if rec is not None else "") or "{}/{}".format(LINK_HOST, ident)
        return self._bases[key]

    def maker(self, msg_id: str, e164: str) -> Callable[[str, str], str]:
        """The ``link(kind, id)`` function for one recipient."""

        def link(kind: str, ident: str) -> str:
            code = "".join(self.rng.choice(_CODE_CHARS) for _ in range(6))
            url = (
                "{}/o/{}".format(LINK_HOST, code)
                if kind == "optout"
                else "{}/{}".format(self._base(kind, ident), code)
            )
            self.pending.append(Link(code, kind, ident or None, url, msg_id, e164))
            return url

        return link


# -- the pipeline ----------------------------------------------------------------------------
@dataclass
class _Row:
    target: Target
    msg_id: str
    piece: Piece
    status: str
    cost: Decimal
    send_at: Optional[float]
    quiet: bool


def _app_setting(ctx: Ctx, name: str, key: str) -> Any:
    """An application setting of a channel section (None when there is none)."""
    try:
        return section(ctx.account, name).get(key)
    except (KeyError, TypeError, AttributeError):
        return None


def _status(piece: Piece, target: Target, opted: Set[str], scheduled: bool) -> Tuple[str, Decimal]:
    if piece.unit is None or target.e164 == MAGIC_NUMBERS["no_coverage"]:
        return "NO COVERAGE", Decimal(0)
    if target.e164 in opted:
        return "REJECTED", Decimal(0)
    return ("SCHEDULED" if scheduled else "ACCEPTED"), piece.cost


def _check_credit(ctx: Ctx, total: Decimal, failover: Decimal) -> None:
    """1113 (or 1114 on a credit limit) when the balance cannot pay; 1130 for the failover."""
    account = ctx.account
    if not account.can_spend(total):
        raise ctx.error(1114 if account.credit_limit > 0 else 1113)
    if failover and not account.can_spend(total + failover):
        raise ctx.error(1130)


def run(
    ctx: Ctx,
    channel: str,
    make_content: MakeContent,
    campaign: bool = False,
    estimate: bool = False,
) -> Dict[str, Any]:
    """Check, price and (unless ``estimate``) send; returns the documented response body."""
    order, body = read_order(ctx, channel, campaign)
    rng = random.Random()
    now = ctx.now()
    content = make_content(ctx, body, textproc.today(ctx.clock.utc(now)), rng)
    (_groups if campaign else _numbers)(ctx, order, body)
    if order.dlr_url is None:
        order.dlr_url = _app_setting(ctx, channel, "dlrCallback") or None
    window = _timing.quiet_window(_app_setting(ctx, channel, "quietHours"))
    times = _timing.send_times(ctx, order.when, order.is_utc, order.targets, window)
    opted = ctx.account.opted_out_numbers()
    links = _Links(ctx, rng)
    rows: List[_Row] = []
    for target, (send_at, quiet) in zip(order.targets, times):
        msg_id = ctx.state.new_id()
        piece = content.compose(target.fields, target.country, links.maker(msg_id, target.e164))
        status, cost = _status(piece, target, opted, send_at is not None)
        rows.append(_Row(target, msg_id, piece, status, cost, send_at, quiet))
    if all(r.status == "NO COVERAGE" for r in rows):
        raise ctx.error(1119)
    total = sum((r.cost for r in rows), Decimal(0))
    failover = sum((r.piece.failover for r in rows if r.cost), Decimal(0))
    _check_credit(ctx, total, failover)
    campaign_id = ctx.state.new_id()
    if not estimate:
        _commit(ctx, order, rows, campaign_id, total, links, now)
    return _response(ctx, order, content, rows, campaign_id, total, now)


def _commit(
    ctx: Ctx,
    order: Order,
    rows: List[_Row],
    campaign_id: str,
    total: Decimal,
    links: _Links,
    now: float,
) -> None:
    """Charge once, fill the outbox, start delivery, remember the campaign and its links."""
    account, state = ctx.account, ctx.state
    account.spend(total)
    accepted: List[Message] = []
    scheduled: List[Message] = []
    for r in rows:
        p = r.piece
        msg = Message(
            msg_id=r.msg_id,
            channel=order.channel,
            to=r.target.e164,
            sender=order.sender,
            text=p.text,
            parts=p.parts,
            cost=r.cost,
            status=r.status,
            campaign_id=campaign_id,
            country_iso=r.target.country,
            created_at=now,
            scheduled_at=r.send_at,
            dlr_callback_url=order.dlr_url,
            track_data=order.track,
            unicode=p.analysis.unicode,
            length=p.analysis.length,
            in_quiet_hours=r.quiet,
            strategy=p.strategy,
            route=p.strategy[0].channel if p.strategy else None,
            ttl=p.ttl,
        )
        account.messages[msg.msg_id] = msg
        if r.status == "ACCEPTED":
            accepted.append(msg)
        elif r.status == "SCHEDULED":
            scheduled.append(msg)
        else:
            msg.final_status = r.status  # REJECTED and NO COVERAGE never change
    _delivery.activate(state, accepted, now)
    _delivery.schedule_activation(state, scheduled)
    for link in links.pending:
        link.campaign_id, link.created_at = campaign_id, now
        account.links.insert(link, link.code)
    first = rows[0].piece if rows else None
    campaign = Campaign(
        campaign_id=campaign_id,
        channel=order.channel,
        kind="campaign" if order.campaign else "message",
        groups=order.groups,
        sender=order.sender,
        text=first.text if first else "",
        total_phone_numbers=order.total,
        total_valid=order.total - len(order.invalid),
        total_invalid=len(order.invalid),
        duplicates_removed=order.duplicates,
        total_cost=total,
        dlr_callback_url=order.dlr_url,
        scheduled_at=min((r.send_at for r in rows if r.send_at), default=None),
        created_at=now,
    )
    account.campaigns.insert(campaign, campaign_id)


def _item(ctx: Ctx, order: Order, row: _Row, created: str) -> Dict[str, Any]:
    p = row.piece
    item: Dict[str, Any] = {
        "msgId": row.msg_id,
        "status": row.status,
        "statusCode": Message.STATUS_CODES[row.status],
        "errorCode": None,
        "createdAt": created,
        "inQuietHours": row.quiet,
        "cost": float(row.cost),
        "to": row.target.e164,
        "countryIso": row.target.country,
        "from": order.sender,
        "text": p.text,
        "parts": p.parts,
    }
    item.update(p.item)
    if order.no_text:
        item.pop("text")
        item.pop("textAnalysis", None)
    if order.track:
        item["trackData"] = order.track
    if row.send_at is not None:
        item["scheduledAt"] = ctx.clock.fmt(row.send_at)
    if order.show_zone:
        item["timezone"] = row.target.zone()
    return item


def _response(
    ctx: Ctx, order: Order, content: Content, rows: List[_Row], campaign_id: str, total: Decimal, now: float
) -> Dict[str, Any]:
    info: Dict[str, Any] = {
        "campaignId": campaign_id,
        "totalPhoneNumbers": order.total,
        "totalValid": order.total - len(order.invalid),
        "totalInvalid": len(order.invalid),
        "totalCost": float(money(total)),
        "totalParts": sum(r.piece.parts for r in rows),
        "dlrCallbackUrl": order.dlr_url,
        "scheduled": any(r.send_at is not None for r in rows),
        "totalInQuietHours": sum(1 for r in rows if r.quiet),
    }
    if order.campaign:
        info["duplicatesRemoved"] = order.duplicates
        info["groups"] = [{"id": g.id, "name": g.name, "phoneNumbers": g.phone_numbers} for g in order.groups or []]
    if order.allow_invalid and not order.campaign:
        info["invalid"] = list(order.invalid)
    info.update(content.info([(r.piece, bool(r.cost)) for r in rows]))
    created = ctx.clock.fmt(now)
    data = [] if order.short else [_item(ctx, order, r, created) for r in rows]
    return {"info": info, "data": data}


# -- deleting scheduled messages ---------------------------------------------------------------
def delete_scheduled_message(ctx: Ctx, channel: str) -> Dict[str, Any]:
    """``DELETE /{channel}/scheduled/{msgId}``: cancel and refund (1100 1118; the form, 1115, is
    validated from the spec)."""
    msg_id = ctx.path["msgId"]
    msg = ctx.account.messages.get(msg_id)
    if msg is None or msg.channel != channel:
        raise ctx.error(1100)
    if msg.status != "SCHEDULED":
        raise ctx.error(1118)
    del ctx.account.messages[msg_id]
    ctx.account.refund(msg.cost)
    return {
        "info": {"msgId": msg_id, "parts": msg.parts, "creditReturned": float(msg.cost), "channel": channel}
    }


def delete_scheduled_campaign(ctx: Ctx, channel: str) -> Dict[str, Any]:
    """``DELETE /{channel}/scheduled/campaign/{campaignId}``: cancel what is still scheduled
    and refund it (1150 1118; the form, 1155, is validated from the spec)."""
    campaign_id = ctx.path["campaignId"]
    msgs = [m for m in ctx.account.messages.values() if m.campaign_id == campaign_id and m.channel == channel]
    if not msgs:
        raise ctx.error(1150)
    pending = [m for m in msgs if m.status == "SCHEDULED"]
    if not pending:
        raise ctx.error(1118)
    refund = money(sum((m.cost for m in pending), Decimal(0)))
    for m in pending:
        del ctx.account.messages[m.msg_id]
    ctx.account.refund(refund)
    return {
        "info": {
            "campaignId": campaign_id,
            "totalPhoneNumbers": len(msgs),
            "totalParts": sum(m.parts for m in msgs),
            "phoneNumbersDeleted": len(pending),
            "partsDeleted": sum(m.parts for m in pending),
            "creditReturned": float(refund),
            "channel": channel,
        }
    }
