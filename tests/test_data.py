"""The shipped data: every number carries its unit, source and status where the code reads it."""

from __future__ import annotations

import pytest

from emiss import data
from emiss.core import units


@pytest.mark.parametrize("file,table,number", [("thresholds.toml", "threshold", "value"), ("thresholds.toml", "area", "nox_voc"),
                                               ("health.toml", "bpt", "egu"), ("health.toml", "bpt", "industrial_point"),
                                               ("factors.toml", "factor", "value")])
def test_each_number_has_a_unit_a_source_and_a_status(file, table, number):
    rows = data.load(file)[table]
    assert rows
    for row in rows:
        where = f"{file} [[{table}]] {row.get('id') or row.get('pollutant')}"
        assert isinstance(row[number], (int, float)) and row[number] >= 0, where
        assert row.get("unit") and row.get("source") and row.get("status") in ("verified", "secondary", "recalled", "calibrated"), where


def test_area_thresholds_are_tons_a_year_and_reach_the_screen():
    # Clean Air Act s.182(c)-(e): 50, 25 and 10 tons a year of NOx or VOC in serious, severe and extreme ozone areas
    assert units.multiplier("short_ton", data.areas()["ozone-severe"].unit.replace("/year", "")) == 1.0
    [t] = [t for t in data.thresholds_for("ozone-extreme") if t.id == "title_v_ozone"]
    assert (t.value, t.unit, t.pollutants) == (10.0, "short_ton/year", ("nox", "voc"))
