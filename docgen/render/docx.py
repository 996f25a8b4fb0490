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
from docgen.outputs.zipnorm import normalize_zip
from docgen.render.env import make_env
from docgen.render.inspect import check_docx_bytes, fix_docx_bytes
from docgen.render.markdown import Footnotes, bind_rich, flush_footnotes, has_rich

FIXED_DATETIME = datetime(2000, 1, 1)
_ENV = make_env(autoescape=True)


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
