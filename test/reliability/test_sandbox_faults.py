"""Faults injected by the sandbox: for every send, the outbox shows each message exactly once."""

from __future__ import annotations

import time

import pytest

from smscx_client import exceptions as exc
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

NUMBER = "+33612345678"


@pytest.fixture(autouse=True)
def pinned_jitter(mocker):
    mocker.patch("smscx_client._retry._jitter", return_value=1.0)


def _sms_api(sdk, sb, **settings):
    """``SmsApi`` of the ``sdk`` fixture's flavour (the tests taking it run with both clients)."""
    settings.setdefault("retry_backoff", 0.01)
    return sdk.api(SmsApi, sb.configuration(**settings))


def _send(api):
    return api.send_sms(SendSmsMessageRequest([NUMBER], "Brand", "Your code is 1234"))


@pytest.mark.parametrize("fault", ["drop", "truncated", "html-502"])
def test_send_survives_a_fault_and_is_sent_once(sdk, smscx_sandbox, fault):
    sb = smscx_sandbox
    balance = sb.balance
    sb.fail_next("POST", "/sms", fault=fault)
    result = _send(_sms_api(sdk, sb))
    assert result.info.total_phone_numbers == 1
    outbox = [m for m in sb.messages if m["to"] == NUMBER]
    assert len(outbox) == 1
    assert outbox[0]["msgId"] == result.data[0].msg_id
    assert sb.balance == pytest.approx(balance - outbox[0]["cost"])


def test_send_survives_a_stall_past_the_read_timeout(sdk, smscx_sandbox):
    sb = smscx_sandbox
    sb.fail_next("POST", "/sms", fault="stall")
    started = time.monotonic()
    result = _send(_sms_api(sdk, sb, timeout=(5, 0.5)))
    assert time.monotonic() - started < 5
    assert [m["msgId"] for m in sb.messages] == [result.data[0].msg_id]


def test_send_survives_an_injected_503(sdk, smscx_sandbox):
    sb = smscx_sandbox
    sb.fail_next("POST", "/sms", status=503, type="server_error", code=5000)
    _send(_sms_api(sdk, sb))
    assert len(sb.messages) == 1


def test_a_send_that_keeps_failing_leaves_one_message_and_the_id_to_retry_with(sdk, smscx_sandbox):
    sb = smscx_sandbox
    for _ in range(3):
        sb.fail_next("POST", "/sms", fault="drop")
    api = _sms_api(sdk, sb)
    with pytest.raises(exc.ApiConnectionError) as info:
        _send(api)
    assert info.value.attempts == 3
    assert len(sb.messages) == 1  # the first attempt was processed before the connection dropped
    # the caller retries later with the id from the exception: still one message
    again = SendSmsMessageRequest([NUMBER], "Brand", "Your code is 1234", idempotency_id=info.value.idempotency_id)
    result = api.send_sms(again)
    assert len(sb.messages) == 1
    assert result.data[0].msg_id == sb.messages[0]["msgId"]


def test_non_idempotent_post_is_not_retried_after_a_drop(sdk, smscx_sandbox):
    sb = smscx_sandbox
    sb.fail_next("POST", "/groups", fault="drop")
    api = sdk.api(GroupsApi, sb.configuration(retry_backoff=0.01))
    with pytest.raises(exc.ApiConnectionError) as info:
        api.create_group(NewGroupRequest(name="Customers"))
    assert info.value.attempts == 1
    assert [g.name for g in api.get_groups_list().data] == ["Customers"]  # created once


def test_rate_limit_with_the_sandbox(mocker):
    from smscx_client.api.account_api import AccountApi
    from smscx_client.sandbox import Sandbox

    with Sandbox(rate_limit=(3, 1.0)) as sb:
        api = AccountApi(sb.api_client(max_rate_limit_wait=5))
        started = time.monotonic()
        for _ in range(5):
            api.get_account_balance()  # the 4th waits for the window to reset, then succeeds
        assert time.monotonic() - started < 4
        strict = AccountApi(sb.api_client(max_rate_limit_wait=0))
        for _ in range(3):
            try:
                strict.get_account_balance()
            except exc.RateLimitExcedeedException as e:
                assert e.rate_limit_reset is not None
                assert e.headers["X-Rate-Limit-Remaining"] == "0"
                break
        else:
            pytest.fail("the rate limit never triggered")
