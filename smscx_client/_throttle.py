"""Client-side rate limiting (``Configuration.rate_limit``), shared by every thread of a client.

The API counts requests when they arrive, in windows of its own. Counting each call from the
moment its answer came back (not when it left) keeps any ``seconds``-long stretch of arrivals at
``limit`` or below whatever the network delays, so the account's limit is never crossed. A 429
halves the pace; every successful window-full of calls raises it by one, back to ``limit``
(additive increase, multiplicative decrease, as TCP and boto3's adaptive mode do)."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Callable, Deque, Optional, Tuple

__all__ = ["Throttle"]


class Throttle:
    """Let at most ``limit`` calls start in any ``seconds``; callers wait their turn."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError("Configuration.rate_limit takes (requests, seconds) with requests >= 1, e.g. (100, 60)")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
            raise ValueError("Configuration.rate_limit takes (requests, seconds) with seconds > 0, e.g. (100, 60)")
        self.limit = limit
        self.seconds = float(seconds)
        self.pace = float(limit)  # the calls allowed per window now: lower after a 429
        self._clock = clock
        self._finished: Deque[float] = deque()  # when recent calls ended
        self._running = 0
        self._cond = threading.Condition()

    @property
    def setting(self) -> Tuple[int, float]:
        """The ``(limit, seconds)`` this throttle was made for."""
        return self.limit, self.seconds

    def acquire(self) -> None:
        """Wait until one more call fits in the window, and count it as running."""
        with self._cond:
            while True:
                wait = self._take()
                if wait is None:
                    return
                # the oldest call leaves the window then; a call ending sooner wakes us to recount
                self._cond.wait(wait or None)

    async def acquire_async(self) -> None:
        """``acquire`` for asyncio: waits by sleeping in the event loop (no thread is held, so
        the loop's executor stays free for DNS lookups); a cancelled wait has taken nothing."""
        import asyncio

        while True:
            with self._cond:
                wait = self._take()
            if wait is None:
                return
            # 0.0: only a running call's end can make room, and it tells no coroutine: look again soon
            await asyncio.sleep(wait or 0.005)

    def _take(self) -> Optional[float]:
        """Count one more call when it fits (None); else the seconds until the oldest call leaves
        the window, or 0.0 when only running calls fill it. Holds ``_cond``."""
        horizon = self._clock() - self.seconds
        finished = self._finished
        while finished and finished[0] <= horizon:
            finished.popleft()
        if self._running + len(finished) < max(1, int(self.pace)):
            self._running += 1
            return None
        return finished[0] - horizon if finished else 0.0

    def release(self, rate_limited: bool) -> None:
        """A call counted by ``acquire`` got its answer (a 429 when ``rate_limited``)."""
        with self._cond:
            self._running -= 1
            self._finished.append(self._clock())
            if rate_limited:
                self.pace = max(1.0, self.pace / 2)
            elif self.pace < self.limit:
                self.pace = min(float(self.limit), self.pace + 1 / self.pace)
            self._cond.notify_all()
