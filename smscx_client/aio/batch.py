"""``send_sms_batch`` for asyncio: the batch of ``smscx_client.batch``, its chunks sent concurrently.

::

    from smscx_client.aio import send_sms_batch

    result = await send_sms_batch(client, numbers, "MyBrand", "Sale ends tonight", batch_id="2024-06-sale")

The chunks, their idempotency ids, the checks and the result are those of the synchronous
``smscx_client.batch.send_sms_batch`` (same ``batch_id``, same recipients: same requests, so a
re-run replays what was accepted, whichever client sent it). At most ``concurrency`` chunks are
in flight at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional

from smscx_client.batch import MAX_NUMBERS_PER_REQUEST, BatchError, BatchResult, ProgressCallback, _plan
from smscx_client.exceptions import ApiException, ApiValueError

if TYPE_CHECKING:
    from smscx_client.aio._client import AsyncApiClient
    from smscx_client.model.send_sms_message_response import SendSmsMessageResponse

__all__ = ["send_sms_batch"]


async def send_sms_batch(
    client: "AsyncApiClient",
    to: Iterable[str],
    _from: str,
    text: str,
    batch_id: str,
    chunk_size: int = MAX_NUMBERS_PER_REQUEST,
    on_progress: Optional[ProgressCallback] = None,
    concurrency: int = 4,
    **fields: Any,
) -> BatchResult:
    """Send ``text`` to every number in ``to``, in idempotent chunks, ``concurrency`` at a time.

    Args:
        client: the ``AsyncApiClient`` to send with.
        to: recipients (E.164, or national with ``country_iso``); duplicates are dropped.
        _from: the sender name.
        text: the message.
        batch_id: your stable name for this batch (e.g. a job id); re-use it to resume.
        chunk_size: numbers per request, 1 to 25,000.
        on_progress: called as ``on_progress(done_chunks, total_chunks, result_so_far)`` after
            each chunk is accepted (or replayed); an exception it raises stops the batch (no
            further chunk starts; re-run it with the same ``batch_id`` to go on).
        concurrency: chunks in flight at once, at least 1.
        **fields: other ``SendSmsMessageRequest`` fields; ``idempotency_id`` is set per chunk.

    Returns:
        The ``BatchResult``: ``responses`` in chunk order.

    Raises:
        BatchError: a chunk failed (the first in chunk order); its ``result`` has the chunks that
            succeeded. Chunks already in flight finish first; none starts after a failure.
        ApiValueError: bad arguments (nothing was sent).
    """
    from smscx_client.aio.api.sms_api import AsyncSmsApi

    if not isinstance(concurrency, int) or concurrency < 1:
        raise ApiValueError("`concurrency` must be an int >= 1")
    result, requests = _plan(to, _from, text, batch_id, chunk_size, fields)
    api = AsyncSmsApi(client)
    done: Dict[int, "SendSmsMessageResponse"] = {}
    failures: Dict[int, ApiException] = {}
    stop: List[BaseException] = []  # an exception of on_progress
    gate = asyncio.Semaphore(concurrency)

    async def send(index: int) -> None:
        async with gate:
            if failures or stop:
                return  # the batch already failed: start nothing new
            try:
                answer = await api.send_sms(requests[index])
            except ApiException as exc:
                failures[index] = exc
                return
            done[index] = answer
            result.responses = [done[i] for i in sorted(done)]
            if on_progress is not None and not stop:
                try:
                    on_progress(len(done), len(requests), result)
                except BaseException as exc:  # re-raised below, once the chunks in flight ended
                    stop.append(exc)

    await asyncio.gather(*(send(i) for i in range(len(requests))))
    result.responses = [done[i] for i in sorted(done)]
    if stop:
        raise stop[0]
    if failures:
        first = min(failures)
        raise BatchError(failures[first], result, first) from failures[first]
    return result
