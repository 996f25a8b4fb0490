"""Write an import back into the data folder's YAML, keeping the comments of everything it does not change.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; only the values that differ
from the current data are touched. A roster that changed is regenerated as a whole list (its
comments between entries are lost; the comment above the list stays).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from docgen.models.application import Application
from docgen.outputs.atomic import write_atomic
from docgen.roster import ROSTERS, unit_info_rows
from docgen.roster.read import AppPlan, ImportPlan

_MISSING = object()


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def _plain(value: Any) -> Any:
    """A model value as the sample YAML writes it: 是/否 for yes-no, dates bare, the rest as is."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _entries(items: list, raw_rows: list[dict[str, Any]]) -> CommentedSeq:
    seq = CommentedSeq()
    for item, raw in zip(items, raw_rows):
        entry = CommentedMap()
        for key in type(item).model_fields:
            if key in raw:
                entry[key] = _plain(getattr(item, key))
        seq.append(entry)
    return seq


def _replace_list(data: CommentedMap, key: str, new: CommentedSeq) -> None:
    """Put *new* at *key*, keeping the comment that follows the old list (ruamel hangs it on its last entry)."""
    old = data.get(key)
    if isinstance(old, list) and old and new and isinstance(old[-1], CommentedMap) and isinstance(new[-1], CommentedMap):
        last_old, last_new = old[-1], new[-1]
        if len(last_old) and len(last_new):
            old_key, new_key = list(last_old)[-1], list(last_new)[-1]
            if old_key in last_old.ca.items:
                last_new.ca.items[new_key] = last_old.ca.items[old_key]
    data[key] = new


def _set(data: CommentedMap, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        if not isinstance(data.get(part), dict):
            data[part] = CommentedMap()
        data = data[part]
    if value is None:
        data.pop(parts[-1], None)
    else:
        data[parts[-1]] = _plain(value)


@dataclass
class Changes:
    """What an import writes: new texts, files to delete, files to copy in."""

    texts: dict[Path, str] = field(default_factory=dict)
    deletes: list[Path] = field(default_factory=list)
    copies: list[tuple[Path, Path]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.texts or self.deletes or self.copies)

    def paths(self) -> list[Path]:
        """Every file of the data folder this import touches."""
        return sorted({*self.texts, *self.deletes, *(dest for _src, dest in self.copies)})


def _load_map(yaml: YAML, path: Path) -> CommentedMap:
    """Return the mapping in *path* with its comments (empty when there is no file); a file that cannot be
    read raises InputError at its line (D101 …), as every loader says it, and nothing is written."""
    if not path.is_file():
        return CommentedMap()
    from docgen.load.yamlpos import load_yaml

    load_yaml(path)  # the same reader as everywhere: its messages, its places
    data = yaml.load(path.read_text(encoding="utf-8-sig"))
    return data if isinstance(data, CommentedMap) else CommentedMap()


def _text(value: Any) -> Any:
    """Multi-line text as a YAML block (``|``), as people write the samples."""
    if isinstance(value, str) and "\n" in value.strip():
        return LiteralScalarString(value if value.endswith("\n") else value + "\n")
    return value


def _unfold(value: Any) -> Any:
    """A text without the \\a marks ruamel leaves where a folded (>) block broke a line."""
    return value.replace("\a", "") if isinstance(value, str) else value


def _same_text(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    return a == b


def _dump(yaml: YAML, data: CommentedMap, header: str = "") -> str:
    buf = io.StringIO()
    yaml.dump(data, buf)
    return header + buf.getvalue()


def compose(plan: ImportPlan) -> Changes:
    """Return every change the import makes (nothing is written here)."""
    out = Changes(copies=[(a, b) for a, b in plan.copies if not (b.is_file() and b.read_bytes() == a.read_bytes())])
    yaml = _yaml()
    data = _load_map(yaml, plan.unit_path)
    changed = []
    unit_old = plan.unit_old
    for key, _ in unit_info_rows():
        old = _get(unit_old, key) if unit_old is not None else _MISSING
        new = _get(plan.unit_new, key)
        if _unfold(old) != _unfold(new):
            if unit_old is None and new is None and _get_raw(data, key) is None:
                continue
            _set(data, key, new)
            changed.append(key)
    for parent in ("department", "chief_expert", "seal"):
        if parent in data and getattr(plan.unit_new, parent) is None:
            data.pop(parent)
            changed.append(parent)
    for spec in ROSTERS:
        if spec.per_application or _get_raw(plan.unit_raw, spec.key) is None:
            continue
        old = _get(unit_old, spec.key) if unit_old is not None else _MISSING
        new = _get(plan.unit_new, spec.key)
        if old != new and not (old is _MISSING and not new and _get_raw(data, spec.key) is None):
            *parents, last = spec.key.split(".")
            container = data
            for part in parents:
                if not isinstance(container.get(part), dict):
                    container[part] = CommentedMap()
                container = container[part]
            _replace_list(container, last, _entries(new, _get_raw(plan.unit_raw, spec.key)))
            changed.append(spec.key)
    if changed:
        header = "" if plan.source.exists and plan.unit_path.read_text(encoding="utf-8-sig").strip() else \
            f"# {plan.unit_new.name} —— 由 docgen data import 从填报表创建；以后用填报表维护即可\n"
        out.texts[plan.unit_path] = _dump(yaml, data, header)
    for app in plan.apps.values():
        text = _compose_app(yaml, app)
        if text is not None:
            out.texts[app.path] = text
    out.deletes = [a.path for a in plan.removed_apps]
    return out


def _compose_app(yaml: YAML, app: AppPlan) -> str | None:
    old = app.old.model if app.old is not None else None
    data = _load_map(yaml, app.path)
    changed = False
    for key in Application.model_fields:
        new_value = getattr(app.new, key)
        old_value = getattr(old, key) if old is not None else _MISSING
        if key == "narrative":
            changed |= _compose_narrative(data, old.narrative if old is not None else {}, app.raw.get("narrative", {}),
                                          app.new)
            continue
        if old_value == new_value or (old is None and key not in app.raw and key not in data):
            continue
        changed = True
        raw_value = app.raw.get(key)
        if raw_value is None:
            data.pop(key, None)
        elif isinstance(new_value, list):
            _replace_list(data, key, _entries(new_value, raw_value))
        elif isinstance(new_value, BaseModel):
            entry = CommentedMap()
            for k in type(new_value).model_fields:
                if k in raw_value:
                    entry[k] = _plain(getattr(new_value, k))
            data[key] = entry
        else:
            data[key] = _text(_plain(new_value))
    if not changed:
        return None
    header = "" if app.old is not None else f"# 申报 {app.id} —— 由 docgen data import 从填报表创建\n"
    return _dump(yaml, data, header)


def _compose_narrative(data: CommentedMap, old: dict, raw: dict, new_app: Application) -> bool:
    """Update narrative entries that changed; keep the others (and their comments) as they are."""
    current = data.get("narrative")
    if not isinstance(current, CommentedMap):
        current = CommentedMap()
    changed = False
    for key in list(current):
        if key not in raw:
            current.pop(key)
            changed = True
    for key, value in raw.items():
        before = old.get(key) if isinstance(old, dict) else None
        dump = getattr(before, "model_dump", None)
        before = dump() if dump is not None else before
        if key in current and _same_text(before, value):
            continue
        changed = True
        if isinstance(value, dict):
            entry = CommentedMap()
            entry["file"] = value["file"]
            current[key] = entry
        else:
            current[key] = _text(value)
    if changed:
        if current:
            data["narrative"] = current
        else:
            data.pop("narrative", None)
    return changed


def _get_raw(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def write_all(changes: Changes) -> list[Path]:
    """Write *changes* into the data folder; return the files touched."""
    import shutil

    for src, dest in changes.copies:
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for path, text in changes.texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    for path in changes.deletes:
        path.unlink(missing_ok=True)
    return changes.paths()
