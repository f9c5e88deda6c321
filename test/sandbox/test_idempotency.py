"""Idempotent sends: a replay is keyed by operation and ``idempotencyId`` and must be the same
request (compared as parsed JSON); the same id with another request is refused with 1117, and
concurrent duplicates run once."""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import pytest
from support import FR_MOBILE, FR_MOBILE_2, SMS_FR, api_fixture, balance, expect_error, inbound, raw_call

from smscx_client.api.conversations_api import ConversationsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.exceptions import InvalidRequestException
from smscx_client.model.conversation_reply_sms_request import ConversationReplySmsRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

sms = api_fixture(SmsApi)
conversations = api_fixture(ConversationsApi)
CONFLICT = 1117


def _post(sb: Any, path: str, raw: bytes) -> Tuple[int, Dict[str, str], Any]:
    """POST bytes as they are, on a new connection."""
    host, port = sb.url.split("//")[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("POST", path, body=raw, headers={"X-API-KEY": sb.api_key, "Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), json.loads(resp.read())
    finally:
        conn.close()


def test_same_id_and_same_request_replays_the_answer_and_charges_once(smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    key = str(uuid.uuid4())
    first = json.dumps({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": key}).encode()
    # the same request written differently: other key order, other spacing, escaped characters
    again = b'{ "idempotencyId" : "%s", "text":"\\u0048i",\n "from": "Brand", "to": ["%s"] }' % (key.encode(), FR_MOBILE.encode())
    status, headers, body = _post(sb, "/sms", first)
    status2, headers2, body2 = _post(sb, "/sms", again)
    assert status == status2 == 200 and body2 == body
    assert headers["X-Idempotency-Id"] == headers2["X-Idempotency-Id"] == key
    assert len(sb.messages) == 1 and sb.messages[0]["msgId"] == body["data"][0]["msgId"]
    assert balance(sb) == Decimal(100) - Decimal(str(SMS_FR))


def test_the_same_id_on_another_operation_runs_normally(smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    key = str(uuid.uuid4())
    client = sb.api_client(max_retries=0)
    conversation = inbound(sb, FR_MOBILE_2, "hi")["conversationId"]
    sent = raw_call(client, "POST", "/sms", {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": key})
    reply = raw_call(client, "POST", "/conversations/{id}/sms", {"text": "Hi", "idempotencyId": key},
                     path_params={"id": conversation})
    assert sent.headers["X-Idempotency-Id"] == reply.headers["X-Idempotency-Id"] == key
    assert sorted(m["to"] for m in sb.messages) == [FR_MOBILE, FR_MOBILE_2]
    assert balance(sb) == Decimal(100) - 2 * Decimal(str(SMS_FR))
    # each operation keeps its own answer
    again = raw_call(client, "POST", "/conversations/{id}/sms", {"text": "Hi", "idempotencyId": key}, path_params={"id": conversation})
    assert again.data == reply.data and len(sb.messages) == 2


@pytest.mark.parametrize(
    "extra, change",
    [
        ({}, {"text": "Hi!"}),
        ({}, {"to": [FR_MOBILE_2]}),
        ({}, {"to": [FR_MOBILE, FR_MOBILE]}),
        ({}, {"from": "Other"}),
        ({}, {"shortResponse": True}),  # a field added
        ({"shortResponse": True}, {"shortResponse": False}),  # a value changed
    ],
)
def test_same_id_with_another_request_is_refused(sms: SmsApi, smscx_sandbox: Any, extra: Dict[str, Any], change: Dict[str, Any]) -> None:
    sb = smscx_sandbox
    key = str(uuid.uuid4())
    body: Dict[str, Any] = dict({"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": key}, **extra)
    first = raw_call(sms.api_client, "POST", "/sms", body)
    err = expect_error(InvalidRequestException, CONFLICT, raw_call, sms.api_client, "POST", "/sms", dict(body, **change))
    assert (err.status, err.error_type) == (400, "invalid_param")
    assert "idempotencyId" in (err.error_message or "")
    assert len(sb.messages) == 1 and balance(sb) == Decimal(100) - Decimal(str(SMS_FR))
    # the first request still replays
    assert raw_call(sms.api_client, "POST", "/sms", body).data == first.data


def test_the_sdk_surfaces_a_reused_id_as_an_error(sms: SmsApi, smscx_sandbox: Any) -> None:
    key = str(uuid.uuid4())
    sms.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Your code is 1234", idempotency_id=key))
    err = expect_error(InvalidRequestException, CONFLICT, sms.send_sms,
                       SendSmsMessageRequest([FR_MOBILE], "Brand", "Your code is 9999", idempotency_id=key))
    assert err.idempotency_id == key
    assert [m["text"] for m in smscx_sandbox.messages] == ["Your code is 1234"]


def test_a_reply_to_another_conversation_with_the_same_id_is_refused(conversations: ConversationsApi, smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    alice = inbound(sb, FR_MOBILE, "hi")["conversationId"]
    bob = inbound(sb, FR_MOBILE_2, "hello")["conversationId"]
    key = str(uuid.uuid4())
    reply = ConversationReplySmsRequest(text="thanks")
    reply["idempotencyId"] = key  # documented by the API (1111) but not a field of the model
    conversations.send_conversation_reply_sms(alice, reply)
    expect_error(InvalidRequestException, CONFLICT, conversations.send_conversation_reply_sms, bob, reply)
    assert [m["to"] for m in sb.messages] == [FR_MOBILE]


def test_an_error_is_not_remembered(smscx_sandbox: Any) -> None:
    # nothing ran under the id, so a corrected request with it runs
    sb = smscx_sandbox
    key = str(uuid.uuid4())
    client = sb.api_client(max_retries=0)
    expect_error(InvalidRequestException, 1107, raw_call, client, "POST", "/sms", {"to": [FR_MOBILE], "from": "Brand", "idempotencyId": key})
    done = raw_call(client, "POST", "/sms", {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", "idempotencyId": key})
    assert done.status == 200 and len(sb.messages) == 1


def test_concurrent_duplicates_run_once(smscx_sandbox: Any) -> None:
    sb = smscx_sandbox
    key = str(uuid.uuid4())
    raw = json.dumps({"to": [FR_MOBILE], "from": "Brand", "text": "Once", "idempotencyId": key}).encode()
    start = threading.Barrier(16)
    answers: List[Any] = []
    failures: List[str] = []
    lock = threading.Lock()

    def send() -> None:
        start.wait()
        try:
            status, _, body = _post(sb, "/sms", raw)
            with lock:
                answers.append((status, body))
        except Exception as exc:  # collected, asserted below
            with lock:
                failures.append(repr(exc))

    threads = [threading.Thread(target=send) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert failures == [] and len(answers) == 16
    assert {json.dumps(a, sort_keys=True) for a in answers} == {json.dumps(answers[0], sort_keys=True)}
    assert answers[0][0] == 200
    assert len(sb.messages) == 1 and balance(sb) == Decimal(100) - Decimal(str(SMS_FR))


def test_sends_without_an_id_from_the_sdk_are_distinct(sms: SmsApi, smscx_sandbox: Any) -> None:
    # the SDK gives every call its own id: two identical calls are two sends
    request = SendSmsMessageRequest([FR_MOBILE], "Brand", "Twice")
    sms.send_sms(request)
    sms.send_sms(request)
    assert len(smscx_sandbox.messages) == 2
