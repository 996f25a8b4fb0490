"""PDF through LibreOffice: Chinese text that extracts, CJK fonts embedded, the mapped faces used."""

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import CALL, UNIT_A, run

pytestmark = pytest.mark.lo


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing: run make test, which installs it")
    from tests.conftest import ROOT
    root = tmp_path_factory.mktemp("proj")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "build", "--unit", UNIT_A, "--call", CALL)
    assert result.exit_code == 0, result.output
    return root / "build" / UNIT_A / CALL


def fonts_of(pdf) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout


def test_shenbaoshu_pdf_text_and_fonts(pdfs):
    pdf = pdfs / "申报书-项目1-高中新高考培训项目.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 5
    text = "".join(page.extract_text() for page in reader.pages)
    assert "河洛师范学院" in text and "一、基本情况" in text and "五、申请单位意见" in text
    fonts = fonts_of(pdf)
    # 仿宋_GB2312 body text is set in the mapped Fangsong face, headings in the Hei/Song faces.
    assert "FandolFang" in fonts
    assert "NotoSansCJK" in fonts and "NotoSerifCJK" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line, f"font not embedded: {line}"
    # LibreOffice's outline from the Heading 1 paragraphs.
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[:5] == ["一、基本情况", "二、网络研修支持服务能力", "三、跟岗研修实施方案", "四、名师送教实施方案",
                          "五、申请单位意见"]


def test_huizongbiao_and_fangan_pdfs(pdfs):
    text = PdfReader(pdfs / "申报汇总表.pdf").pages[0].extract_text()
    assert "申报单位（盖章）：河洛师范学院" in text and "高中新高考培训项目" in text
    fangan = PdfReader(pdfs / "实施方案-项目1-高中新高考培训项目.pdf")
    assert "九、影子导师配备" in "".join(p.extract_text() for p in fangan.pages)
