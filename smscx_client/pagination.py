"""Walk the cursor-paged list endpoints (``limit``, ``next``, ``previous``) without bookkeeping.

::

    from smscx_client.pagination import iter_items

    for optout in iter_items(OptoutsApi(client).get_optouts_list, limit=100):
        print(optout.phone_number)      # optout is a DataOptouts, for type checkers too
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator, Optional, Protocol, Sequence, TypeVar

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


def iter_pages(method: Callable[..., P], *args: Any, max_pages: Optional[int] = None, **kwargs: Any) -> Iterator[P]:
    """Call a list method page after page, following ``paging.next``; yields each response."""
    seen = set()
    count = 0
    while True:
        page = method(*args, **kwargs)
        yield page
        count += 1
        cursor = _next_cursor(page)
        if cursor is None or cursor in seen or (max_pages is not None and count >= max_pages):
            return
        seen.add(cursor)  # a server repeating a cursor must not make this loop forever
        kwargs = {**kwargs, "next": cursor}
        kwargs.pop("previous", None)


def iter_items(
    method: Callable[..., Page[T]], *args: Any, max_pages: Optional[int] = None, **kwargs: Any
) -> Iterator[T]:
    """Every item of every page (the ``data`` list of each response), typed as the items of
    ``method``'s response (``iter_items(api.get_optouts_list)`` yields ``DataOptouts``)."""
    for page in iter_pages(method, *args, max_pages=max_pages, **kwargs):
        data = page.get("data") if hasattr(page, "get") else None
        if isinstance(data, list):
            yield from data
