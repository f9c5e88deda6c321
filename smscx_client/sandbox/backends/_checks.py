"""What the groups, opt-outs, originators and templates backends share: newest-first order and
name clashes. (The form of every request field is validated from the spec before a backend runs.)"""

from __future__ import annotations

from typing import Iterable, List, Optional, Protocol, TypeVar

__all__ = ["newest_first", "name_taken"]


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


def name_taken(records: Iterable[_Named], name: str, skip: Optional[int] = None) -> bool:
    """True when another record already uses ``name`` (compared case-insensitively)."""
    folded = name.casefold()
    return any(r.name.casefold() == folded and r.id != skip for r in records)
