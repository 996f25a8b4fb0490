"""How tables break across pages, as a bureau's own forms do.

* The rows that form a table's header (a title row such as "培训项目管理团队" and the
  column names under it) repeat on every page (``w:tblHeader``) and are kept with
  the first data row (``w:keepNext`` on their paragraphs).
* A short row never splits across pages (``w:cantSplit``); a row holding free
  text of any length (a rich narrative, ``| paras``) may, or it could not be printed,
  unless it carries a seal place (申请单位意见 …（单位公章）), which stays whole.
* The section heading just before a table is kept with it (``w:keepNext``).

In a template the header is the run of rows from the top that hold no template
tag; a table whose first row already holds data (a 基本情况 form) has none.
Elements are inserted at their ECMA-376 schema positions.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TAGS = ("{{", "{%")
LONG = ("{{p ", "{%p for", "| paras", "{{r ")
SEALED = ("公章", "盖章")
# CT_TrPr children in the order Word writes them (the schema allows any order; Word's is kept).
TR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore", "w:wAfter", "w:cantSplit",
            "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def row_text(tr) -> str:
    return "".join(t.text or "" for t in tr.iter(qn("w:t")))


def is_marker(tr) -> bool:
    """Return True for a docxtpl row tag ({%tr for …%}), which the render removes."""
    return row_text(tr).strip().startswith("{%tr")


def header_rows(tbl) -> list:
    """Return the rows forming the table's header: the tag-free rows from the top, when data rows follow."""
    rows = list(tbl.tr_lst)
    head = []
    for tr in rows:
        if any(tag in row_text(tr) for tag in TAGS):
            break
        head.append(tr)
    return head if len(head) < len(rows) else []


def is_short(tr) -> bool:
    """Return True for a row whose content cannot outgrow a page (no free text of any length)."""
    text = row_text(tr)
    if is_marker(tr):
        return False
    if any(place in text for place in SEALED):
        return True  # an opinion with its seal place: the seal stays on the page of the text it approves
    return not any(tag in text for tag in LONG)


def _tr_pr(tr):
    pr = tr.trPr
    if pr is None:
        pr = OxmlElement("w:trPr")
        tc_or_tblpr = tr.find(qn("w:tblPrEx"))
        if tc_or_tblpr is not None:
            tc_or_tblpr.addnext(pr)
        else:
            tr.insert(0, pr)
    return pr


def _set_flag(pr, tag: str) -> None:
    if pr.find(qn(tag)) is not None:
        return
    el = OxmlElement(tag)
    later = TR_ORDER[TR_ORDER.index(tag) + 1:]
    for child in pr:
        if child.tag in {qn(t) for t in later}:
            child.addprevious(el)
            return
    pr.append(el)


def set_cant_split(tr) -> None:
    _set_flag(_tr_pr(tr), "w:cantSplit")


def set_repeat(tr) -> None:
    _set_flag(_tr_pr(tr), "w:tblHeader")


def keep_with_next(p) -> None:
    """Set keepNext on a w:p (python-docx puts it at its schema place)."""
    p.get_or_add_pPr().keepNext_val = True


def heading_before(tbl):
    """Return the non-empty paragraph just before the table (its section heading), or None."""
    prev = tbl.getprevious()
    while prev is not None and prev.tag == qn("w:p") and not "".join(t.text or "" for t in prev.iter(qn("w:t"))).strip():
        prev = prev.getprevious()
    if prev is None or prev.tag != qn("w:p"):
        return None
    return prev


def fix_table(tbl) -> None:
    """Mark a template table: header rows repeat and keep with the next row, short rows never split,
    the heading before it keeps with it."""
    head = header_rows(tbl)
    for tr in head:
        set_repeat(tr)
        for p in tr.iter(qn("w:p")):
            keep_with_next(p)
    for tr in tbl.tr_lst:
        if is_short(tr):
            set_cant_split(tr)
    heading = heading_before(tbl)
    if heading is not None:
        keep_with_next(heading)


def problems(tbl) -> list[str]:
    """Return what breaks badly in a template table (empty when it breaks like the bureau's forms)."""
    found = []
    head = header_rows(tbl)
    rows = list(tbl.tr_lst)
    for i, tr in enumerate(rows):
        pr = tr.trPr
        repeat = pr is not None and pr.find(qn("w:tblHeader")) is not None
        split_ok = pr is not None and pr.find(qn("w:cantSplit")) is not None
        text = row_text(tr)[:20]
        if tr in head and not repeat:
            found.append(f"第 {i + 1} 行（{text}）是表头，未设“标题行重复”")
        if tr not in head and repeat:
            found.append(f"第 {i + 1} 行（{text}）不是表头，却设了“标题行重复”")
        if tr in head and not all(p.pPr is not None and p.pPr.keepNext_val for p in tr.iter(qn("w:p"))):
            found.append(f"第 {i + 1} 行（{text}）是表头，未设“与下段同页”")
        if is_short(tr) and not split_ok:
            found.append(f"第 {i + 1} 行（{text}）未设“不允许跨页断行”")
    heading = heading_before(tbl)
    if heading is not None and not (heading.pPr is not None and heading.pPr.keepNext_val):
        text = "".join(t.text or "" for t in heading.iter(qn("w:t")))[:20]
        found.append(f"表前标题“{text}”未设“与下段同页”")
    return found
