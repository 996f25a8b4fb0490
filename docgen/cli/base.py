"""Shared pieces of the command line: options object, error handling, common options."""

from __future__ import annotations

import functools
import io
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


def jobs_option(f):
    """Add -j/--jobs to a command that writes documents."""
    return click.option("-j", "--jobs", "jobs", type=click.IntRange(1, 64), default=1, show_default=True,
                        help="同时生成的文件数（每个进程一个 LibreOffice）。")(f)


class QuickRun:
    """The quick no-change path of a command that writes documents (see docgen.build.quick).

    ``skip()`` prints the summary and returns True when nothing the command's last clean
    run read has changed and its outputs are all there; ``remember(outcome)`` records a
    clean run (call it only when the run had nothing to report).
    """

    def __init__(self, opts: Options, out: Path, command: str, *options, inputs: tuple[Path, ...] | None = None):
        import json
        import time

        from docgen.build.quick import input_signature

        self.start = time.perf_counter()
        self.out = out
        self.options = json.dumps([command, str(opts.root.resolve()), str(opts.data.resolve()),
                                   *[str(o) for o in options]], ensure_ascii=False)
        self.signature = input_signature(*(inputs if inputs is not None else (opts.data, opts.root / "templates")))

    def skip(self) -> bool:
        import time

        from docgen.build.quick import up_to_date
        from docgen.cli.progress import print_build_summary

        entry = up_to_date(self.out, self.options, self.signature)
        if entry is None:
            return False
        print_build_summary(0, len(entry["outputs"]), seconds=time.perf_counter() - self.start)
        return True

    def replay(self) -> bool:
        """Print what the last run with the same inputs printed and exit with its status; False when stale."""
        from docgen.build.quick import up_to_date

        entry = up_to_date(self.out, self.options, self.signature)
        if entry is None or "stdout" not in entry:
            return False
        sys.stdout.write(entry["stdout"])
        sys.stderr.write(entry["stderr"])
        sys.stdout.flush()
        if entry["status"]:
            sys.exit(entry["status"])
        return True

    def recording(self) -> _Recording:
        """Return a context that copies what the command prints, for ``remember_output``."""
        self._recording = _Recording()
        return self._recording

    def remember_output(self, status: int) -> None:
        """Record what the command printed and its exit *status* (a check that reads and writes no file)."""
        from docgen.build.quick import remember_up_to_date

        rec = self._recording
        remember_up_to_date(self.out, self.options, self.signature, [], stdout=rec.out.getvalue(),
                            stderr=rec.err.getvalue(), status=status)

    def remember(self, outcome) -> None:
        from docgen.build.quick import remember_up_to_date

        outputs = [str(p.relative_to(self.out)) for p in outcome.written] + list(outcome.unchanged)
        remember_up_to_date(self.out, self.options, self.signature, outputs)


class _Tee(io.TextIOBase):
    """A text stream writing to another stream and keeping a copy."""

    def __init__(self, stream, copy: io.StringIO):
        self.stream, self.copy = stream, copy

    @property
    def encoding(self):
        return getattr(self.stream, "encoding", "utf-8")

    @property
    def errors(self):
        return getattr(self.stream, "errors", "strict")

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()


class _Recording:
    def __init__(self) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()

    def __enter__(self) -> _Recording:
        self._saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Tee(sys.stdout, self.out), _Tee(sys.stderr, self.err)
        return self

    def __exit__(self, *exc) -> None:
        sys.stdout, sys.stderr = self._saved
