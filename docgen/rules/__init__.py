"""Shared pieces of rule checking: thresholds as calls write them, and their display forms.

The rule kinds themselves live with their domain (``docgen.apply.rules``,
``docgen.sichuan.rules``, ``docgen.yearend.rules``).
"""
