"""For the permit engineer (issue 12): per-unit PTE, thresholds by area, limits, the binding operating limit, derating;
what emiss pte says of its hours, its tons and NH3."""

from __future__ import annotations

import pytest

SITE = """
[[fleet]]
name = "turbines"
count = 2
capacity = "10 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
[fleet.factors]
nox = "0.1 lb/MMBtu"

[[fleet]]
name = "engines"
kind = "engine"
engine_type = "4slb"
count = 3
capacity = "2 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
"""


@pytest.fixture
def site(preset_file):
    return preset_file(SITE)


def test_per_unit_pte_table_by_hand(site, run_json):
    doc = run_json("pte", "--preset", site)
    t, e = doc["units"]
    # turbines: 10,000 kW x 10,000 Btu/kWh = 100 MMBtu/h each; NOx 0.1 lb/MMBtu -> 10 lb/h each, 20 lb/h for 2,
    # 20 x 8,760 / 2,000 = 87.6 tpy; CO at AP-42 uncontrolled 0.082 -> 8.2 lb/h each
    assert t["heat_input_each"]["value"] == pytest.approx(100)
    assert t["pollutants"]["nox"]["lb_per_hour_each"]["value"] == pytest.approx(10)
    assert t["pollutants"]["nox"]["lb_per_hour_all"]["value"] == pytest.approx(20)
    assert t["pollutants"]["nox"]["tons_per_year_all"]["value"] == pytest.approx(87.6)
    assert t["pollutants"]["co"]["lb_per_hour_each"]["value"] == pytest.approx(8.2)
    # engines: 2,000 kW x 10,000 = 20 MMBtu/h each; NOx AP-42 4SLB 4.08 -> 81.6 lb/h each, 244.8 for 3, 1,072.2 tpy
    assert e["heat_input_each"]["value"] == pytest.approx(20)
    assert e["pollutants"]["nox"]["lb_per_hour_each"]["value"] == pytest.approx(81.6)
    assert e["pollutants"]["nox"]["tons_per_year_all"]["value"] == pytest.approx(1072.224)
    # the facility is the sum: 87.6 + 1,072.224
    assert doc["facility"]["nox"]["value"] == pytest.approx(87.6 + 1072.224)
    # PM as permits list it: turbine filterable 0.0019 of 0.0066 total; PM10 = PM2.5 = total
    pm = t["pollutants"]["pm"]
    assert pm["pm_filterable"]["value"] == pytest.approx(pm["pm10"]["value"] * 0.0019 / 0.0066)
    assert pm["pm25"]["value"] == pm["pm10"]["value"] == pytest.approx(0.0066 * 200 * 8760 / 2000)


def test_controlled_and_uncontrolled_side_by_side(site, run_json):
    doc = run_json("pte", "--preset", site, "--control", "oxidation-catalyst")
    co = doc["units"][1]["pollutants"]["co"]
    # engines: 0.317 lb/MMBtu x 60 MMBtu/h x 8,760 h / 2,000 = 83.31 tpy uncontrolled; 93 % off with the catalyst
    assert co["uncontrolled_tons_per_year_all"]["value"] == pytest.approx(0.317 * 60 * 8760 / 2000)
    assert co["tons_per_year_all"]["value"] == pytest.approx(0.317 * 0.07 * 60 * 8760 / 2000)


@pytest.mark.parametrize(("area", "nox_threshold"), [("attainment", 100), ("ozone-moderate", 100), ("ozone-serious", 50),
                                                      ("ozone-severe", 25), ("ozone-extreme", 10)])
def test_threshold_sets_by_area(site, run_json, area, nox_threshold):
    doc = run_json("estimate", "--preset", site, "--area", area)
    title_v = [s for s in doc["screening"] if s["pollutant"] == "nox" and s["id"].startswith("title_v")]
    assert len(title_v) == 1 and title_v[0]["threshold"] == nox_threshold
    co = [s for s in doc["screening"] if s["pollutant"] == "co" and s["id"].startswith("title_v")]
    assert co[0]["threshold"] == 100  # only NOx and VOC tighten with the ozone classification


def test_psd_significant_emission_rates_are_shipped(site, run_json):
    doc = run_json("estimate", "--preset", site)
    ser = {s["pollutant"]: s["threshold"] for s in doc["screening"] if s["id"].startswith("ser_")}
    assert ser == {"nox": 40, "co": 100, "voc": 40, "so2": 40, "pm": 10, "co2e": 75000}


def test_the_binding_pollutant_changes_with_the_control(run_json):
    # Permit preset: 15 x 16,470 kW x 10,742.06 Btu/kWh (9,695 LHV x 1.108) = 2,653.8 MMBtu/h, with SCR and an oxidation catalyst.
    # CO 3.0 ppm (oxidation catalyst) = 3 x 28.01/385.3e6 x 8,710 x 20.9/5.9 = 0.0067291 lb/MMBtu -> 17.86 lb/h: 94 tpy allows
    # 10,528 h; NOx at 2 ppm (19.56 lb/h) allows 8,896 h; PM 0.0066 lb/MMBtu -> 17.515 lb/h: 73 tpy = 146,000 lb allows
    # 8,335.7 h. PM binds.
    heat_h = 15 * 16_470 * 9695 * 1.108 / 1e6
    doc = run_json("limit", "--preset", "memphis-2025-permit", "--under", "limits")
    assert doc["binding"] == "pm" and doc["status"] == "limit"
    assert doc["value"] == pytest.approx(73 * 2000 / (0.0066 * heat_h), rel=1e-6)
    # No add-on control: NOx at the SoLoNOx combustor's 25 ppm = 25 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.092110 lb/MMBtu
    # -> 244.44 lb/h; 87 tpy = 174,000 lb allows 711.8 h (CO at 25 ppm allows 1,263 h): NOx binds.
    doc = run_json("limit", "--preset", "memphis-2025-permit", "--under", "limits", "--control", "none")
    nox_25 = 25 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9
    assert doc["binding"] == "nox" and doc["value"] == pytest.approx(174_000 / (nox_25 * heat_h), rel=1e-6)
    assert set(doc) >= {"vary", "value", "unit", "binding", "threshold", "margins"}
    assert doc["margins"]["nox"]["value"] == pytest.approx(0, abs=1e-6)


def test_no_limit_needed_and_infeasible(tmp_path, run):
    p = tmp_path / "small.toml"
    p.write_text('[[fleet]]\ncount = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\n')
    code, out, err = run("limit", "--preset", str(p), "--under", "title-v")
    assert code == 0 and "No limit needed" in out
    p.write_text('[[fleet]]\ncount = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\n'
                 'startup_shutdown = { events = 10, hours = "10 h", events_per = "unit", per_event = { nox = "30000 lb" }, source = "test" }\n')
    code, out, err = run("limit", "--preset", str(p), "--under", "title-v")
    assert code == 1 and "infeasible" in err  # 10 x 30,000 lb = 150 tons from startups alone


def test_infeasible_at_the_hours_of_startups_counted_for_the_facility(tmp_path, run):
    # 100 h of startups and shutdowns a year counted for the facility (events_per = "facility") of 2 units is 50 h a
    # unit: the least a unit can run. 10 events x 30,000 lb of NOx = 300,000 lb = 150 tpy from the events alone, over
    # Title V's 100: no operating limit, and the least operation named is 50 h/yr (not 100 x 2)
    p = tmp_path / "facility.toml"
    p.write_text('[[fleet]]\ncount = 2\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\nstartup_shutdown = { events = 10, '
                 'hours = "100 h", events_per = "facility", per_event = { nox = "30000 lb" }, source = "test" }\n')
    code, out, err = run("limit", "--preset", str(p), "--under", "title-v")
    assert code == 1 and ("NOx is over its threshold even at the least operation (50 h/yr, the hours of its startups and "
                          "shutdowns)") in " ".join(err.split())
    # as a capacity factor, the least operation is 50 / 8,760 = 0.0057078
    from emiss.analysis.permit import operating_limit
    from emiss.inputs.scenario import scenario_from

    o = operating_limit(scenario_from(str(p)), under=("title-v",), vary="capacity-factor")
    assert o.status == "infeasible" and o.value == pytest.approx(50 / 8760, rel=1e-12)


def test_with_no_limit_needed_the_closest_is_the_largest_share_of_its_threshold(tmp_path):
    # 1 MW at 10,000 Btu/kWh LHV x 1.108 x 8,760 h = 97,060.8 MMBtu. Formaldehyde given at 0.1 lb/MMBtu: 9,706.08 lb =
    # 4.853 tpy, 48.5 % of its 10 tpy; HAPs, AP-42's other HAPs (0.00099703 - 0.00071) x 97,060.8 = 27.86 lb beside it:
    # 4.867 tpy, 19.5 % of 25; NOx, AP-42 uncontrolled 0.32 x 97,060.8 = 31,059.5 lb = 15.53 tpy, 15.5 % of 100. The
    # closest is formaldehyde, although NOx is the most pounds.
    from emiss.analysis.permit import operating_limit
    from emiss.inputs.scenario import scenario_from

    p = tmp_path / "small.toml"
    p.write_text('[[fleet]]\ncount = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\n')
    o = operating_limit(scenario_from(str(p), {"factor.hcho": "0.1 lb/MMBtu"}), under=("title-v",))
    assert o.status == "no limit needed" and o.binding == "hcho"
    assert o.order()[:3] == ["hcho", "hap", "nox"]
    assert o.share("hcho") == pytest.approx(0.1 * 97_060.8 / 20_000, rel=1e-9)

def test_fuel_and_capacity_factor_limits_agree_with_hours(run_json):
    h = run_json("limit", "--preset", "memphis-2025-permit", "--under", "limits")["value"]
    cf = run_json("limit", "--preset", "memphis-2025-permit", "--under", "limits", "--vary", "capacity-factor")["value"]
    fuel = run_json("limit", "--preset", "memphis-2025-permit", "--under", "limits", "--vary", "fuel")
    assert cf == pytest.approx(h / 8760)
    # fuel = heat input / 1,026 Btu per scf: 2,653.8 MMBtu/h x h / 1.026e-3 MMBtu/scf
    assert fuel["value"] == pytest.approx(15 * 16_470 * 9695 * 1.108 / 1e6 * h / 1.026e-3, rel=1e-6)
    assert fuel["unit"] == "foot ** 3 / year"


def test_limits_in_every_form(run_json):
    doc = run_json("estimate", "--preset", "memphis-2025-permit", "--limit", "nox=2.5 ppmvd@15%O2", "--limit", "co=10 lb/h")
    by = {(x["pollutant"], x["kind"]): x for x in doc["limits"]}
    # 2.5 ppm = 0.0092110 lb/MMBtu against the fleet's 2 ppm = 0.0073688
    ppm = by[("nox", "input")]
    assert ppm["within"] and ppm["margin"]["value"] == pytest.approx(0.5 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9, rel=1e-6)
    assert by[("co", "hourly")]["within"] is False  # 3.0 ppm: 0.0067291 lb/MMBtu x 2,653.8 MMBtu/h = 17.86 lb/h > 10
    assert by[("nox", "annual")]["limit"]["value"] == 174_000  # the preset's 87 tpy


@pytest.mark.parametrize("spelling", ["100 tpy", "100 ton/yr", "100 short_ton/year", "200000 lb/yr"])
def test_tpy_spellings(spelling, run):
    code, _, err = run("estimate", "--preset", "memphis", "--only", "nox", "--fail-above", f"nox={spelling}")
    assert code == 3 and "above" in err  # 129.8 tons is above 100 in every spelling


def test_a_derated_turbine_by_hand(run_json):
    doc = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--ambient", "35C", "--only", "nox")
    # Titan 130 at 35 degC: 84.6 % output, 106.7 % heat rate (Solar data via LBNL)
    # generation 16,500 kW x 0.846 x 8,760 h = 122,284 MWh; heat rate 9,695 x 1.108 x 1.067 = 11,461.78 Btu/kWh HHV
    assert doc["generation"]["value"] == pytest.approx(16_500 * 0.846 * 8760 / 1000)
    assert doc["heat_input"]["value"] == pytest.approx(16_500 * 0.846 * 8760 * 9695 * 1.108 * 1.067 / 1e6)
    assert doc["capacity"]["value"] == pytest.approx(16.5)  # the rating stays the nameplate
    f = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--ambient", "95F", "--only", "nox")
    assert f["generation"]["value"] == pytest.approx(doc["generation"]["value"])  # 95 degF = 35 degC


def test_part_load_and_units_without_a_curve(run_json):
    doc = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "50%", "--only", "nox")
    # 50 % load: half the output, heat rate 132 % of full load (Titan 130 curve)
    assert doc["heat_input"]["value"] == pytest.approx(16_500 * 0.5 * 8760 * 9695 * 1.108 * 1.32 / 1e6)
    doc = run_json("estimate", "--turbines", "1", "--capacity", "5 MW", "--ambient", "35C")
    assert any("no ambient-temperature curve" in w for w in doc["warnings"])
    doc = run_json("estimate", "--turbine-model", "j620", "--turbines", "1", "--load", "70%", "--only", "nox")
    # engines below 90 % load use AP-42's part-load band: 4SLB NOx 0.847 lb/MMBtu, not 4.08
    assert doc["emissions"]["nox"]["factors"][0]["value"] == pytest.approx(0.0036844 * 90, rel=1e-3)  # the J620's own 90 ppm wins
    nox = run_json("estimate", "--turbine-model", "j624", "--turbines", "1", "--load", "70%", "--only", "nox")
    assert nox["emissions"]["nox"]["factors"][0]["value"] == pytest.approx(0.847)


def test_pte_says_when_it_is_not_the_full_year(run, run_json):
    # 2 x 10 MW at 10,000 Btu/kWh HHV = 200 MMBtu/h; CO (AP-42 uncontrolled turbine, 0.082 lb/MMBtu) = 16.4 lb/h:
    # 1,000 h give 8.2 tpy, the full year 16.4 x 8,760 / 2,000 = 71.83 tpy. `pte --hours 1000` printed 8.2 under
    # 'Potential to emit' and a note about 'the hours stated' that stated none.
    args = ("pte", "--turbines", "2", "--capacity", "10 MW", "--heat-rate", "10000 Btu/kWh", "--heat-rate-basis", "hhv")
    doc = run_json(*args, "--hours", "1000 h")
    assert doc["facility"]["co"]["value"] == pytest.approx(0.082 * 200 * 1000 / 2000)
    assert doc["operation"] == {"hours_per_year": 1000.0, "basis": "1,000 full-load h/yr"}
    assert doc["note"].startswith("Potential to emit as operated here: 1,000 full-load h/yr, not the full year")
    code, out, _ = run(*args, "--hours", "1000 h")
    assert code == 0 and out.splitlines()[1].startswith("Potential to emit as operated here: 1,000 full-load h/yr")
    full = run_json(*args)
    assert full["facility"]["co"]["value"] == pytest.approx(0.082 * 200 * 8760 / 2000)  # 71.83
    assert full["note"] == "Potential to emit: every unit at its rated output for the hours stated (8,760 h unless limited)."
    assert full["operation"]["hours_per_year"] == 8760.0


def test_pte_says_what_a_ton_is(run):
    code, out, err = run("pte", "--preset", "memphis-2025-permit")
    assert code == 0, err
    assert "tpy all" in out and "tpy: US short tons (2,000 lb) a year" in out


def test_pte_facility_table_says_nh3_does_not_apply_before_add_on_controls(run):
    # memphis-2025-permit: SCR on every unit, so NH3 (its slip) exists only with the control; the uncontrolled
    # column (each unit at its own combustor, no SCR) has no NH3 at all: '-' as the unit table, not '0' (none emitted)
    code, out, err = run("pte", "--preset", "memphis-2025-permit")
    assert code == 0, err
    facility = out.split("Facility total (potential to emit)")[1]
    nh3 = next(line.split() for line in facility.splitlines() if line.split()[:1] == ["NH3"])
    assert nh3[2] == "-" and float(nh3[1]) > 0
    nox = next(line.split() for line in facility.splitlines() if line.split()[:1] == ["NOx"])
    assert nox[2] != "-"  # a pollutant emitted either way keeps its number


# ---- at exactly a figure: a level equal to its limit meets it ----------------------------------------------------

EVENTS = ('[[fleet]]\ncount = 1\ncapacity = "10 MW"\nheat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\nstartup_shutdown = '
          '{ events = 10, hours = "100 h", events_per = "unit", per_event = { nox = "5 lb" }, source = "test" }\n')


def test_a_cap_equal_to_the_events_or_to_the_estimate(tmp_path):
    from emiss.analysis.permit import implied_by_cap
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    # 100 MMBtu/h, NOx AP-42 uncontrolled 0.32 lb/MMBtu = 32 lb/h; 10 events of 5 lb = 50 lb (0.025 tpy) replacing 100 h:
    # 32 x 8,660 + 50 = 277,170 lb a year.
    p = tmp_path / "events.toml"
    p.write_text(EVENTS)
    r = estimate(scenario_from(str(p)))
    # A cap of exactly the events' 50 lb leaves nothing for normal hours: it implies 0 lb/MMBtu (not 'below what the
    # events alone give'), or at 32 lb/h the 100 h of the events themselves (32 x (h - 100) + 50 = 50).
    i = implied_by_cap(r, "nox", 50.0)
    assert i.lb_per_mmbtu == 0 and i.says.startswith("implies 0 lb/MMBtu") and i.hours == pytest.approx(100, rel=1e-12)
    assert implied_by_cap(r, "nox", 49.0).says == "is below what startups and shutdowns alone give (0.025 tpy)"
    # A cap equal to the estimate does not bind, and allows the whole year: no shorter hours are named
    i = implied_by_cap(r, "nox", float(r.emissions["nox"].lb_per_year))
    assert not i.binds and "at the level used here" not in i.says


def test_a_rate_limit_equal_to_the_average_or_to_a_units_rate_is_met(run_json):
    # memphis PM (tests/test_review.py): the facility's average 0.0077004 lb/MMBtu, the gensets 0.0099871. A limit per
    # heat input of exactly the average is met by it, so the note on the gensets above it is given; one of exactly the
    # gensets' rate is met by every unit: no note.
    from emiss.analysis.permit import compare
    from emiss.core.calc import estimate
    from emiss.inputs.permit_limits import Limit
    from emiss.inputs.scenario import scenario_from

    r = estimate(scenario_from("memphis"))
    average = r.emissions["pm"].lb_per_hour * r.hours / r.heat_input_mmbtu
    gensets = next(g for g in r.groups if g.name == "VoltaGrid mobile gensets")
    rate = gensets.lb_per_hour["pm"] / gensets.heat_input_mmbtu_h
    assert average == pytest.approx(0.0077004, abs=1e-7) and rate == pytest.approx(0.0099871, rel=1e-5)
    at_average = compare(r, Limit("pm", "input", average, "x lb/MMBtu", "t", "user"))
    assert at_average["within"] and "VoltaGrid mobile gensets run at 0.009987 lb/MMBtu, above it" in at_average["note"]
    at_rate = compare(r, Limit("pm", "input", rate, "x lb/MMBtu", "t", "user"))
    assert at_rate["within"] and at_rate["note"] == ""
    # a limit that says it is the facility's ('per facility') is what it says: no note on the units above it
    said = compare(r, Limit("pm", "input", 0.008, "0.008 lb/MMBtu per facility", "t", "user", "facility", True))
    assert said["within"] and said["note"] == ""


def test_a_cap_at_the_estimate_says_the_same_level_not_zero_percent_above(tmp_path):
    from emiss.analysis.permit import implied_by_cap
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    # the same plant as above: 277,170 lb of NOx a year at 0.32 lb/MMBtu. A cap of exactly that implies the rate used
    # here, which read '0% above the 0.32 lb/MMBtu used here'; a cap 0.2 % higher implies 0.32064 lb/MMBtu in normal
    # hours ((277,170 x 1.002 - 50) / 866,000 = 0.320640), which also rounded to '0% above'
    p = tmp_path / "events.toml"
    p.write_text(EVENTS)
    r = estimate(scenario_from(str(p)))
    total = float(r.emissions["nox"].lb_per_year)
    assert total == pytest.approx(277_170)
    same = implied_by_cap(r, "nox", total).says
    assert ", the same as the 0.32 lb/MMBtu" in same and "0%" not in same, same
    near = implied_by_cap(r, "nox", total * 1.002)
    assert near.lb_per_mmbtu == pytest.approx(0.320640, rel=1e-5)
    assert ", within 1% of the 0.32 lb/MMBtu" in near.says and "0%" not in near.says, near.says
    assert ", 10% above the 0.32 lb/MMBtu" in implied_by_cap(r, "nox", total * 1.1).says
