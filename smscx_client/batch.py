"""Send one text to any number of recipients, safely re-runnable.

``send_sms_batch`` removes duplicate numbers, sorts the rest and splits them into requests of at
most 25,000 (the API's limit); each request gets an ``idempotencyId`` derived from your
``batch_id`` and the numbers it carries. Running the same batch again after a crash (same
``batch_id``, same recipients, in any order) replays the chunks that were already accepted
instead of sending them again. Change the recipients and the chunks that changed are new
requests: give a changed batch a new ``batch_id`` only if nobody in it was texted yet::

    from smscx_client.batch import send_sms_batch

    def progress(done: int, total: int, so_far: BatchResult) -> None:
        print("chunk {}/{}: {} numbers sent".format(done, total, so_far.info.total_valid))

    result = send_sms_batch(
        client, numbers, "MyBrand", "Sale ends tonight", batch_id="2024-06-sale", on_progress=progress
    )
    print(result.info.total_cost, result.info.total_valid, result.info.campaign_ids)

``result.info`` sums the chunks' ``info`` blocks under the names and types of a single send's
(``total_cost`` is a ``float``); ``result.exact_total_cost`` is the same sum as a ``Decimal``.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Tuple

from smscx_client.api_client import ApiClient
from smscx_client.exceptions import ApiException, ApiValueError

if TYPE_CHECKING:
    from smscx_client.model.data_sms import DataSms
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
    from smscx_client.model.send_sms_message_response import SendSmsMessageResponse

__all__ = [
    "MAX_NUMBERS_PER_REQUEST",
    "BatchInfo",
    "BatchResult",
    "BatchError",
    "ProgressCallback",
    "send_sms_batch",
    "chunk_idempotency_id",
]

MAX_NUMBERS_PER_REQUEST = 25000
_NAMESPACE = uuid.UUID("5b0c5a52-6f53-4c1e-9b8e-2a4f3e7f6c10")  # fixed: ids must not change between runs


def chunk_idempotency_id(batch_id: str, index: int, numbers: List[str]) -> str:
    """The idempotency id of a chunk: its batch, position and exact recipients (stable across runs)."""
    digest = hashlib.sha256("\n".join(numbers).encode("utf-8")).hexdigest()
    return str(uuid.uuid5(_NAMESPACE, "{}:{}:{}".format(batch_id, index, digest)))


@dataclass(frozen=True)
class BatchInfo:
    """The chunks' ``info`` blocks summed, under the names and types of a single send's ``info``."""

    campaign_ids: List[str]
    """The campaign id of each chunk, in sending order (a single send has one ``campaign_id``)."""
    total_phone_numbers: int
    """Numbers sent to the API (after duplicates were removed)."""
    total_valid: int
    """Numbers the API accepted."""
    total_invalid: int
    """Numbers the API rejected (with ``allow_invalid=True``; otherwise a chunk fails instead)."""
    total_cost: float
    """The cost of every chunk, as a send's ``info.total_cost`` (``BatchResult.exact_total_cost``
    has it as a ``Decimal``)."""
    total_parts: int
    """Message parts over all chunks."""
    invalid: List[str]
    """The numbers the API rejected."""


@dataclass
class BatchResult:
    """The combined answer of every chunk of a batch: ``info`` sums them, ``data`` lists every recipient."""

    batch_id: str
    responses: List["SendSmsMessageResponse"] = field(default_factory=list)  # one per accepted chunk
    duplicates_removed: int = 0

    @property
    def info(self) -> BatchInfo:
        """The chunks' ``info`` summed, with the field names and types of a single send's."""
        infos = [r.info for r in self.responses]
        return BatchInfo(
            campaign_ids=[i.campaign_id for i in infos],
            total_phone_numbers=sum(int(i.total_phone_numbers) for i in infos),
            total_valid=sum(int(i.total_valid) for i in infos),
            total_invalid=sum(int(i.total_invalid) for i in infos),
            total_cost=float(self.exact_total_cost),
            total_parts=sum(int(i.total_parts) for i in infos),
            invalid=[n for i in infos for n in (i.get("invalid") or [])],
        )

    @property
    def data(self) -> List["DataSms"]:
        """Every recipient's entry (``DataSms``), chunk after chunk."""
        return [item for r in self.responses for item in r.data]

    @property
    def campaign_ids(self) -> List[str]:
        """The campaign id of each chunk (``info.campaign_ids``)."""
        return self.info.campaign_ids

    @property
    def total_cost(self) -> float:
        """Sum of the chunks' costs, a ``float`` as a send's ``info.total_cost`` (``info.total_cost``)."""
        return self.info.total_cost

    @property
    def exact_total_cost(self) -> Decimal:
        """Sum of the chunks' costs as a ``Decimal``, added up from the amounts the API wrote."""
        return sum((Decimal(str(r.info.total_cost)) for r in self.responses), Decimal("0"))

    @property
    def total_parts(self) -> int:
        """Sum of the chunks' message parts (``info.total_parts``)."""
        return self.info.total_parts

    @property
    def invalid(self) -> List[str]:
        """Numbers the API reported invalid, with ``allow_invalid=True`` (``info.invalid``)."""
        return self.info.invalid


#: ``on_progress(done_chunks, total_chunks, result_so_far)``, called after each accepted chunk.
ProgressCallback = Callable[[int, int, BatchResult], None]


class BatchError(ApiException):
    """A chunk failed; ``result`` holds the chunks that succeeded, ``chunk`` the failed index.

    Re-run the batch with the same ``batch_id`` and recipients: accepted chunks are replayed,
    not sent again.
    """

    def __init__(self, cause: ApiException, result: BatchResult, chunk: int) -> None:
        super().__init__(status=cause.status, reason=cause.reason)
        for name in ("body", "headers", "error_type", "error_code", "error_message", "invalid", "rate_limit_reset", "request_id", "attempts", "idempotency_id"):
            setattr(self, name, getattr(cause, name))
        self.result = result
        self.chunk = chunk

    def __str__(self) -> str:
        return "chunk {} of batch {!r} failed after {} chunk(s) succeeded: {}".format(
            self.chunk, self.result.batch_id, len(self.result.responses), super().__str__()
        )


def _unique(numbers: Iterable[str]) -> List[str]:
    seen = set()
    out = []
    for n in numbers:
        if not isinstance(n, str):
            raise ApiValueError("Every recipient must be a str, got {}".format(type(n).__name__))
        key = n.strip().replace(" ", "")
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    # the same recipients in any order make the same chunks, hence the same idempotency ids
    return sorted(out)


def _plan(
    to: Iterable[str], _from: str, text: str, batch_id: str, chunk_size: int, fields: Dict[str, Any]
) -> Tuple[BatchResult, List["SendSmsMessageRequest"]]:
    """The empty result and every chunk's request, each with its idempotency id; bad arguments
    fail here, before anything is sent (both the synchronous and the asyncio batch start here)."""
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    if not batch_id or not isinstance(batch_id, str):
        raise ApiValueError("`batch_id` must be a non-empty str that stays the same when you re-run the batch")
    if not 1 <= chunk_size <= MAX_NUMBERS_PER_REQUEST:
        raise ApiValueError("`chunk_size` must be between 1 and {}".format(MAX_NUMBERS_PER_REQUEST))
    if "idempotency_id" in fields:
        raise ApiValueError("`idempotency_id` is derived from `batch_id`; do not pass it")
    raw = list(to)
    numbers = _unique(raw)
    if not numbers:
        raise ApiValueError("`to` has no phone number")
    result = BatchResult(batch_id, duplicates_removed=len(raw) - len(numbers))
    # build every request before sending anything: a bad field fails before the first send
    chunks = [numbers[start : start + chunk_size] for start in range(0, len(numbers), chunk_size)]
    requests = [
        SendSmsMessageRequest(chunk, _from, text, idempotency_id=chunk_idempotency_id(batch_id, index, chunk), **fields)
        for index, chunk in enumerate(chunks)
    ]
    return result, requests


def send_sms_batch(
    client: ApiClient,
    to: Iterable[str],
    _from: str,
    text: str,
    batch_id: str,
    chunk_size: int = MAX_NUMBERS_PER_REQUEST,
    on_progress: Optional[ProgressCallback] = None,
    **fields: Any,
) -> BatchResult:
    """Send ``text`` to every number in ``to``, in idempotent chunks; see the module docstring.

    Args:
        client: the ``ApiClient`` to send with.
        to: recipients (E.164, or national with ``country_iso``); duplicates are dropped.
        _from: the sender name.
        text: the message.
        batch_id: your stable name for this batch (e.g. a job id); re-use it to resume.
        chunk_size: numbers per request, 1 to 25,000.
        on_progress: called as ``on_progress(done_chunks, total_chunks, result_so_far)`` after
            each chunk is accepted (or replayed); an exception it raises stops the batch there
            (re-run it with the same ``batch_id`` to go on).
        **fields: other ``SendSmsMessageRequest`` fields (``country_iso``, ``dlr_callback_url``,
            ``allow_invalid``, ``scheduled_date``...). ``idempotency_id`` is set per chunk.

    Raises:
        BatchError: a chunk failed; its ``result`` has the chunks that succeeded.
        ApiValueError: bad arguments (nothing was sent).
    """
    from smscx_client.api.sms_api import SmsApi

    result, requests = _plan(to, _from, text, batch_id, chunk_size, fields)
    api = SmsApi(client)
    for index, request in enumerate(requests):
        try:
            result.responses.append(api.send_sms(request))
        except ApiException as exc:
            raise BatchError(exc, result, index) from exc
        if on_progress is not None:
            on_progress(index + 1, len(requests), result)
    return result

