"""Rule thresholds as a call writes them ("1:5", "30%", "1/10") and their display forms."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from docgen.errors import Diagnostic, InputError, Location


def parse_fraction(value: Any, where: str) -> Fraction:
    """Parse "1:5", "1/10", "30%", "0.5" or a number into a Fraction."""
    text = str(value).strip().replace("：", ":").replace(" ", "")
    try:
        if text.endswith("%"):
            return Fraction(text[:-1]) / 100
        if ":" in text:
            a, b = text.split(":")
            return Fraction(a) / Fraction(b)
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InputError(Diagnostic("D144", f"规则阈值“{value}”无法识别", Location(where),
                                    hint="写成 1:5、1/10、30% 或 0.5 的形式。")) from None


def ratio_text(value: Fraction) -> str:
    if value == 0:
        return "0"
    return f"1:{float(1 / value):.2f}".rstrip("0").rstrip(".")


def percent_text(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%".replace(".0%", "%")
