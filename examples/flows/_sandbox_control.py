"""What the flows share: the connection settings, and the sandbox's control plane.

The control plane (``/__sandbox/...``, no credentials) exists only on the sandbox. Against
SMS.CX these calls find nothing and answer ``None``/``False``, and the flows fall back to waiting
in real time (and to asking you for an OTP's PIN).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional

from smscx_client import Configuration

DEFAULT_HOST = "https://api.sms.cx"


def configuration() -> Configuration:
    """SMSCX_HOST (default https://api.sms.cx) and SMSCX_API_KEY (required) from the environment."""
    api_key = os.environ.get("SMSCX_API_KEY")
    if not api_key:
        sys.exit("Set SMSCX_API_KEY to your API key (the sandbox's is sandbox-api-key).")
    return Configuration(host=os.environ.get("SMSCX_HOST", DEFAULT_HOST), api_key=api_key)


def _control(host: str, method: str, name: str, body: Optional[Dict[str, Any]] = None) -> Any:
    """The JSON answer of a control endpoint, or None when the server has none (not a sandbox)."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(host.rstrip("/") + "/__sandbox/" + name, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - the host you chose
            return json.loads(resp.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def advance_clock(host: str, seconds: float) -> bool:
    """Move the sandbox clock forward (due deliveries and callbacks happen before it returns).

    False when ``host`` is not a sandbox: real time has to pass instead.
    """
    return _control(host, "POST", "clock/advance", {"seconds": seconds}) is not None


def outbox(host: str) -> Optional[List[Dict[str, Any]]]:
    """Every message the sandbox 'sent', oldest first; None when ``host`` is not a sandbox."""
    found = _control(host, "GET", "messages")
    return found["data"] if isinstance(found, dict) else None
