"""Re-encrypting a Type 1 font's eexec section at C speed, when a C compiler is at hand.

Normalising a PDF re-encrypts every embedded CJK font program (hundreds of kilobytes) byte
by byte; in Python that loop is most of docgen's own time per document. The same loop in C
(below, 15 lines) is compiled once with the system's ``cc`` into docgen's cache folder and
loaded with ctypes. Without a compiler (or with ``DOCGEN_NO_NATIVE=1``) :func:`reencrypt`
returns None and the caller runs its Python loop: both give the same bytes (tested).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = r"""
#include <stddef.h>
/* Decrypt eexec bytes from state r and encrypt the same plain bytes from state r2. */
void docgen_reencrypt(const unsigned char *in, unsigned char *out, size_t n, unsigned r, unsigned r2) {
    for (size_t i = 0; i < n; i++) {
        unsigned c = in[i];
        unsigned d = c ^ (r >> 8) ^ (r2 >> 8);
        r = ((c + r) * 52845u + 22719u) & 0xFFFFu;
        r2 = ((d + r2) * 52845u + 22719u) & 0xFFFFu;
        out[i] = (unsigned char)d;
    }
}
"""

_loaded: object = None  # None: not tried yet; False: unavailable; else the ctypes function


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "docgen"


def _build(target: Path) -> bool:
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        return False
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="docgen-cc-") as tmp:
            src = Path(tmp) / "eexec.c"
            src.write_text(SOURCE, encoding="ascii")
            partial = Path(tmp) / target.name
            done = subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(partial), str(src)],
                                  capture_output=True, timeout=60)
            if done.returncode != 0 or not partial.is_file():
                return False
            fd, staged = tempfile.mkstemp(prefix=".eexec-", dir=target.parent)
            os.close(fd)
            shutil.copyfile(partial, staged)
            os.replace(staged, target)  # workers compiling at once each install a whole file
        return True
    except (OSError, subprocess.SubprocessError):
        return False


def _function():
    global _loaded
    if _loaded is None:
        _loaded = False
        if os.environ.get("DOCGEN_NO_NATIVE"):
            return False
        digest = hashlib.sha256(SOURCE.encode()).hexdigest()[:16]
        target = _cache_dir() / f"eexec-{digest}.so"
        if target.is_file() or _build(target):
            try:
                func = ctypes.CDLL(str(target)).docgen_reencrypt
                func.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_uint]
                func.restype = None
                _loaded = func
            except (OSError, AttributeError):
                _loaded = False
    return _loaded


def reencrypt(data: bytes, r: int, r2: int) -> bytes | None:
    """Return *data* decrypted from state *r* and encrypted from state *r2*, or None without the C loop."""
    func = _function()
    if not func:
        return None
    out = ctypes.create_string_buffer(len(data))
    func(data, out, len(data), r, r2)
    return out.raw
