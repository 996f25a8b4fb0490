"""The bureau's side of the desk: returned 汇总表 → master table → score sheets → tally → 公示.

Uploaded files are stored under numbered names (``001.xlsx`` …) in the call's bureau folder,
with a manifest of the names people gave them; messages show those names. The master and the
results go through the same path as ``docgen collect`` and ``score tally``
(:mod:`docgen.bureau.publish`): the same bytes for the same inputs, incremental, keyed in the
folder's ``.docgen``.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.bureau.publish import MASTER_NAME, RESULTS_DIR
from docgen.desk.service import Settings
from docgen.errors import Diagnostic
from docgen.outputs.atomic import write_atomic

RETURNS = "desk-returns"
SCORES = "desk-scores"
RESULTS = RESULTS_DIR

log = logging.getLogger(__name__)


def call_folder(settings: Settings, call_id: str) -> Path:
    return settings.out / "bureau" / call_id


def _manifest_path(folder: Path) -> Path:
    """The names people gave the uploads live beside the folder, so collect never reads them as a return."""
    return folder.with_name(folder.name + ".names.json")


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads(_manifest_path(folder).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def store_uploads(folder: Path, uploads: list[tuple[str, bytes, str]], replace_all: bool = False) -> list[str]:
    """Store *uploads* (name as given, bytes, sniffed kind) under numbered names; return the stored names."""
    if replace_all and folder.exists():
        shutil.rmtree(folder)
        _manifest_path(folder).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(folder)
    stored = []
    for name, data, kind in uploads:
        suffix = ".xls" if kind == "ole" else ".xlsx"
        n = len(manifest) + 1
        key = f"{n:03d}{suffix}"
        while key in manifest:
            n += 1
            key = f"{n:03d}{suffix}"
        write_atomic(folder / key, data)
        manifest[key] = Path(name).name or key
        stored.append(key)
    write_atomic(_manifest_path(folder), json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return stored


def uploaded_names(folder: Path) -> list[tuple[str, str]]:
    """Return (stored name, name as given) of every upload in *folder*."""
    return sorted(_manifest(folder).items())


def _rename(diagnostics: list[Diagnostic], manifest: dict[str, str]) -> list[Diagnostic]:
    out = []
    for d in diagnostics:
        loc = d.location
        if loc is not None:
            stored_name = Path(loc.file).name  # 001.xlsx, never a suffix match (1001.xlsx ends with 001.xlsx)
            if stored_name in manifest:
                loc = replace(loc, file=manifest[stored_name])
            d = replace(d, location=loc)
        out.append(d)
    return out


@dataclass
class Intake:
    """The result of collecting the uploaded returns, as the desk shows it."""

    rows: list = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    readable: int = 0
    admitted: int = 0
    written: list[str] = field(default_factory=list)


def collect(settings: Settings, call_id: str) -> Intake:
    """Collect every upload of the call into the master workbook (published as ``docgen collect`` does)."""
    from docgen.bureau.calls import load_call
    from docgen.bureau.publish import collect_returns

    call_id, model = load_call(settings.data, call_id)
    folder = call_folder(settings, call_id)
    returns = folder / RETURNS
    manifest = _manifest(returns)
    collection, published = collect_returns(returns, call_id, model, folder)
    for r in collection.rows:
        for stored, given in manifest.items():
            if r.file.endswith(stored):
                r.file = given
    return Intake(collection.rows, _rename(collection.diagnostics, manifest), len(collection.files),
                  sum(1 for f in collection.files if f.readable), len(collection.admitted),
                  [p.name for p in published.written])


def score_sheets_zip(settings: Settings, call_id: str, reviewers: int) -> bytes:
    """Return a zip of one score sheet per reviewer, from the master's admitted applications: the sheets
    ``docgen score sheets`` writes (same bytes, formulas with cached values), published in 评分表/ too."""
    from docgen.bureau.calls import load_call, require_scoring
    from docgen.bureau.publish import SHEETS_DIR, publish_sheets
    from docgen.bureau.score import read_master

    call_id, model = load_call(settings.data, call_id)
    require_scoring(call_id, model, settings.data)
    master = call_folder(settings, call_id) / MASTER_NAME
    apps = read_master(master)
    out = call_folder(settings, call_id) / SHEETS_DIR
    publish_sheets(apps, master, call_id, model, reviewers, out)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(1, reviewers + 1):
            name = f"评分表-评委{i:02d}.xlsx"
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, (out / name).read_bytes())
    return buf.getvalue()


@dataclass
class TallyShown:
    lines: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def tally(settings: Settings, call_id: str) -> TallyShown:
    """Tally the uploaded score sheets; write 评分汇总.xlsx, 评审结果公示名单.docx and its PDF as ``score tally`` does.

    The PDF is optional here: when it cannot be made, the 公示 stays available as docx.
    """
    from docgen.bureau.calls import load_call, require_scoring
    from docgen.bureau.publish import tally_scores
    from docgen.bureau.score import PUBLICITY_TEMPLATE
    from docgen.errors import DocgenError

    call_id, model = load_call(settings.data, call_id)
    require_scoring(call_id, model, settings.data)
    folder = call_folder(settings, call_id)
    scores = folder / SCORES
    try:
        result, published = tally_scores(scores, folder / MASTER_NAME, call_id, model,
                                         settings.root / PUBLICITY_TEMPLATE, folder / RESULTS, pdf_optional=True)
    except DocgenError as exc:
        exc.diagnostics = _rename(exc.diagnostics, _manifest(scores))
        raise
    lines = result.summary_lines()
    if published.failed:
        log.warning("not made, the page offers the rest: %s", ", ".join(published.failed))
        lines.append(f"未能生成：{'、'.join(Path(rel).name for rel in published.failed)}（原因见服务器日志；"
                     "常见原因是缺少中文字体，运行 docgen doctor 查看）。其余文件可照常下载，Word 版内容相同。")
    return TallyShown(lines, list(result.rows), [p.name for p in published.written])


def results(settings: Settings, call_id: str) -> list[Path]:
    """Return the files of the call's results folder (the only ones the page offers for download)."""
    folder = call_folder(settings, call_id) / RESULTS
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
