"""PTE as an application shows it (issue 25 item 4): emission-unit ids and stacks, the worst-case hourly rate over an
ambient range on the maker's curve, startup/shutdown rows, each factor as lb/MMBtu and as ppmvd at 15 % O2."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss import data
from emiss.analysis.worstcase import candidates
from emiss.errors import InputError
from emiss.inputs.presets import stack_quantity

SITE = """
[[fleet]]
name = "turbines"
count = 2
capacity = "10 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
performance = "titan-130"
unit_ids = ["CT-1", "CT-2"]
stack = { height = "82 ft", diameter = "2.9 m", exit_temperature = "900 F", exit_velocity = "30 m/s", source = "test stack table", status = "assumed" }
startup_shutdown = { events = 10, hours = "20 h", events_per = "unit", per_event = { nox = "50 lb" }, source = "test events" }
[fleet.factors]
nox = "0.1 lb/MMBtu"

[[fleet]]
name = "big"
count = 1
capacity = "30 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
performance = "titan-350"
unit_ids = "GT-"
[fleet.factors]
nox = "0.1 lb/MMBtu"

[[fleet]]
name = "engine"
kind = "engine"
engine_type = "4slb"
count = 1
capacity = "2 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
[fleet.factors]
nox = "0.1 lb/MMBtu"
"""


@pytest.fixture
def site(preset_file):
    return preset_file(SITE)


def test_stack_quantities_by_hand():
    # 82 ft x 0.3048 m/ft = 24.9936 m; 900 F: (900 - 32) x 5/9 = 482.22 degC; 750 K - 273.15 = 476.85 degC;
    # 98 ft/s x 0.3048 = 29.8704 m/s
    assert stack_quantity("height", "82 ft", where="x") == pytest.approx(24.9936)
    assert stack_quantity("exit_temperature", "900 F", where="x") == pytest.approx(482.2222, abs=1e-3)
    assert stack_quantity("exit_temperature", "750 K", where="x") == pytest.approx(476.85)
    assert stack_quantity("exit_velocity", "98 ft/s", where="x") == pytest.approx(29.8704)
    for key, bad in (("height", "30 m/s"), ("exit_velocity", "30 m"), ("diameter", "2.9"), ("exit_temperature", "480"),
                     ("height", "-3 m"), ("exit_temperature", "-300 C")):
        with pytest.raises(InputError):
            stack_quantity(key, bad, where="x")


def test_ids_and_stack_in_json_and_xlsx(site, run_json, run, tmp_path):
    doc = run_json("pte", "--preset", site)
    t, big, eng = doc["units"]
    assert t["unit_ids"] == ["CT-1", "CT-2"] and big["unit_ids"] == ["GT-1"] and eng["unit_ids"] is None
    v = t["stack"]["values"]
    assert v["height"] == {"value": pytest.approx(24.9936), "unit": "m", "as_given": "82 ft"}
    assert v["exit_temperature"]["value"] == pytest.approx(482.2222, abs=1e-3) and v["exit_temperature"]["unit"] == "degC"
    assert t["stack"]["source"] == "test stack table" and t["stack"]["status"] == "assumed"
    assert big["stack"] is None
    code, out, err = run("pte", "--preset", site, "--xlsx", str(tmp_path / "p.xlsx"))
    assert code == 0, err
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["Stacks"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[1][:4] == ["turbines", "CT-1", pytest.approx(24.9936), 2.9] and rows[2][1] == "CT-2"
    assert rows[3][:2] == ["big", "GT-1"] and rows[3][2] is None  # no stack given: blank, said in the source column


def test_wrong_stack_dimension_and_id_count_are_one_line(tmp_path, run):
    p = tmp_path / "bad.toml"
    p.write_text(SITE.replace('height = "82 ft"', 'height = "30 m/s"'))
    code, out, err = run("pte", "--preset", str(p))
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1
    assert "bad.toml" in err and "fleet[0].stack.height" in err and "30 m/s" in err
    p.write_text(SITE.replace('unit_ids = ["CT-1", "CT-2"]', 'unit_ids = ["CT-1"]'))
    code, out, err = run("pte", "--preset", str(p))
    assert code != 0 and "fleet[0].unit_ids" in err and "1 unit_ids for 2 units" in err
    p.write_text(SITE.replace("exit_velocity", "exit_speed"))
    code, out, err = run("pte", "--preset", str(p))
    assert code != 0 and "exit_speed" in err and "fleet[0].stack" in err


def test_worst_case_at_the_coldest_point(site, run_json):
    iso = run_json("pte", "--preset", site)
    doc = run_json("pte", "--preset", site, "--ambient-range", "5C..35C")
    assert doc["ambient_range"] == {"low": 5.0, "high": 35.0, "unit": "degC"}
    t, big, eng = doc["units"]
    # ISO: 10,000 kW x 10,000 Btu/kWh = 100 MMBtu/h each x 0.1 lb/MMBtu = 10 lb/h each (outside the events);
    # Titan 130 at 5 degC: output 104.4 %, heat rate 99.4 % -> heat input x 1.044 x 0.994 = 1.037736 -> 10.37736 lb/h
    w = t["worst_case_hourly"]["nox"]
    base = iso["units"][0]["pollutants"]["nox"]["lb_per_hour_each"]["value"]
    assert w["lb_per_hour_each"]["value"] == pytest.approx(base * 1.044 * 0.994)
    assert w["ambient"] == {"value": 5.0, "unit": "degC"} and (w["curve"]["low"], w["curve"]["high"]) == (5, 35)
    # Titan 350 at 5 degC: 107.0 % x 98.5 % = 1.05395; 30,000 kW x 10,000 Btu/kWh = 300 MMBtu/h x 0.1 = 30 lb/h -> 31.6185
    assert big["worst_case_hourly"]["nox"]["lb_per_hour"]["value"] == pytest.approx(31.6185)
    # a unit without a curve: the ISO rate, no ambient; 2,000 kW x 10,000 = 20 MMBtu/h x 0.1 = 2 lb/h
    e = eng["worst_case_hourly"]["nox"]
    assert e["ambient"] is None and e["curve"] is None and e["lb_per_hour"]["value"] == pytest.approx(2.0)
    assert "no ambient-temperature curve" in e["note"]
    # a narrower range, 20C..30C: Titan 350 at 20 degC is 95.5 % x 101.4 % = 0.96837 -> 29.0511 lb/h
    doc = run_json("pte", "--preset", site, "--ambient-range", "68F..86F")  # 68 F = 20 degC, 86 F = 30 degC
    assert doc["units"][1]["worst_case_hourly"]["nox"]["lb_per_hour"]["value"] == pytest.approx(29.0511)
    assert doc["units"][1]["worst_case_hourly"]["nox"]["ambient"]["value"] == pytest.approx(20.0)


def test_worst_case_table(site, run):
    code, out, err = run("pte", "--preset", site, "--ambient-range", "5C..35C")
    assert code == 0, err
    assert "Worst-case hourly rate over 5 to 35 degC" in out and "ISO (no curve)" in out and "5.0 degC" in out


def test_range_beyond_the_curve_is_refused(site, run):
    code, out, err = run("pte", "--preset", site, "--ambient-range=-10C..40C")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "--ambient-range" in err and "'turbines' (5 to 35 degC" in err and "does not extrapolate" in err
    for bad in ("40C..10C", "10..20", "cold..hot"):
        code, out, err = run("pte", "--preset", site, "--ambient-range", bad)
        assert code == 2 and out == "" and "--ambient-range" in err
    code, out, err = run("pte", "--preset", site, "--ambient-range", "5C..10C", "--ambient", "10C")
    assert code == 2 and "not both" in err


def test_startup_rows_and_both_forms(site, run_json, run):
    doc = run_json("pte", "--preset", site)
    su = doc["units"][0]["startup_shutdown"]
    # 10 events per unit x 2 units = 20 events; 20 h x 2 = 40 h; NOx 50 lb x 20 = 1,000 lb = 0.5 short ton
    assert su["events_per_year_all"] == 20 and su["hours_per_year_all"]["value"] == pytest.approx(40)
    assert su["pollutants"]["nox"]["lb_per_event"]["value"] == pytest.approx(50)
    assert su["pollutants"]["nox"]["tons_per_year_all"]["value"] == pytest.approx(0.5)
    assert doc["units"][1]["startup_shutdown"] is None
    code, out, err = run("pte", "--preset", site)
    assert "NOx startup/shutdown" in out and "50.00 lb/event x 20" in out  # named as the row above it ("NOx")
    # NOx 0.1 lb/MMBtu as ppm by Method 19: lb/MMBtu per ppm = 46.01 / 385.3e6 x 8,710 x 20.9 / (20.9 - 15) = 0.0036844,
    # so 0.1 lb/MMBtu = 27.14 ppmvd@15%O2
    f = doc["units"][0]["pollutants"]["nox"]["factor"]
    assert f["lb_per_mmbtu"]["value"] == pytest.approx(0.1)
    assert f["ppmvd_at_15_o2"]["value"] == pytest.approx(0.1 / (46.01 / 385.3e6 * 8710 * 20.9 / 5.9), rel=2e-3)
    assert "0.1 lb/MMBtu = 27.1" in out  # the table shows the factor as given, then its other form


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["titan-130", "titan-350", "taurus-60"]), st.floats(5, 35), st.floats(5, 35), st.floats(0, 1))
def test_candidates_hold_the_maximum(curve_id, a, b, s):
    # the rate is proportional to output x heat rate: no temperature in the range beats the best candidate
    c = data.curves()[curve_id]
    lo, hi = min(a, b), max(a, b)

    def rate(t):
        return data.interpolate(c.temperature_c, c.output, t) * data.interpolate(c.temperature_c, c.heat_rate, t)

    best = max(rate(t) for t in candidates(c, lo, hi))
    assert rate(lo + s * (hi - lo)) <= best * (1 + 1e-12)
