"""Everything the sandbox remembers, in plain objects, behind one lock.

``SandboxState`` holds the clock, the credentials, the access tokens, the fault and webhook
queues and the one ``AccountState`` (balance, outbox and a typed store per resource, of the
records in ``records.py``). Backends register timed work with ``state.schedule``.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from smscx_client.sandbox.records import (
    Application,
    Attachment,
    Campaign,
    ConversationState,
    Group,
    Inbound,
    Link,
    Lookup,
    LookupBulk,
    Message,
    Optout,
    Originator,
    Otp,
    RentedNumber,
    Shortlink,
    Template,
    Token,
)
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
    """The account: balance, credit limit, currency, the outbox and one store per resource.

    Which backend owns which store, and the record types, are listed in ``records.py``.
    """

    def __init__(self, balance: float, currency: str = "eur") -> None:
        self.balance = money(balance)
        self.credit_limit = money(0)
        self.currency = currency
        self.billing = "prepaid"  # prepaid postpaid
        self.channels: Dict[str, bool] = {}  # channel -> active (account.py seeds them)
        self.messages: Dict[str, Message] = {}
        # (operation, idempotencyId) -> (request fingerprint, status, body, headers) of the answer
        self.idempotency: Dict[Tuple[str, str], Tuple[str, int, bytes, Dict[str, str]]] = {}
        self.groups: Store[Group] = Store()
        self.optouts: Store[Optout] = Store()
        self.originators: Store[Originator] = Store()
        self.templates: Store[Template] = Store()
        self.shortlinks: Store[Shortlink] = Store()
        self.attachments: Store[Attachment] = Store()
        self.campaigns: Store[Campaign] = Store()
        self.links: Store[Link] = Store()
        self.inbound: Store[Inbound] = Store()
        self.conversations: Store[ConversationState] = Store()
        self.otps: Store[Otp] = Store()
        self.rentals: Store[RentedNumber] = Store()
        self.lookups: Store[Lookup] = Store()
        self.lookup_bulks: Store[LookupBulk] = Store()
        self.application: Optional[Application] = None  # applications.py seeds it
        self.optout_link_id = ""  # the account's opt-out page (optouts.py seeds it)
        self.optout_callback_url: Optional[str] = None  # where new_optout webhooks go, before the application's
        # hit ids are unique across shortlinks and attachments; generated link names count
        # every short link ever made ("Short link #433")
        self._hit_ids = itertools.count(1)
        self._shortlink_numbers = itertools.count(1)

    # -- accessors several backends share ----------------------------------------------------
    def new_hit_id(self) -> int:
        """A fresh hit id (shortlink and attachment hits share one sequence)."""
        return next(self._hit_ids)

    def new_shortlink_number(self) -> int:
        """The number of the next short link made (its default name)."""
        return next(self._shortlink_numbers)

    def opted_out_numbers(self) -> Set[str]:
        """Every opted-out number (E.164): build once per request, test membership per recipient."""
        return {o.phone_number for o in self.optouts}

    def is_opted_out(self, e164: str) -> bool:
        """True when the number is on the opt-out list (messages to it are REJECTED at cost 0)."""
        return e164 in self.opted_out_numbers()

    def add_optout(
        self, e164: str, country_iso: str, now: float, source: str = "api", campaign_id: Optional[str] = None
    ) -> Optout:
        """Put a number on the opt-out list (idempotent); returns its record."""
        for o in self.optouts:
            if o.phone_number == e164:
                return o
        rec = Optout(self.optouts.next_id(), e164, country_iso, source, now, campaign_id=campaign_id)
        self.optouts.insert(rec, rec.id)
        return rec

    def add_inbound(
        self,
        msg_id: str,
        sender: str,
        to: str,
        text: str,
        channel: str,
        country_iso: str,
        now: float,
        rent_id: Optional[str] = None,
    ) -> Inbound:
        """Record a message received by the account (an inbound SMS, Viber or WhatsApp message)."""
        rec = Inbound(msg_id, sender, to, text, channel, country_iso, now, rent_id)
        self.inbound.insert(rec, msg_id)
        return rec

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
        self.tokens: Dict[str, Token] = {}
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
        if not self.faults:  # the usual case, answered without waiting for the lock
            return None
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
