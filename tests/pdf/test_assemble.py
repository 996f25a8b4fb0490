"""Assembling a submission from small generated PDFs and scans: order, A4 fitting, numbers, seals, bad inputs."""

from __future__ import annotations

import pikepdf
import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LAParams, LTChar, LTTextContainer
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from docgen.errors import InputError
from docgen.pdf.assemble import MM, Part, Stamping, TocEntry, assemble, find_places
from tests.pdf.fixtures import (
    A4,
    A4_LANDSCAPE,
    encrypt,
    make_jpeg,
    make_pdf,
    make_seal,
    placements,
    rotate_pages,
)


def save(pdf: pikepdf.Pdf, path):
    pdf.save(path, encryption=False)
    pdf.close()
    return path


def all_chars(obj):
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from all_chars(child)


def number_boxes(path):
    """Return, per page, the text and box of the line holding "— n —"."""
    def boxes(obj):
        if isinstance(obj, LTTextContainer):
            yield obj
        elif hasattr(obj, "__iter__") and not isinstance(obj, LTChar):
            for child in obj:
                yield from boxes(child)

    out = []
    for layout in extract_pages(str(path), laparams=LAParams(all_texts=True)):
        hits = [(b.get_text().strip(), b.bbox) for b in boxes(layout) if "—" in b.get_text()]
        assert len(hits) <= 1
        out.append(hits[0] if hits else None)
    return out


@pytest.fixture
def seal(tmp_path):
    return make_seal(tmp_path / "seal.png")


@pytest.fixture
def doc(tmp_path):
    """A two-page 'document': the cover asks for the seal after its label, page 2 in the opinion box."""
    return make_pdf(tmp_path / "doc.pdf", [
        [(100, 700, "申报单位（公章）：测试学院"), (100, 650, "申报项目名称：测试项目")],
        [(100, 500, "申请单位意见"), (400, 300, "(单位公章)")],
    ])


def test_parts_in_order_with_numbers_bookmarks_and_ranges(tmp_path, doc, seal):
    plan = make_pdf(tmp_path / "plan.pdf", [[(100, 700, "实施方案")]] * 3)
    licence = make_pdf(tmp_path / "licence.pdf", [[(100, 700, "营业执照")]])
    scan = make_jpeg(tmp_path / "id.jpg", size=(620, 877))
    parts = [Part("项目申报书", doc), Part("项目实施方案", plan),
             Part("营业执照副本", licence, copy=True, group="佐证资料"),
             Part("被授权人身份证明", scan, copy=True, group="佐证资料")]
    seen: list[TocEntry] = []

    def toc_maker(entries):
        seen.extend(entries)
        return make_pdf(tmp_path / "toc.pdf", [[(100, 700, "目录")]])

    pdf, info = assemble(parts, Stamping(seal_image=seal), toc_maker)
    out = save(pdf, tmp_path / "out.pdf")

    reader = PdfReader(out)
    assert len(reader.pages) == 1 + 2 + 3 + 1 + 1 == info.pages
    titles = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline
              if not isinstance(item, list)]
    assert titles == [("目录", 0), ("项目申报书", 1), ("项目实施方案", 3), ("佐证资料", 6)]
    children = [(i.title, reader.get_destination_page_number(i)) for i in reader.outline[-1]]
    assert children == [("营业执照副本", 6), ("被授权人身份证明", 7)]
    assert [(e.title, e.first, e.last, e.level) for e in seen] == [
        ("项目申报书", 1, 2, 0), ("项目实施方案", 3, 5, 0), ("佐证资料", 6, 7, 0),
        ("营业执照副本", 6, 6, 1), ("被授权人身份证明", 7, 7, 1)]
    numbers = number_boxes(out)
    assert numbers[0] is None  # the table of contents is not numbered
    for i, (text, (x0, y0, x1, _y1)) in enumerate(numbers[1:], start=1):
        assert text == f"— {i} —"
        assert abs((x0 + x1) / 2 - A4[0] / 2) < 2 and y0 < 20 * MM  # centred at the foot


def test_seal_over_each_stamp_place_by_text(tmp_path, doc, seal):
    pdf, info = assemble([Part("项目申报书", doc)], Stamping(seal_image=seal, riding_seal=False))
    out = save(pdf, tmp_path / "out.pdf")
    d = 42 * MM
    with pikepdf.open(out) as result:
        cover = placements(result.pages[0], "/DgSeal")
        opinion = placements(result.pages[1], "/DgSeal")
    # Cover: over the unit's name that follows 申报单位（公章）： (x 208–256 pt, baseline 700).
    assert len(cover) == 1
    x, y, w, h, clip = cover[0]
    assert w == pytest.approx(d, abs=0.1) and h == pytest.approx(d, abs=0.1) and clip is None
    assert x + w / 2 == pytest.approx(232, abs=2) and 695 < y + h / 2 < 712
    # Opinion box: the half-width "(单位公章)" is matched too, the seal centred on it.
    assert len(opinion) == 1
    x, y, w, h, _ = opinion[0]
    width = pdfmetrics.stringWidth("(单位公章)", "STSong-Light", 12)
    assert x + w / 2 == pytest.approx(400 + width / 2, abs=1) and 295 < y + h / 2 < 312
    assert sorted(p for p, _, _ in info.seals) == [0, 1]


def test_seal_over_the_name_in_the_next_cell(tmp_path, seal):
    # 单位（盖章） in one table cell, the unit's name in the next: the seal covers the name.
    doc = make_pdf(tmp_path / "d.pdf", [[(100, 500, "单位（盖章）"), (260, 500, "测试学院"), (100, 300, "（单位公章）")]])
    found = sorted(find_places(doc, ("单位（盖章）", "（单位公章）")), key=lambda f: -f[2])
    assert [t for *_, t in found] == ["单位（盖章）", "（单位公章）"]
    assert found[0][1] == pytest.approx(260 + 24, abs=1)  # centre of 测试学院 (4 × 12 pt)
    assert found[1][1] == pytest.approx(100 + 36, abs=1)  # nothing beside it: over the label


def test_seal_diameter_from_data_and_pages_without_place_unstamped(tmp_path, seal):
    plain = make_pdf(tmp_path / "plain.pdf", [[(100, 700, "一、基本情况")]])
    pdf, _ = assemble([Part("申报书", plain)], Stamping(seal_image=seal, diameter_mm=38, riding_seal=False))
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        assert placements(result.pages[0], "/DgSeal") == []
    doc = make_pdf(tmp_path / "doc.pdf", [[(100, 700, "单位（盖章）")]])
    pdf, _ = assemble([Part("申报书", doc)], Stamping(seal_image=seal, diameter_mm=38, riding_seal=False))
    out = save(pdf, tmp_path / "out2.pdf")
    with pikepdf.open(out) as result:
        (_, _, w, _, _), = placements(result.pages[0], "/DgSeal")
    assert w == pytest.approx(38 * MM, abs=0.1)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_seal_follows_the_text_on_rotated_and_resized_pages(tmp_path, seal, rotate):
    # A Letter page, maybe shown rotated: the seal must still land on the unit's name as the reader sees it.
    src = make_pdf(tmp_path / "doc.pdf", [[(100, 600, "申报单位（公章）：测试学院")]], size=(612, 792))
    if rotate:
        rotate_pages(src, rotate)
    pdf, info = assemble([Part("申报书", src)], Stamping(seal_image=seal, riding_seal=False, page_numbers=False))
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        (x, y, w, h, _), = placements(result.pages[0], "/DgSeal")
    name = [c for c in all_chars(list(extract_pages(str(out)))[0]) if c.get_text() in "测试学院"]
    assert len(name) == 4
    cx = (min(c.x0 for c in name) + max(c.x1 for c in name)) / 2
    cy = (min(c.y0 for c in name) + max(c.y1 for c in name)) / 2
    assert x + w / 2 == pytest.approx(cx, abs=2) and y + h / 2 == pytest.approx(cy, abs=2)


def test_riding_seal_strips_meet_the_right_edge(tmp_path, seal):
    pages = 5
    body = make_pdf(tmp_path / "body.pdf", [[(100, 700, f"第{i}页")] for i in range(pages)])
    pdf, _ = assemble([Part("申报书", body)], Stamping(seal_image=seal))
    out = save(pdf, tmp_path / "out.pdf")
    d = 42 * MM
    strip = d / pages
    with pikepdf.open(out) as result:
        for i, page in enumerate(result.pages):
            (x, y, w, h, clip), = placements(page, "/DgSeal")
            cx, cy, cw, ch = clip
            assert cx + cw == pytest.approx(A4[0], abs=0.01) and cw == pytest.approx(strip, abs=0.01)
            # slice i of the seal (from its left) lies in the strip: the strips, stacked, make the whole seal
            assert cx - x == pytest.approx(i * strip, abs=0.01)
            assert y + h / 2 == pytest.approx(A4[1] / 2, abs=0.5)


def test_copies_get_seal_and_watermark_documents_do_not(tmp_path, doc, seal):
    licence = make_pdf(tmp_path / "licence.pdf", [[(100, 700, "营业执照")]] * 2)
    stamping = Stamping(seal_image=seal, riding_seal=False, watermark="仅供测试项目申报使用")
    pdf, _ = assemble([Part("申报书", doc), Part("营业执照副本", licence, copy=True)], stamping)
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        assert all(not placements(result.pages[i], "/DgMark") for i in (0, 1))
        for i in (2, 3):
            assert len(placements(result.pages[i], "/DgMark")) == 1
            (x, y, w, h, _), = placements(result.pages[i], "/DgSeal")
            assert x + w > A4[0] - 30 * MM and y < 100 * MM  # lower right corner


def test_landscape_kept_and_rotate_honoured(tmp_path):
    wide = make_pdf(tmp_path / "wide.pdf", [[(100, 300, "横向")]], size=A4_LANDSCAPE)
    # A portrait page shown rotated by /Rotate 90 is landscape to the reader.
    turned = rotate_pages(make_pdf(tmp_path / "turned.pdf", [[(100, 700, "旋转")]]), 90)
    letter = make_pdf(tmp_path / "letter.pdf", [[(72, 700, "Letter")]], size=(612, 792))
    pdf, _ = assemble([Part("a", wide), Part("b", turned), Part("c", letter)], Stamping())
    out = save(pdf, tmp_path / "out.pdf")
    reader = PdfReader(out)
    shapes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height)), p.get("/Rotate", 0))
              for p in reader.pages]
    assert shapes == [(842, 595, 0), (842, 595, 0), (595, 842, 0)]
    # Page numbers at the foot of the page as read: centred on the landscape width.
    numbers = number_boxes(out)
    for i, (text, (x0, y0, x1, _y1)) in enumerate(numbers):
        width = A4_LANDSCAPE[0] if i < 2 else A4[0]
        assert text == f"— {i + 1} —" and abs((x0 + x1) / 2 - width / 2) < 2 and y0 < 20 * MM
    # /Rotate 90 is baked in: the text runs down the page as the reader saw it, inside the landscape sheet.
    layout = list(extract_pages(str(out)))[1]
    chars = [c for c in all_chars(layout) if c.get_text() in "旋转"]
    assert len(chars) == 2
    for c in chars:
        a, b = c.matrix[0], c.matrix[1]
        assert abs(b) > 5 * abs(a)  # rotated a quarter turn
        assert 0 <= c.x0 <= A4_LANDSCAPE[0] and 0 <= c.y0 <= A4_LANDSCAPE[1]


def test_scans_cmyk_and_exif_rotation(tmp_path):
    cmyk = make_jpeg(tmp_path / "cmyk.jpg", size=(300, 400), mode="CMYK")
    # 400×200 pixels stored, EXIF says "rotate 90° clockwise": the reader sees 200×400, portrait.
    turned = make_jpeg(tmp_path / "turned.jpg", size=(400, 200), orientation=6)
    card = make_jpeg(tmp_path / "card.jpg", size=(1011, 638), dpi=(300, 300))  # an ID card at 300 dpi
    pdf, _ = assemble([Part("cmyk", cmyk, copy=True), Part("turned", turned, copy=True),
                       Part("card", card, copy=True)], Stamping())
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        shapes = [(round(float(p.mediabox[2])), round(float(p.mediabox[3]))) for p in result.pages]
        assert shapes == [(595, 842)] * 3
        found = []
        for obj in result.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                found.append((int(obj.Width), int(obj.Height), str(obj.ColorSpace)))
    assert (300, 400, "/DeviceRGB") in found
    assert (200, 400, "/DeviceRGB") in found
    assert (1011, 638, "/DeviceRGB") in found


def test_png_with_transparency_and_palette(tmp_path):
    from PIL import Image
    rgba = Image.new("RGBA", (300, 400), (0, 0, 255, 128))
    rgba.save(tmp_path / "a.png")
    Image.new("P", (500, 300), 3).save(tmp_path / "p.png")
    pdf, info = assemble([Part("a", tmp_path / "a.png", copy=True), Part("p", tmp_path / "p.png", copy=True)],
                         Stamping(page_numbers=False))
    out = save(pdf, tmp_path / "out.pdf")
    reader = PdfReader(out)
    assert [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages] == [
        (595, 842), (842, 595)]  # the wide palette image on a landscape sheet


def test_id_card_scan_keeps_its_physical_size(tmp_path):
    card = make_jpeg(tmp_path / "card.jpg", size=(1011, 638), dpi=(300, 300))
    pdf, _ = assemble([Part("card", card, copy=True)], Stamping(page_numbers=False))
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        (x, y, w, h, _), = placements(result.pages[0], "/Im0")
    # 1011 px at 300 dpi = 85.6 mm: drawn at that width, centred on the A4 sheet.
    assert w == pytest.approx(1011 / 300 * 72, rel=0.01)
    assert x + w / 2 == pytest.approx(A4[0] / 2, abs=1)


def test_encrypted_pdf_with_and_without_password(tmp_path):
    plain = make_pdf(tmp_path / "plain.pdf", [[(100, 700, "营业执照")]])
    locked = encrypt(plain, tmp_path / "locked.pdf", "s3cret")
    with pytest.raises(InputError) as err:
        assemble([Part("营业执照副本", locked, copy=True)], Stamping())
    (d,) = err.value.diagnostics
    assert d.code == "P703" and "PDF 已加密" in d.message and "locked.pdf" in d.message
    assert "password" in d.hint
    with pytest.raises(InputError) as err:
        assemble([Part("营业执照副本", locked, copy=True, password="wrong")], Stamping())
    assert err.value.diagnostics[0].code == "P704"
    pdf, info = assemble([Part("营业执照副本", locked, copy=True, password="s3cret")], Stamping())
    out = save(pdf, tmp_path / "out.pdf")
    assert "营业执照" in extract_text(str(out)) and info.pages == 1
    assert not PdfReader(out).is_encrypted


def test_bad_inputs_all_reported_and_named(tmp_path, seal):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\ntrailer garbage\n%%EOF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    broken_jpg = tmp_path / "broken.jpg"
    broken_jpg.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    parts = [Part("营业执照副本", corrupt, copy=True), Part("税务登记证", empty, copy=True),
             Part("组织机构代码证", tmp_path / "missing.pdf", copy=True), Part("身份证", broken_jpg, copy=True)]
    with pytest.raises(InputError) as err:
        assemble(parts, Stamping(seal_image=seal))
    by_code = {d.code: d for d in err.value.diagnostics}
    assert set(by_code) == {"P705", "P702", "P701", "P706"}
    assert "corrupt.pdf" in by_code["P705"].message and "损坏" in by_code["P705"].message
    assert "empty.pdf" in by_code["P702"].message and by_code["P702"].field == "税务登记证"
    assert "missing.pdf" in by_code["P701"].message
    assert "broken.jpg" in by_code["P706"].message


def test_file_type_is_taken_from_its_content(tmp_path):
    # a scan saved with a .pdf name, a PDF saved as .jpg, and a Word file among the attachments
    make_jpeg(tmp_path / "scan.jpg")
    (tmp_path / "scan.pdf").write_bytes((tmp_path / "scan.jpg").read_bytes())
    make_pdf(tmp_path / "real.pdf", [[(100, 700, "证明")]])
    (tmp_path / "real.jpg").write_bytes((tmp_path / "real.pdf").read_bytes())
    pdf, info = assemble([Part("a", tmp_path / "scan.pdf", copy=True), Part("b", tmp_path / "real.jpg", copy=True)],
                         Stamping())
    assert info.pages == 2
    (tmp_path / "letter.docx").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(InputError) as err:
        assemble([Part("授权书", tmp_path / "letter.docx", copy=True)], Stamping())
    assert err.value.diagnostics[0].code == "P708" and "letter.docx" in err.value.diagnostics[0].message


def test_find_places_prefers_longest_label(tmp_path):
    doc = make_pdf(tmp_path / "d.pdf", [[(100, 700, "申报单位（盖章）："), (100, 400, "单位（盖章）")]])
    found = find_places(doc, ("单位（盖章）", "申报单位（盖章）"))
    assert [(p, t) for p, _, _, t in found] == [(0, "申报单位（盖章）"), (0, "单位（盖章）")]
