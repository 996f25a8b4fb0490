"""河南 2024 出彩项目: the 申报书 of a 县教育局 and of a 高校, and the rules of the notice."""

import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import ROOT, edit, run
from tests.render.test_shenbaoshu import cells_text, find_row

HN = "henan-2024-chucai-xiangmu"
COUNTY = "yichuan-jyj"
UNI = "heluo-normal"
COUNTY_APP = f"data/units/{COUNTY}/applications/henan-2024-4.yaml"
UNI_APP = f"data/units/{UNI}/applications/henan-2024-3.yaml"
BUREAU = "data/bureaus/luoyang-jyj/bureau.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hn2024")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "build", "--no-pdf", "--call", HN)
    assert result.exit_code == 0, result.output
    return root


def shenbaoshu(root, unit):
    files = list((root / "build" / unit / HN).glob("申报书-*.docx"))
    assert len(files) == 1
    return Document(files[0])


def test_cover_and_headings(built):
    doc = shenbaoshu(built, COUNTY)
    texts = [p.text for p in doc.paragraphs]
    assert "河南省基础教育教师培训出彩项目" in texts and "申　报　书" in texts
    assert "项目名称　伊川县“1+10+100”乡村首席教师工作室建设模式创新" in texts
    assert "项目负责人　韩立新" in texts and "单位（盖章）　伊川县教育局" in texts
    assert "填表日期　2024年4月25日" in texts
    assert "河南省教育厅　制" in texts and "2024 年 4 月" in texts
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本信息", "二、项目拟完成目标（500字以内）",
                        "三、实施基础和条件保障（应注明是否列入单位重点工作）", "四、项目建设方案（可另附页）",
                        "五、总体工作进度安排", "六、申报意见"]
    assert "{{" not in doc.element.body.xml and "{%" not in doc.element.body.xml


def test_basic_info_participants_and_schedule(built):
    doc = shenbaoshu(built, COUNTY)
    t, i = find_row(doc.tables, ["项目名称"])
    rows = [cells_text(r) for r in t.rows]
    assert rows[1] == ["负责人姓名", "韩立新", "职称职务", "高级教师/局长"]
    assert rows[2] == ["联系电话", "13838861523", "电子邮箱", "hanlx@ycjy.gov.cn"]
    assert rows[3] == ["项目\n参与人", "姓名", "性别", "出生年月", "职称", "研究专长", "工作单位"]
    assert [r[1:] for r in rows[4:8]] == [
        ["贾晓燕", "女", "1979.03", "正高级教师", "乡村教师专业发展", "伊川县教师发展中心"],
        ["张国庆", "男", "1982.11", "高级教师", "小学数学教研", "伊川县教师发展中心"],
        ["王静怡", "女", "1986.07", "高级教师", "小学语文教学", "伊川县鸣皋镇中心小学"],
        ["刘志远", "男", "1975.01", "教授", "教师教育", "河洛师范学院"]]
    assert rows[8] == ["项目完成时间", "2025年12月31日前"]
    # The 项目参与人 label spans its header and every participant row (one vertical merge).
    merge = [r._tr.tc_lst[0].tcPr.find(qn("w:vMerge")) for r in t.rows[3:9]]
    assert merge[0].get(qn("w:val")) == "restart"
    assert all(m is not None and m.get(qn("w:val")) is None for m in merge[1:5]) and merge[5] is None
    t, i = find_row(doc.tables, ["序号", "阶段"])
    rows = [cells_text(r) for r in t.rows[i:]]
    assert rows[0] == ["序号", "阶段", "起止时间", "主要工作内容", "阶段成果"]
    assert [r[:2] for r in rows[1:]] == [["1", "启动准备"], ["2", "培育建设"], ["3", "辐射推广"], ["4", "总结结项"]]
    body = "\n".join(p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs)
    assert "本项目已列入伊川县教育局重点工作。" in body


def test_opinion_rows_county_has_higher_authority_university_has_not(built):
    county = shenbaoshu(built, COUNTY)
    t, _ = find_row(county.tables, ["单位意见"])
    assert [cells_text(r)[0] for r in t.rows] == ["单位意见", "上级教育\n行政部门\n意见（高\n校除外）"]
    uni = shenbaoshu(built, UNI)
    t, _ = find_row(uni.tables, ["单位意见"])
    assert [cells_text(r)[0] for r in t.rows] == ["单位意见"]
    t, _ = find_row(uni.tables, ["项目名称"])
    assert cells_text(t.rows[1]) == ["负责人姓名", "林书涵", "职称职务", "教授/主管副校长"]


def test_zhinan_lists_the_five_types_with_funding(built):
    doc = Document(built / "build/calls" / HN / "附件1-申报指南.docx")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、区域教师智能研修体系建设", "二、市级或县级教师发展中心建设",
                        "三、基于“UGS”深度协同的教师培训选育用评模式建设", "四、乡村首席教师工作室建设模式创新",
                        "五、市域或县域校本研修体系建设"]
    funding = [p.text for p in doc.paragraphs if p.text.startswith("（五）经费资助")]
    assert funding == ["（五）经费资助　30万元"] + ["（五）经费资助　10万元"] * 4
    assert sum(p.text == "（四）结项时间要求　2025年12月31日前" for p in doc.paragraphs) == 5


def _goal(project, text):
    path = project / COUNTY_APP
    src = path.read_text(encoding="utf-8")
    start = src.index("  goal: |\n")
    end = src.index("  # 三、实施基础和条件保障")
    path.write_text(src[:start] + "  goal: " + text + "\n" + src[end:], encoding="utf-8")


def test_goal_of_exactly_500_words_passes(project):
    _goal(project, "目" * 490 + "，DeepSeek 2025 年" + "标" * 5)  # 490 + 1 + 1 + 1 + 1 + 5 = 499 … plus 。
    edit(project / COUNTY_APP, "标标标标标\n", "标标标标标。\n")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 0, result.output
    assert "“项目拟完成目标”共 500 字（按 Word/WPS 字数统计），要求不超过 500 字" in result.output


def test_goal_of_501_words_fails_in_chinese_at_the_field(project):
    _goal(project, "目" * 501)
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1
    assert "未通过 R1 项目拟完成目标不超过 500 字" in result.output
    assert "共 501 字" in result.output and "删减 1 字以上" in result.output
    line = next(n for n, t in enumerate((project / COUNTY_APP).read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("  goal: "))
    assert f"henan-2024-4.yaml:{line}:" in result.output


def test_goal_in_a_markdown_file_counts_its_plain_text(project):
    _goal(project, "{file: goal.md}")
    (project / COUNTY_APP).parent.joinpath("goal.md").write_text("**目标**" + "目" * 499 + "\n", encoding="utf-8")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1, result.output
    # the ** of the bold are not text: 2 + 499 = 501 字
    assert "“项目拟完成目标”共 501 字" in result.output and "删减 1 字以上" in result.output


@pytest.mark.parametrize("app,old,new,message", [
    (COUNTY_APP, "  position: 局长", "  position: 主管副局长", "教育局（县级）的负责人须为：局长"),
    (UNI_APP, "  position: 主管副校长", "  position: 校长助理", "高校的负责人须为：校长、主管副校长"),
])
def test_role(project, app, old, new, message):
    edit(project / app, old, new)
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1
    assert "未通过 R2" in result.output and message in result.output


def test_one_project_per_person_across_units(project):
    # The same name in two units is not counted as one person: both are asked to confirm (id_no) …
    edit(project / UNI_APP, "  name: 林书涵", "  name: 韩立新")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1
    assert result.output.count("未通过 R3 每人限报 1 个项目") == 2
    assert "未能确认是否同一人" in result.output and "id_no" in result.output
    # … and one ID on both makes them one person, leading two projects.
    edit(project / UNI_APP, "  email: linsh@hlnu.edu.cn", '  email: linsh@hlnu.edu.cn\n  id_no: "410329197508210035"')
    result = run(project, "check", "--call", HN)
    assert result.output.count("未通过 R3 每人限报 1 个项目") == 2
    assert "韩立新 同时负责：" in result.output


def test_quota_over_half_of_the_counties_fails(project):
    edit(project / BUREAU, "counties: [伊川县, 嵩县, 栾川县]",
         "counties: [伊川县, 嵩县, 栾川县, 宜阳县, 洛宁县, 新安县, 汝阳县, 孟津区]")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1
    assert "推荐 8 个，上限 7 个" in result.output and "推荐名单超出 1 个" in result.output
    assert "bureau.yaml:" in result.output


def test_county_not_recommended_fails(project):
    edit(project / BUREAU, "counties: [伊川县, 嵩县, 栾川县]", "counties: [嵩县, 栾川县]")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 1
    assert "伊川县未经洛阳市教育局审核推荐" in result.output


def test_recommended_name_must_be_a_county(project):
    edit(project / BUREAU, "counties: [伊川县, 嵩县, 栾川县]", "counties: [伊川县, 嵩山县]")
    result = run(project, "check", "--call", HN)
    assert result.exit_code == 2
    assert "错误[D207]" in result.stderr and "“嵩山县”不在所辖县（区）名单中" in result.stderr
