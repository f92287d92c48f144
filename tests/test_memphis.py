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


# memphis: 4 SMT-130 x 16 MW x 9,695 Btu/kWh LHV x 1.108 = 171.87 MMBtu/h each; 14 gensets at 40 % (LHV), 3,412.142
# Btu/kWh / 0.40 = 8,530.35 Btu/kWh, x 2.5 MW x 1.108 = 23.63 MMBtu/h each: 1,018.30 MMBtu/h in all.
# NOx 7.9 ppm = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.029107 lb/MMBtu.
GENSET_HR_LHV = 3412.14163 / 0.40


def test_the_memphis_notes_quote_the_totals_the_same_run_prints(run_json):
    # The preset's note sets the 0.1 totals (4 turbines) beside today's (all 18 units). Turbines 687.47 MMBtu/h, gensets
    # 330.83 MMBtu/h (see MEMPHIS_MMBTU_H), 8,760 h, / 2,000 lb:
    #   PM  0.0066 x 687.47 + 0.0099871 x 330.83 = 7.8413 lb/h -> 34.34 tpy (the note said 33)
    #   CO  0.015 x 687.47 + 0.317 x 330.83 = 115.18 lb/h -> 504.5;  SO2 0.0034 x 687.47 + 0.000588 x 330.83 -> 11.09
    turbines, gensets = 4 * 16_000 * 9695 * 1.108 / 1e6, 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6
    tpy = {"pm": (0.0066 * turbines + 0.0099871 * gensets) * 8760 / 2000,
           "co": (0.015 * turbines + 0.317 * gensets) * 8760 / 2000,
           "so2": (0.0034 * turbines + 0.000588 * gensets) * 8760 / 2000}
    assert tpy["pm"] == pytest.approx(34.34, abs=0.005)
    doc = run_json("estimate", "--preset", "memphis")
    note = next(n for n in doc["notes"] if "Against the 0.1 preset" in n)
    for pol, label in (("pm", "PM"), ("co", "CO"), ("so2", "SO2"), ("voc", "VOC"), ("hcho", "formaldehyde"), ("hap", "HAPs")):
        now = doc["emissions"][pol]["value"]
        if pol in tpy:
            assert now == pytest.approx(tpy[pol], rel=1e-4)
        quoted = note.split(f"{label} ", 1)[1].split(" -> ", 1)[1].split(",")[0].split(".")[0]
        assert int(quoted) == round(now), (pol, quoted, now)
