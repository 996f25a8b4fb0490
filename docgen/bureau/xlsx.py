"""Small helpers to draw the bureau's workbooks with openpyxl and return deterministic bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence, Set
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from docgen.outputs.zipnorm import normalize_zip

FIXED_DATETIME = datetime(2000, 1, 1)
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FONT = Font(name="黑体", size=11, bold=True)
BODY_FONT = Font(name="宋体", size=11)
TITLE_FONT = Font(name="方正小标宋简体", size=16)
HEAD_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def header(ws, row: int, labels: Sequence[str], widths: Sequence[float] | None = None) -> None:
    for c, label in enumerate(labels, 1):
        cell = ws.cell(row, c, label)
        cell.font, cell.fill, cell.border, cell.alignment = HEAD_FONT, HEAD_FILL, BORDER, CENTER
    for c, width in enumerate(widths or [], 1):
        ws.column_dimensions[ws.cell(row, c).column_letter].width = width


def body(ws, row: int, values: list, center: Set[int] = frozenset(), height: float | None = None) -> None:
    if height:
        ws.row_dimensions[row].height = height
    for c, value in enumerate(values, 1):
        cell = ws.cell(row, c, value)
        cell.font, cell.border = BODY_FONT, BORDER
        cell.alignment = CENTER if c in center else WRAP


def title(ws, text: str, columns: int, row: int = 1) -> None:
    ws.cell(row, 1, text).font = TITLE_FONT
    ws.cell(row, 1).alignment = CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    ws.row_dimensions[row].height = 32


def to_bytes(wb: Workbook) -> bytes:
    wb.properties.created = wb.properties.modified = FIXED_DATETIME
    wb.properties.lastModifiedBy = wb.properties.creator = "docgen"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())


def landscape(ws, title_rows: str) -> None:
    """Print on A4 landscape, one page wide, repeating *title_rows* (e.g. "2:2") on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
