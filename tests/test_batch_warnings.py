"""A batch row warns as a single estimate of it would: an unusual value, a factor per year, a range taken at its centre,
a total that is only a lower bound. Before, a batch row said none of it (a quiet number): NDJSON rows carry the
warnings, and stderr says each distinct one once with the first record that has it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from emiss.cli import cli
from emiss.cli import batch as batch_cli


def _batch(lines, *args):
    r = CliRunner().invoke(cli, ["batch", *args], input="".join(json.dumps(x) + "\n" for x in lines))
    return r.exit_code, r.stdout, r.stderr


PLAIN = {"id": "a", "turbines": 4, "capacity": "16 MW"}
# limits.toml [capacity]: plausible 10 to 600,000 kW per unit; 1 kW is below it
SMALL = {"id": "b", "turbines": 4, "capacity": "1 kW"}
UNUSUAL = "capacity: 1 kW is unusual for capacity per unit (usually 10 to 600,000); check the value and its unit"


def test_an_unusual_value_warns_in_ndjson_and_on_stderr_and_a_plain_row_is_unchanged():
    code, out, err = _batch([PLAIN, SMALL], "--only", "nox")
    assert code == 0
    a, b = (json.loads(line) for line in out.splitlines())
    assert "warnings" not in a
    assert b["warnings"] == [UNUSUAL]
    assert f"Warning: record 2 (id b): {UNUSUAL}" in err
    assert "2 record(s), 2 result(s), 0 error(s), 1 with warnings" in err


@pytest.mark.parametrize("fmt,sep", [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_rows_carry_their_warnings_in_the_last_column_and_stderr_says_them(fmt, sep):
    import csv
    import io

    code, out, err = _batch([PLAIN, SMALL, {**SMALL, "id": "c", "capacity_factor": "0.5..0.9"}], "--only", "nox", "--format", fmt)
    header, *rows = csv.reader(io.StringIO(out), delimiter=sep)
    assert code == 0 and header[-2:] == ["warnings", "error"]  # the error stays the last column
    # a row's warnings joined by '; ': the value's own, then the range taken at its centre ((0.5 + 0.9) / 2 = 0.7)
    assert [r[-2] for r in rows] == ["", UNUSUAL, UNUSUAL + "; capacity factor: the range is taken at its central value, 0.7; "
                                     "a batch row is one value ('emiss estimate --samples N' gives its spread)"]
    assert all(len(r) == len(header) and r[-1] == "" for r in rows)
    assert f"Warning: record 2 (id b): {UNUSUAL}" in err


def test_csv_warnings_go_after_the_flags_and_the_echoed_input_and_a_failed_row_keeps_the_width():
    import csv
    import io

    code, out, _ = _batch([SMALL, PLAIN, {"id": "bad", "turbines": -1}], "--only", "nox", "--format", "csv", "--flags", "--echo")
    header, *rows = csv.reader(io.StringIO(out))
    assert code == 1 and header[-3:] == ["input", "warnings", "error"] and all(len(r) == len(header) for r in rows)
    small, plain, bad = ({**dict(zip(header, r))} for r in rows)
    assert small["warnings"] == UNUSUAL and json.loads(small["input"]) == {"turbines": 4, "capacity": "1 kW"}
    assert small["above_psd"] == "False" and small["error"] == ""
    assert plain["warnings"] == "" and plain["above_psd"] == "True"  # 4 x 16 MW of NOx at 8,760 h is far above 250 tpy
    assert bad["warnings"] == "" and "turbines" in bad["error"]


def test_parquet_rows_carry_their_warnings_as_text_null_where_none(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.ndjson"
    src.write_text("".join(json.dumps(x) + "\n" for x in (PLAIN, SMALL)))
    r = CliRunner().invoke(cli, ["batch", "--input", str(src), "--output", str(tmp_path / "out.parquet"), "--only", "nox"])
    table = pq.read_table(tmp_path / "out.parquet")
    assert r.exit_code == 0 and table.column_names[-2:] == ["warnings", "error"]
    assert table.column("warnings").to_pylist() == [None, UNUSUAL]


def test_a_factor_per_year_over_a_preset_groups_own_factor_is_said_as_estimate_says_it():
    # memphis-2025-permit's group has its own NOx factor; a record's (or --factor's) fleet-wide one is given at a higher
    # layer, so it is the one the 15 units take: 130 tpy read as each unit's rate is 15 x 130 = 1,950 short tons.
    # Before, the warning looked for the group's own factor only and said nothing.
    from emiss.core.calc import estimate
    from emiss.inputs.presets import load
    from emiss.inputs.scenario import apply_overrides, build

    sc = build(apply_overrides(load("memphis-2025-permit"), {"factor.nox": "130 tpy"}))
    assert any("'130 tpy' is read as each unit's rate" in w and "by 15 units" in w for w in sc.warnings)
    assert estimate(sc).emissions["nox"].lb_per_year / 2000 == pytest.approx(15 * 130)
    code, out, _ = _batch([{**PLAIN, "factor.nox": "130 tpy"}], "--only", "nox", "--preset", "memphis-2025-permit")
    assert "by 4 units" in " ".join(json.loads(out)["warnings"])


def test_a_factor_per_year_is_said_with_the_units_that_take_it():
    # 130 short tons a year = 260,000 lb / 8,760 h = 29.68 lb/h, read as each of the 4 units' rate: 4 x 130 = 520 t,
    # not the fleet's 130 (the same warning as 'emiss estimate --factor nox="130 tpy"')
    code, out, err = _batch([{**PLAIN, "factor.nox": "130 tpy"}], "--only", "nox")
    row = json.loads(out)
    assert code == 0 and row["emissions"]["nox"]["value"] == 520.0
    assert row["warnings"] == ["factor nox: '130 tpy' is read as each unit's rate while it runs (29.68 lb/h per unit), multiplied "
                               "by 4 units and the hours: not a total for the fleet; for a fleet total, divide it by the units"]
    # a factor per hour is each unit's rate as meant: no warning
    code, out, _ = _batch([{**PLAIN, "factor.nox": "2 lb/h"}], "--only", "nox")
    assert "warnings" not in json.loads(out)


def test_a_range_in_a_record_is_said_to_be_taken_at_its_centre_and_a_presets_ranges_are_not():
    # (0.5 + 0.9) / 2 = 0.7; memphis itself holds ranges (its uncertainty for --samples), which every row would
    # otherwise repeat: they are the preset's estimate, as in 'emiss estimate'
    code, out, err = _batch([{"id": "r", "capacity_factor": "0.5..0.9"}, {"id": "p"}], "--preset", "memphis", "--only", "nox")
    ranged, plain = (json.loads(line) for line in out.splitlines())
    assert ranged["warnings"] == ["capacity factor: the range is taken at its central value, 0.7; a batch row is one value "
                                  "('emiss estimate --samples N' gives its spread)"]
    assert "warnings" not in plain


def test_a_lower_bound_total_is_said_for_the_pollutants_shown_only():
    # dry-low-NOx premix holds from 50 % load (performance.toml): at 30 % the NOx total is 'at least'
    row = {"id": "x", "turbines": 2, "capacity": "16 MW", "load": "30%"}
    code, out, err = _batch([row], "--combustor", "dry-low-nox", "--only", "nox")
    said = json.loads(out)["warnings"]
    assert any(w.startswith("nox: the total is a lower bound (at least: ") for w in said)
    code, out, err = _batch([row], "--combustor", "dry-low-nox", "--only", "co2")
    assert not any("lower bound" in w for w in json.loads(out)["warnings"])


def test_a_warning_is_said_once_and_past_a_screenful_they_are_counted(monkeypatch):
    monkeypatch.setattr(batch_cli, "SHOWN_WARNINGS", 2)
    rows = [SMALL, {**SMALL, "id": "c"}] + [{"id": f"h{i}", "turbines": 4, "capacity": f"{i} kW"} for i in range(2, 6)]
    code, out, err = _batch(rows, "--only", "nox", "--format", "csv")
    lines = [line for line in err.splitlines() if line.startswith("Warning:")]
    # 1 kW twice is one warning, said with record 1; then 2 kW; 3, 4 and 5 kW are counted, not shown
    assert lines == [f"Warning: record 1 (id b): {UNUSUAL}",
                     "Warning: record 3 (id h2): capacity: 2 kW is unusual for capacity per unit (usually 10 to 600,000); check "
                     "the value and its unit"]
    assert "batch: 3 more warning(s) not shown; 6 record(s) have warnings in all" in err
    assert "6 with warnings" in err


@pytest.mark.parametrize("fmt", ["ndjson", "csv"])
def test_a_failed_row_has_no_warnings_and_the_numbers_are_unchanged(fmt):
    code, out, err = _batch([{**SMALL, "turbines": "two"}], "--only", "nox", "--format", fmt)
    assert code == 1 and "Warning:" not in err


def test_a_shared_heat_rate_warning_is_each_rows_own_and_names_no_other_rows_value():
    # southaven-2026 has three turbine groups; a record's heat_rate replaces all three (said), whatever its value:
    # the rows share their template's warning, so its text holds no value (each row's is in its own output)
    code, out, err = _batch([{"id": "h1", "heat_rate": "9000 Btu/kWh"}, {"id": "h2", "heat_rate": "9500 Btu/kWh"}],
                            "--preset", "southaven-2026", "--only", "nox")
    one, two = (json.loads(line) for line in out.splitlines())
    assert code == 0 and one["warnings"] == two["warnings"]
    assert one["warnings"][0].startswith("heat_rate: one value replaced the heat rate of every group (3: ")
    assert "9000" not in one["warnings"][0] and "9500" not in two["warnings"][0]


def test_a_records_factor_that_wins_on_every_basis_is_said_without_another_rows_text():
    # --basis measured leaves a given factor as it is (said); each row gives its own, so the shared text names none
    rows = [{"id": "a", "factor.nox": "9 ppmvd@15%O2"}, {"id": "b", "factor.nox": "5 ppmvd@15%O2"}]
    code, out, err = _batch(rows, "--preset", "memphis", "--basis", "measured", "--only", "nox")
    one, two = (json.loads(line) for line in out.splitlines())
    assert one["warnings"] == two["warnings"]
    assert "Solar SMT-130 turbines: the NOX factor given wins on every basis; --basis does not change it" in one["warnings"]
    assert not any("ppmvd" in w for w in one["warnings"])


def test_flags_judge_the_potential_to_emit_beside_the_operation_given():
    # memphis at 3,000 h: CO 172.77 short tons/yr, below PSD's 250 for a source outside the listed categories; its
    # potential to emit, every hour of the year with no enforceable limit on hours, is 172.77 x 8,760 / 3,000 =
    # 504.5 tpy, above it (as estimate's screening_at_potential says). At the full year the two agree.
    code, out, _ = _batch([{"id": "h3000", "hours": "3000 h"}, {"id": "full"}], "--preset", "memphis", "--only", "co", "--flags")
    part, full = (json.loads(line) for line in out.splitlines())
    assert code == 0 and round(part["emissions"]["co"]["value"], 2) == 172.77
    assert part["above"]["psd"] is False and part["above_at_potential"]["psd"] is True
    assert full["above"] == full["above_at_potential"] == {"title_v": True, "psd": True, "hap": True}


def test_flags_put_rows_of_different_hours_in_one_block_at_their_own_potential():
    # two rows of one shape (turbines, capacity, hours) with different hours: the engine reads them as arrays, and the
    # potential to emit sets every row's hours to the year. That raised a traceback. AP-42 Table 3.1-1's 0.32 lb NOx
    # /MMBtu at emiss's default 10,742 Btu/kWh HHV: 1 MW for 8,760 h is 8,760 MWh x 10.742 MMBtu/MWh = 94,100 MMBtu,
    # x 0.32 / 2,000 = 15.06 short tons, below every threshold (CO 3.9, HAPs 0.05); 2 x 16 MW is 32 times that,
    # 481.8 tpy of NOx, over Title V's 100 and PSD's 250 (HAPs 1.5, below 10). At 100 and 200 h both stay below.
    code, out, err = _batch([{"id": "small", "turbines": 1, "capacity": "1 MW", "hours": 100},
                             {"id": "big", "turbines": 2, "capacity": "16 MW", "hours": 200}], "--flags", "--only", "nox")
    small, big = (json.loads(line) for line in out.splitlines())
    assert code == 0 and "Traceback" not in err
    assert small["above"] == big["above"] == small["above_at_potential"] == {"title_v": False, "psd": False, "hap": False}
    assert big["above_at_potential"] == {"title_v": True, "psd": True, "hap": False}


def test_a_capacity_far_from_a_catalog_models_rating_warns_in_the_row_that_gives_it():
    # as 'emiss estimate --turbine-model smt-130 --turbines 4 --capacity "64 MW"' says it (tests/test_catalog.py): the
    # SMT-130 is rated 16.5 MW (catalog.toml), 64 / 16.5 = 3.88 times; 4 x 64 = 256 MW, 3 x 64 = 192 MW. A row at
    # 16 MW (0.97 times) says nothing, though the first row, off, is the one its block was built on
    rows = [{"id": "a", "turbine_model": "smt-130", "turbines": 4, "capacity": "64 MW"},
            {"id": "ok", "turbine_model": "smt-130", "turbines": 4, "capacity": "16 MW"},
            {"id": "c", "turbine_model": "smt-130", "turbines": 3, "capacity": "64 MW"}]
    code, out, err = _batch(rows, "--only", "nox")
    a, ok, c = (json.loads(line) for line in out.splitlines())
    model = "Solar Turbines Titan 130 / SMT-130 mobile turbine generator"
    said = "capacity: 64 MW per unit is 3.88 times the rating of smt-130 (16.5 MW); capacity is per unit, so '{}' is {} x 64 MW = {} MW"
    assert code == 0 and (a["capacity"]["value"], ok["capacity"]["value"], c["capacity"]["value"]) == (256.0, 64.0, 192.0)
    assert a["warnings"] == [said.format(model, 4, 256)] and c["warnings"] == [said.format(model, 3, 192)]
    assert "warnings" not in ok or not ok["warnings"]


def test_at_part_load_the_potential_is_unknown_unless_the_operation_given_already_crosses():
    # at 50 % load the potential to emit is at full load, which the row does not give: unknown (an empty CSV cell)
    # where the operation given stays below; a set crossed at part load is crossed at its potential too
    code, out, _ = _batch([{"id": "p", "hours": "1000 h", "load": "50%"}, {"id": "q", "load": "50%"}],
                          "--preset", "memphis", "--only", "co", "--flags", "--format", "csv")
    head, p, q = (line.split(",") for line in out.splitlines())
    row_p, row_q = dict(zip(head, p)), dict(zip(head, q))
    assert [row_p[f"above_{k}"] for k in ("title_v", "psd", "hap")] == ["False"] * 3
    assert [row_p[f"above_at_potential_{k}"] for k in ("title_v", "psd", "hap")] == [""] * 3
    assert row_q["above_psd"] == row_q["above_at_potential_psd"] == "True"


def test_a_warning_every_row_shares_is_written_in_each_line_and_rows_without_it_are_not(tmp_path):
    # memphis-2025-permit warns of its startups on every build: every row carries it (written with the block's
    # text at once); a row that also has an unusual value carries both, the shared warning first
    rows = [{"id": i, "capacity_factor": 0.5} for i in range(5)] + [{"id": 9, "capacity_factor": 0.001}]
    code, out, err = _batch(rows, "--preset", "memphis-2025-permit", "--only", "nox")
    got = [json.loads(line) for line in out.splitlines()]
    startup = ("memphis-2025-permit.toml: fleet[0].startup_shutdown: 22 startups and shutdowns a year are given without "
               "emissions per event, so they add nothing to the totals")
    assert [r["warnings"] for r in got[:5]] == [[startup]] * 5
    # limits.toml [capacity_factor]: plausible from 0.01
    assert got[5]["warnings"] == [startup, "capacity_factor: 0.001 is unusual for capacity factor (usually 0.01 to 1); check the value "
                                           "and its unit"]



def test_a_records_heat_rate_basis_warning_is_each_rows_own_and_names_no_rows_value():
    # memphis: a record's heat_rate_basis replaces both groups' own LHV basis (said); the rows of the shape share the
    # warning, so it holds no row's value (each row's capacity factor, or the basis it gives)
    rows = [{"id": "b1", "heat_rate_basis": "hhv", "capacity_factor": 0.5}, {"id": "b2", "heat_rate_basis": "hhv", "capacity_factor": 0.6},
            {"id": "b3", "heat_rate_basis": "lhv", "capacity_factor": 0.6}]
    code, out, err = _batch(rows, "--preset", "memphis", "--only", "nox")
    one, two, three = (json.loads(line) for line in out.splitlines())
    assert code == 0 and one["warnings"] == two["warnings"] and "warnings" not in three
    assert one["warnings"] == ["heat_rate_basis: one value replaced the heat-rate basis of every group, changing that of 2 "
                               "which had their own (Solar SMT-130 turbines: LHV, VoltaGrid mobile gensets: LHV); their heat "
                               "rates are now read on the basis given; to set one group's, give group.<name>.heat_rate_basis "
                               "in a batch record or heat_rate_basis in the preset's [[fleet]] group"]
    assert not any(v in one["warnings"][0] for v in ("0.5", "0.6", "hhv", "HHV"))


def test_quiet_leaves_out_the_summary_but_not_the_warnings():
    code, out, err = _batch([SMALL], "--only", "nox", "--quiet")
    assert code == 0 and f"Warning: record 1 (id b): {UNUSUAL}" in err and "record(s)" not in err
