"""Reports as files: the check report (xlsx + html), build/index.html, drafts removed once the final is built."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.conftest import CALL, UNIT_A, edit, run

APP_A = f"data/units/{UNIT_A}/applications/luoyang-2026-1.yaml"


def test_draft_then_final_removes_the_draft_and_index_lists_status(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 1")
    result = run(project, "build", "--no-pdf", "--draft", "--unit", UNIT_A, "--call", CALL)
    assert result.exit_code == 1
    out = project / "build" / UNIT_A / CALL
    draft = out / "申报书-项目1-高中新高考培训项目-草稿.docx"
    assert draft.is_file()
    index = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert "申报书-项目1-高中新高考培训项目-草稿.docx</a>" in index and "草稿（不得报送）" in index
    report = load_workbook(project / "build" / "检查报告.xlsx")["检查报告"]
    failed = [r for r in report.iter_rows(min_row=2, values_only=True) if r[4] == "未通过"]
    assert failed and failed[0][0] == f"河洛师范学院（{UNIT_A}）" and "成长典型案例" in failed[0][3] and failed[0][6]
    assert result.output.strip().splitlines()[-1].startswith("文件一览：")

    edit(project / APP_A, "growth_cases: 1", "growth_cases: 24")
    result = run(project, "build", "--no-pdf", "--unit", UNIT_A, "--call", CALL)
    assert result.exit_code == 0, result.output
    assert not draft.exists() and (out / "申报书-项目1-高中新高考培训项目.docx").is_file()
    assert "已删除草稿" in result.output
    index = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert "草稿" not in index and "河洛师范学院（heluo-normal）" in index
    assert "<td>已生成</td>" in index and "<script" not in index


def test_refused_unit_is_listed_and_check_report_written_on_bad_data(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 1")
    result = run(project, "build", "--no-pdf", "--call", CALL)
    assert result.exit_code == 1
    index = (project / "build" / "index.html").read_text(encoding="utf-8")
    assert "未生成：规则未通过" in index and f"（{UNIT_A}）" in index
    edit(project / f"data/units/{UNIT_A}/unit.yaml", "postcode: 471934", "postcode: 4719")
    result = run(project, "check")
    assert result.exit_code == 2
    page = (project / "build" / "检查报告.html").read_text(encoding="utf-8")
    assert "D103" in page and "4719" in page
    assert result.output.strip().splitlines()[-1].startswith("报告已写入 ")
