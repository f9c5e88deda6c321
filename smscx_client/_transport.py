"""The one place that talks HTTP: urllib3 in, ``RawResponse`` or an SDK exception out."""

from __future__ import annotations

import ipaddress
import os
import ssl
import threading
from typing import TYPE_CHECKING, Any, Dict, Optional, Tuple, Union
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3 import exceptions as u3

from smscx_client.exceptions import ApiConnectionError, ApiException, ApiTimeoutError, ApiValueError

if TYPE_CHECKING:
    from smscx_client.configuration import Configuration

__all__ = [
    "RawResponse",
    "Urllib3Transport",
    "make_timeout",
    "map_transport_error",
    "InsecureTransportWarning",
    "is_plain_http_to_remote",
]

_REDIRECTS = (301, 302, 303, 307, 308)
_MAX_REDIRECTS = 3
_UNSET_TIMEOUT = object()


class RawResponse:
    """Status, reason, headers and body bytes of an HTTP response (0.1.x ``RESTResponse`` API)."""

    __slots__ = ("status", "reason", "headers", "data")

    def __init__(self, status: int, reason: Optional[str], headers: Any, data: bytes) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.data = data

    def getheaders(self) -> Any:
        """All headers (a case-insensitive ``HTTPHeaderDict``)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header value, or ``default``."""
        value: Optional[str] = self.headers.get(name, default)
        return value


class InsecureTransportWarning(UserWarning):
    """Credentials are about to travel unencrypted (plain HTTP to a host that is not loopback)."""


def is_plain_http_to_remote(url: str) -> bool:
    """True for ``http://`` URLs whose host is not this machine."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    if host in ("localhost", "localhost.localdomain"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def make_timeout(value: Any, name: str = "timeout") -> urllib3.Timeout:
    """urllib3 timeout for seconds (total), a ``(connect, read)`` pair, or a ``urllib3.Timeout``.

    ``None`` waits forever (only when set on purpose). Anything else raises ``ApiValueError``
    naming the setting, before anything is sent.
    """
    if value is None:
        return urllib3.Timeout(connect=None, read=None)
    if isinstance(value, urllib3.Timeout):
        return value
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(_seconds(v) for v in value):
        return urllib3.Timeout(connect=value[0], read=value[1])
    if _seconds(value) and value is not None:
        return urllib3.Timeout(total=float(value))
    raise ApiValueError(
        "Invalid `{}`: {!r}; give seconds (a number > 0) or a (connect, read) pair".format(name, value)
    )


def _seconds(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0)


def _bypass_proxy(host: str, no_proxy: Optional[str]) -> bool:
    if not no_proxy:
        return False
    if no_proxy.strip() == "*":
        return True
    name = (urlsplit(host).hostname or "").lower()
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if "/" in entry:
            try:
                if ipaddress.ip_address(name) in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
        elif name == entry.lstrip(".") or name.endswith("." + entry.lstrip(".")):
            return True
    return False


def _origin(url: str) -> Tuple[str, Optional[int]]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "").lower(), parts.port or default


class Urllib3Transport:
    """Sends requests through one urllib3 pool manager per process (safe across threads)."""

    def __init__(self, configuration: "Configuration") -> None:
        self.configuration = configuration
        self._lock = threading.Lock()
        self._pool: Optional[urllib3.PoolManager] = None
        self._pid = 0
        self._timeout: Tuple[Any, Any] = (_UNSET_TIMEOUT, None)  # (value, urllib3.Timeout) last used

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
        if c.proxy and not _bypass_proxy(c.host, c.no_proxy):
            return urllib3.ProxyManager(proxy_url=c.proxy, proxy_headers=c.proxy_headers, **kwargs)
        return urllib3.PoolManager(**kwargs)

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            if self._pool is not None:
                self._pool.clear()
                self._pool = None

    def send(
        self,
        method: str,
        url: str,
        headers: Dict[str, str],
        body: Optional[bytes],
        timeout: Any,
        stream: bool = False,
    ) -> Union[RawResponse, Any]:
        """Send one request; follow same-origin redirects only (credentials never leave the host).

        Returns a ``RawResponse`` with the whole body, or with ``stream=True`` the open urllib3
        response of a 2xx answer. Raises ``ApiConnectionError``/``ApiTimeoutError`` for transport
        failures (``sent=False`` when the request cannot have reached the server).
        """
        last, t = self._timeout
        if timeout != last or last is _UNSET_TIMEOUT:
            t = make_timeout(timeout)
            self._timeout = (timeout, t)
        for _ in range(_MAX_REDIRECTS + 1):
            resp = self._urlopen(method, url, headers, body, t)
            if resp.status not in _REDIRECTS or not resp.headers.get("Location"):
                break
            target = urljoin(url, resp.headers["Location"])
            same = _origin(target)[0] == _origin(url)[0] and (
                _origin(target) == _origin(url) or urlsplit(target).scheme == "https"
            )
            if not same:
                break  # surfaces as an ApiException; the credentials are not forwarded
            resp.drain_conn()
            resp.release_conn()
            if resp.status == 303:
                method, body = "GET", None
            url = target
        if stream and 200 <= resp.status <= 299:
            return resp
        return self._read(resp)

    def _urlopen(self, method: str, url: str, headers: Dict[str, str], body: Optional[bytes], t: Any) -> Any:
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
            raise _too_large(resp, limit)
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
                        raise _too_large(resp, limit)
                    chunks.append(chunk)
                data = b"".join(chunks)
        except (u3.HTTPError, OSError) as exc:
            resp.close()
            raise map_transport_error(exc) from exc
        resp.release_conn()
        return RawResponse(resp.status, resp.reason, resp.headers, data)


def _too_large(resp: Any, limit: int) -> ApiException:
    exc = ApiException(status=resp.status, reason="Response larger than {} bytes; refused".format(limit))
    exc.headers = resp.headers
    return exc


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
