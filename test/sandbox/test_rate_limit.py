"""Rate limiting: the window runs on the sandbox clock, ``X-Rate-Limit-Reset`` is wall-clock time."""

from __future__ import annotations

import time
from typing import Any, Dict, Iterator

import pytest
import urllib3

from smscx_client.api.account_api import AccountApi
from smscx_client.sandbox import Sandbox


@pytest.fixture
def limited() -> Iterator[Sandbox]:
    """A sandbox allowing two requests a second."""
    with Sandbox(rate_limit=(2, 1.0)) as sb:
        yield sb


def _balance(sb: Sandbox) -> Any:
    return urllib3.PoolManager().request("GET", sb.url + "/account/balance", headers={"X-API-KEY": sb.api_key}, retries=False)


def _limits(resp: Any) -> Dict[str, str]:
    return {k: v for k, v in resp.headers.items() if k.startswith("X-Rate-Limit-")}


def _wall_reset(resp: Any) -> float:
    """Seconds from now (real time) to the ``X-Rate-Limit-Reset`` of an answer."""
    return int(resp.headers["X-Rate-Limit-Reset"]) - time.time()


@pytest.mark.parametrize("advanced", [0, 3600])
def test_every_answer_carries_the_limits_and_a_wall_clock_reset(limited: Sandbox, advanced: int) -> None:
    limited.advance(advanced)  # the sandbox clock is an hour ahead: the header must not be
    answers = [_balance(limited) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 429]
    assert [_limits(a)["X-Rate-Limit-Remaining"] for a in answers] == ["1", "0", "0"]
    assert all(_limits(a)["X-Rate-Limit-Limit"] == "2" for a in answers)
    for answer in answers:  # the window ends within its second (rounded up to a whole second)
        assert -0.5 < _wall_reset(answer) <= 2.0, answer.headers


def test_the_sdk_waits_for_the_window_after_the_clock_moved(limited: Sandbox) -> None:
    limited.advance(3600)
    api = AccountApi(limited.api_client(max_rate_limit_wait=5))
    started = time.monotonic()
    for _ in range(4):  # the third call waits out the window (about a second), it does not raise
        api.get_account_balance()
    assert time.monotonic() - started < 4
