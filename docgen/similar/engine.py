"""Find passages that two texts share: character n-gram shingles, MinHash LSH for candidates, exact alignment.

1. Each section's text is normalised (``normalize``) and cut into overlapping character n-grams
   (shingles; no word segmentation, which Chinese would need). A shingle that also occurs in the
   boilerplate every application must print (template headings, table labels, 承诺 text) or in
   more than half of the documents never counts.
2. Windows of shingles get a MinHash signature; ``datasketch.MinHashLSH`` returns the pairs of
   sections with a window in common above the LSH threshold — the candidates. 300 applications
   take seconds because only candidates are aligned, never every pair.
3. For a candidate pair, runs of shingles equal in both texts are followed along their diagonal,
   runs broken by a changed character or two are joined, and each run of at least
   ``min_passage`` characters is a shared passage, mapped back to the original text for quoting.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from docgen.similar.normalize import Normalized, normalize

_NEWLINE = re.compile("\n")
NUM_PERM = 64
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20260508)
_A = _rng.randint(1, 1 << 61, size=NUM_PERM, dtype=np.uint64)
_B = _rng.randint(0, 1 << 61, size=NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class Settings:
    """How much two texts must share to be a finding (the call's ``similarity:`` block)."""

    min_passage: int = 40      # characters (after normalising) of one shared passage
    min_share: float = 0.0     # share of a section that must be shared, 0–1
    shingle: int = 6           # characters per shingle
    chunk: int = 80            # characters of a MinHash chunk (a paragraph, or a piece of a long one)
    lsh_threshold: float = 0.3
    max_gap: int = 8           # characters between two runs that still make one passage


@dataclass(frozen=True)
class Section:
    """One piece of text to compare: a narrative section of a document, a case, the 申报指南."""

    doc: str            # the document, as a person names it (file name)
    name: str           # the section's title ("目标定位"), or "" for the whole text
    text: str
    place: str          # where to point a person: "file:12" or "file（目标定位）"
    group: str = ""     # sections of one group are never compared with each other
    line: int = 0       # the line of the text's first line in its file (0: the place has no lines)


@dataclass(frozen=True)
class Passage:
    """One shared passage: its span in each original text and its length in normalised characters."""

    a: tuple[int, int]
    b: tuple[int, int]
    chars: int


@dataclass
class Match:
    """Two sections and the passages they share."""

    a: Section
    b: Section
    passages: list[Passage]
    length_a: int  # normalised characters of each section
    length_b: int

    @property
    def shared_a(self) -> int:
        return sum(p.chars for p in self.passages)

    @property
    def share_a(self) -> float:
        return self.shared_a / self.length_a if self.length_a else 0.0

    @property
    def share_b(self) -> float:
        return sum(p.chars for p in self.passages) / self.length_b if self.length_b else 0.0

    @property
    def longest(self) -> Passage:
        return max(self.passages, key=lambda p: (p.chars, -p.a[0]))

    def quote_a(self, p: Passage) -> str:
        return self.a.text[p.a[0]:p.a[1]]

    def quote_b(self, p: Passage) -> str:
        return self.b.text[p.b[0]:p.b[1]]


@dataclass
class _Prepared:
    section: Section
    norm: Normalized
    hashes: np.ndarray            # uint64 per shingle
    keep: np.ndarray              # bool per shingle: not boilerplate


def shingle_hashes(text: str, k: int) -> np.ndarray:
    """Return a 64-bit polynomial hash of every k-character shingle of *text* (deterministic, vectorised)."""
    n = len(text) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(1_000_003) + codes[j:j + n]
    return h


def boilerplate_hashes(texts: list[str], k: int) -> np.ndarray:
    """Return the sorted shingle hashes of *texts* (the lines every application prints)."""
    parts = [shingle_hashes(normalize(t).text, k) for t in texts if t]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.uint64)


def _chunks(prep: _Prepared, s: Settings) -> list[tuple[int, int]]:
    """Return [first, last) shingle ranges of the chunks of *prep*: its paragraphs, merged or cut to size.

    A paragraph is the natural unit of copying; a short one joins the next, a long one is cut
    into equal pieces (by normalised length, so a copy with other punctuation is cut alike). Text
    without paragraph breaks (PDF lines) is cut into pieces of ``chunk`` characters.
    """
    n = len(prep.norm.text)
    breaks = [m.start() for m in _NEWLINE.finditer(prep.section.text)]
    cuts = sorted(set(np.searchsorted(prep.norm.starts, breaks).tolist()) | {0, n})
    paras = [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]
    if not paras or n / len(paras) < s.chunk // 3:  # lines, not paragraphs
        paras = [(0, n)]
    merged: list[list[int]] = []
    for a, b in paras:
        if merged and merged[-1][1] - merged[-1][0] < s.chunk // 2:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    out = []
    for a, b in merged:
        pieces = max(1, round((b - a) / s.chunk))
        step = (b - a) / pieces
        for i in range(pieces):
            lo = a + round(i * step)
            hi = min(a + round((i + 1) * step) - s.shingle + 1, len(prep.hashes))
            if hi > lo:
                out.append((lo, hi))
    return out


def _signatures(prep: _Prepared, s: Settings) -> list[np.ndarray]:
    """Return the MinHash values of every chunk of *prep* with enough shingles that are not boilerplate."""
    hv = prep.hashes
    if len(hv) == 0:
        return []
    chunks = [(a, b) for a, b in _chunks(prep, s) if prep.keep[a:b].sum() >= s.min_passage // 2]
    if not chunks:
        return []
    with np.errstate(over="ignore"):
        h32 = (hv ^ (hv >> np.uint64(32))) & _MAX32
        phv = np.bitwise_and((h32[None, :] * _A[:, None] + _B[:, None]) % _PRIME, _MAX32)
    phv[:, ~prep.keep] = _MAX32
    return [phv[:, a:b].min(axis=1) for a, b in chunks]


def _runs(a: _Prepared, b: _Prepared, k: int) -> list[tuple[int, int, int]]:
    """Return maximal runs of equal kept shingles as (start in a, start in b, shingles)."""
    where: dict[int, list[int]] = defaultdict(list)
    for i, (h, kept) in enumerate(zip(a.hashes.tolist(), a.keep.tolist())):
        if kept:
            where[h].append(i)
    runs = []
    active: dict[int, int] = {}  # diagonal (i - j) → first j of the run
    for j, (h, kept) in enumerate(zip(b.hashes.tolist(), b.keep.tolist())):
        hits = where.get(h, ()) if kept else ()
        if len(hits) > 50:  # a shingle repeated that often is no evidence of copying
            hits = ()
        now = {i - j: active.get(i - j, j) for i in hits}
        for d, start in active.items():
            if d not in now:
                runs.append((start + d, start, j - start))
        active = now
    end = len(b.hashes)
    for d, start in active.items():
        runs.append((start + d, start, end - start))
    return runs


def _breaks(p: _Prepared) -> list[int]:
    """Return the normalised offsets where the paragraphs of *p* start."""
    lines = [m.end() for m in _NEWLINE.finditer(p.section.text)]
    return sorted(set(np.searchsorted(p.norm.starts, lines).tolist()))


def _passages(a: _Prepared, b: _Prepared, s: Settings) -> list[Passage]:
    """Return the shared passages of *a* and *b*, at least ``min_passage`` characters each, not overlapping."""
    k = s.shingle
    spans = sorted((ia, ia + n + k - 1, jb, jb + n + k - 1) for ia, jb, n in _runs(a, b, k) if n + k - 1 >= 2 * k)
    merged: list[list[int]] = []
    for ia0, ia1, jb0, jb1 in sorted(spans, key=lambda t: (t[2], t[0])):
        if merged:
            m = merged[-1]
            if 0 <= jb0 - m[3] <= s.max_gap and -k <= ia0 - m[1] <= s.max_gap:
                m[1], m[3] = max(m[1], ia1), max(m[3], jb1)
                continue
            if jb0 < m[3] and ia0 < m[1] and jb1 <= m[3] and ia1 <= m[1]:
                continue  # inside the passage already taken
        merged.append([ia0, ia1, jb0, jb1])
    breaks_a = _breaks(a)
    out: list[Passage] = []
    used_a: list[tuple[int, int]] = []
    for ia0, ia1, jb0, jb1 in sorted(merged, key=lambda m: -(m[1] - m[0])):
        # a few characters over a paragraph break (the next paragraph starts alike) are not part of the copy
        for cut in breaks_a:
            if ia0 < cut < ia1 and ia1 - cut < k:
                jb1, ia1 = jb1 - (ia1 - cut), cut
            elif ia0 < cut < ia1 and cut - ia0 < k:
                jb0, ia0 = jb0 + (cut - ia0), cut
        length = ia1 - ia0
        if length < s.min_passage or any(ia0 < u1 and u0 < ia1 for u0, u1 in used_a):
            continue
        used_a.append((ia0, ia1))
        out.append(Passage(a.norm.span(ia0, ia1), b.norm.span(jb0, jb1), length))
    return sorted(out, key=lambda p: p.a)


def _prepare(sections: list[Section], s: Settings, boiler: np.ndarray) -> list[_Prepared]:
    out = []
    for sec in sections:
        norm = normalize(sec.text)
        hv = shingle_hashes(norm.text, s.shingle)
        keep = ~np.isin(hv, boiler, assume_unique=False) if len(boiler) else np.ones(len(hv), dtype=bool)
        out.append(_Prepared(sec, norm, hv, keep))
    return out


def _drop_common(prepared: list[_Prepared]) -> None:
    """Count as boilerplate the shingles in more than half of the documents (when there are four or more)."""
    docs: dict[str, list[np.ndarray]] = defaultdict(list)
    for p in prepared:
        docs[p.section.doc].append(p.hashes)
    if len(docs) < 4:
        return
    per_doc = [np.unique(np.concatenate(v)) for v in docs.values()]
    values, counts = np.unique(np.concatenate(per_doc), return_counts=True)
    common = values[counts * 2 > len(docs)]
    if len(common):
        for p in prepared:
            p.keep &= ~np.isin(p.hashes, common)


def compare(sections: list[Section], against: Sequence[Section] = (), boilerplate: Sequence[str] = (),
            settings: Settings = Settings()) -> list[Match]:
    """Return the matches between *sections* (pairs from different groups) and of each with *against*.

    *against* (last year's documents, the 申报指南) are not compared with each other. Matches come
    sorted by shared characters, most first; only those with a passage of ``min_passage`` and a
    share of at least ``min_share`` (of either section) are returned.
    """
    from datasketch import MinHash, MinHashLSH  # imported here: numpy/scipy load only when comparing

    s = settings
    boiler = boilerplate_hashes(list(boilerplate), s.shingle)
    prepared = _prepare(list(sections) + list(against), s, boiler)
    _drop_common(prepared)
    n_own = len(sections)
    lsh = MinHashLSH(threshold=s.lsh_threshold, num_perm=NUM_PERM)
    owner: list[int] = []  # chunk key → prepared section
    with lsh.insertion_session() as session:
        for idx, p in enumerate(prepared):
            for sig in _signatures(p, s):
                session.insert(len(owner), MinHash(hashvalues=sig, permutations=(_A, _B), scheme="legacy"),
                               check_duplication=False)
                owner.append(idx)
    # Chunks that share a bucket in any band are candidates: read the buckets instead of querying each chunk.
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for bucket in table:
            members = sorted({owner[k] for k in table.get(bucket)})
            if len(members) < 2:
                continue
            for x, i in enumerate(members):
                for j in members[x + 1:]:
                    if i >= n_own and j >= n_own:
                        continue  # two `against` sections
                    a, b = prepared[i].section, prepared[j].section
                    if a.doc == b.doc or (a.group and a.group == b.group):
                        continue
                    pairs.add((i, j))
    matches = []
    for i, j in sorted(pairs):
        a, b = prepared[i], prepared[j]
        passages = _passages(a, b, s)
        if not passages:
            continue
        m = Match(a.section, b.section, passages, len(a.norm.text), len(b.norm.text))
        if max(m.share_a, m.share_b) >= s.min_share:
            matches.append(m)
    return sorted(matches, key=lambda m: (-m.shared_a, m.a.place, m.b.place))
