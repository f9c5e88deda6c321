"""``python -m tools.codegen [--check]``: regenerate, or fail when the committed files differ."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

from tools.codegen import ir, render


def _owned(root: Path) -> List[Path]:
    """The generated files and folders present under ``root`` (``OWNED`` entries may be globs)."""
    out: List[Path] = []
    for rel in render.OWNED:
        out.extend(sorted(root.glob(rel)) if "*" in rel else [root / rel])
    return out


def _owned_files(root: Path) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for p in _owned(root):
        if p.is_file():
            out[str(p.relative_to(root))] = p.read_text()
        elif p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and "__pycache__" not in f.parts:
                    out[str(f.relative_to(root))] = f.read_text()
    return out


def write(files: Dict[str, str], root: Path) -> None:
    """Replace the generated folders under ``root`` with ``files``."""
    for p in _owned(root):
        if p.is_dir():
            shutil.rmtree(p)
        elif p.is_file():
            p.unlink()
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)


def main(argv: List[str]) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="regenerate into a temporary folder and diff")
    args = parser.parse_args(argv)
    spec = ir.load()
    files = render.Renderer(spec, ir.ROOT).render_all()
    if not args.check:
        write(files, ir.ROOT)
        print("generated {} files from spec/openapi.yaml".format(len(files)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        write(files, Path(tmp))
        fresh = _owned_files(Path(tmp))
    current = _owned_files(ir.ROOT)
    changed = sorted(k for k in set(fresh) | set(current) if fresh.get(k) != current.get(k))
    if changed:
        print("generated files are out of date ({}); run scripts/codegen:".format(len(changed)))
        for name in changed[:30]:
            state = "missing" if name not in current else "extra" if name not in fresh else "differs"
            print("  {} ({})".format(name, state))
        return 1
    print("generated files are up to date ({} files)".format(len(fresh)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
