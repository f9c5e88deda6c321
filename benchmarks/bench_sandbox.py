#!/usr/bin/env python
"""How many one-number ``send_sms`` requests per second the sandbox answers over loopback.

Every figure is also given as a ratio against a baseline measured in the same run on the same
machine: a bare ``http.server`` (HTTP/1.1 keep-alive, the same stdlib machinery the sandbox runs
on) that reads the request and answers a fixed JSON body of the same size. Nothing here asserts a
timing (see README.md).

    python benchmarks/bench_sandbox.py                 # full run (about a minute)
    python benchmarks/bench_sandbox.py --quick         # three short rounds per measurement
    python benchmarks/bench_sandbox.py --json out.json # also keep the raw figures
    python benchmarks/bench_sandbox.py --profile prof.txt   # cProfile of the sandbox's threads
    python benchmarks/bench_sandbox.py --against ../main    # also another checkout's sandbox

Layout: each server runs in its own child process (``--serve sandbox|baseline``), so that the
load generator in this process does not share a GIL with it. The load generator keeps one
keep-alive connection per thread and speaks HTTP on raw sockets (pre-built headers, a fresh
``idempotencyId`` per request, as the SDK sends), so that nearly all the CPU it measures is the
server's.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_client import REPO, _revision, send_sms_response  # noqa: E402 - the client benchmark's shapes and helpers

API_KEY = "bench-key"
NUMBER = "+33612345678"
CONCURRENCY = (1, 4, 16)
# (seconds per round, rounds, warm-up seconds) per mode
PLAN = {"full": (1.0, 9, 0.5), "quick": (0.5, 3, 0.2)}


# -- servers (child processes) ----------------------------------------------------------------
def _baseline_body() -> bytes:
    """A one-number ``send_sms`` answer in the API's shape (what the sandbox answers, in size)."""
    return json.dumps(send_sms_response(1)).encode("utf-8")


def serve_baseline() -> Tuple[int, Any]:
    """A bare http.server answering ``_baseline_body()`` to every POST; returns (port, server)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = _baseline_body()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            json.loads(self.rfile.read(length))  # the sandbox parses the body too
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 1024

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server.server_address[1], server


def serve_sandbox(repo: Path) -> Tuple[int, Any]:
    """The sandbox of the checkout ``repo``, with a balance no run exhausts; returns (port, sandbox)."""
    sys.path.insert(0, str(repo))
    from smscx_client.sandbox import Sandbox

    sb = Sandbox(api_key=API_KEY, balance=1e12).start()
    return int(sb.url.rsplit(":", 1)[1]), sb


def _profile_threads(out: str) -> None:
    """Profile every request-handling thread of this process; write the merged stats to ``out``
    when the process is told to stop (SIGTERM)."""
    import cProfile
    import pstats
    from socketserver import BaseRequestHandler

    profiles: List[cProfile.Profile] = []
    lock = threading.Lock()
    original = BaseRequestHandler.__init__

    def profiled(self: Any, *args: Any) -> None:
        prof = cProfile.Profile()
        with lock:
            profiles.append(prof)
        prof.runcall(original, self, *args)

    BaseRequestHandler.__init__ = profiled  # type: ignore[method-assign]

    def dump(*_: Any) -> None:
        with lock:
            done = list(profiles)
        stats = pstats.Stats(done[0]) if done else None
        if stats is not None:
            for prof in done[1:]:
                stats.add(prof)
            with open(out, "w") as fh:
                stats.stream = fh  # type: ignore[attr-defined]
                stats.sort_stats("cumulative").print_stats(60)
                stats.sort_stats("tottime").print_stats(40)
        os._exit(0)

    signal.signal(signal.SIGTERM, dump)


def serve(kind: str, profile: Optional[str], repo: Path) -> None:
    """Child process: start the server, print its port, wait to be terminated."""
    if profile:
        _profile_threads(profile)
    port, _server = serve_baseline() if kind == "baseline" else serve_sandbox(repo)
    print(port, flush=True)
    while True:
        time.sleep(3600)


class Served(NamedTuple):
    """A server child: its port and process id."""

    port: int
    pid: int


def _cpu_seconds(pid: int) -> Optional[float]:
    """CPU time (user + system) a process used so far; None where /proc cannot tell."""
    try:
        with open("/proc/{}/stat".format(pid)) as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class Child:
    """``with Child("sandbox") as served:`` runs a server in a child process."""

    def __init__(self, kind: str, profile: Optional[str] = None, repo: Path = REPO) -> None:
        self.kind = kind
        self.profile = profile
        self.repo = repo
        self.proc: Optional["subprocess.Popen[str]"] = None

    def __enter__(self) -> Served:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--serve", self.kind, "--repo", str(self.repo)]
        if self.profile:
            cmd += ["--profile", self.profile]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=str(self.repo))
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.strip().isdigit():
            raise RuntimeError("the {} server did not start".format(self.kind))
        return Served(int(line), self.proc.pid)

    def __exit__(self, *exc: Any) -> None:
        assert self.proc is not None
        self.proc.terminate()
        self.proc.wait(30)


# -- the load generator -----------------------------------------------------------------------
def _request(port: int) -> bytes:
    """The bytes of one ``send_sms`` call to one number, as the SDK sends them."""
    body = json.dumps({"to": [NUMBER], "from": "MyBrand", "text": "Your code is 4321", "idempotencyId": str(uuid.uuid4())},
                      separators=(",", ":")).encode()
    head = (
        "POST /sms HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept-Encoding: identity\r\nUser-Agent: bench\r\n"
        "X-API-KEY: {}\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n"
    ).format(port, API_KEY, len(body))
    return head.encode() + body


def _exchange(sock: socket.socket, reader: Any, data: bytes) -> int:
    """Send one request on a keep-alive connection and read the whole answer; its status."""
    sock.sendall(data)
    status = int(reader.readline().split()[1])
    length = 0
    while True:
        line = reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    reader.read(length)
    return status


def load(port: int, connections: int, seconds: float) -> Tuple[int, int]:
    """(answers with status 200, other answers or errors) from ``connections`` threads, each on
    its own keep-alive connection, sending for ``seconds``."""
    counts = [[0, 0] for _ in range(connections)]
    start = threading.Barrier(connections + 1)
    deadline = [0.0]

    def run(slot: List[int]) -> None:
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = sock.makefile("rb")
        try:
            start.wait()
            while time.perf_counter() < deadline[0]:
                try:
                    ok = _exchange(sock, reader, _request(port)) == 200
                except (OSError, ValueError, IndexError):
                    slot[1] += 1
                    break
                slot[0 if ok else 1] += 1
        finally:
            reader.close()
            sock.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in counts]
    for t in threads:
        t.start()
    deadline[0] = time.perf_counter() + seconds
    start.wait()
    for t in threads:
        t.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _reset(port: int) -> None:
    """Empty the sandbox's outbox, so that every round starts from the same state (the garbage
    collector's passes grow with the objects kept)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/__sandbox/reset")
        conn.getresponse().read()
    finally:
        conn.close()


def measure(servers: Dict[str, Served], mode: str, concurrency: List[int]) -> Dict[int, Dict[str, List[float]]]:
    """Per concurrency and round: requests per second and CPU time per request (where /proc
    tells it) of each server. The servers are measured back to back, in an order that turns
    every round, so that other work on the machine moves all the figures of a round alike."""
    seconds, rounds, warm = PLAN[mode]
    kinds = list(servers)
    out: Dict[int, Dict[str, List[float]]] = {}
    for c in concurrency:
        for served in servers.values():
            load(served.port, c, warm)
        got: Dict[str, List[float]] = {k + suffix: [] for k in kinds for suffix in ("", "_cpu_us")}
        for r in range(rounds):
            for kind in kinds[r % len(kinds):] + kinds[:r % len(kinds)]:
                served = servers[kind]
                if kind != "baseline":
                    _reset(served.port)
                cpu = _cpu_seconds(served.pid)
                ok, failed = load(served.port, c, seconds)
                after = _cpu_seconds(served.pid)
                if failed:
                    raise RuntimeError("{} answered {} requests with an error at {} connections".format(kind, failed, c))
                got[kind].append(ok / seconds)
                if cpu is not None and after is not None and ok:
                    got[kind + "_cpu_us"].append((after - cpu) / ok * 1e6)
        out[c] = got
    return out


def _pairs(got: Dict[str, List[float]], a: str, b: str) -> float:
    """The median over the rounds of ``a``'s figure divided by ``b``'s in the same round."""
    return statistics.median(x / y for x, y in zip(got[a], got[b]))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one short round per measurement")
    parser.add_argument("--json", metavar="FILE", help="also write the raw figures here")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the sandbox's request threads into FILE")
    parser.add_argument("--connections", default=",".join(map(str, CONCURRENCY)), metavar="N,N",
                        help="concurrent connections to measure (default: %(default)s)")
    parser.add_argument("--against", metavar="DIR", type=Path,
                        help="also measure the sandbox of another checkout (e.g. a git worktree of main), round by round")
    parser.add_argument("--serve", choices=("sandbox", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--repo", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.profile, args.repo)
        return 0
    mode = "quick" if args.quick else "full"
    concurrency = [int(n) for n in args.connections.split(",")]
    print("smscx_client sandbox load, commit {}, Python {}, {} CPUs, mode {}".format(
        _revision(), sys.version.split()[0], os.cpu_count(), mode))
    with contextlib.ExitStack() as stack:
        servers = {"baseline": stack.enter_context(Child("baseline")),
                   "sandbox": stack.enter_context(Child("sandbox", args.profile))}
        if args.against:
            servers["against"] = stack.enter_context(Child("sandbox", repo=args.against.resolve()))
        rates = measure(servers, mode, concurrency)
    print("one-number send_sms over loopback, medians of the rounds: requests/s, and server CPU per request")
    print("{:<13}{:>10}{:>10}{:>8}{:>14}{:>14}".format("connections", "sandbox", "baseline", "ratio", "sandbox CPU", "baseline CPU"))
    report: Dict[str, Any] = {"revision": _revision(), "mode": mode, "rates": {}}

    def us(values: List[float]) -> str:
        return "{:.0f} us".format(statistics.median(values)) if values else "-"

    for c in concurrency:
        got = rates[c]
        print("{:<13}{:>10.0f}{:>10.0f}{:>8.2f}{:>14}{:>14}".format(
            c, statistics.median(got["sandbox"]), statistics.median(got["baseline"]), _pairs(got, "sandbox", "baseline"),
            us(got["sandbox_cpu_us"]), us(got["baseline_cpu_us"])))
        report["rates"][str(c)] = got
    if args.against:
        print("against {}: its requests/s and CPU per request, and this checkout's over its, round by round".format(
            args.against))
        print("{:<13}{:>10}{:>8}{:>14}{:>12}{:>12}".format("connections", "against", "ratio", "against CPU", "req/s x", "CPU x"))
        for c in concurrency:
            got = rates[c]
            cpu = _pairs(got, "sandbox_cpu_us", "against_cpu_us") if got["against_cpu_us"] else float("nan")
            print("{:<13}{:>10.0f}{:>8.2f}{:>14}{:>12.2f}{:>12.2f}".format(
                c, statistics.median(got["against"]), _pairs(got, "against", "baseline"), us(got["against_cpu_us"]),
                _pairs(got, "sandbox", "against"), cpu))
    if args.profile:
        print("profile of the sandbox written to {}".format(args.profile))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
