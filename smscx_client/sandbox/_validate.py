"""Checks a request (and, in strict mode, an answer) against the operation's schema as generated
into ``_schema.py``, and turns the first failure into the documented error row of that field.

A field names its row with ``x-error`` in the spec: a code, ``"CODE type"`` (when the operation
documents the code with several types), or a map from the failed keyword to either
(``required``, ``empty``, ``null``, ``type``, ``enum``, ``minLength`` ... or the groups
``length``, ``items``, ``range``, ``format``, ``unknown``, then ``default``). The innermost field
on the failing path that has an answer wins; a field's ``empty``/``required``/``null`` keys answer
only for the field itself, not for what fails inside it. Then comes the operation's
``x-validation-error``, then the rows every operation documents (``invalid_body`` 1007,
``invalid_param`` 1008). Backends therefore only see requests the spec allows, and hold business
rules alone.
"""

from __future__ import annotations

import math
import operator
import re
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

from smscx_client.sandbox._schema import OPERATIONS, SCHEMAS

__all__ = ["Failure", "Rejection", "check_request", "check_value", "check_response", "INVALID_BODY", "INVALID_PARAM"]

INVALID_BODY = 1007  # the body is missing, not JSON, or not the JSON type the operation takes
INVALID_PARAM = 1008  # a parameter breaks its schema and the spec names no closer row

# where a failed keyword looks for its code, after its own name
_GROUPS = {
    "minLength": ("length",),
    "maxLength": ("length",),
    "minItems": ("items",),
    "maxItems": ("items",),
    "uniqueItems": ("items",),
    "minProperties": ("length",),
    "maxProperties": ("length",),
    "minimum": ("range",),
    "maximum": ("range",),
    "exclusiveMinimum": ("range",),
    "exclusiveMaximum": ("range",),
    "multipleOf": ("range",),
    "pattern": ("format",),
    "format": ("format",),
    "const": ("enum",),
    "additionalProperties": ("unknown",),
    "null": ("required",),
}

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUM = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# ``uri`` is what the API can fetch or call: an absolute http(s) URL whose host has a dot (or is
# localhost), without spaces, at most 2048 characters
_URI = re.compile(r"https?://(?:[^\s/?#]+\.[^\s/?#]+|localhost(?::[0-9]+)?)(?:[/?#]\S*)?", re.I)
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ Tt]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[Zz]|[+-]\d{2}:?\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BOUNDS = (
    ("minimum", operator.ge, "at least"),
    ("maximum", operator.le, "at most"),
    ("exclusiveMinimum", operator.gt, "more than"),
    ("exclusiveMaximum", operator.lt, "less than"),
)
_OWN_KEYS = ("empty", "required", "null")
_ROW = re.compile(r"([0-9]+)(?: ([a-z_]+))?")
_BOOLEANS = ("true", "false", "True", "False")
_REGEX: Dict[str, "re.Pattern[str]"] = {}


Row = Tuple[int, Optional[str]]  # a documented code, and the type when the code has several


def parse_row(value: Union[int, str]) -> Row:
    """An ``x-error`` answer (``1600`` or ``"1600 invalid_request"``) as (code, type or None)."""
    if isinstance(value, int):
        return value, None
    m = _ROW.fullmatch(value)
    if m is None:
        raise ValueError("an x-error answer is a code or 'CODE type', not {!r}".format(value))
    return int(m.group(1)), m.group(2)


class Rejection(NamedTuple):
    """The documented error a request gets for the first rule it breaks."""

    code: int
    type: Optional[str]  # picks the row when the operation documents the code with several types
    detail: str  # what exactly was wrong, naming the field


class Failure:
    """The first rule a value breaks: where, which keyword, and why in words."""

    __slots__ = ("where", "keyword", "detail", "empty", "trail")

    def __init__(self, where: str, keyword: str, detail: str, empty: bool, trail: Tuple[Any, ...]) -> None:
        self.where = where
        self.keyword = keyword
        self.detail = detail
        self.empty = empty  # the value was absent, null, "" or []: "missing or empty" rows apply
        # (field, x-error) of every annotated field on the path, outermost first
        self.trail = trail

    def keys(self, own: bool = True) -> Tuple[str, ...]:
        """The x-error keys to try, most specific first. A field's ``empty``/``required``/``null``
        rows are about the field itself (``own``): a null item or a missing key inside a list or
        an object does not make the list or object missing or empty."""
        first = ("empty", "required") if self.empty and own else ()
        rest = (self.keyword,) + _GROUPS.get(self.keyword, ()) + ("default",)
        if not own:
            rest = tuple(k for k in rest if k not in _OWN_KEYS)
        return first + rest

    def row(self, fallback: Optional[Any] = None) -> Optional[Row]:
        """The documented row: the innermost ``x-error`` that answers, else ``fallback``'s (the
        operation's ``x-validation-error``, which answers for any field)."""
        trail = self.trail + (((self.where, fallback),) if fallback is not None else ())
        for owner, spec in reversed(trail):
            if not isinstance(spec, dict):
                return parse_row(spec)
            for key in self.keys(own=owner == self.where):
                if key in spec:
                    return parse_row(spec[key])
        return None

    def code(self, fallback: Optional[Any] = None) -> Optional[int]:
        """The documented code (see ``row``)."""
        row = self.row(fallback)
        return None if row is None else row[0]

    def __repr__(self) -> str:
        return "Failure({!r}, {!r}, {!r})".format(self.where, self.keyword, self.detail)


def _regex(pattern: str) -> "re.Pattern[str]":
    compiled = _REGEX.get(pattern)
    if compiled is None:
        compiled = _REGEX[pattern] = re.compile(_ecma_anchors(pattern))
    return compiled


def _ecma_anchors(pattern: str) -> str:
    """``pattern`` with each ``$`` outside a character class made ``\\Z``: in JSON Schema (ECMA-262)
    ``$`` is the end of the text, while Python's also matches before a final newline."""
    out: List[str] = []
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "$":
            out.append("\\Z")
            continue
        out.append(ch)
    return "".join(out)


# bool before int: True is an int to Python, a boolean to JSON
_JSON_TYPES = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"), (dict, "object"))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), type(value).__name__)


def _is(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        # JSON Schema: 5.0 is an integer
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "null":
        return value is None
    return False


def _quote(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _format_ok(fmt: str, value: str) -> bool:
    if fmt == "uuid":
        return _UUID.fullmatch(value) is not None
    if fmt == "uri":
        return len(value) <= 2048 and _URI.fullmatch(value) is not None
    if fmt == "date-time":
        return _DATE_TIME.fullmatch(value.strip()) is not None
    if fmt == "date":
        return _DATE.fullmatch(value) is not None
    return True  # binary: nothing to check in JSON


def check_value(schema: Dict[str, Any], value: Any, where: str, trail: Tuple[Any, ...] = ()) -> Optional[Failure]:
    """The first rule of ``schema`` that ``value`` breaks, or None."""
    spec = schema.get("x-error")
    if spec is not None:
        trail = trail + ((where, spec),)
    ref = schema.get("$ref")
    if ref is not None:
        inner = check_value(SCHEMAS[ref], value, where, trail)
        if inner is not None:
            return inner
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else (kind,)
        if not any(_is(value, k) for k in kinds):
            if value is None:
                return Failure(where, "null", "`{}` may not be null".format(where), True, trail)
            wanted = " or ".join(k for k in kinds if k != "null")
            return Failure(
                where, "type", "`{}` must be {} {}, not {}".format(where, _article(wanted), wanted, _json_type(value)), False, trail
            )
    if value is None:
        return _composed(schema, value, where, trail)
    if "enum" in schema and value not in schema["enum"] or "const" in schema and value != schema["const"]:
        allowed = schema["enum"] if "enum" in schema else [schema["const"]]
        return Failure(
            where,
            "enum",
            "`{}` must be one of {}, not {}".format(where, ", ".join(_quote(a) for a in allowed if a is not None), _quote(value)),
            value == "",
            trail,
        )
    failure: Optional[Failure]
    if isinstance(value, str):
        failure = _string(schema, value, where, trail)
    elif isinstance(value, list):
        failure = _array(schema, value, where, trail)
    elif isinstance(value, dict):
        failure = _object(schema, value, where, trail)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        failure = _number(schema, value, where, trail)
    else:
        failure = None
    return failure or _composed(schema, value, where, trail)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _string(schema: Dict[str, Any], value: str, where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    n = len(value)
    low, high = schema.get("minLength"), schema.get("maxLength")
    if (low is not None and n < low) or (high is not None and n > high):
        if low == high:
            rule = "exactly {} characters".format(low)
        elif low is not None and high is not None:
            rule = "{} to {} characters".format(low, high)
        elif low is not None:
            rule = "at least {} characters".format(low)
        else:
            rule = "at most {} characters".format(high)
        keyword = "minLength" if low is not None and n < low else "maxLength"
        return Failure(where, keyword, "`{}` must be {} long (got {})".format(where, rule, n), n == 0, trail)
    pattern = schema.get("pattern")
    if pattern is not None and _regex(pattern).search(value) is None:
        return Failure(where, "pattern", "`{}` does not have the expected form ({})".format(where, _quote(value)), n == 0, trail)
    fmt = schema.get("format")
    if fmt is not None and not _format_ok(fmt, value):
        return Failure(where, "format", "`{}` is not a valid {} ({})".format(where, fmt, _quote(value)), n == 0, trail)
    return None


def _number(schema: Dict[str, Any], value: float, where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    for keyword, inside, words in _BOUNDS:
        bound = schema.get(keyword)
        if bound is not None and not inside(value, bound):
            return Failure(where, keyword, "`{}` must be {} {} (got {})".format(where, words, bound, value), False, trail)
    step = schema.get("multipleOf")
    if step is not None and (value / step) != int(value / step):
        return Failure(where, "multipleOf", "`{}` must be a multiple of {}".format(where, step), False, trail)
    return None


def _array(schema: Dict[str, Any], value: List[Any], where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    n = len(value)
    low, high = schema.get("minItems"), schema.get("maxItems")
    if low is not None and n < low:
        return Failure(where, "minItems", "`{}` needs at least {} items (got {})".format(where, low, n), n == 0, trail)
    if high is not None and n > high:
        return Failure(where, "maxItems", "`{}` takes at most {} items (got {})".format(where, high, n), False, trail)
    if schema.get("uniqueItems") and len({_hashable(v) for v in value}) != n:
        return Failure(where, "uniqueItems", "`{}` holds the same item twice".format(where), False, trail)
    items = schema.get("items")
    if isinstance(items, dict) and items:
        if items.get("type") == "string" and items.keys() <= {"type", "x-error"}:  # phone numbers: one pass
            for i, v in enumerate(value):
                if not isinstance(v, str):
                    return check_value(items, v, "{}[{}]".format(where, i), trail)
            return None
        for i, v in enumerate(value):
            failure = check_value(items, v, "{}[{}]".format(where, i), trail)
            if failure is not None:
                return failure
    return None


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return (type(value) is bool, value)


def _object(schema: Dict[str, Any], value: Dict[str, Any], where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    props: Dict[str, Any] = schema.get("properties", {})
    required: Sequence[str] = schema.get("required", ())
    prefix = where + "." if where else ""
    for name, sub in props.items():
        if name in value:
            failure = check_value(sub, value[name], prefix + name, trail)
            if failure is not None:
                return failure
        elif name in required:
            spec = sub.get("x-error")
            inner = trail + ((prefix + name, spec),) if spec is not None else trail
            return Failure(prefix + name, "required", "`{}` is required".format(prefix + name), True, inner)
    for name in required:
        if name not in props and name not in value:
            return Failure(prefix + name, "required", "`{}` is required".format(prefix + name), True, trail)
    extra = schema.get("additionalProperties", True)
    if extra is not True:
        for name in value:
            if name in props:
                continue
            if extra is False:
                known = ", ".join("`{}`".format(p) for p in props) or "none"
                return Failure(
                    prefix + name,
                    "additionalProperties",
                    "`{}` is not a field of this request (fields: {})".format(prefix + name, known),
                    False,
                    trail,
                )
            failure = check_value(extra, value[name], prefix + name, trail)
            if failure is not None:
                return failure
    names = schema.get("propertyNames")
    if names is not None:
        for name in value:
            failure = check_value(names, name, prefix + name, trail)
            if failure is not None:
                return failure
    n = len(value)
    if "minProperties" in schema and n < schema["minProperties"]:
        return Failure(where, "minProperties", "`{}` needs at least {} fields".format(where or "body", schema["minProperties"]), n == 0, trail)
    if "maxProperties" in schema and n > schema["maxProperties"]:
        return Failure(where, "maxProperties", "`{}` takes at most {} fields".format(where or "body", schema["maxProperties"]), False, trail)
    return None


def _composed(schema: Dict[str, Any], value: Any, where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    negated = schema.get("not")
    if negated is not None and check_value(negated, value, where, trail) is None:
        return Failure(where, "not", "`{}` has a form that is not accepted here".format(where or "body"), False, trail)
    for sub in schema.get("allOf", ()):
        failure = check_value(sub, value, where, trail)
        if failure is not None:
            return failure
    options = schema.get("anyOf")
    if options is not None:
        failures = [check_value(sub, value, where, trail) for sub in options]
        if all(f is not None for f in failures):
            return _closest(options, failures, value)
    options = schema.get("oneOf")
    if options is not None:
        failures = [check_value(sub, value, where, trail) for sub in options]
        passed = sum(f is None for f in failures)
        if passed == 0:
            return _closest(options, failures, value)
        if passed > 1:
            return Failure(where, "oneOf", "`{}` matches more than one of the accepted forms".format(where or "body"), False, trail)
    return None


def _closest(options: Sequence[Dict[str, Any]], failures: Sequence[Optional[Failure]], value: Any) -> Failure:
    """Of the failures of each alternative, the one of the likeliest intent: the alternative that
    accepts most of the object's fields, then the failure that got deepest."""
    found = [(f, sub) for f, sub in zip(failures, options) if f is not None]
    best = max(
        found,
        key=lambda fs: (_accepted(fs[1], value), fs[0].where.count(".") + fs[0].where.count("["), fs[0].keyword != "type"),
    )
    return best[0]


def _properties(schema: Dict[str, Any]) -> Dict[str, Any]:
    """The properties ``schema`` declares, through ``$ref`` and ``allOf``."""
    ref = schema.get("$ref")
    props: Dict[str, Any] = dict(_properties(SCHEMAS[ref])) if ref is not None else {}
    for sub in schema.get("allOf", ()):
        props.update(_properties(sub))
    props.update(schema.get("properties", {}))
    return props


def _accepted(schema: Dict[str, Any], value: Any) -> int:
    """How many of an object's fields ``schema`` declares and accepts (0 for any other value)."""
    if not isinstance(value, dict):
        return 0
    props = _properties(schema)
    return sum(1 for name, v in value.items() if name in props and check_value(props[name], v, name) is None)


# -- parameters ------------------------------------------------------------------------------
def _coerce(schema: Dict[str, Any], raw: str) -> Tuple[bool, Any]:
    """A query/path/form string as the schema's scalar type: (ok, value)."""
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "integer":
        return (True, int(raw)) if _INT.fullmatch(raw) else (False, raw)
    if kind == "number":
        return (True, float(raw)) if _NUM.fullmatch(raw) else (False, raw)
    if kind == "boolean":
        # the SDK, like 0.1.x, writes Python's True/False into the query; JSON's spelling is also taken
        return (True, raw in ("true", "True")) if raw in _BOOLEANS else (False, raw)
    return True, raw


def _param(schema: Dict[str, Any], raw: str, where: str, trail: Tuple[Any, ...]) -> Optional[Failure]:
    ok, value = _coerce(schema, raw)
    if not ok:
        kind = schema.get("type")
        return Failure(
            where, "type", "`{}` must be {} {} (got {})".format(where, _article(str(kind)), kind, _quote(raw)), raw == "", trail
        )
    return check_value(schema, value, where, trail)


def check_request(op: str, path: Dict[str, str], query: Dict[str, str], body: Any, has_body: bool) -> Optional[Rejection]:
    """The documented error for the first rule the request breaks, or None.

    ``body`` is the decoded body (a dict of strings for a form); ``has_body`` is False when none
    was sent at all.
    """
    entry = OPERATIONS[op]
    default = entry.get("default")
    for p in entry["params"]:
        source = path if p["in"] == "path" else query
        name = p["name"]
        spec = p.get("x-error")
        trail = ((name, spec),) if spec is not None else ()
        if name not in source:
            if p["required"]:
                return _answer(Failure(name, "required", "`{}` is required".format(name), True, trail), default, INVALID_PARAM)
            continue
        failure = _param(p["schema"], source[name], name, trail)
        if failure is not None:
            return _answer(failure, default, INVALID_PARAM)
    rb = entry["body"]
    if rb is None:
        return None
    spec = rb.get("x-error")
    trail = (("", spec),) if spec is not None else ()
    schema = rb["schema"]
    if rb["media"] == "application/x-www-form-urlencoded":
        return _form(schema, body, trail, default)  # an empty form is a form without fields
    if not has_body:
        if rb["required"]:
            return _answer(Failure("", "required", "the request needs a JSON body", True, trail), default, INVALID_BODY)
        return None
    if not isinstance(body, dict) and _wants_object(schema):
        failure = Failure("", "type", "the request body must be a JSON object, not {}".format(_json_type(body)), False, trail)
        return _answer(failure, default, INVALID_BODY)
    failure = check_value(schema, body, "", trail)
    return None if failure is None else _answer(failure, default, INVALID_PARAM)


def _wants_object(schema: Dict[str, Any]) -> bool:
    ref = schema.get("$ref")
    if ref is not None:
        return _wants_object(SCHEMAS[ref])
    if schema.get("type") == "object":
        return True
    return any(_wants_object(s) for s in [*schema.get("oneOf", ()), *schema.get("anyOf", ())])


def _form(schema: Dict[str, Any], body: Any, trail: Tuple[Any, ...], default: Any) -> Optional[Rejection]:
    fields = body if isinstance(body, dict) else {}
    props: Dict[str, Any] = schema.get("properties", {})
    for name, sub in props.items():
        spec = sub.get("x-error")
        inner = trail + ((name, spec),) if spec is not None else trail
        if name not in fields:
            if name in schema.get("required", ()):
                return _answer(Failure(name, "required", "`{}` is required".format(name), True, inner), default, INVALID_PARAM)
            continue
        failure = _param(sub, fields[name], name, inner)
        if failure is not None:
            return _answer(failure, default, INVALID_PARAM)
    return None


def _answer(failure: Failure, default: Any, fallback: int) -> Rejection:
    code, type_ = failure.row(default) or (fallback, None)
    return Rejection(code, type_, failure.detail)


def check_response(op: str, status: int, body: Any) -> Optional[Failure]:
    """The first rule of the documented answer that ``body`` breaks (None when it conforms or the
    status documents no JSON)."""
    schema = OPERATIONS[op]["responses"].get(str(status))
    if schema is None:
        return None
    return check_value(schema, body, "")
