"""Load the 四川 提升工程 bureau data: reference lists, the cities' plans, the province's sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.errors import Collector, Diagnostic, Location, display_path
from docgen.load.validate import load_model
from docgen.load.yamlpos import YamlDoc
from docgen.models.sichuan import (
    City,
    CityList,
    CityPlan,
    Divisions,
    InstitutionList,
    PlanRules,
    ProjectCounties,
    ProvincePlan,
    Region,
)

REFERENCE = Path("reference/sichuan")
BUREAUS = Path("bureaus")


@dataclass
class Reference:
    cities: list[City]
    institutions: InstitutionList
    counties: ProjectCounties
    rules: PlanRules
    rules_file: str
    divisions: Divisions | None = None

    def city(self, city_id: str) -> City | None:
        return next((c for c in self.cities if c.id == city_id), None)

    def city_by_name(self, text: str) -> City | None:
        text = text.strip()
        for c in self.cities:
            if text and (text == c.name or text == c.short or text == c.short + "市" or text.startswith(c.short)):
                return c
        return None

    def institution_names(self) -> list[str]:
        return [i.name for i in self.institutions.institutions]


@dataclass
class LoadedCityPlan:
    id: str
    city: City
    model: CityPlan
    doc: YamlDoc

    @property
    def file(self) -> str:
        return self.doc.positions.file


@dataclass
class SichuanData:
    """The 四川 plan's data: the reference lists, each 市（州）'s plan.yaml and the province summary
    (under data/bureaus/; not the bureau desk of :mod:`docgen.bureau`)."""

    root: Path
    data: Path
    reference: Reference
    plans: dict[str, LoadedCityPlan] = field(default_factory=dict)
    province: ProvincePlan | None = None
    province_doc: YamlDoc | None = None
    warnings: list[Diagnostic] = field(default_factory=list)

    def province_regions(self) -> list[tuple[City, Region | None]]:
        """Return one (city, region) per 市州 in the reference order; None when the city has no data."""
        rows: list[tuple[City, Region | None]] = []
        for c in self.reference.cities:
            if c.id in self.plans:
                rows.append((c, sum_regions(c.short, self.plans[c.id].model.regions)))
            elif self.province and c.id in self.province.cities:
                rows.append((c, self.province.cities[c.id].region(c.short)))
            else:
                rows.append((c, None))
        return rows


def sum_regions(name: str, regions: list[Region]) -> Region:
    """Return one region whose figures are the sums of *regions*."""
    data = {"name": name, "teachers": sum(r.teachers for r in regions)}
    for y in (2014, 2015, 2016, 2017):
        first = regions[0].year(y)
        data[f"t{y}"] = {k: sum(getattr(r.year(y), k) for r in regions) for k in type(first).model_fields}
    return Region.model_validate(data)


def has_bureaus(data_dir: Path) -> bool:
    return (data_dir / BUREAUS).is_dir()


def load_reference(data_dir: Path) -> Reference:
    """Load data/reference/sichuan/*.yaml; raise InputError listing every problem."""
    base = data_dir / REFERENCE
    collector = Collector()
    cities = load_model(base / "cities.yaml", CityList, collector)
    institutions = load_model(base / "institutions.yaml", InstitutionList, collector)
    counties = load_model(base / "project-counties.yaml", ProjectCounties, collector)
    rules = load_model(base / "rules.yaml", PlanRules, collector)
    divisions = load_model(base / "divisions.yaml", Divisions, collector, optional=True)
    if cities:
        ids = {c.id for c in cities.model.cities}
        for listing, key_path in ((counties, "counties"), (divisions, "divisions")):
            if listing is None:
                continue
            for key in getattr(listing.model, key_path, None) or {}:
                if key not in ids:
                    collector.add(Diagnostic("D310", f"市州编号“{key}”不在 cities.yaml 中",
                                             listing.positions.locate((key_path, key)), hint="核对市州编号拼写。"))
    collector.raise_if_errors()
    assert cities and institutions and counties and rules, "load_model returns None only after adding an error"
    return Reference(cities.model.cities, institutions.model, counties.model, rules.model,
                     display_path(base / "rules.yaml"), divisions.model if divisions else None)


def load_bureaus(root: Path, data_dir: Path, city: str | None = None) -> SichuanData:
    """Load the reference data, every data/bureaus/<city>/plan.yaml and data/bureaus/province.yaml."""
    reference = load_reference(data_dir)
    result = SichuanData(root, data_dir, reference)
    collector = Collector()
    base = data_dir / BUREAUS
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        path = folder / "plan.yaml"
        if not path.is_file() or (city and folder.name != city):
            continue
        loaded = load_model(path, CityPlan, collector)
        if loaded is None:
            continue
        model, doc = loaded.model, loaded.doc
        c = reference.city(model.city)
        if c is None:
            collector.add(Diagnostic("D311", f"市州编号“{model.city}”不在 data/reference/sichuan/cities.yaml 中",
                                     doc.positions.locate(("city",)), field="city（市州编号）",
                                     hint="写 cities.yaml 中的编号，例如 leshan。"))
            continue
        if c.id != folder.name:
            collector.add(Diagnostic("D312", f"文件夹名“{folder.name}”与市州编号“{c.id}”不一致",
                                     doc.positions.locate(("city",)), hint="把文件夹改名为市州编号。"))
            continue
        result.plans[c.id] = LoadedCityPlan(c.id, c, model, doc)
    loaded_province = load_model(base / "province.yaml", ProvincePlan, collector, optional=True)
    if loaded_province is not None:
        province, doc = loaded_province.model, loaded_province.doc
        for key in province.cities:
            if reference.city(key) is None:
                collector.add(Diagnostic("D311", f"市州编号“{key}”不在 cities.yaml 中",
                                         doc.positions.locate(("cities", key)), hint="核对市州编号拼写。"))
            elif key in result.plans:
                collector.add(Diagnostic(
                    "D313", f"“{key}”既有自己的计划表（{result.plans[key].file}），又在省汇总数据中",
                    doc.positions.locate(("cities", key)), severity="warning",
                    hint="省汇总以该市州自己的计划表为准；删除这一行以免两处不一致。"))
        result.province, result.province_doc = province, doc
    collector.raise_if_errors()
    result.warnings = [d for d in collector.diagnostics if d.severity == "warning"]
    return result


def location_of(plan: LoadedCityPlan, *path) -> Location:
    return plan.doc.positions.locate(tuple(path))
