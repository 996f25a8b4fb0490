"""A synthetic unit.yaml with many experts (issue 18: 18,758 experts, 4 MB), for the test and bench/big_unit.py."""

from __future__ import annotations

from pathlib import Path

TITLES = ("教授", "副教授", "高级教师", "一级教师", "正高级教师", "中级")
BLOCK = """  - name: 专家{i}
    position: 教研员
    title: {title}
    subject: 教育学
    major: 课程与教学论
    org: 河洛师范学院
    expertise: 教师专业发展与校本研修
    frontline: 否
    own: {own}
"""


def add_experts(unit_yaml: Path, n: int) -> int:
    """Insert *n* experts at the head of the unit's expert list; return the file's size in bytes."""
    text = unit_yaml.read_text(encoding="utf-8")
    extra = "".join(BLOCK.format(i=i, title=TITLES[i % len(TITLES)], own="是" if i % 3 else "否") for i in range(n))
    assert "experts:\n" in text
    unit_yaml.write_text(text.replace("experts:\n", "experts:\n" + extra, 1), encoding="utf-8")
    return unit_yaml.stat().st_size
