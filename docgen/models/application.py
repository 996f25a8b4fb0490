"""An institution's application to one sub-project of a call."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

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
    # Not printed: tells two people of the same name apart (rules one_per_person, prior_concluded).
    id_no: Text = Field("", title="证件号（身份证号或工号，仅用于区分同名的人）")

    @property
    def title_position(self) -> str:
        return "/".join(p for p in (self.title, self.position) if p)


class Batch(Model):
    """One batch of 跟岗实践: the days the trainees spend at the host schools."""

    start: date = Field(title="开始日期")
    end: date = Field(title="结束日期")
    trainees: int | None = Field(None, gt=0, title="人数")
    place: Text = Field("", title="跟岗地点")

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        return self

    @property
    def days(self) -> int:
        """Return the calendar days of the batch, both ends included."""
        return (self.end - self.start).days + 1


class Visit(Model):
    """One 名家送教 visit: a day (or, wrongly, several) an expert teaches on site."""

    start: date = Field(title="日期")
    end: date | None = Field(None, title="结束日期（多日时填写）")
    subject: Text = Field("", title="学科")
    expert: Text = Field("", title="送教名家")

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于日期 {self.start}")
        return self

    @property
    def last(self) -> date:
        return self.end or self.start

    @property
    def days(self) -> int:
        return (self.last - self.start).days + 1


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
    # 联合申报: other units named as co-applicants (the 洛阳 calls accept none; rule single_applicant).
    co_applicants: list[Text] = Field(default_factory=list, title="联合申报单位")
    # 外出跟岗 (洛阳 2026): the 跟岗实践 batches and the 名家送教 days (rules batches, visits, finish_by).
    batches: list[Batch] = Field(default_factory=list, title="跟岗实践批次")
    visits: list[Visit] = Field(default_factory=list, title="名家送教")
