"""Templates survive editing: saved by LibreOffice, or edited as a person would, they build the same values."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import load_workbook

from docgen.pdf.convert import find_soffice, lo_environment, make_profile
from tests.conftest import CALL, UNIT_A, run
from tests.render.test_inspect import find_para, paragraphs, retype
from tests.render.test_shenbaoshu import cells_text

TEMPLATES = ["申报书", "实施方案"]


def filled_values(root: Path) -> dict[str, list]:
    """Table cell texts and non-empty paragraph texts of every built 申报书/实施方案, in order."""
    out = {}
    for path in sorted((root / "build" / UNIT_A / CALL).glob("*.docx")):
        doc = Document(path)
        cells = [cells_text(row) for t in doc.tables for row in t.rows]
        texts = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
        out[path.name] = [cells, texts]
    for path in sorted((root / "build" / UNIT_A / CALL).glob("*.xlsx")):
        ws = load_workbook(path).active
        out[path.name] = [[c.value for c in row] for row in ws.iter_rows() if any(c.value for c in row)]
    return out


def build(root: Path) -> dict[str, list]:
    shutil.rmtree(root / "build", ignore_errors=True)
    result = run(root, "build", "--no-pdf", "--unit", UNIT_A)
    assert result.exit_code == 0, result.output
    return filled_values(root)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    from tests.conftest import ROOT
    root = tmp_path_factory.mktemp("ref")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    return build(root)


@pytest.mark.lo
def test_saved_by_libreoffice_builds_the_same_values(project, reference, tmp_path):
    soffice = find_soffice()
    if soffice is None:
        pytest.fail("LibreOffice is missing: run make test, which installs it")
    folder = project / "templates/docx" / CALL
    out = tmp_path / "lo-out"
    out.mkdir()
    profile = make_profile(tmp_path)
    files = [str(folder / f"{name}.docx") for name in TEMPLATES]
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *files],
                   env=lo_environment(), capture_output=True, timeout=180, check=True)
    for name in TEMPLATES:
        saved = out / f"{name}.docx"
        assert saved.is_file()
        assert saved.read_bytes() != (folder / f"{name}.docx").read_bytes()
        shutil.copy(saved, folder / f"{name}.docx")
    xlsx = project / "templates/xlsx" / CALL / "汇总表.xlsx"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(xlsx)],
                   env=lo_environment(), capture_output=True, timeout=180, check=True)
    shutil.copy(out / "汇总表.xlsx", xlsx)
    check = run(project, "template", "check")
    assert check.exit_code == 0, check.output
    assert "个模板：没有错误" in check.output
    values = build(project)
    assert values == reference
    assert any(name.endswith(".xlsx") for name in values)


def test_edited_as_a_person_builds_the_same_values(project, reference):
    path = project / "templates/docx" / CALL / "申报书.docx"
    doc = Document(path)
    # change the body font
    for style in ("Normal",):
        doc.styles[style].font.name = "仿宋_GB2312"
        doc.styles[style].font.size = Pt(14)
    # add a paragraph (a blank line, as people do, before a heading)
    find_para(doc, "二、网络研修支持服务能力").insert_paragraph_before("")
    # widen a column
    table = doc.tables[1]
    for cell in table.columns[0].cells:
        cell.width = Cm(4)
    # retype tags with a different font on part of them: split runs
    retype(find_para(doc, "{{ unit.postcode }}"), [("{{ unit.", None), ("postcode }}", "黑体")])
    retype(find_para(doc, "{{ p.trainees }}"), [("{{ p.", "楷体"), ("trainees", None), (" }}", "黑体")])
    retype(find_para(doc, "{%tr for e in unit.experts %}"), [("{%tr for e ", None), ("in unit.experts %}", "宋体")])
    doc.save(path)
    assert len([p for p in paragraphs(Document(path)) if "{{ unit." in p.text and len(p.runs) > 1]) >= 1

    check = run(project, "template", "check", str(path))
    assert check.exit_code == 0, check.output
    assert check.output.count("警告[T406]") == 3
    values = build(project)
    name = next(n for n in reference if n.startswith("申报书"))
    # the blank paragraph is the only new text-free change; the filled values are the same
    assert values[name][0] == reference[name][0]
    assert values[name][1] == reference[name][1]

    fixed = run(project, "template", "check", "--fix", str(path))
    assert fixed.exit_code == 0 and fixed.output.count("合并为一段") == 3
    assert build(project) == reference
