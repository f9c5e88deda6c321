"""Attachments: list, delete, and their hits (paged, CSV, XLSX).

Records: ``account.attachments`` (``records.Attachment``), keyed by attachmentId (8 random
letters and digits). The API has no upload endpoint (files are uploaded in the dashboard), so attachments are made
with a control action (no credentials)::

    POST /__sandbox/attachment   {"name", "fileUrl"?, "fileType"?}
        answers the attachment as GET /attachments lists it. ``fileType`` defaults to the MIME
        type guessed from the name, ``fileUrl`` to https://sandbox.test/files/<id>/<name>.

    POST /__sandbox/attachment-hit   {"attachmentId", "phoneNumber"?, "device"?, ... (see _hits)}
        records a visit, answers it in the API's hit shape and owes an ``attachment_hit``
        callback (``CallBackRequestAttachmentHit``, one hit per request) to the application's
        ``settings.attachments.attachmentsCallback`` when that is set.

``shortUrl`` is ``https://sandbox.test/a/<id>``.
"""

from __future__ import annotations

import mimetypes
from typing import Any, Dict
from urllib.parse import quote

from smscx_client.sandbox import control
from smscx_client.sandbox.backends import _hits
from smscx_client.sandbox.backends.applications import callback_url
from smscx_client.sandbox.records import Attachment
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Ctx, Reply


def _attachment(ctx: Ctx) -> Attachment:
    return _hits.lookup(ctx, ctx.account.attachments, "attachmentId", 1420)


def _summary(state: SandboxState, item: Attachment) -> Dict[str, Any]:
    return _hits.summary(state, item, fileUrl=item.file_url, fileType=item.file_type)


def get_attachments_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /attachments``: newest first."""
    return {"data": [_summary(ctx.state, a) for a in reversed(ctx.account.attachments.values())]}


def get_attachment_hits(ctx: Ctx) -> Dict[str, Any]:
    """``GET /attachments/{attachmentId}``: summary and a page of hits."""
    item = _attachment(ctx)
    return _hits.hits_reply(ctx, item, _summary(ctx.state, item))


def delete_attachment(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /attachments/{attachmentId}``: the attachment and its hits."""
    item = _attachment(ctx)
    ctx.account.attachments.delete(item.id)
    return {"info": {"id": item.id}}


def export_attachment_hits_to_csv(ctx: Ctx) -> Reply:
    """``GET /attachments/{attachmentId}/csv``."""
    item = _attachment(ctx)
    return _hits.export_reply(ctx, item, "attachment-{}-hits".format(item.id), "csv")


def export_attachment_hits_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /attachments/{attachmentId}/xlsx``."""
    item = _attachment(ctx)
    return _hits.export_reply(ctx, item, "attachment-{}-hits".format(item.id), "xlsx")


def _optional_text(body: Dict[str, Any], key: str) -> Any:
    value = body.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _hits.bad("`{}` must be a non-empty string".format(key))
    return value


@control.register("POST", "attachment")
def create_attachment(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: an attachment as if uploaded in the dashboard."""
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _hits.bad("`name` must be a non-empty string")
    file_url = _optional_text(body, "fileUrl")
    file_type = _optional_text(body, "fileType")
    store = state.account.attachments
    key = _hits.new_key(store, 8)
    item = Attachment(
        key,
        name,
        file_url or "{}files/{}/{}".format(_hits.LINK_BASE, key, quote(name)),
        file_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
        _hits.LINK_BASE + "a/" + key,
        state.clock.now(),
    )
    store.insert(item, key)
    return _summary(state, item)


@control.register("POST", "attachment-hit")
def attachment_hit(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: someone opened an attachment link."""
    item = _hits.find_link(body, "attachmentId", state.account.attachments)
    url = callback_url(state.account, "attachments", "attachmentsCallback")
    return _hits.record_hit(state, item, body, url, "attachment_hit")
