"""Sandbox number rental, through the SDK: the offer list and its filters, renting, renewing
(by hand and automatically on the sandbox clock), cancelling, settings, inbound SMS delivered by
the ``inbound-sms`` control action, and the documented errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, List

import phonenumbers
import pytest
from support import api_fixture, check_paging, control_error, raw_call, set_balance

from smscx_client.api.numbers_api import NumbersApi
from smscx_client.exceptions import (
    AccessDeniedException,
    InsufficientBalanceException,
    InvalidRequestException,
    ResourceNotFoundException,
)

DAY = 86400
UNKNOWN_ID = "0b5e5c59-0a2b-4c35-8d3c-3a9f58e2e2f1"
# The FR offer list is fixed; its slots (see _rent_catalog.SLOTS):
BASIC, INBOUND_ONLY, VOICE_MIN7, REGISTRATION, OUTBOUND_ONLY = 0, 1, 2, 3, 4


api = api_fixture(NumbersApi)


def _offers(api: NumbersApi, **filters: Any) -> List[Any]:
    return list(api.get_available_numbers("FR", **filters).data)


def _rent(api: NumbersApi, offer: Any, period: int = 1, **extra: Any) -> Any:
    return api.rent_number(dict({"number_id": offer.number_id, "rent_period": period}, **extra)).info


def _inbound(sb: Any, to: str, sender: str = "+447400123456", text: str = "hello") -> Any:
    return sb.control("POST", "inbound-sms", {"to": to, "from": sender, "text": text})


# -- the offer list ------------------------------------------------------------------------
def test_available_numbers_are_valid_deterministic_and_priced(api: NumbersApi) -> None:
    offers = _offers(api)
    assert len(offers) == 8
    assert [o.number_id for o in offers] == [o.number_id for o in _offers(api)]
    for o in offers:
        number = phonenumbers.parse(o.phone_number)
        assert phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == "FR"
        assert o.country_iso == "FR" and o.inbound_sms_cost == 0
        assert [c.days for c in o.rent_cost] == [d for d in (1, 7, 30) if d >= o.min_rent]
    basic = offers[BASIC]
    assert (basic.number_type, basic.features, basic.min_rent, basic.setup_time) == ("mobile", 3, 1, "instant")
    assert (basic.network_operator, basic.outbound_sms_cost, basic.setup_cost) == ("SFR", 0.045, 0)
    assert [(c.days, c.cost) for c in basic.rent_cost] == [(1, 0.8), (7, 5.04), (30, 18.0)]
    assert offers[INBOUND_ONLY].outbound_sms_cost is None
    assert (offers[REGISTRATION].registration, offers[REGISTRATION].setup_cost) == (True, 5.0)
    assert [o.number_type for o in offers].count("landline") == 3


@pytest.mark.parametrize(
    "filters, slots",
    [
        ({"features": 1}, [0, 1, 2, 3, 5, 6, 7]),
        ({"features": 2}, [0, 2, 3, 4]),
        ({"features": 3}, [0, 2, 3]),
        ({"number_type": "landline"}, [5, 6, 7]),
        ({"setup_time": "delayed"}, [3, 7]),
        ({"registration": True}, [3]),
        ({"registration": False}, [0, 1, 2, 4, 5, 6, 7]),
        ({"inbound_sms_sender": True}, [0, 2, 3]),
        ({"number_type": "mobile", "features": 3, "setup_time": "instant"}, [0, 2]),
    ],
)
def test_available_number_filters(api: NumbersApi, filters: Any, slots: List[int]) -> None:
    every = _offers(api)
    assert [o.number_id for o in _offers(api, **filters)] == [every[i].number_id for i in slots]


def test_available_number_digit_filters(api: NumbersApi) -> None:
    every = _offers(api)
    wanted = every[BASIC].phone_number[-3:]
    assert [o.phone_number for o in _offers(api, include=wanted)] == [every[BASIC].phone_number]
    assert len(_offers(api, exclude=wanted)) == 7
    assert len(_offers(api, include="3361")) == 5  # the mobiles
    assert _offers(api, include="99999999") == []


def test_available_numbers_errors(api: NumbersApi) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        api.get_available_numbers("ZZ")
    assert (exc.value.status, exc.value.error_code) == (400, 2003)
    assert api.get_available_numbers("KP").data == []  # not covered by the sandbox
    assert len(api.get_available_numbers("gb").data) == 8
    with pytest.raises(InvalidRequestException):
        raw_call(api.api_client, "GET", "/numbers/rent/available/FR", query=[("include", "12ab")])


# -- renting and its lifecycle -------------------------------------------------------------
def test_rent_charges_and_takes_the_number_off_the_list(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    offer = _offers(api)[BASIC]
    info = api.rent_number({"number_id": offer.number_id, "rent_period": 1, "callback_url": receiver.url}).info
    assert (info.number_id, info.phone_number, info.country_iso) == (offer.number_id, offer.phone_number, "FR")
    assert (info.rent_cost, info.setup_cost, info.auto_renew, info.approved) == (0.8, 0, False, True)
    assert info.callback_url == receiver.url
    assert info.rent_end - info.rent_start == timedelta(days=1)
    assert smscx_sandbox.balance == pytest.approx(99.2)
    assert offer.number_id not in [o.number_id for o in _offers(api)]

    status = api.get_rent_status(info.rent_id).info
    assert (status.rent_id, status.phone_number, status.rent_period, status.active_rent) == (info.rent_id, offer.phone_number, 1, True)
    assert (status.features, status.number_type, status.network_operator, status.min_rent) == (3, "mobile", "SFR", 1)
    assert (status.inbound_sms.total, status.outbound_sms.total) == (0, 0)
    assert [(c.days, c.cost) for c in status.renew_cost] == [(1, 0.8), (7, 5.04), (30, 18.0)]
    rented = api.get_rented_numbers().data
    assert [r.rent_id for r in rented] == [info.rent_id]
    assert rented[0].to_dict() == status.to_dict()


def test_inbound_sms_reach_the_rental_and_its_callback(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC], callback_url=receiver.url_for("/inbound"))
    got = _inbound(smscx_sandbox, info.phone_number[1:], text="Your code is 1234")
    assert (got["from"], got["to"], got["countryIso"], got["rentId"]) == ("+447400123456", info.phone_number, "GB", info.rent_id)
    _inbound(smscx_sandbox, info.phone_number, sender="MyBank", text="second")

    path, body = receiver.wait(2)[0]
    assert path == "/inbound" and body["event"] == "receive_sms"
    assert body["data"] == [{k: got[k] for k in ("msgId", "from", "countryIso", "to", "text", "cost", "receivedAt")}]

    listed = api.get_inbound_sms(info.rent_id)
    assert (listed.info.rent_id, listed.info.phone_number, listed.info.country_iso) == (info.rent_id, info.phone_number, "FR")
    assert [(m._from, m.text, m.country_iso) for m in listed.data] == [("MyBank", "second", "FR"), ("+447400123456", "Your code is 1234", "GB")]
    assert listed.data[1].msg_id == got["msgId"] and listed.data[1].cost == 0
    assert api.get_rent_status(info.rent_id).info.inbound_sms.total == 2

    with pytest.raises(AccessDeniedException) as exc:
        api.cancel_rent(info.rent_id)
    assert exc.value.error_code == 1232


def test_inbound_sms_without_a_rental_callback_use_the_application_one(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    smscx_sandbox.control("POST", "application", {"settings": {"sms": {"receiveCallback": receiver.url_for("/app")}}})
    info = _rent(api, _offers(api)[BASIC])
    _inbound(smscx_sandbox, info.phone_number)
    path, body = receiver.wait(1)[0]
    assert path == "/app" and body["data"][0]["to"] == info.phone_number


def test_inbound_sms_paging(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC])
    for i in range(3):
        _inbound(smscx_sandbox, info.phone_number, text="m{}".format(i))
    check_paging(lambda **q: api.get_inbound_sms(info.rent_id, **q), lambda m: m.text, ["m2", "m1", "m0"])


def test_inbound_sms_control_action_rules(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    inbound_only = _rent(api, offers[INBOUND_ONLY])
    outbound_only = _rent(api, offers[OUTBOUND_ONLY])
    assert control_error(smscx_sandbox, "inbound-sms", {"to": inbound_only.phone_number, "from": "MyBank", "text": "x"})[0] == 400
    assert _inbound(smscx_sandbox, inbound_only.phone_number, sender="12345")["from"] == "12345"  # short codes are fine
    assert control_error(smscx_sandbox, "inbound-sms", {"to": outbound_only.phone_number, "from": "+447400123456", "text": "x"})[0] == 400
    assert control_error(smscx_sandbox, "inbound-sms", {"to": "+33699999999", "from": "+447400123456", "text": "x"})[0] == 404
    for bad in (
        {},
        {"to": inbound_only.phone_number, "from": "+447400123456"},
        {"to": 5, "from": "x", "text": "y"},
        {"to": inbound_only.phone_number, "from": "+447400123456", "text": "\ud800"},
    ):
        assert control_error(smscx_sandbox, "inbound-sms", bad)[0] == 400


def test_renew_extends_the_end_and_charges(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC])
    renewed = api.renew_rent(info.rent_id, {"rent_period": 7, "auto_renew": True}).info
    assert renewed.rent_end == info.rent_end + timedelta(days=7)
    assert (renewed.rent_start, renewed.rent_cost, renewed.auto_renew) == (info.rent_start, 5.04, True)
    assert smscx_sandbox.balance == pytest.approx(100 - 0.8 - 5.04)
    again = api.renew_rent(info.rent_id, {}).info  # the current period again
    assert again.rent_end == renewed.rent_end + timedelta(days=7)
    status = api.get_rent_status(info.rent_id).info
    assert (status.rent_period, status.rent_cost, status.auto_renew) == (7, 5.04, True)


def test_auto_renew_on_the_clock_then_lapse(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC], auto_renew=True)
    smscx_sandbox.advance(DAY + 1)
    status = api.get_rent_status(info.rent_id).info
    assert status.active_rent is True and status.rent_end == info.rent_end + timedelta(days=1)
    assert smscx_sandbox.balance == pytest.approx(100 - 2 * 0.8)

    edited = api.edit_rent_settings(info.rent_id, {"auto_renew": False}).info
    assert edited.rent_id == info.rent_id
    smscx_sandbox.advance(DAY)
    status = api.get_rent_status(info.rent_id).info
    assert status.active_rent is False and status.auto_renew is False
    assert smscx_sandbox.balance == pytest.approx(100 - 2 * 0.8)
    assert [r.rent_id for r in api.get_rented_numbers(active_rent=False).data] == [info.rent_id]
    assert api.get_rented_numbers(active_rent=True).data == []
    assert _offers(api)[BASIC].number_id == info.number_id  # back on the list

    with pytest.raises(AccessDeniedException) as exc:
        api.renew_rent(info.rent_id, {"rent_period": 1})
    assert exc.value.error_code == 1228
    assert control_error(smscx_sandbox, "inbound-sms", {"to": info.phone_number, "from": "+447400123456", "text": "late"})[0] == 404


def test_auto_renew_lapses_when_the_balance_is_short(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC], auto_renew=True)
    set_balance(smscx_sandbox, "0.5")
    smscx_sandbox.advance(DAY + 1)
    assert api.get_rent_status(info.rent_id).info.active_rent is False
    assert smscx_sandbox.balance == 0.5


def test_cancel_within_30_minutes_refunds_the_rent(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC])
    smscx_sandbox.advance(29 * 60)
    cancelled = api.cancel_rent(info.rent_id).info
    assert (cancelled.rent_id, cancelled.number_id, cancelled.phone_number, cancelled.country_iso) == (
        info.rent_id, info.number_id, info.phone_number, "FR",
    )
    assert cancelled.credit_returned == 0.8
    assert smscx_sandbox.balance == 100
    assert api.get_rent_status(info.rent_id).info.active_rent is False
    assert _offers(api)[BASIC].number_id == info.number_id
    with pytest.raises(AccessDeniedException) as exc:
        api.cancel_rent(info.rent_id)
    assert exc.value.error_code == 1227


def test_cancel_after_30_minutes_is_refused(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC])
    smscx_sandbox.advance(31 * 60)
    with pytest.raises(AccessDeniedException) as exc:
        api.cancel_rent(info.rent_id)
    assert (exc.value.status, exc.value.error_code) == (403, 1227)
    assert smscx_sandbox.balance == pytest.approx(99.2)


def test_registration_numbers_need_an_id_pay_setup_and_are_approved_later(api: NumbersApi, smscx_sandbox: Any) -> None:
    offer = _offers(api)[REGISTRATION]
    with pytest.raises(InvalidRequestException) as exc:
        api.rent_number({"number_id": offer.number_id, "rent_period": 30})
    assert exc.value.error_code == 1234
    info = api.rent_number({"number_id": offer.number_id, "rent_period": 30, "registration_id": UNKNOWN_ID}).info
    assert (info.approved, info.rent_cost, info.setup_cost) == (False, 18.0, 5.0)
    assert smscx_sandbox.balance == pytest.approx(100 - 23)
    smscx_sandbox.advance(600)
    assert api.get_rent_status(info.rent_id).info.approved is True
    assert api.cancel_rent(info.rent_id).info.credit_returned == 18.0  # the setup cost stays paid
    assert smscx_sandbox.balance == pytest.approx(95)


def test_rented_numbers_filters(api: NumbersApi) -> None:
    offers = _offers(api)
    basic = _rent(api, offers[BASIC])
    landline = _rent(api, offers[5])
    gb = api.get_available_numbers("GB").data[0]
    api.rent_number({"number_id": gb.number_id, "rent_period": 1})

    def ids(**filters: Any) -> List[str]:
        return [r.phone_number for r in api.get_rented_numbers(**filters).data]

    assert ids() == [gb.phone_number, landline.phone_number, basic.phone_number]
    assert ids(country_iso="fr") == [landline.phone_number, basic.phone_number]
    assert ids(number_type="landline") == [landline.phone_number]
    assert ids(features=2) == [gb.phone_number, basic.phone_number]
    assert ids(inbound_sms_sender=True) == [gb.phone_number, basic.phone_number]
    assert ids(include=basic.phone_number[-4:]) == [basic.phone_number]
    assert ids(exclude="33") == [gb.phone_number]
    with pytest.raises(InvalidRequestException):
        raw_call(api.api_client, "GET", "/numbers/rent", query=[("active_rent", "maybe")])


# -- errors --------------------------------------------------------------------------------
def test_rent_number_errors(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    basic, min7 = offers[BASIC].number_id, offers[VOICE_MIN7].number_id
    cases = [
        ({"rentPeriod": 1}, 1222),
        ({"numberId": "123", "rentPeriod": 1}, 1222),
        ({"numberId": basic}, 1224),
        ({"numberId": basic, "rentPeriod": 2}, 1224),
        ({"numberId": basic, "rentPeriod": True}, 1224),
        ({"numberId": basic, "rentPeriod": 1, "autoRenew": "yes"}, 1225),
        ({"numberId": basic, "rentPeriod": 1, "callbackUrl": "example.com/hook"}, 1226),
        ({"numberId": min7, "rentPeriod": 1}, 1229),
        ({"numberId": basic, "rentPeriod": 1, "registrationId": "abc"}, 1234),
    ]
    for body, code in cases:
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(api.api_client, "POST", "/numbers/rent", body)
        assert (exc.value.status, exc.value.error_code) == (400, code), body
    with pytest.raises(ResourceNotFoundException) as exc:
        api.rent_number({"number_id": UNKNOWN_ID, "rent_period": 1})
    assert exc.value.error_code == 1230
    assert smscx_sandbox.balance == 100

    api.rent_number({"number_id": basic, "rent_period": 1})
    with pytest.raises(AccessDeniedException) as exc:
        api.rent_number({"number_id": basic, "rent_period": 1})
    assert (exc.value.status, exc.value.error_code) == (403, 1231)
    set_balance(smscx_sandbox, "0.79")
    with pytest.raises(InsufficientBalanceException) as exc:
        api.rent_number({"number_id": offers[INBOUND_ONLY].number_id, "rent_period": 1})
    assert exc.value.error_code == 1113
    assert len(api.get_rented_numbers().data) == 1


def test_renew_errors(api: NumbersApi, smscx_sandbox: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[VOICE_MIN7], period=7)
    for body, code in [({"rentPeriod": 3}, 1224), ({"autoRenew": 1}, 1225), ({"callbackUrl": "http://"}, 1226), ({"rentPeriod": 1}, 1229)]:
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(api.api_client, "PATCH", "/numbers/rent/{id}", body, path_params={"id": info.rent_id})
        assert exc.value.error_code == code, body
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, "PATCH", "/numbers/rent/{id}", {}, path_params={"id": "nope"})
    assert exc.value.error_code == 1221
    with pytest.raises(ResourceNotFoundException) as exc:
        api.renew_rent(UNKNOWN_ID, {"rent_period": 7})
    assert exc.value.error_code == 1223
    set_balance(smscx_sandbox, "1")
    with pytest.raises(InsufficientBalanceException) as exc:
        api.renew_rent(info.rent_id, {"rent_period": 7})
    assert exc.value.error_code == 1113
    assert api.get_rent_status(info.rent_id).info.rent_end == info.rent_end


def test_edit_settings_errors_and_effect(api: NumbersApi, receiver: Any) -> None:
    offers = _offers(api)
    info = _rent(api, offers[BASIC])
    for body, code in [({}, 1233), (None, 1007), ({"autoRenew": "true"}, 1225), ({"callbackUrl": "mailto:x@y.z"}, 1226)]:
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(api.api_client, "PATCH", "/numbers/rent/{id}/edit", body, path_params={"id": info.rent_id})
        assert exc.value.error_code == code, body
    with pytest.raises(ResourceNotFoundException) as exc:
        api.edit_rent_settings(UNKNOWN_ID, {"auto_renew": True})
    assert exc.value.error_code == 1223
    api.edit_rent_settings(info.rent_id, {"callback_url": receiver.url_for("/new")})
    status = api.get_rent_status(info.rent_id).info
    assert (status.callback_url, status.auto_renew) == (receiver.url_for("/new"), False)
    api.edit_rent_settings(info.rent_id, {"callback_url": None})
    assert api.get_rent_status(info.rent_id).info.callback_url is None


@pytest.mark.parametrize("method, path", [("GET", "/numbers/rent/{id}"), ("GET", "/numbers/rent/{id}/inbound"), ("DELETE", "/numbers/rent/{id}")])
def test_rent_id_errors(api: NumbersApi, method: str, path: str) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, method, path, path_params={"id": "x" * 36})
    assert exc.value.error_code == 1221
    with pytest.raises(ResourceNotFoundException) as exc:
        raw_call(api.api_client, method, path, path_params={"id": UNKNOWN_ID})
    assert (exc.value.status, exc.value.error_code) == (404, 1223)
