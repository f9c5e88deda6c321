"""Sign in with a one-time PIN: send it by SMS, read it, verify it.

``OtpApi.new_otp`` sends the PIN; the user types what they received; ``OtpApi.verify_otp``
checks it. Against the sandbox the "user" is this script, reading the PIN from the messages the
sandbox sent (``GET /__sandbox/messages``)::

    export SMSCX_HOST=http://127.0.0.1:8787 SMSCX_API_KEY=sandbox-api-key
    python examples/flows/otp_sign_in.py

Against SMS.CX (SMSCX_API_KEY only) give your own number as the first argument and type the PIN
you receive when asked; the SMS is charged.
"""

from __future__ import annotations

import re
import sys
from typing import Optional

from _sandbox_control import configuration, outbox

from smscx_client import ApiClient, ApiConnectionError, ApiException
from smscx_client.api.otp_api import OtpApi
from smscx_client.model.new_otp_request import NewOtpRequest

TEMPLATE = "Your MyBrand code is {{pin}}"


def pin_from_sandbox(host: str, phone_number: str) -> Optional[str]:
    """The PIN in the last SMS the sandbox sent to ``phone_number`` (None: not a sandbox)."""
    messages = outbox(host)
    if messages is None:
        return None
    text = [m["text"] for m in messages if m["to"] == phone_number][-1]
    return re.search(r"code is (\w+)", text).group(1)  # type: ignore[union-attr]


def main() -> int:
    phone_number = sys.argv[1] if len(sys.argv) > 1 else "+33612345678"
    config = configuration()
    with ApiClient(config) as client:
        otp = OtpApi(client)
        try:
            created = otp.new_otp(
                NewOtpRequest(phone_number=phone_number, _from="MyBrand", template=TEMPLATE, pin_length=6)
            )
            print("PIN sent to {} (OTP {}, valid {} s, {} attempts)".format(
                created.phone_number, created.otp_id, created.ttl, created.max_attempts
            ))  # fmt: skip
            pin = pin_from_sandbox(config.host, created.phone_number)
            if pin is None:
                pin = input("PIN received by SMS: ").strip()
            else:
                print("The sandbox sent the PIN", pin)
            result = otp.verify_otp(created.otp_id, pin)
        except ApiConnectionError as e:  # no answer at all (network, DNS, TLS, timeout): no HTTP status
            print("Failed:", e, file=sys.stderr)
            return 1
        except ApiException as e:
            # a wrong PIN is InvalidPinException (400 invalid_pin), an expired one OtpExpiredException
            print("Failed: HTTP", e.status, e.error_type, e.error_code, e.error_message, file=sys.stderr)
            return 1
    print("Verification:", result.status)
    return 0


if __name__ == "__main__":
    sys.exit(main())
