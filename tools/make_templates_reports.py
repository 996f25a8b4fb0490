"""Draw the year-end report templates (公文 style) and the 报送清单 workbook.

GB/T 9704 habits: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
title 二号 方正小标宋简体; 一级标题 三号 黑体; 二级 三号 楷体_GB2312; 三级 三号 仿宋 bold;
body 三号 仿宋_GB2312, fixed 28 pt line spacing, two-character first-line indent;
page numbers “— 1 —” in 四号 宋体 at the foot.

Run once; afterwards staff edit templates/docx/reports/*.docx in Word/WPS
(styles 正文首行缩进, Heading 1–3, Title, List Number, List Bullet, 表格文字, 图表标题)
and this script is only a record of how they began.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docxkit import OUT_ROOT, SIZES, add_row, grid_table, para, save_new, set_fonts
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from docgen.render.ooxml_order import insert_in_order

ROOT = Path(__file__).resolve().parent.parent
DOCX = OUT_ROOT / "templates/docx/reports"
XLSX = OUT_ROOT / "templates/xlsx/reports"
FANG, HEI, KAI, XBS, SONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
LINE = Pt(28)
INDENT = Pt(SIZES["三号"] * 2)


def _clean(style) -> None:
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:sz", "w:szCs", "w:b", "w:bCs", "w:i", "w:iCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:spacing", "w:ind"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)


def _fixed(pf, indent=True) -> None:
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = INDENT if indent else Pt(0)


def _chars_indent(style, chars: int = 2) -> None:
    """Also write the indent in characters (firstLineChars), as Word's dialog shows it."""
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(chars * 100))


def gongwen_document() -> Document:
    doc = Document()
    doc.core_properties.author = doc.core_properties.last_modified_by = ""
    doc.core_properties.comments = ""
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    sec.header_distance, sec.footer_distance = Mm(15), Mm(25)
    styles = doc.styles
    normal = styles["Normal"]
    set_fonts(normal, FANG)
    normal.font.size = Pt(SIZES["三号"])
    _fixed(normal.paragraph_format, indent=False)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body = styles.add_style("正文首行缩进", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    _fixed(body.paragraph_format)
    _chars_indent(body)
    for name, east, bold in (("Heading 1", HEI, False), ("Heading 2", KAI, False), ("Heading 3", FANG, True)):
        st = styles[name]
        _clean(st)
        set_fonts(st, east)
        st.font.size = Pt(SIZES["三号"])
        st.font.bold = bold
        st.font.italic = False
        _fixed(st.paragraph_format)
        _chars_indent(st)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        st.paragraph_format.keep_with_next = True
    title = styles["Title"]
    _clean(title)
    set_fonts(title, XBS)
    title.font.size = Pt(SIZES["二号"])
    title.font.bold = False
    pf = title.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(35)
    pf.first_line_indent = Pt(0)
    pf.space_before, pf.space_after = Pt(0), Pt(28)
    byline = styles.add_style("署名", WD_STYLE_TYPE.PARAGRAPH)
    byline.base_style = normal
    set_fonts(byline, KAI)
    byline.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    byline.paragraph_format.space_after = Pt(14)
    for name in ("List Number", "List Bullet", "List Number 2", "List Bullet 2"):
        st = styles[name]
        _fixed(st.paragraph_format)
        _chars_indent(st)
    _list_numbering_indent(doc)
    cell = styles.add_style("表格文字", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(SIZES["小四"])
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.paragraph_format.first_line_indent = Pt(0)
    celltext = styles.add_style("表格正文", WD_STYLE_TYPE.PARAGRAPH)
    celltext.base_style = cell
    celltext.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    celltext.paragraph_format.first_line_indent = Pt(SIZES["小四"] * 2)
    cap = styles.add_style("图表标题", WD_STYLE_TYPE.PARAGRAPH)
    cap.base_style = normal
    set_fonts(cap, HEI)
    cap.font.size = Pt(SIZES["四号"])
    cap.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.paragraph_format.first_line_indent = Pt(0)
    cap.paragraph_format.keep_with_next = True
    note = styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    note.element.set(qn("w:styleId"), "FootnoteText")
    note.base_style = normal
    note.font.size = Pt(SIZES["小五"] + 1)
    note.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _add_footnotes_part(doc)
    _page_numbers(doc)
    return doc


def _list_numbering_indent(doc) -> None:
    """Numbered/bulleted list levels: no hanging indent, the number sits where a paragraph's indent starts."""
    numbering = doc.part.numbering_part.element
    for lvl in numbering.iter(qn("w:lvl")):
        ppr = lvl.find(qn("w:pPr"))
        if ppr is None:
            ppr = insert_in_order(lvl, OxmlElement("w:pPr"))
        for el in ppr.findall(qn("w:ind")):
            ppr.remove(el)
        ind = OxmlElement("w:ind")
        level = int(lvl.get(qn("w:ilvl")))
        ind.set(qn("w:left"), str(level * 640))
        ind.set(qn("w:firstLine"), "640")
        insert_in_order(ppr, ind, "w:CT_PPrGeneral")
        suff = lvl.find(qn("w:suff"))
        if suff is None:  # CT_Lvl: … isLgl, suff, lvlText, …, lvlJc, pPr, rPr
            suff = insert_in_order(lvl, OxmlElement("w:suff"), "w:CT_Lvl")
        fmt = lvl.find(qn("w:lvlText"))
        num_fmt = lvl.find(qn("w:numFmt"))
        suff.set(qn("w:val"), "nothing" if num_fmt is not None and num_fmt.get(qn("w:val")) == "decimal" else "space")
        if fmt is not None and num_fmt is not None and num_fmt.get(qn("w:val")) == "decimal":
            fmt.set(qn("w:val"), fmt.get(qn("w:val")).replace(".", "．"))


def _add_footnotes_part(doc) -> None:
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
           '</w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def _page_numbers(doc) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def run(text=None):
        r = p.add_run(text)
        set_fonts(r, SONG, SONG)
        r.font.size = Pt(SIZES["四号"])
        return r

    run("— ")
    r = run()
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    r = run()
    r._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
    r = run()
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    run("1")
    r = run()
    r._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
    run(" —")


def report_template() -> None:
    """绩效自评报告 / 典型工作案例 / 教师成长案例: a title, a byline, the Markdown body."""
    doc = gongwen_document()
    para(doc, "{%p if draft %}")
    para(doc, "【草稿】本文件未通过 docgen check 检查，仅供内部修改，不得报送", align=WD_ALIGN_PARAGRAPH.CENTER,
         east=HEI, bold=True)
    para(doc, "{%p endif %}")
    para(doc, "{{ title }}", style="Title")
    para(doc, "{%p if byline %}")
    para(doc, "{{ byline }}", style="署名")
    para(doc, "{%p endif %}")
    para(doc, "{{p body }}", style="正文首行缩进")
    DOCX.mkdir(parents=True, exist_ok=True)
    save_new(doc, DOCX / "公文.docx")


def author_sheet_template() -> None:
    """教师成长案例 作品对应文档：文章标题、作者真实姓名、单位、职务/职称、邮箱、电话."""
    doc = gongwen_document()
    para(doc, "教师成长案例作者信息", style="Title")
    t = grid_table(doc, [4.0, 11.6])
    for label, expr in (("文章标题", "{{ case.title }}"), ("作者真实姓名", "{{ case.author }}"),
                        ("单位", "{{ case.org }}"), ("职务/职称", "{{ case.position }}"),
                        ("邮箱", "{{ case.email }}"), ("电话", "{{ case.phone }}"),
                        ("项目类别", "{{ case.class_name }}"), ("字数", "{{ case.words }}")):
        cells = add_row(t, [label, expr], height_cm=1.4)
        for c in cells:
            for p in c.paragraphs:
                p.style = "表格文字"
                for r in p.runs:
                    r.font.size = Pt(SIZES["四号"])
    para(doc, "")
    para(doc, "报送单位：{{ unit.name }}", style="正文首行缩进")
    save_new(doc, DOCX / "成长案例作者信息.docx")


def submission_list() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "报送清单"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    widths = {"A": 6, "B": 12, "C": 12, "D": 44, "E": 12, "F": 26, "G": 8, "H": 14}
    for col, w in widths.items():
        ws.column_dimensions[col].width = w
    ws.merge_cells("A1:H1")
    ws["A1"] = "{{ year }}年河南省教师培训项目典型案例报送清单"
    ws["A1"].font = Font(name=XBS, size=18)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 36
    ws.merge_cells("A2:H2")
    ws["A2"] = "报送单位（盖章）：{{ unit.name }}　　联系人：{{ contact.name }}　　联系电话：{{ contact.phone }}"
    ws["A2"].font = Font(name=FANG, size=12)
    heads = ["序号", "项目类别", "案例类型", "标题", "作者", "作者单位", "字数", "职务/职称"]
    for col, text in zip("ABCDEFGH", heads):
        c = ws[f"{col}3"]
        c.value = text
        c.font = Font(name=HEI, size=12)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = box
    row = ["{% for c in cases %}{{ loop.index }}", "{{ c.class_name }}", "{{ c.kind }}", "{{ c.title }}",
           "{{ c.author }}", "{{ c.org }}", "{{ c.words }}", "{{ c.position }}"]
    for col, text in zip("ABCDEFGH", row):
        c = ws[f"{col}4"]
        c.value = text
        c.font = Font(name=SONG, size=11)
        c.alignment = Alignment(horizontal="left" if col in "DF" else "center", vertical="center", wrap_text=True)
        c.border = box
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "3:3"
    XLSX.mkdir(parents=True, exist_ok=True)
    save_new(wb, XLSX / "报送清单.xlsx")


if __name__ == "__main__":
    report_template()
    author_sheet_template()
    submission_list()
    print("templates written")
