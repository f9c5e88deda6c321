"""A loopback HTTP server that records each request and answers from a script.

Used where a test needs a server to misbehave in a precise way, or to look at the exact bytes a
client sent; the sandbox covers the API's behaviour.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, Union
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str  # raw path, percent-encoding kept
    query: List[Tuple[str, str]]
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Reply:
    """What to answer: status, headers, body (bytes, str or JSON-able)."""

    status: int = 200
    body: Any = None
    headers: Dict[str, str] = field(default_factory=dict)
    action: Optional[Callable[[BaseHTTPRequestHandler], None]] = None  # takes over the socket

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def trickle(body: bytes, every: float = 0.05, head: bool = False) -> Callable[[BaseHTTPRequestHandler], None]:
    """An action that answers 200 with ``body`` one byte every ``every`` seconds (the status line
    and headers too when ``head``), until it is all sent or the client hangs up."""

    def action(handler: BaseHTTPRequestHandler) -> None:
        head_bytes = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n".format(len(body)).encode()
        if not head:
            handler.wfile.write(head_bytes)
            handler.wfile.flush()
        handler.close_connection = True
        for byte in (head_bytes if head else b"") + body:
            time.sleep(every)
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return

    return action


class _QuietServer(ThreadingHTTPServer):
    """Connections the tests break on purpose (resets, aborts) are not errors worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, OSError)):
            super().handle_error(request, client_address)


class WireServer:
    """``with WireServer() as srv: srv.reply(Reply(...)); ...; srv.requests``."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self._replies: List[Reply] = []
        self.default = Reply(200, {})
        # answers a request when nothing is queued (default: ``self.default``)
        self.route: Optional[Callable[[Recorded], Reply]] = None
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                rec = Recorded(
                    self.command,
                    parts.path,
                    parse_qsl(parts.query, keep_blank_values=True),
                    {k: v for k, v in self.headers.items()},
                    body,
                )
                with outer._lock:
                    outer.requests.append(rec)
                    outer._arrived.notify_all()
                    if outer._replies:
                        reply = outer._replies.pop(0)
                    else:
                        reply = outer.route(rec) if outer.route is not None else outer.default
                if reply.action is not None:
                    reply.action(self)
                    return
                data = reply.payload()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:{}".format(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def reply(self, *replies: Union[Reply, Any]) -> None:
        """Queue answers for the next requests (a plain value means 200 with that JSON)."""
        with self._lock:
            self._replies.extend(r if isinstance(r, Reply) else Reply(200, r) for r in replies)

    def reset(self) -> None:
        """Forget recorded requests, queued answers and the route (to reuse one server)."""
        with self._lock:
            self.requests.clear()
            self._replies.clear()
            self.route = None
            self.default = Reply(200, {})

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` requests arrived; False if ``timeout`` seconds pass first."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    @property
    def last(self) -> Recorded:
        return self.requests[-1]

    def __enter__(self) -> "WireServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
