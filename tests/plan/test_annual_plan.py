"""附件1-2 年度规划书: every table of the form, filled from plan.yaml, 合计 computed."""

from pathlib import Path

import pytest
from docx import Document

from tests.conftest import edit, files_under, run

PLAN = "data/bureaus/leshan/plan.yaml"
DOC = "build/sichuan/leshan/乐山市-2015年度规划书.docx"


def _tables(path: Path) -> list[list[list[str]]]:
    doc = Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_annual_plan_tables(project):
    result = run(project, "plan", "build", "--no-pdf")
    assert result.exit_code == 0, result.stderr
    doc = Document(str(project / DOC))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "2015年度规划书" in text and "二〇一五年" in text
    assert "市（州）：乐山市" in text and "单位（公章）：乐山市教育局" in text and "邮       箱：lsjsjy@163.com" in text
    assert "一、教师培训规划" in text and "二、推动培训及应用的规划" in text
    basic, plan, push = _tables(project / DOC)
    assert basic[0] == ["基本\n情况", "教师\n总人数", "28317", "学校总数", "1126", "2015年应培训人数", "9063"]
    assert basic[1][1:] == ["执行办负责人", "姓名", "单位", "职务", "联系电话", "邮箱"]
    assert basic[2][2:] == ["陈建国", "乐山市教育局", "副局长", "0833-2132401", "chenjg@lsedu.cn"]
    assert [r[1] for r in basic[3:]] == ["相关\n成员"] * 3
    assert [r[2] for r in basic[3:]] == ["王晓燕", "刘志强", "赵敏"]
    assert plan[0] == ["培训\n计划", "地区", "项目名称", "培训对象", "培训方式", "培训人数", "经费投入", "培训机构"]
    rows = plan[1:13]
    assert [r[1] for r in rows][:3] == ["乐山市", "市中区", "沙湾区"] and rows[-1][1] == "峨眉山市"
    assert rows[5][1:] == ["犍为县", "犍为县中小学教师信息技术应用能力提升培训", "中小学（幼儿园）教师", "混合式培训",
                           "1170", "14.04万元", "全国继教网"]
    assert plan[13][1] == "合计" and plan[13][5:7] == ["9063", "108.75万元"]
    assert [r[0] for r in plan[14:]] == ["混合式培训", "本地资源建设", "监管评估举措"]
    assert "线上学习不少于 50 学时" in plan[14][1] and "市电教馆组织 20 名辅导教师" in plan[14][1]
    assert [r[0] for r in push] == ["制度\n建设", "应用\n氛围", "综合\n创新"]
    assert push[0][1].startswith("制订“提升工程”实施相关制度的情况") and "《乐山市中小学教师" in push[0][1]


def test_funds_total_is_exact_decimal(project):
    edit(project / PLAN, "funds: 8.29, institution", "funds: 0.1, institution")
    edit(project / PLAN, "funds: 23.93, institution", "funds: 0.2, institution")
    assert run(project, "plan", "build", "--no-pdf").exit_code == 0
    plan = _tables(project / DOC)[1]
    assert plan[13][6] == "76.83万元"  # 108.75 − 8.29 − 23.93 + 0.1 + 0.2, no float noise


def test_markup_in_data_is_kept(project):
    edit(project / PLAN, "seal_unit: 乐山市教育局", "seal_unit: 乐山市教育局 <师资科> & 电教馆")
    assert run(project, "plan", "build", "--no-pdf").exit_code == 0
    text = "\n".join(p.text for p in Document(str(project / DOC)).paragraphs)
    assert "乐山市教育局 <师资科> & 电教馆" in text


@pytest.mark.lo
def test_build_with_pdf(project):
    result = run(project, "plan", "build")
    assert result.exit_code == 0, result.stderr
    built = files_under(project / "build")
    assert {"sichuan/leshan/乐山市-2015年度规划书.pdf", "sichuan/leshan/乐山市-市县级培训年度计划表.pdf",
            "sichuan/四川省-市县级培训年度计划表.pdf",
            "sichuan/leshan/2015-jiajiang-参训人员变更信息表.pdf"} <= built
    assert len(built) == 8
    from pypdf import PdfReader
    reader = PdfReader(str(project / "build/sichuan/四川省-市县级培训年度计划表.pdf"))
    assert len(reader.pages) == 1
    page = reader.pages[0].extract_text()
    assert "市、县级培训年度计划表" in page and "凉山" in page and "完成比例" in page


def test_plan_build_without_data(project):
    import shutil
    shutil.rmtree(project / "data/bureaus")
    result = run(project, "plan", "build", "--no-pdf")
    assert result.exit_code == 2 and "没有计划表数据" in result.stderr


def test_building_twice_gives_identical_bytes(project):
    assert run(project, "plan", "build", "--no-pdf").exit_code == 0
    first = {p: (project / "build" / p).read_bytes() for p in files_under(project / "build")}
    assert run(project, "plan", "build", "--no-pdf").exit_code == 0
    second = {p: (project / "build" / p).read_bytes() for p in files_under(project / "build")}
    assert first == second and len(first) == 4
