"""The sandbox's request validator (``sandbox/_validate.py``) over its public functions: which
documented row each kind of failure gets. The route tests show the same through HTTP."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional, Tuple

import pytest
import urllib3

from smscx_client.sandbox import Sandbox
from smscx_client.sandbox._validate import Rejection, check_request, check_value, parse_row
from smscx_client.sandbox.backends import account

GROUP = {"groupId": "1"}


def _rejected(op: str, body: Any = None, path: Optional[Dict[str, str]] = None, query: Optional[Dict[str, str]] = None) -> Tuple[Any, ...]:
    found = check_request(op, path or {}, query or {}, body, body is not None)
    assert found is not None, "accepted"
    return found.code, found.type


@pytest.mark.parametrize("raw", ["true", "false", "True", "False"])
def test_query_booleans_in_json_and_python_spelling(raw: str) -> None:
    # the SDK, like 0.1.x, writes str(True) into the query
    assert check_request("get_group_details", GROUP, {"short_response": raw}, None, False) is None


@pytest.mark.parametrize("raw", ["1", "yes", "TRUE", ""])
def test_other_query_booleans_are_refused(raw: str) -> None:
    found = check_request("get_group_details", GROUP, {"short_response": raw}, None, False)
    assert found is not None and found.code == 1008 and "`short_response` must be a boolean" in found.detail


def test_a_body_that_is_no_object_for_a_oneof_of_objects() -> None:
    # was a TypeError (list + tuple) in the sandbox, hence a 500
    found = check_request("add_contacts_to_group", GROUP, {}, ["+33612345678"], True)
    assert found == Rejection(1007, None, "the request body must be a JSON object, not array")


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, 1203),  # the field itself is missing: its `required` row
        ({"phoneNumbers": []}, 1203),  # ... or empty
        ({"phoneNumbers": "+33612345678"}, 1208),
        ({"phoneNumbers": [None]}, 1208),  # a null item does not make the list missing
        ({"phoneNumbers": [{"firstName": "Ana"}]}, 1208),  # nor does a key missing inside an item
    ],
)
def test_required_rows_answer_for_the_field_itself_only(body: Any, code: int) -> None:
    assert _rejected("add_contacts_to_group", body, GROUP)[0] == code


@pytest.mark.parametrize("body", [{"phoneNumbers": ["+33612345678"], "allowInvalid": "yes"}, {"phoneNumbers": ["+33612345678"], "countryIso": 33}])
def test_oneof_failure_of_the_branch_that_accepts_most_fields(body: Any) -> None:
    # the strings branch accepts phoneNumbers and fails on the option, the contacts branch fails at
    # phoneNumbers[0]: the option's failure is the one reported (1008: no row names it)
    found = check_request("add_contacts_to_group", GROUP, {}, body, True)
    name = "allowInvalid" if "allowInvalid" in body else "countryIso"
    assert found is not None and found.code == 1008 and found.detail.startswith("`{}`".format(name))


@pytest.mark.parametrize(
    "form, row",
    [
        ({}, (1600, "invalid_request")),  # an empty form is a form without grant_type
        ({"scope": "sms"}, (1600, "invalid_request")),
        ({"grant_type": ""}, (1600, "invalid_request")),
        ({"grant_type": "password"}, (1600, "unsupported_grant_type")),
    ],
)
def test_code_and_type_rows(form: Dict[str, str], row: Tuple[int, str]) -> None:
    assert _rejected("get_access_token", form) == row
    assert check_request("get_access_token", {}, {}, {"grant_type": "client_credentials"}, True) is None


def test_an_empty_string_outside_the_enum_is_empty() -> None:
    assert _rejected("new_otp", {"phoneNumber": "+33612345678", "pinType": ""}) == (2013, None)
    assert _rejected("new_otp", {"phoneNumber": "+33612345678", "pinType": "emoji"}) == (2014, None)


def test_parse_row() -> None:
    assert parse_row(1104) == (1104, None)
    assert parse_row("1600 unsupported_grant_type") == (1600, "unsupported_grant_type")
    with pytest.raises(ValueError):
        parse_row("code 1600")


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://shop.example/a?b=c", True),
        ("http://127.0.0.1:8080/hook", True),
        ("http://localhost:8080/x", True),
        ("ftp://shop.example/x", False),  # only what the API can fetch or call
        ("https://nodot", False),
        ("https://", False),
        ("http://a b.example", False),
        ("shop.example", False),
        ("https://x.example/" + "a" * 2048, False),
    ],
)
def test_uri_is_an_http_url_with_a_host(url: str, ok: bool) -> None:
    assert (check_value({"type": "string", "format": "uri"}, url, "url") is None) is ok


# -- strict mode: answers checked against the documented response schema ---------------------------
def _balance_answer(sb: Sandbox) -> Tuple[int, Any]:
    resp = urllib3.PoolManager().request("GET", sb.url + "/account/balance", headers={"X-API-KEY": sb.api_key}, retries=False)
    return resp.status, json.loads(resp.data)


def test_strict_sandbox_refuses_its_own_answer_that_breaks_the_spec(mocker: Any, monkeypatch: Any) -> None:
    # a backend bug, faked: the balance as text
    mocker.patch.object(account, "get_account_balance", return_value={"balance": "lots", "currency": "eur", "billing": "prepaid"})
    monkeypatch.delenv("SMSCX_SANDBOX_STRICT", raising=False)
    with Sandbox(strict=True) as sb:
        status, body = _balance_answer(sb)
    assert status == 500 and body["error"]["type"] == "server_error"
    assert "get_account_balance breaks the spec: `balance` must be a number" in body["error"]["message"]
    with Sandbox() as sb:  # off by default: the answer goes out as the backend made it
        assert _balance_answer(sb) == (200, {"balance": "lots", "currency": "eur", "billing": "prepaid"})
    monkeypatch.setenv("SMSCX_SANDBOX_STRICT", "1")
    with Sandbox() as sb:  # ... unless the environment asks for it
        assert _balance_answer(sb)[0] == 500


@pytest.mark.parametrize("value, ok", [("2024", True), ("2024-06", True), ("2024\n", False), ("2024-06\n", False)])
def test_pattern_end_is_the_end_of_the_text(value: str, ok: bool) -> None:
    # JSON Schema's `$` (ECMA-262) is the end of the text; Python's also matches before a final newline
    schema = {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{1,2})?$"}
    assert (check_value(schema, value, "period") is None) is ok
    found = check_request("get_summary_reports", {"dimension": "source"}, {"period": value}, None, False)
    assert (found is None) is ok and (ok or found.code == 1820)
