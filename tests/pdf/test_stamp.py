"""Stamps that know what is on the page: page numbers clear of a scan's own footer, the seal on a copy
in the clearest spot near the bottom right (never over text, away from the scan's own seal)."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextLine
from PIL import Image, ImageDraw

from docgen.pdf.assemble import MM, Part, Stamping, assemble
from tests.pdf.fixtures import A4, make_pdf, make_seal, placements

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")


def save(pdf, path):
    pdf.save(path, encryption=False)
    pdf.close()
    return path


def text_boxes(path, page_no):
    """Return (text, (x0, y0, x1, y1)) of every text line on one page (0-based)."""
    def walk(obj):
        if isinstance(obj, LTTextLine):
            yield obj
        elif hasattr(obj, "__iter__"):
            for child in obj:
                yield from walk(child)
    for i, layout in enumerate(extract_pages(str(path), laparams=LAParams(all_texts=True))):
        if i == page_no:
            return [(line.get_text().strip(), line.bbox) for line in walk(layout)]
    return []


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture
def seal(tmp_path):
    return make_seal(tmp_path / "seal.png")


def test_number_never_over_a_scans_own_footer(tmp_path):
    # A report whose own footer sits exactly where "— n —" goes (14 mm up, centred).
    footer = make_pdf(tmp_path / "report.pdf", [[(100, 700, "项目绩效考评报告"), (A4[0] / 2 - 45, 40, "第 1 页 共 2 页")],
                                                [(100, 700, "考评结论"), (A4[0] / 2 - 45, 40, "第 2 页 共 2 页")]])
    pdf, _ = assemble([Part("绩效考评报告", footer, copy=True)], Stamping())
    out = save(pdf, tmp_path / "out.pdf")
    for page in (0, 1):
        lines = text_boxes(out, page)
        number = [box for text, box in lines if text.startswith("—")]
        own = [box for text, box in lines if text.startswith("第")]
        assert len(number) == 1 and len(own) == 1, lines
        assert not overlaps(number[0], own[0])
        assert abs((number[0][0] + number[0][2]) / 2 - A4[0] / 2) < 2  # still centred


def test_page_with_ink_down_to_its_edge_is_shrunk_into_a_band(tmp_path):
    # A scan printed edge to edge: a dark border and text lines all the way down the foot.
    im = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(im)
    draw.rectangle((20, 20, 1219, 1733), outline="black", width=6)
    for y in range(1500, 1730, 40):
        draw.rectangle((200, y, 1040, y + 14), fill="black")
    scan = tmp_path / "scan.png"
    im.save(scan)
    pdf, _ = assemble([Part("证书", scan, copy=True)], Stamping())
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        (x, y, a, d, _), = placements(result.pages[0], "/DgShrunk0")  # the page drawn as a form at scale a
        w, h = a * A4[0], d * A4[1]
        assert 0.85 < a < 1 and a == pytest.approx(d) and abs(x + w / 2 - A4[0] / 2) < 0.5 and y + h == pytest.approx(A4[1], abs=0.5)
    border = y + (1754 - 1733) / 1754 * h  # the scan's lowest ink (its border), once shrunk
    number = [box for text, box in text_boxes(out, 0) if text.startswith("—")]
    assert number and number[0][3] < border - 2  # the number lies in the blank band under the shrunk page


def test_seal_on_a_copy_avoids_text_and_table(tmp_path, seal):
    # A score table fills the bottom right where the seal usually goes; the space above it is blank.
    rows = [(330, 60 + 18 * i, f"项目{i}　　20　　19") for i in range(9)]
    rows += [(80, 760 - 18 * i, "根据项目管理有关规定，组织专家对承担的项目进行了绩效考评。") for i in range(8)]
    report = make_pdf(tmp_path / "report.pdf", [rows])
    pdf, _ = assemble([Part("绩效考评报告", report, copy=True)], Stamping(seal_image=seal, riding_seal=False))
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        (x, y, w, h, _), = placements(result.pages[0], "/DgSeal")
    cx, cy, r = x + w / 2, y + h / 2, w / 2
    for text, (x0, y0, x1, y1) in text_boxes(out, 0):
        if text.startswith("—"):
            continue
        nx, ny = min(max(cx, x0), x1), min(max(cy, y0), y1)  # the box's point nearest the centre
        assert (nx - cx) ** 2 + (ny - cy) ** 2 > (r * 0.9) ** 2, (text, (cx, cy))
    assert cx > A4[0] / 2  # still on the right half


def test_seal_on_a_copy_keeps_away_from_the_scans_own_seal(tmp_path, seal):
    # A scanned letter whose own red seal sits where docgen's seal would go.
    im = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(im)
    for y in range(200, 900, 50):
        draw.rectangle((150, y, 1090, y + 16), fill=(30, 30, 30))
    own = (1240 - 300, 1754 - 400)  # centre of the scan's seal, in pixels (150 dpi ≈ A4)
    draw.ellipse((own[0] - 120, own[1] - 120, own[0] + 120, own[1] + 120), outline=(220, 20, 20), width=14)
    scan = tmp_path / "letter.png"
    im.save(scan)
    pdf, _ = assemble([Part("授权书", scan, copy=True)], Stamping(seal_image=seal, riding_seal=False))
    out = save(pdf, tmp_path / "out.pdf")
    with pikepdf.open(out) as result:
        (x, y, w, h, _), = placements(result.pages[0], "/DgSeal")
    scale = A4[0] / 1240
    ox, oy = own[0] * scale, A4[1] - own[1] * scale
    distance = ((x + w / 2 - ox) ** 2 + (y + h / 2 - oy) ** 2) ** 0.5
    assert distance > 0.9 * (w / 2 + 120 * scale)  # the two seals do not overlap
    assert y + h / 2 < A4[1] / 2 - 40 * MM  # below the letter's text


def test_riding_seal_and_blank_pages_unaffected(tmp_path, seal):
    body = make_pdf(tmp_path / "body.pdf", [[(100, 700, "第一页")], [(100, 700, "第二页")]])
    pdf, _ = assemble([Part("营业执照", body, copy=True)], Stamping(seal_image=seal))
    out = save(pdf, tmp_path / "out.pdf")
    d = 42 * MM
    with pikepdf.open(out) as result:
        for i, page in enumerate(result.pages):
            assert not placements(page, f"/DgShrunk{i}")
            seals = placements(page, "/DgSeal")
            strip = [s for s in seals if s[4] is not None]
            corner = [s for s in seals if s[4] is None]
            assert len(strip) == 1 and strip[0][4][0] + strip[0][4][2] == pytest.approx(A4[0], abs=0.01)
            (x, y, w, h, _), = corner  # a blank page: the usual spot near the bottom right
            assert x + w == pytest.approx(A4[0] - 25 * MM, abs=4) and y == pytest.approx(35 * MM, abs=4)
            assert w == pytest.approx(d, abs=0.5)  # the default 42 mm seal, at full size on a blank page


def test_text_poppler_cannot_draw_is_measured_from_the_text_layer(tmp_path, monkeypatch):
    """Without poppler-data a CID font the PDF does not embed renders as nothing: its characters still count
    as ink (their boxes, read by pdfminer), so a seal never lands on that text."""
    import subprocess

    from docgen.pdf import stamp

    path = make_pdf(tmp_path / "a.pdf", [[(72, 700 - 20 * i, "复印件与原件一致，特此证明。" * 2) for i in range(20)]])

    class WithoutPopplerData(subprocess.Popen):
        def communicate(self, *args, **kwargs):  # what poppler prints when it cannot draw a font (and draws nothing)
            out, err = super().communicate(*args, **kwargs)
            return out, (err or b"") + b"Syntax Error: Missing language pack for 'Adobe-GB1' mapping"

    with pikepdf.open(path) as pdf:
        drawn = stamp.measure(pdf, [0])[0]
        monkeypatch.setattr(stamp.subprocess, "Popen", WithoutPopplerData)
        painted = stamp.measure(pdf, [0])[0]
    text = (72, 700 - 20 * 19, 72 + 12 * 28, 700 + 12)
    assert painted.box(*text) >= drawn.box(*text) > 0  # the boxes are painted full dark over what was drawn
    assert painted.box(0, 0, 60, 60) == drawn.box(0, 0, 60, 60) == 0  # blank paper stays blank


def test_a_long_bundle_rendered_by_two_poppler_processes_gives_the_same_ink(tmp_path, monkeypatch):
    from docgen.pdf import stamp

    pages = [[(72, 760 - 30 * (i % 20), f"第{i + 1}页：复印件与原件一致。")] for i in range(stamp.SPLIT_PAGES + 5)]
    path = make_pdf(tmp_path / "long.pdf", pages)
    with pikepdf.open(path) as pdf:
        wanted = list(range(len(pdf.pages)))
        split = stamp.measure(pdf, wanted)
        monkeypatch.setattr(stamp, "SPLIT_PAGES", 10_000)
        whole = stamp.measure(pdf, wanted)
    assert sorted(split) == sorted(whole) == wanted
    assert all(split[i].weights == whole[i].weights and (split[i].cols, split[i].rows) == (whole[i].cols, whole[i].rows)
               for i in wanted)
    assert split[0].box(72, 740, 300, 780) > 0  # the text of the first page is there


def test_a_failure_while_measuring_is_raised_in_the_caller_not_printed_by_the_thread(tmp_path, monkeypatch, capfd):
    from docgen.pdf import stamp

    path = make_pdf(tmp_path / "a.pdf", [[(72, 700, "复印件")]])

    def broken(*args):
        raise RuntimeError("poppler wrote a picture PIL cannot read")

    monkeypatch.setattr(stamp, "_measure_saved", broken)
    with pikepdf.open(path) as pdf, pytest.raises(RuntimeError, match="PIL cannot read"):
        stamp.measure(pdf, [0])
    assert "Exception in thread" not in capfd.readouterr().err
