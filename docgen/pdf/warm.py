"""One warm LibreOffice for a whole build, driven over UNO through :mod:`docgen.pdf.uno_bridge`.

python3-uno is importable only by the system Python, so the bridge runs under it
(``DOCGEN_UNO_PYTHON``, default /usr/bin/python3) as a subprocess speaking JSON
lines. This side enforces a timeout per document, restarts LibreOffice when it
dies or hangs, and falls back to one ``soffice --convert-to`` run
(:func:`docgen.pdf.convert.convert_batch`) when no Python can import uno.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import selectors
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from docgen.errors import Diagnostic, Location, ToolError, display_path
from docgen.pdf.convert import (
    convert_batch,
    find_soffice,
    lo_environment,
    make_profile,
    missing_soffice,
)

BRIDGE = Path(__file__).with_name("uno_bridge.py")
START_TIMEOUT = 90.0


@functools.cache
def uno_python() -> str | None:
    """Return a Python interpreter that can import uno, or None."""
    candidates = [os.environ.get("DOCGEN_UNO_PYTHON"), "/usr/bin/python3", "/usr/local/bin/python3"]
    for exe in filter(None, candidates):
        if not os.path.exists(exe):
            continue
        try:
            ok = subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            ok = False
        if ok:
            return exe
    return None


class _BridgeDied(Exception):
    pass


class WarmConverter:
    """Convert documents to PDF with one LibreOffice kept running; use as a context manager.

    Calling the object with a list of paths converts each to a PDF beside it and
    returns input → PDF, like :func:`convert_batch`; every failure is collected
    and raised at the end as one :class:`ToolError`.
    """

    def __init__(self, timeout: float = 120.0):
        self.timeout = timeout
        self.proc: subprocess.Popen[bytes] | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._buffer = b""
        self._ready = False
        self.restarts = 0
        self.python = uno_python()
        self.soffice = find_soffice()
        self.fonts_checked: set[str] = set()  # families known to reach a Chinese face

    @property
    def warm(self) -> bool:
        """True when conversions go through UNO; False means the batch fallback is used."""
        return self.python is not None

    # -- process management -------------------------------------------------
    def warm_up(self) -> None:
        """Start LibreOffice now without waiting for it, so that it starts while documents are rendered."""
        if self.warm and self.soffice is not None and self.proc is None:
            self._spawn()

    def _start(self) -> None:
        if self.proc is None:
            self._spawn()
        self._wait_ready()

    def _spawn(self) -> None:
        if self.soffice is None:
            raise missing_soffice()
        assert self.python is not None, "spawned only when warm (a Python that imports uno was found)"
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="docgen-warm-")
        profile = make_profile(Path(self._tmp.name))
        pipe = f"docgen-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._buffer = b""
        self.proc = subprocess.Popen(
            [self.python, str(BRIDGE), self.soffice, profile.as_uri(), pipe],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=lo_environment(), start_new_session=True)
        self._ready = False

    def _wait_ready(self) -> None:
        if self._ready:
            return
        try:
            answer = self._read_line(START_TIMEOUT)
        except (TimeoutError, _BridgeDied):
            answer = {"ready": False, "error": "no answer"}
        if not answer.get("ready"):
            self._kill()
            raise ToolError(Diagnostic(
                "L504", f"LibreOffice 无法启动（{answer.get('error', '')}）", None,
                hint="检查 LibreOffice 是否完整安装（soffice --headless --version），结束残留的 soffice 进程后重试。"))
        self._ready = True

    def _kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the bridge and the soffice it started
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is None:
                continue
            with contextlib.suppress(OSError):
                stream.close()

    def close(self) -> None:
        """Close LibreOffice politely (end of input), then make sure nothing is left running."""
        proc = self.proc
        if proc is not None and proc.stdin is not None and self._ready:
            try:
                proc.stdin.close()
                proc.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if proc is not None:  # not ready yet (e.g. the build failed while it started): just stop it
            self._kill()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # -- a LibreOffice started before the build forks its workers --------------
    def hand_over(self) -> None:
        """Close this process's ends of the bridge's pipes, leaving LibreOffice to the one process that drives
        it (a forked build worker). When that process closes its ends too, the bridge closes LibreOffice."""
        proc = self.proc
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    @contextlib.contextmanager
    def adopted(self):
        """Drive, in a forked worker, the LibreOffice the parent started (see :meth:`hand_over`); at the end
        leave it to close (the parent waits for it and removes its profile)."""
        inherited = self.proc
        try:
            yield self
        finally:
            if self.proc is inherited:
                self.hand_over()
            else:  # restarted here: this process's own LibreOffice, in the parent's profile folder
                self._tmp = None
                self.close()

    def __enter__(self) -> WarmConverter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- protocol -------------------------------------------------------------
    def _read_line(self, timeout: float) -> dict:
        assert self.proc is not None and self.proc.stdout is not None, "started with stdout=PIPE"
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    raise TimeoutError
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise _BridgeDied
                self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def recalculated_copy(self, src: Path, out: Path) -> bool:
        """Save *src* (a workbook) recalculated by LibreOffice as an xlsx at *out*; return False when that failed."""
        if not self.warm:
            return False
        try:
            answer = self._request(src.resolve(), out.resolve(), self.XLSX_FILTER)
        except (TimeoutError, _BridgeDied, OSError):
            self._kill()
            return False
        return bool(answer.get("ok")) and out.is_file()

    XLSX_FILTER = "Calc MS Excel 2007 XML"

    def _request(self, src: Path, out: Path, export: str | None = None, copy: Path | None = None) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self._kill()
        self._start()
        assert self.proc is not None and self.proc.stdin is not None, "started with stdin=PIPE"
        try:
            request = {"in": str(src), "out": str(out)}
            if export:
                request["filter"] = export
            if copy is not None:
                request["copy"], request["copy_filter"] = str(copy), self.XLSX_FILTER
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as exc:
            raise _BridgeDied from exc
        return self._read_line(self.timeout)

    def convert_one(self, src: Path, copy: Path | None = None) -> Path:
        """Convert *src* to a PDF beside it and return the PDF's path; raise ToolError naming the file.

        With *copy*, LibreOffice first saves the workbook it loaded (recalculated) as an xlsx there:
        one load for both (see :meth:`convert_recalculated`).
        """
        given = src
        src = src.resolve()
        out = src.with_suffix(".pdf")
        part = out.with_name(f".{out.name}.part.pdf")
        for attempt in (1, 2):
            try:
                answer = self._request(src, part, copy=copy.resolve() if copy is not None else None)
                if answer.get("dead"):
                    raise _BridgeDied
            except TimeoutError:
                self._kill()
                self.restarts += 1
                part.unlink(missing_ok=True)
                raise ToolError(Diagnostic(
                    "L502", f"LibreOffice 转换超时（{self.timeout:.0f} 秒），已重启 LibreOffice",
                    Location(display_path(src)), hint="文档可能过大或损坏；在 LibreOffice 中打开检查后重试。")) from None
            except _BridgeDied:
                self._kill()
                self.restarts += 1
                part.unlink(missing_ok=True)
                if attempt == 1:
                    continue  # LibreOffice died: start a fresh one and try this document once more
                raise ToolError(Diagnostic(
                    "L505", "LibreOffice 在转换该文件时两次意外退出", Location(display_path(src)),
                    hint="该文件可能损坏；在 LibreOffice 中打开检查，或先用 --no-pdf 只生成 Word/Excel 文件。")) from None
            if answer.get("ok") and part.is_file() and part.stat().st_size > 0:
                os.replace(part, out)
                return given.with_suffix(".pdf")
            part.unlink(missing_ok=True)
            raise ToolError(Diagnostic(
                "L503", f"LibreOffice 未能把该文件转换为 PDF（{answer.get('error', '输出为空')}）",
                Location(display_path(src)),
                hint="在 LibreOffice 中打开该文件检查是否损坏；或先用 --no-pdf 只生成 Word/Excel 文件。"))
        raise AssertionError("unreachable")

    def convert_recalculated(self, src: Path, copy: Path) -> Path:
        """Convert the workbook *src* to a PDF beside it, saving LibreOffice's recalculated xlsx at *copy*
        from the same load; return the PDF. Without a warm LibreOffice only the PDF is made."""
        from docgen.pdf.fonts import gate_documents
        gate_documents([src], self.fonts_checked)
        if not self.warm:
            return convert_batch([src])[src]
        return self.convert_one(src, copy)

    def __call__(self, inputs: list[Path]) -> dict[Path, Path]:
        if not inputs:
            return {}
        from docgen.pdf.fonts import gate_documents
        gate_documents(inputs, self.fonts_checked)  # no PDF of boxes: refuse before LibreOffice runs
        if not self.warm:
            return convert_batch(inputs)
        results: dict[Path, Path] = {}
        problems: list[Diagnostic] = []
        for path in inputs:
            try:
                results[path] = self.convert_one(path)
            except ToolError as exc:
                if exc.diagnostics[0].code == "L504":
                    raise
                problems.extend(exc.diagnostics)
        if problems:
            raise ToolError(problems)
        return results
