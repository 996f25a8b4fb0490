"""The 填报表: one Excel workbook per unit, so staff keep a whole unit in Excel instead of YAML.

单位信息 (one row per field), one sheet per unit roster (项目经验 … 佐证材料), 申报 (one row per
application), 申报书叙述 (one row per narrative item) and the per-application rosters (影子导师,
项目参与人, 进度安排, 跟岗实践批次, 名家送教). A hidden sheet records which unit the workbook was made for.

:mod:`docgen.roster.sheet` draws the workbook (bytes, nothing written here);
:mod:`docgen.roster.read` reads a filled one back, cell by cell;
:mod:`docgen.roster.write` writes the YAML; :mod:`docgen.roster.history` keeps a snapshot per import.
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
from docgen.models.application import Batch, Mentor, Participant, Stage, Visit
from docgen.models.unit import (
    TITLE_LEVELS,
    Attachment,
    Expert,
    PastProject,
    TeamMember,
    TestAccount,
)

YES_NO = ["是", "否"]


@dataclass
class Column:
    key: str
    title: str
    kind: str  # text | int | float | date | yesno | choice | list | phone | mobile | email | postcode
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
    if typing.get_origin(base) is list:
        return "list", []
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
    key: str  # field of Unit, dotted when nested (platform.test_accounts); of each application when per_application
    model: type[BaseModel]
    columns: list[Column]
    example: dict[str, Any]
    per_application: bool = False

    def row_of(self, loc: tuple) -> tuple[int, str | None] | None:
        """Return (record index, field) when the model path *loc* points into this roster, else None."""
        parts = tuple(self.key.split("."))
        n = len(parts)
        if tuple(loc[:n]) != parts or len(loc) <= n or not isinstance(loc[n], int):
            return None
        return loc[n], (str(loc[n + 1]) if len(loc) > n + 1 else None)


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
    return [application_column(), *cols]


def application_column() -> Column:
    """The first column of a per-application sheet: which application the row belongs to."""
    return Column("application", APPLICATION_TITLE, "choice", True, [],
                  note="选择“申报”工作表中的申报编号")


APPLICATION_TITLE = "申报编号"


def _attachment_columns() -> list[Column]:
    cols = columns_of(Attachment)
    for c in cols:
        if c.key == "title":
            c.strict = False
            c.note = "通知要求的材料名称（下拉可选，也可直接输入）"
        if c.key == "file":
            c.note = "文件路径：相对于单位文件夹（如 attachments/营业执照.pdf），或相对于本填报表所在的文件夹（导入时复制到单位文件夹）"
        if c.key == "serves_as":
            c.title = "同时作为"
            c.note = "这份材料还可作为哪些要求的材料，多个用顿号“、”分开"
        if c.key == "call":
            c.note = "只用于某个通知时填写（通知文件夹名，见“通知一览”）；空着则各通知都可用"
        if c.key == "application":
            c.note = "只用于某一份申报时填写申报编号（如只授权项目1的授权书）"
        if c.key == "date":
            c.note = "材料的出具日期；晚于申报填表日期的材料不能用于该申报"
    return cols


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
    RosterSheet("佐证材料", "attachments", Attachment, _attachment_columns(), {
        "title": "事业单位法人证书", "file": "attachments/事业单位法人证书（副本）.pdf",
        "serves_as": ["营业执照副本", "税务登记证"], "password": None}),
    RosterSheet("平台测试账号", "platform.test_accounts", TestAccount, columns_of(TestAccount), {
        "role": "个人空间", "account": "test01", "password": "Test@2026"}),
    RosterSheet("影子导师", "mentors", Mentor, _mentor_columns(), {
        "application": "luoyang-2026-1", "name": "赵六", "school": "某市实验高级中学", "subject": "数学",
        "title": "高级教师", "honor": "市学科带头人"}, per_application=True),
    RosterSheet("项目参与人", "participants", Participant, [application_column(), *columns_of(Participant)], {
        "application": "henan-2024-3", "name": "孙七", "gender": "女", "born": "1981-04", "title": "副教授",
        "expertise": "数学教育", "org": "某师范学院"}, per_application=True),
    RosterSheet("进度安排", "schedule", Stage, [application_column(), *columns_of(Stage)], {
        "application": "henan-2024-3", "name": "方案设计", "period": "2024年5月—2024年6月",
        "work": "组建项目组，制定实施方案", "outcome": "实施方案"}, per_application=True),
    RosterSheet("跟岗实践批次", "batches", Batch, [application_column(), *columns_of(Batch)], {
        "application": "luoyang-2026-1", "start": date(2026, 9, 14), "end": date(2026, 9, 20), "trainees": 50,
        "place": "某市实验高级中学"}, per_application=True),
    RosterSheet("名家送教", "visits", Visit, [application_column(), *columns_of(Visit)], {
        "application": "luoyang-2026-1", "start": date(2026, 10, 15), "end": None, "subject": "数学",
        "expert": "钱八"}, per_application=True),
]

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
                if key in ("leader", "legal_entity", "department", "department.head", "chief_expert", "seal",
                           "platform"):
                    walk(base, key + ".", f"{title_prefix}{col.title}·")
                continue
            if typing.get_origin(base) is dict or (typing.get_origin(base) is list and key != "platform.domains"):
                continue
            col.title = f"{title_prefix}{col.title}"
            col.key = key
            if key == "seal.image":
                col.note = "印章图片文件（PNG，透明底）：相对于单位文件夹，或相对于本填报表所在的文件夹"
            if key == "platform.domains":
                col.note = "多个域名用顿号“、”分开"
            rows.append((key, col))
    walk(Unit, "", "")
    return rows


EXAMPLE_ROW = 2
FIRST_DATA_ROW = 3
CHOICES_SHEET = "下拉选项"
MARK_SHEET = "填报表信息"  # hidden: which unit the workbook was made for
CALLS_SHEET = "通知一览"   # read-only: the calls, their sub-projects, narrative items and 佐证
APPS_SHEET = "申报"
NARRATIVE_SHEET = "申报书叙述"
LIST_SEPARATORS = "、,，;；\n"


def application_columns() -> list[Column]:
    """The 申报 sheet: one row per application (the fields of Application that are one value each)."""
    def c(key, title, kind="text", required=False, note=""):
        return Column(key, title, kind, required, [], True, note)
    return [
        c("id", "申报编号", note="留空则自动生成（如 luoyang-2026-1）；它是申报文件名，其他工作表用它指明属于哪一份申报"),
        c("call", "通知", "choice", True, note="选择要申报的通知（见“通知一览”）"),
        c("sub_project", "子项目序号", "int", True, note="见“通知一览”的子项目"),
        c("rank", "申报排序", "int", note="本单位同一通知申报多个子项目时的排序，默认 1"),
        c("project_name", "申报项目名称"),
        c("contact.name", "具体负责人"),
        c("contact.phone", "具体负责人电话", "phone"),
        c("filled", "填表日期", "date"),
        c("growth_cases", "计划成长案例数", "int"),
        c("key_work", "是否列入单位重点工作", "yesno"),
        c("completion", "项目完成时间"),
        c("leader.name", "项目负责人·姓名"),
        c("leader.position", "项目负责人·职务"),
        c("leader.title", "项目负责人·职称"),
        c("leader.phone", "项目负责人·联系电话", "phone"),
        c("leader.email", "项目负责人·电子邮箱", "email"),
        c("leader.id_no", "项目负责人·证件号", note="身份证号或工号，仅用于区分同名的人，不打印"),
        c("co_applicants", "联合申报单位", "list", note="多个单位用顿号“、”分开；通知不接受联合申报时空着"),
        c("remark", "备注"),
    ]


def narrative_columns() -> list[Column]:
    return [
        application_column(),
        Column("item", "叙述项", "choice", True, [], False, "申报书中由单位撰写的部分（见“通知一览”）"),
        Column("text", "内容", "text", False, [], True, "直接写在这一格（段落之间空一行）；或填右边的 Markdown 文件"),
        Column("file", "Markdown 文件", "text", False, [], True,
               "内容较长、带图时写成 Markdown 文件：路径相对于单位的 applications 文件夹，或相对于本填报表所在的文件夹"),
    ]


APPLICATION_EXAMPLE = {"id": "luoyang-2026-1", "call": "luoyang-2026-waichu-gengang", "sub_project": 1, "rank": 1,
                       "project_name": "洛阳市2026年“市培计划”高中新高考外出跟岗研修项目", "contact.name": "高明轩",
                       "contact.phone": "13837952684", "growth_cases": 24}
NARRATIVE_EXAMPLE = {"application": "luoyang-2026-1", "item": "目标定位", "text": "本项目以……为主题……"}
