"""Every docx and xlsx docgen writes follows the ECMA-376 content models: element order and attribute types.

Word and WPS answer an element out of its schema place with a repair prompt or drop it;
LibreOffice, which the other tests use, says nothing. The content models are those of
ECMA-376 Part 1 (transitional), Annex A (wml.xsd, sml.xsd), in docgen/render/ooxml_schema.py.
The sequences quoted below are copied by hand from the schema text, not from that table.

False alarms: none in the files checked. Two relaxations are deliberate and documented in
ooxml_schema.py: children of w:trPr (CT_TrPrBase is an xsd:choice, any order) and names in one
xsd:choice are not ordered among themselves; run properties (EG_RPrBase) are held to the 1st
edition's sequence, which is stricter than the later editions' choice.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from docgen.render.ooxml_order import insert_in_order, model, put_in_order, schema_problems, value_ok
from tests.conftest import CALL, ROOT, run

# ECMA-376 Part 1, §17.9.6 lvl, complexType CT_Lvl
LVL = ["start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId", "legacy", "lvlJc",
       "pPr", "rPr"]
# complexType CT_TcPr (tcPr), via CT_TcPrBase
TCPR = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "textDirection",
        "tcFitText", "vAlign", "hideMark"]
# complexType CT_TblPrBase (tblPr)
TBLPR = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
         "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"]
# complexType CT_PPrBase (pPr), the part docgen writes
PPR = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr", "suppressLineNumbers",
       "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
       "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing",
       "mirrorIndents", "suppressOverlap", "jc"]
# complexType CT_SectPr: EG_HdrFtrReferences (a choice: headers and footers in any order), then EG_SectPrContents
SECTPR = ["headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
          "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection",
          "bidi", "rtlGutter", "docGrid", "printerSettings"]
# complexType CT_Numbering
NUMBERING = ["numPicBullet", "abstractNum", "num", "numIdMacAtCleanup"]
# SpreadsheetML complexType CT_Worksheet (§18.3.1.99), the part openpyxl and docgen write
WORKSHEET = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
             "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
             "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations", "hyperlinks",
             "printOptions", "pageMargins", "pageSetup", "headerFooter"]
# complexType CT_Cell
CELL = ["f", "v", "is", "extLst"]


@pytest.mark.parametrize("type_name, sequence", [
    ("w:CT_Lvl", LVL), ("w:CT_TcPr", TCPR), ("w:CT_TblPr", TBLPR), ("w:CT_PPr", PPR), ("w:CT_SectPr", SECTPR),
    ("w:CT_Numbering", NUMBERING), ("x:CT_Worksheet", WORKSHEET), ("x:CT_Cell", CELL)])
def test_the_table_keeps_the_schema_sequences(type_name, sequence):
    """Each entry has its own place, in this order; names joined by | share one (an xsd:choice)."""
    rank = model(type_name)[0]
    places = [{rank[name] for name in entry.split("|")} for entry in sequence]
    assert all(len(p) == 1 for p in places)
    flat = [p.pop() for p in places]
    assert flat == sorted(flat) and len(set(flat)) == len(flat)


@pytest.mark.parametrize("type_name, value, ok", [
    ("s:ST_OnOff", "true", True), ("s:ST_OnOff", "0", True), ("s:ST_OnOff", "on", True),
    ("s:ST_OnOff", "yes", False), ("s:ST_OnOff", "True", False),
    ("s:ST_TwipsMeasure", "567", True), ("s:ST_TwipsMeasure", "1.5cm", True), ("s:ST_TwipsMeasure", "12.5", False),
    ("s:ST_TwipsMeasure", "-20", False), ("w:ST_SignedTwipsMeasure", "-20", True),
    ("w:ST_HexColor", "auto", True), ("w:ST_HexColor", "FF0000", True), ("w:ST_HexColor", "red", False),
    ("w:ST_HexColor", "F00", False), ("w:ST_DecimalNumber", "3", True), ("w:ST_DecimalNumber", "3.0", False),
    ("w:ST_LevelSuffix", "nothing", True), ("w:ST_LevelSuffix", "none", False),
    ("w:ST_Merge", "restart", True), ("w:ST_Merge", "start", False),
])
def test_attribute_values_are_checked_against_their_simple_types(type_name, value, ok):
    assert value_ok(type_name, value) is ok


def _numbering(lvl_children: str) -> etree._Element:
    return parse_xml(f'<w:numbering {nsdecls("w")}><w:abstractNum w:abstractNumId="0">'
                     f'<w:lvl w:ilvl="0">{lvl_children}</w:lvl></w:abstractNum></w:numbering>')


def test_problems_name_the_element_and_the_order():
    bad = _numbering('<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
                     '<w:lvlJc w:val="left"/><w:suff w:val="nothing"/>')
    assert schema_problems(bad) == [
        "/w:numbering/w:abstractNum/w:lvl/w:suff: suff 应在 lvlJc 之前（w:CT_Lvl 的顺序）"]
    good = _numbering('<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:suff w:val="nothing"/>'
                      '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>')
    assert schema_problems(good) == []
    wrong_value = _numbering('<w:start w:val="one"/>')
    assert schema_problems(wrong_value) == [
        '/w:numbering/w:abstractNum/w:lvl/w:start: 属性 val="one" 不是 w:ST_DecimalNumber']


def test_a_second_tbl_layout_and_a_late_vmerge_are_found_and_put_right():
    doc = parse_xml(
        f'<w:document {nsdecls("w")}><w:body><w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>'
        '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        '<w:tblGrid><w:gridCol w:w="900"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="900" w:type="dxa"/>'
        '<w:vAlign w:val="center"/><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl></w:body>'
        '</w:document>')
    found = schema_problems(doc)
    assert "/w:document/w:body/w:tbl/w:tblPr/w:tblLayout[2]: tblLayout 重复（w:CT_TblPr 中只能有一个）" in found
    assert "/w:document/w:body/w:tbl/w:tr/w:tc/w:tcPr/w:vMerge: vMerge 应在 vAlign 之前（w:CT_TcPr 的顺序）" in found
    put_in_order(doc)
    assert schema_problems(doc) == []
    tc_pr = doc.find(".//" + qn("w:tcPr"))
    assert [etree.QName(c).localname for c in tc_pr] == ["tcW", "vMerge", "vAlign"]


def test_insert_in_order_puts_each_element_in_its_place():
    tc_pr = parse_xml(f'<w:tcPr {nsdecls("w")}><w:tcW w:w="1" w:type="dxa"/><w:shd w:val="clear"/>'
                      '<w:vAlign w:val="center"/></w:tcPr>')
    insert_in_order(tc_pr, OxmlElement("w:vMerge"), "w:CT_TcPr")
    insert_in_order(tc_pr, OxmlElement("w:hideMark"), "w:CT_TcPr")
    insert_in_order(tc_pr, OxmlElement("w:cnfStyle"), "w:CT_TcPr")
    assert [etree.QName(c).localname for c in tc_pr] == ["cnfStyle", "tcW", "vMerge", "shd", "vAlign", "hideMark"]
    lvl = _numbering('<w:start w:val="1"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr/>').find(
        ".//" + qn("w:lvl"))
    insert_in_order(lvl, OxmlElement("w:suff"))  # the type from the tag: w:CT_Lvl
    assert [etree.QName(c).localname for c in lvl] == ["start", "suff", "lvlText", "lvlJc", "pPr"]


# -- every file docgen writes ----------------------------------------------------------------------

def _problems(path: Path) -> list[str]:
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") and (name.startswith("word/") or name.startswith("xl/")):
                out += [f"{path.name}:{name}:{p}" for p in schema_problems(etree.fromstring(z.read(name)))]
    return out


def _fill_score_sheets(project: Path) -> Path:
    """Fill every reviewer's sheet with 10 points a criterion cell, as a reviewer would in Excel (openpyxl here)."""
    filled = project / "filled"
    filled.mkdir()
    for path in sorted((project / "build/bureau" / CALL / "评分表").glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb["评分表"]
        for r in range(4, ws.max_row + 1):
            for c in range(4, 11):
                ws.cell(r, c).value = 1
        wb.save(filled / path.name)
    return filled


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """Run every command of `make demo` (without PDF) on a copy of the samples; return the project."""
    import shutil
    project = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "samples", project / "data")
    shutil.copytree(ROOT / "templates", project / "templates")
    for args in (["build", "--no-pdf"], ["plan", "build", "--no-pdf"], ["report", "build", "--no-pdf"],
                 ["data", "sheet", "--unit", "heluo-normal"]):
        result = run(project, *args)
        assert result.exit_code == 0, (args, result.output)
    returns = project / "returns"
    returns.mkdir()
    for f in sorted(project.glob(f"build/*/{CALL}/申报汇总表.xlsx")):
        shutil.copy(f, returns / f"{f.parent.parent.name}-申报汇总表.xlsx")
    assert run(project, "collect", str(returns), "--call", CALL).exit_code == 0
    assert run(project, "score", "sheets", "--call", CALL, "--reviewers", "5").exit_code == 0
    result = run(project, "score", "tally", "--call", CALL, str(_fill_score_sheets(project)))
    assert result.exit_code == 0, result.output
    return project


def test_every_docx_and_xlsx_of_the_demo_build_follows_the_schema(demo):
    files = sorted(p for p in (demo / "build").rglob("*") if p.suffix in (".docx", ".xlsx"))
    kinds = {p.suffix for p in files}
    names = {p.name for p in files}
    # the 申报书 (Markdown narratives), 年度规划书 ({% vm %} merges), 绩效自评报告 and cases (numbering),
    # 填报表, 申报汇总总表, 评分表, 评分汇总 (cached formula values) and 公示名单, 附件2 申报指南 (table breaks)
    for expected in ("乐山市-2015年度规划书.docx", "绩效自评报告.docx", "填报表-heluo-normal.xlsx", "申报汇总总表.xlsx",
                     "评分表-评委01.xlsx", "评分汇总.xlsx", "评审结果公示名单.docx", "报送清单.xlsx",
                     "附件2-申报指南.docx"):
        assert expected in names
    assert kinds == {".docx", ".xlsx"} and len(files) >= 55
    problems = [p for f in files for p in _problems(f)]
    assert problems == []


def test_workbooks_share_their_strings_as_excel_writes_them(demo):
    books = sorted((demo / "build").rglob("*.xlsx"))
    for path in books:
        with zipfile.ZipFile(path) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            assert not any(b'"inlineStr"' in z.read(n) for n in sheets), path.name
            assert "xl/sharedStrings.xml" in z.namelist(), path.name
            assert b"sharedStrings+xml" in z.read("[Content_Types].xml")
    wb = openpyxl.load_workbook(demo / "build/填报表-heluo-normal.xlsx")
    assert wb["单位信息"]["B2"].value == "河洛师范学院"
    assert wb["单位信息"]["A1"].value == "栏目"


def test_templates_follow_the_schema_and_still_do_after_template_check_fix(project):
    committed = sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in (".docx", ".xlsx"))
    assert [p for f in committed for p in _problems(f)] == []
    # A template as staff leave it: a tag split across runs by a font change, curly quotes — then --fix.
    path = next((project / "templates").rglob("申报书.docx"))
    doc = Document(path)
    para = next(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
                if "{{ unit.postcode }}" in p.text)
    first = para.runs[0]
    for extra in para.runs[1:]:
        extra._r.getparent().remove(extra._r)
    first.text = "{{ unit."
    second = copy.deepcopy(first._r)
    first._r.addnext(second)
    run_two = type(first)(second, para)
    run_two.text = "postcode }}"
    run_two.font.name = "黑体"
    doc.save(path)
    result = run(project, "template", "check", "--fix", str(path))
    assert result.exit_code == 0 and "合并为一段" in result.output, result.output
    assert _problems(path) == []


def test_an_excel_template_after_template_check_fix_keeps_shared_strings(project):
    path = project / "templates/xlsx" / CALL / "汇总表.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "{{" in c.value)
    cell.value = cell.value.replace("}}", "| default(“无”) }}", 1)  # curly quotes typed inside a tag
    wb.save(path)
    result = run(project, "template", "check", "--fix", str(path))
    assert "中文引号改为英文直引号" in result.output, result.output
    assert '| default("无") }}' in openpyxl.load_workbook(path).active[cell.coordinate].value
    with zipfile.ZipFile(path) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
        assert not any(b'"inlineStr"' in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert _problems(path) == []
