"""Warnings about a call that does not match its templates, mostly after `docgen new-call`.

- a narrative item declared in call.yaml that no template of the call prints (it would be dropped);
- a narrative item a template prints that call.yaml does not declare;
- a call copied by `docgen new-call` whose call.yaml or templates still carry the source call's
  year or title in their fixed text.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from docgen.apply.load import LoadedCall, Project
from docgen.errors import Diagnostic, Location, display_path

COPIED_FROM = re.compile(r"#\s*由 docgen new-call 从 (\S+) 复制")
NARRATIVE_USE = re.compile(r"^app\.(?:narrative|rich)\.([A-Za-z_][A-Za-z0-9_]*)")


def call_warnings(project: Project) -> list[Diagnostic]:
    """Return the warnings for every call of *project* (nothing is raised)."""
    out: list[Diagnostic] = []
    for call in project.calls.values():
        out.extend(_narrative_use(project.root, call))
        source_id = _copied_from(call)
        source = project.calls.get(source_id) if source_id else None
        if source_id and source is None:  # `check --call NEW` loads only the new call
            source = _load_call(project.data_dir / "calls" / source_id)
        if source is not None:
            out.extend(_stale_text(project.root, call, source))
    return out


def _load_call(folder: Path) -> LoadedCall | None:
    from docgen.errors import Collector
    from docgen.load.validate import load_model
    from docgen.models.call import Call

    loaded = load_model(folder / "call.yaml", Call, Collector(), optional=True)
    return LoadedCall(folder.name, folder, loaded.model, loaded.positions) if loaded is not None else None


def _templates(root: Path, call: LoadedCall) -> list[tuple[int, Path]]:
    return [(i, root / f.template) for i, f in enumerate(call.model.forms) if (root / f.template).is_file()]


def _narrative_use(root: Path, call: LoadedCall) -> list[Diagnostic]:
    from docgen.render.inspect import check_template

    declared = {f.key: i for i, f in enumerate(call.model.application.narrative)}
    forms = [(i, path) for i, path in _templates(root, call) if call.model.forms[i].per == "application"]
    if not forms:
        return []
    out: list[Diagnostic] = []
    used: set[str] = set()
    for _i, path in forms:
        try:
            report = check_template(path, None)
        except Exception:  # an unreadable template is `docgen template check`'s to report
            continue
        for var in report.used:
            m = NARRATIVE_USE.match(var)
            if not m:
                continue
            key = m.group(1)
            if key not in declared and key not in used:
                out.append(Diagnostic(
                    "D562", f"模板用到叙述项“{key}”，但 call.yaml 的 application.narrative 没有声明它",
                    Location(display_path(path), anchor=f"用到 {var}"), severity="warning",
                    hint="在 call.yaml 的 application.narrative 中加上这一项（key、title），或从模板中删去。"))
            used.add(key)
    for key, i in declared.items():
        if key not in used:
            title = call.model.application.narrative[i].title
            out.append(Diagnostic(
                "D561", f"叙述项“{key}”（{title}）没有任何模板用到，填写的内容不会出现在申报书中",
                call.positions.locate(("application", "narrative", i, "key")), severity="warning",
                hint="在申报书模板中加上 {{p app.rich." + key + " }}（单独一段）；不需要这一项就从 call.yaml 删去。"))
    return out


def _copied_from(call: LoadedCall) -> str | None:
    try:
        head = (call.dir / "call.yaml").read_text(encoding="utf-8-sig")[:400]
    except OSError:
        return None
    m = COPIED_FROM.search(head)
    return m.group(1) if m else None


def _stale_words(call: LoadedCall, source: LoadedCall) -> list[str]:
    words = [t for t in (source.model.title, source.model.project_title)
             if t not in (call.model.title, call.model.project_title)]
    if source.model.year != call.model.year:
        words += [f"{source.model.year}年", f"（{source.model.year}）", f"({source.model.year})"]
    return words


def _stale_text(root: Path, call: LoadedCall, source: LoadedCall) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if source.model.year == call.model.year or source.model.project_title == call.model.project_title:
        same = "年度" if source.model.year == call.model.year else "项目名称"
        out.append(Diagnostic(
            "D564", f"新通知的{same}仍与复制来源“{source.id}”相同", call.positions.locate(
                ("year",) if same == "年度" else ("project_title",)), severity="warning",
            hint="按新通知改正 call.yaml 的 title、project_title、year。"))
    words = _stale_words(call, source)
    if not words:
        return out
    for _i, path in _templates(root, call):
        for where, text in _fixed_texts(path):
            hit = next((w for w in words if w in text), None)
            if hit:
                out.append(Diagnostic(
                    "D563", f"模板的固定文字中还有复制来源通知的“{hit}”", Location(display_path(path), anchor=where),
                    severity="warning", hint=f"用 Word/Excel 改成新通知的内容（{call.model.year} 年、"
                                             f"{call.model.project_title}），或改用 {{{{ call.project_title }}}} 等变量。"))
    return out


def _fixed_texts(path: Path) -> list[tuple[str, str]]:
    """Return (place, text) of every paragraph or cell of a docx/xlsx template, its tags blanked out."""
    found: list[tuple[str, str]] = []
    try:
        with zipfile.ZipFile(path) as zf:
            if path.suffix.lower() == ".docx":
                for name in sorted(n for n in zf.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)):
                    xml = zf.read(name).decode("utf-8")
                    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL):
                        text = html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para)))
                        fixed = re.sub(r"\{[{%].*?[%}]\}", "", text)
                        if fixed.strip():
                            found.append((f"段落“{text.strip()[:20]}”", fixed))
            elif path.suffix.lower() == ".xlsx" and "xl/sharedStrings.xml" in zf.namelist():
                xml = zf.read("xl/sharedStrings.xml").decode("utf-8")
                for si in re.findall(r"<si>.*?</si>", xml, re.DOTALL):
                    text = html.unescape("".join(re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", si)))
                    fixed = re.sub(r"\{[{%].*?[%}]\}", "", text)
                    if fixed.strip():
                        found.append((f"单元格“{text.strip()[:20]}”", fixed))
    except (OSError, zipfile.BadZipFile, KeyError, UnicodeDecodeError):
        return []
    return found
