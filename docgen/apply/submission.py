"""Plan and write the submission PDF of each application: which parts, in which order, stamped how.

The order is data: the call's ``submission.parts`` (form ids: 申报书, 实施方案 …), then
the 佐证资料 in the order of the call's ``attachments:`` list, each unit attachment
serving one or more of those kinds included once (attachments the call does not list are left out).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen.apply.load import LoadedApplication, LoadedCall, LoadedUnit
from docgen.models.call import Submission
from docgen.models.unit import Attachment
from docgen.pdf.assemble import Part, Stamping, TocEntry, assemble

Converter = Callable[[list[Path]], dict[Path, Path]]


@dataclass
class SubmissionJob:
    """One submission PDF: for which application, from which converted documents, to which file."""

    unit: LoadedUnit
    call: LoadedCall
    app: LoadedApplication
    spec: Submission
    output: str  # relative to the output folder
    documents: list[tuple[str, str]] = field(default_factory=list)  # (title, rel path of the source docx/xlsx)
    draft: bool = False  # rules failed: no seal, "草稿" across the copies


def ordered_attachments(unit: LoadedUnit, call: LoadedCall, app: LoadedApplication | None = None
                        ) -> list[tuple[int, Attachment]]:
    """Return the unit's attachments that serve a kind the call lists, in the call's order, each once.

    Attachments the call does not ask for, and those declared for another call or another
    application (``call:`` / ``application:`` in unit.yaml: a 授权书 names one project), are left out.
    """
    items = [(i, att) for i, att in enumerate(unit.model.attachments)
             if att.in_scope(call.id, app.id if app is not None else None)]
    chosen: list[tuple[int, Attachment]] = []
    for kind in call.model.attachments:
        for i, att in items:
            if kind in att.kinds and all(i != j for j, _ in chosen):
                chosen.append((i, att))
    return chosen


def attachment_parts(unit: LoadedUnit, call: LoadedCall, group: str, app: LoadedApplication | None = None
                     ) -> list[Part]:
    parts = []
    for i, att in ordered_attachments(unit, call, app):
        served = [k for k in att.serves_as if k != att.title]
        note = f"（作为{'、'.join(served)}）" if served else ""
        parts.append(Part(att.title, unit.dir / att.file, copy=True, password=att.password,
                          location=unit.positions.locate(("attachments", i, "file")), group=group, note=note))
    return parts


def stamping_for(unit: LoadedUnit, spec: Submission) -> Stamping:
    seal = unit.model.seal
    return Stamping(seal_image=unit.dir / seal.image if seal else None,
                    diameter_mm=seal.diameter_mm if seal else 42.0,
                    places=tuple(spec.seal_places), riding_seal=spec.riding_seal and seal is not None,
                    stamp_copies=spec.stamp_copies, watermark=spec.watermark)


def toc_docx(title: str, entries: list[TocEntry]) -> bytes:
    """Return a 目录 page as docx bytes (黑体 heading, 仿宋 lines, dotted leaders to the page range)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from docgen.outputs.zipnorm import normalize_zip

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.8)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)

    def font(run, name, size):
        run.font.name, run.font.size = name, Pt(size)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    if title:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font(p.add_run(title), "黑体", 16)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(18)
    font(p.add_run("目　　录"), "方正小标宋简体", 22)
    width = Cm(21 - 2 * 2.8)
    for entry in entries:
        p = doc.add_paragraph()
        p.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        p.paragraph_format.left_indent = Cm(0.85 * entry.level)
        p.paragraph_format.space_after = Pt(6)
        pages = f"{entry.first}" if entry.first == entry.last else f"{entry.first}—{entry.last}"
        font(p.add_run(f"{entry.title}{entry.note}\t{pages}"), "黑体" if entry.level == 0 else "仿宋_GB2312", 15)
    buf = io.BytesIO()
    doc.save(buf)
    return normalize_zip(buf.getvalue())


def refuse_unsealed(job: SubmissionJob) -> None:
    """Refuse a final (not draft) submission PDF for a unit without a seal image: it would go out unsealed."""
    if job.draft or job.unit.model.seal is not None or not spec_wants_seal(job.spec):
        return
    from docgen.errors import Diagnostic, InputError

    raise InputError(Diagnostic(
        "D560", f"单位“{job.unit.model.name}”没有印章图片，不能生成正式的申报材料 PDF（{Path(job.output).name}）",
        job.unit.positions.locate(("seal",)), field="印章图片",
        hint="在填报表“单位信息”的“公章·印章图片”一栏填写印章图片文件（PNG，透明底）后重新导入；"
             "只想先看效果，加 --draft 生成不盖章的草稿。"))


def spec_wants_seal(spec: Submission) -> bool:
    """Return whether the call's submission is stamped at all (seal places, riding seal or stamped copies)."""
    return bool(spec.seal_places or spec.riding_seal or spec.stamp_copies)


def write_submission(job: SubmissionJob, staging, converter: Converter, pdfs: dict[str, Path]):
    """Assemble *job* from converted PDFs (rel docx path → PDF) and the unit's attachments into *staging*."""
    spec = job.spec
    parts = [Part(title, pdfs[rel]) for title, rel in job.documents if rel in pdfs]
    parts += attachment_parts(job.unit, job.call, spec.attachments_title, job.app)

    def toc_maker(entries: list[TocEntry]) -> Path:
        heading = f"{job.unit.model.name}　{job.app.sub_project.display_no} {job.app.sub_project.name}"
        rel = str(Path(job.output).with_name(f".toc-{Path(job.output).stem}.docx"))
        source = staging.scratch(rel, toc_docx(heading, entries))
        return converter([source])[source]

    refuse_unsealed(job)
    stamping = stamping_for(job.unit, spec)
    if job.draft:  # a draft is never stamped with the unit's seal
        stamping.seal_image, stamping.riding_seal, stamping.watermark = None, False, "草稿 · 未通过规则检查，不得报送"
    pdf, info = assemble(parts, stamping, toc_maker if spec.toc else None,
                         title=f"{job.call.model.project_title}申报材料（{job.unit.model.name}）")
    path = staging.write_with(job.output, lambda target: pdf.save(target, deterministic_id=True, encryption=False))
    pdf.close()
    return path, info

