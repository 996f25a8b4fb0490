"""Score sheets from the call's 评分标准, and the tally the notice's 说明 prescribes.

The tally: each reviewer's total is the sum of the criteria; an application's
score is the mean of the totals after dropping one highest and one lowest,
rounded half-up to two decimals (85.125 → 85.13). Decimal arithmetic throughout;
the result workbook carries live formulas that give the same figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.bureau.collect import ADMITTED, returned_files
from docgen.bureau.xlsx import (
    BODY_FONT,
    BORDER,
    CENTER,
    body,
    header,
    landscape,
    title,
    to_bytes,
)
from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.table import Field, find_header
from docgen.load.workbook import Sheet, cell_ref, read_sheets
from docgen.models.call import Call, Criterion
from docgen.models.common import round_half_up

MIN_REVIEWERS = 3
SCORE_SHEET = "评分表"
FIRST_ROW = 4  # first application row of a score sheet (1-based)
REVIEWER_LABEL = "评委编号："


@dataclass(frozen=True)
class App:
    """An admitted application as listed in the master workbook."""

    id: str
    unit: str
    name: str


# ---------------------------------------------------------------- master

def read_master(path: Path) -> list[App]:
    """Return the admitted applications of the master workbook written by `docgen collect`."""
    shown = display_path(path)
    if not path.is_file():
        raise InputError(Diagnostic("B200", "找不到申报汇总总表", Location(shown),
                                    hint="先运行 docgen collect 汇总各单位报回的汇总表，或用 --master 指定总表。"))
    sheets, problem = read_sheets(path, shown)
    if problem is not None:
        raise InputError(problem)
    for sheet in sheets:
        found = _find_row(sheet, ("编号", "申报单位", "项目名称", "受理情况"))
        if found is None:
            continue
        r0, cols = found
        apps = []
        for r in range(r0 + 1, len(sheet.rows)):
            if sheet.text(r, cols["受理情况"]) == ADMITTED and sheet.text(r, cols["编号"]):
                apps.append(App(sheet.text(r, cols["编号"]), sheet.text(r, cols["申报单位"]),
                                sheet.text(r, cols["项目名称"])))
        if not apps:
            raise InputError(Diagnostic("B326", "总表中没有“受理”的申报", Location(shown, sheet=sheet.name),
                                        hint="先处理 docgen collect 报告的问题，重新汇总。"))
        return apps
    raise InputError(Diagnostic("B327", "这不是 docgen collect 生成的总表（找不到“编号 / 申报单位 / 项目名称 / 受理情况”表头）",
                                Location(shown), hint="用 --master 指定 docgen collect 生成的 申报汇总总表.xlsx。"))


def _norm(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _find_row(sheet: Sheet, labels: tuple[str, ...], scan: int = 30) -> tuple[int, dict[str, int]] | None:
    """Find the header row holding every one of *labels* with the shared table reader (exact labels)."""
    found = find_header([sheet], [Field(label, label) for label in labels], scan, min_hits=len(labels))
    if found is None or len(found[3]) < len(labels):
        return None
    return found[2], found[3]


# ---------------------------------------------------------------- score sheets

def criterion_label(c: Criterion) -> str:
    return f"{c.no}. {c.indicator}（{c.points}分）"


def score_sheet(call: Call, apps: list[App], reviewer: int) -> bytes:
    """Return the bytes of the score sheet of reviewer number *reviewer*."""
    crit = call.scoring
    n = len(crit)
    total_col = 3 + n + 1
    wb = Workbook()
    ws = wb.active
    ws.title = SCORE_SHEET
    title(ws, f"{call.project_title}遴选评分表", total_col)
    ws.cell(2, 1, REVIEWER_LABEL).font = BODY_FONT
    ws.cell(2, 2, f"{reviewer:02d}").font = BODY_FONT
    ws.cell(2, 3, "评委签名：").font = BODY_FONT
    ws.cell(2, 3).alignment = Alignment(horizontal="right")
    sign = ws.cell(2, 4)
    sign.protection = Protection(locked=False)
    labels = ["编号", "申报单位", "项目名称", *[criterion_label(c) for c in crit], f"合计（{call.total_points}分）"]
    header(ws, 3, labels, [8, 36, 24, *[11] * n, 11])
    for j, c in enumerate(crit):  # the 评价内容 shows when pointing at the indicator
        note = Comment(f"{c.indicator}（{c.points}分）\n" + "\n".join(c.content), "docgen")
        note.width, note.height = 420, 60 + 18 * sum(1 + len(x) // 24 for x in c.content)
        ws.cell(3, 4 + j).comment = note
    ws.row_dimensions[3].height = 48
    last = FIRST_ROW + len(apps) - 1
    for i, app in enumerate(apps):
        r = FIRST_ROW + i
        body(ws, r, [app.id, app.unit, app.name], center={1}, height=30)
        for j in range(n):
            cell = ws.cell(r, 4 + j)
            cell.border, cell.alignment, cell.font = BORDER, CENTER, BODY_FONT
            cell.protection = Protection(locked=False)
            cell.number_format = "0.##"
        first, end = get_column_letter(4), get_column_letter(3 + n)
        tot = ws.cell(r, total_col, f"=SUM({first}{r}:{end}{r})")
        tot.border, tot.alignment, tot.font = BORDER, CENTER, BODY_FONT
        tot.number_format = "0.##"
    for j, c in enumerate(crit):
        col = get_column_letter(4 + j)
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2=str(c.points),
                            allow_blank=True, showErrorMessage=True, errorStyle="stop",
                            errorTitle="超出分值", error=f"“{c.indicator}”满分 {c.points} 分：请填 0～{c.points} 之间的数。",
                            showInputMessage=True, promptTitle=c.indicator, prompt=f"0～{c.points} 分")
        dv.add(f"{col}{FIRST_ROW}:{col}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(FIRST_ROW, 4)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    landscape(ws, "3:3")

    wc = wb.create_sheet("评分标准")
    title(wc, f"{call.project_title}遴选评分标准", 4)
    header(wc, 2, ["序号", "指标", "评价内容", "分值"], [6, 12, 80, 8])
    for i, c in enumerate(crit, 3):
        body(wc, i, [c.no, c.indicator, "\n".join(c.content), f"{c.points}分"], center={1, 2, 4})
        wc.row_dimensions[i].height = 16 * sum(1 + len(x) // 38 for x in c.content) + 8
    r = len(crit) + 3
    if call.scoring_notes:
        wc.cell(r + 1, 1, "说明：").font = BODY_FONT
        for k, note in enumerate(call.scoring_notes, 1):
            cell = wc.cell(r + 1 + k, 1, f"{k}. {note}")
            cell.font, cell.alignment = BODY_FONT, Alignment(wrap_text=False)
    landscape(wc, "2:2")
    wc.protection.sheet = True
    return to_bytes(wb)


# ---------------------------------------------------------------- reading filled sheets

@dataclass
class ReviewerSheet:
    file: str
    reviewer: str
    scores: dict[str, list[Decimal]] = field(default_factory=dict)  # app id → score per criterion

    def total(self, app_id: str) -> Decimal:
        return sum(self.scores[app_id], Decimal(0))


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(repr(float(value))).normalize() if isinstance(value, float) else Decimal(value)
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None


def read_scores(folder: Path, call: Call, apps: list[App]) -> list[ReviewerSheet]:
    """Read every filled score sheet in *folder*; raise InputError listing every problem of every file."""
    collector = Collector()
    books, _ = returned_files(folder)
    known = {a.id for a in apps}
    result: list[ReviewerSheet] = []
    seen: dict[str, str] = {}
    for path in books:
        shown = str(path.relative_to(folder))
        sheet = _read_one(path, shown, call, known, collector)
        if sheet is None:
            continue
        if sheet.reviewer in seen:
            collector.add(Diagnostic("B305", f"评委编号 {sheet.reviewer} 重复（另见 {seen[sheet.reviewer]}）",
                                     Location(shown, sheet=SCORE_SHEET, cell="B2"),
                                     hint="同一位评委的评分表只放一份；如是复制的空表，请核对评委编号。"))
            continue
        seen[sheet.reviewer] = shown
        result.append(sheet)
    if not books:
        collector.add(Diagnostic("B300", "文件夹中没有评分表（.xlsx）", Location(display_path(folder)),
                                 hint="把评委填好的评分表放进该文件夹。"))
    collector.raise_if_errors()
    return result


def _cell_location(shown: str, sheet: str, row: int, col: int) -> Location:
    return Location(shown, sheet=sheet, cell=cell_ref(row, col))


def _read_one(path: Path, shown: str, call: Call, known: set[str], collector: Collector) -> ReviewerSheet | None:
    sheets, problem = read_sheets(path, shown)
    if problem is not None:
        collector.add(problem)
        return None
    crit = call.scoring
    for sheet in sheets:
        found = _find_row(sheet, ("编号", "申报单位", "项目名称"))
        if found is not None:
            break
    else:
        collector.add(Diagnostic("B306", "不是评分表：找不到“编号 / 申报单位 / 项目名称”表头", Location(shown),
                                 hint="使用 docgen score sheets 生成的评分表填写。"))
        return None
    hrow, cols = found
    # Criterion columns by their labels, so a sheet with moved columns is still read correctly.
    ccols: dict[int, int] = {}
    for c in range(len(sheet.rows[hrow])):
        text = _norm(sheet.text(hrow, c))
        for k in crit:
            if text == _norm(criterion_label(k)) or re.sub(r"（.*$|^\d+\.", "", text) == _norm(k.indicator):
                ccols.setdefault(k.no, c)
    missing = [k for k in crit if k.no not in ccols]
    for k in missing:
        collector.add(Diagnostic("B328", f"评分表缺少指标“{k.indicator}”一列", Location(shown, sheet=sheet.name,
                                 cell=cell_ref(hrow, 0)), hint="使用 docgen score sheets 生成的评分表，不要删改表头。"))
    if missing:
        return None
    reviewer = ""
    for r in range(hrow):
        for c in range(len(sheet.rows[r])):
            if _norm(sheet.text(r, c)).rstrip("：:") == REVIEWER_LABEL.rstrip("："):
                reviewer = sheet.text(r, c + 1)
    if not reviewer:
        reviewer = path.stem
    out = ReviewerSheet(shown, reviewer)
    for r in range(hrow + 1, len(sheet.rows)):
        app_id = sheet.text(r, cols["编号"])
        values = [sheet.value(r, ccols[k.no]) for k in crit]
        if not app_id:
            if any(v not in ("", None) for v in values):
                collector.add(Diagnostic("B324", "有分数但没有申报编号", Location(shown, sheet=sheet.name,
                                         cell=cell_ref(r, cols["编号"])), hint="不要删改编号列。"))
            continue
        where = partial(_cell_location, shown, sheet.name, r)
        if app_id not in known:
            collector.add(Diagnostic("B303", f"申报编号 {app_id} 不在总表的受理名单中", where(cols["编号"]),
                                     hint="评分表应由 docgen score sheets 按当前总表生成；总表变动后请重新生成评分表。"))
            continue
        if app_id in out.scores:
            collector.add(Diagnostic("B325", f"申报编号 {app_id} 在评分表中出现两次", where(cols["编号"])))
            continue
        scores = []
        who = f"{app_id}“{sheet.text(r, cols['申报单位'])}”"  # every score problem names the application
        for k, value in zip(crit, values):
            col = ccols[k.no]
            if value in ("", None):
                collector.add(Diagnostic("B301", f"漏评：{app_id}“{sheet.text(r, cols['申报单位'])}”的“{k.indicator}”未打分",
                                         where(col), hint=f"填写 0～{k.points} 之间的分数。"))
                continue
            d = _decimal(value)
            if d is None:
                collector.add(Diagnostic("B302", f"{who}的“{k.indicator}”应为分数，这里是“{value}”", where(col),
                                         hint=f"填写 0～{k.points} 之间的数字。"))
                continue
            if d < 0 or d > k.points:
                collector.add(Diagnostic("B302", f"{who}的“{k.indicator}”满分 {k.points} 分，这里填了 {d}", where(col),
                                         hint=f"填写 0～{k.points} 之间的分数。"))
                continue
            scores.append(d)
        if len(scores) == len(crit):
            out.scores[app_id] = scores
        else:
            out.scores[app_id] = []  # reported above; keeps the "missing application" check quiet
    absent = sorted(known - set(out.scores))
    if absent:
        collector.add(Diagnostic("B304", f"评分表中缺少申报：{'、'.join(absent)}",
                                 Location(shown, sheet=sheet.name), hint="每项受理的申报都要打分；请用最新生成的评分表。"))
    return out


# ---------------------------------------------------------------- tally

@dataclass
class Scored:
    app: App
    totals: list[Decimal]  # one per reviewer, in reviewer order
    score: Decimal
    rank: int = 0


@dataclass
class Tally:
    reviewers: list[ReviewerSheet]
    criteria: list[Criterion]
    rows: list[Scored]  # ordered by 项目名称 (call order), then score descending, then 编号

    def summary_lines(self) -> list[str]:
        lines = [f"评委 {len(self.reviewers)} 人，申报 {len(self.rows)} 项（去掉 1 个最高分和 1 个最低分后取平均，"
                 "四舍五入保留两位小数）："]
        for s in self.rows:
            lines.append(f"  {s.app.name} 第{s.rank}名  {s.app.unit}（{s.app.id}）  {s.score}")
        return lines


def trimmed_mean(totals: list[Decimal]) -> Decimal:
    """Return the mean after dropping one highest and one lowest total, rounded half-up to 2 places."""
    if len(totals) < MIN_REVIEWERS:
        raise ValueError("need at least three totals")
    kept = sum(totals, Decimal(0)) - max(totals) - min(totals)
    return round_half_up(kept / (len(totals) - 2), 2)


def tally(call: Call, apps: list[App], sheets: list[ReviewerSheet]) -> Tally:
    if len(sheets) < MIN_REVIEWERS:
        raise InputError(Diagnostic(
            "B310", f"只有 {len(sheets)} 份评分表，至少需要 {MIN_REVIEWERS} 位评委",
            None, hint="评审得分去掉 1 个最高分和 1 个最低分后取平均，评委不足 3 人无法计算；请收齐评分表。"))
    sheets = sorted(sheets, key=lambda s: (s.reviewer, s.file))
    order = {s.name: i for i, s in enumerate(call.sub_projects)}
    rows = []
    for app in apps:
        totals = [s.total(app.id) for s in sheets]
        rows.append(Scored(app, totals, trimmed_mean(totals)))
    rows.sort(key=lambda s: (order.get(s.app.name, len(order)), -s.score, s.app.id))
    for s in rows:
        s.rank = 1 + sum(1 for o in rows if o.app.name == s.app.name and o.score > s.score)
    return Tally(sheets, list(call.scoring), rows)


# ---------------------------------------------------------------- result workbook

def score_formula(rng: str) -> str:
    """Return the spreadsheet formula of :func:`trimmed_mean` over the totals in *rng*.

    Excel's and LibreOffice's ROUND round half away from zero, which for positive scores is half up.
    """
    return f"=ROUND((SUM({rng})-MAX({rng})-MIN({rng}))/(COUNT({rng})-2),2)"


RESULT_SHEET = "评分汇总"
DETAIL_SHEET = "评分明细"


def result_workbook(call: Call, t: Tally) -> bytes:
    """Return the result workbook: per-reviewer detail with SUM totals, and the summary with live formulas."""
    wb = Workbook()
    ws = wb.active
    ws.title = RESULT_SHEET
    wd = wb.create_sheet(DETAIL_SHEET)
    n = len(t.criteria)
    # Detail: one row per (application, reviewer); total = SUM of the criteria.
    title(wd, f"{call.project_title}评分明细", 4 + n)
    header(wd, 2, ["编号", "申报单位", "评委编号", *[criterion_label(c) for c in t.criteria], "合计"],
           [8, 36, 9, *[11] * n, 10])
    total_ref: dict[tuple[str, int], str] = {}
    r = 3
    for s in t.rows:
        for k, sheet in enumerate(t.reviewers):
            values = [float(v) for v in sheet.scores[s.app.id]]
            body(wd, r, [s.app.id, s.app.unit, sheet.reviewer, *values], center={1, 3}, height=24)
            tot_col = get_column_letter(4 + n)
            cell = wd.cell(r, 4 + n, f"=SUM(D{r}:{get_column_letter(3 + n)}{r})")
            cell.border, cell.alignment, cell.font = BORDER, CENTER, BODY_FONT
            total_ref[(s.app.id, k)] = f"'{DETAIL_SHEET}'!{tot_col}{r}"
            r += 1
    wd.freeze_panes = "A3"

    m = len(t.reviewers)
    labels = ["编号", "申报单位", "项目名称", *[f"评委{s.reviewer}" for s in t.reviewers],
              "最高分", "最低分", "评审得分", "排名"]
    title(ws, f"{call.project_title}评审得分汇总", len(labels))
    header(ws, 2, labels, [8, 36, 24, *[9] * m, 9, 9, 10, 7])
    first_r, last_r = 3, 2 + len(t.rows)
    c1, cm = get_column_letter(4), get_column_letter(3 + m)
    cmax, cmin, cscore, crank = (get_column_letter(4 + m + i) for i in range(4))
    for i, s in enumerate(t.rows):
        row = first_r + i
        rng = f"{c1}{row}:{cm}{row}"
        cells = [s.app.id, s.app.unit, s.app.name, *[f"={total_ref[(s.app.id, k)]}" for k in range(m)],
                  f"=MAX({rng})", f"=MIN({rng})",
                  score_formula(rng),
                  f"=COUNTIFS($C${first_r}:$C${last_r},C{row},${cscore}${first_r}:${cscore}${last_r},\">\"&{cscore}{row})+1"]
        body(ws, row, cells, center=set(range(4, len(labels) + 1)) | {1}, height=30)
        ws.cell(row, 4 + m + 2).number_format = "0.00"
    notes = ["说明：", *[f"{k}. {x}" for k, x in enumerate(call.scoring_notes[:2], 1)]]
    if len(notes) == 1:
        notes.append("评审得分为评委评分之平均值（去掉1个最高分和1个最低分），四舍五入保留两位小数。")
    for k, note in enumerate(notes):
        ws.cell(last_r + 2 + k, 1, note).font = BODY_FONT
        ws.cell(last_r + 2 + k, 1).alignment = Alignment(wrap_text=False)
    ws.freeze_panes = "D3"
    landscape(ws, "2:2")
    landscape(wd, "2:2")
    wb.calculation.fullCalcOnLoad = True
    return to_bytes(wb)


# ---------------------------------------------------------------- 公示 list

PUBLICITY_TEMPLATE = Path("templates/docx/bureau/评审结果公示.docx")


def result_docx(call: Call, t: Tally, template: Path) -> bytes:
    """Return the 评审结果 公示 list rendered from the bureau's Word template.

    The template sees ``call``, ``reviewers`` (how many) and ``groups``: per
    sub-project, ``sub`` and ``rows`` of ``rank``, ``unit``, ``score`` (text, two decimals).
    """
    from docgen.render.docx import render_docx

    groups = []
    for sub in call.sub_projects:
        rows = [{"rank": s.rank, "unit": s.app.unit, "score": f"{s.score:.2f}"}
                for s in sorted(t.rows, key=lambda s: s.rank) if s.app.name == sub.name]
        if rows:
            groups.append({"sub": sub, "rows": rows})
    return render_docx(template, {"call": call, "reviewers": len(t.reviewers), "groups": groups})
