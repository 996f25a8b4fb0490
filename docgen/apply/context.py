"""Build the variables a template sees, from loaded data. One place, so `template vars` can list them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.apply.load import LoadedApplication, LoadedCall, LoadedUnit, Project
from docgen.load.markdown import plain_paragraphs
from docgen.models.application import ContactPerson
from docgen.models.call import Guide
from docgen.render.env import paragraphs
from docgen.render.richtext import RichText


def _contact(app: LoadedApplication):
    """Return the application's 具体负责人, else its 项目负责人, else the unit's department head."""
    m = app.model
    if m.contact is not None:
        return m.contact
    unit = app.unit.model
    person = m.leader or (unit.department.head if unit.department else unit.leader)
    return ContactPerson(name=person.name, phone=person.phone)


def narrative_texts(app: LoadedApplication) -> dict[str, str]:
    """Return key → plain text (paragraphs separated by blank lines); Markdown files lose their marks."""
    out = {}
    for f in app.call.model.application.narrative:
        if f.key in app.markdown:
            out[f.key] = "\n\n".join(plain_paragraphs(app.markdown[f.key]))
        else:
            value = app.model.narrative.get(f.key, "")
            out[f.key] = value if isinstance(value, str) else ""
    return out


def narrative_rich(app: LoadedApplication) -> dict[str, RichText]:
    """Return key → rich content for ``{{p app.rich.key }}``: Markdown files rendered, YAML text as paragraphs."""
    out = {}
    for f in app.call.model.application.narrative:
        if f.key in app.markdown:
            out[f.key] = RichText(app.markdown[f.key])
        else:
            value = app.model.narrative.get(f.key, "")
            out[f.key] = RichText(plain=paragraphs(value if isinstance(value, str) else ""))
    return out


def _app_vars(app: LoadedApplication) -> dict[str, Any]:
    m = app.model
    return {
        "model": m,
        "id": app.id,
        "sub": app.sub_project,
        "rank": m.rank,
        "project_name": m.project_name or f"{app.call.model.project_title}（{app.sub_project.name}）",
        "contact": _contact(app),
        "filled": m.filled,
        "remark": m.remark,
        "narrative": narrative_texts(app),
        "rich": narrative_rich(app),
        "mentors": m.mentors,
        "growth_cases": m.growth_cases,
        "leader": m.leader or app.unit.model.leader,
        "participants": m.participants,
        "schedule": m.schedule,
        "key_work": m.key_work,
        "completion": m.completion or app.sub_project.deadline,
    }


def late_projects(app: LoadedApplication) -> list:
    """Return the unit's past projects that end after the application's filing date (not yet past then)."""
    filed = app.model.filled
    return [p for p in app.unit.model.experience if filed is not None and p.end > filed]


def unit_as_filed(app: LoadedApplication):
    """Return the unit as it stood on the filing date: projects ending later are not yet 相关项目经验."""
    late = late_projects(app)
    if not late:
        return app.unit.model
    return app.unit.model.model_copy(update={"experience": [p for p in app.unit.model.experience if p not in late]})


def application_context(app: LoadedApplication, draft: bool = False) -> dict[str, Any]:
    """Return the variables of a per-application form (申报书, 实施方案)."""
    return {
        "unit": unit_as_filed(app),
        "call": app.call.model,
        "app": _app_vars(app),
        "sub": app.sub_project,
        "draft": draft,
    }


def unit_context(unit: LoadedUnit, call: LoadedCall, draft: bool = False) -> dict[str, Any]:
    """Return the variables of a per-unit form (汇总表): the unit's applications in rank order."""
    apps = [_app_vars(a) for a in unit.applications_for(call.id)]
    contact = apps[0]["contact"] if apps else None
    return {
        "unit": unit.model,
        "call": call.model,
        "applications": apps,
        "contact": {"name": contact.name if contact else unit.model.leader.name,
                    "phone": contact.phone if contact else unit.model.leader.phone},
        "draft": draft,
    }


def call_context(call: LoadedCall) -> dict[str, Any]:
    """Return the variables of a per-call form (附件1 一览表, 附件4 blank 汇总表, 附件5 评分标准)."""
    m = call.model
    return {
        "call": m,
        "sub_projects": m.sub_projects,
        "scoring": m.scoring,
        "scoring_notes": m.scoring_notes,
        "total_points": m.total_points,
        "blank_rows": [1, 2, 3],
        "guide": m.guide or Guide(),  # 附件2 申报指南's own text (empty when the call has none)
        "draft": False,
    }


def context_for_template(project: Project | None, template: Path) -> dict[str, Any] | None:
    """The variables docgen gives *template*, built from the first application (or unit) that uses it."""
    if project is None:
        return None
    target = template.resolve()
    per = "unit" if template.suffix.lower() == ".xlsx" else "application"
    call_ids = list(project.calls)
    for call in project.calls.values():
        for form in call.model.forms:
            if (project.root / form.template).resolve() == target:
                per, call_ids = form.per, [call.id]
                break
    if per == "call":
        return call_context(project.calls[call_ids[0]])
    for cid in call_ids:
        for unit in project.units.values():
            apps = unit.applications_for(cid)
            if apps:
                if per == "unit":
                    return unit_context(unit, project.calls[cid])
                return application_context(apps[0])
    return None
