"""Unknown field names given to a model: sent as 0.1.x sent them, with a warning naming the
closest field; strict models refuse them. Each test uses its own (class, name) pairs, because the
warning is given once per pair in a process."""

from __future__ import annotations

import warnings

import pytest

import smscx_client
from smscx_client import ApiAttributeError, UnknownFieldWarning
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.cancel_rent_response import CancelRentResponse
from smscx_client.model.info_cancel_rent import InfoCancelRent
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.transliteration import Transliteration

TO = ["+33612345678"]


def test_the_warning_class_is_public():
    assert issubclass(UnknownFieldWarning, UserWarning)
    assert "UnknownFieldWarning" in smscx_client.__all__


def test_misspelt_field_is_sent_as_is_with_a_warning_naming_the_right_one(wire, make_client):
    with pytest.warns(UnknownFieldWarning) as caught:
        req = SendSmsMessageRequest(TO, "Brand", "Hi", scheduled_dat="2030-01-01 10:00:00")
    assert [str(w.message) for w in caught] == [
        "SendSmsMessageRequest got unknown field 'scheduled_dat' (sent as is); did you mean 'scheduled_date'?"
    ]
    assert caught[0].filename == __file__  # the caller's line, not the SDK's
    SmsApi(make_client()).send_sms(req)
    sent = wire.last.json()
    assert sent["scheduled_dat"] == "2030-01-01 10:00:00" and "scheduledDate" not in sent


def test_once_per_class_and_name():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        SendSmsMessageRequest(TO, "Brand", "Hi", is_utcc=True)
        SendSmsMessageRequest(TO, "Brand", "Hi", is_utcc=True)
        SendSmsMessageRequest(TO, "Brand", "Hi", is_utcc=True, track_dat="x")
        Transliteration(alphabet="NON_GSM", is_utcc=True)
    texts = [str(w.message) for w in caught]
    assert texts == [
        "SendSmsMessageRequest got unknown field 'is_utcc' (sent as is); did you mean 'is_utc'?",
        "SendSmsMessageRequest got unknown field 'track_dat' (sent as is); did you mean 'track_data'?",
        "Transliteration got unknown field 'is_utcc' (sent as is); set it with model['is_utcc'] = value if the API takes it",
    ]


def test_json_names_and_dict_bodies(wire, make_client):
    with pytest.warns(UnknownFieldWarning, match="'showTimezon'.*did you mean 'showTimezone'") as caught:
        SmsApi(make_client()).send_sms({"to": TO, "from": "Brand", "text": "Hi", "showTimezon": True})
    assert caught[0].filename == __file__  # built deep inside the SDK, reported at the call
    assert wire.last.json()["showTimezon"] is True


def test_attribute_assignment_warns_item_assignment_does_not():
    req = SendSmsMessageRequest(TO, "Brand", "Hi")
    with pytest.warns(UnknownFieldWarning, match="'no_text_detail'.*did you mean 'no_text_details'"):
        req.no_text_detail = True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        req["brandNewApiField"] = 1  # the way to send a property this SDK does not know
        req.brandNewApiField = 2  # already set: no warning
        req.countryIso = "FR"  # a JSON name is a known field
    assert req.to_wire()["brandNewApiField"] == 2 and req.country_iso == "FR"


def test_strict_models_still_raise_with_a_suggestion():
    info = InfoCancelRent._from_wire({"rentId": "r"})
    with pytest.raises(ApiAttributeError, match=r"has no field 'inf' \(did you mean 'info'\?\); its fields are: info"):
        CancelRentResponse(info, inf=1)


def test_responses_never_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resp = CancelRentResponse._from_wire({"info": {"rentId": "r"}, "surprise": 1})
        assert resp["surprise"] == 1 and resp.surprise == 1
