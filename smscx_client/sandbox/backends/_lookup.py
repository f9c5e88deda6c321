"""Number lookups (single, and bulk ones worked through on the sandbox clock) and validation.

Records: ``account.lookups`` (``records.Lookup``, key lookupId: a finished lookup, single or
from a bulk) and ``account.lookup_bulks`` (``records.LookupBulk``, key lookupBulkId).

A bulk lookup finishes ``CHUNK`` numbers every ``CHUNK_SECONDS`` of sandbox time; each finished
chunk is POSTed to ``lookupCallbackUrl`` (or the application's ``lookupCallback``) as a
``CallBackRequestNumberLookup``. Until its chunk is
done, a number's result is not listed and its lookupId is unknown (404).

Results follow the magic numbers: ``lookup_ported`` is ported to another network of its country,
``lookup_unreachable`` is ``ABSENT``; other mobiles are ``ACTIVE``; numbers that are not mobiles
are ``FAILED`` (only mobile networks answer lookups), and, in a bulk, numbers the sandbox does
not cover are ``FAILED`` at cost 0.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from smscx_client.sandbox import exports, phones, pricing
from smscx_client.sandbox.backends._netdata import country_names, mcc, mnc, other_network
from smscx_client.sandbox.backends._numbers_common import (
    amount,
    body_phone,
    by_country,
    by_path_id,
    charge,
    path_phone,
)
from smscx_client.sandbox.backends.applications import callback_url
from smscx_client.sandbox.magic import MAGIC_NUMBERS
from smscx_client.sandbox.records import Lookup, LookupBulk
from smscx_client.sandbox.state import Clock, SandboxState, money
from smscx_client.sandbox.wire import Ctx, Reply

CHUNK = 200  # numbers finished at a time, and the most one callback carries (documented)
CHUNK_SECONDS = 5.0

_EXPORT_HEADER = [
    "phoneNumber", "lookupId", "status", "statusDescription", "ported", "roaming", "countryIso",
    "countryName", "mcc", "mccmnc", "originalNetwork", "portedNetwork", "roamingNetwork", "cost", "datetime",
]


def _covered(phone: phones.Phone) -> bool:
    return phone.country_iso not in pricing.NO_COVERAGE and phone.e164 != MAGIC_NUMBERS["no_coverage"]


def _status(phone: phones.Phone, covered: bool) -> Tuple[str, str]:
    if not covered:
        return "FAILED", "The destination is not covered"
    if phone.number_type != "mobile":
        return "FAILED", "Only mobile numbers can be looked up"
    if phone.e164 == MAGIC_NUMBERS["lookup_unreachable"]:
        return "ABSENT", "Phone number is not reachable"
    return "ACTIVE", "Phone number is reachable"


def _result(
    phone: phones.Phone, lookup_id: str, cost: Decimal, when: float, bulk_id: Optional[str], covered: bool = True
) -> Lookup:
    """The record of a finished lookup of ``phone``, asked for at ``when``."""
    country = phone.country_iso
    english, local = country_names(phone.e164, country)
    status, description = _status(phone, covered)
    original = phone.carrier or None
    ported = phone.e164 == MAGIC_NUMBERS["lookup_ported"]
    return Lookup(
        lookup_id=lookup_id,
        phone_number=phone.e164,
        country_iso=country,
        country_name=english,
        country_name_locale=local,
        status=status,
        status_description=description,
        ported=ported,
        original_network=original,
        ported_network=other_network(country, original) if ported else None,
        cost=cost,
        created_at=when,
        bulk_id=bulk_id,
    )


def _view(rec: Lookup, clock: Clock) -> Dict[str, Any]:
    """``DataNumberLookup`` (no lookupBulkId: the schema admits no other key)."""
    country = rec.country_iso
    current = rec.ported_network if rec.ported else rec.original_network
    current_mnc = mnc(country, current)
    return {
        "phoneNumber": rec.phone_number,
        "lookupId": rec.lookup_id,
        "cost": amount(rec.cost),
        "mcc": mcc(country),
        "mccmnc": mcc(country) + (current_mnc or ""),
        "countryIso": country,
        "countryName": rec.country_name,
        "countryNameLocale": rec.country_name_locale,
        "status": rec.status,
        "statusDescription": rec.status_description,
        "ported": rec.ported,
        "roaming": False,
        "originalNetwork": {"name": rec.original_network, "mnc": mnc(country, rec.original_network)},
        "portedNetwork": {"name": current, "mnc": current_mnc} if rec.ported else {"name": None, "mnc": None},
        "roamingNetwork": {"countryIso": None, "countryName": None, "mcc": None, "mnc": None, "name": None},
        "datetime": clock.fmt(rec.created_at),
    }


# -- single lookups ------------------------------------------------------------------------
def lookup_number(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/{phoneNumber}``: charged, answered at once."""
    phone = path_phone(ctx.path["phoneNumber"])
    if not phone.valid:
        raise ctx.error(1207)
    if not _covered(phone):
        raise ctx.error(1214)
    charge(ctx, pricing.LOOKUP_PRICE, 1114)
    rec = _result(phone, ctx.state.new_id(), pricing.LOOKUP_PRICE, ctx.now(), None)
    ctx.account.lookups.insert(rec, rec.lookup_id)
    return {"data": _view(rec, ctx.clock)}


def get_single_lookup_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/lookupId/{lookupId}``: a finished lookup, single or from a bulk."""
    return _view(by_path_id(ctx, "lookupId", ctx.account.lookups, 1219), ctx.clock)


# -- bulk lookups --------------------------------------------------------------------------
def _number_list(ctx: Ctx) -> Tuple[List[str], Optional[str]]:
    """``phoneNumbers`` and ``countryIso`` of a bulk body (their form, 1203 1208 1205, is validated
    from the spec)."""
    body: Dict[str, Any] = ctx.body
    return body["phoneNumbers"], body.get("countryIso")


def lookup_numbers(ctx: Ctx) -> Dict[str, Any]:
    """``POST /numbers/lookup``: charged for covered numbers, results follow on the clock."""
    numbers, region = _number_list(ctx)
    url: Optional[str] = ctx.body.get("lookupCallbackUrl")  # 1209: validated from the spec
    valid: Dict[str, phones.Phone] = {}
    invalid: List[str] = []
    for raw in numbers:
        phone = body_phone(raw, region)
        if phone.valid:
            valid.setdefault(phone.e164, phone)  # a number given twice is looked up once
        else:
            invalid.append(raw)
    if not valid:
        raise ctx.error(1216)
    if not any(_covered(p) for p in valid.values()):
        raise ctx.error(1214)
    cost = money(pricing.LOOKUP_PRICE * sum(1 for p in valid.values() if _covered(p)))
    charge(ctx, cost, 1114)
    bulk_id, now = ctx.state.new_id(), ctx.now()
    when = ctx.clock.fmt(now)
    items = [(ctx.state.new_id(), p, pricing.LOOKUP_PRICE if _covered(p) else money(0)) for p in valid.values()]
    bulk = LookupBulk(
        id=bulk_id,
        created_at=now,
        total=len(numbers),
        valid=len(valid),
        cost=cost,
        countries=[p.country_iso for p in valid.values()],
        callback_url=url or callback_url(ctx.account, "lookup", "lookupCallback"),
    )
    ctx.account.lookup_bulks.insert(bulk, bulk_id)
    for i in range(0, len(items), CHUNK):
        finish_later(ctx.state, bulk_id, items[i : i + CHUNK], now, now + CHUNK_SECONDS * (i // CHUNK + 1))
    return {
        "info": {
            "lookupBulkId": bulk_id,
            "totalPhoneNumbers": len(numbers),
            "totalValid": len(valid),
            "totalInvalid": len(invalid),
            "totalCost": amount(cost),
            "invalid": invalid,
            "phoneNumbersByCountry": by_country(bulk.countries),
        },
        "data": [
            {"phoneNumber": p.e164, "countryIso": p.country_iso, "cost": amount(c), "lookupId": lid, "datetime": when}
            for lid, p, c in items
        ],
    }


def finish_later(
    state: SandboxState, bulk_id: str, items: List[Tuple[str, phones.Phone, Decimal]], when: float, at: float
) -> None:
    """Finish one chunk of a bulk lookup (asked for at ``when``) at ``at`` and owe its callback."""

    def finish() -> None:
        bulk = state.account.lookup_bulks.get(bulk_id)
        if bulk is None:  # the sandbox was reset meanwhile
            return
        done = []
        for lookup_id, phone, cost in items:
            rec = _result(phone, lookup_id, cost, when, bulk_id, _covered(phone))
            state.account.lookups.insert(rec, lookup_id)
            bulk.done.append(lookup_id)
            done.append(dict(_view(rec, state.clock), lookupBulkId=bulk_id))
        # The spec's CallBackRequestNumberLookup only admits the event name "otp_update".
        state.callback(bulk.callback_url, "number_lookup", {"event": "otp_update", "data": done})

    state.schedule(at, finish)


def _bulk(ctx: Ctx) -> LookupBulk:
    return by_path_id(ctx, "lookupBulkId", ctx.account.lookup_bulks, 1220)


def _done(ctx: Ctx, bulk: LookupBulk) -> List[Lookup]:
    lookups = ctx.account.lookups
    return [rec for rec in (lookups.get(i) for i in bulk.done) if rec is not None]


def get_bulk_lookup_campaigns(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup``: the bulk lookups, newest first, paged."""
    bulks = list(reversed(ctx.account.lookup_bulks.values()))
    data, paging = ctx.page(
        bulks,
        lambda b: {
            "id": b.id,
            "totalPhoneNumbers": b.total,
            "totalValid": b.valid,
            "totalCost": amount(b.cost),
            "datetimeAdded": ctx.clock.fmt(b.created_at),
        },
    )
    return {"data": data, "paging": paging}


def get_bulk_lookup_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/lookupBulkId/{id}``: summary and the results finished so far, paged."""
    bulk = _bulk(ctx)
    data, paging = ctx.page(_done(ctx, bulk), lambda r: _view(r, ctx.clock))
    info = {
        "lookupBulkId": bulk.id,
        "totalPhoneNumbers": bulk.total,
        "totalValid": bulk.valid,
        "totalCost": amount(bulk.cost),
        "phoneNumbersByCountry": by_country(bulk.countries),
    }
    return {"info": info, "data": data, "paging": paging}


def _export_rows(ctx: Ctx) -> Tuple[str, List[List[Any]]]:
    bulk = _bulk(ctx)
    rows = [
        [
            r["phoneNumber"], r["lookupId"], r["status"], r["statusDescription"], r["ported"], r["roaming"],
            r["countryIso"], r["countryName"], r["mcc"], r["mccmnc"], r["originalNetwork"]["name"],
            r["portedNetwork"]["name"], r["roamingNetwork"]["name"], r["cost"], r["datetime"],
        ]
        for r in (_view(rec, ctx.clock) for rec in _done(ctx, bulk))
    ]
    return "lookup-{}".format(bulk.id), rows


def export_number_lookup_report_to_csv(ctx: Ctx) -> Reply:
    """``GET /numbers/lookup/lookupBulkId/{id}/csv``."""
    name, rows = _export_rows(ctx)
    return exports.csv_reply(name + ".csv", _EXPORT_HEADER, rows)


def export_number_lookup_report_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /numbers/lookup/lookupBulkId/{id}/xlsx``."""
    name, rows = _export_rows(ctx)
    return exports.xlsx_reply(name + ".xlsx", _EXPORT_HEADER, rows, sheet="Lookup")


# -- validation (free) ---------------------------------------------------------------------
def _validated(phone: phones.Phone) -> Dict[str, Any]:
    return {
        "phoneNumber": phone.e164,
        "countryIso": phone.country_iso,
        "networkOperator": phone.carrier,
        "timezone": phone.timezone,
    }


def validate_number(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/validate/{phoneNumber}``."""
    phone = path_phone(ctx.path["phoneNumber"])
    if not phone.valid:
        raise ctx.error(1207)
    return {"data": _validated(phone)}


def validate_numbers(ctx: Ctx) -> Dict[str, Any]:
    """``POST /numbers/validate``: every entry, in order, invalid ones flagged."""
    numbers, region = _number_list(ctx)
    data = []
    countries = []
    for raw in numbers:
        phone = body_phone(raw, region)
        if phone.valid:
            data.append(dict(_validated(phone), invalid=False))
            countries.append(phone.country_iso)
        else:
            data.append({"phoneNumber": raw, "invalid": True})
    info = {
        "totalPhoneNumbers": len(numbers),
        "totalValid": len(countries),
        "totalInvalid": len(numbers) - len(countries),
        "phoneNumbersByCountry": by_country(countries),
    }
    return {"info": info, "data": data}
