"""Generate a project of N synthetic applicants for the 洛阳 2026 call (bench only)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docgen.models.common import CREDIT_CODE_CHARS, credit_code_check_char

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_UNIT = "heluo-normal"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PLACES = ["洛阳", "郑州", "开封", "新乡", "许昌", "南阳", "安阳", "焦作", "平顶山", "商丘"]


def credit_code(i: int) -> str:
    body = "52410300" + "".join(CREDIT_CODE_CHARS[(i // 31 ** k) % 31] for k in range(9))
    body = body[:17]
    return body + credit_code_check_char(body)


def make_project(dest: Path, n: int) -> Path:
    """Copy calls and templates, then write *n* unit folders derived from the sample 高校."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "data/units").mkdir(parents=True)
    shutil.copytree(ROOT / "samples/calls", dest / "data/calls")
    shutil.copytree(ROOT / "templates", dest / "templates")
    src = ROOT / "samples/units" / TEMPLATE_UNIT
    unit_text = (src / "unit.yaml").read_text(encoding="utf-8")
    app_text = (src / "applications/luoyang-2026-1.yaml").read_text(encoding="utf-8")
    original_code = next(line.split(":")[1].split("#")[0].strip() for line in unit_text.splitlines()
                         if line.startswith("credit_code:"))
    for i in range(n):
        unit_id = f"unit-{i:04d}"
        folder = dest / "data/units" / unit_id
        (folder / "applications").mkdir(parents=True)
        name = f"{PLACES[i % len(PLACES)]}{SURNAMES[i % len(SURNAMES)]}氏第{i + 1}教师培训中心"
        text = unit_text.replace("name: 河洛师范学院", f"name: {name}", 1).replace(original_code, credit_code(i))
        (folder / "unit.yaml").write_text(text, encoding="utf-8")
        (folder / "applications/luoyang-2026-1.yaml").write_text(app_text, encoding="utf-8")
        texts = src / "applications/luoyang-2026-1"  # the application's Markdown sections
        if texts.is_dir():
            shutil.copytree(texts, folder / "applications/luoyang-2026-1", copy_function=os.link)
        for item in ("attachments", "seal.png"):
            s = src / item
            if s.is_dir():  # sub-folders too (attachments/2025/ …); files hard-linked, not copied
                shutil.copytree(s, folder / item, copy_function=os.link)
            else:
                os.link(s, folder / item)
    return dest
