"""Helpers for drawing Word templates with python-docx (used by the template scripts only).

The committed templates under templates/ are the source of truth: staff edit them in Word/WPS.
The make_templates_*.py scripts drew the first versions; re-running one must never wipe those
edits, so every script writes through :func:`save_new`:

- by default into a scratch folder, build/template-drafts/templates/…, to compare by eye;
- ``--out DIR`` writes under DIR/templates/… instead;
- an existing file is never overwritten unless ``--force`` is given (and ``--out .`` with
  ``--force`` is the only way to replace a committed template; don't, unless you mean to
  throw away what staff changed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from docgen.render.ooxml_order import insert_in_order

CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# Font sizes by their Chinese names.
SIZES = {"初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16, "小三": 15,
         "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}


def set_fonts(rpr_owner, east: str, latin: str = "Times New Roman") -> None:
    """Set east-Asian and Latin font names on a style or run, dropping theme fonts."""
    rpr = rpr_owner.element.get_or_add_rPr() if hasattr(rpr_owner, "element") else rpr_owner
    fonts = rpr.get_or_add_rFonts()  # after rStyle (CT_RPr)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:cs"), latin)


def new_document(margins=(2.54, 2.54, 3.0, 2.6), landscape: bool = False):
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    else:
        sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Cm(m) for m in margins)
    styles = doc.styles
    normal = styles["Normal"]
    set_fonts(normal, "仿宋_GB2312")
    normal.font.size = Pt(SIZES["小四"])
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    # Headings keep Word's names so navigation panes and PDF bookmarks see them.
    for name, east, size, bold in (("Heading 1", "黑体", "三号", False), ("Heading 2", "楷体_GB2312", "三号", False),
                                   ("Title", "方正小标宋简体", "二号", False)):
        st = styles[name]
        set_fonts(st, east)
        st.font.size = Pt(SIZES[size])
        st.font.bold = bold
        st.font.italic = False
        st.font.color.rgb = None
        rpr = st.element.get_or_add_rPr()
        for tag in ("w:color",):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
        st.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        st.paragraph_format.space_after = Pt(6 if name != "Title" else 0)
        st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        ppr = st.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)
    body = styles.add_style("正文首行缩进", 1)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Pt(SIZES["小四"] * 2)
    body.paragraph_format.alignment = JUSTIFY
    cell = styles.add_style("表格文字", 1)
    cell.base_style = normal
    cell.font.size = Pt(SIZES["五号"])
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.alignment = CENTER
    celltext = styles.add_style("表格正文", 1)
    celltext.base_style = cell
    celltext.paragraph_format.alignment = JUSTIFY
    celltext.paragraph_format.first_line_indent = Pt(SIZES["五号"] * 2)
    celltext.paragraph_format.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    return doc


def para(doc_or_cell, text: str = "", style: str | None = None, align=None, size: str | None = None,
         east: str | None = None, bold: bool = False, underline: bool = False, space_before: float | None = None,
         space_after: float | None = None, keep_first: bool = False):
    """Add a paragraph (or fill a cell's first empty paragraph when keep_first)."""
    if keep_first and len(doc_or_cell.paragraphs) == 1 and not doc_or_cell.paragraphs[0].text:
        p = doc_or_cell.paragraphs[0]
        if style:
            p.style = style
    else:
        p = doc_or_cell.add_paragraph(style=style)
    if align is not None:
        p.alignment = align
    if space_before is not None:
        p.paragraph_format.space_before = Pt(space_before)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if text:
        run = p.add_run(text)
        if size:
            run.font.size = Pt(SIZES[size])
        if east:
            set_fonts(run, east)
        run.bold = bold or None
        run.underline = underline or None
    return p


def add_run(p, text: str, size: str | None = None, east: str | None = None, bold: bool = False,
            underline: bool = False):
    run = p.add_run(text)
    if size:
        run.font.size = Pt(SIZES[size])
    if east:
        set_fonts(run, east)
    run.bold = bold or None
    run.underline = underline or None
    return run


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def grid_table(doc, widths_cm: list[float]):
    """Return a bordered table with fixed column widths and no rows yet."""
    table = doc.add_table(rows=0, cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/> (once, in schema order)
    for col, w in zip(table.columns, widths_cm):
        col.width = Cm(w)
    table._widths = widths_cm
    return table


def add_row(table, cells: list, height_cm: float | None = None, header: bool = False):
    """Add a row of (text, span[, style]) cells; text may be '' ; returns the list of merged cells."""
    row = table.add_row()
    if height_cm:
        row.height = Cm(height_cm)
    widths = table._widths
    for i, w in enumerate(widths):
        row.cells[i].width = Cm(w)
    out = []
    col = 0
    for spec in cells:
        if isinstance(spec, str):
            spec = (spec, 1)
        text, span, *rest = spec
        style = rest[0] if rest else "表格文字"
        cell = row.cells[col]
        if span > 1:
            cell = cell.merge(row.cells[col + span - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.style = style
        if text:
            p.add_run(text).bold = header or None
        out.append(cell)
        col += span
    assert col == len(widths), f"row spans {col} of {len(widths)} columns"
    return out


def repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    insert_in_order(tr_pr, el)


def cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    insert_in_order(tr_pr, OxmlElement("w:cantSplit"))


REPO = Path(__file__).resolve().parent.parent
DRAFTS = REPO / "build" / "template-drafts"


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Draw template drafts (never over an edited template).")
    parser.add_argument("--out", type=Path, default=DRAFTS,
                        help="folder that receives templates/…; default build/template-drafts")
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist there")
    return parser.parse_args()


_OPTS = _options()
OUT_ROOT: Path = _OPTS.out.resolve()
FORCE: bool = _OPTS.force


def save_new(obj, path: Path) -> None:
    """Save a python-docx Document or openpyxl Workbook at *path*, refusing to replace a file without --force."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not FORCE:
        sys.stderr.write(f"refusing to overwrite {path} (an edited template is the source of truth); "
                         "write elsewhere with --out DIR, or pass --force\n")
        raise SystemExit(1)
    tmp = path.with_name(path.name + ".tmp")
    obj.save(tmp)
    os.replace(tmp, path)
    print(f"wrote {path}")
