"""What a build did: the outputs written, left alone (same key) and failed, with why and how long."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Diagnostic, DocgenError


@dataclass
class BuildOutcome:
    written: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # outputs skipped: same inputs as last time
    failed: list[str] = field(default_factory=list)     # outputs that could not be produced
    errors: list[DocgenError] = field(default_factory=list)  # why (one per failing document)
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step (render, convert, …), all workers

    def error(self) -> DocgenError | None:
        """Return one error carrying every failure's diagnostics (its class: the first failure's), or None."""
        if not self.errors:
            return None
        seen: dict[str, Diagnostic] = {}
        for exc in self.errors:
            for d in exc.diagnostics:
                seen.setdefault(d.format(), d)
        return type(self.errors[0])(list(seen.values()))
