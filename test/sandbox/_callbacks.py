"""Test helpers for the numbers and OTP sandbox tests: a loopback webhook receiver and raw calls."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterator, List, Optional

import pytest

from smscx_client import ApiClient


class Receiver:
    """Collects the JSON bodies POSTed to it (``bodies``: list of ``(path, body)``), answering 200."""

    def __init__(self) -> None:
        self.bodies: List[Any] = []
        self._cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._cond:
                    receiver.bodies.append((self.path, json.loads(data)))
                    receiver._cond.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def url(self, path: str = "/hook") -> str:
        """A URL on this receiver."""
        return "http://127.0.0.1:{}{}".format(self._server.server_address[1], path)

    def wait(self, count: int, timeout: float = 5.0) -> List[Any]:
        """The bodies, once at least ``count`` arrived (fails the test after ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.bodies) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail("expected {} callbacks, got {}: {}".format(count, len(self.bodies), self.bodies))
                self._cond.wait(left)
            return list(self.bodies)

    def __enter__(self) -> "Receiver":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def webhook_receiver() -> Iterator[Receiver]:
    """A Receiver on a free loopback port (test modules bind it: ``receiver = webhook_receiver``)."""
    with Receiver() as r:
        yield r


def raw_call(
    client: ApiClient,
    method: str,
    path: str,
    body: Any = None,
    query: Optional[List[Any]] = None,
    path_params: Optional[Dict[str, str]] = None,
) -> Any:
    """Send what the typed API methods would refuse client-side (wrong types, bad ids), or read a
    field whose python name the SDK's models do not settle, and get the answer as plain JSON:
    the server-side rules are what these tests check."""
    return client.call_api(
        path,
        method,
        path_params=path_params,
        query_params=query,
        body=body,
        response_type=dict,
        auth_settings=["ApiKeyAuth"],
    )
