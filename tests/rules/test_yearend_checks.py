"""Year-end checks as a user meets them: Chinese findings with figures, advice, file and heading location."""

import re
import shutil
from pathlib import Path

from tests.conftest import UNIT_A, edit, run

FOLDER = Path("data/units") / UNIT_A / "reports/2023-国培"
REPORT = FOLDER / "绩效自评报告.md"
WORK = FOLDER / "cases/工作案例-问题清单驱动的影子跟岗.md"
GROWTH = FOLDER / "cases/成长案例-01-李晓雯.md"


def test_sample_passes_and_docgen_check_includes_it(project):
    result = run(project, "report", "check")
    assert result.exit_code == 0, result.output
    assert "总结材料共检查 31 项：通过 31 项，未通过 0 项。" in result.output
    assert "通过   Y321 教师成长案例（省内高校）每类项目 10–15 个〔国培类项目〕" in result.output
    full = run(project, "check")
    assert full.exit_code == 0, full.output
    assert re.search(r"(?m)^共检查 \d+ 项：通过 \d+ 项，未通过 0 项。", full.output)
    assert "总结材料共检查 31 项" in full.output


def test_missing_part_of_self_report_fails_with_heading_location(project):
    edit(project / REPORT, "# 三、存在问题和对策分析", "# 三、其他情况")
    result = run(project, "report", "check")
    assert result.exit_code == 1
    out = result.output
    assert "未通过 Y301 含必备部分“存在问题和对策分析”〔绩效自评报告〕" in out
    assert "数据：没有标题含“问题”“对策”的部分" in out
    assert "修改：补写第 3 部分，加标题如“## 三、存在问题和对策分析”。" in out
    m = re.search(r"位置：(\S+绩效自评报告\.md):(\d+)（应在标题“二、主要举措、经验和亮点”之后）", out)
    assert m, out
    lines = (project / REPORT).read_text(encoding="utf-8").split("\n")
    assert lines[int(m.group(2)) - 1] == "# 二、主要举措、经验和亮点"
    # `docgen check` fails too, and `report build` refuses the folder.
    assert run(project, "check").exit_code == 1
    built = run(project, "report", "build", "--no-pdf")
    assert built.exit_code == 1 and "未生成文件：heluo-normal/henan-2023-xiangmu-zongjie/2023-国培" in built.stderr
    assert not (project / "build").exists() or not any((project / "build").rglob("*.docx"))


def test_work_case_parts_and_word_limit(project):
    text = (project / WORK).read_text(encoding="utf-8")
    text = text.replace("## 六、推广价值", "## 六、结语") + "\n" + "补充说明文字。" * 300 + "\n"
    (project / WORK).write_text(text, encoding="utf-8")
    out = run(project, "report", "check").output
    assert "未通过 Y310 按案例概要、主要做法、创新举措、实施成效、典型经验、推广价值六部分撰写" in out
    assert "数据：缺少：推广价值" in out
    m = re.search(r"未通过 Y311 字数不超过 3000 字〔工作案例《.+?》〕\n\s+数据：字数 (\d+)", out)
    assert m and int(m.group(1)) == 1071 + 2100 - 2  # 推广价值→结语 (−2), 300 × 7 added


def test_growth_case_length_and_author_sheet(project):
    text = (project / GROWTH).read_text(encoding="utf-8")
    head, body = text.split("---\n\n", 1)
    head = head.replace("email: lixw@example.cn\n", "")
    (project / GROWTH).write_text(head + "---\n\n" + body[:1500] + "\n", encoding="utf-8")
    out = run(project, "report", "check").output
    assert re.search(r"未通过 Y311 字数2000–3000 字〔成长案例《从“讲课文”到“带读书”：我的整本书阅读教学之变》〕\n"
                     r"\s+数据：字数 \d+（按 Word/WPS 字数统计规则）\n\s+修改：还需补写约 \d+ 字。\n"
                     r"\s+位置：\S+成长案例-01-李晓雯\.md", out)
    assert "未通过 Y312 作者信息齐全（文章标题、作者真实姓名、单位、职务/职称、邮箱、电话）" in out
    assert "数据：缺少：邮箱" in out and "email（邮箱）" in out


def test_quotas_per_class_and_unit_category(project):
    cases = project / FOLDER / "cases"
    for n in (2, 3):
        shutil.copy(project / WORK, cases / f"工作案例-副本{n}.md")
    (cases / "成长案例-10-郑国庆.md").unlink()
    out = run(project, "report", "check").output
    assert "未通过 Y320 典型工作案例每单位每类项目不超过 2 个〔国培类项目〕" in out
    assert "数据：工作案例 3 个" in out and "修改：减少 1 个，择优报送。" in out
    assert "未通过 Y321 教师成长案例（省内高校）每类项目 10–15 个" in out and "修改：还需 1 个。" in out
    # A unit that is not a 省内高校 sends 3–5.
    edit(project / FOLDER / "report.yaml", "# category: 省内高校", "category: 其他")
    out = run(project, "report", "check").output
    assert "未通过 Y321 教师成长案例（其他）每类项目 3–5 个" in out and "修改：减少 4 个，择优报送。" in out


def test_thresholds_come_from_the_notice_data(project):
    edit(project / "data/calls/henan-2023-xiangmu-zongjie/reports.yaml", "  max_words: 3000\n  max_per_class",
         "  max_words: 1000\n  max_per_class")
    out = run(project, "report", "check").output
    assert "未通过 Y311 字数不超过 1000 字" in out and "修改：删减约 71 字。" in out


def test_bad_front_matter_is_input_error_with_line(project):
    edit(project / GROWTH, "kind: 成长案例", "kind: 随笔")
    edit(project / WORK, "title: “问题清单”", "title: [“问题清单”")
    result = run(project, "report", "check")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert re.search(r"成长案例-01-李晓雯\.md:\d+:\d+: 错误\[D103\] kind应为“工作案例”或“成长案例”，这里是“随笔”"
                     r"|成长案例-01-李晓雯\.md:\d+:\d+: 错误\[D103\].*随笔", result.stderr)
    assert re.search(r"工作案例-问题清单驱动的影子跟岗\.md:[34]:\d+: 错误\[D101\] YAML 格式错误", result.stderr)


def test_words_command(project):
    result = run(project, "report", "words", str(project / WORK))
    assert result.exit_code == 0
    assert re.match(r"\s*1071 字  \S+工作案例-问题清单驱动的影子跟岗\.md", result.output)


def test_missing_picture_is_reported_with_line(project):
    edit(project / WORK, "## 二、主要做法\n", "## 二、主要做法\n\n![图1 流程](figures/流程.png)\n")
    out = run(project, "report", "check").output
    assert re.search(r"未通过 Y304 文中引用的图片存在〔工作案例《.+?》〕\n\s+数据：找不到图片“figures/流程.png”\n"
                     r"\s+修改：.+\n\s+位置：\S+工作案例-问题清单驱动的影子跟岗\.md:\d+", out)


def test_missing_self_report_file(project):
    (project / REPORT).unlink()
    out = run(project, "report", "check").output
    assert "未通过 Y300 提交绩效自评报告〔绩效自评报告〕" in out
    assert re.search(r"位置：\S+2023-国培/绩效自评报告\.md\n", out)
