"""Errors the sandbox answers with, shaped like the API's: ``{"error": {type, code, message, uri}}``."""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence

from smscx_client._error_catalog import MESSAGES
from smscx_client.sandbox._routes import ERRORS

__all__ = [
    "SandboxApiError",
    "documented",
    "unauthorized",
    "insufficient_scope",
    "not_found_route",
    "method_not_allowed",
    "rate_limited",
    "server_error",
    "invalid_body",
    "bad_request",
]

DOCS_URI = "https://sms.cx/docs/errors/{}"


class SandboxApiError(Exception):
    """An API error: raise it from a backend, the app turns it into the HTTP answer."""

    def __init__(self, status: int, type_: str, code: int, message: str, **extra: Any) -> None:
        super().__init__("{} {} {}: {}".format(status, type_, code, message))
        self.status = status
        self.type = type_
        self.code = code
        self.message = message
        self.extra = extra  # keys placed beside "error" (e.g. "invalid": [...])
        self.headers: Dict[str, str] = {}

    def body(self) -> Dict[str, Any]:
        """The JSON body."""
        out: Dict[str, Any] = {
            "error": {"type": self.type, "code": self.code, "message": self.message, "uri": DOCS_URI.format(self.code)}
        }
        out.update(self.extra)
        return out


def documented(
    operation: str,
    code: int,
    message: Optional[str] = None,
    type_: Optional[str] = None,
    detail: Optional[str] = None,
    **extra: Any,
) -> SandboxApiError:
    """The error ``code`` as the operation's error table documents it (status, type, message).

    ``type_`` picks among the variants when the table documents the code with several types;
    ``detail`` (what exactly was wrong) is added to the documented message.
    """
    variants = ERRORS.get(operation, {}).get(code, ())
    row = next((v for v in variants if type_ is None or v[1] == type_), None)
    if row is None:
        for (status, etype, c), msg in MESSAGES.items():
            if c == code and (type_ is None or etype == type_):
                row = (status, etype, msg)
                break
    if row is None:
        raise KeyError("error code {} is documented for no operation".format(code))
    status, etype, default = row
    text = message or default
    if detail:
        # a detail that already says what the row says (plus the value given) replaces it
        text = detail if detail.startswith(text.rstrip(".")) else "{} ({})".format(text.rstrip("."), detail)
    return SandboxApiError(status, etype, code, text, **extra)


# Errors outside the per-operation tables. The API documents their status and type but not a
# code; the sandbox uses these codes consistently.
def unauthorized(message: str = "Missing or invalid API key or access token") -> SandboxApiError:
    """401 for unknown credentials."""
    return SandboxApiError(401, "invalid_api_key", 1001, message)


def insufficient_scope(scope: str) -> SandboxApiError:
    """403 when the access token lacks the scope of the operation."""
    return SandboxApiError(403, "insufficient_scope", 1002, "The access token lacks the `{}` scope".format(scope))


def not_found_route(path: str) -> SandboxApiError:
    """404 for a path the API does not have."""
    return SandboxApiError(404, "not_found", 1003, "No such resource: {}".format(path))


def method_not_allowed(method: str, path: str, allowed: Sequence[str]) -> SandboxApiError:
    """405 for a known path with another method; ``Allow`` lists the methods it serves (RFC 9110)."""
    exc = SandboxApiError(405, "invalid_method", 1004, "{} is not allowed on {}".format(method, path))
    exc.headers["Allow"] = ", ".join(allowed)
    return exc


def rate_limited() -> SandboxApiError:
    """429 when the configured rate limit is exhausted."""
    return SandboxApiError(429, "rate_limit", 1005, "Too many requests; retry after X-Rate-Limit-Reset")


def server_error(message: str = "The sandbox failed to process the request") -> SandboxApiError:
    """500 for a failure inside the sandbox (never a traceback)."""
    return SandboxApiError(500, "server_error", 1006, message)


def invalid_body(message: str = "The request body is not valid JSON") -> SandboxApiError:
    """400 for a body that cannot be parsed."""
    return SandboxApiError(400, "invalid_body", 1007, message)


def bad_request(status: int, message: str) -> SandboxApiError:
    """400, 414, 431 or 505 for a request the HTTP layer cannot read (request line, headers)."""
    return SandboxApiError(status, "invalid_request", 1010, message)
