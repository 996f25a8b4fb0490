"""The quick path: nothing a command's last clean run read has changed, so it need not even load.

A command records, per set of options, a signature of every file it may read (name,
size, mtime and inode, taken before loading) and the outputs it left; the next run
with the same options and signature, all outputs still there, does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from docgen.outputs.atomic import write_atomic
from docgen.outputs.state import STATE_DIR, code_key

QUICK_FILE = "quick.json"


def input_signature(*bases: Path) -> str:
    """Return a digest of the name, size, mtime and inode of every file under *bases* (folders or files).

    docgen's code key, the font mapping, the font folders (fonts installed or removed) and
    SOURCE_DATE_EPOCH are part of it. Taken
    before loading, so a file changed during a run makes the next signature differ.
    """
    from docgen.pdf.convert import FONTS_CONF
    from docgen.pdf.fonts import fonts_signature

    h = hashlib.sha256(f"{code_key()}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    for base in (*bases, FONTS_CONF):
        if os.path.isfile(base):
            _stat_into(h, str(base))
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                _stat_into(h, os.path.join(dirpath, name))
    h.update(fonts_signature().encode())  # fonts installed or removed: load and key again
    return h.hexdigest()


def _stat_into(h, path: str) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())


def _quick_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / QUICK_FILE


def up_to_date(out_dir: Path, options: str, signature: str) -> dict | None:
    """Return the record of the last clean run with these *options* when its inputs are unchanged and
    every output it left is still there; otherwise None (then the command loads and checks everything).

    The record holds ``outputs`` (relative paths) and whatever the command stored beside them.
    """
    try:
        entry = json.loads(_quick_path(out_dir).read_text(encoding="utf-8")).get(options)
    except (OSError, ValueError, AttributeError):
        return None
    if not entry or entry.get("inputs") != signature:
        return None
    outputs = entry.get("outputs", [])
    if not all((out_dir / rel).is_file() for rel in outputs):
        return None
    return entry


def remember_up_to_date(out_dir: Path, options: str, signature: str, outputs: list[str], **extra) -> None:
    """Record that a clean run with *options* read inputs with *signature* and left *outputs* (and *extra*)."""
    path = _quick_path(out_dir)
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        entries = entries if isinstance(entries, dict) else {}
    except (OSError, ValueError):
        entries = {}
    entry = {"inputs": signature, "outputs": sorted(outputs), **extra}
    if entries.get(options) == entry:
        return  # nothing to write
    entries[options] = entry
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(entries, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8"))
