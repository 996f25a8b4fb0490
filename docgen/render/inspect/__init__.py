"""Template introspection: find (and fix) every problem of a Word/Excel template before rendering.

- :mod:`.shapes`  what data a template may use (shapes derived from the pydantic models)
- :mod:`.scan`    where the tags are: docx parts read paragraph by paragraph, each place named in words
- :mod:`.checker` every problem, named by place (:func:`check_template`, :func:`check_docx_bytes`)
- :mod:`.fix`     the safe repairs: tags split across runs, curly quotes (:func:`fix_docx_bytes`)
"""

from docgen.render.inspect.checker import (
    Checker,
    TemplateCheck,
    check_docx,
    check_docx_bytes,
    check_template,
    check_xlsx,
)
from docgen.render.inspect.fix import Fix, fix_docx_bytes, fix_xlsx
from docgen.render.inspect.scan import Spot, Tag, docx_spots, find_tags
from docgen.render.inspect.shapes import (
    context_shape,
    offered_fields,
    shape_key,
    shape_of_type,
    shape_of_value,
)

__all__ = [
    "Checker", "Fix", "TemplateCheck", "Spot", "Tag", "check_docx", "check_docx_bytes", "check_template", "check_xlsx",
    "context_shape", "docx_spots", "find_tags", "fix_docx_bytes", "fix_xlsx", "offered_fields", "shape_key", "shape_of_type",
    "shape_of_value",
]
