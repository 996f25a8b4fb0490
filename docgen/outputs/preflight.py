"""Before a build writes anything: can the output folder and its state folder be written?

A build publishes its files and then records their keys; finding out only then that
``build/.docgen`` is read-only would leave outputs without keys. So both folders (and
the state files in them) are tried first, and a problem names the exact path.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docgen.errors import Diagnostic, Location, OutputError, display_path
from docgen.outputs.state import STATE_DIR

HINT = "检查该路径的权限（ls -ld）、磁盘空间，以及是否有同名的文件占住了文件夹的位置。"


def check_writable(out_dir: Path, state_dir_name: str = STATE_DIR) -> None:
    """Raise :class:`OutputError` (exit 4) naming the first path under *out_dir* a build could not write."""
    state_dir = out_dir / state_dir_name
    for folder in (out_dir, state_dir):
        if folder.exists() and not folder.is_dir():
            raise OutputError(Diagnostic("O620", "这里应是文件夹，却是一个文件", Location(display_path(folder)),
                                         hint="删除或改名这个文件后重试。"))
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".probe-", dir=folder)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise OutputError(Diagnostic("O621", f"无法写入文件夹：{exc.strerror}", Location(display_path(folder)),
                                         hint=HINT)) from None
    for name in ("state.json", "state.lock", "quick.json"):
        path = state_dir / name
        if path.exists() and (path.is_dir() or not os.access(path, os.W_OK)):
            raise OutputError(Diagnostic("O621", "无法写入状态文件（只读或是文件夹）", Location(display_path(path)),
                                         hint=HINT))
