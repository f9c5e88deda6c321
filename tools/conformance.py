"""Fuzz the command-line sandbox with schemathesis against spec/openapi.yaml and judge the run.

``python -m tools.conformance [--seed N] [--max-examples N] [--max-time S]`` starts
``python -m smscx_client.sandbox --no-examples`` on a free port, runs schemathesis with every
check and every phase (stateful included), reads its NDJSON event log and sorts what it found:

* a **documented rejection** is a schema-valid request the sandbox refused with a 4xx whose error
  type and code are rows of that operation's ``x-errors`` (a business rule the schema cannot
  express: an unknown id, an empty balance, a malformed phone number). Counted and listed apart;
* everything else a check flags is a **failure**; the exit status is 1 when there is any.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "spec" / "openapi.yaml"
API_KEY = "sandbox-api-key"
_PATH_PARAM = re.compile(r"\{[^/]+\}")


def documented_errors() -> Tuple[Dict[str, Set[Tuple[str, int]]], List[Tuple[str, "re.Pattern[str]"]]]:
    """(label ``METHOD /path`` -> {(type, code)}, [(method, path regex)]) from the spec."""
    raw = yaml.safe_load(SPEC.read_text())
    common = raw.get("x-common-errors") or {}
    rows: Dict[str, Set[Tuple[str, int]]] = {}
    for path, item in raw["paths"].items():
        for method, op in item.items():
            found = {(e["type"], e["code"]) for e in op.get("x-errors", [])}
            has_query = any(p.get("in") == "query" for p in op.get("parameters", []))
            if op.get("requestBody"):
                found |= {(e["type"], e["code"]) for e in common.get("body", [])}
            if op.get("requestBody") or has_query:
                found |= {(e["type"], e["code"]) for e in common.get("params", [])}
            rows["{} {}".format(method.upper(), path)] = found
    return rows, []


def _decode(content: Optional[Dict[str, Any]]) -> Any:
    if not content:
        return None
    try:
        raw = base64.b64decode(content["$base64"]) if "$base64" in content else str(content.get("string", "")).encode()
        return json.loads(raw)
    except (ValueError, KeyError, TypeError):
        return None


def start_sandbox() -> Tuple["subprocess.Popen[str]", str]:
    """The CLI sandbox on a free loopback port, and its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "smscx_client.sandbox", "--port", "0", "--no-examples"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=str(ROOT),
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        if m:
            return proc, m.group(1)
    proc.kill()
    raise RuntimeError("the sandbox did not start")


def run(seed: int, max_examples: int, max_time: Optional[int], workers: int, out: Path) -> int:
    """Run schemathesis; returns its exit status (the judgement is ``judge``'s)."""
    exe = shutil.which("schemathesis") or shutil.which("st")
    if exe is None:
        raise SystemExit("schemathesis is not installed (pip install -r test-requirements.txt)")
    proc, url = start_sandbox()
    try:
        cmd = [
            exe,
            "run",
            str(SPEC),
            "--url",
            url,
            "--header",
            "X-API-KEY: " + API_KEY,
            "--checks",
            "all",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--seed",
            str(seed),
            "--max-examples",
            str(max_examples),
            "--workers",
            str(workers),
            "--no-color",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(out),
        ]
        if max_time:
            cmd += ["--max-time", str(max_time)]
        result = subprocess.run(cmd, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return result.returncode
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def judge(events: Path) -> Tuple[List[str], Counter[str], int]:
    """(failures as lines, documented rejections per ``label type code``, cases seen)."""
    rows, _ = documented_errors()
    failures: List[str] = []
    accepted: Counter[str] = Counter()
    seen_failures: Set[Tuple[str, str, str]] = set()
    cases = 0
    for line in events.read_text().splitlines():
        event = json.loads(line)
        errors = [value for key, value in event.items() if key.endswith("Error")]
        for error in errors:
            # schemathesis could not run a case (or crashed): the run proves nothing there
            info = error.get("info") or {}
            title = info.get("title") or info.get("message") or "error"
            failures.append("{} [run error] {}".format(error.get("label", "?"), " ".join(str(title).split())[:300]))
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished.get("recorder") or {}
        interactions = recorder.get("interactions") or {}
        for case_id, checks in (recorder.get("checks") or {}).items():
            cases += 1
            failed = [c for c in checks if c.get("status") == "failure"]
            if not failed:
                continue
            case = (recorder.get("cases") or {}).get(case_id, {}).get("value", {})
            label = _label(case, recorder.get("label", ""))
            response = (interactions.get(case_id) or {}).get("response") or {}
            body = _decode(response.get("content"))
            status = response.get("status_code")
            error = body.get("error") if isinstance(body, dict) else None
            key = (error.get("type"), error.get("code")) if isinstance(error, dict) else None
            for check in failed:
                name = check.get("name", "")
                info = (check.get("failure_info") or {}).get("failure") or {}
                if (
                    name == "positive_data_acceptance"
                    and isinstance(status, int)
                    and 400 <= status < 500
                    and key in rows.get(label, set())
                ):
                    accepted["{} -> {} {} {}".format(label, status, key[0], key[1])] += 1
                    continue
                title = info.get("title") or name
                message = " ".join(str(info.get("message", "")).split())[:300]
                dedup = (label, name, message[:120])
                if dedup in seen_failures:
                    continue
                seen_failures.add(dedup)
                failures.append(
                    "{} [{}] {}: {} | sent {} {} | got {} {}".format(
                        label,
                        name,
                        title,
                        message,
                        case.get("method"),
                        _short(case),
                        status,
                        json.dumps(body)[:300] if body is not None else "",
                    )
                )
    return failures, accepted, cases


def _label(case: Dict[str, Any], fallback: str) -> str:
    """``METHOD /template`` of a case (the recorder's label is the scenario's, e.g. stateful)."""
    method = str(case.get("method", "")).upper()
    path = case.get("path")
    if method and path:
        return "{} {}".format(method, path)
    return fallback


def _short(case: Dict[str, Any]) -> str:
    parts = []
    for key in ("path_parameters", "query", "body"):
        if case.get(key) not in (None, {}, ""):
            parts.append("{}={}".format(key, json.dumps(case[key], default=str)[:200]))
    return " ".join(parts)


def main(argv: Optional[List[str]] = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m tools.conformance", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SMSCX_CONFORMANCE_SEED", "20261206")))
    parser.add_argument("--max-examples", type=int, default=100, help="test cases per operation and phase")
    parser.add_argument("--max-time", type=int, default=None, help="time budget of the whole run, seconds")
    # one worker: hypothesis's source inspection is not thread-safe (seen as a crash with 2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--events", type=Path, default=None, help="judge an existing NDJSON log instead of running")
    args = parser.parse_args(argv)
    started = time.monotonic()
    if args.events is None:
        tmp = Path(tempfile.mkdtemp(prefix="smscx-conformance-"))
        events = tmp / "events.ndjson"
        run(args.seed, args.max_examples, args.max_time, args.workers, events)
    else:
        events = args.events
    failures, accepted, cases = judge(events)
    per_op: Dict[str, int] = defaultdict(int)
    for key, n in accepted.items():
        per_op[key] += n
    print("schemathesis seed {}: {} test cases in {:.0f} s".format(args.seed, cases, time.monotonic() - started))
    print("documented rejections (schema-valid requests refused by a documented business rule): {}".format(sum(accepted.values())))
    for key, n in sorted(per_op.items()):
        print("  {:5d}  {}".format(n, key))
    print("failures: {}".format(len(failures)))
    for line in failures:
        print("  " + line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
