"""``AsyncApiClient``: the request path of the asyncio client.

    AsyncSmsApi.send_sms(...)  ->  await AsyncApiClient.call_api(...)  ->  await transport.send(HttpRequest)

Everything but the waiting is the synchronous client's (``smscx_client.api_client._ClientCore``):
the per-call options, the request and its idempotency id, credentials, the retry steps of
``_Attempts``, error mapping, decoding, the download folder. This module only awaits.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Dict, List, Optional, Sequence, Tuple

from smscx_client._auth import AsyncTokenCache, active
from smscx_client._model import file_type
from smscx_client._throttle import Throttle
from smscx_client.api_client import _Attempts, _ClientCore, _Download, _Options
from smscx_client.configuration import Configuration
from smscx_client.exceptions import ApiConnectionError, ApiException, ApiValueError
from smscx_client.transport import AsyncTransport, HttpRequest

__all__ = ["AsyncApiClient"]

# patched by tests that look at the waits; asyncio.sleep itself is left alone
_sleep = asyncio.sleep


class AsyncApiClient(_ClientCore):
    """Sends the requests of the ``Async*Api`` classes from asyncio code; share one per event loop.

    ``async with AsyncApiClient(configuration) as client: ...`` closes its connections at the end
    (or ``await client.aclose()``). The configuration is the synchronous client's, with the same
    meaning (timeouts, retries, rate-limit waits, idempotency, OAuth, TLS, proxy, size limit).

    Args:
        configuration: settings (default: ``Configuration.get_default_copy()``).
        header_name: name of one extra header sent with every request.
        header_value: its value.
        cookie: a ``Cookie`` header sent with every request.
        transport: what carries the requests (an ``AsyncTransport``); default: aiohttp (the
            ``async`` extra: ``pip install ".[async]"`` in a clone of this repository).
        connection_limit: most connections the default transport opens at once (more requests
            wait for one); the requests of a call's attempt wait within its deadline.
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        *,
        transport: Optional[AsyncTransport] = None,
        connection_limit: int = 100,
    ) -> None:
        self._setup(configuration, header_name, header_value, cookie)
        if transport is None:
            try:
                from smscx_client.aio._transport import (
                    AiohttpTransport,  # aiohttp loads with the first client
                )
            except ImportError as exc:  # pragma: no cover - depends on the install
                raise ImportError(
                    "smscx_client.aio needs aiohttp: pip install \".[async]\" in a clone of the SDK's repository ({})".format(exc)
                ) from exc
            transport = AiohttpTransport(self.configuration, limit=connection_limit)
        self.transport: AsyncTransport = transport
        self._tokens = AsyncTokenCache()

    async def __aenter__(self) -> "AsyncApiClient":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return "AsyncApiClient(host={!r})".format(self.configuration.host)

    async def aclose(self) -> None:
        """Close the transport's connections (a copy made by ``with_options`` leaves them to the
        client it came from)."""
        if self._root is not self:
            return
        close = getattr(self.transport, "aclose", None) or getattr(self.transport, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result

    async def call_api(
        self,
        resource_path: str,
        method: str,
        path_params: Optional[Dict[str, Any]] = None,
        query_params: Optional[List[Tuple[str, Any]]] = None,
        header_params: Optional[Dict[str, Any]] = None,
        body: Any = None,
        post_params: Optional[List[Tuple[str, Any]]] = None,
        files: Optional[Dict[str, Any]] = None,
        response_type: Any = None,
        auth_settings: Optional[Sequence[str]] = None,
        async_req: Optional[bool] = None,
        _return_http_data_only: Optional[bool] = None,
        collection_formats: Optional[Dict[str, str]] = None,
        _preload_content: bool = True,
        _request_timeout: Any = None,
        _host: Optional[str] = None,
        _check_type: Optional[bool] = None,
        _request_auths: Optional[List[Dict[str, Any]]] = None,
        **options: Any,
    ) -> Any:
        """Send a request and decode the answer, as ``ApiClient.call_api`` does, awaited.

        Returns the decoded body (a model, ``str`` for CSV, an open binary file for XLSX,
        ``None`` for an empty body); with ``_return_http_data_only=False`` a tuple
        ``(data, status, headers)``; with ``_preload_content=False`` the transport's open
        response (``AsyncStreamedResponse`` by default: read it, then ``release_conn()``).

        Raises:
            ApiException: a subclass chosen from the status and the error in the body, or
                ``ApiConnectionError``/``ApiTimeoutError`` when no answer came.
            ApiTypeError: an unknown per-call option was given.
            ApiValueError: ``async_req=True`` (await the method instead).
        """
        if async_req:
            raise ApiValueError("`async_req` is for the thread pool of ApiClient; await the method instead")
        o = self._options(
            resource_path,
            method,
            path_params,
            query_params,
            header_params,
            body,
            post_params,
            files,
            response_type,
            auth_settings,
            _return_http_data_only,
            _preload_content,
            _request_timeout,
            _host,
            _request_auths,
            options,
        )
        req = self._prepare(o)
        # the retry steps of _Attempts, in this coroutine: every await below resumes each
        # coroutine level up to the task, so one level less is less work on every await
        attempts = _Attempts(self, req, o, {} if self._hooks else None)
        config = self.configuration
        rate_limit = config.rate_limit
        throttle = self._throttle_for(rate_limit) if rate_limit is not None else None
        transport = self.transport
        try:
            while True:
                attempts.begin()
                try:
                    if o.request_auths or config.refresh_api_key_hook is not None or active(config, o.auth):
                        headers, token = await self._with_auth(req.headers, o)
                    else:  # an API key or a token of the caller's: nothing to await
                        headers, token = self._auth_headers(req.headers, o, None), None
                    sending = attempts.request(headers)
                    if throttle is None:
                        raw = await transport.send(sending)
                    else:
                        raw = await _throttled_send(transport, sending, throttle)
                    if attempts.answered(raw, headers):
                        if o.preload_content and o.response_type is not file_type:
                            data = self.deserialize(raw, o.response_type, None)
                        else:
                            data = await self._finish(raw, o)
                        attempts.succeeded(raw)
                        if o.return_http_data_only is False:
                            return data, raw.status, raw.headers
                        return data
                except ApiConnectionError as exc:  # a broken read is retried like a broken connection
                    await _sleep(attempts.after_error(exc))
                    continue
                except ApiException as exc:  # an undecodable answer, or the token request failed
                    attempts.failed(exc)
                    raise
                wait = attempts.after_status(raw, token)
                if wait is not None:
                    await _sleep(wait)
        except Exception as exc:  # every exception carries the attempts made and the idempotency id
            attempts.error(exc)  # the "error" hook, in the same coroutine, as ApiClient._send calls it
            raise

    async def _finish(self, raw: Any, o: _Options) -> Any:
        if not o.preload_content:
            return raw  # the caller reads the response
        return await self._save_file(raw)

    async def _with_auth(self, base: Dict[str, str], o: _Options) -> Tuple[Dict[str, str], Optional[str]]:
        """The headers of one attempt, with fresh credentials; and the OAuth token the SDK
        obtained, if it used one. A ``refresh_api_key_hook`` may be a coroutine function."""
        token: Optional[str] = None
        if not o.request_auths:
            hook = self.configuration.refresh_api_key_hook
            if hook is not None:
                result: Any = hook(self.configuration)
                if inspect.isawaitable(result):
                    await result
            if active(self.configuration, o.auth):  # else no token to wait for
                token = await self._tokens.token_for(self, o.auth)
        return self._auth_headers(base, o, token), token

    async def _save_file(self, resp: Any) -> Any:
        """Stream a download into a private folder of its own, under the server's (sanitised) file
        name; return the file open for reading. The caller deletes it (``delete_download``)."""
        download = _Download(self.configuration, resp)
        try:
            chunks = resp.stream(64 * 1024)
            if hasattr(chunks, "__aiter__"):
                async for chunk in chunks:
                    download.write(chunk)
            else:  # a RawResponse: the body is already here
                for chunk in chunks:
                    download.write(chunk)
        except BaseException as exc:
            resp.close()
            download.abort()
            if isinstance(exc, Exception) and not isinstance(exc, ApiException):
                raise ApiConnectionError("Connection failed: {}".format(exc), sent=True) from exc
            raise
        resp.release_conn()
        return download.finish()


async def _throttled_send(transport: AsyncTransport, request: HttpRequest, throttle: Throttle) -> Any:
    """``transport.send`` within the client's rate limit (``Configuration.rate_limit``): the
    synchronous client's ``Throttle``, waited for in the event loop."""
    await throttle.acquire_async()
    status = 0
    try:
        raw = await transport.send(request)
        status = raw.status
        return raw
    finally:
        throttle.release(status == 429)
