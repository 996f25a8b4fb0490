"""字数 as Word/WPS count it, on mixed Chinese and Latin samples."""

import pytest

from docgen.text import count_words


@pytest.mark.parametrize("text, expected", [
    ("", 0),
    ("   \n\t\u3000", 0),
    ("国培计划", 4),
    ("“国培计划（2023）”", 9),           # 4 Han + 2023 + “ （ ） ”
    ("AI 赋能 2.0 版", 5),                 # AI, 赋, 能, 2.0, 版
    ("人工智能与教师培训融合。", 12),       # 11 Han + 。
    ("使用ChatGPT和WPS备课", 7),          # 使 用 ChatGPT 和 WPS 备 课
    ("e-mail：hnjs@vip.163.com", 3),      # e-mail, ：, address
    ("结业率98.7%，满意度 99%", 9),         # 结业率(3) 98.7%(1) ，(1) 满意度(3) 99%(1)
    ("——", 2),
    ("Hello world", 2),
    ("第1期第2批", 6),                      # 第 1 期 第 2 批
])
def test_count_words_samples(text, expected):
    assert count_words(text) == expected


def test_long_mixed_paragraph_adds_up():
    han = "教师培训" * 250            # 1000
    latin = " ".join(["MOOC"] * 100)  # 100 runs
    marks = "，。" * 50               # 100
    assert count_words(han + " " + latin + " " + marks) == 1200
