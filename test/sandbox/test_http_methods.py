"""Every method on every path, over raw ``http.client``: the spec's methods are served, any other
method token gets the JSON 405 with an ``Allow`` header (RFC 9110), an unknown path the JSON 404,
and what the HTTP layer cannot read a JSON 4xx/5xx; the control plane behaves the same way."""

from __future__ import annotations

import http.client
import json
import re
import socket
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import pytest
import yaml
from support import raw_call

from smscx_client import exceptions as exc

SPEC = Path(__file__).resolve().parents[2] / "spec" / "openapi.yaml"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# methods a client may send; none is in the spec, or each is missing from some path
PROBES = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "QUERY",
          "get", "Post", "M-SEARCH", "X_CUSTOM", "BREW"]


def _spec_paths() -> Dict[str, Set[str]]:
    """Path template -> the methods the spec gives it."""
    paths = yaml.safe_load(SPEC.read_text())["paths"]
    return {p: {m.upper() for m in item if m in HTTP_METHODS} for p, item in paths.items()}


SPEC_PATHS = _spec_paths()


def _concrete(template: str) -> str:
    return re.sub(r"\{\w+\}", "p1", template)


def _served(path: str) -> List[str]:
    """What ``Allow`` must list for ``path``: the methods of the most literal spec templates that
    match it (a literal segment shadows a parameter, so ``/optouts/csv`` is only the export)."""
    best: Dict[int, Set[str]] = {}
    for template, methods in SPEC_PATHS.items():
        if re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)), path):
            literal = sum(1 for seg in template.strip("/").split("/") if not seg.startswith("{"))
            best.setdefault(literal, set()).update(methods)
    return sorted(best[max(best)]) if best else []


@pytest.fixture
def conn(smscx_sandbox: Any) -> Iterator[http.client.HTTPConnection]:
    """A raw keep-alive connection to the reset sandbox."""
    host, port = smscx_sandbox.url.split("//")[1].rsplit(":", 1)
    c = http.client.HTTPConnection(host, int(port), timeout=10)
    yield c
    c.close()


def _send(conn: http.client.HTTPConnection, method: str, path: str, body: Optional[bytes] = None,
          headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, str], bytes]:
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def _api_error(data: bytes) -> Dict[str, Any]:
    body = json.loads(data)
    assert set(body) == {"error"} and set(body["error"]) == {"type", "code", "message", "uri"}
    return dict(body["error"])


def test_every_method_a_path_does_not_serve_gets_405_with_allow(conn: http.client.HTTPConnection) -> None:
    checked = 0
    for template in SPEC_PATHS:
        path = _concrete(template)
        served = _served(path)
        for method in PROBES:
            if method in served:
                continue
            status, headers, data = _send(conn, method, path)
            assert status == 405, (method, path, data)
            assert headers["allow"] == ", ".join(served), (method, path)
            assert headers["content-type"] == "application/json; charset=utf-8"
            if method == "HEAD":
                assert data == b"" and int(headers["content-length"]) > 0
            else:
                error = _api_error(data)
                assert (error["type"], error["code"]) == ("invalid_method", 1004)
                assert error["message"] == "{} is not allowed on {}".format(method, path)
            checked += 1
    assert len(SPEC_PATHS) > 70 and checked > len(SPEC_PATHS) * (len(PROBES) - 3)


def test_the_methods_a_path_serves_are_not_refused(conn: http.client.HTTPConnection) -> None:
    # no credentials: a served method reaches authentication (401), never the 405
    for template in SPEC_PATHS:
        path = _concrete(template)
        for method in _served(path):
            status, headers, data = _send(conn, method, path)
            assert status == 401, (method, path, data)
            assert "allow" not in headers


def test_a_path_with_several_methods_lists_them_all(conn: http.client.HTTPConnection) -> None:
    assert _send(conn, "PUT", "/groups")[1]["allow"] == "GET, POST"
    assert _send(conn, "PUT", "/groups/7")[1]["allow"] == "DELETE, GET, POST"
    # /groups/{groupId}/csv and /groups/{groupId}/{phoneNumberId} both match: the literal one wins,
    # as schemathesis's allow_header_conformance expects (only the methods the spec gives the path)
    assert _send(conn, "POST", "/groups/7/csv")[1]["allow"] == "GET"
    assert _send(conn, "DELETE", "/optouts/csv")[1]["allow"] == "GET"
    assert _send(conn, "OPTIONS", "/sms")[1]["allow"] == "POST"


@pytest.mark.parametrize("method", ["GET", "POST", "TRACE", "HEAD", "OPTIONS", "PROPFIND", "get", "X-ANY"])
def test_an_unknown_path_is_404_for_any_method(conn: http.client.HTTPConnection, method: str) -> None:
    for path in ("/nope", "/sms/nope/deeper", "/", "/groups/1/2/3"):
        status, headers, data = _send(conn, method, path)
        assert status == 404 and "allow" not in headers, (method, path)
        if method != "HEAD":
            assert (_api_error(data)["type"], _api_error(data)["code"]) == ("not_found", 1003)


def test_a_refused_request_keeps_the_connection_in_step(conn: http.client.HTTPConnection, smscx_sandbox: Any) -> None:
    # the body of a refused method is read, so the next request on the connection is parsed whole
    status, headers, _ = _send(conn, "QUERY", "/sms", b'{"to": ["+33612345678"]}', {"Content-Type": "application/json"})
    assert status == 405 and headers["allow"] == "POST"
    status, _, _ = _send(conn, "HEAD", "/account/balance")
    assert status == 405
    status, _, data = _send(conn, "GET", "/account/balance", headers={"X-API-KEY": smscx_sandbox.api_key})
    assert status == 200 and json.loads(data)["balance"] == 100


def test_the_sdk_raises_method_not_allowed(smscx_sandbox: Any) -> None:
    client = smscx_sandbox.api_client(max_retries=0)
    with pytest.raises(exc.ApiMethodNotAllowedException) as err:
        raw_call(client, "PUT", "/sms", {"to": ["+33612345678"]})
    assert err.value.status == 405 and err.value.error_code == 1004
    assert err.value.headers["Allow"] == "POST"
    assert smscx_sandbox.messages == []


# -- requests the HTTP layer cannot read ---------------------------------------------------------
def _raw(smscx_sandbox: Any, data: bytes) -> Tuple[int, Dict[str, str], bytes]:
    """Send bytes as they are on a new connection; the status, headers and body of the answer."""
    host, port = smscx_sandbox.url.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        resp = http.client.HTTPResponse(sock)
        resp.begin()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"G@T /sms HTTP/1.1\r\nHost: x\r\n\r\n", 400),  # not a token (RFC 9110 section 9.1)
        (b"GET\x01 /sms HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /account/balance\r\n\r\n", 400),  # HTTP/0.9
        (b"GET /account/balance HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
        (b"GET /account/balance HTTP/x.y\r\nHost: x\r\n\r\n", 400),
        (b"GET /account/balance HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        (b"GET /account/balance HTTP/1.1\r\nNo colon here\r\n\r\n", 400),
        (b"GET /account/balance HTTP/1.1\r\nX-Folded: a\r\n  b\r\n\r\n", 400),  # obs-fold
        (b"GET /account/balance HTTP/1.1\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (b"GET /account/balance HTTP/1.1\r\n" + b"X-Many: 1\r\n" * 101 + b"\r\n", 431),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"POST /sms HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello", 400),
    ],
)
def test_what_http_cannot_read_gets_a_json_error(smscx_sandbox: Any, request_bytes: bytes, status: int) -> None:
    got, headers, data = _raw(smscx_sandbox, request_bytes)
    assert got == status, data
    assert headers["content-type"] == "application/json; charset=utf-8" and headers["connection"] == "close"
    error = _api_error(data)
    assert error["type"] in ("invalid_request", "invalid_body") and error["code"] in (1010, 1007)


def test_http_1_0_and_connection_close_are_honoured(smscx_sandbox: Any) -> None:
    status, headers, data = _raw(smscx_sandbox, b"TRACE /sms HTTP/1.0\r\n\r\n")
    assert status == 405 and headers["allow"] == "POST" and headers["connection"] == "close"
    status, headers, _ = _raw(smscx_sandbox, b"GET /nope HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status == 404 and headers["connection"] == "close"


# -- the control plane ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("GET", "/__sandbox/reset", "POST"),
        ("POST", "/__sandbox/messages", "GET"),
        ("DELETE", "/__sandbox/webhooks", "GET"),
        ("TRACE", "/__sandbox/clock", "GET"),
        ("GET", "/__sandbox/clock/advance", "POST"),
        ("HEAD", "/__sandbox/fail-next", "POST"),
        ("OPTIONS", "/__sandbox/account", "GET, POST"),
        ("get", "/__sandbox/account", "GET, POST"),
        ("GET", "/__sandbox/inbound-sms", "POST"),  # an action a backend registers
    ],
)
def test_the_control_plane_answers_405_with_allow(conn: http.client.HTTPConnection, method: str, path: str, allow: str) -> None:
    status, headers, data = _send(conn, method, path)
    assert status == 405 and headers["allow"] == allow
    if method != "HEAD":
        assert _api_error(data)["code"] == 1004


def test_an_unknown_control_endpoint_is_404(conn: http.client.HTTPConnection) -> None:
    for method in ("GET", "POST", "TRACE"):
        status, headers, data = _send(conn, method, "/__sandbox/nope")
        assert status == 404 and "allow" not in headers and _api_error(data)["code"] == 1003
    status, _, data = _send(conn, "GET", "/__sandbox/clock")
    assert status == 200 and "now" in json.loads(data)
