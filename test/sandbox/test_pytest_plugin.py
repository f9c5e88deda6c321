"""The pytest plugin as a user's project sees it (pytester runs that project): the fixture, the
``smscx_sandbox`` marker and ``last_pin``."""

from __future__ import annotations

import pytest

import smscx_client.sandbox.app  # noqa: F401 - see below
from smscx_client.api.otp_api import OtpApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.sandbox import Sandbox

pytest_plugins = ["pytester"]

# pytester drops the modules an in-process run imported. The sandbox's modules are imported above,
# before any run, so that every run sees one ``errors`` module (``app`` binds it both as a package
# attribute and from ``sys.modules``; a run that imported it first would leave two).

PROJECT = '''
import pytest

from smscx_client import InsufficientBalanceException, RateLimitExcedeedException
from smscx_client.api.account_api import AccountApi
from smscx_client.api.groups_api import GroupsApi
from smscx_client.api.otp_api import OtpApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.sandbox import EXAMPLE_IDS, Sandbox

URLS = {}


def send(sb):
    return SmsApi(sb.api_client()).send_sms(SendSmsMessageRequest(["+33612345678"], "Shop", "Hello"))


def test_default_sandbox(smscx_sandbox: Sandbox) -> None:
    assert smscx_sandbox.balance == 100 and smscx_sandbox.messages == []
    send(smscx_sandbox)
    URLS["default"] = smscx_sandbox.url


@pytest.mark.smscx_sandbox(balance=0)
def test_empty_account(smscx_sandbox: Sandbox) -> None:
    assert AccountApi(smscx_sandbox.api_client()).get_account_balance().balance == 0
    with pytest.raises(InsufficientBalanceException):
        send(smscx_sandbox)
    URLS["empty"] = smscx_sandbox.url


@pytest.mark.smscx_sandbox(balance=0)
def test_same_configuration_same_sandbox_reset(smscx_sandbox: Sandbox) -> None:
    assert smscx_sandbox.url == URLS["empty"] != URLS["default"]
    assert smscx_sandbox.messages == []


def test_default_again_is_reset(smscx_sandbox: Sandbox) -> None:
    assert smscx_sandbox.url == URLS["default"]
    assert smscx_sandbox.balance == 100 and smscx_sandbox.messages == []


@pytest.mark.smscx_sandbox(examples=True, api_key="key-of-my-test")
def test_examples_and_key(smscx_sandbox: Sandbox) -> None:
    assert smscx_sandbox.api_key == "key-of-my-test"
    group = GroupsApi(smscx_sandbox.api_client()).get_group_details(EXAMPLE_IDS["groupId"])
    assert group.info.name == "Customers"


@pytest.mark.smscx_sandbox(rate_limit=(2, 60))
def test_rate_limit(smscx_sandbox: Sandbox) -> None:
    api = AccountApi(smscx_sandbox.api_client(max_rate_limit_wait=0, max_retries=0))
    api.get_account_balance()
    api.get_account_balance()
    with pytest.raises(RateLimitExcedeedException):
        api.get_account_balance()


def test_last_pin(smscx_sandbox: Sandbox) -> None:
    otp = OtpApi(smscx_sandbox.api_client())
    first = otp.new_otp(NewOtpRequest("+33612345678"))
    second = otp.new_otp(NewOtpRequest("+33612345678"))
    pin = smscx_sandbox.last_pin("+33612345678")
    assert otp.verify_otp(second.otp_id, pin).status == "VERIFIED"
    assert smscx_sandbox.last_pin("06 12 34 56 78", country_iso="FR") == pin
    assert first.otp_id != second.otp_id
'''

MODULE_MARK = '''
import pytest

pytestmark = pytest.mark.smscx_sandbox(balance=7, examples=True)


@pytest.mark.smscx_sandbox(balance=3)
def test_closest_marker_wins(smscx_sandbox) -> None:
    assert smscx_sandbox.balance == 3
    assert smscx_sandbox.state.account.groups  # examples=True from the module


def test_module_marker(smscx_sandbox) -> None:
    assert smscx_sandbox.balance == 7
'''


@pytest.fixture(autouse=True)
def _asyncio_settings(pytester: pytest.Pytester) -> None:
    """The user's project, like this one, runs pytest-asyncio (installed by the test requirements)
    with its loop scope set, so that its own runs warn of nothing."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")


ASYNC_PROJECT = '''
import pytest

from smscx_client.aio import AsyncOtpApi, AsyncSmsApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest


@pytest.mark.asyncio
async def test_sign_in(smscx_sandbox) -> None:
    async with smscx_sandbox.async_api_client() as client:
        otp = AsyncOtpApi(client)
        created = await otp.new_otp(NewOtpRequest(phone_number="+33612345678", _from="Shop", template="Code {{pin}}"))
        result = await otp.verify_otp(created.otp_id, smscx_sandbox.last_pin("+33612345678"))
    assert result.status == "VERIFIED"


@pytest.mark.asyncio
@pytest.mark.smscx_sandbox(in_process=True, balance=1)
async def test_in_process(smscx_sandbox) -> None:
    async with smscx_sandbox.async_api_client() as client:
        await AsyncSmsApi(client).send_sms(SendSmsMessageRequest(["+33612345678"], "Shop", "Hello"))
    assert len(smscx_sandbox.messages) == 1 and smscx_sandbox.balance < 1
'''


def test_the_fixture_in_async_tests_of_a_users_project(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_asyncio")
    pytest.importorskip("aiohttp")
    pytester.makepyfile(test_async_app=ASYNC_PROJECT)
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=2)


def test_fixture_and_marker_in_a_users_project(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_app=PROJECT, test_module_mark=MODULE_MARK)
    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=9)


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.smscx_sandbox(balance=100.0, examples=False, *"])


def test_marker_mistakes_are_reported(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad='''
import pytest

@pytest.mark.smscx_sandbox(balanse=0)
def test_typo(smscx_sandbox) -> None:
    pass

@pytest.mark.smscx_sandbox(0)
def test_positional(smscx_sandbox) -> None:
    pass
'''
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*unknown option 'balanse' (did you mean 'balance'?); options are: balance, examples, rate_limit, *",
            "*takes keyword arguments only, got (0,)*",
        ]
    )


def test_last_pin_without_an_otp_says_so(smscx_sandbox: Sandbox) -> None:
    with pytest.raises(LookupError, match=r"No OTP was sent to \+33612345678 since the sandbox was reset \(no OTP"):
        smscx_sandbox.last_pin("+33612345678")
    OtpApi(smscx_sandbox.api_client()).new_otp(NewOtpRequest("+33612345679"))
    with pytest.raises(LookupError, match=r"\(OTPs went to \+33612345679\)"):
        smscx_sandbox.last_pin("+33612345678")
