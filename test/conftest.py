"""Shared fixtures: a scriptable loopback server and clients pointed at it."""

from __future__ import annotations

import logging
import re
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


# -- secrets: the whole suite runs with the smscx_client logger at DEBUG, and no known secret
# may appear in anything it logged -------------------------------------------------------------
KNOWN_SECRETS = [TEST_KEY, "hostile-test-key-000", "prop-test-key-123456", "sandbox-api-key", "sandbox-app-secret"]
_BEARER = re.compile(r"Bearer [A-Za-z0-9._~+/=-]{12,}")


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # pragma: no cover - a broken record must not break the suite
            self.lines.append(repr(record.msg))


_COLLECTOR = _LogCollector()


def pytest_configure(config: Any) -> None:
    sdk_logger = logging.getLogger("smscx_client")
    sdk_logger.setLevel(logging.DEBUG)
    sdk_logger.addHandler(_COLLECTOR)


def leaked_secrets(texts: Any) -> list:
    """Known secrets (or unmasked bearer tokens) found in ``texts``."""
    found = []
    for text in texts:
        for secret in KNOWN_SECRETS:
            if secret in text:
                found.append((secret[:4] + "...", text[:120]))
        if _BEARER.search(text):
            found.append(("Bearer ...", text[:120]))
    return found


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    leaks = leaked_secrets(_COLLECTOR.lines)
    if leaks:
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            "SECRET LEAK in smscx_client logs: {} line(s), e.g. {}".format(len(leaks), leaks[:3]), red=True
        )
        session.exitstatus = 1
