"""Planning the application build: every document the data asks for, and each application's submission PDF."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.apply.context import application_context, call_context, unit_context
from docgen.apply.load import LoadedCall, LoadedUnit, Project
from docgen.errors import Collector, Diagnostic, DocgenError, Location, display_path
from docgen.models.call import Form
from docgen.render.docx import render_docx
from docgen.render.xlsx import render_xlsx

if TYPE_CHECKING:
    from docgen.apply.submission import SubmissionJob

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
    app: Any = None  # the LoadedApplication of a per-application form


def _safe(text: str) -> str:
    return UNSAFE.sub("_", text).strip("_")


def output_name(form: Form, unit: LoadedUnit | None, call: LoadedCall, sub=None, pattern: str | None = None) -> str:
    values = {"unit": unit.id if unit else "", "unit_name": _safe(unit.model.name) if unit else "", "call": call.id,
              "sub": sub.no if sub else "", "sub_label": _safe(sub.display_no) if sub else "",
              "sub_name": _safe(sub.name) if sub else ""}
    return (pattern or form.output).format(**values)


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
                                        output_name(form, unit, call, app.sub_project), draft, app))
    for job in jobs:
        if job.draft:
            job.output = draft_name(job.output)
    return jobs


def draft_name(output: str) -> str:
    path = Path(output)
    return str(path.with_name(f"{path.stem}-草稿{path.suffix}"))


def plan_submissions(jobs: list[Job]) -> list[SubmissionJob]:
    """Return one submission PDF per application whose call has a ``submission:``, parts in its order."""
    from docgen.apply.submission import SubmissionJob

    subs: dict[tuple[str, str, str], SubmissionJob] = {}
    for job in jobs:
        spec = job.call.model.submission
        if spec is None or job.app is None or job.unit is None:
            continue
        key = (job.unit.id, job.call.id, job.app.id)
        if key not in subs:
            output = output_name(job.form, job.unit, job.call, job.app.sub_project, spec.output)
            subs[key] = SubmissionJob(job.unit, job.call, job.app, spec,
                                      draft_name(output) if job.draft else output, draft=job.draft)
        if job.form.id in spec.parts and job.form.pdf:
            subs[key].documents.append((job.form.title, job.output))
            subs[key].documents.sort(key=lambda d: spec.parts.index(_form_id(job.call, d[0])))
    return list(subs.values())


def _form_id(call: LoadedCall, title: str) -> str:
    return next(f.id for f in call.model.forms if f.title == title)


def unknown_kind(template: Path) -> Diagnostic:
    return Diagnostic("T410", "模板只能是 .docx 或 .xlsx 文件", Location(display_path(template)))


def render_job(template: Path, context: dict[str, Any]) -> bytes:
    """Render one document from its template (by its kind); raise InputError when the kind is unknown."""
    from docgen.errors import InputError

    renderer = RENDERERS.get(template.suffix.lower())
    if renderer is None:
        raise InputError(unknown_kind(template))
    return renderer(template, context)


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
            collector.add(unknown_kind(template))
            failed_templates.add(template)
            continue
        try:
            rendered.append((job, renderer(template, job.context)))
        except DocgenError as exc:
            collector.extend(exc.diagnostics)
            failed_templates.add(template)
    collector.raise_if_errors()
    return rendered
