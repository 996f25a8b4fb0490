"""The checker: every problem of a Word/Excel template, named by place, before rendering.

Checks: Jinja syntax, variables the data does not have (walked against the shapes of the
pydantic models), tags split across runs with different formatting, curly quotes typed
inside tags, ``{%tr for %}``/``{%p for %}`` without their end tag, unbalanced if/for,
tracked changes touching tags, full-width or unpaired braces.
"""

from __future__ import annotations

import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from docgen.errors import Diagnostic, Location, display_path
from docgen.render.env import make_env
from docgen.render.guard import guard_template
from docgen.render.inspect.scan import (
    CURLY,
    TAG_RE,
    Spot,
    Tag,
    W,
    docx_parts,
    docx_spots,
    find_tags,
    opening,
    run_format,
    short,
    split_runs,
)
from docgen.render.inspect.shapes import (
    ANY,
    DictShape,
    Shape,
    context_shape,
)
from docgen.render.parts import (
    _parser,
    docprops_spots,
    revision_in_tag,
    revision_warning,
    unrendered_tags,
)

BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "macro": "endmacro", "call": "endcall",
          "filter": "endfilter", "block": "endblock", "raw": "endraw"}
MIDDLES = {"else": ("for", "if"), "elif": ("if",)}
SCOPE_NAMES = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false",
               "none", "True", "False", "None", "paras"}
LOOP_ATTRS = {"index", "index0", "first", "last", "length", "revindex", "revindex0", "cycle", "previtem",
              "nextitem", "depth", "depth0", "changed"}
PREFIX_TEXT = {"p": "段落", "tr": "表格行", "tc": "表格列", "r": "文字段", "": ""}

_ENV = make_env(autoescape=True)
_SAFE_PARSER = _parser()


@dataclass
class TemplateCheck:
    """The outcome of checking one template: every diagnostic, and where each variable is first used."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    used: dict[str, str] = field(default_factory=dict)  # variable path → first place used

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class Checker:
    def __init__(self, shown: str, context_shape: DictShape | None):
        self.shown = shown
        self.shape = context_shape
        self.report = TemplateCheck()
        self.stack: list[tuple[str, Tag, dict[str, Shape]]] = []  # (keyword, tag, bound names)
        self.alias: dict[str, str] = {}  # loop variable → the list it walks, for `template vars`

    def loc(self, spot: Spot, sheet: str | None = None, cell: str | None = None) -> Location:
        if sheet is not None:
            return Location(self.shown, sheet=sheet, cell=cell)
        return Location(self.shown, anchor=spot.where)

    def add(self, code: str, message: str, tag: Tag, hint: str | None = None, severity: str = "error",
            loc: Location | None = None) -> None:
        self.report.diagnostics.append(Diagnostic(code, message, loc or tag.spot.loc
                                                  or self.loc(tag.spot), hint=hint, severity=severity))

    # -- scope
    def lookup(self, name: str) -> Shape | None:
        for _, _, bound in reversed(self.stack):
            if name in bound:
                return bound[name]
        if self.shape is None:
            return ANY
        found = self.shape.attr(name) if name in self.shape.items else None
        if found is not None:
            return found
        if name in SCOPE_NAMES or name in _ENV.globals:
            return ANY
        return None

    # -- one tag
    def tag(self, tag: Tag) -> None:
        raw = tag.raw
        self.close_rows_left(tag)
        raw_body = self.straight_quotes(tag)
        if raw.startswith("{#"):
            return
        if raw.startswith("{{"):
            inner = raw_body[2:-2].lstrip("-").rstrip("-")
            expr = self.parse_expr(inner, tag)
            if expr is not None:
                self.check_names(expr, tag)
            return
        inner = raw_body[2:-2].strip("-").strip()
        keyword = inner.split(None, 1)[0] if inner else ""
        prefix = tag.prefix
        if inner in ("vm", "hm") and not prefix:
            return  # docxtpl's own cell-merge tags inside a row loop, replaced before Jinja runs
        if prefix == "tr" and not tag.spot.in_table:
            self.add("T407", f"表格行标签 {short(raw)} 不在表格中", tag,
                     hint="{%tr … %} 只能写在表格的某一行里；段落循环请用 {%p for … %}。")
        if keyword in BLOCKS:
            self.open_block(keyword, inner, tag)
        elif keyword.startswith("end") and keyword[3:] in BLOCKS:
            self.close_block(keyword, inner, tag)
        elif keyword in MIDDLES:
            self.middle(keyword, inner, tag)
        elif keyword == "set":
            self.set_names(inner, tag)
        else:
            self.parse_stmt("{% " + inner + " %}", tag)

    def close_rows_left(self, tag: Tag) -> None:
        """A row loop ends in its own table: reaching another table (or the body) with it open means its end is missing."""
        while self.stack and self.stack[-1][1].prefix == "tr" and self.stack[-1][1].spot.table is not None \
                and self.stack[-1][1].spot.table is not tag.spot.table:
            self.unclosed(self.stack.pop())

    def straight_quotes(self, tag: Tag) -> str:
        """Return the tag's body with curly quotes made straight, reporting them (T405)."""
        curly = [c for c in tag.raw if c in CURLY]
        if not curly:
            return tag.body
        self.add("T405", f"标签 {short(tag.raw)} 中有中文（弯）引号 {''.join(dict.fromkeys(curly))}", tag,
                 hint="标签里的引号必须是英文直引号 \" 或 '；运行 docgen template check --fix 自动改正。")
        return "".join(CURLY.get(c, c) for c in tag.body)

    def open_block(self, keyword: str, inner: str, tag: Tag) -> None:
        """{% for/if/with/macro … %}: check its names and push it with the names it binds."""
        src = "{% " + inner + " %}" + ("x" if keyword != "raw" else "") + "{% " + BLOCKS[keyword] + " %}"
        stmt = self.parse_stmt(src, tag)
        bound: dict[str, Shape] = {}
        if isinstance(stmt, nodes.For):
            bound = self.for_names(stmt, tag)
        elif isinstance(stmt, nodes.If):
            self.check_names(stmt.test, tag)
        elif isinstance(stmt, nodes.With):
            for target, value in zip(stmt.targets, stmt.values):
                self.check_names(value, tag)
                if isinstance(target, nodes.Name):
                    bound[target.name] = ANY
        elif isinstance(stmt, nodes.Macro):
            for arg in stmt.args:
                bound[arg.name] = ANY
        self.stack.append((keyword, tag, bound))

    def for_names(self, stmt: nodes.For, tag: Tag) -> dict[str, Shape]:
        """Check a for loop's list (and filter) and return the names it binds, noting what the loop variable walks."""
        bound: dict[str, Shape] = {}
        elem = self.check_names(stmt.iter, tag)
        if isinstance(stmt.target, nodes.Name):
            bound[stmt.target.name] = elem.element() if elem is not None else ANY
            source = _chain(stmt.iter)
            if source is not None:
                root = self.alias.get(source[0], source[0])
                self.alias[stmt.target.name] = ".".join([root, *source[1]]) + "[]"
        for name_node in stmt.target.find_all(nodes.Name):
            bound[name_node.name] = ANY
        bound["loop"] = ANY
        if stmt.test is not None:
            self.check_names(stmt.test, tag, bound)
        return bound

    def close_block(self, keyword: str, inner: str, tag: Tag) -> None:
        """{% endfor/endif … %}: pop its opener, reporting a missing or mismatched one (T404)."""
        raw, prefix = tag.raw, tag.prefix
        opener = keyword[3:]
        if inner != keyword:
            self.parse_stmt("{% if 1 %}{% " + inner.replace(keyword, "endif", 1) + " %}", tag)
        if not self.stack or self.stack[-1][0] != opener:
            open_names = "、".join(short(t.raw) for _, t, _ in self.stack[-1:])
            self.add("T404", f"{short(raw)} 没有对应的开始标签"
                     + (f"（此处仍未结束的是 {open_names}）" if open_names else ""), tag,
                     hint=f"删除多余的 {short(raw)}，或补上 {{% {opener} … %}}。")
            if self.stack and any(k == opener for k, _, _ in self.stack):
                while self.stack and self.stack[-1][0] != opener:
                    self.unclosed(self.stack.pop())
                self.stack.pop()
            return
        _, open_tag, _ = self.stack.pop()
        if "tr" in (open_tag.prefix, prefix) and open_tag.spot.table is not tag.spot.table:
            self.add("T404", f"表格行循环 {short(open_tag.raw)} 与 {short(raw)} 不在同一个表格中", tag,
                     hint="行循环的开始行和结束行必须在同一个表格里；检查是否复制或删除了表格行。")
        if open_tag.prefix != prefix and (open_tag.prefix in ("p", "tr", "tc") or prefix in ("p", "tr", "tc")):
            self.add("T404", f"{short(open_tag.raw)} 以 {short(raw)} 结束，两者类型不同", tag,
                     hint=f"{PREFIX_TEXT[open_tag.prefix] or '普通'}循环应以 "
                          f"{{%{open_tag.prefix} {keyword} %}} 结束。".replace("{% ", "{%"))

    def middle(self, keyword: str, inner: str, tag: Tag) -> None:
        """{% else/elif … %}: it must sit inside an if/for; an elif's test is checked."""
        if not self.stack or self.stack[-1][0] not in MIDDLES[keyword]:
            self.add("T404", f"{short(tag.raw)} 不在 if/for 之内", tag, hint="检查它前面的 {% if … %} 是否被删掉。")
            return
        if keyword == "elif":
            stmt = self.parse_stmt("{% if 1 %}{% " + inner + " %}{% endif %}", tag)
            if isinstance(stmt, nodes.If) and stmt.elif_:
                self.check_names(stmt.elif_[0].test, tag)

    def set_names(self, inner: str, tag: Tag) -> None:
        """{% set x = … %}: check the value; x is known from here on (in the open block, else the whole template)."""
        stmt = self.parse_stmt("{% " + inner + " %}", tag)
        if isinstance(stmt, nodes.Assign):
            self.check_names(stmt.node, tag)
            if self.stack:
                for n in _names(stmt.target):
                    self.stack[-1][2][n.name] = ANY
            elif self.shape is not None:
                for n in _names(stmt.target):
                    self.shape.items.setdefault(n.name, ("模板中 set 定义", ANY))

    def unclosed(self, entry) -> None:
        keyword, tag, _ = entry
        end = "{%" + (tag.prefix + " " if tag.prefix else " ") + BLOCKS[keyword] + " %}"
        kind = PREFIX_TEXT[tag.prefix] + ("循环" if keyword == "for" else "条件" if keyword == "if" else keyword)
        self.add("T404", f"{kind} {short(tag.raw)} 缺少结束标签 {end}", tag,
                 hint=f"在循环/条件结束的位置另起{'一行' if tag.prefix == 'tr' else '一段'}写 {end}。")

    def finish(self) -> None:
        while self.stack:
            self.unclosed(self.stack.pop())

    # -- parsing helpers
    def parse_expr(self, inner: str, tag: Tag):
        try:
            tpl = _ENV.parse("{{ " + inner + " }}")
        except TemplateSyntaxError as exc:
            self.syntax(exc, tag)
            return None
        out = tpl.body[0]
        return out.nodes[0] if isinstance(out, nodes.Output) and out.nodes else None

    def parse_stmt(self, src: str, tag: Tag):
        try:
            tpl = _ENV.parse(src)
        except TemplateSyntaxError as exc:
            self.syntax(exc, tag)
            return None
        return tpl.body[0] if tpl.body else None

    def syntax(self, exc: TemplateSyntaxError, tag: Tag) -> None:
        self.add("T401", f"标签 {short(tag.raw)} 语法错误：{_cn_syntax(exc.message or '')}", tag,
                 hint="检查括号、引号是否成对，变量名与过滤器之间用 |，不要混入中文标点。")

    # -- names
    def check_names(self, node, tag: Tag, extra: dict[str, Shape] | None = None) -> Shape | None:
        """Check every variable path in *node*; return the shape of *node* itself when it is a path."""
        result = None
        filters = [node] if isinstance(node, nodes.Filter) else []
        for f in filters + list(node.find_all(nodes.Filter)):
            if f.name not in _ENV.filters:
                close = difflib.get_close_matches(f.name, list(_ENV.filters), 1)
                self.add("T401", f"没有名为“{f.name}”的过滤器（标签 {short(tag.raw)}）", tag,
                         hint=(f"是不是“{close[0]}”？" if close else "")
                         + "docgen 的过滤器：cn_date（日期）、cn_month（年月）、wan（万元）、date_range（起止日期）、"
                           "yes_no（是/否）、paras（分段）。")
        for path_node in _paths(node):
            chain = _chain(path_node)
            if chain is None:
                continue
            root, attrs = chain
            shape = (extra or {}).get(root) or self.lookup(root)
            if shape is None:
                known = sorted(self.shape.items) if self.shape else []
                close = difflib.get_close_matches(root, known, 1)
                self.add("T402", f"变量“{root}”在数据中不存在", tag,
                         hint=(f"是不是“{close[0]}”？" if close else "")
                         + f"可用的变量：{'、'.join(known)}；运行 docgen template vars 查看全部字段。")
                continue
            done = [root]
            for attr in attrs:
                nxt = shape.attr(attr)
                if nxt is None:
                    names = [f for f, _, _ in shape.fields()]
                    close = difflib.get_close_matches(attr, names, 1)
                    offered = "、".join(f"{f}（{t}）" if t else f for f, t, _ in shape.fields()[:30])
                    self.add("T402", f"“{'.'.join(done + [attr])}”在数据中不存在："
                             f"“{'.'.join(done)}”没有字段“{attr}”", tag,
                             hint=(f"是不是“{close[0]}”？" if close else "") + f"可用的字段：{offered}")
                    shape = None
                    break
                done.append(attr)
                shape = nxt
            if shape is not None and root != "loop":
                self.report.used.setdefault(".".join([self.alias.get(root, root), *done[1:]]), tag.spot.where)
            if path_node is node:
                result = shape
        return result


def _names(target) -> list:
    return [target] if isinstance(target, nodes.Name) else list(target.find_all(nodes.Name))


def _paths(node):
    """Yield the outermost Name/Getattr/Getitem chains in *node*."""
    if isinstance(node, (nodes.Name, nodes.Getattr)) or (
            isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)):
        yield node
        base = node
        while isinstance(base, (nodes.Getattr, nodes.Getitem)):
            if isinstance(base, nodes.Getitem):
                yield from _paths(base.arg)
            base = base.node
        if not isinstance(base, nodes.Name):
            yield from _paths(base)
        return
    for child in node.iter_child_nodes():
        yield from _paths(child)


def _chain(node) -> tuple[str, list[str]] | None:
    attrs: list[str] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            attrs.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attrs.append(node.arg.value)
        else:
            attrs = []  # x[i]: index into a list → treat as element access below
            return None
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        return None
    return node.name, list(reversed(attrs))



_SYNTAX_CN = [
    (r"unexpected char '(.)'", r"出现了不允许的字符“\1”"),
    (r"unexpected '(.+?)'", r"出现了意外的“\1”"),
    (r"Encountered unknown tag '(\w+)'", r"未知的标签“\1”"),
    (r"expected token '(.+?)', got '(.+?)'", r"此处应为“\1”，却是“\2”"),
    (r"unexpected end of template", "标签不完整"),
    (r"No filter named '(\w+)'", r"没有名为“\1”的过滤器"),
    (r"No test named '(\w+)'", r"没有名为“\1”的测试"),
]


_TOKENS_CN = {"end of print statement": "}}", "end of statement block": "%}", "name": "变量名",
              "end of template": "标签结尾"}


def _cn_syntax(message: str) -> str:
    for pattern, repl in _SYNTAX_CN:
        m = re.search(pattern, message)
        if m:
            text = m.expand(repl)
            for en, cn in _TOKENS_CN.items():
                text = text.replace(f"“{en}”", f"“{cn}”")
            return text
    return message



def check_docx_bytes(data: bytes, shown: str, context: dict[str, Any] | None,
                     shape: DictShape | None = None) -> TemplateCheck:
    """Check a Word template against the variables of *context* (or its *shape*, when computed already)."""
    from lxml import etree
    if shape is None and context is not None:
        shape = context_shape(context)
    checker = Checker(shown, shape)
    refused = guard_template(Path(shown).with_suffix(".docx"), data)
    if refused:
        checker.report.diagnostics.extend(refused)
        return checker.report
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(label, etree.fromstring(zf.read(name), _SAFE_PARSER)) for name, label in docx_parts(zf)]
        checker.report.diagnostics.extend(unrendered_tags(zf, shown))
        props = docprops_spots(zf, Spot)
    for spot in props:
        for tag in find_tags(spot):
            checker.tag(tag)
    for label, root in parts:
        body = root.find(f"{W}body")
        revisions = [el for el in root.iter(f"{W}ins", f"{W}del") if "{" in "".join(el.itertext())]
        if revisions:
            checker.report.diagnostics.append(Diagnostic(
                "T409", f"{label or '正文'}中有 {len(revisions)} 处涉及标签的修订标记（修订模式下的增删）",
                Location(shown, anchor=f"{label}段落“{opening(''.join(revisions[0].itertext()))}”"),
                hint="在 Word/WPS 中“审阅 → 接受所有修订”并关闭修订模式后再保存。", severity="warning"))
        for spot in docx_spots(body if body is not None else root, label):
            for tag in find_tags(spot):
                runs = split_runs(spot, tag)
                if len(runs) > 1 and len({run_format(r) for r in runs}) > 1:
                    checker.add("T406", f"标签 {short(tag.raw)} 被拆成了 {len(runs)} 段不同格式的文字", tag,
                                hint="通常是只改了标签中几个字的字体/颜色造成的；运行 docgen template check --fix "
                                     "合并为一段（按标签第一个字的格式）。", severity="warning")
                if tag.prefix == "p" and spot.text.strip() != tag.raw.strip():
                    checker.add("T408", f"段落标签 {short(tag.raw)} 所在的段落还有其他文字，生成时整段会被删除", tag,
                                hint="{%p … %} 要单独占一个段落：在它前后按回车分段。", severity="warning")
                if not revisions and revision_in_tag(spot, tag):
                    checker.report.diagnostics.append(revision_warning(spot, tag, shown))
                checker.tag(tag)
            wide = re.search(r"[{｛][{｛%％]|[}｝%％][}｝]", spot.text)
            if wide and re.search(r"[｛｝％]", wide.group(0)):
                fake = Tag(spot, wide.start(), wide.end(), spot.text[max(0, wide.start() - 8):wide.end() + 12].strip())
                checker.add("T401", f"“{short(fake.raw)}”中的标签用了全角括号或全角 ％，不会被识别", fake,
                            hint="关闭中文输入法的全角模式，用半角重新输入 {{ }} 或 {% %}。")
            blanked = TAG_RE.sub(lambda m: " " * len(m.group(0)), spot.text)
            stray = re.search(r"\{\{|\{%|\}\}|%\}|(?<!\{)\{\s*[a-z_]+(\.[a-z_]+)+\s*\}(?!\})", blanked)
            if stray:
                start = max(0, stray.start() - 12)
                fake = Tag(spot, stray.start(), stray.end(), spot.text[start:stray.end() + 12].strip())
                checker.add("T401", f"“{short(fake.raw)}”中的标签括号不成对", fake,
                            hint="变量写作 {{ 变量 }}，语句写作 {% 语句 %}，两边的括号都要是两个、半角。")
    checker.finish()
    return checker.report


def check_docx(path: Path, context: dict[str, Any] | None) -> TemplateCheck:
    return check_docx_bytes(path.read_bytes(), display_path(path), context)



def check_xlsx(path: Path, context: dict[str, Any] | None) -> TemplateCheck:
    from openpyxl import load_workbook
    shown = display_path(path)
    checker = Checker(shown, context_shape(context) if context is not None else None)
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and ("{{" in cell.value or "{%" in cell.value):
                    spot = Spot(f"{ws.title}!{cell.coordinate}", cell.value, in_table=True)
                    spot.loc = Location(shown, sheet=ws.title, cell=cell.coordinate)
                    depth = len(checker.stack)
                    for tag in find_tags(spot):
                        checker.tag(tag)
                    # Each cell is rendered on its own: what opens in a cell closes in it, except the row loop.
                    lead = len(spot.text) - len(spot.text.lstrip())
                    while len(checker.stack) > depth:
                        top = checker.stack[-1][1]
                        if top.spot is spot and top.start == lead and _LOOP_RE.match(spot.text):
                            break
                        checker.unclosed(checker.stack.pop())
            # A row starting with {% for %} repeats that row; its {% endfor %} may be left out.
            while checker.stack and checker.stack[-1][0] == "for" and \
                    _row_of(checker.stack[-1][1]) == row[0].row and _LOOP_RE.match(checker.stack[-1][1].spot.text):
                checker.stack.pop()
    checker.finish()
    return checker.report


_LOOP_RE = re.compile(r"^\s*\{%-?\s*for\s+")


def _row_of(tag: Tag) -> int:
    loc = tag.spot.loc
    if loc is None or loc.cell is None:
        raise ValueError(f"spot {tag.spot.where} has no cell")  # only xlsx spots reach here, each with its cell
    return int(re.sub(r"[A-Z]+", "", loc.cell))



def check_template(path: Path, context: dict[str, Any] | None) -> TemplateCheck:
    refused = guard_template(path)
    if refused:
        return TemplateCheck(diagnostics=refused)
    if path.suffix.lower() == ".xlsx":
        return check_xlsx(path, context)
    return check_docx(path, context)
