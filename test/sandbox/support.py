"""What the sandbox tests share: a webhook receiver, raw calls, error checks, paging, XLSX, records.

The ``receiver`` fixture (``conftest.py`` beside this file) gives a started :class:`Receiver`.
Records of other resources are put in place as ``smscx_client/sandbox/records.py`` types them, so
a test of one backend depends on no other backend's routes.
"""

from __future__ import annotations

import io
import json
import urllib.error
import uuid
import zipfile
from decimal import Decimal
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple, Type, Union
from xml.etree import ElementTree

import pytest
from wire import Recorded, WireServer

from smscx_client.exceptions import ApiException
from smscx_client.sandbox.records import Contact, Group, RichMedia, Shortlink, Template
from smscx_client.sandbox.state import money

FR_MOBILE = "+33612345678"
FR_MOBILE_2 = "+33612345679"
GB_MOBILE = "+447400123456"
SMS_FR, SMS_GB = 0.045, 0.04  # sandbox price list, per part
VIBER, WHATSAPP = 0.03, 0.04  # per message, transactional


# -- SDK clients -----------------------------------------------------------------------------------
def api_fixture(api_class: Type[Any], downloads: bool = False, **settings: Any) -> Any:
    """A fixture: ``api_class`` on the reset sandbox with the API key and no retries (so each call
    is one request and errors surface at once); ``downloads`` puts exported files in ``tmp_path``.
    Bind it in a test module: ``sms = api_fixture(SmsApi)``."""
    settings.setdefault("max_retries", 0)

    def fixture(smscx_sandbox: Any, request: Any) -> Any:
        extra = {"temp_folder_path": str(request.getfixturevalue("tmp_path"))} if downloads else {}
        return api_class(smscx_sandbox.api_client(**settings, **extra))

    fixture.__doc__ = "{} on the reset sandbox.".format(api_class.__name__)
    return pytest.fixture(fixture)


# -- webhooks --------------------------------------------------------------------------------------
class Callback(NamedTuple):
    """One request the receiver got: the URL path and the decoded JSON body."""

    path: str
    body: Any


class Receiver:
    """A webhook target on a free loopback port (a ``wire.WireServer`` answering 200).

    ``url`` is its ``/hook`` address, ``url_for(path)`` any other; ``wait(n)`` blocks until ``n``
    callbacks arrived (the sandbox may deliver from its worker thread, after ``advance`` returned).
    """

    def __init__(self) -> None:
        self._wire = WireServer()
        self.url = self.url_for("/hook")

    def url_for(self, path: str) -> str:
        """A URL on this receiver."""
        return self._wire.url + path

    @property
    def requests(self) -> List[Recorded]:
        """Every request received so far, as recorded (method, path, headers, raw body)."""
        return list(self._wire.requests)

    @property
    def callbacks(self) -> List[Callback]:
        """Every request received so far, as ``(path, JSON body)``."""
        return [Callback(r.path, r.json()) for r in self.requests]

    @property
    def bodies(self) -> List[Any]:
        """The JSON bodies received so far."""
        return [c.body for c in self.callbacks]

    def wait(self, count: int, timeout: float = 5.0) -> List[Callback]:
        """The callbacks, once at least ``count`` arrived (fails the test after ``timeout`` seconds)."""
        if not self._wire.wait_for(count, timeout):
            pytest.fail("expected {} callbacks, got {}: {}".format(count, len(self.requests), self.callbacks))
        return self.callbacks

    def dlr_entries(self, msg_id: Optional[str] = None) -> List[Dict[str, Any]]:
        """Every ``dlr_update`` entry received so far (for one message when ``msg_id`` is given)."""
        out = [e for b in self.bodies if b.get("event") == "dlr_update" for e in b["data"]]
        return [e for e in out if msg_id is None or e["msgId"] == msg_id]

    def __enter__(self) -> "Receiver":
        self._wire.__enter__()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._wire.__exit__(*exc_info)


# -- requests the SDK would refuse, and errors -----------------------------------------------------
class Answer(NamedTuple):
    """A raw call's answer: decoded JSON, HTTP status, headers."""

    data: Any
    status: int
    headers: Dict[str, str]


def raw_call(
    client: Any,
    method: str,
    path: str,
    body: Any = None,
    *,
    path_params: Optional[Dict[str, Any]] = None,
    query: Union[None, Dict[str, Any], Sequence[Tuple[str, Any]]] = None,
) -> Answer:
    """Send through the SDK's ``ApiClient`` what the typed API methods would refuse client-side (wrong
    types, bad ids, missing fields), or read a field the models do not settle, as plain JSON: the
    server-side rules are what the tests check. Errors raise the SDK's exceptions as usual."""
    data, status, headers = client.call_api(
        path,
        method,
        path_params=path_params,
        query_params=list(query.items()) if isinstance(query, dict) else query,
        body=body,
        response_type=dict,
        auth_settings=["ApiKeyAuth"],
        _return_http_data_only=False,
    )
    return Answer(data, status, dict(headers))


def expect_error(cls: Type[ApiException], code: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> ApiException:
    """Call ``fn``; it must raise ``cls`` carrying the API error ``code``. Returns the exception."""
    with pytest.raises(cls) as err:
        fn(*args, **kwargs)
    assert err.value.error_code == code, err.value.body
    return err.value


def control_error(sb: Any, name: str, body: Any) -> Tuple[int, Dict[str, Any]]:
    """HTTP status and JSON body of a sandbox control request (``POST /__sandbox/<name>``) that must fail."""
    with pytest.raises(urllib.error.HTTPError) as err:
        sb.control("POST", name, body)
    with err.value:  # the error holds the response's socket
        return err.value.code, json.loads(err.value.read())


# -- lists and exports -----------------------------------------------------------------------------
def check_paging(
    fetch: Callable[..., Any],
    key: Callable[[Any], Any],
    expected: List[Any],
    limit: int = 2,
    each: Optional[Callable[[Any], None]] = None,
) -> None:
    """Walk ``expected`` (every record, in listing order, at least two pages) ``limit`` by ``limit``
    with ``next``, then back to the first page with ``previous``: each page must hold its records,
    its size and the right links; ``each(page)`` checks more on every page fetched."""
    pages = [expected[i : i + limit] for i in range(0, len(expected), limit)]
    assert len(pages) >= 2, "check_paging needs at least two pages"

    def check(page: Any, number: int) -> None:
        assert [key(x) for x in page.data] == pages[number] and page.paging.size == len(pages[number])
        if number == 0:
            assert page.paging.previous is None
        else:
            assert page.paging.previous
        if number == len(pages) - 1:
            assert page.paging.next is None
        else:
            assert page.paging.next
        if each is not None:
            each(page)

    page = fetch(limit=limit)
    check(page, 0)
    for number in range(1, len(pages)):
        page = fetch(limit=limit, next=page.paging.next)
        check(page, number)
    for number in range(len(pages) - 2, -1, -1):
        page = fetch(limit=limit, previous=page.paging.previous)
        check(page, number)


def xlsx_rows(source: Any) -> List[List[str]]:
    """The cells of sheet1 of a real XLSX file (a path, the bytes, or an open binary file), as text,
    row by row (shared strings resolved)."""
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    assert zipfile.is_zipfile(source)
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(source) as book:
        names = book.namelist()
        assert "xl/workbook.xml" in names and "xl/worksheets/sheet1.xml" in names
        shared: List[str] = []
        if "xl/sharedStrings.xml" in names:
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])) for si in root.findall("m:si", ns)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter("{%s}row" % ns["m"]):
        cells = []
        for c in row.findall("m:c", ns):
            v = c.find("m:v", ns)
            text = "".join(c.itertext()) if v is None else (v.text or "")
            cells.append(shared[int(text)] if c.get("t") == "s" else text)
        rows.append(cells)
    return rows


def xlsx_cells(source: Any) -> List[str]:
    """Every cell of ``xlsx_rows(source)``, row after row, in one list."""
    return [cell for row in xlsx_rows(source) for cell in row]


# -- sandbox state ---------------------------------------------------------------------------------
def balance(sb: Any) -> Decimal:
    """The account balance, exactly."""
    return Decimal(str(sb.balance))


def inbound(sb: Any, sender: str, text: str, channel: str = "sms", to: str = "Brand") -> Dict[str, Any]:
    """The account receives a message (control plane, as a test in any language would do it)."""
    body = {"from": sender, "to": to, "text": text, "channel": channel}
    return sb.control("POST", "inbound", body)  # type: ignore[no-any-return]


def set_balance(sb: Any, amount: Any, credit_limit: Any = 0) -> None:
    """Give the account another balance (and credit limit)."""
    with sb.state.lock:
        sb.state.account.balance = money(amount)
        sb.state.account.credit_limit = money(credit_limit)


def add_group(sb: Any, name: str, contacts: Sequence[Tuple[str, Dict[str, Any]]]) -> int:
    """A group with ``(E.164, details)`` contacts; returns its id."""
    with sb.state.lock:
        groups = sb.state.account.groups
        group = Group(groups.next_id(), name, sb.now())
        for number, details in contacts:
            contact = Contact(str(uuid.uuid4()), number, details.get("countryIso", "FR"), sb.now())
            contact.set_details(details)
            contact.custom_fields = dict(details.get("customFields", {}))
            group.contacts[contact.phone_number_id] = contact
        groups.insert(group, group.id)
        return group.id


def add_template(sb: Any, channel: str, text: str, approved: bool = True, locked: bool = True) -> int:
    """A template record (Viber/WhatsApp ones must be approved and locked to be sent)."""
    with sb.state.lock:
        templates = sb.state.account.templates
        tid: int = templates.next_id()
        record = Template(tid, "t{}".format(tid), text, channel, None, RichMedia(), sb.now(), approved, locked)
        templates.insert(record, tid)
        return tid


def add_shortlink(sb: Any, short_id: str = "Ab3xYz") -> str:
    """A shortlink record; returns its id."""
    with sb.state.lock:
        record = Shortlink(short_id, "promo", "https://example.com/promo", "https://sandbox.test/" + short_id, sb.now())
        sb.state.account.shortlinks.insert(record, short_id)
    return short_id


def opt_out(sb: Any, number: str) -> None:
    """Put a number on the opt-out list."""
    with sb.state.lock:
        sb.state.account.add_optout(number, "FR", sb.now())


def outbox(sb: Any, msg_id: str) -> Any:
    """The ``state.Message`` of an id (after running due events)."""
    with sb.state.lock:
        sb.state.tick()
        return sb.state.account.messages.get(msg_id)
