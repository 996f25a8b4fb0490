"""Write a set of new files under a folder all at once (staging, then rename), never overwriting."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import Diagnostic, Location, OutputError, display_path
from docgen.outputs.staging import Staging


def write_new_files(root: Path, files: dict[str, bytes]) -> list[Path]:
    """Write {relative path: bytes} under *root*; refuse (OutputError) if any target already exists."""
    existing = [root / rel for rel in files if (root / rel).exists()]
    if existing:
        raise OutputError([Diagnostic("O604", "文件已存在，不会覆盖", Location(display_path(p))) for p in existing])
    with Staging(root) as staging:
        for rel, data in files.items():
            staging.write(rel, data)
        return staging.publish()
