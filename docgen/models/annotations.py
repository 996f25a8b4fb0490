"""Read the field annotations of the models: the one place that peels ``Annotated``, ``Optional`` and lists."""

from __future__ import annotations

import types
import typing
from typing import Any


def _peel_optional(annotation: Any) -> Any | None:
    """Return the annotation under one Annotated/Optional layer, or None when there is none."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return typing.get_args(annotation)[0]
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else Any
    return None


def strip_optional(annotation: Any) -> Any:
    """Return *annotation* without ``Annotated[...]`` and ``... | None`` (a union of several types gives Any)."""
    for _ in range(6):
        inner = _peel_optional(annotation)
        if inner is None:
            break
        annotation = inner
    return annotation


def item_type(annotation: Any) -> Any:
    """Return the innermost type of *annotation*: through Optional, Annotated, lists, tuples, sets and dict values."""
    for _ in range(6):
        annotation = strip_optional(annotation)
        origin = typing.get_origin(annotation)
        if origin in (list, tuple, set):
            annotation = typing.get_args(annotation)[0]
        elif origin is dict:
            annotation = typing.get_args(annotation)[1]
        else:
            break
    return annotation
