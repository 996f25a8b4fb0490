"""Measure `docgen plan collect` on returned workbooks: cached values via python-calamine vs a second openpyxl load.

Run: .venv/bin/python bench/plan_collect.py [N]   (N workbooks, default 100). Prints seconds and the ratio.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.sichuan.load import load_bureaus  # noqa: E402
from docgen.sichuan.pipeline import city_workbook  # noqa: E402
from docgen.sichuan.workbook import read_plan_workbook  # noqa: E402


def main(n: int) -> None:
    bureaus = load_bureaus(ROOT, ROOT / "samples")
    data = city_workbook(bureaus.plans["leshan"])
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(n):
            p = Path(tmp) / f"乐山-{i}.xlsx"
            p.write_bytes(data)
            paths.append(p)
        t = time.perf_counter()
        for p in paths:
            read_plan_workbook(p, bureaus.reference)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        for p in paths:
            load_workbook(p)
            load_workbook(p, data_only=True)
        double = time.perf_counter() - t
    print(f"{n} 个计划表：docgen 读取并检查 {ours:.2f} 秒（{ours / n * 1000:.1f} 毫秒/个）；"
          f"仅用 openpyxl 打开两次（公式+缓存值）{double:.2f} 秒；比值 {double / ours:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
