"""The desk's bureau pages and the commands publish through one path: same bytes, same keys, incremental."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest

from docgen.pdf.convert import find_soffice
from tests.bureau.returns import HIGH, MIDDLE, returned
from tests.conftest import CALL, run
from tests.desk.conftest import xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MASTER = "申报汇总总表.xlsx"
SUMMARY = "评分汇总.xlsx"
PUBLICITY = "评审结果公示名单.docx"
PUBLICITY_PDF = "评审结果公示名单.pdf"


def _desk_flow(desk, tmp_path: Path) -> list:
    """Upload four returns, take three score sheets, upload them filled; return the filled uploads."""
    files = []
    for i, (unit, sub) in enumerate([("甲学院", HIGH), ("乙中心", HIGH), ("丙公司", HIGH), ("丁学院", MIDDLE)]):
        p = returned(tmp_path / f"{i}.xlsx", unit, "张", f"0379-6123456{i}", [(1, sub, "")])
        files.append(("files", (f"{unit}.xlsx", p.read_bytes(), XLSX)))
    r = desk.post(f"/bureau/{CALL}/returns", files=files)
    assert r.status_code == 200 and "受理 4 项" in r.text, r.text
    z = desk.post(f"/bureau/{CALL}/sheets", {"reviewers": "3"})
    assert z.status_code == 200
    sheets = zipfile.ZipFile(io.BytesIO(z.content))
    filled = []
    for k, name in enumerate(sheets.namelist()):
        wb = openpyxl.load_workbook(io.BytesIO(sheets.read(name)))
        ws = wb["评分表"]
        for row in range(4, ws.max_row + 1):
            for col in range(4, 11):
                ws.cell(row, col).value = 5 if col != 8 else 30 + k + row  # totals differ per application
        filled.append(("files", (name, xlsx_bytes(wb), XLSX)))
    r = desk.post(f"/bureau/{CALL}/scores", files=filled)
    assert r.status_code == 200 and "评委 3 人" in r.text, r.text
    return filled


def _keys(folder: Path) -> dict[str, str]:
    return json.loads((folder / ".docgen" / "state.json").read_text(encoding="utf-8"))


def _stamps(*folders: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for folder in folders for p in folder.rglob("*") if p.is_file()}


def test_desk_and_cli_write_the_same_bytes_and_a_second_desk_run_rebuilds_nothing(desk, tmp_path):
    from python_calamine import CalamineWorkbook

    filled = _desk_flow(desk, tmp_path)
    folder = desk.out / "bureau" / CALL
    results = folder / "评审结果"
    lo = find_soffice() is not None

    # The commands on the very workbooks the desk stored (the master lists the stored names, 001.xlsx …).
    cli = tmp_path / "cli"
    collected = run(desk.root, "collect", "--call", CALL, str(folder / "desk-returns"), "--out", str(cli))
    assert collected.exit_code == 0, collected.output
    tallied = run(desk.root, "score", "tally", "--call", CALL, str(folder / "desk-scores"),
                  "--master", str(cli / MASTER), "--out", str(cli / "评审结果"))
    assert tallied.exit_code == 0, tallied.output

    assert (folder / MASTER).read_bytes() == (cli / MASTER).read_bytes()
    # the score sheets the desk handed out (a zip) are the ones `score sheets` writes, cached values included
    sheets = run(desk.root, "score", "sheets", "--call", CALL, "--reviewers", "3", "--master", str(cli / MASTER),
                 "--out", str(cli / "评分表"))
    assert sheets.exit_code == 0, sheets.output
    handed = zipfile.ZipFile(io.BytesIO(desk.post(f"/bureau/{CALL}/sheets", {"reviewers": "3"}).content))
    assert handed.namelist() == [f"评分表-评委{i:02d}.xlsx" for i in (1, 2, 3)]
    for name in handed.namelist():
        assert handed.read(name) == (cli / "评分表" / name).read_bytes() == (folder / "评分表" / name).read_bytes()
    names = [SUMMARY, PUBLICITY] + ([PUBLICITY_PDF] if lo else [])
    assert sorted(p.name for p in results.iterdir() if p.is_file()) == sorted(names)
    for name in names:
        assert (results / name).read_bytes() == (cli / "评审结果" / name).read_bytes(), name
    # the same keys in both .docgen folders: the same path keyed the same inputs
    assert _keys(folder) == _keys(cli) and set(_keys(folder)) == {MASTER}
    assert _keys(results) == _keys(cli / "评审结果") and set(_keys(results)) == set(names)
    if lo:  # recalculated: a reader that does not compute formulas sees every total and score
        rows = CalamineWorkbook.from_path(str(results / SUMMARY)).get_sheet_by_name("评分汇总").to_python(
            skip_empty_area=False)[2:6]
        assert sorted(r[0] for r in rows) == ["A001", "A002", "A003", "A004"]
        assert all(v not in ("", None) for r in rows for v in r[3:10]), rows
        # by hand: reviewer k gives the application on sheet row n 6 × 5 + 30 + k + n; the middle one is 61 + n
        assert sorted(r[8] for r in rows) == [65, 66, 67, 68]

    # The same inputs again: the desk makes nothing and leaves every output and key as it was.
    from docgen.desk import bureau as bureau_desk
    from docgen.desk.service import Settings

    before = _stamps(folder / ".docgen", results)
    master_stamp = (folder / MASTER).stat().st_mtime_ns
    intake = bureau_desk.collect(Settings(desk.root, desk.data, desk.out), CALL)  # what the returns page runs
    assert intake.written == [] and intake.admitted == 4
    r = desk.post(f"/bureau/{CALL}/scores", files=filled)  # the same sheets again (they replace the stored ones)
    assert r.status_code == 200 and "评委 3 人" in r.text and PUBLICITY in r.text
    assert (folder / MASTER).stat().st_mtime_ns == master_stamp
    assert _stamps(folder / ".docgen", results) == before
    # and the commands say so, naming each output left alone
    again = run(desk.root, "collect", "--call", CALL, str(folder / "desk-returns"), "--out", str(cli))
    assert again.exit_code == 0 and "已生成" not in again.output
    assert f"1 个文件输入未变化、未重新生成：{cli / MASTER}\n" in again.output, again.output
    again = run(desk.root, "score", "tally", "--call", CALL, str(folder / "desk-scores"),
                "--master", str(cli / MASTER), "--out", str(cli / "评审结果"))
    assert again.exit_code == 0 and "已生成" not in again.output
    assert f"{len(names)} 个文件输入未变化、未重新生成：" in again.output, again.output
    assert all(str(cli / "评审结果" / name) in again.output for name in names)


@pytest.mark.lo
def test_the_desk_publishes_the_publicity_without_its_pdf_when_chinese_fonts_are_missing(desk, tmp_path,
                                                                                         monkeypatch):
    """The command refuses (exit 3, L521); the desk keeps the workbook and the docx and offers them."""
    from tests.hostile.helpers import no_cjk_fontconfig

    monkeypatch.setenv("DOCGEN_FONTCONFIG", str(no_cjk_fontconfig(tmp_path / "fonts")))
    _desk_flow(desk, tmp_path)
    folder = desk.out / "bureau" / CALL
    page = desk.get(f"/bureau/{CALL}")
    assert f">{PUBLICITY}</a>" in page.text and PUBLICITY_PDF not in page.text
    assert sorted(p.name for p in (folder / "评审结果").iterdir() if p.is_file()) == sorted([PUBLICITY, SUMMARY])
    assert set(_keys(folder / "评审结果")) == {PUBLICITY, SUMMARY}
    refused = run(desk.root, "score", "tally", "--call", CALL, str(folder / "desk-scores"),
                  "--master", str(folder / MASTER), "--out", str(tmp_path / "cli"))
    assert refused.exit_code == 3 and "错误[L521]" in refused.stderr, refused.output


@pytest.mark.lo
@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice")
def test_a_publicity_pdf_that_cannot_be_remade_is_removed_not_left_stale(desk, tmp_path, monkeypatch):
    """Scores change, and this time the PDF cannot be made: the old PDF (of the old scores) must not stay
    beside the new docx; the page says what was not made."""
    from tests.hostile.helpers import no_cjk_fontconfig

    filled = _desk_flow(desk, tmp_path)
    results = desk.out / "bureau" / CALL / "评审结果"
    assert (results / PUBLICITY_PDF).is_file()
    changed = []
    for field, (name, data, kind) in filled:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        wb["评分表"].cell(4, 4).value = 1  # one reviewer lowers one score
        changed.append((field, (name, xlsx_bytes(wb), kind)))
    monkeypatch.setenv("DOCGEN_FONTCONFIG", str(no_cjk_fontconfig(tmp_path / "fonts")))
    r = desk.post(f"/bureau/{CALL}/scores", files=changed)
    assert r.status_code == 200 and "未能生成：评审结果公示名单.pdf" in r.text, r.text[-3000:]
    assert not (results / PUBLICITY_PDF).exists()
    assert PUBLICITY_PDF not in _keys(results) and PUBLICITY in _keys(results)
    assert PUBLICITY_PDF not in desk.get(f"/bureau/{CALL}").text


def test_stored_names_are_matched_whole_not_by_their_end():
    """Past a thousand uploads, 1001.xlsx must not take the name given to 001.xlsx."""
    from docgen.desk.bureau import _rename
    from docgen.errors import Diagnostic, Location

    manifest = {"001.xlsx": "甲学院.xlsx", "1001.xlsx": "乙中心.xlsx"}
    found = _rename([Diagnostic("B111", "缺少一列", Location("build/bureau/c/desk-returns/1001.xlsx", sheet="汇总")),
                     Diagnostic("B111", "缺少一列", Location("build/bureau/c/desk-returns/001.xlsx"))], manifest)
    assert [d.location.file for d in found] == ["乙中心.xlsx", "甲学院.xlsx"]
    assert found[0].location.sheet == "汇总"
