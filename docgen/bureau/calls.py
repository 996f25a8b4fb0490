"""Pick the call the bureau works on: only the calls are loaded, never the units' data."""

from __future__ import annotations

from pathlib import Path

from docgen.errors import Collector, Diagnostic, InputError, Location, display_path
from docgen.load.validate import load_model
from docgen.models.call import Call


def load_call(data_dir: Path, call_id: str | None) -> tuple[str, Call]:
    """Return (id, call) for *call_id*, or the only call when None; InputError listing the calls otherwise."""
    calls_dir = data_dir / "calls"
    ids = sorted(p.parent.name for p in calls_dir.glob("*/call.yaml"))
    if call_id is None:
        if len(ids) != 1:
            raise InputError(Diagnostic(
                "B001" if ids else "B320", "有多个通知，请用 --call 指定一个" if ids else "没有找到任何通知",
                Location(display_path(calls_dir)),
                hint=f"已有通知：{'、'.join(ids)}" if ids else "通知放在 data/calls/<通知>/call.yaml。"))
        call_id = ids[0]
    if call_id not in ids:
        raise InputError(Diagnostic("D133", f"找不到通知“{call_id}”", Location(display_path(calls_dir)),
                                    hint=f"已有通知：{'、'.join(ids) or '（无）'}"))
    collector = Collector()
    loaded = load_model(calls_dir / call_id / "call.yaml", Call, collector)
    if loaded is not None:
        from docgen.apply.load import scoring_problem
        problem = scoring_problem(loaded.model, loaded.positions)
        if problem is not None:
            collector.add(problem)
    collector.raise_if_errors()
    if loaded is None:  # load_model gives None only after an error, raised just above
        raise InputError(collector.diagnostics)
    return call_id, loaded.model


def require_scoring(call_id: str, call: Call, data_dir: Path) -> None:
    if not call.scoring:
        raise InputError(Diagnostic("B201", "该通知没有评分标准（scoring）", Location(
            display_path(data_dir / "calls" / call_id / "call.yaml")),
            hint="在 call.yaml 中按通知附件“评分标准”填写 scoring：每项有 no、indicator、content、points。"))
