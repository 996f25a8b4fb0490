"""An Excel template cell that fails while rendering gets the code of its kind (catalog: one meaning each)."""

from __future__ import annotations

import pytest

from docgen.errors.catalog import CATALOG
from docgen.render.xlsx import _render_cell


@pytest.mark.parametrize(("text", "code"), [
    ("{{ nope.name }}", "T402"),                       # a variable the data does not have
    ("{{ unit.name ", "T401"),                          # unclosed tag: syntax
    ("{{ unit.__class__.__mro__ }}", "T403"),           # the sandbox forbids it
])
def test_a_failing_cell_is_named_with_the_code_of_its_kind(text, code):
    problems = []
    out = _render_cell(text, {"unit": {"name": "甲"}}, "汇总表.xlsx", "Sheet1", "B3", problems)
    assert out == text
    (d,) = problems
    assert d.code == code and str(d.location) == "汇总表.xlsx[Sheet1]!B3"
    assert d.message.startswith("模板单元格出错：") and d.hint == CATALOG[code].hint
