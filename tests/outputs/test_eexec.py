"""The C eexec loop gives the bytes of the Python one, and normalising works without it."""

from __future__ import annotations

import random

import pytest

from docgen.outputs import eexec, pdfnorm


def test_c_loop_matches_python():
    if eexec.reencrypt(b"x", 1, 2) is None:
        pytest.skip("no C compiler here: the Python loop is used")
    rng = random.Random(7)
    for n in (0, 1, 2, 255, 4096, 70000):
        data = bytes(rng.randrange(256) for _ in range(n))
        r, r2 = rng.randrange(65536), rng.randrange(65536)
        assert eexec.reencrypt(data, r, r2) == pdfnorm._reencrypt_python(data, r, r2)


def test_without_the_c_loop(monkeypatch):
    monkeypatch.setattr(eexec, "_loaded", None)
    monkeypatch.setenv("DOCGEN_NO_NATIVE", "1")
    data = bytes(range(256)) * 3
    assert eexec.reencrypt(data, 5, 6) is None
    assert pdfnorm._reencrypt(data, 5, 6) == pdfnorm._reencrypt_python(data, 5, 6)
    monkeypatch.setattr(eexec, "_loaded", None)
