"""A stateful local SMS.CX: the whole API on 127.0.0.1, for trying the SDK and testing your code.

::

    from smscx_client.sandbox import Sandbox, MAGIC_NUMBERS
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    with Sandbox() as sb:
        sms = SmsApi(sb.api_client())
        sms.send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hello"))
        sb.advance(60)               # delivery reports follow the sandbox clock
        print(sb.messages)           # the outbox

It keeps state (balance, messages, groups, OTPs, ...), follows the documented rules and error
codes, delivers webhooks, and injects faults on request (``fail_next``). ``Sandbox(examples=True)``
(and the command line, by default) also holds the example records named by ``EXAMPLE_IDS``,
which the scripts under ``examples/`` use. Needs the ``sandbox`` extra: ``pip install ".[sandbox]"``
in a clone of this repository (``docs/guides/sandbox.md``; PyPI has only 0.1.x so far, without a
sandbox).

``Sandbox(in_process=True)`` binds no port: the clients it makes (``api_client()``, or any
``ApiClient`` given ``transport=sb.transport``) hand their requests straight to the sandbox, in
this process (``SandboxTransport``; which faults behave differently there is said in its module).
State, clock, webhooks (delivered to their URLs as usual), control methods and faults all work as
with sockets; ``url`` is a placeholder no socket can reach.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from smscx_client.sandbox.magic import EXAMPLE_IDS, MAGIC_NUMBERS

if TYPE_CHECKING:
    from smscx_client import ApiClient, Configuration
    from smscx_client.aio import AsyncApiClient
    from smscx_client.sandbox.transport import SandboxTransport

__all__ = [
    "Sandbox",
    "MAGIC_NUMBERS",
    "EXAMPLE_IDS",
    "DEFAULT_API_KEY",
    "DEFAULT_APP_ID",
    "DEFAULT_APP_SECRET",
    "DEFAULT_BALANCE",
    "SandboxTransport",
]

DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_APP_ID = "sandbox-app"
DEFAULT_APP_SECRET = "sandbox-app-secret"
DEFAULT_BALANCE = 100.0


def __getattr__(name: str) -> Any:
    if name == "SandboxTransport":  # loaded on first use, like the rest of the sandbox
        from smscx_client.sandbox.transport import SandboxTransport

        return SandboxTransport
    raise AttributeError("module {!r} has no attribute {!r}".format(__name__, name))


class Sandbox:
    """A sandbox: ``with Sandbox() as sb:`` starts it on a free loopback port and stops it.

    ``start()`` binds the port and serves in background threads, ``stop()`` releases it; both
    may be called again (``start()`` after ``stop()`` serves the same state, on the same port
    when it is still free). ``url`` is known once started. In process, ``start()`` and ``stop()``
    run and stop the background worker (clock events, webhook delivery) only: requests are
    answered either way.

    Args:
        host: address to listen on (default 127.0.0.1).
        port: port, 0 for a free one.
        api_key: the only API key accepted (default ``DEFAULT_API_KEY``).
        app_id: the OAuth application id accepted (default ``DEFAULT_APP_ID``).
        app_secret: its secret (default ``DEFAULT_APP_SECRET``).
        balance: starting balance in EUR (default 100.00).
        rate_limit: ``(requests, seconds)`` to enable rate limiting with ``X-Rate-Limit-*``.
        examples: also put the example records (``EXAMPLE_IDS``) in place on every reset; off by
            default, so that tests start from an empty account.
        in_process: answer the clients of ``api_client()`` in this process, without sockets
            (``host`` and ``port`` are then unused).
        strict: also check every JSON answer against the documented response schema, and answer
            500 naming the broken rule when one does not conform (the sandbox's own self-check,
            for its developers). Off by default; ``SMSCX_SANDBOX_STRICT=1`` in the environment
            turns it on as well (the SDK's test suite runs that way). Requests are always
            checked against the spec, strict or not.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = DEFAULT_API_KEY,
        app_id: str = DEFAULT_APP_ID,
        app_secret: str = DEFAULT_APP_SECRET,
        balance: float = DEFAULT_BALANCE,
        rate_limit: Optional[Tuple[int, float]] = None,
        examples: bool = False,
        in_process: bool = False,
        strict: bool = False,
    ) -> None:
        from smscx_client.sandbox import backends
        from smscx_client.sandbox.phones import require_phonenumbers
        from smscx_client.sandbox.server import SandboxServer
        from smscx_client.sandbox.state import Credentials, SandboxState

        require_phonenumbers()
        self.state = SandboxState(Credentials(api_key, app_id, app_secret), balance, rate_limit)
        self.state.seeders.extend(backends.seeders(examples))
        self.state.reset()
        self._server = SandboxServer(self.state, host, port, http=not in_process)
        if strict:  # else the app reads SMSCX_SANDBOX_STRICT
            self._server.app.strict = True
        self.state.pump = self._server.pump
        self._lock = threading.Lock()
        self._transport: Optional[SandboxTransport] = None
        if in_process:
            from smscx_client.sandbox.transport import SandboxTransport

            self._transport = SandboxTransport(self._server.app)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "Sandbox":
        """Bind the port and serve in background threads; nothing happens when already serving.

        Raises ``OSError`` when the port cannot be bound (e.g. it is in use).
        """
        with self._lock:
            self._server.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port; nothing happens when not serving."""
        with self._lock:
            self._server.stop()

    @property
    def running(self) -> bool:
        """True between ``start()`` and ``stop()``."""
        return self._server.running

    def __enter__(self) -> "Sandbox":
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def __repr__(self) -> str:
        if self._transport is not None:
            return "Sandbox(in process{})".format("" if self.running else ", stopped")
        if self._server.port is None:
            return "Sandbox(not started)"
        return "Sandbox(url={!r}{})".format(self.url, "" if self.running else ", stopped")

    # -- connection details ----------------------------------------------------------------
    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321``; ``RuntimeError`` before the first ``start()``
        (in process: a placeholder that only ``transport`` answers)."""
        return self._server.url

    @property
    def in_process(self) -> bool:
        """True when the sandbox answers in this process, without sockets."""
        return self._transport is not None

    @property
    def transport(self) -> Optional["SandboxTransport"]:
        """In process: the ``Transport`` that reaches this sandbox (``ApiClient(config,
        transport=sb.transport)``); None when the sandbox listens on a socket."""
        return self._transport

    @property
    def api_key(self) -> str:
        """The API key the sandbox accepts."""
        return self.state.credentials.api_key

    @property
    def app_id(self) -> str:
        """The OAuth application id the sandbox accepts."""
        return self.state.credentials.app_id

    @property
    def app_secret(self) -> str:
        """The OAuth application secret the sandbox accepts."""
        return self.state.credentials.app_secret

    def configuration(self, **settings: Any) -> Configuration:
        """A ``Configuration`` for this sandbox (API key auth unless you pass other credentials).

        It ignores the environment (``trust_env=False``) unless told otherwise: a proxy or
        credentials meant for the real API have no business with a local sandbox."""
        from smscx_client import Configuration

        settings.setdefault("trust_env", False)
        if not any(k in settings for k in ("api_key", "access_token", "username", "password")):
            settings["api_key"] = self.api_key
        return Configuration(host=self.url, **settings)

    def api_client(self, **settings: Any) -> ApiClient:
        """An ``ApiClient`` for this sandbox."""
        from smscx_client import ApiClient

        return ApiClient(self.configuration(**settings), transport=self._transport)

    def async_api_client(self, **settings: Any) -> AsyncApiClient:
        """An ``smscx_client.aio.AsyncApiClient`` for this sandbox (close it: ``async with`` or
        ``await client.aclose()``); in process, it needs no aiohttp."""
        from smscx_client.aio import AsyncApiClient

        transport = None
        if self._transport is not None:
            from smscx_client.sandbox.transport import AsyncSandboxTransport

            transport = AsyncSandboxTransport(self._server.app)
        return AsyncApiClient(self.configuration(**settings), transport=transport)

    # -- control ---------------------------------------------------------------------------
    @property
    def messages(self) -> List[Dict[str, Any]]:
        """The outbox: every message sent, oldest first."""
        with self.state.lock:
            self.state.tick()
            return [m.outbox(self.state.clock) for m in self.state.account.messages.values()]

    @property
    def webhooks(self) -> List[Dict[str, Any]]:
        """Every callback owed or attempted, with its outcome."""
        with self.state.lock:
            return [w.view() for w in self.state.webhooks]

    @property
    def balance(self) -> float:
        """The account balance in EUR."""
        with self.state.lock:
            return float(self.state.account.balance)

    def last_pin(self, phone_number: str, country_iso: Optional[str] = None) -> str:
        """The PIN of the last OTP sent to ``phone_number`` (E.164, or national with
        ``country_iso``) since the last reset; ``LookupError`` when there is none."""
        from smscx_client.sandbox.phones import parse

        wanted = parse(phone_number, country_iso).e164 or phone_number
        with self.state.lock:
            otps = self.state.account.otps.values()
        pins = [o.pin for o in otps if o.phone_number == wanted]
        if not pins:
            sent_to = sorted({o.phone_number for o in otps})
            raise LookupError(
                "No OTP was sent to {} since the sandbox was reset ({})".format(
                    wanted, "OTPs went to " + ", ".join(sent_to) if sent_to else "no OTP was sent at all"
                )
            )
        return pins[-1]

    def now(self) -> float:
        """The sandbox clock (Unix seconds)."""
        return self.state.clock.now()

    def reset(self) -> None:
        """Everything back to the start (the clock is not rewound)."""
        self.state.reset()

    def advance(self, seconds: float) -> None:
        """Move the sandbox clock forward; due deliveries and webhooks happen before it returns."""
        self.state.advance(seconds)
        self._server.pump()

    def fail_next(
        self,
        method: str = "*",
        path: str = "*",
        status: Optional[int] = None,
        type: Optional[str] = None,  # noqa: A002 - the API's field name
        code: Optional[int] = None,
        fault: Optional[str] = None,
        message: Optional[str] = None,
    ) -> None:
        """Make the next matching request fail: an error answer, or a fault (``drop``,
        ``stall``, ``html-502``, ``truncated``)."""
        from smscx_client.sandbox.control import fault_from

        body: Dict[str, Any] = {"method": method, "path": path, "status": status, "type": type, "code": code}
        if fault is not None:
            body = {"method": method, "path": path, "fault": fault}
        if message is not None:
            body["message"] = message
        f = fault_from(body)
        with self.state.lock:
            self.state.faults.append(f)

    def control(self, method: str, name: str, body: Optional[Dict[str, Any]] = None) -> Any:
        """Call a control endpoint over HTTP (what tests in other languages do); in process, through
        the app. A refusal raises ``urllib.error.HTTPError`` either way."""
        data = json.dumps(body).encode() if body is not None else None
        if self._transport is not None:
            return self._control_in_process(method, name, data)
        req = urllib.request.Request(self.url + "/__sandbox/" + name, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - our own loopback server
            return json.loads(resp.read())

    def _control_in_process(self, method: str, name: str, data: Optional[bytes]) -> Any:
        import io
        import urllib.error
        from email.message import Message

        from smscx_client.sandbox.app import Request

        path, _, query = name.partition("?")  # as a server splits it (``inbox?limit=10``)
        reply = self._server.app.handle(
            Request(method, "/__sandbox/" + path, query, {"Content-Type": "application/json"}, data or b"")
        )
        payload = reply.payload()
        if not 200 <= reply.status < 300:
            headers = Message()
            for k, v in reply.headers.items():
                headers[k] = v
            raise urllib.error.HTTPError(self.url + "/__sandbox/" + name, reply.status, "", headers, io.BytesIO(payload))
        return json.loads(payload)
