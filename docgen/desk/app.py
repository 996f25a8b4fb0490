"""The desk: server-rendered pages (Starlette + Jinja2, htmx) over the same functions the CLI calls.

Pages never take a path from a request: units, calls, applications and templates are
looked up by id in the loaded project, built files by name in a listing, uploads by a
random token. Every POST carries the session's CSRF token. Errors a person can fix are
shown as Chinese messages with their place; anything else is an "内部错误" page, never a
stack trace.
"""

from __future__ import annotations

import io
import logging
import secrets
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from docgen.desk import bureau as bureau_desk
from docgen.desk import security, service, staffing, thumbs
from docgen.desk.security import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES
from docgen.desk.service import Settings
from docgen.desk.worker import Builder
from docgen.errors import Diagnostic, DocgenError

HERE = Path(__file__).resolve().parent
log = logging.getLogger("docgen.desk")


@dataclass
class DeskConfig:
    """How the desk runs: its folders, whether it needs a login, and the stored password hash."""

    settings: Settings
    password_hash: str | None = None
    require_login: bool = False
    jobs: int = 1


class UserError(Exception):
    """A problem the person can fix, shown on the page with its places."""

    def __init__(self, title: str, problems: list[Diagnostic] | None = None, status: int = 400,
                 back: str | None = None):
        super().__init__(title)
        self.title, self.problems, self.status, self.back = title, problems or [], status, back


def _cn_status(status: int) -> str:
    return {400: "请求有误", 403: "没有权限", 404: "找不到页面", 405: "不支持的操作", 413: "上传的文件太大",
            429: "尝试次数过多"}.get(status, "出错了")


@dataclass
class UnreadUnit:
    """A unit folder whose data has errors: its page lists them and keeps the 填报表 and the undo."""

    id: str
    dir: Path

    @property
    def model(self) -> Any:
        from types import SimpleNamespace

        return SimpleNamespace(name=self.id)


class Desk:
    """What every page needs: the folders, the page templates, the build queue, the login limiter."""

    def __init__(self, config: DeskConfig):
        self.config = config
        self.settings = config.settings
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals["quote"] = quote
        self.builder = Builder(self.settings.root, self.settings.data, self.settings.out, config.jobs)
        self.limiter = security.LoginLimiter()
        self.access_log = self.settings.state / "access.log"
        self._bureau_lock = threading.Lock()

    async def bureau_work(self, fn, *args: Any) -> Any:
        """Run the bureau's intake or tally *fn* (it may run LibreOffice for seconds) in a worker thread, one at
        a time, so that the other pages keep answering meanwhile; its errors reach the page as before."""
        def locked() -> Any:
            with self._bureau_lock:
                return fn(*args)
        return await run_in_threadpool(locked)

    def page(self, request: Request, template_name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("title", "docgen 工作台")
        context["csrf"] = request.session.get("csrf", "")
        context["logged_in"] = bool(request.session.get("user"))
        context["require_login"] = self.config.require_login
        return self.templates.TemplateResponse(request, template_name, context, status_code=status)

    async def guarded(self, request: Request, handler) -> Response:
        start = time.perf_counter()
        if "csrf" not in request.session:
            request.session["csrf"] = security.new_token()
        try:
            if self.config.require_login and not request.session.get("user") \
                    and request.url.path != "/login" and not request.url.path.startswith("/static/"):
                return RedirectResponse("/login", status_code=303)
            if request.method == "POST":
                token = request.headers.get("x-csrf-token")
                if token is None:
                    form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=200,
                                              max_part_size=MAX_UPLOAD_BYTES)
                    field = form.get("csrf")
                    token = field if isinstance(field, str) else None
                if not security.same_token(token, request.session.get("csrf")):
                    raise UserError("表单已过期或来源不明（缺少 CSRF 令牌），请刷新页面后重试。", status=403)
            response = await handler(request)
        except UserError as exc:
            response = self.page(request, "error.html", status=exc.status, message=exc.title, problems=exc.problems,
                            back=exc.back, title=_cn_status(exc.status))
        except DocgenError as exc:
            response = self.page(request, "error.html", status=400, message="请按下面的提示修改后重试。",
                            problems=exc.diagnostics, back=request.headers.get("referer"), title="发现问题")
        except HTTPException as exc:
            response = self.page(request, "error.html", status=exc.status_code, message=_cn_status(exc.status_code),
                            problems=[], back="/", title=_cn_status(exc.status_code))
        except Exception:
            log.exception("internal error on %s", request.url.path)
            response = self.page(request, "error.html", status=500, title="内部错误",
                            message="内部错误：docgen 自身出现了缺陷（不是您的数据问题）。请把出错的时间和操作告诉维护者。",
                            problems=[], back="/")
        _log(self.access_log, request, response.status_code, time.perf_counter() - start)
        return response

    def loaded(self) -> service.Loaded:
        return service.load(self.settings)

    def project_or_error(self):
        result = self.loaded()
        if result.project is None:
            raise UserError("数据无法读取，请先修改下列问题（或在单位页面上传修改好的填报表）。", result.problems)
        return result.project

    def unit_of(self, project, unit_id: str):
        unit = project.units.get(unit_id)
        if unit is None:
            raise UserError(f"没有单位“{unit_id}”。", status=404, back="/")
        return unit

    def unread_units(self, project) -> dict[str, Path]:
        """Return the unit folders (id → folder) whose data could not be read into *project*."""
        return {p.parent.name: p.parent for p in sorted((self.settings.data / "units").glob("*/unit.yaml"))
                if p.parent.name not in project.units}

    def sheet_unit(self, project, unit_id: str):
        """Return the unit whose 填报表 is downloaded, uploaded or undone: a loaded unit, or one whose data has
        errors (an import or an undo is how the office mends it); a 404 page for an unknown id."""
        unit = project.units.get(unit_id)
        if unit is not None:
            return unit
        folder = self.unread_units(project).get(unit_id)
        if folder is None:
            raise UserError(f"没有单位“{unit_id}”。", status=404, back="/")
        return UnreadUnit(unit_id, folder)

    def call_of(self, project_or_calls, call_id: str):
        calls = getattr(project_or_calls, "calls", project_or_calls)
        call = calls.get(call_id)
        if call is None:
            raise UserError(f"没有通知“{call_id}”。", status=404, back="/")
        return call

    async def uploads(self, request: Request, field: str, kinds: tuple[str, ...], what: str) -> list[tuple[str, bytes, str]]:
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_fields=200, max_part_size=MAX_UPLOAD_BYTES)
        files = [f for f in form.getlist(field) if isinstance(f, UploadFile) and f.filename]
        if not files:
            raise UserError(f"没有选择{what}。", back=request.headers.get("referer"))
        if len(files) > MAX_UPLOAD_FILES:
            raise UserError(f"一次最多上传 {MAX_UPLOAD_FILES} 个文件。", status=413)
        out = []
        problems = []
        for f in files:
            data = await f.read(MAX_UPLOAD_BYTES + 1)
            name = Path(f.filename or "").name
            if len(data) > MAX_UPLOAD_BYTES:
                raise UserError(f"文件“{name}”超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB 的上传上限。", status=413,
                                back=request.headers.get("referer"))
            kind = security.sniff(data)
            if kind not in kinds:
                problems.append(Diagnostic("B330", f"“{name}”不是{what}（按文件内容识别为：{_kind_text(kind)}）",
                                           None, hint="请上传正确的文件（不要只改扩展名）。"))
                continue
            if kind in ("xlsx", "docx", "zip"):
                why = security.zip_problem(data)
                if why:
                    problems.append(Diagnostic("B331", f"“{name}”被拒绝：{why}", None,
                                               hint="请用 Excel/WPS/Word 重新保存后上传。"))
                    continue
            out.append((name, data, kind))
        if problems:
            raise UserError("上传的文件有问题：", problems, back=request.headers.get("referer"))
        return out

    def doc_of(self, request: Request):
        project = self.project_or_error()
        unit = self.unit_of(project, request.path_params["unit_id"])
        call = self.call_of(project, request.path_params["call_id"])
        doc = service.document(self.settings, unit.id, call.id, request.path_params["name"])
        if doc is None:
            raise UserError("找不到这个文件（可能已重新生成）。", status=404, back="/")
        return doc

    def template_of(self, project, call_id: str, index: int):
        call = self.call_of(project, call_id)
        paths = _template_paths(self.settings, call)
        if not 0 <= index < len(paths):
            raise UserError("没有这个模板。", status=404, back="/templates")
        return call, paths[index]

    def bureau_calls(self):
        from docgen.bureau.calls import load_call  # noqa: F401 - only the calls are needed
        calls_dir = self.settings.data / "calls"
        return sorted(p.name for p in calls_dir.iterdir() if (p / "call.yaml").is_file()) if calls_dir.is_dir() else []

    def bureau_call(self, call_id: str) -> str:
        if call_id not in self.bureau_calls():
            raise UserError(f"没有通知“{call_id}”。", status=404, back="/bureau")
        return call_id


def _routes_0(d: Desk, add) -> None:
    """Register the pages: login."""
    # -- login ----------------------------------------------------------------------------

    @add("/login", ["GET", "POST"])
    async def login(request: Request) -> Response:
        if not d.config.require_login:
            return RedirectResponse("/", status_code=303)
        message = ""
        client = request.client.host if request.client else "?"
        if request.method == "POST":
            if d.limiter.blocked(client):
                raise UserError(f"登录失败次数过多，请 {security.LOGIN_WINDOW // 60} 分钟后再试。", status=429)
            form = await request.form()
            password = form.get("password")
            if isinstance(password, str) and d.config.password_hash and \
                    security.verify_password(password, d.config.password_hash):
                d.limiter.succeeded(client)
                request.session.clear()
                request.session["user"] = "staff"
                request.session["csrf"] = security.new_token()
                request.session["since"] = int(time.time())
                return RedirectResponse("/", status_code=303)
            d.limiter.failed(client)
            message = "密码不正确。"
        return d.page(request, "login.html", message=message, title="登录")

    @add("/logout", ["POST"])
    async def logout(request: Request) -> Response:
        request.session.clear()
        return RedirectResponse("/login" if d.config.require_login else "/", status_code=303)


def _routes_1(d: Desk, add) -> None:
    """Register the pages: institution desk."""
    # -- institution desk -----------------------------------------------------------------

    @add("/")
    async def home(request: Request) -> Response:
        result = d.loaded()
        rows = []
        if result.project is not None:
            results = service.check(result.project)
            for app in result.project.applications:
                mine = [r for r in results if r.unit.id == app.unit.id and r.call.id == app.call.id]
                failed = [r for r in mine if not r.passed]
                docs = service.documents(d.settings, app.unit.id, app.call.id)
                rows.append({"app": app, "failed": len(failed), "rules": len(mine), "docs": docs,
                             "draft": any(d.status == "草稿" for d in docs),
                             "sealed": any(d.status == "已盖章" for d in docs)})
        unread = d.unread_units(result.project) if result.project is not None else {}
        return d.page(request, "home.html", loaded=result, rows=rows, unread=unread,
                      last_build=service.last_build_time(d.settings), title="docgen 工作台")

    @add("/unit/{unit_id}")
    async def unit_page(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.sheet_unit(project, request.path_params["unit_id"])
        if isinstance(unit, UnreadUnit):  # its own errors, the 填报表 to mend them, the undo
            mine = [p for p in d.loaded().problems if p.location is not None and _under(p.location.file, unit.dir)]
            return d.page(request, "unit_unread.html", unit=unit, problems=mine,
                          snapshots=staffing.snapshots(d.settings, unit.id), title=f"{unit.id}（数据有错误）")
        served = _attachments_served(unit, project)
        return d.page(request, "unit.html", unit=unit, served=served,
                      snapshots=staffing.snapshots(d.settings, unit.id), title=unit.model.name)

    @add("/unit/{unit_id}/sheet.xlsx")
    async def unit_sheet(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.sheet_unit(project, request.path_params["unit_id"])
        data = staffing.filled_sheet(d.settings, unit.id)
        return _download(data, f"填报表-{unit.id}.xlsx")

    @add("/unit/{unit_id}/import", ["POST"])
    async def unit_import(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.sheet_unit(project, request.path_params["unit_id"])
        (name, data, _kind), = (await d.uploads(request, "file", ("xlsx",), "填报表（.xlsx 工作簿）"))[:1]
        trial = staffing.try_upload(d.settings, unit.id, name, data)
        return d.page(request, "import.html", unit=unit, trial=trial, title=f"导入填报表：{unit.model.name}")

    @add("/unit/{unit_id}/import/confirm", ["POST"])
    async def unit_import_confirm(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.sheet_unit(project, request.path_params["unit_id"])
        form = await request.form()
        token = str(form.get("token") or "")
        name = str(form.get("name") or "填报表.xlsx")
        if form.get("action") == "discard":
            staffing.discard(d.settings, token)
            return RedirectResponse(f"/unit/{quote(unit.id)}", status_code=303)
        other_unit, rename = form.get("other_unit") == "1", form.get("rename") == "1"
        # the dry run again, with what the person ticked: R100/R101 still refuse without their box
        trial = staffing.retry(d.settings, unit.id, token, name, other_unit=other_unit, rename=rename)
        if trial is None:
            raise UserError("没有可导入的内容（上传已过期），请重新上传。", back=f"/unit/{quote(unit.id)}")
        if trial.errors:
            return d.page(request, "import.html", unit=unit, trial=trial, title=f"导入填报表：{unit.model.name}")
        try:
            written = staffing.confirm(d.settings, unit.id, token, name, other_unit=other_unit, rename=rename)
        except DocgenError as exc:
            raise UserError("填报表有错误，没有导入任何内容。", exc.diagnostics, back=f"/unit/{quote(unit.id)}") from exc
        service.forget()
        if not written:
            raise UserError("没有可导入的内容（与现有数据一致）。", back=f"/unit/{quote(unit.id)}")
        left = staffing.snapshots(d.settings, unit.id)
        return d.page(request, "done.html", title="已导入",
                      message=f"已导入 {unit.model.name} 的填报表。导入前的数据已保存为快照，"
                              f"可在单位页“撤销上一次导入”（共可撤销 {left} 次）。",
                      items=written, back=f"/unit/{quote(unit.id)}", next_link=("/check", "查看检查报告"))

    @add("/unit/{unit_id}/undo", ["POST"])
    async def unit_undo(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.sheet_unit(project, request.path_params["unit_id"])
        try:
            restored = staffing.undo(d.settings, unit.id)
        except DocgenError as exc:  # R112: nothing to undo
            raise UserError("没有可撤销的导入。", exc.diagnostics, back=f"/unit/{quote(unit.id)}") from exc
        service.forget()
        left = staffing.snapshots(d.settings, unit.id)
        return d.page(request, "done.html", title="已撤销",
                      message=f"已恢复到上一次导入之前的数据（还可再撤销 {left} 次）。",
                      items=restored, back=f"/unit/{quote(unit.id)}")

    @add("/unit/{unit_id}/files", ["POST"])
    async def unit_files(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.unit_of(project, request.path_params["unit_id"])
        form = await request.form(max_files=MAX_UPLOAD_FILES, max_part_size=MAX_UPLOAD_BYTES)
        purpose = form.get("purpose")
        if purpose == "seal":
            (name, data, kind), = (await d.uploads(request, "file", ("png",), "公章图片（PNG，透明背景）"))[:1]
            target = unit.dir / "seal.png"
            _write(target, data)
            items = [f"公章图片已保存为 {target.relative_to(d.settings.data)}"]
        else:
            files = await d.uploads(request, "file", ("pdf", "png", "jpeg"), "佐证材料（PDF、JPG 或 PNG）")
            folder = unit.dir / "attachments"
            items = []
            for name, data, kind in files:
                target = folder / _safe_name(name, kind)
                _write(target, data)
                items.append(f"已保存 {target.relative_to(d.settings.data)}（在填报表“佐证材料”中写明它用于哪一项）")
        service.forget()
        return d.page(request, "done.html", title="已上传", message="文件已保存。", items=items,
                    back=f"/unit/{quote(unit.id)}")

    @add("/app/{unit_id}/{app_id}")
    async def app_page(request: Request) -> Response:
        project = d.project_or_error()
        app = service.application(project, request.path_params["unit_id"], request.path_params["app_id"])
        if app is None:
            raise UserError("没有这份申报。", status=404, back="/")
        results = [r for r in service.check(project) if r.application is app or
                   (r.application is None and r.unit is app.unit and r.call is app.call)]
        return d.page(request, "application.html", app=app, items=service.narrative(app), results=results,
                    docs=service.documents(d.settings, app.unit.id, app.call.id),
                    job=d.builder.latest(app.unit.id, app.call.id),
                    title=f"{app.unit.model.name} · {app.sub_project.name}")

    @add("/app/{unit_id}/{app_id}/count", ["POST"])
    async def app_count(request: Request) -> Response:
        from docgen.text import count_words

        form = await request.form()
        text = str(form.get("text") or "")
        limit = str(form.get("limit") or "")
        words = count_words(text)
        over = limit.isdigit() and words > int(limit)
        shown = f"{words} 字" + (f" / 上限 {limit} 字" if limit.isdigit() else "")
        if over:
            shown += f"（超出 {words - int(limit)} 字）"
        return HTMLResponse(f'<span class="{"over" if over else "ok"}">{shown}</span>')


def _routes_2(d: Desk, add) -> None:
    """Register the pages: institution desk（续）."""
    @add("/app/{unit_id}/{app_id}/save", ["POST"])
    async def app_save(request: Request) -> Response:
        project = d.project_or_error()
        app = service.application(project, request.path_params["unit_id"], request.path_params["app_id"])
        if app is None:
            raise UserError("没有这份申报。", status=404, back="/")
        form = await request.form()
        key = str(form.get("key") or "")
        text = str(form.get("text") or "")
        target = service.save_narrative(app, key, text)
        service.forget()
        if request.headers.get("hx-request"):
            return HTMLResponse(f'<span class="ok">已保存（{time.strftime("%H:%M:%S")}，{target.name}）</span>')
        return RedirectResponse(f"/app/{quote(app.unit.id)}/{quote(app.id)}#{quote(key)}", status_code=303)

    @add("/check")
    async def check_page(request: Request) -> Response:
        result = d.loaded()
        results = service.check(result.project) if result.project is not None else []
        show_all = request.query_params.get("all") == "1"
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        for r in results:
            g = groups.setdefault((r.unit.id, r.call.id), {"unit": r.unit, "call": r.call, "passed": 0, "failed": 0,
                                                           "rows": []})
            g["passed" if r.passed else "failed"] += 1
            if show_all or not r.passed:
                g["rows"].append(r)
        ordered = sorted(groups.values(), key=lambda g: (-g["failed"], g["unit"].id, g["call"].id))
        return d.page(request, "check.html", loaded=result, results=results, groups=ordered, show_all=show_all,
                    title="规则检查报告")

    @add("/build/{unit_id}/{call_id}", ["POST"])
    async def build_start(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.unit_of(project, request.path_params["unit_id"])
        call = d.call_of(project, request.path_params["call_id"])
        job = d.builder.start(unit.id, call.id)
        target = f"/build/{quote(unit.id)}/{quote(call.id)}?job={job.id}"
        if request.headers.get("hx-request"):
            return HTMLResponse("", headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)

    @add("/build/{unit_id}/{call_id}")
    async def build_page(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.unit_of(project, request.path_params["unit_id"])
        call = d.call_of(project, request.path_params["call_id"])
        job = d.builder.get(request.query_params.get("job", "")) or d.builder.latest(unit.id, call.id)
        return d.page(request, "build.html", unit=unit, call=call, job=job,
                    docs=service.documents(d.settings, unit.id, call.id) if job is None or job.over else [],
                    title=f"生成：{unit.model.name}")

    @add("/build/{unit_id}/{call_id}/progress")
    async def build_progress(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.unit_of(project, request.path_params["unit_id"])
        call = d.call_of(project, request.path_params["call_id"])
        job = d.builder.get(request.query_params.get("job", "")) or d.builder.latest(unit.id, call.id)
        docs = service.documents(d.settings, unit.id, call.id) if job is None or job.over else []
        return d.templates.TemplateResponse(request, "_progress.html", {"unit": unit, "call": call, "job": job,
                                                                      "docs": docs})

    @add("/doc/{unit_id}/{call_id}/{name}")
    async def doc_download(request: Request) -> Response:
        doc = d.doc_of(request)
        return _download(doc.path.read_bytes(), doc.name)

    @add("/page/{unit_id}/{call_id}/{name}/{page:int}.png")
    async def doc_page(request: Request) -> Response:
        doc = d.doc_of(request)
        big = request.query_params.get("size") == "full"
        data = thumbs.page_png(doc.path, request.path_params["page"], thumbs.PAGE_DPI if big else thumbs.THUMB_DPI,
                               d.settings.state / "thumbs")
        if data is None:
            raise UserError("无法显示这一页。", status=404)
        return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})

    @add("/view/{unit_id}/{call_id}/{name}/{page:int}")
    async def doc_view(request: Request) -> Response:
        doc = d.doc_of(request)
        return d.page(request, "page.html", doc=doc, unit_id=request.path_params["unit_id"],
                    call_id=request.path_params["call_id"], page=request.path_params["page"], title=doc.name)

    @add("/zip/{unit_id}/{call_id}")
    async def doc_zip(request: Request) -> Response:
        project = d.project_or_error()
        unit = d.unit_of(project, request.path_params["unit_id"])
        call = d.call_of(project, request.path_params["call_id"])
        docs = service.documents(d.settings, unit.id, call.id)
        if not docs:
            raise UserError("还没有生成的文件。", status=404, back="/")
        return _download(service.zip_documents(docs), f"{unit.id}-{call.id}.zip")


def _routes_3(d: Desk, add) -> None:
    """Register the pages: templates desk."""
    # -- templates desk --------------------------------------------------------------------

    @add("/templates")
    async def templates_page(request: Request) -> Response:
        project = d.project_or_error()
        calls = [(c, _template_paths(d.settings, c)) for c in project.calls.values()]
        return d.page(request, "templates.html", calls=calls, root=d.settings.root, title="模板")

    @add("/templates/{call_id}/{index:int}/download")
    async def template_download(request: Request) -> Response:
        project = d.project_or_error()
        _call, path = d.template_of(project, request.path_params["call_id"], request.path_params["index"])
        return _download(path.read_bytes(), path.name)

    @add("/templates/{call_id}/{index:int}/upload", ["POST"])
    async def template_upload(request: Request) -> Response:
        from docgen.apply.context import context_for_template
        from docgen.render.inspect import check_template

        project = d.project_or_error()
        call, path = d.template_of(project, request.path_params["call_id"], request.path_params["index"])
        want = "xlsx" if path.suffix.lower() == ".xlsx" else "docx"
        (name, data, _kind), = (await d.uploads(request, "file", (want,), f"模板（.{want}）"))[:1]
        token = security.new_token()
        staged = d.settings.state / "templates" / f"{token}{path.suffix.lower()}"
        _write(staged, data)
        report = check_template(staged, context_for_template(project, path))
        problems = [_rename_place(d, staged.name, name) for d in report.diagnostics]
        return d.page(request, "template_check.html", call=call, path=path, index=request.path_params["index"],
                    token=token, problems=problems, errors=[d for d in problems if d.severity == "error"],
                    upload_name=name, title=f"检查模板：{path.name}")

    @add("/templates/{call_id}/{index:int}/decide", ["POST"])
    async def template_decide(request: Request) -> Response:
        project = d.project_or_error()
        call, path = d.template_of(project, request.path_params["call_id"], request.path_params["index"])
        form = await request.form()
        token = str(form.get("token") or "")
        if not token.replace("-", "").replace("_", "").isalnum():
            raise UserError("上传已过期，请重新上传。", back="/templates")
        staged = d.settings.state / "templates" / f"{token}{path.suffix.lower()}"
        if not staged.is_file():
            raise UserError("上传已过期，请重新上传。", back="/templates")
        if form.get("action") != "accept":
            staged.unlink()
            return RedirectResponse("/templates", status_code=303)
        from docgen.apply.context import context_for_template
        from docgen.render.inspect import check_template

        report = check_template(staged, context_for_template(project, path))
        if report.errors:
            raise UserError("模板仍有错误，不能采用。", report.diagnostics, back="/templates")
        backup = d.settings.state / "template-backups" / call.id / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}"
        _write(backup, path.read_bytes())
        _write(path, staged.read_bytes())
        staged.unlink()
        service.forget()
        return d.page(request, "done.html", title="已采用新模板", message=f"已采用新模板 {path.name}。",
                    items=[f"原模板已备份为 {backup.relative_to(d.settings.out)}"], back="/templates")


def _routes_4(d: Desk, add) -> None:
    """Register the pages: bureau desk."""
    # -- bureau desk ----------------------------------------------------------------------

    @add("/bureau")
    async def bureau_home(request: Request) -> Response:
        return d.page(request, "bureau_home.html", calls=d.bureau_calls(), title="教育局：汇总与评审")

    @add("/bureau/{call_id}")
    async def bureau_page(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        folder = bureau_desk.call_folder(d.settings, call_id)
        return d.page(request, "bureau.html", call_id=call_id,
                    returns=bureau_desk.uploaded_names(folder / bureau_desk.RETURNS),
                    scores=bureau_desk.uploaded_names(folder / bureau_desk.SCORES),
                    master=(folder / bureau_desk.MASTER_NAME).is_file(), results=bureau_desk.results(d.settings, call_id),
                    intake=None, tally=None, title=f"汇总与评审：{call_id}")

    @add("/bureau/{call_id}/returns", ["POST"])
    async def bureau_returns(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        files = await d.uploads(request, "files", ("xlsx", "ole"), "工作簿（.xlsx 或 .xls）")
        folder = bureau_desk.call_folder(d.settings, call_id)
        intake = await d.bureau_work(_store_and_collect, d.settings, call_id, folder, files)
        return d.page(request, "bureau.html", call_id=call_id,
                    returns=bureau_desk.uploaded_names(folder / bureau_desk.RETURNS),
                    scores=bureau_desk.uploaded_names(folder / bureau_desk.SCORES), master=True,
                    results=bureau_desk.results(d.settings, call_id), intake=intake, tally=None,
                    title=f"汇总与评审：{call_id}")

    @add("/bureau/{call_id}/master.xlsx")
    async def bureau_master(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        path = bureau_desk.call_folder(d.settings, call_id) / bureau_desk.MASTER_NAME
        if not path.is_file():
            raise UserError("还没有总表：先上传各单位报回的汇总表。", status=404, back=f"/bureau/{quote(call_id)}")
        return _download(path.read_bytes(), bureau_desk.MASTER_NAME)

    @add("/bureau/{call_id}/sheets", ["POST"])
    async def bureau_sheets(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        form = await request.form()
        try:
            reviewers = int(str(form.get("reviewers") or "5"))
        except ValueError:
            reviewers = 0
        if not 1 <= reviewers <= 50:
            raise UserError("评委人数应为 1～50 之间的整数。", back=f"/bureau/{quote(call_id)}")
        return _download(await d.bureau_work(bureau_desk.score_sheets_zip, d.settings, call_id, reviewers),
                         f"评分表-{call_id}.zip")

    @add("/bureau/{call_id}/scores", ["POST"])
    async def bureau_scores(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        files = await d.uploads(request, "files", ("xlsx",), "评分表（.xlsx）")
        folder = bureau_desk.call_folder(d.settings, call_id)
        shown = await d.bureau_work(_store_and_tally, d.settings, call_id, folder, files)
        return d.page(request, "bureau.html", call_id=call_id,
                    returns=bureau_desk.uploaded_names(folder / bureau_desk.RETURNS),
                    scores=bureau_desk.uploaded_names(folder / bureau_desk.SCORES),
                    master=(folder / bureau_desk.MASTER_NAME).is_file(),
                    results=bureau_desk.results(d.settings, call_id), intake=None, tally=shown,
                    title=f"汇总与评审：{call_id}")

    @add("/bureau/{call_id}/result/{name}")
    async def bureau_result(request: Request) -> Response:
        call_id = d.bureau_call(request.path_params["call_id"])
        match = next((p for p in bureau_desk.results(d.settings, call_id) if p.name == request.path_params["name"]),
                     None)
        if match is None:
            raise UserError("找不到这个文件。", status=404, back=f"/bureau/{quote(call_id)}")
        return _download(match.read_bytes(), match.name)


def create_app(config: DeskConfig) -> Starlette:
    """Return the desk application for the data folder in *config*."""
    d = Desk(config)
    routes: list[Any] = []

    def add(path: str, methods: list[str] | None = None):
        def deco(fn):
            async def endpoint(request: Request) -> Response:
                return await d.guarded(request, fn)
            routes.append(Route(path, endpoint, methods=methods or ["GET"]))
            return fn
        return deco

    _routes_0(d, add)
    _routes_1(d, add)
    _routes_2(d, add)
    _routes_3(d, add)
    _routes_4(d, add)

    async def not_found(request: Request, exc: Exception) -> Response:
        return d.page(request, "error.html", status=404, title="找不到页面", message="找不到这个页面。", problems=[],
                    back="/")

    routes.append(Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"))
    middleware = [Middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie="docgen_desk",
                             max_age=security.SESSION_SECONDS, same_site="strict", https_only=False)]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers={404: not_found})
    app.state.builder = d.builder
    return app


def _write(path: Path, data: bytes) -> None:
    """Write *data* to *path* atomically, making its folder first."""
    from docgen.outputs.atomic import write_atomic

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


def _kind_text(kind: str) -> str:
    return {"pdf": "PDF", "png": "PNG 图片", "jpeg": "JPG 图片", "ole": "旧版 Office 文件（.xls/.doc）",
            "xlsx": "Excel 工作簿", "docx": "Word 文档", "zip": "zip 压缩包", "unknown": "无法识别的文件"}[kind]


def _safe_name(name: str, kind: str) -> str:
    """Return a file name for an upload: its stem without path or unsafe characters, the suffix from its content."""
    import re

    stem = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", Path(name).stem).strip(" .")[:80] or "附件"
    return f"{stem}.{ {'pdf': 'pdf', 'png': 'png', 'jpeg': 'jpg'}[kind] }"


def _rename_place(d: Diagnostic, stored: str, given: str) -> Diagnostic:
    from dataclasses import replace

    if d.location is not None and stored in d.location.file:
        return replace(d, location=replace(d.location, file=given))
    return d


def _under(shown: str, folder: Path) -> bool:
    """Return whether the file a diagnostic names (as shown) lies in *folder*."""
    try:
        Path(shown).resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _store_and_collect(settings: Settings, call_id: str, folder: Path, files: list) -> Any:
    """Keep the uploaded returns and collect every return of the call (in the bureau's worker thread)."""
    bureau_desk.store_uploads(folder / bureau_desk.RETURNS, files)
    return bureau_desk.collect(settings, call_id)


def _store_and_tally(settings: Settings, call_id: str, folder: Path, files: list) -> Any:
    """Replace the stored score sheets with the uploaded ones and tally them (in the bureau's worker thread)."""
    bureau_desk.store_uploads(folder / bureau_desk.SCORES, files, replace_all=True)
    return bureau_desk.tally(settings, call_id)


def _download(data: bytes, name: str) -> Response:
    media = {".pdf": "application/pdf", ".png": "image/png", ".zip": "application/zip",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}.get(
        Path(name).suffix.lower(), "application/octet-stream")
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


def _template_paths(settings: Settings, call) -> list[Path]:
    seen: list[Path] = []
    for form in call.model.forms:
        path = settings.root / form.template
        if path.is_file() and path not in seen:
            seen.append(path)
    return seen


def _attachments_served(unit, project) -> list[dict[str, Any]]:
    """Return each 佐证 file of *unit* with the required items of each call it serves."""
    out = []
    for att in unit.model.attachments:
        serves = []
        for call in project.calls.values():
            hit = [k for k in call.model.attachments if k in att.kinds]
            if hit:
                serves.append(f"{call.id}：{'、'.join(hit)}")
        out.append({"att": att, "serves": serves, "exists": (unit.dir / att.file).is_file()})
    return out


def _log(path: Path, request: Request, status: int, seconds: float) -> None:
    client = request.client.host if request.client else "-"
    line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {client} {request.method} {request.url.path} {status} " \
           f"{seconds * 1000:.0f}ms\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError:
        pass


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in sorted(files.items()):
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()
