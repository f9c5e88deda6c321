"""Typed parsing of the callbacks (webhooks) SMS.CX POSTs to your URLs.

::

    from smscx_client.webhooks import parse_callback

    def dlr_view(request):                       # any web framework
        event = parse_callback(request.body)     # bytes, str or an already-decoded dict
        for report in event.data:
            print(report.msg_id, report.status)

``parse_callback`` returns ``CallbackEvent``, the union of the callback models: narrow it with
``isinstance``, or, on a URL that receives one kind of callback, call that kind's function
(``parse_dlr_update``, ``parse_receive_sms``, ``parse_otp_update``, ...), typed with its model and
raising ``ApiValueError`` for any other kind.

SMS.CX documents no signature scheme for callbacks, so none is checked here: protect the URL
(a secret path, an allow-list of source addresses) on your side.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, Type, TypeVar, Union

from smscx_client._model import Model
from smscx_client.exceptions import ApiValueError
from smscx_client.model.call_back_request_attachment_hit import CallBackRequestAttachmentHit
from smscx_client.model.call_back_request_dlr_update import CallBackRequestDlrUpdate
from smscx_client.model.call_back_request_new_optout import CallBackRequestNewOptout
from smscx_client.model.call_back_request_number_lookup import CallBackRequestNumberLookup
from smscx_client.model.call_back_request_otp_update import CallBackRequestOtpUpdate
from smscx_client.model.call_back_request_receive_sms import CallBackRequestReceiveSms
from smscx_client.model.call_back_request_shortlink_hit import CallBackRequestShortlinkHit

__all__ = [
    "parse_callback",
    "parse_dlr_update",
    "parse_receive_sms",
    "parse_new_optout",
    "parse_shortlink_hit",
    "parse_attachment_hit",
    "parse_otp_update",
    "parse_number_lookup",
    "CallbackEvent",
    "CallbackBody",
    "EVENTS",
]

CallbackEvent = Union[
    CallBackRequestDlrUpdate,
    CallBackRequestReceiveSms,
    CallBackRequestNewOptout,
    CallBackRequestShortlinkHit,
    CallBackRequestAttachmentHit,
    CallBackRequestOtpUpdate,
    CallBackRequestNumberLookup,
]
"""What ``parse_callback`` returns: one of the callback models."""

CallbackBody = Union[bytes, str, Dict[str, Any]]
"""A callback as received: the raw body, or the JSON object already decoded."""

E = TypeVar("E", bound=Model)

# event name -> model module, class
EVENTS: Dict[str, str] = {
    "dlr_update": "call_back_request_dlr_update:CallBackRequestDlrUpdate",
    "receive_sms": "call_back_request_receive_sms:CallBackRequestReceiveSms",
    "receive_viber": "call_back_request_receive_sms:CallBackRequestReceiveSms",
    "receive_whatsapp": "call_back_request_receive_sms:CallBackRequestReceiveSms",
    "new_optout": "call_back_request_new_optout:CallBackRequestNewOptout",
    "shortlink_hit": "call_back_request_shortlink_hit:CallBackRequestShortlinkHit",
    "shortlink_hit_update": "call_back_request_shortlink_hit:CallBackRequestShortlinkHit",
    "attachment_hit": "call_back_request_attachment_hit:CallBackRequestAttachmentHit",
    "attachment_hit_update": "call_back_request_attachment_hit:CallBackRequestAttachmentHit",
    "otp_update": "call_back_request_otp_update:CallBackRequestOtpUpdate",
    "number_lookup": "call_back_request_number_lookup:CallBackRequestNumberLookup",
}


# "module:Class" of EVENTS -> the class
_MODELS: Dict[str, Type[CallbackEvent]] = {
    "{}:{}".format(cls.__module__.rpartition(".")[2], cls.__name__): cls
    for cls in (
        CallBackRequestDlrUpdate,
        CallBackRequestReceiveSms,
        CallBackRequestNewOptout,
        CallBackRequestShortlinkHit,
        CallBackRequestAttachmentHit,
        CallBackRequestOtpUpdate,
        CallBackRequestNumberLookup,
    )
}


def parse_callback(body: CallbackBody) -> CallbackEvent:
    """The callback as its model (``CallBackRequestDlrUpdate``, ``...ReceiveSms``, ...).

    Unknown fields are kept, as in every response. Raises ``ApiValueError`` when the body is not a
    JSON object with a known ``event``.
    """
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            raise ApiValueError("The callback body is not JSON") from None
    else:
        body = copy.deepcopy(body)  # the model caches what it converts; leave the caller's dict alone
    if not isinstance(body, dict):
        raise ApiValueError("The callback body must be a JSON object")
    event = body.get("event")
    spec = EVENTS.get(event) if isinstance(event, str) else None
    if spec is None:
        raise ApiValueError("Unknown callback event {!r}; known: {}".format(event, ", ".join(sorted(EVENTS))))
    if event == "otp_update":
        # the number-lookup callback carries the same event name (as the API documents it);
        # its items have a lookupId instead of an otpId
        items = body.get("data")
        if isinstance(items, list) and items and isinstance(items[0], dict) and "lookupId" in items[0]:
            spec = EVENTS["number_lookup"]
    return _MODELS[spec]._from_wire(body)


def _parse_as(body: CallbackBody, cls: Type[E]) -> E:
    event = parse_callback(body)
    if not isinstance(event, cls):
        kinds = sorted(name for name, spec in EVENTS.items() if spec.endswith(":" + cls.__name__))
        raise ApiValueError(
            "Expected a {} callback (event {}), got a {} (event {!r})".format(
                cls.__name__, " or ".join(kinds), type(event).__name__, event.get("event")
            )
        )
    return event


def parse_dlr_update(body: CallbackBody) -> CallBackRequestDlrUpdate:
    """A ``dlr_update`` callback (delivery reports); ``ApiValueError`` for any other kind."""
    return _parse_as(body, CallBackRequestDlrUpdate)


def parse_receive_sms(body: CallbackBody) -> CallBackRequestReceiveSms:
    """An inbound message callback (``receive_sms``, ``receive_viber``, ``receive_whatsapp``)."""
    return _parse_as(body, CallBackRequestReceiveSms)


def parse_new_optout(body: CallbackBody) -> CallBackRequestNewOptout:
    """A ``new_optout`` callback; ``ApiValueError`` for any other kind."""
    return _parse_as(body, CallBackRequestNewOptout)


def parse_shortlink_hit(body: CallbackBody) -> CallBackRequestShortlinkHit:
    """A ``shortlink_hit`` or ``shortlink_hit_update`` callback."""
    return _parse_as(body, CallBackRequestShortlinkHit)


def parse_attachment_hit(body: CallbackBody) -> CallBackRequestAttachmentHit:
    """An ``attachment_hit`` or ``attachment_hit_update`` callback."""
    return _parse_as(body, CallBackRequestAttachmentHit)


def parse_otp_update(body: CallbackBody) -> CallBackRequestOtpUpdate:
    """An ``otp_update`` callback about an OTP (not a number lookup's, which shares the name)."""
    return _parse_as(body, CallBackRequestOtpUpdate)


def parse_number_lookup(body: CallbackBody) -> CallBackRequestNumberLookup:
    """The callback of a number lookup (sent with the event name ``otp_update``)."""
    return _parse_as(body, CallBackRequestNumberLookup)
