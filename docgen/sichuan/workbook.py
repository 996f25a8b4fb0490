"""Read workbooks that come back from the cities: 附件1-1 计划表, rosters, 附件3 变更信息表.

Headers are found by their labels, not by fixed positions; every problem is
reported with file, sheet and cell. Values typed as text in a number cell,
formulas without a cached value, 合计 cells that do not add up and edited
headers are all reported, never silently taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from docgen.errors import Diagnostic, Location, display_path
from docgen.load.table import FOOTER_RE, norm_label
from docgen.load.workbook import BookView, WorksheetView, open_book
from docgen.models.sichuan import YEARS, City, Region
from docgen.sichuan.load import Reference
from docgen.sichuan.xlsx import (
    CHANGE_HEADS,
    HEAD1,
    HEAD2,
    header_labels,
    header_merges,
    year_columns,
)

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")


def norm(value: Any) -> str:
    return norm_label(value)


def open_returned(path: Path) -> tuple[BookView | None, list[Diagnostic]]:
    """Open a returned workbook with the one opener (docgen/load/workbook.py): by content, .xls included."""
    book, notes = open_book(path, display_path(path))
    if book is None:
        return None, notes
    if book.hidden:
        notes.append(Diagnostic("B155", f"工作簿有隐藏的工作表：{'、'.join(book.hidden)}（未读取其内容）",
                                Location(display_path(path), sheet=book.hidden[0]), severity="warning",
                                hint="只读可见的工作表；如隐藏表中有内容，请对方取消隐藏。"))
    if not book.sheets:
        notes.append(Diagnostic("B158", "工作簿中没有可见的工作表", Location(display_path(path)),
                                hint="请对方取消隐藏工作表后重新报送。"))
        return None, notes
    return BookView(book), notes


@dataclass
class ReturnedPlan:
    """One city's returned 计划表: its regions as read, and every problem found."""

    path: Path
    city: City | None
    regions: list[Region] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    region_rows: list[int] = field(default_factory=list)  # the sheet row of each region (1-based)
    total_row: int | None = None
    first_col: int = 1
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return self.city is not None and not any(d.severity == "error" for d in self.problems)


def _find_label(ws, label: str, max_row: int = 30) -> tuple[int, int] | None:
    for row in ws.iter_rows(min_row=1, max_row=min(ws.max_row, max_row)):
        for cell in row:
            if norm(cell.value) == norm(label):
                return cell.row, cell.column
    return None


class _Sheet:
    """Read numbers from a sheet, reporting text, formulas without cache and the like."""

    def __init__(self, path: Path, ws, problems: list[Diagnostic]):
        self.shown, self.ws, self.problems = display_path(path), ws, problems

    def loc(self, row: int, col: int) -> Location:
        return Location(self.shown, sheet=self.ws.title, cell=f"{get_column_letter(col)}{row}")

    def text(self, row: int, col: int) -> str:
        return norm(self.ws.cell(row, col).value)

    def number(self, row: int, col: int, what: str, blank: int | None = 0, derived: bool = False
               ) -> int | None:
        """Return the integer in a cell; None (with a diagnostic) when it is not one.

        *derived* cells (合计) may be formulas without a cached value: docgen recomputes them, so None
        is returned without a diagnostic.
        """
        raw = self.ws.cell(row, col).value
        if raw is None:
            hit = self.ws.sheet.formula(row - 1, col - 1)
            if hit is not None:
                formula, error = hit
                if error:
                    self.problems.append(Diagnostic(
                        "X880", f"{what}是错误值 {error}" + (f"（公式 {formula}）" if formula else ""),
                        self.loc(row, col), hint="改正公式，或直接填数字。"))
                elif not derived:
                    self.problems.append(Diagnostic(
                        "X811", f"{what}是公式但没有计算结果（文件未在 Excel/WPS 中保存过）", self.loc(row, col),
                        hint="在 Excel/WPS 中打开并保存一次后重新报送；或直接填数字。"))
                return None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if blank is None:
                self.problems.append(Diagnostic("X812", f"{what}未填写", self.loc(row, col), hint="填写数字。"))
            return blank
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            self.problems.append(Diagnostic(
                "X813", f"{what}应为数字，这里是文字“{raw}”", self.loc(row, col),
                hint="只填阿拉伯数字，不带单位、空格或“约”等字；单元格格式设为“常规”或“数值”。"))
            return None
        if isinstance(raw, float) and raw != int(raw):
            self.problems.append(Diagnostic("X814", f"{what}应为整数，这里是 {raw}", self.loc(row, col)))
            return None
        if raw < 0:
            self.problems.append(Diagnostic("X872", f"{what}不能为负数，这里是 {raw}", self.loc(row, col)))
            return None
        return int(raw)


def read_plan_workbook(path: Path, reference: Reference) -> ReturnedPlan:
    """Read a city's 计划表; return its regions (when readable) and every problem found."""
    shown = display_path(path)
    wb, notes = open_returned(path)
    if wb is None:
        return ReturnedPlan(path, None, problems=notes)
    found = None
    for ws in wb.worksheets:
        hit = _find_label(ws, "地区")
        if hit and norm(ws.cell(hit[0], hit[1] + 1).value) == "教师总数":
            found = ws, hit
            break
    if found is None:
        return ReturnedPlan(path, None, problems=[*notes, Diagnostic(
            "X820", "找不到计划表的表头（“地区”“教师总数”）", Location(shown, sheet=wb.worksheets[0].title),
            hint="使用附件1-1 的表格填报，不要删除或改写表头。")])
    ws, (hr, hc) = found
    problems: list[Diagnostic] = list(notes)
    sheet = _Sheet(path, ws, problems)
    # Header: the labels the notice prints, relative to “地区”.
    for (r, c), label in header_labels().items():
        row, col = hr + (r - HEAD1), hc + (c - 1)
        got = sheet.text(row, col)
        if got != norm(label):
            problems.append(Diagnostic("X821", f"表头被改动：应为“{label}”，这里是“{got or '（空）'}”",
                                       sheet.loc(row, col), hint="恢复附件1-1 的表头原样，不要增删列。"))
    merged = {(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_ranges}
    for (r1, c1, r2, c2), label in header_merges():
        want = (hr + r1 - HEAD1, hc + c1 - 1, hr + r2 - HEAD1, hc + c2 - 1)
        if want not in merged:
            problems.append(Diagnostic("X823", f"表头“{label}”的合并单元格被拆分或改动", sheet.loc(want[0], want[1]),
                                       severity="warning", hint="恢复附件1-1 的表头原样。"))
    city = _which_city(ws, hr, path, reference, problems, sheet)
    result = ReturnedPlan(path, city, problems=problems)
    # Data rows until 合计.
    rows: list[tuple[int, Region]] = []
    bad_cols: set[int] = set()
    seen: dict[str, int] = {}
    r = hr + (HEAD2 - HEAD1) + 1
    total_row = None
    while r <= ws.max_row:
        name = sheet.text(r, hc)
        if name == "合计":
            total_row = r
            break
        if FOOTER_RE.match(name):
            break  # 备注, 注, 填表人, a date: the end of the table
        figures = [ws.cell(r, hc + k).value for k in range(1, 18)]
        if not name and all(v in (None, "") for v in figures):
            r += 1
            continue
        if not name:
            problems.append(Diagnostic("X830", "这一行有数字但“地区”为空", sheet.loc(r, hc), hint="填写地区名称。"))
            r += 1
            continue
        if name in seen:
            problems.append(Diagnostic("X831", f"地区“{name}”重复（第一次在第 {seen[name]} 行）", sheet.loc(r, hc)))
        seen[name] = r
        rows.append((r, _read_row(sheet, r, hc, name, bad_cols)))
        r += 1
    if total_row is None:
        problems.append(Diagnostic("X832", "缺少“合计”行", sheet.loc(r, hc), hint="在最后一个地区下加“合计”行。"))
    else:
        _check_total_row(sheet, total_row, hc, [reg for _, reg in rows], bad_cols)
    if city is not None:
        _check_divisions(sheet, city, reference, rows, total_row or r, hc)
    result.regions = [reg for _, reg in rows]
    result.region_rows = [r for r, _ in rows]
    result.total_row, result.first_col, result.sheet = total_row, hc, ws.title
    return result


def _check_divisions(sheet: _Sheet, city: City, reference: Reference, rows: list[tuple[int, Region]], end: int,
                     hc: int) -> None:
    """Check the city's regions against the province's divisions (data/reference/sichuan/divisions.yaml).

    Each region is one of the city's 县（市、区） or the city's own schools (市直属学校, 市本级…); a city that
    lists its counties lists them all; a city that sends only its own total is told it did not split it.
    """
    from docgen.sichuan.rules import core_name

    listing = reference.divisions
    if listing is None or city.id not in listing.divisions:
        return
    own = {core_name(d): d for d in listing.divisions[city.id]}
    city_level = {norm(x) for x in listing.city_level} | {norm(city.name), norm(city.short)}
    elsewhere = {core_name(d): c for c, names in listing.divisions.items() if c != city.id for d in names}
    listed = set()
    for r, region in rows:
        key = core_name(region.name)
        if key in own:
            listed.add(key)
        elif norm(region.name) not in city_level:
            other_city = reference.city(elsewhere[key]) if key in elsewhere else None
            other = other_city.name if other_city is not None else ""
            sheet.problems.append(Diagnostic(
                "X882", f"地区“{region.name}”不是{city.name}的县（市、区）" + (f"，而是{other}的" if other else ""),
                sheet.loc(r, hc), severity="warning",
                hint=f"{city.name}所属县（市、区）：{'、'.join(listing.divisions[city.id])}；市本级学校写“市直属学校”。"))
    if not listed:
        sheet.problems.append(Diagnostic(
            "X883", f"只填了{city.name}的总数，没有分县（市、区）填报", sheet.loc(rows[0][0] if rows else end, hc),
            severity="warning", hint="附件1-1 备注1：“市级”包含所属各县（市、区）计划数；最好逐县填报，便于审核。"))
        return
    project = {core_name(c) for c in reference.counties.counties.get(city.id, [])}
    for key, name in own.items():
        if key not in listed:
            sheet.problems.append(Diagnostic(
                "X833", f"缺少地区“{name}”" + ("（附件4 项目县）" if key in project else ""), sheet.loc(end, hc),
                hint=f"{city.name}的计划表应包含所属各县（市、区）：{'、'.join(listing.divisions[city.id])}。"))


def _which_city(ws, hr, path, reference, problems, sheet) -> City | None:
    for row in range(1, hr):
        for col in range(1, 4):
            text = str(ws.cell(row, col).value or "")
            if "联系人" in text:
                area = norm(text.split("联系人")[0])
                city = reference.city_by_name(area) if area else None
                if city is None:
                    for c in reference.cities:
                        if c.short in path.stem:
                            city = c
                if city is None:
                    problems.append(Diagnostic(
                        "X822", f"认不出是哪个市（州）：“{area or '（空）'}”", sheet.loc(row, col),
                        hint="在“市”前填写本市（州）名称，如“乐山市”。"))
                return city
    for c in reference.cities:
        if c.short in path.stem:
            return c
    problems.append(Diagnostic("X822", "找不到“市…联系人…”一行，认不出是哪个市（州）", sheet.loc(1, 1),
                               hint="保留附件1-1 表头上方的“市 联系人 联系电话 填报时间”一行。"))
    return None


def _read_row(sheet: _Sheet, r: int, hc: int, name: str, bad_cols: set[int]) -> Region:
    """Return the row as a Region; unreadable cells count as 0 and their columns go into *bad_cols*."""
    def num(col: int, what: str, blank: int | None = 0) -> int:
        value = sheet.number(r, col, what, blank=blank)
        if value is None:
            bad_cols.add(col)
            return 0
        return value

    data: dict[str, Any] = {"name": name, "teachers": num(hc + 1, f"“{name}”的教师总数", blank=None)}
    for y in YEARS:
        a, b, total, _ = (hc - 1 + c for c in year_columns(y))
        label = "省培、国培" if y == 2014 else "省级、市级"
        first = num(a, f"“{name}”{y}年{label[:2]}")
        second = num(b, f"“{name}”{y}年{label[3:]}")
        if a in bad_cols or b in bad_cols:
            bad_cols.add(total)
        elif sheet.ws.cell(r, total).value not in (None, ""):
            got_total = sheet.number(r, total, f"“{name}”{y}年合计", derived=True)
            if got_total is not None and got_total != first + second:
                sheet.problems.append(Diagnostic(
                    "X840", f"“{name}”{y}年合计为 {got_total}，但{label}之和为 {first + second}", sheet.loc(r, total),
                    hint="合计应等于前两列之和；建议用公式 =前两列相加。"))
        keys = ("province", "national") if y == 2014 else ("province", "city")
        data[f"t{y}"] = dict(zip(keys, (first, second)))
    return Region.model_validate(data)


def _check_total_row(sheet: _Sheet, r: int, hc: int, regions: list[Region], bad_cols: set[int]) -> None:
    expected: dict[int, int] = {hc + 1: sum(x.teachers for x in regions)}
    for y in YEARS:
        a, b, total, _ = (hc - 1 + c for c in year_columns(y))
        expected[a] = sum(x.year(y).cells()[0] for x in regions)
        expected[b] = sum(x.year(y).cells()[1] for x in regions)
        expected[total] = expected[a] + expected[b]
    for col, want in expected.items():
        if col in bad_cols or sheet.ws.cell(r, col).value in (None, ""):
            continue  # a cell above could not be read: the sum is unknown
        got = sheet.number(r, col, "合计行", derived=True)
        if got is not None and got != want:
            sheet.problems.append(Diagnostic(
                "X841", f"合计行为 {got}，但各地区之和为 {want}", sheet.loc(r, col),
                hint="合计应等于上面各地区之和；建议用公式 =SUM(…)。"))


# ---------------------------------------------------------------- rosters and 附件3

ROSTER_LABELS = {"培训项目": "project", "姓名": "name", "性别": "gender", "工作单位（全称）": "unit", "工作单位": "unit",
                 "联系电话/手机（必填）": "phone", "联系电话/手机": "phone", "联系电话": "phone", "手机": "phone",
                 "培训机构": "institution", "备注": "note"}


@dataclass
class _Header:
    """Where a returned table's header was found: the first sheet and the cell holding its anchor label."""

    ws: WorksheetView
    row: int
    col: int
    shown: str


def _find_header(path: Path, label: str, code: str, message: str, hint: str
                 ) -> tuple[_Header | None, list[Diagnostic]]:
    """Open *path* and find *label* in its first sheet; return the header and the opener's notes.

    None when the file cannot be read (the opener's problems) or *label* is not found: then *code* with
    *message* and *hint* at the sheet, after the opener's notes (a hidden sheet, a wrong extension: often
    why the label is not where it is looked for).
    """
    shown = display_path(path)
    wb, notes = open_returned(path)
    if wb is None:
        return None, notes
    ws = wb.worksheets[0]
    hit = _find_label(ws, label)
    if hit is None:
        return None, [*notes, Diagnostic(code, message, Location(shown, sheet=ws.title), hint=hint)]
    return _Header(ws, hit[0], hit[1], shown), list(notes)


def read_roster_xlsx(path: Path) -> tuple[list[tuple[Location, dict]], list[Diagnostic]]:
    """Return the rows of a roster workbook as (location, fields) found by header labels."""
    header, problems = _find_header(
        path, "姓名", "X850", "找不到名单的表头（“姓名”）",
        "第一行写表头：培训项目、姓名、性别、工作单位（全称）、联系电话/手机（必填）、培训机构、备注。")
    if header is None:
        return [], problems
    ws, hr, shown = header.ws, header.row, header.shown
    columns = {}
    for cell in ws[hr]:
        key = {norm(k): v for k, v in ROSTER_LABELS.items()}.get(norm(cell.value))
        if key:
            columns[key] = cell.column
    for need in ("project", "name", "gender", "unit", "institution"):
        if need not in columns:
            label = {"project": "培训项目", "name": "姓名", "gender": "性别", "unit": "工作单位（全称）",
                     "institution": "培训机构"}[need]
            problems.append(Diagnostic("X851", f"名单缺少“{label}”一列", Location(shown, sheet=ws.title, cell=f"A{hr}")))
    rows = []
    for r in range(hr + 1, ws.max_row + 1):
        values = {k: ws.cell(r, c).value for k, c in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        rows.append((Location(shown, sheet=ws.title, cell=f"A{r}"),
                     {k: "" if v is None else str(v).strip() for k, v in values.items()}))
    return rows, problems


@dataclass
class ChangeRow:
    row: int
    fields: dict


def read_change_workbook(path: Path) -> tuple[list[tuple[Location, ChangeRow | None, ChangeRow | None]],
                                             list[Diagnostic]]:
    """Read a returned 附件3: return (location, 原报送, 变更) per pair, and the layout problems."""
    header, problems = _find_header(path, "调换情况", "X860", "找不到变更信息表的表头（“调换情况”）",
                                    "使用附件3 样表填报。")
    if header is None:
        return [], problems
    ws, hr, hc, shown = header.ws, header.row, header.col, header.shown
    first_col = hc - 1
    for i, label in enumerate(CHANGE_HEADS):
        got = norm(ws.cell(hr, first_col + i).value)
        if got != norm(label):
            problems.append(Diagnostic("X861", f"表头被改动：应为“{label.replace(chr(10), '')}”，这里是“{got or '（空）'}”",
                                       Location(shown, sheet=ws.title, cell=f"{get_column_letter(first_col + i)}{hr}")))
    keys = ["project", "kind", "name", "gender", "unit", "phone", "institution", "note"]
    merged_value = {}
    for rng in ws.merged_ranges:
        if rng.min_col == first_col:
            for rr in range(rng.min_row, rng.max_row + 1):
                merged_value[rr] = ws.cell(rng.min_row, first_col).value
    pairs: list[tuple[Location, ChangeRow | None, ChangeRow | None]] = []
    pending: tuple[Location, ChangeRow] | None = None  # an 原报送人员 row waiting for its 变更人员
    for r in range(hr + 1, ws.max_row + 1):
        values = {}
        for i, k in enumerate(keys):
            v = merged_value.get(r) if k == "project" and r in merged_value else ws.cell(r, first_col + i).value
            values[k] = "" if v is None else str(v).strip()
        if values["project"].startswith("备注"):
            break
        if all(not values[k] for k in keys if k != "project"):
            continue
        loc = Location(shown, sheet=ws.title, cell=f"{get_column_letter(first_col + 1)}{r}")
        kind = norm(values["kind"])
        row = ChangeRow(r, values)
        if kind == "原报送人员":
            if pending is not None:
                pairs.append((pending[0], pending[1], None))
            pending = (loc, row)
        elif kind == "变更人员":
            if pending is None:
                pairs.append((loc, None, row))
            else:
                pairs.append((pending[0], pending[1], row))
                pending = None
        else:
            problems.append(Diagnostic("X862", f"“调换情况”应为“原报送人员”或“变更人员”，这里是“{values['kind']}”", loc))
    if pending is not None:
        pairs.append((pending[0], pending[1], None))
    return pairs, problems
