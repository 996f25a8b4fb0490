"""The bureau's side: every received 申报书 in a folder against the others (and last year's folder)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Diagnostic
from docgen.similar.engine import Match, Passage, Section, Settings, compare
from docgen.similar.normalize import normalize
from docgen.similar.read import read_folder

PREVIOUS = "上一年/"


@dataclass
class DocPair:
    """Two documents and every pair of their sections that share passages."""

    a: str
    b: str
    length_a: int  # normalised characters of the compared sections of each document
    length_b: int
    matches: list[Match] = field(default_factory=list)

    @property
    def shared_a(self) -> int:
        return sum(m.shared_a for m in self.matches)

    @property
    def shared_b(self) -> int:
        return sum(sum(p.chars for p in m.passages) for m in self.matches)

    @property
    def share_a(self) -> float:
        return min(self.shared_a / self.length_a, 1.0) if self.length_a else 0.0

    @property
    def share_b(self) -> float:
        return min(self.shared_b / self.length_b, 1.0) if self.length_b else 0.0

    @property
    def passages(self) -> int:
        return sum(len(m.passages) for m in self.matches)

    def longest(self) -> tuple[Match, Passage]:
        return max(((m, p) for m in self.matches for p in m.passages), key=lambda mp: (mp[1].chars, -mp[1].a[0]))

    @property
    def sections(self) -> str:
        names = dict.fromkeys(f"{m.a.name}—{m.b.name}" if m.a.name != m.b.name else m.a.name for m in self.matches)
        return "、".join(names)


@dataclass
class FolderResult:
    pairs: list[DocPair]
    problems: list[Diagnostic]
    documents: int
    previous: int = 0


def compare_folder(folder: Path, previous: Path | None, titles: set[str], boilerplate: list[str],
                   settings: Settings) -> FolderResult:
    """Return the pairs of documents under *folder* (and each with *previous*) that share passages.

    Pairs come sorted by the larger share, then by the longest passage: the pair a bureau should
    read first comes first.
    """
    sections, problems, count = read_folder(folder, titles)
    before: list[Section] = []
    count_before = 0
    if previous is not None:
        before, more, count_before = read_folder(previous, titles, prefix=PREVIOUS)
        problems += more
    lengths: dict[str, int] = defaultdict(int)
    for s in sections + before:
        lengths[s.doc] += len(normalize(s.text).text)
    pairs: dict[tuple[str, str], DocPair] = {}
    for m in compare(sections, before, boilerplate, settings):
        key = (m.a.doc, m.b.doc)
        if key not in pairs:
            pairs[key] = DocPair(m.a.doc, m.b.doc, lengths[m.a.doc], lengths[m.b.doc])
        pairs[key].matches.append(m)
    ordered = sorted(pairs.values(), key=lambda p: (-max(p.share_a, p.share_b), -p.longest()[1].chars, p.a, p.b))
    return FolderResult(ordered, problems, count, count_before)
