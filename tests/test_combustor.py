"""Issue 21 items 1-3: the combustor and add-on controls as two layers, applicability (NH3), the operating envelope.

Method 19 per ppmvd at 15 % O2: ppm x MW / 385.3e6 scf/lb-mol x 8,710 dscf/MMBtu x 20.9 / (20.9 - 15) lb/MMBtu.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss import build_scenario, calculate
from emiss.core.calc import before_controls
from emiss.errors import InputError

K = 8710 * 20.9 / 5.9 / 385.3e6  # lb/MMBtu per (ppm x MW)
NOX_PPM, CO_PPM, NH3_PPM, HCHO_PPM = 46.01 * K, 28.01 * K, 17.03 * K, 30.03 * K  # 0.0036844, 0.0022430, 0.0013637, 0.0024049
TONS = 8760 / 2000  # lb/h over a full year -> short tons


def tons(result, p):
    return result.emissions[p].lb_per_year / 2000


# ---- a dry-low-NOx turbine: combustor level, then SCR and oxidation catalyst ----------------------------------------

def test_dln_turbine_scr_and_oxcat_on_top_of_its_own_combustor():
    # One SMT-130: 16,500 kW x 9,695 Btu/kWh LHV x 1.108 = 177.245 MMBtu/h HHV.
    heat = 16_500 * 9695 * 1.108 / 1e6
    r = calculate(build_scenario(turbine_model="smt-130", turbines=1, control="scr+oxcat"))
    # NOx: the catalog's level after SCR, 2 ppm: 2 x 0.0036844 x 177.245 x 4.38 = 5.72 short tons
    assert tons(r, "nox") == pytest.approx(2 * NOX_PPM * heat * TONS, rel=1e-6)
    # CO: the oxidation catalyst's outlet 3.0 ppm (SCAQMD BACT): 3 x 0.0022430 x 177.245 x 4.38 = 5.22
    assert tons(r, "co") == pytest.approx(3 * CO_PPM * heat * TONS, rel=1e-6)
    # NH3 slip 5 ppm: 5 x 0.0013637 x 177.245 x 4.38 = 5.29
    assert tons(r, "nh3") == pytest.approx(5 * NH3_PPM * heat * TONS, rel=1e-6)
    # Before add-on controls: the SoLoNOx combustor's 25 ppm NOx and CO (not AP-42's diffusion 0.32), no ammonia
    u = calculate(before_controls(r.scenario))
    assert tons(u, "nox") == pytest.approx(25 * NOX_PPM * heat * TONS, rel=1e-6)  # 71.5 short tons
    assert tons(u, "co") == pytest.approx(25 * CO_PPM * heat * TONS, rel=1e-6)
    assert tons(u, "nh3") == 0 and u.emissions["nh3"].complete and u.emissions["nh3"].not_applicable
    assert 1 - tons(r, "nox") / tons(u, "nox") == pytest.approx(0.92)  # 25 -> 2 ppm is -92 %


def test_permit_preset_uncontrolled_is_the_combustor_not_ap42_diffusion(run_json):
    # 15 x 16,470 kW x 10,742.06 Btu/kWh = 2,653.8 MMBtu/h; 25 ppm: 0.092110 x 2,653.8 x 4.38 = 1,070.7 short tons
    heat = 15 * 16_470 * 9695 * 1.108 / 1e6
    doc = run_json("pte", "--preset", "memphis-2025-permit")
    assert doc["facility"]["nox"]["uncontrolled"] == pytest.approx(25 * NOX_PPM * heat * TONS, rel=1e-6)
    assert doc["facility"]["nox"]["value"] == pytest.approx(2 * NOX_PPM * heat * TONS, rel=1e-6)  # 85.7
    assert doc["facility"]["co"]["value"] == pytest.approx(3 * CO_PPM * heat * TONS, rel=1e-6)  # 78.2, under the 94 cap


def test_a_combustor_other_than_the_catalogs_takes_ap42_and_the_old_spelling_still_works(run):
    # --combustor diffusion on an SMT-130: AP-42 Table 3.1-1 uncontrolled, 0.32 lb/MMBtu x 177.245 x 4.38 = 248.4 short tons
    code, out, _ = run("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--combustor", "diffusion", "--only", "nox",
                       "--format", "value")
    assert code == 0 and float(out) == pytest.approx(0.32 * 16_500 * 9695 * 1.108 / 1e6 * TONS, rel=1e-6)
    code2, out2, err2 = run("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--control", "uncontrolled", "--only", "nox",
                            "--format", "value")
    assert code2 == 0 and out2 == out and err2.count("\n") >= 1 and "read as --combustor diffusion" in err2
    # its own combustor keeps the catalog's 25 ppm
    code, out, _ = run("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--combustor", "dry-low-nox", "--only", "nox",
                       "--format", "value")
    assert float(out) == pytest.approx(25 * NOX_PPM * 16_500 * 9695 * 1.108 / 1e6 * TONS, rel=1e-6)


# ---- engines: each type with its own add-on control -----------------------------------------------------------------

def _engine(tmp_path, engine_type, extra=""):
    p = tmp_path / f"e-{engine_type}.toml"
    p.write_text(f'[[fleet]]\nname = "e"\nkind = "engine"\ncount = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\n'
                 f'heat_rate_basis = "hhv"\nengine_type = "{engine_type}"\n{extra}')
    return str(p)


HEAT_1MW = 10.0  # 1 MW x 10,000 Btu/kWh HHV = 10 MMBtu/h


def test_oxidation_catalyst_on_a_4slb_uses_zzzz_4_stroke_figures(tmp_path):
    r = calculate(build_scenario(_engine(tmp_path, "4slb"), control="oxidation-catalyst"))
    assert tons(r, "co") == pytest.approx(0.317 * 0.07 * HEAT_1MW * TONS, rel=1e-6)  # AP-42 0.317 less 93 %
    # formaldehyde: 14 ppmvd = 14 x 0.0024049 = 0.033669 lb/MMBtu, below AP-42's 0.0528, labelled a regulatory ceiling
    assert tons(r, "hcho") == pytest.approx(14 * HCHO_PPM * HEAT_1MW * TONS, rel=1e-6)
    f = dict(r.emissions["hcho"].factors)["e"]
    assert "ceiling" in f.note
    assert r.emissions["nh3"].not_applicable == ("e",) and tons(r, "nh3") == 0  # no SCR, no ammonia


def test_oxidation_catalyst_on_a_2slb_uses_zzzz_2_stroke_figures(tmp_path):
    r = calculate(build_scenario(_engine(tmp_path, "2slb"), control="oxidation-catalyst"))
    assert tons(r, "co") == pytest.approx(0.386 * 0.42 * HEAT_1MW * TONS, rel=1e-6)  # AP-42 0.386 less 58 %, not 93 %
    assert tons(r, "hcho") == pytest.approx(12 * HCHO_PPM * HEAT_1MW * TONS, rel=1e-6)  # 12 ppmvd = 0.028859 lb/MMBtu


def test_nscr_on_a_4srb_reduces_a_preset_nox_level(tmp_path, run):
    path = _engine(tmp_path, "4srb", '[fleet.factors]\nnox = "2.0 lb/MMBtu"\n')
    # the preset's 2.0 lb/MMBtu is the level before the command line's NSCR: less 98 % = 0.04 lb/MMBtu -> 1.752 short tons
    code, out, _ = run("estimate", "--preset", path, "--control", "nscr", "--only", "nox", "--format", "value")
    assert code == 0 and float(out) == pytest.approx(2.0 * 0.02 * HEAT_1MW * TONS, rel=1e-6)
    # a level given at the control's layer is the level after it: unchanged
    code, out, _ = run("estimate", "--preset", path, "--control", "nscr", "--factor", "nox=0.1 lb/MMBtu", "--only", "nox",
                       "--format", "value")
    assert float(out) == pytest.approx(0.1 * HEAT_1MW * TONS, rel=1e-6)
    # AP-42's 4SRB NOx 2.21 lb/MMBtu less 98 % = 0.0442
    r = calculate(build_scenario(_engine(tmp_path, "4srb"), control="nscr"))
    assert tons(r, "nox") == pytest.approx(2.21 * 0.02 * HEAT_1MW * TONS, rel=1e-6)


def test_scr_on_an_engine_is_not_satisfied_by_the_catalogs_engine_out_level(run):
    # the J620's 90 ppm is engine-out (catalog layer, below the control): SCR needs the level after it
    code, out, err = run("estimate", "--turbine-model", "j620", "--turbines", "1", "--control", "scr")
    assert code == 2 and out == "" and "give the NOX level after the control" in err
    # the mobile genset's catalog gives its level after SCR (5 ppm, recalled); NH3 slip 5 ppm (assumed for engines)
    r = calculate(build_scenario(turbine_model="genset-2.5mw", turbines=1, control="scr"))
    heat = 2500 * (3412.14 / 0.40) * 1.108 / 1e6  # 40 % LHV -> 8,530.35 Btu/kWh x 1.108 = 23.63 MMBtu/h
    assert tons(r, "nox") == pytest.approx(5 * NOX_PPM * heat * TONS, rel=1e-4)
    assert tons(r, "nh3") == pytest.approx(5 * NH3_PPM * heat * TONS, rel=1e-4)


# ---- an option applies where it fits, and says where it did not ------------------------------------------------------

@pytest.mark.parametrize("args,message", [
    (("--preset", "memphis-2025-permit", "--engine-type", "4srb"), "an engine type is for engines and this fleet has none"),
    (("--preset", "memphis-2025-permit", "--control", "nscr"), "'nscr' fits no unit here"),
    (("--turbine-model", "j620", "--turbines", "2", "--combustor", "dry-low-nox"), "a combustor is for turbines"),
])
def test_an_option_that_fits_no_group_is_an_error(run, args, message):
    code, out, err = run("estimate", *args)
    assert code == 2 and out == "" and message in err and err.count("\n") == 1


def test_an_option_that_fits_some_groups_says_where_it_did_not(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--combustor", "diffusion", "--engine-type", "2slb", "--only", "nox")
    assert doc["emissions"]["nox"]["complete"]  # the combustor went to the turbines, the engine type to the gensets
    assert any("'diffusion' applies to the turbines; not to the engines" in w for w in doc["warnings"])
    assert any("'2slb' applies to the engines; not to the turbines" in w for w in doc["warnings"])
    doc = run_json("estimate", "--preset", "memphis", "--control", "nscr", "--engine-type", "4srb", "--only", "nox")
    assert any("not to 'Solar SMT-130 turbines'" in w for w in doc["warnings"])


# ---- applicability ---------------------------------------------------------------------------------------------------

def test_nh3_is_not_applicable_without_scr_and_totals_stay_complete():
    r = calculate(build_scenario("memphis"))
    e = r.emissions["nh3"]
    assert e.complete and e.missing == () and e.lb_per_year == 0
    assert set(e.not_applicable) == {"Solar SMT-130 turbines", "VoltaGrid mobile gensets"}
    assert all(x.complete for x in r.emissions.values())


def test_nh3_where_scr_is_only(tmp_path):
    p = tmp_path / "mixed.toml"
    p.write_text('[[fleet]]\nname = "t"\ncatalog = "smt-130"\ncount = 1\ncontrol = "scr"\n'
                 '[[fleet]]\nname = "g"\nkind = "engine"\ncount = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\n')
    r = calculate(build_scenario(str(p)))
    heat = 16_500 * 9695 * 1.108 / 1e6
    assert tons(r, "nh3") == pytest.approx(5 * NH3_PPM * heat * TONS, rel=1e-6)  # the turbine's slip alone
    assert r.emissions["nh3"].complete and r.emissions["nh3"].not_applicable == ("g",)


# ---- the operating envelope -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("option,value,words", [
    ("--ambient", "45C", "outside the maker's curve of 'Solar SMT-130 turbines' (5 to 35 degC"),
    ("--load", "5%", "outside the part-load curve of 'Solar SMT-130 turbines' (10 to 100 % load"),
])
def test_outside_a_makers_curve_is_refused(run, option, value, words):
    code, out, err = run("estimate", "--preset", "memphis", option, value)
    assert code == 2 and out == "" and words in err


def test_outside_a_curve_is_an_error_record_in_batch(run):
    from click.testing import CliRunner

    from emiss.cli import cli

    res = CliRunner().invoke(cli, ["batch", "--preset", "memphis", "--format", "ndjson"],
                             input='{"id":"hot","ambient":"45C"}\n{"id":"ok","ambient":"30C"}\n')
    lines = res.stdout.splitlines()
    assert res.exit_code == 1 and '"error"' in lines[0] and "5 to 35 degC" in lines[0] and '"error"' not in lines[1]


def test_dry_low_nox_outside_its_premix_range_gives_at_least_totals():
    # 40 % load: SoLoNOx premix holds from 50 % (the maker's exhaust tables jump between 40 and 50 %)
    r = calculate(build_scenario(turbine_model="smt-130", turbines=1, load="40%"))
    assert r.emissions["nox"].at_least and r.emissions["co"].at_least and not r.emissions["voc"].at_least
    assert any("dry-low-NOx guarantee does not hold" in w for w in r.scenario.warnings)
    below = [s for s in r.screening if s.pollutant in ("nox", "co")]
    assert below and all(s.crossed is None for s in below)  # a lower bound below a threshold is not 'below'
    inside = calculate(build_scenario(turbine_model="smt-130", turbines=1, load="60%"))
    assert not inside.emissions["nox"].at_least and not inside.scenario.warnings


def test_a_control_that_fits_no_unit_type_is_refused_in_the_library():
    with pytest.raises(InputError, match="does not apply to a turbine"):
        build_scenario(turbine_model="smt-130", turbines=1, **{"fleet.1.control": "nscr"})


# ---- invariants and outputs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("preset", ["memphis-2025-permit", "memphis-2025-selc", "southaven-2025"])
@pytest.mark.parametrize("control", ["scr", "oxidation-catalyst", "scr+oxcat"])
def test_an_add_on_control_never_raises_a_pollutant_but_ammonia(preset, control):
    try:
        sc = build_scenario(preset, control=control)
    except InputError:  # SCR on an engine without a level after it: refused, never guessed
        assert preset == "memphis-2025-selc" and "scr" in control and control != "oxidation-catalyst"
        return
    after, before = calculate(sc), calculate(before_controls(sc))
    for p in after.emissions:
        if p != "nh3":
            assert after.emissions[p].lb_per_year <= before.emissions[p].lb_per_year * (1 + 1e-12), p
    assert (tons(after, "nh3") > 0) == ("scr" in control) and tons(before, "nh3") == 0


def test_json_and_cobra_carry_ammonia_where_scr_is(run, run_json):
    doc = run_json("estimate", "--preset", "memphis-2025-permit")
    heat = 15 * 16_470 * 9695 * 1.108 / 1e6
    assert doc["emissions"]["nh3"]["value"] == pytest.approx(5 * NH3_PPM * heat * TONS, rel=1e-6)  # 79.3 short tons
    assert doc["emissions"]["nh3"]["not_applicable_groups"] == [] and doc["fleet"][0]["combustor"] == "dry-low-nox"
    assert doc["fleet"][0]["control"] == "scr+oxcat"
    code, out, _ = run("estimate", "--preset", "memphis-2025-permit", "--format", "cobra")
    header, row = out.splitlines()[:2]
    nh3 = float(row.split(",")[header.split(",").index("NH3_REDUCTIONS_TONS")])
    assert code == 0 and nh3 == pytest.approx(5 * NH3_PPM * heat * TONS, abs=5e-4)  # COBRA's file: to 0.001 short ton
    doc = run_json("estimate", "--preset", "memphis")
    assert doc["emissions"]["nh3"]["value"] == 0 and doc["emissions"]["nh3"]["complete"]
    assert len(doc["emissions"]["nh3"]["not_applicable_groups"]) == 2


@settings(max_examples=60, deadline=None)
@given(value=st.floats(min_value=0.0, max_value=10.0, allow_nan=False), control=st.sampled_from(("scr", "oxidation-catalyst", "scr+oxcat", "nscr")),
       unit_type=st.sampled_from(("turbine", "2slb", "4slb", "4srb")), pollutant=st.sampled_from(("nox", "co", "voc", "hcho", "hap")))
def test_a_control_applied_to_any_level_never_raises_it(value, control, unit_type, pollutant):
    from emiss.core.calc import with_control
    from emiss.core.model import Factor

    f = Factor(pollutant, "input", value, f"{value} lb/MMBtu", "test", "user", "preset")
    out = with_control(f, control, unit_type)
    assert out is not None and out.form == "input" and out.value <= value * (1 + 1e-12) + 0.0


def test_compare_grid_says_when_the_presets_subregion_has_no_rates(run, tmp_path):
    # SRMV (Southaven) now has eGRID2023 CO2e rates; NWPP has none shipped, so the US average is shown and said
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "presets" / "southaven-2025.toml").read_text()
    site = tmp_path / "nwpp.toml"
    site.write_text(text.replace('"SRMV"', '"NWPP"', 1) if '"SRMV"' in text else text)
    assert '"NWPP"' in site.read_text()
    code, out, _ = run("compare", "--preset", str(site), "--grid", "--only", "co2e")
    assert code == 0 and "NWPP has no shipped rates" in out


def test_a_combustor_given_above_the_control_is_still_the_level_before_it(run_json):
    # --combustor diffusion (command line) under the preset's scr+oxcat: before = AP-42 0.32 lb/MMBtu x 2,653.8 MMBtu/h x 4.38
    # = 3,719.6 short tons; after = the SCR level, 2 ppm (85.65), not the diffusion level taken as if after SCR
    heat = 15 * 16_470 * 9695 * 1.108 / 1e6
    doc = run_json("pte", "--preset", "memphis-2025-permit", "--combustor", "diffusion")
    assert doc["facility"]["nox"]["uncontrolled"] == pytest.approx(0.32 * heat * TONS, rel=1e-6)
    assert doc["facility"]["nox"]["value"] == pytest.approx(2 * NOX_PPM * heat * TONS, rel=1e-6)
    assert doc["facility"]["co"]["value"] == pytest.approx(3 * CO_PPM * heat * TONS, rel=1e-6)  # 0.082 lb/MMBtu -> 3.0 ppm


def test_an_outlet_level_raises_no_sample_below_it():
    # Monte Carlo samples (or batch rows) of a level before an SCR on both sides of its outlet level: each keeps
    # what it alone would give (the lower of the two), as a single value does; the whole array used to become the
    # outlet level when any sample was above it, raising the samples below it
    import numpy as np

    from emiss.core.calc import with_control
    from emiss.core.model import Factor

    def level(v):
        return Factor("nox", "input", v, "sampled", "test", "user", "preset")

    outlet = with_control(level(10.0), "scr", "turbine").value  # far above any SCR outlet: the outlet itself
    samples = np.array([outlet / 2, outlet * 3, outlet, 0.0])
    got = with_control(level(samples), "scr", "turbine")
    assert got.value.tolist() == [outlet / 2, outlet, outlet, 0.0]
    assert [with_control(level(float(v)), "scr", "turbine").value for v in samples] == got.value.tolist()
    assert with_control(level(samples[[0, 3]]), "scr", "turbine").value.tolist() == [outlet / 2, 0.0]  # all below: kept
