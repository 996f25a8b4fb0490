"""Put WordprocessingML/SpreadsheetML elements where the schema wants them, and find those that are not.

The content models come from ECMA-376 Part 1 (transitional), Annex A (wml.xsd, sml.xsd), kept in
``ooxml_schema``: e.g. complexType CT_Lvl (§17.9.6 lvl) is start, numFmt, lvlRestart, pStyle,
isLgl, suff, lvlText, lvlPicBulletId, legacy, lvlJc, pPr, rPr; complexType CT_TcPr (tcPr) is
cnfStyle, tcW, gridSpan, hMerge, vMerge, tcBorders, shd, noWrap, tcMar, textDirection,
tcFitText, vAlign, hideMark, …. Word answers an element out of that order with a repair prompt
or drops it; LibreOffice does not complain, so tests check with :func:`schema_problems`.

Use :func:`insert_in_order` instead of a bare ``append`` into a properties element when
python-docx's own ``get_or_add_…``/``_insert_…`` helpers do not cover the element.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from lxml import etree

from docgen.render.ooxml_schema import COMPLEX
from docgen.render.ooxml_schema import SIMPLE as _SIMPLE_TABLE

# The generated table mixes kinds: ("enum", str), ("pattern", str, str), ("base", str, dict[str, str]),
# ("union", str, …), ("list", str); value_ok dispatches on the first item, so the rest is typed per kind there.
SIMPLE: dict[str, tuple[Any, ...]] = _SIMPLE_TABLE

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"w": W, "x": X}

# part root element → its complex type
ROOTS = {
    (W, "document"): "w:CT_Document", (W, "numbering"): "w:CT_Numbering", (W, "styles"): "w:CT_Styles",
    (W, "hdr"): "w:CT_HdrFtr", (W, "ftr"): "w:CT_HdrFtr", (W, "footnotes"): "w:CT_Footnotes",
    (W, "endnotes"): "w:CT_Footnotes",
    (X, "worksheet"): "x:CT_Worksheet", (X, "sst"): "x:CT_Sst", (X, "styleSheet"): "x:CT_Stylesheet",
    (X, "workbook"): "x:CT_Workbook",
}

# a properties element docgen edits → its type, when the parent does not tell (see _type_of)
BY_TAG = {
    "pPr": "w:CT_PPr", "rPr": "w:CT_RPr", "tblPr": "w:CT_TblPr", "trPr": "w:CT_TrPr", "tcPr": "w:CT_TcPr",
    "sectPr": "w:CT_SectPr", "lvl": "w:CT_Lvl", "abstractNum": "w:CT_AbstractNum", "num": "w:CT_Num",
    "numbering": "w:CT_Numbering", "styles": "w:CT_Styles", "style": "w:CT_Style", "numPr": "w:CT_NumPr",
    "tblBorders": "w:CT_TblBorders", "tcBorders": "w:CT_TcBorders", "pBdr": "w:CT_PBdr",
    "r": "w:CT_R", "p": "w:CT_P", "tc": "w:CT_Tc", "tr": "w:CT_Row", "tbl": "w:CT_Tbl",
    "footnote": "w:CT_FtnEdn", "body": "w:CT_Body", "docDefaults": "w:CT_DocDefaults",
}


@cache
def model(type_name: str) -> tuple[dict[str, int], dict[str, str], dict[str, str], frozenset[str]]:
    """Return (slot of each child name, type of each child name, type of each attribute, names that may repeat)."""
    slots, attrs = COMPLEX[type_name]
    rank: dict[str, int] = {}
    types: dict[str, str] = {}
    many: set[str] = set()
    for i, slot in enumerate(slots.split()):
        for entry in slot.split("|"):
            name, _, typ = entry.partition("=")
            if name.endswith("*"):
                name = name[:-1]
                many.add(name)
            rank.setdefault(name, i)
            if typ:
                types.setdefault(name, typ)
    return rank, types, attrs, frozenset(many)


def _ns_of(type_name: str) -> str:
    return W if type_name.startswith("w:") else X


def _type_of(el) -> str | None:
    """Return the complex type of *el* from its parent's content model, else from its tag."""
    q = etree.QName(el)
    if el.getparent() is None:
        return ROOTS.get((q.namespace, q.localname))
    parent_type = _type_of(el.getparent()) if el.getparent() is not None else None
    if parent_type and q.namespace == _ns_of(parent_type):
        typ = model(parent_type)[1].get(q.localname)
        if typ in COMPLEX:
            return typ
    return BY_TAG.get(q.localname) if q.namespace == W else None


def insert_in_order(parent, child, type_name: str | None = None):
    """Insert *child* into *parent* before the first existing child the schema puts after it; return *child*.

    *type_name* is the parent's complex type (e.g. "w:CT_TcPr"); by default it is found from the
    parent's own parent, or its tag. A child the schema does not know is appended.
    """
    type_name = type_name or _type_of(parent)
    rank = model(type_name)[0] if type_name else {}
    mine = rank.get(etree.QName(child).localname)
    if mine is not None and type_name:
        ns = _ns_of(type_name)
        for existing in parent:
            if not isinstance(existing.tag, str):
                continue
            q = etree.QName(existing)
            theirs = rank.get(q.localname) if q.namespace == ns else None
            if theirs is not None and theirs > mine:
                existing.addprevious(child)
                return child
    parent.append(child)
    return child


# -- checking ----------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_UINT = re.compile(r"\+?\d+")
_HEX = re.compile(r"(?:[0-9A-Fa-f]{2})*")
_RANGES = {
    "xsd:int": (-2**31, 2**31 - 1), "xsd:unsignedInt": (0, 2**32 - 1), "xsd:long": (-2**63, 2**63 - 1),
    "xsd:unsignedLong": (0, 2**64 - 1), "xsd:short": (-2**15, 2**15 - 1), "xsd:unsignedShort": (0, 2**16 - 1),
    "xsd:byte": (-128, 127), "xsd:unsignedByte": (0, 255), "xsd:integer": (None, None),
}


def value_ok(type_name: str, value: str) -> bool:
    """Return whether *value* is a lexical value of the simple type *type_name*."""
    if type_name in _RANGES:
        if not (_UINT if type_name.startswith("xsd:unsigned") else _INT).fullmatch(value):
            return False
        lo, hi = _RANGES[type_name]
        return (lo is None or int(value) >= lo) and (hi is None or int(value) <= hi)
    if type_name == "xsd:boolean":
        return value in ("true", "false", "1", "0")
    if type_name == "xsd:hexBinary":
        return bool(_HEX.fullmatch(value))
    if type_name in ("xsd:double", "xsd:decimal", "xsd:float"):
        try:
            float(value)
        except ValueError:
            return False
        return True
    spec = SIMPLE.get(type_name)
    if spec is None:  # xsd:string, xsd:token, xsd:dateTime, … and types outside the table: any text
        return True
    kind = spec[0]
    if kind == "enum":
        return value in spec[1].split()
    if kind == "union":
        return any(value_ok(m, value) for m in spec[1:])
    if kind == "list":
        return all(value_ok(spec[1], v) for v in value.split())
    if kind == "pattern":
        return bool(re.fullmatch(spec[1], value)) and value_ok(spec[2], value)
    if kind == "base":
        base, facets = spec[1], spec[2]
        if not value_ok(base, value):
            return False
        if "length" in facets:
            size = len(value) // 2 if base == "xsd:hexBinary" else len(value)
            if size != int(facets["length"]):
                return False
        if "maxLength" in facets and len(value) > int(facets["maxLength"]):
            return False
        for facet, test in (("minInclusive", lambda v, f: v >= f), ("maxInclusive", lambda v, f: v <= f),
                            ("minExclusive", lambda v, f: v > f), ("maxExclusive", lambda v, f: v < f)):
            if facet in facets and not test(float(value), float(facets[facet])):
                return False
        return True
    return True


def _path(el) -> str:
    steps = []
    while el is not None:
        q = etree.QName(el)
        prefix = "w:" if q.namespace == W else ""
        parent = el.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == el.tag]
            steps.append(f"{prefix}{q.localname}[{same.index(el) + 1}]" if len(same) > 1 else f"{prefix}{q.localname}")
        else:
            steps.append(f"{prefix}{q.localname}")
        el = parent
    return "/" + "/".join(reversed(steps))


def schema_problems(root) -> list[str]:
    """Return one line per element out of its schema order, unknown child, or attribute value not of its type.

    Children and attributes in other namespaces (w14, mc, r, …) are left alone: the schema's
    extension points admit them. An empty list means the part follows the content models.
    """
    q = etree.QName(root)
    top = ROOTS.get((q.namespace, q.localname))
    out: list[str] = []
    if top is None:
        return out
    stack = [(root, top)]
    while stack:
        el, typ = stack.pop()
        rank, types, attrs, many = model(typ)
        ns = _ns_of(typ)
        attr_ns = W if ns == W else None
        for key, value in el.attrib.items():
            aq = etree.QName(key)
            if aq.namespace != attr_ns:
                continue
            st = attrs.get(aq.localname)
            if st is None:
                out.append(f"{_path(el)}: 属性 {aq.localname} 不在 {typ} 中")
            elif not value_ok(st, value):
                out.append(f"{_path(el)}: 属性 {aq.localname}=\"{value}\" 不是 {st}")
        last, last_name, seen = -1, None, set()
        for child in el:
            if not isinstance(child.tag, str):
                continue
            cq = etree.QName(child)
            if cq.namespace != ns:
                continue
            mine = rank.get(cq.localname)
            if mine is None:
                out.append(f"{_path(child)}: {typ} 中没有元素 {cq.localname}")
                continue
            if cq.localname in seen and cq.localname not in many:
                out.append(f"{_path(child)}: {cq.localname} 重复（{typ} 中只能有一个）")
            seen.add(cq.localname)
            if mine < last:
                out.append(f"{_path(child)}: {cq.localname} 应在 {last_name} 之前（{typ} 的顺序）")
            else:
                last, last_name = mine, cq.localname
            child_type = types.get(cq.localname)
            if child_type in COMPLEX:
                stack.append((child, child_type))
    return out


def put_in_order(root) -> int:
    """Move the children of every element under *root* into schema order; return how many moved or went.

    The sort is stable, and a child the schema does not know (another namespace) stays behind
    the known element before it. A second copy of an element that may come only once is dropped
    when it equals the first; a differing copy is kept for a person to look at.
    """
    q = etree.QName(root)
    top = ROOTS.get((q.namespace, q.localname))
    changed = 0
    if top is None:
        return changed
    stack = [(root, top)]
    while stack:
        el, typ = stack.pop()
        rank, types, _, many = model(typ)
        ns = _ns_of(typ)
        keyed: list[tuple[int, etree._Element]] = []
        key = -1
        first: dict[str, etree._Element] = {}
        for child in list(el):
            name = etree.QName(child).localname if isinstance(child.tag, str) else None
            if name is not None and etree.QName(child).namespace == ns and name in rank:
                if name not in many:
                    if name in first and etree.tostring(first[name]) == etree.tostring(child):
                        el.remove(child)
                        changed += 1
                        continue
                    first.setdefault(name, child)
                key = rank[name]
                if types.get(name) in COMPLEX:
                    stack.append((child, types[name]))
            keyed.append((key, child))
        ordered = [c for _, c in sorted(keyed, key=lambda kc: kc[0])]
        if ordered != [c for _, c in keyed]:
            changed += sum(1 for a, (_, b) in zip(ordered, keyed) if a is not b)
            for child in ordered:
                el.append(child)
    return changed


def place_cell_merges(root) -> None:
    """Move every w:gridSpan and w:vMerge under *root* to its place in its w:tcPr.

    docxtpl's ``{% vm %}`` and ``{% hm %}`` write them just before ``</w:tcPr>``, i.e. after
    w:vAlign, where CT_TcPr has them before w:tcBorders.
    """
    for tc_pr in root.iter(f"{{{W}}}tcPr"):
        for name in ("gridSpan", "vMerge"):
            el = tc_pr.find(f"{{{W}}}{name}")
            if el is not None:
                tc_pr.remove(el)
                insert_in_order(tc_pr, el, "w:CT_TcPr")
