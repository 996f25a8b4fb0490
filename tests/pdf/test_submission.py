"""The sample submission PDFs as a user gets them from `docgen pdf`: order, pages, bookmarks, numbers, seals."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer
from pypdf import PdfReader

from docgen.apply.pipeline import load
from docgen.apply.submission import ordered_attachments
from docgen.pdf.assemble import MM
from tests.conftest import CALL, ROOT, UNIT_A, UNIT_B, edit, files_under, run
from tests.pdf.fixtures import placements

SUB_A = f"{UNIT_A}/{CALL}/申报材料-项目1-高中新高考培训项目.pdf"


def pages_of(path) -> int:
    return len(PdfReader(path).pages)


def lines_of(layout):
    if isinstance(layout, LTTextContainer):
        yield from layout
    elif hasattr(layout, "__iter__") and not isinstance(layout, LTChar):
        for child in layout:
            yield from lines_of(child)


def test_attachment_order_follows_the_call_each_file_once(project):
    loaded = load(project, project / "data")
    call = loaded.calls[CALL]
    app = next(a for a in loaded.units[UNIT_A].applications if a.id == "luoyang-2026-1")
    a = [att.title for _, att in ordered_attachments(loaded.units[UNIT_A], call, app)]
    # 事业单位法人证书 serves three kinds but is bound once, at the place of the first (营业执照副本).
    assert a == ["事业单位法人证书", "法定代表人证明", "法定代表人授权书", "被授权人身份证明",
                 "2024年“国培计划”项目绩效考评报告", "2025年“市培计划”项目绩效考评证明"]
    app = next(a for a in loaded.units[UNIT_B].applications if a.id == "luoyang-2026-2")
    b = [att.title for _, att in ordered_attachments(loaded.units[UNIT_B], call, app)]
    assert b == ["营业执照副本", "法定代表人证明", "法定代表人授权书", "被授权人身份证明", "绩效考评报告"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("proj")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "build")  # documents, their PDFs and the submission PDFs
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.lo
class TestSample:
    def test_build_writes_one_submission_per_application(self, built):
        subs = {f for f in files_under(built / "build") if "申报材料" in f}
        assert subs == {
            SUB_A, f"{UNIT_B}/{CALL}/申报材料-项目2-义务教育新课程培训项目.pdf",
            f"{UNIT_A}/luoyang-2025-wangluo-yanxiu/申报材料-项目1-市直学校教师继续教育线上线下混合研修项目.pdf",
            f"{UNIT_A}/luoyang-2025-wangluo-yanxiu/申报材料-项目2-人工智能（智慧教育）培训.pdf",
            f"{UNIT_A}/henan-2024-chucai-xiangmu/申报材料-基于“UGS”深度协同的教师培训选育用评模式建设.pdf",
            "yichuan-jyj/henan-2024-chucai-xiangmu/申报材料-乡村首席教师工作室建设模式创新.pdf"}

    def test_henan_cover_seal_over_the_unit_name_beside_its_label(self, built):
        out = built / "build" / UNIT_A / "henan-2024-chucai-xiangmu" / \
            "申报材料-基于“UGS”深度协同的教师培训选育用评模式建设.pdf"
        cover = list(extract_pages(str(out), page_numbers=[1], laparams=LAParams()))[0]
        (line,) = [line for line in lines_of(cover) if "单位（盖章）" in line.get_text()]
        name = [c for c in line if isinstance(c, LTChar) and c.get_text() in "河洛师范学院"]
        assert "".join(c.get_text() for c in name) == "河洛师范学院"
        x0, x1 = name[0].x0, name[-1].x1
        y0, y1 = line.bbox[1], line.bbox[3]
        with pikepdf.open(out) as pdf:
            seals = [p for p in placements(pdf.pages[1], "/DgSeal") if p[4] is None]
        assert len(seals) == 1
        x, y, w, h, _ = seals[0]
        assert x0 - 1 <= x + w / 2 <= x1 + 1 and y0 - 2 <= y + h / 2 <= y1 + 2

    def test_pages_bookmarks_and_numbers(self, built):
        out = built / "build" / SUB_A
        att = built / "data/units" / UNIT_A / "attachments"
        reader = PdfReader(out)
        sizes = [pages_of(att / f) for f in ("事业单位法人证书（副本）.pdf", "法定代表人证明.pdf", "法定代表人授权书.pdf")]
        sizes += [1]  # the ID scan
        sizes += [pages_of(att / f) for f in ("2024年国培计划项目绩效考评报告.pdf", "2025年市培计划项目绩效考评证明.pdf")]
        docs = built / "build" / UNIT_A / CALL
        shenbaoshu = pages_of(docs / "申报书-项目1-高中新高考培训项目.pdf")
        fangan = pages_of(docs / "实施方案-项目1-高中新高考培训项目.pdf")
        assert len(reader.pages) == 1 + shenbaoshu + fangan + sum(sizes)
        top = [(i.title, reader.get_destination_page_number(i)) for i in reader.outline if not isinstance(i, list)]
        assert top == [("目录", 0), ("项目申报书", 1), ("项目实施方案", 1 + shenbaoshu),
                       ("佐证资料", 1 + shenbaoshu + fangan)]
        # the 申报书's own headings (LibreOffice's bookmarks) nest under its part, pointing into the merged PDF
        sections = [(i.title, reader.get_destination_page_number(i)) for i in reader.outline[2]]
        assert [t for t, _ in sections] == ["一、基本情况", "二、网络研修支持服务能力", "三、跟岗研修实施方案",
                                            "四、名师送教实施方案", "五、申请单位意见"]
        assert "五、申请单位意见" in reader.pages[sections[-1][1]].extract_text()
        children = [i.title for i in reader.outline[-1]]
        assert children == ["事业单位法人证书", "法定代表人证明", "法定代表人授权书", "被授权人身份证明",
                            "2024年“国培计划”项目绩效考评报告", "2025年“市培计划”项目绩效考评证明"]
        toc = reader.pages[0].extract_text().replace("\n", "")
        assert "目" in toc and "项目申报书" in toc and f"1—{shenbaoshu}" in toc
        assert "（作为营业执照副本、税务登记证、组织机构代码证）" in toc
        for n, page in enumerate(reader.pages[1:], start=1):
            assert page.extract_text().rstrip().endswith(f"— {n} —")
        # the landscape licence stays landscape
        licence = reader.pages[1 + shenbaoshu + fangan]
        assert float(licence.mediabox.width) > float(licence.mediabox.height)

    def test_seal_over_each_stamp_place(self, built):
        out = built / "build" / SUB_A
        d = 42 * MM
        places = {}
        for index, layout in enumerate(extract_pages(str(out), laparams=LAParams())):
            for line in lines_of(layout):
                text = line.get_text().replace("(", "（").replace(")", "）")
                for label in ("申报单位（公章）", "（单位公章）"):
                    if label in text:
                        places.setdefault(label, []).append((index, line.bbox))
        assert [p for p, _ in places["申报单位（公章）"]] == [1]  # the 申报书 cover
        assert len(places["（单位公章）"]) == 1
        with pikepdf.open(out) as pdf:
            for label, [(index, (x0, y0, x1, y1))] in places.items():
                seals = [s for s in placements(pdf.pages[index], "/DgSeal") if s[4] is None]  # not the 骑缝章
                assert len(seals) == 1, label
                x, y, w, h, _ = seals[0]
                assert w == pytest.approx(d, abs=0.1)
                assert x0 - 1 <= x + w / 2 <= x1 + 1 and y0 - 2 <= y + h / 2 <= y1 + 2, label
            # no seal on a 申报书 page without a stamp place
            assert [s for s in placements(pdf.pages[2], "/DgSeal") if s[4] is None] == []
            # every page: one 骑缝章 strip at the right edge, strips adding up to the whole seal
            n = len(pdf.pages)
            for i, page in enumerate(pdf.pages):
                strips = [s for s in placements(page, "/DgSeal") if s[4] is not None]
                assert len(strips) == 1
                x, y, w, h, (cx, cy, cw, ch) = strips[0]
                width = float(page.mediabox[2])
                assert cx + cw == pytest.approx(width, abs=0.01) and cw == pytest.approx(d / n, abs=0.01)
                assert cx - x == pytest.approx(i * d / n, abs=0.01)

    def test_fonts_embedded(self, built):
        import subprocess
        fonts = subprocess.run(["pdffonts", str(built / "build" / SUB_A)], capture_output=True, text=True).stdout
        ours = [line for line in fonts.splitlines()[2:] if "Helvetica" not in line]  # the sample scans' own
        assert ours and all(" yes " in line for line in ours)
        assert "FandolFang" in fonts


@pytest.mark.lo
def test_bad_attachments_named_and_nothing_written(project):
    att = project / "data/units" / UNIT_A / "attachments"
    (att / "法定代表人证明.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all")
    locked = att / "法定代表人授权书.pdf"
    with pikepdf.open(locked, allow_overwriting_input=True) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="1234", owner="x"))
    result = run(project, "pdf", "--unit", UNIT_A, "--call", CALL)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "错误[P705] 法定代表人证明: PDF 文件已损坏，无法读取" in result.stderr
    assert "错误[P703] 法定代表人授权书: PDF 已加密，需要密码才能打开" in result.stderr
    assert "unit.yaml:" in result.stderr
    assert files_under(project / "build") == set()
    # the password in the data opens it
    edit(project / "data/units" / UNIT_A / "unit.yaml", "file: attachments/法定代表人授权书.pdf",
         "file: attachments/法定代表人授权书.pdf\n    password: \"1234\"")
    (att / "法定代表人证明.pdf").write_bytes((ROOT / "samples/units" / UNIT_A / "attachments/法定代表人证明.pdf").read_bytes())
    result = run(project, "pdf", "--unit", UNIT_A, "--call", CALL)
    assert result.exit_code == 0, result.output
    assert files_under(project / "build") == {SUB_A}


@pytest.mark.lo
def test_poppler_and_pdfminer_find_the_same_places(built):
    from docgen.pdf.assemble import DEFAULT_PLACES, find_places

    out = built / "build" / SUB_A
    fast = find_places(out, DEFAULT_PLACES, plain=True)
    slow = find_places(out, DEFAULT_PLACES, plain=False)
    assert [(p, t) for p, _, _, t in fast] == [(p, t) for p, _, _, t in slow]
    assert len(fast) == 2
    for (_, x1, y1, _), (_, x2, y2, _) in zip(fast, slow):
        assert abs(x1 - x2) < 5 and abs(y1 - y2) < 5  # line boxes differ by a few points; the seal is 119 pt


@pytest.mark.lo
def test_draft_submission_carries_no_seal(project):
    edit(project / "data/units" / UNIT_A / "applications/luoyang-2026-1.yaml", "growth_cases: 24", "growth_cases: 10")
    assert run(project, "pdf", "--unit", UNIT_A, "--call", CALL).exit_code == 1
    assert files_under(project / "build") == set()  # refused without --draft
    result = run(project, "pdf", "--unit", UNIT_A, "--call", CALL, "--draft")
    assert result.exit_code == 1
    draft = SUB_A.replace(".pdf", "-草稿.pdf")
    assert files_under(project / "build") == {draft}
    with pikepdf.open(project / "build" / draft) as pdf:
        assert all(not placements(page, "/DgSeal") for page in pdf.pages)
        assert placements(pdf.pages[-1], "/DgMark")  # "草稿" across the copies
