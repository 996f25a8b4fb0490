"""docgen collect: returned 汇总表 workbooks from several tools, broken ones included, into one master list."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.bureau.returns import HIGH, MIDDLE, returned, soffice_convert
from tests.conftest import CALL, UNIT_A, UNIT_B, run

MASTER = Path("build/bureau") / CALL / "申报汇总总表.xlsx"


def master_rows(root: Path, sheet: str = "汇总") -> list[tuple]:
    wb = openpyxl.load_workbook(root / MASTER)
    ws = wb[sheet]
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(min_row=3, values_only=True)]


def spine_returns(project: Path) -> Path:
    """Build the sample units' 汇总表 with docgen build and put them in a returns/ folder."""
    result = run(project, "build", "--no-pdf", "--out", str(project / "out"))
    assert result.exit_code == 0, result.output
    folder = project / "returns"
    folder.mkdir()
    for unit in (UNIT_A, UNIT_B):
        shutil.copy(project / "out" / unit / CALL / "申报汇总表.xlsx", folder / f"{unit}.xlsx")
    return folder


def test_collects_the_workbooks_docgen_build_writes(project):
    folder = spine_returns(project)
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 0, result.output
    assert "已读取 2/2 个工作簿，2 项申报，受理 2 项。" in result.output
    rows = master_rows(project)
    assert [r[:9] for r in rows] == [
        ("A001", "heluo-normal.xlsx[申报汇总表]!B7", "河洛师范学院", "高明轩", "13837952684", 1, HIGH,
         "本项目由继续教育学院具体实施，跟岗基地学校已签订合作协议。", "受理"),
        ("A002", "zhongyuan-zhiyu.xlsx[申报汇总表]!B7", "河南中原智育教师发展研究院有限公司", "蒋一鸣",
         "0371-65873219", 1, MIDDLE, "跟岗基地学校为本院长期合作的上海、苏州优质中小学。", "受理"),
    ]


@pytest.mark.lo
def test_collects_workbooks_saved_by_libreoffice(project, tmp_path):
    folder = spine_returns(project)
    lo_dir = project / "returns-lo"
    soffice_convert(sorted(folder.iterdir()), lo_dir)
    # LibreOffice rewrites the whole package (shared strings, its own styles): the values must survive.
    assert b"sharedStrings" in (lo_dir / f"{UNIT_A}.xlsx").read_bytes()
    result = run(project, "collect", "--call", CALL, str(lo_dir))
    assert result.exit_code == 0, result.output
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in master_rows(project)] == [
        ("河洛师范学院", "高明轩", "13837952684", 1, HIGH),
        ("河南中原智育教师发展研究院有限公司", "蒋一鸣", "0371-65873219", 1, MIDDLE),
    ]


def test_finds_shifted_headers_and_labels_on_one_line(project, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    returned(folder / "a.xlsx", "洛阳甲培训中心", "张三", "0379-61234567", [(1, MIDDLE, "备注甲")], top=6, left=3)
    returned(folder / "b.xlsx", "洛阳乙学院", "李四", "13912345678", [(1, HIGH, "")], one_line=True, top=2)
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 0, result.output
    rows = master_rows(project)
    assert [(r[1], r[2], r[3], r[4], r[5], r[6], r[8]) for r in rows] == [
        ("a.xlsx[Sheet1]!E13", "洛阳甲培训中心", "张三", "0379-61234567", 1, MIDDLE, "受理"),
        ("b.xlsx[Sheet1]!B7", "洛阳乙学院", "李四", "13912345678", 1, HIGH, "受理"),
    ]


def broken_folder(folder: Path) -> None:
    folder.mkdir()
    returned(folder / "01-good.xlsx", "好单位", "王五", "0379-60000001", [(1, HIGH, "甲")])
    (folder / "02-old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    (folder / "03-page.xls").write_bytes("<html><body><table><tr><td>序号</td></tr></table></body></html>".encode())
    (folder / "04-locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200
                                            + "EncryptionInfo".encode("utf-16-le") + b"\0" * 200)
    returned(folder / "05-noheader.xlsx", "无表头单位", "赵六", "0379-60000005", [(1, HIGH, "")],
             header=("编号", "名称", "说明"))
    returned(folder / "06-blank.xlsx", "空行单位", "孙七", "0379-60000006", [(1, HIGH, ""), (2, MIDDLE, "")],
             blank_before=1)
    returned(folder / "07-textno.xlsx", "文字序号单位", "周八", "0379-60000007", [("一", HIGH, "")])
    returned(folder / "08-merged.xlsx", "合并单位", "吴九", "0379-60000008", [(1, HIGH, ""), (2, None, "第二行备注")],
             merge="B7:B8")
    returned(folder / "09-unknown.xlsx", "错名单位", "郑十", "0379-60000009", [(1, "义务教育新课程项目", "")])
    returned(folder / "10-dup.xlsx", "好单位", "王五", "0379-60000001", [(1, MIDDLE, "")])
    returned(folder / "11-clash.xlsx", "冲突单位", "钱一", "0379-60000011", [(2, HIGH, ""), (1, MIDDLE, "")])
    returned(folder / "12-shifted.xlsx", "移位单位", "陈二", "0379-60000012", [(1, MIDDLE, "")], top=3, left=2)
    (folder / "13-notes.txt").write_text("说明", encoding="utf-8")


def test_reports_every_problem_of_every_file_and_keeps_the_good_ones(project, tmp_path):
    folder = tmp_path / "returns"
    broken_folder(folder)
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 1
    err = result.stderr
    expected = [
        "02-old.xls: 错误[B104] 这是旧版 Excel 97-2003 工作簿（.xls），但内容无法读取",
        "03-page.xls: 错误[B105] 这是另存为 .xls 的网页（HTML）文件",
        "04-locked.xlsx: 错误[B103] 工作簿设置了打开密码",
        "05-noheader.xlsx[Sheet1]: 错误[B110] 找不到表头",
        "06-blank.xlsx[Sheet1]!A8: 警告[B120] 表格中间有空行（A8），其后的行仍已读取",
        "06-blank.xlsx[Sheet1]!B9: 警告[B131]",
        "07-textno.xlsx[Sheet1]!A7: 警告[B157] 序号写成了“一”，已按 1 读取",
        "08-merged.xlsx[Sheet1]!B7: 警告[B152] 合并单元格 B7:B8 跨 2 行，已把“高中新高考培训项目”用于每一行",
        "09-unknown.xlsx[Sheet1]!B7: 错误[B125] 项目名称“义务教育新课程项目”不是本通知的子项目",
        "提示：是否应为“义务教育新课程培训项目”？",
        "10-dup.xlsx[Sheet1]: 错误[B130] 单位“好单位”报送了两份汇总表（另见 01-good.xlsx），内容不同",
        "11-clash.xlsx[Sheet1]!B7: 警告[B131] “冲突单位”同时申报了高中新高考培训项目、义务教育新课程培训项目",
        "13-notes.txt: 警告[B100] 不是工作簿，已跳过",
        "提示：在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）",
    ]
    for line in expected:
        assert line in err, line
    assert "01-good.xlsx" not in err.split("10-dup")[0].replace("另见 01-good.xlsx", "")
    assert "12-shifted" not in err
    assert "共 6 个错误、6 个警告" in err

    rows = {(r[2], r[6]): r for r in master_rows(project)}
    assert rows[("好单位", HIGH)][8] == "受理"
    assert rows[("移位单位", MIDDLE)][8] == "受理"
    # The row after the blank line is still read (then refused by the 1-or-2 rule, and said so).
    assert rows[("空行单位", MIDDLE)][8] == "不受理"
    # 11-clash lists 高中 as its 序号 2 and 义务教育 as 序号 1: the list's order decides, 义务教育 is kept.
    assert rows[("冲突单位", MIDDLE)][8] == "受理"
    clash = rows[("冲突单位", HIGH)]
    assert clash[8] == "不受理" and "按本单位排序保留序号1“义务教育新课程培训项目”" in clash[9]
    assert rows[("文字序号单位", HIGH)][8] == "受理"  # “一” read as 1, with a warning
    merged = rows[("合并单位", HIGH)]  # the merged name carried down: one application, both rows named
    assert merged[1] == "08-merged.xlsx[Sheet1]!B7、B8" and merged[7] == "第二行备注" and merged[8] == "受理"
    assert rows[("错名单位", "义务教育新课程项目")][8] == "待核实"
    assert rows[("好单位", HIGH)][1].startswith("01-good")
    dup = [r for r in master_rows(project) if r[1].startswith("10-dup")]
    assert dup[0][8] == "待核实" and "单位重复" in dup[0][9]

    files = {r[0]: r for r in master_rows(project, "文件")}
    assert set(files) == {p.name for p in folder.iterdir() if p.suffix != ".txt"}
    assert files["02-old.xls"][3].startswith("未能汇总：这是旧版 Excel")
    assert files["12-shifted.xlsx"][3] == "已汇总 1 行（受理 1 行）"
    problems = master_rows(project, "问题清单")
    assert ("08-merged.xlsx", "Sheet1", "B7", "警告", "B152") in [p[:5] for p in problems]
    assert len(problems) == 12


def test_exclusive_rule_keeps_the_first_in_the_units_order(project, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    returned(folder / "a.xlsx", "甲", "张", "0379-61234567", [(1, HIGH, ""), (2, MIDDLE, "")])
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 0  # a rule applied is a warning, not an error
    assert [(r[6], r[8]) for r in master_rows(project)] == [(HIGH, "受理"), (MIDDLE, "不受理")]
    assert "警告[B131]" in result.stderr


def test_master_is_byte_identical_across_runs(project, tmp_path):
    folder = spine_returns(project)
    assert run(project, "collect", "--call", CALL, str(folder), "--out", str(tmp_path / "one")).exit_code == 0
    assert run(project, "collect", "--call", CALL, str(folder), "--out", str(tmp_path / "two")).exit_code == 0
    assert (tmp_path / "one/申报汇总总表.xlsx").read_bytes() == (tmp_path / "two/申报汇总总表.xlsx").read_bytes()


def test_a_workbook_changed_in_a_sub_folder_rebuilds_the_master(project, tmp_path):
    """Returns filed by county (returns/县A/…): a change there is a change of the master's input."""
    folder = spine_returns(project)
    county = folder / "县A"
    county.mkdir()
    shutil.move(folder / f"{UNIT_B}.xlsx", county / f"{UNIT_B}.xlsx")
    out = tmp_path / "out"
    assert run(project, "collect", "--call", CALL, str(folder), "--out", str(out)).exit_code == 0
    before = (out / "申报汇总总表.xlsx").read_bytes()
    wb = openpyxl.load_workbook(county / f"{UNIT_B}.xlsx")
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "联系人：蒋一鸣")
    cell.value = "联系人：蒋一飞"
    wb.save(county / f"{UNIT_B}.xlsx")
    result = run(project, "collect", "--call", CALL, str(folder), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "未重新生成" not in result.output
    assert (out / "申报汇总总表.xlsx").read_bytes() != before
    wb = openpyxl.load_workbook(out / "申报汇总总表.xlsx")
    assert "蒋一飞" in [c for row in wb["汇总"].iter_rows(values_only=True) for c in row]


def test_call_must_be_named_when_there_are_several(project, tmp_path):
    shutil.copytree(project / "data/calls" / CALL, project / "data/calls/another")
    result = run(project, "collect", str(tmp_path))
    assert result.exit_code == 2
    assert "错误[B001] 有多个通知，请用 --call 指定一个" in result.stderr
    assert "已有通知：another、" in result.stderr and CALL in result.stderr
    result = run(project, "collect", str(tmp_path / "missing"), "--call", CALL)
    assert result.exit_code == 2 and "错误[D148] 文件夹不存在" in result.stderr


def test_a_word_file_or_a_truncated_zip_named_xlsx_is_named_as_such(tmp_path):
    from docx import Document

    from docgen.load.workbook import read_sheets

    Document().save(tmp_path / "a.xlsx")
    sheets, problem = read_sheets(tmp_path / "a.xlsx", "a.xlsx")
    assert sheets == [] and (problem.code, problem.message) == ("B106", "扩展名是工作簿，实际是Word 文档")
    returned(tmp_path / "b.xlsx", "甲", "张", "0379-61234567", [(1, HIGH, "")])
    (tmp_path / "c.xlsx").write_bytes((tmp_path / "b.xlsx").read_bytes()[:900])
    sheets, problem = read_sheets(tmp_path / "c.xlsx", "c.xlsx")
    assert (problem.code, str(problem.location)) == ("B107", "c.xlsx")
    (tmp_path / "d.xlsx").write_bytes(b"")
    assert read_sheets(tmp_path / "d.xlsx", "d.xlsx")[1].code == "B102"


def test_a_single_file_web_page_saved_as_xls_is_named(tmp_path):
    from docgen.load.workbook import read_sheets

    (tmp_path / "m.xls").write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n")
    assert read_sheets(tmp_path / "m.xls", "m.xls")[1].code == "B105"


def test_labels_and_values_in_one_cell_are_split(project, tmp_path):
    folder = tmp_path / "returns"
    folder.mkdir()
    path = returned(folder / "a.xlsx", "占位", "占位", "占位", [(1, MIDDLE, "")], one_line=True)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col in "BCDEF":
        ws[f"{col}3"] = None
    ws["A3"] = "申报单位（盖章）: 洛阳丙研究院      联系人：王 五      联系电话：0379-6543210"
    wb.save(path)
    result = run(project, "collect", "--call", CALL, str(folder))
    assert result.exit_code == 0, result.output
    assert [r[2:5] for r in master_rows(project)] == [("洛阳丙研究院", "王 五", "0379-6543210")]
