"""The ``smscx`` commands: each takes the parsed arguments and returns the exit status."""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import tempfile
from typing import IO, Any, Dict, List

from smscx_client.batch import BatchInfo
from smscx_client.cli import UsageError, configuration
from smscx_client.cli._output import Output, Progress

__all__ = ["send", "estimate", "balance", "segments", "otp_send", "otp_verify", "report", "export", "sandbox", "run_sandbox"]

# column names a numbers file may use for its phone numbers (else its first column)
_NUMBER_COLUMNS = ("phone", "phonenumber", "phone_number", "number", "to", "msisdn", "mobile")


def _client(args: argparse.Namespace) -> Any:
    from smscx_client import ApiClient

    return ApiClient(configuration(args))


def read_numbers(path: str) -> List[str]:
    """The phone numbers of a CSV file: its phone/number/to column, else its first one."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        sample = f.readline()
        f.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        rows = [row for row in csv.reader(f, delimiter=delimiter) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower().replace(" ", "") for cell in rows[0]]
    column = next((header.index(name) for name in _NUMBER_COLUMNS if name in header), None)
    if column is not None:
        rows = rows[1:]
    else:
        column = 0
        if not any(ch.isdigit() for ch in rows[0][0]):  # a header with a name we do not know
            rows = rows[1:]
    return [row[column].strip() for row in rows if len(row) > column and row[column].strip()]


def _recipients(args: argparse.Namespace) -> List[str]:
    numbers = [n.strip() for item in args.to for n in item.split(",") if n.strip()]
    if args.file:
        numbers += read_numbers(args.file)
    if not numbers:
        raise UsageError("no recipient: give --to NUMBER or --file numbers.csv")
    return numbers


def _fields(args: argparse.Namespace) -> Dict[str, Any]:
    """The optional fields of a send/estimate request, by their python names."""
    fields: Dict[str, Any] = {}
    if args.country:
        fields["country_iso"] = args.country.upper()
    if args.transliterate:
        from smscx_client.model.transliteration import Transliteration

        fields["transliteration"] = Transliteration(alphabet=args.transliterate)
    if getattr(args, "allow_invalid", False):
        fields["allow_invalid"] = True
    return fields


def _summary(info: Any, verb: str) -> str:
    line = "{} {} of {} number(s): {} part(s), cost {}".format(
        verb, info.total_valid, info.total_phone_numbers, info.total_parts, info.total_cost
    )
    invalid = info.invalid if isinstance(info, BatchInfo) else info.get("invalid") or []
    if invalid:
        line += "; invalid: " + ", ".join(invalid)
    return line


def send(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx send``: one request for --to, a resumable batch for --file."""
    from smscx_client.api.sms_api import SmsApi

    numbers = _recipients(args)
    with _client(args) as client:
        if args.file:
            return _send_batch(args, numbers, client, output, err)
        from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

        request = SendSmsMessageRequest(numbers, args.sender, args.text, **_fields(args))
        result = SmsApi(client).send_sms(request)

    def text() -> str:
        lines = [_summary(result.info, "sent to")]
        lines += ["{}  {}  {}".format(d.msg_id, d.to, d.status) for d in result.data]
        return "\n".join(lines)

    output.result(result, text)
    return 0


def batch_id(args: argparse.Namespace, numbers: List[str]) -> str:
    """The batch id a re-run of the same command finds again: sender, text, options, numbers."""
    unique = sorted({n.replace(" ", "") for n in numbers})
    key = "\0".join([args.sender, args.text, args.country or "", args.transliterate or "", *unique])
    return "cli-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def _send_batch(args: argparse.Namespace, numbers: List[str], client: Any, output: Output, err: IO[str]) -> int:
    from smscx_client.batch import send_sms_batch

    ident = args.batch_id or batch_id(args, numbers)
    fields = _fields(args)
    if not output.as_json:
        err.write("batch {}: {} number(s); if it stops, run the same command again to resume\n".format(ident, len(numbers)))
        err.flush()
    bar = Progress(err, "sending", enabled=False if args.no_progress else None)
    try:
        result = send_sms_batch(
            client,
            numbers,
            args.sender,
            args.text,
            batch_id=ident,
            chunk_size=args.chunk_size,
            on_progress=lambda done, total, _: bar.update(done, total, " chunks"),
            **fields,
        )
    finally:
        bar.close()
    info = result.info
    data = {
        "batchId": ident,
        "campaignIds": info.campaign_ids,
        "totalPhoneNumbers": info.total_phone_numbers,
        "totalValid": info.total_valid,
        "totalInvalid": info.total_invalid,
        "totalCost": info.total_cost,
        "totalParts": info.total_parts,
        "invalid": info.invalid,
        "duplicatesRemoved": result.duplicates_removed,
    }
    output.result(data, lambda: _summary(info, "sent to") + " (batch {})".format(ident))
    return 0


def estimate(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx estimate``: the cost and parts of a send, nothing sent."""
    from smscx_client.api.sms_api import SmsApi

    numbers = _recipients(args)
    with _client(args) as client:
        from smscx_client.model.send_sms_request_estimate import SendSmsRequestEstimate

        result = SmsApi(client).estimate_sms(SendSmsRequestEstimate(numbers, args.sender, args.text, **_fields(args)))
    output.result(result, lambda: _summary(result.info, "would send to"))
    return 0


def balance(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx balance``."""
    from smscx_client.api.account_api import AccountApi

    with _client(args) as client:
        result = AccountApi(client).get_account_balance()
    output.result(result, lambda: "{} {} ({})".format(result.balance, str(result.currency).upper(), result.billing))
    return 0


def segments(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx segments``: offline, with ``smscx_client.text``."""
    from smscx_client.text import analyze

    result = analyze(args.text, args.transliterate, remove_emojis=args.remove_emojis)

    def describe(a: Any) -> List[str]:
        lines = [
            "encoding  {}".format(a.encoding),
            "length    {} ({} per part)".format(a.length, a.per_part),
            "parts     {} ({} left in the last)".format(a.parts, a.remaining),
        ]
        if a.unicode_characters:
            shown = ", ".join("{!r} at {}".format(u.character, u.position) for u in a.unicode_characters[:20])
            more = len(a.unicode_characters) - 20
            lines.append("UCS-2 by  " + shown + (" and {} more".format(more) if more > 0 else ""))
        return lines

    def text() -> str:
        lines = describe(result)
        if result.transliterated is not None:
            replaced = ", ".join("{!r}x{}".format(c, n) for c, n in result.replaced.items()) or "nothing"
            lines += ["after transliteration (replaced: {}):".format(replaced)]
            lines += ["  " + line for line in describe(result.transliterated)]
            lines += ["  text      " + result.transliterated.text]
        return "\n".join(lines)

    output.result(result, text)
    return 0


def otp_send(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx otp send``."""
    from smscx_client.api.otp_api import OtpApi
    from smscx_client.model.new_otp_request import NewOtpRequest

    options: Dict[str, Any] = {}
    for key, value in (("_from", args.sender), ("template", args.template), ("country_iso", args.country)):
        if value:
            options[key] = value
    with _client(args) as client:
        result = OtpApi(client).new_otp(NewOtpRequest(args.to, **options))
    output.result(
        result,
        lambda: "OTP {} sent to {}: {}, expires {}".format(result.otp_id, result.phone_number, result.status, result.date_expires),
    )
    return 0


def otp_verify(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx otp verify``: exit status 0 only when the PIN is right."""
    from smscx_client.api.otp_api import OtpApi

    with _client(args) as client:
        result = OtpApi(client).verify_otp(args.otp_id, args.pin)
    output.result(result, lambda: "OTP {}: {}".format(args.otp_id, result.status))
    return 0


def report(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx report``: one message's delivery report."""
    from smscx_client.api.reports_api import ReportsApi

    with _client(args) as client:
        result = ReportsApi(client).get_single_report(args.msg_id)
    d = result.data
    output.result(
        result,
        lambda: "{}  {}  {} ({}), {} part(s), cost {}, sent {}".format(
            d.msg_id, d.to, d.status, d.channel, d.text_analysis.parts, d.cost, d.created_at
        ),
    )
    return 0


def export(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx export``: a report streamed to a file, with a progress bar on a terminal."""
    from smscx_client.api.reports_api import ReportsApi

    if args.report == "advanced":
        if not args.period and not (args.start_date and args.end_date):
            raise UsageError("the advanced report needs --period, or --start-date and --end-date")
        dates = {"period": args.period, "start_date": args.start_date, "end_date": args.end_date}
    elif args.period or args.start_date or args.end_date:
        raise UsageError("--period, --start-date and --end-date are for the advanced report only")
    with _client(args) as client:
        api = ReportsApi(client)
        method = getattr(api, "export_{}_report_to_{}".format("advanced" if args.report == "advanced" else "campaign", args.format))
        # the open response (0.1.x's _preload_content=False): the file is written as it arrives
        response = method(**dates, _preload_content=False) if args.report == "advanced" else method(args.report, _preload_content=False)
        bar = Progress(err, "downloading", enabled=False if args.no_progress else None)
        try:
            written = _save(response, args.output, bar)
        finally:
            bar.close()
            response.release_conn()
    target = "-" if args.output == "-" else os.path.abspath(args.output)
    data = {"file": target, "format": args.format, "bytes": written, "report": args.report}
    if args.output == "-":
        return 0  # the file went to stdout
    output.result(data, lambda: "{} bytes of {} written to {}".format(written, args.format.upper(), target))
    return 0


def _save(response: Any, path: str, bar: Progress) -> int:
    """Write the body to ``path`` (atomically: a failed download leaves no half file)."""
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    written = 0
    if path == "-":
        sink = sys.stdout.buffer
        for chunk in response.stream(64 * 1024):
            sink.write(chunk)
            written += len(chunk)
        sink.flush()
        return written
    folder = os.path.dirname(os.path.abspath(path))
    fd, partial = tempfile.mkstemp(prefix=".smscx-", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in response.stream(64 * 1024):
                out.write(chunk)
                written += len(chunk)
                bar.update(written, total, " bytes")
        os.replace(partial, path)
    except BaseException:
        os.unlink(partial)
        raise
    return written


def run_sandbox(argv: List[str]) -> int:
    """``smscx sandbox ...``: the ``smscx-sandbox`` server, with its own options."""
    from smscx_client.sandbox.__main__ import main as sandbox_main

    return sandbox_main(argv)


def sandbox(args: argparse.Namespace, output: Output, err: IO[str]) -> int:
    """``smscx sandbox`` (main() runs it before parsing; this serves a parser used elsewhere)."""
    return run_sandbox([])


