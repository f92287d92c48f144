"""Fourth review: a hostile but realistic user's inputs that gave a quiet wrong number (or a misleading line)."""

from __future__ import annotations

import json

import pytest


# memphis' NOx rate, the same for its two groups: 7.9 ppmvd@15%O2 calibrated to 0.0291067 lb/MMBtu HHV (the preset)
MEMPHIS_NOX_LB_PER_MMBTU = 0.029106684943275545


GROUP = """
[[fleet]]
name = "{name}"
count = {count}
capacity = "{mw} MW"
heat_rate = "9695 Btu/kWh"
"""


@pytest.mark.parametrize("second", ["Turbines", "turbines", "  turbines "])
def test_two_fleet_groups_of_one_name_are_refused(run, preset_file, second):
    # Two groups named alike: a batch record's group.turbines.heat_rate set only the first; the second kept its own
    # without a word (4 x 16 MW at 12,000 Btu/kWh and 2 x 5 MW at 9,695 gave 8,327,817 MMBtu/yr, neither the fleet
    # at 12,000 nor at 9,695). track matches a log's unit to its group by name, case and spacing aside, so it kept one.
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
                       + GROUP.format(name=second, count=2, mw=5))
    code, out, err = run("estimate", "--preset", path, "--format", "json")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [
        f"Error: site.toml: fleet[1].name: '{second}' is also the name of fleet[0]; give each group a name of its own"]
    code, _, err = run("presets", "validate", path)
    assert code == 1 and "fleet[1].name: " in err
    # names of their own are fine: 4 x 16 MW + 2 x 5 MW = 74 MW
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
                       + GROUP.format(name="Turbines 2", count=2, mw=5), name="ok.toml")
    code, out, err = run("estimate", "--preset", path, "--format", "value", "--only", "nox")
    assert code == 0, err


def test_a_row_longer_than_the_header_is_refused_not_read_shifted(tmp_path, track_log):
    # '120,000' unquoted is two cells: heat input 120 MMBtu and nox_lb '000' = 0 lb, so track said NOx 0.000 t,
    # 'measured', for a month of 1,008 lb (0.504 t); the last cell, the real pounds, was dropped without a word
    head = "date,unit,hours,heat_input_mmbtu,nox_lb\n"
    code, out, err = track_log(head + "2024-01,CT-1,300,120,000,1008.0\n", "--limit", "nox=87 tpy")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["Error: " + str(tmp_path / "log.csv") + ": line 2 has 6 cell(s) where the header "
                                        "has 5 (a number written with a thousands separator, such as 120,000, is two "
                                        "cells unless quoted)"]
    # with blank cells after the last column (a spreadsheet's trailing commas) it reads: 1,008 lb / 2,000 lb per
    # short ton = 0.504 t
    code, out, err = track_log(head + "2024-01,CT-1,300,120000,1008.0,,\n", "--limit", "nox=87 tpy", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1].split(",")[:5] == ["CT-1", "nox", "2024-01", "0.504", "measured"]


def test_a_heat_input_column_in_another_spelling_is_refused_not_passed_over(track_log):
    # 'heat_input' (no unit in its name) beside 'hours' was passed over and NOx estimated from the 300 h instead:
    # one SMT-130 at 171.87 MMBtu/h x 300 h x 0.0291067 lb/MMBtu = 1,500.8 lb = 0.750 t, where the 1,000 MMBtu
    # logged give 1,000 x 0.0291067 = 29.1 lb = 0.0146 t: a figure 52 times the log's
    body = "{},unit,hours,{}\n2025-01,Solar SMT-130 turbines#1,300,1000\n"
    args = ("--preset", "memphis", "--limit", "nox=87 tpy", "--format", "csv")
    for column in ("heat_input", "heat_input_mmbtu_hhv", "fuel", "mwh_net"):
        code, out, err = track_log(body.format("date", column), *args)
        assert (code, out) == (1, ""), column
        assert f"log.csv: column '{column}' is not read: what a unit did is a column heat_input_mmbtu (MMBtu)" in err
    code, out, err = track_log(body.format("date", "heat_input_mmbtu"), *args)
    assert code == 0, err
    tons = float(out.splitlines()[1].split(",")[3])
    assert tons == pytest.approx(1000 * MEMPHIS_NOX_LB_PER_MMBTU / 2000, rel=1e-12)  # 0.014553 t


def test_a_hand_edited_manifest_is_one_line_not_a_traceback(run, tmp_path):
    # a preset named by a number (AttributeError in the preset resolver) and JSON nested deeper than Python's stack
    # (RecursionError in the decoder) ended in tracebacks
    path = tmp_path / "run.json"
    code, _, err = run("estimate", "--preset", "memphis", "--manifest", str(path), "--format", "value", "--only", "nox")
    assert code == 0, err
    m = json.loads(path.read_text())
    m["recipe"]["preset"] = 5
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["Error: replay: not a run manifest as emiss writes it: 'recipe' is not {preset, "
                                        "overrides: {...}, limits: [[pollutant, quantity], ...]} (write one with emiss "
                                        "estimate --manifest FILE)"]
    path.write_text("[" * 100_000)
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [f"Error: replay: '{path}' is not JSON: nested too deeply"]


def _campd_hourly(tmp_path, date, hours):
    """Write a CAMPD hourly export of one unit: each hour 1 h at 150 MMBtu and 10 lb of NOx."""
    import csv

    from emiss.analysis.logs import CAMPD_HOURLY_EXPORT

    path = tmp_path / "campd.csv"
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, CAMPD_HOURLY_EXPORT, restval="")
        w.writeheader()
        for h in hours:
            w.writerow({"State": "TN", "Facility Name": "X", "Facility ID": "1", "Unit ID": "CT1", "Date": date, "Hour": h,
                        "Operating Time": "1.00", "Heat Input (mmBtu)": "150.0", "NOx Mass (lbs)": "10.0",
                        "SO2 Mass (lbs)": "0.1", "CO2 Mass (short tons)": "8.9", "Unit Type": "Combustion turbine"})
    return str(path)


@pytest.mark.parametrize("date, hours, says", [
    # a US date: int('01/0') in the coverage count, a ValueError traceback
    ("01/05/2024", range(24), "line 2: date '01/05/2024' must be YYYY-MM-DD (or YYYY-MM in a monthly plain log)"),
    # February 30th was counted as a day of 2024 (24 of its 8,784 hours logged), where track refuses it
    ("2024-02-30", range(24), "line 2: date '2024-02-30' is not a day: 2024-02 has 29 days"),
    # hour 24 fell through to 'a whole day' and was called 'in both a daily and an hourly export'
    ("2024-01-05", range(25), "line 26: hour '24' must be 0-23"),
])
def test_measured_refuses_a_date_or_hour_no_calendar_has_as_track_does(run, tmp_path, date, hours, says):
    path = _campd_hourly(tmp_path, date, [str(h) for h in hours])
    for command in (("measured", path), ("track", path, "--limit", "nox=87 tpy")):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.strip().splitlines() == [f"Error: {path} {says}"], command
    # a day of the calendar reads: 24 h x 150 MMBtu = 3,600 MMBtu, 24 x 10 lb = 240 lb, 240 / 3,600 = 0.0667 lb/MMBtu
    doc = json.loads(run("measured", _campd_hourly(tmp_path, "2024-01-05", [str(h) for h in range(24)]), "--format",
                         "json")[1])
    row = doc["rows"][0]
    assert (row["heat_input_mmbtu"], row["nox_lb"]) == (3600.0, 240.0)


def test_validate_judges_a_presets_variants_as_check_runs_them(run, preset_file):
    # 'presets validate' said ok of a variant setting a capacity factor of 150 %; 'emiss check' then refused the preset
    base = '[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16)
    path = preset_file(base + '[[variants]]\nlabel = "a"\nset = { "capacity_factor" = "150%" }\n')
    says = "Error: site.toml: variants[0].set.capacity_factor: capacity factor '150%' must be above 0 and at most 1 (or 100%)"
    code, out, err = run("presets", "validate", path)
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [says, f"Error: 1 of 1 preset file(s) have problems: {path}"]
    assert run("check", "--preset", path)[2].strip() == says  # the same words from the command that runs it
    path = preset_file(base + '[[variants]]\nlabel = "a"\nset = { "capacity_factor" = "50%" }\n', name="ok.toml")
    assert run("presets", "validate", path)[:2] == (0, f"{path}: ok\n")


def test_a_count_of_homes_is_a_plain_number_not_a_percent(run, preset_file):
    # households=50000% was read as the fraction 500 (homes): memphis-2025-permit's 15 x 16.47 MW x 8,760 h =
    # 2,164,158 MWh/yr over 500 homes needs 4,328,316 kWh each, and solve answered that ('infeasible', above the
    # 1,000,000 kWh/yr the most possible) for a target of 50,000 homes. '50000 MW' was said not to be a fraction.
    for text in ("50000%", "50000 MW"):
        code, out, err = run("solve", "--preset", "memphis-2025-permit", "--target", f"households={text}",
                             "--vary", "household-use", "--format", "json")
        assert (code, out) == (2, "")
        assert err.strip().splitlines() == [f"Error: --target: '{text}' is not a count; write a plain number, e.g. 50000"]
    # a published count is read by the same rule
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16) + '[[claims]]\n'
                       'output = "households"\nvalue = "50000%"\nwho = "w"\nwhen = "2024-01-01"\nsource = "s"\n')
    code, out, err = run("check", "--preset", path)
    assert (code, out) == (1, "")
    assert err.strip() == "Error: site.toml: claims[0].value: '50000%' is not a count; write a plain number, e.g. 50000"


def test_a_catalog_models_capacity_far_from_its_rating_is_said_to_be_per_unit(run, run_json):
    # --turbine-model smt-130 (rated 16.5 MW) --turbines 4 --capacity '64 MW': the fleet's 4 x 16 MW given where a
    # unit's capacity goes. It ran 4 x 64 = 256 MW of units the fleet table called SMT-130s, with no word;
    # 64 / 16.5 = 3.88 times the rating
    code, out, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "64 MW",
                         "--only", "nox", "--format", "value")
    assert code == 0 and out != ""
    assert err.strip().splitlines() == [
        "Warning: --capacity: 64 MW per unit is 3.88 times the rating of smt-130 (16.5 MW); capacity is per unit, so "
        "'Solar Turbines Titan 130 / SMT-130 mobile turbine generator' is 4 x 64 MW = 256 MW"]
    doc = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "64 MW")
    assert doc["capacity"]["value"] == 256.0 and any("3.88 times the rating" in w for w in doc["warnings"])
    # a site rating near the model's (15 MW: 0.91 times) is no surprise
    code, _, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--capacity", "15 MW",
                       "--only", "nox", "--format", "value")
    assert code == 0 and "times the rating" not in err


def test_cluster_names_the_option_given_and_the_run_it_makes(run):
    # --run-hours was named '--hours' (its old name) in its errors, and '-1 h' of GPU-hours over 100,000 GPUs
    # (-1 / 100,000 = -0.00001 h per GPU) was written 'a run of -0 h'
    code, out, err = run("cluster", "--gpus", "100000", "--run-hours", "-1 h")
    assert (code, out) == (2, "")
    assert err.strip() == "Error: --run-hours: a run of -1 h per GPU must be above 0 and at most 8,760 h (one year)"
    code, out, err = run("cluster", "--gpus", "100000", "--gpu-hours", "-1 h")
    assert (code, out) == (2, "")
    assert err.strip() == ("Error: --gpu-hours: -1 h over 100,000 GPUs, a run of -1e-05 h per GPU, must be above 0 and "
                           "at most 8,760 h (one year)")


@pytest.mark.parametrize("text, said", [
    # lb/MMBtu is mass / energy = M / (M L^2 T^-2) = T^2 / L^2, which the message wrote as pint's dimensions
    ("120 lb/MMBtu", "a mass per energy (an emission factor such as lb/MMBtu)"),
    ("120 degC", "a temperature"),
    ("120 ft**3/h", "a volume per time"),
])
def test_a_quantity_of_the_wrong_kind_is_named_in_words(run, text, said):
    code, out, err = run("estimate", "--preset", "memphis", "--fail-above", f"nox={text}")
    assert (code, out) == (2, "")
    assert err.strip() == (f"Error: --fail-above: '{text}' is {said}; expected a mass per year such as "
                           "'100 short_ton/year' or a rate such as '30 lb/h'")


def test_fail_above_does_not_pass_a_lower_bound_under_its_limit(run):
    # One SMT-130 at 30 % load, outside its premix range (50-100 %): NOx is only 'at least' 34.54 tpy. Under a
    # 100 tpy limit --fail-above exited 0, 'not above', where the total is not known; above 1 tpy it is crossed
    # whatever the rest (exit 3), as before
    args = ("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "30%", "--only", "nox",
            "--format", "value")
    code, out, err = run(*args, "--fail-above", "nox=100 tpy")
    assert code == 1 and float(out) < 100
    assert err.strip().splitlines()[-1] == (
        "Error: --fail-above: nox 34.54 tpy is only a lower bound (at least: Solar Turbines Titan 130 / SMT-130 mobile "
        "turbine generator: 30% load is outside its premix range (50-100 % load)), so whether the total is above 100 is "
        "unknown")
    code, out, err = run(*args, "--fail-above", "nox=1 tpy")
    assert code == 3 and err.strip().endswith("Error: --fail-above: nox 34.54 tpy is above 1")
    # a total (memphis: 129.8 tpy) under its limit passes
    assert run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value", "--fail-above", "nox=200 tpy")[0] == 0


def test_a_lower_bound_under_a_permit_limit_is_not_called_within_it(run, run_json):
    # the same 'at least' 34.54 tpy against --limit nox='100 tpy': the table said 'yes' and the JSON complete: true
    args = ("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "30%", "--limit", "nox=100 tpy",
            "--only", "nox")
    row = run_json(*args)["limits"][0]
    assert (row["within"], row["complete"]) == (True, False)
    code, out, _ = run(*args)
    line = next(x for x in out.splitlines() if x.strip().startswith("NOx  ") and " 100 tpy " in x)
    # margin 100 - 34.54 = 65.46 short tons/yr (tpy, as the limit says), as before; the verdict is no longer 'yes'
    assert line.split()[:8] == ["NOx", "100", "tpy", "facility", "34.54", "65.46", "tpy", "incomplete"]


@pytest.mark.parametrize("option, text, says", [
    # pint's parser failed an assertion on a dangling operator, its tokenizer on an unpaired bracket; the messages
    # ended '(AssertionError)' and "(('EOF in multi-line statement', (2, 0)))"
    ("--capacity", "16 MW/", "'16 MW/' ends in '/': a unit is whole, e.g. '16 MW' or '2 lb/h'"),
    ("--hours", "5000 h**", "'5000 h**' ends in '**': a unit is whole, e.g. '16 MW' or '2 lb/h'"),
    ("--capacity", "16 MW()", "'16 MW()' has an empty bracket '()'; a quantity is one number and one unit, e.g. '2 lb/h'"),
    ("--factor", "nox=1 lb/(MMBtu", "'1 lb/(MMBtu' has a bracket without its pair; a quantity is one number and one "
                                    "unit, e.g. '2 lb/h'"),
    # 'fleet' after a slash was taken for the limit's words and '10 lb/h/' left to pint
    ("--limit", "nox=10 lb/h/fleet", "'10 lb/h/fleet': say '10 lb/h per fleet' or give the figure alone (the whole "
                                     "facility's); words after the figure: per unit, per turbine, per engine, each, per "
                                     "facility, all units, per fleet, fleet"),
])
def test_a_unit_cut_short_is_one_plain_line(run, option, text, says):
    code, out, err = run("estimate", "--preset", "memphis", option, text)
    where = "--factor nox" if option == "--factor" else option
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: {where}: {says}"


def test_per_fleet_reads_as_the_facility(run_json):
    # '10 lb/h per fleet' read 'per' as part of the unit ('unknown unit lb/h per'); 'fleet' alone was already the
    # facility. memphis: 129.82 tpy x 2,000 lb / 8,760 h = 29.64 lb/h at full load for the facility, above 10
    row = run_json("estimate", "--preset", "memphis", "--only", "nox", "--limit", "nox=10 lb/h per fleet")["limits"][0]
    assert row["per"] == "facility" and row["estimate"]["value"] == pytest.approx(129.82016024316002 * 2000 / 8760)
    assert row["within"] is False


def test_the_preset_hint_is_given_only_to_commands_that_take_one(run):
    # 'presets show memphis memphis-2025-permit' was told to run 'emiss presets --preset show memphis ...', which
    # does not exist; estimate's hint stays
    code, out, err = run("presets", "show", "memphis", "memphis-2025-permit")
    assert (code, out, err.strip()) == (2, "", "Error: Got unexpected extra argument (memphis-2025-permit)")
    code, out, err = run("estimate", "memphis")
    assert (code, out) == (2, "") and err.strip().endswith("a preset is named with --preset: emiss estimate --preset memphis")


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_a_page_that_cannot_be_written_is_named_in_one_line(run):
    # a full disk fails at the close, with no file name: the message read "cannot write ''" (in-process: the page is
    # written and closed inside the command; what happens at the process's exit is the workbook's case, below)
    code, out, err = run("estimate", "--preset", "memphis", "--html", "/dev/full", "--only", "nox", "--format", "value")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["Error: cannot write '/dev/full': No space left on device"]


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["--xlsx"])
def test_a_report_file_that_cannot_be_written_is_named_in_one_line(option):
    # a full disk fails at the close, with no file name: the message read "cannot write ''"; for --xlsx openpyxl's
    # zip file was closed again at exit and printed a traceback ('Exception ignored in ZipFile.__del__'): a process
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                        os.environ.get("PYTHONPATH", "")])}  # this tree's emiss
    r = subprocess.run([sys.executable, "-m", "emiss", "estimate", "--preset", "memphis", option, "/dev/full",
                        "--only", "nox", "--format", "value"], capture_output=True, text=True, timeout=120, env=env)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.strip().splitlines() == ["Error: cannot write '/dev/full': No space left on device"]


def test_presets_validate_reads_a_site_preset_as_cluster_versus_does(run, tmp_path):
    # presets/sites/jean-zay-2024.toml is shipped and 'cluster --versus jean-zay-2024' reads it; validate called it
    # broken ("unknown key 'site'", "has no [[fleet]] group"), judging it as a turbine preset
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "presets" / "sites" / "jean-zay-2024.toml"
    code, out, err = run("presets", "validate", str(shipped))
    assert (code, out.strip(), err) == (0, f"{shipped}: ok", "")
    bad = tmp_path / "site.toml"
    bad.write_text(shipped.read_text(encoding="utf-8").replace('kind = "compute-site"', 'kind = "computer"'), encoding="utf-8")
    code, out, err = run("presets", "validate", str(bad))
    assert code == 1 and err.splitlines()[0].startswith('Error: site.toml: [site] needs kind = "compute-site"')


def test_a_factor_per_hour_may_say_per_unit_and_a_fleets_figure_is_refused(run):
    # --help: a factor is a 'mass per hour per unit ('2.1 lb/h')'; '30 lb/h per unit' was refused as no factor.
    # memphis has 18 units: 30 lb/h x 18 x 8,760 h / 2,000 lb = 2,365.2 short tons a year, the same as '30 lb/h'
    for text in ("30 lb/h per unit", "30 lb/h each", "30 lb/h"):
        code, out, err = run("estimate", "--preset", "memphis", "--factor", f"nox={text}", "--only", "nox", "--format", "value")
        assert (code, round(float(out), 1)) == (0, 2365.2), text
    # a fleet's figure per hour would be multiplied by the 18 units: refused, with what to do
    code, out, err = run("estimate", "--preset", "memphis", "--factor", "nox=30 lb/h per fleet", "--only", "nox")
    assert (code, out) == (2, "") and len(err.strip().splitlines()) == 1
    assert "a factor per hour is each unit's rate while it runs" in err and "divide the fleet's figure by its units" in err
    # per unit means nothing for a factor per heat input: said, not passed over
    code, out, err = run("estimate", "--preset", "memphis", "--factor", "nox=0.1 lb/MMBtu per unit", "--only", "nox")
    assert (code, out) == (2, "") and "give it without 'per unit'" in err
