"""Every page of the desk and its error paths, through Starlette's test client."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from docgen.desk import security
from tests.conftest import CALL, UNIT_A, UNIT_B
from tests.desk.conftest import make_desk, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_home_lists_units_applications_and_their_status(desk):
    r = desk.get("/")
    assert r.status_code == 200
    assert "河洛师范学院" in r.text and "中原智育" in r.text or "zhongyuan" in r.text
    assert "高中新高考培训项目" in r.text
    assert "通过" in r.text and "未生成" in r.text
    assert '<html lang="zh-CN">' in r.text


def test_unit_page_offers_the_filled_sheet(desk):
    r = desk.get(f"/unit/{UNIT_A}")
    assert r.status_code == 200 and "下载填报表" in r.text and "营业执照" in r.text
    sheet = desk.get(f"/unit/{UNIT_A}/sheet.xlsx")
    assert sheet.status_code == 200 and sheet.headers["content-type"] == XLSX
    wb = openpyxl.load_workbook(io.BytesIO(sheet.content))
    values = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert "河洛师范学院" in values


def _sheet(desk, unit=UNIT_A) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(desk.get(f"/unit/{unit}/sheet.xlsx").content))


def _cell_with(wb, text):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == text:
                    return ws, c
    raise AssertionError(text)


def test_upload_with_a_mistake_shows_the_cell_then_the_fixed_one_imports_and_undo_restores(desk):
    unit_yaml = desk.data / "units" / UNIT_A / "unit.yaml"
    before = unit_yaml.read_text(encoding="utf-8")
    wb = _sheet(desk)
    ws, cell = _cell_with(wb, "邮编*")
    target = ws.cell(cell.row, cell.column + 1)
    target.value = "4719"
    r = desk.post(f"/unit/{UNIT_A}/import", files={"file": ("填报表.xlsx", xlsx_bytes(wb), XLSX)})
    assert r.status_code == 200
    assert f"{target.parent.title}]!{target.coordinate}" in r.text, r.text
    assert "没有导入任何内容" in r.text
    assert unit_yaml.read_text(encoding="utf-8") == before
    # fixed: a real change (the 邮编) goes through the dry run, then the import
    wb = _sheet(desk)
    ws, cell = _cell_with(wb, "邮编*")
    value_cell = ws.cell(cell.row, cell.column + 1)
    value_cell.value = "471935"
    r = desk.post(f"/unit/{UNIT_A}/import", files={"file": ("填报表.xlsx", xlsx_bytes(wb), XLSX)})
    assert "检查通过" in r.text and "确认导入" in r.text
    token = r.text.split('name="token" value="')[1].split('"')[0]
    assert unit_yaml.read_text(encoding="utf-8") == before  # the dry run wrote nothing
    r = desk.post(f"/unit/{UNIT_A}/import/confirm", {"token": token, "action": "confirm"})
    assert r.status_code == 200 and "已导入" in r.text
    assert "471935" in unit_yaml.read_text(encoding="utf-8")
    r = desk.post(f"/unit/{UNIT_A}/undo")
    assert r.status_code == 200 and "已恢复" in r.text
    assert unit_yaml.read_text(encoding="utf-8") == before


def test_a_pdf_named_xlsx_is_refused_by_content(desk):
    r = desk.post(f"/unit/{UNIT_A}/import", files={"file": ("填报表.xlsx", b"%PDF-1.4\n%%EOF", XLSX)})
    assert r.status_code == 400 and "按文件内容识别为：PDF" in r.text


def test_an_oversized_upload_is_refused(desk):
    big = b"PK\x03\x04" + b"\0" * (security.MAX_UPLOAD_BYTES + 10)
    r = desk.post(f"/unit/{UNIT_A}/import", files={"file": ("big.xlsx", big, XLSX)})
    assert r.status_code in (400, 413)
    assert "上限" in r.text or "太大" in r.text
    assert "Traceback" not in r.text


def test_a_zip_bomb_is_refused_before_inflating(desk):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    r = desk.post(f"/unit/{UNIT_A}/import", files={"file": ("bomb.xlsx", buf.getvalue(), XLSX)})
    assert r.status_code == 400 and "压缩比" in r.text


def test_a_post_without_csrf_token_is_refused(desk):
    r = desk.post(f"/unit/{UNIT_A}/undo", csrf=False)
    assert r.status_code == 403 and "CSRF" in r.text


def test_unknown_ids_and_paths_give_chinese_404s(desk):
    for url in ("/unit/nobody", f"/app/{UNIT_A}/nothing", f"/doc/{UNIT_A}/{CALL}/..%2F..%2Funit.yaml",
                f"/doc/{UNIT_A}/{CALL}/unit.yaml", "/bureau/../../etc", "/no-such-page"):
        r = desk.get(url)
        assert r.status_code == 404, url
        assert "找不到" in r.text or "没有" in r.text
        assert "unit:" not in r.text  # no file content leaked


def test_application_page_counts_words_like_the_checker_and_saves_the_yaml(desk):
    from docgen.text import count_words

    r = desk.get(f"/app/{UNIT_A}/luoyang-2026-1")
    assert r.status_code == 200 and "目标定位" in r.text and "字" in r.text
    text = "本项目面向洛阳市高中教师，采用 7 天跟岗 + 7 次送教。\n\n第二段 AI 教学。"
    c = desk.post(f"/app/{UNIT_A}/luoyang-2026-1/count", {"text": text, "limit": "10"})
    assert f"{count_words(text)} 字 / 上限 10 字" in c.text and "超出" in c.text
    path = desk.data / "units" / UNIT_A / "applications" / "luoyang-2026-1.yaml"
    r = desk.post(f"/app/{UNIT_A}/luoyang-2026-1/save", {"key": "goal", "text": text},
                  headers={"HX-Request": "true"})
    assert r.status_code == 200 and "已保存" in r.text
    saved = path.read_text(encoding="utf-8")
    assert "第二段 AI 教学。" in saved
    assert "# 申报的通知" in saved  # the comments of the file are kept
    page = desk.get(f"/app/{UNIT_A}/luoyang-2026-1")
    assert "第二段 AI 教学。" in page.text


def test_check_page_shows_rules_with_figures_and_links(desk):
    r = desk.get("/check")
    assert r.status_code == 200 and "未通过 0 项" in r.text and "河洛师范学院" in r.text
    r = desk.get("/check?all=1")
    assert "影子导师与学员之比不低于 1:5" in r.text and "影子导师 44 名，学员 220 人" in r.text
    assert f'href="/app/{UNIT_A}/luoyang-2026-1"' in r.text or f'href="/unit/{UNIT_A}"' in r.text


def test_check_page_shows_a_failing_rule_with_its_advice(desk):
    from tests.conftest import edit

    edit(desk.data / "calls" / CALL / "call.yaml", 'min: "1:5"', 'min: "1:1"')
    r = desk.get("/check")
    assert "未通过" in r.text and "要求不低于 1:1" in r.text
    assert f'href="/app/{UNIT_A}/luoyang-2026-1"' in r.text


def test_check_page_lists_a_damaged_attachment_with_its_place(desk):
    """A scan cut short in transfer: the clerk sees it on the check page, before a build fails on it."""
    from tests.hostile.helpers import three_page_pdf, truncate

    scan = desk.data / "units" / UNIT_A / "attachments" / "法定代表人证明.pdf"
    three_page_pdf(scan)
    truncate(scan, 0.5)
    r = desk.get("/check")
    assert r.status_code == 200
    assert "佐证材料和印章图片" in r.text and "错误 P752" in r.text
    assert "attachments[4].file" in r.text and "内容缺失" in r.text
    assert "共检查" in r.text  # the rules are still shown below


def test_templates_desk_reports_a_broken_tag_and_keeps_the_old_template(desk):
    from docx import Document

    r = desk.get("/templates")
    assert r.status_code == 200 and "申报书.docx" in r.text
    page = r.text
    link = page.split('/download">下载')[0].rsplit('href="', 1)[1]
    call_id, index = link.split("/")[2], link.split("/")[3]
    original = desk.get(link + "/download")
    doc = Document(io.BytesIO(original.content))
    doc.add_paragraph("单位：{{ unit.name }")
    buf = io.BytesIO()
    doc.save(buf)
    r = desk.post(f"/templates/{call_id}/{index}/upload",
                  files={"file": ("改过的.docx", buf.getvalue(), "application/octet-stream")})
    assert r.status_code == 200 and "T401" in r.text and "改过的.docx" in r.text
    assert "采用新模板" not in r.text


def test_bureau_desk_collects_returns_and_tallies_to_the_publicity(desk, tmp_path):
    from tests.bureau.returns import HIGH, MIDDLE, returned

    files = []
    for i, (unit, sub) in enumerate([("甲学院", HIGH), ("乙中心", HIGH), ("丙公司", HIGH), ("丁学院", MIDDLE)]):
        p = returned(tmp_path / f"{i}.xlsx", unit, "张", f"0379-6123456{i}", [(1, sub, "")])
        files.append(("files", (f"{unit}.xlsx", p.read_bytes(), XLSX)))
    r = desk.post(f"/bureau/{CALL}/returns", files=files)
    assert r.status_code == 200, r.text
    assert "受理 4 项" in r.text and "甲学院.xlsx" in r.text
    master = desk.get(f"/bureau/{CALL}/master.xlsx")
    assert master.status_code == 200
    z = desk.post(f"/bureau/{CALL}/sheets", {"reviewers": "3"})
    assert z.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert names == ["评分表-评委01.xlsx", "评分表-评委02.xlsx", "评分表-评委03.xlsx"]
    filled = []
    for k, name in enumerate(names):
        wb = openpyxl.load_workbook(io.BytesIO(zipfile.ZipFile(io.BytesIO(z.content)).read(name)))
        ws = wb["评分表"]
        for row in range(4, ws.max_row + 1):
            for col in range(4, 11):
                ws.cell(row, col).value = 5 if col != 8 else 30 + k
        filled.append(("files", (name, xlsx_bytes(wb), XLSX)))
    r = desk.post(f"/bureau/{CALL}/scores", files=filled)
    assert r.status_code == 200, r.text
    assert "评委 3 人" in r.text and "评审结果公示名单.docx" in r.text


def test_login_is_required_off_localhost_and_rate_limited(project):
    desk = make_desk(project, security.hash_password("正确的密码123"), require_login=True)
    r = desk.client.get("/", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    desk.get("/login")
    for _ in range(security.LOGIN_ATTEMPTS):
        r = desk.post("/login", {"password": "wrong"})
        assert "密码不正确" in r.text
    r = desk.post("/login", {"password": "正确的密码123"})
    assert r.status_code == 429 and "次数过多" in r.text


def test_the_right_password_logs_in(project):
    desk = make_desk(project, security.hash_password("正确的密码123"), require_login=True)
    desk.get("/login")
    r = desk.post("/login", {"password": "正确的密码123"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "河洛师范学院" in desk.get("/").text


def test_password_is_stored_hashed(tmp_path):
    path = security.store_password(tmp_path, "abcdefgh")
    text = path.read_text(encoding="utf-8")
    assert "abcdefgh" not in text and text.count("scrypt$") == 1
    assert security.verify_password("abcdefgh", security.stored_hash(tmp_path))
    assert not security.verify_password("abcdefgX", security.stored_hash(tmp_path))


def test_serve_refuses_a_public_address_without_a_password(project):
    from tests.conftest import run

    r = run(project, "serve", "--host", "0.0.0.0")
    assert r.exit_code == 2 and "B333" in r.output and "--set-password" in r.output


@pytest.mark.lo
def test_build_from_the_desk_shows_thumbnails_and_a_zip(desk):
    import time

    r = desk.post(f"/build/{UNIT_A}/{CALL}", follow_redirects=False)
    assert r.status_code == 303
    target = r.headers["location"]
    job = target.split("job=")[1]
    for _ in range(600):
        p = desk.get(f"/build/{UNIT_A}/{CALL}/progress?job={job}")
        if "every 700ms" not in p.text:
            break
        time.sleep(0.5)
    assert "已完成" in p.text, p.text
    assert ".pdf" in p.text and "<img" in p.text
    img = p.text.split('src="/page/')[1].split('"')[0]
    png = desk.get("/page/" + img)
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    z = desk.get(f"/zip/{UNIT_A}/{CALL}")
    names = zipfile.ZipFile(io.BytesIO(z.content)).namelist()
    assert any(n.startswith("申报材料") and n.endswith(".pdf") for n in names)


def _unit_files(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_another_units_sheet_is_refused_until_ticked_then_imported_with_a_snapshot_and_undone(desk):
    import shutil

    a_dir, b_dir = desk.data / "units" / UNIT_A, desk.data / "units" / UNIT_B
    # the scans and the Markdown the sheet names are in B's folder too (else R105 would stop it as well)
    shutil.copytree(a_dir / "attachments", b_dir / "attachments", dirs_exist_ok=True)
    shutil.copytree(a_dir / "applications" / "luoyang-2026-1", b_dir / "applications" / "luoyang-2026-1")
    before = _unit_files(b_dir)
    a_name = openpyxl.load_workbook(io.BytesIO(desk.get(f"/unit/{UNIT_A}/sheet.xlsx").content))["单位信息"]["B2"].value
    sheet_a = desk.get(f"/unit/{UNIT_A}/sheet.xlsx").content

    # 1. A's sheet uploaded on B's page: R100 (and R101, the other name) on the page, boxes to tick, nothing written
    r = desk.post(f"/unit/{UNIT_B}/import", files={"file": ("填报表-A.xlsx", sheet_a, XLSX)})
    assert r.status_code == 200
    assert "错误 R100" in r.text and f"这份填报表是为单位“{UNIT_A}”（{a_name}）生成的，不能导入到单位“{UNIT_B}”" in r.text
    assert "错误 R101" in r.text and "没有导入任何内容" in r.text
    assert 'name="other_unit"' in r.text and 'name="rename"' in r.text and "确认导入" in r.text
    assert "〔" not in r.text and "项目经验" in r.text  # what the import would change, per sheet
    token = r.text.split('name="token" value="')[1].split('"')[0]
    assert _unit_files(b_dir) == before and not (desk.data / ".history" / UNIT_B).exists()

    # 2. “确认导入” without ticking: refused again, R100 shown, nothing written
    form = {"token": token, "name": "填报表-A.xlsx", "action": "confirm"}
    r = desk.post(f"/unit/{UNIT_B}/import/confirm", form)
    assert r.status_code == 200 and "错误 R100" in r.text and "已导入" not in r.text
    assert _unit_files(b_dir) == before and not (desk.data / ".history" / UNIT_B).exists()
    # only one of the two boxes: still refused, by the other
    r = desk.post(f"/unit/{UNIT_B}/import/confirm", form | {"other_unit": "1"})
    assert "错误 R101" in r.text and "错误 R100" not in r.text and _unit_files(b_dir) == before

    # 3. both ticked: imported into B, after a snapshot (the same as docgen data import's)
    r = desk.post(f"/unit/{UNIT_B}/import/confirm", form | {"other_unit": "1", "rename": "1"})
    assert r.status_code == 200 and "已导入" in r.text, r.text
    assert f"name: {a_name}" in (b_dir / "unit.yaml").read_text(encoding="utf-8")
    assert (b_dir / "applications" / "luoyang-2026-1.yaml").is_file()
    assert not (b_dir / "applications" / "luoyang-2026-2.yaml").exists()  # B's own application was not in A's sheet
    snap = desk.data / ".history" / UNIT_B / "001" / "manifest.json"
    assert snap.is_file() and "填报表-A.xlsx" in snap.read_text(encoding="utf-8")
    assert "撤销上一次导入" in desk.get(f"/unit/{UNIT_B}").text

    # 4. undo: B's files as they were, the snapshot used up; a second undo has nothing left (R112)
    r = desk.post(f"/unit/{UNIT_B}/undo")
    assert r.status_code == 200 and "已恢复" in r.text
    assert _unit_files(b_dir) == before
    assert not snap.parent.exists() and "撤销上一次导入" not in desk.get(f"/unit/{UNIT_B}").text
    r = desk.post(f"/unit/{UNIT_B}/undo")
    assert r.status_code == 400 and "R112" in r.text and "没有可撤销的导入" in r.text


def test_one_units_broken_data_leaves_the_desk_open_and_its_sheet_mends_it(desk):
    """Someone typed fields where the unit's 邮编 goes: the other unit still works, this one shows its
    error, and uploading its 填报表 (downloaded earlier) mends it."""
    sheet = desk.get(f"/unit/{UNIT_B}/sheet.xlsx").content
    unit_yaml = desk.data / "units" / UNIT_B / "unit.yaml"
    good = unit_yaml.read_text(encoding="utf-8")
    broken = good.replace("postcode: 450018", "postcode: {区号: 450018}", 1)
    assert broken != good
    unit_yaml.write_text(broken, encoding="utf-8")
    home = desk.get("/")
    assert home.status_code == 200 and "数据中的错误" in home.text
    assert "zhongyuan-zhiyu/unit.yaml:14" in home.text and "数据有错误" in home.text
    assert "河洛师范学院" in home.text  # the other unit and its applications are listed as before
    assert desk.get(f"/unit/{UNIT_A}").status_code == 200
    assert "河洛师范学院" in desk.get("/check").text
    page = desk.get(f"/unit/{UNIT_B}")
    assert page.status_code == 200 and "本单位的数据有错误" in page.text and "unit.yaml:14" in page.text
    r = desk.post(f"/unit/{UNIT_B}/import", files={"file": ("填报表.xlsx", sheet, XLSX)})
    assert r.status_code == 200 and "确认导入" in r.text, r.text
    token = r.text.split('name="token" value="')[1].split('"')[0]
    r = desk.post(f"/unit/{UNIT_B}/import/confirm", {"token": token, "action": "confirm"})
    assert r.status_code == 200 and "已导入" in r.text, r.text
    assert "postcode: '450018'" in unit_yaml.read_text(encoding="utf-8") or \
        "postcode: 450018" in unit_yaml.read_text(encoding="utf-8")
    home = desk.get("/")
    assert "数据中的错误" not in home.text and "河南中原智育教师发展研究院有限公司" in home.text
    assert desk.get("/unit/no-such-unit").status_code == 404


def test_a_unit_file_that_is_not_yaml_any_more_is_named_on_import_not_a_crash(desk):
    sheet = desk.get(f"/unit/{UNIT_B}/sheet.xlsx").content
    unit_yaml = desk.data / "units" / UNIT_B / "unit.yaml"
    good = unit_yaml.read_text(encoding="utf-8")
    unit_yaml.write_text(good.replace("address: 河南省郑州市", "address: [河南省郑州市]", 1), encoding="utf-8")
    page = desk.get(f"/unit/{UNIT_B}")
    assert page.status_code == 200 and "错误 D101" in page.text and "unit.yaml:13" in page.text
    r = desk.post(f"/unit/{UNIT_B}/import", files={"file": ("填报表.xlsx", sheet, XLSX)})
    assert r.status_code in (200, 400) and "错误 D101" in r.text and "unit.yaml:13" in r.text, r.text
    assert "内部错误" not in r.text
    assert unit_yaml.read_text(encoding="utf-8") != good  # nothing written


def test_a_unit_with_a_mistyped_postcode_is_listed_but_its_build_names_the_mistake(desk):
    """A format mistake leaves the unit readable (its pages work), and a build refuses at the field."""
    import time

    unit_yaml = desk.data / "units" / UNIT_B / "unit.yaml"
    unit_yaml.write_text(unit_yaml.read_text(encoding="utf-8").replace("postcode: 450018", "postcode: 4500", 1),
                         encoding="utf-8")
    home = desk.get("/")
    assert "数据中的错误" in home.text and "错误 D103" in home.text
    assert desk.get(f"/unit/{UNIT_B}").status_code == 200
    r = desk.post(f"/build/{UNIT_B}/{CALL}", follow_redirects=False)
    assert r.status_code == 303
    job = r.headers["location"].split("job=")[1]
    for _ in range(600):
        p = desk.get(f"/build/{UNIT_B}/{CALL}/progress?job={job}")
        if "every 700ms" not in p.text:
            break
        time.sleep(0.2)
    assert "D103" in p.text and "unit.yaml:14" in p.text, p.text
    assert not list(desk.out.glob(f"{UNIT_B}/**/*.pdf"))  # nothing made from the wrong data
