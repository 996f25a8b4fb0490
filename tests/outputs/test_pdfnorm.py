"""PDF normalisation: fixed dates, no XMP, content-derived ID, LibreOffice's font counter fixed."""

from __future__ import annotations

import io
import random

import pikepdf

from docgen.outputs.pdfnorm import _eexec_decrypt, _eexec_encrypt, normalize_pdf_bytes


def type1_pdf(unique_id: int, tail: bytes) -> bytes:
    clear = f"%!PS-AdobeFont-1.0: Test\n/UniqueID {unique_id} def\ncurrentfile eexec\n".encode()
    plain = b"HDU dup /Private 8 dict dup begin\n/UniqueID %d def\n" % unique_id + tail
    secret, _ = _eexec_encrypt(plain)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    font = pikepdf.Stream(pdf, clear + secret + b"0" * 512)
    font.Length1, font.Length2, font.Length3 = len(clear), len(secret), 512
    pdf.Root.DgFont = pdf.make_indirect(font)
    pdf.docinfo["/CreationDate"] = "D:20261124053000+08'00'"
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def font_parts(data: bytes) -> tuple[bytes, bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        font = pdf.Root.DgFont
        raw, n1, n2 = font.read_bytes(), int(font.Length1), int(font.Length2)
        assert len(raw) == n1 + n2 + int(font.Length3)
        return raw[:n1], _eexec_decrypt(raw[n1:n1 + n2])


def test_font_counter_and_dates_do_not_change_the_bytes():
    tail = random.Random(2026).randbytes(20000)  # long enough to reach past the first 4096 bytes
    a, b = normalize_pdf_bytes(type1_pdf(4100015, tail)), normalize_pdf_bytes(type1_pdf(4100001, tail))
    assert a == b
    clear, plain = font_parts(a)
    assert b"/UniqueID 4100000 def" in clear
    assert plain == b"HDU dup /Private 8 dict dup begin\n/UniqueID 4100000 def\n" + tail  # still decrypts
    with pikepdf.open(io.BytesIO(a)) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:2000") and "/Metadata" not in pdf.Root
    assert normalize_pdf_bytes(type1_pdf(4100015, tail[:-1] + bytes([tail[-1] ^ 1]))) != a  # other content, other bytes
