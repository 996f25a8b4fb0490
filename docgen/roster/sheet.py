"""Draw the 填报表 workbook: headers, an example row, drop-down lists, date and phone checks, the unit's data."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.models.unit import title_level_of
from docgen.outputs.zipnorm import normalize_zip
from docgen.roster import (
    APPLICATION_EXAMPLE,
    APPS_SHEET,
    CALLS_SHEET,
    CHOICES_SHEET,
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    MARK_SHEET,
    NARRATIVE_EXAMPLE,
    NARRATIVE_SHEET,
    ROSTERS,
    UNIT_INFO_SHEET,
    Column,
    application_columns,
    narrative_columns,
    unit_info_rows,
)
from docgen.roster.source import UnitSource, narrative_rows

ROWS = 500  # data rows carrying validations
WIDTHS = {"id": 18, "application": 18, "call": 30, "item": 20, "text": 60, "file": 30}  # columns of ids and texts
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
FIXED = datetime(2000, 1, 1)


def cell_value(col: Column, value: Any) -> Any:
    """A model value as a person would type it in the cell."""
    if value is None:
        return None
    if col.kind == "yesno":
        if isinstance(value, str):
            return value
        return "是" if value else "否"
    if col.kind == "list":
        return "、".join(str(v) for v in value) if isinstance(value, (list, tuple)) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # e.g. the \a ruamel leaves at a folded line break
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


def _validation(col: Column, choices: _Choices, extra_choices: list[str] | str | None = None) -> DataValidation | None:
    """The cell check of *col*; *extra_choices* replaces its drop-down list (a str: a range of another sheet)."""
    values = extra_choices if extra_choices is not None else col.choices
    title = col.title
    if isinstance(values, str):
        dv = DataValidation(type="list", formula1=values, allow_blank=not col.required)
        dv.showErrorMessage = col.strict
        dv.error = f"“{title}”请从下拉列表中选择"
        dv.prompt = "从下拉列表中选择"
    elif col.kind in ("choice", "yesno") or values:
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


def _table_sheet(wb: Workbook, name: str, columns: list[Column], example: dict[str, Any],
                 rows: list[dict[str, Any]], choices: _Choices, lists: dict[str, list[str] | str]) -> None:
    """A sheet of one row per record: headers, the example row, validations, then *rows*."""
    ws = wb.create_sheet(name)
    ws.freeze_panes = "A3"
    for c, col in enumerate(columns, 1):
        letter = get_column_letter(c)
        head = ws.cell(row=1, column=c, value=col.header)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if col.note:
            head.comment = Comment(col.note, "docgen")
        example_cell = ws.cell(row=EXAMPLE_ROW, column=c, value=cell_value(col, example.get(col.key)))
        example_cell.font = EXAMPLE_FONT
        example_cell.number_format = _number_format(col)
        wide = WIDTHS.get(col.key) or max(10, min(40, 4 + 2 * len(col.title)))
        ws.column_dimensions[letter].width = wide
        for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + max(ROWS, len(rows))):
            ws.cell(row=r, column=c).number_format = _number_format(col)
        dv = _validation(col, choices, lists.get(col.key))
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + ROWS - 1}")
    ws.cell(row=EXAMPLE_ROW, column=1).comment = Comment(
        "第 2 行是示例，不会导入；请从第 3 行起填写，每人（每项）一行。带 * 的列必填。", "docgen")
    for i, row in enumerate(rows):
        for c, col in enumerate(columns, 1):
            cell = ws.cell(row=FIRST_DATA_ROW + i, column=c, value=cell_value(col, row.get(col.key)))
            if col.key == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _unit_sheet(wb: Workbook, src: UnitSource, choices: _Choices) -> None:
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
        note = col.note or notes.get(col.kind, "")
        if key == "credit_code":
            note = "18 位，见法人证书或营业执照；末位为校验位"
        ws.cell(row=r, column=3, value=note).font = EXAMPLE_FONT
        ws.cell(row=r, column=4, value=key)
        target = ws.cell(row=r, column=2)
        target.number_format = _number_format(col)
        target.value = cell_value(col, get_dotted(src.data, key))
        dv = _validation(col, choices)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"B{r}")


def get_dotted(obj: Any, dotted: str) -> Any:
    """Return the value at *dotted* (a.b.c) of a model or a mapping, None when any part is absent."""
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def _record(item: Any) -> dict[str, Any]:
    if isinstance(item, dict):
        return dict(item)
    return {k: getattr(item, k) for k in type(item).model_fields}


def roster_rows(src: UnitSource, spec) -> list[dict[str, Any]]:
    if spec.per_application:
        rows = []
        for app in src.apps:
            items = app.data.get(spec.key) or []
            for item in items if isinstance(items, list) else []:
                rows.append({"application": app.id, **_record(item)})
        return rows
    items = get_dotted(src.data, spec.key) or []
    rows = [_record(item) for item in (items if isinstance(items, list) else [])]
    for row in rows:
        # 职称等级 is left blank where docgen derives it from 职称, so a wrong 职称 typed later is caught
        if "title_level" in row and row["title_level"] == title_level_of(str(row.get("title") or "")):
            row["title_level"] = None
    return rows


def _application_rows(src: UnitSource) -> list[dict[str, Any]]:
    rows = []
    for app in src.apps:
        row = {col.key: get_dotted(app.data, col.key) for col in application_columns() if col.key != "id"}
        row["id"] = app.id
        rows.append(row)
    return rows


def _calls_sheet(wb: Workbook, src: UnitSource) -> None:
    """A reference sheet: each call, its sub-projects, narrative items and 佐证 (not read back)."""
    ws = wb.create_sheet(CALLS_SHEET)
    heads = (("通知", 30), ("项目名称", 40), ("子项目（序号 名称）", 50), ("申报书叙述项", 50), ("佐证材料", 50))
    for c, (title, width) in enumerate(heads, 1):
        cell = ws.cell(row=1, column=c, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, (call_id, call) in enumerate(sorted(src.calls.items()), 2):
        subs = "\n".join(f"{s.no} {s.name}" for s in call.sub_projects)
        items = "\n".join(f.title + ("" if f.required else "（选填）") for f in call.application.narrative)
        for c, value in enumerate((call_id, call.project_title, subs, items, "\n".join(call.attachments)), 1):
            ws.cell(row=r, column=c, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row=len(src.calls) + 3, column=1, value="本工作表只供查阅，导入时不读取。").font = EXAMPLE_FONT


def _mark_sheet(wb: Workbook, src: UnitSource) -> None:
    ws = wb.create_sheet(MARK_SHEET)
    ws.sheet_state = "hidden"
    ws["A1"], ws["B1"] = "单位文件夹", src.id
    ws["A2"], ws["B2"] = "单位名称", src.name
    ws["A3"], ws["B3"] = "说明", "docgen 据此确认导入到哪个单位，请勿修改。"


def build_workbook(src: UnitSource) -> bytes:
    """Return the 填报表 workbook's bytes for unit *src* (blank when the unit has no data yet)."""
    wb = Workbook()
    wb.remove(wb.active)
    choices = _Choices(wb)
    _unit_sheet(wb, src, choices)
    kinds = sorted({k for call in src.calls.values() for k in call.attachments})
    titles = list(dict.fromkeys(f.title for call in src.calls.values() for f in call.application.narrative))
    apps_ref = f"{quote_sheetname(APPS_SHEET)}!$A${FIRST_DATA_ROW}:$A${FIRST_DATA_ROW + ROWS - 1}"
    per_app: dict[str, list[str] | str] = {"application": apps_ref}
    for spec in ROSTERS:
        if spec.per_application and APPS_SHEET not in wb.sheetnames:
            _table_sheet(wb, APPS_SHEET, application_columns(), APPLICATION_EXAMPLE, _application_rows(src),
                         choices, {"call": sorted(src.calls)})
            rows = [r for app in src.apps for r in narrative_rows(app, src.calls.get(str(app.data.get("call"))))]
            _table_sheet(wb, NARRATIVE_SHEET, narrative_columns(), NARRATIVE_EXAMPLE, rows, choices,
                         {**per_app, "item": titles})
        spec_lists: dict[str, list[str] | str] = {"title": kinds} if spec.key == "attachments" else per_app if spec.per_application else {}
        _table_sheet(wb, spec.name, spec.columns, spec.example, roster_rows(src, spec), choices, spec_lists)
    _calls_sheet(wb, src)
    wb.move_sheet(CHOICES_SHEET, offset=len(wb.sheetnames))
    _mark_sheet(wb, src)
    wb.active = 0
    wb.properties.created = wb.properties.modified = FIXED
    wb.properties.creator = wb.properties.lastModifiedBy = "docgen"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())
