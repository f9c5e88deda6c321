#!/usr/bin/env python
"""What the asyncio client costs on top of raw aiohttp + json, measured in one run.

    python benchmarks/bench_aio.py              # full run (about a minute)
    python benchmarks/bench_aio.py --quick      # fewer repetitions
    python benchmarks/bench_aio.py --enforce    # exit 1 when a target is missed

Rows (every number is a ratio against a baseline measured in the same run, against the same local
server returning the same bytes; nothing here asserts a timing):

  A  1,000 one-number ``AsyncSmsApi.send_sms`` awaited concurrently, at most 100 in flight:
     client CPU per call, against raw aiohttp (``ClientSession.post`` of ``json.dumps`` of the
     request, ``json.loads`` of the answer) doing the same 1,000 requests the same way, with the
     SDK's default timeouts (connect 10 s, read 60 s, 70 s in all). <= 1.3x; also shown, with no
     target, against raw aiohttp on its own default timeouts (a total only: one timer per
     request instead of three).
  B  the same, wall time for the thousand. <= 1.3x
  C  ``import smscx_client`` in a fresh interpreter, this checkout against ``--baseline-ref``
     (default ``main``, exported with ``git archive``), and aiohttp not loaded by it. <= 1.1x

The server is a minimal asyncio HTTP/1.1 server in a child process (keep-alive, Content-Length),
so its CPU is not counted in the client's. The SDK side and the raw side alternate in order, after
a warm-up round each; the table shows medians.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

CALLS = 1000
IN_FLIGHT = 100
TARGETS = {"A": 1.3, "B": 1.3, "C": 1.1}
PLAN = {"full": {"rounds": 9, "imports": 15}, "quick": {"rounds": 3, "imports": 7}}

ANSWER = json.dumps(
    {
        "info": {
            "campaignId": None,
            "totalPhoneNumbers": 1,
            "totalValid": 1,
            "totalInvalid": 0,
            "totalCost": 0.045,
            "totalParts": 1,
            "dlrCallbackUrl": None,
            "scheduled": False,
        },
        "data": [
            {
                "msgId": "91f9c9ee-4f59-4a70-a3c7-2a7f4f6b1c2d",
                "status": "ACCEPTED",
                "statusCode": 10,
                "errorCode": 0,
                "createdAt": "2023-06-23 14:26:10",
                "inQuietHours": False,
                "cost": 0.045,
                "to": "+33612345678",
                "countryIso": "FR",
                "from": "MyBrand",
                "text": "Your code is 1234",
                "parts": 1,
                "textAnalysis": {"encoding": "GSM_7BIT", "parts": 1, "characters": 17},
            }
        ],
    }
).encode()


# -- the server: its own process ----------------------------------------------------------------
class _Http(asyncio.Protocol):
    """Answers every request with ANSWER; reads Content-Length bodies; keeps the connection."""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.buffer = b""
        self.reply = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length = 0
            at = head.find(b"content-length:")
            if at >= 0:
                length = int(head[at + 15 : head.find(b"\r\n", at) if head.find(b"\r\n", at) > 0 else None].strip())
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length :]
            self.transport.write(self.reply)


def _serve(port_out: Any) -> None:
    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(_Http, "127.0.0.1", 0, backlog=1024)
        port_out.put(server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


# -- the two clients ------------------------------------------------------------------------------
async def _concurrently(call: Callable[[int], Any]) -> None:
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> None:
        async with gate:
            await call(i)

    await asyncio.gather(*(one(i) for i in range(CALLS)))


async def sdk_round(url: str) -> Tuple[float, float]:
    from smscx_client import Configuration
    from smscx_client.aio import AsyncApiClient, AsyncSmsApi
    from smscx_client.model.send_sms_message_request import SendSmsMessageRequest

    async with AsyncApiClient(Configuration(host=url, api_key="bench-key")) as client:
        sms = AsyncSmsApi(client)

        async def call(i: int) -> None:
            result = await sms.send_sms(SendSmsMessageRequest(["+33612345678"], "MyBrand", "Your code is 1234"))
            assert result.info.total_valid == 1

        await call(0)  # the connection and the first-use costs, outside the measure
        return await _timed(lambda: _concurrently(call))


async def raw_round(url: str, same_timeouts: bool = True) -> Tuple[float, float]:
    import aiohttp

    # the SDK's default timeouts, (10, 60) and their 70 s deadline, so that both sides keep the
    # same three timers per request (aiohttp's own default has a total only: see the last row)
    timeout = aiohttp.ClientTimeout(total=70, sock_connect=10, sock_read=60) if same_timeouts else aiohttp.ClientTimeout()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=IN_FLIGHT), timeout=timeout) as session:
        headers = {"X-API-KEY": "bench-key", "Content-Type": "application/json", "Accept": "application/json"}

        async def call(i: int) -> None:
            body = json.dumps({"to": ["+33612345678"], "from": "MyBrand", "text": "Your code is 1234", "idempotencyId": str(i)})
            async with session.post(url + "/sms", data=body.encode(), headers=headers) as resp:
                answer = json.loads(await resp.read())
            assert answer["info"]["totalValid"] == 1

        await call(0)
        return await _timed(lambda: _concurrently(call))


async def _timed(run: Callable[[], Any]) -> Tuple[float, float]:
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    await run()
    return time.process_time() - cpu, time.perf_counter() - wall


# -- import time ----------------------------------------------------------------------------------
_IMPORT = (
    "import sys, time; t = time.perf_counter(); import smscx_client; t = time.perf_counter() - t; "
    "print(t, 'aiohttp' in sys.modules, 'smscx_client.aio' in sys.modules)"
)


def _import_once(path: str) -> Tuple[float, bool]:
    env = dict(os.environ, PYTHONPATH=path)
    out = subprocess.run([sys.executable, "-S", "-c", "import sys; sys.path[:0] = ['{}']; ".format(path) + _IMPORT],
                         capture_output=True, text=True, env=env, check=True, cwd=tempfile.gettempdir()).stdout.split()  # fmt: skip
    return float(out[0]), out[1] == "True" or out[2] == "True"


def import_row(ref: str, repeats: int) -> Optional[Dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "base.tar")
        made = subprocess.run(["git", "-C", str(REPO), "archive", "-o", archive, ref, "smscx_client"], capture_output=True)
        if made.returncode != 0:
            print("(row C left out: cannot export {!r}: {})".format(ref, made.stderr.decode().strip()))
            return None
        base = os.path.join(tmp, "base")
        with tarfile.open(archive) as tar:
            tar.extractall(base)  # noqa: S202 - our own repository's archive
        ours: List[float] = []
        theirs: List[float] = []
        loads_aiohttp = False
        for i in range(repeats):
            for path, times in ((str(REPO), ours), (base, theirs)) if i % 2 == 0 else ((base, theirs), (str(REPO), ours)):
                seconds, loaded = _import_once(path)
                times.append(seconds)
                if path == str(REPO):
                    loads_aiohttp = loads_aiohttp or loaded
        return {"ours": statistics.median(ours), "base": statistics.median(theirs), "aiohttp": loads_aiohttp}


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--baseline-ref", default="main", help="git ref whose smscx_client import time row C compares with")
    args = parser.parse_args(argv)
    plan = PLAN["quick" if args.quick else "full"]

    queue: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(queue,), daemon=True)
    server.start()
    url = "http://127.0.0.1:{}".format(queue.get(timeout=30))
    try:
        sdk: List[Tuple[float, float]] = []
        raw: List[Tuple[float, float]] = []
        loose: List[Tuple[float, float]] = []  # raw with aiohttp's default timeouts, for reference

        def raw_loose(url: str) -> Any:
            return raw_round(url, same_timeouts=False)

        asyncio.run(sdk_round(url))  # warm-up: imports, first calls
        asyncio.run(raw_round(url))
        for i in range(plan["rounds"]):
            order = [(sdk_round, sdk), (raw_round, raw), (raw_loose, loose)]
            for run, out in order if i % 2 == 0 else order[::-1]:
                out.append(asyncio.run(run(url)))
    finally:
        server.terminate()
        server.join()

    cpu_sdk, cpu_raw, cpu_loose = (statistics.median(c for c, _ in r) for r in (sdk, raw, loose))
    wall_sdk, wall_raw = (statistics.median(w for _, w in r) for r in (sdk, raw))
    rows = [
        ("A", "client CPU per call, {} concurrent send_sms ({} in flight)".format(CALLS, IN_FLIGHT),
         cpu_sdk / CALLS * 1e6, cpu_raw / CALLS * 1e6, "us", cpu_sdk / cpu_raw),
        ("B", "wall time for the {}".format(CALLS), wall_sdk * 1e3, wall_raw * 1e3, "ms", wall_sdk / wall_raw),
    ]  # fmt: skip
    imports = import_row(args.baseline_ref, plan["imports"])
    if imports is not None:
        rows.append(("C", "import smscx_client (vs {})".format(args.baseline_ref), imports["ours"] * 1e3, imports["base"] * 1e3, "ms",
                     imports["ours"] / imports["base"]))  # fmt: skip
    print("{:<3} {:<52} {:>10} {:>10} {:>7} {:>7}".format("row", "measure", "SDK", "baseline", "ratio", "target"))
    missed = False
    for name, what, ours, base, unit, ratio in rows:
        ok = ratio <= TARGETS[name]
        missed = missed or not ok
        print("{:<3} {:<52} {:>8.1f}{:<2} {:>8.1f}{:<2} {:>6.2f}x {:>5.1f}x{}".format(
            name, what, ours, unit, base, unit, ratio, TARGETS[name], "" if ok else "  MISSED"))  # fmt: skip
    print("-   (no target) row A with the baseline on aiohttp's default timeouts (a total only): {:.1f}us, {:.2f}x".format(
        cpu_loose / CALLS * 1e6, cpu_sdk / cpu_loose))  # fmt: skip
    if imports is not None:
        print("C   import smscx_client loads aiohttp or smscx_client.aio: {}".format("YES (defect)" if imports["aiohttp"] else "no"))
        missed = missed or imports["aiohttp"]
    return 1 if (args.enforce and missed) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
