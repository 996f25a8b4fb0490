"""The attachments' text layers are read ahead side by side; the rules then find them read, word for word."""

from __future__ import annotations

import os
import subprocess

import pytest

from docgen.apply import evidence
from tests.pdf.fixtures import make_pdf


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="read ahead only with two cores or more")
def test_texts_read_ahead_are_the_ones_read_one_by_one(tmp_path, monkeypatch):
    paths = [make_pdf(tmp_path / f"{i}.pdf", [[(72, 700, f"证明第{i}份，2025年3月{i + 1}日")]]) for i in range(6)]
    evidence._text.cache_clear()
    one_by_one = [evidence.text_of(p) for p in paths]
    assert all(f"证明第{i}份" in t for i, t in enumerate(one_by_one))

    evidence._text.cache_clear()
    evidence.read_ahead([*paths, tmp_path / "not-a-pdf.png", paths[0]])
    runs: list = []
    real_run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: runs.append(a) or real_run(*a, **k))
    assert [evidence.text_of(p) for p in paths] == one_by_one
    assert runs == []  # every one was already read
