"""Render a Word template with docxtpl, in the sandboxed, autoescaping environment."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.outputs.zipnorm import normalize_zip
from docgen.render.env import make_env
from docgen.render.inspect import check_docx_bytes, fix_docx_bytes
from docgen.render.ooxml_order import place_cell_merges
from docgen.render.markdown import Footnotes, bind_rich, flush_footnotes, has_rich

FIXED_DATETIME = datetime(2000, 1, 1)
_ENV = make_env(autoescape=True)


def _check_readable(path: Path) -> None:
    shown = display_path(path)
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(Diagnostic("T400", "模板是旧版 .doc 格式或已加密，无法读取", Location(shown),
                                    hint="在 Word/WPS 中“另存为”Word 文档（*.docx），并取消密码。"))
    if not head.startswith(b"PK"):
        raise InputError(Diagnostic("T400", "模板不是 .docx 文件", Location(shown),
                                    hint="在 Word/WPS 中“另存为”Word 文档（*.docx）。"))
    try:
        zipfile.ZipFile(path).testzip()
    except zipfile.BadZipFile:
        raise InputError(Diagnostic("T400", "模板文件已损坏", Location(shown), hint="从备份恢复模板。"))


def render_docx(template: Path, context: dict[str, Any]) -> bytes:
    """Return the bytes of *template* rendered with *context*; raise InputError naming the template spot."""
    _check_readable(template)
    data = template.read_bytes()
    # The same check as `docgen template check`: every problem at once, named by place, before Jinja runs.
    report = check_docx_bytes(data, display_path(template), context)
    if report.errors:
        raise InputError(report.errors)
    if any(d.code == "T406" for d in report.diagnostics):
        data, _ = fix_docx_bytes(data)  # tags split across runs: render from a repaired copy in memory
    tpl = DocxTemplate(io.BytesIO(data))
    footnotes = Footnotes()
    if has_rich(context):  # Markdown values become sub-documents of this template
        context = bind_rich(context, tpl, footnotes)
    # Undeclared variables were reported by check_docx_bytes above, with their places.
    try:
        tpl.render(context, _ENV, autoescape=True)
    except (TemplateError, SecurityError) as exc:
        raise InputError(_template_diagnostic(template, exc, tpl))
    flush_footnotes(tpl.docx, footnotes)
    place_cell_merges(tpl.docx.element.body)  # after {% vm %}/{% hm %}
    props = tpl.docx.core_properties
    props.created = props.modified = props.last_printed = FIXED_DATETIME
    props.revision = 1
    props.last_modified_by = "docgen"
    buf = io.BytesIO()
    tpl.save(buf)
    return normalize_zip(buf.getvalue())


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
        code, hint = "T400", None
    return Diagnostic(code, message, Location(display_path(template), anchor=anchor), hint=hint)
