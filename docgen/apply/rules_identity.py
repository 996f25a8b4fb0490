"""Rule kinds about who applies: people told apart by more than a name, units by their 法人单位.

A person is the same person when both records carry an ID (id_no) and the IDs agree; without IDs,
when the names agree and they work for the same 法人单位. The same name in two 法人单位 without IDs
is *not* counted as one person: it is reported for someone to confirm.

A unit's 法人单位 is, in order: unit.yaml `legal_entity` (its credit code, or the code the bureaus'
registry.yaml gives that name); a registry entry that lists the unit among its departments; else
the unit itself (its own 统一社会信用代码).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from docgen.errors import display_path
from docgen.rules.dates import day_text, parse_date
from docgen.rules.verdict import Verdict, rule_params


@dataclass(frozen=True)
class Entity:
    """The 法人单位 a unit belongs to; `code` is None when the data does not say which one."""

    code: str | None
    name: str
    source: str  # where the fact comes from, for the message


def entity_of(unit, project) -> Entity:
    """Return the 法人单位 of *unit* (see the module's docstring)."""
    u = unit.model
    registries = list(project.registries.values()) if project is not None else []
    if u.legal_entity is not None:
        if u.legal_entity.credit_code:
            return Entity(u.legal_entity.credit_code, u.legal_entity.name, "unit.yaml 的 legal_entity")
        for reg in registries:
            for e in reg.model.entities:
                if e.name == u.legal_entity.name:
                    return Entity(e.credit_code, e.name, display_path(reg.path))
        return Entity(None, u.legal_entity.name, "unit.yaml 的 legal_entity（未写统一社会信用代码）")
    for reg in registries:
        for e in reg.model.entities:
            if unit.id in e.departments or u.name in e.departments or e.credit_code == u.credit_code:
                return Entity(e.credit_code, e.name, display_path(reg.path))
    return Entity(u.credit_code, u.name, "本单位的统一社会信用代码")


Same = Literal["same", "different", "unsure"]


def same_person(name_a: str, id_a: str, code_a: str | None, name_b: str, id_b: str, code_b: str | None) -> Same:
    """Tell whether two records are one person: by ID when both have one, else by name within one 法人单位."""
    if id_a and id_b:
        return "same" if id_a.strip().upper() == id_b.strip().upper() else "different"
    if name_a != name_b:
        return "different"
    if code_a is not None and code_a == code_b:
        return "same"
    return "unsure"


def _id(person) -> str:
    """Return a person's ID when the record has one (a 项目负责人 may; a unit's 负责人 has none)."""
    return getattr(person, "id_no", "") or ""


def _leader(app):
    person = app.model.leader or app.unit.model.leader
    key = ("leader", "name") if app.model.leader else ("sub_project",)
    return person, key


def _org_code(record, project) -> str | None:
    """Return the 法人单位 code of a registry project's unit: its credit code, else found by the unit's name."""
    if record.credit_code:
        return record.credit_code
    for other in project.units.values():
        if other.model.name == record.org:
            return entity_of(other, project).code
    for reg in project.registries.values():
        for e in reg.model.entities:
            if e.name == record.org or record.org in e.departments:
                return e.credit_code
    return None


def one_per_person(rule, idx, call, unit, project):
    """Each person leads at most `max` (default 1) of the call's applications, across all units."""
    limit = rule_params(rule).int("max", 1)
    others = [(a, entity_of(other, project)) for other in project.units.values() for a in other.applications_for(call.id)]
    mine = unit.applications_for(call.id)
    parts: list[str] = []
    problems: list[str] = []
    where = None
    for app in mine:
        person, key = _leader(app)
        code = entity_of(unit, project).code
        same, unsure = [], []
        for other, ent in others:
            if other is app:
                continue
            them, _ = _leader(other)
            verdict = same_person(person.name, _id(person), code, them.name, _id(them), ent.code)
            if verdict == "same":
                same.append(other)
            elif verdict == "unsure":
                unsure.append(other)
        n = 1 + len(same)
        part = f"{person.name}（{unit.model.name}）负责 {n} 个项目"
        if unsure:
            part += "；另有同名的" + "、".join(f"{o.unit.model.name}“{_leader(o)[0].name}”" for o in unsure) + "，未能确认是否同一人"
        if part not in parts:
            parts.append(part)
        if n > limit and not any(p.startswith(f"{person.name} 同时负责") for p in problems):
            listed = "、".join(f"{a.unit.model.name}《{a.model.project_name or a.sub_project.name}》" for a in [app, *same])
            problems.append(f"{person.name} 同时负责：{listed}。只保留其中 {limit} 个，其余更换负责人或撤回")
            where = where or app.positions.locate(key)
        if unsure:
            listed = "、".join(f"{o.unit.model.name}（{display_path(o.path)}）" for o in unsure)
            problems.append(f"{listed} 也有名为“{person.name}”的项目负责人：如是两个人，在双方申报文件的 leader 下填写"
                            f" id_no（身份证号）以示区分；如是同一人，只保留 {limit} 个项目")
            where = where or app.positions.locate(key)
    figures = "；".join(parts) + f"；每人限报 {limit} 个（同名者按证件号或所在法人单位区分）"
    return Verdict(not problems, figures, ("；".join(problems) + "。" + rule.advice) if problems else "", where)


def one_legal_entity(rule, idx, call, unit, project):
    """Units of one 法人单位 do not apply separately (同一法人单位内下级部门分头申请者，不予受理)."""
    mine = entity_of(unit, project)
    where = unit.positions.locate(("legal_entity",) if unit.model.legal_entity else ("credit_code",))
    if mine.code is None:
        return Verdict(False, f"本单位的上级法人单位为“{mine.name}”，但数据中没有它的统一社会信用代码，无法核对同一法人单位的其他申报",
                ("在 unit.yaml 的 legal_entity 下写 credit_code，或由教育局在 data/bureaus/<教育局>/registry.yaml 的 "
                 f"entities 中登记该法人单位及其下级部门。{rule.advice}"), where)
    applying = [u for u in project.units.values() if u.applications_for(call.id)]
    siblings = [u for u in applying if u is not unit and entity_of(u, project).code == mine.code]
    figures = f"所属法人单位：{mine.name}（{mine.code}，据 {mine.source}）；"
    if not siblings:
        return Verdict(True, figures + "同一法人单位申报本通知的只有本单位", "", where)
    names = "、".join(f"{u.model.name}（{u.id}）" for u in siblings)
    figures += f"同一法人单位申报本通知的还有：{names}"
    advice = (f"本单位与 {names} 属于同一法人单位“{mine.name}”，分头申请不予受理：由法人单位统一确定一个单位申报，"
              f"其余单位撤回本通知的全部申报。{rule.advice}")
    return Verdict(False, figures, advice, where)


def single_applicant(rule, idx, call, unit, app):
    """One application, one unit: 不接受两个及以上单位联合申报一个项目."""
    others = app.model.co_applicants
    if not others:
        return Verdict(True, f"申报单位：{unit.model.name}；联合申报单位：无", "", app.positions.locate(("co_applicants",)))
    figures = f"申报单位：{unit.model.name}；联合申报单位：{'、'.join(others)}（共 {len(others) + 1} 个单位）"
    advice = (f"由 {unit.model.name} 一个单位申报：删去 co_applicants；合作单位可作为跟岗基地或专家所在单位写入方案。"
              f"{rule.advice}")
    return Verdict(False, figures, advice, app.positions.locate(("co_applicants",)))


def prior_concluded(rule, idx, call, unit, app, project):
    """The 项目负责人 has no project of batch `batch` that is not concluded (结项) by `by`."""
    p = rule_params(rule)
    batch = str(p["batch"])
    by = parse_date(p["by"], "by")
    person, key = _leader(app)
    where = app.positions.locate(key)
    held = [(reg, reg.model.batch(batch)) for reg in project.registries.values() if reg.model.batch(batch)]
    if not held:
        return Verdict(False, f"数据中没有{batch}项目名单，无法核对负责人 {person.name} 是否有未结项的{batch}项目",
                (f"由教育局在 data/bureaus/<教育局>/registry.yaml 中登记{batch}的全部项目（batches 写批次和名单核对日期，"
                 f"projects 逐项写负责人、单位和结项日期）。{rule.advice}"), where)
    code = entity_of(app.unit, project).code
    total = sum(1 for reg, _ in held for x in reg.model.projects if x.batch == batch)
    source = "、".join(f"据 {display_path(reg.path)}，核对于 {b.listed_on}" for reg, b in held)
    problems, notes = [], []
    for reg, _ in held:
        for x in reg.model.projects:
            if x.batch != batch:
                continue
            verdict = same_person(person.name, _id(person), code, x.leader, x.leader_id, _org_code(x, project))
            if verdict == "same" and (x.concluded is None or x.concluded > by):
                status = "尚未结项" if x.concluded is None else f"{day_text(x.concluded)}才结项"
                notes.append(f"{x.leader}负责的{batch}项目《{x.name}》{status}")
                problems.append(f"负责人 {person.name} 的{batch}项目《{x.name}》{status}，{batch}项目未结项者不得申报："
                                "结项后再申报，或更换项目负责人")
            elif verdict == "same":
                notes.append(f"{x.leader}负责的{batch}项目《{x.name}》已于 {day_text(x.concluded)}结项")
            elif verdict == "different" and x.leader == person.name:
                notes.append(f"名单中{x.org}的“{x.leader}”证件号与本项目负责人不同，不是同一人")
            elif verdict == "unsure":
                notes.append(f"{x.org}有同名的{batch}项目负责人“{x.leader}”（《{x.name}》），未能确认是否同一人")
                problems.append(f"{x.org}的“{x.leader}”与本项目负责人同名：如是两个人，在申报文件的 leader 下填写 id_no，"
                                f"并请教育局在 {display_path(reg.path)} 中为其填写 leader_id；如是同一人，按其结项情况处理")
    figures = (f"{batch}项目名单 {total} 项（{source}）；" + ("；".join(notes) if notes else f"其中没有负责人“{person.name}”")
               + f"；要求 {day_text(by)}前已结项")
    return Verdict(not problems, figures, ("；".join(problems) + "。" + rule.advice) if problems else "", where)
