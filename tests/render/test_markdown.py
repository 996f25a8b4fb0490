"""Markdown into Word: open the docx and check styles, indents, lists, runs, tables, images, footnotes."""

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from docgen.load.markdown import FigureTable, MarkdownText, plain_paragraphs
from docgen.render.docx import render_docx
from docgen.render.richtext import RichText

ROOT = Path(__file__).resolve().parents[2]
GONGWEN = ROOT / "templates/docx/reports/公文.docx"

SAMPLE = """# 一、整体情况

本项目**共培训** 150 人，*结业率* 98.7%。这一句
接着上一行。[^src]

## （一）培训规模

### 1．分学科

1. 语文班
2. 数学班

- 专家 & <讲座>
- 跟岗

1. 重新编号

**需求诊断精准化。**训前诊断，以**“问题清单”**驱动。

【表：培训人数】

| 学科 | 人数 |
|---|---|
| 语文 | 50 |

![图1 模块关系](pic.png)

![缺的图](nothing.png)

[^src]: 数据来源：河南省中小学教师专业发展平台。
"""


@pytest.fixture
def rendered(tmp_path):
    Image.new("RGB", (400, 200), "white").save(tmp_path / "pic.png")
    md = MarkdownText(SAMPLE, tmp_path, "x.md")
    table = FigureTable("表1　培训人数情况", ["序号", "项目名称", "人数"], [[1, "语文", 50], ["合计", "", 50]])
    ctx = {"title": "测试标题", "byline": "河洛师范学院", "draft": False, "signoff": None,
           "body": RichText(md, tables={"培训人数": table})}
    data = render_docx(GONGWEN, ctx)
    return Document(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(data))


def paras(doc):
    return [p for p in doc.paragraphs if p.text.strip() or p.runs]


def by_text(doc, start):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def test_headings_and_body_use_template_styles(rendered):
    doc, _ = rendered
    assert by_text(doc, "一、整体情况").style.name == "Heading 1"
    assert by_text(doc, "（一）培训规模").style.name == "Heading 2"
    assert by_text(doc, "1．分学科").style.name == "Heading 3"
    body = by_text(doc, "本项目")
    assert body.style.name == "正文首行缩进"
    assert body.style.paragraph_format.first_line_indent == Pt(32)  # two 三号 characters
    # A soft line break between two Chinese lines joins them without a space.
    assert "这一句接着上一行。" in body.text


def test_bold_italic_runs_and_cjk_punctuation_emphasis(rendered):
    doc, _ = rendered
    body = by_text(doc, "本项目")
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in body.runs if r.bold or r.italic] == [
        ("共培训", True, False), ("结业率", False, True)]
    p = by_text(doc, "需求诊断精准化。")
    bold = [r.text for r in p.runs if r.bold]
    assert bold == ["需求诊断精准化。", "“问题清单”"]
    assert "*" not in p.text and "\u200b" not in p.text


def test_lists_number_and_restart(rendered):
    doc, zf = rendered
    numbered = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["语文班", "数学班", "重新编号"]
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["专家 & <讲座>", "跟岗"]
    num_ids = [p._p.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val")) for p in numbered]
    assert num_ids[0] == num_ids[1] and num_ids[2] != num_ids[0]  # the second list starts again at 1
    numbering = zf.read("word/numbering.xml").decode()
    assert f'w:numId="{num_ids[2]}"' in numbering and 'w:startOverride w:val="1"' in numbering


def test_tables_markdown_and_figures(rendered):
    doc, _ = rendered
    assert len(doc.tables) == 2
    figures, md_table = doc.tables
    assert [c.text for c in figures.rows[0].cells] == ["序号", "项目名称", "人数"]
    assert [c.text for c in figures.rows[-1].cells] == ["合计", "", "50"]
    assert by_text(doc, "表1　培训人数情况").style.name == "图表标题"
    assert [c.text for c in md_table.rows[1].cells] == ["语文", "50"]
    header_runs = md_table.rows[0].cells[0].paragraphs[0].runs
    assert header_runs and all(r.bold for r in header_runs)
    assert md_table.style.name == "Table Grid"
    assert "【表：" not in "".join(p.text for p in doc.paragraphs)


def test_image_is_embedded_with_caption(rendered):
    doc, zf = rendered
    assert len(doc.inline_shapes) == 1
    assert any(n.startswith("word/media/") for n in zf.namelist())
    cap = by_text(doc, "图1 模块关系")
    assert cap.alignment == 1  # centred
    assert any("〔缺少图片：nothing.png〕" in p.text for p in doc.paragraphs)


def test_footnote_is_a_real_word_footnote(rendered):
    doc, zf = rendered
    body = zf.read("word/document.xml").decode()
    assert "<w:footnoteReference w:id=\"1\"/>" in body
    notes = zf.read("word/footnotes.xml").decode()
    assert "数据来源：河南省中小学教师专业发展平台。" in notes
    assert "[^src]" not in body and "数据来源" not in body


def test_gongwen_template_follows_gbt9704():
    doc = Document(GONGWEN)
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        37, 35, 28, 26]
    fonts = {}
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        st = doc.styles[name]
        fonts[name] = (st.element.rPr.rFonts.get(qn("w:eastAsia")), st.font.size.pt if st.font.size else None)
    assert fonts == {"Normal": ("仿宋_GB2312", 16), "Title": ("方正小标宋简体", 22), "Heading 1": ("黑体", 16),
                     "Heading 2": ("楷体_GB2312", 16), "Heading 3": ("仿宋_GB2312", 16)}
    normal = doc.styles["Normal"].paragraph_format
    assert normal.line_spacing == Pt(28) and normal.line_spacing_rule == 4  # EXACTLY
    assert "PAGE" in doc.sections[0].footer._element.xml


def test_yaml_text_renders_as_plain_paragraphs_without_markdown(tmp_path):
    ctx = {"title": "t", "byline": "", "draft": False, "signoff": None, "body": RichText(plain=["第一段 **不是粗体**", "第二段"])}
    doc = Document(io.BytesIO(render_docx(GONGWEN, ctx)))
    texts = [p.text for p in doc.paragraphs if p.style.name == "正文首行缩进"]
    assert texts == ["第一段 **不是粗体**", "第二段"]


def test_plain_paragraphs_drop_marks():
    md = MarkdownText("# 标题\n\n**粗** 和 *斜*\n\n- 项\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert plain_paragraphs(md) == ["标题", "粗 和 斜", "项", "a", "b", "1", "2"]


def test_every_picture_has_its_own_drawing_id(tmp_path):
    # Word rejects a file whose pictures share a wp:docPr id (docxtpl renumbers them on render).
    Image.new("RGB", (40, 20), "white").save(tmp_path / "a.png")
    text = "![一](a.png)\n\n![二](a.png)\n"
    ctx = {"title": "t", "byline": "", "draft": False, "signoff": None,
           "body": RichText(MarkdownText(text, tmp_path)), }
    data = render_docx(GONGWEN, ctx)
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    import re
    ids = re.findall(r'<wp:docPr id="(\d+)"', body)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_plain_text_counts_the_caption_once():
    md = MarkdownText("![图1 模块关系](x.png)\n\n正文。\n")
    assert plain_paragraphs(md) == ["图1 模块关系", "正文。"]
