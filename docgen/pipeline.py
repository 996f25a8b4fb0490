"""The build, top to bottom: load → validate → check rules → render → convert → publish.

Everything is gathered and rendered in memory first; files appear in the
output folder only at the end, by rename, so a failed build leaves the
previous outputs intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from docgen.errors import Collector, Diagnostic, DocgenError, Location, display_path
from docgen.loaders.project import LoadedCall, LoadedUnit, Project, load_project
from docgen.models.call import Form
from docgen.outputs.staging import Staging
from docgen.render.context import application_context, call_context, unit_context
from docgen.render.docx import render_docx
from docgen.render.xlsx import render_xlsx
from docgen.rules import RuleResult, evaluate_project

RENDERERS: dict[str, Callable[[Path, dict[str, Any]], bytes]] = {".docx": render_docx, ".xlsx": render_xlsx}
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Job:
    """One document to produce: which form, for whom, with what variables, to which file."""

    form: Form
    call: LoadedCall
    unit: LoadedUnit | None  # None for a per-call form (the bureau's own attachments)
    context: dict[str, Any]
    output: str  # path relative to the output folder
    draft: bool = False


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    refused_units: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    results: list[RuleResult] = field(default_factory=list)


def load(root: Path, data_dir: Path, unit: str | None = None, call: str | None = None) -> Project:
    return load_project(root, data_dir, unit, call)


def check(project: Project) -> list[RuleResult]:
    return evaluate_project(project)


def _safe(text: str) -> str:
    return UNSAFE.sub("_", text).strip("_")


def output_name(form: Form, unit: LoadedUnit | None, call: LoadedCall, sub=None) -> str:
    values = {"unit": unit.id if unit else "", "unit_name": _safe(unit.model.name) if unit else "", "call": call.id,
              "sub": sub.no if sub else "", "sub_label": _safe(sub.display_no) if sub else "",
              "sub_name": _safe(sub.name) if sub else ""}
    return form.output.format(**values)


def plan(project: Project, drafts: set[str] | None = None, skip: set[str] | None = None) -> list[Job]:
    """Return every document the data asks for, units in *skip* left out, *drafts* marked."""
    drafts, skip = drafts or set(), skip or set()
    jobs: list[Job] = []
    # The bureau's own attachments: once per call, whoever applies (output e.g. calls/<call>/附件1-….docx).
    for call in project.calls.values():
        for form in call.model.forms:
            if form.per == "call":
                jobs.append(Job(form, call, None, call_context(call), output_name(form, None, call)))
    for unit in project.units.values():
        if unit.id in skip:
            continue
        draft = unit.id in drafts
        for call in project.calls.values():
            apps = unit.applications_for(call.id)
            if not apps:
                continue
            for form in call.model.forms:
                if form.per == "call":
                    continue
                if form.per == "unit":
                    jobs.append(Job(form, call, unit, unit_context(unit, call, draft),
                                    output_name(form, unit, call), draft))
                else:
                    for app in apps:
                        jobs.append(Job(form, call, unit, application_context(app, draft),
                                        output_name(form, unit, call, app.sub_project), draft))
    for job in jobs:
        if job.draft:
            path = Path(job.output)
            job.output = str(path.with_name(f"{path.stem}-草稿{path.suffix}"))
    return jobs


def render(project: Project, jobs: list[Job]) -> list[tuple[Job, bytes]]:
    """Render every job in memory; raise InputError listing every template problem."""
    collector = Collector()
    rendered: list[tuple[Job, bytes]] = []
    failed_templates: set[Path] = set()
    for job in jobs:
        template = project.root / job.form.template
        if template in failed_templates:
            continue
        renderer = RENDERERS.get(template.suffix.lower())
        if renderer is None:
            collector.add(_unknown_kind(template))
            failed_templates.add(template)
            continue
        try:
            rendered.append((job, renderer(template, job.context)))
        except DocgenError as exc:
            collector.extend(exc.diagnostics)
            failed_templates.add(template)
    collector.raise_if_errors()
    return rendered


def _unknown_kind(template: Path) -> Diagnostic:
    return Diagnostic("T400", "模板只能是 .docx 或 .xlsx 文件", Location(display_path(template)))


def build(project: Project, out_dir: Path, pdf: bool = True, draft: bool = False,
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None) -> BuildResult:
    """Check, render and publish every document; units whose rules fail are refused or drafted."""
    result = BuildResult(results=check(project))
    failing = {r.unit.id for r in result.results if not r.passed}
    if draft:
        result.drafts = sorted(failing)
        jobs = plan(project, drafts=failing)
    else:
        result.refused_units = sorted(failing)
        jobs = plan(project, skip=failing)
    rendered = render(project, jobs)
    if not rendered:
        return result
    with Staging(out_dir) as staging:
        to_convert = []
        for job, data in rendered:
            path = staging.write(job.output, data)
            if pdf and job.form.pdf:
                to_convert.append(path)
        if to_convert:
            if converter is None:
                from docgen.pdf.convert import convert_batch as converter
            pdfs = converter(to_convert)
            for source in to_convert:
                staging.adopt(str(pdfs[source].relative_to(staging.dir)))
        result.written = staging.publish()
    return result
