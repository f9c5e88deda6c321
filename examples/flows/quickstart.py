"""Quick start: send one SMS and read its delivery report.

With nothing set, the script starts the sandbox (a local, stateful fake of SMS.CX) inside itself,
so, in a clone of the smscx_client repository, this runs as it is:

    python -m pip install ".[sandbox]" && python examples/flows/quickstart.py

(The SDK and its ``sandbox`` extra come from the clone: until 1.x is published, PyPI's
``smscx_client`` is 0.1.x, which has no sandbox.)

With SMSCX_HOST and SMSCX_API_KEY set it does the same against that server: a sandbox you
started (``python -m smscx_client.sandbox``) or SMS.CX itself (SMSCX_HOST=https://api.sms.cx;
the SMS is real and charged, so give your own number as the first argument).
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import ExitStack

from _sandbox_control import advance_clock, configuration

from smscx_client import ApiClient, ApiConnectionError, ApiException, Configuration
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

FINAL = ("DELIVERED", "FAILED")


def main() -> int:
    to = sys.argv[1] if len(sys.argv) > 1 else "+33612345678"
    with ExitStack() as stack:
        if os.environ.get("SMSCX_HOST"):
            config = configuration()
        else:
            from smscx_client.sandbox import Sandbox

            sandbox = stack.enter_context(Sandbox())
            print("Started a sandbox at", sandbox.url)
            config = Configuration(host=sandbox.url, api_key=sandbox.api_key)
        client = stack.enter_context(ApiClient(config))
        try:
            sent = SmsApi(client).send_sms(
                SendSmsMessageRequest(
                    to=[to], _from="MyBrand", text="Hello from the smscx_client quick start!"
                )
            )
            print("Sent:")
            print(sent)
            msg_id = sent.data[0].msg_id
            reports = ReportsApi(client)
            # The sandbox delivers in 3 s of its own clock: move it on. SMS.CX takes real time.
            if not advance_clock(config.host, 5):
                print("Waiting for the delivery report...")
            for _ in range(30):
                report = reports.get_single_report(msg_id).data
                if report.status in FINAL:
                    break
                time.sleep(2)
        except ApiConnectionError as e:  # no answer at all (network, DNS, TLS, timeout): no HTTP status
            print("Failed:", e, file=sys.stderr)
            return 1
        except ApiException as e:
            print("Failed: HTTP", e.status, e.error_type, e.error_code, e.error_message, file=sys.stderr)
            return 1
    print("Delivery report:")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
