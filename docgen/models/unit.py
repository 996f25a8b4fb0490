"""A training institution (or bureau) and the facts it keeps once: people, teams, experience."""

from __future__ import annotations

from datetime import date
from datetime import date as Date
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.common import (
    CreditCode,
    Email,
    Mobile,
    Model,
    Phone,
    Postcode,
    Text,
    YesNo,
)

# 职称 as printed → its grade. Grades 正高级/副高级 are "高级及以上".
TITLE_LEVELS: dict[str, str] = {
    "教授": "正高级", "研究员": "正高级", "正高级教师": "正高级", "正高级讲师": "正高级",
    "教授级高级工程师": "正高级", "正高级工程师": "正高级", "主任医师": "正高级", "编审": "正高级",
    "副教授": "副高级", "副研究员": "副高级", "高级教师": "副高级", "中学高级教师": "副高级",
    "高级讲师": "副高级", "高级工程师": "副高级", "副编审": "副高级", "副主任医师": "副高级",
    "讲师": "中级", "助理研究员": "中级", "一级教师": "中级", "中学一级教师": "中级",
    "小学高级教师": "中级", "工程师": "中级", "编辑": "中级",
    "正高级": "正高级", "副高级": "副高级", "中级": "中级", "初级": "初级",  # the grade itself, as 职称
    "助教": "初级", "二级教师": "初级", "三级教师": "初级", "助理工程师": "初级", "研究实习员": "初级",
}
TitleLevel = Literal["正高级", "副高级", "中级", "初级", "无"]
SENIOR_LEVELS = ("正高级", "副高级")


def title_level_of(title: str) -> str | None:
    """Return the grade of a 职称 text, or None when the text is not a known title."""
    text = title.replace("（", "(").split("(")[0].strip()
    for part in reversed(text.replace("、", "/").split("/")):
        part = part.strip()
        if part in TITLE_LEVELS:
            return TITLE_LEVELS[part]
    for name in sorted(TITLE_LEVELS, key=len, reverse=True):
        if name in text:
            return TITLE_LEVELS[name]
    return None


class Person(Model):
    """A responsible person as the forms print them: 姓名 职务 职称 电话 手机 邮箱."""

    name: Text = Field(title="姓名")
    position: Text = Field(title="职务")
    title: Text = Field("", title="职称")
    phone: Phone = Field(title="联系电话")
    mobile: Mobile = Field(title="手机")
    email: Email = Field(title="邮箱")


class LegalEntity(Model):
    """The 法人单位 a unit belongs to, when the unit is one of its departments (e.g. a university's 学院)."""

    name: Text = Field(title="上级法人单位名称")
    credit_code: CreditCode | None = Field(None, title="上级法人单位统一社会信用代码")


class Department(Model):
    name: Text = Field(title="项目执行部门名称")
    address: Text = Field(title="通讯地址")
    postcode: Postcode = Field(title="邮编")
    head: Person = Field(title="部门负责人")


class PastProject(Model):
    name: Text = Field(title="项目名称")
    level: Literal["国培", "省培", "市培", "县培", "其他"] = Field(title="级别")
    start: date = Field(title="实施开始日期")
    end: date = Field(title="实施结束日期")
    audience: Text = Field(title="培训对象")
    trainees: int = Field(gt=0, title="人数")
    duration: Text = Field(title="培训时长")
    client: Text = Field("", title="委托单位")

    @model_validator(mode="after")
    def _dates_in_order(self):
        if self.end < self.start:
            raise ValueError(f"结束日期 {self.end} 早于开始日期 {self.start}")
        return self

    def years(self) -> set[int]:
        return set(range(self.start.year, self.end.year + 1))


class TeamMember(Model):
    name: Text = Field(title="姓名")
    age: int = Field(ge=18, le=90, title="年龄")
    education: Literal["博士研究生", "硕士研究生", "大学本科", "大学专科", "中专", "高中", "其他"] = Field(title="学历")
    major: Text = Field(title="专业")
    duty: Text = Field(title="工作分工")


class ChiefExpert(Model):
    name: Text = Field(title="姓名")
    position: Text = Field(title="职务")
    title: Text = Field(title="职称")
    org: Text = Field(title="单位")
    expertise: Text = Field(title="研究专长")
    phone: Phone = Field(title="电话")
    mobile: Mobile = Field(title="手机")
    email: Email = Field(title="邮箱")


class Expert(Model):
    name: Text = Field(title="姓名")
    position: Text = Field("", title="职务")
    title: Text = Field(title="职称")
    title_level: TitleLevel | None = Field(None, title="职称等级")
    subject: Text = Field(title="学科(领域)")
    major: Text = Field(title="专业")
    org: Text = Field(title="工作单位")
    expertise: Text = Field(title="研究专长")
    frontline: YesNo = Field(title="是否为一线教师教研员")
    own: YesNo = Field(title="是否本机构专家")

    @model_validator(mode="after")
    def _derive_level(self):
        if self.title_level is None:
            level = title_level_of(self.title)
            if level is None:
                raise ValueError(
                    f"无法从职称“{self.title}”判断职称等级：请写常见职称（如 教授、副教授、正高级教师、高级教师、一级教师），"
                    "或另加 title_level: 正高级/副高级/中级/初级/无")
            self.title_level = level
        return self

    @property
    def senior(self) -> bool:
        return self.title_level in SENIOR_LEVELS

    @property
    def position_title(self) -> str:
        return "/".join(p for p in (self.position, self.title) if p)


class TestAccount(Model):
    role: Text = Field(title="账号类型")
    account: Text = Field(title="账号")
    password: Text = Field(title="密码")


class Platform(Model):
    """网络研修支持服务能力: the unit's online platform."""

    ip: Text = Field("", title="公用IP地址")
    domains: list[Text] = Field(default_factory=list, title="域名")
    test_accounts: list[TestAccount] = Field(default_factory=list, title="测试账号及密码")
    community: Text = Field("", title="网络研修社区功能")
    monitoring: Text = Field("", title="过程监控")
    crisis: Text = Field("", title="危机应对")


class Seal(Model):
    image: Text = Field(title="印章图片")
    diameter_mm: float = Field(42, gt=10, lt=80, title="印章直径（毫米）")


class Attachment(Model):
    """A 佐证 file: what it is, where it is, and which required items it serves."""

    title: Text = Field(title="材料名称")
    file: Text = Field(title="文件")
    serves_as: list[Text] = Field(default_factory=list, title="同时作为")
    password: Text | None = Field(None, title="PDF 密码")
    # Scope: a 授权书 authorises one project, a 证明 is signed for one call. Empty = any call.
    call: Text | None = Field(None, title="所属通知")
    application: Text | None = Field(None, title="所属申报")
    date: Date | None = Field(None, title="出具日期")

    @property
    def kinds(self) -> list[str]:
        return [self.title, *self.serves_as]

    def in_scope(self, call_id: str, app_id: str | None = None) -> bool:
        """Return True when this file may be used for *call_id* (and the application *app_id*)."""
        return (self.call is None or self.call == call_id) and (self.application is None or self.application == app_id)


class Unit(Model):
    """A 申报单位: everything every 申报书 repeats, kept once."""

    name: Text = Field(title="单位名称")
    short_name: Text = Field("", title="简称")
    kind: Literal["高校", "培训机构", "教师发展中心", "教育局", "中小学", "其他"] = Field(title="单位类型")
    level: Literal["省级", "市级", "县级"] | None = Field(None, title="行政级别")
    credit_code: CreditCode = Field(title="统一社会信用代码")
    # A department applying in its own name names the 法人单位 it belongs to (rule one_legal_entity).
    legal_entity: LegalEntity | None = Field(None, title="上级法人单位")
    address: Text = Field(title="通讯地址")
    postcode: Postcode = Field(title="邮编")
    leader: Person = Field(title="单位负责人")
    # Sections a training institution keeps; a call that prints them lists them in
    # `application.requires` of its call.yaml and the loader reports any that is missing.
    department: Department | None = Field(None, title="项目执行部门")
    experience: list[PastProject] = Field(default_factory=list, title="相关项目经验")
    management_team: list[TeamMember] = Field(default_factory=list, title="培训项目管理团队")
    tech_team: list[TeamMember] = Field(default_factory=list, title="技术服务团队")
    chief_expert: ChiefExpert | None = Field(None, title="首席专家")
    experts: list[Expert] = Field(default_factory=list, title="专家团队")
    platform: Platform = Field(default_factory=Platform, title="网络研修平台")
    seal: Seal | None = Field(None, title="公章")
    attachments: list[Attachment] = Field(default_factory=list, title="佐证材料")

    def attachment_for(self, kind: str, call_id: str | None = None, app_id: str | None = None) -> Attachment | None:
        """Return the first attachment serving *kind* (within the scope of *call_id*/*app_id* when given)."""
        for att in self.attachments:
            if kind in att.kinds and (call_id is None or att.in_scope(call_id, app_id)):
                return att
        return None
