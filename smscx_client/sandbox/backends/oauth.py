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
from typing import Any, Dict, List, Optional

from smscx_client.sandbox.backends.applications import token_lifetime
from smscx_client.sandbox.records import Token
from smscx_client.sandbox.wire import ALL_SCOPES, Ctx


def _requested_scopes(ctx: Ctx, raw: Optional[str]) -> List[str]:
    if not raw:
        return list(ALL_SCOPES)
    scopes: List[str] = []
    for name in raw.split():
        if name not in ALL_SCOPES:
            raise ctx.error(1600, type_="invalid_scope")
        if name not in scopes:
            scopes.append(name)
    return scopes or list(ALL_SCOPES)


def get_access_token(ctx: Ctx) -> Dict[str, Any]:
    """``POST /oauth/token``: a Bearer token for the requested scopes (all when none given).
    ``grant_type`` (required, ``client_credentials``: 1600 invalid_request or unsupported_grant_type)
    is validated from the spec."""
    scopes = _requested_scopes(ctx, ctx.body.get("scope"))
    lifetime = token_lifetime(ctx.account)
    now = ctx.now()
    # expired tokens are refused anyway; dropping them keeps the table from growing forever
    for key in [k for k, v in ctx.state.tokens.items() if v.expires_at <= now]:
        del ctx.state.tokens[key]
    token = secrets.token_urlsafe(32)
    ctx.state.tokens[token] = Token(scopes, now + lifetime)
    return {"access_token": token, "expires_in": lifetime, "token_type": "Bearer", "scope": " ".join(scopes)}
