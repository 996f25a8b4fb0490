"""Assemble one submission PDF: parts in order, each page fitted to A4, a table of contents,
bookmarks, 公文-style page numbers, the unit's seal over each stamp place, a 骑缝章 across
the right edge and an optional watermark on copies.

Merging and stamping use pikepdf (qpdf): page content is copied lazily and the seal
image is stored once and drawn by reference on every page, so a 300-page
submission takes a fraction of a second and memory stays near the size of the
inputs. Stamp places are found by their text, never by fixed coordinates.

The seams: :mod:`docgen.pdf.parts` opens the inputs, :mod:`docgen.pdf.places` finds
stamp places, :mod:`docgen.pdf.overlay` fits pages and draws on them; this module puts
them together (the names callers used from here are re-exported).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from docgen.errors import Diagnostic, InputError, display_path
from docgen.pdf.overlay import (
    A4,
    MARK_NAME,
    MM,
    SEAL_NAME,
    Mapping,
    draw,
    fit_in_place,
    identity,
    mark_xobject,
    numbers_pdf,
    overlay,
    seal_xobject,
    shown_size,
)
from docgen.pdf.parts import IMAGE_SUFFIXES, Part, image_pdf, open_part, sniff
from docgen.pdf.places import DEFAULT_PLACES, find_places

if TYPE_CHECKING:
    from docgen.pdf.stamp import Ink, NumberPlace

__all__ = ["A4", "DEFAULT_PLACES", "IMAGE_SUFFIXES", "MM", "Assembled", "Part", "Stamping", "TocEntry", "TocMaker",
           "assemble", "find_places", "image_pdf", "open_part", "overlay", "sniff"]


@dataclass
class Stamping:
    """How to stamp: the seal, where it goes, and what else to draw."""

    seal_image: Path | None = None
    diameter_mm: float = 42.0
    places: tuple[str, ...] = DEFAULT_PLACES
    riding_seal: bool = True
    stamp_copies: bool = True
    watermark: str = ""
    page_numbers: bool = True


@dataclass
class TocEntry:
    title: str
    first: int  # printed page numbers, 1-based
    last: int
    level: int = 0
    note: str = ""


@dataclass
class Assembled:
    pages: int
    toc_pages: int
    ranges: list[tuple[Part, int, int]]  # part, first and last index in the output (0-based)
    seals: list[tuple[int, float, float]] = field(default_factory=list)  # page index, centre x, y


TocMaker = Callable[[list[TocEntry]], Path]


CATALOG_EXTRAS = ("/Outlines", "/StructTreeRoot", "/MarkInfo", "/PageLabels", "/OpenAction", "/Names",
                  "/Metadata", "/PageMode", "/AcroForm", "/Dests", "/Lang", "/ViewerPreferences")


def _base(sources: list[tuple[Part, Pdf]]) -> int | None:
    """Return the index of the largest PDF file among the parts: the output is built inside it, so its
    page contents are never copied and memory stays near the size of the inputs."""
    files = [(part.path.stat().st_size, i) for i, (part, _) in enumerate(sources)
             if part.path.suffix.lower() == ".pdf"]
    return max(files)[1] if files else None



def assemble(parts: list[Part], stamping: Stamping, toc_maker: TocMaker | None = None,
             title: str = "") -> tuple[Pdf, Assembled]:
    """Return the submission PDF (not yet saved) and what went where; raise InputError for every bad part."""
    sources = _open_sources(parts, stamping)
    headings = {i: _headings(src) for i, (part, src) in enumerate(sources) if not part.copy}
    out, sheets, ranges, mappings = _merge(sources, headings)
    # Poppler measures the pages' ink in a thread while the table of contents is made (LibreOffice):
    # the parts' pages are what they will be, only moved back by the contents' pages.
    inks_later = _measure_later(out, stamping, ranges)
    lines_later = _lines_later(ranges)

    # Table of contents, unnumbered, in front; printed numbers start at 1 on the first part.
    toc_pages = 0
    if toc_maker is not None:
        toc_pages = _insert_toc(out, toc_maker(_toc_entries(ranges)))
        ranges = [(p, a + toc_pages, b + toc_pages) for p, a, b in ranges]

    info = Assembled(pages=len(out.pages), toc_pages=toc_pages, ranges=ranges)
    sizes = [shown_size(p)[:2] for p in out.pages]
    inks = inks_later()
    layout = _ink_layout(out, sheets, stamping, ranges, toc_pages, mappings, sizes,
                         None if inks is None else {i + toc_pages: ink for i, ink in inks.items()})

    if stamping.page_numbers:
        numbers = numbers_pdf(sizes, toc_pages, {i: p.baseline for i, p in layout.numbers.items()})
        for i in range(toc_pages, len(out.pages)):
            overlay(out.pages[i], numbers.pages[i], Name(f"/DgNumber{i}"))  # resources may be shared

    ops: dict[int, list[str]] = {}
    xobjects: dict[Name, pikepdf.Stream] = {}
    if stamping.seal_image is not None:
        xobjects[SEAL_NAME] = seal_xobject(out, stamping.seal_image)
        d = stamping.diameter_mm * MM
        _seal_places(ops, info.seals, ranges, toc_pages, mappings, stamping, d, lines_later())
        if stamping.stamp_copies:
            _seal_copies(ops, info.seals, ranges, sizes, layout, d)
        if stamping.riding_seal and len(out.pages) > 1:
            _riding_seal(ops, sizes, d)
    if stamping.watermark:
        xobjects[MARK_NAME] = _watermark(out, ops, stamping.watermark, ranges, sizes)
    for page, page_ops in ops.items():
        draw(out, out.pages[page], xobjects, page_ops)

    _outline(out, ranges, toc_pages)
    if title:
        out.docinfo[Name.Title] = title
    return out, info


def _open_sources(parts: list[Part], stamping: Stamping) -> list[tuple[Part, Pdf]]:
    """Open every part and check the seal image; raise InputError listing every problem."""
    problems: list[Diagnostic] = []
    sources: list[tuple[Part, Pdf]] = []
    for part in parts:
        try:
            sources.append((part, open_part(part)))
        except InputError as exc:
            problems.extend(exc.diagnostics)
    if stamping.seal_image is not None and not stamping.seal_image.is_file():
        problems.append(Diagnostic("P707", f"印章图片不存在：{display_path(stamping.seal_image)}",
                                   None, hint="在 unit.yaml 的 seal.image 写对印章图片（透明背景 PNG）。"))
    if problems:
        raise InputError(problems)
    return sources


def _merge(sources: list[tuple[Part, Pdf]], headings: dict[int, list[tuple[str, int]]]
           ) -> tuple[Pdf, Pdf, list[tuple[Part, int, int]], list[Mapping]]:
    """Put every part's pages in order into one PDF, each fitted to A4 (inside the largest PDF part).

    Return the PDF, the blank A4 sheets used for fitting, each part's first and last page index and
    each page's mapping from its own coordinates to the fitted page's. Sets each part's headings.
    """
    base = _base(sources)
    if base is None:
        out = Pdf.new()
    else:
        out = sources[base][1]
        for key in CATALOG_EXTRAS:
            if key in out.Root:
                del out.Root[key]
        out.trailer.Info = out.make_indirect(Dictionary())
    base_count = len(out.pages)
    sheets = Pdf.new()  # blank A4 sheets for pages that need fitting
    ranges: list[tuple[Part, int, int]] = []
    mappings: list[Mapping] = []  # per output page (before the table of contents)
    pos = 0
    for i, (part, src) in enumerate(sources):
        first = pos
        if i == base:  # its pages are already in place
            for _ in range(base_count):
                mappings.append(fit_in_place(out, pos, sheets))
                pos += 1
        else:
            for page in list(src.pages):
                if pos == len(out.pages):
                    out.pages.append(page)
                else:
                    out.pages.insert(pos, page)
                mappings.append(fit_in_place(out, pos, sheets))
                pos += 1
        ranges.append((part, first, pos - 1))
        part.headings = [(heading, first + index) for heading, index in headings.get(i, [])]
    return out, sheets, ranges, mappings


def _insert_toc(out: Pdf, toc_file: Path) -> int:
    """Put the table of contents in *toc_file* in front of *out*; return its number of pages."""
    toc = Pdf.open(toc_file)
    for i, page in enumerate(toc.pages):
        out.pages.insert(i, page)
    return len(toc.pages)


def _seal_op(d: float, cx: float, cy: float) -> str:
    """Return the content operators drawing the seal of diameter *d* centred on (cx, cy)."""
    return f"q {d:.2f} 0 0 {d:.2f} {cx - d / 2:.2f} {cy - d / 2:.2f} cm {SEAL_NAME} Do Q"


def _seal_places(ops: dict[int, list[str]], seals: list[tuple[int, float, float]],
                 ranges: list[tuple[Part, int, int]], toc_pages: int, mappings: list[Mapping],
                 stamping: Stamping, d: float, lines: dict[int, Any] | None = None) -> None:
    """Seal each stamp place (by its text) of the originals' pages (*lines*: each part's text, read ahead)."""
    for k, (part, first, last) in enumerate(ranges):
        if part.copy:
            continue
        plain = all(mappings[i] is identity for i in range(first - toc_pages, last - toc_pages + 1))
        ahead = (lines or {}).get(k) if plain else None
        for index, x, y, _text in find_places(part.path, stamping.places, part.password, plain, ahead):
            page = first + index
            cx, cy = mappings[page - toc_pages](x, y)
            ops.setdefault(page, []).append(_seal_op(d, cx, cy))
            seals.append((page, cx, cy))


def _seal_copies(ops: dict[int, list[str]], seals: list[tuple[int, float, float]],
                 ranges: list[tuple[Part, int, int]], sizes: list[tuple[float, float]], layout: InkLayout,
                 d: float) -> None:
    """Seal every page of each copy: on the clearest spot measured, else near the bottom right."""
    for part, first, last in ranges:
        if not part.copy:
            continue
        for page in range(first, last + 1):
            w, _h = sizes[page]
            cx, cy = layout.copy_seals.get(page) or (w - 25 * MM - d / 2, 35 * MM + d / 2)
            ops.setdefault(page, []).append(_seal_op(d, cx, cy))
            seals.append((page, cx, cy))


def _riding_seal(ops: dict[int, list[str]], sizes: list[tuple[float, float]], d: float) -> None:
    """Draw the 骑缝章: the seal cut into one vertical strip per page, each strip at its page's right edge."""
    n = len(sizes)
    strip = d / n
    for page, (w, h) in enumerate(sizes):
        left = w - (page + 1) * strip  # the seal's left edge, so that slice `page` meets the edge
        y = h / 2 - d / 2
        ops.setdefault(page, []).append(
            f"q {w - strip:.3f} 0 {strip:.3f} {h:.3f} re W n "
            f"{d:.2f} 0 0 {d:.2f} {left:.3f} {y:.2f} cm {SEAL_NAME} Do Q")


def _watermark(out: Pdf, ops: dict[int, list[str]], text: str, ranges: list[tuple[Part, int, int]],
               sizes: list[tuple[float, float]]) -> pikepdf.Stream:
    """Put the watermark *text*, turned 30°, under everything else drawn on each copy's pages; return its image."""
    mark, ratio = mark_xobject(out, text)
    for part, first, last in ranges:
        if not part.copy:
            continue
        for page in range(first, last + 1):
            w, h = sizes[page]
            mw = min(w, h) * 0.9
            mh = mw / ratio
            # rotate 30°: cos, sin
            c, s = 0.8660, 0.5
            ops.setdefault(page, []).insert(0, (
                f"q 1 0 0 1 {w / 2:.2f} {h / 2:.2f} cm {c} {s} {-s} {c} 0 0 cm "
                f"{mw:.2f} 0 0 {mh:.2f} {-mw / 2:.2f} {-mh / 2:.2f} cm {MARK_NAME} Do Q"))
    return mark


@dataclass
class InkLayout:
    """Stamp places chosen from the measured ink (empty when poppler is not installed)."""

    numbers: dict[int, NumberPlace] = field(default_factory=dict)  # page index → where its number goes
    copy_seals: dict[int, tuple[float, float]] = field(default_factory=dict)  # page index → seal centre
    shrunk: dict[int, float] = field(default_factory=dict)  # page index → scale of a page shrunk into a band


def _measured_pages(n: int, stamping: Stamping, ranges: list[tuple[Part, int, int]], toc_pages: int
                    ) -> tuple[list[int], list[int]]:
    """Return the pages that get a number and the pages of copies that get a seal, of *n* pages."""
    numbered = list(range(toc_pages, n)) if stamping.page_numbers else []
    copies = [page for part, first, last in ranges if part.copy for page in range(first, last + 1)] \
        if stamping.seal_image is not None and stamping.stamp_copies else []
    return numbered, copies


def _measure_later(out: Pdf, stamping: Stamping, ranges: list[tuple[Part, int, int]]):
    """Start measuring the ink of the pages the layout needs (before the table of contents is put in front)."""
    from docgen.pdf import stamp

    numbered, copies = _measured_pages(len(out.pages), stamping, ranges, 0)
    return stamp.measure_later(out, sorted(set(numbered) | set(copies)))


def _lines_later(ranges: list[tuple[Part, int, int]]) -> Callable[[], dict[int, Any]]:
    """Start reading the originals' text lines (not the copies') with poppler in a thread; return the
    function that waits for them: part index → lines of each page (None where poppler could not)."""
    import threading

    from docgen.pdf.places import poppler_lines

    wanted = [(k, part) for k, (part, _first, _last) in enumerate(ranges) if not part.copy]
    found: dict[int, Any] = {}

    def work() -> None:
        for k, part in wanted:
            try:
                found[k] = poppler_lines(part.path, part.password)
            except Exception:  # not read ahead: find_places reads it again and meets the problem itself
                continue

    thread = threading.Thread(target=work, name="docgen-lines", daemon=True)
    thread.start()

    def wait() -> dict[int, Any]:
        thread.join()
        return found
    return wait


def _ink_layout(out: Pdf, sheets: Pdf, stamping: Stamping, ranges: list[tuple[Part, int, int]], toc_pages: int,
                mappings: list[Mapping], sizes: list[tuple[float, float]],
                inks: dict[int, Ink] | None) -> InkLayout:
    """Shrink the pages whose foot band is taken (updating *mappings* so the seal places follow) and choose
    the clearest spot for each copy's seal, from the measured *inks*. See docgen.pdf.stamp."""
    from docgen.pdf import stamp

    layout = InkLayout()
    numbered, copies = _measured_pages(len(out.pages), stamping, ranges, toc_pages)
    if inks is None:
        return layout
    for page in numbered:
        place = layout.numbers[page] = stamp.number_place(inks[page])
        if place.shrink < 1.0:
            mapping, ox, oy = stamp.shrink_in_place(out, page, sheets, place.shrink, f"/DgShrunk{page}")
            mappings[page - toc_pages] = _then(mappings[page - toc_pages], mapping)
            inks[page] = inks[page].shrunk(place.shrink, ox, oy)
            layout.shrunk[page] = place.shrink
    d = stamping.diameter_mm * MM
    n = len(out.pages)
    for page in copies:
        w, h = sizes[page]
        avoid = []
        if page in layout.numbers:
            bx0, by0, bx1, by1 = stamp._number_box(w, layout.numbers[page].baseline)
            avoid.append((bx0 - 4, by0 - 4, bx1 + 4, by1 + 4))
        if stamping.riding_seal and n > 1:
            avoid.append((w - d / n - 3 * MM, h / 2 - d / 2, w, h / 2 + d / 2))
        cx, cy, _covered = stamp.copy_seal_place(inks[page], d, avoid)
        layout.copy_seals[page] = (cx, cy)
    return layout


def _then(first: Mapping, second: Mapping) -> Mapping:
    """Return the mapping that applies *first*, then *second*."""
    def mapping(x: float, y: float) -> tuple[float, float]:
        return second(*first(x, y))
    return mapping


def _headings(src: Pdf) -> list[tuple[str, int]]:
    """Return the top-level bookmarks of a converted document (its 一、二、… headings) as (title, page index)."""
    index = {page.obj.objgen: i for i, page in enumerate(src.pages)}
    found = []
    try:
        with src.open_outline() as outline:
            for item in outline.root:
                dest = item.destination
                if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].objgen in index:
                    found.append((item.title, index[dest[0].objgen]))
                elif isinstance(dest, int):
                    found.append((item.title, dest))
    except (pikepdf.PdfError, pikepdf.OutlineStructureError, AttributeError):
        return []
    return found


def _toc_entries(ranges: list[tuple[Part, int, int]]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    groups_seen: set[str] = set()
    for part, first, last in ranges:
        if part.group and part.group not in groups_seen:
            groups_seen.add(part.group)
            members = [(a, b) for p, a, b in ranges if p.group == part.group]
            entries.append(TocEntry(part.group, members[0][0] + 1, members[-1][1] + 1))
        entries.append(TocEntry(part.title, first + 1, last + 1, 1 if part.group else 0, part.note))
    return entries


def _outline(out: Pdf, ranges: list[tuple[Part, int, int]], toc_pages: int) -> None:
    with out.open_outline() as outline:
        if toc_pages:
            outline.root.append(pikepdf.OutlineItem("目录", 0))
        groups: dict[str, pikepdf.OutlineItem] = {}
        for part, first, _last in ranges:
            item = pikepdf.OutlineItem(part.title, first)
            for title, page in part.headings:
                item.children.append(pikepdf.OutlineItem(title, page + toc_pages))
            if part.group:
                parent = groups.get(part.group)
                if parent is None:
                    parent = groups[part.group] = pikepdf.OutlineItem(part.group, first)
                    outline.root.append(parent)
                parent.children.append(item)
            else:
                outline.root.append(item)
