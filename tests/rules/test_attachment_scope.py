"""佐证 scoped to the call: a 授权书 for one project, letters dated before the filing date, nothing written
for another call; past projects are those ended by the filing date."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from docgen.apply.load import load_project
from docgen.apply.rules import evaluate_project
from docgen.apply.submission import ordered_attachments
from tests.conftest import UNIT_A, run

Y2025 = "luoyang-2025-wangluo-yanxiu"
Y2026 = "luoyang-2026-waichu-gengang"
UNIT_YAML = Path("data/units") / UNIT_A / "unit.yaml"


def unscope_2026_letters(root: Path) -> None:
    """Undo the sample's scoping: the 2026 letters and the 2025 证明 serve every call (the issue's data)."""
    path = root / UNIT_YAML
    text = path.read_text(encoding="utf-8")
    text = text.replace("    application: luoyang-2026-1\n", "").replace("    call: luoyang-2026-waichu-gengang\n", "")
    text = text.replace("    call: luoyang-2026-waichu-gengang   # 2025 年 12 月出具，2025 年 3 月的申报还没有它\n", "")
    text = text.replace("    date: 2026-05-12\n", "")  # the date now comes from the letter's own text
    # drop the 2025 letters so that the 2026 ones are the only ones
    blocks = text.split("  - title: ")
    kept = [b for b in blocks if "attachments/2025/" not in b]
    path.write_text("  - title: ".join(kept), encoding="utf-8")


def test_each_bundle_binds_its_own_letters(project):
    loaded = load_project(project, project / "data", unit_filter=UNIT_A)
    unit = loaded.units[UNIT_A]
    by_app = {a.id: a for a in unit.applications}
    files_2025 = [att.file for _, att in ordered_attachments(unit, loaded.calls[Y2025], by_app["luoyang-2025-1"])]
    assert "attachments/2025/法定代表人授权书.jpg" in files_2025
    assert "attachments/法定代表人授权书.pdf" not in files_2025
    assert "attachments/2025年市培计划项目绩效考评证明.pdf" not in files_2025  # issued 2025-12-20
    files_2026 = [att.file for _, att in ordered_attachments(unit, loaded.calls[Y2026], by_app["luoyang-2026-1"])]
    assert "attachments/法定代表人授权书.pdf" in files_2026 and not any("/2025/" in f for f in files_2026)
    r1 = [r for r in evaluate_project(loaded) if r.call.id == Y2025 and r.rule.id == "R1"]
    assert len(r1) == 1 and r1[0].passed, r1[0].figures


def test_letters_dated_after_filing_or_for_another_call_fail_the_check(project):
    unscope_2026_letters(project)
    result = run(project, "check", "--unit", UNIT_A, "--call", Y2025)
    assert result.exit_code == 1, result.output
    out = result.output
    # dates read from the letters' own text (no date: in unit.yaml): 2026-05-12 after the filing on 2025-03-20
    assert "“法定代表人授权书”的日期 2026-05-12 晚于填表日期 2025-03-20" in out
    assert "“法定代表人证明”的日期 2026-05-12 晚于填表日期 2025-03-20" in out
    assert "“2025年“市培计划”项目绩效考评证明”的日期 2025-12-20 晚于填表日期 2025-03-20" in out
    assert "unit.yaml" in out  # where to change it


def test_letter_written_for_another_call_is_named(project):
    unscope_2026_letters(project)
    result = run(project, "check", "--unit", UNIT_A)  # both calls loaded: the 2026 title is known
    assert result.exit_code == 1
    assert "“法定代表人授权书”写的是另一通知的项目：洛阳市2026年“市培计划”外出跟岗项目" in result.output


def test_past_projects_after_filing_are_reported_and_left_out(project):
    result = run(project, "check", "--unit", UNIT_A, "--call", Y2025)
    assert result.exit_code == 0, result.output
    assert "填表日期 2025-03-20，其后结束的 2 个项目不列入本申报书" in result.output
    assert run(project, "build", "--unit", UNIT_A, "--call", Y2025, "--no-pdf").exit_code == 0
    docx = next((project / "build" / UNIT_A / Y2025).glob("申报书-项目1-*.docx"))
    text = "\n".join(c.text for t in Document(docx).tables for row in t.rows for c in row.cells)
    assert "“国培计划（2024）”——河南省中小学信息技术&学科融合创新骨干教师培训项目" in text
    assert "河南省中小学骨干班主任能力提升项目" not in text and "义务教育新课标落地实践研修项目" not in text


def test_unknown_call_or_application_of_an_attachment_is_named(project):
    path = project / UNIT_YAML
    text = path.read_text(encoding="utf-8")
    text = text.replace("    application: luoyang-2026-1\n", "    application: luoyang-2026-9\n")
    text = text.replace("    call: luoyang-2025-wangluo-yanxiu\n", "    call: luoyang-2024\n", 1)
    path.write_text(text, encoding="utf-8")
    result = run(project, "check", "--unit", UNIT_A)
    assert result.exit_code == 2
    err = result.stderr
    assert "错误[D500]" in err and "所属的通知“luoyang-2024”不存在" in err
    assert "错误[D501]" in err and "所属的申报“luoyang-2026-9”不存在" in err
    assert "unit.yaml:" in err
