"""Rule kinds about dates and schedules: 跟岗实践 batches, 名家送教 visits, what must be finished by when.

Each kind takes (rule, idx, call, unit, app) and returns (passed, figures, advice, where), like the
kinds in docgen.apply.rules; the dates, counts and day numbers come from the call's rule params.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docgen.errors import Location
from docgen.rules.dates import day_text, last_date, parse_date
from docgen.rules.verdict import BadParams, Verdict, rule_params


def _count_range(value: Any) -> tuple[int, int]:
    """Return (min, max) from 2 or "1-2"."""
    text = str(value).replace("－", "-").replace("—", "-").replace("～", "-").replace("~", "-").strip()
    try:
        if "-" in text:
            low, high = (int(x) for x in text.split("-", 1))
            return low, high
        return int(text), int(text)
    except ValueError:
        raise BadParams(f"数量“{value}”应写作 2 或 1-2") from None


def _range_text(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def batches(rule, idx, call, unit, app):
    """跟岗实践分批进行，每批 `days` 天；批数 `count`（2 或 "1-2"），`count_for` 按子项目序号另写."""
    p = rule_params(rule)
    days = p.int("days", 7)
    count = p.get("count", 1)
    for key, value in (p.get("count_for") or {}).items():
        if int(key) == app.sub_project.no:
            count = value
    low, high = _count_range(count)
    items = app.model.batches
    listed = "；".join(f"第{i}批 {b.start}—{b.end}（{b.days} 天）" for i, b in enumerate(items, 1)) or "未填写"
    figures = f"跟岗实践 {len(items)} 批：{listed}；要求分 {_range_text(low, high)} 批、每批 {days} 天"
    problems: list[str] = []
    where: Location | None = None
    if not items:
        problems.append(f"在申报文件的 batches 下逐批写出跟岗实践的起止日期（每批 {days} 天）")
        where = app.positions.locate(("batches",))
    elif not low <= len(items) <= high:
        problems.append(f"现有 {len(items)} 批，应为 {_range_text(low, high)} 批")
        where = app.positions.locate(("batches",))
    for i, b in enumerate(items, 1):
        if b.days != days:
            fixed = date.fromordinal(b.start.toordinal() + days - 1)
            problems.append(f"第{i}批 {b.days} 天，应为 {days} 天（如 {b.start}—{fixed}）")
            where = where or app.positions.locate(("batches", i - 1, "end"))
    sub = app.sub_project
    counted = [b.trainees for b in items if b.trainees is not None]
    if items and len(counted) == len(items) and sub.trainees and sum(counted) != sub.trainees:
        figures += f"；各批人数合计 {sum(counted)} 人，培训人数 {sub.trainees} 人"
        problems.append(f"各批人数合计 {sum(counted)} 人，与{sub.display_no}培训人数 {sub.trainees} 人不符")
        where = where or app.positions.locate(("batches",))
    advice = ("；".join(problems) + "。" + rule.advice) if problems else ""
    return Verdict(not problems, figures, advice, where or app.positions.locate(("batches",)))


def visits(rule, idx, call, unit, app):
    """名家送教 `count` 次，1 次 `days_each` 天."""
    p = rule_params(rule)
    count = p.int("count", 7)
    each = p.int("days_each", 1)
    items = app.model.visits
    listed = "、".join(str(v.start) if v.days == 1 else f"{v.start}—{v.last}" for v in items) or "未填写"
    figures = f"名家送教 {len(items)} 次：{listed}；要求 {count} 次，1 次 {each} 天"
    problems: list[str] = []
    where: Location | None = None
    if len(items) < count:
        problems.append(f"还差 {count - len(items)} 次：在 visits 下补足 {count} 次送教的日期")
        where = app.positions.locate(("visits",))
    elif len(items) > count:
        problems.append(f"多了 {len(items) - count} 次：送教为 {count} 次，删去多出的安排")
        where = app.positions.locate(("visits", count))
    for i, v in enumerate(items, 1):
        if v.days != each:
            problems.append(f"第{i}次 {v.start}—{v.last} 共 {v.days} 天，1 次 {each} 天：改为 {each} 天")
            where = where or app.positions.locate(("visits", i - 1))
    advice = ("；".join(problems) + "。" + rule.advice) if problems else ""
    return Verdict(not problems, figures, advice, where or app.positions.locate(("visits",)))


# What finish_by can look at: name → (label, function returning [(what, last day, position key)]).
def _dated_batches(app):
    return [(f"第{i}批跟岗实践", b.end, ("batches", i - 1, "end")) for i, b in enumerate(app.model.batches, 1)]


def _dated_visits(app):
    return [(f"第{i}次名家送教", v.last, ("visits", i - 1)) for i, v in enumerate(app.model.visits, 1)]


def _dated_completion(app):
    text = app.model.completion
    if not text:
        return []
    found = last_date(text)
    if found is None:
        raise _Unreadable("completion", f"项目完成时间“{text}”")
    return [(f"项目完成时间“{text}”", found, ("completion",))]


def _dated_schedule(app):
    out = []
    for i, stage in enumerate(app.model.schedule):
        found = last_date(stage.period)
        if found is None:
            raise _Unreadable(("schedule", i, "period"), f"进度安排“{stage.name}”的起止时间“{stage.period}”")
        out.append((f"进度安排“{stage.name}”（{stage.period}）", found, ("schedule", i, "period")))
    return out


DATED = {"batches": ("跟岗实践", _dated_batches), "visits": ("名家送教", _dated_visits),
         "completion": ("项目完成时间", _dated_completion), "schedule": ("总体工作进度安排", _dated_schedule)}


class _Unreadable(Exception):
    def __init__(self, key, what: str):
        super().__init__(what)
        self.key = key if isinstance(key, tuple) else (key,)
        self.what = what


def finish_by(rule, idx, call, unit, app):
    """Everything listed in `of` (batches, visits, completion, schedule) ends on or before `by`."""
    p = rule_params(rule)
    by = parse_date(p["by"], "by")
    of = p.get("of", ["batches", "visits"])
    of = [of] if isinstance(of, str) else list(of)
    unknown = [k for k in of if k not in DATED]
    if unknown:
        raise ValueError(f"of 只能是 {'、'.join(DATED)}，这里有“{'、'.join(unknown)}”")
    labels = "、".join(DATED[k][0] for k in of)
    try:
        dated = [d for k in of for d in DATED[k][1](app)]
    except _Unreadable as exc:
        return Verdict(False, f"{exc.what}无法识别日期；要求 {day_text(by)}前完成",
                f"写成“2025年12月”或“2025-12-31”这样的日期。{rule.advice}", app.positions.locate(exc.key))
    if not dated:
        return Verdict(False, f"没有填写{labels}的日期，无法核对；要求 {day_text(by)}前完成",
                f"在申报文件中填写{labels}（{'、'.join(of)}）。{rule.advice}", app.positions.locate((of[0],)))
    late = [d for d in dated if d[1] > by]
    what, last, key = max(dated, key=lambda d: d[1])
    figures = f"{labels}最晚结束于 {day_text(last)}（{what}）；要求 {day_text(by)}前完成"
    if not late:
        return Verdict(True, figures, "", app.positions.locate(key))
    listed = "、".join(f"{w} {day_text(d)}" for w, d, _ in late)
    advice = f"{listed} 晚于 {day_text(by)}：提前到 {day_text(by)}及以前。{rule.advice}"
    return Verdict(False, figures, advice, app.positions.locate(late[0][2]))
