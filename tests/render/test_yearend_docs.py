"""Open the built year-end documents: 公文 headings and styles, figure tables, cases, author sheets, 报送清单."""

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

from docgen.errors import Collector
from docgen.yearend.load import read_markdown
from tests.conftest import UNIT_A, files_under, run

OUT = Path(UNIT_A) / "henan-2023-xiangmu-zongjie/2023-国培"
CASES = Path("data/units") / UNIT_A / "reports/2023-国培/cases"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from tests.conftest import ROOT
    root = tmp_path_factory.mktemp("ye")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "report", "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    return root


def test_outputs_listed(built):
    files = files_under(built / "build" / OUT)
    assert "绩效自评报告.docx" in files and "报送清单.xlsx" in files
    assert len([f for f in files if f.startswith("典型工作案例-")]) == 1
    assert len([f for f in files if f.startswith("教师成长案例-")]) == 10
    assert len([f for f in files if f.startswith("教师成长案例作者信息-")]) == 10


def test_self_report_has_gongwen_structure(built):
    doc = Document(built / "build" / OUT / "绩效自评报告.docx")
    title = doc.paragraphs[0]
    assert title.text == "河洛师范学院2023年“国培计划”项目绩效自评报告" and title.style.name == "Title"
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["一、整体培训情况与取得的成效", "二、主要举措、经验和亮点", "三、存在问题和对策分析",
                  "四、经费使用管理与绩效评价", "五、项目后续实施的安排与设想"]
    assert "（一）整体培训情况" in [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    body = [p for p in doc.paragraphs if p.style.name == "正文首行缩进"]
    assert body and body[0].text.startswith("根据《河南省教育厅办公室关于做好")
    assert body[0].style.paragraph_format.first_line_indent == Pt(32)
    assert len([p for p in doc.paragraphs if p.style.name == "List Number"]) == 3
    assert len([p for p in doc.paragraphs if p.style.name == "List Bullet"]) == 2
    assert "{{" not in doc.element.body.xml and "【表：" not in doc.element.body.xml


def test_figure_tables_come_from_report_yaml(built):
    doc = Document(built / "build" / OUT / "绩效自评报告.docx")
    trainees, money, detail = doc.tables
    assert [c.text for c in trainees.rows[0].cells] == ["序号", "项目名称", "计划人数", "实际参训", "结业人数",
                                                        "参训率", "结业率"]
    assert [c.text for c in trainees.rows[-1].cells] == ["合计", "", "150", "148", "146", "98.7%", "98.6%"]
    assert [c.text for c in money.rows[-1].cells] == ["合计", "", "450,000", "436,600", "97.0%"]
    assert [c.text for c in detail.rows[1].cells] == ["1", "专家授课费", "168,000", "38.5%"]
    assert detail.rows[-1].cells[2].text == "436,600"


def test_growth_case_and_author_sheet(built):
    out = built / "build" / OUT
    case = Document(next(out.glob("教师成长案例-02-王建军-*.docx")))
    assert case.paragraphs[0].text == "一张问题清单，改变了我的数学课"
    assert case.paragraphs[1].text == "嵩县田湖镇中心小学　王建军" and case.paragraphs[1].style.name == "署名"
    # The case's top headings are ## under the title: they become 一级标题 (Heading 1, 黑体).
    assert "一、我以为自己没有问题" in [p.text for p in case.paragraphs if p.style.name == "Heading 1"]
    sheet = Document(out / "教师成长案例作者信息-02-王建军.docx")
    rows = {r.cells[0].text: r.cells[1].text for r in sheet.tables[0].rows}
    collector = Collector()
    md = read_markdown(built / CASES / "成长案例-02-王建军.md", collector)
    words = md.words("一张问题清单，改变了我的数学课")
    assert rows == {"文章标题": "一张问题清单，改变了我的数学课", "作者真实姓名": "王建军",
                    "单位": "嵩县田湖镇中心小学", "职务/职称": "教导主任/高级教师", "邮箱": "wangjj@example.cn",
                    "电话": "13837911202", "项目类别": "国培", "字数": str(words)}
    assert 2000 <= words <= 3000


def test_submission_list(built):
    ws = load_workbook(built / "build" / OUT / "报送清单.xlsx").active
    assert ws["A1"].value == "2023年河南省教师培训项目典型案例报送清单"
    assert ws["A2"].value.startswith("报送单位（盖章）：河洛师范学院")
    assert [ws.cell(3, c).value for c in range(1, 9)] == ["序号", "项目类别", "案例类型", "标题", "作者", "作者单位",
                                                          "字数", "职务/职称"]
    rows = [[ws.cell(r, c).value for c in range(1, 9)] for r in range(4, 15)]
    assert [r[0] for r in rows] == list(range(1, 12))
    assert rows[0][2] == "典型工作案例" and rows[0][6] == 1071
    assert all(r[2] == "教师成长案例" and r[1] == "国培" for r in rows[1:])
    assert rows[2][3:5] == ["一张问题清单，改变了我的数学课", "王建军"]
    assert ws.cell(15, 1).value is None


def test_build_twice_gives_identical_bytes(built, tmp_path):
    assert run(built, "report", "build", "--no-pdf", "--out", str(tmp_path / "b")).exit_code == 0
    for rel in files_under(built / "build"):
        assert (built / "build" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


@pytest.mark.lo
def test_self_report_pdf_looks_like_a_gongwen(built, tmp_path):
    from docgen.pdf.convert import convert_batch
    src = tmp_path / "r.docx"
    src.write_bytes((built / "build" / OUT / "绩效自评报告.docx").read_bytes())
    pdf = convert_batch([src])[src]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "pts (A4)" in info and "python-docx" not in info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    for face in ("FandolFang", "FandolKai", "NotoSansCJK", "NotoSerifCJK"):  # 仿宋, 楷体, 黑体, 小标宋
        assert face in fonts, fonts
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "自评报告" in text and "五、项目后续实施的安排与设想" in text
    assert re.search(r"—\s*1\s*—", text) and "〔缺少图片" not in text


def test_unplaced_figure_tables_are_appended(project):
    from tests.conftest import edit
    report = project / "data/units" / UNIT_A / "reports/2023-国培/绩效自评报告.md"
    edit(report, "【表：经费支出明细】\n", "")
    assert run(project, "report", "build", "--no-pdf").exit_code == 0
    doc = Document(project / "build" / OUT / "绩效自评报告.docx")
    assert len(doc.tables) == 3
    assert doc.tables[-1].rows[0].cells[1].text == "支出科目"
    body = list(doc.element.body)
    last_heading = next(p for p in doc.paragraphs if p.text == "五、项目后续实施的安排与设想")
    assert body.index(doc.tables[-1]._tbl) > body.index(last_heading._p)  # at the end, after part five


def test_word_count_of_the_docx_matches_the_check(built):
    from docgen.text import count_words
    out = built / "build" / OUT
    for path in sorted(out.glob("教师成长案例-0*.docx"))[:3]:
        doc = Document(path)
        texts = [p.text for i, p in enumerate(doc.paragraphs) if i != 1]  # all but the byline
        who = path.name.split("-")[2]
        sheet = Document(out / f"教师成长案例作者信息-{path.name.split('-')[1]}-{who}.docx")
        words = {r.cells[0].text: r.cells[1].text for r in sheet.tables[0].rows}["字数"]
        assert sum(count_words(t) for t in texts) == int(words), path.name


def test_draft_build_marks_files(project):
    from tests.conftest import edit
    edit(project / "data/units" / UNIT_A / "reports/2023-国培/绩效自评报告.md", "# 五、项目后续实施的安排与设想",
         "# 五、其他")
    result = run(project, "report", "build", "--no-pdf", "--draft")
    assert result.exit_code == 1 and "不得报送" in result.stderr
    doc = Document(project / "build" / OUT / "绩效自评报告-草稿.docx")
    assert doc.paragraphs[0].text.startswith("【草稿】")
    assert (project / "build" / OUT / "报送清单-草稿.xlsx").is_file()
