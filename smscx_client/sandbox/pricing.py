"""The sandbox's price list, in EUR, per message part, by channel, traffic type and country."""

from __future__ import annotations

from decimal import Decimal
from typing import Dict, List, Optional

__all__ = ["price", "covered_countries", "NO_COVERAGE", "LOOKUP_PRICE", "VALIDATE_PRICE", "rent_price"]

# A few well-known destinations priced individually; every other country uses DEFAULT.
_SMS: Dict[str, str] = {
    "FR": "0.0450", "GB": "0.0400", "DE": "0.0750", "US": "0.0100", "CA": "0.0120", "ES": "0.0550",
    "IT": "0.0600", "RO": "0.0350", "NL": "0.0800", "BE": "0.0700", "IE": "0.0650", "PL": "0.0300",
    "GG": "0.0400", "JE": "0.0400", "IM": "0.0400",
}
DEFAULT = Decimal("0.0500")
# traffic type -> multiplier on the SMS price
_TRAFFIC = {"transactional": Decimal("1"), "promotional": Decimal("0.9"), "2way": Decimal("1.2")}
# Viber/WhatsApp are priced per message, not per part
_VIBER = {"transactional": Decimal("0.0300"), "promotional": Decimal("0.0250")}
_WHATSAPP = {"transactional": Decimal("0.0400"), "promotional": Decimal("0.0600")}

# destinations the sandbox does not cover (sends are refused or marked NO COVERAGE)
NO_COVERAGE = frozenset({"KP", "SY", "IR", "CU"})

LOOKUP_PRICE = Decimal("0.0050")
VALIDATE_PRICE = Decimal("0")


def covered_countries() -> List[str]:
    """Every country the sandbox sells to (ISO alpha-2, sorted)."""
    import phonenumbers

    return sorted(r for r in phonenumbers.SUPPORTED_REGIONS if r not in NO_COVERAGE and r != "001")


def price(channel: str, country_iso: str, traffic: str = "transactional") -> Optional[Decimal]:
    """Price of one part (SMS) or one message (Viber, WhatsApp); None when not covered."""
    country = country_iso.upper()
    if not country or country in NO_COVERAGE:
        return None
    traffic = traffic if traffic in _TRAFFIC else "transactional"
    if channel == "sms":
        base = Decimal(_SMS[country]) if country in _SMS else DEFAULT
        return (base * _TRAFFIC[traffic]).quantize(Decimal("0.0001"))
    if channel == "viber":
        return _VIBER.get(traffic, _VIBER["transactional"])
    if channel == "whatsapp":
        return _WHATSAPP.get(traffic, _WHATSAPP["transactional"])
    raise ValueError("unknown channel " + channel)


def rent_price(country_iso: str, days: int) -> Decimal:
    """Price of renting a virtual number for 1, 7 or 30 days."""
    per_day = Decimal("0.50") if country_iso.upper() in ("US", "CA") else Decimal("0.80")
    discount = {1: Decimal("1"), 7: Decimal("0.9"), 30: Decimal("0.75")}.get(days, Decimal("1"))
    return (per_day * days * discount).quantize(Decimal("0.01"))
