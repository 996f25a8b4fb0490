"""Read a filled 填报表 back: every problem named by sheet, row and column, nothing changed on any error."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.table import norm_label
from docgen.load.validate import pydantic_diagnostic
from docgen.load.workbook import BookView, open_book
from docgen.load.yamlpos import load_yaml
from docgen.models.application import Application
from docgen.models.unit import Expert, PastProject, Unit
from docgen.roster import (
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    ROSTERS,
    UNIT_INFO_SHEET,
    Column,
    RosterSheet,
    unit_info_rows,
)
from docgen.roster.sheet import cell_value

# Errors a model raises about a whole row belong to one of its cells.
ROW_ERROR_FIELD = {Expert: "title", PastProject: "end"}
DATE_TEXT = [r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", r"(\d{4})(\d{2})(\d{2})"]


@dataclass
class ImportPlan:
    """What an import would change: the unit's new data and each application's mentors."""

    unit_path: Path
    unit_old: Unit | None
    unit_new: Unit
    unit_raw: dict[str, Any]
    apps: dict[Path, tuple[Application | None, Application]] = field(default_factory=dict)


def convert(col: Column, value: Any) -> Any:
    """Turn what a person typed into what the model expects; leave anything unclear for the model to refuse."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if col.kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            for pattern in DATE_TEXT:
                m = re.fullmatch(pattern, value)
                if m:
                    try:
                        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    except ValueError:
                        return value
        return value
    if col.kind in ("int", "float"):
        if isinstance(value, float) and value.is_integer() and col.kind == "int":
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\d+", value):
            return int(value)
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or postcode typed as a number
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value


class _Cells:
    """positions.locate for validate.pydantic_diagnostic: model paths → sheet!cell."""

    def __init__(self, shown: str, mapper):
        self.shown, self.mapper = shown, mapper

    def locate(self, loc: tuple) -> Location:
        return self.mapper(tuple(loc))


class _FakeDoc:
    def __init__(self, positions: _Cells):
        self.positions = positions


def _set(data: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    if value is None:
        data.pop(parts[-1], None)
    else:
        data[parts[-1]] = value


def _value(ws, row: int, column: int, col: Column, shown: str, collector: Collector) -> Any:
    """The converted value of a cell; a long code typed as a number (digits lost by Excel) is reported."""
    value = ws.cell(row=row, column=column).value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and col.kind not in ("int", "float") \
            and abs(value) >= 1e15:
        collector.add(Diagnostic(
            "D305", "这一格是超过 15 位的数字，Excel 已把末几位变成 0，原号码无法还原",
            Location(shown, sheet=ws.title, cell=f"{get_column_letter(column)}{row}"), field=col.title,
            hint="把该单元格设置为“文本”格式后重新输入（或在号码前加英文单引号 '）。"))
        return _BAD
    return convert(col, value)


_BAD = "\0"  # a value already reported; the model's own complaint about it is dropped


def _headers(ws, spec: RosterSheet, shown: str, collector: Collector) -> dict[str, int]:
    found: dict[str, int] = {}
    titles = {norm_label(c.title): c.key for c in spec.columns}
    for cell in ws[1]:  # exact labels after spaces, line breaks, full/half width and the * of required columns
        text = norm_label(cell.value)
        if text in titles:
            found[titles[text]] = cell.column
    for col in spec.columns:
        if col.key not in found and col.required:
            collector.add(Diagnostic("D145", f"缺少“{col.title}”列", Location(shown, sheet=spec.name, cell="A1"),
                                     hint="不要删除或改写第 1 行的列名；可重新运行 docgen data sheet 取得空白填报表。"))
    return found


def _read_roster(ws, spec: RosterSheet, shown: str,
                 collector: Collector) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, int]]:
    cols = _headers(ws, spec, shown, collector)
    by_key = {c.key: c for c in spec.columns}
    keys = [c.key for c in spec.columns if c.key in cols]
    example = [cell_value(by_key[k], spec.example.get(k)) for k in keys]
    got = [ws.cell(row=EXAMPLE_ROW, column=cols[k]).value for k in keys]
    if any(v not in (None, "") for v in got) and [convert(by_key[k], v) for k, v in zip(keys, got)] != \
            [convert(by_key[k], v) for k, v in zip(keys, example)]:
        collector.add(Diagnostic("D303", "第 2 行是示例行，其中的内容不会导入，但它被改动过",
                                 Location(shown, sheet=spec.name, cell=f"A{EXAMPLE_ROW}"),
                                 hint="把第 2 行的数据移到第 3 行及以下（示例行可以保留原样或清空）。"))
    rows = []
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        values = {key: _value(ws, r, c, by_key[key], shown, collector) for key, c in cols.items()}
        if all(v is None for v in values.values()):
            continue
        rows.append((r, {k: v for k, v in values.items() if v is not None}))
    return rows, cols


def plan_import(path: Path, data_dir: Path, unit_id: str) -> ImportPlan:
    """Read the workbook at *path* for unit *unit_id*; raise InputError naming every problem."""
    shown = display_path(path)
    if not path.is_file():
        raise InputError(Diagnostic("D300", "填报表文件不存在", Location(shown)))
    book, notes = open_book(path, shown)  # the one opener: .xlsx or .xls by content, B101–B107 when unreadable
    if book is None:
        raise InputError(notes)
    wb = BookView(book)
    unit_path = data_dir / "units" / unit_id / "unit.yaml"
    if not unit_path.is_file():
        known = "、".join(sorted(p.parent.name for p in (data_dir / "units").glob("*/unit.yaml")))
        raise InputError(Diagnostic("D132", f"找不到单位“{unit_id}”", Location(display_path(data_dir / "units")),
                                    hint=f"已有单位：{known or '（无）'}"))
    collector = Collector()
    collector.extend(notes)
    doc = load_yaml(unit_path)
    raw = copy.deepcopy(doc.data) if isinstance(doc.data, dict) else {}
    try:
        unit_old = Unit.model_validate(doc.data)
    except ValidationError:
        unit_old = None

    # 单位信息
    info_rows: dict[str, int] = {}
    info_cols = dict(unit_info_rows())
    by_title = {c.header: k for k, c in info_cols.items()} | {c.title: k for k, c in info_cols.items()}
    if UNIT_INFO_SHEET in wb.sheetnames:
        ws = wb[UNIT_INFO_SHEET]
        for r in range(2, ws.max_row + 1):
            key = str(ws.cell(row=r, column=4).value or "").strip() or by_title.get(
                str(ws.cell(row=r, column=1).value or "").strip(), "")
            if key not in info_cols:
                continue
            info_rows[key] = r
            _set(raw, key, _value(ws, r, 2, info_cols[key], shown, collector))
    else:
        collector.add(Diagnostic("D301", f"缺少工作表“{UNIT_INFO_SHEET}”", Location(shown),
                                 hint="不要删除或改名工作表；可重新运行 docgen data sheet 取得空白填报表。"))

    # unit rosters
    roster_rows: dict[str, list[int]] = {}
    mentor_rows: list[tuple[int, dict[str, Any]]] = []
    specs = {s.key: s for s in ROSTERS}
    read_cols: dict[str, dict[str, int]] = {}  # roster → field → column number, as found in row 1
    for spec in ROSTERS:
        if spec.name not in wb.sheetnames:
            collector.add(Diagnostic("D301", f"缺少工作表“{spec.name}”", Location(shown),
                                     hint="不要删除或改名工作表；可重新运行 docgen data sheet 取得空白填报表。"))
            continue
        rows, read_cols[spec.key] = _read_roster(wb[spec.name], spec, shown, collector)
        if spec.per_application:
            mentor_rows = rows
            continue
        roster_rows[spec.key] = [r for r, _ in rows]
        raw[spec.key] = [values for _, values in rows]

    def cell_of(spec: RosterSheet, row: int, key: str | None) -> Location:
        col = read_cols.get(spec.key, {}).get(key) if key else None
        return Location(shown, sheet=spec.name, cell=f"{get_column_letter(col or 1)}{row}")

    def locate_unit(loc: tuple) -> Location:
        if loc and loc[0] in roster_rows and len(loc) >= 2 and isinstance(loc[1], int):
            spec = specs[loc[0]]
            key = loc[2] if len(loc) >= 3 else ROW_ERROR_FIELD.get(spec.model)
            return cell_of(spec, roster_rows[loc[0]][loc[1]], key)
        dotted = ".".join(str(p) for p in loc)
        for key in (dotted, *[k for k in info_rows if dotted.startswith(k + ".")]):
            if key in info_rows:
                return Location(shown, sheet=UNIT_INFO_SHEET, cell=f"B{info_rows[key]}")
        return doc.positions.locate(loc)

    unit_new = _validate(raw, Unit, _FakeDoc(_Cells(shown, locate_unit)), collector, specs, loc_title=True)

    # 影子导师 → each application's mentors
    apps: dict[Path, tuple[Application | None, Application]] = {}
    app_dir = data_dir / "units" / unit_id / "applications"
    app_paths = {p.stem: p for p in sorted(app_dir.glob("*.yaml"))}
    mentor_spec = specs["mentors"]
    grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for r, values in mentor_rows:
        app_id = str(values.pop("application", "") or "")
        if app_id not in app_paths:
            collector.add(Diagnostic(
                "D304", f"找不到申报“{app_id}”" if app_id else "未填写该导师属于哪一份申报",
                cell_of(mentor_spec, r, "application"), field="申报（文件名）",
                hint=f"填 applications/ 下的文件名（不含 .yaml）：{'、'.join(app_paths) or '（无）'}"))
            continue
        grouped.setdefault(app_id, []).append((r, values))
    if mentor_spec.name in wb.sheetnames:
        for app_id, app_path in app_paths.items():
            app_doc = load_yaml(app_path)
            if not isinstance(app_doc.data, dict):
                continue
            app_raw = copy.deepcopy(app_doc.data)
            rows = grouped.get(app_id, [])
            if rows or app_raw.get("mentors"):
                app_raw["mentors"] = [v for _, v in rows]
            try:
                old = Application.model_validate(app_doc.data)
            except ValidationError:
                old = None
            row_numbers = [r for r, _ in rows]

            def locate_app(loc: tuple, row_numbers=row_numbers, app_doc=app_doc) -> Location:
                if loc and loc[0] == "mentors" and len(loc) >= 2 and isinstance(loc[1], int):
                    return cell_of(mentor_spec, row_numbers[loc[1]], loc[2] if len(loc) >= 3 else None)
                return app_doc.positions.locate(loc)

            new = _validate(app_raw, Application, _FakeDoc(_Cells(shown, locate_app)), collector, specs,
                            loc_title=True)
            if new is not None:
                apps[app_path] = (old, new)
    collector.raise_if_errors()
    return ImportPlan(unit_path, unit_old, unit_new, raw, apps)


def _validate(raw: dict, model: type[BaseModel], doc: _FakeDoc, collector: Collector,
              specs: dict[str, RosterSheet], loc_title: bool) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if err.get("input") == _BAD:
                continue
            d = pydantic_diagnostic(doc, model, err)  # type: ignore[arg-type]
            loc = tuple(err["loc"])
            title = None
            if loc and loc[0] in specs and len(loc) >= 2:
                spec = specs[loc[0]]
                key = loc[2] if len(loc) >= 3 else ROW_ERROR_FIELD.get(spec.model)
                title = next((c.title for c in spec.columns if c.key == key), None)
            else:
                info = dict(unit_info_rows()).get(".".join(str(p) for p in loc))
                title = info.title if info else None
            if title and d.location and d.location.sheet is not None:
                d = Diagnostic(d.code, d.message, d.location, field=title, hint=d.hint, severity=d.severity)
            collector.add(d)
        return None
