"""JSON Schema validators for the spec's schemas (Draft 2020-12, formats checked, component refs
resolved), for tests that hold the spec or the sandbox to what the API really sends."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import yaml
from jsonschema import Draft202012Validator, FormatChecker

SPEC = Path(__file__).resolve().parents[1] / "spec" / "openapi.yaml"


@functools.lru_cache(maxsize=None)
def spec() -> Dict[str, Any]:
    with open(SPEC) as fh:
        result: Dict[str, Any] = yaml.safe_load(fh)
    return result


@functools.lru_cache(maxsize=None)
def _validator(text: str) -> Draft202012Validator:
    root = dict(json.loads(text), components=spec()["components"])  # "#/components/..." resolves
    return Draft202012Validator(root, format_checker=FormatChecker())


def validator(schema: Dict[str, Any]) -> Draft202012Validator:
    """A validator for ``schema`` (a fragment of the spec)."""
    return _validator(json.dumps(schema, sort_keys=True))


def component(name: str) -> Dict[str, Any]:
    return {"$ref": "#/components/schemas/" + name}


def errors(schema: Dict[str, Any], instance: Any) -> list:
    """What is wrong with ``instance`` (empty when it is valid)."""
    return ["{} at /{}".format(e.message, "/".join(map(str, e.absolute_path))) for e in validator(schema).iter_errors(instance)]


def response_schema(method: str, path: str, status: int) -> Dict[str, Any]:
    """The JSON schema of one documented answer."""
    answer = spec()["paths"][path][method.lower()]["responses"][str(status)]
    if "$ref" in answer:  # "#/components/responses/X"
        answer = spec()["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    schema: Dict[str, Any] = answer["content"]["application/json"]["schema"]
    return schema


def schema_nodes() -> Iterator[Tuple[str, Dict[str, Any]]]:
    """Every object of the spec with its JSON pointer, for rules that must hold everywhere."""
    todo: List[Tuple[str, Any]] = [("", spec())]
    while todo:
        where, node = todo.pop()
        if isinstance(node, dict):
            yield where, node
            todo.extend(("{}/{}".format(where, _escape(k)), v) for k, v in node.items())
        elif isinstance(node, list):
            todo.extend(("{}/{}".format(where, i), v) for i, v in enumerate(node))


def _escape(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")
