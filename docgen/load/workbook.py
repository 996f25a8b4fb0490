"""Open a workbook someone sent back: sniff its real type by content, read its values fast.

One opener for every returned workbook docgen reads (汇总表, 计划表, 名单, 填报表, 评分表):
.xlsx, .xlsm and old .xls (BIFF8) are read by python-calamine, whatever the file's name
says; a file that cannot be read gets one of B101–B107. Values and merged ranges come from
calamine, so the common path never builds an openpyxl object model. What calamine does not
tell (which cells hold formulas or error values, which cells have borders) is read from the
sheet's XML only when a caller asks, and only for .xlsx.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from docgen.errors import Diagnostic, Location

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_XLSX = "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）后放回文件夹，重新运行。"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLS_SUFFIXES = (".xls",)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_REF = re.compile(r"([A-Z]+)(\d+)")


def cell_ref(row: int, col: int) -> str:
    """Return the A1 reference of a 0-based (row, col)."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sniff(path: Path, shown: str) -> Diagnostic | None:
    """Return a diagnostic when *path* cannot be a workbook docgen reads, judged by its bytes."""
    _, problem = _sniff(path, shown)
    return problem


def _sniff(path: Path, shown: str) -> tuple[bytes, Diagnostic | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return b"", Diagnostic("B101", f"无法读取文件：{exc.strerror}", Location(shown), hint="检查文件权限。")
    if not data:
        return data, Diagnostic("B102", "文件是空的（0 字节）", Location(shown), hint="请对方重新发送该文件。")
    if data.startswith(OLE2[:4]):  # a compound document (a truncated one is named as .xls too)
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            return data, Diagnostic("B103", "工作簿设置了打开密码（已加密），无法读取", Location(shown),
                                    hint="在 Excel 或 WPS 中取消密码，再“另存为”Excel 工作簿（*.xlsx）。")
        return data, None  # BIFF8 (.xls) or a WPS .et: calamine decides
    head = data[:4096]
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (stripped.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<", b"mime-version:"))
            or b"<html" in stripped[:2048]):
        return data, Diagnostic("B105", "这是另存为 .xls 的网页（HTML）文件，不是真正的工作簿", Location(shown),
                                hint=SAVE_AS_XLSX)
    if not data.startswith(b"PK\x03\x04"):
        return data, Diagnostic("B106", "不是 Excel 工作簿（无法识别的文件格式）", Location(shown), hint=SAVE_AS_XLSX)
    return data, None


@dataclass
class Sheet:
    """The values of one sheet as a grid from A1, with its merged ranges (0-based, inclusive)."""

    name: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    book: Book | None = field(default=None, repr=False, compare=False)
    _cells: dict | None = field(default=None, repr=False, compare=False)
    _merge_at: dict | None = field(default=None, repr=False, compare=False)

    def text(self, row: int, col: int) -> str:
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        value = self.rows[row][col]
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    def value(self, row: int, col: int):
        if row >= len(self.rows) or col >= len(self.rows[row]):
            return ""
        return self.rows[row][col]

    def width(self, row: int) -> int:
        return len(self.rows[row]) if row < len(self.rows) else 0

    def merge_at(self, row: int, col: int) -> tuple[tuple[int, int], tuple[int, int]] | None:
        """Return the merged range covering (row, col), if any."""
        if self._merge_at is None:
            self._merge_at = {}
            for rng in self.merged:
                (r1, c1), (r2, c2) = rng
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        self._merge_at[(r, c)] = rng
        return self._merge_at.get((row, col))

    # What calamine does not say: read from the sheet's XML on demand (.xlsx only).

    def _cell_xml(self) -> dict[tuple[int, int], tuple[dict, bytes]]:
        if self._cells is None:
            self._cells = self.book._sheet_cells(self.name) if self.book is not None else {}
        return self._cells

    def formula(self, row: int, col: int) -> tuple[str, str | None] | None:
        """Return (formula text, error value or None) when the cell holds a formula or an error value."""
        hit = self._cell_xml().get((row, col))
        if hit is None:
            return None
        attrs, inner = hit
        f = _FORMULA.search(inner or b"")
        v = _VALUE.search(inner or b"")
        error = v.group(1).decode("utf-8", "replace") if v and attrs.get("t") == "e" else None
        if f is None and error is None:
            return None
        text = "=" + (f.group(1) or b"").decode("utf-8", "replace") if f is not None else ""
        return text, error

    def bordered(self, row: int, col: int) -> bool | None:
        """Return whether the cell has a border on any side; None when unknown (.xls)."""
        if self.book is None or self.book.kind != "xlsx":
            return None
        hit = self._cell_xml().get((row, col))
        if hit is None:
            return False
        style = hit[0].get("s")
        return style is not None and int(style) in self.book._bordered_styles()


@dataclass
class Book:
    """A workbook as read: its visible worksheets, the names of its hidden ones, its real type."""

    shown: str
    kind: str  # "xlsx" or "xls", by content
    sheets: list[Sheet]
    hidden: list[str]
    data: bytes = field(repr=False, default=b"")
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    _paths: dict[str, str] | None = field(default=None, repr=False)
    _borders: set[int] | None = field(default=None, repr=False)

    def hidden_sheet(self, name: str) -> Sheet | None:
        """Read the hidden worksheet *name* (a sheet the program that wrote the book keeps for itself)."""
        if name not in self.hidden:
            return None
        try:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(self.data))
            sh = wb.get_sheet_by_name(name)
            sheet = Sheet(name, sh.to_python(skip_empty_area=False), list(sh.merged_cell_ranges or []), self)
            wb.close()
        except Exception:  # calamine raises its own error types; an unreadable sheet is as absent
            return None
        return sheet

    def _zipfile(self) -> zipfile.ZipFile | None:
        if self.kind != "xlsx":
            return None
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self.data))
        return self._zip

    def _sheet_path(self, name: str) -> str | None:
        zf = self._zipfile()
        if zf is None:
            return None
        if self._paths is None:
            self._paths = {}
            try:
                ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
                wb = ElementTree.fromstring(zf.read("xl/workbook.xml"))
                rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
                targets = {r.get("Id"): r.get("Target") for r in rels}
                for s in wb.iterfind("m:sheets/m:sheet", ns):
                    sheet = s.get("name")
                    if sheet is None:
                        continue
                    target = targets.get(s.get(f"{{{ns['r']}}}id")) or ""
                    target = target.lstrip("/") if target.startswith("/") else "xl/" + target
                    self._paths[sheet] = target
            except (KeyError, ElementTree.ParseError):
                pass
        return self._paths.get(name)

    def _sheet_cells(self, name: str) -> dict[tuple[int, int], tuple[dict, bytes]]:
        path = self._sheet_path(name)
        zf = self._zipfile()
        if path is None or zf is None:
            return {}
        try:
            xml = zf.read(path)
        except KeyError:
            return {}
        cells = {}
        for m in _CELL.finditer(xml):
            attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(m.group(1))}
            ref = _REF.fullmatch(attrs.get("r", ""))
            if ref:
                cells[(int(ref.group(2)) - 1, _col_index(ref.group(1)))] = (attrs, m.group(2) or b"")
        return cells

    def _bordered_styles(self) -> set[int]:
        zf = self._zipfile()
        if self._borders is None:
            self._borders = set()
            if zf is None:
                return self._borders
            try:
                ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
                root = ElementTree.fromstring(zf.read("xl/styles.xml"))
                borders = []
                for b in root.iterfind(f"{ns}borders/{ns}border"):
                    borders.append(any(side.get("style") not in (None, "none") for side in b))
                for i, xf in enumerate(root.iterfind(f"{ns}cellXfs/{ns}xf")):
                    k = int(xf.get("borderId", "0"))
                    if k < len(borders) and borders[k]:
                        self._borders.add(i)
            except (KeyError, ElementTree.ParseError):
                pass
        return self._borders


def open_book(path: Path, shown: str) -> tuple[Book | None, list[Diagnostic]]:
    """Open *path* by its content; return the book and notes (a lying extension), or None and the problem."""
    data, problem = _sniff(path, shown)
    if problem is not None:
        return None, [problem]
    kind = "xls" if data.startswith(OLE2[:4]) else "xlsx"
    notes: list[Diagnostic] = []
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: list[Sheet] = []
        hidden: list[str] = []
        book = Book(shown, kind, sheets, hidden, data)
        for meta in wb.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):
                continue
            if "Visible" not in str(meta.visible) or "Hidden" in str(meta.visible):
                hidden.append(meta.name)
                continue
            sh = wb.get_sheet_by_name(meta.name)
            rows = sh.to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, rows, list(sh.merged_cell_ranges or []), book))
        wb.close()
    except Exception as exc:  # calamine raises its own error types for broken parts
        if kind == "xls":
            what = ("WPS 表格文件（.et）" if path.suffix.lower() in (".et", ".ett")
                    else "旧版 Excel 97-2003 工作簿（.xls）")
            return None, [Diagnostic("B104", f"这是{what}，但内容无法读取（{type(exc).__name__}）", Location(shown),
                                     hint=SAVE_AS_XLSX)]
        return None, [_zip_problem(data, shown) or Diagnostic(
            "B107", f"工作簿内容损坏，无法读取（{type(exc).__name__}）", Location(shown),
            hint="在 Excel 或 WPS 中打开并重新保存为 .xlsx；仍打不开则请对方重新发送。")]
    suffix = path.suffix.lower()
    if (kind == "xlsx" and suffix in XLS_SUFFIXES) or (kind == "xls" and suffix in XLSX_SUFFIXES):
        real = "Excel 工作簿（.xlsx）" if kind == "xlsx" else "旧版 Excel 97-2003 工作簿（.xls）"
        notes.append(Diagnostic("B150", f"扩展名是 {suffix}，实际是{real}，已按实际格式读取", Location(shown),
                                hint="不影响汇总；如需转发，可在 Excel 或 WPS 中另存为 .xlsx。", severity="warning"))
    return book, notes


def read_sheets(path: Path, shown: str) -> tuple[list[Sheet], Diagnostic | None]:
    """Return the visible worksheets of *path* (sniffed first), or a diagnostic saying why not."""
    book, notes = open_book(path, shown)
    if book is None:
        return [], notes[0]
    return book.sheets, None


def _zip_problem(data: bytes, shown: str) -> Diagnostic | None:
    """Say what a zip that calamine could not read really is (broken, or a Word file named .xlsx)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return Diagnostic("B107", "文件已损坏（不是完整的 zip 压缩包）", Location(shown),
                          hint="请对方重新发送该文件。")
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "其他 Office 文件"
        return Diagnostic("B106", f"扩展名是工作簿，实际是{kind}", Location(shown), hint=SAVE_AS_XLSX)
    return None


# ---------------------------------------------------------------- an openpyxl-like view

class CellView:
    """One cell as openpyxl shows it: ``value`` (None when empty; whole floats as int), ``row``, ``column``."""

    __slots__ = ("column", "row", "value")

    def __init__(self, value, row: int, column: int):
        if value == "" and not isinstance(value, bool):
            value = None
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            value = int(value)
        self.value, self.row, self.column = value, row, column


@dataclass(frozen=True)
class RangeView:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


class WorksheetView:
    """The read-only subset of an openpyxl worksheet (1-based) over a :class:`Sheet` read by calamine.

    For readers written against openpyxl (名单, 变更信息表, 填报表): they read .xls and lying
    extensions through the one opener, at calamine's speed.
    """

    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.title = sheet.name
        self.max_row = max(1, len(sheet.rows))
        self.max_column = max([1, *(len(r) for r in sheet.rows)])

    def cell(self, row: int, column: int) -> CellView:
        return CellView(self.sheet.value(row - 1, column - 1), row, column)

    def __getitem__(self, row: int) -> tuple[CellView, ...]:
        return tuple(self.cell(row, c) for c in range(1, self.max_column + 1))

    def iter_rows(self, min_row: int = 1, max_row: int | None = None):
        for r in range(min_row, (max_row or self.max_row) + 1):
            yield self[r]

    @property
    def merged_ranges(self) -> list[RangeView]:
        return [RangeView(r1 + 1, c1 + 1, r2 + 1, c2 + 1) for (r1, c1), (r2, c2) in self.sheet.merged]


class BookView:
    """The visible worksheets of a :class:`Book`, by name, as openpyxl's ``wb[name]`` and ``wb.sheetnames``."""

    def __init__(self, book: Book):
        self.book = book
        self.sheetnames = [s.name for s in book.sheets]
        self.worksheets = [WorksheetView(s) for s in book.sheets]

    def __getitem__(self, name: str) -> WorksheetView:
        return self.worksheets[self.sheetnames.index(name)]

    def hidden(self, name: str) -> WorksheetView | None:
        """Return the hidden worksheet *name*, or None when the book has no such hidden sheet."""
        sheet = self.book.hidden_sheet(name)
        return WorksheetView(sheet) if sheet is not None else None
