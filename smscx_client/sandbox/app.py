"""The sandbox's request pipeline, free of sockets: route -> fault -> rate limit -> auth ->
idempotency -> backend -> JSON. ``server.py`` carries bytes in and out of it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import importlib
import json
import logging
import math
import os
import re
import time
import uuid
from typing import Any, Dict, Optional, Tuple
from urllib.parse import parse_qsl

from smscx_client.sandbox import control, errors
from smscx_client.sandbox._routing import match
from smscx_client.sandbox._validate import check_request, check_response
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.state import Fault, SandboxState
from smscx_client.sandbox.wire import ALL_SCOPES, AuthInfo, Ctx, Reply, Request, decode_json

# Request, Reply, Ctx, ALL_SCOPES and decode_json live in ``wire`` (a leaf module); they are
# re-exported here for the code that imported them from ``app``.
__all__ = ["Request", "Reply", "Ctx", "AuthInfo", "SandboxApp", "ALL_SCOPES", "decode_json"]

log = logging.getLogger("smscx_client.sandbox")


def _fingerprint(params: Dict[str, str], query: Dict[str, str], body: Any) -> str:
    """A digest of what a request asks for, blind to key order and JSON spacing (idempotency)."""
    canonical = json.dumps([params, query, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class SandboxApp:
    """Turns a ``Request`` into a ``Reply`` against a ``SandboxState``."""

    def __init__(self, state: SandboxState, strict: Optional[bool] = None) -> None:
        self.state = state
        self._modules: Dict[str, Any] = {}
        # strict: every JSON answer is checked against the operation's documented schema, and one
        # that breaks it becomes a 500 naming the rule (the test suite runs this way)
        self.strict = os.environ.get("SMSCX_SANDBOX_STRICT", "") not in ("", "0") if strict is None else strict

    @staticmethod
    def _check_answer(op: str, reply: Reply) -> None:
        if not isinstance(reply.body, (dict, list)) or not reply.content_type.startswith("application/json"):
            return
        failure = check_response(op, reply.status, reply.body)
        if failure is not None:
            log.error("sandbox answer of %s breaks the spec: %s", op, failure.detail)
            raise errors.server_error("The sandbox's answer to {} breaks the spec: {}".format(op, failure.detail))

    def handle(self, req: Request) -> Reply:
        """Answer one request; never raises."""
        started = time.monotonic()
        try:
            reply = self._handle(req)
        except SandboxApiError as exc:
            reply = Reply(exc.status, exc.body(), headers=dict(exc.headers))
        except Exception:  # a sandbox bug must still answer like the API
            log.exception("sandbox failure on %s %s", req.method, req.path)
            failure = errors.server_error()
            reply = Reply(failure.status, failure.body())
        reply.headers.setdefault("X-Request-Id", str(uuid.uuid4()))
        reply.headers.setdefault("X-Response-Time", "{:.3f}s".format(time.monotonic() - started))
        return reply

    def _handle(self, req: Request) -> Reply:
        if req.path.startswith("/__sandbox/"):
            return control.handle(self.state, req)
        if req.path == "/__sandbox" and req.method == "GET":  # the inbox page, typed without its slash
            return Reply(308, b"", "", headers={"Location": "/__sandbox/"})
        route, params, allowed = match(req.method, req.path)
        if route is None:
            if allowed:
                raise errors.method_not_allowed(req.method, req.path, allowed)
            raise errors.not_found_route(req.path)
        fault = self.state.take_fault(req.method, req.path)
        if fault is not None and fault.fault not in ("drop", "stall", "truncated"):
            return self._fault_reply(fault)
        limit_headers = self._rate_limit()
        method, template, op, module, schemes, status, body_model = route
        auth = self._authenticate(req, schemes, module)
        query = dict(parse_qsl(req.query_string, keep_blank_values=True))
        body = self._body(req, op)
        invalid = check_request(op, params, query, body, bool(req.body.strip()))
        if invalid is not None:
            raise errors.documented(op, invalid.code, type_=invalid.type, detail=invalid.detail)
        key = self._idempotency_key(body, body_model)
        # a replay is the same operation with the same request; the id alone is not enough
        slot = (op, key) if key else None
        fingerprint = _fingerprint(params, query, body) if key else ""
        with self.state.lock:
            self.state.tick()  # under the lock taken anyway: one acquisition per request
            stored = self.state.account.idempotency.get(slot) if slot else None
            if stored is not None:
                if stored[0] != fingerprint:
                    raise errors.documented(op, 1117)
                reply = Reply(stored[1], stored[2], headers=dict(stored[3]))
            else:
                ctx = Ctx(self.state, op, params, query, body, req, auth)
                reply = self._call(module, op, ctx, status)
                if self.strict:  # before the answer is encoded for the idempotency store
                    self._check_answer(op, reply)
                if slot and 200 <= reply.status < 300:
                    reply.headers["X-Idempotency-Id"] = slot[1]
                    reply.body = reply.payload()  # encoded once, for the store and the answer
                    self.state.account.idempotency[slot] = (fingerprint, reply.status, reply.body, dict(reply.headers))
        reply.headers.update(limit_headers)
        if fault is not None:
            reply.fault = fault.fault
        return reply

    def _call(self, module: str, op: str, ctx: Ctx, status: int) -> Reply:
        backend = self._modules.get(module)
        if backend is None:
            backend = self._modules[module] = importlib.import_module("smscx_client.sandbox.backends." + module)
        handler = getattr(backend, op, None)
        if handler is None:
            raise errors.server_error("The sandbox does not implement `{}` yet".format(op))
        result = handler(ctx)
        if isinstance(result, Reply):
            return result
        if result is None:
            return Reply(204, None, content_type="")
        return Reply(status, result)

    @staticmethod
    def _fault_reply(fault: Fault) -> Reply:
        if fault.fault == "html-502":
            return Reply(502, "<html><head><title>502 Bad Gateway</title></head><body>Bad gateway</body></html>", "text/html")
        if fault.status is None:
            raise SandboxApiError(400, "invalid_param", 1009, "fail-next needs a status or a fault")
        return Reply(
            fault.status,
            SandboxApiError(fault.status, fault.type or "server_error", fault.code or 0, fault.message or "Injected failure").body(),
        )

    def _rate_limit(self) -> Dict[str, str]:
        limit = self.state.rate_limit
        if not limit:
            return {}
        allowed, window = limit
        with self.state.lock:
            now = self.state.clock.now()
            start, count = self.state.rate_window
            if now >= start + window:
                start, count = now, 0
            # The window runs on the sandbox clock, but a client waits in real time: the header
            # says when the window ends in wall-clock Unix time, whatever `advance` did.
            reset = str(math.ceil(time.time() + (start + window - now)))
            headers = {"X-Rate-Limit-Limit": str(allowed), "X-Rate-Limit-Reset": reset}
            if count >= allowed:
                exc = errors.rate_limited()
                exc.headers = dict(headers, **{"X-Rate-Limit-Remaining": "0"})
                raise exc
            self.state.rate_window = (start, count + 1)
            return dict(headers, **{"X-Rate-Limit-Remaining": str(allowed - count - 1)})

    def _authenticate(self, req: Request, schemes: Tuple[str, ...], module: str) -> AuthInfo:
        creds = self.state.credentials
        authz = req.header("Authorization") or ""
        if "BasicAuth" in schemes:
            if authz.startswith("Basic "):
                try:
                    app_id, _, secret = base64.b64decode(authz[6:], validate=True).decode("utf-8").partition(":")
                except (binascii.Error, UnicodeDecodeError):
                    app_id, secret = "", ""
                if app_id == creds.app_id and secret == creds.app_secret:
                    return AuthInfo("basic", list(ALL_SCOPES))
            raise errors.documented(
                "get_access_token", 1600, "Unknown application id or wrong application secret", "invalid_client"
            )
        key = req.header("X-API-KEY")
        if key is not None and key == creds.api_key:
            return AuthInfo("api_key", list(ALL_SCOPES))
        if authz.startswith("Bearer "):
            token = authz[7:].strip()
            with self.state.lock:
                info = self.state.tokens.get(token)
                if info is not None and info.expires_at > self.state.clock.now():
                    if module not in info.scopes:
                        raise errors.insufficient_scope(module)
                    return AuthInfo("bearer", list(info.scopes), token)
            raise errors.unauthorized("The access token is unknown or expired")
        raise errors.unauthorized()

    @staticmethod
    def _body(req: Request, op: str) -> Any:
        ctype = (req.header("Content-Type") or "").lower()
        if "application/x-www-form-urlencoded" in ctype:
            return dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        if not req.body.strip():
            return None
        try:
            return decode_json(req.body)
        except ValueError as exc:
            raise errors.invalid_body("The request body {}".format(exc)) from None

    @staticmethod
    def _idempotency_key(body: Any, body_model: str) -> Optional[str]:
        if not body_model or not isinstance(body, dict):
            return None
        key = body.get("idempotencyId")
        if isinstance(key, str) and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", key):
            return key
        return None
