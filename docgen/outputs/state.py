"""Remember what each output was built from, so a rebuild skips what has not changed.

Each output's key is a content hash of everything that decides its bytes:
docgen's version, the template, the font mapping and the exact data the
template sees. The keys live in ``build/.docgen/state.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from docgen import __version__

STATE_DIR = ".docgen"
STATE_FILE = "state.json"

_file_hashes: dict[tuple[str, int, int], str] = {}


def file_hash(path: Path) -> str:
    """Return the sha256 of a file's bytes, cached by (path, size, mtime) for one process."""
    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    cached = _file_hashes.get(key)
    if cached is None:
        cached = hashlib.sha256(path.read_bytes()).hexdigest()
        _file_hashes[key] = cached
    return cached


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, Path)):
        return str(value)
    if is_dataclass(value):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return str(value)


def context_hash(context: dict[str, Any]) -> str:
    """Return a stable hash of the variables a template sees."""
    text = json.dumps(context, default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def job_key(*parts: str) -> str:
    """Combine docgen's version and the given part hashes into one key."""
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()


class BuildState:
    """The keys of the outputs in one output folder."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.path = out_dir / STATE_DIR / STATE_FILE
        try:
            self.keys: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.keys = {}

    def is_fresh(self, outputs: list[str], key: str) -> bool:
        """Return True when every output exists and was built with *key*."""
        return all(self.keys.get(rel) == key and (self.out_dir / rel).is_file() for rel in outputs)

    def record(self, outputs: list[str], key: str) -> None:
        for rel in outputs:
            self.keys[rel] = key

    def forget(self, outputs: list[str]) -> None:
        for rel in outputs:
            self.keys.pop(rel, None)

    def save(self) -> None:
        """Write the state atomically (temporary file, then rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".state-", dir=self.path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.keys, f, ensure_ascii=False, sort_keys=True, indent=0)
        os.replace(tmp, self.path)
