"""The application build's tasks and their keys: one task per application (its documents and its
submission PDF), one per per-unit or per-call form."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.apply.load import Project
from docgen.apply.plan import Job, render_job
from docgen.build import Doc, Finish, Task, doc_key, hash_or_absent, pdf_key
from docgen.outputs.state import ContextHasher, job_key

if TYPE_CHECKING:
    from docgen.apply.submission import SubmissionJob


def tasks(project: Project, planned: list[Job], subs: list[SubmissionJob], pdf: bool,
          only_pdf: bool, fonts: str | None = None) -> list[Task]:
    """Return every task of the build, each output keyed (the runner's ``select`` keeps the stale ones).

    With *only_pdf*, documents are working files of the submission PDFs and nothing else is published.
    *fonts* is the key of the font files the font gate resolved for these templates (:func:`docgen.pdf.fonts.font_gate`).
    """
    templates: dict[Path, str] = {}
    hasher = ContextHasher(markdown_images)
    docs: dict[str, Doc] = {}
    for job in planned:
        template = project.root / job.form.template
        if template not in templates:
            templates[template] = hash_or_absent(template)
        key = doc_key(templates[template], hasher(job.context), "draft" if job.draft else "")
        docs[job.output] = Doc(job.output, _maker(template, job.context), key,
                               pdf_key(key, fonts) if pdf and job.form.pdf else None, published=not only_pdf)
    by_app: dict[tuple[str, str, str], Task] = {}
    out: list[Task] = []
    for sub in subs:
        needs = [rel for _title, rel in sub.documents]
        finish = Finish(sub.output, submission_key(sub, docs, hasher), needs, _assembler(sub))
        task = Task(sub.output, [], finish)
        by_app[(sub.unit.id, sub.call.id, sub.app.id)] = task
        out.append(task)
    for job in planned:
        if job.app is not None and job.unit is not None:
            app = (job.unit.id, job.call.id, job.app.id)
            found = by_app.get(app)
            if found is None:
                task = by_app[app] = Task(job.output)
                out.append(task)
            else:
                task = found
        else:
            task = Task(job.output)
            out.append(task)
        task.docs.append(docs[job.output])
    return out


def _maker(template: Path, context: dict[str, Any]):
    return lambda: render_job(template, context)


def _assembler(sub: SubmissionJob):
    def make(staging, converter, pdfs):
        from docgen.apply.submission import write_submission

        path, _info = write_submission(sub, staging, converter, pdfs)
        return path
    return make


def markdown_images(value: Any) -> list[Path]:
    """Return the image files a Markdown text shows (their bytes are part of the document's key)."""
    from urllib.parse import unquote

    from docgen.load.markdown import MarkdownText

    if not isinstance(value, MarkdownText):
        return []
    base = value.base_dir or Path(".")
    return [base / unquote(str(child.attrs.get("src", ""))) for tok in value.tokens
            for child in tok.children or [] if child.type == "image"]


def _pdf_hash(docs: dict[str, Doc], rel: str) -> str:
    """Return the key of the PDF made from document *rel*, or "absent" when no PDF is made of it."""
    doc = docs.get(rel)
    return doc.pdf if doc is not None and doc.pdf else "absent"


def submission_key(sub: SubmissionJob, docs: dict[str, Doc], hasher: ContextHasher) -> str:
    """Return the key of a submission PDF: its documents' PDFs, the attachments, the seal and the layout."""
    from docgen.apply.submission import ordered_attachments

    unit = sub.unit
    parts = [_pdf_hash(docs, rel) for _title, rel in sub.documents]
    parts += [hash_or_absent(unit.dir / att.file) for _i, att in ordered_attachments(unit, sub.call, sub.app)]
    seal = unit.model.seal
    parts.append(hash_or_absent(unit.dir / seal.image) if seal else "no seal")
    parts.append(hasher({"spec": sub.spec, "unit": unit.model, "sub": sub.app.sub_project,
                         "kinds": sub.call.model.attachments, "title": sub.call.model.project_title,
                         "draft": sub.draft, "documents": sub.documents}))
    return job_key("submission", *parts)
