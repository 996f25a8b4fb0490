"""The desk's guards: the password (stored hashed), sessions, CSRF tokens, login rate limits, upload limits.

- The desk binds 127.0.0.1 by default; any other address needs a password, stored as a
  scrypt hash (stdlib ``hashlib.scrypt``, n=2**14, r=8, p=1, 16-byte salt) in
  ``<root>/.docgen-desk.json``, never in clear.
- Sessions are signed cookies (Starlette's SessionMiddleware, itsdangerous) that expire
  after ``SESSION_SECONDS``; the signing key is random per start of the desk.
- Every POST carries the session's CSRF token (form field ``csrf`` or header
  ``X-CSRF-Token``); a request without it is refused.
- Login attempts: at most ``LOGIN_ATTEMPTS`` per client address in ``LOGIN_WINDOW`` seconds.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from pathlib import Path

from docgen.outputs.atomic import write_atomic

PASSWORD_FILE = ".docgen-desk.json"
SESSION_SECONDS = 8 * 3600
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW = 300

# Upload limits (documented in the README)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024      # one file
MAX_UPLOAD_FILES = 60                    # files in one request
MAX_ZIP_MEMBERS = 2000                   # members of an uploaded xlsx/docx (they are zips)
MAX_ZIP_UNPACKED = 200 * 1024 * 1024     # declared unpacked size of all members
MAX_ZIP_RATIO = 100                      # declared unpacked size / packed size of one member

_N, _R, _P = 2 ** 14, 8, 1


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Return a scrypt hash of *password* as ``scrypt$n$r$p$salt$hash`` (base64 parts)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Return whether *password* matches the *stored* hash (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), dklen=32)
        return hmac.compare_digest(actual, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def password_file(root: Path) -> Path:
    return root / PASSWORD_FILE


def stored_hash(root: Path) -> str | None:
    """Return the stored password hash of the desk in *root*, or None when none was set."""
    try:
        data = json.loads(password_file(root).read_text(encoding="utf-8"))
        value = data.get("password")
        return value if isinstance(value, str) and value.startswith("scrypt$") else None
    except (OSError, ValueError, AttributeError):
        return None


def store_password(root: Path, password: str) -> Path:
    """Hash *password* and store it for the desk in *root*; return the file written."""
    path = password_file(root)
    write_atomic(path, json.dumps({"password": hash_password(password)}, ensure_ascii=False).encode("utf-8"))
    with contextlib.suppress(OSError):  # a file system without modes keeps the default
        path.chmod(0o600)
    return path


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


class LoginLimiter:
    """Count failed logins per client address in a sliding window."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW):
        self.attempts, self.window = attempts, window
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._seen.get(client, []) if now - t < self.window]
            self._seen[client] = recent
            return len(recent) >= self.attempts

    def failed(self, client: str) -> None:
        with self._lock:
            self._seen.setdefault(client, []).append(time.monotonic())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._seen.pop(client, None)


def sniff(data: bytes) -> str:
    """Return what *data* really is by its first bytes: xlsx/docx (zip), xls (OLE), pdf, png, jpeg or unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "unknown"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    return "unknown"


def zip_problem(data: bytes) -> str | None:
    """Return why an uploaded zip (xlsx, docx) is refused before anything inflates it, or None.

    Checks the declared sizes only: member count, total unpacked size and each member's ratio.
    """
    import io
    import zipfile

    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return "文件已损坏（不是完整的 zip 压缩包）"
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"压缩包中有 {len(infos)} 个成员，超过上限 {MAX_ZIP_MEMBERS}"
    total = sum(i.file_size for i in infos)
    if total > MAX_ZIP_UNPACKED:
        return f"解压后共 {total // (1024 * 1024)} MB，超过上限 {MAX_ZIP_UNPACKED // (1024 * 1024)} MB"
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_ZIP_RATIO * max(i.compress_size, 1):
            return f"成员 {i.filename} 的压缩比超过 {MAX_ZIP_RATIO}:1（疑似“压缩炸弹”）"
    return None
