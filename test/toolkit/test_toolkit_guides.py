"""The toolkit's guides and the README's "From the shell" run as written: their Python blocks,
and every `smscx` line of their shell blocks against the sandbox (the outputs they show, where
shown in full, are the real ones)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from smscx_client.sandbox import EXAMPLE_IDS, Sandbox

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "docs" / "guides" / name for name in ("text.md", "phones.md", "cli.md")]
pytestmark = pytest.mark.smscx_sandbox(examples=True)


def _pages() -> List[Tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shell = readme.split("\n## From the shell\n", 1)[1].split("\n## ", 1)[0]
    return [(page.stem, page.read_text(encoding="utf-8")) for page in GUIDES] + [("README", shell)]


def _blocks(kind: str) -> List[Tuple[str, str]]:
    out = []
    for name, text in _pages():
        for i, block in enumerate(re.findall(r"```{}\n(.*?)```".format(kind), text, flags=re.S)):
            out.append(("{}#{}".format(name, i), block))
    return out


def _commands() -> List[Tuple[str, str]]:
    out = []
    for name, block in _blocks("sh"):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith("smscx ") and not line.endswith("&"):  # a server in the background: the fixture
                out.append((name, line))
    return out


def _run(sb: Sandbox, line: str, cwd: Path) -> "subprocess.CompletedProcess[str]":
    env: Dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith("SMSCX_")}
    env.update(SMSCX_HOST=sb.url, SMSCX_API_KEY=sb.api_key)
    words = shlex.split(line.split(" | ")[0])  # `| head`: the command alone
    return subprocess.run([sys.executable, "-m", "smscx_client.cli", *words[1:]], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


@pytest.mark.parametrize("name, code", _blocks("python"), ids=[n for n, _ in _blocks("python")])
def test_the_python_blocks_run(name: str, code: str, capsys: Any) -> None:
    exec(compile(code, name, "exec"), {})  # noqa: S102 - the guide's own example


@pytest.mark.parametrize("name, line", _commands(), ids=["{}: {}".format(n, c[:50]) for n, c in _commands()])
def test_the_smscx_lines_run_against_the_sandbox(smscx_sandbox: Sandbox, tmp_path: Path, name: str, line: str) -> None:
    (tmp_path / "numbers.csv").write_text("phone,name\n+33612345678,Jean\n+33687654321,Marie\n", encoding="utf-8")
    done = _run(smscx_sandbox, line, tmp_path)
    assert done.returncode == 0, done.stderr
    for word in line.split():
        if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f-]{27}", word):
            assert word in EXAMPLE_IDS.values()  # the ids shown are the sandbox's example records


def test_the_outputs_shown_are_the_real_ones(smscx_sandbox: Sandbox, tmp_path: Path) -> None:
    checked = 0
    for _, block in _blocks("text"):
        if "..." in block:  # an abridged illustration
            continue
        lines = block.strip().splitlines()
        for index, line in enumerate(lines):
            if line.startswith("$ smscx "):
                expected = []
                for follow in lines[index + 1 :]:
                    if follow.startswith("$ "):
                        break
                    expected.append(follow)
                done = _run(smscx_sandbox, line[2:], tmp_path)
                assert (done.stdout + done.stderr).strip().splitlines() == expected
                checked += 1
    assert checked >= 2
