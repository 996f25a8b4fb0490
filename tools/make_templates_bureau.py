"""Draw the bureau's Word template for the 评审结果公示 list (docgen score tally).

Run once; staff then edit templates/docx/bureau/评审结果公示.docx in Word/WPS
(wording, 公示期, fonts) without touching Python.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from docx.shared import Pt
from docxkit import (
    CENTER,
    OUT_ROOT,
    RIGHT,
    SIZES,
    add_row,
    grid_table,
    new_document,
    para,
    repeat_header,
    save_new,
)

ROOT = Path(__file__).resolve().parent.parent
OUT = OUT_ROOT / "templates/docx/bureau"


def gongshi() -> None:
    doc = new_document(margins=(3.7, 3.5, 2.8, 2.6))
    doc.styles["表格文字"].font.size = Pt(SIZES["四号"])
    para(doc, "{{ call.project_title }}遴选评审结果公示", style="Title", align=CENTER, space_after=18)
    para(doc, "根据《{{ call.title }}》，经专家综合评审（{{ reviewers }} 位评委，评审得分为去掉 1 个最高分和 "
              "1 个最低分后的平均分，四舍五入保留两位小数），现将评审结果公示如下：", style="正文首行缩进", size="三号")
    para(doc, "{%p for g in groups %}")
    para(doc, "{{ g.sub.display_no }}  {{ g.sub.name }}", size="三号", east="黑体", space_before=12, space_after=6)
    t = grid_table(doc, [2.4, 9.2, 3.4])
    add_row(t, ["排名", "申报单位", "评审得分"], header=True)
    repeat_header(t.rows[-1])
    add_row(t, [("{%tr for r in g.rows %}", 3)])
    add_row(t, ["{{ r.rank }}", "{{ r.unit }}", "{{ r.score }}"])
    add_row(t, [("{%tr endfor %}", 3)])
    para(doc, "{%p endfor %}")
    para(doc, "公示期为 5 个工作日。公示期内如有异议，请向{{ call.issuer }}反映"
              "{% if call.contact %}（联系人：{{ call.contact.name }}，联系电话：{{ call.contact.phone }}）{% endif %}。",
         style="正文首行缩进", size="三号", space_before=12)
    para(doc, "{{ call.issuer }}", align=RIGHT, size="三号", space_before=24)
    para(doc, "　　年　　月　　日", align=RIGHT, size="三号")
    OUT.mkdir(parents=True, exist_ok=True)
    save_new(doc, OUT / "评审结果公示.docx")


if __name__ == "__main__":
    gongshi()
    print("templates written")
