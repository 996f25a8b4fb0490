"""The master workbook of a collection: every row read, its status, every problem, every file."""

from __future__ import annotations

from openpyxl import Workbook

from docgen.bureau.collect import Collection
from docgen.bureau.xlsx import body, header, landscape, title, to_bytes
from docgen.errors import SEVERITY_TEXT
from docgen.models.call import Call

MASTER_SHEET = "汇总"
MASTER_COLUMNS = ["编号", "来源文件", "申报单位", "联系人", "联系电话", "序号", "项目名称", "备注", "受理情况", "说明"]
MASTER_WIDTHS = [8, 28, 30, 10, 16, 6, 26, 38, 10, 58]


def master_workbook(collection: Collection, call: Call) -> bytes:
    """Return the bytes of the master workbook (sheets 汇总, 问题清单, 文件)."""
    wb = Workbook()
    ws = wb.active
    ws.title = MASTER_SHEET
    rows = collection.rows
    units = {r.unit for r in rows if r.unit}
    title(ws, f"{call.project_title}申报汇总表（{len(units)} 个单位，{len(rows)} 项申报，"
              f"受理 {len(collection.admitted)} 项）", len(MASTER_COLUMNS))
    header(ws, 2, MASTER_COLUMNS, MASTER_WIDTHS)
    for i, r in enumerate(rows, 3):
        body(ws, i, [r.id, r.source, r.unit, r.contact, r.phone,
                     r.no if r.no is not None else r.no_text, r.name, r.remark, r.status, r.reason],
             center={1, 6, 9}, height=16 * max(1, 1 + len(r.reason) // 28, 1 + len(r.remark) // 18) + 4)
    ws.freeze_panes = "A3"
    landscape(ws, "2:2")
    if rows:
        ws.auto_filter.ref = f"A2:J{len(rows) + 2}"

    wp = wb.create_sheet("问题清单")
    title(wp, f"汇总时发现的问题（共 {len(collection.diagnostics)} 条）", 7)
    header(wp, 2, ["文件", "工作表", "单元格", "级别", "代码", "问题", "处理建议"], [28, 12, 10, 6, 7, 50, 40])
    for i, d in enumerate(sorted(collection.diagnostics, key=lambda d: d.sort_key()), 3):
        loc = d.location
        body(wp, i, [loc.file if loc else "", (loc.sheet or "") if loc else "", (loc.cell or "") if loc else "",
                     SEVERITY_TEXT[d.severity], d.code, d.message, d.hint or ""], center={3, 4, 5},
             height=16 * max(1, 1 + len(d.message) // 24, 1 + len(d.hint or "") // 19) + 4)
    wp.freeze_panes = "A3"
    landscape(wp, "2:2")

    wf = wb.create_sheet("文件")
    title(wf, f"收到的文件（共 {len(collection.files)} 个）", 5)
    header(wf, 2, ["文件", "工作表", "申报单位", "读取结果", "错误数"], [30, 12, 30, 50, 8])
    for i, f in enumerate(collection.files, 3):
        body(wf, i, [f.file, f.sheet, f.unit, f.disposition, f.errors], center={5},
             height=16 * max(1, 1 + len(f.disposition) // 24) + 4)
    landscape(wf, "2:2")
    return to_bytes(wb)
