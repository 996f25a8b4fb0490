"""Write an import back into the data folder's YAML, keeping the comments of everything it does not change.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; only the values that differ
from the current data are touched. A roster that changed is regenerated as a whole list (its
comments between entries are lost; the comment above the list stays).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from docgen.outputs.atomic import write_atomic
from docgen.roster import ROSTERS, unit_info_rows
from docgen.roster.read import ImportPlan

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


def compose(plan: ImportPlan) -> dict[Path, str]:
    """Return the new text of every file the import changes (nothing is written here)."""
    out: dict[Path, str] = {}
    yaml = _yaml()
    data = yaml.load(plan.unit_path.read_text(encoding="utf-8-sig"))
    changed = []
    for key, _ in unit_info_rows():
        old = _get(plan.unit_old, key) if plan.unit_old is not None else _MISSING
        new = _get(plan.unit_new, key)
        if old != new:
            _set(data, key, new)
            changed.append(key)
    for spec in ROSTERS:
        if spec.per_application:
            continue
        old = getattr(plan.unit_old, spec.key) if plan.unit_old is not None else _MISSING
        new = getattr(plan.unit_new, spec.key)
        if old != new:
            _replace_list(data, spec.key, _entries(new, plan.unit_raw[spec.key]))
            changed.append(spec.key)
    if changed:
        buf = io.StringIO()
        yaml.dump(data, buf)
        out[plan.unit_path] = buf.getvalue()
    for path, (old_app, new_app) in plan.apps.items():
        if old_app is not None and old_app.mentors == new_app.mentors:
            continue
        app_data = yaml.load(path.read_text(encoding="utf-8-sig"))
        raw_rows = [{k: 1 for k, info in type(m).model_fields.items()
                     if info.is_required() or getattr(m, k) != info.default} for m in new_app.mentors]
        _replace_list(app_data, "mentors", _entries(new_app.mentors, raw_rows))
        buf = io.StringIO()
        yaml.dump(app_data, buf)
        out[path] = buf.getvalue()
    return out


def write_all(texts: dict[Path, str]) -> list[Path]:
    for path, text in texts.items():
        write_atomic(path, text.encode("utf-8"))
    return list(texts)
