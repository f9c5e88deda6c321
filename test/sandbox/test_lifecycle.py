"""``Sandbox`` start/stop: nothing bound before ``start()``, both idempotent, restartable."""

from __future__ import annotations

import gc
import socket
import threading
import warnings

import pytest
import urllib3

from smscx_client.sandbox import Sandbox


def _sandbox_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("sandbox-"))


def _clock(pool: urllib3.PoolManager, sb: Sandbox) -> int:
    return pool.request("GET", sb.url + "/__sandbox/clock", retries=False).status  # type: ignore[no-any-return]


def test_stop_before_start_leaks_nothing() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sb = Sandbox()
        sb.stop()
        del sb
        gc.collect()
    assert [w for w in caught if issubclass(w.category, ResourceWarning)] == []


def test_the_url_is_known_once_started() -> None:
    sb = Sandbox()
    with pytest.raises(RuntimeError, match=r"start\(\)"):
        print(sb.url)  # noqa: T201 - never reached
    assert repr(sb) == "Sandbox(not started)" and not sb.running


def test_start_and_stop_are_idempotent_and_a_stopped_sandbox_starts_again() -> None:
    before = _sandbox_threads()
    pool = urllib3.PoolManager()
    sb = Sandbox()
    try:
        assert sb.start() is sb and sb.start() is sb
        url = sb.url
        assert _sandbox_threads() == before + 2 and _clock(pool, sb) == 200
        sb.control("POST", "clock/advance", {"seconds": 60})
        sb.stop()
        sb.stop()
        assert _sandbox_threads() == before
        # a kept-alive connection is closed too: a stopped sandbox answers nobody
        with pytest.raises(urllib3.exceptions.HTTPError):
            _clock(pool, sb)
        sb.start()  # new threads, the same port (still free), the same state
        assert sb.url == url and _clock(pool, sb) == 200 and _sandbox_threads() == before + 2
        assert sb.control("GET", "clock")["offset"] == 60 and sb.running
        sb.stop()
        assert not sb.running and repr(sb) == "Sandbox(url={!r}, stopped)".format(url)
    finally:
        sb.stop()
    assert _sandbox_threads() == before


def test_a_port_in_use_raises_at_start_and_binds_once_free() -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    sb = Sandbox(port=port)
    try:
        with pytest.raises(OSError):
            sb.start()
        assert not sb.running
        taken.close()
        assert sb.start().url == "http://127.0.0.1:{}".format(port)
    finally:
        taken.close()
        sb.stop()
