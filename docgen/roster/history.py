"""A snapshot before every import, and `docgen data undo` to put the last one back.

Snapshots live in ``<data>/.history/<unit>/<NNN>/``: ``files/`` holds the bytes each touched file
had before the import, ``manifest.json`` lists every touched file (relative to the data folder)
and whether it existed. Undo restores those files, deletes the ones the import created, and
drops the snapshot, so a second undo goes one import further back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from docgen.errors import Diagnostic, InputError, Location, display_path
from docgen.outputs.atomic import write_atomic

HISTORY_DIR = ".history"


def _unit_history(data_dir: Path, unit_id: str) -> Path:
    return data_dir / HISTORY_DIR / unit_id


def snapshots(data_dir: Path, unit_id: str) -> list[Path]:
    """Return the unit's snapshots, oldest first."""
    folder = _unit_history(data_dir, unit_id)
    return sorted((p for p in folder.glob("[0-9][0-9][0-9]") if (p / "manifest.json").is_file()),
                  key=lambda p: int(p.name)) if folder.is_dir() else []


def take(data_dir: Path, unit_id: str, paths: list[Path], workbook: Path) -> Path:
    """Keep the current bytes of *paths* (files of the data folder) before an import; return the snapshot."""
    existing = snapshots(data_dir, unit_id)
    number = int(existing[-1].name) + 1 if existing else 1
    snap = _unit_history(data_dir, unit_id) / f"{number:03d}"
    entries = []
    for path in paths:
        rel = path.resolve().relative_to(data_dir.resolve())
        existed = path.is_file()
        if existed:
            target = snap / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        entries.append({"file": rel.as_posix(), "existed": existed})
    unit_yaml = data_dir / "units" / unit_id / "unit.yaml"
    manifest = {"unit": unit_id, "workbook": workbook.name, "files": entries,
                "unit_existed": unit_yaml.is_file()}
    snap.mkdir(parents=True, exist_ok=True)
    write_atomic(snap / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return snap


def undo(data_dir: Path, unit_id: str) -> tuple[Path, list[Path]]:
    """Restore the unit's last snapshot; return it (now removed) and the files put back or deleted."""
    existing = snapshots(data_dir, unit_id)
    if not existing:
        raise InputError(Diagnostic(
            "R112", f"单位“{unit_id}”没有可以撤销的导入", Location(display_path(_unit_history(data_dir, unit_id))),
            hint="每次 docgen data import 写入前都会保存一份快照；还没有导入过，或已全部撤销。"))
    snap = existing[-1]
    manifest = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    touched = []
    for entry in manifest["files"]:
        path = data_dir / entry["file"]
        if entry["existed"]:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, (snap / "files" / entry["file"]).read_bytes())
        else:
            path.unlink(missing_ok=True)
            _remove_empty_dirs(path.parent, data_dir / "units")
        touched.append(path)
    shutil.rmtree(snap)
    return snap, touched


def _remove_empty_dirs(folder: Path, stop: Path) -> None:
    """Remove *folder* and its parents up to *stop* while they are empty (a unit the import created)."""
    while folder != stop and folder.is_dir() and not any(folder.iterdir()) and stop in folder.parents:
        folder.rmdir()
        folder = folder.parent
