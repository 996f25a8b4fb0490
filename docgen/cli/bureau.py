"""The bureau's desk: `docgen collect`, `docgen score sheets`, `docgen score tally`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.bureau.publish import MASTER_NAME, RESULTS_DIR, SHEETS_DIR, Published
from docgen.cli.base import Options, run_guarded
from docgen.errors import Diagnostic, ExitCode, InputError, display_path


def _out_dir(opts: Options, out: Path | None, call_id: str, *parts: str) -> Path:
    return out if out is not None else opts.root / "build" / "bureau" / call_id / Path(*parts)


def _echo_unchanged(out_dir: Path, published: Published) -> None:
    """Print the outputs left as they were (same inputs as last time), if any."""
    if published.unchanged:
        click.echo(f"{len(published.unchanged)} 个文件输入未变化、未重新生成："
                   f"{'、'.join(display_path(out_dir / rel) for rel in published.unchanged)}")


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        click.echo(d.format(), err=True)


def register(main: click.Group) -> None:
    call_option = click.option("--call", "call", default=None,
                               help="通知（data/calls/ 下的文件夹名）；只有一个通知时可省略。")

    @main.command()
    @click.argument("folder", type=click.Path(path_type=Path))
    @call_option
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 build/bureau/<通知>/。")
    @click.pass_obj
    @run_guarded
    def collect(opts: Options, folder: Path, call: str | None, out: Path | None) -> None:
        """汇总各单位报回的申报汇总表（文件夹中的 .xlsx）为一张总表，并列出每个文件的每个问题。"""
        from docgen.bureau.calls import load_call
        from docgen.bureau.publish import collect_returns

        call_id, model = load_call(opts.data, call)
        out_dir = _out_dir(opts, out, call_id)
        collection, published = collect_returns(folder, call_id, model, out_dir)
        _echo_unchanged(out_dir, published)
        _print_diagnostics(collection.diagnostics)
        readable = sum(1 for f in collection.files if f.readable)
        click.echo(f"已读取 {readable}/{len(collection.files)} 个工作簿，{len(collection.rows)} 项申报，"
                   f"受理 {len(collection.admitted)} 项。")
        for path in published.written:
            click.echo(f"已生成 {display_path(path)}")
        errors = len(collection.errors)
        warnings = len(collection.diagnostics) - errors
        if collection.diagnostics:
            click.echo(f"共 {errors} 个错误、{warnings} 个警告，详见总表的“问题清单”工作表。", err=True)
        if errors:
            sys.exit(int(ExitCode.RULE_FAILED))

    @main.group()
    def score() -> None:
        """评分：生成评委评分表（score sheets），汇总评分（score tally）。"""

    @score.command()
    @call_option
    @click.option("--master", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help=f"docgen collect 生成的总表，默认 build/bureau/<通知>/{MASTER_NAME}。")
    @click.option("--reviewers", type=int, default=5, show_default=True, help="评委人数（每人一份评分表）。")
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 build/bureau/<通知>/评分表/。")
    @click.pass_obj
    @run_guarded
    def sheets(opts: Options, call: str | None, master: Path | None, reviewers: int, out: Path | None) -> None:
        """按通知的评分标准，为每位评委生成一份评分表（受理的申报 × 评分指标）。"""
        from docgen.bureau.calls import load_call, require_scoring
        from docgen.bureau.publish import publish_sheets
        from docgen.bureau.score import read_master

        call_id, model = load_call(opts.data, call)
        require_scoring(call_id, model, opts.data)
        if reviewers < 1:
            raise InputError(Diagnostic("B202", "评委人数至少为 1", None, hint="例如 --reviewers 5。"))
        master = master if master is not None else opts.root / "build" / "bureau" / call_id / MASTER_NAME
        click.echo(f"读取总表 {display_path(master)}（docgen collect 写在别处时，用 --master 指定）")
        apps = read_master(master)
        out_dir = _out_dir(opts, out, call_id, SHEETS_DIR)
        published = publish_sheets(apps, master, call_id, model, reviewers, out_dir)
        _echo_unchanged(out_dir, published)
        for path in published.written:
            click.echo(f"已生成 {display_path(path)}")
        click.echo(f"共 {reviewers} 份评分表，每份 {len(apps)} 项申报、{len(model.scoring)} 项指标。")

    @score.command()
    @click.argument("folder", type=click.Path(path_type=Path))
    @call_option
    @click.option("--master", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help=f"docgen collect 生成的总表，默认 build/bureau/<通知>/{MASTER_NAME}。")
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 build/bureau/<通知>/评审结果/。")
    @click.option("--pdf/--no-pdf", default=True, show_default=True, help="公示名单同时生成 PDF（需要 LibreOffice）。")
    @click.pass_obj
    @run_guarded
    def tally(opts: Options, folder: Path, call: str | None, master: Path | None, out: Path | None,
              pdf: bool) -> None:
        """汇总评委填好的评分表：去掉一个最高分和一个最低分取平均，四舍五入保留两位小数，排名并生成公示名单。"""
        from docgen.bureau.calls import load_call, require_scoring
        from docgen.bureau.publish import tally_scores
        from docgen.bureau.score import PUBLICITY_TEMPLATE

        call_id, model = load_call(opts.data, call)
        require_scoring(call_id, model, opts.data)
        master = master if master is not None else opts.root / "build" / "bureau" / call_id / MASTER_NAME
        click.echo(f"读取总表 {display_path(master)}（docgen collect 写在别处时，用 --master 指定）")
        out_dir = _out_dir(opts, out, call_id, RESULTS_DIR)
        result, published = tally_scores(folder, master, call_id, model, opts.root / PUBLICITY_TEMPLATE, out_dir,
                                         pdf=pdf)
        _echo_unchanged(out_dir, published)
        for line in result.summary_lines():
            click.echo(line)
        for path in published.written:
            click.echo(f"已生成 {display_path(path)}")
