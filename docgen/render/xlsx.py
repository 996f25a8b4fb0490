"""Render an Excel template with openpyxl.

Cells hold Jinja text: ``{{ unit.name }}``. A cell whose whole text is one
``{{ expr }}`` keeps the value's type (numbers stay numbers). A row whose
first tagged cell starts with ``{% for x in items %}`` is repeated once per
item, with its styles, and the rows below move down.
"""

from __future__ import annotations

import copy
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.outputs.zipnorm import normalize_zip
from docgen.render.env import make_env

_ENV = make_env(autoescape=False)
LOOP_RE = re.compile(r"^\s*\{%-?\s*for\s+(\w+)\s+in\s+(.+?)\s*-?%\}")
WHOLE_EXPR_RE = re.compile(r"^\s*\{\{(.+?)\}\}\s*$")
FIXED_DATETIME = datetime(2000, 1, 1)


def _check_readable(path: Path) -> None:
    """Refuse an empty, OLE, non-zip, bomb or DTD-carrying template with its own message (render/guard.py)."""
    from docgen.render.guard import guard_template

    refused = guard_template(path)
    if refused:
        raise InputError(refused)


def render_xlsx(template: Path, context: dict[str, Any]) -> bytes:
    """Return the bytes of *template* filled from *context*."""
    _check_readable(template)
    from docgen.render.inspect import check_xlsx
    report = check_xlsx(template, context)
    if report.errors:
        raise InputError(report.errors)
    wb = load_workbook(template)
    shown = display_path(template)
    problems: list[Diagnostic] = []
    for ws in wb.worksheets:
        _render_sheet(ws, context, shown, problems)
    if problems:
        raise InputError(problems)
    wb.properties.created = wb.properties.modified = FIXED_DATETIME
    wb.properties.lastModifiedBy = "docgen"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())


def _render_sheet(ws, context: dict[str, Any], shown: str, problems: list[Diagnostic]) -> None:
    loops = []
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and LOOP_RE.match(cell.value):
                loops.append(cell.row)
                break
    # Bottom-up, so inserting rows never moves a loop row still to do.
    for r in reversed(loops):
        _expand_loop(ws, r, context, shown, problems)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and ("{{" in cell.value or "{%" in cell.value):
                cell.value = _render_cell(cell.value, context, shown, ws.title, cell.coordinate, problems)


def _render_cell(text: str, context: dict[str, Any], shown: str, sheet: str, coord: str,
                 problems: list[Diagnostic]) -> Any:
    try:
        whole = WHOLE_EXPR_RE.match(text)
        if whole and "{{" not in whole.group(1):
            value = _ENV.compile_expression(whole.group(1).strip(), undefined_to_none=False)(**context)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            return "" if value is None else str(value)
        return _ENV.from_string(text).render(context)
    except (TemplateError, SecurityError) as exc:
        problems.append(Diagnostic(_error_code(exc), f"模板单元格出错：{getattr(exc, 'message', exc)}",
                                   Location(shown, sheet=sheet, cell=coord)))
        return text


def _error_code(exc: Exception) -> str:
    """Return the catalog code of a template error: syntax, unknown variable, forbidden, or other."""
    if isinstance(exc, TemplateSyntaxError):
        return "T401"
    if isinstance(exc, UndefinedError):
        return "T402"
    if isinstance(exc, SecurityError):
        return "T403"
    return "T413"


def _expand_loop(ws, r: int, context: dict[str, Any], shown: str, problems: list[Diagnostic]) -> None:
    cells = {c.column: c for c in ws[r]}
    var: str | None = None
    items_expr: str | None = None
    texts: dict[int, Any] = {}
    for col, cell in cells.items():
        value = cell.value
        if isinstance(value, str):
            m = LOOP_RE.match(value)
            if m and var is None:
                var, items_expr = m.group(1), m.group(2)
                value = value[m.end():]
            value = re.sub(r"\{%-?\s*endfor\s*-?%\}", "", value)
        texts[col] = value
    if var is None or items_expr is None:  # the caller only passes rows that open a {% for %}
        raise ValueError(f"row {r} of {ws.title} opens no loop")
    try:
        evaluated = _ENV.compile_expression(items_expr, undefined_to_none=False)(**context)
        if evaluated is None:  # as list(None) would say, reported below like any other non-iterable
            raise TypeError("'NoneType' object is not iterable")
        items = list(evaluated)
    except (TemplateError, SecurityError, TypeError) as exc:
        problems.append(Diagnostic(_error_code(exc), f"循环行出错：{getattr(exc, 'message', exc)}",
                                   Location(shown, sheet=ws.title, cell=f"A{r}")))
        return
    extra = len(items) - 1
    if extra > 0:
        _shift_down(ws, r, extra)
    elif extra < 0:
        ws.delete_rows(r, 1)
        _shift_merged(ws, r, -1)
        return
    height = ws.row_dimensions[r].height
    for i, item in enumerate(items):
        row = r + i
        loop = {"index": i + 1, "index0": i, "first": i == 0, "last": i == len(items) - 1,
                "length": len(items)}
        local = {**context, var: item, "loop": loop}
        for col, text in texts.items():
            target = ws.cell(row=row, column=col)
            if i > 0:
                source = cells[col]
                if source.has_style:
                    target._style = copy.copy(source._style)
            if isinstance(text, str) and ("{{" in text or "{%" in text):
                target.value = _render_cell(text, local, shown, ws.title, target.coordinate, problems)
            else:
                target.value = text
        fitted = _fitted_height(ws, row)
        if fitted or height is not None:
            ws.row_dimensions[row].height = max(fitted or 0, height or 0)


def _shift_down(ws, r: int, n: int) -> None:
    heights = {k: v.height for k, v in ws.row_dimensions.items() if k > r}
    ws.insert_rows(r + 1, n)
    _shift_merged(ws, r + 1, n)
    for k, h in sorted(heights.items(), reverse=True):
        ws.row_dimensions[k + n].height = h
    for k in range(r + 1, r + 1 + n):
        ws.row_dimensions[k].height = None


def _shift_merged(ws, from_row: int, n: int) -> None:
    """Move merged ranges at or below *from_row* by *n* rows (openpyxl leaves them in place)."""
    moved = []
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= from_row:
            moved.append(CellRange(min_col=rng.min_col, max_col=rng.max_col,
                                   min_row=rng.min_row + n, max_row=rng.max_row + n))
            ws.merged_cells.remove(rng)
    for rng in moved:
        ws.merge_cells(f"{get_column_letter(rng.min_col)}{rng.min_row}:{get_column_letter(rng.max_col)}{rng.max_row}")


def _text_width(text: str) -> int:
    """Return the width of *text* in Excel character units (a CJK character counts two)."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fitted_height(ws, row: int) -> float | None:
    """Return a row height (points) that shows every wrapped cell of *row* in full, or None.

    Excel and LibreOffice do not re-measure row heights when they open a file, so a
    wrapped cell filled by docgen would show only its last line.
    """
    lines_needed = 1
    wrapped = False
    for cell in ws[row]:
        if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
            continue
        wrapped = True
        letter = cell.column_letter
        width = ws.column_dimensions[letter].width or 8.43
        for rng in ws.merged_cells.ranges:
            if rng.min_row == row and rng.min_col == cell.column:
                width = sum((ws.column_dimensions[get_column_letter(c)].width or 8.43)
                            for c in range(rng.min_col, rng.max_col + 1))
        per_line = max(int(width) - 1, 1)
        lines = sum(max(1, -(-_text_width(part) // per_line)) for part in cell.value.split("\n"))
        lines_needed = max(lines_needed, lines)
    if not wrapped:
        return None
    size = 11.0
    for cell in ws[row]:
        if cell.font and cell.font.sz:
            size = max(size, float(cell.font.sz))
    return round(lines_needed * size * 1.45 + 4, 1)
