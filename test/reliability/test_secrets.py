"""No API key, token or application secret in log lines, reprs or exception texts."""

from __future__ import annotations

import logging
import socket

import pytest
from secrets_scan import leaked_secrets
from wire import Reply

import smscx_client
from smscx_client.api.account_api import AccountApi
from smscx_client.api.oauth_api import OauthApi
from smscx_client.model.oauth_token_response import OauthTokenResponse

KEY = "secret-key-do-not-leak-4711"
TOKEN = "tok-do-not-leak-0123456789abcdef"
APP_SECRET = "app-secret-do-not-leak-99"
SECRETS = [KEY, TOKEN, APP_SECRET]


def _texts_without(secrets, *texts):
    return [s for s in secrets if any(s in t for t in texts)]


def test_reprs_mask_credentials():
    config = smscx_client.Configuration(api_key=KEY, access_token=TOKEN, username="app", password=APP_SECRET)
    client = smscx_client.ApiClient(config)
    texts = [repr(config), str(config), repr(client), str(client), config.to_debug_report()]
    assert _texts_without(SECRETS, *texts) == []
    token = OauthTokenResponse(access_token=TOKEN, expires_in=3600, scope="sms")
    assert TOKEN not in repr(token) and TOKEN not in token.to_str()
    assert token.access_token == TOKEN and token.to_dict()["access_token"] == TOKEN  # data stays usable


def test_debug_logs_and_exception_texts_never_hold_credentials(wire, caplog):
    caplog.set_level(logging.DEBUG, logger="smscx_client")
    config = smscx_client.Configuration(host=wire.url, api_key=KEY, access_token=TOKEN, max_retries=1, retry_backoff=0.01)
    api = AccountApi(smscx_client.ApiClient(config))
    wire.reply(
        {"balance": 1, "currency": "eur", "billing": "prepaid"},
        Reply(401, {"error": {"type": "invalid_api_key", "code": 1001, "message": "bad key", "uri": ""}}),
        Reply(503, b"<html>down</html>", {"Content-Type": "text/html"}),
        Reply(503, b"", {"Content-Type": "text/html"}),
    )
    api.get_account_balance()
    texts = []
    for _ in range(2):
        with pytest.raises(smscx_client.ApiException) as info:
            api.get_account_balance()
        texts += [str(info.value), repr(info.value)]
    assert wire.requests[0].headers["X-API-KEY"] == KEY  # the key was really sent
    logged = [r.getMessage() for r in caplog.records]
    assert any("GET /account/balance -> 200" in line for line in logged)
    assert any("retrying" in line for line in logged)
    assert _texts_without(SECRETS, *(texts + logged)) == []
    assert leaked_secrets(logged) == []


def test_connection_error_text_has_no_credentials(caplog):
    caplog.set_level(logging.DEBUG, logger="smscx_client")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    config = smscx_client.Configuration(host="http://127.0.0.1:{}".format(port), api_key=KEY, max_retries=0)
    with pytest.raises(smscx_client.ApiConnectionError) as info:
        AccountApi(smscx_client.ApiClient(config)).get_account_balance()
    import traceback

    tb = "".join(traceback.format_exception(type(info.value), info.value, info.value.__traceback__))
    assert _texts_without(SECRETS, str(info.value), repr(info.value), tb, *[r.getMessage() for r in caplog.records]) == []


def test_basic_auth_secret_not_logged(wire, caplog):
    caplog.set_level(logging.DEBUG, logger="smscx_client")
    wire.reply({"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer", "scope": "sms"})
    config = smscx_client.Configuration(host=wire.url, username="app-id", password=APP_SECRET)
    token = OauthApi(smscx_client.ApiClient(config)).get_access_token(scope="sms")
    assert token.access_token == TOKEN
    assert wire.last.headers["Authorization"].startswith("Basic ")
    assert _texts_without(SECRETS, repr(token), *[r.getMessage() for r in caplog.records]) == []


def test_phone_numbers_can_be_masked_in_logs(wire, caplog):
    from smscx_client.api.numbers_api import NumbersApi

    caplog.set_level(logging.DEBUG, logger="smscx_client")
    wire.reply(Reply(404, {"error": {"type": "not_found", "code": 1, "message": "m", "uri": ""}}))
    config = smscx_client.Configuration(host=wire.url, api_key=KEY, max_retries=0, mask_phone_numbers=True)
    with pytest.raises(smscx_client.ResourceNotFoundException):
        NumbersApi(smscx_client.ApiClient(config)).validate_number("+33612345678")
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "validate" in logged and "33612345678" not in logged


def test_debug_flag_prints_masked_lines_to_stderr_like_01x():
    import subprocess
    import sys

    code = (
        "from smscx_client.sandbox import Sandbox\n"
        "from smscx_client.api.account_api import AccountApi\n"
        "with Sandbox(api_key='debug-secret-key-0042') as sb:\n"
        "    AccountApi(sb.api_client(debug=True)).get_account_balance()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "GET /account/balance -> 200" in out.stderr
    assert "debug-secret-key-0042" not in out.stderr + out.stdout
