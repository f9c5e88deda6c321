"""Send an SMS, then follow its delivery two ways: polling the report, and the DLR callback.

1. A tiny HTTP server on this machine receives the delivery-report callbacks (``dlr_update``)
   and parses them with ``smscx_client.webhooks.parse_callback``.
2. The SMS is sent with ``dlrCallbackUrl`` pointing at it.
3. ``ReportsApi.get_single_report`` is polled until the status is final, printing each change.
4. The callbacks that arrived are printed.

Against the sandbox (``python -m smscx_client.sandbox``) the script moves the sandbox clock
forward through ``POST /__sandbox/clock/advance``, so it finishes at once::

    export SMSCX_HOST=http://127.0.0.1:8787 SMSCX_API_KEY=sandbox-api-key
    python examples/flows/send_and_track.py

Against SMS.CX (SMSCX_API_KEY only) real time passes, and the API must be able to reach the
callback server: expose ``--port`` publicly (a tunnel) and give that address as
SMSCX_CALLBACK_URL. Give your own number as the first argument; the SMS is charged.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, List

from _sandbox_control import advance_clock, configuration

from smscx_client import ApiClient, ApiConnectionError, ApiException
from smscx_client.api.reports_api import ReportsApi
from smscx_client.api.sms_api import SmsApi
from smscx_client.exceptions import ApiValueError
from smscx_client.model.send_sms_message_request import SendSmsMessageRequest
from smscx_client.webhooks import parse_callback

FINAL = ("DELIVERED", "FAILED")
received: "queue.Queue[Any]" = queue.Queue()


class CallbackHandler(BaseHTTPRequestHandler):
    """Answers 200 to every callback it can parse and queues it; 400 otherwise."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            event = parse_callback(body)
        except ApiValueError as e:
            self.send_error(400, str(e))
            return
        self.send_response(200)
        self.end_headers()
        received.put(event)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        pass


def poll(reports: ReportsApi, msg_id: str, host: str, sandbox: bool) -> str:
    """Read the report until its status is final; on the sandbox the clock moves 1 s per read."""
    last = None
    for _ in range(60):
        report = reports.get_single_report(msg_id).data
        if report.status != last:
            print("  report: {} (updated {})".format(report.status, report.updated_at))
            last = report.status
        if report.status in FINAL:
            break
        if not (sandbox and advance_clock(host, 1)):
            time.sleep(5)
    return str(last)


def wait_for_callbacks(msg_id: str, timeout: float) -> List[Any]:
    """The DLR entries of ``msg_id`` received until one is final (or ``timeout`` passes)."""
    entries: List[Any] = []
    deadline = time.monotonic() + timeout
    while not any(e.status in FINAL for e in entries):
        try:
            event = received.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        entries += [e for e in event.data if e.msg_id == msg_id]
    return entries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("to", nargs="?", default="+33612345678", help="the recipient (E.164)")
    parser.add_argument("--port", type=int, default=0, help="port of the callback server (default: any)")
    args = parser.parse_args()
    config = configuration()
    sandbox = advance_clock(config.host, 0)  # only a sandbox has a clock to move

    server = ThreadingHTTPServer(("127.0.0.1", args.port), CallbackHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    callback_url = os.environ.get("SMSCX_CALLBACK_URL") or "http://127.0.0.1:{}/dlr".format(
        server.server_port
    )
    print("Delivery reports will be POSTed to", callback_url)

    with ApiClient(config) as client:
        try:
            sent = SmsApi(client).send_sms(
                SendSmsMessageRequest(
                    to=[args.to],
                    _from="MyBrand",
                    text="Your parcel is on its way.",
                    dlr_callback_url=callback_url,
                )
            )
            msg_id = sent.data[0].msg_id
            print("Sent {} to {}: {}".format(msg_id, args.to, sent.data[0].status))
            print("Polling GET /reports/single/{}:".format(msg_id))
            status = poll(ReportsApi(client), msg_id, config.host, sandbox)
        except ApiConnectionError as e:  # no answer at all (network, DNS, TLS, timeout): no HTTP status
            print("Failed:", e, file=sys.stderr)
            return 1
        except ApiException as e:
            print("Failed: HTTP", e.status, e.error_type, e.error_code, e.error_message, file=sys.stderr)
            return 1

    print("Callbacks received at", callback_url + ":")
    entries = wait_for_callbacks(msg_id, timeout=10 if sandbox else 60)
    server.shutdown()
    for entry in entries:
        print("  dlr_update: {} at {}".format(entry.status, entry.datetime))
    if not any(e.status == status for e in entries):
        print("  (no final report came back: is the callback URL reachable from the API?)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
