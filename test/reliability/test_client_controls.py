"""Client controls: configuration from the environment, proxies, the User-Agent, the throttle.

The environment is read in subprocesses (the variables never leak into this process); proxies are
exercised through a small forward proxy on loopback; the throttle against the sandbox's own rate
limit.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, Iterator, List
from urllib.parse import urlsplit

import pytest

import smscx_client
from smscx_client import ApiClient, Configuration, RateLimitExceededException
from smscx_client.api.account_api import AccountApi
from smscx_client.api.numbers_api import NumbersApi

ROOT = Path(__file__).resolve().parents[2]
_ENV_NAMES = ("SMSCX_HOST", "SMSCX_API_KEY", "SMSCX_ACCESS_TOKEN", "SMSCX_APP_ID", "SMSCX_APP_SECRET")
_PROXY_NAMES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy")


def _run(code: str, **env: str) -> Dict[str, Any]:
    """Run ``code`` in a fresh interpreter with exactly these SMSCX_/proxy variables; its last
    printed line is JSON."""
    base = {k: v for k, v in os.environ.items() if k not in _ENV_NAMES + _PROXY_NAMES}
    base.update(env)
    base["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=base, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


_BALANCE = """
import json, smscx_client
from smscx_client.api.account_api import AccountApi
with smscx_client.ApiClient() as client:
    balance = AccountApi(client).get_account_balance()
    c = client.configuration
    print(json.dumps({"balance": balance.balance, "host": c.host, "key": c.api_key is not None,
                      "token": c.access_token is not None, "app": c.username}))
"""


# -- configuration from the environment -----------------------------------------------------


def test_a_client_with_no_arguments_reads_host_and_api_key(smscx_sandbox: Any) -> None:
    out = _run(_BALANCE, SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=smscx_sandbox.api_key)
    assert out == {"balance": 100.0, "host": smscx_sandbox.url, "key": True, "token": False, "app": None}


def test_an_application_id_and_secret_from_the_environment_get_a_token(smscx_sandbox: Any) -> None:
    out = _run(
        _BALANCE,
        SMSCX_HOST=smscx_sandbox.url,
        SMSCX_APP_ID=smscx_sandbox.app_id,
        SMSCX_APP_SECRET=smscx_sandbox.app_secret,
    )
    assert out["balance"] == 100.0 and out["app"] == smscx_sandbox.app_id and not out["key"]


def test_an_access_token_from_the_environment_is_sent(smscx_sandbox: Any) -> None:
    from smscx_client.api.oauth_api import OauthApi

    with smscx_sandbox.api_client(username=smscx_sandbox.app_id, password=smscx_sandbox.app_secret) as client:
        token = OauthApi(client).get_access_token(grant_type="client_credentials").access_token
    out = _run(_BALANCE, SMSCX_HOST=smscx_sandbox.url, SMSCX_ACCESS_TOKEN=token)
    assert out["balance"] == 100.0 and out["token"] and not out["key"]


def test_explicit_arguments_win_and_credentials_are_never_mixed() -> None:
    code = """
import json
from smscx_client import Configuration
explicit = Configuration(host="https://example.test", api_key="given")
env_only = Configuration()
off = Configuration(trust_env=False)
print(json.dumps({
    "explicit": [explicit.host, explicit.access_token, explicit.username],
    "env": [env_only.host, env_only.api_key is not None, env_only.access_token is not None],
    "off": [off.host, off.api_key, off.access_token],
}))
"""
    out = _run(code, SMSCX_HOST="http://127.0.0.1:1", SMSCX_API_KEY="k-env", SMSCX_ACCESS_TOKEN="t-env")
    assert out["explicit"] == ["https://example.test", None, None]
    assert out["env"] == ["http://127.0.0.1:1", True, True]
    assert out["off"] == ["https://api.sms.cx", None, None]


def test_a_host_from_the_environment_without_a_scheme_means_https() -> None:
    out = _run("import json, smscx_client; print(json.dumps(smscx_client.Configuration().host))", SMSCX_HOST="api.example.test")
    assert out == "https://api.example.test"


def test_the_sandbox_configuration_ignores_the_environment(smscx_sandbox: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("SMSCX_ACCESS_TOKEN", "not-for-the-sandbox")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    with smscx_sandbox.api_client() as client:
        assert client.configuration.access_token is None
        assert AccountApi(client).get_account_balance().balance == 100.0


# -- proxies --------------------------------------------------------------------------------


class _ForwardProxy:
    """A plain-HTTP forward proxy on loopback that records the absolute URLs it forwarded."""

    def __init__(self) -> None:
        self.seen: List[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                proxy.seen.append(self.command + " " + self.path)
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if not k.lower().startswith("proxy-")}
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                path = target.path + ("?" + target.query if target.query else "")
                upstream.request(self.command, path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:{}".format(self.server.server_address[1])
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def forward_proxy() -> Iterator[_ForwardProxy]:
    proxy = _ForwardProxy()
    yield proxy
    proxy.close()


def test_http_proxy_from_the_environment_carries_the_calls(smscx_sandbox: Any, forward_proxy: _ForwardProxy) -> None:
    out = _run(_BALANCE, SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=smscx_sandbox.api_key, HTTP_PROXY=forward_proxy.url)
    assert out["balance"] == 100.0
    assert forward_proxy.seen == ["GET {}/account/balance".format(smscx_sandbox.url)]


def test_no_proxy_and_trust_env_false_go_direct(smscx_sandbox: Any, forward_proxy: _ForwardProxy) -> None:
    env = dict(SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=smscx_sandbox.api_key, HTTP_PROXY=forward_proxy.url)
    assert _run(_BALANCE, NO_PROXY="127.0.0.1,localhost", **env)["balance"] == 100.0
    code = """
import json, os, smscx_client
from smscx_client.api.account_api import AccountApi
config = smscx_client.Configuration(host=os.environ["SMSCX_HOST"], api_key=os.environ["SMSCX_API_KEY"], trust_env=False)
with smscx_client.ApiClient(config) as client:
    print(json.dumps(AccountApi(client).get_account_balance().balance))
"""
    assert _run(code, **env) == 100.0
    assert forward_proxy.seen == []


def test_an_explicit_proxy_wins_over_the_environment(smscx_sandbox: Any, forward_proxy: _ForwardProxy, monkeypatch: Any) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    with smscx_sandbox.api_client(trust_env=True, proxy=forward_proxy.url) as client:
        assert AccountApi(client).get_account_balance().balance == 100.0
    assert forward_proxy.seen == ["GET {}/account/balance".format(smscx_sandbox.url)]


# -- User-Agent -----------------------------------------------------------------------------


def test_user_agent_names_sdk_python_os_and_the_app(wire: Any, make_client: Any) -> None:
    wire.reply({"balance": 1.0, "currency": "eur", "billing": "prepaid"}, {"balance": 1.0, "currency": "eur", "billing": "prepaid"})
    python = "python/{}.{}".format(*sys.version_info[:2])
    with make_client() as client:
        AccountApi(client).get_account_balance()
    assert wire.last.headers["User-Agent"] == "smscx-client/{} {} {}".format(smscx_client.__version__, python, sys.platform)
    try:
        smscx_client.set_app_info("shop-backend", "2.4.1", "https://example.com/shop")
        with make_client() as client:
            AccountApi(client).get_account_balance()
    finally:
        smscx_client.set_app_info(None)
    assert wire.last.headers["User-Agent"].endswith(" {} shop-backend/2.4.1 (+https://example.com/shop)".format(sys.platform))


@pytest.mark.parametrize(
    "args, named",
    [
        (("my app",), "name"),
        (("app", "1.0\r\nX-API-KEY: k"), "version"),
        (("app", "1", "https://user:secret@example.com"), "url"),
        (("app", "1", "https://example.com/?token=abc"), "url"),
    ],
)
def test_app_info_refuses_what_could_smuggle_a_header_or_a_secret(args: Any, named: str) -> None:
    with pytest.raises(ValueError, match=r"set_app_info\({}=".format(named)):
        smscx_client.set_app_info(*args)
    assert smscx_client.ApiClient(Configuration(trust_env=False)).user_agent.startswith("smscx-client/")


# -- client-side throttle -------------------------------------------------------------------


def _validate_from_threads(client: ApiClient, threads: int, calls: int) -> List[BaseException]:
    errors: List[BaseException] = []
    api = NumbersApi(client)

    def work() -> None:
        for _ in range(calls):
            try:
                api.validate_number("+33612345678")
            except BaseException as exc:  # noqa: B036 - collected and reported by the test
                errors.append(exc)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


@pytest.mark.smscx_sandbox(rate_limit=(12, 0.5))
def test_the_throttle_keeps_eight_threads_under_the_limit(smscx_sandbox: Any) -> None:
    # max_retries=0: a single 429 would surface as an error
    with smscx_sandbox.api_client(rate_limit=(12, 0.5), max_retries=0) as client:
        assert _validate_from_threads(client, threads=8, calls=5) == []


@pytest.mark.smscx_sandbox(rate_limit=(12, 0.5))
def test_without_the_throttle_the_same_load_is_refused(smscx_sandbox: Any) -> None:
    # the control of the test above: the load really is over the limit
    with smscx_sandbox.api_client(max_retries=0) as client:
        errors = _validate_from_threads(client, threads=8, calls=5)
    assert errors and all(isinstance(e, RateLimitExceededException) for e in errors)


@pytest.mark.smscx_sandbox(rate_limit=(6, 0.5))
def test_the_throttle_slows_down_after_a_429(smscx_sandbox: Any) -> None:
    # the client believes it may make 24 calls per half second; the account allows 6
    with smscx_sandbox.api_client(rate_limit=(24, 0.5), max_retries=8, max_rate_limit_wait=5) as client:
        assert _validate_from_threads(client, threads=8, calls=3) == []
        throttle = client._throttle
        assert throttle is not None and throttle.pace < 24


@pytest.mark.parametrize("setting", [(0, 1), (5, 0), ("5", 1), (True, 1)])
def test_a_wrong_rate_limit_is_named(smscx_sandbox: Any, setting: Any) -> None:
    with smscx_sandbox.api_client(rate_limit=setting) as client:
        with pytest.raises(ValueError, match=r"Configuration\.rate_limit takes \(requests, seconds\)"):
            AccountApi(client).get_account_balance()


# -- the README's snippets ------------------------------------------------------------------


def _readme_control_snippets() -> List[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Client controls\n", 1)[1].split("\n## ", 1)[0]
    import re

    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


@pytest.mark.parametrize("index", range(len(_readme_control_snippets())))
def test_the_readme_snippets_of_client_controls_run(smscx_sandbox: Any, index: int) -> None:
    code = _readme_control_snippets()[index] + "\nprint('null')\n"
    assert _run(code, SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=smscx_sandbox.api_key) is None


_ASYNC_BALANCE = """
import asyncio, json
from smscx_client.aio import AsyncAccountApi, AsyncApiClient

async def main():
    async with AsyncApiClient() as client:
        print(json.dumps((await AsyncAccountApi(client).get_account_balance()).balance))

asyncio.run(main())
"""


def test_the_asyncio_client_reads_the_environment_and_its_proxy(smscx_sandbox: Any, forward_proxy: _ForwardProxy) -> None:
    pytest.importorskip("aiohttp")
    env = dict(SMSCX_HOST=smscx_sandbox.url, SMSCX_API_KEY=smscx_sandbox.api_key, HTTP_PROXY=forward_proxy.url)
    assert _run(_ASYNC_BALANCE, **env) == 100.0
    assert forward_proxy.seen == ["GET {}/account/balance".format(smscx_sandbox.url)]
    assert _run(_ASYNC_BALANCE, NO_PROXY="127.0.0.1", **env) == 100.0
    assert len(forward_proxy.seen) == 1  # NO_PROXY: straight to the sandbox
