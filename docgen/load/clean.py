"""Control characters: found when data is loaded, so `check` and `build` agree.

Word XML and Excel cells cannot hold C0 control characters other than tab, line
feed and carriage return (lxml: "All strings must be XML compatible", openpyxl:
IllegalCharacterError); DEL, the C1 controls and U+FFFE/U+FFFF are invisible
garbage pasted from other programs. Tab and line breaks are allowed: prose uses them.
"""

from __future__ import annotations

import re

CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
NAMES = {0x00: "空字符 NUL", 0x08: "退格", 0x0B: "垂直制表符", 0x0C: "换页符", 0x1B: "ESC", 0x7F: "DEL"}
HINT = "删除这个看不见的字符（常见于从网页、PDF 或其他软件复制的文字）；换行和 Tab 可以保留。"


def control_chars(text: str) -> list[int]:
    """Return the offsets of the control characters in *text* (empty: the text is clean)."""
    return [m.start() for m in CONTROL_RE.finditer(text)]


def describe(ch: str) -> str:
    """Return how a message names a control character: U+000B（垂直制表符）."""
    code = ord(ch)
    name = NAMES.get(code, "控制字符")
    return f"U+{code:04X}（{name}）"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column of *offset* in *text*."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
