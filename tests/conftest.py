"""Shared fixtures: a copy of the sample project in a temporary folder, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli import main

ROOT = Path(__file__).resolve().parent.parent
UNIT_A = "heluo-normal"
UNIT_B = "zhongyuan-zhiyu"
CALL = "luoyang-2026-waichu-gengang"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a fresh copy of data/ and templates/ that a test may edit."""
    shutil.copytree(ROOT / "samples", tmp_path / "data")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace *old* by *new* in a data file; fail loudly when *old* is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run(root: Path, *args: str):
    """Run the CLI in *root* and return click's result (exit_code, stdout, stderr)."""
    runner = CliRunner()
    return runner.invoke(main, ["--root", str(root), *args], catch_exceptions=False)


def files_under(folder: Path) -> set[str]:
    """Return the outputs under *folder* (relative paths), leaving out docgen's own build state (.docgen/)
    and its reports about the build (index.html, 检查报告.xlsx/.html at the top)."""
    reports = {"index.html", "检查报告.xlsx", "检查报告.html"}
    return {str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.is_file() and ".docgen" not in p.relative_to(folder).parts
            and str(p.relative_to(folder)) not in reports} if folder.exists() else set()
