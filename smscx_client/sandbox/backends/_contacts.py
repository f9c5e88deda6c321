"""The ``phoneNumbers`` list of POST /groups/{groupId} and POST /optouts, read.

Items are phone numbers (strings) or, for a group, contact objects (``GroupAdd``: ``phoneNumber``
plus names, email, ``field1``..``field5``, ``countryIso`` and ``customFields``). Numbers are parsed
for real: E.164, or national with the item's or the request's ``countryIso`` (an unknown code is
no error: national numbers just fail to parse with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

from smscx_client.sandbox import phones
from smscx_client.sandbox.wire import Ctx

__all__ = ["CONTACT_FIELDS", "MAX_CUSTOM_FIELDS", "Entry", "Submission", "read_numbers"]

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


def read_numbers(ctx: Ctx, single_code: Optional[int]) -> Submission:
    """The body's ``phoneNumbers`` parsed, with ``countryIso`` and ``allowInvalid``.

    Their form (1203 missing or empty, 1208 not a list of numbers or of contacts, the types of
    the contact fields) is validated from the spec. Unless ``allowInvalid`` is true, numbers that
    do not parse raise ``single_code`` (when only one number was sent) or 1210 with the invalid
    numbers beside ``error``.
    """
    body: Dict[str, Any] = ctx.body
    numbers: List[Any] = body["phoneNumbers"]  # strings, or contact objects where the body allows them
    country: Optional[str] = body.get("countryIso")
    valid: List[Entry] = []
    invalid: List[str] = []
    for item in numbers:
        details: Dict[str, Any] = {}
        item_country = country
        if isinstance(item, str):
            raw = item
        else:
            raw = item["phoneNumber"]
            item_country = item.get("countryIso") or country
            details = {name: item.get(name) for name in CONTACT_FIELDS}
            details["customFields"] = dict(item.get("customFields") or {})
        phone = phones.parse(raw.strip(), item_country)
        if phone.valid:
            valid.append(Entry(raw, phone, details))
        else:
            invalid.append(raw)
    if invalid and not body.get("allowInvalid", False):
        code = single_code if single_code is not None and len(numbers) == 1 else 1210
        raise ctx.error(code, invalid=invalid)
    return Submission(valid, invalid, len(numbers))
