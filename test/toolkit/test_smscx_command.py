"""The ``smscx`` command end to end: each command in a subprocess against the sandbox, its exit
status, its ``--json`` output parsed, one-line errors, progress bars only on a terminal, and a
batch killed mid-run then run again texting each number once."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from smscx_client.sandbox import EXAMPLE_IDS, Sandbox

SECRET = "cli-secret-key-0123456789"
pytestmark = pytest.mark.smscx_sandbox(api_key=SECRET, examples=True)
NUMBERS = ["+336123456{:02d}".format(i) for i in range(25)]


class Run:
    """A finished ``smscx`` run."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)


def _env(sb: Optional[Sandbox], **extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SMSCX_")}
    if sb is not None:
        env.update(SMSCX_HOST=sb.url, SMSCX_API_KEY=sb.api_key)
    env.update(extra)
    return env


def smscx(sb: Optional[Sandbox], *args: str, env: Optional[Dict[str, str]] = None) -> Run:
    """Run ``python -m smscx_client.cli`` (what the console script calls) with pipes: no terminal."""
    done = subprocess.run(
        [sys.executable, "-m", "smscx_client.cli", *args],
        capture_output=True,
        text=True,
        env=env if env is not None else _env(sb),
        timeout=120,
    )
    run = Run(done.returncode, done.stdout, done.stderr)
    assert SECRET not in run.out + run.err  # the key is never printed
    return run


def smscx_on_a_terminal(sb: Sandbox, *args: str) -> Run:
    """The same, with stderr on a pseudo-terminal (stdout stays a pipe)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "smscx_client.cli", *args], stdout=subprocess.PIPE, stderr=slave, env=_env(sb)
    )
    os.close(slave)
    chunks: List[bytes] = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: every end of the terminal is closed, the command ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    out = proc.stdout.read().decode() if proc.stdout else ""
    code = proc.wait(timeout=60)
    if proc.stdout:
        proc.stdout.close()
    return Run(code, out, b"".join(chunks).decode())


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def _texted(sb: Sandbox, text: str = "Sale") -> Counter:
    """How many times each number got ``text`` (the example records' messages left out)."""
    return Counter(m["to"] for m in sb.messages if m["text"] == text)


def _numbers_file(tmp_path: Path, numbers: List[str], header: str = "phone,name") -> Path:
    path = tmp_path / "numbers.csv"
    path.write_text(header + "\n" + "".join("{},n{}\n".format(n, i) for i, n in enumerate(numbers)), encoding="utf-8")
    return path


# -- the console script and help -------------------------------------------------------------------
def test_the_console_script_is_declared() -> None:
    scripts = {ep.name: ep.value for ep in metadata.distribution("smscx_client").entry_points if ep.group == "console_scripts"}
    assert scripts["smscx"] == "smscx_client.cli:main"
    assert scripts["smscx-sandbox"] == "smscx_client.sandbox.__main__:main"


def test_help_lists_every_command() -> None:
    run = smscx(None, "--help", env=_env(None))
    assert run.code == 0
    for command in ("send", "estimate", "balance", "segments", "otp", "report", "export", "sandbox"):
        assert command in run.out


# -- segments: offline --------------------------------------------------------------------------------
def test_segments_works_offline_without_credentials() -> None:
    run = smscx(None, "segments", "Hello “world” €", env=_env(None))
    assert run.code == 0 and run.err == ""
    assert "UCS-2" in run.out and "'“' at 6" in run.out
    data = smscx(None, "segments", "--json", "Hello “world” €", "--transliterate", "NON_GSM", env=_env(None)).json()
    assert (data["encoding"], data["length"], data["parts"], data["unicodeCharacters"]) == (
        "UCS-2", 15, 1, [[6, "“"], [12, "”"]]
    )
    assert data["transliterated"]["text"] == 'Hello "world" €' and data["transliterated"]["length"] == 16
    assert data["replaced"] == {"“": 1, "”": 1}


# -- account and messages ---------------------------------------------------------------------------
def test_balance(smscx_sandbox: Sandbox) -> None:
    run = smscx(smscx_sandbox, "balance", "--json")
    assert run.code == 0 and run.json() == {"balance": 100.0, "currency": "eur", "billing": "prepaid"}
    assert smscx(smscx_sandbox, "balance").out == "100.0 EUR (prepaid)\n"


def test_flags_win_over_the_environment(smscx_sandbox: Sandbox) -> None:
    env = _env(None, SMSCX_HOST="http://127.0.0.1:9", SMSCX_API_KEY="wrong")
    run = smscx(None, "--host", smscx_sandbox.url, "balance", "--api-key", smscx_sandbox.api_key, "--json", env=env)
    assert run.code == 0 and run.json()["balance"] == 100.0


def test_send_to_numbers(smscx_sandbox: Sandbox) -> None:
    run = smscx(smscx_sandbox, "send", "--to", "+33612345678,06 87 65 43 21", "--country", "FR", "--from", "MyBrand", "--text", "Hi €", "--json")
    assert run.code == 0 and run.err == ""
    data = run.json()
    assert data["info"]["totalValid"] == 2 and sorted(d["to"] for d in data["data"]) == ["+33612345678", "+33687654321"]
    assert data["data"][0]["textAnalysis"] == {"length": 5, "unicode": False, "parts": 1}
    sent = [m for m in smscx_sandbox.messages if m["from"] == "MyBrand" and m["text"] == "Hi €"]
    assert sorted(m["to"] for m in sent) == ["+33612345678", "+33687654321"]
    human = smscx(smscx_sandbox, "send", "--to", "+33612345678", "--from", "MyBrand", "--text", "Hi")
    assert human.code == 0 and human.out.startswith("sent to 1 of 1 number(s): 1 part(s), cost 0.045\n")


def test_estimate_sends_nothing(smscx_sandbox: Sandbox) -> None:
    before = len(smscx_sandbox.messages)
    run = smscx(smscx_sandbox, "estimate", "--to", "+33612345678", "--to", "+4915112345678", "--from", "MyBrand", "--text", "Hi", "--json")
    assert run.code == 0 and run.json()["info"]["totalValid"] == 2 and run.json()["info"]["totalCost"] > 0
    assert len(smscx_sandbox.messages) == before
    polish = smscx(smscx_sandbox, "estimate", "--to", "+33612345678", "--from", "MyBrand", "--text", "Zażółć", "--transliterate", "POLISH", "--json")
    assert polish.code == 0 and polish.json()["info"]["transliterationAnalysis"]["text"]["replaced"]["text"] == "Zazolc"


def test_otp_send_and_verify(smscx_sandbox: Sandbox) -> None:
    sent = smscx(smscx_sandbox, "otp", "send", "--to", "+33612345678", "--json")
    assert sent.code == 0
    otp_id = sent.json()["otpId"]
    assert sent.json()["status"] == "PENDING"
    pin = re.search(r"\d{4,}", smscx_sandbox.messages[-1]["text"]).group(0)  # type: ignore[union-attr]
    wrong = smscx(smscx_sandbox, "otp", "verify", otp_id, "0" if pin != "0" * len(pin) else "1")
    assert wrong.code == 1 and wrong.out == ""
    assert _one_line(wrong.err).startswith("smscx: InvalidPinException (type invalid_pin, code 2029, HTTP 400): ")
    right = smscx(smscx_sandbox, "otp", "verify", otp_id, pin, "--json")
    assert right.code == 0 and right.json()["status"] == "VERIFIED"


def test_report(smscx_sandbox: Sandbox) -> None:
    run = smscx(smscx_sandbox, "report", EXAMPLE_IDS["msgId"], "--json")
    assert run.code == 0 and run.json()["data"]["msgId"] == EXAMPLE_IDS["msgId"]
    human = smscx(smscx_sandbox, "report", EXAMPLE_IDS["msgId"])
    assert human.out.startswith(EXAMPLE_IDS["msgId"] + "  +33612345678  DELIVERED")


# -- export -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, magic", [("csv", b"msgId,"), ("xlsx", b"PK\x03\x04")])
def test_export_a_campaign(smscx_sandbox: Sandbox, tmp_path: Path, fmt: str, magic: bytes) -> None:
    target = tmp_path / ("report." + fmt)
    run = smscx(smscx_sandbox, "export", EXAMPLE_IDS["campaignId"], "--" + fmt, "-o", str(target), "--json")
    assert run.code == 0 and run.err == ""  # no progress on a pipe
    data = run.json()
    assert data == {"file": str(target), "format": fmt, "bytes": target.stat().st_size, "report": EXAMPLE_IDS["campaignId"]}
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no partial file left


def test_export_the_advanced_report_to_stdout(smscx_sandbox: Sandbox) -> None:
    run = smscx(smscx_sandbox, "export", "advanced", "--period", "2024", "--csv", "-o", "-")
    assert run.code == 0 and run.out.startswith("msgId,") and EXAMPLE_IDS["msgId"] in run.out
    missing = smscx(smscx_sandbox, "export", "advanced", "--csv", "-o", "-")
    assert missing.code == 2 and "--period" in _one_line(missing.err)


def test_export_shows_progress_only_on_a_terminal(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    run = smscx_on_a_terminal(smscx_sandbox, "export", EXAMPLE_IDS["campaignId"], "--xlsx", "-o", str(target))
    size = target.stat().st_size
    assert run.code == 0 and "\rdownloading [" in run.err and "{}/{} bytes".format(size, size) in run.err
    assert run.out == "{} bytes of XLSX written to {}\n".format(size, target)
    quiet = smscx_on_a_terminal(smscx_sandbox, "export", EXAMPLE_IDS["campaignId"], "--xlsx", "-o", str(target), "--no-progress")
    assert quiet.code == 0 and quiet.err == ""


# -- batches ----------------------------------------------------------------------------------------
def test_a_batch_from_a_file(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    path = _numbers_file(tmp_path, NUMBERS + NUMBERS[:3])
    run = smscx(smscx_sandbox, "send", "--file", str(path), "--from", "MyBrand", "--text", "Sale", "--chunk-size", "10", "--json")
    assert run.code == 0 and run.err == ""  # --json on a pipe: nothing but the result
    data = run.json()
    assert (data["totalValid"], data["duplicatesRemoved"], len(data["campaignIds"])) == (25, 3, 3)
    assert data["batchId"].startswith("cli-")
    assert _texted(smscx_sandbox) == Counter(NUMBERS)


def test_batch_progress_only_on_a_terminal(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    path = _numbers_file(tmp_path, NUMBERS)
    args = ("send", "--file", str(path), "--from", "MyBrand", "--text", "Sale", "--chunk-size", "10")
    piped = smscx(smscx_sandbox, *args, "--batch-id", "piped")
    assert piped.code == 0 and "chunks" not in piped.err and "\r" not in piped.err
    assert _one_line(piped.err) == "batch piped: 25 number(s); if it stops, run the same command again to resume"
    tty = smscx_on_a_terminal(smscx_sandbox, *args, "--batch-id", "tty")
    assert tty.code == 0 and "\rsending [" in tty.err and "1/3 chunks" in tty.err and "3/3 chunks" in tty.err
    assert tty.out.startswith("sent to 25 of 25 number(s)") and "chunks" not in tty.out


def test_a_batch_killed_mid_run_resumes_without_texting_anyone_twice(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    sb = smscx_sandbox
    path = _numbers_file(tmp_path, NUMBERS)
    args = [sys.executable, "-m", "smscx_client.cli", "send", "--file", str(path), "--from", "MyBrand", "--text", "Sale", "--chunk-size", "10"]
    # the first chunk is sent, then its answer never comes: the command is killed while it waits
    sb.fail_next("POST", "/sms", fault="stall")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(sb))
    deadline = time.monotonic() + 60
    while sum(_texted(sb).values()) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert sum(_texted(sb).values()) == 10 and proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    # the same command again: chunk 0 is replayed (not sent again), chunks 1 and 2 are sent
    again = subprocess.run(args + ["--json"], capture_output=True, text=True, env=_env(sb), timeout=120)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["totalValid"] == 25
    assert _texted(sb) == Counter(NUMBERS)


def test_a_failed_chunk_is_one_line_naming_the_batch_and_a_rerun_finishes(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    sb = smscx_sandbox
    path = _numbers_file(tmp_path, NUMBERS)
    args = ("send", "--file", str(path), "--from", "MyBrand", "--text", "Sale", "--chunk-size", "10", "--batch-id", "job-7")
    sb.fail_next("POST", "/sms", fault="drop")  # chunk 0 is processed, its answer lost
    sb.control("POST", "account", {"balance": 0.5})  # chunk 0's cost; chunk 1 cannot be paid
    failed = smscx(sb, *args, "--max-retries", "3")
    assert failed.code == 1 and failed.out == ""
    line = failed.err.strip().splitlines()[-1]
    assert line.startswith("smscx: InsufficientBalanceException (type insufficient_credit, code ")
    assert line.endswith("[batch job-7 stopped at chunk 1: run the same command again to resume]")
    sb.control("POST", "account", {"balance": 50})
    done = smscx(sb, *args, "--json")
    assert done.code == 0 and done.json()["totalValid"] == 25
    assert _texted(sb) == Counter(NUMBERS)


# -- errors -----------------------------------------------------------------------------------------
def test_an_api_error_is_one_line_and_exit_status_1(smscx_sandbox: Sandbox) -> None:
    run = smscx(smscx_sandbox, "send", "--to", "12", "--from", "MyBrand", "--text", "Hi")
    assert run.code == 1 and run.out == ""
    assert _one_line(run.err) == "smscx: InvalidPhoneNumberException (type invalid_param, code 1207, HTTP 400): Phone number is malformed"
    as_json = smscx(smscx_sandbox, "send", "--to", "12", "--from", "MyBrand", "--text", "Hi", "--json")
    assert as_json.code == 1 and json.loads(_one_line(as_json.err)) == {
        "error": "InvalidPhoneNumberException", "status": 400, "type": "invalid_param", "code": 1207, "message": "Phone number is malformed"
    }


def test_refused_credentials_are_one_line_without_the_key(smscx_sandbox: Sandbox) -> None:
    run = smscx(None, "balance", env=_env(None, SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=SECRET + "-wrong"))
    assert run.code == 1 and "InvalidCredentialsException" in _one_line(run.err) and "code 1001" in run.err


def test_missing_credentials_and_bad_usage_exit_2() -> None:
    run = smscx(None, "balance", env=_env(None))
    assert run.code == 2 and _one_line(run.err).startswith("smscx: error: no credentials: set SMSCX_API_KEY")
    assert smscx(None, "send", "--to", "+33612345678", env=_env(None)).code == 2  # no --from, no --text


def test_no_server_is_one_line(tmp_path: Path) -> None:
    run = smscx(None, "balance", "--max-retries", "0", env=_env(None, SMSCX_HOST="http://127.0.0.1:9", SMSCX_API_KEY=SECRET))
    assert run.code == 1 and _one_line(run.err).startswith("smscx: ApiConnectionError")


# -- the sandbox ------------------------------------------------------------------------------------
def test_smscx_sandbox_runs_the_sandbox_server() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smscx_client.cli", "sandbox", "--port", "0", "--api-key", SECRET],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(None),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        url = re.search(r"listening on (http://\S+)", first).group(1)  # type: ignore[union-attr]
        run = smscx(None, "balance", "--json", env=_env(None, SMSCX_HOST=url, SMSCX_API_KEY=SECRET))
        assert run.code == 0 and run.json()["balance"] == 100.0
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0 and "stopped" in out and SECRET not in first + out


def test_options_of_the_sandbox_go_after_it() -> None:
    run = smscx(None, "--json", "sandbox", "--port", "0", env=_env(None))
    assert run.code == 2 and _one_line(run.err) == "smscx: error: give the sandbox's options after `sandbox` (see smscx sandbox -h)"
    assert "--no-examples" in smscx(None, "sandbox", "-h", env=_env(None)).out
