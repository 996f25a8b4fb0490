"""Format rule results as the Chinese report `docgen check` prints."""

from __future__ import annotations

from collections import defaultdict

from docgen.apply.rules import RuleResult


def format_report(results: list[RuleResult], color: bool = False) -> str:
    """Return the report: per unit and call, each rule with figures, verdict and what to change."""
    def style(text: str, fg: str) -> str:
        if not color:
            return text
        import click
        return click.style(text, fg=fg, bold=True)

    groups: dict[tuple[str, str], list[RuleResult]] = defaultdict(list)
    for r in results:
        groups[(r.unit.id, r.call.id)].append(r)
    lines: list[str] = []
    for (unit_id, _call_id), items in groups.items():
        first = items[0]
        lines.append(f"■ {first.unit.model.name}（{unit_id}） · {first.call.model.project_title}")
        for r in items:
            verdict = style("通过  ", "green") if r.passed else style("未通过", "red")
            lines.append(f"  {verdict} {r.rule.id} {r.rule.title}〔{r.subject}〕")
            lines.append(f"         数据：{r.figures}")
            if not r.passed:
                lines.append(f"         修改：{r.advice}")
                if r.location:
                    lines.append(f"         位置：{r.location}")
        lines.append("")
    failed = sum(1 for r in results if not r.passed)
    if not results:
        lines.append("没有可检查的申报：data/units/*/applications/ 下没有申报文件。")
    else:
        lines.append(f"共检查 {len(results)} 项：通过 {len(results) - failed} 项，未通过 {failed} 项。")
    return "\n".join(lines)
