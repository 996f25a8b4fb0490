"""Render Markdown prose into Word content, with the template's own styles.

Narrative written by people in a text editor (申报书 rows, 绩效自评报告, 案例) is
Markdown. It is parsed with markdown-it-py (CommonMark, plus tables and
footnotes from mdit-py-plugins) and written with python-docx into a docxtpl
sub-document, so paragraphs use the template's styles:

=====================  ==========================================================
Markdown               Word
=====================  ==========================================================
``#`` / ``##`` / ###   Heading 1 / Heading 2 / Heading 3
paragraph              the body style (``正文首行缩进`` in body text, two-character
                       first-line indent; ``表格正文`` inside a table cell)
``1.`` / ``-`` items   List Number (numbering restarts per list) / List Bullet
``**b**`` ``*i*``      bold / italic runs
table                  a table in the template's table style, header row bold
``![图题](a.png)``     a centred picture (path relative to the Markdown file),
                       the alt text as a centred caption below it
``[^1]``               a real Word footnote (when the template has a footnotes
                       part), else a numbered note list after the text
``【表：名称】``        a table of figures supplied by the caller (e.g. 人数, 经费)
=====================  ==========================================================

A style the template lacks falls back to the body style, so a staff member
may delete or rename styles without breaking a build. Nothing here writes
files: the content goes into the document being rendered in memory. Binding
Markdown values to a docxtpl template is :mod:`docgen.render.richtext`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu
from lxml import etree
from markdown_it.token import Token

from docgen.load.markdown import (
    TABLE_REF,
    FigureTable,
    MarkdownText,
    inline_text,
    soft_break,
)
from docgen.render.ooxml_order import insert_in_order


@dataclass(frozen=True)
class StyleMap:
    """Which template style each Markdown element takes."""

    body: str = "正文首行缩进"
    headings: tuple[str, ...] = ("Heading 1", "Heading 2", "Heading 3")
    bullet: str = "List Bullet"
    number: str = "List Number"
    table: str = "Table Grid"
    table_text: str = "表格文字"
    caption: str = "图表标题"
    quote: str = "Quote"


BODY_STYLES = StyleMap()
CELL_STYLES = StyleMap(body="表格正文", headings=("表格正文",) * 3, bullet="表格正文", number="表格正文",
                       caption="表格文字")


@dataclass
class Footnotes:
    """Footnote bodies to add to the footnotes part after docxtpl has rendered the template."""

    pending: list[tuple[int, list]] = field(default_factory=list)


def _style_names(document) -> set[str]:
    """Return the names of *document*'s styles, read once per rendered document (the writer adds none)."""
    known = getattr(document, "_docgen_style_names", None)
    if known is None:
        known = {s.name for s in document.styles}
        document._docgen_style_names = known
    return known


class DocxWriter:
    """Append Markdown blocks to a python-docx container (Document, docxtpl Subdoc or table cell)."""

    def __init__(self, container, document, styles: StyleMap = BODY_STYLES,
                 tables: dict[str, FigureTable] | None = None, footnotes: Footnotes | None = None,
                 max_image_width: int | None = None):
        self.container = container
        self.document = document  # the python-docx Document owning styles, numbering and parts
        self.styles = styles
        self.tables = tables or {}
        self.footnotes = footnotes
        self.max_image_width = max_image_width
        self._known = _style_names(document)
        self._note_ids: dict[str, int] = {}
        self._endnotes: list[tuple[int, list[Token]]] = []

    # -- styles -----------------------------------------------------------------------------------
    def style(self, name: str, fallback: str | None = None) -> str | None:
        for candidate in (name, fallback, self.styles.body, "Normal"):
            if candidate and candidate in self._known:
                return candidate
        return None

    # -- blocks -----------------------------------------------------------------------------------
    def write(self, md: MarkdownText) -> None:
        self.md = md
        tokens = list(md.tokens)
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        # A body whose top headings are ## (the title being the document's own) starts at Heading 1.
        self._shift = min(levels) - 1 if levels else 0
        self._collect_footnotes(tokens)
        self._blocks(tokens, 0, len(tokens))
        self._write_endnotes()

    def _collect_footnotes(self, tokens: list[Token]) -> None:
        """Remember each footnote's body tokens by label; drop the footnote block from the flow."""
        self._note_bodies: dict[int, list[Token]] = {}
        i = 0
        while i < len(tokens):
            if tokens[i].type == "footnote_block_open":
                j = i
                while tokens[j].type != "footnote_block_close":
                    j += 1
                body = tokens[i + 1:j]
                k = 0
                while k < len(body):
                    if body[k].type == "footnote_open":
                        fid = body[k].meta["id"]
                        m = k
                        while body[m].type != "footnote_close":
                            m += 1
                        self._note_bodies[fid] = [t for t in body[k + 1:m] if t.type == "inline"]
                        k = m
                    k += 1
                del tokens[i:j + 1]
                continue
            i += 1

    def _blocks(self, tokens: list[Token], start: int, end: int, lists: list | None = None) -> None:
        lists = lists if lists is not None else []
        i = start
        while i < end:
            tok = tokens[i]
            t = tok.type
            if t == "heading_open":
                level = max(1, int(tok.tag[1]) - getattr(self, "_shift", 0))
                heads = self.styles.headings
                name = heads[min(level, len(heads)) - 1]
                p = self.container.add_paragraph(style=self.style(name))
                self._inline(p, tokens[i + 1])
                if name == self.styles.body:  # headings inside a cell: bold body text
                    for r in p.runs:
                        r.bold = True
                i += 3
            elif t == "paragraph_open":
                inline = tokens[i + 1]
                self._paragraph(inline, lists)
                i += 3
            elif t in ("bullet_list_open", "ordered_list_open"):
                close = self._matching(tokens, i)
                lists.append({"ordered": t == "ordered_list_open", "num": None,
                              "start": int(tok.attrs.get("start", 1) or 1)})
                self._blocks(tokens, i + 1, close, lists)
                lists.pop()
                i = close + 1
            elif t == "list_item_open":
                close = self._matching(tokens, i)
                lists[-1]["item_first"] = True
                self._blocks(tokens, i + 1, close, lists)
                i = close + 1
            elif t == "table_open":
                close = self._matching(tokens, i)
                self._table(tokens[i:close + 1])
                i = close + 1
            elif t in ("fence", "code_block"):
                for line in tok.content.rstrip("\n").split("\n"):
                    self.container.add_paragraph(line, style=self.style(self.styles.table_text))
                i += 1
            elif t == "blockquote_open":
                close = self._matching(tokens, i)
                saved = self.styles
                self.styles = StyleMap(**{**saved.__dict__, "body": self.style(saved.quote) or saved.body})
                self._blocks(tokens, i + 1, close, lists)
                self.styles = saved
                i = close + 1
            elif t == "hr":
                self.container.add_paragraph(style=self.style(self.styles.body)).add_run().add_break(WD_BREAK.PAGE)
                i += 1
            else:
                i += 1

    @staticmethod
    def _matching(tokens: list[Token], i: int) -> int:
        depth, kind = 0, tokens[i].type[: -len("_open")]
        for j in range(i, len(tokens)):
            if tokens[j].type == kind + "_open":
                depth += 1
            elif tokens[j].type == kind + "_close":
                depth -= 1
                if depth == 0:
                    return j
        return len(tokens) - 1

    def _paragraph(self, inline: Token, lists: list) -> None:
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        text = inline_text(inline)
        ref = TABLE_REF.match(text)
        if ref and ref.group(1) in self.tables and not lists:
            self.figure_table(self.tables[ref.group(1)])
            return
        if children and all(c.type in ("image", "softbreak") for c in children):
            for c in children:
                if c.type == "image":
                    self._image(c)
            return
        if lists:
            current = lists[-1]
            if current.get("item_first"):
                current["item_first"] = False
                depth = len(lists)
                base = self.styles.number if current["ordered"] else self.styles.bullet
                name = base if depth == 1 else f"{base} {min(depth, 3)}"
                style = self.style(name, base)
                p = self.container.add_paragraph(style=style)
                current["count"] = current.get("count", 0) + 1
                if style not in (self.styles.number, self.styles.bullet) or style == self.styles.body:
                    # No list style here (e.g. in a table cell): write the number or bullet as text.
                    mark = f"{current['start'] + current['count'] - 1}．" if current["ordered"] else "● "
                    p.add_run(mark)
                elif current["ordered"]:
                    current["num"] = self._restart_numbering(p, current)
                self._inline(p, inline)
                return
            p = self.container.add_paragraph(style=self.style(self.styles.body))  # continuation paragraph
            self._inline(p, inline)
            return
        p = self.container.add_paragraph(style=self.style(self.styles.body))
        self._inline(p, inline)

    # -- inline -----------------------------------------------------------------------------------
    def _inline(self, p, inline: Token, bold: bool = False) -> None:
        state = {"bold": bold, "italic": False, "strike": False}
        written: list[str] = []
        for c in inline.children or []:
            t = c.type
            if t == "text" or t == "code_inline":
                self._run(p, c.content, state, mono=t == "code_inline")
                written.append(c.content)
            elif t == "softbreak":
                sep = soft_break(written)
                if sep:
                    self._run(p, sep, state)
                    written.append(sep)
            elif t == "hardbreak":
                p.add_run().add_break()
            elif t == "strong_open":
                state["bold"] = True
            elif t == "strong_close":
                state["bold"] = bold
            elif t == "em_open":
                state["italic"] = True
            elif t == "em_close":
                state["italic"] = False
            elif t == "s_open":
                state["strike"] = True
            elif t == "s_close":
                state["strike"] = False
            elif t == "image":
                self._image(c, paragraph=p)
            elif t == "footnote_ref":
                self._footnote_ref(p, c.meta["id"])

    @staticmethod
    def _run(p, text: str, state: dict, mono: bool = False):
        run = p.add_run(text)
        if state["bold"]:
            run.bold = True
        if state["italic"]:
            run.italic = True
        if state["strike"]:
            run.font.strike = True
        if mono:
            run.font.name = "Courier New"
        return run

    # -- images -----------------------------------------------------------------------------------
    def _image(self, tok: Token, paragraph=None) -> None:
        src = unquote(str(tok.attrs.get("src", "")))  # markdown-it percent-encodes non-ASCII paths
        base = self.md.base_dir or Path(".")
        path = (base / src).resolve()
        alt = inline_text(tok) if tok.children else tok.content
        if paragraph is None:
            paragraph = self.container.add_paragraph(style=self.style(self.styles.caption))
            paragraph.paragraph_format.first_line_indent = 0
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not path.is_file():
            paragraph.add_run(f"〔缺少图片：{src}〕")
            return
        width = self._image_width(path)
        paragraph.add_run().add_picture(str(path), width=width)
        if alt and paragraph.text == "":
            cap = self.container.add_paragraph(alt, style=self.style(self.styles.caption))
            cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
            cap.paragraph_format.first_line_indent = 0

    def _image_width(self, path: Path) -> Emu | None:
        limit = self.max_image_width
        if limit is None:
            sec = self.document.sections[0]
            limit = int(sec.page_width - sec.left_margin - sec.right_margin)
        try:
            from docx.image.image import Image
            img = Image.from_file(str(path))
            natural = int(img.width)
        except Exception:
            return Emu(limit)
        return Emu(min(natural, limit))

    # -- tables -----------------------------------------------------------------------------------
    def _table(self, tokens: list[Token]) -> None:
        rows: list[list[Token]] = []
        header_rows = 0
        in_head = False
        for tok in tokens:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                rows.append([])
                if in_head:
                    header_rows += 1
            elif tok.type == "inline":
                rows[-1].append(tok)
        if not rows:
            return
        ncols = max(len(r) for r in rows)
        table = self._new_table(len(rows), ncols, [[inline_text(c) for c in r] for r in rows])
        for r, cells in enumerate(rows):
            for c, inline in enumerate(cells):
                cell_p = table.cell(r, c).paragraphs[0]
                cell_p.style = self.style(self.styles.table_text)
                self._inline(cell_p, inline, bold=r < header_rows)
        _break_like_a_form(table._tbl, max(1, header_rows))
        self._after_table()

    def figure_table(self, data: FigureTable) -> None:
        """Write a table of figures: a centred title, a bold header row, values as given."""
        cap = self.container.add_paragraph(data.title, style=self.style(self.styles.caption))
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.paragraph_format.first_line_indent = 0
        table = self._new_table(len(data.rows) + 1, len(data.columns),
                                [list(map(str, data.columns))] + [["" if v is None else str(v) for v in r]
                                                                  for r in data.rows])
        for c, name in enumerate(data.columns):
            p = table.cell(0, c).paragraphs[0]
            p.style = self.style(self.styles.table_text)
            p.add_run(str(name)).bold = True
        for r, row in enumerate(data.rows, start=1):
            for c, value in enumerate(row):
                p = table.cell(r, c).paragraphs[0]
                p.style = self.style(self.styles.table_text)
                p.add_run("" if value is None else str(value))
        if data.note:
            note = self.container.add_paragraph(data.note, style=self.style(self.styles.table_text))
            note.alignment = WD_ALIGN_PARAGRAPH.LEFT
        self._after_table()

    def _new_table(self, rows: int, cols: int, texts: list[list[str]] | None = None):
        table = self.container.add_table(rows=rows, cols=cols)
        if texts:
            self._fit_columns(table, cols, texts)
        style = self.style(self.styles.table, "Table Grid")
        if style and style in self._known:
            table.style = style
        table.alignment = 1  # centred
        _break_like_a_form(table._tbl, 1)
        return table

    def _fit_columns(self, table, cols: int, texts: list[list[str]]) -> None:
        """Share the text width between columns by their longest cell (capped), so long names get room."""
        weights = []
        for c in range(cols):
            # width in half-width units: a CJK character is 2, an ASCII character 1; plus cell padding
            longest = max((2 * len(r[c]) - len(r[c].encode("ascii", "ignore")) for r in texts if c < len(r)),
                          default=2)
            weights.append(min(max(longest, 4), 24) + 4)
        limit = self.max_image_width
        if limit is None:
            sec = self.document.sections[0]
            limit = int(sec.page_width - sec.left_margin - sec.right_margin)
        total = sum(weights)
        table.autofit = False  # writes <w:tblLayout w:type="fixed"/> in schema order
        for c, w in enumerate(weights):
            width = Emu(int(limit * w / total))
            table.columns[c].width = width
            for cell in table.columns[c].cells:
                cell.width = width

    def _after_table(self) -> None:
        # A table cell must end with a paragraph; a small spacer also keeps tables off the next text.
        self.container.add_paragraph(style=self.style(self.styles.table_text))

    # -- numbering --------------------------------------------------------------------------------
    def _restart_numbering(self, p, current: dict) -> int | None:
        """Put *p* on this ordered list's own w:num (same look), which starts at the list's start number."""
        num_id = current.get("num")
        if num_id is None:
            num_id = self._new_num(p, current)
        if num_id is not None:
            ppr = p._p.get_or_add_pPr()
            ppr._remove_numPr()
            num_pr = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
            ppr._insert_numPr(num_pr)  # after pStyle … widowControl, before pBdr (CT_PPrBase)
        return num_id

    def _new_num(self, p, current: dict) -> int | None:
        style = self.document.styles[p.style.name]
        num_pr = style.element.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if num_pr is None:
            return None
        num_id_el = num_pr.find(qn("w:numId"))
        try:
            numbering = self.document.part.numbering_part.element
        except (NotImplementedError, KeyError):
            return None
        base_num = next((n for n in numbering.findall(qn("w:num"))
                         if n.get(qn("w:numId")) == num_id_el.get(qn("w:val"))), None)
        if base_num is None:
            return None
        abstract = base_num.find(qn("w:abstractNumId")).get(qn("w:val"))
        ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        new_id = max(ids) + 1
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{new_id}"><w:abstractNumId w:val="{abstract}"/>'
                        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{current["start"]}"/></w:lvlOverride>'
                        f'</w:num>')
        insert_in_order(numbering, num, "w:CT_Numbering")  # w:num after every w:abstractNum
        return new_id

    # -- footnotes --------------------------------------------------------------------------------
    def _footnote_ref(self, p, fid: int) -> None:
        body = self._note_bodies.get(fid, [])
        if self.footnotes is not None and _footnotes_part(self.document) is not None:
            note_id = self._next_note_id()
            run = p.add_run()
            run._r.get_or_add_rPr().get_or_add_vertAlign().set(qn("w:val"), "superscript")
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(note_id))
            run._r.append(ref)
            self.footnotes.pending.append((note_id, body))
            return
        n = len(self._endnotes) + 1
        run = p.add_run(f"[{n}]")
        run.font.superscript = True
        self._endnotes.append((n, body))

    def _next_note_id(self) -> int:
        part = _footnotes_part(self.document)
        root = parse_xml(part.blob)
        used = [int(x) for el in root.iter(qn("w:footnote")) if (x := el.get(qn("w:id"))) is not None] or [0]
        pending = [i for i, _ in self.footnotes.pending] if self.footnotes is not None else []
        pending = pending or [0]
        return max(max(used), max(pending), 0) + 1

    def _write_endnotes(self) -> None:
        if not self._endnotes:
            return
        self.container.add_paragraph("注释：", style=self.style(self.styles.table_text)).alignment = \
            WD_ALIGN_PARAGRAPH.LEFT
        for n, body in self._endnotes:
            p = self.container.add_paragraph(f"[{n}] ", style=self.style(self.styles.table_text))
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            for inline in body:
                self._inline(p, inline)


def _break_like_a_form(tbl, header_rows: int) -> None:
    """Let a generated table break like a bureau's form: its header rows repeat and keep with the first
    data row, no row splits across pages, the paragraph before it (heading or caption) keeps with it."""
    from docgen.render.tablebreaks import heading_before, keep_with_next, set_cant_split, set_repeat

    for i, tr in enumerate(tbl.tr_lst):
        set_cant_split(tr)
        if i < header_rows:
            set_repeat(tr)
            for p in tr.iter(qn("w:p")):
                keep_with_next(p)
    heading = heading_before(tbl)
    if heading is not None:
        keep_with_next(heading)


def _footnotes_part(document):
    try:
        return document.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return None


def flush_footnotes(document, footnotes: Footnotes) -> None:
    """Append the pending footnote bodies to the footnotes part (after docxtpl rendered it)."""
    if not footnotes.pending:
        return
    part = _footnotes_part(document)
    root = parse_xml(part.blob)
    w = nsdecls("w")
    for note_id, body in footnotes.pending:
        text = " ".join(inline_text(t) for t in body)
        note = parse_xml(
            f'<w:footnote {w} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        run = copy.deepcopy(note[0][-1])
        run[0].text = text
        note[0].append(run)
        root.append(note)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    footnotes.pending.clear()


def render_into(document, md: MarkdownText, styles: StyleMap = BODY_STYLES,
                tables: dict[str, FigureTable] | None = None) -> None:
    """Append *md* to a python-docx *document* (no template), footnotes included."""
    notes = Footnotes()
    DocxWriter(document, document, styles, tables, notes).write(md)
    if _footnotes_part(document) is not None:
        flush_footnotes(document, notes)

