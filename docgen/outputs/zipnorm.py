"""Make OOXML zips byte-identical for identical content."""

from __future__ import annotations

import io
import os
import re
import time
import zipfile

from docgen.outputs.sharedstrings import share_strings

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(<)")


def fixed_timestamp() -> str:
    """Return the document date to stamp: SOURCE_DATE_EPOCH when set, else 2000-01-01 (W3CDTF, UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else 946684800
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def normalize_zip(data: bytes) -> bytes:
    """Return *data* re-zipped with fixed timestamps (zip entries and docProps/core.xml), order kept.

    A workbook's inline strings go to a shared-string table (see ``sharedstrings``), placed
    before ``xl/styles.xml``.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in src.infolist()]
    parts = share_strings({name: src.read(name) for name in names})
    for extra in (n for n in parts if n not in names):
        names.insert(names.index("xl/styles.xml") if "xl/styles.xml" in names else len(names), extra)
    return zip_members((name, parts[name]) for name in names)


def zip_members(members) -> bytes:
    """Return a zip of *members* ((name, bytes) in order) with fixed timestamps, as normalize_zip writes it.

    A writer that has the members in hand (a python-docx package) zips them once here instead of
    saving a zip that normalize_zip would inflate and deflate again.
    """
    stamp = fixed_timestamp().encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for filename, content in members:
            if filename == "docProps/core.xml":
                content = _STAMP.sub(lambda m: m.group(1) + stamp + m.group(2), content)
            fixed = zipfile.ZipInfo(filename, FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            fixed.create_system = 0
            dst.writestr(fixed, content, compresslevel=6)
    return out.getvalue()
