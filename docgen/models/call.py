"""A call for applications (申报通知): everything that changes from one notice to the next."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field, model_validator

from docgen.models.common import Email, Model, Phone, Text, cn_year_month, money_text


class SubProject(Model):
    """One row of 附件1 项目设置情况一览表."""

    no: int = Field(title="序号")
    label: Text = Field("", title="序号文字")
    name: Text = Field(title="子项目名称")
    audience: Text = Field("", title="培训对象")
    mode: Text = Field("", title="培训方式")
    period: Text = Field("", title="培训时间")
    trainees: int | None = Field(None, gt=0, title="培训人数")
    budget: int = Field(ge=0, title="经费标准（元）")
    deadline: Text = Field("", title="结项时间要求")
    goal: Text = Field("", title="目标")
    content: Text = Field("", title="内容")
    results: Text = Field("", title="预期成果")
    extra: dict[str, Text] = Field(default_factory=dict, title="其他信息")

    @property
    def budget_text(self) -> str:
        return money_text(self.budget)

    @property
    def display_no(self) -> str:
        return self.label or f"项目{self.no}"


class NarrativeField(Model):
    """A prose field an application of this call must fill (e.g. 三、目标定位)."""

    key: Text = Field(title="键")
    title: Text = Field(title="标题")
    hint: Text = Field("", title="填写说明")
    required: bool = Field(True, title="必填")


class ApplicationSpec(Model):
    narrative: list[NarrativeField] = Field(default_factory=list, title="叙述字段")
    requires: list[Literal["mentors", "growth_cases", "participants", "schedule", "leader", "key_work",
                                "platform", "department", "experience", "management_team", "tech_team",
                                "chief_expert", "experts"]] = Field(default_factory=list, title="必填项")


class Form(Model):
    """A document the call asks for, rendered from a template."""

    id: Text = Field(title="表单标识")
    title: Text = Field(title="表单名称")
    template: Text = Field(title="模板文件")
    # application: one per 申报; unit: one per unit and call (汇总表);
    # call: once per call, the bureau's own attachments (一览表, blank 汇总表, 评分标准).
    per: Literal["application", "unit", "call"] = Field(title="生成粒度")
    output: Text = Field(title="输出文件名")
    pdf: bool = Field(True, title="是否转 PDF")


class Rule(Model):
    """A rule of the call: a kind known to docgen, with this call's figures."""

    id: Text = Field(title="规则编号")
    kind: Literal["ratio_min", "share_min", "exclusive", "years_covered", "required_attachments",
                  "word_limit", "role", "one_per_person", "bureau_quota", "single_applicant", "one_legal_entity",
                  "batches", "visits", "finish_by", "has_experience", "prior_concluded"] = Field(
        title="规则类型")
    title: Text = Field(title="规则说明")
    advice: Text = Field("", title="修改建议")
    params: dict[str, Any] = Field(default_factory=dict, title="参数")


class Criterion(Model):
    """One row of the 评分标准."""

    no: int = Field(title="序号")
    indicator: Text = Field(title="指标")
    content: list[Text] = Field(title="评价内容")
    points: int = Field(gt=0, title="分值")


class Contact(Model):
    name: Text = Field(title="联系人")
    phone: Phone = Field(title="联系电话")
    email: Email | None = Field(None, title="邮箱")
    address: Text = Field("", title="地址")


class Submission(Model):
    """The merged, numbered and sealed submission PDF of each application (docgen pdf)."""

    output: Text = Field("{unit}/{call}/申报材料-{sub_label}-{sub_name}.pdf", title="输出文件名")
    parts: list[Text] = Field(default_factory=list, title="装订的表单")
    attachments_title: Text = Field("佐证资料", title="佐证材料部分标题")
    seal_places: list[Text] = Field(
        default_factory=lambda: ["申报单位（公章）", "申报单位（盖章）", "（单位公章）", "单位（盖章）", "单位（公章）"],
        title="盖章位置文字")
    riding_seal: bool = Field(True, title="骑缝章")
    stamp_copies: bool = Field(True, title="复印件加盖公章")
    watermark: Text = Field("", title="复印件水印")
    toc: bool = Field(True, title="目录页")


class GuideSection(Model):
    """One section of a 申报指南 after the sub-projects (二、相关要求 …): its title and paragraphs."""

    title: Text = Field(title="标题")
    paragraphs: list[Text] = Field(default_factory=list, title="段落")


class Guide(Model):
    """附件2 申报指南: an introduction, the heading over the sub-projects (each printed from its goal and
    `extra` items in order), then the notice's further sections."""

    intro: Text = Field("", title="导语")
    heading: Text = Field("", title="子项目部分标题")
    sections: list[GuideSection] = Field(default_factory=list, title="其他部分")


class SimilaritySpec(Model):
    """查重：叙述内容与申报指南、其他申报相同的提醒阈值（docgen check、docgen similar）。"""

    guide: Text = Field("", title="申报指南文本文件（相对于通知文件夹，如 申报指南.md）")
    min_passage: int = Field(40, ge=10, title="最短相同片段（字；不计标点和空格，一串数字算一个字）")
    min_share: Text = Field("0%", pattern=r"^\d{1,3}(\.\d+)?%$", title="相同文字至少占本项的比例（如 20%）")

    @property
    def share(self) -> float:
        return float(self.min_share.rstrip("%")) / 100


class Call(Model):
    title: Text = Field(title="通知标题")
    project_title: Text = Field(title="项目名称")
    issuer: Text = Field(title="发布单位")
    year: int = Field(title="年度")
    published: date = Field(title="发布日期")
    deadline: Text = Field("", title="截止时间")
    contact: Contact | None = Field(None, title="联系方式")
    sub_projects: list[SubProject] = Field(min_length=1, title="子项目")
    application: ApplicationSpec = Field(default_factory=ApplicationSpec, title="申报书内容")
    attachments: list[Text] = Field(default_factory=list, title="佐证材料清单")
    forms: list[Form] = Field(default_factory=list, title="表单")
    rules: list[Rule] = Field(default_factory=list, title="规则")
    scoring: list[Criterion] = Field(default_factory=list, title="评分标准")
    scoring_notes: list[Text] = Field(default_factory=list, title="评分说明")
    scoring_total: int = Field(100, gt=0, title="评分总分")
    submission: Submission | None = Field(None, title="盖章 PDF 申报材料")
    similarity: SimilaritySpec = Field(default_factory=SimilaritySpec, title="查重")
    guide: Guide | None = Field(None, title="申报指南")

    @model_validator(mode="after")
    def _unique(self):
        nos = [s.no for s in self.sub_projects]
        dupes = sorted({n for n in nos if nos.count(n) > 1})
        if dupes:
            raise ValueError(f"子项目序号重复：{dupes}")
        ids = [f.id for f in self.forms]
        if len(ids) != len(set(ids)):
            raise ValueError("表单标识 id 重复")
        return self

    @property
    def cover_date(self) -> str:
        return cn_year_month(self.published)

    def sub_project(self, no: int) -> SubProject | None:
        return next((s for s in self.sub_projects if s.no == no), None)

    @property
    def total_points(self) -> int:
        return sum(c.points for c in self.scoring)
