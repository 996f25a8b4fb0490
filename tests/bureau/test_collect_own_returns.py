"""Every 申报汇总表 docgen builds is accepted by docgen's own `collect`, and prints one page wide."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest

from tests.conftest import run

CALLS = ("luoyang-2025-wangluo-yanxiu", "luoyang-2026-waichu-gengang")


def test_collect_accepts_every_summary_docgen_builds(project, tmp_path):
    assert run(project, "build", "--no-pdf").exit_code == 0
    for call in CALLS:
        built = sorted((project / "build").glob(f"*/{call}/申报汇总表.xlsx"))
        assert built, call
        folder = tmp_path / call
        folder.mkdir()
        for path in built:
            shutil.copy(path, folder / f"{path.parts[-3]}.xlsx")  # one file per unit, as returned
        result = run(project, "collect", str(folder), "--call", call, "--out", str(tmp_path / f"out-{call}"))
        assert result.exit_code == 0, result.output + result.stderr
        apps = sum(1 for p in (project / "data/units").glob(f"*/applications/{call.rsplit('-', 2)[0]}-*.yaml"))
        m = re.search(r"(\d+) 项申报，受理 (\d+) 项", result.output)
        assert m and int(m.group(1)) == int(m.group(2)) == apps, result.output
    # 2025: 项目名称 is the 子项目 of 附件1, the unit's own title goes to 备注
    ws = openpyxl.load_workbook(project / "build/heluo-normal/luoyang-2025-wangluo-yanxiu/申报汇总表.xlsx").active
    assert ws["B7"].value == "市直学校教师继续教育线上线下混合研修项目"
    assert ws["B8"].value == "人工智能（智慧教育）培训"
    assert ws["C7"].value.startswith("洛阳市2025年市直学校教师继续教育线上线下混合研修项目")


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="needs LibreOffice and poppler")
def test_summary_pdf_is_one_page_wide(project):
    assert run(project, "build", "--call", CALLS[0]).exit_code == 0
    pdf = project / "build/heluo-normal/luoyang-2025-wangluo-yanxiu/申报汇总表.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\n", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "备注" in text and "申报汇总表" in text and "人工智能（智慧教育）培训" in text
