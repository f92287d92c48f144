"""A factor is held to the whole gas (1,000,000 ppmvd@15%O2 by EPA Method 19) on every path: per heat input, per fuel volume, per MWh and per hour (factors.most_for_unit, beyond_the_gas)."""

from __future__ import annotations

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
