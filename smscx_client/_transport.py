"""The default transport: urllib3 in, ``RawResponse`` or an SDK exception out (the only module
that imports urllib3).

Besides urllib3's connect and read timeouts, every attempt has a deadline (``Timeout.deadline()``:
connect + read, or the total): the socket reader of each response waits at most until then,
however slowly the server sends, so a body (or headers) trickled byte by byte cannot stretch an
attempt past it.
"""

from __future__ import annotations

import http.client
import io
import os
import socket
import ssl
import threading
import time
from typing import TYPE_CHECKING, Any, Dict, Optional

import urllib3
from urllib3 import connection as u3conn
from urllib3 import exceptions as u3

from smscx_client.exceptions import ApiConnectionError, ApiTimeoutError
from smscx_client.transport import (
    MAX_REDIRECTS,
    HttpRequest,
    RawResponse,
    Timeout,
    redirect_target,
    too_large,
)

if TYPE_CHECKING:
    from smscx_client.configuration import Configuration

__all__ = ["Urllib3Transport", "map_transport_error"]

_TIMEOUT_CACHE_SIZE = 32


# -- the attempt's deadline ----------------------------------------------------------------------
# ``send`` puts the deadline here; the connection that reads the answer, in the same thread,
# takes it when it starts reading the response.
_attempt = threading.local()


class _DeadlineReader(socket.SocketIO):
    """The socket reader under one response: each read waits at most the read timeout, and never
    past the attempt's deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        super().__init__(sock, "rb")
        sock._io_refs += 1  # type: ignore[attr-defined]  # as socket.makefile counts its readers
        self._socket = sock
        self._deadline = deadline
        self._read_timeout: Optional[float] = sock.gettimeout()
        self._cut = False  # True once the socket waits for the deadline instead

    def readinto(self, buffer: Any) -> Optional[int]:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout("the attempt's deadline passed")
        read = self._read_timeout
        if self._cut or read is None or remaining < read:  # else the socket already waits less
            self._cut = True
            self._socket.settimeout(remaining if read is None or remaining < read else read)
        return super().readinto(buffer)


class _DeadlineSocket:
    """What http.client starts a response on: the reader it makes is a ``_DeadlineReader``."""

    __slots__ = ("_sock", "_deadline")

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> Any:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))


class _DeadlineMixin:
    def response_class(self, sock: Any, *args: Any, **kwargs: Any) -> Any:
        """http.client's response, reading through a ``_DeadlineReader`` during an attempt of ours
        (a socket of a kind we do not know, such as TLS inside a TLS proxy, reads as it would)."""
        deadline: Optional[float] = getattr(_attempt, "deadline", None)
        if deadline is not None and isinstance(sock, socket.socket):
            sock = _DeadlineSocket(sock, deadline)
        return http.client.HTTPResponse(sock, *args, **kwargs)


# http.client calls ``self.response_class(sock, method=...)``: a method serves as well as a class
class _HTTPConnection(_DeadlineMixin, u3conn.HTTPConnection):  # type: ignore[misc]
    pass


class _HTTPSConnection(_DeadlineMixin, u3conn.HTTPSConnection):  # type: ignore[misc]
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class Urllib3Transport:
    """The default ``Transport``: one urllib3 pool manager per process (safe across threads)."""

    def __init__(self, configuration: "Configuration") -> None:
        self.configuration = configuration
        self._lock = threading.Lock()
        self._pool: Optional[urllib3.PoolManager] = None
        self._pid = 0
        # a call's Timeout -> urllib3's; calls share a handful of values (the configured one)
        self._timeouts: Dict[Timeout, urllib3.Timeout] = {}

    @property
    def pool_manager(self) -> urllib3.PoolManager:
        """The urllib3 pool manager, rebuilt in a forked child so no socket is shared."""
        pool = self._pool
        if pool is not None and self._pid == os.getpid():
            return pool
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = self._build_pool()
                self._pid = os.getpid()
            return self._pool

    def _build_pool(self) -> urllib3.PoolManager:
        c = self.configuration
        kwargs: Dict[str, Any] = {
            "num_pools": 4,
            "maxsize": c.connection_pool_maxsize or 4,
            "cert_reqs": ssl.CERT_REQUIRED if c.verify_ssl else ssl.CERT_NONE,
            "ca_certs": c.ssl_ca_cert,
            "cert_file": c.cert_file,
            "key_file": c.key_file,
        }
        if c.assert_hostname is not None:
            kwargs["assert_hostname"] = c.assert_hostname
        if c.socket_options is not None:
            kwargs["socket_options"] = c.socket_options
        manager: urllib3.PoolManager
        proxy = c.proxy_for(c.host)
        if proxy:
            manager = urllib3.ProxyManager(proxy_url=proxy, proxy_headers=c.proxy_headers, **kwargs)
        else:
            manager = urllib3.PoolManager(**kwargs)
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}  # the deadline
        return manager

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            if self._pool is not None:
                self._pool.clear()
                self._pool = None

    def send(self, request: HttpRequest) -> Any:
        """Send one request; follow same-origin redirects only (credentials never leave the host).

        Returns a ``RawResponse`` with the whole body, or with ``request.stream`` the open urllib3
        response of a 2xx answer. Raises ``ApiConnectionError``/``ApiTimeoutError`` for transport
        failures (``sent=False`` when the request cannot have reached the server).
        """
        t = self._timeouts.get(request.timeout)
        if t is None:
            t = self._urllib3_timeout(request.timeout)
        budget = request.timeout.deadline()
        _attempt.deadline = None if budget is None else time.monotonic() + budget
        try:
            method, url, headers, body = request.method, request.url, request.headers, request.body
            for _ in range(MAX_REDIRECTS + 1):
                resp = self._urlopen(method, url, headers, body, t)
                target = redirect_target(url, resp.status, resp.headers.get("Location"))
                if target is None:
                    break  # an answer; a redirect elsewhere surfaces as an ApiException
                resp.drain_conn()
                resp.release_conn()
                if resp.status == 303:
                    method, body = "GET", None
                url = target
        finally:
            _attempt.deadline = None
        if request.stream and 200 <= resp.status <= 299:
            return resp
        return self._read(resp)

    def _urllib3_timeout(self, timeout: Timeout) -> urllib3.Timeout:
        t = urllib3.Timeout(connect=timeout.connect, read=timeout.read, total=timeout.total)
        if len(self._timeouts) >= _TIMEOUT_CACHE_SIZE:
            self._timeouts.clear()
        self._timeouts[timeout] = t
        return t

    def _urlopen(self, method: str, url: str, headers: Any, body: Optional[bytes], t: Any) -> Any:
        c = self.configuration
        retries: Any = c.retries if c.retries is not None else False
        try:
            return self.pool_manager.urlopen(
                method,
                url,
                body=body,
                headers=headers,
                retries=retries,
                redirect=False,
                timeout=t,
                preload_content=False,
            )
        except u3.MaxRetryError as exc:  # only when the user set Configuration.retries
            raise map_transport_error(exc.reason or exc) from exc
        except (u3.HTTPError, OSError) as exc:
            raise map_transport_error(exc) from exc

    def _read(self, resp: Any) -> RawResponse:
        limit = self.configuration.max_response_bytes
        length = resp.headers.get("Content-Length")
        known = int(length) if length and length.isdigit() else None
        if limit and known is not None and known > limit:
            resp.close()
            raise too_large(resp.status, resp.headers, limit)
        try:
            # one read only when http.client will stop at a size already checked: urllib3's
            # length_remaining is None for a chunked body (a Content-Length beside it is ignored),
            # and a compressed body grows past its Content-Length when decoded
            sized = getattr(resp, "length_remaining", None)
            if not limit or (sized is not None and sized <= limit and not resp.headers.get("Content-Encoding")):
                data = resp.read()
            else:
                # size unknown or unbounded: read in bounded pieces (a single read(limit) would
                # allocate the whole limit up front on Python < 3.10)
                chunks = []
                size = 0
                for chunk in resp.stream(256 * 1024):
                    size += len(chunk)
                    if size > limit:
                        resp.close()
                        raise too_large(resp.status, resp.headers, limit)
                    chunks.append(chunk)
                data = b"".join(chunks)
        except (u3.HTTPError, OSError) as exc:
            resp.close()
            raise map_transport_error(exc) from exc
        resp.release_conn()
        return RawResponse(resp.status, resp.reason, resp.headers, data)


def _certificate_refused(exc: BaseException) -> bool:
    """True when the chain of causes holds a certificate verification failure."""
    seen = set()
    current: Optional[BaseException] = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ssl.SSLCertVerificationError, getattr(u3, "CertificateError", ()))):
            return True
        nested = [a for a in getattr(current, "args", ()) if isinstance(a, BaseException)]
        current = nested[0] if nested else (current.__cause__ or current.__context__)
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


def map_transport_error(exc: BaseException) -> ApiConnectionError:
    """urllib3/socket failure -> SDK exception; ``sent`` tells whether the server may have it."""
    if isinstance(exc, u3.NewConnectionError):  # refused, DNS (a ConnectTimeoutError subclass)
        return ApiConnectionError("Could not connect: {}".format(exc), sent=False)
    if isinstance(exc, u3.ConnectTimeoutError):
        return ApiTimeoutError("Timed out while connecting: {}".format(exc), sent=False)
    if isinstance(exc, u3.ReadTimeoutError):
        return ApiTimeoutError("Timed out waiting for the response: {}".format(exc), sent=True)
    if isinstance(exc, u3.SSLError):
        # only a refused certificate proves the request never left: TLS errors after the
        # handshake (a corrupt record while reading the answer) may follow a processed request
        return ApiConnectionError("TLS failure: {}".format(exc), sent=not _certificate_refused(exc))
    if isinstance(exc, u3.ProxyError):
        return ApiConnectionError("Proxy failure: {}".format(exc), sent=False)
    if isinstance(exc, (ConnectionRefusedError,)):
        return ApiConnectionError("Could not connect: {}".format(exc), sent=False)
    if isinstance(exc, TimeoutError) or isinstance(exc, u3.TimeoutError):
        return ApiTimeoutError("Timed out: {}".format(exc), sent=True)
    return ApiConnectionError("Connection failed: {}".format(exc), sent=True)
