"""The transport seam: ``ApiClient(configuration, transport=...)`` and the ``HttpRequest`` it sends."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, List

import pytest
from secrets_scan import TEST_KEY
from wire import Reply

import smscx_client
from smscx_client import HttpRequest, RawResponse, Timeout
from smscx_client import exceptions as exc
from smscx_client._transport import Urllib3Transport
from smscx_client.api.account_api import AccountApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.transport import Headers, make_timeout

BALANCE = {"balance": 12.5, "currency": "eur", "billing": "prepaid"}


class Recording:
    """A transport that keeps every request and hands it to the default transport."""

    def __init__(self, config: smscx_client.Configuration) -> None:
        self.inner = Urllib3Transport(config)
        self.sent: List[HttpRequest] = []
        self.closed = 0

    def send(self, request: HttpRequest) -> Any:
        self.sent.append(request)
        return self.inner.send(request)

    def close(self) -> None:
        self.closed += 1
        self.inner.close()


def _config(wire: Any, **settings: Any) -> smscx_client.Configuration:
    settings.setdefault("api_key", TEST_KEY)
    return smscx_client.Configuration(host=wire.url, **settings)


def test_the_request_a_transport_gets(wire: Any) -> None:
    config = _config(wire, timeout=(3, 7))
    transport = Recording(config)
    with smscx_client.ApiClient(config, transport=transport) as client:
        assert client.transport is transport and client.rest_client is transport
        wire.reply({"info": {"campaignId": "c"}, "data": []})
        SmsApi(client).send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hi"))
    (req,) = transport.sent
    assert (req.method, req.url, req.stream) == ("POST", wire.url + "/sms", False)
    assert req.timeout == Timeout(3.0, 7.0) and req.timeout.deadline() == 10.0
    assert req.headers["X-API-KEY"] == TEST_KEY and req.headers["Content-Type"] == "application/json"
    assert req.body == wire.last.body  # the bytes on the wire are the request's
    assert transport.closed == 1


def test_each_attempt_is_a_new_request_with_fresh_credentials(wire: Any) -> None:
    config = _config(wire, max_retries=1, retry_backoff=0.01)
    keys = iter(["first-key-0000000000", "second-key-000000000"])
    config.refresh_api_key_hook = lambda c: setattr(c, "api_key", next(keys))
    transport = Recording(config)
    wire.reply(Reply(503, b""), BALANCE)
    assert AccountApi(smscx_client.ApiClient(config, transport=transport)).get_account_balance().balance == 12.5
    first, second = transport.sent
    assert first is not second and first.url == second.url
    assert [r.headers["X-API-KEY"] for r in transport.sent] == ["first-key-0000000000", "second-key-000000000"]
    assert [r.headers["X-API-KEY"] for r in wire.requests] == ["first-key-0000000000", "second-key-000000000"]


def test_a_hand_written_transport(wire: Any) -> None:
    class Canned:
        def __init__(self) -> None:
            self.answers = [
                RawResponse(429, "Too Many Requests", Headers([("retry-after", "0")]), b""),
                RawResponse(200, "OK", Headers([("Content-Type", "application/json")]), b'{"balance": 3.5}'),
                RawResponse(404, "Not Found", Headers([("X-Request-Id", "r-9")]), b'{"error": {"type": "not_found", "code": 1100}}'),
            ]

        def send(self, request: HttpRequest) -> RawResponse:  # no close(): none is needed
            return self.answers.pop(0)

    client = smscx_client.ApiClient(_config(wire), transport=Canned())
    assert AccountApi(client).get_account_balance().balance == 3.5  # the 429 was retried at once
    with pytest.raises(exc.ResourceNotFoundException) as info:
        AccountApi(client).get_account_balance()
    assert info.value.request_id == "r-9" and info.value.headers["x-request-id"] == "r-9"
    client.close()
    assert wire.requests == []


def test_transport_failures_are_retried_like_network_ones(wire: Any) -> None:
    class Flaky(Recording):
        def send(self, request: HttpRequest) -> Any:
            self.sent.append(request)
            if len(self.sent) == 1:
                raise exc.ApiConnectionError("refused", sent=False)
            return self.inner.send(request)

    config = _config(wire, max_retries=1, retry_backoff=0.01)
    transport = Flaky(config)
    wire.reply(BALANCE)
    assert AccountApi(smscx_client.ApiClient(config, transport=transport)).get_account_balance().balance == 12.5
    assert len(transport.sent) == 2 and len(wire.requests) == 1


def test_headers_are_case_insensitive_and_keep_their_names() -> None:
    h = Headers([("Content-Type", "text/csv"), ("X-Rate-Limit-Reset", "5")])
    assert h["content-type"] == h.get("CONTENT-TYPE") == "text/csv" and "x-rate-limit-reset" in h
    assert dict(h) == {"Content-Type": "text/csv", "X-Rate-Limit-Reset": "5"}
    h["content-type"] = "application/json"
    assert dict(h)["Content-Type"] == "application/json" and h.get("nope", "d") == "d"
    fresh = Headers([("Retry-After", "3")])  # set before any lookup: the name as sent stays
    fresh["retry-after"] = "4"
    fresh["X-New"] = "1"
    assert dict(fresh) == {"Retry-After": "4", "X-New": "1"} and fresh["x-new"] == "1"
    import copy
    import pickle

    for again in (copy.copy(fresh), copy.deepcopy(fresh), pickle.loads(pickle.dumps(fresh))):
        assert again["RETRY-AFTER"] == "4" and dict(again) == dict(fresh)


@pytest.mark.parametrize(
    "value,expected",
    [
        (None, Timeout(None, None)),
        (5, Timeout(None, None, 5.0)),
        ((1, 2), Timeout(1.0, 2.0)),
        ([1, None], Timeout(1.0, None)),
        (Timeout(1, 2), Timeout(1, 2)),
    ],
)
def test_timeouts_in_every_form(value: Any, expected: Timeout) -> None:
    assert make_timeout(value) == expected


def test_a_urllib3_timeout_is_still_accepted() -> None:
    import urllib3

    assert make_timeout(urllib3.Timeout(connect=1, read=4)) == Timeout(1.0, 4.0)
    assert make_timeout(urllib3.Timeout(total=9)).deadline() == 9.0
    assert make_timeout(urllib3.Timeout(connect=1)).deadline() is None  # read: the socket default


def test_importing_the_sdk_loads_no_urllib3_before_a_client_needs_it() -> None:
    code = (
        "import sys, smscx_client, smscx_client.api.sms_api\n"
        "before = 'urllib3' in sys.modules\n"
        "smscx_client.ApiClient()\n"
        "print(before, 'urllib3' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
