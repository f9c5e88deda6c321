"""A host given without a scheme means https: the API key never goes out in plain text."""

from __future__ import annotations

import socket
import threading
from typing import Iterator, List

import pytest

import smscx_client
from smscx_client.api.account_api import AccountApi

KEY = "host-scheme-key-4b1d9e"


class _RawListener:
    """A TLS-less TCP server on loopback that keeps every byte a client sends."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port: int = self.sock.getsockname()[1]
        self.received: List[bytes] = []
        self.recorded = threading.Event()  # set once a connection has ended and been recorded
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5.0)
                data = b""
                try:
                    while True:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        if not data:  # answer as a plain HTTP server does; a TLS client then gives up
                            conn.sendall(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                        data += chunk
                except OSError:
                    pass
                self.received.append(data)
                self.recorded.set()

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() of the serving thread
        self.sock.close()
        self._thread.join(5)


@pytest.fixture()
def listener() -> Iterator[_RawListener]:
    server = _RawListener()
    yield server
    server.close()


def _call(config: smscx_client.Configuration) -> None:
    with smscx_client.ApiClient(config) as client:
        with pytest.raises(smscx_client.ApiConnectionError):
            AccountApi(client).get_account_balance()


def _assert_no_key_seen(listener: _RawListener) -> None:
    assert listener.recorded.wait(10), "the client never connected"
    for data in listener.received:
        assert data[:1] == b"\x16", "not a TLS handshake: {!r}".format(data[:40])
        assert KEY.encode() not in data
        assert b"X-API-KEY" not in data.upper()


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "//127.0.0.1:{port}", "localhost:{port}"])
def test_host_without_scheme_sends_no_key_to_a_plain_server(listener: _RawListener, host: str) -> None:
    config = smscx_client.Configuration(host=host.format(port=listener.port), api_key=KEY, max_retries=0, timeout=5)
    _call(config)
    _assert_no_key_seen(listener)


def test_host_setter_without_scheme_means_https(listener: _RawListener) -> None:
    config = smscx_client.Configuration(api_key=KEY, max_retries=0, timeout=5)
    config.host = "127.0.0.1:{}".format(listener.port)
    _call(config)
    _assert_no_key_seen(listener)
    assert config.host == "https://127.0.0.1:{}".format(listener.port)


def test_server_list_without_scheme_means_https(listener: _RawListener) -> None:
    config = smscx_client.Configuration(api_key=KEY)
    servers = [{"url": "127.0.0.1:{port}", "variables": {"port": {"default_value": str(listener.port)}}}]
    assert config.get_host_from_settings(0, servers=servers) == "https://127.0.0.1:{}".format(listener.port)


def test_default_and_server_index_hosts() -> None:
    assert smscx_client.Configuration().host == "https://api.sms.cx"
    assert smscx_client.Configuration(host="api.sms.cx").host == "https://api.sms.cx"
    assert smscx_client.Configuration(server_index=0).host == "https://api.sms.cx"
    config = smscx_client.Configuration(host="HTTP://127.0.0.1:8787")
    assert config.host == "HTTP://127.0.0.1:8787"  # an explicit scheme is kept as given


@pytest.mark.parametrize("host", ["ftp://api.sms.cx", "ws://127.0.0.1:80"])
def test_other_schemes_are_refused(host: str) -> None:
    with pytest.raises(ValueError, match="must start with https://"):
        smscx_client.Configuration(host=host)
    config = smscx_client.Configuration()
    with pytest.raises(ValueError, match="must start with https://"):
        config.host = host


def test_explicit_http_to_loopback_still_reaches_the_sandbox(smscx_sandbox: "smscx_client.sandbox.Sandbox") -> None:
    assert smscx_sandbox.url.startswith("http://127.0.0.1:")
    config = smscx_client.Configuration(host=smscx_sandbox.url, api_key=smscx_sandbox.api_key)
    with smscx_client.ApiClient(config) as client:
        assert AccountApi(client).get_account_balance().balance is not None
