"""Reports as files in build/: the check report (Excel workbook + one HTML page) and build/index.html.

`docgen check` and `docgen build` write 检查报告.xlsx and 检查报告.html (one row per rule or problem,
with place and advice); `docgen build` also writes index.html, every document by unit and call with
a link, its size, page count and status. Drafts of a document whose final was just built are removed.
Everything here is self-contained (inline CSS, no script), so the pages open from a USB stick.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from docgen.apply.rules import RuleResult
from docgen.errors import Diagnostic
from docgen.outputs.atomic import write_atomic


def _write(path: Path, data: bytes) -> None:
    """Write *data* unless the file already holds it (an unchanged build leaves its reports untouched)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(path, data)


REPORT_XLSX = "检查报告.xlsx"
REPORT_HTML = "检查报告.html"
INDEX_HTML = "index.html"
DRAFT_MARK = "-草稿"
OWN_FILES = {REPORT_XLSX, REPORT_HTML, INDEX_HTML}


@dataclass
class ReportRow:
    unit: str
    call: str
    subject: str
    item: str
    verdict: str  # 通过 / 未通过 / 错误 / 警告
    figures: str
    advice: str
    place: str


def report_rows(results: list[RuleResult], problems: Sequence[Diagnostic] = ()) -> list[ReportRow]:
    """One row per rule result (failures first) and per data problem, in the order a person fixes them."""
    rows = [ReportRow("", "", "", f"[{d.code}] {d.field + '：' if d.field else ''}{d.message}",
                      "错误" if d.severity == "error" else "警告", "", d.hint or "", str(d.location or ""))
            for d in problems]
    ordered = sorted(results, key=lambda r: (r.passed, r.unit.id, r.call.id))
    for r in ordered:
        rows.append(ReportRow(f"{r.unit.model.name}（{r.unit.id}）", r.call.model.project_title, r.subject,
                              f"{r.rule.id} {r.rule.title}", "通过" if r.passed else "未通过", r.figures,
                              "" if r.passed else r.advice, str(r.location or "")))
    return rows


HEADERS = ("单位", "通知", "申报（子项目）", "规则或问题", "结果", "数据", "修改建议", "位置")


def write_report(out_dir: Path, rows: list[ReportRow]) -> tuple[Path, Path]:
    """Write the check report as a workbook and an HTML page into *out_dir*; return both paths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from docgen.outputs.zipnorm import normalize_zip

    out_dir.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "检查报告"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    red, green = PatternFill("solid", fgColor="F8CBAD"), PatternFill("solid", fgColor="C6EFCE")
    for row in rows:
        ws.append([row.unit, row.call, row.subject, row.item, row.verdict, row.figures, row.advice, row.place])
        ws.cell(row=ws.max_row, column=5).fill = green if row.verdict == "通过" else red
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (24, 30, 24, 40, 8, 40, 50, 40)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{ws.max_row}"
    from datetime import datetime
    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    xlsx = out_dir / REPORT_XLSX
    _write(xlsx, normalize_zip(buf.getvalue()))
    failed = sum(1 for r in rows if r.verdict in ("未通过", "错误"))
    body = "".join(
        "<tr class='{}'>{}</tr>".format("ok" if r.verdict == "通过" else "bad",
                                        "".join(f"<td>{html.escape(v)}</td>" for v in (
                                            r.unit, r.call, r.subject, r.item, r.verdict, r.figures, r.advice,
                                            r.place)))
        for r in rows)
    summary = f"共 {len(rows)} 项，未通过或有错误 {failed} 项。" if rows else "没有可检查的申报。"
    page = _page("检查报告", f"<p>{summary} 同样的内容见 <a href='{quote(REPORT_XLSX)}'>{REPORT_XLSX}</a>。</p>"
                 f"<table><tr>{''.join(f'<th>{h}</th>' for h in HEADERS)}</tr>{body}</table>")
    page_path = out_dir / REPORT_HTML
    _write(page_path, page.encode("utf-8"))
    return xlsx, page_path


CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;width:100%;margin-bottom:2em}th,td{border:1px solid #bbb;padding:4px 8px;
vertical-align:top;text-align:left}th{background:#ddebf7}tr.bad td{background:#fbe3d6}tr.draft td{background:#fff2cc}
tr.refused td{background:#f8cbad}h2{margin-top:1.5em}.num{text-align:right}"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1>{body}</body></html>\n")


def remove_drafts(out_dir: Path, written: list[Path]) -> list[Path]:
    """Delete the “-草稿” copy of every final document just written; return what was deleted."""
    removed = []
    for path in written:
        if DRAFT_MARK in path.stem:
            continue
        draft = path.with_name(f"{path.stem}{DRAFT_MARK}{path.suffix}")
        if draft.is_file():
            draft.unlink()
            removed.append(draft)
    return removed


def _pages(path: Path) -> str:
    if path.suffix.lower() != ".pdf":
        return ""
    try:
        import pikepdf
        with pikepdf.open(path) as pdf:
            return str(len(pdf.pages))
    except Exception:  # a damaged PDF: the index still lists it
        return "?"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def write_index(out_dir: Path, unit_names: dict[str, str], call_titles: dict[str, str],
                refused: list[str], failed: list[str]) -> Path:
    """Write build/index.html: every document under *out_dir* by unit and call, with status; return its path."""
    groups: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if not path.is_file() or rel.parts[0].startswith(".") or rel.name in OWN_FILES or rel.name.startswith("."):
            continue
        if rel.parts[0] == "calls" and len(rel.parts) >= 3:
            key = ("（通知附件）", rel.parts[1])
        elif len(rel.parts) >= 3:
            key = (rel.parts[0], rel.parts[1])
        else:
            key = ("（其他）", "")
        groups.setdefault(key, []).append(path)
    parts = [f"<p>检查报告：<a href='{quote(REPORT_HTML)}'>{REPORT_HTML}</a> · "
             f"<a href='{quote(REPORT_XLSX)}'>{REPORT_XLSX}</a></p>"]
    if refused:
        parts.append("<table><tr><th>单位</th><th>状态</th></tr>" + "".join(
            f"<tr class='refused'><td>{html.escape(unit_names.get(u, u))}（{html.escape(u)}）</td>"
            "<td>未生成：规则未通过（见检查报告；加 --draft 可生成草稿）</td></tr>" for u in refused) + "</table>")
    for (unit, call), files in sorted(groups.items()):
        heading = f"{unit_names.get(unit, unit)}（{unit}）" if unit in unit_names else unit
        parts.append(f"<h2>{html.escape(heading)} · {html.escape(call_titles.get(call, call))}</h2>")
        rows = []
        for path in files:
            href = path.relative_to(out_dir).as_posix()
            draft = DRAFT_MARK in path.stem
            status = "生成失败（旧文件）" if href in failed else "草稿（不得报送）" if draft else "已生成"
            cls = "bad" if href in failed else "draft" if draft else ""
            rows.append(f"<tr class='{cls}'><td><a href='{quote(href)}'>{html.escape(path.name)}</a></td>"
                        f"<td class='num'>{_size(path.stat().st_size)}</td><td class='num'>{_pages(path)}</td>"
                        f"<td>{status}</td></tr>")
        parts.append("<table><tr><th>文件</th><th>大小</th><th>页数</th><th>状态</th></tr>" + "".join(rows)
                     + "</table>")
    index = out_dir / INDEX_HTML
    _write(index, _page("生成的文件", "".join(parts)).encode("utf-8"))
    return index
