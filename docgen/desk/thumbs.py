"""Page images of built PDFs for the desk: thumbnails and full pages, drawn by poppler's pdftoppm, cached."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from docgen.outputs.atomic import write_atomic

THUMB_DPI = 24
PAGE_DPI = 90


def page_png(pdf: Path, page: int, dpi: int, cache: Path) -> bytes | None:
    """Return page *page* (1-based) of *pdf* as PNG at *dpi*, or None when it cannot be drawn."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None or page < 1:
        return None
    st = pdf.stat()
    key = hashlib.sha256(f"{pdf.resolve()}\0{st.st_size}\0{st.st_mtime_ns}\0{page}\0{dpi}".encode()).hexdigest()
    cached = cache / f"{key[:32]}.png"
    if cached.is_file():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory(prefix="docgen-thumb-") as tmp:
        base = Path(tmp) / "p"
        try:
            subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(base)], capture_output=True, timeout=60, check=True)
        except (subprocess.SubprocessError, OSError):
            return None
        out = base.with_suffix(".png")
        if not out.is_file():
            return None
        data = out.read_bytes()
    cache.mkdir(parents=True, exist_ok=True)
    write_atomic(cached, data)
    return data
