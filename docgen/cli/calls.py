"""Commands about calls themselves: `docgen new-call`."""

from __future__ import annotations

import click

from docgen.cli.base import Options, run_guarded
from docgen.errors import display_path


def register(main: click.Group) -> None:
    @main.command("new-call")
    @click.argument("new_id")
    @click.option("--from", "from_id", required=True, help="作为起点的已有通知（data/calls/ 下的文件夹名）。")
    @click.pass_obj
    @run_guarded
    def new_call(opts: Options, new_id: str, from_id: str) -> None:
        """从已有通知复制出新通知 NEW_ID：call.yaml 和 Word/Excel 模板（不覆盖已有文件）。"""
        from docgen.apply.scaffold import plan_new_call
        from docgen.outputs.tree import write_new_files

        files = plan_new_call(opts.root, opts.data, new_id, from_id)
        written = write_new_files(opts.root, files)
        for path in written:
            click.echo(f"已创建 {display_path(path)}")
        click.echo(f"下一步：按新通知修改 {display_path(opts.data / 'calls' / new_id / 'call.yaml')}"
                   f"（子项目、叙述项、规则阈值、评分标准），用 Word/Excel 修改 templates/docx/{new_id}/ 和 "
                   f"templates/xlsx/{new_id}/ 下的模板，然后在申报文件中写 call: {new_id}，运行 docgen check、docgen build。")
