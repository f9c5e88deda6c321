"""send_sms_batch: duplicates removed, chunks of at most 25,000 (here smaller), idempotency ids
derived from the batch id, and a crashed batch re-run without texting anyone twice."""

from __future__ import annotations

from collections import Counter

import pytest

from smscx_client import ApiValueError
from smscx_client.batch import BatchError, chunk_idempotency_id, send_sms_batch

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
    assert result.total_cost == sum(__import__("decimal").Decimal(str(m["cost"])) for m in sb.messages)
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
