"""The seam between ``ApiClient`` and HTTP.

``ApiClient`` builds every request (URL, headers, credentials, body bytes), decides about retries
and decodes the answers; a *transport* only carries one request and brings back its response::

    class Transport(Protocol):
        def send(self, request: HttpRequest) -> response: ...

The default, ``Urllib3Transport`` (in ``smscx_client._transport``, the only module that imports
urllib3), pools connections, follows same-origin redirects, enforces the timeouts and the
attempt's deadline, and turns network failures into ``ApiConnectionError``/``ApiTimeoutError``.
``smscx_client.sandbox`` brings a second one that answers from the sandbox in the same process.
Pass your own with ``ApiClient(configuration, transport=...)``.

Why ``send(request)`` and not ``send(method, url, headers, body, timeout, stream)``: a request
object can gain a field without breaking the transports written against it, it is what an
asynchronous transport would take too (``async def send(request)`` over aiohttp maps every field
onto one ``session.request(...)`` call, ``Timeout`` onto ``aiohttp.ClientTimeout``), and tests
can look at the one object that was sent.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, Mapping, NamedTuple, Optional, Protocol, Tuple
from urllib.parse import urljoin, urlsplit

from smscx_client.exceptions import ApiException, ApiValueError

__all__ = [
    "Transport",
    "AsyncTransport",
    "HttpRequest",
    "RawResponse",
    "Headers",
    "Timeout",
    "make_timeout",
    "InsecureTransportWarning",
    "is_plain_http_to_remote",
    "redirect_target",
    "MAX_REDIRECTS",
    "REDIRECT_STATUSES",
    "too_large",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
"""The statuses of a redirect (``redirect_target`` follows them on the same origin)."""
MAX_REDIRECTS = 3
"""Redirects a transport follows for one attempt, at most."""


class Timeout(NamedTuple):
    """How long one attempt may wait, in seconds (``None``: no limit).

    ``connect`` bounds opening the connection, ``read`` each wait for data, ``total`` (when set)
    the whole attempt instead of ``connect + read``. ``deadline()`` is what no attempt outlives.
    """

    connect: Optional[float]
    read: Optional[float]
    total: Optional[float] = None

    def deadline(self) -> Optional[float]:
        """Seconds one attempt may last from start to the last byte, or None (no limit)."""
        if self.total is not None:
            return self.total
        if self.connect is None or self.read is None:
            return None
        return self.connect + self.read


class HttpRequest(NamedTuple):
    """One request, ready to go: what a transport sends (a new one for every attempt).

    ``stream`` asks for the response with its body unread (``stream()``, ``release_conn()`` and
    ``close()`` read or drop it); the attempt's deadline still applies to reading it.
    """

    method: str
    url: str
    headers: Mapping[str, str]
    body: Optional[bytes] = None
    timeout: Timeout = Timeout(None, None)
    stream: bool = False


class Transport(Protocol):
    """Carries one ``HttpRequest`` and returns its response.

    The response has ``status``, ``reason`` and ``headers`` (looked up case-insensitively), and
    ``data``, the body's bytes (a ``RawResponse`` has all of these); with ``request.stream`` it
    may instead be an open response offering ``stream(chunk_size)``, ``release_conn()`` and
    ``close()``. A failure to get an answer raises ``ApiConnectionError`` (or ``ApiTimeoutError``),
    with ``sent=False`` only when the request cannot have reached the server. ``close()``, when a
    transport has one, is called by ``ApiClient.close()``.
    """

    def send(self, request: HttpRequest) -> Any:
        """Send ``request``; return its response."""
        ...  # pragma: no cover


class AsyncTransport(Protocol):
    """``Transport`` for ``smscx_client.aio.AsyncApiClient``: ``await send(request)``.

    The same contract, awaited: a response with ``status``, ``reason``, ``headers`` and ``data``
    (a ``RawResponse``); with ``request.stream``, a ``RawResponse`` or an open response offering
    ``stream(chunk_size)`` (an async iterator), ``release_conn()`` and ``close()``. A failure to
    get an answer raises ``ApiConnectionError`` (``sent=False`` only when the request cannot have
    reached the server). ``aclose()`` (or ``close()``), when a transport has one, is called by
    ``AsyncApiClient.aclose()``. The default is ``AiohttpTransport``.
    """

    async def send(self, request: HttpRequest) -> Any:
        """Send ``request``; return its response."""
        ...  # pragma: no cover


class Headers(Dict[str, str]):
    """Response headers: a dict of the names as sent, looked up case-insensitively."""

    __slots__ = ("_lower",)

    def __init__(self, items: Iterable[Tuple[str, str]] = ()) -> None:
        super().__init__(items)
        self._lower: Optional[Dict[str, str]] = None  # lower-case name -> name, made at the first lookup

    def _name(self, name: Any) -> Any:
        if not isinstance(name, str):
            return name
        names = self._lower
        if names is None:  # most answers are decoded without a look at their headers
            names = self._lower = {k.lower(): k for k in self}
        return names.get(name.lower(), name)

    def __getitem__(self, name: str) -> str:
        return dict.__getitem__(self, self._name(name))

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, self._name(name))

    def __setitem__(self, name: str, value: str) -> None:
        key = self._name(name)
        dict.__setitem__(self, key, value)
        self._lower.setdefault(name.lower(), key)  # type: ignore[union-attr]  # made by _name

    def get(self, name: str, default: Any = None) -> Any:
        """The value of a header, whatever the case of ``name``, or ``default``."""
        return dict.get(self, self._name(name), default)

    def __reduce__(self) -> Tuple[Any, ...]:
        # copies and pickles are made from the items (the default way would set them before
        # the index exists)
        return type(self), (list(self.items()),)


class RawResponse:
    """Status, reason, headers and body bytes of an HTTP response (0.1.x ``RESTResponse`` API).

    It also answers the calls made on a streamed response, so a transport may return it for
    ``HttpRequest.stream`` too.
    """

    __slots__ = ("status", "reason", "headers", "data")

    def __init__(self, status: int, reason: Optional[str], headers: Any, data: bytes) -> None:
        self.status = status
        self.reason = reason
        self.headers = headers
        self.data = data

    def getheaders(self) -> Any:
        """All headers (looked up case-insensitively)."""
        return self.headers

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """One header value, or ``default``."""
        value: Optional[str] = self.headers.get(name, default)
        return value

    def stream(self, amt: int = 64 * 1024) -> Iterator[bytes]:
        """The body in pieces of at most ``amt`` bytes."""
        for start in range(0, len(self.data), amt):
            yield self.data[start : start + amt]

    def read(self, amt: Optional[int] = None) -> bytes:
        """The whole body (it is already here)."""
        return self.data

    def release_conn(self) -> None:
        """Nothing to release: the body was read at once."""

    def close(self) -> None:
        """Nothing to close."""


class InsecureTransportWarning(UserWarning):
    """Credentials are about to travel unencrypted (plain HTTP to a host that is not loopback)."""


def is_plain_http_to_remote(url: str) -> bool:
    """True for ``http://`` URLs whose host is not this machine."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = (parts.hostname or "").lower()
    # RFC 6761: "localhost" and every name under it are loopback
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return False
    import ipaddress  # once per client: the first request with credentials

    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


def make_timeout(value: Any, name: str = "timeout") -> Timeout:
    """``Timeout`` for seconds (total), a ``(connect, read)`` pair, a ``urllib3.Timeout`` or a
    ``Timeout``.

    ``None`` waits forever (only when set on purpose). Anything else raises ``ApiValueError``
    naming the setting, before anything is sent.
    """
    if value is None:
        return _FOREVER
    if type(value) is Timeout:
        return value
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(_seconds(v) for v in value):
        return Timeout(_float(value[0]), _float(value[1]))
    if _seconds(value):
        return Timeout(None, None, float(value))
    if type(value).__name__ == "Timeout" and hasattr(value, "_read"):  # urllib3.Timeout, as 0.1.x took
        return Timeout(_number(value._connect), _number(value._read), _number(getattr(value, "total", None)))
    raise ApiValueError(
        "Invalid `{}`: {!r}; give seconds (a number > 0) or a (connect, read) pair".format(name, value)
    )


_FOREVER = Timeout(None, None)


def _seconds(value: Any) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0)


def _float(value: Any) -> Optional[float]:
    return None if value is None else float(value)


def _number(value: Any) -> Optional[float]:
    """A seconds value of a ``urllib3.Timeout``; its "socket default" marker counts as no limit."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None



# -- rules every transport applies (the default one and the asyncio one) -------------------------
def _origin(url: str) -> Tuple[str, Optional[int]]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "").lower(), parts.port or default


def redirect_target(url: str, status: int, location: Optional[str]) -> Optional[str]:
    """Where to follow a redirect answer of ``url``: the absolute target when it is on the same
    origin (or the same host, upgraded to https), else None: the answer stands, and the
    credentials never leave the host."""
    if status not in REDIRECT_STATUSES or not location:
        return None
    target = urljoin(url, location)
    here, there = _origin(url), _origin(target)
    if there[0] == here[0] and (there == here or urlsplit(target).scheme == "https"):
        return target
    return None


def too_large(status: int, headers: Any, limit: int) -> ApiException:
    """The exception of an answer bigger than ``Configuration.max_response_bytes``."""
    exc = ApiException(status=status, reason="Response larger than {} bytes; refused".format(limit))
    exc.headers = headers
    return exc
