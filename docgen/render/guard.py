"""File-level checks of a template before any library opens it.

Templates come from staff and from other people's programs, so a template may be
empty, an old .doc/.wps (OLE) file, a zip that is not a Word/Excel document, a
document whose XML declares a DTD or entities, or a zip bomb. Each gets its own
Chinese message here, before python-docx, docxtpl, lxml or openpyxl see it; the
zip's declared sizes and compression ratios are checked without inflating
anything. For Excel templates, the parts openpyxl would silently drop on a
round trip (shapes, Excel 2010 extensions, WPS cell images …) are named and
refused.

Limits (documented in the README): at most ``MAX_MEMBERS`` members, each at most
``MAX_MEMBER`` bytes once inflated, all together at most ``MAX_TOTAL`` bytes, and
no member larger than ``RATIO_FLOOR`` inflating more than ``MAX_RATIO`` times.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from docgen.errors import Diagnostic, Location, display_path

MAX_MEMBERS = 5000
MAX_MEMBER = 100 * 1024 * 1024        # 100 MB inflated, one member
MAX_TOTAL = 200 * 1024 * 1024         # 200 MB inflated, the whole file
MAX_RATIO = 100                       # inflated / compressed
RATIO_FLOOR = 1024 * 1024             # small members may compress as they like

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD_RE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

KIND_TEXT = {".docx": "Word 文档（.docx）", ".xlsx": "Excel 工作簿（.xlsx）"}
MAIN_PART = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml"}
SAVE_AS = {".docx": "在 Word/WPS 中打开后“另存为”Word 文档（*.docx）",
           ".xlsx": "在 Excel/WPS 中打开后“另存为”Excel 工作簿（*.xlsx）"}


def guard_template(path: Path, data: bytes | None = None) -> list[Diagnostic]:
    """Return the file-level errors of template *path* (empty list: a library may open it).

    *data* is the file's bytes when the caller already holds them.
    """
    shown = display_path(path)
    kind = path.suffix.lower()
    loc = Location(shown)
    save_as = SAVE_AS.get(kind, SAVE_AS[".docx"])
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Diagnostic("T420", f"模板无法读取：{exc.strerror}", loc, hint="检查文件是否存在、权限是否正确。")]
    memo_key = (shown, kind, hashlib.sha1(data).hexdigest())
    if memo_key in _MEMO:  # a build renders one template for hundreds of applicants
        return list(_MEMO[memo_key])
    found = _guard(data, kind, loc, save_as)
    if len(_MEMO) > 256:
        _MEMO.clear()
    _MEMO[memo_key] = tuple(found)
    return found


_MEMO: dict[tuple[str, str, str], tuple[Diagnostic, ...]] = {}


def _guard(data: bytes, kind: str, loc: Location, save_as: str) -> list[Diagnostic]:
    if not data:
        return [Diagnostic("T420", "模板是空文件（0 字节）", loc,
                           hint="文件可能在复制或下载时中断；从备份恢复，或重新另存一份。")]
    if data.startswith(OLE_MAGIC):
        what = "旧版 .doc/.wps 文档" if kind == ".docx" else "旧版 .xls/.et 工作簿"
        return [Diagnostic("T411", f"模板是{what}或设置了打开密码（OLE 格式），不是 {KIND_TEXT.get(kind, '')}", loc,
                           hint=f"{save_as}，并取消打开密码。")]
    if not data.startswith(b"PK"):
        return [Diagnostic("T400", f"模板不是 {KIND_TEXT.get(kind, '.docx/.xlsx 文件')}，按文件内容判断", loc,
                           hint=f"{save_as}。")]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return [Diagnostic("T412", "模板文件已损坏（压缩包结构无法读取）", loc, hint="从备份恢复模板。")]
    with zf:
        infos = zf.infolist()
        problem = _bomb(infos, loc)
        if problem is not None:
            return [problem]
        names = {i.filename for i in infos}
        main = MAIN_PART.get(kind)
        if main and main not in names:
            return [Diagnostic("T400", f"压缩包中没有 {main}，不是 {KIND_TEXT[kind]}", loc,
                               hint=f"{save_as}；不要直接改文件扩展名。")]
        problems: list[Diagnostic] = []
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(64 * 1024)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError):
                problems.append(Diagnostic("T412", f"模板文件已损坏：{info.filename} 无法解压", loc,
                                           hint="从备份恢复模板。"))
                continue
            if _DTD_RE.search(head):
                problems.append(Diagnostic(
                    "T425", f"{info.filename} 含有 DTD 或实体声明（<!DOCTYPE>/<!ENTITY>），已拒绝", loc,
                    hint=f"Word/WPS/Excel 保存的文件不会有这些声明；{save_as}后再用。"))
        if problems:
            return problems
        if kind == ".xlsx":
            problems.extend(xlsx_dropped_parts(zf, loc))
        return problems


def _bomb(infos: list[zipfile.ZipInfo], loc: Location) -> Diagnostic | None:
    """Return the refusal when the declared sizes exceed the limits (nothing is inflated)."""
    hint = ("正常的模板远小于此；文件可能损坏或是恶意构造的压缩包（zip 炸弹）。"
            "限制见 README“文件大小限制”。")
    if len(infos) > MAX_MEMBERS:
        return Diagnostic("T424", f"压缩包有 {len(infos)} 个成员，超过上限 {MAX_MEMBERS}", loc, hint=hint)
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_MEMBER:
            return Diagnostic("T424", f"{info.filename} 解压后 {_mb(info.file_size)}，超过单个成员上限 {_mb(MAX_MEMBER)}",
                              loc, hint=hint)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            return Diagnostic("T424", f"{info.filename} 压缩比 {ratio:.0f}:1，超过上限 {MAX_RATIO}:1", loc, hint=hint)
    if total > MAX_TOTAL:
        return Diagnostic("T424", f"解压后共 {_mb(total)}，超过上限 {_mb(MAX_TOTAL)}", loc, hint=hint)
    return None


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


# --------------------------------------------------------------------------- xlsx: what openpyxl drops

_X14_URIS = {
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "Excel 2010 数据有效性（引用其他工作表的下拉列表）",
    "{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "Excel 2010 条件格式（数据条/图标集）",
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "迷你图（sparkline）",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "切片器",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "切片器",
    "{7E03D99C-DC04-49d9-9315-930204A7B6E9}": "日程表",
}
_DROPPED_PARTS = (
    (re.compile(r"xl/cellimages\.xml$"), "WPS 单元格图片（cellimages.xml，DISPIMG 公式会显示 #NAME?）"),
    (re.compile(r"xl/richData/"), "单元格内图片（richData）"),
    (re.compile(r"xl/vbaProject\.bin$"), "宏（VBA）"),
    (re.compile(r"xl/ctrlProps/"), "表单控件（按钮、复选框）"),
    (re.compile(r"xl/activeX/"), "ActiveX 控件"),
    (re.compile(r"xl/threadedComments/"), "新版批注（讨论）"),
    (re.compile(r"xl/slicers/|xl/slicerCaches/"), "切片器"),
    (re.compile(r"xl/timelines/|xl/timelineCaches/"), "日程表"),
)
_SHAPE_RE = re.compile(rb"<(?:xdr:)?(?:sp|cxnSp|grpSp)\b")


def xlsx_dropped_parts(zf: zipfile.ZipFile, loc: Location) -> list[Diagnostic]:
    """Return one error naming every feature of the workbook that openpyxl would silently lose."""
    found: dict[str, list[str]] = {}
    for name in sorted(zf.namelist()):
        for pattern, what in _DROPPED_PARTS:
            if pattern.search(name):
                found.setdefault(what, []).append(name)
        if re.match(r"xl/worksheets/sheet\d*\.xml$", name):
            data = zf.read(name)
            for uri, what in _X14_URIS.items():
                if uri.encode().lower() in data.lower():
                    found.setdefault(what, []).append(name)
        elif re.match(r"xl/drawings/drawing\d*\.xml$", name) and _SHAPE_RE.search(zf.read(name)):
            found.setdefault("形状、文本框或箭头（绘图对象）", []).append(name)
    if not found:
        return []
    listed = "；".join(f"{what}（{'、'.join(dict.fromkeys(names))}）" for what, names in found.items())
    return [Diagnostic("T426", f"模板含有生成时会被丢弃的内容：{listed}", loc,
                       hint="生成 Excel 用的库（openpyxl）不保留这些内容，生成的文件会悄悄缺失它们。"
                            "在 Excel/WPS 中删除或改为普通单元格内容（下拉列表改用本表内的列表，图片改为浮动图片），"
                            "再运行 docgen template check。")]
