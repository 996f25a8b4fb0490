"""The institution's side: warn, in `docgen check`, about narrative text that repeats other text.

A narrative field of an application is compared with the call's own 申报指南 (a text file named
by the call's ``similarity.guide``), with the unit's applications to other calls (other years),
and with every other unit's applications in the data folder. Passages the call's templates print
anyway (headings, labels, hints, 承诺 lines) are not findings. Each finding is a warning at the
field's place, quoting the passage, naming the other place and the share of the field.
"""

from __future__ import annotations

from pathlib import Path

from docgen.apply.load import LoadedApplication, LoadedCall, Project
from docgen.errors import Diagnostic, Location, display_path
from docgen.similar.engine import Match, Passage, Section, Settings, compare
from docgen.similar.normalize import normalize
from docgen.similar.read import template_lines

GUIDE = "申报指南"


def quote(text: str, limit: int = 60) -> str:
    """Return *text* on one line, shortened in the middle to about *limit* characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit * 2 // 3] + "……" + flat[-limit // 3:]


def application_sections(app: LoadedApplication) -> list[Section]:
    """Return one Section per narrative field of *app* (YAML text or Markdown file)."""
    titles = {f.key: f.title for f in app.call.model.application.narrative}
    group = f"{app.unit.id}/{app.call.id}"
    out = []
    keys = list(dict.fromkeys([*app.model.narrative, *app.markdown]))
    for key in keys:
        value = app.model.narrative.get(key)
        if key in app.markdown:
            md = app.markdown[key]
            text, file, line = md.text, md.source, 1 + md.line_offset
        elif isinstance(value, str):
            loc = app.positions.locate(("narrative", key))
            text, file, line = value, loc.file, (loc.line or 0) + _block(app.path, loc.line)
        else:
            continue
        if text.strip():
            out.append(Section(display_path(app.path), titles.get(key, key), text, file, group, line))
    return out


def _block(path: Path, line: int | None) -> int:
    """Return 1 when the YAML value at *line* is a block scalar (its text starts on the next line), else 0."""
    try:
        source = path.read_text(encoding="utf-8-sig").splitlines()[(line or 1) - 1]
    except (OSError, IndexError, UnicodeDecodeError):
        return 0
    return 1 if source.split("#")[0].rstrip().endswith(("|", "|-", "|+", ">", ">-", ">+")) else 0


def call_boilerplate(call: LoadedCall, root: Path) -> list[str]:
    """Return the lines every application to *call* prints: its templates' paragraphs, titles and hints."""
    lines: list[str] = []
    for form in call.model.forms:
        if form.per == "call":
            continue
        lines += template_lines(root / form.template)
    for f in call.model.application.narrative:
        lines += [f.title, f.hint]
    return lines


def guide_section(call: LoadedCall) -> tuple[Section | None, Diagnostic | None]:
    """Return the call's 申报指南 as a Section, or the problem with the file the call names."""
    name = call.model.similarity.guide
    if not name:
        return None, None
    path = call.dir / name
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        where = call.positions.locate(("similarity", "guide"))
        return None, Diagnostic("M102", f"申报指南文件“{name}”不存在或不是 UTF-8 文本，未与申报指南比对", where,
                                field="similarity.guide",
                                hint="把公告附件中申报指南的原文存为 UTF-8 文本（如 申报指南.md）放在 call.yaml 旁。",
                                severity="warning")
    return Section(shown, GUIDE, text, shown, group=f"guide/{call.id}", line=1), None


def _settings(call: LoadedCall) -> Settings:
    spec = call.model.similarity
    return Settings(min_passage=spec.min_passage, min_share=spec.share)


def _warn(code: str, mine: Section, other: Section, match: Match, mine_is_a: bool, what: str,
          settings: Settings) -> Diagnostic | None:
    passages = [p for p in match.passages if p.chars >= settings.min_passage]
    if not passages:
        return None
    length = match.length_a if mine_is_a else match.length_b
    shared = sum(p.chars for p in passages)
    share = shared / length if length else 0.0
    if share < settings.min_share:
        return None
    longest: Passage = max(passages, key=lambda p: p.chars)
    span = longest.a if mine_is_a else longest.b
    other_span = longest.b if mine_is_a else longest.a
    where = _at(mine, span[0])
    other_where = _at(other, other_span[0])
    text = mine.text[span[0]:span[1]]
    message = (f"“{mine.name}”有 {shared} 字与{what}相同（占本项 {share:.0%}，{len(passages)} 段），"
               f"最长一段 {longest.chars} 字：“{quote(text)}”")
    return Diagnostic(code, message, where, hint=f"相同处见 {other_where}（{other.name}）。请用本单位自己的话重写；"
                                                "是否属于照抄照搬由人判断，本提醒不是结论。",
                      severity="warning")


def _at(section: Section, offset: int) -> Location:
    """Return the place of character *offset* of *section*'s text: its file and line."""
    if not section.line:
        return Location(section.place)
    return Location(section.place, section.line + section.text.count("\n", 0, offset))


def check_project(project: Project, everything: Project, root: Path) -> list[Diagnostic]:
    """Return the warnings for the applications of *project*, compared with all of *everything*.

    *everything* is the whole data folder (the same as *project* unless `docgen check` was given
    --unit or --call), so another unit's application is compared even when only one unit is checked.
    """
    out: list[Diagnostic] = []
    checked = {(a.unit.id, a.id) for a in project.applications}
    if not checked:
        return out
    sections: list[Section] = []
    owner: dict[int, LoadedApplication] = {}
    for loaded in everything.applications:
        for sec in application_sections(loaded):
            owner[id(sec)] = loaded
            sections.append(sec)
    guides, boiler = [], []
    guide_call: dict[int, str] = {}
    for call in everything.calls.values():
        boiler += call_boilerplate(call, root)
        if call.id not in project.calls:
            continue
        guide, problem = guide_section(call)
        if problem is not None:
            out.append(problem)
        if guide is not None:
            guide_call[id(guide)] = call.id
            guides.append(guide)
    floor = min((c.model.similarity.min_passage for c in everything.calls.values()), default=40)
    for m in compare(sections, guides, boiler, Settings(min_passage=floor)):
        for mine, other, mine_is_a in ((m.a, m.b, True), (m.b, m.a, False)):
            app = owner.get(id(mine))
            if app is None or (app.unit.id, app.id) not in checked:
                continue
            settings = _settings(app.call)
            if id(other) in guide_call:
                if guide_call[id(other)] != app.call.id:
                    continue
                d = _warn("M110", mine, other, m, mine_is_a, "本通知的申报指南", settings)
            else:
                them = owner[id(other)]
                if them.unit.id == app.unit.id:
                    d = _warn("M111", mine, other, m, mine_is_a,
                              f"本单位的另一份申报（{them.call.model.project_title}）", settings)
                else:
                    d = _warn("M112", mine, other, m, mine_is_a,
                              f"“{them.unit.model.name}”的申报（{them.call.model.project_title}）", settings)
            if d is not None:
                out.append(d)
    return sorted(out, key=lambda d: (d.location.sort_key() if d.location else (), d.code))


def _covered(text: str, spans: list[tuple[int, int]]) -> int:
    """Return the normalised characters of *text* inside the union of *spans*."""
    total, end = 0, -1
    for a, b in sorted(spans):
        a = max(a, end)
        if b > a:
            total += len(normalize(text[a:b]).text)
            end = b
    return total


def case_warnings(cases: list[tuple[str, str, str]], settings: Settings) -> list[Diagnostic]:
    """Return one warning per 教师成长案例 that shares passages with other cases of the same unit.

    *cases* are (path shown, title, text). The warning gives the characters of the case shared
    with any other, the longest passage, and names every other case in its hint.
    """
    sections = [Section(path, title, text, path, line=1) for path, title, text in cases]
    found: dict[int, list[tuple[Section, Passage, tuple[int, int]]]] = {}
    for m in compare(sections, settings=settings):
        for mine, other, mine_is_a in ((m.a, m.b, True), (m.b, m.a, False)):
            for p in m.passages:
                if p.chars >= settings.min_passage:
                    found.setdefault(sections.index(mine), []).append((other, p, p.a if mine_is_a else p.b))
    out = []
    for idx, hits in sorted(found.items()):
        mine = sections[idx]
        length = len(normalize(mine.text).text)
        shared = _covered(mine.text, [span for _, _, span in hits])
        share = shared / length if length else 0.0
        if share < settings.min_share:
            continue
        _, longest, span = max(hits, key=lambda h: (h[1].chars, -h[2][0]))
        others = list(dict.fromkeys(f"{o.doc}（{o.name}）" for o, _, _ in hits))
        message = (f"“{mine.name}”有 {shared} 字与另外 {len(others)} 篇教师成长案例相同（占本篇 {share:.0%}），"
                   f"最长一段 {longest.chars} 字：“{quote(mine.text[span[0]:span[1]])}”")
        out.append(Diagnostic("M113", message, _at(mine, span[0]),
                              hint=f"相同处见 {'、'.join(others)}。成长案例应是作者本人的作品；"
                                   "是否属于抄袭由人判断，本提醒不是结论。", severity="warning"))
    return out
