"""HTTP in and out of the sandbox app: a threaded server, transport faults, and the background
worker that moves the clock's events along and delivers webhooks."""

from __future__ import annotations

import json
import logging
import socket
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional, Tuple

from smscx_client.sandbox.app import Reply, Request, SandboxApp
from smscx_client.sandbox.state import SandboxState, Webhook

__all__ = ["SandboxServer"]

log = logging.getLogger("smscx_client.sandbox")

STALL_SECONDS = 30.0
MAX_BODY = 64 * 1024 * 1024
WEBHOOK_ATTEMPTS = 3
WEBHOOK_RETRY_SECONDS = 10.0


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def setup(self) -> None:
        super().setup()
        # headers and body leave in separate writes; without this, Nagle + delayed ACK add ~40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s " + format, self.address_string(), *args)

    def _serve(self) -> None:
        length_header = self.headers.get("Content-Length") or "0"
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._write(Reply(400, {"error": {"type": "invalid_body", "code": 1007, "message": "Bad Content-Length", "uri": ""}}))
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        req = Request(self.command, path, query, {k: v for k, v in self.headers.items()}, body)
        reply = self.server.app.handle(req)
        if reply.fault == "drop":
            self._abort()
        elif reply.fault == "stall":
            self.server.stopping.wait(STALL_SECONDS)
            self._abort()
        elif reply.fault == "truncated":
            data = reply.payload()
            self._write(reply, data[: max(1, len(data) // 2)], declared=len(data))
            self._abort()
        else:
            self._write(reply)

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = do_HEAD = do_OPTIONS = _serve

    def _write(self, reply: Reply, data: Optional[bytes] = None, declared: Optional[int] = None) -> None:
        data = reply.payload() if data is None else data
        self.send_response(reply.status)
        if reply.content_type:
            ctype = reply.content_type
            if ctype == "application/json" or ctype.startswith("text/"):
                ctype += "; charset=utf-8"
            self.send_header("Content-Type", ctype)
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data) if declared is None else declared))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        self.wfile.flush()

    def _abort(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self.stopping = threading.Event()
        super().__init__(address, _Handler)


class SandboxServer:
    """Runs the app on ``host:port`` (port 0 = a free port) plus the clock/webhook worker."""

    def __init__(self, state: SandboxState, host: str = "127.0.0.1", port: int = 0, tick_seconds: float = 0.1) -> None:
        self.state = state
        self.app = SandboxApp(state)
        self._server = _Server((host, port), self.app)
        bound_host, self.port = self._server.server_address[:2]
        # an AF_INET socket names its host as str (the stubs also allow bytes, for other families)
        self.host = bound_host if isinstance(bound_host, str) else bytes(bound_host).decode()
        self._tick = tick_seconds
        self._pump_lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="sandbox-http"),
            threading.Thread(target=self._work, daemon=True, name="sandbox-worker"),
        ]

    @property
    def url(self) -> str:
        """Base URL of the sandbox API."""
        return "http://{}:{}".format(self.host, self.port)

    def start(self) -> None:
        """Serve in background threads."""
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        for t in self._threads:
            t.join(timeout=5)

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the worker runs in the background)."""
        self._threads[1].start()
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self._server.stopping.set()
            self._server.server_close()

    # -- background work -------------------------------------------------------------------
    def _work(self) -> None:
        while not self._server.stopping.wait(self._tick):
            self.pump()

    def pump(self) -> None:
        """Run due clock events and deliver due webhooks (also called after ``advance``).

        Serialised: a caller (``advance``) waits for a delivery the worker already started, so
        when it returns every callback that was due has been attempted.
        """
        with self._pump_lock:
            self._pump()

    def _pump(self) -> None:
        try:
            self.state.tick()
            for hook in self.state.due_webhooks():
                self._deliver(hook)
        except Exception:  # the worker must survive anything a backend does
            log.exception("sandbox worker failure")

    def _deliver(self, hook: Webhook) -> None:
        with self.state.lock:
            if hook.outcome != "pending":
                return
            hook.attempts += 1
            hook.outcome = "sending"
        data = json.dumps(hook.body).encode("utf-8")
        req = urllib.request.Request(hook.url, data=data, method="POST", headers={"Content-Type": "application/json", "User-Agent": "smscx-sandbox"})
        status: Optional[int] = None
        error: Optional[str] = None
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:  # noqa: S310 - URLs come from the caller's own requests
                status = resp.status
        except urllib.error.HTTPError as exc:
            status, error = exc.code, "HTTP {}".format(exc.code)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = str(getattr(exc, "reason", exc))
        with self.state.lock:
            hook.status = status
            if status is not None and 200 <= status < 300:
                hook.outcome, hook.error = "delivered", None
            elif hook.attempts < WEBHOOK_ATTEMPTS:
                hook.outcome, hook.error = "pending", error
                hook.due_at = self.state.clock.now() + WEBHOOK_RETRY_SECONDS
            else:
                hook.outcome, hook.error = "failed", error
