"""SMS: send to numbers or to groups, estimate, and cancel scheduled sends (see _messaging.py)."""

from __future__ import annotations

from typing import Any, Dict

from smscx_client.sandbox.backends import _messaging
from smscx_client.sandbox.backends._content import sms_from_body
from smscx_client.sandbox.wire import Ctx


def send_sms(ctx: Ctx) -> Dict[str, Any]:
    """``POST /sms``."""
    return _messaging.run(ctx, "sms", sms_from_body)


def send_sms_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /sms/campaign``."""
    return _messaging.run(ctx, "sms", sms_from_body, campaign=True)


def estimate_sms(ctx: Ctx) -> Dict[str, Any]:
    """``POST /sms/estimate``: the send's response without sending or charging."""
    return _messaging.run(ctx, "sms", sms_from_body, estimate=True)


def estimate_sms_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /sms/campaign/estimate``."""
    return _messaging.run(ctx, "sms", sms_from_body, campaign=True, estimate=True)


def delete_scheduled_sms(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /sms/scheduled/{msgId}``."""
    return _messaging.delete_scheduled_message(ctx, "sms")


def delete_scheduled_sms_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /sms/scheduled/campaign/{campaignId}``."""
    return _messaging.delete_scheduled_campaign(ctx, "sms")
