"""Which parts of a Word template hold tags, and the checks that depend on the part.

docxtpl renders the body, headers, footers, footnotes and the core document
properties (title, subject, keywords …); it leaves endnotes and comments as they
are. So tags in the first group are checked like body tags, and a tag in an
endnote or comment is a warning: it would be printed as typed.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

from docgen.errors import Diagnostic, Location

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TAG_START_RE = re.compile(r"\{\{|\{%")

RENDERED_NOTES = (("word/footnotes.xml", "脚注"),)
UNRENDERED_NOTES = (("word/endnotes.xml", "尾注"), ("word/comments.xml", "批注"))
NOTE_TAGS = (f"{W}footnote", f"{W}endnote", f"{W}comment")
# docxtpl's render_properties renders these core properties (docProps/core.xml).
CORE_PROPS = {"title": "标题", "subject": "主题", "creator": "作者", "keywords": "关键词",
              "description": "备注", "category": "类别", "lastModifiedBy": "最后修改者",
              "contentStatus": "状态", "identifier": "标识", "language": "语言", "version": "版本"}


def tag_parts(names: list[str]) -> list[tuple[str, str]]:
    """Return (part name, label) of every part of a docx whose tags docxtpl renders, in reading order."""
    parts = [("word/document.xml", "")]
    for n in sorted(names):
        if re.fullmatch(r"word/header\d*\.xml", n):
            parts.append((n, "页眉"))
        elif re.fullmatch(r"word/footer\d*\.xml", n):
            parts.append((n, "页脚"))
    parts.extend(RENDERED_NOTES)
    return [(n, label) for n, label in parts if n in names]


def docprops_spots(zf: zipfile.ZipFile, spot_cls) -> list[Any]:
    """Return a spot for each core document property that holds a tag (rendered by docxtpl)."""
    from lxml import etree

    if "docProps/core.xml" not in zf.namelist():
        return []
    root = etree.fromstring(zf.read("docProps/core.xml"), _parser())
    spots = []
    for el in root:
        local = etree.QName(el).localname
        text = el.text or ""
        if local in CORE_PROPS and TAG_START_RE.search(text):
            spots.append(spot_cls(f"文档属性“{CORE_PROPS[local]}”", text, [(el, 0)]))
    return spots


def unrendered_tags(zf: zipfile.ZipFile, shown: str) -> list[Diagnostic]:
    """Warn about tags typed where docxtpl does not render (endnotes, comments, custom properties)."""
    from lxml import etree

    found: list[Diagnostic] = []
    names = zf.namelist()
    for name, label in UNRENDERED_NOTES + (("docProps/custom.xml", "自定义文档属性"), ("docProps/app.xml", "文档属性")):
        if name not in names:
            continue
        root = etree.fromstring(zf.read(name), _parser())
        for i, el in enumerate(root.iter(*NOTE_TAGS, "{*}property", "{*}Company", "{*}Manager"), 1):
            text = "".join(el.itertext())
            m = TAG_START_RE.search(text)
            if m:
                found.append(Diagnostic(
                    "T427", f"{label}中有标签“{_short(text[m.start():])}”，生成时不会被替换，会原样印出", Location(
                        shown, anchor=f"{label}第{i}处“{_short(text)}”"),
                    hint="标签只能放在正文、表格、页眉、页脚、脚注或文档标题等属性中；把它移到正文，或删除。",
                    severity="warning"))
    return found


def revision_in_tag(spot, tag) -> bool:
    """Return True when a tracked insertion or deletion lies inside *tag* (Word's 修订 split it)."""
    for t, start in spot.pieces:
        length = len(t.text or "")
        if start < tag.end and start + length > tag.start and length and \
                any(True for _ in t.iterancestors(f"{W}ins", f"{W}moveTo")):
            return True
    paragraph = getattr(spot, "paragraph", None)
    if paragraph is None:
        return False
    pos = 0
    for el in paragraph.iter(f"{W}t", f"{W}del", f"{W}moveFrom"):
        if el.tag == f"{W}t":
            pos += len(el.text or "")
        elif tag.start < pos < tag.end:
            return True
    return False


def revision_warning(spot, tag, shown: str) -> Diagnostic:
    return Diagnostic(
        "T409", f"标签“{_short(tag.raw)}”中有修订标记（修订模式下的增删），生成结果取决于是否接受修订",
        getattr(spot, "loc", None) or Location(shown, anchor=spot.where),
        hint="在 Word/WPS 中“审阅 → 接受所有修订”并关闭修订模式后再保存。", severity="warning")


def _short(text: str, n: int = 30) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:n] + ("…" if len(text) > n else "")


def _parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
