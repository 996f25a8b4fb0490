"""Collect the returned 汇总表 workbooks of a call into one master list.

Every file is read whatever tool wrote it (Excel, WPS, LibreOffice, openpyxl; .xlsx, .xlsm or
old .xls, by content): the shared table reader (docgen/load/table.py) finds the header by its
labels (序号 / 项目名称 / 备注, matched exactly) and stops the data at the first row that is not
data; the unit and contact lines are found by their labels (申报单位（盖章）：, 联系人：, 联系电话：),
never by fixed cells. Every problem of every file is reported with file, sheet and cell; the
good files are consolidated all the same, and every row read is kept in the master list with
its disposition, so nothing is dropped silently.

The intake policy (README, “汇总”): an error about the whole file → the file is returned (退回),
its rows listed but not admitted; an error about one row → that row 待核实; an oddity that
loses nothing → a warning, the data kept; the same (单位, 子项目) in several rows or files →
listed once, every source named; a clash of sub-projects 1 and 2 → the notice's rule (不受理).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Diagnostic, Location
from docgen.load.table import (
    Field,
    check_header,
    chinese_number,
    find_header,
    norm_label,
    number_lost_digits,
    read_rows,
)
from docgen.load.workbook import Sheet, cell_ref, open_book
from docgen.models.call import Call

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et", ".ett", ".htm", ".html", ".csv", ".ods"}
HEADER_SCAN_ROWS = 40
ADMITTED = "受理"
TO_CHECK = "待核实"
REFUSED = "不受理"
RETURNED = "退回"

LABELS = {
    "unit": re.compile(r"申报单位\s*(?:[（(]\s*盖\s*章\s*[)）])?\s*[:：]"),
    "contact": re.compile(r"联\s*系\s*人\s*[:：]"),
    "phone": re.compile(r"联系(?:电话|方式)\s*[:：]"),
}
LABEL_TEXT = {"unit": "申报单位（盖章）：", "contact": "联系人：", "phone": "联系电话："}
FIELDS = [Field("no", "序号"), Field("name", "项目名称"), Field("remark", "备注")]
FORM_HINT = "请按通知附件4的格式填写：表头依次为“序号”“项目名称”“备注”。"
NAME_PREFIX_RE = re.compile(r"^(?:子?项目\s*)?[0-9一二三四五六七八九十]+\s*[、.．:：)）\s]\s*")


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text).replace("(", "（").replace(")", "）")


@dataclass
class Row:
    """One (单位, 子项目) of a returned 汇总表, as read, with where it came from and what became of it."""

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
    also: list[str] = field(default_factory=list)  # other rows or files naming the same (单位, 子项目)

    @property
    def admitted(self) -> bool:
        return self.status == ADMITTED

    @property
    def source(self) -> str:
        return "、".join([f"{self.file}[{self.sheet}]!{self.name_cell}", *self.also])

    def note(self, text: str) -> None:
        self.reason = "；".join(filter(None, [self.reason, text]))


@dataclass
class FileResult:
    file: str
    sheet: str = ""
    unit: str = ""
    rows: list[Row] = field(default_factory=list)
    errors: int = 0
    readable: bool = True
    note: str = ""
    returned: list[str] = field(default_factory=list)  # the file-level errors: the file is sent back

    @property
    def disposition(self) -> str:
        if not self.readable:
            return f"未能汇总：{self.note}"
        admitted = sum(1 for r in self.rows if r.status == ADMITTED)
        text = f"已汇总 {len(self.rows)} 行（受理 {admitted} 行）"
        if self.returned:
            text = f"退回：{'；'.join(self.returned)}（已列出 {len(self.rows)} 行，均未受理）"
        return text


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

    def error(self, code, message, sheet=None, cell=None, hint=None, severity="error", whole_file=False):
        if severity == "error":
            self.result.errors += 1
            if whole_file:
                self.result.returned.append(message)
        self.out.append(Diagnostic(code, message, Location(self.shown, sheet=sheet, cell=cell), hint=hint,
                                   severity=severity))

    def read(self) -> FileResult:
        book, notes = open_book(self.path, self.shown)
        if book is None:
            self.out.extend(notes)
            self.result.errors += 1
            self.result.readable = False
            self.result.note = notes[0].message
            return self.result
        self.out.extend(notes)
        found = find_header(book.sheets, FIELDS, HEADER_SCAN_ROWS)
        if found is None:
            names = "、".join(s.name for s in book.sheets) or "（无可见工作表）"
            self.error("B110", f"找不到表头：没有一行写着“序号 / 项目名称 / 备注”（已查看工作表：{names}）",
                       sheet=book.sheets[0].name if book.sheets else None, hint=FORM_HINT)
            self.result.readable = False
            self.result.note = "找不到表头"
            self._hidden(book.hidden)
            return self.result
        sheet, top, hrow, cols = found
        self.result.sheet = sheet.name
        self._hidden(book.hidden)
        for d in check_header(sheet, hrow, cols, FIELDS, self.shown, "B111", "B151", first_row=top):
            self.error(d.code, d.message, sheet.name, d.location.cell if d.location else None, d.hint, whole_file=True)
        present = [k for k in ("no", "name", "remark") if k in cols]
        if [cols[k] for k in present] != sorted(cols[k] for k in present):
            order = "、".join(f.label for f in sorted((f for f in FIELDS if f.key in cols), key=lambda f: cols[f.key]))
            self.error("B329", f"表头列的顺序不对（现为：{order}）", sheet.name, cell_ref(hrow, min(cols.values())),
                       hint=FORM_HINT, severity="warning")
        if "name" not in cols:
            self.result.readable = False
            self.result.note = "表头缺少“项目名称”列"
            return self.result
        unit, contact, phone = self._read_labels(sheet, top)
        self.result.unit = unit
        rows, _, problems = read_rows(sheet, hrow, cols, self.shown, "B152")
        self.out.extend(problems)
        self._read_rows(sheet, hrow, cols, rows, unit, contact, phone)
        if self.result.returned:
            for row in self.result.rows:
                row.status = RETURNED
                row.note("整份文件退回：" + "；".join(self.result.returned))
        return self.result

    def _hidden(self, hidden: list[str]) -> None:
        if hidden:
            self.error("B155", f"工作簿有隐藏的工作表：{'、'.join(hidden)}（未读取其内容）",
                       sheet=hidden[0], severity="warning",
                       hint="汇总只读可见的工作表；如隐藏表中有申报内容，请对方取消隐藏或合并到附件4表格中。")

    def _read_labels(self, sheet: Sheet, hrow: int) -> tuple[str, str, str]:
        found: dict[str, tuple[str, int, int]] = {}
        for r in range(hrow):
            width = len(sheet.rows[r])
            for c in range(width):
                text = sheet.text(r, c)
                if "联" not in text and "申报单位" not in text:
                    continue
                hits = sorted((m.start(), m.end(), key) for key, rx in LABELS.items() for m in rx.finditer(text))
                for i, (_start, end, key) in enumerate(hits):
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
                           hint=f"在表头上方按附件4填写“{LABEL_TEXT[key]}”。", severity=severity,
                           whole_file=key == "unit")
                values.append("")
                continue
            value, r, c = found[key]
            if not value:
                severity = "error" if key == "unit" else "warning"
                self.error("B113", f"“{LABEL_TEXT[key]}”未填写", sheet.name, cell_ref(r, c),
                           hint=f"请申报单位补填{LABEL_TEXT[key].rstrip('：')}。", severity=severity,
                           whole_file=key == "unit")
            elif key == "phone":
                lost = number_lost_digits(sheet.value(r, c))
                if lost:
                    self.error("B156", f"联系电话是{lost}", sheet.name, cell_ref(r, c), severity="warning",
                               hint="请对方核对电话；该单元格应设为“文本”格式后重新输入。")
            values.append(value)
        return values[0], values[1], values[2]

    def _read_rows(self, sheet: Sheet, hrow: int, cols: dict[str, int], rows, unit: str, contact: str,
                   phone: str) -> None:
        seen_pairs: dict[int, Row] = {}
        seen_nos: dict[int, Row] = {}
        previous = hrow
        for trow in rows:
            r = trow.index
            if r > previous + 1 and previous > hrow:
                span = cell_ref(previous + 1, 0) + (f"–{cell_ref(r - 1, 0)}" if r - 1 > previous + 1 else "")
                self.error("B120", f"表格中间有空行（{span}），其后的行仍已读取", sheet.name, cell_ref(previous + 1, 0),
                           hint="删除中间的空行，避免漏报。", severity="warning")
            previous = r
            name = trow.cells["name"]
            no = trow.cells.get("no")
            remark = trow.cells.get("remark")
            row = Row(self.shown, sheet.name, r + 1, unit, contact, phone, None, no.text if no else "", name.text,
                      remark.text if remark else "", name_cell=name.ref)
            self._read_no(sheet, no, row, seen_nos)
            self._match_name(sheet, name, row)
            first = seen_pairs.get(row.sub_project) if row.sub_project is not None else None
            if first is not None and row.status == ADMITTED:
                # one (单位, 子项目) in several rows (different 备注): one application, every row named
                first.also.append(f"{name.ref}" if not name.carried else name.ref)
                if row.remark and row.remark != first.remark:
                    first.remark = "；".join(filter(None, [first.remark, row.remark]))
                first.note(f"本单位该子项目填写了多行（第 {first.row}、{r + 1} 行），合为一项申报")
                continue
            if row.sub_project is not None and row.status == ADMITTED:
                seen_pairs[row.sub_project] = row
            self.result.rows.append(row)
        if not self.result.rows:
            self.error("B114", "表格中没有填写任何申报项目", sheet.name, cell_ref(hrow + 1, cols["name"]),
                       hint="在表头下方逐行填写序号、项目名称和备注。", whole_file=True)

    def _formula_problem(self, sheet: Sheet, cell, row: Row, what: str) -> bool:
        """Report a formula or error value where a value belongs; return True when there was one."""
        r, c = _rc(cell.ref)
        hit = sheet.formula(r, c)
        if hit is None:
            return False
        formula, error = hit
        if error:
            self._bad_row(row, "B154", f"{what}是错误值 {error}" + (f"（公式 {formula}）" if formula else ""),
                          sheet.name, cell.ref, f"直接填写{what}，不要用公式。")
        else:
            self._bad_row(row, "B153", f"{what}是公式 {formula}，但没有计算结果", sheet.name, cell.ref,
                          f"直接填写{what}；或在 Excel/WPS 中打开并保存一次后重新报送。")
        return True

    def _read_no(self, sheet: Sheet, cell, row: Row, seen: dict[int, Row]) -> None:
        if cell is None:
            return
        value, ref = cell.value, cell.ref
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, (int, float)):
            if float(value).is_integer() and value > 0:
                row.no = int(value)
            else:
                self._bad_row(row, "B121", f"序号“{row.no_text}”不是正整数", sheet.name, ref,
                              "序号按 1、2、3 填写。")
        elif row.no_text == "":
            if not self._formula_problem(sheet, cell, row, "序号"):
                self._bad_row(row, "B322", "序号未填写", sheet.name, ref, "序号按 1、2、3 填写，它决定子项目的排序。")
        elif re.fullmatch(r"\d+", norm_label(row.no_text)):
            row.no = int(norm_label(row.no_text))
            self.error("B323", f"序号“{row.no_text}”是文本格式，应为数字（已按数字读取）", sheet.name, ref,
                       hint="把该单元格设为“常规”或“数值”格式。", severity="warning")
        elif chinese_number(row.no_text) is not None:
            row.no = chinese_number(row.no_text)
            self.error("B157", f"序号写成了“{row.no_text}”，已按 {row.no} 读取", sheet.name, ref,
                       hint="序号用阿拉伯数字 1、2、3 填写。", severity="warning")
        else:
            self._bad_row(row, "B121", f"序号应为数字，这里是文本“{row.no_text}”", sheet.name, ref,
                          "序号按 1、2、3 填写，它决定子项目的排序。")
        if row.no is not None and not cell.carried:
            if row.no in seen:
                self._bad_row(row, "B123", f"序号 {row.no} 重复（另见第 {seen[row.no].row} 行）", sheet.name, ref,
                              "序号应从 1 起依次编号；排序决定冲突时保留哪个子项目。")
            seen.setdefault(row.no, row)

    def _match_name(self, sheet: Sheet, cell, row: Row) -> None:
        ref = row.name_cell
        text = _norm(norm_label(row.name))
        if not text:
            if not self._formula_problem(sheet, cell, row, "项目名称"):
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

    def _bad_row(self, row: Row, code: str, message: str, sheet: str, ref: str, hint: str) -> None:
        self.error(code, message, sheet, ref, hint=hint)
        row.status = TO_CHECK
        row.note(message)


def _rc(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if m is None:
        raise ValueError(f"not an A1 cell reference: {ref!r}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def returned_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """Return (workbook-like files, other files) in *folder*, sorted by name; Office lock files are skipped."""
    books: list[Path] = []
    others: list[Path] = []
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
    _apply_exclusive(files, call, diagnostics)
    rows = [r for f in files for r in f.rows]
    for i, row in enumerate(rows, 1):
        row.id = f"A{i:03d}"
    return Collection(call_id, files, rows, diagnostics)


def _shown(path: Path, folder: Path) -> str:
    text, base = str(path), str(folder)
    return text[len(base) + 1:] if text.startswith(base + "/") else str(path.relative_to(folder))


def _check_units(files: list[FileResult], diagnostics: list[Diagnostic]) -> None:
    """A unit that sent several files: each (单位, 子项目) is listed once, with every file that names it."""
    first: dict[str, FileResult] = {}
    for f in files:
        if not f.rows or not f.unit:
            continue
        key = _norm(f.unit)
        if key not in first:
            first[key] = f
            continue
        earlier = first[key]
        pairs = {r.sub_project: r for r in earlier.rows if r.sub_project is not None}
        same = sorted(r.sub_project for r in f.rows if r.sub_project is not None) == sorted(pairs)
        kept = []
        for row in f.rows:
            if row.sub_project in pairs:
                pairs[row.sub_project].also.append(f"{row.file}[{row.sheet}]!{row.name_cell}")
                pairs[row.sub_project].note(f"另见 {row.file}（同一单位的另一份汇总表）")
                continue
            row.status = TO_CHECK
            row.note(f"单位重复：另见 {earlier.file}，两份汇总表内容不同")
            kept.append(row)
        f.rows = kept
        if same:
            diagnostics.append(Diagnostic(
                "B130", f"单位“{f.unit}”报送了两份汇总表（另见 {earlier.file}），内容相同，只汇总一次",
                Location(f.file, sheet=f.sheet), severity="warning", hint="可删除重复的一份。"))
        else:
            f.errors += 1
            diagnostics.append(Diagnostic(
                "B130", f"单位“{f.unit}”报送了两份汇总表（另见 {earlier.file}），内容不同",
                Location(f.file, sheet=f.sheet), hint="核实以哪一份为准，删除另一份后重新汇总。"))


def _apply_exclusive(files: list[FileResult], call: Call, diagnostics: list[Diagnostic]) -> None:
    """Apply the call's `exclusive` rules: in a unit's list, the first rows by 序号 win."""
    names: dict[int | None, str] = {s.no: s.name for s in call.sub_projects}
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
                row.note(f"{rule.title}：按本单位排序保留{kept}（规则 {rule.id}）")
                diagnostics.append(Diagnostic(
                    "B131", f"“{f.unit}”同时申报了{('、'.join(names[s] for s in sorted(subs)))}，"
                            f"{rule.title}；按排序保留{kept}，本行不受理",
                    Location(f.file, sheet=row.sheet, cell=row.name_cell),
                    hint=rule.advice or None, severity="warning"))
