"""The Memphis preset reproduces the reporting: ~130 US short tons of NOx and ~50,000 homes."""

from __future__ import annotations

import pytest

from emiss.core.calc import estimate
from emiss.inputs.presets import available, load
from emiss.inputs.scenario import build, scenario_from


@pytest.fixture(scope="module")
def memphis():
    return estimate(scenario_from("memphis"))


def test_fleet_is_the_reported_99_mw(memphis):
    # 4 x 16 MW + 14 x 2.5 MW = 64 + 35 = 99 MW, 18 units
    assert memphis.capacity_kw == pytest.approx(99_000)
    assert sum(g.count for g in memphis.scenario.groups) == 18


def test_nox_is_130_short_tons_within_2_percent(memphis):
    assert memphis.emissions["nox"].lb_per_year / 2000 == pytest.approx(130, rel=0.02)


def test_nox_by_hand(memphis):
    # heat input: (64 MW x 9,695 + 35 MW x 3,412.14/0.40) Btu/kWh x 1.108 = 1,018.30 MMBtu/h; x 8,760 h = 8,920,300 MMBtu
    # 7.9 ppm x 0.0036844 lb/MMBtu/ppm = 0.029107 lb/MMBtu; x 8,920,300 = 259,640 lb = 129.8 short tons
    assert memphis.heat_input_mmbtu == pytest.approx(8_920_300, rel=1e-5)
    assert memphis.emissions["nox"].lb_per_year == pytest.approx(259_640, rel=5e-4)


def test_households_about_50000(memphis):
    # capacity view: 99,000 kW / 2.0 kW = 49,500 homes
    assert memphis.households == pytest.approx(50_000, rel=0.05)
    assert memphis.scenario.households_method == "capacity"


def test_calibrated_values_say_so(memphis):
    calibrated = [a for a in memphis.scenario.assumptions if a.status == "calibrated"]
    assert any("demand" in a.name for a in calibrated)
    nox = memphis.emissions["nox"].factors[0][1]
    assert nox.status == "calibrated" and "calibrated" in nox.source


def test_every_total_is_complete_and_the_genset_assumptions_are_said(memphis):
    # Issue 10: the gensets carry AP-42 s.3.2 engine factors, so no total leaves them out
    assert all(e.complete for e in memphis.emissions.values())
    stated = {a.name: a for a in memphis.scenario.assumptions}
    assert stated["VoltaGrid mobile gensets: engine type (AP-42 s.3.2)"].status == "assumed"
    assert stated["VoltaGrid mobile gensets: control"].status == "assumed"


@pytest.mark.parametrize("name", available())
def test_every_shipped_preset_loads_and_every_value_has_a_source(name):
    spec = load(name)
    r = estimate(build(spec))
    assert r.generation_mwh > 0
    for a in r.scenario.assumptions:
        assert a.source and "no source given" not in a.source, a.name
