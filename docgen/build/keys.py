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


_fonts: dict[str, str] = {}  # fontconfig file in use → key of docgen's own pages' fonts, for this process


def fonts_key() -> str:
    """Return the key of the font files docgen's own Chinese families resolve to (part of every PDF's key).

    This is the font gate (:func:`docgen.pdf.fonts.font_gate`): it raises a ToolError (exit 3)
    when a Chinese family reaches no face with Chinese glyphs. A build that knows its templates
    gates them too and passes its own key to :func:`pdf_key`.
    """
    from docgen.pdf.fonts import conf_path, font_gate

    conf = str(conf_path())
    if conf not in _fonts:
        _fonts[conf] = font_gate([])
    return _fonts[conf]


def doc_key(*parts: str) -> str:
    """Return the key of a docx/xlsx made from *parts* (template hash, context hash, draft mark …)."""
    return job_key("doc", *parts)


def pdf_key(doc: str, fonts: str | None = None) -> str:
    """Return the key of the PDF converted from a document whose key is *doc*.

    *fonts* is the key of the resolved font files (:func:`docgen.pdf.fonts.font_gate`); by default :func:`fonts_key`.
    """
    return job_key("pdf", doc, fonts if fonts is not None else fonts_key())


def call_key(hasher, func, *args) -> str:
    """Return the key of a document made by ``func(*args)`` (a workbook drawn in code): its name and arguments."""
    return doc_key(f"{func.__module__}.{func.__qualname__}", hasher(list(args)))
