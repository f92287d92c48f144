"""Leftovers of the s17 review: a value's kind named in plain words, a JSON null named as given, one rule for two
limits on one pollutant, a true last line from 'presets validate', one message for '-' as a chart, a bad manifest
value as bad data, and sensitivity's chart without a run of its own."""

from __future__ import annotations

import enum

import pytest

import emiss
from emiss.core.units import value_kind
from emiss.errors import EmissError


class _Fuel(enum.Enum):
    GAS = 1


@pytest.mark.parametrize("value, said", [
    (_Fuel.GAS, "an Enum member (_Fuel.GAS)"),  # was 'a _Fuel (_Fuel.GAS)'
    (_Fuel, "a class (_Fuel)"),  # was "a EnumType (<enum '_Fuel'>)"
    (ValueError("x"), "a value of type ValueError (x)"),  # was 'a ValueError (x)'
    (len, "a function (<built-in function len>)"),  # was 'a builtin_function_or_method (...)'
    (3j, "a complex number (3j)"),
    ({1}, "a set ({1})"),
    (5, "an int (5)"),  # Python's own lower-case names stay as they were
    ({}, "an object ({})"),
])
def test_value_kind_names_what_was_given_in_plain_words(value, said):
    assert value_kind(value) == said


def test_an_enum_given_as_a_preset_is_named_as_one():
    with pytest.raises(EmissError) as info:
        emiss.build_scenario(_Fuel.GAS)
    assert info.value.message.startswith("is an Enum member (_Fuel.GAS), not a preset; ")
    with pytest.raises(EmissError) as info:
        emiss.calculate(_Fuel)
    assert info.value.message == "scenario must be a Scenario from emiss.build_scenario, not a class (_Fuel)"


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


def test_a_group_number_not_written_with_0_9_is_refused_not_a_traceback(run, tmp_path):
    # 'fleet.².count' (a superscript two) raised ValueError from int() in a batch record
    path = tmp_path / "in.ndjson"
    path.write_text('{"fleet.\\u00b2.count": 3}\n', encoding="utf-8")
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and "Traceback" not in err
    assert "'fleet.².count': N counts the groups from 1 to 2" in err


def test_a_unit_number_not_written_with_0_9_is_not_described_by_the_preset(run, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("date,unit,hours,nox_lb\n2025-08,Solar SMT-130 turbines#²,5,\n", encoding="utf-8")
    code, out, err = run("track", str(path), "--preset", "memphis-2025-permit")
    assert (code, out) == (1, "") and "Traceback" not in err
    assert "unit 'Solar SMT-130 turbines#²' is not described by the preset" in err


def test_a_columns_value_not_written_with_0_9_is_ignored_as_any_other_bad_value(monkeypatch):
    # terminal() raised ValueError from int('²00')
    from emiss.cli.app import terminal
    from emiss.report.render import TABLE_WIDTH

    monkeypatch.setenv("COLUMNS", "²00")
    term = terminal()
    assert (term.width, term.fit) == (TABLE_WIDTH, False)


@pytest.mark.parametrize("name, value", [("COLUMNS", "²00"), ("LINES", "²0"), ("COLUMNS", "١٠٠")])
def test_rich_is_not_given_a_terminal_size_it_cannot_read(name, value):
    # rich read COLUMNS and LINES with str.isdigit(), which says yes to '²00' (a superscript two) and to Arabic-Indic
    # digits, then int() raised ValueError inside console.print: a traceback instead of the table. Such a value is
    # ignored, as emiss's own width rule ignores it, so the table is the one drawn with no COLUMNS at all.
    from click.testing import CliRunner

    from emiss.cli import cli

    plain = CliRunner().invoke(cli, ["estimate", "--preset", "memphis"], env={"COLUMNS": None, "LINES": None})
    odd = CliRunner().invoke(cli, ["estimate", "--preset", "memphis"], env={"COLUMNS": None, "LINES": None, name: value})
    assert (odd.exit_code, odd.stderr) == (0, "")
    assert odd.stdout == plain.stdout


BLANK_CAPACITY = ("record 1: turbines: the preset has 2 groups; give capacity too, to describe the whole fleet "
                  "(capacity is null or empty in this record, which is not set)")


@pytest.mark.parametrize("name, text", [
    ("in.ndjson", '{"turbines": 3, "capacity": null}\n'),
    ("in.ndjson", '{"turbines": 3, "capacity": ""}\n'),
    ("in.ndjson", '{"turbines": 3, " capacity": null}\n'),  # a key read under its canonical name
    ("in.csv", "turbines,capacity\n3,\n"),
])
def test_a_field_written_as_null_is_named_when_the_error_asks_for_it(run, tmp_path, name, text):
    # null (or '') is not set, as the README says; the message said 'give capacity too' to a record that gave it
    path = tmp_path / name
    path.write_text(text)
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and f"Error: {BLANK_CAPACITY}\n" in err


def test_a_parquet_null_and_a_dataframe_none_are_named_too(run, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"turbines": [3], "capacity": pa.array([None], pa.string())}), path)
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and f"Error: {BLANK_CAPACITY}\n" in err
    pd = pytest.importorskip("pandas")
    frame = emiss.estimate_frame(pd.DataFrame({"turbines": [3, 3], "capacity": [None, "16 MW"]}), "memphis")
    assert frame["error"][0] == BLANK_CAPACITY.removeprefix("record 1: ") and frame["error"][1] is None


def test_a_field_left_out_is_asked_for_as_before(run, tmp_path):
    path = tmp_path / "in.ndjson"
    path.write_text('{"turbines": 3}\n{"turbine_model": "Solar Taurus 60", "turbines": null}\n')
    code, out, err = run("batch", "--input", str(path), "--preset", "memphis")
    assert code == 1 and err.splitlines()[:2] == [
        "Error: record 1: turbines: the preset has 2 groups; give capacity too, to describe the whole fleet",
        # a record's fields by their names (it said '--turbines N' and '--turbine-model', the command line's options)
        "Error: record 2: turbine_model: give turbines with turbine_model (turbines is null or empty in this record, "
        "which is not set)"]
    code, out, err = run("estimate", "--turbine-model", "Solar Taurus 60")
    assert (code, err) == (2, "Error: --turbine-model: give --turbines N with --turbine-model\n")


@pytest.mark.parametrize("limits, says", [
    (["nox=87 tpy", "nox=90 tpy"], "nox: '87 tpy' and '90 tpy' are both a cap per year of the facility"),
    (["nox=10 lb/h per unit", "nox=12 lb/h each"], "nox: '10 lb/h per unit' and '12 lb/h each' are both an hourly "
                                                   "limit of each unit"),
    # ppmvd and lb/MMBtu are one quantity (Method 19), the same for a unit and for the facility
    (["nox=9 ppmvd@15%O2", "nox=0.05 lb/MMBtu per unit"], "nox: '9 ppmvd@15%O2' and '0.05 lb/MMBtu per unit' are both "
                                                          "a limit per heat input (lb/MMBtu, ppmvd)"),
])
@pytest.mark.parametrize("command", ["estimate", "pte", "limit"])
def test_two_limits_of_one_kind_for_a_pollutant_are_refused_by_every_command(run, command, limits, says):
    # estimate showed and judged both 87 and 90 tpy for NOx (the screening took the lower); track refused the second
    args = [a for lim in limits for a in ("--limit", lim)]
    code, out, err = run(command, "--preset", "memphis", *args)
    assert (code, out, err) == (2, "", f"Error: --limit: {says}; give one\n")


def test_limits_of_other_kinds_for_one_pollutant_are_each_judged(run_json):
    # a permit's annual cap beside its short-term limits: each a row of its own (memphis: 4 x 16 MW + 14 x 2.5 MW)
    doc = run_json("estimate", "--preset", "memphis", "--limit", "nox=87 tpy", "--limit", "nox=10 lb/h per unit",
                   "--limit", "nox=150 lb/h", "--limit", "nox=25 tpy per unit", "--limit", "nox=9 ppmvd@15%O2")
    assert [(x["limit"]["as_given"], x["per"]) for x in doc["limits"] if x["pollutant"] == "nox"] == [
        ("87 tpy", "facility"), ("10 lb/h per unit", "unit"), ("150 lb/h", "facility"), ("25 tpy per unit", "unit"),
        ("9 ppmvd@15%O2", "facility")]


def test_track_reads_its_caps_by_the_same_rule(run, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,nox_lb,co_lb\n2024-01,CT-1,300,5,7\n")
    code, out, err = run("track", str(log), "--limit", "nox=17 tpy", "--limit", "nox=10 tpy")
    assert (code, err) == (2, "Error: --limit: nox: '17 tpy' and '10 tpy' are both a cap per year of the facility; "
                              "give one\n")
    # another kind is not 'given twice' (as it was): track says it cannot judge it
    code, out, err = run("track", str(log), "--limit", "nox=17 tpy", "--limit", "nox=10 lb/h")
    assert (code, err) == (2, "Error: --limit: nox: '10 lb/h' is not a cap per year; 12-month rolling sums compare "
                              "with tons per year, e.g. nox='87 tpy'\n")
    code, out, err = run("track", str(log), "--limit", "nox=17 tpy", "--limit", "co=50 tpy")
    assert code == 0, err


GOOD_PRESET = '[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncount = 2\ncapacity = "5 MW"\nheat_rate = "9695 Btu/kWh"\n'


def test_presets_validate_names_the_files_with_problems_and_counts_each_file_once(run, tmp_path):
    # a problem names the file alone ('site.toml: ...'): with a site.toml in two folders, the last line said
    # '1 of 2 preset file(s) have problems' and not which; a file given twice was two files, and two with problems
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    good, bad = tmp_path / "a" / "site.toml", tmp_path / "b" / "site.toml"
    good.write_text(GOOD_PRESET)
    bad.write_text(GOOD_PRESET.replace("count = 2", "count = 0"))
    code, out, err = run("presets", "validate", str(good), str(bad), str(tmp_path / "b" / ".." / "b" / "site.toml"))
    assert (code, out) == (1, f"{good}: ok\n")
    assert err.splitlines() == ["Error: site.toml: fleet[0].count: '0' must be at least 1 unit",
                                f"Error: 1 of 2 preset file(s) have problems: {bad}"]
    more = []
    for i in range(7):
        more.append(tmp_path / f"bad{i}.toml")
        more[-1].write_text("[preset\n")
    code, out, err = run("presets", "validate", str(good), *map(str, more))
    assert err.splitlines()[-1] == (f"Error: 7 of 8 preset file(s) have problems: {', '.join(map(str, more[:5]))} "
                                    "and 2 more")
    code, out, err = run("presets", "validate", str(good), str(good))
    assert (code, out, err) == (0, f"{good}: ok\n", "")


@pytest.mark.parametrize("args", [
    ("track", "LOG", "--limit", "nox=17 tpy", "--chart", "-"),  # said "'-' must end in .svg or .png", its own rule
    ("estimate", "--preset", "memphis", "--svg", "-"),
    ("estimate", "--preset", "memphis", "--manifest", "-"),
    ("pte", "--preset", "memphis", "--chart", "-"),
    ("estimate", "--preset", "memphis", "--html", "-"),
])
def test_dash_as_a_file_an_option_writes_is_refused_by_one_rule(run, tmp_path, args):
    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,nox_lb\n2024-01,CT-1,300,5\n")
    args = [str(log) if a == "LOG" else a for a in args]
    code, out, err = run(*args)
    opt = args[-2]
    assert (code, out, err) == (2, "", f"Error: {opt}: '-' would mix it into the results on stdout; give a file name\n")


def _manifest(run, path, *args):
    code, _, err = run("estimate", *args, "--manifest", str(path))
    assert code == 0, err
    import json

    return json.loads(path.read_text())


@pytest.mark.parametrize("samples", [1, 5_000_001])
def test_a_manifest_samples_count_emiss_cannot_draw_is_bad_data(run, tmp_path, samples):
    # replay exited 2 with '--samples: 1 samples: give from 2 to 5,000,000', as if the command line were wrong
    import json

    path = tmp_path / "run.json"
    m = _manifest(run, path, "--preset", "memphis", "--samples", "100", "--seed", "1")
    m["inputs"]["run"]["samples"] = samples
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err == (f"Error: replay: not a run manifest as emiss writes it: 'inputs.run.samples' is {samples}: a run draws "
                   "from 2 to 5,000,000 samples (0 or null: none) (write one with emiss estimate --manifest FILE)\n")


def test_a_manifest_run_that_cannot_be_drawn_again_is_bad_data(run, tmp_path):
    # samples added to a run with no uncertain input: exit 2 with '--samples: no input is uncertain'
    import json

    path = tmp_path / "run.json"
    m = _manifest(run, path, "--turbines", "2", "--capacity", "16 MW")
    m["inputs"]["run"]["samples"] = 100
    path.write_text(json.dumps(m))
    code, out, err = run("replay", str(path))
    assert (code, out) == (1, "")
    assert err.startswith("Error: replay: the manifest's run cannot be drawn again: --samples: no input is uncertain")


def test_sensitivity_chart_takes_its_thresholds_from_the_central_estimate(run, tmp_path, monkeypatch):
    # the chart ran one more estimate of the same scenario for the major-source thresholds
    pytest.importorskip("matplotlib")
    import json

    import emiss.analysis.uncertainty as uncertainty
    import emiss.core.calc as calc

    real, calls = calc.estimate, []

    def counted(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(calc, "estimate", counted)
    monkeypatch.setattr(uncertainty, "estimate", counted)
    code, out, err = run("sensitivity", "--preset", "memphis", "--chart", str(tmp_path / "t.svg"), "--format", "json")
    assert code == 0, err
    swings = len(json.loads(out)["swings"])
    assert swings >= 2 and len(calls) == 1 + 2 * swings  # the central estimate, then each input at its low and high end


def test_validate_names_a_missing_file_without_an_option_it_does_not_have(run, tmp_path):
    # 'presets validate' has no --preset option, yet a missing file was 'Error: --preset: no such preset file ...'
    missing = str(tmp_path / "nowhere" / "site.toml")
    code, out, err = run("presets", "validate", missing)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"Error: no such preset file '{missing}'",
                                f"Error: 1 of 1 preset file(s) have problems: {missing}"]


def test_a_limit_given_replaces_the_presets_of_its_kind_in_place(run_json):
    # memphis-2025-permit caps NOx at 87 tpy; '--limit nox=90 tpy' is a cap per year of the facility too, so it takes
    # the 87's place (first row), as track already did, where both were judged and the screening held NOx at the lower.
    # A limit of another kind (2 lb/h per unit) is added. NOx estimate 171,305.8 lb/yr: margin 180,000 - 171,305.8.
    doc = run_json("estimate", "--preset", "memphis-2025-permit", "--limit", "nox=90 tpy", "--limit", "nox=2 lb/h per unit")
    nox = [(x["kind"], x["per"], x["limit"]["as_given"]) for x in doc["limits"] if x["pollutant"] == "nox"]
    assert nox == [("annual", "facility", "90 tpy"), ("hourly", "unit", "2 lb/h per unit")]
    assert doc["limits"][0]["pollutant"] == "nox"
    assert doc["limits"][0]["margin"]["value"] == pytest.approx(180_000 - doc["limits"][0]["estimate"]["value"])
