"""Checks and small helpers shared by the numbers and OTP backends (ids, URLs, money, charges)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, TypeVar

from smscx_client.sandbox import phones
from smscx_client.sandbox.backends._checks import invalid_param, is_http_url, path_uuid
from smscx_client.sandbox.store import Store
from smscx_client.sandbox.wire import Ctx

if TYPE_CHECKING:  # typing.TypeGuard is Python 3.10+; annotations are not evaluated at run time
    from typing_extensions import TypeGuard

__all__ = [
    "is_uuid",
    "by_path_id",
    "is_track_id",
    "is_url",
    "is_digits",
    "charge",
    "by_country",
    "path_phone",
    "body_phone",
    "known_region",
    "query_bool",
    "query_int",
    "amount",
]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# the API's trackId: an RFC 4122 UUID of version 1 to 5
_TRACK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE)


def is_uuid(value: Any) -> TypeGuard[str]:
    """True for a 36-character lowercase UUID (the API's ids)."""
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


T = TypeVar("T")


def by_path_id(ctx: Ctx, param: str, store: Store[T], malformed: int, unknown: int) -> T:
    """The record of ``store`` named by the UUID path parameter ``param``; ``malformed`` when it
    is not a UUID, ``unknown`` when no record has it."""
    rec = store.get(path_uuid(ctx, param, malformed))
    if rec is None:
        raise ctx.error(unknown)
    return rec


def is_track_id(value: Any) -> bool:
    """True for a UUID of version 1 to 5 (either case)."""
    return isinstance(value, str) and _TRACK_ID.fullmatch(value) is not None


def is_url(value: Any) -> bool:
    """True for an absolute http(s) URL with a host (``_checks.is_http_url``, for any JSON value)."""
    return isinstance(value, str) and is_http_url(value)


def is_digits(value: Any, low: int = 1, high: int = 17) -> bool:
    """True for a string of ``low`` to ``high`` ASCII digits."""
    return isinstance(value, str) and low <= len(value) <= high and value.isascii() and value.isdigit()


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


def known_region(value: Any) -> Optional[str]:
    """The upper-case ISO code when ``value`` names a country libphonenumber knows, else None."""
    import phonenumbers

    if not isinstance(value, str) or len(value) != 2:
        return None
    region = value.upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


def query_bool(ctx: Ctx, name: str) -> Optional[bool]:
    """A boolean query parameter (``true``/``false``/``1``/``0``), None when absent."""
    raw = ctx.query.get(name)
    if raw is None:
        return None
    value = {"true": True, "1": True, "false": False, "0": False}.get(raw.lower())
    if value is None:
        raise invalid_param(name, "unexpected value")
    return value


def query_int(ctx: Ctx, name: str, allowed: Iterable[int]) -> Optional[int]:
    """An integer query parameter restricted to ``allowed``, None when absent."""
    raw = ctx.query.get(name)
    if raw is None:
        return None
    if not raw.isdecimal() or int(raw) not in set(allowed):
        raise invalid_param(name, "unexpected value")
    return int(raw)


def amount(value: Decimal) -> float:
    """A money value as the JSON number the API answers with."""
    return float(value)
