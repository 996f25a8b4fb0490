"""A made-up 2027 call added with `docgen new-call` and edits to data and templates only — no Python."""

import copy

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import UNIT_A, edit, run
from tests.render.test_shenbaoshu import cells_text, find_row

NEW = "luoyang-2027-made-up"
OLD = "luoyang-2026-waichu-gengang"

THREE_SUBS = """sub_projects:
  - no: 1
    name: 高中新课标深化培训项目
    audience: 高中学科骨干教师
    mode: 市外跟岗实践5天+名师送教5次
    period: 2027年5-10月
    trainees: 160
    budget: 520000
  - no: 2
    name: 义务教育教学改革培训项目
    audience: 义务教育学科骨干教师
    mode: 市外跟岗实践5天+名师送教5次
    period: 2027年5-10月
    trainees: 120
    budget: 390000
  - no: 3
    name: 幼儿园保教质量提升项目
    audience: 幼儿园园长、骨干教师
    mode: 市外跟岗实践5天
    period: 2027年6-9月
    trainees: 80
    budget: 240000
"""


def add_row_like(table, last_label: str, label: str, old_key: str, new_key: str) -> None:
    """What staff do in Word: copy the last row of a table, relabel it and point it at another field."""
    row = next(r for r in table.rows if cells_text(r)[0] == last_label)
    new = copy.deepcopy(row._tr)
    row._tr.addnext(new)
    xml_cells = new.tc_lst
    label_runs = xml_cells[0].xpath(".//w:t")
    label_runs[0].text = label
    for t in label_runs[1:]:
        t.text = ""
    for t in new.xpath(".//w:t"):
        if old_key in (t.text or ""):
            t.text = t.text.replace(old_key, new_key)


@pytest.fixture
def made_up(project):
    result = run(project, "new-call", NEW, "--from", OLD)
    assert result.exit_code == 0, result.output
    call = project / "data/calls" / NEW / "call.yaml"
    text = call.read_text(encoding="utf-8")
    assert f"templates/docx/{NEW}/申报书.docx" in text and f"templates/docx/{OLD}/" not in text
    # The new notice's data: title, year, three sub-projects, other thresholds, one more narrative field.
    edit(call, "project_title: 洛阳市2026年“市培计划”外出跟岗项目", "project_title: 洛阳市2027年“市培计划”外出跟岗项目")
    edit(call, "year: 2026\npublished: 2026-05-08", "year: 2027\npublished: 2027-04-20")
    edit(call, "as_of: 2026-05-18", "as_of: 2027-04-30")  # the dates the rules hold move with the notice
    edit(call, "by: 2026-11-30", "by: 2027-11-30")
    text = call.read_text(encoding="utf-8")
    start, end = text.index("sub_projects:"), text.index("# 附件3 申报书中由申报单位撰写的部分")
    call.write_text(text[:start] + THREE_SUBS + "\n" + text[end:], encoding="utf-8")
    edit(call, '      min: "1:5"', '      min: "1:4"')
    edit(call, "title: 影子导师与学员之比不低于 1:5", "title: 影子导师与学员之比不低于 1:4")
    edit(call, "      min: 30%", "      min: 40%")
    edit(call, "      sub_projects: [1, 2]\n      max: 1", "      sub_projects: [1, 2, 3]\n      max: 1")
    edit(call, "    indicator: 培训业绩\n    points: 15", "    indicator: 培训业绩\n    points: 10")
    edit(call, "    indicator: 资源条件\n    points: 15", "    indicator: 资源条件\n    points: 20")
    edit(call, "    - key: teaching\n", "    - key: safety\n      title: 安全保障\n      hint: 外出跟岗的交通、食宿和安全预案。\n"
                                        "    - key: teaching\n")
    # The new form row, added to the copied Word template as staff would.
    tpl = project / "templates/docx" / NEW / "申报书.docx"
    doc = Document(tpl)
    t, _ = find_row(doc.tables, ["目标定位"])
    add_row_like(t, "训后服务", "安全保障", "app.rich.follow_up", "app.rich.safety")
    doc.save(tpl)
    # A unit's application, and its 2026 project (the call's 近三年 now means 2024–2026).
    app = project / "data/units" / UNIT_A / "applications" / "luoyang-2027-3.yaml"
    src = (project / "data/units" / UNIT_A / "applications" / "luoyang-2026-1.yaml").read_text(encoding="utf-8")
    src = src.replace(f"call: {OLD}", f"call: {NEW}").replace("sub_project: 1 ", "sub_project: 3 ")
    src = src.replace("trainees: 110,", "trainees: 40,")  # two 跟岗 batches of the 80 trainees
    src = src.replace("  # 七、名师送教实施方案\n", "  safety: 全程购买意外保险，每 20 名学员配备 1 名安全员。\n"
                                                  "  # 七、名师送教实施方案\n")
    app.write_text(src, encoding="utf-8")
    # The unit's letters, re-issued for the new call (a 授权书 names one project: unit.yaml scopes it).
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace(f"call: {OLD}", f"call: {NEW}")
                    .replace("application: luoyang-2026-1", "application: luoyang-2027-3"), encoding="utf-8")
    edit(project / "data/units" / UNIT_A / "unit.yaml", "\n# 培训项目管理团队", """
  - name: 洛阳市2026年“市培计划”高中学科教研能力提升项目
    level: 市培
    start: 2026-09-14
    end: 2026-11-20
    audience: 洛阳市高中学科教研员
    trainees: 90
    duration: 60学时
    client: 洛阳市教育局

# 培训项目管理团队""")
    return project


def test_made_up_call_checks_with_its_own_thresholds(made_up):
    result = run(made_up, "check", "--call", NEW)
    assert result.exit_code == 0, result.output
    assert "■ 河洛师范学院（heluo-normal） · 洛阳市2027年“市培计划”外出跟岗项目" in result.output
    assert "影子导师 44 名，学员 80 人，比例 1:1.82，要求不低于 1:4（至少 20 名）" in result.output
    assert "R1 影子导师与学员之比不低于 1:4" in result.output
    assert "要求不低于 40%" in result.output
    assert "申报了 项目1、项目2、项目3 中的 1 个" in result.output
    assert "2024–2026 年承担" in result.output


def test_made_up_call_builds_with_the_extra_row_and_three_sub_projects(made_up):
    result = run(made_up, "build", "--no-pdf", "--call", NEW)
    assert result.exit_code == 0, result.output
    out = made_up / "build"
    doc = Document(out / UNIT_A / NEW / "申报书-项目3-幼儿园保教质量提升项目.docx")
    assert "二〇二七年四月" in [p.text for p in doc.paragraphs]
    t, i = find_row(doc.tables, ["目标定位"])
    labels = [cells_text(r)[0] for r in t.rows]
    assert labels == ["目标定位", "需求分析", "内容设计", "考核评价", "特色与创新", "训后服务", "安全保障"]
    assert cells_text(t.rows[6])[1] == "全程购买意外保险，每 20 名学员配备 1 名安全员。"
    doc = Document(out / "calls" / NEW / "附件1-项目设置情况一览表.docx")
    rows = [cells_text(r) for r in doc.tables[0].rows]
    assert [r[:2] for r in rows[1:]] == [["项目1", "高中新课标深化培训项目"], ["项目2", "义务教育教学改革培训项目"],
                                         ["项目3", "幼儿园保教质量提升项目"]]
    assert [r[-1] for r in rows[1:]] == ["52万", "39万", "24万"]
    ws = load_workbook(out / "calls" / NEW / "附件1-项目设置情况一览表.xlsx").active
    assert [ws[f"B{r}"].value for r in (4, 5, 6, 7)] == ["高中新课标深化培训项目", "义务教育教学改革培训项目",
                                                         "幼儿园保教质量提升项目", None]
    doc = Document(out / "calls" / NEW / "附件5-项目遴选评分标准.docx")
    assert [cells_text(r)[3] for r in doc.tables[0].rows[1:]] == ["5分", "10分", "20分", "10分", "40分", "10分", "5分"]


def test_new_call_refuses_to_overwrite_and_unknown_source(project):
    assert run(project, "new-call", NEW, "--from", OLD).exit_code == 0
    before = (project / "data/calls" / NEW / "call.yaml").read_bytes()
    again = run(project, "new-call", NEW, "--from", OLD)
    assert again.exit_code == 2 and "错误[D121] 已存在，docgen new-call 不会覆盖" in again.stderr
    assert (project / "data/calls" / NEW / "call.yaml").read_bytes() == before
    unknown = run(project, "new-call", "luoyang-2028", "--from", "no-such-call")
    assert unknown.exit_code == 2 and "找不到通知“no-such-call”" in unknown.stderr
    assert not (project / "data/calls/luoyang-2028").exists()
    assert not list(project.glob(".staging-*"))


def test_ratio_rule_on_a_sub_project_without_trainees_is_a_data_error(project):
    # trainees is optional (出彩项目 has none), but a ratio rule over it cannot pass vacuously.
    edit(project / "data/calls" / OLD / "call.yaml", "    trainees: 220\n", "")
    result = run(project, "check", "--call", OLD)
    assert result.exit_code == 2
    assert "错误[D302]" in result.stderr and "sub_project.trainees 没有填写" in result.stderr
