"""Walk the cursor-paged list endpoints (``limit``, ``next``, ``previous``) without bookkeeping.

::

    from smscx_client.pagination import iter_items

    for optout in iter_items(OptoutsApi(client).get_optouts_list, limit=100):
        print(optout.phone_number)      # optout is a DataOptouts, for type checkers too
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Optional,
    Protocol,
    Sequence,
    Set,
    TypeVar,
)

if TYPE_CHECKING:
    from smscx_client.model.paging import Paging

__all__ = ["iter_pages", "iter_items", "Page"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = TypeVar("P")


class Page(Protocol[T_co]):
    """What a paged list method returns: its items in ``data``, the cursors in ``paging``
    (``OptoutsListResponse``, ``ReportsAdvancedResponse``, ...)."""

    @property
    def data(self) -> Sequence[T_co]:
        """The items of this page."""

    @property
    def paging(self) -> Paging:
        """The ``next`` / ``previous`` cursors."""


def _next_cursor(page: Any) -> Optional[str]:
    paging = page.get("paging") if hasattr(page, "get") else None
    if paging is None:
        return None
    cursor = paging.get("next") if hasattr(paging, "get") else None
    return cursor if isinstance(cursor, str) and cursor else None


class _Cursor:
    """When to fetch another page and with which arguments: the rules of both the synchronous
    and the asyncio walks."""

    __slots__ = ("seen", "count", "max_pages")

    def __init__(self, max_pages: Optional[int]) -> None:
        self.seen: Set[str] = set()
        self.count = 0
        self.max_pages = max_pages

    def next_kwargs(self, page: Any, kwargs: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The arguments of the page after ``page``, or None when it was the last."""
        self.count += 1
        cursor = _next_cursor(page)
        if cursor is None or cursor in self.seen or (self.max_pages is not None and self.count >= self.max_pages):
            return None
        self.seen.add(cursor)  # a server repeating a cursor must not make this loop forever
        following = {**kwargs, "next": cursor}
        following.pop("previous", None)
        return following


def _items(page: Any) -> List[Any]:
    data = page.get("data") if hasattr(page, "get") else None
    return data if isinstance(data, list) else []


def iter_pages(method: Callable[..., P], *args: Any, max_pages: Optional[int] = None, **kwargs: Any) -> Iterator[P]:
    """Call a list method page after page, following ``paging.next``; yields each response."""
    cursor = _Cursor(max_pages)
    while True:
        page = method(*args, **kwargs)
        yield page
        following = cursor.next_kwargs(page, kwargs)
        if following is None:
            return
        kwargs = following


def iter_items(
    method: Callable[..., Page[T]], *args: Any, max_pages: Optional[int] = None, **kwargs: Any
) -> Iterator[T]:
    """Every item of every page (the ``data`` list of each response), typed as the items of
    ``method``'s response (``iter_items(api.get_optouts_list)`` yields ``DataOptouts``)."""
    for page in iter_pages(method, *args, max_pages=max_pages, **kwargs):
        yield from _items(page)
