"""Models of the 四川 提升工程 bureau side: reference lists, a city's plan, rosters and rules."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from docgen.models.common import Email, Model, Phone, Text

YEARS = (2014, 2015, 2016, 2017)


class City(Model):
    id: str = Field(title="编号")
    name: Text = Field(title="市州名称")
    short: Text = Field(title="简称")


class CityList(Model):
    cities: list[City] = Field(min_length=1, title="市州")


class Institution(Model):
    no: int = Field(title="序号")
    name: Text = Field(title="培训机构")
    head: Text = Field(title="机构负责人")
    phone: Text = Field(title="联系电话")
    aliases: list[Text] = Field(default_factory=list, title="简称")


class InstitutionList(Model):
    institutions: list[Institution] = Field(min_length=1, title="培训机构")


class ProjectCounties(Model):
    year: int = Field(title="年度")
    counties: dict[str, list[Text]] = Field(title="项目县")


class Divisions(Model):
    """The province's county-level divisions per 市州 (data/reference/sichuan/divisions.yaml)."""

    year: int = Field(title="年度")
    city_level: list[Text] = Field(default_factory=list, title="市本级的写法")
    divisions: dict[str, list[Text]] = Field(title="各市（州）所属县（市、区）")


class PlanRule(Model):
    id: str = Field(title="规则编号")
    kind: Literal["year_share_min", "period_share_near", "cumulative_min", "hours_min",
                  "project_counties_in_plan", "project_counties_named", "annual_matches_plan",
                  "institutions_listed", "filed_by"] = Field(title="规则种类")
    title: Text = Field(title="规则名称")
    source: Text = Field("", title="依据")
    year: int | None = Field(None, title="年度")
    years: list[int] = Field(default_factory=list, title="年度")
    level: Literal["province", "city", "all"] = Field("all", title="层级")
    severity: Literal["error", "warning"] = Field("error", title="级别")
    min: str | None = Field(None, title="下限")
    target: str | None = Field(None, title="目标")
    tolerance: str | None = Field(None, title="容差")
    # filed_by: the plan's 填报时间 is on or before `deadline` (月-日, every year) or the year's own date.
    deadline: str | None = Field(None, title="每年报送截止（月-日）")
    deadlines: dict[int, date] = Field(default_factory=dict, title="个别年度的报送截止日期")


class PlanRules(Model):
    rules: list[PlanRule] = Field(title="规则")


class Year2014(Model):
    """2014 counts as reported: 省培 and 国培 (both the province's share)."""

    province: int = Field(0, ge=0, title="省培")
    national: int = Field(0, ge=0, title="国培")

    @property
    def province_level(self) -> int:
        return self.province + self.national

    @property
    def city_level(self) -> int:
        return 0

    @property
    def total(self) -> int:
        return self.province + self.national

    def cells(self) -> tuple[int, int]:
        return self.province, self.national


class YearPlan(Model):
    province: int = Field(0, ge=0, title="省级")
    city: int = Field(0, ge=0, title="市级")

    @property
    def province_level(self) -> int:
        return self.province

    @property
    def city_level(self) -> int:
        return self.city

    @property
    def total(self) -> int:
        return self.province + self.city

    def cells(self) -> tuple[int, int]:
        return self.province, self.city


class Region(Model):
    """One row of 附件1-1: a county (in a city's table) or a city (in the province's)."""

    name: Text = Field(title="地区")
    teachers: int = Field(ge=0, title="教师总数")
    t2014: Year2014 = Field(default_factory=Year2014, title="2014年")
    t2015: YearPlan = Field(default_factory=YearPlan, title="2015年")
    t2016: YearPlan = Field(default_factory=YearPlan, title="2016年")
    t2017: YearPlan = Field(default_factory=YearPlan, title="2017年")

    def year(self, y: int) -> Year2014 | YearPlan:
        return getattr(self, f"t{y}")


class Person(Model):
    name: Text = Field(title="姓名")
    org: Text = Field("", title="单位")
    position: Text = Field("", title="职务")
    phone: Phone = Field(title="联系电话")
    email: Email | None = Field(None, title="邮箱")


class Training(Model):
    """One row of 年度规划书 培训计划."""

    region: Text = Field(title="地区")
    project: Text = Field(title="项目名称")
    audience: Text = Field(title="培训对象")
    mode: Text = Field(title="培训方式")
    trainees: int = Field(ge=0, title="培训人数")
    funds: float = Field(0, ge=0, title="经费投入（万元）")
    institution: Text = Field(title="培训机构")
    hours: int | None = Field(None, ge=0, title="学时")


class AnnualPlan(Model):
    """附件1-2 年度规划书."""

    year: int = Field(title="年度")
    seal_unit: Text = Field(title="单位（公章）")
    email: Email = Field(title="邮箱")
    schools: int = Field(ge=0, title="学校总数")
    to_train: int | None = Field(None, ge=0, title="应培训人数")
    leader: Person = Field(title="执行办负责人")
    members: list[Person] = Field(default_factory=list, title="相关成员")
    trainings: list[Training] = Field(min_length=1, title="培训计划")
    blended: Text = Field(title="混合式培训")
    resources: Text = Field(title="本地资源建设")
    supervision: Text = Field(title="监管评估举措")
    systems: Text = Field(title="制度建设")
    atmosphere: Text = Field(title="应用氛围")
    innovation: Text = Field(title="综合创新")


class Contact(Model):
    name: Text = Field(title="联系人")
    phone: Phone = Field(title="联系电话")


class CityPlan(Model):
    """data/bureaus/<city>/plan.yaml: a city's 计划表 and 年度规划书."""

    city: str = Field(title="市州编号")
    contact: Contact = Field(title="联系人")
    filled_on: date = Field(title="填报时间")
    regions: list[Region] = Field(min_length=1, title="地区")
    annual: AnnualPlan | None = Field(None, title="年度规划书")

    @model_validator(mode="after")
    def _unique_regions(self):
        seen = set()
        for r in self.regions:
            if r.name in seen:
                raise ValueError(f"地区“{r.name}”重复出现")
            seen.add(r.name)
        return self


class CompactCity(Model):
    """A city in the province's sample, one line: 教师总数 and per-year [a, b] figures."""

    teachers: int = Field(ge=0, title="教师总数")
    t2014: list[int] = Field(min_length=2, max_length=2, title="2014年 省培、国培")
    t2015: list[int] = Field(min_length=2, max_length=2, title="2015年 省级、市级")
    t2016: list[int] = Field(min_length=2, max_length=2, title="2016年 省级、市级")
    t2017: list[int] = Field(min_length=2, max_length=2, title="2017年 省级、市级")

    def region(self, name: str) -> Region:
        return Region(name=name, teachers=self.teachers,
                      t2014=Year2014(province=self.t2014[0], national=self.t2014[1]),
                      t2015=YearPlan(province=self.t2015[0], city=self.t2015[1]),
                      t2016=YearPlan(province=self.t2016[0], city=self.t2016[1]),
                      t2017=YearPlan(province=self.t2017[0], city=self.t2017[1]))


class ProvincePlan(Model):
    """data/bureaus/province.yaml: the 执行办's header line and the cities without their own folder."""

    unit: Text = Field(title="填报单位")
    contact: Contact = Field(title="联系人")
    filled_on: date = Field(title="填报时间")
    cities: dict[str, CompactCity] = Field(default_factory=dict, title="市州数据")


class RosterEntry(Model):
    project: Text = Field(title="培训项目")
    name: Text = Field(title="姓名")
    gender: Literal["男", "女"] = Field(title="性别")
    unit: Text = Field(title="工作单位（全称）")
    phone: Text = Field("", title="联系电话/手机")
    institution: Text = Field(title="培训机构")
    note: Text = Field("", title="备注")


class Roster(Model):
    people: list[RosterEntry] = Field(title="人员")


class ChangeDecision(Model):
    removed: Text = Field(title="原报送人员姓名")
    added: Text = Field(title="变更人员姓名")


class ChangeReport(Model):
    """data/bureaus/<city>/changes/<batch>/change.yaml: the 变更信息表 header and the rosters to compare."""

    area: Text = Field(title="市（县）")
    unit: Text = Field(title="填报单位")
    filled_by: Text = Field(title="填报人")
    filled_on: date = Field(title="填报日期")
    first: str = Field("roster-first.yaml", title="原报送名单文件")
    current: str = Field("roster-current.yaml", title="现名单文件")
    pairs: list[ChangeDecision] = Field(default_factory=list, title="人工确认的调换")
    schools: dict[str, list[Text]] = Field(default_factory=dict, title="单位全称与简称")
