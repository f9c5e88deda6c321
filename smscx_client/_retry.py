"""When to try a failed call again, and how long to wait: pure functions of the outcome.

A call is *safe to repeat* when repeating it cannot bill or text anyone twice: GET and DELETE,
and the sends that carry an ``idempotencyId`` (the API answers a replay with the first
result). Everything else is repeated only when the request provably never reached the server,
or when the API said 429 (it refused the request without doing anything).
"""

from __future__ import annotations

import time
from datetime import timezone
from typing import Any, Mapping, NamedTuple, Optional

from smscx_client.exceptions import ApiConnectionError

__all__ = ["RetryPolicy", "retry_after"]

_RETRY_STATUSES = frozenset({500, 502, 503, 504})
RESET_MARGIN = 0.25


def _jitter() -> float:
    """A factor in [0.5, 1.0): spreads the retries of many clients apart."""
    import random  # only a failed call gets here

    return 0.5 + random.random() / 2


def _header_float(headers: Optional[Mapping[str, Any]], name: str) -> Optional[float]:
    if headers is None:
        return None
    raw = headers.get(name)
    try:
        return float(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def retry_after(headers: Optional[Mapping[str, Any]], now: float) -> Optional[float]:
    """Seconds ``Retry-After`` asks to wait (a number of seconds, or an HTTP date); None when absent
    or unreadable. A past date or a negative number means no wait."""
    raw = headers.get("Retry-After") if headers is not None else None
    if raw is None:
        return None
    text = str(raw).strip()
    try:
        seconds = float(text)
    except ValueError:
        from email.utils import parsedate_to_datetime  # only for the rare HTTP date

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when is None:  # Python < 3.10 returns None for some unparseable dates
            return None
        if when.tzinfo is None:  # "-0000": an HTTP date is GMT anyway
            when = when.replace(tzinfo=timezone.utc)
        seconds = when.timestamp() - now
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


class RetryPolicy(NamedTuple):
    """How many times to retry and how to space the attempts."""

    max_retries: int = 2
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_rate_limit_wait: float = 60.0

    @classmethod
    def from_config(cls, config: Any) -> "RetryPolicy":
        """The policy a ``Configuration`` describes."""
        return cls(
            max_retries=max(0, int(config.max_retries or 0)),
            backoff=float(config.retry_backoff),
            backoff_max=float(config.retry_backoff_max),
            max_rate_limit_wait=float(config.max_rate_limit_wait),
        )

    def backoff_delay(self, attempt: int) -> float:
        """Wait before attempt ``attempt + 1`` after ``attempt`` failures: exponential, jittered."""
        delay: float = min(self.backoff_max, self.backoff * (2.0 ** (attempt - 1))) * _jitter()
        return delay

    def rate_limit_delay(self, headers: Optional[Mapping[str, Any]], now: Optional[float] = None) -> Optional[float]:
        """Seconds until the rate limit resets, or None when that is beyond ``max_rate_limit_wait``."""
        now = time.time() if now is None else now
        reset = _header_float(headers, "X-Rate-Limit-Reset")
        if reset is not None:
            # the header has whole seconds; a little margin lands after the reset, not before
            wait = max(0.0, reset - now) + RESET_MARGIN
        else:
            after = retry_after(headers, now)
            wait = 1.0 if after is None else after  # no hint at all: a short pause
        if wait > self.max_rate_limit_wait:
            return None
        # a little spread, so clients released by the same reset do not all come back at once
        return wait + (_jitter() - 0.5) * min(1.0, wait / 10)

    def delay_after_error(self, attempt: int, exc: ApiConnectionError, safe: bool) -> Optional[float]:
        """Wait before retrying after a transport failure, or None to give up."""
        if attempt > self.max_retries:
            return None
        if exc.sent and not safe:
            return None
        return self.backoff_delay(attempt)

    def delay_after_status(
        self, attempt: int, status: int, headers: Optional[Mapping[str, Any]], safe: bool
    ) -> Optional[float]:
        """Wait before retrying after an error status, or None to give up."""
        if attempt > self.max_retries:
            return None
        if status == 429:
            return self.rate_limit_delay(headers)
        if status in _RETRY_STATUSES and safe:
            return self.backoff_delay(attempt)
        return None
