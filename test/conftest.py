"""Shared fixtures: a scriptable loopback server and clients pointed at it."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from wire import WireServer

import smscx_client

TEST_KEY = "test-key-0123456789abcdef"


@pytest.fixture
def wire() -> Iterator[WireServer]:
    """A loopback server recording requests and answering from a queue."""
    with WireServer() as server:
        yield server


@pytest.fixture
def make_client(wire: WireServer) -> Callable[..., smscx_client.ApiClient]:
    """``make_client(**config_settings)``: an ApiClient pointed at ``wire``, no retries by default."""

    def factory(**settings: Any) -> smscx_client.ApiClient:
        settings.setdefault("api_key", TEST_KEY)
        settings.setdefault("max_retries", 0)
        config = smscx_client.Configuration(host=wire.url, **settings)
        return smscx_client.ApiClient(config)

    return factory
