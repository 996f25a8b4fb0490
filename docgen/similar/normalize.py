"""Normalise Chinese prose so light edits do not hide a copy, keeping the way back to the original text.

Full-width and half-width forms are folded (NFKC), Latin letters lower-cased, every run of digits
becomes one ``0`` (2025 and 2026, 220 人 and 110 人 read alike), and punctuation, spaces and
line breaks are dropped. What is left are the characters that carry the wording.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# full-width forms U+FF01–U+FF5E fold to ASCII and the ideographic space to a space: one character for one
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


@dataclass(frozen=True)
class Normalized:
    """The normalised text and, for each of its characters, where its source lies in the original."""

    text: str
    starts: np.ndarray  # offset in the original of each normalised character
    ends: np.ndarray    # end offset (exclusive): a whole number for the "0" that stands for it

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original [start, end) that normalised characters [start, end) came from."""
        return int(self.starts[start]), int(self.ends[end - 1])


@lru_cache(maxsize=4096)
def _wordy(ch: str) -> bool:
    return unicodedata.category(ch)[0] in ("L", "N")


def normalize(text: str) -> Normalized:
    """Return *text* normalised for comparison (see the module docstring)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).copy()
    wide = (codes >= 0xFF01) & (codes <= 0xFF5E)
    codes[wide] -= 0xFEE0
    codes[codes == 0x3000] = 0x20
    folded = codes.tobytes().decode("utf-32-le") if wide.any() else text
    n = len(codes)
    cjk = ((codes >= 0x4E00) & (codes <= 0x9FFF)) | ((codes >= 0x3400) & (codes <= 0x4DBF))
    upper = (codes >= 0x41) & (codes <= 0x5A)
    alnum = cjk | upper | ((codes >= 0x61) & (codes <= 0x7A)) | ((codes >= 0x30) & (codes <= 0x39))
    other = ~alnum & (codes > 0x7F) & ~cjk
    if other.any():
        for i in np.nonzero(other)[0].tolist():
            alnum[i] = _wordy(folded[i])
    ends = np.arange(1, n + 1, dtype=np.int64)
    out = codes.copy()
    out[upper] += 32
    for m in _NUMBER.finditer(folded):  # a number is one "0", spanning all its digits
        a, b = m.span()
        alnum[a + 1:b] = False
        out[a] = 0x30
        ends[a] = b
    keep = np.nonzero(alnum)[0]
    return Normalized(out[keep].tobytes().decode("utf-32-le"), keep, ends[keep])
