"""Evaluate a call's declared rules on units and applications.

Python holds the *kinds* of rules; each call's YAML instantiates them with
its own figures (``min: "1:5"``). A kind returns a :class:`Verdict` (the figures,
passed or not and, when it fails, what to change and where); :func:`evaluate` wraps
it into a :class:`RuleResult` naming the rule, unit and application.

A mistake in a rule's ``params`` (a missing key, a path that leads nowhere, a number
that is not one) raises :class:`BadParams` and is reported as D302 at the rule in
call.yaml; any other exception is a bug in docgen and propagates as an internal error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from docgen.apply import rules_dates, rules_identity
from docgen.apply.load import LoadedApplication, LoadedCall, LoadedUnit, Project
from docgen.errors import Diagnostic, InputError, Location
from docgen.load.markdown import plain_paragraphs
from docgen.models.call import Rule
from docgen.rules.dates import day_text, parse_date
from docgen.rules.thresholds import parse_fraction, percent_text, ratio_text
from docgen.rules.verdict import BadParams, Verdict, rule_params
from docgen.text import count_words


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    call: LoadedCall
    unit: LoadedUnit
    application: LoadedApplication | None
    passed: bool
    figures: str
    advice: str = ""
    location: Location | None = None

    @property
    def subject(self) -> str:
        if self.application is None:
            return "本单位"
        sub = self.application.sub_project
        return f"{sub.display_no} {sub.name}"


def _resolve(path: str, app: LoadedApplication | None, unit: LoadedUnit, call: LoadedCall) -> Any:
    roots = {
        "application": app.model if app else None,
        "sub_project": app.sub_project if app else None,
        "unit": unit.model,
        "call": call.model,
    }
    head, *rest = str(path).split(".")
    if head not in roots:
        raise BadParams(f"路径“{path}”应以 {'、'.join(roots)} 之一开头")
    if roots[head] is None:
        raise BadParams(f"路径“{path}”只能用于针对每份申报的规则")
    value: Any = roots[head]
    for part in rest:
        if value is None or part.startswith("_") or not hasattr(value, part):
            raise BadParams(f"路径“{path}”中的“{part}”不存在")
        value = getattr(value, part)
    return value


def _measure(path: str, app, unit, call) -> int:
    value = _resolve(path, app, unit, call)
    if isinstance(value, (list, tuple)):
        return len(value)
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        raise BadParams(f"路径“{path}”的值不是数量：“{value}”") from None


def _matches(item: Any, where: dict[str, Any]) -> bool:
    if not isinstance(where, dict):
        raise BadParams("where 应为“字段: 取值”形式")
    for key, expected in where.items():
        if str(key).startswith("_") or not hasattr(item, key):
            raise BadParams(f"where 中的字段“{key}”不存在")
        actual = getattr(item, key)
        options = expected if isinstance(expected, list) else [expected]
        options = [_coerce(o, actual) for o in options]
        if actual not in options:
            return False
    return True


def _coerce(option: Any, actual: Any) -> Any:
    if isinstance(actual, bool) and isinstance(option, str):
        return option.strip() in ("true", "True", "是", "yes", "1")
    return option


def _loc(call: LoadedCall, rule_index: int, param: str = "min") -> str:
    """Return where a rule's threshold is written (file:line:col), for messages about it."""
    return str(call.positions.locate(("rules", rule_index, "params", param)))


# --- rule kinds -----------------------------------------------------------------------------

def ratio_min(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication):
    p = rule_params(rule)
    minimum = parse_fraction(p["min"], _loc(call, idx))
    if _resolve(p["denominator"], app, unit, call) is None:
        raise BadParams(f"{p['denominator']} 没有填写（如子项目的 trainees 培训人数）")
    num = _measure(p["numerator"], app, unit, call)
    den = _measure(p["denominator"], app, unit, call)
    num_label = p.get("numerator_label", "数量")
    den_label = p.get("denominator_label", "人数")
    unit_word = p.get("unit_word", "")
    required = math.ceil(minimum * den)
    passed = num >= required
    actual = Fraction(num, den) if den else Fraction(0)
    den_word = p.get("denominator_unit", "人")
    figures = (f"{num_label} {num} {unit_word}，{den_label} {den} {den_word}，"
               f"比例 {ratio_text(actual)}，要求不低于 {ratio_text(minimum)}（至少 {required} {unit_word}）")
    advice = "" if passed else (f"{num_label}还差 {required - num} {unit_word}，请增加到至少 {required} {unit_word}。"
                                f"{rule.advice}")
    where = app.positions.locate((p["numerator"].split(".")[-1],)) if p["numerator"].startswith("application.") else None
    return Verdict(passed, figures, advice, where)


def share_min(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication | None):
    p = rule_params(rule)
    minimum = parse_fraction(p["min"], _loc(call, idx))
    items = _items(p["of"], app, unit, call)
    total = len(items)
    hits = sum(1 for item in items if _matches(item, p.get("where", {})))
    required = math.ceil(minimum * total)
    passed = total > 0 and hits >= required
    of_label = p.get("of_label", "人员")
    hit_label = p.get("where_label", "符合条件者")
    share = Fraction(hits, total) if total else Fraction(0)
    figures = (f"{of_label}共 {total} 人，其中{hit_label} {hits} 人，占 {percent_text(share)}，"
               f"要求不低于 {percent_text(minimum)}（至少 {required} 人）")
    advice = "" if passed else (f"{hit_label}还差 {required - hits} 人：增加{hit_label}，或减少其他{of_label}。"
                                f"{rule.advice}")
    where = None
    if p["of"].startswith("unit."):
        where = unit.positions.locate(tuple(p["of"].split(".")[1:]))
    return Verdict(passed, figures, advice, where)


def _items(path: str, app, unit, call) -> list:
    value = _resolve(path, app, unit, call)
    if not isinstance(value, (list, tuple)):
        raise BadParams(f"路径“{path}”应指向一个列表（如 unit.experts）")
    return list(value)


def exclusive(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    p = rule_params(rule)
    try:
        subs = [int(s) for s in p["sub_projects"]]
    except (TypeError, ValueError):
        raise BadParams(f"sub_projects 应为子项目序号的列表，这里是“{p['sub_projects']}”") from None
    limit = p.int("max", 1)
    chosen = [a for a in unit.applications_for(call.id) if a.sub_project.no in subs]
    names = "、".join(f"{a.sub_project.display_no}（排序 {a.model.rank}）" for a in chosen) or "无"
    listed = "、".join(f"项目{s}" for s in subs)
    passed = len(chosen) <= limit
    figures = f"申报了 {listed} 中的 {len(chosen)} 个：{names}；最多可承担 {limit} 个"
    advice = ""
    where = None
    if not passed:
        kept = "、".join(a.sub_project.display_no for a in chosen[:limit])
        dropped = "、".join(a.sub_project.display_no for a in chosen[limit:])
        advice = (f"按申报排序只会确定 {kept}，{dropped} 不会被确定；"
                  f"撤回 {dropped} 的申报书，或调整 rank 排序。{rule.advice}")
        where = chosen[limit].positions.locate(("sub_project",))
    return Verdict(passed, figures, advice, where)


def years_covered(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    """The unit ran a project (of `values` levels, named with one of `name_has`) in each of the `years` years.

    With `as_of` (the filing date), a project that ends after it is not yet 承担过 and does not count.
    """
    p = rule_params(rule)
    count = p.int("years", 3)
    years = list(range(call.model.year - count, call.model.year))
    field_name = p.get("field", "level")
    values = p.get("values", [])
    words = p.get("name_has", [])  # 同类型: the project's name holds one of these words (信息技术 …)
    as_of = parse_date(p["as_of"], "as_of") if p.get("as_of") else None
    items = _items(p["of"], app, unit, call)
    if items and not all(hasattr(i, "years") and hasattr(i, field_name) for i in items):
        raise BadParams(f"“{p['of']}”的各项没有年份或字段“{field_name}”（应指向项目经验，如 unit.experience）")
    kind_ok = [i for i in items if (not values or getattr(i, field_name) in values)
               and (not words or any(w in i.name for w in words))]
    ongoing = [i for i in kind_ok if as_of is not None and i.end > as_of]
    counted = [i for i in kind_ok if i not in ongoing]
    per_year = {y: [i for i in counted if y in i.years()] for y in years}
    missing = [y for y, hits in per_year.items() if not hits]
    figures = "；".join(f"{y} 年 {len(hits)} 个" for y, hits in per_year.items())
    kinds = "/".join(values) + (f"（名称含“{'”或“'.join(words)}”）" if words else "")
    if as_of is not None:
        figures += f"；截至 {day_text(as_of)}已结束的才计入"
        if ongoing:
            figures += "，不计入：" + "、".join(f"《{i.name}》（{i.end} 结束）" for i in ongoing)
    advice = ""
    if missing:
        what = f"{kinds}项目"
        advice = (f"{'、'.join(map(str, missing))} 年没有{what}：在相关项目经验中补充该年承担的项目"
                  f"（实施起止日期须落在该年{'，且在 ' + day_text(as_of) + '前结束' if as_of else ''}"
                  f"{'；项目名称须写明“' + '”或“'.join(words) + '”等类型' if words else ''}）。{rule.advice}")
    where = unit.positions.locate(tuple(p["of"].split(".")[1:]))
    return Verdict(not missing, f"{years[0]}–{years[-1]} 年承担{kinds}项目：{figures}", advice, where)


def has_experience(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    """A unit of `kind` (e.g. 高校) has run at least one project of `values` levels, ended by `as_of`."""
    p = rule_params(rule)
    kinds = p.get("kind", [])
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    values = list(p.get("values", []))
    as_of = parse_date(p["as_of"], "as_of") if p.get("as_of") else None
    if kinds and unit.model.kind not in kinds:
        return Verdict(True, f"本单位为{unit.model.kind}，此条只对{'、'.join(kinds)}", "", unit.positions.locate(("kind",)))
    hits = [e for e in unit.model.experience if e.level in values and (as_of is None or e.end <= as_of)]
    label = "/".join(values)
    when = f"（截至 {day_text(as_of)}已结束）" if as_of else ""
    figures = f"承担过{label}项目 {len(hits)} 个{when}" + (
        "：" + "、".join(f"《{e.name}》" for e in hits[:3]) + ("等" if len(hits) > 3 else "") if hits else "")
    advice = "" if hits else (f"在 unit.yaml 的 experience 中列出本单位承担过的{label}项目（级别 level 写 "
                              f"{'或'.join(values)}）；没有承担过的，不具备申报条件。{rule.advice}")
    return Verdict(bool(hits), figures, advice, unit.positions.locate(("experience",)))


def required_attachments(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication | None):
    """Every 佐证 the call lists is there for each application, within its scope (the call's or the
    application's own file), dated on or before the filing date, and not written for another call."""
    from docgen.apply.evidence import attachment_date, other_call_named

    items = rule_params(rule).get("items") or call.model.attachments
    apps: list[LoadedApplication | None] = [*unit.applications_for(call.id)] or [None]
    others = {a.call.model.project_title for a in unit.applications if a.call.id != call.id}
    problems: list[str] = []
    where = None
    provided = len(items)
    for app in apps:
        app_id = app.id if app is not None else None
        label = f"{app.sub_project.display_no}：" if app is not None and len(apps) > 1 else ""
        missing = [k for k in items if unit.model.attachment_for(k, call.id, app_id) is None]
        provided = min(provided, len(items) - len(missing))
        if missing:
            problems.append(f"{label}缺少：{'、'.join(missing)}")
            where = where or unit.positions.locate(("attachments",))
        filed = app.model.filled if app is not None else None
        from docgen.apply.submission import ordered_attachments
        for i, att in ordered_attachments(unit, call, app):  # every file bound into this bundle
            path = unit.dir / att.file
            dated = attachment_date(att, path)
            if filed is not None and dated is not None and dated > filed:
                problems.append(f"{label}“{att.title}”的日期 {dated} 晚于填表日期 {filed}")
                where = where or unit.positions.locate(("attachments", i, "date" if att.date else "file"))
            named = other_call_named(path, others - {call.model.project_title})
            if named:
                problems.append(f"{label}“{att.title}”写的是另一通知的项目：{named}")
                where = where or unit.positions.locate(("attachments", i, "file"))
    figures = f"要求 {len(items)} 项，已提供 {provided} 项"
    advice = ""
    if problems:
        figures += "；" + "；".join(problems)
        advice = ("为本通知（或本项申报）准备日期不晚于填表日期的材料，在 unit.yaml 的该材料下写 call: 通知 或 "
                  "application: 申报文件名 与 date: 出具日期，别的通知的材料同样标明所属"
                  "（三证合一的营业执照可用 serves_as 同时作为税务登记证、组织机构代码证）。" + rule.advice)
    return Verdict(not problems, figures, advice, where or unit.positions.locate(("attachments",)))


def word_limit(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication):
    """A narrative field has at most `max` 字 (Word/WPS count, docgen.text.count_words)."""
    p = rule_params(rule)
    field_path = str(p["field"])  # e.g. narrative.goal
    head, _, key = field_path.partition(".")
    if head != "narrative" or not key:
        raise BadParams(f"field 应写作 narrative.<键>，这里是“{field_path}”")
    limit = p.int("max")
    label = next((f.title for f in call.model.application.narrative if f.key == key), key)
    if key in app.markdown:  # a Markdown file: count its plain text, as the 年终总结 does
        words = sum(count_words(t) for t in plain_paragraphs(app.markdown[key]))
    else:
        value = app.model.narrative.get(key, "")
        words = count_words(value if isinstance(value, str) else "")
    passed = words <= limit
    figures = f"“{label}”共 {words} 字（按 Word/WPS 字数统计），要求不超过 {limit} 字"
    advice = "" if passed else f"删减 {words - limit} 字以上。{rule.advice}"
    return Verdict(passed, figures, advice, app.positions.locate(("narrative", key)))


def _person(path: str, app: LoadedApplication):
    """Return the person a role rule looks at: the 项目负责人 (default) or the unit's 负责人."""
    if path in ("application.leader", "", None):
        return app.model.leader or app.unit.model.leader, ("leader", "position") if app.model.leader else None
    if path == "unit.leader":
        return app.unit.model.leader, None
    raise BadParams(f"person 只能是 application.leader 或 unit.leader，这里是“{path}”")


def role(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication):
    """The 负责人 holds one of the positions allowed for the unit's kind (and level)."""
    p = rule_params(rule)
    person, key = _person(p.get("person", "application.leader"), app)
    u = unit.model
    if not isinstance(p["allowed"], list) or not all(isinstance(a, dict) and "positions" in a for a in p["allowed"]):
        raise BadParams("allowed 应为列表，每项写 kind、level（可省）和 positions")
    allowed = [a for a in p["allowed"] if a.get("kind") == u.kind and (not a.get("level") or a["level"] == u.level)]
    positions = [str(x) for a in allowed for x in a["positions"]]
    who = f"{u.kind}{'（' + u.level + '）' if u.level else ''}"
    position = person.position.strip()
    passed = position in positions
    if positions:
        figures = f"负责人 {person.name}，职务“{position}”；{who}的负责人须为：{'、'.join(positions)}"
    else:
        kinds = "、".join(sorted({f"{a['kind']}{'（' + a['level'] + '）' if a.get('level') else ''}"
                                  for a in p["allowed"]}))
        figures = f"申报单位类型为{who}，本通知只接受：{kinds}"
    advice = "" if passed else (f"由{'或'.join(positions)}担任项目负责人（application 的 leader）。{rule.advice}"
                                if positions else f"本单位不在申报范围内。{rule.advice}")
    where = app.positions.locate(key) if key else unit.positions.locate(("leader", "position"))
    return Verdict(passed, figures, advice, where)


def bureau_quota(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, project: Project):
    """A 县级 education bureau must be recommended by its city, within `max` of the city's 县（区）.

    Applies to units of `kind`/`level` (default 教育局/县级); others are not subject to it (no result).
    The city's counties and recommendations are in data/bureaus/<id>/bureau.yaml.
    """
    p = rule_params(rule)
    u = unit.model
    if u.kind != p.get("kind", "教育局") or u.level != p.get("level", "县级"):
        return None
    share = parse_fraction(p.get("max", "1/2"), _loc(call, idx, "max"))
    home = next(((b, county) for b in project.recommenders.values()
                 if (county := b.model.county_of(unit.id)) is not None), None)
    if home is None:
        return Verdict(False, f"{u.name}不在任何省辖市教育局的所辖县（区）名单中（data/bureaus/*/bureau.yaml）",
                       f"在所在省辖市的 bureau.yaml 中把本单位写入 counties（unit: {unit.id}），并列入推荐名单。"
                       f"{rule.advice}", unit.positions.locate(("level",)))
    bureau, county = home
    recommended = bureau.model.recommended(call.id)
    total = len(bureau.model.counties)
    cap = math.floor(share * total)
    figures = (f"{bureau.model.name}所辖县（区）{total} 个，推荐 {len(recommended)} 个，上限 {cap} 个"
               f"（不超过 {share.numerator}/{share.denominator}）；{county.name}"
               f"{'在' if county.name in recommended else '不在'}推荐名单中")
    problems = []
    if county.name not in recommended:
        problems.append(f"{county.name}未经{bureau.model.name}审核推荐：在 bureau.yaml 的 recommendations 中列入")
    if len(recommended) > cap:
        problems.append(f"推荐名单超出 {len(recommended) - cap} 个，请减少到 {cap} 个以内")
    idx_rec = next((i for i, r in enumerate(bureau.model.recommendations) if r.call == call.id), None)
    where = bureau.positions.locate(("recommendations", idx_rec) if idx_rec is not None else ("counties",))
    return Verdict(not problems, figures, ("；".join(problems) + "。" + rule.advice) if problems else "", where)


# A rule kind: fn(rule, idx, call, unit, app | None | project) → Verdict (None: the rule does not apply).
Kind = Callable[..., "Verdict | None"]

PER_APPLICATION: dict[str, Kind] = {"ratio_min": ratio_min, "share_min": share_min, "word_limit": word_limit,
                                        "role": role, "single_applicant": rules_identity.single_applicant,
                                        "batches": rules_dates.batches, "visits": rules_dates.visits,
                                        "finish_by": rules_dates.finish_by}
PER_UNIT: dict[str, Kind] = {"exclusive": exclusive, "years_covered": years_covered,
                                 "required_attachments": required_attachments, "has_experience": has_experience}
# Rules that look across the whole call (every unit's applications, the bureaus' data): fn(rule, idx, call,
# unit, project) → Verdict, or None when the rule does not apply to this unit.
PER_CALL: dict[str, Kind] = {"one_per_person": rules_identity.one_per_person, "bureau_quota": bureau_quota,
                                 "one_legal_entity": rules_identity.one_legal_entity}
# Per application, with the bureaus' data: fn(rule, idx, call, unit, app, project).
PER_APPLICATION_CALL: dict[str, Kind] = {"prior_concluded": rules_identity.prior_concluded}


def _result(rule: Rule, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication | None, verdict: Verdict | None,
            fallback: Location | None = None) -> RuleResult:
    if not isinstance(verdict, Verdict):
        raise TypeError(f"rule kind {rule.kind!r} returned {type(verdict).__name__}, not a Verdict")
    return RuleResult(rule, call, unit, app, verdict.passed, verdict.figures, verdict.advice,
                      verdict.where or fallback)


def evaluate(call: LoadedCall, unit: LoadedUnit, project: Project | None = None) -> list[RuleResult]:
    """Return the result of every rule of *call* on *unit* and its applications to it."""
    apps = unit.applications_for(call.id)
    if not apps:
        return []
    results: list[RuleResult] = []
    problems: list[Diagnostic] = []
    for idx, rule in enumerate(call.model.rules):
        try:
            if rule.kind in PER_CALL:
                if project is None:
                    continue
                verdict = PER_CALL[rule.kind](rule, idx, call, unit, project)
                if verdict is not None:
                    results.append(_result(rule, call, unit, None, verdict))
            elif rule.kind in PER_APPLICATION_CALL:
                if project is None:
                    continue
                for app in apps:
                    verdict = PER_APPLICATION_CALL[rule.kind](rule, idx, call, unit, app, project)
                    results.append(_result(rule, call, unit, app, verdict, app.positions.locate(())))
            elif rule.kind in PER_UNIT:
                results.append(_result(rule, call, unit, None, PER_UNIT[rule.kind](rule, idx, call, unit, None)))
            else:
                for app in apps:
                    verdict = PER_APPLICATION[rule.kind](rule, idx, call, unit, app)
                    results.append(_result(rule, call, unit, app, verdict, app.positions.locate(())))
        except InputError as exc:
            problems.extend(exc.diagnostics)
        except BadParams as exc:  # only the user's mistakes; a bug in a kind propagates (exit 5)
            problems.append(Diagnostic(
                "D302", f"规则“{rule.id}”的参数有误：{exc}", call.positions.locate(("rules", idx, "params")),
                field=f"rules[{idx}].params",
                hint="参数名见 README 的“规则类型”一节；路径形如 application.mentors、unit.experts。"))
    if problems:
        raise InputError(problems)
    results.extend(_late_projects(call, unit, apps))
    return results


LATE = Rule.model_construct(id="经历", kind="years_covered", title="相关项目经验均在填表日期前结束", advice="",
                            params={})


def _late_projects(call: LoadedCall, unit: LoadedUnit, apps: list[LoadedApplication]) -> list[RuleResult]:
    """Report, for each application, the past projects that end after its filing date (left out of it)."""
    from docgen.apply.context import late_projects

    found: list[RuleResult] = []
    if "experience" not in call.model.application.requires:
        return found  # the call's forms print no 相关项目经验
    for app in apps:
        late = late_projects(app)
        if late:
            names = "；".join(f"{p.name}（{p.end} 结束）" for p in late)
            i = unit.model.experience.index(late[0])
            found.append(RuleResult(LATE, call, unit, app, True,
                                    f"填表日期 {app.model.filled}，其后结束的 {len(late)} 个项目不列入本申报书：{names}",
                                    "", unit.positions.locate(("experience", i, "end"))))
    return found


def evaluate_project(project: Project) -> list[RuleResult]:
    """Return every rule result; raise InputError with every badly declared rule of every call."""
    from docgen.apply.evidence import read_ahead
    from docgen.apply.submission import ordered_attachments

    results: list[RuleResult] = []
    problems: dict[tuple, Diagnostic] = {}

    def bundled(unit: LoadedUnit, call: LoadedCall) -> list[Path]:  # the files required_attachments reads, in every application's bundle
        apps: list[LoadedApplication | None] = [*unit.applications_for(call.id)] or [None]
        return [unit.dir / att.file for app in apps for _i, att in ordered_attachments(unit, call, app)]

    read_ahead(path for unit in project.units.values() for call in project.calls.values()
               for path in bundled(unit, call))
    for unit in project.units.values():
        for call in project.calls.values():
            try:
                results.extend(evaluate(call, unit, project))
            except InputError as exc:
                for d in exc.diagnostics:  # the same rule fails for every unit: report it once
                    problems.setdefault((d.code, str(d.location), d.message), d)
    if problems:
        raise InputError(list(problems.values()))
    return results
