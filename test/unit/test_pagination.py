"""iter_pages / iter_items follow paging.next over real HTTP."""

from __future__ import annotations

from smscx_client.api.optouts_api import OptoutsApi
from smscx_client.pagination import iter_items, iter_pages


def _page(ids, next_cursor):
    data = [
        {"id": i, "phoneNumber": "+3361234567{}".format(i), "countryIso": "FR", "type": "api", "createdAt": "2024-01-01 10:00:00"}
        for i in ids
    ]
    return {"info": {"totalOptouts": 5}, "data": data, "paging": {"next": next_cursor, "previous": None, "size": len(ids)}}


def test_iter_items_walks_every_page(wire, make_client):
    wire.reply(_page([1, 2], "c2"), _page([3, 4], "c3"), _page([5], None))
    api = OptoutsApi(make_client())
    ids = [o.id for o in iter_items(api.get_optouts_list, limit=2)]
    assert ids == [1, 2, 3, 4, 5]
    assert [dict(r.query) for r in wire.requests] == [{"limit": "2"}, {"limit": "2", "next": "c2"}, {"limit": "2", "next": "c3"}]


def test_repeated_cursor_and_max_pages_stop_the_walk(wire, make_client):
    wire.reply(_page([1], "same"), _page([2], "same"), _page([3], "same"))
    api = OptoutsApi(make_client())
    assert len(list(iter_pages(api.get_optouts_list))) == 2
    wire.requests.clear()
    wire.reply(_page([1], "a"), _page([2], "b"))
    assert len(list(iter_pages(api.get_optouts_list, max_pages=1))) == 1
    assert len(wire.requests) == 1
