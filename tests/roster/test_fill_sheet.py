"""填报表: data → workbook → data loses nothing; a workbook filled as a person would is imported or refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from docgen.apply.load import load_project
from tests.conftest import UNIT_A, run

UNIT_DIR = Path("data/units") / UNIT_A


def export(project: Path) -> Path:
    out = project / "填报表.xlsx"
    result = run(project, "data", "sheet", "--unit", UNIT_A, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def snapshot(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in (project / UNIT_DIR).rglob("*.yaml")}


def header_col(ws, title: str) -> str:
    for cell in ws[1]:
        if str(cell.value).rstrip("*") == title:
            return cell.column_letter
    raise AssertionError(title)


def test_sheet_layout_headers_examples_dropdowns(project):
    wb = load_workbook(export(project))
    assert wb.sheetnames[:6] == ["单位信息", "项目经验", "管理团队", "技术服务团队", "专家团队", "影子导师"]
    info = wb["单位信息"]
    assert info["A2"].value == "单位名称*" and info["B2"].value == "河洛师范学院"
    experts = wb["专家团队"]
    assert [c.value for c in experts[1]][:4] == ["姓名*", "职务", "职称*", "职称等级"]
    assert experts["A2"].value == "王五"  # the example row
    assert experts["A3"].value and experts.max_row > 3
    lists = {str(dv.sqref): dv for dv in experts.data_validations.dataValidation}
    frontline = header_col(experts, "是否为一线教师教研员")
    dv = lists[f"{frontline}3:{frontline}502"]
    assert dv.type == "list" and dv.showErrorMessage
    options = wb["下拉选项"]
    ref = dv.formula1.split("!")[1].replace("$", "").split(":")
    values = [options[f"{ref[0][0]}{i}"].value for i in range(1, 3)]
    assert values == ["是", "否"]
    level = lists[f"{header_col(experts, '职称等级')}3:{header_col(experts, '职称等级')}502"]
    col = level.formula1.split("!")[1].replace("$", "")[0]
    assert [options[f"{col}{i}"].value for i in range(1, 6)] == ["正高级", "副高级", "中级", "初级", "无"]
    exp = wb["项目经验"]
    start = header_col(exp, "实施开始日期")
    date_dv = {str(dv.sqref): dv for dv in exp.data_validations.dataValidation}[f"{start}3:{start}502"]
    assert date_dv.type == "date" and date_dv.showErrorMessage
    assert isinstance(exp[f"{start}3"].value, datetime) and exp[f"{start}3"].number_format == "yyyy-mm-dd"
    mobile_row = next(r for r in range(2, 40) if info[f"D{r}"].value == "leader.mobile")
    dv = next(dv for dv in info.data_validations.dataValidation if f"B{mobile_row}" in str(dv.sqref))
    assert dv.type == "textLength" and dv.formula1 == "11"
    assert info[f"B{mobile_row}"].value == "13703791826" and info[f"B{mobile_row}"].number_format == "@"
    assert wb["下拉选项"].sheet_state == "hidden"


def test_round_trip_loses_nothing(project):
    before = load_project(project, project / "data", UNIT_A)
    files = snapshot(project)
    out = export(project)
    result = run(project, "data", "import", str(out), "--unit", UNIT_A)
    assert result.exit_code == 0, result.output
    assert "没有需要更新的内容" in result.output
    after = load_project(project, project / "data", UNIT_A)
    assert after.units[UNIT_A].model == before.units[UNIT_A].model
    assert [a.model for a in after.applications] == [a.model for a in before.applications]
    assert snapshot(project) == files


def test_filled_as_a_person_would_is_imported(project):
    out = export(project)
    wb = load_workbook(out)
    exp = wb["项目经验"]
    exp[f"{header_col(exp, '实施开始日期')}4"] = "2023/7/11"          # a date typed as text (2nd project)
    team = wb["管理团队"]
    team["A8"], team["B8"], team["C8"], team["D8"], team["E8"] = "周新", 35, "大学本科", "教育学", "资料员"
    experts = wb["专家团队"]
    experts[f"{header_col(experts, '是否本机构专家')}3"] = "否"
    info = wb["单位信息"]
    mobile_row = next(r for r in range(2, 40) if info[f"D{r}"].value == "leader.mobile")
    info[f"B{mobile_row}"] = 13903791234                              # a phone typed as a number
    mentors = wb["影子导师"]
    mentors[f"{header_col(mentors, '荣誉称号')}3"] = "省级骨干教师"
    wb.save(out)
    unit_text = (project / UNIT_DIR / "unit.yaml").read_text(encoding="utf-8")
    result = run(project, "data", "import", str(out), "--unit", UNIT_A)
    assert result.exit_code == 0, result.output
    assert "已更新 " in result.output
    after = load_project(project, project / "data", UNIT_A).units[UNIT_A]
    assert str(after.model.experience[1].start) == "2023-07-11"
    assert [m.name for m in after.model.management_team][-1] == "周新"
    assert after.model.experts[0].own is False
    assert after.model.leader.mobile == "13903791234"
    app = next(a for a in after.applications if a.id == "luoyang-2026-1")
    assert app.model.mentors[0].honor == "省级骨干教师"
    text = (project / UNIT_DIR / "unit.yaml").read_text(encoding="utf-8")
    # comments of the parts the import did not change are kept
    assert text.splitlines()[:6] == unit_text.splitlines()[:6]
    assert "# 单位负责人（法定代表人）" in text and "# 项目执行部门：负责培训项目具体实施的二级单位" in text
    # the comments above and below a roster that changed are kept too
    for comment in ("# 首席专家", "# 专家团队：own 表示", "# 网络研修平台（网络研修支持服务能力）"):
        assert comment in text, comment
    changed = [line for line in text.splitlines() if line not in unit_text.splitlines()]
    assert len(changed) <= 8, changed


def test_mistakes_are_all_named_and_nothing_is_written(project):
    out = export(project)
    wb = load_workbook(out)
    experts = wb["专家团队"]
    title = header_col(experts, "职称")
    experts[f"{title}7"] = "特级大师"                                   # a wrong 职称
    team = wb["管理团队"]
    team["A4"] = None                                                  # an empty required cell
    exp = wb["项目经验"]
    start = header_col(exp, "实施开始日期")
    exp[f"{start}5"] = "二〇二三年十月"                                   # a date typed as text, unreadable
    edu = header_col(team, "学历")
    team[f"{edu}5"] = "研究生"                                          # not in the drop-down
    info = wb["单位信息"]
    mobile_row = next(r for r in range(2, 40) if info[f"D{r}"].value == "leader.mobile")
    info[f"B{mobile_row}"] = "1370379"
    mentors = wb["影子导师"]
    mentors["A4"] = "no-such-application"
    wb.save(out)
    files = snapshot(project)
    result = run(project, "data", "import", str(out), "--unit", UNIT_A)
    assert result.exit_code == 2
    err = result.stderr
    assert f"填报表.xlsx[专家团队]!{title}7: 错误[D103] 职称: 无法从职称“特级大师”判断职称等级" in err
    assert "填报表.xlsx[管理团队]!A4: 错误[D102] 姓名: 缺少必填字段" in err
    assert f"填报表.xlsx[项目经验]!{start}5: 错误[D103] 实施开始日期: 应为日期" in err and "二〇二三年十月" in err
    assert f"填报表.xlsx[管理团队]!{edu}5: 错误[D103] 学历: 取值不在允许范围内" in err
    assert f"填报表.xlsx[单位信息]!B{mobile_row}: 错误[D103] 单位负责人·手机: 手机号“1370379”不正确" in err
    assert "填报表.xlsx[影子导师]!A4: 错误[D304]" in err and "no-such-application" in err
    assert "共 6 个错误。" in err
    assert snapshot(project) == files


def test_blank_sheet_and_unreadable_file(project):
    result = run(project, "data", "sheet", "--out", str(project / "空白.xlsx"))
    assert result.exit_code == 0, result.output
    wb = load_workbook(project / "空白.xlsx")
    assert wb["专家团队"].max_row == 2 or all(c.value is None for c in wb["专家团队"][3])
    fake = project / "old.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    result = run(project, "data", "import", str(fake), "--unit", UNIT_A)
    assert result.exit_code == 2 and "错误[B104] 这是旧版 Excel 97-2003 工作簿（.xls），但内容无法读取" in result.stderr


def test_long_code_typed_as_number_and_reordered_columns(project):
    out = export(project)
    wb = load_workbook(out)
    info = wb["单位信息"]
    row = next(r for r in range(2, 40) if info[f"D{r}"].value == "credit_code")
    info[f"B{row}"] = 124103004159637221  # pasted as a number: Excel keeps 15 significant digits
    team = wb["管理团队"]
    team.move_range("A1:A200", cols=10)  # 姓名 column moved to the far right
    wb.save(out)
    files = snapshot(project)
    result = run(project, "data", "import", str(out), "--unit", UNIT_A)
    assert result.exit_code == 2
    assert f"填报表.xlsx[单位信息]!B{row}: 错误[D305] 统一社会信用代码: 这一格是超过 15 位的数字" in result.stderr
    assert "共 1 个错误。" in result.stderr  # the reordered column is read by its header, the code not reported twice
    assert snapshot(project) == files


@pytest.mark.lo
def test_the_sheet_saved_as_old_xls_by_libreoffice_round_trips(project, tmp_path):
    """The one opener reads BIFF8: an office that saves the 填报表 as .xls loses nothing."""
    from tests.bureau.returns import soffice_xls

    before = load_project(project, project / "data", UNIT_A)
    files = snapshot(project)
    xls = soffice_xls(export(project), tmp_path / "xls")
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    result = run(project, "data", "import", str(xls), "--unit", UNIT_A)
    assert result.exit_code == 0, result.output + result.stderr
    assert "没有需要更新的内容" in result.output
    after = load_project(project, project / "data", UNIT_A)
    assert after.units[UNIT_A].model == before.units[UNIT_A].model
    assert snapshot(project) == files
