"""Shared fixtures: a scriptable loopback server and clients pointed at it."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from typing import Any, Callable, Iterator, List

import pytest
from secrets_scan import TEST_KEY, leaked_secrets
from wire import WireServer

import smscx_client

# Every sandbox the suite starts (the plugin's, a test's own, a CLI subprocess) checks each JSON
# answer against the documented response schema and answers 500 naming the broken rule, so any
# answer any test receives conforms to the spec. Set before any sandbox exists.
os.environ["SMSCX_SANDBOX_STRICT"] = "1"
# A client made with no arguments reads SMSCX_* from the environment: a developer's own key or
# host must not reach the suite (tests that need them set them in a subprocess).
for _name in ("SMSCX_HOST", "SMSCX_API_KEY", "SMSCX_ACCESS_TOKEN", "SMSCX_APP_ID", "SMSCX_APP_SECRET"):
    os.environ.pop(_name, None)


@pytest.fixture
def wire() -> Iterator[WireServer]:
    """A loopback server recording requests and answering from a queue."""
    with WireServer() as server:
        yield server


@pytest.fixture
def make_client(wire: WireServer) -> Callable[..., smscx_client.ApiClient]:
    """``make_client(**config_settings)``: an ApiClient pointed at ``wire``, no retries by default."""

    def factory(**settings: Any) -> smscx_client.ApiClient:
        settings.setdefault("api_key", TEST_KEY)
        settings.setdefault("max_retries", 0)
        config = smscx_client.Configuration(host=wire.url, **settings)
        return smscx_client.ApiClient(config)

    return factory


@pytest.fixture(params=["sync", "async"])
def sdk(request: Any) -> Iterator[Any]:
    """The synchronous or the asyncio client behind one blocking face (``flavours.py``): a test
    taking it runs against both."""
    import flavours

    if request.param == "async":
        pytest.importorskip("aiohttp")
    flavour = flavours.make(request.param)
    try:
        yield flavour
    finally:
        flavour.close()


# -- secrets: the whole suite runs with the smscx_client logger at DEBUG, and no known secret
# (``secrets_scan.KNOWN_SECRETS``) may appear in anything it logged ------------------------------


class _LogCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # pragma: no cover - a broken record must not break the suite
            self.lines.append(repr(record.msg))


_COLLECTOR = _LogCollector()


# Every exception, Configuration and ApiClient the suite creates is kept, and its str/repr is
# scanned at the end as well: a secret must not reach the text a user would log or print.
_CREATED: list = []


def _track(cls: Any) -> None:
    original = cls.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        _CREATED.append(self)

    cls.__init__ = init


# -- downloads: the suite runs with a temporary folder of its own (subprocesses too, via TMPDIR), and
# fails if it leaves an exported file there; pytest's tmp_path folders stay where they were -------

_SUITE_TEMP: List[str] = []
_DOWNLOAD_FOLDER = re.compile(r"smscx-[a-z0-9_]{8}$")


def _use_a_temp_folder_of_our_own() -> None:
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix="smscx-suite-")
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    _SUITE_TEMP.append(folder)


def _left_downloads() -> List[str]:
    """What the suite left in its temporary folder: the SDK's download folders and their files."""
    if not _SUITE_TEMP:
        return []
    folder = _SUITE_TEMP[0]
    left = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if _DOWNLOAD_FOLDER.match(name) and os.path.isdir(path):  # tempfile.mkdtemp(prefix="smscx-")
            left.append(name + "/" + ", ".join(os.listdir(path)))
        elif name.startswith("smscx-") and name.endswith((".xlsx", ".csv")):  # the 1.0 layout
            left.append(name)
    return left


# pytest-asyncio 1.2 (the last for Python 3.9) asks asyncio.get_event_loop() for the loop to put
# back after each async test; with none set, that makes a loop nobody closes, whose sockets then
# warn in whatever test collects them. One loop of the session's, closed at its end, is what it finds.
_MAIN_LOOP: List[Any] = []


def pytest_configure(config: Any) -> None:
    if sys.version_info < (3, 10):
        import asyncio

        _MAIN_LOOP.append(asyncio.new_event_loop())
        asyncio.set_event_loop(_MAIN_LOOP[0])
    _use_a_temp_folder_of_our_own()
    sdk_logger = logging.getLogger("smscx_client")
    sdk_logger.setLevel(logging.DEBUG)
    sdk_logger.addHandler(_COLLECTOR)
    from smscx_client import exceptions

    for cls in (exceptions.ApiException, smscx_client.Configuration, smscx_client.ApiClient):
        _track(cls)
    try:
        from smscx_client.aio import AsyncApiClient
    except ImportError:  # pragma: no cover - the async extra is part of the test install
        pass
    else:
        _track(AsyncApiClient)


def _rendered() -> Iterator[str]:
    for obj in _CREATED:
        yield repr(obj)
        yield str(obj)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    for loop in _MAIN_LOOP:
        loop.close()
    leaks = leaked_secrets(_COLLECTOR.lines) + leaked_secrets(_rendered())
    report = session.config.pluginmanager.get_plugin("terminalreporter")
    left = _left_downloads()
    shutil.rmtree(_SUITE_TEMP[0], ignore_errors=True)
    if left:
        if report is not None:
            report.write_line("DOWNLOADS LEFT in the temporary folder: {}".format(left), red=True)
        session.exitstatus = 1
    if report is not None:
        report.write_line("secrets scan: {} log lines, {} exception/configuration/client texts".format(len(_COLLECTOR.lines), 2 * len(_CREATED)))
    if leaks:
        if report is not None:
            report.write_line("SECRET LEAK: {} text(s), e.g. {}".format(len(leaks), leaks[:3]), red=True)
        session.exitstatus = 1
