"""The end of a command that writes documents: drafts removed, reports written, where to look."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.errors import display_path


def build_reports(project, out: Path, result) -> None:
    """Remove drafts whose final was built; write the check report and build/index.html."""
    from docgen.apply.reports import (
        remove_drafts,
        report_rows,
        write_index,
        write_report,
    )

    for path in remove_drafts(out, result.written):
        click.echo(f"已删除草稿 {display_path(path)}（正式文件已生成）")
    problems = [d for exc in result.errors for d in exc.diagnostics]
    write_report(out, report_rows(result.results, problems))
    write_index(out, {u.id: u.model.name for u in project.units.values()},
                {c.id: c.model.project_title for c in project.calls.values()}, result.refused_units, result.failed)


def where(out: Path) -> None:
    from docgen.apply.reports import INDEX_HTML, REPORT_HTML

    click.echo(f"文件一览：{display_path(out / INDEX_HTML)}；检查报告：{display_path(out / REPORT_HTML)}")
