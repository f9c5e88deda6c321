"""Originators (sender IDs): registration, approval on the sandbox clock, listing, deletion.

Records: ``account.originators`` (``records.Originator``; ``status`` is ``PENDING`` or
``APPROVED``). Every reset seeds ``DEFAULT_ORIGINATOR`` (approved, the default).
A new originator starts PENDING and is APPROVED ``APPROVAL_DELAY`` seconds of sandbox time
later (``sb.advance(APPROVAL_DELAY)``). Duplicates are matched exactly (sender IDs are shown
as typed).
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from smscx_client.sandbox.backends._checks import newest_first
from smscx_client.sandbox.records import Originator
from smscx_client.sandbox.state import AccountState, SandboxState
from smscx_client.sandbox.wire import Ctx

__all__ = ["seed", "DEFAULT_ORIGINATOR", "APPROVAL_DELAY", "add_originator", "default_originator"]

DEFAULT_ORIGINATOR = "InfoText"
APPROVAL_DELAY = 300.0  # seconds of sandbox time
ALPHANUMERIC_MAX = 11


def add_originator(account: AccountState, name: str, status: str, is_default: bool, now: float) -> Originator:
    """Register the sender ID ``name`` (no checks); returns its record."""
    rec = Originator(account.originators.next_id(), name, status, is_default, now)
    account.originators.insert(rec, rec.id)
    return rec


def seed(state: SandboxState) -> None:
    """One approved default originator, so messaging has a sender from the start."""
    add_originator(state.account, DEFAULT_ORIGINATOR, "APPROVED", True, state.clock.now())


def default_originator(account: AccountState) -> Optional[str]:
    """The default approved originator's name, or None."""
    for rec in account.originators:
        if rec.is_default and rec.status == "APPROVED":
            return rec.name
    return None


def _view(ctx: Ctx, rec: Originator) -> Dict[str, Any]:
    return {
        "id": rec.id,
        "originator": rec.name,
        "isDefault": rec.is_default,
        "approved": rec.status == "APPROVED",
        "createdAt": ctx.clock.fmt(rec.created_at),
    }


def get_originators_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /originators``: newest first."""
    return {"data": [_view(ctx, r) for r in newest_first(ctx.account.originators)]}


def create_originator(ctx: Ctx) -> Dict[str, Any]:
    """``POST /originators``: validate, register as PENDING and schedule the approval."""
    # letters and digits, 3 to 15 of them (validated from the spec); a sender ID that is not all
    # digits may only be 11 long
    name: str = ctx.body["originator"]
    if not name.isdigit() and len(name) > ALPHANUMERIC_MAX:
        raise ctx.error(1304)
    if any(r.name == name for r in ctx.account.originators):
        raise ctx.error(1306)
    rec = add_originator(ctx.account, name, "PENDING", False, ctx.now())

    def approve() -> None:
        rec.status = "APPROVED"  # a no-op when the originator was deleted meanwhile

    ctx.state.schedule(ctx.now() + APPROVAL_DELAY, approve)
    return {"info": {"id": rec.id, "originator": name}}


def delete_originator(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /originators/{originatorId}``: answers like the creation."""
    rec = ctx.account.originators.delete(int(ctx.path["originatorId"]))  # validated from the spec
    if rec is None:
        raise ctx.error(1300)
    return {"info": {"id": rec.id, "originator": rec.name}}
