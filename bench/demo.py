"""Benchmark a no-change `make demo`: every docgen command it runs, against as many `docgen --version` calls.

Copies samples/ and templates/ into a temporary project, runs tools/demo.sh once (the first,
full build), then times, in one run, rounds of the no-change tools/demo.sh against rounds of
the same number of `docgen --version` calls (interleaved, median of the rounds), and prints
both, the ratio (target ≤ 1.5 ✓/✗) and what each command redid (every build command: 0).

Run: .venv/bin/python bench/demo.py [--rounds 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build import machine  # noqa: E402

SCRIPT = ROOT / "tools/demo.sh"


def docgen_calls() -> int:
    """Return how many docgen commands a `make demo` runs (tools/demo.sh and the bureau's part)."""
    text = SCRIPT.read_text(encoding="utf-8") + (ROOT / "tools/bureau-demo.sh").read_text(encoding="utf-8")
    return len(re.findall(r'"\$BIN/docgen"', text))


def project(work: Path) -> tuple[Path, dict[str, str]]:
    root = work / "project"
    shutil.copytree(ROOT / "samples", root / "data")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "tools").mkdir()
    for name in ("demo.sh", "bureau-demo.sh"):
        shutil.copy(ROOT / "tools" / name, root / "tools" / name)
    bin_dir = work / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "docgen"  # what .venv/bin/docgen does: this Python, this checkout of docgen
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m docgen "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    env = dict(os.environ, PYTHONPATH=str(ROOT), BIN=str(bin_dir), JOBS="1")
    return root, env


def timed(cmd: list[str], root: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each measurement (median; default 5)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docgen-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    root, env = project(work)
    calls = docgen_calls()
    print(f"机器：{machine()}；Python {platform.python_version()}")
    first, proc = timed(["bash", "tools/demo.sh"], root, env)
    if proc.returncode != 0:
        sys.exit(f"make demo failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    print(f"第一次 make demo（全部生成）：{first:.1f} 秒")
    demo, version = [], []
    last = None
    for _ in range(args.rounds):
        seconds, last = timed(["bash", "tools/demo.sh"], root, env)
        if last.returncode != 0:
            sys.exit(f"no-change make demo failed ({last.returncode}):\n{last.stderr[-3000:]}")
        demo.append(seconds)
        start = time.perf_counter()
        for _ in range(calls):
            subprocess.run([env["BIN"] + "/docgen", "--version"], cwd=root, env=env, capture_output=True, check=True)
        version.append(time.perf_counter() - start)
    redone = re.findall(r"共生成 (\d+) 个文件", last.stdout)
    written = [line for line in last.stdout.splitlines() if line.startswith("已生成")]
    t_demo, t_version = sorted(demo)[len(demo) // 2], sorted(version)[len(version) // 2]
    ratio = t_demo / t_version
    print(f"无变化的 make demo（tools/demo.sh，{calls} 个 docgen 命令，{args.rounds} 次取中位数）：{t_demo:.2f} 秒")
    print(f"同样次数的 docgen --version（{calls} 次，{args.rounds} 次取中位数）：{t_version:.2f} 秒")
    print(f"比值 {ratio:.2f}（目标 ≤ 1.5）{'✓' if ratio <= 1.5 else '✗'}；"
          f"各生成命令重新生成的文件数：{'、'.join(redone)}；“已生成”行 {len(written)} 行")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
