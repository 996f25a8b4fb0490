"""`docgen data sheet|import`: fill rosters in Excel (填报表) instead of YAML."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.base import Options, run_guarded
from docgen.errors import Diagnostic, InputError, Location, display_path


def register(main: click.Group) -> None:
    @main.group()
    def data() -> None:
        """用 Excel 填报表维护单位信息与各类名单。"""

    @data.command("sheet")
    @click.option("--unit", "unit", default=None, help="填入这个单位现有的数据（data/units/ 下的文件夹名）。")
    @click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                  help="输出文件，默认 build/填报表-<单位>.xlsx。")
    @click.pass_obj
    @run_guarded
    def sheet_cmd(opts: Options, unit: str | None, out: Path | None) -> None:
        """生成填报表（每个名单一张工作表，带表头、示例行、下拉列表和格式校验）。"""
        from docgen.apply import pipeline
        from docgen.outputs.atomic import write_atomic
        from docgen.roster.sheet import build_workbook

        loaded = None
        if unit is not None:
            project = pipeline.load(opts.root, opts.data, unit)
            loaded = project.units[unit]
        out = out if out is not None else opts.root / "build" / f"填报表-{unit or '空白'}.xlsx"
        data = build_workbook(loaded)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, data)
        click.echo(f"已生成 {display_path(out)}" + (f"（已填入 {loaded.model.name} 的现有数据）" if loaded else ""))

    @data.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--unit", "unit", required=True, help="导入到这个单位（data/units/ 下的文件夹名）。")
    @click.option("--dry-run", is_flag=True, help="只检查，不写入。")
    @click.pass_obj
    @run_guarded
    def import_cmd(opts: Options, file: Path, unit: str, dry_run: bool) -> None:
        """读回填报表：逐格检查，有任何错误时不写入；否则更新该单位的 YAML 数据。"""
        from docgen.roster.read import plan_import
        from docgen.roster.write import compose, write_all

        if not opts.data.is_dir():
            raise InputError(Diagnostic("D100", "数据目录不存在", Location(display_path(opts.data))))
        plan = plan_import(file, opts.data, unit)
        texts = compose(plan)
        if not texts:
            click.echo("填报表与现有数据一致，没有需要更新的内容。")
            return
        if dry_run:
            for path in texts:
                click.echo(f"将更新 {display_path(path)}")
            click.echo("检查通过（--dry-run：未写入）。")
            return
        for path in write_all(texts):
            click.echo(f"已更新 {display_path(path)}")
        click.echo("导入完成。运行 docgen check 检查规则。")
