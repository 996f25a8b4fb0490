"""Shapes of data: what a template may use, derived from the pydantic models and the context.

A shape answers "which fields does this value have, with which Chinese titles" without a
sample value, so an empty list of mentors is still checked field by field.
"""

from __future__ import annotations

import typing
from datetime import date
from typing import Any

from pydantic import BaseModel

from docgen.models.annotations import strip_optional


class Shape:
    """What a variable holds, so attribute paths can be checked without rendering."""

    title = ""

    def attr(self, name: str) -> Shape | None:
        return ANY

    def element(self) -> Shape:
        return ANY

    def fields(self) -> list[tuple[str, str, Shape]]:
        return []

    def describe(self) -> str:
        return ""


class AnyShape(Shape):
    pass


ANY = AnyShape()


class ScalarShape(Shape):
    def __init__(self, kind: str):
        self.kind = kind

    def attr(self, name: str) -> Shape | None:
        return ANY  # methods of str/date are allowed by the sandbox; not worth policing

    def describe(self) -> str:
        return self.kind


class ListShape(Shape):
    def __init__(self, elem: Shape):
        self.elem = elem

    def attr(self, name: str) -> Shape | None:
        return ANY

    def element(self) -> Shape:
        return self.elem

    def describe(self) -> str:
        return "列表"


class DictShape(Shape):
    def __init__(self, items: dict[str, tuple[str, Shape]]):
        self.items = items

    def attr(self, name: str) -> Shape | None:
        item = self.items.get(name)
        if item is not None:
            return item[1]
        if name in ("items", "keys", "values", "get"):
            return ANY
        return None

    def fields(self) -> list[tuple[str, str, Shape]]:
        return [(k, t, s) for k, (t, s) in self.items.items()]


class MapShape(Shape):
    """dict[str, X] from a model: any key may exist."""

    def __init__(self, value: Shape):
        self.value = value

    def attr(self, name: str) -> Shape | None:
        return self.value

    def describe(self) -> str:
        return "键值表"


class ModelShape(Shape):
    def __init__(self, cls: type[BaseModel]):
        self.cls = cls
        self.title = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    def attr(self, name: str) -> Shape | None:
        info = self.cls.model_fields.get(name)
        if info is not None:
            return shape_of_type(info.annotation)
        member = getattr(self.cls, name, None)
        if isinstance(member, property) and not name.startswith("_"):
            hint = typing.get_type_hints(member.fget).get("return") if member.fget else None
            return shape_of_type(hint) if hint is not None else ANY
        if callable(member) and not name.startswith("_") and name not in BaseModel.__dict__:
            return ANY
        return None

    def fields(self) -> list[tuple[str, str, Shape]]:
        out = [(name, info.title or "", shape_of_type(info.annotation))
               for name, info in self.cls.model_fields.items()]
        for name in dir(self.cls):
            member = getattr(self.cls, name, None)
            if isinstance(member, property) and not name.startswith("_") and name not in BaseModel.__dict__:
                hint = typing.get_type_hints(member.fget).get("return") if member.fget else None
                doc = (member.fget.__doc__ or "").strip().splitlines()[0] if member.fget.__doc__ else ""
                out.append((name, doc or "（计算得出）", shape_of_type(hint) if hint else ANY))
        return out


def shape_of_type(annotation: Any) -> Shape:
    annotation = strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set):
        args = typing.get_args(annotation)
        return ListShape(shape_of_type(args[0]) if args else ANY)
    if origin is dict:
        args = typing.get_args(annotation)
        return MapShape(shape_of_type(args[1]) if len(args) == 2 else ANY)
    if origin is typing.Literal:
        return ScalarShape("可选值：" + "/".join(str(a) for a in typing.get_args(annotation)))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return ModelShape(annotation)
        if issubclass(annotation, bool):
            return ScalarShape("是/否")
        if issubclass(annotation, (int, float)):
            return ScalarShape("数字")
        if issubclass(annotation, date):
            return ScalarShape("日期")
        if issubclass(annotation, str):
            return ScalarShape("文字")
    return ANY


# Titles of the context variables docgen builds (docgen/apply/context.py).
CONTEXT_TITLES = {
    "unit": "申报单位", "call": "申报通知", "app": "本份申报", "sub": "申报的子项目", "draft": "是否草稿",
    "applications": "本单位的各份申报（按排序）", "contact": "具体负责人",
    "app.model": "申报数据原文", "app.id": "申报文件名", "app.sub": "申报的子项目", "app.rank": "申报排序",
    "app.project_name": "申报项目名称", "app.contact": "具体负责人", "app.filled": "填表日期",
    "app.remark": "备注", "app.narrative": "叙述内容（按通知规定的各部分）", "app.mentors": "影子导师",
    "app.growth_cases": "计划成长案例数", "contact.name": "具体负责人", "contact.phone": "联系电话",
}
APP_TYPES = {"mentors": "list[Mentor]"}


def shape_of_value(value: Any, path: str = "") -> Shape:
    """Return the shape of a context value; models are described by their class, not by the sample."""
    if isinstance(value, BaseModel):
        return ModelShape(type(value))
    if isinstance(value, dict):
        return DictShape({str(k): (CONTEXT_TITLES.get(f"{path}.{k}" if path else str(k), ""),
                                   _shape_of_item(v, f"{path}.{k}" if path else str(k)))
                          for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return ListShape(shape_of_value(value[0], path) if value else ANY)
    if isinstance(value, bool):
        return ScalarShape("是/否")
    if isinstance(value, (int, float)):
        return ScalarShape("数字")
    if isinstance(value, date):
        return ScalarShape("日期")
    if isinstance(value, str):
        return ScalarShape("文字")
    return ANY


def context_shape(context: dict[str, Any]) -> DictShape:
    """The shape of a whole context; narrative parts get their titles from the call (三、目标定位…)."""
    shape = shape_of_value(context)
    if not isinstance(shape, DictShape):  # a dict always gives a DictShape
        raise TypeError(f"context shape is {type(shape).__name__}, not DictShape")
    call = context.get("call")
    app = shape.items.get("app")
    spec = getattr(getattr(call, "application", None), "narrative", None)
    if spec and app is not None and isinstance(app[1], DictShape) and "narrative" in app[1].items:
        titles = {f.key: f.title for f in spec}
        narrative = app[1].items["narrative"]
        if isinstance(narrative[1], DictShape):
            for key, (_, sub) in list(narrative[1].items.items()):
                narrative[1].items[key] = (titles.get(key, ""), sub)
    return shape


def shape_key(shape: Shape) -> tuple:
    """Return a hashable value equal for equal shapes (names, titles, kinds, models)."""
    if isinstance(shape, DictShape):
        return ("D", tuple((k, title, shape_key(sub)) for k, (title, sub) in sorted(shape.items.items())))
    parts: list[tuple[str, Any]] = []
    for name, value in sorted(vars(shape).items()):
        if isinstance(value, Shape):
            parts.append((name, shape_key(value)))
        elif isinstance(value, type):
            parts.append((name, f"{value.__module__}.{value.__qualname__}"))
        else:
            parts.append((name, repr(value)))
    return (type(shape).__name__, tuple(parts))


def _shape_of_item(value: Any, path: str) -> Shape:
    if path == "app.mentors":
        from docgen.models.application import Mentor
        return ListShape(ModelShape(Mentor))
    if path == "app.contact":
        from docgen.models.application import ContactPerson
        return ModelShape(ContactPerson)
    if path == "applications":
        return ListShape(shape_of_value(value[0], "app") if value else ANY)
    if path == "app.narrative":
        return DictShape({k: ("", ScalarShape("文字")) for k in value}) if isinstance(value, dict) else ANY
    return shape_of_value(value, path)


def offered_fields(context: dict[str, Any], depth: int = 4) -> list[tuple[str, str, str]]:
    """Return (path, Chinese title, kind) for every field a template can use, walking the models."""
    out: list[tuple[str, str, str]] = []

    def walk(prefix: str, shape: Shape, level: int, seen: tuple):
        for name, title, sub in shape.fields():
            path = f"{prefix}.{name}" if prefix else name
            if isinstance(sub, ListShape):
                out.append((path, title, "列表：用 {%tr for x in " + path + " %} 逐行列出"))
                if level < depth and not isinstance(sub.elem, AnyShape):
                    walk(f"{path}[]", sub.elem, level + 1, seen)
            elif isinstance(sub, (ModelShape, DictShape)):
                key = getattr(sub, "cls", None)
                out.append((path, title, "一组字段"))
                if level < depth and (key is None or key not in seen):
                    walk(path, sub, level + 1, seen + ((key,) if key else ()))
            else:
                out.append((path, title, sub.describe() if isinstance(sub, (ScalarShape, MapShape)) else ""))

    walk("", context_shape(context), 0, ())
    return out
