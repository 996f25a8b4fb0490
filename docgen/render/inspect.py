"""Template introspection: find every problem of a Word/Excel template before rendering.

A template is read paragraph by paragraph (and table cell by table cell); the
text of each paragraph is rebuilt across its formatting runs, the Jinja tags in
it are found, and each tag is checked on its own, so one run reports every
problem at once, each named by where it is (heading, table cell, opening text).

Checks: Jinja syntax, variables the data does not have (walked against the
pydantic models), tags split across runs with different formatting, curly
quotes typed inside tags, ``{%tr for %}``/``{%p for %}`` without their end tag,
unbalanced if/for. :func:`fix_docx` repairs the safe ones (split runs, quotes).
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import typing
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes
from pydantic import BaseModel

from docgen.errors import Diagnostic, Location, display_path
from docgen.models.annotations import strip_optional
from docgen.render.env import make_env

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
CURLY = {"“": '"', "”": '"', "‘": "'", "’": "'", "„": '"', "‟": '"', "＂": '"', "＇": "'"}
# docxtpl prefixes: {%p %} paragraph, {%tr %} table row, {%tc %} table cell, {%r %} run; {{r x}} rich text.
PREFIX_RE = re.compile(r"^(\{%-?|\{\{-?)\s*(p|tr|tc|r)\s+")
BLOCKS = {"for": "endfor", "if": "endif", "with": "endwith", "macro": "endmacro", "call": "endcall",
          "filter": "endfilter", "block": "endblock", "raw": "endraw"}
MIDDLES = {"else": ("for", "if"), "elif": ("if",)}
SCOPE_NAMES = {"loop", "range", "dict", "lipsum", "cycler", "joiner", "namespace", "true", "false",
               "none", "True", "False", "None", "paras"}
LOOP_ATTRS = {"index", "index0", "first", "last", "length", "revindex", "revindex0", "cycle", "previtem",
              "nextitem", "depth", "depth0", "changed"}
PREFIX_TEXT = {"p": "段落", "tr": "表格行", "tc": "表格列", "r": "文字段", "": ""}

_ENV = make_env(autoescape=True)


# --------------------------------------------------------------------------- shapes of data

class Shape:
    """What a variable holds, so attribute paths can be checked without rendering."""

    title = ""

    def attr(self, name: str) -> "Shape | None":
        return ANY

    def element(self) -> "Shape":
        return ANY

    def fields(self) -> list[tuple[str, str, "Shape"]]:
        return []

    def describe(self) -> str:
        return ""


class AnyShape(Shape):
    pass


ANY = AnyShape()


class ScalarShape(Shape):
    def __init__(self, kind: str):
        self.kind = kind

    def attr(self, name: str) -> Shape | None:
        return ANY  # methods of str/date are allowed by the sandbox; not worth policing

    def describe(self) -> str:
        return self.kind


class ListShape(Shape):
    def __init__(self, elem: Shape):
        self.elem = elem

    def attr(self, name: str) -> Shape | None:
        return ANY

    def element(self) -> Shape:
        return self.elem

    def describe(self) -> str:
        return "列表"


class DictShape(Shape):
    def __init__(self, items: dict[str, tuple[str, Shape]]):
        self.items = items

    def attr(self, name: str) -> Shape | None:
        item = self.items.get(name)
        if item is not None:
            return item[1]
        if name in ("items", "keys", "values", "get"):
            return ANY
        return None

    def fields(self) -> list[tuple[str, str, Shape]]:
        return [(k, t, s) for k, (t, s) in self.items.items()]


class MapShape(Shape):
    """dict[str, X] from a model: any key may exist."""

    def __init__(self, value: Shape):
        self.value = value

    def attr(self, name: str) -> Shape | None:
        return self.value

    def describe(self) -> str:
        return "键值表"


class ModelShape(Shape):
    def __init__(self, cls: type[BaseModel]):
        self.cls = cls
        self.title = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    def attr(self, name: str) -> Shape | None:
        info = self.cls.model_fields.get(name)
        if info is not None:
            return shape_of_type(info.annotation)
        member = getattr(self.cls, name, None)
        if isinstance(member, property) and not name.startswith("_"):
            hint = typing.get_type_hints(member.fget).get("return") if member.fget else None
            return shape_of_type(hint) if hint is not None else ANY
        if callable(member) and not name.startswith("_") and name not in BaseModel.__dict__:
            return ANY
        return None

    def fields(self) -> list[tuple[str, str, Shape]]:
        out = [(name, info.title or "", shape_of_type(info.annotation))
               for name, info in self.cls.model_fields.items()]
        for name in dir(self.cls):
            member = getattr(self.cls, name, None)
            if isinstance(member, property) and not name.startswith("_") and name not in BaseModel.__dict__:
                hint = typing.get_type_hints(member.fget).get("return") if member.fget else None
                doc = (member.fget.__doc__ or "").strip().splitlines()[0] if member.fget.__doc__ else ""
                out.append((name, doc or "（计算得出）", shape_of_type(hint) if hint else ANY))
        return out


def shape_of_type(annotation: Any) -> Shape:
    annotation = strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set):
        args = typing.get_args(annotation)
        return ListShape(shape_of_type(args[0]) if args else ANY)
    if origin is dict:
        args = typing.get_args(annotation)
        return MapShape(shape_of_type(args[1]) if len(args) == 2 else ANY)
    if origin is typing.Literal:
        return ScalarShape("可选值：" + "/".join(str(a) for a in typing.get_args(annotation)))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return ModelShape(annotation)
        if issubclass(annotation, bool):
            return ScalarShape("是/否")
        if issubclass(annotation, (int, float)):
            return ScalarShape("数字")
        if issubclass(annotation, date):
            return ScalarShape("日期")
        if issubclass(annotation, str):
            return ScalarShape("文字")
    return ANY


# Titles of the context variables docgen builds (docgen/apply/context.py).
CONTEXT_TITLES = {
    "unit": "申报单位", "call": "申报通知", "app": "本份申报", "sub": "申报的子项目", "draft": "是否草稿",
    "applications": "本单位的各份申报（按排序）", "contact": "具体负责人",
    "app.model": "申报数据原文", "app.id": "申报文件名", "app.sub": "申报的子项目", "app.rank": "申报排序",
    "app.project_name": "申报项目名称", "app.contact": "具体负责人", "app.filled": "填表日期",
    "app.remark": "备注", "app.narrative": "叙述内容（按通知规定的各部分）", "app.mentors": "影子导师",
    "app.growth_cases": "计划成长案例数", "contact.name": "具体负责人", "contact.phone": "联系电话",
}
APP_TYPES = {"mentors": "list[Mentor]"}


def shape_of_value(value: Any, path: str = "") -> Shape:
    """Return the shape of a context value; models are described by their class, not by the sample."""
    if isinstance(value, BaseModel):
        return ModelShape(type(value))
    if isinstance(value, dict):
        return DictShape({str(k): (CONTEXT_TITLES.get(f"{path}.{k}" if path else str(k), ""),
                                   _shape_of_item(v, f"{path}.{k}" if path else str(k)))
                          for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return ListShape(shape_of_value(value[0], path) if value else ANY)
    if isinstance(value, bool):
        return ScalarShape("是/否")
    if isinstance(value, (int, float)):
        return ScalarShape("数字")
    if isinstance(value, date):
        return ScalarShape("日期")
    if isinstance(value, str):
        return ScalarShape("文字")
    return ANY


def context_shape(context: dict[str, Any]) -> DictShape:
    """The shape of a whole context; narrative parts get their titles from the call (三、目标定位…)."""
    shape = shape_of_value(context)
    call = context.get("call")
    app = shape.items.get("app")
    spec = getattr(getattr(call, "application", None), "narrative", None)
    if spec and app is not None and isinstance(app[1], DictShape) and "narrative" in app[1].items:
        titles = {f.key: f.title for f in spec}
        narrative = app[1].items["narrative"]
        if isinstance(narrative[1], DictShape):
            for key, (_, sub) in list(narrative[1].items.items()):
                narrative[1].items[key] = (titles.get(key, ""), sub)
    return shape


def _shape_of_item(value: Any, path: str) -> Shape:
    if path == "app.mentors":
        from docgen.models.application import Mentor
        return ListShape(ModelShape(Mentor))
    if path == "app.contact":
        from docgen.models.application import ContactPerson
        return ModelShape(ContactPerson)
    if path == "applications":
        return ListShape(shape_of_value(value[0], "app") if value else ANY)
    if path == "app.narrative":
        return DictShape({k: ("", ScalarShape("文字")) for k in value}) if isinstance(value, dict) else ANY
    return shape_of_value(value, path)


# --------------------------------------------------------------------------- spots and tags

@dataclass
class Spot:
    """One paragraph (docx) or cell (xlsx) holding tags, with its place in human words."""

    where: str
    text: str
    pieces: list = field(default_factory=list)  # docx: [(w:t element, start offset in text)]
    in_table: bool = False
    paragraph: Any = None
    table: Any = None  # the w:tbl element of the innermost table holding the paragraph


@dataclass
class Tag:
    spot: Spot
    start: int
    end: int
    raw: str  # as typed

    @property
    def prefix(self) -> str:
        m = PREFIX_RE.match(self.raw)
        return m.group(2) if m else ""

    @property
    def body(self) -> str:
        """The Jinja tag without docxtpl's p/tr/tc/r prefix, curly quotes left as typed."""
        m = PREFIX_RE.match(self.raw)
        if m:
            return m.group(1) + " " + self.raw[m.end():]
        return self.raw


def _opening(text: str, n: int = 16) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text[:n] + ("…" if len(text) > n else "")


def _run_texts(p) -> list[tuple[Any, int]]:
    pieces, pos = [], 0
    for t in p.iter(f"{W}t"):
        pieces.append((t, pos))
        pos += len(t.text or "")
    return pieces


def docx_spots(xml_root, part_name: str = "") -> list[Spot]:
    """Every paragraph of a part in document order, named by heading, table/row/cell or opening text."""
    spots: list[Spot] = []
    state = {"heading": "", "table": 0}

    def heading_of(p) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        name = style.get(f"{W}val") if style is not None else ""
        text = "".join(t.text or "" for t in p.iter(f"{W}t")).strip()
        if name and re.match(r"(?i)(heading|title|标题|[1-9]$)", name):
            return text
        # WPS/Word documents often format headings by hand: 一、… / （二）… / 第三部分 …
        if p.find(f"{W}pPr/{W}outlineLvl") is not None or (
                len(text) <= 30 and "{" not in text
                and re.match(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十]+[章节部分])", text)):
            return text
        return None

    def para(p, where_prefix: str | None, in_table: bool):
        pieces = _run_texts(p)
        text = "".join(t.text or "" for t, _ in pieces)
        h = heading_of(p) if not in_table else None
        if h:
            state["heading"] = h
        if where_prefix is not None:
            where = where_prefix
        else:
            head = f"“{state['heading']}”下" if state["heading"] else ""
            where = f"{part_name}{head}段落“{_opening(text)}”"
        tbl = next((a for a in p.iterancestors(f"{W}tbl")), None)
        spots.append(Spot(where, text, pieces, in_table, p, tbl))

    def walk(el, where_prefix: str | None, in_table: bool):
        for child in el:
            if child.tag == f"{W}p":
                para(child, where_prefix, in_table)
            elif child.tag == f"{W}tbl":
                if where_prefix is None:
                    state["table"] += 1
                    head = f"“{state['heading']}”下" if state["heading"] else ""
                    label = f"{part_name}{head}表格{state['table']}"
                else:
                    label = f"{where_prefix}内嵌表格"
                for r, tr in enumerate(child.findall(f"{W}tr"), 1):
                    for c, tc in enumerate(tr.findall(f"{W}tc"), 1):
                        walk(tc, f"{label}第{r}行第{c}列", True)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
                walk(child, where_prefix, in_table)
    walk(xml_root, None, False)
    return spots


def find_tags(spot: Spot) -> list[Tag]:
    return [Tag(spot, m.start(), m.end(), m.group(0)) for m in TAG_RE.finditer(spot.text)]


# --------------------------------------------------------------------------- the checks

@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    used: dict[str, str] = field(default_factory=dict)  # variable path → first place used

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


class Checker:
    def __init__(self, shown: str, context_shape: DictShape | None):
        self.shown = shown
        self.shape = context_shape
        self.report = Report()
        self.stack: list[tuple[str, Tag, dict[str, Shape]]] = []  # (keyword, tag, bound names)
        self.alias: dict[str, str] = {}  # loop variable → the list it walks, for `template vars`

    def loc(self, spot: Spot, sheet: str | None = None, cell: str | None = None) -> Location:
        if sheet is not None:
            return Location(self.shown, sheet=sheet, cell=cell)
        return Location(self.shown, anchor=spot.where)

    def add(self, code: str, message: str, tag: Tag, hint: str | None = None, severity: str = "error",
            loc: Location | None = None) -> None:
        self.report.diagnostics.append(Diagnostic(code, message, loc or getattr(tag.spot, "loc", None)
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
        # A row loop ends in its own table: reaching another table (or the body) with it open means its end is missing.
        while self.stack and self.stack[-1][1].prefix == "tr" and self.stack[-1][1].spot.table is not None \
                and self.stack[-1][1].spot.table is not tag.spot.table:
            self.unclosed(self.stack.pop())
        curly = [c for c in raw if c in CURLY]
        if curly:
            self.add("T405", f"标签 {_short(raw)} 中有中文（弯）引号 {''.join(dict.fromkeys(curly))}", tag,
                     hint="标签里的引号必须是英文直引号 \" 或 '；运行 docgen template check --fix 自动改正。")
            raw_body = "".join(CURLY.get(c, c) for c in tag.body)
        else:
            raw_body = tag.body
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
            self.add("T407", f"表格行标签 {_short(raw)} 不在表格中", tag,
                     hint="{%tr … %} 只能写在表格的某一行里；段落循环请用 {%p for … %}。")
        if keyword in BLOCKS:
            src = "{% " + inner + " %}" + ("x" if keyword != "raw" else "") + "{% " + BLOCKS[keyword] + " %}"
            stmt = self.parse_stmt(src, tag)
            bound: dict[str, Shape] = {}
            if isinstance(stmt, nodes.For):
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
            return
        if keyword.startswith("end") and keyword[3:] in BLOCKS:
            opener = keyword[3:]
            if inner != keyword:
                self.parse_stmt("{% if 1 %}{% " + inner.replace(keyword, "endif", 1) + " %}", tag)
            if not self.stack or self.stack[-1][0] != opener:
                open_names = "、".join(_short(t.raw) for _, t, _ in self.stack[-1:])
                self.add("T404", f"{_short(raw)} 没有对应的开始标签"
                         + (f"（此处仍未结束的是 {open_names}）" if open_names else ""), tag,
                         hint=f"删除多余的 {_short(raw)}，或补上 {{% {opener} … %}}。")
                if self.stack and any(k == opener for k, _, _ in self.stack):
                    while self.stack and self.stack[-1][0] != opener:
                        self.unclosed(self.stack.pop())
                    self.stack.pop()
                return
            _, open_tag, _ = self.stack.pop()
            if "tr" in (open_tag.prefix, prefix) and open_tag.spot.table is not tag.spot.table:
                self.add("T404", f"表格行循环 {_short(open_tag.raw)} 与 {_short(raw)} 不在同一个表格中", tag,
                         hint="行循环的开始行和结束行必须在同一个表格里；检查是否复制或删除了表格行。")
            if open_tag.prefix != prefix and (open_tag.prefix in ("p", "tr", "tc") or prefix in ("p", "tr", "tc")):
                self.add("T404", f"{_short(open_tag.raw)} 以 {_short(raw)} 结束，两者类型不同", tag,
                         hint=f"{PREFIX_TEXT[open_tag.prefix] or '普通'}循环应以 "
                              f"{{%{open_tag.prefix} {keyword} %}} 结束。".replace("{% ", "{%"))
            return
        if keyword in MIDDLES:
            if not self.stack or self.stack[-1][0] not in MIDDLES[keyword]:
                self.add("T404", f"{_short(raw)} 不在 if/for 之内", tag, hint="检查它前面的 {% if … %} 是否被删掉。")
                return
            if keyword == "elif":
                stmt = self.parse_stmt("{% if 1 %}{% " + inner + " %}{% endif %}", tag)
                if isinstance(stmt, nodes.If) and stmt.elif_:
                    self.check_names(stmt.elif_[0].test, tag)
            return
        if keyword == "set":
            stmt = self.parse_stmt("{% " + inner + " %}", tag)
            if isinstance(stmt, nodes.Assign):
                self.check_names(stmt.node, tag)
                if self.stack:
                    for n in _names(stmt.target):
                        self.stack[-1][2][n.name] = ANY
                elif self.shape is not None:
                    for n in _names(stmt.target):
                        self.shape.items.setdefault(n.name, ("模板中 set 定义", ANY))
            return
        self.parse_stmt("{% " + inner + " %}", tag)

    def unclosed(self, entry) -> None:
        keyword, tag, _ = entry
        end = "{%" + (tag.prefix + " " if tag.prefix else " ") + BLOCKS[keyword] + " %}"
        kind = PREFIX_TEXT[tag.prefix] + ("循环" if keyword == "for" else "条件" if keyword == "if" else keyword)
        self.add("T404", f"{kind} {_short(tag.raw)} 缺少结束标签 {end}", tag,
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
        self.add("T401", f"标签 {_short(tag.raw)} 语法错误：{_cn_syntax(exc.message or '')}", tag,
                 hint="检查括号、引号是否成对，变量名与过滤器之间用 |，不要混入中文标点。")

    # -- names
    def check_names(self, node, tag: Tag, extra: dict[str, Shape] | None = None) -> Shape | None:
        """Check every variable path in *node*; return the shape of *node* itself when it is a path."""
        result = None
        filters = [node] if isinstance(node, nodes.Filter) else []
        for f in filters + list(node.find_all(nodes.Filter)):
            if f.name not in _ENV.filters:
                close = difflib.get_close_matches(f.name, list(_ENV.filters), 1)
                self.add("T401", f"没有名为“{f.name}”的过滤器（标签 {_short(tag.raw)}）", tag,
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


def _short(raw: str, n: int = 40) -> str:
    raw = re.sub(r"\s+", " ", raw)
    return raw if len(raw) <= n else raw[:n - 3] + "…" + raw[-2:]


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


def _split_runs(spot: Spot, tag: Tag) -> list:
    """Return the distinct w:r elements holding a tag's characters."""
    runs = []
    for t, start in spot.pieces:
        length = len(t.text or "")
        if start < tag.end and start + length > tag.start and length:
            run = t.getparent()
            if run not in runs:
                runs.append(run)
    return runs


def _rpr(run) -> bytes:
    from lxml import etree
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return b""
    rpr = copy.deepcopy(rpr)
    for noise in ("lang", "noProof", "rtl"):  # language marks do not change how text looks
        for el in rpr.findall(f"{W}{noise}"):
            rpr.remove(el)
    for fonts in rpr.findall(f"{W}rFonts"):  # w:hint="eastAsia" is an IME mark, not a font
        fonts.attrib.pop(f"{W}hint", None)
        if not fonts.attrib:
            rpr.remove(fonts)
    return etree.tostring(rpr, method="c14n")


# --------------------------------------------------------------------------- docx entry points

def _docx_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    names = zf.namelist()
    parts = [("word/document.xml", "")]
    for n in sorted(names):
        if re.fullmatch(r"word/header\d*\.xml", n):
            parts.append((n, "页眉"))
        elif re.fullmatch(r"word/footer\d*\.xml", n):
            parts.append((n, "页脚"))
    return [(n, label) for n, label in parts if n in names]


def check_docx_bytes(data: bytes, shown: str, context: dict[str, Any] | None) -> Report:
    from lxml import etree
    checker = Checker(shown, context_shape(context) if context is not None else None)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(label, etree.fromstring(zf.read(name))) for name, label in _docx_parts(zf)]
    for label, root in parts:
        body = root.find(f"{W}body")
        revisions = [el for el in root.iter(f"{W}ins", f"{W}del") if "{" in "".join(el.itertext())]
        if revisions:
            checker.report.diagnostics.append(Diagnostic(
                "T409", f"{label or '正文'}中有 {len(revisions)} 处涉及标签的修订标记（修订模式下的增删）",
                Location(shown, anchor=f"{label}段落“{_opening(''.join(revisions[0].itertext()))}”"),
                hint="在 Word/WPS 中“审阅 → 接受所有修订”并关闭修订模式后再保存。", severity="warning"))
        for spot in docx_spots(body if body is not None else root, label):
            for tag in find_tags(spot):
                runs = _split_runs(spot, tag)
                if len(runs) > 1 and len({_rpr(r) for r in runs}) > 1:
                    checker.add("T406", f"标签 {_short(tag.raw)} 被拆成了 {len(runs)} 段不同格式的文字", tag,
                                hint="通常是只改了标签中几个字的字体/颜色造成的；运行 docgen template check --fix "
                                     "合并为一段（按标签第一个字的格式）。", severity="warning")
                if tag.prefix == "p" and spot.text.strip() != tag.raw.strip():
                    checker.add("T408", f"段落标签 {_short(tag.raw)} 所在的段落还有其他文字，生成时整段会被删除", tag,
                                hint="{%p … %} 要单独占一个段落：在它前后按回车分段。", severity="warning")
                checker.tag(tag)
            wide = re.search(r"[{｛][{｛%％]|[}｝%％][}｝]", spot.text)
            if wide and re.search(r"[｛｝％]", wide.group(0)):
                fake = Tag(spot, wide.start(), wide.end(), spot.text[max(0, wide.start() - 8):wide.end() + 12].strip())
                checker.add("T401", f"“{_short(fake.raw)}”中的标签用了全角括号或全角 ％，不会被识别", fake,
                            hint="关闭中文输入法的全角模式，用半角重新输入 {{ }} 或 {% %}。")
            blanked = TAG_RE.sub(lambda m: " " * len(m.group(0)), spot.text)
            stray = re.search(r"\{\{|\{%|\}\}|%\}|(?<!\{)\{\s*[a-z_]+(\.[a-z_]+)+\s*\}(?!\})", blanked)
            if stray:
                start = max(0, stray.start() - 12)
                fake = Tag(spot, stray.start(), stray.end(), spot.text[start:stray.end() + 12].strip())
                checker.add("T401", f"“{_short(fake.raw)}”中的标签括号不成对", fake,
                            hint="变量写作 {{ 变量 }}，语句写作 {% 语句 %}，两边的括号都要是两个、半角。")
    checker.finish()
    return checker.report


def check_docx(path: Path, context: dict[str, Any] | None) -> Report:
    return check_docx_bytes(path.read_bytes(), display_path(path), context)


@dataclass
class Fix:
    where: str
    what: str


def fix_docx_bytes(data: bytes) -> tuple[bytes, list[Fix]]:
    """Merge runs that split a tag into the first run's formatting; straighten quotes inside tags."""
    from lxml import etree
    fixes: list[Fix] = []
    zin = zipfile.ZipFile(io.BytesIO(data))
    changed: dict[str, bytes] = {}
    for name, label in _docx_parts(zin):
        root = etree.fromstring(zin.read(name))
        body = root.find(f"{W}body")
        dirty = False
        for spot in docx_spots(body if body is not None else root, label):
            for _ in range(200):  # each pass repairs one tag; re-read the paragraph after it
                tags = find_tags(spot)
                target = next((t for t in tags if len(_split_runs(spot, t)) > 1
                               and len({_rpr(r) for r in _split_runs(spot, t)}) > 1), None)
                if target is None:
                    break
                _merge(spot, target)
                fixes.append(Fix(spot.where, f"把拆开的标签 {_short(target.raw)} 合并为一段（用第一个字的格式）"))
                dirty = True
                spot.pieces = _run_texts(spot.paragraph)
                spot.text = "".join(t.text or "" for t, _ in spot.pieces)
            for tag in find_tags(spot):
                if any(c in CURLY for c in tag.raw):
                    for t, start in spot.pieces:
                        text = t.text or ""
                        lo, hi = max(tag.start - start, 0), min(tag.end - start, len(text))
                        if lo < hi:
                            t.text = text[:lo] + "".join(CURLY.get(c, c) for c in text[lo:hi]) + text[hi:]
                    fixes.append(Fix(spot.where, f"把标签 {_short(tag.raw)} 中的中文引号改为英文直引号"))
                    dirty = True
        if dirty:
            changed[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not changed:
        return data, []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, changed.get(info.filename, zin.read(info.filename)))
    return out.getvalue(), fixes


def _merge(spot: Spot, tag: Tag) -> None:
    """Move the characters of *tag* into the w:t where it starts; drop runs left empty."""
    touched = [(t, start) for t, start in spot.pieces
               if start < tag.end and start + len(t.text or "") > tag.start and (t.text or "")]
    first_t, first_start = touched[0]
    first_t.text = (first_t.text or "")[:tag.start - first_start] + tag.raw
    first_t.set(XML_SPACE, "preserve")
    for t, start in touched[1:]:
        t.text = (t.text or "")[max(tag.end - start, 0):]
        t.set(XML_SPACE, "preserve")
        run = t.getparent()
        if run is first_t.getparent():
            continue
        if all(child.tag == f"{W}rPr" or (child.tag == f"{W}t" and not child.text) for child in run):
            parent = run.getparent()
            if parent is not None:
                parent.remove(run)


# --------------------------------------------------------------------------- xlsx

def check_xlsx(path: Path, context: dict[str, Any] | None) -> Report:
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
    return int(re.sub(r"[A-Z]+", "", tag.spot.loc.cell))


def fix_xlsx(path: Path) -> tuple[bytes, list[Fix]]:
    from openpyxl import load_workbook
    wb = load_workbook(path)
    fixes: list[Fix] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(c in CURLY for c in cell.value):
                    new = TAG_RE.sub(lambda m: "".join(CURLY.get(c, c) for c in m.group(0)), cell.value)
                    if new != cell.value:
                        fixes.append(Fix(f"{ws.title}!{cell.coordinate}", "把标签中的中文引号改为英文直引号"))
                        cell.value = new
    buf = io.BytesIO()
    wb.save(buf)
    from docgen.outputs.zipnorm import normalize_zip  # shared strings, as Excel writes them
    return normalize_zip(buf.getvalue()), fixes


def check_template(path: Path, context: dict[str, Any] | None) -> Report:
    if path.suffix.lower() == ".xlsx":
        return check_xlsx(path, context)
    return check_docx(path, context)


# --------------------------------------------------------------------------- listing fields

def offered_fields(context: dict[str, Any], depth: int = 4) -> list[tuple[str, str, str]]:
    """Return (path, Chinese title, kind) for every field a template can use, walking the models."""
    out: list[tuple[str, str, str]] = []

    def walk(prefix: str, shape: Shape, level: int, seen: tuple):
        for name, title, sub in shape.fields():
            path = f"{prefix}.{name}" if prefix else name
            if isinstance(sub, ListShape):
                out.append((path, title, "列表：用 {%tr for x in " + path + " %} 逐行列出"))
                if level < depth and not isinstance(sub.elem, AnyShape):
                    walk(f"{path}[]", sub.elem, level + 1, seen)
            elif isinstance(sub, (ModelShape, DictShape)):
                key = getattr(sub, "cls", None)
                out.append((path, title, "一组字段"))
                if level < depth and (key is None or key not in seen):
                    walk(path, sub, level + 1, seen + ((key,) if key else ()))
            else:
                out.append((path, title, sub.describe() if isinstance(sub, (ScalarShape, MapShape)) else ""))

    walk("", context_shape(context), 0, ())
    return out
