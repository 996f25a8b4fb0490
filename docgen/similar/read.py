"""Read received 申报书 (docx or PDF) into narrative sections; read templates into their boilerplate lines."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from docgen.errors import Diagnostic, Location, display_path
from docgen.similar.engine import Section

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# a numbered heading line: 一、目标定位 / （二）需求分析 / 3. 内容设计 / 第四部分 …
_NUMBERED = re.compile(r"^\s*(?:第[一二三四五六七八九十]+[部分章节]\s*|[（(]?[一二三四五六七八九十]{1,3}[)）、．.]\s*"
                       r"|\d{1,2}[、．.]\s*)")
_NOTE = re.compile(r"[（(][^（()）]*[)）]$")
_MAX_HEADING = 40


def docx_paragraphs(data: bytes) -> list[str]:
    """Return the text of every paragraph of a docx body, tables included, in document order."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def pdf_lines(path: Path) -> list[str]:
    """Return the text lines of a PDF (pdftotext when installed, else pdfminer.six)."""
    exe = shutil.which("pdftotext")
    if exe:
        done = subprocess.run([exe, "-enc", "UTF-8", "-q", str(path), "-"], capture_output=True, timeout=120)
        if done.returncode == 0:
            return done.stdout.decode("utf-8", "replace").splitlines()
    from pdfminer.high_level import extract_text
    return extract_text(str(path)).splitlines()


def _title_of(line: str) -> str:
    """Return a heading's title: no numbering, no trailing note in brackets (“（500字以内）”), no colon."""
    return _NOTE.sub("", _NUMBERED.sub("", line).strip()).strip().rstrip("：:")


def sections_of(lines: list[str], doc: str, titles: set[str]) -> list[Section]:
    """Split *lines* into sections at headings; keep the narrative ones.

    A line is a heading when, without its numbering (一、 / （二） / 3.), it is one of *titles*
    (the calls' narrative titles), or when it is a short numbered line. Sections under one of
    *titles* are kept; when no line is one of *titles*, every numbered section is kept, and a
    document without any heading is one section, "全文".
    """
    heads = []
    for i, line in enumerate(lines):
        s = line.strip()
        if not s or len(s) > _MAX_HEADING:
            continue
        title = _title_of(s)
        if title in titles or (title and _NUMBERED.match(s) and not re.search(r"[。；;，,]", s)):
            heads.append((i, title))
    if not heads:
        text = "\n".join(lines).strip()
        return [Section(doc, "全文", text, doc)] if text else []
    narrative = any(t in titles for _, t in heads)
    out = []
    for n, (i, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        if narrative and title not in titles:
            continue
        text = "\n".join(lines[i + 1:end]).strip()
        if text:
            out.append(Section(doc, title, text, f"{doc}（{title}）"))
    return out


def read_folder(folder: Path, titles: set[str], prefix: str = "") -> tuple[list[Section], list[Diagnostic], int]:
    """Return the sections of every 申报书 under *folder*, a warning per file that cannot be read, and the count read.

    Documents are named by their path under *folder* (with *prefix*, e.g. "上一年/").
    """
    sections: list[Section] = []
    problems: list[Diagnostic] = []
    read = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))):
        name = prefix + str(path.relative_to(folder))
        suffix = path.suffix.lower()
        if suffix not in (".docx", ".pdf"):
            if suffix in (".doc", ".wps"):
                problems.append(Diagnostic("M100", "旧版 Word/WPS 文件，无法读取，未参加比对", Location(display_path(path)),
                                           hint="请在 Word/WPS 中另存为 .docx 或导出 PDF 后再运行。",
                                           severity="warning"))
            continue
        try:
            if suffix == ".docx":
                lines = docx_paragraphs(path.read_bytes())
            else:
                lines = pdf_lines(path)
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, subprocess.SubprocessError,
                ValueError) as exc:
            problems.append(Diagnostic("M100", f"无法读取，未参加比对（{type(exc).__name__}）",
                                       Location(display_path(path)),
                                       hint="确认文件能在 Word/WPS 或 PDF 阅读器中打开；加密的文件请去掉密码。",
                                       severity="warning"))
            continue
        found = sections_of(lines, name, titles)
        if not found:
            problems.append(Diagnostic("M101", "没有可比对的文字（可能是扫描件）", Location(display_path(path)),
                                       hint="扫描件没有文字层，请向申报单位索取可复制文字的 PDF 或 Word 文件。",
                                       severity="warning"))
            continue
        read += 1
        sections.extend(found)
    return sections, problems, read


def template_lines(path: Path) -> list[str]:
    """Return the text lines a template prints whatever the data (its paragraphs; tags left as they are)."""
    try:
        if path.suffix.lower() == ".docx":
            return [t for t in docx_paragraphs(path.read_bytes()) if t.strip()]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError):
        return []
    return []
