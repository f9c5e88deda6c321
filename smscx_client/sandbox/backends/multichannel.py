"""Multichannel: one message with a failover strategy (Viber/WhatsApp, then SMS).

The message starts on the first channel of ``strategy`` and is charged for it; the balance must
also cover the later channels (1130). When the first channel fails or its ``ttl`` runs out the
next one starts and is charged then -- _delivery.py has the sandbox timelines (the
``delivery_failed`` magic number fails on Viber/WhatsApp and is DELIVERED by the SMS fallback).
``from`` is 3-11 characters, as the multichannel errors document (validated from the spec).
"""

from __future__ import annotations

from typing import Any, Dict

from smscx_client.sandbox.backends import _messaging
from smscx_client.sandbox.backends._content import MultichannelContent
from smscx_client.sandbox.wire import Ctx


def send_multichannel_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /multichannel``."""
    return _messaging.run(ctx, "multichannel", MultichannelContent)


def send_multichannel_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /multichannel/campaign``."""
    return _messaging.run(ctx, "multichannel", MultichannelContent, campaign=True)


def estimate_multichannel_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /multichannel/estimate``."""
    return _messaging.run(ctx, "multichannel", MultichannelContent, estimate=True)


def estimate_multichannel_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /multichannel/campaign/estimate``."""
    return _messaging.run(ctx, "multichannel", MultichannelContent, campaign=True, estimate=True)


def delete_scheduled_multichannel_message(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /multichannel/scheduled/{msgId}``."""
    return _messaging.delete_scheduled_message(ctx, "multichannel")


def delete_scheduled_multichannel_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /multichannel/scheduled/campaign/{campaignId}``."""
    return _messaging.delete_scheduled_campaign(ctx, "multichannel")
