"""An education bureau that recommends applicants to a higher call (e.g. a 省辖市 教育局 for 出彩项目)."""

from __future__ import annotations

from pydantic import Field

from docgen.models.common import Model, Text


class County(Model):
    """A 县（区） of the bureau; `unit` names its 教育局's folder under data/units/ when it has one."""

    name: Text = Field(title="县（区）名称")
    unit: Text = Field("", title="县（区）教育局单位文件夹")


class Recommendation(Model):
    """The 县（区） the bureau recommends to one call, by the names in `counties`."""

    call: Text = Field(title="通知")
    counties: list[Text] = Field(default_factory=list, title="推荐的县（区）")


class RecommendingBureau(Model):
    """data/bureaus/<id>/bureau.yaml: a 省辖市 教育局 that recommends its 县（区） to a call.

    Not the bureau desk (:mod:`docgen.bureau`, the intake and scoring of a bureau's own call):
    this is a bureau as a *recommender* of applicants, checked by the ``bureau_quota`` rule.
    """

    name: Text = Field(title="教育局名称")
    counties: list[County] = Field(min_length=1, title="所辖县（区）")
    recommendations: list[Recommendation] = Field(default_factory=list, title="审核推荐")

    def county_of(self, unit_id: str) -> County | None:
        return next((c for c in self.counties if c.unit == unit_id), None)

    def recommended(self, call_id: str) -> list[str]:
        """Return the names of the 县（区） recommended to *call_id*."""
        return [c for r in self.recommendations if r.call == call_id for c in r.counties]
