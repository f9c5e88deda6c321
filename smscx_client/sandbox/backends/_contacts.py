"""The ``phoneNumbers`` list of POST /groups/{groupId} and POST /optouts, read and validated.

Items are phone numbers (strings) or contact objects (``GroupAdd``: ``phoneNumber`` plus names,
email, ``field1``..``field5``, ``countryIso`` and ``customFields``). Numbers are parsed for real:
E.164, or national with the item's or the request's ``countryIso``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from smscx_client.sandbox import phones
from smscx_client.sandbox.backends._checks import body_dict, invalid_param
from smscx_client.sandbox.wire import Ctx

__all__ = ["CONTACT_FIELDS", "MAX_CUSTOM_FIELDS", "Entry", "Submission", "read_numbers", "custom_fields"]

# Contact details stored beside the number (customFields apart).
CONTACT_FIELDS = ("firstName", "lastName", "email", "field1", "field2", "field3", "field4", "field5")
MAX_CUSTOM_FIELDS = 20


@dataclass
class Entry:
    """One submitted number: as sent, parsed, and its contact details."""

    raw: str
    phone: phones.Phone
    details: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Submission:
    """A parsed ``phoneNumbers`` list: valid entries in order, and the invalid numbers as sent."""

    valid: List[Entry]
    invalid: List[str]
    total: int


def _country(value: Any, where: str) -> Optional[str]:
    if value is None:
        return None
    if not isinstance(value, str):
        raise invalid_param(where, "must be a two-letter ISO country code")
    # An unknown code is not a type error: national numbers just fail to parse with it.
    return value


def custom_fields(value: Any, where: str, code_error: Any) -> Dict[str, Optional[str]]:
    """A ``customFields`` object: string keys to string values (null allowed), at most 20 keys."""
    if not isinstance(value, dict):
        raise code_error("`{}` must be an object of text values".format(where))
    if len(value) > MAX_CUSTOM_FIELDS:
        raise code_error("`{}` holds more than {} fields".format(where, MAX_CUSTOM_FIELDS))
    for key, item in value.items():
        if not key.strip() or (item is not None and not isinstance(item, str)):
            raise code_error("`{}.{}` must be a non-empty name with a text value".format(where, key))
    return dict(value)


def _details(ctx: Ctx, item: Dict[str, Any], where: str) -> Dict[str, Any]:
    def bad(message: str) -> Any:
        return ctx.error(1208, message)

    details: Dict[str, Any] = {}
    for name in CONTACT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise bad("`{}.{}` must be a string".format(where, name))
        details[name] = value
    raw_custom = item.get("customFields")
    custom = {} if raw_custom is None else custom_fields(raw_custom, where + ".customFields", bad)
    details["customFields"] = {k: v for k, v in custom.items() if v is not None}
    return details


def read_numbers(ctx: Ctx, objects: bool, single_code: Optional[int]) -> Submission:
    """Validate the body's ``phoneNumbers``, ``countryIso`` and ``allowInvalid``.

    Raises 1203 (missing or empty), 1208 (not a list of numbers or contacts) and, unless
    ``allowInvalid`` is true, ``single_code`` (when only one number was sent) or 1210 with the
    invalid numbers beside ``error``.
    """
    body = body_dict(ctx)
    numbers = body.get("phoneNumbers")
    if numbers is None or numbers == [] or numbers == "":
        raise ctx.error(1203)
    if not isinstance(numbers, list):
        raise ctx.error(1208)
    country = _country(body.get("countryIso"), "countryIso")
    allow_invalid = body.get("allowInvalid")
    if allow_invalid is not None and not isinstance(allow_invalid, bool):
        raise invalid_param("allowInvalid", "must be true or false")
    valid: List[Entry] = []
    invalid: List[str] = []
    for i, item in enumerate(numbers):
        where = "phoneNumbers[{}]".format(i)
        details: Dict[str, Any] = {}
        item_country = country
        if isinstance(item, str):
            raw = item
        elif objects and isinstance(item, dict) and isinstance(item.get("phoneNumber"), str):
            raw = item["phoneNumber"]
            item_country = _country(item.get("countryIso"), where + ".countryIso") or country
            details = _details(ctx, item, where)
        else:
            raise ctx.error(1208)
        phone = phones.parse(raw.strip(), item_country)
        if phone.valid:
            valid.append(Entry(raw, phone, details))
        else:
            invalid.append(raw)
    if invalid and not allow_invalid:
        code = single_code if single_code is not None and len(numbers) == 1 else 1210
        raise ctx.error(code, invalid=invalid)
    return Submission(valid, invalid, len(numbers))
