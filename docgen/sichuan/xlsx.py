"""Draw the 四川 提升工程 workbooks with openpyxl: 附件1-1 计划表 and 附件3 参训人员变更信息表.

The layout (rows, columns, header labels) is declared once here; the reader
of returned workbooks (docgen.sichuan.workbook) checks headers against it.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from docgen.models.common import cn_date, round_half_up
from docgen.models.sichuan import YEARS, Region
from docgen.outputs.zipnorm import normalize_zip

FIXED_DATETIME = datetime(2000, 1, 1)
PLAN_SHEET = "计划表"
TABLE_TITLE = "中小学教师信息技术应用能力提升 2014—2017年分年度培训计划"
YEAR_HEADS = {2014: "2014年", 2015: "2015年", 2016: "2016年", 2017: "2017年"}
SUB_HEADS = {2014: ("省培", "国培", "合计", "完成比例（%）")}
SUB_HEADS.update({y: ("省级", "市级", "合计", "完成比例（%）") for y in (2015, 2016, 2017)})
NOTES = [
    "备注：",
    "1.本表是以市（州）为单位的统计汇总表，“市级”包含所属各县（市、区）计划数；",
    "2.教师总数请参考2013年省教育厅计财年度报表数据，应包含幼儿园、小学、初中和普通高中专任教师数；",
    "3.根据全省中小学（幼儿园）教师总数，原则上按省级承担20%，市、县承担80%的比例，制定2014年—2017年度培训计划，"
    "其中市、县两级2015年培训人数不低于本地教师总数的30%；",
    "4.2014年度培训人数按实施“省级专项培训（师函〔2014〕9号）”以及“国培计划(省执行办〔2014〕01号)”实际参训人数填写；",
    "5.此表请以EXCEL电子表格报送至scnlts@163.com邮箱。",
]
# Row numbers of the table (1-based).
TITLE_ROW, HEAD1, HEAD2, FIRST_DATA = 5, 6, 7, 8
NCOLS = 18


def year_columns(year: int) -> tuple[int, int, int, int]:
    """Return the columns (1-based) of a year's two figures, 合计 and 完成比例."""
    start = 3 + 4 * YEARS.index(year)
    return start, start + 1, start + 2, start + 3


def header_labels() -> dict[tuple[int, int], str]:
    """Return {(row, col): label} of the two header rows, as the notice draws them."""
    labels = {(HEAD1, 1): "地区", (HEAD1, 2): "教师总数"}
    for y in YEARS:
        cols = year_columns(y)
        labels[(HEAD1, cols[0])] = YEAR_HEADS[y]
        for c, text in zip(cols, SUB_HEADS[y]):
            labels[(HEAD2, c)] = text
    return labels


def header_merges() -> list[tuple[tuple[int, int, int, int], str]]:
    """Return the merged ranges (min_row, min_col, max_row, max_col) of the two header rows, with their labels."""
    merges = [((HEAD1, 1, HEAD2, 1), "地区"), ((HEAD1, 2, HEAD2, 2), "教师总数")]
    for y in YEARS:
        cols = year_columns(y)
        merges.append(((HEAD1, cols[0], HEAD1, cols[3]), YEAR_HEADS[y]))
    return merges


def completion(region: Region, year: int) -> Decimal | None:
    """Return the cumulative 完成比例（%） up to *year*, rounded half up to 2 places; None without teachers."""
    if not region.teachers:
        return None
    done = sum(region.year(y).total for y in YEARS if y <= year)
    return round_half_up(Decimal(done) * 100 / Decimal(region.teachers), 2)


THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
BODY = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)


def _save(wb: Workbook) -> bytes:
    wb.properties.created = wb.properties.modified = FIXED_DATETIME
    wb.properties.lastModifiedBy = "docgen"
    wb.properties.creator = "docgen"
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())


def _landscape(ws, scale: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.scale = scale
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


def plan_workbook(area: str, contact: str, phone: str, filled_on: date | str,
                  regions: list[tuple[str, Region | None]]) -> bytes:
    """Return 附件1-1 filled with one row per region (None: a blank row to be filled), a 合计 row and the 备注.

    合计 (per year and in the 合计 row) and 完成比例 (cumulative, %, 2 places) are formulas.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = PLAN_SHEET
    last = get_column_letter(NCOLS)
    ws["A1"] = "附件1-1"
    ws["A1"].font = Font(name="黑体", size=12)
    for row, text, size in ((2, "四川省中小学教师信息技术应用能力提升工程", 16), (3, "市、县级培训年度计划表", 16)):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row, 1, text)
        cell.font = Font(name="方正小标宋简体", size=size)
        cell.alignment = CENTER
        ws.row_dimensions[row].height = 24
    when = cn_date(filled_on) if isinstance(filled_on, date) else str(filled_on)
    ws["A4"] = f"{area}        联系人：{contact}        联系电话：{phone}        填报时间：{when}"
    ws["A4"].font = BODY
    ws.merge_cells(f"A4:{last}4")
    ws["A4"].alignment = LEFT
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    ws.cell(TITLE_ROW, 1, TABLE_TITLE)
    for (r1, c1, r2, c2), _ in header_merges():
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for (r, c), text in header_labels().items():
        ws.cell(r, c, text.replace("（%）", "\n（%）"))  # the reader ignores whitespace in labels
    for r in (TITLE_ROW, HEAD1, HEAD2):
        for c in range(1, NCOLS + 1):
            cell = ws.cell(r, c)
            cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    ws.row_dimensions[HEAD2].height = 30
    row = FIRST_DATA
    for name, region in regions:
        _data_row(ws, row, name, region)
        row += 1
    total_row = row
    _total_row(ws, total_row, FIRST_DATA, total_row - 1)
    for i, text in enumerate(NOTES):
        r = total_row + 2 + i
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(r, 1, text).font = BODY
        ws.cell(r, 1).alignment = LEFT
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 8
    for c in range(3, NCOLS + 1):
        ws.column_dimensions[get_column_letter(c)].width = 7.5 if (c - 2) % 4 else 9
    ws.freeze_panes = ws.cell(FIRST_DATA, 3)
    ws.print_title_rows = f"{HEAD1}:{HEAD2}"
    _landscape(ws, 76)
    return _save(wb)


def _formulas(ws, r: int) -> None:
    done = []
    for y in YEARS:
        a, b, total, ratio = year_columns(y)
        la, lb, lt = (get_column_letter(x) for x in (a, b, total))
        ws.cell(r, total, f"={la}{r}+{lb}{r}")
        done.append(f"{lt}{r}")
        ws.cell(r, ratio, f'=IF(B{r}=0,"",ROUND(({"+".join(done)})/B{r}*100,2))')
        ws.cell(r, ratio).number_format = "0.00"


def _data_row(ws, r: int, name: str, region: Region | None) -> None:
    ws.cell(r, 1, name)
    if region is not None:
        ws.cell(r, 2, region.teachers)
        for y in YEARS:
            a, b, _, _ = year_columns(y)
            first, second = region.year(y).cells()
            ws.cell(r, a, first)
            ws.cell(r, b, second)
    _formulas(ws, r)
    for c in range(1, NCOLS + 1):
        cell = ws.cell(r, c)
        cell.font, cell.alignment, cell.border = BODY, CENTER, BORDER


def _total_row(ws, r: int, first: int, last: int) -> None:
    ws.cell(r, 1, "合计")
    for c in range(2, NCOLS + 1):
        col = get_column_letter(c)
        ws.cell(r, c, f"=SUM({col}{first}:{col}{last})" if last >= first else 0)
    _formulas(ws, r)  # 合计 columns and 完成比例 from the row's own sums
    for c in range(1, NCOLS + 1):
        cell = ws.cell(r, c)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER


# ---------------------------------------------------------------- 附件3 参训人员变更信息表

CHANGE_SHEET = "变更信息表"
CHANGE_HEADS = ["培训项目", "调换情况", "姓名", "性别", "工作单位\n（全称）", "联系电话/手机\n（必填）", "培训机构", "备注"]
CHANGE_FIRST = 5  # first data row


def change_workbook(area: str, unit: str, filled_by: str, filled_on: date | str,
                    pairs: list[tuple[dict | None, dict | None]]) -> bytes:
    """Return 附件3 with one pair of rows (原报送人员 / 变更人员) per change, 培训项目 merged over the pair."""
    wb = Workbook()
    ws = wb.active
    ws.title = CHANGE_SHEET
    ws["A1"] = "附件3"
    ws["A1"].font = Font(name="黑体", size=12)
    for row, text in ((2, "四川省中小学教师信息技术应用能力提升培训"), (3, "参训人员变更信息表")):
        ws.merge_cells(f"A{row}:H{row}")
        ws.cell(row, 1, text).font = Font(name="方正小标宋简体", size=16)
        ws.cell(row, 1).alignment = CENTER
        ws.row_dimensions[row].height = 24
    when = cn_date(filled_on) if isinstance(filled_on, date) else str(filled_on)
    ws["A4"] = f"市（县）：{area}    填报单位（盖章）：{unit}    填  报  人：{filled_by}    填 报 日期：{when}"
    ws["A4"].font = BODY
    ws.merge_cells("A4:H4")
    header = CHANGE_FIRST
    for c, text in enumerate(CHANGE_HEADS, start=1):
        cell = ws.cell(header, c, text)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    ws.row_dimensions[header].height = 32
    r = header + 1
    for old, new in pairs:
        project = (old or new or {}).get("project", "")
        ws.cell(r, 1, project)
        ws.merge_cells(start_row=r, end_row=r + 1, start_column=1, end_column=1)
        for offset, label, person in ((0, "原报送\n人员", old), (1, "变更\n人员", new)):
            ws.cell(r + offset, 2, label)
            if person:
                values = [person.get(k, "") for k in ("name", "gender", "unit", "phone", "institution", "note")]
                for c, v in enumerate(values, start=3):
                    ws.cell(r + offset, c, v)
                ws.cell(r + offset, 6).number_format = "@"
        for rr in (r, r + 1):
            for c in range(1, 9):
                cell = ws.cell(rr, c)
                cell.font, cell.border = BODY, BORDER
                cell.alignment = CENTER
            ws.row_dimensions[rr].height = 28
        r += 2
    ws.cell(r, 1, "备注：此表以excel格式报送,信息请填写完整。").font = BODY
    ws.merge_cells(f"A{r}:H{r}")
    for col, width in zip("ABCDEFGH", (22, 9, 9, 6, 30, 16, 22, 12)):
        ws.column_dimensions[col].width = width
    _landscape(ws, 90)
    return _save(wb)


CHANGE_HEADER_ROW = CHANGE_FIRST
