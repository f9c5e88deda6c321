"""Templates: reusable message texts per channel, with Viber/WhatsApp approval on the sandbox clock.

Records live in ``account.table("templates")``: ``{"id", "name", "text", "channel", "type",
"richMedia", "approved", "locked", "created_at"}``. Sandbox choices: SMS templates are approved
at once and never locked; Viber and WhatsApp templates are approved ``APPROVAL_DELAY`` seconds
of sandbox time after creation, and approval locks them (edits then give 403 1812). Their
``type`` is ``promotional`` when the rich media has an image or a button, else
``transactional``; SMS templates have no type. Names are unique case-insensitively; a template
created without a name is called ``Template YYYY-MM-DD HH:MM:SS``.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from smscx_client.sandbox.backends._checks import (
    body_dict,
    invalid_param,
    is_http_url,
    name_taken,
    newest_first,
    path_int,
)
from smscx_client.sandbox.wire import Ctx

__all__ = ["APPROVAL_DELAY", "CHANNELS", "MAX_TEXT"]

APPROVAL_DELAY = 300.0  # seconds of sandbox time
CHANNELS = ("sms", "viber", "whatsapp")
MAX_TEXT = 1000  # Viber and WhatsApp
NAME_MIN, NAME_MAX = 3, 100
_NO_MEDIA = {"imageUrl": None, "buttonCaption": None, "targetUrl": None}


def _template(ctx: Ctx) -> Dict[str, Any]:
    rec = ctx.account.table("templates").get(path_int(ctx, "templateId", 1800))
    if rec is None:
        raise ctx.error(1800)
    return rec


def _text(ctx: Ctx, value: Any, channel: str, empty_code: int) -> str:
    if not isinstance(value, str):
        raise ctx.error(1802)
    if not value.strip():
        raise ctx.error(empty_code)
    if "\x00" in value:
        raise ctx.error(1802, "`text` must not contain NUL characters")
    if channel != "sms" and len(value) > MAX_TEXT:
        raise ctx.error(1811)
    return value


def _name(ctx: Ctx, value: Any, skip: Optional[int] = None) -> str:
    if not isinstance(value, str) or not NAME_MIN <= len(value.strip()) <= NAME_MAX:
        raise ctx.error(1803)
    name = value.strip()
    if name_taken(ctx.account.table("templates").values(), name, skip=skip):
        raise ctx.error(1805)
    return name


def _channel(ctx: Ctx, value: Any) -> str:
    if value is None:
        return "sms"
    if not isinstance(value, str) or value not in CHANNELS:
        raise ctx.error(1806)
    return value


def _rich_media(ctx: Ctx, value: Any) -> Dict[str, Optional[str]]:
    if value is None:
        return dict(_NO_MEDIA)
    if not isinstance(value, dict):
        raise invalid_param("richMedia", "must be an object with imageUrl, buttonCaption and targetUrl")
    media = {k: value.get(k) for k in _NO_MEDIA}
    image, caption, target = media["imageUrl"], media["buttonCaption"], media["targetUrl"]
    if image is not None and (not isinstance(image, str) or not is_http_url(image)):
        raise ctx.error(1810)
    if caption is not None and (not isinstance(caption, str) or not 1 <= len(caption) <= 30):
        raise ctx.error(1808)
    if target is not None and (not isinstance(target, str) or not is_http_url(target)):
        raise ctx.error(1809)
    return media


def _type(channel: str, media: Dict[str, Optional[str]]) -> Optional[str]:
    if channel == "sms":
        return None
    return "promotional" if media["imageUrl"] or media["buttonCaption"] else "transactional"


def _review(ctx: Ctx, rec: Dict[str, Any]) -> None:
    """SMS: approved now. Viber/WhatsApp: pending, approved and locked after the delay."""
    rec["approved"] = rec["channel"] == "sms"
    rec["locked"] = False
    if rec["approved"]:
        return
    channel = rec["channel"]

    def approve() -> None:
        if rec["channel"] == channel:  # a later channel change started another review
            rec.update(approved=True, locked=True)

    ctx.state.schedule(ctx.now() + APPROVAL_DELAY, approve)


def _info(rec: Dict[str, Any]) -> Dict[str, Any]:
    info = {"id": rec["id"], "name": rec["name"], "text": rec["text"], "channel": rec["channel"]}
    if rec["channel"] != "sms":  # type and approved are documented for Viber/WhatsApp only
        info.update(type=rec["type"], approved=rec["approved"])
    return info


def create_template(ctx: Ctx) -> Dict[str, Any]:
    """``POST /templates``."""
    body = body_dict(ctx)
    channel = _channel(ctx, body.get("channel"))
    if body.get("text") is None:
        raise ctx.error(1801)
    text = _text(ctx, body["text"], channel, 1801)
    if body.get("name") is None:
        base = "Template " + ctx.clock.fmt()
        name, n = base, 1
        while name_taken(ctx.account.table("templates").values(), name):
            n += 1
            name = "{} ({})".format(base, n)
    else:
        name = _name(ctx, body["name"])
    media = _rich_media(ctx, body.get("richMedia"))
    table = ctx.account.table("templates")
    rec: Dict[str, Any] = {
        "id": table.next_id(),
        "name": name,
        "text": text,
        "channel": channel,
        "type": _type(channel, media),
        "richMedia": media,
        "created_at": ctx.now(),
    }
    _review(ctx, rec)
    table.insert(rec, rec["id"])
    return {"info": _info(rec)}


def get_templates_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /templates``: newest first."""
    return {
        "data": [
            {
                k: v
                for k, v in _details(ctx, r).items()
                if k in ("id", "name", "channel", "text", "createdAt", "approved")
            }
            for r in newest_first(ctx.account.table("templates").values())
        ]
    }


def _details(ctx: Ctx, rec: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "id": rec["id"],
        "name": rec["name"],
        "text": rec["text"],
        "channel": rec["channel"],
        "type": rec["type"],
        "richMedia": dict(rec["richMedia"]),
        "createdAt": ctx.clock.fmt(rec["created_at"]),
        "approved": rec["approved"],
        "locked": rec["locked"],
    }


def get_template(ctx: Ctx) -> Dict[str, Any]:
    """``GET /templates/{templateId}``."""
    return {"data": _details(ctx, _template(ctx))}


def update_template(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``PATCH /templates/{templateId}``: name and/or text (plus channel, richMedia); 204 if unchanged."""
    rec = _template(ctx)
    body = body_dict(ctx)
    if body.get("name") is None and body.get("text") is None:
        raise ctx.error(1804)
    if rec["locked"]:
        raise ctx.error(1812)
    changes: Dict[str, Any] = {}
    channel = rec["channel"] if body.get("channel") is None else _channel(ctx, body["channel"])
    if channel != rec["channel"]:
        changes["channel"] = channel
    if body.get("text") is not None:
        # An empty text is a bad value here: 1801 is documented for creation only.
        text = _text(ctx, body["text"], channel, 1802)
        if text != rec["text"]:
            changes["text"] = text
    elif channel != "sms" and len(rec["text"]) > MAX_TEXT:
        raise ctx.error(1811)
    if body.get("name") is not None:
        name = _name(ctx, body["name"], skip=rec["id"])
        if name != rec["name"]:
            changes["name"] = name
    media = rec["richMedia"] if "richMedia" not in body else _rich_media(ctx, body["richMedia"])
    if media != rec["richMedia"]:
        changes["richMedia"] = media
    if not changes:
        return None
    rec.update(changes)
    rec["type"] = _type(rec["channel"], rec["richMedia"])
    if "channel" in changes:
        _review(ctx, rec)
    return {"info": {"id": rec["id"]}}


def delete_template(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /templates/{templateId}``."""
    rec = _template(ctx)
    ctx.account.table("templates").delete(rec["id"])
    return {"info": {"id": rec["id"]}}
