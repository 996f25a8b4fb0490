"""Returned 名单 and 附件3: the header found by its label, a missing header or column named at its cell."""

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from docgen.sichuan.workbook import read_change_workbook, read_roster_xlsx
from docgen.sichuan.xlsx import CHANGE_SHEET, change_workbook

HEADS = ["培训项目", "姓名", "性别", "工作单位（全称）", "联系电话/手机（必填）", "培训机构", "备注"]
ZHANG = ["小学", "张丽", "女", "夹江县实验小学", "13981312045", "中国研修网", ""]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # files are shown relative to the working directory
    return tmp_path


def roster(folder: Path, rows: list[list], name: str = "名单.xlsx", hidden: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    if hidden:
        wb.create_sheet("旧名单").sheet_state = "hidden"
    wb.save(folder / name)
    return folder / name


def codes(problems) -> list[tuple[str, str]]:
    return [(d.code, str(d.location)) for d in problems]


def test_roster_header_below_a_title(folder):
    rows, problems = read_roster_xlsx(roster(folder, [["夹江县参训人员名单"], HEADS, ZHANG, [None] * 7, ZHANG]))
    assert problems == []
    assert [str(loc) for loc, _ in rows] == ["名单.xlsx[名单]!A3", "名单.xlsx[名单]!A5"]
    assert rows[0][1] == {"project": "小学", "name": "张丽", "gender": "女", "unit": "夹江县实验小学",
                          "phone": "13981312045", "institution": "中国研修网", "note": ""}


def test_roster_without_its_header_is_x850(folder):
    rows, problems = read_roster_xlsx(roster(folder, [["序号", "名字"], ZHANG]))
    assert rows == []
    assert codes(problems) == [("X850", "名单.xlsx[名单]")]
    assert problems[0].message == "找不到名单的表头（“姓名”）"
    assert problems[0].hint == "第一行写表头：培训项目、姓名、性别、工作单位（全称）、联系电话/手机（必填）、培训机构、备注。"


def test_roster_missing_columns_are_x851_at_the_header_row(folder):
    rows, problems = read_roster_xlsx(roster(folder, [["名单"], [" 姓 名", "性别", "电话"], ["李四", "女", "1"]]))
    assert codes(problems) == [("X851", "名单.xlsx[名单]!A2")] * 3
    assert [d.message for d in problems] == ["名单缺少“培训项目”一列", "名单缺少“工作单位（全称）”一列",
                                             "名单缺少“培训机构”一列"]
    assert rows and rows[0][1] == {"name": "李四", "gender": "女"}


def test_roster_keeps_the_openers_warning(folder):
    rows, problems = read_roster_xlsx(roster(folder, [HEADS, ZHANG], hidden=True))
    assert len(rows) == 1
    assert [(d.code, d.severity) for d in problems] == [("B155", "warning")]


def test_roster_without_its_header_keeps_the_openers_warning_first(folder):
    """The header may sit on the sheet someone hid: say so beside the missing header."""
    rows, problems = read_roster_xlsx(roster(folder, [["序号", "名字"], ZHANG], hidden=True))
    assert rows == []
    assert [(d.code, d.severity) for d in problems] == [("B155", "warning"), ("X850", "error")]


def change(folder: Path, edit: dict[str, str] | None = None) -> Path:
    path = folder / "附件3.xlsx"
    old = dict(zip(["project", "name", "gender", "unit", "phone", "institution"], ZHANG))
    new = {**old, "name": "苏婷", "phone": "13700000000"}
    path.write_bytes(change_workbook("乐山市夹江县", "夹江县教育局", "李红梅", "2015年10月12日", [(old, new)]))
    if edit:
        wb = load_workbook(path)
        for ref, value in edit.items():
            wb[CHANGE_SHEET][ref] = value
        wb.save(path)
    return path


def test_change_workbook_as_drawn_reads_its_pair(folder):
    pairs, problems = read_change_workbook(change(folder))
    assert problems == []
    ((loc, old, new),) = pairs
    assert str(loc) == f"附件3.xlsx[{CHANGE_SHEET}]!B6"
    assert old is not None and new is not None
    assert (old.row, old.fields["name"], new.row, new.fields["name"]) == (6, "张丽", 7, "苏婷")


def test_change_workbook_without_its_header_is_x860(folder):
    pairs, problems = read_change_workbook(change(folder, {"B5": "调换"}))
    assert pairs == []
    assert codes(problems) == [("X860", f"附件3.xlsx[{CHANGE_SHEET}]")]
    assert problems[0].message == "找不到变更信息表的表头（“调换情况”）"


def test_change_workbook_renamed_header_is_x861_at_its_cell(folder):
    pairs, problems = read_change_workbook(change(folder, {"D5": "性 别 X"}))
    assert len(pairs) == 1
    assert codes(problems) == [("X861", f"附件3.xlsx[{CHANGE_SHEET}]!D5")]
    assert problems[0].message == "表头被改动：应为“性别”，这里是“性别X”"
