"""Where the tags are: a docx part read paragraph by paragraph (and cell by cell), each named in words.

A paragraph's text is rebuilt across its formatting runs so a tag split by Word is still
one tag; each :class:`Spot` knows its place ("“一、基本情况”下表格1第2行第3列").
"""

from __future__ import annotations

import copy
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from docgen.errors import Location
from docgen.render.parts import NOTE_TAGS, tag_parts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'", "„": '"', "‟": '"', "＂": '"', "＇": "'"}
# docxtpl prefixes: {%p %} paragraph, {%tr %} table row, {%tc %} table cell, {%r %} run; {{r x}} rich text.
PREFIX_RE = re.compile(r"^(\{%-?|\{\{-?)\s*(p|tr|tc|r)\s+")


@dataclass
class Spot:
    """One paragraph (docx) or cell (xlsx) holding tags, with its place in human words."""

    where: str
    text: str
    pieces: list = field(default_factory=list)  # docx: [(w:t element, start offset in text)]
    in_table: bool = False
    paragraph: Any = None
    table: Any = None  # the w:tbl element of the innermost table holding the paragraph
    loc: Location | None = None  # xlsx: the sheet and cell; docx spots are placed by `where`


@dataclass
class Tag:
    spot: Spot
    start: int
    end: int
    raw: str  # as typed

    @property
    def prefix(self) -> str:
        m = PREFIX_RE.match(self.raw)
        return m.group(2) if m else ""

    @property
    def body(self) -> str:
        """The Jinja tag without docxtpl's p/tr/tc/r prefix, curly quotes left as typed."""
        m = PREFIX_RE.match(self.raw)
        if m:
            return m.group(1) + " " + self.raw[m.end():]
        return self.raw


def opening(text: str, n: int = 16) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:n] + ("…" if len(text) > n else "")


def run_texts(p) -> list[tuple[Any, int]]:
    pieces, pos = [], 0
    for t in p.iter(f"{W}t"):
        pieces.append((t, pos))
        pos += len(t.text or "")
    return pieces


def docx_spots(xml_root, part_name: str = "") -> list[Spot]:
    """Every paragraph of a part in document order, named by heading, table/row/cell or opening text."""
    spots: list[Spot] = []
    state: dict[str, Any] = {"heading": "", "table": 0}

    def heading_of(p) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        name = style.get(f"{W}val") if style is not None else ""
        text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
        if name and re.match(r"(?i)(heading|title|标题|[1-9]$)", name):
            return text
        # WPS/Word documents often format headings by hand: 一、… / （二）… / 第三部分 …
        if p.find(f"{W}pPr/{W}outlineLvl") is not None or (
                len(text) <= 30 and "{" not in text
                and re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])", text)):
            return text
        return None

    def para(p, where_prefix: str | None, in_table: bool):
        pieces = run_texts(p)
        text = "".join(t.text or "" for t, _ in pieces)
        h = heading_of(p) if not in_table else None
        if h:
            state["heading"] = h
        if where_prefix is not None:
            where = where_prefix
        else:
            head = f"“{state['heading']}”下" if state["heading"] else ""
            where = f"{part_name}{head}段落“{opening(text)}”"
        tbl = next((a for a in p.iterancestors(f"{W}tbl")), None)
        spots.append(Spot(where, text, pieces, in_table, p, tbl))

    def walk(el, where_prefix: str | None, in_table: bool):
        for child in el:
            if child.tag == f"{W}p":
                para(child, where_prefix, in_table)
            elif child.tag == f"{W}tbl":
                if where_prefix is None:
                    state["table"] += 1
                    head = f"“{state['heading']}”下" if state["heading"] else ""
                    label = f"{part_name}{head}表格{state['table']}"
                else:
                    label = f"{where_prefix}内嵌表格"
                for r, tr in enumerate(child.findall(f"{W}tr"), 1):
                    for c, tc in enumerate(tr.findall(f"{W}tc"), 1):
                        walk(tc, f"{label}第{r}行第{c}列", True)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins") + NOTE_TAGS:
                walk(child, where_prefix, in_table)
    walk(xml_root, None, False)
    return spots


def find_tags(spot: Spot) -> list[Tag]:
    return [Tag(spot, m.start(), m.end(), m.group(0)) for m in TAG_RE.finditer(spot.text)]



def short(raw: str, n: int = 40) -> str:
    raw = re.sub(r"\s+", " ", raw)
    return raw if len(raw) <= n else raw[:n - 3] + "…" + raw[-2:]



def split_runs(spot: Spot, tag: Tag) -> list:
    """Return the distinct w:r elements holding a tag's characters."""
    runs = []
    for t, start in spot.pieces:
        length = len(t.text or "")
        if start < tag.end and start + length > tag.start and length:
            run = t.getparent()
            if run not in runs:
                runs.append(run)
    return runs


def run_format(run) -> bytes:
    from lxml import etree
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return b""
    rpr = copy.deepcopy(rpr)
    for noise in ("lang", "noProof", "rtl"):  # language marks do not change how text looks
        for el in rpr.findall(f"{W}{noise}"):
            rpr.remove(el)
    for fonts in rpr.findall(f"{W}rFonts"):  # w:hint="eastAsia" is an IME mark, not a font
        fonts.attrib.pop(f"{W}hint", None)
        if not fonts.attrib:
            rpr.remove(fonts)
    return etree.tostring(rpr, method="c14n")



def docx_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """Return (part name, label) of every part whose tags docxtpl renders (body, headers, footers, footnotes)."""
    return tag_parts(zf.namelist())
