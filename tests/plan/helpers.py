"""Helpers of the 四川 提升工程 tests: load the sample bureaus, recalculate a workbook with LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

from openpyxl import load_workbook

from docgen.loaders.plan import load_bureaus
from docgen.pdf.convert import find_soffice, lo_environment, make_profile

CITY = "leshan"


def bureaus(root: Path):
    return load_bureaus(root, root / "data")


def recalculated(path: Path, tmp: Path):
    """Return *path* as LibreOffice recalculates and saves it, opened with cached values (data_only)."""
    out = tmp / "recalc"
    out.mkdir(exist_ok=True)
    profile = make_profile(tmp)
    cmd = [find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", "xlsx", "--outdir", str(out), str(path)]
    subprocess.run(cmd, env=lo_environment(), capture_output=True, timeout=120, check=True)
    target = out / path.name
    assert target.is_file(), "LibreOffice wrote nothing"
    return load_workbook(target, data_only=True)
