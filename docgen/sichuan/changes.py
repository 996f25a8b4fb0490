"""参训人员变更: compute the changes between two rosters, and check a 变更信息表's rows.

A replacement pairs a person removed from the first-reported roster with one
added to the current roster in the same 培训项目 — and the same 工作单位 when
that decides it. When the pairing is not unique, nothing is guessed: the
people are listed for a person to decide (``pairs:`` in change.yaml).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docgen.errors import Diagnostic, Location
from docgen.models.sichuan import ChangeDecision, RosterEntry

MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


@dataclass
class Change:
    old: RosterEntry
    new: RosterEntry
    how: str  # 同单位 / 同项目 / 人工确认


@dataclass
class ChangeSet:
    pairs: list[Change] = field(default_factory=list)
    unpaired_removed: list[RosterEntry] = field(default_factory=list)
    unpaired_added: list[RosterEntry] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def _key(p: RosterEntry) -> tuple[str, str, str]:
    return (p.project, p.name, p.unit)


def compute_changes(first: list[RosterEntry], current: list[RosterEntry],
                    decisions: Sequence[ChangeDecision] = (), where: Location | None = None) -> ChangeSet:
    """Return the replacements between *first* and *current*, and who could not be paired."""
    current_keys = {_key(p) for p in current}
    first_keys = {_key(p) for p in first}
    removed = [p for p in first if _key(p) not in current_keys]
    added = [p for p in current if _key(p) not in first_keys]
    result = ChangeSet()
    # 1. pairs a person decided
    for d in decisions:
        old = [p for p in removed if p.name == d.removed]
        new = [p for p in added if p.name == d.added]
        if len(old) != 1 or len(new) != 1:
            if len(old) != 1:
                who, side, found = d.removed, "原名单中被移除的人员", old
            else:
                who, side, found = d.added, "现名单中新增的人员", new
            result.problems.append(Diagnostic(
                "C701", f"人工确认的调换“{d.removed} → {d.added}”无法使用：{side}里"
                        f"{'没有' if not found else '有多个'}“{who}”",
                where, hint="核对姓名；同名时请先在名单中区分（如写明工作单位）。"))
            continue
        if old[0].project != new[0].project:
            result.problems.append(Diagnostic(
                "C702", f"人工确认的调换“{d.removed} → {d.added}”不在同一培训项目（{old[0].project} / {new[0].project}）",
                where, hint="调换只能在同一培训项目内进行。"))
            continue
        result.pairs.append(Change(old[0], new[0], "人工确认"))
        removed.remove(old[0])
        added.remove(new[0])
    # 2. same project and same unit, when unique; 3. same project, when unique
    for same_unit in (True, False):
        groups: dict[tuple, tuple[list, list]] = {}
        for p in removed:
            groups.setdefault((p.project, p.unit if same_unit else ""), ([], []))[0].append(p)
        for p in added:
            groups.setdefault((p.project, p.unit if same_unit else ""), ([], []))[1].append(p)
        for olds, news in groups.values():
            if len(olds) == 1 and len(news) == 1:
                result.pairs.append(Change(olds[0], news[0], "同单位" if same_unit else "同项目"))
                removed.remove(olds[0])
                added.remove(news[0])
    result.unpaired_removed, result.unpaired_added = removed, added
    order = {_key(p): i for i, p in enumerate(first)}
    result.pairs.sort(key=lambda c: order.get(_key(c.old), 0))
    return result


def check_person(p: RosterEntry | None, where: Location, institutions: list[str],
                 aliases: dict[str, str], schools: dict[str, list[str]], role: str) -> list[Diagnostic]:
    """Return the problems of one half of a pair: phone, 培训机构, 工作单位 abbreviation, presence."""
    if p is None:
        return [Diagnostic("C710", f"缺少{role}", where, hint="每项变更须同时填写原报送人员和变更人员两行。")]
    out = []
    phone = p.phone.replace(" ", "").replace("—", "-")
    if not phone:
        out.append(Diagnostic("C711", f"{role}“{p.name}”未填联系电话（必填）", where,
                              hint="填写 11 位手机号或“区号-号码”。"))
    elif not (MOBILE.fullmatch(phone) or LANDLINE.fullmatch(phone)):
        out.append(Diagnostic("C712", f"{role}“{p.name}”的联系电话“{p.phone}”格式不对", where,
                              hint="手机为 1 开头的 11 位数字；固定电话写作“区号-号码”，如 0833-2132456。"))
    if p.institution not in institutions:
        full = aliases.get(p.institution)
        hint = (f"写全称“{full}”。" if full else f"培训机构须为附件2名单中的一家：{'、'.join(institutions)}。")
        out.append(Diagnostic("C713", f"{role}“{p.name}”的培训机构“{p.institution}”不在附件2名单中", where, hint=hint))
    for full, shorts in schools.items():
        if p.unit != full and (p.unit in shorts or (len(p.unit) >= 2 and p.unit in full)):
            out.append(Diagnostic("C714", f"{role}“{p.name}”的工作单位“{p.unit}”是简称", where,
                                  hint=f"写全称“{full}”。"))
            break
    return out


def check_pair(old: RosterEntry | None, new: RosterEntry | None, where: Location) -> list[Diagnostic]:
    """Return the problems of a pair as a whole: a replacement stays in the same 培训机构."""
    if old is None or new is None or not old.institution or not new.institution:
        return []
    if old.institution != new.institution:
        return [Diagnostic("C716", f"“{old.name} → {new.name}”的培训机构不同（{old.institution} / {new.institution}）",
                           where, severity="warning",
                           hint="调换人员参加的是同一培训项目，培训机构通常相同；核对是否填错。")]
    return []
