"""Page geometry and what is drawn on pages: fitting to A4, overlays under fixed names, the seal,
the watermark and 公文-style page numbers."""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf, Rectangle

MM = 72 / 25.4
A4 = (595.276, 841.89)
SNAP = 3.0  # points: a page this close to A4 is taken as A4
SEAL_NAME = Name("/DgSeal")
MARK_NAME = Name("/DgMark")


def a4_for(width: float, height: float) -> tuple[float, float]:
    return (A4[1], A4[0]) if width > height else A4


def fit(width: float, height: float, box_w: float, box_h: float) -> tuple[float, float]:
    scale = min(box_w / width, box_h / height)
    return width * scale, height * scale


def box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    """Return the visible box (TrimBox, else CropBox, else MediaBox) as x0, y0, x1, y1."""
    box = [float(v) for v in page.trimbox]
    return min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])


def shown_size(page: pikepdf.Page) -> tuple[float, float, int]:
    x0, y0, x1, y1 = box(page)
    w, h = x1 - x0, y1 - y0
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    if rotate in (90, 270):
        w, h = h, w
    return w, h, rotate


def is_plain_a4(page: pikepdf.Page) -> bool:
    w, h, rotate = shown_size(page)
    box = page.mediabox
    aw, ah = a4_for(w, h)
    return (rotate == 0 and "/CropBox" not in page.obj and "/TrimBox" not in page.obj and abs(float(box[0])) < 0.01 and abs(float(box[1])) < 0.01
            and abs(w - aw) < SNAP and abs(h - ah) < SNAP)


Mapping = Callable[[float, float], tuple[float, float]]


def identity(x: float, y: float) -> tuple[float, float]:
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


def fit_in_place(out: Pdf, index: int, sheets: Pdf, margin: float = 0.0) -> Mapping:
    """Make page *index* of *out* an A4 sheet: A4 pages stay as they are, others are drawn upright and
    scaled onto a new A4 sheet (landscape when the page reads landscape) that takes their place.

    Return the map from the old page's own coordinates to the sheet's.
    """
    page = out.pages[index]
    if is_plain_a4(page):
        return identity
    w, h, rotate = shown_size(page)
    x0, y0, x1, y1 = box(page)
    sheet_w, sheet_h = a4_for(w, h)
    sheet = sheets.add_blank_page(page_size=(sheet_w, sheet_h))
    out.pages.insert(index, sheet)  # index < len(out.pages): the page to fit is there
    fw, fh = fit(w, h, sheet_w - 2 * margin, sheet_h - 2 * margin)
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



def seal_xobject(out: Pdf, path: Path) -> pikepdf.Stream:
    """Return the seal as an image XObject with its transparency as a soft mask."""
    from PIL import Image

    with Image.open(path) as opened:
        im = opened.convert("RGBA")
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


def mark_xobject(out: Pdf, text: str) -> tuple[pikepdf.Stream, float]:
    """Return the watermark text as a light grey transparent image and its width/height ratio."""
    from PIL import Image, ImageDraw, ImageFont

    font: ImageFont.FreeTypeFont | ImageFont.ImageFont | None = None
    for candidate in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                      "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
                      "/usr/local/share/fonts/fandol/FandolHei-Regular.otf"):
        if Path(candidate).is_file():
            font = ImageFont.truetype(candidate, 64, index=2 if candidate.endswith(".ttc") else 0)
            break
    font = font or ImageFont.load_default()
    left, top, right, bottom = font.getbbox(text)
    width, height = math.ceil(right - left) + 20, math.ceil(bottom - top) + 20
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


def draw(out: Pdf, page: pikepdf.Page, xobjects: dict[Name, pikepdf.Stream], ops: list[str]) -> None:
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


def numbers_pdf(sizes: list[tuple[float, float]], first_numbered: int,
                baselines: dict[int, float] | None = None) -> Pdf:
    """Return a PDF whose pages carry only the page numbers "— n —" at the foot, centred
    (14 mm up, or at the baseline *baselines* gives for a page whose usual line is taken)."""
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
            c.drawCentredString(w / 2, (baselines or {}).get(i, 14 * MM), f"\u2014 {i - first_numbered + 1} \u2014")
        c.showPage()
    c.save()
    buf.seek(0)
    return Pdf.open(buf)

