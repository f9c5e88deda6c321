"""pytest plugin (entry point ``pytest11``): the ``smscx_sandbox`` fixture.

One sandbox per test session, reset before each test that uses it::

    def test_signup_sends_a_code(smscx_sandbox):
        client = smscx_sandbox.api_client()
        ...
        assert smscx_sandbox.messages[0]["to"] == "+33612345678"
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest


@pytest.fixture(scope="session")
def _smscx_sandbox_session() -> Iterator[Any]:
    from smscx_client.sandbox import Sandbox

    with Sandbox() as sb:
        yield sb


@pytest.fixture
def smscx_sandbox(_smscx_sandbox_session: Any) -> Any:
    """A running ``Sandbox``, reset to its starting state for this test."""
    _smscx_sandbox_session.reset()
    return _smscx_sandbox_session
