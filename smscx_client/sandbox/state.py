"""Everything the sandbox remembers, in plain objects, behind one lock.

``SandboxState`` holds the clock, the credentials, the fault and webhook queues and the one
``AccountState`` (balance, outbox and a table per resource). Backends keep their records in
``account.table(name)`` and register timed work with ``state.schedule``.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Dict, List, Optional, Tuple

from smscx_client.sandbox.store import Store

__all__ = ["Clock", "Message", "AccountState", "SandboxState", "Fault", "Webhook", "Credentials", "money"]


def money(value: Any) -> Decimal:
    """A Decimal rounded to 4 places (prices) — floats never accumulate errors in the balance."""
    return Decimal(str(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


class Clock:
    """Real time plus everything advanced: ``now()`` is a Unix timestamp in seconds."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        """Current sandbox time."""
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        self.offset += seconds

    def utc(self, ts: Optional[float] = None) -> datetime:
        """A timestamp as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now() if ts is None else ts, tz=timezone.utc)

    def fmt(self, ts: Optional[float] = None) -> str:
        """The API's date-time format: ``YYYY-MM-DD HH:MM:SS`` (UTC)."""
        return self.utc(ts).strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class Credentials:
    """Who may call: one API key and one OAuth application (id and secret)."""

    api_key: str
    app_id: str
    app_secret: str


@dataclass
class Message:
    """One message 'sent' (the outbox entry) and its delivery state."""

    msg_id: str
    channel: str  # sms viber whatsapp multichannel
    to: str
    sender: str
    text: str
    parts: int
    cost: Decimal
    status: str  # ACCEPTED SCHEDULED REJECTED NO COVERAGE SENT DELIVERED FAILED
    campaign_id: str
    country_iso: str
    created_at: float
    scheduled_at: Optional[float] = None
    deliver_at: Optional[float] = None  # when the final status is reached
    final_status: str = "DELIVERED"
    error_code: Optional[int] = None
    dlr_callback_url: Optional[str] = None
    track_data: Optional[str] = None
    source: str = "api"
    traffic: str = "transactional"
    unicode: bool = False
    length: int = 0
    extra: Dict[str, Any] = field(default_factory=dict)

    STATUS_CODES = {
        "ACCEPTED": 1,
        "SENT": 2,
        "DELIVERED": 3,
        "FAILED": 4,
        "SCHEDULED": 5,
        "REJECTED": 6,
        "NO COVERAGE": 7,
    }

    @property
    def status_code(self) -> int:
        """The sandbox's numeric code of ``status``."""
        return self.STATUS_CODES.get(self.status, 0)

    def outbox(self, clock: Clock) -> Dict[str, Any]:
        """The control-plane view (``GET /__sandbox/messages``)."""
        return {
            "msgId": self.msg_id,
            "channel": self.channel,
            "to": self.to,
            "from": self.sender,
            "text": self.text,
            "parts": self.parts,
            "cost": float(self.cost),
            "status": self.status,
            "campaignId": self.campaign_id,
            "scheduledAt": clock.fmt(self.scheduled_at) if self.scheduled_at else None,
            "createdAt": clock.fmt(self.created_at),
            "countryIso": self.country_iso,
            "trackData": self.track_data,
        }


@dataclass
class Webhook:
    """A callback the sandbox owes or attempted."""

    id: int
    url: str
    event: str
    body: Dict[str, Any]
    due_at: float
    attempts: int = 0
    outcome: str = "pending"  # pending delivered failed
    status: Optional[int] = None
    error: Optional[str] = None

    def view(self) -> Dict[str, Any]:
        """The control-plane view (``GET /__sandbox/webhooks``)."""
        return {
            "id": self.id,
            "url": self.url,
            "event": self.event,
            "body": self.body,
            "attempts": self.attempts,
            "outcome": self.outcome,
            "status": self.status,
            "error": self.error,
        }


@dataclass
class Fault:
    """What ``fail-next`` asked for: an error answer or a transport fault, for one request."""

    method: str
    path: str
    status: Optional[int] = None
    type: Optional[str] = None
    code: Optional[int] = None
    message: Optional[str] = None
    fault: Optional[str] = None  # drop stall html-502 truncated

    def matches(self, method: str, path: str) -> bool:
        """True for the request this fault is aimed at (``*`` matches anything)."""
        return self.method in ("*", method) and self.path in ("*", path)


class AccountState:
    """The account: balance, credit limit, currency, the outbox and one table per resource."""

    def __init__(self, balance: float, currency: str = "eur") -> None:
        self.balance = money(balance)
        self.credit_limit = money(0)
        self.currency = currency
        self.messages: Dict[str, Message] = {}
        self.idempotency: Dict[str, Tuple[int, bytes, Dict[str, str]]] = {}
        self._tables: Dict[str, Store[Dict[str, Any]]] = {}
        self.settings: Dict[str, Any] = {}

    def table(self, name: str, first_id: int = 1) -> Store[Dict[str, Any]]:
        """The store named ``name`` (records are plain dicts), created empty on first use."""
        store = self._tables.get(name)
        if store is None:
            store = self._tables[name] = Store(first_id)
        return store

    def can_spend(self, amount: Decimal) -> bool:
        """True when the balance (plus the credit limit) covers ``amount``."""
        return self.balance + self.credit_limit >= amount

    def spend(self, amount: Decimal) -> None:
        """Deduct from the balance (callers check ``can_spend`` first)."""
        self.balance = money(self.balance - amount)

    def refund(self, amount: Decimal) -> None:
        """Give back to the balance."""
        self.balance = money(self.balance + amount)


class SandboxState:
    """The whole sandbox: clock, credentials, account, timed events, faults and webhooks."""

    def __init__(self, credentials: Credentials, balance: float = 100.0, rate_limit: Optional[Tuple[int, float]] = None) -> None:
        self.lock = threading.RLock()
        self.clock = Clock()
        self.credentials = credentials
        self.initial_balance = balance
        self.rate_limit = rate_limit
        self.account = AccountState(balance)
        self.faults: List[Fault] = []
        self.webhooks: List[Webhook] = []
        self._webhook_ids = itertools.count(1)
        self._events: List[Tuple[float, int, Callable[[], None]]] = []
        self._event_ids = itertools.count()
        self.rate_window: Tuple[float, int] = (0.0, 0)
        self.tokens: Dict[str, Dict[str, Any]] = {}
        self.seeders: List[Callable[["SandboxState"], None]] = []
        # set by the server: runs due events and delivers due webhooks now
        self.pump: Optional[Callable[[], None]] = None

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self) -> None:
        """Back to the starting state; the clock is not rewound."""
        with self.lock:
            self.account = AccountState(self.initial_balance)
            self.faults.clear()
            self.webhooks.clear()
            self._events.clear()
            self.tokens.clear()
            self.rate_window = (0.0, 0)
            for seed in self.seeders:
                seed(self)

    # -- time ------------------------------------------------------------------------------
    def schedule(self, at: float, action: Callable[[], None]) -> None:
        """Run ``action`` (under the lock) once the sandbox clock reaches ``at``."""
        with self.lock:
            heapq.heappush(self._events, (at, next(self._event_ids), action))

    def tick(self) -> None:
        """Run every timed action that is due."""
        with self.lock:
            now = self.clock.now()
            while self._events and self._events[0][0] <= now:
                _, _, action = heapq.heappop(self._events)
                action()

    def advance(self, seconds: float) -> None:
        """Advance the clock and run what became due, in time order."""
        with self.lock:
            self.clock.advance(seconds)
            self.tick()

    # -- webhooks --------------------------------------------------------------------------
    def callback(self, url: Optional[str], event: str, body: Dict[str, Any], delay: float = 0.0) -> None:
        """Owe a callback: POST ``body`` to ``url`` (delivered by the server's worker)."""
        if not url:
            return
        with self.lock:
            self.webhooks.append(Webhook(next(self._webhook_ids), url, event, body, self.clock.now() + delay))

    def due_webhooks(self) -> List[Webhook]:
        """Callbacks whose time has come and that were not attempted yet."""
        with self.lock:
            now = self.clock.now()
            return [w for w in self.webhooks if w.outcome == "pending" and w.due_at <= now]

    # -- faults ----------------------------------------------------------------------------
    def take_fault(self, method: str, path: str) -> Optional[Fault]:
        """The first queued fault matching this request, removed from the queue."""
        with self.lock:
            for i, f in enumerate(self.faults):
                if f.matches(method, path):
                    return self.faults.pop(i)
        return None

    # -- helpers for backends --------------------------------------------------------------
    @staticmethod
    def new_id() -> str:
        """A lowercase UUID4 (the API's message, campaign and OTP ids)."""
        return str(uuid.uuid4())
