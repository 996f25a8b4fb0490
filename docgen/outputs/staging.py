"""Write a build into a staging folder, then publish every file at once by rename.

A failed build leaves the previous outputs untouched and no partial file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from docgen.errors import Diagnostic, Location, OutputError, display_path


class Staging:
    """A temporary folder inside the output folder (same filesystem, so renames are atomic)."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
        except OSError as exc:
            raise OutputError(Diagnostic("O601", f"无法创建输出目录：{exc.strerror}",
                                         Location(display_path(out_dir)), hint="检查目录权限和磁盘空间。")) from None
        self.files: list[Path] = []

    @classmethod
    def view(cls, out_dir: Path, staging_dir: Path) -> Staging:
        """Return a second handle on an existing staging folder (a build worker writes through it).

        Its ``files`` list only records what this handle wrote; the owner adopts those files.
        """
        self = cls.__new__(cls)
        self.out_dir, self.dir, self.files = out_dir, staging_dir, []
        return self

    def path(self, rel: str) -> Path:
        target = self.dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, rel: str, data: bytes) -> Path:
        target = self.path(rel)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise OutputError(Diagnostic("O602", f"无法写入：{exc.strerror}", Location(display_path(target)))) from None
        self.files.append(target)
        return target

    def scratch(self, rel: str, data: bytes) -> Path:
        """Write a working file (not published) into the staging folder and return its path."""
        target = self.path(rel)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise OutputError(Diagnostic("O602", f"无法写入：{exc.strerror}", Location(display_path(target)))) from None
        return target

    def write_with(self, rel: str, save) -> Path:
        """Let *save(path)* write a staged file (e.g. a PDF library's save) and register it for publishing."""
        target = self.path(rel)
        partial = target.with_name(f".{target.name}.part")
        try:
            save(partial)
            os.replace(partial, target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise OutputError(Diagnostic("O602", f"无法写入：{exc.strerror}", Location(display_path(target)))) from None
        self.files.append(target)
        return target

    def adopt(self, rel: str) -> Path:
        """Register a file that a tool wrote straight into the staging folder."""
        target = self.dir / rel
        self.files.append(target)
        return target

    def publish(self) -> list[Path]:
        """Move every staged file into place (rename per file) and return the final paths."""
        published = []
        final = self.out_dir
        try:
            for staged in self.files:
                rel = staged.relative_to(self.dir)
                final = self.out_dir / rel
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, final)
                published.append(final)
        except OSError as exc:
            raise OutputError(Diagnostic("O603", f"无法发布输出文件：{exc.strerror}",
                                         Location(display_path(final)),
                                         hint="检查目录权限和磁盘空间；文件是否正被 Word/WPS/Excel 打开。")) from None
        finally:
            self.discard()
        return published

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        self.discard()
