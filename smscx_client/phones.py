"""Phone numbers checked before sending: E.164, duplicates removed, a reason for each invalid one.

Needs the ``phones`` extra (Google's libphonenumber, via ``phonenumbers``)::

    pip install "phonenumbers>=8.13"        # or, in a clone: pip install ".[phones]"

``normalize`` applies the rules the API applies to the ``to`` of a send, so a batch that the
API would refuse (400, code 1207 for one number, 1210 among several) fails here, before
anything is billed::

    >>> from smscx_client.phones import normalize
    >>> result = normalize(["06 12 34 56 78", "+33612345678", "12", "call me"], default_country="FR")
    >>> result.numbers
    ['+33612345678']
    >>> [(bad.number, bad.reason) for bad in result.invalid]
    [('12', 'invalid'), ('call me', 'not_a_number')]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

__all__ = [
    "MISSING_EXTRA",
    "REASONS",
    "InvalidNumber",
    "Normalized",
    "normalize",
    "parse",
]

MISSING_EXTRA = (
    'smscx_client.phones needs phonenumbers: pip install "phonenumbers>=8.13" '
    '(or, in a clone of the smscx_client repository: pip install ".[phones]")'
)

#: Why a number is refused (the API answers every one of them with 1207 alone, 1210 among others).
REASONS = {
    "not_a_number": "not a phone number (too short, too long, or letters)",
    "invalid": "no such number in its country's numbering plan",
    "no_country": "a valid number outside any country (+800, +882...), which has no SMS price",
}

#: The API's code for invalid numbers: one number alone, or among several.
CODE_ONE_INVALID = 1207
CODE_SOME_INVALID = 1210


@dataclass(frozen=True)
class InvalidNumber:
    """A number the API would refuse, as given, with the reason (a key of ``REASONS``)."""

    number: str
    reason: str

    @property
    def message(self) -> str:
        """The reason in words."""
        return REASONS[self.reason]


@dataclass(frozen=True)
class Normalized:
    """The numbers in E.164 without duplicates, and the invalid ones with their reasons."""

    numbers: List[str]
    """Valid numbers in E.164, each once, in the order first given."""
    invalid: List[InvalidNumber]
    """Each invalid number as given (every occurrence), in order."""
    duplicates: int
    """Valid numbers dropped because an earlier one had the same E.164 form."""
    countries: Dict[str, str] = field(default_factory=dict)
    """The ISO 3166-1 country of each number of ``numbers``."""

    @property
    def total(self) -> int:
        """How many numbers were given."""
        return len(self.numbers) + len(self.invalid) + self.duplicates

    @property
    def error_code(self) -> Optional[int]:
        """The API's code for this list as a send's ``to`` (1207, 1210), None when all are valid."""
        if not self.invalid:
            return None
        return CODE_ONE_INVALID if self.total == 1 else CODE_SOME_INVALID

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "numbers": list(self.numbers),
            "invalid": [{"number": i.number, "reason": i.reason, "message": i.message} for i in self.invalid],
            "duplicates": self.duplicates,
            "countries": dict(self.countries),
            "errorCode": self.error_code,
        }


def _phonenumbers() -> Any:
    try:
        import phonenumbers
    except ImportError:
        raise ImportError(MISSING_EXTRA) from None
    return phonenumbers


def parse(number: str, country: Optional[str] = None) -> Tuple[Any, str, str, bool]:
    """(parsed number or None, E.164, ISO country or "", valid) of one number; never raises.

    ``country`` reads a national number (``06 12 34 56 78`` with ``FR``); a number in
    international form (``+33...``) keeps its own country.
    """
    pn = _phonenumbers()
    region = (country or "").upper() or None
    try:
        parsed = pn.parse(number, region)
    except pn.NumberParseException:
        return None, "", "", False
    valid = pn.is_valid_number(parsed)
    e164 = pn.format_number(parsed, pn.PhoneNumberFormat.E164)
    iso = pn.region_code_for_number(parsed) or ""
    return parsed, e164, iso if iso != "ZZ" else "", valid


def _check(number: str, country: Optional[str]) -> Union[Tuple[str, str], str]:
    """(E.164, country) of a number the API accepts, else the reason it refuses it."""
    parsed, e164, iso, valid = parse(number, country)
    if parsed is None:
        return "not_a_number"
    if not valid:
        return "invalid"
    if len(iso) != 2:
        return "no_country"  # non-geographic numbers (+800, +882...) have no country to price
    return e164, iso


def normalize(numbers: Union[str, Iterable[str]], default_country: Optional[str] = "FR") -> Normalized:
    """E.164 forms of ``numbers`` without duplicates, and the invalid ones with their reasons.

    ``default_country`` (ISO 3166-1, e.g. ``"FR"``, or None for international forms only) reads
    national numbers, as a send's ``countryIso`` does. A single ``str`` is one number.
    """
    items = [numbers] if isinstance(numbers, str) else list(numbers)
    country = default_country.upper() if default_country else None
    seen: Dict[str, str] = {}
    invalid: List[InvalidNumber] = []
    duplicates = 0
    cache: Dict[str, Union[Tuple[str, str], str]] = {}
    for raw in items:
        if not isinstance(raw, str):
            raise TypeError("every number must be a str, got {}".format(type(raw).__name__))
        found = cache.get(raw)
        if found is None:
            found = cache[raw] = _check(raw, country)
        if isinstance(found, str):
            invalid.append(InvalidNumber(raw, found))
        elif found[0] in seen:
            duplicates += 1
        else:
            seen[found[0]] = found[1]
    return Normalized(list(seen), invalid, duplicates, seen)
