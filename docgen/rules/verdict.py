"""What a rule kind returns (:class:`Verdict`), and its parameters as a call writes them (:class:`Params`).

A mistake in a rule's ``params`` (a missing key, a number or date that is not one, a path
that leads nowhere) raises :class:`BadParams` and is reported as D302 at the rule in
call.yaml; any other exception in a kind is a bug in docgen and propagates as an internal
error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docgen.errors import Location


class BadParams(Exception):
    """A rule's params in call.yaml are missing or wrong (the user's mistake; the message is Chinese)."""


@dataclass(frozen=True)
class Verdict:
    """What a rule kind found for one unit or application."""

    passed: bool
    figures: str
    advice: str = ""
    where: Location | None = None


class Params(dict):
    """A rule's params: a missing key is the user's mistake (:class:`BadParams`), not a KeyError."""

    def __missing__(self, key: str) -> Any:
        raise BadParams(f"缺少参数“{key}”")

    def int(self, key: str, default: int | None = None) -> int:
        """Return the whole number written for *key* (or *default*); BadParams when it is not one."""
        value = self[key] if default is None else self.get(key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            raise BadParams(f"参数 {key} 应为整数，这里是“{value}”") from None


def rule_params(rule: Any) -> Params:
    """Return the params of *rule* (a models.call.Rule) as :class:`Params`."""
    if not isinstance(rule.params, dict):
        raise BadParams("params 应为“键: 值”形式的一组参数")
    return Params(rule.params)
