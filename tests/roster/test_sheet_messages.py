"""What the 填报表 user reads: sheet words (column titles, not YAML keys), tab order, then row, then column."""

from __future__ import annotations

import re

from openpyxl import load_workbook

from tests.conftest import UNIT_A, run


def columns(ws) -> dict[str, str]:
    return {str(c.value).rstrip("*"): c.column_letter for c in ws[1] if c.value}


def test_messages_speak_the_sheet_and_sort_by_tab_row_column(project):
    out = project / "填报表.xlsx"
    assert run(project, "data", "sheet", "--unit", UNIT_A, "--out", str(out)).exit_code == 0
    wb = load_workbook(out)
    experts = wb["专家团队"]
    c = columns(experts)
    experts[f"{c['职称']}12"] = "特级大师"          # row 12 …
    experts[f"{c['职称']}3"] = "资深大师"           # … and row 3: row 3 comes first
    experts[f"{c['是否本机构专家']}5"] = "是的"
    team = wb["管理团队"]
    team[f"{columns(team)['学历']}4"] = "本科"
    info = wb["单位信息"]
    kind_row = next(r for r in range(2, 60) if info[f"D{r}"].value == "kind")
    info[f"B{kind_row}"] = "大学"
    apps = wb["申报"]
    apps[f"{columns(apps)['通知']}3"] = "luoyang-2026-waichu-gengan"
    narrative = wb["申报书叙述"]
    row = next(r for r in range(3, 200) if narrative[f"A{r}"].value == "luoyang-2026-1"
               and narrative[f"B{r}"].value == "目标定位")
    narrative[f"B{row}"] = "目标定为"
    wb.save(out)
    result = run(project, "data", "import", str(out))
    assert result.exit_code == 2
    err = result.stderr
    places = re.findall(r"填报表\.xlsx\[(.+?)\]!([A-Z]+)(\d+): ", err)
    order = ["单位信息", "项目经验", "管理团队", "技术服务团队", "专家团队", "佐证材料", "申报", "申报书叙述", "影子导师"]
    keys = [(order.index(s), int(r), col) for s, col, r in places]
    assert keys == sorted(keys), places
    assert [p for p in places if p[0] == "专家团队"][0][2] == "3"
    assert "是不是“本机构”" not in err and "错误[R103] 单位类型: “大学”不在下拉列表中" in err
    assert "错误[R103] 学历: “本科”不在下拉列表中" in err and "是不是“大学本科”？" in err
    assert "是不是“luoyang-2026-waichu-gengang”？" in err
    assert "错误[R106]" in err and "是不是“目标定位”？" in err
    assert "或在“职称等级”列选择等级" in err
    for line in err.splitlines():
        assert "yaml" not in line.lower() and not re.search(r"\b[a-z]+_[a-z_]+\b", line), line
