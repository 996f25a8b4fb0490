"""Draw the Word/Excel templates of the calls added in issue 4, and the bureau's call documents.

- 洛阳 2025 网络研修: 附件3 申报书, 附件4 汇总表 (filled per unit);
- 河南 2024 出彩项目: 附件2 申报书;
- for every 洛阳 call: 附件1 项目设置情况一览表 (docx, xlsx), 附件4 blank 汇总表, 附件5 遴选评分标准 (per: call).

Run once (``python tools/make_templates_calls.py``); afterwards staff edit the files in Word/WPS/Excel.
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
from make_templates_luoyang2026 import (
    basic_info,
    cell_paras,
    cover,
    draft_banner,
    loop_rows,
)
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

ROOT = Path(__file__).resolve().parent.parent
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

LY2025 = "luoyang-2025-wangluo-yanxiu"
LY2026 = "luoyang-2026-waichu-gengang"
HN2024 = "henan-2024-chucai-xiangmu"

# The six rows of 三、集中研修实施方案 and 四、返岗实践实施方案 (the same labels, two sets of keys).
PLAN_ROWS = (("目标定位", "goal"), ("需求分析", "needs"), ("内容设计", "design"), ("考核评价", "assessment"),
             ("特色与创新", "innovation"), ("训后服务", "follow_up"))


def vmerge(cell, val) -> None:
    """Mark a cell as the start (val="restart") or continuation (None) of a vertical merge.

    Used across a {%tr for %} loop, where python-docx's merge() cannot reach: each repeated row continues it.
    """
    el = cell._tc.get_or_add_tcPr().get_or_add_vMerge()  # before tcBorders … vAlign (CT_TcPr)
    if val:
        el.set(qn("w:val"), val)


def save(doc, kind: str, call: str, name: str) -> None:
    save_new(doc, OUT_ROOT / "templates" / kind / call / name)


def platform_section(doc) -> None:
    """二、网络研修支持服务能力, filled from unit.platform: one line per domain, one per test account."""
    doc.add_paragraph("二、网络研修支持服务能力", style="Heading 1")
    t = grid_table(doc, [3.6, 12.0])
    add_row(t, ["指标", "说明\n（填写数据须客观真实）"], header=True)
    ip = add_row(t, ["公用IP地址及域名", ("", 1, "表格文字")])[1]
    para(ip, "{%p if unit.platform.ip %}", style="表格文字", keep_first=True)
    para(ip, "IP地址：{{ unit.platform.ip }}", style="表格文字")
    para(ip, "{%p endif %}", style="表格文字")
    para(ip, "{%p for d in unit.platform.domains %}", style="表格文字")
    para(ip, "域名{{ loop.index }}：{{ d }}", style="表格文字")
    para(ip, "{%p endfor %}", style="表格文字")
    cell = add_row(t, ["个人空间、教师工作坊、社区管理员测试账号及密码", ("", 1, "表格文字")])[1]
    para(cell, "{%p for a in unit.platform.test_accounts %}", style="表格文字", keep_first=True)
    para(cell, "{{ a.role }}：账号 {{ a.account }}，密码 {{ a.password }}", style="表格文字")
    para(cell, "{%p endfor %}", style="表格文字")
    for label, key in (("网络研修社区功能", "community"), ("过程监控", "monitoring"), ("危机应对", "crisis")):
        cell = add_row(t, [label, ("", 1, "表格正文")])[1]
        cell_paras(cell, "unit.platform." + key)


def plan_table(doc, heading: str, prefix: str) -> None:
    doc.add_paragraph(heading, style="Heading 1")
    t = grid_table(doc, [2.6, 13.0])
    for label, key in PLAN_ROWS:
        cell = add_row(t, [label, ("", 1, "表格正文")], height_cm=3.0)[1]
        cell_paras(cell, "app.narrative." + prefix + key)


def opinion(doc, label: str, key: str, signature: str = "负责人签名：") -> None:
    t = grid_table(doc, [2.6, 13.0])
    _, cell = add_row(t, [label, ("", 1, "表格正文")], height_cm=8.0)
    cell_paras(cell, "app.narrative." + key)
    para(cell, "", style="表格文字")
    para(cell, signature + "　　　　　　　　", style="表格文字", align=RIGHT, space_before=18)
    para(cell, "（单位公章）　　　　　　", style="表格文字", align=RIGHT, space_before=12)
    para(cell, "{{ app.filled | cn_date if app.filled else '　　年　　月　　日' }}　　　", style="表格文字",
         align=RIGHT, space_before=12)


def ly2025_shenbaoshu() -> None:
    doc = new_document()
    cover(doc, ["洛阳市2025年“市培计划”网络研修项目", "申报书"],
          [("申报单位（公章）：", "{{ unit.name }}"), ("申报项目名称：", "{{ app.project_name }}"),
           ("具体负责人：", "{{ app.contact.name }}"), ("联系电话：", "{{ app.contact.phone }}")],
          "洛阳市教育局", "{{ call.cover_date }}")
    basic_info(doc, "学科（领域）")
    platform_section(doc)
    plan_table(doc, "三、集中研修实施方案", "")
    plan_table(doc, "四、返岗实践实施方案", "back_")
    doc.add_paragraph("五、申请单位意见", style="Heading 1")
    opinion(doc, "申请\n单位\n意见", "commitment")
    save(doc, "docx", LY2025, "申报书.docx")


def unit_huizongbiao_xlsx(call: str, title: str) -> None:
    """附件4 申报汇总表, filled with the unit's applications (per: unit)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "申报汇总表"
    for col, width in zip("ABC", (8, 46, 28)):
        ws.column_dimensions[col].width = width
    ws["A1"] = "附件4"
    ws["A1"].font = Font(name="黑体", size=14)
    ws.merge_cells("A2:C2")
    ws["A2"] = title
    ws["A2"].font = Font(name="方正小标宋简体", size=16)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 40
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
        c.border = BOX
    for col, text in zip("ABC", ("{% for a in applications %}{{ loop.index }}", "{{ a.project_name }}",
                                  "{{ a.remark }}")):
        c = ws[f"{col}7"]
        c.value = text
        c.font = Font(name="宋体", size=12)
        c.alignment = Alignment(horizontal="center" if col == "A" else "left", vertical="center", wrap_text=True)
        c.border = BOX
    ws.row_dimensions[7].height = 36
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_options.horizontalCentered = True
    folder = OUT_ROOT / "templates/xlsx" / call
    folder.mkdir(parents=True, exist_ok=True)
    save_new(wb, folder / "汇总表.xlsx")


# --- the bureau's call documents (per: call) ---------------------------------------------------

def attachment_label(doc, label: str) -> None:
    para(doc, label, align=LEFT, size="三号", east="黑体")


def yilanbiao_docx(call: str) -> None:
    """附件1 项目设置情况一览表: 序号 子项目名称 培训对象 培训方式 培训时间 培训人数 经费标准（元）."""
    doc = new_document(margins=(2.2, 2.2, 2.5, 2.5), landscape=True)
    attachment_label(doc, "附件1")
    para(doc, "{{ call.project_title }}设置情况一览表", style="Title", align=CENTER, space_after=12)
    t = grid_table(doc, [1.8, 5.0, 5.4, 3.6, 3.0, 2.0, 3.0])
    add_row(t, ["序号", "子项目名称", "培训对象", "培训\n方式", "培训\n时间", "培训\n人数", "经费标准（元）"], header=True)
    repeat_header(t.rows[-1])
    loop_rows(t, "s in sub_projects", ["{{ s.display_no }}", "{{ s.name }}", "{{ s.audience }}", "{{ s.mode }}",
                                      "{{ s.period }}", "{{ s.trainees if s.trainees else '' }}",
                                      "{{ s.budget_text }}"])
    save(doc, "docx", call, "一览表.docx")


def yilanbiao_xlsx(call: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "项目设置情况一览表"
    heads = ("序号", "子项目名称", "培训对象", "培训方式", "培训时间", "培训人数", "经费标准（元）")
    for col, width in zip("ABCDEFG", (8, 30, 34, 22, 16, 10, 16)):
        ws.column_dimensions[col].width = width
    ws["A1"] = "附件1"
    ws["A1"].font = Font(name="黑体", size=14)
    ws.merge_cells("A2:G2")
    ws["A2"] = "{{ call.project_title }}设置情况一览表"
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = 36
    for col, text in zip("ABCDEFG", heads):
        c = ws[f"{col}3"]
        c.value = text
        c.font = Font(name="黑体", size=12)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BOX
    cells = ("{% for s in sub_projects %}{{ s.display_no }}", "{{ s.name }}", "{{ s.audience }}", "{{ s.mode }}",
             "{{ s.period }}", "{{ s.trainees }}", "{{ s.budget_text }}")
    for col, text in zip("ABCDEFG", cells):
        c = ws[f"{col}4"]
        c.value = text
        c.font = Font(name="宋体", size=12)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = BOX
    ws.row_dimensions[4].height = 40
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.print_options.horizontalCentered = True
    folder = OUT_ROOT / "templates/xlsx" / call
    folder.mkdir(parents=True, exist_ok=True)
    save_new(wb, folder / "一览表.xlsx")


def blank_huizongbiao(call: str, title: str | list[str]) -> None:
    """附件4 申报汇总表 as the bureau publishes it: blank for applicants to fill (title given as its lines)."""
    doc = new_document()
    attachment_label(doc, "附件4")
    lines = [title] if isinstance(title, str) else title
    for i, line in enumerate(lines):
        para(doc, line, style="Title", align=CENTER, space_after=12 if i == len(lines) - 1 else 0)
    para(doc, "申报单位（盖章）:　　　　　　　　　　联系人：　　　　　　联系电话：", size="小四", space_after=6)
    t = grid_table(doc, [2.0, 9.0, 4.6])
    add_row(t, ["序号", "项目名称", "备注"], header=True)
    loop_rows(t, "r in blank_rows", ["", "", ""])
    for row in t.rows[1:]:
        row.height = Cm(1.0)
    save(doc, "docx", call, "空白汇总表.docx")


def pingfen(call: str) -> None:
    """附件5 遴选评分标准: 序号 指标 评价内容 分值, then the 说明 notes."""
    doc = new_document()
    attachment_label(doc, "附件5")
    para(doc, "{{ call.project_title }}", style="Title", align=CENTER)
    para(doc, "遴选评分标准", style="Title", align=CENTER, space_after=12)
    t = grid_table(doc, [1.4, 2.0, 10.4, 1.8])
    add_row(t, ["序号", "指标", "评价内容", "分值"], header=True)
    repeat_header(t.rows[-1])
    add_row(t, [("{%tr for c in scoring %}", 4)])
    no, ind, content, pts = add_row(t, ["{{ c.no }}", "{{ c.indicator }}", ("", 1, "表格正文"), "{{ c.points }}分"])
    para(content, "{%p for line in c.content %}", style="表格正文", keep_first=True)
    para(content, "{{ line }}", style="表格正文")
    para(content, "{%p endfor %}", style="表格正文")
    add_row(t, [("{%tr endfor %}", 4)])
    para(doc, "{%p if scoring_notes %}")
    para(doc, "说明：", size="小四")
    para(doc, "{%p endif %}")
    para(doc, "{%p for n in scoring_notes %}")
    para(doc, "{{ loop.index }}、{{ n }}", size="小四")
    para(doc, "{%p endfor %}")
    save(doc, "docx", call, "评分标准.docx")


def call_documents(call: str, huizong_title: str | list[str]) -> None:
    yilanbiao_docx(call)
    yilanbiao_xlsx(call)
    blank_huizongbiao(call, huizong_title)
    pingfen(call)


# --- 河南 2024 出彩项目 -----------------------------------------------------------------------

def hn2024_shenbaoshu() -> None:
    doc = new_document()
    draft_banner(doc)
    for _ in range(4):
        para(doc, "")
    para(doc, "河南省基础教育教师培训出彩项目", style="Title", align=CENTER, space_after=6)
    para(doc, "申　报　书", style="Title", align=CENTER)
    for _ in range(6):
        para(doc, "")
    for label, expr in (("项目名称", "{{ app.project_name }}"), ("项目负责人", "{{ app.leader.name }}"),
                        ("单位（盖章）", "{{ unit.name }}"),
                        ("填表日期", "{{ app.filled | cn_date if app.filled else '' }}")):
        p = para(doc, "", align=LEFT, space_after=12)
        p.paragraph_format.left_indent = Cm(2.5)
        add_run(p, label + "　", size="三号", east="仿宋_GB2312")
        add_run(p, expr, size="三号", east="仿宋_GB2312", underline=True)
    for _ in range(7):
        para(doc, "")
    para(doc, "河南省教育厅　制", align=CENTER, size="三号", east="仿宋_GB2312", space_after=6)
    para(doc, "{{ call.published.year }} 年 {{ call.published.month }} 月", align=CENTER, size="三号",
         east="仿宋_GB2312")
    page_break(doc)

    doc.add_paragraph("一、基本信息", style="Heading 1")
    t = grid_table(doc, [1.6, 1.9, 1.2, 2.0, 2.2, 2.8, 3.9])
    add_row(t, [("项目名称", 2), ("{{ app.project_name }}", 5)])
    add_row(t, [("负责人姓名", 2), ("{{ app.leader.name }}", 2), "职称职务", ("{{ app.leader | title_position }}", 2)])
    add_row(t, [("联系电话", 2), ("{{ app.leader.phone }}", 2), "电子邮箱", ("{{ app.leader.email }}", 2)])
    head = add_row(t, ["项目\n参与人", "姓名", "性别", "出生年月", "职称", "研究专长", "工作单位"], header=True)
    add_row(t, [("{%tr for m in app.participants %}", 7)])
    body = add_row(t, ["", "{{ m.name }}", "{{ m.gender }}", "{{ m.born }}", "{{ m.title }}", "{{ m.expertise }}",
                       "{{ m.org }}"])
    cant_split(t.rows[-1])
    add_row(t, [("{%tr endfor %}", 7)])
    vmerge(head[0], "restart")
    vmerge(body[0], None)
    add_row(t, [("项目完成时间", 2), ("{{ app.completion }}", 5)])

    doc.add_paragraph("二、项目拟完成目标（500字以内）", style="Heading 1")
    t = grid_table(doc, [15.6])
    cell = add_row(t, [("", 1, "表格正文")], height_cm=6.0)[0]
    cell_paras(cell, "app.narrative.goal")

    doc.add_paragraph("三、实施基础和条件保障（应注明是否列入单位重点工作）", style="Heading 1")
    t = grid_table(doc, [15.6])
    cell = add_row(t, [("", 1, "表格正文")], height_cm=6.0)[0]
    para(cell, "{{ '本项目已列入' + unit.name + '重点工作。' if app.key_work else '本项目未列入' + unit.name + "
               "'重点工作。' }}", style="表格正文", keep_first=True)
    cell_paras(cell, "app.narrative.basis")

    doc.add_paragraph("四、项目建设方案（可另附页）", style="Heading 1")
    t = grid_table(doc, [15.6])
    cell = add_row(t, [("", 1, "表格正文")], height_cm=8.0)[0]
    cell_paras(cell, "app.narrative.plan")

    doc.add_paragraph("五、总体工作进度安排", style="Heading 1")
    t = grid_table(doc, [1.4, 2.4, 3.2, 5.2, 3.4])
    add_row(t, ["序号", "阶段", "起止时间", "主要工作内容", "阶段成果"], header=True)
    repeat_header(t.rows[-1])
    loop_rows(t, "s in app.schedule", ["{{ loop.index }}", "{{ s.name }}", "{{ s.period }}", "{{ s.work }}",
                                      "{{ s.outcome }}"])

    doc.add_paragraph("六、申报意见", style="Heading 1")
    t = grid_table(doc, [2.8, 12.8])
    _, cell = add_row(t, ["单位意见", ("", 1, "表格正文")], height_cm=5.0)
    cell_paras(cell, "app.narrative.unit_opinion")
    para(cell, "（单位公章）　　　　　　", style="表格文字", align=RIGHT, space_before=18)
    para(cell, "{{ app.filled | cn_date if app.filled else '　　年　　月　　日' }}　　　", style="表格文字",
         align=RIGHT, space_before=12)
    # 上级教育行政部门意见（高校除外）: the row is left out when the applicant is a 高校.
    add_row(t, [("{%tr if unit.kind != '高校' %}", 2)])
    _, cell = add_row(t, ["上级教育\n行政部门\n意见（高\n校除外）", ("", 1, "表格正文")], height_cm=5.0)
    para(cell, "", style="表格正文", keep_first=True)
    para(cell, "（公章）　　　　　　", style="表格文字", align=RIGHT, space_before=48)
    para(cell, "　　年　　月　　日　　　", style="表格文字", align=RIGHT, space_before=12)
    add_row(t, [("{%tr endif %}", 2)])
    save(doc, "docx", HN2024, "申报书.docx")


def hn2024_zhinan() -> None:
    """附件1 申报指南, from the call's project types (per: call)."""
    doc = new_document()
    attachment_label(doc, "附件1")
    para(doc, "河南省基础教育教师培训出彩项目申报指南", style="Title", align=CENTER, space_after=12)
    para(doc, "{%p for s in sub_projects %}")
    doc.add_paragraph("{{ s.no | cn_ordinal }}、{{ s.name }}", style="Heading 1")
    for label, expr in (("（一）目标", "s.goal"), ("（二）内容", "s.content"), ("（三）预期成果", "s.results"),
                        ("（四）结项时间要求", "s.deadline"), ("（五）经费资助", "s.budget_text + '元'")):
        p = para(doc, "", style="正文首行缩进")
        add_run(p, label + "　", bold=True)
        add_run(p, "{{ " + expr + " }}")
    para(doc, "{%p endfor %}")
    save(doc, "docx", HN2024, "申报指南.docx")


def ly_zhinan(call: str) -> None:
    """附件2 申报指南 of a Luoyang call (per: call): the guide's text and each sub-project's goal and items."""
    doc = new_document()
    attachment_label(doc, "附件2")
    para(doc, "{{ call.project_title }}", style="Title", align=CENTER)
    para(doc, "申报指南", style="Title", align=CENTER, space_after=12)
    para(doc, "{{ guide.intro }}", style="正文首行缩进")
    doc.add_paragraph("{{ guide.heading }}", style="Heading 1")
    para(doc, "{%p for s in sub_projects %}")
    doc.add_paragraph("（{{ s.no | cn_ordinal }}）{{ s.name }}", style="Heading 2")
    p = para(doc, "", style="正文首行缩进")
    add_run(p, "培训目标：", bold=True)
    add_run(p, "{{ s.goal }}")
    para(doc, "{%p for label, text in s.extra.items() %}")
    p = para(doc, "", style="正文首行缩进")
    add_run(p, "{{ label }}：", bold=True)
    add_run(p, "{{ text }}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p for sec in guide.sections %}")
    doc.add_paragraph("{{ sec.title }}", style="Heading 1")
    para(doc, "{%p for line in sec.paragraphs %}")
    para(doc, "{{ line }}", style="正文首行缩进")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endfor %}")
    save(doc, "docx", call, "申报指南.docx")


if __name__ == "__main__":
    if sys.argv[1:] == ["zhinan"]:  # only the 申报指南 of both Luoyang calls
        ly_zhinan(LY2025)
        ly_zhinan(LY2026)
        raise SystemExit(0)
    ly2025_shenbaoshu()
    unit_huizongbiao_xlsx(LY2025, "{{ call.project_title }}申报汇总表")
    call_documents(LY2025, ["{{ call.project_title }}", "申报汇总表"])
    call_documents(LY2026, "洛阳市{{ call.year }}年“市培计划”项目申报汇总表")
    hn2024_shenbaoshu()
    hn2024_zhinan()
    print("templates written")
