"""Input checks shared by the groups, opt-outs, originators and templates backends."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Optional, Protocol, TypeVar

from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.wire import Ctx

__all__ = [
    "path_int",
    "path_uuid",
    "invalid_param",
    "body_dict",
    "text_field",
    "newest_first",
    "is_http_url",
    "name_taken",
]

_INT = re.compile(r"[0-9]{1,15}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_URL = re.compile(
    r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?|https?://localhost(?::\d+)?(?:[/?#]\S*)?", re.I
)


def path_int(ctx: Ctx, name: str, code: int) -> int:
    """A numeric path id; anything else cannot name a record, so it answers the not-found ``code``."""
    raw = ctx.path.get(name, "")
    if not _INT.fullmatch(raw) or int(raw) == 0:
        raise ctx.error(code)
    return int(raw)


def path_uuid(ctx: Ctx, name: str, code: int) -> str:
    """A lowercase UUID path id, or the not-found ``code``."""
    raw = ctx.path.get(name, "")
    if not _UUID.fullmatch(raw):
        raise ctx.error(code)
    return raw


def invalid_param(name: str, why: str) -> SandboxApiError:
    """400 for a malformed field no documented code covers (the code the framework uses for paging)."""
    return SandboxApiError(
        400, "invalid_param", 1008, "The parameter `{}` is not valid: {}".format(name, why)
    )


def body_dict(ctx: Ctx) -> Dict[str, Any]:
    """The JSON body when it is an object; any other body counts as one without fields.

    (Text with unpaired surrogates never gets this far: ``wire.decode_json`` refuses it.)
    """
    return ctx.body if isinstance(ctx.body, dict) else {}


def text_field(body: Dict[str, Any], name: str, nullable: bool = True) -> Optional[str]:
    """An optional free-text field: a string, or None when absent (or null if ``nullable``)."""
    value = body.get(name)
    if value is None:
        if name in body and not nullable:
            raise invalid_param(name, "must be a string")
        return None
    if not isinstance(value, str):
        raise invalid_param(name, "must be a string")
    return value


class _Dated(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def created_at(self) -> float: ...


class _Named(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


D = TypeVar("D", bound=_Dated)


def newest_first(records: Iterable[D]) -> List[D]:
    """Records sorted by creation time, most recent first (ties: highest id first)."""
    return sorted(records, key=lambda r: (r.created_at, r.id), reverse=True)


def is_http_url(value: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    return len(value) <= 2048 and bool(_URL.fullmatch(value))


def name_taken(records: Iterable[_Named], name: str, skip: Optional[int] = None) -> bool:
    """True when another record already uses ``name`` (compared case-insensitively)."""
    folded = name.casefold()
    return any(r.name.casefold() == folded and r.id != skip for r in records)
