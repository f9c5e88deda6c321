"""Number lookups (single, and bulk ones worked through on the sandbox clock) and validation.

Tables of the account:

* ``numbers_lookups``, key lookupId: a finished lookup, the ``DataNumberLookup`` fields plus
  ``lookupBulkId`` (None for a single lookup).
* ``numbers_lookup_bulks``, key lookupBulkId: ``{"id", "created_at", "total", "valid", "cost",
  "countries", "done" (lookupIds finished, in order), "callbackUrl"}``.

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
from smscx_client.sandbox.backends._checks import body_dict
from smscx_client.sandbox.backends._netdata import country_names, mcc, mnc, other_network
from smscx_client.sandbox.backends._numbers_common import (
    amount,
    body_phone,
    by_country,
    by_path_id,
    charge,
    is_url,
    path_phone,
)
from smscx_client.sandbox.backends.applications import callback_url
from smscx_client.sandbox.magic import MAGIC_NUMBERS
from smscx_client.sandbox.state import SandboxState, money
from smscx_client.sandbox.wire import Ctx, Reply

LOOKUPS = "numbers_lookups"
BULKS = "numbers_lookup_bulks"
MAX_NUMBERS = 40000  # documented limit of one bulk lookup or validation
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


def _result(phone: phones.Phone, lookup_id: str, cost: Decimal, when: str, bulk_id: Optional[str], covered: bool = True) -> Dict[str, Any]:
    """The stored record of a finished lookup."""
    country = phone.country_iso
    english, local = country_names(phone.e164, country)
    status, description = _status(phone, covered)
    original = phone.carrier or None
    ported = phone.e164 == MAGIC_NUMBERS["lookup_ported"]
    current = other_network(country, original) if ported else original
    current_mnc = mnc(country, current)
    return {
        "phoneNumber": phone.e164,
        "lookupId": lookup_id,
        "cost": amount(cost),
        "mcc": mcc(country),
        "mccmnc": mcc(country) + (current_mnc or ""),
        "countryIso": country,
        "countryName": english,
        "countryNameLocale": local,
        "status": status,
        "statusDescription": description,
        "ported": ported,
        "roaming": False,
        "originalNetwork": {"name": original, "mnc": mnc(country, original)},
        "portedNetwork": {"name": current, "mnc": current_mnc} if ported else {"name": None, "mnc": None},
        "roamingNetwork": {"countryIso": None, "countryName": None, "mcc": None, "mnc": None, "name": None},
        "datetime": when,
        "lookupBulkId": bulk_id,
    }


def _single(rec: Dict[str, Any]) -> Dict[str, Any]:
    """``DataNumberLookup`` (no lookupBulkId: the schema admits no other key)."""
    return {k: v for k, v in rec.items() if k != "lookupBulkId"}


# -- single lookups ------------------------------------------------------------------------
def lookup_number(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/{phoneNumber}``: charged, answered at once."""
    phone = path_phone(ctx.path["phoneNumber"])
    if not phone.valid:
        raise ctx.error(1207)
    if not _covered(phone):
        raise ctx.error(1214)
    charge(ctx, pricing.LOOKUP_PRICE, 1114)
    rec = _result(phone, ctx.state.new_id(), pricing.LOOKUP_PRICE, ctx.clock.fmt(), None)
    ctx.account.table(LOOKUPS).insert(rec, rec["lookupId"])
    return {"data": _single(rec)}


def get_single_lookup_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/lookupId/{lookupId}``: a finished lookup, single or from a bulk."""
    return _single(by_path_id(ctx, "lookupId", LOOKUPS, 1217, 1219))


# -- bulk lookups --------------------------------------------------------------------------
def _number_list(ctx: Ctx) -> Tuple[List[str], Optional[str]]:
    """``phoneNumbers`` and ``countryIso`` of a bulk body, checked (1203, 1208, 1205)."""
    body = body_dict(ctx)
    numbers = body.get("phoneNumbers")
    if numbers is None or numbers == [] or numbers == "":
        raise ctx.error(1203)
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        raise ctx.error(1208)
    if len(numbers) > MAX_NUMBERS:
        raise ctx.error(1205)
    region = body.get("countryIso")
    return numbers, region if isinstance(region, str) and region else None


def lookup_numbers(ctx: Ctx) -> Dict[str, Any]:
    """``POST /numbers/lookup``: charged for covered numbers, results follow on the clock."""
    numbers, region = _number_list(ctx)
    url = body_dict(ctx).get("lookupCallbackUrl")
    if url is not None and not is_url(url):
        raise ctx.error(1209)
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
    bulk_id, when = ctx.state.new_id(), ctx.clock.fmt()
    items = [(ctx.state.new_id(), p, pricing.LOOKUP_PRICE if _covered(p) else money(0)) for p in valid.values()]
    bulk: Dict[str, Any] = {
        "id": bulk_id,
        "created_at": ctx.now(),
        "total": len(numbers),
        "valid": len(valid),
        "cost": cost,
        "countries": [p.country_iso for p in valid.values()],
        "done": [],
        "callbackUrl": url or callback_url(ctx.account, "lookup", "lookupCallback"),
    }
    ctx.account.table(BULKS).insert(bulk, bulk_id)
    for i in range(0, len(items), CHUNK):
        _finish_later(ctx.state, bulk_id, items[i : i + CHUNK], when, ctx.now() + CHUNK_SECONDS * (i // CHUNK + 1))
    return {
        "info": {
            "lookupBulkId": bulk_id,
            "totalPhoneNumbers": len(numbers),
            "totalValid": len(valid),
            "totalInvalid": len(invalid),
            "totalCost": amount(cost),
            "invalid": invalid,
            "phoneNumbersByCountry": by_country(bulk["countries"]),
        },
        "data": [
            {"phoneNumber": p.e164, "countryIso": p.country_iso, "cost": amount(c), "lookupId": lid, "datetime": when}
            for lid, p, c in items
        ],
    }


def _finish_later(state: SandboxState, bulk_id: str, items: List[Tuple[str, phones.Phone, Decimal]], when: str, at: float) -> None:
    """Finish one chunk of a bulk lookup at ``at`` and owe its callback."""

    def finish() -> None:
        bulk = state.account.table(BULKS).get(bulk_id)
        if bulk is None:  # the sandbox was reset meanwhile
            return
        done = []
        for lookup_id, phone, cost in items:
            rec = _result(phone, lookup_id, cost, when, bulk_id, _covered(phone))
            state.account.table(LOOKUPS).insert(rec, lookup_id)
            bulk["done"].append(lookup_id)
            done.append(dict(rec))
        # The spec's CallBackRequestNumberLookup only admits the event name "otp_update".
        state.callback(bulk["callbackUrl"], "number_lookup", {"event": "otp_update", "data": done})

    state.schedule(at, finish)


def _bulk(ctx: Ctx) -> Dict[str, Any]:
    return by_path_id(ctx, "lookupBulkId", BULKS, 1218, 1220)


def _done(ctx: Ctx, bulk: Dict[str, Any]) -> List[Dict[str, Any]]:
    table = ctx.account.table(LOOKUPS)
    return [rec for rec in (table.get(i) for i in bulk["done"]) if rec is not None]


def get_bulk_lookup_campaigns(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup``: the bulk lookups, newest first, paged."""
    bulks = list(reversed(ctx.account.table(BULKS).values()))
    data, paging = ctx.page(
        bulks,
        lambda b: {
            "id": b["id"],
            "totalPhoneNumbers": b["total"],
            "totalValid": b["valid"],
            "totalCost": amount(b["cost"]),
            "datetimeAdded": ctx.clock.fmt(b["created_at"]),
        },
    )
    return {"data": data, "paging": paging}


def get_bulk_lookup_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /numbers/lookup/lookupBulkId/{id}``: summary and the results finished so far, paged."""
    bulk = _bulk(ctx)
    data, paging = ctx.page(_done(ctx, bulk), _single)
    info = {
        "lookupBulkId": bulk["id"],
        "totalPhoneNumbers": bulk["total"],
        "totalValid": bulk["valid"],
        "totalCost": amount(bulk["cost"]),
        "phoneNumbersByCountry": by_country(bulk["countries"]),
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
        for r in _done(ctx, bulk)
    ]
    return "lookup-{}".format(bulk["id"]), rows


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
