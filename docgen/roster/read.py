"""Read a filled 填报表 back: every problem named by sheet, row and column, nothing changed on any error.

The workbook says which unit it was made for (a hidden sheet); importing it into another unit, or
renaming the unit, is refused unless the caller confirms it. Files the workbook names (佐证, the
seal, Markdown) may sit next to the workbook: the plan then copies them into the unit's folder.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError

from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.clean import HINT as CONTROL_HINT
from docgen.load.clean import control_chars, describe
from docgen.load.table import norm_label
from docgen.load.validate import pydantic_diagnostic
from docgen.load.workbook import BookView, open_book
from docgen.models.application import Application, Batch, Visit
from docgen.models.unit import Expert, PastProject, Unit
from docgen.roster import (
    APPLICATION_EXAMPLE,
    APPLICATION_TITLE,
    APPS_SHEET,
    EXAMPLE_ROW,
    FIRST_DATA_ROW,
    LIST_SEPARATORS,
    MARK_SHEET,
    NARRATIVE_EXAMPLE,
    NARRATIVE_SHEET,
    ROSTERS,
    UNIT_INFO_SHEET,
    Column,
    RosterSheet,
    application_columns,
    narrative_columns,
    unit_info_rows,
)
from docgen.roster.sheet import cell_value
from docgen.roster.source import AppSource, UnitSource, raw_mapping, unit_source

# Errors a model raises about a whole row belong to one of its cells.
ROW_ERROR_FIELD = {Expert: "title", PastProject: "end", Batch: "end", Visit: "end"}
DATE_TEXT = [r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", r"(\d{4})(\d{2})(\d{2})"]
UNIT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# What the models say in YAML words, as the sheet user reads it.
SHEET_WORDS = {
    "或另加 title_level: 正高级/副高级/中级/初级/无": "或在“职称等级”列选择等级（正高级/副高级/中级/初级/无）",
    "缺少必填字段": "必填，这一格不能空着",
    "补上这个字段。": "填写这一格。",
}


@dataclass
class AppPlan:
    """One application after the import: its file, what it held, what it will hold."""

    id: str
    path: Path
    old: AppSource | None
    new: Application
    raw: dict[str, Any]


@dataclass
class ImportPlan:
    """What an import would change: the unit's data, its applications, files to copy in."""

    unit_id: str
    unit_path: Path
    source: UnitSource  # the unit as it is now
    unit_new: Unit
    unit_raw: dict[str, Any]
    apps: dict[str, AppPlan] = field(default_factory=dict)
    removed_apps: list[AppSource] = field(default_factory=list)
    copies: list[tuple[Path, Path]] = field(default_factory=list)  # (next to the workbook, into the unit)
    warnings: list[Diagnostic] = field(default_factory=list)
    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # sheet → rows read (for the diff)
    info: dict[str, Any] = field(default_factory=dict)  # 单位信息 key → value read

    @property
    def unit_old(self) -> Unit | None:
        return self.source.model


def convert(col: Column, value: Any) -> Any:
    """Turn what a person typed into what the model expects; leave anything unclear for the model to refuse."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if col.kind == "list":
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value]
        parts = re.split(f"[{LIST_SEPARATORS}]", str(value))
        return [p.strip() for p in parts if p.strip()]
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
        if isinstance(value, str) and col.kind == "float" and re.fullmatch(r"\d+\.\d*", value):
            return float(value)
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


def suggest(value: str, allowed: list[str]) -> str:
    """Return “是不是‘X’？” for the allowed value nearest to *value*, or "" when none is near."""
    near = difflib.get_close_matches(value, allowed, n=1, cutoff=0.3)
    if not near:
        near = [a for a in allowed if a and (a in value or value in a)][:1]
    return f"是不是“{near[0]}”？" if near else ""


class _Cells:
    """positions.locate for validate.pydantic_diagnostic: model paths → sheet!cell."""

    def __init__(self, mapper):
        self.mapper = mapper

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


def _prune(data: dict, keys: tuple[str, ...]) -> None:
    """Drop optional sections (部门, 首席专家, 印章 …) the sheet left entirely empty."""
    for key in keys:
        parts = key.split(".")
        parent: Any = data
        for part in parts[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if isinstance(parent, dict) and isinstance(parent.get(parts[-1]), dict):
            inner = parent[parts[-1]]
            for k in [k for k, v in inner.items() if isinstance(v, dict) and not v]:
                inner.pop(k)
            if not inner:
                parent.pop(parts[-1])


_BAD = "\0"  # a value already reported; the model's own complaint about it is dropped


class _Reader:
    """Reads one workbook: cells converted, problems collected with sheet!cell and the column title."""

    def __init__(self, wb, path: Path):
        self.wb, self.path, self.shown = wb, path, display_path(path)
        self.collector = Collector()
        self.copies: list[tuple[Path, Path]] = []  # files next to the workbook to copy into the unit
        self.order = {name: i for i, name in enumerate(wb.sheetnames)}

    def loc(self, sheet: str, cell: str = "A1") -> Location:
        return Location(self.shown, sheet=sheet, cell=cell, order=self.order.get(sheet, 99))

    def add(self, code: str, message: str, sheet: str, cell: str, title: str | None = None, hint: str | None = None,
            severity: str = "error") -> None:
        self.collector.add(Diagnostic(code, message, self.loc(sheet, cell), field=title, hint=hint, severity=severity))

    def value(self, ws, row: int, column: int, col: Column, choices: list[str] | None = None) -> Any:
        """The converted value of a cell; a long code typed as a number or a value off the drop-down is reported."""
        raw = ws.cell(row=row, column=column).value
        cell = f"{get_column_letter(column)}{row}"
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and col.kind not in ("int", "float") \
                and abs(raw) >= 1e15:
            self.add("D305", "这一格是超过 15 位的数字，Excel 已把末几位变成 0，原号码无法还原", ws.title, cell, col.title,
                     "把该单元格设置为“文本”格式后重新输入（或在号码前加英文单引号 '）。")
            return _BAD
        # Excel stores a control character in a cell as _x000B_; openpyxl leaves that escape as typed.
        shown_value = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), raw) \
            if isinstance(raw, str) else raw
        if isinstance(shown_value, str) and control_chars(shown_value):
            chars = "、".join(dict.fromkeys(describe(shown_value[i]) for i in control_chars(shown_value)))
            self.add("D521", f"含有看不见的控制字符 {chars}", ws.title, cell, col.title, CONTROL_HINT)
            return _BAD
        value = convert(col, raw)
        allowed = choices if choices is not None else (col.choices if col.kind == "choice" and col.strict else None)
        if allowed and isinstance(value, str) and value not in allowed:
            guess = suggest(value, allowed)
            self.add("R103", f"“{value}”不在下拉列表中", ws.title, cell, col.title,
                     f"{guess + ' ' if guess else ''}从下拉列表中选择：{'、'.join(allowed[:15])}")
            return _BAD
        return value

    def headers(self, ws, columns: list[Column]) -> dict[str, int]:
        found: dict[str, int] = {}
        titles = {norm_label(c.title): c.key for c in columns}
        for cell in ws[1]:  # exact labels after spaces, line breaks, full/half width and the * of required columns
            text = norm_label(cell.value)
            if text in titles:
                found[titles[text]] = cell.column
        for col in columns:
            if col.key not in found and col.required:
                self.add("D145", f"缺少“{col.title}”列", ws.title, "A1", hint=(
                    "不要删除或改写第 1 行的列名；可重新运行 docgen data sheet 取得空白填报表。"))
        return found

    def table(self, name: str, columns: list[Column], example: dict[str, Any],
              choices: dict[str, list[str]] | None = None) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, int]]:
        """Rows of a table sheet as (row number, values); ([], {}) when the sheet is absent."""
        if name not in self.wb.sheetnames:
            return [], {}
        ws = self.wb[name]
        cols = self.headers(ws, columns)
        by_key = {c.key: c for c in columns}
        keys = [c.key for c in columns if c.key in cols]
        shown_example = [cell_value(by_key[k], example.get(k)) for k in keys]
        got = [ws.cell(row=EXAMPLE_ROW, column=cols[k]).value for k in keys]
        if any(v not in (None, "") for v in got) and [convert(by_key[k], v) for k, v in zip(keys, got)] != \
                [convert(by_key[k], v) for k, v in zip(keys, shown_example)]:
            self.add("D303", "第 2 行是示例行，其中的内容不会导入，但它被改动过", name, f"A{EXAMPLE_ROW}",
                     hint="把第 2 行的数据移到第 3 行及以下（示例行可以保留原样或清空）。")
        rows = []
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            values = {key: self.value(ws, r, c, by_key[key], (choices or {}).get(key)) for key, c in cols.items()}
            if all(v is None for v in values.values()):
                continue
            rows.append((r, {k: v for k, v in values.items() if v is not None}))
        return rows, cols


def _mark(wb: BookView) -> tuple[str | None, str | None]:
    ws = wb.hidden(MARK_SHEET)
    if ws is None:
        return None, None
    found = {str(ws.cell(row=r, column=1).value or "").strip(): ws.cell(row=r, column=2).value for r in range(1, 6)}
    unit = str(found.get("单位文件夹") or "").strip() or None
    name = str(found.get("单位名称") or "").strip() or None
    return unit, name


def open_workbook(path: Path) -> tuple[BookView, list[Diagnostic]]:
    """Open the 填报表 at *path* with the one opener (.xlsx or .xls by content); return it and its notes.

    Raise InputError when it is missing (D300) or cannot be read (B101–B107).
    """
    shown = display_path(path)
    if not path.is_file():
        raise InputError(Diagnostic("D300", "填报表文件不存在", Location(shown)))
    book, notes = open_book(path, shown)
    if book is None:
        raise InputError(notes)
    return BookView(book), notes


def workbook_unit(path: Path) -> str | None:
    """Return the unit the 填报表 at *path* was made for (None for a workbook that does not say)."""
    return _mark(open_workbook(path)[0])[0]


def plan_import(path: Path, data_dir: Path, unit_id: str | None = None, other_unit: bool = False,
                rename: bool = False) -> ImportPlan:
    """Read the workbook at *path* for unit *unit_id* (default: the unit it was made for).

    Raise InputError naming every problem; nothing is written here.
    """
    wb, notes = open_workbook(path)
    shown = display_path(path)
    mark_id, mark_name = _mark(wb)
    warnings: list[Diagnostic] = []
    unit_id = _import_unit_id(unit_id, mark_id, shown)
    src = unit_source(data_dir, unit_id)
    rd = _Reader(wb, path)
    rd.collector.extend(notes)  # a lying extension (B150)
    if mark_id is None:
        warnings.append(Diagnostic("R102", "这份填报表没有记录它属于哪个单位（可能是旧版填报表）", Location(shown),
                                   hint=f"已按 --unit 导入到“{unit_id}”；以后请用 docgen data sheet 重新生成填报表。",
                                   severity="warning"))

    raw: dict[str, Any] = copy.deepcopy(src.data) if src.model is None else _raw_unit(src)
    # 单位信息
    info_cols = dict(unit_info_rows())
    info_rows, info = _read_unit_info(rd, src, path, raw, info_cols)
    if UNIT_INFO_SHEET in wb.sheetnames:
        _check_unit_identity(rd, src, unit_id, (mark_id, mark_name), info, info_rows, info_cols,
                             other_unit, rename)

    # unit rosters
    sheets: dict[str, list[dict[str, Any]]] = {}
    read_cols: dict[str, dict[str, int]] = {}  # sheet → field → column number, as found in row 1
    roster_rows, per_app = _read_unit_rosters(rd, src, path, raw, sheets, read_cols)

    cell_of, locate_unit, unit_title = _unit_locators(rd, read_cols, roster_rows, info_rows, info_cols)
    unit_new = _validate(raw, Unit, locate_unit, unit_title, rd.collector)

    # 申报, 申报书叙述 and the per-application rosters
    apps, removed = _read_applications(rd, src, path, per_app, read_cols, cell_of, sheets)
    copies = list(dict.fromkeys(rd.copies))
    rd.collector.raise_if_errors()
    return ImportPlan(unit_id, src.dir / "unit.yaml", src, unit_new, raw, apps, removed, copies,
                      warnings + [d for d in rd.collector.diagnostics if d.severity == "warning"], sheets, info)


def _import_unit_id(unit_id: str | None, mark_id: str | None, shown: str) -> str:
    """The unit to import into: *unit_id* if given, else the workbook's; raise InputError when none fits."""
    if unit_id is None:
        unit_id = mark_id
    if unit_id is None:
        raise InputError(Diagnostic("R108", "这份填报表没有记录属于哪个单位，请用 --unit 指定", Location(shown),
                                    hint="例如 docgen data import 填报表.xlsx --unit heluo-normal"))
    if not UNIT_ID.fullmatch(unit_id):
        raise InputError(Diagnostic("R107", f"单位文件夹名“{unit_id}”不合适", Location(shown),
                                    hint="只用字母、数字和 - _ .，例如 heluo-normal。"))
    return unit_id


def _read_unit_info(rd: _Reader, src: UnitSource, path: Path, raw: dict[str, Any],
                    info_cols: dict[str, Column]) -> tuple[dict[str, int], dict[str, Any]]:
    """Read the 单位信息 sheet into *raw*; return each field's row and the values read."""
    info_rows: dict[str, int] = {}
    info: dict[str, Any] = {}
    if UNIT_INFO_SHEET not in rd.wb.sheetnames:
        rd.add("D301", f"缺少工作表“{UNIT_INFO_SHEET}”", UNIT_INFO_SHEET, "A1",
               hint="不要删除或改名工作表；可重新运行 docgen data sheet 取得空白填报表。")
        return info_rows, info
    by_title = {c.header: k for k, c in info_cols.items()} | {c.title: k for k, c in info_cols.items()}
    ws = rd.wb[UNIT_INFO_SHEET]
    for r in range(2, ws.max_row + 1):
        key = str(ws.cell(row=r, column=4).value or "").strip() or by_title.get(
            str(ws.cell(row=r, column=1).value or "").strip(), "")
        if key not in info_cols:
            continue
        info_rows[key] = r
        value = rd.value(ws, r, 2, info_cols[key])
        info[key] = value
        if key == "seal.image" and value not in (None, _BAD):
            value = _bring_file(rd, str(value), src.dir, path.parent, src.dir,
                                UNIT_INFO_SHEET, f"B{r}", info_cols[key].title, "印章图片") or _BAD
        _set(raw, key, value)
    _prune(raw, ("legal_entity", "department", "chief_expert", "seal", "leader"))
    return info_rows, info


def _check_unit_identity(rd: _Reader, src: UnitSource, unit_id: str, mark: tuple[str | None, str | None],
                         info: dict[str, Any], info_rows: dict[str, int], info_cols: dict[str, Column],
                         other_unit: bool, rename: bool) -> None:
    """Refuse another unit's workbook (R100) or a new unit name (R101) unless the caller confirms it."""
    mark_id, mark_name = mark
    new_name = info.get("name")
    if mark_id is not None and mark_id != unit_id and not other_unit:
        named = mark_name or (new_name if isinstance(new_name, str) else "") or "未填名称"
        rd.collector.add(Diagnostic(
            "R100", f"这份填报表是为单位“{mark_id}”（{named}）生成的，不能导入到单位“{unit_id}”",
            Location(rd.shown), hint=f"检查 --unit；确实要把它导入到“{unit_id}”，加 --other-unit 确认。"))
    if src.exists and src.name and isinstance(new_name, str) and new_name != src.name and not rename:
        rd.add("R101", f"单位名称“{new_name}”与单位“{unit_id}”现有的名称“{src.name}”不同",
               UNIT_INFO_SHEET, f"B{info_rows['name']}", info_cols["name"].title,
               "是不是导入错了单位？检查 --unit；确实要改名，加 --rename 确认。")


def _read_unit_rosters(rd: _Reader, src: UnitSource, path: Path, raw: dict[str, Any],
                       sheets: dict[str, list[dict[str, Any]]], read_cols: dict[str, dict[str, int]],
                       ) -> tuple[dict[str, list[int]], dict[str, list[tuple[int, dict[str, Any]]]]]:
    """Read the unit's roster sheets into *raw*; return the unit rosters' rows and the per-application rows."""
    roster_rows: dict[str, list[int]] = {}
    per_app: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for spec in ROSTERS:
        if spec.name not in rd.wb.sheetnames:
            if not spec.per_application or spec.key == "mentors":
                rd.add("D301", f"缺少工作表“{spec.name}”", spec.name, "A1",
                       hint="不要删除或改名工作表；可重新运行 docgen data sheet 取得空白填报表。")
            continue
        rows, read_cols[spec.name] = rd.table(spec.name, spec.columns, spec.example)
        sheets[spec.name] = [dict(v) for _, v in rows]
        if spec.per_application:
            per_app[spec.key] = rows
            continue
        if spec.key == "attachments":
            _bring_attachments(rd, src, path, spec, rows, read_cols[spec.name])
        roster_rows[spec.key] = [r for r, _ in rows]
        _set(raw, spec.key, [values for _, values in rows])
    return roster_rows, per_app


def _bring_attachments(rd: _Reader, src: UnitSource, path: Path, spec: RosterSheet,
                       rows: list[tuple[int, dict[str, Any]]], cols: dict[str, int]) -> None:
    """Point the 佐证材料 rows' files into the unit's attachments/ folder (copying those next to the workbook)."""
    for r, values in rows:
        if isinstance(values.get("file"), str):
            values["file"] = _bring_file(rd, values["file"], src.dir, path.parent,
                                         src.dir / "attachments", spec.name,
                                         f"{get_column_letter(cols.get('file', 1))}{r}",
                                         "文件", "佐证材料") or _BAD


def _unit_locators(rd: _Reader, read_cols: dict[str, dict[str, int]], roster_rows: dict[str, list[int]],
                   info_rows: dict[str, int], info_cols: dict[str, Column]):
    """The cell finder, and the unit's place and column title of a validation error's location."""
    specs = {s.key: s for s in ROSTERS}

    def cell_of(sheet: str, row: int, key: str | None) -> Location:
        col = read_cols.get(sheet, {}).get(key) if key else None
        return rd.loc(sheet, f"{get_column_letter(col or 1)}{row}")

    def in_roster(loc: tuple) -> tuple[RosterSheet, int, str | None] | None:
        for key in roster_rows:
            hit = specs[key].row_of(loc)
            if hit is not None:
                return specs[key], hit[0], hit[1] or ROW_ERROR_FIELD.get(specs[key].model)
        return None

    def locate_unit(loc: tuple) -> Location:
        hit = in_roster(loc)
        if hit is not None:
            spec, index, key = hit
            return cell_of(spec.name, roster_rows[spec.key][index], key)
        dotted = ".".join(str(p) for p in loc)
        for key in (dotted, *[k for k in info_rows if dotted.startswith(k + ".")],
                    *[k for k in info_rows if k.startswith(dotted + ".")]):
            if key in info_rows:
                return rd.loc(UNIT_INFO_SHEET, f"B{info_rows[key]}")
        return rd.loc(UNIT_INFO_SHEET, "A1")

    def unit_title(loc: tuple) -> str | None:
        hit = in_roster(loc)
        if hit is not None:
            return next((c.title for c in hit[0].columns if c.key == hit[2]), None)
        dotted = ".".join(str(p) for p in loc)
        info_col = info_cols.get(dotted) or next((c for k, c in info_cols.items() if k.startswith(dotted + ".")), None)
        return info_col.title if info_col else None

    return cell_of, locate_unit, unit_title


def _raw_unit(src: UnitSource) -> dict[str, Any]:
    """The unit's current YAML mapping (the import replaces the parts the sheets hold)."""
    return copy.deepcopy(raw_mapping(src.dir / "unit.yaml"))


def _bring_file(rd: _Reader, rel: str, base: Path, workbook_dir: Path, target_dir: Path,
                sheet: str, cell: str, title: str, what: str, name: str | None = None) -> str | None:
    """Return *rel* as the unit will hold it: already in the unit (kept), or next to the workbook (copied in)."""
    if (base / rel).is_file():
        return rel
    found = workbook_dir / rel
    if found.is_file():
        dest = target_dir / (name or found.name)
        taken = {d: s for s, d in rd.copies}
        if taken.get(dest, found.resolve()) != found.resolve():  # two files of one name (材料/ and 材料/2025/)
            dest = target_dir / found.parent.name / (name or found.name)
        rd.copies.append((found.resolve(), dest))
        return str(dest.relative_to(base))
    rd.add("R105", f"找不到{what}文件“{rel}”", sheet, cell, title,
           f"把文件放进单位文件夹 {display_path(base)}，或与填报表放在同一个文件夹；检查文件名（含扩展名）。")
    return None


def _read_applications(rd: _Reader, src: UnitSource, path: Path, per_app: dict, read_cols: dict, cell_of,
                       sheets: dict) -> tuple[dict[str, AppPlan], list[AppSource]]:
    old = {a.id: a for a in src.apps}
    app_dir = src.dir / "applications"
    cols = application_columns()
    plans = _read_app_rows(rd, src, old, cols, read_cols, cell_of, sheets)
    ids = list(plans)

    # 申报书叙述
    narrative_rows: dict[str, dict[str, int]] = {}
    if NARRATIVE_SHEET in rd.wb.sheetnames:
        n_rows, read_cols[NARRATIVE_SHEET] = rd.table(NARRATIVE_SHEET, narrative_columns(), NARRATIVE_EXAMPLE)
        sheets[NARRATIVE_SHEET] = [dict(v) for _, v in n_rows]
        for _r, raw in plans.values():
            raw["narrative"] = {}
        for r, values in n_rows:
            _read_narrative_row(rd, src, path, old, plans, ids, narrative_rows, r, values, cell_of)
        for _r, raw in plans.values():
            if not raw["narrative"]:
                raw.pop("narrative")

    # 影子导师, 项目参与人, 进度安排
    roster_rows = _read_app_rosters(rd, per_app, plans, ids, cell_of)

    result: dict[str, AppPlan] = {}
    for app_id, (row, raw) in plans.items():
        locate, title = _app_locators(app_id, row, old, cols, roster_rows, narrative_rows, cell_of)
        new = _validate(raw, Application, locate, title, rd.collector)
        _check_call(rd, src, new, raw, row, cell_of)
        if new is not None:
            result[app_id] = AppPlan(app_id, app_dir / f"{app_id}.yaml", old.get(app_id), new, raw)
    removed = [a for a in src.apps if a.id not in plans]
    return result, removed


def _read_app_rows(rd: _Reader, src: UnitSource, old: dict[str, AppSource], cols: list[Column], read_cols: dict,
                   cell_of, sheets: dict) -> dict[str, tuple[int | None, dict[str, Any]]]:
    """Read the 申报 sheet: id → (row in 申报, raw YAML mapping); without the sheet, the unit's applications."""
    rows, read_cols[APPS_SHEET] = rd.table(APPS_SHEET, cols, APPLICATION_EXAMPLE, {"call": sorted(src.calls)})
    have_sheet = APPS_SHEET in rd.wb.sheetnames
    sheets[APPS_SHEET] = [dict(v) for _, v in rows]
    plans: dict[str, tuple[int | None, dict[str, Any]]] = {}  # id → (row in 申报, raw YAML mapping)
    if not have_sheet:
        return {app_id: (None, _raw_app(app)) for app_id, app in old.items()}
    for r, values in rows:
        app_id = values.get("id")
        if app_id is None and isinstance(values.get("call"), str) and isinstance(values.get("sub_project"), int):
            app_id = _new_id(values["call"], values["sub_project"], set(plans) | set(old))
            values["id"] = app_id
            sheets[APPS_SHEET][[x for x, _ in rows].index(r)]["id"] = app_id
        if not isinstance(app_id, str) or not UNIT_ID.fullmatch(app_id):
            if app_id is not None:
                rd.add("R107", f"申报编号“{app_id}”不合适", APPS_SHEET, cell_of(APPS_SHEET, r, "id").cell,
                       "申报编号", "只用字母、数字和 - _ .，例如 luoyang-2026-1；也可留空自动生成。")
            continue
        if app_id in plans:
            rd.add("R109", f"申报编号“{app_id}”出现了两次", APPS_SHEET, cell_of(APPS_SHEET, r, "id").cell,
                   "申报编号", "每份申报一行；改正其中一个编号。")
            continue
        raw = _raw_app(old.get(app_id))
        for col in cols:
            if col.key != "id":
                _set(raw, col.key, values.get(col.key))
        _prune(raw, ("contact", "leader"))
        plans[app_id] = (r, raw)
    return plans


def _read_narrative_row(rd: _Reader, src: UnitSource, path: Path, old: dict[str, AppSource],
                        plans: dict[str, tuple[int | None, dict[str, Any]]], ids: list[str],
                        narrative_rows: dict[str, dict[str, int]], r: int, values: dict[str, Any], cell_of) -> None:
    """Read one 申报书叙述 row into its application's narrative (text, or a Markdown file brought in)."""
    app_id = _app_of(rd, values, ids, NARRATIVE_SHEET, cell_of(NARRATIVE_SHEET, r, "application").cell)
    if app_id is None:
        return
    raw = plans[app_id][1]
    call = src.calls.get(str(raw.get("call")))
    fields = call.application.narrative if call is not None else []
    item = str(values.get("item") or "")
    key = next((f.key for f in fields if item in (f.title, f.key)), None)
    where = cell_of(NARRATIVE_SHEET, r, "item").cell
    if key is None and call is None:
        return  # the application's 通知 is wrong: reported on the 申报 sheet already
    if key is None:
        titles = [f.title for f in fields]
        guess = suggest(item, titles)
        rd.add("R106", f"申报“{app_id}”的通知没有叙述项“{item}”", NARRATIVE_SHEET, where, "叙述项",
               f"{guess + ' ' if guess else ''}该通知的叙述项：{'、'.join(titles) or '（无）'}")
        return
    if key in raw["narrative"] or key in narrative_rows.get(app_id, {}):
        rd.add("R110", f"申报“{app_id}”的叙述项“{item}”填了两行", NARRATIVE_SHEET, where, "叙述项",
               f"只保留一行（另见第 {narrative_rows[app_id][key]} 行）。")
        return
    narrative_rows.setdefault(app_id, {})[key] = r
    text, file = values.get("text"), values.get("file")
    if text not in (None, _BAD) and file not in (None, _BAD):
        rd.add("R111", "“内容”和“Markdown 文件”只能填一个", NARRATIVE_SHEET,
               cell_of(NARRATIVE_SHEET, r, "file").cell, "Markdown 文件",
               "内容写在“内容”格里，或写在 Markdown 文件里，二选一。")
        return
    if isinstance(text, (str, int, float)):
        raw["narrative"][key] = str(text).replace("\r\n", "\n")
    elif isinstance(file, str):
        _bring_narrative_file(rd, src, path, old, raw, app_id, key, file, cell_of(NARRATIVE_SHEET, r, "file").cell)


def _bring_narrative_file(rd: _Reader, src: UnitSource, path: Path, old: dict[str, AppSource], raw: dict[str, Any],
                          app_id: str, key: str, file: str, cell: str) -> None:
    """Point a narrative item at its Markdown file, copying it (and its pictures) in from next to the workbook."""
    app_dir = src.dir / "applications"
    rel = _bring_file(rd, file, app_dir, path.parent, app_dir / app_id,
                      NARRATIVE_SHEET, cell, "Markdown 文件",
                      "Markdown", name=f"{key}.md")  # the folder's .md files are named by their item
    had = (_raw_app(old.get(app_id)).get("narrative") or {}).get(key) if app_id in old else None
    if rel is not None and not (rel == f"{app_id}/{key}.md" and had is None and app_id in old):
        raw["narrative"][key] = {"file": rel}  # (a file by convention stays so, without an entry)
    if rel is not None and file != rel:
        _bring_images(rd, path.parent / file, app_dir / Path(rel).parent)


def _read_app_rosters(rd: _Reader, per_app: dict, plans: dict[str, tuple[int | None, dict[str, Any]]],
                      ids: list[str], cell_of) -> dict[tuple[str, str], list[int]]:
    """Share the per-application roster rows (影子导师, 项目参与人, 进度安排) out; return (app, roster) → rows."""
    roster_rows: dict[tuple[str, str], list[int]] = {}
    specs = {s.key: s for s in ROSTERS}
    for key, rows_ in per_app.items():
        spec = specs[key]
        grouped: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        for r, values in rows_:
            values = dict(values)
            app_id = _app_of(rd, values, ids, spec.name, cell_of(spec.name, r, "application").cell)
            values.pop("application", None)
            if app_id is not None:
                grouped.setdefault(app_id, []).append((r, values))
        for app_id, (_r, raw) in plans.items():
            got = grouped.get(app_id, [])
            if got or raw.get(key):
                raw[key] = [v for _, v in got]
            if not raw.get(key):
                raw.pop(key, None)
            roster_rows[(app_id, key)] = [r for r, _ in got]
    return roster_rows


def _app_locators(app_id: str, row: int | None, old: dict[str, AppSource], cols: list[Column],
                  roster_rows: dict[tuple[str, str], list[int]], narrative_rows: dict[str, dict[str, int]], cell_of):
    """The place and column title of a validation error's location in application *app_id*."""
    specs = {s.key: s for s in ROSTERS}

    def locate(loc: tuple) -> Location:
        if loc and loc[0] in specs and len(loc) >= 2 and isinstance(loc[1], int):
            spec = specs[loc[0]]
            return cell_of(spec.name, roster_rows[(app_id, loc[0])][loc[1]], loc[2] if len(loc) >= 3 else None)
        if loc and loc[0] == "narrative" and len(loc) >= 2 and loc[1] in narrative_rows.get(app_id, {}):
            return cell_of(NARRATIVE_SHEET, narrative_rows[app_id][loc[1]], "text")
        dotted = ".".join(str(p) for p in loc)
        key = next((c.key for c in cols if c.key == dotted or c.key.startswith(dotted + ".")), None)
        if row is not None:
            return cell_of(APPS_SHEET, row, key)
        return Location(display_path(old[app_id].path))

    def title(loc: tuple) -> str | None:
        if loc and loc[0] in specs and len(loc) >= 3:
            return next((c.title for c in specs[loc[0]].columns if c.key == loc[2]), None)
        if loc and loc[0] == "narrative":
            return "内容"
        dotted = ".".join(str(p) for p in loc)
        return next((c.title for c in cols if c.key == dotted or c.key.startswith(dotted + ".")), None)

    return locate, title


def _check_call(rd: _Reader, src: UnitSource, new: Application | None, raw: dict[str, Any], row: int | None,
                cell_of) -> None:
    """Report an application whose 通知 (D201) or 子项目 (D202) does not exist."""
    if new is not None and raw.get("call") not in src.calls:
        if raw.get("call") is not None and row is not None:
            rd.add("D201", f"找不到通知“{raw.get('call')}”", APPS_SHEET, cell_of(APPS_SHEET, row, "call").cell,
                   "通知", f"从下拉列表中选择：{'、'.join(sorted(src.calls))}")
    elif new is not None and src.calls[new.call].sub_project(new.sub_project) is None and row is not None:
        nos = "、".join(str(s.no) for s in src.calls[new.call].sub_projects)
        rd.add("D202", f"通知“{new.call}”没有子项目 {new.sub_project}", APPS_SHEET,
               cell_of(APPS_SHEET, row, "sub_project").cell, "子项目序号", f"该通知的子项目序号为：{nos}（见“通知一览”）")


def _bring_images(rd: _Reader, md: Path, target: Path) -> None:
    """Plan copying the pictures a Markdown file next to the workbook shows, relative to it."""
    try:
        text = md.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text):
        found = md.parent / src
        if found.is_file() and not Path(src).is_absolute() and ".." not in Path(src).parts:
            rd.copies.append((found.resolve(), target / src))


def _app_of(rd: _Reader, values: dict, ids: list[str], sheet: str, cell: str) -> str | None:
    app_id = values.get("application")
    if app_id == _BAD:
        return None
    app_id = str(app_id or "")
    if app_id not in ids:
        guess = suggest(app_id, ids) if app_id else ""
        rd.add("D304", f"找不到申报“{app_id}”" if app_id else "未填写属于哪一份申报", sheet, cell, APPLICATION_TITLE,
               f"{guess + ' ' if guess else ''}选择“申报”工作表中的申报编号：{'、'.join(ids) or '（还没有申报，先在“申报”工作表中添加一行）'}")
        return None
    return app_id


def _raw_app(app: AppSource | None) -> dict[str, Any]:
    if app is None:
        return {}
    return copy.deepcopy(raw_mapping(app.path))


def _new_id(call: str, sub: int, taken: set[str]) -> str:
    """An application id like the samples': the call's first two words and the sub-project (luoyang-2026-1)."""
    base = "-".join(call.split("-")[:2]) + f"-{sub}"
    app_id, n = base, 2
    while app_id in taken:
        app_id, n = f"{base}-{n}", n + 1
    return app_id


def _validate(raw: dict, model: type[BaseModel], locate, title_of, collector: Collector) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        doc = _FakeDoc(_Cells(locate))
        for err in exc.errors(include_url=False):
            if err.get("input") == _BAD or (err["type"] == "value_error" and _BAD in list(_leaves(err.get("input")))):
                continue
            d = pydantic_diagnostic(doc, model, err)  # type: ignore[arg-type]
            loc = tuple(err["loc"])
            title = title_of(loc)
            message, hint = d.message, d.hint
            for yaml_words, sheet_words in SHEET_WORDS.items():
                message = message.replace(yaml_words, sheet_words)
                hint = hint.replace(yaml_words, sheet_words) if hint else hint
            field_ = title if (title and d.location and d.location.sheet is not None) else d.field
            collector.add(Diagnostic(d.code, message, d.location, field=field_, hint=hint, severity=d.severity))
        return None


def _leaves(value: Any):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value
