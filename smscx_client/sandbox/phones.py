"""Phone numbers parsed and validated for real (Google's libphonenumber, via ``phonenumbers``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

__all__ = ["Phone", "parse", "require_phonenumbers"]


def require_phonenumbers() -> None:
    """Fail with the fix when the sandbox extra is not installed."""
    try:
        import phonenumbers  # noqa: F401
    except ImportError:
        raise RuntimeError(
            'The sandbox needs its extra dependencies: pip install "smscx_client[sandbox]"'
        ) from None


@dataclass(frozen=True)
class Phone:
    """A parsed number: ``e164`` is empty when it could not be parsed at all."""

    raw: str
    e164: str
    country_iso: str  # ISO 3166 alpha-2, upper case ("" if unknown)
    valid: bool
    number_type: str  # mobile landline voip toll_free premium shared other unknown
    national: str
    carrier: str
    timezone: str

    @property
    def prefix(self) -> str:
        """The country calling code, e.g. ``33``."""
        import phonenumbers

        try:
            return str(phonenumbers.parse(self.e164).country_code) if self.e164 else ""
        except phonenumbers.NumberParseException:
            return ""


_TYPES = {
    0: "landline",
    1: "mobile",
    2: "mobile",  # fixed line or mobile (US)
    3: "toll_free",
    4: "premium",
    5: "shared",
    6: "voip",
}


def parse(number: object, country_iso: Optional[str] = None) -> Phone:
    """Parse an E.164 number, or a national one with ``country_iso``; never raises."""
    import phonenumbers
    from phonenumbers import carrier, geocoder, timezone  # noqa: F401

    raw = number if isinstance(number, str) else str(number)
    region = (country_iso or "").upper() or None
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return Phone(raw, "", "", False, "unknown", "", "", "")
    valid = phonenumbers.is_valid_number(parsed)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    iso = phonenumbers.region_code_for_number(parsed) or ""
    kind = _TYPES.get(phonenumbers.number_type(parsed), "other") if valid else "unknown"
    zones = timezone.time_zones_for_number(parsed) if valid else ()
    return Phone(
        raw=raw,
        e164=e164,
        country_iso=iso if iso != "ZZ" else "",
        valid=valid,
        number_type=kind,
        national=phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL),
        carrier=carrier.name_for_number(parsed, "en") if valid else "",
        timezone=zones[0] if zones and zones[0] != "Etc/Unknown" else "",
    )
