"""Replace one file atomically: write a temporary file beside it, then rename over it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docgen.errors import Diagnostic, Location, OutputError, display_path


def write_atomic(path: Path, data: bytes) -> None:
    """Write *data* to *path* so that readers see either the old file or the new one, never half."""
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(Diagnostic("O602", f"无法写入：{exc.strerror}", Location(display_path(path)),
                                     hint="检查文件是否正被 Word/WPS/Excel 打开，以及目录权限。")) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
