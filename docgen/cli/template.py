"""`docgen template check|vars`: find template mistakes before a build, list what a template can use."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.apply import pipeline
from docgen.apply.context import context_for_template
from docgen.apply.load import Project
from docgen.cli.base import Options, run_guarded
from docgen.errors import (
    Diagnostic,
    DocgenError,
    ExitCode,
    InputError,
    Location,
    display_path,
)


def _project(opts: Options) -> tuple[Project | None, list[Diagnostic]]:
    try:
        return pipeline.load(opts.root, opts.data), []
    except DocgenError as exc:
        return None, exc.diagnostics


def _templates(opts: Options, project: Project | None, file: Path | None) -> list[Path]:
    if file is not None:
        for candidate in (file, opts.root / file):
            if candidate.is_file():
                return [candidate]
        raise InputError(Diagnostic("T414", "模板文件不存在", Location(display_path(file)),
                                    hint="写模板的路径，例如 templates/docx/<通知>/申报书.docx。"))
    if project is None:
        return []
    seen: list[Path] = []
    for call in project.calls.values():
        for form in call.model.forms:
            path = opts.root / form.template
            if path.is_file() and path not in seen:
                seen.append(path)
    return seen


def register(main: click.Group) -> None:
    @main.group()
    def template() -> None:
        """检查 Word/Excel 模板，列出模板可用的变量。"""

    @template.command("check")
    @click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--fix", is_flag=True, help="自动修复被拆开的标签和标签内的中文引号（原文件原地保存）。")
    @click.pass_obj
    @run_guarded
    def check_cmd(opts: Options, file: Path | None, fix: bool) -> None:
        """检查模板（不写 FILE 时检查各通知用到的全部模板），一次报告全部问题。"""
        from docgen.outputs.atomic import write_atomic
        from docgen.render.inspect import check_template, fix_docx_bytes, fix_xlsx

        project, load_problems = _project(opts)
        if project is None:
            if file is None:
                raise InputError(load_problems)
            click.echo("注意：数据无法读取，只检查模板语法，不核对变量名（先运行 docgen check 看数据问题）。", err=True)
        paths = _templates(opts, project, file)
        problems: list[Diagnostic] = []
        for path in paths:
            if fix:
                if path.suffix.lower() == ".xlsx":
                    data, fixes = fix_xlsx(path)
                else:
                    data, fixes = fix_docx_bytes(path.read_bytes())
                if fixes:
                    write_atomic(path, data)
                    for f in fixes:
                        click.echo(f"已修复 {display_path(path)}（{f.where}）：{f.what}")
            problems.extend(check_template(path, context_for_template(project, path)).diagnostics)
        problems.sort(key=lambda d: d.sort_key())
        for d in problems:
            click.echo(d.format(), err=d.severity == "error")
        errors = [d for d in problems if d.severity == "error"]
        warnings = len(problems) - len(errors)
        if errors:
            click.echo(f"共 {len(errors)} 个错误，{warnings} 个警告。", err=True)
            sys.exit(int(ExitCode.BAD_INPUT))
        fixable = any(d.code in ("T405", "T406") for d in problems)
        click.echo(f"检查了 {len(paths)} 个模板：没有错误" + (f"，{warnings} 个警告" if warnings else "") + "。"
                   + ("加 --fix 可自动修复。" if fixable else ""))

    @template.command("vars")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.pass_obj
    @run_guarded
    def vars_cmd(opts: Options, file: Path) -> None:
        """列出模板用到的变量，以及数据提供的全部字段（附中文名称）。"""
        from docgen.render.inspect import check_template, offered_fields

        project, load_problems = _project(opts)
        if project is None:
            raise InputError(load_problems)
        path = _templates(opts, project, file)[0]
        context = context_for_template(project, path)
        if context is None:
            raise InputError(Diagnostic("T415", "没有任何申报数据可用来列出字段", Location(display_path(path)),
                                        hint="先在 data/units/<单位>/applications/ 下建立一份申报。"))
        report = check_template(path, context)
        offered = offered_fields(context)
        titles = {p: t for p, t, _ in offered}
        click.echo(f"模板 {display_path(path)} 用到的变量：")
        for name in sorted(report.used):
            click.echo(f"  {{{{ {name} }}}}  {titles.get(name, '')}".rstrip())
        click.echo("")
        click.echo("数据提供的字段（x[] 表示列表中的每一项，用 for 循环取出）：")
        for p, title, kind in offered:
            click.echo(f"  {p:<42} {title}" + (f"（{kind}）" if kind else ""))
        if report.errors:
            click.echo("")
            for d in report.errors:
                click.echo(d.format(), err=True)
            click.echo(f"模板另有 {len(report.errors)} 个错误，运行 docgen template check 查看。", err=True)
