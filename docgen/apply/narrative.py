"""Narrative items of an application kept as Markdown files beside the data.

Two ways, both relative to the application's YAML file:

* explicit: ``narrative: {design: {file: luoyang-2026-1/design.md}}``;
* by convention: ``applications/<application>/<key>.md`` (e.g.
  ``applications/luoyang-2026-1/design.md``) when the YAML has no value for the key.

A key given both as YAML text and as a convention file is an error, so nobody
edits one while the other is printed.
"""

from __future__ import annotations

from pathlib import Path

from docgen.errors import Collector, Diagnostic, Location, display_path
from docgen.load.clean import HINT as CONTROL_HINT
from docgen.load.clean import control_chars, describe, line_col
from docgen.load.markdown import MarkdownText, missing_images
from docgen.load.yamlpos import Positions
from docgen.models.application import Application, NarrativeFile


def load_narrative_markdown(path: Path, model: Application, positions: Positions, known: dict,
                            collector: Collector) -> dict[str, MarkdownText]:
    """Return narrative key → Markdown for the application at *path*; add problems to *collector*."""
    out: dict[str, MarkdownText] = {}
    for key, value in model.narrative.items():
        if isinstance(value, NarrativeFile):
            md_path = path.parent / value.file
            md = _read(md_path, positions.locate(("narrative", key, "file")), f"narrative.{key}.file", collector)
            if md is not None:
                out[key] = md
    folder = path.parent / path.stem
    for md_path in sorted(folder.glob("*.md")):
        key = md_path.stem
        declared = model.narrative.get(key)
        if (key in out and isinstance(declared, NarrativeFile)
                and (path.parent / declared.file).resolve() == md_path.resolve()):
            continue
        shown = display_path(md_path)
        if key not in known:
            collector.add(Diagnostic(
                "D203", f"该通知的申报书没有叙述项“{key}”", Location(shown),
                hint=f"文件名应为叙述项的键：{'、'.join(f'{k}.md（{f.title}）' for k, f in known.items())}"))
            continue
        if key in model.narrative:
            collector.add(Diagnostic(
                "D206", f"叙述项“{key}”既写在申报文件中，又有文件 {shown}", positions.locate(("narrative", key)),
                field=f"narrative.{key}", hint="只保留一处：删除 YAML 中的这一项，或删除（改名）该 Markdown 文件。"))
            continue
        md = _read(md_path, Location(shown), f"narrative.{key}", collector)
        if md is not None:
            out[key] = md
    return out


def _read(md_path: Path, where: Location, field: str, collector: Collector) -> MarkdownText | None:
    shown = display_path(md_path)
    if not md_path.is_file():
        collector.add(Diagnostic("F201", f"Markdown 文件不存在：{shown}", where, field=field,
                                 hint="路径相对于申报文件所在的文件夹；检查文件名。"))
        return None
    try:
        text = md_path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        collector.add(Diagnostic("D131", "文件不是 UTF-8 编码", Location(shown),
                                 hint="用文本编辑器另存为 UTF-8 编码后再试。"))
        return None
    bad = control_chars(text)
    if bad:
        for offset in bad:
            line, col = line_col(text, offset)
            collector.add(Diagnostic("D520", f"含有看不见的控制字符 {describe(text[offset])}",
                                     Location(shown, line, col), field=field, hint=CONTROL_HINT))
        return None
    if not text.strip():
        collector.add(Diagnostic("F202", f"Markdown 文件是空的：{shown}", where, field=field,
                                 hint="写入内容，或删除该文件。"))
        return None
    md = MarkdownText(text, md_path.parent, shown)
    for src, image_line in missing_images(md):
        collector.add(Diagnostic("F201", f"图片文件不存在：{src}", Location(shown, image_line), field=field,
                                 hint="图片路径相对于该 Markdown 文件所在的文件夹；检查文件名。"))
    return md
