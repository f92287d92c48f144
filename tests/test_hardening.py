"""Bad input never gives a traceback or a silent wrong answer; presets are data; outputs agree with each other."""

from __future__ import annotations

import csv
import io
import json
import string

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emiss.core import units
from emiss.cli import cli
from emiss.errors import EmissError
from emiss.inputs.presets import parse as parse_preset
from emiss.inputs.scenario import build

M = ["--preset", "memphis"]
ONE = ["--turbines", "2", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh"]

# (command line, expected exit code, a word the one-line message must contain)
BAD = [
    (["estimate", "--turbines", "2", "--capacity", "16 kg"], 2, "power"),
    (["estimate", "--turbines", "2", "--capacity", "16 MQ"], 2, "MQ"),
    (["estimate", "--turbines", "2", "--capacity", "-1 MW"], 2, "more than zero"),
    (["estimate", "--turbines", "2", "--capacity", "0 MW"], 2, "more than zero"),
    (["estimate", "--turbines", "2", "--capacity", "nan MW"], 2, "finite"),
    (["estimate", "--turbines", "2", "--capacity", "inf MW"], 2, "finite"),
    (["estimate", "--turbines", "2", "--capacity", "1e400 MW"], 2, "finite"),
    (["estimate", "--turbines", "2", "--capacity", ""], 2, "empty"),
    (["estimate", "--turbines", "2", "--capacity", "1e300 MW", "--format", "json"], 1, "too large"),
    (["estimate", "--turbines", "2", "--capacity", "1e300 MW"], 1, "too large"),
    (["estimate", "--turbines", "two", "--capacity", "16 MW"], 2, "whole number"),
    (["estimate", "--turbines", "0", "--capacity", "16 MW"], 2, "at least 1"),
    (["estimate", "--turbines", "1.5", "--capacity", "16 MW"], 2, "whole number"),
    (["estimate", *ONE, "--heat-rate", "9695"], 2, "no unit"),
    (["estimate", *ONE, "--heat-rate", "9695 kg"], 2, "heat rate"),
    (["estimate", *ONE, "--heat-rate", "150%"], 2, "efficiency"),
    (["estimate", *ONE, "--capacity-factor", "1.2"], 2, "at most 1"),
    (["estimate", *ONE, "--capacity-factor", "0"], 2, "above 0"),
    (["estimate", *ONE, "--capacity-factor", "120%"], 2, "at most 1"),
    (["estimate", *ONE, "--capacity-factor", "5 MW"], 2, "fraction"),
    (["estimate", *ONE, "--hours", "9000"], 2, "8760"),
    (["estimate", *ONE, "--hours", "-5 h"], 2, "above 0"),
    (["estimate", *ONE, "--hours", "5 MW"], 2, "hours"),
    (["estimate", *ONE, "--hours", "100", "--capacity-factor", "0.5"], 2, "not both"),
    (["estimate", *ONE, "--factor", "zz=1 lb/h"], 2, "unknown pollutant"),
    (["estimate", *ONE, "--factor", "nox=1 MW"], 2, "emission factor"),
    (["estimate", *ONE, "--factor", "nox=-1 lb/MMBtu"], 2, "negative"),
    (["estimate", *ONE, "--factor", "nox=2 ppm"], 2, "oxygen"),
    (["estimate", *ONE, "--factor", "pm=2 ppmvd@15%O2"], 2, "concentration"),
    (["estimate", *ONE, "--factor", "nox=2 ppmvd@21%O2"], 2, "oxygen"),
    (["estimate", *ONE, "--factor", "co2e=1 lb/MMBtu"], 2, "computed"),
    (["estimate", *ONE, "--factor", "nox=0.1 lb/MBtu"], 2, "MMBtu"),
    (["estimate", *ONE, "--hhv-lhv", "2"], 2, "HHV/LHV"),
    (["estimate", *ONE, "--household-use", "0 kWh"], 2, "more than zero"),
    (["estimate", *ONE, "--household-demand", "3 kg"], 2, "power per home"),
    (["estimate", *ONE, "--mass-unit", "parsec"], 2, "mass unit"),
    (["estimate", *ONE, "--only", "nox,zz"], 2, "unknown pollutant"),
    (["estimate", *ONE, "--format", "value"], 2, "exactly one"),
    (["estimate", *ONE, "--format", "xml"], 2, "Invalid value"),
    (["estimate", *ONE, "--control", "magic"], 2, "Invalid value"),
    (["estimate", *ONE, "--capacity-factor", "0.5..0.95..0.9"], 2, "out of order"),
    (["estimate", *ONE, "--capacity-factor", "0.5..2"], 2, "at most 1"),
    (["estimate", *ONE, "--fail-above", "nox"], 2, "POLLUTANT=QTY"),
    (["estimate", *ONE, "--fail-above", "nox=3 MW"], 2, "mass per year"),
    (["estimate", *ONE, "--samples", "100"], 2, "uncertain"),
    (["estimate", "--preset", "../etc/passwd"], 2, "no such preset file"),
    (["estimate", "--preset", "Mem phis"], 2, "not a preset name"),
    (["estimate", "--preset", "nope"], 2, "available"),
    (["estimate", "--turbine-model", "smt-131", "--turbines", "2"], 2, "did you mean"),
    (["estimate", "--turbine-model", "smt-130"], 2, "--turbines"),
    (["estimate"], 2, "no fleet"),
    (["solve", *M, "--target", "nox=abc", "--vary", "hours"], 2, "--target"),
    (["solve", *M, "--target", "nox=130 short_ton/year", "--vary", "moon"], 2, "unknown input"),
    (["solve", *M, "--target", "nox=-5 short_ton/year", "--vary", "hours"], 2, "more than zero"),
    (["solve", *M, "--target", "nox=130 MW", "--vary", "hours"], 2, "mass per year"),
    (["sensitivity", *M, "--output", "zz"], 2, "unknown output"),
    (["sensitivity", *ONE], 1, "no input is uncertain"),
    (["compare", "--preset", "memphis"], 2, "nothing to compare"),
    (["compare"], 2, "at least one"),
    (["compare", *M, "--grid", "--subregion", "XXXX"], 2, "eGRID"),
    (["cluster", "--gpus", "0"], 2, "at least 1"),
    (["cluster", "--gpus", "1000", "--gpu", "h1000"], 2, "did you mean"),
    (["cluster", "--gpus", "1000", "--pue", "0.5"], 2, "between"),
    (["cluster", "--gpus", "1000", "--derate", "2"], 2, "at most 1"),
    (["cluster", "--gpus", "1000", "--redundancy", "M+1"], 2, "redundancy"),
    (["cluster", "--gpus", "1000", "--turbine-capacity", "-3 MW"], 2, "more than zero"),
    (["cluster", "--gpus", "1000", "--turbine-model", "smt-130", "--turbine-capacity", "3 MW"], 2, "not both"),
    (["cluster", "--gpus", "lots"], 2, "Invalid value"),
    (["presets", "show", "nope"], 2, "available"),
    (["batch", "--input", "/nonexistent/file.ndjson"], 1, "cannot read"),
]


@pytest.mark.parametrize(("args", "code", "needle"), BAD, ids=[" ".join(a)[:60] for a, _, _ in BAD])
def test_bad_input_matrix(args, code, needle):
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == code, (r.stdout, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_the_matrix_is_at_least_40_inputs():
    assert len(BAD) >= 40


PRESET_CASES = [
    ('[[fleet]]\ncount = 1\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\nheat_rat_basis = "lhv"\n', "did you mean"),
    ('[[fleet]\ncount = 1\n', "invalid TOML"),
    ('[[fleet]]\ncount = 1\ncapacity = "5 MW\n', "line 3"),
    ('[[fleet]]\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\n', "no count"),
    ('[preset]\nname = "x"\n', "no [[fleet]]"),
    ('', "no [[fleet]]"),
    ('[[fleet]]\ncount = 1\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\n[operation]\nhours = 10\ncapacity_factor = 0.5\n', "not both"),
    ('[[fleet]]\ncount = 1\ncapacity = { source = "x" }\n', "no 'value'"),
    ('[[fleet]]\ncount = 1\ncapacity = { value = "5 MW", status = "sure" }\n', "status"),
    ('[[fleet]]\ncount = 1\ncapacity = "5 MW"\n[factors]\nnoxx = "1 lb/h"\n', "did you mean 'nox'"),
    ('fleet = 3\n', "array of tables"),
    ('[[fleet]]\ncount = [1, 2]\ncapacity = "5 MW"\n', "must be a value"),
]


@pytest.mark.parametrize(("text", "needle"), PRESET_CASES)
def test_bad_presets_name_file_and_problem(tmp_path, text, needle):
    p = tmp_path / "site.toml"
    p.write_text(text)
    r = CliRunner().invoke(cli, ["estimate", "--preset", str(p)])
    assert r.exit_code in (1, 2) and r.stdout == ""
    assert "site.toml" in r.stderr and needle in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_non_utf8_preset(tmp_path):
    p = tmp_path / "latin.toml"
    p.write_bytes(b'[preset]\ntitle = "caf\xe9"\n')
    r = CliRunner().invoke(cli, ["estimate", "--preset", str(p)])
    assert r.exit_code == 1 and "UTF-8" in r.stderr and r.stdout == ""


def test_validate_reports_every_problem_at_once(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('[preset]\ntitel = "t"\n[[fleet]]\ncount = -3\ncapacity = "16 MQ"\nheat_rate = "9000 Btu/kWh"\n'
                 '[operation]\ncapacity_factor = 1.5\n[factors]\nnox = "3 furlongs"\n')
    r = CliRunner().invoke(cli, ["presets", "validate", str(p)])
    assert r.exit_code == 1
    for needle in ("titel", "count", "MQ", "capacity_factor", "factors.nox"):
        assert needle in r.stderr
    good = CliRunner().invoke(cli, ["presets", "validate", "presets/memphis.toml"])
    assert good.exit_code == 0 and "ok" in good.stdout


def test_preset_text_is_shown_literally(tmp_path):
    p = tmp_path / "markup.toml"
    p.write_text('[preset]\ntitle = "[red]ALERT[/red] [link=http://x]x[/link]"\nnotes = ["[bold]n[/bold]"]\n'
                 '[[fleet]]\nname = "[blink]g[/blink]"\ncount = 1\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\n')
    r = CliRunner().invoke(cli, ["estimate", "--preset", str(p)])
    assert r.exit_code == 0
    assert "[red]ALERT[/red]" in r.stdout and "[bold]n[/bold]" in r.stdout and "[blink]g[/blink]" in r.stdout


def test_csv_cells_are_neutralised_for_spreadsheets():
    r = CliRunner().invoke(cli, ["batch", "--format", "csv", "--only", "nox"],
                           input='{"id": "=HYPERLINK(\\"http://x\\")", "turbines": 1, "capacity": "1 MW"}\n'
                                 '{"id": "@SUM(A1)", "turbines": 1, "capacity": "1 MW"}\n')
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows[0]["id"].startswith("'=") and rows[1]["id"].startswith("'@")


def test_a_preset_name_never_leaves_the_preset_folders():
    for name in ("../presets/memphis", "..", "memphis/../../x", "~root", "memphis.", "MEMPHIS"):
        r = CliRunner().invoke(cli, ["estimate", "--preset", name])
        assert r.exit_code == 2 and r.stdout == ""


def test_no_color_and_pipes_give_plain_text(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    r = CliRunner().invoke(cli, ["estimate", "--preset", "memphis"])
    assert "\x1b[" not in r.stdout


# ---- fuzzing ----

TEXT = st.text(alphabet=string.printable + "µ°±×÷€", max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_quantity_parser_fuzz(text):
    try:
        units.convert(text, "kW", where="fuzz", expect="a power")
    except EmissError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_factor_parser_fuzz(text):
    from emiss.core.factors import parse_factor

    try:
        f = parse_factor("nox", text, where="fuzz", source="", status="user", layer="cli")
        assert f.value >= 0
    except EmissError:
        pass


PRESET_LINES = st.lists(st.sampled_from([
    "[[fleet]]", "[operation]", "[factors]", "[households]", "[constants]", "[preset]",
    'count = 4', 'count = -1', 'count = "x"', 'capacity = "16 MW"', 'capacity = "16"', 'capacity = 16',
    'heat_rate = "9695 Btu/kWh"', 'heat_rate = "40%"', 'hours = "8760 h"', 'capacity_factor = 1.5',
    'nox = "7.9 ppmvd@15%O2"', 'nox = { value = "1 lb/h", low = "2 lb/h", high = "1 lb/h" }', 'kind = "engine"',
    'kind = "rocket"', 'control = "lean-premix"', 'title = "t"', 'method = "capacity"', 'demand = "2 kW"', 'x = 1',
    'hhv_lhv = 1.108', 'gwp = "AR9"', '"unterminated = ', "= 3",
]), max_size=14)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PRESET_LINES)
def test_preset_loader_fuzz(lines):
    try:
        build(parse_preset("\n".join(lines) + "\n", label="fuzz.toml"))
    except EmissError:
        pass


# ---- the formats carry the same numbers ----

@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), mw=st.floats(0.5, 60), cf=st.floats(0.05, 1.0))
def test_json_csv_ndjson_agree(n, mw, cf):
    args = ["estimate", "--turbines", str(n), "--capacity", f"{mw!r} MW", "--capacity-factor", repr(cf)]
    runner = CliRunner()
    doc = json.loads(runner.invoke(cli, [*args, "--format", "json"]).stdout)
    rows = {r["quantity"]: r for r in csv.DictReader(io.StringIO(runner.invoke(cli, [*args, "--format", "csv"]).stdout))}
    nd = {r["quantity"]: r for r in map(json.loads, runner.invoke(cli, [*args, "--format", "ndjson"]).stdout.splitlines())}
    for p, e in doc["emissions"].items():
        assert float(rows[f"emissions.{p}"]["value"]) == e["value"] == nd[f"emissions.{p}"]["value"]
    assert float(rows["generation"]["value"]) == doc["generation"]["value"] == nd["generation"]["value"]


@settings(max_examples=25, deadline=None)
@given(f=st.floats(0.001, 1.0), cf=st.floats(0.05, 1.0))
def test_solve_inverts_estimate(f, cf):
    from emiss.analysis import solve as vary
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    sc = scenario_from(None, {"turbines": "3", "capacity": "10 MW", "capacity_factor": repr(cf), "factor.nox": f"{f!r} lb/MMBtu"})
    tons = estimate(sc).emissions["nox"].lb_per_year / 2000
    sol = vary.solve(sc, target=f"nox={tons!r} short_ton/year", vary="factor:nox")
    assert sol.value == pytest.approx(f, rel=1e-9)
    sol = vary.solve(sc, target=f"nox={tons!r} short_ton/year", vary="capacity-factor")
    assert sol.value == pytest.approx(cf, rel=1e-9)


def test_terminal_escapes_in_a_preset_cannot_reach_the_terminal(tmp_path):
    p = tmp_path / "esc.toml"
    p.write_text('[preset]\ntitle = "X\\u001b[2J\\u001b[31mRED\\u0007"\nnotes = ["a\\u202eb"]\n'
                 '[[fleet]]\nname = "g\\u001b[1A"\ncount = 1\ncapacity = "5 MW"\nheat_rate = "9000 Btu/kWh"\n')
    for fmt in ("table", "markdown", "csv", "json", "methods"):
        r = CliRunner().invoke(cli, ["estimate", "--preset", str(p), "--format", fmt])
        assert r.exit_code == 0, r.stderr
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout and "\u202e" not in r.stdout, fmt
    r = CliRunner().invoke(cli, ["estimate", "--preset", str(p)])
    assert "\\x1b[2J" in r.stdout  # shown, visibly, as typed


def test_escapes_in_batch_records_and_errors_are_neutralised():
    r = CliRunner().invoke(cli, ["batch", "--format", "csv", "--only", "nox"],
                           input='{"id": "a\\u001b[2J", "turbines": 1, "capacity": "1 MW"}\n'
                                 '{"id": "b\\u001b[31m", "turbines": 1, "capacity": "1 \\u001b[1AMW"}\n')
    assert "\x1b" not in r.stdout and "\x1b" not in r.stderr


_VALUES = st.sampled_from(["16 MW", "0", "-1", "nan", "1e300", "0.5", "50%", "2..5", "5..2", "1..2..3", "abc", "",
                           "9695 Btu/kWh", "2 ppmvd@15%O2", "nox=1 lb/h", "nox=", "=", "10 kWh/yr", "8760 h", "smt-130", "N+1"])
_OPTIONS = st.sampled_from(["--turbines", "--capacity", "--heat-rate", "--capacity-factor", "--hours", "--factor",
                            "--household-use", "--household-demand", "--hhv-lhv", "--only", "--mass-unit", "--turbine-model",
                            "--preset", "--samples", "--fail-above"])
_COMMANDS = st.sampled_from([["estimate"], ["estimate", "--preset", "memphis"],
                             ["solve", "--preset", "memphis", "--vary", "hours", "--target", "nox=100 short_ton/year"],
                             ["sensitivity", "--preset", "memphis"], ["compare", "memphis"], ["cluster", "--gpus", "1000"]])


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(_COMMANDS, st.lists(st.tuples(_OPTIONS, _VALUES), max_size=4))
def test_random_command_lines_end_in_a_result_or_one_clean_line(cmd, pairs):
    args = list(cmd) + [x for pair in pairs for x in pair]
    r = CliRunner().invoke(cli, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), (args, repr(r.exception))
    if r.exit_code != 0:
        assert len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
        # an infeasible solve prints its answer, then the error; exit 3 (--fail-above, --fail-inconsistent crossed) is
        # the result printed, then the one line that says what crossed
        if cmd[0] != "solve" and r.exit_code != 3:
            assert r.stdout == "", args
