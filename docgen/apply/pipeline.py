"""The build, top to bottom: load → validate → check rules → render → convert → publish.

Files appear in the output folder only at the end, by rename, so a failed
build leaves the previous outputs intact. Each output is keyed by a hash of
its inputs (template, data the template sees, font mapping, docgen's version;
for a submission PDF also its attachments and seal) kept in
``<out>/.docgen/state.json``: a rebuild only redoes what changed. The work is
split into tasks (one per application with its submission PDF, one per
per-unit or per-call form); with ``jobs > 1`` forked workers, each with its own
LibreOffice, run them and the main process publishes. A failing task does not
stop the others.
"""

from __future__ import annotations

import os
import re
import time
import traceback
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from docgen.apply.context import application_context, call_context, unit_context
from docgen.apply.load import LoadedCall, LoadedUnit, Project, load_project
from docgen.apply.rules import RuleResult, evaluate_project
from docgen.errors import (
    Collector,
    Diagnostic,
    DocgenError,
    InputError,
    Location,
    OutputError,
    ToolError,
    display_path,
)
from docgen.models.call import Form
from docgen.outputs.staging import Staging
from docgen.outputs.state import (
    BuildState,
    ContextHasher,
    file_hash,
    job_key,
)
from docgen.render.docx import render_docx
from docgen.render.xlsx import render_xlsx

if TYPE_CHECKING:
    from docgen.apply.submission import SubmissionJob

RENDERERS: dict[str, Callable[[Path, dict[str, Any]], bytes]] = {".docx": render_docx, ".xlsx": render_xlsx}
UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class Job:
    """One document to produce: which form, for whom, with what variables, to which file."""

    form: Form
    call: LoadedCall
    unit: LoadedUnit | None  # None for a per-call form (the bureau's own attachments)
    context: dict[str, Any]
    output: str  # path relative to the output folder
    draft: bool = False
    app: Any = None  # the LoadedApplication of a per-application form


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    refused_units: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    results: list[RuleResult] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # outputs skipped: same inputs as last time
    failed: list[str] = field(default_factory=list)     # outputs that could not be produced
    errors: list[DocgenError] = field(default_factory=list)  # why (one per failing document)
    seconds: float = 0.0

    def error(self) -> DocgenError | None:
        """Return one error carrying every failure's diagnostics (its class: the first failure's), or None."""
        if not self.errors:
            return None
        seen: dict[str, Diagnostic] = {}
        for exc in self.errors:
            for d in exc.diagnostics:
                seen.setdefault(d.format(), d)
        return type(self.errors[0])(list(seen.values()))


def load(root: Path, data_dir: Path, unit: str | None = None, call: str | None = None,
         partial: bool = False) -> Project:
    return load_project(root, data_dir, unit, call, partial)


def check(project: Project) -> list[RuleResult]:
    return evaluate_project(project)


def _safe(text: str) -> str:
    return UNSAFE.sub("_", text).strip("_")


def output_name(form: Form, unit: LoadedUnit | None, call: LoadedCall, sub=None, pattern: str | None = None) -> str:
    values = {"unit": unit.id if unit else "", "unit_name": _safe(unit.model.name) if unit else "", "call": call.id,
              "sub": sub.no if sub else "", "sub_label": _safe(sub.display_no) if sub else "",
              "sub_name": _safe(sub.name) if sub else ""}
    return (pattern or form.output).format(**values)


def plan(project: Project, drafts: set[str] | None = None, skip: set[str] | None = None) -> list[Job]:
    """Return every document the data asks for, units in *skip* left out, *drafts* marked."""
    drafts, skip = drafts or set(), skip or set()
    jobs: list[Job] = []
    # The bureau's own attachments: once per call, whoever applies (output e.g. calls/<call>/附件1-….docx).
    for call in project.calls.values():
        for form in call.model.forms:
            if form.per == "call":
                jobs.append(Job(form, call, None, call_context(call), output_name(form, None, call)))
    for unit in project.units.values():
        if unit.id in skip:
            continue
        draft = unit.id in drafts
        for call in project.calls.values():
            apps = unit.applications_for(call.id)
            if not apps:
                continue
            for form in call.model.forms:
                if form.per == "call":
                    continue
                if form.per == "unit":
                    jobs.append(Job(form, call, unit, unit_context(unit, call, draft),
                                    output_name(form, unit, call), draft))
                else:
                    for app in apps:
                        jobs.append(Job(form, call, unit, application_context(app, draft),
                                        output_name(form, unit, call, app.sub_project), draft, app))
    for job in jobs:
        if job.draft:
            job.output = _draft_name(job.output)
    return jobs


def _draft_name(output: str) -> str:
    path = Path(output)
    return str(path.with_name(f"{path.stem}-草稿{path.suffix}"))


def plan_submissions(jobs: list[Job]) -> list["SubmissionJob"]:
    """Return one submission PDF per application whose call has a ``submission:``, parts in its order."""
    from docgen.apply.submission import SubmissionJob

    subs: dict[tuple[str, str, str], SubmissionJob] = {}
    for job in jobs:
        spec = job.call.model.submission
        if spec is None or job.app is None:
            continue
        key = (job.unit.id, job.call.id, job.app.id)
        if key not in subs:
            output = output_name(job.form, job.unit, job.call, job.app.sub_project, spec.output)
            subs[key] = SubmissionJob(job.unit, job.call, job.app, spec,
                                      _draft_name(output) if job.draft else output, draft=job.draft)
        if job.form.id in spec.parts and job.form.pdf:
            subs[key].documents.append((job.form.title, job.output))
            subs[key].documents.sort(key=lambda d: spec.parts.index(_form_id(job.call, d[0])))
    return list(subs.values())


def _form_id(call: LoadedCall, title: str) -> str:
    return next(f.id for f in call.model.forms if f.title == title)


def render(project: Project, jobs: list[Job]) -> list[tuple[Job, bytes]]:
    """Render every job in memory; raise InputError listing every template problem."""
    collector = Collector()
    rendered: list[tuple[Job, bytes]] = []
    failed_templates: set[Path] = set()
    for job in jobs:
        template = project.root / job.form.template
        if template in failed_templates:
            continue
        renderer = RENDERERS.get(template.suffix.lower())
        if renderer is None:
            collector.add(_unknown_kind(template))
            failed_templates.add(template)
            continue
        try:
            rendered.append((job, renderer(template, job.context)))
        except DocgenError as exc:
            collector.extend(exc.diagnostics)
            failed_templates.add(template)
    collector.raise_if_errors()
    return rendered


def _unknown_kind(template: Path) -> Diagnostic:
    return Diagnostic("T400", "模板只能是 .docx 或 .xlsx 文件", Location(display_path(template)))


def build(project: Project, out_dir: Path, pdf: bool = True, draft: bool = False,
          converter: Callable[[list[Path]], dict[Path, Path]] | None = None,
          submissions: bool = True, only_pdf: bool = False, jobs: int = 1, clean: bool = False,
          progress: Callable[[int], Any] | None = None, raise_failures: bool = True) -> BuildResult:
    """Check, render and publish every document whose inputs changed; units whose rules fail are refused or drafted.

    With *pdf*, documents go through a warm LibreOffice (or *converter*) and, with
    *submissions*, each application's merged, numbered and sealed submission PDF is
    written too. *only_pdf* publishes the submission PDFs alone (docgen pdf).
    *jobs* workers run at once; *clean* ignores what earlier builds recorded;
    *progress(total)* returns an object told ``advance(name, ok)`` after each task.
    With *raise_failures*, failures are raised after the good outputs are published;
    otherwise they are left in the result.
    """
    from docgen.outputs.preflight import check_writable

    start = time.perf_counter()
    check_writable(out_dir)  # before anything is rendered or published
    result = BuildResult(results=check(project))
    failing = {r.unit.id for r in result.results if not r.passed}
    if draft:
        result.drafts = sorted(failing)
        planned = plan(project, drafts=failing)
    else:
        result.refused_units = sorted(failing)
        planned = plan(project, skip=failing)
    subs = plan_submissions(planned) if pdf and submissions else []
    state = BuildState(out_dir, clean=clean)
    tasks, result.unchanged = _stale_tasks(project, planned, subs, state, pdf, only_pdf)
    if tasks:
        _run(project, out_dir, tasks, state, result, pdf, only_pdf, converter, max(1, jobs), progress)
    result.seconds = time.perf_counter() - start
    if raise_failures and result.errors:
        raise result.error()
    return result


# -- the quick path: nothing read by the last clean build has changed ------------------------

QUICK_FILE = "quick.json"


def input_signature(root: Path, data_dir: Path) -> str:
    """Return a digest of the name, size, mtime and inode of every file a build may read.

    That is everything under the data folder and ``<root>/templates``, the font mapping,
    docgen's code key and SOURCE_DATE_EPOCH. Taken before loading, so a file changed
    during a build makes the next signature differ.
    """
    import hashlib

    from docgen.outputs.state import code_key
    from docgen.pdf.convert import FONTS_CONF

    h = hashlib.sha256(f"{code_key()}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for base in (data_dir, root / "templates"):
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    st = FONTS_CONF.stat()
    h.update(f"{FONTS_CONF}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    from docgen.pdf.fonts import fonts_signature
    h.update(fonts_signature().encode())  # fonts installed or removed: load and key again
    return h.hexdigest()


def _quick_path(out_dir: Path) -> Path:
    from docgen.outputs.state import STATE_DIR

    return out_dir / STATE_DIR / QUICK_FILE


def up_to_date(out_dir: Path, options: str, signature: str) -> list[str] | None:
    """Return the outputs of the last clean build with these *options* when its inputs are unchanged and
    every output is still there; otherwise None (then the build loads and checks everything)."""
    import json

    try:
        entry = json.loads(_quick_path(out_dir).read_text(encoding="utf-8")).get(options)
    except (OSError, ValueError, AttributeError):
        return None
    if not entry or entry.get("inputs") != signature:
        return None
    outputs = entry.get("outputs", [])
    if not all((out_dir / rel).is_file() for rel in outputs):
        return None
    return outputs


def remember_up_to_date(out_dir: Path, options: str, signature: str, outputs: list[str]) -> None:
    """Record that a clean build with *options* read inputs with *signature* and left *outputs*."""
    import json

    from docgen.outputs.atomic import write_atomic

    path = _quick_path(out_dir)
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        entries = entries if isinstance(entries, dict) else {}
    except (OSError, ValueError):
        entries = {}
    entry = {"inputs": signature, "outputs": sorted(outputs)}
    if entries.get(options) == entry:
        return  # nothing to write
    entries[options] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"))


# -- incremental: which outputs are stale --------------------------------------------------

@dataclass
class Task:
    """One unit of work: documents to render (and convert), maybe a submission PDF built from them."""

    name: str
    jobs: list[Job]
    submission: "SubmissionJob | None" = None
    keys: dict[str, str] = field(default_factory=dict)  # published output → its key


@dataclass
class TaskResult:
    index: int
    written: dict[str, str] = field(default_factory=dict)  # staged output (relative) → key
    failed: list[str] = field(default_factory=list)
    errors: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)  # (error class name, diagnostics)
    crash: str = ""  # a bug in docgen: the traceback

    def fail(self, outputs: list[str], exc: DocgenError) -> None:
        self.failed.extend(outputs)
        self.errors.append((type(exc).__name__, exc.diagnostics))


ERROR_CLASSES = {cls.__name__: cls for cls in (DocgenError, InputError, ToolError, OutputError)}


def pdf_name(rel: str) -> str:
    return str(Path(rel).with_suffix(".pdf"))


def _hash_or_absent(path: Path) -> str:
    try:
        return file_hash(path)
    except OSError:
        return "absent"  # the render or the assembly reports it


def _stale_tasks(project: Project, planned: list[Job], subs: list["SubmissionJob"], state: BuildState,
                 pdf: bool, only_pdf: bool) -> tuple[list[Task], list[str]]:
    """Key every output and return the tasks that have something to redo, and the outputs left as they are."""
    from docgen.outputs.state import STATE_DIR
    from docgen.pdf.fonts import font_gate

    # The font gate: no PDF is made when a Chinese font reaches no Chinese face; the files it reaches are keyed.
    used = sorted({project.root / job.form.template for job in planned if job.form.pdf})
    fonts = font_gate([t for t in used if t.is_file()], state.out_dir / STATE_DIR / "cache") if pdf else ""
    doc_keys: dict[str, str] = {}   # document (relative) → key of its docx/xlsx
    pdf_keys: dict[str, str] = {}   # document → key of its PDF
    outputs: dict[str, dict[str, str]] = {}
    templates: dict[Path, str] = {}
    hasher = ContextHasher(_markdown_images)
    for job in planned:
        template = project.root / job.form.template
        if template not in templates:
            templates[template] = _hash_or_absent(template)
        doc_keys[job.output] = job_key("doc", templates[template], hasher(job.context),
                                       "draft" if job.draft else "")
        if pdf and job.form.pdf:
            pdf_keys[job.output] = job_key("pdf", doc_keys[job.output], fonts)
        if not only_pdf:
            outputs[job.output] = {job.output: doc_keys[job.output]}
            if job.output in pdf_keys:
                outputs[job.output][pdf_name(job.output)] = pdf_keys[job.output]
    unchanged: list[str] = []
    stale_jobs: set[str] = set()
    for rel, keys in outputs.items():
        if all(state.is_fresh([out], key) for out, key in keys.items()):
            unchanged.extend(keys)
        else:
            stale_jobs.add(rel)
    by_app: dict[tuple[str, str, str], Task] = {}
    tasks: list[Task] = []
    for sub in subs:
        key = _submission_key(sub, pdf_keys, hasher)
        if state.is_fresh([sub.output], key):
            unchanged.append(sub.output)
            continue
        task = Task(sub.output, [], sub, {sub.output: key})
        by_app[(sub.unit.id, sub.call.id, sub.app.id)] = task
        tasks.append(task)
    for job in planned:
        app = (job.unit.id, job.call.id, job.app.id) if job.app is not None else None
        app_task = by_app.get(app) if app else None
        in_sub = app_task is not None and app_task.submission is not None and any(
            rel == job.output for _t, rel in app_task.submission.documents)
        if job.output in stale_jobs or (only_pdf and in_sub):
            if app is not None and app_task is None:
                app_task = by_app[app] = Task(job.output, [])
                tasks.append(app_task)
            task = app_task
            if task is None:
                task = Task(job.output, [])
                tasks.append(task)
            task.jobs.append(job)
            task.keys.update(outputs.get(job.output, {}))
    return tasks, unchanged


def _markdown_images(value: Any) -> list[Path]:
    """Return the image files a Markdown text shows (their bytes are part of the document's key)."""
    from urllib.parse import unquote

    from docgen.load.markdown import MarkdownText

    if not isinstance(value, MarkdownText):
        return []
    base = value.base_dir or Path(".")
    return [base / unquote(str(child.attrs.get("src", ""))) for tok in value.tokens
            for child in tok.children or [] if child.type == "image"]


def _submission_key(sub: "SubmissionJob", pdf_keys: dict[str, str], hasher: ContextHasher) -> str:
    from docgen.apply.submission import ordered_attachments

    unit = sub.unit
    parts = [pdf_keys.get(rel, "absent") for _title, rel in sub.documents]
    parts += [_hash_or_absent(unit.dir / att.file) for _i, att in ordered_attachments(unit, sub.call)]
    seal = unit.model.seal
    parts.append(_hash_or_absent(unit.dir / seal.image) if seal else "no seal")
    parts.append(hasher({"spec": sub.spec, "unit": unit.model, "sub": sub.app.sub_project,
                               "kinds": sub.call.model.attachments, "title": sub.call.model.project_title,
                               "draft": sub.draft, "documents": sub.documents}))
    return job_key("submission", *parts)


# -- running the tasks ---------------------------------------------------------------------

def _run(project: Project, out_dir: Path, tasks: list[Task], state: BuildState, result: BuildResult,
         pdf: bool, only_pdf: bool, converter, jobs: int, progress) -> None:
    needs_lo = pdf and converter is None and any(job.form.pdf for task in tasks for job in task.jobs)
    shown = progress(len(tasks)) if progress else None
    results: dict[int, TaskResult] = {}
    try:
        with Staging(out_dir) as staging:
            runner = _Runner(project, out_dir, staging.dir, tasks, pdf, only_pdf)

            def done(res: TaskResult) -> None:
                results[res.index] = res
                if shown is not None:
                    shown.advance(tasks[res.index].name, not res.failed)

            if jobs == 1 or len(tasks) == 1:
                with ExitStack() as stack:
                    conv = converter
                    if needs_lo:
                        from docgen.pdf.warm import WarmConverter
                        conv = stack.enter_context(WarmConverter())
                        conv.warm_up()  # LibreOffice starts while the first documents are rendered
                    for i in range(len(tasks)):
                        done(runner.run(i, conv))
            else:
                _run_parallel(runner, converter, needs_lo, min(jobs, len(tasks)), done)
            crashes = [r.crash for r in results.values() if r.crash]
            if crashes:
                raise RuntimeError("build worker failed:\n" + crashes[0])
            for i in sorted(results):
                res = results[i]
                for rel in res.written:
                    staging.adopt(rel)
                result.failed.extend(res.failed)
                result.errors.extend(ERROR_CLASSES.get(name, DocgenError)(diags) for name, diags in res.errors)
            result.written = staging.publish()
    finally:
        if shown is not None:
            shown.close()
    for i in sorted(results):
        res = results[i]
        for rel, key in res.written.items():
            state.record([rel], key)
        state.forget(res.failed)
    state.save()


class _Runner:
    """Runs one task into the shared staging folder; lives in the main process or in a forked worker."""

    def __init__(self, project: Project, out_dir: Path, staging_dir: Path, tasks: list[Task], pdf: bool,
                 only_pdf: bool):
        self.project, self.out_dir, self.staging_dir, self.tasks = project, out_dir, staging_dir, tasks
        self.pdf, self.only_pdf = pdf, only_pdf

    def run(self, index: int, converter) -> TaskResult:
        try:
            return self._run(index, converter)
        except Exception:  # a bug: report it rather than hang the other processes
            return TaskResult(index, crash=traceback.format_exc())

    def _run(self, index: int, converter) -> TaskResult:
        from docgen.outputs.pdfnorm import normalize_pdf_file

        task = self.tasks[index]
        res = TaskResult(index)
        staging = Staging.view(self.out_dir, self.staging_dir)
        pdfs: dict[str, Path] = {}  # document (relative) → its PDF, for the submission
        for job in task.jobs:
            template = self.project.root / job.form.template
            renderer = RENDERERS.get(template.suffix.lower())
            mine = [rel for rel in task.keys if rel in (job.output, pdf_name(job.output))]
            try:
                if renderer is None:
                    raise InputError(_unknown_kind(template))
                data = renderer(template, job.context)
                if self.only_pdf:
                    path = staging.scratch(job.output, data)
                else:
                    path = staging.write(job.output, data)
                    res.written[job.output] = task.keys[job.output]
                if self.pdf and job.form.pdf:
                    try:
                        made = converter([path])[path]
                    except ToolError as exc:  # name the output, not the staging file LibreOffice was given
                        raise _renamed(exc, path, self.out_dir / pdf_name(job.output)) from None
                    normalize_pdf_file(made)
                    pdfs[job.output] = made
                    if not self.only_pdf:
                        res.written[pdf_name(job.output)] = task.keys[pdf_name(job.output)]
            except DocgenError as exc:
                res.fail([rel for rel in mine if rel not in res.written] or [job.output], exc)
        sub = task.submission
        if sub is not None:
            failed_docs = [rel for _t, rel in sub.documents if rel in res.failed or pdf_name(rel) in res.failed]
            if failed_docs:
                res.failed.append(sub.output)  # the failing document was reported above
            else:
                from docgen.apply.submission import write_submission

                for _title, rel in sub.documents:
                    if rel not in pdfs and (self.out_dir / pdf_name(rel)).is_file():
                        pdfs[rel] = self.out_dir / pdf_name(rel)  # unchanged: the published PDF
                try:
                    path, _info = write_submission(sub, staging, converter, pdfs)
                    normalize_pdf_file(path)
                    res.written[sub.output] = task.keys[sub.output]
                except DocgenError as exc:
                    res.fail([sub.output], exc)
        return res


def _renamed(exc: DocgenError, staged: Path, output: Path) -> DocgenError:
    """Return *exc* with every location on the staged file moved to the output it stands for."""
    from dataclasses import replace

    staged_shown = {display_path(staged), display_path(staged.resolve())}
    diagnostics = [replace(d, location=replace(d.location, file=display_path(output)))
                   if d.location is not None and d.location.file in staged_shown else d for d in exc.diagnostics]
    return type(exc)(diagnostics)


def _run_parallel(runner: _Runner, converter, needs_lo: bool, workers: int, done: Callable[[TaskResult], None]):
    """Fork *workers* processes, each with its own LibreOffice, pulling task numbers from a queue."""
    import multiprocessing as mp
    import queue as queue_mod

    ctx = mp.get_context("fork")
    todo, results = ctx.SimpleQueue(), ctx.Queue()
    for i in range(len(runner.tasks)):
        todo.put(i)
    for _ in range(workers):
        todo.put(None)

    def work() -> None:
        with ExitStack() as stack:
            conv = converter
            if needs_lo:
                from docgen.pdf.warm import WarmConverter
                conv = stack.enter_context(WarmConverter())
                conv.warm_up()
            while (i := todo.get()) is not None:
                results.put(runner.run(i, conv))

    def worker_main() -> None:
        code = 0
        try:
            work()
        except BaseException:
            code = 1
        finally:
            results.close()
            results.join_thread()
            os._exit(code)

    procs = [ctx.Process(target=worker_main, daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    left = len(runner.tasks)
    try:
        while left:
            try:
                res = results.get(timeout=1.0)
            except queue_mod.Empty:
                if not any(p.is_alive() for p in procs):
                    try:
                        res = results.get(timeout=1.0)
                    except queue_mod.Empty:
                        raise ToolError(Diagnostic("L506", "并行生成的工作进程意外退出", None,
                                                   hint="改用 -j 1 重新运行；如仍失败，加 --debug 并把输出发给维护者。"))
                else:
                    continue
            done(res)
            left -= 1
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
                proc.join()
