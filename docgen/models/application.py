"""An institution's application to one sub-project of a call."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from docgen.models.common import Email, Model, Phone, Text, YesNo


def _year_month(value: str) -> str:
    """Normalise 出生年月 (1978-05, 1978.5, 1978年5月) to 1978.05."""
    m = re.fullmatch(r"\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*", str(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"出生年月“{value}”不正确：写作 1978-05")
    return f"{m.group(1)}.{int(m.group(2)):02d}"


YearMonth = Annotated[str, AfterValidator(_year_month)]


class Mentor(Model):
    """A 影子导师 at the host school."""

    name: Text = Field(title="姓名")
    school: Text = Field(title="所在学校")
    subject: Text = Field(title="学科")
    title: Text = Field(title="职称")
    honor: Text = Field("", title="荣誉称号")


class Participant(Model):
    """A row of 项目参与人: 姓名 性别 出生年月 职称 研究专长 工作单位."""

    name: Text = Field(title="姓名")
    gender: Literal["男", "女"] = Field(title="性别")
    born: YearMonth = Field(title="出生年月")
    title: Text = Field(title="职称")
    expertise: Text = Field(title="研究专长")
    org: Text = Field(title="工作单位")


class Stage(Model):
    """A stage of 总体工作进度安排."""

    name: Text = Field(title="阶段")
    period: Text = Field(title="起止时间")
    work: Text = Field(title="主要工作内容")
    outcome: Text = Field("", title="阶段成果")


class ProjectLeader(Model):
    """项目负责人 (when the call asks for one person who answers for the project)."""

    name: Text = Field(title="姓名")
    position: Text = Field(title="职务")
    title: Text = Field("", title="职称")
    phone: Phone = Field(title="联系电话")
    email: Email = Field(title="电子邮箱")

    @property
    def title_position(self) -> str:
        return "/".join(p for p in (self.title, self.position) if p)


class ContactPerson(Model):
    name: Text = Field(title="具体负责人")
    phone: Phone = Field(title="联系电话")


class NarrativeFile(Model):
    """A narrative item kept as a Markdown file: ``design: {file: luoyang-2026-1/design.md}``."""

    file: Text = Field(title="Markdown 文件（相对于申报文件所在文件夹）")


class Application(Model):
    call: Text = Field(title="申报的通知")
    sub_project: int = Field(title="子项目序号")
    rank: int = Field(1, ge=1, title="申报排序")
    project_name: Text = Field("", title="申报项目名称")
    contact: ContactPerson | None = Field(None, title="具体负责人")
    filled: date | None = Field(None, title="填表日期")
    remark: Text = Field("", title="备注")
    narrative: dict[str, Text | NarrativeFile] = Field(default_factory=dict, title="叙述内容")
    mentors: list[Mentor] = Field(default_factory=list, title="影子导师")
    growth_cases: int | None = Field(None, ge=0, title="计划成长案例数")
    # Fields some calls ask for (河南 出彩项目): all optional, the call's `application.requires` makes them required.
    leader: ProjectLeader | None = Field(None, title="项目负责人")
    participants: list[Participant] = Field(default_factory=list, title="项目参与人")
    schedule: list[Stage] = Field(default_factory=list, title="总体工作进度安排")
    key_work: YesNo | None = Field(None, title="是否列入单位重点工作")
    completion: Text = Field("", title="项目完成时间")
