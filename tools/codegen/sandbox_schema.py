"""The data the sandbox validates requests and answers with: every operation's parameters, body
and responses as compact JSON Schema, and the documented error each failure becomes.

The sandbox never reads the YAML: this module keeps only what constrains a value (types, enums,
lengths, patterns, ranges, required, additional properties, composition) plus ``x-error``, and
refuses any keyword it does not know, so a constraint the spec adds can never be silently
ignored by the sandbox.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Set, Tuple

from tools.codegen.ir import Spec, SpecError, ref_name

# keywords that constrain a value and are copied as they are
_CONSTRAINTS = {
    "type",
    "enum",
    "const",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "required",
    "minProperties",
    "maxProperties",
}
# keywords that only describe (dropped)
_ANNOTATIONS = {"description", "example", "examples", "default", "title", "deprecated", "discriminator", "readOnly"}
# formats the sandbox's validator knows how to check
FORMATS = {"uuid", "uri", "date-time", "date", "binary"}
# an answer of an x-error: a code, or "CODE type" where the operation documents the code with several types
_ROW = re.compile(r"([0-9]+)(?: ([a-z_]+))?")


def _is_row(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and _ROW.fullmatch(value) is not None)


def _row(value: Any) -> Tuple[int, Optional[str]]:
    """(code, type or None) of an x-error answer."""
    if isinstance(value, int):
        return value, None
    m = _ROW.fullmatch(value)
    assert m is not None
    return int(m.group(1)), m.group(2)


def error_spec(value: Any, where: str) -> Any:
    """An ``x-error``: a code (or ``"CODE type"``), or a map from keyword (or ``default``) to one."""
    if _is_row(value):
        return value
    if isinstance(value, dict) and value and all(isinstance(k, str) and _is_row(v) for k, v in value.items()):
        return dict(value)
    raise SpecError("{}: x-error must be a code, 'CODE type', or a map of keyword to one".format(where))


def compact(schema: Dict[str, Any], where: str) -> Dict[str, Any]:
    """The constraining part of ``schema``; ``$ref`` becomes the component's name."""
    out: Dict[str, Any] = {}
    for key, value in schema.items():
        if key == "$ref":
            out["$ref"] = ref_name(value)
        elif key in _CONSTRAINTS:
            if key == "format" and value not in FORMATS:
                raise SpecError("{}: the sandbox cannot check format {!r}".format(where, value))
            out[key] = list(value) if isinstance(value, (list, tuple)) else value
        elif key == "properties":
            out[key] = {name: compact(sub, "{}.{}".format(where, name)) for name, sub in value.items()}
        elif key in ("not", "propertyNames"):
            out[key] = compact(value, "{}.{}".format(where, key))
        elif key in ("items", "additionalProperties"):
            out[key] = compact(value, where + ("[]" if key == "items" else "{}")) if isinstance(value, dict) else value
        elif key in ("oneOf", "anyOf", "allOf"):
            out[key] = [compact(sub, "{}.{}[{}]".format(where, key, i)) for i, sub in enumerate(value)]
        elif key == "x-error":
            out[key] = error_spec(value, where)
        elif key in _ANNOTATIONS or key.startswith("x-"):
            continue
        else:
            raise SpecError("{}: the sandbox cannot check schema keyword {!r}".format(where, key))
    return out


def _codes(node: Any) -> Set[Tuple[int, Optional[str]]]:
    """Every (code, type or None) an ``x-error`` below ``node`` names (refs not followed)."""
    found: Set[Tuple[int, Optional[str]]] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "x-error":
                found |= {_row(v) for v in (value.values() if isinstance(value, dict) else (value,))}
            else:
                found |= _codes(value)
    elif isinstance(node, list):
        for value in node:
            found |= _codes(value)
    return found


def _refs(node: Any, schemas: Dict[str, Any], seen: Set[str]) -> Set[str]:
    """Names of the components ``node`` reaches."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value not in seen:
                seen.add(value)
                _refs(schemas[value], schemas, seen)
            else:
                _refs(value, schemas, seen)
    elif isinstance(node, list):
        for value in node:
            _refs(value, schemas, seen)
    return seen


def build(spec: Spec) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(component schemas, operations) for ``sandbox/_schema.py``."""
    raw = spec.raw
    schemas = {name: compact(sch, name) for name, sch in raw["components"]["schemas"].items()}
    documented = {op.operation_id: {(e.code, e.type) for e in op.errors} for op in spec.operations}
    operations: Dict[str, Any] = {}
    for path, item in raw["paths"].items():
        for method, op in item.items():
            op_id = op["operationId"]
            where = "{} {}".format(method.upper(), path)
            entry: Dict[str, Any] = {"params": [], "body": None, "responses": {}}
            for p in op.get("parameters", []):
                param: Dict[str, Any] = {
                    "name": p["name"],
                    "in": p["in"],
                    "required": bool(p.get("required")),
                    "schema": compact(p.get("schema", {}), "{} {}".format(where, p["name"])),
                }
                if "x-error" in p:
                    param["x-error"] = error_spec(p["x-error"], "{} {}".format(where, p["name"]))
                entry["params"].append(param)
            rb = op.get("requestBody")
            if rb:
                (media, content), = rb["content"].items()
                body: Dict[str, Any] = {
                    "media": media,
                    "required": bool(rb.get("required")),
                    "schema": compact(content["schema"], where + " body"),
                }
                if "x-error" in rb:
                    body["x-error"] = error_spec(rb["x-error"], where + " body")
                entry["body"] = body
            for status, resp in op["responses"].items():
                resp = _resolve_response(raw, resp)
                media = (resp.get("content") or {}).get("application/json")
                if media is not None:
                    entry["responses"][status] = compact(media["schema"], "{} {}".format(where, status))
            default = op.get("x-validation-error")
            if default is not None:
                entry["default"] = error_spec(default, where + " x-validation-error")
            _check_codes(entry, schemas, documented[op_id], where)
            operations[op_id] = entry
    return schemas, dict(sorted(operations.items()))


def _resolve_response(raw: Dict[str, Any], resp: Dict[str, Any]) -> Dict[str, Any]:
    ref = resp.get("$ref")
    if ref is None:
        return resp
    prefix = "#/components/responses/"
    if not ref.startswith(prefix):
        raise SpecError("unsupported response $ref " + ref)
    resolved: Dict[str, Any] = raw["components"]["responses"][ref[len(prefix) :]]
    return resolved


def _check_codes(entry: Dict[str, Any], schemas: Dict[str, Any], documented: Set[Tuple[int, str]], where: str) -> None:
    """Every code (and type) the request's ``x-error``s can answer must be a documented row of the
    operation."""
    request: List[Any] = [entry["params"], entry["body"], entry.get("default")]
    names = _refs(request, schemas, set())
    used = _codes(request) | {c for n in names for c in _codes(schemas[n])}
    default = entry.get("default")
    if default is not None:
        used |= {_row(v) for v in (default.values() if isinstance(default, dict) else (default,))}
    codes = {code for code, _ in documented}
    missing = sorted(
        "{} {}".format(code, type_ or "").strip()
        for code, type_ in used
        if (code, type_) not in documented and (type_ is not None or code not in codes)
    )
    if missing:
        raise SpecError("{}: x-error codes {} are not in the operation's x-errors".format(where, missing))


def shared_default(entry: Dict[str, Any]) -> Optional[int]:
    """The operation's fallback code, when it has one."""
    default = entry.get("default")
    return default if isinstance(default, int) else None
