"""Phone numbers parsed and validated for real (Google's libphonenumber, via ``phonenumbers``),
by the public ``smscx_client.phones``, with the details the sandbox reports (type, carrier...)."""

from __future__ import annotations

from typing import Any, Optional

from smscx_client import phones as public_phones

__all__ = ["Phone", "parse", "require_phonenumbers", "MISSING_EXTRA"]

# The dependencies themselves, not "smscx_client[sandbox]": until 1.x is on PyPI that installs
# 0.1.x, which has no sandbox, over the SDK that is running this.
MISSING_EXTRA = (
    'The sandbox needs its extra dependencies: pip install "phonenumbers>=8.13" "XlsxWriter>=3.0" '
    '(or, in a clone of the smscx_client repository: pip install ".[sandbox]")'
)


def require_phonenumbers() -> None:
    """Fail with the fix when the sandbox extra is not installed."""
    try:
        import phonenumbers  # noqa: F401
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None


_TYPES = {
    0: "landline",
    1: "mobile",
    2: "mobile",  # fixed line or mobile (US)
    3: "toll_free",
    4: "premium",
    5: "shared",
    6: "voip",
}


class Phone:
    """A parsed number: ``e164`` is empty when it could not be parsed at all.

    ``raw``, ``e164``, ``country_iso`` and ``valid`` are computed at once; the costlier details
    (``number_type``, ``national``, ``carrier``, ``timezone``) when first read, so parsing
    25,000 recipients stays fast.
    """

    __slots__ = ("raw", "e164", "country_iso", "valid", "_parsed")

    def __init__(self, raw: str, e164: str, country_iso: str, valid: bool, parsed: Any = None) -> None:
        self.raw = raw
        self.e164 = e164
        self.country_iso = country_iso
        self.valid = valid
        self._parsed = parsed

    def __repr__(self) -> str:
        return "Phone({!r}, valid={}, country_iso={!r})".format(self.e164 or self.raw, self.valid, self.country_iso)

    @property
    def prefix(self) -> str:
        """The country calling code, e.g. ``33``."""
        return str(self._parsed.country_code) if self._parsed is not None else ""

    @property
    def number_type(self) -> str:
        """mobile, landline, voip, toll_free, premium, shared, other, or unknown when invalid."""
        import phonenumbers

        if not self.valid:
            return "unknown"
        return _TYPES.get(phonenumbers.number_type(self._parsed), "other")

    @property
    def national(self) -> str:
        """The number in national format."""
        import phonenumbers

        if self._parsed is None:
            return ""
        return phonenumbers.format_number(self._parsed, phonenumbers.PhoneNumberFormat.NATIONAL)

    @property
    def carrier(self) -> str:
        """The original network's name (libphonenumber's data), or ""."""
        from phonenumbers import carrier

        return carrier.name_for_number(self._parsed, "en") if self.valid else ""

    @property
    def timezone(self) -> str:
        """The number's first IANA time zone, or ""."""
        from phonenumbers import timezone

        zones = timezone.time_zones_for_number(self._parsed) if self.valid else ()
        return zones[0] if zones and zones[0] != "Etc/Unknown" else ""


def parse(number: object, country_iso: Optional[str] = None) -> Phone:
    """Parse an E.164 number, or a national one with ``country_iso``; never raises."""
    raw = number if isinstance(number, str) else str(number)
    parsed, e164, iso, valid = public_phones.parse(raw, country_iso)
    return Phone(raw, e164, iso, valid, parsed)
