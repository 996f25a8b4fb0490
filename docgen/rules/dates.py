"""Dates as notices and applicants write them (2026-11-30, 2025年12月31日前, 2025年7月—2025年12月)."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from docgen.rules.verdict import BadParams

_CN_DATE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月|[-./])?\s*(?:(\d{1,2})\s*日?)?")


def parse_date(value: Any, name: str = "日期") -> date:
    """Return a rule parameter as a date: 2026-11-30, 2026年11月30日, or a date YAML gave us."""
    if isinstance(value, date):
        return value
    found = last_date(str(value))
    if found is None:
        raise BadParams(f"{name}“{value}”不是日期：写作 2026-11-30")
    return found


def dates_in(text: str) -> list[date]:
    """Return every date written in *text*, in order; a month without a day stands for its last day."""
    found = []
    for m in _CN_DATE.finditer(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            continue
        day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    return found


def last_date(text: str) -> date | None:
    """Return the last date written in *text* (“2025年7月—2025年12月” → 2025-12-31), or None."""
    found = dates_in(text)
    return found[-1] if found else None


def day_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
