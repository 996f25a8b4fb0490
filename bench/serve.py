"""The desk's responsiveness with 200 synthetic units, measured in one run.

Prints the median and 95th percentile response time of the home page, a unit page and the
check report (target: p95 under 300 ms), and, for one application, the time from the build
button to its first page thumbnail against the CLI build of the same application (target:
within 1.5×). Each target line is marked ✓ or ✗.

    .venv/bin/python bench/serve.py [--units 200] [--requests 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import make_project

CALL = "luoyang-2026-waichu-gengang"


def _client(root: Path, out: Path):
    from starlette.testclient import TestClient

    from docgen.desk import service
    from docgen.desk.app import DeskConfig, create_app
    from docgen.desk.service import Settings

    service.forget()
    return TestClient(create_app(DeskConfig(Settings(root, root / "data", out))))


def _times(client, url: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(url)
        out.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return out


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--requests", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="docgen-bench-serve-") as tmp:
        root = make_project(Path(tmp) / "p", args.units)
        client = _client(root, root / "build")
        first = time.perf_counter()
        client.get("/")
        print(f"单位 {args.units} 个；首次打开首页（读取并检查全部数据）{time.perf_counter() - first:.2f} s")
        ok = True
        for label, url in (("首页", "/"), ("单位页面", "/unit/unit-0100"), ("检查报告", "/check")):
            times = _times(client, url, args.requests)
            p50, p95 = statistics.median(times) * 1000, _p95(times) * 1000
            mark = "✓" if p95 < 300 else "✗"
            ok &= p95 < 300
            print(f"{mark} {label}：中位数 {p50:.0f} ms，95% 分位 {p95:.0f} ms（目标：95% 分位 < 300 ms，{args.requests} 次）")
        # one application: the CLI build against the desk's build → first thumbnail
        cli_out = Path(tmp) / "cli-build"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "docgen", "--root", str(root), "build", "--unit", "unit-0007",
                        "--call", CALL, "--out", str(cli_out)], check=True, capture_output=True)
        cli = time.perf_counter() - t
        desk_out = Path(tmp) / "desk-build"
        client = _client(root, desk_out)
        page = client.get("/")
        token = page.text.split('X-CSRF-Token": "')[1].split('"')[0]
        t = time.perf_counter()
        r = client.post(f"/build/unit-0007/{CALL}", data={"csrf": token}, follow_redirects=False)
        job = r.headers["location"].split("job=")[1]
        while True:
            p = client.get(f"/build/unit-0007/{CALL}/progress?job={job}")
            if "every 700ms" not in p.text:
                break
            time.sleep(0.1)
        img = p.text.split('src="/page/')[1].split('"')[0]
        png = client.get("/page/" + img)
        desk = time.perf_counter() - t
        assert png.content.startswith(b"\x89PNG")
        ratio = desk / cli
        mark = "✓" if ratio <= 1.5 else "✗"
        ok &= ratio <= 1.5
        print(f"{mark} 一份申报：按“生成”到第一张缩略图 {desk:.2f} s，命令行 docgen build {cli:.2f} s，"
              f"比值 {ratio:.2f}（目标 ≤ 1.5）")
        print("全部达标" if ok else "有未达标的项目")


if __name__ == "__main__":
    main()
