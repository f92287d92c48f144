"""Operating logs and EPA exports as track and measured read them (emiss.analysis.logs): blank cells,
hours a month cannot hold, columns in other spellings, rows longer than the header, dates no calendar has or in
the future, one operation in two exports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from emiss.cli import cli


# 1,000 lb of NOx a month = 0.5 short tons (2,000 lb a ton); twelve such months = 6 t, far under a 17 t cap.
LB = 1000


def _year(blank_month: int, blank_row: str) -> str:
    rows = ["date,unit,hours,heat_input_mmbtu,nox_lb"]
    for m in range(1, 13):
        rows.append(f"2024-{m:02d},CT-1,{blank_row}" if m == blank_month else f"2024-{m:02d},CT-1,300,120000,{LB}")
    return "\n".join(rows) + "\n"


def test_a_blank_row_in_a_log_is_not_taken_as_a_month_without_operation(track_log):
    # 2024-06's row has every cell blank: nothing says the unit stood idle. 11 months x 0.5 t = 5.5 t is a lower
    # bound, so the window ending 2024-12 is unknown against a 17 t cap. It was 'not operating', 0 t, a complete
    # window and crossed false: a blank taken as zero.
    code, out, err = track_log(_year(6, ",,"), "--limit", "nox=17 tpy", "--format", "csv")
    assert code == 0
    last = out.strip().splitlines()[-1].split(",")
    assert last[:3] == ["facility", "nox", "2024-12"] and float(last[5]) == 5.5
    assert last[7] == "False" and last[10] == "unknown"  # 10: crossed (tons_unit after it)
    # an explicit 0 h with blank amounts is a month the unit did not run: the same window is complete and under
    code, out, _ = track_log(_year(6, "0,,"), "--limit", "nox=17 tpy", "--format", "csv")
    last = out.strip().splitlines()[-1].split(",")
    assert code == 0 and float(last[5]) == 5.5 and last[7] == "True" and last[10] == "False"


def test_a_blank_operating_time_beside_measured_pounds_is_counted(track_log):
    # hours blank, 120,000 MMBtu and 1,000 lb given: the unit ran; its 0.5 t count (12 x 0.5 = 6 t), and the log is
    # not said to contradict itself ('the operating time is 0' was the error, though no 0 was written).
    code, out, err = track_log(_year(6, f",120000,{LB}"), "--limit", "nox=17 tpy", "--format", "csv")
    assert code == 0 and "contradicts" not in err
    last = out.strip().splitlines()[-1].split(",")
    assert float(last[5]) == 6.0 and last[10] == "False"


def test_heat_input_in_a_month_of_zero_hours_is_refused(track_log):
    # 0 h but 1,000 MMBtu burned: the heat input was dropped as 'not operating'; pounds in the same case were refused
    code, out, err = track_log("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,0,1000,\n",
                            "--limit", "nox=17 tpy")
    assert code == 1 and out == ""
    assert "line 2: heat_input_mmbtu is 1000 but the operating time is 0: the log contradicts itself" in err


def test_more_operating_hours_than_the_month_holds_are_refused(track_log):
    # May has 31 x 24 = 744 h; 900 h in it is a typo (or minutes), not an operation
    code, out, err = track_log("date,unit,hours,nox_lb\n2024-04,CT-1,720,10\n2024-05,CT-1,900,10\n",
                            "--limit", "nox=17 tpy")
    assert code == 1 and out == ""
    assert "line 3: CT-1 2024-05: 900 operating hours in a month of 744 h" in err
    # a day's row holds at most 24 h, an hour's row 1 h (CAMPD's 'Operating Time' is a fraction of the hour)
    code, _, err = track_log("date,unit,hours,nox_lb\n2024-05-01,CT-1,24,10\n2024-05-02,CT-1,30,10\n")
    assert code == 1 and "line 3: hours 30 is more than the 24 h the row covers" in err
    code, _, err = track_log("date,unit,hours,nox_lb\n2024-05-01 03:00,CT-1,60,10\n")
    assert code == 1 and "line 2: hours 60 is more than the 1 h the row covers" in err
    # exactly the month's hours is allowed: 720 h in April (30 days)
    code, _, err = track_log("date,unit,hours,nox_lb\n2024-04,CT-1,720,10\n")
    assert code == 0, err


EGRID = "examples/egrid-units-2021.csv"


def _egrid_row(tmp_path, old, new, line=3):
    # line 3 of the example is Barry 3/6B: 7,376 h, 13,462,746.075 MMBtu, NOx 59.64 short tons = 119,280 lb
    lines = open(EGRID, encoding="utf-8").read().splitlines()
    assert f",{old}," in lines[line - 1]
    p = tmp_path / "e.csv"
    p.write_text(lines[0] + "\n" + lines[line - 1].replace(f",{old},", f",{new},", 1) + "\n")
    r = CliRunner().invoke(cli, ["measured", str(p), "--format", "csv"])
    import csv
    import io

    return r.exit_code, list(csv.DictReader(io.StringIO(r.stdout))), r.stderr


def test_measured_keeps_a_unit_whose_operating_hours_are_blank(tmp_path):
    # hrsop blank: the unit's 13.46 million MMBtu and 119,280 lb of NOx were dropped as 'not operating' (0 MMBtu,
    # no NOx, no estimate). They are measured: 119,280 / 13,462,746.075 = 0.0088600 lb/MMBtu.
    code, rows, err = _egrid_row(tmp_path, "7376", "")
    assert code == 0, err
    (row,) = rows
    assert float(row["heat_input_mmbtu"]) == 13_462_746.075 and float(row["nox_lb"]) == 59.64 * 2000
    assert float(row["nox_lb_per_mmbtu"]) == pytest.approx(119_280 / 13_462_746.075, rel=1e-12)
    assert row["nox_estimate_ap42_lb"] != ""  # 0.099 lb/MMBtu (lean-premix) x 13,462,746 = 1,332,812 lb
    assert float(row["nox_estimate_ap42_lb"]) == pytest.approx(0.099 * 13_462_746.075)
    out = CliRunner().invoke(cli, ["measured", str(tmp_path / "e.csv")]).stdout
    assert "1 row(s) with the operating time blank" in " ".join(out.split())


def test_measured_refuses_heat_input_in_a_row_of_zero_hours(tmp_path):
    code, rows, err = _egrid_row(tmp_path, "7376", "0")
    assert code == 1 and rows == []
    assert "line 2: htian is 13462746.075 but the operating time is 0: the file contradicts itself" in err


@pytest.mark.parametrize("column", ["nox_lbs", "NOx (lb)", "nox_tons", "co2_short_tons"])
def test_a_measured_column_in_another_spelling_is_refused_not_passed_over(track_log, column):
    # 'nox_lbs' = 1,000 lb measured was passed over and NOx estimated from the preset instead: 300 h of one SMT-130
    # (171.87 MMBtu/h x 0.029107 lb/MMBtu = 5.0026 lb/h) = 1,500.8 lb, 0.750 t, called 'estimated', no word of the 1,000
    code, out, err = track_log(f"date,unit,hours,{column}\n2025-01,Solar SMT-130 turbines#1,300,1000\n",
                            "--preset", "memphis", "--limit", "nox=87 tpy")
    assert code == 1 and out == ""
    assert f"log.csv: column '{column.lower()}' is not read: measured " in err and "_lb', in pounds" in err


def test_other_columns_of_a_plain_log_are_still_allowed(track_log):
    # a note column, or 'comment' (which begins like 'co'), names no pollutant: 1,000 lb = 0.5 t
    code, out, err = track_log("date,unit,hours,nox_lb,comment,notes\n2025-01,A,300,1000,x,y\n",
                            "--limit", "nox=87 tpy", "--format", "csv")
    assert code == 0, err
    assert out.strip().splitlines()[-1].split(",")[3] == "0.5"


def test_a_day_given_whole_and_by_hour_is_refused_not_counted_twice(track_log):
    # 2024-05-01 as a day (24 h, 10 lb) and its 03:00 hour (1 h, 10 lb): both were summed, 25 h and 20 lb in one day
    code, out, err = track_log("date,unit,hours,nox_lb\n2024-05-01,A,24,10\n2024-05-01 03:00,A,1,10\n")
    assert code == 1 and out == ""
    assert "line 3: A 2024-05-01 is given both as a whole day and by hour; give one or the other" in err
    code, _, err = track_log("date,unit,hours,nox_lb\n2024-05-01 03:00,A,1,10\n2024-05-01,A,20,10\n")
    assert code == 1 and "line 3: A 2024-05-01 is given both as a whole day and by hour" in err
    # two different days, or two hours of one day, are fine: 10 + 10 lb = 0.01 t
    code, out, err = track_log("date,unit,hours,nox_lb\n2024-05-01 03:00,A,1,10\n2024-05-01 04:00,A,1,10\n"
                                      "2024-05-02,A,20,0\n", "--format", "csv")
    assert code == 0, err
    assert out.strip().splitlines()[-1].split(",")[3] == "0.01"


def _campd(tmp_path):
    # unit 7/CT1 on 2024-01-01: two hourly rows of 100 MMBtu and 10 lb NOx; the daily and annual exports give the same
    # operation as 200 MMBtu and 0.01 short tons = 20 lb. Any two of them were summed: 400 MMBtu, 40 lb.
    import csv

    from emiss.analysis.logs import CAMPD_ANNUAL, CAMPD_DAILY, CAMPD_HOURLY_EXPORT

    common = {"Facility ID": 7, "Unit ID": "CT1", "Facility Name": "X", "Unit Type": "Combustion turbine",
              "Primary Fuel Type": "Pipeline Natural Gas", "NOx Controls": "Dry Low NOx Burners"}
    with open(tmp_path / "h.csv", "w", newline="") as f:
        w = csv.DictWriter(f, list(CAMPD_HOURLY_EXPORT), restval="")
        w.writeheader()
        for h in range(2):
            w.writerow({**common, "Date": "2024-01-01", "Hour": h, "Operating Time": "1.00", "Heat Input (mmBtu)": 100,
                        "NOx Mass (lbs)": 10, "NOx Mass Measure Indicator": "Measured"})
    for name, cols, date in (("d", CAMPD_DAILY, "2024-01-01"), ("a", CAMPD_ANNUAL, "2024")):
        header = list(cols) + ["Unit Type", "Primary Fuel Type", "NOx Controls", "Facility Name"]
        with open(tmp_path / f"{name}.csv", "w", newline="") as f:
            w = csv.DictWriter(f, header, restval="", extrasaction="ignore")
            w.writeheader()
            w.writerow({**common, "Date": date, "Year": date, "Sum of the Operating Time": 2, "Heat Input (mmBtu)": 200,
                        "NOx Mass (short tons)": 0.01})
    return tmp_path


@pytest.mark.parametrize("files, says", [
    (("h.csv", "d.csv"), "d.csv line 2: 7/CT1 2024-01-01 is in both a daily and an hourly export"),
    (("d.csv", "h.csv"), "h.csv line 2: 7/CT1 2024-01-01 is in both a daily and an hourly export"),
    (("h.csv", "a.csv"), "a.csv line 2: 7/CT1 2024 is in both an annual export and a daily or hourly one"),
    (("a.csv", "d.csv"), "d.csv line 2: 7/CT1 2024 is in both an annual export and a daily or hourly one"),
])
def test_measured_refuses_one_operation_in_two_exports(tmp_path, files, says):
    d = _campd(tmp_path)
    r = CliRunner().invoke(cli, ["measured", *(str(d / f) for f in files), "--format", "csv"])
    assert r.exit_code == 1 and r.stdout == "" and says in r.stderr and "counted twice" in r.stderr


@pytest.mark.parametrize("f", ["h.csv", "d.csv", "a.csv"])
def test_each_export_alone_gives_the_same_measured_total(tmp_path, f):
    import csv
    import io

    d = _campd(tmp_path)
    r = CliRunner().invoke(cli, ["measured", str(d / f), "--format", "csv"])
    assert r.exit_code == 0, r.stderr
    (row,) = list(csv.DictReader(io.StringIO(r.stdout)))
    assert float(row["heat_input_mmbtu"]) == 200 and float(row["nox_lb"]) == 20 and float(row["operating_hours"]) == 2


def test_track_refuses_a_day_in_an_hourly_and_a_daily_export_naming_the_unit_as_it_prints_it(tmp_path):
    # the same day in both exports was summed twice (40 lb for 20); the unit is '7/CT1', not "('7', 'CT1')"
    d = _campd(tmp_path)
    r = CliRunner().invoke(cli, ["track", str(d / "h.csv"), str(d / "d.csv")])
    assert r.exit_code == 1 and r.stdout == ""
    assert "d.csv line 2: 7/CT1 2024-01-01 is given both as a whole day and by hour; give one or the other" in r.stderr


def test_a_month_no_unit_logged_shows_no_tons_in_the_table(track_log):
    # 2024-02 has no row: a gap, not a month of 0.000 tons (its 12-month sum still counts January's 0.5 t)
    code, out, _ = track_log("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,300,120000,1000\n"
                                    "2024-03,CT-1,300,120000,1000\n")
    feb = next(line.split() for line in out.splitlines() if line.strip().startswith("2024-02"))
    assert code == 0 and feb[:4] == ["2024-02", "-", "gap", "0.500"]


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


# memphis' NOx rate, the same for its two groups: 7.9 ppmvd@15%O2 calibrated to 0.0291067 lb/MMBtu HHV (the preset)
MEMPHIS_NOX_LB_PER_MMBTU = 0.029106684943275545


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


def test_a_unit_number_not_written_with_0_9_is_not_described_by_the_preset(run, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("date,unit,hours,nox_lb\n2025-08,Solar SMT-130 turbines#²,5,\n", encoding="utf-8")
    code, out, err = run("track", str(path), "--preset", "memphis-2025-permit")
    assert (code, out) == (1, "") and "Traceback" not in err
    assert "unit 'Solar SMT-130 turbines#²' is not described by the preset" in err


def _today():
    import datetime

    return datetime.datetime.now(datetime.timezone.utc).date()


PLAIN_LOG = "date,unit,hours,heat_input_mmbtu,nox_lb\n{date},CT-1,3,1200,10\n"


def _months_ahead(n: int) -> str:
    t = _today()
    index = t.year * 12 + t.month - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def test_a_log_dated_in_the_future_is_refused(run, tmp_path):
    # a month to come ('2099-01', '2052' for '2025') was summed as logged: 0.005 t of NOx 'measured' in 2099-01
    today = _today()
    for date in (_months_ahead(1), "2099-01", f"{_months_ahead(1)}-01", "2199-12-31"):
        log = tmp_path / "log.csv"
        log.write_text(PLAIN_LOG.format(date=date))
        code, out, err = run("track", str(log), "--limit", "nox=87 tpy")
        assert (code, out) == (1, ""), date
        assert err == (f"Error: {log} line 2: date '{date}' is in the future (today is {today:%Y-%m-%d}, UTC): a log "
                       "records what has happened\n")
    for date in (_months_ahead(0), _months_ahead(-1), f"{today:%Y-%m-%d}"):  # this month and today are logs' own
        log.write_text(PLAIN_LOG.format(date=date))
        assert run("track", str(log), "--limit", "nox=87 tpy")[0] == 0, date


ANNUAL = ("Facility ID,Unit ID,Year,Sum of the Operating Time,Heat Input (mmBtu),NOx Mass (short tons),"
          "SO2 Mass (short tons),CO2 Mass (short tons)\n3,6A,{year},7000,1.2e7,50,3,700000\n")


@pytest.mark.parametrize(("year", "says"), [
    # none was read: each was a period of its own, its operating time bounded by a year of 8,784 h
    ("abcd", "year 'abcd' must be YYYY, 1900 to 2200"),
    ("23", "year '23' must be YYYY, 1900 to 2200"),
    ("2099", "year '2099' is in the future (today is {today}, UTC): a log records what has happened"),
])
def test_an_annual_exports_year_is_read_as_a_year(run, tmp_path, year, says):
    path = tmp_path / "annual.csv"
    path.write_text(ANNUAL.format(year=year))
    code, out, err = run("measured", str(path))
    assert (code, out) == (1, "")
    assert err == f"Error: {path} line 2: {says.format(today=f'{_today():%Y-%m-%d}')}\n"
    path.write_text(ANNUAL.format(year="2023"))
    doc = __import__("json").loads(run("measured", str(path), "--format", "json")[1])
    assert [(r["period"], r["heat_input_mmbtu"]) for r in doc["rows"]] == [("2023", 1.2e7)]


def test_a_days_row_dated_with_a_time_says_why_it_is_an_hours(run, tmp_path):
    # a Parquet timestamp (pandas' datetime64) or a spreadsheet writes a day as '2024-01-05 00:00:00', which a plain
    # log reads as that day's hour 0: 10 h was refused as 'more than the 1 h the row covers', which no day is
    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01-05 00:00:00,CT-1,10,1000,10\n")
    code, out, err = run("track", str(log), "--limit", "nox=87 tpy")
    assert (code, out) == (1, "")
    assert err == (f"Error: {log} line 2: hours 10 is more than the 1 h the row covers (its date '2024-01-05 00:00:00' "
                   "names an hour; a day's row is dated YYYY-MM-DD, a month's YYYY-MM)\n")


def test_a_group_logged_whole_reads_its_hours_as_unit_hours_and_says_so(run, tmp_path):
    # A row under a [[fleet]] group's bare name sums its units: its hours were read as unit-hours (one unit's rate), not
    # said, and bounded as one unit's: 15 SMT-130 x 600 h = 9,000 unit-hours was refused as 'a unit cannot run longer
    # than the month' (744 h), while 600 h read as 40 h a unit without a word
    import json

    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    g = estimate(scenario_from("memphis-2025-permit")).groups[0]
    per_unit_lb_h = g.lb_per_hour["nox"] / g.count  # one SMT-130 at the preset's load
    name = "Solar SMT-130 turbines"
    log = tmp_path / "log.csv"
    for hours in (600, 9000):
        log.write_text(f"date,unit,hours\n2025-01,{name},{hours}\n")
        code, out, err = run("track", str(log), "--preset", "memphis-2025-permit", "--format", "json")
        assert code == 0, err
        doc = json.loads(out)
        (tons,) = [r["tons"] for r in doc["rows"] if r["unit"] == "facility" and r["pollutant"] == "nox"]
        assert tons == pytest.approx(hours * per_unit_lb_h / 2000, rel=1e-9)  # unit-hours x one unit's lb/h, in tons
        assert (f"{name}: logged whole, the 15 units of its [[fleet]] group together: its operating hours are unit-hours, "
                f"the sum over its units ({hours:,} h in all, {hours // 15} h a unit on average), and what they give is "
                f"estimated at one unit's rate; name each unit '{name}#k' to log it on its own") in doc["notes"]
    log.write_text(f"date,unit,hours\n2025-01,{name},12000\n")  # more than 15 x 744 = 11,160 unit-hours
    code, out, err = run("track", str(log), "--preset", "memphis-2025-permit")
    assert (code, out) == (1, "")
    assert err == (f"Error: {log} line 2: {name} 2025-01: 12,000 operating hours in a month of 744 h for its 15 units "
                   "logged whole (11,160 unit-hours); its units cannot run longer than the month\n")
    log.write_text(f"date,unit,hours\n2025-01,{name}#1,600\n")  # one unit: no such note
    assert not [n for n in json.loads(run("track", str(log), "--preset", "memphis-2025-permit", "--format", "json")[1])
                ["notes"] if "logged whole" in n]
