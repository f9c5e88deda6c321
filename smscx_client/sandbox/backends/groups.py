"""Groups: contact lists (numbers with names, email, field1..field5 and custom fields) and exports.

Records: ``account.groups`` (``records.Group`` holding ``records.Contact``). Sandbox choices:
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
from smscx_client.sandbox.backends._checks import name_taken, newest_first
from smscx_client.sandbox.backends._contacts import CONTACT_FIELDS, MAX_CUSTOM_FIELDS, read_numbers
from smscx_client.sandbox.records import Contact, Group
from smscx_client.sandbox.state import money
from smscx_client.sandbox.wire import Ctx, Reply

NAME_MIN = 3
_UPDATABLE = ("phoneNumber",) + CONTACT_FIELDS + ("customFields",)


# -- helpers ------------------------------------------------------------------------------
def _group(ctx: Ctx, code: int = 1200) -> Group:
    group = ctx.account.groups.get(int(ctx.path["groupId"]))  # an integer: validated from the spec
    if group is None:
        raise ctx.error(code)
    return group


def _cost(contacts: List[Contact], optouts: Set[str]) -> float:
    total = Decimal(0)
    for c in contacts:
        unit = pricing.price("sms", c.country_iso) if c.phone_number not in optouts else None
        total += unit or 0
    return float(money(total))


def _summary(ctx: Ctx, group: Group, optouts: Set[str]) -> Dict[str, Any]:
    contacts = list(group.contacts.values())
    return {
        "id": group.id,
        "name": group.name,
        "totalPhoneNumbers": len(contacts),
        "totalCost": _cost(contacts, optouts),
        "totalOptouts": sum(1 for c in contacts if c.phone_number in optouts),
        "createdAt": ctx.clock.fmt(group.created_at),
    }


def _contact_view(ctx: Ctx, group_id: int, contact: Contact, optouts: Set[str]) -> Dict[str, Any]:
    view: Dict[str, Any] = {
        "id": contact.phone_number_id,
        "phoneNumber": contact.phone_number,
        "countryIso": contact.country_iso,
    }
    view.update(contact.details())
    view.update(
        groupId=group_id,
        optout=contact.phone_number in optouts,
        dateAdded=ctx.clock.fmt(contact.created_at),
        customFields=dict(contact.custom_fields),
    )
    return view


def new_contact(phone: phones.Phone, details: Dict[str, Any], now: float) -> Contact:
    """A contact of ``phone`` with ``details`` (API names, ``customFields`` included)."""
    contact = Contact(str(uuid.uuid4()), phone.e164, phone.country_iso, now)
    contact.set_details(details)
    contact.custom_fields = dict(details.get("customFields") or {})
    return contact


# -- groups -------------------------------------------------------------------------------
def get_groups_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /groups``: every group, newest first."""
    optouts = ctx.account.opted_out_numbers()
    return {"data": [_summary(ctx, g, optouts) for g in newest_first(ctx.account.groups)]}


def create_group(ctx: Ctx) -> Dict[str, Any]:
    """``POST /groups``: a new, empty group."""
    # a string of 3 to 60 characters (validated from the spec); the name kept is trimmed
    name = ctx.body["name"].strip()
    if not name:
        raise ctx.error(1204)
    if len(name) < NAME_MIN:
        raise ctx.error(1206)
    groups = ctx.account.groups
    if name_taken(groups, name):
        raise ctx.error(1211)
    group = Group(groups.next_id(), name, ctx.now())
    groups.insert(group, group.id)
    return {"info": {"id": group.id, "name": name}}


def get_group_details(ctx: Ctx) -> Dict[str, Any]:
    """``GET /groups/{groupId}``: the summary and a page of contacts (oldest first)."""
    group = _group(ctx)
    optouts = ctx.account.opted_out_numbers()
    info = _summary(ctx, group, optouts)
    if ctx.flag("short_response"):
        return {"info": info, "data": [], "paging": {"next": None, "previous": None, "size": 0}}
    data, paging = ctx.page(list(group.contacts.values()), lambda c: _contact_view(ctx, group.id, c, optouts))
    return {"info": info, "data": data, "paging": paging}


def delete_group(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /groups/{groupId}``: the group and all its contacts."""
    group = _group(ctx)
    ctx.account.groups.delete(group.id)
    return {"info": {"id": group.id, "name": group.name, "totalPhoneNumbers": len(group.contacts)}}


def empty_group(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``GET /groups/{groupId}/empty``: remove every contact; 204 when there was none."""
    group = _group(ctx)
    if not group.contacts:
        return None
    group.contacts.clear()
    return {"info": {"id": group.id, "name": group.name}}


# -- contacts -----------------------------------------------------------------------------
def add_contacts_to_group(ctx: Ctx) -> Dict[str, Any]:
    """``POST /groups/{groupId}``: numbers (strings) or contacts (objects); duplicates are skipped."""
    group = _group(ctx)
    sub = read_numbers(ctx, single_code=1207)
    present = {c.phone_number for c in group.contacts.values()}
    added: List[Contact] = []
    for entry in sub.valid:
        if entry.phone.e164 in present:
            continue
        present.add(entry.phone.e164)
        contact = new_contact(entry.phone, entry.details, ctx.now())
        group.contacts[contact.phone_number_id] = contact
        added.append(contact)
    return {
        "info": {
            "totalCost": _cost(added, ctx.account.opted_out_numbers()),
            "totalValid": len(added),
            "totalInvalid": len(sub.invalid),
            "totalDuplicates": len(sub.valid) - len(added),
            "totalPhoneNumbers": sub.total,
            "invalid": sub.invalid,
        }
    }


def _changes(ctx: Ctx, group: Group, contact: Contact) -> Dict[str, Any]:
    """What the body changes, under API names (the details, customFields, phoneNumber and countryIso).
    The fields' types are validated from the spec."""
    body: Dict[str, Any] = ctx.body
    if not any(name in body for name in _UPDATABLE):
        raise ctx.error(1213)  # only fields this operation does not know
    changes: Dict[str, Any] = {}
    current = contact.details()
    for name in CONTACT_FIELDS:
        if name in body and body[name] != current[name]:
            changes[name] = body[name]
    if "customFields" in body:
        merged = dict(contact.custom_fields)
        for key, value in body["customFields"].items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        if len(merged) > MAX_CUSTOM_FIELDS:  # what the contact would hold after the merge
            raise ctx.error(1008, detail="a contact holds at most {} custom fields".format(MAX_CUSTOM_FIELDS))
        if merged != contact.custom_fields:
            changes["customFields"] = merged
    if "phoneNumber" in body:
        raw_number: str = body["phoneNumber"]
        # National numbers are read in the contact's current country.
        phone = phones.parse(raw_number.strip(), contact.country_iso)
        if not phone.valid:
            raise ctx.error(1207, invalid=[raw_number])
        if phone.e164 != contact.phone_number:
            if any(c.phone_number == phone.e164 for c in group.contacts.values()):
                raise ctx.error(1215)
            changes.update(phoneNumber=phone.e164, countryIso=phone.country_iso)
    return changes


def update_contact_from_group(ctx: Ctx) -> Optional[Dict[str, Any]]:
    """``PATCH /groups/{groupId}/{phoneNumberId}``: change the fields sent; 204 when nothing changes."""
    # The operation documents no group-not-found code: an unknown group has no such contact.
    group = _group(ctx, code=1202)
    contact = group.contacts.get(ctx.path["phoneNumberId"])
    if contact is None:
        raise ctx.error(1202)
    changes = _changes(ctx, group, contact)
    if not changes:
        return None
    contact.set_details(changes)
    contact.custom_fields = changes.get("customFields", contact.custom_fields)
    contact.phone_number = changes.get("phoneNumber", contact.phone_number)
    contact.country_iso = changes.get("countryIso", contact.country_iso)
    return {"info": {"id": contact.phone_number_id, "groupId": str(group.id)}}


def delete_contact_from_group(ctx: Ctx) -> Dict[str, Any]:
    """``DELETE /groups/{groupId}/{phoneNumberId}``."""
    group = _group(ctx)
    contact = group.contacts.pop(ctx.path["phoneNumberId"], None)
    if contact is None:
        raise ctx.error(1202)
    return {
        "info": {
            "id": contact.phone_number_id,
            "phoneNumber": contact.phone_number,
            "countryIso": contact.country_iso,
        }
    }


# -- exports ------------------------------------------------------------------------------
def _export(ctx: Ctx, kind: str) -> Reply:
    group = _group(ctx)
    contacts = list(group.contacts.values())
    optouts = ctx.account.opted_out_numbers()
    custom: List[str] = []
    for c in contacts:
        custom.extend(k for k in c.custom_fields if k not in custom)
    header = ["id", "phoneNumber", "countryIso", *CONTACT_FIELDS, *custom, "optout", "dateAdded"]
    rows: List[Sequence[Any]] = []
    for c in contacts:
        details = c.details()
        rows.append(
            [c.phone_number_id, c.phone_number, c.country_iso]
            + [details[name] for name in CONTACT_FIELDS]
            + [c.custom_fields.get(k) for k in custom]
            + [c.phone_number in optouts, ctx.clock.fmt(c.created_at)]
        )
    slug = re.sub(r"[^a-z0-9]+", "-", group.name.lower()).strip("-") or "contacts"
    filename = "group-{}-{}.{}".format(group.id, slug[:40], kind)
    if kind == "csv":
        return exports.csv_reply(filename, header, rows)
    return exports.xlsx_reply(filename, header, rows, sheet="Contacts")


def export_group_to_csv(ctx: Ctx) -> Reply:
    """``GET /groups/{groupId}/csv``: every contact, one row each (header only when empty)."""
    return _export(ctx, "csv")


def export_group_to_xlsx(ctx: Ctx) -> Reply:
    """``GET /groups/{groupId}/xlsx``: the same rows as an XLSX workbook."""
    return _export(ctx, "xlsx")
