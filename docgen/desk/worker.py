"""Builds started from the desk: one background worker per output folder, progress the pages poll.

A build runs in a thread, so the desk keeps answering while LibreOffice converts. Only one
build runs per output folder at a time (a second request waits its turn in the queue);
the build goes through the same path as ``docgen build`` (incremental, atomic publishing).
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from docgen.apply import pipeline
from docgen.errors import DocgenError


@dataclass
class BuildJob:
    """One build the desk started: for which unit and call, how far it is, what it gave."""

    id: str
    unit: str
    call: str
    state: str = "排队中"  # 排队中 / 生成中 / 已完成 / 失败
    total: int = 0
    done: int = 0
    current: str = ""
    written: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def over(self) -> bool:
        return self.state in ("已完成", "失败", "未通过")

    @property
    def percent(self) -> int:
        if self.over:
            return 100
        return int(100 * self.done / self.total) if self.total else 5


class _Progress:
    """The object pipeline.build reports progress to (same protocol as the CLI's progress bar)."""

    def __init__(self, job: BuildJob, total: int):
        job.total, job.state = total, "生成中"
        self.job = job

    def close(self) -> None:
        """Nothing to tidy: the page reads the job's figures."""

    def advance(self, name: str, ok: bool = True) -> None:
        self.job.done += 1
        self.job.current = name


class Builder:
    """The queue of desk builds for one output folder."""

    def __init__(self, root: Path, data: Path, out: Path, jobs: int = 1):
        self.root, self.data, self.out, self.jobs = root, data, out, jobs
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-desk-build")
        self._jobs: dict[str, BuildJob] = {}
        self._lock = threading.Lock()

    def start(self, unit: str, call: str) -> BuildJob:
        """Queue a build of *unit*'s applications to *call*; return its job."""
        job = BuildJob(uuid.uuid4().hex[:12], unit, call)
        with self._lock:
            self._jobs[job.id] = job
        self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> BuildJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def latest(self, unit: str, call: str) -> BuildJob | None:
        with self._lock:
            mine = [j for j in self._jobs.values() if j.unit == unit and j.call == call]
        return max(mine, key=lambda j: j.started) if mine else None

    def _run(self, job: BuildJob) -> None:
        try:
            project = pipeline.load(self.root, self.data, job.unit, job.call)
            result = pipeline.build(project, self.out, progress=lambda total: _Progress(job, total),
                                    jobs=self.jobs, raise_failures=False)
            job.written = [str(p.relative_to(self.out)) for p in result.written]
            failing = [r for r in result.results if not r.passed]
            for r in failing:
                job.messages.append(f"未通过：{r.rule.title}〔{r.subject}〕{r.figures}")
            error = result.error()
            if error is not None:
                job.messages += [d.format() for d in error.diagnostics]
                job.state = "失败"
            elif failing:
                job.state = "未通过"
                job.messages.append("规则未通过，未生成该单位的文件：先按检查报告修改数据。")
            else:
                self._first_pages(result.written)
                job.state = "已完成"
                if not result.written:
                    job.messages.append(f"输入没有变化，{len(result.unchanged)} 个文件保持上次的结果。")
        except DocgenError as exc:
            job.messages += [d.format() for d in exc.diagnostics]
            job.state = "失败"
        except Exception as exc:
            job.messages.append(f"内部错误：docgen 自身出现了缺陷（{type(exc).__name__}），请把此消息发给维护者。")
            job.state = "失败"
        finally:
            job.finished = time.time()

    def _first_pages(self, written: list[Path]) -> None:
        """Draw the first thumbnails of the new PDFs now, so the page shows them as soon as it reloads."""
        from docgen.desk.thumbs import THUMB_DPI, page_png

        for path in written:
            if path.suffix.lower() == ".pdf":
                page_png(path, 1, THUMB_DPI, self.out / ".docgen" / "desk" / "thumbs")

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
