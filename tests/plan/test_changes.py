"""参训人员变更: pairing the two rosters, the checks, and 附件3 as the notice's sample."""

import re
from pathlib import Path

from openpyxl import load_workbook

from docgen.models.sichuan import ChangeDecision, RosterEntry
from docgen.sichuan.changes import compute_changes
from docgen.sichuan.xlsx import CHANGE_SHEET
from tests.conftest import edit, run

BATCH = Path("data/bureaus/leshan/changes/2015-jiajiang")
P1 = "国培计划（2015）—中西部项目信息技术应用能力提升培训（小学）"


def person(name, unit="甲校", project="小学", phone="13900000000"):
    return RosterEntry(project=project, name=name, gender="女", unit=unit, phone=phone, institution="中国研修网")


def test_pairs_same_unit_first_then_same_project():
    first = [person("甲", "一小"), person("乙", "二小"), person("丙", "三小", project="初中")]
    current = [person("丁", "二小"), person("甲", "一小"), person("戊", "四小", project="初中")]
    result = compute_changes(first, current)
    assert [(c.old.name, c.new.name, c.how) for c in result.pairs] == [("乙", "丁", "同单位"), ("丙", "戊", "同项目")]
    assert not result.unpaired_removed and not result.unpaired_added


def test_ambiguous_changes_are_listed_not_guessed():
    first = [person("甲", "一小"), person("乙", "二小"), person("丙", "三小")]
    current = [person("甲", "一小"), person("丁", "五小"), person("戊", "六小")]
    result = compute_changes(first, current)
    assert result.pairs == []
    assert [p.name for p in result.unpaired_removed] == ["乙", "丙"]
    assert [p.name for p in result.unpaired_added] == ["丁", "戊"]
    decided = compute_changes(first, current, [ChangeDecision(removed="乙", added="戊")])
    assert [(c.old.name, c.new.name, c.how) for c in decided.pairs] == [("乙", "戊", "人工确认"), ("丙", "丁", "同项目")]


def test_a_removed_person_without_replacement_is_listed():
    result = compute_changes([person("甲"), person("乙")], [person("甲")])
    assert result.pairs == [] and [p.name for p in result.unpaired_removed] == ["乙"]


def test_sample_change_table_looks_like_the_notice(project):
    result = run(project, "plan", "build", "--no-pdf")
    assert result.exit_code == 0, result.stderr
    path = project / "build/sichuan/leshan/2015-jiajiang-参训人员变更信息表.xlsx"
    ws = load_workbook(path)[CHANGE_SHEET]
    assert ws["A1"].value == "附件3"
    assert ws["A2"].value == "四川省中小学教师信息技术应用能力提升培训"
    assert ws["A3"].value == "参训人员变更信息表"
    assert re.fullmatch(r"市（县）：乐山市夹江县\s+填报单位（盖章）：夹江县教育局\s+填  报  人：李红梅\s+填 报 日期：2015年10月12日",
                        ws["A4"].value)
    assert [ws.cell(5, c).value.replace("\n", "") for c in range(1, 9)] == [
        "培训项目", "调换情况", "姓名", "性别", "工作单位（全称）", "联系电话/手机（必填）", "培训机构", "备注"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A6:A7", "A8:A9", "A10:A11", "A12:A13"} <= merged
    rows = [[ws.cell(r, c).value for c in range(1, 9)] for r in range(6, 14)]
    assert rows[0][:3] == [P1, "原报送\n人员", "张丽"] and rows[1][1:3] == ["变更\n人员", "刘洋"]
    assert rows[1][7] == "原报送人员产假" and rows[1][5] == "13890611823"
    assert [r[2] for r in rows] == ["张丽", "刘洋", "何志刚", "周强", "罗芳", "苏婷", "杨静", "吴磊"]
    assert ws["A14"].value == "备注：此表以excel格式报送,信息请填写完整。"
    # the table checks itself when sent back
    check = run(project, "plan", "verify-changes", str(path))
    assert check.exit_code == 0, check.stderr
    assert "4 对变更" in check.output


def test_changes_command_lists_unpaired_and_checks(project):
    current = project / BATCH / "roster-current.yaml"
    # 周强 now also at 漹城小学: 何志刚 (黄土) and 罗芳 (木城) left, 苏婷 and 周强 (both 漹城) came: not unique
    edit(current, "name: 周强, gender: 男, unit: 夹江县黄土镇中心小学", "name: 周强, gender: 男, unit: 夹江县漹城小学")
    edit(current, "phone: \"13778320945\", institution: 全国继教网", "phone: \"1377832094\", institution: 继教网")
    result = run(project, "plan", "changes", str(project / BATCH))
    assert result.exit_code == 1
    err = result.stderr
    assert "张丽（夹江县实验小学） → 刘洋（夹江县实验小学） [同单位]" in result.output
    assert "错误[C720] 原报送人员“何志刚”（" in err and "错误[C720] 原报送人员“罗芳”（" in err
    assert "错误[C721] 现名单新增“苏婷”（" in err and "错误[C721] 现名单新增“周强”（" in err
    assert "提示：在 change.yaml 的 pairs 中写明由谁替换" in err
    assert ("错误[C712] 杨静 → 吴磊（国培计划（2015）—中西部项目信息技术应用能力提升培训（初中））："
            "变更人员“吴磊”的联系电话“1377832094”格式不对") in err
    assert "错误[C713]" in err and "写全称“全国继教网”" in err
    # a person decides one pair; the other then follows as the only one left in the project
    edit(project / BATCH / "change.yaml", "pairs: []", "pairs:\n  - {removed: 何志刚, added: 周强}")
    result = run(project, "plan", "changes", str(project / BATCH))
    assert "何志刚（夹江县黄土镇中心小学） → 周强（夹江县漹城小学） [人工确认]" in result.output
    assert "罗芳（夹江县木城镇中心小学） → 苏婷（夹江县漹城小学） [同项目]" in result.output
    assert "C720" not in result.stderr and "C721" not in result.stderr
    edit(project / BATCH / "change.yaml", "- {removed: 何志刚, added: 周强}", "- {removed: 何志强, added: 周强}")
    result = run(project, "plan", "changes", str(project / BATCH))
    assert "错误[C701] 人工确认的调换“何志强 → 周强”无法使用：原名单中被移除的人员里没有“何志强”" in result.stderr
    assert re.search(r"change\.yaml:\d+:\d+: 错误\[C701\]", result.stderr)


def test_abbreviated_unit_is_reported(project):
    edit(project / BATCH / "roster-current.yaml", "name: 吴磊, gender: 男, unit: 夹江县第一中学",
         "name: 吴磊, gender: 男, unit: 夹江一中")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    assert "错误[C714]" in result.stderr and "工作单位“夹江一中”是简称" in result.stderr
    assert "写全称“夹江县第一中学”" in result.stderr


def test_returned_change_table_with_missing_half_and_bad_phone(project, tmp_path):
    assert run(project, "plan", "build", "--no-pdf").exit_code == 0
    path = project / "build/sichuan/leshan/2015-jiajiang-参训人员变更信息表.xlsx"
    wb = load_workbook(path)
    ws = wb[CHANGE_SHEET]
    for c in range(2, 9):
        ws.cell(9, c).value = None          # 苏婷's row emptied: the pair has no 变更人员
    ws["F6"] = ""                            # 张丽's phone removed
    ws["G7"] = "研修网"                      # abbreviation of 中国研修网
    target = tmp_path / "返回.xlsx"
    wb.save(target)
    result = run(project, "plan", "verify-changes", str(target))
    assert result.exit_code == 1
    err = result.stderr
    assert re.search(r"返回\.xlsx\[变更信息表\]!C6: 错误\[C711\] 原报送人员“张丽”未填联系电话（必填）", err)
    assert re.search(r"返回\.xlsx\[变更信息表\]!C7: 错误\[C713\] 变更人员“刘洋”的培训机构“研修网”不在附件2名单中", err)
    assert "写全称“中国研修网”" in err
    assert re.search(r"返回\.xlsx\[变更信息表\]!B8: 错误\[C710\] 缺少变更人员", err)
    assert re.search(r"返回\.xlsx\[变更信息表\]!B6: 警告\[C716\] “张丽 → 刘洋”的培训机构不同（中国研修网 / 研修网）", err)


def test_html_disguised_as_xlsx(project, tmp_path):
    fake = tmp_path / "变更.xlsx"
    fake.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = run(project, "plan", "verify-changes", str(fake))
    assert result.exit_code == 1
    assert "错误[B104] 这是旧版 Excel 97-2003 工作簿（.xls），但内容无法读取" in result.stderr


def test_problems_point_at_the_roster_line(project):
    edit(project / BATCH / "roster-current.yaml", "phone: \"13778320945\"", "phone: \"\"")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    assert re.search(r"roster-current\.yaml:\d+:\d+: 错误\[C711\] 杨静 → 吴磊（.*）：变更人员“吴磊”未填联系电话（必填）",
                     result.stderr)


def test_roster_as_workbook(project):
    from openpyxl import Workbook

    from docgen.load.yamlpos import load_yaml
    doc = load_yaml(project / BATCH / "roster-current.yaml")
    wb = Workbook()
    ws = wb.active
    ws.append(["培训项目", "姓名", "性别", "工作单位（全称）", "联系电话/手机（必填）", "培训机构", "备注"])
    for p in doc.data["people"]:
        ws.append([p["project"], p["name"], p["gender"], p["unit"], p["phone"], p["institution"], p.get("note")])
    ws["C3"] = "M"  # 王建's 性别
    wb.save(project / BATCH / "现名单.xlsx")
    edit(project / BATCH / "change.yaml", "current: roster-current.yaml", "current: 现名单.xlsx")
    result = run(project, "plan", "changes", str(project / BATCH))
    assert result.exit_code == 2
    assert re.search(r"现名单\.xlsx\[Sheet\]!A3: 错误\[D103\] 性别应为“男”或“女”，这里是“M”", result.stderr)
    ws["C3"] = "男"
    wb.save(project / BATCH / "现名单.xlsx")
    result = run(project, "plan", "changes", str(project / BATCH))
    assert result.exit_code == 0, result.stderr
    assert "张丽（夹江县实验小学） → 刘洋（夹江县实验小学） [同单位]" in result.output
