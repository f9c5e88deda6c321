"""Read spec/openapi.yaml and spec/codegen.yaml into plain objects the templates render.

Fails loudly on any construct it does not understand, so the spec cannot drift into
something the generated code silently mishandles.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import yaml

from tools.codegen import naming

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "openapi.yaml"
CONFIG = ROOT / "spec" / "codegen.yaml"


class SpecError(Exception):
    """The spec uses something the generator does not support."""


# -- types -----------------------------------------------------------------------------------
@dataclass
class TypeRef:
    """A field or parameter type."""

    kind: str  # str int float bool any datetime date binary list map model
    item: Optional["TypeRef"] = None  # list item / map value
    model: Optional[str] = None
    nullable: bool = False
    enum: Optional[List[Any]] = None
    rules: Dict[str, Any] = field(default_factory=dict)  # min_length max_length pattern minimum maximum min_items max_items
    advice: Optional[str] = None  # ``x-hint``: ends the client's ApiValueError messages for the value

    def hint(self) -> str:
        """The python annotation."""
        base = {
            "str": "str",
            "int": "int",
            "float": "float",
            "bool": "bool",
            "any": "Any",
            "datetime": "_dt.datetime",
            "date": "_dt.date",
            "binary": "bytes",
        }.get(self.kind)
        if self.kind == "list":
            assert self.item is not None
            base = "List[{}]".format(self.item.hint())
        elif self.kind == "map":
            assert self.item is not None
            base = "Dict[str, {}]".format(self.item.hint())
        elif self.kind == "model":
            base = self.model
        assert base is not None
        return "Optional[{}]".format(base) if self.nullable and base != "Any" else base

    def expr(self) -> str:
        """Python expression building the runtime ``T`` checker (wrapped in ``Hinted`` for ``x-hint``)."""
        if self.advice:
            return "Hinted({}, {})".format(self._checker(), _literal(self.advice))
        return self._checker()

    def _checker(self) -> str:
        r = self.rules
        if self.kind == "str":
            args = []
            if self.enum is not None:
                args.append("enum={}".format(_tuple(self.enum)))
            for key in ("min_length", "max_length"):
                if key in r:
                    args.append("{}={}".format(key, r[key]))
            if "pattern" in r:
                if '"' in r["pattern"]:
                    raise SpecError("patterns with double quotes are not supported: " + r["pattern"])
                args.append('pattern=r"{}"'.format(r["pattern"]))
            return "Str({})".format(", ".join(args))
        if self.kind in ("int", "float"):
            args = []
            if self.enum is not None:
                args.append("enum={}".format(_tuple(self.enum)))
            for key in ("minimum", "maximum"):
                if key in r:
                    args.append("{}={}".format(key, r[key]))
            return "{}({})".format("Int" if self.kind == "int" else "Num", ", ".join(args))
        if self.kind == "bool":
            return "Bool()"
        if self.kind == "any":
            return "AnyT()"
        if self.kind == "datetime":
            return "DateTime()"
        if self.kind == "date":
            return "Date()"
        if self.kind == "binary":
            return "AnyT()"
        if self.kind == "list":
            assert self.item is not None
            args = [self.item.expr()]
            for key in ("min_items", "max_items"):
                if key in r:
                    args.append("{}={}".format(key, r[key]))
            return "ListOf({})".format(", ".join(args))
        if self.kind == "map":
            assert self.item is not None
            return "MapOf({}{})".format(self.item.expr(), ", nullable=True" if self.item.nullable else "")
        if self.kind == "model":
            return "Ref({})".format(self.model)
        raise SpecError("no checker for " + self.kind)

    def runtime_names(self) -> Set[str]:
        """Names this type needs from ``smscx_client._model``."""
        names = {self._checker().split("(", 1)[0]}
        if self.item is not None:
            names |= self.item.runtime_names()
        if self.kind == "model":
            names = {"Ref"}
        if self.advice:
            names.add("Hinted")
        return names

    def models(self) -> Set[str]:
        """Model classes this type refers to."""
        out = {self.model} if self.model else set()
        if self.item is not None:
            out |= self.item.models()
        return out

    def describe(self) -> str:
        """Type as shown in docs."""
        if self.kind == "list":
            assert self.item is not None
            return "list of " + self.item.describe()
        if self.kind == "map":
            assert self.item is not None
            return "map of str to " + self.item.describe()
        if self.kind == "model":
            return "[{0}]({0}.md)".format(self.model)
        return self.kind


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _tuple(values: List[Any]) -> str:
    """A tuple literal in the project's style: double quotes, no trailing comma unless one item."""
    items = ", ".join(_literal(v) for v in values)
    return "({},)".format(items) if len(values) == 1 else "({})".format(items)


_RULES = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "minItems": "min_items",
    "maxItems": "max_items",
}
# JSON Schema keywords that only a validator reads: the generated code neither checks nor needs
# them (they tell oneOf branches and map keys apart, or bound a map's size)
VALIDATION_ONLY = {"propertyNames", "minProperties", "maxProperties"}
_KNOWN_SCHEMA_KEYS = set(_RULES) | VALIDATION_ONLY | {
    "type",
    "format",
    "x-format",
    "x-note",
    "items",
    "additionalProperties",
    "enum",
    "default",
    "description",
    "$ref",
    "anyOf",
    "x-wire-format",
    "x-secret",
    "x-python-name",
    "x-hint",
    "x-error",
    "example",
}


class _NoExample:
    """The mark of a value the spec gives no ``example`` for (``None`` is a valid example)."""

    def __repr__(self) -> str:
        return "NO_EXAMPLE"

    def __copy__(self) -> "_NoExample":
        return self

    def __deepcopy__(self, memo: Any) -> "_NoExample":
        return self


NO_EXAMPLE: Any = _NoExample()


def ref_name(ref: str) -> str:
    """``#/components/schemas/X`` -> ``X``."""
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise SpecError("unsupported $ref " + ref)
    return ref[len(prefix) :]


def type_of(schema: Dict[str, Any], where: str) -> TypeRef:
    """Schema -> TypeRef."""
    unknown = set(schema) - _KNOWN_SCHEMA_KEYS
    if unknown:
        raise SpecError("{}: unsupported schema keys {}".format(where, sorted(unknown)))
    t = _type_of(schema, where)
    if "x-hint" in schema:
        advice = schema["x-hint"]
        if not isinstance(advice, str) or not advice.strip():
            raise SpecError("{}: x-hint must be a non-empty string".format(where))
        t.advice = advice.strip()
    return t


def _type_of(schema: Dict[str, Any], where: str) -> TypeRef:
    if "$ref" in schema:
        return TypeRef("model", model=ref_name(schema["$ref"]))
    if "anyOf" in schema:
        options = schema["anyOf"]
        nulls = [o for o in options if o.get("type") == "null"]
        rest = [o for o in options if o.get("type") != "null"]
        if len(rest) != 1:
            raise SpecError(where + ": anyOf must be one schema plus null")
        t = type_of(rest[0], where)
        t.nullable = bool(nulls)
        return t
    if not schema.get("type"):
        return TypeRef("any")
    typ = schema["type"]
    nullable = False
    if isinstance(typ, list):
        nullable = "null" in typ
        rest = [t for t in typ if t != "null"]
        if len(rest) != 1:
            raise SpecError(where + ": type lists must be one type plus null")
        typ = rest[0]
    rules = {_RULES[k]: v for k, v in schema.items() if k in _RULES}
    enum = schema.get("enum")
    # ``x-format`` names the python type of a string whose wire text is no standard format (the
    # API's 'YYYY-MM-DD HH:MM:SS' is not RFC 3339); its ``pattern`` is left to validators
    fmt = schema.get("x-format") or schema.get("format")
    if typ == "string":
        kind = {"date-time": "datetime", "date": "date", "binary": "binary"}.get(fmt, "str")
        t = TypeRef(kind, enum=enum if kind == "str" else None, rules=rules if kind == "str" else {})
    elif typ == "integer":
        t = TypeRef("int", enum=enum, rules=rules)
    elif typ == "number":
        t = TypeRef("float", enum=enum, rules=rules)
    elif typ == "boolean":
        t = TypeRef("bool")
    elif typ == "array":
        t = TypeRef("list", item=type_of(schema.get("items", {}), where + "[]"), rules=rules)
    elif typ == "object":
        ap = schema.get("additionalProperties", True)
        value = TypeRef("any") if ap is True or ap == {} else type_of(ap, where + "{}")
        t = TypeRef("map", item=value)
    else:
        raise SpecError("{}: unsupported type {}".format(where, typ))
    t.nullable = nullable
    return t


# -- models ------------------------------------------------------------------------------------
@dataclass
class Field:
    wire: str
    name: str
    type: TypeRef
    required: bool
    description: str
    default: Any = None
    has_default: bool = False
    secret: bool = False
    wire_format: Optional[str] = None
    optional_positional: bool = False  # x-python-positional: positional for 0.1.x, may be omitted
    example: Any = NO_EXAMPLE  # the schema's ``example`` (JSON, with the API's names)

    @property
    def positional(self) -> bool:
        """Required fields without a default are positional constructor arguments (0.1.x)."""
        return (self.required and not self.has_default) or self.optional_positional


@dataclass
class Model:
    name: str
    module: str
    description: str
    kind: str  # object | simple | map
    fields: List[Field]
    additional: bool
    nullable: bool = False
    composed: Dict[str, List[str]] = field(default_factory=dict)
    enum: Optional[List[Any]] = None
    used_by: List[str] = field(default_factory=list)
    value: Optional[TypeRef] = None  # map: the type of every value
    legacy: Optional[Tuple[str, str]] = None  # map: (python, JSON) name of the 0.1.x placeholder
    # object models that are the items of a list somewhere: fields that ``_wrap_list`` converts
    # when the list is first read (date-times and dates read under another name, nested object
    # models); set by ``load``
    list_conversions: List[Field] = field(default_factory=list)

    def positional_fields(self) -> List[Field]:
        """Constructor's positional arguments, in spec order: required fields and the optional ones
        0.1.x took positionally (``x-python-positional``)."""
        return [f for f in self.fields if f.positional]

    def deps(self) -> List[str]:
        """Other models this one imports."""
        out: Set[str] = set()
        for f in self.fields:
            out |= f.type.models()
        if self.value is not None:
            out |= self.value.models()
        out.discard(self.name)
        return sorted(out)

    def runtime_names(self) -> List[str]:
        """Names to import from ``smscx_client._model``."""
        out: Set[str] = set()
        for f in self.fields:
            out |= f.type.runtime_names()
        if self.value is not None:
            out |= {"MapModel", "MapOf"} | self.value.runtime_names()
        return sorted(out)


# -- operations ----------------------------------------------------------------------------
@dataclass
class Param:
    wire: str
    name: str
    location: str  # path query form body
    type: TypeRef
    required: bool
    description: str
    default: Any = None
    has_default: bool = False
    positional: bool = False
    const: str = ""  # name of the module-level checker
    example: Any = NO_EXAMPLE  # the schema's ``example``


@dataclass
class ErrorRow:
    status: int
    type: str
    code: int
    message: str
    exception: str = ""
    unreachable: str = ""  # ``x-unreachable``: why no request gets this row from the sandbox


_ROW_KEYS = {"status", "type", "code", "message"}


def _error_row(e: Dict[str, Any], where: str) -> ErrorRow:
    """One ``x-errors`` (or ``x-common-errors``) row; ``x-unreachable`` is its optional reason."""
    unknown = set(e) - _ROW_KEYS - {"x-unreachable"}
    if unknown or not _ROW_KEYS <= set(e):
        raise SpecError("{}: an error row has status, type, code, message and x-unreachable, not {}".format(where, sorted(e)))
    reason = e.get("x-unreachable", "")
    if not isinstance(reason, str) or ("x-unreachable" in e and not reason.strip()):
        raise SpecError("{}: x-unreachable of error {} must be a reason (text)".format(where, e["code"]))
    return ErrorRow(e["status"], e["type"], e["code"], e["message"], unreachable=reason.strip())


@dataclass
class Operation:
    tag: str
    name: str
    operation_id: str
    method: str
    path: str
    summary: str
    description: str
    params: List[Param]
    body_model: Optional[str]
    body_name: Optional[str]
    body_args: List[str]
    form: bool
    response_kind: str  # json csv xlsx list none
    response_model: Optional[str]
    statuses: List[int]
    auth: List[str]
    errors: List[ErrorRow]
    charged: bool
    idempotency_field: Optional[str]
    require_one_of: List[List[str]]

    @property
    def positional(self) -> List[Param]:
        """Parameters in the 0.1.x positional order."""
        return [p for p in self.params if p.positional]

    @property
    def keyword(self) -> List[Param]:
        """Optional parameters (keyword-only)."""
        return [p for p in self.params if not p.positional]

    def returns(self) -> str:
        """The return annotation."""
        if self.response_kind == "csv":
            base = "str"
        elif self.response_kind == "xlsx":
            base = "IO[bytes]"
        elif self.response_kind == "list":
            base = "List[str]"
        elif self.response_kind == "none":
            return "None"
        else:
            assert self.response_model is not None
            base = self.response_model
        return "Optional[{}]".format(base) if 204 in self.statuses else base

    def response_value(self) -> str:
        """The ``response_type`` of the operation's ``Operation`` constant."""
        return {
            "csv": "str",
            "xlsx": "file_type",
            "list": "list",
            "none": "None",
        }.get(self.response_kind, str(self.response_model))

    @property
    def const(self) -> str:
        """Name of the module-level ``Operation`` constant of the generated API module."""
        return "_OP_" + re.sub(r"[^A-Z0-9]", "_", self.name.upper())

    def models(self) -> Set[str]:
        """Models the API module imports for this operation."""
        out: Set[str] = set()
        if self.body_model:
            out.add(self.body_model)
        if self.response_model:
            out.add(self.response_model)
        for p in self.params:
            out |= p.type.models()
        return out


@dataclass
class Api:
    tag: str
    cls: str
    module: str
    description: str
    operations: List[Operation]


@dataclass
class Spec:
    version: str
    sha256: str
    title: str
    models: Dict[str, Model]
    apis: List[Api]
    exception_rules: Dict[str, Any]
    error_messages: Dict[Tuple[int, str, int], str]
    raw: Dict[str, Any]

    @property
    def operations(self) -> List[Operation]:
        """Every SDK method, API by API."""
        return [op for api in self.apis for op in api.operations]


def wrap(text: str, width: int, indent: str) -> List[str]:
    """Wrap prose for docstrings and comments."""
    out: List[str] = []
    for para in (text or "").strip().split("\n\n"):
        para = " ".join(para.split())
        if para:
            out.extend(textwrap.wrap(para, width=width, initial_indent=indent, subsequent_indent=indent))
    return out


def _exception_for(rules: Dict[str, Any], status: int, etype: str, code: int) -> str:
    for r in rules.get("by_status_type_code", []):
        if r[0] == status and r[1] == etype and code in r[2]:
            return str(r[3])
    for r in rules.get("by_status_type", []):
        if r[0] == status and r[1] == etype:
            return str(r[2])
    by_status = rules.get("by_status", {})
    if status in by_status:
        return str(by_status[status])
    if 500 <= status <= 599:
        return "ServerErrorException"
    return "ApiException"


def exception_for(spec: Spec, status: int, etype: str, code: int) -> str:
    """The exception class the SDK raises for a (status, type, code)."""
    return _exception_for(spec.exception_rules, status, etype, code)


def load(spec_path: Path = SPEC, config_path: Path = CONFIG) -> Spec:
    """Parse and check the spec."""
    text = spec_path.read_bytes()
    raw = yaml.safe_load(text)
    config = yaml.safe_load(config_path.read_text())
    if not str(raw.get("openapi", "")).startswith("3.1"):
        raise SpecError("only OpenAPI 3.1 is supported")
    rules = config["exceptions"]
    models: Dict[str, Model] = {}
    for name, sch in raw["components"]["schemas"].items():
        models[name] = _model(name, sch)
    tags = {t["name"]: t.get("description", "") for t in raw.get("tags", [])}
    ops_by_tag: Dict[str, List[Operation]] = {t: [] for t in tags}
    error_messages: Dict[Tuple[int, str, int], str] = {}
    for path, item in raw["paths"].items():
        for method, op in item.items():
            for o in _operations(path, method, op, models, raw):
                for e in o.errors:
                    e.exception = _exception_for(rules, e.status, e.type, e.code)
                    error_messages.setdefault((e.status, e.type, e.code), e.message)
                if o.tag not in ops_by_tag:
                    raise SpecError("{}: unknown tag {}".format(o.name, o.tag))
                ops_by_tag[o.tag].append(o)
                for m in o.models():
                    models[m].used_by.append(o.name)
    for name in sorted(_list_items(models)):
        models[name].list_conversions = [f for f in models[name].fields if _converted_in_lists(f, models)]
    apis = [
        Api(tag, naming.api_class(tag), naming.api_module(tag), tags[tag], sorted(ops, key=lambda o: o.name))
        for tag, ops in sorted(ops_by_tag.items())
    ]
    _check_unique(apis)
    return Spec(
        version=str(raw["info"]["version"]),
        sha256=hashlib.sha256(text).hexdigest(),
        title=raw["info"]["title"],
        models=dict(sorted(models.items())),
        apis=apis,
        exception_rules=rules,
        error_messages=error_messages,
        raw=raw,
    )


def _list_items(models: Dict[str, Model]) -> Set[str]:
    """The object models that are the items of a list in some model's field."""
    out: Set[str] = set()

    def walk(t: TypeRef) -> None:
        if t.kind == "list" and t.item is not None and t.item.kind == "model" and models[str(t.item.model)].kind == "object":
            out.add(str(t.item.model))
        if t.item is not None:
            walk(t.item)

    for m in models.values():
        for f in m.fields:
            walk(f.type)
        if m.value is not None:
            walk(m.value)
    return out


def _converted_in_lists(f: Field, models: Dict[str, Model]) -> bool:
    """Whether ``_wrap_list`` converts this field: what its first read would convert and keep (a
    nested object model; a date-time or date read under its python name). Values read as they
    came need nothing (a renamed one is read through ``getattr`` of its JSON name); lists and
    maps stay to their first read."""
    if f.type.kind == "model":
        return models[str(f.type.model)].kind == "object"
    return f.type.kind in ("datetime", "date") and f.name != f.wire


def _check_unique(apis: List[Api]) -> None:
    seen: Set[str] = set()
    for api in apis:
        for op in api.operations:
            key = api.cls + "." + op.name
            if key in seen:
                raise SpecError("duplicate method " + key)
            seen.add(key)


_MODEL_KEYS = VALIDATION_ONLY | {
    "description",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "oneOf",
    "allOf",
    "enum",
    "not",  # validation only: a oneOf branch refusing what tells another branch apart
    "x-note",
    "x-python-positional",
    "x-legacy-placeholder",
    "x-error",
}


def _model(name: str, sch: Dict[str, Any]) -> Model:
    unknown = set(sch) - _MODEL_KEYS
    if unknown:
        raise SpecError("schema {}: unsupported keys {}".format(name, sorted(unknown)))
    module = naming.module_name(name)
    desc = sch.get("description", "")
    typ = sch.get("type")
    if typ == "string":
        return Model(name, module, desc, "simple", [], False, enum=list(sch.get("enum") or []))
    nullable = isinstance(typ, list) and "null" in typ
    ap = sch.get("additionalProperties", True)
    composed = {k: [ref_name(r["$ref"]) for r in sch[k]] for k in ("oneOf", "allOf") if k in sch}
    if not sch.get("properties") and isinstance(ap, dict) and ap and "allOf" not in sch:
        return _map_model(name, module, desc, sch, composed)
    if "x-legacy-placeholder" in sch:
        raise SpecError("schema {}: x-legacy-placeholder is for map schemas only".format(name))
    required = set(sch.get("required", []))
    fields = []
    names: Set[str] = set()
    for wire, prop in (sch.get("properties") or {}).items():
        t = type_of(prop, "{}.{}".format(name, wire))
        fname = prop.get("x-python-name") or naming.attr_name(wire)
        if fname in names:
            raise SpecError("{}: two fields named {}".format(name, fname))
        names.add(fname)
        fields.append(
            Field(
                wire=wire,
                name=fname,
                type=t,
                required=wire in required,
                description=prop.get("description", ""),
                default=prop.get("default"),
                has_default="default" in prop and wire in required,
                secret=bool(prop.get("x-secret")),
                wire_format=prop.get("x-wire-format"),
                example=prop.get("example", NO_EXAMPLE),
            )
        )
    for wire in sch.get("x-python-positional", []):
        match = [f for f in fields if f.wire == wire]
        if not match or match[0].required:
            raise SpecError("{}: x-python-positional names an unknown or required field {}".format(name, wire))
        match[0].optional_positional = True
    missing = required - {f.wire for f in fields}
    if missing:
        raise SpecError("{}: required fields without properties {}".format(name, sorted(missing)))
    return Model(name, module, desc, "object", fields, additional=ap is not False, nullable=nullable, composed=composed)


def _map_model(name: str, module: str, desc: str, sch: Dict[str, Any], composed: Dict[str, List[str]]) -> Model:
    """A JSON object whose keys are data: ``additionalProperties`` gives every value's type."""
    if sch.get("type") != "object" or sch.get("required"):
        raise SpecError("schema {}: a map must be `type: object` without `required`".format(name))
    value = type_of(sch["additionalProperties"], name + "{}")
    placeholder = sch.get("x-legacy-placeholder")
    legacy = (naming.attr_name(placeholder), placeholder) if placeholder else None
    return Model(name, module, desc, "map", [], additional=True, composed=composed, value=value, legacy=legacy)


def _param_type(p: Dict[str, Any], where: str) -> TypeRef:
    return type_of(p.get("schema", {}), where)


def _operations(path: str, method: str, op: Dict[str, Any], models: Dict[str, Model], raw: Dict[str, Any]) -> List[Operation]:
    """The SDK methods of one operation (two when ``x-python-methods`` shares a route)."""
    where = "{} {}".format(method.upper(), path)
    if len(op.get("tags", [])) != 1:
        raise SpecError(where + ": exactly one tag per operation")
    params = _parameters(op, where)
    body_model, form_params = _request_body(op, where)
    body_args = list(op.get("x-python-body-args", [])) if op.get("requestBody") else []
    statuses, kind, model = _response(op, where)
    security = op.get("security", raw.get("security", []))
    errors = [_error_row(e, where) for e in op.get("x-errors", [])]
    errors = _with_common_errors(raw, op, errors, where)
    variants = op.get("x-python-methods") or [{"name": op["operationId"], "body": None}]
    out = []
    for variant in variants:
        bm = variant["body"] or body_model
        if bm and bm not in models:
            raise SpecError("{}: unknown body model {}".format(where, bm))
        out.append(
            Operation(
                tag=op["tags"][0],
                name=variant["name"],
                operation_id=op["operationId"],
                method=method.upper(),
                path=path,
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                params=params + (_body_params(models[bm], body_args) if bm else []) + form_params,
                body_model=bm,
                body_name=naming.module_name(bm) if bm else None,
                body_args=body_args,
                form=bool(form_params),
                response_kind=kind,
                response_model=model,
                statuses=statuses,
                auth=[name for entry in security for name in entry],
                errors=errors,
                charged=bool(op.get("x-charged")),
                idempotency_field="idempotencyId" if bm and any(f.wire == "idempotencyId" for f in models[bm].fields) else None,
                require_one_of=op.get("x-require-one-of", []),
            )
        )
    return out


def _row_key(row: ErrorRow) -> Tuple[int, str, int]:
    return row.status, row.type, row.code


def _with_common_errors(raw: Dict[str, Any], op: Dict[str, Any], errors: List[ErrorRow], where: str) -> List[ErrorRow]:
    """``errors`` followed by the rows of ``x-common-errors`` that apply to ``op``: ``body`` ones
    when it takes a request body, ``params`` ones when it takes a body or query parameters.

    An operation repeats a common row only to mark it ``x-unreachable`` for itself (with the
    common message); the row keeps its place among the common rows, so the table reads the same.
    """
    common = raw.get("x-common-errors") or {}
    unknown = set(common) - {"description", "body", "params"}
    if unknown:
        raise SpecError("x-common-errors: unknown groups {}".format(sorted(unknown)))
    has_query = any(p.get("in") == "query" for p in op.get("parameters", []))
    groups = (["body"] if op.get("requestBody") else []) + (["params"] if op.get("requestBody") or has_query else [])
    applicable: Dict[Tuple[int, str, int], ErrorRow] = {}
    for group in groups:
        for e in common.get(group, []):
            row = _error_row(e, "x-common-errors")
            applicable.setdefault(_row_key(row), row)
    own = []
    for row in errors:
        shared = applicable.get(_row_key(row))
        if shared is None:
            own.append(row)
        elif not row.unreachable or row.message != shared.message:
            raise SpecError("{}: error {} repeats a common row: only to mark it x-unreachable, with its message".format(
                where, row.code))
        else:
            applicable[_row_key(row)] = row
    have = {_row_key(e) for e in own}
    out = [row for k, row in applicable.items() if k not in have]
    documented = {int(s) for s in op.get("responses", {}) if s.isdigit()}
    for row in own + out:
        if row.status not in documented:
            raise SpecError("{}: error {} has status {} but the operation documents no {} answer".format(
                where, row.code, row.status, row.status))
    return own + out


def _parameters(op: Dict[str, Any], where: str) -> List[Param]:
    """Path and query parameters, in the 0.1.x order: path, then required query (spec order)."""
    positional_extra = op.get("x-python-positional", [])
    params: List[Param] = []
    for p in op.get("parameters", []):
        loc = p["in"]
        if loc not in ("path", "query"):
            raise SpecError("{}: unsupported parameter location {}".format(where, loc))
        schema = p.get("schema", {})
        params.append(
            Param(
                wire=p["name"],
                name=naming.attr_name(p["name"]),
                location=loc,
                type=_param_type(p, where + " " + p["name"]),
                required=bool(p.get("required")),
                description=p.get("description", ""),
                positional=bool(p.get("required")) or p["name"] in positional_extra,
                default=schema.get("default"),
                example=schema.get("example", NO_EXAMPLE),
            )
        )
    params.sort(key=lambda p: (not p.positional, p.location != "path"))
    return params


def _request_body(op: Dict[str, Any], where: str) -> Tuple[Optional[str], List[Param]]:
    """(JSON body model, form fields) of the request."""
    rb = op.get("requestBody")
    if not rb:
        return None, []
    content = rb["content"]
    if "application/json" in content:
        sch = content["application/json"]["schema"]
        return (ref_name(sch["$ref"]) if "$ref" in sch else None), []
    if "application/x-www-form-urlencoded" not in content:
        raise SpecError(where + ": unsupported request content " + ", ".join(content))
    sch = content["application/x-www-form-urlencoded"]["schema"]
    required = set(sch.get("required", []))
    return None, [
        Param(
            wire=wire,
            name=naming.attr_name(wire),
            location="form",
            type=type_of(dict(prop), where + " " + wire),
            required=wire in required,
            description=prop.get("description", ""),
            default=prop.get("default"),
            has_default="default" in prop,
            positional=wire in required,
            example=prop.get("example", NO_EXAMPLE),
        )
        for wire, prop in sch["properties"].items()
    ]


def _body_params(model: Model, body_args: List[str]) -> List[Param]:
    """The body as one argument, or (``x-python-body-args``) as some of its fields."""
    if not body_args:
        bm = model.name
        return [Param(wire="", name=naming.module_name(bm), location="body", type=TypeRef("model", model=bm), required=True, description="", positional=True)]
    out = []
    for a in body_args:
        f = next(f for f in model.fields if f.name == a)
        out.append(
            Param(
                wire=f.wire,
                name=a,
                location="bodyarg",
                type=f.type,
                required=True,
                description=f.description,
                positional=True,
                example=f.example,
            )
        )
    return out


def _response(op: Dict[str, Any], where: str) -> Tuple[List[int], str, Optional[str]]:
    """(success statuses, kind: json list csv xlsx none, model) of the answer."""
    responses = op["responses"]
    statuses = sorted(int(s) for s in responses if s.startswith("2"))
    kind = "none"
    model = None
    for st in statuses:
        for ctype, media in (responses[str(st)].get("content") or {}).items():
            sch = media.get("schema", {})
            if ctype == "application/json":
                if "$ref" in sch:
                    kind, model = "json", ref_name(sch["$ref"])
                elif sch.get("type") == "array":
                    kind = "list"
                else:
                    raise SpecError(where + ": unsupported JSON response schema")
            elif ctype in ("application/csv", "text/csv"):
                kind = "csv"
            elif sch.get("format") == "binary":
                kind = "xlsx"
            else:
                raise SpecError(where + ": unsupported response content " + ctype)
    return statuses, kind, model


def const_names(ops: List[Operation]) -> Dict[str, str]:
    """Module-level checker constants shared by an API module: expression -> name."""
    out: Dict[str, str] = {}
    used: Set[str] = set()
    for op in ops:
        for p in op.params:
            if p.location in ("body", "bodyarg"):
                continue
            expr = p.type.expr()
            if expr in out:
                p.const = out[expr]
                continue
            base = "_" + re.sub(r"[^A-Z0-9]", "_", p.name.upper())
            name, i = base, 2
            while name in used:
                name, i = "{}_{}".format(base, i), i + 1
            used.add(name)
            out[expr] = name
            p.const = name
    return out
