"""The 绩效自评报告 ends with its 落款 — the unit, its seal place, the date — and the PDF is sealed there."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tests.conftest import UNIT_A, run
from tests.pdf.fixtures import placements

FOLDER = f"build/{UNIT_A}/henan-2023-xiangmu-zongjie/2023-国培"


def test_self_report_has_a_signoff_cases_do_not(project):
    assert run(project, "report", "build", "--no-pdf").exit_code == 0
    doc = Document(project / FOLDER / "绩效自评报告.docx")
    tail = [p for p in doc.paragraphs if p.text.strip()][-2:]
    assert [p.text for p in tail] == ["河洛师范学院（盖章）", "2024年1月20日"]  # report.yaml date: 2024-01-20
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in tail)
    case = next((project / FOLDER).glob("典型工作案例-1-*.docx"))
    assert not any("（盖章）" in p.text for p in Document(case).paragraphs)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_self_report_pdf_is_sealed_over_its_signoff(project):
    assert run(project, "report", "build").exit_code == 0
    with pikepdf.open(project / FOLDER / "绩效自评报告.pdf") as pdf:
        seals = [(i, s) for i, page in enumerate(pdf.pages) for s in placements(page, "/DgSeal")]
        assert len(seals) == 1 and seals[0][0] == len(pdf.pages) - 1  # once, on the last page
        x, y, w, h, _ = seals[0][1]
        assert x + w / 2 > float(pdf.pages[-1].mediabox[2]) / 2  # over the right-aligned 落款
