"""emiss solve: the input that reaches a target, worked by hand; when none is feasible, and what the
estimate at the solved point says (the solved factor, the operation found, a total that is only a lower bound)."""

from __future__ import annotations

import pytest

from tests.helpers import GROUP


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


def test_solve_calls_a_heat_rate_under_100_percent_efficiency_infeasible(run, run_json):
    # memphis-2025-permit: 15 SMT-130 at 9,695 Btu/kWh LHV give 85.65 short tons/yr of NOx (pte: 176.92 MMBtu/h each x
    # 0.007369 lb/MMBtu x 15 x 8,760 h / 2,000). NOx is in proportion to the heat rate, so 10 tpy needs
    # 9,695 x 10 / 85.653 = 1,131.9 (shown 1,131.89) Btu/kWh: under 3,412.14 Btu/kWh (100 % efficient), which estimate refuses.
    code, out, err = run("solve", "--preset", "memphis-2025-permit", "--target", "nox=10 short_ton/year", "--vary", "heat-rate")
    assert code == 1 and "1,131.8" in out  # 1,131.8x
    assert "below 3,412.14 Btu/kWh, the least possible (100 % efficient)" in err
    code, _, err = run("estimate", "--preset", "memphis-2025-permit", "--heat-rate", "1132 Btu/kWh")
    assert code != 0 and "3,412" in err  # the two commands agree: not a heat rate
    # 50 tpy: 9,695 x 50 / 85.65 = 5,659.6 Btu/kWh (60 % LHV), possible, so feasible as before
    doc = run_json("solve", "--preset", "memphis-2025-permit", "--target", "nox=50 short_ton/year", "--vary", "heat-rate")
    assert doc["feasible"] is True and doc["value"] == pytest.approx(9695 * 50 / 85.653, rel=1e-3)


def test_solve_finds_a_use_per_home_on_the_far_side_of_a_one_over_x_curve(run, run_json):
    # memphis-2025-permit: 15 x 16.47 MW x 8,760 h = 2,164,158 MWh/yr; its headline is the energy view (homes =
    # generation / use per home: 200,552 at 10,791 kWh). 500,000 homes need 2,164,158,000 kWh / 500,000 = 4,328.3 kWh
    # each. The secant stepped to a negative use and the command said the output 'does not depend on it' (exit 1).
    doc = run_json("solve", "--preset", "memphis-2025-permit", "--target", "households=500000", "--vary", "household-use")
    assert doc["feasible"] is True and doc["value"] == pytest.approx(2_164_158_000 / 500_000, rel=1e-9)
    assert doc["estimate"]["households"]["value"] == pytest.approx(500_000, rel=1e-9)
    # an output that truly does not depend on the input still says so
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "household-demand")
    assert (code, out) == (1, "") and err.strip().endswith("(the output does not depend on it)")


def test_solve_on_a_lower_bound_total_says_so(run, run_json):
    # 4 SMT-130 at 40 % load run outside SoLoNOx's premix range (50-100 %): the 25 ppm NOx is only 'at least', 157.9
    # tpy all year (estimate's 'NOx >='). 100 tpy 'needs' 8,760 x 100 / 157.9 = 5,548 h, but the true NOx there is at
    # least 100, so the hours that reach 100 are 5,548 or fewer; limit refuses such a total (exit 1), solve said nothing.
    args = ("solve", "--turbine-model", "smt-130", "--turbines", "4", "--load", "40%", "--target", "nox=100 short_ton/year",
            "--vary", "hours")
    doc = run_json(*args)
    assert doc["lower_bound"] is True and doc["value"] == pytest.approx(8760 * 100 / 157.9, rel=1e-3)
    code, out, _ = run(*args)
    assert out.startswith("To reach NOx = 100 short tons/yr, hours must be:")  # the pollutant as tables name it
    # the reason is the result's own (PollutantResult.lower_bound, as estimate's rows say it), the pollutant as tables name it
    assert code == 0 and "At least: the NOx total is only a lower bound here (at least: Solar Turbines Titan 130" in out.replace("\n", " ")
    assert "40% load is outside its premix range (50-100 % load))" in out.replace("\n", " ")
    assert run_json("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "hours")["lower_bound"] is False


def test_a_count_of_homes_is_a_plain_number_not_a_percent(run, preset_file):
    # households=50000% was read as the fraction 500 (homes): memphis-2025-permit's 15 x 16.47 MW x 8,760 h =
    # 2,164,158 MWh/yr over 500 homes needs 4,328,316 kWh each, and solve answered that ('infeasible', above the
    # 1,000,000 kWh/yr the most possible) for a target of 50,000 homes. '50000 MW' was said not to be a fraction.
    for text in ("50000%", "50000 MW"):
        code, out, err = run("solve", "--preset", "memphis-2025-permit", "--target", f"households={text}",
                             "--vary", "household-use", "--format", "json")
        assert (code, out) == (2, "")
        assert err.strip().splitlines() == [f"Error: --target: '{text}' is not a count; write a plain number, e.g. 50000"]
    # a published count is read by the same rule
    path = preset_file('[preset]\ntitle = "t"\n' + GROUP.format(name="Turbines", count=4, mw=16) + '[[claims]]\n'
                       'output = "households"\nvalue = "50000%"\nwho = "w"\nwhen = "2024-01-01"\nsource = "s"\n')
    code, out, err = run("check", "--preset", path)
    assert (code, out) == (1, "")
    assert err.strip() == "Error: site.toml: claims[0].value: '50000%' is not a count; write a plain number, e.g. 50000"


def test_solve_turbines_for_a_target_below_one_unit_is_infeasible(run):
    # one 16 MW unit at AP-42's 0.32 lb/MMBtu gives 240.9 tpy; 1e-9 tpy needs 4.151e-12 units, which rounded to 0
    # inside the whole-number tolerance and was answered '1', feasible, exit 0
    code, out, err = run("solve", "--turbines", "4", "--capacity", "16 MW", "--target", "nox=1e-9 tpy", "--vary", "turbines")
    assert code == 1
    assert err == "Error: infeasible: it would need 4.151e-12 units, less than one; 1 gives 240.9 short tons/yr\n"


@pytest.mark.parametrize(("given", "vary"), [
    # --hours 5000 was dropped: 'capacity-factor must be 0.770296' (6,748 h) for 100 tons, the 5,000 h never used
    (("--hours", "5000"), "capacity-factor"), (("--capacity-factor", "0.5"), "hours"), (("--hours", "5000"), "hours"),
    (("--factor", "nox=2 ppmvd@15%O2"), "factor:nox"), (("--household-use", "5000 kWh/yr"), "household-use"),
])
def test_solve_refuses_an_option_the_solved_value_replaces(run, given, vary):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", vary, *given)
    shown = given[0] if given[0] != "--factor" else "--factor nox"
    assert (code, out) == (2, "")
    assert err == (f"Error: {shown}: 'emiss solve' finds it (--vary {vary}), so {shown} would be ignored; drop it (or use "
                   "'emiss estimate' to see one value)\n")
    # an option the solved value does not replace is kept: at 2 ppm memphis gives 129.82 x 2 / 7.9 = 32.87 tons in
    # 8,760 h, so 100 tons needs 8,760 x 100 / 32.87 = 26,654 h, more than a year (infeasible)
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "hours",
                         "--factor", "nox=2 ppmvd@15%O2")
    assert code == 1 and err.startswith("Error: infeasible: it would need 26,654 h")


def test_solve_writes_the_solved_factor_with_the_digits_its_table_writes(run, run_json):
    args = ("solve", "--preset", "memphis", "--target", "nox=130 short_ton/year", "--vary", "factor:nox")
    code, out, err = run(*args)
    assert code == 0, err
    # 130 short tons/yr = 260,000 lb/yr over memphis's 8,920,299 MMBtu/yr (HHV) = 0.0291470050 lb/MMBtu: six
    # significant figures, 0.029147, in the header and in the estimate's 'Factor used' column (the header said 0.02915)
    header = out.splitlines()[1].strip()
    assert header == "0.029147 lb/MMBtu (HHV heat input)", header
    nox = next(line for line in out.splitlines() if line.strip().startswith("NOx "))
    assert "0.029147 lb/MMBtu" in nox, nox
    doc = run_json(*args)  # the JSON keeps its full-precision number and its text
    assert abs(doc["factor"]["lb/MMBtu"] - 260_000 / 8_920_299) < 1e-8
    assert doc["estimate"]["emissions"]["nox"]["factors"][0]["as_given"] == "0.029147 lb/MMBtu"
