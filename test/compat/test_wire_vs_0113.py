"""The published smscx_client 0.1.13 is the oracle: the same calls must put the same requests on the wire.

A throwaway virtualenv gets ``smscx_client==0.1.13`` from PyPI (with this process's urllib3
version, so only the SDK differs). ``legacy_driver.py`` runs every call there, in one
subprocess, against a loopback ``WireServer`` of this process; the same calls then run through
this SDK (``Configuration(auto_idempotency=False)``, and for the send operations once more with
the default). Requests are told apart by a host path prefix (``/0113-all-7/sms``,
``/ours-all-7/sms``) that also picks the canned answer.

Compared: method, raw path, query pairs, parsed body, every header but ``User-Agent`` (0.1.13
says ``0.1.0``), and the decoded result (``to_dict()``, CSV text, XLSX bytes, lists).

What 0.1.13 cannot do, and so is not compared (each is checked to still fail there):

* ``include``/``exclude`` of ``get_available_numbers``/``get_rented_numbers``: its length checks
  are inverted (max 1, min 17), so every value is rejected before sending.
* ``period`` alone, or ``start_date`` + ``end_date`` alone, for ``get_advanced_report``,
  ``get_summary_reports`` and the two advanced-report exports: all three are required positional
  arguments there (the compared calls pass all three).
* Decoding the answers of ``edit_rent_settings`` (its ``InfoEditRent`` model module is missing)
  and ``get_summary_reports`` (its ``oneOf`` never matches exactly one variant); the requests are
  still compared.
* An empty 204 answer (``ApiTypeError`` there; ``None`` here), channel prices keyed by real
  country codes, as the API sends them (its ``oneOf`` wants the spec's placeholder key), the
  ``phoneNumbersByCountry`` map of a bulk lookup's ``info`` (it wants the placeholder
  ``countryCode`` there), and a fractional ``totalCostSaved`` (it typed the amount as an
  integer; the compared answers carry whole numbers there).

One request differs on purpose: custom fields built the 0.1.x way,
``CustomFields(custom_field_name={...})``, went out nested under the placeholder name
(``{"customFieldName": {...}}``); this SDK sends the entries themselves, as the API documents
(CHANGELOG). The comparison unnests 0.1.13's body (``PLACEHOLDER_MAPS``) and nothing else.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple
from urllib.parse import parse_qsl

import legacy_driver
import pytest
import spec_examples as se
from wire import Recorded, Reply, WireServer

import smscx_client
from smscx_client import apis

pytestmark = pytest.mark.network_install

LEGACY = "0.1.13"
LEGACY_REJECTS = ("include", "exclude")
NOT_DECODED_BY_0113 = {
    "edit_rent_settings": "ModuleNotFoundError: No module named 'smscx_client.model.info_edit_rent'",
    "get_summary_reports": "ApiTypeError: Invalid type for variable 'sms'",
    "get_channel_pricing": "ApiValueError: Invalid inputs given to generate an instance of GetChannelPricing200Response",
    "get_channel_pricing_by_country_iso": "ApiValueError: Invalid inputs given to generate an instance of GetChannelPricing200Response",
    # Python 3.9 leaves the class name out of the message
    "get_bulk_lookup_status": "TypeError: ~_from_api_data() missing 1 required positional argument",
}


def _says(error: str, expected: str) -> bool:
    """``error`` starts with ``expected``, where ``~`` in it stands for an optional qualifier."""
    pattern = r"(?:[\w.]+\.)?".join(re.escape(part) for part in expected.split("~"))
    return re.match(pattern, error) is not None


# Fields 0.1.13 left untyped (commented out, or typed as a free-form dict): its to_dict() shows
# their raw JSON, while 1.x types them (same keys outside, attribute names inside; CHANGELOG).
UNTYPED_IN_0113 = ("twoWay",)
# (body field, placeholder): maps 0.1.13 sent nested under the placeholder of its spec
PLACEHOLDER_MAPS = (("customFields", "customFieldName"),)


# amounts 0.1.13 typed as integers: a fractional value makes it reject the whole answer
INT_IN_0113 = ("totalCostSaved",)


def _integral(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: round(v) if k in INT_IN_0113 else _integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_integral(v) for v in value]
    return value


def _for_0113(call: se.Call) -> se.Call:
    """The call with an answer 0.1.13 can take: whole numbers where it wants integers, and a
    harmless download name (it writes the file under the server's name as is)."""
    call = dataclasses.replace(call, reply=_integral(call.reply))
    if call.op.response_kind == "xlsx":
        headers = dict(call.reply_headers, **{"Content-Disposition": 'attachment; filename="report.xlsx"'})
        call = dataclasses.replace(call, reply_headers=headers)
    return call


CALLS = [_for_0113(c) for c in se.calls(every_alternative=True, omit=LEGACY_REJECTS)]
# calls 0.1.13 must still refuse (the reasons in the module docstring), with what it raises
REFUSED_BY_0113 = [
    (c, "ApiValueError: Invalid value for `{}`".format(name))
    for name, other in (LEGACY_REJECTS, LEGACY_REJECTS[::-1])
    for c in se.calls(full=True, omit=(other,))
    if name in c.kwargs
] + [(c, "TypeError") for c in se.calls(full=False) if c.op.require_one_of]


def _answered(name: str, status: int, reply: Any) -> se.Call:
    call = next(c for c in CALLS if c.name == name and c.variant == "min")
    return dataclasses.replace(call, status=status, reply=reply)


# answers shaped as the API sends them (the spec writes these maps with a placeholder key)
REAL_ANSWERS = {
    # phoneNumbersByCountry is a map of country code to count
    "phone_numbers_by_country": _answered(
        "validate_numbers",
        200,
        {
            "info": {
                "totalPhoneNumbers": 3,
                "totalValid": 3,
                "totalInvalid": 0,
                "phoneNumbersByCountry": {"FR": 2, "DE": 1},
            },
            "data": [],
        },
    ),
    # prices keyed by country code: 0.1.13's oneOf matches none of its variants
    "pricing_by_country": _answered(
        "get_channel_pricing",
        200,
        {"FR": {"TRANSACTIONAL": 0.05, "PROMOTIONAL": 0.06}, "DE": {"TRANSACTIONAL": 0.04}},
    ),
    # nothing to change: 204 without a body (0.1.13 raises ApiTypeError)
    "no_content": _answered("empty_group", 204, None),
    # a fractional amount saved by transliteration (0.1.13 typed it int)
    "fractional_cost_saved": next(c for c in se.calls(full=False) if c.name == "send_sms"),
}
GROUPS = {"all": CALLS, "refused": [c for c, _ in REFUSED_BY_0113], "real": list(REAL_ANSWERS.values())}


# -- running both clients ------------------------------------------------------------------------
def encode(value: Any) -> Any:
    """Arguments as the driver's JSON (models by module and class, date-times tagged)."""
    if isinstance(value, tuple) and value[:1] == ("model",):
        module = "smscx_client.model." + se.spec().models[value[1]].module
        return {"__model__": [module, value[1]], "fields": encode(value[2])}
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    return value


def auth_settings(call: se.Call) -> Dict[str, Any]:
    if call.op.auth == ["BasicAuth"]:
        return {"username": se.APP_ID, "password": se.APP_SECRET}
    return {"api_key": se.TEST_KEY}


def run_ours(call: se.Call, host: str, folder: Path, **settings: Any) -> Dict[str, Any]:
    """The call through this SDK, reported like the driver reports 0.1.13's."""
    config = smscx_client.Configuration(
        host=host, max_retries=0, temp_folder_path=str(folder), **auth_settings(call), **settings
    )
    with smscx_client.ApiClient(config) as client:
        method = getattr(getattr(apis, call.api)(client), call.name)
        try:
            result = method(*se.materialize(call.args), **se.materialize(call.kwargs))
        except Exception as exc:
            return {"ok": False, "error": "{}: {}".format(type(exc).__name__, exc)}
    if call.op.response_kind == "xlsx":
        with result:
            return {"ok": True, "kind": "file", "value": result.read().hex()}
    if call.op.response_kind == "json" and result is not None:
        return {"ok": True, "kind": "model", "type": type(result).__name__, "value": result.to_dict()}
    return {"ok": True, "kind": type(result).__name__, "value": result}


def job(call: se.Call, host: str, folder: Path) -> Dict[str, Any]:
    """One call for the driver."""
    return {"host": host, "auth": auth_settings(call), "temp": str(folder), "api": call.api,
            "method": call.name, "args": encode(call.args), "kwargs": encode(call.kwargs)}  # fmt: skip


def run_legacy(python: str, jobs: List[Dict[str, Any]], folder: Path) -> Dict[str, Any]:
    """Run the driver over ``jobs`` in the 0.1.13 virtualenv; its ``{"version", "results"}``."""
    (folder / "calls.json").write_text(json.dumps(jobs))
    driver = shutil.copy(legacy_driver.__file__, str(folder / "legacy_driver.py"))
    command = [python, "-I", driver, str(folder / "calls.json"), str(folder / "results.json")]
    subprocess.run(command, check=True, timeout=300, cwd=str(folder))
    result: Dict[str, Any] = json.loads((folder / "results.json").read_text())
    return result


@pytest.fixture(scope="module")
def exchanges(legacy_python: str, tmp_path_factory: Any) -> Iterator[Dict[str, Any]]:
    """Every group of calls through 0.1.13 (results in ``["0113"][group]``) and through this SDK
    without auto idempotency (``["ours"][group]``), the send operations with it (``["auto"]``);
    requests by path prefix (``0113-all-7``, ``ours-all-7``, ``auto-all-7``)."""
    folder = tmp_path_factory.mktemp("legacy")
    by_prefix: Dict[str, se.Call] = {}
    with WireServer() as server:
        server.route = lambda rec: _answer(by_prefix[rec.path.split("/")[1]])

        def host(side: str, group: str, i: int) -> str:
            prefix = "{}-{}-{}".format(side, group, i)
            by_prefix[prefix] = GROUPS[group][i]
            return "{}/{}".format(server.url, prefix)

        jobs = [
            job(c, host("0113", g, i), folder) for g, calls in GROUPS.items() for i, c in enumerate(calls)
        ]
        legacy = run_legacy(legacy_python, jobs, folder)
        results = iter(legacy["results"])
        out: Dict[str, Any] = {"version": legacy["version"], "0113": {}, "ours": {}, "auto": {}}
        for g, calls in GROUPS.items():
            out["0113"][g] = [next(results) for _ in calls]
            out["ours"][g] = [
                run_ours(c, host("ours", g, i), folder, auto_idempotency=False) for i, c in enumerate(calls)
            ]
        for i, c in enumerate(CALLS):
            if c.name in se.SEND_OPERATIONS:
                out["auto"][i] = run_ours(c, host("auto", "all", i), folder)
        out["requests"] = {rec.path.split("/")[1]: rec for rec in server.requests}
        yield out


def _answer(call: se.Call) -> Reply:
    return Reply(call.status, call.reply, call.reply_headers)


def request_pair(exchanges: Dict[str, Any], i: int, ours: str = "ours") -> Tuple[Recorded, Recorded]:
    requests = exchanges["requests"]
    old = requests.get("0113-all-{}".format(i))
    assert old is not None, "0.1.13 sent nothing: {}".format(exchanges["0113"]["all"][i])
    return old, requests["{}-all-{}".format(ours, i)]


def strip_prefix(path: str) -> str:
    return "/" + path.split("/", 2)[2]


def parsed_body(rec: Recorded) -> Any:
    if rec.headers.get("Content-Type") == "application/x-www-form-urlencoded":
        return sorted(parse_qsl(rec.body.decode("ascii"), keep_blank_values=True))
    return rec.json()


def unnested(body: Any) -> Any:
    """0.1.13's JSON body with the maps of ``PLACEHOLDER_MAPS`` taken out of their placeholder."""
    if isinstance(body, list):
        return [unnested(v) for v in body]
    if not isinstance(body, dict):
        return body
    out = {k: unnested(v) for k, v in body.items()}
    for key, placeholder in PLACEHOLDER_MAPS:
        value = out.get(key)
        if isinstance(value, dict) and set(value) == {placeholder}:
            out[key] = value[placeholder]
    return out


# -- the comparisons ---------------------------------------------------------------------------
INDEXED = [pytest.param(i, c, id=c.id) for i, c in enumerate(CALLS)]


def test_the_oracle_is_0113(exchanges):
    assert exchanges["version"] == LEGACY
    assert len({(c.api, c.name) for c in CALLS}) == 101


@pytest.mark.parametrize("i,call", INDEXED)
def test_same_request_as_0113(exchanges, i, call):
    old, new = request_pair(exchanges, i)
    assert new.method == old.method == call.method
    assert strip_prefix(new.path) == strip_prefix(old.path)
    # pair order differs for the report calls (0.1.13 puts period/start_date/end_date last)
    # and the token form (scope first); the API reads them by name
    assert sorted(new.query) == sorted(old.query)
    old_body = parsed_body(old)
    old_headers = {k.lower(): v for k, v in old.headers.items()}
    new_headers = {k.lower(): v for k, v in new.headers.items()}
    if unnested(old_body) != old_body:
        old_body = unnested(old_body)
        # the same entries without the placeholder around them: fewer bytes
        assert int(new_headers.pop("content-length")) < int(old_headers.pop("content-length"))
    assert parsed_body(new) == old_body
    assert old_headers.pop("user-agent") == "smscx-client/0.1.0/python"  # 1.x says its real version
    assert new_headers.pop("user-agent") == "smscx-client/{} python/{}.{} {}".format(
        smscx_client.__version__, *sys.version_info[:2], sys.platform
    )
    if call.op.form:  # same fields, other order: other bytes, same length
        assert old_headers.pop("content-length") == new_headers.pop("content-length")
    assert new_headers == old_headers  # Content-Type, Accept, X-API-KEY / Authorization, Host, ...


@pytest.mark.parametrize("i,call", [p for p in INDEXED if p.values[1].name in se.SEND_OPERATIONS])
def test_auto_idempotency_only_adds_a_uuid4(exchanges, i, call):
    old, auto = request_pair(exchanges, i, ours="auto")
    sent, expected = auto.json(), unnested(old.json())
    if "idempotencyId" not in expected:
        assert se.new_uuid4(sent.pop("idempotencyId"))
    assert sent == expected
    assert strip_prefix(auto.path) == strip_prefix(old.path) and auto.query == old.query


def as_0113_sees_it(ours: Any, theirs: Any) -> Any:
    """Our ``to_dict()``, plain; under the keys of ``UNTYPED_IN_0113`` our value may equal theirs
    either as it is or in its raw JSON form (the only leeway)."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out = {}
        for key, value in ours.items():
            if key in UNTYPED_IN_0113 and key in theirs and raw_json(value) == theirs[key]:
                out[key] = theirs[key]
            else:
                out[key] = as_0113_sees_it(value, theirs.get(key))
        return out
    if isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        return [as_0113_sees_it(a, b) for a, b in zip(ours, theirs)]
    return legacy_driver.plain(ours)


def raw_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel(k): raw_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [raw_json(v) for v in value]
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")  # as served
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


@pytest.mark.parametrize("i,call", INDEXED)
def test_same_result_as_0113(exchanges, i, call):
    old, new = exchanges["0113"]["all"][i], exchanges["ours"]["all"][i]
    assert new["ok"], new
    if call.name in NOT_DECODED_BY_0113:
        assert not old["ok"] and _says(old["error"], NOT_DECODED_BY_0113[call.name]), old
        return
    assert old["ok"], old
    assert new["kind"] == old["kind"] and new.get("type") == old.get("type")
    value = as_0113_sees_it(new["value"], old["value"]) if new["kind"] == "model" else new["value"]
    assert value == old["value"]


def test_the_untyped_fields_were_met(exchanges):
    """The leeway above is not dead: 0.1.13 answered with those keys, and ours has the same keys."""
    for side in ("0113", "ours"):
        seen = json.dumps([legacy_driver.plain(r["value"]) for r in exchanges[side]["all"] if r["ok"]])
        for key in UNTYPED_IN_0113:
            assert '"{}"'.format(key) in seen, (side, key)


@pytest.mark.parametrize("k", range(len(REFUSED_BY_0113)), ids=[c.id for c, _ in REFUSED_BY_0113])
def test_what_0113_refuses_and_we_send(exchanges, k):
    call, error = REFUSED_BY_0113[k]
    old, new = exchanges["0113"]["refused"][k], exchanges["ours"]["refused"][k]
    assert not old["ok"] and old["error"].startswith(error), old
    assert "0113-refused-{}".format(k) not in exchanges["requests"]
    assert new["ok"], new
    assert sorted(exchanges["requests"]["ours-refused-{}".format(k)].query) == sorted(call.query)


def real(exchanges: Dict[str, Any], name: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    k = list(REAL_ANSWERS).index(name)
    return exchanges["0113"]["real"][k], exchanges["ours"]["real"][k]


def test_real_phone_numbers_by_country_reads_exactly_as_in_0113(exchanges):
    old, new = real(exchanges, "phone_numbers_by_country")
    assert old["ok"] and new["ok"]
    assert legacy_driver.plain(new["value"]) == old["value"]  # no leeway
    assert old["value"]["info"]["phoneNumbersByCountry"] == {"FR": 2, "DE": 1}


def test_real_pricing_answer_0113_cannot_decode_we_can(exchanges):
    old, new = real(exchanges, "pricing_by_country")
    assert not old["ok"] and "None of the oneOf schemas matched" in old["error"], old
    assert new["ok"] and new["value"] == REAL_ANSWERS["pricing_by_country"].reply


def test_fractional_cost_saved_0113_cannot_decode_we_can(exchanges):
    call = REAL_ANSWERS["fractional_cost_saved"]
    saved = call.reply["info"]["transliterationAnalysis"]["totalCostSaved"]
    assert saved != round(saved)
    old, new = real(exchanges, "fractional_cost_saved")
    assert not old["ok"] and "Invalid type for variable 'total_cost_saved'" in old["error"], old
    assert new["ok"] and new["value"]["info"]["transliteration_analysis"]["total_cost_saved"] == saved


def test_empty_204_answer_0113_fails_we_return_none(exchanges):
    old, new = real(exchanges, "no_content")
    assert not old["ok"] and old["error"].startswith("ApiTypeError"), old
    assert new == {"ok": True, "kind": "NoneType", "value": None}
