"""Finding stamp places: where a page says 申报单位（公章） and the like, by its text.

Characters and their boxes come from poppler (``pdftotext -bbox-layout``) or, as a
fallback, pdfminer.six; never from fixed coordinates.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

DEFAULT_PLACES = ("申报单位（公章）", "申报单位（盖章）", "（单位公章）", "单位（盖章）", "单位（公章）")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）").replace(":", "：")


Line = list[tuple[str, float, float, float, float]]  # characters: text, x0, y0, x1, y1 in page space


def find_places(path: Path, patterns: tuple[str, ...], password: str | None = None, plain: bool = False,
                ahead: list[list[Line]] | None = None) -> list[tuple[int, float, float, str]]:
    """Return (page index, centre x, centre y, matched text) for each stamp place found by its text.

    Coordinates are the page's own (its /Rotate not applied). The seal goes over
    what follows the label on its line (the unit's name on a cover:
    申报单位（公章）：河洛师范学院), or over the label itself when nothing follows.
    With *plain* (every page unrotated, boxes at the origin) poppler's pdftotext
    is used when installed — five times faster than pdfminer.six, the fallback. *ahead*: what
    :func:`poppler_lines` returned for *path*, read ahead by the caller.
    """
    pages = (ahead if ahead is not None else poppler_lines(path, password)) if plain else None
    if pages is None:
        pages = _lines_pdfminer(path, password)
    wanted = sorted({_fold(p).replace(" ", "") for p in patterns}, key=len, reverse=True)
    found: list[tuple[int, float, float, str]] = []
    for index, lines in enumerate(pages):
        for chars in lines:
            text = "".join(c[0] for c in chars)
            used = [False] * len(text)
            for pattern in wanted:
                start = text.find(pattern)
                while start >= 0:
                    end = start + len(pattern)
                    if not any(used[start:end]):
                        for k in range(start, end):
                            used[k] = True
                        rest = end
                        while rest < len(text) and text[rest] in "：":
                            rest += 1
                        span = chars[rest:] if rest < len(text) else (
                            _beside(chars[start:end], lines) or chars[start:end])
                        x0, y0 = min(c[1] for c in span), min(c[2] for c in span)
                        x1, y1 = max(c[3] for c in span), max(c[4] for c in span)
                        found.append((index, (x0 + x1) / 2, (y0 + y1) / 2, pattern))
                    start = text.find(pattern, end)
    return found


def _beside(label: Line, lines: list[Line], reach: float = 200.0) -> Line | None:
    """Return the text just right of *label* on the same row (the unit's name in the next table cell)."""
    lx1 = max(c[3] for c in label)
    ly0, ly1 = min(c[2] for c in label), max(c[4] for c in label)
    mid, height = (ly0 + ly1) / 2, ly1 - ly0
    best = None
    for chars in lines:
        if not chars or chars[0][1] < lx1 - 1:
            continue
        y0, y1 = min(c[2] for c in chars), max(c[4] for c in chars)
        gap = chars[0][1] - lx1
        if abs((y0 + y1) / 2 - mid) < height * 0.6 and gap < reach and (best is None or gap < best[0]):
            best = (gap, chars)
    return best[1] if best else None


def _lines_pdfminer(path: Path, password: str | None) -> list[list[Line]]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    def lines(obj):
        if isinstance(obj, LTTextLine):
            yield obj
        elif isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            for child in obj:
                yield from lines(child)

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with open(path, "rb") as fh:
        for page in PDFPage.get_pages(fh, password=password or ""):
            page.rotate = 0  # the page's own coordinates; the caller maps them onto the sheet
            interpreter.process_page(page)
            mx, my = page.mediabox[0], page.mediabox[1]  # pdfminer puts the box's corner at 0,0
            page_lines = []
            for line in lines(device.get_result()):
                chars = []
                for c in line:
                    if isinstance(c, LTChar) and c.get_text().strip():
                        for ch in _fold(c.get_text()):
                            chars.append((ch, mx + c.x0, my + c.y0, mx + c.x1, my + c.y1))
                page_lines.append(chars)
            pages.append(page_lines)
    return pages


def poppler_lines(path: Path, password: str | None) -> list[list[Line]] | None:
    """Return the lines of each page from ``pdftotext -bbox-layout``, or None when it is unavailable or fails.

    pdftotext gives word boxes; each character's share of its word is estimated from
    its width class (CJK full width 1, others 1/2), close enough to centre a seal.
    """
    import shutil
    import subprocess
    import xml.etree.ElementTree as ET

    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    cmd = [exe, "-bbox-layout", "-enc", "UTF-8"]
    if password:
        cmd += ["-upw", password]
    try:
        proc = subprocess.run([*cmd, str(path), "-"], capture_output=True, timeout=120)
        if proc.returncode != 0 or b"font" in proc.stderr or b"language pack" in proc.stderr:
            return None  # poppler could not read some text (e.g. CID fonts without poppler-data)
        root = ET.fromstring(proc.stdout)
    except (OSError, subprocess.TimeoutExpired, ET.ParseError):
        return None
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(f"{ns}page"):
        height = float(page.get("height", 0))
        page_lines = []
        for line in page.iter(f"{ns}line"):
            chars = []
            for word in line.iter(f"{ns}word"):
                text = _fold(word.text or "")
                x0, x1 = float(word.get("xMin", 0)), float(word.get("xMax", 0))
                y0, y1 = height - float(word.get("yMax", 0)), height - float(word.get("yMin", 0))
                weights = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text]
                unit = (x1 - x0) / (sum(weights) or 1)
                x = x0
                for ch, w in zip(text, weights):
                    chars.append((ch, x, y0, x + w * unit, y1))
                    x += w * unit
            page_lines.append(chars)
        pages.append(page_lines)
    return pages

