"""The asyncio client's default transport: aiohttp in, ``RawResponse`` or an SDK exception out (the
only module that imports aiohttp, loaded with the first ``AsyncApiClient`` made without a
transport of its own).

It applies the rules of the default synchronous transport, from the same places
(``smscx_client.transport``, ``Configuration.proxy_for``): same-origin redirects only, the proxy, the size limit; and the
attempt's deadline: aiohttp's ``total`` timeout covers the whole attempt, body included, so a
server trickling its answer cannot stretch an attempt past connect + read (or the total).
A response whose body was not read to its end (an error, a refused size, a cancelled task) is
closed, never handed back to the pool half read.
"""

from __future__ import annotations

import asyncio
import os
import ssl
from typing import TYPE_CHECKING, Any, AsyncIterator, Dict, Optional, Union

import aiohttp
from yarl import URL

from smscx_client.exceptions import ApiConnectionError, ApiException, ApiTimeoutError
from smscx_client.transport import (
    MAX_REDIRECTS,
    REDIRECT_STATUSES,
    Headers,
    HttpRequest,
    RawResponse,
    Timeout,
    redirect_target,
    too_large,
)

if TYPE_CHECKING:
    from smscx_client.configuration import Configuration

__all__ = ["AiohttpTransport", "AsyncStreamedResponse", "map_aiohttp_error"]

_TIMEOUT_CACHE_SIZE = 32
_URL_CACHE_SIZE = 256
_ConnectionTimeout = getattr(aiohttp, "ConnectionTimeoutError", None)  # aiohttp >= 3.10


def map_aiohttp_error(exc: BaseException) -> ApiConnectionError:
    """aiohttp/socket failure -> SDK exception; ``sent`` tells whether the server may have it."""
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return ApiConnectionError("Proxy failure: {}".format(exc), sent=False)
    if isinstance(exc, aiohttp.ClientSSLError):  # the handshake failed: nothing was sent
        return ApiConnectionError("TLS failure: {}".format(exc), sent=False)
    if isinstance(exc, aiohttp.ClientConnectorError):  # refused, DNS
        code = getattr(exc.os_error, "errno", None)
        why = "{}: ".format(os.strerror(code)) if isinstance(code, int) and code > 0 else ""  # "Connection refused"
        return ApiConnectionError("Could not connect: {}{}".format(why, exc), sent=False)
    if isinstance(exc, aiohttp.ServerTimeoutError) and (
        (_ConnectionTimeout is not None and isinstance(exc, _ConnectionTimeout))
        or str(exc).startswith("Connection timeout")  # aiohttp < 3.10 says so only in its text
    ):
        return ApiTimeoutError("Timed out while connecting: {}".format(exc), sent=False)
    if isinstance(exc, asyncio.TimeoutError):  # a read, or the attempt's deadline
        return ApiTimeoutError("Timed out waiting for the response: {}".format(exc or "the attempt's deadline passed"), sent=True)
    return ApiConnectionError("Connection failed: {}".format(exc or type(exc).__name__), sent=True)


def _ssl_setting(c: "Configuration") -> Union[bool, ssl.SSLContext]:
    if not c.verify_ssl:
        return False
    if not (c.ssl_ca_cert or c.cert_file or c.assert_hostname is False):
        return True  # aiohttp's default verification
    context = ssl.create_default_context(cafile=c.ssl_ca_cert)
    if c.cert_file:
        context.load_cert_chain(c.cert_file, c.key_file)
    if c.assert_hostname is False:
        context.check_hostname = False
    return context


class AsyncStreamedResponse:
    """A 2xx answer whose body is still to read (``HttpRequest.stream``): ``stream(amt)`` yields it
    in pieces, ``read()`` all of it; ``release_conn()`` after reading it all, ``close()`` to drop
    the connection instead."""

    __slots__ = ("status", "reason", "headers", "response")

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response
        self.status = response.status
        self.reason = response.reason
        self.headers = Headers(response.headers.items())

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header value, or ``default``."""
        value: Optional[str] = self.headers.get(name, default)
        return value

    async def stream(self, amt: int = 64 * 1024) -> AsyncIterator[bytes]:
        """The body in pieces of at most ``amt`` bytes."""
        try:
            async for chunk in self.response.content.iter_chunked(amt):
                yield chunk
        except aiohttp.ClientError as exc:
            self.response.close()
            raise map_aiohttp_error(exc) from exc
        except asyncio.TimeoutError as exc:
            self.response.close()
            raise map_aiohttp_error(exc) from exc

    async def read(self) -> bytes:
        """The whole body."""
        return b"".join([chunk async for chunk in self.stream()])

    def release_conn(self) -> None:
        """Give the connection back to the pool (once the body was read to its end)."""
        self.response.release()

    def close(self) -> None:
        """Drop the connection."""
        self.response.close()


class AiohttpTransport:
    """The default ``AsyncTransport``: one aiohttp session per client, made in the event loop of its
    first request; at most ``limit`` connections open at once (more requests wait for one)."""

    def __init__(self, configuration: "Configuration", limit: int = 100) -> None:
        self.configuration = configuration
        self.limit = limit
        self._session: Optional[aiohttp.ClientSession] = None
        self._timeouts: Dict[Timeout, aiohttp.ClientTimeout] = {}
        self._urls: Dict[str, URL] = {}
        self._proxy = configuration.proxy_for(configuration.host)  # the configuration's, or the environment's

    @property
    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session (made on first use, in the running event loop)."""
        session = self._session
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(limit=self.limit, ssl=_ssl_setting(self.configuration))
            # no cookie jar: every request carries only what the SDK put in it, as with urllib3
            session = self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())
        return session

    async def aclose(self) -> None:
        """Close every pooled connection."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def send(self, request: HttpRequest) -> Any:
        """Send one request; follow same-origin redirects only (credentials never leave the host).

        Returns a ``RawResponse`` with the whole body, or with ``request.stream`` an
        ``AsyncStreamedResponse`` of a 2xx answer. Raises ``ApiConnectionError``/``ApiTimeoutError``
        for transport failures (``sent=False`` when the request cannot have reached the server).
        """
        timeout = self._timeouts.get(request.timeout)
        if timeout is None:
            timeout = self._client_timeout(request.timeout)
        session = self.session
        c = self.configuration
        method, url, body = request.method, request.url, request.body
        for _ in range(MAX_REDIRECTS + 1):
            target_url = self._urls.get(url)
            if target_url is None:
                target_url = self._url(url)
            try:
                if self._proxy is None:
                    resp = await session.request(
                        method,
                        target_url,
                        headers=request.headers,
                        data=body,
                        timeout=timeout,
                        allow_redirects=False,
                    )
                else:
                    resp = await session.request(
                        method,
                        target_url,
                        headers=request.headers,
                        data=body,
                        timeout=timeout,
                        allow_redirects=False,
                        proxy=self._proxy,
                        proxy_headers=c.proxy_headers,
                    )
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                raise map_aiohttp_error(exc) from exc
            status = resp.status
            if status not in REDIRECT_STATUSES:
                break
            target = redirect_target(url, status, resp.headers.get("Location"))
            if target is None:
                break  # an answer; a redirect elsewhere surfaces as an ApiException
            resp.close()  # its body is not worth reading, and a half-read connection is not pooled
            if status == 303:
                method, body = "GET", None
            url = target
        if request.stream and 200 <= status <= 299:
            return AsyncStreamedResponse(resp)
        # a sized, uncompressed body in one read; anything else in bounded pieces
        limit = c.max_response_bytes
        headers = resp.headers
        try:
            length = headers.get("Content-Length")
            known = None if length is None else int(length)
            if limit and known is not None and known > limit:
                raise too_large(status, Headers(headers.items()), limit)
            if not limit or (known is not None and not headers.get("Content-Encoding")):
                data = await resp.read()  # stops at a length already checked
            else:
                data = await self._read_bounded(resp, limit)
        except ApiException:
            resp.close()
            raise
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            resp.close()
            raise map_aiohttp_error(exc) from exc
        except BaseException:  # cancelled mid-body: drop the connection, never pool it half read
            resp.close()
            raise
        resp.release()
        return RawResponse(status, resp.reason, Headers(headers.items()), data)

    def _url(self, url: str) -> URL:
        # sent as the SDK encoded it (``%2B`` stays ``%2B``); made once per URL of the recent calls
        made = URL(url, encoded=True)
        if len(self._urls) >= _URL_CACHE_SIZE:
            self._urls.clear()
        self._urls[url] = made
        return made

    def _client_timeout(self, timeout: Timeout) -> aiohttp.ClientTimeout:
        t = aiohttp.ClientTimeout(total=timeout.deadline(), sock_connect=timeout.connect, sock_read=timeout.read)
        if len(self._timeouts) >= _TIMEOUT_CACHE_SIZE:
            self._timeouts.clear()
        self._timeouts[timeout] = t
        return t

    @staticmethod
    async def _read_bounded(resp: aiohttp.ClientResponse, limit: int) -> bytes:
        """The body of unknown size (or compressed, growing when decoded), in bounded pieces."""
        chunks = []
        size = 0
        async for chunk in resp.content.iter_chunked(256 * 1024):
            size += len(chunk)
            if size > limit:
                raise too_large(resp.status, Headers(resp.headers.items()), limit)
            chunks.append(chunk)
        return b"".join(chunks)
