"""Property tests: whatever a server sends back, only ApiException subclasses escape the client,
and whatever it decodes can be read back (``to_dict``) without an exception."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from wire import Reply, WireServer

import smscx_client
from smscx_client.api.account_api import AccountApi
from smscx_client.api.applications_api import ApplicationsApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)
# shapes close to real answers, with every field free to be anything
send_like = st.fixed_dictionaries(
    {},
    optional={
        "info": st.dictionaries(st.sampled_from(["campaignId", "totalCost", "totalParts", "invalid", "scheduled"]), json_values) | json_values,
        "data": st.lists(st.dictionaries(st.sampled_from(["msgId", "createdAt", "textAnalysis", "from", "cost", "status"]), json_values), max_size=3)
        | json_values,
        "error": st.dictionaries(st.sampled_from(["type", "code", "message", "uri", "invalid"]), json_values) | json_values,
        "invalid": json_values,
    },
)
bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(lambda v: json.dumps(v).encode()),
    send_like.map(lambda v: json.dumps(v).encode()),
    st.just(b""),
    st.just(b"{"),
    st.text(max_size=50).map(lambda t: t.encode("utf-8")),
)
statuses = st.sampled_from([200, 201, 204, 302, 400, 401, 402, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504])
header_values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
numberish = st.one_of(header_values, st.integers(-10**10, 10**10).map(str), st.floats(allow_nan=True).map(str))
headers = st.fixed_dictionaries(
    {"Content-Type": st.sampled_from(["application/json", "text/html", "text/csv; charset=latin-1", "application/octet-stream", "text/plain; charset=nope"])},
    optional={
        "X-Rate-Limit-Reset": numberish,
        "Retry-After": numberish,
        "Content-Disposition": header_values,
        "X-Request-Id": header_values,
        "Content-Encoding": st.sampled_from(["gzip", "identity", "br"]),
    },
)


def _broken(kind, body):
    """A reply that lies about its length, or stops half way."""

    def action(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body) + (40 if kind == "short" else 0)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2] if kind == "half" else body)
        handler.wfile.flush()
        handler.close_connection = True

    return Reply(action=action)

CALLS = [
    lambda c: AccountApi(c).get_account_balance(),
    lambda c: SmsApi(c).send_sms(SendSmsMessageRequest(["+33612345678"], "Brand", "Hi")),
    lambda c: GroupsApi(c).empty_group(3),
    lambda c: GroupsApi(c).export_group_to_csv(3),
    lambda c: GroupsApi(c).export_group_to_xlsx(3),
    lambda c: ApplicationsApi(c).get_scopes(),
]


@pytest.fixture(scope="module")
def server():
    with WireServer() as srv:
        yield srv


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(
    status=429, body=b"", hdrs={"Content-Type": "application/json", "Retry-After": "-5"}, call=CALLS[0], broken=None, retries=1
)
@given(
    status=st.one_of(statuses, st.sampled_from([429, 503])),
    body=bodies,
    hdrs=headers,
    call=st.sampled_from(CALLS),
    broken=st.sampled_from([None, None, "short", "half"]),
    retries=st.integers(0, 2),
)
def test_only_api_exceptions_escape(server, tmp_path_factory, status, body, hdrs, call, broken, retries):
    config = smscx_client.Configuration(
        host=server.url, api_key="prop-test-key-123456", max_retries=retries, max_rate_limit_wait=1e9, timeout=(2, 2)
    )
    config.temp_folder_path = str(tmp_path_factory.getbasetemp())
    server.reset()
    first = _broken(broken, body) if broken else Reply(status, body, hdrs)
    server.reply(first, *[Reply(status, body, hdrs)] * retries)
    result = None
    # the waits the retry policy computes are real; only the sleeping is skipped
    with mock.patch("smscx_client.api_client.time.sleep") as sleep:
        try:
            result = call(smscx_client.ApiClient(config))
        except smscx_client.ApiException as e:
            str(e), repr(e)  # rendering never fails either
            assert e.error_code is None or isinstance(e.error_code, int)
            assert 1 <= e.attempts <= retries + 1
    assert all(c.args[0] >= 0 for c in sleep.call_args_list)
    assert sleep.call_count <= retries
    if hasattr(result, "to_dict"):
        result.to_dict()
        repr(result)
    elif hasattr(result, "close"):
        result.close()
