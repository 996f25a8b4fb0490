"""The one build path every command that writes documents goes through.

A domain (the application build, the 四川 plan, the year-end reports, the bureau's
documents) plans :class:`Task`\\ s of :class:`Doc`\\ s, each keyed by what decides its
bytes; :func:`select` keeps the ones whose key changed, :func:`run` renders them,
converts them with a warm LibreOffice (``-j`` workers, one LibreOffice each),
normalises the PDFs, publishes everything at once by rename and records the keys.
"""

from docgen.build.keys import (
           call_key,
           doc_key,
           fonts_key,
           hash_or_absent,
           pdf_key,
           pdf_name,
)
from docgen.build.result import BuildOutcome
from docgen.build.runner import run
from docgen.build.task import Doc, Finish, Task, select

__all__ = ["BuildOutcome", "call_key", "Doc", "Finish", "Task", "doc_key", "fonts_key", "hash_or_absent", "pdf_key",
           "pdf_name", "run", "select"]
