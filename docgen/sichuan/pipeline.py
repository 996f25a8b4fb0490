"""The bureau side of 四川 提升工程, top to bottom: load → check → render → publish.

- build: each city's 计划表 (附件1-1) and 年度规划书 (附件1-2), the province's
  计划表 from all 21 市州, and each county's 参训人员变更信息表 (附件3);
- collect: read the cities' returned 计划表, report every problem, and write
  the province's 计划表 from the good ones;
- changes: the replacements between the first-reported and the current roster.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import ValidationError

from docgen.build import (
    BuildOutcome,
    Doc,
    Task,
    call_key,
    doc_key,
    hash_or_absent,
    pdf_key,
    run,
    select,
)
from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.validate import load_model
from docgen.models.sichuan import YEARS, ChangeReport, Roster, RosterEntry
from docgen.outputs.staging import Staging
from docgen.outputs.state import BuildState, ContextHasher
from docgen.render.docx import render_docx
from docgen.sichuan.changes import ChangeSet, check_pair, check_person, compute_changes
from docgen.sichuan.load import (
    BUREAUS,
    LoadedCityPlan,
    Reference,
    SichuanData,
    sum_regions,
)
from docgen.sichuan.workbook import (
    EXCEL_SUFFIXES,
    ReturnedPlan,
    read_plan_workbook,
    read_roster_xlsx,
)
from docgen.sichuan.xlsx import change_workbook, plan_workbook

ANNUAL_TEMPLATE = Path("templates/docx/sichuan-2015-nengli-tisheng/年度规划书.docx")
OUT = Path("sichuan")
PROVINCE_FILE = "四川省-市县级培训年度计划表.xlsx"


def city_workbook_args(plan: LoadedCityPlan) -> tuple:
    m = plan.model
    return (plan.city.name, m.contact.name, m.contact.phone, m.filled_on, [(r.name, r) for r in m.regions])


def city_workbook(plan: LoadedCityPlan) -> bytes:
    return plan_workbook(*city_workbook_args(plan))


def province_workbook_args(bureaus: SichuanData) -> tuple:
    p = bureaus.province
    if p is None:
        raise InputError(Diagnostic("D320", "缺少省汇总数据", Location(display_path(bureaus.data / BUREAUS / "province.yaml")),
                                    hint="创建 data/bureaus/province.yaml（填报单位、联系人、填报时间）。"))
    return ("四川省", p.contact.name, p.contact.phone, p.filled_on,
            [(c.short, r) for c, r in bureaus.province_regions()])


def province_workbook(bureaus: SichuanData) -> bytes:
    return plan_workbook(*province_workbook_args(bureaus))


def wan_text(value: Decimal) -> str:
    return f"{format(value.normalize(), 'f')}万元"


def annual_context(plan: LoadedCityPlan) -> dict:
    """Return the variables of 年度规划书: the data, 教师总人数, 应培训人数 and the 合计 row."""
    a = plan.model.annual
    assert a is not None, "called only for a plan with a 年度规划书"
    total = sum_regions(plan.city.short, plan.model.regions)
    year = a.year if a.year in (2015, 2016, 2017) else None
    to_train = a.to_train if a.to_train is not None else (total.year(year).city_level if year else "")
    trainings = []
    funds = Decimal(0)
    for t in a.trainings:
        f = Decimal(str(t.funds))
        funds += f
        trainings.append({**t.model_dump(), "funds_text": wan_text(f)})
    annual = {**a.model_dump(), "trainings": trainings}
    return {"annual": annual, "city": plan.city.model_dump(), "contact": plan.model.contact.model_dump(),
            "teachers": total.teachers, "to_train": to_train,
            "total_trainees": sum(t.trainees for t in a.trainings), "total_funds": wan_text(funds)}


# ---------------------------------------------------------------- changes

@dataclass
class LoadedChanges:
    folder: Path
    report: ChangeReport
    result: ChangeSet
    where: dict[int, Location] = field(default_factory=dict)  # id(person) → roster location

    @property
    def name(self) -> str:
        return self.folder.name


GENDER_HINT = {"literal_error": "应为“男”或“女”", "missing": "未填写", "string_type": "应为文字"}


def _roster(path: Path, collector: Collector, where: dict[int, Location]) -> list[RosterEntry] | None:
    """Load a roster (.yaml or .xlsx); record each person's location in *where* (by id)."""
    if not path.is_file():
        collector.add(Diagnostic("D330", "名单文件不存在", Location(display_path(path)),
                                 hint="在 change.yaml 的 first/current 中写名单文件名（.yaml 或 .xlsx）。"))
        return None
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        rows, problems = read_roster_xlsx(path)
        collector.extend(problems)
        people = []
        for loc, values in rows:
            try:
                person = RosterEntry.model_validate(values)
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    name = str(err["loc"][0]) if err["loc"] else ""
                    info = RosterEntry.model_fields.get(name)
                    title = info.title if info else name
                    collector.add(Diagnostic("D103", f"{title}{GENDER_HINT.get(err['type'], '不正确')}"
                                             f"，这里是“{values.get(name, '')}”", loc))
                continue
            where[id(person)] = loc
            people.append(person)
        return people
    roster = load_model(path, Roster, collector)
    if roster is None:
        return None
    for i, person in enumerate(roster.model.people):
        where[id(person)] = roster.positions.locate(("people", i))
    return roster.model.people


def load_changes(folder: Path) -> LoadedChanges:
    """Load change.yaml and its two rosters; compute the pairs; raise InputError on unreadable data."""
    collector = Collector()
    loaded = load_model(folder / "change.yaml", ChangeReport, collector)
    collector.raise_if_errors()
    assert loaded is not None, "load_model returns None only with errors, raised just above"
    report = loaded.model
    where: dict[int, Location] = {}
    first = _roster(folder / report.first, collector, where)
    current = _roster(folder / report.current, collector, where)
    collector.raise_if_errors()
    assert first is not None and current is not None, "_roster returns None only after adding an error"
    result = compute_changes(first, current, report.pairs, loaded.positions.locate(("pairs",)))
    return LoadedChanges(folder, report, result, where=where)


def check_changes(changes: LoadedChanges, reference: Reference) -> list[Diagnostic]:
    """Return every problem of the change set: unpaired people, phones, 培训机构, 工作单位 abbreviations."""
    out = list(changes.result.problems)
    fallback = Location(display_path(changes.folder / "change.yaml"))

    def at(person: RosterEntry) -> Location:
        return changes.where.get(id(person), fallback)

    institutions = reference.institution_names()
    aliases = {a: i.name for i in reference.institutions.institutions for a in i.aliases}
    for c in changes.result.pairs:
        label = f"{c.old.name} → {c.new.name}（{c.old.project}）"
        for person, role in ((c.old, "原报送人员"), (c.new, "变更人员")):
            for d in check_person(person, at(person), institutions, aliases, changes.report.schools, role):
                out.append(Diagnostic(d.code, f"{label}：{d.message}", d.location, hint=d.hint))
        out.extend(check_pair(c.old, c.new, at(c.new)))
    for p in changes.result.unpaired_removed:
        out.append(Diagnostic("C720", f"原报送人员“{p.name}”（{p.project}，{p.unit}）已不在现名单中，但找不到唯一对应的变更人员",
                              at(p), hint="在 change.yaml 的 pairs 中写明由谁替换（removed/added），或核对两份名单。"))
    for p in changes.result.unpaired_added:
        out.append(Diagnostic("C721", f"现名单新增“{p.name}”（{p.project}，{p.unit}），但找不到唯一对应的原报送人员",
                              at(p), hint="在 change.yaml 的 pairs 中写明替换了谁；若是新增名额，须另行报告。"))
    return out


def find_change_folders(bureaus: SichuanData) -> list[Path]:
    return sorted(p.parent for p in (bureaus.data / BUREAUS).glob("*/changes/*/change.yaml"))


def change_args(changes: LoadedChanges) -> tuple:
    r = changes.report
    pairs = [(c.old.model_dump(), c.new.model_dump()) for c in changes.result.pairs]
    return (r.area, r.unit, r.filled_by, r.filled_on, pairs)


def change_bytes(changes: LoadedChanges) -> bytes:
    return change_workbook(*change_args(changes))


# ---------------------------------------------------------------- build and collect

@dataclass
class PlanBuild(BuildOutcome):
    problems: list[Diagnostic] = field(default_factory=list)


def build(bureaus: SichuanData, out_dir: Path, pdf: bool = True, only: str | None = None,
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None, jobs: int = 1,
          clean: bool = False, progress: Callable[[int], Any] | None = None,
          raise_failures: bool = True) -> PlanBuild:
    """Plan every bureau document under <out>/sichuan/ and build the ones whose inputs changed.

    *only* limits the cities' own documents to one city; the province's sheet always has all 21.
    """
    start = time.perf_counter()
    result = PlanBuild()
    hasher = ContextHasher()
    tasks: list[Task] = []

    def add(rel: str, make: Callable[[], bytes], key: str) -> None:
        # With PDFs the warm LibreOffice runs anyway: every workbook gets cached values for its formulas
        # (113 in a city's sheet), so a phone shows the totals.
        recalc = pdf and rel.endswith(".xlsx")
        key = doc_key(key, "cached values") if recalc else key
        tasks.append(Task(rel, [Doc(rel, make, key, pdf_key(key) if pdf else None, recalc=recalc)]))

    def drawn(rel: str, func: Callable[..., bytes], args: tuple) -> None:
        add(rel, lambda: func(*args), call_key(hasher, func, *args))

    annual = bureaus.root / ANNUAL_TEMPLATE
    for plan in bureaus.plans.values():
        if only and plan.id != only:
            continue
        folder = OUT / plan.id
        drawn(str(folder / f"{plan.city.name}-市县级培训年度计划表.xlsx"), plan_workbook, city_workbook_args(plan))
        if plan.model.annual is not None:
            context = annual_context(plan)
            add(str(folder / f"{plan.city.name}-{plan.model.annual.year}年度规划书.docx"),
                _renderer(annual, context), doc_key(hash_or_absent(annual), hasher(context), ""))
    if bureaus.province is not None:
        drawn(str(OUT / PROVINCE_FILE), plan_workbook, province_workbook_args(bureaus))
    collector = Collector()
    for folder in find_change_folders(bureaus):
        if only and folder.parent.parent.name != only:
            continue
        try:
            changes = load_changes(folder)
        except InputError as exc:
            collector.extend(exc.diagnostics)
            continue
        result.problems.extend(check_changes(changes, bureaus.reference))
        city = folder.parent.parent.name
        drawn(str(OUT / city / f"{changes.name}-参训人员变更信息表.xlsx"), change_workbook, change_args(changes))
    collector.raise_if_errors()
    state = BuildState(out_dir, clean=clean)
    todo, result.unchanged = select(tasks, state)
    run(todo, out_dir, state, result, converter=converter, jobs=jobs, progress=progress)
    result.seconds = time.perf_counter() - start
    failure = result.error() if raise_failures else None
    if failure is not None:
        raise failure
    return result


def _renderer(template: Path, context: dict):
    return lambda: render_docx(template, context)


@dataclass
class Collected:
    returned: list[ReturnedPlan]
    problems: list[Diagnostic]
    written: list[Path] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # rules a 计划表 cannot show (they need the 规划书)

    @property
    def good(self) -> list[ReturnedPlan]:
        return [r for r in self.returned if r.ok]

    @property
    def rejected(self) -> list[ReturnedPlan]:
        return [r for r in self.returned if not r.ok]


SHARE_RULES = ("year_share_min", "period_share_near", "cumulative_min")


def check_returned_rules(plan: ReturnedPlan, reference) -> list[Diagnostic]:
    """Check the notice's rules on a returned city: on its total (error: the city is not summed) and on
    each of its regions (warning), and that it lists the project counties of 附件4."""
    from docgen.sichuan.rules import core_name, evaluate_region
    from docgen.sichuan.xlsx import year_columns

    out: list[Diagnostic] = []
    if plan.city is None or not plan.regions:
        return out
    shown = display_path(plan.path)
    sheet = plan.sheet
    hc = plan.first_col

    def where(row: int | None, rule) -> Location:
        col = hc
        year = rule.year or (rule.years[0] if rule.years else None)
        if year in YEARS:
            a, b, total, ratio = (hc - 1 + c for c in year_columns(year))
            col = {"province": a, "city": b}.get(rule.level, ratio if rule.kind == "cumulative_min" else total)
        return Location(shown, sheet=sheet, cell=f"{get_column_letter(col)}{row or plan.region_rows[0]}")

    city_total = sum_regions(plan.city.short, plan.regions)
    for rule in reference.rules.rules:
        if rule.kind not in SHARE_RULES:
            continue
        severity = "warning" if rule.severity == "warning" else "error"
        result = evaluate_region(rule, city_total, reference.rules_file)
        if result is not None and not result[0]:
            out.append(Diagnostic("X884", f"{plan.city.name}合计：{rule.title}（{rule.id}）未满足：{result[1]}",
                                  where(plan.total_row, rule), severity=severity, hint=result[2] + "。"))
        if len(plan.regions) > 1:
            for row, region in zip(plan.region_rows, plan.regions):
                result = evaluate_region(rule, region, reference.rules_file)
                if result is not None and not result[0]:
                    out.append(Diagnostic("X885", f"“{region.name}”：{rule.title}（{rule.id}）未满足：{result[1]}",
                                          where(row, rule), severity="warning", hint=result[2] + "。"))
    counties = reference.counties.counties.get(plan.city.id, [])
    names = {core_name(r.name) for r in plan.regions}
    split = reference.divisions is None or any(
        core_name(d) in names for d in reference.divisions.divisions.get(plan.city.id, []))
    known = {core_name(d) for d in reference.divisions.divisions.get(plan.city.id, [])} if reference.divisions else set()
    for rule in reference.rules.rules:
        if rule.kind != "project_counties_in_plan" or not split:
            continue
        for county in counties:
            if core_name(county) not in names and core_name(county) not in known:  # else X833 names it
                out.append(Diagnostic("X886", f"附件4 的项目县“{county}”没有列入计划表（{rule.id}）",
                                      Location(shown, sheet=sheet, cell=f"{get_column_letter(hc)}{plan.total_row or 1}"),
                                      hint=f"在计划表中加入“{county}”一行。"))
    return out


def collect(bureaus: SichuanData, folder: Path, out_dir: Path) -> Collected:
    """Read every workbook in *folder*; check the notice's rules on every city; write the province's 计划表
    from the accepted cities only (the rejected ones are listed, their rows left blank)."""
    shown = display_path(folder)
    if not folder.is_dir():
        raise InputError(Diagnostic("D148", "文件夹不存在", Location(shown), hint="写收到的各市（州）计划表所在的文件夹。"))
    returned: list[ReturnedPlan] = []
    problems: list[Diagnostic] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith(("~$", ".")) or not path.is_file():
            continue
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            problems.append(Diagnostic("X803", "不是 Excel 文件，已跳过", Location(display_path(path)),
                                       severity="warning"))
            continue
        r = read_plan_workbook(path, bureaus.reference)
        r.problems.extend(check_returned_rules(r, bureaus.reference))
        returned.append(r)
        problems.extend(r.problems)
    by_city: dict[str, ReturnedPlan] = {}
    for r in returned:
        if r.city is None:
            continue
        if r.city.id in by_city:
            problems.append(Diagnostic("X804", f"{r.city.name}的计划表重复：另见 {display_path(by_city[r.city.id].path)}",
                                       Location(display_path(r.path)), hint="只保留最新的一份。"))
            r.problems.append(problems[-1])
            continue
        by_city[r.city.id] = r
    for c in bureaus.reference.cities:
        if c.id not in by_city:
            problems.append(Diagnostic("X805", f"缺少{c.name}的计划表", Location(shown),
                                       hint="催报；汇总表中该市（州）一行留空。"))
    unchecked = [f"{rule.id} {rule.title}" for rule in bureaus.reference.rules.rules
                 if rule.kind not in (*SHARE_RULES, "project_counties_in_plan")]
    rows = []
    for c in bureaus.reference.cities:
        got = by_city.get(c.id)
        rows.append((c.short, sum_regions(c.short, got.regions) if got and got.ok and got.regions else None))
    if not any(r.ok for r in by_city.values()):
        return Collected(returned, problems, [], unchecked)  # nothing to consolidate: leave the previous sheet alone
    p = bureaus.province
    data = plan_workbook("四川省", p.contact.name if p else "", p.contact.phone if p else "",
                         p.filled_on if p else "", rows)
    from docgen.pdf.recalc import publish_office
    with Staging(out_dir) as staging:
        publish_office(staging, {"四川省-市县级培训年度计划表（汇总）.xlsx": data})
        written = staging.publish()
    return Collected(returned, problems, written, unchecked)
