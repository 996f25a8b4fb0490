"""What a unit holds now, read straight from its YAML: the 填报表 is drawn from it and imports compare against it.

A unit whose files do not validate (an empty unit.yaml, a half-filled one) is still read: its raw
values fill the workbook, so staff can repair it in Excel. Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from docgen.errors import Collector
from docgen.load.validate import load_model
from docgen.load.yamlpos import try_load_yaml
from docgen.models.application import Application, NarrativeFile
from docgen.models.call import Call
from docgen.models.unit import Unit


@dataclass
class AppSource:
    id: str
    path: Path
    data: dict[str, Any]           # model values when valid, else the raw YAML mapping
    model: Application | None
    narrative_files: dict[str, str] = field(default_factory=dict)  # key → Markdown file by convention


@dataclass
class UnitSource:
    id: str
    dir: Path
    exists: bool
    data: dict[str, Any]
    model: Unit | None
    apps: list[AppSource] = field(default_factory=list)
    calls: dict[str, Call] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.data.get("name") or "")


def load_calls(data_dir: Path) -> dict[str, Call]:
    """Return every call that loads and validates (a broken call is `docgen check`'s to report)."""
    calls: dict[str, Call] = {}
    for path in sorted((data_dir / "calls").glob("*/call.yaml")):
        loaded = load_model(path, Call, Collector())
        if loaded is not None:
            calls[path.parent.name] = loaded.model
    return calls


def raw_mapping(path: Path) -> dict[str, Any]:
    """Return the mapping written in *path* as loaded, or an empty one when the file is missing, unreadable
    or holds something else (the problems are `docgen check`'s to report)."""
    doc = try_load_yaml(path, Collector())
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def _read(path: Path, model_cls):
    raw = raw_mapping(path) if path.is_file() else {}
    try:
        model = model_cls.model_validate(raw)
    except ValidationError:
        model = None
    data = {k: getattr(model, k) for k in type(model).model_fields} if model is not None else dict(raw)
    return data, model


def unit_source(data_dir: Path, unit_id: str) -> UnitSource:
    """Return what *unit_id* holds now (an empty source when the unit does not exist yet)."""
    unit_dir = data_dir / "units" / unit_id
    path = unit_dir / "unit.yaml"
    data, model = _read(path, Unit)
    src = UnitSource(unit_id, unit_dir, path.is_file(), data, model, calls=load_calls(data_dir))
    for app_path in sorted((unit_dir / "applications").glob("*.yaml")):
        app_data, app_model = _read(app_path, Application)
        app = AppSource(app_path.stem, app_path, app_data, app_model)
        folder = app_path.parent / app_path.stem
        for md in sorted(folder.glob("*.md")):
            app.narrative_files[md.stem] = f"{app_path.stem}/{md.name}"
        src.apps.append(app)
    return src


def narrative_rows(app: AppSource, call: Call | None) -> list[dict[str, Any]]:
    """One row per narrative item of *app*: its call's items in order (empty ones too), then any others."""
    narrative = app.data.get("narrative") or {}
    narrative = narrative if isinstance(narrative, dict) else {}
    fields = call.application.narrative if call is not None else []
    keys = [f.key for f in fields] + [k for k in narrative if k not in {f.key for f in fields}]
    titles = {f.key: f.title for f in fields}
    rows = []
    for key in keys:
        value = narrative.get(key)
        row: dict[str, Any] = {"application": app.id, "item": titles.get(key, key)}
        if isinstance(value, NarrativeFile):
            row["file"] = value.file
        elif isinstance(value, dict):
            row["file"] = value.get("file")
        elif isinstance(value, str):
            row["text"] = value.rstrip("\n")
        elif key in app.narrative_files:
            row["file"] = app.narrative_files[key]
        rows.append(row)
    return rows
