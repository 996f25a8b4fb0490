"""Markdown values in a docxtpl template: ``{{p app.rich.goal }}`` becomes Word paragraphs.

A :class:`RichText` in the template context (Markdown, or plain YAML prose) is bound to the
template being rendered (:func:`bind_rich`); when Jinja prints it, the Word writer of
:mod:`docgen.render.markdown` writes it into a scratch document that shares the template's
part (styles, numbering, images), and the resulting XML is what docxtpl inserts.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from docgen.load.markdown import FigureTable, MarkdownText
from docgen.render.markdown import BODY_STYLES, CELL_STYLES, DocxWriter, Footnotes


@dataclass
class RichText:
    """A Markdown value for a template: ``{{p value }}`` in body text, ``{{p value.cell }}`` in a table cell.

    Plain strings (YAML narrative) become RichText too, one body paragraph per
    paragraph, without Markdown interpretation, so both paths look alike.
    """

    md: MarkdownText | None = None
    plain: list[str] | None = None
    tables: dict[str, FigureTable] = field(default_factory=dict)
    in_cell: bool = False

    def __bool__(self) -> bool:
        return bool(self.plain) or bool(self.md and self.md.text.strip())


class BoundRich:
    """A RichText bound to the template being rendered; Jinja turns it into sub-document XML."""

    def __init__(self, rich: RichText, tpl, footnotes: Footnotes):
        self._rich, self._tpl, self._footnotes = rich, tpl, footnotes

    @property
    def cell(self) -> BoundRich:
        return BoundRich(RichText(self._rich.md, self._rich.plain, self._rich.tables, True), self._tpl,
                         self._footnotes)

    def __bool__(self) -> bool:
        return bool(self._rich)

    def _xml(self) -> str:
        document = self._tpl.get_docx()
        sub = _scratch(document)
        styles = CELL_STYLES if self._rich.in_cell else BODY_STYLES
        writer = DocxWriter(sub, document, styles, self._rich.tables, self._footnotes,
                            max_image_width=_cell_width(document) if self._rich.in_cell else None)
        if self._rich.plain is not None:
            for para in self._rich.plain:
                sub.add_paragraph(para, style=writer.style(styles.body))
        elif self._rich.md is not None:
            writer.write(self._rich.md)
        body = sub.element.body
        if body.sectPr is not None:
            body.remove(body.sectPr)
        if not len(body):
            sub.add_paragraph(style=writer.style(styles.body))
        return "".join(etree.tostring(child, encoding="unicode") for child in body)

    def __html__(self) -> str:
        return self._xml()

    def __str__(self) -> str:
        return self._xml()


def _scratch(document):
    """Return an empty python-docx Document sharing *document*'s part: styles, numbering, images, rels.

    This is what docxtpl's Subdoc does without a file, minus its docxcompose import.
    """
    cached = getattr(document, "_docgen_scratch", None)  # one per rendered template: Document() costs ~6 ms
    if cached is None:
        from docx import Document
        sub = Document()
        sub._part = document.part
        _memo_style_ids(document.part)
        body = sub.element.body
        sect = body.sectPr
        cached = document._docgen_scratch = (sub, copy.deepcopy(sect) if sect is not None else None)
    sub, sect = cached
    body = sub.element.body
    for child in list(body):
        body.remove(child)
    if sect is not None:
        body.append(copy.deepcopy(sect))
    return sub


def _memo_style_ids(part) -> None:
    """Remember style-name lookups on *part* for this render (python-docx scans every style on each one)."""
    original, memo = part.get_style_id, {}

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return original(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in memo:
            memo[key] = original(style_or_name, style_type)
        return memo[key]

    part.get_style_id = get_style_id


def _cell_width(document) -> int:
    sec = document.sections[0]
    return int((sec.page_width - sec.left_margin - sec.right_margin) * 0.75)


def bind_rich(context: Any, tpl, footnotes: Footnotes) -> Any:
    """Return *context* with every RichText (in dicts and lists) bound to *tpl*."""
    if isinstance(context, RichText):
        return BoundRich(context, tpl, footnotes)
    if isinstance(context, dict):
        return {k: bind_rich(v, tpl, footnotes) for k, v in context.items()}
    if isinstance(context, list):
        return [bind_rich(v, tpl, footnotes) for v in context]
    return context


def has_rich(context: Any) -> bool:
    if isinstance(context, RichText):
        return True
    if isinstance(context, dict):
        return any(has_rich(v) for v in context.values())
    if isinstance(context, list):
        return any(has_rich(v) for v in context)
    return False
