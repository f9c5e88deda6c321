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

    The route is None when no template of ``method`` matches; the methods (sorted) are empty
    when no template matches the path at all. Among templates that match, the most literal wins
    (``/numbers/lookup/lookupId/{id}`` before ``/numbers/lookup/{phoneNumber}``).
    """
    best: Optional[Route] = None
    best_match: Any = None
    best_literal = -1
    allowed = set()
    for route, regex, literal in _BY_SEGMENT.get(_first_segment(path), _ANY_SEGMENT):
        m = regex.match(path)
        if m is None:
            continue
        allowed.add(route[0])
        if route[0] == method and literal > best_literal:
            best, best_match, best_literal = route, m, literal
    params = {k: unquote(v) for k, v in best_match.groupdict().items()} if best_match is not None else {}
    return best, params, tuple(sorted(allowed))
