#!/usr/bin/env python
"""How much the SDK costs on top of raw urllib3 + json, measured in one run.

Every number is a ratio against a baseline measured in the same run, on the same machine, against
the same local server returning the same bytes; nothing here asserts a timing (see README.md).

    python benchmarks/bench_client.py               # full run (a few minutes)
    python benchmarks/bench_client.py --quick       # fewer repetitions
    python benchmarks/bench_client.py --skip-0113   # leave out the published 0.1.13
    python benchmarks/bench_client.py --enforce     # exit 1 when a target is missed

Layout: this process (the orchestrator) builds the response bodies, serves them from a separate
process, runs one worker subprocess per client (1.x from this checkout; 0.1.13 from a throwaway
virtualenv) and prints the table. A worker measures its client and the raw baseline side by side,
in the same interpreter, alternating their order.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parent.parent
LEGACY = "0.1.13"
API_KEY = "bench-key"
SENDER = "MyBrand"
RESULT_MARK = "BENCH-RESULT "
# prefixes of the server's routes (each client gets one as its host)
BIG, LIST, ONE = "/big", "/list", "/one"

# (warm-up calls, timed repetitions) per measurement and mode; 0.1.13 is slow on big bodies
PLAN: Dict[str, Dict[str, Any]] = {
    "full": {"big": (3, 11), "list": (20, 41), "one": (300, 41), "one_calls": 100, "imports": 15, "sandbox": (200, 15)},
    "quick": {"big": (1, 3), "list": (2, 7), "one": (100, 15), "one_calls": 60, "imports": 7, "sandbox": (100, 7)},
}
PLAN_LEGACY: Dict[str, Dict[str, Any]] = {
    "full": {"big": (1, 5), "list": (5, 15), "one": (100, 21), "one_calls": 60},
    "quick": {"big": (0, 1), "list": (1, 3), "one": (50, 7), "one_calls": 40},
}

TARGETS = {  # name -> highest acceptable ratio
    "a": 2.0,
    "b": 2.0,
    "c": 1.3,
    "d": 1.5,
    "e": 1.0,
    "f": 1.3,
    "g": 1.1,
    "h": 2.0,
}


# -- payloads: the shapes of spec/openapi.yaml -------------------------------------------------
def _uuid(i: int, salt: int) -> str:
    return str(uuid.UUID(int=(salt << 96) | i, version=4))


def phone_numbers(n: int) -> List[str]:
    """``n`` distinct French mobile numbers in E.164."""
    return ["+336{:08d}".format(10000000 + i) for i in range(n)]


def send_sms_request(n: int) -> Dict[str, Any]:
    """``SendSmsMessageRequest`` as JSON: one text to ``n`` numbers."""
    return {"to": phone_numbers(n), "from": SENDER, "text": "Your order has shipped, track it at sms.cx/t"}


def _sent(i: int, number: str) -> Dict[str, Any]:
    """One ``DataSms`` (with its ``TextAnalysis``)."""
    status = ("ACCEPTED", "ACCEPTED", "ACCEPTED", "REJECTED", "NO COVERAGE")[i % 5] if i % 97 == 0 else "ACCEPTED"
    text = "Hello, your order #{} has shipped. Track it at https://sms.cx/t/{:06x}".format(100000 + i, i)
    paid = status == "ACCEPTED"
    return {
        "msgId": _uuid(i, 1),
        "status": status,
        "statusCode": {"ACCEPTED": 1, "REJECTED": 4, "NO COVERAGE": 5}[status],
        "errorCode": None,
        "createdAt": "2024-05-14 10:{:02d}:{:02d}".format(i // 60 % 60, i % 60),
        "inQuietHours": False,
        "cost": 0.0345 if paid else 0,
        "to": number,
        "countryIso": "FR",
        "from": SENDER,
        "text": text,
        "parts": 1,
        "textAnalysis": {"length": len(text), "unicode": False, "parts": 1},
    }


def send_sms_response(n: int) -> Dict[str, Any]:
    """``SendSmsMessageResponse``: ``Info`` plus ``n`` ``DataSms``."""
    data = [_sent(i, number) for i, number in enumerate(phone_numbers(n))]
    return {
        "info": {
            "campaignId": _uuid(n, 2),
            "totalPhoneNumbers": n,
            "totalValid": n,
            "totalInvalid": 0,
            "totalCost": round(sum(d["cost"] for d in data), 4),
            "totalParts": n,
            "dlrCallbackUrl": None,
            "scheduled": False,
            "totalInQuietHours": 0,
            "invalid": [],
            "phoneNumbersByCountry": {"FR": n},
        },
        "data": data,
    }


def campaigns_response(n: int) -> Dict[str, Any]:
    """``ReportsCampaignsRespone`` (get_campaigns_list with delivery_reports): ``n`` campaigns."""
    data = []
    for i in range(n):
        groups: List[Dict[str, Any]] = [{"id": 100 + (i + k) % 9, "name": "Customers {}".format((i + k) % 9), "phoneNumbers": 1200 + k}
                  for k in range(1 + i % 3)]
        total = sum(g["phoneNumbers"] for g in groups)
        data.append({
            "id": _uuid(i, 3),
            "name": "Spring sale, wave {}".format(i),
            "from": SENDER,
            "groups": groups,
            "totalPhoneNumers": total,
            "parts": 1,
            "cost": round(total * 0.0345, 4),
            "text": "Spring sale: 20% off everything until Sunday with code SPRING{}".format(i),
            "source": ("api", "webapp", "excel")[i % 3],
            "channel": "sms",
            "datetimeAdded": "2024-{:02d}-{:02d} 09:{:02d}:00".format(1 + i % 12, 1 + i % 28, i % 60),
            "datetimeScheduled": None if i % 4 else "2024-06-01 08:00:00",
            "status": {"accepted": 0, "delivered": total - 10, "failed": 7, "scheduled": 0, "noCoverage": 3},
        })
    return {"info": {"totalCampaigns": 4 * n}, "data": data, "paging": {"next": "b64cursor", "previous": None, "size": n}}


# -- the server: pre-encoded bytes from a separate process -------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, Content-Length
    disable_nagle_algorithm = True
    routes: Dict[str, bytes] = {}

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = self.routes.get("/" + self.path.split("/", 2)[1])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer


def _serve(routes: Dict[str, bytes], conn: Any) -> None:
    _Handler.routes = routes
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    conn.send(server.server_address[1])
    conn.close()
    server.serve_forever(poll_interval=0.1)


class Server:
    """``with Server(routes) as url:`` serves ``routes`` (path prefix -> body) from a child process."""

    def __init__(self, routes: Dict[str, bytes]) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._ctx: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._routes = routes
        self._proc: Any = None

    def __enter__(self) -> str:
        parent, child = self._ctx.Pipe()
        self._proc = self._ctx.Process(target=_serve, args=(self._routes, child), daemon=True)
        self._proc.start()
        if not parent.poll(60):
            raise RuntimeError("the benchmark server did not start")
        return "http://127.0.0.1:{}".format(parent.recv())

    def __exit__(self, *exc: Any) -> None:
        self._proc.terminate()
        self._proc.join(10)


# -- worker: runs inside the interpreter of the client it measures ------------------------------
def _median(values: List[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _libc_trim() -> Optional[Callable[[int], int]]:
    """glibc's ``malloc_trim``, or None where there is none (macOS, musl, Windows)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
        return trim
    except (OSError, AttributeError):
        return None


_TRIM = _libc_trim()


def _settle() -> None:
    """Start a timed call from the same state whichever side ran before: garbage collected, and
    the C heap's free memory given back to the system.

    Both sides run in one process, so without the trim each call inherits the heap the other
    side left (the reads that follow a call only inherit their own side's).
    For the 25,000-item answer that decided which call found its 9.7 MB of decoded text in
    memory already mapped and which paid about 2,400 page faults for it (several ms), and the
    SDK, whose client keeps the last body (``last_response``), was the one that paid in most
    runs: its call measured 2-10% above the raw call here, while each one alone, in a process
    of its own, measured the SDK's call at or below the raw one.
    """
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def _timed(fn: Callable[[], Any]) -> Tuple[float, float, Any]:
    _settle()
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    c1, w1 = time.process_time(), time.perf_counter()
    return w1 - w0, c1 - c0, out


def _pairs(
    base: Callable[[], Any],
    client: Callable[[], Any],
    warmup: int,
    reps: int,
    after: Optional[Callable[[str, Any], None]] = None,
) -> Dict[str, float]:
    """Median wall and CPU seconds of ``base`` and ``client``, run alternately (order flips each rep)."""
    for _ in range(warmup):
        base()
        client()
    times: Dict[str, List[float]] = {"base_wall": [], "base_cpu": [], "client_wall": [], "client_cpu": []}
    for rep in range(reps):
        order = [("base", base), ("client", client)]
        for name, fn in order if rep % 2 == 0 else order[::-1]:
            wall, cpu, out = _timed(fn)
            times[name + "_wall"].append(wall)
            times[name + "_cpu"].append(cpu)
            if after is not None:
                after(name, out)
            del out
    return {k: _median(v) for k, v in times.items()}


def _loop(fn: Callable[[], Any], calls: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(calls):
            fn()

    return run


def _touch(value: Any) -> int:
    """Read every field of a model tree through its attributes (both SDKs have ``attribute_map``)."""
    names = getattr(type(value), "attribute_map", None)
    if isinstance(names, dict) and not isinstance(value, dict):
        count = 0
        for name in names:
            count += 1 + _touch(getattr(value, name, None))
        return count
    if isinstance(value, list):
        return sum(_touch(v) for v in value)
    return 0


def _held(make: Callable[[], Any], settle: Callable[[Any], None]) -> Tuple[int, Any]:
    """Bytes still allocated (tracemalloc) after ``make()`` and ``settle(result)``, with the result alive."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        out = make()
        settle(out)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, out
    finally:
        tracemalloc.stop()


def worker(cfg: Dict[str, Any]) -> Dict[str, Any]:
    """Measure one client against raw urllib3 + json; return the medians (seconds, bytes)."""
    if cfg["ours"]:
        sys.path.insert(0, cfg["repo"])
    import urllib3

    import smscx_client
    from smscx_client import ApiClient, Configuration
    from smscx_client.api.reports_api import ReportsApi
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    url, n_big, n_list = cfg["url"], cfg["big"], cfg["list"]
    plan = cfg["plan"]
    out: Dict[str, Any] = {
        "module": smscx_client.__file__,
        "urllib3": getattr(urllib3, "__version__", "?"),
        "python": sys.version.split()[0],
    }

    def client_for(prefix: str) -> Any:
        return ApiClient(Configuration(host=url + prefix, api_key=API_KEY))

    big_client, list_client, one_client = client_for(BIG), client_for(LIST), client_for(ONE)
    sms_big, sms_one, reports = SmsApi(big_client), SmsApi(one_client), ReportsApi(list_client)
    pool = urllib3.PoolManager()
    headers = {"Content-Type": "application/json", "Accept": "application/json", "X-API-KEY": API_KEY}
    big_request, one_request = send_sms_request(n_big), send_sms_request(1)

    def raw_post(prefix: str, payload: Dict[str, Any]) -> Any:
        resp = pool.request("POST", url + prefix + "/sms", body=json.dumps(payload), headers=headers)
        return json.loads(resp.data)

    def raw_big() -> Any:
        return raw_post(BIG, big_request)

    def raw_one() -> Any:
        return raw_post(ONE, one_request)

    def raw_list() -> Any:
        resp = pool.request("GET", url + LIST + "/reports/campaigns?delivery_reports=true", headers=headers)
        return json.loads(resp.data)

    def ours_send(api: Any, request: Dict[str, Any]) -> Any:
        return api.send_sms(SendSmsMessageRequest(to=request["to"], _from=request["from"], text=request["text"]))

    def sdk_big() -> Any:
        return ours_send(sms_big, big_request)

    def sdk_one() -> Any:
        return ours_send(sms_one, one_request)

    def sdk_list() -> Any:
        return reports.get_campaigns_list(delivery_reports=True)

    # the answers are what the server sent, and their keys are fields of the generated models
    raw, res = raw_big(), sdk_big()
    assert len(res.data) == len(raw["data"]) == n_big, "wrong item count"
    assert res.data[-1].msg_id == raw["data"][-1]["msgId"] and res.info.total_cost == raw["info"]["totalCost"]
    assert set(raw["data"][0]) <= set(type(res.data[0]).attribute_map.values()), "payload keys not in DataSms"
    lst = sdk_list()
    assert len(lst.data) == n_list and lst.data[3].groups[0].name == raw_list()["data"][3]["groups"][0]["name"]
    assert set(raw_list()["data"][0]) <= set(type(lst.data[0]).attribute_map.values()), "keys not in the model"
    del raw, res, lst

    # reading every field after parsing, and to_dict(), on the results of the timed calls
    reads: Dict[str, List[float]] = {"first": [], "again": [], "dicts": [], "to_dict": []}

    def read_fields(result: Any) -> None:
        for m in result.data:  # the list itself is wrapped on its first read: counted
            m.msg_id, m.to, m._from, m.text, m.text_analysis, m.country_iso, m.status, m.cost, m.created_at  # noqa: B018

    def after_big(name: str, result: Any) -> None:
        clock = time.process_time  # no I/O here: CPU time is steadier on a busy machine
        if name == "base":
            parse = datetime.fromisoformat
            gc.collect()
            t0 = clock()
            for d in result["data"]:
                d["msgId"], d["to"], d["from"], d["text"], d["textAnalysis"], d["countryIso"], d["status"], d["cost"], parse(d["createdAt"])  # noqa: B018,E501
            reads["dicts"].append(clock() - t0)
            return
        gc.collect()
        t0 = clock()
        result.to_dict()
        t1 = clock()
        # each measure starts from a collected heap, as the dict reads do: the garbage of
        # to_dict() would otherwise bring a full collection into the first read
        gc.collect()
        t2 = clock()
        read_fields(result)
        t3 = clock()
        read_fields(result)
        t4 = clock()
        reads["to_dict"].append(t1 - t0)
        reads["first"].append(t3 - t2)
        reads["again"].append(t4 - t3)

    warm, reps = plan["big"]
    out["big"] = _pairs(raw_big, sdk_big, warm, reps, after=after_big)
    out["reads"] = {k: _median(v) for k, v in reads.items()}
    out["list"] = _pairs(raw_list, sdk_list, *plan["list"])
    calls = plan["one_calls"]
    warm, reps = plan["one"]
    for _ in range(warm):
        raw_one()
        sdk_one()
    one = _pairs(_loop(raw_one, calls), _loop(sdk_one, calls), 0, reps)
    out["one"] = {k: v / calls for k, v in one.items()}
    if cfg["ours"]:
        out["sandbox"] = in_process_sandbox(plan, one_request, calls)

    if cfg["memory"]:
        def drop_last(result: Any) -> None:
            big_client.last_response = None

        def touched(result: Any) -> None:
            drop_last(result)
            _touch(result)

        out["mem"] = {
            "base": _held(raw_big, lambda r: None)[0],
            "parsed": _held(sdk_big, drop_last)[0],
            "touched": _held(sdk_big, touched)[0],
        }
        sdk_big()
        out["mem"]["last_response"] = len(big_client.last_response.data)
    for c in (big_client, list_client, one_client):
        c.close()
    return out


def in_process_sandbox(plan: Dict[str, Any], request: Dict[str, Any], calls: int) -> Dict[str, float]:
    """CPU per one-number ``send_sms`` through ``Sandbox(in_process=True)``: the client and the
    sandbox together, in this process (no socket); None-like when the sandbox extra is missing."""
    try:
        from smscx_client.sandbox import Sandbox
    except ImportError:
        return {}
    from smscx_client.api.sms_api import SmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    sb = Sandbox(in_process=True, balance=1e12)
    api = SmsApi(sb.api_client())

    def send() -> Any:
        return api.send_sms(SendSmsMessageRequest(to=request["to"], _from=request["from"], text=request["text"]))

    warm, reps = plan["sandbox"]
    for _ in range(warm):
        send()
    samples = []
    for _ in range(reps):
        sb.reset()  # the outbox would otherwise grow through the run
        samples.append(_timed(_loop(send, calls))[1] / calls)
    sb.reset()
    assert send().data[0].status == "ACCEPTED" and len(sb.messages) == 1
    return {"cpu": _median(samples)}


def import_pairs(python: str, cwd: str, runs: int) -> Dict[str, float]:
    """Median ``-X importtime`` totals (seconds) of what a script imports first, in fresh interpreters:
    the SDK with one API module, and urllib3 + json; then the same plus a client (a pool manager)."""
    cases = {
        "sdk": "import smscx_client, smscx_client.api.sms_api",
        "raw": "import urllib3, json",
        "sdk_client": "import smscx_client, smscx_client.api.sms_api; smscx_client.ApiClient()",
        "raw_client": "import urllib3, json; urllib3.PoolManager()",
    }
    env = _clean_env()
    samples: Dict[str, List[float]] = {k: [] for k in cases}
    for run in range(runs + 1):  # the first run writes the .pyc files; it is not counted
        for name, code in cases.items():
            done = subprocess.run([python, "-X", "importtime", "-c", code], capture_output=True, text=True, cwd=cwd,
                                  env=env, check=True)
            if run:
                samples[name].append(_importtime_total(done.stderr))
    return {k: _median(v) for k, v in samples.items()}


def _importtime_total(stderr: str) -> float:
    """Seconds of every top-level import in a ``-X importtime`` log, bar the interpreter's own start
    (``site``, ``encodings`` and what they pull in)."""
    total = 0
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        top = name.startswith(" ") and not name.startswith("  ")  # nested imports are indented more
        if top and name.strip() not in ("site", "encodings", "_frozen_importlib_external"):
            total += int(parts[1])
    return total / 1e6


# -- orchestrator --------------------------------------------------------------------------------
def legacy_python(cache: Path) -> Optional[str]:
    """A virtualenv with smscx_client 0.1.13 under ``cache`` (made once, then reused)."""
    venv = cache / "venv-{}-py{}.{}".format(LEGACY, *sys.version_info[:2])
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    probe = [str(python), "-c", "import importlib.metadata as m; print(m.version('smscx_client'))"]

    def ready() -> bool:
        if not python.exists():
            return False
        done = subprocess.run(probe, capture_output=True, text=True, cwd=str(cache), env=_clean_env())
        return done.returncode == 0 and done.stdout.strip() == LEGACY

    if ready():
        return str(python)
    print("installing smscx_client {} into {} ...".format(LEGACY, venv), flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "smscx_client==" + LEGACY],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, env=_clean_env())
        if done.returncode != 0:
            print("  could not install it ({}); skipping 0.1.13\n{}".format(step[2], done.stderr[-2000:]))
            return None
    return str(python) if ready() else None


def _revision() -> str:
    """The checkout's commit ('+' when it has uncommitted changes), or '?' outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=str(REPO))
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "smscx_client"], capture_output=True, text=True,
                               cwd=str(REPO))
    except OSError:
        return "?"
    if head.returncode != 0:
        return "?"
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def _clean_env() -> Dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env.pop("PYTHONSTARTUP", None)
    # an installed package imports from .pyc files: without them every run would compile the SDK
    # (and not urllib3, which pip compiled), and the import rows would measure the compiler
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_worker(python: str, cfg: Dict[str, Any]) -> Dict[str, Any]:
    # the legacy worker runs outside the checkout so that ``import smscx_client`` finds 0.1.13
    cwd = cfg["repo"] if cfg["ours"] else tempfile.gettempdir()
    cmd = [python, str(Path(__file__).resolve()), "--worker", json.dumps(cfg)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=_clean_env())
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            result: Dict[str, Any] = json.loads(line[len(RESULT_MARK):])
            return result
    raise RuntimeError("worker {} failed:\n{}\n{}".format(python, done.stdout[-3000:], done.stderr[-5000:]))


def import_times(pythons: Dict[str, Tuple[str, str]], runs: int) -> Dict[str, Dict[str, Any]]:
    """``import smscx_client`` in fresh interpreters: median ``-X importtime`` cumulative and wall time.

    ``pythons`` maps a name to (interpreter, working folder); their runs alternate so that a
    change in the machine's load falls on all of them alike.
    """
    env = _clean_env()
    probe = "import json, sys, smscx_client; print(json.dumps(sorted(m for m in sys.modules if m.startswith('smscx_client.'))))"
    samples: Dict[str, Dict[str, List[float]]] = {}
    out: Dict[str, Dict[str, Any]] = {}
    for name, (python, cwd) in pythons.items():
        loaded = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=cwd, env=env, check=True)
        out[name] = {"modules": json.loads(loaded.stdout)}
        samples[name] = {"cumulative": [], "wall": [], "bare": []}
    for run in range(runs + 1):  # the first run also writes the .pyc files; it is not counted
        for name, (python, cwd) in pythons.items():
            t0 = time.perf_counter()
            done = subprocess.run([python, "-X", "importtime", "-c", "import smscx_client"],
                                  capture_output=True, text=True, cwd=cwd, env=env, check=True)
            t1 = time.perf_counter()
            subprocess.run([python, "-c", "pass"], cwd=cwd, env=env, check=True)
            t2 = time.perf_counter()
            if run == 0:
                continue
            samples[name]["wall"].append(t1 - t0)
            samples[name]["bare"].append(t2 - t1)
            for line in done.stderr.splitlines():
                parts = [p.strip() for p in line.split("|")]
                if len(parts) == 3 and parts[2] == "smscx_client":
                    samples[name]["cumulative"].append(int(parts[1]) / 1e6)
    for name, got in samples.items():
        out[name]["cumulative"] = _median(got["cumulative"])
        out[name]["wall"] = _median(got["wall"]) - _median(got["bare"])
    return out


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return "{:.2f} s".format(seconds)
    if seconds >= 1e-3:
        return "{:.1f} ms".format(seconds * 1e3)
    return "{:.0f} us".format(seconds * 1e6)


def _fmt_mem(n: float) -> str:
    return "{:.1f} MiB".format(n / 2**20)


class Table:
    def __init__(self) -> None:
        self.rows: List[Tuple[str, ...]] = []
        self.missed: List[str] = []

    def add(self, key: str, label: str, ours: float, base: float, fmt: Callable[[float], str],
            legacy: Optional[Tuple[float, float]] = None) -> None:
        ratio = ours / base
        target = TARGETS.get(key)
        if target is None:
            verdict = "(no target)"
        else:
            ok = ratio <= target
            verdict = "(target <= {:g}x) {}".format(target, "ok" if ok else "MISSED")
            if not ok:
                self.missed.append(label)
        old = ""
        if legacy is not None:
            old = "{} / {} = {:.1f}x".format(fmt(legacy[0]), fmt(legacy[1]), legacy[0] / legacy[1])
        self.rows.append((label, "{} / {} = {:.2f}x".format(fmt(ours), fmt(base), ratio), verdict, old))

    def note(self, label: str, text: str, ok: Optional[bool] = None) -> None:
        verdict = "" if ok is None else ("ok" if ok else "MISSED")
        if ok is False:
            self.missed.append(label)
        self.rows.append((label, text, verdict, ""))

    def print(self) -> None:
        head = ("measure", "ours / baseline = ratio", "target", "0.1.13 / its baseline")
        widths = [max(len(r[i]) for r in self.rows + [head]) for i in range(4)]
        for row in [head, tuple("-" * w for w in widths)] + self.rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (about a minute)")
    parser.add_argument("--skip-0113", action="store_true", help="do not measure the published 0.1.13")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--items", type=int, default=25000, help="items in the send_sms answer (25000)")
    parser.add_argument("--list-items", type=int, default=500, help="items in the list answer (500)")
    parser.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(), "smscx-bench"),
                        help="where the 0.1.13 virtualenv is kept")
    parser.add_argument("--json", metavar="FILE", help="also write the raw measurements here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(RESULT_MARK + json.dumps(worker(json.loads(args.worker))))
        return 0

    mode = "quick" if args.quick else "full"
    legacy = None if args.skip_0113 else legacy_python(Path(args.cache_dir))
    routes = {
        BIG: json.dumps(send_sms_response(args.items)).encode(),
        LIST: json.dumps(campaigns_response(args.list_items)).encode(),
        ONE: json.dumps(send_sms_response(1)).encode(),
    }
    print("bodies: send_sms {} items = {}, list {} items = {}; mode {}".format(
        args.items, _fmt_mem(len(routes[BIG])), args.list_items, _fmt_mem(len(routes[LIST])), mode), flush=True)
    cfg = {"repo": str(REPO), "big": args.items, "list": args.list_items}
    with Server(routes) as url:
        cfg["url"] = url
        t0 = time.perf_counter()
        ours = run_worker(sys.executable, dict(cfg, ours=True, memory=True, plan=PLAN[mode]))
        ours["revision"] = _revision()
        print("ours ({}, commit {}, python {}, urllib3 {}) measured in {:.0f} s".format(
            ours["module"], ours["revision"], ours["python"], ours["urllib3"], time.perf_counter() - t0), flush=True)
        old = None
        if legacy:
            t0 = time.perf_counter()
            old = run_worker(legacy, dict(cfg, ours=False, memory=mode == "full", plan=PLAN_LEGACY[mode]))
            print("0.1.13 ({}) measured in {:.0f} s".format(old["module"], time.perf_counter() - t0), flush=True)
    pythons = {"ours": (sys.executable, str(REPO))}
    if legacy:
        pythons["legacy"] = (legacy, tempfile.gettempdir())
    timed_imports = import_times(pythons, PLAN[mode]["imports"])
    imports, old_imports = timed_imports["ours"], timed_imports.get("legacy")
    first_imports = import_pairs(sys.executable, str(REPO), PLAN[mode]["imports"])

    t = Table()

    def pair(part: Dict[str, float], kind: str) -> Tuple[float, float]:
        return part["client_" + kind], part["base_" + kind]

    def legacy_pair(section: str, kind: str) -> Optional[Tuple[float, float]]:
        return pair(old[section], kind) if old else None

    n = "{:,}".format(args.items)
    t.add("a", "a. send_sms, {} items, wall".format(n), *pair(ours["big"], "wall"), _fmt_time,
          legacy_pair("big", "wall"))
    t.add("", "   same, client CPU", *pair(ours["big"], "cpu"), _fmt_time, legacy_pair("big", "cpu"))
    t.add("b", "b. campaigns list, {} items, wall".format(args.list_items), *pair(ours["list"], "wall"), _fmt_time,
          legacy_pair("list", "wall"))
    t.add("", "   same, client CPU", *pair(ours["list"], "cpu"), _fmt_time, legacy_pair("list", "cpu"))
    t.add("c", "c. send_sms, 1 number, client CPU/call", *pair(ours["one"], "cpu"), _fmt_time,
          legacy_pair("one", "cpu"))
    t.add("", "   same, wall/call", *pair(ours["one"], "wall"), _fmt_time, legacy_pair("one", "wall"))
    mem = ours["mem"]
    old_mem = (old["mem"]["touched"], old["mem"]["base"]) if old and "mem" in old else None
    t.add("d", "d. memory of the {}-item result, all read".format(n), mem["touched"], mem["base"], _fmt_mem,
          old_mem)
    t.add("", "   same, just parsed", mem["parsed"], mem["base"], _fmt_mem)
    t.note("   client.last_response keeps the body", _fmt_mem(mem["last_response"]))
    if old_imports:
        t.add("e", "e. import smscx_client (-X importtime)", imports["cumulative"], old_imports["cumulative"],
              _fmt_time)
        t.add("", "   same, wall minus bare interpreter", imports["wall"], old_imports["wall"], _fmt_time)
    else:
        t.note("e. import smscx_client (-X importtime)", _fmt_time(imports["cumulative"]) + " (0.1.13 skipped)")
    models = [m for m in imports["modules"] if m.startswith(("smscx_client.model.", "smscx_client.models"))]
    t.note("   import loads no smscx_client.model.*",
           "{} smscx_client modules, {} models".format(len(imports["modules"]), len(models)), not models)
    reads = ours["reads"]

    def legacy_reads(key: str, base: str) -> Optional[Tuple[float, float]]:
        return (old["reads"][key], old["reads"][base] if base in old["reads"] else old["big"][base]) if old else None

    # what a caller pays to get every value out of the answer: the call (decode included) plus
    # the first read, against urllib3 + json.loads plus the dict reads (CPU)
    t.add("f", "f. every field of the {} items: call + first read vs raw call + dict reads, CPU".format(n),
          ours["big"]["client_cpu"] + reads["first"], ours["big"]["base_cpu"] + reads["dicts"], _fmt_time,
          (old["big"]["client_cpu"] + old["reads"]["first"], old["big"]["base_cpu"] + old["reads"]["dicts"])
          if old else None)
    t.add("", "   same, first read alone (models made, dates parsed) vs dict reads", reads["first"], reads["dicts"],
          _fmt_time, legacy_reads("first", "dicts"))
    t.add("", "   same, read again", reads["again"], reads["dicts"], _fmt_time, legacy_reads("again", "dicts"))
    t.add("", "to_dict() of the result vs raw call, CPU", reads["to_dict"], ours["big"]["base_cpu"], _fmt_time,
          legacy_reads("to_dict", "base_cpu"))
    t.add("g", "g. import smscx_client + its sms_api vs urllib3 + json", first_imports["sdk"], first_imports["raw"],
          _fmt_time)
    t.add("", "   same, and a client made (a PoolManager)", first_imports["sdk_client"], first_imports["raw_client"],
          _fmt_time)
    if ours.get("sandbox"):
        t.add("h", "h. send_sms, 1 number, in-process sandbox, CPU", ours["sandbox"]["cpu"], ours["one"]["client_cpu"],
              _fmt_time)
    else:
        t.note("h. send_sms, 1 number, in-process sandbox", "skipped: the sandbox extra is not installed")
    print()
    t.print()
    print("\nbaselines: raw urllib3 PoolManager.request + json.loads of the same bytes; for reads, dict lookups"
          " + datetime.fromisoformat; for memory, the dicts of json.loads; for h, the SDK's own CPU for the same"
          " call over loopback (row c).")
    if args.json:
        Path(args.json).write_text(json.dumps({"ours": ours, "legacy": old, "imports": imports,
                                               "legacy_imports": old_imports, "first_imports": first_imports}, indent=1))
    if t.missed:
        print("missed: " + "; ".join(label.strip() for label in t.missed))
        return 1 if args.enforce else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
