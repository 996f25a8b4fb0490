"""Load year-end paperwork: the notice's reports.yaml and each unit's report folders of Markdown.

Layout::

    data/calls/<call-id>/reports.yaml                         what the notice asks for, thresholds
    data/units/<unit>/reports/<year>-<class>/report.yaml      figures (人数, 经费), contact, class
    data/units/<unit>/reports/<year>-<class>/绩效自评报告.md
    data/units/<unit>/reports/<year>-<class>/cases/*.md       工作案例 / 成长案例, front matter on top
    data/units/<unit>/reports/<year>-<class>/figures/*.png    pictures the Markdown refers to

A Markdown file may start with a YAML front matter block between two ``---``
lines. Every problem in every file is collected before anything is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.apply.load import LoadedUnit, Project
from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.markdown import MarkdownText, inline_text, plain_paragraphs
from docgen.load.validate import load_model, validate
from docgen.load.yamlpos import Positions, YamlDoc, load_yaml_text
from docgen.models.yearend import (
    CaseMeta,
    ProjectClass,
    ReportFolder,
    ReportMeta,
    YearEndCall,
)
from docgen.text import count_words


@dataclass
class Heading:
    level: int
    text: str
    line: int  # in the file, 1-based


@dataclass
class MarkdownDoc:
    """A Markdown file: front matter (with positions), body, headings and 字数."""

    path: Path
    meta: dict
    positions: Positions
    md: MarkdownText
    headings: list[Heading]

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def words(self, title: str = "") -> int:
        """Return the 字数 of the title and the body text (Markdown marks not counted)."""
        return count_words(title) + sum(count_words(t) for t in plain_paragraphs(self.md))

    def at(self, line: int | None = None, anchor: str | None = None) -> Location:
        return Location(self.shown, line, None, anchor=anchor)


@dataclass
class LoadedCase:
    doc: MarkdownDoc
    meta: CaseMeta

    @property
    def words(self) -> int:
        return self.doc.words(self.meta.title)


@dataclass
class LoadedYearEndCall:
    id: str
    dir: Path
    model: YearEndCall
    positions: Positions


@dataclass
class LoadedFolder:
    """One unit's paperwork for one class of project in one year."""

    id: str
    dir: Path
    unit: LoadedUnit
    call: LoadedYearEndCall
    model: ReportFolder
    positions: Positions
    project_class: ProjectClass
    self_report: MarkdownDoc | None
    report_title: str
    cases: list[LoadedCase] = field(default_factory=list)

    @property
    def work_cases(self) -> list[LoadedCase]:
        return [c for c in self.cases if c.meta.kind == "工作案例"]

    @property
    def growth_cases(self) -> list[LoadedCase]:
        return [c for c in self.cases if c.meta.kind == "成长案例"]

    @property
    def category(self) -> str:
        """省内高校 or 其他: as written in report.yaml, else from the unit's kind and address."""
        if self.model.category:
            return self.model.category
        unit = self.unit.model
        return "省内高校" if unit.kind == "高校" and unit.address.startswith("河南") else "其他"


@dataclass
class YearEnd:
    calls: dict[str, LoadedYearEndCall]
    folders: list[LoadedFolder]


def read_markdown(path: Path, collector: Collector) -> MarkdownDoc | None:
    """Return the Markdown file split into front matter and body; add problems to *collector*."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        collector.add(Diagnostic("D131", f"文件不是 UTF-8 编码（第 {exc.start} 字节）", Location(shown),
                                 hint="用文本编辑器另存为 UTF-8 编码后再试。"))
        return None
    text = text.replace("\r\n", "\n")
    meta: dict = {}
    positions = Positions(shown)
    offset = 0
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            collector.add(Diagnostic("D136", "文件开头的 --- 信息块没有结束的 --- 行", Location(shown, 1, 1),
                                     hint="在标题、作者等信息之后另起一行写 ---。"))
            return None
        front = "\n" + "\n".join(lines[1:end])  # keeps file line numbers
        try:
            doc = load_yaml_text(front, shown, path)
        except InputError as exc:
            collector.extend(exc.diagnostics)
            return None
        meta = doc.data if isinstance(doc.data, dict) else {}
        positions = doc.positions
        offset = end + 1
        text = "\n".join(lines[end + 1:])
    md = MarkdownText(text, path.parent, shown, offset)
    headings = []
    tokens = md.tokens
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            line = (tok.map[0] if tok.map else 0) + 1 + offset
            headings.append(Heading(int(tok.tag[1]), inline_text(tokens[i + 1]), line))
    return MarkdownDoc(path, meta, positions, md, headings)


def load_yearend(project: Project, call_filter: str | None = None) -> YearEnd:
    """Load every reports.yaml and every unit's report folders; raise InputError listing every problem."""
    collector = Collector()
    calls: dict[str, LoadedYearEndCall] = {}
    for path in sorted((project.data_dir / "calls").glob("*/reports.yaml")):
        loaded = load_model(path, YearEndCall, collector)
        if loaded is None:
            continue
        model = loaded.model
        for key in ("report", "author_sheet", "list"):
            rel = getattr(model.templates, key)
            if not (project.root / rel).is_file():
                collector.add(Diagnostic("F201", f"模板文件不存在：{rel}", loaded.positions.locate(("templates", key)),
                                         field=f"templates.{key}", hint="把模板放到该位置，或改正路径。"))
        calls[path.parent.name] = LoadedYearEndCall(path.parent.name, path.parent, model, loaded.positions)
    folders: list[LoadedFolder] = []
    for unit in project.units.values():
        for path in sorted((unit.dir / "reports").glob("*/report.yaml")):
            folder = _load_folder(path, unit, calls, collector)
            if folder is not None and (not call_filter or folder.call.id == call_filter):
                folders.append(folder)
    collector.raise_if_errors()
    return YearEnd(calls, folders)


def _load_folder(path: Path, unit: LoadedUnit, calls: dict[str, LoadedYearEndCall],
                 collector: Collector) -> LoadedFolder | None:
    loaded = load_model(path, ReportFolder, collector)
    if loaded is None:
        return None
    model, doc = loaded.model, loaded.doc
    call = calls.get(model.call)
    if call is None:
        collector.add(Diagnostic("D201", f"找不到总结通知“{model.call}”", doc.positions.locate(("call",)),
                                 field="call（总结通知）",
                                 hint=f"应为 data/calls/ 下含 reports.yaml 的文件夹名：{'、'.join(sorted(calls)) or '（无）'}"))
        return None
    pclass = call.model.project_class(model.project_class)
    if pclass is None:
        collector.add(Diagnostic("D146", f"项目类别“{model.project_class}”不在通知列出的类别中",
                                 doc.positions.locate(("class",)), field="class（项目类别）",
                                 hint=f"可写：{'、'.join(c.key for c in call.model.classes)}"))
        return None
    spec = call.model.self_report
    report_path = path.parent / spec.file
    report = read_markdown(report_path, collector) if report_path.is_file() else None
    title = ""
    if report is not None:
        meta, problems = _validate_meta(report, ReportMeta)
        collector.extend(problems)
        title = meta.title if meta and meta.title else ""
    unit_name = unit.model.name
    folder = LoadedFolder(path.parent.name, path.parent, unit, call, model, doc.positions, pclass, report,
                          title or f"{unit_name}{call.model.year}年{pclass.name}项目{spec.title}")
    for case_path in sorted((path.parent / "cases").glob("*.md")):
        md = read_markdown(case_path, collector)
        if md is None:
            continue
        meta, problems = _validate_meta(md, CaseMeta)
        collector.extend(problems)
        if meta is None:
            continue
        if meta.project_class and meta.project_class != pclass.key:
            collector.add(Diagnostic("D147", f"案例的项目类别“{meta.project_class}”与所在文件夹的类别“{pclass.key}”不一致",
                                     md.positions.locate(("class",)), field="class（项目类别）",
                                     hint="把案例移到对应类别的文件夹，或改正 class。"))
            continue
        folder.cases.append(LoadedCase(md, meta))
    return folder


def _validate_meta(md: MarkdownDoc, model):
    if not md.meta and model is CaseMeta:
        return None, [Diagnostic("D139", "案例文件开头缺少 --- 信息块（kind、title、author 等）",
                                 Location(md.shown, 1, 1),
                                 hint="在文件开头写：---、kind: 成长案例、title: 标题、author: 姓名……、---。")]
    doc = YamlDoc(md.path, md.meta or {}, md.positions)
    return validate(doc, model)
