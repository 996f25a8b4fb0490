"""申报书 narrative kept as Markdown beside the application: rendered rich, YAML text still works."""

import re
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from tests.conftest import CALL, UNIT_A, edit, run

APPS = Path("data/units") / UNIT_A / "applications"
APP = APPS / "luoyang-2026-1.yaml"
OUT = Path(UNIT_A) / CALL


def row_cell(doc, label):
    for t in doc.tables:
        for r in t.rows:
            if r.cells[0].text.strip() == label:
                return r.cells[1]
    raise AssertionError(label)


def test_design_row_renders_markdown_with_diagram_list_and_table(project):
    assert run(project, "build", "--no-pdf", "--unit", UNIT_A).exit_code == 0
    doc = Document(project / "build" / OUT / "申报书-项目1-高中新高考培训项目.docx")
    cell = row_cell(doc, "内容设计")
    texts = [p.text for p in cell.paragraphs]
    assert texts[0].startswith("项目按“训前诊断—跟岗浸润—送教实践—训后转化”四个阶段设计")
    assert [r.text for r in cell.paragraphs[0].runs if r.bold] == ["训前诊断—跟岗浸润—送教实践—训后转化"]
    assert cell.paragraphs[0].style.name == "表格正文"
    assert "图1 模块设置及其逻辑关系" in texts
    assert len(cell._tc.findall(".//" + qn("w:drawing"))) == 1  # the module diagram
    assert any(t.startswith("1．训前诊断与任务驱动") for t in texts)
    assert any(t.startswith("4．训后转化与成果提炼") for t in texts)
    assert [c.text for c in cell.tables[0].rows[0].cells] == ["模块", "时间", "学时/天数", "主要产出"]
    # YAML narrative keeps rendering as before, paragraph per paragraph.
    goal = [p.text for p in row_cell(doc, "目标定位").paragraphs if p.text]
    assert goal[0].startswith("本项目以“新高考背景下的课堂转型与学校治理”为主题") and len(goal) == 3
    # The 实施方案 puts the same Markdown in body styles.
    plan = Document(project / "build" / OUT / "实施方案-项目1-高中新高考培训项目.docx")
    numbered = [p.text for p in plan.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 4 and numbered[0].startswith("训前诊断与任务驱动")
    assert len(plan.inline_shapes) == 1


def test_convention_file_replaces_a_missing_yaml_item(project):
    text = (project / APP).read_text(encoding="utf-8")
    start, end = text.index("  # 二、需求分析\n  needs: |"), text.index("  # 三、内容设计")
    (project / APP).write_text(text[:start] + text[end:], encoding="utf-8")
    (project / APPS / "luoyang-2026-1/needs.md").write_text("调研显示 **78.4%** 的教师……\n", encoding="utf-8")
    assert run(project, "build", "--no-pdf", "--unit", UNIT_A).exit_code == 0
    cell = row_cell(Document(project / "build" / OUT / "申报书-项目1-高中新高考培训项目.docx"), "需求分析")
    assert cell.paragraphs[0].text == "调研显示 78.4% 的教师……"
    assert [r.text for r in cell.paragraphs[0].runs if r.bold] == ["78.4%"]


def test_both_yaml_and_file_is_an_error(project):
    (project / APPS / "luoyang-2026-1/goal.md").write_text("另一个版本\n", encoding="utf-8")
    (project / APPS / "luoyang-2026-1/nonsense.md").write_text("x\n", encoding="utf-8")
    edit(project / APP, "file: luoyang-2026-1/design.md", "file: luoyang-2026-1/missing.md")
    result = run(project, "check")
    assert result.exit_code == 2
    err = result.stderr
    assert re.search(r"luoyang-2026-1\.yaml:\d+:\d+: 错误\[D206\] narrative\.goal: 叙述项“goal”既写在申报文件中，又有文件", err)
    assert re.search(r"nonsense\.md: 错误\[D203\] 该通知的申报书没有叙述项“nonsense”", err)
    assert re.search(r"luoyang-2026-1\.yaml:\d+:\d+: 错误\[F201\] narrative\.design\.file: Markdown 文件不存在", err)


def test_missing_picture_in_narrative_is_an_input_error(project):
    edit(project / APPS / "luoyang-2026-1/design.md", "figures/模块关系图.png", "figures/没有.png")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 2
    assert re.search(r"luoyang-2026-1/design\.md:3: 错误\[F201\] narrative\.design\.file: 图片文件不存在：figures/没有\.png",
                     result.stderr)
