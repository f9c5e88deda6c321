"""Every script under examples/ runs against the sandbox and prints what it should.

Each script meets a freshly reset sandbox (one started with the example records, ``EXAMPLE_IDS``,
reset through ``POST /__sandbox/reset`` before every script). The hand-written flows, the quick
start with no SMSCX_HOST at all (it then starts its own sandbox) and one generated script of
each kind run as subprocesses, in parallel; the other generated scripts run in this process with
``runpy`` as ``__main__`` (the same files, minus ~0.2 s of interpreter start-up each), one after
the other. The generator side is checked here too: a required value without an ``example`` in
the spec, or an example that breaks its schema, stops it.
"""

from __future__ import annotations

import copy
import io
import json
import os
import queue
import runpy
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

from smscx_client import delete_download
from smscx_client.sandbox import EXAMPLE_IDS, Sandbox
from tools.codegen import examples, ir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GENERATED = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.glob("*_api/*.py"))
FLOWS = sorted(
    str(p.relative_to(ROOT)) for p in (EXAMPLES / "flows").glob("*.py") if not p.name.startswith("_")
)
EMBEDDED = "examples/flows/quickstart.py (no SMSCX_HOST)"
# generated scripts also run as processes of their own: one per kind of answer and of credentials
SEPARATE = {
    "examples/sms_api/send_sms.py",
    "examples/groups_api/export_group_to_csv.py",
    "examples/groups_api/export_group_to_xlsx.py",
    "examples/applications_api/get_scopes.py",
    "examples/oauth_api/get_access_token.py",
}
ARGS = {"examples/flows/webhook_receiver.py": ["--self-test"]}
# what each flow must print (generated scripts are checked by the kind of answer they print)
FLOW_OUTPUT = {
    "examples/flows/quickstart.py": ["Delivery report:", "'status': 'DELIVERED'"],
    "examples/flows/send_and_track.py": ["report: SENT", "report: DELIVERED", "dlr_update: DELIVERED"],
    "examples/flows/otp_sign_in.py": ["The sandbox sent the PIN", "Verification: VERIFIED"],
    "examples/flows/otp_sign_in_async.py": [
        "+33612345679: typo refused=True, PIN",
        "-> signed in=True",
        "Signed in concurrently: 3",
    ],
    "examples/flows/bulk_campaign_to_group.py": [
        "Added 3 contacts",
        "DELIVERED  Hi Alice",
        "FAILED     Hi Bruno",
    ],
    "examples/flows/webhook_receiver.py": ["dlr_update on /smscx/callbacks (1 item)", "answered 200"],
}
# taken before any script runs: in-process runs change os.environ while subprocesses start
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("SMSCX_")}


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float


def _settings(sb: Any) -> Dict[str, str]:
    return {
        "SMSCX_HOST": sb.url,
        "SMSCX_API_KEY": sb.api_key,
        "SMSCX_APP_ID": sb.app_id,
        "SMSCX_APP_SECRET": sb.app_secret,
    }


def _run_process(script: str, sb: Optional[Any]) -> Run:
    """``python <script>`` with the sandbox's settings (none for the embedded quick start)."""
    path = script.split(" ", 1)[0]
    env = dict(BASE_ENV, PYTHONPATH=str(ROOT), **(_settings(sb) if sb is not None else {}))
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, path, *ARGS.get(path, [])],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(out.returncode, out.stdout, out.stderr, time.monotonic() - started)


def _run_here(script: str, sb: Any) -> Run:
    """The script as ``__main__`` in this process, its environment and output swapped in."""
    settings = _settings(sb)
    saved = {k: os.environ.get(k) for k in settings}
    argv, out, err = sys.argv, io.StringIO(), io.StringIO()
    os.environ.update(settings)
    sys.argv = [script]
    code = 0
    started = time.monotonic()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            runpy.run_path(str(ROOT / script), run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        if isinstance(exc.code, str):
            err.write(exc.code)
    finally:
        sys.argv = argv
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return Run(code, out.getvalue(), err.getvalue(), time.monotonic() - started)


def _selected(request: Any) -> List[str]:
    """The scripts of the tests pytest is about to run (all of them unless -k or a node id narrows it)."""
    wanted = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is request.module and callspec is not None and "script" in callspec.params:
            wanted.append(callspec.params["script"])
    return wanted


@pytest.fixture(scope="module")
def runs(request: Any) -> Dict[str, Run]:
    """Every selected script's run: subprocesses on a pool of sandboxes while the rest run here."""
    scripts = _selected(request)
    apart = [s for s in scripts if s in SEPARATE or s not in GENERATED]
    here = [s for s in scripts if s not in apart]
    workers = 2
    sandboxes = [Sandbox(examples=True).start() for _ in range(workers + 1)]
    for sb in sandboxes:
        _record_answers(sb)
    free: "queue.Queue[Any]" = queue.Queue()
    for sb in sandboxes[1:]:
        free.put(sb)

    def apart_run(script: str) -> Run:
        if script == EMBEDDED:
            return _run_process(script, None)
        sb = free.get()
        try:
            assert sb.control("POST", "reset") == {"reset": True}
            return _run_process(script, sb)
        finally:
            free.put(sb)

    results: Dict[str, Run] = {}
    try:
        with ThreadPoolExecutor(workers) as pool:
            pending = {s: pool.submit(apart_run, s) for s in apart}
            for script in here:
                assert sandboxes[0].control("POST", "reset") == {"reset": True}
                results[script] = _run_here(script, sandboxes[0])
            results.update((s, f.result()) for s, f in pending.items())
    finally:
        for sb in sandboxes:
            sb.stop()
    return results


# every (method, path, status, content type, body) a sandbox answered while the scripts ran
ANSWERS: List[Tuple[str, str, int, str, bytes]] = []


def _record_answers(sb: Any) -> None:
    """Keep a copy of each answer the sandbox's app gives (the scripts' requests are untouched)."""
    app = sb._server.app
    handle = app.handle

    def recording(req: Any) -> Any:
        reply = handle(req)
        ANSWERS.append((req.method, req.path, reply.status, reply.content_type, reply.payload()))
        return reply

    app.handle = recording


SPEC = ir.load()
OPS = {"examples/{}/{}.py".format(a.module, op.name): op for a in SPEC.apis for op in a.operations}


def test_one_generated_script_per_method() -> None:
    assert sorted(OPS) == GENERATED and len(GENERATED) == 101


@pytest.mark.parametrize("script", GENERATED)
def test_generated_example_runs(runs: Dict[str, Run], script: str) -> None:
    run = runs[script]
    assert run.code == 0, run.stderr
    op, out = OPS[script], run.stdout
    if op.response_kind == "xlsx":
        saved = Path(out.split("Saved the XLSX file as ", 1)[1].strip())
        assert saved.read_bytes()[:2] == b"PK"  # a zip: the workbook
        delete_download(saved)  # the file and its folder: the script leaves them to its user
        assert not saved.parent.exists()
    elif op.response_kind == "csv":
        assert "," in out.splitlines()[0]  # the header row
    elif op.response_kind == "list":
        assert out.split() == sorted(out.split()) and "sms" in out.split()
    else:
        assert out.startswith("{'") and out.rstrip().endswith("}"), out  # the model, as printed


@pytest.mark.parametrize("script", FLOWS + [EMBEDDED])
def test_flow_runs(runs: Dict[str, Run], script: str) -> None:
    run = runs[script]
    assert run.code == 0, run.stdout + run.stderr
    for text in FLOW_OUTPUT[script.split(" ", 1)[0]]:
        assert text in run.stdout
    if script == EMBEDDED:
        assert run.stdout.startswith("Started a sandbox at http://127.0.0.1:")


def test_all_examples_are_fast(runs: Dict[str, Run]) -> None:
    slow = {k: round(r.seconds, 1) for k, r in runs.items() if r.seconds > 10}
    assert not slow


def test_a_script_needs_the_api_key() -> None:
    env = dict(BASE_ENV, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "examples/sms_api/send_sms.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1 and "Set SMSCX_API_KEY" in out.stderr


# -- how a failure is told -----------------------------------------------------------------------
CALLING = ["examples/sms_api/send_sms.py"] + [f for f in FLOWS if f != "examples/flows/webhook_receiver.py"]


def _run_with(scripts: List[str], host: str, api_key: str) -> Dict[str, "subprocess.CompletedProcess[str]"]:
    env = dict(BASE_ENV, PYTHONPATH=str(ROOT), SMSCX_HOST=host, SMSCX_API_KEY=api_key)

    def run(script: str) -> "subprocess.CompletedProcess[str]":
        command = [sys.executable, script]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    with ThreadPoolExecutor(2) as pool:
        return dict(zip(scripts, pool.map(run, scripts)))


def test_no_answer_is_told_by_the_connection_error() -> None:
    import socket

    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        host = "http://127.0.0.1:{}".format(closed.getsockname()[1])
        outs = _run_with(CALLING, host, "example-key-000000")
    for script, out in outs.items():
        assert out.returncode == 1, (script, out.stdout, out.stderr)
        assert "Failed: ApiConnectionError: " in out.stderr, (script, out.stderr)
        assert "Connection refused" in out.stderr and "HTTP 0" not in out.stderr, (script, out.stderr)


def _readme_send_snippet() -> str:
    text = (ROOT / "README.md").read_text()
    block = text.split("## Send an SMS", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    assert 'Configuration(api_key="YOUR_API_KEY")' in block
    return block


@pytest.mark.parametrize("answer", ["refused", "401"])
def test_the_readme_snippet_tells_what_failed(answer: str) -> None:
    import socket

    with socket.socket() as closed, Sandbox() as sb:
        closed.bind(("127.0.0.1", 0))
        host = "http://127.0.0.1:{}".format(closed.getsockname()[1]) if answer == "refused" else sb.url
        code = _readme_send_snippet().replace(
            'Configuration(api_key="YOUR_API_KEY")', "Configuration(host={!r}, api_key='k' * 16)".format(host)
        )
        out = io.StringIO()
        with redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    if answer == "refused":
        assert out.getvalue().startswith("Failed: ApiConnectionError: ") and "Connection refused" in out.getvalue()
    else:
        assert out.getvalue().startswith("Failed: HTTP 401 invalid_api_key 1001 ")


def test_an_api_error_is_told_by_its_status_and_code() -> None:
    with Sandbox() as sb:
        outs = _run_with(CALLING, sb.url, "wrong-key-000000")
    for script, out in outs.items():
        assert out.returncode == 1, (script, out.stdout, out.stderr)
        assert "Failed: HTTP 401 " in out.stderr, (script, out.stderr)


# -- the example records --------------------------------------------------------------------------
def test_example_records_are_opt_in() -> None:
    with Sandbox() as plain, Sandbox(examples=True) as seeded:
        assert plain.messages == [] and plain.balance == seeded.balance == 100
        assert [m["msgId"] for m in seeded.messages if m["campaignId"] == EXAMPLE_IDS["campaignId"]][0] == (
            EXAMPLE_IDS["msgId"]
        )
        seeded.reset()  # a reset brings them back, as they were
        assert {m["status"] for m in seeded.messages if m["campaignId"] == EXAMPLE_IDS["campaignId"]} == {
            "DELIVERED",
            "FAILED",
        }


@pytest.mark.parametrize("flag, groups", [([], 1), (["--no-examples"], 0)])
def test_the_command_line_holds_the_example_records_unless_told_not_to(flag: List[str], groups: int) -> None:
    command = [sys.executable, "-m", "smscx_client.sandbox", "--port", "0", *flag]
    env = dict(BASE_ENV, PYTHONPATH=str(ROOT))
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as cli:
        try:
            assert cli.stdout is not None
            banner = "".join(cli.stdout.readline() for _ in range(6))
            url = banner.split("\n", 1)[0].rsplit(" ", 1)[1]
            assert ("example ids:    groupId=1" in banner) == bool(groups)
            req = urllib.request.Request(url + "/groups", headers={"X-API-KEY": "sandbox-api-key"})
            with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - our own loopback server
                assert len(json.loads(resp.read())["data"]) == groups
        finally:
            cli.terminate()


def test_conversation_id_is_the_one_the_backend_derives() -> None:
    from smscx_client.sandbox.backends.conversations import conversation_id

    assert conversation_id("+33612345678", "sms") == EXAMPLE_IDS["conversationId"]


def test_the_sandbox_guide_lists_every_example_id() -> None:
    guide = (ROOT / "docs" / "guides" / "sandbox.md").read_text()
    for key, value in EXAMPLE_IDS.items():
        assert "`{}`".format(key) in guide and "`{}`".format(value) in guide, key


def test_every_id_in_the_spec_examples_is_an_example_record() -> None:
    ids = set(EXAMPLE_IDS.values())
    for op in SPEC.operations:
        for p in op.params:
            if p.location == "path" and p.wire.endswith("Id"):
                assert p.example in ids, (op.name, p.wire)


# -- the generator ------------------------------------------------------------------------------------
def _op(spec: ir.Spec, name: str) -> ir.Operation:
    return next(op for op in spec.operations if op.name == name)


def _field(spec: ir.Spec, model: str, wire: str) -> ir.Field:
    return next(f for f in spec.models[model].fields if f.wire == wire)


def _param(spec: ir.Spec, op: str, wire: str) -> ir.Param:
    return next(p for p in _op(spec, op).params if p.wire == wire)


@pytest.mark.parametrize(
    "op, change, message",
    [
        (
            "send_sms",
            lambda s: setattr(_field(s, "SendSmsMessageRequest", "text"), "example", ir.NO_EXAMPLE),
            r"^SendSmsMessageRequest\.text: no `example` for a required value",
        ),
        (
            "get_group_details",
            lambda s: setattr(_param(s, "get_group_details", "groupId"), "example", ir.NO_EXAMPLE),
            r"^get_group_details \(GET /groups/\{groupId\}\) parameter `groupId`: no `example`",
        ),
        (
            "get_advanced_report",
            lambda s: setattr(_param(s, "get_advanced_report", "period"), "example", ir.NO_EXAMPLE),
            r"^get_advanced_report .*one of the parameter groups",
        ),
        (
            "create_group",
            lambda s: setattr(_field(s, "NewGroupRequest", "name"), "example", "ab"),
            r"^NewGroupRequest\.name: example 'ab' breaks the length rule",
        ),
        (
            "send_multichannel_message",
            lambda s: setattr(
                _field(s, "SendMultichannelMessageRequest", "strategy"), "example", [{"templateId": 2}]
            ),
            r"^Strategy\.channel \(in the example of SendMultichannelMessageRequest\.strategy\[0\]\): no `example`",
        ),
    ],
    ids=["body-field", "path-param", "one-of-group", "breaks-schema", "nested-object"],
)
def test_generator_stops_on_a_missing_or_wrong_example(op: str, change: Any, message: str) -> None:
    spec = copy.deepcopy(SPEC)
    examples.build(_op(spec, op), spec)  # fine as the spec is
    change(spec)
    with pytest.raises(ir.SpecError, match=message):
        examples.build(_op(spec, op), spec)


def test_every_route_answers_as_its_schema_says(runs: Dict[str, Run]) -> None:
    # an independent check (jsonschema, formats on) of what the sandbox's strict mode checks itself:
    # the scripts call every route with the spec's examples, and each JSON answer must validate
    # against the schema the spec documents for its status
    import spec_validation as sv

    from smscx_client.sandbox._routing import match

    if len(runs) < len(GENERATED):
        pytest.skip("only some scripts ran (-k)")
    answered = set()
    for method, path, status, content_type, body in ANSWERS:
        route = match(method, path)[0]
        if route is None or path.startswith("/__sandbox/"):
            continue
        template = route[1]
        if content_type.startswith("application/json") and body:
            data = json.loads(body)
            assert sv.errors(sv.response_schema(method, template, status), data) == [], (method, path, status, data)
        if 200 <= status < 300:
            answered.add((method, template))
    every = {(op.method, op.path) for op in SPEC.operations}
    assert every - answered == set() and len(every) == 100
