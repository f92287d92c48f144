"""The command line: stdout, stderr and exit codes; integer options, undecodable bytes, terminal sizes, '-' as a file."""

from __future__ import annotations

import csv
import io
import json

import pytest

from emiss.cli import cli
from emiss.errors import printable


def test_memphis_json_keys(run_json):
    doc = run_json("estimate", "--preset", "memphis")
    nox = doc["emissions"]["nox"]
    assert nox["unit"] == "short_ton / year"
    assert nox["value"] == pytest.approx(130, rel=0.02)
    assert nox["metric_tonnes"] == pytest.approx(nox["value"] * 0.90718474)
    assert doc["households"]["method"] == "capacity"
    assert doc["households"]["value"] == pytest.approx(50_000, rel=0.05)
    for key in ("generation", "heat_input"):
        assert set(doc[key]) >= {"value", "unit"}
    assert all(set(a) >= {"name", "value", "unit", "source"} for a in doc["assumptions"])


def test_json_units_parse_with_stock_pint(run_json):
    import pint

    stock = pint.UnitRegistry()
    doc = run_json("estimate", "--preset", "memphis")
    # generation 867,240 MWh/yr from 99 MW x 8,760 h
    assert stock.Quantity(doc["generation"]["value"], doc["generation"]["unit"]).to("MWh/year").magnitude == pytest.approx(867_240)
    heat = stock.Quantity(doc["heat_input"]["value"], doc["heat_input"]["unit"]).to("Btu/year").magnitude
    assert heat == pytest.approx(doc["heat_input"]["value"] * 1e6)
    for e in doc["emissions"].values():
        stock.Quantity(e["value"], e["unit"]).to("kg/year")


def test_value_format_prints_a_bare_number(run):
    code, out, err = run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value")
    assert code == 0 and err == ""
    assert float(out.strip()) == pytest.approx(130, rel=0.02)
    assert out.count("\n") == 1


def test_mass_unit(run):
    code, out, _ = run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value", "--mass-unit", "metric_ton")
    assert code == 0
    # 129.82 short tons x 0.90718474 = 117.77 t
    assert float(out) == pytest.approx(129.82 * 0.90718474, rel=1e-3)


def test_issue_example_single_fleet(run_json):
    doc = run_json("estimate", "--turbines", "15", "--capacity", "16.5 MW", "--heat-rate", "9695 Btu/kWh",
                   "--factor", "nox=2 ppmvd@15%O2")
    # 15 x 16.5 MW = 247.5 MW; x 9,695 x 1.108 / 1000 = 2,658.6 MMBtu/h; x 8,760 = 23,289,600 MMBtu
    # x 2 x 0.0036844 = 171,620 lb = 85.8 short tons
    assert doc["emissions"]["nox"]["value"] == pytest.approx(85.8, rel=1e-3)


def test_csv_rows_match_json(run, run_json):
    doc = run_json("estimate", "--preset", "memphis")
    code, out, _ = run("estimate", "--preset", "memphis", "--format", "csv")
    assert code == 0 and "\r" not in out
    rows = {r["quantity"]: r for r in csv.DictReader(io.StringIO(out))}
    assert float(rows["emissions.nox"]["value"]) == doc["emissions"]["nox"]["value"]
    assert float(rows["generation"]["value"]) == doc["generation"]["value"]
    code, out, _ = run("estimate", "--preset", "memphis", "--format", "ndjson")
    nd = {r["quantity"]: r for r in map(json.loads, out.splitlines())}
    assert nd["emissions.co2e"]["value"] == doc["emissions"]["co2e"]["value"]
    code, out, _ = run("estimate", "--preset", "memphis", "--format", "tsv")
    assert out.splitlines()[0] == "quantity\tvalue\tunit\tnote"


def test_only_filters(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--only", "nox,co2e")
    assert list(doc["emissions"]) == ["nox", "co2e"]


def test_table_shows_both_tons_and_the_sources(run):
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0 and err == ""
    assert "short tons/yr" in out and "tonnes/yr" in out
    assert "CALIBRATED" in out
    assert "117.9 metric tonnes" in out  # the article's "130 tonnes" explained
    assert "AP-42" in out and "Part 98" in out


def test_markdown(run):
    code, out, _ = run("estimate", "--preset", "memphis", "--format", "markdown")
    assert code == 0 and "| NOx |" in out and "| nox |" not in out  # the name readers know, not the id


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--preset", "nope"], 2, "available: memphis"),
        (["--preset", "memphs"], 2, "did you mean 'memphis'"),
        (["--turbines", "2", "--capacity", "16 MQ"], 2, "--capacity"),
        (["--turbines", "2", "--capacity", "16 kg"], 2, "expected a power"),
        (["--turbines", "2", "--capacity", "-16 MW"], 2, "more than zero"),
        (["--turbines", "2", "--capacity", "nan MW"], 2, "finite"),
        (["--turbines", "2", "--capacity", "1e400 MW"], 2, "finite"),
        (["--turbines", "0", "--capacity", "16 MW"], 2, "at least 1"),
        (["--preset", "memphis", "--capacity-factor", "1.2"], 2, "at most 1"),
        (["--preset", "memphis", "--capacity-factor", "0.5", "--hours", "100"], 2, "not both"),
        (["--preset", "memphis", "--hours", "9000"], 2, "8760"),
        (["--preset", "memphis", "--hours", "0"], 2, "above 0"),
        (["--preset", "memphis", "--factor", "xyz=1 lb/h"], 2, "unknown pollutant"),
        (["--preset", "memphis", "--factor", "nox"], 2, "POLLUTANT=QTY"),
        (["--preset", "memphis", "--factor", "nox=1"], 2, "not an emission factor"),
        (["--preset", "memphis", "--only", "foo"], 2, "unknown pollutant"),
        (["--preset", "memphis", "--format", "value"], 2, "exactly one pollutant"),
        ([], 2, "no fleet"),
        (["--preset", "memphis", "--turbines", "3"], 2, "--capacity too"),
        (["--preset", "memphis", "--mass-unit", "MW"], 2, "not a mass unit"),
        (["--preset", "memphis", "--factor", "nox=0.1 lb/MBtu"], 2, "MMBtu"),
        (["--preset", "memphis", "--heat-rate", "9000"], 2, "no unit"),
        (["--preset", "memphis", "--bogus"], 2, "No such option"),
    ],
)
def test_bad_input_one_line_no_stdout(run, args, code, needle):
    got, out, err = run("estimate", *args)
    assert got == code
    assert out == ""
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_preset_file_names_file_and_key(run, tmp_path):
    p = tmp_path / "site.toml"
    p.write_text('[[fleet]]\nname = "a"\ncount = 1\ncapacty = "5 MW"\n')
    code, out, err = run("estimate", "--preset", str(p))
    assert code == 1 and out == ""
    assert "site.toml" in err and "capacty" in err and "did you mean 'capacity'" in err


def test_truncated_toml_names_line(run, tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text('[[fleet]]\nname = "a\n')
    code, out, err = run("estimate", "--preset", str(p))
    assert code == 1 and out == "" and "broken.toml" in err and "line 2" in err


def test_preset_data_error_exits_1(run, tmp_path):
    p = tmp_path / "neg.toml"
    p.write_text('[[fleet]]\ncount = 1\ncapacity = "-5 MW"\nheat_rate = "9000 Btu/kWh"\n')
    code, out, err = run("estimate", "--preset", str(p))
    assert code == 1 and out == "" and "neg.toml: fleet[0].capacity" in err


def test_version(run):
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("emiss ")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_examples(run, command):
    code, out, _ = run(command, "--help")
    assert code == 0 and "Examples" in out


def test_each_command_is_found_in_the_module_that_registers_it():
    # a command's module is imported when the command is run (app.COMMAND_MODULES): the table must name every
    # command the modules register, each with its own module
    from emiss.cli.app import COMMAND_MODULES

    assert {name: cmd.callback.__module__ for name, cmd in cli.commands.items()} == {
        name: f"emiss.cli.{module}" for name, module in COMMAND_MODULES.items()}


@pytest.mark.parametrize("args", [["batch"], ["estimate", "--preset", "memphis"], ["nosuch"]])
def test_a_command_run_imports_its_own_command_module_alone(args, tmp_path):
    # startup: 'emiss batch' does not build the analysis commands; a name that is no command loads them all, so that
    # the error lists what there is
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "emiss", *args], check=False, input=b'{"turbines": 1, "capacity": "5 MW"}\n',
                       capture_output=True, cwd=tmp_path, timeout=120)
    loaded = {line.rsplit("|", 1)[1].strip() for line in r.stderr.decode().splitlines() if line.startswith("import time:")}
    commands = {m for m in loaded if m.startswith("emiss.cli.") and m != "emiss.cli.app"}
    if args == ["nosuch"]:
        assert r.returncode == 2 and "No such command 'nosuch'" in r.stderr.decode()
        assert commands == {"emiss.cli.analysis", "emiss.cli.batch", "emiss.cli.estimate", "emiss.cli.measured",
                            "emiss.cli.reference", "emiss.cli.replay"}
    else:
        assert r.returncode == 0, r.stderr[-500:]
        assert commands == {f"emiss.cli.{args[0]}"}


def test_cli_pollutant_ids_match_the_library():
    # the CLI keeps its own copy so that --help does not load the library
    from emiss import data as library
    from emiss.cli import app as cli_module

    assert cli_module.POLLUTANT_IDS == library.POLLUTANTS


@pytest.mark.parametrize("sub", ["list", "show", "validate"])
def test_preset_subcommands_have_help_with_examples(run, sub):
    code, out, _ = run("presets", sub, "--help")
    assert code == 0 and "Examples" in out


def test_a_command_line_value_is_read_once():
    # The option's type reads a value where it enters (fields.check_text, a Read); the scenario builder takes that
    # reading instead of reading the text again. A Read carrying a reading the text would not give shows which one is
    # used: '5 MW' reads as 5 x 1000 = 5000 kW, the Read says 6000 kW, and the built scenario has 6000 kW.
    from emiss.inputs.fields import Read, check_text
    from emiss.inputs.scenario import scenario_from

    r = check_text("capacity", " 4..6 MW ", where="--capacity")
    assert isinstance(r, Read) and r == "4..6 MW" and r.values == {"4 MW": 4000.0, "6 MW": 6000.0}  # each end, in kW
    plain = scenario_from(None, {"turbines": "2", "capacity": "5 MW"})
    assert plain.groups[0].capacity_kw == 5000.0
    read = scenario_from(None, {"turbines": "2", "capacity": Read("5 MW", "capacity", {"5 MW": 6000.0})})
    assert read.groups[0].capacity_kw == 6000.0
    fac = scenario_from(None, {"turbines": "2", "capacity": "5 MW", "factor.nox": Read("9 lb/MMBtu", "factor.nox",
                                                                                       {"9 lb/MMBtu": ("input", 0.5)})})
    assert fac.fleet_factors["nox"].value == 0.5


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


DIGITS_ONLY = "is not a whole number: numbers are written with the digits 0-9 (no '_'), e.g. 1000"


# ---- integer options read by the quantities' rule ---------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("estimate", "--preset", "memphis", "--samples", "1_000"),
    ("estimate", "--preset", "memphis", "--samples", "\u0661\u0660\u0660"),  # Arabic-Indic 100
    ("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1_0"),
    ("estimate", "--preset", "memphis", "--samples", "200", "--seed", "\uff11"),  # fullwidth 1
    ("cluster", "--gpus", "1_000"),
])
def test_integer_options_take_the_digits_0_9_only(run, args):
    # click's int() read '1_000' as 1000 and '١٠٠' as 100 while --turbines (and every quantity) refuses both: one rule
    code, out, err = run(*args)
    option, value = args[-2], args[-1]
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: Invalid value for '{option}': '{value}' {DIGITS_ONLY}"


def test_integer_options_keep_their_own_messages_and_plain_numbers(run):
    # the bounds and click's wording stay; a sign and spaces are still a number, as int() and the quantities take them
    assert run("estimate", "--samples", "2.5")[2].strip() == "Error: Invalid value for '--samples': '2.5' is not a valid integer range."
    assert run("estimate", "--samples", "1")[2].strip() == "Error: Invalid value for '--samples': 1 is not in the range x>=2."
    assert run("cluster", "--gpus", "x")[2].strip() == "Error: Invalid value for '--gpus': 'x' is not a valid integer."
    code, out, err = run("estimate", "--preset", "memphis", "--samples", " +20 ", "--seed", "3", "--only", "nox", "--format", "json")
    assert code == 0, err
    assert '"samples": 20,' in out and '"seed": 3,' in out


# ---- bytes that are not UTF-8 are shown as bytes ------------------------------------------------------------------

def test_printable_shows_an_undecoded_byte_as_the_byte():
    # surrogateescape reads byte 0xff as U+DCFF: shown '\udcff', a character no one typed; the byte is '\xff'
    assert printable("a\udcffb\udc80") == "a\\xffb\\x80"
    assert printable("\ud800 \udfff \x1b \x85") == "\\ud800 \\udfff \\x1b \\x85"  # other surrogates and controls as before


def test_a_non_utf8_argument_is_quoted_as_its_bytes(run):
    # a shell's $'\xff' arrives as '\udcff'
    code, out, err = run("estimate", "--preset", "a\udcff.toml")
    assert (code, out) == (2, "")
    assert err.strip() == "Error: --preset: no such preset file 'a\\xff.toml'"
    code, out, err = run("estimate", "--samples", "\udcfe")
    assert (code, out) == (2, "")
    assert err.strip() == f"Error: Invalid value for '--samples': '\\xfe' {DIGITS_ONLY}"


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


def test_gpus_samples_and_seed_read_a_whole_number_as_turbines_does(run):
    # before, '--gpus 1e5' was "not a valid integer" while '--turbines 1e1' is 10 (README: a count is '4', '4.0', '1e1')
    def doc(*args):
        code, out, err = run(*args, "--format", "json")
        assert code == 0, err
        return out

    assert doc("cluster", "--gpus", "1e5", "--gpu", "h100") == doc("cluster", "--gpus", "100000", "--gpu", "h100")
    assert doc("cluster", "--gpus", "2.0E4", "--gpu", "h100") == doc("cluster", "--gpus", "20000", "--gpu", "h100")
    base = ("estimate", "--preset", "memphis", "--only", "nox")
    assert doc(*base, "--samples", "2e1", "--seed", "3.0") == doc(*base, "--samples", "20", "--seed", "3")
    # not whole, not finite, or beyond what a float holds exactly (2**53 = 9.007e15): refused in click's words
    for value in ("2.5", "1e400", "1e16", "nan"):
        assert run("cluster", "--gpus", value)[:2] == (2, ""), value
        assert run("cluster", "--gpus", value)[2].strip() == f"Error: Invalid value for '--gpus': '{value}' is not a valid integer."
    assert run("estimate", "--samples", "1e0")[2].strip() == "Error: Invalid value for '--samples': 1 is not in the range x>=2."
