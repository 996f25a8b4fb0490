"""The 填报表 from the desk: download it filled, try an upload (dry run), import it on confirm, undo.

An upload is kept in the desk's own folder under a random token until the person confirms
or discards it; the token is the only thing a later request names. The dry run, the unit
check, the snapshot and the undo are the roster's own (the same as ``docgen data import`` and
``docgen data undo``): a workbook made for another unit (R100) or naming the unit otherwise
(R101) is refused unless the person ticks the matching confirmation; every import keeps a
snapshot in ``data/.history/<unit>/`` that “撤销上一次导入” puts back, one import at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.desk.security import new_token
from docgen.desk.service import Settings
from docgen.errors import Diagnostic, DocgenError
from docgen.outputs.atomic import write_atomic

if TYPE_CHECKING:
    from docgen.roster.diff import SheetDiff

# Refusals the person may override on the page: (code, form field) — 导入到别的单位, 改单位名称.
CONFIRMABLE = {"R100": "other_unit", "R101": "rename"}
# Their hints in the page's words (the command line's say --other-unit / --rename).
PAGE_HINTS = {"R100": "核对是不是选错了单位或传错了文件；确实要导入到本单位，勾选下面的确认。",
              "R101": "是不是导入错了单位？确实要按填报表改名，勾选下面的确认。"}


@dataclass
class Trial:
    """The dry run of an uploaded 填报表: the problems, or what an import would change."""

    token: str
    file_name: str
    problems: list[Diagnostic] = field(default_factory=list)
    diffs: list[SheetDiff] = field(default_factory=list)  # per sheet: rows added, removed, changed
    files: list[str] = field(default_factory=list)  # “将更新 units/…/unit.yaml” …
    other_unit: bool = False  # the confirmations already ticked
    rename: bool = False

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.problems if d.severity == "error"]

    @property
    def needs(self) -> list[str]:
        """The confirmations (form fields) that would let this upload through; [] when other errors remain."""
        errors = self.errors
        if not errors or any(d.code not in CONFIRMABLE for d in errors):
            return []
        return sorted({CONFIRMABLE[d.code] for d in errors})


def filled_sheet(settings: Settings, unit_id: str) -> bytes:
    """Return the 填报表 of *unit_id* filled with its current data."""
    from docgen.roster.sheet import build_workbook
    from docgen.roster.source import unit_source

    return build_workbook(unit_source(settings.data, unit_id))


def _uploads(settings: Settings) -> Path:
    return settings.state / "uploads"


def _upload_path(settings: Settings, token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _uploads(settings) / f"{token}.xlsx"
    return path if path.is_file() else None


def try_upload(settings: Settings, unit_id: str, file_name: str, data: bytes) -> Trial:
    """Keep the upload under a new token and dry-run its import into *unit_id*."""
    token = new_token()
    folder = _uploads(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{token}.xlsx"
    write_atomic(path, data)
    return _dry_run(settings, unit_id, Trial(token, file_name), path)


def retry(settings: Settings, unit_id: str, token: str, file_name: str, other_unit: bool = False,
          rename: bool = False) -> Trial | None:
    """Dry-run the upload kept under *token* again, with the confirmations ticked; None when it is gone."""
    path = _upload_path(settings, token)
    if path is None:
        return None
    return _dry_run(settings, unit_id, Trial(token, file_name, other_unit=other_unit, rename=rename), path)


def _dry_run(settings: Settings, unit_id: str, trial: Trial, path: Path) -> Trial:
    from docgen.roster.diff import import_diff
    from docgen.roster.read import plan_import
    from docgen.roster.write import compose

    try:
        plan = plan_import(path, settings.data, unit_id, other_unit=trial.other_unit, rename=trial.rename)
    except DocgenError as exc:
        trial.problems = [_shown_as(d, path, trial.file_name) for d in exc.diagnostics]
        if not trial.needs:
            return trial
        try:  # only R100/R101 stand in the way: show what the import would change once confirmed
            plan = plan_import(path, settings.data, unit_id, other_unit=True, rename=True)
        except DocgenError:
            return trial
    else:
        trial.problems = [_shown_as(d, path, trial.file_name) for d in plan.warnings]
    changes = compose(plan)
    trial.diffs = import_diff(plan) if changes else []
    trial.files = [f"将{'删除' if p in changes.deletes else '更新' if p.exists() else '新建'} "
                   f"{p.relative_to(settings.data).as_posix()}" for p in changes.paths()]
    return trial


def _shown_as(d: Diagnostic, path: Path, file_name: str) -> Diagnostic:
    """Name the uploaded file as the person called it, not by its token; hints in the page's words."""
    if d.location is not None and path.name in d.location.file:
        d = replace(d, location=replace(d.location, file=file_name))
    if d.code in PAGE_HINTS:
        d = replace(d, hint=PAGE_HINTS[d.code])
    return d


def confirm(settings: Settings, unit_id: str, token: str, file_name: str, other_unit: bool = False,
            rename: bool = False) -> list[str]:
    """Import the upload kept under *token* into *unit_id*, after a snapshot; return the files written.

    Raise DocgenError (nothing written) when the workbook has problems, R100/R101 included
    unless *other_unit*/*rename* confirm them.
    """
    from docgen.roster import history
    from docgen.roster.read import plan_import
    from docgen.roster.write import compose, write_all

    path = _upload_path(settings, token)
    if path is None:
        return []
    plan = plan_import(path, settings.data, unit_id, other_unit=other_unit, rename=rename)
    changes = compose(plan)
    if not changes:
        path.unlink(missing_ok=True)
        return []
    history.take(settings.data, plan.unit_id, changes.paths(), Path(file_name or path.name))
    written = [str(p.relative_to(settings.data)) for p in write_all(changes)]
    path.unlink(missing_ok=True)
    return written


def discard(settings: Settings, token: str) -> None:
    path = _upload_path(settings, token)
    if path is not None:
        path.unlink(missing_ok=True)


def snapshots(settings: Settings, unit_id: str) -> int:
    """Return how many imports of *unit_id* can be undone (its snapshots in data/.history/)."""
    from docgen.roster import history

    return len(history.snapshots(settings.data, unit_id))


def undo(settings: Settings, unit_id: str) -> list[str]:
    """Put back the unit's last snapshot (``docgen data undo``); return the files restored or removed.

    Raise DocgenError (R112) when there is nothing to undo.
    """
    from docgen.roster import history

    _snap, touched = history.undo(settings.data, unit_id)
    return [f"{'已恢复' if p.exists() else '已删除'} {p.relative_to(settings.data).as_posix()}" for p in touched]
