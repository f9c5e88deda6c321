"""What happens to a message after it is accepted: status changes on the sandbox clock, delivery
report callbacks, the ``auto_reply`` inbound message, multichannel failover, and cancelling
scheduled messages with a refund.

Timelines (seconds after the message is accepted; a scheduled message is accepted at its
``scheduled_at``):

* any number: SENT at 1 s, DELIVERED at 3 s;
* ``slow_delivery``: SENT at 1 s, DELIVERED at 55 s;
* ``delivery_failed``: SENT at 1 s, FAILED at 3 s with ``errorCode`` ``FAILED_ERROR_CODE``;
* ``no_final_report``: SENT at 1 s and nothing more;
* ``auto_reply``: DELIVERED like any number, and 5 s after acceptance an inbound message from it
  is stored with ``account.add_inbound`` (text ``AUTO_REPLY_TEXT``) and POSTed to the
  application's ``settings.<channel>.receiveCallback`` when set (``receive_<channel>`` event,
  ``DataReceiveSms`` items).

Multichannel messages start on the first channel of their strategy. On Viber/WhatsApp the
``delivery_failed`` number fails at 3 s and the next channel starts at once, and a
``no_final_report`` number times out after the strategy ``ttl``; each channel started is charged
when it starts (a balance that cannot pay for it ends the message FAILED with
``NO_CREDIT_ERROR_CODE``). The final ``sms`` step follows the SMS rules except that
``delivery_failed`` is DELIVERED there, so a failover can be watched end to end. Failed
intermediate attempts are not reported; every status change of the message is (event
``dlr_update``, at most 200 entries per callback). ``Message.updated_at`` holds the time of the
last status change (reports read it).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from typing import Any, Dict, List, Optional, Tuple

from smscx_client.sandbox.backends.applications import section
from smscx_client.sandbox.magic import MAGIC_NUMBERS
from smscx_client.sandbox.records import Inbound
from smscx_client.sandbox.state import Message, SandboxState, money

__all__ = [
    "AUTO_REPLY_TEXT",
    "FAILED_ERROR_CODE",
    "NO_CREDIT_ERROR_CODE",
    "activate",
    "dlr_entry",
    "notify_received",
    "schedule_activation",
]

FAILED_ERROR_CODE = 1  # sandbox choice: the API does not publish its delivery error codes
NO_CREDIT_ERROR_CODE = 2  # a failover channel could not be paid for
AUTO_REPLY_TEXT = "Auto reply from the sandbox"
DLR_BATCH = 200

# (offset in seconds, new status or None, errorCode, strategy step to switch to or None, inbound?)
_Step = Tuple[float, Optional[str], Optional[int], Optional[int], bool]


def _plain(number: str) -> List[_Step]:
    """The SMS/Viber/WhatsApp timeline of a number."""
    if number == MAGIC_NUMBERS["delivery_failed"]:
        return [(1, "SENT", None, None, False), (3, "FAILED", FAILED_ERROR_CODE, None, False)]
    if number == MAGIC_NUMBERS["no_final_report"]:
        return [(1, "SENT", None, None, False)]
    if number == MAGIC_NUMBERS["slow_delivery"]:
        return [(1, "SENT", None, None, False), (55, "DELIVERED", None, None, False)]
    steps: List[_Step] = [(1, "SENT", None, None, False), (3, "DELIVERED", None, None, False)]
    if number == MAGIC_NUMBERS["auto_reply"]:
        steps.append((5, None, None, None, True))
    return steps


def _failover(msg: Message) -> List[_Step]:
    """The multichannel timeline: channels in strategy order until one reaches a final status."""
    strategy = msg.strategy or []
    ttl = float(msg.ttl)
    number = msg.to
    out: List[_Step] = [(1, "SENT", None, None, False)]
    start = 0.0
    for index, step in enumerate(strategy):
        if index:
            out.append((start, None, None, index, False))
        if step.channel == "sms":
            if number == MAGIC_NUMBERS["delivery_failed"]:
                out.append((start + 3, "DELIVERED", None, None, False))
            else:
                out.extend((start + s[0], *s[1:]) for s in _plain(number) if s[1] != "SENT")
            break
        if number == MAGIC_NUMBERS["delivery_failed"]:
            start += 3
        elif number == MAGIC_NUMBERS["no_final_report"]:
            start += ttl
        else:
            out.extend((start + s[0], *s[1:]) for s in _plain(number) if s[1] != "SENT")
            break
    return out


def dlr_entry(msg: Message, when: str) -> Dict[str, Any]:
    """One ``DataDlrUpdate`` of the ``dlr_update`` callback."""
    return {
        "campaignId": msg.campaign_id,
        "msgId": msg.msg_id,
        "statusCode": msg.status_code,
        "status": msg.status,
        "errorCode": msg.error_code,
        "datetime": when,
        "trackData": msg.track_data,
    }


def _alive(state: SandboxState, msg: Message) -> bool:
    """False once the message was deleted (or the sandbox reset)."""
    return state.account.messages.get(msg.msg_id) is msg


def _switch(state: SandboxState, msg: Message, index: int) -> bool:
    """Move a multichannel message to strategy step ``index``, charging it; False if unpaid."""
    step = (msg.strategy or [])[index]
    cost = step.cost
    account = state.account
    if not account.can_spend(cost):
        msg.status, msg.error_code = "FAILED", NO_CREDIT_ERROR_CODE
        msg.halted = True
        return False
    account.spend(cost)
    msg.cost = money(msg.cost + cost)
    msg.step = index
    msg.route = step.channel
    msg.text, msg.parts = step.text, step.parts
    return True


def _owe(state: SandboxState, reports: Dict[str, List[Dict[str, Any]]]) -> None:
    """Queue the ``dlr_update`` callbacks, at most ``DLR_BATCH`` entries each."""
    for url, entries in reports.items():
        for i in range(0, len(entries), DLR_BATCH):
            state.callback(url, "dlr_update", {"event": "dlr_update", "data": entries[i : i + DLR_BATCH]})


def _auto_reply(state: SandboxState, msg: Message, at: float) -> None:
    """The ``auto_reply`` number answers: an inbound record, and its receive callback."""
    channel = msg.route or msg.channel
    rec = state.account.add_inbound(state.new_id(), msg.to, msg.sender, AUTO_REPLY_TEXT, channel, msg.country_iso, at)
    notify_received(state, rec)


def notify_received(state: SandboxState, rec: Inbound) -> None:
    """Owe the application's receive callback (``receive_sms``/``receive_viber``/
    ``receive_whatsapp``, ``DataReceiveSms`` items) for a message the account received, when
    ``settings.<channel>.receiveCallback`` is set."""
    try:
        url = section(state.account, rec.channel).get("receiveCallback")
    except (KeyError, TypeError, AttributeError):
        url = None
    received = {
        "msgId": rec.msg_id,
        "from": rec.sender,
        "countryIso": rec.country_iso,
        "to": rec.to,
        "text": rec.text,
        "cost": 0,
        "receivedAt": state.clock.fmt(rec.created_at),
    }
    event = "receive_" + rec.channel
    state.callback(url if isinstance(url, str) else None, event, {"event": event, "data": [received]})


def _apply(state: SandboxState, at: float, changes: List[Tuple[Message, _Step]]) -> None:
    """Run the steps due at ``at`` of many messages and owe their delivery reports."""
    when = state.clock.fmt(at)
    reports: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for msg, (_, status, error, switch_to, inbound) in changes:
        if not _alive(state, msg) or msg.halted:
            continue
        if switch_to is not None:
            if _switch(state, msg, switch_to):
                continue  # failover is internal; the message stays SENT
        elif inbound:
            _auto_reply(state, msg, at)
            continue
        else:
            assert status is not None  # a step without a status switches channel or is the inbound reply
            msg.status, msg.error_code = status, error
        msg.updated_at = at
        if msg.dlr_callback_url:
            reports[msg.dlr_callback_url].append(dlr_entry(msg, when))
    _owe(state, reports)


def activate(state: SandboxState, msgs: List[Message], at: float) -> None:
    """Messages accepted at ``at``: register their status changes on the sandbox clock."""
    due: Dict[float, List[Tuple[Message, _Step]]] = defaultdict(list)
    for msg in msgs:
        steps = _failover(msg) if msg.strategy is not None else _plain(msg.to)
        for step in steps:
            due[at + step[0]].append((msg, step))
        final = [(offset, status) for offset, status, *_ in steps if status in ("DELIVERED", "FAILED")]
        msg.deliver_at = at + final[-1][0] if final else None
        msg.final_status = final[-1][1] if final else "SENT"
        msg.error_code = None
    for when in sorted(due):
        state.schedule(when, partial(_apply, state, when, due[when]))


def _wake(state: SandboxState, now: float, msgs: List[Message]) -> None:
    """Scheduled messages whose time (``now``) came: ACCEPTED (unless deleted meanwhile)."""
    ready = [m for m in msgs if _alive(state, m) and m.status == "SCHEDULED"]
    for m in ready:
        m.status = "ACCEPTED"
        m.updated_at = now
    when = state.clock.fmt(now)
    reports: Dict[str, List[Dict[str, Any]]] = defaultdict(list)
    for m in ready:
        if m.dlr_callback_url:
            reports[m.dlr_callback_url].append(dlr_entry(m, when))
    _owe(state, reports)
    activate(state, ready, now)


def schedule_activation(state: SandboxState, msgs: List[Message]) -> None:
    """SCHEDULED messages turn ACCEPTED at their ``scheduled_at`` and then progress as usual."""
    by_time: Dict[float, List[Message]] = defaultdict(list)
    for m in msgs:
        by_time[m.scheduled_at or 0.0].append(m)
    for when, batch in by_time.items():
        state.schedule(when, partial(_wake, state, when, batch))
