"""Every diagnostic code docgen prints is in the one catalog."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.errors import Diagnostic, Location, UnknownCode
from docgen.errors.catalog import CATALOG, markdown, readme_table

PKG = Path(__file__).resolve().parents[2] / "docgen"
CODE = re.compile(r'"([A-Z][0-9]{3})"')


def test_every_code_in_the_package_is_in_the_catalog():
    missing = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "catalog.py":
            continue
        text = path.read_text(encoding="utf-8")
        for m in CODE.finditer(text):
            if m.group(1) not in CATALOG:
                line = text[: m.start()].count("\n") + 1
                missing.append(f"{path.relative_to(PKG.parent)}:{line}: {m.group(1)}")
    assert missing == []


def test_every_entry_has_a_chinese_title():
    assert all(re.search(r"[\u4e00-\u9fff]", e.title) for e in CATALOG.values())


def test_every_entry_is_used_and_has_a_hint():
    """An entry no code literal uses is a stale meaning; every entry says what to do."""
    used = set()
    for path in PKG.rglob("*.py"):
        if path.name != "catalog.py":
            used |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert sorted(set(CATALOG) - used) == []
    assert [code for code, e in CATALOG.items() if not e.hint] == []


def test_entries_are_sorted_and_titles_are_one_line():
    assert list(CATALOG) == sorted(CATALOG)
    assert all("\n" not in e.title and "…" not in e.title for e in CATALOG.values())


def test_a_diagnostic_refuses_a_code_the_catalog_does_not_hold():
    with pytest.raises(UnknownCode):
        Diagnostic("Z999", "不存在的代码")


def test_a_diagnostic_without_a_hint_shows_the_catalogs_hint():
    d = Diagnostic("D131", "文件不是 UTF-8 编码", Location("a.yaml"))
    assert d.hint == CATALOG["D131"].hint
    assert d.format() == f"a.yaml: 错误[D131] 文件不是 UTF-8 编码\n  提示：{CATALOG['D131'].hint}"
    assert Diagnostic("D131", "x", hint="自己的提示").hint == "自己的提示"
    assert Diagnostic("D131", "x", hint="").format() == "错误[D131] x"
    assert d.title == "文件不是 UTF-8 编码"


README = PKG.parent / "README.md"


def test_the_readme_table_of_codes_is_generated_from_the_catalog():
    text = README.read_text(encoding="utf-8")
    start, end = readme_table(text)
    assert text[start:end] == markdown(), "run: python -m docgen.errors.catalog --update-readme README.md"


def test_every_code_the_readme_names_is_in_the_catalog():
    text = README.read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![A-Za-z0-9])([BCDFLOPTXY][0-9]{3})(?![0-9])", text))
    assert sorted(named - CATALOG.keys()) == []


def test_the_readme_template_table_lists_every_template_check_code():
    """The table under `docgen template check` has a row for each code the checker prints."""
    text = README.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| (T4[0-9]{2}) \| [^|]*\| [^|]*\|$", text, flags=re.M))
    inspect_codes = set()
    for path in (PKG / "render").rglob("*.py"):
        if "inspect" in path.parts or path.stem == "inspect":
            inspect_codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    assert inspect_codes and inspect_codes <= rows


def test_the_catalog_prints_its_table():
    out = subprocess.run([sys.executable, "-m", "docgen.errors.catalog", "--markdown"], capture_output=True,
                         text=True, check=True, cwd=PKG.parent).stdout
    assert out == markdown()
    assert "| T402 | 模板引用的变量在数据中不存在 |" in out
