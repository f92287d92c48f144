"""Second review: batch, track, measured and cluster answers that were silently wrong or easy to misread."""

from __future__ import annotations

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


def test_the_last_column_of_a_track_table_is_never_cropped_at_80_columns(tmp_path):
    # 2024-05: 2e8 lb = 100,000 short tons, a wide sum and margin (1e9 lb before s11; now beyond what a unit can
    # emit in May, 10 lb/MMBtu x 30,000 MMBtu/h x 744 h = 2.232e8 lb); at 80 columns rich drew the table 80 wide and cut
    # its last column: 'cros' over 'unkn' and 'yes' — the verdict itself. It is now stacked, each verdict whole.
    p = tmp_path / "wide.csv"
    p.write_text("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,300,120000,1000\n2024-02,CT-1,280,112000,500\n"
                 "2024-04,CT-1,0,,\n2024-05,CT-1,700,2e7,2e8\n")
    r = CliRunner().invoke(cli, ["track", str(p), "--limit", "nox=17 tpy"], env={"COLUMNS": "80"})
    assert r.exit_code == 3
    words = r.stdout.split()
    assert "unkn" not in words and "cros" not in words
    # 2024-01..04 are unknown (under the cap, before 12 months of log), 2024-05 crossed: 1,000 + 500 + 2e8 lb > 17 t
    assert words.count("unknown") >= 4 and "yes" in words
    assert all(len(x) <= 80 for x in r.stdout.splitlines())


def _batch(lines, *args, only="nox"):
    r = CliRunner().invoke(cli, ["batch", "--format", "csv", "--only", only, "-q", *args], input="\n".join(lines) + "\n")
    import csv
    import io

    return r.exit_code, list(csv.DictReader(io.StringIO(r.stdout))), r.stderr


def test_a_record_setting_its_one_group_twice_is_an_error_not_a_silent_choice():
    # turbines 3 x 10 MW beside fleet.1.count 6: the record's one group got 6 units, 60 MW, and no word of the 3.
    code, rows, err = _batch([
        '{"id": "a", "turbines": 3, "capacity": "10 MW", "fleet.1.count": 6}',
        '{"id": "b", "turbines": 3, "capacity": "10 MW", "fleet.1.capacity": "20 MW"}',
        '{"id": "c", "turbines": 3, "capacity": "10 MW", "heat_rate": "9000 Btu/kWh", "fleet.1.heat_rate": "12000 Btu/kWh"}',
        '{"id": "d", "preset": "memphis", "fleet.1.count": 6, "group.Solar SMT-130 turbines.count": 5}',
        '{"id": "ok", "turbines": 3, "capacity": "10 MW"}',
    ])
    assert code == 1
    by = {r["id"]: r for r in rows}
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", "ok"]  # no row dropped
    assert by["a"]["capacity_mw"] == "" and "record 1 (id a): fleet.1.count: " in by["a"]["error"]
    assert "already sets" in by["a"]["error"] and "turbines" in by["a"]["error"]
    assert "record 2 (id b): fleet.1.capacity: " in by["b"]["error"] and by["b"]["capacity_mw"] == ""
    assert "record 3 (id c): fleet.1.heat_rate: " in by["c"]["error"]
    assert "record 4 (id d): group.Solar SMT-130 turbines.count: " in by["d"]["error"] and "fleet.1.count" in by["d"]["error"]
    assert float(by["ok"]["capacity_mw"]) == 30.0 and by["ok"]["error"] == ""  # 3 x 10 MW
    lines = err.splitlines()  # one line per bad record, then the closing count
    assert len(lines) == 5 and all(x.startswith("Error: record ") for x in lines[:4])
    assert lines[4] == "Error: batch: 4 of 5 record(s) failed (see the messages above)"


def test_a_group_value_beside_a_value_for_several_groups_still_refines_it():
    # memphis: heat_rate 9,000 Btu/kWh for both groups, the gensets' (group 2) 8,000: more specific, not twice.
    # 4 x 16 MW x 9,000 + 14 x 2.5 MW x 8,000 = 856,000 kWh/h x 1.108 x 8,760 h = 8,308,404.48 MMBtu (HHV)
    code, rows, _ = _batch(['{"id": "h", "preset": "memphis", "heat_rate": "9000 Btu/kWh", "fleet.2.heat_rate": "8000 Btu/kWh"}',
                            '{"id": "e", "turbines": 3, "capacity": "10 MW", "factor.nox": "0.1 lb/MMBtu", '
                            '"fleet.1.factor.nox": "0.2 lb/MMBtu"}'])
    assert code == 0
    assert float(rows[0]["heat_input_mmbtu_yr"]) == pytest.approx(856_000 * 1.108 * 8760 / 1000, rel=1e-12)
    # a group's own factor wins over the fleet's: 30 MW x 8,760 h x the default heat rate; 0.2 lb/MMBtu of it
    assert float(rows[1]["nox_short_ton_yr"]) == pytest.approx(float(rows[1]["heat_input_mmbtu_yr"]) * 0.2 / 2000)


def test_a_frame_row_without_the_group_value_is_not_called_a_second_setting():
    # pandas stores None as NaN in a float column: that row's error is still the NaN one, not 'already sets'
    import pandas as pd

    import emiss

    out = emiss.estimate_frame(pd.DataFrame({"id": ["a", "i"], "turbines": [3, 3], "capacity": ["10 MW", "10 MW"],
                                             "fleet.1.count": pd.array([6, None], dtype="Int64")}), only=["nox"])
    assert "already sets" in out["error"][0] and out["error"][1] is None and out["capacity_mw"][1] == 30.0
    out = emiss.estimate_frame(pd.DataFrame({"id": ["i"], "turbines": [3], "capacity": ["10 MW"],
                                             "fleet.1.count": [float("nan")]}), only=["nox"])
    assert out["error"][0] == "fleet.1.count: 'nan' is not a whole number of units"


def test_the_flags_say_they_judge_the_operation_given_not_the_potential_to_emit():
    # memphis at 3,000 h: CO 172.8 tpy, under PSD's 250; every hour (its PTE) 172.8 x 8,760 / 3,000 = 504.5 tpy, above.
    # above_psd is false (the hours given, as estimate's screening), but the help said the flags were the PTE's.
    code, rows, _ = _batch(['{"id": "m", "preset": "memphis", "hours": "3000 h"}'], "--flags", only="co")
    co = float(rows[0]["co_short_ton_yr"])
    assert code == 0 and 172 < co < 250 < co * 8760 / 3000
    assert rows[0]["above_psd"] == "False" and rows[0]["above_title_v"] == "True"  # CO 172.8 > 100
    text = " ".join(CliRunner().invoke(cli, ["batch", "--help"], env={"COLUMNS": "200"}).stdout.split())
    assert "the potential to emit as its enforceable limits cap it" not in text
    assert "the operation the record gives, as enforceable limits cap it" in text


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


def test_a_bound_met_only_at_the_published_precision_is_not_said_to_be_passed():
    # memphis-2025-permit: 15 x 16.47 MW = 247.05 MW against 'at most 247 MW': it holds at the figure's precision,
    # but the reason read 'emiss gives 247.1 MW, 0.0500 MW (+0.0 %) above the bound' beside 'holds'.
    import json

    r = CliRunner().invoke(cli, ["check", "--preset", "memphis-2025-permit", "--format", "json"])
    assert r.exit_code == 0
    claim = next(c for c in json.loads(r.stdout)["presets"][0]["claims"] if c["output"] == "capacity")
    assert claim["kind"] == "at-most" and claim["verdict"] == "holds"
    assert claim["estimate"]["value"] == pytest.approx(15 * 16.47)
    # (a capacity in the digits its ratings carry: 247.05 and 0.05 MW, where human()'s four figures wrote 247.1 and 0.0500)
    assert claim["why"] == "emiss gives 247.05 MW, at the bound at the published figure's precision (0.05 MW above it)"
    # a bound passed by a clear margin still says so: memphis's 99 MW against 'at least 35 MW', 64 MW above
    r = CliRunner().invoke(cli, ["check", "--preset", "memphis", "--format", "json"])
    claim = next(c for c in json.loads(r.stdout)["presets"][0]["claims"] if c["output"] == "capacity")
    assert claim["why"] == "emiss gives 99 MW, 64 MW (+182.9 %) above the bound"


def test_a_month_no_unit_logged_shows_no_tons_in_the_table(track_log):
    # 2024-02 has no row: a gap, not a month of 0.000 tons (its 12-month sum still counts January's 0.5 t)
    code, out, _ = track_log("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,300,120000,1000\n"
                                    "2024-03,CT-1,300,120000,1000\n")
    feb = next(line.split() for line in out.splitlines() if line.strip().startswith("2024-02"))
    assert code == 0 and feb[:4] == ["2024-02", "-", "gap", "0.500"]
