"""Evaluate a call's declared rules on units and applications.

Python holds the *kinds* of rules; each call's YAML instantiates them with
its own figures (``min: "1:5"``). A result carries the figures, a verdict
and, when it fails, what to change and where.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

from docgen.errors import Diagnostic, InputError, Location
from docgen.loaders.project import LoadedApplication, LoadedCall, LoadedUnit, Project
from docgen.models.call import Rule


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


def parse_fraction(value: Any, where: str) -> Fraction:
    """Parse "1:5", "1/10", "30%", "0.5" or a number into a Fraction."""
    text = str(value).strip().replace("：", ":").replace(" ", "")
    try:
        if text.endswith("%"):
            return Fraction(text[:-1]) / 100
        if ":" in text:
            a, b = text.split(":")
            return Fraction(a) / Fraction(b)
        return Fraction(text)
    except (ValueError, ZeroDivisionError):
        raise InputError(Diagnostic("D301", f"规则阈值“{value}”无法识别", Location(where),
                                    hint="写成 1:5、1/10、30% 或 0.5 的形式。"))


def ratio_text(value: Fraction) -> str:
    if value == 0:
        return "0"
    return f"1:{float(1 / value):.2f}".rstrip("0").rstrip(".")


def percent_text(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%".replace(".0%", "%")


def _resolve(path: str, app: LoadedApplication | None, unit: LoadedUnit, call: LoadedCall) -> Any:
    roots = {
        "application": app.model if app else None,
        "sub_project": app.sub_project if app else None,
        "unit": unit.model,
        "call": call.model,
    }
    head, *rest = path.split(".")
    if head not in roots or roots[head] is None:
        raise KeyError(path)
    value: Any = roots[head]
    for part in rest:
        value = getattr(value, part)
    return value


def _measure(path: str, app, unit, call) -> int:
    value = _resolve(path, app, unit, call)
    if isinstance(value, (list, tuple)):
        return len(value)
    return int(value or 0)


def _matches(item: Any, where: dict[str, Any]) -> bool:
    for key, expected in where.items():
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


def _loc(call: LoadedCall, rule_index: int) -> str:
    return str(call.positions.locate(("rules", rule_index)))


# --- rule kinds -----------------------------------------------------------------------------

def ratio_min(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication):
    p = rule.params
    minimum = parse_fraction(p["min"], _loc(call, idx))
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
    return passed, figures, advice, where


def share_min(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: LoadedApplication | None):
    p = rule.params
    minimum = parse_fraction(p["min"], _loc(call, idx))
    items = _resolve(p["of"], app, unit, call)
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
    return passed, figures, advice, where


def exclusive(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    p = rule.params
    subs = [int(s) for s in p["sub_projects"]]
    limit = int(p.get("max", 1))
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
    return passed, figures, advice, where


def years_covered(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    p = rule.params
    count = int(p.get("years", 3))
    years = list(range(call.model.year - count, call.model.year))
    field_name = p.get("field", "level")
    values = p.get("values", [])
    items = _resolve(p["of"], app, unit, call)
    per_year = {y: [i for i in items if y in i.years() and (not values or getattr(i, field_name) in values)]
                for y in years}
    missing = [y for y, hits in per_year.items() if not hits]
    figures = "；".join(f"{y} 年 {len(hits)} 个" for y, hits in per_year.items())
    kinds = "/".join(values)
    advice = ""
    if missing:
        advice = (f"{'、'.join(map(str, missing))} 年没有{kinds}项目：在相关项目经验中补充该年承担的项目"
                  f"（实施起止日期须落在该年）。{rule.advice}")
    where = unit.positions.locate(tuple(p["of"].split(".")[1:]))
    return not missing, f"{years[0]}–{years[-1]} 年承担{kinds}项目：{figures}", advice, where


def required_attachments(rule: Rule, idx: int, call: LoadedCall, unit: LoadedUnit, app: None):
    items = rule.params.get("items") or call.model.attachments
    missing = [k for k in items if unit.model.attachment_for(k) is None]
    figures = f"要求 {len(items)} 项，已提供 {len(items) - len(missing)} 项"
    advice = ""
    if missing:
        figures += f"，缺少：{'、'.join(missing)}"
        advice = (f"在 unit.yaml 的 attachments 中补充：{'、'.join(missing)}"
                  "（三证合一的营业执照可用 serves_as 同时作为税务登记证、组织机构代码证）。" + rule.advice)
    return not missing, figures, advice, unit.positions.locate(("attachments",))


PER_APPLICATION: dict[str, Callable] = {"ratio_min": ratio_min, "share_min": share_min}
PER_UNIT: dict[str, Callable] = {"exclusive": exclusive, "years_covered": years_covered,
                                 "required_attachments": required_attachments}


def evaluate(call: LoadedCall, unit: LoadedUnit) -> list[RuleResult]:
    """Return the result of every rule of *call* on *unit* and its applications to it."""
    apps = unit.applications_for(call.id)
    if not apps:
        return []
    results: list[RuleResult] = []
    for idx, rule in enumerate(call.model.rules):
        try:
            if rule.kind in PER_UNIT:
                passed, figures, advice, where = PER_UNIT[rule.kind](rule, idx, call, unit, None)
                results.append(RuleResult(rule, call, unit, None, passed, figures, advice, where))
            else:
                for app in apps:
                    passed, figures, advice, where = PER_APPLICATION[rule.kind](rule, idx, call, unit, app)
                    results.append(RuleResult(rule, call, unit, app, passed, figures, advice,
                                              where or app.positions.locate(())))
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise InputError(Diagnostic(
                "D302", f"规则“{rule.id}”的参数有误：{exc}", call.positions.locate(("rules", idx, "params")),
                field=f"rules[{idx}].params",
                hint="参数名见 README 的“规则类型”一节；路径形如 application.mentors、unit.experts。"))
    return results


def evaluate_project(project: Project) -> list[RuleResult]:
    results: list[RuleResult] = []
    for unit in project.units.values():
        for call in project.calls.values():
            results.extend(evaluate(call, unit))
    return results
