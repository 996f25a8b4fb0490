"""An institution's application to one sub-project of a call."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from docgen.models.common import Model, Phone, Text


class Mentor(Model):
    """A 影子导师 at the host school."""

    name: Text = Field(title="姓名")
    school: Text = Field(title="所在学校")
    subject: Text = Field(title="学科")
    title: Text = Field(title="职称")
    honor: Text = Field("", title="荣誉称号")


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
    contact: ContactPerson = Field(title="具体负责人")
    filled: date | None = Field(None, title="填表日期")
    remark: Text = Field("", title="备注")
    narrative: dict[str, Text | NarrativeFile] = Field(default_factory=dict, title="叙述内容")
    mentors: list[Mentor] = Field(default_factory=list, title="影子导师")
    growth_cases: int | None = Field(None, ge=0, title="计划成长案例数")
