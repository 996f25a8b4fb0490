"""Convert docx/xlsx to PDF with LibreOffice headless, using docgen's own profile and font mapping."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from docgen.errors import Diagnostic, Location, ToolError, display_path

FONTS_CONF = Path(__file__).with_name("fonts.conf")

# Calc: always recalculate formulas on load, so cached values are never stale.
REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/lib/libreoffice/program/soffice", "/opt/libreoffice/program/soffice"):
        if os.path.exists(candidate):
            return candidate
    return None


def lo_environment() -> dict[str, str]:
    """Return the environment for soffice: docgen's font mapping, a UTF-8 locale, no display."""
    env = dict(os.environ)
    env["FONTCONFIG_FILE"] = os.environ.get("DOCGEN_FONTCONFIG") or str(FONTS_CONF)
    env.setdefault("LANG", "C.UTF-8")
    env.pop("DISPLAY", None)
    env["SAL_USE_VCLPLUGIN"] = "svp"
    return env


def make_profile(base: Path) -> Path:
    """Create a LibreOffice user profile under *base* and return its directory."""
    profile = base / "lo-profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(REGISTRY, encoding="utf-8")
    return profile


def missing_soffice() -> ToolError:
    return ToolError(Diagnostic(
        "L501", "找不到 LibreOffice（soffice），无法生成 PDF", None,
        hint="运行 make demo（会自动安装），或执行 sudo apt-get install libreoffice-writer-nogui "
             "libreoffice-calc-nogui fonts-noto-cjk；只要 Word/Excel 文件时用 docgen build --no-pdf。"))


def convert_batch(inputs: list[Path], timeout: float = 300) -> dict[Path, Path]:
    """Convert every file in *inputs* to PDF in one soffice run, each PDF beside its input; return input → PDF.

    Files are grouped by folder since soffice writes all outputs to one folder.
    soffice exits 0 even when it cannot load a file, so each PDF's existence is checked.
    """
    soffice = find_soffice()
    if soffice is None:
        raise missing_soffice()
    results: dict[Path, Path] = {}
    problems: list[Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as tmp:
        profile = make_profile(Path(tmp))
        groups: dict[Path, list[Path]] = {}
        for path in inputs:
            groups.setdefault(path.parent, []).append(path)
        for folder, files in groups.items():
            cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                   "--nologo", "--norestore", "--convert-to", "pdf", "--outdir", str(folder), *map(str, files)]
            try:
                proc = subprocess.run(cmd, env=lo_environment(), capture_output=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                names = "、".join(p.name for p in files[1:])
                raise ToolError(Diagnostic("L502", f"LibreOffice 转换超时（{timeout:.0f} 秒）"
                                           + (f"（同批还有：{names}）" if names else ""),
                                           Location(display_path(files[0])),
                                           hint="文档可能过大或 LibreOffice 卡住；结束残留的 soffice 进程后重试。")) from None
            for path in files:
                pdf = path.with_suffix(".pdf")
                if pdf.is_file() and pdf.stat().st_size > 0:
                    results[path] = pdf
                else:
                    detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
                    problems.append(Diagnostic(
                        "L503", f"LibreOffice 未能把该文件转换为 PDF {detail[0]}".strip(),
                        Location(display_path(path)),
                        hint="在 LibreOffice 中打开该文件检查是否损坏；或先用 --no-pdf 只生成 Word/Excel 文件。"))
    if problems:
        raise ToolError(problems)
    return results
