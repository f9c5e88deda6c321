"""``python -m smscx_client.sandbox``: options, credentials, balance, and a clean Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _start(*options):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smscx_client.sandbox", "--port", "0", "--no-examples", *options],
        cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("SMS.CX sandbox listening on http://127.0.0.1:"), first
    return proc, first.rsplit(" ", 1)[1].strip()


def _get(url, path, headers):
    req = urllib.request.Request(url + path, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - our own loopback server
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.skipif(os.name == "nt", reason="SIGINT delivery to a child differs on Windows")
def test_options_restrict_credentials_and_ctrl_c_exits_cleanly():
    proc, url = _start("--api-key", "cli-only-key-000", "--app-id", "cli-app", "--app-secret", "cli-secret-000", "--balance", "12.5")
    try:
        status, body = _get(url, "/account/balance", {"X-API-KEY": "cli-only-key-000"})
        assert (status, body["balance"]) == (200, 12.5)
        status, body = _get(url, "/account/balance", {"X-API-KEY": "sandbox-api-key"})  # the default no longer works
        assert (status, body["error"]["type"]) == (401, "invalid_api_key")
        status, _ = _get(url, "/account/balance", {})
        assert status == 401
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0
    assert "Traceback" not in err
    assert "stopped" in out
    assert "cli-only-key-000" not in out and "cli-secret-000" not in out  # what you gave is not echoed


def test_defaults_are_documented_and_accepted():
    proc, url = _start()
    try:
        status, body = _get(url, "/account/balance", {"X-API-KEY": "sandbox-api-key"})
        assert (status, body["balance"]) == (200, 100.0)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)


def test_bad_options_are_refused():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "smscx_client.sandbox", "--app-id", "x"], cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=30)
    assert out.returncode == 2 and "--app-id and --app-secret go together" in out.stderr


def test_a_port_in_use_is_one_line_and_exit_status_1():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        out = subprocess.run(
            [sys.executable, "-m", "smscx_client.sandbox", "--port", str(port), "--no-examples"],
            cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    finally:
        taken.close()
    assert out.returncode == 1 and out.stdout == ""
    assert len(out.stderr.splitlines()) == 1 and str(port) in out.stderr and "Traceback" not in out.stderr


@pytest.mark.skipif(os.name == "nt", reason="SIGINT delivery to a child differs on Windows")
@pytest.mark.parametrize("command", [["-m", "smscx_client.sandbox"], ["-m", "smscx_client.cli", "sandbox"]])
def test_json_banner_is_one_parseable_line_and_stops_in_json(command):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, *command, "--port", "0", "--json", "--api-key", "json-cli-key-000"],
        cwd=str(ROOT), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        facts = json.loads(proc.stdout.readline())
        assert facts["inbox"] == facts["url"] + "/__sandbox/" and "apiKey" not in facts  # the key you gave is not echoed
        assert facts["appSecret"] and facts["magicNumbers"] and facts["exampleIds"]["groupId"]
        status, body = _get(facts["url"], "/account/balance", {"X-API-KEY": "json-cli-key-000"})
        assert (status, body["balance"]) == (200, 100.0)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0 and "Traceback" not in err
    assert json.loads(out.strip().splitlines()[-1]) == {"stopped": True}
