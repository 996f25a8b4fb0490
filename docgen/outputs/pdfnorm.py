"""Make PDFs written by LibreOffice (or assembled by docgen) identical for identical content.

LibreOffice stamps a creation date and a random document ID into every PDF.
This removes the dates, drops XMP metadata (which repeats them) and derives
the ID from the content, so two builds of the same inputs give the same bytes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf

from docgen.outputs.zipnorm import fixed_timestamp


def _pdf_date() -> str:
    stamp = fixed_timestamp()  # 2000-01-01T00:00:00Z
    return "D:" + stamp.replace("-", "").replace("T", "").replace(":", "").replace("Z", "") + "Z"


def normalize_pdf_bytes(data: bytes) -> bytes:
    """Return *data* with fixed dates, no XMP metadata and a content-derived /ID."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _scrub(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def normalize_pdf_file(path: Path) -> None:
    """Normalise the PDF at *path* in place (the file is inside a staging folder)."""
    path.write_bytes(normalize_pdf_bytes(path.read_bytes()))


def _scrub(pdf: pikepdf.Pdf) -> None:
    info = pdf.docinfo
    for key in ("/CreationDate", "/ModDate"):
        if key in info:
            info[key] = _pdf_date()
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]
    for key in ("/DocChecksum", "/ID"):  # LibreOffice's checksum covers the dates; its ID is random
        if key in pdf.trailer:
            del pdf.trailer[key]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and "/Length1" in obj and "/Length2" in obj:
            _fix_type1(obj)


# LibreOffice embeds CFF (OpenType) fonts as Type 1 programs stamped with "/UniqueID 41000NN",
# NN counting the fonts it has embedded since it started: the same document converted by a
# LibreOffice that converted others before gets other bytes. The number is set to one value here.
_UNIQUE_ID = re.compile(rb"/UniqueID \d+ def")
_FIXED_ID = b"/UniqueID 4100000 def"
EEXEC_KEY, C1, C2 = 55665, 52845, 22719


def _eexec_decrypt(data: bytes, C1: int = C1, C2: int = C2) -> bytes:
    r = EEXEC_KEY
    out: list[int] = []
    append = out.append
    for c in data:
        append(c ^ (r >> 8))
        r = ((c + r) * C1 + C2) & 0xFFFF
    return bytes(out)


def _eexec_encrypt(data: bytes, r: int = EEXEC_KEY, C1: int = C1, C2: int = C2) -> tuple[bytes, int]:
    out: list[int] = []
    append = out.append
    for p in data:
        c = p ^ (r >> 8)
        append(c)
        r = ((c + r) * C1 + C2) & 0xFFFF
    return bytes(out), r


_NEXT: list[int] = []  # _NEXT[c + r] is the cipher state after byte c in state r


def _reencrypt(data: bytes, r: int, r2: int) -> bytes:
    """Decrypt *data* from state *r* and encrypt the same plain bytes from state *r2*, in one pass.

    The hot loop of normalising a CJK font (hundreds of kilobytes): in C when it could be
    compiled (:mod:`docgen.outputs.eexec`), else here, where a table replaces the arithmetic.
    """
    from docgen.outputs.eexec import reencrypt

    fast = reencrypt(data, r, r2)
    if fast is not None:
        return fast
    return _reencrypt_python(data, r, r2)


def _reencrypt_python(data: bytes, r: int, r2: int) -> bytes:
    if not _NEXT:
        _NEXT.extend(((x * C1 + C2) & 0xFFFF) for x in range(65536 + 256))
    table, out = _NEXT, bytearray(len(data))
    for i, c in enumerate(data):
        d = c ^ (r >> 8) ^ (r2 >> 8)
        r = table[c + r]
        r2 = table[d + r2]
        out[i] = d
    return bytes(out)


def _state_after(data: bytes, r: int = EEXEC_KEY, C1: int = C1, C2: int = C2) -> int:
    for c in data:
        r = ((c + r) * C1 + C2) & 0xFFFF
    return r


def _fix_type1(stream: pikepdf.Stream) -> None:
    """Set the /UniqueID of an embedded Type 1 font program (clear and eexec parts) to a fixed value."""
    try:
        data = stream.read_bytes()
        clear_len, secret_len = int(stream.Length1), int(stream.Length2)
    except (pikepdf.PdfError, ValueError, TypeError):
        return
    clear, secret, rest = data[:clear_len], data[clear_len:clear_len + secret_len], data[clear_len + secret_len:]
    head_len = min(len(secret), 4096)  # LibreOffice writes the Private dict, with the number, first
    head = _eexec_decrypt(secret[:head_len])
    found = _UNIQUE_ID.findall(clear) + _UNIQUE_ID.findall(head)
    if all(f == _FIXED_ID for f in found):
        return  # no number, or already the fixed one (a PDF assembled from normalised PDFs)
    new_clear = _UNIQUE_ID.sub(_FIXED_ID, clear)
    new_head, r2 = _eexec_encrypt(_UNIQUE_ID.sub(_FIXED_ID, head))
    tail = _reencrypt(secret[head_len:], _state_after(secret[:head_len]), r2)
    new_secret = new_head + tail
    stream.write(new_clear + new_secret + rest)  # compressed again when the file is saved
    stream.Length1, stream.Length2 = len(new_clear), len(new_secret)
