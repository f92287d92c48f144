"""Answers that were silently wrong or easy to misread, found by reading emiss's output as a user would."""

from __future__ import annotations

import re

import pytest

# memphis: 4 SMT-130 x 16 MW x 9,695 Btu/kWh LHV x 1.108 = 171.87 MMBtu/h each; 14 gensets at 40 % (LHV), 3,412.142
# Btu/kWh / 0.40 = 8,530.35 Btu/kWh, x 2.5 MW x 1.108 = 23.63 MMBtu/h each: 1,018.30 MMBtu/h in all.
# NOx 7.9 ppm = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.029107 lb/MMBtu.
GENSET_HR_LHV = 3412.14163 / 0.40
MEMPHIS_MMBTU_H = 4 * 16_000 * 9695 * 1.108 / 1e6 + 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6


def test_solve_for_a_factor_shows_the_solved_factor_as_the_factor_used(run, run_json):
    # 100 short tons = 200,000 lb over 1,018.30 MMBtu/h x 8,760 h = 8,920,299 MMBtu: 0.022421 lb/MMBtu. The estimate
    # at the solved point must name that factor; it named the starting point, the preset's 0.0291067 lb/MMBtu.
    doc = run_json("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "factor:nox")
    solved = 200_000 / (MEMPHIS_MMBTU_H * 8760)
    assert doc["value"] == pytest.approx(solved, rel=1e-6)
    used = doc["estimate"]["emissions"]["nox"]["factors"]
    assert {f["as_given"] for f in used} == {f"{solved:.6g} lb/MMBtu"} == {"0.0224208 lb/MMBtu"}
    code, out, _ = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "factor:nox")
    assert code == 0 and "0.0224208 lb/MMBtu" in out and "0.0291067" not in out


def test_an_operation_a_command_found_is_not_called_the_full_year(run, run_json):
    # limit --under title-v: formaldehyde binds. Turbines 171.87 x 4 x 0.00071 = 0.48812 lb/h, gensets 23.63 x 14 x
    # 0.0528 = 17.467 lb/h: 17.955 lb/h; 10 tpy = 20,000 lb allows 1,113.9 h. The estimate there said
    # 'potential to emit: 8760 h/yr at full load' with 1,113.9 h beside it, and listed 8,760 h among its assumptions.
    turbines = 4 * 16_000 * 9695 * 1.108 / 1e6 * 0.00071
    gensets = 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6 * 0.0528
    hours = 20_000 / (turbines + gensets)
    assert hours == pytest.approx(1113.9, abs=0.05)
    doc = run_json("limit", "--preset", "memphis", "--under", "title-v")
    assert doc["value"] == pytest.approx(hours, rel=1e-4)
    est = doc["estimate"]
    assert est["scenario"]["operation"] == "1,113.9 full-load h/yr, solved for"
    rows = [a for a in est["assumptions"] if a["name"].startswith("operating hours") or a["name"] == "capacity factor"]
    assert [(r["value"], r["status"]) for r in rows] == [(est["scenario"]["hours_per_year"], "derived")]
    doc = run_json("limit", "--preset", "memphis", "--under", "title-v", "--vary", "capacity-factor")
    # 1,113.9 h / 8,760 h = 0.127159
    assert doc["estimate"]["scenario"]["operation"] == "capacity factor 0.127159 (1,113.9 equivalent full-load h/yr), solved for"
    # solve --vary hours: 100 tpy of NOx = 200,000 lb / (1,018.30 MMBtu/h x 0.029107 lb/MMBtu = 29.639 lb/h) = 6,747.8 h
    code, out, _ = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "hours")
    assert code == 0 and "6,747.8 full-load h/yr, solved for" in out and "potential to emit" not in out
    # what the user gives is still described as before
    doc = run_json("estimate", "--preset", "memphis", "--hours", "6748 h", "--only", "nox")
    assert doc["scenario"]["operation"] == "6,748 full-load h/yr"
    assert run_json("estimate", "--preset", "memphis", "--only", "nox")["scenario"]["operation"] == \
        "potential to emit: 8,760 h/yr at full load"


def test_hours_a_cap_allows_are_rounded_down_everywhere(run):
    # memphis-2025-permit: 15 x 16,470 kW x 9,695 x 1.108 = 2,653.8 MMBtu/h; PM 0.0066 lb/MMBtu = 17.515 lb/h; the 73 tpy
    # cap (146,000 lb) allows 8,335.6 h. `limit --under limits` says 8,335; the screening note and `check` said 8,336,
    # an hour at which the cap is crossed (8,336 x 17.515 = 146,005 lb).
    heat_h = 15 * 16_470 * 9695 * 1.108 / 1e6
    assert 146_000 / (0.0066 * heat_h) == pytest.approx(8335.6, abs=0.05)
    for args in (("estimate", "--preset", "memphis-2025-permit"), ("check", "--preset", "memphis-2025-permit"),
                 ("limit", "--preset", "memphis-2025-permit", "--under", "limits")):
        code, out, _ = run(*args)
        flat = " ".join(out.split())
        assert code == 0 and "8,335 h/yr" in flat and "8,336" not in flat, args


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


def test_part_load_is_not_called_full_load_or_the_potential_to_emit(run_json):
    # --load 50%: the 99 MW run at 49.5 MW, 49.5 x 8,760 = 433,620 MWh; the operation said 'potential to emit: 8760 h/yr
    # at full load', which is neither (the PTE is at the maximum rate).
    doc = run_json("estimate", "--preset", "memphis", "--load", "50%", "--only", "nox")
    assert doc["generation"]["value"] == pytest.approx(99 * 0.5 * 8760)
    assert doc["scenario"]["operation"] == "8,760 h/yr at 50% load"
    doc = run_json("estimate", "--preset", "memphis", "--load", "50%", "--capacity-factor", "60%", "--only", "nox")
    assert doc["scenario"]["operation"] == "capacity factor 0.6: 5,256 h/yr at 50% load"  # 0.6 x 8,760 = 5,256 h
    assert run_json("estimate", "--preset", "memphis", "--load", "100%", "--only", "nox")["scenario"]["operation"] == \
        "potential to emit: 8,760 h/yr at full load"
    # limit at 50 % load keeps saying so: formaldehyde binds again, at a part-load heat rate
    doc = run_json("limit", "--preset", "memphis", "--load", "50%", "--under", "title-v")
    assert doc["estimate"]["scenario"]["operation"] == f"{doc['value']:,.1f} h/yr at 50% load, solved for"


def test_a_factor_per_year_is_said_to_be_per_unit(run, run_json):
    # A factor per time is each unit's rate while it runs: '5 tpy' = 10,000 lb / 8,760 h = 1.1416 lb/h per unit, so
    # 4 units x 8,760 h give 4 x 5 = 20 tpy, not 5. That was silent; a fleet's total is easily taken for a factor.
    doc = run_json("estimate", "--turbines", "4", "--capacity", "16 MW", "--factor", "nox=5 tpy", "--only", "nox")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(20)
    assert doc["warnings"] == ["factor nox: '5 tpy' is read as each unit's rate while it runs (1.142 lb/h per unit), "
                               "multiplied by 4 units and the hours: not a total for the fleet; for a fleet total, divide "
                               "it by the units"]
    code, out, _ = run("estimate", "--turbines", "4", "--capacity", "16 MW", "--factor", "nox=5 tpy", "--only", "nox")
    assert code == 0 and re.search(r"1.14 +lb/hour per unit", out)  # 10,000 / 8,760 = 1.1416
    # one unit, or a rate per hour (as permits state them, per unit): nothing to say
    for args in (("--turbines", "1", "--factor", "nox=5 tpy"), ("--turbines", "4", "--factor", "nox=5 lb/h"),
                 ("--turbines", "4", "--factor", "nox=2 ppmvd@15%O2")):
        doc = run_json("estimate", "--capacity", "16 MW", *args, "--only", "nox")
        assert doc["warnings"] == [], args
    # memphis: 130 tpy for each of its 18 units is 18 x 130 = 2,340 tpy
    doc = run_json("estimate", "--preset", "memphis", "--factor", "nox=130 short_ton/year", "--only", "nox")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(2340)
    assert any("multiplied by 18 units" in w for w in doc["warnings"])


def test_a_fraction_of_an_hour_is_not_shown_as_zero_hours(run_json):
    # --hours 0.5 is half an hour a year (a warning says it is unusual); the operation read '0 full-load h/yr'
    doc = run_json("estimate", "--turbines", "1", "--capacity", "16 MW", "--hours", "0.5", "--only", "nox")
    assert doc["scenario"]["hours_per_year"] == 0.5 and doc["scenario"]["operation"] == "0.5 full-load h/yr"
    # a capacity factor of 0.0001 is 0.876 h of 8,760
    doc = run_json("estimate", "--turbines", "1", "--capacity", "16 MW", "--capacity-factor", "0.0001", "--only", "nox")
    assert doc["scenario"]["operation"] == "capacity factor 0.0001 (0.876 equivalent full-load h/yr)"


def test_compare_says_when_homes_are_counted_two_ways(run_json):
    # memphis heads with the capacity view (99 MW / 2 kW = 49,500 homes), memphis-2025-permit with the energy view
    # (2,164,158 MWh / 10.791 MWh = 200,552): the households row read +305 %, most of it the change of method. On the
    # energy view memphis is 867,240 MWh / 10.791 = 80,367 homes (+150 %, the capacity ratio 247.05 / 99).
    doc = run_json("compare", "memphis", "memphis-2025-permit")
    homes = [c["estimate"]["households"] for c in doc["scenarios"]]
    assert [h["method"] for h in homes] == ["capacity", "energy"]
    assert homes[0]["value"] == pytest.approx(99_000 / 2) and homes[1]["value"] == pytest.approx(15 * 16.47 * 8760 / 10.791)
    note = next(n for n in doc["notes"] if n.startswith("households:"))
    assert "memphis: capacity view" in note and "memphis-2025-permit: energy view" in note
    assert "memphis 80,367, memphis-2025-permit 200,552 homes" in note  # 99 x 8,760 / 10.791 = 80,367
    # one method throughout: nothing to say
    doc = run_json("compare", "--preset", "memphis", "--capacity-factor", "50%")
    assert not any(n.startswith("households:") for n in doc["notes"])


def test_the_factor_library_tells_its_engine_rows_apart_and_gives_the_ratings_it_has(run, run_json):
    # AP-42 s.3.2 NOx for engines: 2SLB 3.17 (90-105 % load, rated A) and 1.94 (below 90 %), 4SLB 4.08 (B) and 0.847,
    # 4SRB 2.21 and 2.27 (REFERENCE.md s.2). `factors` gave six 'nox, engine, uncontrolled' rows told apart only by
    # their source text, and called every rating 'not transcribed' although the library carries them.
    rows = run_json("factors")["factors"]
    engine_nox = {(r["engine_type"], r["load"]): (r["value"], r["rating"]) for r in rows
                  if r["pollutant"] == "nox" and r["kinds"] == "engine"}
    assert engine_nox == {("2slb", "full"): (3.17, "A"), ("2slb", "part"): (1.94, "A"), ("4slb", "full"): (4.08, "B"),
                          ("4slb", "part"): (0.847, "B"), ("4srb", "full"): (2.21, "A"), ("4srb", "part"): (2.27, "C")}
    # methane on two bases: AP-42's turbine 0.0086 lb/MMBtu is what leaves the stack; Part 98's 0.001 kg is reported
    ch4 = {(r["kinds"], r["methane_basis"]): r["value"] for r in rows if r["pollutant"] == "ch4"}
    assert ch4[("turbine", "physical")] == 0.0086 and ch4[("turbine, engine", "reporting")] == 0.001
    turbine_nox = next(r for r in rows if r["pollutant"] == "nox" and r["control"] == "uncontrolled" and r["kinds"] == "turbine")
    assert turbine_nox["rating"] == "not transcribed" and turbine_nox["engine_type"] is None
    code, out, _ = run("factors")
    assert code == 0 and "engine 4slb, 90-105 % load" in out and "not yet transcribed" not in out


def test_the_catalog_heat_rates_read_in_one_unit(run):
    # 9,048 kJ/kWh / 1.055056 kJ/Btu = 8,576 Btu/kWh (the LM6000's site rating); 40 % = 3,412.14 / 0.40 = 8,530 Btu/kWh.
    # The column set them bare beside Btu/kWh figures.
    assert round(9048 / 1.05505585262) == 8576 and round(3412.14163 / 0.40) == 8530
    code, out, _ = run("catalog")
    flat = " ".join(out.split())
    assert code == 0 and "9048 kJ/kWh = 8,576 Btu/kWh" in flat and "40% = 8,530 Btu/kWh" in flat


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


def test_the_tornado_bars_stay_on_one_line_at_80_columns():
    # memphis NOx: 2 ppm gives 32.87, 25 ppm 410.8 around 129.8, the largest swing (the full bar, 410.8 - 129.8 = 281):
    # each bar is one run of '#' on the input's first line; at 80 columns they were folded onto a second line.
    from click.testing import CliRunner

    from emiss.cli import cli

    res = CliRunner().invoke(cli, ["sensitivity", "--preset", "memphis"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(len(x) for x in lines) <= 80
    bars = [x for x in lines if "#" in x]
    first = next(x for x in lines if x.startswith("NOx factor"))
    assert first in bars and "32.87" in first and "410.8" in first
    assert all("|" in x for x in bars)  # no line of bar pieces without the centre line


def test_a_number_is_never_folded_across_two_lines_where_the_table_has_room():
    # eGRID2021, Barry 3/6A: 12,662,304.95 MMBtu measured; at 100 columns the MMBtu column was drawn 9 wide and the
    # number folded as '12,662,30' over '5'. A column of numbers is now at least as wide as its widest number.
    from click.testing import CliRunner

    from emiss.cli import cli

    for width in (100, 110, 120):
        res = CliRunner().invoke(cli, ["measured", "examples/egrid-units-2021.csv"], env={"COLUMNS": str(width)})
        assert res.exit_code == 0, res.stderr
        lines = res.stdout.splitlines()
        assert max(len(x) for x in lines) <= width
        row = next(x for x in lines if x.lstrip().startswith("3/6A"))
        assert "12,662,305" in row.split(), (width, row)


def test_a_table_that_would_cut_its_numbers_is_stacked_instead():
    # memphis-2025-selc, 24 SMT-130 x 16.5 MW x 10,742.06 Btu/kWh = 177.24 MMBtu/h each; NOx 25 ppm = 0.092110 lb/MMBtu
    # -> 16.33 lb/h each, 391.8 lb/h all, x 8,760 / 2,000 = 1,716 tpy. At 60 columns `pte` drew the table with its
    # last column cut: 'tpy al' over '1,71'.
    from click.testing import CliRunner

    from emiss.cli import cli

    nox_tpy = 24 * 16_500 * 9695 * 1.108 / 1e6 * (25 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9) * 8760 / 2000
    assert round(nox_tpy) == 1716
    res = CliRunner().invoke(cli, ["pte", "--preset", "memphis-2025-selc"], env={"COLUMNS": "60"})
    assert res.exit_code == 0
    words = res.stdout.split()
    assert "1,716" in words and "1,71" not in words
    assert all(len(x) <= 60 for x in res.stdout.splitlines())


def test_a_rate_limit_met_only_on_average_says_which_units_exceed_it(run_json):
    # memphis PM: turbines 0.0066 lb/MMBtu x 687.47 MMBtu/h, gensets 0.0099871 x 330.83: average 7.8413 / 1,018.30 =
    # 0.0077004 lb/MMBtu. A limit of 0.008 lb/MMBtu read for the facility is 'within' on that average, while the gensets
    # run 25 % above it: it said so nowhere. 'per unit' compares the gensets (not within).
    turbines, gensets = 4 * 16_000 * 9695 * 1.108 / 1e6, 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6
    average = (0.0066 * turbines + 0.0099871 * gensets) / (turbines + gensets)
    assert average == pytest.approx(0.0077004, abs=1e-7)
    doc = run_json("estimate", "--preset", "memphis", "--limit", "pm=0.008 lb/MMBtu")
    (row,) = doc["limits"]
    assert row["within"] is True and row["estimate"]["value"] == pytest.approx(average, rel=1e-6)
    assert "VoltaGrid mobile gensets run at 0.009987 lb/MMBtu, above it" in row["note"]
    assert "pm='0.008 lb/MMBtu per unit'" in row["note"]
    (row,) = run_json("estimate", "--preset", "memphis", "--limit", "pm=0.008 lb/MMBtu per unit")["limits"]
    assert row["within"] is False and row["group"] == "VoltaGrid mobile gensets" and row["note"] == ""
    # every unit under it, or the average over it: nothing to add
    for text in ("pm=0.011 lb/MMBtu", "pm=0.007 lb/MMBtu"):
        (row,) = run_json("estimate", "--preset", "memphis", "--limit", text)["limits"]
        assert row["note"] == "", text


def test_the_co2_view_of_households_is_in_the_json_when_it_is_the_headline(run_json):
    # memphis CO2: 53.06 kg/MMBtu x 8,920,299 MMBtu = 473,311 tonnes; EPA's home energy use 7.94 t CO2 a year:
    # 473,311 / 7.94 = 59,611 homes. 'value' carried it but, unlike the energy and capacity views, no 'co2' view said
    # what it divides by.
    doc = run_json("estimate", "--preset", "memphis", "--households-method", "co2")
    h = doc["households"]
    assert h["method"] == "co2" and h["value"] == pytest.approx(53.06e-3 * MEMPHIS_MMBTU_H * 8760 / 7.94, rel=1e-4)
    assert h["co2"]["value"] == h["value"] and h["co2"]["co2_tonnes_per_home_year"] == pytest.approx(7.94)
    assert "co2" not in run_json("estimate", "--preset", "memphis")["households"]  # other methods: as before


def test_a_lower_bound_is_said_to_be_one_in_value_and_csv(run):
    # One SMT-130 at 30 % load, outside SoLoNOx's premix range (50-100 %): its NOx (catalog 25 ppm) is 'at least'.
    # `--format value` printed the bare number and nothing else, CSV an empty note: a script took a lower bound for
    # the total. stdout keeps the number; stderr says it is a lower bound, and the CSV note says why.
    args = ("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "30%", "--only", "nox")
    code, out, err = run(*args, "--format", "value")
    assert code == 0 and float(out) > 0
    assert err.startswith("Note: NOx: this figure is a lower bound, not the total (at least: ") and "premix range" in err
    code, out, err = run(*args, "--format", "csv")
    row = next(x for x in out.splitlines() if x.startswith("emissions.nox,"))
    assert "at least:" in row and "30% load is outside its premix range" in row
    code, out, err = run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value")
    assert code == 0 and err == ""  # a total: nothing to say


def test_warnings_reach_stderr_in_formats_that_cannot_carry_them(run):
    # --heat-rate 25000: 'unusual' (plausible range 5,500-20,000 Btu/kWh). JSON and the table said it; CSV, TSV, NDJSON
    # and value did not say it anywhere. 1 x 16 MW x 25,000 x 1.108 = 443.2 MMBtu/h x 0.32 lb/MMBtu x 8,760 / 2,000 =
    # 621.2 tpy of NOx (AP-42 uncontrolled, the default combustor).
    args = ("estimate", "--turbines", "1", "--capacity", "16 MW", "--heat-rate", "25000 Btu/kWh", "--only", "nox")
    for fmt in ("csv", "tsv", "ndjson", "value"):
        code, out, err = run(*args, "--format", fmt)
        assert code == 0 and "25,000 Btu/kWh is unusual for heat rate" in err and err.startswith("Warning: "), fmt
    code, out, err = run(*args, "--format", "value")
    assert float(out) == pytest.approx(16_000 * 25_000 * 1.108 / 1e6 * 0.32 * 8760 / 2000)
    code, out, err = run(*args, "--format", "json")
    assert err == "" and "unusual" in out  # JSON carries it in 'warnings'


@pytest.mark.parametrize("width", [80, 100, 120, 140])
def test_the_catalog_keeps_every_id_whole_and_its_thousands_separated(run, monkeypatch, width):
    # at 120 columns the id column folded 'lm6000-pd-sprint' into 'lm6000-pd-sp' over 'rint', an id a reader types back
    # into --turbine-model; the heat rates given in Btu/kWh read '11000' beside '8,530'
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("catalog")
    assert code == 0, err
    ids = out[:out.index("GPUs and reference servers")]
    for unit in ("smt-130", "taurus-60", "genset-2.5mw", "lm6000-pd-sprint", "g3520e"):
        assert unit in ids.split(), (unit, width)
    assert "11,000 Btu/kWh" in " ".join(out.split()) and "11000" not in out
    assert max(map(len, out.splitlines())) <= width


@pytest.mark.parametrize("width", [80, 120])
def test_the_factor_library_names_each_pollutant_as_the_other_tables_do(run, monkeypatch, width):
    # its pollutant column gave the ids ('hcho', 'hap', 'ch4') where every other table says Formaldehyde, HAPs combined,
    # Methane; the JSON keeps the ids scripts select on
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("factors")
    assert code == 0, err
    library = out[:out.index("Constants and defaults")]
    words = library.split()
    assert "Formaldehyde" in words and "Methane" in words and "NOx" in words
    assert not {"hcho", "hap", "ch4", "nox"} & set(words)
    import json

    code, out, _ = run("factors", "--format", "json")
    assert {"hcho", "nox"} <= {r["pollutant"] for r in json.loads(out)["factors"]}
