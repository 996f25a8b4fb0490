"""Render a Word template with docxtpl, in the sandboxed, autoescaping environment."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.outputs.zipnorm import normalize_zip, zip_members
from docgen.render.env import make_env
from docgen.render.inspect import check_docx_bytes, fix_docx_bytes
from docgen.render.markdown import Footnotes, flush_footnotes
from docgen.render.ooxml_order import place_cell_merges
from docgen.render.richtext import bind_rich, has_rich

FIXED_DATETIME = datetime(2000, 1, 1)
_ENV = make_env(autoescape=True)
_CACHE_LIMIT = 64


class _Template(DocxTemplate):
    """docxtpl's template, preprocessing each part's XML once per build instead of once per document.

    ``patch_xml`` (a chain of regular expressions over the whole part) depends on the XML text
    alone; a build renders the same template for every applicant.
    """

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml: str) -> str:
        hit = self._patched.get(src_xml)
        if hit is None:
            hit = super().patch_xml(src_xml)
            if len(self._patched) >= _CACHE_LIMIT:
                self._patched.pop(next(iter(self._patched)))
            self._patched[src_xml] = hit
        return hit


_checked: dict[tuple, object] = {}


def _check(data: bytes, shown: str, context: dict[str, Any]):
    """Return check_docx_bytes' report, computed once per template and shape of the variables.

    The check sees the context only through its shape (names, kinds, titles), which is the
    same for every applicant of a call.
    """
    import hashlib

    from docgen.render.inspect import context_shape, shape_key

    shape = context_shape(context)
    key = (hashlib.sha256(data).digest(), shown, shape_key(shape))
    report = _checked.get(key)
    if report is None:
        report = check_docx_bytes(data, shown, context, shape=shape)
        if len(_checked) >= _CACHE_LIMIT:
            _checked.pop(next(iter(_checked)))
        _checked[key] = report
    return report


def _check_readable(path: Path) -> None:
    """Refuse an empty, OLE, non-zip, bomb or DTD-carrying template with its own message (render/guard.py)."""
    from docgen.render.guard import guard_template

    refused = guard_template(path)
    if refused:
        raise InputError(refused)


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Return the bytes of *template* rendered with *context*; raise InputError naming the template spot."""
    _check_readable(template)
    data = template.read_bytes()
    # The same check as `docgen template check`: every problem at once, named by place, before Jinja runs.
    report = _check(data, display_path(template), context)
    if report.errors:
        raise InputError(report.errors)
    if any(d.code == "T406" for d in report.diagnostics):
        data, _ = fix_docx_bytes(data)  # tags split across runs: render from a repaired copy in memory
    tpl = _Template(io.BytesIO(data))
    footnotes = Footnotes()
    if has_rich(context):  # Markdown values become sub-documents of this template
        context = bind_rich(context, tpl, footnotes)
    # Undeclared variables were reported by check_docx_bytes above, with their places.
    try:
        tpl.render(context, _ENV, autoescape=True)
    except (TemplateError, SecurityError) as exc:
        raise InputError(_template_diagnostic(template, exc, tpl)) from exc
    flush_footnotes(tpl.docx, footnotes)
    place_cell_merges(tpl.docx.element.body)  # after {% vm %}/{% hm %}
    props = tpl.docx.core_properties
    props.created = props.modified = props.last_printed = FIXED_DATETIME
    props.revision = 1
    props.last_modified_by = "docgen"
    return _save(tpl)


class _Members:
    """Stands in for python-docx's zip writer: keeps each member's name and bytes, in order."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))


def _save(tpl: DocxTemplate) -> bytes:
    """Return the rendered document as a normalised zip, deflating each member once.

    python-docx would deflate every part into a zip that normalize_zip then inflates and
    deflates again; here its package writer hands the parts to zip_members directly (same
    members, same order, same bytes). docxtpl's media replacement, unused by docgen, takes
    the long way.
    """
    if tpl.crc_to_new_media or tpl.crc_to_new_embedded or tpl.zipname_to_replace or tpl.pics_to_replace:
        buf = io.BytesIO()
        tpl.save(buf)
        return normalize_zip(buf.getvalue())
    from docx.opc.pkgwriter import PackageWriter

    package = tpl.docx.part.package
    for part in package.parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, package.parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, package.parts)  # type: ignore[arg-type]  # _Members duck-types PhysPkgWriter.write
    tpl.is_saved = True
    return zip_members(members.items)


def _template_diagnostic(template: Path, exc: Exception, tpl: DocxTemplate) -> Diagnostic:
    context = getattr(exc, "docx_context", None)
    anchor = None
    if context:
        lines = [re.sub(r"\s+", " ", line).strip() for line in context]
        text = " / ".join(line for line in lines if line)
        anchor = f"附近文字：{text[:80]}" if text else None
    if isinstance(exc, UndefinedError):
        message = f"模板引用了不存在的数据：{exc.message}"
        code, hint = "T402", "核对变量名拼写；运行 docgen template vars 查看可用字段。"
    elif isinstance(exc, TemplateSyntaxError):
        message = f"模板标签语法错误：{exc.message}"
        code, hint = "T401", "检查 {{ }} 与 {% %} 是否成对、标签内是否混入了中文引号或空格。"
    elif isinstance(exc, SecurityError):
        message = f"模板中有不允许的操作：{exc}"
        code, hint = "T403", "模板只能读取数据，不能调用内部方法。"
    else:
        message = f"模板渲染失败：{exc}"
        code, hint = "T413", None
    return Diagnostic(code, message, Location(display_path(template), anchor=anchor), hint=hint)
