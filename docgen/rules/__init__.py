"""The rule kinds a call's data can declare, and their evaluation."""

from docgen.rules.engine import RuleResult, evaluate_project

__all__ = ["RuleResult", "evaluate_project"]
