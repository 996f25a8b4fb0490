"""Assemble one submission PDF: parts in order, each page fitted to A4, a table of contents,
bookmarks, 公文-style page numbers, the unit's seal over each stamp place, a 骑缝章 across
the right edge and an optional watermark on copies.

Merging and stamping use pikepdf (qpdf): page content is copied lazily and the seal
image is stored once and drawn by reference on every page, so a 300-page
submission takes a fraction of a second and memory stays near the size of the
inputs. Stamp places are found by their text (pdfminer.six character boxes),
never by fixed coordinates.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pikepdf
from pikepdf import Dictionary, Name, Pdf, Rectangle

from docgen.errors import Diagnostic, InputError, Location, display_path

MM = 72 / 25.4
A4 = (595.276, 841.89)
SNAP = 3.0  # points: a page this close to A4 is taken as A4
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
DEFAULT_PLACES = ("申报单位（公章）", "申报单位（盖章）", "（单位公章）", "单位（盖章）", "单位（公章）")
SEAL_NAME = Name("/DgSeal")
MARK_NAME = Name("/DgMark")


@dataclass
class Part:
    """One part of the submission: a converted document or a copy of an attachment."""

    title: str
    path: Path
    copy: bool = False            # 佐证 copies get a seal on every page and the watermark
    password: str | None = None
    location: Location | None = None  # where the data names this file, for messages
    group: str | None = None      # bookmark parent, e.g. 佐证资料
    note: str = ""                # shown in the table of contents after the title
    headings: list[tuple[str, int]] = field(default_factory=list)  # its own bookmarks, set by assemble


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


# --------------------------------------------------------------------------- opening inputs
def _problem(part: Part, code: str, message: str, hint: str) -> Diagnostic:
    loc = part.location or Location(display_path(part.path))
    return Diagnostic(code, f"{message}：{display_path(part.path)}", loc, field=part.title, hint=hint)


def open_part(part: Part, inspect: bool = True) -> Pdf:
    """Open a part as a PDF (images become one-page PDFs); raise InputError naming the file.

    With *inspect*, a PDF whose pages do not all parse, or that was repaired and lost
    pages, is refused too (pdf/inspect_pdf.py).
    """
    path = part.path
    if not path.is_file():
        raise InputError(_problem(part, "P701", "文件不存在", "把文件放到该位置，或改正 unit.yaml 中的文件名。"))
    if path.stat().st_size == 0:
        raise InputError(_problem(part, "P702", "文件是空的（0 字节）", "重新扫描或导出该文件。"))
    kind = sniff(path)
    if kind == "image":
        return image_pdf(part)
    if kind is None:
        raise InputError(_problem(part, "P708", "不是 PDF 或图片文件（按文件内容判断）",
                                  "佐证材料请用 PDF 或 JPG/PNG 扫描件；Word 等文件先导出为 PDF。"))
    try:
        pdf = Pdf.open(path, password=part.password or "")
    except pikepdf.PasswordError:
        if part.password:
            raise InputError(_problem(part, "P704", "PDF 密码不正确", "核对 unit.yaml 中该材料的 password。"))
        raise InputError(_problem(part, "P703", "PDF 已加密，需要密码才能打开",
                                  "在 unit.yaml 该材料下加 password: 密码；或导出一份未加密的 PDF。"))
    except (pikepdf.PdfError, OSError) as exc:
        from docgen.pdf.inspect_pdf import cn_warning
        raise InputError(_problem(part, "P705", "PDF 文件已损坏，无法读取",
                                  f"重新导出或扫描该文件（{cn_warning(str(exc))}）。"))
    if inspect and part.copy:  # attachments (documents docgen converted itself are trusted)
        from docgen.pdf.inspect_pdf import pdf_problems

        errors = [d for d in pdf_problems(pdf, path, part.location, part.title) if d.severity == "error"]
        if errors:
            pdf.close()
            raise InputError(errors)
    return pdf


def sniff(path: Path) -> str | None:
    """Return "pdf" or "image" from a file's first bytes (names lie: a scan saved as .pdf, a PDF as .jpg)."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")):
        return "image"
    if b"%PDF-" in head:
        return "pdf"
    return "pdf" if path.suffix.lower() == ".pdf" else None  # let the PDF reader say how it is broken


def image_pdf(part: Part) -> Pdf:
    """Return a one-page PDF of a scan: EXIF rotation applied, CMYK/palette made RGB, JPEG kept when possible."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(part.path) as im:
            im.load()
            orientation = im.getexif().get(0x0112, 1)
            dpi = im.info.get("dpi")
            raw_ok = im.format == "JPEG" and im.mode in ("RGB", "L") and orientation in (1, None)
            if raw_ok:
                data, mode, size = part.path.read_bytes(), im.mode, im.size
            else:
                im = ImageOps.exif_transpose(im)
                if im.mode in ("RGBA", "LA", "P", "PA"):
                    im = im.convert("RGBA")
                    flat = Image.new("RGB", im.size, "white")
                    flat.paste(im, mask=im.split()[-1])
                    im = flat
                elif im.mode not in ("RGB", "L"):
                    im = im.convert("RGB")  # CMYK, 1-bit, 16-bit …
                buf = io.BytesIO()
                im.save(buf, "JPEG", quality=90, optimize=False)
                data, mode, size = buf.getvalue(), im.mode, im.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(_problem(part, "P706", "图片无法读取（文件损坏或格式不支持）",
                                  f"重新扫描为 JPG 或 PNG（{exc}）。"))
    width, height = size
    sheet = (A4[0], A4[1])
    if dpi and dpi[0] and dpi[1] and dpi[0] > 1:
        w_pt, h_pt = width * 72 / float(dpi[0]), height * 72 / float(dpi[1])
        if w_pt > sheet[0] - 20 * MM or h_pt > sheet[1] - 20 * MM:  # larger than a page: fit it
            sheet = _a4_for(w_pt, h_pt)
            w_pt, h_pt = _fit(w_pt, h_pt, *sheet)
    else:  # no resolution recorded: a full-page scan, fitted to A4 in its own orientation
        sheet = _a4_for(width, height)
        w_pt, h_pt = _fit(width, height, *sheet)
    x, y = (sheet[0] - w_pt) / 2, (sheet[1] - h_pt) / 2
    pdf = Pdf.new()
    image = pikepdf.Stream(pdf, data)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height, image.BitsPerComponent = width, height, 8
    image.ColorSpace = Name.DeviceRGB if mode == "RGB" else Name.DeviceGray
    image.Filter = Name.DCTDecode
    page = pdf.add_blank_page(page_size=sheet)
    page.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.Contents = pdf.make_stream(f"q {w_pt:.3f} 0 0 {h_pt:.3f} {x:.3f} {y:.3f} cm /Im0 Do Q".encode())
    return pdf


# --------------------------------------------------------------------------- geometry
def _a4_for(width: float, height: float) -> tuple[float, float]:
    return (A4[1], A4[0]) if width > height else A4


def _fit(width: float, height: float, box_w: float, box_h: float) -> tuple[float, float]:
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """Return the visible box (TrimBox, else CropBox, else MediaBox) as x0, y0, x1, y1."""
    box = [float(v) for v in page.trimbox]
    return min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])


def _shown_size(page: pikepdf.Page) -> tuple[float, float, int]:
    x0, y0, x1, y1 = _box(page)
    w, h = x1 - x0, y1 - y0
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    if rotate in (90, 270):
        w, h = h, w
    return w, h, rotate


def _is_plain_a4(page: pikepdf.Page) -> bool:
    w, h, rotate = _shown_size(page)
    box = page.mediabox
    aw, ah = _a4_for(w, h)
    return (rotate == 0 and "/CropBox" not in page.obj and "/TrimBox" not in page.obj and abs(float(box[0])) < 0.01 and abs(float(box[1])) < 0.01
            and abs(w - aw) < SNAP and abs(h - ah) < SNAP)


Mapping = Callable[[float, float], tuple[float, float]]


def _identity(x: float, y: float) -> tuple[float, float]:
    return x, y


def overlay(page: pikepdf.Page, other: pikepdf.Page, name: Name, rect: Rectangle | None = None) -> None:
    """Draw *other* over *page* like pikepdf's ``Page.add_overlay``, under a fixed resource *name*.

    add_overlay picks a random name, so two builds would differ in their bytes.
    """
    formx = other.as_form_xobject()
    placed = page.add_resource(formx, Name.XObject, name)
    cs = page.calc_form_xobject_placement(formx, placed, rect or Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(cs, prepend=False)
    page.contents_coalesce()


def _fit_in_place(out: Pdf, index: int, sheets: Pdf, margin: float = 0.0) -> Mapping:
    """Make page *index* of *out* an A4 sheet: A4 pages stay as they are, others are drawn upright and
    scaled onto a new A4 sheet (landscape when the page reads landscape) that takes their place.

    Return the map from the old page's own coordinates to the sheet's.
    """
    page = out.pages[index]
    if _is_plain_a4(page):
        return _identity
    w, h, rotate = _shown_size(page)
    x0, y0, x1, y1 = _box(page)
    sheet_w, sheet_h = _a4_for(w, h)
    sheet = sheets.add_blank_page(page_size=(sheet_w, sheet_h))
    out.pages.insert(index, sheet)  # index < len(out.pages): the page to fit is there
    fw, fh = _fit(w, h, sheet_w - 2 * margin, sheet_h - 2 * margin)
    ox, oy = (sheet_w - fw) / 2, (sheet_h - fh) / 2
    # add_overlay turns the page into a form XObject with its /Rotate applied, so it is upright.
    overlay(out.pages[index], out.pages[index + 1], Name(f"/DgPage{index}"), Rectangle(ox, oy, ox + fw, oy + fh))
    del out.pages[index + 1]
    scale = fw / w

    def mapping(x: float, y: float) -> tuple[float, float]:
        if rotate == 90:
            u, v = y - y0, x1 - x
        elif rotate == 180:
            u, v = x1 - x, y1 - y
        elif rotate == 270:
            u, v = y1 - y, x - x0
        else:
            u, v = x - x0, y - y0
        return ox + u * scale, oy + v * scale
    return mapping


CATALOG_EXTRAS = ("/Outlines", "/StructTreeRoot", "/MarkInfo", "/PageLabels", "/OpenAction", "/Names",
                  "/Metadata", "/PageMode", "/AcroForm", "/Dests", "/Lang", "/ViewerPreferences")


def _base(sources: list[tuple[Part, Pdf]]) -> int | None:
    """Return the index of the largest PDF file among the parts: the output is built inside it, so its
    page contents are never copied and memory stays near the size of the inputs."""
    files = [(part.path.stat().st_size, i) for i, (part, _) in enumerate(sources)
             if part.path.suffix.lower() == ".pdf"]
    return max(files)[1] if files else None


# --------------------------------------------------------------------------- stamp places


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("(", "（").replace(")", "）").replace(":", "：")


Line = list[tuple[str, float, float, float, float]]  # characters: text, x0, y0, x1, y1 in page space


def find_places(path: Path, patterns: tuple[str, ...], password: str | None = None, plain: bool = False
                ) -> list[tuple[int, float, float, str]]:
    """Return (page index, centre x, centre y, matched text) for each stamp place found by its text.

    Coordinates are the page's own (its /Rotate not applied). The seal goes over
    what follows the label on its line (the unit's name on a cover:
    申报单位（公章）：河洛师范学院), or over the label itself when nothing follows.
    With *plain* (every page unrotated, boxes at the origin) poppler's pdftotext
    is used when installed — five times faster than pdfminer.six, the fallback.
    """
    pages = _lines_poppler(path, password) if plain else None
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


def _lines_poppler(path: Path, password: str | None) -> list[list[Line]] | None:
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
        height = float(page.get("height"))
        page_lines = []
        for line in page.iter(f"{ns}line"):
            chars = []
            for word in line.iter(f"{ns}word"):
                text = _fold(word.text or "")
                x0, x1 = float(word.get("xMin")), float(word.get("xMax"))
                y0, y1 = height - float(word.get("yMax")), height - float(word.get("yMin"))
                weights = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text]
                unit = (x1 - x0) / (sum(weights) or 1)
                x = x0
                for ch, w in zip(text, weights):
                    chars.append((ch, x, y0, x + w * unit, y1))
                    x += w * unit
            page_lines.append(chars)
        pages.append(page_lines)
    return pages


# --------------------------------------------------------------------------- images drawn on pages
def _seal_xobject(out: Pdf, path: Path) -> pikepdf.Stream:
    """Return the seal as an image XObject with its transparency as a soft mask."""
    from PIL import Image

    with Image.open(path) as im:
        im = im.convert("RGBA")
        rgb = im.convert("RGB").tobytes()
        alpha = im.getchannel("A").tobytes()
        width, height = im.size
    import zlib

    mask = pikepdf.Stream(out, zlib.compress(alpha, 6))
    mask.Type, mask.Subtype, mask.Width, mask.Height = Name.XObject, Name.Image, width, height
    mask.ColorSpace, mask.BitsPerComponent, mask.Filter = Name.DeviceGray, 8, Name.FlateDecode
    image = pikepdf.Stream(out, zlib.compress(rgb, 6))
    image.Type, image.Subtype, image.Width, image.Height = Name.XObject, Name.Image, width, height
    image.ColorSpace, image.BitsPerComponent, image.Filter = Name.DeviceRGB, 8, Name.FlateDecode
    image.SMask = mask
    return image


def _mark_xobject(out: Pdf, text: str) -> tuple[pikepdf.Stream, float]:
    """Return the watermark text as a light grey transparent image and its width/height ratio."""
    from PIL import Image, ImageDraw, ImageFont

    font = None
    for candidate in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                      "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                      "/usr/local/share/fonts/fandol/FandolHei-Regular.otf"):
        if Path(candidate).is_file():
            font = ImageFont.truetype(candidate, 64, index=2 if candidate.endswith(".ttc") else 0)
            break
    font = font or ImageFont.load_default()
    left, top, right, bottom = font.getbbox(text)
    width, height = right - left + 20, bottom - top + 20
    im = Image.new("LA", (width, height), (0, 0))
    ImageDraw.Draw(im).text((10 - left, 10 - top), text, font=font, fill=(150, 90))
    import zlib

    mask = pikepdf.Stream(out, zlib.compress(im.getchannel("A").tobytes()))
    mask.Type, mask.Subtype, mask.Width, mask.Height = Name.XObject, Name.Image, width, height
    mask.ColorSpace, mask.BitsPerComponent, mask.Filter = Name.DeviceGray, 8, Name.FlateDecode
    grey = pikepdf.Stream(out, zlib.compress(im.getchannel("L").tobytes()))
    grey.Type, grey.Subtype, grey.Width, grey.Height = Name.XObject, Name.Image, width, height
    grey.ColorSpace, grey.BitsPerComponent, grey.Filter = Name.DeviceGray, 8, Name.FlateDecode
    grey.SMask = mask
    return grey, width / height


def _draw(out: Pdf, page: pikepdf.Page, xobjects: dict[Name, pikepdf.Stream], ops: list[str]) -> None:
    if not ops:
        return
    resources = page.obj.get("/Resources")
    if resources is None:
        page.obj.Resources = resources = Dictionary()
    if "/XObject" not in resources:
        resources.XObject = Dictionary()
    for name, obj in xobjects.items():
        resources.XObject[name] = obj
    page.contents_add(out.make_stream(("\n".join(ops)).encode()), prepend=False)


def _numbers_pdf(sizes: list[tuple[float, float]], first_numbered: int) -> Pdf:
    """Return a PDF whose pages carry only the page numbers "— n —" at the foot, centred."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Times-Roman"
    for path in ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
                 "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"):
        if Path(path).is_file():
            if "DgNumber" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DgNumber", path))
            font = "DgNumber"
            break
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pageCompression=1, invariant=1, initialFontName=font, initialFontSize=14)
    for i, (w, h) in enumerate(sizes):
        c.setPageSize((w, h))
        if i >= first_numbered:
            c.setFont(font, 14)  # 4号
            c.drawCentredString(w / 2, 14 * MM, f"\u2014 {i - first_numbered + 1} \u2014")
        c.showPage()
    c.save()
    buf.seek(0)
    return Pdf.open(buf)


# --------------------------------------------------------------------------- the whole
def assemble(parts: list[Part], stamping: Stamping, toc_maker: TocMaker | None = None,
             title: str = "") -> tuple[Pdf, Assembled]:
    """Return the submission PDF (not yet saved) and what went where; raise InputError for every bad part."""
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

    headings = {i: _headings(src) for i, (part, src) in enumerate(sources) if not part.copy}
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
        for page in (range(base_count) if i == base else list(src.pages)):
            if i != base:
                if pos == len(out.pages):
                    out.pages.append(page)
                else:
                    out.pages.insert(pos, page)
            mappings.append(_fit_in_place(out, pos, sheets))
            pos += 1
        ranges.append((part, first, pos - 1))
        part.headings = [(title, first + index) for title, index in headings.get(i, [])]

    # Table of contents, unnumbered, in front; printed numbers start at 1 on the first part.
    toc_pages = 0
    if toc_maker is not None:
        entries = _toc_entries(ranges)
        toc = Pdf.open(toc_maker(entries))
        toc_pages = len(toc.pages)
        for i, page in enumerate(toc.pages):
            out.pages.insert(i, page)
        ranges = [(p, a + toc_pages, b + toc_pages) for p, a, b in ranges]

    info = Assembled(pages=len(out.pages), toc_pages=toc_pages, ranges=ranges)
    sizes = [_shown_size(p)[:2] for p in out.pages]

    if stamping.page_numbers:
        numbers = _numbers_pdf(sizes, toc_pages)
        for i in range(toc_pages, len(out.pages)):
            overlay(out.pages[i], numbers.pages[i], Name(f"/DgNumber{i}"))  # resources may be shared

    ops: dict[int, list[str]] = {}
    xobjects: dict[Name, pikepdf.Stream] = {}
    if stamping.seal_image is not None:
        seal = _seal_xobject(out, stamping.seal_image)
        xobjects[SEAL_NAME] = seal
        d = stamping.diameter_mm * MM
        for part, first, _last in ranges:
            if part.copy:
                continue
            plain = all(mappings[i] is _identity for i in range(first - toc_pages, _last - toc_pages + 1))
            for index, cx, cy, _text in find_places(part.path, stamping.places, part.password, plain):
                page = first + index
                cx, cy = mappings[page - toc_pages](cx, cy)
                ops.setdefault(page, []).append(f"q {d:.2f} 0 0 {d:.2f} {cx - d / 2:.2f} {cy - d / 2:.2f} cm "
                                                f"{SEAL_NAME} Do Q")
                info.seals.append((page, cx, cy))
        if stamping.stamp_copies:
            for part, first, last in ranges:
                if not part.copy:
                    continue
                for page in range(first, last + 1):
                    w, h = sizes[page]
                    cx, cy = w - 25 * MM - d / 2, 35 * MM + d / 2
                    ops.setdefault(page, []).append(f"q {d:.2f} 0 0 {d:.2f} {cx - d / 2:.2f} {cy - d / 2:.2f} cm "
                                                    f"{SEAL_NAME} Do Q")
                    info.seals.append((page, cx, cy))
        if stamping.riding_seal and len(out.pages) > 1:
            n = len(out.pages)
            strip = d / n
            for page, (w, h) in enumerate(sizes):
                left = w - (page + 1) * strip  # the seal's left edge, so that slice `page` meets the edge
                y = h / 2 - d / 2
                ops.setdefault(page, []).append(
                    f"q {w - strip:.3f} 0 {strip:.3f} {h:.3f} re W n "
                    f"{d:.2f} 0 0 {d:.2f} {left:.3f} {y:.2f} cm {SEAL_NAME} Do Q")
    if stamping.watermark:
        mark, ratio = _mark_xobject(out, stamping.watermark)
        xobjects[MARK_NAME] = mark
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
    for page, page_ops in ops.items():
        _draw(out, out.pages[page], xobjects, page_ops)

    _outline(out, ranges, toc_pages)
    if title:
        out.docinfo[Name.Title] = title
    return out, info


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
