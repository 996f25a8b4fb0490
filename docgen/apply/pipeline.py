"""The application build, top to bottom: load → validate → check rules → plan → the one build path.

Planning lives in :mod:`docgen.apply.plan`, the tasks and their keys in
:mod:`docgen.apply.keys`, the quick no-change path in :mod:`docgen.build.quick` and
rendering, conversion, publishing and key bookkeeping in :mod:`docgen.build`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.apply import keys
from docgen.apply.load import Project, load_project
from docgen.apply.plan import (  # noqa: F401  (the pipeline's public names)
    RENDERERS,
    Job,
    output_name,
    plan,
    plan_submissions,
    render,
)
from docgen.apply.rules import RuleResult, evaluate_project
from docgen.build import BuildOutcome, pdf_name, run, select  # noqa: F401
from docgen.build.quick import input_signature as _signature
from docgen.build.quick import remember_up_to_date, up_to_date  # noqa: F401
from docgen.outputs.state import BuildState


@dataclass
class BuildResult(BuildOutcome):
    refused_units: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    results: list[RuleResult] = field(default_factory=list)


def load(root: Path, data_dir: Path, unit: str | None = None, call: str | None = None,
         partial: bool = False) -> Project:
    return load_project(root, data_dir, unit, call, partial)


def check(project: Project) -> list[RuleResult]:
    return evaluate_project(project)


def input_signature(root: Path, data_dir: Path) -> str:
    """Return the signature of everything an application build may read: the data folder and the templates."""
    return _signature(data_dir, root / "templates")


def font_gate_for(project: Project, planned: list[Job], out_dir: Path) -> str:
    """The font gate: no PDF is made when a Chinese font reaches no Chinese face; return the key of the files reached."""
    from docgen.outputs.state import STATE_DIR
    from docgen.pdf.fonts import font_gate

    used = sorted({project.root / job.form.template for job in planned if job.form.pdf})
    return font_gate([t for t in used if t.is_file()], out_dir / STATE_DIR / "cache")


def build(project: Project, out_dir: Path, pdf: bool = True, draft: bool = False,
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None,
          submissions: bool = True, only_pdf: bool = False, jobs: int = 1, clean: bool = False,
          progress: Callable[[int], Any] | None = None, raise_failures: bool = True,
          warm: Sequence[Any] = ()) -> BuildResult:
    """Check, render and publish every document whose inputs changed; units whose rules fail are refused or drafted.

    With *pdf*, documents go through a warm LibreOffice (or *converter*) and, with
    *submissions*, each application's merged, numbered and sealed submission PDF is
    written too. *only_pdf* publishes the submission PDFs alone (docgen pdf).
    *jobs* workers run at once; *clean* ignores what earlier builds recorded;
    *progress(total)* returns an object told ``advance(name, ok)`` after each task.
    With *raise_failures*, failures are raised after the good outputs are published;
    otherwise they are left in the result. *warm*: LibreOffices the caller started early (one a worker).
    """
    from docgen.outputs.preflight import check_writable

    start = time.perf_counter()
    check_writable(out_dir)  # before anything is rendered or published
    result = BuildResult(results=check(project))
    failing = {r.unit.id for r in result.results if not r.passed}
    if draft:
        result.drafts = sorted(failing)
        planned = plan(project, drafts=failing)
    else:
        result.refused_units = sorted(failing)
        planned = plan(project, skip=failing)
    subs = plan_submissions(planned) if pdf and submissions else []
    state = BuildState(out_dir, clean=clean)
    t = time.perf_counter()
    fonts = font_gate_for(project, planned, out_dir) if pdf else None
    todo, result.unchanged = select(keys.tasks(project, planned, subs, pdf, only_pdf, fonts), state)
    result.steps["keys"] = time.perf_counter() - t
    run(todo, out_dir, state, result, converter=converter, jobs=jobs, progress=progress, warm=warm)
    result.seconds = time.perf_counter() - start
    if raise_failures and (error := result.error()) is not None:
        raise error
    return result
