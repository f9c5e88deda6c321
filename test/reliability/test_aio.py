"""What only the asyncio client has to prove: many tasks on one client, cancellation, OAuth under
concurrent tasks, the asyncio batch and paging, the sandbox from async tests, and that the sync
SDK never loads aiohttp. (The fault cases shared with the synchronous client run against both in
test_hostile_server.py, test_sandbox_faults.py and test_read_limits.py.)"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from typing import Any, List

import pytest
from wire import Reply, trickle

import smscx_client
from smscx_client import exceptions as exc
from smscx_client.batch import BatchError, chunk_idempotency_id
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.transport import HttpRequest

pytest.importorskip("aiohttp")

from smscx_client.aio import (  # noqa: E402
    AsyncAccountApi,
    AsyncApiClient,
    AsyncOptoutsApi,
    AsyncSmsApi,
    aiter_items,
    aiter_pages,
    send_sms_batch,
)
from smscx_client.aio._transport import AiohttpTransport  # noqa: E402

BALANCE = {"balance": 12.5, "currency": "eur", "billing": "prepaid"}


class Recording:
    """The default transport, remembering every request it carried."""

    def __init__(self, config: smscx_client.Configuration) -> None:
        self.inner = AiohttpTransport(config)
        self.sent: List[HttpRequest] = []

    async def send(self, request: HttpRequest) -> Any:
        self.sent.append(request)
        return await self.inner.send(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture(autouse=True)
def pinned_jitter(mocker):
    mocker.patch("smscx_client._retry._jitter", return_value=1.0)


# -- load ----------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_1000_concurrent_sends_through_one_client(smscx_sandbox):
    sb = smscx_sandbox
    sb.control("POST", "account", {"balance": 1000})
    config = sb.configuration()
    transport = Recording(config)
    numbers = ["+3361{:07d}".format(i) for i in range(1000)]
    async with AsyncApiClient(config, transport=transport) as client:
        sms = AsyncSmsApi(client)
        gate = asyncio.Semaphore(100)

        async def send(number: str) -> Any:
            async with gate:
                return await sms.send_sms(SendSmsMessageRequest([number], "Brand", "Hello"))

        results = await asyncio.gather(*(send(n) for n in numbers))
    assert sorted(r.data[0].to for r in results) == numbers
    ids = [json.loads(r.body)["idempotencyId"] for r in transport.sent]
    assert len(ids) == 1000 and len(set(ids)) == 1000  # one attempt each, each its own id
    assert len(sb.messages) == 1000


# -- cancellation --------------------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.parametrize("head", [False, True], ids=["mid-body", "before-the-headers"])
async def test_a_cancelled_call_leaves_no_half_read_connection(wire, head):
    body = json.dumps(dict(BALANCE, pad="x" * 400)).encode()
    wire.reply(Reply(action=trickle(body, every=0.02, head=head)), BALANCE)
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20, max_retries=0)
    async with AsyncApiClient(config) as client:
        api = AsyncAccountApi(client)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(api.get_account_balance(), 0.3)
        # no retries: a pooled half-read connection would hand this call the rest of that body
        assert (await api.get_account_balance()).balance == 12.5
        connector = client.transport.session.connector  # type: ignore[attr-defined]
        assert sum(len(c) for c in connector._conns.values()) == 1  # only the clean one is pooled


@pytest.mark.asyncio
async def test_a_task_cancelled_while_waiting_to_retry_stops_there(wire, mocker):
    wire.reply(Reply(503, b"", {"Content-Type": "text/plain"}), BALANCE)
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20, retry_backoff=30)
    async with AsyncApiClient(config) as client:
        task = asyncio.ensure_future(AsyncAccountApi(client).get_account_balance())
        while not wire.requests:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(wire.requests) == 1


# -- OAuth ---------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_one_token_for_many_tasks(smscx_sandbox):
    sb = smscx_sandbox
    async with sb.async_api_client(username=sb.app_id, password=sb.app_secret) as client:
        api = AsyncAccountApi(client)
        balances = await asyncio.gather(*(api.get_account_balance() for _ in range(20)))
    assert [b.balance for b in balances] == [100.0] * 20
    assert len(sb.state.tokens) == 1  # fetched once, shared by every task


@pytest.mark.asyncio
async def test_a_401_seen_by_two_tasks_renews_once_for_both(wire):
    counts = {"token": 0, "old": 0}
    lock = threading.Lock()
    both_refused = threading.Event()

    def route(rec):
        if rec.path == "/oauth/token":
            with lock:
                counts["token"] += 1
                n = counts["token"]
            return Reply(200, {"access_token": "token-{}-xxxxxxxxxxxx".format(n), "expires_in": 3600, "token_type": "Bearer", "scope": "all"})
        if rec.headers.get("Authorization", "").startswith("Bearer token-1-"):
            with lock:
                counts["old"] += 1
                if counts["old"] == 2:
                    both_refused.set()
            both_refused.wait(5)  # both tasks get their 401 before either renews
            return Reply(401, {"error": {"type": "invalid_api_key", "code": 1001, "message": "expired", "uri": ""}})
        return Reply(200, {"balance": 1, "currency": "eur", "billing": "prepaid"})

    wire.route = route
    config = smscx_client.Configuration(host=wire.url, username="app", password="secret-secret")
    async with AsyncApiClient(config) as client:
        api = AsyncAccountApi(client)
        balances = await asyncio.gather(api.get_account_balance(), api.get_account_balance())
    assert [b.balance for b in balances] == [1, 1]
    assert counts == {"token": 2, "old": 2}  # the first token, then one renewal for both tasks


# -- batch and paging ----------------------------------------------------------------------------
NUMBERS = ["+336123456{:02d}".format(i) for i in range(25)]


@pytest.mark.asyncio
async def test_the_async_batch_sends_the_chunks_of_the_sync_one(smscx_sandbox):
    sb = smscx_sandbox
    seen: List[int] = []
    async with sb.async_api_client() as client:
        result = await send_sms_batch(
            client, NUMBERS + NUMBERS[:3], "Brand", "Sale", batch_id="job-a", chunk_size=10, concurrency=3,
            on_progress=lambda done, total, so_far: seen.append(done),
        )  # fmt: skip
    assert result.duplicates_removed == 3 and len(result.responses) == 3
    assert sorted(d.to for d in result.data) == sorted(NUMBERS) == sorted(m["to"] for m in sb.messages)
    assert seen == [1, 2, 3]
    # same batch id and recipients: the same requests as the synchronous batch, so a re-run by
    # either client replays instead of texting anyone twice
    from smscx_client.batch import send_sms_batch as sync_batch

    again = sync_batch(sb.api_client(), NUMBERS, "Brand", "Sale", batch_id="job-a", chunk_size=10)
    assert again.campaign_ids == result.campaign_ids and len(sb.messages) == 25
    assert chunk_idempotency_id("job-a", 0, sorted(NUMBERS)[:10])


@pytest.mark.asyncio
async def test_a_failed_chunk_stops_the_async_batch_and_a_rerun_completes_it(smscx_sandbox):
    sb = smscx_sandbox
    sb.fail_next("POST", "/sms", status=400, type="invalid_param", code=1008)
    async with sb.async_api_client(max_retries=0) as client:
        with pytest.raises(BatchError) as info:
            await send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="job-b", chunk_size=10, concurrency=1)
        assert info.value.chunk == 0 and info.value.result.responses == []
        result = await send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="job-b", chunk_size=10, concurrency=2)
    assert len(result.responses) == 3 and sorted(m["to"] for m in sb.messages) == sorted(NUMBERS)


@pytest.mark.asyncio
async def test_bad_batch_arguments_fail_before_sending(smscx_sandbox):
    async with smscx_sandbox.async_api_client() as client:
        with pytest.raises(smscx_client.ApiValueError, match="concurrency"):
            await send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="x", concurrency=0)
        with pytest.raises(smscx_client.ApiValueError, match="batch_id"):
            await send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="")
    assert smscx_sandbox.messages == []


def _page(ids, next_cursor):
    data = [
        {"id": i, "phoneNumber": "+3361234567{}".format(i), "countryIso": "FR", "type": "api", "createdAt": "2024-01-01 10:00:00"}
        for i in ids
    ]
    return {"info": {"totalOptouts": 5}, "data": data, "paging": {"next": next_cursor, "previous": None, "size": len(ids)}}


@pytest.mark.asyncio
async def test_aiter_items_and_pages_follow_the_cursors(wire):
    wire.reply(_page([1, 2], "c2"), _page([3, 4], "c3"), _page([5], None))
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20)
    async with AsyncApiClient(config) as client:
        api = AsyncOptoutsApi(client)
        assert [o.id async for o in aiter_items(api.get_optouts_list, limit=2)] == [1, 2, 3, 4, 5]
        assert [dict(r.query) for r in wire.requests] == [{"limit": "2"}, {"limit": "2", "next": "c2"}, {"limit": "2", "next": "c3"}]
        wire.reply(_page([1], "same"), _page([2], "same"), _page([3], "same"))
        assert len([p async for p in aiter_pages(api.get_optouts_list)]) == 2
        wire.reply(_page([1], "a"), _page([2], "b"))
        assert len([p async for p in aiter_pages(api.get_optouts_list, max_pages=1)]) == 1


# -- the sandbox in async tests ------------------------------------------------------------------
@pytest.mark.asyncio
@pytest.mark.smscx_sandbox(in_process=True)
async def test_an_in_process_sandbox_serves_the_async_client(smscx_sandbox):
    sb = smscx_sandbox
    async with sb.async_api_client() as client:
        result = await AsyncSmsApi(client).send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hi"))
        assert not isinstance(client.transport, AiohttpTransport)
    sb.advance(60)
    assert [m["msgId"] for m in sb.messages] == [result.data[0].msg_id]


@pytest.mark.asyncio
async def test_the_otp_flow_in_an_async_test(smscx_sandbox):
    from smscx_client.aio import AsyncOtpApi
    from smscx_client.model.new_otp_request import NewOtpRequest

    sb = smscx_sandbox
    async with sb.async_api_client() as client:
        otp = AsyncOtpApi(client)
        created = await otp.new_otp(
            NewOtpRequest(phone_number="+33612345678", _from="Brand", template="Your code is {{pin}}", pin_length=6)
        )
        pin = sb.last_pin("+33612345678")
        with pytest.raises(exc.InvalidPinException):
            await otp.verify_otp(created.otp_id, "000000" if pin != "000000" else "111111")
        verified = await otp.verify_otp(created.otp_id, pin)
    assert verified.status == "VERIFIED"


# -- imports ---------------------------------------------------------------------------------------
def test_the_sync_sdk_never_loads_aiohttp():
    code = (
        "import sys, smscx_client, smscx_client.apis, smscx_client.batch, smscx_client.pagination\n"
        "smscx_client.ApiClient()\n"
        "assert 'aiohttp' not in sys.modules, 'sync'\n"
        "import smscx_client.aio\n"
        "assert 'aiohttp' not in sys.modules, 'aio import'\n"
        "smscx_client.aio.AsyncApiClient()\n"
        "assert 'aiohttp' in sys.modules, 'first client'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_a_repr_shows_no_credentials():
    client = AsyncApiClient(smscx_client.Configuration(api_key="secret-key-0123456789abcdef"), transport=Recording(smscx_client.Configuration()))
    assert "secret" not in repr(client) and "0123456789" not in repr(client)
    assert time.monotonic()  # the client made no request


# -- the controls of the shared core: hooks, with_options, the client-side rate limit -----------
@pytest.mark.asyncio
async def test_hooks_see_the_attempts_of_an_async_call(wire, mocker):
    events: List[Any] = []
    wire.reply(Reply(503, b"", {"Content-Type": "text/plain"}), BALANCE)
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20, retry_backoff=0.01)
    async with AsyncApiClient(config) as client:
        for event in ("request", "response", "retry", "error"):
            client.add_hook(event, lambda info: events.append((info.event, info.attempt, info.status)))
        assert (await AsyncAccountApi(client).get_account_balance()).balance == 12.5
    assert events == [("request", 1, None), ("response", 1, 503), ("retry", 1, None), ("request", 2, None), ("response", 2, 200)]
    assert "k" * 20 not in repr(events)


@pytest.mark.asyncio
async def test_with_options_shares_the_connections_and_closes_nothing(wire):
    wire.reply(Reply(503, b"", {"Content-Type": "text/plain"}), Reply(503, b"", {"Content-Type": "text/plain"}), BALANCE)
    config = smscx_client.Configuration(host=wire.url, api_key="k" * 20, retry_backoff=0.01)
    async with AsyncApiClient(config) as client:
        strict = client.with_options(max_retries=0)
        with pytest.raises(exc.ServerErrorException) as info:
            await AsyncAccountApi(strict).get_account_balance()
        assert info.value.attempts == 1 and client.configuration.max_retries == 2
        await strict.aclose()  # a copy's aclose leaves the connections to the client it came from
        assert strict.transport is client.transport
        assert (await AsyncAccountApi(client).get_account_balance()).balance == 12.5  # one 503, then the answer


@pytest.mark.asyncio
@pytest.mark.smscx_sandbox(rate_limit=(12, 0.5))
async def test_the_rate_limit_keeps_many_tasks_under_the_account_limit(smscx_sandbox):
    from smscx_client.aio import AsyncNumbersApi

    # max_retries=0: a single 429 would surface as an error
    async with smscx_sandbox.async_api_client(rate_limit=(12, 0.5), max_retries=0) as client:
        api = AsyncNumbersApi(client)
        results = await asyncio.gather(*(api.validate_number("+33612345678") for _ in range(40)), return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []


@pytest.mark.asyncio
async def test_async_api_classes_have_with_options_and_raw_responses(smscx_sandbox):
    from smscx_client.aio import AsyncSmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    request = SendSmsMessageRequest(to=["+33612345678"], _from="Brand", text="Hello")
    async with smscx_sandbox.async_api_client() as client:
        sms = AsyncSmsApi(client)
        raw = await sms.with_raw_response.send_sms(request)
        assert isinstance(raw, smscx_client.ApiResponse) and raw.status == 200
        assert raw.request_id and raw.idempotency_id and raw.data.info.total_valid == 1
        assert smscx_client.get_request_id(raw.data) == raw.request_id
        plain = sms.with_options(auto_idempotency=False, headers={"X-Trace": "t-1"})
        assert type(plain) is AsyncSmsApi and plain.api_client is not client
        assert (await plain.with_raw_response.send_sms(request)).idempotency_id is None
        with pytest.raises(smscx_client.ApiTypeError, match="does not take _preload_content"):
            await sms.with_raw_response.send_sms(request, _preload_content=False)
    assert client.configuration.auto_idempotency is True


@pytest.mark.asyncio
async def test_tasks_waiting_for_the_rate_limit_hold_no_thread_and_cancel_cleanly(smscx_sandbox):
    from concurrent.futures import ThreadPoolExecutor

    from smscx_client.aio import AsyncNumbersApi

    loop = asyncio.get_running_loop()
    executor = ThreadPoolExecutor(max_workers=1)  # what aiohttp's DNS lookups would wait for
    loop.set_default_executor(executor)
    async with smscx_sandbox.async_api_client(rate_limit=(2, 60.0)) as client:
        api = AsyncNumbersApi(client)
        calls = [asyncio.ensure_future(api.validate_number("+33612345678")) for _ in range(10)]
        done, waiting = await asyncio.wait(calls, return_when=asyncio.FIRST_COMPLETED)
        # eight calls wait for a window a minute away, and the loop's only worker thread is free
        assert await asyncio.wait_for(loop.run_in_executor(None, lambda: "free"), 10) == "free"
        await asyncio.wait(calls, timeout=0.2)
        assert sum(c.done() for c in calls) == 2
        for c in calls:
            c.cancel()
        await asyncio.gather(*calls, return_exceptions=True)
        throttle = client._throttle_for((2, 60.0))
        assert throttle._running == 0 and len(throttle._finished) == 2  # the cancelled waits took nothing
