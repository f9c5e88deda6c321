"""Requests that break exactly one rule of an operation's schema, and the documented row each must get.

``base(op)`` is a request the spec allows, built from the spec's ``example`` values (the ones the
generated example scripts send). ``breakages(op)`` walks the operation's schema as the sandbox
validates it (``smscx_client/sandbox/_schema.py``: parameters, body, component schemas) and, for
every keyword of every field, yields a copy of that request whose one change breaks that keyword
alone (absent, empty, null, wrong type, outside the enum, too short or long, pattern, format,
range, item count, an unknown field, too few or many fields), with the row the spec's ``x-error``
annotations name for it. The row is worked out here from the annotations and the resolution rules
of CONTRIBUTING.md ("Structure in the spec"), not by asking the sandbox's validator.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple
from urllib.parse import quote, urlencode

from spec_examples import example, spec

from smscx_client.sandbox._schema import OPERATIONS, SCHEMAS

__all__ = ["Req", "Broken", "Row", "base", "breakages", "documented_rows", "route", "NO_BODY"]

NO_BODY = object()  # the request has no body at all
Row = Tuple[int, str, int]  # (status, type, code)

# the groups of keywords an x-error map may name instead of the keyword (CONTRIBUTING.md), tried
# after the keyword itself and before ``default``; a null answers like a missing field
_GROUP_OF = {
    "length": ("minLength", "maxLength", "minProperties", "maxProperties"),
    "items": ("minItems", "maxItems", "uniqueItems"),
    "range": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
    "format": ("pattern", "format"),
    "unknown": ("additionalProperties",),
    "required": ("null",),
}
_GROUPS = {keyword: (group,) for group, keywords in _GROUP_OF.items() for keyword in keywords}
_OWN = ("empty", "required", "null")
_UNKNOWN_FIELD = "zzUnknownField"


# -- requests ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Req:
    """One request to the sandbox, printable in a failure report."""

    op: str
    method: str
    path: str  # the template, e.g. /groups/{groupId}
    params: Dict[str, str] = field(default_factory=dict)
    query: Dict[str, str] = field(default_factory=dict)
    body: Any = NO_BODY  # a JSON value
    raw: Optional[bytes] = None  # a body sent as these bytes (Content-Type: application/json)
    form: Optional[Dict[str, str]] = None  # an application/x-www-form-urlencoded body
    basic_auth: str = ""  # "app": the OAuth application's credentials instead of the API key; "wrong": a bad secret

    def url_path(self) -> str:
        """The path with every value percent-encoded, and the query."""
        path = self.path
        for name, value in self.params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        return path + ("?" + urlencode(self.query) if self.query else "")

    def payload(self) -> Tuple[Optional[bytes], Dict[str, str]]:
        """The body bytes and their Content-Type header."""
        if self.raw is not None:
            return self.raw, {"Content-Type": "application/json"}
        if self.form is not None:
            return urlencode(self.form).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        if self.body is NO_BODY:
            return None, {}
        return json.dumps(self.body).encode(), {"Content-Type": "application/json"}

    def __str__(self) -> str:
        head = "{} {}".format(self.method, self.url_path())
        if self.raw is not None:
            return "{} (raw body {!r})".format(head, self.raw)
        if self.form is not None:
            return "{} (form {})".format(head, self.form)
        if self.body is NO_BODY:
            return head
        text = json.dumps(_abridged(self.body), ensure_ascii=False)
        return "{} {}".format(head, text if len(text) <= 600 else text[:597] + "...")


def _abridged(value: Any) -> Any:
    """Long lists shown by their length (a 25001-number ``to``)."""
    if isinstance(value, list) and len(value) > 6:
        return [_abridged(v) for v in value[:3]] + ["... {} items in all".format(len(value))]
    if isinstance(value, list):
        return [_abridged(v) for v in value]
    if isinstance(value, dict):
        return {k: _abridged(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Broken:
    """A request that breaks one rule, what it breaks, and the row the spec names for it."""

    req: Req
    what: str  # e.g. "`to`: maxItems (25001 items)"
    row: Row


# -- the spec ------------------------------------------------------------------------------------
def _raw_ops() -> Dict[str, Tuple[str, str, Dict[str, Any]]]:
    out = {}
    for path, item in spec().raw["paths"].items():
        for method, op in item.items():
            out[op["operationId"]] = (method.upper(), path, op)
    return out


_RAW = _raw_ops()


def route(op: str) -> Tuple[str, str]:
    """(method, path template) of an operation."""
    method, path, _ = _RAW[op]
    return method, path


def documented_rows() -> Dict[str, List[Row]]:
    """Every operation's documented rows (its own ``x-errors`` and the common ones), in table
    order, each (status, type, code) once."""
    out: Dict[str, List[Row]] = {}
    for api in spec().apis:
        for operation in api.operations:
            rows = out.setdefault(operation.operation_id, [])
            for e in operation.errors:
                if (e.status, e.type, e.code) not in rows:
                    rows.append((e.status, e.type, e.code))
    return out


_ROWS = documented_rows()


def _row(op: str, code: int, type_: Optional[str]) -> Row:
    """The documented row of ``code`` (of that type when given; else the table's first)."""
    found = [r for r in _ROWS[op] if r[2] == code and (type_ is None or r[1] == type_)]
    assert found, "{}: no documented row {} {}".format(op, code, type_ or "")
    return found[0]


# -- the valid request ---------------------------------------------------------------------------
def _deref(schema: Dict[str, Any]) -> Dict[str, Any]:
    while "$ref" in schema:
        schema = spec().raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _from_examples(schema: Dict[str, Any], name: str) -> Any:
    """A value of ``schema`` from the spec's examples: the field's own ``example``, else an object
    of its fields that have one (and the required ones), else a value built from the schema."""
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    target = _deref(schema)
    if "example" in target:
        return copy.deepcopy(target["example"])
    if target.get("oneOf"):  # the first alternative (add_contacts_to_group: a list of numbers)
        return _from_examples(target["oneOf"][0], name)
    props = target.get("properties")
    if props and target.get("type", "object") == "object":
        required = set(target.get("required", ()))
        return {
            k: _from_examples(p, k)
            for k, p in props.items()
            if k in required or "example" in p or "example" in _deref(p)
        }
    return example(schema, name, full=False)


def _valid(compact: Dict[str, Any], name: str) -> Any:
    """A valid value of a schema of ``_schema.py`` (its ``$ref``s name components)."""
    return _from_examples(_as_raw(compact), name)


def _as_raw(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: ("#/components/schemas/" + v if k == "$ref" else _as_raw(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_raw(v) for v in node]
    return node


def base(op: str) -> Req:
    """The operation called with the spec's example values (every one it gives, as the example
    scripts do)."""
    method, path, raw = _RAW[op]
    params: Dict[str, str] = {}
    query: Dict[str, str] = {}
    for p in raw.get("parameters", []):
        sch = p.get("schema", {})
        if "example" in sch:
            value = sch["example"]
        elif p.get("required"):
            value = example(sch, p["name"])
        else:
            continue
        text = json.dumps(value) if isinstance(value, bool) else str(value)
        (params if p["in"] == "path" else query)[p["name"]] = text
    req = Req(op, method, path, params, query, basic_auth="app" if op == "get_access_token" else "")
    rb = raw.get("requestBody")
    if not rb:
        return req
    (media, content), = rb["content"].items()
    value = _from_examples(content["schema"], "body")
    if media == "application/x-www-form-urlencoded":
        return replace(req, form={k: str(v) for k, v in value.items()})
    return replace(req, body=value)


# -- the row of a failure ------------------------------------------------------------------------
Trail = Tuple[Tuple[str, Any], ...]  # (field, x-error) of every annotated schema on the way


def _parse(answer: Any) -> Tuple[int, Optional[str]]:
    if isinstance(answer, int):
        return answer, None
    code, _, type_ = str(answer).partition(" ")
    return int(code), type_ or None


def expected_code(
    trail: Trail, where: str, keyword: str, empty: bool, default: Any, fallback: int
) -> Tuple[int, Optional[str]]:
    """The code (and type) the spec names for ``keyword`` failing at ``where``: the innermost
    annotation that answers, then the operation's ``x-validation-error``, then ``fallback``."""
    chain = trail + (((where, default),) if default is not None else ())
    for owner, answer in reversed(chain):
        if not isinstance(answer, dict):
            return _parse(answer)
        own = owner == where
        keys = (["empty", "required"] if empty and own else []) + [keyword, *_GROUPS.get(keyword, ()), "default"]
        for key in keys:
            if not own and key in _OWN:
                continue
            if key in answer:
                return _parse(answer[key])
    return fallback, None


# -- walking the schema ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Failure:
    value: Any  # the broken value (``_ABSENT`` for a removed field)
    what: str
    keyword: str
    empty: bool


_ABSENT = object()


def _layers(schema: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The schema and the components its ``$ref`` chain reaches, outermost first."""
    out = [schema]
    while "$ref" in out[-1]:
        out.append(SCHEMAS[out[-1]["$ref"]])
    return out


def _types(layers: Sequence[Dict[str, Any]]) -> List[str]:
    for layer in reversed(layers):
        kind = layer.get("type")
        if kind is not None:
            return list(kind) if isinstance(kind, list) else [kind]
    return []


def _merged(layers: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for layer in layers:
        out.update({k: v for k, v in layer.items() if k not in ("$ref", "x-error")})
    return out


def _matches(pattern: str, text: str) -> bool:
    # ECMA-262: `$` is the end of the text
    return re.search(pattern.replace("$", r"\Z"), text) is not None


def _format_breaker(fmt: str) -> Optional[str]:
    return {"uri": "not a url", "uuid": "not-a-uuid", "date-time": "not a date", "date": "2023/06/01"}.get(fmt)


def _string_failures(s: Dict[str, Any]) -> Iterator[_Failure]:
    low, high = s.get("minLength"), s.get("maxLength")
    enum, pattern, fmt = s.get("enum"), s.get("pattern"), s.get("format")
    if enum is not None:
        if "" not in enum:
            yield _Failure("", "empty", "enum", True)
        yield _Failure("zzz-not-listed", "not in the enum", "enum", False)
        return
    if low:
        yield _Failure("", "empty", "minLength", True)
    elif pattern and not _matches(pattern, ""):
        yield _Failure("", "empty", "pattern", True)
    if low and low >= 2:
        yield _Failure("x" * (low - 1), "{} characters".format(low - 1), "minLength", False)
    if high is not None:
        yield _Failure("x" * (high + 1), "{} characters".format(high + 1), "maxLength", False)
    size = max(low or 0, min(high or 8, 8), 1)
    if pattern:
        for text in ("!" * size, "x" * size, "0" * size):
            if not _matches(pattern, text):
                yield _Failure(text, "pattern", "pattern", False)
                break
    elif fmt:
        text = _format_breaker(fmt)
        if text is not None and (low or 0) <= len(text) <= (high or len(text)):
            yield _Failure(text, "format " + fmt, "format", False)


def _number_failures(s: Dict[str, Any], integer: bool) -> Iterator[_Failure]:
    step = 1 if integer else 0.5
    if "minimum" in s:
        yield _Failure(s["minimum"] - step, "below the minimum", "minimum", False)
    if "maximum" in s:
        yield _Failure(s["maximum"] + step, "above the maximum", "maximum", False)
    if "exclusiveMinimum" in s:
        yield _Failure(s["exclusiveMinimum"], "at the exclusive minimum", "exclusiveMinimum", False)
    if "exclusiveMaximum" in s:
        yield _Failure(s["exclusiveMaximum"], "at the exclusive maximum", "exclusiveMaximum", False)
    if "enum" in s:
        yield _Failure(max(v for v in s["enum"] if isinstance(v, (int, float))) + 1, "not in the enum", "enum", False)


def _wrong_type(kinds: Sequence[str]) -> Any:
    for candidate in ("text", 12345, True, ["x"], {"k": "v"}):
        name = {str: "string", int: "integer", bool: "boolean", list: "array", dict: "object"}[type(candidate)]
        if name not in kinds and not (name == "integer" and "number" in kinds):
            return candidate
    raise AssertionError(kinds)


class _Walker:
    """Yields the breakages of one operation's parameters and body."""

    def __init__(self, op: str) -> None:
        self.op = op
        self.entry = OPERATIONS[op]
        self.default = self.entry.get("default")

    def row(self, trail: Trail, where: str, keyword: str, empty: bool, fallback: int = 1008) -> Row:
        code, type_ = expected_code(trail, where, keyword, empty, self.default, fallback)
        return _row(self.op, code, type_)

    # -- parameters (strings on the wire) ------------------------------------------------------
    def params(self, req: Req) -> Iterator[Broken]:
        for p in self.entry["params"]:
            own: Trail = ((p["name"], p["x-error"]),) if "x-error" in p else ()
            yield from self._param(req, p["in"], p["name"], p["schema"], p["required"], own)

    def _param(self, req: Req, loc: str, name: str, schema: Dict[str, Any], required: bool, own: Trail) -> Iterator[Broken]:
        """``own``: the trail of the parameter itself, which is all an absent one answers with; a
        present one's schema adds its annotations."""
        layers = _layers(schema)
        present = own + tuple((name, layer["x-error"]) for layer in layers if "x-error" in layer)
        kinds = _types(layers)
        kind = next((k for k in kinds if k != "null"), "string")
        in_path = loc == "path"
        failures: List[_Failure] = []
        if required and not in_path:
            failures.append(_Failure(_ABSENT, "absent", "required", True))
        if kind in ("integer", "number", "boolean"):
            if not in_path:
                failures.append(_Failure("", "empty", "type", True))
            failures.append(_Failure("x1", "not {}".format(kind), "type", False))
            if kind != "boolean":
                failures += [replace(f, value=str(f.value)) for f in _number_failures(_merged(layers), kind == "integer")]
        elif kind == "string":
            # an empty or slashed path value is another route
            failures += [f for f in _string_failures(_merged(layers)) if not (in_path and (f.value == "" or "/" in f.value))]
        for f in failures:
            if loc == "path":
                changed = replace(req, params=dict(req.params, **{name: f.value}))
            elif loc == "query":
                changed = replace(req, query=_set(req.query, name, f.value))
            else:
                changed = replace(req, form=_set(req.form or {}, name, f.value))
            trail = own if f.value is _ABSENT else present
            what = "{} parameter `{}`: {}".format(loc, name, f.what)
            yield Broken(changed, what, self.row(trail, name, f.keyword, f.empty))

    # -- the body --------------------------------------------------------------------------------
    def body(self, req: Req) -> Iterator[Broken]:
        rb = self.entry["body"]
        trail: Trail = (("", rb["x-error"]),) if "x-error" in rb else ()
        not_json = Broken(replace(req, body=NO_BODY, form=None, raw=b"{not json"), "body: not JSON", _row(self.op, 1007, None))
        if rb["media"] == "application/x-www-form-urlencoded":
            schema = rb["schema"]
            for name, sub in schema.get("properties", {}).items():
                own = trail + (((name, sub["x-error"]),) if "x-error" in sub else ())
                yield from self._param(req, "form", name, sub, name in schema.get("required", ()), own)
            yield not_json
            return
        yield not_json
        if rb["required"]:
            yield Broken(replace(req, body=NO_BODY), "body: absent", self.row(trail, "", "required", True, 1007))
        yield Broken(replace(req, body=["x"]), "body: an array", self.row(trail, "", "type", False, 1007))
        for value, what, row in self._node(rb["schema"], req.body, "", trail):
            yield Broken(replace(req, body=value), what, row)

    def _node(self, schema: Dict[str, Any], valid: Any, where: str, trail: Trail) -> Iterator[Tuple[Any, str, Row]]:
        """(the whole value with one rule broken inside, description, row) for a value of
        ``schema`` at ``where``; ``valid`` is a valid one."""
        layers = _layers(schema)
        # the trail each layer's own checks see: its annotation and those of the layers outside it
        trails: List[Trail] = []
        for layer in layers:
            trail = trail + (((where, layer["x-error"]),) if "x-error" in layer else ())
            trails.append(trail)

        def at(keyword: str) -> Trail:
            """The trail of the innermost layer stating ``keyword`` (inner layers are checked first)."""
            return next((t for layer, t in zip(reversed(layers), reversed(trails)) if keyword in layer), trails[-1])

        name = where or "body"
        merged = _merged(layers)
        kinds = _types(layers)
        kind = next((k for k in kinds if k != "null"), None)
        if where and kinds:  # the body itself is broken in ``body``
            if "null" not in kinds:
                yield None, "`{}`: null".format(name), self.row(at("type"), where, "null", True)
            yield _wrong_type(kinds), "`{}`: of another type".format(name), self.row(at("type"), where, "type", False)
        failures: List[_Failure] = []
        if kind == "string":
            failures = list(_string_failures(merged))
        elif kind in ("integer", "number"):
            failures = list(_number_failures(merged, kind == "integer"))
        for f in failures:
            yield f.value, "`{}`: {}".format(name, f.what), self.row(at(f.keyword), where, f.keyword, f.empty)
        if kind == "array":
            yield from self._array(merged, valid, where, at)
        elif kind == "object" or "properties" in merged:
            yield from self._object(layers, trails, merged, valid, where, at)

    def _array(self, merged: Dict[str, Any], valid: Any, where: str, at: Any) -> Iterator[Tuple[Any, str, Row]]:
        name = where or "body"
        item_schema = merged.get("items") or {}
        items = list(valid) if isinstance(valid, list) and valid else [_valid(item_schema, where)]
        low, high = merged.get("minItems"), merged.get("maxItems")
        if low:
            yield [], "`{}`: empty".format(name), self.row(at("minItems"), where, "minItems", True)
        if low and low >= 2:
            yield items[: low - 1], "`{}`: {} item(s)".format(name, low - 1), self.row(at("minItems"), where, "minItems", False)
        if high is not None:
            many = [items[i % len(items)] for i in range(high + 1)]
            yield many, "`{}`: {} items".format(name, high + 1), self.row(at("maxItems"), where, "maxItems", False)
        if merged.get("uniqueItems"):
            yield [items[0], items[0]], "`{}`: one item twice".format(name), self.row(at("uniqueItems"), where, "uniqueItems", False)
        if item_schema:
            for value, what, row in self._node(item_schema, items[0], "{}[0]".format(where), at("items")):
                yield [value] + items[1:], what, row

    def _object(
        self, layers: List[Dict[str, Any]], trails: List[Trail], merged: Dict[str, Any], valid: Any, where: str, at: Any
    ) -> Iterator[Tuple[Any, str, Row]]:
        name = where or "body"
        prefix = where + "." if where else ""
        valid = dict(valid) if isinstance(valid, dict) else {}
        for layer, trail in zip(layers, trails):
            required = layer.get("required", ())
            props = layer.get("properties", {})
            for prop, sub in props.items():
                child = prefix + prop
                if prop in required:
                    # an absent field answers with its own annotation, not its schema's
                    own = ((child, sub["x-error"]),) if "x-error" in sub else ()
                    rest = {k: v for k, v in valid.items() if k != prop}
                    yield rest, "`{}`: absent".format(child), self.row(trail + own, child, "required", True)
                sub_valid = valid[prop] if prop in valid else _valid(sub, prop)
                for value, what, row in self._node(sub, sub_valid, child, trail):
                    yield dict(valid, **{prop: value}), what, row
            extra = layer.get("additionalProperties")
            if extra is False:
                unknown = dict(valid, **{_UNKNOWN_FIELD: 1})
                yield unknown, "`{}`: an unknown field".format(name), self.row(trail, prefix + _UNKNOWN_FIELD, "additionalProperties", False)
            if isinstance(extra, dict) and extra and not props:  # a map
                key = next(iter(valid), "FR")
                entry = valid[key] if key in valid else _valid(extra, key)
                base_map = dict(valid, **{key: entry})
                names = layer.get("propertyNames") or {}
                if names.get("pattern") and not _matches(names["pattern"], " "):
                    yield dict(base_map, **{" ": entry}), "`{}`: a blank key".format(name), self.row(trail, prefix + " ", "pattern", False)
                for value, what, row in self._node(extra, entry, prefix + key, trail):
                    yield dict(base_map, **{key: value}), what, row
                if "maxProperties" in layer:
                    many = {"k{}".format(i): entry for i in range(layer["maxProperties"] + 1)}
                    yield many, "`{}`: {} fields".format(name, len(many)), self.row(trail, where, "maxProperties", False)
            if layer.get("minProperties") and not required:
                yield {}, "`{}`: no fields".format(name), self.row(trail, where, "minProperties", True)
        for key in ("oneOf", "anyOf"):
            if merged.get(key):
                # the first alternative (the one the examples take) stands for the others
                yield from self._node(merged[key][0], valid, where, at(key))


def _set(values: Dict[str, str], name: str, value: Any) -> Dict[str, str]:
    out = dict(values)
    if value is _ABSENT:
        out.pop(name, None)
    else:
        out[name] = value
    return out


def breakages(op: str) -> Iterator[Broken]:
    """Every single-rule breakage of ``op``'s request, with its documented row."""
    walker = _Walker(op)
    req = base(op)
    yield from walker.params(req)
    if walker.entry["body"] is not None:
        yield from walker.body(req)
