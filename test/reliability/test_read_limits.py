"""The response-size limit holds however the body arrives: sized, chunked, chunked with a Content-Length, compressed."""

from __future__ import annotations

import gzip
import json

import pytest
from wire import Reply

import smscx_client
from smscx_client import exceptions as exc
from smscx_client.api.account_api import AccountApi

BALANCE = {"balance": 12.5, "currency": "eur"}


def _client(sdk, wire, **settings):
    """A client of the ``sdk`` fixture's flavour (every test here runs with both)."""
    return sdk.client(smscx_client.Configuration(host=wire.url, api_key="k", **settings))


def _raw(status_line: bytes, headers: dict, body_parts: list):
    def action(handler):
        out = [status_line]
        out += ["{}: {}".format(k, v).encode() for k, v in headers.items()]
        handler.wfile.write(b"\r\n".join(out) + b"\r\n\r\n")
        for part in body_parts:
            handler.wfile.write(part)
        handler.wfile.flush()
        handler.close_connection = True

    return Reply(action=action)


def _chunked(data: bytes, size: int = 100) -> list:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)]
    return parts + [b"0\r\n\r\n"]


def test_sized_body_is_read_whole(sdk, wire):
    wire.reply(Reply(200, BALANCE))
    assert sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance().balance == 12.5


def test_chunked_body_under_the_limit(sdk, wire):
    body = json.dumps(BALANCE).encode()
    wire.reply(_raw(b"HTTP/1.1 200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                    _chunked(body, 7)))
    assert sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance().balance == 12.5


def test_chunked_body_over_the_limit_is_refused(sdk, wire):
    body = json.dumps(dict(BALANCE, pad="x" * 5000)).encode()
    wire.reply(_raw(b"HTTP/1.1 200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                    _chunked(body)))
    with pytest.raises(exc.ApiException, match="larger than"):
        sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance()


def test_chunked_with_a_lying_content_length_is_capped(sdk, wire):
    body = json.dumps(dict(BALANCE, pad="x" * 5000)).encode()
    wire.reply(_raw(b"HTTP/1.1 200 OK", {"Content-Type": "application/json", "Transfer-Encoding": "chunked",
                                         "Content-Length": "10"}, _chunked(body)))
    with pytest.raises(exc.ApiException) as info:
        sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000, max_retries=0)).get_account_balance()
    if sdk.name == "sync":  # urllib3 follows the chunks and stops at the limit
        assert "larger than" in str(info.value)
    else:  # aiohttp refuses the contradictory headers before reading any of the body
        assert isinstance(info.value, exc.ApiConnectionError) and "Content-Length" in str(info.value)


def test_gzip_body_is_decoded(sdk, wire):
    packed = gzip.compress(json.dumps(BALANCE).encode())
    wire.reply(Reply(200, packed, {"Content-Encoding": "gzip"}))
    assert sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance().balance == 12.5


def test_gzip_bomb_is_refused(sdk, wire):
    packed = gzip.compress(json.dumps(dict(BALANCE, pad="x" * 200000)).encode())
    assert len(packed) < 1000
    wire.reply(Reply(200, packed, {"Content-Encoding": "gzip"}))
    with pytest.raises(exc.ApiException, match="larger than"):
        sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=1000)).get_account_balance()


def test_no_limit_reads_everything(sdk, wire):
    wire.reply(Reply(200, dict(BALANCE, pad="x" * 5000)))
    assert sdk.api(AccountApi, _client(sdk, wire, max_response_bytes=0)).get_account_balance().balance == 12.5
