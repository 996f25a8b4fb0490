"""The build path's conversion thread: requests in order, a table of contents ahead of waiting documents;
a workbook with formulas converted and recalculated from one LibreOffice load."""

from __future__ import annotations

import io
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import openpyxl
import pikepdf
import pytest

from docgen.build import BuildOutcome, Doc, Finish, Task, run
from docgen.build.runner import _ConversionThread
from docgen.outputs.state import BuildState
from docgen.pdf.warm import WarmConverter, uno_python


def test_conversion_thread_runs_in_order_and_puts_a_first_request_ahead_of_those_waiting():
    gate, started = threading.Event(), threading.Event()
    ran: list[str] = []
    pool = _ConversionThread()
    try:
        blocker = pool.submit(lambda: started.set() or (gate.wait(5) and ran.append("running")))
        assert started.wait(5)
        later = [pool.submit(lambda n=n: ran.append(f"doc{n}")) for n in range(3)]
        toc = pool.submit(lambda: ran.append("toc"), first=True)
        failing = pool.submit(lambda: 1 / 0)
        gate.set()
        for future in (blocker, *later, toc):
            future.result(timeout=5)
        with pytest.raises(ZeroDivisionError):
            failing.result(timeout=5)
    finally:
        pool.shutdown()
    # the request already running finishes; the table of contents jumps the queue; the rest keep their order
    assert ran == ["running", "toc", "doc0", "doc1", "doc2"]


def test_every_task_is_finished_in_order_with_documents_rendered_ahead(tmp_path):
    """Documents are rendered ahead of the task being finished; each Finish sees its own documents."""
    seen: list[str] = []

    def finish_for(n: int) -> Finish:
        def make(staging, converter, pdfs):
            seen.append(f"finish{n}")
            pdf = pikepdf.new()
            for _ in range(n + 1):
                pdf.add_blank_page()
            buf = io.BytesIO()
            pdf.save(buf)
            return staging.write(f"t{n}/done.pdf", buf.getvalue())
        return Finish(f"t{n}/done.pdf", f"f{n}", [], make)

    def doc(n: int) -> Doc:
        def make() -> bytes:
            seen.append(f"render{n}")
            return f"doc {n}".encode()
        return Doc(f"t{n}/doc.txt", make, f"k{n}")

    tasks = [Task(f"t{n}", [doc(n)], finish_for(n)) for n in range(5)]
    out = tmp_path / "out"
    outcome = run(tasks, out, BuildState(out), BuildOutcome())
    assert not outcome.failed and not outcome.errors
    assert [s for s in seen if s.startswith("finish")] == [f"finish{n}" for n in range(5)]
    assert seen.index("render2") < seen.index("finish0")  # two tasks ahead, as LOOKAHEAD says
    assert len(pikepdf.open(out / "t4/done.pdf").pages) == 5 and (out / "t3/doc.txt").read_text() == "doc 3"


needs_uno = pytest.mark.skipif(shutil.which("soffice") is None or uno_python() is None,
                               reason="needs a warm LibreOffice (UNO)")


@needs_uno
def test_workbook_with_formulas_gets_cached_values_and_its_pdf_from_one_load(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws["A1"], ws["A2"], ws["A3"] = 1234, 4321, "=SUM(A1:A2)"
    buf = io.BytesIO()
    wb.save(buf)

    requests: list[dict] = []

    class Counting(WarmConverter):
        def _request(self, src, out, export=None, copy=None):
            requests.append({"in": src.name, "export": export, "copy": copy is not None})
            return super()._request(src, out, export, copy)

    out = tmp_path / "out"
    task = Task("book", [Doc("表.xlsx", lambda: buf.getvalue(), "k", pdf="p", recalc=True)])
    with Counting() as conv:
        outcome = run([task], out, BuildState(out), BuildOutcome(), converter=conv)
    assert not outcome.errors, outcome.errors
    assert requests == [{"in": "表.xlsx", "export": None, "copy": True}]  # one load: the copy, then the PDF
    with zipfile.ZipFile(out / "表.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>SUM(A1:A2)</f><v>5555</v>" in sheet
    text = subprocess.run(["pdftotext", str(out / "表.pdf"), "-"], capture_output=True, text=True).stdout
    assert "5555" in text.split()
    assert not list(Path(tmp_path).rglob("*.part.pdf"))
