"""Make PDFs written by LibreOffice (or assembled by docgen) identical for identical content.

LibreOffice stamps a creation date and a random document ID into every PDF.
This removes the dates, drops XMP metadata (which repeats them) and derives
the ID from the content, so two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from docgen.outputs.zipnorm import fixed_timestamp


def _pdf_date() -> str:
    stamp = fixed_timestamp()  # 2000-01-01T00:00:00Z
    return "D:" + stamp.replace("-", "").replace("T", "").replace(":", "").replace("Z", "") + "Z"


def normalize_pdf_bytes(data: bytes) -> bytes:
    """Return *data* with fixed dates, no XMP metadata and a content-derived /ID."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _scrub(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def normalize_pdf_file(path: Path) -> None:
    """Normalise the PDF at *path* in place (the file is inside a staging folder)."""
    path.write_bytes(normalize_pdf_bytes(path.read_bytes()))


def _scrub(pdf: pikepdf.Pdf) -> None:
    info = pdf.docinfo
    for key in ("/CreationDate", "/ModDate"):
        if key in info:
            info[key] = _pdf_date()
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]
    for key in ("/DocChecksum", "/ID"):  # LibreOffice's checksum covers the dates; its ID is random
        if key in pdf.trailer:
            del pdf.trailer[key]
