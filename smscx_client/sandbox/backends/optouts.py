"""Opt-outs: the account's unsubscribe list (messages to listed numbers are REJECTED at cost 0).

Records: ``account.optouts`` (``records.Optout``; add them with ``account.add_optout``). The API's ``optoutFrom`` is ``link`` for numbers that used the opt-out
link (record ``source`` ``"link"``) and ``admin`` for every other source; only ``admin`` entries
can be removed.

Sandbox control action::

    POST /__sandbox/optout-link  {"phoneNumber": "<E.164>", "campaignId"?: "<id>"}

the number unsubscribes through the opt-out link of a message: a ``link`` entry (which
``delete_contact_from_optouts_list`` refuses, 1443) and the ``new_optout`` webhook.

Webhook: when ``account.optout_callback_url`` holds a URL (or, failing that, the
application settings' ``optouts.optoutsCallback``), every new opt-out is POSTed there as a
``new_optout`` event (``CallBackRequestNewOptout``, up to 200 entries a call).
The account's opt-out page (``info.id`` and ``info.link`` of GET /optouts, ``optoutId`` and
``optoutUrl`` of the webhook) is ``optout_link(account)``.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence

from smscx_client.sandbox import control, exports, phones
from smscx_client.sandbox.backends._checks import newest_first
from smscx_client.sandbox.backends._contacts import read_numbers
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import Optout
from smscx_client.sandbox.state import AccountState, SandboxState
from smscx_client.sandbox.wire import Ctx, Reply

__all__ = ["seed", "optout_link", "callback_url", "notify_new_optouts"]

LINK_ID = "sbxoptout"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LINK_BASE = "https://optout.sandbox.invalid/"
CALLBACK_BATCH = 200


def seed(state: SandboxState) -> None:
    """The account's opt-out page id; no callback URL until a test sets one."""
    state.account.optout_link_id = LINK_ID


def optout_link(account: AccountState) -> Dict[str, str]:
    """The account's opt-out page: ``{"id", "link"}``."""
    link_id = account.optout_link_id or LINK_ID
    return {"id": link_id, "link": LINK_BASE + link_id}


def _kind(rec: Optout) -> str:
    return "link" if rec.source == "link" else "admin"


def callback_url(account: AccountState) -> Optional[str]:
    """Where ``new_optout`` webhooks go, or None."""
    url: Any = account.optout_callback_url
    if not url and account.application is not None:
        url = (account.application.settings.get("optouts") or {}).get("optoutsCallback")
    return url if isinstance(url, str) and url else None


def notify_new_optouts(state: SandboxState, records: List[Optout], hit_id: int = 0) -> None:
    """Owe the ``new_optout`` webhook for ``records`` when an opt-out callback URL is configured."""
    url = callback_url(state.account)
    if not url or not records:
        return
    page = optout_link(state.account)
    data = [
        {
            # admin opt-outs involve no visit to the link: hitId 0
            "hitId": hit_id if _kind(r) == "link" else 0,
            "optoutId": page["id"],
            "optoutUrl": page["link"],
            "optoutType": _kind(r),
            "countryIso": r.country_iso,
            "datetime": state.clock.fmt(r.created_at),
            "phoneNumber": r.phone_number,
            "campaignId": r.campaign_id,
            "groupId": None if r.group_id is None else str(r.group_id),
        }
        for r in records
    ]
    for i in range(0, len(data), CALLBACK_BATCH):
        state.callback(url, "new_optout", {"event": "new_optout", "data": data[i : i + CALLBACK_BATCH]})


def _view(ctx: Ctx, rec: Optout) -> Dict[str, Any]:
    view: Dict[str, Any] = {
        "id": rec.id,
        "phoneNumber": rec.phone_number,
        "countryIso": rec.country_iso,
        "optoutFrom": _kind(rec),
        "datetime": ctx.clock.fmt(rec.created_at),
    }
    # Optional keys only when known: 0.1.13 types groupName as a non-null string.
    optional = {
        "campaignId": rec.campaign_id,
        "groupId": rec.group_id,
        "groupName": rec.group_name,
        "campaignName": rec.campaign_name,
    }
    view.update({k: (str(v) if k == "groupId" else v) for k, v in optional.items() if v is not None})
    return view


def add_contact_to_optouts_list(ctx: Ctx) -> Dict[str, Any]:
    """``POST /optouts``: list the valid numbers not listed yet; 1441 when none is new."""
    sub = read_numbers(ctx, single_code=None)
    added: List[Optout] = []
    seen = ctx.account.opted_out_numbers()
    for entry in sub.valid:
        e164 = entry.phone.e164
        if e164 in seen:
            continue
        seen.add(e164)
        added.append(ctx.account.add_optout(e164, entry.phone.country_iso, ctx.now(), source="api"))
    if not added:
        raise ctx.error(1441, invalid=sub.invalid)
    notify_new_optouts(ctx.state, added)
    return {
        "info": {
            "totalValid": len(added),
            "totalInvalid": len(sub.invalid),
            "totalDuplicates": len(sub.valid) - len(added),
            "totalPhoneNumbers": sub.total,
            "invalid": sub.invalid,
        }
    }


def get_optouts_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /optouts``: newest first, cursor-paged (``limit`` up to 500)."""
    records = newest_first(ctx.account.optouts)
    data, paging = ctx.page(records, lambda r: _view(ctx, r))
    page = optout_link(ctx.account)
    return {
        "info": {"id": page["id"], "link": page["link"], "total": len(records)},
        "data": data,
        "paging": paging,
    }


def delete_contact_from_optouts_list(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /optouts/{optoutId}``: only ``admin`` entries (1443 for ``link`` ones)."""
    rec = ctx.account.optouts.get(int(ctx.path["optoutId"]))  # an integer: validated from the spec
    if rec is None:
        raise ctx.error(1202)
    if _kind(rec) != "admin":
        raise ctx.error(1443)
    ctx.account.optouts.delete(rec.id)
    return {"info": {"id": str(rec.id), "phoneNumber": rec.phone_number}}


def _export(ctx: Ctx, kind: str) -> Reply:
    header = ["id", "phoneNumber", "countryIso", "optoutFrom", "datetime", "campaignId", "groupId"]
    rows: List[Sequence[Any]] = [
        [r.id, r.phone_number, r.country_iso, _kind(r), ctx.clock.fmt(r.created_at), r.campaign_id, r.group_id]
        for r in newest_first(ctx.account.optouts)
    ]
    if kind == "csv":
        return exports.csv_reply("optouts.csv", header, rows)
    return exports.xlsx_reply("optouts.xlsx", header, rows, sheet="Optouts")


def export_optouts_to_csv(ctx: Ctx) -> Reply:
    """``GET /optouts/csv``: the whole list (header only when empty)."""
    return _export(ctx, "csv")


def export_optouts_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /optouts/xlsx``: the whole list as an XLSX workbook."""
    return _export(ctx, "xlsx")


@control.register("POST", "optout-link")
def optout_link_used(state: SandboxState, body: Dict[str, Any]) -> Dict[str, Any]:
    """Control action: a recipient unsubscribes through the opt-out link (``optoutFrom`` ``link``)."""
    number, campaign = body.get("phoneNumber"), body.get("campaignId")
    phone = phones.parse(number) if isinstance(number, str) else None
    if phone is None or not phone.valid:
        raise SandboxApiError(400, "invalid_param", 1009, "`phoneNumber` must be a valid E.164 phone number")
    if campaign is not None and not (isinstance(campaign, str) and _UUID.fullmatch(campaign)):
        raise SandboxApiError(400, "invalid_param", 1009, "`campaignId` must be a campaign id (a lower-case UUID)")
    account = state.account
    known = account.is_opted_out(phone.e164)
    rec = account.add_optout(phone.e164, phone.country_iso, state.clock.now(), source="link", campaign_id=campaign)
    if not known:
        notify_new_optouts(state, [rec], hit_id=account.new_hit_id())
    return {"id": rec.id, "phoneNumber": rec.phone_number, "optoutFrom": _kind(rec)}
