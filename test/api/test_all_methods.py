"""Every one of the 101 SDK methods over a real loopback round trip.

The calls, the request each must put on the wire and the canned answers come from
``spec_examples`` (built from the raw spec, independently of the SDK). Each method is called
with its required arguments and again with every optional argument; the tests check the
recorded request byte for byte where it matters (method, raw path, query, JSON body with the
API's names, headers, credentials) and the decoded answer (its class, and every field read
back as the JSON that was served). Then the per-call options, the checks made before sending,
and a handful of methods written out in full by hand.
"""

from __future__ import annotations

import base64
import importlib
import sys
import tracemalloc
from datetime import date, datetime
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from urllib.parse import parse_qsl

import pytest
import spec_examples as se
import urllib3
from wire import Recorded, Reply, WireServer

import smscx_client
from smscx_client.exceptions import ApiTypeError, ApiValueError

CALLS = list(se.calls())
MIN_CALLS = [c for c in CALLS if c.variant == "min"]


@pytest.fixture(scope="module")
def server() -> Iterator[WireServer]:
    with WireServer() as srv:
        yield srv


@pytest.fixture
def wire(server: WireServer) -> Iterator[WireServer]:
    """The conftest ``wire``, but one server for the module, emptied before each test."""
    server.reset()
    yield server


@pytest.fixture
def client_for(make_client: Any, tmp_path: Path) -> Iterator[Any]:
    """``client_for(call, **settings)``: a client with the credentials the call's method uses."""
    made: List[smscx_client.ApiClient] = []

    def factory(call: se.Call, **settings: Any) -> smscx_client.ApiClient:
        settings.setdefault("temp_folder_path", str(tmp_path))
        if call.op.auth == ["BasicAuth"]:
            settings.update(api_key=None, username=se.APP_ID, password=se.APP_SECRET)
        client = make_client(**settings)
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


def api_of(call: se.Call, client: smscx_client.ApiClient) -> Any:
    return getattr(importlib.import_module("smscx_client.apis"), call.api)(client)


def invoke(client: smscx_client.ApiClient, call: se.Call, given: Any = None, **options: Any) -> Any:
    """Call the method with the call's arguments (or the ``given`` ``(args, kwargs)``)."""
    args, kwargs = given or (call.args, call.kwargs)
    method = getattr(api_of(call, client), call.name)
    return method(*se.materialize(args), **se.materialize(kwargs), **options)


def serve(wire: WireServer, call: se.Call) -> None:
    wire.reply(Reply(call.status, call.reply, call.reply_headers))


def headers_of(rec: Recorded) -> Dict[str, str]:
    return {k.lower(): v for k, v in rec.headers.items()}


# -- checks --------------------------------------------------------------------------------------
def assert_request(rec: Recorded, call: se.Call, auto_idempotency: bool = True) -> None:
    assert rec.method == call.method
    assert rec.path == call.path  # raw: percent-encoding as sent
    assert sorted(rec.query) == sorted(call.query)
    h = headers_of(rec)
    assert h["accept"] == "application/json"
    assert h["user-agent"] == "smscx-client/{} python/{}.{} {}".format(smscx_client.__version__, *sys.version_info[:2], sys.platform)
    assert h.get("content-type") == call.content_type
    if call.op.auth == ["BasicAuth"]:
        secret = base64.b64encode("{}:{}".format(se.APP_ID, se.APP_SECRET).encode()).decode()
        assert h["authorization"] == "Basic " + secret
        assert "x-api-key" not in h
    else:
        assert h["x-api-key"] == se.TEST_KEY
        assert "authorization" not in h
    if call.form is not None:
        assert parse_qsl(rec.body.decode("ascii"), keep_blank_values=True) == call.form
    elif call.body is None:
        assert rec.body == b""
    else:
        sent = rec.json()
        expected = dict(call.body)
        if auto_idempotency and call.name in se.SEND_OPERATIONS and "idempotencyId" not in expected:
            assert se.new_uuid4(sent.pop("idempotencyId", None)), "an idempotencyId UUID4 is added"
        assert sent == expected


def assert_reads_back(obj: Any, model: str, wire: Dict[str, Any], where: str) -> None:
    """``obj`` is the model class and each field reads back, typed, as the JSON served."""
    assert type(obj) is se.model_class(model), where
    fields = se.spec().models[model].fields
    for f in fields:
        if f.wire in wire:
            assert_value(getattr(obj, f.name), f.type, wire[f.wire], "{}.{}".format(where, f.name))
    for key in set(wire) - {f.wire for f in fields}:
        assert obj[key] == wire[key], where + "[{!r}]".format(key)


def assert_value(value: Any, t: Any, raw: Any, where: str) -> None:
    if raw is None:
        assert value is None, where
    elif t.kind == "model":
        assert_reads_back(value, t.model, raw, where)
    elif t.kind == "list":
        assert isinstance(value, list) and len(value) == len(raw), where
        for i, (v, r) in enumerate(zip(value, raw)):
            assert_value(v, t.item, r, "{}[{}]".format(where, i))
    elif t.kind == "map":
        assert isinstance(value, dict) and set(value) == set(raw), where
        for k in raw:
            assert_value(value[k], t.item, raw[k], "{}[{!r}]".format(where, k))
    elif t.kind == "datetime":
        assert isinstance(value, datetime) and value == se.parse_when(raw), where
    elif t.kind == "date":
        assert isinstance(value, date) and value == date.fromisoformat(raw), where
    else:
        assert value == raw and type(value) is type(raw), where


def assert_result(result: Any, call: se.Call, folder: Path) -> None:
    kind = call.op.response_kind
    if kind == "csv":
        assert type(result) is str and result == se.CSV_TEXT
    elif kind == "list":
        assert type(result) is list and result == call.reply
    elif kind == "xlsx":
        try:
            assert not result.closed and result.read() == se.XLSX_BYTES
            path = Path(result.name).resolve()  # the server's name, in a folder of its own
            assert path.parent.parent == folder.resolve() and path.parent.name.startswith("smscx-")
        finally:
            result.close()
    else:
        assert call.op.response_model is not None
        assert type(result) is se.model_class(call.op.response_model)
        assert result.to_wire() == call.reply  # before any attribute read converts a value
        assert_reads_back(result, call.op.response_model, call.reply, call.op.response_model)


# -- every method, required arguments and all arguments ------------------------------------------
@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
def test_method_round_trip(wire, client_for, tmp_path, call):
    serve(wire, call)
    result = invoke(client_for(call), call)
    assert len(wire.requests) == 1
    assert_request(wire.last, call)
    assert_result(result, call, tmp_path)


def test_the_examples_cover_every_method_and_parameter():
    assert len(MIN_CALLS) == 101 and len({(c.api, c.name) for c in MIN_CALLS}) == 101
    for call in CALLS:
        if call.variant == "full":
            given = {p.name for p in call.op.positional[: len(call.args)]} | set(call.kwargs)
            assert given == {p.name for p in call.op.params}, call.id
    idempotent = {c.name for c in MIN_CALLS if c.op.idempotency_field == "idempotencyId"}
    assert idempotent == se.SEND_OPERATIONS


def test_auto_idempotency_off_sends_the_body_unchanged(wire, client_for):
    call = next(c for c in MIN_CALLS if c.name == "send_sms")
    serve(wire, call)
    invoke(client_for(call, auto_idempotency=False), call)
    assert_request(wire.last, call, auto_idempotency=False)
    assert "idempotencyId" not in wire.last.json()


NO_CONTENT = [c for c in MIN_CALLS if 204 in c.op.statuses]


def test_the_four_200_or_204_methods():
    assert {c.name for c in NO_CONTENT} == {
        "empty_group",
        "update_contact_from_group",
        "update_shortlink",
        "update_template",
    }


@pytest.mark.parametrize("call", NO_CONTENT, ids=lambda c: c.id)
def test_204_without_a_body_returns_none(wire, client_for, call):
    wire.reply(Reply(204, None))
    assert invoke(client_for(call), call) is None
    assert_request(wire.last, call)


# -- per-call options ----------------------------------------------------------------------------
@pytest.mark.parametrize("call", MIN_CALLS, ids=lambda c: c.id)
def test_return_http_data_only_false_gives_data_status_headers(wire, client_for, tmp_path, call):
    serve(wire, call)
    out = invoke(client_for(call), call, _return_http_data_only=False)
    assert isinstance(out, tuple) and len(out) == 3
    data, status, headers = out
    assert status == call.status
    assert headers["Content-Type"] == call.reply_headers.get("Content-Type", "application/json")
    assert_result(data, call, tmp_path)


@pytest.mark.parametrize("call", MIN_CALLS, ids=lambda c: c.id)
def test_async_req_returns_an_async_result(wire, client_for, tmp_path, call):
    serve(wire, call)
    pending = invoke(client_for(call), call, async_req=True)
    assert isinstance(pending, AsyncResult)
    assert_result(pending.get(timeout=10), call, tmp_path)
    assert_request(wire.last, call)


@pytest.mark.parametrize("call", MIN_CALLS, ids=lambda c: c.id)
def test_preload_content_false_returns_the_raw_urllib3_response(wire, client_for, call):
    serve(wire, call)
    raw = invoke(client_for(call), call, _preload_content=False)
    try:
        assert isinstance(raw, urllib3.HTTPResponse)
        assert raw.status == call.status
        assert raw.data == Reply(call.status, call.reply).payload()
    finally:
        raw.release_conn()
    assert_request(wire.last, call)


# -- rejected before sending ---------------------------------------------------------------------
def with_value(call: se.Call, name: str, value: Any) -> Tuple[List[Any], Dict[str, Any]]:
    """The call's (args, kwargs) with parameter ``name`` set to ``value``."""
    names = [p.name for p in call.op.positional[: len(call.args)]]
    args, kwargs = list(call.args), dict(call.kwargs)
    if name in names:
        args[names.index(name)] = value
    else:
        kwargs[name] = value
    return args, kwargs


@pytest.mark.parametrize("call", MIN_CALLS, ids=lambda c: c.id)
def test_unknown_keyword_raises_api_type_error(wire, client_for, call):
    with pytest.raises(ApiTypeError) as info:
        invoke(client_for(call), call, _no_such_option=1)
    assert "_no_such_option" in str(info.value)
    assert wire.requests == []


EMPTY = [
    pytest.param(c, p.name, value, id="{}-{}-{!r}".format(c.id, p.name, value))
    for c in MIN_CALLS
    for p in c.op.params
    if p.location == "path"
    for value in ((None, "") if p.type.kind == "str" else (None,))
]


def bad_values(schema: Dict[str, Any]) -> Iterator[Tuple[str, Any]]:
    """Values breaking each rule of a string/integer schema."""
    if schema.get("enum"):
        yield "enum", 99 if schema.get("type") == "integer" else "not-an-allowed-value"
    if "minLength" in schema:
        yield "minLength", "x" * (schema["minLength"] - 1)
    if "maxLength" in schema:
        yield "maxLength", "x" * (schema["maxLength"] + 1)
    if "pattern" in schema:
        yield "pattern", se.UUID.upper()  # right length, wrong characters


BAD_PARAMS = [
    pytest.param(c, p.name, value, id="{}-{}-{}".format(c.id, p.name, rule))
    for c in CALLS
    if c.variant == "full"
    for p in c.op.params
    if p.location in ("path", "query", "form")
    for rule, value in bad_values(se.param_schema(c.op, p))
]


@pytest.mark.parametrize("call,name,value", EMPTY + BAD_PARAMS)
def test_empty_or_bad_parameter_raises_api_value_error_before_sending(wire, client_for, call, name, value):
    with pytest.raises(ApiValueError) as info:
        invoke(client_for(call), call, with_value(call, name, value))
    assert "`{}`".format(name) in str(info.value)
    assert wire.requests == []


BAD_FIELDS = [
    pytest.param(c, f.name, value, id="{}-{}-{}".format(c.id, f.name, rule))
    for c in CALLS
    if c.variant == "min" and c.op.body_model and not c.op.body_args
    for f in se.spec().models[c.op.body_model].fields
    for rule, value in bad_values(se.schemas()[c.op.body_model]["properties"][f.wire])
]


@pytest.mark.parametrize("call,field,value", BAD_FIELDS)
def test_bad_body_field_raises_api_value_error_naming_it(wire, client_for, call, field, value):
    body_param = next(p for p in call.op.params if p.location == "body")
    placeholder = call.args[[p.name for p in call.op.positional].index(body_param.name)]
    body = dict(placeholder[2], **{field: value})  # a dict body is checked like a model
    with pytest.raises(ApiValueError) as info:
        invoke(client_for(call), call, with_value(call, body_param.name, body))
    assert "{}.{}`".format(call.op.body_model, field) in str(info.value)
    assert wire.requests == []


def test_the_rules_above_cover_enums_lengths_and_patterns():
    rules = {pid.split("-")[-1] for pid in (p.id for p in BAD_PARAMS + BAD_FIELDS)}
    assert rules == {"enum", "minLength", "maxLength", "pattern"}
    assert len(EMPTY) >= 60 and len(BAD_PARAMS) >= 60 and len(BAD_FIELDS) >= 20


# -- written out by hand -------------------------------------------------------------------------
OTP_ID = "0b8f4c6e-2d1a-4f57-9e3b-5a6c7d8e9f01"
RENT_ID = "5e4d3c2b-1a09-4f8e-8d7c-6b5a4e3d2c1b"


@pytest.fixture
def client(make_client, tmp_path):
    with make_client(temp_folder_path=str(tmp_path)) as c:
        yield c


def test_send_sms_by_hand(wire, client):
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.data_sms import DataSms
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
    from smscx_client.model.send_sms_message_response import SendSmsMessageResponse

    answer = {
        "info": {
            "campaignId": None,
            "totalPhoneNumbers": 1,
            "totalValid": 1,
            "totalInvalid": 0,
            "totalCost": 0.062,
            "totalParts": 1,
            "scheduled": False,
        },
        "data": [
            {
                "msgId": "91f9c9ee-4f59-4a70-a3c7-2a7f4f6b1c2d",
                "status": "ACCEPTED",
                "statusCode": 10,
                "errorCode": 0,
                "createdAt": "2023-06-23 14:26:10",
                "inQuietHours": False,
                "cost": 0.062,
                "to": "+33612345678",
                "countryIso": "FR",
                "from": "MyBrand",
                "text": "Your code is 1234",
                "parts": 1,
                "textAnalysis": {"encoding": "GSM_7BIT", "parts": 1, "characters": 17},
            }
        ],
    }
    wire.reply(Reply(200, answer))
    req = SendSmsMessageRequest(
        ["+33612345678"],
        "MyBrand",
        "Your code is 1234",
        country_iso="FR",
        scheduled_date=datetime(2023, 7, 1, 9, 30),
    )
    result = SmsApi(client).send_sms(req)

    rec = wire.last
    assert (rec.method, rec.path, rec.query) == ("POST", "/sms", [])
    assert rec.headers["Content-Type"] == "application/json"
    assert rec.headers["Accept"] == "application/json"
    assert rec.headers["X-API-KEY"] == "test-key-0123456789abcdef"
    body = rec.json()
    idempotency_id = body.pop("idempotencyId")
    assert se.new_uuid4(idempotency_id)
    assert body == {
        "to": ["+33612345678"],
        "from": "MyBrand",
        "text": "Your code is 1234",
        "countryIso": "FR",
        "scheduledDate": "2023-07-01T09:30:00",
    }
    assert type(result) is SendSmsMessageResponse
    assert result.info.total_cost == 0.062 and result.info.campaign_id is None
    assert type(result.data[0]) is DataSms
    assert result.data[0]._from == "MyBrand" and result.data[0]["from"] == "MyBrand"
    assert result.data[0].created_at == datetime(2023, 6, 23, 14, 26, 10)
    assert result.data[0].text_analysis.encoding == "GSM_7BIT"
    assert result.to_dict()["data"][0]["msg_id"] == "91f9c9ee-4f59-4a70-a3c7-2a7f4f6b1c2d"


def test_send_sms_keeps_a_caller_idempotency_id_and_a_string_date(wire, client):
    from smscx_client.api.sms_api import SmsApi

    wire.reply(Reply(200, {"info": {}, "data": []}))
    SmsApi(client).send_sms(
        {
            "to": ["+33612345678"],
            "from": "MyBrand",
            "text": "hi",
            "scheduledDate": "2023-07-01 09:30:00",
            "idempotencyId": OTP_ID,
        }
    )
    assert wire.last.json() == {
        "to": ["+33612345678"],
        "from": "MyBrand",
        "text": "hi",
        "scheduledDate": "2023-07-01 09:30:00",
        "idempotencyId": OTP_ID,
    }


def test_verify_otp_by_hand(wire, client):
    from smscx_client.api.otp_api import OtpApi
    from smscx_client.model.verify_pin_response import VerifyPinResponse

    wire.reply(Reply(200, {"status": "VERIFIED"}))
    result = OtpApi(client).verify_otp(OTP_ID, "123456")
    rec = wire.last
    assert (rec.method, rec.path) == ("POST", "/otp/" + OTP_ID)
    assert rec.headers["Content-Type"] == "application/json"
    assert rec.body == b'{"pin": "123456"}'
    assert type(result) is VerifyPinResponse and result.status == "VERIFIED"


def test_get_access_token_by_hand(wire, make_client):
    from smscx_client.api.oauth_api import OauthApi
    from smscx_client.model.oauth_token_response import OauthTokenResponse

    wire.reply(
        Reply(
            200, {"access_token": "tok-abc", "expires_in": 3600, "token_type": "Bearer", "scope": "sms otp"}
        )
    )
    with make_client(api_key=None, username="my-app", password="s3cret") as client:
        result = OauthApi(client).get_access_token(scope="sms otp")
    rec = wire.last
    assert (rec.method, rec.path, rec.query) == ("POST", "/oauth/token", [])
    assert rec.headers["Authorization"] == "Basic bXktYXBwOnMzY3JldA=="  # base64("my-app:s3cret")
    assert "X-API-KEY" not in rec.headers
    assert rec.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert rec.body == b"grant_type=client_credentials&scope=sms+otp"
    assert type(result) is OauthTokenResponse
    assert (result.access_token, result.expires_in, result.token_type) == ("tok-abc", 3600, "Bearer")


def test_add_contacts_to_group_and_with_fields_share_one_route(wire, client):
    from smscx_client.api.groups_api import GroupsApi
    from smscx_client.model.add_contacts_to_group_request import AddContactsToGroupRequest
    from smscx_client.model.add_contacts_to_group_with_fields_request import (
        AddContactsToGroupWithFieldsRequest,
    )
    from smscx_client.model.group_add import GroupAdd

    answer = {
        "info": {
            "totalCost": 0,
            "totalValid": 1,
            "totalInvalid": 0,
            "totalDuplicates": 0,
            "totalPhoneNumbers": 1,
        }
    }
    wire.reply(Reply(200, answer), Reply(200, answer))
    api = GroupsApi(client)
    api.add_contacts_to_group(123, AddContactsToGroupRequest(["+33612345678"], country_iso="FR"))
    api.add_contacts_to_group_with_fields(
        123, AddContactsToGroupWithFieldsRequest([GroupAdd("+33612345678", first_name="Ana", field1="x")])
    )
    plain, fields = wire.requests
    assert (plain.method, plain.path) == (fields.method, fields.path) == ("POST", "/groups/123")
    assert plain.json() == {"phoneNumbers": ["+33612345678"], "countryIso": "FR"}
    assert fields.json() == {
        "phoneNumbers": [{"phoneNumber": "+33612345678", "firstName": "Ana", "field1": "x"}]
    }


@pytest.mark.parametrize(
    "kwargs,query",
    [
        ({"period": "2023-06"}, [("period", "2023-06")]),
        (
            {"start_date": "2023-06-01", "end_date": "2023-06-30"},
            [("start_date", "2023-06-01"), ("end_date", "2023-06-30")],
        ),
        (
            {"period": "2023", "channel": "sms", "limit": 10},
            [("period", "2023"), ("channel", "sms"), ("limit", "10")],
        ),
    ],
)
def test_get_advanced_report_period_or_start_and_end(wire, client, kwargs, query):
    from smscx_client.api.reports_api import ReportsApi
    from smscx_client.model.reports_advanced_response import ReportsAdvancedResponse

    wire.reply(Reply(200, {"info": {}, "data": [], "paging": {}}))
    result = ReportsApi(client).get_advanced_report(**kwargs)
    assert (wire.last.method, wire.last.path, wire.last.query) == ("GET", "/reports", query)
    assert type(result) is ReportsAdvancedResponse


@pytest.mark.parametrize(
    "kwargs", [{}, {"start_date": "2023-06-01"}, {"end_date": "2023-06-30"}, {"channel": "sms"}]
)
def test_get_advanced_report_without_period_or_both_dates_sends_nothing(wire, client, kwargs):
    from smscx_client.api.reports_api import ReportsApi

    with pytest.raises(ApiValueError) as info:
        ReportsApi(client).get_advanced_report(**kwargs)
    assert "period" in str(info.value) and "start_date" in str(info.value)
    assert wire.requests == []


def test_edit_rent_settings_by_hand(wire, client):
    from smscx_client.api.numbers_api import NumbersApi
    from smscx_client.model.edit_rent_request import EditRentRequest
    from smscx_client.model.edit_rent_response import EditRentResponse
    from smscx_client.model.info_edit_rent import InfoEditRent

    wire.reply(Reply(200, {"info": {"rentId": RENT_ID, "datetime": "2023-06-23 14:26:10"}}))
    result = NumbersApi(client).edit_rent_settings(
        RENT_ID, EditRentRequest(auto_renew=False, callback_url="https://example.com/in")
    )
    rec = wire.last
    assert (rec.method, rec.path) == ("PATCH", "/numbers/rent/{}/edit".format(RENT_ID))
    assert rec.json() == {"autoRenew": False, "callbackUrl": "https://example.com/in"}
    assert type(result) is EditRentResponse and type(result.info) is InfoEditRent
    assert result.info.rent_id == RENT_ID
    assert result.info.datetime == datetime(2023, 6, 23, 14, 26, 10)


@pytest.mark.parametrize("method", ["lookup_number", "validate_number"])
def test_phone_number_in_path_is_percent_encoded(wire, client, method):
    from smscx_client.api.numbers_api import NumbersApi

    wire.reply(Reply(200, {}))
    getattr(NumbersApi(client), method)("+33612345678")
    prefix = "/numbers/lookup/" if method == "lookup_number" else "/numbers/validate/"
    assert wire.last.path == prefix + "%2B33612345678"


def test_xlsx_export_stays_in_the_temp_folder_by_hand(wire, client, tmp_path):
    from smscx_client.api.optouts_api import OptoutsApi

    wire.reply(
        Reply(
            200,
            b"PK\x03\x04data",
            {"Content-Type": se.XLSX_TYPE, "Content-Disposition": 'attachment; filename="../../x.xlsx"'},
        )
    )
    with OptoutsApi(client).export_optouts_to_xlsx() as f:
        assert f.read() == b"PK\x03\x04data"
        path = Path(f.name).resolve()
        assert path.name == "x.xlsx" and path.parent.parent == tmp_path.resolve()
    assert not (tmp_path.parent / "x.xlsx").exists() and not (tmp_path.parent.parent / "x.xlsx").exists()


def test_a_small_answer_costs_little_memory(wire, client):
    from smscx_client.api.account_api import AccountApi

    wire.reply(Reply(200, {"balance": 1.5, "currency": "eur", "billing": "prepaid"}))
    api = AccountApi(client)
    tracemalloc.start()
    try:
        assert api.get_account_balance().balance == 1.5
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024
