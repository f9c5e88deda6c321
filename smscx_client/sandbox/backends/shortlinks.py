"""Shortlinks: create, list, rename or repoint, delete, and their hits (paged, CSV, XLSX).

Records: ``account.shortlinks`` (``records.Shortlink``), keyed by shortId (6 random letters and
digits). ``shortUrl`` is ``https://sandbox.test/<shortId>`` (a reserved test domain: the sandbox serves no
redirects). Sandbox choices: a URL is valid when it is an absolute http(s) URL with a host and
no spaces, at most 2048 characters; an unnamed link is called ``Short link #<n>``; names need
not be unique on creation (the API documents the clash only for updates, code 1407). Short ids
are drawn until unused, so ``duplicate_id`` (1405) cannot happen here.

Visits are simulated with a control action (no credentials)::

    POST /__sandbox/shortlink-hit   {"shortId", "phoneNumber"?, "campaignId"?, "groupId"?,
                                     "device"?, "browser"?, "os"?, "city"?, ... (see _hits)}

It records a hit, answers it in the API's hit shape, and owes a ``shortlink_hit`` callback
(``CallBackRequestShortlinkHit``, one hit per request) to the application's
``settings.shortlinks.shortlinksCallback`` when that is set (``POST /__sandbox/application``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from smscx_client.sandbox import control
from smscx_client.sandbox.backends import _hits
from smscx_client.sandbox.backends.applications import callback_url
from smscx_client.sandbox.records import Shortlink
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Ctx, Reply


# ``url`` (1401 missing, 1402 not an http(s) URL with a host) and ``name`` (1404: 3 to 25
# characters) are validated from the spec; a name of spaces only is refused here.
def _name_ok(value: str) -> bool:
    return bool(value.strip())


def _link(ctx: Ctx) -> Shortlink:
    return _hits.lookup(ctx, ctx.account.shortlinks, "shortId", 1400)


def _summary(ctx: Ctx, link: Shortlink) -> Dict[str, Any]:
    return _hits.summary(ctx.state, link, originalUrl=link.url)


def create_shortlink(ctx: Ctx) -> Dict[str, Any]:
    """``POST /shortlinks`` (201)."""
    body: Dict[str, Any] = ctx.body
    name = body.get("name")
    if name is not None and not _name_ok(name):
        raise ctx.error(1404)
    store = ctx.account.shortlinks
    short_id = _hits.new_key(store)
    # the generated name counts every link ever made, like the API's "Short link #433"
    number = ctx.account.new_shortlink_number()
    link = Shortlink(
        short_id,
        name if name is not None else "Short link #{}".format(number),
        body["url"],
        _hits.LINK_BASE + short_id,
        ctx.now(),
    )
    store.insert(link, short_id)
    return {"info": {"id": short_id, "name": link.name, "originalUrl": link.url, "shortUrl": link.short_url}}


def get_shortlinks_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /shortlinks``: newest first."""
    return {"data": [_summary(ctx, link) for link in reversed(ctx.account.shortlinks.values())]}


def get_shortlink_hits(ctx: Ctx) -> Dict[str, Any]:
    """``GET /shortlinks/{shortId}``: summary and a page of hits."""
    link = _link(ctx)
    return _hits.hits_reply(ctx, link, _summary(ctx, link))


def update_shortlink(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``PATCH /shortlinks/{shortId}``: new name and/or url; 204 when nothing changes."""
    link = _link(ctx)
    body: Dict[str, Any] = ctx.body
    name, url = body.get("name"), body.get("url")
    if name is None and url is None:
        raise ctx.error(1406)  # only fields this operation does not know
    if name is not None:
        if not _name_ok(name):
            raise ctx.error(1404)
        if any(o.name == name and o is not link for o in ctx.account.shortlinks):
            raise ctx.error(1407)
    new_name = link.name if name is None else name
    new_url = link.url if url is None else url
    if (new_name, new_url) == (link.name, link.url):
        return None
    link.name, link.url = new_name, new_url
    return {"info": {"id": link.id}}


def delete_shortlink(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /shortlinks/{shortId}``: the link and its hits."""
    link = _link(ctx)
    ctx.account.shortlinks.delete(link.id)
    return {"info": {"id": link.id}}


def export_shortlink_hits_to_csv(ctx: Ctx) -> Reply:
    """``GET /shortlinks/{shortId}/csv``."""
    link = _link(ctx)
    return _hits.export_reply(ctx, link, "shortlink-{}-hits".format(link.id), "csv")


def export_shortlink_hits_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /shortlinks/{shortId}/xlsx``."""
    link = _link(ctx)
    return _hits.export_reply(ctx, link, "shortlink-{}-hits".format(link.id), "xlsx")


@control.register("POST", "shortlink-hit")
def shortlink_hit(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: someone opened a short link."""
    link = _hits.find_link(body, "shortId", state.account.shortlinks)
    url = callback_url(state.account, "shortlinks", "shortlinksCallback")
    return _hits.record_hit(state, link, body, url, "shortlink_hit")
