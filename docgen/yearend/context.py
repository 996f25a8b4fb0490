"""Variables of the year-end documents: figure tables from report.yaml, Markdown bodies, case lists."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from docgen.load.markdown import TABLE_REF, FigureTable, MarkdownText, plain_paragraphs
from docgen.models.common import round_half_up
from docgen.render.richtext import RichText
from docgen.yearend.load import LoadedCase, LoadedFolder

UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "—"
    return f"{round_half_up(Decimal(part) * 100 / Decimal(whole), 1)}%"


def figure_tables(folder: LoadedFolder) -> dict[str, FigureTable]:
    """Return the tables a report may place with 【表：名称】: 培训人数, 经费使用, 经费支出明细."""
    projects = folder.model.projects
    rows = [[i, p.name, p.planned, p.enrolled, p.completed, _pct(p.enrolled, p.planned), _pct(p.completed, p.enrolled)]
            for i, p in enumerate(projects, start=1)]
    tp, te, tc = (sum(getattr(p, k) for p in projects) for k in ("planned", "enrolled", "completed"))
    rows.append(["合计", "", tp, te, tc, _pct(te, tp), _pct(tc, te)])
    tables = {"培训人数": FigureTable("表1　培训人数情况", ["序号", "项目名称", "计划人数", "实际参训", "结业人数",
                                                    "参训率", "结业率"], rows)}
    money = [[i, p.name, f"{p.budget:,}", f"{p.spent:,}", _pct(p.spent, p.budget)]
             for i, p in enumerate(projects, start=1)]
    tb, ts = sum(p.budget for p in projects), sum(p.spent for p in projects)
    money.append(["合计", "", f"{tb:,}", f"{ts:,}", _pct(ts, tb)])
    tables["经费使用"] = FigureTable("表2　经费使用情况", ["序号", "项目名称", "下达经费（元）", "实际支出（元）",
                                                   "执行率"], money)
    if folder.model.spending:
        total = sum(s.amount for s in folder.model.spending)
        detail = [[i, s.item, f"{s.amount:,}", _pct(s.amount, total)]
                  for i, s in enumerate(folder.model.spending, start=1)]
        detail.append(["合计", "", f"{total:,}", "100.0%" if total else "—"])
        tables["经费支出明细"] = FigureTable("表3　经费支出明细", ["序号", "支出科目", "金额（元）", "占比"], detail)
    return tables


def safe(text: str, limit: int = 40) -> str:
    return UNSAFE.sub("_", text).strip("_")[:limit]


def case_vars(folder: LoadedFolder, case: LoadedCase) -> dict[str, Any]:
    m = case.meta
    return {"kind": "典型工作案例" if m.kind == "工作案例" else "教师成长案例", "title": m.title,
            "author": m.author, "org": m.org or folder.unit.model.name, "position": m.position,
            "email": m.email or "", "phone": m.phone or "", "words": case.words,
            "class_name": folder.project_class.key, "file": case.doc.shown}


def report_context(folder: LoadedFolder, draft: bool = False) -> dict[str, Any]:
    """Return the report's variables; figure tables the Markdown does not place are appended at its end."""
    doc = folder.self_report
    tables = figure_tables(folder)
    body = RichText(plain=[])
    if doc is not None:
        placed = {m.group(1) for t in plain_paragraphs(doc.md) if (m := TABLE_REF.match(t))}
        rest = [name for name in tables if name not in placed]
        md = doc.md
        if rest:
            extra = "\n\n".join(f"【表：{name}】" for name in rest)
            md = MarkdownText(f"{md.text.rstrip()}\n\n{extra}\n", md.base_dir, md.source, md.line_offset)
        body = RichText(md, tables=tables)
    when = folder.model.date
    signoff = {"unit": folder.unit.model.name,  # 落款: the unit and its seal place, the date
               "date": f"{when.year}年{when.month}月{when.day}日" if when else "　　年　　月　　日"}
    return {"title": folder.report_title, "byline": folder.unit.model.name, "draft": draft,
            "unit": folder.unit.model, "body": body, "signoff": signoff}


def case_context(folder: LoadedFolder, case: LoadedCase, draft: bool = False) -> dict[str, Any]:
    m = case.meta
    byline = m.org or folder.unit.model.name
    if m.kind == "成长案例" and m.author:
        byline = f"{byline}　{m.author}"
    return {"title": m.title, "byline": byline, "draft": draft, "unit": folder.unit.model,
            "body": RichText(case.doc.md), "signoff": None}


def sheet_context(folder: LoadedFolder, case: LoadedCase, draft: bool = False) -> dict[str, Any]:
    return {"case": case_vars(folder, case), "unit": folder.unit.model, "draft": draft}


def list_context(folder: LoadedFolder, draft: bool = False) -> dict[str, Any]:
    cases = [case_vars(folder, c) for c in folder.work_cases + folder.growth_cases]
    return {"year": folder.call.model.year, "unit": folder.unit.model, "contact": folder.model.contact,
            "cases": cases, "draft": draft}
