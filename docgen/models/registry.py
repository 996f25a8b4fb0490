"""What a bureau knows and the units do not hold: legal entities and their departments, past funded projects.

Kept in data/bureaus/<bureau>/registry.yaml; rules one_legal_entity and prior_concluded read it.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, model_validator

from docgen.models.common import CreditCode, Model, Text


class EntityRecord(Model):
    """A 法人单位 and the departments (下级部门) that may apply in their own names."""

    name: Text = Field(title="法人单位名称")
    credit_code: CreditCode = Field(title="统一社会信用代码")
    # A department as a unit folder under data/units/ (unit: heluo-jxjy) or by its full name.
    departments: list[Text] = Field(default_factory=list, title="下级部门（单位文件夹名或全称）")


class FundedProject(Model):
    """A project of an earlier batch (e.g. 第二批出彩项目) and whether it has been concluded (结项)."""

    name: Text = Field(title="项目名称")
    batch: Text = Field(title="批次")
    leader: Text = Field(title="项目负责人")
    leader_id: Text = Field("", title="负责人证件号（有则据此区分同名的人）")
    org: Text = Field(title="负责人所在单位")
    credit_code: CreditCode | None = Field(None, title="单位统一社会信用代码")
    concluded: date | None = Field(None, title="结项日期（未结项不填）")


class Batch(Model):
    """A batch the registry holds completely: every project of it is listed in `projects`."""

    name: Text = Field(title="批次")
    listed_on: date = Field(title="名单核对日期")


class Registry(Model):
    """data/bureaus/<bureau>/registry.yaml."""

    issuer: Text = Field(title="登记单位")
    entities: list[EntityRecord] = Field(default_factory=list, title="法人单位及下级部门")
    batches: list[Batch] = Field(default_factory=list, title="已完整登记的批次")
    projects: list[FundedProject] = Field(default_factory=list, title="已立项项目")

    @model_validator(mode="after")
    def _batches_known(self):
        known = {b.name for b in self.batches}
        unknown = sorted({p.batch for p in self.projects} - known)
        if unknown:
            raise ValueError(f"projects 中的批次 {'、'.join(unknown)} 没有写入 batches（写明名单核对日期）")
        return self

    def batch(self, name: str) -> Batch | None:
        return next((b for b in self.batches if b.name == name), None)
