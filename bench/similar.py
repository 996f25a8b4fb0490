"""Benchmark `docgen similar`: 300 generated 申报书 (docx), two of them with lifted paragraphs.

Each application has the six narrative sections of the 2026 call, about 6000 characters of
generated prose from a shared phrase bank (so independent texts share words and short phrases,
as real ones do). Application 7 lifts two paragraphs of application 123; application 200 copies
a paragraph of application 55 with its punctuation changed and a few characters replaced.
Prints the time to read and compare the folder and to write the reports, the peak memory, and
whether the planted pairs come first. Target: under 10 s on this machine.
Run: .venv/bin/python bench/similar.py [N]
"""

from __future__ import annotations

import io
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.similar.engine import Settings  # noqa: E402
from docgen.similar.folder import compare_folder  # noqa: E402
from docgen.similar.report import html_page, workbook_bytes  # noqa: E402

TARGET = 10.0
SECTIONS = ["目标定位", "需求分析", "内容设计", "考核评价", "特色与创新", "训后服务"]
PHRASES = ["新课程标准", "核心素养", "跟岗实践", "影子导师", "名师送教", "大单元教学", "情境化命题", "选课走班", "生涯规划", "校本教研", "课堂观察", "教学设计", "同课异构", "研修日志", "汇报课", "问题清单", "训前诊断", "训后跟踪", "工作坊", "成长档案", "学科教研员", "骨干教师", "班主任", "校级领导", "基地学校", "优质学校", "教育发达地区", "混合式研修", "线上研修", "线下集中", "专题讲座", "案例研讨", "任务驱动", "参与式培训", "过程性评价", "终结性评价", "满意度测评", "成果产出", "示范课", "课例资源", "信息化平台", "大数据", "学情分析", "作业设计", "分层教学", "跨学科学习", "项目式学习", "评价改革", "立德树人", "教师专业发展", "教学能力", "研修共同体", "区域教研", "集体备课", "听课评课", "教学反思", "教学改进", "育人方式", "新高考", "新教材", "义务教育", "高中学校", "乡村学校", "县域教研", "示范引领", "辐射带动", "常态实践", "成果转化"]
LINKS = ["围绕", "通过", "依托", "聚焦", "结合", "针对", "推动", "落实", "开展", "完善", "建立", "形成", "提升",
         "组织", "强化", "深化", "探索", "梳理", "总结", "引导"]
FILL = "的一是在了和有为这中以对把与及并使其各该由从向上下前后内外多少新老大小好高长近远两三四五六七八九十"


def sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(4, 7)):
        words.append(rng.choice(LINKS) + rng.choice(PHRASES) + "".join(rng.choice(FILL) for _ in range(rng.randint(1, 3))))
    return "，".join(words) + "。"


def paragraph(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(2, 3)))


def application(rng: random.Random) -> dict[str, list[str]]:
    return {s: [paragraph(rng) for _ in range(rng.randint(5, 7))] for s in SECTIONS}


def docx_bytes(skeleton: dict[str, bytes], title: str, sections: dict[str, list[str]]) -> bytes:
    paras = [title, "一、基本情况", "单位名称", title, "三、跟岗研修实施方案"]
    for name, texts in sections.items():
        paras.append(name)
        paras += texts
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(p)}</w:t></w:r></w:p>' for p in paras)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}</w:body></w:document>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in skeleton.items():
            z.writestr(name, document if name == "word/document.xml" else data)
    return out.getvalue()


def generate(folder: Path, count: int) -> None:
    from docx import Document
    buf = io.BytesIO()
    Document().save(buf)
    skeleton = {i.filename: zipfile.ZipFile(buf).read(i.filename) for i in zipfile.ZipFile(buf).infolist()}
    rng = random.Random(2026)
    apps = [application(rng) for _ in range(count)]
    # planted: 7 lifts two paragraphs of 123; 200 copies one of 55 with punctuation and characters changed
    apps[7]["需求分析"][2] = apps[123]["需求分析"][1]
    apps[7]["特色与创新"][0] = apps[123]["特色与创新"][3]
    changed = apps[55]["目标定位"][0].replace("，", ",").replace("。", ".")
    changed = changed[:20] + "甲" + changed[21:60] + "乙" + changed[61:]
    apps[200]["内容设计"][1] = changed
    for i, sections in enumerate(apps):
        (folder / f"{i:03d}-申报书.docx").write_bytes(docx_bytes(skeleton, f"申报单位{i:03d}", sections))


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory(prefix="docgen-bench-similar-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        generate(folder, count)
        print(f"生成 {count} 份申报书（docx）：{time.perf_counter() - t0:.1f} 秒（不计入）")
        import datasketch  # noqa: F401  (the import, ~1 s of scipy, is counted below separately)
        t1 = time.perf_counter()
        settings = Settings()
        result = compare_folder(folder, None, set(SECTIONS), [], settings)
        t2 = time.perf_counter()
        xlsx = workbook_bytes(result, settings)
        page = html_page(result, settings)
        t3 = time.perf_counter()
    total = t3 - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pairs = [(p.a[:3], p.b[:3]) for p in result.pairs]
    print(f"读取并比对：{t2 - t1:.2f} 秒；写清单和对照页：{t3 - t2:.2f} 秒（{len(xlsx) // 1024} KB + {len(page) // 1024} KB）")
    print(f"内存：进程峰值 {rss:.0f} MB（含生成测试文件）")
    print(f"找到 {len(result.pairs)} 对：{pairs[:5]}")
    planted = {("007", "123"), ("055", "200")}
    ok_found = set(pairs[:2]) == planted
    print(f"{'✓' if ok_found else '✗'} 植入的两对排在最前，且只有它们（{len(result.pairs)} 对）" if len(result.pairs) == 2
          else f"{'✓' if ok_found else '✗'} 植入的两对排在最前（共 {len(result.pairs)} 对）")
    print(f"{'✓' if total < TARGET else '✗'} {count} 份共 {total:.2f} 秒（目标 {TARGET:.0f} 秒以内）")


if __name__ == "__main__":
    main()
