"""What a 佐证 file says about itself: the date it was issued and the project it was written for.

Read from the file's text layer (poppler's pdftotext, else pdfminer.six); a scan without one says
nothing and only its declared ``date:`` counts.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from docgen.models.unit import Attachment

DATE = re.compile(r"(20\d\d|19\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@functools.lru_cache(maxsize=4096)
def _text(path: Path, stamp: float) -> str:
    if path.suffix.lower() != ".pdf":
        return ""
    exe = shutil.which("pdftotext")
    if exe is not None:
        try:
            proc = subprocess.run([exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=60)
            if proc.returncode == 0:
                return proc.stdout.decode("utf-8", "replace")
        except (OSError, subprocess.TimeoutExpired):
            pass
    try:
        from pdfminer.high_level import extract_text
        return extract_text(str(path))
    except Exception:
        return ""


def text_of(path: Path) -> str:
    """Return the text layer of a PDF attachment ("" for a scan, a missing or unreadable file)."""
    try:
        return _text(path, path.stat().st_mtime)
    except OSError:
        return ""


def read_ahead(paths: Iterable[Path]) -> None:
    """Read the text layers of the PDFs in *paths* now, one poppler process per core side by side, so that
    the rules asking for them find them read (the same text as reading them one by one)."""
    todo = sorted({p for p in paths if p.suffix.lower() == ".pdf"})
    workers = len(os.sched_getaffinity(0))
    if len(todo) < 4 or workers < 2:
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="docgen-text") as pool:
        list(pool.map(text_of, todo))


def attachment_date(att: Attachment, path: Path) -> date | None:
    """Return the date the file was issued: its declared ``date:``, else the latest date written in it."""
    if att.date is not None:
        return att.date
    found = []
    for y, m, d in DATE.findall(text_of(path)):
        try:
            found.append(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return max(found) if found else None


def other_call_named(path: Path, titles: set[str]) -> str:
    """Return the first of *titles* (other calls' project titles) the file's text names, else ""."""
    text = re.sub(r"\s+", "", text_of(path))
    for title in sorted(titles):
        if title and re.sub(r"\s+", "", title) in text:
            return title
    return ""
