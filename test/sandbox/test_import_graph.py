"""The sandbox's modules import each other without a cycle, and each imports on its own.

``wire`` is the leaf that ``app``, ``control``, the server and the backends share; a cycle (even
one hidden in a function-level import) means two modules can only be loaded in one order.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Set

import smscx_client.sandbox

PACKAGE = "smscx_client.sandbox"
ROOT = Path(smscx_client.sandbox.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str) -> Optional[str]:
    """The sandbox module ``name`` is or lies in (None outside the sandbox)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(path: Path) -> Set[str]:
    """Sandbox modules imported anywhere in the file (function bodies too), bar TYPE_CHECKING blocks."""
    found: Set[str] = set()
    todo: List[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(filter(None, (_resolve(a.name) for a in node.names)))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from pkg import mod` imports the module pkg.mod; `from mod import name` imports mod
                target = _resolve(node.module + "." + alias.name) if node.module + "." + alias.name in MODULES else None
                found.add(target or _resolve(node.module) or "")
        todo.extend(ast.iter_child_nodes(node))
    found.discard("")
    return found


def _cycle(graph: Dict[str, Set[str]]) -> Optional[List[str]]:
    """One import cycle of ``graph``, or None."""
    state: Dict[str, int] = {}  # 1 on the current path, 2 done
    path: List[str] = []

    def visit(node: str) -> Optional[List[str]]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_graph_is_read() -> None:
    graph = {name: _imports(path) - {name} for name, path in MODULES.items()}
    # a few known edges, so that an empty graph cannot pass
    assert PACKAGE + ".wire" in graph[PACKAGE + ".app"]
    assert PACKAGE + ".wire" in graph[PACKAGE + ".control"]
    assert PACKAGE + ".control" in graph[PACKAGE + ".app"]
    assert PACKAGE + ".backends._hits" in graph[PACKAGE + ".backends.shortlinks"]


def test_no_import_cycle() -> None:
    graph = {name: _imports(path) - {name} for name, path in MODULES.items()}
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_wire_is_a_leaf() -> None:
    """``wire`` may use the state, the store and the errors, but nothing that handles requests."""
    reached = _imports(MODULES[PACKAGE + ".wire"])
    assert not reached & {PACKAGE + ".app", PACKAGE + ".control", PACKAGE + ".server"}
    assert not any(m.startswith(PACKAGE + ".backends.") for m in reached)


def test_each_module_imports_first() -> None:
    """Every module imports in an interpreter where no other sandbox module was loaded yet."""
    names = sorted(n for n in MODULES if not n.endswith("__main__"))
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.startswith('smscx_client')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append('{}: {!r}'.format(name, exc))\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
