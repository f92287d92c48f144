"""The grid comparison's published CO2e rates and the health screening's edition label (issue 21, item 7)."""

from __future__ import annotations

from emiss.analysis.compare import grid_column
from emiss.core.calc import estimate
from emiss.inputs.scenario import build
from emiss.inputs.presets import load
from emiss.report.health import health_doc


def _result(name: str):
    return estimate(build(load(name)))


def test_a_published_co2e_rate_is_used_with_its_edition():
    r = _result("memphis")
    col = grid_column(r, "SRTV")
    # 867,240 MWh x 900.82 lb CO2e/MWh (eGRID2023, SRTV) = 781,230,136.8 lb
    assert abs(col.pounds["co2e"] - 867_240 * 900.82) < 1e-3
    # CO2 alone stays eGRID2022's 933.1 lb/MWh: 867,240 x 933.1 = 809,221,644 lb
    assert abs(col.pounds["co2"] - 867_240 * 933.1) < 1e-3
    assert "eGRID2023" in col.note and "eGRID2022" in col.note


def test_a_subregion_with_only_co2e_gives_no_co2():
    r = _result("memphis")
    col = grid_column(r, "SRMV")
    assert col.pounds["co2"] is None
    assert abs(col.pounds["co2e"] - r.generation_mwh * 741.371) < 1e-3


def test_the_health_screening_says_its_edition_is_superseded_and_pm_only():
    doc = health_doc(_result("memphis"))
    assert doc["superseded"].startswith("Superseded") and "ozone" in doc["superseded"]
    assert "PM2.5-related benefits only" in doc["note"]
