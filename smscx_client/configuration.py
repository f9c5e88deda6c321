"""Settings of a client: host, credentials, timeouts, retries, TLS, proxy, logging."""

from __future__ import annotations

import copy
import logging
import os
import re
import sys
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from smscx_client._logs import logger as _logger
from smscx_client._logs import mask_secret
from smscx_client._version import __version__

__all__ = ["Configuration"]

Timeout = Union[None, float, Tuple[Optional[float], Optional[float]]]

DEFAULT_HOST = "https://api.sms.cx"
_SECRET_ATTRS = ("api_key", "access_token", "password")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


_SCHEMED: Dict[str, str] = {}  # base URL -> the same with its scheme (the host property's)


def _with_scheme(url: str) -> str:
    """``url``, with ``https://`` in front when it names no scheme; other schemes than HTTP(S) are refused."""
    # A bare "api.sms.cx" would otherwise go to urllib3 as plain HTTP on port 80, credentials
    # included and without a warning (the warning looks for "http://"): a missing scheme means TLS.
    if not isinstance(url, str) or not url:
        return url
    match = _SCHEME.match(url)
    if match is None:
        return "https://" + url.lstrip("/")
    if match.group(1).lower() not in ("http", "https"):
        raise ValueError(
            "Configuration.host {!r} must start with https:// (or http:// for a server on this machine, "
            "such as the sandbox)".format(url)
        )
    return url


def _bypass_proxy(url: str, no_proxy: Optional[str]) -> bool:
    """True when ``no_proxy`` (comma-separated names, domain suffixes, CIDR blocks or ``*``)
    names the host of ``url``."""
    if not no_proxy:
        return False
    if no_proxy.strip() == "*":
        return True
    import ipaddress
    from urllib.parse import urlsplit

    name = (urlsplit(url).hostname or "").lower()
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


def _has_output(logger: logging.Logger) -> bool:
    """True when records of ``logger`` reach a real handler (its own or an ancestor's)."""
    current: Optional[logging.Logger] = logger
    while current is not None:
        if any(not isinstance(h, logging.NullHandler) for h in current.handlers):
            return True
        current = current.parent if current.propagate else None
    return False


class Configuration:
    """Settings of a client.

    The constructor takes the arguments of smscx_client 0.1.x; the other settings are
    attributes, set after construction or as keyword arguments.

    Args:
        host: base URL of the API (default ``https://api.sms.cx``); a host without a scheme
            (``api.sms.cx``) means ``https://``.
        api_key: the API key, sent as ``X-API-KEY``.
        api_key_prefix: accepted for compatibility; the API takes the key without a prefix.
        access_token: an OAuth2 access token, sent as ``Authorization: Bearer``.
        username: the OAuth application id (used to obtain tokens).
        password: the OAuth application secret.
        discard_unknown_keys: drop unknown fields given to strict models instead of raising.
        ssl_ca_cert: a CA bundle file to verify the server with.
        timeout: seconds, or a ``(connect, read)`` pair; ``None`` waits forever. Default
            ``(10, 60)``.
        max_retries: how many times a failed call may be retried (default 2).
        max_rate_limit_wait: longest wait, in seconds, for a rate-limit reset before retrying
            (default 60); a later reset raises ``RateLimitExcedeedException`` at once.
        auto_idempotency: give send requests an ``idempotencyId`` when the caller did not
            (default True), so a retried send is never billed twice.
        mask_phone_numbers: mask phone numbers in log lines (default False).
        rate_limit: ``(requests, seconds)``: the client never starts more than ``requests``
            calls in any ``seconds`` (all threads together), and slows down further after a 429
            until the API accepts again (default ``None``: no client-side limit).
        hooks: ``{"request" | "response" | "retry" | "error": [function, ...]}``, called by every
            client made with this configuration (see ``ApiClient.add_hook``).
        trust_env: read what was not given from the environment (default True): ``SMSCX_HOST``,
            the credentials ``SMSCX_API_KEY``, ``SMSCX_ACCESS_TOKEN`` or ``SMSCX_APP_ID`` with
            ``SMSCX_APP_SECRET`` (only when no credential was given), and the proxy variables
            ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` (only when ``proxy`` is not set).
    """

    _default: Optional["Configuration"] = None

    def __init__(
        self,
        host: Optional[str] = None,
        api_key: Any = None,
        api_key_prefix: Optional[Dict[str, str]] = None,
        access_token: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        discard_unknown_keys: bool = False,
        disabled_client_side_validations: str = "",
        server_index: Optional[int] = None,
        server_variables: Optional[Dict[str, str]] = None,
        server_operation_index: Optional[Dict[str, int]] = None,
        server_operation_variables: Optional[Dict[str, Dict[str, str]]] = None,
        ssl_ca_cert: Optional[str] = None,
        *,
        trust_env: bool = True,
        **settings: Any,
    ) -> None:
        self.trust_env = trust_env
        if trust_env:
            env = os.environ
            if host is None and env.get("SMSCX_HOST"):
                host = env["SMSCX_HOST"]
            if api_key is None and access_token is None and username is None and password is None:
                # credentials come as one set: an explicit one is never mixed with another from the environment
                api_key = env.get("SMSCX_API_KEY") or None
                access_token = env.get("SMSCX_ACCESS_TOKEN") or None
                username = env.get("SMSCX_APP_ID") or None
                password = env.get("SMSCX_APP_SECRET") or None
        self._base_path = DEFAULT_HOST if host is None else _with_scheme(host)
        self.server_index: Optional[int] = 0 if server_index is None and host is None else server_index
        self.server_operation_index = server_operation_index or {}
        self.server_variables = server_variables or {}
        self.server_operation_variables = server_operation_variables or {}
        self.temp_folder_path: Optional[str] = None
        self.api_key: Any = api_key if api_key else None
        self.api_key_prefix: Dict[str, str] = api_key_prefix or {}
        self.refresh_api_key_hook: Optional[Callable[["Configuration"], None]] = None
        self.access_token = access_token
        self.username = username
        self.password = password
        self.discard_unknown_keys = discard_unknown_keys
        self.disabled_client_side_validations = disabled_client_side_validations
        self.logger = {"package_logger": _logger}
        self.logger_format = "%(asctime)s %(levelname)s %(message)s"
        self.logger_formatter = logging.Formatter(self.logger_format)
        self.logger_stream_handler: Optional[logging.Handler] = None
        self.logger_file_handler: Optional[logging.Handler] = None
        self._logger_file: Optional[str] = None
        self._debug = False
        self.verify_ssl = True
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file: Optional[str] = None
        self.key_file: Optional[str] = None
        self.assert_hostname: Optional[Union[str, bool]] = None
        self.connection_pool_maxsize: int = (os.cpu_count() or 1) * 5
        self.proxy: Optional[str] = None
        self.no_proxy: Optional[str] = None
        self.proxy_headers: Optional[Dict[str, str]] = None
        self.safe_chars_for_path_param = ""
        #: urllib3 ``Retry`` (or int) given to urllib3 itself, as in 0.1.x. ``None`` (the
        #: default) leaves retrying to the SDK's own layer (``max_retries``).
        self.retries: Any = None
        self.client_side_validation = True
        self.socket_options: Optional[List[Tuple[int, int, int]]] = None
        # 1.x settings
        self.timeout: Timeout = (10.0, 60.0)
        self.max_retries = 2
        self.retry_backoff = 0.5
        self.retry_backoff_max = 8.0
        self.max_rate_limit_wait = 60.0
        self.auto_idempotency = True
        self.mask_phone_numbers = False
        self.max_response_bytes = 256 * 1024 * 1024
        self.token_refresh_margin = 60.0
        self.rate_limit: Optional[Tuple[int, float]] = None
        #: {event: [hook, ...]} registered on every client made with this configuration
        #: (``ApiClient.add_hook``)
        self.hooks: Optional[Dict[str, Any]] = None
        for name, value in settings.items():
            if not hasattr(self, name):
                raise TypeError("Configuration() got an unexpected keyword argument '{}'".format(name))
            setattr(self, name, value)

    # -- representation ----------------------------------------------------------------
    def __repr__(self) -> str:
        shown = []
        for name in ("host", "api_key", "access_token", "username", "password", "timeout", "max_retries"):
            value = getattr(self, name)
            if name in _SECRET_ATTRS and value:
                value = mask_secret(value)
            shown.append("{}={!r}".format(name, value))
        return "Configuration({})".format(", ".join(shown))

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Configuration":
        cls = self.__class__
        result = cls.__new__(cls)
        memo[id(self)] = result
        for k, v in self.__dict__.items():
            if k in ("logger", "logger_file_handler", "logger_stream_handler", "refresh_api_key_hook"):
                setattr(result, k, v)
            else:
                setattr(result, k, copy.deepcopy(v, memo))
        return result

    # -- process-wide default ------------------------------------------------------------
    @classmethod
    def set_default(cls, default: Optional["Configuration"]) -> None:
        """Use a copy of ``default`` for clients created without a configuration."""
        cls._default = copy.deepcopy(default) if default is not None else None

    @classmethod
    def get_default(cls) -> "Configuration":
        """A copy of the default configuration (a fresh one if none was set)."""
        if cls._default is None:
            return Configuration()
        return copy.deepcopy(cls._default)

    # 0.1.x had both names; they always did the same thing
    get_default_copy = get_default

    # -- logging -------------------------------------------------------------------------
    @property
    def logger_file(self) -> Optional[str]:
        """A file the ``smscx_client`` logger also writes to."""
        return self._logger_file

    @logger_file.setter
    def logger_file(self, value: Optional[str]) -> None:
        self._logger_file = value
        if self.logger_file_handler is not None:
            _logger.removeHandler(self.logger_file_handler)
            self.logger_file_handler = None
        if value:
            handler = logging.FileHandler(value)
            handler.setFormatter(logging.Formatter(self.logger_format))
            _logger.addHandler(handler)
            self.logger_file_handler = handler

    @property
    def debug(self) -> bool:
        """True sets the ``smscx_client`` logger to DEBUG (credentials stay masked)."""
        return self._debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._debug = bool(value)
        _logger.setLevel(logging.DEBUG if value else logging.WARNING)
        if value and self.logger_stream_handler is None and not _has_output(_logger):
            # 0.1.x users see debug output on stderr without configuring logging; so do they here
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter(self.logger_format))
            _logger.addHandler(handler)
            self.logger_stream_handler = handler
        elif not value and self.logger_stream_handler is not None:
            _logger.removeHandler(self.logger_stream_handler)
            self.logger_stream_handler = None

    # -- host ----------------------------------------------------------------------------
    @property
    def host(self) -> str:
        """The base URL requests go to (``https://`` when it was given without a scheme)."""
        if self.server_index is None:
            base = self._base_path
            url = _SCHEMED.get(base) if type(base) is str else None
            if url is None:  # checked once per base URL, not on every request
                url = _with_scheme(base)
                if type(base) is str and len(_SCHEMED) < 64:
                    _SCHEMED[base] = url
            return url
        return self.get_host_from_settings(self.server_index, variables=self.server_variables)

    @host.setter
    def host(self, value: str) -> None:
        self._base_path = _with_scheme(value)
        self.server_index = None

    def proxy_for(self, url: str) -> Optional[str]:
        """The proxy that requests to ``url`` go through, or ``None`` for a direct connection.

        ``proxy`` (with ``no_proxy``) when set; else, with ``trust_env``, what the standard
        library's ``urllib.request.getproxies()`` and ``proxy_bypass()`` read from the
        environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``, ``NO_PROXY``)."""
        from urllib.parse import urlsplit

        if self.proxy:
            return None if _bypass_proxy(url, self.no_proxy) else self.proxy
        if not self.trust_env:
            return None
        import urllib.request

        parts = urlsplit(url)
        proxies = urllib.request.getproxies()
        proxy = proxies.get(parts.scheme) or proxies.get("all")
        if not proxy:
            return None
        # urllib's own rule: NO_PROXY in the environment (the system settings on macOS and Windows)
        return None if urllib.request.proxy_bypass(parts.netloc.rpartition("@")[2]) else proxy

    def get_host_settings(self) -> List[Dict[str, Any]]:
        """The servers of the spec."""
        return [{"url": DEFAULT_HOST, "description": "Production", "variables": {}}]

    def get_host_from_settings(
        self,
        index: Optional[int],
        variables: Optional[Dict[str, str]] = None,
        servers: Optional[List[Dict[str, Any]]] = None,
    ) -> str:
        """URL of server ``index`` (``None`` means the configured host), ``https://`` when it has no scheme."""
        if index is None:
            return _with_scheme(self._base_path)
        servers = servers or self.get_host_settings()
        try:
            server = servers[index]
        except IndexError:
            raise ValueError(
                "Invalid index {} when selecting the host settings; must be less than {}".format(
                    index, len(servers)
                )
            ) from None
        url: str = server["url"]
        for name, var in server.get("variables", {}).items():
            url = url.replace("{" + name + "}", (variables or {}).get(name, var["default_value"]))
        return _with_scheme(url)

    # -- auth (0.1.x helpers) --------------------------------------------------------------
    def get_api_key_with_prefix(self, identifier: str, alias: Optional[str] = None) -> Optional[str]:
        """The API key for ``identifier`` (with its prefix, if one was configured)."""
        from smscx_client._auth import api_key_value

        if self.refresh_api_key_hook is not None:
            self.refresh_api_key_hook(self)
        key = api_key_value(self)
        if not key:
            return None
        prefix = self.api_key_prefix.get(identifier)
        return "{} {}".format(prefix, key) if prefix else key

    def get_basic_auth_token(self) -> str:
        """The ``Authorization`` header value for HTTP Basic (application id and secret)."""
        from smscx_client._auth import basic_token

        return basic_token(self.username, self.password)

    def auth_settings(self) -> Dict[str, Dict[str, Any]]:
        """The configured auth schemes, in the 0.1.x format."""
        from smscx_client._auth import api_key_value

        auth: Dict[str, Dict[str, Any]] = {}
        key = api_key_value(self)
        if key:
            auth["ApiKeyAuth"] = {"type": "api_key", "in": "header", "key": "X-API-KEY", "value": key}
        if self.username is not None and self.password is not None:
            auth["BasicAuth"] = {
                "type": "basic",
                "in": "header",
                "key": "Authorization",
                "value": self.get_basic_auth_token(),
            }
        if self.access_token is not None:
            auth["BearerAuth"] = {
                "type": "bearer",
                "in": "header",
                "key": "Authorization",
                "value": "Bearer " + self.access_token,
            }
        return auth

    def to_debug_report(self) -> str:
        """Versions of the OS, Python, the API and the SDK."""
        return (
            "Python SDK Debug Report:\n"
            "OS: {}\nPython Version: {}\nVersion of the API: 1.0.2\nSDK Package Version: {}".format(
                sys.platform, sys.version, __version__
            )
        )
