"""One ApiClient shared by many threads, and across a fork."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from smscx_client.api.account_api import AccountApi


def test_eight_threads_times_500_calls_through_one_client(smscx_sandbox):
    client = smscx_sandbox.api_client(connection_pool_maxsize=8)
    api = AccountApi(client)
    errors = []
    lock = threading.Lock()

    def worker(n):
        ok = 0
        for i in range(500):
            try:
                result = api.get_account_balance() if i % 2 else api.get_channels_status()
                ok += 1 if result is not None else 0
            except Exception as exc:  # collected, asserted below
                with lock:
                    errors.append(repr(exc))
        return ok

    with ThreadPoolExecutor(8) as pool:
        done = list(pool.map(worker, range(8)))
    assert errors == []
    assert done == [500] * 8


def _child(queue):
    try:
        before = _CLIENT.transport._pool  # the pool manager inherited from the parent
        api = AccountApi(_CLIENT)
        balance = api.get_account_balance().balance
        fresh = _CLIENT.transport._pool is not before
        in_background = api.get_account_balance(async_req=True).get(10).balance
        queue.put((balance, fresh, in_background))
    except Exception as exc:  # reported to the parent
        queue.put(repr(exc))


_CLIENT = None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_gets_fresh_connections_and_threads(smscx_sandbox):
    global _CLIENT
    _CLIENT = smscx_sandbox.api_client()
    api = AccountApi(_CLIENT)
    assert api.get_account_balance().balance == 100.0  # the parent's pool now holds a connection
    assert api.get_account_balance(async_req=True).get(10).balance == 100.0  # and its thread pool runs
    parent_pool = _CLIENT.transport.pool_manager
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(queue,))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) == (100.0, True, 100.0)
    assert child.exitcode == 0
    assert _CLIENT.transport.pool_manager is parent_pool  # the parent keeps its own
    assert api.get_account_balance().balance == 100.0
