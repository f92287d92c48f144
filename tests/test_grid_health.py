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


def test_a_co2e_of_another_edition_than_the_gases_beside_it_is_said_with_the_same_editions_sum():
    # SRTV: eGRID2022's 933.1 lb CO2 + 28 x 0.082 CH4 + 265 x 0.012 N2O (AR5) = 938.576 lb CO2e/MWh, against eGRID2023's
    # published 900.82: the column's CO2e (390,614 short tons) is below its CO2 (404,611); the note says why, with the
    # same edition's figure, 938.576 x 867,240 / 2,000 = 406,985 short tons
    col = grid_column(_result("memphis"), "SRTV")
    assert col.pounds["co2e"] < col.pounds["co2"]
    assert "give 938.58 lb/MWh (406,985 short tons)" in col.note and "not from the arithmetic" in col.note
    assert "another edition" not in grid_column(_result("memphis"), "SRMV").note  # no gases beside its CO2e


def test_a_subregion_with_only_co2e_gives_no_co2():
    r = _result("memphis")
    col = grid_column(r, "SRMV")
    assert col.pounds["co2"] is None
    assert abs(col.pounds["co2e"] - r.generation_mwh * 741.371) < 1e-3


def test_the_health_screening_says_its_edition_is_superseded_and_pm_only():
    doc = health_doc(_result("memphis"))
    assert doc["superseded"].startswith("Superseded") and "ozone" in doc["superseded"]
    assert "PM2.5-related benefits only" in doc["note"]
