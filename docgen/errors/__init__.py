"""Locations, diagnostics and the error classes every stage raises.

A diagnostic is one problem a person can act on: where it is, what is wrong
and what to do. Stages collect diagnostics and raise :class:`DocgenError`
carrying all of them, so a run reports every problem at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit statuses, documented in the README and kept stable."""

    OK = 0
    RULE_FAILED = 1
    BAD_INPUT = 2
    TOOL_FAILED = 3
    OUTPUT_FAILED = 4


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, with a line/column or a sheet/cell or a text anchor."""

    file: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    anchor: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.sheet is not None:
            text += f"[{self.sheet}]"
            if self.cell:
                text += f"!{self.cell}"
        elif self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.anchor:
            text += f"（{self.anchor}）"
        return text

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.line or 0, self.column or 0, self.cell or "")


def display_path(path: Path | str) -> str:
    """Return *path* relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


SEVERITY_TEXT = {"error": "错误", "warning": "警告"}


class UnknownCode(ValueError):
    """A diagnostic was made with a code the catalog does not hold: a bug in docgen."""


@dataclass(frozen=True)
class Diagnostic:
    """One problem: code, location, the field it concerns, message and a hint.

    *code* must be in :data:`docgen.errors.catalog.CATALOG` (else :class:`UnknownCode`);
    *hint* None means the catalog's hint for the code, "" means no hint.
    """

    code: str
    message: str
    location: Location | None = None
    field: str | None = None
    hint: str | None = None
    severity: str = "error"

    def __post_init__(self) -> None:
        # imported here so that `python -m docgen.errors.catalog` runs a module not yet imported
        from docgen.errors.catalog import CATALOG

        entry = CATALOG.get(self.code)
        if entry is None:
            raise UnknownCode(f"diagnostic code {self.code!r} is not in docgen/errors/catalog.py")
        if self.severity not in SEVERITY_TEXT:
            raise ValueError(f"unknown severity {self.severity!r}")
        if self.hint is None:
            object.__setattr__(self, "hint", entry.hint or None)

    @property
    def title(self) -> str:
        """Return the catalog's title of this diagnostic's code."""
        from docgen.errors.catalog import title

        return title(self.code)

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        what = f"{self.field}: " if self.field else ""
        text = f"{where}{SEVERITY_TEXT[self.severity]}[{self.code}] {what}{self.message}"
        if self.hint:
            text += f"\n  提示：{self.hint}"
        return text

    def sort_key(self) -> tuple:
        return self.location.sort_key() if self.location else ("",)


class DocgenError(Exception):
    """A user's mistake or an environment problem, carrying every diagnostic found."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic, exit_code: ExitCode | None = None):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = sorted(diagnostics, key=lambda d: d.sort_key())
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class InputError(DocgenError):
    """Data or templates cannot be read or are invalid."""

    exit_code = ExitCode.BAD_INPUT


class ToolError(DocgenError):
    """An external tool (LibreOffice) is missing or failed."""

    exit_code = ExitCode.TOOL_FAILED


class OutputError(DocgenError):
    """An output file could not be written."""

    exit_code = ExitCode.OUTPUT_FAILED


@dataclass
class Collector:
    """Accumulate diagnostics from many checks, then raise them together."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def raise_if_errors(self, cls: type[DocgenError] = InputError) -> None:
        if self.errors:
            raise cls(self.diagnostics)
