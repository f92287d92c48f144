"""emiss solve: the input that reaches a target, worked by hand; when none is feasible, and what the estimate at the solved point says."""

from __future__ import annotations

import pytest


# memphis: 4 SMT-130 x 16 MW x 9,695 Btu/kWh LHV x 1.108 = 171.87 MMBtu/h each; 14 gensets at 40 % (LHV), 3,412.142
# Btu/kWh / 0.40 = 8,530.35 Btu/kWh, x 2.5 MW x 1.108 = 23.63 MMBtu/h each: 1,018.30 MMBtu/h in all.
# NOx 7.9 ppm = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/5.9 = 0.029107 lb/MMBtu.
GENSET_HR_LHV = 3412.14163 / 0.40


MEMPHIS_MMBTU_H = 4 * 16_000 * 9695 * 1.108 / 1e6 + 14 * 2_500 * GENSET_HR_LHV * 1.108 / 1e6


def test_solve_for_a_factor_shows_the_solved_factor_as_the_factor_used(run, run_json):
    # 100 short tons = 200,000 lb over 1,018.30 MMBtu/h x 8,760 h = 8,920,299 MMBtu: 0.022421 lb/MMBtu. The estimate
    # at the solved point must name that factor; it named the starting point, the preset's 0.0291067 lb/MMBtu.
    doc = run_json("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "factor:nox")
    solved = 200_000 / (MEMPHIS_MMBTU_H * 8760)
    assert doc["value"] == pytest.approx(solved, rel=1e-6)
    used = doc["estimate"]["emissions"]["nox"]["factors"]
    assert {f["as_given"] for f in used} == {f"{solved:.6g} lb/MMBtu"} == {"0.0224208 lb/MMBtu"}
    code, out, _ = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "factor:nox")
    assert code == 0 and "0.0224208 lb/MMBtu" in out and "0.0291067" not in out
