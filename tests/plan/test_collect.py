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
    assert re.search(r"returned/阿坝-计划表\.xlsx: 错误\[B105\] 这是另存为 \.xls 的网页（HTML）文件", err)
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


def _sichuan_region(name: str, city_2015: int):
    from docgen.models.sichuan import Region
    # 10000 teachers: 省级 23 %, 市县 80 %, 累计 103 % — only the 2015 市县 share is set by the test
    return Region(name=name, teachers=10000, t2014={"province": 500, "national": 300},
                  t2015={"province": 500, "city": city_2015}, t2016={"province": 500, "city": 3000},
                  t2017={"province": 500, "city": 5500 - city_2015})


def test_a_city_below_the_2015_share_is_rejected_and_the_province_sums_the_accepted_only(project):
    folder = _returns(project)
    (folder / "自贡-计划表.xlsx").write_bytes(
        plan_workbook("自贡市", "某人", "0813-1234567", "2015年9月1日", [("全市", _sichuan_region("全市", 2500))]))
    # 乐山 without its 市直属学校 row: a clean return (the region list is the province's, not plan.yaml's)
    path = folder / "乐山-计划表.xlsx"
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    assert ws.cell(FIRST_DATA, 1).value == "市直属学校"
    ws.delete_rows(FIRST_DATA)
    wb.save(path)
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 2
    err = result.stderr
    assert re.search(r"returned/自贡-计划表\.xlsx\[计划表\]!H9: 错误\[X884\] 自贡市合计：市、县两级 2015 年培训人数不低于"
                     r"本地教师总数的 30%（SC01）未满足：2015年市县级培训 2500 人，教师总数 10000 人，占 25%（要求 ≥ 30%）", err), err
    assert "乐山-计划表.xlsx[计划表]" not in err.replace("警告[X883]", "")  # no finding about 乐山
    assert "错误[" not in err.replace("错误[X884]", "")
    assert "乐山-计划表.xlsx：乐山市，11 个地区，合格" in result.output
    assert "自贡-计划表.xlsx：自贡市，1 个地区，有错误，未汇总" in result.output
    assert "汇总 20 个市州" in result.output
    assert re.search(r"有错误、未计入全省合计的 1 份：自贡市（\S*returned/自贡-计划表\.xlsx）", result.output)
    ws = load_workbook(project / "build/sichuan/四川省-市县级培训年度计划表（汇总）.xlsx")[PLAN_SHEET]
    blank = {ws.cell(FIRST_DATA + i, 1).value for i in range(21) if ws.cell(FIRST_DATA + i, 2).value is None}
    assert blank == {"自贡"}
    leshan = next(i for i in range(21) if ws.cell(FIRST_DATA + i, 1).value == "乐山")
    assert ws.cell(FIRST_DATA + leshan, 2).value == 28317 - 2160  # without 市直属学校's 2160 teachers


def test_regions_are_checked_against_the_provinces_divisions(project):
    folder = _returns(project)
    path = folder / "乐山-计划表.xlsx"
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    row = next(r for r in range(FIRST_DATA, FIRST_DATA + 13) if ws.cell(r, 1).value == "峨眉山市")
    ws.cell(row, 1).value = "峨嵋山市"  # a typo: not a division of 乐山
    wb.save(path)
    result = run(project, "plan", "collect", str(folder))
    err = result.stderr
    f = r"returned/乐山-计划表\.xlsx\[计划表\]"
    assert re.search(f + rf"!A{row}: 警告\[X882\] 地区“峨嵋山市”不是乐山市的县（市、区）", err), err
    assert re.search(f + rf"!A{FIRST_DATA + 12}: 错误\[X833\] 缺少地区“峨眉山市”", err), err
    assert "乐山-计划表.xlsx：乐山市，12 个地区，有错误，未汇总" in result.output


@pytest.mark.lo
def test_an_old_xls_saved_by_libreoffice_is_read(project, tmp_path):
    from tests.bureau.returns import soffice_xls
    folder = _returns(project)
    src = folder / "乐山-计划表.xlsx"
    xls = soffice_xls(src, tmp_path / "xls")
    src.unlink()
    (folder / "乐山-计划表.xls").write_bytes(xls.read_bytes())
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "returned/乐山-计划表.xls：乐山市，12 个地区，合格" in result.output
    assert "乐山-计划表.xls[" not in result.stderr
    ws = load_workbook(project / "build/sichuan/四川省-市县级培训年度计划表（汇总）.xlsx")[PLAN_SHEET]
    assert ws.cell(FIRST_DATA + 9, 1).value == "乐山" and ws.cell(FIRST_DATA + 9, 2).value == 28317


@pytest.mark.lo
def test_formula_and_error_cells_in_a_city_workbook_are_named(project, tmp_path):
    from tests.bureau.returns import soffice_convert
    folder = _returns(project)
    src = tmp_path / "src"
    src.mkdir()
    path = folder / "乐山-计划表.xlsx"
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    ws["C9"] = "=1/0"          # 市中区 2014 省培: an error value once an office program computes it
    wb.save(src / "乐山-计划表.xlsx")
    path.unlink()
    soffice_convert(src / "乐山-计划表.xlsx", folder)
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 2
    assert re.search(r"乐山-计划表\.xlsx\[计划表\]!C9: 错误\[X880\] “市中区”2014年省培是错误值 #DIV/0!（公式 =1/0）",
                     result.stderr), result.stderr
    assert "乐山-计划表.xlsx：乐山市，12 个地区，有错误，未汇总" in result.output


def test_a_missing_project_county_is_named_once(project):
    folder = _returns(project)
    path = folder / "乐山-计划表.xlsx"
    wb = load_workbook(path)
    ws = wb[PLAN_SHEET]
    row = next(r for r in range(FIRST_DATA, FIRST_DATA + 13) if ws.cell(r, 1).value == "夹江县")
    ws.delete_rows(row)
    wb.save(path)
    result = run(project, "plan", "collect", str(folder))
    assert result.exit_code == 2
    assert re.search(rf"乐山-计划表\.xlsx\[计划表\]!A{FIRST_DATA + 11}: 错误\[X833\] 缺少地区“夹江县”（附件4 项目县）",
                     result.stderr), result.stderr
    assert result.stderr.count("夹江县") == 2  # the finding and its hint listing 乐山's counties
