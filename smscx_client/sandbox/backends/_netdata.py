"""Network facts for lookups and rentals: country names, MCC and MNC codes.

libphonenumber knows countries and carriers but not mobile network codes, so the sandbox keeps a
small table of the common ones; any other country answers with the ITU test network (MCC 001)
and any other carrier with an MNC derived from its name, stable from run to run.
"""

from __future__ import annotations

import zlib
from typing import Dict, List, Optional, Tuple

__all__ = ["country_names", "mcc", "mnc", "networks", "other_network"]

# Mobile country codes (ITU E.212) of the destinations people test with most.
_MCC: Dict[str, str] = {
    "FR": "208", "GB": "234", "GG": "234", "JE": "234", "IM": "234", "DE": "262", "US": "310",
    "CA": "302", "ES": "214", "IT": "222", "RO": "226", "NL": "204", "BE": "206", "IE": "272",
    "PL": "260", "PT": "268", "AT": "232", "CH": "228", "SE": "240", "NO": "242", "DK": "238",
    "FI": "244", "GR": "202", "CZ": "230", "HU": "216", "BG": "284", "HR": "219", "SK": "231",
    "SI": "293", "LU": "270", "AU": "505", "NZ": "530", "JP": "440", "CN": "460", "IN": "404",
    "BR": "724", "MX": "334", "AR": "722", "ZA": "655", "NG": "621", "EG": "602", "TR": "286",
    "UA": "255", "IL": "425", "AE": "424", "SA": "420", "SG": "525", "MY": "502", "TH": "520",
    "ID": "510", "PH": "515", "VN": "452", "KR": "450", "HK": "454", "MA": "604", "TN": "605",
    "KE": "639", "CL": "730", "CO": "732", "PE": "716", "MD": "259",
}
# (country, carrier as libphonenumber names it) -> MNC
_MNC: Dict[Tuple[str, str], str] = {
    ("FR", "Orange France"): "01", ("FR", "SFR"): "10", ("FR", "Free Mobile"): "15", ("FR", "Bouygues"): "20",
    ("GB", "EE"): "30", ("GB", "O2"): "10", ("GB", "Vodafone"): "15", ("GB", "Three"): "20",
    ("DE", "T-Mobile"): "01", ("DE", "Vodafone"): "02", ("DE", "O2"): "07",
    ("RO", "Vodafone"): "01", ("RO", "Telekom"): "03", ("RO", "Digi Mobil"): "05", ("RO", "Orange"): "10",
}
# Networks a number can be ported to, per country (others fall back to a generic name).
_NETWORKS: Dict[str, List[str]] = {
    "FR": ["Orange France", "SFR", "Bouygues", "Free Mobile"],
    "GB": ["EE", "O2", "Vodafone", "Three"],
    "DE": ["T-Mobile", "Vodafone", "O2"],
    "RO": ["Orange", "Vodafone", "Telekom", "Digi Mobil"],
}
# Language of the local country name where it differs from English.
_LOCAL_LANGUAGE: Dict[str, str] = {
    "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr", "DE": "de", "AT": "de", "CH": "de", "ES": "es",
    "MX": "es", "AR": "es", "CO": "es", "CL": "es", "PE": "es", "IT": "it", "RO": "ro", "MD": "ro",
    "NL": "nl", "PL": "pl", "PT": "pt", "BR": "pt", "SE": "sv", "DK": "da", "FI": "fi", "NO": "nb",
    "GR": "el", "CZ": "cs", "HU": "hu", "BG": "bg", "HR": "hr", "SK": "sk", "SI": "sl", "TR": "tr",
    "UA": "uk", "JP": "ja", "CN": "zh", "KR": "ko", "RU": "ru",
}


def country_names(e164: str, country_iso: str) -> Tuple[str, str]:
    """The country of a number in English and in its local language."""
    import phonenumbers
    from phonenumbers import geocoder

    number = phonenumbers.parse(e164)
    english = geocoder.country_name_for_number(number, "en") or country_iso
    lang = _LOCAL_LANGUAGE.get(country_iso)
    local = geocoder.country_name_for_number(number, lang) if lang else ""
    return english, local or english


def mcc(country_iso: str) -> str:
    """The mobile country code of a country (``001``, the test network, when not tabled)."""
    return _MCC.get(country_iso, "001")


def mnc(country_iso: str, network: Optional[str]) -> Optional[str]:
    """The mobile network code of a carrier, None when the carrier is unknown."""
    if not network:
        return None
    known = _MNC.get((country_iso, network))
    if known is not None:
        return known
    return "{:02d}".format(zlib.crc32(network.encode("utf-8")) % 90 + 10)


def networks(country_iso: str) -> List[str]:
    """The networks the sandbox names in a country."""
    return _NETWORKS.get(country_iso, ["{} Mobile".format(country_iso), "{} Telecom".format(country_iso)])


def other_network(country_iso: str, current: Optional[str]) -> str:
    """A network of the same country other than ``current`` (where a ported number went)."""
    names = networks(country_iso)
    if current in names:
        return names[(names.index(current) + 1) % len(names)]
    return names[0]
