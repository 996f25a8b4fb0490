"""`docgen serve`: the desk in a browser for institution and bureau staff."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from docgen.cli.base import Options, run_guarded
from docgen.errors import Diagnostic, InputError, Location, display_path

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _is_local(host: str) -> bool:
    if host in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(main: click.Group) -> None:
    @main.command()
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="监听地址。默认只允许本机访问；其他地址（如 0.0.0.0）必须先设置密码。")
    @click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="端口。")
    @click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                  help="输出目录，默认 <根目录>/build。")
    @click.option("--set-password", is_flag=True, help="设置（或更换）工作台密码后退出；密码只以散列形式保存。")
    @click.option("-j", "--jobs", "jobs", type=click.IntRange(1, 64), default=1, show_default=True,
                  help="生成时同时转换的文件数。")
    @click.pass_obj
    @run_guarded
    def serve(opts: Options, host: str, port: int, out: Path | None, set_password: bool, jobs: int) -> None:
        """在浏览器中使用 docgen：填报表、检查、生成盖章 PDF；教育局汇总、评分、公示。"""
        from docgen.desk import security

        if set_password:
            password = click.prompt("新密码（至少 8 位）", hide_input=True, confirmation_prompt="再输入一次")
            if len(password) < 8:
                raise InputError(Diagnostic("B332", "密码太短：至少 8 位", None, hint="重新运行并输入更长的密码。"))
            path = security.store_password(opts.root, password)
            click.echo(f"已保存密码（散列）到 {display_path(path)}。")
            return
        stored = security.stored_hash(opts.root)
        local = _is_local(host)
        if not local and stored is None:
            raise InputError(Diagnostic(
                "B333", f"监听 {host} 会让局域网中的其他电脑访问工作台，必须先设置密码",
                Location(display_path(security.password_file(opts.root))),
                hint="先运行 docgen serve --set-password 设置密码，再运行 docgen serve --host 0.0.0.0。"))
        import uvicorn

        from docgen.desk.app import DeskConfig, create_app
        from docgen.desk.service import Settings

        settings = Settings(opts.root.resolve(), opts.data.resolve(), (out or opts.root / "build").resolve())
        app = create_app(DeskConfig(settings, stored, require_login=not local, jobs=jobs))
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        click.echo(f"docgen 工作台：http://{shown}:{port}/  （数据：{display_path(settings.data)}；按 Ctrl+C 停止）")
        if not local:
            click.echo("已开启密码登录；访问记录写入 build/.docgen/desk/access.log。")
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
