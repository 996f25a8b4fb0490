"""One warm LibreOffice: converts, survives a crash, times out per document, falls back, explains itself."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.errors import ToolError
from docgen.pdf import warm
from docgen.pdf.warm import WarmConverter

pytestmark = pytest.mark.lo


def make_docx(path, text):
    doc = Document()
    doc.add_paragraph(text)
    doc.save(path)
    return path


def soffice_pids(converter: WarmConverter) -> list[int]:
    out = subprocess.run(["pgrep", "-g", str(converter.proc.pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split() if int(p) != converter.proc.pid]


def living(group: int, wait: float = 5.0) -> list[str]:
    """Return the processes of *group* still running (not zombies) after up to *wait* seconds."""
    deadline = time.monotonic() + wait
    while True:
        out = subprocess.run(["ps", "-o", "stat=,pid=", "-g", str(group)], capture_output=True, text=True).stdout
        alive = [line for line in out.splitlines() if line.strip() and not line.strip().startswith("Z")]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_converts_many_with_one_process_and_restarts_after_a_crash(tmp_path):
    docs = [make_docx(tmp_path / f"d{i}.docx", f"第{'一二三'[i]}份文件：申报单位（公章）") for i in range(3)]
    with WarmConverter() as converter:
        assert converter.warm
        first = converter(docs[:2])
        bridge = converter.proc.pid
        assert sorted(first) == docs[:2]
        assert "第二份文件" in PdfReader(first[docs[1]]).pages[0].extract_text()
        converter([docs[2]])
        assert converter.proc.pid == bridge and converter.restarts == 0  # the same LibreOffice
        for pid in soffice_pids(converter):  # LibreOffice dies
            os.kill(pid, signal.SIGKILL)
        again = converter([docs[0]])
        assert again[docs[0]].is_file() and converter.restarts == 1
        group = converter.proc.pid
    assert not living(group)  # nothing left running


def test_timeout_names_the_file_and_the_next_one_converts(tmp_path):
    doc = make_docx(tmp_path / "slow.docx", "x")
    with WarmConverter(timeout=0.001) as converter:  # LibreOffice starts with its own limit, then 1 ms a file
        with pytest.raises(ToolError) as err:
            converter([doc])
        (d,) = err.value.diagnostics
        assert d.code == "L502" and "超时" in d.message and d.location.file.endswith("slow.docx")
        converter.timeout = 120
        assert converter([doc])[doc].is_file()
    assert not (tmp_path / ".slow.pdf.part.pdf").exists()


def test_unreadable_document_is_named(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 this is no zip")
    good = make_docx(tmp_path / "good.docx", "好")
    with WarmConverter() as converter, pytest.raises(ToolError) as err:
        converter([bad, good])
    (d,) = err.value.diagnostics
    assert d.code == "L503" and d.location.file.endswith("bad.docx") and "LibreOffice 未能" in d.message
    assert good.with_suffix(".pdf").is_file()  # the others are still converted


def test_falls_back_to_batch_without_uno(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_UNO_PYTHON", "/nonexistent")
    warm.uno_python.cache_clear()
    monkeypatch.setattr(warm, "uno_python", lambda: None)
    doc = make_docx(tmp_path / "a.docx", "回退")
    with WarmConverter() as converter:
        assert not converter.warm
        assert "回退" in PdfReader(converter([doc])[doc]).pages[0].extract_text()


def test_missing_libreoffice_is_explained(tmp_path, monkeypatch):
    monkeypatch.setattr(warm, "find_soffice", lambda: None)
    with WarmConverter() as converter, pytest.raises(ToolError) as err:
        converter([make_docx(tmp_path / "a.docx", "x")])
    assert err.value.diagnostics[0].code == "L501" and "找不到 LibreOffice" in err.value.diagnostics[0].message
