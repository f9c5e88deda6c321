"""Small helpers shared by the numbers and OTP backends (records by id, numbers, money, charges).

Ids, URLs, enums and booleans arrive validated from the spec; nothing here checks their form."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Dict, Iterable, Optional, TypeVar

from smscx_client.sandbox import phones
from smscx_client.sandbox.store import Store
from smscx_client.sandbox.wire import Ctx

__all__ = [
    "by_path_id",
    "charge",
    "by_country",
    "path_phone",
    "body_phone",
    "known_region",
    "query_bool",
    "query_int",
    "amount",
]

T = TypeVar("T")


def by_path_id(ctx: Ctx, param: str, store: Store[T], unknown: int) -> T:
    """The record of ``store`` named by the path parameter ``param`` (a UUID, validated from the
    spec with its malformed-id code), or ``unknown`` when no record has it."""
    rec = store.get(ctx.path[param])
    if rec is None:
        raise ctx.error(unknown)
    return rec


def charge(ctx: Ctx, cost: Decimal, limit_code: Optional[int] = None) -> None:
    """Take ``cost`` from the balance, or raise insufficient_credit (1113; ``limit_code`` when
    the account runs on a credit limit and the operation documents one, e.g. 1114)."""
    acc = ctx.account
    if not acc.can_spend(cost):
        raise ctx.error(limit_code if limit_code is not None and acc.credit_limit > 0 else 1113)
    acc.spend(cost)


def by_country(countries: Iterable[str]) -> Dict[str, int]:
    """A ``PhoneNumbersByCountry`` map, as the API sends it: ``{"FR": 2, "DE": 1}``."""
    return dict(Counter(c for c in countries if c))


def path_phone(raw: str) -> phones.Phone:
    """A number from a URL path: E.164 with the plus written, left out or URL-encoded."""
    text = raw.strip()
    return phones.parse(text if text.startswith("+") else "+" + text)


def body_phone(raw: str, country_iso: Optional[str]) -> phones.Phone:
    """A number from a request body: E.164, national with ``country_iso``, or E.164 digits
    written without the plus."""
    phone = phones.parse(raw, country_iso)
    if not phone.valid and not country_iso and raw.strip().isdigit():
        retry = phones.parse("+" + raw.strip())
        if retry.valid:
            return retry
    return phone


def known_region(value: str) -> Optional[str]:
    """The upper-case ISO code when ``value`` names a country libphonenumber knows, else None."""
    import phonenumbers

    region = value.upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def query_bool(ctx: Ctx, name: str) -> Optional[bool]:
    """A boolean query parameter (validated from the spec), None when absent."""
    raw = ctx.query.get(name)
    return None if raw is None else raw.lower() == "true"


def query_int(ctx: Ctx, name: str) -> Optional[int]:
    """An integer query parameter (validated from the spec), None when absent."""
    raw = ctx.query.get(name)
    return None if raw is None else int(raw)


def amount(value: Decimal) -> float:
    """A money value as the JSON number the API answers with."""
    return float(value)
