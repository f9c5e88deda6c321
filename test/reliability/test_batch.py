"""send_sms_batch: duplicates removed, chunks of at most 25,000 (here smaller), idempotency ids
derived from the batch id, and a crashed batch re-run without texting anyone twice."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import List, Tuple

import pytest

from smscx_client import ApiValueError
from smscx_client.api.sms_api import SmsApi
from smscx_client.batch import BatchError, BatchInfo, BatchResult, chunk_idempotency_id, send_sms_batch
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

NUMBERS = ["+336123456{:02d}".format(i) for i in range(25)]


@pytest.fixture(autouse=True)
def pinned_jitter(mocker):
    mocker.patch("smscx_client._retry._jitter", return_value=1.0)


def test_duplicates_removed_and_chunks_combined(smscx_sandbox):
    sb = smscx_sandbox
    raw = NUMBERS + NUMBERS[:5] + [" +33612345600 "]
    result = send_sms_batch(sb.api_client(), raw, "Brand", "Sale", batch_id="job-1", chunk_size=10)
    assert result.duplicates_removed == 6
    assert len(result.responses) == 3  # 10 + 10 + 5
    assert sorted(d.to for d in result.data) == sorted(NUMBERS)
    assert len(set(result.campaign_ids)) == 3
    assert result.exact_total_cost == sum(Decimal(str(m["cost"])) for m in sb.messages)
    assert Counter(m["to"] for m in sb.messages) == Counter(NUMBERS)


def test_info_sums_the_chunks_with_the_names_and_types_of_a_send(smscx_sandbox):
    sb = smscx_sandbox
    client = sb.api_client()
    invalid = ["+331", "12"]
    result = send_sms_batch(
        client, NUMBERS + invalid, "Brand", "Sale", batch_id="job-info", chunk_size=10, allow_invalid=True
    )
    info = result.info
    assert isinstance(info, BatchInfo)
    assert info.campaign_ids == [r.info.campaign_id for r in result.responses] and len(info.campaign_ids) == 3
    assert (info.total_phone_numbers, info.total_valid, info.total_invalid) == (27, 25, 2)
    assert sorted(info.invalid) == sorted(invalid)
    assert info.total_parts == sum(m["parts"] for m in sb.messages) == 25
    # a float, as a send's info.total_cost, equal to the exact sum rounded once (not float sums)
    assert type(info.total_cost) is float and type(result.total_cost) is float
    assert info.total_cost == float(sum(Decimal(str(m["cost"])) for m in sb.messages)) == 1.125
    assert isinstance(result.exact_total_cost, Decimal) and result.exact_total_cost == Decimal("1.125")
    # the same names a single send's info has, with the same types
    single = SmsApi(client).send_sms(SendSmsMessageRequest(["+33612345699"], "Brand", "Sale")).info
    for name in ("total_phone_numbers", "total_valid", "total_invalid", "total_cost", "total_parts"):
        assert type(getattr(info, name)) is type(getattr(single, name)), name
    assert (result.campaign_ids, result.total_parts, result.invalid) == (info.campaign_ids, 25, info.invalid)


def test_progress_is_reported_after_each_chunk(smscx_sandbox):
    sb = smscx_sandbox
    seen: List[Tuple[int, int, int, int]] = []

    def progress(done: int, total: int, so_far: BatchResult) -> None:
        seen.append((done, total, len(so_far.responses), so_far.info.total_valid))

    result = send_sms_batch(sb.api_client(), NUMBERS, "Brand", "Sale", batch_id="job-p", chunk_size=10, on_progress=progress)
    assert seen == [(1, 3, 1, 10), (2, 3, 2, 20), (3, 3, 3, 25)]
    assert result.info.total_valid == 25


def test_a_progress_callback_that_raises_stops_the_batch(smscx_sandbox):
    sb = smscx_sandbox

    class Stop(Exception):
        pass

    def stop_after_first(done: int, total: int, so_far: BatchResult) -> None:
        raise Stop()

    with pytest.raises(Stop):
        send_sms_batch(sb.api_client(), NUMBERS, "Brand", "Sale", batch_id="job-s", chunk_size=10, on_progress=stop_after_first)
    assert len(sb.messages) == 10  # only the first chunk went out
    # re-run without the callback: chunk 0 is replayed, the others sent once
    send_sms_batch(sb.api_client(), NUMBERS, "Brand", "Sale", batch_id="job-s", chunk_size=10)
    assert Counter(m["to"] for m in sb.messages) == Counter(NUMBERS)


def test_ids_are_stable_per_batch_chunk_and_recipients():
    a, b = ["+33612345600"], ["+33612345601"]
    assert chunk_idempotency_id("job-1", 0, a) == chunk_idempotency_id("job-1", 0, a)
    assert chunk_idempotency_id("job-1", 0, a) != chunk_idempotency_id("job-1", 1, a)
    assert chunk_idempotency_id("job-1", 0, a) != chunk_idempotency_id("job-2", 0, a)
    assert chunk_idempotency_id("job-1", 0, a) != chunk_idempotency_id("job-1", 0, b)


def test_a_rerun_in_another_order_texts_nobody_twice(smscx_sandbox):
    sb = smscx_sandbox
    client = sb.api_client()
    send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="job-4", chunk_size=10)
    send_sms_batch(client, list(reversed(NUMBERS)), "Brand", "Sale", batch_id="job-4", chunk_size=10)
    assert Counter(m["to"] for m in sb.messages) == Counter(NUMBERS)


def _set_balance(sb, amount):
    from smscx_client.sandbox.state import money

    with sb.state.lock:
        sb.state.account.balance = money(amount)


def test_a_crashed_batch_rerun_sends_each_number_once(smscx_sandbox):
    sb = smscx_sandbox
    _set_balance(sb, "0.50")  # pays chunk 0 (10 x 0.045), not chunk 1
    client = sb.api_client()
    with pytest.raises(BatchError) as info:
        send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="job-2", chunk_size=10)
    assert info.value.chunk == 1 and len(info.value.result.responses) == 1
    assert info.value.error_type == "insufficient_credit"
    assert info.value.idempotency_id == chunk_idempotency_id("job-2", 1, sorted(NUMBERS)[10:20])
    first_campaign = info.value.result.campaign_ids[0]
    assert len(sb.messages) == 10
    _set_balance(sb, "50")
    # re-run: chunk 0 is replayed (same answer, not sent again), chunks 1 and 2 are sent
    again = send_sms_batch(client, NUMBERS, "Brand", "Sale", batch_id="job-2", chunk_size=10)
    assert again.campaign_ids[0] == first_campaign
    assert Counter(m["to"] for m in sb.messages) == Counter(NUMBERS)
    assert sb.balance == pytest.approx(50 - 15 * 0.045)


def test_a_dropped_chunk_is_retried_under_its_own_id(smscx_sandbox, mocker):
    sb = smscx_sandbox
    sb.fail_next("POST", "/sms", fault="drop")  # chunk 0 is processed, its answer lost
    result = send_sms_batch(sb.api_client(retry_backoff=0.01), NUMBERS, "Brand", "Sale", batch_id="job-3", chunk_size=10)
    assert len(result.responses) == 3
    assert Counter(m["to"] for m in sb.messages) == Counter(NUMBERS)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"batch_id": ""}, "batch_id"),
        ({"batch_id": "x", "chunk_size": 0}, "chunk_size"),
        ({"batch_id": "x", "chunk_size": 25001}, "chunk_size"),
        ({"batch_id": "x", "idempotency_id": "0b0e6c86-5b87-4d3c-9f3a-0d5e8a1f2c33"}, "idempotency_id"),
    ],
)
def test_bad_arguments_fail_before_sending(smscx_sandbox, kwargs, message):
    with pytest.raises(ApiValueError, match=message):
        send_sms_batch(smscx_sandbox.api_client(), NUMBERS, "Brand", "Sale", **kwargs)
    assert smscx_sandbox.messages == []


def test_a_bad_field_fails_before_the_first_chunk(smscx_sandbox):
    with pytest.raises(ApiValueError, match="country_iso"):
        send_sms_batch(smscx_sandbox.api_client(), NUMBERS, "Brand", "Sale", batch_id="x", chunk_size=10, country_iso="FRA")
    assert smscx_sandbox.messages == []


def test_the_readme_batch_snippet_runs(smscx_sandbox, capsys):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    part = readme.split("* **Large batches.**", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    code = "\n".join(line[2:] for line in part.splitlines())  # the block is indented in a list item
    exec(code, {"client": smscx_sandbox.api_client(), "numbers": NUMBERS})  # noqa: S102 - the README's own example
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1/1 chunks, 25 numbers, 1.125"
    assert lines[1].startswith("25 1.125 ['")
