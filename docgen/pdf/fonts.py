"""The font gate: before converting, every font a document asks for must reach a face with Chinese glyphs.

LibreOffice without a CJK face writes boxes ("tofu") and still exits 0, and the
PDF's text even extracts as correct Chinese. So docgen asks fontconfig, through
the shipped mapping (pdf/fonts.conf, or ``DOCGEN_FONTCONFIG`` for tests and odd
installs), which file each family resolves to and refuses to convert when a
Chinese family lands on a face without simplified Chinese (``zh-cn``) coverage.
The resolved files are part of every PDF's key, so installing or replacing fonts
rebuilds the PDFs. Answers are kept in ``build/.docgen/cache/fonts.json``, keyed
by the mapping and the state of the font folders, so the gate costs a few
milliseconds once fonts are settled.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import Diagnostic, Location, ToolError, display_path

SHIPPED_CONF = Path(__file__).with_name("fonts.conf")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts", "/etc/fonts")
# Where the faces the mapping names come from.
PACKAGES = {
    "Noto Serif CJK SC": "fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）",
    "Noto Sans CJK SC": "fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）",
    "FandolFang": "Fandol 仿宋（make install 会从 texlive-lang-chinese 中取出 FandolFang-Regular.otf 装到 "
                  "/usr/local/share/fonts/fandol/）",
    "FandolKai": "Fandol 楷体（make install 会从 texlive-lang-chinese 中取出 FandolKai-Regular.otf 装到 "
                 "/usr/local/share/fonts/fandol/）",
    "Liberation Serif": "fonts-liberation2（sudo apt-get install fonts-liberation2）",
    "Liberation Sans": "fonts-liberation2（sudo apt-get install fonts-liberation2）",
}
# Families docgen's own pages use (目录, Markdown text), checked whatever the templates say.
OWN_FAMILIES = ("宋体", "仿宋_GB2312", "黑体", "楷体_GB2312")
ASCII_CJK_NAMES = {"simsun", "nsimsun", "simhei", "fangsong", "fangsong_gb2312", "kaiti", "kaiti_gb2312",
                   "microsoft yahei", "stsong", "stfangsong", "stkaiti", "stheiti", "dengxian"}


def conf_path() -> Path:
    """Return the fontconfig file conversions use: ``DOCGEN_FONTCONFIG`` when set, else the shipped mapping."""
    override = os.environ.get("DOCGEN_FONTCONFIG")
    return Path(override) if override else SHIPPED_CONF


def mapping() -> dict[str, str]:
    """Return family → the family the mapping assigns it, read from the fontconfig file in use."""
    return _mapping(str(conf_path()))


@functools.lru_cache(maxsize=4)
def _mapping(conf: str) -> dict[str, str]:
    try:
        text = Path(conf).read_text(encoding="utf-8")
    except OSError:
        return {}
    found: dict[str, str] = {}
    for block in re.findall(r"<match\b.*?</match>", text, re.DOTALL):
        test = re.search(r'<test name="family"[^>]*>\s*<string>(.*?)</string>', block, re.DOTALL)
        edit = re.search(r'<edit name="family"[^>]*>\s*<string>(.*?)</string>', block, re.DOTALL)
        if test and edit:
            found[test.group(1).strip()] = edit.group(1).strip()
    return found


def target_of(family: str) -> str:
    """Return the face the mapping in use (else the shipped one) assigns *family*, or ""."""
    return mapping().get(family) or _mapping(str(SHIPPED_CONF)).get(family, "")


def needs_cjk(family: str, east_asian: bool = False) -> bool:
    """Return True when text in *family* is Chinese text (a CJK name, an east-Asian slot, a CJK target)."""
    if east_asian or any(ord(c) > 127 for c in family) or family.lower() in ASCII_CJK_NAMES:
        return True
    target = target_of(family)
    return "CJK" in target or target.startswith("Fandol")


# --------------------------------------------------------------------------- what templates ask for

_RFONTS_RE = re.compile(rb'<w:rFonts\b([^>]*)>')
_ATTR_RE = re.compile(rb'w:(ascii|hAnsi|eastAsia|cs)="([^"]+)"')
_THEME_RE = re.compile(rb'<a:(latin|ea)\s+typeface="([^"]+)"|<a:font\s+script="Hans"\s+typeface="([^"]+)"')
_XLSX_FONT_RE = re.compile(rb'<(?:x:)?name\s+val="([^"]+)"')


def template_fonts(path: Path) -> dict[str, bool]:
    """Return family → "holds Chinese text" for every font a docx/xlsx template names (styles, runs, theme)."""
    found: dict[str, bool] = {}

    def add(name: str, cjk: bool) -> None:
        name = name.strip()
        if name and not name.startswith("+"):
            found[name] = found.get(name, False) or cjk

    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        return found  # the template guard reports it
    with zf:
        for info in zf.infolist():
            name = info.filename
            if info.file_size > 50 * 1024 * 1024 or (
                    info.file_size > 1024 * 1024 and info.file_size > 100 * max(info.compress_size, 1)):
                continue  # never inflate what the template guard refuses as a bomb
            if name.startswith("word/") and name.endswith(".xml"):
                data = zf.read(name)
                for attrs in _RFONTS_RE.findall(data):
                    for slot, family in _ATTR_RE.findall(attrs):
                        add(family.decode("utf-8", "replace"), slot == b"eastAsia")
                if "theme" in name:
                    for latin_ea, typeface, hans in _THEME_RE.findall(data):
                        if hans:
                            add(hans.decode("utf-8", "replace"), True)
                        elif typeface:
                            add(typeface.decode("utf-8", "replace"), latin_ea == b"ea")
            elif name == "xl/styles.xml":
                for family in _XLSX_FONT_RE.findall(zf.read(name)):
                    add(family.decode("utf-8", "replace"), False)
    return found


# --------------------------------------------------------------------------- what fontconfig answers

@dataclass(frozen=True)
class Resolution:
    family: str
    file: str          # the face's file, "" when fontconfig gave nothing
    face: str          # the face's family name
    cjk: bool          # the face covers simplified Chinese


def fonts_signature() -> str:
    """Return a digest of the fontconfig file and the font folders (every folder's mtime): changes when fonts do."""
    h = hashlib.sha256()
    conf = conf_path()
    try:
        h.update(conf.read_bytes())
    except OSError:
        h.update(b"no conf")
    try:
        listed = re.findall(r"<dir\b[^>]*>(.*?)</dir>", conf.read_text(encoding="utf-8"))
    except OSError:
        listed = []
    for base in list(FONT_DIRS) + [d.strip() for d in listed]:
        base = os.path.expanduser(base)
        for dirpath, dirnames, _files in os.walk(base):
            dirnames.sort()
            try:
                h.update(f"{dirpath}\0{os.stat(dirpath).st_mtime_ns}\n".encode())
            except OSError:
                continue
    return h.hexdigest()


def _fc_match(family: str) -> Resolution:
    fc = shutil.which("fc-match")
    if fc is None:
        raise ToolError(Diagnostic("L520", "找不到 fc-match（fontconfig），无法确认中文字体", None,
                                   hint="sudo apt-get install fontconfig；LibreOffice 也依赖它。"))
    env = dict(os.environ, FONTCONFIG_FILE=str(conf_path()))
    try:
        out = subprocess.run([fc, "-f", "%{file}\t%{family[0]}\t%{lang}", family], env=env,
                             capture_output=True, timeout=30, check=False).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    parts = out.split("\t")
    if len(parts) < 3 or not parts[0]:
        return Resolution(family, "", "", False)
    return Resolution(family, parts[0], parts[1], "zh-cn" in parts[2].split("|"))


_MEMO: dict[tuple[str, str], Resolution] = {}  # (signature, family) → answer, for this process


class FontResolver:
    """Resolve families through fontconfig, remembering answers on disk under *cache_dir* (may be None)."""

    def __init__(self, cache_dir: Path | None = None):
        self.signature = fonts_signature()
        self.cache_file = cache_dir / "fonts.json" if cache_dir is not None else None
        self.known: dict[str, Resolution] = {}
        self._dirty = False
        if self.cache_file is not None:
            try:
                saved = json.loads(self.cache_file.read_text(encoding="utf-8"))
                if saved.get("signature") == self.signature:
                    self.known = {k: Resolution(**v) for k, v in saved.get("fonts", {}).items()}
            except (OSError, ValueError, TypeError, AttributeError):
                pass

    def __call__(self, family: str) -> Resolution:
        hit = self.known.get(family)
        if hit is None:
            memo = _MEMO.get((self.signature, family))
            hit = self.known[family] = memo if memo is not None else _fc_match(family)
            self._dirty = True
        _MEMO[(self.signature, family)] = hit
        return hit

    def save(self) -> None:
        if self.cache_file is None or not self._dirty:
            return
        from docgen.errors import OutputError
        from docgen.outputs.atomic import write_atomic

        data = {"signature": self.signature, "fonts": {k: vars(v) for k, v in sorted(self.known.items())}}
        try:
            self.cache_file.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.cache_file, json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8"))
        except (OSError, OutputError):
            pass  # a cache that cannot be written only costs time
        self._dirty = False


def font_gate(templates: list[Path], cache_dir: Path | None = None, own: bool = True) -> str:
    """Check every Chinese family the *templates* (and, with *own*, docgen's own pages) use; return the fonts' key.

    Raise :class:`ToolError` (exit 3) naming each family that reaches no face with Chinese
    glyphs, the template that uses it and what to install. The key is a digest of every
    family's resolved file and that file's size and mtime.
    """
    resolve = FontResolver(cache_dir)
    wanted: dict[str, list[str]] = {f: [] for f in OWN_FAMILIES} if own else {}
    for template in templates:
        for family, east in template_fonts(template).items():
            if needs_cjk(family, east):
                wanted.setdefault(family, []).append(display_path(template))
    problems: list[Diagnostic] = []
    key = hashlib.sha256(resolve.signature.encode())
    mapped_to = mapping()
    for family in sorted(wanted):
        res = resolve(family)
        key.update(f"{family}\0{res.file}\0{_stat(res.file)}\n".encode())
        if res.cjk:
            continue
        target = mapped_to.get(family)
        install = PACKAGES.get(target_of(family), "fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）")
        got = f"被替换为 {res.face}（{res.file}），其中没有中文字形" if res.file else "找不到任何字体"
        users = list(dict.fromkeys(wanted[family]))
        used = f"（另有 {len(users) - 1} 个模板也用到）" if len(users) > 1 else ""
        mapped = f"映射到“{target}”，但" if target else ""
        problems.append(Diagnostic(
            "L521", f"字体“{family}”{mapped}{got}；转换出的 PDF 中文会显示为方框{used}",
            Location(users[0], anchor="字体") if users else Location("docgen 生成的页面（目录、正文）"),
            hint=f"安装 {install}，然后重新运行；docgen doctor 列出全部字体的情况。"))
    if problems:
        raise ToolError(problems)  # nothing is written into the output folder on refusal
    resolve.save()
    return key.hexdigest()


def gate_documents(paths: list[Path], checked: set[str]) -> None:
    """Refuse to convert documents whose Chinese fonts reach no Chinese face (families in *checked* are known good).

    The last guard before LibreOffice, for every pipeline: a Markdown text or a form
    may bring a font its template did not name.
    """
    wanted: dict[str, list[Path]] = {}
    for path in paths:
        if path.suffix.lower() not in (".docx", ".xlsx"):
            continue
        for family, east in template_fonts(path).items():
            if family not in checked and needs_cjk(family, east):
                wanted.setdefault(family, []).append(path)
    if not wanted:
        return
    resolve = FontResolver(None)
    problems = []
    for family, users in sorted(wanted.items()):
        res = resolve(family)
        if res.cjk:
            checked.add(family)
            continue
        install = PACKAGES.get(target_of(family), "fonts-noto-cjk（sudo apt-get install fonts-noto-cjk）")
        got = f"被替换为 {res.face}（{res.file}），其中没有中文字形" if res.file else "找不到任何字体"
        for user in users:
            problems.append(Diagnostic(
                "L521", f"字体“{family}”{got}；转换出的 PDF 中文会显示为方框", Location(display_path(user)),
                hint=f"安装 {install}，然后重新运行；docgen doctor 列出全部字体的情况。"))
    if problems:
        raise ToolError(problems)


def _stat(file: str) -> str:
    try:
        st = os.stat(file)
    except OSError:
        return "absent"
    return f"{st.st_size}:{st.st_mtime_ns}"
