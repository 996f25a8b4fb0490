"""docgen score sheets / score tally: criteria from the call, the notice's trimmed mean, live formulas."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from docgen.bureau.score import trimmed_mean
from tests.bureau.returns import HIGH, MIDDLE, returned, soffice_convert
from tests.conftest import CALL, run

OUT = Path("build/bureau") / CALL
POINTS = [5, 15, 15, 10, 40, 10, 5]
INDICATORS = ["机构资质", "培训业绩", "资源条件", "师资队伍", "实施方案", "服务保障", "特色与创新"]

# Hand computation, five reviewers (totals per reviewer; drop the highest and the lowest, mean of three):
#   A001 甲: 90, 85.5, 88, 92.5, 80      → (90 + 85.5 + 88) / 3 = 263.5 / 3 = 87.8333… → 87.83
#   A002 乙: 75, 75.5, 76, 70, 90        → (75 + 75.5 + 76) / 3 = 226.5 / 3 = 75.5      → 75.50
#   A003 丙: 85.125 ×3, 99, 70           → 255.375 / 3 = 85.125 → 85.13 (half up; Python's round gives 85.12)
#   A004 丁: 88.1, 88.2, 88.3, 88.4, 60  → (88.1 + 88.2 + 88.3) / 3 = 88.2              → 88.20
TOTALS = {
    "A001": ["90", "85.5", "88", "92.5", "80"],
    "A002": ["75", "75.5", "76", "70", "90"],
    "A003": ["85.125", "85.125", "85.125", "99", "70"],
    "A004": ["88.1", "88.2", "88.3", "88.4", "60"],
}
HAND = {"A001": "87.83", "A002": "75.50", "A003": "85.13", "A004": "88.20"}
# Ranks within each sub-project: 高中 has 甲 87.83, 乙 75.50, 丙 85.13; 义务教育 has 丁 alone.
RANKS = {"A001": 1, "A003": 2, "A002": 3, "A004": 1}


def split(total: str) -> list[Decimal]:
    """Return criterion scores summing to *total*, taking the shortfall from 实施方案 first."""
    scores = [Decimal(p) for p in POINTS]
    short = Decimal(100) - Decimal(total)
    for idx in (4, 2, 1, 3, 5, 0, 6):
        take = min(short, scores[idx])
        scores[idx] -= take
        short -= take
    return scores


@pytest.fixture
def master(project, tmp_path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    returned(folder / "1.xlsx", "甲学院", "张", "0379-61234561", [(1, HIGH, "")])
    returned(folder / "2.xlsx", "乙中心", "李", "0379-61234562", [(1, HIGH, "")])
    returned(folder / "3.xlsx", "丙公司", "王", "0379-61234563", [(1, HIGH, "")], top=2)
    returned(folder / "4.xlsx", "丁学院", "赵", "0379-61234564", [(1, MIDDLE, "")])
    returned(folder / "5.xls", "x", "x", "x", [])  # unreadable, not admitted: never in a score sheet
    (folder / "5.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 1 and "受理 4 项" in result.output
    return project / OUT / "申报汇总总表.xlsx"


def fill(project: Path, reviewers: int = 5, totals=TOTALS) -> Path:
    result = run(project, "score", "sheets", "--call", CALL, "--reviewers", str(reviewers))
    assert result.exit_code == 0, result.output
    filled = project / "filled"
    filled.mkdir(exist_ok=True)
    for k in range(reviewers):
        path = project / OUT / "评分表" / f"评分表-评委{k + 1:02d}.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb["评分表"]
        for r in range(4, ws.max_row + 1):
            app = ws.cell(r, 1).value
            for j, s in enumerate(split(totals[app][k])):
                ws.cell(r, 4 + j).value = float(s) if s != s.to_integral() else int(s)
        wb.save(filled / path.name)
    return filled


def test_trimmed_mean_rounds_half_up():
    assert trimmed_mean([Decimal(x) for x in TOTALS["A003"]]) == Decimal("85.13")
    assert round(85.125, 2) == 85.12  # what the notice forbids
    # Six reviewers: (85 + 85.5 + 85 + 85) / 4 = 85.125 → 85.13.
    assert trimmed_mean([Decimal(x) for x in ("85", "85.5", "85", "85", "60", "99")]) == Decimal("85.13")
    for app, totals in TOTALS.items():
        assert trimmed_mean([Decimal(x) for x in totals]) == Decimal(HAND[app])


def test_score_sheet_has_criteria_limits_formulas_and_protection(project, master):
    result = run(project, "score", "sheets", "--call", CALL, "--reviewers", "3")
    assert result.exit_code == 0, result.output
    assert "共 3 份评分表，每份 4 项申报、7 项指标。" in result.output
    wb = openpyxl.load_workbook(project / OUT / "评分表" / "评分表-评委02.xlsx")
    ws = wb["评分表"]
    assert ws["B2"].value == "02"
    assert [ws.cell(3, c).value for c in range(1, 12)] == [
        "编号", "申报单位", "项目名称", *[f"{i}. {n}（{p}分）" for i, (n, p) in enumerate(zip(INDICATORS, POINTS), 1)],
        "合计（100分）"]
    assert [(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value) for r in range(4, 8)] == [
        ("A001", "甲学院", HIGH), ("A002", "乙中心", HIGH), ("A003", "丙公司", HIGH), ("A004", "丁学院", MIDDLE)]
    assert [ws.cell(r, 11).value for r in range(4, 8)] == [f"=SUM(D{r}:J{r})" for r in range(4, 8)]
    limits = {str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2) for dv in ws.data_validations.dataValidation}
    assert limits == {f"{col}4:{col}7": ("decimal", "between", "0", str(p)) for col, p in zip("DEFGHIJ", POINTS)}
    assert ws["H3"].comment.text.startswith("实施方案（40分）\n1. 有效开展需求调研。")
    assert ws.protection.sheet is True
    assert ws["D4"].protection.locked is False and ws["J7"].protection.locked is False
    assert ws["A4"].protection.locked is True and ws["K4"].protection.locked is True and ws["A3"].protection.locked
    wc = wb["评分标准"]
    assert [wc.cell(r, 2).value for r in range(3, 10)] == INDICATORS
    assert wc["C7"].value.startswith("1. 有效开展需求调研。") and wc["D7"].value == "40分"
    assert any(c.value == "2. 评审得分为评委评分之平均值（去掉1个最高分和1个最低分）。" for c in wc["A"])
    again = project / "again"
    assert run(project, "score", "sheets", "--call", CALL, "--reviewers", "3", "--out", str(again)).exit_code == 0
    assert (again / "评分表-评委02.xlsx").read_bytes() == (project / OUT / "评分表" / "评分表-评委02.xlsx").read_bytes()


@pytest.mark.lo
def test_tally_of_five_reviewers_matches_hand_computation_and_libreoffice(project, master, tmp_path):
    filled = fill(project)
    result = run(project, "score", "tally", "--call", CALL, str(filled))
    assert result.exit_code == 0, result.output
    assert "高中新高考培训项目 第1名  甲学院（A001）  87.83" in result.output
    assert "高中新高考培训项目 第2名  丙公司（A003）  85.13" in result.output
    res = project / OUT / "评审结果"

    wb = openpyxl.load_workbook(res / "评分汇总.xlsx")
    ws = wb["评分汇总"]
    assert [ws.cell(2, c).value for c in range(1, 13)] == [
        "编号", "申报单位", "项目名称", "评委01", "评委02", "评委03", "评委04", "评委05", "最高分", "最低分", "评审得分", "排名"]
    assert ws["K3"].value == "=ROUND((SUM(D3:H3)-MAX(D3:H3)-MIN(D3:H3))/(COUNT(D3:H3)-2),2)"
    assert ws["L3"].value == '=COUNTIFS($C$3:$C$6,C3,$K$3:$K$6,">"&K3)+1'
    assert ws["D3"].value.startswith("='评分明细'!K")
    ids = [ws.cell(r, 1).value for r in range(3, 7)]
    assert ids == ["A001", "A003", "A002", "A004"]

    # LibreOffice recalculates every formula (profile: always recalculate); compare cell for cell.
    calc = openpyxl.load_workbook(soffice_convert(res / "评分汇总.xlsx", tmp_path / "recalc"), data_only=True)
    cs = calc["评分汇总"]
    for r, app in zip(range(3, 7), ids):
        totals = [Decimal(x) for x in TOTALS[app]]
        got = [cs.cell(r, c).value for c in range(4, 13)]
        assert [Decimal(repr(v)) for v in got[:5]] == totals, app
        assert Decimal(repr(got[5])) == max(totals) and Decimal(repr(got[6])) == min(totals)
        assert Decimal(repr(got[7])).quantize(Decimal("0.01")) == Decimal(HAND[app]), app
        assert Decimal(str(got[7])) == Decimal(HAND[app]).normalize(), app
        assert got[8] == RANKS[app], app
    detail = calc["评分明细"]
    assert detail["A3"].value == "A001" and detail["C3"].value == "01" and detail["K3"].value == 90

    doc = Document(res / "评审结果公示名单.docx")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "洛阳市2026年“市培计划”外出跟岗项目遴选评审结果公示" in text
    assert "项目1  高中新高考培训项目" in text and "项目2  义务教育新课程培训项目" in text
    rows = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert rows == [["排名", "申报单位", "评审得分"], ["1", "甲学院", "87.83"], ["2", "丙公司", "85.13"],
                    ["3", "乙中心", "75.50"], ["排名", "申报单位", "评审得分"], ["1", "丁学院", "88.20"]]


def test_tally_names_every_bad_cell_and_writes_nothing(project, master):
    filled = fill(project)
    wb = openpyxl.load_workbook(filled / "评分表-评委02.xlsx")
    ws = wb["评分表"]
    ws["D4"] = 6           # 机构资质 is worth 5
    ws["H5"] = None        # missing
    ws["E6"] = "优"        # text
    ws["A8"] = "A999"      # an application the master does not have
    ws["D8"] = 3
    wb.save(filled / "评分表-评委02.xlsx")
    result = run(project, "score", "tally", "--call", CALL, str(filled))
    assert result.exit_code == 2
    err = result.stderr
    for line in ["评分表-评委02.xlsx[评分表]!D4: 错误[B302] “机构资质”满分 5 分，这里填了 6",
                 "评分表-评委02.xlsx[评分表]!H5: 错误[B301] 漏评：A002“乙中心”的“实施方案”未打分",
                 "评分表-评委02.xlsx[评分表]!E6: 错误[B302] “培训业绩”应为分数，这里是“优”",
                 "评分表-评委02.xlsx[评分表]!A8: 错误[B303] 申报编号 A999 不在总表的受理名单中"]:
        assert line in err, line
    assert "共 4 个错误。" in err
    assert not (project / OUT / "评审结果").exists()


def test_tally_needs_three_reviewers(project, master):
    filled = fill(project, reviewers=2)
    result = run(project, "score", "tally", "--call", CALL, str(filled))
    assert result.exit_code == 2
    assert "错误[B310] 只有 2 份评分表，至少需要 3 位评委" in result.stderr


def test_tally_reports_a_sheet_missing_an_application_and_a_copied_sheet(project, master):
    filled = fill(project, reviewers=3)
    wb = openpyxl.load_workbook(filled / "评分表-评委03.xlsx")
    wb["评分表"].delete_rows(7)
    wb.save(filled / "评分表-评委03.xlsx")
    (filled / "copy.xlsx").write_bytes((filled / "评分表-评委01.xlsx").read_bytes())
    result = run(project, "score", "tally", "--call", CALL, str(filled))
    assert result.exit_code == 2
    assert "评分表-评委03.xlsx[评分表]: 错误[B304] 评分表中缺少申报：A004" in result.stderr
    assert "评分表-评委01.xlsx[评分表]!B2: 错误[B305] 评委编号 01 重复（另见 copy.xlsx）" in result.stderr


@pytest.mark.lo
def test_libreoffice_rounds_the_score_formula_as_decimal_does(tmp_path):
    """Binary floats in the sheet, Decimal in Python: 600 random cases, many exact .xx5 ties, must agree."""
    import random

    from docgen.bureau.score import score_formula

    rng = random.Random(2026)
    wb = openpyxl.Workbook()
    ws = wb.active
    cases = []
    for r in range(1, 601):
        step = rng.choice([Decimal("0.1"), Decimal("0.25"), Decimal("0.5"), Decimal("0.125"), Decimal("0.05"),
                           Decimal("0.01")])
        totals = [rng.randint(int(60 / step), int(100 / step)) * step for _ in range(rng.choice([3, 4, 5, 6, 7]))]
        cases.append(totals)
        for c, v in enumerate(totals, 1):
            ws.cell(r, c, float(v))
        ws.cell(r, 10, score_formula(f"A{r}:{'ABCDEFG'[len(totals) - 1]}{r}"))
    wb.save(tmp_path / "f.xlsx")
    calc = openpyxl.load_workbook(soffice_convert(tmp_path / "f.xlsx", tmp_path / "calc"), data_only=True).active
    ties = 0
    for r, totals in enumerate(cases, 1):
        mean = (sum(totals) - max(totals) - min(totals)) / (len(totals) - 2)
        ties += (mean * 1000) == (mean * 1000).to_integral() and (mean * 1000) % 10 == 5
        assert Decimal(repr(calc.cell(r, 10).value)) == trimmed_mean(totals), (r, totals)
    assert ties > 30  # the half-up cases are really exercised


def test_tally_outputs_are_byte_identical_across_runs(project, master):
    filled = fill(project, reviewers=3)
    assert run(project, "score", "tally", "--call", CALL, str(filled), "--out", str(project / "one")).exit_code == 0
    assert run(project, "score", "tally", "--call", CALL, str(filled), "--out", str(project / "two")).exit_code == 0
    for name in ("评分汇总.xlsx", "评审结果公示名单.docx"):
        assert (project / "one" / name).read_bytes() == (project / "two" / name).read_bytes(), name


@pytest.mark.lo
def test_score_workbooks_carry_cached_values_and_the_publicity_has_a_pdf(project, master):
    """A reader that does not recalculate (python-calamine here, a phone's viewer) sees every total."""
    import subprocess

    from python_calamine import CalamineWorkbook

    assert run(project, "score", "sheets", "--call", CALL, "--reviewers", "3").exit_code == 0
    blank = CalamineWorkbook.from_path(str(project / OUT / "评分表" / "评分表-评委01.xlsx"))
    rows = blank.get_sheet_by_name("评分表").to_python(skip_empty_area=False)
    assert [rows[r][10] for r in range(3, 7)] == [0, 0, 0, 0]  # =SUM of nothing typed yet, cached
    filled = fill(project)
    assert run(project, "score", "tally", "--call", CALL, str(filled)).exit_code == 0
    res = project / OUT / "评审结果"
    rows = CalamineWorkbook.from_path(str(res / "评分汇总.xlsx")).get_sheet_by_name("评分汇总").to_python(
        skip_empty_area=False)
    for r, app in zip(range(2, 6), ["A001", "A003", "A002", "A004"]):
        assert rows[r][0] == app
        assert all(v not in ("", None) for v in rows[r][3:12]), rows[r]
        assert Decimal(repr(rows[r][10])).quantize(Decimal("0.01")) == Decimal(HAND[app])  # by hand, above
        assert rows[r][11] == RANKS[app]
    pdf = res / "评审结果公示名单.pdf"
    assert pdf.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert "评审结果公示" in text and "甲学院" in text and "87.83" in text
