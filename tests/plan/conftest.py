"""One LibreOffice run recalculates every workbook the 计划表 tests compare with Python."""

import pytest
from openpyxl import load_workbook

from docgen.models.sichuan import Region
from docgen.sichuan.pipeline import city_workbook, province_workbook
from docgen.sichuan.xlsx import plan_workbook
from tests.conftest import ROOT
from tests.plan.helpers import CITY, recalculate_all

ROUNDING = [Region(name="甲", teachers=800, t2014={"province": 1}),      # 0.125 → 0.13
            Region(name="乙", teachers=4000, t2014={"national": 1}),    # 0.025 → 0.03
            Region(name="丙", teachers=1600, t2014={"province": 2})]    # 0.125 → 0.13


@pytest.fixture(scope="session")
def sample():
    from docgen.sichuan.load import load_bureaus
    return load_bureaus(ROOT, ROOT / "samples")  # the committed samples, never the live data/


@pytest.fixture(scope="session")
def recalculated_books(sample, tmp_path_factory):
    """Return {"city"|"province"|"rounding": (source path, workbook recalculated by LibreOffice, data_only)}."""
    tmp = tmp_path_factory.mktemp("lo")
    sources = {"city": ("乐山-计划表.xlsx", city_workbook(sample.plans[CITY])),
               "province": ("四川省-计划表.xlsx", province_workbook(sample)),
               "rounding": ("rounding.xlsx", plan_workbook("测试市", "某", "0833-1234567", "2015年9月1日",
                                                           [(r.name, r) for r in ROUNDING]))}
    paths = {}
    for key, (name, data) in sources.items():
        paths[key] = tmp / name
        paths[key].write_bytes(data)
    copies = recalculate_all(list(paths.values()), tmp)
    return {key: (copies[p], load_workbook(copies[p], data_only=True)) for key, p in paths.items()}
