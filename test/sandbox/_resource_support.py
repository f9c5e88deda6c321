"""Helpers for the groups, opt-outs, originators and templates sandbox tests."""

from __future__ import annotations

import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, Type
from xml.etree import ElementTree

import pytest

from smscx_client.exceptions import ApiException

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def check_paging(fetch: Callable[..., Any], key: Callable[[Any], Any], expected: List[Any]) -> None:
    """Walk five records two by two with ``next``, then one page back with ``previous``."""
    assert len(expected) == 5
    first = fetch(limit=2)
    assert [key(x) for x in first.data] == expected[:2]
    assert first.paging.size == 2 and first.paging.previous is None and first.paging.next
    second = fetch(limit=2, next=first.paging.next)
    assert [key(x) for x in second.data] == expected[2:4]
    last = fetch(limit=2, next=second.paging.next)
    assert [key(x) for x in last.data] == expected[4:] and last.paging.next is None and last.paging.size == 1
    back = fetch(limit=2, previous=last.paging.previous)
    assert [key(x) for x in back.data] == expected[2:4]


def raw_call(
    client: Any,
    method: str,
    path: str,
    path_params: Optional[Dict[str, Any]] = None,
    body: Any = None,
    query: Optional[Dict[str, str]] = None,
) -> Tuple[Any, int]:
    """A request through the SDK's ApiClient with no client-side checks (for bad input): (JSON, status)."""
    data, status, _ = client.call_api(
        path,
        method,
        path_params=path_params,
        query_params=list((query or {}).items()),
        body=body,
        response_type=(dict,),
        auth_settings=["ApiKeyAuth"],
        _return_http_data_only=False,
    )
    return data, status


def expect_error(cls: Type[ApiException], code: int, fn: Any, *args: Any, **kwargs: Any) -> ApiException:
    """Call ``fn`` and check it raised ``cls`` carrying the API error ``code``."""
    with pytest.raises(cls) as err:
        fn(*args, **kwargs)
    assert err.value.error_code == code, err.value.body
    return err.value


def xlsx_rows(path: str) -> List[List[str]]:
    """The cells of sheet1 of a real XLSX file, as text, row by row (shared strings resolved)."""
    assert zipfile.is_zipfile(path)
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        assert "xl/worksheets/sheet1.xml" in names
        shared: List[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [
                "".join(t.text or "" for t in si.iter("{%s}t" % _NS["m"])) for si in root.findall("m:si", _NS)
            ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter("{%s}row" % _NS["m"]):
        cells = []
        for c in row.findall("m:c", _NS):
            v = c.find("m:v", _NS)
            text = "".join(c.itertext()) if v is None else (v.text or "")
            cells.append(shared[int(text)] if c.get("t") == "s" else text)
        rows.append(cells)
    return rows


class Receiver:
    """A tiny local HTTP server recording the JSON bodies POSTed to it (webhook target)."""

    def __init__(self) -> None:
        self.bodies: List[Dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}/hooks".format(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
