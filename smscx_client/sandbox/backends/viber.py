"""Viber: approved templates sent to numbers or to groups, estimates, cancelling scheduled sends.

The text comes from the template (``templateId``: an approved, locked ``viber`` template of the
``templates`` table) with ``{{key}}`` filled from ``customFields`` and, in campaigns, from each
contact. A sender name outside 3-15 characters is refused (the spec's length; no row of these
operations names it, so 1008).
"""

from __future__ import annotations

from typing import Any, Dict

from smscx_client.sandbox.backends import _messaging
from smscx_client.sandbox.backends._content import template_from_body
from smscx_client.sandbox.wire import Ctx

_content = template_from_body("viber")


def send_viber_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /viber``."""
    return _messaging.run(ctx, "viber", _content)


def send_viber_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /viber/campaign``."""
    return _messaging.run(ctx, "viber", _content, campaign=True)


def estimate_viber_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /viber/estimate``."""
    return _messaging.run(ctx, "viber", _content, estimate=True)


def estimate_viber_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``POST /viber/campaign/estimate``."""
    return _messaging.run(ctx, "viber", _content, campaign=True, estimate=True)


def delete_scheduled_viber_message(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /viber/scheduled/{msgId}``."""
    return _messaging.delete_scheduled_message(ctx, "viber")


def delete_scheduled_viber_campaign(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /viber/scheduled/campaign/{campaignId}``."""
    return _messaging.delete_scheduled_campaign(ctx, "viber")
