"""OAuth tokens obtained once across threads; credentials never go out over plain HTTP silently."""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest

import smscx_client
from smscx_client import InsecureTransportWarning
from smscx_client.api.account_api import AccountApi


def test_one_token_for_many_threads(smscx_sandbox):
    sb = smscx_sandbox
    client = sb.api_client(username=sb.app_id, password=sb.app_secret)
    api = AccountApi(client)
    barrier = threading.Barrier(8)

    def call(_):
        barrier.wait()
        return api.get_account_balance().balance

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(call, range(8))) == [100.0] * 8
    assert len(sb.state.tokens) == 1  # fetched once, shared by every thread


def test_explicit_token_wins_over_the_application(smscx_sandbox, wire):
    wire.reply({"balance": 1, "currency": "eur", "billing": "prepaid"})
    config = smscx_client.Configuration(host=wire.url, access_token="explicit-token-123456", username="app", password="secret")
    AccountApi(smscx_client.ApiClient(config)).get_account_balance()
    assert len(wire.requests) == 1  # no token request
    assert wire.last.headers["Authorization"] == "Bearer explicit-token-123456"


def test_credentials_over_plain_http_to_a_remote_host_warn():
    config = smscx_client.Configuration(host="http://api.sms.cx.invalid", api_key="k" * 20, max_retries=0, timeout=(2, 2))
    with pytest.warns(InsecureTransportWarning, match="plain HTTP"):
        with pytest.raises(smscx_client.ApiConnectionError):
            AccountApi(smscx_client.ApiClient(config)).get_account_balance()


def test_no_warning_for_loopback_or_https(wire):
    wire.reply({"balance": 1, "currency": "eur", "billing": "prepaid"})
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AccountApi(smscx_client.ApiClient(config)).get_account_balance()


def test_tls_verification_is_on_by_default():
    config = smscx_client.Configuration()
    assert config.verify_ssl is True
    assert config.host == "https://api.sms.cx"
    import ssl

    pool = smscx_client.ApiClient(config).transport.pool_manager
    assert pool.connection_pool_kw["cert_reqs"] == ssl.CERT_REQUIRED


def test_a_401_seen_by_two_threads_renews_for_both(wire):
    """Thread A renews the rejected token; thread B, rejected with the same old token, must not fail."""
    import time

    from wire import Reply

    counts = {"token": 0, "old": 0}
    lock = threading.Lock()

    def route(rec):
        if rec.path == "/oauth/token":
            with lock:
                counts["token"] += 1
                n = counts["token"]
            return Reply(200, {"access_token": "token-{}-xxxxxxxxxxxx".format(n), "expires_in": 3600, "token_type": "Bearer", "scope": "all"})
        if rec.headers.get("Authorization", "").startswith("Bearer token-1-"):
            with lock:
                counts["old"] += 1
            time.sleep(0.2)  # both threads get their 401 while the other renews
            return Reply(401, {"error": {"type": "invalid_api_key", "code": 1001, "message": "expired", "uri": ""}})
        return Reply(200, {"balance": 1, "currency": "eur", "billing": "prepaid"})

    wire.route = route
    client = smscx_client.ApiClient(smscx_client.Configuration(host=wire.url, username="app", password="secret-secret"))
    api = AccountApi(client)
    barrier = threading.Barrier(2)

    def call(_):
        barrier.wait()
        return api.get_account_balance().balance

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(call, range(2))) == [1, 1]
    assert counts["old"] == 2  # both used the first token and were refused
