"""emiss measured: CAMPD exports and eGRID rows beside the estimate, the arithmetic worked by hand; its tables at a width."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emiss.data.measured import lookup
from emiss.cli import cli
from tests.test_track import HOURLY

ROOT = Path(__file__).resolve().parent.parent
ANNUAL = ["State", "Facility Name", "Facility ID", "Unit ID", "Associated Stacks", "Year", "Operating Time Count",
          "Sum of the Operating Time", "Gross Load (MWh)", "Steam Load (1000 lb)", "SO2 Mass (short tons)",
          "SO2 Rate (lbs/mmBtu)", "CO2 Mass (short tons)", "CO2 Rate (short tons/mmBtu)", "NOx Mass (short tons)",
          "NOx Rate (lbs/mmBtu)", "Heat Input (mmBtu)", "Primary Fuel Type", "Secondary Fuel Type", "Unit Type",
          "SO2 Controls", "NOx Controls", "PM Controls", "Hg Controls", "Program Code"]


def _write(path, header, rows):
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows)
    return str(path)


def _hour(hour, heat, nox, co2, ind="Measured", controls="Dry Low NOx Burners"):
    return {"Facility ID": "55", "Unit ID": "GT1", "Facility Name": "Test", "Date": "2024-07-01", "Hour": hour,
            "Operating Time": "1.00", "Heat Input (mmBtu)": heat, "NOx Mass (lbs)": nox, "NOx Mass Measure Indicator": ind,
            "CO2 Mass (short tons)": co2, "SO2 Mass (lbs)": "0.24", "Primary Fuel Type": "Pipeline Natural Gas",
            "Unit Type": "Combustion turbine", "NOx Controls": controls}


def test_hourly_measured_beside_both_estimates(tmp_path):
    # three hours of 400 MMBtu (1,200 MMBtu, 400 MMBtu/h: band 250-1000), NOx 4 + 4 + 4 = 12 lb -> 0.01 lb/MMBtu;
    # AP-42 lean-premix 0.099 x 1,200 = 118.8 lb, ratio 12 / 118.8 = 0.10101; measured basis: the class P50 x 1,200.
    # CO2 3 x 23.78 short tons = 71.34 t = 142,680 lb -> 118.9 lb/MMBtu; Part 98 53.06 kg = 116.977 lb/MMBtu
    log = _write(tmp_path / "h.csv", HOURLY, [_hour(h, "400", "4", "23.78") for h in (0, 1, 2)])
    r = CliRunner().invoke(cli, ["measured", log, "--format", "json"])
    assert r.exit_code == 0, r.stderr
    row = json.loads(r.stdout)["rows"][0]
    assert (row["unit"], row["period"], row["class"], row["size_band"]) == ("55/GT1", "2024", "dry-low-nox", "250-1000")
    assert row["operating_hours"] == 3 and row["heat_input_mmbtu"] == 1200
    assert row["nox_lb"] == 12 and row["nox_lb_per_mmbtu"] == pytest.approx(0.01)
    assert row["nox_estimate_ap42_lb"] == pytest.approx(118.8)
    assert row["nox_ratio_ap42"] == pytest.approx(12 / 118.8)
    p50 = lookup("dry-low-nox", "nox", "250-1000").p50
    assert row["nox_estimate_measured_lb"] == pytest.approx(p50 * 1200) and row["nox_ratio_measured"] == pytest.approx(12 / (p50 * 1200))
    assert row["co2_lb_per_mmbtu"] == pytest.approx(118.9)
    assert row["co2_ratio_ap42"] == pytest.approx(118.9 / (53.06 / 0.45359237))
    assert row["nox_missing_rows"] == 0 and row["nox_substituted_rows"] == 0


def test_blank_and_substituted_hours_are_counted_not_zeroed(tmp_path):
    rows = [_hour(0, "400", "4", "23.78"), _hour(1, "400", "", "23.78"), _hour(2, "400", "6", "23.78", ind="Substitute")]
    log = _write(tmp_path / "h.csv", HOURLY, rows)
    r = CliRunner().invoke(cli, ["measured", log, "--format", "json"])
    doc = json.loads(r.stdout)
    row = doc["rows"][0]
    # 4 + 6 = 10 lb over the hours that have NOx; the blank hour is counted, not taken as zero
    assert row["nox_lb"] == 10 and row["nox_missing_rows"] == 1 and row["nox_substituted_rows"] == 1
    assert any("NOx blank in 1 operating row(s)" in n for n in doc["notes"])
    assert any("1 row(s) of NOx are substitute data" in n for n in doc["notes"])
    # the library says it as the command does (it had a name= parameter whose default said 'nox'); the keys keep the id
    from emiss.analysis.measured import compare, read

    lib_rows, lib_notes = compare(read([log], period="year")[0])
    assert [n for n in lib_notes if "NOx" in n] == [n for n in doc["notes"] if "NOx" in n] != [] and lib_rows[0]["nox_missing_rows"] == 1


def test_annual_export_in_short_tons_with_pipe_and_comma_controls(tmp_path):
    # 10 short tons NOx over 1,000,000 MMBtu = 20,000 lb -> 0.02 lb/MMBtu; SCR on water injection: AP-42 0.13 x 1e6
    base = {"Facility Name": "T", "Facility ID": "9", "Year": "2023", "Sum of the Operating Time": "2000",
            "Heat Input (mmBtu)": "1000000", "NOx Mass (short tons)": "10", "CO2 Mass (short tons)": "59450",
            "SO2 Mass (short tons)": "0.3", "Primary Fuel Type": "Natural Gas", "Unit Type": "Combined cycle"}
    log = _write(tmp_path / "a.csv", ANNUAL, [
        {**base, "Unit ID": "1", "NOx Controls": "Water Injection|Selective Catalytic Reduction"},
        {**base, "Unit ID": "2", "NOx Controls": "Selective Catalytic Reduction,Water Injection"}])
    r = CliRunner().invoke(cli, ["measured", log, "--format", "json"])
    rows = json.loads(r.stdout)["rows"]
    assert [x["class"] for x in rows] == ["water-steam+scr", "water-steam+scr"]
    assert rows[0]["nox_lb_per_mmbtu"] == pytest.approx(0.02)
    assert rows[0]["nox_ratio_ap42"] == pytest.approx(20000 / 130000)


def test_egrid_example_and_csv(tmp_path):
    r = CliRunner().invoke(cli, ["measured", str(ROOT / "examples" / "egrid-units-2021.csv"), "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert len(rows) == 12 and {x["class"] for x in rows} == {"none", "water-steam", "dry-low-nox", "dry-low-nox+scr",
                                                                 "water-steam+scr", "scr"}


def test_a_plain_log_is_refused_with_a_pointer_to_track(tmp_path):
    log = _write(tmp_path / "p.csv", ["date", "unit", "hours"], [{"date": "2024-01", "unit": "A", "hours": 1}])
    r = CliRunner().invoke(cli, ["measured", log])
    assert r.exit_code == 1 and "emiss track" in r.stderr and r.stdout == ""


def test_period_month_splits_an_hourly_export(tmp_path):
    rows = [_hour(0, "400", "4", "23.78"), {**_hour(5, "300", "6", "17.8"), "Date": "2024-08-02"}]
    log = _write(tmp_path / "h.csv", HOURLY, rows)
    r = CliRunner().invoke(cli, ["measured", log, "--period", "month", "--format", "json"])
    got = {x["period"]: (x["heat_input_mmbtu"], x["nox_lb"]) for x in json.loads(r.stdout)["rows"]}
    assert got == {"2024-07": (400, 4), "2024-08": (300, 6)}


def test_a_short_egrid_row_is_one_line(tmp_path):
    header = (ROOT / "examples" / "egrid-units-2021.csv").read_text().splitlines()[0]
    p = tmp_path / "short.csv"
    p.write_text(header + "\n" + ",".join(["x"] * 7) + "\n")
    r = CliRunner().invoke(cli, ["measured", str(p)])
    assert r.exit_code == 1 and "line 2 has 7 cell(s)" in r.stderr and r.stdout == ""


def test_the_same_rows_twice_are_counted_once_and_said():
    import json as _json

    f = str(ROOT / "examples" / "egrid-units-2021.csv")
    once = _json.loads(CliRunner().invoke(cli, ["measured", f, "--format", "json"]).stdout)
    twice = _json.loads(CliRunner().invoke(cli, ["measured", f, f, "--format", "json"]).stdout)
    assert [r["operating_hours"] for r in twice["rows"]] == [r["operating_hours"] for r in once["rows"]]
    assert any("duplicate row(s) left out" in n for n in twice["notes"])


def _refused(tmp_path, header, rows):
    r = CliRunner().invoke(cli, ["measured", _write(tmp_path / "x.csv", header, rows)])
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("change, said", [
    # an hour's NOx: at most 10 lb/MMBtu x 30,000 MMBtu/h x 1 h = 300,000 lb
    ({"NOx Mass (lbs)": "1e300"}, "55/GT1, column 'NOx Mass (lbs)': 1e300 lb is more NOx than any unit can emit in the "
                                  "1 h the row covers: at most 300,000 lb (10 lb/MMBtu"),
    ({"NOx Mass (lbs)": "300001"}, "at most 300,000 lb"),
    # CO2 in short tons: 400 lb/MMBtu x 30,000 MMBtu/h = 12,000,000 lb = 6,000 short tons in an hour
    ({"CO2 Mass (short tons)": "6001"}, "6001 short tons is more CO2 than any unit can emit in the 1 h the row covers: "
                                       "at most 6,000 short tons"),
    # SO2: 20 x 30,000 = 600,000 lb
    ({"SO2 Mass (lbs)": "600001"}, "at most 600,000 lb (20 lb/MMBtu"),
    ({"Heat Input (mmBtu)": "30001"}, "column 'Heat Input (mmBtu)': 30001 MMBtu is more than any unit can burn in the "
                                     "1 h the row covers: at most 30,000 MMBtu"),
    ({"Operating Time": "1.5"}, "column 'Operating Time': 1.5 h is more than the 1 h the row covers"),  # minutes?
    ({"NOx Mass (lbs)": "-4"}, "column 'NOx Mass (lbs)': -4 must be a finite number of zero or more"),  # as before
])
def test_a_value_no_unit_can_reach_is_refused_in_one_line(tmp_path, change, said):
    code, out, err = _refused(tmp_path, HOURLY, [_hour(0, "400", "4", "23.78"), {**_hour(1, "400", "4", "23.78"), **change}])
    assert code == 1 and out == "" and err.count("\n") == 1
    assert err.startswith("Error: ") and "x.csv line 3: " in err and said in err


def test_the_bounds_hold_at_the_edge_and_follow_the_row_span(tmp_path):
    # at the bound is accepted: 30,000 MMBtu and 300,000 lb NOx in an hour (10 lb/MMBtu exactly)
    code, out, err = _refused(tmp_path, HOURLY, [{**_hour(0, "30000", "300000", "23.78")}])
    assert code == 0, err
    # an annual export's row covers its own year: 8,760 h in 2023, 8,784 in 2024 (leap)
    base = {"Facility Name": "T", "Facility ID": "9", "Unit ID": "1", "Heat Input (mmBtu)": "1000000",
            "NOx Mass (short tons)": "10", "Primary Fuel Type": "Natural Gas", "Unit Type": "Combined cycle"}
    code, _, err = _refused(tmp_path, ANNUAL, [{**base, "Year": "2023", "Sum of the Operating Time": "8761"}])
    assert code == 1 and "8761 h is more than the 8,760 h the row covers" in err
    code, _, err = _refused(tmp_path, ANNUAL, [{**base, "Year": "2024", "Sum of the Operating Time": "8784"}])
    assert code == 0, err
    # a year's NOx: 10 lb/MMBtu x 30,000 MMBtu/h x 8,760 h = 2.628e9 lb = 1,314,000 short tons
    code, _, err = _refused(tmp_path, ANNUAL, [{**base, "Year": "2023", "NOx Mass (short tons)": "1314001"}])
    assert code == 1 and "at most 1,314,000 short tons" in err


def test_an_egrid_row_beyond_a_year_is_refused(tmp_path):
    # eGRID's row has no year: the longest, 8,784 h; the shipped rows load (12 units)
    header = (ROOT / "examples" / "egrid-units-2021.csv").read_text().splitlines()
    cells = next(csv.reader([header[1]]))
    names = next(csv.reader([header[0]]))
    row = dict(zip(names, cells))
    code, _, err = _refused(tmp_path, names, [{**row, "hrsop": "9000"}])
    assert code == 1 and "column 'hrsop': 9000 h is more than the 8,784 h the row covers" in err
    code, _, err = _refused(tmp_path, names, [{**row, "noxan": "1e300"}])
    assert code == 1 and "1e300 short tons is more NOx" in err and "at most 1,317,600 short tons" in err


def test_the_help_states_the_bounds_the_code_applies():
    from emiss.analysis.logs import MAX_HEAT_MMBTU_PER_H, MAX_LB_PER_MMBTU

    said = " ".join(CliRunner().invoke(cli, ["measured", "--help"]).stdout.split())
    assert f"heat input above {MAX_HEAT_MMBTU_PER_H:,.0f} MMBtu/h" in said
    assert "at {nox:g} lb/MMBtu of NOx, {so2:g} of SO2 or {co2:g} of CO2".format(**MAX_LB_PER_MMBTU) in said
    assert "emiss measured examples/egrid-units-2021.csv" in said and (ROOT / "examples" / "egrid-units-2021.csv").exists()


def test_a_repeated_hour_with_other_values_is_refused_naming_both_rows(tmp_path):
    # hour 0 on line 2 (4 lb NOx) and again on line 3 (40 lb): keeping the first would have left 36 lb out unsaid
    log = _write(tmp_path / "h.csv", HOURLY, [_hour(0, "400", "4", "23.78"), _hour(0, "400", "40", "23.78")])
    r = CliRunner().invoke(cli, ["measured", log])
    assert r.exit_code == 1 and r.stdout == ""
    assert f"{log} line 3: 55/GT1 2024-07-01 hour 0 has two rows that differ (line 2 and this one)" in r.stderr
    # the same hour given in a second file with other values: the first file's line is named
    other = _write(tmp_path / "o.csv", HOURLY, [_hour(1, "400", "4", "23.78"), _hour(0, "401", "4", "23.78")])
    first = _write(tmp_path / "f.csv", HOURLY, [_hour(0, "400", "4", "23.78")])
    r = CliRunner().invoke(cli, ["measured", first, other])
    assert r.exit_code == 1 and f"{other} line 3: 55/GT1 2024-07-01 hour 0 has two rows that differ (line 2 of {first}" \
        in r.stderr


def test_a_blank_mass_leaves_its_hours_heat_out_of_the_rate(tmp_path):
    # hours 0-2 of 400 MMBtu each, NOx 4 lb, blank, 4 lb: the rate is 8 lb / 800 MMBtu = 0.01 lb/MMBtu (the old code
    # divided by all 1,200 MMBtu: 0.00667, a third low). Dry low-NOx, AP-42 0.099 lb/MMBtu (Table 3.1-1 lean premix):
    # measured / AP-42 = 0.01 / 0.099 = 0.10101...; the estimate stays that of the period's 1,200 MMBtu: 118.8 lb
    rows = [_hour(0, "400", "4", "23.78"), _hour(1, "400", "", "23.78"), _hour(2, "400", "4", "23.78")]
    r = CliRunner().invoke(cli, ["measured", _write(tmp_path / "h.csv", HOURLY, rows), "--format", "json"])
    row = json.loads(r.stdout)["rows"][0]
    assert row["nox_lb"] == 8 and row["nox_missing_rows"] == 1
    assert row["nox_lb_per_mmbtu"] == pytest.approx(0.01)
    assert row["nox_estimate_ap42_lb"] == pytest.approx(118.8)
    assert row["nox_ratio_ap42"] == pytest.approx(0.01 / 0.099)


DAILY = ["Facility ID", "Unit ID", "Facility Name", "Date", "Sum of the Operating Time", "Heat Input (mmBtu)",
         "NOx Mass (short tons)", "SO2 Mass (short tons)", "CO2 Mass (short tons)", "Primary Fuel Type", "Unit Type",
         "NOx Controls"]


def _day(date, op="24", heat="9600", nox="0.05"):
    idle = op == "0"
    return {"Facility ID": "55", "Unit ID": "GT1", "Facility Name": "Test", "Date": date, "Sum of the Operating Time": op,
            "Heat Input (mmBtu)": heat, "NOx Mass (short tons)": nox, "SO2 Mass (short tons)": "0" if idle else "0.003",
            "CO2 Mass (short tons)": "0" if idle else "570", "Primary Fuel Type": "Pipeline Natural Gas", "Unit Type": "Combustion turbine",
            "NOx Controls": "Dry Low NOx Burners"}


def test_a_period_the_rows_cover_in_part_is_flagged_in_every_format(tmp_path):
    # a daily export of June 2024 whole (30 days, two at 0 h: idle, said) and July 1-10 (10 of 31 days): by month, June
    # is complete and July partial, 10 of 31 days; by year, 2024 is 40 of 366 days. The sums stay as read: July's NOx
    # 10 x 0.05 t = 0.5 t = 1,000 lb (a lower bound for the month, said, never scaled up)
    rows = [_day(f"2024-06-{d:02d}", *(("0", "0", "0") if d in (1, 2) else ())) for d in range(1, 31)]
    rows += [_day(f"2024-07-{d:02d}") for d in range(1, 11)]
    log = _write(tmp_path / "d.csv", DAILY, rows)
    r = CliRunner().invoke(cli, ["measured", log, "--period", "month", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    june, july = doc["rows"]
    assert (june["period"], june["period_complete"], june["period_logged"], june["period_of"]) == ("2024-06", True, 30, 30)
    assert (july["period"], july["period_complete"], july["period_logged"], july["period_of"], july["period_by"]) == \
        ("2024-07", False, 10, 31, "days")
    assert july["nox_lb"] == pytest.approx(1000)
    assert any(n.startswith("55/GT1 2024-07: only 10 of its 31 days have a row (a partial period)") for n in doc["notes"])
    assert not any("2024-06" in n for n in doc["notes"])
    year = json.loads(CliRunner().invoke(cli, ["measured", log, "--format", "json"]).stdout)["rows"][0]
    assert (year["period_complete"], year["period_logged"], year["period_of"]) == (False, 40, 366)
    r = CliRunner().invoke(cli, ["measured", log, "--period", "month", "--format", "csv"])
    flat = list(csv.DictReader(r.stdout.splitlines()))
    assert [x["period_complete"] for x in flat] == ["True", "False"] and flat[1]["period_logged"] == "10"
    assert "55/GT1 2024-07: 10 of 31 days" in r.stderr
    r = CliRunner().invoke(cli, ["measured", log, "--period", "month"])
    said = " ".join(r.stdout.split())
    assert "55/GT1 Test 2024-07 *" in said and "2024-06 *" not in said  # (Test: the export's Facility Name)
    assert "* a partial period: its rows cover only part of it (each said below)" in said
    assert "55/GT1 2024-07: only 10 of its 31 days have a row" in said


def test_an_hourly_export_counts_hours_and_annual_and_egrid_rows_are_whole_years(tmp_path):
    # three hours of 2024-07-01 by month: 3 of 744 hours; an eGRID row is a year's totals, whole
    log = _write(tmp_path / "h.csv", HOURLY, [_hour(h, "400", "4", "23.78") for h in (0, 1, 2)])
    row = json.loads(CliRunner().invoke(cli, ["measured", log, "--period", "month", "--format", "json"]).stdout)["rows"][0]
    assert (row["period_complete"], row["period_logged"], row["period_of"], row["period_by"]) == (False, 3, 744, "hours")
    rows = json.loads(CliRunner().invoke(cli, ["measured", str(ROOT / "examples" / "egrid-units-2021.csv"),
                                               "--format", "json"]).stdout)["rows"]
    assert rows and all(r["period_complete"] is True and r["period_logged"] is None for r in rows)


def test_fractional_operating_hours_are_shown_as_read(tmp_path):
    # two hours run 1.00 and 0.50 of the hour, one 1.00: 2.5 operating hours. The table printed '2' (2.5 formatted
    # with no decimals, rounded half to even); a reader adding the hours gets 2.5, so it shows 2.50.
    rows = [_hour(0, "400", "4", "23.78"), {**_hour(1, "200", "2", "11.89"), "Operating Time": "0.50"},
            _hour(2, "400", "4", "23.78")]
    r = CliRunner().invoke(cli, ["measured", _write(tmp_path / "h.csv", HOURLY, rows)], env={"COLUMNS": "100"})
    assert r.exit_code == 0, r.stderr
    read = next(line for line in r.stdout.splitlines() if line.strip().startswith("55/GT1") and "2024" in line)
    assert read.split()[-2:] == ["2.50", "1,000"]  # ... class, hours, MMBtu (400 + 200 + 400)


def test_the_table_names_each_units_facility_beside_its_ids():
    # '3/6A' is EPA's plant code and unit id: the eGRID row names the plant (pname 'Barry'), which a reader knows; at
    # 80 columns it is in the first table, at 60 it is left out with a note saying so, as a secondary column
    from emiss.report import render
    from emiss.report.measured import compare_view
    from emiss.analysis.measured import compare, read

    accs, notes = read([str(ROOT / "examples" / "egrid-units-2021.csv")])
    rows, more = compare(accs)
    view = compare_view(rows, notes + more)
    wide = render.view_text(view, render.Terminal(width=80))
    first = wide[:wide.index("NOx, lb/MMBtu")]
    barry = [line.split() for line in first.splitlines() if line.strip().startswith("3/6A")]
    assert barry == [["3/6A", "Barry", "eGRID", "dry-low-nox+scr", "7,152", "12,662,305"]]
    assert "Smith Generating" in first and max(map(len, wide.splitlines())) <= 80
    narrow = render.view_text(view, render.Terminal(width=60))
    assert "Barry" not in narrow and "(Left out to fit 60 columns: facility;" in " ".join(narrow.split("\n"))


def _campd_hourly(path, hours):
    """Write a CAMPD hourly export of one unit on 2024-01-05: each hour 1 h at 150 MMBtu and 10 lb of NOx."""
    import csv

    from emiss.analysis.logs import CAMPD_HOURLY_EXPORT

    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, CAMPD_HOURLY_EXPORT, restval="")
        w.writeheader()
        for h in hours:
            w.writerow({"State": "TN", "Facility Name": "X", "Facility ID": "1", "Unit ID": "CT1", "Date": "2024-01-05",
                        "Hour": h, "Operating Time": "1.00", "Heat Input (mmBtu)": "150.0", "NOx Mass (lbs)": "10.0",
                        "SO2 Mass (lbs)": "0.1", "CO2 Mass (short tons)": "8.9", "Unit Type": "Combustion turbine"})
    return str(path)


@pytest.mark.parametrize("hour", ["²", "١"])  # a superscript two: str.isdigit() says yes, int() raised ValueError;
def test_an_hour_not_written_with_0_9_is_refused_as_an_hour(run, tmp_path, hour):  # an Arabic-Indic one was hour 1
    path = _campd_hourly(tmp_path / "campd.csv", ["0", hour])
    for command in (("measured", path), ("track", path, "--limit", "nox=87 tpy")):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), (command, err)
        assert err.strip().splitlines() == [f"Error: {path} line 3: hour '{hour}' must be 0-23"], command


def test_an_hourly_export_still_keys_each_hour_and_counts_a_repeat_once(run_json, tmp_path):
    # hours 0, 1 and 1 again (every cell equal): 2 h read, 2 x 150 = 300 MMBtu, 2 x 10 = 20 lb of NOx
    row = run_json("measured", _campd_hourly(tmp_path / "campd.csv", ["0", "1", "1"]))["rows"][0]
    assert (row["heat_input_mmbtu"], row["nox_lb"]) == (300.0, 20.0)


def test_measured_tables_say_which_columns_are_estimates(run):
    code, out, err = run("measured", "examples/egrid-units-2021.csv", "--format", "markdown")
    assert code == 0, err
    heads = [[c.strip() for c in line.strip("|").split("|")] for line in out.splitlines() if line.startswith("| unit")]
    assert heads[0] == ["unit", "facility", "period", "class", "hours", "MMBtu"]
    assert heads[1][2:] == ["measured", "est. AP-42", "est. P50", "/AP-42", "/P50"]  # NOx
    assert heads[2][2:] == ["measured", "est. Part 98", "/Part 98"] and heads[3][2:] == ["measured", "est. AP-42", "/AP-42"]


@pytest.mark.parametrize("width", [100, 80])
def test_measured_headings_fit_on_one_line(run, monkeypatch, width):
    # ten columns in one table wrapped their headings at 100 columns ('est.' over 'AP-42') and a class mid-word
    # ('water-st' over 'eam'); one table per question fits 80: each heading row holds every heading, whole
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run("measured", "examples/egrid-units-2021.csv")
    assert code == 0, err
    heads = [line.split("   ") for line in out.splitlines() if line.startswith("  unit ")]
    assert [[h.strip() for h in x if h.strip()] for x in heads] == [
        ["unit", "facility", "period", "class", "hours", "MMBtu"], ["unit", "period", "measured", "est. AP-42", "est. P50", "/AP-42", "/P50"],
        ["unit", "period", "measured", "est. Part 98", "/Part 98"], ["unit", "period", "measured", "est. AP-42", "/AP-42"]]
    assert "water-steam+scr" in out.split() and max(len(line) for line in out.splitlines() if "──" not in line) <= width


def test_measured_at_60_columns_leaves_out_the_second_basis_and_says_so(run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    code, out, err = run("measured", "examples/egrid-units-2021.csv")
    assert code == 0, err
    nox = out.split("NOx, lb/MMBtu (HHV): measured beside estimated")[1].split("CO2, lb/MMBtu")[0]
    head = next(line for line in nox.splitlines() if line.startswith("  unit "))
    assert head.split() == ["unit", "period", "measured", "est.", "AP-42", "/AP-42"] and "unit: " not in out
    assert "Left out to fit 60 columns: the P50 (measured-class) estimate and ratio" in " ".join(nox.split())
