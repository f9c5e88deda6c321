"""Callback delivery: a 2-second limit per attempt, three attempts 10 s of sandbox time apart."""

from __future__ import annotations

import socket
import time
from typing import Any, Iterator

import pytest

ATTEMPT_SECONDS = 2.0  # what docs/guides/sandbox.md promises for one attempt


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A URL whose server accepts the connection and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # never accepted: the kernel completes the handshake, nobody replies
        yield "http://127.0.0.1:{}/hook".format(listener.getsockname()[1])


@pytest.fixture
def refused_url() -> str:
    """A URL nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return "http://127.0.0.1:{}/hook".format(port)


def test_an_unanswered_callback_holds_advance_2_seconds_at_most(sb: Any, silent_url: str) -> None:
    sb.state.callback(silent_url, "dlr_update", {"event": "dlr_update", "data": []})
    started = time.monotonic()
    sb.advance(0)  # returns once the due callback was attempted
    assert time.monotonic() - started < ATTEMPT_SECONDS + 1
    (hook,) = sb.webhooks
    assert (hook["attempts"], hook["outcome"], hook["status"]) == (1, "pending", None)
    assert "timed out" in hook["error"]


def test_a_failing_callback_is_tried_three_times_10_seconds_apart(sb: Any, refused_url: str) -> None:
    sb.state.callback(refused_url, "dlr_update", {"event": "dlr_update", "data": []})
    seen = []
    for step in (0, 9, 1, 10):
        sb.advance(step)
        (hook,) = sb.webhooks
        seen.append((hook["attempts"], hook["outcome"]))
    assert seen == [(1, "pending"), (1, "pending"), (2, "pending"), (3, "failed")]
