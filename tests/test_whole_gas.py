"""A factor is held to the whole gas (1,000,000 ppmvd@15%O2 by EPA Method 19) on every path: per heat input, per fuel volume, per MWh and per hour (factors.most_for_unit, beyond_the_gas)."""

from __future__ import annotations


def test_solve_a_factor_above_the_whole_gas_is_infeasible(run):
    # memphis: 8,920,299 MMBtu/yr; 1e30 tpy of NOx is 2e33 lb / 8.92e6 MMBtu = 2.242e26 lb/MMBtu, and at 0.0036845
    # lb/MMBtu per ppmvd@15%O2 that is 6.085e28 ppmvd, more than a million: estimate refuses it, solve gave it, exit 0
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=1e30 tpy", "--vary", "factor:nox")
    assert code == 1
    assert err == ("Error: infeasible: it would need 2.242e+26 lb/MMBtu (6.085e+28 ppmvd@15%O2), more than the whole gas "
                   "(at most 1,000,000 ppmvd)\n")
    assert run("solve", "--preset", "memphis", "--target", "nox=130 tpy", "--vary", "factor:nox")[0] == 0
