"""The bureau's desk: `docgen collect`, `docgen score sheets`, `docgen score tally`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.build import hash_or_absent
from docgen.cli.base import Options, run_guarded
from docgen.errors import Diagnostic, ExitCode, InputError, Location, display_path

MASTER_NAME = "申报汇总总表.xlsx"


def _out_dir(opts: Options, out: Path | None, call_id: str, *parts: str) -> Path:
    return out if out is not None else opts.root / "build" / "bureau" / call_id / Path(*parts)


def _folder_key(folder: Path) -> str:
    """Return a hash of the names and bytes of the files in *folder* (the returned workbooks, the score sheets)."""
    from docgen.build import hash_or_absent

    return "|".join(f"{p.name}:{hash_or_absent(p)}" for p in sorted(folder.iterdir()) if p.is_file())


def _publish(out_dir: Path, files: dict[str, tuple], *inputs, formulas: bool = False,
             pdf: tuple[str, ...] = ()) -> list[Path]:
    """Build *files* (name → (make, key parts)) through the one build path: those whose key changed are
    made and published at once; their keys are recorded in <out_dir>/.docgen. *inputs* join every key.
    With *formulas*, the workbooks get cached values from LibreOffice; the files named in *pdf* also get
    a PDF beside them (both only when LibreOffice is installed)."""
    from docgen.build import BuildOutcome, Doc, Task, doc_key, pdf_key, run, select
    from docgen.outputs.state import BuildState, ContextHasher
    from docgen.pdf.convert import find_soffice

    hasher = ContextHasher()
    common = hasher(list(inputs))
    lo = find_soffice() is not None  # without LibreOffice: formulas without cached values, no PDF
    tasks = []
    for rel, (make, *parts) in files.items():
        recalc = lo and formulas and rel.endswith(".xlsx")
        key = doc_key(common, hasher(list(parts)), "cached values" if recalc else "")
        tasks.append(Task(rel, [Doc(rel, make, key, pdf_key(key) if lo and rel in pdf else None, recalc=recalc)]))
    state = BuildState(out_dir)
    todo, unchanged = select(tasks, state)
    outcome = run(todo, out_dir, state, BuildOutcome(unchanged=unchanged))
    error = outcome.error()
    if error is not None:
        raise error
    if outcome.unchanged:
        click.echo(f"{len(outcome.unchanged)} 个文件输入未变化、未重新生成："
                   f"{'、'.join(display_path(out_dir / rel) for rel in outcome.unchanged)}")
    return outcome.written


def _print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        click.echo(d.format(), err=True)


def _sheet(model, apps, i: int):
    from docgen.bureau.score import score_sheet

    return lambda: score_sheet(model, apps, i)


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
        from docgen.bureau.collect import collect as run_collect
        from docgen.bureau.master import master_workbook

        call_id, model = load_call(opts.data, call)
        if not folder.is_dir():
            raise InputError(Diagnostic("D148", "文件夹不存在", Location(display_path(folder)),
                                        hint="给出存放各单位汇总表的文件夹。"))
        collection = run_collect(folder, call_id, model)
        out_dir = _out_dir(opts, out, call_id)
        written = _publish(out_dir, {MASTER_NAME: (lambda: master_workbook(collection, model),)},
                           "collect", call_id, model, _folder_key(folder))
        _print_diagnostics(collection.diagnostics)
        readable = sum(1 for f in collection.files if f.readable)
        click.echo(f"已读取 {readable}/{len(collection.files)} 个工作簿，{len(collection.rows)} 项申报，"
                   f"受理 {len(collection.admitted)} 项。")
        for path in written:
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
        from docgen.bureau.score import read_master

        call_id, model = load_call(opts.data, call)
        require_scoring(call_id, model, opts.data)
        if reviewers < 1:
            raise InputError(Diagnostic("B202", "评委人数至少为 1", None, hint="例如 --reviewers 5。"))
        master = master if master is not None else opts.root / "build" / "bureau" / call_id / MASTER_NAME
        click.echo(f"读取总表 {display_path(master)}（docgen collect 写在别处时，用 --master 指定）")
        apps = read_master(master)
        files = {f"评分表-评委{i:02d}.xlsx": (_sheet(model, apps, i), i) for i in range(1, reviewers + 1)}
        written = _publish(_out_dir(opts, out, call_id, "评分表"), files, "sheets", call_id, model,
                           hash_or_absent(master), formulas=True)
        for path in written:
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
        from docgen.bureau.score import (
            PUBLICITY_TEMPLATE,
            read_master,
            read_scores,
            result_docx,
            result_workbook,
        )
        from docgen.bureau.score import tally as compute

        call_id, model = load_call(opts.data, call)
        require_scoring(call_id, model, opts.data)
        master = master if master is not None else opts.root / "build" / "bureau" / call_id / MASTER_NAME
        click.echo(f"读取总表 {display_path(master)}（docgen collect 写在别处时，用 --master 指定）")
        apps = read_master(master)
        if not folder.is_dir():
            raise InputError(Diagnostic("D148", "文件夹不存在", Location(display_path(folder)),
                                        hint="给出存放评委评分表的文件夹。"))
        sheets_read = read_scores(folder, model, apps)
        result = compute(model, apps, sheets_read)
        template = opts.root / PUBLICITY_TEMPLATE
        files = {"评分汇总.xlsx": (lambda: result_workbook(model, result),),
                 "评审结果公示名单.docx": (lambda: result_docx(model, result, template), hash_or_absent(template))}
        written = _publish(_out_dir(opts, out, call_id, "评审结果"), files, "tally", call_id, model,
                           hash_or_absent(master), _folder_key(folder),
                           formulas=True, pdf=("评审结果公示名单.docx",) if pdf else ())
        for line in result.summary_lines():
            click.echo(line)
        for path in written:
            click.echo(f"已生成 {display_path(path)}")
