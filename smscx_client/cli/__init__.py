"""The ``smscx`` command: send SMS, check balance and costs, count parts, OTP, reports, sandbox.

    smscx segments "Hello €"                      # offline: encoding, length, parts
    smscx send --to +33612345678 --from MyBrand --text "Hi"
    smscx send --file numbers.csv --from MyBrand --text "Sale"   # batch, resumable
    smscx balance --json

Connection settings come from flags or the environment, as in the examples: ``--host``
(``SMSCX_HOST``, default https://api.sms.cx) and one of ``--api-key`` (``SMSCX_API_KEY``),
``--access-token`` (``SMSCX_ACCESS_TOKEN``) or ``--app-id``/``--app-secret``
(``SMSCX_APP_ID``/``SMSCX_APP_SECRET``). ``--json`` prints machine-readable output; an error is
one line on stderr (type, code, message) and a non-zero exit status. Secrets are never printed.
"""

from __future__ import annotations

import argparse
import sys
from typing import IO, Any, List, Optional, Tuple

from smscx_client.cli._output import Output, error_line
from smscx_client.configuration import DEFAULT_HOST

__all__ = ["main", "build_parser", "configuration", "EXIT_ERROR", "EXIT_USAGE"]

EXIT_ERROR = 1  # the API or the connection failed
EXIT_USAGE = 2  # the command line is wrong (argparse's own status)


class UsageError(Exception):
    """A command line that cannot work (a missing setting), reported like argparse's errors."""


def _connection_options() -> argparse.ArgumentParser:
    """Options every API command takes (a parent parser)."""
    common = argparse.ArgumentParser(add_help=False)
    _add_connection(common)
    return common


def _add_connection(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a value given before the command is not overwritten by the command's default
    group = parser.add_argument_group("connection (flags win over the environment)")
    sup = argparse.SUPPRESS
    group.add_argument("--host", default=sup, help="API base URL (SMSCX_HOST; default %s)" % DEFAULT_HOST)
    group.add_argument("--api-key", default=sup, help="API key (SMSCX_API_KEY; prefer the variable: flags show in ps)")
    group.add_argument("--access-token", default=sup, help="OAuth access token (SMSCX_ACCESS_TOKEN)")
    group.add_argument("--app-id", default=sup, help="OAuth application id (SMSCX_APP_ID)")
    group.add_argument("--app-secret", default=sup, help="OAuth application secret (SMSCX_APP_SECRET)")
    group.add_argument("--timeout", type=float, default=sup, help="seconds to wait for each answer (default 60)")
    group.add_argument("--max-retries", type=int, default=sup, help="retries of a failed call (default 2)")


def _output_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    return common


def build_parser() -> argparse.ArgumentParser:
    """The whole command line (each command's options are listed by ``smscx <command> -h``)."""
    from smscx_client.cli import _commands
    from smscx_client.text import ALPHABETS

    parser = argparse.ArgumentParser(
        prog="smscx", description="SMS.CX from the shell (works against the sandbox: smscx sandbox)."
    )
    parser.add_argument("--json", action="store_true", default=False, help="machine-readable output")
    _add_connection(parser)  # also accepted before the command
    parser.add_argument("--version", action="version", version="%(prog)s " + _version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    conn, out = _connection_options(), _output_options()

    def command(name: str, help: str, api: bool = True) -> argparse.ArgumentParser:
        parents = [conn, out] if api else [out]
        return sub.add_parser(name, help=help, description=help, parents=parents)

    def recipients(p: argparse.ArgumentParser) -> None:
        p.add_argument("--to", action="append", default=[], metavar="NUMBER", help="recipient (repeat, or a,b,c)")
        p.add_argument("--file", metavar="CSV", help="recipients from a CSV file (a phone/number/to column, else the first)")
        p.add_argument("--from", dest="sender", required=True, metavar="SENDER", help="sender name or number")
        p.add_argument("--text", required=True, help="the message")
        p.add_argument("--country", metavar="ISO", help="country of national numbers (countryIso), e.g. FR")
        p.add_argument("--transliterate", choices=ALPHABETS, metavar="ALPHABET", help="transliteration alphabet")

    p = command("send", "Send an SMS to numbers (--to), or to a CSV file of numbers as a resumable batch (--file).")
    recipients(p)
    p.add_argument("--batch-id", help="the batch's id (--file; default: derived from sender, text and numbers)")
    p.add_argument("--chunk-size", type=int, default=25000, help="numbers per request of a batch (default 25000)")
    p.add_argument("--allow-invalid", action="store_true", help="send to the valid numbers, report the others")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    p.set_defaults(run=_commands.send)

    p = command("estimate", "What a send would cost, without sending.")
    recipients(p)
    p.set_defaults(run=_commands.estimate)

    p = command("balance", "The account's balance.")
    p.set_defaults(run=_commands.balance)

    p = command("segments", "Offline: encoding, length and parts of a text, as the API counts them.", api=False)
    p.add_argument("text", help="the message text")
    p.add_argument("--transliterate", choices=ALPHABETS, metavar="ALPHABET", help="also after this transliteration")
    p.add_argument("--remove-emojis", action="store_true", help="also after removing emojis")
    p.set_defaults(run=_commands.segments)

    p = command("otp", "One-time PINs: send one, verify one.")
    otp = p.add_subparsers(dest="otp_command", metavar="ACTION")
    otp.required = True
    q = otp.add_parser("send", help="send a PIN to a number", parents=[conn, out])
    q.add_argument("--to", required=True, metavar="NUMBER", help="the phone number")
    q.add_argument("--from", dest="sender", metavar="SENDER", help="sender (default: the application's)")
    q.add_argument("--template", help="message text with {{pin}}")
    q.add_argument("--country", metavar="ISO", help="country of a national number")
    q.set_defaults(run=_commands.otp_send)
    q = otp.add_parser("verify", help="check the PIN a user typed", parents=[conn, out])
    q.add_argument("otp_id", metavar="OTP_ID")
    q.add_argument("pin", metavar="PIN")
    q.set_defaults(run=_commands.otp_verify)

    p = command("report", "The delivery report of one message.")
    p.add_argument("msg_id", metavar="MSG_ID")
    p.set_defaults(run=_commands.report)

    p = command("export", "Download a report: a campaign's (by id) or the advanced one (`advanced`).")
    p.add_argument("report", metavar="CAMPAIGN_ID|advanced")
    fmt = p.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--csv", dest="format", action="store_const", const="csv", help="as CSV")
    fmt.add_argument("--xlsx", dest="format", action="store_const", const="xlsx", help="as XLSX")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="where to write it ('-' for stdout)")
    p.add_argument("--period", help="advanced: a year (2024) or a month (2024-06)")
    p.add_argument("--start-date", help="advanced: first day, YYYY-MM-DD")
    p.add_argument("--end-date", help="advanced: last day, YYYY-MM-DD")
    p.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    p.set_defaults(run=_commands.export)

    p = sub.add_parser(
        "sandbox",
        help="Run the local sandbox server (the options of smscx-sandbox; -h lists them).",
        add_help=False,
    )
    p.set_defaults(run=_commands.sandbox)  # main() hands `smscx sandbox ...` over before parsing
    return parser


def _version() -> str:
    from smscx_client._version import __version__

    return __version__


# flag -> Configuration setting; what the flags leave out, Configuration reads from the
# environment itself (SMSCX_HOST, the SMSCX_* credentials as one set, the proxy variables)
_FLAG_SETTINGS = (
    ("host", "host"),
    ("api_key", "api_key"),
    ("access_token", "access_token"),
    ("app_id", "username"),
    ("app_secret", "password"),
    ("timeout", "timeout"),
    ("max_retries", "max_retries"),
)


def configuration(args: argparse.Namespace) -> Any:
    """The ``Configuration`` of the flags, the rest from the environment as the SDK reads it
    (flags win; a credential flag reads no credential from the environment)."""
    from smscx_client import Configuration

    settings = {name: getattr(args, flag) for flag, name in _FLAG_SETTINGS if getattr(args, flag, None) is not None}
    config = Configuration(**settings)
    if (config.username is None) != (config.password is None):
        raise UsageError("the application id and secret go together (--app-id/--app-secret, SMSCX_APP_ID/SMSCX_APP_SECRET)")
    if not (config.api_key or config.access_token or config.username):
        raise UsageError(
            "no credentials: set SMSCX_API_KEY (or --api-key), SMSCX_ACCESS_TOKEN, or SMSCX_APP_ID and SMSCX_APP_SECRET"
        )
    return config


_VALUE_OPTIONS = ("--host", "--api-key", "--access-token", "--app-id", "--app-secret", "--timeout", "--max-retries")


def _sandbox_split(raw: List[str]) -> Optional[Tuple[List[str], List[str]]]:
    """(options before, arguments after) when the command is ``sandbox``, else None."""
    index = 0
    while index < len(raw):
        token = raw[index]
        if token == "sandbox":
            return raw[:index], raw[index + 1 :]
        if not token.startswith("-"):
            return None  # another command
        if token in _VALUE_OPTIONS:
            index += 1  # its value
        index += 1
    return None


def main(
    argv: Optional[List[str]] = None,
    stdout: Optional[IO[str]] = None,
    stderr: Optional[IO[str]] = None,
) -> int:
    """Run one ``smscx`` command; the exit status: 0 done, 1 the API or network failed, 2 usage."""
    from smscx_client.exceptions import ApiExceptionBase

    out_stream = stdout or sys.stdout
    err_stream = stderr or sys.stderr
    raw = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    split = _sandbox_split(raw)
    if split is not None:  # every option after `sandbox` belongs to the sandbox's own parser
        from smscx_client.cli import _commands

        before, after = split
        if before:
            err_stream.write("smscx: error: give the sandbox's options after `sandbox` (see smscx sandbox -h)\n")
            return EXIT_USAGE
        return _commands.run_sandbox(after)
    args = parser.parse_args(raw)
    as_json = bool(getattr(args, "json", False))
    output = Output(out_stream, as_json)
    try:
        status: int = args.run(args, output, err_stream)
        return status
    except UsageError as exc:
        err_stream.write(error_line(exc, as_json) + "\n" if as_json else "smscx: error: {}\n".format(exc))
        return EXIT_USAGE
    except (ApiExceptionBase, OSError, ValueError) as exc:
        err_stream.write(error_line(exc, as_json) + "\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        err_stream.write("smscx: interrupted\n")
        return 130
