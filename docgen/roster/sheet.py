"""Draw the 填报表 workbook: headers, an example row, drop-down lists, date and phone checks, the unit's data."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.apply.load import LoadedUnit
from docgen.models.unit import title_level_of
from docgen.outputs.zipnorm import normalize_zip
from docgen.roster import (
    CHOICES_SHEET,
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    ROSTERS,
    UNIT_INFO_SHEET,
    Column,
    RosterSheet,
    unit_info_rows,
)

ROWS = 500  # data rows carrying validations
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
FIXED = datetime(2000, 1, 1)


def cell_value(col: Column, value: Any) -> Any:
    """A model value as a person would type it in the cell."""
    if value is None:
        return None
    if col.kind == "yesno":
        return "是" if value else "否"
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


class _Choices:
    """Lists for drop-downs, kept on a hidden sheet (inline lists are limited to 255 characters)."""

    def __init__(self, wb: Workbook):
        self.ws = wb.create_sheet(CHOICES_SHEET)
        self.ws.sheet_state = "hidden"
        self.refs: dict[tuple, str] = {}

    def ref(self, values: list[str]) -> str:
        key = tuple(values)
        if key not in self.refs:
            col = len(self.refs) + 1
            for i, v in enumerate(values, 1):
                self.ws.cell(row=i, column=col, value=v)
            letter = get_column_letter(col)
            self.refs[key] = f"{quote_sheetname(CHOICES_SHEET)}!${letter}$1:${letter}${max(len(values), 1)}"
        return self.refs[key]


def _validation(col: Column, choices: _Choices, extra_choices: list[str] | None = None) -> DataValidation | None:
    values = extra_choices if extra_choices is not None else col.choices
    title = col.title
    if col.kind in ("choice", "yesno") or values:
        dv = DataValidation(type="list", formula1=choices.ref(values or [""]), allow_blank=not col.required)
        dv.showErrorMessage = col.strict
        dv.error = f"“{title}”请从下拉列表中选择：{'、'.join(values[:12])}"
        dv.prompt = "从下拉列表中选择" + ("，也可直接输入" if not col.strict else "")
    elif col.kind == "date":
        dv = DataValidation(type="date", operator="between", formula1="DATE(1990,1,1)",
                            formula2="DATE(2100,12,31)", allow_blank=not col.required)
        dv.error = f"“{title}”应为日期，例如 2024-03-01"
        dv.prompt = "日期，写作 2024-03-01"
    elif col.kind == "mobile":
        dv = DataValidation(type="textLength", operator="equal", formula1="11", allow_blank=not col.required)
        dv.error = "手机号应为 11 位数字"
        dv.prompt = "11 位手机号"
    elif col.kind == "phone":
        dv = DataValidation(type="textLength", operator="between", formula1="7", formula2="20",
                            allow_blank=not col.required)
        dv.error = "电话写作“区号-号码”（如 0379-62211339），或 11 位手机号"
        dv.prompt = "区号-号码，或手机号"
    elif col.kind == "postcode":
        dv = DataValidation(type="textLength", operator="equal", formula1="6", allow_blank=not col.required)
        dv.error = "邮编应为 6 位数字"
    elif col.kind == "int":
        low, high = ("18", "90") if col.key == "age" else ("0", "1000000")
        dv = DataValidation(type="whole", operator="between", formula1=low, formula2=high,
                            allow_blank=not col.required)
        dv.error = f"“{title}”应为 {low}～{high} 的整数"
    else:
        return None
    if dv.type != "list":
        dv.showErrorMessage = True  # Excel refuses the entry (openpyxl's default only warns nothing)
    dv.errorTitle = "填写有误"
    dv.showInputMessage = True
    return dv


def _number_format(col: Column) -> str:
    if col.kind == "date":
        return "yyyy-mm-dd"
    if col.kind in ("int", "float"):
        return "General"
    return "@"  # text: long digit strings (手机号、信用代码) stay text


def _roster_sheet(wb: Workbook, spec: RosterSheet, rows: list[dict[str, Any]], choices: _Choices,
                  app_ids: list[str]) -> None:
    ws = wb.create_sheet(spec.name)
    ws.freeze_panes = "A3"
    for c, col in enumerate(spec.columns, 1):
        letter = get_column_letter(c)
        head = ws.cell(row=1, column=c, value=col.header)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.note:
            head.comment = Comment(col.note, "docgen")
        example = ws.cell(row=EXAMPLE_ROW, column=c, value=cell_value(col, spec.example.get(col.key)))
        example.font = EXAMPLE_FONT
        example.number_format = _number_format(col)
        ws.column_dimensions[letter].width = max(10, min(40, 4 + 2 * len(col.title)))
        for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + max(ROWS, len(rows))):
            ws.cell(row=r, column=c).number_format = _number_format(col)
        dv = _validation(col, choices, app_ids if col.key == "application" else None)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + ROWS - 1}")
    ws.cell(row=EXAMPLE_ROW, column=1).comment = Comment(
        "第 2 行是示例，不会导入；请从第 3 行起填写，每人（每项）一行。带 * 的列必填。", "docgen")
    for i, row in enumerate(rows):
        for c, col in enumerate(spec.columns, 1):
            ws.cell(row=FIRST_DATA_ROW + i, column=c, value=cell_value(col, row.get(col.key)))


def _unit_sheet(wb: Workbook, unit: LoadedUnit | None, choices: _Choices) -> None:
    ws = wb.create_sheet(UNIT_INFO_SHEET, 0)
    for c, (title, width) in enumerate((("栏目", 34), ("填写内容", 50), ("说明", 40), ("字段", 24)), 1):
        head = ws.cell(row=1, column=c, value=title)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.column_dimensions["D"].hidden = True
    ws.freeze_panes = "B2"
    notes = {"phone": "区号-号码，如 0379-62211339", "mobile": "11 位手机号", "postcode": "6 位数字",
             "email": "如 name@example.edu.cn", "choice": "从下拉列表中选择"}
    for r, (key, col) in enumerate(unit_info_rows(), 2):
        ws.cell(row=r, column=1, value=col.header)
        note = notes.get(col.kind, "")
        if key == "credit_code":
            note = "18 位，见法人证书或营业执照；末位为校验位"
        ws.cell(row=r, column=3, value=note).font = EXAMPLE_FONT
        ws.cell(row=r, column=4, value=key)
        target = ws.cell(row=r, column=2)
        target.number_format = _number_format(col)
        if unit is not None:
            target.value = cell_value(col, _get(unit.model, key))
        dv = _validation(col, choices)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"B{r}")


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part, None) if obj is not None else None
    return obj


def roster_rows(unit: LoadedUnit, spec: RosterSheet) -> list[dict[str, Any]]:
    if spec.per_application:
        rows = []
        for app in sorted(unit.applications, key=lambda a: a.id):
            for item in getattr(app.model, spec.key):
                rows.append({"application": app.id, **{k: getattr(item, k) for k in type(item).model_fields}})
        return rows
    rows = [{k: getattr(item, k) for k in type(item).model_fields} for item in getattr(unit.model, spec.key)]
    for row in rows:
        # 职称等级 is left blank where docgen derives it from 职称, so a wrong 职称 typed later is caught
        if "title_level" in row and row["title_level"] == title_level_of(row.get("title") or ""):
            row["title_level"] = None
    return rows


def build_workbook(unit: LoadedUnit | None) -> bytes:
    """Return the 填报表 workbook's bytes, filled with *unit*'s current data when given."""
    wb = Workbook()
    wb.remove(wb.active)
    choices = _Choices(wb)
    _unit_sheet(wb, unit, choices)
    app_ids = sorted(a.id for a in unit.applications) if unit is not None else []
    for spec in ROSTERS:
        rows = roster_rows(unit, spec) if unit is not None else []
        _roster_sheet(wb, spec, rows, choices, app_ids)
    wb.move_sheet(CHOICES_SHEET, offset=len(wb.sheetnames))
    wb.active = 0
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = wb.properties.lastModifiedBy = "docgen"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())
