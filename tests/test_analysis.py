"""solve, sensitivity, Monte Carlo and compare, against independently worked values."""

from __future__ import annotations

import json

import pytest

from emiss.analysis import solve
from emiss.analysis import uncertainty
from emiss.core.calc import estimate
from emiss.inputs.scenario import scenario_from


@pytest.fixture(scope="module")
def memphis():
    return scenario_from("memphis")


def test_solving_for_the_memphis_nox_factor_returns_the_preset_factor(memphis):
    own = estimate(memphis).emissions["nox"].lb_per_year / 2000
    sol = solve.solve(memphis, target=f"nox={own!r} short_ton/year", vary="factor:nox")
    # the preset's 7.9 ppmvd@15%O2 = 7.9 x 0.0036844 = 0.029107 lb/MMBtu
    assert sol.value == pytest.approx(7.9 * 0.0036844, rel=1e-4)
    views = solve.factor_views(sol.scenario, "nox", sol.value, sol.result)
    assert views["ppmvd@15%O2"] == pytest.approx(7.9, rel=1e-9)
    assert views["placement"] == "between SCR-class 2 ppm and dry-low-NOx 15 ppm"


def test_solve_for_130_tons_by_hand(memphis):
    # 260,000 lb / 8,920,300 MMBtu = 0.029147 lb/MMBtu = 7.911 ppm
    sol = solve.solve(memphis, target="nox=130 short_ton/year", vary="factor:nox")
    assert sol.value == pytest.approx(260_000 / 8_920_300, rel=1e-5)
    assert sol.feasible


def test_solve_then_estimate_round_trips():
    sc = scenario_from(None, {"turbines": "15", "capacity": "16.5 MW", "heat_rate": "9695 Btu/kWh"})
    sol = solve.solve(sc, target="households=50000", vary="household-use")
    # 15 x 16.5 MW x 8,760 h = 2,168,100 MWh; / 50,000 homes = 43,362 kWh per home
    assert sol.value == pytest.approx(43_362)
    again = estimate(scenario_from(None, {"turbines": "15", "capacity": "16.5 MW", "heat_rate": "9695 Btu/kWh",
                                          "household_use": f"{sol.value!r} kWh/yr"}))
    assert again.households == pytest.approx(50_000)


def test_infeasible_capacity_factor_is_reported(memphis):
    sol = solve.solve(memphis, target="nox=1000 short_ton/year", vary="capacity-factor")
    # 1000 / 129.82 = 7.703 > 1
    assert not sol.feasible and sol.needed == pytest.approx(1000 / 129.82, rel=1e-3) and "above 1" in sol.problem


def test_fractional_turbines_round_up_and_say_so():
    sc = scenario_from(None, {"turbines": "1", "capacity": "10 MW", "heat_rate": "10000 Btu/kWh", "heat_rate_basis": "hhv",
                              "factor.nox": "0.1 lb/MMBtu"})
    # one unit: 87,600 lb = 43.8 t; 100 t needs 2.283 units -> 3
    sol = solve.solve(sc, target="nox=100 short_ton/year", vary="turbines")
    assert sol.needed == pytest.approx(100 / 43.8) and sol.value == 3 and not sol.feasible


def test_monte_carlo_of_a_uniform_input_matches_the_analytic_quantiles():
    # NOx is linear in the capacity factor; cf ~ U(0.5, 1.0): P5 = 0.525, P50 = 0.75, P95 = 0.975 of full-year NOx
    sc = scenario_from(None, {"turbines": "1", "capacity": "10 MW", "heat_rate": "10000 Btu/kWh", "heat_rate_basis": "hhv",
                              "factor.nox": "0.1 lb/MMBtu", "capacity_factor": "0.5..1.0"})
    full = 87_600.0
    spread = uncertainty.monte_carlo(sc, 100_000, seed=7)["nox"]
    assert spread.p5 == pytest.approx(0.525 * full, rel=0.01)
    assert spread.p50 == pytest.approx(0.75 * full, rel=0.01)
    assert spread.p95 == pytest.approx(0.975 * full, rel=0.01)


def test_monte_carlo_is_deterministic_for_a_seed(memphis):
    a = uncertainty.monte_carlo(memphis, 2000, seed=3)
    b = uncertainty.monte_carlo(memphis, 2000, seed=3)
    assert a == b


def test_tornado_orders_inputs_by_swing():
    sc = scenario_from(None, {"turbines": "1", "capacity": "10 MW", "heat_rate": "9000..11000 Btu/kWh",
                              "factor.nox": "0.05..0.15 lb/MMBtu", "capacity_factor": "0.8..1.0"})
    central, swings = uncertainty.sensitivity(sc, "nox")
    # relative swings: factor 0.10/0.10 = 100 %, heat rate 2000/10000 = 20 %, capacity factor 0.2/0.9 = 22 %
    assert [s.name.split(" ")[0] for s in swings] == ["factor", "capacity", "fleet:"]
    assert swings[0].size > swings[1].size > swings[2].size


def test_ranges_keep_the_central_estimate(memphis):
    # the Memphis ranges are centred (mode) on the reported values, so the estimate is unchanged
    assert estimate(memphis).emissions["nox"].lb_per_year / 2000 == pytest.approx(129.82, rel=1e-4)


def test_cli_solve_json(run):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=130 short_ton/year", "--vary", "factor:nox", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert {"vary", "value", "unit", "estimate"} <= set(doc)
    assert doc["estimate"]["emissions"]["nox"]["value"] == pytest.approx(130)


def test_cli_solve_infeasible_exit_1(run):
    code, out, err = run("solve", "--preset", "memphis", "--target", "nox=1000 short_ton/year", "--vary", "capacity-factor")
    assert code == 1 and "7.70" in err and "above 1" in err


@pytest.mark.parametrize("args", [["--target", "nox=130", "--vary", "hours"], ["--target", "nox=130 short_ton/year", "--vary", "wind"],
                                  ["--target", "zzz=3", "--vary", "hours"], ["--target", "nox=130 short_ton/year", "--vary", "turbines"]])
def test_cli_solve_bad_input(run, args):
    code, out, err = run("solve", "--preset", "memphis", *args)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_cli_estimate_samples_json(run):
    code, out, err = run("estimate", "--preset", "memphis", "--samples", "5000", "--seed", "1", "--format", "json", "--only", "nox")
    assert code == 0, err
    nox = json.loads(out)["emissions"]["nox"]
    assert nox["p5"] < nox["p50"] < nox["p95"]
    assert nox["p5"] < nox["value"] < nox["p95"]


def test_cli_samples_without_ranges_is_an_error(run):
    code, out, err = run("estimate", "--turbines", "1", "--capacity", "1 MW", "--samples", "100")
    assert code == 2 and out == "" and "uncertain" in err


def test_cli_sensitivity_and_compare(run):
    code, out, err = run("sensitivity", "--preset", "memphis", "--format", "json")
    assert code == 0, err
    swings = json.loads(out)["swings"]
    assert abs(swings[0]["swing"]) >= abs(swings[-1]["swing"])
    code, out, err = run("compare", "--preset", "memphis", "--control", "uncontrolled", "--control", "lean-premix",
                         "--factor", "nox=2 ppmvd@15%O2", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [s["label"] for s in doc["scenarios"]] == ["memphis", "control uncontrolled", "control lean-premix", "factor nox=2 ppmvd@15%O2"]
    nox = next(r for r in doc["rows"] if r["output"] == "nox")["values"]
    # uncontrolled turbines: 0.32 lb/MMBtu x 64 MW x 10,742.06 Btu/kWh x 8,760 h = 6,022,428 MMBtu -> 963.6 short tons.
    # --control sets the turbines' NOx only; the gensets keep the preset's fleet-wide 7.9 ppm (issue 15: one meaning of
    # --control in every command): 35 MW x 8,760 h x 9,451.63 Btu/kWh HHV (3,412.14 / 0.40 x 1.108) = 2,897,870 MMBtu,
    # x 7.9 ppm x 0.00368437 lb/MMBtu per ppm (Method 19) = 84,346 lb -> 42.17 short tons; 963.6 + 42.17 = 1,005.8
    assert nox[1] == pytest.approx(0.32 * 6_022_428.5 / 2000 + 7.9 * 0.00368437 * 2_897_870 / 2000, rel=1e-5)
    one = json.loads(run("estimate", "--preset", "memphis", "--control", "uncontrolled", "--only", "nox", "--format", "json")[1])
    assert one["emissions"]["nox"]["value"] == pytest.approx(nox[1], rel=1e-12)  # the same meaning in estimate


def test_cli_compare_grid_and_permit_view(run):
    code, out, err = run("compare", "--preset", "memphis", "--grid", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    co2 = next(r for r in doc["rows"] if r["output"] == "co2")["values"]
    # SRTV 933.1 lb/MWh x 867,240 MWh / 2,000 = 404,611 short tons
    assert co2[1] == pytest.approx(933.1 * 867_240 / 2000)
    code, out, err = run("compare", "--preset", "memphis", "--permit-view", "--capacity-factor", "0.6", "--format", "json")
    assert code == 0, err
    labels = [s["label"] for s in json.loads(out)["scenarios"]]
    assert labels == ["PTE uncontrolled", "PTE controlled", "expected actual"]


def test_the_permit_view_holds_the_pte_to_the_permits_caps_where_they_bind(run):
    # memphis-2025-permit: PM at 8,760 h is 76.72 short tons/yr (0.0066 lb/MMBtu x 23,247,515 MMBtu / 2,000), above the
    # 73 tpy cap, so the PTE as limited is 73; NOx 85.65 and CO 78.22 are under their 87 and 94 tpy caps and stay
    code, out, err = run("compare", "--preset", "memphis-2025-permit", "--permit-view", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    labels = [s["label"] for s in doc["scenarios"]]
    assert labels == ["PTE uncontrolled", "PTE controlled", "PTE as limited", "expected actual"]
    rows = {r["output"]: r["values"] for r in doc["rows"]}
    assert rows["pm"][1] == pytest.approx(0.0066 * 23_247_515 / 2000, rel=1e-3) and rows["pm"][2] == pytest.approx(73.0, rel=1e-12)
    assert rows["nox"][2] == rows["nox"][1] and rows["co"][2] == rows["co"][1] and rows["capacity"][2] == rows["capacity"][1]
    assert "pm 73 short tons/yr" in doc["scenarios"][2]["note"]
    # at 80 columns the four figures of a row do not fit side by side: each row is a block, no figure cut
    from click.testing import CliRunner

    from emiss.cli import cli

    r = CliRunner(env={"COLUMNS": "80"}).invoke(cli, ["compare", "--preset", "memphis-2025-permit", "--permit-view"])
    assert r.exit_code == 0 and "    PTE as limited: 73.00 (-5%)\n" in r.stdout and max(map(len, r.stdout.splitlines())) <= 80
