"""parse_callback turns each documented callback body into its model."""

from __future__ import annotations

import json

import pytest

from smscx_client import ApiValueError
from smscx_client.webhooks import parse_callback


def test_dlr_update_is_typed():
    body = {
        "event": "dlr_update",
        "data": [
            {
                "campaignId": "c2a9c8e4-3b1f-4d3e-8a7c-1f2e3d4c5b6a",
                "msgId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                "statusCode": 3,
                "status": "DELIVERED",
                "errorCode": None,
                "datetime": "2024-05-01 10:00:05",
                "trackData": None,
                "someNewField": 1,
            }
        ],
    }
    event = parse_callback(json.dumps(body).encode())
    assert type(event).__name__ == "CallBackRequestDlrUpdate"
    assert event.data[0].msg_id == "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
    assert event.data[0].status == "DELIVERED"
    assert event.data[0]["someNewField"] == 1


def test_otp_and_lookup_share_an_event_name():
    otp = parse_callback({"event": "otp_update", "data": [{"otpId": "x", "status": "VERIFIED"}]})
    lookup = parse_callback({"event": "otp_update", "data": [{"lookupId": "y"}]})
    assert type(otp).__name__ == "CallBackRequestOtpUpdate"
    assert type(lookup).__name__ == "CallBackRequestNumberLookup"


@pytest.mark.parametrize("body", [b"not json", b"[1]", {"event": "nope"}, {"data": []}])
def test_bad_callbacks_raise_api_value_error(body):
    with pytest.raises(ApiValueError):
        parse_callback(body)


def test_per_event_functions_narrow_or_refuse():
    from typing import get_args

    from smscx_client import webhooks
    from smscx_client.model.call_back_request_number_lookup import CallBackRequestNumberLookup
    from smscx_client.model.call_back_request_receive_sms import CallBackRequestReceiveSms

    dlr = webhooks.parse_dlr_update(b'{"event": "dlr_update", "data": [{"msgId": "m", "status": "SENT"}]}')
    assert dlr.data[0].status == "SENT"
    viber = webhooks.parse_receive_sms({"event": "receive_viber", "data": []})
    assert isinstance(viber, CallBackRequestReceiveSms)
    lookup = {"event": "otp_update", "data": [{"lookupId": "y"}]}
    assert isinstance(webhooks.parse_number_lookup(lookup), CallBackRequestNumberLookup)
    with pytest.raises(ApiValueError, match=r"Expected a CallBackRequestOtpUpdate callback \(event otp_update\), got a CallBackRequestNumberLookup"):
        webhooks.parse_otp_update(lookup)
    with pytest.raises(ApiValueError, match=r"\(event shortlink_hit or shortlink_hit_update\), got a CallBackRequestDlrUpdate \(event 'dlr_update'\)"):
        webhooks.parse_shortlink_hit({"event": "dlr_update", "data": []})
    # the union names every model parse_callback can return
    assert {c.__name__ for c in get_args(webhooks.CallbackEvent)} == {s.split(":")[1] for s in webhooks.EVENTS.values()}
