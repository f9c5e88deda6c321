"""Groups: contact lists (numbers with names, email, field1..field5 and custom fields) and exports.

Records live in ``account.table("groups")`` in the shape ``_shared`` documents. Sandbox choices:
group names are unique case-insensitively; a number appears once per group (later copies count
as ``totalDuplicates``); ``totalCost`` prices one single-part transactional SMS per contact that
can be reached (opted-out and uncovered numbers cost nothing, as when sending).
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any, Dict, List, Optional, Sequence, Set

from smscx_client.sandbox import exports, phones, pricing
from smscx_client.sandbox.backends._checks import (
    body_dict,
    invalid_param,
    name_taken,
    newest_first,
    path_int,
    path_uuid,
    text_field,
)
from smscx_client.sandbox.backends._contacts import CONTACT_FIELDS, custom_fields, read_numbers
from smscx_client.sandbox.state import AccountState, money
from smscx_client.sandbox.wire import Ctx, Reply

NAME_MIN, NAME_MAX = 3, 60
_UPDATABLE = ("phoneNumber",) + CONTACT_FIELDS + ("customFields",)


# -- helpers ------------------------------------------------------------------------------
def _group(ctx: Ctx, code: int = 1200) -> Dict[str, Any]:
    group = ctx.account.table("groups").get(path_int(ctx, "groupId", code))
    if group is None:
        raise ctx.error(code)
    return group


def _opted_out(account: AccountState) -> Set[str]:
    return {o["phoneNumber"] for o in account.table("optouts")}


def _cost(contacts: List[Dict[str, Any]], optouts: Set[str]) -> float:
    total = Decimal(0)
    for c in contacts:
        unit = pricing.price("sms", c["countryIso"]) if c["phoneNumber"] not in optouts else None
        total += unit or 0
    return float(money(total))


def _summary(ctx: Ctx, group: Dict[str, Any], optouts: Set[str]) -> Dict[str, Any]:
    contacts = list(group["contacts"].values())
    return {
        "id": group["id"],
        "name": group["name"],
        "totalPhoneNumbers": len(contacts),
        "totalCost": _cost(contacts, optouts),
        "totalOptouts": sum(1 for c in contacts if c["phoneNumber"] in optouts),
        "createdAt": ctx.clock.fmt(group["created_at"]),
    }


def _contact_view(ctx: Ctx, group_id: int, contact: Dict[str, Any], optouts: Set[str]) -> Dict[str, Any]:
    view = {
        "id": contact["phoneNumberId"],
        "phoneNumber": contact["phoneNumber"],
        "countryIso": contact["countryIso"],
    }
    view.update({name: contact.get(name) for name in CONTACT_FIELDS})
    view.update(
        groupId=group_id,
        optout=contact["phoneNumber"] in optouts,
        dateAdded=ctx.clock.fmt(contact["created_at"]),
        customFields=dict(contact["customFields"]),
    )
    return view


def _new_contact(phone: phones.Phone, details: Dict[str, Any], now: float) -> Dict[str, Any]:
    contact: Dict[str, Any] = {
        "phoneNumberId": str(uuid.uuid4()),
        "phoneNumber": phone.e164,
        "countryIso": phone.country_iso,
    }
    contact.update({name: details.get(name) for name in CONTACT_FIELDS})
    contact["customFields"] = dict(details.get("customFields") or {})
    contact["created_at"] = now
    return contact


# -- groups -------------------------------------------------------------------------------
def get_groups_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /groups``: every group, newest first."""
    optouts = _opted_out(ctx.account)
    return {"data": [_summary(ctx, g, optouts) for g in newest_first(ctx.account.table("groups").values())]}


def create_group(ctx: Ctx) -> Dict[str, Any]:
    """``POST /groups``: a new, empty group."""
    name = body_dict(ctx).get("name")
    if name is None or (isinstance(name, str) and not name.strip()):
        raise ctx.error(1204)
    if not isinstance(name, str) or not NAME_MIN <= len(name.strip()) <= NAME_MAX:
        raise ctx.error(1206)
    name = name.strip()
    table = ctx.account.table("groups")
    if name_taken(table.values(), name):
        raise ctx.error(1211)
    group = {"id": table.next_id(), "name": name, "created_at": ctx.now(), "contacts": {}}
    table.insert(group, group["id"])
    return {"info": {"id": group["id"], "name": name}}


def get_group_details(ctx: Ctx) -> Dict[str, Any]:
    """``GET /groups/{groupId}``: the summary and a page of contacts (oldest first)."""
    group = _group(ctx)
    short = ctx.query.get("short_response", "false").lower()
    if short not in ("true", "false", "1", "0", ""):
        raise invalid_param("short_response", "must be true or false")
    optouts = _opted_out(ctx.account)
    info = _summary(ctx, group, optouts)
    if short in ("true", "1"):
        return {"info": info, "data": [], "paging": {"next": None, "previous": None, "size": 0}}
    data, paging = ctx.page(
        list(group["contacts"].values()), lambda c: _contact_view(ctx, group["id"], c, optouts)
    )
    return {"info": info, "data": data, "paging": paging}


def delete_group(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /groups/{groupId}``: the group and all its contacts."""
    group = _group(ctx)
    ctx.account.table("groups").delete(group["id"])
    return {"info": {"id": group["id"], "name": group["name"], "totalPhoneNumbers": len(group["contacts"])}}


def empty_group(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``GET /groups/{groupId}/empty``: remove every contact; 204 when there was none."""
    group = _group(ctx)
    if not group["contacts"]:
        return None
    group["contacts"].clear()
    return {"info": {"id": group["id"], "name": group["name"]}}


# -- contacts -----------------------------------------------------------------------------
def add_contacts_to_group(ctx: Ctx) -> Dict[str, Any]:
    """``POST /groups/{groupId}``: numbers (strings) or contacts (objects); duplicates are skipped."""
    group = _group(ctx)
    sub = read_numbers(ctx, objects=True, single_code=1207)
    present = {c["phoneNumber"] for c in group["contacts"].values()}
    added: List[Dict[str, Any]] = []
    for entry in sub.valid:
        if entry.phone.e164 in present:
            continue
        present.add(entry.phone.e164)
        contact = _new_contact(entry.phone, entry.details, ctx.now())
        group["contacts"][contact["phoneNumberId"]] = contact
        added.append(contact)
    return {
        "info": {
            "totalCost": _cost(added, _opted_out(ctx.account)),
            "totalValid": len(added),
            "totalInvalid": len(sub.invalid),
            "totalDuplicates": len(sub.valid) - len(added),
            "totalPhoneNumbers": sub.total,
            "invalid": sub.invalid,
        }
    }


def _changes(ctx: Ctx, group: Dict[str, Any], contact: Dict[str, Any]) -> Dict[str, Any]:
    body = body_dict(ctx)
    if not any(name in body for name in _UPDATABLE):
        raise ctx.error(1213)
    changes: Dict[str, Any] = {}
    for name in CONTACT_FIELDS:
        if name in body:
            value = text_field(body, name)
            if value != contact.get(name):
                changes[name] = value
    if "customFields" in body:
        merged = dict(contact["customFields"])
        raw = custom_fields(body["customFields"], "customFields", lambda m: invalid_param("customFields", m))
        for key, value in raw.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if len(merged) > 20:
            raise invalid_param("customFields", "a contact holds at most 20 custom fields")
        if merged != contact["customFields"]:
            changes["customFields"] = merged
    if "phoneNumber" in body:
        raw_number = text_field(body, "phoneNumber", nullable=False)
        # National numbers are read in the contact's current country.
        phone = phones.parse((raw_number or "").strip(), contact["countryIso"])
        if not phone.valid:
            raise ctx.error(1207, invalid=[raw_number])
        if phone.e164 != contact["phoneNumber"]:
            if any(c["phoneNumber"] == phone.e164 for c in group["contacts"].values()):
                raise ctx.error(1215)
            changes.update(phoneNumber=phone.e164, countryIso=phone.country_iso)
    return changes


def update_contact_from_group(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``PATCH /groups/{groupId}/{phoneNumberId}``: change the fields sent; 204 when nothing changes."""
    # The operation documents no group-not-found code: an unknown group has no such contact.
    group = _group(ctx, code=1202)
    contact = group["contacts"].get(path_uuid(ctx, "phoneNumberId", 1202))
    if contact is None:
        raise ctx.error(1202)
    changes = _changes(ctx, group, contact)
    if not changes:
        return None
    contact.update(changes)
    return {"info": {"id": contact["phoneNumberId"], "groupId": str(group["id"])}}


def delete_contact_from_group(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /groups/{groupId}/{phoneNumberId}``."""
    group = _group(ctx)
    contact = group["contacts"].pop(path_uuid(ctx, "phoneNumberId", 1202), None)
    if contact is None:
        raise ctx.error(1202)
    return {
        "info": {
            "id": contact["phoneNumberId"],
            "phoneNumber": contact["phoneNumber"],
            "countryIso": contact["countryIso"],
        }
    }


# -- exports ------------------------------------------------------------------------------
def _export(ctx: Ctx, kind: str) -> Reply:
    group = _group(ctx)
    contacts = list(group["contacts"].values())
    optouts = _opted_out(ctx.account)
    custom: List[str] = []
    for c in contacts:
        custom.extend(k for k in c["customFields"] if k not in custom)
    header = ["id", "phoneNumber", "countryIso", *CONTACT_FIELDS, *custom, "optout", "dateAdded"]
    rows: List[Sequence[Any]] = [
        [c["phoneNumberId"], c["phoneNumber"], c["countryIso"]]
        + [c.get(name) for name in CONTACT_FIELDS]
        + [c["customFields"].get(k) for k in custom]
        + [c["phoneNumber"] in optouts, ctx.clock.fmt(c["created_at"])]
        for c in contacts
    ]
    slug = re.sub(r"[^a-z0-9]+", "-", group["name"].lower()).strip("-") or "contacts"
    filename = "group-{}-{}.{}".format(group["id"], slug[:40], kind)
    if kind == "csv":
        return exports.csv_reply(filename, header, rows)
    return exports.xlsx_reply(filename, header, rows, sheet="Contacts")


def export_group_to_csv(ctx: Ctx) -> Reply:
    """``GET /groups/{groupId}/csv``: every contact, one row each (header only when empty)."""
    return _export(ctx, "csv")


def export_group_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /groups/{groupId}/xlsx``: the same rows as an XLSX workbook."""
    return _export(ctx, "xlsx")
