"""Two builds of the same inputs, in different folders, time zones and moments, give the same bytes."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import CALL, ROOT, UNIT_A, files_under, run


def copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT / "samples", dest / "data")
    shutil.copytree(ROOT / "templates", dest / "templates")
    return dest


def build_in(root: Path, tz: str, monkeypatch, *args: str) -> Path:
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        result = run(root, "build", "--unit", UNIT_A, "--call", CALL, *args)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert result.exit_code == 0, result.output + result.stderr
    return root / "build"


def assert_same_tree(a: Path, b: Path, kinds: set[str]) -> set[str]:
    files = files_under(a)
    assert files == files_under(b)
    assert {Path(rel).suffix for rel in files} >= kinds
    for rel in sorted(files):
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel
    return files


@pytest.mark.lo
def test_two_builds_give_identical_bytes_pdf_included(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    a = build_in(copy_project(tmp_path / "first place"), "UTC", monkeypatch)
    time.sleep(1.2)  # PDF dates have one-second resolution
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    b = build_in(copy_project(tmp_path / "其他目录" / "second"), "Asia/Shanghai", monkeypatch, "-j", "2")
    files = assert_same_tree(a, b, {".docx", ".xlsx", ".pdf"})
    pdfs = [rel for rel in files if rel.endswith(".pdf")]
    assert any(Path(rel).name.startswith("申报材料-") for rel in pdfs)  # the assembled submission too
    converted = next(rel for rel in pdfs if Path(rel).name.startswith("申报书-"))
    with pikepdf.open(a / converted) as pdf:
        assert str(pdf.docinfo.get("/CreationDate")).startswith("D:2000")
        assert "/Metadata" not in pdf.Root


def test_same_source_date_epoch_same_bytes_in_any_time_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    a = build_in(copy_project(tmp_path / "a"), "America/New_York", monkeypatch, "--no-pdf")
    time.sleep(1.1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    b = build_in(copy_project(tmp_path / "b"), "Asia/Shanghai", monkeypatch, "--no-pdf")
    assert_same_tree(a, b, {".docx", ".xlsx"})
