"""Open a workbook someone sent back: sniff its real type, read its values fast.

Values come from python-calamine (a Rust reader, many times faster than
openpyxl for small files); merged ranges come from the same reader, so the
common path never builds an openpyxl object model.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from docgen.errors import Diagnostic, Location

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_XLSX = "在 Excel 或 WPS 中打开该文件，“另存为”Excel 工作簿（*.xlsx）后放回文件夹，重新运行。"


def cell_ref(row: int, col: int) -> str:
    """Return the A1 reference of a 0-based (row, col)."""
    return f"{get_column_letter(col + 1)}{row + 1}"


def sniff(path: Path, shown: str) -> Diagnostic | None:
    """Return a diagnostic when *path* is not an xlsx workbook by its first bytes, whatever its name says.

    A zip passes; what is inside is looked at only when reading fails (see :func:`_zip_problem`),
    so the common path opens each file once.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
            if head.startswith(OLE2):  # the stream directory may lie anywhere: look at all of it
                head += fh.read(64 * 1024 * 1024)
    except OSError as exc:
        return Diagnostic("B101", f"无法读取文件：{exc.strerror}", Location(shown), hint="检查文件权限。")
    if not head:
        return Diagnostic("B102", "文件是空的（0 字节）", Location(shown), hint="请申报单位重新发送该文件。")
    if head.startswith(OLE2):
        if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
            return Diagnostic("B103", "工作簿设置了打开密码（已加密），无法读取", Location(shown),
                              hint="在 Excel 或 WPS 中取消密码，再“另存为”Excel 工作簿（*.xlsx）。")
        what = ("WPS 表格文件（.et）" if path.suffix.lower() in (".et", ".ett")
                else "旧版 Excel 97-2003 工作簿（.xls）")
        return Diagnostic("B104", f"这是{what}，不能直接汇总", Location(shown), hint=SAVE_AS_XLSX)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (stripped.startswith((b"<", b"\xff\xfe<", b"\xfe\xff\x00<", b"mime-version:"))
            or b"<html" in stripped[:2048]):
        return Diagnostic("B105", "这是另存为 .xls 的网页（HTML）文件，不是真正的工作簿", Location(shown),
                          hint=SAVE_AS_XLSX)
    if not head.startswith(b"PK\x03\x04"):
        return Diagnostic("B106", "不是 Excel 工作簿（无法识别的文件格式）", Location(shown), hint=SAVE_AS_XLSX)
    return None


@dataclass
class Sheet:
    """The values of one sheet as a grid from A1, with its merged ranges (0-based, inclusive)."""

    name: str
    rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]

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


def read_sheets(path: Path, shown: str) -> tuple[list[Sheet], Diagnostic | None]:
    """Return the visible worksheets of *path* (sniffed first), or a diagnostic saying why not."""
    problem = sniff(path, shown)
    if problem is not None:
        return [], problem
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in wb.sheets_metadata:
            if "Visible" not in str(meta.visible) or "Hidden" in str(meta.visible):
                continue
            if "WorkSheet" not in str(meta.typ):
                continue
            sh = wb.get_sheet_by_name(meta.name)
            rows = sh.to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, rows, list(sh.merged_cell_ranges or [])))
        wb.close()
    except Exception as exc:  # calamine raises its own error types for broken parts
        return [], _zip_problem(path, shown) or Diagnostic(
            "B107", f"工作簿内容损坏，无法读取（{type(exc).__name__}）", Location(shown),
            hint="在 Excel 或 WPS 中打开并重新保存为 .xlsx；仍打不开则请申报单位重新发送。")
    return sheets, None


def _zip_problem(path: Path, shown: str) -> Diagnostic | None:
    """Say what a zip that calamine could not read really is (broken, or a Word file named .xlsx)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return Diagnostic("B107", "文件已损坏（不是完整的 zip 压缩包）", Location(shown),
                          hint="请申报单位重新发送该文件。")
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "其他 Office 文件"
        return Diagnostic("B106", f"扩展名是工作簿，实际是{kind}", Location(shown), hint=SAVE_AS_XLSX)
    return None
