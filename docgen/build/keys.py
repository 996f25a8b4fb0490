"""Keys of outputs: what decides a document's bytes, hashed (docgen's own code is in every key)."""

from __future__ import annotations

from pathlib import Path

from docgen.outputs.state import file_hash, job_key


def pdf_name(rel: str) -> str:
    """Return the PDF beside the document *rel* (relative path)."""
    return str(Path(rel).with_suffix(".pdf"))


def hash_or_absent(path: Path) -> str:
    """Return the file's content hash, or "absent" (the render or the assembly reports a missing file)."""
    try:
        return file_hash(path)
    except OSError:
        return "absent"


_fonts: str | None = None


def fonts_key() -> str:
    """Return the hash of the font mapping LibreOffice converts with (part of every PDF's key)."""
    global _fonts
    if _fonts is None:
        from docgen.pdf.convert import FONTS_CONF

        _fonts = file_hash(FONTS_CONF)
    return _fonts


def doc_key(*parts: str) -> str:
    """Return the key of a docx/xlsx made from *parts* (template hash, context hash, draft mark …)."""
    return job_key("doc", *parts)


def pdf_key(doc: str) -> str:
    """Return the key of the PDF converted from a document whose key is *doc*."""
    return job_key("pdf", doc, fonts_key())


def call_key(hasher, func, *args) -> str:
    """Return the key of a document made by ``func(*args)`` (a workbook drawn in code): its name and arguments."""
    return doc_key(f"{func.__module__}.{func.__qualname__}", hasher(list(args)))
