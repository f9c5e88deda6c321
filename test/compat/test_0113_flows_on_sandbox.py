"""Real flows with the published smscx_client 0.1.13 against the sandbox: it parses every answer."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.network_install


@pytest.fixture(scope="module")
def flows(legacy_python, tmp_path_factory):
    from smscx_client.sandbox import Sandbox

    folder = tmp_path_factory.mktemp("legacy-flows")
    script = folder / "legacy_flows.py"
    shutil.copy(str(Path(__file__).with_name("legacy_flows.py")), str(script))
    out = folder / "out.json"
    with Sandbox() as sb:
        subprocess.run([legacy_python, "-I", str(script), sb.url, sb.api_key, str(out)], check=True, timeout=120)
        results = json.loads(out.read_text())
        yield results, sb


def test_send_sms(flows):
    results, sb = flows
    send = results["send"]
    assert send["ok"], send
    assert send["value"]["status"] == "ACCEPTED" and send["value"]["parts"] == 1
    sent = [m for m in sb.messages if m["msgId"] == send["value"]["msg_id"]]
    assert [(m["to"], m["text"]) for m in sent] == [("+33612345678", "Hello from 0.1.13")]
    assert results["balance"] == {"ok": True, "value": 100.0}


def test_group_and_campaign(flows):
    results, sb = flows
    step = results["group_campaign"]
    assert step["ok"], step
    assert step["value"]["contacts"] == 2 and step["value"]["sent"] == 2
    assert sum(m["campaignId"] == step["value"]["campaign"] for m in sb.messages) == 2


def test_otp_sign_in(flows):
    results, _ = flows
    assert results["otp"] == {"ok": True, "value": {"status": "VERIFIED"}}


def test_delivery_report(flows):
    results, _ = flows
    assert results["report"] == {"ok": True, "value": {"status": "DELIVERED"}}


def test_errors_map_to_the_same_classes(flows):
    results, _ = flows
    assert results["no_coverage"]["error"] == "NoCoverageException"
    assert results["no_coverage"]["status"] == 403
    assert results["bad_key"]["error"] == "InvalidCredentialsException"
