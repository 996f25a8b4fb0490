"""The one Jinja environment every template is rendered in: sandboxed, strict, escaped."""

from __future__ import annotations

import re
from datetime import date

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.models.common import cn_date, cn_year_month, money_text


def paragraphs(text: str | None) -> list[str]:
    """Split prose into paragraphs at blank lines (or single newlines); drop empty ones."""
    if not text:
        return []
    parts = re.split(r"\n\s*\n", str(text).strip())
    if len(parts) == 1:
        parts = str(text).strip().split("\n")
    return [" ".join(line.strip() for line in p.splitlines()).strip() for p in parts if p.strip()]


def date_range(start: date, end: date) -> str:
    """Return 2024.03.01—2024.03.10 as forms print a period."""
    return f"{start:%Y.%m.%d}—{end:%Y.%m.%d}"


def _cn_date(value) -> str:
    return cn_date(value) if isinstance(value, date) else str(value or "")


FILTERS = {
    "paras": paragraphs,
    "cn_date": _cn_date,
    "cn_month": lambda d: cn_year_month(d) if isinstance(d, date) else str(d or ""),
    "wan": money_text,
    "date_range": date_range,
    "yes_no": lambda v: "是" if v else "否",
}


def make_env(autoescape: bool) -> SandboxedEnvironment:
    """Return a sandboxed environment; Word XML needs autoescape, Excel cells must not have it."""
    env = SandboxedEnvironment(autoescape=autoescape, undefined=StrictUndefined,
                               keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update({"paras": paragraphs})
    return env
