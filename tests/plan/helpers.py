"""Helpers of the 四川 提升工程 tests: load the sample bureaus, recalculate a workbook with LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from docgen.pdf.convert import find_soffice, lo_environment, make_profile
from docgen.sichuan.load import load_bureaus

CITY = "leshan"


def bureaus(root: Path):
    return load_bureaus(root, root / "data")


def recalculate_all(paths: list[Path], tmp: Path) -> dict[Path, Path]:
    """Have LibreOffice (profile: always recalculate) load and save every workbook in one run; return path → copy."""
    out = tmp / "recalc"
    out.mkdir(exist_ok=True)
    profile = make_profile(tmp)
    cmd = [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)]
    subprocess.run(cmd, env=lo_environment(), capture_output=True, timeout=120, check=True)
    result = {}
    for path in paths:
        target = out / path.name
        assert target.is_file(), f"LibreOffice wrote nothing for {path.name}"
        result[path] = target
    return result


def recalculated(path: Path, tmp: Path):
    """Return *path* as LibreOffice recalculates and saves it, opened with cached values (data_only)."""
    return load_workbook(recalculate_all([path], tmp)[path], data_only=True)
