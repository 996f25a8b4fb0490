"""One version number, in docgen/__init__.py; pyproject.toml reads it and CHANGELOG.md describes it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import docgen
from tests.conftest import ROOT, run


def test_pyproject_takes_the_version_from_the_package():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in meta["project"] and "version" in meta["project"]["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "docgen.__version__"}


def test_the_changelog_has_an_entry_for_this_version():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", text, flags=re.M)
    assert versions and versions[0] == docgen.__version__
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))), reverse=True)


def test_docgen_version_prints_it(tmp_path: Path):
    result = run(tmp_path, "--version")
    assert result.exit_code == 0 and docgen.__version__ in result.output
