"""Small PDFs and images made on the fly for the assembly tests (reportlab, Pillow, pypdf)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

A4 = (595.276, 841.89)
A4_LANDSCAPE = (841.89, 595.276)


def _cjk() -> str:
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(path: Path, pages: list[list[tuple[float, float, str]]], size=A4, sizes=None) -> Path:
    """Write a PDF: each page is a list of (x, y, text) drawn in a CJK font at 12 pt."""
    c = canvas.Canvas(str(path), pagesize=size, invariant=1)
    font = _cjk()
    for i, lines in enumerate(pages):
        if sizes:
            c.setPageSize(sizes[i])
        c.setFont(font, 12)
        for x, y, text in lines:
            c.drawString(x, y, text)
        c.showPage()
    c.save()
    return path


def rotate_pages(path: Path, degrees: int) -> Path:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        for page in pdf.pages:
            page.obj.Rotate = degrees
        pdf.save(path)
    return path


def encrypt(path: Path, out: Path, password: str) -> Path:
    with pikepdf.open(path) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user=password, owner=password + "-owner", aes=True, R=6))
    return out


def make_jpeg(path: Path, size=(400, 200), mode="RGB", orientation: int | None = None, dpi=None) -> Path:
    colour = {"RGB": (200, 30, 30), "CMYK": (0, 200, 200, 0), "L": 128}[mode]
    im = Image.new(mode, size, colour)
    kwargs = {"quality": 85}
    if orientation:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    if dpi:
        kwargs["dpi"] = dpi
    im.save(path, "JPEG", **kwargs)
    return path


def make_seal(path: Path) -> Path:
    im = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    from PIL import ImageDraw
    ImageDraw.Draw(im).ellipse((4, 4, 196, 196), outline=(220, 0, 0, 255), width=10)
    im.save(path)
    return path


def placements(page: pikepdf.Page, name: str) -> list[tuple[float, float, float, float, tuple | None]]:
    """Return (x, y, width, height, clip) of every `Do` of XObject *name* on *page*, in page space.

    Only the operators docgen and reportlab use are tracked: q/Q, cm, re + W (clip rectangle).
    """
    found = []
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    clip = None
    stack = []
    pending_rect = None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "q":
            stack.append((ctm[:], clip))
        elif op == "Q":
            ctm, clip = stack.pop()
        elif op == "cm":
            a, b, c, d, e, f = map(float, operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F]
        elif op == "re":
            pending_rect = tuple(map(float, operands))
        elif op == "W":
            clip = pending_rect
        elif op == "Do" and str(operands[0]) == name:
            a, b, c, d, e, f = ctm
            found.append((e, f, a, d, clip))
    return found
