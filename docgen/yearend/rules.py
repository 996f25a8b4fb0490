"""Checks of the year-end paperwork: required parts, 字数 limits, author sheets, quotas, figures.

Every check yields a :class:`Finding` — passed or not, with the figures, what
to change and where (file, line, heading) — in the order a reader meets them.
Thresholds come from the notice's reports.yaml, never from code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docgen.errors import Location, UnknownCode, display_path
from docgen.errors.catalog import CATALOG
from docgen.load.markdown import TABLE_REF, missing_images, plain_paragraphs
from docgen.models.yearend import Part
from docgen.rules.dates import dates_in
from docgen.yearend.context import figure_tables
from docgen.yearend.load import Heading, LoadedCase, LoadedFolder, MarkdownDoc, YearEnd

NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．]|第[一二三四五六七八九十]+部分[：:、\s]*)\s*")


@dataclass
class Finding:
    code: str
    folder: LoadedFolder
    subject: str
    title: str
    passed: bool
    figures: str
    advice: str = ""
    location: Location | None = None

    def __post_init__(self) -> None:
        if self.code not in CATALOG:  # a finding's code is a catalog code like a diagnostic's
            raise UnknownCode(f"finding code {self.code!r} is not in docgen/errors/catalog.py")


def heading_key(text: str) -> str:
    """Return a heading without its numbering (一、 （二） 3．) and blanks."""
    return re.sub(r"\s+", "", NUMBERING.sub("", text))


def match_part(part: Part, headings: list[Heading]) -> Heading | None:
    for h in headings:
        key = heading_key(h.text)
        if all(w in key for w in part.words):
            return h
    return None


def check_yearend(ye: YearEnd) -> list[Finding]:
    findings: list[Finding] = []
    for folder in ye.folders:
        findings += _self_report(folder)
        for case in folder.work_cases:
            findings += _work_case(folder, case)
        for case in folder.growth_cases:
            findings += _growth_case(folder, case)
        findings += _quotas(folder)
        findings += _images(folder)
    return findings


def _images(folder: LoadedFolder) -> list[Finding]:
    """A picture the Markdown refers to must exist (only failures are reported)."""
    out = []
    docs = [(folder.call.model.self_report.title, folder.self_report)] if folder.self_report else []
    docs += [(_case_subject(c.meta.kind, c), c.doc) for c in folder.cases]
    for subject, doc in docs:
        for src, line in missing_images(doc.md):
            out.append(Finding("Y304", folder, subject, "文中引用的图片存在", False, f"找不到图片“{src}”",
                               "把图片放到该位置（路径相对于 .md 文件），或改正文件名。", doc.at(line)))
    return out


def _self_report(folder: LoadedFolder) -> list[Finding]:
    spec = folder.call.model.self_report
    subject = spec.title
    doc = folder.self_report
    if doc is None:
        return [Finding("Y300", folder, subject, f"提交{spec.title}", False, "未找到文件",
                        f"在该文件夹新建 {spec.file}，用 Markdown 写出{len(spec.parts)}个部分。",
                        Location(display_path(folder.dir / spec.file)))]
    out: list[Finding] = []
    previous: Heading | None = None
    for n, part in enumerate(spec.parts, start=1):
        h = match_part(part, doc.headings)
        if h is not None:
            out.append(Finding("Y301", folder, subject, f"含必备部分“{part.title}”", True,
                               f"标题“{h.text}”", location=doc.at(h.line, f"标题“{h.text}”")))
            previous = h
        else:
            where = doc.at(previous.line, f"应在标题“{previous.text}”之后") if previous else doc.at(
                doc.md.line_offset + 1, "应在正文开头")
            out.append(Finding("Y301", folder, subject, f"含必备部分“{part.title}”", False,
                               f"没有标题含“{'”“'.join(part.words)}”的部分",
                               f"补写第 {n} 部分，加标题如“## {_cn(n)}、{part.title}”。", where))
    out += _figure_refs(folder, doc, subject)
    return out


def _figure_refs(folder: LoadedFolder, doc: MarkdownDoc, subject: str) -> list[Finding]:
    out: list[Finding] = []
    tables = figure_tables(folder)
    for text in plain_paragraphs(doc.md):
        m = TABLE_REF.match(text)
        if m and m.group(1) not in tables:
            line = _line_of(doc, text)
            out.append(Finding("Y302", folder, subject, f"引用的数据表“{m.group(1)}”存在", False,
                               f"report.yaml 能生成的表：{'、'.join(tables)}",
                               f"改为【表：{next(iter(tables))}】等已有的表名。", doc.at(line, text)))
    spent = sum(p.spent for p in folder.model.projects)
    if folder.model.spending:
        detail = sum(s.amount for s in folder.model.spending)
        out.append(Finding("Y303", folder, subject, "经费支出明细合计等于实际支出", detail == spent,
                           f"明细合计 {detail:,} 元，各项目实际支出合计 {spent:,} 元",
                           f"核对 report.yaml 的 spending（相差 {detail - spent:+,} 元）。",
                           folder.positions.locate(("spending",))))
    return out


def _line_of(doc: MarkdownDoc, text: str) -> int | None:
    for i, line in enumerate(doc.md.text.split("\n")):
        if text in line:
            return i + 1 + doc.md.line_offset
    return None


def _case_subject(kind: str, case: LoadedCase) -> str:
    return f"{kind}《{case.meta.title}》"


def _words_finding(folder, case: LoadedCase, subject: str, low: int, high: int) -> Finding:
    words = case.words
    ok = low <= words <= high
    limit = f"{low}–{high} 字" if low else f"不超过 {high} 字"
    advice = ""
    if words > high:
        advice = f"删减约 {words - high} 字。"
    elif words < low:
        advice = f"还需补写约 {low - words} 字。"
    return Finding("Y311", folder, subject, f"字数{limit}", ok, f"字数 {words}（按 Word/WPS 字数统计规则）",
                   advice, Location(case.doc.shown))


def _work_case(folder: LoadedFolder, case: LoadedCase) -> list[Finding]:
    spec = folder.call.model.work_case
    subject = _case_subject("工作案例", case)
    out = []
    missing = [p for p in spec.parts if match_part(p, case.doc.headings) is None]
    found = [h.text for h in case.doc.headings]
    last = case.doc.headings[-1] if case.doc.headings else None
    out.append(Finding(
        "Y310", folder, subject, f"按{'、'.join(p.title for p in spec.parts)}六部分撰写", not missing,
        f"缺少：{'、'.join(p.title for p in missing)}" if missing else f"{len(spec.parts)} 个部分齐全",
        "为每个缺少的部分加一个二级标题（如“## 创新举措”）并补写内容。",
        case.doc.at(last.line, f"已有标题：{'、'.join(found) or '无'}") if missing and last else case.doc.at(1)))
    out.append(_words_finding(folder, case, subject, 0, spec.max_words))
    if spec.practice_year is not None:
        out.append(_practice_year(folder, case, subject, spec.practice_year))
    return out


def _practice_year(folder: LoadedFolder, case: LoadedCase, subject: str, year: int) -> Finding:
    """附件 一.1：案例应是 <year> 年的实践探索 — every date of the case's `period` lies in that year."""
    title = f"案例应是 {year} 年的实践探索（附件 一.1）"
    period = case.meta.period
    where = case.doc.positions.locate(("period",) if period else ())
    if not period:
        return Finding("D410", folder, subject, title, False, "未写明案例的实践时间",
                       f"在文件开头的 --- 信息块中写 period: {year}年3月—{year}年12月（案例实践的起止时间）。", where)
    dates = dates_in(period)
    if not dates:
        return Finding("D410", folder, subject, title, False, f"实践时间“{period}”无法识别日期",
                       f"写成“{year}年3月—{year}年12月”这样的起止年月。", where)
    other = sorted({d.year for d in dates if d.year != year})
    figures = f"实践时间 {period}；要求在 {year} 年内"
    if not other:
        return Finding("D410", folder, subject, title, True, figures, location=where)
    return Finding("D410", folder, subject, title, False, figures,
                   f"实践时间含 {'、'.join(map(str, other))} 年：报送 {year} 年开展的实践探索，"
                   f"或把实践时间改为 {year} 年内实际开展的时段。", where)


def _growth_case(folder: LoadedFolder, case: LoadedCase) -> list[Finding]:
    spec = folder.call.model.growth_case
    subject = _case_subject("成长案例", case)
    out = [_words_finding(folder, case, subject, spec.min_words, spec.max_words)]
    empty = [label for key, label in spec.author_fields.items() if not getattr(case.meta, key, None)]
    out.append(Finding("Y312", folder, subject, f"作者信息齐全（{'、'.join(spec.author_fields.values())}）",
                       not empty, f"缺少：{'、'.join(empty)}" if empty else "齐全",
                       "在文件开头的 --- 信息块中补写：" + "、".join(
                           f"{k}（{v}）" for k, v in spec.author_fields.items() if v in empty),
                       case.doc.positions.locate(())))
    return out


def _quotas(folder: LoadedFolder) -> list[Finding]:
    wc, gc = folder.call.model.work_case, folder.call.model.growth_case
    cls = folder.project_class.key
    n = len(folder.work_cases)
    out = [Finding("Y320", folder, f"{cls}类项目", f"典型工作案例每单位每类项目不超过 {wc.max_per_class} 个",
                   n <= wc.max_per_class, f"工作案例 {n} 个", f"减少 {n - wc.max_per_class} 个，择优报送。",
                   Location(_shown(folder.dir / "cases")))]
    quota = next((q for q in gc.quotas if q.category == folder.category), None) or \
        next((q for q in gc.quotas if q.category == "其他"), gc.quotas[-1])
    m = len(folder.growth_cases)
    advice = f"还需 {quota.min - m} 个。" if m < quota.min else f"减少 {m - quota.max} 个，择优报送。"
    out.append(Finding("Y321", folder, f"{cls}类项目",
                       f"教师成长案例（{folder.category}）每类项目 {quota.min}–{quota.max} 个",
                       quota.min <= m <= quota.max, f"成长案例 {m} 个", advice, Location(_shown(folder.dir / "cases"))))
    return out


def _shown(path) -> str:
    return display_path(path)


def _cn(n: int) -> str:
    return "一二三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)
