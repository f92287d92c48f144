"""Issue 24, command-line side: each class of defect with a test over the class, not only the example."""

from __future__ import annotations

import os
import re

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.cli import cli
from emiss.data import state_codes
from emiss.errors import PresetError
from emiss.inputs import presets

# a value each variation option accepts (a choice option takes its second choice); a new variation needs one here
SAMPLES = {"turbine_model": "smt-130", "turbines": "2", "capacity": "20 MW", "heat_rate": "9000 Btu/kWh", "capacity_factor": "0.5", "hours": "4000 h",
           "ambient": "35C", "load": "0.75", "household_use": "10000 kWh/yr", "household_demand": "2 kW", "hhv_lhv": "1.1",
           "factors": "nox=2 ppmvd@15%O2"}


def test_every_option_compare_calls_a_variation_is_one(run, tmp_path):
    base = tmp_path / "one-group.toml"  # one group, as --turbine-model needs
    base.write_text('[preset]\nname = "base"\n[[fleet]]\ncount = 4\ncapacity = "16 MW"\nheat_rate = "9695 Btu/kWh"\n', encoding="utf-8")
    variations = [p for p in cli.commands["compare"].params
                  if isinstance(p, click.Option) and "A variation per value." in (p.help or "")]
    assert len(variations) >= 15
    engines = tmp_path / "engines.toml"  # an option that fits no group is an error (issue 21): --engine-type needs an engine
    engines.write_text('[preset]\nname = "e"\n[[fleet]]\nkind = "engine"\ncount = 4\ncapacity = "2 MW"\nheat_rate = "40%"\n', encoding="utf-8")
    for opt in variations:
        value = opt.type.choices[1] if isinstance(opt.type, click.Choice) else SAMPLES[opt.name]
        preset = engines if opt.name == "engine_type" else base
        code, out, err = run("compare", "--preset", str(preset), opt.opts[0], value, "--format", "csv", "--only", "nox")
        assert code == 0, (opt.opts[0], err)
        assert len({line.split(",")[2] for line in out.splitlines()[1:]}) == 2, opt.opts[0]  # the base and one variation


@pytest.mark.parametrize("k", [4, 6, 9, 12])
def test_fail_above_prints_enough_digits_to_tell_the_figures_apart(run, k):
    _, out, _ = run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value")
    tons = float(out)
    threshold = tons * (1 - 10.0 ** -k)  # just under the estimate
    code, _, err = run("estimate", "--preset", "memphis", "--only", "nox", "--format", "value", "--fail-above", f"nox={threshold!r}")
    m = re.search(r"nox (\S+) short_ton/year is above (\S+)$", err.strip())
    assert code == 3 and m, err
    # both at the fewest significant figures (four at least) that tell them apart
    d = next(d for d in range(4, 18) if f"{tons:,.{d}g}" != f"{threshold:,.{d}g}")
    assert m.groups() == (f"{tons:,.{d}g}", f"{threshold:,.{d}g}")
    assert d >= k  # a threshold a fraction 10^-k under the figure takes about k + 1 figures to tell apart


def test_fail_above_keeps_four_figures_when_they_differ(run):
    code, _, err = run("estimate", "--preset", "memphis", "--fail-above", "nox=100")
    assert code == 3 and err.strip().endswith("nox 129.8 short_ton/year is above 100")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_preset_path_that_is_not_a_file_is_named_for_what_it_is(run, tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    for path, kind in ((str(tmp_path), "a directory"), (str(fifo), "a named pipe (FIFO)"), (os.devnull, "a character device")):
        code, out, err = run("estimate", "--preset", path)
        assert code == 2 and out == "" and err.count("\n") == 1, err
        assert f"is {kind}, not a preset file" in err and "no such" not in err
    code, _, err = run("estimate", "--preset", str(tmp_path / "missing.toml"))
    assert code == 2 and "no such preset file" in err


@pytest.mark.parametrize("under", ["", " ", ",", " , "])
def test_limit_under_nothing_says_what_is_allowed(run, under):
    code, out, err = run("limit", "--preset", "memphis", "--under", under)
    assert code == 2 and out == ""
    assert err.strip() == "Error: --under: give one or more of title-v, psd, hap, psd-ser, limits, comma-separated"


def _site(extra: str):
    return presets.parse(f'[preset]\nname = "x"\n{extra}\n[[fleet]]\ncount = 1\ncapacity = "5 MW"\n', label="x.toml").site


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(state_codes().items())), st.integers(min_value=1, max_value=999))
def test_a_county_fips_is_five_digits_and_in_its_state(state_code, county):
    state, code = state_code
    number = int(code) * 1000 + county  # an integer in TOML: 1001 is 01001
    assert _site(f'fips = {number}\nstate = "{state}"') == {"fips": f"{code}{county:03d}", "state": state}
    assert _site(f'fips = "{code}{county:03d}"\nstate = "{state.lower()}"')["fips"] == f"{code}{county:03d}"
    other = next(s for s, c in state_codes().items() if c != code)
    with pytest.raises(PresetError, match=f"is in state {code}, not {other}"):
        _site(f'fips = "{code}{county:03d}"\nstate = "{other}"')


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=8).filter(lambda s: not (len(s) == 5 and s.isascii() and s.isdigit())))
def test_anything_but_five_digits_is_refused_as_a_fips(text):
    with pytest.raises(PresetError, match="is not a county FIPS code"):
        _site(f"fips = {_toml_string(text)}")


def _toml_string(s: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in s) + '"'


def test_validate_refuses_a_bad_fips_and_state(run, tmp_path):
    for line, word in (('fips = "ABCDE"', "not a county FIPS code"), ("state = 'TN\",\"evil'", "not a US state"),
                       ('fips = "28033"\nstate = "TN"', "is in state 28, not TN")):
        path = tmp_path / "site.toml"
        path.write_text(f'[preset]\nname = "x"\n{line}\n[[fleet]]\ncount = 1\ncapacity = "5 MW"\n', encoding="utf-8")
        code, _, err = run("presets", "validate", str(path))
        assert code == 1 and word in err, err
        code, out, err = run("estimate", "--preset", str(path))
        assert code == 1 and out == "" and word in err, err


def test_cobra_writes_a_padded_fips(run, tmp_path):
    path = tmp_path / "autauga.toml"
    path.write_text('[preset]\nname = "x"\nfips = 1001\nstate = "AL"\ncounty = "Autauga"\n[[fleet]]\ncount = 1\ncapacity = "5 MW"\n',
                    encoding="utf-8")
    code, out, _ = run("estimate", "--preset", str(path), "--format", "cobra")
    assert code == 0 and out.splitlines()[1].startswith("01001,AL,Autauga County,")  # the county as AVERT writes it (issue 25)
