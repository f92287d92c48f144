"""Claims with kinds, scope and calibration (issue 22): verdicts by hand, what it would take, the fact-check sheet."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emiss.analysis.check import check_preset, possible_range

# One 10 MW turbine, 10,000 Btu/kWh HHV, all year: heat input 10,000 kW x 8,760 h x 10,000 Btu/kWh = 876,000 MMBtu;
# NOx at 0.02 lb/MMBtu = 17,520 lb = 8.76 short tons; generation 87,600 MWh.
SITE = ('[preset]\nname = "site"\ndate = "2025-01"\n[[fleet]]\nname = "t"\ncount = 1\ncapacity = "10 MW"\n'
        'heat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\n'
        '[operation]\nhours = { value = "8760 h", low = "4000 h", high = "8760 h", source = "test" }\n'
        '[households]\ndemand = { value = "2 kW", source = "test" }\n'
        '[factors]\nnox = { value = "0.02 lb/MMBtu", low = "0.01 lb/MMBtu", high = "0.1 lb/MMBtu", source = "test", status = "STATUS" }\n')


def claim(output: str, value: str, **kw: str) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in kw.items())
    return f'[[claims]]\noutput = "{output}"\nvalue = {value}\nwho = "w"\nwhen = "2025"\nsource = "s"\n{extra}'


def site(tmp_path, *claims: str, status: str = "assumed") -> str:
    p = tmp_path / "site.toml"
    p.write_text(SITE.replace("STATUS", status) + "".join(claims))
    return str(p)


def test_each_kind_against_the_site_by_hand(tmp_path):
    path = site(tmp_path,
                claim("nox", '"8.76 short_ton/year"', tolerance='"0%"'),          # the printed figure: consistent
                claim("nox", '"5 short_ton/year"', kind='"at-least"'),            # 8.76 >= 5: holds, +75.2 %
                claim("nox", '"8 short_ton/year"', kind='"at-most"'),             # 8.76 rounds to 9 > 8: fails
                claim("nox", '"9..12 short_ton/year"'),                           # 8.76 rounds to 9: inside
                claim("nox", '"10..12 short_ton/year"'),                          # 9 < 10: below, (8.76 - 10) / 10 = -12.4 %
                claim("nox", '"8 short_ton/year"', kind='"cap"'),                 # exceeded; the cap allows 8/8.76 x 0.02
                claim("nox", '"8.8 short_ton/year"', tolerance='"0.05 short_ton/year"'))  # 8.76 in 8.75..8.85: consistent
    got = [(c.verdict, round(c.difference_pct, 1)) for c in check_preset(path).claims]
    assert got == [("consistent", 0.0), ("holds", 75.2), ("fails", 9.5), ("inside", 0.0), ("below", -12.4),
                   ("exceeded", 9.5), ("consistent", -0.5)]
    cap = check_preset(path).claims[5]
    assert cap.implied.value == pytest.approx(8 / 8.76 * 0.02, rel=1e-9)  # 0.018265 lb/MMBtu meets 8 tons exactly


def test_not_comparable_and_calibrated(tmp_path, run):
    path = site(tmp_path, claim("nox", '"50 short_ton/year"', scope='{ preset = "elsewhere", about = "another plant" }'),
                claim("nox", '"8.76 short_ton/year"'), claim("capacity", '"10 MW"'), status="calibrated")
    code, out, err = run("check", "--preset", path, "--format", "json", "--fail-inconsistent")
    assert code == 0, err  # neither 'not-comparable' nor 'calibrated' is a failure
    c = json.loads(out)["presets"][0]["claims"]
    assert [x["verdict"] for x in c] == ["not-comparable", "calibrated", "consistent"]
    assert c[0]["why"] == "not comparable here: it is about another plant"
    assert c[1]["calibrated_by"] == ["factor nox"] and "not an independent check" in c[1]["why"]
    code, out, _ = run("check", "--preset", path)
    assert "not comparable here:" in out and "Calibrated to reproduce published figures" in out


def test_households_on_the_claims_basis(tmp_path):
    # capacity: 10,000 kW / 2 kW = 5,000 homes; energy: 87,600 MWh / 10.791 MWh = 8,117.9 homes;
    # co2: 876,000 MMBtu x 116.98 lb/MMBtu (Part 98) = 102,474,480 lb = 46,481.6 t / 7.94 t a home = 5,854.1 homes
    path = site(tmp_path, claim("households", "5000", basis='"capacity"'), claim("households", "5000", basis='"energy"'),
                claim("households", "5854", basis='"co2"', tolerance='"0%"'))
    got = check_preset(path).claims
    assert [c.verdict for c in got] == ["consistent", "higher", "consistent"]
    assert got[1].estimate == pytest.approx(87_600 / 10.791, rel=1e-6)
    assert got[2].estimate == pytest.approx(876_000 * 116.98 / 2204.62262185 / 7.94, rel=1e-4)


def test_what_it_would_take_prefers_the_named_input_and_never_leaves_its_range(tmp_path):
    # 20 tons needs 8,760 x 20 / 8.76 = 20,000 h (more than a year): never proposed, though the claim names hours;
    # the factor does it: 0.02 x 20 / 8.76 = 0.04566 lb/MMBtu, inside the preset's 0.01..0.1.
    # 6 tons, naming hours: 8,760 x 6 / 8.76 = 6,000 h, inside 4,000..8,760.
    path = site(tmp_path, claim("nox", '"20 short_ton/year"', implies='"hours"'), claim("nox", '"6 short_ton/year"', implies='"hours"'))
    a, b = check_preset(path).claims
    assert a.implied.input.startswith("factor nox") and a.implied.value == pytest.approx(0.02 * 20 / 8.76, rel=1e-6)
    assert b.implied.input.startswith("operating hours") and b.implied.value == pytest.approx(6000, rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(tons=st.floats(0.05, 5000), kind=st.sampled_from(["point", "at-least", "at-most"]))
def test_no_answer_leaves_its_inputs_possible_range(tmp_path_factory, tons, kind):
    path = site(tmp_path_factory.mktemp("w"), claim("nox", f'"{tons:.3f} short_ton/year"', kind=f'"{kind}"'))
    pc = check_preset(path)
    c = pc.claims[0]
    i = c.implied
    if i is None or not i.input:
        return
    sc = pc.result.scenario
    u = next((u for u in sc.uncertain if u.name == i.input), None)
    path_ = u.path if u else ("hours",)
    lo, hi = possible_range(sc, path_)
    assert lo <= i.value <= hi and i.feasible
    if path_ == ("hours",):
        assert i.value <= 8760


def test_selc_177_tons_implies_a_heat_rate_not_impossible_hours():
    # 177 short tons at 2 ppm: 354,000 lb / 8,760 h = 40.41 lb/h; 2 ppm NOx = 2 x 46.01 / 385.3e6 x 8,710 x 20.9 / 5.9
    # = 0.0073687 lb/MMBtu, so 5,484 MMBtu/h of heat input; over emiss's 423.5 MW that is 12,950 Btu/kWh (HHV).
    pc = check_preset("memphis-2025-selc")
    c = next(c for c in pc.claims if c.claim.given)
    assert c.verdict == "lower" and c.implied.input == "heat rate (fleet average, HHV)"
    per_ppm = 46.01 / 385.3e6 * 8710 * 20.9 / 5.9
    assert c.implied.value == pytest.approx(354_000 / 8760 / (2 * per_ppm) / 423.5 * 1000, rel=2e-3)
    assert all(x.implied is None or not x.implied.input.startswith("operating hours") or x.implied.value <= 8760
               for x in pc.claims)
    homes = next(c for c in pc.claims if c.claim.output == "households")
    # on its capacity basis: 423.5 MW / 1.232 kW = 343,750 homes; 280,000 needs 423.5 MW / 280,000 = 1.51 kW a home
    assert homes.verdict == "higher" and homes.implied.value == pytest.approx(423_500 / 280_000, rel=1e-3)


def test_southaven_423_tons_belongs_to_the_permanent_plant():
    temp = check_preset("southaven-2025")
    nox = next(c for c in temp.claims if c.claim.output == "nox")
    assert nox.verdict == "not-comparable" and "41 turbines" in nox.about
    perm = check_preset("southaven-2026")
    # 17 x 16.5 + 16 x 37.77 + 8 x 39.4 = 1,200 MW; heat input (17 x 16.5 x 9,695 + 16 x 37.77 x 8,617 + 8 x 39.4 x 8,144)
    # x 1.108 / 1,000 = 11,627 MMBtu/h; at 2 ppm x 0.0036844 = 85.68 lb/h x 8,760 h = 750,500 lb = 375.3 short tons
    nox = next(c for c in perm.claims if c.claim.output == "nox")
    assert nox.estimate / 2000 == pytest.approx(375.3, abs=0.5) and nox.verdict == "lower"
    assert nox.implied.value / (0.0036844 * 2) == pytest.approx(423.4 / 375.3, rel=2e-3)  # the NOx factor: 2.26 ppm


def test_check_lists_each_preset_once_and_reads_as_a_fact_check(run):
    code, out, err = run("check", "--preset", "memphis", "--preset", "memphis-2024", "--preset", "memphis", "--format", "json")
    assert code == 0 and [p["preset"] for p in json.loads(out)["presets"]] == ["memphis"]
    code, out, err = run("check", "--preset", "memphis", "--format", "markdown")
    assert code == 0 and out.startswith("# Published figures, checked")
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| #")]
    assert len(rows) == 4 and "**calibrated**" in rows[1] and "Sources:" in out
    assert "reproduced by calibration, not an independent check" in out


def test_households_method_co2_by_hand(run_json):
    # 10 MW all year at 10,000 Btu/kWh HHV: 876,000 MMBtu x 53.06 kg/MMBtu (Part 98) = 46,480.6 t CO2;
    # / 7.94 t a home's energy use emits a year (EPA GHG Equivalencies) = 5,853.9 homes
    d = run_json("estimate", "--turbines", "1", "--capacity", "10 MW", "--heat-rate", "10000 Btu/kWh", "--heat-rate-basis", "hhv",
                 "--households-method", "co2")
    assert d["households"]["method"] == "co2"
    assert d["households"]["value"] == pytest.approx(876_000 * 53.06 / 1000 / 7.94, rel=1e-9)


def test_colossus_versus_jean_zay_by_hand(run_json):
    d = run_json("cluster", "--gpus", "100000", "--gpus", "200000", "--versus", "jean-zay-2024")
    cols = d["versus"]["columns"]
    jz = cols[-1]
    # Jean Zay 2024: 17 GWh a year = 17,000 MWh / 8,760 h = 1.941 MW on average; x 21.7 g/kWh (RTE 2024, production)
    # = 17,000,000 kWh x 21.7 g = 368.9 t CO2e; / 1,456 H100 = 0.2534 t a GPU; no fuel burnt on site: NOx 0.
    assert (jz["gpus"], jz["energy"], jz["nox"]) == (1456, 17.0, 0.0)
    assert jz["power"] == pytest.approx(17_000 / 8760) and jz["co2e"] == pytest.approx(368.9)
    assert jz["co2e_per_gpu"] == pytest.approx(368.9 / 1456)
    assert d["versus"]["site"]["co2e_previous_year"]["value"] == pytest.approx(544.0)  # 17,000 MWh x 32 g/kWh (RTE 2023)
    # Colossus at 100,000 H100: 12,500 DGX servers x 10.2 kW x 1.10 (network, storage) x 1.3 (PUE) = 182,325 kW;
    # a year: 182.325 MW x 8,760 h = 1,597,167 MWh = 1,597 GWh. The turbines burn 9,695 Btu/kWh LHV x 1.108 = 10,742
    # Btu/kWh HHV at full load; its 12 units share the load at 182,325 / (12 x 16,500) = 92.08 %, where the Titan 130
    # curve gives 102 - 2 x 0.2083 = 101.583 % of that heat rate: 17,428,300 MMBtu x 53.06 kg CO2/MMBtu = 924,750 t
    # CO2, the bulk of its CO2e: about 9.2 t a GPU, some 36 times Jean Zay's 0.253 t per GPU. At 200,000 GPUs, 23
    # units at 364,650 / (23 x 16,500) = 96.09 % load: 102 - 2 x 0.6087 = 100.783 %, so not quite twice the CO2e.
    c1, c2 = cols[0], cols[1]
    assert c1["gpus"] == 100_000 and c1["power"] == pytest.approx(182.325) and c1["energy"] == pytest.approx(1597.167, rel=1e-6)
    assert c1["co2e"] == pytest.approx(1_597_167 * 9.695 * 1.108 * 1.0158333 * 53.06 / 1000, rel=2e-3)
    assert c2["co2e"] == pytest.approx(2 * c1["co2e"] * 1.0078261 / 1.0158333, rel=1e-6)
    assert c1["co2e_per_gpu"] / jz["co2e_per_gpu"] > 30
    assert [c["verdict"] for c in d["versus"]["claims"]] == ["not-comparable"] * 3


def test_versus_names_a_site_preset(run):
    code, out, err = run("cluster", "--gpus", "1000", "--versus", "nowhere")
    assert code == 2 and out == "" and "jean-zay-2024" in err


def test_every_headline_on_a_calibrated_value_names_it(run):
    # memphis: the NOx factor (7.9 ppm) and the demand per home (2 kW) were calibrated to 130 tons and 50,000 homes
    from emiss import build_scenario, calculate
    from emiss.report.page import headline_cards, page_finding

    r = calculate(build_scenario("memphis"))
    assert "NOx factor" in page_finding(r) and "households: demand per home" in page_finding(r)
    cards = {card[0]: card[2] for card in headline_cards(r)}
    assert cards["NOx"].endswith("; calibrated factor") and "nox" not in cards["NOx"] and "calibrated" in cards["Households (headline)"]
    assert "calibrated" not in cards["CO2e"]
    code, out, _ = run("estimate", "--preset", "memphis", "--format", "methods")
    # the calibrated inputs and the step-by-step name the pollutant as the tables do ('factor nox' is the input's name
    # in the JSON only)
    assert code == 0 and "checked independently): households: demand per home (capacity view); NOx factor." in out
    assert "factor nox" not in out
    assert "NOx factor (calibrated)" in out and "Step by step for NOx (Nitrogen oxides" in out
    code, out, _ = run("estimate", "--preset", "memphis")
    assert out.splitlines()[1].startswith("Calibrated to reproduce published figures")


def test_upstream_methane_by_hand_and_apart_from_the_stack(run_json, run, tmp_path):
    # 10 MW at 10,000 Btu/kWh HHV all year: 876,000 MMBtu; / fuel HHV gives the scf burnt; methane in it:
    # scf x 0.96 (by volume) x 16.04 / 385.3 lb/scf; lost upstream at 2.3 % of production: x 0.023 / 0.977.
    base = ("estimate", "--turbines", "1", "--capacity", "10 MW", "--heat-rate", "10000 Btu/kWh", "--heat-rate-basis", "hhv")
    plain = run_json(*base)
    d = run_json(*base, "--upstream-leak", "alvarez-2018")
    scf = d["fuel"]["value"]
    lb = scf * 0.96 * 16.04 / 385.3 * 0.023 / 0.977
    up = d["emissions"]["ch4"]["upstream"]
    assert up["value"] * 2000 == pytest.approx(lb, rel=1e-3) and up["leak_rate"] == 0.023 and "Alvarez" in up["source"]
    assert d["emissions"]["co2e"]["upstream"]["value"] == pytest.approx(up["value"] * 28, rel=1e-9)  # AR5: CH4 x 28
    # shown apart: the stack's totals are unchanged
    assert d["emissions"]["co2e"]["value"] == plain["emissions"]["co2e"]["value"] and "upstream" not in plain["emissions"]["ch4"]
    code, out, err = run(*base, "--upstream-leak", "100%")
    assert code == 2 and out == "" and "below 100 %" in err
    p = tmp_path / "leak.toml"
    p.write_text('[[fleet]]\nname = "t"\ncount = 1\ncapacity = "10 MW"\nheat_rate = "10000 Btu/kWh"\nheat_rate_basis = "hhv"\n'
                 '[constants]\nupstream_leak = { value = "alvarez-2018", source = "Alvarez et al. 2018" }\n')
    assert run_json("estimate", "--preset", str(p))["emissions"]["ch4"]["upstream"]["leak_rate"] == 0.023


def test_a_count_of_units_is_exact_unless_the_claim_gives_a_tolerance():
    from emiss.analysis.claims import verdict
    from emiss.inputs.published import parse_claim

    def c(**kw):
        return parse_claim({"output": "units", "who": "w", "when": "2025", "source": "s", **kw}, where="t")

    assert verdict(c(value=35), 35) == ("consistent", 0.0)
    assert verdict(c(value=35), 34)[0] == "lower"  # 34 of 35: not 'about' 35
    assert verdict(c(value=35, tolerance="5%"), 34)[0] == "consistent"  # 34 >= 35 x 0.95 = 33.25


def test_a_cap_claim_and_a_limit_share_one_computation():
    from emiss.analysis.permit import implied_by_cap

    pc = check_preset("memphis-2025-permit")
    co = next(c for c in pc.claims if c.claim.output == "co")
    shared = implied_by_cap(pc.result, "co", 94 * 2000)
    assert co.claim.kind == "cap" and co.implied.value == shared.lb_per_mmbtu
    assert shared.ppmvd == pytest.approx(3.6, abs=0.01)  # 94 tpy for 15 SMT-130 at 8,760 h: about 3.6 ppmvd@15%O2


def test_a_calibrated_input_only_reproduces_the_claim_it_was_calibrated_to():
    # southaven-2026: the PE6000 rating is calibrated so that 17 x 16.5 + 16 x 37.77 + 8 x 39.4 = 1,200.02 MW matches
    # the notice's 1.2 GW ('calibrated'); the same rating feeds NOx, which it does not reproduce (375 vs 423.4 tpy),
    # so that claim keeps its own verdict ('lower') and only names the calibrated input it rests on
    checks = {c.claim.output: c for c in check_preset("southaven-2026").claims}
    assert checks["capacity"].verdict == "calibrated"
    assert checks["nox"].verdict == "lower" and checks["nox"].calibrated_by


def test_the_co2_households_headline_is_in_the_table(run):
    # memphis: 521,736 short tons CO2 / (7.94 t = 8.7524 short tons per home) = 59,611 homes, shown as the headline
    code, out, _ = run("estimate", "--preset", "memphis", "--households-method", "co2")
    row = next(line for line in out.splitlines() if "(headline)" in line)
    assert code == 0 and "59,611" in row and "Households, CO2 view (headline)" in row
