"""0.1.x client surface kept: raw requests, Configuration defaults and copies, refresh hook."""

from __future__ import annotations

import pytest
from wire import Reply

import smscx_client
from smscx_client.api.account_api import AccountApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest


def test_raw_request_returns_the_response_and_raises_for_errors(wire):
    client = smscx_client.ApiClient(smscx_client.Configuration(host=wire.url))
    wire.reply({"ok": True}, Reply(404, {"error": {"type": "not_found", "code": 1, "message": "m", "uri": ""}}))
    resp = client.request("GET", wire.url + "/anything", query_params=[("a", "1")], headers={"X-Test": "1"})
    assert resp.status == 200 and resp.data == b'{"ok": true}' and resp.getheader("Content-Type") == "application/json"
    assert wire.last.path == "/anything" and wire.last.query == [("a", "1")] and wire.last.headers["X-Test"] == "1"
    with pytest.raises(smscx_client.ResourceNotFoundException):
        client.request("GET", wire.url + "/missing")


def test_set_default_keeps_a_copy():
    config = smscx_client.Configuration(host="https://example.invalid")
    smscx_client.Configuration.set_default(config)
    try:
        config.host = "https://changed.invalid"
        assert smscx_client.Configuration.get_default_copy().host == "https://example.invalid"
    finally:
        smscx_client.Configuration.set_default(None)


def test_refresh_hook_runs_before_the_key_is_read_once_per_attempt(wire):
    calls = []

    def refresh(config):
        calls.append(1)
        config.api_key = "refreshed-key-{}".format(len(calls))

    config = smscx_client.Configuration(host=wire.url, api_key="old-key-000000")
    config.refresh_api_key_hook = refresh
    wire.reply({"balance": 1, "currency": "eur", "billing": "prepaid"})
    AccountApi(smscx_client.ApiClient(config)).get_account_balance()
    assert calls == [1]
    assert wire.last.headers["X-API-KEY"] == "refreshed-key-1"


def test_none_for_a_non_nullable_field_is_still_a_type_error():
    with pytest.raises(TypeError):
        SendSmsMessageRequest(["+33612345678"], "Brand", "Hi", country_iso=None)
