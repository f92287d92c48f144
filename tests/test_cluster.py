"""From GPUs to turbines: the power chain and unit count worked by hand; what emiss cluster's errors and totals say."""

from __future__ import annotations

import json

import pytest

from emiss.analysis import cluster as cl
from emiss.errors import InputError


def plan(**kw):
    args = dict(gpus=100_000, gpu_id="h100", unit_id=None, unit_capacity=None, pue=None, network_storage=None,
                derate=None, redundancy=None, hours=None, gpu_hours=None)
    args.update(kw)
    return cl.plan(**args)


def test_h100_power_chain_by_hand():
    # 100,000 / 8 = 12,500 DGX H100 x 10.2 kW = 127,500 kW; x 1.10 network/storage = 140,250 kW IT
    # x PUE 1.56 = 218,790 kW facility; / 16,500 kW per SMT-130 = 13.26 -> 14 units
    p = plan(pue="industry-average")
    assert p.servers == 12_500
    assert p.it_kw == pytest.approx(140_250)
    assert p.facility_kw == pytest.approx(218_790)
    assert (p.running, p.total) == (14, 14)


def test_derate_and_redundancy_round_up():
    # 218,790 / (16,500 x 0.9 = 14,850) = 14.73 -> 15 running, N+1 -> 16
    p = plan(derate="0.9", redundancy="N+1", pue="1.56")
    assert (p.running, p.total) == (15, 16)


def test_exact_fit_does_not_add_a_unit():
    # 8 GPUs x ... chosen so facility = exactly 2 units: 1 server 10.2 kW, no allowance, PUE 1 -> 10.2 kW;
    # units of 5.1 kW -> exactly 2
    p = plan(gpus=8, unit_capacity="5.1 kW", pue="1", network_storage="0")
    assert p.running == 2


def test_partial_server_counts_as_a_whole_server():
    assert plan(gpus=9).servers == 2


def test_generation_follows_the_load_not_the_nameplate():
    # 14 units carry 218,790 kW all year: generation = 218,790 kW x 8,760 h = 1,916,600 MWh (spares and headroom idle)
    r = cl.run(plan(redundancy="N+2", pue="industry-average"))
    assert r.result.generation_mwh == pytest.approx(1_916_600.4, rel=1e-6)


def test_per_gpu_intensity_and_gpu_hours():
    # a run of 2e7 GPU-hours on 10,000 GPUs lasts 2,000 h
    p = plan(gpus=10_000, gpu_hours="2e7 h")
    assert p.run_hours == pytest.approx(2_000)
    r = cl.run(p)
    assert r.per_gpu("nox") == pytest.approx(r.result.emissions["nox"].lb_per_year / 10_000)


@pytest.mark.parametrize("kw", [dict(gpus=0), dict(gpu_id="h1000"), dict(pue="0.5"), dict(derate="1.5"),
                                dict(redundancy="M+1"), dict(hours="9000 h"), dict(hours="1 h", gpu_hours="5 h")])
def test_bad_cluster_inputs(kw):
    with pytest.raises(InputError):
        plan(**kw)


def test_cluster_cli_json_and_side_by_side(run):
    code, out, err = run("cluster", "--gpus", "100000", "--gpu", "h100", "--pue", "industry-average", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["power"]["facility"] == {"value": pytest.approx(218.79), "unit": "megawatt"}
    assert doc["turbines"]["count"] == 14 and doc["turbines"]["model"] == "smt-130"
    assert "nox" in doc["emissions"] and "value" in doc["households"]
    code, out, _ = run("cluster", "--gpus", "100000", "--gpus", "200000", "--format", "json")
    assert [d["gpus"] for d in json.loads(out)] == [100_000, 200_000]
    code, out, _ = run("cluster", "--gpus", "100000", "--gpus", "200000")
    assert "100,000 H100" in out and "200,000 H100" in out


def test_turbine_model_in_estimate(run_json):
    doc = run_json("estimate", "--turbine-model", "smt-130", "--turbines", "4", "--only", "nox")
    # 4 x 16.5 MW x 9,695 x 1.108 = 708.98 MMBtu/h x 8,760 = 6,210,630 MMBtu; 25 ppm x 0.0036844 = 0.092110 lb/MMBtu
    # -> 572,062 lb = 286.0 short tons
    assert doc["emissions"]["nox"]["value"] == pytest.approx(286.0, rel=1e-3)


def test_unknown_turbine_model_suggests(run):
    code, out, err = run("estimate", "--turbine-model", "smt-13", "--turbines", "4")
    assert code == 2 and out == "" and "did you mean 'smt-130'" in err


def test_catalog_lists_units_and_gpus(run):
    code, out, _ = run("catalog")
    assert code == 0 and "smt-130" in out and "h100" in out and "unverified" in out


def test_preset_may_refer_to_the_catalog(run, tmp_path):
    p = tmp_path / "site.toml"
    p.write_text('[[fleet]]\ncatalog = "taurus-60"\ncount = 2\n')
    code, out, err = run("estimate", "--preset", str(p), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["capacity"]["value"] == pytest.approx(11.4)


def test_the_default_pue_is_a_new_build_not_the_fleet_average():
    # issue 10: 140,250 kW IT x PUE 1.3 (new large data center, Uptime) = 182,325 kW; / 16,500 = 11.05 -> 12 units
    p = plan()
    assert p.pue == 1.3 and p.facility_kw == pytest.approx(182_325) and p.total == 12
    assert plan(pue="liquid-cooled").pue == 1.1 and plan(pue="industry-average").pue == 1.56


def test_utilisation_scales_what_is_burnt_not_the_units():
    # 100,000 H100: 12,500 x 10.2 kW x 1.10 x PUE 1.3 = 182,325 kW at maximum server power: 12 SMT-130 (16,500 kW) units
    top = plan()
    assert top.facility_kw == pytest.approx(182_325) and top.utilisation == 1 and top.utilisation_name == "maximum"
    measured = plan(utilisation="h100-training")
    # 76 % of maximum on average (Newkirk et al. 2025): 182,325 x 0.76 = 138,567 kW; the units are still sized for 182 MW
    assert measured.average_kw == pytest.approx(138_567)
    assert (measured.running, measured.total) == (top.running, top.total) == (12, 12)
    # generation follows the average: 138,567 kW x 8,760 h = 1,213,847 MWh (vs 1,597,167 at maximum)
    assert cl.run(measured).result.generation_mwh == pytest.approx(138_567 * 8.76, rel=1e-9)
    assert cl.run(top).result.generation_mwh == pytest.approx(182_325 * 8.76, rel=1e-9)
    assert plan(utilisation="50%").average_kw == pytest.approx(182_325 / 2)


@pytest.mark.parametrize("bad", ["0", "1.2", "-0.1", "lots"])
def test_utilisation_out_of_range_is_refused(bad):
    with pytest.raises(InputError) as e:
        plan(utilisation=bad)
    assert e.value.where == "--utilisation"


def test_versus_reaches_the_row_formats(run):
    # --versus was dropped from CSV: the site's rows follow the clusters' (17,000 MWh x 21.7 kg/MWh = 368.9 t CO2e)
    code, out, _ = run("cluster", "--gpus", "100000", "--format", "csv", "--versus", "jean-zay-2024")
    site = [line for line in out.splitlines() if ",site." in line]
    assert code == 0 and len(site) == 5 and site[2].startswith("1456,site.co2e,") and ",368.9," in site[2]


def test_versus_refuses_a_run_shorter_than_the_year(run):
    # 2e7 GPU-hours on 20,000 GPUs is a 1,000 h run: its 36 GWh were set beside Jean Zay's 17 GWh a year under
    # 'Energy a year' (a run's total read as a year's); the whole year still compares
    code, out, err = run("cluster", "--gpus", "20000", "--gpu-hours", "2e7 h", "--versus", "jean-zay-2024")
    assert code == 2 and out == "" and "a run shorter or longer than the year (--run-hours, --gpu-hours) is not one" in err
    code, _, _ = run("cluster", "--gpus", "20000", "--run-hours", "8760 h", "--versus", "jean-zay-2024")
    assert code == 0


def _full_load_equivalent(p):
    """The old basis: every unit of the fleet at its full-load heat rate for the equivalent full-load hours."""
    from emiss.core.calc import estimate
    from emiss.core.model import Spec
    from emiss.inputs.scenario import apply_overrides, build

    hours = p.run_hours * p.average_kw / (p.total * p.unit_capacity_kw)
    return estimate(build(apply_overrides(Spec(name="cluster"), {"turbines": str(p.total), "hours": f"{hours!r} h",
                                                                 "turbine_model": p.unit["id"]})))


def test_the_units_share_the_load_at_part_load_not_as_full_load_hours():
    # 182,325 kW on 12 SMT-130 of 16,500 kW: each at 182,325 / 198,000 = 92.083 % all year, not 8,066 full-load hours
    # (8,760 x 0.92083). The Titan 130 curve: 102 % at 90 % load, 100 % at 100 %: 102 - 2 x 0.20833 = 101.583 % of the
    # full-load heat rate, so fuel and NOx are 1.01583 times the full-load-equivalent figure (790.2 -> 802.7 short tons)
    p = plan()
    assert cl.operation(p) == (12, pytest.approx(0.9208333), 1.0)
    r = cl.run(p).result
    old = _full_load_equivalent(p)
    assert old.hours == pytest.approx(8066.5, abs=0.1)
    assert r.generation_mwh == pytest.approx(old.generation_mwh, rel=1e-12)  # the same electricity
    assert r.heat_input_mmbtu == pytest.approx(old.heat_input_mmbtu * 1.0158333, rel=1e-6)
    nox = r.emissions["nox"].lb_per_year / 2000
    assert nox == pytest.approx(old.emissions["nox"].lb_per_year / 2000 * 1.0158333, rel=1e-6)
    assert round(old.emissions["nox"].lb_per_year / 2000, 1) == 790.2 and round(nox, 1) == 802.7


def test_a_low_utilisation_runs_fewer_units_within_their_premix_range():
    # 30 %: 182,325 x 0.3 = 54,697.5 kW over 12 units is 27.6 % load, below the SoLoNOx premix range (50-100 %):
    # floor(54,697.5 / 8,250) = 6 units at 54,697.5 / 99,000 = 55.25 %: heat rate 132 - 10 x 0.525 = 126.75 %
    d = cl.operation_doc(plan(utilisation="0.3"))
    assert (d["running"], d["load"], d["hours"]) == (6, pytest.approx(0.5525), 8760)
    assert d["heat_rate_percent_of_full_load"] == pytest.approx(126.75)
    assert "6 units (fewer than the 12 sized for the maximum: 50 % load is where the dry-low-NOx premix range ends)" \
        in d["text"]
    # 2 %: 3,646.5 kW, under half of one unit: one unit at 50 % for 8,760 x 3,646.5 / 8,250 = 3,871.9 h
    p = plan(utilisation="0.02")
    assert cl.operation(p) == (1, 0.5, pytest.approx(3646.5 / 8250))
    r = cl.run(p).result
    assert r.generation_mwh == pytest.approx(3646.5 * 8.76, rel=1e-9)  # the average load all year, as before
    assert not r.scenario.warnings  # in premix: the NOx guarantee holds


def test_the_operation_basis_is_in_the_table_and_json(run):
    code, out, _ = run("cluster", "--gpus", "100000")
    said = " ".join(out.split())
    assert code == 0 and ("Operation: 12 units run all year and share the average load, 92.1 % of rated output each, "
                          "at the part-load heat rate, 101.6 % of the full-load heat rate") in said
    code, out, _ = run("cluster", "--gpus", "100000", "--format", "json")
    op = json.loads(out)["operation"]
    assert op["basis"] == "part load" and op["running"] == 12 and op["heat_rate_percent_of_full_load"] == pytest.approx(101.58333)


def test_a_dry_low_nox_unit_without_its_own_premix_range_keeps_the_shipped_one():
    # LM6000 PD SPRINT (43,286 kW, DLE, no premix range read: emiss's generic 50-100 % applies, as in the estimate).
    # 50,000 H100 at utilisation 0.5: 91,162.5 x 0.5 = 45,581.25 kW; 3 units would carry 35.1 % each, below 50 %:
    # floor(45,581.25 / 21,643) = 2 units at 45,581.25 / 86,572 = 52.65 %
    n, load, duty = cl.operation(plan(gpus=50_000, unit_id="lm6000-pd-sprint", utilisation="0.5"))
    assert (n, duty) == (2, 1.0) and load == pytest.approx(45_581.25 / 86_572)


def test_the_units_note_agrees_with_the_operation_line(run):
    # the old note said 'running units follow the load at full-load heat rate' above an Operation line saying they
    # share it at part load (12 units at 92.1 %, heat rate 101.6 % of the full-load heat rate)
    code, out, _ = run("cluster", "--gpus", "100000")
    said = " ".join(out.split())
    assert code == 0 and "at full-load heat rate" not in said and "at the full-load heat rate" not in said
    assert "0 spare (idle); the units that run share the average load (Operation, below" in said


def test_load_fraction_is_the_installed_fleets_share_and_says_so(run_json):
    # 100,000 H100, N+1, utilisation 0.5: facility 12,500 servers x 10.2 kW x 1.1 x 1.3 = 182,325 kW, average 91,162.5.
    # Sized: ceil(182,325 / 16,500) = 12 running + 1 spare = 13. turbines.load_fraction = 91,162.5 / (13 x 16,500)
    # = 0.425; each running unit: 12 would carry 46.0 %, below the 50 % premix end, so floor(91,162.5 / 8,250) = 11
    # run at 91,162.5 / (11 x 16,500) = 0.50227 (operation.load)
    d = run_json("cluster", "--gpus", "100000", "--redundancy", "N+1", "--utilisation", "0.5")
    assert d["turbines"]["load_fraction"] == pytest.approx(91_162.5 / 214_500) == 0.425
    assert d["operation"]["load"] == pytest.approx(91_162.5 / 181_500)
    assert "spares included" in d["turbines"]["load_fraction_basis"] and "operation.load" in d["turbines"]["load_fraction_basis"]


def test_the_plans_count_hours_and_load_are_not_called_command_line(run_json):
    # the count (13), the hours (11 running x 8,760 h spread over 13 = 7,412.3 h) and the load (0.50227) come from the
    # plan; utilisation and --turbine-capacity are typed, and stay 'command line'
    d = run_json("cluster", "--gpus", "100000", "--redundancy", "N+1", "--utilisation", "0.5")
    rows = {a["name"]: a for a in d["assumptions"]}
    plan_rows = [a for a in d["assumptions"] if a["source"].startswith("the cluster plan")]
    assert sorted(a["value"] for a in plan_rows) == pytest.approx(sorted([13, 8760 * 11 / 13, 91_162.5 / 181_500]))
    assert all((a["layer"], a["status"]) == ("record", "derived") for a in plan_rows)
    assert rows["utilisation"]["source"] == "command line" and rows["utilisation"]["layer"] == "cli"
    assert [a["name"] for a in d["assumptions"] if a["source"] == "command line"] == ["utilisation"]
    d = run_json("cluster", "--gpus", "100000", "--turbine-capacity", "20 MW")
    given = [a for a in d["assumptions"] if a["source"] == "command line"]
    assert [a["value"] for a in given] == [20.0] and given[0]["name"].endswith("capacity per unit")


def test_the_households_row_is_named_as_the_estimate_names_it(run):
    # the cluster's homes are the energy view (generation / use per home): named as estimate's Results table names
    # that view, 'Households, energy view', in the table and in the CSV's label (its quantity id unchanged)
    code, out, err = run("cluster", "--gpus", "100000", "--gpu", "h100")
    assert code == 0, err
    assert any(line.strip().startswith("Households, energy view ") for line in out.splitlines())
    assert "Households (energy view)" not in out
    code, out, err = run("cluster", "--gpus", "100000", "--gpu", "h100", "--format", "csv")
    row = next(r for r in out.splitlines() if ",households.energy," in r)
    assert row.startswith('100000,households.energy,"Households, energy view",')


def test_the_hours_spread_over_idle_units_say_so(run_json):
    # N+1 at utilisation 0.5: 11 units run 8,760 h at 91,162.5 / (11 x 16,500) = 50.2 % load, 2 stay idle; the
    # estimate's fleet is all 13, so its hours are 11 x 8,760 / 13 = 7,412.3 each, named 'operating hours per year
    # (at 50% load)' as estimate names hours at part load (model.hours_name), and the note says what they are
    d = run_json("cluster", "--gpus", "100000", "--redundancy", "N+1", "--utilisation", "0.5")
    hours = next(a for a in d["assumptions"] if a["name"].startswith("operating hours per year"))
    assert hours["name"] == "operating hours per year (at 50% load)" and hours["value"] == pytest.approx(8760 * 11 / 13)
    assert hours["note"].startswith("11 running unit(s) x 8,760 h at 50% load, spread over the 13 installed (2 idle)")
    assert d["operation"]["hours"] == 8760
    # every unit running (no spare): the hours are each unit's own, nothing to add
    d = run_json("cluster", "--gpus", "100000")
    hours = next(a for a in d["assumptions"] if a["name"].startswith("operating hours per year"))
    assert hours["value"] == 8760 and hours["note"] == ""


def test_versus_writes_tonnes_and_the_sites_figures_by_name(run):
    # the table beside the site wrote 't' where the cluster table above it writes 'tonnes' beside 'short tons/yr' (a
    # 't' reads as US tons), and its published figures as the preset's text and key: '3000 gpus', '60000 cpu_cores'
    code, out, err = run("cluster", "--gpus", "100000", "--versus", "jean-zay-2024")
    assert code == 0, err
    beside = out[out.index("Beside "):]
    rows = {line.split("  ")[1].strip(): line for line in beside.splitlines() if line.startswith("  CO2e") or line.startswith("  NOx")}
    assert rows and all(" tonnes " in line and " t " not in line for line in rows.values()), rows
    assert "tonnes CO2e a year" in beside and " t CO2e" not in beside
    assert "3,000 GPUs (" in beside and "36.85 PFLOP/s (" in beside and "60,000 CPU cores (" in beside
    assert "gpus (" not in beside and "cpu_cores" not in beside


def test_the_utilisation_source_points_at_the_option_not_a_data_key(run):
    # the cluster's sources ended 'see utilisation_choices', a key of catalog.toml no reader can look up
    code, out, err = run("cluster", "--gpus", "1000")
    assert code == 0, err
    assert "utilisation_choices" not in out and "see --utilisation (h100-training, 0.76 measured)" in " ".join(out.split())


def test_cluster_names_the_option_given_and_the_run_it_makes(run):
    # --run-hours was named '--hours' (its old name) in its errors, and '-1 h' of GPU-hours over 100,000 GPUs
    # (-1 / 100,000 = -0.00001 h per GPU) was written 'a run of -0 h'
    code, out, err = run("cluster", "--gpus", "100000", "--run-hours", "-1 h")
    assert (code, out) == (2, "")
    assert err.strip() == "Error: --run-hours: a run of -1 h per GPU must be above 0 and at most 8,760 h (one year)"
    code, out, err = run("cluster", "--gpus", "100000", "--gpu-hours", "-1 h")
    assert (code, out) == (2, "")
    assert err.strip() == ("Error: --gpu-hours: -1 h over 100,000 GPUs, a run of -1e-05 h per GPU, must be above 0 and "
                           "at most 8,760 h (one year)")


def test_a_cluster_too_large_for_any_fleet_names_the_option(run):
    # 1e12 H100: 1.25e11 servers x 10.2 kW x 1.1 x PUE 1.3 = 1.823e9 MW over 16.5 MW = 110,500,000 units, refused
    # (exit 1) as "the plan's count: '110500000' units is too large", naming no option the user gave
    code, out, err = run("cluster", "--gpus", "1e12")
    assert (code, out) == (2, "")
    assert err == ("Error: --gpus: 110,500,000 units (110,500,000 running for 1,823,250,000 MW, 16.5 MW each, and 0 "
                   "spare) are more than a fleet may have (1,000,000); check --gpus, the unit's capacity, --derate and "
                   "--redundancy\n")


def test_cluster_totals_say_per_year_and_the_units_note_does_not_contradict_the_operation(run):
    code, out, err = run("cluster", "--gpus", "100000", "--gpu", "h100", "--format", "markdown")
    assert code == 0, err
    units = {cells[0]: cells[1] for line in out.splitlines() if line.startswith("|")
             for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    assert (units["Generation"], units["CO2e"]) == ("MWh/yr", "tonnes/yr")
    assert units["IT load"] == "MW" and units["NOx per GPU"] == "kg"  # a power, and per GPU-year (said in a note)
    # the units run at part load, at the part-load heat rate (the Operation line), given as a share of the full-load
    # heat rate (it said '101.6 % of full load', which reads as a load); no note says they run at the full-load rate
    said = " ".join(out.split())
    assert "at the part-load heat rate, 101.6 % of the full-load heat rate" in said and "at the full-load heat rate" not in said
