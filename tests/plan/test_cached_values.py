"""Every formula in the 四川 workbooks carries a cached value: a reader that does not recalculate sees totals."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from docgen.pdf.warm import uno_python
from tests.conftest import run

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or uno_python() is None,
                                reason="needs a warm LibreOffice (UNO)")


def test_plan_workbooks_have_a_cached_value_for_every_formula(project):
    assert run(project, "plan", "build").exit_code in (0, 1)
    books = sorted((project / "build" / "sichuan").rglob("*.xlsx"))
    counted = 0
    for path in books:
        formulas = openpyxl.load_workbook(path)
        values = CalamineWorkbook.from_path(str(path))
        for ws in formulas.worksheets:
            rows = values.get_sheet_by_name(ws.title).to_python(skip_empty_area=False)
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        counted += 1
                        got = rows[cell.row - 1][cell.column - 1] if cell.row <= len(rows) and cell.column <= len(rows[cell.row - 1]) else ""
                        assert got not in ("", None), f"{path.name}[{ws.title}]!{cell.coordinate} {cell.value} 无缓存值"
                        if cell.value.upper().startswith("=SUM(") and ":" in cell.value and "!" not in cell.value:
                            # a SUM's cached value equals the sum of the cached cells it covers (by hand)
                            ref = cell.value[5:-1]
                            total = 0.0
                            for line in ws[ref] if ":" in ref else [[ws[ref]]]:
                                for c in (line if isinstance(line, tuple) else [line]):
                                    v = rows[c.row - 1][c.column - 1]
                                    total += float(v) if isinstance(v, (int, float)) else 0.0
                            assert float(got) == pytest.approx(total), f"{path.name}!{cell.coordinate}"
    assert counted >= 113 + 185
