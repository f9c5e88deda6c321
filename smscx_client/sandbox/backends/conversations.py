"""Conversations: the exchange with one counterpart phone number on one channel.

A conversation exists once the counterpart has written to the account (a ``records.Inbound`` in
``account.inbound``); it then holds every inbound message from that number on that channel,
every outbox message to it on that channel and the replies sent from it, in time order. Its id is a UUID derived from
(channel, number), so it is stable across resets. The only state of its own is what has been
read: ``account.conversations`` (this module's ``records.ConversationState``, key conversation
id).
"""

from __future__ import annotations

import uuid
from typing import Any, Dict, List, Optional, Set, Tuple

from smscx_client.sandbox import control, phones
from smscx_client.sandbox.backends._conversation_reply import send_reply
from smscx_client.sandbox.backends._delivery import notify_received
from smscx_client.sandbox.backends._outbox import REPORT_CHANNELS, report_channel
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import ConversationState, Inbound, Message
from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Ctx

__all__ = ["conversation_id", "Conversation"]

_NAMESPACE = uuid.UUID("5f0c1f0e-6c2b-4a53-9b1e-0c6f2a1d7e44")
_PREVIEW = 160
# DataConversation.status has no ACCEPTED, REJECTED or NO COVERAGE: messages in flight show as
# SENT, refused ones as FAILED.
_STATUS = {"ACCEPTED": "SENT", "REJECTED": "FAILED", "NO COVERAGE": "FAILED"}


def conversation_id(number: str, channel: str) -> str:
    """The conversation id of (counterpart number, channel)."""
    return str(uuid.uuid5(_NAMESPACE, "{}:{}".format(channel, number)))


class Conversation:
    """One counterpart on one channel: the inbound records from it and the outbox messages to it."""

    def __init__(self, cid: str, number: str, channel: str, country_iso: str) -> None:
        self.id = cid
        self.number = number
        self.channel = channel
        self.country_iso = country_iso
        self.inbound: List[Inbound] = []

    @property
    def our_number(self) -> str:
        """The number or sender name the counterpart last wrote to."""
        return self.inbound[-1].to

    @property
    def last_inbound(self) -> Inbound:
        """The counterpart's latest message."""
        return self.inbound[-1]

    def outbound(self, ctx: Ctx) -> List[Message]:
        """The outbox messages to the counterpart on this channel, and the replies sent from here."""
        return [
            m
            for m in ctx.account.messages.values()
            if m.to == self.number and (report_channel(m) == self.channel or m.conversation_id == self.id)
        ]

    def read_ids(self, ctx: Ctx) -> Set[str]:
        """The inbound msgIds already read."""
        rec = ctx.account.conversations.get(self.id)
        return rec.read if rec else set()

    def unread(self, ctx: Ctx) -> int:
        """Inbound messages not read yet."""
        read = self.read_ids(ctx)
        return sum(1 for r in self.inbound if r.msg_id not in read)


def _conversations(ctx: Ctx) -> Dict[str, Conversation]:
    out: Dict[str, Conversation] = {}
    inbound = sorted(ctx.account.inbound, key=lambda r: r.created_at)
    for rec in inbound:
        cid = conversation_id(rec.sender, rec.channel)
        conv = out.get(cid)
        if conv is None:
            conv = out[cid] = Conversation(cid, rec.sender, rec.channel, rec.country_iso or "")
        conv.inbound.append(rec)
    return out


def _find(ctx: Ctx) -> Conversation:
    conv = _conversations(ctx).get(ctx.path["conversationId"])
    if conv is None:
        raise ctx.error(1180)
    return conv


def _contact_names(ctx: Ctx, number: str) -> Tuple[Optional[str], Optional[str]]:
    """First and last name of the first group contact with this number (None when unknown)."""
    for group in ctx.account.groups:
        for contact in group.contacts.values():
            if contact.phone_number == number:
                return contact.first_name, contact.last_name
    return None, None


def _country(conv: Conversation) -> str:
    return conv.country_iso or phones.parse(conv.number).country_iso


# -- operations ------------------------------------------------------------------------------
def get_converstions_list(ctx: Ctx) -> Dict[str, Any]:
    """``GET /conversations``: the latest reply first, with unread counts."""
    convs = sorted(_conversations(ctx).values(), key=lambda c: c.last_inbound.created_at, reverse=True)
    data = []
    for conv in convs:
        first, last = _contact_names(ctx, conv.number)
        data.append(
            {
                "conversationId": conv.id,
                "phoneNumber": conv.number,
                "countryIso": _country(conv),
                "firstName": first,
                "lastName": last or "",
                "unreadMessages": conv.unread(ctx),
                "lastReply": conv.last_inbound.text[:_PREVIEW],
                "lastUpdate": ctx.clock.fmt(conv.last_inbound.created_at),
            }
        )
    return {"data": data}


def _sent(ctx: Ctx, m: Message) -> Tuple[float, int, Dict[str, Any]]:
    row = {
        "msgId": m.msg_id,
        "type": "sent",
        "text": m.text,
        "richMedia": m.rich_media or {},
        "status": _STATUS.get(m.status, m.status),
        "cost": float(m.cost),
        "channel": report_channel(m),
        "datetime": ctx.clock.fmt(m.created_at),
    }
    return (m.created_at, 0, row)


def _received(ctx: Ctx, rec: Inbound) -> Tuple[float, int, Dict[str, Any]]:
    row = {
        "msgId": rec.msg_id,
        "type": "received",
        "text": rec.text,
        "richMedia": rec.rich_media or {},
        "status": "DELIVERED",
        "cost": 0.0,
        "channel": rec.channel,
        "datetime": ctx.clock.fmt(rec.created_at),
    }
    return (rec.created_at, 1, row)


def get_conversation(ctx: Ctx) -> Dict[str, Any]:
    """``GET /conversations/{conversationId}``: every message both ways, oldest first."""
    conv = _find(ctx)
    first, last = _contact_names(ctx, conv.number)
    rows = [_sent(ctx, m) for m in conv.outbound(ctx)] + [_received(ctx, r) for r in conv.inbound]
    rows.sort(key=lambda r: (r[0], r[1]))
    return {
        "info": {
            "conversationId": conv.id,
            "phoneNumber": conv.number,
            "countryIso": _country(conv),
            "firstName": first or "",
            "lastName": last or "",
        },
        "data": [r[2] for r in rows],
    }


def mark_conversation_as_read(ctx: Ctx) -> Dict[str, Any]:
    """``GET /conversations/{conversationId}/read``: every inbound message so far becomes read."""
    conv = _find(ctx)
    store = ctx.account.conversations
    rec = store.get(conv.id)
    if rec is None:
        rec = ConversationState(conv.id)
        store.insert(rec, conv.id)
    rec.read.update(r.msg_id for r in conv.inbound)
    return {"info": {"id": conv.id}}


def _reply(ctx: Ctx, channel: str) -> Dict[str, Any]:
    conv = _find(ctx)
    return send_reply(ctx, conv.id, conv.number, _country(conv), conv.our_number, channel, conv.inbound)


def send_conversation_reply_sms(ctx: Ctx) -> Dict[str, Any]:
    """``POST /conversations/{conversationId}/sms`` (charged)."""
    return _reply(ctx, "sms")


def send_conversation_reply_viber(ctx: Ctx) -> Dict[str, Any]:
    """``POST /conversations/{conversationId}/viber`` (charged; within 24 h of the last message)."""
    return _reply(ctx, "viber")


def send_conversation_reply_whatsapp(ctx: Ctx) -> Dict[str, Any]:
    """``POST /conversations/{conversationId}/whatsapp`` (charged; within 24 h of the last message)."""
    return _reply(ctx, "whatsapp")


# -- control plane ---------------------------------------------------------------------------
@control.register("POST", "inbound")
def _control_inbound(state: SandboxState, body: Any) -> Dict[str, Any]:
    """``POST /__sandbox/inbound`` ``{"from", "to", "text", "channel"}``: the account receives a
    message (and the application's receive callback is owed, when set)."""
    sender, to, text = body.get("from"), body.get("to"), body.get("text")
    channel = body.get("channel", "sms")
    if not all(isinstance(v, str) for v in (sender, to, text)):
        raise SandboxApiError(400, "invalid_param", 1009, "`from`, `to` and `text` must be strings")
    if not 3 <= len(to) <= 16:  # replies go out from it: a sender name or an E.164 number
        raise SandboxApiError(400, "invalid_param", 1009, "`to` must be 3 to 16 characters")
    if channel not in REPORT_CHANNELS:
        raise SandboxApiError(400, "invalid_param", 1009, "`channel` must be sms, viber or whatsapp")
    phone = phones.parse(sender)
    if not phone.valid:
        raise SandboxApiError(400, "invalid_param", 1009, "`from` must be a valid E.164 phone number")
    msg_id = state.new_id()
    rec = state.account.add_inbound(msg_id, phone.e164, to, text, channel, phone.country_iso, state.clock.now())
    notify_received(state, rec)  # as the API does for a real reply: the application's receiveCallback
    return {"msgId": msg_id, "conversationId": conversation_id(phone.e164, channel)}
