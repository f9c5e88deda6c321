"""``Sandbox(in_process=True)``: the SDK's requests answered in this process, without a socket.

The rest of this folder runs in process too with ``SMSCX_SANDBOX_IN_PROCESS=1`` (bar the tests
that write raw bytes to ``sb.url``); these tests run in every session.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.error
from typing import Any, Iterator

import pytest
from support import FR_MOBILE, SMS_FR, Receiver, xlsx_rows

import smscx_client
from smscx_client import exceptions as exc
from smscx_client.api.account_api import AccountApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.new_group_request import NewGroupRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.sandbox import Sandbox, SandboxTransport


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(in_process=True) as sb:
        yield sb


@pytest.fixture
def ip(box: Sandbox, mocker: Any) -> Sandbox:
    """The in-process sandbox, reset, with every outgoing TCP connection failing (webhooks aside)."""
    box.reset()
    mocker.patch("smscx_client._retry._jitter", return_value=1.0)
    return box


@pytest.fixture
def no_sockets(mocker: Any) -> None:
    """Connecting anywhere fails: what still works needs no socket."""
    mocker.patch.object(socket.socket, "connect", side_effect=OSError("no sockets in this test"))


def _send(sb: Sandbox, **settings: Any) -> Any:
    settings.setdefault("retry_backoff", 0.01)
    return SmsApi(sb.api_client(**settings)).send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Hello"))


def test_a_send_needs_no_socket(ip: Sandbox, no_sockets: None) -> None:
    assert ip.in_process and isinstance(ip.transport, SandboxTransport) and ip.running
    res = _send(ip)
    assert res.info.total_cost == pytest.approx(SMS_FR) and res.data[0].status == "ACCEPTED"
    assert [m["msgId"] for m in ip.messages] == [res.data[0].msg_id]
    assert ip.balance == pytest.approx(100 - SMS_FR)
    client = ip.api_client()
    assert AccountApi(client).get_account_balance().balance == pytest.approx(100 - SMS_FR)
    raw = client.last_response
    assert raw.status == 200 and raw.getheader("content-type") == "application/json; charset=utf-8"
    assert int(raw.headers["Content-Length"]) == len(raw.data) and raw.headers.get("x-request-id")


def test_the_placeholder_url_reaches_nothing_over_a_socket(ip: Sandbox) -> None:
    config = smscx_client.Configuration(host=ip.url, api_key=ip.api_key, max_retries=0)
    with pytest.raises(exc.ApiConnectionError):
        AccountApi(smscx_client.ApiClient(config)).get_account_balance()
    assert AccountApi(smscx_client.ApiClient(config, transport=ip.transport)).get_account_balance().balance == 100


def test_errors_map_as_over_http(ip: Sandbox, no_sockets: None) -> None:
    with pytest.raises(exc.InvalidCredentialsException) as info:
        AccountApi(ip.api_client(api_key="wrong")).get_account_balance()
    assert info.value.status == 401 and info.value.error_type and info.value.request_id
    with pytest.raises(exc.ResourceNotFoundException):
        GroupsApi(ip.api_client(max_retries=0)).get_group_details(424242)


def test_the_clock_and_webhooks(ip: Sandbox, receiver: Receiver) -> None:
    api = SmsApi(ip.api_client())
    res = api.send_sms(SendSmsMessageRequest([FR_MOBILE], "Brand", "Hello", dlr_callback_url=receiver.url))
    msg_id = res.data[0].msg_id
    assert ip.messages[0]["status"] != "DELIVERED"
    ip.advance(60)
    assert ip.messages[0]["status"] == "DELIVERED"
    receiver.wait(2)
    assert {e["msgId"] for e in receiver.dlr_entries()} == {msg_id}
    assert ip.webhooks and all(w["outcome"] == "delivered" for w in ip.webhooks)
    report = ReportsApi(ip.api_client()).get_single_report(msg_id)
    assert report.data.status == "DELIVERED"


@pytest.mark.parametrize("fault", ["drop", "truncated", "html-502"])
def test_faults_end_as_over_a_socket(ip: Sandbox, no_sockets: None, fault: str) -> None:
    ip.fail_next("POST", "/sms", fault=fault)
    res = _send(ip)  # the send is retried with its idempotency id: one message
    assert [m["msgId"] for m in ip.messages] == [res.data[0].msg_id]
    ip.fail_next("POST", "/groups", fault=fault)
    if fault == "html-502":
        with pytest.raises(exc.ServerErrorException) as info:
            GroupsApi(ip.api_client()).create_group(NewGroupRequest(name="Customers"))
        assert info.value.status == 502
    else:
        with pytest.raises(exc.ApiConnectionError) as info:
            GroupsApi(ip.api_client()).create_group(NewGroupRequest(name="Customers"))
        assert info.value.sent is True and info.value.attempts == 1  # a plain POST is not repeated


def test_a_stall_is_a_timeout_at_once(ip: Sandbox, no_sockets: None) -> None:
    ip.fail_next("GET", "/account/balance", fault="stall")
    with pytest.raises(exc.ApiTimeoutError) as info:
        AccountApi(ip.api_client(max_retries=0)).get_account_balance()
    assert info.value.sent is True
    ip.fail_next("POST", "/sms", fault="stall")
    res = _send(ip)
    assert [m["msgId"] for m in ip.messages] == [res.data[0].msg_id]


def test_control_methods(ip: Sandbox, no_sockets: None) -> None:
    before = ip.now()
    assert ip.control("POST", "clock/advance", {"seconds": 3600})["now"] >= before + 3600
    assert ip.control("GET", "account")["balance"] == 100
    with pytest.raises(urllib.error.HTTPError) as err:
        ip.control("POST", "clock/advance", {"seconds": -1})
    with err.value:
        assert err.value.code == 400 and b"seconds" in err.value.read()


def test_rate_limit_headers(no_sockets: None) -> None:
    with Sandbox(in_process=True, rate_limit=(1, 60)) as sb:
        api = AccountApi(sb.api_client(max_rate_limit_wait=0))
        api.get_account_balance()
        assert sb.api_client().last_response is None
        with pytest.raises(exc.RateLimitExceededException) as info:
            api.get_account_balance()
        assert info.value.rate_limit_reset is not None
        assert info.value.headers["x-rate-limit-remaining"] == "0"


def test_downloads(ip: Sandbox, no_sockets: None, tmp_path: Any) -> None:
    groups = GroupsApi(ip.api_client(temp_folder_path=str(tmp_path)))
    gid = groups.create_group(NewGroupRequest(name="VIP clients")).info.id
    with groups.export_group_to_xlsx(gid) as f:
        assert f.name.endswith("group-{}-vip-clients.xlsx".format(gid))
        assert len(xlsx_rows(f.name)) == 1
    smscx_client.delete_download(f)
    assert list(tmp_path.iterdir()) == []


def test_stop_and_start_run_the_worker_only(no_sockets: None) -> None:
    sb = Sandbox(in_process=True)
    assert not sb.running and "stopped" in repr(sb)
    assert AccountApi(sb.api_client()).get_account_balance().balance == 100  # answered either way
    sb.start()
    assert sb.running and repr(sb) == "Sandbox(in process)"
    sb.stop()
    sb.stop()
    assert not sb.running


def test_in_process_clients_never_load_urllib3() -> None:
    code = (
        "import sys\n"
        "from smscx_client.sandbox import Sandbox\n"
        "from smscx_client.api.account_api import AccountApi\n"
        "sb = Sandbox(in_process=True)\n"
        "assert AccountApi(sb.api_client()).get_account_balance().balance == 100\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'urllib3'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
