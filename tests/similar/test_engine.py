"""Copied passages are found through light edits; texts on the same theme written apart are not."""

from __future__ import annotations

from docgen.similar.engine import Section, Settings, compare
from docgen.similar.normalize import normalize

ORIGINAL = (
    "本项目以“新高考背景下的课堂转型与学校治理”为主题，面向洛阳市高中学校校级领导、学科教研员、学科骨干和班主任 220 人，"
    "通过“市外跟岗实践 7 天 + 名师送教 7 次”的混合式研修，帮助学员在真实的教育现场中理解新高考改革的内在逻辑，"
    "提升落实新课程、新教材、新高考的实践能力。\n\n"
    "具体目标包括：一是理念更新，学员能够准确把握“三新”改革要求，形成以学科核心素养为导向的教学观；"
    "二是能力提升，学员能够完成一份基于大单元的教学设计和一节公开研究课；三是成果产出，形成一批可推广的课例资源。")
OWN = ("我院多年承担市级和省级教师培训项目，积累了较为丰富的组织经验。今年我们把重点放在乡村学校，"
       "安排学员到城区学校蹲点学习，并请教研员全程跟进。\n\n")

# Two texts on one theme (新课标, 跟岗), written independently: they share words, not passages.
THEME_A = ("新课标颁布以后，很多老师不知道怎样把核心素养落到课堂上。跟岗学习让大家走进优质学校，和当地老师一起备课、"
           "上课、评课，体会真实课堂中的学习任务设计，回校后开展校本教研，把学到的做法用在自己的课堂里。")
THEME_B = ("围绕义务教育新课程标准的落地，我们组织教师赴外地跟岗，观摩名校课堂，参与教研活动。跟岗期间，"
           "每位教师都要记录听课笔记，并在导师指导下上一节汇报课，回到学校后再把跟岗经验分享给同事。")


def pair(a: str, b: str, **kw):
    return compare([Section("甲.docx", "目标定位", a, "甲.docx（目标定位）"),
                    Section("乙.docx", "目标定位", b, "乙.docx（目标定位）")], **kw)


def test_normalising_folds_width_punctuation_spaces_and_numbers():
    text = "２０２６年，洛阳市 220 人、1,000.5 元；ＡＢＣ “新课标”"
    n = normalize(text)
    assert n.text == "0年洛阳市0人0元abc新课标"
    # each normalised character maps back to its original span: one "0" stands for the whole number
    assert text[slice(*n.span(7, 8))] == "1,000.5"
    assert text[slice(*n.span(0, 2))] == "２０２６年"
    assert text[slice(*n.span(9, 15))] == "ＡＢＣ “新课标"


def test_a_paragraph_copied_with_its_punctuation_changed_is_found():
    copied = ORIGINAL.replace("，", ",").replace("。", ".").replace("“", '"').replace("”", '"').replace("；", ";")
    [m] = pair(ORIGINAL, OWN + copied)
    assert m.share_a > 0.95
    longest = m.longest
    assert m.quote_a(longest).startswith("本项目以“新高考背景下的课堂转型与学校治理”为主题")
    assert m.quote_b(longest).startswith('本项目以"新高考背景下的课堂转型与学校治理"为主题,')  # quoted as written


def test_a_copy_with_a_few_characters_replaced_is_found():
    edited = ORIGINAL.replace("洛阳市", "郑州市").replace("理解", "领会").replace("内在逻辑", "内在道理")
    [m] = pair(ORIGINAL, OWN + edited)
    assert m.share_a > 0.8
    assert any("具体目标包括" in m.quote_b(p) for p in m.passages)


def test_sentences_reordered_are_found():
    first, second = ORIGINAL.split("\n\n")
    sentences = second.split("；")
    reordered = "；".join([sentences[2], sentences[0], sentences[1]]) + "\n\n" + first
    [m] = pair(ORIGINAL, reordered)
    assert m.share_a > 0.9 and len(m.passages) >= 2


def test_two_texts_on_the_same_theme_written_apart_are_not_flagged():
    assert pair(THEME_A, THEME_B) == []
    assert pair(ORIGINAL, OWN + THEME_A) == []


def test_what_the_template_prints_is_not_a_finding():
    pledge = ("本单位承诺所填报的各项内容真实、准确、完整，如有虚假，愿意承担相应责任，并严格按照项目要求组织实施。")
    a, b = pledge + "\n\n" + THEME_A, pledge + "\n\n" + THEME_B
    assert pair(a, b) != []                           # without the template: the pledge is shared
    assert pair(a, b, boilerplate=[pledge]) == []     # with it: nothing left


def test_the_calls_minimum_passage_decides():
    shared = "学员能够准确把握三新改革要求，并形成以学科核心素养为导向、以真实问题解决为主线的课堂教学观。"  # 43 characters
    a, b = THEME_A + "\n\n" + shared, shared + "\n\n" + THEME_B
    [m] = pair(a, b, settings=Settings(min_passage=40))
    assert m.quote_a(m.longest) == shared[:-1] and m.longest.chars == 43
    assert pair(a, b, settings=Settings(min_passage=50)) == []


def test_sections_of_one_group_are_not_compared_and_against_texts_not_with_each_other():
    a = Section("甲.docx", "目标定位", ORIGINAL, "甲", group="u1")
    b = Section("乙.docx", "目标定位", ORIGINAL, "乙", group="u1")
    assert compare([a, b]) == []
    guide1 = Section("指南1.md", "申报指南", ORIGINAL, "g1", group="g")
    guide2 = Section("指南2.md", "申报指南", ORIGINAL, "g2", group="g2")
    assert compare([], [guide1, guide2]) == []
    assert [(m.a.doc, m.b.doc) for m in compare([a], [guide1])] == [("甲.docx", "指南1.md")]
