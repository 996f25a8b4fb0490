"""Opening the inputs of a submission: PDFs (maybe encrypted) and scanned images, sniffed by content."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name, Pdf

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.pdf.overlay import A4, MM, a4_for, fit

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")


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
            raise InputError(_problem(part, "P704", "PDF 密码不正确", "核对 unit.yaml 中该材料的 password。")) from None
        raise InputError(_problem(part, "P703", "PDF 已加密，需要密码才能打开",
                                  "在 unit.yaml 该材料下加 password: 密码；或导出一份未加密的 PDF。")) from None
    except (pikepdf.PdfError, OSError) as exc:
        from docgen.pdf.inspect_pdf import cn_warning
        raise InputError(_problem(part, "P705", "PDF 文件已损坏，无法读取",
                                  f"重新导出或扫描该文件（{cn_warning(str(exc))}）。")) from None
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
        with Image.open(part.path) as opened:
            im: Image.Image = opened
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
                                  f"重新扫描为 JPG 或 PNG（{exc}）。")) from None
    width, height = size
    sheet = (A4[0], A4[1])
    if dpi and dpi[0] and dpi[1] and dpi[0] > 1:
        w_pt, h_pt = width * 72 / float(dpi[0]), height * 72 / float(dpi[1])
        if w_pt > sheet[0] - 20 * MM or h_pt > sheet[1] - 20 * MM:  # larger than a page: fit it
            sheet = a4_for(w_pt, h_pt)
            w_pt, h_pt = fit(w_pt, h_pt, *sheet)
    else:  # no resolution recorded: a full-page scan, fitted to A4 in its own orientation
        sheet = a4_for(width, height)
        w_pt, h_pt = fit(width, height, *sheet)
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

