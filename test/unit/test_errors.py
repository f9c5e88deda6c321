"""Failed responses become the 0.1.x exception classes, over a real loopback round trip.

The expected class comes from an independent rendering of the 0.1.x rules (the ordered ladder
in the reference catalog), not from the generated table the SDK uses.
"""

from __future__ import annotations

import json
import socket
from typing import Any, Optional

import pytest
import yaml
from wire import Reply

import smscx_client
from smscx_client import exceptions as exc
from smscx_client.api.account_api import AccountApi
from smscx_client.api.sms_api import SmsApi


def expected_class(status: int, etype: Optional[str], code: Any) -> type:
    """The 0.1.13 ladder (first match wins), written out by hand."""
    if status == 400:
        simple = {
            "insufficient_credit": exc.InsufficientBalanceException,
            "duplicate_id": exc.DuplicateIdException,
            "duplicate_value": exc.DuplicateValueException,
            "otp_verified": exc.OtpAlreadyVerifiedException,
            "otp_cancelled": exc.OtpCancelledException,
            "otp_expired": exc.OtpExpiredException,
            "otp_failed": exc.OtpFailedException,
            "invalid_pin": exc.InvalidPinException,
        }
        if etype in simple:
            return simple[etype]
        if etype == "invalid_param" and code in (1207, 1210):
            return exc.InvalidPhoneNumberException
        if etype == "invalid_scope":
            return exc.InvalidScopeException
        return exc.InvalidRequestException
    if status == 401:
        return exc.InvalidCredentialsException
    if status == 403:
        if etype == "insufficient_scope":
            return exc.InsufficientScopeException
        if etype == "no_coverage":
            return exc.NoCoverageException
        if etype == "access_denied":
            if code in (1132, 1133):
                return exc.TemplateNotApprovedException
            if code in (1606, 1608):
                return exc.ChannelNotActiveException
            if code == 2030:
                return exc.OtpCancelledException
            if code == 2031:
                return exc.OtpActionNotAllowedException
            return exc.AccessDeniedException
        return exc.InsufficientScopeException
    if status == 404:
        return exc.ResourceNotFoundException
    if status == 405:
        return exc.ApiMethodNotAllowedException
    if status == 429:
        return exc.RateLimitExcedeedException
    if 500 <= status <= 599:
        return exc.ServerErrorException
    return exc.ApiException


def _documented_rows() -> list:
    with open("spec/openapi.yaml") as fh:
        spec = yaml.safe_load(fh)
    rows = set()
    for item in spec["paths"].values():
        for op in item.values():
            for e in op.get("x-errors", []):
                rows.add((e["status"], e["type"], e["code"]))
    return sorted(rows)


PROBES = [
    (400, "insufficient_credit", 1113),
    (400, "duplicate_id", 1000),
    (400, "duplicate_value", 1000),
    (400, "otp_verified", 1000),
    (400, "otp_cancelled", 1000),
    (400, "otp_expired", 1000),
    (400, "otp_failed", 1000),
    (400, "invalid_pin", 1000),
    (400, "invalid_param", 1207),
    (400, "invalid_param", 1210),
    (400, "invalid_param", 1104),
    (400, "invalid_scope", 1000),
    (400, "invalid_request", 1000),
    (400, "unsupported_grant_type", 1000),
    (400, "no_coverage", 1000),
    (401, "invalid_api_key", 1000),
    (401, "invalid_client", 1000),
    (403, "insufficient_scope", 1000),
    (403, "no_coverage", 1119),
    (403, "access_denied", 1132),
    (403, "access_denied", 1133),
    (403, "access_denied", 1606),
    (403, "access_denied", 1608),
    (403, "access_denied", 2030),
    (403, "access_denied", 2031),
    (403, "access_denied", 1118),
    (403, "otp_cancelled", 1000),
    (403, "whatever", 1000),
    (404, "not_found", 1000),
    (405, "invalid_method", 1000),
    (429, "rate_limit", 1000),
    (500, "server_error", 1000),
    (503, "server_error", 1000),
    (402, "x", 1000),
    (409, "x", 1000),
    (422, "x", 1000),
]


@pytest.mark.parametrize("status,etype,code", PROBES + _documented_rows())
def test_error_maps_to_the_01x_class(wire, make_client, status, etype, code):
    body = {"error": {"type": etype, "code": code, "message": "m{}".format(code), "uri": "https://sms.cx/docs"}}
    wire.reply(Reply(status, body, {"X-Request-Id": "req-1"}))
    api = AccountApi(make_client())
    with pytest.raises(exc.ApiException) as info:
        api.get_account_balance()
    e = info.value
    assert type(e) is expected_class(status, etype, code)
    assert e.status == status
    assert e.error_type == etype
    assert e.error_code == code
    assert e.error_message == "m{}".format(code)
    assert e.request_id == "req-1"
    assert isinstance(e.body, str) and json.loads(e.body) == body
    assert e.headers["X-Request-Id"] == "req-1"
    assert "{} (code {})".format(etype, code) in str(e)


def test_every_http_exception_keeps_apiexception_as_direct_parent():
    for name in exc.__all__:
        cls = getattr(exc, name)
        if isinstance(cls, type) and issubclass(cls, exc.ApiException) and cls is not exc.ApiException:
            if cls in (exc.ApiTimeoutError,):
                assert cls.__bases__ == (exc.ApiConnectionError,)
            else:
                assert cls.__bases__ == (exc.ApiException,), name


@pytest.mark.parametrize(
    "status,body,content_type,expected",
    [
        (500, b"<html>oops</html>", "text/html", exc.ServerErrorException),
        (502, b"<html><body>Bad gateway</body></html>", "text/html", exc.ServerErrorException),
        (503, b"", "text/plain", exc.ServerErrorException),
        (404, b"not json", "text/plain", exc.ResourceNotFoundException),
        (400, b'{"message": "no error key"}', "application/json", exc.InvalidRequestException),
        (400, b'{"error": "str"}', "application/json", exc.InvalidRequestException),
        (403, b'{"error": ["list"]}', "application/json", exc.InsufficientScopeException),
        (400, b'{"error": {"type": 5, "code": "x"}}', "application/json", exc.InvalidRequestException),
        (401, b"{}", "application/json", exc.InvalidCredentialsException),
        (429, b'{"error": {"type": "rate_limit"', "application/json", exc.RateLimitExcedeedException),
    ],
)
def test_malformed_or_non_json_error_bodies_raise_the_status_class(wire, make_client, status, body, content_type, expected):
    wire.reply(Reply(status, body, {"Content-Type": content_type}))
    with pytest.raises(exc.ApiException) as info:
        AccountApi(make_client()).get_account_balance()
    assert type(info.value) is expected
    assert info.value.status == status
    assert info.value.body == body.decode()
    assert info.value.error_code is None or isinstance(info.value.error_code, int)


def test_invalid_numbers_are_exposed_from_either_place(wire, make_client):
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    api = SmsApi(make_client())
    req = SendSmsMessageRequest(["+1", "+2"], "Sender", "hi")
    wire.reply(Reply(400, {"error": {"type": "invalid_param", "code": 1210, "message": "m", "uri": ""}, "invalid": ["+1", "+2"]}))
    with pytest.raises(exc.InvalidPhoneNumberException) as info:
        api.send_sms(req)
    assert info.value.invalid == ["+1", "+2"]
    wire.reply(Reply(400, {"error": {"type": "invalid_param", "code": 1207, "message": "m", "uri": "", "invalid": ["+3"]}}))
    with pytest.raises(exc.InvalidPhoneNumberException) as info:
        api.send_sms(req)
    assert info.value.invalid == ["+3"]


def test_rate_limit_reset_is_an_aware_datetime(wire, make_client):
    wire.reply(Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "slow", "uri": ""}}, {"X-Rate-Limit-Reset": "1664103086"}))
    with pytest.raises(exc.RateLimitExcedeedException) as info:
        AccountApi(make_client(max_rate_limit_wait=0)).get_account_balance()
    reset = info.value.rate_limit_reset
    assert reset is not None and reset.tzinfo is not None
    assert int(reset.timestamp()) == 1664103086


def _free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_connection_refused_raises_api_connection_error():
    config = smscx_client.Configuration(host="http://127.0.0.1:{}".format(_free_port()), api_key="k", max_retries=0)
    with pytest.raises(exc.ApiConnectionError) as info:
        AccountApi(smscx_client.ApiClient(config)).get_account_balance()
    assert not isinstance(info.value, exc.ApiTimeoutError)
    assert info.value.sent is False
    assert isinstance(info.value, exc.ApiException) and info.value.status == 0
    assert isinstance(info.value.__cause__, Exception)


def test_read_timeout_raises_api_timeout_error(wire, make_client):
    import time

    def stall(handler):
        time.sleep(1.5)

    wire.reply(Reply(action=stall))
    started = time.monotonic()
    with pytest.raises(exc.ApiTimeoutError) as info:
        AccountApi(make_client(timeout=(2, 0.3))).get_account_balance()
    assert time.monotonic() - started < 1.4
    assert info.value.sent is True
    assert isinstance(info.value, exc.ApiConnectionError)


def test_client_side_errors_keep_their_01x_bases():
    assert issubclass(exc.ApiTypeError, TypeError) and issubclass(exc.ApiTypeError, exc.ApiExceptionBase)
    assert issubclass(exc.ApiValueError, ValueError)
    assert issubclass(exc.ApiAttributeError, AttributeError)
    assert issubclass(exc.ApiKeyError, KeyError)
    e = exc.ApiValueError("bad", path_to_item=["to", 0])
    assert str(e) == "bad at ['to'][0]"


def test_exceptions_survive_pickling(wire, make_client):
    import pickle

    from smscx_client.batch import BatchError, BatchResult

    wire.reply(Reply(400, {"error": {"type": "invalid_param", "code": 1104, "message": "`to` is empty", "uri": ""}}))
    with pytest.raises(exc.InvalidRequestException) as info:
        AccountApi(make_client()).get_account_balance()
    cases = [info.value, exc.ApiConnectionError("refused", sent=False), exc.ApiTimeoutError("slow"), BatchError(info.value, BatchResult("b"), 2)]
    for original in cases:
        copy = pickle.loads(pickle.dumps(original))
        assert type(copy) is type(original)
        assert str(copy) == str(original)
        assert (copy.status, copy.error_code, copy.attempts) == (original.status, original.error_code, original.attempts)
    assert pickle.loads(pickle.dumps(cases[1])).sent is False
    assert pickle.loads(pickle.dumps(cases[3])).chunk == 2


def test_rate_limit_exception_answers_to_its_correct_spelling(wire, make_client):
    assert exc.RateLimitExceededException is exc.RateLimitExcedeedException
    assert smscx_client.RateLimitExceededException is exc.RateLimitExcedeedException
    assert "RateLimitExceededException" in exc.__all__ and "RateLimitExceededException" in smscx_client.__all__
    wire.reply(Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "slow", "uri": ""}}))
    with pytest.raises(smscx_client.RateLimitExceededException) as info:
        AccountApi(make_client(max_rate_limit_wait=0)).get_account_balance()
    assert type(info.value) is exc.RateLimitExcedeedException and info.value.error_type == "rate_limit"


def test_the_error_table_names_exception_classes():
    from smscx_client import _error_catalog as cat

    tables = [cat.BY_STATUS_TYPE_CODE, cat.BY_STATUS_TYPE, cat.BY_STATUS]
    classes = {cls for table in tables for cls in table.values()}
    assert classes and all(getattr(exc, cls.__name__) is cls and issubclass(cls, exc.ApiException) for cls in classes)
