"""``ApiClient``: the whole request path of every generated method, in one place.

    SmsApi.send_sms(...)  ->  ApiClient.call_api(...)  ->  transport.send(HttpRequest)
                          <-  model / str / file      <-  RawResponse

``call_api`` keeps the signature of smscx_client 0.1.x. It gathers what one call needs in an
immutable ``_Options`` (generated methods pass a prebuilt ``Operation`` for the parts that never
change), and every attempt of that call works from it.
"""

from __future__ import annotations

import atexit
import copy
import functools
import logging
import os
import re
import threading
import time
import warnings
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)
from urllib.parse import urlencode

from smscx_client import _auth, _hooks
from smscx_client._logs import logger, mask_numbers, redact_headers
from smscx_client._model import MapModel, Model, SimpleModel, file_type, set_response
from smscx_client._retry import RetryPolicy
from smscx_client._serialize import dumps, encode_query, expand_path, loads, to_wire
from smscx_client._throttle import Throttle
from smscx_client._user_agent import user_agent
from smscx_client.configuration import Configuration
from smscx_client.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiTypeError,
    ApiValueError,
    from_response,
)
from smscx_client.transport import (
    HttpRequest,
    InsecureTransportWarning,
    RawResponse,
    Timeout,
    Transport,
    is_plain_http_to_remote,
    make_timeout,
)

if TYPE_CHECKING:
    from multiprocessing.pool import ThreadPool

__all__ = ["ApiClient", "Operation", "delete_download"]

C = TypeVar("C", bound="_ClientCore")


# per-call options of 0.1.x accepted by every method (and ignored), and the internal ones
_QUIET_OPTIONS = frozenset({"_check_input_type", "_check_return_type", "_spec_property_naming"})
_KNOWN_OPTIONS = _QUIET_OPTIONS | {"_host_index", "_content_type", "_operation", "_idempotency_field"}
_CHARSET = re.compile(r"charset=([\w\-]+)", re.I)
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")
_SAFE_METHODS = frozenset({"GET", "DELETE", "HEAD", "OPTIONS"})
_DOWNLOAD_PREFIX = "smscx-"
_NOT_SET = object()


class Operation(NamedTuple):
    """What never changes between two calls of one API operation: generated modules build one per
    operation, at import, and pass it to ``call_api`` as ``_operation``."""

    name: str
    method: str
    path: str
    response_type: Any = None
    auth: Tuple[str, ...] = ()
    idempotency_field: Optional[str] = None


class _Options(NamedTuple):
    """Everything one call needs, gathered once by ``call_api``; every attempt reads it."""

    operation: str
    method: str
    path: str
    path_params: Optional[Dict[str, Any]]
    query_params: Optional[Sequence[Tuple[str, Any]]]
    header_params: Optional[Dict[str, Any]]
    body: Any
    post_params: Optional[Sequence[Tuple[str, Any]]]
    response_type: Any
    auth: Tuple[str, ...]
    idempotency_field: Optional[str]
    timeout: Timeout
    return_http_data_only: Optional[bool]
    preload_content: bool
    host: Optional[str]
    host_index: Optional[int]
    content_type: Optional[str]
    request_auths: Optional[List[Dict[str, Any]]]


class _Request(NamedTuple):
    """A request ready to send (the same object is sent again on a retry, with fresh credentials)."""

    method: str
    url: str
    path: str
    headers: Dict[str, str]  # without credentials
    payload: Optional[bytes]
    idempotency_id: Optional[str]
    safe: bool  # repeating it cannot bill or text anyone twice
    timeout: Timeout
    stream: bool


class _ClientCore:
    """What the synchronous ``ApiClient`` and the asyncio ``smscx_client.aio.AsyncApiClient`` share:
    settings, default headers, the per-call options, request preparation, the retry rules of one
    call (``_Attempts``), credentials to headers, logging and decoding. Neither I/O nor waiting
    happens here: each client runs its own loop around these rules."""

    configuration: Configuration

    def _setup(self, configuration: Optional[Configuration], header_name: Optional[str], header_value: Optional[str], cookie: Optional[str]) -> None:
        self.configuration = configuration if configuration is not None else Configuration.get_default_copy()
        self.default_headers: Dict[str, str] = {"User-Agent": user_agent()}
        if header_name is not None:
            self.default_headers[header_name] = header_value or ""
        self.cookie = cookie
        self._warned_http = False
        self._timeout: Tuple[Any, Timeout] = (_NOT_SET, Timeout(None, None))
        self._throttle: Optional[Throttle] = None
        self._throttle_lock = threading.Lock()
        self._root = self  # with_options() copies share their root's throttle and connections
        self._hooks: Dict[str, List[_hooks.Hook]] = {}
        for event, fns in (self.configuration.hooks or {}).items():
            for fn in [fns] if callable(fns) else fns:
                self.add_hook(event, fn)

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` header."""
        return self.default_headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self.default_headers["User-Agent"] = value

    def set_default_header(self, header_name: str, header_value: str) -> None:
        """Send this header with every request."""
        self.default_headers[header_name] = header_value

    @classmethod
    def sanitize_for_serialization(cls, obj: Any) -> Any:
        """The JSON-ready form of a model, date or container."""
        return to_wire(obj)

    # -- 1.x controls ----------------------------------------------------------------------
    def with_options(
        self: C,
        *,
        timeout: Any = _NOT_SET,
        max_retries: Any = _NOT_SET,
        max_rate_limit_wait: Any = _NOT_SET,
        auto_idempotency: Any = _NOT_SET,
        headers: Optional[Dict[str, str]] = None,
    ) -> C:
        """A copy for calls that need other settings, sharing this client's connections,
        credentials, token, rate limit and hooks; cheap enough to make per call.

        ``timeout`` as ``Configuration.timeout`` (seconds, a pair, a ``Timeout``; ``None`` waits
        forever); ``headers`` are added to every request of the copy (not credentials, which
        come from the configuration)."""
        clone = copy.copy(self)
        config = clone.configuration = copy.copy(self.configuration)
        if timeout is not _NOT_SET:
            make_timeout(timeout, "with_options(timeout=...)")  # refused now, not at the first call
            config.timeout = timeout
            clone._timeout = (_NOT_SET, Timeout(None, None))
        if max_retries is not _NOT_SET:
            if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
                raise ApiValueError("with_options(max_retries=...) takes a whole number >= 0, e.g. 0 to never retry")
            config.max_retries = max_retries
        if max_rate_limit_wait is not _NOT_SET:
            if isinstance(max_rate_limit_wait, bool) or not isinstance(max_rate_limit_wait, (int, float)) or max_rate_limit_wait < 0:
                raise ApiValueError("with_options(max_rate_limit_wait=...) takes seconds >= 0, e.g. 0 to never wait for a 429")
            config.max_rate_limit_wait = float(max_rate_limit_wait)
        if auto_idempotency is not _NOT_SET:
            if not isinstance(auto_idempotency, bool):
                raise ApiValueError("with_options(auto_idempotency=...) takes True or False")
            config.auto_idempotency = auto_idempotency
        if headers:
            for name, value in headers.items():
                if not isinstance(name, str) or not isinstance(value, str):
                    raise ApiValueError("with_options(headers=...) takes a dict of str to str")
                if name.lower() in ("x-api-key", "authorization", "proxy-authorization"):
                    raise ApiValueError(
                        "with_options(headers=...) cannot set {}: credentials come from the Configuration".format(name)
                    )
            clone.default_headers = {**self.default_headers, **headers}
        return clone

    def add_hook(self, event: str, hook: "_hooks.Hook") -> None:
        """Call ``hook(info)`` at ``event``: "request", "response", "retry" or "error" (see
        ``smscx_client.CallEvent``); ``with_options`` copies made afterwards share it."""
        _hooks.check_event(event)
        if not callable(hook):
            raise ApiTypeError("add_hook({!r}, ...) takes a function of one argument".format(event))
        self._hooks.setdefault(event, []).append(hook)

    def remove_hook(self, event: str, hook: "_hooks.Hook") -> None:
        """Stop calling a hook ``add_hook`` registered."""
        hooks = self._hooks.get(_hooks.check_event(event), [])
        if hook in hooks:
            hooks.remove(hook)
        if not hooks:
            self._hooks.pop(event, None)

    def _emit(self, event: str, req: _Request, o: _Options, attempt: int, scratch: Dict[str, Any], **fields: Any) -> None:
        hooks = self._hooks.get(event)
        if not hooks:
            return
        info = _hooks.CallEvent(event, o.operation, req.method, self._log_path(req), attempt, req.idempotency_id, scratch)
        for name, value in fields.items():
            setattr(info, name, value)
        _hooks.run(hooks, info)

    def _throttle_for(self, setting: Tuple[int, float]) -> Throttle:
        """The client's throttle for ``Configuration.rate_limit`` (a new one when it changed)."""
        root = self._root
        throttle = root._throttle
        if throttle is None or throttle.setting != tuple(setting):
            with root._throttle_lock:
                throttle = root._throttle
                if throttle is None or throttle.setting != tuple(setting):
                    limit, seconds = setting
                    throttle = root._throttle = Throttle(limit, seconds)
        return throttle

    def _options(
        self,
        resource_path: str,
        method: str,
        path_params: Optional[Dict[str, Any]],
        query_params: Optional[List[Tuple[str, Any]]],
        header_params: Optional[Dict[str, Any]],
        body: Any,
        post_params: Optional[List[Tuple[str, Any]]],
        files: Optional[Dict[str, Any]],
        response_type: Any,
        auth_settings: Optional[Sequence[str]],
        return_http_data_only: Optional[bool],
        preload_content: bool,
        request_timeout: Any,
        host: Optional[str],
        request_auths: Optional[List[Dict[str, Any]]],
        options: Dict[str, Any],
    ) -> _Options:
        """The ``_Options`` of one ``call_api``; a bad option or timeout fails here, before sending."""
        op = options.get("_operation")
        if isinstance(op, Operation):
            name = op.name
            if response_type is None:
                response_type = op.response_type
            auth = op.auth if auth_settings is None else tuple(auth_settings)
            idempotency_field = options.get("_idempotency_field", op.idempotency_field)
        else:
            name = op or "{} {}".format(method, resource_path)
            auth = tuple(auth_settings or ())
            idempotency_field = options.get("_idempotency_field")
        if not _KNOWN_OPTIONS.issuperset(options):
            for key in options:
                if key not in _KNOWN_OPTIONS:
                    raise ApiTypeError("Got an unexpected parameter '{}' to method `{}`".format(key, name))
        if files:
            raise ApiValueError("File uploads are not part of the SMS.CX API")
        if isinstance(response_type, tuple):  # 0.1.x passed (Model,)
            response_type = response_type[0] if response_type else None
        if request_timeout:
            timeout = make_timeout(request_timeout, "_request_timeout")
        else:
            value, timeout = self._timeout  # the configured one, made once while it stays the same
            if value is not self.configuration.timeout or isinstance(value, list):
                value = self.configuration.timeout
                timeout = make_timeout(value, "Configuration.timeout")
                self._timeout = (value, timeout)
        return _Options(
            name,
            method.upper(),
            resource_path,
            path_params,
            query_params,
            header_params,
            body,
            post_params,
            response_type,
            auth,
            idempotency_field,
            timeout,
            return_http_data_only,
            preload_content,
            host,
            options.get("_host_index"),
            options.get("_content_type"),
            request_auths,
        )

    def select_header_accept(self, accepts: Sequence[str]) -> Optional[str]:
        """``application/json`` when offered, else all types joined."""
        if not accepts:
            return None
        lowered = [a.lower() for a in accepts]
        return "application/json" if "application/json" in lowered else ", ".join(lowered)

    def select_header_content_type(self, content_types: Sequence[str], method: Any = None, body: Any = None) -> Optional[str]:
        """``application/json`` when offered, else the first type."""
        if not content_types:
            return None
        lowered = [c.lower() for c in content_types]
        return "application/json" if "application/json" in lowered or "*/*" in lowered else lowered[0]

    def _prepare(self, o: _Options) -> _Request:
        """URL, headers and body bytes; fills the idempotency id of a send."""
        config = self.configuration
        path = o.path
        if o.path_params:
            path = expand_path(path, o.path_params, config.safe_chars_for_path_param)
        if o.host:
            url = o.host + path
        elif o.host_index is not None:
            url = config.get_host_from_settings(o.host_index) + path
        else:
            url = config.host + path
        if o.query_params:
            query = encode_query(o.query_params)
            if query:
                url += "?" + query
        headers = dict(self.default_headers)
        headers["Accept"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        payload: Optional[bytes] = None
        idempotency_id: Optional[str] = None
        body = o.body
        if body is not None:
            wire = body._wire() if isinstance(body, Model) else to_wire(body)  # a new dict either way
            field = o.idempotency_field
            if field and isinstance(wire, dict):
                # the caller's model is left as it is: a second deliberate send gets a new id
                if wire.get(field) is None and config.auto_idempotency:
                    wire[field] = _uuid4()
                idempotency_id = wire.get(field)
            payload = dumps(wire)
            headers["Content-Type"] = "application/json"
        elif o.post_params:
            payload = urlencode([(k, v) for k, v in o.post_params if v is not None]).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if o.content_type:
            headers["Content-Type"] = o.content_type
        if o.header_params:
            headers.update({k: str(v) for k, v in o.header_params.items() if v is not None})
        if "X-API-KEY" in headers or "Authorization" in headers:
            # credentials come from the configuration only, fresh for every attempt
            headers.pop("X-API-KEY", None)
            headers.pop("Authorization", None)
        safe = o.method in _SAFE_METHODS or idempotency_id is not None
        stream = not o.preload_content or o.response_type is file_type
        return _Request(o.method, url, path, headers, payload, idempotency_id, safe, o.timeout, stream)

    def _auth_headers(self, base: Dict[str, str], o: _Options, token: Optional[str]) -> Dict[str, str]:
        """The headers of one attempt: ``base`` plus fresh credentials (``token``: the OAuth token the
        SDK obtained, if it uses one)."""
        headers = dict(base)  # without credentials: _prepare left them out
        if o.request_auths:
            for setting in o.request_auths:
                if setting.get("in") == "header":
                    headers[setting["key"]] = setting["value"]
            return headers
        return _auth.auth_headers(self.configuration, o.auth, token, headers)

    def _warn_plain_http(self, url: str) -> None:
        self._warned_http = True
        if is_plain_http_to_remote(url):
            warnings.warn(
                "smscx_client sends credentials over plain HTTP to {}; use https://".format(url.split("/")[2]),
                InsecureTransportWarning,
                stacklevel=5,
            )

    def _log(self, req: _Request, outcome: Any, started: float, attempt: int, headers: Dict[str, str]) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        logger.debug(
            "%s %s -> %s (%.1f ms, attempt %d) headers=%s",
            req.method,
            self._log_path(req),
            outcome,
            (time.monotonic() - started) * 1000,
            attempt,
            redact_headers(headers),
        )

    def _log_retry(self, req: _Request, wait: float, why: str) -> None:
        logger.debug("retrying %s %s in %.2f s (%s)", req.method, self._log_path(req), wait, why)

    def _log_path(self, req: _Request) -> str:
        return mask_numbers(req.path) if self.configuration.mask_phone_numbers else req.path

    # -- decoding --------------------------------------------------------------------------
    def deserialize(self, response: Any, response_type: Any, _check_type: Optional[bool]) -> Any:
        """Decode a response body as ``response_type`` (a model class, ``str``, ``list`` ...)."""
        if isinstance(response_type, tuple):
            response_type = response_type[0] if response_type else None
        data: bytes = response.data
        if response_type is None or not data or (response.status == 204 and not data.strip()):
            return None
        if response_type is str:
            match = _CHARSET.search(response.getheader("Content-Type") or "")
            encoding = match.group(1) if match else "utf-8"
            try:
                return data.decode(encoding, "replace")
            except LookupError:
                return data.decode("utf-8", "replace")
        try:
            decoded = loads(data)
        except ValueError:
            exc = ApiException(status=response.status, reason="The response body is not valid JSON")
            exc.headers = response.headers
            exc.body = data[:2000].decode("utf-8", "replace")
            raise exc from None
        kind = _MODEL_KINDS.get(response_type)
        if kind is None:
            kind = _model_kind(response_type)
        if kind is Model:
            if type(decoded) is dict or isinstance(decoded, dict):
                result = response_type._from_wire(decoded)
                set_response(result, response.headers)  # for get_request_id(result)
                return result
        elif kind is not _NOT_A_MODEL:  # SimpleModel or MapModel
            if kind is SimpleModel or isinstance(decoded, dict):
                result = response_type._from_wire(decoded)
                set_response(result, response.headers)
                return result
        return decoded


class ApiClient(_ClientCore):
    """Sends requests for the API classes; one instance may be shared by many threads.

    Args:
        configuration: settings (default: ``Configuration.get_default_copy()``).
        header_name: name of one extra header sent with every request.
        header_value: its value.
        cookie: a ``Cookie`` header sent with every request.
        pool_threads: threads used for ``async_req=True`` calls.
        transport: what carries the requests (a ``smscx_client.Transport``); default: urllib3,
            with the configuration's TLS, proxy and pool settings.
    """

    def __init__(
        self,
        configuration: Optional[Configuration] = None,
        header_name: Optional[str] = None,
        header_value: Optional[str] = None,
        cookie: Optional[str] = None,
        pool_threads: int = 1,
        *,
        transport: Optional[Transport] = None,
    ) -> None:
        self._setup(configuration, header_name, header_value, cookie)
        self.pool_threads = pool_threads
        if transport is None:
            from smscx_client._transport import Urllib3Transport  # urllib3 loads with the first client

            transport = Urllib3Transport(self.configuration)
        self.transport: Transport = transport
        self._local = threading.local()
        self._pool: Optional["ThreadPool"] = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()
        self._tokens = _auth.TokenCache()

    # -- 0.1.x surface ---------------------------------------------------------------------
    @property
    def rest_client(self) -> Transport:
        """The transport (named ``rest_client`` in 0.1.x)."""
        return self.transport

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "ApiClient(host={!r})".format(self.configuration.host)

    def close(self) -> None:
        """Stop the ``async_req`` threads and close the transport's connections (a copy made by
        ``with_options`` leaves them to the client it came from)."""
        if self._root is not self:
            return
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            atexit.unregister(self.close)
        close = getattr(self.transport, "close", None)
        if close is not None:
            close()

    @property
    def pool(self) -> "ThreadPool":
        """Thread pool of ``async_req=True`` calls, created on first use (again in a forked child)."""
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                from multiprocessing.pool import ThreadPool

                # a forked child cannot use its parent's threads: it gets its own pool
                atexit.register(self.close)
                self._pool = ThreadPool(self.pool_threads)
                self._pool_pid = os.getpid()
            return self._pool

    @property
    def last_response(self) -> Optional[RawResponse]:
        """The last raw answer decoded by this thread (0.1.x kept one per client)."""
        return getattr(self._local, "last_response", None)

    @last_response.setter
    def last_response(self, value: Optional[RawResponse]) -> None:
        self._local.last_response = value

    def request(
        self,
        method: str,
        url: str,
        query_params: Optional[List[Tuple[str, Any]]] = None,
        headers: Optional[Dict[str, str]] = None,
        post_params: Optional[List[Tuple[str, Any]]] = None,
        body: Any = None,
        _preload_content: bool = True,
        _request_timeout: Any = None,
    ) -> Any:
        """0.1.x's raw request: no credentials added, no retries; the response, or the exception
        of a non-2xx answer."""
        query = encode_query(query_params or ())
        if query:
            url += ("&" if "?" in url else "?") + query
        all_headers = dict(headers or {})
        payload: Optional[bytes] = None
        if body is not None:
            payload = dumps(to_wire(body))
            all_headers.setdefault("Content-Type", "application/json")
        elif post_params:
            payload = urlencode([(k, v) for k, v in post_params if v is not None]).encode("ascii")
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        timeout = make_timeout(_request_timeout or self.configuration.timeout, "_request_timeout")
        raw = self.transport.send(HttpRequest(method.upper(), url, all_headers, payload, timeout, not _preload_content))
        if isinstance(raw, RawResponse) and not 200 <= raw.status <= 299:
            raise from_response(raw)
        return raw

    # -- the request path ------------------------------------------------------------------
    def call_api(
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
        """Send a request and decode the answer.

        Returns the decoded body (a model, ``str`` for CSV, an open binary file for XLSX,
        ``None`` for an empty body); with ``_return_http_data_only=False`` a tuple
        ``(data, status, headers)``; with ``_preload_content=False`` the transport's open
        response (urllib3's by default); with ``async_req=True`` a
        ``multiprocessing.pool.AsyncResult``.

        Raises:
            ApiException: a subclass chosen from the status and the error in the body, or
                ``ApiConnectionError``/``ApiTimeoutError`` when no answer came.
            ApiTypeError: an unknown per-call option was given.
        """
        call = self._options(
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
        if async_req:
            return self.pool.apply_async(self._call, (call,))
        return self._call(call)

    def _call(self, o: _Options) -> Any:
        req = self._prepare(o)
        finish: Callable[[Any], Any]
        if not o.preload_content:
            finish = _keep_open  # the caller reads the response
        elif o.response_type is file_type:
            finish = self._save_file
        else:
            response_type = o.response_type

            def finish(raw: Any) -> Any:
                self.last_response = raw
                return self.deserialize(raw, response_type, None)

        data, raw = self._send(req, o, finish)
        if o.return_http_data_only is False:
            return data, raw.status, raw.headers
        return data

    def _send(self, req: _Request, o: _Options, finish: Callable[[Any], Any]) -> Tuple[Any, Any]:
        """Send with the retry rules of ``_Attempts``; ``finish`` reads the 2xx answer (a broken
        read is retried like a broken connection). Returns (data, response); every exception
        raised carries the attempts made and the idempotency id."""
        attempts = _Attempts(self, req, o, {} if self._hooks else None)
        try:
            return self._attempt(attempts, finish)
        except Exception as exc:
            attempts.error(exc)
            raise

    def _attempt(self, attempts: "_Attempts", finish: Callable[[Any], Any]) -> Tuple[Any, Any]:
        """``_send``'s loop: the I/O and the waits ``attempts`` asks for."""
        req, o = attempts.req, attempts.o
        rate_limit = self.configuration.rate_limit
        throttle = self._throttle_for(rate_limit) if rate_limit is not None else None
        while True:
            attempts.begin()
            try:
                headers, token = self._with_auth(req.headers, o)
                sending = attempts.request(headers)
                raw = self.transport.send(sending) if throttle is None else _throttled_send(self.transport, sending, throttle)
                if attempts.answered(raw, headers):
                    data = finish(raw)
                    attempts.succeeded(raw)
                    return data, raw
            except ApiConnectionError as exc:
                time.sleep(attempts.after_error(exc))
                continue
            except ApiException as exc:  # an undecodable answer, or the token request failed
                attempts.failed(exc)
                raise
            wait = attempts.after_status(raw, token)
            if wait is not None:
                time.sleep(wait)

    def _with_auth(self, base: Dict[str, str], o: _Options) -> Tuple[Dict[str, str], Optional[str]]:
        """The headers of one attempt, with fresh credentials; and the OAuth token the SDK
        obtained, if it used one."""
        token: Optional[str] = None
        if not o.request_auths:
            hook = self.configuration.refresh_api_key_hook
            if hook is not None:
                hook(self.configuration)  # 0.1.x: refresh first, then read the key (once per attempt)
            token = self._tokens.token_for(self, o.auth)
        return self._auth_headers(base, o, token), token

    def _save_file(self, resp: Any) -> Any:
        """Stream a download into a private folder of its own, under the server's (sanitised) file
        name; return the file open for reading. The caller deletes it (``delete_download``)."""
        download = _Download(self.configuration, resp)
        try:
            for chunk in resp.stream(64 * 1024):
                download.write(chunk)
        except BaseException as exc:
            resp.close()
            download.abort()
            if isinstance(exc, Exception) and not isinstance(exc, ApiException):  # a network failure mid-body
                raise _stream_error(exc) from exc
            raise
        resp.release_conn()
        return download.finish()


class _Attempts:
    """The retry rules of one call, step by step: what each outcome of an attempt leads to, and
    the hooks each step calls. Both I/O loops (``ApiClient._attempt`` and ``AsyncApiClient``'s)
    drive one; it never does I/O and never waits itself, it says how long to."""

    __slots__ = ("client", "req", "o", "number", "started", "policy", "renewed_token", "scratch")

    def __init__(self, client: _ClientCore, req: _Request, o: _Options, scratch: Optional[Dict[str, Any]]) -> None:
        self.client = client
        self.req = req
        self.o = o
        self.number = 0
        self.started = 0.0
        self.policy: Optional[RetryPolicy] = None  # made on the first failure only
        self.renewed_token = False
        self.scratch = scratch  # the call's dict shared by its hook events; None without hooks

    def begin(self) -> None:
        """A new attempt starts."""
        self.number += 1
        self.started = time.monotonic()

    def request(self, headers: Dict[str, str]) -> HttpRequest:
        """The ``HttpRequest`` of this attempt, with its credentials in ``headers``."""
        req = self.req
        client = self.client
        if not client._warned_http and ("X-API-KEY" in headers or "Authorization" in headers):
            client._warn_plain_http(req.url)
        if self.scratch is not None:
            self._emit("request", headers=_hooks.request_headers(headers))
        return HttpRequest(req.method, req.url, headers, req.payload, req.timeout, req.stream)

    def answered(self, raw: Any, headers: Dict[str, str]) -> bool:
        """Log the answer; True when it is a success (2xx)."""
        status: int = raw.status
        if _debug_logging():
            self.client._log(self.req, status, self.started, self.number, headers)
        return 200 <= status <= 299

    def succeeded(self, raw: Any) -> None:
        """The 2xx answer was read: its "response" hook."""
        if self.scratch is not None:
            self._emit("response", status=raw.status, headers=raw.headers, elapsed=time.monotonic() - self.started, final=True)

    def _policy(self) -> RetryPolicy:
        if self.policy is None:
            self.policy = RetryPolicy.from_config(self.client.configuration)
        return self.policy

    def after_error(self, exc: ApiConnectionError) -> float:
        """Seconds to wait before trying again after a transport failure; raises ``exc`` (with the
        attempts and the idempotency id) when the call must not be tried again."""
        req = self.req
        wait = self._policy().delay_after_error(self.number, exc, req.safe)
        self.client._log(req, "failed: {}".format(exc.reason), self.started, self.number, req.headers)
        if wait is None:
            raise self.failed(exc)
        self.client._log_retry(req, wait, type(exc).__name__)
        if self.scratch is not None:
            self._emit("retry", wait=wait, reason=type(exc).__name__)
        return wait

    def after_status(self, raw: Any, token: Optional[str]) -> Optional[float]:
        """Seconds to wait before trying again after an error answer (None: at once, with a
        renewed token); raises its exception when the call must not be tried again."""
        client, o = self.client, self.o
        config = client.configuration
        tokens = client._tokens  # type: ignore[attr-defined]  # each client has its own kind of cache
        if raw.status == 401 and not self.renewed_token and tokens.can_renew(config, o.auth, o.request_auths):
            self.renewed_token = True  # the cached token may have expired early: one new one per call
            tokens.invalidate(token)
            self._emit_status(raw, 0.0, "HTTP 401: new access token")
            return None
        wait = self._policy().delay_after_status(self.number, raw.status, raw.headers, self.req.safe)
        self._emit_status(raw, wait, "HTTP {}".format(raw.status))
        if wait is None:
            raise self.failed(from_response(raw))
        client._log_retry(self.req, wait, "HTTP {}".format(raw.status))
        return wait

    def failed(self, exc: ApiException) -> ApiException:
        """``exc`` with the attempts made and the idempotency id of the call."""
        return _annotated(exc, self.number, self.req)

    def error(self, exc: BaseException) -> None:
        """The call ends with ``exc``: its "error" hook."""
        if self.scratch is not None:
            self._emit("error", attempt=getattr(exc, "attempts", None) or 1, error=exc)

    def _emit_status(self, raw: Any, wait: Optional[float], reason: str) -> None:
        """The hooks of a non-2xx answer: "response", then "retry" when one follows."""
        if self.scratch is None:
            return
        self._emit("response", status=raw.status, headers=raw.headers, elapsed=time.monotonic() - self.started, final=wait is None)
        if wait is not None:
            self._emit("retry", wait=wait, reason=reason)

    def _emit(self, event: str, attempt: Optional[int] = None, **fields: Any) -> None:
        assert self.scratch is not None
        self.client._emit(event, self.req, self.o, attempt or self.number, self.scratch, **fields)


class _Download:
    """A download being written into a private folder of its own, under the server's (sanitised)
    file name, within ``max_response_bytes``; both clients feed it the chunks they read."""

    __slots__ = ("folder", "path", "out", "limit", "written", "status")

    def __init__(self, configuration: Configuration, resp: Any) -> None:
        import tempfile

        self.folder = tempfile.mkdtemp(prefix=_DOWNLOAD_PREFIX, dir=configuration.temp_folder_path)
        self.path = os.path.join(self.folder, _safe_filename(resp.headers.get("Content-Disposition")))
        self.limit = configuration.max_response_bytes
        self.written = 0
        self.status = resp.status
        self.out = open(self.path, "xb")

    def write(self, chunk: bytes) -> None:
        """Append a chunk; refuses one past the size limit."""
        self.written += len(chunk)
        if self.limit and self.written > self.limit:
            raise ApiException(status=self.status, reason="Download larger than {} bytes; refused".format(self.limit))
        self.out.write(chunk)

    def abort(self) -> None:
        """Remove the partial file and its folder."""
        import shutil

        self.out.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self) -> Any:
        """The complete file, open for reading."""
        self.out.close()
        return open(self.path, "rb")


def delete_download(file: Union[str, "os.PathLike[str]", Any]) -> None:
    """Delete a file an export method returned (an open file or its path) and the private folder
    the SDK made for it. Closes the file first; nothing happens when it is already gone."""
    if isinstance(file, (str, os.PathLike)):
        path = os.fspath(file)
    else:
        file.close()
        path = os.fspath(file.name)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.basename(folder).startswith(_DOWNLOAD_PREFIX):
        raise ApiValueError("{} is not a file downloaded by smscx_client".format(path))
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


_debug_logging = functools.partial(logger.isEnabledFor, logging.DEBUG)  # cached by logging

_NOT_A_MODEL = object()
# response type -> Model, SimpleModel, MapModel or _NOT_A_MODEL: what deserialize makes of it
_MODEL_KINDS: Dict[Any, Any] = {}


def _model_kind(response_type: Any) -> Any:
    kind: Any = _NOT_A_MODEL
    if isinstance(response_type, type):
        for base in (Model, SimpleModel, MapModel):
            if issubclass(response_type, base):
                kind = base
                break
    try:
        if len(_MODEL_KINDS) < 1024:
            _MODEL_KINDS[response_type] = kind
    except TypeError:  # an unhashable response_type: asked again next time
        pass
    return kind


def _uuid4() -> str:
    """A random (version 4) UUID as text, the form ``str(uuid.uuid4())`` gives."""
    try:
        return _UUIDS.pop()  # list.pop and list.extend are atomic: no two threads get the same id
    except IndexError:
        _UUIDS.extend(_uuid4_batch())
        return _UUIDS.pop()


def _uuid4_batch() -> List[str]:
    # one system call for 64 ids instead of one each (os.urandom was half the cost of an id)
    h = os.urandom(16 * 64).hex()
    return [
        "%s-%s-4%s-%s%s-%s" % (h[i : i + 8], h[i + 8 : i + 12], h[i + 13 : i + 16], _VARIANT[h[i + 16]], h[i + 17 : i + 20], h[i + 20 : i + 32])
        for i in range(0, len(h), 32)
    ]


_UUIDS: List[str] = []
# the 4 bits of the variant digit: "10" then 2 random bits (RFC 4122)
_VARIANT = {d: "89ab"[int(d, 16) & 3] for d in "0123456789abcdef"}
if hasattr(os, "register_at_fork"):
    # a forked child must not send the ids its parent will send too (the server would take the
    # second send for a retry of the first and send nothing)
    os.register_at_fork(after_in_child=_UUIDS.clear)


def _stream_error(exc: Exception) -> ApiConnectionError:
    """A failure while a streamed body was read: mapped by the default transport's rules when it
    came from urllib3 (then loaded), else a generic connection error."""
    if type(exc).__module__.startswith(("urllib3", "socket", "ssl", "http")) or isinstance(exc, OSError):
        from smscx_client._transport import map_transport_error

        return map_transport_error(exc)
    return ApiConnectionError("Connection failed: {}".format(exc), sent=True)


def _throttled_send(transport: Transport, request: HttpRequest, throttle: Throttle) -> Any:
    """``transport.send`` within the client's rate limit."""
    throttle.acquire()
    status = 0
    try:
        raw = transport.send(request)
        status = raw.status
        return raw
    finally:
        throttle.release(status == 429)


def _keep_open(resp: Any) -> Any:
    """``_preload_content=False``: hand the open response to the caller."""
    return resp


def _annotated(exc: ApiException, attempt: int, req: _Request) -> ApiException:
    exc.attempts = attempt
    if exc.idempotency_id is None:
        exc.idempotency_id = req.idempotency_id
    return exc


def _safe_filename(disposition: Optional[str]) -> str:
    """A file name from Content-Disposition that cannot leave the target folder."""
    name = "download.xlsx"
    if disposition:
        encoded = re.search(r"filename\*\s*=\s*UTF-8''([^;]+)", disposition, re.I)  # RFC 6266 / 5987
        plain = re.search(r'filename\s*=\s*"?([^";]+)"?', disposition, re.I)
        if encoded:
            from urllib.parse import unquote

            name = unquote(encoded.group(1).strip().strip('"'))
        elif plain:
            name = plain.group(1)
    name = os.path.basename(name.replace("\\", "/"))
    name = _UNSAFE_FILENAME.sub("_", name).lstrip(".") or "download.xlsx"
    return name[-100:]
