"""Load a whole data folder: calls, units and their applications, cross-checked.

Layout::

    data/calls/<call-id>/call.yaml
    data/units/<unit-id>/unit.yaml
    data/units/<unit-id>/applications/*.yaml
    data/bureaus/<bureau-id>/bureau.yaml   (optional: a bureau's counties and recommendations)
    data/bureaus/<bureau-id>/registry.yaml (optional: legal entities and their departments, earlier projects)

Every problem in every file is collected before anything is raised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.validate import load_model, validate_into
from docgen.load.yamlpos import Positions, try_load_yaml
from docgen.models.application import Application
from docgen.models.call import Call, SubProject
from docgen.models.recommender import RecommendingBureau
from docgen.models.registry import Registry
from docgen.models.unit import Unit


@dataclass
class LoadedCall:
    id: str
    dir: Path
    model: Call
    positions: Positions


@dataclass
class LoadedApplication:
    id: str
    path: Path
    model: Application
    positions: Positions
    unit: LoadedUnit
    call: LoadedCall
    sub_project: SubProject
    markdown: dict = field(default_factory=dict)  # narrative key → MarkdownText (loaders/narrative.py)


@dataclass
class LoadedUnit:
    id: str
    dir: Path
    model: Unit
    positions: Positions
    applications: list[LoadedApplication] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)  # unit sections already checked for a call's `requires`

    def applications_for(self, call_id: str) -> list[LoadedApplication]:
        return sorted((a for a in self.applications if a.call.id == call_id),
                      key=lambda a: (a.model.rank, a.sub_project.no))


@dataclass
class LoadedRecommender:
    id: str
    dir: Path
    model: RecommendingBureau
    positions: Positions


@dataclass
class LoadedRegistry:
    id: str
    path: Path
    model: Registry
    positions: Positions


@dataclass
class Project:
    root: Path
    data_dir: Path
    calls: dict[str, LoadedCall]
    units: dict[str, LoadedUnit]
    recommenders: dict[str, LoadedRecommender] = field(default_factory=dict)  # data/bureaus/*/bureau.yaml
    registries: dict[str, LoadedRegistry] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)  # found while loading; printed, not fatal
    # What is wrong inside templates and attachments (not a docx, damaged PDF, lost pages …): `check` reports
    # it as errors; `build` fails only the documents that use them, so the others are still built.
    attachment_errors: list[Diagnostic] = field(default_factory=list)
    # With ``partial`` loading: the data errors found; the project then holds what loaded cleanly.
    load_errors: list[Diagnostic] = field(default_factory=list)

    @property
    def applications(self) -> list[LoadedApplication]:
        return [a for u in self.units.values() for a in u.applications]


def load_project(root: Path, data_dir: Path, unit_filter: str | None = None,
                 call_filter: str | None = None, partial: bool = False) -> Project:
    """Load and cross-check everything under *data_dir*; raise InputError listing every problem.

    With *partial*, data errors are returned in ``load_errors`` instead, with everything that
    did load (so `check` can still evaluate the rules of the units and applications that are
    sound); a missing data folder or filter target still raises.
    """
    collector = Collector()
    if not data_dir.is_dir():
        raise InputError(Diagnostic("D100", "数据目录不存在", Location(display_path(data_dir)),
                                    hint="在项目根目录运行，或用 --data 指定数据目录。"))
    inside = Collector()  # inside templates and attachments: reported by `check`; in `build` only their documents fail
    calls: dict[str, LoadedCall] = {}
    broken_calls: set[str] = set()  # reported once at their own file, not again at every application
    for path in sorted((data_dir / "calls").glob("*/call.yaml")):
        loaded_call = load_model(path, Call, collector)
        if loaded_call is None:
            broken_calls.add(path.parent.name)
            continue
        call = LoadedCall(path.parent.name, path.parent, loaded_call.model, loaded_call.positions)
        _check_call_files(call, root, collector, inside)
        _check_scoring(call, collector)
        calls[call.id] = call

    units: dict[str, LoadedUnit] = {}
    for path in sorted((data_dir / "units").glob("*/unit.yaml")):
        unit_id = path.parent.name
        if unit_filter and unit_id != unit_filter:
            continue
        doc = try_load_yaml(path, collector)
        if doc is None:  # an unreadable unit.yaml: its applications are not read either
            continue
        # An invalid unit still has its applications checked, so one run reports everything.
        model = validate_into(doc, Unit, collector, lenient=partial)
        unit = LoadedUnit(unit_id, path.parent, model, doc.positions) if model is not None else None
        if unit is not None:
            _check_unit_files(unit, collector, inside)
            units[unit_id] = unit
        for app_path in sorted((path.parent / "applications").glob("*.yaml")):
            _load_application(app_path, unit, calls, call_filter, collector, broken_calls, partial)
        if unit is not None:
            _check_duplicates(unit, collector)
            _check_attachment_scope(unit, set(calls) | broken_calls, collector)

    recommenders: dict[str, LoadedRecommender] = {}
    for path in sorted((data_dir / "bureaus").glob("*/bureau.yaml")):
        loaded_bureau = load_model(path, RecommendingBureau, collector)
        if loaded_bureau is not None:
            bureau, pos = loaded_bureau.model, loaded_bureau.positions
            for i, rec in enumerate(bureau.recommendations):
                if rec.call not in calls:
                    collector.add(Diagnostic(
                        "D201", f"找不到通知“{rec.call}”", pos.locate(("recommendations", i, "call")),
                        field=f"recommendations[{i}].call（通知）",
                        hint=f"应为 data/calls/ 下的文件夹名之一：{'、'.join(sorted(calls)) or '（无）'}"))
            names = {c.name for c in bureau.counties}
            for i, rec in enumerate(bureau.recommendations):
                for j, name in enumerate(rec.counties):
                    if name not in names:
                        collector.add(Diagnostic(
                            "D207", f"推荐的“{name}”不在所辖县（区）名单中",
                            pos.locate(("recommendations", i, "counties", j)),
                            field=f"recommendations[{i}].counties[{j}]",
                            hint=f"应为 counties 中的名称之一：{'、'.join(sorted(names))}"))
            recommenders[path.parent.name] = LoadedRecommender(path.parent.name, path.parent, bureau, pos)

    registries = _load_registries(data_dir, collector)

    if unit_filter and unit_filter not in units and not collector.errors:
        known = "、".join(sorted(p.parent.name for p in (data_dir / "units").glob("*/unit.yaml")))
        collector.add(Diagnostic("D132", f"找不到单位“{unit_filter}”", Location(display_path(data_dir / "units")),
                                 hint=f"已有单位：{known or '（无）'}"))
    if call_filter and call_filter not in calls and not collector.errors:
        collector.add(Diagnostic("D133", f"找不到通知“{call_filter}”", Location(display_path(data_dir / "calls")),
                                 hint=f"已有通知：{'、'.join(sorted(calls)) or '（无）'}"))
    load_errors: list[Diagnostic] = []
    if partial and collector.errors and data_dir.is_dir():
        load_errors = sorted(collector.errors, key=lambda d: d.sort_key())
        if call_filter and call_filter not in calls:
            raise InputError(collector.diagnostics)
    else:
        collector.raise_if_errors()
    if call_filter:
        calls = {call_filter: calls[call_filter]}
    warnings = [d for d in collector.diagnostics + inside.diagnostics if d.severity == "warning"]
    return Project(root, data_dir, calls, units, recommenders, registries, sorted(warnings, key=lambda d: d.sort_key()),
                   sorted(inside.errors, key=lambda d: d.sort_key()), load_errors)


def _load_registries(data_dir: Path, collector: Collector) -> dict[str, LoadedRegistry]:
    """Load every data/bureaus/*/registry.yaml; a 法人单位 (by its credit code) is listed once across them."""
    registries: dict[str, LoadedRegistry] = {}
    seen: dict[str, Location] = {}
    for path in sorted((data_dir / "bureaus").glob("*/registry.yaml")):
        loaded = load_model(path, Registry, collector)
        if loaded is None:
            continue
        model = loaded.model
        for i, entity in enumerate(model.entities):
            where = loaded.positions.locate(("entities", i, "credit_code"))
            if entity.credit_code in seen:
                collector.add(Diagnostic(
                    "D400", f"法人单位“{entity.name}”的统一社会信用代码 {entity.credit_code} 已登记过（{seen[entity.credit_code]}）",
                    where, field=f"entities[{i}].credit_code",
                    hint="同一法人单位只登记一次：把下级部门合并到先登记的那一条的 departments 中。"))
            seen.setdefault(entity.credit_code, where)
        registries[path.parent.name] = LoadedRegistry(path.parent.name, path, model, loaded.positions)
    return registries


def _load_application(path: Path, unit: LoadedUnit | None, calls: dict[str, LoadedCall],
                      call_filter: str | None, collector: Collector, broken_calls: Set[str] = frozenset(),
                      partial: bool = False) -> None:
    loaded = load_model(path, Application, collector, lenient=partial)
    if loaded is None:
        return
    model, pos = loaded.model, loaded.positions
    call = calls.get(model.call)
    if call is None and model.call in broken_calls:
        return
    if call is None:
        collector.add(Diagnostic(
            "D201", f"找不到通知“{model.call}”", pos.locate(("call",)), field="call（申报的通知）",
            hint=f"应为 data/calls/ 下的文件夹名之一：{'、'.join(sorted(calls)) or '（无）'}"))
        return
    if call_filter and call.id != call_filter:
        return
    sub = call.model.sub_project(model.sub_project)
    if sub is None:
        nos = "、".join(str(s.no) for s in call.model.sub_projects)
        collector.add(Diagnostic(
            "D202", f"通知“{call.model.project_title}”没有子项目 {model.sub_project}",
            pos.locate(("sub_project",)), field="sub_project（子项目序号）",
            hint=f"该通知的子项目序号为：{nos}（见附件1 一览表）"))
        return
    spec = call.model.application
    known = {f.key: f for f in spec.narrative}
    for key in model.narrative:
        if key not in known:
            collector.add(Diagnostic(
                "D203", f"该通知的申报书没有叙述项“{key}”", pos.locate(("narrative", key)),
                field=f"narrative.{key}",
                hint=f"可用的叙述项：{'、'.join(f'{k}（{f.title}）' for k, f in known.items())}"))
    from docgen.apply.narrative import load_narrative_markdown
    markdown = load_narrative_markdown(path, model, pos, known, collector)
    for key, spec_field in known.items():
        value = model.narrative.get(key)
        if spec_field.required and key not in markdown and not (isinstance(value, str) and value.strip()):
            collector.add(Diagnostic(
                "D204", f"缺少申报书必填内容“{spec_field.title}”", pos.locate(("narrative", key)),
                field=f"narrative.{key}（{spec_field.title}）", hint=spec_field.hint or "补写这一部分。"))
    if "mentors" in spec.requires and not model.mentors:
        collector.add(Diagnostic("D204", "该通知要求列出影子导师", pos.locate(("mentors",)),
                                 field="mentors（影子导师）", hint="在填报表的“影子导师”工作表中逐个填写（或在申报文件的 mentors 下逐个列出）。"))
    if "growth_cases" in spec.requires and model.growth_cases is None:
        collector.add(Diagnostic("D204", "该通知要求填写计划打造的成长案例数", pos.locate(("growth_cases",)),
                                 field="growth_cases（计划成长案例数）"))
    for key, title in (("participants", "项目参与人"), ("schedule", "总体工作进度安排"), ("leader", "项目负责人"),
                       ("key_work", "是否列入单位重点工作")):
        if key in spec.requires and getattr(model, key) in (None, []):
            collector.add(Diagnostic("D204", f"该通知要求填写{title}", pos.locate((key,)), field=f"{key}（{title}）",
                                     hint=f"在填报表的{REQUIRE_SHEETS[key]}中填写（或参照 data/units/ 下同一通知的示例申报文件）。"))
    if unit is not None and "platform" in spec.requires:
        _check_platform(unit, collector)
    if unit is not None:
        _check_unit_sections(unit, spec.requires, collector)
    if unit is not None:
        unit.applications.append(LoadedApplication(path.stem, path, model, pos, unit, call, sub, markdown))


REQUIRE_SHEETS = {"participants": "“项目参与人”工作表", "schedule": "“进度安排”工作表",
                  "leader": "“申报”工作表的“项目负责人”各列", "key_work": "“申报”工作表的“是否列入单位重点工作”列"}
PLATFORM_FIELDS = (("ip", "公用IP地址"), ("domains", "域名"), ("test_accounts", "测试账号及密码"),
                   ("community", "网络研修社区功能"), ("monitoring", "过程监控"), ("crisis", "危机应对"))


def _check_platform(unit: LoadedUnit, collector: Collector) -> None:
    """A call whose 申报书 shows 网络研修支持服务能力 needs every platform field (reported once per unit)."""
    if "platform" in unit.checked:
        return
    unit.checked.add("platform")
    for key, title in PLATFORM_FIELDS:
        if not getattr(unit.model.platform, key):
            collector.add(Diagnostic(
                "D204", f"该通知的申报书要填写网络研修平台的“{title}”", unit.positions.locate(("platform", key)),
                field=f"platform.{key}（{title}）", hint="在填报表“单位信息”的“网络研修平台”各栏填写（或在 unit.yaml 的 platform 下补充；多个域名逐行列出）。"))


UNIT_SECTIONS = {"department": "项目执行部门", "experience": "相关项目经验", "management_team": "培训项目管理团队",
                 "tech_team": "技术服务团队", "chief_expert": "首席专家", "experts": "专家团队"}


# The 填报表 sheet (docgen data sheet) where staff fill each section.
SECTION_SHEETS = {"department": "单位信息", "experience": "项目经验", "management_team": "管理团队",
                  "tech_team": "技术服务团队", "chief_expert": "单位信息", "experts": "专家团队"}


def _check_unit_sections(unit: LoadedUnit, requires: Sequence[str], collector: Collector) -> None:
    """Report each unit section the call's forms print but the unit lacks (once per unit and section)."""
    done = unit.checked
    for key in requires:
        if key in UNIT_SECTIONS and key not in done:
            done.add(key)
            if getattr(unit.model, key) in (None, []):
                collector.add(Diagnostic(
                    "D204", f"该通知的申报书要填写单位的“{UNIT_SECTIONS[key]}”", unit.positions.locate(()),
                    field=f"{key}（{UNIT_SECTIONS[key]}）",
                    hint=f"在填报表的“{SECTION_SHEETS[key]}”工作表中填写后导入（或在 unit.yaml 中补充这一部分）。"))


def _check_attachment_scope(unit: LoadedUnit, call_ids: set[str], collector: Collector) -> None:
    """An attachment's call: and application: must name a call folder and one of the unit's applications."""
    apps = sorted(p.stem for p in (unit.dir / "applications").glob("*.yaml"))
    for i, att in enumerate(unit.model.attachments):
        if att.call is not None and att.call not in call_ids:
            collector.add(Diagnostic(
                "D500", f"佐证材料“{att.title}”所属的通知“{att.call}”不存在",
                unit.positions.locate(("attachments", i, "call")), field=f"attachments[{i}].call（所属通知）",
                hint=f"应为 data/calls/ 下的文件夹名之一：{'、'.join(sorted(call_ids)) or '（无）'}"))
        if att.application is not None and att.application not in apps:
            collector.add(Diagnostic(
                "D501", f"佐证材料“{att.title}”所属的申报“{att.application}”不存在",
                unit.positions.locate(("attachments", i, "application")),
                field=f"attachments[{i}].application（所属申报）",
                hint=f"应为本单位 applications/ 下的文件名（不含 .yaml）之一：{'、'.join(apps) or '（无）'}"))


def _check_duplicates(unit: LoadedUnit, collector: Collector) -> None:
    seen: dict[tuple[str, int], LoadedApplication] = {}
    for app in unit.applications:
        key = (app.call.id, app.sub_project.no)
        if key in seen:
            collector.add(Diagnostic(
                "D205", f"同一子项目申报了两次（另见 {display_path(seen[key].path)}）",
                app.positions.locate(("sub_project",)), field="sub_project（子项目序号）",
                hint="一个子项目只交一份申报书，删除其中一个文件。"))
        seen[key] = app


def _check_file(base: Path, rel: str, positions: Positions, loc: tuple, field_name: str,
                collector: Collector, what: str) -> bool:
    """Report a missing or empty file; return True when the file is there and has bytes."""
    path = base / rel
    if not path.is_file():
        collector.add(Diagnostic("F201", f"{what}文件不存在：{display_path(path)}", positions.locate(loc),
                                 field=field_name, hint="把文件放到该位置，或改正文件名。"))
        return False
    if path.stat().st_size == 0:
        collector.add(Diagnostic("F202", f"{what}文件是空的（0 字节）：{display_path(path)}",
                                 positions.locate(loc), field=field_name, hint="重新扫描或导出该文件。"))
        return False
    return True


def _inside(base: Path, rel: str, positions: Positions, loc: tuple, field_name: str,
            collector: Collector, what: str) -> bool:
    """Report a path that leaves the unit's folder (absolute, ``..``, a symlink out); return True when inside."""
    hint = f"把{what}复制到单位文件夹（{display_path(base)}）内，写相对于它的路径，例如 attachments/证明.pdf。"
    text = str(rel)
    if Path(text).is_absolute() or text.startswith(("~", "\\")) or re.match(r"^[A-Za-z]:[\\/]", text):
        collector.add(Diagnostic("F300", f"{what}路径不能是绝对路径：{text}", positions.locate(loc),
                                 field=field_name, hint=hint))
        return False
    if ".." in re.split(r"[\\/]", text):
        collector.add(Diagnostic("F300", f"{what}路径不能含“..”（指向单位文件夹之外）：{text}", positions.locate(loc),
                                 field=field_name, hint=hint))
        return False
    try:
        (base / text).resolve().relative_to(base.resolve())
    except ValueError:
        collector.add(Diagnostic("F301", f"{what}是指向单位文件夹之外的链接：{text}", positions.locate(loc),
                                 field=field_name, hint=hint))
        return False
    except OSError:
        pass  # a link loop: reported as unreadable below
    return True


def _check_unit_files(unit: LoadedUnit, collector: Collector, inside: Collector) -> None:
    """Every attachment and the seal: inside the unit's folder and present (*collector*); each attachment
    opened as the submission will open it, its problems added to *inside*."""
    from docgen.pdf.inspect_pdf import attachment_problems

    for i, att in enumerate(unit.model.attachments):
        loc: tuple[str | int, ...] = ("attachments", i, "file")
        field_name = f"attachments[{i}].file（{att.title}）"
        if _inside(unit.dir, att.file, unit.positions, loc, field_name, collector, "佐证材料") and \
                _check_file(unit.dir, att.file, unit.positions, loc, field_name, collector, "佐证材料"):
            inside.extend(attachment_problems(unit.dir / att.file, att.password, unit.positions.locate(loc),
                                                 field_name))
    if unit.model.seal is not None:
        loc, field_name = ("seal", "image"), "seal.image（印章图片）"
        if _inside(unit.dir, unit.model.seal.image, unit.positions, loc, field_name, collector, "印章图片"):
            _check_file(unit.dir, unit.model.seal.image, unit.positions, loc, field_name, collector, "印章图片")


def scoring_problem(model: Call, positions: Positions) -> Diagnostic | None:
    """Return the error when the 评分标准 points do not add up to the call's total (100 unless `scoring_total`)."""
    if model.scoring and model.total_points != model.scoring_total:
        parts = "+".join(str(c.points) for c in model.scoring)
        return Diagnostic(
            "D110", f"评分标准各项分值合计 {model.total_points} 分（{parts}），应为 {model.scoring_total} 分",
            positions.locate(("scoring",)), field="scoring（评分标准）",
            hint="核对通知附件的评分标准，改正各项 points。")
    return None


def _check_scoring(call: LoadedCall, collector: Collector) -> None:
    problem = scoring_problem(call.model, call.positions)
    if problem is not None:
        collector.add(problem)


def _check_call_files(call: LoadedCall, root: Path, collector: Collector, inside: Collector) -> None:
    """Every form's template exists and is a sound .docx/.xlsx (render/guard.py), so `check` agrees with `build`."""
    from docgen.render.guard import guard_template

    seen: set[Path] = set()
    for i, form in enumerate(call.model.forms):
        if _check_file(root, form.template, call.positions, ("forms", i, "template"),
                       f"forms[{i}].template（{form.title}模板）", collector, "模板"):
            path = root / form.template
            if path not in seen and path.suffix.lower() in (".docx", ".xlsx"):
                seen.add(path)
                inside.extend(guard_template(path))
