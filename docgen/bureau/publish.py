"""The bureau's outputs through the one build path, for ``docgen collect``/``score`` and the desk alike.

Each output is keyed by what decides its bytes (the call, the returned or filled workbooks, the
master, the template; docgen's own code is in every key); only stale outputs are made, then
published at once and their keys recorded in ``<out>/.docgen``. Workbooks with formulas get
cached values from LibreOffice and the 公示 its PDF, normalised, so the same inputs give the
same bytes whichever face asked. Nothing here prints: the callers say what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.build import BuildOutcome, Doc, Task, doc_key, fonts_key, hash_or_absent, pdf_key, pdf_name, run, select
from docgen.errors import Diagnostic, InputError, Location, ToolError, display_path
from docgen.outputs.state import BuildState, ContextHasher

if TYPE_CHECKING:  # the readers and drawers load when a command runs, not when the CLI starts
    from docgen.bureau.collect import Collection
    from docgen.bureau.score import App, Tally
    from docgen.models.call import Call

MASTER_NAME = "申报汇总总表.xlsx"
SHEETS_DIR = "评分表"
RESULTS_DIR = "评审结果"
SUMMARY_NAME = "评分汇总.xlsx"
PUBLICITY_NAME = "评审结果公示名单.docx"

# output name → (make, key parts): make() returns the bytes; the parts join the key of that output alone
Files = dict[str, tuple[Any, ...]]


@dataclass
class Published:
    """What a publish did: the files written, and the outputs (relative to the folder) left as they were.

    *failed* lists the PDFs that could not be made when they were optional (``pdf_optional``);
    it is empty otherwise, since any other failure raises.
    """

    written: list[Path] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def folder_key(folder: Path) -> str:
    """Return a hash of the names and bytes of the files under *folder*, sub-folders included, as collect and
    tally read them (the returned workbooks, the score sheets)."""
    return "|".join(f"{p.relative_to(folder).as_posix()}:{hash_or_absent(p)}"
                    for p in sorted(folder.rglob("*")) if p.is_file())


def publish(out_dir: Path, files: Files, *inputs: Any, formulas: bool = False, pdf: tuple[str, ...] = (),
            pdf_optional: bool = False) -> Published:
    """Build *files* (name → (make, key parts)) into *out_dir*: those whose key changed are made and published at
    once, their keys recorded in <out_dir>/.docgen. *inputs* join every key.

    With *formulas*, the workbooks get cached values from LibreOffice; the files named in *pdf* also get a PDF
    beside them (both only when LibreOffice is installed). A failure raises its DocgenError after the outputs
    that succeeded are published; with *pdf_optional* a PDF that cannot be made (no Chinese fonts, LibreOffice
    failed) is left out and listed in ``failed`` instead, the documents are published all the same.
    """
    from docgen.pdf.convert import find_soffice

    hasher = ContextHasher()
    common = hasher(list(inputs))
    lo = find_soffice() is not None  # without LibreOffice: formulas without cached values, no PDF
    asked: tuple[str, ...] = pdf if lo else ()
    fonts: str | None = None
    skipped: list[str] = []
    if asked:
        try:
            fonts = fonts_key()  # the font gate: a ToolError when Chinese text would come out as boxes
        except ToolError:
            if not pdf_optional:
                raise
            asked, skipped = (), [pdf_name(rel) for rel in pdf if rel in files]
    tasks = []
    for rel, (make, *parts) in files.items():
        recalc = lo and formulas and rel.endswith(".xlsx")
        key = doc_key(common, hasher(list(parts)), "cached values" if recalc else "")
        tasks.append(Task(rel, [Doc(rel, make, key, pdf_key(key, fonts) if rel in asked else None, recalc=recalc)]))
    state = BuildState(out_dir)
    todo, unchanged = select(tasks, state)
    outcome = run(todo, out_dir, state, BuildOutcome(unchanged=unchanged))
    error = outcome.error()
    optional = {pdf_name(rel) for rel in pdf} if pdf_optional else set()
    if error is not None and not set(outcome.failed) <= optional:
        raise error
    left_out = skipped + outcome.failed
    stale = [rel for rel in left_out if rel in optional and (out_dir / rel).is_file()]
    if stale:  # an older PDF beside a newer document would be taken for it: it goes, with its key
        for rel in stale:
            (out_dir / rel).unlink()
        state.forget(stale)
        state.save()
    return Published(outcome.written, outcome.unchanged, left_out)


def collect_returns(folder: Path, call_id: str, call: Call, out_dir: Path) -> tuple[Collection, Published]:
    """Read every returned 汇总表 in *folder* and publish the master workbook into *out_dir*.

    Raise InputError (D148) when *folder* does not exist; the problems of the returns are in the collection.
    """
    from docgen.bureau.collect import collect as read_returns
    from docgen.bureau.master import master_workbook

    if not folder.is_dir():
        raise InputError(Diagnostic("D148", "文件夹不存在", Location(display_path(folder)),
                                    hint="给出存放各单位汇总表的文件夹。"))
    collection = read_returns(folder, call_id, call)
    published = publish(out_dir, {MASTER_NAME: (lambda: master_workbook(collection, call),)},
                        "collect", call_id, call, folder_key(folder))
    return collection, published


def publish_sheets(apps: list[App], master: Path, call_id: str, call: Call, reviewers: int,
                   out_dir: Path) -> Published:
    """Publish one score sheet per reviewer (评分表-评委NN.xlsx) of *apps*, read from *master*, into *out_dir*."""
    files: Files = {f"评分表-评委{i:02d}.xlsx": (_sheet(call, apps, i), i) for i in range(1, reviewers + 1)}
    return publish(out_dir, files, "sheets", call_id, call, hash_or_absent(master), formulas=True)


def _sheet(call: Call, apps: list[App], reviewer: int) -> Callable[[], bytes]:
    from docgen.bureau.score import score_sheet

    return lambda: score_sheet(call, apps, reviewer)


def tally_scores(folder: Path, master: Path, call_id: str, call: Call, template: Path, out_dir: Path, *,
                 pdf: bool = True, pdf_optional: bool = False) -> tuple[Tally, Published]:
    """Tally the filled score sheets in *folder* against *master*; publish 评分汇总.xlsx and the 公示 (from
    *template*, with its PDF when *pdf*) into *out_dir*.

    Raise InputError when the master cannot be read, *folder* does not exist (D148) or a sheet is wrong.
    """
    from docgen.bureau.score import read_master, read_scores, result_docx, result_workbook
    from docgen.bureau.score import tally as compute_tally

    apps = read_master(master)
    if not folder.is_dir():
        raise InputError(Diagnostic("D148", "文件夹不存在", Location(display_path(folder)),
                                    hint="给出存放评委评分表的文件夹。"))
    result = compute_tally(call, apps, read_scores(folder, call, apps))
    files: Files = {SUMMARY_NAME: (lambda: result_workbook(call, result),),
                    PUBLICITY_NAME: (lambda: result_docx(call, result, template), hash_or_absent(template))}
    published = publish(out_dir, files, "tally", call_id, call, hash_or_absent(master), folder_key(folder),
                        formulas=True, pdf=(PUBLICITY_NAME,) if pdf else (), pdf_optional=pdf_optional)
    return result, published
