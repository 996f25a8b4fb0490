"""The rules the notices state about dates, schedules, people and legal entities, at their edges.

Expected figures come from the notices (每批 7 天, 送教 7 次, 11 月底, 2025-12-31, 第二批 …) and from the
sample data's own dates, edited one day at a time.
"""

import shutil
from pathlib import Path

from docgen.apply.load import load_project
from docgen.apply.rules import evaluate_project
from tests.conftest import UNIT_A, UNIT_B, edit, run

LY26 = "luoyang-2026-waichu-gengang"
LY25 = "luoyang-2025-wangluo-yanxiu"
HN = "henan-2024-chucai-xiangmu"
COUNTY = "yichuan-jyj"
APP_A = Path("data/units") / UNIT_A / "applications/luoyang-2026-1.yaml"   # 项目1: 2 批
APP_B = Path("data/units") / UNIT_B / "applications/luoyang-2026-2.yaml"   # 项目2: 1-2 批
HN_UNI = Path("data/units") / UNIT_A / "applications/henan-2024-3.yaml"
HN_COUNTY = Path("data/units") / COUNTY / "applications/henan-2024-4.yaml"
HN_REGISTRY = Path("data/bureaus/henan-jyt/registry.yaml")
LY_REGISTRY = Path("data/bureaus/luoyang-jyj/registry.yaml")
UNIT_A_YAML = Path("data/units") / UNIT_A / "unit.yaml"


def result(root: Path, call: str, rule_id: str, unit: str):
    """Return the one result of *rule_id* of *call* for *unit* (every unit loaded: some rules look across)."""
    project = load_project(root, root / "data", call_filter=call)
    found = [r for r in evaluate_project(project) if r.rule.id == rule_id and r.unit.id == unit]
    assert len(found) == 1, [(r.unit.id, r.subject) for r in found]
    return found[0]


# --- 跟岗实践分批、每批 7 天 (申报指南 一) ------------------------------------------------------------

def test_batches_of_exactly_seven_days_pass(project):
    r = result(project, LY26, "R10", UNIT_A)
    assert r.passed
    assert r.figures == ("跟岗实践 2 批：第1批 2026-07-06—2026-07-12（7 天）；第2批 2026-07-20—2026-07-26（7 天）；"
                         "要求分 2 批、每批 7 天")


def test_a_batch_of_eight_days_fails_and_says_which(project):
    edit(project / APP_A, "{start: 2026-07-20, end: 2026-07-26", "{start: 2026-07-20, end: 2026-07-27")
    r = result(project, LY26, "R10", UNIT_A)
    assert not r.passed
    assert "第2批 2026-07-20—2026-07-27（8 天）" in r.figures
    assert r.advice.startswith("第2批 8 天，应为 7 天（如 2026-07-20—2026-07-26）")
    assert r.location.file.endswith("luoyang-2026-1.yaml")


def test_a_batch_of_six_days_fails(project):
    edit(project / APP_A, "{start: 2026-07-06, end: 2026-07-12", "{start: 2026-07-06, end: 2026-07-11")
    r = result(project, LY26, "R10", UNIT_A)
    assert not r.passed and "第1批 6 天，应为 7 天" in r.advice


def test_batch_count_per_sub_project(project):
    # 项目1 分 2 批: one batch of all 220 fails on the count.
    edit(project / APP_A, "  - {start: 2026-07-20, end: 2026-07-26, trainees: 110, place: 苏州市、南京市优质高中}\n", "")
    edit(project / APP_A, "trainees: 110, place: 上海市", "trainees: 220, place: 上海市")
    r = result(project, LY26, "R10", UNIT_A)
    assert not r.passed and "现有 1 批，应为 2 批" in r.advice
    # 项目2 分 1-2 批: two batches of 55 pass.
    edit(project / APP_B, "  - {start: 2026-07-13, end: 2026-07-19, trainees: 110, place: 上海市、苏州市优质中小学}\n",
         "  - {start: 2026-07-13, end: 2026-07-19, trainees: 55}\n  - {start: 2026-08-03, end: 2026-08-09, trainees: 55}\n")
    r = result(project, LY26, "R10", UNIT_B)
    assert r.passed and "跟岗实践 2 批" in r.figures and "要求分 1–2 批、每批 7 天" in r.figures


def test_batch_trainees_must_add_up_to_the_sub_project(project):
    edit(project / APP_A, "trainees: 110, place: 苏州市", "trainees: 100, place: 苏州市")
    r = result(project, LY26, "R10", UNIT_A)
    assert not r.passed
    assert "各批人数合计 210 人，培训人数 220 人" in r.figures
    assert "与项目1培训人数 220 人不符" in r.advice


def test_no_batches_says_what_to_write(project):
    text = (project / APP_A).read_text(encoding="utf-8")
    start, end = text.index("batches:\n"), text.index("visits:\n")
    (project / APP_A).write_text(text[:start] + text[end:], encoding="utf-8")
    r = result(project, LY26, "R10", UNIT_A)
    assert not r.passed and "跟岗实践 0 批：未填写" in r.figures
    assert "在申报文件的 batches 下逐批写出跟岗实践的起止日期（每批 7 天）" in r.advice


# --- 名家送教 7 次，1 次 1 天 ----------------------------------------------------------------------

def test_seven_visits_pass_six_fail_eight_fail(project):
    r = result(project, LY26, "R11", UNIT_A)
    assert r.passed and r.figures.startswith("名家送教 7 次：2026-09-18、") and r.figures.endswith("要求 7 次，1 次 1 天")
    edit(project / APP_A, "  - {start: 2026-11-13, subject: 生物, expert: 正高级教师 罗建平}\n", "")
    r = result(project, LY26, "R11", UNIT_A)
    assert not r.passed and "名家送教 6 次" in r.figures and r.advice.startswith("还差 1 次")
    edit(project / APP_A, "  - {start: 2026-11-27,", "  - {start: 2026-11-13}\n  - {start: 2026-11-20}\n  - {start: 2026-11-27,")
    r = result(project, LY26, "R11", UNIT_A)
    assert not r.passed and "名家送教 8 次" in r.figures and r.advice.startswith("多了 1 次")


def test_a_visit_of_two_days_fails(project):
    edit(project / APP_A, "{start: 2026-10-16, subject: 英语", "{start: 2026-10-16, end: 2026-10-17, subject: 英语")
    r = result(project, LY26, "R11", UNIT_A)
    assert not r.passed
    assert "2026-10-16—2026-10-17" in r.figures
    assert "第3次 2026-10-16—2026-10-17 共 2 天，1 次 1 天：改为 1 天" in r.advice


# --- 11 月底前完成 / 结项时间 2025-12-31 -----------------------------------------------------------------

def test_last_visit_on_november_30_passes_december_1_fails(project):
    edit(project / APP_A, "{start: 2026-11-27, subject: 思想政治", "{start: 2026-11-30, subject: 思想政治")
    r = result(project, LY26, "R12", UNIT_A)
    assert r.passed
    assert r.figures == "跟岗实践、名家送教最晚结束于 2026年11月30日（第7次名家送教）；要求 2026年11月30日前完成"
    edit(project / APP_A, "{start: 2026-11-30, subject: 思想政治", "{start: 2026-12-01, subject: 思想政治")
    r = result(project, LY26, "R12", UNIT_A)
    assert not r.passed
    assert r.advice.startswith("第7次名家送教 2026年12月1日 晚于 2026年11月30日：提前到 2026年11月30日及以前。")
    line = next(n for n, t in enumerate((project / APP_A).read_text(encoding="utf-8").splitlines(), 1)
                if "2026-12-01" in t)
    assert r.location.line == line


def test_completion_after_the_guide_date_fails(project):
    edit(project / HN_COUNTY, "completion: 2025年12月31日前", "completion: 2026年1月")
    r = result(project, HN, "R7", COUNTY)
    assert not r.passed
    assert "最晚结束于 2026年1月31日（项目完成时间“2026年1月”）" in r.figures
    assert "要求 2025年12月31日前完成" in r.figures


def test_schedule_read_when_completion_is_blank(project):
    # The 高校's application leaves 项目完成时间 blank: its 进度安排 ends 2025年12月 (passes); one month later fails.
    assert result(project, HN, "R7", UNIT_A).passed
    edit(project / HN_UNI, "period: 2025年7月—2025年12月", "period: 2025年7月—2026年1月")
    r = result(project, HN, "R7", UNIT_A)
    assert not r.passed and "进度安排“总结提炼”（2025年7月—2026年1月） 2026年1月31日 晚于 2025年12月31日" in r.advice


def test_unreadable_date_is_named(project):
    edit(project / HN_COUNTY, "completion: 2025年12月31日前", "completion: 两年内")
    r = result(project, HN, "R7", COUNTY)
    assert not r.passed and "项目完成时间“两年内”无法识别日期" in r.figures
    assert r.location.file.endswith("henan-2024-4.yaml")


# --- 不接受两个及以上单位联合申报一个项目 (申报指南 二.5) ---------------------------------------------------

def test_joint_application_fails_in_both_luoyang_calls(project):
    edit(project / APP_A, "growth_cases: 24", "growth_cases: 24\nco_applicants: [洛阳市第一高级中学]")
    r = result(project, LY26, "R8", UNIT_A)
    assert not r.passed
    assert r.figures == "申报单位：河洛师范学院；联合申报单位：洛阳市第一高级中学（共 2 个单位）"
    assert "删去 co_applicants" in r.advice
    app25 = Path("data/units") / UNIT_A / "applications/luoyang-2025-1.yaml"
    edit(project / app25, "call: luoyang-2025-wangluo-yanxiu", "call: luoyang-2025-wangluo-yanxiu\nco_applicants: [甲公司, 乙公司]")
    project_ = load_project(project, project / "data", call_filter=LY25)
    r = next(r for r in evaluate_project(project_) if r.rule.id == "R2" and r.application.path.name == "luoyang-2025-1.yaml")
    assert not r.passed and "（共 3 个单位）" in r.figures


# --- 同一法人单位内下级部门分头申请者，不予受理 (公告 四（二）) ------------------------------------------------

def _department(root: Path, folder: str, name: str, credit_code: str, legal: str = "") -> Path:
    """Make a unit *folder* (a copy of UNIT_B, applying to 项目2) named *name*."""
    dst = root / "data/units" / folder
    shutil.copytree(root / "data/units" / UNIT_B, dst)
    unit = dst / "unit.yaml"
    edit(unit, "name: 河南中原智育教师发展研究院有限公司", f"name: {name}")
    edit(unit, "credit_code: 91410100MA47K3RBXH", f"credit_code: {credit_code}" + (f"\n{legal}" if legal else ""))
    return unit


def test_two_departments_of_one_university_by_declared_entity(project):
    # Two 学院 of 河洛师范学院 apply in their own names (the university itself applies too): all three are reported.
    legal = "legal_entity: {name: 河洛师范学院, credit_code: 124103004159637221}"
    _department(project, "heluo-jsjy", "河洛师范学院教师教育学院", "124103004159637221", legal)
    _department(project, "heluo-jxjy2", "洛阳河洛继续教育学院", "12410300416000000U", legal)
    r = result(project, LY26, "R9", "heluo-jxjy2")
    assert not r.passed
    assert r.figures.startswith("所属法人单位：河洛师范学院（124103004159637221，据 unit.yaml 的 legal_entity）")
    assert "河洛师范学院（heluo-normal）" in r.figures and "河洛师范学院教师教育学院（heluo-jsjy）" in r.figures
    assert "分头申请不予受理" in r.advice
    assert not result(project, LY26, "R9", UNIT_A).passed
    assert result(project, LY26, "R9", UNIT_B).passed


def test_department_recognised_through_the_bureau_registry_not_its_name(project):
    # Its name shares nothing with the university's; the bureau's registry lists it as a department.
    _department(project, "hl-jiaoyan", "豫西教师研修中心", "12410300416000001Y")
    edit(project / LY_REGISTRY, "departments: [", "departments: [hl-jiaoyan, ")
    r = result(project, LY26, "R9", "hl-jiaoyan")
    assert not r.passed
    assert "据 " in r.figures and "registry.yaml" in r.figures and "河洛师范学院（heluo-normal）" in r.figures


def test_same_name_prefix_but_another_legal_entity_passes(project):
    # 河洛师范学院附属中学 is its own 法人单位 (own credit code): a shared name prefix does not make it a department.
    _department(project, "heluo-fuzhong", "河洛师范学院附属中学", "12410300416000001Y")
    r = result(project, LY26, "R9", "heluo-fuzhong")
    assert r.passed
    assert r.figures == ("所属法人单位：河洛师范学院附属中学（12410300416000001Y，据 本单位的统一社会信用代码）；"
                         "同一法人单位申报本通知的只有本单位")
    assert result(project, LY26, "R9", UNIT_A).passed


def test_missing_entity_code_is_said_not_passed(project):
    _department(project, "some-dept", "某大学继续教育学院", "12410300416000001Y", "legal_entity: {name: 某大学}")
    r = result(project, LY26, "R9", "some-dept")
    assert not r.passed
    assert "上级法人单位为“某大学”，但数据中没有它的统一社会信用代码" in r.figures
    assert "registry.yaml" in r.advice
    # The bureau registers 某大学: the fact is known, and 某大学 has no other applicant.
    (project / LY_REGISTRY).write_text((project / LY_REGISTRY).read_text(encoding="utf-8") +
                                       "  - {name: 某大学, credit_code: 12410300416000000U}\n", encoding="utf-8")
    r = result(project, LY26, "R9", "some-dept")
    assert r.passed and "某大学（12410300416000000U" in r.figures


def test_entity_registered_twice_is_an_input_error(project):
    (project / LY_REGISTRY).write_text((project / LY_REGISTRY).read_text(encoding="utf-8") +
                                       "  - {name: 河洛师院, credit_code: 124103004159637221}\n", encoding="utf-8")
    out = run(project, "check")
    assert out.exit_code == 2
    assert "registry.yaml:" in out.stderr and "错误[D400]" in out.stderr and "已登记过" in out.stderr


# --- 近三年 … 项目：申报截止前已结束的才计入；同类型信息技术项目 (洛阳 2025 附件5) ------------------------------

def test_project_ending_on_the_filing_date_counts_the_day_after_does_not(project):
    call = project / "data/calls" / LY25 / "call.yaml"
    edit(call, "as_of: 2025-03-31", "as_of: 2024-07-17")  # the 2024 信息技术 国培 project ends 2024-07-17
    assert result(project, LY25, "R3", UNIT_A).passed
    edit(call, "as_of: 2024-07-17", "as_of: 2024-07-16")
    r = result(project, LY25, "R3", UNIT_A)
    assert not r.passed
    assert "2024 年 0 个" in r.figures and "截至 2024年7月16日已结束的才计入" in r.figures
    assert "不计入：《“国培计划（2024）”——河南省中小学信息技术&学科融合创新骨干教师培训项目》（2024-07-17 结束）" in r.figures
    assert r.advice.startswith("2024 年没有国培/省培/市培（名称含")


def test_same_type_is_read_from_the_project_name(project):
    edit(project / UNIT_A_YAML, "中小学教师信息技术与学科教学深度融合研修项目", "中小学教师学科教学能力研修项目")
    r = result(project, LY25, "R3", UNIT_A)
    assert not r.passed and "2023 年 0 个" in r.figures and r.advice.startswith("2023 年没有")


# --- 河南 2024：每人限报 1 个；第二批未结项者不得申报；高校须承担国培省培 ----------------------------------------

def test_same_name_other_unit_is_for_a_person_to_confirm(project):
    edit(project / HN_UNI, "  name: 林书涵", "  name: 韩立新")
    r = result(project, HN, "R3", UNIT_A)
    assert not r.passed
    assert "韩立新（河洛师范学院）负责 1 个项目" in r.figures
    assert "另有同名的伊川县教育局“韩立新”，未能确认是否同一人" in r.figures
    assert "id_no" in r.advice
    # Different IDs: two people, each leading one project.
    edit(project / HN_UNI, "  email: linsh@hlnu.edu.cn", '  email: linsh@hlnu.edu.cn\n  id_no: "410305198001010016"')
    assert result(project, HN, "R3", UNIT_A).passed
    assert result(project, HN, "R3", COUNTY).passed


def _concluded(root: Path, when: str) -> None:
    edit(root / HN_REGISTRY, "    concluded: 2024-03-28", f"    concluded: {when}")


def test_second_batch_concluded_day_before_and_on_the_deadline_pass_day_after_fails(project):
    _concluded(project, "2024-04-29")
    r = result(project, HN, "R5", UNIT_A)
    assert r.passed and "《基于“U-G-S”协同的初中教师培训模式建设》已于 2024年4月29日结项" in r.figures
    edit(project / HN_REGISTRY, "concluded: 2024-04-29", "concluded: 2024-04-30")
    assert result(project, HN, "R5", UNIT_A).passed
    edit(project / HN_REGISTRY, "concluded: 2024-04-30", "concluded: 2024-05-01")
    r = result(project, HN, "R5", UNIT_A)
    assert not r.passed
    assert "林书涵负责的第二批项目《基于“U-G-S”协同的初中教师培训模式建设》2024年5月1日才结项" in r.figures
    assert "第二批项目未结项者不得申报" in r.advice
    assert r.location.file.endswith("henan-2024-3.yaml")


def test_second_batch_not_concluded_fails(project):
    _concluded(project, "null")
    r = result(project, HN, "R5", UNIT_A)
    assert not r.passed and "尚未结项" in r.figures


def test_second_batch_homonym_without_id_is_asked_to_confirm(project):
    # 伊川县's 韩立新 has an ID that differs from the registry's 韩立新 (南召县): two people, passes.
    r = result(project, HN, "R5", COUNTY)
    assert r.passed and "名单中南召县教育局的“韩立新”证件号与本项目负责人不同，不是同一人" in r.figures
    # Without the ID, the same name in another unit is not decided by docgen.
    edit(project / HN_COUNTY, '  id_no: "410329197508210035"\n', "")
    r = result(project, HN, "R5", COUNTY)
    assert not r.passed
    assert "南召县教育局有同名的第二批项目负责人“韩立新”（《县域乡村首席教师工作室建设》），未能确认是否同一人" in r.figures


def test_missing_second_batch_list_is_said(project):
    (project / HN_REGISTRY).unlink()
    r = result(project, HN, "R5", COUNTY)
    assert not r.passed
    assert r.figures == "数据中没有第二批项目名单，无法核对负责人 韩立新 是否有未结项的第二批项目"
    assert "registry.yaml" in r.advice


def test_university_must_have_run_guopei_or_shengpei(project):
    r = result(project, HN, "R6", UNIT_A)
    assert r.passed and r.figures.startswith("承担过国培/省培项目 3 个（截至 2024年4月30日已结束）")
    text = (project / UNIT_A_YAML).read_text(encoding="utf-8")
    (project / UNIT_A_YAML).write_text(text.replace("level: 国培", "level: 市培").replace("level: 省培", "level: 市培"),
                                       encoding="utf-8")
    r = result(project, HN, "R6", UNIT_A)
    assert not r.passed and r.figures == "承担过国培/省培项目 0 个（截至 2024年4月30日已结束）"
    assert "不具备申报条件" in r.advice
    # A 县教育局 is not subject to it, and is told so.
    r = result(project, HN, "R6", COUNTY)
    assert r.passed and r.figures == "本单位为教育局，此条只对高校"


# --- docgen check lists every rule ------------------------------------------------------------------

def test_check_on_samples_lists_every_new_rule(project):
    out = run(project, "check")
    assert out.exit_code == 0, out.output
    for title in ("R8 不接受两个及以上单位联合申报一个项目（申报指南 二.5）",
                  "R9 同一法人单位内下级部门分头申请者，不予受理（公告 四（二））",
                  "R10 跟岗实践分批进行，每批 7 天", "R11 名家送教 7 次，1 次 1 天（申报指南 一）",
                  "R12 跟岗实践和名家送教原则上 11 月底前完成（申报指南 一）",
                  "R3 近三年内连续承担过“国培计划”“省培计划”或“市培计划”同类型信息技术项目",
                  "R5 第二批基础教育教师培训教育局局长、高校校长出彩项目未结项者不得申报（通知 二（四））",
                  "R6 高校须承担“国培计划”“省培计划”等基础教育教师培训项目（通知 二（一））",
                  "R7 结项时间要求：2025 年 12 月 31 日前"):
        assert f"通过   {title}" in out.output, title


# --- 河南 2023 总结：案例应是 2023 年的实践探索 (附件 一.1) -------------------------------------------------

WORK_CASE = Path("data/units") / UNIT_A / "reports/2023-国培/cases/工作案例-问题清单驱动的影子跟岗.md"


def test_case_of_2023_passes_a_case_reaching_into_2024_fails(project):
    out = run(project, "report", "check").output
    assert "通过   D410 案例应是 2023 年的实践探索（附件 一.1）〔工作案例《" in out
    assert "数据：实践时间 2023年7月—2023年12月；要求在 2023 年内" in out
    edit(project / WORK_CASE, "period: 2023年7月—2023年12月", "period: 2023年12月—2024年1月")
    result = run(project, "report", "check")
    assert result.exit_code == 1
    assert "未通过 D410 案例应是 2023 年的实践探索（附件 一.1）" in result.output
    assert "数据：实践时间 2023年12月—2024年1月；要求在 2023 年内" in result.output
    assert "修改：实践时间含 2024 年：报送 2023 年开展的实践探索" in result.output
    lines = (project / WORK_CASE).read_text(encoding="utf-8").splitlines()
    line = next(n for n, t in enumerate(lines, 1) if t.startswith("period:"))
    assert f"工作案例-问题清单驱动的影子跟岗.md:{line}" in result.output


def test_case_of_2022_fails_and_a_case_without_period_is_told(project):
    edit(project / WORK_CASE, "period: 2023年7月—2023年12月", "period: 2022年9月")
    out = run(project, "report", "check").output
    assert "数据：实践时间 2022年9月；要求在 2023 年内" in out and "实践时间含 2022 年" in out
    edit(project / WORK_CASE, "period: 2022年9月   # 实践时间：案例应是 2023 年的实践探索\n", "")
    result = run(project, "report", "check")
    assert result.exit_code == 1
    assert "数据：未写明案例的实践时间" in result.output
    assert "在文件开头的 --- 信息块中写 period: 2023年3月—2023年12月" in result.output


# --- 四川 2015：每年 1 月 31 日前报送（2015 年为 9 月 6 日）(通知一) ---------------------------------------------

PLAN = Path("data/bureaus/leshan/plan.yaml")


def test_plan_filed_on_the_deadline_passes_the_day_after_fails(project):
    edit(project / PLAN, "filled_on: 2015-09-01", "filled_on: 2015-09-06")
    assert run(project, "plan", "check").exit_code == 0
    edit(project / PLAN, "filled_on: 2015-09-06", "filled_on: 2015-09-07")
    result = run(project, "plan", "check")
    assert result.exit_code == 1
    out = result.output
    assert "未通过 SC10 各地应于每年 1 月 31 日前报送培训计划表和年度规划书（2015 年申报截止时间为 9 月 6 日）（0/1 项符合）" in out
    assert "2015年计划：2015年计划表、年度规划书填报时间 2015年9月7日，报送截止 2015年9月6日" in out
    assert "修改：晚于截止 1 天" in out
    line = next(n for n, t in enumerate((project / PLAN).read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("filled_on:"))
    assert f"leshan/plan.yaml:{line}:" in out


def test_plan_of_another_year_is_due_january_31(project):
    edit(project / PLAN, "filled_on: 2015-09-01", "filled_on: 2016-02-01")
    edit(project / PLAN, "  year: 2015", "  year: 2016")
    out = run(project, "plan", "check").output
    assert "2016年计划表、年度规划书填报时间 2016年2月1日，报送截止 2016年1月31日" in out
    edit(project / PLAN, "filled_on: 2016-02-01", "filled_on: 2016-01-31")
    assert "未通过 SC10" not in run(project, "plan", "check").output


def test_second_batch_unit_known_by_name_when_the_registry_has_no_code(project):
    # The registry names the unit (org) without its credit code: the unit of that name is found in the data.
    edit(project / HN_REGISTRY, "    org: 河洛师范学院\n    credit_code: 124103004159637221\n", "    org: 河洛师范学院\n")
    _concluded(project, "null")
    r = result(project, HN, "R5", UNIT_A)
    assert not r.passed and "林书涵负责的第二批项目《基于“U-G-S”协同的初中教师培训模式建设》尚未结项" in r.figures


def test_one_person_two_projects_in_one_unit(project):
    # Same name, same 法人单位: one person, whatever the IDs say nothing about.
    src = project / HN_UNI
    (src.parent / "henan-2024-5.yaml").write_text(
        src.read_text(encoding="utf-8").replace("sub_project: 3", "sub_project: 5"), encoding="utf-8")
    r = result(project, HN, "R3", UNIT_A)
    assert not r.passed
    assert r.figures == "林书涵（河洛师范学院）负责 2 个项目；每人限报 1 个（同名者按证件号或所在法人单位区分）"
    assert r.advice.count("林书涵 同时负责：") == 1
