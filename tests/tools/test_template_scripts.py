"""The template drawing scripts can never overwrite an edited template silently (issue 13, item 6).

The committed .docx/.xlsx under templates/ are the source of truth that staff edit in Word.
tools/make_templates_*.py write through docxkit.save_new: into a scratch folder by default,
never over an existing file without --force.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "tools").glob("make_templates_*.py"))


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_script_saves_only_through_save_new():
    assert SCRIPTS
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\.save\(", text), f"{script.name} saves directly; use docxkit.save_new"
        assert not re.search(r'(?<!OUT_)ROOT / "templates', text), f"{script.name} writes into the committed templates"


def test_a_script_writes_drafts_elsewhere_and_refuses_to_overwrite(tmp_path):
    committed = _digest(ROOT / "templates")
    script = ROOT / "tools/make_templates_bureau.py"
    first = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True,
                           cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    drawn = tmp_path / "templates/docx/bureau/评审结果公示.docx"
    assert drawn.read_bytes()[:2] == b"PK"
    drawn.write_bytes(b"edited by staff")
    again = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True,
                           cwd=tmp_path)
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    assert drawn.read_bytes() == b"edited by staff"
    forced = subprocess.run([sys.executable, str(script), "--out", str(tmp_path), "--force"], capture_output=True,
                            text=True, cwd=tmp_path)
    assert forced.returncode == 0 and drawn.read_bytes()[:2] == b"PK"
    assert _digest(ROOT / "templates") == committed


def test_by_default_a_script_does_not_touch_the_committed_template():
    """Run with no options the script would write to build/template-drafts/, never templates/."""
    text = (ROOT / "tools/docxkit.py").read_text(encoding="utf-8")
    assert 'DRAFTS = REPO / "build" / "template-drafts"' in text and "default=DRAFTS" in text
