"""`docgen plan …`: the 四川 提升工程 bureau side (计划表, 年度规划书, 变更信息表)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from docgen.cli.base import Options, QuickRun, jobs_option, run_guarded
from docgen.errors import Diagnostic, ExitCode, InputError, Location, display_path


@click.group("plan")
def plan_group() -> None:
    """四川 提升工程：市、县级培训年度计划表、年度规划书、参训人员变更信息表。"""


def _load(opts: Options, city: str | None = None):
    from docgen.sichuan.load import BUREAUS, has_bureaus, load_bureaus
    if not has_bureaus(opts.data):
        raise InputError(Diagnostic("D143", "没有计划表数据", Location(display_path(opts.data / BUREAUS)),
                                    hint="在 data/bureaus/<市州编号>/plan.yaml 写市（州）的计划，见 README。"))
    bureaus = load_bureaus(opts.root, opts.data, city)
    for d in bureaus.warnings:
        click.echo(d.format(), err=True)
    return bureaus


def _print(diagnostics: list[Diagnostic]) -> int:
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        click.echo(d.format(), err=True)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if diagnostics:
        click.echo(f"共 {errors} 个错误，{warnings} 个警告。", err=True)
    return errors


@plan_group.command("check")
@click.option("--city", default=None, help="只检查这个市（州）（data/bureaus/ 下的文件夹名）。")
@click.pass_obj
@run_guarded
def check_cmd(opts: Options, city: str | None) -> None:
    """按通知和附件1-1 备注的规则逐个地区检查计划表，并检查参训人员变更。"""
    if check_section(opts, city):
        sys.exit(int(ExitCode.RULE_FAILED))


def check_section(opts: Options, city: str | None = None, optional: bool = False) -> bool:
    """Print the per-region plan report and the change checks; return True when anything fails.

    With *optional* (from `docgen check`), a data folder without plan data prints nothing.
    """
    from docgen.sichuan import pipeline as planning
    from docgen.sichuan.load import has_bureaus
    from docgen.sichuan.rules import evaluate_bureaus, format_plan_report
    if optional and not (has_bureaus(opts.data) and any((opts.data / "bureaus").glob("*/plan.yaml"))):
        return False
    bureaus = _load(opts, city)
    if city and city not in bureaus.plans:
        raise InputError(Diagnostic("D314", f"找不到市（州）“{city}”的计划表", Location(display_path(opts.data / "bureaus")),
                                    hint="写 data/bureaus/ 下的文件夹名，例如 leshan。"))
    results = evaluate_bureaus(bureaus)
    if city:
        results = [r for r in results if r.group == bureaus.plans[city].city.name]
    if optional:
        click.echo("")
    click.echo(format_plan_report(results))
    problems: list[Diagnostic] = []
    for folder in planning.find_change_folders(bureaus):
        if city and folder.parent.parent.name != city:
            continue
        changes = planning.load_changes(folder)
        found = planning.check_changes(changes, bureaus.reference)
        click.echo(f"参训人员变更 {display_path(folder)}：{len(changes.result.pairs)} 对，问题 {len(found)} 个。")
        problems.extend(found)
    errors = _print(problems)
    return bool(errors) or any(not r.passed for r in results)


@plan_group.command("build")
@click.option("--city", default=None, help="只生成这个市（州）的文件（省汇总表仍包含全部 21 个市州）。")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="输出目录，默认 <根目录>/build（文件在其下的 sichuan/）。")
@click.option("--no-pdf", is_flag=True, help="只生成 Excel/Word 文件，不转 PDF。")
@jobs_option
@click.option("--clean", is_flag=True, help="不管上次的结果，全部重新生成。")
@click.pass_obj
@run_guarded
def build_cmd(opts: Options, city: str | None, out: Path | None, no_pdf: bool, jobs: int, clean: bool) -> None:
    """生成市（州）计划表、年度规划书、省汇总计划表和参训人员变更信息表。

    计划表未通过规则检查时仍生成文件（便于讨论修改），但打印未通过的地区，退出状态为 1。
    只重新生成输入有变化或已被删除的文件；--clean 全部重新生成。
    """
    from docgen.cli.progress import BuildProgress, print_outcome
    from docgen.sichuan import pipeline as planning
    from docgen.sichuan.rules import evaluate_bureaus, format_plan_report
    out = out if out is not None else opts.root / "build"
    quick = QuickRun(opts, out, "plan build", city, no_pdf)
    if not clean and quick.skip():
        return
    bureaus = _load(opts)
    if city and city not in bureaus.plans:
        raise InputError(Diagnostic("D314", f"找不到市（州）“{city}”的计划表", Location(display_path(opts.data / "bureaus")),
                                    hint=f"可用：{'、'.join(bureaus.plans) or '（无）'}。"))
    failing = [r for r in evaluate_bureaus(bureaus) if not r.passed
               and (city is None or r.group == bureaus.plans[city].city.name)]
    result = planning.build(bureaus, out, pdf=not no_pdf, only=city, jobs=jobs, clean=clean,
                            progress=BuildProgress, raise_failures=False)
    for path in result.written:
        click.echo(f"已生成 {display_path(path)}")
    print_outcome(result, clean=clean)
    if failing:
        click.echo(format_plan_report(failing), err=True)
        click.echo("以上地区未通过规则检查：文件已生成，报送前请修改数据后重新生成。", err=True)
    error = result.error()
    if error is not None:
        click.echo(f"以下文件生成失败：{'、'.join(result.failed)}。其余文件已生成。", err=True)
        raise error
    if _print(result.problems) or failing:
        sys.exit(int(ExitCode.RULE_FAILED))
    if not bureaus.warnings:
        quick.remember(result)


@plan_group.command("collect")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="汇总表输出目录，默认 <根目录>/build/sichuan。")
@click.pass_obj
@run_guarded
def collect_cmd(opts: Options, folder: Path, out: Path | None) -> None:
    """读取各市（州）报回的计划表，逐个文件、工作表、单元格报告问题，并用合格的表生成省汇总表。"""
    from docgen.sichuan import pipeline as planning
    bureaus = _load(opts)
    result = planning.collect(bureaus, folder, out if out is not None else opts.root / "build" / "sichuan")
    for r in result.returned:
        state = "合格" if r.ok else "有错误，未汇总"
        who = r.city.name if r.city else "（未识别）"
        click.echo(f"{display_path(r.path)}：{who}，{len(r.regions)} 个地区，{state}")
    for path in result.written:
        click.echo(f"已生成 {display_path(path)}（汇总 {len(result.good)} 个市州）")
    if result.rejected:
        names = "、".join(f"{r.city.name if r.city else '（未识别）'}（{display_path(r.path)}）" for r in result.rejected)
        click.echo(f"有错误、未计入全省合计的 {len(result.rejected)} 份：{names}")
    if result.unchecked:
        click.echo(f"计划表中没有、需对照年度规划书核对的规则：{'；'.join(result.unchecked)}")
    if _print(result.problems):
        sys.exit(int(ExitCode.BAD_INPUT))


@plan_group.command("changes")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
@run_guarded
def changes_cmd(opts: Options, folder: Path) -> None:
    """比较原报送名单和现名单，列出每一对调换人员，以及无法配对、需人工决定的人员。"""
    from docgen.sichuan import pipeline as planning
    from docgen.sichuan.load import load_reference
    reference = load_reference(opts.data)
    changes = planning.load_changes(folder)
    for c in changes.result.pairs:
        click.echo(f"{c.old.project}：{c.old.name}（{c.old.unit}） → {c.new.name}（{c.new.unit}） [{c.how}]")
    if _print(planning.check_changes(changes, reference)):
        sys.exit(int(ExitCode.RULE_FAILED))


@plan_group.command("verify-changes")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
@run_guarded
def verify_changes_cmd(opts: Options, workbook: Path) -> None:
    """检查报回的参训人员变更信息表（附件3）：成对填写、电话、培训机构、单位全称。"""
    from docgen.models.sichuan import RosterEntry
    from docgen.sichuan.changes import check_pair, check_person
    from docgen.sichuan.load import load_reference
    from docgen.sichuan.workbook import read_change_workbook
    reference = load_reference(opts.data)
    if not workbook.is_file():
        raise InputError(Diagnostic("X800", "文件不存在", Location(display_path(workbook))))
    pairs, problems = read_change_workbook(workbook)
    aliases = {a: i.name for i in reference.institutions.institutions for a in i.aliases}
    for loc, old, new in pairs:
        people = []
        for row, role in ((old, "原报送人员"), (new, "变更人员")):
            where = loc if row is None else Location(loc.file, sheet=loc.sheet, cell=f"C{row.row}")
            person = None
            if row is not None:
                f = row.fields
                person = RosterEntry.model_construct(project=f["project"], name=f["name"], gender=f["gender"],
                                                     unit=f["unit"], phone=f["phone"],
                                                     institution=f["institution"], note=f["note"])
                if not f["project"]:
                    problems.append(Diagnostic("C715", f"{role}“{f['name']}”未填培训项目", where))
            problems.extend(check_person(person, where, reference.institution_names(), aliases, {}, role))
            people.append(person)
        problems.extend(check_pair(people[0], people[1], loc))
    click.echo(f"{display_path(workbook)}：{len(pairs)} 对变更。")
    if _print(problems):
        sys.exit(int(ExitCode.RULE_FAILED))


def register(main: click.Group) -> None:
    main.add_command(plan_group)
