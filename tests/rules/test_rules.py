"""The call's rules at their edges, evaluated on edited copies of the sample data."""

import re
from pathlib import Path

from docgen.apply.load import load_project
from docgen.apply.rules import evaluate_project
from tests.conftest import UNIT_A, UNIT_B, edit

APP_A = Path("data/units") / UNIT_A / "applications/luoyang-2026-1.yaml"


def results(root: Path, unit: str = UNIT_A):
    project = load_project(root, root / "data", unit_filter=unit)
    return {r.rule.id: r for r in evaluate_project(project)}


def drop_mentors(root: Path, n: int) -> None:
    """Remove the last *n* mentors of unit A's application."""
    path = root / APP_A
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    top = lines.index("mentors:\n")
    end = next((i for i in range(top + 1, len(lines)) if lines[i][:1].strip() and not lines[i].startswith("#")),
               len(lines))
    starts = [i for i in range(top + 1, end) if lines[i].startswith("  - ")]
    assert len(starts) > n
    cut = starts[-n]
    path.write_text("".join(lines[:cut] + lines[end:]), encoding="utf-8")


def set_expert_flags(root: Path, unit_rel: Path, field: str, values: list[str]) -> None:
    """Rewrite the *field* of each expert in order (own / title_level)."""
    path = root / unit_rel
    text = path.read_text(encoding="utf-8")
    head, experts = text.split("\nexperts:\n", 1)
    body, sep, tail = experts.partition("\n\n")
    lines = body.splitlines()
    count = sum(1 for line in lines if line.startswith("  - name:"))
    assert count == len(values), (count, len(values))
    i = -1
    out = []
    for line in lines:
        if line.startswith("  - name:"):
            i += 1
            out.append(line)
            out.append(f"    {field}: {values[i]}")
            continue
        if line.strip().startswith(f"{field}:"):
            continue
        out.append(line)
    path.write_text(head + "\nexperts:\n" + "\n".join(out) + sep + tail, encoding="utf-8")


def test_sample_passes_every_rule(project):
    for unit in (UNIT_A, UNIT_B):
        rs = {k: r for k, r in results(project, unit).items() if k != "经历"}  # 经历: a note, not a call's rule
        assert len(rs) == 12
        assert all(r.passed for r in rs.values()), [r.figures for r in rs.values() if not r.passed]


def test_mentor_ratio_exactly_one_to_five_passes_one_fewer_fails(project):
    r = results(project)["R1"]
    assert r.passed and "影子导师 44 名" in r.figures and "学员 220 人" in r.figures
    drop_mentors(project, 1)
    r = results(project)["R1"]
    assert not r.passed
    assert "影子导师 43 名" in r.figures and "至少 44 名" in r.figures
    assert "还差 1 名" in r.advice
    assert r.location.file.endswith("luoyang-2026-1.yaml")


def _expert_count(root: Path) -> int:
    unit = load_project(root, root / "data", unit_filter=UNIT_A).units[UNIT_A]
    return len(unit.model.experts)


def test_own_experts_thirty_percent_edge(project):
    n = _expert_count(project)
    rel = Path("data/units") / UNIT_A / "unit.yaml"
    needed = -(-3 * n // 10)  # ceil(30 % of n)
    set_expert_flags(project, rel, "own", ["是"] * needed + ["否"] * (n - needed))
    assert results(project)["R2"].passed
    set_expert_flags(project, rel, "own", ["是"] * (needed - 1) + ["否"] * (n - needed + 1))
    r = results(project)["R2"]
    assert not r.passed and f"本机构专家 {needed - 1} 人" in r.figures and "还差 1 人" in r.advice


def test_senior_experts_fifty_percent_edge(project):
    n = _expert_count(project)
    rel = Path("data/units") / UNIT_A / "unit.yaml"
    needed = -(-n // 2)
    set_expert_flags(project, rel, "title_level", ["副高级"] * needed + ["中级"] * (n - needed))
    assert results(project)["R3"].passed
    set_expert_flags(project, rel, "title_level", ["正高级"] * (needed - 1) + ["初级"] * (n - needed + 1))
    r = results(project)["R3"]
    assert not r.passed and "要求不低于 50%" in r.figures


def test_growth_cases_one_tenth(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 22")
    assert results(project)["R4"].passed
    edit(project / APP_A, "growth_cases: 22", "growth_cases: 21")
    r = results(project)["R4"]
    assert not r.passed and "至少 22 个" in r.figures


def test_one_of_sub_projects_one_and_two(project):
    src = project / APP_A
    second = src.with_name("luoyang-2026-2.yaml")
    second.write_text(src.read_text(encoding="utf-8").replace("sub_project: 1", "sub_project: 2")
                      .replace("rank: 1", "rank: 2"), encoding="utf-8")
    r = results(project)["R5"]
    assert not r.passed
    assert "项目2 不会被确定" in r.advice and r.location.file.endswith("luoyang-2026-2.yaml")


def test_three_consecutive_years(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(re.sub(r"(start|end): 2024-", r"\1: 2022-", text), encoding="utf-8")
    r = results(project)["R6"]
    assert not r.passed and "2024 年 0 个" in r.figures and r.advice.startswith("2024 年没有")


def test_required_attachments(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("serves_as: [营业执照副本, 税务登记证, 组织机构代码证]", "serves_as: [营业执照副本]"),
                    encoding="utf-8")
    r = results(project)["R7"]
    assert not r.passed and "缺少：税务登记证、组织机构代码证" in r.figures


def test_thresholds_come_from_call_data(project):
    call = project / "data/calls/luoyang-2026-waichu-gengang/call.yaml"
    edit(call, 'min: "1:5"', 'min: "1:4"')
    r = results(project)["R1"]
    assert not r.passed and "至少 55 名" in r.figures


def test_every_bad_threshold_is_reported_once(project):
    import pytest

    from docgen.errors import InputError
    call = project / "data/calls/luoyang-2026-waichu-gengang/call.yaml"
    edit(call, 'min: "1:5"', 'min: "1比5"')
    edit(call, "min: 30%", "min: 三成")
    with pytest.raises(InputError) as exc:
        evaluate_project(load_project(project, project / "data"))
    ds = exc.value.diagnostics
    assert [d.code for d in ds] == ["D144", "D144"]  # was D301 before the catalog split it
    assert ["1比5" in ds[0].message, "三成" in ds[1].message] == [True, True]


def test_a_misspelt_param_or_path_is_the_users_mistake_d302(project):
    """A wrong key or a path that leads nowhere is reported at the rule in call.yaml, as D302."""
    import pytest

    from docgen.errors import InputError
    call = project / "data/calls/luoyang-2026-waichu-gengang/call.yaml"
    edit(call, "denominator: sub_project.trainees", "denominator: sub_project.trainess")
    with pytest.raises(InputError) as exc:
        evaluate_project(load_project(project, project / "data"))
    (d,) = exc.value.diagnostics
    assert d.code == "D302" and "路径“sub_project.trainess”中的“trainess”不存在" in d.message
    assert d.location.file.endswith("call.yaml") and d.field == "rules[0].params"
    edit(call, "denominator: sub_project.trainess", "denominator: sub_project.trainees")
    edit(call, "numerator: application.mentors", "numerater: application.mentors")
    with pytest.raises(InputError) as exc:
        evaluate_project(load_project(project, project / "data"))
    (d,) = exc.value.diagnostics
    assert d.code == "D302" and "缺少参数“numerator”" in d.message


def test_a_bug_in_a_rule_kind_is_an_internal_error_not_d302(project, monkeypatch):
    """A programming error inside a kind exits 5 (traceback with --debug), never as 规则参数有误."""
    import pytest

    from docgen.apply import rules
    from tests.conftest import run

    def broken(rule, idx, call, unit, app):
        return {}["no such key"]  # a KeyError from docgen's own code, not from the user's params

    monkeypatch.setitem(rules.PER_APPLICATION, "ratio_min", broken)
    result = run(project, "check")
    assert result.exit_code == 5
    assert "D302" not in result.stderr and "内部错误" in result.stderr
    with pytest.raises(KeyError):
        run(project, "--debug", "check")


def test_a_kind_returns_a_verdict(project):
    from docgen.apply.rules import PER_APPLICATION, PER_APPLICATION_CALL, PER_CALL, PER_UNIT, Verdict
    project_ = load_project(project, project / "data")
    unit = project_.units[UNIT_A]
    seen = set()
    for call in (c for c in project_.calls.values() if unit.applications_for(c.id)):
        app = unit.applications_for(call.id)[0]
        for idx, rule in enumerate(call.model.rules):
            if rule.kind in PER_APPLICATION:
                got = PER_APPLICATION[rule.kind](rule, idx, call, unit, app)
            elif rule.kind in PER_UNIT:
                got = PER_UNIT[rule.kind](rule, idx, call, unit, None)
            elif rule.kind in PER_APPLICATION_CALL:
                got = PER_APPLICATION_CALL[rule.kind](rule, idx, call, unit, app, project_)
            else:
                got = PER_CALL[rule.kind](rule, idx, call, unit, project_)
            assert got is None or isinstance(got, Verdict), rule.kind
            seen.add(rule.kind)
    assert {"ratio_min", "years_covered", "batches", "one_legal_entity", "prior_concluded"} <= seen
