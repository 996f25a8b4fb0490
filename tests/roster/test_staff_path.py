"""A staff member from nothing to a sealed 申报材料 PDF with Excel and a folder of files, never writing YAML.

The person starts from a blank 填报表 (`docgen data sheet --new`), types their unit's records into it
(here: the sample unit 河洛师范学院's records, as if copied from the office's papers, under a new
name), puts the scans, the seal image and a Markdown file beside the workbook, imports, fixes what
docgen reports, builds, is told the seal is missing, adds it and gets the sealed PDF.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from openpyxl import load_workbook

from docgen.apply.load import load_project
from tests.conftest import CALL, ROOT, UNIT_A, run
from tests.pdf.fixtures import placements

NEW = "xinan-normal"
NAME = "西南师范学院"
APP = "luoyang-2026-1"


def typed(value):
    """A value as a person types it into a cell."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(map(str, value))
    return value


def columns(ws) -> dict[str, int]:
    return {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}


def fill_rows(ws, rows: list[dict[str, object]]) -> None:
    cols = columns(ws)
    for i, row in enumerate(rows):
        for title, value in row.items():
            ws.cell(row=3 + i, column=cols[title], value=typed(value))


def fill_info(ws, values: dict[str, object]) -> None:
    rows = {str(ws.cell(row=r, column=1).value).rstrip("*"): r for r in range(2, ws.max_row + 1)}
    for title, value in values.items():
        ws.cell(row=rows[title], column=2, value=typed(value))


def records(model, fields: dict[str, str]) -> dict[str, object]:
    return {title: getattr(model, key) for key, title in fields.items() if getattr(model, key) not in (None, "")}


@pytest.fixture
def papers(project: Path) -> Path:
    """The office's folder: scans, the seal image and the 内容设计 Markdown with its picture."""
    folder = project / "staff"
    (folder / "材料" / "figures").mkdir(parents=True)
    unit_dir = ROOT / "samples" / "units" / UNIT_A
    shutil.copytree(unit_dir / "attachments", folder / "材料", dirs_exist_ok=True)  # 2025/ has its own letters
    shutil.copy(unit_dir / "seal.png", folder / "材料" / "公章.png")
    shutil.copy(unit_dir / "applications" / APP / "design.md", folder / "材料" / "内容设计.md")
    shutil.copy(unit_dir / "applications" / APP / "figures" / "模块关系图.png", folder / "材料" / "figures")
    return folder


def fill_blank(path: Path, project: Path) -> None:
    """Type the unit's records into the blank 填报表, as a person would (with two slips)."""
    sample = load_project(ROOT, ROOT / "samples", UNIT_A).units[UNIT_A]
    unit = sample.model
    wb = load_workbook(path)
    info = {"单位名称": NAME, "简称": "西南师院", "单位类型": unit.kind, "统一社会信用代码": unit.credit_code,
            "通讯地址": unit.address, "邮编": unit.postcode}
    for prefix, person in (("单位负责人·", unit.leader), ("项目执行部门·部门负责人·", unit.department.head),
                           ("首席专家·", unit.chief_expert)):
        for key, field in type(person).model_fields.items():
            if getattr(person, key):
                info[prefix + field.title] = getattr(person, key)
    info |= {"项目执行部门·项目执行部门名称": unit.department.name, "项目执行部门·通讯地址": unit.department.address,
             "项目执行部门·邮编": unit.department.postcode}
    fill_info(wb["单位信息"], info)
    titles = lambda model: {k: f.title for k, f in type(model).model_fields.items()}
    fill_rows(wb["项目经验"], [records(p, titles(p)) for p in unit.experience])
    wb["项目经验"].cell(row=4, column=columns(wb["项目经验"])["级别"], value="省陪")  # slip 1: a typo
    fill_rows(wb["管理团队"], [records(m, titles(m)) for m in unit.management_team])
    fill_rows(wb["专家团队"], [{t: v for t, v in records(e, titles(e)).items() if t != "职称等级"}
                               for e in unit.experts])
    fill_rows(wb["佐证材料"], [{"材料名称": a.title, "文件": f"材料/{Path(a.file).relative_to('attachments').as_posix()}",
                               "同时作为": a.serves_as, "所属通知": a.call, "所属申报": a.application,
                               "出具日期": a.date} for a in unit.attachments])
    app = next(a for a in sample.applications if a.id == APP).model
    fill_rows(wb["申报"], [{"申报编号": APP, "通知": CALL, "子项目序号": 1, "申报排序": 1,
                           "申报项目名称": app.project_name, "具体负责人": app.contact.name,
                           "具体负责人电话": app.contact.phone, "填表日期": app.filled,
                           "计划成长案例数": app.growth_cases, "备注": app.remark}])
    call = load_project(ROOT, ROOT / "samples", UNIT_A).calls[CALL].model
    narrative = []
    for field in call.application.narrative:
        if field.key == "design":
            narrative.append({"申报编号": APP, "叙述项": field.title, "Markdown 文件": "材料/内容设计.md"})
        else:
            narrative.append({"申报编号": APP, "叙述项": field.title, "内容": app.narrative[field.key]})
    fill_rows(wb["申报书叙述"], narrative)
    mentors = [{"申报编号": APP, **records(m, titles(m))} for m in app.mentors]
    mentors[5]["申报编号"] = "luoyang-2026-l"                                     # slip 2: l for 1
    fill_rows(wb["影子导师"], mentors)
    fill_rows(wb["跟岗实践批次"], [{"申报编号": APP, **records(b, titles(b))} for b in app.batches])
    fill_rows(wb["名家送教"], [{"申报编号": APP, **records(v, titles(v))} for v in app.visits])
    wb.save(path)


def fix_slips(path: Path) -> None:
    wb = load_workbook(path)
    wb["项目经验"].cell(row=4, column=columns(wb["项目经验"])["级别"], value="市培")
    wb["影子导师"].cell(row=8, column=1, value=APP)
    wb.save(path)


def unit_files(project: Path) -> dict[str, bytes]:
    base = project / "data" / "units"
    return {str(p.relative_to(base)): p.read_bytes() for p in base.rglob("*") if p.is_file()}


@pytest.mark.lo
def test_staff_member_from_blank_sheet_to_sealed_pdf(project, papers):
    sheet = papers / "填报表.xlsx"
    result = run(project, "data", "sheet", "--new", NEW, "--out", str(sheet))
    assert result.exit_code == 0, result.output
    wb = load_workbook(sheet)
    assert wb["填报表信息"]["B1"].value == NEW
    dv = next(dv for dv in wb["影子导师"].data_validations.dataValidation if str(dv.sqref).startswith("A3"))
    assert dv.formula1 == "'申报'!$A$3:$A$502"  # the drop-down lists the 申报 sheet's numbers as they are typed
    fill_blank(sheet, project)

    # 1. import: both slips named, in tab order, with the nearest allowed value; nothing written
    before = unit_files(project)
    result = run(project, "data", "import", str(sheet))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if "错误[" in line]
    assert lines[0].endswith("[项目经验]!B4: 错误[R103] 级别: “省陪”不在下拉列表中") or "[项目经验]!B4: 错误[R103]" in lines[0]
    assert "是不是“省培”？" in result.stderr
    assert "[影子导师]!A8: 错误[D304] 申报编号: 找不到申报“luoyang-2026-l”" in lines[1]
    assert "是不是“luoyang-2026-1”？" in result.stderr
    assert len(lines) == 2 and unit_files(project) == before

    # 2. fixed: the unit is created, the files beside the workbook copied in
    fix_slips(sheet)
    result = run(project, "data", "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert f"已新建单位“{NEW}”（{NAME}）" in result.output
    assert "〔影子导师〕新增 44 行" in result.output
    unit_dir = project / "data" / "units" / NEW
    assert (unit_dir / "attachments" / "法定代表人授权书.pdf").is_file()
    assert (unit_dir / "applications" / APP / "figures" / "模块关系图.png").is_file()
    # 3. check names what is still missing, in the sheet's words; the person fills it in
    result = run(project, "check", "--unit", NEW)
    assert result.exit_code == 2
    assert "错误[D204] tech_team（技术服务团队）: 该通知的申报书要填写单位的“技术服务团队”" in result.stderr
    assert "在填报表的“技术服务团队”工作表中填写后导入" in result.stderr
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("报告已写入 ") and last.endswith("build/检查报告.xlsx")
    wb = load_workbook(sheet)
    fill_rows(wb["技术服务团队"], [records(m, {k: f.title for k, f in type(m).model_fields.items()})
                                   for m in load_project(ROOT, ROOT / "samples", UNIT_A).units[UNIT_A].model.tech_team])
    wb.save(sheet)
    result = run(project, "data", "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert "〔技术服务团队〕新增 3 行，删除 0 行，修改 0 行" in result.output
    loaded = load_project(project, project / "data", NEW).units[NEW]
    assert loaded.model.name == NAME and loaded.model.seal is None
    assert len(loaded.applications[0].model.mentors) == 44
    assert "图1 模块设置及其逻辑关系" in loaded.applications[0].markdown["design"].text

    # 4. the wrong unit is refused, its files untouched
    before = unit_files(project)
    result = run(project, "data", "import", str(sheet), "--unit", UNIT_A)
    assert result.exit_code == 2
    assert f"错误[R100] 这份填报表是为单位“{NEW}”（{NAME}）生成的，不能导入到单位“{UNIT_A}”" in result.stderr
    assert "错误[R101]" in result.stderr and "--rename" in result.stderr
    assert unit_files(project) == before

    # 5. build: the final PDF is refused without a seal, and says how to add one
    out = project / "build"
    result = run(project, "build", "--unit", NEW, "--call", CALL)
    assert result.exit_code == 2, result.output
    assert f"错误[D560] 印章图片: 单位“{NAME}”没有印章图片，不能生成正式的申报材料 PDF" in result.stderr
    assert "“公章·印章图片”" in result.stderr
    final = out / NEW / CALL / "申报材料-项目1-高中新高考培训项目.pdf"
    assert not final.exists()
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("文件一览：") and last.endswith("build/检查报告.html")

    # 6. the seal is added in the sheet; the sealed PDF comes out
    wb = load_workbook(sheet)
    fill_info(wb["单位信息"], {"公章·印章图片": "材料/公章.png"})
    wb.save(sheet)
    result = run(project, "data", "import", str(sheet))
    assert result.exit_code == 0, result.output
    assert "公章·印章图片：材料/公章.png" in result.output
    result = run(project, "build", "--unit", NEW, "--call", CALL)
    assert result.exit_code == 0, result.output
    assert final.is_file()
    with pikepdf.open(final) as pdf:
        sealed = [i for i, page in enumerate(pdf.pages) if any(p[4] is None for p in placements(page, "/DgSeal"))]
        page_count = len(pdf.pages)
    assert sealed, "no page carries the seal"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{NAME}（{NEW}）" in index and "申报材料-项目1-高中新高考培训项目.pdf" in index
    row = index.split("申报材料-项目1-高中新高考培训项目.pdf</a>")[1].split("</tr>")[0]
    assert f"<td class='num'>{page_count}</td>" in row and "已生成" in row
    report = load_workbook(out / "检查报告.xlsx")["检查报告"]
    assert [c.value for c in report[1]][:5] == ["单位", "通知", "申报（子项目）", "规则或问题", "结果"]
    verdicts = [r[4].value for r in report.iter_rows(min_row=2)]
    assert verdicts and set(verdicts) == {"通过"}

    # 7. undo: the seal import, the 技术服务团队 import, then the one that created the unit
    result = run(project, "data", "undo", "--unit", NEW)
    assert result.exit_code == 0, result.output
    assert load_project(project, project / "data", NEW).units[NEW].model.seal is None
    assert run(project, "data", "undo", "--unit", NEW).exit_code == 0
    assert "tech_team" not in (unit_dir / "unit.yaml").read_text(encoding="utf-8")
    result = run(project, "data", "undo", "--unit", NEW)
    assert result.exit_code == 0, result.output
    assert not (unit_dir / "unit.yaml").exists() and not (unit_dir / "applications" / f"{APP}.yaml").exists()
    result = run(project, "data", "undo", "--unit", NEW)
    assert result.exit_code == 2 and "错误[R112]" in result.stderr


def test_dry_run_lists_changes_and_undo_restores(project):
    out = project / "填报表.xlsx"
    assert run(project, "data", "sheet", "--unit", UNIT_A, "--out", str(out)).exit_code == 0
    wb = load_workbook(out)
    experts = wb["专家团队"]
    experts.delete_rows(4)                                   # 秦嘉慧 leaves
    cols = columns(experts)
    experts.cell(row=3, column=cols["职称"], value="副教授")   # 姚承志's title
    accounts = wb["平台测试账号"]
    accounts.cell(row=3, column=columns(accounts)["密码"], value="New@2027")  # a password changed
    wb["管理团队"].cell(row=8, column=1, value="周新")
    for title, value in (("年龄", 35), ("学历", "大学本科"), ("专业", "教育学"), ("工作分工", "资料员")):
        wb["管理团队"].cell(row=8, column=columns(wb["管理团队"])[title], value=value)
    wb.save(out)
    before = unit_files(project)
    result = run(project, "data", "import", str(out), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "〔管理团队〕新增 1 行，删除 0 行，修改 0 行" in result.output and "＋ 周新" in result.output
    assert "〔专家团队〕新增 0 行，删除 1 行，修改 1 行" in result.output
    assert "－ 秦嘉慧" in result.output and "～ 姚承志：职称 教授 → 副教授" in result.output
    assert "〔平台测试账号〕新增 0 行，删除 0 行，修改 1 行" in result.output
    assert "～ 个人空间：密码 Hl@2026xy → New@2027" in result.output
    assert unit_files(project) == before
    result = run(project, "data", "import", str(out))
    assert result.exit_code == 0 and unit_files(project) != before
    unit = load_project(project, project / "data", UNIT_A).units[UNIT_A].model
    assert unit.platform.test_accounts[0].password == "New@2027" and unit.platform.ip == "218.28.176.45"
    manifest = json.loads((project / "data" / ".history" / UNIT_A / "001" / "manifest.json").read_text("utf-8"))
    assert manifest["files"] == [{"file": f"units/{UNIT_A}/unit.yaml", "existed": True}]
    result = run(project, "data", "undo", "--unit", UNIT_A)
    assert result.exit_code == 0, result.output
    assert unit_files(project) == before


def test_empty_unit_yaml_is_repaired_from_the_sheet(project):
    unit_dir = project / "data" / "units" / "empty-unit"
    unit_dir.mkdir()
    (unit_dir / "unit.yaml").write_text("", encoding="utf-8")
    out = project / "空.xlsx"
    result = run(project, "data", "sheet", "--unit", "empty-unit", "--out", str(out))
    assert result.exit_code == 0, result.output
    result = run(project, "data", "import", str(out))
    assert result.exit_code == 2, result.output
    assert "[单位信息]!B2: 错误[D102] 单位名称: 必填，这一格不能空着" in result.stderr
    assert "内部错误" not in result.output + result.stderr
