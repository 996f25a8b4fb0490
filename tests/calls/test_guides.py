"""附件2 申报指南 of both Luoyang calls, printed from the call's data (per: call)."""

from __future__ import annotations

import pytest
from docx import Document

from tests.conftest import run

CASES = {
    "luoyang-2025-wangluo-yanxiu": ("洛阳市2025年“市培计划”网络研修项目", "（一）市直学校教师继续教育线上线下混合研修项目",
                                    "经费预算：20.16万元", "4.申报单位可以同时申报项目1和项目2"),
    "luoyang-2026-waichu-gengang": ("洛阳市2026年“市培计划”外出跟岗项目", "（二）义务教育新课程培训项目",
                                    "名家送教：学科名家的示范课、教学设计以及专题讲座。", "子项目1和2承担数量仅限1个"),
}


@pytest.mark.parametrize("call", sorted(CASES))
def test_guide_is_built_from_the_call(project, call):
    assert run(project, "build", "--call", call, "--no-pdf").exit_code == 0
    doc = Document(project / "build/calls" / call / "附件2-申报指南.docx")
    texts = [p.text for p in doc.paragraphs if p.text.strip()]
    title, sub, item, rule = CASES[call]
    assert texts[:3] == ["附件2", title, "申报指南"]
    assert sub in texts and item in texts
    assert any(rule in t for t in texts)
    assert texts[-1] == "3.相关解释权归洛阳市教育局。"
    assert texts.index("二、相关要求") < texts.index("三、其他事项")
    assert not any("{{" in t or "{%" in t for t in texts)
