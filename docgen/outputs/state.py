"""Remember what each output was built from, so a rebuild skips what has not changed.

Each output's key is a content hash of everything that decides its bytes:
docgen's own code (a hash of the package's source, so a change to a renderer
rebuilds what it draws), the template, the font mapping and the exact data the
template sees. The keys live in ``build/.docgen/state.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import docgen

STATE_DIR = ".docgen"
STATE_FILE = "state.json"

_file_hashes: dict[tuple[str, int, int], str] = {}
_code_key: str | None = None


def code_key() -> str:
    """Return a hash of docgen's own code: every source and data file of the installed package.

    Part of every output's key, so editing docgen (a renderer, a stamp, a font mapping)
    rebuilds the outputs instead of trusting a version number that did not move.
    Computed once per process (about 2 ms for the whole package).
    """
    global _code_key
    if _code_key is None:
        root = Path(docgen.__file__).resolve().parent
        h = hashlib.sha256(docgen.__version__.encode())
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                h.update(b"\0" + str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
        _code_key = h.hexdigest()
    return _code_key


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


class ContextHasher:
    """``context_hash`` for many contexts sharing the same objects (the call, a unit, an application).

    Each dict, list and model is hashed once per build and remembered by identity (the
    object is kept alive, so its id cannot be reused): 200 applicants' contexts hash in
    a few milliseconds instead of serialising the call 800 times.
    """

    def __init__(self, files_of: Callable[[Any], list[Path]] | None = None) -> None:
        self._memo: dict[int, tuple[Any, str]] = {}
        self._files_of = files_of  # files an object stands for (a Markdown text's images): their bytes count

    def __call__(self, context: Any) -> str:
        """Return the hash of *context*: a template's variables, or any JSON-like value (lists of key parts)."""
        return self._piece(context)

    def _piece(self, value: Any) -> str:
        if isinstance(value, str):
            return f"s{len(value)}:{value}"  # length-prefixed: unambiguous without escaping
        if value is None or isinstance(value, (int, float, bool)):
            return f"{type(value).__name__}:{value!r}"
        hit = self._memo.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        if isinstance(value, dict):
            items = sorted((str(k), self._piece(v)) for k, v in value.items())
            text = "{" + ",".join(f"{len(k)}:{k}={v}" for k, v in items) + "}"
        elif isinstance(value, (list, tuple)):
            text = "[" + ",".join(self._piece(v) for v in value) + "]"
        elif is_dataclass(value) and not isinstance(value, type):
            # declared fields only: a cached_property (parsed Markdown tokens) is derived, not input
            parts = [f"{f.name}:{self._piece(getattr(value, f.name))}" for f in fields(value)]
            for path in self._files_of(value) if self._files_of else []:
                parts.append(f"file:{path.name}:{file_hash(path) if path.is_file() else 'absent'}")
            text = type(value).__name__ + "(" + ",".join(parts) + ")"
        elif isinstance(value, Path):
            text = json.dumps(str(value), ensure_ascii=False)
        else:
            text = json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._memo[id(value)] = (value, digest)
        return digest


def job_key(*parts: str) -> str:
    """Combine docgen's code key, SOURCE_DATE_EPOCH (it dates docx/xlsx) and the given part hashes into one key."""
    h = hashlib.sha256(f"{code_key()}\0{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for part in parts:
        h.update(b"\0" + part.encode())
    return h.hexdigest()


class BuildState:
    """The keys of the outputs in one output folder."""

    def __init__(self, out_dir: Path, clean: bool = False):
        self.out_dir = out_dir
        self.path = out_dir / STATE_DIR / STATE_FILE
        self.keys: dict[str, str] = {} if clean else self._read()
        self._changed: dict[str, str | None] = {}  # what this build recorded (None: forgotten)

    def _read(self) -> dict[str, str]:
        try:
            keys = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return keys if isinstance(keys, dict) else {}

    def is_fresh(self, outputs: list[str], key: str) -> bool:
        """Return True when every output exists and was built with *key*."""
        return all(self.keys.get(rel) == key and (self.out_dir / rel).is_file() for rel in outputs)

    def record(self, outputs: list[str], key: str) -> None:
        for rel in outputs:
            self.keys[rel] = key
            self._changed[rel] = key

    def forget(self, outputs: list[str]) -> None:
        for rel in outputs:
            self.keys.pop(rel, None)
            self._changed[rel] = None

    @property
    def changed(self) -> bool:
        return bool(self._changed)

    def save(self) -> None:
        """Merge this build's changes into the state file atomically; nothing is written when nothing changed.

        Builds running at once into the same folder (``make -j`` with one target per unit)
        each add their own keys under a lock instead of overwriting each other's.
        """
        if not self._changed:
            return
        try:
            self._save()
        except OSError as exc:
            from docgen.errors import Diagnostic, Location, OutputError, display_path

            raise OutputError(Diagnostic("O621", f"无法写入状态文件：{exc.strerror}", Location(display_path(self.path)),
                                         hint="检查 build/.docgen 的权限和磁盘空间；下次生成会重新生成这些文件。")) from None

    def _save(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.parent / "state.lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            keys = self._read()
            for rel, key in self._changed.items():
                if key is None:
                    keys.pop(rel, None)
                else:
                    keys[rel] = key
            fd, tmp = tempfile.mkstemp(prefix=".state-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(keys, f, ensure_ascii=False, sort_keys=True, indent=0)
            os.replace(tmp, self.path)
        self.keys = keys
        self._changed = {}
