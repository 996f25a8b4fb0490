"""`docgen template check`: every mistake of a template in one report, named by place; --fix repairs the safe ones."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document
from docx.shared import Pt

from docgen.apply.load import load_project
from tests.conftest import CALL, run

SHENBAO = Path("templates/docx") / CALL / "申报书.docx"


def paragraphs(doc):
    """Every paragraph once (merged cells repeat in python-docx's row.cells)."""
    seen = set()
    for p in [*doc.paragraphs, *(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs)]:
        if id(p._p) not in seen:
            seen.add(id(p._p))
            yield p


def find_para(doc, text: str):
    for p in paragraphs(doc):
        if text in p.text:
            return p
    raise AssertionError(f"no paragraph with {text!r}")


def retype(paragraph, pieces: list[tuple[str, str | None]]) -> None:
    """Replace a paragraph's runs by *pieces* (text, font name or None), as a person retyping part of it."""
    first = paragraph.runs[0]
    for extra in paragraph.runs[1:]:
        extra._r.getparent().remove(extra._r)
    first.text = pieces[0][0]
    for text, font in pieces[1:]:
        new = copy.deepcopy(first._r)
        first._r.addnext(new)
        first = type(first)(new, paragraph)
        first.text = text
        if font:
            first.font.name = font
            first.font.size = Pt(13)


def set_text(paragraph, text: str) -> None:
    retype(paragraph, [(text, None)])


def five_mistakes(root: Path) -> Path:
    path = root / SHENBAO
    doc = Document(path)
    set_text(find_para(doc, "{{ unit.address }}"), "{{ unit.address | }}")                 # 1 syntax
    set_text(find_para(doc, "{{ unit.leader.name }}"), "{{ unit.leder.name }}")             # 2 unknown field
    retype(find_para(doc, "{{ unit.postcode }}"), [("{{ unit.", None), ("postcode }}", "黑体")])  # 3 split runs
    set_text(find_para(doc, "{{ unit.leader.title }}"), "{{ unit.leader.title or “无” }}")  # 4 curly quotes
    endfors = [p for p in paragraphs(doc) if p.text == "{%tr endfor %}"]
    set_text(endfors[1], "")                                                               # 5 row loop not closed
    doc.save(path)
    return path


def test_five_mistakes_one_report(project):
    five_mistakes(project)
    result = run(project, "template", "check", str(project / SHENBAO))
    assert result.exit_code == 2
    err = result.stderr
    assert "错误[T401] 标签 {{ unit.address | }} 语法错误" in err
    assert "“unit.leder”在数据中不存在：“unit”没有字段“leder”" in err and "是不是“leader”" in err
    assert "警告[T406] 标签 {{ unit.postcode }} 被拆成了 2 段不同格式的文字" in result.output
    assert "错误[T405] 标签 {{ unit.leader.title or “无” }} 中有中文（弯）引号" in err
    assert "表格行循环 {%tr for m in unit.management_team %} 缺少结束标签 {%tr endfor %}" in err
    # places: table and cell, not a line number of some XML
    assert "申报书.docx（“一、基本情况”下表格1第2行第2列）: 错误[T401]" in err
    assert "表格3第3行第1列）: 错误[T404]" in err
    assert "共 4 个错误，1 个警告。" in err


def test_build_fails_with_the_report_not_a_traceback(project):
    five_mistakes(project)
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "语法错误" in result.stderr and "leder" in result.stderr and "缺少结束标签" in result.stderr
    # A failing document does not stop the others: only the 申报书 (its template is broken) is missing.
    built = [str(p) for p in (project / "build").rglob("*.docx")]
    assert any(f"{CALL}/实施方案-" in p for p in built) and not any(f"{CALL}/申报书-" in p for p in built)


def test_fix_repairs_split_runs_and_quotes(project):
    path = project / SHENBAO
    doc = Document(path)
    retype(find_para(doc, "{{ unit.postcode }}"), [("{{ unit.", None), ("post", "黑体"), ("code }}", None)])
    set_text(find_para(doc, "{{ unit.leader.title }}"), "{{ unit.leader.title or ‘无’ }}")
    doc.save(path)
    result = run(project, "template", "check", "--fix", str(path))
    assert result.exit_code == 0, result.output
    assert "把拆开的标签 {{ unit.postcode }} 合并为一段" in result.output
    assert "中文引号改为英文直引号" in result.output
    doc = Document(path)
    para = find_para(doc, "unit.postcode")
    assert [r.text for r in para.runs] == ["{{ unit.postcode }}"]
    assert find_para(doc, "unit.leader.title").text == "{{ unit.leader.title or '无' }}"
    again = run(project, "template", "check", str(path))
    assert again.exit_code == 0 and "没有错误" in again.output and "警告" not in again.output


def test_check_all_templates_and_xlsx_location(project):
    from openpyxl import load_workbook
    xlsx = project / "templates/xlsx" / CALL / "汇总表.xlsx"
    wb = load_workbook(xlsx)
    wb.active["C7"] = "{{ a.remarks }}"
    wb.save(xlsx)
    result = run(project, "template", "check")
    assert result.exit_code == 2
    assert "汇总表.xlsx[申报汇总表]!C7: 错误[T402] “a.remarks”在数据中不存在" in result.stderr
    assert "是不是“remark”" in result.stderr


def test_clean_templates_pass(project):
    result = run(project, "template", "check")
    assert result.exit_code == 0, result.output
    templates = {f.template for c in (project / "data/calls").glob("*/call.yaml")
                 for f in load_project(project, project / "data").calls[c.parent.name].model.forms}
    assert len(templates) > 3
    assert f"检查了 {len(templates)} 个模板：没有错误" in result.output


def test_vars_lists_used_and_offered(project):
    result = run(project, "template", "vars", str(project / SHENBAO))
    assert result.exit_code == 0, result.output
    out = result.output
    used, offered = out.split("数据提供的字段")
    assert "{{ unit.leader.name }}  姓名" in used
    assert "{{ unit.experience[].trainees }}  人数" in used
    assert "unit.experts[].title_level" in offered and "职称等级" in offered
    assert "unit.experience" in offered and "{%tr for x in unit.experience %}" in offered


def test_half_brackets_unknown_filter_and_crowded_paragraph_tag():
    import io

    from docgen.apply.context import application_context
    from docgen.apply.load import load_project
    from docgen.render.inspect import check_docx_bytes
    from tests.conftest import ROOT

    doc = Document()
    doc.add_heading("一、基本情况", level=1)
    for text in ["单位：{{ unit.name }", "负责人：{{ unit.leader.name | cn_dat }}",
                 "{%p for e in unit.experts %} 专家", "{{ e.nam }}", "{%p endfor %}", "{% if draft %}草稿"]:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    project = load_project(ROOT, ROOT / "samples")
    report = check_docx_bytes(buf.getvalue(), "t.docx", application_context(project.applications[0]))
    lines = [d.format().splitlines()[0] for d in report.diagnostics]
    assert "t.docx（“一、基本情况”下段落“单位：{{ unit.name …”）: 错误[T401] “单位：{{ unit.name }”中的标签括号不成对" in lines
    assert any("没有名为“cn_dat”的过滤器" in line for line in lines)
    assert any("警告[T408] 段落标签 {%p for e in unit.experts %} 所在的段落还有其他文字" in line for line in lines)
    assert any("“e.nam”在数据中不存在：“e”没有字段“nam”" in line for line in lines)
    assert any("条件 {% if draft %} 缺少结束标签 {% endif %}" in line for line in lines)
    assert len(report.errors) == 4


def test_full_width_braces_and_row_loop_across_tables(project):
    path = project / SHENBAO
    doc = Document(path)
    set_text(find_para(doc, "{{ unit.name }}"), "｛｛ unit.name ｝｝")
    endfors = [p for p in paragraphs(doc) if p.text == "{%tr endfor %}"]
    set_text(endfors[0], "")       # the 项目经验 loop now ends in the next table
    doc.save(path)
    result = run(project, "template", "check", str(path))
    assert result.exit_code == 2
    assert "标签用了全角括号或全角 ％，不会被识别" in result.stderr
    assert "表格2第3行第1列）: 错误[T404] 表格行循环 {%tr for p in unit.experience %} 缺少结束标签" in result.stderr
    assert "management_team" not in result.stderr  # the next table's loop is not blamed
    assert "共 2 个错误" in result.stderr


def test_tracked_changes_on_tags_are_flagged():
    import io

    from docx.oxml import parse_xml

    from docgen.render.inspect import check_docx_bytes

    doc = Document()
    p = doc.add_paragraph("单位：")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:ins {ns} w:id="1" w:author="staff" w:date="2026-05-01T00:00:00Z">'
                          '<w:r><w:t>{{ unit.name }}</w:t></w:r></w:ins>'))
    buf = io.BytesIO()
    doc.save(buf)
    report = check_docx_bytes(buf.getvalue(), "t.docx", None)
    assert [d.code for d in report.diagnostics] == ["T409"]
    assert report.diagnostics[0].severity == "warning" and "接受所有修订" in report.diagnostics[0].hint


def test_check_still_reads_syntax_when_the_data_is_broken(project):
    from tests.conftest import UNIT_A, edit
    edit(project / "data/units" / UNIT_A / "unit.yaml", "name: 河洛师范学院", "name: [河洛师范学院")
    path = project / SHENBAO
    doc = Document(path)
    set_text(find_para(doc, "{{ unit.address }}"), "{{ unit.address | }}")
    set_text(find_para(doc, "{{ unit.leader.name }}"), "{{ unit.leder.name }}")
    doc.save(path)
    result = run(project, "template", "check", str(path))
    assert result.exit_code == 2
    assert "数据无法读取，只检查模板语法" in result.stderr
    assert "语法错误" in result.stderr and "leder" not in result.stderr
    assert run(project, "template", "check").exit_code == 2  # all templates: the data problem is reported


def test_xlsx_blocks_close_in_their_cell(project):
    from openpyxl import load_workbook
    xlsx = project / "templates/xlsx" / CALL / "汇总表.xlsx"
    wb = load_workbook(xlsx)
    ws = wb.active
    ws["B7"] = "{% if a.remark %}{{ a.sub.name }}"
    ws["C7"] = "{{ a.remark }}{% endif %}{% endfor %}"
    ws["A3"] = "申报单位（盖章）：{{ unit.name | default(“无”) }}"
    wb.save(xlsx)
    result = run(project, "template", "check", str(xlsx))
    assert result.exit_code == 2
    err = result.stderr
    assert "[申报汇总表]!B7: 错误[T404] 条件 {% if a.remark %} 缺少结束标签 {% endif %}" in err
    assert "[申报汇总表]!C7: 错误[T404] {% endif %} 没有对应的开始标签" in err
    assert "[申报汇总表]!A3: 错误[T405]" in err
    fixed = run(project, "template", "check", "--fix", str(xlsx))
    assert "申报汇总表!A3" in fixed.output and "中文引号改为英文直引号" in fixed.output
    assert load_workbook(xlsx).active["A3"].value == '申报单位（盖章）：{{ unit.name | default("无") }}'
