"""The control plane at ``/__sandbox/*``: no credentials, JSON in and out, for tests in any language.

    GET  /__sandbox/                 the inbox page (HTML; its files inbox.js and inbox.css beside it)
    GET  /__sandbox/inbox            what the page shows: outbox, received messages, webhooks, account, faults
    POST /__sandbox/reset            state back to the start (the clock is not rewound)
    GET  /__sandbox/messages         every message sent: {"data": [...]}
    GET  /__sandbox/webhooks         every callback owed or attempted: {"data": [...]}
    GET  /__sandbox/clock            {"now": unix seconds, "datetime": "YYYY-MM-DD HH:MM:SS"}
    POST /__sandbox/clock/advance    {"seconds": N}
    POST /__sandbox/fail-next        {"method", "path", "status", "type", "code"} or {"method", "path", "fault"}
    GET  /__sandbox/account          balance, credit limit, currency, application id
    POST /__sandbox/account          {"balance"?, "creditLimit"?, "channels"?: {"viber": false}}: set them
    POST /__sandbox/<extra>          actions registered by backends (e.g. inbound messages)
"""

from __future__ import annotations

import math
from typing import Any, Callable, Dict, Optional, Tuple
from urllib.parse import parse_qsl, urlsplit

from smscx_client.sandbox import _inbox, errors
from smscx_client.sandbox.errors import SandboxApiError
from smscx_client.sandbox.state import Fault, SandboxState, money
from smscx_client.sandbox.wire import Reply, Request, decode_json

__all__ = ["handle", "register", "FAULTS"]

FAULTS = ("drop", "stall", "html-502", "truncated")

# (method, name) -> action(state, body) -> JSON; backends add their own (see register)
_EXTRA: Dict[Tuple[str, str], Callable[[SandboxState, Any], Any]] = {}
# the endpoints answered in ``handle`` itself
_BUILTIN = {
    ("POST", "reset"),
    ("GET", "messages"),
    ("GET", "webhooks"),
    ("GET", "clock"),
    ("POST", "clock/advance"),
    ("POST", "fail-next"),
    ("GET", "account"),
    ("POST", "account"),
    ("GET", "inbox"),
    *(("GET", name) for name in _inbox.ASSETS),
}


def register(method: str, name: str) -> Callable[[Callable[[SandboxState, Any], Any]], Callable[[SandboxState, Any], Any]]:
    """Decorator: expose ``action(state, body)`` at ``METHOD /__sandbox/<name>``."""

    def deco(fn: Callable[[SandboxState, Any], Any]) -> Callable[[SandboxState, Any], Any]:
        _EXTRA[(method, name)] = fn
        return fn

    return deco


def _bad(message: str) -> SandboxApiError:
    return SandboxApiError(400, "invalid_param", 1009, message)


def _json(req: Request) -> Dict[str, Any]:
    if not req.body.strip():
        return {}
    try:
        body = decode_json(req.body)
    except ValueError as exc:
        raise _bad("The control request body {}".format(exc)) from None
    if not isinstance(body, dict):
        raise _bad("The control request body must be a JSON object")
    return body


def fault_from(body: Dict[str, Any]) -> Fault:
    """Validate a fail-next request."""
    method = str(body.get("method") or "*").upper()
    path = body.get("path") or "*"
    if not isinstance(path, str):
        raise _bad("`path` must be a string")
    fault = body.get("fault")
    if fault is not None:
        if fault not in FAULTS:
            raise _bad("`fault` must be one of: " + ", ".join(FAULTS))
        return Fault(method, path, fault=fault)
    status = body.get("status")
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise _bad("`status` must be an HTTP error status (400-599), or give a `fault`")
    code = body.get("code")
    if code is not None and not isinstance(code, int):
        raise _bad("`code` must be an integer")
    return Fault(method, path, status=status, type=body.get("type"), code=code, message=body.get("message"))


def _account_changes(body: Dict[str, Any]) -> Dict[str, Any]:
    """The ``balance``, ``creditLimit`` and ``channels`` of a POST /__sandbox/account request, checked."""
    unknown = sorted(set(body) - {"balance", "creditLimit", "channels"})
    if unknown:
        raise _bad("Unknown account fields {}; give `balance`, `creditLimit` or `channels`".format(unknown))
    for key in ("balance", "creditLimit"):
        value = body.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise _bad("`{}` must be a number".format(key))
    if body.get("creditLimit", 0) < 0:
        raise _bad("`creditLimit` must be 0 or more")
    channels = body.get("channels", {})
    if not isinstance(channels, dict) or not all(
        k in ("sms", "viber", "whatsapp", "multichannel") and isinstance(v, bool) for k, v in channels.items()
    ):
        raise _bad("`channels` maps sms, viber, whatsapp or multichannel to true (active) or false")
    return body


def _limit(query: str) -> Optional[int]:
    """The ``limit`` of a GET /__sandbox/inbox request (None: everything)."""
    raw = dict(parse_qsl(query)).get("limit")
    if raw is None:
        return None
    if not raw.isdigit():
        raise _bad("`limit` must be a whole number >= 0")
    return int(raw)


def _cross_site(req: Request) -> bool:
    """True for a browser request sent by a page of another origin (a web site posting to the
    sandbox on the visitor's loopback). Non-browser clients send no ``Origin``."""
    origin = req.header("Origin")
    if origin is None:
        return False
    host = req.header("Host") or ""
    return origin == "null" or urlsplit(origin).netloc.lower() != host.lower()


def _account(state: SandboxState) -> Reply:
    acc = state.account
    return Reply(
        200,
        {
            "balance": float(acc.balance),
            "creditLimit": float(acc.credit_limit),
            "currency": acc.currency,
            "channels": dict(acc.channels),
            "applicationId": state.credentials.app_id,
        },
    )


def handle(state: SandboxState, req: Request) -> Reply:
    """Answer a control request."""
    name = req.path[len("/__sandbox/") :].strip("/")
    method = req.method
    allowed = sorted({m for m, n in _BUILTIN.union(_EXTRA) if n == name})
    if allowed and method not in allowed:
        raise errors.method_not_allowed(method, req.path, allowed)
    if method != "GET" and _cross_site(req):
        raise SandboxApiError(
            403, "forbidden", 1011, "Control requests from a page of another origin are refused ({})".format(req.header("Origin"))
        )
    if method == "GET" and name in _inbox.ASSETS:
        return _inbox.asset(name)
    if (method, name) == ("GET", "inbox"):
        limit = _limit(req.query_string)
        with state.lock:
            state.tick()
            return Reply(200, _inbox.view(state, limit))
    if (method, name) == ("POST", "reset"):
        state.reset()
        return Reply(200, {"reset": True})
    if (method, name) == ("GET", "messages"):
        with state.lock:
            state.tick()
            return Reply(200, {"data": [m.outbox(state.clock) for m in state.account.messages.values()]})
    if (method, name) == ("GET", "webhooks"):
        with state.lock:
            return Reply(200, {"data": [w.view() for w in state.webhooks]})
    if (method, name) == ("GET", "clock"):
        return Reply(200, {"now": state.clock.now(), "datetime": state.clock.fmt(), "offset": state.clock.offset})
    if (method, name) == ("POST", "clock/advance"):
        seconds = _json(req).get("seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            raise _bad("`seconds` must be a number >= 0")
        state.advance(float(seconds))
        if state.pump is not None:
            state.pump()
        return Reply(200, {"now": state.clock.now(), "datetime": state.clock.fmt()})
    if (method, name) == ("POST", "fail-next"):
        fault = fault_from(_json(req))
        with state.lock:
            state.faults.append(fault)
        return Reply(200, {"queued": len(state.faults)})
    if (method, name) == ("GET", "account"):
        with state.lock:
            return _account(state)
    if (method, name) == ("POST", "account"):
        changes = _account_changes(_json(req))
        with state.lock:
            # a balance below zero is what a credit limit allows (1114 once it is used up)
            if "balance" in changes:
                state.account.balance = money(changes["balance"])
            if "creditLimit" in changes:
                state.account.credit_limit = money(changes["creditLimit"])
            state.account.channels.update(changes.get("channels", {}))
            return _account(state)
    action = _EXTRA.get((method, name))
    if action is not None:
        with state.lock:
            return Reply(200, action(state, _json(req)))
    raise SandboxApiError(404, "not_found", 1003, "No control endpoint {} /__sandbox/{}".format(method, name))
