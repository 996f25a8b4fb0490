"""The fixers: repair what is safe to repair in a template (split tags, curly quotes)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.render.inspect.scan import (
    CURLY,
    TAG_RE,
    XML_SPACE,
    Spot,
    Tag,
    W,
    docx_parts,
    docx_spots,
    find_tags,
    run_format,
    run_texts,
    short,
    split_runs,
)


@dataclass
class Fix:
    """One repair: where (in words) and what was done."""

    where: str
    what: str


def fix_docx_bytes(data: bytes) -> tuple[bytes, list[Fix]]:
    """Merge runs that split a tag into the first run's formatting; straighten quotes inside tags."""
    from lxml import etree
    fixes: list[Fix] = []
    zin = zipfile.ZipFile(io.BytesIO(data))
    changed: dict[str, bytes] = {}
    for name, label in docx_parts(zin):
        root = etree.fromstring(zin.read(name))
        body = root.find(f"{W}body")
        dirty = False
        for spot in docx_spots(body if body is not None else root, label):
            for _ in range(200):  # each pass repairs one tag; re-read the paragraph after it
                tags = find_tags(spot)
                target = next((t for t in tags if len(split_runs(spot, t)) > 1
                               and len({run_format(r) for r in split_runs(spot, t)}) > 1), None)
                if target is None:
                    break
                _merge(spot, target)
                fixes.append(Fix(spot.where, f"把拆开的标签 {short(target.raw)} 合并为一段（用第一个字的格式）"))
                dirty = True
                spot.pieces = run_texts(spot.paragraph)
                spot.text = "".join(t.text or "" for t, _ in spot.pieces)
            for tag in find_tags(spot):
                if any(c in CURLY for c in tag.raw):
                    for t, start in spot.pieces:
                        text = t.text or ""
                        lo, hi = max(tag.start - start, 0), min(tag.end - start, len(text))
                        if lo < hi:
                            t.text = text[:lo] + "".join(CURLY.get(c, c) for c in text[lo:hi]) + text[hi:]
                    fixes.append(Fix(spot.where, f"把标签 {short(tag.raw)} 中的中文引号改为英文直引号"))
                    dirty = True
        if dirty:
            changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not changed:
        return data, []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, changed.get(info.filename, zin.read(info.filename)))
    return out.getvalue(), fixes


def _merge(spot: Spot, tag: Tag) -> None:
    """Move the characters of *tag* into the w:t where it starts; drop runs left empty."""
    touched = [(t, start) for t, start in spot.pieces
               if start < tag.end and start + len(t.text or "") > tag.start and (t.text or "")]
    first_t, first_start = touched[0]
    first_t.text = (first_t.text or "")[:tag.start - first_start] + tag.raw
    first_t.set(XML_SPACE, "preserve")
    for t, start in touched[1:]:
        t.text = (t.text or "")[max(tag.end - start, 0):]
        t.set(XML_SPACE, "preserve")
        run = t.getparent()
        if run is first_t.getparent():
            continue
        if all(child.tag == f"{W}rPr" or (child.tag == f"{W}t" and not child.text) for child in run):
            parent = run.getparent()
            if parent is not None:
                parent.remove(run)



def fix_xlsx(path: Path) -> tuple[bytes, list[Fix]]:
    from openpyxl import load_workbook
    wb = load_workbook(path)
    fixes: list[Fix] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(c in CURLY for c in cell.value):
                    new = TAG_RE.sub(lambda m: "".join(CURLY.get(c, c) for c in m.group(0)), cell.value)
                    if new != cell.value:
                        fixes.append(Fix(f"{ws.title}!{cell.coordinate}", "把标签中的中文引号改为英文直引号"))
                        cell.value = new
    buf = io.BytesIO()
    wb.save(buf)
    from docgen.outputs.zipnorm import normalize_zip  # shared strings, as Excel writes them
    return normalize_zip(buf.getvalue()), fixes
