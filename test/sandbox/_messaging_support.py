"""Helpers for the SMS, Viber, WhatsApp and multichannel sandbox tests.

Records of other resources (groups, templates, shortlinks, opt-outs) are put in place in the
shapes ``smscx_client/sandbox/backends/_shared.py`` documents, so these tests depend only on
the send pipeline.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Sequence, Tuple, Type

import pytest

from smscx_client.exceptions import ApiException
from smscx_client.sandbox.backends._shared import add_optout
from smscx_client.sandbox.state import money

FR_MOBILE = "+33612345678"
FR_MOBILE_2 = "+33612345679"
GB_MOBILE = "+447400123456"
SMS_FR, SMS_GB = 0.045, 0.04  # sandbox price list, per part
VIBER, WHATSAPP = 0.03, 0.04  # per message, transactional


def post(client: Any, path: str, body: Any, method: str = "POST") -> Tuple[Any, int, Dict[str, str]]:
    """Any JSON body through the SDK's ApiClient, skipping its checks: (decoded JSON, status, headers)."""
    data, status, headers = client.call_api(
        path,
        method,
        body=body,
        response_type=(dict,),
        auth_settings=["ApiKeyAuth"],
        _return_http_data_only=False,
    )
    return data, status, dict(headers)


def expect(cls: Type[ApiException], code: int, fn: Any, *args: Any, **kwargs: Any) -> ApiException:
    """Call ``fn``; it must raise ``cls`` with the API error ``code``."""
    with pytest.raises(cls) as err:
        fn(*args, **kwargs)
    assert err.value.error_code == code, err.value.body
    return err.value


def set_balance(sb: Any, amount: float, credit_limit: float = 0) -> None:
    """Give the account another balance (and credit limit)."""
    with sb.state.lock:
        sb.state.account.balance = money(amount)
        sb.state.account.credit_limit = money(credit_limit)


def add_group(sb: Any, name: str, contacts: Sequence[Tuple[str, Dict[str, Any]]]) -> int:
    """A group with ``(E.164, details)`` contacts; returns its id."""
    with sb.state.lock:
        table = sb.state.account.table("groups")
        gid = table.next_id()
        members = {}
        for number, details in contacts:
            pid = str(uuid.uuid4())
            members[pid] = dict({"phoneNumberId": pid, "phoneNumber": number, "countryIso": "FR"}, **details)
        table.insert({"id": gid, "name": name, "created_at": sb.now(), "contacts": members}, gid)
        return gid  # type: ignore[no-any-return]


def add_template(sb: Any, channel: str, text: str, approved: bool = True, locked: bool = True) -> int:
    """A template record (Viber/WhatsApp ones must be approved and locked to be sent)."""
    with sb.state.lock:
        table = sb.state.account.table("templates")
        tid = table.next_id()
        table.insert(
            {
                "id": tid,
                "name": "t{}".format(tid),
                "text": text,
                "channel": channel,
                "type": None,
                "approved": approved,
                "locked": locked,
                "created_at": sb.now(),
            },
            tid,
        )
        return tid  # type: ignore[no-any-return]


def add_shortlink(sb: Any, short_id: str = "Ab3xYz") -> str:
    """A shortlink record; returns its id."""
    with sb.state.lock:
        sb.state.account.table("shortlinks").insert(
            {
                "shortId": short_id,
                "name": "promo",
                "url": "https://example.com/promo",
                "shortUrl": "https://sandbox.test/" + short_id,
                "created_at": sb.now(),
                "hits": [],
            },
            short_id,
        )
    return short_id


def opt_out(sb: Any, number: str) -> None:
    """Put a number on the opt-out list."""
    with sb.state.lock:
        add_optout(sb.state.account, number, "FR", sb.now())


def outbox(sb: Any, msg_id: str) -> Any:
    """The ``state.Message`` of an id (after running due events)."""
    with sb.state.lock:
        sb.state.tick()
        return sb.state.account.messages.get(msg_id)


class Receiver:
    """A loopback webhook target recording every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: List[Any] = []
        bodies = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:{}/dlr".format(self._server.server_address[1])
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def entries(self, msg_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every ``dlr_update`` entry received (for one message when ``msg_id`` is given)."""
        out = [e for b in self.bodies if b.get("event") == "dlr_update" for e in b["data"]]
        return [e for e in out if msg_id is None or e["msgId"] == msg_id]

    def __enter__(self) -> "Receiver":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
