"""Find a table in a returned workbook by its header labels and read its data rows.

The shared stage of every returned workbook (汇总表, 计划表, 名单, 评分表):

- header labels are matched exactly, after normalising spaces, full-/half-width forms and
  line breaks inside a cell (“项 目\\n名称” is “项目名称”; “子项目名称” is not);
- a header cell that holds something else where a label belongs is reported at its cell;
- the header may span two rows (merged cells): each column takes the text of the merged
  range covering it, so a merged header cell drops no column;
- the data stop at the first row that is not data: a 注/备注/说明 line, a signature or date
  line, a line merged across the table's width, or — after blank rows — the end of the
  bordered rows;
- a merged cell in the data area gives its value to every row it covers, with a warning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from docgen.errors import Diagnostic, Location
from docgen.load.workbook import Sheet, cell_ref

FOOTER_RE = re.compile(r"^(?:注(?:[:：意]|\d|[（(]|$)|备注[:：]?|说明[:：]?|填表人|填报人|制表人|审核人|负责人|经办人|"
                       r"单位负责人|领导签字|签字|签名|签章|盖章|\(?（?盖章|填报日期|填表日期|日期[:：]|"
                       r"\d{4}\s*年\s*\d{0,2}\s*月|年\s*月\s*日)")
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


_SPACE = re.compile(r"\s+")


def norm_label(text) -> str:
    """Return *text* as compared with a header label: NFKC (full → half width), no spaces or line breaks."""
    if text is None or text == "":
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text))).rstrip("*")


@dataclass(frozen=True)
class Field:
    """A column of a table: its key, the label the form prints, and other exact labels accepted."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def matches(self, text: str) -> bool:
        return text in self.labels

    @property
    def labels(self) -> frozenset[str]:
        return _labels(self.label, self.aliases)


@cache
def _labels(label: str, aliases: tuple[str, ...]) -> frozenset[str]:
    return frozenset(norm_label(x) for x in (label, *aliases))


@dataclass
class Cell:
    value: object
    text: str
    ref: str
    carried: str = ""  # the merged range the value was carried from, e.g. "A7:A8"


@dataclass
class TableRow:
    index: int  # 0-based row in the sheet
    cells: dict[str, Cell]

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class Table:
    sheet: Sheet
    header_row: int  # 0-based, the (last) header row
    cols: dict[str, int]
    rows: list[TableRow] = field(default_factory=list)
    end_row: int | None = None  # 0-based row where the data stopped (a footnote or signature line), if any
    problems: list[Diagnostic] = field(default_factory=list)


def header_texts(sheet: Sheet, row: int, longest: int = 0) -> list[str]:
    """Return the normalised header texts of *row*, each cell taking the text of the merged range over it.

    With *longest*, a cell too long to be a label (a title, a footnote) is not normalised: it reads as "-".
    """
    out = []
    values = sheet.rows[row] if row < len(sheet.rows) else []
    merged = bool(sheet.merged)
    for c, value in enumerate(values):
        if (value is None or value == "") and merged:
            rng = sheet.merge_at(row, c)
            if rng is not None:
                value = sheet.value(*rng[0])
        if longest and isinstance(value, str) and len(value) > longest:
            out.append("-")
            continue
        out.append(norm_label(value))
    return out


def find_header(sheets: list[Sheet], fields: list[Field], scan: int = 40, min_hits: int = 2
                ) -> tuple[Sheet, int, int, dict[str, int]] | None:
    """Return (sheet, first header row, last header row, {key: column}) of the first row holding the most
    labels (at least *min_hits*); the last header row differs when header cells are merged over two rows."""
    lookup = {label: f.key for f in reversed(fields) for label in f.labels}
    longest = 3 * max(len(label) for label in lookup) + 8  # room for spaces and line breaks
    for sheet in sheets:
        best = None
        for r in range(min(len(sheet.rows), scan)):
            texts = header_texts(sheet, r, longest)
            cols: dict[str, int] = {}
            for c, text in enumerate(texts):
                if text and text in lookup and lookup[text] not in cols:
                    cols[lookup[text]] = c
            if len(cols) >= min_hits and (best is None or len(cols) > len(best[1])):
                best = (r, cols)
                if len(cols) == len(fields):
                    break
        if best is not None:
            r, cols = best
            # a header over two rows (merged cells): the data start below the lowest merged header cell
            last = r
            for c in cols.values():
                rng = sheet.merge_at(r, c)
                if rng is not None and rng[0][0] <= r:
                    last = max(last, rng[1][0])
            return sheet, r, last, cols
    return None


def check_header(sheet: Sheet, hrow: int, cols: dict[str, int], fields: list[Field], shown: str,
                 code: str, renamed_code: str | None = None, first_row: int | None = None) -> list[Diagnostic]:
    """Report each missing label of *fields* at the cell where it belongs (a renamed header, *renamed_code*
    when given) or at the row (a missing column, *code*).

    A missing column gets its neighbours' position: the cell between the found columns that holds
    some other text is where the label was renamed.
    """
    problems = []
    top = first_row if first_row is not None else hrow
    order = [f.key for f in fields]
    for i, f in enumerate(fields):
        if f.key in cols or not f.required:
            continue
        before = [cols[k] for k in order[:i] if k in cols]
        after = [cols[k] for k in order[i + 1:] if k in cols]
        lo = max(before) + 1 if before else 0
        hi = min(after) - 1 if after else lo + 2
        where, got = None, ""
        for r in range(top, hrow + 1):
            texts = header_texts(sheet, r)
            for c in range(lo, min(hi, len(texts) - 1) + 1):
                if texts[c] and not any(g.matches(texts[c]) for g in fields):
                    where, got = (r, c), sheet.text(r, c) or texts[c]
                    break
            if where:
                break
        if where is not None:
            cols[f.key] = where[1]
            problems.append(Diagnostic(renamed_code or code, f"表头“{got}”应为“{f.label}”（表头须与通知的样表一字不差）",
                                       Location(shown, sheet=sheet.name, cell=cell_ref(*where)),
                                       hint=f"把该单元格改回“{f.label}”；不要改写、增删表头。"))
        else:
            problems.append(Diagnostic(code, f"表头缺少“{f.label}”列",
                                       Location(shown, sheet=sheet.name, cell=cell_ref(hrow, lo)),
                                       hint="使用通知所附的样表填写，不要删除表头中的列。"))
    return problems


def read_rows(sheet: Sheet, hrow: int, cols: dict[str, int], shown: str, merged_code: str,
              stop: re.Pattern | None = None) -> tuple[list[TableRow], int | None, list[Diagnostic]]:
    """Return the data rows below *hrow* up to the first row that is not data, and the warnings.

    Merged cells carry their value into every row they cover (one warning per range).
    """
    stop = stop or FOOTER_RE
    problems: list[Diagnostic] = []
    first_col, last_col = min(cols.values()), max(cols.values())
    width = last_col - first_col + 1
    rows: list[TableRow] = []
    warned: set = set()
    end = None
    for r in range(hrow + 1, len(sheet.rows)):
        texts = [sheet.text(r, c) for c in range(sheet.width(r))]
        if not any(texts):
            continue
        first = next(t for t in texts if t)
        if stop.match(norm_label(first)):
            end = r
            break
        c0 = next(c for c, t in enumerate(texts) if t)
        rng = sheet.merge_at(r, c0)
        if rng is not None and rng[0][0] == r and rng[1][1] - rng[0][1] + 1 >= max(2, width) \
                and rng[0][1] <= first_col and not any(texts[c] for c in range(rng[1][1] + 1, len(texts))):
            end = r  # a line merged across the table: a footnote or caption, not data
            break
        filled = sum(1 for c in cols.values() if c < len(texts) and texts[c])
        if rows and (filled < 2 or r > rows[-1].index + 1) and _below_borders(sheet, rows[0].index, r, cols):
            end = r  # a lone line, or a line after blank rows, below the bordered table: not data
            break
        cells: dict[str, Cell] = {}
        for key, c in cols.items():
            value, text, carried = sheet.value(r, c), sheet.text(r, c), ""
            m = sheet.merge_at(r, c)
            if m is not None and m[0] != (r, c) and m[0][0] > hrow:
                (r1, c1), (r2, c2) = m
                if r1 < r:  # the value of the cell above, carried down
                    value, text = sheet.value(r1, c1), sheet.text(r1, c1)
                    carried = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
                    if m not in warned:
                        warned.add(m)
                        problems.append(Diagnostic(
                            merged_code, f"合并单元格 {carried} 跨 {r2 - r1 + 1} 行，已把“{text}”用于每一行",
                            Location(shown, sheet=sheet.name, cell=cell_ref(r1, c1)), severity="warning",
                            hint="不影响汇总；最好取消合并，每一行都填写完整。"))
            cells[key] = Cell(value, text, cell_ref(r, c), carried)
        rows.append(TableRow(r, cells))
    return rows, end, problems


def _below_borders(sheet: Sheet, first: int, r: int, cols: dict[str, int]) -> bool:
    """Whether the table's first data row has borders and row *r* has none (unknown for .xls: False).

    Only asked for rows that do not look like data, so most files never read their styles.
    """
    def bordered(row: int) -> bool | None:
        known = [sheet.bordered(row, c) for c in cols.values()]
        return None if any(k is None for k in known) else any(known)

    return bool(bordered(first)) and bordered(r) is False


def chinese_number(text: str) -> int | None:
    """Return 1–99 for a 序号 written in Chinese numerals (一, 十二, 二十), else None."""
    t = text.strip().rstrip("、.．")
    if not t or any(ch not in CHINESE_DIGITS for ch in t):
        return None
    if len(t) == 1:
        return CHINESE_DIGITS[t]
    if len(t) == 2 and t[0] == "十":
        return 10 + CHINESE_DIGITS[t[1]]
    if len(t) == 2 and t[1] == "十":
        return CHINESE_DIGITS[t[0]] * 10
    if len(t) == 3 and t[1] == "十":
        return CHINESE_DIGITS[t[0]] * 10 + CHINESE_DIGITS[t[2]]
    return None


def number_lost_digits(value) -> str | None:
    """Say what was lost when a phone or ID was typed as a number, or None when nothing was."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if abs(value) >= 1e15:
        return "超过 15 位的数字，Excel 已把末几位变成 0，原号码无法还原"
    digits = str(int(value)) if float(value).is_integer() else str(value)
    if not digits.startswith("1") and len(digits) >= 7:
        return f"号码存成了数字 {digits}，开头的 0（区号）已丢失"
    return None
