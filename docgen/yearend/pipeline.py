"""Year-end paperwork, top to bottom: load → check → plan → render → convert → publish.

Outputs, per unit and report folder::

    build/<unit>/<call>/<year>-<class>/绩效自评报告.docx (.pdf)
    build/<unit>/<call>/<year>-<class>/典型工作案例-1-<标题>.docx (.pdf)
    build/<unit>/<call>/<year>-<class>/教师成长案例-01-<作者>-<标题>.docx
    build/<unit>/<call>/<year>-<class>/教师成长案例作者信息-01-<作者>.docx
    build/<unit>/<call>/<year>-<class>/报送清单.xlsx

A folder whose checks fail is not built (or built as a draft with --draft).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from docgen.apply.keys import markdown_images
from docgen.apply.load import LoadedUnit, Project
from docgen.apply.plan import render_job
from docgen.build import BuildOutcome, Doc, Task, doc_key, hash_or_absent, pdf_key, run, select
from docgen.models.call import Form
from docgen.outputs.state import BuildState, ContextHasher
from docgen.yearend.context import (
    case_context,
    list_context,
    report_context,
    safe,
    sheet_context,
)
from docgen.yearend.load import LoadedFolder, YearEnd, load_yearend
from docgen.yearend.rules import Finding, check_yearend


@dataclass
class YearEndResult(BuildOutcome):
    findings: list[Finding] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)


def load(project: Project, call: str | None = None) -> YearEnd:
    return load_yearend(project, call)


def check(ye: YearEnd) -> list[Finding]:
    return check_yearend(ye)


def folder_key(folder: LoadedFolder) -> str:
    return f"{folder.unit.id}/{folder.call.id}/{folder.id}"


@dataclass
class ReportJob:
    """One year-end document to produce: which form, for which unit, with what variables, to which file."""

    form: Form
    unit: LoadedUnit
    context: dict[str, Any]
    output: str  # path relative to the output folder
    draft: bool = False


def _report_job(unit: LoadedUnit, key: str, draft: bool, form_id: str, title: str, template: str, name: str,
                context: dict, pdf: bool) -> ReportJob:
    form = Form(id=form_id, title=title, template=template, per="unit", output=name, pdf=pdf)
    return ReportJob(form, unit, context, f"{key}/{name}", draft)


def plan(ye: YearEnd, drafts: set[str] | None = None, skip: set[str] | None = None) -> list[ReportJob]:
    """Return every year-end document to produce; folders in *skip* left out, in *drafts* marked."""
    drafts, skip = drafts or set(), skip or set()
    jobs: list[ReportJob] = []
    for folder in ye.folders:
        key = folder_key(folder)
        if key in skip:
            continue
        draft = key in drafts
        tpl = folder.call.model.templates
        suffix = "-草稿" if draft else ""
        job = partial(_report_job, folder.unit, key, draft)

        spec = folder.call.model.self_report
        jobs.append(job("self_report", spec.title, tpl.report, f"{spec.title}{suffix}.docx",
                        report_context(folder, draft), True))
        for n, case in enumerate(folder.work_cases, start=1):
            jobs.append(job("work_case", "典型工作案例", tpl.report,
                            f"典型工作案例-{n}-{safe(case.meta.title)}{suffix}.docx",
                            case_context(folder, case, draft), True))
        for n, case in enumerate(folder.growth_cases, start=1):
            who = safe(case.meta.author or "佚名", 10)
            jobs.append(job("growth_case", "教师成长案例", tpl.report,
                            f"教师成长案例-{n:02d}-{who}-{safe(case.meta.title)}{suffix}.docx",
                            case_context(folder, case, draft), False))
            jobs.append(job("author_sheet", "教师成长案例作者信息", tpl.author_sheet,
                            f"教师成长案例作者信息-{n:02d}-{who}{suffix}.docx",
                            sheet_context(folder, case, draft), False))
        jobs.append(job("list", "报送清单", tpl.list, f"报送清单{suffix}.xlsx", list_context(folder, draft), False))
    return jobs


def tasks(project: Project, jobs: list[ReportJob], pdf: bool) -> list[Task]:
    """Return one task per document, keyed by its template, the variables it sees and the draft mark."""
    hasher = ContextHasher(markdown_images)
    templates: dict[Path, str] = {}
    out = []
    for job in jobs:
        template = project.root / job.form.template
        if template not in templates:
            templates[template] = hash_or_absent(template)
        key = doc_key(templates[template], hasher(job.context), "draft" if job.draft else "")
        pdf_of = pdf_key(key) if pdf and job.form.pdf else None
        on_pdf = None
        if pdf_of is not None and job.form.id == "self_report" and not job.draft:
            seal = job.unit.model.seal
            if seal is not None:  # the 落款 sealed: the PDF's key names the seal image and its size
                pdf_of = pdf_key(doc_key(key, hash_or_absent(job.unit.dir / seal.image), str(seal.diameter_mm)))
                on_pdf = _sealer(job.unit)
        out.append(Task(job.output, [Doc(job.output, _maker(template, job.context), key, pdf_of, on_pdf=on_pdf)]))
    return out


def _sealer(unit) -> Callable[[Path], None]:
    return lambda pdf: _seal_signoff(unit, pdf)


def _maker(template: Path, context: dict[str, Any]):
    return lambda: render_job(template, context)


def build(project: Project, ye: YearEnd, out_dir: Path, pdf: bool = True, draft: bool = False,
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None, jobs: int = 1,
          clean: bool = False, progress: Callable[[int], Any] | None = None,
          raise_failures: bool = True) -> YearEndResult:
    """Check, render and publish the year-end documents whose inputs changed, through the one build path."""
    start = time.perf_counter()
    result = YearEndResult(findings=check(ye))
    failing = {folder_key(f.folder) for f in result.findings if not f.passed}
    if draft:
        result.drafts = sorted(failing)
        jobs_ = plan(ye, drafts=failing)
    else:
        result.refused = sorted(failing)
        jobs_ = plan(ye, skip=failing)
    state = BuildState(out_dir, clean=clean)
    todo, result.unchanged = select(tasks(project, jobs_, pdf), state)
    run(todo, out_dir, state, result, converter=converter, jobs=jobs, progress=progress)
    result.seconds = time.perf_counter() - start
    if raise_failures and (error := result.error()) is not None:
        raise error
    return result


SIGNOFF_PLACES = ("（盖章）",)


def _seal_signoff(unit, pdf: Path) -> None:
    """Seal the 绩效自评报告 over its 落款 (“单位（盖章）”), as the notice asks for a sealed paper copy."""
    seal = unit.model.seal
    if seal is None or not (unit.dir / seal.image).is_file() or not pdf.is_file():
        return
    from docgen.pdf.assemble import Part, Stamping, assemble

    stamping = Stamping(seal_image=unit.dir / seal.image, diameter_mm=seal.diameter_mm, places=SIGNOFF_PLACES,
                        riding_seal=False, stamp_copies=False, page_numbers=False)
    out, _info = assemble([Part("绩效自评报告", pdf)], stamping)
    import io

    data = io.BytesIO()
    out.save(data, deterministic_id=True, encryption=False)
    out.close()
    pdf.write_bytes(data.getvalue())


def format_findings(findings: list[Finding], color: bool = False) -> str:
    """Return the Chinese report of the year-end checks, per unit and folder."""
    def style(text: str, fg: str) -> str:
        if not color:
            return text
        import click
        return click.style(text, fg=fg, bold=True)

    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[folder_key(f.folder)].append(f)
    lines: list[str] = []
    for items in groups.values():
        folder = items[0].folder
        lines.append(f"■ {folder.unit.model.name}（{folder.unit.id}） · {folder.call.model.year}年"
                     f"{folder.project_class.name}项目总结材料（{folder.id}）")
        for f in items:
            verdict = style("通过  ", "green") if f.passed else style("未通过", "red")
            lines.append(f"  {verdict} {f.code} {f.title}〔{f.subject}〕")
            lines.append(f"         数据：{f.figures}")
            if not f.passed:
                if f.advice:
                    lines.append(f"         修改：{f.advice}")
                if f.location:
                    lines.append(f"         位置：{f.location}")
        lines.append("")
    failed = sum(1 for f in findings if not f.passed)
    if findings:
        lines.append(f"总结材料共检查 {len(findings)} 项：通过 {len(findings) - failed} 项，未通过 {failed} 项。")
    return "\n".join(lines)
