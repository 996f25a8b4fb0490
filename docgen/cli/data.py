"""`docgen data sheet|import|undo`: keep a whole unit in an Excel 填报表 instead of YAML."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.base import Options, complete_units, run_guarded
from docgen.errors import Diagnostic, InputError, Location, display_path


def register(main: click.Group) -> None:
    @main.group()
    def data() -> None:
        """用 Excel 填报表维护单位信息、名单、申报和佐证材料（不用改 YAML）。"""

    @data.command("sheet")
    @click.option("--unit", "unit", default=None, shell_complete=complete_units,
                  help="填入这个单位现有的数据（data/units/ 下的文件夹名）。")
    @click.option("--new", "new", default=None, metavar="ID",
                  help="为还没有数据的新单位生成空白填报表（ID 是将来的文件夹名，如 xinan-normal）。")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="输出文件，默认 build/填报表-<单位>.xlsx。")
    @click.pass_obj
    @run_guarded
    def sheet_cmd(opts: Options, unit: str | None, new: str | None, out: Path | None) -> None:
        """生成填报表（每类数据一张工作表，带表头、示例行、下拉列表和格式校验）。"""
        from docgen.outputs.atomic import write_atomic
        from docgen.roster.read import UNIT_ID
        from docgen.roster.sheet import build_workbook
        from docgen.roster.source import unit_source

        _need_data(opts)
        if unit and new:
            raise click.UsageError("--unit 与 --new 只能用一个：已有单位用 --unit，新单位用 --new。")
        units_dir = opts.data / "units"
        known = sorted(p.parent.name for p in units_dir.glob("*/unit.yaml"))
        if unit is not None and not (units_dir / unit).is_dir():
            raise InputError(Diagnostic("D132", f"找不到单位“{unit}”", Location(display_path(units_dir)),
                                        hint=f"已有单位：{'、'.join(known) or '（无）'}；新单位请用 --new {unit}"))
        if new is not None:
            if not UNIT_ID.fullmatch(new):
                raise InputError(Diagnostic("R107", f"单位文件夹名“{new}”不合适", Location(display_path(units_dir)),
                                            hint="只用字母、数字和 - _ .，例如 xinan-normal。"))
            if (units_dir / new / "unit.yaml").is_file():
                raise InputError(Diagnostic("R113", f"单位“{new}”已经存在", Location(display_path(units_dir / new)),
                                            hint=f"导出它的现有数据用 --unit {new}。"))
        target = unit or new or ""
        src = unit_source(opts.data, target)
        if not target:
            src.id = ""
        out = out if out is not None else opts.root / "build" / f"填报表-{target or '空白'}.xlsx"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, build_workbook(src))
        what = f"（已填入 {src.name} 的现有数据）" if unit and src.name else f"（新单位 {new} 的空白填报表）" if new else ""
        if unit and src.exists and src.model is None:
            what += "（单位数据有错误，已尽量填入；在填报表中改正后导入）"
        click.echo(f"已生成 {display_path(out)}{what}")
        click.echo(f"下一步：用 Excel/WPS 填写后运行 docgen data import {display_path(out)}")

    @data.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--unit", "unit", default=None, shell_complete=complete_units,
                  help="导入到这个单位（data/units/ 下的文件夹名）；默认为填报表生成时所属的单位。")
    @click.option("--dry-run", is_flag=True, help="只检查并列出将要改动的行，不写入。")
    @click.option("--other-unit", is_flag=True, help="确认把为别的单位生成的填报表导入到 --unit 指定的单位。")
    @click.option("--rename", is_flag=True, help="确认修改单位名称（填报表中的单位名称与现有名称不同）。")
    @click.pass_obj
    @run_guarded
    def import_cmd(opts: Options, file: Path, unit: str | None, dry_run: bool, other_unit: bool,
                   rename: bool) -> None:
        """读回填报表：逐格检查，有任何错误时不写入；否则更新（或新建）该单位的数据，并保存快照以便撤销。"""
        from docgen.roster import history
        from docgen.roster.diff import format_diff, import_diff
        from docgen.roster.read import plan_import
        from docgen.roster.write import compose, write_all

        _need_data(opts)
        plan = plan_import(file, opts.data, unit, other_unit=other_unit, rename=rename)
        for d in plan.warnings:
            click.echo(d.format(), err=True)
        changes = compose(plan)
        unit_dir = display_path(plan.unit_path.parent)
        if not changes:
            click.echo("填报表与现有数据一致，没有需要更新的内容。")
            click.echo(f"数据在 {unit_dir}/")
            return
        for line in format_diff(import_diff(plan)):
            click.echo(line)
        if dry_run:
            for path in changes.paths():
                click.echo(f"将{'删除' if path in changes.deletes else '更新' if path.exists() else '新建'} "
                           f"{display_path(path)}")
            click.echo(f"检查通过（--dry-run：未写入）。去掉 --dry-run 即写入 {unit_dir}/")
            return
        created = not plan.source.exists
        snap = history.take(opts.data, plan.unit_id, changes.paths(), file)
        for path in write_all(changes):
            verb = "已删除" if path in changes.deletes else "已写入"
            click.echo(f"{verb} {display_path(path)}")
        if created:
            click.echo(f"已新建单位“{plan.unit_id}”（{plan.unit_new.name}）。")
        click.echo(f"导入前的数据已保存为快照 {display_path(snap)}；"
                   f"如需撤销：docgen data undo --unit {plan.unit_id}")
        click.echo(f"导入完成。下一步运行 docgen check --unit {plan.unit_id}；数据在 {unit_dir}/")

    @data.command("undo")
    @click.option("--unit", "unit", required=True, shell_complete=complete_units,
                  help="撤销这个单位最近一次导入（data/units/ 下的文件夹名）。")
    @click.pass_obj
    @run_guarded
    def undo_cmd(opts: Options, unit: str) -> None:
        """撤销最近一次 docgen data import：把该单位的文件恢复到导入之前。"""
        from docgen.roster import history

        _need_data(opts)
        snap, touched = history.undo(opts.data, unit)
        for path in touched:
            click.echo(f"已恢复 {display_path(path)}" if path.exists() else f"已删除 {display_path(path)}")
        left = len(history.snapshots(opts.data, unit))
        click.echo(f"已撤销快照 {display_path(snap)} 对应的导入；还可再撤销 {left} 次。"
                   f"数据在 {display_path(opts.data / 'units' / unit)}/")


def _need_data(opts: Options) -> None:
    if not opts.data.is_dir():
        raise InputError(Diagnostic("D100", "数据目录不存在", Location(display_path(opts.data)),
                                    hint="在项目根目录运行，或用 --data 指定数据目录。"))
