"""smscx_client.phones.normalize: E.164, duplicates dropped, the API's reasons and codes for
invalid numbers (the sandbox's answers to the same lists), national formats of 15 countries."""

from __future__ import annotations

import sys
from typing import Any, List

import pytest

from smscx_client import ApiException
from smscx_client.api.sms_api import SmsApi
from smscx_client.phones import MISSING_EXTRA, REASONS, InvalidNumber, normalize
from smscx_client.sandbox import MAGIC_NUMBERS
from smscx_client.sandbox.backends._examples import CONTACTS

NATIONAL = [
    ("FR", "06 12 34 56 78", "+33612345678"),
    ("DE", "0151 12345678", "+4915112345678"),
    ("GB", "07400 123456", "+447400123456"),
    ("US", "(201) 555-0123", "+12015550123"),
    ("ES", "612 34 56 78", "+34612345678"),
    ("IT", "312 345 6789", "+393123456789"),
    ("NL", "06 12345678", "+31612345678"),
    ("BE", "0470 12 34 56", "+32470123456"),
    ("CH", "078 123 45 67", "+41781234567"),
    ("PL", "512 345 678", "+48512345678"),
    ("BR", "(11) 96123-4567", "+5511961234567"),
    ("IN", "098765 43210", "+919876543210"),
    ("JP", "090-1234-5678", "+819012345678"),
    ("AU", "0412 345 678", "+61412345678"),
    ("RO", "0712 345 678", "+40712345678"),
]
SANDBOX_NUMBERS = sorted(set(MAGIC_NUMBERS.values()) | {c[0] for c in CONTACTS})


def _send(sb: Any, to: List[str], country: Any = None) -> Any:
    body = {"to": to, "from": "MyBrand", "text": "Hi"}
    if country:
        body["countryIso"] = country
    return SmsApi(sb.api_client()).estimate_sms(body)


@pytest.mark.parametrize("country, national, e164", NATIONAL, ids=[c for c, _, _ in NATIONAL])
def test_national_formats_become_e164_as_the_api_reads_them(smscx_sandbox: Any, country: str, national: str, e164: str) -> None:
    found = normalize([national, e164], default_country=country)
    assert found.numbers == [e164] and found.duplicates == 1 and not found.invalid
    assert found.countries == {e164: country}
    assert [d.to for d in _send(smscx_sandbox, [national], country).data] == [e164]


def test_the_sandboxs_own_numbers_are_valid_and_unchanged(smscx_sandbox: Any) -> None:
    found = normalize(SANDBOX_NUMBERS)
    assert found.numbers == SANDBOX_NUMBERS and found.error_code is None and found.total == len(SANDBOX_NUMBERS)
    # and in national form they come back to the same numbers
    national = ["0" + n[3:] for n in SANDBOX_NUMBERS]
    assert normalize(national, "FR").numbers == SANDBOX_NUMBERS
    assert sorted(d.to for d in _send(smscx_sandbox, SANDBOX_NUMBERS).data) == SANDBOX_NUMBERS


def test_duplicates_in_any_form_are_dropped_in_first_seen_order() -> None:
    found = normalize(["+33687654321", "06 12 34 56 78", "+33 6 87 65 43 21", "0033612345678", "+33612345678"])
    assert found.numbers == ["+33687654321", "+33612345678"] and found.duplicates == 3 and found.total == 5
    assert normalize("+33612345678").numbers == ["+33612345678"]  # one str is one number


@pytest.mark.parametrize(
    "number, country, reason",
    [
        ("12", None, "not_a_number"),
        ("abc", "FR", "not_a_number"),
        ("", "FR", "not_a_number"),
        ("+33600", None, "invalid"),
        ("06 12", "FR", "invalid"),
        ("+80012345678", None, "no_country"),
    ],
)
def test_each_invalid_number_has_the_reason_and_the_apis_code(smscx_sandbox: Any, number: str, country: Any, reason: str) -> None:
    found = normalize([number], country)
    assert found.invalid == [InvalidNumber(number, reason)] and found.invalid[0].message == REASONS[reason]
    assert found.error_code == 1207 and not found.numbers
    if number:  # an empty `to` item is a schema error (1104), not a phone number one
        with pytest.raises(ApiException) as info:
            _send(smscx_sandbox, [number], country)
        assert info.value.error_code == 1207


def test_several_numbers_with_invalid_ones_is_1210_with_the_same_list(smscx_sandbox: Any) -> None:
    numbers = ["+33612345678", "12", "+33600", "+80012345678", "12"]
    found = normalize(numbers, None)
    assert found.error_code == 1210 and found.numbers == ["+33612345678"]
    assert [bad.number for bad in found.invalid] == ["12", "+33600", "+80012345678", "12"]
    with pytest.raises(ApiException) as info:
        _send(smscx_sandbox, numbers)
    assert info.value.error_code == 1210 and info.value.invalid == [bad.number for bad in found.invalid]
    assert found.to_dict()["errorCode"] == 1210 and found.to_dict()["invalid"][0] == {
        "number": "12", "reason": "not_a_number", "message": REASONS["not_a_number"]
    }


def test_a_missing_extra_names_what_to_install(mocker: Any) -> None:
    mocker.patch.dict(sys.modules, {"phonenumbers": None})
    with pytest.raises(ImportError) as info:
        normalize(["+33612345678"])
    assert str(info.value) == MISSING_EXTRA and '"phonenumbers>=8.13"' in MISSING_EXTRA and '".[phones]"' in MISSING_EXTRA


def test_not_a_str_is_refused() -> None:
    with pytest.raises(TypeError):
        normalize([33612345678])  # type: ignore[list-item]
