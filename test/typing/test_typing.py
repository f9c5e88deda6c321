"""``mypy --strict`` on a small user app (``app/``), against the installed package.

The app is copied to a temporary folder and checked from there, so mypy finds ``smscx_client``
only as installed (with the README's editable install, through its ``.pth`` path), as a user's
project would. ``shop.py`` and ``shop_tests.py`` use models, responses, ``iter_items``,
``parse_callback``, the sandbox and the pytest fixture correctly and must be clean;
``mistakes.py`` marks each line that must get an error with ``# E: <part of the message>``.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

APP = Path(__file__).parent / "app"
MARK = re.compile(r"#\s*E:\s*(.+?)\s*$")
ERROR = re.compile(r"^(?P<file>[\w.]+\.py):(?P<line>\d+): error: (?P<message>.*)$")

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (test-requirements.txt installs it on Python >= 3.10)",
)


def _expected() -> Dict[Tuple[str, int], str]:
    """(file, line) -> the text its error must contain."""
    out = {}
    for path in sorted(APP.glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = MARK.search(line)
            if found:
                out[(path.name, number)] = found.group(1)
    return out


def _mypy(folder: Path) -> List[Tuple[str, int, str]]:
    files = sorted(p.name for p in APP.glob("*.py"))
    for name in files:
        shutil.copy(APP / name, folder / name)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file=", "--cache-dir", str(folder / ".mypy_cache"),
         "--no-error-summary", "--no-pretty", "--hide-error-context", *files],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # 2: mypy itself failed
    errors = []
    for line in proc.stdout.splitlines():
        m = ERROR.match(line)
        if m:
            errors.append((m["file"], int(m["line"]), m["message"]))
        elif ": error:" in line:
            pytest.fail("unexpected mypy output: " + line)
    return errors


def test_mypy_strict_catches_the_mistakes_and_passes_correct_use(tmp_path: Path) -> None:
    errors = _mypy(tmp_path)
    unseen = [e for e in errors if "smscx_client" in e[2] and "import" in e[2]]
    assert not unseen, (
        "mypy cannot see the installed smscx_client (an editable install through setuptools' "
        "import hook instead of a .pth path?): {}".format(unseen)
    )
    expected = _expected()
    assert len(expected) >= 10 and all(f == "mistakes.py" for f, _ in expected)
    unexpected = [e for e in errors if (e[0], e[1]) not in expected]
    assert not unexpected, "errors where none was expected:\n" + "\n".join(map(str, unexpected))
    for (name, line), text in sorted(expected.items()):
        messages = [m for f, n, m in errors if (f, n) == (name, line)]
        assert messages, "no error on {}:{} (expected one with {!r})".format(name, line, text)
        assert all(text in m for m in messages), (name, line, text, messages)
