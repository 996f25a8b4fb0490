"""`docgen plan collect`: returned city workbooks → problems by file, sheet and cell, and the province's sheet."""

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.sichuan.pipeline import city_workbook
from docgen.sichuan.xlsx import FIRST_DATA, PLAN_SHEET, plan_workbook
from tests.conftest import run
from tests.plan.helpers import CITY, bureaus


def _returns(project: Path, skip: set[str] = frozenset()) -> Path:
    """Write one workbook per 市州, as the cities would send them back."""
    b = bureaus(project)
    folder = project / "returned"
    folder.mkdir()
    for city, region in b.province_regions():
        if city.id in skip:
            continue
        if city.id == CITY:
            data = city_workbook(b.plans[CITY])
        else:
            data = plan_workbook(city.name, "某人", "028-12345678", "2015年9月1日", [("全市", region)])
        (folder / f"{city.short}-计划表.xlsx").write_bytes(data)
    return folder


def _tamper(path: Path) -> None:
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    ws["C9"] = "约250"                     # 市中区 2014 省培 as text
    ws["G7"] = "省级培训"                   # header edited
    ws.delete_rows(12)                     # 金口河区 removed (row 8 + 4)
    total = FIRST_DATA + 11
    assert ws.cell(total, 1).value == "合计"
    ws.cell(total, 2).value = 30000        # 合计 typed, does not add up
    ws.cell(9, 9).value = 9999             # 市中区 2015 合计 typed wrong
    ws.unmerge_cells("K6:N6")              # 2016年 no longer spans its four columns
    wb.save(path)


def test_clean_returns_make_the_province_sheet(project):
    folder = _returns(project)
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 0, result.output + result.stderr
    assert "已生成" in result.output and "汇总 21 个市州" in result.output
    out = project / "build/sichuan/四川省-市县级培训年度计划表（汇总）.xlsx"
    ws = load_workbook(out)[PLAN_SHEET]
    names = [ws.cell(FIRST_DATA + i, 1).value for i in range(22)]
    assert names[9] == "乐山" and ws.cell(FIRST_DATA + 9, 2).value == 28317
    assert ws.cell(FIRST_DATA, 2).value == 118000
    assert ws.cell(FIRST_DATA + 21, 2).value == f"=SUM(B{FIRST_DATA}:B{FIRST_DATA + 20})"


def test_tampered_city_workbook_is_caught_by_cell(project):
    folder = _returns(project, skip={"ganzi"})
    _tamper(folder / "乐山-计划表.xlsx")
    (folder / "阿坝-计划表.xlsx").write_bytes(b"<html><body>table</body></html>")
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 2
    err = result.stderr
    f = r"returned/乐山-计划表\.xlsx\[计划表\]"
    assert re.search(f + r"!C9: 错误\[X813\] “市中区”2014年省培应为数字，这里是文字“约250”", err)
    assert re.search(f + r"!G7: 错误\[X821\] 表头被改动：应为“省级”，这里是“省级培训”", err)
    assert re.search(f + r"!A19: 错误\[X833\] 缺少地区“金口河区”", err)
    assert re.search(f + r"!B19: 错误\[X841\] 合计行为 30000，但各地区之和为 27905", err)
    assert re.search(f + r"!I9: 错误\[X840\] “市中区”2015年合计为 9999，但省级、市级之和为 2306", err)
    assert re.search(f + r"!K6: 警告\[X823\] 表头“2016年”的合并单元格被拆分或改动", err)
    assert re.search(r"returned/阿坝-计划表\.xlsx: 错误\[X870\] 文件不是 Excel 工作簿（实际是网页（HTML））", err)
    assert re.search(r"returned: 错误\[X805\] 缺少甘孜藏族自治州的计划表", err)
    assert re.search(r"returned: 错误\[X805\] 缺少阿坝藏族羌族自治州的计划表", err)
    assert "Traceback" not in result.output
    # the good ones are consolidated; 乐山, 阿坝, 甘孜 rows are left blank
    assert "汇总 18 个市州" in result.output
    ws = load_workbook(project / "build/sichuan/四川省-市县级培训年度计划表（汇总）.xlsx")[PLAN_SHEET]
    blank = {ws.cell(FIRST_DATA + i, 1).value for i in range(21) if ws.cell(FIRST_DATA + i, 2).value is None}
    assert blank == {"乐山", "阿坝", "甘孜"}


def test_unknown_city_and_missing_total(project):
    folder = _returns(project)
    path = folder / "自贡-计划表.xlsx"
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    ws["A4"] = "某某市   联系人：某人"
    ws.delete_rows(FIRST_DATA + 1)  # the 合计 row
    wb.save(path)
    path.rename(folder / "returned-1.xlsx")
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 2
    assert re.search(r"returned-1\.xlsx\[计划表\]!A4: 错误\[X822\] 认不出是哪个市（州）：“某某市”", result.stderr)
    assert "错误[X832] 缺少“合计”行" in result.stderr


@pytest.mark.lo
def test_saved_by_an_office_program_keeps_cached_totals(project, recalculated_books):
    import shutil
    folder = _returns(project)
    target = folder / "乐山-计划表.xlsx"
    shutil.copy(recalculated_books["city"][0], target)  # saved by LibreOffice: formulas with cached values
    assert load_workbook(target, data_only=True)[PLAN_SHEET]["E8"].value == 151
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 0, result.stderr


def test_empty_or_missing_folder(project):
    (project / "empty").mkdir()
    result = run(project, "plan", "collect", str(project / "empty"))
    assert result.exit_code == 2
    assert result.stderr.count("错误[X805]") == 21 and "已生成" not in result.output
    assert not (project / "build").exists()
    result = run(project, "plan", "collect", str(project / "nowhere"))
    assert result.exit_code == 2 and "错误[D148] 文件夹不存在" in result.stderr
