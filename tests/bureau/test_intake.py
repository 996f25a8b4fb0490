"""The intake holds on files as other programs write them: Excel/WPS-like, LibreOffice-saved, old .xls.

Each fixture is made by tests/bureau/returns.py the way the other program does it; each test asserts
the exact finding (code, file[sheet]!cell) and the master list's disposition of every row.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.bureau.returns import (
    HIGH,
    MIDDLE,
    office_form,
    soffice_convert,
    soffice_xls,
    wps_merged,
)
from tests.bureau.test_collect import master_rows
from tests.conftest import CALL, run


def collect(project: Path, folder: Path):
    result = run(project, "collect", "--call", CALL, str(folder))
    findings = [line for line in result.stderr.splitlines() if "[B" in line and not line.startswith(" ")]
    return result, findings


def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    return folder


def test_a_clean_office_file_with_footnote_signature_seal_and_hidden_sheet_gets_no_error(project, tmp_path):
    folder = returns(tmp_path)
    office_form(folder / "甲.xlsx", "洛阳甲学院", "张三", "0379-61234567", [(1, HIGH, "本院继续教育学院实施")],
                seal=True, hidden_sheet=True)
    result, findings = collect(project, folder)
    assert result.exit_code == 0, result.stderr
    # the footnote merged across the width, the signature and date lines are not read as rows
    assert findings == ["甲.xlsx[计算过程]: 警告[B155] 工作簿有隐藏的工作表：计算过程（未读取其内容）"]
    rows = master_rows(project)
    assert [(r[1], r[2], r[5], r[6], r[7], r[8]) for r in rows] == [
        ("甲.xlsx[Sheet1]!B7", "洛阳甲学院", 1, HIGH, "本院继续教育学院实施", "受理")]


def test_a_footnote_without_merge_or_blank_line_ends_the_bordered_table(project, tmp_path):
    folder = returns(tmp_path)
    path = office_form(folder / "乙.xlsx", "洛阳乙学院", "李四", "13912345678", [(1, MIDDLE, "")], footnote=False)
    wb = openpyxl.load_workbook(path)
    wb.active["B8"] = "本表须加盖单位公章"  # right under the table, no border, no 注
    wb.save(path)
    result, findings = collect(project, folder)
    assert result.exit_code == 0 and findings == [], result.stderr
    assert [r[6] for r in master_rows(project)] == [MIDDLE]


def test_wps_merged_cells_are_carried_and_one_sub_project_in_two_rows_is_one_application(project, tmp_path):
    folder = returns(tmp_path)
    wps_merged(folder / "wps.xlsx", "洛阳丙研究院")
    result, findings = collect(project, folder)
    assert result.exit_code == 0, result.stderr
    assert findings == [
        "wps.xlsx[Sheet1]!A7: 警告[B152] 合并单元格 A7:A8 跨 2 行，已把“1”用于每一行",
        "wps.xlsx[Sheet1]!B7: 警告[B152] 合并单元格 B7:B8 跨 2 行，已把“高中新高考培训项目”用于每一行",
    ]
    rows = master_rows(project)
    assert len(rows) == 1
    assert rows[0][1] == "wps.xlsx[Sheet1]!B7、B8"
    assert (rows[0][5], rows[0][6], rows[0][7], rows[0][8]) == (1, HIGH, "高中语文；高中数学", "受理")
    assert "合为一项申报" in rows[0][9]


def test_several_rows_of_one_sub_project_with_different_remarks_are_one_pair(project, tmp_path):
    folder = returns(tmp_path)
    office_form(folder / "丁.xlsx", "洛阳丁学院", "王五", "0379-60000004",
                [(1, MIDDLE, "初中语文"), (2, MIDDLE, "初中数学"), (3, MIDDLE, "初中英语")])
    result, findings = collect(project, folder)
    assert result.exit_code == 0 and findings == [], result.stderr
    rows = master_rows(project)
    assert [(r[1], r[6], r[7], r[8]) for r in rows] == [
        ("丁.xlsx[Sheet1]!B7、B8、B9", MIDDLE, "初中语文；初中数学；初中英语", "受理")]


def test_a_renamed_header_is_named_at_its_cell_and_the_file_is_returned(project, tmp_path):
    folder = returns(tmp_path)
    office_form(folder / "戊.xlsx", "洛阳戊学院", "赵六", "0379-60000005", [(1, HIGH, "")],
                header=("序号", "子项目名称", "备注"))
    result, findings = collect(project, folder)
    assert result.exit_code == 1
    assert findings == ["戊.xlsx[Sheet1]!B6: 错误[B151] 表头“子项目名称”应为“项目名称”（表头须与通知的样表一字不差）"]
    rows = master_rows(project)
    assert rows[0][8] == "退回" and "整份文件退回" in rows[0][9]
    files = {r[0]: r for r in master_rows(project, "文件")}
    assert files["戊.xlsx"][3].startswith("退回：表头“子项目名称”应为“项目名称”")


def test_header_labels_match_after_spaces_line_breaks_and_full_width_forms(project, tmp_path):
    folder = returns(tmp_path)
    office_form(folder / "己.xlsx", "洛阳己学院", "钱七", "0379-60000006", [(1, HIGH, "")],
                header=("序　号", "项 目\n名 称", "备注"), two_row_header=True)
    result, findings = collect(project, folder)
    assert result.exit_code == 0 and findings == [], result.stderr
    assert [(r[1], r[6]) for r in master_rows(project)] == [("己.xlsx[Sheet1]!B8", HIGH)]


def test_chinese_numeral_number_and_numeric_phone(project, tmp_path):
    folder = returns(tmp_path)
    office_form(folder / "庚.xlsx", "洛阳庚学院", "孙八", 37965873219, [("一", HIGH, "")])
    office_form(folder / "辛.xlsx", "洛阳辛学院", "周九", 1.2345678901234567e17, [(1, MIDDLE, "")])
    result, findings = collect(project, folder)
    assert result.exit_code == 0, result.stderr
    assert findings == [
        "庚.xlsx[Sheet1]!A7: 警告[B157] 序号写成了“一”，已按 1 读取",
        "庚.xlsx[Sheet1]!B5: 警告[B156] 联系电话是号码存成了数字 37965873219，开头的 0（区号）已丢失",
        "辛.xlsx[Sheet1]!B5: 警告[B156] 联系电话是超过 15 位的数字，Excel 已把末几位变成 0，原号码无法还原",
    ]
    assert [(r[5], r[8]) for r in master_rows(project)] == [(1, "受理"), (1, "受理")]


@pytest.mark.lo
def test_formula_and_error_cells_are_reported_as_such(project, tmp_path):
    folder = returns(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    office_form(folder / "壬.xlsx", "洛阳壬学院", "吴十", "0379-60000009", [(1, "=1/0", ""), ("=A7+1", MIDDLE, "")])
    office_form(src / "癸.xlsx", "洛阳癸学院", "吴十", "0379-60000009", [(1, "=1/0", ""), ("=A7+1", MIDDLE, "")])
    soffice_convert(src / "癸.xlsx", folder)  # LibreOffice computes them: #DIV/0! and 2
    result, findings = collect(project, folder)
    assert result.exit_code == 1
    # openpyxl writes formulas without a cached value; LibreOffice saves the error value
    assert findings == [
        "壬.xlsx[Sheet1]!A8: 错误[B153] 序号是公式 =A7+1，但没有计算结果",
        "壬.xlsx[Sheet1]!B7: 错误[B153] 项目名称是公式 =1/0，但没有计算结果",
        "癸.xlsx[Sheet1]!B7: 错误[B154] 项目名称是错误值 #DIV/0!（公式 =1/0）",
    ]
    rows = {(r[1], r[5], r[8]) for r in master_rows(project)}
    assert rows == {("壬.xlsx[Sheet1]!B7", 1, "待核实"), ("壬.xlsx[Sheet1]!B8", "", "待核实"),
                    ("癸.xlsx[Sheet1]!B7", 1, "待核实"), ("癸.xlsx[Sheet1]!B8", 2, "受理")}


@pytest.mark.lo
def test_libreoffice_saved_and_old_xls_and_a_lying_extension_are_read(project, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    office_form(src / "lo.xlsx", "洛阳甲学院", "张三", "0379-61234567", [(1, HIGH, "")], seal=True)
    wps_merged(src / "old.xlsx", "洛阳乙学院")
    office_form(src / "lie.xlsx", "洛阳丙学院", "李四", "13912345678", [(1, MIDDLE, "")])
    folder = returns(tmp_path)
    soffice_convert(src / "lo.xlsx", folder)
    soffice_xls(src / "old.xlsx", folder)
    assert (folder / "old.xls").read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    shutil.copy(src / "lie.xlsx", folder / "lie.xls")
    result, findings = collect(project, folder)
    assert result.exit_code == 0, result.stderr
    assert findings == [
        "lie.xls: 警告[B150] 扩展名是 .xls，实际是Excel 工作簿（.xlsx），已按实际格式读取",
        "old.xls[Sheet1]!A7: 警告[B152] 合并单元格 A7:A8 跨 2 行，已把“1”用于每一行",
        "old.xls[Sheet1]!B7: 警告[B152] 合并单元格 B7:B8 跨 2 行，已把“高中新高考培训项目”用于每一行",
    ]
    rows = master_rows(project)
    assert [(r[1], r[2], r[6], r[7], r[8]) for r in rows] == [
        ("lie.xls[Sheet1]!B7", "洛阳丙学院", MIDDLE, "", "受理"),
        ("lo.xlsx[Sheet1]!B7", "洛阳甲学院", HIGH, "", "受理"),
        ("old.xls[Sheet1]!B7、B8", "洛阳乙学院", HIGH, "高中语文；高中数学", "受理"),
    ]


@pytest.mark.parametrize("call", ["luoyang-2026-waichu-gengang", "luoyang-2025-wangluo-yanxiu"])
def test_collect_accepts_every_summary_docgen_builds(project, call, tmp_path):
    result = run(project, "build", "--no-pdf", "--out", str(project / "out"))
    assert result.exit_code == 0, result.output
    built = sorted((project / "out").glob(f"*/{call}/申报汇总表.xlsx"))
    assert built, f"docgen build wrote no 申报汇总表 for {call}"
    folder = returns(tmp_path)
    for path in built:
        shutil.copy(path, folder / f"{path.parent.parent.name}.xlsx")
    result = run(project, "collect", "--call", call, str(folder))
    assert result.exit_code == 0, result.stderr
    assert "错误[" not in result.stderr and "警告[" not in result.stderr, result.stderr
    collected = openpyxl.load_workbook(project / "build/bureau" / call / "申报汇总总表.xlsx")["汇总"]
    rows = list(collected.iter_rows(min_row=3, values_only=True))
    assert len({r[1].split("[")[0] for r in rows}) == len(built)  # every unit's summary gave rows
    assert [r[8] for r in rows] and {r[8] for r in rows} == {"受理"}


def test_a_wide_merged_header_cell_drops_no_column(project, tmp_path):
    folder = returns(tmp_path)
    path = office_form(folder / "宽.xlsx", "洛阳宽学院", "郑一", "0379-60000010", [(1, HIGH, "")], footnote=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.insert_cols(3)  # 项目名称 spans B:C in the header and in the row; 备注 moves to D
    ws.merge_cells("B6:C6")
    ws.merge_cells("B7:C7")
    ws["D7"] = "由继续教育学院实施"
    ws["A9"] = "填表人：郑一"  # a signature line right under the table, no blank line between
    wb.save(path)
    result, findings = collect(project, folder)
    assert result.exit_code == 0 and findings == [], result.stderr
    assert [(r[1], r[6], r[7]) for r in master_rows(project)] == [("宽.xlsx[Sheet1]!B7", HIGH, "由继续教育学院实施")]
