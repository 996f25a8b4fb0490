"""The build, top to bottom: load → validate → check rules → render → convert → publish.

Everything is gathered and rendered in memory first; files appear in the
output folder only at the end, by rename, so a failed build leaves the
previous outputs intact.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from docgen.errors import Collector, Diagnostic, DocgenError, Location, display_path
from docgen.loaders.project import LoadedCall, LoadedUnit, Project, load_project
from docgen.models.call import Form
from docgen.outputs.staging import Staging
from docgen.render.context import application_context, call_context, unit_context
from docgen.render.docx import render_docx
from docgen.render.xlsx import render_xlsx
from docgen.rules import RuleResult, evaluate_project

if TYPE_CHECKING:
    from docgen.pdf.submission import SubmissionJob

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
            job.output = _draft_name(job.output)
    return jobs


def _draft_name(output: str) -> str:
    path = Path(output)
    return str(path.with_name(f"{path.stem}-草稿{path.suffix}"))


def plan_submissions(jobs: list[Job]) -> list["SubmissionJob"]:
    """Return one submission PDF per application whose call has a ``submission:``, parts in its order."""
    from docgen.pdf.submission import SubmissionJob

    subs: dict[tuple[str, str, str], SubmissionJob] = {}
    for job in jobs:
        spec = job.call.model.submission
        if spec is None or job.app is None:
            continue
        key = (job.unit.id, job.call.id, job.app.id)
        if key not in subs:
            output = output_name(job.form, job.unit, job.call, job.app.sub_project, spec.output)
            subs[key] = SubmissionJob(job.unit, job.call, job.app, spec,
                                      _draft_name(output) if job.draft else output, draft=job.draft)
        if job.form.id in spec.parts and job.form.pdf:
            subs[key].documents.append((job.form.title, job.output))
            subs[key].documents.sort(key=lambda d: spec.parts.index(_form_id(job.call, d[0])))
    return list(subs.values())


def _form_id(call: LoadedCall, title: str) -> str:
    return next(f.id for f in call.model.forms if f.title == title)


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
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None,
          submissions: bool = True, only_pdf: bool = False) -> BuildResult:
    """Check, render and publish every document; units whose rules fail are refused or drafted.

    With *pdf*, documents go through one warm LibreOffice (or *converter*) and, with
    *submissions*, each application's merged, numbered and sealed submission PDF is
    written too. *only_pdf* publishes the submission PDFs alone (docgen pdf).
    """
    result = BuildResult(results=check(project))
    failing = {r.unit.id for r in result.results if not r.passed}
    if draft:
        result.drafts = sorted(failing)
        jobs = plan(project, drafts=failing)
    else:
        result.refused_units = sorted(failing)
        jobs = plan(project, skip=failing)
    with ExitStack() as stack:
        if pdf and converter is None and any(job.form.pdf for job in jobs):
            from docgen.pdf.warm import WarmConverter
            converter = stack.enter_context(WarmConverter())
            converter.warm_up()  # LibreOffice starts while the documents are rendered
        return _build(project, out_dir, result, jobs, pdf, converter, submissions, only_pdf)


def _build(project: Project, out_dir: Path, result: BuildResult, jobs: list[Job], pdf: bool,
           converter, submissions: bool, only_pdf: bool) -> BuildResult:
    rendered = render(project, jobs)
    if not rendered:
        return result
    subs = plan_submissions(jobs) if pdf and submissions else []
    with Staging(out_dir) as staging:
        to_convert = []
        needed = {rel for sub in subs for _title, rel in sub.documents}
        for job, data in rendered:
            if only_pdf and job.output not in needed:
                continue
            path = staging.scratch(job.output, data) if only_pdf else staging.write(job.output, data)
            if pdf and job.form.pdf:
                to_convert.append(path)
        if to_convert:
            pdfs = converter(to_convert)
            if not only_pdf:
                for source in to_convert:
                    staging.adopt(str(pdfs[source].relative_to(staging.dir)))
            if subs:
                from docgen.pdf.submission import write_submission
                by_output = {str(source.relative_to(staging.dir)): pdfs[source] for source in to_convert}
                failures: list[DocgenError] = []
                for sub in subs:
                    try:
                        write_submission(sub, staging, converter, by_output)
                    except DocgenError as exc:
                        failures.append(exc)
                if failures:
                    raise type(failures[0])([d for exc in failures for d in exc.diagnostics])
        result.written = staging.publish()
    return result
