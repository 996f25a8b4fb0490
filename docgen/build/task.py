"""What a build is asked to produce: tasks of documents, and which of them are stale."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.build.keys import pdf_name

if TYPE_CHECKING:
    from docgen.outputs.staging import Staging
    from docgen.outputs.state import BuildState

Converter = Callable[[list[Path]], dict[Path, Path]]


@dataclass
class Doc:
    """One docx/xlsx to write, maybe converted to a PDF beside it.

    *make* returns the document's bytes and is only called when the document is stale
    (it may raise DocgenError: that document fails, the others go on). *key* decides
    the document, *pdf* (a key, or None for no PDF) its PDF. A document that is not
    *published* is a working file: only its PDF is used, by the task's :class:`Finish`.
    A workbook with *recalc* gets a cached value for each formula from the warm LibreOffice
    (docgen.pdf.recalc); *on_pdf* changes the converted PDF in place (a seal over a 落款)
    before it is normalised. Both belong in the keys the domain gives.
    """

    output: str  # path relative to the output folder
    make: Callable[[], bytes]
    key: str
    pdf: str | None = None
    published: bool = True
    recalc: bool = False
    on_pdf: Callable[[Path], None] | None = None

    def outputs(self) -> dict[str, str]:
        """Return the published outputs (relative path → key): the document and its PDF."""
        if not self.published:
            return {}
        out = {self.output: self.key}
        if self.pdf is not None:
            out[pdf_name(self.output)] = self.pdf
        return out


@dataclass
class Finish:
    """A file made after a task's documents from their PDFs (an application's submission PDF).

    *make(staging, converter, pdfs)* writes *output* into the staging folder and returns
    its path; *pdfs* maps each document in *needs* to its PDF (just converted, or the
    published one when the document was unchanged). The PDF is normalised afterwards.
    """

    output: str
    key: str
    needs: list[str]
    make: Callable[[Staging, Converter | None, dict[str, Path]], Path]


@dataclass
class Task:
    """One unit of work a worker runs: documents, then maybe a Finish built from them."""

    name: str
    docs: list[Doc] = field(default_factory=list)
    finish: Finish | None = None

    def keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for doc in self.docs:
            keys.update(doc.outputs())
        if self.finish is not None:
            keys[self.finish.output] = self.finish.key
        return keys


def select(tasks: list[Task], state: BuildState) -> tuple[list[Task], list[str]]:
    """Return the tasks with something to redo (stale parts only) and the outputs left as they are.

    A published document is redone when any of its outputs is missing or was built with
    another key; a working document only when the Finish that needs it is redone.
    """
    stale: list[Task] = []
    unchanged: list[str] = []
    for task in tasks:
        finish = task.finish
        if finish is not None and state.is_fresh([finish.output], finish.key):
            unchanged.append(finish.output)
            finish = None
        docs: list[Doc] = []
        for doc in task.docs:
            outputs = doc.outputs()
            if outputs:
                if all(state.is_fresh([rel], key) for rel, key in outputs.items()):
                    unchanged.extend(outputs)
                    continue
                docs.append(doc)
            elif finish is not None and doc.output in finish.needs:
                docs.append(doc)
        if docs or finish is not None:
            stale.append(Task(task.name, docs, finish))
    return stale, unchanged


def constant(data: bytes) -> Callable[[], bytes]:
    """Return a *make* for bytes already in hand."""
    return lambda: data


def call(func: Callable[..., bytes], *args: Any) -> Callable[[], bytes]:
    """Return a *make* that calls func(*args) when the document is stale."""
    return lambda: func(*args)
