"""docgen pdf: one merged, numbered, bookmarked and sealed submission PDF per application."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.apply import pipeline
from docgen.apply.checkreport import format_report
from docgen.cli.base import Options, filters, run_guarded
from docgen.errors import ExitCode, display_path


def register(main: click.Group) -> None:
    @main.command("pdf")
    @filters
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 <根目录>/build。")
    @click.option("--draft", is_flag=True, help="规则未通过时仍生成，文件名带“-草稿”（退出状态仍为 1）。")
    @click.pass_obj
    @run_guarded
    def pdf(opts: Options, unit: str | None, call: str | None, out: Path | None, draft: bool) -> None:
        """只生成盖章的申报材料 PDF：每份申报一个，含目录、书签、页码、公章和骑缝章。

        申报书、实施方案经 LibreOffice 转换后，按通知 call.yaml 的 submission.parts 和
        attachments 顺序装订佐证资料。docgen build 也会生成它（加 --no-pdf 则不生成）。
        """
        out = out if out is not None else opts.root / "build"
        project = pipeline.load(opts.root, opts.data, unit, call)
        from docgen.cli.progress import BuildProgress

        result = pipeline.build(project, out, pdf=True, draft=draft, only_pdf=True, progress=BuildProgress,
                                raise_failures=False)
        failing = [r for r in result.results if not r.passed]
        if failing:
            click.echo(format_report(failing, color=sys.stdout.isatty()), err=True)
        for path in result.written:
            click.echo(f"已生成 {display_path(path)}")
        if result.refused_units:
            click.echo(f"以下单位规则未通过，未生成申报材料：{'、'.join(result.refused_units)}。"
                       "修改数据后重新运行；如需先看效果，加 --draft。", err=True)
        from docgen.cli.progress import print_outcome

        print_outcome(result, refused=len(result.refused_units))
        error = result.error()
        if error is not None:
            raise error
        if failing:
            sys.exit(int(ExitCode.RULE_FAILED))
