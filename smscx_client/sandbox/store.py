"""Plain in-memory tables and cursor paging."""

from __future__ import annotations

import base64
import itertools
from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, Tuple, TypeVar

__all__ = ["Store", "page", "PageError"]

T = TypeVar("T")


class Store(Generic[T]):
    """Records by key, in insertion order. Integer keys are issued when none is given."""

    def __init__(self, first_id: int = 1) -> None:
        self._items: Dict[Any, T] = {}
        self._ids = itertools.count(first_id)

    def next_id(self) -> int:
        """A fresh integer key."""
        return next(self._ids)

    def insert(self, item: T, key: Any = None) -> Any:
        """Add a record; returns its key."""
        if key is None:
            key = self.next_id()
        self._items[key] = item
        return key

    def get(self, key: Any) -> Optional[T]:
        """The record, or None."""
        return self._items.get(key)

    def delete(self, key: Any) -> Optional[T]:
        """Remove and return the record (None if absent)."""
        return self._items.pop(key, None)

    def values(self) -> List[T]:
        """All records, oldest first."""
        return list(self._items.values())

    def items(self) -> List[Tuple[Any, T]]:
        """All (key, record) pairs, oldest first."""
        return list(self._items.items())

    def clear(self) -> None:
        """Remove every record."""
        self._items.clear()

    def __contains__(self, key: Any) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))


class PageError(Exception):
    """A paging cursor is not one the sandbox issued; ``param`` names it (``next``, ``previous``)."""

    def __init__(self, param: str) -> None:
        super().__init__(param)
        self.param = param


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode("o:{}".format(offset).encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "o" or not value.isdecimal():
            raise ValueError(cursor)
        return int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(cursor) from exc


def page(
    items: List[T],
    query: Dict[str, str],
    default_limit: int = 500,
    max_limit: int = 500,
    render: Optional[Callable[[T], Any]] = None,
) -> Tuple[List[Any], Dict[str, Any]]:
    """One page of ``items`` per the ``limit``/``next``/``previous`` query; returns (data, paging).

    ``limit`` comes validated from the spec (an integer in the documented range); ``max_limit``
    caps what the spec leaves open (exports). Raises ``PageError`` naming a cursor this sandbox
    did not issue.
    """
    limit = min(int(query["limit"]), max_limit) if "limit" in query else default_limit
    start = 0
    if query.get("next"):
        try:
            start = _offset(query["next"])
        except ValueError:
            raise PageError("next") from None
    elif query.get("previous"):
        try:
            start = max(0, _offset(query["previous"]) - limit)
        except ValueError:
            raise PageError("previous") from None
    chunk = items[start : start + limit]
    paging = {
        "next": _cursor(start + limit) if start + limit < len(items) else None,
        "previous": _cursor(start) if start > 0 else None,
        "size": len(chunk),
    }
    data = [render(i) for i in chunk] if render else list(chunk)
    return data, paging
