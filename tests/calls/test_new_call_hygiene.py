"""`docgen check` warns when a call copied by `docgen new-call` does not match its templates."""

from docx import Document

from tests.conftest import edit, run

NEW = "luoyang-2027-copy"
OLD = "luoyang-2026-waichu-gengang"


def test_unused_and_undeclared_narrative_and_stale_text(project):
    assert run(project, "new-call", NEW, "--from", OLD).exit_code == 0
    call = project / "data/calls" / NEW / "call.yaml"
    result = run(project, "check", "--call", NEW)
    assert "警告[D564]" in result.stderr and f"新通知的年度仍与复制来源“{OLD}”相同" in result.stderr
    edit(call, "year: 2026\npublished: 2026-05-08", "year: 2027\npublished: 2027-04-20")
    edit(call, "project_title: 洛阳市2026年“市培计划”外出跟岗项目", "project_title: 洛阳市2027年“市培计划”外出跟岗项目")
    # a new 安全保障 item declared but printed by no template; 名师送教 printed but no longer declared
    edit(call, "    - key: teaching\n", "    - key: safety\n      title: 安全保障\n    - key: teaching_gone\n")
    tpl = project / "templates/docx" / NEW / "申报书.docx"
    doc = Document(tpl)
    doc.add_paragraph("洛阳市2026年“市培计划”外出跟岗项目申报书（附）")  # fixed text left from the old call
    doc.save(tpl)
    result = run(project, "check", "--call", NEW)
    err = result.stderr
    assert "警告[D561] 叙述项“safety”（安全保障）没有任何模板用到，填写的内容不会出现在申报书中" in err
    assert f"data/calls/{NEW}/call.yaml:" in err.split("警告[D561]")[0].splitlines()[-1]
    assert "警告[D562] 模板用到叙述项“teaching”，但 call.yaml 的 application.narrative 没有声明它" in err
    assert f"templates/docx/{NEW}/申报书.docx（段落“洛阳市2026年“市培计划”外出跟岗项" in err
    assert "警告[D563] 模板的固定文字中还有复制来源通知的“洛阳市2026年“市培计划”外出跟岗项目”" in err
    assert "警告[D564]" not in err
    report = (project / "build" / "检查报告.html").read_text(encoding="utf-8")
    assert "D561" in report and "D563" in report
