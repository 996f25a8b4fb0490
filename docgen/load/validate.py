"""Validate loaded YAML against a pydantic model, reporting errors at YAML positions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from docgen.errors import Collector, Diagnostic
from docgen.load.yamlpos import Positions, YamlDoc, dotted, try_load_yaml
from docgen.models.annotations import item_type

M = TypeVar("M", bound=BaseModel)

_TYPE_TEXT = {
    "missing": ("D102", "缺少必填字段", "补上这个字段。"),
    "extra_forbidden": ("D105", "未知字段（可能拼写错误）", "检查字段名的拼写；可用字段见 README 的数据说明。"),
    "int_parsing": ("D103", "应为整数", "只写数字，不带单位，例如 220。"),
    "int_type": ("D103", "应为整数", "只写数字，不带单位，例如 220。"),
    "int_from_float": ("D103", "应为整数", "去掉小数部分。"),
    "float_parsing": ("D103", "应为数字", "只写数字，不带单位。"),
    "bool_parsing": ("D103", "应为“是”或“否”", None),
    "date_from_datetime_parsing": ("D103", "应为日期，格式 YYYY-MM-DD", "例如 2024-03-01。"),
    "date_parsing": ("D103", "应为日期，格式 YYYY-MM-DD", "例如 2024-03-01。"),
    "date_type": ("D103", "应为日期，格式 YYYY-MM-DD", "例如 2024-03-01。"),
    "list_type": ("D137", "应为列表（每项一行，以“- ”开头）", None),
    "dict_type": ("D137", "应为“键: 值”形式的一组字段", None),
    "model_type": ("D137", "应为“键: 值”形式的一组字段", None),
    "string_type": ("D103", "应为文字", None),
    "too_short": ("D138", "内容不足", None),
}


def validate(doc: YamlDoc, model: type[M], root_title: str = "") -> tuple[M | None, list[Diagnostic]]:
    """Return the model built from *doc*, or None and every problem located in the file."""
    data = doc.data
    if not isinstance(data, dict):
        return None, [Diagnostic("D137", "文件内容应为“键: 值”形式的一组字段", doc.positions.locate(()),
                                 hint="参照 data/ 下的示例文件。")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, [pydantic_diagnostic(doc, model, err) for err in exc.errors(include_url=False)]


@dataclass(frozen=True)
class Validated(Generic[M]):
    """A YAML file validated against its model: the model and the document it was built from."""

    model: M
    doc: YamlDoc

    @property
    def positions(self) -> Positions:
        return self.doc.positions


def load_model(path: Path, model: type[M], problems: Collector | list[Diagnostic], *, optional: bool = False,
               lenient: bool = False) -> Validated[M] | None:
    """Load *path* and validate it against *model*; return the model with its document, or None.

    Every problem found — the file missing (D130), unreadable or not valid YAML (D101, D131, D520 …), not
    matching the model (D102, D103, D105, D137 …) — is added to *problems* (a Collector or a list) in that
    order, whether or not a model is returned. With *optional*, a file that does not exist is no problem:
    None without a diagnostic. With *lenient*, see :func:`validate_into`.
    """
    if optional and not path.is_file():
        return None
    doc = try_load_yaml(path, problems)
    if doc is None:
        return None
    result = validate_into(doc, model, problems, lenient=lenient)
    return Validated(result, doc) if result is not None else None


def validate_into(doc: YamlDoc, model: type[M], problems: Collector | list[Diagnostic], *,
                  lenient: bool = False) -> M | None:
    """Return the model built from *doc*, or None; add every problem to *problems*.

    With *lenient*, a mapping that fails validation is validated again with the context
    ``{"lenient": True}`` (format mistakes such as a phone or an e-mail are then let through), so the
    rules about it can still be evaluated: the model so built is returned, and the problems of the
    strict validation are added all the same.
    """
    result, found = validate(doc, model)
    problems.extend(found)
    if result is None and lenient and isinstance(doc.data, dict):
        try:
            result = model.model_validate(doc.data, context={"lenient": True})
        except ValidationError:
            result = None
    return result


def pydantic_diagnostic(doc: YamlDoc, model: type[BaseModel], err: Mapping[str, Any]) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    code, message, hint = _TYPE_TEXT.get(kind, ("D103", None, None))
    if kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        message = f"取值不在允许范围内，应为：{expected.replace(' or ', '、')}"
    elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "")
        words = {"greater_than": "大于", "greater_than_equal": "不小于", "less_than": "小于",
                 "less_than_equal": "不大于"}
        message = f"应{words[kind]} {bound}"
    elif message is None:
        message = err["msg"]
    if kind in ("too_short",):
        message = f"至少需要 {err.get('ctx', {}).get('min_length', 1)} 项"
    value = err.get("input")
    if kind not in ("missing", "extra_forbidden", "value_error") and isinstance(value, str) and value:
        message += f"，这里是“{value}”"
    field = dotted(loc) if loc else None
    title = field_title(model, loc)
    if field and title:
        field = f"{field}（{title}）"
    return Diagnostic(code, message, doc.positions.locate(loc), field=field, hint=hint)


def field_title(model: type[BaseModel], loc: tuple) -> str | None:
    """Return the Chinese title of the field at *loc*, walking nested models."""
    current: Any = model
    title = None
    for part in loc:
        if isinstance(part, int):
            continue
        current = item_type(current)
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return title
        info = current.model_fields.get(part)
        if info is None:
            return title
        title = info.title
        current = info.annotation
    return title
