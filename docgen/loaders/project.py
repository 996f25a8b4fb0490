"""Load a whole data folder: calls, units and their applications, cross-checked.

Layout::

    data/calls/<call-id>/call.yaml
    data/units/<unit-id>/unit.yaml
    data/units/<unit-id>/applications/*.yaml

Every problem in every file is collected before anything is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.loaders.validate import validate
from docgen.loaders.yamlpos import Positions, YamlDoc, load_yaml
from docgen.models.application import Application
from docgen.models.call import Call, SubProject
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
    unit: "LoadedUnit"
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

    def applications_for(self, call_id: str) -> list[LoadedApplication]:
        return sorted((a for a in self.applications if a.call.id == call_id),
                      key=lambda a: (a.model.rank, a.sub_project.no))


@dataclass
class Project:
    root: Path
    data_dir: Path
    calls: dict[str, LoadedCall]
    units: dict[str, LoadedUnit]

    @property
    def applications(self) -> list[LoadedApplication]:
        return [a for u in self.units.values() for a in u.applications]


def _try_load(path: Path, collector: Collector) -> YamlDoc | None:
    try:
        return load_yaml(path)
    except InputError as exc:
        collector.extend(exc.diagnostics)
        return None


def load_project(root: Path, data_dir: Path, unit_filter: str | None = None,
                 call_filter: str | None = None) -> Project:
    """Load and cross-check everything under *data_dir*; raise InputError listing every problem."""
    collector = Collector()
    if not data_dir.is_dir():
        raise InputError(Diagnostic("D100", "数据目录不存在", Location(display_path(data_dir)),
                                    hint="在项目根目录运行，或用 --data 指定数据目录。"))
    calls: dict[str, LoadedCall] = {}
    for path in sorted((data_dir / "calls").glob("*/call.yaml")):
        doc = _try_load(path, collector)
        if doc is None:
            continue
        model, problems = validate(doc, Call)
        collector.extend(problems)
        if model is not None:
            call = LoadedCall(path.parent.name, path.parent, model, doc.positions)
            _check_call_files(call, root, collector)
            calls[call.id] = call

    units: dict[str, LoadedUnit] = {}
    for path in sorted((data_dir / "units").glob("*/unit.yaml")):
        unit_id = path.parent.name
        if unit_filter and unit_id != unit_filter:
            continue
        doc = _try_load(path, collector)
        if doc is None:
            continue
        model, problems = validate(doc, Unit)
        collector.extend(problems)
        # An invalid unit still has its applications checked, so one run reports everything.
        unit = LoadedUnit(unit_id, path.parent, model, doc.positions) if model is not None else None
        if unit is not None:
            _check_unit_files(unit, collector)
            units[unit_id] = unit
        for app_path in sorted((path.parent / "applications").glob("*.yaml")):
            _load_application(app_path, unit, calls, call_filter, collector)
        if unit is not None:
            _check_duplicates(unit, collector)

    if unit_filter and unit_filter not in units and not collector.errors:
        known = "、".join(sorted(p.parent.name for p in (data_dir / "units").glob("*/unit.yaml")))
        collector.add(Diagnostic("D100", f"找不到单位“{unit_filter}”", Location(display_path(data_dir / "units")),
                                 hint=f"已有单位：{known or '（无）'}"))
    if call_filter and call_filter not in calls and not collector.errors:
        collector.add(Diagnostic("D100", f"找不到通知“{call_filter}”", Location(display_path(data_dir / "calls")),
                                 hint=f"已有通知：{'、'.join(sorted(calls)) or '（无）'}"))
    collector.raise_if_errors()
    if call_filter:
        calls = {call_filter: calls[call_filter]}
    return Project(root, data_dir, calls, units)


def _load_application(path: Path, unit: LoadedUnit | None, calls: dict[str, LoadedCall],
                      call_filter: str | None, collector: Collector) -> None:
    doc = _try_load(path, collector)
    if doc is None:
        return
    model, problems = validate(doc, Application)
    collector.extend(problems)
    if model is None:
        return
    pos = doc.positions
    call = calls.get(model.call)
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
    from docgen.loaders.narrative import load_narrative_markdown
    markdown = load_narrative_markdown(path, model, pos, known, collector)
    for key, spec_field in known.items():
        value = model.narrative.get(key)
        if spec_field.required and key not in markdown and not (isinstance(value, str) and value.strip()):
            collector.add(Diagnostic(
                "D204", f"缺少申报书必填内容“{spec_field.title}”", pos.locate(("narrative", key)),
                field=f"narrative.{key}（{spec_field.title}）", hint=spec_field.hint or "补写这一部分。"))
    if "mentors" in spec.requires and not model.mentors:
        collector.add(Diagnostic("D204", "该通知要求列出影子导师", pos.locate(("mentors",)),
                                 field="mentors（影子导师）", hint="在 mentors 下逐个列出导师。"))
    if "growth_cases" in spec.requires and model.growth_cases is None:
        collector.add(Diagnostic("D204", "该通知要求填写计划打造的成长案例数", pos.locate(("growth_cases",)),
                                 field="growth_cases（计划成长案例数）"))
    if unit is not None:
        unit.applications.append(LoadedApplication(path.stem, path, model, pos, unit, call, sub, markdown))


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
                collector: Collector, what: str) -> None:
    path = base / rel
    if not path.is_file():
        collector.add(Diagnostic("F201", f"{what}文件不存在：{display_path(path)}", positions.locate(loc),
                                 field=field_name, hint="把文件放到该位置，或改正文件名。"))
    elif path.stat().st_size == 0:
        collector.add(Diagnostic("F202", f"{what}文件是空的（0 字节）：{display_path(path)}",
                                 positions.locate(loc), field=field_name, hint="重新扫描或导出该文件。"))


def _check_unit_files(unit: LoadedUnit, collector: Collector) -> None:
    for i, att in enumerate(unit.model.attachments):
        _check_file(unit.dir, att.file, unit.positions, ("attachments", i, "file"),
                    f"attachments[{i}].file（{att.title}）", collector, "佐证材料")
    if unit.model.seal is not None:
        _check_file(unit.dir, unit.model.seal.image, unit.positions, ("seal", "image"),
                    "seal.image（印章图片）", collector, "印章图片")


def _check_call_files(call: LoadedCall, root: Path, collector: Collector) -> None:
    for i, form in enumerate(call.model.forms):
        _check_file(root, form.template, call.positions, ("forms", i, "template"),
                    f"forms[{i}].template（{form.title}模板）", collector, "模板")
