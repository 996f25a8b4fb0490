"""Returned workbooks as other tools write them, and LibreOffice recalculation, for the bureau tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

from docgen.pdf.convert import find_soffice, lo_environment, make_profile

HIGH = "高中新高考培训项目"
MIDDLE = "义务教育新课程培训项目"


def returned(path: Path, unit: str, contact: str, phone: str, rows: list[tuple], *, top: int = 0, left: int = 0,
             one_line: bool = False, header: tuple = ("序号", "项目名称", "备注"), merge: str | None = None,
             blank_before: int | None = None) -> Path:
    """Write a returned 汇总表 the way a unit might: *top*/*left* shift everything, *one_line* puts the
    unit, contact and phone on one line as in the 2025 notice, values in the cells right of the labels."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    r, c = 1 + top, 1 + left
    ws.cell(r, c, "附件4")
    ws.cell(r + 1, c, "洛阳市2026年“市培计划”项目申报汇总表")
    if one_line:
        ws.cell(r + 2, c, "申报单位（盖章）:")
        ws.cell(r + 2, c + 1, unit)
        ws.cell(r + 2, c + 2, "联系人：")
        ws.cell(r + 2, c + 3, contact)
        ws.cell(r + 2, c + 4, "联系电话：")
        ws.cell(r + 2, c + 5, phone)
        hr = r + 3
    else:
        ws.cell(r + 2, c, f"申报单位（盖章）：{unit}")
        ws.cell(r + 3, c, f"联系人：{contact}")
        ws.cell(r + 4, c, f"联系电话：{phone}")
        hr = r + 5
    for k, label in enumerate(header):
        ws.cell(hr, c + k, label)
    row = hr + 1
    for i, values in enumerate(rows):
        if blank_before is not None and i == blank_before:
            row += 1
        for k, v in enumerate(values):
            ws.cell(row, c + k, v)
        row += 1
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def soffice_convert(src: Path | list[Path], out_dir: Path, fmt: str = "xlsx") -> Path:
    """Convert *src* (one file or several, in one soffice run) with LibreOffice headless, using a profile
    that always recalculates, into *out_dir*; return the (last) converted file."""
    sources = src if isinstance(src, list) else [src]
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = make_profile(out_dir.parent / f"lo-{out_dir.name}")
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", fmt, "--outdir", str(out_dir), *map(str, sources)],
                   env=lo_environment(), capture_output=True, timeout=120, check=True)
    for source in sources:
        result = out_dir / (source.stem + "." + fmt.split(":")[0])
        assert result.is_file(), f"LibreOffice did not write {result}"
    shutil.rmtree(out_dir.parent / f"lo-{out_dir.name}", ignore_errors=True)
    return result


# ---------------------------------------------------------------- returns as other programs write them

SEAL = Path(__file__).resolve().parents[2] / "samples/units/heluo-normal/seal.png"
FOOTNOTE = "注：1.每个申报单位限报1个子项目；2.本表须加盖单位公章，与申报书一并报送；3.项目名称须与附件1一致。"


def office_form(path: Path, unit: str, contact: str, phone, rows: list[tuple], *,
                header: tuple = ("序号", "项目名称", "备注"), merge: list[str] = (), footnote: bool = True,
                signature: bool = True, seal: bool = False, hidden_sheet: bool = False,
                sheet: str = "Sheet1", two_row_header: bool = False) -> Path:
    """Write a 汇总表 the way a person does it in Excel or WPS: title merged over the table, labels on
    their own lines, a bordered table in 宋体 with a shaded header, merged cells where the person merged
    them (*merge*), the notice's footnote merged across the width under the table, a signature and date
    line, a seal picture over the unit line, a hidden working sheet.

    *rows* are (序号, 项目名称, 备注); a value may be a formula text ("=1/0").
    """
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "附件4"
    ws["A1"].font = Font(name="黑体", size=12)
    ws["A2"] = "洛阳市2026年“市培计划”项目申报汇总表"
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A2:C2")
    ws["A3"] = f"申报单位（盖章）：{unit}"
    ws.merge_cells("A3:C3")
    ws["A4"] = f"联系人：{contact}"
    ws["A5"] = "联系电话："
    ws["B5"] = phone
    hr = 6
    for k, label in enumerate(header, 1):
        cell = ws.cell(hr, k, label)
        cell.font = Font(name="黑体", size=11, bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.border = box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if two_row_header:  # the header over two rows, each label merged down
        for k in range(1, len(header) + 1):
            ws.cell(hr + 1, k).border = box
            ws.merge_cells(start_row=hr, start_column=k, end_row=hr + 1, end_column=k)
        hr += 1
    r = hr + 1
    for values in rows:
        for k, v in enumerate(values, 1):
            cell = ws.cell(r, k, v)
            cell.font = Font(name="宋体", size=11)
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        r += 1
    for rng in merge:
        ws.merge_cells(rng)
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 40
    if footnote:
        ws.cell(r, 1, FOOTNOTE).alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 48
        r += 1
    if signature:
        ws.cell(r + 1, 1, "填表人：")
        ws.cell(r + 1, 3, "2026年3月10日")
    if seal:
        img = Image(str(SEAL))
        img.width = img.height = 120
        ws.add_image(img, "B3")
    if hidden_sheet:
        hs = wb.create_sheet("计算过程")
        hs["A1"] = "草稿"
        hs.sheet_state = "hidden"
    wb.save(path)
    return path


def wps_merged(path: Path, unit: str) -> Path:
    """A WPS-style return: one sub-project for two subjects, its 序号 and 项目名称 merged over two rows."""
    return office_form(path, unit, "刘洋", "13700001111",
                       [(1, HIGH, "高中语文"), (None, None, "高中数学")], merge=["A7:A8", "B7:B8"])


def soffice_xls(src: Path | list[Path], out_dir: Path) -> Path:
    """Save *src* as an Excel 97-2003 workbook (BIFF8) through LibreOffice, as an office's old PC would."""
    result = soffice_convert(src, out_dir, "xls:MS Excel 97")
    return result
