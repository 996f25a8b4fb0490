"""Plan a new call from an existing one: its call.yaml with the template paths rewritten, and its templates.

Returns what to write; docgen.outputs writes it. Nothing here touches the filesystem except reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen.errors import Diagnostic, InputError, Location, display_path

CALL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
TEMPLATE_KINDS = ("docx", "xlsx")


def plan_new_call(root: Path, data_dir: Path, new_id: str, from_id: str) -> dict[str, bytes]:
    """Return {path relative to *root*: bytes} for call *new_id* copied from *from_id*; refuse to overwrite."""
    problems: list[Diagnostic] = []
    calls_dir = data_dir / "calls"
    source = calls_dir / from_id / "call.yaml"
    if not CALL_ID.fullmatch(new_id):
        problems.append(Diagnostic("D120", f"通知文件夹名“{new_id}”不合适", Location(display_path(calls_dir)),
                                   hint="只用字母、数字和 - _ .，例如 luoyang-2027-waichu-gengang。"))
    if not source.is_file():
        known = "、".join(sorted(p.parent.name for p in calls_dir.glob("*/call.yaml"))) or "（无）"
        problems.append(Diagnostic("D133", f"找不到通知“{from_id}”", Location(display_path(calls_dir)),
                                   hint=f"--from 应为已有通知之一：{known}"))
    targets = [calls_dir / new_id] + [root / "templates" / kind / new_id for kind in TEMPLATE_KINDS]
    for target in targets:
        if target.exists():
            problems.append(Diagnostic("D121", "已存在，docgen new-call 不会覆盖", Location(display_path(target)),
                                       hint="换一个通知文件夹名，或先移走已有的文件夹。"))
    if problems:
        raise InputError(problems)
    files: dict[str, bytes] = {}
    text = source.read_text(encoding="utf-8")
    pattern = re.compile(rf"(templates/(?:{'|'.join(TEMPLATE_KINDS)})/){re.escape(from_id)}/")
    rewritten = pattern.sub(lambda m: f"{m.group(1)}{new_id}/", text)
    header = f"# 由 docgen new-call 从 {from_id} 复制：请按新通知修改本文件和 templates/*/{new_id}/ 下的模板\n"
    data_rel = calls_dir.relative_to(root) if calls_dir.is_relative_to(root) else calls_dir
    files[str(Path(data_rel) / new_id / "call.yaml")] = (header + rewritten).encode("utf-8")
    for kind in TEMPLATE_KINDS:
        folder = root / "templates" / kind / from_id
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                files[str(Path("templates") / kind / new_id / path.relative_to(folder))] = path.read_bytes()
    return files
