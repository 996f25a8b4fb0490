"""count_words: Word/WPS 字数 on mixed Chinese/Latin samples."""

import pytest

from docgen.text import count_words


@pytest.mark.parametrize("text,expected", [
    ("", 0),
    (None, 0),
    ("教师培训", 4),
    ("教师培训。", 5),
    ("“国培计划”", 6),
    ("2025年DeepSeek培训，覆盖 3000 人。", 11),
    ("AI-based learning", 2),
    ("比例不低于1:5，占30%以上", 11),
    ("经费20.16万元", 5),
    ("第一段\n\n第二段", 6),
    ("全角　空格", 4),
    ("（一）目标：", 6),
    ("ＡＢ", 2),
    ("《教育强国建设规划纲要（2024－2035年）》", 18),
    ("𠀀字", 2),
])
def test_count_words(text, expected):
    assert count_words(text) == expected
