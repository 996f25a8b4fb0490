"""Run stale tasks: render → convert (warm LibreOffice, -j) → normalise → publish atomically → record keys.

Files appear in the output folder only at the end, by rename, so a failed build
leaves the previous outputs intact. With ``jobs > 1`` forked workers, each with its
own LibreOffice, run the tasks and the main process publishes. A failing document
fails its outputs (and the Finish that needs it), not the others.
"""

from __future__ import annotations

import functools
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.build.keys import pdf_name
from docgen.build.result import BuildOutcome
from docgen.build.task import Converter, Doc, Task
from docgen.errors import Diagnostic, DocgenError, InputError, OutputError, ToolError
from docgen.outputs.staging import Staging
from docgen.outputs.state import BuildState

ERROR_CLASSES = {cls.__name__: cls for cls in (DocgenError, InputError, ToolError, OutputError)}

# a document handed to the conversion thread: (document, its file, future of (input → PDF, seconds), is recalculation)
Pending = tuple[Doc, Path, Future[tuple[dict[Path, Path], float]], bool]


@dataclass
class TaskResult:
    index: int
    written: dict[str, str] = field(default_factory=dict)  # staged output (relative) → key
    failed: list[str] = field(default_factory=list)
    errors: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)  # (error class name, diagnostics)
    crash: str = ""  # a bug in docgen: the traceback
    steps: dict[str, float] = field(default_factory=dict)
    # only in the process that runs the task; _Runner.sendable empties them before the result crosses a queue
    converter: Converter | None = field(default=None, repr=False, compare=False)
    pending: list[Pending] = field(default_factory=list, repr=False, compare=False)

    def fail(self, outputs: list[str], exc: DocgenError) -> None:
        self.failed.extend(outputs)
        self.errors.append((type(exc).__name__, exc.diagnostics))

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - start


def run(tasks: list[Task], out_dir: Path, state: BuildState, outcome: BuildOutcome, *,
        converter: Converter | None = None, jobs: int = 1,
        progress: Callable[[int], Any] | None = None, warm: Sequence[Any] = ()) -> BuildOutcome:
    """Run *tasks* into *out_dir*, publish what succeeded, record its keys in *state* and save it.

    PDFs go through *converter*, or a warm LibreOffice when a task asks for one: one of *warm*
    (WarmConverters the caller started early and closes, one a worker) or one started here.
    *progress(total)* returns an object told ``advance(name, ok)`` after each task.
    Written, failed and errors are added to *outcome*, with the seconds of each step.
    """
    if not tasks:
        return outcome
    from docgen.outputs.preflight import check_writable

    check_writable(out_dir)  # the output and state folders, before anything is rendered or published
    needs_lo = converter is None and (any(doc.pdf is not None for task in tasks for doc in task.docs)
                                      or (any(doc.recalc for task in tasks for doc in task.docs) and _has_lo()))
    shown = progress(len(tasks)) if progress else None
    results: dict[int, TaskResult] = {}
    try:
        with Staging(out_dir) as staging:
            runner = _Runner(out_dir, staging.dir, tasks)

            def done(res: TaskResult) -> None:
                results[res.index] = res
                if shown is not None:
                    shown.advance(tasks[res.index].name, not res.failed)

            workers = min(max(1, jobs), len(tasks))
            if workers == 1:
                with ExitStack() as stack:
                    conv = converter
                    if needs_lo and warm:
                        conv = warm[0]
                    elif needs_lo:
                        from docgen.pdf.warm import WarmConverter
                        conv = stack.enter_context(WarmConverter())
                        conv.warm_up()  # LibreOffice starts while the first documents are rendered
                    _pipelined(runner, range(len(tasks)), conv, done)
            else:
                _run_parallel(runner, converter, needs_lo, workers, done, list(warm) if needs_lo else [])
            crashes = [r.crash for r in results.values() if r.crash]
            if crashes:
                raise RuntimeError("build worker failed:\n" + crashes[0])
            start = time.perf_counter()
            for i in sorted(results):
                res = results[i]
                for rel in res.written:
                    staging.adopt(rel)
                outcome.failed.extend(res.failed)
                outcome.errors.extend(ERROR_CLASSES.get(name, DocgenError)(diags) for name, diags in res.errors)
                for name, seconds in res.steps.items():
                    outcome.steps[name] = outcome.steps.get(name, 0.0) + seconds
            outcome.written.extend(staging.publish())
            _add(outcome, "publish", start)
    finally:
        if shown is not None:
            shown.close()
    start = time.perf_counter()
    for i in sorted(results):
        res = results[i]
        for rel, key in res.written.items():
            state.record([rel], key)
        state.forget(res.failed)
    state.save()
    _add(outcome, "keys", start)
    return outcome


def _has_lo() -> bool:
    """Return True when LibreOffice is installed (without it, workbooks keep formulas without cached values)."""
    from docgen.pdf.convert import find_soffice

    return find_soffice() is not None


def _add(outcome: BuildOutcome, step: str, start: float) -> None:
    outcome.steps[step] = outcome.steps.get(step, 0.0) + time.perf_counter() - start


class _Runner:
    """Runs tasks into the shared staging folder; lives in the main process or in a forked worker.

    LibreOffice converts in a thread of this process (one request at a time, as before) while
    this thread goes on: ``run(i)`` renders task *i* and hands its documents to the converter;
    ``complete(result)`` then waits for those PDFs, normalises them and assembles the task's
    Finish. Calling ``run(i + 1)`` before ``complete`` of task *i* lets docgen's own work on one
    task overlap LibreOffice's conversion of the other.
    """

    def __init__(self, out_dir: Path, staging_dir: Path, tasks: list[Task]):
        self.out_dir, self.staging_dir, self.tasks = out_dir, staging_dir, tasks
        self._pool: Any = None
        self._pool_pid = 0

    def _submit(self, converter: Converter, paths: list[Path], first: bool = False
                ) -> Future[tuple[dict[Path, Path], float]]:
        """Convert *paths* in the conversion thread; return a future of (input → PDF, seconds).

        With *first*, the request goes before the documents already waiting (a table of contents
        the assembly of a finished task is waiting for, while later tasks' documents are queued).
        """
        def convert() -> tuple[dict[Path, Path], float]:
            start = time.perf_counter()
            return converter(paths), time.perf_counter() - start
        return self._in_thread(convert, first)

    def _in_thread(self, fn: Callable[[], tuple[dict[Path, Path], float]], first: bool = False
                   ) -> Future[tuple[dict[Path, Path], float]]:
        """Run *fn* in the conversion thread (LibreOffice takes one request at a time, in order)."""
        if self._pool is None or self._pool_pid != os.getpid():  # a forked worker makes its own thread
            self._pool, self._pool_pid = _ConversionThread(), os.getpid()
        return self._pool.submit(fn, first)

    def close(self) -> None:
        if self._pool is not None and self._pool_pid == os.getpid():
            self._pool.shutdown()
        self._pool = None

    def run(self, index: int, converter: Converter | None) -> TaskResult:
        """Render task *index* and start converting its documents; ``complete`` finishes it."""
        res = TaskResult(index, converter=converter)
        try:
            self._render(self.tasks[index], res, converter)
        except Exception:  # a bug: report it rather than hang the other processes
            res.crash = traceback.format_exc()
        return res

    def run_now(self, index: int, converter: Converter | None) -> TaskResult:
        return self.complete(self.run(index, converter))

    def _render(self, task: Task, res: TaskResult, converter: Converter | None) -> None:
        staging = Staging.view(self.out_dir, self.staging_dir)
        for doc in task.docs:
            mine = list(doc.outputs())
            try:
                with res.step("render"):
                    data = doc.make()
                with res.step("write"):
                    path = staging.write(doc.output, data) if doc.published else staging.scratch(doc.output, data)
                if doc.published:
                    res.written[doc.output] = doc.key
                if doc.recalc and doc.pdf is not None and getattr(converter, "convert_recalculated", None):
                    # one load for both: LibreOffice saves the recalculated copy, then the PDF
                    res.pending.append((doc, path, self._in_thread(
                        functools.partial(_convert_recalculated, path, converter)), False))
                    continue
                if doc.recalc and converter is not None and getattr(converter, "recalculated_copy", None) is not None:
                    # before the PDF request: the thread runs them in order, the workbook is rewritten first
                    res.pending.append((doc, path, self._in_thread(functools.partial(_recalc, path, converter)), True))
                if doc.pdf is not None:
                    if converter is None:
                        raise RuntimeError(f"{doc.output}: a PDF is asked for but no converter was given")
                    res.pending.append((doc, path, self._submit(converter, [path]), False))
            except DocgenError as exc:
                res.fail([rel for rel in mine if rel not in res.written] or [doc.output], exc)

    def complete(self, res: TaskResult) -> TaskResult:
        """Wait for the task's PDFs, normalise them, assemble its Finish; return the finished result."""
        if res.crash:
            return res
        try:
            self._complete(res)
        except Exception:
            res.crash = traceback.format_exc()
        return res

    def _complete(self, res: TaskResult) -> None:
        from docgen.outputs.pdfnorm import normalize_pdf_file

        task = self.tasks[res.index]
        pdfs: dict[str, Path] = {}  # document (relative) → its PDF, for the Finish
        for doc, path, future, recalc in res.pending:
            mine = list(doc.outputs())
            try:
                with res.step("wait"):
                    try:
                        made, seconds = future.result()
                    except ToolError as exc:  # name the output, not the staging file LibreOffice was given
                        named = doc.output if recalc else pdf_name(doc.output)
                        raise _renamed(exc, path, self.out_dir / named) from None
                if recalc:
                    res.steps["recalc"] = res.steps.get("recalc", 0.0) + seconds
                    continue
                res.steps["convert"] = res.steps.get("convert", 0.0) + seconds
                pdf = next(iter(made.values()))
                if doc.on_pdf is not None:
                    with res.step("stamp"):
                        doc.on_pdf(pdf)
                with res.step("normalise"):
                    normalize_pdf_file(pdf)
                pdfs[doc.output] = pdf
                if doc.published and doc.pdf is not None:
                    res.written[pdf_name(doc.output)] = doc.pdf
            except DocgenError as exc:
                res.fail([rel for rel in mine if rel not in res.written] or [doc.output], exc)
        res.pending = []
        finish = task.finish
        if finish is None:
            return
        failed_docs = [rel for rel in finish.needs if rel in res.failed or pdf_name(rel) in res.failed]
        if failed_docs:
            res.failed.append(finish.output)  # the failing document was reported above
            return
        for rel in finish.needs:
            if rel not in pdfs and (self.out_dir / pdf_name(rel)).is_file():
                pdfs[rel] = self.out_dir / pdf_name(rel)  # unchanged: the published PDF

        staging = Staging.view(self.out_dir, self.staging_dir)
        try:
            with res.step("assemble"):
                path = finish.make(staging, self._through_thread(res.converter), pdfs)
            with res.step("normalise"):
                normalize_pdf_file(path)
            res.written[finish.output] = finish.key
        except DocgenError as exc:
            res.fail([finish.output], exc)

    def _through_thread(self, converter: Converter | None) -> Converter | None:
        """Return *converter* run through the conversion thread (one request at a time), or None without one."""
        if converter is None:
            return None
        conv = converter

        def convert(paths: list[Path]) -> dict[Path, Path]:
            return self._submit(conv, paths, first=True).result()[0]
        return convert

    @staticmethod
    def sendable(res: TaskResult) -> TaskResult:
        """Drop what only this process needs (the converter, futures) before a result crosses a queue."""
        res.converter = None
        res.pending = []
        return res


def _renamed(exc: DocgenError, staged: Path, output: Path) -> DocgenError:
    """Return *exc* with every location on the staged file moved to the output it stands for."""
    from dataclasses import replace

    from docgen.errors import display_path

    staged_shown = {display_path(staged), display_path(staged.resolve())}
    diagnostics = [replace(d, location=replace(d.location, file=display_path(output)))
                   if d.location is not None and d.location.file in staged_shown else d for d in exc.diagnostics]
    return type(exc)(diagnostics)


def _convert_recalculated(path: Path, converter: Any) -> tuple[dict[Path, Path], float]:
    """Convert the workbook at *path* to PDF and give it cached formula values (in place), from one load."""
    import tempfile

    from docgen.pdf.recalc import cached_values, fill

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="docgen-recalc-") as tmp:
        copy = Path(tmp) / "recalculated.xlsx"
        pdf = converter.convert_recalculated(path, copy)
        if copy.is_file():  # else (no warm LibreOffice) the workbook keeps its formulas without cached values
            path.write_bytes(fill(path.read_bytes(), cached_values(copy.read_bytes())))
    return {path: pdf}, time.perf_counter() - start


def _recalc(path: Path, converter: Converter) -> tuple[dict[Path, Path], float]:
    """Give the workbook at *path* cached formula values (in place) through the warm LibreOffice."""
    from docgen.pdf.recalc import recalculate

    start = time.perf_counter()
    recalculate([path], converter)
    return {}, time.perf_counter() - start


LOOKAHEAD = 2  # tasks rendered and queued for LibreOffice ahead of the one being finished


def _pipelined(runner: _Runner, indices, converter: Converter | None, done: Callable[[TaskResult], None]) -> None:
    """Run the tasks in order, rendering up to LOOKAHEAD tasks ahead of the one being finished, so
    LibreOffice always has a document waiting while docgen normalises and assembles the earlier ones."""
    from collections import deque

    waiting: deque[TaskResult] = deque()
    try:
        for i in indices:
            waiting.append(runner.run(i, converter))
            if len(waiting) > LOOKAHEAD:
                done(runner.sendable(runner.complete(waiting.popleft())))
        while waiting:
            done(runner.sendable(runner.complete(waiting.popleft())))
    finally:
        runner.close()


class _ConversionThread:
    """One thread running conversion requests one at a time, in order, a request marked *first* ahead
    of those waiting; returns futures like an executor."""

    def __init__(self) -> None:
        import heapq
        import itertools
        import threading

        self._heap: list[tuple[int, int, Callable[[], Any], Future[Any]]] = []
        self._push, self._pop = heapq.heappush, heapq.heappop
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._closing = False
        self._thread = threading.Thread(target=self._work, name="docgen-convert", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], Any], first: bool = False) -> Future[Any]:
        future: Future[Any] = Future()
        with self._cond:
            self._push(self._heap, (0 if first else 1, next(self._seq), fn, future))
            self._cond.notify()
        return future

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._heap and not self._closing:
                    self._cond.wait()
                if not self._heap:
                    return
                _, _, fn, future = self._pop(self._heap)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:
                future.set_exception(exc)

    def shutdown(self) -> None:
        """Run what is queued, then stop the thread."""
        with self._cond:
            self._closing = True
            self._cond.notify()
        self._thread.join()


def _run_parallel(runner: _Runner, converter: Converter | None, needs_lo: bool, workers: int,
                  done: Callable[[TaskResult], None], warm: list[Any]) -> None:
    """Fork *workers* processes, each with its own LibreOffice (worker k takes ``warm[k]``, already started,
    when there is one), pulling task numbers from a queue."""
    import multiprocessing as mp
    import queue as queue_mod

    ctx = mp.get_context("fork")
    todo, results = ctx.SimpleQueue(), ctx.Queue()
    for i in range(len(runner.tasks)):
        todo.put(i)
    for _ in range(workers):
        todo.put(None)

    def work(k: int) -> None:
        with ExitStack() as stack:
            for j, other in enumerate(warm):
                if j != k:
                    other.hand_over()  # another worker's LibreOffice: only that worker keeps its pipes
            conv = converter
            if needs_lo and k < len(warm):
                conv = stack.enter_context(warm[k].adopted())
            elif needs_lo:
                from docgen.pdf.warm import WarmConverter
                conv = stack.enter_context(WarmConverter())
                conv.warm_up()
            _pipelined(runner, iter(todo.get, None), conv, results.put)

    def worker_main(k: int) -> None:
        code = 0
        try:
            work(k)
        except BaseException:
            code = 1
        finally:
            results.close()
            results.join_thread()
            os._exit(code)

    procs = [ctx.Process(target=worker_main, args=(k,), daemon=True) for k in range(workers)]
    for proc in procs:
        proc.start()
    for conv in warm:
        conv.hand_over()  # the workers drive them now (the caller still closes them at the end)
    left = len(runner.tasks)
    try:
        while left:
            try:
                res = results.get(timeout=1.0)
            except queue_mod.Empty:
                if not any(p.is_alive() for p in procs):
                    try:
                        res = results.get(timeout=1.0)
                    except queue_mod.Empty:
                        raise ToolError(Diagnostic("L506", "并行生成的工作进程意外退出", None,
                                                   hint="改用 -j 1 重新运行；如仍失败，加 --debug 并把输出发给维护者。")) from None
                else:
                    continue
            done(res)
            left -= 1
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()
