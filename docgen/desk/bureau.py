"""The bureau's side of the desk: returned 汇总表 → master table → score sheets → tally → 公示.

Uploaded files are stored under numbered names (``001.xlsx`` …) in the call's bureau folder,
with a manifest of the names people gave them; messages show those names. Outputs are the
same files the commands ``docgen collect``, ``score sheets`` and ``score tally`` write.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.desk.service import Settings
from docgen.errors import Diagnostic
from docgen.outputs.atomic import write_atomic
from docgen.outputs.staging import Staging

MASTER_NAME = "申报汇总总表.xlsx"
RETURNS = "desk-returns"
SCORES = "desk-scores"
RESULTS = "评审结果"


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
            for stored, given in manifest.items():
                if loc.file.endswith(stored):
                    loc = replace(loc, file=given)
                    break
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
    """Collect every upload of the call into the master workbook (published atomically)."""
    from docgen.bureau.calls import load_call
    from docgen.bureau.collect import collect as run_collect
    from docgen.bureau.master import master_workbook

    call_id, model = load_call(settings.data, call_id)
    folder = call_folder(settings, call_id)
    returns = folder / RETURNS
    manifest = _manifest(returns)
    collection = run_collect(returns, call_id, model)
    with Staging(folder) as staging:
        staging.write(MASTER_NAME, master_workbook(collection, model))
        written = staging.publish()
    for r in collection.rows:
        for stored, given in manifest.items():
            if r.file.endswith(stored):
                r.file = given
    return Intake(collection.rows, _rename(collection.diagnostics, manifest), len(collection.files),
                  sum(1 for f in collection.files if f.readable), len(collection.admitted),
                  [p.name for p in written])


def score_sheets_zip(settings: Settings, call_id: str, reviewers: int) -> bytes:
    """Return a zip of one score sheet per reviewer, from the master's admitted applications."""
    from docgen.bureau.calls import load_call, require_scoring
    from docgen.bureau.score import read_master, score_sheet

    call_id, model = load_call(settings.data, call_id)
    require_scoring(call_id, model, settings.data)
    apps = read_master(call_folder(settings, call_id) / MASTER_NAME)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(1, reviewers + 1):
            info = zipfile.ZipInfo(f"评分表-评委{i:02d}.xlsx", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, score_sheet(model, apps, i))
    return buf.getvalue()


@dataclass
class TallyShown:
    lines: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def tally(settings: Settings, call_id: str) -> TallyShown:
    """Tally the uploaded score sheets; write 评分汇总.xlsx, 评审结果公示名单.docx and its PDF."""
    from docgen.bureau.calls import load_call, require_scoring
    from docgen.bureau.score import PUBLICITY_TEMPLATE, read_master, read_scores, result_docx, result_workbook
    from docgen.bureau.score import tally as compute
    from docgen.errors import DocgenError
    from docgen.pdf.convert import convert_batch

    call_id, model = load_call(settings.data, call_id)
    require_scoring(call_id, model, settings.data)
    folder = call_folder(settings, call_id)
    apps = read_master(folder / MASTER_NAME)
    scores = folder / SCORES
    manifest = _manifest(scores)
    try:
        sheets = read_scores(scores, model, apps)
    except DocgenError as exc:
        exc.diagnostics = _rename(exc.diagnostics, manifest)
        raise
    result = compute(model, apps, sheets)
    docx = result_docx(model, result, settings.root / PUBLICITY_TEMPLATE)
    files = {"评分汇总.xlsx": result_workbook(model, result), "评审结果公示名单.docx": docx}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "评审结果公示名单.docx"
        src.write_bytes(docx)
        try:
            pdf = convert_batch([src]).get(src)
            if pdf is not None and pdf.is_file():
                from docgen.outputs.pdfnorm import normalize_pdf_bytes

                files["评审结果公示名单.pdf"] = normalize_pdf_bytes(pdf.read_bytes())
        except DocgenError:
            pass  # the 公示 stays available as docx; the page says the PDF is missing
    with Staging(folder / RESULTS) as staging:
        for rel, data in files.items():
            staging.write(rel, data)
        written = staging.publish()
    return TallyShown(result.summary_lines(), list(result.rows), [p.name for p in written])


def results(settings: Settings, call_id: str) -> list[Path]:
    """Return the files of the call's results folder (the only ones the page offers for download)."""
    folder = call_folder(settings, call_id) / RESULTS
    return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
