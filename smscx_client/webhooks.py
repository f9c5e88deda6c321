"""Typed parsing of the callbacks (webhooks) SMS.CX POSTs to your URLs.

::

    from smscx_client.webhooks import parse_callback

    def dlr_view(request):                       # any web framework
        event = parse_callback(request.body)     # bytes, str or an already-decoded dict
        for report in event.data:
            print(report.msg_id, report.status)

SMS.CX documents no signature scheme for callbacks, so none is checked here: protect the URL
(a secret path, an allow-list of source addresses) on your side.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, Type, Union

from smscx_client._model import Model
from smscx_client.exceptions import ApiValueError

__all__ = ["parse_callback", "EVENTS"]

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


def _model(spec: str) -> Type[Model]:
    import importlib

    module, cls = spec.split(":")
    found: Type[Model] = getattr(importlib.import_module("smscx_client.model." + module), cls)
    return found


def parse_callback(body: Union[bytes, str, Dict[str, Any]]) -> Model:
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
    return _model(spec)._from_wire(body)
