"""附件1-1 计划表: layout as the notice draws it, live formulas, figures equal to Python's after recalculation."""

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.models.sichuan import YEARS
from docgen.sichuan.load import sum_regions
from docgen.sichuan.pipeline import city_workbook
from docgen.sichuan.xlsx import (
    FIRST_DATA,
    HEAD1,
    HEAD2,
    NOTES,
    PLAN_SHEET,
    completion,
    year_columns,
)
from tests.plan.helpers import CITY


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_city_workbook_layout(sample, tmp_path):
    plan = sample.plans[CITY]
    ws = load_workbook(_write(tmp_path, "c.xlsx", city_workbook(plan)))[PLAN_SHEET]
    assert ws["A1"].value == "附件1-1"
    assert ws["A2"].value == "四川省中小学教师信息技术应用能力提升工程"
    assert ws["A3"].value == "市、县级培训年度计划表"
    assert ws["A4"].value.startswith("乐山市") and "联系人：王晓燕" in ws["A4"].value
    assert "联系电话：0833-2132456" in ws["A4"].value and "填报时间：2015年9月1日" in ws["A4"].value
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {f"A{HEAD1}:A{HEAD2}", f"B{HEAD1}:B{HEAD2}", f"C{HEAD1}:F{HEAD1}", f"G{HEAD1}:J{HEAD1}",
            f"K{HEAD1}:N{HEAD1}", f"O{HEAD1}:R{HEAD1}"} <= merged
    head1 = [ws.cell(HEAD1, c).value for c in (1, 2, 3, 7, 11, 15)]
    assert head1 == ["地区", "教师总数", "2014年", "2015年", "2016年", "2017年"]
    head2 = [ws.cell(HEAD2, c).value.replace("\n", "") for c in range(3, 19)]
    assert head2[:4] == ["省培", "国培", "合计", "完成比例（%）"]
    assert head2[4:8] == head2[8:12] == head2[12:] == ["省级", "市级", "合计", "完成比例（%）"]
    names = [ws.cell(FIRST_DATA + i, 1).value for i in range(len(plan.model.regions) + 1)]
    assert names == [r.name for r in plan.model.regions] + ["合计"]
    total_row = FIRST_DATA + len(plan.model.regions)
    assert ws.cell(total_row, 2).value == f"=SUM(B{FIRST_DATA}:B{total_row - 1})"
    assert ws.cell(FIRST_DATA, 5).value == f"=C{FIRST_DATA}+D{FIRST_DATA}"
    assert ws.cell(FIRST_DATA, 10).value.startswith("=IF(B8=0")
    notes = [ws.cell(total_row + 2 + i, 1).value for i in range(len(NOTES))]
    assert notes == NOTES and len(NOTES) == 6 and notes[3].startswith("3.根据全省")


@pytest.mark.lo
def test_recalculated_figures_equal_python(sample, recalculated_books):
    plan = sample.plans[CITY]
    ws = recalculated_books["city"][1][PLAN_SHEET]
    regions = plan.model.regions + [sum_regions("合计", plan.model.regions)]
    for i, region in enumerate(regions):
        r = FIRST_DATA + i
        assert ws.cell(r, 2).value == region.teachers
        for y in YEARS:
            a, b, total, ratio = year_columns(y)
            assert ws.cell(r, total).value == region.year(y).total, (r, y)
            assert Decimal(str(ws.cell(r, ratio).value)) == completion(region, y), (r, y)
    total = regions[-1]
    assert completion(total, 2017) == Decimal("103.00")
    assert total.teachers == 28317


@pytest.mark.lo
def test_province_workbook_has_21_cities_recalculated(sample, recalculated_books):
    ws = recalculated_books["province"][1][PLAN_SHEET]
    rows = sample.province_regions()
    assert len(rows) == 21
    names = [ws.cell(FIRST_DATA + i, 1).value for i in range(22)]
    assert names[:4] == ["成都", "自贡", "攀枝花", "泸州"] and names[-2:] == ["凉山", "合计"]
    leshan = names.index("乐山")
    assert ws.cell(FIRST_DATA + leshan, 2).value == 28317
    everyone = sum_regions("全省", [r for _, r in rows])
    total_row = FIRST_DATA + 21
    assert ws.cell(total_row, 2).value == everyone.teachers
    for y in YEARS:
        _, _, total, ratio = year_columns(y)
        assert ws.cell(total_row, total).value == everyone.year(y).total
        assert Decimal(str(ws.cell(total_row, ratio).value)) == completion(everyone, y)


def test_build_is_deterministic(sample):
    plan = sample.plans[CITY]
    assert city_workbook(plan) == city_workbook(plan)


@pytest.mark.lo
def test_half_up_rounding_matches_libreoffice(recalculated_books):
    from tests.plan.conftest import ROUNDING
    ws = recalculated_books["rounding"][1][PLAN_SHEET]
    for i, region in enumerate(ROUNDING):
        assert Decimal(str(ws.cell(FIRST_DATA + i, 6).value)) == completion(region, 2014)
    assert [completion(r, 2014) for r in ROUNDING] == [Decimal("0.13"), Decimal("0.03"), Decimal("0.13")]
