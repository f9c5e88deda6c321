"""Virtual number rental: the offer list, renting, renewing, cancelling, settings, inbound SMS.

Rentals: ``account.rentals`` (``records.RentedNumber``, key rentId). ``rent_start`` is when the
rental began; each renewal moves ``rent_end`` on by its period. A rental is active until it is cancelled or the sandbox clock passes
``rent_end``; at that moment an ``auto_renew`` rental renews itself if the balance covers it.
Numbers that need a registration are approved 10 minutes after they are rented.

Inbound SMS arrive through the control action ``POST /__sandbox/inbound-sms`` with
``{"to": rented number, "from": sender number or alphanumeric name, "text": ...}``; they are
recorded with ``account.add_inbound`` and POSTed to the rental's ``callbackUrl`` (or else the
application's SMS ``receiveCallback``) as a ``CallBackRequestReceiveSms``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Dict, List, Set, Tuple

from smscx_client.sandbox import control, pricing
from smscx_client.sandbox.backends._numbers_common import (
    amount,
    body_phone,
    by_path_id,
    charge,
    known_region,
    path_phone,
    query_bool,
    query_int,
)
from smscx_client.sandbox.backends._rent_catalog import FEATURE_INBOUND, Offer, find, offers
from smscx_client.sandbox.backends.applications import callback_url
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import Inbound, RentedNumber
from smscx_client.sandbox.state import AccountState, Clock, SandboxState, money
from smscx_client.sandbox.wire import Ctx

DAY = 86400.0
CANCEL_WINDOW = 30 * 60.0  # documented: a rental can be cancelled in its first 30 minutes
APPROVAL_DELAY = 10 * 60.0


def _active(rec: RentedNumber, now: float) -> bool:
    return not rec.cancelled and now < rec.rent_end


def _inbound(account: AccountState, rent_id: str) -> List[Inbound]:
    return [r for r in account.inbound if r.rent_id == rent_id]


def _digits(number: str) -> str:
    return "".join(c for c in number if c.isdigit())


def _costs(offer: Offer) -> List[Dict[str, Any]]:
    return [{"days": d, "cost": amount(pricing.rent_price(offer.country_iso, d))} for d in offer.periods()]


def _received(rec: Inbound, cost: Decimal, clock: Clock) -> Dict[str, Any]:
    """``DataReceiveSms`` of an inbound record."""
    return {
        "msgId": rec.msg_id,
        "from": rec.sender,
        "countryIso": rec.country_iso,
        "to": rec.to,
        "text": rec.text,
        "cost": amount(cost),
        "receivedAt": clock.fmt(rec.created_at),
    }


def _offer_view(offer: Offer, when: str) -> Dict[str, Any]:
    """``DataAvailableNumbersRent``."""
    out = offer.outbound_sms_cost
    return {
        "numberId": offer.number_id,
        "phoneNumber": offer.phone_number,
        "countryIso": offer.country_iso,
        "networkOperator": offer.network_operator,
        "features": offer.features,
        "numberType": offer.number_type,
        "inboundSmsCost": amount(offer.inbound_sms_cost),
        "outboundSmsCost": amount(out) if out is not None else None,
        "setupCost": amount(offer.setup_cost),
        "rentCost": _costs(offer),
        "minRent": offer.min_rent,
        "setupTime": offer.setup_time,
        "registration": offer.registration,
        "datetime": when,
        "inboundSmsSender": offer.inbound_sms_sender,
    }


def _rent_view(ctx: Ctx, rec: RentedNumber) -> Dict[str, Any]:
    """``InfoRentStatus`` / ``DataRentedNumbers`` (the same fields)."""
    offer = rec.offer
    inbound = len(_inbound(ctx.account, rec.rent_id))
    sent = [
        m for m in ctx.account.messages.values() if _digits(m.sender) == _digits(offer.phone_number) and m.created_at >= rec.rent_start
    ]
    view = _offer_view(offer, ctx.clock.fmt(rec.created_at))
    for key in ("rentCost", "setupTime", "registration"):
        del view[key]
    view.update(
        rentId=rec.rent_id,
        rentCost=amount(rec.rent_cost),
        setupCost=amount(rec.setup_cost),
        rentPeriod=rec.rent_period,
        rentStart=ctx.clock.fmt(rec.rent_start),
        rentEnd=ctx.clock.fmt(rec.rent_end),
        renewCost=_costs(offer),
        inboundSms={"total": inbound, "cost": amount(offer.inbound_sms_cost * inbound)},
        outboundSms={"total": len(sent), "cost": amount(sum((m.cost for m in sent), Decimal("0")))},
        callbackUrl=rec.callback_url,
        autoRenew=rec.auto_renew,
        activeRent=_active(rec, ctx.now()),
        approved=rec.approved,
    )
    return view


def _offer_filter(ctx: Ctx) -> Callable[[Offer], bool]:
    """The filters both number lists share: features, number_type, inbound_sms_sender, include,
    exclude (each validated from the spec: an enum, a boolean, 1 to 17 digits)."""
    features = query_int(ctx, "features")
    kind = ctx.query.get("number_type")
    alpha = query_bool(ctx, "inbound_sms_sender")
    include, exclude = ctx.query.get("include"), ctx.query.get("exclude")

    def keep(offer: Offer) -> bool:
        digits = _digits(offer.phone_number)
        return (
            (features is None or offer.features & features == features)
            and (kind is None or offer.number_type == kind)
            and (not alpha or offer.inbound_sms_sender)
            and (include is None or include in digits)
            and (exclude is None or exclude not in digits)
        )

    return keep


def _rented_ids(ctx: Ctx) -> Set[str]:
    now = ctx.now()
    return {r.offer.number_id for r in ctx.account.rentals if _active(r, now)}


def get_available_numbers(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/rent/available/{countryIso}``: the country's offers not rented now."""
    country = known_region(ctx.path["countryIso"])
    if country is None:
        raise ctx.error(2003)  # two letters (validated from the spec), but no country libphonenumber knows
    keep = _offer_filter(ctx)
    setup = ctx.query.get("setup_time")
    registration = query_bool(ctx, "registration")
    rented = _rented_ids(ctx)
    when = ctx.clock.fmt()
    return {
        "data": [
            _offer_view(o, when)
            for o in offers(country)
            if o.number_id not in rented
            and keep(o)
            and (setup is None or o.setup_time == setup)
            and (registration is None or o.registration == registration)
        ]
    }


# rentPeriod (1224), autoRenew (1225) and callbackUrl (1226) are validated from the spec
def _settings(body: Dict[str, Any]) -> Dict[str, Any]:
    """``autoRenew`` and ``callbackUrl`` of a body: those given, by API name."""
    return {key: body[key] for key in ("autoRenew", "callbackUrl") if key in body}


def _apply(rec: RentedNumber, settings: Dict[str, Any]) -> None:
    """Apply the settings ``_settings`` read."""
    rec.auto_renew = settings.get("autoRenew", rec.auto_renew)
    rec.callback_url = settings.get("callbackUrl", rec.callback_url)


def expire_later(state: SandboxState, rec: RentedNumber) -> None:
    """At the end of the rental ``rec`` (stored in ``account.rentals``): renew it (auto_renew and
    enough balance) or let it lapse."""
    rent_id = rec.rent_id
    end = rec.rent_end

    def at_end() -> None:
        current = state.account.rentals.get(rent_id)
        if current is not rec or rec.cancelled or rec.rent_end != end or not rec.auto_renew:
            return  # reset, cancelled, renewed meanwhile, or simply lapsing
        price = pricing.rent_price(rec.offer.country_iso, rec.rent_period)
        if state.account.can_spend(price):
            state.account.spend(price)
            rec.paid += price
            rec.rent_cost = price
            rec.rent_end = end + rec.rent_period * DAY
            expire_later(state, rec)

    state.schedule(end, at_end)


def _approve_later(state: SandboxState, rec: RentedNumber) -> None:
    def approve() -> None:
        rec.approved = True

    state.schedule(rec.created_at + APPROVAL_DELAY, approve)


def rent_number(ctx: Ctx) -> Dict[str, Any]:
    """``POST /numbers/rent``: charged rent plus setup cost."""
    body: Dict[str, Any] = ctx.body
    number_id: str = body["numberId"]  # a UUID (1222) and one of the periods (1224): validated from the spec
    period: int = body["rentPeriod"]
    settings = _settings(body)
    offer = find(number_id)
    if offer is None:
        raise ctx.error(1230)
    if number_id in _rented_ids(ctx):
        raise ctx.error(1231)
    if period < offer.min_rent:
        raise ctx.error(1229)
    if offer.registration and "registrationId" not in body:
        raise ctx.error(1234)  # the sandbox takes any well-formed registration id as existing
    price = pricing.rent_price(offer.country_iso, period)
    charge(ctx, money(price + offer.setup_cost))
    now = ctx.now()
    rec = RentedNumber(
        rent_id=ctx.state.new_id(),
        offer=offer,
        rent_period=period,
        rent_cost=price,
        paid=price,
        setup_cost=offer.setup_cost,
        rent_start=now,
        rent_end=now + period * DAY,
        created_at=now,
        callback_url=settings.get("callbackUrl"),
        auto_renew=settings.get("autoRenew", False),
        approved=not offer.registration,
    )
    ctx.account.rentals.insert(rec, rec.rent_id)
    expire_later(ctx.state, rec)
    if offer.registration:
        _approve_later(ctx.state, rec)
    info = _info(ctx, rec, "rentStart", "rentEnd", "rentCost", "setupCost", "autoRenew", "callbackUrl", "approved")
    return {"info": dict(info, datetime=ctx.clock.fmt(now))}


def get_rented_numbers(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/rent``: the account's rentals, newest first, filtered."""
    keep = _offer_filter(ctx)
    country = ctx.query.get("country_iso")
    active = query_bool(ctx, "active_rent")
    now = ctx.now()
    return {
        "data": [
            _rent_view(ctx, r)
            for r in reversed(ctx.account.rentals.values())
            if keep(r.offer)
            and (country is None or r.offer.country_iso == country.upper())
            and (active is None or _active(r, now) == active)
        ]
    }


def _rental(ctx: Ctx) -> RentedNumber:
    return by_path_id(ctx, "rentId", ctx.account.rentals, 1223)


def _info(ctx: Ctx, rec: RentedNumber, *fields: str) -> Dict[str, Any]:
    """The head every rental answer shares (rentId, numberId, phoneNumber, countryIso), then the
    rental's ``fields`` (API names; times formatted, money as numbers)."""
    offer = rec.offer
    out: Dict[str, Any] = {
        "rentId": rec.rent_id,
        "numberId": offer.number_id,
        "phoneNumber": offer.phone_number,
        "countryIso": offer.country_iso,
    }
    known = {
        "rentStart": ctx.clock.fmt(rec.rent_start),
        "rentEnd": ctx.clock.fmt(rec.rent_end),
        "rentCost": amount(rec.rent_cost),
        "setupCost": amount(rec.setup_cost),
        "autoRenew": rec.auto_renew,
        "callbackUrl": rec.callback_url,
        "approved": rec.approved,
    }
    out.update((name, known[name]) for name in fields)
    return out


def get_rent_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/rent/{rentId}``."""
    return {"info": _rent_view(ctx, _rental(ctx))}


def renew_rent(ctx: Ctx) -> Dict[str, Any]:
    """``PATCH /numbers/rent/{rentId}``: charged; extends the end by the period."""
    rec = _rental(ctx)
    body: Dict[str, Any] = ctx.body
    period: int = body.get("rentPeriod", rec.rent_period)
    changes = _settings(body)
    offer = rec.offer
    if not _active(rec, ctx.now()):
        raise ctx.error(1228)
    if period < offer.min_rent:
        raise ctx.error(1229)
    price = pricing.rent_price(offer.country_iso, period)
    charge(ctx, price)
    _apply(rec, changes)
    rec.rent_period, rec.rent_cost, rec.paid = period, price, rec.paid + price
    rec.rent_end += period * DAY
    expire_later(ctx.state, rec)
    info = _info(ctx, rec, "rentStart", "rentEnd", "rentCost", "autoRenew", "callbackUrl")
    return {"info": dict(info, datetime=ctx.clock.fmt())}


def cancel_rent(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /numbers/rent/{rentId}``: within 30 minutes and before any inbound SMS; the rent
    (not the setup cost) is given back."""
    rec = _rental(ctx)
    now = ctx.now()
    if not _active(rec, now) or now - rec.created_at > CANCEL_WINDOW:
        raise ctx.error(1227)
    if _inbound(ctx.account, rec.rent_id):
        raise ctx.error(1232)
    ctx.account.refund(rec.paid)
    rec.cancelled = True
    return {"info": dict(_info(ctx, rec), creditReturned=amount(rec.paid))}


def edit_rent_settings(ctx: Ctx) -> Dict[str, Any]:
    """``PATCH /numbers/rent/{rentId}/edit``: free."""
    rec = _rental(ctx)
    # at least one of autoRenew and callbackUrl, and no other field (1233): validated from the spec
    _apply(rec, _settings(ctx.body))
    return {"info": {"rentId": rec.rent_id, "datetime": ctx.clock.fmt()}}


def get_inbound_sms(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/rent/{rentId}/inbound``: newest first, paged."""
    rec = _rental(ctx)
    offer = rec.offer
    received = list(reversed(_inbound(ctx.account, rec.rent_id)))
    data, paging = ctx.page(received, lambda r: _received(r, offer.inbound_sms_cost, ctx.clock))
    info = {"rentId": rec.rent_id, "phoneNumber": offer.phone_number, "countryIso": offer.country_iso}
    return {"info": info, "data": data, "paging": paging}


# -- control plane -------------------------------------------------------------------------
def _control_error(message: str, status: int = 400) -> SandboxApiError:
    if status == 404:
        return SandboxApiError(404, "not_found", 1223, message)
    return SandboxApiError(400, "invalid_param", 1009, message)


def _sender(body: Dict[str, Any], offer: Offer) -> Tuple[str, str]:
    """(from, countryIso) of an inbound SMS: a number, or an alphanumeric name of up to 11."""
    sender = body.get("from")
    if not isinstance(sender, str) or not sender.strip():
        raise _control_error("`from` must be the sender's number or name")
    phone = body_phone(sender, None)
    if phone.valid:
        return phone.e164, phone.country_iso
    name = sender.strip()
    if name.startswith("+") or len(name) > 11 or not name.replace(" ", "").isalnum():
        raise _control_error("`from` is neither a valid number nor an alphanumeric sender of up to 11 characters")
    if not name.isdigit() and not offer.inbound_sms_sender:
        raise _control_error("{} does not receive SMS from alphanumeric senders".format(offer.phone_number))
    return name, offer.country_iso


@control.register("POST", "inbound-sms")
def inbound_sms(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """``POST /__sandbox/inbound-sms`` ``{"to", "from", "text"}``: an SMS reaches a rented number."""
    state.tick()
    to, text = body.get("to"), body.get("text")
    if not isinstance(to, str) or not to.strip():
        raise _control_error("`to` must be a rented number")
    if not isinstance(text, str) or not text:
        raise _control_error("`text` must be a non-empty string")
    number = path_phone(to).e164
    now = state.clock.now()
    rec = next((r for r in state.account.rentals if r.offer.phone_number == number and _active(r, now)), None)
    if rec is None:
        raise _control_error("No active rental holds {}".format(to), 404)
    offer = rec.offer
    if not offer.features & FEATURE_INBOUND:
        raise _control_error("{} cannot receive SMS".format(offer.phone_number))
    sender, country = _sender(body, offer)
    if offer.inbound_sms_cost:
        state.account.spend(offer.inbound_sms_cost)
    msg = state.account.add_inbound(state.new_id(), sender, offer.phone_number, text, "sms", country, now, rec.rent_id)
    received = _received(msg, offer.inbound_sms_cost, state.clock)
    url = rec.callback_url or callback_url(state.account, "sms", "receiveCallback")
    state.callback(url, "receive_sms", {"event": "receive_sms", "data": [received]})
    return dict(received, rentId=rec.rent_id)
