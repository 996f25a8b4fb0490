"""Draw the Word template of 四川 提升工程 附件1-2 年度规划书.

Run once to create the template; afterwards staff edit the .docx in Word/WPS
and this script is only a record of how it began. (附件1-1 and 附件3 are
drawn by docgen.sichuan.xlsx directly, since their rows and formulas
depend on the data.)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from docx.oxml.ns import qn
from docx.shared import Cm
from docxkit import (
    CENTER,
    LEFT,
    OUT_ROOT,
    add_row,
    add_run,
    cant_split,
    grid_table,
    new_document,
    page_break,
    para,
    save_new,
)

ROOT = Path(__file__).resolve().parent.parent
DOCX = OUT_ROOT / "templates/docx/sichuan-2015-nengli-tisheng"


def v_merge(cell, restart: bool) -> None:
    """Mark *cell* as the start (restart) or a continuation of a vertical merge."""
    el = cell._tc.get_or_add_tcPr().get_or_add_vMerge()  # before tcBorders … vAlign (CT_TcPr)
    if restart:
        el.set(qn("w:val"), "restart")


def loop(table, expr: str, cells: list, merged_first: bool = True) -> None:
    n = len(table._widths)
    add_row(table, [("{%tr for " + expr + " %}", n)])
    row = add_row(table, cells)
    if merged_first:
        v_merge(row[0], False)
    cant_split(table.rows[-1])
    add_row(table, [("{%tr endfor %}", n)])


def guihuashu() -> None:
    doc = new_document()
    para(doc, "附件1-2", size="三号", east="黑体")
    for _ in range(2):
        para(doc, "")
    para(doc, "四川省中小学教师信息技术应用能力提升工程", style="Title", align=CENTER, space_after=6, size="小二")
    para(doc, "{{ annual.year }}年度规划书", style="Title", align=CENTER)
    for _ in range(3):
        para(doc, "")
    for label, expr in (("年       度：", "{{ annual.year }}"), ("市（州）：", "{{ city.name }}"),
                        ("单位（公章）：", "{{ annual.seal_unit }}"), ("联   系  人：", "{{ contact.name }}"),
                        ("联 系 电 话：", "{{ contact.phone }}"), ("邮       箱：", "{{ annual.email }}")):
        p = para(doc, "", align=LEFT, space_after=10)
        p.paragraph_format.left_indent = Cm(3.0)
        add_run(p, label, size="三号", east="仿宋_GB2312")
        add_run(p, expr, size="三号", east="仿宋_GB2312", underline=True)
    for _ in range(3):
        para(doc, "")
    para(doc, "四川省中小学教师信息技术", align=CENTER, size="三号", east="仿宋_GB2312")
    para(doc, "应用能力提升工程执行办公室制", align=CENTER, size="三号", east="仿宋_GB2312", space_after=6)
    para(doc, "二〇一五年", align=CENTER, size="三号", east="仿宋_GB2312")
    page_break(doc)

    doc.add_paragraph("一、教师培训规划", style="Heading 1")
    # 基本情况 / 执行办负责人 / 相关成员: 7 columns, the first merged down the block.
    t = grid_table(doc, [1.4, 2.0, 1.9, 3.4, 1.9, 2.5, 2.3])
    r = add_row(t, ["基本\n情况", "教师\n总人数", "{{ teachers }}", "学校总数", "{{ annual.schools }}",
                    "{{ annual.year }}年应培训人数", "{{ to_train }}"])
    v_merge(r[0], True)
    r = add_row(t, ["", "执行办负责人", "姓名", "单位", "职务", "联系电话", "邮箱"], header=True)
    v_merge(r[0], False)
    v_merge(r[1], True)
    r = add_row(t, ["", "", "{{ annual.leader.name }}", "{{ annual.leader.org }}", "{{ annual.leader.position }}",
                    "{{ annual.leader.phone }}", "{{ annual.leader.email or '' }}"])
    v_merge(r[0], False)
    v_merge(r[1], False)
    loop(t, "m in annual.members", ["", "相关\n成员{% vm %}", "{{ m.name }}", "{{ m.org }}", "{{ m.position }}",
                                     "{{ m.phone }}", "{{ m.email or '' }}"])
    # 培训计划: 8 columns.
    t = grid_table(doc, [1.4, 1.6, 3.0, 2.0, 2.0, 1.5, 1.6, 2.3])
    r = add_row(t, ["培训\n计划", "地区", "项目名称", "培训对象", "培训方式", "培训人数", "经费投入", "培训机构"],
                header=True)
    v_merge(r[0], True)
    loop(t, "t in annual.trainings", ["", "{{ t.region }}", "{{ t.project }}", "{{ t.audience }}", "{{ t.mode }}",
                                      "{{ t.trainees }}", "{{ t.funds_text }}", "{{ t.institution }}"])
    r = add_row(t, ["", "合计", "", "", "", "{{ total_trainees }}", "{{ total_funds }}", ""], header=True)
    v_merge(r[0], False)
    for label, key in (("混合式培训", "blended"), ("本地资源建设", "resources"), ("监管评估举措", "supervision")):
        r = add_row(t, [label, ("", 7)], height_cm=3.0)
        _prose(r[1], "annual." + key)
    doc.add_paragraph("二、推动培训及应用的规划", style="Heading 1")
    t = grid_table(doc, [1.6, 13.8])
    for label, key, prompt in (
            ("制度\n建设", "systems", "制订“提升工程”实施相关制度的情况（包括教师信息技术应用能力与教师职务（职称）评聘、"
                                      "中小学校办学水平评估、校长考评和教师绩效考核等工作相挂钩的制度设计及出台计划）"),
            ("应用\n氛围", "atmosphere", "举办各种活动，营造教师主动应用信息技术的氛围（推行示范课评选、教学技能比赛、"
                                          "优秀课例征集、“一师一优课、一课一名师”等活动的工作安排）"),
            ("综合\n创新", "innovation", "建立信息技术应用创新实验区、示范校计划等（实验区建设数量、建设目标任务、"
                                          "工作重点、建设时间表、支持举措和推广措施等）")):
        r = add_row(t, [label, ""], height_cm=4.0)
        p = para(r[1], prompt, style="表格正文", keep_first=True, east="楷体_GB2312")
        p.paragraph_format.first_line_indent = Cm(0)
        _prose(r[1], "annual." + key, keep_first=False)
    DOCX.mkdir(parents=True, exist_ok=True)
    save_new(doc, DOCX / "年度规划书.docx")


def _prose(cell, expr: str, keep_first: bool = True) -> None:
    para(cell, "{%p for para in " + expr + " | paras %}", style="表格正文", keep_first=keep_first)
    para(cell, "{{ para }}", style="表格正文")
    para(cell, "{%p endfor %}", style="表格正文")


if __name__ == "__main__":
    guihuashu()
