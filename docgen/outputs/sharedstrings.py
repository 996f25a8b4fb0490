"""Move a workbook's inline strings into a shared-string table, as Excel itself writes them.

openpyxl 3.1 writes every text cell as ``t="inlineStr"``; Excel and WPS read that, but rewrite
each one into ``xl/sharedStrings.xml`` on first save, so an untouched file "changes" and asks to
be saved. This pass writes the table once (ECMA-376 Part 1, §18.4 Shared String Table) with the
strings in order of first use, sheet by sheet, so the same workbook gives the same bytes.
"""

from __future__ import annotations

from lxml import etree

X = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
PART = "xl/sharedStrings.xml"


def _sheet_parts(parts: dict[str, bytes]) -> list[str]:
    """Return the worksheet part names in the workbook's sheet order."""
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = {r.get("Id"): r.get("Target") for r in rels}
    book = etree.fromstring(parts["xl/workbook.xml"])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    out = []
    for sheet in book.iter(f"{{{X}}}sheet"):
        t = target.get(sheet.get(rid), "")
        name = t.lstrip("/") if t.startswith("/") else "xl/" + t
        if name in parts:
            out.append(name)
    return out


def share_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Return *parts* (zip member → bytes) with inline strings moved to a shared-string table.

    A workbook that already has a table, or has no inline string, is returned unchanged.
    """
    if "xl/workbook.xml" not in parts or PART in parts or "xl/_rels/workbook.xml.rels" not in parts:
        return parts
    index: dict[bytes, int] = {}
    table = etree.Element(f"{{{X}}}sst", nsmap={None: X})
    used = 0
    out = dict(parts)
    for name in _sheet_parts(parts):
        if b"inlineStr" not in parts[name]:
            continue
        root = etree.fromstring(parts[name])
        for cell in root.iter(f"{{{X}}}c"):
            if cell.get("t") != "inlineStr":
                continue
            inline = cell.find(f"{{{X}}}is")
            if inline is None:  # an empty text cell: no value at all
                del cell.attrib["t"]
                continue
            key = b"".join(etree.tostring(child, method="c14n") for child in inline)
            if key not in index:
                index[key] = len(index)
                si = etree.SubElement(table, f"{{{X}}}si")
                for child in inline:
                    si.append(etree.fromstring(etree.tostring(child)))
            used += 1
            cell.remove(inline)
            cell.set("t", "s")
            v = etree.Element(f"{{{X}}}v")
            v.text = str(index[key])
            formula = cell.find(f"{{{X}}}f")
            if formula is not None:  # CT_Cell: f, v, is, extLst
                formula.addnext(v)
            else:
                cell.insert(0, v)
        out[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not used:
        return out
    table.set("count", str(used))
    table.set("uniqueCount", str(len(index)))
    out[PART] = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = etree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(rels, f"{{{REL}}}Relationship", Id=f"rId{n}", Type=SST_REL, Target="sharedStrings.xml")
    out["xl/_rels/workbook.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                       standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + PART, ContentType=SST_TYPE)
    out["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out
