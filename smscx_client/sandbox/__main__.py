"""``python -m smscx_client.sandbox`` / ``smscx-sandbox``: run the sandbox until interrupted."""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import time
import webbrowser
from typing import Any, Dict, List, Optional

from smscx_client.sandbox import (
    DEFAULT_API_KEY,
    DEFAULT_APP_ID,
    DEFAULT_APP_SECRET,
    DEFAULT_BALANCE,
    EXAMPLE_IDS,
    MAGIC_NUMBERS,
)


def _loopback(host: str) -> bool:
    """True for an address only this machine reaches."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def _open_browser(url: str) -> bool:
    """Open ``url`` in the user's browser (``$BROWSER`` first); False when none could be."""
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False


def main(argv: Optional[List[str]] = None) -> int:
    """Parse options, serve, exit cleanly on Ctrl-C."""
    parser = argparse.ArgumentParser(prog="smscx-sandbox", description="A local, stateful SMS.CX API for development and tests.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 = any free port)")
    parser.add_argument("--api-key", default=None, help="the only API key accepted (default: %s)" % DEFAULT_API_KEY)
    parser.add_argument("--app-id", default=None, help="OAuth application id accepted")
    parser.add_argument("--app-secret", default=None, help="OAuth application secret accepted")
    parser.add_argument("--balance", type=float, default=DEFAULT_BALANCE, help="starting balance in EUR (default 100.00)")
    parser.add_argument("--rate-limit", default=None, metavar="N/SECONDS", help="rate limit, e.g. 100/60")
    parser.add_argument(
        "--no-examples",
        action="store_true",
        help="start empty, without the example records (EXAMPLE_IDS) the scripts in examples/ use",
    )
    parser.add_argument("--open", action="store_true", help="open the inbox page (/__sandbox/) in a web browser")
    parser.add_argument("--json", action="store_true", help="print the banner as one JSON line (and {\"stopped\": true} at the end)")
    args = parser.parse_args(argv)
    if (args.app_id is None) != (args.app_secret is None):
        parser.error("--app-id and --app-secret go together")
    rate = None
    if args.rate_limit:
        try:
            n, _, secs = args.rate_limit.partition("/")
            rate = (int(n), float(secs or 60))
        except ValueError:
            parser.error("--rate-limit takes N/SECONDS, e.g. 100/60")

    from smscx_client.sandbox import Sandbox

    sb = Sandbox(
        host=args.host,
        port=args.port,
        api_key=args.api_key or DEFAULT_API_KEY,
        app_id=args.app_id or DEFAULT_APP_ID,
        app_secret=args.app_secret or DEFAULT_APP_SECRET,
        balance=args.balance,
        rate_limit=rate,
        examples=not args.no_examples,
    )
    try:
        sb.start()
    except OSError as exc:
        sys.stderr.write(
            "smscx-sandbox: cannot listen on {}:{}: {}\n".format(args.host, args.port, exc.strerror or exc)
        )
        return 1
    if not _loopback(args.host):  # before the banner: whoever reads the banner has seen it
        sys.stderr.write(
            "smscx-sandbox: warning: listening on {}, not loopback: anyone who reaches this address can use "
            "the API, the control plane and the inbox page (/__sandbox/), which need no credentials\n".format(args.host)
        )
        sys.stderr.flush()
    out = sys.stdout
    try:
        # inside the try: a Ctrl-C that comes while the banner is written still stops cleanly
        if args.json:
            out.write(json.dumps(_facts(sb, args)) + "\n")
        else:
            _banner(out, sb, args)
        out.flush()
        if args.open and not _open_browser(sb.url + "/__sandbox/"):
            sys.stderr.write("smscx-sandbox: no web browser could be opened; open {}/__sandbox/\n".format(sb.url))
        while True:
            time.sleep(3600)  # the sandbox serves in its threads; Ctrl-C ends the wait
    except KeyboardInterrupt:
        out.write('{"stopped": true}\n' if args.json else "\nstopped\n")
    finally:
        sb.stop()
    return 0


def _banner(out: Any, sb: Any, args: argparse.Namespace) -> None:
    """What a person reads at the start: where, which credentials, the magic numbers."""
    out.write("SMS.CX sandbox listening on {}\n".format(sb.url))
    out.write("  API key:        {}\n".format(sb.api_key if args.api_key is None else "(the one you gave)"))
    out.write("  application id: {}\n".format(sb.app_id))
    if args.app_secret is None:
        out.write("  app secret:     {}\n".format(sb.app_secret))
    out.write("  balance:        {:.2f} EUR\n".format(args.balance))
    if not args.no_examples:
        out.write("  example ids:    groupId={groupId}, templateId={templateId}, msgId={msgId}, ...\n".format(**EXAMPLE_IDS))
    out.write("  magic numbers:  {}\n".format(", ".join("{}={}".format(k, v) for k, v in MAGIC_NUMBERS.items())))
    out.write("  inbox:          {}/__sandbox/\n".format(sb.url))
    out.write("Press Ctrl-C to stop.\n")


def _facts(sb: Any, args: argparse.Namespace) -> Dict[str, Any]:
    """The banner as one JSON object (``--json``); credentials you gave are not repeated."""
    facts: Dict[str, Any] = {"url": sb.url, "inbox": sb.url + "/__sandbox/", "applicationId": sb.app_id, "balance": args.balance}
    if args.api_key is None:
        facts["apiKey"] = sb.api_key
    if args.app_secret is None:
        facts["appSecret"] = sb.app_secret
    if not args.no_examples:
        facts["exampleIds"] = dict(EXAMPLE_IDS)
    facts["magicNumbers"] = dict(MAGIC_NUMBERS)
    return facts


if __name__ == "__main__":
    sys.exit(main())
