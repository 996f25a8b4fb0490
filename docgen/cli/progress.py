"""Progress of a long build: a bar on a terminal, plain lines in CI or a pipe; a summary table at the end."""

from __future__ import annotations

import sys
import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table


class BuildProgress:
    """Report each finished document; choose a bar or lines by whether stderr is a terminal."""

    def __init__(self, total: int, quiet: bool = False):
        self.total = total
        self.done = 0
        self.start = time.perf_counter()
        self.console = Console(stderr=True, highlight=False)
        self.interactive = self.console.is_terminal and not quiet and total > 0
        self.quiet = quiet
        self._progress = None
        if self.interactive:
            self._progress = Progress(TextColumn("[bold]生成中"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.description}"), TimeElapsedColumn(),
                                      TextColumn("剩余"), TimeRemainingColumn(), console=self.console,
                                      transient=True)
            self._task = self._progress.add_task("", total=total)
            self._progress.start()

    def advance(self, name: str, ok: bool = True) -> None:
        self.done += 1
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=name[-40:])
        elif not self.quiet:
            mark = "完成" if ok else "失败"
            print(f"[{self.done}/{self.total}] {mark} {name}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start


def summary_table(built: int, unchanged: int, failed: int, refused: int, seconds: float) -> Table:
    table = Table(title="生成结果", show_header=True, header_style="bold")
    for col in ("新生成", "未变化（跳过）", "失败", "规则未通过未生成", "用时"):
        table.add_column(col, justify="right")
    table.add_row(str(built), str(unchanged), str(failed), str(refused), f"{seconds:.1f} 秒")
    return table


def print_summary(table: Table) -> None:
    Console(stderr=False, highlight=False, width=100).print(table)


def print_build_summary(built: int, unchanged: int, failed: int = 0, refused: int = 0, seconds: float = 0.0,
                        clean: bool = False) -> None:
    """Print the end of every command that writes documents: one sentence, then the summary table.

    The sentence names the outputs left alone when there are any (or when --clean asked
    to redo everything); a first build just counts what it wrote.
    """
    import click

    if unchanged or clean:
        click.echo(f"共生成 {built} 个文件，{unchanged} 个文件输入未变化、未重新生成。")
    else:
        click.echo(f"共生成 {built} 个文件。")
    print_summary(summary_table(built, unchanged, failed, refused, seconds))


def print_outcome(outcome, refused: int = 0, clean: bool = False, seconds: float | None = None) -> None:
    """Print a BuildOutcome's summary (see print_build_summary)."""
    print_build_summary(len(outcome.written), len(outcome.unchanged), len(outcome.failed), refused,
                        outcome.seconds if seconds is None else seconds, clean)
