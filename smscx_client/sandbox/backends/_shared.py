"""Records that several backends read, with one owner each, and the accessors others use.

Tables (``state.account.table(name)``) and the shape of their records (plain dicts; timestamps
are sandbox-clock Unix seconds, rendered with ``clock.fmt`` only in responses):

* ``groups`` (owner groups.py), key int id:
  ``{"id", "name", "created_at", "contacts": {phoneNumberId(uuid): contact}}`` where a contact is
  ``{"phoneNumberId", "phoneNumber" (E.164), "countryIso", "firstName", "lastName", "email",
  "field1".."field5", "customFields": {name: value}, "created_at"}``.
* ``optouts`` (owner optouts.py), key int id:
  ``{"id", "phoneNumber" (E.164), "countryIso", "source" ("api", "link", "sms", "manual"),
  "campaignId" or None, "created_at"}``.
* ``originators`` (owner originators.py), key int id: ``{"id", "originator", "status",
  "isDefault", "created_at"}``.
* ``templates`` (owner templates.py), key int id: ``{"id", "name", "text", "created_at", ...}``.
* ``shortlinks`` (owner shortlinks.py), key shortId str: ``{"shortId", "name", "url",
  "created_at", "hits": [hit dict]}``.
* ``attachments`` (owner attachments.py), key attachmentId str: same idea as shortlinks.
* ``numbers_rent`` (owner numbers.py), key rentId uuid: a rented virtual number.
* ``inbound`` (written by numbers.py for SMS to a rented number and by _messaging.py for the
  ``auto_reply`` magic number; read by conversations.py), key msgId uuid:
  ``{"msgId", "from" (E.164 of the sender), "to" (our number or sender name), "text",
  "channel" ("sms", "viber", "whatsapp"), "countryIso", "rentId" or None, "created_at"}``.
  Use ``add_inbound`` so conversations are notified consistently.

Messages are not a table: ``state.account.messages`` maps msgId to ``state.Message`` (the outbox,
owner _messaging.py; reports.py and conversations.py read it).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Set

from smscx_client.sandbox.state import AccountState

__all__ = ["add_inbound", "is_opted_out", "opted_out_numbers", "add_optout", "group_contacts", "find_shortlink", "find_attachment", "find_template"]


def opted_out_numbers(account: AccountState) -> Set[str]:
    """Every opted-out number (E.164): build once per request, test membership per recipient."""
    return {o["phoneNumber"] for o in account.table("optouts")}


def is_opted_out(account: AccountState, e164: str) -> bool:
    """True when the number is on the opt-out list (messages to it are REJECTED at cost 0)."""
    return e164 in opted_out_numbers(account)


def add_optout(
    account: AccountState, e164: str, country_iso: str, now: float, source: str = "api", campaign_id: Optional[str] = None
) -> Dict[str, Any]:
    """Put a number on the opt-out list (idempotent); returns its record."""
    table = account.table("optouts")
    for o in table:
        if o["phoneNumber"] == e164:
            return o
    rec: Dict[str, Any] = {
        "id": table.next_id(),
        "phoneNumber": e164,
        "countryIso": country_iso,
        "source": source,
        "campaignId": campaign_id,
        "created_at": now,
    }
    table.insert(rec, rec["id"])
    return rec


def group_contacts(account: AccountState, group_id: int) -> Optional[List[Dict[str, Any]]]:
    """The contacts of a group, or None when the group does not exist."""
    group = account.table("groups").get(group_id)
    if group is None:
        return None
    return list(group["contacts"].values())


def find_shortlink(account: AccountState, short_id: str) -> Optional[Dict[str, Any]]:
    """A shortlink record, or None."""
    return account.table("shortlinks").get(short_id)


def find_attachment(account: AccountState, attachment_id: str) -> Optional[Dict[str, Any]]:
    """An attachment record, or None."""
    return account.table("attachments").get(attachment_id)


def find_template(account: AccountState, template_id: int) -> Optional[Dict[str, Any]]:
    """A template record, or None."""
    return account.table("templates").get(template_id)


def add_inbound(
    account: AccountState,
    msg_id: str,
    sender: str,
    to: str,
    text: str,
    channel: str,
    country_iso: str,
    now: float,
    rent_id: Optional[str] = None,
) -> Dict[str, Any]:
    """Record a message received by the account (an inbound SMS, Viber or WhatsApp message)."""
    rec: Dict[str, Any] = {
        "msgId": msg_id,
        "from": sender,
        "to": to,
        "text": text,
        "channel": channel,
        "countryIso": country_iso,
        "rentId": rent_id,
        "created_at": now,
    }
    account.table("inbound").insert(rec, msg_id)
    return rec
