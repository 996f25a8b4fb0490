"""What the desk shows and does, in terms of the domains: load, check, build, import, collect, score.

The pages (docgen.desk.app) never touch files or parse data themselves: they call these
functions with ids and uploaded bytes, and every file name the desk serves comes from a
listing made here, never from a request.
"""

from __future__ import annotations

import io
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docgen.apply import pipeline
from docgen.apply.load import LoadedApplication, Project
from docgen.apply.rules import RuleResult
from docgen.errors import Diagnostic, DocgenError, InputError, Location
from docgen.outputs.atomic import write_atomic
from docgen.text import count_words

DOC_SUFFIXES = (".docx", ".xlsx", ".pdf", ".zip", ".html")


@dataclass
class Settings:
    """Where the desk works: the project root, the data folder and the output folder."""

    root: Path
    data: Path
    out: Path

    @property
    def state(self) -> Path:
        """Return the desk's own folder (uploads waiting for confirmation, template backups, the access log)."""
        return self.out / ".docgen" / "desk"


@dataclass
class Loaded:
    """A project as loaded for a page (without the units and applications whose data has errors), and the
    errors: those that stopped it loading when *project* is None."""

    project: Project | None
    problems: list[Diagnostic] = field(default_factory=list)


_cache: dict[tuple[str, str], tuple[str, Loaded]] = {}


def load(settings: Settings) -> Loaded:
    """Return the project of the data folder; reloaded only when a file under data/ or templates/ changed."""
    key = (str(settings.root), str(settings.data))
    signature = pipeline.input_signature(settings.root, settings.data)
    hit = _cache.get(key)
    if hit is not None and hit[0] == signature:
        return hit[1]
    try:  # as `docgen check` reads: one unit's mistake does not close the desk to the others
        project = pipeline.load(settings.root, settings.data, partial=True)
        loaded = Loaded(project, list(project.load_errors))
    except DocgenError as exc:
        loaded = Loaded(None, exc.diagnostics)
    _cache[key] = (signature, loaded)
    return loaded


def forget() -> None:
    """Drop the cached project (after the desk itself wrote into the data folder)."""
    _cache.clear()


_check_cache: dict[int, list[RuleResult]] = {}


def check(project: Project) -> list[RuleResult]:
    """Return the rule results of *project* (computed once per loaded project)."""
    hit = _check_cache.get(id(project))
    if hit is None:
        _check_cache.clear()
        hit = _check_cache[id(project)] = pipeline.check(project)
    return hit


def application(project: Project, unit_id: str, app_id: str) -> LoadedApplication | None:
    """Return the application *app_id* of unit *unit_id*, or None."""
    unit = project.units.get(unit_id)
    if unit is None:
        return None
    return next((a for a in unit.applications if a.id == app_id), None)


# -- documents in the output folder ----------------------------------------------------------

@dataclass
class Document:
    """A built file the desk can show: its name, size, pages and status."""

    name: str
    path: Path
    size: int
    pages: int | None
    status: str  # 已生成 / 草稿 / 已盖章

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024:.0f} KB" if self.size < 1024 * 1024 else f"{self.size / 1024 / 1024:.1f} MB"


def pdf_pages(path: Path) -> int | None:
    """Return the page count of a PDF, or None when it cannot be read."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)
    except Exception:
        return None


def documents(settings: Settings, unit_id: str, call_id: str) -> list[Document]:
    """Return the built files of a unit for a call, in name order."""
    folder = settings.out / unit_id / call_id
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in DOC_SUFFIXES:
            continue
        status = "草稿" if "草稿" in path.stem else ("已盖章" if path.name.startswith("申报材料") else "已生成")
        pages = pdf_pages(path) if path.suffix.lower() == ".pdf" else None
        out.append(Document(path.name, path, path.stat().st_size, pages, status))
    return sorted(out, key=_shown_order)


def _shown_order(doc: Document) -> tuple[int, str]:
    """The sealed submission first, then the other PDFs, then Word and Excel files."""
    rank = 0 if doc.status == "已盖章" else 1 if doc.name.lower().endswith(".pdf") else 2
    return rank, doc.name


def document(settings: Settings, unit_id: str, call_id: str, name: str) -> Document | None:
    """Return the document called *name* from the listing (a name not in the listing gives None)."""
    return next((d for d in documents(settings, unit_id, call_id) if d.name == name), None)


def zip_documents(docs: list[Document]) -> bytes:
    """Return a zip of *docs* (fixed times, sorted names)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for d in sorted(docs, key=lambda d: d.name):
            info = zipfile.ZipInfo(d.name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, d.path.read_bytes())
    return buf.getvalue()


def last_build_time(settings: Settings) -> str:
    """Return when the output folder last changed, as 年-月-日 时:分, or "尚未生成"."""
    state = settings.out / ".docgen" / "state.json"
    if not state.is_file():
        return "尚未生成"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(state.stat().st_mtime))


# -- narrative ---------------------------------------------------------------------------------

@dataclass
class NarrativeItem:
    """One prose field of an application as the desk edits it."""

    key: str
    title: str
    hint: str
    text: str
    words: int
    limit: int | None
    markdown_file: str | None  # shown name of the Markdown file the text lives in, when it is one


def word_limits(app: LoadedApplication) -> dict[str, int]:
    """Return narrative key → the 字数 limit the call's word_limit rules set for this application."""
    limits: dict[str, int] = {}
    for rule in app.call.model.rules:
        if rule.kind == "word_limit":
            head, _, key = str(rule.params.get("field", "")).partition(".")
            if head == "narrative" and key:
                limits[key] = int(rule.params["max"])
    return limits


def narrative(app: LoadedApplication) -> list[NarrativeItem]:
    """Return every narrative field the call declares, with the application's text and its 字数."""
    from docgen.models.application import NarrativeFile

    limits = word_limits(app)
    items = []
    for spec in app.call.model.application.narrative:
        value = app.model.narrative.get(spec.key)
        md_file = None
        if isinstance(value, NarrativeFile) or (value is None and spec.key in app.markdown):
            md = app.markdown.get(spec.key)
            text = md.text if md is not None else ""
            md_file = md.source if md is not None else str(value.file)  # type: ignore[union-attr]
        else:
            text = str(value or "")
        items.append(NarrativeItem(spec.key, spec.title, spec.hint, text, count_words(text),
                                   limits.get(spec.key), md_file))
    return items


def save_narrative(app: LoadedApplication, key: str, text: str) -> Path:
    """Write *text* as the narrative field *key* of *app*: into its Markdown file, or into the YAML in place.

    The YAML keeps its comments and the other fields (ruamel round trip); the file is
    replaced atomically. Return the file written.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    from docgen.models.application import NarrativeFile

    known = {f.key for f in app.call.model.application.narrative}
    if key not in known:
        raise InputError(Diagnostic("D205", f"该通知没有叙述项“{key}”", Location(str(app.path))))
    text = text.replace("\r\n", "\n")
    value = app.model.narrative.get(key)
    md = app.markdown.get(key)
    if isinstance(value, NarrativeFile) or (value is None and md is not None):
        target = (app.path.parent / value.file) if isinstance(value, NarrativeFile) else \
            app.path.parent / app.path.stem / f"{key}.md"
        write_atomic(target, text.rstrip("\n").encode("utf-8") + b"\n")
        return target
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(app.path.read_text(encoding="utf-8-sig"))
    if not isinstance(data.get("narrative"), dict):
        data["narrative"] = CommentedMap()
    data["narrative"][key] = LiteralScalarString(text.rstrip("\n") + "\n") if text.strip() else ""
    buf = io.StringIO()
    yaml.dump(data, buf)
    write_atomic(app.path, buf.getvalue().encode("utf-8"))
    return app.path
