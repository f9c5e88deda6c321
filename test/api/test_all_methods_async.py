"""Every one of the 101 methods through ``smscx_client.aio`` over a real loopback round trip.

The calls, requests and answers are those of ``test_all_methods.py`` (from ``spec_examples``), and
so are the checks: the asyncio client must put the same request on the wire and decode the same
answer into the same models. Then what only the asyncio client has.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, AsyncIterator, Dict, Iterator, List

import pytest
import pytest_asyncio
import spec_examples as se
import test_all_methods as sync_methods
from test_all_methods import CALLS, MIN_CALLS, NO_CONTENT, assert_request, assert_result, serve, with_value
from wire import Reply, WireServer

import smscx_client
from smscx_client.exceptions import ApiTypeError, ApiValueError

pytest.importorskip("aiohttp")

from smscx_client.aio import AsyncApiClient  # noqa: E402
from smscx_client.aio._transport import AsyncStreamedResponse  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
server, wire = sync_methods.server, sync_methods.wire  # the same fixtures: one server for the module


@pytest_asyncio.fixture
async def client_for(wire: WireServer, tmp_path: Path) -> AsyncIterator[Any]:
    """``client_for(call, **settings)``: an AsyncApiClient with the credentials the call's method uses."""
    made: List[AsyncApiClient] = []

    def factory(call: se.Call, **settings: Any) -> AsyncApiClient:
        settings.setdefault("temp_folder_path", str(tmp_path))
        settings.setdefault("api_key", se.TEST_KEY)
        settings.setdefault("max_retries", 0)
        if call.op.auth == ["BasicAuth"]:
            settings.update(api_key=None, username=se.APP_ID, password=se.APP_SECRET)
        client = AsyncApiClient(smscx_client.Configuration(host=wire.url, **settings))
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


def api_of(call: se.Call, client: AsyncApiClient) -> Any:
    return getattr(importlib.import_module("smscx_client.aio"), "Async" + call.api)(client)


async def invoke(client: AsyncApiClient, call: se.Call, given: Any = None, **options: Any) -> Any:
    args, kwargs = given or (call.args, call.kwargs)
    method = getattr(api_of(call, client), call.name)
    return await method(*se.materialize(args), **se.materialize(kwargs), **options)


def test_every_method_is_a_coroutine_with_the_sync_signature() -> None:
    import inspect

    import smscx_client.aio
    import smscx_client.apis

    count = 0
    for name in smscx_client.apis.__all__:
        sync_cls, async_cls = getattr(smscx_client.apis, name), getattr(smscx_client.aio, "Async" + name)
        # with_raw_response is a property of both (the async one's methods are awaited)
        methods = [m for m in vars(sync_cls) if not m.startswith("_") and m != "with_raw_response"]
        assert methods == [m for m in vars(async_cls) if not m.startswith("_") and m != "with_raw_response"]
        for m in methods:
            assert inspect.iscoroutinefunction(getattr(async_cls, m))
            assert inspect.signature(getattr(sync_cls, m)) == inspect.signature(getattr(async_cls, m))
            count += 1
    assert count == 101


@pytest.mark.asyncio
@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.id)
async def test_method_round_trip(wire, client_for, tmp_path, call):
    serve(wire, call)
    result = await invoke(client_for(call), call)
    assert len(wire.requests) == 1
    assert_request(wire.last, call)
    assert_result(result, call, tmp_path)


@pytest.mark.asyncio
@pytest.mark.parametrize("call", NO_CONTENT, ids=lambda c: c.id)
async def test_204_without_a_body_returns_none(wire, client_for, call):
    wire.reply(Reply(204, None))
    assert await invoke(client_for(call), call) is None
    assert_request(wire.last, call)


@pytest.mark.asyncio
@pytest.mark.parametrize("call", MIN_CALLS, ids=lambda c: c.id)
async def test_return_http_data_only_false_gives_data_status_headers(wire, client_for, tmp_path, call):
    serve(wire, call)
    data, status, headers = await invoke(client_for(call), call, _return_http_data_only=False)
    assert status == call.status
    assert headers["Content-Type"] == call.reply_headers.get("Content-Type", "application/json")
    assert_result(data, call, tmp_path)


@pytest.mark.asyncio
async def test_preload_content_false_returns_the_open_response(wire, client_for):
    call = next(c for c in MIN_CALLS if c.name == "get_account_balance")
    serve(wire, call)
    raw = await invoke(client_for(call), call, _preload_content=False)
    assert isinstance(raw, AsyncStreamedResponse) and raw.status == 200
    assert await raw.read() == Reply(call.status, call.reply).payload()
    raw.release_conn()


@pytest.mark.asyncio
async def test_async_req_is_refused_before_sending(wire, client_for):
    call = MIN_CALLS[0]
    with pytest.raises(ApiValueError, match="await the method"):
        await invoke(client_for(call), call, async_req=True)
    assert wire.requests == []


@pytest.mark.asyncio
@pytest.mark.parametrize("call", MIN_CALLS[:20], ids=lambda c: c.id)
async def test_unknown_keyword_raises_api_type_error(wire, client_for, call):
    with pytest.raises(ApiTypeError, match="_no_such_option"):
        await invoke(client_for(call), call, _no_such_option=1)
    assert wire.requests == []


@pytest.mark.asyncio
async def test_a_bad_parameter_is_refused_before_sending(wire, client_for):
    call = next(c for c in CALLS if c.name == "get_otp_status")
    with pytest.raises(ApiValueError, match="`otp_id`"):
        await invoke(client_for(call), call, with_value(call, "otp_id", "not-a-uuid"))
    assert wire.requests == []


# -- the asyncio pages of docs/aio: each snippet runs against the sandbox --------------------------
def _aio_snippets() -> Dict[str, str]:
    out = {}
    for page in sorted((ROOT / "docs" / "aio").glob("*.md")):
        (code,) = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
        out[page.stem] = code
    return out


@pytest.fixture(scope="module")
def examples_sandbox() -> Iterator[Any]:
    from smscx_client.sandbox import Sandbox

    with Sandbox(examples=True) as sb:  # the example records the snippets' ids name
        yield sb


@pytest.mark.parametrize("name", sorted(_aio_snippets()))
def test_the_docs_aio_snippet_runs_against_the_sandbox(examples_sandbox, name, capsys):
    sb = examples_sandbox
    sb.reset()
    config = "Configuration(host={!r}, api_key={!r}, username={!r}, password={!r})".format(
        sb.url, sb.api_key, sb.app_id, sb.app_secret
    )
    code, n = re.subn(r"Configuration\([^)]*\)", config, _aio_snippets()[name])
    assert n == 1
    exec(compile(code, name, "exec"), {})  # noqa: S102 - the docs' own example
    assert capsys.readouterr().out.strip()
