"""Imports run one way: from the faces (cli) through the domains down to the shared stages.

Every module of the package is given a layer by its package; an import of a module in a
higher layer fails the test, naming the file and line. Within a package, modules may import
each other. Domains may import the application domain (``apply``), which owns calls, units
and their loading; no other domain imports another.
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "docgen"

# package → layer; lower layers never import higher ones
LAYERS = {
    "docgen": 0,  # the package root holds only the version
    "errors": 0,
    "models": 1,
    "text": 1,
    "load": 2,
    "outputs": 2,
    "rules": 3,
    "render": 3,
    "pdf": 3,
    "build": 4,
    "apply": 5,
    "sichuan": 6,
    "yearend": 6,
    "bureau": 6,
    "roster": 6,
    "similar": 6,
    "cli": 8,
    "desk": 7,  # the web desk; `docgen serve` (cli) starts it
}


def _module(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "docgen"


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "docgen":
                for alias in node.names:
                    yield node.lineno, f"docgen.{alias.name}" if alias.name != "__version__" else "docgen"
            elif node.module.startswith("docgen."):
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("docgen"):
                    yield node.lineno, alias.name


def test_every_package_has_a_layer():
    packages = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    packages |= {p.stem for p in PKG.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert packages - LAYERS.keys() == set(), "a new package needs its layer in LAYERS"


def test_imports_run_down_only():
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "__main__.py":
            continue
        here = _module(path)
        mine = _package(here)
        for line, target in _imports(path):
            theirs = _package(target)
            if theirs == mine:
                continue
            allowed = LAYERS[theirs] < LAYERS[mine]
            if allowed and LAYERS[mine] == LAYERS[theirs] == 6:
                allowed = False
            if not allowed:
                wrong.append(f"{path.relative_to(PKG.parent)}:{line}: {here} → {target}")
    assert wrong == [], "imports that run up or sideways:\n" + "\n".join(wrong)


def test_no_private_names_cross_packages():
    wrong = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mine = _package(_module(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("docgen.") \
                    and _package(node.module) != mine:
                wrong += [f"{path.relative_to(PKG.parent)}:{node.lineno}: {a.name}"
                          for a in node.names if a.name.startswith("_")]
    assert wrong == []
