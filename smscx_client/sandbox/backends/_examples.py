"""The example records: one of each kind of record, under the fixed ids of ``magic.EXAMPLE_IDS``.

The spec's ``example`` values name these ids, so every generated script under ``examples/`` runs
against a sandbox holding them without any setup. ``seed(state)`` puts them in place on every
reset, after the owning backends seeded theirs, as ``records.py`` types them, with the owners'
helpers where they have one:

* group 1 "Customers": Jean Dupont (+33612345678, ``phoneNumberId``), Marie Martin
  (+33687654321) and Luc Bernard (+33600000002, the ``delivery_failed`` magic number);
* templates 1 (SMS, editable), 2 (Viber) and 3 (WhatsApp), both approved and locked;
* originator 2 "MyBrand" (approved, not the default) and opt-out 1 (+33655512345);
* an SMS campaign to group 1 sent on ``HISTORY_AT`` (2024-06-12 09:30:00 UTC): two messages
  DELIVERED, Luc's FAILED; ``msgId`` is Jean's message;
* scheduled sends, due ``SCHEDULE_AFTER`` seconds after the reset: an SMS, a Viber and a
  multichannel campaign of two messages each, and one WhatsApp message;
* Jean's reply to the campaign, ten minutes before the reset (the SMS conversation);
* a PENDING OTP to Jean (PIN ``otpPin``), a 30-day rental of the first FR offer, a finished bulk
  lookup of three numbers, a short link with one hit, and an attachment.

Sandbox choices: the example records cost nothing (the balance stays the configured one, so
cancelling a seeded scheduled send or rental refunds money that was never taken), and they come
with no callback URLs.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, List, Optional, Tuple

from smscx_client import text
from smscx_client.sandbox import phones, pricing
from smscx_client.sandbox.backends import (
    _delivery,
    _hits,
    _lookup,
    _rent,
    groups,
    originators,
    otp,
    templates,
)
from smscx_client.sandbox.backends._rent_catalog import find, offers
from smscx_client.sandbox.magic import EXAMPLE_IDS, MAGIC_NUMBERS
from smscx_client.sandbox.records import (
    Attachment,
    Campaign,
    CampaignGroup,
    Group,
    LookupBulk,
    Message,
    Otp,
    RentedNumber,
    RichMedia,
    Shortlink,
    StrategyStep,
    Template,
)
from smscx_client.sandbox.state import SandboxState, money

__all__ = ["seed", "HISTORY_AT", "SCHEDULE_AFTER", "SENDER"]

HISTORY_AT = datetime(2024, 6, 12, 9, 30, tzinfo=timezone.utc).timestamp()
SCHEDULE_AFTER = 7 * 86400.0
SENDER = "MyBrand"
JEAN = "+33612345678"
CONTACTS = [
    (JEAN, "Jean", "Dupont", "jean.dupont@example.com"),
    ("+33687654321", "Marie", "Martin", "marie.martin@example.com"),
    (MAGIC_NUMBERS["delivery_failed"], "Luc", "Bernard", None),
]
CAMPAIGN_TEXT = "Hi {}, your June order has shipped. Track it at https://example.com/track"
SMS_TEXT = "Our summer sale starts on Monday: 20% off everything."
TEMPLATE_TEXT = "Your order is on its way. Reply here if you need anything."  # Viber, WhatsApp


def _id(key: str) -> Any:
    return EXAMPLE_IDS[key]


def _sibling(base: str, n: int) -> str:
    """A fixed id for a record next to an example one (another message of the same campaign)."""
    return "{}-0000-4000-8000-{:012d}".format(base[:8], n)


def _check(key: str, got: Any) -> None:
    """The seed relies on fresh tables; fail loudly if a backend's own seed took the id."""
    if got != _id(key):
        raise RuntimeError("example record {} got id {!r}, not {!r}".format(key, got, _id(key)))


# -- contacts, templates, senders, opt-outs ----------------------------------------------------------
def _group(state: SandboxState, now: float) -> None:
    store = state.account.groups
    group = Group(store.next_id(), "Customers", now)
    _check("groupId", group.id)
    for i, (number, first, last, email) in enumerate(CONTACTS):
        details = {"firstName": first, "lastName": last, "email": email}
        contact = groups.new_contact(phones.parse(number), details, now)
        contact.phone_number_id = _id("phoneNumberId") if number == JEAN else _sibling(_id("phoneNumberId"), i)
        group.contacts[contact.phone_number_id] = contact
    store.insert(group, group.id)


def _templates(state: SandboxState, now: float) -> None:
    store = state.account.templates
    for key, name, body, channel in (
        ("templateId", "Order shipped", "Hi {{firstName}}, your order has shipped.", "sms"),
        ("viberTemplateId", "Order on its way (Viber)", TEMPLATE_TEXT, "viber"),
        ("whatsappTemplateId", "Order on its way (WhatsApp)", TEMPLATE_TEXT, "whatsapp"),
    ):
        media = RichMedia()
        # SMS templates are approved at once and never locked; these two passed review
        rec = Template(
            store.next_id(), name, body, channel, templates.media_type(channel, media), media, now,
            approved=True, locked=channel != "sms",
        )  # fmt: skip
        _check(key, rec.id)
        store.insert(rec, rec.id)


def _sender_and_optout(state: SandboxState, now: float) -> None:
    rec = originators.add_originator(state.account, SENDER, "APPROVED", False, now)
    _check("originatorId", rec.id)
    optout = state.account.add_optout("+33655512345", "FR", now, source="api")
    _check("optoutId", optout.id)


# -- messages ----------------------------------------------------------------------------------------
def _message(
    msg_id: str, channel: str, to: str, body: str, campaign_id: str, at: float, scheduled_at: Optional[float]
) -> Message:
    """An outbox entry priced like a send to ``to`` (Viber/WhatsApp/multichannel: one message)."""
    phone = phones.parse(to)
    analysis = text.analyze(body)
    parts = analysis.parts if channel == "sms" else 1
    unit = pricing.price("viber" if channel == "multichannel" else channel, phone.country_iso) or Decimal(0)
    return Message(
        msg_id=msg_id,
        channel=channel,
        to=phone.e164,
        sender=SENDER,
        text=body,
        parts=parts,
        cost=money(unit * parts),
        status="SCHEDULED" if scheduled_at is not None else "ACCEPTED",
        campaign_id=campaign_id,
        country_iso=phone.country_iso,
        created_at=at,
        scheduled_at=scheduled_at,
        unicode=analysis.unicode,
        length=analysis.length,
    )


def _campaign_record(state: SandboxState, msgs: List[Message], kind: str, at: float) -> None:
    """The ``Campaign`` record the send pipeline (``_messaging``) keeps for a send."""
    first = msgs[0]
    group = state.account.groups.get(_id("groupId"))
    campaign = Campaign(
        campaign_id=first.campaign_id,
        channel=first.channel,
        kind=kind,
        groups=[CampaignGroup(group.id, group.name, len(group.contacts))]
        if kind == "campaign" and group is not None
        else None,
        sender=SENDER,
        text=first.text,
        total_phone_numbers=len(msgs),
        total_valid=len(msgs),
        total_invalid=0,
        duplicates_removed=0,
        total_cost=sum((m.cost for m in msgs), Decimal(0)),
        dlr_callback_url=None,
        scheduled_at=first.scheduled_at,
        created_at=at,
    )
    state.account.campaigns.insert(campaign, first.campaign_id)


def _sent_campaign(state: SandboxState) -> None:
    msgs = []
    for i, (number, first, _, _) in enumerate(CONTACTS):
        msg_id = _id("msgId") if number == JEAN else _sibling(_id("campaignId"), i)
        msgs.append(
            _message(msg_id, "sms", number, CAMPAIGN_TEXT.format(first), _id("campaignId"), HISTORY_AT, None)
        )
    for m in msgs:
        state.account.messages[m.msg_id] = m
    _campaign_record(state, msgs, "campaign", HISTORY_AT)
    _delivery.activate(state, msgs, HISTORY_AT)  # long due: DELIVERED/FAILED at the next tick


def _strategy(msg: Message) -> None:
    """Multichannel: Viber (template 2's text) first, then SMS, as ``_content`` prepares it."""
    sms = money(pricing.price("sms", msg.country_iso) or 0)
    msg.strategy = [
        StrategyStep("viber", msg.text, 1, msg.cost),
        StrategyStep("sms", SMS_TEXT, text.analyze(SMS_TEXT).parts, sms),
    ]
    msg.step, msg.route, msg.ttl = 0, "viber", 3600


def _scheduled(state: SandboxState, now: float) -> None:
    when = now + SCHEDULE_AFTER
    sends: List[Tuple[str, str, Optional[str], str, str]] = [
        ("sms", "smsScheduledMsgId", "smsScheduledCampaignId", SMS_TEXT, "campaign"),
        ("viber", "viberScheduledMsgId", "viberScheduledCampaignId", TEMPLATE_TEXT, "campaign"),
        (
            "multichannel",
            "multichannelScheduledMsgId",
            "multichannelScheduledCampaignId",
            TEMPLATE_TEXT,
            "campaign",
        ),
        ("whatsapp", "whatsappScheduledMsgId", None, TEMPLATE_TEXT, "message"),
    ]
    for channel, msg_key, campaign_key, body, kind in sends:
        campaign_id = _id(campaign_key) if campaign_key else _sibling(_id(msg_key), 1)
        numbers = [c[0] for c in CONTACTS[:2]] if kind == "campaign" else [JEAN]
        msgs = []
        for i, number in enumerate(numbers):
            msg_id = _id(msg_key) if i == 0 else _sibling(campaign_id, 2)
            msgs.append(_message(msg_id, channel, number, body, campaign_id, now, when))
        for m in msgs:
            if channel == "multichannel":
                _strategy(m)
            state.account.messages[m.msg_id] = m
        _campaign_record(state, msgs, kind, now)
        _delivery.schedule_activation(state, msgs)


def _conversation(state: SandboxState, now: float) -> None:
    """Jean answered the campaign: an inbound SMS makes the conversation."""
    state.account.add_inbound(
        "68048c0c-d682-413c-9ed9-2fa12487895b", JEAN, SENDER, "Thanks! Can you deliver on Friday instead?", "sms",
        "FR", now - 600,
    )  # fmt: skip


# -- OTP, numbers, links --------------------------------------------------------------------------------
def _otp(state: SandboxState, now: float) -> None:
    ttl = 1800
    rec = Otp(
        otp_id=_id("otpId"),
        track_id=None,
        phone_number=JEAN,
        country_iso="FR",
        status="PENDING",
        cost=pricing.price("sms", "FR") or Decimal(0),
        parts=1,
        max_attempts=3,
        ttl=ttl,
        otp_callback_url=None,
        created_at=now,
        expires_at=now + ttl,
        pin=_id("otpPin"),
        msg_id=None,  # its SMS is not in the outbox
    )
    state.account.otps.insert(rec, rec.otp_id)
    otp.expire_later(state, rec)


def _rental(state: SandboxState, now: float) -> None:
    offer = offers("FR")[0]
    price = pricing.rent_price("FR", 30)
    rec = RentedNumber(
        rent_id=_id("rentId"),
        offer=offer,
        rent_period=30,
        rent_cost=price,
        paid=price,
        setup_cost=offer.setup_cost,
        rent_start=now,
        rent_end=now + 30 * _rent.DAY,
        created_at=now,
        callback_url=None,
        auto_renew=False,
        approved=not offer.registration,
    )
    state.account.rentals.insert(rec, rec.rent_id)
    _rent.expire_later(state, rec)
    offered = find(_id("numberId"))
    if offered is None or offered.number_id == offer.number_id:
        raise RuntimeError("EXAMPLE_IDS['numberId'] is not an FR offer free to rent")


def _bulk_lookup(state: SandboxState, now: float) -> None:
    numbers = [JEAN, MAGIC_NUMBERS["lookup_ported"], MAGIC_NUMBERS["lookup_unreachable"]]
    bulk_id = _id("lookupBulkId")
    items = []
    for i, number in enumerate(numbers):
        lookup_id = _id("lookupId") if number == JEAN else _sibling(bulk_id, i)
        items.append((lookup_id, phones.parse(number), pricing.LOOKUP_PRICE))
    bulk = LookupBulk(
        id=bulk_id,
        created_at=now,
        total=len(numbers),
        valid=len(numbers),
        cost=money(pricing.LOOKUP_PRICE * len(numbers)),
        countries=[p.country_iso for _, p, _ in items],
        callback_url=None,
    )
    state.account.lookup_bulks.insert(bulk, bulk_id)
    _lookup.finish_later(state, bulk_id, items, now, now)  # done at the next tick


def _links(state: SandboxState, now: float) -> None:
    short_id = _id("shortId")
    link = Shortlink(short_id, "June sale", "https://example.com/sale/june", _hits.LINK_BASE + short_id, now)
    state.account.shortlinks.insert(link, short_id)
    _hits.record_hit(state, link, {"phoneNumber": JEAN, "campaignId": _id("campaignId")}, None, "shortlink_hit")
    key = _id("attachmentId")
    attachment = Attachment(
        key,
        "price-list.pdf",
        "{}files/{}/price-list.pdf".format(_hits.LINK_BASE, key),
        "application/pdf",
        _hits.LINK_BASE + "a/" + key,
        now,
    )
    state.account.attachments.insert(attachment, key)


def seed(state: SandboxState) -> None:
    """Put every example record in place (runs on each reset, after the backends' own seeds)."""
    now = state.clock.now()
    _group(state, now)
    _templates(state, now)
    _sender_and_optout(state, now)
    _sent_campaign(state)
    _scheduled(state, now)
    _conversation(state, now)
    _otp(state, now)
    _rental(state, now)
    _bulk_lookup(state, now)
    _links(state, now)
