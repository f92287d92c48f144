"""Defects found by the s20 fuzz sweep of the analysis and report commands (check, track, measured, the tables), each
with the case that found it."""

from __future__ import annotations

import pytest


SITE = ('[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncount = 2\ncapacity = "5 MW"\nheat_rate = "9695 Btu/kWh"\n'
        '[[claims]]\noutput = "nox"\nvalue = "10 short_ton/year"\nwho = "w"\nwhen = "2024"\nsource = "s"\n')


@pytest.mark.parametrize(("given", "says"), [
    # an unknown key: exit 2 (a usage error, for a preset's data) and no file named, 'claim given bogus: ...'
    ('{ bogus = "1" }', "site.toml: claims[0].given.bogus: unknown setting 'bogus'; known: "),
    # a value no preset may hold: 'claim given hours: ...', and 'presets validate' said the file was ok
    ('{ hours = "9000 h" }', "site.toml: claims[0].given.hours: '9000 h' must be above 0 and at most 8760 h"),
])
def test_a_claims_condition_is_the_presets_data_named_by_its_key(run, preset_file, given, says):
    path = preset_file(SITE + f"given = {given}\n")
    code, out, err = run("check", "--preset", path)
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {says}") and len(err.strip().splitlines()) == 1
    code, out, err = run("presets", "validate", path)  # as a variant's 'set' is judged: the same words
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {says}")
    assert run("presets", "validate", preset_file(SITE + 'given = { hours = "5000 h" }\n', name="ok.toml"))[0] == 0


def test_a_variants_unknown_key_is_the_presets_data_in_check_too(run, preset_file):
    # 'presets validate' exited 1 for it and 'check' 2, a usage error, though nothing on the command line was wrong
    path = preset_file(SITE + '[[variants]]\nlabel = "a"\nset = { bogus = "1" }\n')
    for command in (("check", "--preset", path), ("presets", "validate", path)):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.startswith("Error: site.toml: variants[0].set.bogus: unknown setting 'bogus'"), command


@pytest.mark.parametrize(("factor", "number"), [("2..5 ppmvd@15%O2", "2..5"), ("2..3..5 ppmvd@15%O2", "2..3..5"),
                                                ("7.9 ppmvd@15%O2", "7.9")])
def test_a_factor_range_is_shown_whole_in_the_assumptions(run, factor, number):
    # '2..5 ppmvd@15%O2' was split after '2.': the table read '2.' under Value and '.5 ppmvd@15%O2' under Unit
    code, out, err = run("estimate", "--turbines", "4", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh",
                         "--factor", f"nox={factor}", "--format", "markdown")
    assert code == 0, err
    assert f"| NOx factor (all units) | {number} | ppmvd@15%O2 | user | cli | [1] |" in out.splitlines()


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


@pytest.mark.parametrize("implies", ["heatrate", "bogus"])
def test_a_claims_implies_that_names_no_input_is_refused(run, preset_file, implies):
    # 'what it would take' passed it over without a word and answered with another input: 'operating hours per year
    # = 581.8 hour/year' for a claim whose source spoke of the heat rate
    path = preset_file(SITE + f'implies = "{implies}"\n')
    says = (f"Error: site.toml: claims[0].implies: '{implies}' names no input of this preset; give one of heat_rate, "
            "factor, hours, capacity_factor, household_demand, household_use\n")
    for command in (("check", "--preset", path), ("presets", "validate", path)):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.startswith(says), command
    # the inputs it may name, and a ranged input of the preset by its key
    for implies in ("heat-rate", "hours", "factor"):
        assert run("check", "--preset", preset_file(SITE + f'implies = "{implies}"\n', name="ok.toml"))[0] == 0
    ranged = SITE.replace('count = 2\n', 'count = { value = 2, low = 1, high = 4 }\n') + 'implies = "count"\n'
    assert run("check", "--preset", preset_file(ranged, name="ranged.toml"))[0] == 0


@pytest.mark.parametrize(("tolerance", "says"), [
    # 200 tons about 130 made every estimate from 0 to 330 tons 'consistent', where '154%' is refused
    ('"200 short_ton/year"', "tolerance '200 short_ton/year' must be below the figure itself ('130 short_ton/year'), as "
                             "a percentage must be below 100 %"),
    ('"130 short_ton/year"', "tolerance '130 short_ton/year' must be below the figure itself ('130 short_ton/year'), as "
                             "a percentage must be below 100 %"),
    # the unit it expected was written 'pound / year', where the value's own message says 'lb/yr'
    ('"5 MW"', "'5 MW' is a power; expected a figure in the output's unit, e.g. lb/yr"),
])
def test_a_claims_tolerance_in_the_outputs_unit_is_below_the_figure(run, preset_file, tolerance, says):
    site = SITE.replace('value = "10 short_ton/year"', 'value = "130 short_ton/year"')
    code, out, err = run("check", "--preset", preset_file(site + f"tolerance = {tolerance}\n"))
    assert (code, out) == (1, "")
    assert err == f"Error: site.toml: claims[0].tolerance: {says}\n"
    assert run("check", "--preset", preset_file(site + 'tolerance = "129 short_ton/year"\n', name="ok.toml"))[0] == 0


@pytest.mark.parametrize("qty", ["-5", "-5 tpy", "-30 lb/h"])
def test_a_negative_fail_above_is_refused(run, qty):
    # a sign lost: every estimate is above it, so the check failed whatever the plant emitted (exit 3, 'nox 129.8
    # short_ton/year is above -5'); zero still asks for none at all
    code, out, err = run("estimate", "--preset", "memphis", "--fail-above", f"nox={qty}")
    assert (code, out, err) == (2, "", f"Error: --fail-above: nox: '{qty}' must be zero or more (emissions are never "
                                       "negative)\n")
    assert run("estimate", "--preset", "memphis", "--fail-above", "nh3=0")[0] == 0  # no SCR: no ammonia slip


@pytest.mark.parametrize("command", [("compare", "--preset", "memphis", "--grid"), ("pte", "--preset", "memphis"),
                                     ("check", "--preset", "memphis"), ("cluster", "--gpus", "100"),
                                     ("sensitivity", "--preset", "memphis")])
def test_two_report_files_of_one_name_are_refused_as_estimate_refuses_them(run, tmp_path, command):
    # '--html out --xlsx out' (a name with no ending is written as given) wrote the page, then the workbook over it
    out = tmp_path / "out"
    code, stdout, err = run(*command, "--html", str(out), "--xlsx", str(out))
    assert (code, stdout) == (2, "")
    assert err == "Error: two of --html, --chart and --xlsx name the same file; give each its own\n"
    assert not out.exists()


def test_a_cluster_too_large_for_any_fleet_names_the_option(run):
    # 1e12 H100: 1.25e11 servers x 10.2 kW x 1.1 x PUE 1.3 = 1.823e9 MW over 16.5 MW = 110,500,000 units, refused
    # (exit 1) as "the plan's count: '110500000' units is too large", naming no option the user gave
    code, out, err = run("cluster", "--gpus", "1e12")
    assert (code, out) == (2, "")
    assert err == ("Error: --gpus: 110,500,000 units (110,500,000 running for 1,823,250,000 MW, 16.5 MW each, and 0 "
                   "spare) are more than a fleet may have (1,000,000); check --gpus, the unit's capacity, --derate and "
                   "--redundancy\n")


def test_a_days_row_dated_with_a_time_says_why_it_is_an_hours(run, tmp_path):
    # a Parquet timestamp (pandas' datetime64) or a spreadsheet writes a day as '2024-01-05 00:00:00', which a plain
    # log reads as that day's hour 0: 10 h was refused as 'more than the 1 h the row covers', which no day is
    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01-05 00:00:00,CT-1,10,1000,10\n")
    code, out, err = run("track", str(log), "--limit", "nox=87 tpy")
    assert (code, out) == (1, "")
    assert err == (f"Error: {log} line 2: hours 10 is more than the 1 h the row covers (its date '2024-01-05 00:00:00' "
                   "names an hour; a day's row is dated YYYY-MM-DD, a month's YYYY-MM)\n")


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


@pytest.mark.parametrize(("given", "vary"), [
    # --hours 5000 was dropped: 'capacity-factor must be 0.770296' (6,748 h) for 100 tons, the 5,000 h never used
    (("--hours", "5000"), "capacity-factor"), (("--capacity-factor", "0.5"), "hours"), (("--hours", "5000"), "hours"),
    (("--factor", "nox=2 ppmvd@15%O2"), "factor:nox"), (("--household-use", "5000 kWh/yr"), "household-use"),
])
def test_solve_refuses_an_option_the_solved_value_replaces(run, given, vary):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", vary, *given)
    shown = given[0] if given[0] != "--factor" else "--factor nox"
    assert (code, out) == (2, "")
    assert err == (f"Error: {shown}: 'emiss solve' finds it (--vary {vary}), so {shown} would be ignored; drop it (or use "
                   "'emiss estimate' to see one value)\n")
    # an option the solved value does not replace is kept: at 2 ppm memphis gives 129.82 x 2 / 7.9 = 32.87 tons in
    # 8,760 h, so 100 tons needs 8,760 x 100 / 32.87 = 26,654 h, more than a year (infeasible)
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "hours",
                         "--factor", "nox=2 ppmvd@15%O2")
    assert code == 1 and err.startswith("Error: infeasible: it would need 26,654 h")


# The whole gas as a rate per fuel volume: 3,684.4 lb/MMBtu of NOx (1,000,000 ppmvd@15%O2 by Method 19) x 0.001026
# MMBtu/scf (40 CFR 98's natural gas) = 3.780 lb/scf; CO 2,243.0 x 0.001026 = 2.301 lb/scf
@pytest.mark.parametrize(("pol", "text", "said"), [
    ("nox", "5 lb/scf", "a NOx rate per fuel volume is at most 3.78 lb/scf: 3,684 lb/MMBtu"),
    ("nox", "5000000 lb/MMscf", "a NOx rate per fuel volume is at most 3.78 lb/scf: 3,684 lb/MMBtu"),
    ("co", "2.31 lb/scf", "a CO rate per fuel volume is at most 2.3 lb/scf: 2,243 lb/MMBtu"),
])
def test_a_rate_per_fuel_volume_above_the_whole_gas_is_refused(run, pol, text, said):
    # '5 lb/scf' of NOx (4,873 lb/MMBtu) printed 21,735,620 short tons a year for memphis, where '4000 lb/MMBtu' is
    # refused as more than the whole gas
    import pyarrow as pa

    from emiss.inputs.arrays import factor_column, factor_column_arrow

    message = f"'{text}' is more than the whole gas; {said} (1,000,000 ppmvd@15%O2 by EPA Method 19) in gas of 1,026 Btu/scf (HHV)"
    code, out, err = run("estimate", "--preset", "memphis", "--factor", f"{pol}={text}")
    assert (code, out, err) == (2, "", f"Error: --factor {pol}: {message}\n")
    raws = ["100 lb/MMscf", text, "0.1 lb/MMBtu"]
    assert factor_column(pol, raws)[1] == [1]  # the column readers leave it to the one-value parser, which says why
    got = factor_column_arrow(pol, pa.array(raws))
    assert got is None or got[1] == [1]


def test_the_whole_gas_per_fuel_volume_and_pollutants_without_a_bound_are_still_read(run):
    from emiss.core.factors import parse_factor

    assert parse_factor("nox", "3.78 lb/scf", where="x", source="", status="", layer="").value == 3.78
    assert parse_factor("so2", "5 lb/scf", where="x", source="", status="", layer="").value == 5  # no Method 19 weight
    # a batch keeps the good record beside the refused one
    import json

    from click.testing import CliRunner

    from emiss.cli import cli

    lines = "".join(json.dumps({"turbines": 4, "capacity": "16 MW", "factor": {"nox": v}}) + "\n"
                    for v in ("5 lb/scf", "100 lb/MMscf"))
    result = CliRunner().invoke(cli, ["batch"], input=lines)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 1
    assert rows[0]["error"]["field"] == "factor.nox" and "more than the whole gas" in rows[0]["error"]["message"]
    assert rows[1]["record"] == 2 and "error" not in rows[1]


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
