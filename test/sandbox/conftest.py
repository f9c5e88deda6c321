"""Fixtures for the sandbox tests (helpers are in ``support.py`` beside this file)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from support import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A started webhook receiver: ``receiver.url``, ``receiver.url_for(path)``, ``receiver.wait(n)``."""
    with Receiver() as r:
        yield r


@pytest.fixture
def sb(smscx_sandbox: Any) -> Any:
    """The session's sandbox, reset for this test (``smscx_sandbox`` under a shorter name)."""
    return smscx_sandbox
