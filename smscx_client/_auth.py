"""Credentials to headers, for the three schemes of the API."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence

if TYPE_CHECKING:
    from smscx_client.configuration import Configuration

__all__ = ["api_key_value", "basic_token", "auth_headers", "active", "TokenCache", "AsyncTokenCache", "TOKEN_REQUEST"]


def api_key_value(config: "Configuration") -> Optional[str]:
    """The API key as a header value; accepts the plain string or the generator-style dict."""
    key: Any = config.api_key
    if isinstance(key, dict):
        key = key.get("ApiKeyAuth") or key.get("X-API-KEY") or next(iter(key.values()), None)
    return str(key) if key else None


def basic_token(username: Optional[str], password: Optional[str]) -> str:
    """The ``Authorization`` value for HTTP Basic."""
    import base64  # only OAuth applications need it

    raw = "{}:{}".format(username or "", password or "").encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")


def auth_headers(
    config: "Configuration",
    schemes: Sequence[str],
    access_token: Optional[str] = None,
    headers: Optional[Dict[str, str]] = None,
) -> Dict[str, str]:
    """Headers for every configured scheme the operation accepts (as 0.1.x: all that apply),
    added to ``headers`` when given."""
    if headers is None:
        headers = {}
    for scheme in schemes:
        if scheme == "ApiKeyAuth":
            key = api_key_value(config)
            if key:
                headers["X-API-KEY"] = key
        elif scheme == "BearerAuth":
            token = access_token if access_token is not None else config.access_token
            if token:
                headers["Authorization"] = "Bearer " + token
        elif scheme == "BasicAuth":
            if config.username is not None and config.password is not None:
                headers["Authorization"] = basic_token(config.username, config.password)
    return headers


# the token request of an application (``client_credentials``), as ``call_api`` keywords
TOKEN_REQUEST: Dict[str, Any] = {
    "resource_path": "/oauth/token",
    "method": "POST",
    "post_params": [("grant_type", "client_credentials")],
    "response_type": (dict,),
    "auth_settings": ["BasicAuth"],
    "_operation": "get_access_token",
}


def active(config: "Configuration", schemes: Sequence[str]) -> bool:
    """True when a call should carry a token the SDK obtains itself: OAuth application credentials
    (``username`` and ``password``), but neither an ``access_token`` (an explicit token wins) nor
    an ``api_key``."""
    return (  # the application's credentials first: most clients have none, and it is cheapest
        bool(config.username)
        and bool(config.password)
        and "BearerAuth" in schemes
        and not config.access_token
        and not api_key_value(config)
    )


class _TokenState:
    """The token the SDK holds and when it expires; the rules of both caches."""

    def __init__(self) -> None:
        self._token: Optional[str] = None
        self._expires_at = 0.0

    active = staticmethod(active)

    def _stale(self, config: "Configuration") -> bool:
        return self._token is None or time.time() >= self._expires_at - config.token_refresh_margin

    def _store(self, answer: Any) -> None:
        """Keep the token of a token answer; refuses an answer without one."""
        token = answer.get("access_token") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            from smscx_client.exceptions import ApiException

            raise ApiException(status=200, reason="The token response has no access_token")
        try:
            lifetime = float(answer.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._token = token
        self._expires_at = time.time() + lifetime

    def _forget(self, rejected: Optional[str]) -> None:
        if self._token == rejected:
            self._token = None
            self._expires_at = 0.0

    def can_renew(self, config: "Configuration", schemes: Sequence[str], request_auths: Any) -> bool:
        """True when a 401 may be cured by fetching a new token."""
        return not request_auths and active(config, schemes)


class TokenCache(_TokenState):
    """OAuth2 tokens obtained with the application id and secret, renewed before they expire.

    Active only when the configuration has ``username`` and ``password`` but neither an
    ``access_token`` (an explicit token wins) nor an ``api_key``. Safe across threads: one
    thread fetches while the others wait for its result.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def token_for(self, client: Any, schemes: Sequence[str]) -> Optional[str]:
        """A valid token for the call, fetching one if needed; None when not in OAuth mode."""
        config = client.configuration
        if not active(config, schemes):
            return None
        with self._lock:
            if self._stale(config):
                self._store(client.call_api(**TOKEN_REQUEST))
            return self._token

    def invalidate(self, rejected: Optional[str]) -> None:
        """Forget the token the API rejected, unless another thread already replaced it."""
        with self._lock:
            self._forget(rejected)


class AsyncTokenCache(_TokenState):
    """``TokenCache`` for asyncio: one task fetches while the others await its result."""

    def __init__(self) -> None:
        super().__init__()
        self._lock: Any = None  # an asyncio.Lock, made in the event loop that first needs it

    async def token_for(self, client: Any, schemes: Sequence[str]) -> Optional[str]:
        """A valid token for the call, fetching one if needed; None when not in OAuth mode."""
        config = client.configuration
        if not active(config, schemes):
            return None
        if not self._stale(config):
            return self._token
        if self._lock is None:
            import asyncio

            self._lock = asyncio.Lock()
        async with self._lock:
            if self._stale(config):
                self._store(await client.call_api(**TOKEN_REQUEST))
            return self._token

    def invalidate(self, rejected: Optional[str]) -> None:
        """Forget the token the API rejected, unless another task already replaced it."""
        self._forget(rejected)
