"""HTTP in and out of the sandbox app: a threaded server, transport faults, and the background
worker that moves the clock's events along and delivers webhooks."""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
import urllib.error
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Set, Tuple

from smscx_client.sandbox import errors
from smscx_client.sandbox.app import Reply, Request, SandboxApp
from smscx_client.sandbox.state import SandboxState, Webhook

__all__ = ["SandboxServer", "IN_PROCESS_URL", "render", "bad_length"]

log = logging.getLogger("smscx_client.sandbox")

STALL_SECONDS = 30.0
MAX_BODY = 64 * 1024 * 1024
WEBHOOK_ATTEMPTS = 3
WEBHOOK_RETRY_SECONDS = 10.0  # of sandbox time, between attempts
# Real seconds one attempt may take: ``advance`` waits for the callbacks it made due, so a URL
# that never answers holds it this long per attempt.
WEBHOOK_TIMEOUT_SECONDS = 2.0
# what ``url`` says when the sandbox answers in process only: loopback (RFC 6761), and port 0, so a
# client that tries it over a socket fails at once instead of reaching some other local server
IN_PROCESS_URL = "http://in-process.localhost:0"


def render(reply: Reply, method: str) -> Tuple[List[Tuple[str, str]], bytes]:
    """The headers and body bytes the server writes for ``reply`` (no body for HEAD)."""
    data = reply.payload()
    headers: List[Tuple[str, str]] = []
    if reply.content_type:
        ctype = reply.content_type
        if ctype == "application/json" or ctype.startswith("text/"):
            ctype += "; charset=utf-8"
        headers.append(("Content-Type", ctype))
    headers.extend(reply.headers.items())
    headers.append(("Content-Length", str(len(data))))
    return headers, b"" if method == "HEAD" else data


def bad_length() -> Reply:
    """The answer to a request whose body is too large or whose length is unreadable."""
    return Reply(400, {"error": {"type": "invalid_body", "code": 1007, "message": "Bad Content-Length", "uri": ""}})
# RFC 9110 section 5.6.2: what a method may be made of
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(r"HTTP/(\d{1,10})\.(\d{1,10})")
# http.server's limits: the longest request or header line, and the most header fields
MAX_LINE = 65536
MAX_FIELDS = 100


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"
    raw_requestline: bytes  # read by http.server before parse_request (absent from the stubs)

    def setup(self) -> None:
        super().setup()
        # an answer leaves in one write, but Nagle would still hold one back while the previous
        # answer on the connection waits for its (delayed) ACK: up to 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s " + format, self.address_string(), *args)

    def parse_request(self) -> bool:
        """The request line and header fields, checked as http.server does, without the email
        package (whose parser took longer than routing and authentication together). False,
        with the error answered, for what cannot be read."""
        self.command = ""
        self.request_version = "HTTP/0.9"
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        self.fields: Dict[str, str] = {}
        words = self.requestline.split()
        if not words:
            return False
        version = _VERSION.fullmatch(words[-1])
        if len(words) != 3 or version is None:  # HTTP/0.9 (two words) included: nobody speaks it
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request line ({!r})".format(self.requestline))
            return False
        number = (int(version[1]), int(version[2]))
        if number >= (2, 0):
            self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, "Invalid HTTP version ({})".format(words[-1]))
            return False
        self.command, self.path, self.request_version = words
        lowered: Dict[str, str] = {}  # lower-case name -> the name as first sent
        for _ in range(MAX_FIELDS):
            raw = self.rfile.readline(MAX_LINE + 1)
            if len(raw) > MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                return False
            if raw in (b"\r\n", b"\n", b""):
                break
            name, colon, value = str(raw, "iso-8859-1").partition(":")
            # no name, or space before the colon or at the start (obs-fold): RFC 9112 says 400
            if not colon or not _TOKEN.fullmatch(name):
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad header line")
                return False
            value = value.strip(" \t\r\n")
            first = lowered.setdefault(name.lower(), name)
            # a repeated field is one list (RFC 9110 section 5.3); two lengths then fail to parse
            self.fields[first] = self.fields[first] + ", " + value if first in self.fields else value
        else:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            return False
        connection = self.fields.get(lowered.get("connection", ""), "").lower()
        self.close_connection = connection == "close" or (number < (1, 1) and connection != "keep-alive")
        if self.path.startswith("//"):  # as http.server does (gh-87389)
            self.path = "/" + self.path.lstrip("/")
        expect = self.fields.get(lowered.get("expect", ""), "")
        if expect.lower() == "100-continue" and number >= (1, 1):
            return self.handle_expect_100()
        return True

    def _serve(self) -> None:
        if not _TOKEN.fullmatch(self.command):
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad request method")
            return
        length_header = next((v for k, v in self.fields.items() if k.lower() == "content-length"), None) or "0"
        try:
            length = int(length_header)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._write(bad_length())
            return
        body = self.rfile.read(length) if length else b""
        path, _, query = self.path.partition("?")
        req = Request(self.command, path, query, self.fields, body)
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

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

    def send_error(self, code: int, message: Optional[str] = None, explain: Optional[str] = None) -> None:
        """What http.server answers itself (a request line or headers it cannot read), as API JSON."""
        if code == HTTPStatus.NOT_IMPLEMENTED and self.command:
            # http.server has no do_<METHOD> for this method; the app answers every method of
            # every path (405 with Allow, or 404), whatever the token
            self._serve()
            return
        self.close_connection = True
        phrase = self.responses[code][0] if code in self.responses else "Bad request"
        self._write(Reply(code, errors.bad_request(code, message or phrase).body()))

    def _write(self, reply: Reply, data: Optional[bytes] = None, declared: Optional[int] = None) -> None:
        """Status line, headers and body in one write: one system call, and one packet when small."""
        headers, body = render(reply, self.command)
        if data is not None and self.command != "HEAD":
            body = data
        self.log_request(reply.status, len(body))
        phrase = self.responses[reply.status][0] if reply.status in self.responses else ""
        lines = [
            "{} {} {}".format(self.protocol_version, reply.status, phrase),
            "Server: " + self.version_string(),
            "Date: " + self.date_time_string(),
        ]
        for name, value in headers:
            if name == "Content-Length" and declared is not None:
                value = str(declared)
            lines.append("{}: {}".format(name, value))
        if self.close_connection:
            lines.append("Connection: close")
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "strict") + body)

    def _abort(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 makes the kernel reset connections as soon as a few
    # dozen clients connect at once (a parallel test suite); Linux caps this at somaxconn
    request_queue_size = 1024

    def __init__(self, address: Tuple[str, int], app: SandboxApp) -> None:
        self.app = app
        self.stopping = threading.Event()
        self._open: Set[socket.socket] = set()  # connections being served (kept alive or busy)
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            if self.stopping.is_set():
                self.shutdown_request(request)
                return
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection, so that a stopped sandbox answers nobody."""
        with self._open_lock:
            open_now = list(self._open)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not self.stopping.is_set():  # a connection cut by stop() is no error
            super().handle_error(request, client_address)


class SandboxServer:
    """Runs the app on ``host:port`` (port 0 = a free port) plus the clock/webhook worker.

    Nothing is bound until ``start()``; ``stop()`` closes the socket, and ``start()`` after
    ``stop()`` serves again (on the same port when it is still free) with new threads. With
    ``http=False`` nothing is ever bound: ``start()`` runs the worker only, and requests reach the
    app through a ``SandboxTransport``.
    """

    def __init__(
        self, state: SandboxState, host: str = "127.0.0.1", port: int = 0, tick_seconds: float = 0.1, http: bool = True
    ) -> None:
        self.state = state
        self.app = SandboxApp(state)
        self.http = http
        self._address = (host, port)
        self.host: Optional[str] = None  # where it listens (known once started)
        self.port: Optional[int] = None
        self._tick = tick_seconds
        self._pump_lock = threading.Lock()
        self._server: Optional[_Server] = None
        self._threads: List[threading.Thread] = []
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """Base URL of the sandbox API (once started; after ``stop()``, the last one)."""
        if not self.http:
            return IN_PROCESS_URL
        if self.port is None:
            raise RuntimeError("the sandbox is not started yet: call start() (or use `with Sandbox() as sb:`) first")
        return "http://{}:{}".format(self.host, self.port)

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return bool(self._threads)

    def _bind(self) -> _Server:
        host, port = self._address
        server: Optional[_Server] = None
        if port == 0 and self.port is not None:  # a restart: keep the URL clients already hold
            try:
                server = _Server((host, self.port), self.app)
            except OSError:
                server = None
        if server is None:
            server = _Server((host, port), self.app)  # OSError when the port is taken
        bound_host, self.port = server.server_address[:2]
        # an AF_INET socket names its host as str (the stubs also allow bytes, for other families)
        self.host = bound_host if isinstance(bound_host, str) else bytes(bound_host).decode()
        return server

    def start(self) -> None:
        """Bind and serve in background threads (does nothing when already serving)."""
        if self._threads:
            return
        server: Optional[_Server] = None
        stopping = threading.Event()
        threads: List[threading.Thread] = []
        if self.http:
            server = self._bind()
            stopping = server.stopping
            threads.append(
                threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="sandbox-http")
            )
        threads.append(threading.Thread(target=self._work, args=(stopping,), daemon=True, name="sandbox-worker"))
        self._server, self._threads, self._stopping = server, threads, stopping
        try:
            for t in threads:
                t.start()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop serving and release the port (does nothing when not serving)."""
        server, threads, stopping = self._server, self._threads, self._stopping
        self._server, self._threads = None, []
        if not threads:
            return
        stopping.set()
        if server is not None:
            try:
                if threads[0].is_alive():  # the HTTP thread
                    server.shutdown()  # waits for serve_forever to return
            finally:
                server.server_close()
                server.close_connections()
        for t in threads:
            if t.is_alive():
                t.join(timeout=5)

    # -- background work -------------------------------------------------------------------
    def _work(self, stopping: threading.Event) -> None:
        while not stopping.wait(self._tick):
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
            with urllib.request.urlopen(req, timeout=WEBHOOK_TIMEOUT_SECONDS) as resp:  # noqa: S310 - URLs come from the caller's own requests
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
