"""Fixtures for the sandbox tests (helpers are in ``support.py`` beside this file)."""

from __future__ import annotations

import os
from typing import Any, Iterator

import pytest
from support import Receiver

if os.environ.get("SMSCX_SANDBOX_IN_PROCESS") == "1":
    # this whole folder again, without sockets: the session's sandbox answers in process

    @pytest.fixture(scope="session")
    def _in_process_sandbox() -> Iterator[Any]:
        from smscx_client.sandbox import Sandbox

        with Sandbox(in_process=True) as sb:
            yield sb

    @pytest.fixture
    def smscx_sandbox(_in_process_sandbox: Any) -> Any:
        """The in-process sandbox, reset for this test."""
        _in_process_sandbox.reset()
        return _in_process_sandbox

    @pytest.fixture(autouse=True)
    def _raw_http_needs_the_socket_sandbox(monkeypatch: Any) -> None:
        """A test that writes raw HTTP to ``sb.url`` is skipped: there is no socket to write to."""
        import socket

        from smscx_client.sandbox.server import IN_PROCESS_URL

        host = IN_PROCESS_URL.split("//")[1].split(":")[0]
        resolve = socket.getaddrinfo

        def getaddrinfo(name: Any, *args: Any, **kwargs: Any) -> Any:
            if name == host:
                pytest.skip("talks raw HTTP to the sandbox: needs the socket sandbox")
            return resolve(name, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A started webhook receiver: ``receiver.url``, ``receiver.url_for(path)``, ``receiver.wait(n)``."""
    with Receiver() as r:
        yield r


@pytest.fixture
def sb(smscx_sandbox: Any) -> Any:
    """The session's sandbox, reset for this test (``smscx_sandbox`` under a shorter name)."""
    return smscx_sandbox
