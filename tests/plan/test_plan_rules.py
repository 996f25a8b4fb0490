"""Rules of the 计划表, per region, thresholds from data/reference/sichuan/rules.yaml."""

import re

from tests.conftest import edit, run

PLAN = "data/bureaus/leshan/plan.yaml"
RULES = "data/reference/sichuan/rules.yaml"


def test_sample_passes(project):
    result = run(project, "plan", "check")
    assert result.exit_code == 0, result.output + result.stderr
    assert "■ 乐山市：检查 88 项，未通过 0 项" in result.output
    assert "■ 全省汇总：检查 80 项，未通过 0 项" in result.output


def test_2015_below_30_percent_fails_for_that_county(project):
    # 沙湾区 1480 teachers: 2015 市级 474 → 100 (6.8 %)
    edit(project / PLAN, "t2015: {province: 74, city: 474}", "t2015: {province: 74, city: 100}")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    out = result.output
    assert "未通过 SC01 市、县两级 2015 年培训人数不低于本地教师总数的 30%（12/13 项符合）" in out
    assert "沙湾区：2015年市县级培训 100 人，教师总数 1480 人，占 6.8%（要求 ≥ 30%）" in out
    assert "修改：2015年市县级培训人数至少再增加 344 人" in out
    assert re.search(r"位置：.*data/bureaus/leshan/plan\.yaml:\d+:\d+", out)
    # the same cut breaks 80 % and 100 % for 沙湾区 too
    assert "沙湾区：到2017年累计培训" in out


def test_tolerance_is_data(project):
    edit(project / RULES, "target: 20%\n    tolerance: 5%", "target: 20%\n    tolerance: 0.1%")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    assert "（目标 20%，允许偏差 ±0.1%）" in result.output
    assert "未通过 SC02" in result.output


def test_hours_below_50(project):
    edit(project / PLAN, "institution: 全国继教网, hours: 60", "institution: 全国继教网, hours: 40")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    assert "犍为县·犍为县中小学教师信息技术应用能力提升培训：每人 40 学时（要求 ≥ 50）" in result.output


def test_province_compact_city_is_checked(project):
    edit(project / "data/bureaus/province.yaml", "t2015: [1075, 6515]", "t2015: [1075, 2000]")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    assert "自贡市：2015年市县级培训 2000 人，教师总数 21500 人，占 9.3%（要求 ≥ 30%）" in result.output


def test_bad_plan_data_is_located(project):
    edit(project / PLAN, "teachers: 1480", "teachers: 约1480")
    edit(project / PLAN, "phone: 0833-2132456}", "phone: 2132456}")
    result = run(project, "plan", "check")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert re.search(r"plan\.yaml:\d+:\d+: 错误\[D103\] regions\[2\]\.teachers（教师总数）: 应为整数，这里是“约1480”",
                     result.stderr)
    assert re.search(r"plan\.yaml:\d+:\d+: 错误\[D103\] contact\.phone（联系电话）: 电话“2132456”不正确", result.stderr)


def test_unknown_city_id(project):
    edit(project / PLAN, "city: leshan", "city: leshang")
    result = run(project, "plan", "check")
    assert result.exit_code == 2
    assert "市州编号“leshang”不在" in result.stderr


def test_build_reports_failing_regions_and_exits_1(project):
    edit(project / PLAN, "t2015: {province: 74, city: 474}", "t2015: {province: 74, city: 100}")
    result = run(project, "plan", "build", "--no-pdf")
    assert result.exit_code == 1
    assert "共生成 4 个文件。" in result.output
    assert "沙湾区：2015年市县级培训 100 人" in result.stderr
    assert "文件已生成，报送前请修改数据后重新生成" in result.stderr


def test_project_counties_of_annex_4(project):
    # 附件4 lists 沙湾县 (today 沙湾区): matched by its core name; 井研县 dropped from the text and the table
    edit(project / PLAN, "以夹江县、犍为县、井研县、沙湾区", "以夹江县、犍为县、沙湾区")
    text = (project / PLAN).read_text(encoding="utf-8")
    start = text.index("  - name: 井研县")
    end = text.index("  - name: 夹江县")
    (project / PLAN).write_text(text[:start] + text[end:], encoding="utf-8")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    out = result.output
    assert "未通过 SC06 附件4 的项目县都列入计划表（4/5 项符合）" in out
    assert "井研县：附件4 项目县“井研县”未列入计划表" in out
    assert "未通过 SC07 项目县作为信息技术应用创新实验区写入年度规划书“综合创新”（4/5 项符合）" in out
    assert "井研县：“综合创新”未写明项目县“井研县”的实验区建设" in out
    assert "沙湾县：" not in out  # passing regions are not listed


def test_annual_plan_must_match_the_table_and_institutions_are_advised(project):
    edit(project / PLAN, "trainees: 1170,", "trainees: 1000,")
    edit(project / PLAN, "institution: 华东师范大学", "institution: 乐山师范学院")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    out = result.output
    assert "2015年度规划书：培训计划合计 8893 人，计划表2015年市级共 9063 人" in out
    assert "提醒   SC09 市、县级培训机构原则上为附件2名单中的机构（11/12 项符合）" in out
    assert "培训机构“乐山师范学院”不在附件2名单中" in out
    assert "未通过 1 项" in out  # the warning does not count as a failure


def test_city_filter(project):
    result = run(project, "plan", "check", "--city", "leshan")
    assert result.exit_code == 0
    assert "■ 乐山市" in result.output and "全省汇总" not in result.output
    result = run(project, "plan", "check", "--city", "nowhere")
    assert result.exit_code == 2 and "找不到市（州）“nowhere”的计划表" in result.stderr
    result = run(project, "plan", "build", "--no-pdf", "--city", "leshan")
    assert result.exit_code == 0 and "共生成 4 个文件。" in result.output


def test_city_in_both_places_is_warned(project):
    edit(project / "data/bureaus/province.yaml", "cities:\n", "cities:\n  leshan: {teachers: 1, t2014: [0, 0], "
         "t2015: [0, 0], t2016: [0, 0], t2017: [0, 0]}\n")
    result = run(project, "plan", "check")
    assert result.exit_code == 0
    assert re.search(r"province\.yaml:\d+:\d+: 警告\[D313\] “leshan”既有自己的计划表", result.stderr)
    assert "■ 全省汇总：检查 80 项" in result.output  # 乐山 is taken from its own plan, not this line


def test_docgen_check_includes_the_plans(project):
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert "■ 乐山市：检查 88 项，未通过 0 项" in result.output
    edit(project / PLAN, "t2015: {province: 74, city: 474}", "t2015: {province: 74, city: 100}")
    result = run(project, "check")
    assert result.exit_code == 1
    assert "沙湾区：2015年市县级培训 100 人，教师总数 1480 人，占 6.8%（要求 ≥ 30%）" in result.output
    # Filtered to one unit or call, the bureau plans are not part of the report.
    assert "乐山市" not in run(project, "check", "--call", "luoyang-2026-waichu-gengang").output
