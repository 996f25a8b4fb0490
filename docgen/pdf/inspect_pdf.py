"""Attachment truth: is a PDF really whole before it is sealed into a submission?

qpdf (under pikepdf) silently reconstructs a damaged PDF: a truncated scan opens,
with its lost pages present but empty, and would come out as blank sealed pages.
So a PDF is accepted only when every page's content parses; a repaired file is a
warning naming it; a page count that disagrees with the page tree, or a page that
draws nothing in a repaired file, is an error; a blank page in a sound file is a
warning (a scanner may add one on purpose).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from docgen.errors import Diagnostic, Location, display_path

# Operators that put marks on a page: text, XObjects (scans), inline images, shadings, painted paths.
DRAWING_OPS = {"Tj", "TJ", "'", '"', "Do", "BI", "INLINE IMAGE", "sh", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}


def page_draws(page: pikepdf.Page) -> bool:
    """Return True when *page* puts anything on paper (its content or an annotation's appearance)."""
    if "/Annots" in page.obj and len(page.obj.Annots) > 0:
        return True
    for instruction in pikepdf.parse_content_stream(page):
        op = str(instruction.operator) if not isinstance(instruction, pikepdf.ContentStreamInlineImage) else "BI"
        if op in DRAWING_OPS:
            return True
    return False


def pdf_problems(pdf: pikepdf.Pdf, path: Path, location: Location | None, field: str | None) -> list[Diagnostic]:
    """Return what is wrong with an opened PDF: repaired, no pages, wrong page count, unparsable or lost pages."""
    shown = display_path(path)
    loc = location or Location(shown)
    found: list[Diagnostic] = []
    repaired = [w for w in pdf.get_warnings() if w]
    if repaired:
        first = repaired[0].split(": ", 1)[-1]
        found.append(Diagnostic(
            "P750", f"PDF 文件有损坏，已被自动修复（{cn_warning(first)}）：{shown}", loc, field=field,
            hint="文件可能下载或复制不完整；请核对每一页，最好重新导出或扫描该文件。", severity="warning"))
    pages = len(pdf.pages)
    if pages == 0:
        found.append(Diagnostic("P751", f"PDF 没有任何页面：{shown}", loc, field=field,
                                hint="重新导出或扫描该文件。"))
        return found
    declared = pdf.Root["/Pages"].get("/Count") if "/Pages" in pdf.Root else None
    if isinstance(declared, int) and declared != pages:
        found.append(Diagnostic("P755", f"PDF 声明有 {declared} 页，实际只能读出 {pages} 页：{shown}", loc, field=field,
                                hint="文件不完整；重新导出或扫描该文件。"))
    blank: list[int] = []
    broken: list[int] = []
    for number, page in enumerate(pdf.pages, 1):
        try:
            if not page_draws(page):
                blank.append(number)
        except (pikepdf.PdfError, ValueError, TypeError, AttributeError):
            broken.append(number)
    if broken:
        found.append(Diagnostic("P754", f"PDF 第 {_ranges(broken)} 页的内容无法解析：{shown}", loc, field=field,
                                hint="文件已损坏；重新导出或扫描该文件。"))
    if blank and repaired:
        found.append(Diagnostic("P752", f"PDF 第 {_ranges(blank)} 页（共 {pages} 页）内容缺失，文件被截断或损坏：{shown}",
                                loc, field=field, hint="盖章后会是空白页；重新导出或扫描该文件。"))
    elif blank:
        whole = len(blank) == pages
        found.append(Diagnostic(
            "P752" if whole else "P753",
            (f"PDF 的全部 {pages} 页都是空白页：{shown}" if whole
             else f"PDF 第 {_ranges(blank)} 页是空白页（共 {pages} 页）：{shown}"),
            loc, field=field, hint="核对扫描件是否漏扫；有意留白的页可以忽略此提示。",
            severity="error" if whole else "warning"))
    return found


def attachment_problems(path: Path, password: str | None, location: Location | None,
                        field: str | None) -> list[Diagnostic]:
    """Open an attachment (PDF or scan) the way the submission will, and return every problem found."""
    from docgen.errors import InputError
    from docgen.pdf.parts import Part, open_part

    part = Part(field or path.name, path, password=password, location=location)
    try:
        pdf = open_part(part, inspect=False)
    except InputError as exc:
        return list(exc.diagnostics)
    with pdf:
        return pdf_problems(pdf, path, location, field)


def _ranges(numbers: list[int]) -> str:
    """Return 1、3–5、9 for [1, 3, 4, 5, 9]."""
    out: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return "、".join(out)


_WARNINGS_CN = {
    "file is damaged": "文件已损坏",
    "can't find startxref": "找不到交叉引用表位置",
    "xref not found": "找不到交叉引用表",
    "reconstructing xref table": "重建了交叉引用表",
    "unable to find trailer dictionary": "找不到文件尾",
    "not a PDF file": "文件头不是 PDF",
    "header not found": "文件头不是 PDF",
    "unexpected end of file": "文件意外结束（不完整）",
    "invalid password": "密码不正确",
}


def cn_warning(text: str) -> str:
    """Return qpdf's English complaint as a short Chinese phrase (what the user sees)."""
    for en, cn in _WARNINGS_CN.items():
        if en in text:
            return cn
    return "结构错误"
