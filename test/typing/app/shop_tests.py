"""A user's pytest tests with the smscx_sandbox fixture and marker: clean under `mypy --strict`."""

from __future__ import annotations

import pytest

from smscx_client.api.otp_api import OtpApi
from smscx_client.model.new_otp_request import NewOtpRequest
from smscx_client.sandbox import Sandbox


@pytest.mark.smscx_sandbox(balance=0.5, examples=True)
def test_sign_in(smscx_sandbox: Sandbox) -> None:
    otp = OtpApi(smscx_sandbox.api_client()).new_otp(NewOtpRequest("+33612345678"))
    pin = smscx_sandbox.last_pin("+33612345678")
    assert OtpApi(smscx_sandbox.api_client()).verify_otp(otp.otp_id, pin).status == "VERIFIED"
    assert smscx_sandbox.balance < 0.5
