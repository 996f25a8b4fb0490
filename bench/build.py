"""Benchmark `docgen build` at bureau scale: N synthetic applicants for the 洛阳 2026 call.

Prints, measured in one run: one 申报书 through the build path, split into its steps, against
the warm LibreOffice's conversion of the same document alone; the full build time per document
(with its PDF); the no-change rebuild (and where its time goes); a rebuild after editing one
applicant; the -j 2 versus -j 1 speed-up; and docgen against the naive loop (docxtpl render plus
one `soffice --convert-to` per file, on a sample of documents, extrapolated per document).
Targets are ratios (absolute times differ between machines); each is printed with ✓ or ✗.

Run: .venv/bin/python bench/build.py [--n 40] [--sample 10] [--repeats 7] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synth import make_project  # noqa: E402

CALL = "luoyang-2026-waichu-gengang"
DOCGEN = [sys.executable, "-m", "docgen"]


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} 核（nproc {len(os.sched_getaffinity(0))}），{model}，内存 {mem / 1024 / 1024:.1f} GiB"


def children_cpu() -> float:
    """CPU seconds used so far by the finished child processes (docgen, its LibreOffice, poppler)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def docgen(root: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.run([*DOCGEN, "--root", str(root), *args], capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"docgen {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return seconds, proc


def count(out: Path) -> dict[str, int]:
    files = [p for p in out.rglob("*") if p.is_file() and ".docgen" not in p.parts]
    pdfs = [p for p in files if p.suffix == ".pdf"]
    subs = [p for p in pdfs if p.name.startswith("申报材料-")]
    return {"files": len(files), "docs": sum(p.suffix in (".docx", ".xlsx") for p in files),
            "pdfs": len(pdfs) - len(subs), "submissions": len(subs)}


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


STEPS = [("render", "渲染（docxtpl + Markdown，不含打包）"), ("zip", "打包（规范化 zip）"), ("write", "写入暂存目录"),
         ("normalise", "PDF 规范化"), ("publish", "发布（改名到位）"), ("keys", "指纹（计算、比对、记录）")]


def one_document(root: Path, work: Path, repeats: int) -> None:
    """Print one 申报书's steps through docgen's build path against the warm conversion of the same file alone."""
    import docgen.render.docx as docx_render
    from docgen.apply import keys, pipeline
    from docgen.build import BuildOutcome, run, select
    from docgen.outputs.state import BuildState
    from docgen.pdf.warm import WarmConverter

    project = pipeline.load(root, root / "data", None, CALL)
    job = next(j for j in pipeline.plan(project) if j.form.id == "shenbaoshu")
    zipped = [0.0]
    real_zip = docx_render.zip_members

    def timed_zip(members):
        start = time.perf_counter()
        try:
            return real_zip(members)
        finally:
            zipped[0] += time.perf_counter() - start

    docx_render.zip_members = timed_zip
    alone: list[float] = []
    builds: list[dict[str, float]] = []
    try:
        with WarmConverter() as conv:
            conv.warm_up()
            for r in range(repeats + 1):  # the first round warms LibreOffice, the caches and the fonts
                out = work / f"one-{r}"
                zipped[0] = 0.0
                start = time.perf_counter()
                state = BuildState(out, clean=True)
                todo, _ = select(keys.tasks(project, [job], [], True, False), state)
                planned = time.perf_counter() - start
                outcome = run(todo, out, state, BuildOutcome(), converter=conv)
                total = time.perf_counter() - start
                steps = dict(outcome.steps)
                steps["keys"] = steps.get("keys", 0.0) + planned
                steps["zip"] = zipped[0]
                steps["render"] -= zipped[0]
                steps["total"] = total
                source = work / f"alone-{r}.docx"
                shutil.copy(out / job.output, source)
                start = time.perf_counter()
                conv([source])
                if r:
                    alone.append(time.perf_counter() - start)
                    builds.append(steps)
    finally:
        docx_render.zip_members = real_zip
    conversion = median(alone)
    print(f"一份申报书（{Path(job.output).name}，同一文件，{repeats} 次取中位数）：")
    print(f"    常驻 LibreOffice 单独转换：{conversion:.3f} 秒")
    own = 0.0
    for key, label in STEPS:
        value = median([b.get(key, 0.0) for b in builds])
        own += value
        print(f"    docgen {label}：{value:.3f} 秒")
    in_build = median([b.get("convert", 0.0) for b in builds])
    single = median([b['total'] for b in builds])
    print(f"    docgen 生成中的转换（同一 LibreOffice）：{in_build:.3f} 秒；只生成这一份时全程 {single:.3f} 秒")
    print(f"    docgen 自身各步合计 {own:.3f} 秒 = 转换时间的 {own / conversion:.0%}")
    # In a build, LibreOffice converts one document in its own process while docgen renders the next one
    # and normalises the previous one: what docgen adds per document is the time beyond the conversion.
    copies = [replace(job, output=f"copy-{k:02d}/{Path(job.output).name}") for k in range(repeats)]
    with WarmConverter() as conv:
        conv.warm_up()
        conv([work / "alone-0.docx"])
        out = work / "pipelined"
        start = time.perf_counter()
        state = BuildState(out, clean=True)
        todo, _ = select(keys.tasks(project, copies, [], True, False), state)
        run(todo, out, state, BuildOutcome(), converter=conv)
        per_doc = (time.perf_counter() - start) / repeats
    added = max(per_doc - conversion, 0.0)
    ratio = added / conversion
    print(f"    生成中（同一份申报书连续 {repeats} 份）：每份全程 {per_doc:.3f} 秒，比单独转换多 {added:.3f} 秒 = "
          f"转换时间的 {ratio:.0%}（目标 ≤ 50%）{mark(ratio <= 0.5)}")


def no_change_breakdown(root: Path, out: Path) -> list[tuple[str, float]]:
    """Time the stages of a no-change build in this process (imports already paid)."""
    from docgen.apply import pipeline
    from docgen.load.yamlpos import set_cache_dir
    from docgen.outputs.state import BuildState

    set_cache_dir(out / ".docgen/cache")
    stages = []
    t = time.perf_counter()
    project = pipeline.load(root, root / "data", None, CALL)
    stages.append(("读取并校验数据（含 YAML 缓存）", time.perf_counter() - t))
    t = time.perf_counter()
    results = pipeline.check(project)
    stages.append(("规则检查", time.perf_counter() - t))
    t = time.perf_counter()
    jobs = pipeline.plan(project, skip={r.unit.id for r in results if not r.passed})
    subs = pipeline.plan_submissions(jobs)
    stages.append(("规划文件（含模板变量）", time.perf_counter() - t))
    t = time.perf_counter()
    from docgen.apply import keys
    from docgen.build import select
    fonts = pipeline.font_gate_for(project, jobs, out)  # the PDF keys hold the resolved font files, as in build
    tasks, unchanged = select(keys.tasks(project, jobs, subs, True, False, fonts), BuildState(out))
    stages.append(("计算输入哈希、比对状态", time.perf_counter() - t))
    assert not tasks, f"{len(tasks)} tasks stale after a full build"
    return stages


def naive(root: Path, sample: int, work: Path) -> tuple[float, int, float]:
    """Render *sample* documents with plain docxtpl/openpyxl and convert each with its own soffice run.

    Return the seconds, the number of documents and the seconds the warm LibreOffice takes to convert
    the same documents (the floor under any build that converts each document once)."""
    from docgen.apply import pipeline
    from docgen.pdf.convert import find_soffice, lo_environment, make_profile
    from docgen.render.docx import render_docx
    from docgen.render.xlsx import render_xlsx

    project = pipeline.load(root, root / "data", None, CALL)
    jobs = [j for j in pipeline.plan(project) if j.unit is not None][:sample]
    soffice = find_soffice()
    profile = make_profile(work / "naive-profile")
    env = lo_environment()
    start = time.perf_counter()
    for i, job in enumerate(jobs):
        template = root / job.form.template
        target = work / f"naive-{i}{template.suffix}"
        if template.suffix == ".docx":  # docxtpl, with docgen's filters and Markdown sections
            target.write_bytes(render_docx(template, job.context))
        else:
            target.write_bytes(render_xlsx(template, job.context))
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work), str(target)], capture_output=True, env=env, check=True)
    seconds = time.perf_counter() - start
    from docgen.pdf.warm import WarmConverter

    sources = sorted(p for p in work.glob("naive-*") if p.suffix in (".docx", ".xlsx"))
    warm_dir = work / "naive-warm"
    warm_dir.mkdir(exist_ok=True)
    with WarmConverter() as conv:
        conv([Path(shutil.copy(sources[0], warm_dir / f"first{sources[0].suffix}"))])  # started and warmed
        copies = [Path(shutil.copy(p, warm_dir / p.name)) for p in sources]
        begin = time.perf_counter()
        conv(copies)
        warm = time.perf_counter() - begin
    return seconds, len(jobs), warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="number of synthetic applicants (default 40)")
    parser.add_argument("--repeats", type=int, default=7, help="rounds of the one-document split (default 7)")
    parser.add_argument("--sample", type=int, default=10, help="documents for the naive loop (default 10)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    root = make_project(work / "project", args.n)
    print(f"机器：{machine()}；Python {platform.python_version()}")
    print(f"合成申报单位：{args.n} 个（通知 {CALL}）")
    out1, out2 = work / "out-j1", work / "out-j2"

    one_document(root, work, args.repeats)

    cpu = children_cpu()
    t_full, _ = docgen(root, "build", "--call", CALL, "--out", str(out1), "-j", "1")
    cores = (children_cpu() - cpu) / t_full
    c = count(out1)
    per_doc = t_full / c["docs"]
    print(f"全量生成 -j 1：{t_full:.1f} 秒，{c['docs']} 个 Word/Excel + {c['pdfs']} 个 PDF + "
          f"{c['submissions']} 份申报材料 PDF；每个文件（含其 PDF 与分摊的装订）{per_doc:.3f} 秒；"
          f"平均同时占用 {cores:.2f} 个核（LibreOffice、docgen 与 poppler 同时工作）")

    t_none, proc = docgen(root, "build", "--call", CALL, "--out", str(out1))
    assert "共生成 0 个文件" in proc.stdout, proc.stdout[-500:]
    t_start, _ = docgen(root, "--version")
    print(f"无变化重建：{t_none:.2f} 秒，Python 与 docgen 启动（docgen --version）{t_start:.2f} 秒："
          f"{t_none / t_start:.2f} 倍（目标 ≤ 1.5）{mark(t_none / t_start <= 1.5)}")
    os.utime(root / "data/units/unit-0000/unit.yaml")  # same content, new time: the full check runs
    t_touch, proc = docgen(root, "build", "--call", CALL, "--out", str(out1))
    assert "共生成 0 个文件" in proc.stdout, proc.stdout[-500:]
    print(f"    文件时间变了、内容未变（完整检查，不生成文件）：{t_touch:.2f} 秒")
    print("    完整检查路径的各步（本进程内，不含启动）：")
    for name, seconds in no_change_breakdown(root, out1):
        print(f"    {name}：{seconds:.3f} 秒")

    edited = f"unit-{min(7, args.n - 1):04d}"
    unit_yaml = root / "data/units" / edited / "unit.yaml"
    text = unit_yaml.read_text(encoding="utf-8")
    unit_yaml.write_text(text.replace("address: 河南省洛阳市", "address: 河南省洛阳市洛龙区", 1), encoding="utf-8")
    t_one, proc = docgen(root, "build", "--call", CALL, "--out", str(out1))
    written = [line for line in proc.stdout.splitlines() if line.startswith("已生成")]
    others = [line for line in written if f"{edited}/" not in line]
    print(f"修改 1 个单位后重建：{t_one:.2f} 秒，重新生成 {len(written)} 个文件"
          f"（其他单位的文件 {len(others)} 个）")
    unit_yaml.write_text(text, encoding="utf-8")
    docgen(root, "build", "--call", CALL, "--out", str(out1))  # back to the original data

    t_j2, _ = docgen(root, "build", "--call", CALL, "--out", str(out2), "-j", "2")
    same = all((out1 / p.relative_to(out2)).read_bytes() == p.read_bytes()
               for p in out2.rglob("*") if p.is_file() and ".docgen" not in p.parts)
    print(f"全量生成 -j 2：{t_j2:.1f} 秒；加速 {t_full / t_j2:.2f} 倍（目标 ≥ 1.6）{mark(t_full / t_j2 >= 1.6)}；"
          f"与 -j 1 的输出逐字节相同：{same}")
    ncpu = len(os.sched_getaffinity(0))
    print(f"    -j 1 已平均占用 {cores:.2f} 个核，这台机器有 {ncpu} 个：-j 2 最多再快 {ncpu / cores:.2f} 倍")

    t_naive, n_naive, t_warm = naive(root, args.sample, work)
    naive_doc, warm_doc = t_naive / n_naive, t_warm / n_naive
    j1, j2 = naive_doc / per_doc, naive_doc / (t_j2 / c['docs'])
    print(f"朴素做法（docxtpl 渲染 + 每个文件一次 soffice --convert-to，抽样 {n_naive} 个）：每个文件 {naive_doc:.2f} 秒"
          f"（不含申报材料装订）")
    print(f"    整个生成比朴素做法：-j 1 快 {j1:.1f} 倍（目标 ≥ 5）{mark(j1 >= 5)}；"
          f"-j 2 快 {j2:.1f} 倍（目标 ≥ 8）{mark(j2 >= 8)}")
    print(f"    同样这 {n_naive} 个文件只由常驻 LibreOffice 转换：每个 {warm_doc:.3f} 秒。每个文件转换一次的生成，"
          f"-j 1 最多比朴素做法快 {naive_doc / warm_doc:.1f} 倍（docgen 自身耗时为零、不装订申报材料时），"
          f"-j 2 最多快 {2 * naive_doc / warm_doc:.1f} 倍（两个核都只做转换时）")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
