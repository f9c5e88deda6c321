"""Sandbox OTP, through the SDK: the PIN's SMS in the outbox and its cost, verification, wrong
PINs and max attempts, expiry on the sandbox clock, cancellation, status callbacks, and the
documented errors."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any, Dict, List

import pytest
from support import api_fixture, raw_call, set_balance

from smscx_client.api.otp_api import OtpApi
from smscx_client.exceptions import (
    ApiException,
    InsufficientBalanceException,
    InvalidPinException,
    InvalidRequestException,
    NoCoverageException,
    OtpActionNotAllowedException,
    OtpAlreadyVerifiedException,
    OtpCancelledException,
    OtpExpiredException,
    OtpFailedException,
    ResourceNotFoundException,
)
from smscx_client.sandbox import MAGIC_NUMBERS

FR = "+33612345678"
FR_PRICE = 0.045
TRACK_ID = "3f1d1a2e-8c1b-4c6e-9f7a-2b6d8e1c0a55"
UNKNOWN_ID = "0b5e5c59-0a2b-4c35-8d3c-3a9f58e2e2f1"


api = api_fixture(OtpApi)


def _pin(sb: Any) -> str:
    return str(sb.messages[-1]["text"].rsplit(" ", 1)[-1])


def _statuses(bodies: List[Any]) -> List[str]:
    return [b["data"][0]["status"] for _, b in bodies]


def _new(api: OtpApi, **fields: Any) -> Any:
    return api.new_otp(dict({"phone_number": FR}, **fields))


# -- the whole life ------------------------------------------------------------------------
def test_new_otp_sends_the_pin_and_verifies_it(api: OtpApi, smscx_sandbox: Any, receiver: Any) -> None:
    otp, status, _ = api.new_otp(
        {
            "phone_number": FR,
            "_from": "MyShop",
            "template": "MyShop code: {{pin}}",
            "pin_length": 8,
            "ttl": 120,
            "max_attempts": 5,
            "track_id": TRACK_ID,
            "otp_callback_url": receiver.url_for("/otp"),
        },
        _return_http_data_only=False,
    )
    assert status == 201
    assert (otp.phone_number, otp.country_iso, otp.status, otp.track_id) == (FR, "FR", "PENDING", TRACK_ID)
    assert (otp.parts, otp.cost, otp.max_attempts, otp.attempts, otp.ttl) == (1, FR_PRICE, 5, 0, 120)
    assert otp.otp_callback_url == receiver.url_for("/otp")
    assert otp.date_expires - otp.date_created == timedelta(seconds=120)

    sms = smscx_sandbox.messages[-1]
    assert (sms["channel"], sms["to"], sms["from"], sms["parts"], sms["cost"]) == ("sms", FR, "MyShop", 1, FR_PRICE)
    assert re.fullmatch(r"MyShop code: \d{8}", sms["text"])
    assert smscx_sandbox.balance == pytest.approx(100 - FR_PRICE)
    assert api.get_otp_status(otp.otp_id).to_dict() == otp.to_dict()

    assert api.verify_otp(otp.otp_id, _pin(smscx_sandbox)).status == "VERIFIED"
    assert api.get_otp_status(otp.otp_id).status == "VERIFIED"
    path, body = receiver.wait(1)[0]
    assert path == "/otp" and body["event"] == "otp_update"
    assert (body["data"][0]["otpId"], body["data"][0]["status"]) == (otp.otp_id, "VERIFIED")

    with pytest.raises(OtpAlreadyVerifiedException) as exc:
        api.verify_otp(otp.otp_id, _pin(smscx_sandbox))
    assert (exc.value.status, exc.value.error_code) == (400, 2023)
    with pytest.raises(OtpActionNotAllowedException) as exc:
        api.cancel_otp(otp.otp_id)
    assert (exc.value.status, exc.value.error_code) == (403, 2031)
    assert smscx_sandbox.balance == pytest.approx(100 - FR_PRICE)  # verifying is free


def test_defaults_apply_when_the_request_only_names_the_number(api: OtpApi, smscx_sandbox: Any) -> None:
    otp = api.new_otp({"phone_number": "0612345678", "country_iso": "FR"})
    assert (otp.phone_number, otp.ttl, otp.max_attempts, otp.track_id, otp.otp_callback_url) == (FR, 300, 3, None, None)
    sms = smscx_sandbox.messages[-1]
    assert sms["from"] == "InfoText"
    assert re.fullmatch(r"Your verification code is \d{6}", sms["text"])


def test_wrong_pins_use_up_the_attempts(api: OtpApi, smscx_sandbox: Any, receiver: Any) -> None:
    otp = _new(api, max_attempts=2, otp_callback_url=receiver.url)
    with pytest.raises(InvalidPinException) as exc:
        api.verify_otp(otp.otp_id, "0000000")
    assert (exc.value.status, exc.value.error_type, exc.value.error_code) == (400, "invalid_pin", 2029)
    assert "1 attempt left" in exc.value.error_message
    assert (api.get_otp_status(otp.otp_id).attempts, api.get_otp_status(otp.otp_id).status) == (1, "PENDING")

    with pytest.raises(OtpFailedException) as exc:
        api.verify_otp(otp.otp_id, "0000000")
    assert (exc.value.error_type, exc.value.error_code) == ("otp_failed", 2026)
    status = api.get_otp_status(otp.otp_id)
    assert (status.status, status.attempts) == ("FAILED", 2)

    with pytest.raises(OtpFailedException) as exc:  # even the right PIN is too late now
        api.verify_otp(otp.otp_id, _pin(smscx_sandbox))
    assert exc.value.error_code == 2027
    assert _statuses(receiver.wait(1)) == ["FAILED"]
    with pytest.raises(OtpActionNotAllowedException):
        api.cancel_otp(otp.otp_id)


def test_a_wrong_pin_then_the_right_one(api: OtpApi, smscx_sandbox: Any) -> None:
    otp = _new(api)
    with pytest.raises(InvalidPinException) as exc:
        api.verify_otp(otp.otp_id, "abc")
    assert "2 attempts left" in exc.value.error_message
    assert api.verify_otp(otp.otp_id, " {} ".format(_pin(smscx_sandbox))).status == "VERIFIED"
    assert api.get_otp_status(otp.otp_id).attempts == 1


def test_the_pin_expires_with_the_sandbox_clock(api: OtpApi, smscx_sandbox: Any, receiver: Any) -> None:
    otp = _new(api, ttl=60, otp_callback_url=receiver.url)
    smscx_sandbox.advance(59)
    assert api.get_otp_status(otp.otp_id).status == "PENDING"
    smscx_sandbox.advance(1)
    assert api.get_otp_status(otp.otp_id).status == "EXPIRED"
    assert _statuses(receiver.wait(1)) == ["EXPIRED"]
    with pytest.raises(OtpExpiredException) as exc:
        api.verify_otp(otp.otp_id, _pin(smscx_sandbox))
    assert (exc.value.error_type, exc.value.error_code) == ("otp_expired", 2025)
    with pytest.raises(OtpActionNotAllowedException) as exc:
        api.cancel_otp(otp.otp_id)
    assert exc.value.error_code == 2031


def test_cancel(api: OtpApi, smscx_sandbox: Any, receiver: Any) -> None:
    otp = _new(api, otp_callback_url=receiver.url)
    assert api.cancel_otp(otp.otp_id).info.id == otp.otp_id
    assert api.get_otp_status(otp.otp_id).status == "CANCELLED"
    with pytest.raises(OtpCancelledException) as exc:
        api.verify_otp(otp.otp_id, _pin(smscx_sandbox))
    assert (exc.value.status, exc.value.error_type, exc.value.error_code) == (400, "otp_cancelled", 2024)
    with pytest.raises(OtpCancelledException) as exc:
        api.cancel_otp(otp.otp_id)
    assert (exc.value.status, exc.value.error_code) == (403, 2030)
    smscx_sandbox.advance(300)  # no expiry after a cancel
    assert api.get_otp_status(otp.otp_id).status == "CANCELLED"
    assert _statuses(receiver.wait(1)) == ["CANCELLED"]
    assert len(receiver.bodies) == 1


def test_the_application_settings_fill_in_what_the_request_leaves_out(api: OtpApi, smscx_sandbox: Any, receiver: Any) -> None:
    settings = {"template": "Code {{pin}}", "from": "AppName", "pinType": "letters", "pinLength": 4, "ttl": 90, "maxAttempts": 1}
    smscx_sandbox.control("POST", "application", {"settings": {"otp": dict(settings, otpCallback=receiver.url_for("/app"))}})
    otp = _new(api)
    assert (otp.ttl, otp.max_attempts, otp.otp_callback_url) == (90, 1, receiver.url_for("/app"))
    sms = smscx_sandbox.messages[-1]
    assert sms["from"] == "AppName" and re.fullmatch(r"Code [A-Z]{4}", sms["text"])
    assert _new(api, ttl=120, otp_callback_url=receiver.url_for("/own")).ttl == 120  # the request wins
    api.cancel_otp(otp.otp_id)
    assert receiver.wait(1)[0][0] == "/app"


@pytest.mark.parametrize("pin_type, pattern", [("letters", r"[A-Z]{5}"), ("alphanumeric", r"[A-Z0-9]{10}"), ("numbers", r"\d{4}")])
def test_pin_types(api: OtpApi, smscx_sandbox: Any, pin_type: str, pattern: str) -> None:
    length = {"letters": 5, "alphanumeric": 10, "numbers": 4}[pin_type]
    otp = _new(api, pin_type=pin_type, pin_length=length)
    pin = _pin(smscx_sandbox)
    assert re.fullmatch(pattern, pin)
    assert api.verify_otp(otp.otp_id, pin.lower()).status == "VERIFIED"  # PINs are not case-sensitive


def test_the_pin_sms_is_delivered_on_the_clock(api: OtpApi, smscx_sandbox: Any) -> None:
    _new(api)
    _new(api, phone_number=MAGIC_NUMBERS["delivery_failed"])
    assert [m["status"] for m in smscx_sandbox.messages] == ["ACCEPTED", "ACCEPTED"]
    smscx_sandbox.advance(5)
    assert [m["status"] for m in smscx_sandbox.messages] == ["DELIVERED", "FAILED"]


def test_a_long_template_costs_every_part(api: OtpApi, smscx_sandbox: Any) -> None:
    otp = _new(api, template="Ünïcødé ✓ " * 8 + "{{pin}}")
    assert otp.parts == 2 and otp.cost == pytest.approx(2 * FR_PRICE)
    assert smscx_sandbox.messages[-1]["parts"] == 2
    assert smscx_sandbox.balance == pytest.approx(100 - 2 * FR_PRICE)


# -- errors --------------------------------------------------------------------------------
_BAD_BODIES: List[Any] = [
    ({}, 2001),
    ({"phoneNumber": ""}, 2001),
    ({"phoneNumber": 33612345678}, 2001),
    ({"phoneNumber": "0612345678"}, 2002),
    ({"phoneNumber": "0612345678", "countryIso": ""}, 2002),
    ({"phoneNumber": "0612345678", "countryIso": "XX"}, 2003),
    ({"phoneNumber": FR, "from": ""}, 2004),
    ({"phoneNumber": FR, "from": "ab"}, 2005),
    ({"phoneNumber": FR, "from": "a" * 16}, 2005),
    ({"phoneNumber": FR, "template": ""}, 2006),
    ({"phoneNumber": FR, "template": "Your code is {{code}}"}, 2006),
    ({"phoneNumber": FR, "ttl": "soon"}, 2007),
    ({"phoneNumber": FR, "ttl": 59}, 2008),
    ({"phoneNumber": FR, "ttl": 1801}, 2009),
    ({"phoneNumber": FR, "maxAttempts": [3]}, 2010),
    ({"phoneNumber": FR, "maxAttempts": 0}, 2011),
    ({"phoneNumber": FR, "maxAttempts": 11}, 2012),
    ({"phoneNumber": FR, "pinType": ""}, 2013),
    ({"phoneNumber": FR, "pinType": "emoji"}, 2014),
    ({"phoneNumber": FR, "pinLength": True}, 2015),
    ({"phoneNumber": FR, "pinLength": 3}, 2016),
    ({"phoneNumber": FR, "pinLength": 11}, 2017),
    ({"phoneNumber": FR, "trackId": "3f1d1a2e-8c1b-6c6e-9f7a-2b6d8e1c0a55"}, 2018),
    ({"phoneNumber": FR, "otpCallbackUrl": "not a url"}, 2019),
    ({"phoneNumber": "+336123"}, 2020),
]


@pytest.mark.parametrize("body, code", _BAD_BODIES, ids=[str(c) for _, c in _BAD_BODIES])
def test_new_otp_validation(api: OtpApi, smscx_sandbox: Any, body: Dict[str, Any], code: int) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, "POST", "/otp", body)
    assert (exc.value.status, exc.value.error_type, exc.value.error_code) == (400, "invalid_param", code)
    assert smscx_sandbox.messages == [] and smscx_sandbox.balance == 100


def test_text_that_is_not_unicode_is_refused(api: OtpApi, smscx_sandbox: Any) -> None:
    with pytest.raises(ApiException) as exc:
        raw_call(api.api_client, "POST", "/otp", {"phoneNumber": FR, "template": "\ud800 {{pin}}"})
    assert (exc.value.status, exc.value.error_code) == (400, 1007)
    assert smscx_sandbox.messages == []


def test_the_template_error_names_the_missing_placeholder(api: OtpApi) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        _new(api, template="no pin here")
    assert "{{pin}}" in exc.value.error_message


def test_new_otp_without_coverage_or_credit(api: OtpApi, smscx_sandbox: Any) -> None:
    with pytest.raises(NoCoverageException) as exc:
        _new(api, phone_number=MAGIC_NUMBERS["no_coverage"])
    assert (exc.value.status, exc.value.error_code) == (403, 1119)
    set_balance(smscx_sandbox, "0.04")
    with pytest.raises(InsufficientBalanceException) as exc:
        _new(api)
    assert (exc.value.status, exc.value.error_code) == (400, 1113)
    assert smscx_sandbox.messages == [] and smscx_sandbox.balance == 0.04


def test_unknown_otp_and_missing_pin(api: OtpApi) -> None:
    for call in (lambda: api.get_otp_status(UNKNOWN_ID), lambda: api.verify_otp(UNKNOWN_ID, "1234"), lambda: api.cancel_otp(UNKNOWN_ID)):
        with pytest.raises(ResourceNotFoundException) as exc:
            call()
        assert (exc.value.status, exc.value.error_code) == (404, 2021)
    with pytest.raises(ResourceNotFoundException) as exc:
        raw_call(api.api_client, "GET", "/otp/{id}", path_params={"id": "not-an-id"})
    assert exc.value.error_code == 2021
    otp = _new(api)
    for body, code in (({}, 2022), ({"pin": ""}, 2022), ({"pin": None}, 2022), (["1234"], 1007)):
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(api.api_client, "POST", "/otp/{id}", body, path_params={"id": otp.otp_id})
        assert exc.value.error_code == code
    assert api.get_otp_status(otp.otp_id).attempts == 0
