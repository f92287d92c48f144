"""Numbers for people: rounded, thousands separated, and never a wall of digits that a float does not hold."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from emiss.cli import cli
from emiss.report.views import human, sig4
from tests.helpers import flat as _flat


def test_integers_a_float_holds_are_written_out():
    # 2**53 = 9,007,199,254,740,992: below it every integer is exact, so the digits mean something
    assert human(1e15) == "1,000,000,000,000,000"
    assert sig4(1e15) == "1,000,000,000,000,000"
    assert human(1234.4) == "1,234" and sig4(0.012345) == "0.01235"


def test_beyond_2_to_53_an_exponent_instead_of_noise_digits():
    # 5e304 written out would be 305 digits, of which only the first 17 come from the float
    assert human(5e304) == "5e+304" and sig4(5e304) == "5e+304"
    assert human(-1e16) == "-1e+16" and sig4(1.23456e20) == "1.235e+20"


def test_track_refuses_a_value_no_unit_can_reach_and_would_show_an_exponent(tmp_path):
    # 1e308 lb in a month is refused now (no unit emits more than 10 lb/MMBtu x 30,000 MMBtu/h x 744 h of NOx, as
    # `emiss measured` refuses it); the tables' rounding still writes a sum beyond 2**53 with an exponent
    from emiss.report.measured import _t

    log = tmp_path / "log.csv"
    log.write_text("date,unit,hours,heat_input_mmbtu,nox_lb\n2024-01,CT-1,300,120000,1e308\n")
    r = CliRunner().invoke(cli, ["track", str(log), "--limit", "nox=87 tpy"])
    assert r.exit_code == 1 and r.stdout == "" and "1e308 lb is more NOx than any unit can emit" in r.stderr
    # 1e308 lb / 2,000 lb per short ton = 5e304 short tons
    assert _t(1e308 / 2000) == "5e+304" and _t(111_600.0) == "111,600.0"


def test_the_operation_basis_separates_thousands_as_every_other_figure(run, run_json):
    # the modelled year is 8,760 h; a capacity factor of 0.6 is 0.6 x 8,760 = 5,256 equivalent full-load hours
    doc = run_json("estimate", "--preset", "memphis", "--only", "nox")
    assert doc["scenario"]["operation"] == "potential to emit: 8,760 h/yr at full load"
    code, out, _ = run("estimate", "--preset", "memphis", "--only", "nox")
    assert code == 0 and "potential to emit: 8,760 h/yr at full load" in " ".join(out.split())
    doc = run_json("estimate", "--preset", "memphis", "--capacity-factor", "0.6", "--only", "nox")
    assert doc["scenario"]["operation"] == "capacity factor 0.6 (5,256 equivalent full-load h/yr)"
    note = next(a["note"] for a in doc["assumptions"] if a["name"] == "capacity factor")
    assert note == "applied as 5,256 equivalent full-load hours of 8,760"
    doc = run_json("estimate", "--preset", "memphis", "--hours", "1234 h", "--only", "nox")
    assert doc["scenario"]["operation"] == "1,234 full-load h/yr"


def test_at_part_load_the_hours_are_not_called_full_load_hours(run, run_json):
    # memphis at 50 % load for its 8,760 h: 99 MW x 0.5 x 8,760 h = 433,620 MWh, i.e. 4,380 full-load-equivalent
    # hours; the table called its 8,760 'full-load h/yr' and the assumption 'operating hours per year (full load)'
    doc = run_json("estimate", "--preset", "memphis", "--load", "50%", "--only", "nox")
    assert doc["generation"]["value"] == pytest.approx(99 * 0.5 * 8760)
    assert any(a["name"] == "operating hours per year (at 50% load)" for a in doc["assumptions"])
    assert not any("(full load)" in a["name"] for a in doc["assumptions"])
    code, out, _ = run("estimate", "--preset", "memphis", "--load", "50%", "--only", "nox")
    row = next(line for line in out.splitlines() if line.strip().startswith("Operation"))
    assert "full-load" not in row and "50% load" in row
    code, out, _ = run("estimate", "--preset", "memphis", "--only", "nox")
    assert "full-load h/yr" in next(line for line in out.splitlines() if line.strip().startswith("Operation"))


def test_an_assumption_given_as_a_whole_number_has_its_thousands_separated():
    # Method 19's Fd is the integer 8710 in constants.toml: the assumptions table wrote '8710' beside '8,760' and
    # '8,530.4' (floats were formatted, integers printed as they are); a count stays as it is
    from emiss.report.views import assumption_value

    assert [assumption_value(v) for v in (8710, 8760.0, 8530.4, 4, 0.001026, "dry-low-nox")] == \
        ["8,710", "8,760", "8,530.4", "4", "0.001026", "dry-low-nox"]


def test_a_capacity_is_written_with_the_digits_its_ratings_carry():
    from emiss.report.views import capacity_text

    assert capacity_text(4 * 16 + 14 * 2.5) == "99"  # memphis: 64 + 35 = 99 MW exactly; human() wrote '99.00'
    assert capacity_text(15 * 16.47) == "247.05"  # the 2025 permit: a float sum of 247.04999999999998; was '247.1'
    assert capacity_text(17 * 16.5 + 16 * 37.77 + 8 * 39.4) == "1,200.02"  # southaven-2026: 280.5 + 604.32 + 315.2
    assert capacity_text(35 * 2.5 * 0.95 / 1.07) == "77.69"  # a derated figure (77.6869...) is not exact: four figures


def test_every_command_writes_memphis_capacity_as_99_mw(run):
    # 4 x 16 MW + 14 x 2.5 MW = 99 MW: estimate's results, compare's row, check's claim and timeline wrote '99.00'
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    assert re.search(r"^  Fleet capacity +99 +MW +18 units", out, re.M), out[:2000]
    code, out, err = run("compare", "memphis", "memphis-2025-permit")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.strip().startswith("Fleet capacity"))
    assert row.split()[2:] == ["MW", "99", "247.05", "(+150%)"], row  # 15 x 16.47 = 247.05 MW
    code, out, err = run("check", "--all")
    assert code == 0, err
    flat = _flat(out)
    assert "at least 35 MW 99 MW +183% holds" in flat
    assert "2024-08 memphis 18 99 129.8" in flat and "2025-07 memphis-2025-permit 15 247.05 85.65" in flat
    assert "99.00" not in out
    code, out, err = run("estimate", "--preset", "memphis", "--format", "methods")
    assert code == 0, err
    assert "99 MW in all" in out and "1. Capacity: 4 x 16 MW + 14 x 2.5 MW = 99 MW." in out  # was '99.0 MW in all'
