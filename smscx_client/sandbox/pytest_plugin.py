"""pytest plugin (entry point ``pytest11``): the ``smscx_sandbox`` fixture and marker.

A running sandbox, reset before each test that uses it::

    def test_signup_sends_a_code(smscx_sandbox: Sandbox) -> None:
        client = smscx_sandbox.api_client()
        ...
        assert smscx_sandbox.messages[0]["to"] == "+33612345678"

It is a plain fixture, so async tests take it as well (pytest-asyncio, anyio); their clients come
from ``smscx_sandbox.async_api_client()``::

    @pytest.mark.asyncio
    async def test_signup_sends_a_code(smscx_sandbox: Sandbox) -> None:
        async with smscx_sandbox.async_api_client() as client:
            ...

The marker sets the sandbox's configuration for a test (or, as ``pytestmark``, a module or a
class; a closer marker's options win)::

    @pytest.mark.smscx_sandbox(balance=0, examples=True)
    def test_low_balance(smscx_sandbox: Sandbox) -> None:
        ...

Options: ``balance``, ``examples``, ``rate_limit``, ``api_key``, ``app_id``, ``app_secret``,
``in_process`` (no sockets: the test's clients must come from ``smscx_sandbox.api_client()``) and
``strict`` (the arguments of ``Sandbox``). One sandbox is started per configuration in a session.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any, Dict, Iterator

import pytest

if TYPE_CHECKING:
    from smscx_client.sandbox import Sandbox

__all__ = ["smscx_sandbox", "OPTIONS"]

OPTIONS = ("balance", "examples", "rate_limit", "api_key", "app_id", "app_secret", "in_process", "strict")
"""The keyword arguments the ``smscx_sandbox`` marker takes."""


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker (projects running with ``--strict-markers`` need it)."""
    config.addinivalue_line(
        "markers",
        "smscx_sandbox(balance=100.0, examples=False, rate_limit=None, api_key=..., app_id=..., "
        "app_secret=...): the configuration of the smscx_sandbox fixture for this test",
    )


def _options(node: pytest.Item) -> Dict[str, Any]:
    """The marker options that apply to a test: the closest marker's win."""
    options: Dict[str, Any] = {}
    for mark in reversed(list(node.iter_markers("smscx_sandbox"))):
        if mark.args:
            raise TypeError("@pytest.mark.smscx_sandbox takes keyword arguments only, got {!r}".format(mark.args))
        for name in mark.kwargs:
            if name not in OPTIONS:
                close = difflib.get_close_matches(name, OPTIONS, n=1)
                raise TypeError(
                    "@pytest.mark.smscx_sandbox got an unknown option {!r}{}; options are: {}".format(
                        name, " (did you mean {!r}?)".format(close[0]) if close else "", ", ".join(OPTIONS)
                    )
                )
        options.update(mark.kwargs)
    if options.get("rate_limit") is not None:
        options["rate_limit"] = tuple(options["rate_limit"])
    return options


class _Sandboxes:
    """The session's sandboxes, one per configuration, each started on first use."""

    def __init__(self) -> None:
        self._started: Dict[str, Sandbox] = {}

    def get(self, options: Dict[str, Any]) -> Sandbox:
        """The sandbox with these options, reset to its starting state."""
        from smscx_client.sandbox import Sandbox

        key = repr(sorted(options.items()))
        sb = self._started.get(key)
        if sb is None:
            sb = self._started[key] = Sandbox(**options).start()
        else:
            sb.reset()
        return sb

    def stop(self) -> None:
        """Stop every sandbox."""
        for sb in self._started.values():
            sb.stop()


@pytest.fixture(scope="session")
def _smscx_sandboxes() -> Iterator[_Sandboxes]:
    pool = _Sandboxes()
    try:
        yield pool
    finally:
        pool.stop()


@pytest.fixture
def smscx_sandbox(request: pytest.FixtureRequest, _smscx_sandboxes: _Sandboxes) -> Sandbox:
    """A running ``Sandbox`` in its starting state, configured by the ``smscx_sandbox`` marker."""
    return _smscx_sandboxes.get(_options(request.node))
