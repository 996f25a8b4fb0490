"""YAML is composed by libyaml when it can (15 times faster) and by ruamel otherwise: the data, the
positions and the error messages are the same either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import InputError
from docgen.load import yamlpos

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "samples").rglob("*.yaml"))


def both(text: str, monkeypatch):
    fast = yamlpos.load_yaml_text(text, "a.yaml")
    with monkeypatch.context() as m:
        m.setattr(yamlpos, "_compose_libyaml", lambda text: None)
        slow = yamlpos.load_yaml_text(text, "a.yaml")
    return fast, slow


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sample_file_gives_the_same_data_and_positions(path, monkeypatch):
    assert yamlpos._compose_libyaml(path.read_text(encoding="utf-8-sig")) is not None  # the fast path is used
    fast, slow = both(path.read_text(encoding="utf-8-sig"), monkeypatch)
    assert fast.data == slow.data
    assert fast.positions.marks == slow.positions.marks


def test_nulls_quotes_folded_prose_and_chinese_columns(monkeypatch):
    text = ("name: 河洛师范学院  # 注释\nempty:\ntilde: ~\nquoted: ''\nnull_word: 'null'\n"
            "prose: >\n  第一句。\n  第二句。\nitems:\n  - 甲\n  - {名称: 乙, 数: 2}\n")
    fast, slow = both(text, monkeypatch)
    assert fast.data == slow.data == {
        "name": "河洛师范学院", "empty": None, "tilde": None, "quoted": "", "null_word": "null",
        "prose": "第一句。\n第二句。\n", "items": ["甲", {"名称": "乙", "数": "2"}]}
    assert fast.positions.marks == slow.positions.marks
    assert fast.positions.marks[("items", 1, "名称")] == (11, 6)


def test_a_line_separator_inside_a_value_is_read_as_yaml_1_2_reads_it(monkeypatch):
    text = "a: 第一行\u2028仍是同一行\nb: 2\n"
    assert yamlpos._compose_libyaml(text) is None  # YAML 1.1 would break the line there
    fast, slow = both(text, monkeypatch)
    assert fast.data == slow.data == {"a": "第一行\u2028仍是同一行", "b": "2"}


@pytest.mark.parametrize("text, code, line", [
    ("a: 1\n\tb: 2\n", "D101", 2),
    ("a: [1, 2\nb: 3\n", "D101", None),
    ("a: 1\na: 2\n", "D104", 2),
    ("<<: {a: 1}\n", "D135", 1),
])
def test_errors_are_worded_and_placed_as_before(text, code, line, monkeypatch):
    with pytest.raises(InputError) as fast:
        yamlpos.load_yaml_text(text, "a.yaml")
    with monkeypatch.context() as m, pytest.raises(InputError) as slow:
        m.setattr(yamlpos, "_compose_libyaml", lambda text: None)
        yamlpos.load_yaml_text(text, "a.yaml")
    assert [d.format() for d in fast.value.diagnostics] == [d.format() for d in slow.value.diagnostics]
    first = fast.value.diagnostics[0]
    assert first.code == code and "YAML" in first.message or code != "D101"
    if line is not None:
        assert first.location.line == line
