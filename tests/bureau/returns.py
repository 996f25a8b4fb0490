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
        result = out_dir / (source.stem + "." + fmt)
        assert result.is_file(), f"LibreOffice did not write {result}"
    shutil.rmtree(out_dir.parent / f"lo-{out_dir.name}", ignore_errors=True)
    return result
