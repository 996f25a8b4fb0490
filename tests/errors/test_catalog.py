"""Every diagnostic code docgen prints is in the one catalog."""

from __future__ import annotations

import re
from pathlib import Path

from docgen.errors.catalog import CATALOG

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
