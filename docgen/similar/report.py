"""Write the bureau's similarity results: an Excel list and a self-contained HTML page (Chinese)."""

from __future__ import annotations

import html
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from docgen.outputs.zipnorm import normalize_zip
from docgen.similar.engine import Match, Settings
from docgen.similar.folder import DocPair, FolderResult
from docgen.similar.institution import quote

HEAD = ["序号", "文件甲", "文件乙", "甲中相同文字占比", "乙中相同文字占比", "相同片段数", "最长相同片段（字）",
        "最长相同片段（甲中原文）", "涉及部分"]
WIDTHS = [6, 40, 40, 12, 12, 10, 12, 70, 30]
NOTE = ("相同片段：连续至少 {n} 字相同（比较前去掉标点和空格、全角半角统一、一串数字算一个字；"
        "模板本身的标题、表格栏目和承诺文字不计）。这是供人复核的线索，不是抄袭的结论。")


def workbook_bytes(result: FolderResult, settings: Settings) -> bytes:
    """Return the Excel list: one row per pair of documents, the pair to read first on top."""
    wb = Workbook()
    ws = wb.active
    ws.title = "相同片段"
    ws.append([NOTE.format(n=settings.min_passage)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = 36
    ws.append(HEAD)
    for c in range(1, len(HEAD) + 1):
        cell = ws.cell(2, c)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, pair in enumerate(result.pairs, 1):
        m, p = pair.longest()
        ws.append([n, pair.a, pair.b, round(pair.share_a, 4), round(pair.share_b, 4), pair.passages, p.chars,
                   " ".join(m.quote_a(p).split()), pair.sections])
        r = ws.max_row
        ws.cell(r, 4).number_format = ws.cell(r, 5).number_format = "0.0%"
        for c in (2, 3, 8, 9):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    if result.problems:
        skipped = wb.create_sheet("未比对的文件")
        skipped.append(["文件", "原因"])
        for d in result.problems:
            skipped.append([str(d.location) if d.location else "", d.message])
        skipped.column_dimensions["A"].width = 50
        skipped.column_dimensions["B"].width = 50
    buf = io.BytesIO()
    wb.save(buf)
    return normalize_zip(buf.getvalue())


def _marked(text: str, spans: list[tuple[int, int, int]]) -> str:
    """Return *text* as HTML with each (start, end, number) span in a <mark>."""
    out, at = [], 0
    for start, end, n in sorted(spans):
        if start < at:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f'<mark title="相同片段 {n}"><sup>{n}</sup>{html.escape(text[start:end])}</mark>')
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out).replace("\n", "<br>\n")


def _pair_html(n: int, pair: DocPair) -> str:
    e = html.escape
    parts = [f'<section class="pair" id="pair-{n}"><h2>{n}. {e(pair.a)}<br>　与 {e(pair.b)}</h2>',
             f'<p class="figures">甲中相同文字占 {pair.share_a:.1%}，乙中占 {pair.share_b:.1%}；'
             f'相同片段 {pair.passages} 段，最长 {pair.longest()[1].chars} 字。</p>']
    for m in pair.matches:
        parts.append(_match_html(m))
    parts.append('<p class="top"><a href="#list">↑ 回到列表</a></p></section>')
    return "\n".join(parts)


def _match_html(m: Match) -> str:
    e = html.escape
    a = _marked(m.a.text, [(p.a[0], p.a[1], i) for i, p in enumerate(m.passages, 1)])
    b = _marked(m.b.text, [(p.b[0], p.b[1], i) for i, p in enumerate(m.passages, 1)])
    return (f'<div class="sides"><div class="side"><h3>甲：{e(m.a.name)}</h3><div class="text">{a}</div></div>'
            f'<div class="side"><h3>乙：{e(m.b.name)}</h3><div class="text">{b}</div></div></div>')


CSS = """
body { font-family: "Noto Serif CJK SC", "SimSun", serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; border-top: 2px solid #888; padding-top: .8em; }
h3 { font-size: 1em; margin: .3em 0; }
table { border-collapse: collapse; } td, th { border: 1px solid #aaa; padding: .3em .5em; vertical-align: top; }
th { background: #ddebf7; } td.num { text-align: right; white-space: nowrap; }
.note { background: #fff8dc; border: 1px solid #e0c870; padding: .6em 1em; }
.sides { display: flex; gap: 1.5em; margin: .8em 0; }
.side { flex: 1; min-width: 0; } .text { border: 1px solid #ccc; padding: .6em; line-height: 1.8; }
mark { background: #ffd54f; } mark sup { color: #b71c1c; font-weight: bold; margin-right: .1em; }
.figures { color: #555; } .top { text-align: right; }
"""


def html_page(result: FolderResult, settings: Settings, title: str = "申报书相同片段比对") -> str:
    """Return the HTML page: the list of pairs, then each pair side by side with shared passages marked."""
    e = html.escape
    rows = []
    for n, pair in enumerate(result.pairs, 1):
        m, p = pair.longest()
        rows.append(f'<tr><td class="num">{n}</td><td><a href="#pair-{n}">{e(pair.a)}</a></td><td>{e(pair.b)}</td>'
                    f'<td class="num">{pair.share_a:.1%}</td><td class="num">{pair.share_b:.1%}</td>'
                    f'<td class="num">{pair.passages}</td><td class="num">{p.chars}</td>'
                    f'<td>{e(quote(m.quote_a(p), 80))}</td><td>{e(pair.sections)}</td></tr>')
    seen = f"比对了 {result.documents} 份文件"
    if result.previous:
        seen += f"，并与上一年的 {result.previous} 份文件比对"
    found = f"发现 {len(result.pairs)} 对文件有相同片段。" if result.pairs else "没有发现相同片段。"
    skipped = ""
    if result.problems:
        items = "".join(f"<li>{e(str(d.location))}：{e(d.message)}</li>" for d in result.problems)
        skipped = f"<h2>未比对的文件</h2><ul>{items}</ul>"
    head = "".join(f"<th>{e(h)}</th>" for h in HEAD)
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>\n<h1>{e(title)}</h1>\n"
            f'<p>{seen}。{found}</p>\n<p class="note">{e(NOTE.format(n=settings.min_passage))}</p>\n'
            f'<table id="list"><tr>{head}</tr>\n' + "\n".join(rows) + "</table>\n"
            + "\n".join(_pair_html(n, pair) for n, pair in enumerate(result.pairs, 1))
            + skipped + "\n</body></html>\n")
