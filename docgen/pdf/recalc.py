"""Give every formula docgen writes a cached value, so a viewer that does not recalculate (a phone, a web
preview, a reader library) shows the totals instead of blanks.

openpyxl never computes formulas. The warm LibreOffice loads the workbook (its profile always
recalculates on load) and saves a copy; the results are read from that copy and written as
``<v>`` into docgen's own workbook, whose formulas, styles and bytes otherwise stay as written —
LibreOffice's copy is thrown away. The zip is re-normalised, so the output stays deterministic.
"""

from __future__ import annotations

import io
import posixpath
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Return sheet name → worksheet part name."""
    wb = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL}}}Relationship")}
    parts = {}
    for sheet in wb.iter(f"{{{NS}}}sheet"):
        t = target.get(sheet.get(f"{{{REL_NS}}}id"), "")
        parts[sheet.get("name")] = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join("xl", t))
    return parts


def cached_values(data: bytes) -> dict[str, dict[str, tuple[str | None, str]]]:
    """Return, per sheet name, cell reference → (type attribute, cached text) of every formula cell."""
    found: dict[str, dict[str, tuple[str | None, str]]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name, part in _sheet_parts(z).items():
            cells = found.setdefault(name, {})
            root = etree.fromstring(z.read(part))
            for c in root.iter(f"{{{NS}}}c"):
                f, v = c.find(f"{{{NS}}}f"), c.find(f"{{{NS}}}v")
                if f is not None and v is not None and v.text is not None:
                    cells[c.get("r")] = (c.get("t"), v.text)
    return found


def fill(data: bytes, values: dict[str, dict[str, tuple[str | None, str]]]) -> bytes:
    """Return *data* (an xlsx) with each formula cell's cached value taken from *values*."""
    from docgen.outputs.zipnorm import normalize_zip

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        parts = {part: name for name, part in _sheet_parts(z).items()}
        for info in z.infolist():
            raw = z.read(info.filename)
            if info.filename in parts:
                raw = _fill_sheet(raw, values.get(parts[info.filename], {}))
            w.writestr(info, raw)
    return normalize_zip(out.getvalue())


def _fill_sheet(raw: bytes, cells: dict[str, tuple[str | None, str]]) -> bytes:
    root = etree.fromstring(raw)
    changed = False
    for c in root.iter(f"{{{NS}}}c"):
        f = c.find(f"{{{NS}}}f")
        if f is None or c.get("r") not in cells:
            continue
        kind, text = cells[c.get("r")]
        v = c.find(f"{{{NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{NS}}}v")  # after <f>, before any <is>/<extLst>: <f> is last here
            f.addnext(v)
        v.text = text
        if kind in ("str", "e", "b"):
            c.set("t", kind)
        elif kind in ("s", "inlineStr", None, "n"):
            if kind == "s":  # LibreOffice's copy used its shared strings: not ours; keep the formula result uncached
                c.remove(v)
                continue
            if "t" in c.attrib:
                del c.attrib["t"]
        changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else raw


def has_formulas(data: bytes) -> bool:
    """Return True when a worksheet of the xlsx *data* holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(b"<f" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def recalculate(paths: list[Path], converter) -> list[Path]:
    """Write cached formula values into each workbook in *paths* (in place) through the warm LibreOffice.

    Return the workbooks left without them (no warm LibreOffice, or it failed on that file).
    """
    copy = getattr(converter, "recalculated_copy", None)
    if copy is None:
        return list(paths)
    left = []
    with tempfile.TemporaryDirectory(prefix="docgen-recalc-") as tmp:
        for i, path in enumerate(paths):
            target = Path(tmp) / f"{i}.xlsx"
            if not copy(path, target):
                left.append(path)
                continue
            path.write_bytes(fill(path.read_bytes(), cached_values(target.read_bytes())))
    return left


def publish_office(staging, files: dict[str, bytes], pdf: tuple[str, ...] = (), converter=None) -> None:
    """Write *files* into *staging*, give their workbooks cached values and convert the files named in *pdf*
    to PDF beside them, through one warm LibreOffice (started only when needed)."""
    from contextlib import ExitStack

    paths = {rel: staging.write(rel, data) for rel, data in files.items()}
    books = [p for p in paths.values() if p.suffix == ".xlsx" and has_formulas(p.read_bytes())]
    to_pdf = [paths[rel] for rel in pdf if rel in paths]
    if not books and not to_pdf:
        return
    with ExitStack() as stack:
        if converter is None:
            from docgen.pdf.convert import find_soffice
            from docgen.pdf.warm import WarmConverter
            if find_soffice() is None:
                return  # no LibreOffice: the workbooks keep their formulas without cached values
            converter = stack.enter_context(WarmConverter())
        recalculate(books, converter)
        if to_pdf:
            made = converter(to_pdf)
            for source in to_pdf:
                staging.adopt(str(made[source].relative_to(staging.dir)))
