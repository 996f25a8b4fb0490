"""Text measures the notices use: the 字数 of a passage, counted as Word/WPS count it."""

from __future__ import annotations

import re

# One unit each: CJK ideographs (basic, extension A, compatibility, extensions B+), CJK symbols and
# punctuation (、。〈〉《》「」【】〔〕…, without the ideographic space U+3000), full-width forms
# (，！？：；（）％ and full-width letters/digits), and the punctuation Chinese text borrows from
# general punctuation: “ ” ‘ ’ — … · .
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
    "\u3001-\u303f\uff01-\uff60\uffe0-\uffee"
    "\u2018\u2019\u201c\u201d\u2014\u2015\u2026\u00b7\u2022\u25cb"
)
_TOKEN = re.compile(f"[{_CJK}]|[^\\s\u3000{_CJK}]+")


def count_words(text: str | None) -> int:
    """Return the 字数 of *text* as Microsoft Word and WPS report it for Chinese documents.

    Counting rule (the one a bureau applies when a form says “500字以内”):

    - each Chinese character counts 1;
    - each Chinese (full-width) punctuation mark counts 1: ，。、；：？！“”‘’（）《》【】—…· and the like,
      and each full-width letter or digit;
    - each run of other non-space characters counts 1 as a whole: a Latin word (``DeepSeek``),
      a number (``2025``, ``3.5``, ``20.16``), a code (``AI-based``, ``1:5``, ``30%``), with any
      half-width punctuation attached to it;
    - spaces, tabs, line breaks and the ideographic space (U+3000) count 0.

    So ``"2025年DeepSeek培训，覆盖 3000 人。"`` counts 1 (2025) + 1 (年) + 1 (DeepSeek) + 2 (培训)
    + 1 (，) + 2 (覆盖) + 1 (3000) + 1 (人) + 1 (。) = 11. None or empty text counts 0.
    """
    if not text:
        return 0
    return len(_TOKEN.findall(text))
