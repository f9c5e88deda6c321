"""The synchronous and the asyncio client behind one blocking face, so that a reliability test
runs against both (the ``sdk`` fixture of conftest.py).

``sdk.client(config)`` makes a client of the flavour, ``sdk.api(AccountApi, client)`` the API
object: for asyncio, ``AsyncAccountApi`` whose awaited methods are run to completion in an event
loop of the test's own. Exceptions come out unchanged; results are the same objects.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
from typing import Any, List

import smscx_client


class SyncSdk:
    """The synchronous client as it is."""

    name = "sync"

    def __init__(self) -> None:
        self.made: List[smscx_client.ApiClient] = []

    def client(self, config: smscx_client.Configuration, **kwargs: Any) -> Any:
        client = smscx_client.ApiClient(config, **kwargs)
        self.made.append(client)
        return client

    def api(self, cls: Any, client: Any) -> Any:
        if isinstance(client, smscx_client.Configuration):
            client = self.client(client)
        return cls(client)

    def patch_sleep(self, mocker: Any) -> Any:
        """A mock standing for the waits between attempts (it returns at once)."""
        return mocker.patch("smscx_client.api_client.time.sleep")

    def close(self) -> None:
        for client in self.made:
            client.close()


class _Blocking:
    """An ``Async*Api`` object whose coroutine methods are run to completion when called."""

    def __init__(self, target: Any, loop: asyncio.AbstractEventLoop) -> None:
        self._target = target
        self._loop = loop

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not inspect.iscoroutinefunction(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            return self._loop.run_until_complete(attr(*args, **kwargs))

        return call


class AsyncSdk:
    """``smscx_client.aio``, each call run in this flavour's event loop."""

    name = "async"

    def __init__(self) -> None:
        from smscx_client.aio import AsyncApiClient

        self.loop = asyncio.new_event_loop()
        self.made: List[AsyncApiClient] = []

    def client(self, config: smscx_client.Configuration, **kwargs: Any) -> Any:
        from smscx_client.aio import AsyncApiClient

        client = AsyncApiClient(config, **kwargs)
        self.made.append(client)
        return client

    def api(self, cls: Any, client: Any) -> Any:
        import smscx_client.aio

        if isinstance(client, smscx_client.Configuration):
            client = self.client(client)
        return _Blocking(getattr(smscx_client.aio, "Async" + cls.__name__)(client), self.loop)

    def run(self, coroutine: Any) -> Any:
        """Run a coroutine in this flavour's loop."""
        return self.loop.run_until_complete(coroutine)

    def patch_sleep(self, mocker: Any) -> Any:
        """A mock standing for the waits between attempts (it returns at once)."""
        return mocker.patch("smscx_client.aio._client._sleep", new_callable=mocker.AsyncMock)

    def close(self) -> None:
        for client in self.made:
            self.loop.run_until_complete(client.aclose())
        self.loop.run_until_complete(asyncio.sleep(0))
        self.loop.close()
        gc.collect()  # what the loop left is collected now, within the test that made it


def make(name: str) -> Any:
    """The flavour called ``name``."""
    return SyncSdk() if name == "sync" else AsyncSdk()
