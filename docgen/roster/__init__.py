"""The 填报表: one Excel sheet per roster, so staff fill data in Excel instead of YAML.

:mod:`docgen.roster.sheet` draws the workbook (bytes, nothing written here);
:mod:`docgen.roster.read` reads a filled one back, cell by cell.
The columns come from the pydantic models: a field's title is its header.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from docgen.models.annotations import strip_optional
from docgen.models.application import Mentor
from docgen.models.unit import TITLE_LEVELS, Expert, PastProject, TeamMember

YES_NO = ["是", "否"]


@dataclass
class Column:
    key: str
    title: str
    kind: str  # text | int | date | yesno | choice | phone | mobile | email | postcode
    required: bool
    choices: list[str] = field(default_factory=list)
    strict: bool = True  # choices: refuse other values (False: drop-down that also accepts typing)
    note: str = ""

    @property
    def header(self) -> str:
        return self.title + ("*" if self.required else "")


_BY_VALIDATOR = {"_phone": "phone", "_mobile": "mobile", "_email": "email", "_postcode": "postcode",
                 "_yes_no": "yesno", "_credit_code": "text"}


def _validator_names(info) -> set[str]:
    names = set()
    metas = list(info.metadata)
    stack = [info.annotation]
    while stack:
        a = stack.pop()
        if typing.get_origin(a) is typing.Annotated:
            metas.extend(typing.get_args(a)[1:])
            stack.append(typing.get_args(a)[0])
        elif typing.get_origin(a) in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(a))
    for m in metas:
        func = getattr(m, "func", None)
        if func is not None:
            names.add(func.__name__)
    return names


def _kind(info) -> tuple[str, list[str]]:
    for name in _validator_names(info):
        if name in _BY_VALIDATOR:
            kind = _BY_VALIDATOR[name]
            return kind, (YES_NO if kind == "yesno" else [])
    base = strip_optional(info.annotation)
    if typing.get_origin(base) is typing.Literal:
        return "choice", [str(a) for a in typing.get_args(base)]
    if base is bool:
        return "yesno", YES_NO
    if base is int:
        return "int", []
    if base is float:
        return "float", []
    if base is date:
        return "date", []
    return "text", []


def columns_of(model: type[BaseModel], skip: tuple[str, ...] = ()) -> list[Column]:
    cols = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        kind, choices = _kind(info)
        cols.append(Column(name, info.title or name, kind, info.is_required(), list(choices)))
    return cols


@dataclass
class RosterSheet:
    """A sheet holding one list of the data: where the list lives and what a row is."""

    name: str
    key: str  # field of Unit (or "mentors" of each application)
    model: type[BaseModel]
    columns: list[Column]
    example: dict[str, Any]
    per_application: bool = False


def _expert_columns() -> list[Column]:
    cols = columns_of(Expert)
    for c in cols:
        if c.key == "title":
            c.choices, c.strict = list(TITLE_LEVELS), False
            c.note = "写常见职称（下拉可选，也可直接输入），据此判断职称等级"
        if c.key == "title_level":
            c.note = "可空：按职称自动判断；特殊职称时选择"
    return cols


def _mentor_columns() -> list[Column]:
    cols = columns_of(Mentor)
    for c in cols:
        if c.key == "title":
            c.choices, c.strict = list(TITLE_LEVELS), False
    return [Column("application", "申报（文件名）", "choice", True, []), *cols]


ROSTERS: list[RosterSheet] = [
    RosterSheet("项目经验", "experience", PastProject, columns_of(PastProject), {
        "name": "“国培计划（2025）”——示例项目", "level": "国培", "start": date(2025, 7, 7),
        "end": date(2025, 7, 16), "audience": "河南省中小学骨干班主任", "trainees": 150, "duration": "10天",
        "client": "河南省教育厅"}),
    RosterSheet("管理团队", "management_team", TeamMember, columns_of(TeamMember), {
        "name": "张三", "age": 40, "education": "硕士研究生", "major": "教育管理", "duty": "项目执行负责人"}),
    RosterSheet("技术服务团队", "tech_team", TeamMember, columns_of(TeamMember), {
        "name": "李四", "age": 30, "education": "大学本科", "major": "软件工程", "duty": "平台运维"}),
    RosterSheet("专家团队", "experts", Expert, _expert_columns(), {
        "name": "王五", "position": "院长", "title": "教授", "title_level": None, "subject": "语文",
        "major": "课程与教学论", "org": "某师范学院", "expertise": "语文教学", "frontline": False, "own": True}),
    RosterSheet("影子导师", "mentors", Mentor, _mentor_columns(), {
        "application": "luoyang-2026-1", "name": "赵六", "school": "某市实验高级中学", "subject": "数学",
        "title": "高级教师", "honor": "市学科带头人"}, per_application=True),
]
# 项目参与人 will get its sheet here once the Application model has that roster.

# 单位信息: one row per scalar field of the unit, (dotted key, title).
UNIT_INFO_SHEET = "单位信息"


def unit_info_rows() -> list[tuple[str, Column]]:
    """The scalar fields of Unit and of its nested single records (负责人, 部门, 首席专家), in model order."""
    from docgen.models.unit import Unit
    rows: list[tuple[str, Column]] = []

    def walk(model: type[BaseModel], prefix: str, title_prefix: str):
        for col in columns_of(model):
            info = model.model_fields[col.key]
            base = strip_optional(info.annotation)
            key = f"{prefix}{col.key}"
            if isinstance(base, type) and issubclass(base, BaseModel):
                if key in ("leader", "department", "department.head", "chief_expert"):
                    walk(base, key + ".", f"{title_prefix}{col.title}·")
                continue
            if typing.get_origin(base) in (list, dict):
                continue
            col.title = f"{title_prefix}{col.title}"
            col.key = key
            rows.append((key, col))
    walk(Unit, "", "")
    return rows


EXAMPLE_ROW = 2
FIRST_DATA_ROW = 3
CHOICES_SHEET = "下拉选项"
