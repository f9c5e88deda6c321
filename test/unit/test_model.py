"""Model behaviour users rely on: construction and checks, access, conversion, equality, copies."""

from __future__ import annotations

import copy
import datetime
import json
import pickle

import pytest

import smscx_client
from smscx_client import ApiAttributeError, ApiTypeError, ApiValueError
from smscx_client.model.callback_event_types import CallbackEventTypes
from smscx_client.model.cancel_rent_response import CancelRentResponse
from smscx_client.model.data_sms import DataSms
from smscx_client.model.oauth_token_response import OauthTokenResponse
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.model.send_sms_message_response import SendSmsMessageResponse
from smscx_client.model.transliteration import Transliteration

WIRE = {
    "info": {"campaignId": "c", "totalCost": 0.09, "totalParts": 2, "brandNew": {"x": 1}},
    "data": [
        {"msgId": "m1", "status": "ACCEPTED", "createdAt": "2024-06-01 10:00:00", "from": "Brand", "textAnalysis": {"parts": 2}},
        {"msgId": "m2", "status": "SOMETHING NEW", "createdAt": "not a date"},
    ],
}


def test_positional_keyword_and_dict_construction():
    a = SendSmsMessageRequest(["+33612345678"], "Brand", "Hi", country_iso="FR")
    b = SendSmsMessageRequest(to=["+33612345678"], _from="Brand", text="Hi", country_iso="FR")
    c = SendSmsMessageRequest._from_input({"to": ["+33612345678"], "from": "Brand", "text": "Hi", "countryIso": "FR"})
    assert a == b == c
    assert a.to_wire() == {"to": ["+33612345678"], "from": "Brand", "text": "Hi", "countryIso": "FR"}
    assert a.to_dict() == {"to": ["+33612345678"], "_from": "Brand", "text": "Hi", "country_iso": "FR"}


@pytest.mark.parametrize(
    "kwargs,error,words",
    [
        ({"_from": "ab"}, ApiValueError, "_from`: must be at least 3 characters"),
        ({"country_iso": "FRA"}, ApiValueError, "country_iso`: must be exactly 2 characters"),
        ({"text": 5}, ApiTypeError, "text`: expected str, got int"),
        ({"to": "+33612345678"}, ApiTypeError, "to`: expected a list of str, got str"),
        ({"idempotency_id": "nope"}, ApiValueError, "idempotency_id`: must be exactly 36 characters"),
        ({"is_utc": "yes"}, ApiTypeError, "is_utc`: expected bool"),
        ({"scheduled_date": "tomorrow"}, ApiValueError, "scheduled_date`: 'tomorrow' is not a date-time"),
        ({"transliteration": {"alphabet": "KLINGON"}}, ApiValueError, "alphabet`: 'KLINGON'; allowed values are"),
        ({"_from": None}, ApiTypeError, "_from`: None is not allowed"),
    ],
)
def test_bad_values_fail_naming_the_field(kwargs, error, words):
    args = {"to": ["+33612345678"], "_from": "Brand", "text": "Hi"}
    args.update(kwargs)
    with pytest.raises(error) as info:
        SendSmsMessageRequest(**args)
    assert words in str(info.value)


def test_setting_attributes_is_checked_too():
    req = SendSmsMessageRequest(["+33612345678"], "Brand", "Hi")
    req.country_iso = "FR"
    req["is_utc"] = False
    with pytest.raises(ApiValueError):
        req.country_iso = "FRA"
    assert req.to_wire()["isUtc"] is False and "countryIso" in req and "country_iso" in req
    del req.country_iso
    assert "country_iso" not in req


def test_nested_models_and_dates():
    when = datetime.datetime(2024, 6, 1, 10, 0, 0)
    req = SendSmsMessageRequest(["+1"], "Brand", "Hi", scheduled_date=when, transliteration=Transliteration(alphabet="NON_GSM"))
    assert req.to_wire()["scheduledDate"] == "2024-06-01T10:00:00"  # as 0.1.x sent it
    assert req.to_wire()["transliteration"] == {"alphabet": "NON_GSM"}
    assert req.to_dict()["transliteration"] == {"alphabet": "NON_GSM"}


def test_responses_are_read_tolerantly_and_lazily():
    resp = SendSmsMessageResponse._from_wire(copy.deepcopy(WIRE))
    first, second = resp.data
    assert isinstance(first, DataSms) and first._from == "Brand" and first["from"] == "Brand"
    assert first.created_at == datetime.datetime(2024, 6, 1, 10, 0, 0)
    assert first.text_analysis.parts == 2
    assert second.status == "SOMETHING NEW"  # unknown enum value kept
    assert second.created_at == "not a date"  # unparseable date kept as sent
    assert resp.info["brandNew"] == {"x": 1} and resp.info.brandNew == {"x": 1}  # unknown field kept
    assert resp.to_wire() == WIRE  # exactly what the API sent
    assert resp.data is resp.data  # converted once


def test_missing_attributes_behave_as_in_01x():
    first = SendSmsMessageResponse._from_wire(copy.deepcopy(WIRE)).data[0]
    with pytest.raises(ApiAttributeError):
        first.track_data  # noqa: B018 - the read itself is the test
    with pytest.raises(AttributeError):  # ApiAttributeError is an AttributeError: getattr defaults work
        first["nope"]
    assert getattr(first, "track_data", None) is None
    assert first.get("track_data") is None and first.get("msg_id") == "m1"
    assert "track_data" not in first and "msg_id" in first


def test_strict_models_reject_unknown_fields_unless_told_to_discard():
    from smscx_client.model.info_cancel_rent import InfoCancelRent

    info = InfoCancelRent._from_wire({"rentId": "r"})
    with pytest.raises(ApiAttributeError, match="has no field 'surprise'"):
        CancelRentResponse(info, surprise=1)
    config = smscx_client.Configuration(discard_unknown_keys=True)
    assert "surprise" not in CancelRentResponse(info, surprise=1, _configuration=config)
    assert CancelRentResponse._from_wire({"surprise": 1})["surprise"] == 1  # responses keep them


def test_secrets_masked_in_repr_only():
    token = OauthTokenResponse("very-secret-token-value", 3600, "sms")
    assert "very-secret-token-value" not in repr(token) and "***" in repr(token)
    assert token.to_dict()["access_token"] == "very-secret-token-value"
    assert token.token_type == "Bearer"  # filled by the constructor, as in 0.1.x


def test_copies_and_pickles():
    resp = SendSmsMessageResponse._from_wire(copy.deepcopy(WIRE))
    for clone in (copy.copy(resp), copy.deepcopy(resp), pickle.loads(pickle.dumps(resp))):
        assert clone == resp and clone is not resp
    deep = copy.deepcopy(resp)
    deep.data[0].msg_id = "0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33"
    assert resp.data[0].msg_id == "m1"


def test_equality_and_hash():
    a = Transliteration(alphabet="NON_GSM")
    assert a == Transliteration(alphabet="NON_GSM") and a != Transliteration(alphabet="GREEK")
    assert a != {"alphabet": "NON_GSM"}
    with pytest.raises(TypeError):
        hash(a)  # mutable, like 0.1.x models


def test_simple_model():
    event = CallbackEventTypes("dlr_update")
    assert event == "dlr_update" and str(event) == "dlr_update" and event.value == "dlr_update"
    with pytest.raises(ApiValueError):
        CallbackEventTypes("nope")
    assert {event: 1}[CallbackEventTypes("dlr_update")] == 1


def test_positional_dict_and_legacy_keywords():
    from smscx_client.model.templates_update_request import TemplatesUpdateRequest

    t = TemplatesUpdateRequest({"name": "Welcome"}, _check_type=True, _path_to_item=(), _spec_property_naming=False)
    assert t.name == "Welcome"
    with pytest.raises(ApiTypeError, match="pass fields by name"):
        TemplatesUpdateRequest("Welcome")


def test_values_read_once_never_leave_the_model():
    resp = SendSmsMessageResponse._from_wire(copy.deepcopy(WIRE))
    first = resp.data[0]
    assert (first.msg_id, first._from, first.created_at, first.text_analysis.parts, resp.info.total_cost) == (
        "m1", "Brand", datetime.datetime(2024, 6, 1, 10, 0, 0), 2, 0.09
    )
    assert first.created_at is first.created_at  # converted once
    assert resp.to_wire() == WIRE and json.loads(json.dumps(resp.to_wire())) == WIRE
    assert set(first.to_dict()) == {"msg_id", "status", "created_at", "_from", "text_analysis"}
    for clone in (copy.copy(resp), copy.deepcopy(resp), pickle.loads(pickle.dumps(resp))):
        assert clone.to_wire() == WIRE and clone == resp
    assert set(first.__getstate__()["_data"]) == set(WIRE["data"][0])  # JSON names only
    assert pickle.loads(pickle.dumps(first)).to_wire() == WIRE["data"][0]


def test_a_change_after_a_read_is_what_is_read_and_sent():
    first = SendSmsMessageResponse._from_wire(copy.deepcopy(WIRE)).data[0]
    assert first.msg_id == "m1" and first.created_at.hour == 10
    first.msg_id = "0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33"
    first["createdAt"] = "2024-06-02 11:30:00"
    assert first.msg_id == "0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33" and first.created_at.hour == 11
    first.text_analysis.parts = 3  # a nested model: its parent sends the change
    assert first.to_wire()["textAnalysis"] == {"parts": 3} and first.to_wire()["createdAt"] == "2024-06-02 11:30:00"
    del first._from
    with pytest.raises(ApiAttributeError):
        first._from  # noqa: B018 - the read itself is the test
    assert "from" not in first.to_wire() and "_from" not in first


def test_a_request_read_before_it_is_sent_sends_only_json_names():
    req = SendSmsMessageRequest(["+33612345678"], "Brand", "Hi", country_iso="FR")
    assert (req.to, req._from, req.country_iso) == (["+33612345678"], "Brand", "FR")
    assert req.to_wire() == {"to": ["+33612345678"], "from": "Brand", "text": "Hi", "countryIso": "FR"}
    assert smscx_client.ApiClient.sanitize_for_serialization(req) == req.to_wire()
    assert req.to_dict() == {"to": ["+33612345678"], "_from": "Brand", "text": "Hi", "country_iso": "FR"}
