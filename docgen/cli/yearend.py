"""`docgen report …`: year-end paperwork (绩效自评报告, 工作案例, 成长案例) written in Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.apply import pipeline
from docgen.cli.base import Options, QuickRun, jobs_option, run_guarded
from docgen.errors import Collector, ExitCode, display_path
from docgen.yearend import pipeline as yearend


def _filters(f):
    f = click.option("--unit", "unit", default=None, help="只处理这个单位（data/units/ 下的文件夹名）。")(f)
    f = click.option("--call", "call", default=None,
                     help="只处理这个总结通知（data/calls/ 下含 reports.yaml 的文件夹名）。")(f)
    return f


def check_section(opts: Options, unit: str | None = None, call: str | None = None, project=None) -> bool:
    """Print the year-end checks after `docgen check`'s report; return True when one failed.

    *project* is the data `docgen check` already loaded without a call filter (not loaded twice).
    """
    if project is None:  # data errors were reported by `check` itself; the year-end checks use what loaded
        project = pipeline.load(opts.root, opts.data, unit, None, partial=True)
    ye = yearend.load(project, call)
    findings = yearend.check(ye)
    if findings:
        click.echo("")
        click.echo(yearend.format_findings(findings, color=sys.stdout.isatty()))
    return any(not f.passed for f in findings)


def register(main: click.Group) -> None:
    @main.group()
    def report() -> None:
        """年终总结材料：绩效自评报告、典型工作案例、教师成长案例（Markdown 撰写）。"""

    @report.command("check")
    @_filters
    @click.pass_obj
    @run_guarded
    def report_check(opts: Options, unit: str | None, call: str | None) -> None:
        """检查必备部分、字数、作者信息和推荐数量，打印中文报告。"""
        project = pipeline.load(opts.root, opts.data, unit, None)
        ye = yearend.load(project, call)
        findings = yearend.check(ye)
        if not findings:
            click.echo("没有总结材料：data/units/*/reports/*/report.yaml 不存在。")
            return
        click.echo(yearend.format_findings(findings, color=sys.stdout.isatty()))
        if any(not f.passed for f in findings):
            sys.exit(int(ExitCode.RULE_FAILED))

    @report.command("build")
    @_filters
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 <根目录>/build。")
    @click.option("--no-pdf", is_flag=True, help="只生成 Word/Excel 文件，不转 PDF。")
    @click.option("--draft", is_flag=True, help="检查未通过时仍生成文件，标注“草稿”（退出状态仍为 1）。")
    @jobs_option
    @click.option("--clean", is_flag=True, help="不管上次的结果，全部重新生成。")
    @click.pass_obj
    @run_guarded
    def report_build(opts: Options, unit: str | None, call: str | None, out: Path | None, no_pdf: bool,
                     draft: bool, jobs: int, clean: bool) -> None:
        """把总结材料生成为公文格式的 Word（及 PDF）和报送清单 Excel。

        只重新生成输入有变化或已被删除的文件；--clean 全部重新生成。
        """
        from docgen.cli.progress import BuildProgress, print_outcome

        out = out if out is not None else opts.root / "build"
        quick = QuickRun(opts, out, "report build", unit, call, no_pdf, draft)
        if not clean and quick.skip():
            return
        project = pipeline.load(opts.root, opts.data, unit, None)
        ye = yearend.load(project, call)
        result = yearend.build(project, ye, out, pdf=not no_pdf, draft=draft, jobs=jobs, clean=clean,
                               progress=BuildProgress, raise_failures=False)
        failing = [f for f in result.findings if not f.passed]
        if failing:
            click.echo(yearend.format_findings(failing, color=sys.stdout.isatty()), err=True)
        for path in result.written:
            click.echo(f"已生成 {display_path(path)}")
        if result.refused:
            click.echo(f"以下总结材料检查未通过，未生成文件：{'、'.join(result.refused)}。"
                       "修改后重新运行；如需先看效果，加 --draft。", err=True)
        if result.drafts:
            click.echo(f"以下总结材料检查未通过，已生成标注“草稿”的文件，不得报送：{'、'.join(result.drafts)}。",
                       err=True)
        print_outcome(result, refused=len(result.refused), clean=clean)
        error = result.error()
        if error is not None:
            click.echo(f"以下文件生成失败：{'、'.join(result.failed)}。其余文件已生成。", err=True)
            raise error
        if failing:
            sys.exit(int(ExitCode.RULE_FAILED))
        quick.remember(result)

    @report.command("words")
    @click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    @run_guarded
    def report_words(opts: Options, files: tuple[Path, ...]) -> None:
        """统计 Markdown 文件的字数（与 Word/WPS“字数统计”一致；不计 --- 信息块和 Markdown 符号）。"""
        from docgen.errors import Diagnostic, InputError, Location
        from docgen.yearend.load import read_markdown
        collector = Collector()
        for path in files:
            if not path.is_file():
                collector.add(Diagnostic("D130", "文件不存在", Location(display_path(path))))
                continue
            doc = read_markdown(path, collector)
            if doc is not None:
                title = str(doc.meta.get("title", "")) if isinstance(doc.meta, dict) else ""
                click.echo(f"{doc.words(title):>6} 字  {display_path(path)}")
        if collector.errors:
            raise InputError(collector.diagnostics)
