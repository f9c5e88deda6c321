"""The sandbox inbox: the page at ``GET /__sandbox/`` and the JSON view it shows (``GET /__sandbox/inbox``).

The page is three files shipped in the package (``static/``): HTML, CSS and a script that polls
``GET /__sandbox/inbox`` and changes the page in place. Its Content-Security-Policy lets it load
nothing but those files and talk to nothing but this server: no inline script, no other origin.
Message texts are untrusted input; the script writes them with ``textContent`` only.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Dict, List, Optional

from smscx_client.sandbox.state import SandboxState
from smscx_client.sandbox.wire import Reply

__all__ = ["ASSETS", "PAGE_HEADERS", "asset", "view"]

# control-plane name -> (file under static/, content type)
ASSETS = {
    "": ("index.html", "text/html"),
    "inbox.js": ("inbox.js", "text/javascript"),
    "inbox.css": ("inbox.css", "text/css"),
}

PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def asset(name: str) -> Reply:
    """The page (``name`` empty) or one of its files, with the page's security headers."""
    filename, content_type = ASSETS[name]
    data = resources.files("smscx_client.sandbox").joinpath("static").joinpath(filename).read_bytes()
    return Reply(200, data, content_type, headers=dict(PAGE_HEADERS))


def _newest(items: List[Any], limit: Optional[int]) -> List[Any]:
    return items if limit is None else items[-limit:] if limit else []


def view(state: SandboxState, limit: Optional[int] = None) -> Dict[str, Any]:
    """Everything the inbox page shows, oldest first (the newest ``limit`` of each list when given).

    Called under the state lock.
    """
    account = state.account
    clock = state.clock
    pins = {o.msg_id: o.pin for o in account.otps if o.msg_id}
    messages = list(account.messages.values())
    received = list(account.inbound)
    out = []
    for m in _newest(messages, limit):
        entry = m.outbox(clock)
        entry["pin"] = pins.get(m.msg_id)
        out.append(entry)
    return {
        "now": clock.now(),
        "datetime": clock.fmt(),
        "account": {
            "balance": float(account.balance),
            "creditLimit": float(account.credit_limit),
            "currency": account.currency,
        },
        "messages": out,
        "received": [r.view(clock) for r in _newest(received, limit)],
        "webhooks": [w.view() for w in _newest(state.webhooks, limit)],
        "faults": [
            {"method": f.method, "path": f.path, "status": f.status, "type": f.type, "code": f.code, "fault": f.fault}
            for f in state.faults
        ],
        "totals": {"messages": len(messages), "received": len(received), "webhooks": len(state.webhooks)},
    }
