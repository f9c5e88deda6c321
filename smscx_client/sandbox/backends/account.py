"""Account: balance, channel status, price lists."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from smscx_client.sandbox import pricing
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Ctx

# Networks the sandbox names in its SMS price list, per country (others get one generic network).
_NETWORKS = {
    "FR": ["Orange", "SFR", "Bouygues Telecom", "Free Mobile"],
    "GB": ["EE", "O2", "Vodafone", "Three"],
    "DE": ["Telekom", "Vodafone", "O2"],
    "US": ["AT&T", "T-Mobile", "Verizon"],
    "RO": ["Orange", "Vodafone", "Telekom", "Digi"],
}


def seed(state: SandboxState) -> None:
    """Every channel active; prepaid billing in EUR."""
    state.account.channels = {"sms": True, "viber": True, "whatsapp": True, "multichannel": True}
    state.account.billing = "prepaid"


def get_account_balance(ctx: Ctx) -> Dict[str, Any]:
    """``GET /account/balance``."""
    acc = ctx.account
    return {"balance": float(acc.balance), "currency": acc.currency, "billing": acc.billing}


def get_channels_status(ctx: Ctx) -> Dict[str, Any]:
    """``GET /account/channels/status``."""
    return dict(ctx.account.channels)


def _price_entry(channel: str, traffic: str, country: str) -> Any:
    if channel == "sms":
        unit = pricing.price("sms", country, traffic)
        return {name: float(unit) for name in _NETWORKS.get(country, ["All networks"])} if unit is not None else None
    t = pricing.price(channel, country, "transactional")
    p = pricing.price(channel, country, "promotional")
    return {"TRANSACTIONAL": float(t), "PROMOTIONAL": float(p)} if t is not None and p is not None else None


def _check(ctx: Ctx) -> Tuple[str, str]:
    channel = ctx.path["channel"]  # both from their enums (validated from the spec, 1521)
    traffic = ctx.path["trafficType"]
    if traffic == "2way" and channel != "sms":
        raise ctx.error(1521, "Two-way traffic exists only for SMS")
    return channel, traffic


def get_channel_pricing(ctx: Ctx) -> Dict[str, Any]:
    """``GET /account/pricing/{channel}/{trafficType}``: every covered country."""
    channel, traffic = _check(ctx)
    out = {}
    for country in pricing.covered_countries():
        entry = _price_entry(channel, traffic, country)
        if entry is not None:
            out[country] = entry
    return out


def get_channel_pricing_by_country_iso(ctx: Ctx) -> Dict[str, Any]:
    """``GET /account/pricing/{channel}/{trafficType}/{countryIso}``."""
    channel, traffic = _check(ctx)
    country = ctx.path["countryIso"].upper()  # two characters (validated from the spec, 1522)
    import phonenumbers

    if country not in phonenumbers.SUPPORTED_REGIONS:
        raise ctx.error(1522)
    entry = _price_entry(channel, traffic, country)
    if entry is None:
        raise ctx.error(1523)
    return {country: entry}
