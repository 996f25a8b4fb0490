"""The commands as a user runs them: exit statuses, Chinese messages, nothing half-written."""

import re
from pathlib import Path

from tests.conftest import CALL, ROOT, UNIT_A, edit, files_under, run

APP_A = Path("data/units") / UNIT_A / "applications/luoyang-2026-1.yaml"


def test_check_passes_on_sample(project):
    result = run(project, "check", "--call", CALL)
    assert result.exit_code == 0, result.output
    assert "共检查 24 项：通过 24 项，未通过 0 项。" in result.output
    everything = run(project, "check")
    assert everything.exit_code == 0, everything.output
    assert "影子导师与学员之比不低于 1:5" in result.output


def test_check_rule_failure_exits_1_with_advice(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 10")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "未通过 R4 教师成长典型案例不低于参训教师的 1/10" in result.output
    assert "修改：成长案例还差 12 个" in result.output
    assert re.search(r"位置：.*luoyang-2026-1\.yaml:\d+:\d+", result.output)


def test_bad_input_exits_2_without_traceback(project):
    unit = project / "data/units" / UNIT_A / "unit.yaml"
    edit(unit, "postcode: 471934", "postcode: 4719")
    edit(project / APP_A, "sub_project: 1", "sub_project: 9")
    result = run(project, "check")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert re.search(r"unit\.yaml:\d+:\d+: 错误\[D103\] postcode（邮编）: 邮编“4719”不正确", result.stderr)
    assert re.search(r"luoyang-2026-1\.yaml:\d+:\d+: 错误\[D202\] sub_project（子项目序号）", result.stderr)
    assert "共 2 个错误。" in result.stderr


def test_build_with_bad_input_leaves_previous_output(project):
    assert run(project, "build", "--no-pdf", "--call", CALL).exit_code == 0
    before = {p: (project / "build" / p).read_bytes() for p in files_under(project / "build")}
    assert len(before) == 6 + 5  # 申报书, 实施方案, 汇总表 of two units + the call's 附件1 (docx, xlsx), 附件2, 附件4, 附件5
    edit(project / "data/units" / UNIT_A / "unit.yaml", "name: 河洛师范学院", "name: [河洛")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 2 and "YAML 格式错误" in result.stderr
    after = {p: (project / "build" / p).read_bytes() for p in files_under(project / "build")}
    assert after == before


def test_build_refuses_failing_unit_and_builds_the_others(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 1")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 1
    built = files_under(project / "build")
    assert built and all(p.startswith(("zhongyuan-zhiyu/", "yichuan-jyj/", "calls/")) for p in built)
    assert any(p.startswith("zhongyuan-zhiyu/") for p in built)
    assert "未生成文件：heluo-normal" in result.stderr


def test_broken_template_names_the_template(project):
    tpl = project / "templates/docx/luoyang-2026-waichu-gengang/申报书.docx"
    tpl.write_bytes(b"not a zip")
    result = run(project, "build", "--no-pdf")
    assert result.exit_code == 2
    assert "申报书.docx: 错误[T400] 模板不是 Word 文档（.docx），按文件内容判断" in result.stderr
    assert result.stderr.count("错误[T400]") == 1  # reported once, not once per applicant
    built = files_under(project / "build")
    # The other documents are built; the 申报书 is not, and the message names the failed outputs.
    assert not any(f"{CALL}/申报书-" in rel for rel in built)
    assert any(f"{CALL}/实施方案-" in rel for rel in built)
    assert f"{UNIT_A}/{CALL}/申报书-项目1-" in result.stderr.split("以下文件生成失败")[1]


def test_second_unit_is_only_a_folder(project):
    import shutil
    src = project / "data/units/zhongyuan-zhiyu"
    shutil.copytree(src, project / "data/units/third-unit")
    edit(project / "data/units/third-unit/unit.yaml", "name: ", "name: 第三")
    # Another 法人单位 (a copy with the same 统一社会信用代码 would be one legal entity applying twice: rule R9).
    edit(project / "data/units/third-unit/unit.yaml", "91410100MA47K3RBXH", "91410100MA47K3RBYL")
    result = run(project, "build", "--no-pdf")
    # The copy applies to the same sub-project as zhongyuan-zhiyu: that is allowed across units.
    assert result.exit_code == 0, result.output
    assert any(p.startswith("third-unit/") for p in files_under(project / "build"))


def test_unknown_unit_filter(project):
    result = run(project, "check", "--unit", "nobody")
    assert result.exit_code == 2 and "找不到单位“nobody”" in result.stderr


def test_readme_shows_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    from docgen.cli import main
    for name, command in main.commands.items():
        assert f"docgen {name}" in readme, name
        for sub in getattr(command, "commands", {}):
            assert f"docgen {name} {sub}" in readme, f"{name} {sub}"
    assert "make demo" in readme and "make test" in readme
