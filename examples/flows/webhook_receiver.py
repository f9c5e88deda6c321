"""Receive SMS.CX callbacks (webhooks): a small HTTP server that parses and prints them.

Every POST is parsed with ``smscx_client.webhooks.parse_callback`` (delivery reports, inbound
messages, opt-outs, link hits, OTP and lookup updates) and answered 200; a body that is not a
known callback is answered 400. Point a callback URL (``dlrCallbackUrl`` of a send, or the
application's settings) at it::

    python examples/flows/webhook_receiver.py --port 8080

The sandbox (``python -m smscx_client.sandbox``) can reach it at http://127.0.0.1:8080/; SMS.CX
needs a public address (a tunnel). SMS.CX signs no callbacks, so keep the URL private.
``--self-test`` starts the server on a free port, POSTs it a sample delivery report and exits.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from smscx_client.exceptions import ApiValueError
from smscx_client.webhooks import parse_callback

SAMPLE = {
    "event": "dlr_update",
    "data": [
        {
            "campaignId": "55ebb698-1e0b-43ec-b350-d1ed1276cba5",
            "msgId": "b73b1829-ba56-4224-9d74-88a813fdd424",
            "statusCode": 3,
            "status": "DELIVERED",
            "errorCode": None,
            "datetime": "2024-06-12 09:30:03",
            "trackData": None,
        }
    ],
}


class CallbackHandler(BaseHTTPRequestHandler):
    """Parses and prints each callback."""

    handled = threading.Event()

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            callback = parse_callback(body)
        except ApiValueError as e:
            print("Rejected a POST to {}: {}".format(self.path, e), flush=True)
            self.send_error(400, str(e))
            return
        print(
            "{} on {} ({} item{}):".format(
                callback.event, self.path, len(callback.data), "s"[: len(callback.data) != 1]
            )
        )
        for item in callback.data:
            print(item, flush=True)
        CallbackHandler.handled.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - printed above instead
        pass


def self_test() -> int:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CallbackHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:{}/smscx/callbacks".format(server.server_port)
    req = urllib.request.Request(
        url, data=json.dumps(SAMPLE).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - our own loopback server
        status = resp.status
    server.shutdown()
    print("Self-test: the sample was answered", status)
    return 0 if status == 200 and CallbackHandler.handled.is_set() else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="Receive and print SMS.CX callbacks.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument(
        "--self-test", action="store_true", help="POST a sample to a server on a free port, then exit"
    )
    args = parser.parse_args()
    if args.self_test:
        return self_test()
    server = ThreadingHTTPServer((args.host, args.port), CallbackHandler)
    print("Listening on http://{}:{}/ (Ctrl-C to stop)".format(args.host, server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
