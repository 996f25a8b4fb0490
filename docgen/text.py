"""Count 字数 the way Word and WPS show it in their word-count dialog.

The rule (documented in the README, tested in tests/test_text.py):

* every CJK character counts 1 — Han ideographs (basic block, extensions,
  compatibility ideographs), kana, Hangul and bopomofo;
* every CJK or full-width punctuation mark counts 1 — the CJK Symbols and
  Punctuation block (、。〈〉《》「」【】〔〕…), full-width forms （，！：；？（ ）％ ＡＢ１２…）,
  and the general punctuation Chinese text uses (“ ” ‘ ’ — … · ‥ ※);
* a run of other non-blank characters — Latin letters, digits and the ASCII
  marks inside them, such as ``AI``, ``2023``, ``3.5%`` or ``e-mail`` — counts 1,
  as Word counts a space-delimited word;
* blanks (spaces, tabs, line breaks, the ideographic space U+3000) count 0.

So ``“国培计划（2023）”`` counts 4 + 1 (2023) + 4 punctuation marks = 9, and
``AI 赋能 2.0 版`` counts 1 + 2 + 1 + 1 = 5.
"""

from __future__ import annotations

import re

_WIDE = (
    "\u1100-\u11ff"          # Hangul Jamo
    "\u2e80-\u2fdf"          # CJK radicals, Kangxi radicals
    "\u3001-\u303f"          # CJK symbols and punctuation (not U+3000, the ideographic space)
    "\u3040-\u30ff"          # Hiragana, Katakana
    "\u3100-\u312f\u3190-\u31ff"  # Bopomofo, Kanbun, CJK strokes, Katakana ext.
    "\u3200-\u4dbf"          # enclosed CJK, compatibility, ext. A
    "\u4e00-\u9fff"          # CJK unified ideographs
    "\ua960-\ua97f\uac00-\ud7ff"  # Hangul
    "\uf900-\ufaff"          # CJK compatibility ideographs
    "\ufe10-\ufe1f\ufe30-\ufe4f"  # vertical forms, CJK compatibility forms
    "\uff01-\uffee"          # half-width and full-width forms
    "\u2018\u2019\u201c\u201d\u2014\u2015\u2025\u2026\u00b7\u203b"  # ‘ ’ “ ” — ― ‥ … · ※
    "\U00020000-\U0003134f"  # ext. B–G
)
_TOKEN = re.compile(f"[{_WIDE}]|[^\\s{_WIDE}]+")


def count_words(text: str | None) -> int:
    """Return the 字数 of *text*: 1 per CJK character or CJK/full-width mark, 1 per run of other non-blank characters.

    An empty string or ``None``-like blank text counts 0.
    """
    if not text:
        return 0
    return len(_TOKEN.findall(text))
