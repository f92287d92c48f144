"""--basis ap42|measured and --co2-basis part98|part75: the factor each picks, worked by hand."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from emiss.cli import cli
from emiss.core.calc import estimate
from emiss.data.measured import all_units, lookup
from emiss.inputs.scenario import scenario_from

SITE = {"turbines": 2, "capacity": "40 MW", "heat_rate": "9500 Btu/kWh", "control": "lean-premix"}
# heat input: 2 x 40,000 kW x 9,500 Btu/kWh (LHV) x 1.108 (HHV/LHV) x 8,760 h / 1e6 = 7,376,620.8 MMBtu/yr (HHV);
# per unit 40,000 x 9,500 x 1.108 / 1e6 = 421.04 MMBtu/h: size band 250-1000
HEAT = 2 * 40_000 * 9_500 * 1.108 * 8_760 / 1e6


def test_measured_basis_uses_the_class_p50_and_keeps_ap42_beside_it():
    p50 = lookup("dry-low-nox", "nox", "250-1000").p50
    r = estimate(scenario_from(None, {**SITE, "basis": "measured"}))
    assert r.emissions["nox"].lb_per_year == pytest.approx(p50 * HEAT, rel=1e-9)
    assert r.nox_bases["measured"]["nox"] == pytest.approx(p50 * HEAT, rel=1e-9)
    assert r.nox_bases["ap42"]["nox"] == pytest.approx(0.099 * HEAT, rel=1e-9)  # AP-42 lean-premix
    a = estimate(scenario_from(None, SITE))
    assert a.emissions["nox"].lb_per_year == pytest.approx(0.099 * HEAT, rel=1e-9)
    assert a.nox_bases == r.nox_bases


def test_json_shows_both_bases_and_the_chosen_one():
    res = CliRunner().invoke(cli, ["estimate", "--turbines", "2", "--capacity", "40MW", "--heat-rate", "9500 Btu/kWh",
                                   "--control", "lean-premix", "--basis", "measured", "--format", "json"])
    assert res.exit_code == 0, res.stderr
    nox = json.loads(res.stdout)["emissions"]["nox"]
    assert nox["basis"] == "measured" and nox["value"] == pytest.approx(nox["measured"]["value"])
    assert nox["ap42"]["value"] == pytest.approx(0.099 * HEAT / 2000, rel=1e-9)
    assert nox["factors"][0]["status"] == "measured"


def test_part75_co2():
    co2 = all_units("co2").p50  # 118.9 lb/MMBtu in eGRID2021
    r = estimate(scenario_from(None, {**SITE, "co2_basis": "part75"}))
    assert r.emissions["co2"].lb_per_year == pytest.approx(co2 * HEAT, rel=1e-9)
    # Part 98: 53.06 kg/MMBtu / 0.45359237 kg/lb = 116.977 lb/MMBtu, 1.6 % below 118.9
    p98 = estimate(scenario_from(None, SITE)).emissions["co2"].lb_per_year
    assert p98 == pytest.approx(53.06 / 0.45359237 * HEAT, rel=1e-9)


def test_a_given_factor_wins_on_both_bases_and_says_so():
    sc = scenario_from("memphis", {"basis": "measured"})
    assert any("wins on every basis" in w for w in sc.warnings)
    r = estimate(sc)
    assert r.nox_bases["ap42"]["nox"] == r.nox_bases["measured"]["nox"] == r.emissions["nox"].lb_per_year


def test_measured_range_feeds_the_samples():
    sc = scenario_from(None, {**SITE, "basis": "measured"})
    row = lookup("dry-low-nox", "nox", "250-1000")
    u = [x for x in sc.uncertain if "measured P10..P50..P90" in x.name]
    assert len(u) == 1 and u[0].dist.bounds() == (row.p10, row.p90) and u[0].central == row.p50


def test_preset_key_and_bad_choice(tmp_path):
    p = tmp_path / "site.toml"
    p.write_text('[[fleet]]\nname = "t"\ncount = 1\ncapacity = "40 MW"\nheat_rate = "9500 Btu/kWh"\ncontrol = "water-steam"\n'
                 '[constants]\nbasis = "measured"\n', encoding="utf-8")
    r = estimate(scenario_from(str(p)))
    # one unit: 40,000 x 9,500 x 1.108 / 1e6 = 421.04 MMBtu/h, band 250-1000; water-steam class P50
    assert r.emissions["nox"].lb_per_year == pytest.approx(lookup("water-steam", "nox", "250-1000").p50 * HEAT / 2, rel=1e-9)
    res = CliRunner().invoke(cli, ["estimate", "--preset", str(p), "--basis", "cems"])
    assert res.exit_code == 2 and res.stdout == "" and "ap42" in res.stderr


def test_batch_records_each_get_their_own_size_band(tmp_path):
    # one template, three sizes: per unit 5, 100, 40 MW x 10,000 Btu/kWh x 1.108 = 55.4, 1,108, 443.2 MMBtu/h
    # -> bands 0-250, 1000+, 250-1000; each record's NOx = its band's P50 x its heat input
    path = tmp_path / "b.csv"
    path.write_text("turbines,capacity,heat_rate,control,basis\n" + "".join(
        f"1,{mw} MW,10000 Btu/kWh,lean-premix,measured\n" for mw in (5, 100, 40)), encoding="utf-8")
    res = CliRunner().invoke(cli, ["batch", "--input", str(path), "--format", "ndjson", "--only", "nox"])
    assert res.exit_code == 0, res.stderr
    got = [json.loads(line)["emissions"]["nox"]["value"] for line in res.stdout.splitlines()]
    want = [lookup("dry-low-nox", "nox", band).p50 * mw * 1000 * 10_000 * 1.108 * 8760 / 1e6 / 2000
            for mw, band in ((5, "0-250"), (100, "1000+"), (40, "250-1000"))]
    assert got == pytest.approx(want, rel=1e-9)


def test_an_add_on_scr_picks_the_scr_class_and_is_not_applied_twice():
    # dry-low-NOx + SCR, 421 MMBtu/h each: the measured class dry-low-nox+scr (band 250-1000) is the level after SCR
    site = {**SITE, "control": "scr", "combustor": "dry-low-nox"}
    m = estimate(scenario_from(None, {**site, "basis": "measured"}))
    p50 = lookup("dry-low-nox+scr", "nox", "250-1000").p50
    assert m.emissions["nox"].lb_per_year == pytest.approx(p50 * HEAT, rel=1e-9)
    a = estimate(scenario_from(None, site))  # AP-42 basis: the combustor's level with the SCR's outlet level
    assert m.nox_bases["ap42"]["nox"] == pytest.approx(a.emissions["nox"].lb_per_year, rel=1e-12)
    assert a.nox_bases["measured"]["nox"] == pytest.approx(p50 * HEAT, rel=1e-9)
    # before add-on controls (pte's 'uncontrolled'), the measured basis is the class without SCR
    from emiss.core.calc import before_controls

    u = estimate(before_controls(scenario_from(None, {**site, "basis": "measured"})))
    assert u.emissions["nox"].lb_per_year == pytest.approx(lookup("dry-low-nox", "nox", "250-1000").p50 * HEAT, rel=1e-9)
