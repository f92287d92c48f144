"""Every unit in the fleet (issue 10): engines by type and control, methane on two bases, honest screening."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.core.calc import estimate, screen
from emiss.errors import InputError
from emiss.core.model import PollutantResult
from emiss.inputs.scenario import scenario_from

# One 1 MW unit, 10,000 Btu/kWh on an HHV basis, 8,760 h: heat input = 1,000 kW x 8,760 h x 10,000 Btu/kWh / 1e6
# = 87,600 MMBtu/yr (HHV), the base of every hand-worked figure below.
HEAT = 87_600.0


def engine(engine_type: str, control: str = "uncontrolled", **overrides):
    """Estimate one 1 MW engine of ``engine_type`` with ``control`` (through the preset path, as a user would)."""
    from emiss.inputs.presets import parse
    from emiss.inputs.scenario import apply_overrides, build

    spec = parse(f'[[fleet]]\nname = "engine"\nkind = "engine"\nengine_type = "{engine_type}"\ncontrol = "{control}"\n'
                 'count = 1\ncapacity = "1 MW"\nheat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\n', label="t.toml")
    return estimate(build(apply_overrides(spec, overrides)))


def lb(r, p):
    return r.emissions[p].lb_per_year


@pytest.mark.parametrize(("engine_type", "nox", "co", "hcho"), [
    ("2slb", 3.17, 0.386, 5.52e-2),  # AP-42 Table 3.2-1, 90-105 % load
    ("4slb", 4.08, 0.317, 5.28e-2),  # Table 3.2-2
    ("4srb", 2.21, 3.72, 2.05e-2),   # Table 3.2-3
])
def test_each_engine_type_uncontrolled_by_hand(engine_type, nox, co, hcho):
    r = engine(engine_type)
    # e.g. 4SLB NOx: 4.08 lb/MMBtu x 87,600 MMBtu = 357,408 lb = 178.7 short tons
    assert lb(r, "nox") == pytest.approx(nox * HEAT, rel=1e-12)
    assert lb(r, "co") == pytest.approx(co * HEAT, rel=1e-12)
    assert lb(r, "hcho") == pytest.approx(hcho * HEAT, rel=1e-12)
    assert all(e.complete for e in r.emissions.values())


def test_engine_type_from_the_catalog_and_the_option(run_json):
    r = scenario_from(None, {"turbine_model": "j620", "turbines": 1})
    assert r.groups[0].kind == "engine" and r.groups[0].engine_type == "4slb"
    doc = run_json("estimate", "--turbine-model", "j624", "--turbines", "1", "--engine-type", "4srb", "--only", "co")
    # J624: 4,499 kW x 8,760 h x 7,482 Btu/kWh LHV x 1.108 / 1e6 = 326,719 MMBtu; CO 3.72 lb/MMBtu (4SRB) -> 607.7 tons
    assert doc["emissions"]["co"]["value"] == pytest.approx(4499 * 8760 * 7482 * 1.108 / 1e6 * 3.72 / 2000, rel=1e-9)


def test_oxidation_catalyst_on_a_lean_burn_engine_by_hand():
    r = engine("4slb", control="oxidation-catalyst")
    # CO: 0.317 x (1 - 0.93) = 0.02219 lb/MMBtu x 87,600 = 1,943.8 lb (40 CFR 63 ZZZZ Table 2a, 93 % CO reduction)
    assert lb(r, "co") == pytest.approx(0.317 * 0.07 * HEAT, rel=1e-9)
    # formaldehyde outlet 14 ppmvd@15%O2 by Method 19: 14 x 30.03 / 385.3e6 lb/scf x 8,710 dscf/MMBtu x 20.9 / 5.9
    # = 14 x 7.79393e-8 x 8,710 x 3.542373 = 0.0336664 lb/MMBtu x 87,600 = 2,949.2 lb
    assert lb(r, "hcho") == pytest.approx(14 * 30.03 / 385.3e6 * 8710 * 20.9 / 5.9 * HEAT, rel=1e-9)
    # NOx untouched by an oxidation catalyst: 4.08 x 87,600
    assert lb(r, "nox") == pytest.approx(4.08 * HEAT, rel=1e-12)


def test_nscr_on_a_rich_burn_engine_by_hand():
    r = engine("4srb", control="nscr")
    # NOx 2.21 x 0.02 = 0.0442 lb/MMBtu x 87,600 = 3,871.9 lb; CO 3.72 x 0.06 = 0.2232 x 87,600 = 19,552.3 lb
    assert lb(r, "nox") == pytest.approx(2.21 * 0.02 * HEAT, rel=1e-9)
    assert lb(r, "co") == pytest.approx(3.72 * 0.06 * HEAT, rel=1e-9)
    # formaldehyde 2.05e-2 x 0.5 = 0.01025 lb/MMBtu; the HAP total moves with it and stays above it
    assert lb(r, "hcho") == pytest.approx(2.05e-2 * 0.5 * HEAT, rel=1e-9)
    assert lb(r, "hap") >= lb(r, "hcho")


def _preset(tmp_path, body: str) -> str:
    p = tmp_path / "site.toml"
    p.write_text(body)
    return str(p)


ENGINE = '[[fleet]]\nname = "gensets"\nkind = "engine"\ncount = 2\ncapacity = "2 MW"\nheat_rate = "40%"\n'


def test_an_unknown_engine_control_combination_names_what_is_allowed(tmp_path, run):
    code, out, err = run("estimate", "--preset", _preset(tmp_path, ENGINE + 'engine_type = "4slb"\ncontrol = "nscr"\n'))
    assert code == 1 and out == "" and "does not apply to 4slb" in err and "oxidation-catalyst" in err
    code, out, err = run("estimate", "--preset", _preset(tmp_path, ENGINE + 'control = "lean-premix"\n'))
    assert code == 1 and "is a turbine combustor; 'gensets' is an engine" in err and "nscr" in err


def test_scr_asks_for_the_nox_level_it_cannot_cite(tmp_path, run):
    path = _preset(tmp_path, ENGINE + 'control = "scr"\n')
    code, out, err = run("estimate", "--preset", path)
    assert code == 1 and "give the NOX level after the control" in err
    code, out, err = run("estimate", "--preset", path, "--factor", "nox=5 ppmvd@15%O2", "--only", "nox", "--format", "value")
    assert code == 0 and float(out) > 0


def test_control_on_a_mixed_fleet_applies_where_it_fits(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--control", "oxidation-catalyst", "--only", "co")
    # turbines: lean-premix CO 0.015 lb/MMBtu = 0.015 / (28.01/385.3e6 x 8,710 x 20.9/5.9 = 0.0022430 per ppm) = 6.687 ppm,
    # lowered by the catalyst to 3.0 ppm: 45.168 x 3.0 / 6.687 = 20.26 short tons; gensets (4SLB): 459.3 x 0.07 = 32.15
    per_ppm = 28.01 / 385.3e6 * 8710 * 20.9 / 5.9
    assert doc["emissions"]["co"]["value"] == pytest.approx(45.168 * 3.0 * per_ppm / 0.015 + 459.312 * 0.07, rel=1e-3)
    doc = run_json("estimate", "--preset", "memphis", "--control", "nscr", "--engine-type", "4srb", "--only", "nox")
    assert any("applies to 'VoltaGrid mobile gensets'" in w and "not to 'Solar SMT-130 turbines'" in w for w in doc["warnings"])


def test_per_group_results_sum_to_the_fleet(run_json):
    doc = run_json("estimate", "--preset", "memphis")
    for p, e in doc["emissions"].items():
        parts = [g["emissions"][p]["value"] for g in doc["groups"] if p in g["emissions"]]
        assert sum(parts) == pytest.approx(e["value"], rel=1e-12), p
    gensets = next(g for g in doc["groups"] if g["kind"] == "engine")
    assert gensets["count"] == 14 and gensets["emissions"]["co"]["per_hour_each"]["unit"] == "pound / hour"


@settings(max_examples=100, deadline=None)
@given(st.floats(1e-5, 1.0), st.sampled_from(["turbine", "2slb", "4slb", "4srb"]))
def test_the_hap_total_is_never_below_formaldehyde(hcho, kind):
    if kind == "turbine":
        r = estimate(scenario_from(None, {"turbines": 1, "capacity": "1 MW", "factor.hcho": f"{hcho!r} lb/MMBtu"}))
    else:
        r = engine(kind, **{"factor.hcho": f"{hcho!r} lb/MMBtu"})  # a user-given formaldehyde
    assert lb(r, "hap") >= lb(r, "hcho") * (1 - 1e-12)
    for g in r.groups:
        assert g.lb_per_year["hap"] >= g.lb_per_year["hcho"] * (1 - 1e-12)


def test_a_hap_total_below_its_formaldehyde_is_refused():
    with pytest.raises(InputError, match="cannot be below one of its parts"):
        estimate(scenario_from(None, {"turbines": 1, "capacity": "1 MW", "factor.hcho": "0.01 lb/MMBtu",
                                      "factor.hap": "0.001 lb/MMBtu"}))


def _pr(tons: float, complete: bool) -> PollutantResult:
    return PollutantResult("nox", "NOx", tons * 2000, complete, () if complete else ("gensets",), ())


@pytest.mark.parametrize(("tons", "complete", "crossed"), [
    (50, True, False),    # complete and below 100: below
    (150, True, True),    # complete and above: above
    (50, False, None),    # partial and below: cannot be told (never 'below')
    (150, False, True),   # partial and already above: above, at least
])
def test_screening_states(tons, complete, crossed):
    emissions = {p: _pr(0, True) for p in ("co", "voc", "pm", "so2", "hcho", "hap", "co2e")}
    emissions["nox"] = _pr(tons, complete)
    title_v = next(s for s in screen(emissions) if s.threshold_id == "title_v" and s.pollutant == "nox")
    assert title_v.crossed is crossed and title_v.complete is complete


def test_methane_on_both_bases(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--only", "ch4,co2e")
    ch4 = doc["emissions"]["ch4"]
    # physical: turbines 0.0086 lb/MMBtu x 6,022,428 MMBtu + gensets 1.25 x 2,897,870 = 51,793 + 3,622,338 = 3,674,131 lb
    assert ch4["physical"]["value"] == pytest.approx(3_674_131 / 2000, rel=1e-5)
    # reporting: 1.0e-3 kg/MMBtu x 8,920,299 MMBtu = 8,920.3 kg = 19,665.9 lb = 9.833 short tons
    assert ch4["reporting"]["value"] == pytest.approx(9.833, rel=1e-3) and ch4["value"] == ch4["reporting"]["value"]
    phys = run_json("estimate", "--preset", "memphis", "--only", "ch4,co2e", "--methane-basis", "physical")
    assert phys["emissions"]["ch4"]["value"] == pytest.approx(ch4["physical"]["value"], rel=1e-12)
    assert phys["emissions"]["co2e"]["value"] == pytest.approx(doc["emissions"]["co2e"]["physical"]["value"], rel=1e-12)


def test_gwp_20_weighs_methane_at_82_5(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--gwp", "AR6-20")
    e = doc["emissions"]
    assert e["co2e"]["value"] == pytest.approx(e["co2"]["value"] + 82.5 * e["ch4"]["value"] + 273 * e["n2o"]["value"], rel=1e-12)


@pytest.mark.parametrize(("text", "lb_per_mmbtu_or_mwh"), [
    # 500 mg/Nm3 at 5 % O2 -> 500 x 22.414 / 46.01 = 243.58 ppm at 5 % O2 -> Method 19 at 5 %:
    # 243.58 x 46.01/385.3e6 x 8,710 x 20.9/15.9 = 0.33301 lb/MMBtu (= 90.4 ppm at 15 % O2)
    ("500 mg/Nm3@5%O2", 500 * 22.414 / 46.01 * 46.01 / 385.3e6 * 8710 * 20.9 / 15.9),
    # 1 g/bhp-hr = 1/453.59237 lb per 0.74569987 kWh = 2.9564 lb/MWh (per shaft output)
    ("1 g/bhp-hr", 1 / 453.59237 / 0.74569987 * 1000),
    ("1 g/hp-hr", 1 / 453.59237 / 0.74569987 * 1000),
    ("40 ppmvd@5%O2", 40 * 46.01 / 385.3e6 * 8710 * 20.9 / 15.9),
])
def test_engine_factor_units(text, lb_per_mmbtu_or_mwh):
    from emiss.core.factors import parse_factor

    f = parse_factor("nox", text, where="t", source="", status="user", layer="cli")
    assert f.value == pytest.approx(lb_per_mmbtu_or_mwh, rel=1e-6)


def test_memphis_still_reproduces_the_reporting_and_every_total_is_complete(run_json):
    doc = run_json("estimate", "--preset", "memphis")
    assert doc["emissions"]["nox"]["value"] == pytest.approx(130, rel=0.02)
    assert doc["households"]["value"] == pytest.approx(50_000, rel=0.02)
    assert all(e["complete"] for e in doc["emissions"].values())
    hcho = next(s for s in doc["screening"] if s["pollutant"] == "hcho")
    assert hcho["crossed"] is True and hcho["complete"] is True and hcho["state"] == "above"


@pytest.mark.parametrize("gwp, horizon", [("AR5", "100-year"), ("AR6-20", "20-year")])
def test_methods_text_names_the_gwp_horizon_and_the_engine_section(run, gwp, horizon):
    # AR6 WG1 Table 7.15 gives 20-year GWPs beside the 100-year ones; the text must say which was used.
    # Memphis has engine gensets, whose factors come from AP-42 s.3.2 (July 2000), not s.3.1.
    code, out, err = run("estimate", "--preset", "memphis", "--gwp", gwp, "--format", "methods")
    assert code == 0, err
    flat = " ".join(out.split())
    assert f"{gwp} {horizon} GWPs" in flat
    assert "section 3.2 (July 2000) for reciprocating engines" in flat


def test_formaldehyde_is_written_once_in_effect():
    # factors.toml gives formaldehyde twice for each kind of unit: as the hcho factor and as a part of the HAP
    # total (AP-42 Table 3.1-3 for turbines; Tables 3.2-1/2/3 for engines). The two must be the same number.
    from emiss.data import ENGINE_TYPES, load, library_factor

    raw = load("factors.toml")
    [turbine_part] = [c for c in raw["hap_component"] if c["name"] == "formaldehyde"]
    assert library_factor("hcho", "turbine", "uncontrolled").value == turbine_part["value"] == 7.1e-4  # Table 3.1-3
    for et in ENGINE_TYPES:
        [part] = [c for c in raw["engine_hap_component"] if c["engine_type"] == et and c["name"] == "formaldehyde"]
        assert library_factor("hcho", "engine", "uncontrolled", engine_type=et).value == part["value"], et
