"""Helpers shared by the reports and conversations sandbox tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Dict, Optional

import pytest

from smscx_client.sandbox import Sandbox


@pytest.fixture(name="sb")
def sb_fixture(smscx_sandbox: Sandbox) -> Sandbox:
    """``sb``: the session sandbox, reset for this test (import ``sb_fixture`` to use it)."""
    return smscx_sandbox


def inbound(sb: Sandbox, sender: str, text: str, channel: str = "sms", to: str = "Brand") -> Dict[str, Any]:
    """The account receives a message (control plane, as a test in any language would do it)."""
    body = {"from": sender, "to": to, "text": text, "channel": channel}
    return sb.control("POST", "inbound", body)  # type: ignore[no-any-return]


def raw(api: Any, method: str, path: str, body: Optional[Any] = None, **query: Any) -> Any:
    """A request the typed methods would refuse client-side, to reach the server's own rules."""
    return api.api_client.call_api(
        path, method, query_params=list(query.items()), body=body, response_type=None, auth_settings=["ApiKeyAuth"]
    )


def balance(sb: Sandbox) -> Decimal:
    """The account balance, exactly."""
    return Decimal(str(sb.balance))
