"""Fault injection against a hostile loopback server: each fault ends in the documented exception
(or a success after retry) within a bounded time, after the expected number of attempts."""

from __future__ import annotations

import json
import os
import socket
import struct
import time

import pytest
from wire import Reply, WireServer

import smscx_client
from smscx_client import exceptions as exc
from smscx_client.api.account_api import AccountApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

BALANCE = {"balance": 12.5, "currency": "eur", "billing": "prepaid"}
SEND_OK = {
    "info": {
        "campaignId": "7f1c5b4e-2d3a-4c5b-8e9f-0a1b2c3d4e5f",
        "totalPhoneNumbers": 1,
        "totalValid": 1,
        "totalInvalid": 0,
        "totalCost": 0.045,
        "totalParts": 1,
        "dlrCallbackUrl": None,
        "scheduled": False,
    },
    "data": [],
}


@pytest.fixture(autouse=True)
def fast_backoff(mocker):
    """Retries wait their real computed delay, with the jitter pinned so timings are predictable."""
    mocker.patch("smscx_client._retry._jitter", return_value=1.0)


def _client(sdk, wire: WireServer, **settings):
    """A client of the ``sdk`` fixture's flavour (every test here runs with both)."""
    settings.setdefault("api_key", "hostile-test-key-000")
    settings.setdefault("retry_backoff", 0.01)
    return sdk.client(smscx_client.Configuration(host=wire.url, **settings))


def _reset(handler) -> None:
    """Abort the connection with a TCP RST, without answering."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def _truncated(handler) -> None:
    body = b'{"balance": 12.5, "currency": "eur", "billing": "pre'
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body) + 40))
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()
    _reset(handler)


def _stall(seconds):
    def action(handler):
        time.sleep(seconds)
        handler.close_connection = True

    return action


def _sms():
    return SendSmsMessageRequest(["+33612345678"], "Brand", "Hello")


def test_connection_refused_is_retried_then_raises(sdk):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    config = smscx_client.Configuration(host="http://127.0.0.1:{}".format(port), api_key="k" * 20, retry_backoff=0.01)
    started = time.monotonic()
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(GroupsApi, config).create_group(NewGroupRequest(name="never sent"))
    # a POST that never reached the server is safe to retry
    assert info.value.attempts == 3
    assert info.value.sent is False
    assert time.monotonic() - started < 2


def test_reset_before_response_retries_a_get(sdk, wire):
    wire.reply(Reply(action=_reset), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    assert len(wire.requests) == 2


def test_reset_after_a_non_idempotent_post_is_not_retried(sdk, wire):
    wire.reply(Reply(action=_reset))
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(GroupsApi, _client(sdk, wire)).create_group(NewGroupRequest(name="Customers"))
    assert info.value.attempts == 1
    assert len(wire.requests) == 1


def test_reset_after_a_send_is_retried_with_the_same_idempotency_id(sdk, wire):
    wire.reply(Reply(action=_reset), SEND_OK)
    result = sdk.api(SmsApi, _client(sdk, wire)).send_sms(_sms())
    assert result.info.total_cost == 0.045
    first, second = (r.json()["idempotencyId"] for r in wire.requests)
    assert first == second and len(first) == 36


def test_send_failure_exposes_the_idempotency_id_for_a_later_retry(sdk, wire):
    wire.reply(*[Reply(action=_reset)] * 3)
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(SmsApi, _client(sdk, wire)).send_sms(_sms())
    ids = {r.json()["idempotencyId"] for r in wire.requests}
    assert ids == {info.value.idempotency_id}
    assert info.value.attempts == 3
    assert info.value.idempotency_id in str(info.value)


def test_caller_idempotency_id_is_kept(sdk, wire):
    wire.reply(SEND_OK)
    req = SendSmsMessageRequest(["+33612345678"], "Brand", "Hello", idempotency_id="0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33")
    sdk.api(SmsApi, _client(sdk, wire)).send_sms(req)
    assert wire.last.json()["idempotencyId"] == "0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33"
    assert "idempotency_id" in req  # the caller's model is not changed by the SDK


def test_auto_idempotency_does_not_touch_the_callers_model(sdk, wire):
    wire.reply(SEND_OK, SEND_OK)
    api = sdk.api(SmsApi, _client(sdk, wire))
    req = _sms()
    api.send_sms(req)
    api.send_sms(req)
    assert "idempotency_id" not in req
    first, second = (r.json()["idempotencyId"] for r in wire.requests)
    assert first != second  # two deliberate sends stay two sends


def test_stall_past_the_read_timeout(sdk, wire):
    wire.reply(Reply(action=_stall(1.0)), Reply(action=_stall(1.0)))
    started = time.monotonic()
    with pytest.raises(exc.ApiTimeoutError) as info:
        sdk.api(AccountApi, _client(sdk, wire, timeout=(2, 0.2), max_retries=1)).get_account_balance()
    assert info.value.attempts == 2
    assert time.monotonic() - started < 1.5


def test_per_call_timeout_overrides_the_configuration(sdk, wire):
    wire.reply(Reply(action=_stall(1.0)))
    started = time.monotonic()
    with pytest.raises(exc.ApiTimeoutError):
        sdk.api(AccountApi, _client(sdk, wire, max_retries=0)).get_account_balance(_request_timeout=0.2)
    assert time.monotonic() - started < 0.9


def test_429_with_a_close_reset_waits_and_retries(sdk, wire):
    reset = int(time.time()) + 1
    wire.reply(
        Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "slow down", "uri": ""}}, {"X-Rate-Limit-Reset": str(reset)}),
        BALANCE,
    )
    started = time.monotonic()
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    assert 0 < time.monotonic() - started < 2.5
    assert len(wire.requests) == 2


def test_429_on_a_non_idempotent_post_is_retried_too(sdk, wire):
    wire.reply(Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "m", "uri": ""}}, {"X-Rate-Limit-Reset": "0"}), {"info": {}})
    sdk.api(GroupsApi, _client(sdk, wire)).create_group(NewGroupRequest(name="Customers"))
    assert len(wire.requests) == 2


def test_429_with_a_distant_reset_raises_at_once(sdk, wire):
    reset = int(time.time()) + 600
    wire.reply(Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "m", "uri": ""}}, {"X-Rate-Limit-Reset": str(reset)}))
    started = time.monotonic()
    with pytest.raises(exc.RateLimitExcedeedException) as info:
        sdk.api(AccountApi, _client(sdk, wire)).get_account_balance()
    assert time.monotonic() - started < 0.5
    assert int(info.value.rate_limit_reset.timestamp()) == reset
    assert info.value.attempts == 1


@pytest.mark.parametrize(
    "status,body,ctype",
    [(500, b"<html><body>Internal error</body></html>", "text/html"), (502, b"<html>Bad gateway</html>", "text/html"), (503, b"", "text/plain")],
)
def test_5xx_html_or_empty_retried_on_get_then_raised(sdk, wire, status, body, ctype):
    wire.reply(*[Reply(status, body, {"Content-Type": ctype})] * 3)
    with pytest.raises(exc.ServerErrorException) as info:
        sdk.api(AccountApi, _client(sdk, wire)).get_account_balance()
    assert info.value.status == status
    assert info.value.attempts == 3
    assert len(wire.requests) == 3


def test_5xx_then_success(sdk, wire):
    wire.reply(Reply(503, b"", {"Content-Type": "text/plain"}), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().currency == "eur"


def test_5xx_on_a_non_idempotent_post_is_not_retried(sdk, wire):
    wire.reply(Reply(502, b"<html>Bad gateway</html>", {"Content-Type": "text/html"}))
    with pytest.raises(exc.ServerErrorException) as info:
        sdk.api(GroupsApi, _client(sdk, wire)).create_group(NewGroupRequest(name="Customers"))
    assert info.value.attempts == 1


def test_truncated_json_is_a_connection_error_and_get_is_retried(sdk, wire):
    wire.reply(Reply(action=_truncated), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    wire.reply(*[Reply(action=_truncated)] * 3)
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(AccountApi, _client(sdk, wire)).get_account_balance()
    assert info.value.attempts == 3


def test_wrong_content_type_with_html_body(sdk, wire):
    wire.reply(Reply(200, b"<html>captive portal</html>", {"Content-Type": "text/html"}))
    with pytest.raises(exc.ApiException) as info:
        sdk.api(AccountApi, _client(sdk, wire)).get_account_balance()
    assert info.value.status == 200
    assert "not valid JSON" in str(info.value)


def test_redirect_to_another_host_is_not_followed(sdk, wire):
    with WireServer() as other:
        other_url = other.url.replace("127.0.0.1", "localhost")
        wire.reply(Reply(302, b"", {"Location": other_url + "/account/balance"}))
        with pytest.raises(exc.ApiException) as info:
            sdk.api(AccountApi, _client(sdk, wire)).get_account_balance()
        assert info.value.status == 302
        assert other.requests == []


def test_redirect_on_the_same_host_is_followed(sdk, wire):
    wire.reply(Reply(307, b"", {"Location": wire.url + "/account/balance2"}), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    assert wire.requests[1].path == "/account/balance2"
    assert wire.requests[1].headers["X-API-KEY"] == "hostile-test-key-000"


def test_xlsx_download_name_cannot_escape_the_folder(sdk, wire, tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    payload = b"PK\x03\x04" + os.urandom(2048)
    wire.reply(
        Reply(
            200,
            payload,
            {
                "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "Content-Disposition": 'attachment; filename="../../x.xlsx"',
            },
        )
    )
    client = _client(sdk, wire)
    client.configuration.temp_folder_path = str(folder)
    with sdk.api(GroupsApi, client).export_group_to_xlsx(7) as fh:
        assert fh.read() == payload
        path = os.path.realpath(fh.name)
    assert os.path.dirname(os.path.dirname(path)) == os.path.realpath(folder)  # a private folder in it
    assert os.path.basename(path) == "x.xlsx"
    assert not (tmp_path / "x.xlsx").exists() and not (folder / "x.xlsx").exists()


def test_oversized_response_is_refused(sdk, wire):
    wire.reply(Reply(200, b"[" + b"1," * 5000 + b"1]"))
    with pytest.raises(exc.ApiException, match="larger than"):
        sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """A TLS server (self-signed) that reads a request, then sends a corrupt TLS record."""
    import shutil
    import ssl
    import subprocess
    import threading

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "c.pem", folder / "k.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert), str(key))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    received = []

    def handle(raw):
        raw.settimeout(5)
        try:
            conn = ctx.wrap_socket(raw, server_side=True)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            received.append(data.split(b"\r\n")[0])
            socket.socket.send(conn, b"\x17\x03\x03\x00\x05garbage!!")  # a bogus record, outside TLS
            time.sleep(0.1)
            conn.close()
        except (OSError, ssl.SSLError):
            raw.close()  # e.g. the client refused the certificate

    def serve():
        while True:
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=handle, args=(raw,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield "https://127.0.0.1:{}".format(listener.getsockname()[1]), received
    listener.close()


# CPython < 3.11: an asyncio TLS transport that died of a TLS error is never marked closed, and
# warns when collected (the socket itself is closed); the newer sslproto fixed that
_DEAD_TLS_TRANSPORT = "ignore:Exception ignored in.*_SSLProtocolTransport:pytest.PytestUnraisableExceptionWarning"


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
@pytest.mark.filterwarnings(_DEAD_TLS_TRANSPORT)
def test_tls_failure_after_the_request_left_is_not_retried_for_a_post(sdk, tls_server):
    url, received = tls_server
    received.clear()
    config = smscx_client.Configuration(host=url, api_key="k" * 20, retry_backoff=0.01)
    config.verify_ssl = False
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(GroupsApi, config).create_group(NewGroupRequest(name="Customers"))
    assert info.value.sent is True and info.value.attempts == 1
    assert received == [b"POST /groups HTTP/1.1"]  # processed once, never twice


@pytest.mark.filterwarnings(_DEAD_TLS_TRANSPORT)
def test_a_refused_certificate_means_nothing_was_sent(sdk, tls_server):
    url, received = tls_server
    received.clear()
    config = smscx_client.Configuration(host=url, api_key="k" * 20, retry_backoff=0.01, max_retries=1)
    with pytest.raises(exc.ApiConnectionError) as info:
        sdk.api(GroupsApi, config).create_group(NewGroupRequest(name="Customers"))
    assert info.value.sent is False and info.value.attempts == 2  # safe to retry: it never left
    assert received == []


def test_an_undecodable_send_answer_still_carries_the_idempotency_id(sdk, wire):
    wire.reply(Reply(200, b"<html>proxy page</html>", {"Content-Type": "text/html"}))
    with pytest.raises(exc.ApiException) as info:
        sdk.api(SmsApi, _client(sdk, wire)).send_sms(_sms())
    assert info.value.idempotency_id == wire.last.json()["idempotencyId"]
    assert info.value.attempts == 1


def test_a_truncated_download_is_retried(sdk, wire, tmp_path):
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def cut(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", xlsx)
        handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b"PK\x03\x04" + b"x" * 100)
        handler.wfile.flush()
        _reset(handler)

    payload = b"PK\x03\x04" + b"y" * 5000
    wire.reply(Reply(action=cut), Reply(200, payload, {"Content-Type": xlsx}))
    client = _client(sdk, wire)
    client.configuration.temp_folder_path = str(tmp_path)
    with sdk.api(GroupsApi, client).export_group_to_xlsx(7) as fh:
        assert fh.read() == payload
    assert len(wire.requests) == 2
    assert len(list(tmp_path.iterdir())) == 1  # the broken first file was removed


def test_negative_retry_after_does_not_crash(sdk, wire):
    wire.reply(Reply(429, {"error": {"type": "rate_limit", "code": 1, "message": "m", "uri": ""}}, {"Retry-After": "-5"}), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5


@pytest.mark.parametrize("value", [[0.5, 2], (1, 2), 3])
def test_timeouts_in_every_0_1_form(sdk, wire, value):
    wire.reply(BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance(_request_timeout=value).balance == 12.5


@pytest.mark.parametrize("value", ["10", -1, (1, 2, 3), [None, "x"]])
def test_bad_timeouts_fail_before_sending(sdk, wire, value):
    with pytest.raises(exc.ApiValueError, match="_request_timeout"):
        sdk.api(AccountApi, _client(sdk, wire)).get_account_balance(_request_timeout=value)
    with pytest.raises(exc.ApiValueError, match="Configuration.timeout"):
        sdk.api(AccountApi, _client(sdk, wire, timeout=value)).get_account_balance()
    assert wire.requests == []


def _rate_limited(headers):
    return Reply(429, {"error": {"type": "rate_limit", "code": 1000, "message": "slow down", "uri": ""}}, headers)


def test_retry_after_zero_means_at_once(sdk, wire, mocker):
    sleep = sdk.patch_sleep(mocker)
    wire.reply(_rate_limited({"Retry-After": "0"}), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    assert len(wire.requests) == 2 and sleep.call_args_list == [mocker.call(0.0)]


@pytest.mark.parametrize("ahead,waits", [(5, True), (-30, False)])
def test_retry_after_as_an_http_date_is_honoured(sdk, wire, mocker, ahead, waits):
    from email.utils import formatdate

    sleep = sdk.patch_sleep(mocker)
    wire.reply(_rate_limited({"Retry-After": formatdate(time.time() + ahead, usegmt=True)}), BALANCE)
    assert sdk.api(AccountApi, _client(sdk, wire)).get_account_balance().balance == 12.5
    (waited,) = [c.args[0] for c in sleep.call_args_list]
    # the date has whole seconds: up to one second less than asked; a past date means no wait
    assert (ahead - 1.5 < waited <= ahead + 0.5) if waits else waited == 0.0


def test_retry_after_beyond_the_cap_raises_at_once(sdk, wire, mocker):
    from email.utils import formatdate

    sleep = sdk.patch_sleep(mocker)
    wire.reply(_rate_limited({"Retry-After": formatdate(time.time() + 600, usegmt=True)}))
    with pytest.raises(exc.RateLimitExcedeedException) as info:
        sdk.api(AccountApi, _client(sdk, wire, max_rate_limit_wait=30)).get_account_balance()
    assert info.value.attempts == 1 and not sleep.called
    wire.reply(_rate_limited({"Retry-After": "120"}))
    with pytest.raises(exc.RateLimitExcedeedException):
        sdk.api(AccountApi, _client(sdk, wire, max_rate_limit_wait=30)).get_account_balance()
    assert not sleep.called and len(wire.requests) == 2


@pytest.mark.parametrize("head", [False, True], ids=["body", "status-and-headers"])
def test_a_trickling_server_is_cut_at_the_attempts_deadline(sdk, wire, head):
    from wire import trickle

    # 600 bytes at one per 50 ms: 30 s to send, each byte well within the 0.5 s read timeout
    body = b'{"balance": 12.5, "currency": "eur", "billing": "prepaid", "pad": "' + b"x" * 520 + b'"}'
    wire.reply(Reply(action=trickle(body, every=0.05, head=head)))
    started = time.monotonic()
    with pytest.raises(exc.ApiTimeoutError) as info:
        sdk.api(AccountApi, _client(sdk, wire, timeout=(0.5, 0.5), max_retries=0)).get_account_balance()
    assert time.monotonic() - started < 10  # the deadline is 1 s; without it, 30 s
    assert info.value.sent is True


def test_a_total_timeout_is_the_deadline_too(sdk, wire):
    from wire import trickle

    wire.reply(Reply(action=trickle(b'{"balance": 1.5, "pad": "' + b"y" * 600 + b'"}', every=0.05)))
    started = time.monotonic()
    with pytest.raises(exc.ApiTimeoutError):
        sdk.api(AccountApi, _client(sdk, wire, max_retries=0)).get_account_balance(_request_timeout=1)
    assert time.monotonic() - started < 10


def test_a_slow_but_timely_answer_is_not_cut(sdk, wire):
    from wire import trickle

    wire.reply(Reply(action=trickle(json.dumps(BALANCE).encode(), every=0.005)))
    assert sdk.api(AccountApi, _client(sdk, wire, timeout=(2, 2), max_retries=0)).get_account_balance().balance == 12.5
