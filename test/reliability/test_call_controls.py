"""Per-call controls over loopback: ``with_options``, raw responses and request ids, hooks, and
the OpenTelemetry integration (spans read from the SDK's in-memory exporter)."""

from __future__ import annotations

from typing import Any, Iterator, List, Tuple

import pytest
from wire import Reply

import smscx_client
from smscx_client import (
    ApiResponse,
    ApiTimeoutError,
    ApiValueError,
    CallEvent,
    InvalidPhoneNumberException,
    ServerErrorException,
    get_request_id,
)
from smscx_client.api.account_api import AccountApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

BALANCE = {"balance": 12.5, "currency": "eur", "billing": "prepaid"}


def _sms(to: str = "+33612345678") -> SendSmsMessageRequest:
    return SendSmsMessageRequest(to=[to], _from="Brand", text="Hello")


# -- with_options ---------------------------------------------------------------------------


def test_with_options_changes_one_call_and_leaves_the_client_alone(wire: Any, make_client: Any) -> None:
    with make_client(max_retries=2, retry_backoff=0.0) as client:
        api = AccountApi(client)
        never_retry = api.with_options(max_retries=0, headers={"X-Trace": "abc"})
        assert type(never_retry) is AccountApi and never_retry.api_client is not client
        wire.reply(Reply(503, {"type": "server_error", "code": 5000, "message": "down", "uri": ""}))
        with pytest.raises(ServerErrorException) as caught:
            never_retry.get_account_balance()
        assert caught.value.attempts == 1 and wire.last.headers["X-Trace"] == "abc"
        # the original still retries and sends no extra header
        wire.reset()
        wire.reply(Reply(503, {"type": "server_error", "code": 5000, "message": "down", "uri": ""}), BALANCE)
        assert api.get_account_balance().balance == 12.5
        assert len(wire.requests) == 2 and "X-Trace" not in wire.last.headers


def test_with_options_timeout_applies_to_the_copy_only(wire: Any, make_client: Any) -> None:
    from wire import trickle

    with make_client(timeout=(5, 30)) as client:
        wire.reply(Reply(action=trickle(b'{"balance": 1, "currency": "eur", "billing": "prepaid"}', every=0.1)))
        with pytest.raises(ApiTimeoutError):
            AccountApi(client).with_options(timeout=0.3).get_account_balance()
        assert client.configuration.timeout == (5, 30)


def test_with_options_shares_the_connections_and_survives_closing_the_copy(wire: Any, make_client: Any) -> None:
    wire.reply(BALANCE, BALANCE)
    with make_client() as client:
        copy = client.with_options(max_retries=1)
        assert copy.transport is client.transport
        copy.close()  # a copy's close leaves the connections to the client it came from
        assert AccountApi(client).get_account_balance().balance == 12.5
        with copy:
            assert AccountApi(copy).get_account_balance().balance == 12.5


def test_auto_idempotency_can_be_turned_off_for_one_send(smscx_sandbox: Any) -> None:
    with smscx_sandbox.api_client() as client:
        api = SmsApi(client)
        with_id = api.with_raw_response.send_sms(_sms())
        without = api.with_options(auto_idempotency=False).with_raw_response.send_sms(_sms())
    assert with_id.idempotency_id and without.idempotency_id is None


@pytest.mark.parametrize(
    "options, message",
    [
        ({"timeout": "slow"}, "timeout"),
        ({"max_retries": -1}, r"max_retries=\.\.\.\) takes a whole number"),
        ({"max_rate_limit_wait": "1"}, "max_rate_limit_wait"),
        ({"auto_idempotency": 1}, "auto_idempotency"),
        ({"headers": {"X-API-KEY": "k"}}, "credentials come from the Configuration"),
    ],
)
def test_with_options_refuses_a_wrong_value_before_any_call(make_client: Any, options: Any, message: str) -> None:
    with make_client() as client:
        with pytest.raises(ApiValueError, match=message):
            AccountApi(client).with_options(**options)


# -- raw responses and request ids -----------------------------------------------------------


def test_raw_response_gives_status_headers_request_id_and_the_result(smscx_sandbox: Any) -> None:
    with smscx_sandbox.api_client() as client:
        raw = SmsApi(client).with_raw_response.send_sms(_sms())
    assert isinstance(raw, ApiResponse) and raw.status == 200
    assert raw.request_id and raw.request_id == raw.headers["x-request-id"]
    assert raw.idempotency_id == raw.headers["X-Idempotency-Id"]
    assert raw.parse() is raw.data and raw.data.info.total_valid == 1
    assert get_request_id(raw.data) == raw.request_id


@pytest.mark.smscx_sandbox(rate_limit=(50, 60))
def test_raw_response_reads_the_rate_limit_headers(smscx_sandbox: Any) -> None:
    with smscx_sandbox.api_client() as client:
        raw = AccountApi(client).with_raw_response.get_account_balance()
    assert raw.rate_limit_limit == 50 and raw.rate_limit_remaining == 49
    assert raw.rate_limit_reset is not None and raw.rate_limit_reset.tzinfo is not None


def test_every_decoded_result_knows_its_request_id(wire: Any, make_client: Any) -> None:
    wire.reply(Reply(200, BALANCE, {"X-Request-Id": "req-42"}))
    with make_client() as client:
        balance = AccountApi(client).get_account_balance()
    assert get_request_id(balance) == "req-42"
    assert "req-42" not in repr(balance) and balance.to_dict() == {"balance": 12.5, "currency": "eur", "billing": "prepaid"}
    assert get_request_id(smscx_client.model.account_balance.AccountBalance(balance=1, currency="eur", billing="prepaid")) is None


def test_the_0_1_tuple_is_kept(wire: Any, make_client: Any) -> None:
    wire.reply(Reply(200, BALANCE, {"X-Request-Id": "req-7"}))
    with make_client() as client:
        data, status, headers = AccountApi(client).get_account_balance(_return_http_data_only=False)
    assert status == 200 and headers["X-Request-Id"] == "req-7" and data.balance == 12.5


def test_raw_response_refuses_the_options_that_change_the_return_value(make_client: Any) -> None:
    with make_client() as client:
        with pytest.raises(smscx_client.ApiTypeError, match="does not take async_req"):
            AccountApi(client).with_raw_response.get_account_balance(async_req=True)


# -- hooks ----------------------------------------------------------------------------------


@pytest.fixture
def recorded() -> Iterator[List[CallEvent]]:
    yield []


def _record(client: Any, into: List[CallEvent]) -> None:
    for event in ("request", "response", "retry", "error"):
        client.add_hook(event, into.append)


def _steps(events: List[CallEvent]) -> List[Tuple[Any, ...]]:
    return [(e.event, e.attempt, e.status, e.final, e.reason) for e in events]


def test_hooks_see_every_attempt_and_retry_of_a_faulted_send(smscx_sandbox: Any, recorded: List[CallEvent]) -> None:
    smscx_sandbox.fail_next("POST", "/sms", status=503, type="server_error", code=5000)
    smscx_sandbox.fail_next("POST", "/sms", fault="drop")
    with smscx_sandbox.api_client(retry_backoff=0.0) as client:
        _record(client, recorded)
        SmsApi(client).send_sms(_sms())
    assert _steps(recorded) == [
        ("request", 1, None, False, None),
        ("response", 1, 503, False, None),
        ("retry", 1, None, False, "HTTP 503"),
        ("request", 2, None, False, None),
        ("retry", 2, None, False, "ApiConnectionError"),
        ("request", 3, None, False, None),
        ("response", 3, 200, True, None),
    ]
    ids = {e.idempotency_id for e in recorded}
    assert len(ids) == 1 and None not in ids  # the same send, retried under one id
    assert all(e.operation == "send_sms" and e.path == "/sms" for e in recorded)
    assert len({id(e.scratch) for e in recorded}) == 1  # one dict per call
    assert recorded[0].headers["X-API-KEY"] != smscx_sandbox.api_key  # masked


def test_hooks_see_the_error_a_call_ends_with(smscx_sandbox: Any, recorded: List[CallEvent]) -> None:
    with smscx_sandbox.api_client() as client:
        _record(client, recorded)
        with pytest.raises(InvalidPhoneNumberException) as caught:
            SmsApi(client).send_sms(_sms("+999"))
    assert _steps(recorded)[-2:] == [("response", 1, 400, True, None), ("error", 1, None, False, None)]
    assert recorded[-1].error is caught.value


def test_a_failing_hook_is_logged_and_the_call_goes_on(wire: Any, make_client: Any, caplog: Any) -> None:
    wire.reply(BALANCE)

    def broken(info: CallEvent) -> None:
        raise RuntimeError("metrics backend down")

    with make_client() as client:
        client.add_hook("request", broken)
        assert AccountApi(client).get_account_balance().balance == 12.5
    assert "metrics backend down" in caplog.text


def test_hooks_from_the_configuration_and_unknown_events(wire: Any, make_client: Any, recorded: List[CallEvent]) -> None:
    wire.reply(BALANCE)
    with make_client(hooks={"response": [recorded.append]}) as client:
        AccountApi(client).get_account_balance()
        with pytest.raises(ValueError, match="the events are: request, response, retry, error"):
            client.add_hook("before", recorded.append)
    assert _steps(recorded) == [("response", 1, 200, True, None)]


# -- OpenTelemetry --------------------------------------------------------------------------


@pytest.fixture
def spans() -> Iterator[Any]:
    pytest.importorskip("opentelemetry.sdk", reason="pip install opentelemetry-sdk (in test-requirements.txt)")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield provider, exporter
    provider.shutdown()


def test_otel_one_span_per_call_with_attempts_and_no_secret(smscx_sandbox: Any, spans: Any) -> None:
    from opentelemetry.trace import StatusCode

    from smscx_client.api.numbers_api import NumbersApi
    from smscx_client.otel import instrument

    provider, exporter = spans
    smscx_sandbox.fail_next("POST", "/sms", status=503, type="server_error", code=5000)
    with smscx_sandbox.api_client(retry_backoff=0.0) as client:
        instrument(client, tracer_provider=provider)
        SmsApi(client).send_sms(_sms())
        with pytest.raises(InvalidPhoneNumberException):
            SmsApi(client).send_sms(_sms("+999"))
        NumbersApi(client).validate_number("+33612345678")
    sent, refused, lookup = exporter.get_finished_spans()
    assert sent.name == "smscx send_sms" and sent.attributes["smscx.operation"] == "send_sms"
    assert sent.attributes["smscx.attempts"] == 2 and sent.attributes["http.response.status_code"] == 200
    assert [e.name for e in sent.events] == ["retry"] and sent.status.status_code == StatusCode.OK
    assert refused.status.status_code == StatusCode.ERROR
    assert refused.attributes["error.type"] == "InvalidPhoneNumberException"
    assert refused.attributes["smscx.error_code"] in (1207, 1210)
    assert "33612345678" not in lookup.attributes["url.path"] and lookup.attributes["url.path"].endswith("78")
    text = repr([(s.name, dict(s.attributes), [dict(e.attributes or {}) for e in s.events], s.status.description) for s in (sent, refused, lookup)])
    assert smscx_sandbox.api_key not in text and "+999" not in text and "33612345678" not in text
