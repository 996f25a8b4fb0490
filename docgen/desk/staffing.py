"""The 填报表 from the desk: download it filled, try an upload (dry run), import it on confirm, undo.

An upload is kept in the desk's own folder under a random token until the person confirms
or discards it; the token is the only thing a later request names.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.desk.security import new_token
from docgen.desk.service import Settings
from docgen.errors import Diagnostic, DocgenError
from docgen.outputs.atomic import write_atomic


@dataclass
class SheetChange:
    """What an import changes on one sheet of the 填报表."""

    sheet: str
    added: int = 0
    removed: int = 0
    changed: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Trial:
    """The dry run of an uploaded 填报表: the problems, or what an import would change."""

    token: str
    file_name: str
    problems: list[Diagnostic] = field(default_factory=list)
    changes: list[SheetChange] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity == "error"]


def filled_sheet(settings: Settings, unit_id: str) -> bytes:
    """Return the 填报表 of *unit_id* filled with its current data."""
    from docgen.apply import pipeline
    from docgen.roster.sheet import build_workbook

    project = pipeline.load(settings.root, settings.data, unit_id)
    return build_workbook(project.units[unit_id])


def _key(item: Any) -> str:
    dump = item.model_dump(mode="json") if hasattr(item, "model_dump") else item
    return repr(sorted(dump.items())) if isinstance(dump, dict) else repr(dump)


def _name(item: Any) -> str:
    return str(getattr(item, "name", "") or _key(item))


def _compare(sheet: str, old: list, new: list) -> SheetChange:
    change = SheetChange(sheet)
    old_keys = {_key(i) for i in old}
    new_keys = {_key(i) for i in new}
    old_names = {_name(i) for i in old if _key(i) not in new_keys}
    new_names = {_name(i) for i in new if _key(i) not in old_keys}
    change.changed = len(old_names & new_names)
    change.removed = len(old_names - new_names)
    change.added = len(new_names - old_names)
    return change


def _changes(plan) -> list[SheetChange]:
    from docgen.roster import ROSTERS, unit_info_rows

    out = []
    info = SheetChange("单位信息")
    for key, _ in unit_info_rows():
        def get(obj, dotted=key):
            for part in dotted.split("."):
                obj = getattr(obj, part, None) if obj is not None else None
            return obj
        if plan.unit_old is None or get(plan.unit_old) != get(plan.unit_new):
            info.changed += 1
    out.append(info)
    for spec in ROSTERS:
        if spec.per_application:
            total = SheetChange(spec.name)
            for old_app, new_app in plan.apps.values():
                c = _compare(spec.name, list(getattr(old_app, spec.key, []) or []) if old_app else [],
                             list(getattr(new_app, spec.key, []) or []))
                total.added += c.added
                total.removed += c.removed
                total.changed += c.changed
            out.append(total)
        else:
            old = list(getattr(plan.unit_old, spec.key, []) or []) if plan.unit_old is not None else []
            out.append(_compare(spec.name, old, list(getattr(plan.unit_new, spec.key, []) or [])))
    return out


def _uploads(settings: Settings) -> Path:
    return settings.state / "uploads"


def try_upload(settings: Settings, unit_id: str, file_name: str, data: bytes) -> Trial:
    """Keep the upload under a new token and dry-run its import into *unit_id*."""
    from docgen.roster.read import plan_import
    from docgen.roster.write import compose

    token = new_token()
    folder = _uploads(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{token}.xlsx"
    write_atomic(path, data)
    trial = Trial(token, file_name)
    try:
        plan = plan_import(path, settings.data, unit_id)
        trial.changes = [c for c in _changes(plan) if c.any]
        trial.files = [str(p.relative_to(settings.data)) for p in compose(plan)]
    except DocgenError as exc:
        trial.problems = [_shown_as(d, path, file_name) for d in exc.diagnostics]
    return trial


def _shown_as(d: Diagnostic, path: Path, file_name: str) -> Diagnostic:
    """Name the uploaded file as the person called it, not by its token."""
    from dataclasses import replace

    if d.location is not None and path.name in d.location.file:
        d = replace(d, location=replace(d.location, file=file_name))
    return d


def confirm(settings: Settings, unit_id: str, token: str) -> list[str]:
    """Import the upload kept under *token* into *unit_id* (after a backup of the unit); return files written."""
    from docgen.roster.read import plan_import
    from docgen.roster.write import compose, write_all

    if not token.replace("-", "").replace("_", "").isalnum():
        return []
    path = _uploads(settings) / f"{token}.xlsx"
    if not path.is_file():
        return []
    plan = plan_import(path, settings.data, unit_id)
    texts = compose(plan)
    backup(settings, unit_id)
    written = [str(p.relative_to(settings.data)) for p in write_all(texts)]
    path.unlink(missing_ok=True)
    return written


def discard(settings: Settings, token: str) -> None:
    if token.replace("-", "").replace("_", "").isalnum():
        (_uploads(settings) / f"{token}.xlsx").unlink(missing_ok=True)


def _backups(settings: Settings, unit_id: str) -> Path:
    return settings.state / "backups" / unit_id


def backup(settings: Settings, unit_id: str) -> Path:
    """Copy the unit's YAML files (unit.yaml and applications/*.yaml) aside before an import."""
    unit_dir = settings.data / "units" / unit_id
    dest = _backups(settings, unit_id) / time.strftime("%Y%m%d-%H%M%S")
    n = 0
    while dest.exists():
        n += 1
        dest = dest.with_name(f"{dest.name.split('.')[0]}.{n}")
    for src in sorted(unit_dir.rglob("*.yaml")):
        target = dest / src.relative_to(unit_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    return dest


def last_backup(settings: Settings, unit_id: str) -> Path | None:
    folder = _backups(settings, unit_id)
    if not folder.is_dir():
        return None
    kept = sorted(p for p in folder.iterdir() if p.is_dir())
    return kept[-1] if kept else None


def undo(settings: Settings, unit_id: str) -> list[str]:
    """Restore the unit's YAML files from the last backup (then drop that backup); return files restored."""
    kept = last_backup(settings, unit_id)
    if kept is None:
        return []
    unit_dir = settings.data / "units" / unit_id
    restored = []
    for src in sorted(kept.rglob("*.yaml")):
        target = unit_dir / src.relative_to(kept)
        write_atomic(target, src.read_bytes())
        restored.append(str(target.relative_to(settings.data)))
    shutil.rmtree(kept)
    return restored
