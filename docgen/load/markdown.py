"""Parse Markdown prose (申报书 rows, 绩效自评报告, 案例) once, keeping where it came from.

markdown-it-py (CommonMark, plus tables and footnotes from mdit-py-plugins); the
Word writer in :mod:`docgen.render.markdown` turns the tokens into paragraphs.
Loaders and checkers use the plain text helpers here to count and check prose.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

TABLE_REF = re.compile(r"^【表[：:]\s*(.+?)\s*】$")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’—…]")


def parser() -> MarkdownIt:
    """Return the one Markdown parser: CommonMark + tables + strikethrough + footnotes, no raw HTML."""
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    return md.use(footnote_plugin)


_MD = parser()
_ZWSP = "\u200b"
_CJK_PUNCT = "。，、；：！？）」』”’》〕】…—"
_CJK_OPEN = "“‘（《「『〔【"
# CommonMark will not close **强调。**后文 (a closing run after punctuation, before a letter) nor open
# 前文**“强调”** ; a zero-width space between the mark and the punctuation makes both work.
_CLOSE_FIX = re.compile(f"([{_CJK_PUNCT}])(\\*\\*|\\*|__)(?=[^\\s*_])")
_OPEN_FIX = re.compile(f"(?<=[^\\s*_])(\\*\\*|\\*|__)([{_CJK_OPEN}])")


def cjk_emphasis(text: str) -> str:
    """Return *text* with zero-width spaces that let CommonMark see emphasis next to CJK punctuation."""
    text = _CLOSE_FIX.sub(lambda m: m.group(1) + _ZWSP + m.group(2), text)
    return _OPEN_FIX.sub(lambda m: m.group(1) + _ZWSP + m.group(2), text)


@dataclass
class FigureTable:
    """A table of figures placed where the Markdown says 【表：title】."""

    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""


@dataclass
class MarkdownText:
    """Markdown source with where it came from (for images and messages)."""

    text: str
    base_dir: Path | None = None
    source: str = ""
    line_offset: int = 0  # lines of front matter above the Markdown body

    @functools.cached_property
    def tokens(self) -> list[Token]:
        """Return the parsed tokens (parsed once; callers must not change the list)."""
        tokens = _MD.parse(cjk_emphasis(self.text))
        for tok in tokens:
            if _ZWSP in tok.content and tok.type in ("fence", "code_block"):
                tok.content = tok.content.replace(_ZWSP, "")
            for child in tok.children or []:
                if child.type in ("text", "code_inline") and _ZWSP in child.content:
                    child.content = child.content.replace(_ZWSP, "")
        return tokens


def missing_images(md: MarkdownText) -> list[tuple[str, int | None]]:
    """Return (path as written, file line) of every image the Markdown refers to that does not exist."""
    out = []
    base = md.base_dir or Path(".")
    for tok in md.tokens:
        for child in tok.children or []:
            if child.type == "image":
                src = unquote(str(child.attrs.get("src", "")))
                if not (base / src).is_file():
                    line = tok.map[0] + 1 + md.line_offset if tok.map else None
                    out.append((src, line))
    return out


def plain_paragraphs(md: MarkdownText) -> list[str]:
    """Return the text of every block (headings, paragraphs, list items, table rows) without Markdown marks."""
    out: list[str] = []
    tokens = md.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "inline" and tokens[i - 1].type in ("paragraph_open", "heading_open", "th_open", "td_open"):
            out.append(inline_text(tok))
    return [t for t in out if t]


def inline_text(tok: Token) -> str:
    """Return the visible text of an inline token (soft breaks joined as Word would show them)."""
    parts: list[str] = []
    for child in tok.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(soft_break(parts))
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)  # the alt text, printed as the picture's caption
    return "".join(parts).strip()


def soft_break(parts: list[str]) -> str:
    prev = parts[-1][-1:] if parts and parts[-1] else ""
    return "" if prev and _CJK.match(prev) else " "
