"""The arguments of each method's example script, from the spec's ``example`` values.

Path, query and form parameters carry ``example`` in their schema; request bodies are built from
the ``example`` of each property (a property holding a model may instead give the whole object,
or a list of them, with the API's names). Every required value needs one, else ``SpecError``
names it: an example script must run as generated. Optional values are used when they have one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set

from tools.codegen import ir

WIDTH = 96  # the longest line a value is kept on before it is split


@dataclass
class Arg:
    """One argument of the call: a variable set before it, or a keyword given inline."""

    name: str
    code: str  # Python source of the value, continuation lines indented for 4 spaces
    keyword: bool = False


@dataclass
class Call:
    """What an example script sends."""

    args: List[Arg]
    models: Set[str] = field(default_factory=set)  # model classes the script imports

    def positional(self) -> List[Arg]:
        """Arguments set as variables and passed in order."""
        return [a for a in self.args if not a.keyword]

    def keywords(self) -> List[Arg]:
        """Optional parameters given by name."""
        return [a for a in self.args if a.keyword]


def _missing(where: str) -> ir.SpecError:
    return ir.SpecError("{}: no `example` for a required value; every example script needs one".format(where))


def literal(value: Any) -> str:
    """A JSON value as Python source (strings in double quotes)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join("{}: {}".format(literal(k), literal(v)) for k, v in value.items()) + "}"
    raise ir.SpecError("unsupported example value {!r}".format(value))


def _check_scalar(value: Any, t: ir.TypeRef, where: str) -> None:
    ok = {
        "str": isinstance(value, str),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "any": True,
    }.get(t.kind)
    if ok is None:
        raise ir.SpecError("{}: examples of type {} are not supported".format(where, t.kind))
    if value is None and t.nullable:
        return
    if not ok:
        raise ir.SpecError("{}: example {!r} is not a {}".format(where, value, t.kind))
    if t.enum is not None and value not in t.enum:
        raise ir.SpecError("{}: example {!r} is not one of {}".format(where, value, t.enum))
    r = t.rules
    if isinstance(value, str):
        if not r.get("min_length", 0) <= len(value) <= r.get("max_length", len(value)):
            raise ir.SpecError("{}: example {!r} breaks the length rule".format(where, value))
        if "pattern" in r and not re.search(r["pattern"], value):
            raise ir.SpecError("{}: example {!r} does not match {}".format(where, value, r["pattern"]))
    elif not isinstance(value, bool) and isinstance(value, (int, float)):
        if value < r.get("minimum", value) or value > r.get("maximum", value):
            raise ir.SpecError("{}: example {!r} is out of range".format(where, value))


class Builder:
    """Turns examples into Python source for one operation."""

    def __init__(self, spec: ir.Spec) -> None:
        self.spec = spec
        self.models: Set[str] = set()

    def value(self, value: Any, t: ir.TypeRef, where: str, indent: int) -> str:
        """Source for ``value`` of type ``t``, split over lines when it does not fit."""
        if t.kind == "model":
            assert t.model is not None
            if not isinstance(value, dict):
                raise ir.SpecError("{}: the example of a {} must be an object".format(where, t.model))
            return self.model(t.model, value, where, indent)
        if t.kind == "list":
            assert t.item is not None
            if not isinstance(value, list) or not value:
                raise ir.SpecError("{}: the example must be a non-empty list".format(where))
            items = [
                self.value(v, t.item, "{}[{}]".format(where, i), indent + 4) for i, v in enumerate(value)
            ]
            return self._wrap("[", items, "]", indent)
        if t.kind == "map":
            if not isinstance(value, dict):
                raise ir.SpecError("{}: the example must be an object".format(where))
            assert t.item is not None
            for k, v in value.items():
                _check_scalar(v, t.item, "{}.{}".format(where, k))
            items = ["{}: {}".format(literal(k), literal(v)) for k, v in value.items()]
            return self._wrap("{", items, "}", indent)
        _check_scalar(value, t, where)
        return literal(value)

    def model(self, name: str, given: Optional[Dict[str, Any]], where: str, indent: int) -> str:
        """A model constructor: from ``given`` (an example object), or from its fields' examples."""
        m = self.spec.models[name]
        self.models.add(name)
        if m.kind == "map":
            assert m.value is not None
            if not given:
                raise ir.SpecError("{}: the example of the map {} must be a non-empty object".format(where, name))
            return name + "(" + self.value(given, ir.TypeRef("map", item=m.value), where, indent) + ")"
        if given is not None:
            unknown = set(given) - {f.wire for f in m.fields}
            if unknown:
                raise ir.SpecError("{}: {} has no field {}".format(where, name, sorted(unknown)))
        items = []
        for f in m.fields:
            at = "{}.{}".format(name, f.wire)
            if given is not None:
                if f.wire in given:
                    items.append("{}={}".format(f.name, self.value(given[f.wire], f.type, at, indent + 4)))
                elif f.required and not f.has_default:
                    raise _missing("{} (in the example of {})".format(at, where))
            elif f.example is not ir.NO_EXAMPLE:
                items.append("{}={}".format(f.name, self.value(f.example, f.type, at, indent + 4)))
            elif f.required and not f.has_default:
                if f.type.kind != "model":
                    raise _missing(at)
                assert f.type.model is not None
                items.append("{}={}".format(f.name, self.model(f.type.model, None, at, indent + 4)))
        return self._wrap(name + "(", items, ")", indent)

    @staticmethod
    def _wrap(opening: str, items: List[str], closing: str, indent: int) -> str:
        flat = opening + ", ".join(items) + closing
        if "\n" not in flat and indent + len(flat) <= WIDTH:
            return flat
        pad = " " * (indent + 4)
        return opening + "\n" + "".join(pad + item + ",\n" for item in items) + " " * indent + closing


def build(op: ir.Operation, spec: ir.Spec) -> Call:
    """The call of ``op``'s example script; ``SpecError`` when a required value has no example."""
    b = Builder(spec)
    where = "{} ({} {})".format(op.name, op.method, op.path)
    args: List[Arg] = []
    given = set()
    for p in op.params:
        if p.location == "body":
            assert op.body_model is not None
            args.append(Arg("request", b.model(op.body_model, None, where + " body", 4)))
            continue
        if p.example is ir.NO_EXAMPLE:
            if p.required:
                raise _missing("{} parameter `{}`".format(where, p.wire))
            continue
        given.add(p.name)
        code = b.value(p.example, p.type, "{} parameter `{}`".format(where, p.wire), 4)
        args.append(Arg(p.name, code, keyword=not p.required))
    if op.require_one_of and not any(all(n in given for n in group) for group in op.require_one_of):
        raise ir.SpecError(
            "{}: give examples for one of the parameter groups {}".format(where, op.require_one_of)
        )
    return Call(args, b.models)
