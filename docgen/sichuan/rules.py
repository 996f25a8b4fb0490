"""The rule kinds of the 四川 提升工程 计划表, evaluated per region.

data/reference/sichuan/rules.yaml instantiates them with thresholds and
tolerances; this module only knows how to measure a region against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from docgen.errors import Diagnostic, InputError, Location
from docgen.models.common import cn_date
from docgen.models.sichuan import YEARS, PlanRule, Region
from docgen.rules.thresholds import parse_fraction, percent_text
from docgen.sichuan.load import LoadedCityPlan, SichuanData, sum_regions

LEVEL_TEXT = {"province": "省级", "city": "市县级", "all": "合计"}


@dataclass(frozen=True)
class PlanResult:
    rule: PlanRule
    group: str        # the 市州 (or 全省) the region belongs to
    region: str
    met: bool         # the region meets the rule
    figures: str
    advice: str = ""
    location: Location | None = None

    @property
    def passed(self) -> bool:
        """A rule of severity warning never fails the check; it is still reported."""
        return self.met or self.rule.severity == "warning"


def _level(region: Region, year: int, level: str) -> int:
    figures = region.year(year)
    if level == "province":
        return figures.province_level
    if level == "city":
        return figures.city_level
    return figures.total


def _share(part: int, region: Region) -> Fraction:
    return Fraction(part, region.teachers) if region.teachers else Fraction(0)


def _rule_year(rule: PlanRule, where: str) -> int:
    """Return the rule's year; a rule kind that measures one year cannot do without it."""
    if rule.year is None:
        raise InputError(Diagnostic("D144", f"规则“{rule.id}”（{rule.kind}）缺少年度 year", Location(where),
                                    hint="在这条规则下写 year: 年份，如 year: 2016。"))
    return rule.year


def evaluate_region(rule: PlanRule, region: Region, where: str) -> tuple[bool, str, str] | None:
    """Return (passed, figures, advice) for one region, or None when the rule does not apply."""
    t = region.teachers
    if rule.kind == "year_share_min":
        need = parse_fraction(rule.min, where)
        n = _level(region, _rule_year(rule, where), rule.level)
        share = _share(n, region)
        figures = f"{rule.year}年{LEVEL_TEXT[rule.level]}培训 {n} 人，教师总数 {t} 人，占 {percent_text(share)}（要求 ≥ {percent_text(need)}）"
        lack = max(0, -(-need.numerator * t // need.denominator) - n)
        return share >= need, figures, f"{rule.year}年{LEVEL_TEXT[rule.level]}培训人数至少再增加 {lack} 人"
    if rule.kind == "period_share_near":
        target = parse_fraction(rule.target, where)
        tol = parse_fraction(rule.tolerance or "0", where)
        n = sum(_level(region, y, rule.level) for y in rule.years)
        share = _share(n, region)
        span = f"{rule.years[0]}—{rule.years[-1]}年" if rule.years else ""
        figures = (f"{span}{LEVEL_TEXT[rule.level]}培训共 {n} 人，占教师总数 {t} 人的 {percent_text(share)}"
                   f"（目标 {percent_text(target)}，允许偏差 ±{percent_text(tol)}）")
        passed = abs(share - target) <= tol
        direction = "减少" if share > target else "增加"
        advice = f"调整各年{LEVEL_TEXT[rule.level]}计划人数（需{direction}），使其占比在 {percent_text(target - tol)}—{percent_text(target + tol)} 之间"
        return passed, figures, advice
    if rule.kind == "cumulative_min":
        need = parse_fraction(rule.min, where)
        until = _rule_year(rule, where)
        n = sum(region.year(y).total for y in YEARS if y <= until)
        share = _share(n, region)
        figures = f"到{rule.year}年累计培训 {n} 人，教师总数 {t} 人，完成 {percent_text(share)}（要求 ≥ {percent_text(need)}）"
        lack = max(0, -(-need.numerator * t // need.denominator) - n)
        return share >= need, figures, f"在 2015—{rule.year} 年的计划中至少再安排 {lack} 人"
    return None


def _region_location(plan: LoadedCityPlan | None, index: int | None, rule: PlanRule) -> Location | None:
    if plan is None or index is None:
        return None
    key = f"t{rule.year}" if rule.year else None
    path = ("regions", index, key) if key else ("regions", index)
    return plan.doc.positions.locate(path)


def evaluate_bureaus(bureaus: SichuanData) -> list[PlanResult]:
    """Evaluate every rule on every region of every city plan, each city's 合计, and the province's rows."""
    results: list[PlanResult] = []
    rules = bureaus.reference.rules.rules
    where = bureaus.reference.rules_file
    for plan in bureaus.plans.values():
        group = plan.city.name
        rows: list[tuple[str, Region, int | None]] = [(r.name, r, i) for i, r in enumerate(plan.model.regions)]
        rows.append((f"{plan.city.name}合计", sum_regions(plan.city.short, plan.model.regions), None))
        for rule in rules:
            if rule.kind == "hours_min":
                results.extend(_hours(rule, plan, where))
                continue
            if rule.kind in ("annual_matches_plan", "institutions_listed"):
                results.extend(_annual(rule, plan, bureaus.reference.institution_names()))
                continue
            if rule.kind == "filed_by":
                results.append(_filed_by(rule, plan))
                continue
            if rule.kind.startswith("project_counties"):
                results.extend(_project_counties(rule, plan, bureaus.reference.counties.counties.get(plan.id, [])))
                continue
            for name, region, index in rows:
                out = evaluate_region(rule, region, where)
                if out is not None:
                    passed, figures, advice = out
                    results.append(PlanResult(rule, group, name, passed, figures, advice,
                                              _region_location(plan, index, rule) if not passed else None))
    if bureaus.province is not None:
        present = [(c, r) for c, r in bureaus.province_regions() if r is not None and c.id not in bureaus.plans]
        doc = bureaus.province_doc
        for rule in rules:
            if rule.kind not in ("year_share_min", "period_share_near", "cumulative_min"):
                continue
            for city, region in present:
                out = evaluate_region(rule, region, where)
                if out is not None:
                    passed, figures, advice = out
                    loc = doc.positions.locate(("cities", city.id)) if not passed and doc else None
                    results.append(PlanResult(rule, "全省汇总", city.name, passed, figures, advice, loc))
    return results


def _filed_by(rule: PlanRule, plan: LoadedCityPlan) -> PlanResult:
    """The plan's 填报时间 is on or before the year's deadline (通知一：每年1月31日前；2015年为9月6日).

    The plan's year is its 年度规划书's year, else the year of its 填报时间.
    """
    filed = plan.model.filled_on
    year = plan.model.annual.year if plan.model.annual else filed.year
    if year in rule.deadlines:
        deadline = rule.deadlines[year]
    else:
        month, day = (int(x) for x in (rule.deadline or "01-31").split("-"))
        deadline = date(year, month, day)
    passed = filed <= deadline
    figures = f"{year}年计划表、年度规划书填报时间 {cn_date(filed)}，报送截止 {cn_date(deadline)}"
    late = (filed - deadline).days
    advice = "" if passed else (f"晚于截止 {late} 天：按时报送；已逾期的，与省能力提升工程执行办联系，"
                                "并把 filled_on 改为实际报送日期。")
    return PlanResult(rule, plan.city.name, f"{year}年计划", passed, figures, advice,
                      None if passed else plan.doc.positions.locate(("filled_on",)))


def _hours(rule: PlanRule, plan: LoadedCityPlan, where: str) -> list[PlanResult]:
    annual = plan.model.annual
    if annual is None:
        return []
    need = int(parse_fraction(rule.min, where))
    out = []
    for i, t in enumerate(annual.trainings):
        if t.hours is None:
            continue
        passed = t.hours >= need
        out.append(PlanResult(rule, plan.city.name, f"{t.region}·{t.project}", passed,
                              f"每人 {t.hours} 学时（要求 ≥ {need}）",
                              f"把该项目学时提高到 {need} 以上",
                              None if passed else plan.doc.positions.locate(("annual", "trainings", i, "hours"))))
    return out


def _annual(rule: PlanRule, plan: LoadedCityPlan, institutions: list[str]) -> list[PlanResult]:
    annual = plan.model.annual
    if annual is None:
        return []
    group = plan.city.name
    if rule.kind == "annual_matches_plan":
        if annual.year not in YEARS[1:]:
            return []
        planned = sum(r.year(annual.year).city_level for r in plan.model.regions)
        total = sum(t.trainees for t in annual.trainings)
        passed = planned == total
        return [PlanResult(rule, group, f"{annual.year}年度规划书", passed,
                           f"培训计划合计 {total} 人，计划表{annual.year}年市级共 {planned} 人",
                           "使两者一致：调整培训计划各行的培训人数，或计划表该年的市级人数",
                           None if passed else plan.doc.positions.locate(("annual", "trainings")))]
    out = []
    for i, t in enumerate(annual.trainings):
        passed = t.institution in institutions
        out.append(PlanResult(rule, group, f"{t.region}·{t.project}", passed,
                              f"培训机构“{t.institution}”{'在' if passed else '不在'}附件2名单中",
                              f"原则上选择附件2名单中的机构：{'、'.join(institutions)}；确需选用其他机构请说明理由",
                              None if passed else plan.doc.positions.locate(("annual", "trainings", i, "institution"))))
    return out


def core_name(name: str) -> str:
    """Return a county's name without its trailing 县/区/市 when two characters or more remain (沙湾县 → 沙湾)."""
    name = name.replace(" ", "").replace("\u3000", "")
    return name[:-1] if len(name) > 2 and name[-1] in "县区市" else name


def _project_counties(rule: PlanRule, plan: LoadedCityPlan, counties: list[str]) -> list[PlanResult]:
    out = []
    if rule.kind == "project_counties_in_plan":
        names = {core_name(r.name) for r in plan.model.regions}
        for county in counties:
            passed = core_name(county) in names
            out.append(PlanResult(rule, plan.city.name, county, passed,
                                  f"附件4 项目县“{county}”{'已列入' if passed else '未列入'}计划表",
                                  f"在 regions 中加入“{county}”一行",
                                  None if passed else plan.doc.positions.locate(("regions",))))
    elif plan.model.annual is not None:
        text = plan.model.annual.innovation
        for county in counties:
            passed = core_name(county) in text
            out.append(PlanResult(rule, plan.city.name, county, passed,
                                  f"“综合创新”{'已写明' if passed else '未写明'}项目县“{county}”的实验区建设",
                                  f"在 annual.innovation 中写明“{county}”实验区的建设目标、工作重点和时间表",
                                  None if passed else plan.doc.positions.locate(("annual", "innovation"))))
    return out


def format_plan_report(results: list[PlanResult]) -> str:
    """Return the Chinese report of `docgen plan check`: per 市州, each region and rule."""
    lines: list[str] = []
    groups: dict[str, list[PlanResult]] = {}
    for r in results:
        groups.setdefault(r.group, []).append(r)
    for group, items in groups.items():
        failed = [r for r in items if not r.passed]
        lines.append(f"■ {group}：检查 {len(items)} 项，未通过 {len(failed)} 项")
        by_rule: dict[str, list[PlanResult]] = {}
        for r in items:
            by_rule.setdefault(r.rule.id, []).append(r)
        for rule_id, rs in by_rule.items():
            bad = [r for r in rs if not r.met]
            rule = rs[0].rule
            verdict = "通过  " if not bad else ("提醒  " if rule.severity == "warning" else "未通过")
            lines.append(f"  {verdict} {rule_id} {rule.title}（{len(rs) - len(bad)}/{len(rs)} 项符合）")
            for r in bad:
                lines.append(f"         {r.region}：{r.figures}")
                lines.append(f"           修改：{r.advice}")
                if r.location:
                    lines.append(f"           位置：{r.location}")
        lines.append("")
    n_failed = sum(1 for r in results if not r.passed)
    lines.append(f"共检查 {len(results)} 项：通过 {len(results) - n_failed} 项，未通过 {n_failed} 项。")
    return "\n".join(lines)
