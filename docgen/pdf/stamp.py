"""Measure the ink on assembled pages, so that stamps go where a page is blank.

A clerk's first complaint about a stamped bundle is a page number printed over a
scan's own footer ("第 1 页 共 2 页") or a 复印件 seal hiding a table's 得分 column.
Here each page is rendered once at low resolution (poppler's pdftoppm, 36 dpi) and
every pixel weighed: dark text and lines 255, anti-aliased strokes 128, a strong
red (another seal) 255, a light red or grey (a scan's 样本 watermark, paper tone)
almost nothing. From those weights:

* :func:`number_place` says whether the foot band, where "— n —" goes, is blank;
  if not, whether a lower line of the band is; if neither, by how much to shrink
  the page so that all of its content sits above a blank margin band.
* :func:`copy_seal_place` finds the clearest disc near the bottom right for the
  seal on a copy: least ink first, then nearness to the usual corner, never over
  the page number, the 骑缝章 strip or the page edge.

Scans are measured the same way as generated pages: no text layer is needed.
Without pdftoppm, :func:`measure` returns None and the caller keeps fixed places.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pikepdf import Name, Pdf, Rectangle

MM = 72 / 25.4
DPI = 36
CELL = 2  # pixels per cell of the coarse map used for the seal search (4 pt at 36 dpi)
STEP = 3  # candidate seal centres every STEP cells (12 pt ≈ 4 mm)

# The page number "— n —" (4号, 14 pt) centred at the foot, baseline 14 mm up.
NUMBER_SIZE = 14.0
NUMBER_BASELINE = 14 * MM
NUMBER_HALF_WIDTH = 24.0       # points either side of the centre that must be blank
NUMBER_BASELINES = (14 * MM, 10 * MM, 7 * MM)  # tried in turn before shrinking the page
BAND = 22 * MM                 # the blank margin band a shrunk page leaves at its foot
BLANK = 0.35                   # an area whose weight sum (in full-dark cells) is below this is blank
SPLIT_PAGES = 40               # a bundle this long is rendered by two poppler processes at a time


@dataclass
class Ink:
    """The ink of one page: one weight per pixel (0 blank … 255 dark), row 0 at the top."""

    width: float   # page size in points
    height: float
    cols: int
    rows: int
    weights: bytes  # row-major, cols × rows

    @property
    def scale(self) -> float:
        """Pixels per point."""
        return self.cols / self.width

    def box(self, x0: float, y0: float, x1: float, y1: float) -> float:
        """Return the ink inside a rectangle in page points (y up), in units of full-dark pixels."""
        s = self.scale
        c0, c1 = max(0, int(x0 * s)), min(self.cols, int(x1 * s + 0.999))
        r0, r1 = max(0, int((self.height - y1) * s)), min(self.rows, int((self.height - y0) * s + 0.999))
        total = 0
        for r in range(r0, r1):
            row = self.weights[r * self.cols:(r + 1) * self.cols]
            total += sum(row[c0:c1])
        return total / 255

    def lowest_ink(self, threshold: int = 128) -> float:
        """Return the height in points of the lowest inked pixel above the page's bottom edge (page height if blank)."""
        for r in range(self.rows - 1, -1, -1):
            row = self.weights[r * self.cols:(r + 1) * self.cols]
            if max(row) >= threshold:
                return (self.rows - 1 - r) / self.scale
        return self.height

    def shrunk(self, scale: float, ox: float, oy: float) -> Ink:
        """Return the ink once the page is drawn at *scale* with its lower left corner at (ox, oy)."""
        from PIL import Image

        im = Image.frombytes("L", (self.cols, self.rows), self.weights)
        small = im.resize((max(1, round(self.cols * scale)), max(1, round(self.rows * scale))), Image.Resampling.BOX)
        sheet = Image.new("L", (self.cols, self.rows), 0)
        s = self.scale
        sheet.paste(small, (round(ox * s), self.rows - round(oy * s) - small.size[1]))
        return Ink(self.width, self.height, self.cols, self.rows, sheet.tobytes())


def _weigh(image) -> bytes:
    """Return the ink weight of each pixel of an RGB rendering (see the module's docstring)."""
    from PIL import Image, ImageChops, ImageFilter

    r, g, b = image.split()
    lum = image.convert("L")
    base = lum.point([255 if v < 170 else 128 if v < 215 else 0 for v in range(256)])
    reddish = ImageChops.subtract(r, g).point([255 if v > 40 else 0 for v in range(256)])
    strong = ImageChops.multiply(ImageChops.multiply(reddish, g.point([255 if v < 110 else 0 for v in range(256)])),
                                 r.point([255 if v > 120 else 0 for v in range(256)]))
    light = ImageChops.subtract(reddish, strong)
    # Another seal: its ring, star and text are strong red; the whole disc around them counts as taken.
    zone = strong.filter(ImageFilter.BoxBlur(8)).point([255 if v > 8 else 0 for v in range(256)])
    weights = Image.composite(Image.new("L", image.size, 3), base, light)   # a light red watermark: faint
    weights = Image.composite(Image.new("L", image.size, 255), weights, ImageChops.lighter(strong, zone))
    return weights.tobytes()


def measure(pdf: Pdf, pages: list[int], dpi: int = DPI) -> dict[int, Ink] | None:
    """Return the ink of the given pages (0-based) of *pdf* as it stands, or None without pdftoppm.

    The PDF is saved to a temporary file and rendered once; nothing in *pdf* changes.
    """
    return measure_later(pdf, pages, dpi)()


def measure_later(pdf: Pdf, pages: list[int], dpi: int = DPI) -> Callable[[], dict[int, Ink] | None]:
    """Start measuring the given pages of *pdf* as it stands now, in a thread; return the function that
    waits for the result (what :func:`measure` returns).

    *pdf* is saved here (pikepdf is not shared between threads); poppler renders the saved copy
    while the caller goes on, e.g. waiting for LibreOffice, and may change *pdf* meanwhile.
    """
    import threading

    if shutil.which("pdftoppm") is None or not pages:
        return lambda: None
    tmp = tempfile.TemporaryDirectory(prefix="docgen-ink-")
    source = Path(tmp.name) / "pages.pdf"
    pdf.save(source, encryption=False)
    sizes = {}
    for index in set(pages):
        page = pdf.pages[index]
        box = [float(v) for v in page.mediabox]
        width, height = abs(box[2] - box[0]), abs(box[3] - box[1])
        if int(page.obj.get("/Rotate", 0)) % 180:
            width, height = height, width
        sizes[index] = (width, height)
    result: list[dict[int, Ink] | None] = [None]
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result[0] = _measure_saved(source, sizes, dpi)
        except BaseException as exc:  # raised again by wait(), in the caller's thread, as measure() would
            failure.append(exc)
        finally:
            tmp.cleanup()

    thread = threading.Thread(target=work, name="docgen-ink", daemon=True)
    thread.start()

    def wait() -> dict[int, Ink] | None:
        thread.join()
        if failure:
            raise failure[0]
        return result[0]
    return wait


def _measure_saved(source: Path, sizes: dict[int, tuple[float, float]], dpi: int) -> dict[int, Ink] | None:
    """Render the pages (index → size in points) of the PDF file *source* and weigh their ink."""
    from PIL import Image

    exe = shutil.which("pdftoppm")
    if exe is None:
        return None
    found: dict[int, Ink] = {}
    folder = source.parent
    first, last = min(sizes) + 1, max(sizes) + 1
    # A long bundle is rendered in runs of pages by two poppler processes at a time (scans and text pages
    # cost very differently, so small runs share the work out); each page renders on its own, the pixels
    # are the same either way. The pages of a finished run are weighed while the next one renders.
    workers = min(2, len(os.sched_getaffinity(0))) if last - first + 1 >= SPLIT_PAGES else 1
    step = max(1, -(-(last - first + 1) // (8 if workers > 1 else 1)))
    chunks = [(k, a, min(a + step - 1, last)) for k, a in enumerate(range(first, last + 1, step))]
    stderr = b""
    running: list[tuple[int, subprocess.Popen[bytes]]] = []
    drawn: dict[int, tuple[tuple[int, int], bytes]] = {}  # page index → (pixel size, weights)

    def finish(k: int, proc: subprocess.Popen[bytes]) -> bool:
        """Wait for run *k* and weigh its pages while the next run renders; False when poppler failed."""
        nonlocal stderr
        stderr += proc.communicate(timeout=300)[1]
        if proc.returncode != 0:
            return False
        for path in folder.glob(f"p{k}-*.ppm"):
            index = int(path.stem.split("-")[-1]) - 1
            if index in sizes:
                with Image.open(path) as opened:
                    im = opened.convert("RGB")
                    drawn[index] = (im.size, _weigh(im))
            path.unlink()
        return True

    ok = True
    try:
        for k, a, b in chunks:
            if len(running) == workers:
                ok = finish(*running.pop(0)) and ok
            running.append((k, subprocess.Popen([exe, "-r", str(dpi), "-f", str(a), "-l", str(b), str(source),
                                                 str(folder / f"p{k}")], stdout=subprocess.DEVNULL,
                                                stderr=subprocess.PIPE)))
        while running:
            ok = finish(*running.pop(0)) and ok
    except (OSError, subprocess.TimeoutExpired):
        for _k, proc in running:
            proc.kill()
            proc.wait()
        return None
    if not ok:
        return None
    # Text in a font poppler cannot draw (a CID font not embedded, without poppler-data) renders as
    # nothing: take those pages' text boxes from their text layer instead.
    unreadable = b"font" in stderr or b"language pack" in stderr
    boxes = _text_boxes(source, set(sizes)) if unreadable else {}
    for index in sorted(drawn):
        size, weights = drawn[index]
        width, height = sizes[index]
        if boxes.get(index):
            weights = _paint(weights, size, height, dpi / 72, boxes[index])
        found[index] = Ink(width, height, size[0], size[1], weights)
    return found


def _text_boxes(path: Path, pages: set[int]) -> dict[int, list[tuple[float, float, float, float]]]:
    """Return the character boxes (x0, y0, x1, y1, page points) of the given pages, read by pdfminer.six."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTChar

    def chars(obj):
        if isinstance(obj, LTChar):
            yield obj
        elif hasattr(obj, "__iter__"):
            for child in obj:
                yield from chars(child)

    found: dict[int, list[tuple[float, float, float, float]]] = {}
    try:
        for index, layout in enumerate(extract_pages(str(path), page_numbers=sorted(pages),
                                                     laparams=LAParams(all_texts=True))):
            found[sorted(pages)[index]] = [c.bbox for c in chars(layout) if c.get_text().strip()]
    except Exception:  # a text layer pdfminer cannot read adds nothing to the measure
        return found
    return found


def _paint(weights: bytes, size: tuple[int, int], height: float, scale: float,
           boxes: list[tuple[float, float, float, float]]) -> bytes:
    """Return *weights* with every box painted full dark."""
    from PIL import Image, ImageDraw

    im = Image.frombytes("L", size, weights)
    draw = ImageDraw.Draw(im)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((int(x0 * scale), int((height - y1) * scale), int(x1 * scale + 0.999),
                        int((height - y0) * scale + 0.999)), fill=255)
    return im.tobytes()


# --------------------------------------------------------------------------- page numbers
@dataclass
class NumberPlace:
    """Where the page number of one page goes: at *baseline*, after shrinking the page by *shrink* (1 = not)."""

    baseline: float = NUMBER_BASELINE
    shrink: float = 1.0


def _number_box(width: float, baseline: float) -> tuple[float, float, float, float]:
    return (width / 2 - NUMBER_HALF_WIDTH, baseline - 0.3 * NUMBER_SIZE, width / 2 + NUMBER_HALF_WIDTH,
            baseline + 0.9 * NUMBER_SIZE)


def number_place(ink: Ink) -> NumberPlace:
    """Return where the number goes on a page with this ink: the usual line, a lower one, or a shrunk page."""
    for baseline in NUMBER_BASELINES:
        if ink.box(*_number_box(ink.width, baseline)) < BLANK:
            return NumberPlace(baseline)
    # Shrink the page, top centred, until its lowest ink clears the band.
    lowest = ink.lowest_ink()
    scale = min(1.0, (ink.height - BAND) / (ink.height - min(lowest, BAND)))
    return NumberPlace(NUMBER_BASELINE, round(scale, 4))


def shrink_in_place(out: Pdf, index: int, sheets: Pdf, scale: float, name: str):
    """Redraw page *index* of *out* at *scale*, top centred, on a new sheet of its size; return the point map."""
    from docgen.pdf.overlay import overlay  # the one overlay that names its resource deterministically

    page = out.pages[index]
    box = [float(v) for v in page.mediabox]
    x0, y0 = min(box[0], box[2]), min(box[1], box[3])
    w, h = abs(box[2] - box[0]), abs(box[3] - box[1])
    sheet = sheets.add_blank_page(page_size=(w, h))
    out.pages.insert(index, sheet)
    ox, oy = (w - w * scale) / 2, h - h * scale
    overlay(out.pages[index], out.pages[index + 1], Name(name), Rectangle(ox, oy, ox + w * scale, oy + h * scale))
    del out.pages[index + 1]

    def mapping(x: float, y: float) -> tuple[float, float]:
        return ox + (x - x0) * scale, oy + (y - y0) * scale
    return mapping, ox, oy


# --------------------------------------------------------------------------- the seal on a copy
def copy_seal_place(ink: Ink, diameter: float, avoid: Sequence[tuple[float, float, float, float]] = (),
                    prefer: tuple[float, float] | None = None, margin: float = 8 * MM) -> tuple[float, float, float]:
    """Return (centre x, centre y, ink covered) of the clearest place for a seal of *diameter* points.

    Candidates cover the whole page inside *margin*, outside the *avoid* rectangles
    (the page number, the 骑缝章 strip). The cost is the ink under the seal's disc
    plus a small charge for the distance from *prefer* (the usual spot near the
    bottom right), so a blank spot anywhere beats covering one line of text, and
    among blank spots the one nearest the corner wins.
    """
    import numpy as np
    from PIL import Image

    w, h = ink.width, ink.height
    prefer = prefer or (w - 25 * MM - diameter / 2, 35 * MM + diameter / 2)
    im = Image.frombytes("L", (ink.cols, ink.rows), ink.weights)
    cols, rows = (ink.cols + CELL - 1) // CELL, (ink.rows + CELL - 1) // CELL
    coarse = np.frombuffer(im.resize((cols, rows), Image.Resampling.BOX).tobytes(), np.uint8).reshape(rows, cols)
    per_pt = cols / w
    # Summed-area table of the coarse map: table[r, c] = sum of rows < r, cols < c.
    table = np.zeros((rows + 1, cols + 1), np.int64)
    table[1:, 1:] = coarse.astype(np.int64).cumsum(0).cumsum(1)

    def box(c0, r0, c1, r1):  # cells [c0, c1) × [r0, r1), clipped to the page; arrays of candidates
        c0, r0 = np.maximum(c0, 0), np.maximum(r0, 0)
        c1, r1 = np.minimum(c1, cols), np.minimum(r1, rows)
        empty = (c0 >= c1) | (r0 >= r1)
        c0, r0 = np.minimum(c0, cols), np.minimum(r0, rows)
        c1, r1 = np.maximum(c1, 0), np.maximum(r1, 0)
        total = table[r1, c1] - table[r0, c1] - table[r1, c0] + table[r0, c0]
        return np.where(empty, 0, total)

    radius = diameter / 2 * per_pt  # in cells
    # The disc as the union of three rectangles (a plus with cut corners): wide, square, tall.
    a, b, t = round(radius), round(0.8 * radius), round(0.6 * radius)

    def disc(c, r):
        wide = box(c - a, r - t, c + a + 1, r + t + 1)
        square = box(c - b, r - b, c + b + 1, r + b + 1)
        tall = box(c - t, r - a, c + t + 1, r + a + 1)
        return wide + square + tall - box(c - b, r - t, c + b + 1, r + t + 1) - box(c - t, r - b, c + t + 1, r + b + 1)

    rad_pt = diameter / 2
    # The usual spot itself first, then a grid over the page (row by row), all weighed at once.
    grid_r, grid_c = np.meshgrid(np.arange(0, rows, STEP), np.arange(0, cols, STEP), indexing="ij")
    c = np.concatenate(([int(prefer[0] * per_pt)], grid_c.ravel()))
    r = np.concatenate(([int((h - prefer[1]) * per_pt)], grid_r.ravel()))
    cx = np.concatenate(([prefer[0]], (grid_c.ravel() + 0.5) / per_pt))
    cy = np.concatenate(([prefer[1]], h - (grid_r.ravel() + 0.5) / per_pt))
    ok = ~((cy - rad_pt < margin) | (cy + rad_pt > h - margin) | (cx - rad_pt < margin) | (cx + rad_pt > w - margin))
    for x0, y0, x1, y1 in avoid:
        ok &= ~((cx + rad_pt > x0) & (cx - rad_pt < x1) & (cy + rad_pt > y0) & (cy - rad_pt < y1))
    spots = np.flatnonzero(ok)
    best = None
    if len(spots):
        inked = disc(c[spots], r[spots])
        costs = inked / 255 * CELL * CELL + np.hypot(cx[spots] - prefer[0], cy[spots] - prefer[1]) / MM / 40
        # The first spot of least cost, weighed again exactly as one spot at a time (float for float)
        # among those within rounding of the least, so the choice never depends on vector arithmetic.
        near = np.flatnonzero(costs <= costs.min() + 1e-9)
        for k in near:
            i = int(spots[k])
            covered = int(inked[k]) / 255 * CELL * CELL  # in full-dark pixels of the fine map
            distance = ((float(cx[i]) - prefer[0]) ** 2 + (float(cy[i]) - prefer[1]) ** 2) ** 0.5 / MM
            cost = covered + distance / 40
            if best is None or cost < best[0]:
                best = (cost, float(cx[i]), float(cy[i]), covered)
    if best is None:
        return prefer[0], prefer[1], float("nan")
    return best[1], best[2], best[3]
