"""The sandbox under a parallel test suite's load: 64 concurrent connections x 20 one-number
``send_sms``, through the SDK and on raw sockets with a new connection per request. No
connection may be reset or refused, and the account must add up to the cent afterwards."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from decimal import Decimal
from typing import Any, Callable, List, Tuple

from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

THREADS = 64
SENDS = 20
NUMBER = "+33612345678"


def _run(worker: Callable[[int], List[Tuple[str, Decimal]]]) -> Tuple[List[Tuple[str, Decimal]], List[str]]:
    """Start ``THREADS`` workers at once; (every (msgId, cost) they got, every failure)."""
    start = threading.Barrier(THREADS)
    sent: List[Tuple[str, Decimal]] = []
    failures: List[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        start.wait()
        try:
            got = worker(n)
        except Exception as exc:  # collected: a reset or refused connection is what this test is about
            with lock:
                failures.append(repr(exc))
            return
        with lock:
            sent.extend(got)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return sent, failures


def _check_account(sb: Any, sent: List[Tuple[str, Decimal]]) -> None:
    assert len(sent) == THREADS * SENDS == 1280
    ids = {msg_id for msg_id, _ in sent}
    assert len(ids) == len(sent)
    assert {m["msgId"] for m in sb.messages} == ids
    assert Decimal(100) - Decimal(str(sb.balance)) == sum(cost for _, cost in sent) == Decimal("0.045") * 1280


def test_64_connections_through_the_sdk_see_no_reset(smscx_sandbox: Any) -> None:
    sb = smscx_sandbox

    def worker(n: int) -> List[Tuple[str, Decimal]]:
        # each thread its own client, so its own new connections; no retry may hide a reset
        api = SmsApi(sb.api_client(max_retries=0))
        out = []
        for i in range(SENDS):
            res = api.send_sms(SendSmsMessageRequest([NUMBER], "Brand", "Load {} {}".format(n, i)))
            assert res.info.total_phone_numbers == 1
            out.append((res.data[0].msg_id, Decimal(str(res.data[0].cost))))
        return out

    sent, failures = _run(worker)
    assert failures == []
    _check_account(sb, sent)


def test_64_threads_opening_a_connection_per_request_see_no_reset(smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    host, port = sb.url.split("//")[1].rsplit(":", 1)

    def worker(n: int) -> List[Tuple[str, Decimal]]:
        out = []
        for i in range(SENDS):
            body = {"to": [NUMBER], "from": "Brand", "text": "Raw {} {}".format(n, i), "idempotencyId": str(uuid.uuid4())}
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                conn.request("POST", "/sms", body=json.dumps(body),
                             headers={"X-API-KEY": sb.api_key, "Content-Type": "application/json", "Connection": "close"})
                resp = conn.getresponse()
                assert resp.status == 200, resp.read()
                item = json.loads(resp.read())["data"][0]
            finally:
                conn.close()
            out.append((item["msgId"], Decimal(str(item["cost"]))))
        return out

    sent, failures = _run(worker)
    assert failures == []
    _check_account(sb, sent)
