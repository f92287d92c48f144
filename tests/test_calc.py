"""The calculation against hand-worked figures."""

from __future__ import annotations

import pytest

from emiss.core.calc import estimate
from emiss.inputs.scenario import scenario_from


def one_turbine(**extra):
    base = {"turbines": "1", "capacity": "10 MW", "heat_rate": "10000 Btu/kWh", "heat_rate_basis": "hhv"}
    base.update(extra)
    return estimate(scenario_from(None, base))


def test_energy_heat_and_fuel_by_hand():
    # 10 MW x 8,760 h = 87,600 MWh; x 10,000 Btu/kWh (HHV) = 876,000 MMBtu; / 1,026 Btu/scf = 853.8 MMscf
    r = one_turbine()
    assert r.generation_mwh == pytest.approx(87_600)
    assert r.heat_input_mmbtu == pytest.approx(876_000)
    assert r.fuel_scf == pytest.approx(876_000 / 1.026e-3)


def test_lhv_heat_rate_is_raised_to_hhv():
    # 9,695 Btu/kWh LHV x 1.108 = 10,742.06 Btu/kWh HHV; 16 MW -> 171.873 MMBtu/h
    r = estimate(scenario_from(None, {"turbines": "1", "capacity": "16 MW", "heat_rate": "9695 Btu/kWh"}))
    assert r.heat_input_mmbtu / r.hours == pytest.approx(171.873, rel=1e-5)


def test_efficiency_is_accepted_as_heat_rate():
    # 40 % efficient -> 3,412.14 / 0.40 = 8,530.4 Btu/kWh
    r = one_turbine(heat_rate="40%")
    assert r.heat_input_mmbtu == pytest.approx(87_600 * 8_530.35 / 1000, rel=1e-4)


def test_input_factor():
    # 0.1 lb/MMBtu x 876,000 MMBtu = 87,600 lb = 43.8 short tons
    r = one_turbine(**{"factor.nox": "0.1 lb/MMBtu"})
    assert r.emissions["nox"].lb_per_year == pytest.approx(87_600)


def test_output_factor():
    # 0.5 lb/MWh x 87,600 MWh = 43,800 lb
    r = one_turbine(**{"factor.nox": "0.5 lb/MWh"})
    assert r.emissions["nox"].lb_per_year == pytest.approx(43_800)


def test_time_factor_is_per_unit():
    # 3 units x 2 lb/h x 1,000 h = 6,000 lb
    r = one_turbine(turbines="3", hours="1000 h", **{"factor.co": "2 lb/h"})
    assert r.emissions["co"].lb_per_year == pytest.approx(6_000)


def test_concentration_factor_through_method19():
    # 9 ppm NOx @15 % O2 = 9 x 0.0036844 = 0.033160 lb/MMBtu; x 876,000 MMBtu = 29,048 lb
    r = one_turbine(**{"factor.nox": "9 ppmvd@15%O2"})
    assert r.emissions["nox"].lb_per_year == pytest.approx(29_048, rel=5e-4)


def test_library_factor_by_control_level():
    # AP-42 Table 3.1-1: uncontrolled NOx 0.32 lb/MMBtu, lean-premix 0.099
    assert one_turbine(control="uncontrolled").emissions["nox"].lb_per_year == pytest.approx(0.32 * 876_000)
    assert one_turbine(control="lean-premix").emissions["nox"].lb_per_year == pytest.approx(0.099 * 876_000)


def test_greenhouse_gases_part98_and_co2e_ar5():
    # CO2 53.06 kg/MMBtu, CH4 1.0e-3, N2O 1.0e-4 (Part 98 C-1, C-2); per MMBtu CO2e = 53.06 + 28 x 0.001 + 265 x 0.0001
    # = 53.1145 kg; x 876,000 MMBtu = 46,528,302 kg
    r = one_turbine()
    kg = r.emissions["co2e"].lb_per_year * 0.45359237
    assert kg == pytest.approx(876_000 * 53.1145, rel=1e-6)


def test_gwp_set_changes_co2e():
    # AR4: 53.06 + 25 x 0.001 + 298 x 0.0001 = 53.1148 kg/MMBtu
    r = one_turbine(gwp="AR4")
    assert r.emissions["co2e"].lb_per_year * 0.45359237 == pytest.approx(876_000 * 53.1148, rel=1e-6)


def test_capacity_factor_as_full_load_hours():
    # 50 % -> 4,380 h -> 43,800 MWh
    assert one_turbine(capacity_factor="50%").generation_mwh == pytest.approx(43_800)
    assert one_turbine(capacity_factor="0.5").generation_mwh == pytest.approx(43_800)


def test_households_both_ways():
    # energy: 87,600 MWh x 1,000 / 10,000 kWh = 8,760 homes; capacity: 10,000 kW / 2 kW = 5,000 homes
    r = one_turbine(household_use="10000 kWh/yr", household_demand="2 kW", households_method="capacity")
    assert r.households_energy == pytest.approx(8_760)
    assert r.households_capacity == pytest.approx(5_000)
    assert r.households == pytest.approx(5_000)


def test_engines_get_no_turbine_factors():
    from emiss.core.model import Spec, GroupSpec
    from emiss.core.model import Given
    from emiss.inputs.scenario import build

    g = GroupSpec("gensets", {
        "kind": Given("engine", "t", "preset"), "count": Given(2, "t", "preset"),
        "capacity": Given("2.5 MW", "t", "preset"), "heat_rate": Given("9000 Btu/kWh", "t", "preset"),
    })
    r = estimate(build(Spec(fleet=[g])))
    # Issue 10: engines now get AP-42 s.3.2 factors (default type 4-stroke lean-burn), never s.3.1 turbine ones.
    # heat input: 2 x 2,500 kW x 8,760 h x 9,000 Btu/kWh LHV x 1.108 / 1e6 = 436,773.6 MMBtu (HHV)
    # CO: 0.317 lb/MMBtu (Table 3.2-2, 90-105 % load) x 436,773.6 = 138,457.2 lb; the turbine 0.082 would give 35,815
    assert r.emissions["co"].complete and r.emissions["co"].lb_per_year == pytest.approx(0.317 * 436_773.6, rel=1e-9)
    assert r.emissions["co2"].complete and r.emissions["co2"].lb_per_year > 0


def test_screening_thresholds():
    # uncontrolled NOx: 0.32 x 876,000 / 2,000 = 140.16 short tons: above Title V 100, below PSD 250
    r = one_turbine(control="uncontrolled")
    hits = {(s.threshold_id, s.pollutant): s.crossed for s in r.screening}
    assert hits[("title_v", "nox")] is True
    assert hits[("psd_other", "nox")] is False
    assert hits[("hap_single", "hcho")] is False


def test_default_heat_rate_is_used_and_marked_when_none_is_given():
    # 9,695 Btu/kWh LHV (Titan 130 default) x 1.108 = 10,742.06 HHV; 1 x 10 MW x 8,760 h -> 941,004.5 MMBtu
    r = estimate(scenario_from(None, {"turbines": "1", "capacity": "10 MW"}))
    assert r.heat_input_mmbtu == pytest.approx(87_600 * 10.74206, rel=1e-6)
    hr = [a for a in r.scenario.assumptions if "heat rate" in a.name][0]
    assert hr.layer == "built-in" and "Titan 130" in hr.source


def test_fuel_volume_factor():
    # 100 lb/MMscf x (876,000 MMBtu / 1,026 Btu/scf = 853.801 MMscf) = 85,380.1 lb
    r = one_turbine(**{"factor.nox": "100 lb/MMscf"})
    assert r.emissions["nox"].lb_per_year == pytest.approx(100 * 876_000 / 1026, rel=1e-12)


def test_a_hap_total_equal_to_its_formaldehyde_is_accepted(tmp_path):
    # Formaldehyde the only HAP: 0.001 lb/MMBtu of each x 876,000 MMBtu = 876 lb, a total equal to its one part, not
    # below it. With 10 startups of 1 lb of each that replace 100 h (10,000 MMBtu) of normal hours:
    # 0.001 x 866,000 + 10 x 1 = 876 lb of each, still equal.
    factors = {"factor.hap": "0.001 lb/MMBtu", "factor.hcho": "0.001 lb/MMBtu"}
    for r in (one_turbine(**factors), estimate(scenario_from(_events_preset(tmp_path, '{ hap = "1 lb", hcho = "1 lb" }'), factors))):
        assert r.emissions["hap"].lb_per_year == r.emissions["hcho"].lb_per_year == pytest.approx(876, rel=1e-12)


# ---- startups and shutdowns: 1 turbine of 10 MW at 10,000 Btu/kWh HHV = 100 MMBtu/h, 8,760 h = 876,000 MMBtu; 10
# events a year taking 100 h in all, which replace 100 h (10,000 MMBtu) of normal operation for the pollutants given per
# event: those run 8,660 h (866,000 MMBtu) at their normal rate, plus 10 x their pounds per event.

def _events_preset(folder, per_event: str) -> str:
    text = ('[preset]\nname = "events"\n\n[[fleet]]\nname = "turbine"\nkind = "turbine"\ncount = 1\ncapacity = "10 MW"\n'
            'heat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\nstartup_shutdown = { events = 10, hours = "100 h", '
            f'events_per = "unit", per_event = {per_event}, source = "t" }}\n')
    path = folder / "events.toml"
    path.write_text(text)
    return str(path)


EVENTS = '{ nox = "5 lb", hap = "2 lb", hcho = "1 lb", ch4 = "3 lb", co2 = "1000 lb" }'
LB_PER_KG = 1 / 0.45359237


def test_events_on_both_nox_bases_the_hap_total_and_the_other_methane_basis(tmp_path):
    r = estimate(scenario_from(_events_preset(tmp_path, EVENTS)))
    # NOx, AP-42's uncontrolled (diffusion) 0.32 lb/MMBtu: 0.32 x 866,000 + 10 x 5 = 277,120 + 50 = 277,170 lb, the
    # same on the basis in use in nox_bases (its events counted once, added not taken away)
    assert r.emissions["nox"].lb_per_year == pytest.approx(277_170, rel=1e-12)
    assert r.nox_bases[r.scenario.nox_basis]["nox"] == pytest.approx(277_170, rel=1e-12)
    # HAP, the library's total (AP-42 Table 3.1-3, 0.00099703 lb/MMBtu, formaldehyde 0.00071 among it), both given per
    # event: 0.00099703 x 866,000 + 10 x 2 = 863.428 + 20 = 883.428 lb; formaldehyde 0.00071 x 866,000 + 10 = 624.86
    assert r.emissions["hap"].lb_per_year == pytest.approx(0.00099703 * 866_000 + 20, rel=1e-12)
    assert r.emissions["hcho"].lb_per_year == pytest.approx(624.86, rel=1e-12)
    # methane on the other basis (AP-42 Table 3.1-2a, 8.6e-3 lb/MMBtu; 40 CFR 98's is the default):
    # 0.0086 x 866,000 + 10 x 3 = 7,447.6 + 30 = 7,477.6 lb
    assert r.scenario.methane_basis == "reporting"
    assert r.methane["physical"]["ch4"] == pytest.approx(7_477.6, rel=1e-12)


def test_the_co2e_rate_at_full_load_where_events_replace_hours(tmp_path):
    # lb/h at full load, 100 MMBtu/h: (53.06 + 28 x 0.001 + 265 x 0.0001) kg/MMBtu (40 CFR 98 C-1, C-2; AR5) = 53.1145
    # kg/MMBtu x 2.20462 lb/kg x 100 = 11,709.74 lb/h, for the group and the fleet
    r = estimate(scenario_from(_events_preset(tmp_path, EVENTS)))
    rate = 53.1145 * LB_PER_KG * 100
    assert r.groups[0].lb_per_hour["co2e"] == pytest.approx(rate, rel=1e-12)
    assert r.emissions["co2e"].lb_per_hour == pytest.approx(rate, rel=1e-12)


def test_an_hourly_limit_scales_the_normal_hours_and_holds_the_events(tmp_path):
    # NOx 32 lb/h at full load (0.32 x 100 MMBtu/h) under a 20 lb/h limit: the 277,120 lb of normal hours scale by
    # 20 / 32, the 50 lb of events stay: 50 + 277,120 x 0.625 = 50 + 173,200 = 173,250 lb/yr
    from emiss.core.calc import enforceable_caps
    from emiss.inputs.permit_limits import parse_limit

    r = estimate(scenario_from(_events_preset(tmp_path, EVENTS)))
    caps = enforceable_caps(r.emissions, (parse_limit("nox", "20 lb/h", where="--limit"),), r.heat_input_mmbtu)
    assert caps["nox"][0] == pytest.approx(173_250, rel=1e-12)


# ---- before add-on controls: what 'uncontrolled' is (Method 19, CO as 28.01: 1 ppmvd@15%O2 = 28.01 / 385.3e6 x 8,710
# x 20.9 / 5.9 = 0.0022430 lb/MMBtu)

CO_PER_PPM = 28.01 / 385.3e6 * 8710 * 20.9 / 5.9
SITE = ('[preset]\nname = "site"\n\n[[fleet]]\nname = "turbines"\nkind = "turbine"\ncount = 1\ncapacity = "10 MW"\n'
        'heat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\n[fleet.factors]\nco = "20 ppmvd@15%O2"\n\n'
        '[factors]\nco = "30 ppmvd@15%O2"\n')


def test_before_controls_takes_the_groups_own_factor_on_a_tie_and_drops_one_given_with_the_control(tmp_path):
    from emiss.core.calc import before_controls

    path = tmp_path / "site.toml"
    path.write_text(SITE)
    # The preset gives CO for the group (20 ppm) and for the fleet (30 ppm) at the same layer: the group's wins, as it
    # does with no control. An oxidation catalyst from the command line takes it to its 3.0 ppm outlet; before it:
    # 20 x 0.0022430 x 876,000 MMBtu = 39,297 lb
    sc = scenario_from(str(path), {"control": "oxidation-catalyst"})
    assert estimate(sc).emissions["co"].lb_per_year == pytest.approx(3 * CO_PER_PPM * 876_000, rel=1e-9)
    assert estimate(before_controls(sc)).emissions["co"].lb_per_year == pytest.approx(20 * CO_PER_PPM * 876_000, rel=1e-9)
    # A CO factor given on the command line with the control (its layer) is the level after the control, 2 ppm; it is
    # not the level before it, which stays the preset's 20 ppm
    sc = scenario_from(str(path), {"control": "oxidation-catalyst", "factor.co": "2 ppmvd@15%O2"})
    assert estimate(sc).emissions["co"].lb_per_year == pytest.approx(2 * CO_PER_PPM * 876_000, rel=1e-9)
    assert estimate(before_controls(sc)).emissions["co"].lb_per_year == pytest.approx(20 * CO_PER_PPM * 876_000, rel=1e-9)


def test_a_level_below_a_controls_outlet_is_kept_with_its_own_note_and_source():
    from emiss.core.calc import with_control
    from emiss.core.factors import parse_factor

    # The oxidation catalyst's turbine CO outlet is 3.0 ppm (engine_controls.toml): a maker's 2 ppm is below it and kept,
    # its note extended; at exactly 3 ppm the given factor (and its source) is kept too, the value being the same.
    name = "oxidation catalyst (CO catalyst)"
    for text, note, kept_note in (("2 ppmvd@15%O2", "maker's guarantee", f"maker's guarantee; kept: below {name}'s 3.0 ppmvd@15%O2"),
                                  ("2 ppmvd@15%O2", "", f"kept: below {name}'s 3.0 ppmvd@15%O2"),
                                  ("3 ppmvd@15%O2", "", f"kept: below {name}'s 3.0 ppmvd@15%O2")):
        f = parse_factor("co", text, where="t", source="maker", status="user", layer="cli", note=note)
        g = with_control(f, "oxidation-catalyst", "turbine")
        assert (g.value, g.text, g.source, g.note) == (f.value, text, "maker", kept_note)
    # above the outlet, the outlet: 3 x 0.0022430 lb/MMBtu
    g = with_control(parse_factor("co", "25 ppmvd@15%O2", where="t", source="maker", status="user", layer="cli"),
                     "oxidation-catalyst", "turbine")
    assert g.value == pytest.approx(3 * CO_PER_PPM, rel=1e-9) and g.source != "maker"
