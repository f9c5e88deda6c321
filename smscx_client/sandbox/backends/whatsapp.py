"""WhatsApp: approved templates sent to numbers, estimates, cancelling scheduled messages.

Same rules as viber.py with ``whatsapp`` templates.
"""

from __future__ import annotations

from typing import Any, Dict

from smscx_client.sandbox.backends import _messaging
from smscx_client.sandbox.backends._content import template_from_body
from smscx_client.sandbox.wire import Ctx

_content = template_from_body("whatsapp")


def send_whatsapp_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /whatsapp``."""
    return _messaging.run(ctx, "whatsapp", _content)


def estimate_whatsapp_message(ctx: Ctx) -> Dict[str, Any]:
    """``POST /whatsapp/estimate``."""
    return _messaging.run(ctx, "whatsapp", _content, estimate=True)


def delete_scheduled_whatsapp_message(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /whatsapp/scheduled/{msgId}``."""
    return _messaging.delete_scheduled_message(ctx, "whatsapp")
