"""The reference pages hold a snippet per method that runs, link to its script and back to the
index; every relative link of the docs resolves; nothing tells users to install from PyPI a
version without the sandbox."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from smscx_client import delete_download
from smscx_client.sandbox import Sandbox
from tools.codegen import ir

ROOT = Path(__file__).resolve().parents[2]
API_PAGES = sorted((ROOT / "docs" / "api").glob("*.md"))
SPEC = ir.load()
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _sections(page: Path) -> Dict[str, str]:
    """Each method's section of a class page, by method name."""
    parts = re.split(r"^## (\w+)$", page.read_text(), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def _snippets() -> List[Tuple[str, str]]:
    out = []
    for page in API_PAGES:
        for name, text in _sections(page).items():
            blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
            assert len(blocks) == 1, (page.name, name)
            out.append(("{}.{}".format(page.stem, name), blocks[0]))
    return out


def test_every_method_has_a_snippet_and_a_link_to_its_script() -> None:
    pages = {p.stem: p for p in API_PAGES}
    for api in SPEC.apis:
        sections = _sections(pages[api.cls])
        assert sorted(sections) == sorted(op.name for op in api.operations)
        for op in api.operations:
            script = "examples/{}/{}.py".format(api.module, op.name)
            assert "({})".format("../../" + script) in sections[op.name], (api.cls, op.name)
            assert "{}(client).{}(".format(api.cls, op.name) in sections[op.name]


def test_every_class_page_leads_back_to_the_index() -> None:
    for page in API_PAGES:
        lines = page.read_text().rstrip().splitlines()
        assert lines[1].startswith("[smscx_client reference](../README.md)"), page.name
        assert lines[-1] == "[Back to the smscx_client reference](../README.md)", page.name


def test_every_relative_link_of_the_docs_resolves() -> None:
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "examples" / "README.md"]
    pages += sorted((ROOT / "docs").rglob("*.md"))
    broken = []
    for page in pages:
        for target in LINK.findall(page.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (page.parent / target.split("#", 1)[0]).exists():
                broken.append("{}: {}".format(page.relative_to(ROOT), target))
    assert not broken


@pytest.fixture(scope="module")
def sandbox() -> Any:
    with Sandbox(examples=True) as sb:
        yield sb


@pytest.mark.parametrize("name, code", _snippets(), ids=[n for n, _ in _snippets()])
def test_the_snippet_runs_against_the_sandbox(sandbox: Any, name: str, code: str) -> None:
    assert sandbox.control("POST", "reset") == {"reset": True}
    config = "Configuration(host={!r}, api_key={!r}, username={!r}, password={!r})".format(
        sandbox.url, sandbox.api_key, sandbox.app_id, sandbox.app_secret
    )
    code, n = re.subn(r"Configuration\([^)]*\)", config, code)
    assert n == 1
    scope: Dict[str, Any] = {}
    exec(compile(code, name, "exec"), scope)  # noqa: S102 - the docs' own example
    result = scope["result"]
    if hasattr(result, "close"):  # an XLSX download: an open file in a folder of its own
        delete_download(result)


# -- installing ------------------------------------------------------------------------------------
def _tracked_text_files() -> List[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / f for f in out.stdout.splitlines() if f.endswith((".md", ".py", ".txt", ".cfg", ".toml", ".jinja"))]


def test_no_instruction_installs_the_sdk_from_pypi_without_the_sandbox() -> None:
    # the registry's smscx_client is 0.1.13, which has no sandbox: every install line names a clone or >=1
    bad = re.compile(r"""pip install\s+["']?smscx[_-]client(\[[a-z,]+\])?(?![\w\[=>])""")
    found = []
    for path in _tracked_text_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line):
                found.append("{}:{}: {}".format(path.relative_to(ROOT), number, line.strip()))
    assert not found


def test_a_missing_extra_names_what_to_install(mocker: Any) -> None:
    mocker.patch.dict(sys.modules, {"phonenumbers": None})  # as if the extra was not installed
    with pytest.raises(RuntimeError) as info:
        Sandbox()
    message = str(info.value)
    setup = (ROOT / "setup.py").read_text()
    for requirement in re.search(r'"sandbox": \[([^\]]*)\]', setup).group(1).split(","):  # type: ignore[union-attr]
        name, version = requirement.strip().strip('"').split(" >= ")
        assert '"{}>={}"'.format(name, version) in message
    assert "smscx_client[sandbox]" not in message and '".[sandbox]"' in message
