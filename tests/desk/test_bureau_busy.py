"""While the bureau's intake runs (LibreOffice recalculates the master for seconds), the other pages answer."""

from __future__ import annotations

import re
import threading
import time

import httpx

from tests.bureau.returns import HIGH, returned
from tests.conftest import CALL

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_other_pages_answer_while_the_intake_runs(server, tmp_path, monkeypatch):
    from docgen.desk import bureau as bureau_desk

    url, _project = server
    entered, release = threading.Event(), threading.Event()
    real_collect = bureau_desk.collect

    def slow_collect(settings, call_id):
        entered.set()
        assert release.wait(30)
        return real_collect(settings, call_id)

    monkeypatch.setattr(bureau_desk, "collect", slow_collect)
    client = httpx.Client(base_url=url, timeout=60)
    home = client.get("/")
    csrf = re.search(r'X-CSRF-Token": "([^"]+)"', home.text).group(1)
    upload = returned(tmp_path / "甲.xlsx", "甲学院", "张", "0379-61234560", [(1, HIGH, "")])
    answer: dict = {}

    def post() -> None:
        answer["r"] = client.post(f"/bureau/{CALL}/returns", data={"csrf": csrf},
                                  files=[("files", ("甲学院.xlsx", upload.read_bytes(), XLSX))])

    poster = threading.Thread(target=post)
    poster.start()
    try:
        assert entered.wait(30), "the intake never started"
        start = time.perf_counter()
        other = httpx.get(f"{url}/", timeout=10)  # another clerk's page, while the intake is held
        assert other.status_code == 200 and time.perf_counter() - start < 5
        assert "r" not in answer  # the intake is still running
    finally:
        release.set()
        poster.join(60)
    assert answer["r"].status_code == 200 and "受理 1 项" in answer["r"].text, answer["r"].text[-2000:]
