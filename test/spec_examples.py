"""Example calls for every SDK method, built from spec/openapi.yaml, with what must go on the wire.

For each of the 101 methods ``calls()`` gives a minimal call (required arguments only) and a full
one (every optional query parameter and body field set). A ``Call`` holds the arguments for the
method and, computed here independently of the SDK, the request that must arrive (method, raw
path with every path value quoted by ``urllib.parse.quote(safe='')``, query pairs, JSON body with
the API's names) and a canned answer valid for the response schema.

Values come from the raw JSON schemas (types, enums, lengths, patterns, formats), not from the
SDK's models; only the Python spelling of field names is taken from the generator's IR.
"""

from __future__ import annotations

import functools
import importlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Collection, Dict, Iterator, List, Optional, Tuple
from urllib.parse import quote

from tools.codegen import ir

TEST_KEY = "test-key-0123456789abcdef"
APP_ID, APP_SECRET = "app-id-42", "app-secret-0123"
UUID = "8c9e6679-7425-40de-944b-e07fc1f90ae7"
WHEN = "2023-06-23 14:26:10"  # the API's date-time form
PHONE = "+33612345678"
# an unconstrained string path value: every character here must be percent-encoded
ODD_ID = "Ab3/x y+z?#%é"
CSV_TEXT = "msgId,phoneNumber,status\r\n{},{},délivré\r\n".format(UUID, PHONE)
XLSX_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) + b"\r\n\x00\xff end"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEND_OPERATIONS = {
    "send_sms",
    "send_sms_campaign",
    "send_viber_message",
    "send_viber_campaign",
    "send_whatsapp_message",
    "send_multichannel_message",
    "send_multichannel_campaign",
}


@functools.lru_cache(maxsize=None)
def spec() -> ir.Spec:
    return ir.load()


def schemas() -> Dict[str, Any]:
    return spec().raw["components"]["schemas"]


# -- values from schemas -----------------------------------------------------------------------
def _fit(text: str, schema: Dict[str, Any]) -> str:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    while len(text) < low:
        text += "x"
    return text[:high] if high is not None else text


def _string(schema: Dict[str, Any], name: str) -> str:
    fmt = schema.get("x-format") or schema.get("format")
    if fmt == "date-time":
        return WHEN
    if fmt == "date":
        return WHEN[:10]
    if fmt == "uuid" or schema.get("pattern", "").startswith("^[0-9a-f]{8}"):
        return UUID
    if schema.get("pattern", "").startswith("^[0-9]{"):  # a digit sequence (include/exclude)
        return "612"
    if fmt == "uri":
        return "https://example.com/hooks/{}".format(name or "x")
    if fmt == "email":
        return "ops@example.com"
    lowered = name.lower()
    if (schema.get("minLength"), schema.get("maxLength")) == (2, 2) or lowered in (
        "countryiso",
        "country_iso",
    ):
        return "FR"
    if lowered in ("to", "phonenumber", "phonenumbers", "number", "msisdn", "phone"):
        return PHONE
    if lowered in ("from", "originator", "sender"):
        return "MyBrand"
    return _fit("{}-1".format(name or "text") if "pattern" not in schema else "Abc123", schema)


def _number(schema: Dict[str, Any], integer: bool) -> Any:
    value: Any = 2 if integer else 0.05
    if "minimum" in schema and value < schema["minimum"]:
        value = schema["minimum"] if integer else float(schema["minimum"])
    if "maximum" in schema and value > schema["maximum"]:
        value = schema["maximum"] if integer else float(schema["maximum"])
    return value


def _map_key(schema: Dict[str, Any]) -> str:
    """A key the map's ``propertyNames`` admit: a country code unless they ask otherwise."""
    names = schema.get("propertyNames") or {}
    if names.get("enum"):
        return str(names["enum"][0])
    if "\\d{4}" in names.get("pattern", ""):
        return "2023-06"
    return "FR"


def example(schema: Dict[str, Any], name: str = "", full: bool = True) -> Any:
    """A JSON value valid for ``schema`` (every property when ``full``, else the required ones)."""
    if "$ref" in schema:
        return example(schemas()[ir.ref_name(schema["$ref"])], name, full)
    if "oneOf" in schema:  # the first variant stands for the others
        return example(schema["oneOf"][0], name, full)
    if "anyOf" in schema:
        return example(next(s for s in schema["anyOf"] if s.get("type") != "null"), name, full)
    if schema.get("enum"):
        return next(v for v in schema["enum"] if v is not None)
    typ = schema.get("type")
    if isinstance(typ, list):
        typ = next(t for t in typ if t != "null")
    if typ == "string":
        return _string(schema, name)
    if typ in ("integer", "number"):
        return _number(schema, typ == "integer")
    if typ == "boolean":
        return True
    if typ == "array":
        return [
            example(schema.get("items", {}), name, full) for _ in range(max(1, schema.get("minItems", 1)))
        ]
    if typ == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        # fields 0.1.x took as positional arguments count as required (it demanded them)
        required = set(schema.get("required", [])) | set(schema.get("x-python-positional", []))
        out = {k: example(v, k, full) for k, v in props.items() if full or k in required}
        extra = schema.get("additionalProperties")
        if not props and isinstance(extra, dict) and extra:
            key = _map_key(schema)
            out[key] = example(extra, key, full)
        return out
    return "any-value"


def model_example(model: str, full: bool = True) -> Dict[str, Any]:
    value: Dict[str, Any] = example(schemas()[model], model, full)
    return value


# -- python arguments from JSON values ---------------------------------------------------------
def parse_when(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def to_python_kwargs(model: str, wire: Dict[str, Any]) -> Dict[str, Any]:
    """``wire`` keyed by the Python field names, nested models as kwargs dicts, date-times parsed."""
    fields = {f.wire: f for f in spec().models[model].fields}
    out = {}
    for key, value in wire.items():
        f = fields.get(key)
        out[f.name if f else key] = _to_python(f.type, value) if f else value
    return out


def _to_python(t: ir.TypeRef, value: Any) -> Any:
    if t.kind == "datetime":
        return parse_when(value)
    if t.kind == "date":
        return date.fromisoformat(value)
    if t.kind == "model" and spec().models[t.model or ""].legacy:
        # a map model, spelled as 0.1.x could: the whole map under its old placeholder name
        m = spec().models[t.model or ""]
        assert m.legacy is not None
        return ("model", t.model, {m.legacy[0]: value})
    if t.kind == "model" and spec().models[t.model or ""].kind == "map":
        return value  # a plain dict stands for it
    if t.kind == "model":
        return ("model", t.model, to_python_kwargs(t.model, value))  # built by the caller's SDK
    if t.kind == "list" and t.item is not None:
        return [_to_python(t.item, v) for v in value]
    if t.kind == "map" and t.item is not None:
        return {k: _to_python(t.item, v) for k, v in value.items()}
    return value


def model_class(name: str) -> Any:
    """This SDK's class for a spec model, from its module (the 0.1.x import path)."""
    return getattr(importlib.import_module("smscx_client.model." + spec().models[name].module), name)


def materialize(value: Any, model_class: Any = model_class) -> Any:
    """Build the ``("model", name, kwargs)`` placeholders with ``model_class(name)(**kwargs)``."""
    if isinstance(value, tuple) and value[:1] == ("model",):
        return model_class(value[1])(**{k: materialize(v, model_class) for k, v in value[2].items()})
    if isinstance(value, list):
        return [materialize(v, model_class) for v in value]
    if isinstance(value, dict):
        return {k: materialize(v, model_class) for k, v in value.items()}
    return value


def to_wire_expected(value: Any) -> Any:
    """What a Python argument built by ``to_python_kwargs`` must look like on the wire (0.1.x form)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple) and value[:1] == ("model",) and spec().models[value[1]].kind == "map":
        legacy = spec().models[value[1]].legacy or ("",)
        flat = dict(value[2].get(legacy[0], {}), **{k: v for k, v in value[2].items() if k != legacy[0]})
        return {k: to_wire_expected(v) for k, v in flat.items()}  # the entries, not nested
    if isinstance(value, tuple) and value[:1] == ("model",):
        return {_wire_name(value[1], k): to_wire_expected(v) for k, v in value[2].items()}
    if isinstance(value, dict):
        return {k: to_wire_expected(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire_expected(v) for v in value]
    return value


def _wire_name(model: str, name: str) -> str:
    for f in spec().models[model].fields:
        if f.name == name:
            return f.wire
    return name


def query_text(value: Any) -> str:
    """A query value as 0.1.x puts it in the URL (``str()``: booleans are ``True``/``False``)."""
    return str(value)


# -- calls -------------------------------------------------------------------------------------
@dataclass
class Call:
    """One SDK call and the exchange it must produce."""

    api: str  # API class name
    op: ir.Operation
    variant: str  # "min" or "full"
    args: List[Any]  # positional arguments (models as ("model", name, kwargs))
    kwargs: Dict[str, Any]
    # the request that must arrive
    method: str
    path: str
    query: List[Tuple[str, str]]
    body: Any  # parsed JSON body, or None
    form: Optional[List[Tuple[str, str]]]
    content_type: Optional[str]
    # the canned answer
    status: int
    reply: Any  # JSON-able, str (CSV) or bytes (XLSX)
    reply_headers: Dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return "{}.{}[{}]".format(self.api, self.op.name, self.variant)

    @property
    def name(self) -> str:
        return self.op.name


def param_schema(op: ir.Operation, p: ir.Param) -> Dict[str, Any]:
    raw = spec().raw["paths"][op.path][op.method.lower()]
    if p.location == "form":
        content = raw["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
        return dict(content["properties"][p.wire])
    for entry in raw.get("parameters", []):
        if entry["name"] == p.wire and entry["in"] == p.location:
            return dict(entry.get("schema", {}), **{"x-wire-format": entry.get("x-wire-format", "")})
    raise KeyError(p.wire)


def param_value(op: ir.Operation, p: ir.Param) -> Any:
    """An example value for a path, query or form parameter."""
    schema = param_schema(op, p)
    fmt = schema.get("x-wire-format", "")
    if fmt.startswith("Y-M or Y"):
        return "2023-06"
    if fmt == "Y-M-D":
        return "2023-06-30" if p.wire.startswith("end") else "2023-06-01"
    if schema.get("type") == "string" and not schema.get("enum") and p.location == "path":
        if fmt.startswith("E.164"):
            return PHONE
        if not (set(schema) & {"minLength", "maxLength", "pattern"}):
            return ODD_ID
    if schema.get("type") == "integer" and p.location == "path":
        return 123
    if p.wire == "limit":
        return 50
    if p.wire == "scope":
        return "sms otp numbers"
    if p.wire in ("next", "previous"):
        return "cur/sor+1=a&b " + p.wire
    if schema.get("type") == "boolean":
        return not schema.get("default", False)  # the non-default value, so it means something
    enum = schema.get("enum")
    if enum:
        return enum[-1]
    return example(schema, p.wire)


def _reply(op: ir.Operation) -> Tuple[int, Any, Dict[str, str]]:
    status = op.statuses[0]
    if op.response_kind == "csv":
        return status, CSV_TEXT, {"Content-Type": "application/csv; charset=utf-8"}
    if op.response_kind == "xlsx":
        # a hostile name: the SDK must keep the file inside its temporary folder
        return (
            status,
            XLSX_BYTES,
            {"Content-Type": XLSX_TYPE, "Content-Disposition": 'attachment; filename="../../x.xlsx"'},
        )
    if op.response_kind == "list":
        return status, ["sms", "viber", "whatsapp", "otp", "numbers"], {}
    assert op.response_model is not None
    return status, model_example(op.response_model), {"X-Request-Id": "req-" + op.name}


def build_call(
    api: str, op: ir.Operation, full: bool, every_alternative: bool = False, omit: Collection[str] = ()
) -> Call:
    """The call with required arguments (or all); ``every_alternative`` gives each parameter of a
    "one of these groups" rule (as 0.1.x required), ``omit`` leaves optional parameters out."""
    given: Dict[str, Any] = {}
    for p in op.params:
        if p.name in omit and not p.required:
            continue
        if p.location in ("path",) or (p.location == "form" and p.required):
            given[p.name] = param_value(op, p)
        elif p.location == "body":
            assert op.body_model is not None
            given[p.name] = (
                "model",
                op.body_model,
                to_python_kwargs(op.body_model, model_example(op.body_model, full)),
            )
        elif p.location == "bodyarg":
            prop = schemas()[op.body_model or ""]["properties"][p.wire]
            given[p.name] = example(prop, p.wire)
        elif p.required or full:
            given[p.name] = param_value(op, p)
    if op.require_one_of and not full:  # the first alternative only (e.g. period)
        first = op.require_one_of[0] if not every_alternative else [n for g in op.require_one_of for n in g]
        for group in op.require_one_of[1:]:
            for name in group:
                if name not in first:
                    given.pop(name, None)
        for name in first:
            p = next(p for p in op.params if p.name == name)
            given[name] = param_value(op, p)
    # positional: the leading positional parameters that are given; the rest by keyword
    args: List[Any] = []
    for p in op.positional:
        if p.name not in given:
            break
        args.append(given.pop(p.name))
    kwargs = given
    values = dict(zip([p.name for p in op.positional], args), **kwargs)

    path = op.path
    query: List[Tuple[str, str]] = []
    body: Any = None
    form: Optional[List[Tuple[str, str]]] = None
    for p in op.params:
        if p.name not in values:
            continue
        v = values[p.name]
        if p.location == "path":
            path = path.replace("{" + p.wire + "}", quote(str(v), safe=""))
        elif p.location == "query":
            query.append((p.wire, query_text(v)))
        elif p.location == "body":
            body = to_wire_expected(v)
        elif p.location == "bodyarg":
            body = dict(body or {}, **{p.wire: v})
        elif p.location == "form":
            form = (form or []) + [(p.wire, str(v))]
    content_type = "application/json" if body is not None else None
    if op.form:
        content_type = "application/x-www-form-urlencoded"
    status, reply, headers = _reply(op)
    return Call(
        api,
        op,
        "full" if full else "min",
        args,
        kwargs,
        op.method,
        path,
        query,
        body,
        form,
        content_type,
        status,
        reply,
        headers,
    )


def calls(full: Optional[bool] = None, **options: Any) -> Iterator[Call]:
    """Every method's minimal call, then (or only, or not) its full call (``build_call`` options)."""
    for api in spec().apis:
        for op in api.operations:
            for variant in (False, True) if full is None else (full,):
                yield build_call(api.cls, op, variant, **options)


def new_uuid4(value: str) -> bool:
    try:
        return uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value
    except (TypeError, ValueError):
        return False
