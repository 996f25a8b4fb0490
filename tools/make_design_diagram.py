"""Draw the sample 内容设计 module diagram of heluo-normal's 申报 (a PNG the Markdown refers to).

Needs Pillow (``pip install -e '.[tools]'``) and Noto Sans CJK (fonts-noto-cjk). Run once; the PNG is data.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples/units/heluo-normal/applications/luoyang-2026-1/figures/模块关系图.png"
MODULES = [("模块一", "训前诊断与任务驱动", "线上 8 学时"), ("模块二", "跟岗实践", "7 天 · 两批"),
           ("模块三", "名师送教", "7 次"), ("模块四", "训后转化与成果提炼", "3 个月")]
BLUE, LIGHT, GREY = (31, 78, 121), (222, 235, 247), (90, 90, 90)


def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "Noto Sans CJK SC:bold" if bold else "Noto Sans CJK SC"
    path = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True).stdout.strip()
    return ImageFont.truetype(path, size, index=2)  # index 2 = SC in the .ttc


def arrow(d: ImageDraw.ImageDraw, x0: int, y: int, x1: int) -> None:
    d.line([(x0, y), (x1 - 14, y)], fill=BLUE, width=5)
    d.polygon([(x1, y), (x1 - 18, y - 11), (x1 - 18, y + 11)], fill=BLUE)


def main() -> None:
    w, h = 1600, 510
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    title, head, body, small = font(True, 40), font(True, 30), font(False, 30), font(False, 26)
    d.text((w // 2, 50), "“训前诊断—跟岗浸润—送教实践—训后转化”模块关系", font=title, fill=BLUE, anchor="mm")
    box_w, box_h, gap, top = 320, 220, 60, 130
    left = (w - (4 * box_w + 3 * gap)) // 2
    for i, (no, name, time) in enumerate(MODULES):
        x = left + i * (box_w + gap)
        d.rounded_rectangle([x, top, x + box_w, top + box_h], radius=18, fill=LIGHT, outline=BLUE, width=4)
        d.rectangle([x + 2, top + 2, x + box_w - 2, top + 62], fill=BLUE)
        d.text((x + box_w // 2, top + 32), no, font=head, fill="white", anchor="mm")
        lines = [name] if len(name) <= 8 else [name[: len(name) // 2 + 1], name[len(name) // 2 + 1:]]
        for j, line in enumerate(lines):
            d.text((x + box_w // 2, top + 105 + j * 42), line, font=body, fill="black", anchor="mm")
        d.text((x + box_w // 2, top + box_h - 28), time, font=small, fill=GREY, anchor="mm")
        if i < 3:
            arrow(d, x + box_w + 4, top + box_h // 2, x + box_w + gap - 4)
    # feedback loop: outcomes of module four feed the next round's diagnosis
    y = top + box_h + 60
    x_first, x_last = left + box_w // 2, left + 3 * (box_w + gap) + box_w // 2
    d.line([(x_last, top + box_h), (x_last, y), (x_first, y), (x_first, top + box_h + 16)], fill=GREY, width=4)
    d.polygon([(x_first, top + box_h + 2), (x_first - 11, top + box_h + 20), (x_first + 11, top + box_h + 20)],
              fill=GREY)
    d.text((w // 2, y + 36), "问题清单贯穿始终：训后成果反馈下一轮训前诊断", font=small, fill=GREY, anchor="mm")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    img.save(OUT, optimize=True)
    print(OUT)


if __name__ == "__main__":
    main()
