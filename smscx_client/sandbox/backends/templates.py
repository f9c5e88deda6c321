"""Templates: reusable message texts per channel, with Viber/WhatsApp approval on the sandbox clock.

Records: ``account.templates`` (``records.Template``). Sandbox choices: SMS templates are approved
at once and never locked; Viber and WhatsApp templates are approved ``APPROVAL_DELAY`` seconds
of sandbox time after creation, and approval locks them (edits then give 403 1812). Their
``type`` is ``promotional`` when the rich media has an image or a button, else
``transactional``; SMS templates have no type. Names are unique case-insensitively; a template
created without a name is called ``Template YYYY-MM-DD HH:MM:SS``.

Sandbox control action::

    POST /__sandbox/template  {"templateId": N, "approved"?: bool, "locked"?: bool}

what the dashboard's review and lock do: a template approved but not locked yet is refused by
sends (403 1133), one not approved by 1132, a locked one by edits (1812).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from smscx_client.sandbox import control
from smscx_client.sandbox.backends._checks import name_taken, newest_first
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import RichMedia, Template
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Ctx

__all__ = ["APPROVAL_DELAY", "MAX_TEXT", "media_type"]

APPROVAL_DELAY = 300.0  # seconds of sandbox time
MAX_TEXT = 1000  # Viber and WhatsApp
NAME_MIN = 3


# The fields' types, lengths, enums and URL forms are validated from the spec (1801 1802 1803 1806
# 1808 1809 1810); left here: blank texts and names, NUL characters, the Viber/WhatsApp length.
def _template(ctx: Ctx) -> Template:
    rec = ctx.account.templates.get(int(ctx.path["templateId"]))
    if rec is None:
        raise ctx.error(1800)
    return rec


def _text(ctx: Ctx, value: str, channel: str, empty_code: int) -> str:
    if not value.strip():
        raise ctx.error(empty_code)
    if "\x00" in value:
        raise ctx.error(1802, "`text` must not contain NUL characters")
    if channel != "sms" and len(value) > MAX_TEXT:
        raise ctx.error(1811)
    return value


def _name(ctx: Ctx, value: str, skip: Optional[int] = None) -> str:
    name = value.strip()  # the name kept is trimmed
    if len(name) < NAME_MIN:
        raise ctx.error(1803)
    if name_taken(ctx.account.templates, name, skip=skip):
        raise ctx.error(1805)
    return name


def _rich_media(value: Optional[Dict[str, Optional[str]]]) -> RichMedia:
    if value is None:
        return RichMedia()
    return RichMedia(value["imageUrl"], value["buttonCaption"], value["targetUrl"])


def _media_view(media: RichMedia) -> Dict[str, Optional[str]]:
    return {"imageUrl": media.image_url, "buttonCaption": media.button_caption, "targetUrl": media.target_url}


def media_type(channel: str, media: RichMedia) -> Optional[str]:
    """A template's ``type``: None for SMS, else promotional when it has an image or a button."""
    if channel == "sms":
        return None
    return "promotional" if media.image_url or media.button_caption else "transactional"


def _review(ctx: Ctx, rec: Template) -> None:
    """SMS: approved now. Viber/WhatsApp: pending, approved and locked after the delay."""
    rec.approved = rec.channel == "sms"
    rec.locked = False
    if rec.approved:
        return
    channel = rec.channel

    def approve() -> None:
        if rec.channel == channel:  # a later channel change started another review
            rec.approved = rec.locked = True

    ctx.state.schedule(ctx.now() + APPROVAL_DELAY, approve)


def _info(rec: Template) -> Dict[str, Any]:
    info: Dict[str, Any] = {"id": rec.id, "name": rec.name, "text": rec.text, "channel": rec.channel}
    if rec.channel != "sms":  # type and approved are documented for Viber/WhatsApp only
        info.update(type=rec.type, approved=rec.approved)
    return info


def create_template(ctx: Ctx) -> Dict[str, Any]:
    """``POST /templates``."""
    body: Dict[str, Any] = ctx.body
    channel = body.get("channel", "sms")
    text = _text(ctx, body["text"], channel, 1801)
    if body.get("name") is None:
        base = "Template " + ctx.clock.fmt()
        name, n = base, 1
        while name_taken(ctx.account.templates, name):
            n += 1
            name = "{} ({})".format(base, n)
    else:
        name = _name(ctx, body["name"])
    media = _rich_media(body.get("richMedia"))
    templates = ctx.account.templates
    rec = Template(templates.next_id(), name, text, channel, media_type(channel, media), media, ctx.now())
    _review(ctx, rec)
    templates.insert(rec, rec.id)
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
            for r in newest_first(ctx.account.templates)
        ]
    }


def _details(ctx: Ctx, rec: Template) -> Dict[str, Any]:
    return {
        "id": rec.id,
        "name": rec.name,
        "text": rec.text,
        "channel": rec.channel,
        "type": rec.type,
        "richMedia": _media_view(rec.rich_media),
        "createdAt": ctx.clock.fmt(rec.created_at),
        "approved": rec.approved,
        "locked": rec.locked,
    }


def get_template(ctx: Ctx) -> Dict[str, Any]:
    """``GET /templates/{templateId}``."""
    return {"data": _details(ctx, _template(ctx))}


def update_template(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``PATCH /templates/{templateId}``: name and/or text (plus channel, richMedia); 204 if unchanged."""
    rec = _template(ctx)
    body: Dict[str, Any] = ctx.body
    if "name" not in body and "text" not in body:
        raise ctx.error(1804)  # e.g. only a channel: the rule joins two fields
    if rec.locked:
        raise ctx.error(1812)
    channel = body.get("channel", rec.channel)
    text = rec.text
    if "text" in body:
        # An empty text is a bad value here: 1801 is documented for creation only.
        text = _text(ctx, body["text"], channel, 1802)
    elif channel != "sms" and len(rec.text) > MAX_TEXT:
        raise ctx.error(1811)
    name = rec.name if "name" not in body else _name(ctx, body["name"], skip=rec.id)
    media = rec.rich_media if "richMedia" not in body else _rich_media(body["richMedia"])
    if (channel, text, name, media) == (rec.channel, rec.text, rec.name, rec.rich_media):
        return None
    new_channel = channel != rec.channel
    rec.channel, rec.text, rec.name, rec.rich_media = channel, text, name, media
    rec.type = media_type(rec.channel, rec.rich_media)
    if new_channel:
        _review(ctx, rec)
    return {"info": {"id": rec.id}}


def delete_template(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /templates/{templateId}``."""
    rec = _template(ctx)
    ctx.account.templates.delete(rec.id)
    return {"info": {"id": rec.id}}


@control.register("POST", "template")
def review_template(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: set a template's ``approved`` and ``locked`` flags (the dashboard's review)."""
    tid = body.get("templateId")
    rec = state.account.templates.get(tid) if isinstance(tid, int) and not isinstance(tid, bool) else None
    if rec is None:
        raise SandboxApiError(404, "not_found", 1003, "No template with `templateId` {!r}".format(tid))
    flags = {k: v for k, v in body.items() if k != "templateId"}
    if not set(flags) <= {"approved", "locked"} or not all(isinstance(v, bool) for v in flags.values()):
        raise SandboxApiError(400, "invalid_param", 1009, "Give `approved` and/or `locked` as booleans")
    rec.approved = flags.get("approved", rec.approved)
    rec.locked = flags.get("locked", rec.locked)
    return {"id": rec.id, "approved": rec.approved, "locked": rec.locked}
