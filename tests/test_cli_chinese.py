"""click's own texts are Chinese; --unit and --call complete from the data folder."""

from __future__ import annotations

from click.testing import CliRunner

from docgen.cli import main
from tests.conftest import CALL, UNIT_A, run


def test_usage_errors_and_suggestions_are_chinese(project):
    result = run(project, "buidl")
    assert result.exit_code == 2
    assert "用法：" in result.output and "错误：没有命令 'buidl'。 是不是 'build'？" in result.output
    assert "Usage" not in result.output and "Error" not in result.output
    result = run(project, "data", "undo")
    assert result.exit_code == 2 and "错误：缺少选项 '--unit'" in result.output
    result = run(project, "--help")
    assert "选项" in result.output and "命令" in result.output and "显示本帮助并退出。" in result.output
    assert "Show this message" not in result.output


def complete(project, words: str) -> list[str]:
    env = {"_DOCGEN_COMPLETE": "bash_complete", "COMP_WORDS": f"docgen --root {project} {words}",
           "COMP_CWORD": str(len(words.split()) + 2)}  # the last (partial) word
    result = CliRunner().invoke(main, [], prog_name="docgen", env=env)
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_unit_and_call_names_complete(project):
    assert complete(project, "data undo --unit he") == [UNIT_A]
    assert complete(project, "build --call luoyang-2026") == [CALL]
