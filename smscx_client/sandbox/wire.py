"""The sandbox's wire types: what the server reads (``Request``), what a backend gets (``Ctx``)
and what goes back (``Reply``), plus the JSON body decoder.

A leaf of the sandbox's import graph: it imports the state and the error catalogue, never
``app``, ``control`` or a backend, so all of them (and the server) can import it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from smscx_client.sandbox import errors
from smscx_client.sandbox._routes import ROUTES
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.state import AccountState, Clock, SandboxState
from smscx_client.sandbox.store import PageError, page

__all__ = ["Request", "Reply", "AuthInfo", "Ctx", "ALL_SCOPES", "MAX_DEPTH", "decode_json"]

# Scopes the sandbox knows: one per API resource (the API does not publish its scope names).
ALL_SCOPES = sorted({r[3] for r in ROUTES if r[3] != "oauth"})

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


MAX_DEPTH = 64


def decode_json(raw: bytes) -> Any:
    """A request body's JSON; ``ValueError`` (its text says why) for what no handler may see.

    Refused besides malformed JSON: nesting too deep for the parser, and text with unpaired
    UTF-16 surrogates (``"\\ud800"`` is valid JSON, as are the bytes ``ED A0 80`` that ``json``
    decodes with ``surrogatepass``): no UTF-8 exists for them, so they could be neither
    analysed, stored nor written back. Only a body that holds a surrogate escape is walked.
    """
    try:
        text = raw.decode(json.detect_encoding(raw), "surrogatepass")
    except UnicodeDecodeError:
        raise ValueError("is not valid JSON") from None
    if _SURROGATE.search(text):
        raise ValueError("is not valid UTF-8")
    try:
        value = json.loads(text)
    except RecursionError:
        raise ValueError("is nested too deeply") from None
    except ValueError:
        raise ValueError("is not valid JSON") from None
    if _SURROGATE_ESCAPE.search(text) and _holds_surrogate(value):
        raise ValueError("holds text that is not valid Unicode (unpaired surrogates)")
    # Python's own limit differs between versions (3.13 parses 5,000 levels); no API body needs
    # more than a few, so the sandbox sets one limit of its own
    if (text.count("[") + text.count("{")) > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise ValueError("is nested too deeply")
    return value


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (without recursion)."""
    deepest = 0
    todo = [(value, 1)]
    while todo:
        item, level = todo.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        todo.extend((child, level + 1) for child in children)
    return deepest


def _holds_surrogate(value: Any) -> bool:
    """True when a string (or key) anywhere in ``value`` holds a surrogate; walks without recursion."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return False


@dataclass
class Request:
    """An HTTP request as the server read it."""

    method: str
    path: str
    query_string: str
    headers: Dict[str, str]
    body: bytes

    def header(self, name: str) -> Optional[str]:
        """A header, case-insensitively."""
        lname = name.lower()
        for k, v in self.headers.items():
            if k.lower() == lname:
                return v
        return None


@dataclass
class Reply:
    """An answer: JSON when ``body`` is a dict or list, else bytes/str with ``content_type``."""

    status: int = 200
    body: Any = None
    content_type: str = "application/json"
    headers: Dict[str, str] = field(default_factory=dict)
    fault: Optional[str] = None  # drop stall truncated: handled by the server

    def payload(self) -> bytes:
        """The body bytes."""
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8", "surrogatepass")
        try:
            return json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate came in; escaping keeps the JSON valid
            return json.dumps(self.body).encode("ascii")


@dataclass
class AuthInfo:
    """Who is calling and with which scopes."""

    kind: str  # api_key bearer basic
    scopes: List[str]
    token: Optional[str] = None


class Ctx:
    """What a backend operation gets: the request, the state, and helpers for documented errors."""

    def __init__(
        self,
        state: SandboxState,
        op: str,
        path: Dict[str, str],
        query: Dict[str, str],
        body: Any,
        request: Request,
        auth: Optional[AuthInfo],
    ) -> None:
        self.state = state
        self.op = op
        self.path = path
        self.query = query
        self.body = body
        self.request = request
        self.auth = auth

    @property
    def account(self) -> AccountState:
        """The account."""
        return self.state.account

    @property
    def clock(self) -> Clock:
        """The sandbox clock."""
        return self.state.clock

    def now(self) -> float:
        """Sandbox time (Unix seconds)."""
        return self.state.clock.now()

    def error(self, code: int, message: Optional[str] = None, type_: Optional[str] = None, **extra: Any) -> SandboxApiError:
        """The documented error ``code`` of this operation (``raise ctx.error(1104)``)."""
        return errors.documented(self.op, code, message, type_, **extra)

    def flag(self, name: str) -> bool:
        """A boolean query parameter, absent meaning false (validated from the spec: true or
        false, as JSON or Python spells them)."""
        return self.query.get(name, "").lower() == "true"

    def page(
        self,
        items: List[Any],
        render: Optional[Callable[[Any], Any]] = None,
        default_limit: int = 500,
        max_limit: int = 500,
    ) -> Tuple[List[Any], Dict[str, Any]]:
        """One page of items; a cursor the sandbox did not issue answers 1008."""
        try:
            return page(items, self.query, default_limit, max_limit, render)
        except PageError as exc:
            raise SandboxApiError(
                400, "invalid_param", 1008, "The parameter `{}` is not valid".format(exc.param)
            ) from None
