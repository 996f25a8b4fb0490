"""洛阳 2025 网络研修: the 申报书 per sub-project, and the bureau's own attachments (附件1, 4, 5)."""


import pytest
from docx import Document
from openpyxl import load_workbook

from docgen.apply.load import load_project
from tests.conftest import UNIT_A, edit, run
from tests.render.test_shenbaoshu import cells_text, find_row

CALL25 = "luoyang-2025-wangluo-yanxiu"
PLAN_LABELS = ["目标定位", "需求分析", "内容设计", "考核评价", "特色与创新", "训后服务"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from tests.conftest import ROOT
    root = tmp_path_factory.mktemp("ly2025")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "build", "--no-pdf", "--call", CALL25)
    assert result.exit_code == 0, result.output
    return root


def test_one_shenbaoshu_per_sub_project(built):
    out = built / "build" / UNIT_A / CALL25
    names = sorted(p.name for p in out.glob("申报书-*.docx"))
    assert names == ["申报书-项目1-市直学校教师继续教育线上线下混合研修项目.docx",
                     "申报书-项目2-人工智能（智慧教育）培训.docx"]


def test_shenbaoshu_headings_platform_and_plans(built):
    project = load_project(built, built / "data", unit_filter=UNIT_A)
    unit = project.units[UNIT_A].model
    app = project.units[UNIT_A].applications_for(CALL25)[0].model
    doc = Document(built / "build" / UNIT_A / CALL25 / "申报书-项目1-市直学校教师继续教育线上线下混合研修项目.docx")
    texts = [p.text for p in doc.paragraphs]
    assert "洛阳市2025年“市培计划”网络研修项目" in texts and "申报书" in texts
    assert "洛阳市教育局" in texts and "二〇二五年三月" in texts
    assert f"申报项目名称：{app.project_name}" in texts
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本情况", "二、网络研修支持服务能力", "三、集中研修实施方案", "四、返岗实践实施方案",
                        "五、申请单位意见"]
    assert "{{" not in doc.element.body.xml and "{%" not in doc.element.body.xml
    t, i = find_row(doc.tables, ["指标"])
    rows = [cells_text(r) for r in t.rows[i:]]
    assert [r[0] for r in rows] == ["指标", "公用IP地址及域名", "个人空间、教师工作坊、社区管理员测试账号及密码",
                                    "网络研修社区功能", "过程监控", "危机应对"]
    ip_lines = rows[1][1].split("\n")
    assert ip_lines == [f"IP地址：{unit.platform.ip}"] + [f"域名{n}：{d}" for n, d in
                                                         enumerate(unit.platform.domains, 1)]
    assert len(unit.platform.domains) == 3
    accounts = rows[2][1].split("\n")
    assert accounts == [f"{a.role}：账号 {a.account}，密码 {a.password}" for a in unit.platform.test_accounts]
    assert rows[4][1].startswith("平台实时记录学员登录")
    # 三 and 四: six rows each, filled from the two sets of narrative keys.
    plan_tables = [t for t in doc.tables if [cells_text(r)[0] for r in t.rows] == PLAN_LABELS]
    assert len(plan_tables) == 2
    assert cells_text(plan_tables[0].rows[0])[1].startswith("高质量完成市直学校 3000 名")
    assert cells_text(plan_tables[1].rows[0])[1].startswith("学员在本校完成一次")
    t, i = find_row(doc.tables, ["申请\n单位\n意见"])
    assert "我校自愿申报" in cells_text(t.rows[i])[1] and "2025年3月20日" in cells_text(t.rows[i])[1]


def test_unit_huizongbiao_lists_both_sub_projects(built):
    ws = load_workbook(built / "build" / UNIT_A / CALL25 / "申报汇总表.xlsx").active
    assert ws["A2"].value == "洛阳市2025年“市培计划”网络研修项目申报汇总表"
    assert [ws[f"{c}6"].value for c in "ABC"] == ["序号", "项目名称", "备注"]
    assert [ws["A7"].value, ws["A8"].value, ws["A9"].value] == [1, 2, None]
    # 项目名称 is the 子项目 of 附件1 (what the bureau's collect matches); the unit's own title goes to 备注
    assert ws["B8"].value == "人工智能（智慧教育）培训"
    assert ws["C8"].value.startswith("洛阳市2025年人工智能（智慧教育）教师培训项目")


def test_yilanbiao_docx_and_xlsx(built):
    calls = built / "build" / "calls" / CALL25
    heads = ["序号", "子项目名称", "培训对象", "培训\n方式", "培训\n时间", "培训\n人数", "经费标准（元）"]
    doc = Document(calls / "附件1-项目设置情况一览表.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "附件1" and "洛阳市2025年“市培计划”网络研修项目设置情况一览表" in texts
    rows = [cells_text(r) for r in doc.tables[0].rows]
    assert rows[0] == heads
    assert rows[1:] == [
        ["项目1", "市直学校教师继续教育线上线下混合研修项目", "洛阳市市直学校全体在编教师", "线上线下混合研修",
         "2025年4-11月", "3000", "20.16万"],
        ["项目2", "人工智能（智慧教育）培训", "洛阳市市直学校教师、县区骨干教师", "线上工作坊+线下集中培训",
         "2025年4月", "120", "13万"]]
    ws = load_workbook(calls / "附件1-项目设置情况一览表.xlsx").active
    assert [c.value for c in ws[3]] == [h.replace("\n", "") for h in heads]
    assert [c.value for c in ws[4]] == ["项目1", "市直学校教师继续教育线上线下混合研修项目", "洛阳市市直学校全体在编教师",
                                       "线上线下混合研修", "2025年4-11月", 3000, "20.16万"]
    assert ws["B5"].value == "人工智能（智慧教育）培训" and ws["A6"].value is None


def test_blank_huizongbiao_and_pingfen(built):
    calls = built / "build" / "calls" / CALL25
    doc = Document(calls / "附件4-项目申报汇总表.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["附件4", "洛阳市2025年“市培计划”网络研修项目", "申报汇总表"]
    assert any(t.startswith("申报单位（盖章）:") and "联系人：" in t and "联系电话：" in t for t in texts)
    rows = [cells_text(r) for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "项目名称", "备注"] and rows[1:] == [["", "", ""]] * 3
    doc = Document(calls / "附件5-项目遴选评分标准.docx")
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["附件5", "洛阳市2025年“市培计划”网络研修项目", "遴选评分标准"]
    rows = [cells_text(r) for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "指标", "评价内容", "分值"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("1", "机构资质", "5分"), ("2", "培训业绩", "15分"), ("3", "平台资源", "30分"), ("4", "实施方案", "20分"),
        ("5", "管理团队", "15分"), ("6", "服务保障", "10分"), ("7", "特色与创新", "5分")]
    assert rows[4][2].split("\n")[0].startswith("1.有效开展需求调研")
    assert "说明：" in texts and any(t.startswith("3、以上评分标准中所涉及的各类资质") for t in texts)


def test_points_not_100_stop_the_build_naming_the_call_file(project):
    call_yaml = project / "data/calls" / CALL25 / "call.yaml"
    edit(call_yaml, "    indicator: 平台资源\n    points: 30", "    indicator: 平台资源\n    points: 25")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(call_yaml.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("scoring:"))
    assert f"data/calls/{CALL25}/call.yaml:{line}:" in result.stderr
    assert "错误[D110]" in result.stderr and "合计 95 分（5+15+25+20+15+10+5），应为 100 分" in result.stderr
    assert not (project / "build").exists() or not any((project / "build").rglob("*.docx"))


def test_missing_platform_data_is_reported(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    edit(unit, "  domains:\n    - px.hlnu.edu.cn\n    - yanxiu.hlnu.edu.cn\n    - hlpx.cn\n", "  domains: []\n")
    result = run(project, "check", "--call", CALL25)
    assert result.exit_code == 2
    line = next(n for n, text in enumerate(unit.read_text(encoding="utf-8").splitlines(), 1)
                if text == "  domains: []")
    assert f"unit.yaml:{line}:" in result.stderr and "错误[D204] platform.domains（域名）" in result.stderr
    assert result.stderr.count("D204") == 1  # two applications, reported once for the unit


def test_points_not_100_stop_the_score_sheets_too(project):
    call_yaml = project / "data/calls" / CALL25 / "call.yaml"
    edit(call_yaml, "    indicator: 特色与创新\n    points: 5", "    indicator: 特色与创新\n    points: 6")
    result = run(project, "score", "sheets", "--call", CALL25, "--reviewers", "3")
    assert result.exit_code == 2
    assert f"data/calls/{CALL25}/call.yaml:" in result.stderr and "合计 101 分" in result.stderr
