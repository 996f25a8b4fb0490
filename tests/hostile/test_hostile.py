"""Hostile and broken inputs (issue 18): never a wrong document with exit 0, never an internal error.

Each case asserts the exit status, the diagnostic code and its place, and that build/ is
byte for byte unchanged (md5 of every file, docgen's own state included).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import CALL, ROOT, UNIT_A, UNIT_B, edit, run
from tests.hostile.helpers import (
    HUIZONG,
    SHENBAO,
    fingerprint,
    no_cjk_fontconfig,
    rezip,
    seed_build,
    three_page_pdf,
    truncate,
)

UNIT_YAML = f"data/units/{UNIT_A}/unit.yaml"
APP_A = f"data/units/{UNIT_A}/applications/luoyang-2026-1.yaml"


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Path:
    """One earlier --no-pdf build of the samples, copied into each test's project as its previous output."""
    root = tmp_path_factory.mktemp("baseline")
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    result = run(root, "build", "--no-pdf")
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.fixture
def seeded(project, baseline):
    """The project with a previous build in build/; yields (project, fingerprint before)."""
    return project, seed_build(project, baseline)


def assert_unchanged(project: Path, before: dict[str, str], state: bool = True) -> None:
    """Every file under build/ is as it was. With *state* False, docgen's own state (.docgen/) may differ:
    a build whose template is broken still builds the other documents, and forgets the failed ones' keys
    so the next build retries them; the failed outputs themselves keep their previous bytes.
    `docgen check` records its report in .docgen/quick.json (replayed while nothing changes): not an output;
    nor are the reports check and build write to say what went wrong (检查报告.xlsx/.html, index.html)."""
    from docgen.apply.reports import OWN_FILES

    skip = {".docgen/quick.json", *OWN_FILES}
    after = fingerprint(project / "build")
    before = {k: v for k, v in before.items() if k not in skip}
    after = {k: v for k, v in after.items() if k not in skip}
    if not state:
        before = {k: v for k, v in before.items() if not k.startswith(".docgen/")}
        after = {k: v for k, v in after.items() if not k.startswith(".docgen/")}
    assert after == before


def no_traceback(result) -> None:
    assert "Traceback" not in result.output and "内部错误" not in result.output


# --------------------------------------------------------------------------- templates

def _template_case(project: Path, data: bytes):
    (project / SHENBAO).write_bytes(data)
    check = run(project, "template", "check", str(project / SHENBAO))
    build = run(project, "build", "--no-pdf")
    data_check = run(project, "check")
    for result in (check, build, data_check):
        no_traceback(result)
    return check, build, data_check


@pytest.mark.parametrize("name,data,code,words,build_code", [
    # An empty template is already a data error (the call names an empty file): nothing is built at all.
    ("empty", b"", "T420", "模板是空文件（0 字节）", "F202"),
    ("ole", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "T411", "模板是旧版 .doc/.wps 文档", "T411"),
    ("html", b"<html><body>not a docx</body></html>", "T400", "模板不是 Word 文档（.docx）", "T400"),
])
def test_template_not_a_docx(seeded, name, data, code, words, build_code):
    project, before = seeded
    check, build, data_check = _template_case(project, data)
    assert check.exit_code == 2 and f"申报书.docx: 错误[{code}] {words}" in check.stderr
    assert build.exit_code == 2 and f"错误[{build_code}]" in build.stderr and "申报书.docx" in build.stderr
    assert data_check.exit_code == 2 and f"错误[{build_code}]" in data_check.stderr  # check agrees with build
    assert_unchanged(project, before, state=build_code == "F202")


def test_zip_without_document_xml(seeded):
    project, before = seeded
    data = rezip((ROOT / SHENBAO).read_bytes(), drop=("word/document.xml",))
    check, build, data_check = _template_case(project, data)
    assert check.exit_code == 2 and "错误[T400] 压缩包中没有 word/document.xml" in check.stderr
    assert build.exit_code == 2 and data_check.exit_code == 2 and "错误[T400]" in data_check.stderr
    assert_unchanged(project, before, state=False)


def test_docx_with_dtd_and_entities_refused(seeded):
    project, before = seeded
    src = (ROOT / SHENBAO).read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    evil = re.sub(r"^(<\?xml[^>]*\?>)", r'\1<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', xml)
    check, build, _ = _template_case(project, rezip(src, replace={"word/document.xml": evil.encode("utf-8")}))
    assert check.exit_code == 2
    assert "申报书.docx: 错误[T425] word/document.xml 含有 DTD 或实体声明" in check.stderr
    assert build.exit_code == 2 and "错误[T425]" in build.stderr
    assert_unchanged(project, before, state=False)


def test_zip_bomb_refused_before_inflating(seeded, monkeypatch):
    project, before = seeded
    # 30 MB of zeros deflate to ~30 KB: a 1000:1 member. Nothing may inflate it.
    bomb = rezip((ROOT / SHENBAO).read_bytes(), add={"word/media/image9.bin": b"\0" * (30 * 1024 * 1024)})
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    check, build, _ = _template_case(project, bomb)
    assert "word/media/image9.bin" not in opened
    assert check.exit_code == 2 and re.search(r"申报书.docx: 错误\[T424\] word/media/image9.bin 压缩比 \d+:1，超过上限 100:1",
                                              check.stderr)
    assert build.exit_code == 2 and "错误[T424]" in build.stderr
    assert_unchanged(project, before, state=False)


def _docx_with(project: Path, add_para=None, core_title=None, footnote=None, endnote=None) -> Path:
    """Return a small docx template saved by python-docx, with tags where staff sometimes put them."""
    path = project / "templates/docx/t.docx"
    doc = Document()
    doc.add_paragraph("单位：{{ unit.name }}")
    if core_title is not None:
        doc.core_properties.title = core_title
    doc.save(path)
    data = path.read_bytes()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    add: dict[str, bytes] = {}
    for name, kind, text in (("word/footnotes.xml", "footnote", footnote), ("word/endnotes.xml", "endnote", endnote)):
        if text is not None:
            add[name] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s {w}>'
                         f'<w:{kind} w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:{kind}></w:{kind}s>').encode()
    path.write_bytes(rezip(data, add=add))
    return path


def test_tags_in_footnotes_and_properties_checked_and_located(project):
    path = _docx_with(project, core_title="{{ unit.nmae }}", footnote="注：{{ unit.adress }}",
                      endnote="{{ unit.name }}")
    result = run(project, "template", "check", str(path))
    no_traceback(result)
    assert result.exit_code == 2
    assert "t.docx（文档属性“标题”）: 错误[T402]" in result.stderr and "unit.nmae" in result.stderr
    assert re.search(r"t.docx（脚注段落“注：\{\{ unit.adress.*”）: 错误\[T402\]", result.stderr)
    assert "t.docx（尾注第1处“{{ unit.name }}”）: 警告[T427] 尾注中有标签" in result.output


def test_tracked_change_inside_a_tag_warned(project):
    from docx.oxml import parse_xml

    path = project / "templates/docx/t.docx"
    doc = Document()
    p = doc.add_paragraph()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">单位：{{{{ unit.na</w:t></w:r>'))
    p._p.append(parse_xml(f'<w:ins {w} w:id="1" w:author="staff" w:date="2026-05-01T00:00:00Z">'
                          '<w:r><w:t>m</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve">e }}}}</w:t></w:r>'))
    doc.save(path)
    result = run(project, "template", "check", str(path))
    no_traceback(result)
    assert result.exit_code == 0
    assert "t.docx（段落“单位：{{ unit.name …”）: 警告[T409] 标签“{{ unit.name }}”中有修订标记" in result.output


@pytest.mark.parametrize("part,content,words", [
    ("xl/cellimages.xml", b'<?xml version="1.0"?><etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>',
     "WPS 单元格图片（cellimages.xml"),
    ("xl/drawings/drawing1.xml", (b'<?xml version="1.0"?><xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/'
                                  b'drawingml/2006/spreadsheetDrawing"><xdr:twoCellAnchor><xdr:sp/></xdr:twoCellAnchor>'
                                  b'</xdr:wsDr>'),
     "形状、文本框或箭头"),
])
def test_xlsx_parts_openpyxl_drops_refused(seeded, part, content, words):
    project, before = seeded
    (project / HUIZONG).write_bytes(rezip((ROOT / HUIZONG).read_bytes(), add={part: content}))
    check = run(project, "template", "check", str(project / HUIZONG))
    build = run(project, "build", "--no-pdf")
    no_traceback(check)
    no_traceback(build)
    assert check.exit_code == 2 and f"汇总表.xlsx: 错误[T426] 模板含有生成时会被丢弃的内容：{words}" in check.stderr
    assert build.exit_code == 2 and "错误[T426]" in build.stderr
    assert_unchanged(project, before, state=False)


def test_xlsx_x14_data_validation_refused(project):
    src = (ROOT / HUIZONG).read_bytes()
    with zipfile.ZipFile(io.BytesIO(src)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    ext = ('<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
           'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
           '<x14:dataValidations count="1"/></ext></extLst>')
    sheet = sheet.replace("</worksheet>", ext + "</worksheet>")
    (project / HUIZONG).write_bytes(rezip(src, replace={"xl/worksheets/sheet1.xml": sheet.encode("utf-8")}))
    result = run(project, "template", "check", str(project / HUIZONG))
    assert result.exit_code == 2
    assert "错误[T426] 模板含有生成时会被丢弃的内容：Excel 2010 数据有效性" in result.stderr
    assert "xl/worksheets/sheet1.xml" in result.stderr


# --------------------------------------------------------------------------- data

def test_control_characters_in_yaml_escapes(seeded):
    project, before = seeded
    edit(project / UNIT_YAML, "name: 河洛师范学院", 'name: "河洛\\v师范\\0学院"')
    check, build = run(project, "check"), run(project, "build", "--no-pdf")
    for result in (check, build):
        no_traceback(result)
        assert result.exit_code == 2
        assert re.search(r"unit\.yaml:\d+:7: 错误\[D520\] name: 含有看不见的控制字符 U\+000B（垂直制表符）、U\+0000（空字符 NUL）",
                         result.stderr), result.stderr
    assert_unchanged(project, before)


def test_raw_control_byte_located_by_line_and_column(seeded):
    project, before = seeded
    text = (project / UNIT_YAML).read_text(encoding="utf-8")
    line = text[:text.index("name: 河洛师范学院")].count("\n") + 1
    (project / UNIT_YAML).write_text(text.replace("name: 河洛师范学院", "name: 河洛\x1b师范学院", 1), encoding="utf-8")
    result = run(project, "build", "--no-pdf")
    no_traceback(result)
    assert result.exit_code == 2
    assert f"unit.yaml:{line}:9: 错误[D520] 含有看不见的控制字符 U+001B（ESC）" in result.stderr
    assert "position" not in result.stderr
    assert_unchanged(project, before)


def test_tab_and_newline_in_prose_are_fine():
    from docgen.load.yamlpos import load_yaml_text

    doc = load_yaml_text('a: "第一段\\t缩进\\n第二段"\nb: |\n  一\n  二\n', "t.yaml")
    assert doc.data == {"a": "第一段\t缩进\n第二段", "b": "一\n二\n"}


def test_control_character_in_roster_cell(project):
    out = project / "填报表.xlsx"
    assert run(project, "data", "sheet", "--unit", UNIT_A, "--out", str(out)).exit_code == 0
    wb = load_workbook(out)
    ws = wb["专家团队"]
    ws["A3"] = "姚_x000B_承志"  # how Excel stores a control character typed into a cell
    wb.save(out)
    before = fingerprint(project / "data")
    result = run(project, "data", "import", str(out), "--unit", UNIT_A)
    no_traceback(result)
    assert result.exit_code == 2
    assert "填报表.xlsx[专家团队]!A3: 错误[D521] 姓名: 含有看不见的控制字符 U+000B（垂直制表符）" in result.stderr
    assert fingerprint(project / "data") == before


def test_title_level_words_accepted(project):
    edit(project / UNIT_YAML, "title: 讲师", "title: 中级")
    edit(project / UNIT_YAML, "title: 一级教师", "title: 副高级")
    assert run(project, "check").exit_code == 0


def test_numbered_and_bulleted_lines_stay_paragraphs():
    from docgen.render.env import paragraphs

    text = "目标如下：\n1. 提升课堂教学能力\n2. 形成校本研修成果\n\n保障措施\n- 专家全程指导\n- 每周通报\n（3）按月考核"
    assert paragraphs(text) == ["目标如下：", "1. 提升课堂教学能力", "2. 形成校本研修成果", "保障措施",
                                "- 专家全程指导", "- 每周通报", "（3）按月考核"]
    assert paragraphs("第一行\n第二行") == ["第一行", "第二行"]


def test_data_errors_do_not_hide_rule_failures(seeded):
    project, before = seeded
    edit(project / UNIT_YAML, 'mobile: "13703791826"', 'mobile: "1370379"')  # a format mistake
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 10")            # and a rule that fails
    result = run(project, "check")
    no_traceback(result)
    assert result.exit_code == 2
    assert re.search(r"unit\.yaml:\d+:\d+: 错误\[D103\] leader.mobile（手机）: 手机号“1370379”不正确", result.stderr)
    assert "未通过 R4 教师成长典型案例不低于参训教师的 1/10" in result.output
    assert "共 1 个错误。" in result.stderr
    assert_unchanged(project, before)


# --------------------------------------------------------------------------- attachments

def _attachments(project: Path, unit: str = UNIT_A) -> Path:
    return project / f"data/units/{unit}/attachments"


def test_truncated_pdf_refused_and_every_bad_attachment_reported(seeded):
    project, before = seeded
    att = _attachments(project)
    three_page_pdf(att / "法定代表人证明.pdf")
    truncate(att / "法定代表人证明.pdf", 0.5)        # two pages lost their content
    (att / "法定代表人授权书.pdf").write_bytes(b"")      # and a 0-byte file beside it
    result = run(project, "check")
    no_traceback(result)
    assert result.exit_code == 2
    assert re.search(r"unit\.yaml:\d+:\d+: 错误\[P752\] attachments\[4\]\.file（法定代表人证明）: PDF 第 1–2 页（共 2 页）内容缺失",
                     result.stderr), result.stderr
    assert re.search(r"unit\.yaml:\d+:\d+: 警告\[P750\] attachments\[4\]\.file（法定代表人证明）: PDF 文件有损坏，已被自动修复", result.stderr)
    assert re.search(r"unit\.yaml:\d+:\d+: 错误\[F202\] attachments\[5\]\.file（法定代表人授权书）", result.stderr)
    assert_unchanged(project, before)


def test_truncated_pdf_never_becomes_blank_sealed_pages(tmp_path):
    from docgen.errors import InputError
    from docgen.pdf.assemble import Part, Stamping, assemble

    good, cut = tmp_path / "good.pdf", tmp_path / "cut.pdf"
    three_page_pdf(good)
    three_page_pdf(cut)
    truncate(cut, 0.7)
    with pytest.raises(InputError) as err:
        assemble([Part("证明", good, copy=True), Part("授权书", cut, copy=True)], Stamping())
    codes = [d.code for d in err.value.diagnostics]
    assert codes == ["P752"] and "第 3 页（共 3 页）内容缺失" in err.value.diagnostics[0].message


def test_repaired_but_whole_pdf_is_a_warning(project):
    att = _attachments(project)
    three_page_pdf(att / "法定代表人证明.pdf")
    data = (att / "法定代表人证明.pdf").read_bytes()
    (att / "法定代表人证明.pdf").write_bytes(data[:data.rindex(b"startxref")])  # xref pointer lost, pages intact
    result = run(project, "check")
    assert result.exit_code == 0
    assert "警告[P750] attachments[4].file（法定代表人证明）: PDF 文件有损坏，已被自动修复" in result.output


@pytest.mark.parametrize("path,code,words", [
    ("../zhongyuan-zhiyu/attachments/法定代表人证明.pdf", "F300", "路径不能含“..”"),
    ("/etc/passwd", "F300", "路径不能是绝对路径"),
    ("attachments/link.pdf", "F301", "是指向单位文件夹之外的链接"),
])
def test_attachment_outside_the_unit_folder(seeded, path, code, words):
    project, before = seeded
    (_attachments(project) / "link.pdf").symlink_to(project / f"data/units/{UNIT_B}/attachments/法定代表人证明.pdf")
    edit(project / UNIT_YAML, "file: attachments/法定代表人证明.pdf", f"file: {path}")
    check, build = run(project, "check"), run(project, "build", "--no-pdf")
    for result in (check, build):
        no_traceback(result)
        assert result.exit_code == 2
        assert re.search(rf"unit\.yaml:\d+:\d+: 错误\[{code}\] attachments\[4\]\.file（法定代表人证明）: 佐证材料{words}",
                         result.stderr), result.stderr
    assert_unchanged(project, before)


# --------------------------------------------------------------------------- fonts, outputs, conversion

def test_no_cjk_font_refuses_to_convert(seeded, tmp_path, monkeypatch):
    project, before = seeded
    monkeypatch.setenv("DOCGEN_FONTCONFIG", str(no_cjk_fontconfig(tmp_path)))
    converted = []
    monkeypatch.setattr("docgen.pdf.warm.WarmConverter.__call__", lambda self, paths: converted.extend(paths))
    result = run(project, "build", "--call", CALL)
    no_traceback(result)
    assert result.exit_code == 3
    assert re.search(r"\.docx（字体）: 错误\[L521\] 字体“仿宋_GB2312”(被替换为 \S+.*其中没有中文字形|找不到任何字体)；"
                     r"转换出的 PDF 中文会显示为方框", result.stderr), result.stderr
    assert re.search(r"错误\[L521\] 字体“宋体”", result.stderr)
    assert "安装 Fandol 仿宋" in result.stderr and "安装 fonts-noto-cjk" in result.stderr
    assert converted == []
    assert_unchanged(project, before)
    doctor = run(project, "doctor")
    assert doctor.exit_code == 3 and "✗ 宋体：" in doctor.output and "安装：fonts-noto-cjk" in doctor.output


def test_resolved_fonts_are_part_of_the_pdf_key(tmp_path, monkeypatch):
    from docgen.pdf.fonts import font_gate, fonts_signature

    shipped = font_gate([ROOT / SHENBAO])
    assert font_gate([ROOT / SHENBAO]) == shipped  # stable
    # The same mapping over another set of installed faces: another key (and another quick-path signature).
    conf = tmp_path / "fonts.conf"
    text = (ROOT / "docgen/pdf/fonts.conf").read_text(encoding="utf-8")
    extra = tmp_path / "more-fonts"
    extra.mkdir()
    conf.write_text(text.replace("<fontconfig>", f"<fontconfig>\n  <dir>{extra}</dir>", 1), encoding="utf-8")
    monkeypatch.setenv("DOCGEN_FONTCONFIG", str(conf))
    sig = fonts_signature()
    assert font_gate([ROOT / SHENBAO]) != shipped
    (extra / "new-font.ttf").write_bytes(b"")  # "installing" a font touches its folder
    import os
    os.utime(extra, ns=(1, 1))
    assert fonts_signature() != sig


def test_unwritable_state_folder_named_before_publishing(seeded):
    project, before = seeded
    shutil.rmtree(project / "build/.docgen")
    (project / "build/.docgen").write_text("not a folder")
    before = fingerprint(project / "build")
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 25")  # something to rebuild
    result = run(project, "build", "--no-pdf")
    no_traceback(result)
    assert result.exit_code == 4
    assert "build/.docgen: 错误[O620] 这里应是文件夹，却是一个文件" in result.stderr
    assert_unchanged(project, before)


def test_conversion_timeout_names_the_output(project, tmp_path):
    from docgen.apply import pipeline
    from docgen.errors import Diagnostic, Location, ToolError, display_path

    def hung(paths):
        raise ToolError(Diagnostic("L502", "LibreOffice 转换超时（120 秒），已重启 LibreOffice",
                                   Location(display_path(paths[0]))))

    loaded = pipeline.load(project, project / "data", UNIT_A, CALL)
    result = pipeline.build(loaded, tmp_path / "out", converter=hung, submissions=False, raise_failures=False)
    shown = [str(d.location) for e in result.errors for d in e.diagnostics]
    assert shown and all(".staging-" not in s for s in shown)
    assert any(s.endswith(f"out/{UNIT_A}/{CALL}/申报书-项目1-高中新高考培训项目.pdf") for s in shown), shown


# --------------------------------------------------------------------------- a large unit

def test_large_unit_is_parsed_once_then_cached(project, monkeypatch):
    """The parsed unit.yaml is cached under build/.docgen/cache; the second check does not parse it again.

    (bench/big_unit.py times the issue's 18,758 experts: about 3 s the second time.)
    """
    from docgen.load import yamlpos
    from tests.hostile.bigunit import add_experts

    add_experts(project / UNIT_YAML, 600)
    parsed: list[str] = []
    real = yamlpos.load_yaml_text

    def spy(text, shown, path=None):
        parsed.append("/".join(Path(shown).parts[-2:]))  # <unit>/unit.yaml
        return real(text, shown, path)

    monkeypatch.setattr(yamlpos, "load_yaml_text", spy)
    first = run(project, "check", "--unit", UNIT_A)
    assert first.exit_code == 0, first.output
    # loaded once, not once more for the year-end or the copied-passage section (other units are read too)
    assert parsed.count(f"{UNIT_A}/unit.yaml") == 1
    parsed.clear()
    second = run(project, "check", "--unit", UNIT_A)
    assert second.exit_code == 0 and second.output == first.output
    assert f"{UNIT_A}/unit.yaml" not in parsed
    assert list((project / "build/.docgen/cache").rglob("*.pickle"))


@pytest.mark.parametrize("text,where,words", [
    ('a: "C:\\qwe"\n', "1:8", "双引号中有不认识的转义"),
    ("a: *b\n", "1:4", "引用了未定义的锚点"),
    ('a: "x" y\n', "1:8", "值的后面多出了文字"),
    ("a: [1, 2\n", "2:1", "方括号列表 [ ] 没有正确结束"),
])
def test_yaml_library_messages_translated_and_located(text, where, words):
    from docgen.errors import InputError
    from docgen.load.yamlpos import load_yaml_text

    with pytest.raises(InputError) as err:
        load_yaml_text(text, "t.yaml")
    assert err.value.diagnostics[0].format().startswith(f"t.yaml:{where}: 错误[D101] YAML 格式错误：{words}")


def test_folded_prose_keeps_its_lines():
    from docgen.load.yamlpos import load_yaml_text
    from docgen.render.env import paragraphs

    doc = load_yaml_text("a: >-\n  第一句。\n  第二句。\nb: >\n  one\n  two\n", "t.yaml")
    assert doc.data == {"a": "第一句。\n第二句。", "b": "one\ntwo\n"}
    assert paragraphs(doc.data["a"]) == ["第一句。", "第二句。"]  # no space between Chinese sentences


def test_a_folder_named_like_an_application_file_is_named_not_a_crash(seeded):
    """Someone made a folder applications/新申报.yaml (a file manager's 'new folder', renamed)."""
    project, before = seeded
    folder = project / f"data/units/{UNIT_A}/applications/新申报.yaml"
    folder.mkdir()
    (folder / "说明.txt").write_text("草稿", encoding="utf-8")
    for command in (["check"], ["build", "--no-pdf"]):
        result = run(project, *command)
        assert result.exit_code == 2, result.output
        assert "新申报.yaml: 错误[D149] 这是一个文件夹，不是数据文件" in result.stderr
        assert "Traceback" not in result.output + result.stderr
    assert_unchanged(project, before)
