"""Benchmark the PDF stage and print the figures (ratios measured in this one run).

1. Convert 20 generated documents (the sample 申报书/实施方案/汇总表, rendered from the real
   templates) through one warm LibreOffice versus one `soffice --convert-to pdf` per file.
   Target: warm ≥ 5× faster.
2. Assemble, number and seal a 300-page submission (a converted 申报书, a 50-page 300 dpi
   scan, text attachments), in a child process: pages per second (target ≥ 300) and peak
   memory above the process's baseline against the largest input file (target < 2×).

    .venv/bin/python bench/pdf.py [--docs 20] [--pages 300]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.apply.pipeline import load, plan, render  # noqa: E402
from docgen.pdf.convert import find_soffice, lo_environment, make_profile  # noqa: E402
from docgen.pdf.warm import WarmConverter  # noqa: E402


def generate_documents(folder: Path, count: int) -> list[Path]:
    project = load(ROOT, ROOT / "samples")
    rendered = render(project, plan(project))
    paths = []
    for i in range(count):
        job, data = rendered[i % len(rendered)]
        path = folder / f"{i:02d}-{Path(job.output).name}"
        path.write_bytes(data)
        paths.append(path)
    return paths


def bench_conversion(count: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        tmp = Path(tmp)
        (tmp / "warm").mkdir()
        (tmp / "cold").mkdir()
        warm_docs = generate_documents(tmp / "warm", count)
        cold_docs = generate_documents(tmp / "cold", count)

        t0 = time.perf_counter()
        with WarmConverter() as converter:
            if not converter.warm:
                print("注意：系统 Python 无法 import uno，热转换退回为批量转换。")
            converter(warm_docs[:1])
            t1 = time.perf_counter()
            converter(warm_docs[1:])
            t2 = time.perf_counter()
        warm_total = t2 - t0
        warm_each = (t2 - t1) / (count - 1)

        soffice = find_soffice()
        profile = make_profile(tmp / "cold-profile")
        env = lo_environment()
        t3 = time.perf_counter()
        for doc in cold_docs:
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
                            "--nologo", "--norestore", "--convert-to", "pdf", "--outdir", str(doc.parent), str(doc)],
                           env=env, capture_output=True, check=True, timeout=300)
            assert doc.with_suffix(".pdf").is_file()
        cold_total = time.perf_counter() - t3
        cold_each = cold_total / count
    return {"docs": count, "warm_total": warm_total, "warm_each": warm_each, "cold_total": cold_total,
            "cold_each": cold_each}


def make_inputs(folder: Path, pages: int) -> dict:
    """Write the inputs of a *pages*-page submission; return their paths and the largest file's size."""
    import pikepdf
    from PIL import Image, ImageDraw
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    # A converted 申报书 with its stamp places, through the warm converter.
    project = load(ROOT, ROOT / "samples")
    job, data = next((j, d) for j, d in render(project, plan(project)) if j.form.id == "shenbaoshu")
    docx = folder / "申报书.docx"
    docx.write_bytes(data)
    with WarmConverter() as converter:
        shenbaoshu = converter([docx])[docx]
        toc_docx = folder / "toc.docx"
        from docgen.apply.submission import toc_docx as make_toc
        from docgen.pdf.assemble import TocEntry
        toc_docx.write_bytes(make_toc("基准测试", [TocEntry(f"第{i}部分", i, i) for i in range(1, 8)]))
        toc = converter([toc_docx])[toc_docx]
    doc_pages = len(pikepdf.open(shenbaoshu).pages)

    # A 50-page 300 dpi colour scan (A4 at 300 dpi is 2480×3508 px): paper grain, ruled text lines, a red
    # stamp; one JPEG encoding (about 1 MB, as scanners give) stored as 50 separate page images.
    scan_pages = 50
    scan = folder / "扫描件-50页-300dpi.pdf"
    import random
    rng = random.Random(5)
    grain = Image.frombytes("L", (620, 877), bytes(rng.randrange(225, 256) for _ in range(620 * 877)))
    im = Image.merge("RGB", [grain.resize((2480, 3508))] * 3)
    draw = ImageDraw.Draw(im)
    for y in range(300, 3200, 70):
        draw.line((250, y, 2230, y), fill=(40, 40, 40), width=5)
    draw.ellipse((1700, 2700, 2200, 3200), outline=(200, 20, 20), width=18)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    jpeg = buf.getvalue()
    pdf = pikepdf.Pdf.new()
    for _ in range(scan_pages):
        image = pikepdf.Stream(pdf, jpeg)
        image.Type, image.Subtype, image.Width, image.Height = pikepdf.Name.XObject, pikepdf.Name.Image, 2480, 3508
        image.ColorSpace, image.BitsPerComponent, image.Filter = pikepdf.Name.DeviceRGB, 8, pikepdf.Name.DCTDecode
        page = pdf.add_blank_page(page_size=(595.276, 841.89))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 595.276 0 0 841.89 0 0 cm /Im0 Do Q")
    pdf.save(scan)

    # Text attachments for the rest, in 10-page files.
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rest = pages - 1 - doc_pages - scan_pages
    texts = []
    for f in range(0, rest, 10):
        path = folder / f"佐证{f // 10:02d}.pdf"
        c = canvas.Canvas(str(path), pagesize=(595.276, 841.89))
        for p in range(min(10, rest - f)):
            c.setFont("STSong-Light", 12)
            for line in range(40):
                c.drawString(72, 780 - line * 18, f"佐证材料第{f + p + 1}页第{line + 1}行：复印件与原件一致。")
            c.showPage()
        c.save()
        texts.append(path)
    seal = ROOT / "samples/units/heluo-normal/seal.png"
    inputs = [shenbaoshu, scan, *texts, seal]
    return {"doc": str(shenbaoshu), "scan": str(scan), "texts": [str(t) for t in texts], "toc": str(toc),
            "seal": str(seal), "largest": max(p.stat().st_size for p in inputs)}


CHILD = r"""
import json, sys, time
from pathlib import Path
spec = json.loads(sys.argv[1])
from docgen.pdf.assemble import Part, Stamping, assemble
# Modules docgen loads lazily are part of the baseline, not of the work measured.
import pikepdf, pdfminer.converter, pdfminer.layout, pdfminer.pdfinterp, pdfminer.pdfpage  # noqa
import PIL.Image, PIL.ImageDraw, PIL.ImageFont, PIL.ImageOps, reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts  # noqa


def status_kb(key):
    # VmHWM is this process's own peak; ru_maxrss would carry over the parent's peak across exec.
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])


def once(out):
    t0 = time.perf_counter()
    parts = [Part("项目申报书", Path(spec["doc"])), Part("扫描件", Path(spec["scan"]), copy=True, group="佐证资料")]
    parts += [Part(f"佐证{i}", Path(p), copy=True, group="佐证资料") for i, p in enumerate(spec["texts"])]
    pdf, info = assemble(parts, Stamping(seal_image=Path(spec["seal"]), watermark="仅供基准测试申报使用"),
                         toc_maker=lambda entries: Path(spec["toc"]))
    pdf.save(out, encryption=False)
    pdf.close()
    return time.perf_counter() - t0, info


base = status_kb("VmRSS")
first, info = once(spec["out"])
peak = status_kb("VmHWM")
second, _ = once(spec["out"] + ".2.pdf")
# The same without measuring the ink (as without poppler: stamps at their fixed places), to show its share.
import docgen.pdf.stamp
docgen.pdf.stamp.measure_later = lambda pdf, pages, dpi=36: (lambda: None)
fixed, _ = once(spec["out"] + ".3.pdf")
print(json.dumps({"pages": info.pages, "first": first, "seconds": second, "base_kb": base, "peak_kb": peak,
                  "seals": len(info.seals), "fixed": fixed}))
"""


def bench_assembly(pages: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-asm-") as tmp:
        tmp = Path(tmp)
        spec = make_inputs(tmp, pages)
        spec["out"] = str(tmp / "申报材料.pdf")
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(spec)], capture_output=True, text=True,
                              cwd=ROOT, check=True)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        result["largest"] = spec["largest"]
        result["out_size"] = os.path.getsize(spec["out"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    if find_soffice() is None:
        sys.exit("找不到 LibreOffice（soffice）。")

    c = bench_conversion(args.docs)
    ratio = c["cold_each"] / c["warm_each"]
    print(f"转换 {c['docs']} 份文档：")
    print(f"  热 LibreOffice（UNO）：共 {c['warm_total']:.2f} 秒（含启动），稳定后每份 {c['warm_each']:.3f} 秒")
    print(f"  每份启动一次 soffice --convert-to：共 {c['cold_total']:.2f} 秒，每份 {c['cold_each']:.3f} 秒")
    print(f"  每份快 {ratio:.1f} 倍，总时间快 {c['cold_total'] / c['warm_total']:.1f} 倍（目标 ≥ 5 倍）"
          f"{'  ✓' if ratio >= 5 else '  ✗'}")

    a = bench_assembly(args.pages)
    rate = a["pages"] / a["seconds"]
    grown = (a["peak_kb"] - a["base_kb"]) * 1024
    print(f"装订 {a['pages']} 页申报材料（目录、页码、{a['seals']} 处公章、骑缝章、水印）：")
    print(f"  {a['seconds']:.2f} 秒，每秒 {rate:.0f} 页（目标 ≥ 300）{'  ✓' if rate >= 300 else '  ✗'}；"
          f"进程中第一次（含延迟加载的模块、字体）{a['first']:.2f} 秒，每秒 {a['pages'] / a['first']:.0f} 页")
    print(f"  其中量墨迹（poppler 把每页渲染成 36 dpi 图片，定页码和复印件公章的位置）"
          f"{a['seconds'] - a['fixed']:.2f} 秒；不量墨迹（没有 poppler 时，盖在固定位置）只需 {a['fixed']:.2f} 秒，"
          f"每秒 {a['pages'] / a['fixed']:.0f} 页")
    print(f"  内存峰值比基线多 {grown / 2**20:.1f} MB；最大输入文件 {a['largest'] / 2**20:.1f} MB，"
          f"为其 {grown / a['largest']:.2f} 倍（目标 < 2 倍）{'  ✓' if grown < 2 * a['largest'] else '  ✗'}")
    print(f"  输出文件 {a['out_size'] / 2**20:.1f} MB；内存基线（已加载 docgen 用到的模块）{a['base_kb'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
