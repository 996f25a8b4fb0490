"""`docgen similar DIR`: copied passages across received 申报书; the warnings `docgen check` adds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click

from docgen.cli.base import Options, run_guarded
from docgen.errors import Diagnostic, InputError, Location, display_path

OUT_XLSX = "相同片段清单.xlsx"
OUT_HTML = "相同片段对照.html"


def check_section(opts: Options, project, unit: str | None, call: str | None) -> int:
    """Print the copied-passage warnings after `docgen check`'s report; return how many there are."""
    from docgen.apply import pipeline
    from docgen.similar.institution import check_project

    # every unit's text to compare with; partial: a data error elsewhere is check's to report, once
    everything = project if unit is None and call is None else pipeline.load(opts.root, opts.data, None, None,
                                                                              partial=True)
    warnings = check_project(project, everything, opts.root)
    warnings += _case_warnings(opts, unit, call)
    if warnings:
        click.echo("")
        click.echo("■ 查重提醒（公告：申报书照抄照搬、抄袭拼凑的，一票否决）")
        for d in warnings:
            click.echo(d.format())
        click.echo(f"共 {len(warnings)} 条查重提醒。相同不一定是抄袭，请逐条核对并用本单位自己的话重写。")
    return len(warnings)


def _case_warnings(opts: Options, unit: str | None, call: str | None) -> list[Diagnostic]:
    """Compare the 教师成长案例 of each unit's year-end folder with each other."""
    from docgen.apply import pipeline
    from docgen.errors import DocgenError
    from docgen.similar.engine import Settings
    from docgen.similar.institution import case_warnings
    from docgen.yearend import pipeline as yearend

    try:
        ye = yearend.load(pipeline.load(opts.root, opts.data, unit, None), call)
    except DocgenError:
        return []  # `docgen check` reports the year-end problems in its own section
    out: list[Diagnostic] = []
    for folder in ye.folders:
        cases = [(display_path(c.doc.path), c.meta.title, c.doc.md.text) for c in folder.cases]
        if len(cases) > 1:
            spec = folder.call.model.similarity
            out += case_warnings(cases, Settings(min_passage=spec.min_passage, min_share=spec.share))
    return out


def register(main: click.Group) -> None:
    @main.command()
    @click.argument("folder", type=click.Path(path_type=Path))
    @click.option("--previous", type=click.Path(path_type=Path), default=None,
                  help="上一年收到的申报书文件夹：本年每份也与它们比对。")
    @click.option("--call", "call", default=None,
                  help="通知（data/calls/ 下的文件夹名）：用它的模板文字、叙述标题和查重阈值；只有一个通知时可省略。")
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 build/similar/。")
    @click.pass_obj
    @run_guarded
    def similar(opts: Options, folder: Path, previous: Path | None, call: str | None, out: Path | None) -> None:
        """比对文件夹中收到的每一份申报书（docx 或 PDF），列出有相同段落的文件对（Excel 清单和 HTML 对照页）。

        相同片段是供人复核的线索，不是抄袭的结论。退出状态：0 已比对（有无相同片段都是 0）；2 文件夹无法读取。
        """
        from docgen.bureau.publish import publish
        from docgen.cli.bureau import _echo_unchanged, _print_diagnostics
        from docgen.similar.folder import compare_folder
        from docgen.similar.report import html_page, workbook_bytes

        for given, what in ((folder, "申报书文件夹"), (previous, "上一年的文件夹")):
            if given is not None and not given.is_dir():
                raise InputError(Diagnostic("M103", f"{what}不存在", Location(display_path(given)),
                                            hint="给出存放收到的申报书（.docx 或 .pdf）的文件夹。"))
        titles, boiler, settings = _call_data(opts, call)
        result = compare_folder(folder, previous, titles, boiler, settings)
        _print_diagnostics(result.problems)
        if result.documents + result.previous < 2:
            raise InputError(result.problems + [Diagnostic(
                "M104", f"可比对的申报书不足两份（读到 {result.documents} 份）", Location(display_path(folder)),
                hint="文件夹中应有收到的申报书（.docx 或 .pdf，可放在子文件夹中）。")])
        out_dir = out if out is not None else opts.root / "build" / "similar"
        made = {OUT_XLSX: workbook_bytes(result, settings), OUT_HTML: html_page(result, settings).encode("utf-8")}
        # through the one build path, keyed by the bytes themselves (the comparison has run already)
        published = publish(out_dir, {name: (lambda data=data: data, hashlib.sha256(data).hexdigest())
                                      for name, data in made.items()}, "similar")
        _echo_unchanged(out_dir, published)
        seen = f"比对了 {result.documents} 份申报书"
        if previous is not None:
            seen += f"（另与上一年的 {result.previous} 份比对）"
        click.echo(f"{seen}，{len(result.pairs)} 对有相同片段。")
        for n, pair in enumerate(result.pairs[:10], 1):
            m, p = pair.longest()
            click.echo(f"  {n}. {pair.a} ↔ {pair.b}：相同文字占 {max(pair.share_a, pair.share_b):.0%}，"
                       f"{pair.passages} 段，最长 {p.chars} 字（{pair.sections}）")
        if len(result.pairs) > 10:
            click.echo(f"  …… 其余 {len(result.pairs) - 10} 对见清单。")
        for path in published.written:
            click.echo(f"已生成 {display_path(path)}")
        click.echo("相同片段是供人复核的线索，不是抄袭的结论：请打开对照页逐对阅读。")


def _call_data(opts: Options, call: str | None):
    """Return (narrative titles, boilerplate lines, settings) from the data folder's calls, when there are any."""
    from docgen.apply import pipeline
    from docgen.errors import DocgenError
    from docgen.similar.engine import Settings
    from docgen.similar.institution import call_boilerplate

    if not (opts.data / "calls").is_dir():
        return set(), [], Settings()
    try:
        project = pipeline.load(opts.root, opts.data, None, call)
    except DocgenError as exc:
        if call is not None:
            raise
        click.echo(f"（数据目录中的通知无法读取，按默认阈值比对：{exc.diagnostics[0].message}）", err=True)
        return set(), [], Settings()
    calls = list(project.calls.values())
    titles: set[str] = set()
    boiler: list[str] = []
    for c in calls:
        for f in c.model.application.narrative:
            titles.update({f.title, f.title.rpartition("·")[2]})
        boiler += call_boilerplate(c, opts.root)
    if len(calls) == 1:
        spec = calls[0].model.similarity
        return titles, boiler, Settings(min_passage=spec.min_passage, min_share=spec.share)
    return titles, boiler, Settings()
