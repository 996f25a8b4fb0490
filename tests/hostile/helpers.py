"""Broken and hostile inputs made the way other people's programs make them, and a build/ fingerprint."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import pikepdf

SHENBAO = "templates/docx/luoyang-2026-waichu-gengang/申报书.docx"
HUIZONG = "templates/xlsx/luoyang-2026-waichu-gengang/汇总表.xlsx"


def fingerprint(folder: Path) -> dict[str, str]:
    """Return relative path → md5 of every file under *folder* (docgen's own state included)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.md5(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def seed_build(project: Path, baseline: Path) -> dict[str, str]:
    """Put a previous build's outputs into *project*/build and return their fingerprint."""
    shutil.copytree(baseline, project / "build")
    return fingerprint(project / "build")


def rezip(src: bytes, replace: dict[str, bytes] | None = None, drop: tuple[str, ...] = (),
          add: dict[str, bytes] | None = None) -> bytes:
    """Return the zip *src* with members replaced, dropped or added (as another program would save it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = (replace or {}).get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return out.getvalue()


def three_page_pdf(path: Path) -> None:
    """Write a plain three-page text PDF (no object streams, so a cut loses whole pages)."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    for i in range(3):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Contents = pdf.make_stream(b"BT /F1 24 Tf 100 700 Td (Page %d) Tj ET" % (i + 1))
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)


def truncate(path: Path, fraction: float) -> None:
    """Cut a file to *fraction* of its length, as an interrupted download does."""
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * fraction)])


NO_CJK_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def no_cjk_fontconfig(tmp: Path) -> Path:
    """Return a fontconfig file that sees only a folder with Latin faces (or none): a machine without CJK fonts."""
    fonts = tmp / "latin-fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    for candidate in ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
                      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        if Path(candidate).is_file():
            shutil.copy(candidate, fonts)
            break
    conf = tmp / "no-cjk-fonts.conf"
    conf.write_text(NO_CJK_CONF.format(fonts=fonts, cache=tmp / "fc-cache"), encoding="utf-8")
    return conf
