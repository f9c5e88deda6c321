"""Bad input never crashes the sandbox, and its state stays consistent under concurrent requests."""

from __future__ import annotations

import importlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, Dict, Optional, Tuple
from urllib.parse import quote, urlencode

import pytest
import urllib3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spec_examples import schemas
from support import FR_MOBILE, add_group, add_template, set_balance

from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.sandbox._routes import ERRORS, ROUTES
from smscx_client.transport import HttpRequest
from tools.codegen.naming import module_name

# text with unpaired UTF-16 surrogates is valid JSON ("\ud800") but has no UTF-8
surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"])
texts = st.text(max_size=30) | st.tuples(st.text(max_size=10), surrogates, st.text(max_size=10)).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False) | texts,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=6),
    max_leaves=25,
)
# deeper than the JSON parser recurses
deep_bodies = st.integers(5_000, 50_000).flatmap(
    lambda n: st.sampled_from([b"[" * n + b"]" * n, b'{"text": ' + b'{"a": ' * n + b"1" + b"}" * (n + 1)])
)
SEND_MODULES = ("sms", "viber", "whatsapp", "multichannel")
SEND_ROUTES = [r for r in ROUTES if r[3] in SEND_MODULES and r[6]]


def _fields(model: str) -> Dict[str, Any]:
    """The request model's fields: JSON name -> schema."""
    if not model:
        return {}
    cls = getattr(importlib.import_module("smscx_client.model." + module_name(model)), model)
    props = schemas()[model].get("properties", {})
    return {f.wire: props.get(f.wire, {}) for f in cls._fields.values()}


@pytest.fixture
def send_bases(smscx_sandbox: Any) -> Dict[str, Dict[str, Any]]:
    """A valid body for each send and estimate operation (op id -> body), with the group and the
    templates they name in place and money for every send a test may make."""
    set_balance(smscx_sandbox, 10**6)
    group = add_group(smscx_sandbox, "Customers", [(FR_MOBILE, {"firstName": "Jean"})])
    viber = add_template(smscx_sandbox, "viber", "Hello {{firstName}}")
    whatsapp = add_template(smscx_sandbox, "whatsapp", "Hello")
    content = {
        "sms": {"text": "Hello"},
        "viber": {"templateId": viber},
        "whatsapp": {"templateId": whatsapp},
        "multichannel": {"strategy": [{"channel": "viber", "templateId": viber}, {"channel": "sms", "text": "Hi"}]},
    }
    return {
        r[2]: dict({"groups": [group]} if "campaign" in r[2] else {"to": [FR_MOBILE]}, **{"from": "Brand"}, **content[r[3]])
        for r in SEND_ROUTES
    }


def _body_for(route: Tuple[Any, ...], base: Optional[Dict[str, Any]]) -> Any:
    """Random bodies, biased towards the route's own field names with wrong values, and (where a
    valid body of the route is known) that body with some fields changed."""
    names = list(_fields(route[6]))
    keyed = st.dictionaries(st.sampled_from(names), json_values, max_size=len(names)) if names else st.just({})
    options = [json_values, keyed, st.binary(max_size=40), deep_bodies]
    if base is not None:
        changes = st.dictionaries(st.sampled_from(names), json_values, min_size=1, max_size=3)
        options.append(changes.map(lambda c: dict(base, **c)))
    return st.one_of(options)


def _payload(body: Any, ascii_only: bool) -> Optional[bytes]:
    """JSON bytes; without ``ascii_only`` surrogates go out as raw (invalid UTF-8) bytes."""
    if body is None or isinstance(body, bytes):
        return body
    return json.dumps(body, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def _raw(sb: Any, method: str, url: str, body: Optional[bytes], headers: Dict[str, str]) -> Any:
    """Bytes to the sandbox as they are: over HTTP, or through its transport when it runs in process."""
    if sb.transport is not None:
        return sb.transport.send(HttpRequest(method, url, headers, body))
    return urllib3.PoolManager().request(method, url, body=body, headers=headers, retries=False)


def _post(sb: Any, path: str, payload: Optional[bytes], ctype: str = "application/json") -> Tuple[int, Any]:
    headers = {"X-API-KEY": sb.api_key, "Content-Type": ctype}
    resp = _raw(sb, "POST", sb.url + path, payload, headers)
    return resp.status, json.loads(resp.data)


def _error(answer: Any) -> Tuple[str, int]:
    return answer["error"]["type"], answer["error"]["code"]


segments = st.one_of(st.text(max_size=40), st.integers(-5, 10**9).map(str), st.just("00000000-0000-0000-0000-000000000000"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_input_gets_an_api_answer_never_a_500(smscx_sandbox, send_bases, data):
    route = data.draw(st.sampled_from(ROUTES))
    method, template = route[0], route[1]
    path = re.sub(r"\{\w+\}", lambda _: quote(data.draw(segments), safe="") or "x", template)
    query = data.draw(st.dictionaries(st.sampled_from(["limit", "next", "previous", "period", "start_date", "end_date", "channel", "short_response", "x"]), st.text(max_size=12), max_size=4))
    url = smscx_sandbox.url + path + ("?" + urlencode(query) if query else "")
    body = data.draw(_body_for(route, send_bases.get(route[2]))) if method in ("POST", "PATCH") else None
    payload = _payload(body, data.draw(st.booleans()))
    ctype = "application/x-www-form-urlencoded" if template == "/oauth/token" else "application/json"
    headers = {"X-API-KEY": smscx_sandbox.api_key, "Content-Type": ctype, "Authorization": "Basic c2FuZGJveC1hcHA6c2FuZGJveC1hcHAtc2VjcmV0"}
    resp = _raw(smscx_sandbox, method, url, payload, headers)
    assert resp.status < 500, (method, url, payload[:300] if payload else None, resp.data[:300])
    if resp.status >= 400:
        error = json.loads(resp.data)["error"]
        assert isinstance(error["type"], str) and isinstance(error["code"], int) and error["message"]
    if ctype == "application/json" and (_too_deep(body) or _holds_surrogates(body)):
        assert (resp.status, json.loads(resp.data)["error"]["code"]) == (400, 1007), (method, url, resp.data[:300])


def _too_deep(body: Any) -> bool:
    if not isinstance(body, bytes):
        return False
    try:
        json.loads(body)
    except RecursionError:
        return True
    except ValueError:
        pass
    return False


def _holds_surrogates(body: Any) -> bool:
    if body is None or isinstance(body, bytes):
        return False
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


# JSON type of a schema -> values of every other JSON type (null apart: it means "absent")
_OTHER_TYPES = {
    "string": st.booleans() | st.integers() | st.floats(allow_nan=False) | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    "boolean": st.integers() | st.floats(allow_nan=False) | st.text(max_size=6) | st.lists(st.booleans(), max_size=2) | st.dictionaries(st.text(max_size=4), st.booleans(), max_size=2),
    # digit strings stay out: the API reads `ttl: "600"` as 600
    "integer": st.booleans() | st.text(max_size=6).filter(lambda t: not t.strip().isdigit()) | st.lists(st.integers(), max_size=2) | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    "array": st.booleans() | st.integers() | st.text(max_size=6) | st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
    "object": st.booleans() | st.integers() | st.text(max_size=6) | st.lists(st.integers(), max_size=2),
}
# documented leniencies: `to` may be one number as a string; a `trackData` that is no UUID is dropped
_TOLERATED = {"to": st.text(max_size=6), "trackData": None}


def _json_type(schema: Dict[str, Any]) -> str:
    return "object" if "$ref" in schema else schema["type"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_send_fields_of_a_wrong_json_type_are_refused(smscx_sandbox, send_bases, data):
    route = data.draw(st.sampled_from(SEND_ROUTES))
    fields = {k: v for k, v in _fields(route[6]).items() if _TOLERATED.get(k, 0) is not None}
    name = data.draw(st.sampled_from(sorted(fields)))
    wrong = _OTHER_TYPES[_json_type(fields[name])]
    if name in _TOLERATED:
        wrong = wrong.filter(lambda v: not isinstance(v, str))
    value = data.draw(wrong)
    sent = len(smscx_sandbox.messages)
    status, answer = _post(smscx_sandbox, route[1], _payload(dict(send_bases[route[2]], **{name: value}), True))
    assert status == 400, (route[2], name, value, answer)
    assert answer["error"]["code"] in set(ERRORS[route[2]]) | {1008}, (route[2], name, value, answer)
    assert len(smscx_sandbox.messages) == sent


def test_the_valid_send_bodies_are_accepted(smscx_sandbox, send_bases):
    """(What the wrong-type test changes must be right to begin with.)"""
    for route in SEND_ROUTES:
        status, answer = _post(smscx_sandbox, route[1], _payload(send_bases[route[2]], True))
        assert status == 200, (route[2], answer)


@pytest.mark.parametrize(
    "payload",
    [
        b"[" * 5000 + b"]" * 5000,
        b'{"to": ["+33612345678"], "from": "Brand", "text": "Hi", "transliteration": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3001,
    ],
    ids=["array", "object"],
)
def test_a_deeply_nested_body_is_an_invalid_body(smscx_sandbox, payload):
    status, answer = _post(smscx_sandbox, "/sms", payload)
    assert (status, _error(answer)) == (400, ("invalid_body", 1007)) and "nested too deeply" in answer["error"]["message"]
    status, answer = _post(smscx_sandbox, "/__sandbox/fail-next", payload)  # the control plane too
    assert (status, _error(answer)) == (400, ("invalid_param", 1009))
    assert smscx_sandbox.messages == []


@pytest.mark.parametrize(
    "payload",
    [
        b'{"to": ["+33612345678"], "from": "Brand", "text": "\\ud800"}',
        b'{"to": ["+33612345678"], "from": "Brand", "text": "Hi", "trackData": "\\udfff"}',  # a field the send drops
        b'{"to": ["+33612345678"], "from": "Brand", "text": "Hi", "x\\ud83d": 1}',  # a key
        b'{"to": ["+33612345678"], "from": "Brand", "text": "\xed\xa0\x80"}',  # the surrogate encoded as if UTF-8
    ],
    ids=["text", "ignored-field", "key", "raw-bytes"],
)
def test_text_with_unpaired_surrogates_is_an_invalid_body(smscx_sandbox, payload):
    status, answer = _post(smscx_sandbox, "/sms", payload)
    assert (status, _error(answer)) == (400, ("invalid_body", 1007))
    assert _post(smscx_sandbox, "/__sandbox/inbound", payload)[0] == 400  # the control plane too
    assert smscx_sandbox.messages == []


def test_paired_surrogate_escapes_are_text(smscx_sandbox):
    body = b'{"to": ["+33612345678"], "from": "Brand", "text": "Hi \\ud83d\\ude00"}'
    status, answer = _post(smscx_sandbox, "/sms", body)
    assert status == 200 and answer["data"][0]["text"] == "Hi \U0001f600"


@pytest.mark.parametrize(
    "field, value",
    [("countryIso", 5), ("countryIso", ["FR"]), ("isUtc", "no"), ("isUtc", 0), ("allowInvalid", "yes"),
     ("shortResponse", 1), ("noTextDetails", "true"), ("showTimezone", [])],
)  # fmt: skip
def test_send_options_of_the_wrong_type_are_refused(smscx_sandbox, field, value):
    body = {"to": [FR_MOBILE], "from": "Brand", "text": "Hi", field: value}
    status, answer = _post(smscx_sandbox, "/sms", json.dumps(body).encode())
    assert (status, _error(answer)) == (400, ("invalid_param", 1008)) and field in answer["error"]["message"]
    assert smscx_sandbox.messages == []


@pytest.mark.parametrize("field", ["isUtc", "allowInvalid", "shortResponse", "countryIso"])
def test_send_options_may_not_be_null(smscx_sandbox, field):
    # the spec does not make them nullable: leave an option out to get its default
    body = {"to": ["06 12 34 56 78"], "from": "Brand", "text": "Hi", "countryIso": "fr", field: None}
    status, answer = _post(smscx_sandbox, "/sms", json.dumps(body).encode())
    assert (status, _error(answer)) == (400, ("invalid_param", 1008))
    assert "`{}` may not be null".format(field) in answer["error"]["message"]
    assert smscx_sandbox.messages == []
    del body[field]
    if field == "countryIso":
        body["to"] = [FR_MOBILE]
    status, answer = _post(smscx_sandbox, "/sms", json.dumps(body).encode())
    assert status == 200 and answer["data"][0]["to"] == FR_MOBILE


def test_template_custom_fields_must_be_an_object(smscx_sandbox, send_bases):
    status, answer = _post(smscx_sandbox, "/viber", json.dumps(dict(send_bases["send_viber_message"], customFields=["Jean"])).encode())
    assert (status, _error(answer)) == (400, ("invalid_param", 1008)) and "customFields" in answer["error"]["message"]


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


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("GET", "/optouts?limit=%C2%B9", None),
        ("GET", "/reports/campaigns?limit=%C2%B9", None),
        ("GET", "/optouts?next=bzrCuQ", None),  # the cursor "o:¹"
        ("GET", "/numbers/rent/available/FR?features=%C2%B2", None),
        ("POST", "/sms", {"to": [FR_MOBILE], "from": "Brand", "text": "Code {{numbers:²}}"}),
        ("POST", "/multichannel", {"ttl": "³"}),  # over the valid body of the route
    ],
)  # fmt: skip
def test_digits_that_are_no_decimal_number_are_invalid(smscx_sandbox, send_bases, method, path, body):
    """``"¹".isdigit()`` is true but ``int("¹")`` fails: such values must be refused, not crash."""
    if path == "/multichannel":
        body = dict(send_bases["send_multichannel_message"], **body)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"X-API-KEY": smscx_sandbox.api_key, "Content-Type": "application/json"}
    resp = _raw(smscx_sandbox, method, smscx_sandbox.url + path, payload, headers)
    assert resp.status == 400, resp.data
