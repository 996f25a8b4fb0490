"""Year-end paperwork (项目总结): the notice's requirements, a unit's report folder, a case's front matter."""

from __future__ import annotations

from datetime import date as Date

from pydantic import Field, model_validator

from docgen.models.call import SimilaritySpec
from docgen.models.common import Email, Model, Phone, Text


class ProjectClass(Model):
    """One class of project the notice names (国培 / 省培 / 薄改)."""

    key: Text = Field(title="简称")
    name: Text = Field(title="全称")


class Part(Model):
    """A required part of a document; a heading matches when it contains every keyword."""

    title: Text = Field(title="部分名称")
    keywords: list[Text] = Field(default_factory=list, title="标题关键词")

    @property
    def words(self) -> list[str]:
        return self.keywords or [self.title]


class SelfReportSpec(Model):
    title: Text = Field("绩效自评报告", title="文件名称")
    file: Text = Field("绩效自评报告.md", title="Markdown 文件名")
    parts: list[Part] = Field(min_length=1, title="必备部分")


class WorkCaseSpec(Model):
    parts: list[Part] = Field(min_length=1, title="结构框架")
    max_words: int = Field(gt=0, title="字数上限")
    max_per_class: int = Field(gt=0, title="每单位每类项目推荐上限")
    # 附件 一.1 “案例应是 2023 年的实践探索”: the case's 实践时间 (front matter `period`) lies in this year.
    practice_year: int | None = Field(None, title="案例实践年度")


class Quota(Model):
    category: Text = Field(title="单位类别")
    min: int = Field(ge=0, title="下限")
    max: int = Field(ge=0, title="上限")


class GrowthCaseSpec(Model):
    min_words: int = Field(ge=0, title="字数下限")
    max_words: int = Field(gt=0, title="字数上限")
    author_fields: dict[str, Text] = Field(title="作者信息栏目")
    quotas: list[Quota] = Field(min_length=1, title="推荐数量")


class Templates(Model):
    report: Text = Field(title="报告与案例模板")
    author_sheet: Text = Field(title="作者信息模板")
    list: Text = Field(title="报送清单模板")


class YearEndCall(Model):
    """data/calls/<id>/reports.yaml: what a 项目总结 notice asks for, thresholds included."""

    title: Text = Field(title="通知标题")
    doc_no: Text = Field("", title="文号")
    issuer: Text = Field(title="发布单位")
    year: int = Field(title="项目年度")
    deadline: Text = Field("", title="报送时间")
    classes: list[ProjectClass] = Field(min_length=1, title="项目类别")
    self_report: SelfReportSpec = Field(title="绩效自评报告")
    work_case: WorkCaseSpec = Field(title="典型工作案例")
    growth_case: GrowthCaseSpec = Field(title="教师成长案例")
    templates: Templates = Field(title="模板")
    similarity: SimilaritySpec = Field(default_factory=SimilaritySpec, title="查重（教师成长案例之间）")

    def project_class(self, key: str) -> ProjectClass | None:
        return next((c for c in self.classes if c.key == key), None)


class Figures(Model):
    """One project's figures: trainees and money."""

    name: Text = Field(title="项目名称")
    planned: int = Field(ge=0, title="计划人数")
    enrolled: int = Field(ge=0, title="实际参训人数")
    completed: int = Field(ge=0, title="结业人数")
    budget: int = Field(ge=0, title="下达经费（元）")
    spent: int = Field(ge=0, title="实际支出（元）")

    @model_validator(mode="after")
    def _sane(self):
        if self.completed > self.enrolled:
            raise ValueError(f"结业人数 {self.completed} 多于实际参训人数 {self.enrolled}")
        return self


class Spending(Model):
    item: Text = Field(title="支出科目")
    amount: int = Field(ge=0, title="金额（元）")


class Contact(Model):
    name: Text = Field(title="联系人")
    phone: Phone = Field(title="联系电话")


class ReportFolder(Model):
    """data/units/<unit>/reports/<year>-<class>/report.yaml."""

    call: Text = Field(title="总结通知")
    project_class: Text = Field(alias="class", title="项目类别")
    category: Text = Field("", title="单位类别（省内高校/其他，省略时按单位类型和地址判断）")
    contact: Contact = Field(title="联系人")
    projects: list[Figures] = Field(min_length=1, title="项目数据")
    spending: list[Spending] = Field(default_factory=list, title="经费支出明细")
    date: Date | None = Field(None, title="报告日期（落款）")


class CaseMeta(Model):
    """Front matter of a case's Markdown file."""

    kind: Text = Field(title="案例类型（工作案例/成长案例）")
    title: Text = Field(title="标题")
    author: Text = Field("", title="作者真实姓名")
    org: Text = Field("", title="单位")
    position: Text = Field("", title="职务/职称")
    email: Email | None = Field(None, title="邮箱")
    phone: Phone | None = Field(None, title="电话")
    project_class: Text = Field("", alias="class", title="项目类别")
    period: Text = Field("", title="实践时间（如 2023年3月—2023年12月）")

    @model_validator(mode="after")
    def _kind(self):
        if self.kind not in ("工作案例", "成长案例"):
            raise ValueError(f"kind 应为“工作案例”或“成长案例”，这里是“{self.kind}”")
        return self


class ReportMeta(Model):
    """Front matter of 绩效自评报告.md (all optional)."""

    title: Text = Field("", title="标题")
