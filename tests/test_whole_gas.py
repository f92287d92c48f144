"""A factor is held to the whole gas on every path, unit by unit (factors.most_for_unit, beyond_the_gas).

The whole gas of NOx is 1,000,000 ppmvd@15%O2 by Method 19:
    1e6 x 46.01 / 385.3e6 lb/scf x 8,710 dscf/MMBtu x 20.9 / (20.9 - 15) = 3,684.39 lb/MMBtu (test_readers)
and what one unit burns bounds the other forms: per fuel volume its heating value, per MWh its heat rate, per hour of
one unit its heat input per hour. '--factor nox="1e6 lb/h"' gave memphis about 78.8 million short tons a year, where
'4000 lb/MMBtu' (more than the whole gas) was refused; solve is held to it too (a factor, a capacity or a heat rate).
"""

from __future__ import annotations

import json

import pytest


def test_solve_a_factor_above_the_whole_gas_is_infeasible(run):
    # memphis: 8,920,299 MMBtu/yr; 1e30 tpy of NOx is 2e33 lb / 8.92e6 MMBtu = 2.242e26 lb/MMBtu, and at 0.0036845
    # lb/MMBtu per ppmvd@15%O2 that is 6.085e28 ppmvd, more than a million: estimate refuses it, solve gave it, exit 0
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=1e30 tpy", "--vary", "factor:nox")
    assert code == 1
    assert err == ("Error: infeasible: it would need 2.242e+26 lb/MMBtu (6.085e+28 ppmvd@15%O2), more than the whole gas "
                   "(at most 1,000,000 ppmvd)\n")
    assert run("solve", "--preset", "memphis", "--target", "nox=130 tpy", "--vary", "factor:nox")[0] == 0


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


NOX_MOST = 1e6 * 46.01 / 385.3e6 * 8710 * 20.9 / 5.9  # 3,684.39 lb/MMBtu


# 16 MW at 9,695 Btu/kWh LHV (--heat-rate's default basis) x 1.108 (HHV/LHV) = 10,742.06 Btu/kWh HHV = 10.74206 MMBtu/MWh
HR_HHV = 9695 * 1.108


HEAT_16MW = 16_000 * HR_HHV / 1e6  # 16,000 kW x 10,742.06 Btu/kWh = 171.873 MMBtu/h


LB_H = NOX_MOST * HEAT_16MW  # 3,684.39 x 171.873 = 633,247 lb/h of one unit


LB_MWH = NOX_MOST * HR_HHV / 1000  # 3,684.39 x 10.74206 = 39,578 lb/MWh


UNIT = ("--turbines", "4", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh")


# (unit, the most in it, as the message shows it, form)
CASES = [
    ("lb/h", LB_H, "633,247", "hour"),
    ("tpy", LB_H * 8760 / 2000, "2,773,622", "hour"),  # 633,247 lb/h x 8,760 h / 2,000 lb: each unit's rate while it runs
    ("lb/MWh", LB_MWH, "39,578", "output"),
    ("g/kWh", LB_MWH * 453.59237 / 1000, "17,952", "output"),  # 39,578 lb/MWh x 453.59237 g/lb / 1,000 kWh/MWh
    ("g/bhp-hr", LB_MWH * 453.59237 / 1000 * 0.745699872, "13,387", "output"),  # x 0.7457 kWh per bhp-hr
]


def _under(most: float) -> str:
    return f"{most * (1 - 1e-5):.10g}"


def _over(most: float) -> str:
    return f"{most * (1 + 1e-5):.10g}"


@pytest.mark.parametrize(("unit", "most", "shown", "form"), CASES)
def test_a_factor_per_hour_or_per_mwh_above_the_whole_gas_is_refused(run, unit, most, shown, form):
    code, out, err = run("estimate", *UNIT, "--only", "nox", "--format", "value", "--factor", f"nox={_under(most)} {unit}")
    assert code == 0 and float(out) > 0, err
    text = f"{_over(most)} {unit}"
    code, out, err = run("estimate", *UNIT, "--only", "nox", "--factor", f"nox={text}")
    assert (code, out) == (2, "") and err.startswith(f"Error: --factor nox: '{text}' is more than the whole gas; a NOx rate per ")
    assert f"is at most {shown} {unit}: 3,684 lb/MMBtu (1,000,000 ppmvd@15%O2 by EPA Method 19) x its heat " in err


HOUR = ("a NOx rate per hour of one unit of 'fleet' is at most 633,247 lb/h: 3,684 lb/MMBtu (1,000,000 ppmvd@15%O2 by "
        "EPA Method 19) x its heat input, 171.87 MMBtu/h (16 MW at 10,742 Btu/kWh, HHV)")


OUTPUT = ("a NOx rate per energy output of 'fleet' is at most 39,578 lb/MWh: 3,684 lb/MMBtu (1,000,000 ppmvd@15%O2 by "
          "EPA Method 19) x its heat rate, 10,742 Btu/kWh (HHV)")


def test_the_message_names_the_value_the_ceiling_and_why(run):
    code, out, err = run("estimate", *UNIT, "--factor", "nox=1e6 lb/h")
    assert (code, out, err) == (2, "", f"Error: --factor nox: '1e6 lb/h' is more than the whole gas; {HOUR}\n")
    code, out, err = run("estimate", *UNIT, "--factor", "nox=1e5 lb/MWh")
    assert (code, out, err) == (2, "", f"Error: --factor nox: '1e5 lb/MWh' is more than the whole gas; {OUTPUT}\n")
    # CO's whole gas is 2,243.0 lb/MMBtu (28.01 for 46.01): x 171.873 MMBtu/h = 385,509 lb/h
    code, _, err = run("estimate", *UNIT, "--factor", "co=385600 lb/h")
    assert code == 2 and "a CO rate per hour of one unit of 'fleet' is at most 385,509 lb/h: 2,243 lb/MMBtu" in err
    assert run("estimate", *UNIT, "--factor", "co=385400 lb/h")[0] == 0
    # SO2 has no Method 19 weight here: no bound, as per heat input
    assert run("estimate", *UNIT, "--factor", "so2=1e9 lb/h", "--format", "value", "--only", "so2")[0] == 0


def test_at_part_load_the_bound_is_the_heat_input_at_that_load(run):
    # --load 50%: output 8 MW, and a turbine without a curve of its own takes the generic part-load heat rate, 128.9 %
    # of full load at 50 % (performance.toml): 10,742.06 x 1.289 = 13,846.5 Btu/kWh. Per hour 8,000 kW x 13,846.5 =
    # 110.772 MMBtu/h x 3,684.39 = 408,128 lb/h (not 633,247); per MWh 13.8465 x 3,684.39 = 51,016 lb/MWh (not 39,578)
    per_hour, per_mwh = NOX_MOST * 8_000 * HR_HHV * 1.289 / 1e6, NOX_MOST * HR_HHV * 1.289 / 1000
    code, _, err = run("estimate", *UNIT, "--load", "50%", "--factor", f"nox={_over(per_hour)} lb/h")
    assert code == 2 and "is at most 408,128 lb/h: 3,684 lb/MMBtu" in err and "(8 MW at 13,847 Btu/kWh, HHV)" in err, err
    assert run("estimate", *UNIT, "--load", "50%", "--factor", f"nox={_under(per_hour)} lb/h")[0] == 0
    code, _, err = run("estimate", *UNIT, "--load", "50%", "--factor", f"nox={_over(per_mwh)} lb/MWh")
    assert code == 2 and "is at most 51,016 lb/MWh" in err, err
    assert run("estimate", *UNIT, "--load", "50%", "--factor", f"nox={_under(per_mwh)} lb/MWh")[0] == 0


def test_a_fleet_wide_factor_is_held_to_each_group_the_least_said(run):
    # memphis: the SMT-130s (16 MW at 10,742.06 Btu/kWh HHV) allow 633,247 lb/h; the gensets, 2.5 MW at 40 % LHV:
    # 3,412.14 / 0.40 x 1.108 = 9,451.63 Btu/kWh HHV, 2,500 kW x 9,451.63 = 23.629 MMBtu/h x 3,684.39 = 87,059 lb/h,
    # the bound of a factor both groups take. The brief's '1e6 lb/h' (78.8 million short tons a year) is refused
    genset = NOX_MOST * 2_500 * 3412.14163 / 0.40 * 1.108 / 1e6
    for text in ("1e6 lb/h", f"{_over(genset)} lb/h", "100000 lb/h"):
        code, out, err = run("estimate", "--preset", "memphis", "--factor", f"nox={text}")
        assert (code, out) == (2, "") and err.startswith(
            f"Error: --factor nox: '{text}' is more than the whole gas; a NOx rate per hour of one unit of 'VoltaGrid mobile "
            "gensets' is at most 87,059 lb/h: 3,684 lb/MMBtu"), err
    assert run("estimate", "--preset", "memphis", "--factor", f"nox={_under(genset)} lb/h")[0] == 0


# 3 turbines x 10 MW x 10,000 Btu/kWh (HHV) = 100 MMBtu/h each: NOx at most 3,684.39 x 100 = 368,439 lb/h a unit, and
# 3,684.39 x 10 MMBtu/MWh = 36,844 lb/MWh
PLANT = """
[[fleet]]
name = "turbines"
count = 3
capacity = "10 MW"
heat_rate = "10000 Btu/kWh"
heat_rate_basis = "hhv"
[fleet.factors]
nox = {nox}
"""


@pytest.mark.parametrize(("nox", "ok", "said"), [
    ('"368400 lb/h"', True, ""), ('"368500 lb/h"', False, "'368500 lb/h' is more than the whole gas; a NOx rate per hour "
                                  "of one unit of 'turbines' is at most 368,439 lb/h"),
    ('"36840 lb/MWh"', True, ""), ('"36850 lb/MWh"', False, "'36850 lb/MWh' is more than the whole gas; a NOx rate per "
                                   "energy output of 'turbines' is at most 36,844 lb/MWh"),
    # a range is held to the bound by its high end, as each end of one per heat input is (Monte Carlo draws up to it)
    ('"1000..368400 lb/h"', True, ""), ('"1000..368500 lb/h"', False, "'368500 lb/h' is more than the whole gas"),
    ('{ value = "1000 lb/h", low = "500 lb/h", high = "368500 lb/h" }', False, "'368500 lb/h' is more than the whole gas"),
])
def test_a_preset_factor_above_the_whole_gas_is_the_preset_s_error(run, tmp_path, nox, ok, said):
    path = tmp_path / "plant.toml"
    path.write_text(PLANT.format(nox=nox))
    code, out, err = run("estimate", "--preset", str(path), "--capacity-factor", "0.5..1", "--samples", "20", "--format", "json")
    if ok:
        assert code == 0, err
        return
    assert (code, out) == (1, "") and said in err and "plant.toml" in err, err  # a preset's data: exit 1, as per heat input
    code, out, _ = run("presets", "validate", str(path))
    assert code == 1 and said in out + _


def test_a_command_line_range_is_held_by_its_high_end(run):
    code, _, err = run("estimate", *UNIT, "--samples", "20", "--factor", f"nox=1000..{_over(LB_H)} lb/h")
    assert code == 2 and f"'{_over(LB_H)} lb/h' is more than the whole gas; a NOx rate per hour" in err, err
    code, _, err = run("estimate", *UNIT, "--samples", "20", "--factor", f"nox=1000..{_under(LB_H)} lb/h")
    assert code == 0, err


def test_the_python_api_refuses_it_too():
    import emiss
    from emiss.errors import InputError

    with pytest.raises(InputError, match=r"more than the whole gas; a NOx rate per hour of one unit of 'fleet' is at most 633,247"):
        emiss.build_scenario(turbines=4, capacity="16 MW", heat_rate="9695 Btu/kWh", factor_nox=f"{_over(LB_H)} lb/h")
    sc = emiss.build_scenario(turbines=4, capacity="16 MW", heat_rate="9695 Btu/kWh", factor_nox=f"{_under(LB_H)} lb/h")
    # 4 units x 633,240.8 lb/h x 8,760 h / 2,000 lb = 11,094,379 short tons: absurd, but within the whole gas
    assert emiss.calculate(sc).emissions["nox"].lb_per_year / 2000 == pytest.approx(4 * LB_H * (1 - 1e-5) * 8760 / 2000)


def _batch(args, rows):
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner().invoke(cli, ["batch", "--only", "nox", *args], input="".join(json.dumps(x) + "\n" for x in rows))
    return r.exit_code, [json.loads(line) for line in r.stdout.splitlines()], r.stderr


def test_a_batch_row_above_the_whole_gas_fails_alone(run):
    one = {"turbines": 4, "capacity": "16 MW", "heat_rate": "9695 Btu/kWh"}
    texts = [f"{_under(LB_H)} lb/h", f"{_over(LB_H)} lb/h", "2 ppmvd@15%O2", f"{_under(LB_MWH)} lb/MWh",
             f"{_over(LB_MWH)} lb/MWh", "0.1 lb/MMBtu", "1e6 lb/h"]
    code, rows, err = _batch([], [dict(one, **{"factor.nox": t}) for t in texts])
    assert code == 1
    failed = {r["record"]: r["error"] for r in rows if "error" in r}
    assert sorted(failed) == [2, 5, 7], failed
    assert failed[7] == {"message": f"'1e6 lb/h' is more than the whole gas; {HOUR}", "field": "factor.nox"}
    assert failed[5]["message"].startswith(f"'{_over(LB_MWH)} lb/MWh' is more than the whole gas; a NOx rate per energy")
    for r in rows:  # the good rows are kept, each as a single estimate gives it
        if "error" not in r:
            t = texts[r["record"] - 1]
            code, out, _ = run("estimate", *UNIT, "--only", "nox", "--format", "json", "--factor", f"nox={t}")
            assert r["emissions"]["nox"]["value"] == json.loads(out)["emissions"]["nox"]["value"]


def test_a_batch_row_s_own_capacity_or_heat_rate_bounds_the_template_s_factor():
    # '3000 lb/h' for every row: 50 kW at 10,742.06 Btu/kWh HHV burns 0.53710 MMBtu/h, x 3,684.39 = 1,978.9 lb/h, under
    # it; 100 kW, 3,957.8 lb/h, over it; 50 kW at 20,000 Btu/kWh LHV (22,160 HHV): 1.108 MMBtu/h, 4,082.3 lb/h, over it
    rows = [{"capacity": "16 MW"}, {"capacity": "0.05 MW"}, {"capacity": "0.1 MW"},
            {"capacity": "0.05 MW", "heat_rate": "20000 Btu/kWh"}, {"capacity": "0.05 MW", "heat_rate": "9695 Btu/kWh"},
            # a row's own factor takes the place of the command line's: 0.1 lb/MMBtu is no rate per hour
            {"capacity": "0.05 MW", "factor.nox": "0.1 lb/MMBtu"}, {"capacity": "0.05 MW", "factor.nox": "1000 lb/h"},
            {"capacity": "0.05 MW", "factor.nox": "2000 lb/h"},
            {"capacity": "0.05 MW", "heat_rate": "9695 Btu/kWh", "factor.nox": "0.1 lb/MMBtu"}]  # a shape of its own
    code, out, err = _batch(["--turbines", "2", "--capacity", "16 MW", "--heat-rate", "9695 Btu/kWh", "--factor",
                             "nox=3000 lb/h"], rows)
    failed = {r["record"]: r["error"]["message"] for r in out if "error" in r}
    assert code == 1 and sorted(failed) == [2, 5, 8], err
    assert failed[8].startswith("'2000 lb/h' is more than the whole gas; a NOx rate per hour of one unit of 'fleet' is at most 1,979 lb/h")
    assert failed[2] == ("'3000 lb/h' is more than the whole gas; a NOx rate per hour of one unit of 'fleet' is at most "
                         "1,979 lb/h: 3,684 lb/MMBtu (1,000,000 ppmvd@15%O2 by EPA Method 19) x its heat input, 0.5371 MMBtu/h "
                         "(0.05 MW at 10,742 Btu/kWh, HHV)")
    # 2 units x 3,000 lb/h x 8,760 h / 2,000 lb = 26,280 short tons for each row kept; 2 x 1,000 lb/h, 8,760 short tons;
    # 2 x 50 kW x 8,760 h = 876 MWh x 10.74206 MMBtu/MWh x 0.1 lb/MMBtu / 2,000 = 0.47050 short tons
    kept = [r["emissions"]["nox"]["value"] for r in out if "error" not in r]
    assert kept == pytest.approx([26_280] * 3 + [876 * HR_HHV / 1000 * 0.1 / 2000, 8_760, 876 * HR_HHV / 1000 * 0.1 / 2000])


def test_a_frame_s_rows_are_held_to_it_as_columns():
    import pyarrow as pa

    import emiss

    table = pa.table({"turbines": [4, 4, 4], "capacity": ["16 MW"] * 3, "heat_rate": ["9695 Btu/kWh"] * 3,
                      "factor.nox": [f"{_under(LB_H)} lb/h", f"{_over(LB_H)} lb/h", "2 ppmvd@15%O2"]})
    got = emiss.estimate_frame(table, only=["nox"])  # a pyarrow Table in, one out: its columns read by the Arrow readers
    errors = got.column("error").to_pylist()
    assert errors[0] is None and errors[2] is None
    assert errors[1] == f"factor.nox: '{_over(LB_H)} lb/h' is more than the whole gas; {HOUR.replace('633,247', '633,247')}"


def test_most_for_unit_reads_arrays_row_by_row():
    import numpy as np

    from emiss.core.factors import most_for_unit
    from emiss.core.model import Group

    g = Group("g", "turbine", np.array([1.0, 2.0]), np.array([16_000.0, 10_000.0]), np.array([HR_HHV, 10_000.0]), "none")
    # 633,247 lb/h (above) and 3,684.39 x 100 MMBtu/h = 368,439 lb/h; per MWh 39,578 and 36,844
    assert most_for_unit("nox", "time", g) == pytest.approx([LB_H, NOX_MOST * 100], rel=1e-12)
    assert most_for_unit("nox", "output", g) == pytest.approx([LB_MWH, NOX_MOST * 10], rel=1e-12)
    assert most_for_unit("nox", "input", g) is None and most_for_unit("so2", "time", g) is None


def test_solve_gives_no_capacity_at_which_a_factor_per_hour_is_more_than_the_gas(run):
    # CO2 at 1,000 short tons a year needs 181.69 kW at the default heat rate: at which '50000 lb/h' of NOx is more
    # than the whole gas (a unit of 181.69 kW burns 1.952 MMBtu/h, 7,191 lb/h at most); '50 lb/h' is an answer
    code, out, err = run("solve", "--turbines", "1", "--capacity", "16 MW", "--factor", "nox=50000 lb/h", "--target",
                         "co2=1000 short_ton/year", "--vary", "capacity")
    assert code == 1 and err.startswith("Error: infeasible: it would need 181.692 kW, at which the NOx factor '50000 lb/h' "
                                        "is more than the whole gas for 'fleet' (at most 7,191.01 lb/hour)"), err
    code, _, err = run("solve", "--turbines", "1", "--capacity", "16 MW", "--factor", "nox=50 lb/h", "--target",
                       "co2=1000 short_ton/year", "--vary", "capacity")
    assert code == 0, err
