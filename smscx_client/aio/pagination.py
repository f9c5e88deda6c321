"""``aiter_items`` / ``aiter_pages``: the cursor-paged lists, from asyncio code.

::

    from smscx_client.aio import AsyncOptoutsApi, aiter_items

    async for optout in aiter_items(AsyncOptoutsApi(client).get_optouts_list, limit=100):
        print(optout.phone_number)

The rules (which cursor comes next, when to stop) are those of ``smscx_client.pagination``.
"""

from __future__ import annotations

from typing import Any, AsyncIterator, Awaitable, Callable, Optional, TypeVar

from smscx_client.pagination import Page, _Cursor, _items

__all__ = ["aiter_pages", "aiter_items"]

T = TypeVar("T")
P = TypeVar("P")


async def aiter_pages(
    method: Callable[..., Awaitable[P]], *args: Any, max_pages: Optional[int] = None, **kwargs: Any
) -> AsyncIterator[P]:
    """Await a list method page after page, following ``paging.next``; yields each response."""
    cursor = _Cursor(max_pages)
    while True:
        page = await method(*args, **kwargs)
        yield page
        following = cursor.next_kwargs(page, kwargs)
        if following is None:
            return
        kwargs = following


async def aiter_items(
    method: Callable[..., Awaitable[Page[T]]], *args: Any, max_pages: Optional[int] = None, **kwargs: Any
) -> AsyncIterator[T]:
    """Every item of every page (the ``data`` list of each response), typed as the items of
    ``method``'s response."""
    async for page in aiter_pages(method, *args, max_pages=max_pages, **kwargs):
        for item in _items(page):
            yield item
