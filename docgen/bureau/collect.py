"""Collect the returned 汇总表 workbooks of a call into one master list.

Every file is read whatever tool wrote it (Excel, WPS, LibreOffice, openpyxl):
the header row is found by its labels (序号 / 项目名称 / 备注) and the unit and
contact lines by theirs (申报单位（盖章）：, 联系人：, 联系电话：), never by fixed
cells. Every problem of every file is reported with file, sheet and cell; the
good files are consolidated all the same, and every row read is kept in the
master list with its status, so nothing is dropped silently.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Diagnostic, Location
from docgen.load.workbook import Sheet, cell_ref, read_sheets
from docgen.models.call import Call

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ett", ".htm", ".html", ".csv", ".ods"}
HEADER_SCAN_ROWS = 40
ADMITTED = "受理"
TO_CHECK = "待核实"
REFUSED = "不受理"

LABELS = {
    "unit": re.compile(r"申报单位\s*(?:[（(]\s*盖\s*章\s*[)）])?\s*[:：]"),
    "contact": re.compile(r"联\s*系\s*人\s*[:：]"),
    "phone": re.compile(r"联系(?:电话|方式)\s*[:：]"),
}
LABEL_TEXT = {"unit": "申报单位（盖章）：", "contact": "联系人：", "phone": "联系电话："}
HEADERS = {"no": ("序号",), "name": ("项目名称", "子项目名称"), "remark": ("备注",)}
HEADER_TEXT = {"no": "序号", "name": "项目名称", "remark": "备注"}
FOOTER_RE = re.compile(r"^(填表人|填报人|注[:：]|说明[:：]|备注[:：])")
NAME_PREFIX_RE = re.compile(r"^(?:子?项目\s*)?[0-9一二三四五六七八九十]+\s*[、.．:：)）\s]\s*")


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text).replace("(", "（").replace(")", "）")


@dataclass
class Row:
    """One row of a returned 汇总表, as read, with where it came from and what became of it."""

    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    unit: str
    contact: str
    phone: str
    no: int | None
    no_text: str
    name: str
    remark: str
    sub_project: int | None = None
    name_cell: str = ""
    status: str = ADMITTED
    reason: str = ""
    id: str = ""

    @property
    def admitted(self) -> bool:
        return self.status == ADMITTED


@dataclass
class FileResult:
    file: str
    sheet: str = ""
    unit: str = ""
    rows: list[Row] = field(default_factory=list)
    errors: int = 0
    readable: bool = True
    note: str = ""


@dataclass
class Collection:
    call_id: str
    files: list[FileResult]
    rows: list[Row]
    diagnostics: list[Diagnostic]

    @property
    def admitted(self) -> list[Row]:
        return [r for r in self.rows if r.admitted]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class _FileReader:
    """Read one returned workbook; append diagnostics as found."""

    def __init__(self, path: Path, shown: str, call: Call, diagnostics: list[Diagnostic]):
        self.path, self.shown, self.call, self.out = path, shown, call, diagnostics
        self.result = FileResult(shown)
        self.names = {_norm(s.name): s.no for s in call.sub_projects}

    def error(self, code, message, sheet=None, cell=None, hint=None, severity="error"):
        if severity == "error":
            self.result.errors += 1
        self.out.append(Diagnostic(code, message, Location(self.shown, sheet=sheet, cell=cell), hint=hint,
                                   severity=severity))

    def read(self) -> FileResult:
        sheets, problem = read_sheets(self.path, self.shown)
        if problem is not None:
            self.out.append(problem)
            self.result.errors += 1
            self.result.readable = False
            self.result.note = problem.message
            return self.result
        found = None
        for sheet in sheets:
            header = self._find_header(sheet)
            if header is not None:
                found = (sheet, header)
                break
        if found is None:
            names = "、".join(s.name for s in sheets) or "（无可见工作表）"
            self.error("B110", f"找不到表头：没有一行写着“序号 / 项目名称 / 备注”（已查看工作表：{names}）",
                       sheet=sheets[0].name if sheets else None,
                       hint="请按通知附件4的格式填写：表头依次为“序号”“项目名称”“备注”。")
            self.result.readable = False
            self.result.note = "找不到表头"
            return self.result
        sheet, (hrow, cols) = found
        self.result.sheet = sheet.name
        self._check_header(sheet, hrow, cols)
        unit, contact, phone = self._read_labels(sheet, hrow)
        self.result.unit = unit
        self._check_merged(sheet, hrow)
        self._read_rows(sheet, hrow, cols, unit, contact, phone)
        return self.result

    def _find_header(self, sheet: Sheet) -> tuple[int, dict[str, int]] | None:
        for r in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
            cols: dict[str, int] = {}
            for c in range(len(sheet.rows[r])):
                text = _norm(sheet.text(r, c))
                for key, labels in HEADERS.items():
                    if text in labels and key not in cols:
                        cols[key] = c
            if "name" in cols and ("no" in cols or "remark" in cols):
                return r, cols
        return None

    def _check_header(self, sheet: Sheet, hrow: int, cols: dict[str, int]) -> None:
        for key in ("no", "remark"):
            if key not in cols:
                self.error("B111", f"表头缺少“{HEADER_TEXT[key]}”列", sheet.name, cell_ref(hrow, 0),
                           hint="表头应依次为“序号”“项目名称”“备注”，与通知附件4一致。")
        present = [k for k in ("no", "name", "remark") if k in cols]
        if [cols[k] for k in present] != sorted(cols[k] for k in present):
            order = "、".join(HEADER_TEXT[k] for k in sorted(present, key=lambda k: cols[k]))
            self.error("B329", f"表头列的顺序不对（现为：{order}）", sheet.name, cell_ref(hrow, min(cols.values())),
                       hint="表头应依次为“序号”“项目名称”“备注”，与通知附件4一致。", severity="warning")

    def _read_labels(self, sheet: Sheet, hrow: int) -> tuple[str, str, str]:
        found: dict[str, tuple[str, int, int]] = {}
        for r in range(hrow):
            width = len(sheet.rows[r])
            for c in range(width):
                text = sheet.text(r, c)
                hits = sorted((m.start(), m.end(), key) for key, rx in LABELS.items() for m in rx.finditer(text))
                for i, (start, end, key) in enumerate(hits):
                    stop = hits[i + 1][0] if i + 1 < len(hits) else len(text)
                    value = text[end:stop].strip()
                    where = (r, c)
                    if not value and i + 1 == len(hits):
                        for c2 in range(c + 1, width):
                            nxt = sheet.text(r, c2)
                            if nxt and not any(rx.search(nxt) for rx in LABELS.values()):
                                value, where = nxt, (r, c2)
                                break
                            if nxt:
                                break
                    if key not in found:
                        found[key] = (value, *where)
        values = []
        for key in ("unit", "contact", "phone"):
            if key not in found:
                severity = "error" if key == "unit" else "warning"
                self.error("B112", f"找不到“{LABEL_TEXT[key]}”这一栏", sheet.name, cell_ref(0, 0),
                           hint=f"在表头上方按附件4填写“{LABEL_TEXT[key]}”。", severity=severity)
                values.append("")
                continue
            value, r, c = found[key]
            if not value:
                severity = "error" if key == "unit" else "warning"
                self.error("B113", f"“{LABEL_TEXT[key]}”未填写", sheet.name, cell_ref(r, c),
                           hint=f"请申报单位补填{LABEL_TEXT[key].rstrip('：')}。", severity=severity)
            values.append(value)
        return values[0], values[1], values[2]

    def _check_merged(self, sheet: Sheet, hrow: int) -> None:
        for (r1, c1), (r2, c2) in sorted(sheet.merged):
            if r2 < hrow:
                continue  # title and label lines are merged in the template itself
            ref = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
            if r1 == r2 == hrow:  # a merged header cell loses no data, but may hide a column
                self.error("B122", f"表头有合并单元格 {ref}", sheet.name, cell_ref(r1, c1),
                           hint="取消合并，表头依次为“序号”“项目名称”“备注”各占一列。", severity="warning")
                continue
            self.error("B122", f"表格中有合并单元格 {ref}，合并后只有左上角单元格有值，其余行会读成空",
                       sheet.name, cell_ref(r1, c1), hint="取消合并，每一行都填写完整的序号、项目名称和备注。")

    def _read_rows(self, sheet: Sheet, hrow: int, cols: dict[str, int], unit: str, contact: str,
                   phone: str) -> None:
        last = len(sheet.rows) - 1
        while last > hrow and not any(sheet.text(last, c) for c in range(len(sheet.rows[last]))):
            last -= 1
        blank_run: list[int] = []
        seen_names: dict[int, Row] = {}
        seen_nos: dict[int, Row] = {}
        for r in range(hrow + 1, last + 1):
            texts = [sheet.text(r, c) for c in range(len(sheet.rows[r]))]
            if not any(texts):
                blank_run.append(r)
                continue
            first = next(t for t in texts if t)
            name_text = sheet.text(r, cols["name"])
            no_text = sheet.text(r, cols["no"]) if "no" in cols else ""
            if not name_text and not no_text and FOOTER_RE.match(first):
                break
            if blank_run:
                span = cell_ref(blank_run[0], 0) + (f"–{cell_ref(blank_run[-1], 0)}" if len(blank_run) > 1 else "")
                self.error("B120", f"表格中间有空行（{span}），其后的行仍已读取", sheet.name, cell_ref(blank_run[0], 0),
                           hint="删除中间的空行，避免漏报。", severity="warning")
                blank_run = []
            row = Row(self.shown, sheet.name, r + 1, unit, contact, phone, None, no_text, name_text,
                      sheet.text(r, cols["remark"]) if "remark" in cols else "", name_cell=cell_ref(r, cols["name"]))
            self._read_no(sheet, r, cols, row, seen_nos)
            self._match_name(sheet, r, cols, row, seen_names)
            self.result.rows.append(row)
        if not self.result.rows:
            self.error("B114", "表格中没有填写任何申报项目", sheet.name, cell_ref(hrow + 1, cols["name"]),
                       hint="在表头下方逐行填写序号、项目名称和备注。")

    def _read_no(self, sheet: Sheet, r: int, cols: dict[str, int], row: Row, seen: dict[int, Row]) -> None:
        if "no" not in cols:
            return
        value = sheet.value(r, cols["no"])
        ref = cell_ref(r, cols["no"])
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, (int, float)):
            if float(value).is_integer() and value > 0:
                row.no = int(value)
            else:
                self._bad_row(row, "B121", f"序号“{row.no_text}”不是正整数", sheet.name, ref,
                              "序号按 1、2、3 填写。")
        elif row.no_text == "":
            self._bad_row(row, "B322", "序号未填写", sheet.name, ref, "序号按 1、2、3 填写，它决定子项目的排序。")
        elif re.fullmatch(r"\d+", row.no_text):
            row.no = int(row.no_text)
            self.error("B323", f"序号“{row.no_text}”是文本格式，应为数字（已按数字读取）", sheet.name, ref,
                       hint="把该单元格设为“常规”或“数值”格式。", severity="warning")
        else:
            self._bad_row(row, "B121", f"序号应为数字，这里是文本“{row.no_text}”", sheet.name, ref,
                          "序号按 1、2、3 填写，它决定子项目的排序。")
        if row.no is not None:
            if row.no in seen:
                self.error("B123", f"序号 {row.no} 重复（另见第 {seen[row.no].row} 行）", sheet.name, ref,
                           hint="序号应从 1 起依次编号；排序决定冲突时保留哪个子项目。")
            seen.setdefault(row.no, row)

    def _match_name(self, sheet: Sheet, r: int, cols: dict[str, int], row: Row, seen: dict[int, Row]) -> None:
        ref = row.name_cell
        text = _norm(row.name)
        if not text:
            self._bad_row(row, "B124", "项目名称未填写", sheet.name, ref, "填写附件1中的子项目名称。")
            return
        no = self.names.get(text) or self.names.get(NAME_PREFIX_RE.sub("", text))
        if no is None:
            close = difflib.get_close_matches(text, list(self.names), n=1, cutoff=0.5)
            known = "、".join(s.name for s in self.call.sub_projects)
            hint = (f"是否应为“{next(s.name for s in self.call.sub_projects if _norm(s.name) == close[0])}”？"
                    if close else "") + f"本通知的子项目为：{known}（附件1）。"
            self._bad_row(row, "B125", f"项目名称“{row.name}”不是本通知的子项目", sheet.name, ref, hint)
            return
        row.sub_project = no
        if no in seen:
            self._bad_row(row, "B126", f"同一子项目填写了两次（另见第 {seen[no].row} 行）", sheet.name, ref,
                          "一个子项目只填一行。")
            return
        seen[no] = row

    def _bad_row(self, row: Row, code: str, message: str, sheet: str, ref: str, hint: str) -> None:
        self.error(code, message, sheet, ref, hint=hint)
        row.status = TO_CHECK
        row.reason = "；".join(filter(None, [row.reason, message]))


def returned_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """Return (workbook-like files, other files) in *folder*, sorted by name; Office lock files are skipped."""
    books, others = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.name.startswith(("~$", ".~lock", ".")):
            continue
        (books if path.suffix.lower() in WORKBOOK_SUFFIXES else others).append(path)
    return books, others


def collect(folder: Path, call_id: str, call: Call) -> Collection:
    """Read every returned workbook in *folder*; return the rows, per-file results and every diagnostic."""
    diagnostics: list[Diagnostic] = []
    books, others = returned_files(folder)
    for path in others:
        diagnostics.append(Diagnostic("B100", "不是工作簿，已跳过", Location(_shown(path, folder)),
                                      hint="汇总表应为 .xlsx 文件；如是误放的文件可忽略此提示。", severity="warning"))
    files = [_FileReader(path, _shown(path, folder), call, diagnostics).read() for path in books]
    if not books:
        diagnostics.append(Diagnostic("B321", "文件夹中没有工作簿（.xlsx）", Location(str(folder)),
                                      hint="把各单位报回的汇总表放进该文件夹后重新运行。"))
    _check_units(files, diagnostics)
    rows = [r for f in files for r in f.rows]
    _apply_exclusive(files, call, diagnostics)
    for i, row in enumerate(rows, 1):
        row.id = f"A{i:03d}"
    return Collection(call_id, files, rows, diagnostics)


def _shown(path: Path, folder: Path) -> str:
    return str(path.relative_to(folder))


def _check_units(files: list[FileResult], diagnostics: list[Diagnostic]) -> None:
    first: dict[str, FileResult] = {}
    for f in files:
        if not f.rows or not f.unit:
            continue
        key = _norm(f.unit)
        if key in first:
            diagnostics.append(Diagnostic(
                "B130", f"单位“{f.unit}”报送了两份汇总表（另见 {first[key].file}）",
                Location(f.file, sheet=f.sheet), hint="核实以哪一份为准，删除另一份后重新汇总。"))
            f.errors += 1
            for row in f.rows:
                row.status = TO_CHECK
                row.reason = "；".join(filter(None, [row.reason, f"单位重复（另见 {first[key].file}）"]))
        else:
            first[key] = f


def _apply_exclusive(files: list[FileResult], call: Call, diagnostics: list[Diagnostic]) -> None:
    """Apply the call's `exclusive` rules: in a unit's list, the first rows by 序号 win."""
    names = {s.no: s.name for s in call.sub_projects}
    for rule in call.rules:
        if rule.kind != "exclusive":
            continue
        subs = {int(str(x)) for x in rule.params.get("sub_projects", [])}
        limit = int(rule.params.get("max", 1))
        for f in files:
            rows = [r for r in f.rows if r.admitted and r.sub_project in subs]
            rows.sort(key=lambda r: (r.no if r.no is not None else 10 ** 6, r.row))
            for row in rows[limit:]:
                kept = "、".join(f"序号{r.no_text}“{names[r.sub_project]}”" for r in rows[:limit])
                row.status = REFUSED
                row.reason = f"{rule.title}：按本单位排序保留{kept}（规则 {rule.id}）"
                diagnostics.append(Diagnostic(
                    "B131", f"“{f.unit}”同时申报了{('、'.join(names[s] for s in sorted(subs)))}，"
                            f"{rule.title}；按排序保留{kept}，本行不受理",
                    Location(f.file, sheet=row.sheet, cell=row.name_cell),
                    hint=rule.advice or None, severity="warning"))
