"""emiss compare: scenarios side by side, each row saying what it holds and where the scenarios' methods
differ (households counted two ways, part-load hours, lower bounds, NH3 without SCR, --only, --permit-view, grids)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import flat as _flat


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


def test_compare_does_not_call_part_load_hours_full_load(run):
    # memphis --load 50%: 99 MW x 0.5 x 8,760 h = 433,620 MWh, i.e. 4,380 equivalent full-load hours; the row said
    # '8,760 full-load h/yr' beside that generation. The estimate calls them 'h/yr' ('8,760 h/yr at 50% load').
    code, out, _ = run("compare", "--preset", "memphis", "--load", "50%", "--capacity-factor", "0.5", "--only", "nox",
                       "--format", "markdown")
    row = next(x for x in out.splitlines() if x.startswith("| Operation |"))
    assert code == 0 and [c.strip() for c in row.split("|")][1:6] == ["Operation", "h/yr", "8,760", "4,380 (-50%)", "8,760 (+0%)"]
    assert "Operation: hours a year at each scenario's load" in out and "load 50%: at 50% load" in out
    gen = next(x for x in out.splitlines() if x.startswith("| Generation |"))
    assert "433,620 (-50%)" in gen.split("|")[-2]
    code, out, _ = run("compare", "--preset", "memphis", "--capacity-factor", "0.5", "--only", "nox", "--format", "markdown")
    assert "| Operation | full-load h/yr |" in out  # no part load: as before


def test_compare_marks_a_lower_bound_total_as_the_estimate_does(run):
    # memphis at 40 % load: the SMT-130s run outside SoLoNOx's premix range, so their CO (AP-42 lean-premix) is only
    # 'at least'; estimate shows 'CO >=', compare showed '347.8 (-31%)' as a plain figure. NOx is the preset's own
    # calibrated rate, which does not rest on the guarantee: no mark.
    code, out, err = run("compare", "--preset", "memphis", "--load", "40%", "--only", "nox,co")
    assert code == 0, err
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip().startswith(("NOx", "CO "))}
    assert lines["CO"].rstrip().endswith("347.8 (-31%) >=") and ">=" not in lines["NOx"]
    assert (">= at least: a guaranteed level does not hold where the unit runs (Solar SMT-130 turbines: 40% load is "
            "outside its premix range (50-100 % load)).") in " ".join(out.split())
    code, out, err = run("compare", "--preset", "memphis", "--load", "80%", "--only", "nox,co")
    assert ">=" not in out


@pytest.mark.parametrize(("option", "values"), [("--capacity-factor", ("0.5", "0.6")), ("--hours", ("5000", "6000"))])
def test_permit_view_takes_one_operation(run, option, values):
    # the expected-actual column took the last value, 0.6 (5,256 h), and 0.5 made no column: dropped without a word
    args = [a for v in values for a in (option, v)]
    code, out, err = run("compare", "--preset", "memphis", "--permit-view", *args)
    assert (code, out) == (2, "")
    assert err == f"Error: {option}: with --permit-view it sets the expected actual's operation; give it once\n"
    doc = __import__("json").loads(run("compare", "--preset", "memphis", "--permit-view", option, values[0], "--format",
                                       "json")[1])
    actual = doc["scenarios"][-1]
    # one value is the expected actual's: 0.5 x 8,760 = 4,380 h, or the 5,000 h given
    assert (actual["label"], actual["estimate"]["scenario"]["hours_per_year"]) == ("expected actual", {
        "--capacity-factor": 4380.0, "--hours": 5000.0}[option])


def test_compare_subregion_without_grid_is_refused(run):
    # before, '--subregion SRTV' without --grid was dropped without a word and the table printed (exit 0)
    code, out, err = run("compare", "--preset", "memphis", "--subregion", "SRTV", "--capacity-factor", "0.5")
    assert (code, out) == (2, "")
    assert err == "Error: compare: --subregion needs --grid (it is the eGRID subregion of the grid column)\n"


def test_compare_subregion_with_grid_still_runs(run):
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--subregion", "SRTV", "--format", "json")
    assert code == 0, err
    assert "SRTV" in out


def test_only_says_what_it_leaves_and_compare_does_so(run):
    code, out, err = run("compare", "--help")
    assert code == 0, err
    assert ("the figures that are not a pollutant's (capacity, generation, heat input, households) are still shown"
            in _flat(out))
    code, out, err = run("compare", "--preset", "memphis", "--combustor", "diffusion", "--only", "nox")
    assert code == 0, err
    firsts = [line.split()[0] for line in out.split("\n\n")[1].splitlines()[2:]]
    assert firsts == ["Fleet", "Operation", "Generation", "Heat", "Households", "NOx"], firsts


def test_the_permit_view_beside_another_preset_says_whose_columns_it_shows(run_json, run):
    doc = run_json("compare", "memphis", "memphis-2025-permit", "--permit-view")
    labels = [s["label"] for s in doc["scenarios"]]
    assert labels == ["memphis PTE uncontrolled", "memphis PTE controlled", "memphis expected actual", "memphis-2025-permit"]
    assert ("The PTE and expected-actual columns are memphis's; memphis-2025-permit as the preset stands (its own "
            "operation and controls, before any permit limit holds it lower).") in doc["notes"]
    # one preset alone keeps its labels (test_analysis holds them)
    code, out, err = run("compare", "memphis", "memphis-2025-permit", "--permit-view", "--format", "markdown")
    assert code == 0, err
    # outputs other than pollutants by the names the estimate's results table gives them, not ids
    firsts = [line.split("|")[1].strip() for line in out.splitlines() if line.startswith("|")][2:]
    assert firsts[:5] == ["Fleet capacity", "Operation", "Generation", "Heat input", "Households (headline)"]
    assert "NOx" in firsts and "nox" not in firsts  # pollutants by the names readers know, as the emissions table


def test_compare_says_nh3_is_not_emitted_without_scr_not_zero(run):
    # memphis: no unit has SCR, so none emits NH3 (the ammonia slip of SCR): '-' in its column with a note saying so,
    # as pte shows it, not '0' beside the grid's 'n/a'; memphis-2025-permit (SCR on every unit) keeps its number
    code, out, err = run("compare", "--preset", "memphis", "--grid")
    assert code == 0, err
    nh3 = next(line.split() for line in out.splitlines() if line.split()[:1] == ["NH3"])
    assert nh3[-2:] == ["-", "n/a"]
    assert "'-': no unit of that scenario emits it (0 in JSON and CSV)" in " ".join(out.split())
    code, out, err = run("compare", "memphis", "memphis-2025-permit")
    nh3 = next(line.split() for line in out.splitlines() if line.split()[:1] == ["NH3"])
    assert code == 0 and nh3[-2] == "-" and float(nh3[-1]) > 0
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--format", "json")
    row = next(r for r in json.loads(out)["rows"] if r["output"] == "nh3")
    assert row["values"] == [0.0, None]  # the machine formats keep the estimate's 0 (emissions.nh3.value)
