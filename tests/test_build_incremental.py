"""Incremental, parallel builds: what is rebuilt, what is left alone, same bytes with -j 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf
import pytest

from docgen.apply import pipeline
from docgen.errors import ToolError
from tests.conftest import CALL, UNIT_A, UNIT_B, edit, files_under, run

REPORTS = {"index.html", "检查报告.xlsx", "检查报告.html"}  # docgen's reports about the build, rewritten when they change


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under *folder* (state included, reports left out) → (inode, mtime_ns)."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() and str(p.relative_to(folder)) not in REPORTS}


def changed(before: dict, after: dict) -> set[str]:
    return {rel for rel in after if before.get(rel) != after[rel]} | (before.keys() - after.keys())


def test_build_after_no_change_writes_nothing(project):
    first = run(project, "build", "--no-pdf")
    assert first.exit_code == 0
    n = len(files_under(project / "build"))
    before = snapshot(project / "build")
    dir_mtime = (project / "build").stat().st_mtime_ns
    second = run(project, "build", "--no-pdf")
    assert second.exit_code == 0
    assert f"共生成 0 个文件，{n} 个文件输入未变化" in second.output
    assert "已生成" not in second.output
    row = [line for line in second.output.splitlines() if "秒" in line][0]
    assert row.split("│")[1].strip() == "0" and row.split("│")[2].strip() == str(n)  # built, unchanged
    assert snapshot(project / "build") == before
    assert (project / "build").stat().st_mtime_ns == dir_mtime  # not even a staging folder came and went


def test_quick_path_sees_edits_deletions_and_options(project):
    assert run(project, "build", "--no-pdf", "--call", CALL).exit_code == 0
    assert "共生成 0 个文件" in run(project, "build", "--no-pdf", "--call", CALL).output
    # other options (all calls) are not covered by that record: a real build
    assert "共生成 0 个文件" not in run(project, "build", "--no-pdf").output
    victim = next(p for p in sorted((project / "build" / UNIT_A / CALL).iterdir()) if p.suffix == ".docx")
    victim.unlink()
    assert "共生成 1 个文件" in run(project, "build", "--no-pdf", "--call", CALL).output
    assert victim.is_file()
    edit(project / f"data/units/{UNIT_B}/unit.yaml", "postcode: 4", "postcode: 5")
    result = run(project, "build", "--no-pdf", "--call", CALL)
    assert "共生成 0 个文件" not in result.output and f"{UNIT_B}/" in result.output


def test_editing_one_unit_rebuilds_only_its_outputs(project):
    assert run(project, "build", "--no-pdf").exit_code == 0
    before = snapshot(project / "build")
    edit(project / f"data/units/{UNIT_B}/unit.yaml", "postcode: 4", "postcode: 5")  # first postcode
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 0
    touched = changed(before, snapshot(project / "build"))
    outputs = {rel for rel in touched if not rel.startswith(".docgen/")}  # state and parse cache aside
    assert outputs and all(rel.startswith(f"{UNIT_B}/") for rel in outputs), outputs
    assert all(rel in result.output for rel in outputs) and result.output.count("已生成") == len(outputs)
    assert not any(rel.startswith(f"{UNIT_A}/") for rel in touched)


def test_template_change_rebuilds_only_its_documents(project):
    assert run(project, "build", "--no-pdf").exit_code == 0
    before = snapshot(project / "build")
    tpl = project / "templates/docx" / CALL / "实施方案.docx"
    tpl.write_bytes(tpl.read_bytes())  # same bytes, new mtime: everything is checked, no document rebuilt
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 0 and "共生成 0 个文件" in result.output
    assert changed(before, snapshot(project / "build")) <= {".docgen/quick.json"}  # only the new signature
    shutil.copy(project / "templates/docx" / CALL / "申报书.docx", tpl)  # other content
    result = run(project, "build", "--no-pdf")
    touched = {rel for rel in changed(before, snapshot(project / "build")) if not rel.startswith(".docgen/")}
    assert touched and all(f"{CALL}/实施方案-" in rel for rel in touched), touched
    assert result.exit_code == 0


def test_deleted_output_is_rebuilt_and_clean_rebuilds_all(project):
    assert run(project, "build", "--no-pdf").exit_code == 0
    every = files_under(project / "build")
    victim = next(rel for rel in sorted(every) if f"{UNIT_A}/{CALL}/申报书-" in rel)
    content = (project / "build" / victim).read_bytes()
    (project / "build" / victim).unlink()
    before = snapshot(project / "build")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 0 and "共生成 1 个文件" in result.output
    assert (project / "build" / victim).read_bytes() == content
    assert changed(before, snapshot(project / "build")) == {victim, ".docgen/state.json"}
    result = run(project, "build", "--no-pdf", "--clean")
    assert result.exit_code == 0 and f"共生成 {len(every)} 个文件，0 个" in result.output


def test_state_records_every_output(project):
    assert run(project, "build", "--no-pdf", "--call", CALL).exit_code == 0
    keys = json.loads((project / "build/.docgen/state.json").read_text(encoding="utf-8"))
    assert set(keys) == files_under(project / "build")
    assert all(len(k) == 64 for k in keys.values())


def test_parallel_gives_the_same_bytes(project, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(project, "build", "--no-pdf", "--out", str(one)).exit_code == 0
    result = run(project, "build", "--no-pdf", "-j", "2", "--out", str(two))
    assert result.exit_code == 0
    files = files_under(one)
    assert files == files_under(two) and len(files) >= 20
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


# -- with PDFs, through a stand-in converter (the real LibreOffice is tested in tests/pdf/) ---------

def fake_converter(calls: list[str]):
    def convert(paths: list[Path]) -> dict[Path, Path]:
        out = {}
        for path in paths:
            calls.append(path.name)
            pdf = pikepdf.new()
            pdf.add_blank_page(page_size=(595.276, 841.89))
            pdf.docinfo["/Title"] = path.stem
            target = path.with_suffix(".pdf")
            pdf.save(target)
            out[path] = target
        return out
    return convert


def build(project: Path, out: Path, calls: list[str], jobs: int = 1):
    loaded = pipeline.load(project, project / "data", call=CALL)
    return pipeline.build(loaded, out, converter=fake_converter(calls), jobs=jobs, raise_failures=False)


def test_submission_rebuilt_when_an_attachment_changes(project, tmp_path):
    calls: list[str] = []
    first = build(project, tmp_path / "out", calls)
    assert not first.errors and any(p.name.startswith("申报材料-") for p in first.written)
    calls.clear()
    again = build(project, tmp_path / "out", calls)
    assert again.written == [] and calls == [] and not again.errors
    att = project / f"data/units/{UNIT_A}/attachments/法定代表人证明.pdf"
    with pikepdf.open(att, allow_overwriting_input=True) as pdf:
        pdf.add_blank_page()
        pdf.save(att)
    third = build(project, tmp_path / "out", calls)
    rels = sorted(str(p.relative_to(tmp_path / "out")) for p in third.written)
    assert rels and all(r.startswith(f"{UNIT_A}/{CALL}/申报材料-") for r in rels), rels
    assert not any(name.startswith(("申报书", "实施方案")) for name in calls)  # documents left as they were


def test_failing_attachment_fails_that_submission_only(project, tmp_path):
    att = project / f"data/units/{UNIT_B}/attachments"
    broken = next(p for p in sorted(att.iterdir()) if p.suffix == ".pdf")
    broken.write_bytes(b"%PDF-1.4 broken")
    result = build(project, tmp_path / "out", [], jobs=2)
    assert result.failed and all(r.startswith(f"{UNIT_B}/{CALL}/申报材料-") for r in result.failed)
    written = {str(p.relative_to(tmp_path / "out")) for p in result.written}
    assert any(r.startswith(f"{UNIT_A}/{CALL}/申报材料-") for r in written)
    assert any(r.startswith(f"{UNIT_B}/{CALL}/申报书-") for r in written)  # its documents are fine
    error = result.error()
    assert error is not None and broken.name in " ".join(d.format() for d in error.diagnostics)
    again = build(project, tmp_path / "out", [], jobs=2)  # the failed one is tried again, nothing else
    assert {str(p.relative_to(tmp_path / "out")) for p in again.written} == set()
    assert sorted(again.failed) == sorted(result.failed)


def test_converter_failure_for_one_document(project, tmp_path):
    calls: list[str] = []
    good = fake_converter(calls)

    def flaky(paths):
        if any(p.name.startswith("实施方案-项目1") for p in paths):
            from docgen.errors import Diagnostic, Location
            raise ToolError(Diagnostic("L503", "LibreOffice 未能把该文件转换为 PDF", Location(paths[0].name)))
        return good(paths)

    loaded = pipeline.load(project, project / "data", call=CALL)
    with pytest.raises(ToolError) as info:
        pipeline.build(loaded, tmp_path / "out", converter=flaky)
    assert info.value.exit_code == 3 and "实施方案-项目1" in info.value.diagnostics[0].format()
    built = files_under(tmp_path / "out")
    assert any(r.endswith(".pdf") and "申报书-项目1" in r for r in built)
    assert not any(r.endswith(".pdf") and "实施方案-项目1" in r for r in built)
