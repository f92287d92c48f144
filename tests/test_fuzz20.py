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
