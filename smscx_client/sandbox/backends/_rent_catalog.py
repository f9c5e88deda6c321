"""The virtual numbers the sandbox offers for rent: a fixed, deterministic list per country.

Each country offers up to eight numbers built from libphonenumber's example numbers (so they are
valid numbers of that country), one per slot of ``SLOTS``, which vary the features, minimum
rental period, setup time and registration requirement so every filter has something to find.
``numberId`` is a UUID derived from the number, the same in every run.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Dict, List, Optional

from smscx_client.sandbox import phones, pricing

__all__ = ["Offer", "offers", "find", "FEATURE_INBOUND", "FEATURE_OUTBOUND", "FEATURE_VOICE"]

FEATURE_INBOUND, FEATURE_OUTBOUND, FEATURE_VOICE = 1, 2, 4
_NAMESPACE = uuid.UUID("5d1c5b1e-4f0e-4c55-9a51-3c2f1f7a9b10")


@dataclass(frozen=True)
class Offer:
    """A number that can be rented."""

    number_id: str
    phone_number: str
    country_iso: str
    network_operator: str
    features: int
    number_type: str  # mobile landline
    min_rent: int
    setup_time: str  # instant delayed
    registration: bool
    inbound_sms_sender: bool
    setup_cost: Decimal

    @property
    def inbound_sms_cost(self) -> Decimal:
        """Receiving is free in the sandbox."""
        return Decimal("0")

    @property
    def outbound_sms_cost(self) -> Optional[Decimal]:
        """The SMS price of the country, None when the number cannot send."""
        if not self.features & FEATURE_OUTBOUND:
            return None
        return pricing.price("sms", self.country_iso)

    def periods(self) -> List[int]:
        """The rental periods this number accepts (its minimum and longer)."""
        return [d for d in (1, 7, 30) if d >= self.min_rent]


# (number type, features, minimum rent in days, setup time, registration, alphanumeric senders, setup cost)
SLOTS = [
    ("mobile", FEATURE_INBOUND | FEATURE_OUTBOUND, 1, "instant", False, True, "0"),
    ("mobile", FEATURE_INBOUND, 1, "instant", False, False, "0"),
    ("mobile", FEATURE_INBOUND | FEATURE_OUTBOUND | FEATURE_VOICE, 7, "instant", False, True, "0"),
    ("mobile", FEATURE_INBOUND | FEATURE_OUTBOUND, 30, "delayed", True, True, "5.00"),
    ("mobile", FEATURE_OUTBOUND, 1, "instant", False, False, "0"),
    ("landline", FEATURE_INBOUND, 1, "instant", False, False, "0"),
    ("landline", FEATURE_INBOUND | FEATURE_VOICE, 7, "instant", False, False, "0"),
    ("landline", FEATURE_INBOUND, 30, "delayed", False, False, "2.00"),
]

_lock = threading.Lock()
_by_country: Dict[str, List[Offer]] = {}
_by_id: Dict[str, Offer] = {}


def _example(country_iso: str, number_type: str) -> Optional[str]:
    import phonenumbers

    kind = phonenumbers.PhoneNumberType.MOBILE if number_type == "mobile" else phonenumbers.PhoneNumberType.FIXED_LINE
    example = phonenumbers.example_number_for_type(country_iso, kind)
    if example is None:
        return None
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


def _build(country_iso: str) -> List[Offer]:
    out: List[Offer] = []
    taken = set()
    for slot, (kind, features, min_rent, setup, registration, sender, setup_cost) in enumerate(SLOTS):
        base = _example(country_iso, kind)
        if base is None or len(base) < 6:
            continue
        for attempt in range(20):
            candidate = base[:-3] + "{:03d}".format((slot * 137 + attempt * 71 + 11) % 1000)
            phone = phones.parse(candidate)
            if phone.valid and phone.country_iso == country_iso and candidate not in taken:
                break
        else:
            continue
        taken.add(candidate)
        operator = phone.carrier or "{} {}".format(country_iso, "Mobile" if kind == "mobile" else "Telecom")
        out.append(
            Offer(
                number_id=str(uuid.uuid5(_NAMESPACE, candidate)),
                phone_number=candidate,
                country_iso=country_iso,
                network_operator=operator,
                features=features,
                number_type=kind,
                min_rent=min_rent,
                setup_time=setup,
                registration=registration,
                inbound_sms_sender=sender,
                setup_cost=Decimal(setup_cost),
            )
        )
    return out


def offers(country_iso: str) -> List[Offer]:
    """The numbers a country offers (empty for countries the sandbox does not cover)."""
    with _lock:
        found = _by_country.get(country_iso)
        if found is None:
            found = [] if country_iso in pricing.NO_COVERAGE else _build(country_iso)
            _by_country[country_iso] = found
            _by_id.update((o.number_id, o) for o in found)
        return found


def find(number_id: str) -> Optional[Offer]:
    """The offer with this id, in whichever country."""
    import phonenumbers

    with _lock:
        offer = _by_id.get(number_id)
    if offer is not None:
        return offer
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):  # an id from another run: build them all once
        offers(region)
    with _lock:
        return _by_id.get(number_id)
