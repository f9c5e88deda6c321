"""The published smscx_client 0.1.13 in a throwaway virtualenv: the oracle of the compat tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import urllib3

LEGACY = "0.1.13"


def _pypi_reachable() -> bool:
    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
        return True
    except OSError:
        return False


def _venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.fixture(scope="session")
def legacy_python() -> str:
    """Python of a virtualenv holding smscx_client 0.1.13, cached under the system temp folder."""
    key = "smscx_client-{}-py{}.{}-urllib3-{}".format(LEGACY, *sys.version_info[:2], urllib3.__version__)
    # kept between runs: outside the suite's own temporary folder (test/conftest.py)
    root = Path(os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir()) / "smscx-legacy-venvs"
    target = root / key
    if (target / ".ready").exists():
        if _venv_python(target).exists():
            return str(_venv_python(target))
        shutil.rmtree(str(target), ignore_errors=True)  # its interpreter is gone: build it again
    root.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=key + ".", dir=str(root)))
    # from the real interpreter, not this virtualenv's link to it: CI deletes its virtualenvs, and
    # a cached legacy virtualenv made from one would point at nothing
    base_python = os.path.realpath(sys.executable)
    try:
        subprocess.run(
            [base_python, "-m", "venv", str(build)], check=True, capture_output=True, timeout=300
        )
        pip = subprocess.run(
            [str(_venv_python(build)), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--retries", "2",
             "smscx_client==" + LEGACY, "urllib3==" + urllib3.__version__],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if pip.returncode != 0:
            tail = "\n".join((pip.stdout + pip.stderr).strip().splitlines()[-5:])
            if not _pypi_reachable():
                pytest.skip("no network: cannot reach pypi.org to install smscx_client=={}".format(LEGACY))
            pytest.fail("pip install smscx_client=={} failed:\n{}".format(LEGACY, tail))
        (build / ".ready").touch()
        try:
            os.rename(str(build), str(target))  # atomic: a concurrent run may have won
        except OSError:
            pass
    finally:
        if build.exists():
            shutil.rmtree(str(build), ignore_errors=True)
    return str(_venv_python(target))


