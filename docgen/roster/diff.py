"""What an import changes, sheet by sheet: rows added, removed and changed (the column that changed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docgen.roster import (
    APPS_SHEET,
    NARRATIVE_SHEET,
    ROSTERS,
    UNIT_INFO_SHEET,
    Column,
    application_columns,
    narrative_columns,
    unit_info_rows,
)
from docgen.roster.read import ImportPlan, convert
from docgen.roster.sheet import _application_rows, cell_value, get_dotted, roster_rows
from docgen.roster.source import narrative_rows


@dataclass
class SheetDiff:
    sheet: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # "who：列 旧 → 新"

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _norm(col: Column, value: Any) -> Any:
    value = convert(col, cell_value(col, value))
    return value.strip() if isinstance(value, str) else value


def _short(value: Any) -> str:
    text = "（空）" if value in (None, "", []) else "、".join(map(str, value)) if isinstance(value, list) else str(value)
    text = text.replace("\n", " ")
    return text if len(text) <= 24 else text[:23] + "…"


def _identity(row: dict[str, Any], keys: tuple[str, ...]) -> str:
    return "·".join(str(row.get(k) or "") for k in keys if row.get(k) not in (None, ""))


def _table(sheet: str, columns: list[Column], old: list[dict], new: list[dict], keys: tuple[str, ...]) -> SheetDiff:
    diff = SheetDiff(sheet)
    norm_old = [{c.key: _norm(c, r.get(c.key)) for c in columns} for r in old]
    norm_new = [{c.key: _norm(c, r.get(c.key)) for c in columns} for r in new]
    unmatched = list(range(len(norm_old)))
    for row in norm_new:
        ident = _identity(row, keys)
        same = next((i for i in unmatched if norm_old[i] == row), None)
        if same is not None:
            unmatched.remove(same)
            continue
        match = next((i for i in unmatched if _identity(norm_old[i], keys) == ident), None)
        if match is None:
            diff.added.append(ident or "（无名称）")
            continue
        unmatched.remove(match)
        cols = [f"{c.title} {_short(norm_old[match][c.key])} → {_short(row[c.key])}" for c in columns
                if norm_old[match][c.key] != row[c.key]]
        diff.changed.append(f"{ident}：{'；'.join(cols)}")
    diff.removed = [_identity(norm_old[i], keys) or "（无名称）" for i in unmatched]
    return diff


def import_diff(plan: ImportPlan) -> list[SheetDiff]:
    """Return, in tab order, what the import changes on each sheet that changes."""
    src = plan.source
    diffs: list[SheetDiff] = []
    info = SheetDiff(UNIT_INFO_SHEET)
    for key, col in unit_info_rows():
        if key not in plan.info:
            continue
        old, new = _norm(col, get_dotted(src.data, key)), plan.info[key]
        new = new.strip() if isinstance(new, str) else new
        if old != new:
            (info.added if old in (None, "", []) else info.changed).append(
                f"{col.title} {_short(old)} → {_short(new)}" if old not in (None, "", []) else
                f"{col.title}：{_short(new)}")
    diffs.append(info)
    for spec in ROSTERS:
        if spec.name not in plan.sheets:
            continue
        if spec.per_application and APPS_SHEET in plan.sheets and not any(d.sheet == APPS_SHEET for d in diffs):
            diffs.append(_table(APPS_SHEET, application_columns(), _application_rows(src), plan.sheets[APPS_SHEET],
                                ("id",)))
            if NARRATIVE_SHEET in plan.sheets:
                old = [r for a in src.apps for r in narrative_rows(a, src.calls.get(str(a.data.get("call"))))
                       if r.get("text") or r.get("file")]
                diffs.append(_table(NARRATIVE_SHEET, narrative_columns(), old, plan.sheets[NARRATIVE_SHEET],
                                    ("application", "item")))
        own = [c.key for c in spec.columns if c.key != "application"]
        key = "name" if "name" in own else "title" if "title" in own else own[0]
        keys = ("application", key) if spec.per_application else (key,)
        diffs.append(_table(spec.name, spec.columns, roster_rows(src, spec), plan.sheets[spec.name], keys))
    return [d for d in diffs if d]


def format_diff(diffs: list[SheetDiff]) -> list[str]:
    """Return the lines a person reads: one per sheet, then the rows (at most 10 each)."""
    lines = []
    for d in diffs:
        lines.append(f"〔{d.sheet}〕新增 {len(d.added)} 行，删除 {len(d.removed)} 行，修改 {len(d.changed)} 行")
        for label, items in (("＋", d.added), ("－", d.removed), ("～", d.changed)):
            for item in items[:10]:
                lines.append(f"  {label} {item}")
            if len(items) > 10:
                lines.append(f"  {label} ……另有 {len(items) - 10} 行")
    return lines
