"""Bad input never crashes the sandbox, and its state stays consistent under concurrent requests."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import quote, urlencode

import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.sandbox._routes import ROUTES

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=6),
    max_leaves=25,
)


def _body_for(route):
    """Random bodies, biased towards the route's own field names with wrong values."""
    model = route[6]
    names = []
    if model:
        import importlib

        from tools.codegen.naming import module_name

        cls = getattr(importlib.import_module("smscx_client.model." + module_name(model)), model)
        names = [f.wire for f in cls._fields.values()]
    keyed = st.dictionaries(st.sampled_from(names), json_values, max_size=len(names)) if names else st.just({})
    return st.one_of(json_values, keyed, st.binary(max_size=40))


segments = st.one_of(st.text(max_size=40), st.integers(-5, 10**9).map(str), st.just("00000000-0000-0000-0000-000000000000"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_input_gets_an_api_answer_never_a_500(smscx_sandbox, data):
    route = data.draw(st.sampled_from(ROUTES))
    method, template = route[0], route[1]
    path = re.sub(r"\{\w+\}", lambda _: quote(data.draw(segments), safe="") or "x", template)
    query = data.draw(st.dictionaries(st.sampled_from(["limit", "next", "previous", "period", "start_date", "end_date", "channel", "short_response", "x"]), st.text(max_size=12), max_size=4))
    url = smscx_sandbox.url + path + ("?" + urlencode(query) if query else "")
    body = data.draw(_body_for(route)) if method in ("POST", "PATCH") else None
    payload = body if isinstance(body, bytes) else (json.dumps(body).encode() if body is not None else None)
    ctype = "application/x-www-form-urlencoded" if template == "/oauth/token" else "application/json"
    headers = {"X-API-KEY": smscx_sandbox.api_key, "Content-Type": ctype, "Authorization": "Basic c2FuZGJveC1hcHA6c2FuZGJveC1hcHAtc2VjcmV0"}
    resp = urllib3.PoolManager().request(method, url, body=payload, headers=headers, retries=False)
    assert resp.status < 500, (method, url, payload, resp.data[:300])
    if resp.status >= 400:
        error = json.loads(resp.data)["error"]
        assert isinstance(error["type"], str) and isinstance(error["code"], int) and error["message"]


def test_concurrent_sends_keep_balance_and_outbox_consistent(smscx_sandbox):
    sb = smscx_sandbox
    api = SmsApi(sb.api_client(connection_pool_maxsize=8))
    start = Decimal(str(sb.balance))

    def send(i):
        number = "+336123456{:02d}".format(i % 100)
        return api.send_sms(SendSmsMessageRequest([number], "Brand", "Message {}".format(i)))

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(send, range(200)))
    ids = {r.data[0].msg_id for r in results}
    outbox = sb.messages
    assert len(ids) == 200 and {m["msgId"] for m in outbox} == ids
    charged = sum(Decimal(str(r.info.total_cost)) for r in results)
    assert Decimal(str(sb.balance)) == start - charged
    assert charged == sum(Decimal(str(m["cost"])) for m in outbox)
