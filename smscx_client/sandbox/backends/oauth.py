"""OAuth: client-credentials access tokens for the sandbox's application.

The framework checks the Basic credentials (application id and secret) before this runs. A
token is a random string kept in ``state.tokens`` with its grant (``records.Token``: scopes and
expiry); the framework
refuses it once expired (401) and on operations outside its scopes (403 insufficient_scope).
Its lifetime is the application's ``tokenExpiration`` (3600 s unless changed with
``POST /__sandbox/application``). Scope names are the sandbox's own (``wire.ALL_SCOPES``, one per
API resource), since the API publishes none.
"""

from __future__ import annotations

import secrets
from typing import Any, Dict, List

from smscx_client._error_catalog import MESSAGES
from smscx_client.sandbox.backends.applications import token_lifetime
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.records import Token
from smscx_client.sandbox.wire import ALL_SCOPES, Ctx


def _error(type_: str) -> SandboxApiError:
    # The three 400 errors share code 1600, so the per-operation table (keyed by code) holds one;
    # the others are built from the catalog with their documented type and message.
    return SandboxApiError(400, type_, 1600, MESSAGES[(400, type_, 1600)])


def _requested_scopes(raw: Any) -> List[str]:
    if raw is None or raw == "":
        return list(ALL_SCOPES)
    if not isinstance(raw, str):
        raise _error("invalid_scope")
    scopes: List[str] = []
    for name in raw.split():
        if name not in ALL_SCOPES:
            raise _error("invalid_scope")
        if name not in scopes:
            scopes.append(name)
    return scopes or list(ALL_SCOPES)


def get_access_token(ctx: Ctx) -> Dict[str, Any]:
    """``POST /oauth/token``: a Bearer token for the requested scopes (all when none given)."""
    form = ctx.body if isinstance(ctx.body, dict) else {}
    grant = form.get("grant_type")
    if grant is None or grant == "":
        raise ctx.error(1600)
    if grant != "client_credentials":
        raise _error("unsupported_grant_type")
    scopes = _requested_scopes(form.get("scope"))
    lifetime = token_lifetime(ctx.account)
    now = ctx.now()
    # expired tokens are refused anyway; dropping them keeps the table from growing forever
    for key in [k for k, v in ctx.state.tokens.items() if v.expires_at <= now]:
        del ctx.state.tokens[key]
    token = secrets.token_urlsafe(32)
    ctx.state.tokens[token] = Token(scopes, now + lifetime)
    return {"access_token": token, "expires_in": lifetime, "token_type": "Bearer", "scope": " ".join(scopes)}
