"""The one build path keys outputs honestly: docgen's own code is part of every key, and every
command that writes documents rebuilds nothing when nothing changed, with the same bytes."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CALL, ROOT, UNIT_A, files_under, run

RENDERER = "docgen/render/docx.py"
STAMP = 'props.last_modified_by = "docgen"'


def docgen_copy(dest: Path) -> Path:
    """Copy docgen's package (no caches) under *dest* and return the folder to put on PYTHONPATH."""
    shutil.copytree(ROOT / "docgen", dest / "docgen", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def docgen_in(pythonpath: Path, project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(pythonpath)}
    proc = subprocess.run([sys.executable, "-m", "docgen", "--root", str(project), *args], cwd=project,
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def last_modified_by(docx: Path) -> str:
    core = zipfile.ZipFile(io.BytesIO(docx.read_bytes())).read("docProps/core.xml").decode()
    return core.split("<cp:lastModifiedBy>")[1].split("</cp:lastModifiedBy>")[0]


def test_editing_a_renderer_rebuilds_what_it_draws(project, tmp_path):
    code = docgen_copy(tmp_path / "code")
    assert (code / "docgen/__init__.py").is_file()
    first = docgen_in(code, project, "build", "--no-pdf", "--call", CALL)
    outputs = files_under(project / "build")
    docx = sorted(rel for rel in outputs if rel.startswith(f"{UNIT_A}/") and rel.endswith(".docx"))
    assert docx and f"共生成 {len(outputs)} 个文件" in first.stdout
    assert last_modified_by(project / "build" / docx[0]) == "docgen"
    same = docgen_in(code, project, "build", "--no-pdf", "--call", CALL)
    assert f"共生成 0 个文件，{len(outputs)} 个文件输入未变化" in same.stdout

    # A change to docgen's own code that changes the documents, data and templates untouched.
    renderer = code / RENDERER
    source = renderer.read_text(encoding="utf-8")
    assert source.count(STAMP) == 1
    renderer.write_text(source.replace(STAMP, 'props.last_modified_by = "docgen-edited"'), encoding="utf-8")
    again = docgen_in(code, project, "build", "--no-pdf", "--call", CALL)
    assert "共生成 0 个文件" not in again.stdout
    for rel in docx:
        assert f"已生成 build/{rel}" in again.stdout, rel
        assert last_modified_by(project / "build" / rel) == "docgen-edited", rel


def test_no_change_plan_and_report_builds_redo_nothing(project):
    for command in (("plan", "build", "--no-pdf"), ("report", "build", "--no-pdf")):
        earlier = files_under(project / "build")
        first = run(project, *command)
        assert first.exit_code == 0, first.output + first.stderr
        outputs = files_under(project / "build") - earlier
        before = {rel: (project / "build" / rel).read_bytes() for rel in files_under(project / "build")}
        assert first.output.count("已生成") == len(outputs) >= 4
        times = {rel: (project / "build" / rel).stat().st_mtime_ns for rel in outputs}
        for _ in range(2):  # the quick path, then (state kept, the signature changed) the full key check
            again = run(project, *command)
            assert again.exit_code == 0
            assert f"共生成 0 个文件，{len(outputs)} 个文件输入未变化" in again.output
            assert "已生成" not in again.output
            assert {rel: (project / "build" / rel).read_bytes() for rel in files_under(project / "build")} == before
            assert {rel: (project / "build" / rel).stat().st_mtime_ns for rel in outputs} == times
            os.utime(project / "data/bureaus/province.yaml")  # same content, new time: no quick path
            for path in (project / "data/units").rglob("report.yaml"):
                os.utime(path)


def test_report_build_rebuilds_only_what_changed(project):
    assert run(project, "report", "build", "--no-pdf").exit_code == 0
    folder = next((project / "data/units").rglob("report.yaml")).parent
    markdown = next(p for p in sorted(folder.rglob("*.md")))
    text = markdown.read_text(encoding="utf-8")
    markdown.write_text(text + "\n补充一句。\n", encoding="utf-8")
    result = run(project, "report", "build", "--no-pdf")
    assert result.exit_code == 0
    built = [line for line in result.output.splitlines() if line.startswith("已生成")]
    assert 1 <= len(built) < len(files_under(project / "build")), result.output


@pytest.mark.lo
def test_plan_build_pdfs_are_byte_reproducible(project):
    first = run(project, "plan", "build")
    assert first.exit_code == 0, first.output + first.stderr
    outputs = files_under(project / "build")
    pdfs = sorted(rel for rel in outputs if rel.endswith(".pdf"))
    assert len(pdfs) == 4
    before = {rel: (project / "build" / rel).read_bytes() for rel in outputs}
    again = run(project, "plan", "build", "--clean")  # converted again by another LibreOffice
    assert again.exit_code == 0 and f"共生成 {len(outputs)} 个文件，0 个" in again.output
    assert {rel: (project / "build" / rel).read_bytes() for rel in outputs} == before
