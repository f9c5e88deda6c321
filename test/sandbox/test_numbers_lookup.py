"""Sandbox number lookup and validation, through the SDK: charges, magic numbers, bulk lookups
worked through on the sandbox clock, callbacks, exports and the documented errors."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import phonenumbers
import pytest
from support import api_fixture, check_paging, raw_call, set_balance, xlsx_cells

from smscx_client.api.numbers_api import NumbersApi
from smscx_client.exceptions import (
    ApiValueError,
    InsufficientBalanceException,
    InvalidPhoneNumberException,
    InvalidRequestException,
    NoCoverageException,
    ResourceNotFoundException,
)
from smscx_client.sandbox import MAGIC_NUMBERS

FR = "+33612345678"  # SFR, France
DE = "+4915123456789"  # T-Mobile, Germany
PRICE = 0.005
UNKNOWN_ID = "0b5e5c59-0a2b-4c35-8d3c-3a9f58e2e2f1"


api = api_fixture(NumbersApi)


def _kp_number() -> str:
    example = phonenumbers.example_number_for_type("KP", phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)


# -- single lookups ------------------------------------------------------------------------
def test_lookup_reports_the_network_and_is_charged(api: NumbersApi, smscx_sandbox: Any) -> None:
    data = api.lookup_number(FR).data
    assert data.phone_number == FR
    assert data.status == "ACTIVE"
    assert data.status_description == "Phone number is reachable"
    assert (data.country_iso, data.country_name, data.country_name_locale) == ("FR", "France", "France")
    assert (data.mcc, data.mccmnc) == ("208", "20810")
    assert (data.original_network.name, data.original_network.mnc) == ("SFR", "10")
    assert (data.ported_network.name, data.ported_network.mnc) == (None, None)
    assert data.ported is False and data.roaming is False
    assert data.roaming_network.country_iso is None and data.roaming_network.name is None
    assert data.cost == PRICE
    assert isinstance(data.datetime, datetime)
    assert smscx_sandbox.balance == pytest.approx(100 - PRICE)
    again = api.get_single_lookup_status(data.lookup_id)
    assert again.to_dict() == data.to_dict()


def test_lookup_reads_the_local_country_name(api: NumbersApi) -> None:
    data = api.lookup_number(DE).data
    assert (data.country_name, data.country_name_locale, data.mccmnc) == ("Germany", "Deutschland", "26201")


@pytest.mark.parametrize("written", ["33612345678", "+33612345678", " +33612345678"])
def test_lookup_accepts_the_plus_written_or_left_out(api: NumbersApi, written: str) -> None:
    assert api.lookup_number(written).data.phone_number == FR


def test_lookup_of_the_ported_magic_number(api: NumbersApi) -> None:
    data = api.lookup_number(MAGIC_NUMBERS["lookup_ported"]).data
    assert data.ported is True and data.status == "ACTIVE"
    assert (data.original_network.name, data.original_network.mnc) == ("Free Mobile", "15")
    assert (data.ported_network.name, data.ported_network.mnc) == ("Orange France", "01")
    assert data.mccmnc == "20801"


def test_lookup_of_the_unreachable_magic_number(api: NumbersApi) -> None:
    data = api.lookup_number(MAGIC_NUMBERS["lookup_unreachable"]).data
    assert (data.status, data.ported) == ("ABSENT", False)


def test_lookup_of_a_landline_fails_but_is_charged(api: NumbersApi, smscx_sandbox: Any) -> None:
    data = api.lookup_number("+33123456789").data
    assert data.status == "FAILED"
    assert smscx_sandbox.balance == pytest.approx(100 - PRICE)


@pytest.mark.parametrize("number", ["+3361234", "0612345678", "hello"])
def test_lookup_of_an_invalid_number_is_1207(api: NumbersApi, smscx_sandbox: Any, number: str) -> None:
    with pytest.raises(InvalidPhoneNumberException) as exc:
        api.lookup_number(number)
    assert (exc.value.status, exc.value.error_code) == (400, 1207)
    assert smscx_sandbox.balance == 100


def test_lookup_without_coverage_is_1214(api: NumbersApi, smscx_sandbox: Any) -> None:
    for number in (MAGIC_NUMBERS["no_coverage"], _kp_number()):
        with pytest.raises(NoCoverageException) as exc:
            api.lookup_number(number)
        assert (exc.value.status, exc.value.error_code) == (403, 1214)
    assert smscx_sandbox.balance == 100


def test_lookup_without_credit(api: NumbersApi, smscx_sandbox: Any) -> None:
    set_balance(smscx_sandbox, "0.004")
    with pytest.raises(InsufficientBalanceException) as exc:
        api.lookup_number(FR)
    assert exc.value.error_code == 1113
    set_balance(smscx_sandbox, "-5", credit_limit="5")
    with pytest.raises(InsufficientBalanceException) as exc:
        api.lookup_number(FR)
    assert exc.value.error_code == 1114
    assert smscx_sandbox.balance == -5


def test_single_lookup_status_errors(api: NumbersApi) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, "GET", "/numbers/lookup/lookupId/{id}", path_params={"id": "not-a-uuid"})
    assert exc.value.error_code == 1217
    with pytest.raises(ResourceNotFoundException) as exc:
        api.get_single_lookup_status(UNKNOWN_ID)
    assert exc.value.error_code == 1219


# -- bulk lookups --------------------------------------------------------------------------
def test_bulk_lookup_is_charged_then_worked_through_on_the_clock(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    numbers = [FR, "12", FR, DE, MAGIC_NUMBERS["lookup_unreachable"], MAGIC_NUMBERS["no_coverage"]]
    started = api.lookup_numbers({"phone_numbers": numbers, "lookup_callback_url": receiver.url_for("/lookups")})
    info = started.info
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid) == (6, 4, 1)
    assert info.invalid == ["12"]
    assert info.total_cost == pytest.approx(3 * PRICE)  # the uncovered number is free
    assert [d.phone_number for d in started.data] == [FR, DE, MAGIC_NUMBERS["lookup_unreachable"], MAGIC_NUMBERS["no_coverage"]]
    assert [d.cost for d in started.data] == [PRICE, PRICE, PRICE, 0]
    assert smscx_sandbox.balance == pytest.approx(100 - 3 * PRICE)
    bulk_id = info.lookup_bulk_id

    before = api.get_bulk_lookup_status(bulk_id)
    assert before.data == [] and before.paging.size == 0
    assert before.info.total_valid == 4 and before.info.phone_numbers_by_country == {"FR": 3, "DE": 1}
    assert before.info.phone_numbers_by_country.country_code == {"FR": 3, "DE": 1}  # the 0.1.x name
    with pytest.raises(ResourceNotFoundException):
        api.get_single_lookup_status(started.data[0].lookup_id)

    smscx_sandbox.advance(5)
    after = api.get_bulk_lookup_status(bulk_id)
    assert [(d.phone_number, d.status, d.cost) for d in after.data] == [
        (FR, "ACTIVE", PRICE),
        (DE, "ACTIVE", PRICE),
        (MAGIC_NUMBERS["lookup_unreachable"], "ABSENT", PRICE),
        (MAGIC_NUMBERS["no_coverage"], "FAILED", 0),
    ]
    assert [d.lookup_id for d in after.data] == [d.lookup_id for d in started.data]
    assert api.get_single_lookup_status(started.data[1].lookup_id).phone_number == DE

    path, body = receiver.wait(1)[0]
    assert path == "/lookups"
    assert body["event"] == "otp_update"  # the only event name the spec's CallBackRequestNumberLookup admits
    assert [d["phoneNumber"] for d in body["data"]] == [d.phone_number for d in after.data]
    assert {d["lookupBulkId"] for d in body["data"]} == {bulk_id}
    hook = [w for w in smscx_sandbox.webhooks if w["event"] == "number_lookup"]
    assert len(hook) == 1


def test_bulk_lookup_callbacks_default_to_the_application_setting(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    smscx_sandbox.control("POST", "application", {"settings": {"lookup": {"lookupCallback": receiver.url_for("/app")}}})
    api.lookup_numbers({"phone_numbers": [FR]})
    smscx_sandbox.advance(5)
    path, body = receiver.wait(1)[0]
    assert path == "/app" and body["data"][0]["phoneNumber"] == FR


def test_a_large_bulk_lookup_finishes_200_numbers_every_5_seconds(api: NumbersApi, smscx_sandbox: Any, receiver: Any) -> None:
    numbers = ["+33612{:06d}".format(i) for i in range(450)]
    bulk_id = api.lookup_numbers({"phone_numbers": numbers, "lookup_callback_url": receiver.url}).info.lookup_bulk_id
    assert smscx_sandbox.balance == pytest.approx(100 - 450 * PRICE)
    done = []
    for _ in range(3):
        smscx_sandbox.advance(5)
        done.append(len(api.get_bulk_lookup_status(bulk_id).data))
    assert done == [200, 400, 450]
    assert [len(b["data"]) for _, b in receiver.wait(3)] == [200, 200, 50]

    check_paging(lambda **q: api.get_bulk_lookup_status(bulk_id, **q), lambda d: d.phone_number, numbers, limit=300)


def test_bulk_lookup_campaigns_are_listed_newest_first_and_paged(api: NumbersApi) -> None:
    ids = [api.lookup_numbers({"phone_numbers": [FR] * (i + 1) + ["x"]}).info.lookup_bulk_id for i in range(3)]
    check_paging(api.get_bulk_lookup_campaigns, lambda c: c.id, ids[::-1])
    first = api.get_bulk_lookup_campaigns(limit=2).data[0]
    assert (first.total_phone_numbers, first.total_valid, first.total_cost) == (4, 1, PRICE)
    assert isinstance(first.datetime_added, datetime)


def test_bulk_lookup_exports(api: NumbersApi, smscx_sandbox: Any, tmp_path: Any) -> None:
    bulk_id = api.lookup_numbers({"phone_numbers": [FR, MAGIC_NUMBERS["lookup_ported"]]}).info.lookup_bulk_id
    rows = list(csv.reader(io.StringIO(api.export_number_lookup_report_to_csv(bulk_id))))
    assert rows[0][:3] == ["phoneNumber", "lookupId", "status"] and len(rows) == 1  # nothing finished yet
    smscx_sandbox.advance(5)
    table = list(csv.DictReader(io.StringIO(api.export_number_lookup_report_to_csv(bulk_id))))
    assert [(r["phoneNumber"], r["status"], r["ported"], r["portedNetwork"]) for r in table] == [
        (FR, "ACTIVE", "false", ""),
        (MAGIC_NUMBERS["lookup_ported"], "ACTIVE", "true", "Orange France"),
    ]
    assert Decimal(table[0]["cost"]) == Decimal("0.005")

    api.api_client.configuration.temp_folder_path = str(tmp_path)
    with api.export_number_lookup_report_to_xlsx(bulk_id) as fh:
        cells = xlsx_cells(fh)
    assert FR in cells and "Orange France" in cells


def test_bulk_lookup_body_errors(api: NumbersApi, smscx_sandbox: Any) -> None:
    client = api.api_client
    cases = [
        ({}, 1203),
        ({"phoneNumbers": []}, 1203),
        ({"phoneNumbers": "+33612345678"}, 1208),
        ({"phoneNumbers": [33612345678]}, 1208),
        ({"phoneNumbers": [FR], "lookupCallbackUrl": "not a url"}, 1209),
        ({"phoneNumbers": [FR], "lookupCallbackUrl": "ftp://example.com/x"}, 1209),
        ({"phoneNumbers": ["1", "+33"]}, 1216),
    ]
    for body, code in cases:
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(client, "POST", "/numbers/lookup", body)
        assert (exc.value.status, exc.value.error_code) == (400, code), body
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(client, "POST", "/numbers/lookup", {"phoneNumbers": [FR] * 40001})
    assert exc.value.error_code == 1205
    with pytest.raises(ApiValueError):  # the spec's maxItems: the SDK refuses it before sending
        api.lookup_numbers({"phone_numbers": [FR] * 40001})
    with pytest.raises(NoCoverageException) as exc:
        api.lookup_numbers({"phone_numbers": [MAGIC_NUMBERS["no_coverage"], _kp_number()]})
    assert exc.value.error_code == 1214
    set_balance(smscx_sandbox, "0.009")
    with pytest.raises(InsufficientBalanceException) as exc:
        api.lookup_numbers({"phone_numbers": [FR, DE]})
    assert exc.value.error_code == 1113
    assert smscx_sandbox.balance == pytest.approx(0.009)
    assert api.get_bulk_lookup_campaigns().data == []


def test_bulk_lookup_reads_national_numbers_with_country_iso(api: NumbersApi) -> None:
    started = api.lookup_numbers({"phone_numbers": ["0612345678", "06 12 34 56 79"], "country_iso": "FR"})
    assert [d.phone_number for d in started.data] == [FR, "+33612345679"]


@pytest.mark.parametrize("suffix", ["", "/csv", "/xlsx"])
def test_bulk_lookup_id_errors(api: NumbersApi, suffix: str) -> None:
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, "GET", "/numbers/lookup/lookupBulkId/{id}" + suffix, path_params={"id": "1234"})
    assert exc.value.error_code == 1218
    with pytest.raises(ResourceNotFoundException) as exc:
        raw_call(api.api_client, "GET", "/numbers/lookup/lookupBulkId/{id}" + suffix, path_params={"id": UNKNOWN_ID})
    assert exc.value.error_code == 1220


# -- validation ----------------------------------------------------------------------------
def test_validate_number_is_free(api: NumbersApi, smscx_sandbox: Any) -> None:
    data = api.validate_number("33612345678").data
    assert (data.phone_number, data.country_iso, data.network_operator, data.timezone) == (FR, "FR", "SFR", "Europe/Paris")
    assert smscx_sandbox.balance == 100
    with pytest.raises(InvalidPhoneNumberException) as exc:
        api.validate_number("+336")
    assert exc.value.error_code == 1207


def test_validate_numbers_keeps_order_and_flags_invalid_entries(api: NumbersApi, smscx_sandbox: Any) -> None:
    result = api.validate_numbers({"phone_numbers": ["0612345678", "nope", DE, "+1202"], "country_iso": "FR"})
    assert [(d.phone_number, d.invalid) for d in result.data] == [(FR, False), ("nope", True), (DE, False), ("+1202", True)]
    assert (result.data[2].country_iso, result.data[2].network_operator, result.data[2].timezone) == ("DE", "T-Mobile", "Europe/Berlin")
    assert (result.info.total_phone_numbers, result.info.total_valid, result.info.total_invalid) == (4, 2, 2)
    assert smscx_sandbox.balance == 100


def test_bulk_answers_count_numbers_by_country(api: NumbersApi) -> None:
    # a plain map of country code to count on the wire, as the API documents it (0.1.x's spec
    # nested it under a placeholder key, `countryCode`)
    body = {"phoneNumbers": [FR, DE, "+33612345679", "bad"]}
    for path in ("/numbers/validate", "/numbers/lookup"):
        info = raw_call(api.api_client, "POST", path, body).data["info"]
        assert info["phoneNumbersByCountry"] == {"FR": 2, "DE": 1}, path
    info = api.validate_numbers({"phone_numbers": body["phoneNumbers"]}).info
    assert info.phoneNumbersByCountry == {"FR": 2, "DE": 1}  # the attribute 0.1.x users read
    assert sorted(info.phoneNumbersByCountry.items()) == [("DE", 1), ("FR", 2)]


def test_validate_numbers_errors(api: NumbersApi) -> None:
    for body, code in [({"phoneNumbers": []}, 1203), (None, 1007), ({"phoneNumbers": {"a": 1}}, 1208)]:
        with pytest.raises(InvalidRequestException) as exc:
            raw_call(api.api_client, "POST", "/numbers/validate", body)
        assert exc.value.error_code == code
    with pytest.raises(InvalidRequestException) as exc:
        raw_call(api.api_client, "POST", "/numbers/validate", {"phoneNumbers": ["1"] * 40001})
    assert exc.value.error_code == 1205
