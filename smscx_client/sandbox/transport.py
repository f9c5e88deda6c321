"""``SandboxTransport``: the SDK's requests answered by a sandbox in this process, without a socket.

``ApiClient(configuration, transport=SandboxTransport(app))`` sends every request to the same
``SandboxApp`` the sandbox's HTTP server runs, and returns what that server would have written:
status, headers (JSON and text with ``charset=utf-8``, ``Content-Length``) and body bytes.
``Sandbox(in_process=True)`` makes one for you (``sb.api_client()``, ``sb.transport``).

Faults injected with ``fail_next`` end as they do over a socket, except in timing: ``html-502``
is the same answer; ``drop`` and ``truncated`` raise the ``ApiConnectionError`` (``sent=True``)
that the default transport raises for a connection closed without (all of) an answer; ``stall``
raises its ``ApiTimeoutError`` (``sent=True``) at once, where over a socket it comes after the
read timeout. What only a socket shows (partial bytes reaching the client, a read timeout
actually elapsing, keep-alive connections being dropped) needs the socket sandbox.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlsplit

from smscx_client.exceptions import ApiConnectionError, ApiTimeoutError
from smscx_client.sandbox.app import Request, SandboxApp
from smscx_client.sandbox.server import MAX_BODY, bad_length, render
from smscx_client.transport import Headers, HttpRequest, RawResponse

__all__ = ["SandboxTransport", "AsyncSandboxTransport"]

_FAULTS = {
    "drop": "the sandbox closed the connection without answering (fault 'drop')",
    "truncated": "the sandbox closed the connection in the middle of the answer (fault 'truncated')",
}


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class SandboxTransport:
    """A ``smscx_client.Transport`` that hands each request to ``app`` in this process."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    def send(self, request: HttpRequest) -> RawResponse:
        """Answer ``request`` as the sandbox's HTTP server would; faults raise what a socket would."""
        parts = urlsplit(request.url)
        body = request.body or b""
        if len(body) > MAX_BODY:
            reply = bad_length()
        else:
            reply = self.app.handle(Request(request.method, parts.path or "/", parts.query, dict(request.headers), body))
        if reply.fault == "stall":
            raise ApiTimeoutError("Timed out waiting for the response: the sandbox stalled (fault 'stall')", sent=True)
        if reply.fault in _FAULTS:
            raise ApiConnectionError("Connection failed: " + _FAULTS[reply.fault], sent=True)
        headers, data = render(reply, request.method)
        return RawResponse(reply.status, _reason(reply.status), Headers(headers), data)

    def close(self) -> None:
        """Nothing to close: no connection was opened."""


class AsyncSandboxTransport:
    """The ``AsyncTransport`` of ``smscx_client.aio.AsyncApiClient`` for an in-process sandbox: each
    request is answered by ``SandboxTransport`` at once (the app never waits on I/O)."""

    def __init__(self, app: SandboxApp) -> None:
        self.sync = SandboxTransport(app)

    async def send(self, request: HttpRequest) -> RawResponse:
        """Answer ``request`` as the sandbox's HTTP server would; faults raise what a socket would."""
        return self.sync.send(request)

    async def aclose(self) -> None:
        """Nothing to close: no connection was opened."""
