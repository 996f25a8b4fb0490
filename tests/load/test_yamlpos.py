import pytest

from docgen.errors import InputError
from docgen.load.yamlpos import load_yaml_text


def test_scalars_stay_as_written():
    doc = load_yaml_text("a: NO\nb: 01234\nc: 471000\nd: '&<\"'\n", "t.yaml")
    assert doc.data == {"a": "NO", "b": "01234", "c": "471000", "d": '&<"'}


def test_positions_point_at_keys():
    doc = load_yaml_text("x:\n  - name: 甲\n    title: 教授\n", "t.yaml")
    loc = doc.positions.locate(("x", 0, "title"))
    assert (loc.file, loc.line, loc.column) == ("t.yaml", 3, 5)


def test_duplicate_key_is_an_error_with_both_lines():
    with pytest.raises(InputError) as exc:
        load_yaml_text("name: 甲\nage: 3\nname: 乙\n", "u.yaml")
    (d,) = exc.value.diagnostics
    assert d.code == "D104"
    assert (d.location.line, d.location.column) == (3, 1)
    assert "第一次在第 1 行" in d.message


def test_malformed_yaml_names_line():
    with pytest.raises(InputError) as exc:
        load_yaml_text("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    (d,) = exc.value.diagnostics
    assert d.code == "D101"
    assert d.location.file == "bad.yaml" and d.location.line is not None
    assert "YAML 格式错误" in d.message
