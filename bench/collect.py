"""Benchmark `docgen collect`: 300 returned 汇总表 workbooks, generated here from the call's own template.

Prints workbooks per second, peak memory, and the ratio against loading each workbook with plain
openpyxl.load_workbook in the same run (target: >= 12x, issue 19), with ✓ or ✗. Both sides run
ROUNDS times, interleaved so a busy moment of the machine hits both alike; the best of each counts.
Run: .venv/bin/python bench/collect.py [N]
"""

from __future__ import annotations

import gc
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.bureau.calls import load_call  # noqa: E402
from docgen.bureau.collect import collect  # noqa: E402
from docgen.render.xlsx import render_xlsx  # noqa: E402

CALL = "luoyang-2026-waichu-gengang"
ROUNDS = 5
TARGET = 12
TEMPLATE = ROOT / "templates/xlsx" / CALL / "汇总表.xlsx"
CITIES = ["洛阳", "郑州", "开封", "新乡", "南阳", "许昌", "焦作", "安阳", "信阳", "周口"]
KINDS = ["师范学院", "职业技术学院", "教师发展中心", "教育科技有限公司", "教师培训研究院"]
REMARKS = ["本项目由继续教育学院具体实施，跟岗基地学校已签订合作协议。",
           "跟岗基地学校为本院长期合作的上海、苏州优质中小学。", "", "名师送教团队由省级名师工作室主持人组成。"]


def generate(folder: Path, count: int, call) -> None:
    rng = random.Random(2026)
    subs = call.sub_projects
    for i in range(count):
        name = f"{rng.choice(CITIES)}{rng.choice(KINDS)}{i:03d}"
        picked = rng.sample(subs, k=1 if rng.random() < 0.8 else 2)
        context = {
            "unit": SimpleNamespace(name=name),
            "contact": SimpleNamespace(name=rng.choice("张王李赵刘陈杨黄") + rng.choice(["明", "华", "静", "磊"]),
                                       phone=f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}"),
            "applications": [SimpleNamespace(sub=s, remark=rng.choice(REMARKS)) for s in picked],
            "call": call,
        }
        (folder / f"{i:03d}-{name}.xlsx").write_bytes(render_xlsx(TEMPLATE, context))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    _, call = load_call(ROOT / "samples", CALL)
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, count, call)
        print(f"生成 {count} 个汇总表：{time.perf_counter() - t0:.1f} 秒，"
              f"平均 {sum(p.stat().st_size for p in folder.iterdir()) / count / 1024:.1f} KB/个")
        files = sorted(folder.iterdir())

        collect(folder, CALL, call)  # warm the imports and the page cache
        t_collect = t_openpyxl = float("inf")
        for _ in range(ROUNDS):  # interleaved, best of ROUNDS for both sides: the machine may be busy
            gc.collect()
            t0 = time.perf_counter()
            result = collect(folder, CALL, call)
            t_collect = min(t_collect, time.perf_counter() - t0)
            gc.collect()
            t0 = time.perf_counter()
            for path in files:
                openpyxl.load_workbook(path)
            t_openpyxl = min(t_openpyxl, time.perf_counter() - t0)
        rss_collect = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        assert len(result.files) == count and not result.errors, result.errors[:3]

        tracemalloc.start()
        collect(folder, CALL, call)
        _, py_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    print(f"docgen collect：{count} 个工作簿 {t_collect * 1000:.0f} 毫秒，{count / t_collect:.0f} 个/秒"
          f"（含识别文件类型、找表头、逐行检查、子项目1/2规则；{len(result.rows)} 行）")
    print(f"openpyxl.load_workbook（只打开，不做检查）：{t_openpyxl * 1000:.0f} 毫秒，{count / t_openpyxl:.0f} 个/秒")
    ratio = t_openpyxl / t_collect
    print(f"倍数：{ratio:.1f}× {'✓' if ratio >= TARGET else '✗'}（目标 ≥ {TARGET}×；两边交替各跑 {ROUNDS} 次，各取最快的一次）")
    print(f"峰值内存：进程 RSS {rss_collect:.0f} MB（汇总与 openpyxl 对照结束时），Python 堆峰值 {py_peak / 1024 / 1024:.1f} MB（tracemalloc）")


if __name__ == "__main__":
    main()
