"""emiss track: 12-month rolling sums from logs summed by hand, gaps, duplicates and bad input."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from emiss.analysis.logs import CAMPD_HOURLY_EXPORT
from emiss.analysis.track import Cap, Tracker, month_hours
from emiss.cli import cli
from emiss.errors import InputError

HOURLY = list(CAMPD_HOURLY_EXPORT)


def _months(start_year: int, start_month: int, n: int) -> list[str]:
    out = []
    y, m = start_year, start_month
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _plain(path, rows, header=("date", "unit", "hours", "nox_lb")):
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return str(path)


def _hourly(path, rows, opener=open):
    with opener(path, "wt", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HOURLY)
        for fac, unit, date, hour, op, heat, nox, ind in rows:
            r = dict.fromkeys(HOURLY, "")
            r.update({"Facility ID": fac, "Unit ID": unit, "Date": date, "Hour": hour, "Operating Time": op,
                      "Heat Input (mmBtu)": heat, "NOx Mass (lbs)": nox, "NOx Mass Measure Indicator": ind,
                      "SO2 Mass (lbs)": "", "CO2 Mass (short tons)": ""})
            w.writerow([r[h] for h in HOURLY])
    return str(path)


def _facility(doc, pol="nox"):
    return {r["month"]: r for r in doc["rows"] if r["unit"] == "facility" and r["pollutant"] == pol}


def test_rolling_sums_across_a_year_boundary(tmp_path):
    # months 2023-01 .. 2024-03 (15), month k (1-based) logs 2,000 k lb = k short tons.
    # 2023-12: 1+...+12 = 78; 2024-01: 2+...+13 = 90; 2024-02: 3+...+14 = 102 > 100 (first crossing); 2024-03: 114
    months = _months(2023, 1, 15)
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, 2000 * (k + 1)) for k, m in enumerate(months)])
    tr = Tracker([Cap("nox", 100.0, "100 tpy", "test")])
    tr.add(log)
    doc = tr.result()
    fac = _facility(doc)
    assert [fac[m]["rolling_tons"] for m in ("2023-12", "2024-01", "2024-02", "2024-03")] == [78, 90, 102, 114]
    assert fac["2023-11"]["window_complete"] is False and fac["2023-12"]["window_complete"] is True
    assert fac["2024-01"]["margin_tons"] == 10 and fac["2024-01"]["basis"] == "measured"
    assert doc["first_crossing"] == {"nox": "2024-02"}
    r = CliRunner().invoke(cli, ["track", log, "--limit", "nox=100 tpy", "--format", "json"])
    assert r.exit_code == 3 and "crosses its cap: NOx in 2024-02" in r.stderr  # as the tables name it; JSON keeps "nox"
    assert json.loads(r.stdout)["first_crossing"] == {"nox": "2024-02"}


def test_a_missing_month_is_a_gap_not_a_zero(tmp_path):
    # as above without 2023-06: 2023-12 sums 78 - 6 = 72 and every window holding 2023-06 (to 2024-05) is incomplete
    months = [m for m in _months(2023, 1, 15) if m != "2023-06"]
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, 2000 * int(m[5:]) if m < "2024" else 2000 * (12 + int(m[5:])))
                                        for m in months])
    tr = Tracker([Cap("nox", 100.0, "100 tpy", "test")])
    tr.add(log)
    doc = tr.result()
    fac = _facility(doc)
    assert fac["2023-06"]["basis"] == "gap" and fac["2023-06"]["tons"] is None  # no value: null, not 0
    assert fac["2023-12"]["rolling_tons"] == 72 and fac["2023-12"]["window_complete"] is False
    assert fac["2024-03"]["rolling_tons"] == 114 - 6 and not fac["2024-03"]["window_complete"]
    assert any("1 month(s) with no row" in n and "2023-06" in n for n in doc["notes"])


def test_an_identical_repeated_hour_is_counted_once_and_said(tmp_path):
    # unit 7/CT1 on 2024-01-01: hours 0, 1, 1 again (every cell equal: counted once), 2 -> 10 + 20 + 30 = 60 lb
    # = 0.03 short tons (counted twice it would be 80 lb, 0.04)
    log = _hourly(tmp_path / "h.csv", [(7, "CT1", "2024-01-01", 0, "1.00", 100, 10, "Measured"),
                                       (7, "CT1", "2024-01-01", 1, "1.00", 100, 20, "Measured"),
                                       (7, "CT1", "2024-01-01", 1, "1.00", 100, 20, "Measured"),
                                       (7, "CT1", "2024-01-01", 2, "0.50", 50, 30, "Substitute"),
                                       (7, "CT1", "2024-01-01", 3, "0.00", "", "", "")])
    tr = Tracker([Cap("nox", 1.0, "1 tpy", "test")])
    tr.add(log)
    doc = tr.result()
    assert _facility(doc)["2024-01"]["tons"] == pytest.approx(0.03)
    notes = " ".join(doc["notes"])
    assert "7/CT1: 1 repeated row(s) equal in every cell to an earlier one (a log exported or given twice) counted " \
           "once: 2024-01-01 1h" in notes
    assert "1 hour(s) of NOx are substitute data" in notes  # as the tables name it; the rows keep "nox"
    # January 2024 has 31 x 24 = 744 hours; 4 distinct hours have a row (hour 3's 0 h row counts: it says idle)
    assert "7/CT1 2024-01: 4 of 744 hours logged: month(s) only partly logged are missing data" in notes
    assert month_hours(2024 * 12) == 744


def test_a_blank_measured_value_in_an_operating_hour_is_counted_not_zeroed(tmp_path):
    log = _hourly(tmp_path / "h.csv", [(7, "CT1", "2024-01-01", 0, "1.00", 100, 10, "Measured"),
                                       (7, "CT1", "2024-01-01", 1, "1.00", 100, "", "")])
    tr = Tracker([Cap("nox", 1.0, "1 tpy", "test")])
    tr.add(log)
    doc = tr.result()
    cell = _facility(doc)["2024-01"]
    assert cell["tons"] == pytest.approx(0.005) and not cell["window_complete"]
    assert next(r for r in doc["rows"] if r["unit"] == "7/CT1" and r["pollutant"] == "nox")["basis"] == \
        "measured, 1 operating row(s) blank, 2 of 744 hours logged"


def test_gzip_and_two_units_sum_to_the_facility(tmp_path):
    log = _hourly(tmp_path / "h.csv.gz", [(7, "CT1", "2024-02-01", 5, "1", 10, 100, "Measured"),
                                          (7, "CT2", "2024-02-01", 5, "1", 10, 300, "Measured")], opener=gzip.open)
    tr = Tracker()
    tr.add(log)
    doc = tr.result()
    # 100 + 300 lb = 400 lb = 0.2 short tons
    assert _facility(doc)["2024-02"]["tons"] == pytest.approx(0.2)
    assert doc["files"][0]["layout"] == "campd-hourly"


def test_estimated_from_hours_with_a_preset(tmp_path):
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    sc = scenario_from("memphis-2025-permit")
    g = estimate(sc).groups[0]
    per_unit_lb_h = g.lb_per_hour["nox"] / g.count  # one SMT-130 at the preset's load: lb NOx per operating hour
    log = _plain(tmp_path / "log.csv", [("2025-08", f"{g.name}#2", 500, ""), ("2025-09", f"{g.name}#2", 300, "")],
                 header=("date", "unit", "hours", "co_lb"))
    r = CliRunner().invoke(cli, ["track", log, "--preset", "memphis-2025-permit", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    fac = _facility(doc)
    # 800 h x lb/h / 2,000 lb per short ton
    assert fac["2025-09"]["rolling_tons"] == pytest.approx(800 * per_unit_lb_h / 2000, rel=1e-9)
    unit = {r["month"]: r for r in doc["rows"] if r["unit"] == f"{g.name}#2" and r["pollutant"] == "nox"}
    assert unit["2025-09"]["basis"] == "estimated"
    # the preset's other units (#1, #3 ... #count) have no row: missing, not zero, so the facility's sum is partial
    assert fac["2025-09"]["basis"] == "mixed: estimated, missing" and fac["2025-09"]["window_complete"] is False
    assert {c["pollutant"] for c in doc["caps"]} >= {"nox", "co"}
    # a --limit over the preset's cap says so, naming the pollutant as the tables do (the caps' keys keep 'nox')
    r = CliRunner().invoke(cli, ["track", log, "--preset", "memphis-2025-permit", "--limit", "nox=90 tpy", "--format", "json"])
    notes = json.loads(r.stdout)["notes"]
    assert "NOx: --limit 90 tpy replaces the preset's cap of 87 tpy" in notes
    assert [c["cap_tons"] for c in json.loads(r.stdout)["caps"] if c["pollutant"] == "nox"] == [90]


def test_a_unit_the_preset_does_not_describe_is_an_error(tmp_path):
    log = _plain(tmp_path / "log.csv", [("2025-08", "Solar SMT-130 turbines#16", 5, "")])
    r = CliRunner().invoke(cli, ["track", log, "--preset", "memphis-2025-permit"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "unit 'Solar SMT-130 turbines#16' is not described by the preset" in r.stderr and "line 2" in r.stderr


def test_an_unknown_layout_names_expected_and_found_columns(tmp_path):
    log = _plain(tmp_path / "x.csv", [("1", "2")], header=("when", "what"))
    r = CliRunner().invoke(cli, ["track", log, "--limit", "nox=10 tpy"])
    assert r.exit_code == 1 and r.stdout == ""
    assert "unknown layout" in r.stderr and "NOx Mass (lbs)" in r.stderr and "found: when, what" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, code, text", [
    (["--limit", "nox=20 lb/h"], 2, "not a cap per year"),
    (["--limit", "co=20 tpy"], 1, "no measured co"),
    # a monthly cap is not a rate: read as one it would be a 1,044 tpy cap (87 x 12), met by a 200-ton month
    (["--limit", "nox=87 ton/month"], 2, "nox: '87 ton/month' is a cap per month, which emiss does not compare"),
    (["--limit", "nox=2 tons/week"], 2, "is a cap per week"),
])
def test_bad_caps(tmp_path, args, code, text):
    log = _plain(tmp_path / "log.csv", [("2024-01", "A", 1, 10)])
    r = CliRunner().invoke(cli, ["track", log, *args])
    assert r.exit_code == code and text in r.stderr and r.stdout == ""


def test_bad_cells_name_line_and_column(tmp_path):
    log = _plain(tmp_path / "log.csv", [("2024-01", "A", 1, 10), ("2024-02-02", "A", 1, "ten")])
    r = CliRunner().invoke(cli, ["track", log])
    assert r.exit_code == 1 and "line 3" in r.stderr and "'nox_lb'" in r.stderr and "Traceback" not in r.stderr
    log = _plain(tmp_path / "log2.csv", [("2024-13", "A", 1, 10)])
    r = CliRunner().invoke(cli, ["track", log])
    assert r.exit_code == 1 and "date '2024-13'" in r.stderr


def test_parquet_log(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "log.parquet"
    pq.write_table(pa.table({"date": ["2024-01-05", "2024-02-05"], "unit": ["A", "A"], "heat_input_mmbtu": [10.0, 10.0],
                             "nox_lb": [1000.0, 3000.0]}), path)
    tr = Tracker()
    tr.add(str(path))
    # 1,000 + 3,000 lb = 2 short tons over the two months
    assert _facility(tr.result())["2024-02"]["rolling_tons"] == pytest.approx(2.0)


def test_campd_daily_export_in_short_tons(tmp_path):
    from tests.test_measured_cmd import ANNUAL

    header = [("Date" if h == "Year" else h) for h in ANNUAL]
    rows = [{"Facility ID": "3", "Unit ID": "1", "Date": d, "Sum of the Operating Time": "24", "Heat Input (mmBtu)": "9600",
             "NOx Mass (short tons)": nox, "SO2 Mass (short tons)": "0.003", "CO2 Mass (short tons)": "570.7"}
            for d, nox in (("2024-12-31", "0.05"), ("2025-01-01", "0.04"), ("2025-01-01", "0.04"))]
    path = tmp_path / "d.csv"
    with open(path, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows)
    tr = Tracker([Cap("nox", 1.0, "1 tpy", "test")])
    tr.add(str(path))
    doc = tr.result()
    fac = _facility(doc)
    # 0.05 t in 2024-12; 0.04 t in 2025-01 (the second 2025-01-01 row repeats the first, counted once): rolling 0.09
    assert fac["2024-12"]["tons"] == pytest.approx(0.05) and fac["2025-01"]["rolling_tons"] == pytest.approx(0.09)
    assert doc["files"][0]["layout"] == "campd-daily"
    assert any("1 repeated row(s) equal in every cell" in n and "2025-01-01" in n for n in doc["notes"])


def test_plain_log_with_times_in_the_date(tmp_path):
    # two hours of one day are two rows, not a repeat; the repeated 01:00 (equal cells) is: 10 + 20 lb = 0.015 tons
    log = _plain(tmp_path / "t.csv", [("2024-05-01 00:00", "A", 1, 10), ("2024-05-01 01:00", "A", 1, 20),
                                      ("2024-05-01 01:00", "A", 1, 20)])
    tr = Tracker()
    tr.add(log)
    doc = tr.result()
    assert _facility(doc)["2024-05"]["tons"] == pytest.approx(0.015)
    assert any("1 repeated row(s)" in n for n in doc["notes"])


def test_chart_and_csv(tmp_path):
    months = _months(2024, 1, 13)
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, 4000) for m in months])
    svg = tmp_path / "r.svg"
    r = CliRunner().invoke(cli, ["track", log, "--limit", "nox=20 tpy", "--chart", str(svg), "--format", "csv"])
    # 4,000 lb = 2 short tons a month: 2024-10 sums 10 x 2 = 20 (not above 20); 2024-11 sums 22, the first crossing
    assert r.exit_code == 3 and "NOx in 2024-11" in r.stderr
    assert svg.read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    rows = list(csv.DictReader(r.stdout.splitlines()))
    fac = [x for x in rows if x["unit"] == "facility"]
    assert [x["month"] for x in fac if x["crossed"] == "True"][0] == "2024-11"
    r = CliRunner().invoke(cli, ["track", log, "--chart", str(tmp_path / "r.txt")])
    assert r.exit_code == 2 and r.stdout == ""


def _track(*args):
    r = CliRunner().invoke(cli, ["track", *args])
    return r.exit_code, r.stdout, r.stderr


def test_a_short_row_is_one_line_naming_it(tmp_path):
    p = tmp_path / "short.csv"
    p.write_text("date,unit,hours,nox_lb\n2024-01,CT-1,300\n")
    code, out, err = _track(str(p), "--limit", "nox=17 tpy")
    assert code == 1 and out == "" and "line 2 has 3 cell(s) where the header has 4" in err and "Traceback" not in err


def test_pounds_in_a_month_with_zero_hours_are_refused(tmp_path):
    # 1,008 lb of NOx measured while the unit ran 0 h: the log contradicts itself (it was dropped as 'not operating')
    p = tmp_path / "zero.csv"
    p.write_text("date,unit,hours,nox_lb\n2024-01,CT-1,0,1008\n2024-02,CT-1,100,1008\n")
    code, _, err = _track(str(p), "--limit", "nox=17 tpy")
    assert code == 1 and "line 2" in err and "contradicts itself" in err


def test_no_complete_window_is_not_called_under_the_cap(tmp_path):
    p = tmp_path / "one.csv"
    p.write_text("date,unit,hours,nox_lb\n2024-02,CT-1,100,1008\n")
    code, out, _ = _track(str(p), "--limit", "nox=17 tpy")
    assert code == 0 and "no complete 12-month window yet" in out and "every 12-month sum stays under" not in out


@pytest.mark.parametrize("text, says", [
    ("date,unit,hours,nox_lb,nox_lb\n2024-01,CT-1,300,5,7\n", "names a column twice: nox_lb"),
    ("date,unit,hours,nox_lb\n0000-01,CT-1,1,1\n9999-12,CT-1,1,1\n", "the year must be 1900 to 2200"),
    ("date,unit,hours,nox_lb\n2024-01,,1,1\n", "the unit is empty"),
])
def test_a_log_that_cannot_be_what_was_meant_is_refused(tmp_path, text, says):
    p = tmp_path / "log.csv"
    p.write_text(text)
    code, out, err = _track(str(p), "--limit", "nox=17 tpy")
    assert code == 1 and out == "" and says in err


def test_one_cap_per_pollutant(tmp_path):
    p = tmp_path / "log.csv"
    p.write_text("date,unit,hours,nox_lb\n2024-01,CT-1,300,5\n")
    code, _, err = _track(str(p), "--limit", "nox=17 tpy", "--limit", "nox=10 tpy")
    assert (code, err) == (2, "Error: --limit: nox: '17 tpy' and '10 tpy' are both a cap per year of the facility; "
                              "give one\n")


def test_a_month_given_whole_and_by_day_is_refused(tmp_path):
    # 10 lb on 2024-01-05 and 1,008 lb for the whole of 2024-01: adding them would count January twice
    p = tmp_path / "mixed.csv"
    p.write_text("date,unit,hours,nox_lb\n2024-01-05,CT-1,10,10\n2024-01,CT-1,300,1008\n")
    code, out, err = _track(str(p), "--limit", "nox=17 tpy")
    assert code == 1 and out == "" and "given both as a whole month and by day" in err


# ---- crossed: true, unknown (None) or false, as the screening judges a partial total ---------------------------------
# A ton is 2,000 lb: 14,000 lb is 7 short tons, 16,000 lb is 8. The cap throughout is 87 tpy.
SEVEN, EIGHT = 14_000, 16_000


def _crossed(tmp_path, rows, header=("date", "unit", "hours", "nox_lb")):
    tr = Tracker([Cap("nox", 87.0, "87 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", rows, header))
    doc = tr.result()
    return doc, _facility(doc)


@pytest.mark.parametrize("lb, gap, rolling, complete, crossed, first", [
    # 12 complete months x 8 t = 96 > 87: crossed; 2024-11 already sums 11 x 8 = 88 > 87 (a lower bound above the cap)
    (EIGHT, None, 96, True, True, "2024-11"),
    (SEVEN, None, 84, True, False, None),       # 12 complete months x 7 t = 84 <= 87: not crossed
    (SEVEN, "2024-06", 77, False, None, None),  # 11 months x 7 t = 77 with a gap: a lower bound under 87, unknown
    # 11 months x 8 t = 88 with a gap: already above 87, crossed; 2024-11 sums 10 x 8 = 80, unknown
    (EIGHT, "2024-06", 88, False, True, "2024-12"),
])
def test_a_window_is_crossed_unknown_or_not(tmp_path, lb, gap, rolling, complete, crossed, first):
    doc, fac = _crossed(tmp_path, [(m, "A", 100, lb) for m in _months(2024, 1, 12) if m != gap])
    last = fac["2024-12"]
    assert last["rolling_tons"] == rolling and last["window_complete"] is complete and last["crossed"] is crossed
    assert doc["first_crossing"] == {"nox": first}


def test_the_first_eleven_months_are_unknown_under_the_cap_and_crossed_above_it(tmp_path):
    # the months before the log are not known: 2024-01..2024-11 sum 7, 14, ... 77 t, each a lower bound under 87,
    # unknown; 2024-12 sums 84 over 12 whole months, not crossed. A 90 t first month is above 87 from the start.
    doc, fac = _crossed(tmp_path, [(m, "A", 100, SEVEN) for m in _months(2024, 1, 12)])
    assert [fac[m]["crossed"] for m in _months(2024, 1, 12)] == [None] * 11 + [False]
    assert any("11 of 12 12-month window(s) are unknown" in n and "before a log are taken as unknown" in n
               for n in doc["notes"])
    doc, fac = _crossed(tmp_path, [("2024-01", "A", 100, 180_000), ("2024-02", "A", 100, SEVEN)])
    # 180,000 lb = 90 t > 87 in 2024-01 (one month of log); 2024-02 sums 97
    assert fac["2024-01"]["crossed"] is True and fac["2024-02"]["crossed"] is True
    assert doc["first_crossing"] == {"nox": "2024-01"}


def test_blank_and_unmeasured_months_make_a_window_unknown(tmp_path):
    # 12 months of 7 t, but 2024-03 has a second operating row with nox_lb blank: 84 t is a lower bound -> unknown
    rows = [(m, "A", 100, SEVEN) for m in _months(2024, 1, 12)] + [("2024-03-15", "B", 5, "")]
    _, fac = _crossed(tmp_path, rows)
    assert fac["2024-12"]["rolling_tons"] == 84 and fac["2024-12"]["crossed"] is None
    # without the blank row, the same 84 t is complete and not crossed
    _, fac = _crossed(tmp_path, rows[:-1])
    assert fac["2024-12"]["crossed"] is False
    # 2024-03 operating with no NOx at all ('not measured', not zero): 11 x 7 = 77 t, a lower bound -> unknown
    rows = [(m, "A", 100, "" if m == "2024-03" else SEVEN) for m in _months(2024, 1, 12)]
    doc, fac = _crossed(tmp_path, rows)
    unit = next(r for r in doc["rows"] if r["unit"] == "A" and r["month"] == "2024-03")
    assert unit["basis"] == "not measured" and fac["2024-12"]["rolling_tons"] == 77 and fac["2024-12"]["crossed"] is None


def test_no_cap_means_nothing_to_cross(tmp_path):
    # a unit's rows carry no cap (cap_tons null): crossed is null there, not false (a row with no cap did not
    # "not cross" one); the facility's capped rows keep their verdicts
    doc, fac = _crossed(tmp_path, [(m, "A", 100, EIGHT) for m in _months(2024, 1, 3)])
    unit = [r for r in doc["rows"] if r["unit"] == "A"]
    assert unit and all(r["cap_tons"] is None and r["crossed"] is None for r in unit)
    assert all(r["cap_tons"] is not None for r in fac.values())


def test_a_pollutant_without_a_cap_is_neither_crossed_nor_unknown_in_csv(tmp_path):
    # no --limit: no row has a cap, so 'crossed' is empty in CSV (as cap_tons and margin_tons), null in JSON, and no
    # stderr note calls a window 'unknown' (there is nothing to cross); 12 whole months of 7 t: complete at 84 t
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, SEVEN) for m in _months(2024, 1, 12)])
    code, out, err = _track(log, "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and len(rows) == 24 and {(r["cap_tons"], r["margin_tons"], r["crossed"]) for r in rows} == {("", "", "")}
    assert "unknown" not in err
    code, out, _ = _track(log, "--format", "json")
    assert {r["crossed"] for r in json.loads(out)["rows"]} == {None}


def test_every_format_says_unknown_plainly(tmp_path):
    # 2024-01..2025-01 of 7 t with 2024-06 missing: every window holds the gap or reaches before the log, and each
    # sums at most 11 x 7 = 77 < 87, so all 13 windows are unknown, the latest (2025-01) too; exit stays 0
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, SEVEN) for m in _months(2024, 1, 13) if m != "2024-06"])
    code, out, err = _track(log, "--limit", "nox=87 tpy", "--format", "json")
    fac = _facility(json.loads(out))
    assert code == 0 and [r["crossed"] for r in fac.values()] == [None] * 13
    assert "latest 12-month window is incomplete and not above its cap" in err and "NOx 2025-01 (77.000 of 87.000" in err
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", fmt)
        rows = list(csv.DictReader(out.splitlines(), delimiter=sep))
        assert code == 0 and {r["crossed"] for r in rows if r["unit"] == "facility"} == {"unknown"}
        assert {r["crossed"] for r in rows if r["unit"] == "A"} == {""}  # no cap on a unit's rows: nothing to cross
    code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", "ndjson")
    assert {json.loads(x)["crossed"] for x in out.splitlines() if '"facility"' in x} == {None}
    for fmt in ("table", "markdown"):
        code, out, err = _track(log, "--limit", "nox=87 tpy", "--format", fmt)
        assert code == 0 and err == ""  # the view says it on stdout
        assert "every 12-month sum stays under" not in out
        assert "no complete 12-month window yet" in " ".join(out.split())
        assert "unknown when an incomplete window's sum is under the cap" in out  # the legend
        month_rows = [line for line in out.splitlines() if line.strip(" |").startswith("2024-0")]
        assert month_rows and all("unknown" in line for line in month_rows)


def test_the_summary_counts_complete_and_unknown_windows(tmp_path):
    # 2024-01..2025-02, 7 t a month: 2024-01..11 unknown (before the log), 2024-12..2025-02 complete at 84 t: no.
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, SEVEN) for m in _months(2024, 1, 14)])
    code, out, err = _track(log, "--limit", "nox=87 tpy")
    assert code == 0 and err == ""
    said = " ".join(out.split())
    assert "NOx: no 12-month sum is above the cap of 87.000 short tons; 3 complete window(s) stay under it, 11 " \
           "incomplete one(s) are unknown" in said
    assert "the latest" not in said  # the latest window, 2025-02, is complete
    code, out, err = _track(log, "--limit", "nox=87 tpy", "--format", "json")
    assert err == ""  # nothing to say on stderr: the latest window is judged


def test_the_track_table_names_the_pollutant_as_people_write_it():
    # 'NOx' (nitrogen oxides), as every other table and chart says it; the title said 'NOX'
    r = CliRunner().invoke(cli, ["track", str(Path(__file__).resolve().parent.parent / "examples" / "track-log.csv"), "--limit", "nox=87 tpy"])
    assert r.exit_code == 0 and "NOx for the facility, short tons" in r.stdout and "NOX" not in r.stdout


def _two_units(b_months, b_lb=SEVEN / 2):
    """A logs 7 t a month over 2024-01..2024-12; B logs b_lb (3.5 t by default) in b_months."""
    return [(m, "A", 100, SEVEN) for m in _months(2024, 1, 12)] + [(m, "B", 50, b_lb) for m in b_months]


def test_a_unit_whose_log_stops_early_is_missing_not_zero(tmp_path):
    # A: 12 x 7 = 84 t; B: 2024-01..06, 6 x 3.5 = 21 t, then no rows. The 2024-12 window sums 84 + 21 = 105.
    # Against 87 t that is above the cap even as a lower bound: crossed (as before). Against 110 t it is under,
    # but B's 2024-07..12 are unknown, not zero: incomplete, crossed null (the old code said complete, not crossed).
    rows = _two_units(_months(2024, 1, 6))
    doc, fac = _crossed(tmp_path, rows)
    assert fac["2024-12"]["rolling_tons"] == 105 and fac["2024-12"]["crossed"] is True
    tr = Tracker([Cap("nox", 110.0, "110 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", rows))
    doc = tr.result()
    fac = _facility(doc)
    assert fac["2024-12"]["window_complete"] is False and fac["2024-12"]["crossed"] is None
    assert fac["2024-07"]["basis"] == "mixed: measured, missing"
    b = {r["month"]: r for r in doc["rows"] if r["unit"] == "B"}
    assert [b[m]["basis"] for m in ("2024-06", "2024-07", "2024-12")] == ["measured", "missing", "missing"]
    assert doc["missing"] == [{"unit": "B", "from": "2024-07", "to": "2024-12", "months": 6}]
    assert any(n.startswith("B: no rows in 2024-07 to 2024-12 (6 month(s) of the log after its last row, 2024-06): "
                            "missing data, not zero") for n in doc["notes"])
    # an explicit 0 h row still means idle: B's 2024-07..12 given as 0 h make the window whole at 105 <= 110: not crossed
    tr = Tracker([Cap("nox", 110.0, "110 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", rows + [(m, "B", 0, 0) for m in _months(2024, 7, 6)]))
    fac = _facility(tr.result())
    assert fac["2024-12"]["rolling_tons"] == 105 and fac["2024-12"]["crossed"] is False


def test_a_unit_whose_log_starts_late_is_missing_too(tmp_path):
    # B: rows from 2024-07 only (6 x 3.5 = 21 t): its 2024-01..06 are unknown, as the months before the whole log are
    # (a unit not yet in service says so with 0 h rows). 2024-12: 84 + 21 = 105 <= 110 but incomplete: null.
    log = _plain(tmp_path / "log.csv", _two_units(_months(2024, 7, 6)))
    code, out, err = _track(log, "--limit", "nox=110 tpy", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and _facility(doc)["2024-12"]["crossed"] is None
    assert doc["missing"] == [{"unit": "B", "from": "2024-01", "to": "2024-06", "months": 6}]
    assert "missing data, not zero (basis 'missing'): B 2024-01 to 2024-06" in err
    for fmt in ("csv", "ndjson"):  # each unit's month says it in the flat formats; stderr names the unit
        code, out, err = _track(log, "--limit", "nox=110 tpy", "--format", fmt)
        assert code == 0 and "B 2024-01 to 2024-06" in err
        assert out.count("missing") == 6 + 6  # B's six months and the facility's 'mixed: measured, missing'
    code, out, err = _track(log, "--limit", "nox=110 tpy")
    said = " ".join(out.split())
    assert code == 0 and "B: no rows in 2024-01 to 2024-06 (6 month(s) of the log before its first row, 2024-07)" in said


# ---- months only partly logged (s11) ------------------------------------------------------------------------------

def _stops_on_the_third(extra=()):
    """CT-1 logs 2024-01..2024-11 whole (7 t each, 77 t), then December by day: days 1-3 at 1 t (2,000 lb) each."""
    return ([(m, "CT-1", 100, SEVEN) for m in _months(2024, 1, 11)]
            + [(f"2024-12-{d:02d}", "CT-1", 10, 2000) for d in (1, 2, 3)] + list(extra))


def test_a_log_that_stops_on_the_third_is_not_a_whole_month(tmp_path):
    # 2024-12 window: 77 + 3 = 80 t. Against 100 t the old code called it complete and not crossed; December has 31
    # days and 3 have a row, so its 3 t are a lower bound: incomplete, crossed unknown (null)
    tr = Tracker([Cap("nox", 100.0, "100 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", _stops_on_the_third()))
    doc = tr.result()
    dec = _facility(doc)["2024-12"]
    assert dec["rolling_tons"] == 80 and dec["window_complete"] is False and dec["crossed"] is None
    assert dec["basis"] == "measured, a lower bound"  # the facility merges its units' bases and says a unit's month lacks
    # days (the unit's basis says how much is logged)
    unit = {r["month"]: r for r in doc["rows"] if r["unit"] == "CT-1"}
    assert unit["2024-12"]["basis"] == "measured, 3 of 31 days logged" and unit["2024-11"]["basis"] == "measured"
    assert doc["partial"] == [{"unit": "CT-1", "month": "2024-12", "logged": 3, "of": 31, "by": "days"}]
    assert any(n.startswith("CT-1 2024-12: 3 of 31 days logged: ") for n in doc["notes"])
    # a lower bound above the cap is still a crossing: 80 > 79
    tr = Tracker([Cap("nox", 79.0, "79 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", _stops_on_the_third()))
    assert _facility(tr.result())["2024-12"]["crossed"] is True
    # days 4-31 given as 0 h rows (explicitly idle): December is whole, 80 <= 100 is a complete 'not crossed'
    tr = Tracker([Cap("nox", 100.0, "100 tpy", "test")])
    tr.add(_plain(tmp_path / "log.csv", _stops_on_the_third([(f"2024-12-{d:02d}", "CT-1", 0, 0) for d in range(4, 32)])))
    doc = tr.result()
    assert _facility(doc)["2024-12"]["crossed"] is False and doc["partial"] == []


def test_one_hour_a_day_is_not_a_whole_month(tmp_path):
    # CAMPD hourly, 7/CT1, hour 5 of each day of February 2024 (leap year: 29 days x 24 = 696 h): 29 of 696 hours
    rows = [(7, "CT1", f"2024-02-{d:02d}", 5, "1.00", 100, 10, "Measured") for d in range(1, 30)]
    code, out, err = _track(_hourly(tmp_path / "h.csv", rows), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["partial"] == [{"unit": "7/CT1", "month": "2024-02", "logged": 29, "of": 696, "by": "hours"}]
    assert doc["rows"][0]["basis"] == "measured, 29 of 696 hours logged"
    assert "months only partly logged are missing data, their sums lower bounds: 7/CT1 2024-02 (29 of 696 hours)" in err
    # every hour of the month, 0 h rows where the unit did not run: whole (696 rows, 29 of them operating)
    idle = [(7, "CT1", f"2024-02-{d:02d}", h, "0.00", "", "", "") for d in range(1, 30) for h in range(24) if h != 5]
    code, out, err = _track(_hourly(tmp_path / "h.csv", rows + idle), "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["partial"] == [] and doc["rows"][0]["basis"] == "measured"
    assert doc["rows"][0]["tons"] == pytest.approx(29 * 10 / 2000)


def test_a_day_that_does_not_exist_is_refused(tmp_path):
    # 2024-02-30 would count as a 30th day of a 29-day February
    code, out, err = _track(_plain(tmp_path / "log.csv", [("2024-02-30", "A", 5, 10)]))
    assert code == 1 and out == "" and "date '2024-02-30' is not a day: 2024-02 has 29 days" in err


def test_units_of_the_preset_never_logged_are_missing(tmp_path):
    from emiss.inputs.scenario import scenario_from

    g = scenario_from("memphis-2025-permit").groups[0]
    n = int(g.count)  # 15
    months = _months(2025, 1, 12)
    # every unit named, 12 months each: nothing absent, the 2025-12 window whole
    every = [(m, f"{g.name}#{k}", 100) for m in months for k in range(1, n + 1)]
    code, out, err = _track(_plain(tmp_path / "log.csv", every, ("date", "unit", "hours")), "--preset",
                            "memphis-2025-permit", "--format", "json")
    doc = json.loads(out)
    assert code in (0, 3) and doc["missing"] == [] and _facility(doc)["2025-12"]["window_complete"] is True
    # unit 15 left out: it is missing for all 12 months, and every facility window is incomplete
    code, out, err = _track(_plain(tmp_path / "log.csv", [r for r in every if not r[1].endswith(f"#{n}")],
                                   ("date", "unit", "hours")), "--preset", "memphis-2025-permit", "--format", "json")
    doc = json.loads(out)
    assert doc["missing"] == [{"unit": f"{g.name}#{n}", "from": "2025-01", "to": "2025-12", "months": 12}]
    assert _facility(doc)["2025-12"]["window_complete"] is False
    assert any(s.startswith(f"{g.name}#{n}: no rows in the log, though the preset 'memphis-2025-permit' describes it")
               for s in doc["notes"])
    # the group named bare is the group logged whole under its name: nothing absent
    code, out, err = _track(_plain(tmp_path / "log.csv", [(m, g.name, 100) for m in months], ("date", "unit", "hours")),
                            "--preset", "memphis-2025-permit", "--format", "json")
    assert json.loads(out)["missing"] == []


# ---- values no unit can reach (s11: the bounds `measured` applies, shared) ----------------------------------------

@pytest.mark.parametrize("header, row, says", [
    # a month's row, January 2024 (744 h): NOx at most 10 lb/MMBtu x 30,000 MMBtu/h x 744 h = 223,200,000 lb
    (("date", "unit", "hours", "nox_lb"), ("2024-01", "A", 5, "1e300"),
     "A, column 'nox_lb': 1e300 lb is more NOx than any unit can emit in the 744 h the row covers: at most 223,200,000 lb"),
    (("date", "unit", "hours", "nox_lb"), ("2024-01", "A", 5, "223200001"), "at most 223,200,000 lb"),
    # a day's row: CO at most 255 lb/MMBtu (all carbon as CO) x 30,000 x 24 h = 183,600,000 lb
    (("date", "unit", "hours", "co_lb"), ("2024-01-05", "A", 5, "183600001"),
     "more CO than any unit can emit in the 24 h the row covers: at most 183,600,000 lb (255 lb/MMBtu"),
    # a pollutant with no bound of its own, June (720 h): the generic 400 x 30,000 x 720 = 8,640,000,000 lb
    (("date", "unit", "hours", "hap_lb"), ("2024-06", "A", 5, "8.7e9"), "at most 8,640,000,000 lb (400 lb/MMBtu"),
    # heat input in a month's row: at most 30,000 MMBtu/h x 744 h = 22,320,000 MMBtu
    (("date", "unit", "heat_input_mmbtu"), ("2024-01", "A", "22320001"),
     "A, column 'heat_input_mmbtu': 22320001 MMBtu is more than any unit can burn in the 744 h the row covers: at most "
     "22,320,000 MMBtu"),
])
def test_a_value_no_unit_can_reach_is_refused(tmp_path, header, row, says):
    code, out, err = _track(_plain(tmp_path / "log.csv", [row], header))
    assert code == 1 and out == "" and says in " ".join(err.split()) and "line 2" in err


def test_values_at_the_bounds_are_kept(tmp_path):
    # exactly the bounds above: 223,200,000 lb NOx in January = 111,600 short tons; 22,320,000 MMBtu
    log = _plain(tmp_path / "log.csv", [("2024-01", "A", 744, 22_320_000, 223_200_000)],
                 ("date", "unit", "hours", "heat_input_mmbtu", "nox_lb"))
    code, out, err = _track(log, "--format", "json")
    assert code == 0 and json.loads(out)["rows"][0]["tons"] == 111_600


def test_an_hourly_heat_input_beyond_any_unit_is_refused(tmp_path):
    # CAMPD hourly: one hour at most 30,000 MMBtu
    log = _hourly(tmp_path / "h.csv", [(7, "CT1", "2024-01-01", 0, "1.00", "30001", 10, "Measured")])
    code, out, err = _track(log)
    assert code == 1 and "7/CT1, column 'Heat Input (mmBtu)': 30001 MMBtu is more than any unit can burn in the 1 h" in err


def test_an_amount_converted_with_the_preset_is_bounded_too(tmp_path):
    from emiss.inputs.scenario import scenario_from

    g = scenario_from("memphis-2025-permit").groups[0]
    log = _plain(tmp_path / "log.csv", [("2025-08", f"{g.name}#2", "1e12")], ("date", "unit", "mwh"))
    code, out, err = _track(log, "--preset", "memphis-2025-permit")
    # 1e12 MWh at about 10 MMBtu/MWh is about 1e13 MMBtu, beyond 30,000 x 744 h = 22,320,000 MMBtu
    assert code == 1 and "column 'mwh': 1e12 (" in err and "MMBtu at the preset's rates) is more than any unit can burn" in err


def test_every_pollutant_track_reads_has_a_bound():
    from emiss.analysis.logs import GENERIC_LB_PER_MMBTU, MAX_LB_PER_MMBTU
    from emiss.data import POLLUTANTS

    assert set(MAX_LB_PER_MMBTU) == set(POLLUTANTS)
    # all the carbon of the most carbon-laden fuel (400 lb CO2/MMBtu: 400 x 12.011 / 44.009 = 109.17 lb C) as CO:
    # 109.17 x 28.01 / 12.011 = 254.6 -> 255; as CH4: x 16.04 / 12.011 = 145.8 -> 146; as HCHO: x 30.03 / 12.011 = 273
    assert (MAX_LB_PER_MMBTU["co"], MAX_LB_PER_MMBTU["ch4"], MAX_LB_PER_MMBTU["hcho"]) == (255, 146, 273)
    # CO2e: 400 + 82.5 (CH4, AR6 20-year) x 146 + 298 (N2O, AR4) x 10 = 400 + 12,045 + 2,980 = 15,425
    assert MAX_LB_PER_MMBTU["co2e"] == 15_425
    assert [MAX_LB_PER_MMBTU[p] for p in ("voc", "pm", "hap", "nh3")] == [GENERIC_LB_PER_MMBTU] * 4 == [400] * 4


def test_the_track_help_states_the_bounds_the_code_applies():
    from emiss.analysis.logs import MAX_HEAT_MMBTU_PER_H, MAX_LB_PER_MMBTU as B

    said = " ".join(CliRunner().invoke(cli, ["track", "--help"]).stdout.split())
    assert f"heat input above {MAX_HEAT_MMBTU_PER_H:,.0f} MMBtu/h" in said
    assert (f"at {B['nox']:g} lb/MMBtu of NOx or N2O, {B['so2']:g} of SO2, {B['co']:g} of CO, {B['ch4']:g} of CH4, "
            f"{B['hcho']:g} of formaldehyde, {B['co2e']:,} of CO2e, or {B['co2']:g}") in said
    assert B["n2o"] == B["nox"] and B["voc"] == B["pm"] == B["hap"] == B["nh3"] == B["co2"]


def test_a_day_written_short_is_refused_and_a_padded_month_is_whole(tmp_path):
    # '2024-01-5' read as a day would be a different day from '2024-01-05' (both counted) and no day of January
    code, out, err = _track(_plain(tmp_path / "log.csv", [("2024-01-5", "A", 5, 10)]))
    assert code == 1 and "date '2024-01-5' must be YYYY-MM-DD" in err
    # a whole month's row with trailing spaces is still the whole month (744 h), not one day of it
    code, out, err = _track(_plain(tmp_path / "log.csv", [("2024-01   ", "A", 5, 10)]), "--format", "json")
    assert code == 0 and json.loads(out)["partial"] == [] and json.loads(out)["rows"][0]["basis"] == "measured"


def test_a_repeated_hour_with_other_values_is_refused_naming_both_rows(tmp_path):
    # line 3 (hour 1, 20 lb) and line 4 (hour 1, 999 lb): which is right, or whether both are real, is not emiss's
    # call; keeping the first would have summed 10 + 20 = 30 lb and lost 999 lb without an error
    log = _hourly(tmp_path / "h.csv", [(7, "CT1", "2024-01-10", 0, "1.00", 100, 10, "Measured"),
                                       (7, "CT1", "2024-01-10", 1, "1.00", 100, 20, "Measured"),
                                       (7, "CT1", "2024-01-10", 1, "1.00", 100, 999, "Measured")])
    result = CliRunner().invoke(cli, ["track", log, "--limit", "nox=1 tpy"])
    assert result.exit_code == 1 and result.stdout == ""
    assert f"{log} line 4: 7/CT1 2024-01-10 hour 1 has two rows that differ (line 3 and this one)" in result.stderr
    assert "a repeat equal in every cell, as in a log exported twice, is counted once and said" in result.stderr
    assert "daylight-saving" not in result.stderr  # 2024-01-10 is a Wednesday in January


def test_the_fall_back_hour_of_a_local_time_log_is_refused_with_a_hint(tmp_path):
    # 2024-11-03 is the first Sunday of November (Nov 1 2024 a Friday): in US local clock time 01:00 happens twice.
    # Two real hours of 10 and 12 lb; the log cannot say which clock it keeps, so the sum is not guessed
    log = _plain(tmp_path / "t.csv", [("2024-11-03 00:00", "A", 1, 10), ("2024-11-03 01:00", "A", 1, 10),
                                      ("2024-11-03 01:00", "A", 1, 12)])
    tr = Tracker()
    with pytest.raises(InputError) as err:
        tr.add(log)
    assert "line 4: A 2024-11-03 hour 1 has two rows that differ (line 3 and this one)" in str(err.value)
    assert "the night daylight-saving time ends" in str(err.value) and "standard time or UTC" in str(err.value)


def test_a_log_given_twice_is_counted_once_and_a_changed_copy_is_refused(tmp_path):
    # the same log twice: every row repeats an equal row of the first file; 10 + 20 lb = 0.015 short tons, not 0.03
    rows = [("2024-05-01", "A", 1, 10), ("2024-05-02", "A", 1, 20)]
    log = _plain(tmp_path / "a.csv", rows)
    tr = Tracker()
    tr.add(log)
    tr.add(log)
    doc = tr.result()
    assert _facility(doc)["2024-05"]["tons"] == pytest.approx(0.015)
    assert any("A: 2 repeated row(s) equal in every cell" in n for n in doc["notes"])
    # a second file whose 2024-05-02 row says 25 lb: refused, naming the first file's line 3
    other = _plain(tmp_path / "b.csv", [("2024-05-02", "A", 1, 25)])
    tr = Tracker()
    tr.add(log)
    with pytest.raises(InputError) as err:
        tr.add(other)
    assert str(err.value).startswith(f"{other} line 2: A 2024-05-02 has two rows that differ (line 3 of {log} and this one)")


def test_rows_counted_once_are_said_on_stderr_and_in_json(tmp_path):
    # 2024-05-02 given twice, equal in every cell: 10 + 20 lb = 30 lb = 0.015 short tons; JSON lists it, stderr says it
    log = _plain(tmp_path / "a.csv", [("2024-05-01", "A", 1, 10), ("2024-05-02", "A", 1, 20), ("2024-05-02", "A", 1, 20)])
    result = CliRunner().invoke(cli, ["track", log, "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["repeated"] == [{"unit": "A", "rows": 1}]
    assert _facility(doc)["2024-05"]["tons"] == pytest.approx(0.015)
    assert "counted once: A (1)" in result.stderr


def test_the_facility_month_of_a_partly_logged_unit_month_says_it_is_a_lower_bound(tmp_path):
    # A logs January and February whole; B logs 2024-02 on 2 of its 29 days: 100 + 100 lb. The facility's February is
    # 1,000 + 200 lb = 0.6 short tons, a lower bound (27 of B's days lack a row); it read plain 'measured' before
    log = _plain(tmp_path / "p.csv", [("2024-01", "A", 300, 1000), ("2024-02", "A", 300, 1000), ("2024-01", "B", 300, 1000),
                                      ("2024-02-01", "B", 20, 100), ("2024-02-02", "B", 20, 100)])
    tr = Tracker()
    tr.add(log)
    fac = _facility(tr.result())
    assert fac["2024-02"]["tons"] == pytest.approx(0.6)
    assert fac["2024-02"]["basis"] == "measured, a lower bound" and fac["2024-01"]["basis"] == "measured"


def test_the_table_calls_a_never_logged_units_sums_unknown_not_zero(tmp_path):
    # one month of unit 'turbines#1' of examples/my-site.toml (4 units), NOx capped (so estimated): units 2-4 have no
    # row, basis 'missing'; their 12-month sums are not known, where the table showed 0.000 (read as no emissions)
    from emiss.inputs.scenario import scenario_from
    from emiss.report.measured import track_view
    from emiss.report.views import Table

    tr = Tracker([Cap("nox", 100.0, "100 tpy", "test")],
                 scenario=scenario_from(str(Path(__file__).resolve().parent.parent / "examples" / "my-site.toml")))
    tr.add(_plain(tmp_path / "l.csv", [("2024-01", "turbines#1", 300)], ("date", "unit", "hours")))
    units = next(t for t in track_view(tr.result()) if isinstance(t, Table) and t.title.startswith("Each unit"))
    rows = {(r[0], r[1]): r for r in units.rows}
    assert rows[("turbines#4", "NOx")][2:] == ("unknown", "-", "unknown", "missing")
    assert rows[("turbines#1", "NOx")][2] != "unknown" and rows[("turbines#1", "NOx")][5] == "estimated"


def test_the_csv_says_the_tons_are_short_tons(tmp_path):
    # 2,000 lb of NOx a month is 1 US short ton (0.907 tonne): the CSV's tons columns say their unit in a column of
    # their own, as pint spells it (estimate's and cluster's CSVs: 'short_ton'), added after the columns already there
    log = _plain(tmp_path / "log.csv", [(m, "A", 100, 2000) for m in _months(2024, 1, 2)])
    code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", "csv")
    rows = list(csv.DictReader(out.splitlines()))
    assert code == 0 and out.splitlines()[0] == ("unit,pollutant,month,tons,basis,rolling_tons,window_months,"
                                                 "window_complete,cap_tons,margin_tons,crossed,tons_unit")
    assert {r["tons_unit"] for r in rows} == {"short_ton"} and rows[0]["tons"] == "1.0"
    code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", "json")
    assert {r["tons_unit"] for r in json.loads(out)["rows"]} == {"short_ton"}


def test_a_month_no_unit_gave_a_value_for_has_no_tons(tmp_path):
    # A logs 2024-01 and 2024-03 (a gap in 2024-02), B only 2024-01 (2024-02 and -03 missing after its last row):
    # 2024-02 has no value from either unit, so its tons are null in JSON and '-' in the table, not 0 (its basis
    # 'mixed: gap, missing'); 2024-03 has A's 1 t (2,000 lb) only. The sums are unchanged: 2024-03's is 1 + 1 + 1 = 3.
    log = _plain(tmp_path / "log.csv", [("2024-01", "A", 100, 2000), ("2024-03", "A", 100, 2000),
                                        ("2024-01", "B", 100, 2000)])
    code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", "json")
    doc = json.loads(out)
    fac = _facility(doc)
    assert fac["2024-02"]["basis"] == "mixed: gap, missing" and fac["2024-02"]["tons"] is None
    assert fac["2024-03"]["tons"] == 1.0 and fac["2024-03"]["rolling_tons"] == 3.0
    unit = {(r["unit"], r["month"]): r["tons"] for r in doc["rows"]}
    assert unit[("A", "2024-02")] is None and unit[("B", "2024-03")] is None and unit[("A", "2024-03")] == 1.0
    code, out, _ = _track(log, "--limit", "nox=87 tpy", "--format", "csv")
    rows = {(r["unit"], r["month"]): r["tons"] for r in csv.DictReader(out.splitlines())}
    assert rows[("facility", "2024-02")] == "" and rows[("facility", "2024-03")] == "1.0"
    code, out, _ = _track(log, "--limit", "nox=87 tpy")
    feb = next(line.split() for line in out.splitlines() if line.strip().startswith("2024-02"))
    assert feb[1] == "-"
