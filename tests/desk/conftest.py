"""A desk over a fresh copy of the samples, driven by Starlette's test client."""

from __future__ import annotations

import io
import re
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
