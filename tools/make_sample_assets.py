#!/usr/bin/env python3
"""(Re)generate the sample seal images and 佐证 attachment files of the demo units.

Everything produced here is clearly marked 样章 / 样本 and belongs to invented
institutions. The output is deterministic: same YAML in, same bytes out.

    .venv/bin/python tools/make_sample_assets.py [--data data] [--unit heluo-normal]

For every ``data/units/<id>/unit.yaml`` the script reads the unit with the
project's own loader and model, then writes

* ``seal.image`` — a 600×600 transparent PNG seal: red ring, five-pointed star,
  the unit name along the upper arc and “样章 （样本，非真实印章）” below;
* every ``attachments[].file`` — a PDF (A4; licences landscape; 绩效考评报告
  two pages) or, for ``.jpg``/``.png``, a photo-like 1240×1754 scan.
"""

from __future__ import annotations

import argparse
import math
import random
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.load.yamlpos import load_yaml  # noqa: E402
from docgen.models.unit import Attachment, Unit  # noqa: E402

SEAL_RED = (208, 2, 27)
rl_config.useA85 = 0  # binary streams: ASCII85 only makes the PDFs bigger
SEAL_SIZE = 600

LICENCE_KINDS = {"营业执照副本", "营业执照", "事业单位法人证书"}
REPORT_KINDS = {"绩效考评报告"}


# --------------------------------------------------------------------- fonts

def _fc_match(pattern: str) -> tuple[str, int] | None:
    try:
        out = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", pattern],
                             capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    family, _, out = out.partition("|")
    if pattern.lower() not in family.lower():
        return None  # fontconfig fell back to another family (e.g. DejaVu Sans, no CJK glyphs)
    file, _, index = out.partition("|")
    if not file or not Path(file).is_file():
        return None
    return file, int(index or 0)


def pil_font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont:
    """A CJK serif (宋体-like) font for Pillow; FreeType reads the Noto .ttc directly."""
    for pattern in ("Noto Serif CJK SC:bold" if bold else "Noto Serif CJK SC",
                    "Noto Sans CJK SC:bold", "FandolSong", "AR PL UMing CN"):
        found = _fc_match(pattern)
        if found:
            try:
                return ImageFont.truetype(found[0], size, index=found[1])
            except OSError:
                continue
    raise SystemExit("找不到中文字体：请安装 fonts-noto-cjk")


_PDF_FONT: str | None = None


def pdf_font() -> str:
    """Register and return an embeddable CJK font name for reportlab.

    reportlab only embeds TrueType outlines, so Noto CJK (.ttc with CFF outlines)
    is tried first and usually refused; AR PL UMing/UKai (TrueType .ttc) come next;
    the non-embedded CID font STSong-Light is the last resort.
    """
    global _PDF_FONT
    if _PDF_FONT:
        return _PDF_FONT
    for pattern in ("Noto Serif CJK SC", "AR PL UMing CN", "AR PL UKai CN"):
        found = _fc_match(pattern)
        if not found:
            continue
        try:
            pdfmetrics.registerFont(TTFont("SampleCJK", found[0], subfontIndex=found[1]))
            _PDF_FONT = "SampleCJK"
            return _PDF_FONT
        except Exception:
            continue
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _PDF_FONT = "STSong-Light"
    return _PDF_FONT


# ---------------------------------------------------------------------- seal

def _star(cx: float, cy: float, r_out: float, r_in: float) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(-90 + 36 * i)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def _glyph(ch: str, font: ImageFont.FreeTypeFont, width_scale: float) -> Image.Image:
    """One character on a transparent tile, squeezed horizontally like seal lettering."""
    size = font.size
    tile = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(tile).text((size, size), ch, font=font, fill=255, anchor="mm")
    tile = tile.crop(tile.getbbox() or (0, 0, 1, 1))
    w, h = tile.size
    return tile.resize((max(1, round(w * width_scale)), h), Image.LANCZOS)


def render_seal(name: str, grain: bool = True) -> Image.Image:
    """Return the seal as an RGBA image; *grain* adds a faint, deterministic ink texture."""
    # Draw at 2× and downsample for smooth edges.
    scale = 2
    n = SEAL_SIZE * scale
    c = n / 2
    mask = Image.new("L", (n, n), 0)
    d = ImageDraw.Draw(mask)

    ring_out, ring_w = 288 * scale, 17 * scale
    d.ellipse((c - ring_out, c - ring_out, c + ring_out, c + ring_out), outline=255, width=ring_w)
    d.polygon(_star(c, c - 8 * scale, 92 * scale, 36 * scale), fill=255)

    # The name along the upper arc, each character turned to face the centre.
    chars = list(name)
    count = len(chars)
    span = min(250.0, 40.0 + 15.0 * count)          # degrees of arc used by the text
    text_r = 218 * scale
    glyph_h = (78 if count <= 10 else 70 if count <= 14 else 62) * scale
    arc_per_char = 2 * math.pi * text_r * (span / 360) / max(count, 1)
    font = pil_font(glyph_h)
    width_scale = min(1.0, 0.92 * arc_per_char / glyph_h)
    for i, ch in enumerate(chars):
        theta = -span / 2 + span * (i + 0.5) / count  # 0° = top, clockwise positive
        glyph = _glyph(ch, font, width_scale).rotate(-theta, resample=Image.BICUBIC, expand=True)
        x = c + text_r * math.sin(math.radians(theta))
        y = c - text_r * math.cos(math.radians(theta))
        mask.paste(255, (round(x - glyph.width / 2), round(y - glyph.height / 2)), glyph)

    big = pil_font(60 * scale)
    d.text((c, c + 128 * scale), "样 章", font=big, fill=255, anchor="mm")
    small = pil_font(25 * scale)
    d.text((c, c + 196 * scale), "（样本，非真实印章）", font=small, fill=255, anchor="mm")

    alpha = mask.resize((SEAL_SIZE, SEAL_SIZE), Image.LANCZOS)
    if grain:
        # Slight ink unevenness so it reads as a stamp, not a vector logo.
        rng = random.Random(zlib.crc32(name.encode()))
        texture = Image.frombytes("L", (75, 75), bytes(rng.randrange(205, 256) for _ in range(75 * 75)))
        alpha = ImageChops.multiply(alpha, texture.resize((SEAL_SIZE, SEAL_SIZE), Image.BILINEAR))
    img = Image.new("RGBA", (SEAL_SIZE, SEAL_SIZE), SEAL_RED + (0,))
    img.putalpha(alpha)
    return img


def draw_seal(name: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    render_seal(name).save(path, optimize=True)


# -------------------------------------------------------------- document data

def _masked_id(seed: str, area: str) -> str:
    rng = random.Random(zlib.crc32(seed.encode()))
    return f"{area}**********{rng.randrange(1000, 9999)}"


def _facts(unit: Unit) -> dict[str, str]:
    from types import SimpleNamespace

    # A bureau keeps no 项目执行部门: its head signs for itself.
    dept = unit.department or SimpleNamespace(name=unit.name, head=unit.leader)
    is_company = unit.kind == "培训机构"
    area = "4101" if unit.credit_code[2:6] == "4101" else "4103"
    return {
        "name": unit.name,
        "code": unit.credit_code,
        "leader": unit.leader.name,
        "leader_pos": unit.leader.position,
        "address": unit.address,
        "dept": dept.name,
        "agent": dept.head.name,
        "agent_pos": dept.head.position,
        "agent_mobile": dept.head.mobile,
        "agent_id": _masked_id(dept.head.name, area),
        "leader_id": _masked_id(unit.leader.name, area),
        "type": "有限责任公司（自然人投资或控股）" if is_company else "事业单位",
        "capital": "伍佰万圆整" if is_company else "",
        "funds": "" if is_company else "8600 万元",
        "founded": "2018年06月12日" if is_company else "1978年09月01日",
        "scope": ("教育咨询服务（不含涉许可审批的教育培训活动）；教师培训；会议及展览服务；"
                  "信息技术咨询服务；软件开发；组织文化艺术交流活动。"
                  if is_company else
                  "培养高等学历人才，促进教育事业发展。本科学历教育；研究生学历教育；"
                  "继续教育；中小学教师培训；科学研究；社会服务。"),
        "authority": "郑州市市场监督管理局" if is_company else "河南省事业单位登记管理局",
    }


# ------------------------------------------------------------------ PDF parts

def _diagonal_mark(c: canvas.Canvas, w: float, h: float, font: str, text: str = "样本") -> None:
    c.saveState()
    c.setFillColor(Color(0.82, 0.05, 0.1, alpha=0.16))
    c.translate(w / 2, h / 2)
    c.rotate(math.degrees(math.atan2(h, w)))
    c.setFont(font, min(w, h) * 0.28)
    c.drawCentredString(0, -min(w, h) * 0.09, text)
    c.restoreState()
    c.saveState()
    c.setFillColor(HexColor("#b00018"))
    c.setFont(font, 9)
    c.drawCentredString(w / 2, 22, "样本 · 单位与信息均为虚构 · 仅供 docgen 演示")
    c.restoreState()


def _border(c: canvas.Canvas, w: float, h: float, margin: float = 28) -> None:
    c.saveState()
    c.setStrokeColor(HexColor("#8a6d3b"))
    c.setLineWidth(3)
    c.rect(margin, margin, w - 2 * margin, h - 2 * margin)
    c.setLineWidth(0.8)
    c.rect(margin + 6, margin + 6, w - 2 * margin - 12, h - 2 * margin - 12)
    c.restoreState()


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    if line:
        lines.append(line)
    return lines


def _paragraphs(c: canvas.Canvas, font: str, size: float, x: float, y: float, width: float,
                paras: list[str], leading: float | None = None, indent: bool = True) -> float:
    leading = leading or size * 1.8
    c.setFont(font, size)
    for para in paras:
        text = ("\u3000\u3000" if indent else "") + para
        for line in _wrap(text, font, size, width):
            c.drawString(x, y, line)
            y -= leading
        y -= size * 0.4
    return y


def _seal_on_pdf(c: canvas.Canvas, seal: Image.Image | None, x: float, y: float, d: float = 120) -> None:
    if seal is not None:
        from reportlab.lib.utils import ImageReader
        # ~130 dpi is plenty for a stamp and keeps the PDF small.
        px = max(64, round(d / 72 * 130))
        c.drawImage(ImageReader(seal.resize((px, px), Image.LANCZOS)), x - d / 2, y - d / 2, d, d,
                    mask="auto")


def _new_canvas(path: Path, size) -> canvas.Canvas:
    path.parent.mkdir(parents=True, exist_ok=True)
    c = canvas.Canvas(str(path), pagesize=size, invariant=1, pageCompression=1)
    c.setAuthor("docgen sample generator")
    c.setCreator("tools/make_sample_assets.py")
    return c


def pdf_licence(path: Path, att: Attachment, f: dict, seal: Image.Image | None) -> None:
    """营业执照副本 / 事业单位法人证书（副本）: landscape certificate."""
    font = pdf_font()
    w, h = landscape(A4)
    c = _new_canvas(path, (w, h))
    c.setTitle(att.title)
    c.setFillColor(HexColor("#fffaf0"))
    c.rect(0, 0, w, h, stroke=0, fill=1)
    _border(c, w, h)
    c.setFillColor(HexColor("#000000"))
    is_company = "营业执照副本" in att.kinds
    title = "营 业 执 照" if is_company else "事业单位法人证书"
    c.setFont(font, 34)
    c.drawCentredString(w / 2, h - 100, title)
    c.setFont(font, 15)
    c.drawCentredString(w / 2, h - 126, "（副　本）")
    c.setFont(font, 11)
    c.drawString(60, h - 80, f"统一社会信用代码　{f['code']}")
    c.drawRightString(w - 60, h - 80, "副本编号：1-1")
    rows = ([("名　　称", f["name"]), ("类　　型", f["type"]), ("法定代表人", f["leader"]),
             ("注册资本", f["capital"]), ("成立日期", f["founded"]), ("住　　所", f["address"]),
             ("经营范围", f["scope"])]
            if is_company else
            [("名　　称", f["name"]), ("宗旨和业务范围", f["scope"]), ("住　　所", f["address"]),
             ("法定代表人", f["leader"]), ("开办资金", f["funds"]), ("经费来源", "财政补助"),
             ("举办单位", "河南省教育厅"), ("有效期", "自2024年01月01日至2028年12月31日")])
    y = h - 170
    label_x, value_x, value_w = 90, 220, w - 220 - 230
    for label, value in rows:
        c.setFont(font, 13)
        c.drawString(label_x, y, label)
        lines = _wrap(value, font, 13, value_w)
        for line in lines:
            c.drawString(value_x, y, line)
            y -= 22
        y -= 8
    # QR-code-like placeholder box and the issuing authority
    c.setStrokeColor(HexColor("#555555"))
    c.rect(w - 190, h - 250, 100, 100)
    c.setFont(font, 8)
    c.drawCentredString(w - 140, h - 205, "（二维码位置）")
    c.setFont(font, 13)
    c.drawCentredString(w - 150, 120, "登记机关")
    c.drawCentredString(w - 150, 98, f["authority"])
    c.drawCentredString(w - 150, 76, "2024年01月15日")
    _seal_on_pdf(c, seal, w - 330, 110, 110)  # 复印件加盖本单位公章
    _diagonal_mark(c, w, h, font)
    c.showPage()
    c.save()


def _cn_date(att: Attachment) -> str:
    """The date written on a letter: the attachment's declared date (2026-05-12 when none)."""
    d = att.date
    return f"{d.year}年{d.month}月{d.day}日" if d else "2026年5月12日"


def _project(att: Attachment) -> str:
    """The project a 授权书 authorises: the project_title of the call it is declared for."""
    call = att.call
    if call is None and att.application:
        call = {"luoyang-2025": "luoyang-2025-wangluo-yanxiu"}.get(att.application.rsplit("-", 1)[0])
    path = ROOT / "samples" / "calls" / (call or "luoyang-2026-waichu-gengang") / "call.yaml"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("project_title:"):
                return line.split(":", 1)[1].strip()
    return "洛阳市2026年“市培计划”外出跟岗项目"


def _letter_text(att: Attachment, f: dict) -> tuple[str, list[str], list[str]]:
    """Return the title, paragraphs and signature lines of a one-page letter."""
    kinds = att.kinds
    issued = _cn_date(att)
    if "法定代表人授权书" in kinds:
        title = "法定代表人授权书"
        paras = [
            "洛阳市教育局：",
            f"本人{f['leader']}，系{f['name']}的法定代表人，现授权{f['agent']}（{f['agent_pos']}，"
            f"身份证号码 {f['agent_id']}）为我单位的合法代理人，以本单位名义参加{_project(att)}"
            "承担单位遴选的申报工作，并负责项目申报书及相关材料的签署、提交、澄清和说明等事宜。",
            "代理人在授权范围内所签署的一切文件和处理的相关事务，本单位均予以承认。代理人无转委托权。",
            "授权期限：自本授权书签署之日起至本次遴选及项目实施工作结束之日止。",
        ]
        sign = [f"法定代表人（签字）：{f['leader']}", f"被授权人（签字）：{f['agent']}",
                f"单位名称（盖章）：{f['name']}", f"日　　期：{issued}"]
    elif "法定代表人证明" in kinds:
        title = "法定代表人身份证明书"
        paras = [
            f"单位名称：{f['name']}",
            f"单位性质：{f['type']}",
            f"统一社会信用代码：{f['code']}",
            f"地　　址：{f['address']}",
            f"兹证明 {f['leader']}（身份证号码 {f['leader_id']}）在我单位任{f['leader_pos']}职务，"
            f"系{f['name']}的法定代表人。",
            "特此证明。",
        ]
        sign = [f"单位名称（盖章）：{f['name']}", f"日　　期：{issued}"]
    else:
        title = att.title
        paras = [f"{f['name']}（统一社会信用代码 {f['code']}）提供的“{att.title}”样本文件。"]
        sign = [f"单位名称（盖章）：{f['name']}", f"日　　期：{issued}"]
    return title, paras, sign


def pdf_letter(path: Path, att: Attachment, f: dict, seal: Image.Image | None) -> None:
    """法定代表人证明 / 法定代表人授权书 / other one-page letters, portrait."""
    font = pdf_font()
    w, h = A4
    c = _new_canvas(path, A4)
    c.setTitle(att.title)
    _border(c, w, h, 36)
    title, paras, sign = _letter_text(att, f)
    c.setFont(font, 24)
    c.drawCentredString(w / 2, h - 110, title)
    y = _paragraphs(c, font, 13, 80, h - 170, w - 160, paras[:1], indent=False)
    y = _paragraphs(c, font, 13, 80, y, w - 160, paras[1:], indent=True)
    y -= 40
    c.setFont(font, 13)
    for line in sign:
        c.drawString(w / 2 - 40, y, line)
        y -= 30
    _seal_on_pdf(c, seal, w / 2 + 120, y + 70, 120)
    _diagonal_mark(c, w, h, font)
    c.showPage()
    c.save()


def _report_subject(att: Attachment, unit: Unit) -> tuple[str, str]:
    """Pick the past project a 绩效考评报告 is about (by year and level named in its title)."""
    text = att.title + " " + att.file
    best = None
    for p in unit.experience:
        score = (str(p.start.year) in text) * 2 + (p.level in text) * 1
        if best is None or score > best[0]:
            best = (score, p)
    p = best[1]
    client = p.client or "委托单位"
    return p.name, client


def pdf_report(path: Path, att: Attachment, f: dict, unit: Unit, seal: Path | None) -> None:
    """绩效考评报告: two portrait pages issued by the client."""
    font = pdf_font()
    w, h = A4
    project = next(p for p in unit.experience if p.name == _report_subject(att, unit)[0])
    client = project.client or "委托单位"
    c = _new_canvas(path, A4)
    c.setTitle(att.title)
    # page 1
    _border(c, w, h, 36)
    c.setFont(font, 20)
    c.drawCentredString(w / 2, h - 100, "项目绩效考评报告")
    c.setFont(font, 11)
    c.drawCentredString(w / 2, h - 124, f"{client}　{project.end.year}年{project.end.month}月")
    paras = [
        f"根据项目管理有关规定，{client}组织专家对{f['name']}承担的{project.name}"
        "进行了绩效考评。考评采用查阅资料、学员匿名测评、现场访谈和成果抽检相结合的方式进行。",
        f"一、项目基本情况。项目实施时间为{project.start.year}年{project.start.month}月{project.start.day}日至"
        f"{project.end.year}年{project.end.month}月{project.end.day}日，培训对象为{project.audience}，"
        f"计划培训 {project.trainees} 人，实际参训 {project.trainees} 人，培训时长{project.duration}。",
        "二、实施过程。承担单位组建了专门的项目管理团队，训前开展了需求调研，课程设置与培训目标匹配度高；"
        "训中实行班主任全程跟班管理，过程性资料齐全；训后按计划开展了跟踪指导。",
        "三、培训成效。学员总体满意度为 96.8%，课程满意度为 95.2%，专家满意度为 97.1%；"
        "学员提交研修作业合格率 100%，形成优秀课例和典型案例若干。",
    ]
    _paragraphs(c, font, 12, 72, h - 170, w - 144, paras)
    # score table
    y = 250
    c.setFont(font, 12)
    c.drawString(72, y + 36, "表 1　绩效考评得分")
    items = [("项目管理", 20, 19), ("课程与师资", 30, 28.5), ("培训实施", 25, 24), ("培训成效", 25, 23.5)]
    c.setLineWidth(0.6)
    col = [72, 260, 380, w - 72]
    rows_y = [y + 20 - 24 * i for i in range(len(items) + 3)]
    for ry in rows_y:
        c.line(col[0], ry, col[-1], ry)
    for cx in col:
        c.line(cx, rows_y[0], cx, rows_y[-1])
    header = ("考评维度", "分值", "得分")
    for i, text in enumerate(header):
        c.drawCentredString((col[i] + col[i + 1]) / 2, rows_y[0] - 17, text)
    for r, (name, full, got) in enumerate(items, start=1):
        for i, text in enumerate((name, str(full), f"{got:g}")):
            c.drawCentredString((col[i] + col[i + 1]) / 2, rows_y[r] - 17, text)
    total = sum(x[2] for x in items)
    for i, text in enumerate(("合计", "100", f"{total:g}")):
        c.drawCentredString((col[i] + col[i + 1]) / 2, rows_y[len(items) + 1] - 17, text)
    c.setFont(font, 10)
    c.drawCentredString(w / 2, 48, "第 1 页　共 2 页")
    _diagonal_mark(c, w, h, font)
    c.showPage()
    # page 2
    _border(c, w, h, 36)
    paras = [
        f"四、考评结论。经综合评定，该项目绩效考评得分 {total:g} 分，考评等次为“优秀”。"
        f"{f['name']}项目组织规范，培训质量较高，社会反响良好。",
        "五、改进建议。进一步加强训后跟踪指导的系统设计，丰富成果转化形式；"
        "加强与参训学员所在学校的协同，推动培训成果在校本研修中的应用。",
        "特此报告。",
    ]
    y = _paragraphs(c, font, 12, 72, h - 110, w - 144, paras)
    c.setFont(font, 13)
    c.drawString(w / 2, y - 60, f"考评单位：{client}")
    c.drawString(w / 2, y - 90, f"日　　期：{project.end.year}年12月20日")
    c.setFont(font, 10)
    c.drawCentredString(w / 2, 48, "第 2 页　共 2 页")
    _diagonal_mark(c, w, h, font)
    c.showPage()
    c.save()


# ------------------------------------------------------------------ JPG scan

def image_scan(path: Path, att: Attachment, f: dict, seal: Path | None) -> None:
    """A photo-like 1240×1754 (A4 at 150 dpi) scan: grey paper, slight tilt, text and seal."""
    rng = random.Random(zlib.crc32((f["name"] + att.title).encode()))
    W, H = 1240, 1754
    noise = Image.frombytes("L", (124, 176), bytes(rng.randrange(228, 246) for _ in range(124 * 176)))
    page = noise.resize((W, H), Image.BICUBIC).convert("RGB")
    d = ImageDraw.Draw(page)
    ink = (38, 38, 42)
    title_font, body, small = pil_font(56), pil_font(34, bold=False), pil_font(26, bold=False)
    d.rectangle((70, 70, W - 70, H - 70), outline=(90, 90, 90), width=3)
    if "被授权人身份证明" in att.kinds:
        d.text((W / 2, 190), "被授权人身份证明", font=title_font, fill=ink, anchor="mm")
        # ID card front and back as drawn boxes (no real card reproduced)
        for top, label in ((300, "居民身份证（正面）复印件"), (800, "居民身份证（背面）复印件")):
            d.rounded_rectangle((220, top, W - 220, top + 430), radius=28, outline=(70, 70, 70),
                                width=3, fill=(236, 238, 240))
            d.text((250, top + 24), label, font=small, fill=(90, 90, 90))
        lines = [("姓　　名", f["agent"]), ("职　　务", f["agent_pos"]),
                 ("公民身份号码", f["agent_id"]), ("联系电话", f["agent_mobile"])]
        y = 380
        for k, v in lines:
            d.text((270, y), f"{k}：{v}", font=body, fill=ink)
            y += 70
        d.rectangle((W - 480, 360, W - 270, 620), outline=(120, 120, 120), width=2)
        d.text((W - 375, 490), "照片", font=small, fill=(140, 140, 140), anchor="mm")
        d.text((260, 880), "签发机关：（样本）公安局", font=body, fill=ink)
        d.text((260, 950), "有效期限：2021.03.08-2041.03.08", font=body, fill=ink)
        d.text((W / 2, 1320), f"此复印件仅用于{f['name']}申报项目使用", font=small, fill=ink, anchor="mm")
        d.text((W / 2, 1380), "经办人：" + f["agent"] + "　　" + _cn_date(att), font=small, fill=ink, anchor="mm")
    elif set(att.kinds) & {"法定代表人授权书", "法定代表人证明"}:  # a signed letter, scanned
        title, paras, sign = _letter_text(att, f)
        d.text((W / 2, 190), title, font=title_font, fill=ink, anchor="mm")
        y = 300
        for k, para in enumerate(paras):
            line, width = ("" if k == 0 else "　　"), W - 300
            for ch in para:
                if d.textlength(line + ch, font=body) > width:
                    d.text((150, y), line, font=body, fill=ink)
                    y, line = y + 56, ""
                line += ch
            d.text((150, y), line, font=body, fill=ink)
            y += 72
        y += 40
        for line in sign:
            d.text((W / 2 - 80, y), line, font=body, fill=ink)
            y += 60
    else:
        d.text((W / 2, 190), att.title, font=title_font, fill=ink, anchor="mm")
        d.text((150, 320), f"单位名称：{f['name']}", font=body, fill=ink)
        d.text((150, 390), f"统一社会信用代码：{f['code']}", font=body, fill=ink)
    if seal and seal.is_file():
        stamp = Image.open(seal).resize((330, 330), Image.LANCZOS).rotate(-7, resample=Image.BICUBIC)
        page.paste(stamp, (W - 560, 1180), stamp)
    # big 样本 mark
    mark = Image.new("L", (W, H), 0)
    ImageDraw.Draw(mark).text((W / 2, H / 2), "样 本", font=pil_font(300), fill=70, anchor="mm")
    mark = mark.rotate(35, resample=Image.BICUBIC)
    page.paste((200, 20, 30), (0, 0), mark)
    page = page.rotate(-0.8, resample=Image.BICUBIC, fillcolor=(60, 60, 60)).filter(ImageFilter.GaussianBlur(0.6))
    path.parent.mkdir(parents=True, exist_ok=True)
    page.save(path, "JPEG", quality=72, optimize=True)


# ---------------------------------------------------------------------- main

def make_unit(unit_dir: Path, only_missing: bool = False) -> list[Path]:
    doc = load_yaml(unit_dir / "unit.yaml")
    unit = Unit.model_validate(doc.data)
    written: list[Path] = []
    seal_path = unit_dir / unit.seal.image if unit.seal else None
    if seal_path and not (only_missing and seal_path.exists()):
        draw_seal(unit.name, seal_path)
        written.append(seal_path)
    f = _facts(unit)
    # PDFs get a grain-free copy of the seal (compresses far better); the JPG scan uses the file.
    pdf_seal = render_seal(unit.name, grain=False) if unit.seal else None
    for att in unit.attachments:
        out = unit_dir / att.file
        if only_missing and out.exists():
            continue
        kinds = set(att.kinds)
        if out.suffix.lower() in {".jpg", ".jpeg", ".png"}:
            image_scan(out, att, f, seal_path)
        elif kinds & LICENCE_KINDS:
            pdf_licence(out, att, f, pdf_seal)
        elif kinds & REPORT_KINDS:
            pdf_report(out, att, f, unit, None)
        else:
            pdf_letter(out, att, f, pdf_seal)
        written.append(out)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=ROOT / "samples")
    ap.add_argument("--unit", help="only this unit folder name")
    ap.add_argument("--only-missing", action="store_true", help="write only files that do not exist yet")
    args = ap.parse_args(argv)
    for unit_yaml in sorted((args.data / "units").glob("*/unit.yaml")):
        if args.unit and unit_yaml.parent.name != args.unit:
            continue
        for path in make_unit(unit_yaml.parent, args.only_missing):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
