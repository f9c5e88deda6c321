"""Which route of ``_routes.ROUTES`` a request is for, and which methods a path serves (``Allow``).

Templates are grouped by their first path segment, so that a request is compared with the few
templates of its resource rather than with all of them.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import unquote

from smscx_client.sandbox._routes import ROUTES

__all__ = ["match", "Route"]

Route = Tuple[str, str, str, str, Tuple[str, ...], int, str]

# (route, compiled template, number of literal segments)
_Compiled = Tuple[Route, "re.Pattern[str]", int]


def _compile(template: str) -> Tuple["re.Pattern[str]", int]:
    literal = sum(1 for seg in template.strip("/").split("/") if not seg.startswith("{"))
    regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$"
    return re.compile(regex), literal


def _first_segment(path: str) -> str:
    return path.lstrip("/").partition("/")[0]


_BY_SEGMENT: Dict[str, List[_Compiled]] = {}
for _route in ROUTES:
    _BY_SEGMENT.setdefault(_first_segment(_route[1]), []).append((_route, *_compile(_route[1])))
# a template that starts with a parameter would match any first segment (the API has none today)
_ANY_SEGMENT: List[_Compiled] = _BY_SEGMENT.pop("", [])
for _key, _group in _BY_SEGMENT.items():
    _group.extend(_ANY_SEGMENT)


def match(method: str, path: str) -> Tuple[Optional[Route], Dict[str, str], Tuple[str, ...]]:
    """(route, path params, methods the path serves) for a request.

    Only the most literal templates that match the path count, as in any router where a literal
    segment shadows a parameter (``/optouts/csv`` is the export, not opt-out "csv"): the route is
    theirs for ``method`` or None, and the methods (sorted) are theirs too, empty when no template
    matches the path at all.
    """
    found: List[Tuple[Route, Any]] = []
    top = -1
    for route, regex, literal in _BY_SEGMENT.get(_first_segment(path), _ANY_SEGMENT):
        m = regex.match(path)
        if m is None or literal < top:
            continue
        if literal > top:
            found, top = [], literal
        found.append((route, m))
    best = next(((route, m) for route, m in found if route[0] == method), None)
    params = {k: unquote(v) for k, v in best[1].groupdict().items()} if best is not None else {}
    return (best[0] if best else None), params, tuple(sorted({route[0] for route, _ in found}))
