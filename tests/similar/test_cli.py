"""`docgen check` warns about copied passages; `docgen similar DIR` lists and shows pairs of 申报书 that share them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from tests.conftest import CALL, ROOT, UNIT_A, UNIT_B, edit, run

APP_A = f"data/units/{UNIT_A}/applications/luoyang-2026-1.yaml"
APP_B = f"data/units/{UNIT_B}/applications/luoyang-2026-2.yaml"
# 申报指南 (附件2), 一（一）培训目标: the notice's own words
GUIDE_GOAL = ("通过跟岗实践，充分认识并理解新高考改革目标的新思路、新特点及高中课堂面临的新挑战，"
              "全面提升高中学校适应新高考改革后的教育管理和课堂教学实践能力。")
# heluo-normal's 需求分析, second paragraph (samples)
HELUO_NEEDS = ("访谈发现，校级领导在选课走班条件下的排课、分层教学管理和教师队伍调配方面缺乏可借鉴的成熟经验；"
               "学科教研员希望了解发达地区区域教研与校本教研联动的机制。")
# M113 warnings `docgen check` gives on the committed sample growth cases (tools/make_sample_growth_cases.py
# built them from shared paragraphs); change this one number when the sample cases change.


def warnings(output: str, code: str) -> list[str]:
    return [line for line in output.splitlines() if f"警告[{code}]" in line]


def test_the_sample_applications_have_no_finding(project):
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    for code in ("M110", "M111", "M112"):
        assert warnings(result.output, code) == []


def test_the_sample_growth_cases_are_original(project):
    result = run(project, "check")
    assert result.exit_code == 0 and warnings(result.output, "M113") == []


def test_a_paragraph_copied_between_growth_cases_is_warned_in_both(project):
    cases = project / f"data/units/{UNIT_A}/reports/2023-国培/cases"
    source = (cases / "成长案例-01-李晓雯.md").read_text(encoding="utf-8")
    paragraph = next(p for p in source.split("\n\n") if p.startswith("那五天里，我听了范老师六节课"))
    edit(cases / "成长案例-05-陈雅琴.md", "## 六、我还在学着听", f"{paragraph}\n\n## 六、我还在学着听")
    result = run(project, "check")
    found = warnings(result.output, "M113")
    assert result.exit_code == 0 and len(found) == 2, result.output
    assert {line.split(":")[0].rsplit("/", 1)[1] for line in found} == {"成长案例-01-李晓雯.md", "成长案例-05-陈雅琴.md"}
    assert all("教师成长案例相同" in line for line in found)


def test_a_goal_copying_the_guide_is_warned_with_both_places(project):
    edit(project / APP_A, "    具体目标包括：", f"    {GUIDE_GOAL}\n\n    具体目标包括：")
    result = run(project, "check")
    assert result.exit_code == 0, result.output  # a warning: the rules decide the exit status
    [line] = warnings(result.output, "M110")
    assert f"{APP_A}:26: 警告[M110] “目标定位”有 " in line
    assert "字与本通知的申报指南相同" in line and "“通过跟岗实践，充分认识并理解新高考改革目标的新思路" in line
    hint = result.output.splitlines()[result.output.splitlines().index(line) + 1]
    assert f"data/calls/{CALL}/申报指南.md:" in hint and "不是结论" in hint


def test_another_units_paragraph_with_other_punctuation_is_warned_at_both_units(project):
    copied = HELUO_NEEDS.replace("，", ",").replace("；", ";").replace("。", ".")
    edit(project / APP_B, "    据此，项目在跟岗学校选择上", f"    {copied}\n\n    据此，项目在跟岗学校选择上")
    result = run(project, "check")
    found = warnings(result.output, "M112")
    assert len(found) == 2, result.output
    mine = next(line for line in found if APP_B in line.split(": ")[0])
    theirs = next(line for line in found if APP_A in line.split(": ")[0])
    assert "“需求分析”有 " in mine and "与“河洛师范学院”的申报" in mine
    assert "“访谈发现,校级领导在选课走班条件下的排课" in mine   # quoted as this unit wrote it
    assert "“访谈发现，校级领导在选课走班条件下的排课" in theirs
    # checking one unit still compares it with the others in the data folder
    only_b = run(project, "check", "--unit", UNIT_B)
    assert [APP_B in line.split(": ")[0] for line in warnings(only_b.output, "M112")] == [True]


def test_the_threshold_is_data_of_the_call(project):
    edit(project / APP_A, "    具体目标包括：", f"    {GUIDE_GOAL}\n\n    具体目标包括：")
    edit(project / f"data/calls/{CALL}/call.yaml", "  min_passage: 40 ", "  min_passage: 90 ")
    assert warnings(run(project, "check").output, "M110") == []


def test_a_missing_guide_file_is_a_warning_naming_call_yaml(project):
    (project / f"data/calls/{CALL}/申报指南.md").unlink()
    result = run(project, "check")
    [line] = warnings(result.output, "M102")
    assert f"data/calls/{CALL}/call.yaml:" in line.split(": ")[0] and "申报指南.md" in line


# -- the bureau side -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def received(tmp_path_factory) -> Path:
    """Return a project whose build/ holds the sample 申报书 (docx) and a folder `returns/` of copies."""
    project = tmp_path_factory.mktemp("similar")
    shutil.copytree(ROOT / "samples", project / "data")
    shutil.copytree(ROOT / "templates", project / "templates")
    assert run(project, "build", "--no-pdf").exit_code == 0
    returns = project / "returns"
    returns.mkdir()
    for path in sorted((project / "build").glob("*/*/申报书*.docx")):
        shutil.copy(path, returns / f"{path.parent.parent.name}-{path.name}")
    return project


def lift(src: Path, dst: Path, pairs: list[tuple[str, str]]) -> None:
    """Replace the paragraph of *src* starting with each first text by the second (as a unit would paste)."""
    doc = Document(src)
    for start, new in pairs:
        para = next(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
                    if p.text.startswith(start))
        for run_ in para.runs[1:]:
            run_._r.getparent().remove(run_._r)
        para.runs[0].text = new
    doc.save(dst)


def heluo_paragraph(project: Path, start: str) -> str:
    doc = Document(project / "returns" / f"{UNIT_A}-申报书-项目1-高中新高考培训项目.docx")
    return next(p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
                if p.text.startswith(start))


def test_the_sample_applications_share_nothing(received, tmp_path):
    result = run(received, "similar", str(received / "returns"), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "比对了 6 份申报书，0 对有相同片段。" in result.output
    ws = openpyxl.load_workbook(tmp_path / "相同片段清单.xlsx")["相同片段"]
    assert ws.max_row == 2 and ws["A2"].value == "序号"
    assert "没有发现相同片段" in (tmp_path / "相同片段对照.html").read_text(encoding="utf-8")


def test_a_unit_that_lifted_two_paragraphs_comes_first_with_the_passages_marked(received, tmp_path):
    folder = tmp_path / "returns"
    shutil.copytree(received / "returns", folder)
    needs = heluo_paragraph(received, "访谈发现")
    innovation = heluo_paragraph(received, "一是“问题清单")
    target = folder / f"{UNIT_B}-申报书-项目2-义务教育新课程培训项目.docx"
    lift(target, target, [("据此，项目在跟岗学校选择上", needs), ("一是", innovation)])
    result = run(received, "similar", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "1 对有相同片段" in result.output
    assert re.search(rf"1\. {UNIT_A}-申报书-项目1-高中新高考培训项目.docx ↔ {UNIT_B}-申报书-项目2-义务教育新课程培训项目.docx"
                     r"：相同文字占 \d+%，2 段，最长 \d+ 字（需求分析、特色与创新）", result.output), result.output
    ws = openpyxl.load_workbook(tmp_path / "out/相同片段清单.xlsx")["相同片段"]
    row = [c.value for c in ws[3]]
    assert row[0] == 1 and row[1].startswith(UNIT_A) and row[2].startswith(UNIT_B) and row[5] == 2
    # passages run from the first to the last shared character: the closing 。 is punctuation, not text
    assert row[7] in (" ".join(needs.split())[:-1], " ".join(innovation.split())[:-1])
    assert row[8] == "需求分析、特色与创新"
    page = (tmp_path / "out/相同片段对照.html").read_text(encoding="utf-8")
    marks = re.findall(r"<mark[^>]*><sup>\d+</sup>(.*?)</mark>", page, re.S)
    assert any(needs[:-1] in m for m in marks) and any(innovation[:-1] in m for m in marks)
    assert page.count('class="side"') == 4  # two sections, each side by side


def test_last_years_folder_is_compared_too(received, tmp_path):
    last, this = tmp_path / "2025", tmp_path / "2026"
    last.mkdir()
    this.mkdir()
    heluo = next((received / "returns").glob(f"{UNIT_A}-申报书-项目1-高中新高考*.docx"))
    shutil.copy(heluo, last / "河洛-2025.docx")
    needs = heluo_paragraph(received, "访谈发现")
    zhongyuan = received / "returns" / f"{UNIT_B}-申报书-项目2-义务教育新课程培训项目.docx"
    lift(zhongyuan, this / "中原-2026.docx", [("据此，项目在跟岗学校选择上", needs)])
    shutil.copy(next((received / "returns").glob("yichuan-jyj-*.docx")), this / "伊川-2026.docx")
    result = run(received, "similar", str(this), "--previous", str(last), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "比对了 2 份申报书（另与上一年的 1 份比对），1 对有相同片段。" in result.output
    assert "1. 中原-2026.docx ↔ 上一年/河洛-2025.docx" in result.output


@pytest.mark.lo
def test_a_pdf_is_read_by_its_text(received, tmp_path):
    from tests.bureau.returns import soffice_convert
    needs = heluo_paragraph(received, "访谈发现")
    folder = tmp_path / "in"
    folder.mkdir()
    zhongyuan = received / "returns" / f"{UNIT_B}-申报书-项目2-义务教育新课程培训项目.docx"
    lift(zhongyuan, tmp_path / "中原.docx", [("据此，项目在跟岗学校选择上", needs)])
    soffice_convert(tmp_path / "中原.docx", folder, fmt="pdf")
    shutil.copy(next((received / "returns").glob(f"{UNIT_A}-申报书-项目1-高中新高考*.docx")), folder / "河洛.docx")
    result = run(received, "similar", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "1. 中原.pdf ↔ 河洛.docx" in result.output or "1. 河洛.docx ↔ 中原.pdf" in result.output


def test_unreadable_files_are_named_and_skipped(received, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(received / "returns", folder)
    (folder / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    (folder / "坏的.docx").write_bytes(b"PK\x03\x04broken")
    result = run(received, "similar", str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert "旧版.doc: 警告[M100]" in result.output and "坏的.docx: 警告[M100]" in result.output, result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(received, "similar", str(empty))
    assert result.exit_code == 2 and "错误[M104]" in result.output
    assert run(received, "similar", str(tmp_path / "nowhere")).exit_code == 2
