"""Tables break like the bureau's forms: header rows repeat and stay with the first data row, short rows
never split, headings stay with their table — in every template, and on every page docgen prints."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from docgen.render.tablebreaks import header_rows, heading_before, problems, row_text
from tests.conftest import ROOT, run

TEMPLATES = sorted((ROOT / "templates").rglob("*.docx"))


def tables(path: Path):
    return Document(str(path)).element.body.iter(qn("w:tbl"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_every_template_table_breaks_like_a_form(path):
    found = []
    for i, tbl in enumerate(tables(path)):
        found += [f"表 {i + 1}：{p}" for p in problems(tbl)]
    assert not found, "\n".join(found)


def test_header_of_the_expert_team_is_both_rows():
    # The 专家团队 table: its title row and its column names both repeat (only the second did).
    path = ROOT / "templates/docx/luoyang-2025-wangluo-yanxiu/申报书.docx"
    experts = [t for t in tables(path) if row_text(t.tr_lst[0]).startswith("专家团队")]
    assert len(experts) == 1
    head = header_rows(experts[0])
    assert [row_text(tr)[:4] for tr in head] == ["专家团队", "姓名职务"]
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in head)


def test_markdown_tables_repeat_header_and_never_split_rows(tmp_path):
    from docgen.load.markdown import MarkdownText
    from docgen.render.markdown import render_into

    doc = Document()
    text = "## 二、项目完成情况\n\n| 指标 | 目标 | 完成 |\n|---|---|---|\n" + "".join(
        f"| 指标{i} | {i} | {i} |\n" for i in range(40))
    md = MarkdownText(text, tmp_path)
    render_into(doc, md)
    tbl = next(doc.element.body.iter(qn("w:tbl")))
    rows = tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)
    heading = heading_before(tbl)
    assert heading is not None and heading.pPr.keepNext_val


# --------------------------------------------------------------------------- the printed pages
NUMBER = re.compile(r"^[—–\-]\s*\d+\s*[—–\-]$|^第\s*\d+\s*页")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)\S")


def _header_cells() -> set[str]:
    cells = set()
    for path in TEMPLATES:
        for tbl in tables(path):
            for tr in header_rows(tbl):
                for tc in tr.iter(qn("w:tc")):
                    text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                    for part in re.split(r"\s+", text):
                        if part:
                            cells.add(part)
    return cells


def _last_line(page_text: str) -> str:
    lines = [ln.strip() for ln in page_text.splitlines() if ln.strip()]
    lines = [ln for ln in lines if not NUMBER.match(ln) and not ln.startswith("样本")]
    return lines[-1] if lines else ""


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None or
                    shutil.which("pdftotext") is None, reason="needs LibreOffice and poppler")
def test_no_page_ends_with_a_table_header_or_a_heading(project):
    assert run(project, "build").exit_code == 0
    assert run(project, "plan", "build").exit_code in (0, 1)
    assert run(project, "report", "build").exit_code in (0, 1)
    header = _header_cells()
    pdfs = sorted(p for p in (project / "build").rglob("*.pdf"))
    assert len(pdfs) >= 20
    stranded = []
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
        pages = text.decode("utf-8").split("\f")
        for no, page in enumerate(pages[:-1] if len(pages) > 1 else pages, start=1):
            if no == len(pages) - 1 and len(pages) > 1:
                continue  # a document's last page may end anywhere
            last = _last_line(page)
            cells = [c for c in re.split(r"\s{2,}", last) if c]
            if HEADING.match(last) or (cells and all(c.replace(" ", "") in header for c in cells)):
                stranded.append(f"{pdf.relative_to(project)} 第 {no} 页末行：{last}")
    assert not stranded, "\n".join(stranded)


def test_the_page_check_sees_a_stranded_header_and_heading():
    header = _header_cells()
    page = "一、基本情况\n……\n                培训项目管理团队\n 姓名   年龄   学历   专业      工作分工\n\n          — 2 —\n"
    last = _last_line(page)
    assert last == "姓名   年龄   学历   专业      工作分工"
    assert all(c.replace(" ", "") in header for c in re.split(r"\s{2,}", last) if c)
    assert HEADING.match(_last_line("正文……\n二、网络研修支持服务能力\n— 3 —\n"))
    assert not HEADING.match(_last_line("二、网络研修支持服务能力\n指标说明……平台每日备份。\n"))
