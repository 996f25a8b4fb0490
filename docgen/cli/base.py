"""Shared pieces of the command line: options object, error handling, common options."""

from __future__ import annotations

import functools
import sys
import traceback
from pathlib import Path

import click

from docgen.errors import DocgenError

INTERNAL_ERROR = 5


class Options:
    def __init__(self, root: Path, data: Path, debug: bool):
        self.root, self.data, self.debug = root, data, debug


def fail(exc: DocgenError) -> None:
    for d in exc.diagnostics:
        click.echo(d.format(), err=True)
    errors = sum(1 for d in exc.diagnostics if d.severity == "error")
    click.echo(f"共 {errors} 个错误。", err=True)
    sys.exit(int(exc.exit_code))


def run_guarded(func):
    """Turn DocgenError into diagnostics and an exit status; keep tracebacks for bugs behind --debug."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        debug = bool(ctx.find_object(Options) and ctx.find_object(Options).debug)
        try:
            return func(*args, **kwargs)
        except DocgenError as exc:
            if debug:
                traceback.print_exc()
            fail(exc)
        except KeyboardInterrupt:
            click.echo("已中断，输出目录未改动。", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`docgen check | head`): not an error of docgen's.
            import os
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception:
            if debug:
                raise
            click.echo("内部错误：docgen 自身出现了缺陷（不是您的数据问题）。"
                       "请加 --debug 重新运行，并把输出发给维护者。", err=True)
            sys.exit(INTERNAL_ERROR)
    return wrapper


def filters(f):
    """Add --unit and --call to a command."""
    f = click.option("--unit", "unit", default=None, shell_complete=complete_units,
                     help="只处理这个单位（data/units/ 下的文件夹名）。")(f)
    f = click.option("--call", "call", default=None, shell_complete=complete_calls,
                     help="只处理这个通知（data/calls/ 下的文件夹名）。")(f)
    return f


def _data_dir(ctx: click.Context) -> Path:
    params = ctx.find_root().params
    root = Path(params.get("root") or ".")
    return Path(params["data"]) if params.get("data") else root / "data"


def complete_units(ctx: click.Context, param, incomplete: str):
    """Shell completion of --unit: the folders under data/units/."""
    from click.shell_completion import CompletionItem

    folder = _data_dir(ctx) / "units"
    return [CompletionItem(p.name) for p in sorted(folder.iterdir()) if p.is_dir() and p.name.startswith(incomplete)] \
        if folder.is_dir() else []


def complete_calls(ctx: click.Context, param, incomplete: str):
    """Shell completion of --call: the folders under data/calls/."""
    from click.shell_completion import CompletionItem

    folder = _data_dir(ctx) / "calls"
    return [CompletionItem(p.name) for p in sorted(folder.iterdir()) if p.is_dir() and p.name.startswith(incomplete)] \
        if folder.is_dir() else []
