"""emiss estimate: what its tables, notes and warnings say of the operation, the totals and the
assumptions (part load, fractions of an hour, lower bounds, tpy explained, factors split into value and unit)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from emiss import build_scenario, calculate
from emiss.cli import cli
from emiss.report import estimate
from emiss.report.views import Table, cell_parts
from tests.helpers import flat as _flat


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


def test_a_fraction_of_an_hour_is_not_shown_as_zero_hours(run_json):
    # --hours 0.5 is half an hour a year (a warning says it is unusual); the operation read '0 full-load h/yr'
    doc = run_json("estimate", "--turbines", "1", "--capacity", "16 MW", "--hours", "0.5", "--only", "nox")
    assert doc["scenario"]["hours_per_year"] == 0.5 and doc["scenario"]["operation"] == "0.5 full-load h/yr"
    # a capacity factor of 0.0001 is 0.876 h of 8,760
    doc = run_json("estimate", "--turbines", "1", "--capacity", "16 MW", "--capacity-factor", "0.0001", "--only", "nox")
    assert doc["scenario"]["operation"] == "capacity factor 0.0001 (0.876 equivalent full-load h/yr)"


# memphis: 4 SMT-130 x 16 MW x 9,695 Btu/kWh LHV x 1.108 = 171.87 MMBtu/h each; 14 gensets at 40 % (LHV), 3,412.142
# Btu/kWh / 0.40 = 8,530.35 Btu/kWh, x 2.5 MW x 1.108 = 23.63 MMBtu/h each: 1,018.30 MMBtu/h in all.
# NOx 7.9 ppm = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.029107 lb/MMBtu.
GENSET_HR_LHV = 3412.14163 / 0.40


MEMPHIS_MMBTU_H = 4 * 16_000 * 9695 * 1.108 / 1e6 + 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6


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


# ---- an upstream leak outside the measured basins' range is warned of -----------------------------------------------

@pytest.mark.parametrize("rate, shown", [("99.9%", "0.999"), ("0.02%", "0.0002"), ("13%", "0.13")])
def test_an_upstream_leak_beyond_every_measured_basin_is_warned_of(run_json, rate, shown):
    # measured basins leak 0.65 % (the lowest 95 % bound, Sherwin et al. 2024) to 12.9 % (9.4 + 3.5 %, the highest,
    # Chen et al. 2022; limits.toml [upstream_leak]): 99.9 % (or 0.02 %, a misplaced '%') was taken without a word
    doc = run_json("estimate", "--preset", "memphis", "--upstream-leak", rate, "--only", "ch4")
    assert f"--upstream-leak: {shown} is unusual for upstream methane leak (usually 0.0065 to 0.129); check the value " \
           "and its unit" in doc["warnings"]


@pytest.mark.parametrize("rate", ["2.3%", "alvarez-2018", "0.65%", "12.9%", "0"])
def test_an_upstream_leak_within_the_measured_range_is_not_warned_of(run_json, rate):
    doc = run_json("estimate", "--preset", "memphis", "--upstream-leak", rate, "--only", "ch4")
    assert not [w for w in doc["warnings"] if "upstream" in w]


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


TPY = "tpy: US short tons (2,000 lb) a year, as permits count them; a metric tonne is 1.1023 short tons."


def test_the_estimate_says_what_tpy_is_once_before_its_tables_use_it():
    r = _run("estimate", "--preset", "memphis-2025-permit")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines.count(TPY) == 1
    at = lines.index(TPY)
    body = lines[next(i for i, x in enumerate(lines) if x.startswith("Fleet")):]  # after the finding
    first = next(i for i, x in enumerate(lines) if "tpy" in x and x in body and x != TPY)
    assert at < first and lines[at + 1].startswith("PSD at 250 tpy")
    assert at < lines.index("Permit limits")


def test_the_legacy_control_note_is_written_as_every_cli_note_is():
    r = _run("estimate", "--preset", "memphis", "--control", "Lean-Premix", "--format", "json")
    assert r.exit_code == 0, r.stderr
    # one line, with the 'Note: ' every other note of the CLI has (it said 'note: ', written past the one writer)
    assert r.stderr.splitlines().count(
        "Note: --control lean-premix is a combustor: read as --combustor dry-low-nox for turbines (add-on controls: none, "
        "scr, oxidation-catalyst, scr+oxcat, nscr)") == 1
    assert "note: " not in r.stderr


@pytest.mark.parametrize(("factor", "number"), [("2..5 ppmvd@15%O2", "2..5"), ("2..3..5 ppmvd@15%O2", "2..3..5"),
                                                ("7.9 ppmvd@15%O2", "7.9")])
def test_a_factor_range_is_shown_whole_in_the_assumptions(run, factor, number):
    # '2..5 ppmvd@15%O2' was split after '2.': the table read '2.' under Value and '.5 ppmvd@15%O2' under Unit
    code, out, err = run("estimate", "--turbines", "4", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh",
                         "--factor", f"nox={factor}", "--format", "markdown")
    assert code == 0, err
    assert f"| NOx factor (all units) | {number} | ppmvd@15%O2 | user | cli | [1] |" in out.splitlines()


def test_the_assumptions_table_spells_units_as_the_results_table_does(run):
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    table = out.split("Assumptions (sources listed below)", 1)[1]
    hours = next(line for line in table.splitlines() if line.strip().startswith("operating hours per year"))
    use = next(line for line in table.splitlines() if line.strip().startswith("households: annual"))
    assert re.search(r"\b8,760\s+h/yr\s", hours), hours  # was 'h/year', where the results table says 'full-load h/yr'
    assert re.search(r"\b10,791\s+kWh/yr\s", use), use  # was 'kWh/year', where the results table says 'kWh/yr per home'


def test_the_finding_names_formaldehyde_in_lower_case_and_the_tables_keep_the_capital(run):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=130 short_ton/year", "--vary", "factor:nox")
    assert code == 0, err
    text = _flat(out)
    # was '... threshold for NOx, CO, VOC, Formaldehyde and HAPs combined;'
    assert "above a major-source threshold for NOx, CO, VOC, formaldehyde and HAPs combined;" in text
    code, out, err = run("estimate", "--preset", "memphis", "--hours", "1000")
    assert code == 0, err
    # the potential-to-emit sentence lists the pollutants after a colon, mid-sentence
    assert "; formaldehyde 78.64 tpy, above HAP (10); HAPs combined 107.1 tpy, above HAP (25);" in _flat(out)
    # table rows (the emissions, unit and screening tables): a name at the start of a cell, capitalised as before
    rows = [line.split()[0] for line in out.splitlines() if re.match(r"  (formaldehyde|methane)\s+[0-9]", line, re.I)]
    assert len(rows) == 7 and set(rows) == {"Formaldehyde", "Methane"}


# NOx 7.9 ppmvd@15%O2 = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/(20.9 - 15) = 0.029107 lb/MMBtu, shown to 3 figures
NOX_LB_MMBTU = "0.0291"


def _assumptions(result):
    (t,) = [b for b in estimate.estimate_view(result) if isinstance(b, Table) and b.title.startswith("Assumptions")]
    names = [c.name for c in t.columns]
    return [dict(zip(names, (cell_parts(x)[0] for x in row))) for row in t.rows]


def test_assumptions_put_a_factors_number_under_value_and_its_unit_under_unit():
    rows = {r["Input"]: r for r in _assumptions(calculate(build_scenario("memphis")))}
    given, converted = rows["NOx factor (all units)"], rows["NOx factor (all units), converted"]
    assert (given["Value"], given["Unit"]) == ("7.9", "ppmvd@15%O2")
    assert (converted["Value"], converted["Unit"]) == (NOX_LB_MMBTU, "lb/MMBtu")
    # 53.06 kg/MMBtu x 2.20462 lb/kg = 116.977 lb/MMBtu
    assert (rows["CO2 factor (all units)"]["Value"], rows["CO2 factor (all units)"]["Unit"]) == ("53.06", "kg/MMBtu")
    assert rows["CO2 factor (all units), converted"]["Value"] == "117.0"
    # a factor already in lb/MMBtu has no converted row
    assert "CO factor (Solar SMT-130 turbines), converted" not in rows
    for r in rows.values():  # a unit is never a number or an equation ('Unit: = 0.0291 lb/MMBtu' on a phone)
        assert not re.match(r"\s*[=\d.]", r["Unit"]), r
        assert not re.search(r"[A-Za-z]{2}", r["Value"]) or not r["Input"].startswith("factor "), r


@pytest.mark.parametrize("factor, rows", [
    # '5 tpy' is each unit's rate while it runs: 10,000 lb / 8,760 h = 1.1416 lb/h per unit
    ("nox=5 tpy", [("5", "tpy per unit"), ("1.14", "lb/hour per unit")]),
    ("nox=5 lb/h", [("5", "lb/h per unit")]),  # the same number in lb/hour: no converted row
    # 0.5 g/kWh = 0.5 x 2.20462 lb/kg = 1.1023 lb/MWh
    ("nox=0.5 g/kWh", [("0.5", "g/kWh"), ("1.10", "lb/MWh")]),
])
def test_assumptions_split_a_factor_given_on_the_command_line(factor, rows):
    sc = build_scenario(turbines=4, capacity="16 MW", factor_nox=factor.split("=", 1)[1])
    got = [(r["Value"], r["Unit"]) for r in _assumptions(calculate(sc)) if r["Input"].startswith("NOx factor")]
    assert got == rows


@pytest.mark.parametrize("text, parts", [
    ("7.9 ppmvd@15%O2", ("7.9", "ppmvd@15%O2")), ("7.9ppmvd@15%O2", ("7.9", "ppmvd@15%O2")),
    ("2e-3 lb/MMBtu", ("2e-3", "lb/MMBtu")), ("1,000 lb/h", ("1,000", "lb/h")), (".5 g/kWh", (".5", "g/kWh")),
    ("lb/MMBtu", ("lb/MMBtu", "")), ("5", ("5", "")),
])
def test_split_given(text, parts):
    assert estimate.split_given(text) == parts


def test_each_households_row_is_named_by_its_view_as_the_outputs_catalogue_names_it():
    from emiss.core.outputs import OUTPUTS

    rows = {r[0]: r[1] for r in estimate.result_lines(calculate(build_scenario("memphis")))}
    # memphis: the capacity view is the headline (99 MW / 2 kW = 49,500 homes); 867,240 MWh / 10,791 kWh = 80,367
    assert rows[OUTPUTS["households.energy"].label] == "80,367"
    assert rows[OUTPUTS["households.capacity"].label + " (headline)"] == "49,500"
    assert [k for k in rows if k.startswith("Households")] == ["Households, energy view", "Households, capacity view (headline)"]
