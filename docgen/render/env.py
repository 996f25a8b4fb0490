"""The one Jinja environment every template is rendered in: sandboxed, strict, escaped."""

from __future__ import annotations

import re
from datetime import date

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from docgen.models.common import cn_date, cn_year_month, money_text

LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,3}[.．、)）]|[（(]\d{1,3}[)）]|[一二三四五六七八九十]{1,3}、"
                          r"|[（(][一二三四五六七八九十]{1,3}[)）]|[-*•·●▪]\s|[①-⑳])")


def paragraphs(text: str | None) -> list[str]:
    """Split prose into paragraphs at blank lines (or single newlines); drop empty ones.

    A line starting like a list item (``1.``, ``（2）``, ``三、``, ``- ``, ``•``, ``①``) starts a
    paragraph of its own, so numbered and bulleted lists written in YAML prose stay lists.
    """
    if not text:
        return []
    parts = re.split(r"\n\s*\n", str(text).strip())
    if len(parts) == 1:
        parts = str(text).strip().split("\n")
    out: list[str] = []
    for part in parts:
        current: list[str] = []
        for line in part.splitlines():
            if LIST_ITEM_RE.match(line) and current:
                out.append(" ".join(current))
                current = []
            if line.strip():
                current.append(line.strip())
        if current:
            out.append(" ".join(current))
    return [p for p in out if p]


def date_range(start: date, end: date) -> str:
    """Return 2024.03.01—2024.03.10 as forms print a period."""
    return f"{start:%Y.%m.%d}—{end:%Y.%m.%d}"


def _cn_date(value) -> str:
    return cn_date(value) if isinstance(value, date) else str(value or "")


CN_NUMERALS = "零一二三四五六七八九十"


def cn_ordinal(n: int) -> str:
    """Return 1..99 as a Chinese numeral heading number: 1 → 一, 12 → 十二, 20 → 二十."""
    n = int(n)
    if n <= 10:
        return CN_NUMERALS[n]
    tens, ones = divmod(n, 10)
    return (CN_NUMERALS[tens] if tens > 1 else "") + "十" + (CN_NUMERALS[ones] if ones else "")


def title_position(person) -> str:
    """Return 职称职务 as one cell shows it: 教授/校长 (either part may be missing)."""
    return "/".join(p for p in (getattr(person, "title", ""), getattr(person, "position", "")) if p)


FILTERS = {
    "cn_ordinal": cn_ordinal,
    "title_position": title_position,
    "paras": paragraphs,
    "cn_date": _cn_date,
    "cn_month": lambda d: cn_year_month(d) if isinstance(d, date) else str(d or ""),
    "wan": money_text,
    "date_range": date_range,
    "yes_no": lambda v: "是" if v else "否",
}


class _CompilingOnceEnvironment(SandboxedEnvironment):
    """A sandboxed environment that compiles each template text once.

    docxtpl hands every part of every document to ``from_string``; a build renders
    the same template for hundreds of applicants, so compiling is done once per text.
    """

    _LIMIT = 512

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        cache = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            template = super().from_string(source)
            if len(cache) >= self._LIMIT:
                cache.pop(next(iter(cache)))
            cache[source] = template
        return template


def make_env(autoescape: bool) -> SandboxedEnvironment:
    """Return a sandboxed environment; Word XML needs autoescape, Excel cells must not have it."""
    env = _CompilingOnceEnvironment(autoescape=autoescape, undefined=StrictUndefined,
                                    keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.update({"paras": paragraphs})
    return env
