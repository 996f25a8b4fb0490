"""Open the generated 申报书, 实施方案 and 汇总表 and read what a reviewer would read."""

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from docgen.apply import pipeline
from docgen.apply.load import load_project
from tests.conftest import CALL, UNIT_A, edit, run

OUT = Path(UNIT_A) / CALL


@pytest.fixture
def built(project):
    result = run(project, "build", "--no-pdf", "--call", CALL)
    assert result.exit_code == 0, result.output
    return project


def cells_text(row) -> list[str]:
    """Return the distinct cells of a row (merged cells once), text stripped."""
    seen, out = set(), []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        out.append(cell.text.strip())
    return out


def find_row(tables, first_cells: list[str]):
    for t in tables:
        for i, row in enumerate(t.rows):
            if cells_text(row)[: len(first_cells)] == first_cells:
                return t, i
    raise AssertionError(f"no row starting {first_cells}")


def test_shenbaoshu_cover_headings_and_tables(built):
    project = load_project(built, built / "data", unit_filter=UNIT_A)
    unit = project.units[UNIT_A].model
    app = project.units[UNIT_A].applications_for(CALL)[0].model
    doc = Document(built / "build" / OUT / "申报书-项目1-高中新高考培训项目.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "洛阳市2026年“市培计划”外出跟岗项目" in texts and "申报书" in texts
    assert f"申报单位（公章）：{unit.name}" in texts
    assert f"申报项目名称：{app.project_name}" in texts
    assert f"具体负责人：{app.contact.name}" in texts and f"联系电话：{app.contact.phone}" in texts
    assert "洛阳市教育局" in texts and "二〇二六年五月" in texts
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本情况", "二、网络研修支持服务能力", "三、跟岗研修实施方案", "四、名师送教实施方案",
                        "五、申请单位意见"]
    # No template tag survives.
    body = doc.element.body.xml
    assert "{{" not in body and "{%" not in body

    tables = doc.tables
    t, i = find_row(tables, ["单位名称"])
    assert cells_text(t.rows[i])[1] == unit.name
    t, i = find_row(tables, ["项目名称"])
    assert cells_text(t.rows[i]) == ["项目名称", "级别", "实施起止\n日期", "培训对象", "人数", "培训时长"]
    rows = [cells_text(r) for r in t.rows[i + 1:]]
    assert len(rows) == len(unit.experience)
    for row, p in zip(rows, unit.experience):
        assert row[0] == p.name and row[1] == p.level and row[4] == str(p.trainees)
        assert row[2] == f"{p.start:%Y.%m.%d}—{p.end:%Y.%m.%d}"
    for title, team in (("培训项目管理团队", unit.management_team), ("技术服务团队", unit.tech_team)):
        t, i = find_row(tables, [title])
        assert cells_text(t.rows[i + 1]) == ["姓名", "年龄", "学历", "专业", "工作分工"]
        assert [cells_text(r)[0] for r in t.rows[i + 2:]] == [m.name for m in team]
    t, i = find_row(tables, ["首席专家"])
    assert cells_text(t.rows[i + 1])[:2] == ["姓名", unit.chief_expert.name]
    t, i = find_row(tables, ["姓名", "职务/职称"])
    assert cells_text(t.rows[i]) == ["姓名", "职务/职称", "学科(领域)", "专业", "工作单位", "研究专长",
                                     "是否为一线教师教研员"]
    expert_rows = [cells_text(r) for r in t.rows[i + 1:]]
    assert [r[0] for r in expert_rows] == [e.name for e in unit.experts]
    assert [r[6] for r in expert_rows] == ["是" if e.frontline else "否" for e in unit.experts]

    t, i = find_row(tables, ["公用IP地址及域名"])
    cell = t.rows[i].cells[1]
    lines = [p.text for p in cell.paragraphs]
    for domain in unit.platform.domains:
        assert domain in lines  # one line per domain
    t, i = find_row(tables, ["目标定位"])
    labels = [cells_text(r)[0] for r in t.rows[i:]]
    assert labels == ["目标定位", "需求分析", "内容设计", "考核评价", "特色与创新", "训后服务"]
    goal_paras = [p.text for p in t.rows[i].cells[1].paragraphs if p.text]
    assert goal_paras[0] == app.narrative["goal"].split("\n\n")[0].replace("\n", " ").strip()
    t, i = find_row(tables, ["申请\n单位\n意见"])
    sign = [p.text.strip() for p in t.rows[i].cells[1].paragraphs]
    assert "负责人签名：" in sign and "（单位公章）" in sign


def test_special_characters_appear_exactly(built):
    doc = Document(built / "build" / OUT / "申报书-项目1-高中新高考培训项目.docx")
    names = {cells_text(r)[0] for t in doc.tables for r in t.rows}
    unit = load_project(built, built / "data", unit_filter=UNIT_A).units[UNIT_A].model
    odd = [p.name for p in unit.experience if any(c in p.name for c in "&<\"")]
    assert odd, "sample data should hold a name with & < or quotes"
    for name in odd:
        assert name in names


def test_value_with_markup_is_not_interpreted(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    edit(unit, "short_name: 河洛师院", "short_name: 河洛师院")
    edit(unit, "name: 河洛师范学院\n", "name: '河洛师范学院 & <Sons> \"{{ 7*7 }}\"'\n")
    assert run(project, "build", "--no-pdf", "--unit", UNIT_A).exit_code == 0
    doc = Document(project / "build" / OUT / "申报书-项目1-高中新高考培训项目.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "申报单位（公章）：河洛师范学院 & <Sons> \"{{ 7*7 }}\"" in texts


def test_shishi_fangan_lists_every_mentor(built):
    project = load_project(built, built / "data", unit_filter=UNIT_A)
    app = project.units[UNIT_A].applications_for(CALL)[0].model
    doc = Document(built / "build" / OUT / "实施方案-项目1-高中新高考培训项目.docx")
    t, i = find_row(doc.tables, ["序号", "姓名", "所在学校"])
    rows = [cells_text(r) for r in t.rows[i + 1:]]
    assert [r[1] for r in rows] == [m.name for m in app.mentors]
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(app.mentors) + 1)]
    assert any("影子导师 44 名" in p.text and "1:5.0" in p.text for p in doc.paragraphs)


def test_huizongbiao_values(built):
    wb = load_workbook(built / "build" / OUT / "申报汇总表.xlsx")
    ws = wb.active
    assert ws["A2"].value == "洛阳市2026年“市培计划”项目申报汇总表"
    assert ws["A3"].value == "申报单位（盖章）：河洛师范学院"
    assert ws["A4"].value.startswith("联系人：") and ws["A5"].value.startswith("联系电话：")
    assert [ws[f"{c}6"].value for c in "ABC"] == ["序号", "项目名称", "备注"]
    assert ws["A7"].value == 1 and ws["B7"].value == "高中新高考培训项目"
    assert ws["A8"].value is None


def test_huizongbiao_lists_applications_in_rank_order(project):
    # A unit applying to both sub-projects breaks R5, so build as a draft to see the list.
    app = project / "data/units" / UNIT_A / "applications/luoyang-2026-1.yaml"
    app.with_name("x.yaml").write_text(app.read_text(encoding="utf-8").replace("sub_project: 1", "sub_project: 2")
                                       .replace("rank: 1", "rank: 2"), encoding="utf-8")
    edit(app, "rank: 1", "rank: 3")
    result = run(project, "build", "--no-pdf", "--draft", "--unit", UNIT_A)
    assert result.exit_code == 1
    ws = load_workbook(project / "build" / OUT / "申报汇总表-草稿.xlsx").active
    assert [ws["B7"].value, ws["B8"].value] == ["义务教育新课程培训项目", "高中新高考培训项目"]
    assert [ws["A7"].value, ws["A8"].value] == [1, 2]
    assert ws["A9"].value is None
    doc = Document(project / "build" / OUT / "申报书-项目1-高中新高考培训项目-草稿.docx")
    assert doc.paragraphs[0].text.startswith("【草稿】")


def test_same_data_gives_identical_bytes(project, tmp_path):
    assert run(project, "build", "--no-pdf", "--out", str(tmp_path / "a")).exit_code == 0
    assert run(project, "build", "--no-pdf", "--out", str(tmp_path / "b")).exit_code == 0
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*")
                   if ".docgen" not in p.parts)  # docgen's own state and caches
    assert len(files) == len(pipeline.plan(pipeline.load(project, project / "data"))) >= 6
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_plan_covers_every_unit(project):
    p = pipeline.load(project, project / "data", call=CALL)
    outputs = sorted(j.output for j in pipeline.plan(p))
    assert len(outputs) == 6 + 5 and any(o.startswith("zhongyuan-zhiyu/") for o in outputs)
    assert sum(o.startswith(f"calls/{CALL}/") for o in outputs) == 5  # 附件1 (docx, xlsx), 附件2 申报指南, 附件4, 附件5
