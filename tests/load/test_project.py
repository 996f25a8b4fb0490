"""Bad input: every problem, with file, line and field, in one run."""

from pathlib import Path

import pytest

from docgen.apply.load import load_project
from docgen.errors import InputError
from tests.conftest import CALL, UNIT_A, edit


def problems(root: Path):
    with pytest.raises(InputError) as exc:
        load_project(root, root / "data")
    return exc.value.diagnostics


def line_of(path: Path, text: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(text)


def test_sample_data_loads(project):
    p = load_project(project, project / "data")
    assert sorted(p.units) == ["heluo-normal", "yichuan-jyj", "zhongyuan-zhiyu"]
    assert [len(p.units[u].applications_for(CALL)) for u in ("heluo-normal", "zhongyuan-zhiyu")] == [1, 1]
    assert len(p.units[UNIT_A].model.experts) >= 12


def test_every_problem_reported_with_file_line_field(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    app = project / "data/units" / UNIT_A / "applications/luoyang-2026-1.yaml"
    edit(unit, "credit_code: 124103004159637221", "credit_code: 124103004159637222")
    edit(unit, "    trainees: 150\n", "    trainees: 很多\n")
    edit(unit, "  mobile: \"13703791826\"\n", "")
    edit(app, "sub_project: 1", "sub_project: 3")
    ds = problems(project)
    by_code = {d.code: d for d in ds}
    assert {"D102", "D103", "D202"} <= set(by_code)
    credit = next(d for d in ds if d.field and d.field.startswith("credit_code"))
    assert credit.location.file.endswith(f"{UNIT_A}/unit.yaml")
    assert credit.location.line == line_of(unit, "credit_code:")
    assert "校验位不符" in credit.message and "统一社会信用代码" in credit.field
    wrong_type = by_code["D103"]
    assert wrong_type.field == "experience[1].trainees（人数）"  # [0] is the 2022 project
    assert wrong_type.location.line == line_of(unit, "trainees: 很多")
    assert "应为整数" in wrong_type.message and "很多" in wrong_type.message
    missing = by_code["D102"]
    assert missing.field == "leader.mobile（手机）"
    assert missing.location.line == line_of(unit, "leader:")
    unknown = by_code["D202"]
    assert unknown.location.file.endswith("luoyang-2026-1.yaml")
    assert unknown.location.line == line_of(app, "sub_project: 3")
    assert "没有子项目 3" in unknown.message and "1、2" in unknown.hint


def test_missing_attachment_file(project):
    (project / "data/units" / UNIT_A / "attachments/法定代表人证明.pdf").unlink()
    (d,) = problems(project)
    assert d.code == "F201" and "法定代表人证明.pdf" in d.message
    # (the 2026 证明 is the fifth entry: the 2025 letters come first in the sample unit.yaml)
    assert d.field.startswith("attachments[4].file")


def test_empty_attachment_file(project):
    (project / "data/units" / UNIT_A / "attachments/法定代表人证明.pdf").write_bytes(b"")
    (d,) = problems(project)
    assert d.code == "F202" and "0 字节" in d.message


def test_unknown_field_is_reported(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    edit(unit, "short_name:", "shortname:")
    (d,) = problems(project)
    assert d.code == "D105" and d.field == "shortname"


def test_malformed_yaml_does_not_hide_other_files(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    other = project / "data/units/zhongyuan-zhiyu/unit.yaml"
    edit(unit, "name: 河洛师范学院", "name: [河洛师范学院")
    text = other.read_text(encoding="utf-8")
    other.write_text(text.replace("postcode:", "postcode: 12\n  x:", 1), encoding="utf-8")
    ds = problems(project)
    files = {d.location.file.split("/")[-2] for d in ds}
    assert files == {UNIT_A, "zhongyuan-zhiyu"}
    assert any(d.code == "D101" for d in ds)


def test_broken_call_is_reported_once_not_at_every_application(project):
    call = project / "data/calls/luoyang-2026-waichu-gengang/call.yaml"
    edit(call, "    trainees: 220\n", "    trainees: 二百二十\n")
    (d,) = problems(project)
    assert d.code == "D103" and d.location.file.endswith("luoyang-2026-waichu-gengang/call.yaml")
    assert d.location.line == line_of(call, "trainees: 二百二十")
