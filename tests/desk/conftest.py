"""A desk over a fresh copy of the samples, driven by Starlette's test client."""

from __future__ import annotations

import io
import re
import socket
import threading
import time
from pathlib import Path

import openpyxl
import pytest
from starlette.testclient import TestClient

from docgen.desk import service
from docgen.desk.app import DeskConfig, create_app
from docgen.desk.service import Settings


class Desk:
    """A test client that knows the page's CSRF token."""

    def __init__(self, client: TestClient, root: Path):
        self.client, self.root = client, root
        self.data, self.out = root / "data", root / "build"
        self.csrf = ""

    def get(self, url: str, **kw):
        r = self.client.get(url, **kw)
        m = re.search(r'X-CSRF-Token": "([^"]+)"', r.text) if r.headers.get("content-type", "").startswith(
            "text/html") else None
        if m:
            self.csrf = m.group(1)
        return r

    def post(self, url: str, data: dict | None = None, files=None, csrf: bool = True, **kw):
        if not self.csrf:
            self.get("/")
        data = dict(data or {})
        if csrf:
            data["csrf"] = self.csrf
        return self.client.post(url, data=data, files=files, **kw)


def make_desk(root: Path, password_hash: str | None = None, require_login: bool = False) -> Desk:
    service.forget()
    settings = Settings(root, root / "data", root / "build")
    app = create_app(DeskConfig(settings, password_hash, require_login=require_login))
    return Desk(TestClient(app, raise_server_exceptions=False), root)


@pytest.fixture
def desk(project: Path) -> Desk:
    return make_desk(project)


def xlsx_bytes(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(project):
    """The desk served by uvicorn on a free local port, in a thread of this process; yields (url, project)."""
    import uvicorn

    from docgen.desk import service
    from docgen.desk.app import DeskConfig, create_app
    from docgen.desk.service import Settings

    service.forget()
    port = _free_port()
    app = create_app(DeskConfig(Settings(project, project / "data", project / "build")))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", project
    srv.should_exit = True
    thread.join(timeout=10)
