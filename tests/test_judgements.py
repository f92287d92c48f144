"""Judgements users quote: --fail-above beside --mass-unit, --heat-rate on several groups, limit's order, --under limits."""

from __future__ import annotations

import pytest

# Memphis NOx, worked by hand in test_memphis.py: 129.82 short tons/yr = 129.82 x 0.90718474 = 117.77 metric tonnes/yr.


@pytest.mark.parametrize("mass, words, hint", [("metric_ton", "metric tonnes", "t"), ("tonne", "metric tonnes", "t"),
                                               ("kg", "kilograms", "kg"), ("lb", "pounds", "lb")])
def test_a_bare_fail_above_beside_another_mass_unit_is_refused_naming_both_readings(run, mass, words, hint):
    # 120 read as short tons is crossed (129.8 > 120) while the printed 117.77 t is under it: a reader is misled either way
    code, out, err = run("estimate", "--preset", "memphis", "--mass-unit", mass, "--fail-above", "nox=120",
                         "--format", "value", "--only", "nox")
    assert code == 2 and out == ""
    assert err == (f"Error: --fail-above nox=120: a bare number is short tons per year, but --mass-unit shows {words}; "
                   f"give the unit: nox='120 {hint}/yr' or nox='120 short_ton/yr'\n")


@pytest.mark.parametrize("mass", ["short_ton", "ton"])
def test_a_bare_fail_above_in_short_tons_keeps_its_meaning(run, mass):
    code, _, err = run("estimate", "--preset", "memphis", "--mass-unit", mass, "--fail-above", "nox=120", "--only", "nox")
    assert code == 3 and err.strip().endswith("nox 129.8 short_ton/year is above 120")


@pytest.mark.parametrize("given, code, tail", [
    ("120 t/yr", 0, ""),  # 117.77 t is under 120 t
    ("100 t/yr", 3, "nox 117.8 t/yr is above 100"),
    ("100t/yr", 3, "nox 117.8 t/yr is above 100"),  # no space: still the unit the user gave, not 'short_ton/year ... 110.2'
    ("120 short_ton/yr", 3, "nox 129.8 short_ton/yr is above 120"),
])
def test_the_hinted_forms_parse_and_the_crossing_is_in_the_unit_given(run, given, code, tail):
    got, out, err = run("estimate", "--preset", "memphis", "--mass-unit", "metric_ton", "--fail-above", f"nox={given}",
                        "--format", "value", "--only", "nox")
    assert got == code and float(out) == pytest.approx(117.77, abs=0.005)
    assert err.strip().endswith(tail) if tail else err == ""


# --heat-rate on a preset of several groups. southaven-2026: 17 x 16.5 + 16 x 37.77 + 8 x 39.4 MW = 1,200.02 MW, all
# turbines; memphis and memphis-2025-selc mix turbines and reciprocating gensets.
MIXED = ("Error: --heat-rate: one heat rate for groups of different kinds (turbines: Solar SMT-130 turbines; engines: {}) "
         "is refused; give each group its own: group.<name>.heat_rate in a batch record, or heat_rate in each [[fleet]] "
         "group of the preset\n")


def test_heat_rate_on_groups_of_one_kind_replaces_each_and_says_so(run, run_json):
    doc = run_json("estimate", "--preset", "southaven-2026", "--heat-rate", "9000 Btu/kWh", "--only", "nox")
    # every group at 9,000 Btu/kWh LHV: 1,200,020 kW x 9,000 x 1.108 (HHV/LHV) x 8,760 h / 1e6 = 104,827,411.0944 MMBtu
    assert doc["heat_input"]["value"] == pytest.approx(1_200_020 * 9000 * 1.108 * 8760 / 1e6, rel=1e-12)
    said = ("--heat-rate: one value replaced the heat rate of every group (3: Solar PGM 130 turbines, Solar Titan 350 "
            "turbines, ProEnergy PE6000 turbines); to set one group's, give group.<name>.heat_rate in a batch record or "
            "heat_rate in the preset's [[fleet]] group")
    assert said in doc["warnings"]
    rates = [a for a in doc["assumptions"] if a["name"].endswith("heat rate (LHV)")]
    assert len(rates) == 3 and all(a["value"] == 9000 and a["note"] == "--heat-rate sets every group's heat rate" for a in rates)
    code, out, err = run("estimate", "--preset", "southaven-2026", "--heat-rate", "9000 Btu/kWh", "--only", "nox", "--format", "csv")
    assert code == 0 and out and err == f"Warning: {said}\n"  # rows have no place for it: said on stderr
    code, out, _ = run("estimate", "--preset", "southaven-2026", "--heat-rate", "9000 Btu/kWh")
    assert code == 0 and "Warning: --heat-rate: one value replaced the heat rate of every group" in " ".join(out.split())


@pytest.mark.parametrize("preset, engines", [("memphis", "VoltaGrid mobile gensets"), ("memphis-2025-selc", "mobile gensets")])
def test_heat_rate_on_turbines_and_engines_is_refused_naming_the_per_group_way(run, preset, engines):
    code, out, err = run("estimate", "--preset", preset, "--heat-rate", "9000 Btu/kWh", "--only", "nox")
    assert (code, out, err) == (2, "", MIXED.format(engines))


def test_a_fleet_heat_rate_is_still_one_groups_when_the_others_have_their_own():
    from emiss.inputs.scenario import scenario_from

    # memphis: the gensets (group 2) given their own 8,000, so 9,000 is the turbines' alone: no refusal, no warning
    sc = scenario_from("memphis", {"heat_rate": "9000 Btu/kWh", "group.VoltaGrid mobile gensets.heat_rate": "8000 Btu/kWh"})
    assert [g.heat_rate for g in sc.groups] == [9000, 8000]
    assert not any("replaced the heat rate" in w for w in sc.warnings)
    one = scenario_from("memphis-2025-permit", {"heat_rate": "9000 Btu/kWh"})  # one group: nothing to say
    assert not any("replaced the heat rate" in w for w in one.warnings)


# emiss limit: the table lists the pollutants in the order 'binding'/'closest' is chosen by, and says it.
# Title V thresholds (attainment area): 100 tpy of each criteria pollutant, 10 tpy of one HAP (hcho), 25 tpy of all HAPs.
TITLE_V_TPY = {"nox": 100, "co": 100, "voc": 100, "pm": 100, "so2": 100, "hcho": 10, "hap": 25}


def _rows(out: str) -> list[list[str]]:
    lines = out.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip().startswith("Pollutant")) + 2
    return [x.split() for x in lines[start:] if x.strip()][:len(TITLE_V_TPY)]


def test_limit_lists_the_closest_first_by_share_of_threshold(run, run_json):
    doc = run_json("limit", "--preset", "memphis-2025-permit", "--under", "title-v")
    # no limit needed; left under each: nox 14.35 of 100 tpy (85.7 % used) is nearer than hcho 1.75 of 10 (82.5 %),
    # which the old table listed first (fewest tons left) while marking nox '(closest)'
    share = {p: 1 - m["value"] / TITLE_V_TPY[p] for p, m in doc["margins"].items()}
    assert doc["closest"] == "nox" and share["nox"] == pytest.approx(0.8565, abs=5e-4) and share["hcho"] == pytest.approx(0.825, abs=5e-4)
    by_share = sorted(share, key=share.get, reverse=True)
    assert list(doc["margins"]) == by_share  # the JSON in the table's order, its keys as before
    code, out, _ = run("limit", "--preset", "memphis-2025-permit", "--under", "title-v")
    rows = _rows(out)
    # the rows name each pollutant as the tables do (NOx, Formaldehyde, 'HAPs combined' read here by its first word)
    names = {"nox": "NOx", "hcho": "Formaldehyde", "co": "CO", "pm": "PM", "hap": "HAPs", "so2": "SO2", "voc": "VOC"}
    assert code == 0 and [r[0] for r in rows] == [names[p] for p in by_share] and rows[0][1] == "(closest)"
    assert "Margin under each threshold, largest share first" in out
    assert [r[-1] for r in rows] == [f"{share[p]:.1%}" for p in by_share]  # the share column


def test_limit_marks_the_binding_pollutant_first(run):
    code, out, _ = run("limit", "--preset", "memphis")
    rows = _rows(out)
    # memphis under Title V: hcho binds at 1,113 h/yr, all of its 10 tpy; CO next, 64.1 % of 100 tpy (35.85 left)
    assert code == 0 and rows[0] == ["Formaldehyde", "(binds)", "10", "0", "100.0%"] and rows[1] == ["CO", "100", "35.85", "64.1%"]


# emiss limit --under limits with rates only: a usage error (exit 2) that says why and what to give. Memphis runs at
# 29.64 lb/h of NOx (129.82 tpy x 2,000 / 8,760 h): above a 25 lb/h limit in every hour it runs, so an answer in hours
# (8,760 x 25 / 29.64 = 7,389 h/yr from the annual reading of the rate) would hide that it is over its rate all along.
def test_limit_under_rate_limits_only_is_refused_saying_why(run):
    code, out, err = run("limit", "--preset", "memphis", "--under", "limits", "--limit", "nox=25 lb/h",
                         "--limit", "co=0.01 lb/MMBtu")
    assert (code, out) == (2, "")
    assert err == ("Error: --under: limits: the permit limits here are rates (nox 25 lb/h; co 0.01 lb/MMBtu), which hold "
                   "in every hour the units run, so no number of hours brings them under; give an annual limit (e.g. "
                   "--limit nox='87 tpy') or thresholds (title-v, psd, hap, psd-ser); 'emiss estimate --limit' compares "
                   "a rate with the fleet\n")


def test_limit_under_limits_without_any_says_how_to_give_one(run):
    code, out, err = run("limit", "--preset", "memphis", "--under", "limits")
    assert (code, out) == (2, "")
    assert err == ("Error: --under: limits: no permit limit is given; give an annual one (e.g. --limit nox='87 tpy', or "
                   "[[limits]] in the preset) or thresholds (title-v, psd, hap, psd-ser)\n")


def test_the_hinted_annual_limit_is_searched(run_json):
    # the hint's form works: 87 tpy of NOx against memphis's 129.82 tpy all year: 8,760 x 87 / 129.82 = 5,870.8 h/yr
    doc = run_json("limit", "--preset", "memphis", "--under", "limits", "--limit", "nox=87 tpy")
    assert doc["status"] == "limit" and doc["binding"] == "nox" and doc["value"] == pytest.approx(8760 * 87 / 129.82, rel=1e-3)


# --heat-rate-basis on a preset of several groups. memphis: both groups give their own heat rate on an LHV basis.
BASIS_SAID = ("--heat-rate-basis: one value replaced the heat-rate basis of every group, changing that of 2 which had their "
              "own (Solar SMT-130 turbines: LHV, VoltaGrid mobile gensets: LHV); their heat rates are now read on the basis "
              "given; to set one group's, give group.<name>.heat_rate_basis in a batch record or heat_rate_basis in the "
              "preset's [[fleet]] group")


def test_a_heat_rate_basis_that_changes_the_groups_own_says_so(run, run_json):
    doc = run_json("estimate", "--preset", "memphis", "--heat-rate-basis", "hhv", "--only", "nox")
    # both heat rates read as HHV (no x 1.108): turbines 4 x 16,000 kW x 9,695 Btu/kWh x 8,760 h = 5,435,347.2 MMBtu;
    # gensets at 40 %: 14 x 2,500 kW x 8,760 h x 3,412.14 / 0.40 Btu/kWh = 2,615,462.9 MMBtu; 8,050,810.1 MMBtu in all
    assert doc["heat_input"]["value"] == pytest.approx(8_050_810.1, rel=1e-6)
    assert BASIS_SAID in doc["warnings"]
    code, out, err = run("estimate", "--preset", "memphis", "--heat-rate-basis", "hhv", "--only", "nox", "--format", "value")
    assert code == 0 and out and err == f"Warning: {BASIS_SAID}\n"


@pytest.mark.parametrize("preset, args", [
    ("memphis", ["--heat-rate-basis", "lhv"]),  # the groups' own basis: nothing changes
    ("memphis-2025-permit", ["--heat-rate-basis", "hhv"]),  # one group: the option is plainly that group's
    ("southaven-2026", ["--heat-rate-basis", "hhv", "--heat-rate", "9000 Btu/kWh"]),  # the basis of the value given with it
])
def test_a_heat_rate_basis_that_changes_no_groups_own_is_not_said(run_json, preset, args):
    doc = run_json("estimate", "--preset", preset, *args, "--only", "nox")
    assert not any("heat-rate basis" in w for w in doc["warnings"])
