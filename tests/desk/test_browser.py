"""The desk in a real browser: Debian's chromium driven by Selenium through chromedriver.

A staff member uploads a 填报表 with a mistake, sees the message at its cell, uploads the
fixed one, imports it, builds, sees the page thumbnails and downloads a PDF whose text holds
the unit's name; a bureau clerk uploads returned workbooks and sees the master table.
Screenshots go to $DOCGEN_SCREENSHOTS when it is set (to look at the pages).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import CALL, UNIT_A

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = [pytest.mark.lo, pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                                 reason="chromium / chromedriver 未安装（make test 会安装）")]


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,1600", "--lang=zh-CN", f"--user-data-dir={tmp_path / 'ud'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(2)
    yield driver
    driver.quit()


def _shot(driver, name: str) -> None:
    folder = os.environ.get("DOCGEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def _wait(driver, predicate, seconds: float = 240.0):
    end = time.time() + seconds
    while time.time() < end:
        if predicate(driver):
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out on {driver.current_url}: {driver.find_element('tag name', 'main').text[:800]}")


def _upload(driver, path: Path, button_text: str, form_index: int = 0) -> None:
    from selenium.webdriver.common.by import By

    inputs = driver.find_elements(By.CSS_SELECTOR, "input[type=file]")
    inputs[form_index].send_keys(str(path))
    form = inputs[form_index].find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.XPATH, f".//button[contains(., '{button_text}')]").click()


def test_staff_member_fixes_a_sheet_imports_builds_and_downloads_the_sealed_pdf(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, project = server
    browser.get(f"{base}/")
    assert "河洛师范学院" in browser.page_source
    _shot(browser, "01-home")
    browser.find_element(By.LINK_TEXT, "河洛师范学院").click()
    _wait(browser, lambda d: "下载填报表" in d.page_source)
    _shot(browser, "02-unit")
    # the sheet, as the browser would download it
    link = browser.find_element(By.LINK_TEXT, "下载填报表").get_attribute("href")
    sheet = urllib.request.urlopen(link).read()
    wb = openpyxl.load_workbook(io.BytesIO(sheet))
    ws = wb["单位信息"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "邮编*")
    ws.cell(row, 2).value = "4719"
    bad = tmp_path / "填报表-有错.xlsx"
    wb.save(bad)
    _upload(browser, bad, "检查")
    _wait(browser, lambda d: "没有导入任何内容" in d.page_source)
    assert f"[单位信息]!B{row}" in browser.page_source
    _shot(browser, "03-import-error")
    browser.get(f"{base}/unit/{UNIT_A}")
    ws.cell(row, 2).value = "471935"
    good = tmp_path / "填报表-改好.xlsx"
    wb.save(good)
    _upload(browser, good, "检查")
    _wait(browser, lambda d: "确认导入" in d.page_source)
    _shot(browser, "04-import-dry-run")
    browser.find_element(By.XPATH, "//button[contains(., '确认导入')]").click()
    _wait(browser, lambda d: "已导入" in d.page_source)
    assert "471935" in (project / "data" / "units" / UNIT_A / "unit.yaml").read_text(encoding="utf-8")
    # the application page: narrative with its live 字数
    browser.get(f"{base}/app/{UNIT_A}/luoyang-2026-1")
    area = browser.find_elements(By.TAG_NAME, "textarea")[0]
    area.send_keys("补充一句。")
    _wait(browser, lambda d: "补充一句" in area.get_attribute("value") and "字" in d.find_element(
        By.CSS_SELECTOR, ".count").text, 10)
    _shot(browser, "05-application")
    # build from the desk
    browser.get(f"{base}/build/{UNIT_A}/{CALL}")
    browser.find_element(By.XPATH, "//button[contains(., '生成')]").click()
    _wait(browser, lambda d: "已完成" in d.page_source and d.find_elements(By.CSS_SELECTOR, ".thumbs img"))
    _wait(browser, lambda d: all(img.get_attribute("naturalWidth") not in (None, "0")
                                  for img in d.find_elements(By.CSS_SELECTOR, ".thumbs img")[:3]), 60)
    _shot(browser, "06-build-thumbnails")
    pdf_link = next(a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".doc .name a")
                    if "申报材料" in a.text and a.text.endswith(".pdf"))
    pdf = tmp_path / "申报材料.pdf"
    pdf.write_bytes(urllib.request.urlopen(pdf_link).read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "河洛师范学院" in text
    browser.find_elements(By.CSS_SELECTOR, ".thumbs a")[0].click()
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "img.fullpage"))
    _shot(browser, "07-full-page")


def test_bureau_clerk_uploads_returned_workbooks_and_sees_the_master_table(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from tests.bureau.returns import HIGH, MIDDLE, returned

    base, _project = server
    paths = [returned(tmp_path / "甲学院.xlsx", "甲学院", "张", "0379-61234561", [(1, HIGH, "")]),
             returned(tmp_path / "乙中心.xlsx", "乙中心", "李", "0379-61234562", [(2, MIDDLE, "")]),
             returned(tmp_path / "丙公司.xlsx", "丙公司", "王", "0379-61234563", [("一", "不存在的项目", "")])]
    browser.get(f"{base}/bureau")
    browser.find_element(By.LINK_TEXT, CALL).click()
    inputs = browser.find_elements(By.CSS_SELECTOR, "input[type=file]")
    inputs[0].send_keys("\n".join(str(p) for p in paths))
    inputs[0].find_element(By.XPATH, "./ancestor::form").find_element(By.TAG_NAME, "button").click()
    _wait(browser, lambda d: "受理" in d.page_source and "申报汇总总表" in d.page_source, 60)
    rows = browser.find_elements(By.CSS_SELECTOR, "table.grid tbody tr")
    units = {r.find_elements(By.TAG_NAME, "td")[2].text for r in rows}
    assert {"甲学院", "乙中心", "丙公司"} <= units
    assert "丙公司.xlsx" in browser.page_source
    _shot(browser, "08-bureau-master")
