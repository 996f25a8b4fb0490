"""Draw the Word and Excel templates of the 洛阳 2026 外出跟岗 call (附件3 申报书, 实施方案, 附件4 汇总表).

Run once to create the templates; afterwards staff edit the .docx/.xlsx files
in Word/WPS/Excel and this script is only a record of how they began.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from docx.shared import Cm
from docxkit import (
    CENTER,
    LEFT,
    OUT_ROOT,
    RIGHT,
    add_row,
    add_run,
    cant_split,
    grid_table,
    new_document,
    page_break,
    para,
    repeat_header,
    save_new,
)
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parent.parent
DOCX = OUT_ROOT / "templates/docx/luoyang-2026-waichu-gengang"
XLSX = OUT_ROOT / "templates/xlsx/luoyang-2026-waichu-gengang"


def draft_banner(doc) -> None:
    para(doc, "{%p if draft %}")
    para(doc, "【草稿】本文件未通过 docgen check 规则检查，仅供内部修改，不得报送", align=CENTER, size="小四",
         east="黑体", bold=True)
    para(doc, "{%p endif %}")


def loop_rows(table, loop: str, cells: list) -> None:
    add_row(table, [("{%tr for " + loop + " %}", len(table._widths))])
    add_row(table, cells)
    cant_split(table.rows[-1])
    add_row(table, [("{%tr endfor %}", len(table._widths))])


def cell_paras(cell, expr: str, style: str = "表格正文") -> None:
    """Fill a cell with one paragraph per paragraph of *expr* (a prose field)."""
    if expr.startswith("app.narrative."):  # narrative may be Markdown: a sub-document in cell styles
        para(cell, "{{p app.rich." + expr.split(".")[-1] + ".cell }}", style=style, keep_first=True)
        return
    para(cell, "{%p for para in " + expr + " | paras %}", style=style, keep_first=True)
    para(cell, "{{ para }}", style=style)
    para(cell, "{%p endfor %}", style=style)


def body_paras(doc, expr: str) -> None:
    if expr.startswith("app.narrative."):  # narrative may be Markdown: a sub-document in body styles
        para(doc, "{{p app.rich." + expr.split(".")[-1] + " }}", style="正文首行缩进")
        return
    para(doc, "{%p for para in " + expr + " | paras %}", style="正文首行缩进")
    para(doc, "{{ para }}", style="正文首行缩进")
    para(doc, "{%p endfor %}", style="正文首行缩进")


def cover(doc, title_lines: list[str], fields: list[tuple[str, str]], issuer: str, date_expr: str) -> None:
    draft_banner(doc)
    for _ in range(3):
        para(doc, "")
    for line in title_lines:
        para(doc, line, style="Title", align=CENTER, space_after=6)
    for _ in range(5):
        para(doc, "")
    for label, expr in fields:
        p = para(doc, "", align=LEFT, space_after=10)
        p.paragraph_format.left_indent = Cm(2.5)
        add_run(p, label, size="三号", east="仿宋_GB2312")
        add_run(p, expr, size="三号", east="仿宋_GB2312", underline=True)
    for _ in range(6):
        para(doc, "")
    para(doc, issuer, align=CENTER, size="三号", east="仿宋_GB2312", space_after=6)
    para(doc, date_expr, align=CENTER, size="三号", east="仿宋_GB2312")
    page_break(doc)


def person_rows(table, label: str, who: str) -> None:
    a = add_row(table, [label, "姓名", "{{ " + who + ".name }}", "职务", "{{ " + who + ".position }}", "职称",
                        "{{ " + who + ".title }}"])
    b = add_row(table, ["", "联系电话", "{{ " + who + ".phone }}", "手机", "{{ " + who + ".mobile }}", "邮箱",
                        "{{ " + who + ".email }}"])
    a[0].merge(b[0])


def basic_info(doc, subject_label: str) -> None:
    """一、基本情况 of the 洛阳 申报书 (2025 and 2026 differ only in how the seed writes 学科(领域))."""
    doc.add_paragraph("一、基本情况", style="Heading 1")
    # One table per block, each with its own columns, placed edge to edge so the
    # page shows the form's single table (Word joins adjacent tables).
    t = grid_table(doc, [2.2, 1.7, 2.5, 1.5, 2.9, 1.5, 3.3])
    add_row(t, ["单位名称", ("{{ unit.name }}", 6)])
    add_row(t, ["通讯地址", ("{{ unit.address }}", 4), "邮编", "{{ unit.postcode }}"])
    person_rows(t, "单位\n负责人", "unit.leader")
    add_row(t, ["项目执行部门名称", ("{{ unit.department.name }}", 6)])
    add_row(t, ["通讯地址", ("{{ unit.department.address }}", 4), "邮编", "{{ unit.department.postcode }}"])
    person_rows(t, "部门\n负责人", "unit.department.head")
    t = grid_table(doc, [4.4, 1.4, 2.8, 3.4, 1.4, 2.2])
    add_row(t, [("相关项目经验", 6)], header=True)
    add_row(t, ["项目名称", "级别", "实施起止\n日期", "培训对象", "人数", "培训时长"], header=True)
    loop_rows(t, "p in unit.experience", ["{{ p.name }}", "{{ p.level }}", "{{ p.start | date_range(p.end) }}",
                                          "{{ p.audience }}", "{{ p.trainees }}", "{{ p.duration }}"])
    for title, team in (("培训项目管理团队", "unit.management_team"), ("技术服务团队", "unit.tech_team")):
        t = grid_table(doc, [2.2, 1.4, 2.4, 3.2, 6.4])
        add_row(t, [(title, 5)], header=True)
        add_row(t, ["姓名", "年龄", "学历", "专业", "工作分工"], header=True)
        loop_rows(t, "m in " + team, ["{{ m.name }}", "{{ m.age }}", "{{ m.education }}", "{{ m.major }}",
                                      "{{ m.duty }}"])
    t = grid_table(doc, [2.2, 2.6, 1.8, 3.4, 1.8, 3.8])
    add_row(t, [("首席专家", 6)], header=True)
    add_row(t, ["姓名", "{{ unit.chief_expert.name }}", "职务", "{{ unit.chief_expert.position }}", "职称",
                "{{ unit.chief_expert.title }}"])
    add_row(t, ["单位", ("{{ unit.chief_expert.org }}", 2), "研究专长", ("{{ unit.chief_expert.expertise }}", 2)])
    add_row(t, ["电话", "{{ unit.chief_expert.phone }}", "手机", "{{ unit.chief_expert.mobile }}", "邮箱",
                "{{ unit.chief_expert.email }}"])
    t = grid_table(doc, [1.6, 2.5, 1.9, 2.0, 3.0, 2.8, 1.8])
    add_row(t, [("专家团队", 7)], header=True)
    add_row(t, ["姓名", "职务/职称", subject_label, "专业", "工作单位", "研究专长", "是否为一线教师教研员"], header=True)
    repeat_header(t.rows[-1])
    loop_rows(t, "e in unit.experts", ["{{ e.name }}", "{{ e.position_title }}", "{{ e.subject }}", "{{ e.major }}",
                                      "{{ e.org }}", "{{ e.expertise }}", "{{ e.frontline | yes_no }}"])


def shenbaoshu() -> None:
    doc = new_document()
    cover(doc, ["洛阳市2026年“市培计划”外出跟岗项目", "申报书"],
          [("申报单位（公章）：", "{{ unit.name }}"), ("申报项目名称：", "{{ app.project_name }}"),
           ("具体负责人：", "{{ app.contact.name }}"), ("联系电话：", "{{ app.contact.phone }}")],
          "洛阳市教育局", "{{ call.cover_date }}")

    basic_info(doc, "学科(领域)")

    doc.add_paragraph("二、网络研修支持服务能力", style="Heading 1")
    t = grid_table(doc, [3.6, 12.0])
    add_row(t, ["指标", "说明（填写数据须客观真实）"], header=True)
    ip = add_row(t, ["公用IP地址及域名", ("", 1, "表格文字")])[1]
    para(ip, "{%p if unit.platform.ip %}", style="表格文字", keep_first=True)
    para(ip, "IP地址：{{ unit.platform.ip }}", style="表格文字")
    para(ip, "{%p endif %}", style="表格文字")
    para(ip, "{%p for d in unit.platform.domains %}", style="表格文字")
    para(ip, "{{ d }}", style="表格文字")
    para(ip, "{%p endfor %}", style="表格文字")
    cell = add_row(t, ["个人空间、教师工作坊、社区管理员测试账号及密码", ("", 1, "表格文字")])[1]
    para(cell, "{%p for a in unit.platform.test_accounts %}", style="表格文字", keep_first=True)
    para(cell, "{{ a.role }}：账号 {{ a.account }}，密码 {{ a.password }}", style="表格文字")
    para(cell, "{%p endfor %}", style="表格文字")
    for label, key in (("网络研修社区功能", "community"), ("过程监控", "monitoring"), ("危机应对", "crisis")):
        cell = add_row(t, [label, ("", 1, "表格正文")])[1]
        cell_paras(cell, "unit.platform." + key)
    para(doc, "备注：外出跟岗项目网络研修支持服务能力不做硬性要求，网络平台可作为辅助工具。", size="五号")

    doc.add_paragraph("三、跟岗研修实施方案", style="Heading 1")
    t = grid_table(doc, [2.6, 13.0])
    for label, key in (("目标定位", "goal"), ("需求分析", "needs"), ("内容设计", "design"),
                       ("考核评价", "assessment"), ("特色与创新", "innovation"), ("训后服务", "follow_up")):
        cell = add_row(t, [label, ("", 1, "表格正文")], height_cm=3.0)[1]
        cell_paras(cell, "app.narrative." + key)

    doc.add_paragraph("四、名师送教实施方案", style="Heading 1")
    body_paras(doc, "app.narrative.teaching")

    doc.add_paragraph("五、申请单位意见", style="Heading 1")
    t = grid_table(doc, [2.6, 13.0])
    label, cell = add_row(t, ["申请\n单位\n意见", ("", 1, "表格正文")], height_cm=8.0)
    cell_paras(cell, "app.narrative.commitment")
    para(cell, "", style="表格文字")
    para(cell, "负责人签名：　　　　　　　　", style="表格文字", align=RIGHT, space_before=18)
    para(cell, "（单位公章）　　　　　　", style="表格文字", align=RIGHT, space_before=12)
    para(cell, "{{ app.filled | cn_date if app.filled else '　　年　　月　　日' }}　　　", style="表格文字",
         align=RIGHT, space_before=12)
    DOCX.mkdir(parents=True, exist_ok=True)
    save_new(doc, DOCX / "申报书.docx")


def shishi_fangan() -> None:
    doc = new_document()
    draft_banner(doc)
    para(doc, "洛阳市2026年“市培计划”外出跟岗项目", style="Title", align=CENTER)
    para(doc, "实施方案", style="Title", align=CENTER, space_after=12)
    para(doc, "{{ app.project_name }}", align=CENTER, size="三号", east="楷体_GB2312", space_after=6)
    para(doc, "申报单位：{{ unit.name }}", align=CENTER, size="四号", east="仿宋_GB2312", space_after=12)

    doc.add_paragraph("一、项目概况", style="Heading 1")
    t = grid_table(doc, [2.0, 3.0, 3.4, 2.8, 2.2, 2.2])
    add_row(t, ["序号", "子项目名称", "培训对象", "培训方式", "培训时间", "培训人数"], header=True)
    repeat_header(t.rows[-1])
    add_row(t, ["{{ sub.display_no }}", "{{ sub.name }}", "{{ sub.audience }}", "{{ sub.mode }}", "{{ sub.period }}",
                "{{ sub.trainees }}人"])
    para(doc, "经费标准：{{ sub.budget_text }}元。", style="正文首行缩进")
    sections = (("二、目标定位", "goal"), ("三、需求分析", "needs"), ("四、内容设计", "design"),
                ("五、考核评价", "assessment"), ("六、特色与创新", "innovation"), ("七、训后服务", "follow_up"),
                ("八、名师送教安排", "teaching"))
    for heading, key in sections:
        doc.add_paragraph(heading, style="Heading 1")
        body_paras(doc, "app.narrative." + key)
    doc.add_paragraph("九、影子导师配备", style="Heading 1")
    para(doc, "本项目为 {{ sub.trainees }} 名学员配备影子导师 {{ app.mentors | length }} 名，"
              "导师与学员之比为 1:{{ '%.1f' | format(sub.trainees / (app.mentors | length)) if app.mentors else '—' }}"
              "（公告要求不低于 1:5）。名单如下：", style="正文首行缩进")
    t = grid_table(doc, [1.4, 2.2, 5.0, 1.8, 2.2, 3.0])
    add_row(t, ["序号", "姓名", "所在学校", "学科", "职称", "荣誉称号"], header=True)
    repeat_header(t.rows[-1])
    loop_rows(t, "m in app.mentors", ["{{ loop.index }}", "{{ m.name }}", "{{ m.school }}", "{{ m.subject }}",
                                      "{{ m.title }}", "{{ m.honor }}"])
    doc.add_paragraph("十、成果产出", style="Heading 1")
    para(doc, "按照不低于参训教师 1/10 的比例，本项目计划打造教师成长典型案例 {{ app.growth_cases }} 个"
              "（参训教师 {{ sub.trainees }} 人）。", style="正文首行缩进")
    DOCX.mkdir(parents=True, exist_ok=True)
    save_new(doc, DOCX / "实施方案.docx")


def huizongbiao() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "申报汇总表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    song = "宋体"
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["C"].width = 26
    ws["A1"] = "附件4"
    ws["A1"].font = Font(name="黑体", size=14)
    ws.merge_cells("A2:C2")
    ws["A2"] = "洛阳市2026年“市培计划”项目申报汇总表"
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 36
    for r, text in ((3, "申报单位（盖章）：{{ unit.name }}"), (4, "联系人：{{ contact.name }}"),
                    (5, "联系电话：{{ contact.phone }}")):
        ws.merge_cells(f"A{r}:C{r}")
        ws[f"A{r}"] = text
        ws[f"A{r}"].font = Font(name="仿宋_GB2312", size=14)
        ws.row_dimensions[r].height = 24
    for col, text in zip("ABC", ("序号", "项目名称", "备注")):
        c = ws[f"{col}6"]
        c.value = text
        c.font = Font(name="黑体", size=12)
        c.alignment = Alignment(horizontal="center", vertical="center")
        c.border = box
    ws.row_dimensions[6].height = 28
    for col, text in zip("ABC", ("{% for a in applications %}{{ loop.index }}", "{{ a.sub.name }}",
                                  "{{ a.remark }}")):
        c = ws[f"{col}7"]
        c.value = text
        c.font = Font(name=song, size=12)
        c.alignment = Alignment(horizontal="center" if col == "A" else "left", vertical="center", wrap_text=True)
        c.border = box

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    XLSX.mkdir(parents=True, exist_ok=True)
    save_new(wb, XLSX / "汇总表.xlsx")


if __name__ == "__main__":
    shenbaoshu()
    shishi_fangan()
    huizongbiao()
    print("templates written")
