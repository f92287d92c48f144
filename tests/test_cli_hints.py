"""Hints for the mistakes a newcomer makes first (issue 25, item 5): unit case, options before the command, a preset
given as an argument."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("option,value,hint", [("--capacity", "5 mw", "did you mean 'MW'"),
                                               ("--capacity", "5 kw", "'kW'"),
                                               ("--heat-rate", "9000 btu/kwh", "'Btu/kWh'"),
                                               ("--factor", "nox=0.1 lb/MMbtu", "'lb/MMBtu'")])
def test_unit_case_hint(run, option, value, hint):
    code, out, err = run("estimate", "--turbines", "1", "--capacity", "5 MW", option, value) if option != "--capacity" else \
        run("estimate", "--turbines", "1", option, value)
    assert code == 2 and out == "" and "did you mean" in err and hint in err and "case-sensitive" in err


def test_options_before_the_command_and_a_preset_as_an_argument(capsys, monkeypatch):
    from emiss.cli import cli

    for args, hint in ((["--preset", "memphis"], "options follow a command: emiss estimate --preset memphis"),
                       (["estimate", "memphis", "--only", "nox"], "a preset is named with --preset: emiss estimate --preset memphis --only nox")):
        with pytest.raises(SystemExit) as exc:
            cli.main(args=args, prog_name="emiss")
        assert exc.value.code == 2
        assert hint in capsys.readouterr().err


def test_the_preset_hint_is_given_only_to_commands_that_take_one(run):
    # 'presets show memphis memphis-2025-permit' was told to run 'emiss presets --preset show memphis ...', which
    # does not exist; estimate's hint stays
    code, out, err = run("presets", "show", "memphis", "memphis-2025-permit")
    assert (code, out, err.strip()) == (2, "", "Error: Got unexpected extra argument (memphis-2025-permit)")
    code, out, err = run("estimate", "memphis")
    assert (code, out) == (2, "") and err.strip().endswith("a preset is named with --preset: emiss estimate --preset memphis")
