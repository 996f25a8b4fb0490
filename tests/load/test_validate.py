"""load_model: one path from a YAML file to a validated model, every problem recorded at its place."""

from pathlib import Path

import pytest
from pydantic import Field

from docgen.errors import Collector
from docgen.load.validate import load_model, validate_into
from docgen.load.yamlpos import load_yaml
from docgen.models.common import Model, Phone


class Contact(Model):
    name: str = Field(title="姓名")
    phone: Phone = Field(title="联系电话")
    count: int = Field(title="人数")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # files are shown relative to the working directory
    return tmp_path


def write(folder: Path, text: str, name: str = "t.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def places(problems) -> list[tuple[str, str, str | None]]:
    return [(d.code, str(d.location), d.field) for d in problems]


def test_a_valid_file_gives_the_model_and_its_positions(folder):
    collector = Collector()
    loaded = load_model(write(folder, "name: 甲\nphone: 0379-62211339\ncount: 3\n"), Contact, collector)
    assert loaded is not None and collector.diagnostics == []
    assert (loaded.model.name, loaded.model.phone, loaded.model.count) == ("甲", "0379-62211339", 3)
    assert str(loaded.positions.locate(("count",))) == "t.yaml:3:1"  # positions point at keys
    assert loaded.doc.data["count"] == "3"  # the document as written


def test_bad_yaml_is_one_d101_at_its_line(folder):
    collector = Collector()
    assert load_model(write(folder, "name: 甲\ncount: [1, 2\nphone: x\n"), Contact, collector) is None
    (d,) = collector.diagnostics
    assert d.code == "D101" and d.severity == "error"
    assert (d.location.file, d.location.line) == ("t.yaml", 3)
    assert d.message.startswith("YAML 格式错误：")


def test_duplicate_key_is_reported_not_validated(folder):
    collector = Collector()
    assert load_model(write(folder, "name: 甲\ncount: 1\nname: 乙\n"), Contact, collector) is None
    assert places(collector.diagnostics) == [("D104", "t.yaml:3:1", "name")]


def test_wrong_types_unknown_and_missing_fields_each_at_their_place(folder):
    problems: list = []  # a plain list serves as well as a Collector
    text = "count: 十\nphone: 12\nnmae: 甲\n"
    assert load_model(write(folder, text), Contact, problems) is None
    assert places(problems) == [
        ("D102", "t.yaml:1:1", "name（姓名）"),
        ("D103", "t.yaml:2:1", "phone（联系电话）"),
        ("D103", "t.yaml:1:1", "count（人数）"),
        ("D105", "t.yaml:3:1", "nmae"),
    ]
    assert [d.message for d in problems] == [
        "缺少必填字段",
        "电话“12”不正确：固定电话写作“区号-号码”（如 0379-62211339），或写 11 位手机号",
        "应为整数，这里是“十”",
        "未知字段（可能拼写错误）",
    ]


def test_a_list_instead_of_fields_is_d137_at_the_top(folder):
    collector = Collector()
    assert load_model(write(folder, "- 甲\n- 乙\n"), Contact, collector) is None
    assert places(collector.diagnostics) == [("D137", "t.yaml:1:1", None)]
    assert collector.diagnostics[0].message == "文件内容应为“键: 值”形式的一组字段"


def test_missing_file_is_d130_unless_optional(folder):
    collector = Collector()
    assert load_model(folder / "none.yaml", Contact, collector) is None
    assert places(collector.diagnostics) == [("D130", "none.yaml", None)]
    assert collector.diagnostics[0].message == "文件不存在"
    optional = Collector()
    assert load_model(folder / "none.yaml", Contact, optional, optional=True) is None
    assert optional.diagnostics == []


def test_optional_file_that_exists_is_checked(folder):
    collector = Collector()
    assert load_model(write(folder, "name: 甲\n"), Contact, collector, optional=True) is None
    assert [d.code for d in collector.diagnostics] == ["D102", "D102"]


def test_not_utf8_is_d131(folder):
    path = folder / "t.yaml"
    path.write_bytes("name: 甲\n".encode("gbk"))
    collector = Collector()
    assert load_model(path, Contact, collector) is None
    assert places(collector.diagnostics) == [("D131", "t.yaml", None)]


def test_lenient_keeps_a_model_with_format_mistakes_and_still_reports_them(folder):
    path = write(folder, "name: 甲\nphone: 12\ncount: 3\n")
    strict = Collector()
    assert load_model(path, Contact, strict) is None
    lenient = Collector()
    loaded = load_model(path, Contact, lenient, lenient=True)
    assert loaded is not None and loaded.model.phone == "12"
    assert places(lenient.diagnostics) == places(strict.diagnostics) == [("D103", "t.yaml:2:1", "phone（联系电话）")]


def test_lenient_gives_nothing_when_more_than_a_format_is_wrong(folder):
    collector = Collector()
    assert load_model(write(folder, "name: 甲\nphone: 12\ncount: 多\n"), Contact, collector, lenient=True) is None
    assert [d.code for d in collector.diagnostics] == ["D103", "D103"]


def test_validate_into_a_loaded_document(folder):
    doc = load_yaml(write(folder, "name: 甲\nphone: 13900000000\ncount: 0\n"))
    collector = Collector()
    model = validate_into(doc, Contact, collector)
    assert model is not None and model.count == 0 and collector.diagnostics == []
