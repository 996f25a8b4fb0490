"""The command line: parse options, call the pipeline, print diagnostics, set the exit status."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from docgen import __version__
from docgen.apply import pipeline
from docgen.apply.checkreport import format_report
from docgen.cli.base import Options, QuickRun, filters, run_guarded
from docgen.cli.chinese import install as _chinese_click
from docgen.cli.reports import build_reports, where
from docgen.errors import ExitCode, display_path

_chinese_click()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="项目根目录（模板路径相对于它），默认当前目录。")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="数据目录，默认 <根目录>/data。")
@click.option("--debug", is_flag=True, help="出现内部错误时显示完整的 Python 调用栈。")
@click.pass_context
def main(ctx: click.Context, root: Path, data: Path | None, debug: bool) -> None:
    """docgen：由数据生成教师培训项目的申报书、汇总表和 PDF。

    退出状态：0 成功；1 规则未通过；2 数据或模板无法读取/不合法（含命令用法错误）；
    3 LibreOffice 缺失或转换失败；4 输出无法写入；5 docgen 内部错误。
    """
    ctx.obj = Options(root, data if data is not None else root / "data", debug)
    import warnings

    # openpyxl's English UserWarnings ("Data Validation extension is not supported and will be removed")
    # are not for the user: what a template would lose is refused in Chinese (render/guard.py, T426),
    # and returned workbooks are only read.
    warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")


@main.command()
@filters
@click.pass_obj
@run_guarded
def check(opts: Options, unit: str | None, call: str | None) -> None:
    """按通知的规则检查每一份申报，打印中文报告，并写入 build/检查报告.xlsx 和 build/检查报告.html。"""
    quick = QuickRun(opts, opts.root / "build", "check", unit, call, sys.stdout.isatty())
    if quick.replay():  # nothing the last check read has changed: the same report
        return
    with quick.recording():
        status = _check(opts, unit, call)
    quick.remember_output(status)
    if status:
        sys.exit(status)


def _check(opts: Options, unit: str | None, call: str | None) -> int:
    from docgen.apply.reports import report_rows, write_report
    from docgen.errors import DocgenError
    from docgen.load.yamlpos import flush_cache, set_cache_dir
    from docgen.outputs.state import STATE_DIR

    out = opts.root / "build"
    set_cache_dir(out / STATE_DIR / "cache")  # the same cache `build` uses
    # Data errors do not hide the rules: what loaded cleanly is still checked, and the errors come first.
    try:
        project = pipeline.load(opts.root, opts.data, unit, call, partial=True)
    except DocgenError as exc:  # nothing could be read: the report lists those problems
        _, page = write_report(out, report_rows([], exc.diagnostics))
        for d in exc.diagnostics:
            click.echo(d.format(), err=True)
        click.echo(f"共 {sum(1 for d in exc.diagnostics if d.severity == 'error')} 个错误。", err=True)
        click.echo(f"报告已写入 {display_path(page)} 和 {display_path(page.with_suffix('.xlsx'))}")
        return int(exc.exit_code)
    if not project.load_errors:
        flush_cache()
    problems = project.load_errors + project.warnings + project.attachment_errors
    for d in problems:
        click.echo(d.format(), err=True)
    results = pipeline.check(project)
    click.echo(format_report(results, color=sys.stdout.isatty()))
    from docgen.apply.hygiene import call_warnings  # a call that does not match its templates (new-call)
    warnings = call_warnings(project) if unit is None or call is not None else []
    for d in sorted(warnings, key=lambda d: d.sort_key()):
        click.echo(d.format(), err=True)
    _, page = write_report(out, report_rows(results, problems + warnings))
    from docgen.cli import yearend  # year-end paperwork (总结材料) is checked too
    yearend_failed = yearend.check_section(opts, unit, call, project if call is None else None)
    plan_failed = False
    if unit is None and call is None:  # the 四川 bureau plans (docgen plan check), where the data holds them
        from docgen.cli import plan
        plan_failed = plan.check_section(opts, optional=True)
    from docgen.cli import similar  # copied passages: warnings, they do not change the exit status
    similar.check_section(opts, project, unit, call)
    where = f"报告已写入 {display_path(page)} 和 {display_path(page.with_suffix('.xlsx'))}"  # the last line
    if project.load_errors or project.attachment_errors:  # bad input, reported after every other finding
        click.echo(f"共 {len(project.load_errors) + len(project.attachment_errors)} 个错误。", err=True)
        if project.load_errors:
            click.echo("其余能读出的数据已照常按规则检查（见上方报告）。", err=True)
        if project.attachment_errors:
            click.echo("模板或佐证材料有错误时，用到它们的文件生成时会失败。", err=True)
        click.echo(where)
        return int(ExitCode.BAD_INPUT)
    click.echo(where)
    if any(not r.passed for r in results) or yearend_failed or plan_failed:
        return int(ExitCode.RULE_FAILED)
    return 0


@main.command()
@filters
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录，默认 <根目录>/build。")
@click.option("--no-pdf", is_flag=True, help="只生成 Word/Excel 文件，不转 PDF。")
@click.option("--draft", is_flag=True,
              help="规则未通过时仍生成文件，但封面标注“草稿”、文件名带“-草稿”（退出状态仍为 1）。")
@click.option("-j", "--jobs", "jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="同时生成的文件数（每个进程一个 LibreOffice）。")
@click.option("--clean", is_flag=True, help="不管上次的结果，全部重新生成。")
@click.pass_obj
@run_guarded
def build(opts: Options, unit: str | None, call: str | None, out: Path | None, no_pdf: bool, draft: bool,
          jobs: int, clean: bool) -> None:
    """生成 Word（docx）、Excel（xlsx）和 PDF 到 build/。

    先做规则检查：某单位有规则未通过时，默认不生成该单位的文件；加 --draft 则生成标注“草稿”的文件。
    只重新生成输入（数据、模板、通知、docgen 版本）有变化或已被删除的文件；--clean 全部重新生成。
    """
    import json
    import time

    from docgen.cli.progress import BuildProgress, print_build_summary, print_outcome
    from docgen.load.yamlpos import flush_cache, set_cache_dir
    from docgen.outputs.state import STATE_DIR

    start = time.perf_counter()
    out = out if out is not None else opts.root / "build"
    options = json.dumps([str(opts.root.resolve()), str(opts.data.resolve()), unit, call, no_pdf, draft])
    signature = pipeline.input_signature(opts.root, opts.data)
    same = None if clean else pipeline.up_to_date(out, options, signature)
    if same is not None:  # nothing the last clean build read has changed: no need to load anything
        print_build_summary(0, len(same["outputs"]), seconds=time.perf_counter() - start)
        where(out)
        return
    set_cache_dir(out / STATE_DIR / "cache")
    with contextlib.ExitStack() as stack:
        # Something is to be made: LibreOffice starts now (one a worker), while the data is read and checked.
        warm = stack.enter_context(_early_converters(jobs)) if not no_pdf else []
        project = pipeline.load(opts.root, opts.data, unit, call)
        for d in project.warnings:
            click.echo(d.format(), err=True)
        result = pipeline.build(project, out, pdf=not no_pdf, draft=draft, jobs=jobs, clean=clean,
                                warm=warm, progress=BuildProgress, raise_failures=False)
    flush_cache()
    failing = [r for r in result.results if not r.passed]
    if not failing and not result.errors:
        pipeline.remember_up_to_date(out, options, signature,
                                     [str(p.relative_to(out)) for p in result.written] + result.unchanged)
    if failing:
        click.echo(format_report(failing, color=sys.stdout.isatty()), err=True)
    for path in result.written:
        click.echo(f"已生成 {display_path(path)}")
    if result.refused_units:
        click.echo(f"以下单位规则未通过，未生成文件：{'、'.join(result.refused_units)}。"
                   "修改数据后重新运行；如需先看效果，加 --draft 生成草稿。", err=True)
    if result.drafts:
        click.echo(f"以下单位规则未通过，已生成标注“草稿”的文件，不得报送：{'、'.join(result.drafts)}。", err=True)
    print_outcome(result, refused=len(result.refused_units), clean=clean)
    build_reports(project, out, result)
    error = result.error()
    if error is not None:
        click.echo(f"以下文件生成失败：{'、'.join(result.failed)}。其余文件已生成。", err=True)
        for d in error.diagnostics:
            click.echo(d.format(), err=True)
        click.echo(f"共 {sum(1 for d in error.diagnostics if d.severity == 'error')} 个错误。", err=True)
        where(out)
        sys.exit(int(error.exit_code))
    where(out)
    if failing:
        sys.exit(int(ExitCode.RULE_FAILED))


@contextlib.contextmanager
def _early_converters(jobs: int):
    """Yield warm LibreOffices already starting, one per worker up to the number of cores (none when
    LibreOffice is not installed: the build reports it when a PDF is asked for); all closed at the end."""
    import os

    from docgen.pdf.convert import find_soffice
    from docgen.pdf.warm import WarmConverter

    if find_soffice() is None:
        yield []
        return
    with contextlib.ExitStack() as stack:
        warm = [stack.enter_context(WarmConverter()) for _ in range(min(jobs, os.cpu_count() or 1))]
        for converter in warm:
            converter.warm_up()
        yield warm


def _register_commands() -> None:
    """Add the commands of the other areas; each lives in its own module under docgen/cli/ with a register()."""
    from docgen.cli import bureau, calls, data, desk, doctor, pdf, plan, similar, template, yearend

    for area in (calls, bureau, template, data, plan, yearend, pdf, doctor, desk, similar):
        area.register(main)


_register_commands()
