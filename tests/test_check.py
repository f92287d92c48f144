"""Published figures, checked (issue 11): claims as data, verdicts, what a claim implies, startups and shutdowns; a
claim's or variant's bad data named by its preset key."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from emiss.analysis.claims import judge, verdict
from emiss.cli import cli
from emiss.inputs.published import parse_claim
from emiss.errors import InputError


def claim(**kw):
    raw = {"who": "a newspaper", "when": "2025-01", "source": "an article", **kw}
    return parse_claim(raw, where="t.toml: claims[0]")


def test_claim_parser_converts_to_the_output_unit():
    c = claim(output="nox", value="130 short_ton/year")
    assert (c.low, c.high, c.relation) == (260_000, 260_000, "about")  # 130 x 2,000 lb
    r = claim(output="nox", value="1200..2100 short_ton/year")
    assert (r.low, r.high, r.relation) == (2_400_000, 4_200_000, "range")
    t = claim(output="nox", value="117.9 t/year")  # metric tonnes: 117.9 x 2,204.62 lb = 259,925 lb
    assert t.low == pytest.approx(259_925, rel=1e-4)
    assert claim(output="households", value=50000).low == 50_000
    assert claim(output="capacity", value="421 MW").low == pytest.approx(421)


@pytest.mark.parametrize(("kw", "needle"), [
    (dict(output="noxx", value="1 ton/year"), "not one emiss reports"),
    (dict(output="nox"), "has no value"),
    (dict(output="nox", value="130 MW"), "expected"),
    (dict(output="nox", value="1..2..3 ton/year"), "not three"),
    (dict(output="nox", value="130 ton/year", relation="maybe"), "relation"),
    (dict(output="nox", value="130 ton/year", tolerance="150%"), "tolerance"),
])
def test_claim_parser_errors_name_what_is_allowed(kw, needle):
    with pytest.raises(InputError, match=needle):
        claim(**kw)


def test_a_claim_needs_who_when_and_where():
    with pytest.raises(InputError, match="who published it"):
        parse_claim({"output": "nox", "value": "1 ton/year", "who": "x", "when": "2025"}, where="t")


@pytest.mark.parametrize(("kw", "estimate_tons", "expected"), [
    # point: consistent / higher / lower, within the tolerance, at the published figure's precision
    (dict(value="130 short_ton/year"), 129.8, ("consistent", -0.15)),   # (129.8 - 130) / 130 = -0.15 %
    (dict(value="130 short_ton/year"), 143.6, ("higher", 10.46)),      # 10 %: edge 143; 143.6 rounds to 144 > 143
    (dict(value="130 short_ton/year"), 143.4, ("consistent", 10.31)),  # 143.4 rounds to 143, the edge
    (dict(value="130 short_ton/year", tolerance="1%"), 128, ("lower", -1.54)),  # 128 < 128.7; (128 - 130) / 130
    (dict(value="130 short_ton/year", tolerance="5 short_ton/year"), 135.4, ("consistent", 4.15)),  # 135 <= 130 + 5
    (dict(value="130 short_ton/year", tolerance="5 short_ton/year"), 135.6, ("higher", 4.31)),      # 136 > 135
    (dict(value="85.65 short_ton/year", tolerance="0%"), 85.65000000000001, ("consistent", 0.0)),  # the printed figure
    # range: inside / above / below, by how much beyond the nearest edge (no tolerance on a range)
    (dict(value="1200..2100 short_ton/year"), 2222, ("above", 5.81)),    # (2,222 - 2,100) / 2,100 = +5.81 %
    (dict(value="1200..2100 short_ton/year"), 1500, ("inside", 0.0)),
    (dict(value="1200..2100 short_ton/year"), 1000, ("below", -16.67)),  # (1,000 - 1,200) / 1,200
    (dict(value="1200..2100 short_ton/year"), 2100.4, ("inside", 0.0)),  # rounds to 2,100: the edge
    # bounds: holds / fails with the margin from the bound
    (dict(value="16 short_ton/year", kind="at-least"), 73.3, ("holds", 358.13)),   # (73.3 - 16) / 16 = +358.1 %
    (dict(value="16 short_ton/year", relation="at least"), 15, ("fails", -6.25)),  # the older spelling, read alike
    (dict(value="87 short_ton/year", kind="at-most"), 85.65, ("holds", -1.55)),     # (85.65 - 87) / 87
    (dict(value="87 short_ton/year", kind="at-most"), 87.4, ("holds", 0.46)),       # 87.4 rounds to 87
    (dict(value="87 short_ton/year", kind="at-most"), 87.6, ("fails", 0.69)),       # 88 > 87
    # cap: met / exceeded
    (dict(value="73 short_ton/year", kind="cap"), 76.72, ("exceeded", 5.10)),  # 76.72 / 73 - 1
    (dict(value="9.8 short_ton/year", kind="cap"), 8.25, ("met", -15.82)),     # 8.25 / 9.8 - 1
    (dict(value="9.8 short_ton/year", kind="cap"), 9.84, ("met", 0.41)),       # 9.84 rounds to 9.8
])
def test_verdicts_by_hand(kw, estimate_tons, expected):
    got = verdict(claim(output="nox", **kw), estimate_tons * 2000)
    assert got[0] == expected[0] and got[1] == pytest.approx(expected[1], abs=0.01)


def test_bounds_and_counts_by_hand():
    # 35 MW at least against 99 MW: holds by 64 MW, +182.9 %
    v = judge(claim(output="capacity", value="35 MW", kind="at-least"), 99.0)
    assert (v.word, v.difference) == ("holds", pytest.approx(64.0)) and v.difference_pct == pytest.approx(182.857, abs=1e-3)
    # 247.05 MW (15 x 16.47) against "up to 247 MW": 247 at the published precision, holds
    assert judge(claim(output="capacity", value="247 MW", kind="at-most"), 15 * 16.47).word == "holds"
    assert judge(claim(output="units", value=18, kind="at-least"), 18).word == "holds"
    assert judge(claim(output="households", value=280000), 343_792).word == "higher"  # +22.8 % > 10 %


@pytest.mark.parametrize(("kw", "needle"), [
    (dict(output="nox", value="-5 short_ton/year"), "above zero"),
    (dict(output="nox", value="0 short_ton/year"), "above zero"),
    (dict(output="nox", value="500..100 short_ton/year"), "LOW below HIGH"),
    (dict(output="units", value=2.5), "whole number"),
    (dict(output="households", value=0), "above zero"),
    (dict(output="households", value="1000.5"), "whole number"),
    (dict(output="nox", value="130 short_ton/year", kind="at-most", tolerance="5%"), "tolerance belongs to a point"),
    (dict(output="nox", value="130 short_ton/year", kind="sometimes"), "kind"),
    (dict(output="nox", value="130 short_ton/year", kind="at-most", relation="at least"), "disagree"),
    (dict(output="capacity", value="10 MW", kind="cap"), "a cap limits an emission"),
    (dict(output="nox", value="130 short_ton/year", tolerance="-5 short_ton/year"), "zero or more"),
    (dict(output="nox", value="130 short_ton/year", tolerance="5 MW"), "expected"),
    (dict(output="households", value=100, tolerance="5 MW"), "fraction or a percentage"),
    (dict(output="nox", value="130 short_ton/year", scope=3), "scope names the preset"),
    (dict(output="nox", value="130 short_ton/year", basis="energy"), "basis"),
    (dict(output="households", value=100, basis="hearsay"), "basis"),
])
def test_bad_claims_are_refused_on_load(kw, needle):
    with pytest.raises(InputError, match=needle) as exc:
        claim(**kw)
    assert not exc.value.usage  # preset data: exit 1, not a command-line error


def test_a_bad_tolerance_in_a_preset_exits_1_not_2(tmp_path, run):
    path = _site(tmp_path, CLAIM.format(v=10) + 'tolerance = "lots"\n')
    code, out, err = run("check", "--preset", path)
    assert code == 1 and out == "" and "tolerance" in err


def _site(tmp_path, claims: str, extra: str = "") -> str:
    p = tmp_path / "site.toml"
    p.write_text('[preset]\ndate = "2025-01"\n[[fleet]]\nname = "t"\ncount = 1\ncapacity = "10 MW"\nheat_rate = "10000 Btu/kWh"\n'
                 'heat_rate_basis = "hhv"\n' + extra + '[factors]\nnox = { value = "0.02 lb/MMBtu", low = "0.01 lb/MMBtu", '
                 'high = "0.1 lb/MMBtu" }\n' + claims)
    return str(p)


CLAIM = '[[claims]]\noutput = "nox"\nvalue = "{v} short_ton/year"\nwho = "w"\nwhen = "2025"\nsource = "s"\n'


def test_what_a_claim_implies_is_solved_by_hand(tmp_path, run):
    # heat input 10,000 kW x 8,760 h x 10,000 Btu/kWh = 876,000 MMBtu; at 0.02 lb/MMBtu: 17,520 lb = 8.76 tons.
    # A claim of 43.8 tons needs 87,600 lb / 876,000 MMBtu = 0.1 lb/MMBtu: the top of the range (plausible);
    # a claim of 87.6 tons needs 0.2 lb/MMBtu, outside it.
    path = _site(tmp_path, CLAIM.format(v=43.8) + CLAIM.format(v=87.6))
    code, out, err = run("check", "--preset", path, "--format", "json")
    assert code == 0, err
    claims = json.loads(out)["presets"][0]["claims"]
    assert claims[0]["estimate"] == {"value": pytest.approx(8.76), "unit": "short_ton / year"}
    assert claims[0]["verdict"] == "lower"
    assert claims[0]["implied"]["value"] == pytest.approx(0.1, rel=1e-9) and claims[0]["implied"]["plausible"] is True
    assert claims[1]["implied"]["value"] == pytest.approx(0.2, rel=1e-9) and claims[1]["implied"]["plausible"] is False
    assert claims[0]["implied"]["ppmvd@15%O2"] == pytest.approx(0.1 / (46.01 / 385.3e6 * 8710 * 20.9 / 5.9), rel=1e-6)
    code, _, err = run("check", "--preset", path, "--fail-inconsistent")
    assert code == 3 and "nox lower" in err


def test_a_conditional_claim_is_checked_under_its_condition(tmp_path):
    # given nox = 0.04 lb/MMBtu: 0.04 x 876,000 = 35,040 lb = 17.52 tons
    path = _site(tmp_path, CLAIM.format(v=17.52) + 'given = { "factor.nox" = "0.04 lb/MMBtu" }\n')
    from emiss.analysis.check import check_preset

    c = check_preset(path).claims[0]
    assert c.verdict == "consistent" and c.estimate == pytest.approx(35_040)


def test_startup_and_shutdown_arithmetic_by_hand(tmp_path):
    from emiss import build_scenario, calculate

    su = ('startup_shutdown = { events = 20, hours_per_event = "2 h", events_per = "unit", per_event = { co = "50 lb" }, '
          'rate = { nox = "30 lb/h" }, source = "test" }\n')
    r = calculate(build_scenario(_site(tmp_path, "", su)))
    # The 20 x 2 h = 40 event hours replace normal hours: 8,760 - 40 = 8,720 normal hours.
    # NOx: 0.02 lb/MMBtu x 100 MMBtu/h x 8,720 h = 17,440 lb normal + 1 unit x 20 events x (30 lb/h x 2 h) = 1,200 lb -> 18,640 lb
    assert r.emissions["nox"].lb_per_year == pytest.approx(18_640)
    assert r.emissions["nox"].lb_startup == pytest.approx(1_200)
    # CO: AP-42 uncontrolled 0.082 x 100 x 8,720 = 71,504 lb; + 20 x 50 = 1,000
    assert r.emissions["co"].lb_startup == pytest.approx(1_000)
    assert r.emissions["co"].lb_per_year == pytest.approx(0.082 * 100 * 8_720 + 1_000)
    # the full-load rate excludes the events: 17,520 / 8,760 = 2.0 lb/h
    assert r.emissions["nox"].lb_per_hour == pytest.approx(2.0)


def test_events_without_emissions_are_said_not_counted(tmp_path):
    from emiss import build_scenario

    sc = build_scenario(_site(tmp_path, "", 'startup_shutdown = { events = 22, hours = "110 h", events_per = "unit", source = "permit" }\n'))
    assert any("add nothing" in w for w in sc.warnings)


def test_every_shipped_claim_parses_and_memphis_reproduces_the_reporting(run_json):
    doc = run_json("check", "--all")
    names = [p["preset"] for p in doc["presets"]]
    assert names[0] == "memphis" and {"memphis-2025-selc", "memphis-2025-permit", "southaven-2025"} <= set(names)
    dates = [p["date"] for p in doc["presets"]]
    assert dates == sorted(dates)
    memphis = doc["presets"][0]["claims"]
    # the NOx factor and the demand per home were calibrated to the 130 tons and 50,000 homes: not independent checks
    assert {c["output"]: c["verdict"] for c in memphis} == {"units": "holds", "nox": "calibrated",
                                                            "households": "calibrated", "capacity": "holds"}
    assert {c["output"]: c["judged"] for c in memphis}["nox"] == "consistent"
    assert doc["presets"][0]["calibrated"] == ["households: demand per home (capacity view)", "factor nox"]
    for p in doc["presets"]:
        for c in p["claims"]:
            assert set(c) >= {"output", "kind", "published", "estimate", "verdict", "margin", "implied", "source", "why"}
            assert c["verdict"] in {"consistent", "higher", "lower", "holds", "fails", "inside", "above", "below", "met",
                                    "exceeded", "calibrated", "not-comparable"}


def test_check_table_and_timeline(run):
    code, out, err = run("check", "--all")
    assert code == 0 and "Timeline" in out and "memphis-2025-permit" in out and "What it would take" in out
    code, out, err = run("check", "--preset", "memphis-2024")  # the alias
    assert code == 0 and "preset memphis" in out
    code, out, err = run("check")
    assert code == 2 and "--preset" in err


def test_claim_rows_are_named_as_the_tables_name_them(run):
    # a journalist reads 'NOx [2]', not the JSON id 'nox [2]'; a claim that assumes a factor says it the same way
    # (memphis-2025-selc's claim [4]: 177 short tons of NOx if the turbines ran at 2 ppmvd@15%O2)
    code, out, err = run("check", "--preset", "memphis-2025-selc")
    assert code == 0, err
    rows = [line.split() for line in out.splitlines() if line.startswith("  ")]
    assert ["Units", "[1]"] == rows[1][:2] and ["NOx", "[4]", "if", "NOx", "2"] in [r[:5] for r in rows]
    assert not any(r[:1] in (["nox"], ["units"], ["hcho"]) for r in rows)


def test_a_published_figure_is_written_with_the_digits_its_source_gave():
    # CNBC reported '130 tons', Tom's Hardware '35 MW', the permit '9.8 tons of formaldehyde': the table wrote
    # '130.0 short tons/yr' and 'at least 35.00 MW', figures a reader took as given to the tenth or hundredth
    from emiss.analysis.check import check_preset
    from emiss.report.checks import published

    memphis = {c.claim.output: published(c) for c in check_preset("memphis").claims}
    assert memphis["nox"] == "130 short tons/yr" and memphis["capacity"] == "at least 35 MW"
    permit = [published(c) for c in check_preset("memphis-2025-permit").claims]
    assert "cap 9.8 short tons/yr" in permit and "cap 87 short tons/yr" in permit
    southaven = [published(c) for c in check_preset("southaven-2025").claims]
    assert "423.4 short tons/yr" in southaven  # a figure published to the tenth keeps its tenth


def test_a_difference_under_one_percent_is_not_written_as_zero():
    # memphis: 129.8 against CNBC's 130 short tons is -0.14 % and was written '-0%'; the 2025 permit's 247.05 MW
    # against 'up to 247 MW' is +0.02 % and was '+0%', the same as an exact match (15 units against 15)
    from emiss.analysis.check import check_preset
    from emiss.report import checks, render

    text = " ".join(render.view_text(checks.check_view([check_preset("memphis"), check_preset("memphis-2025-permit")]),
                                     render.Terminal(width=200)).split())
    assert "129.8 short tons/yr -0.1% calibrated" in text and "-0%" not in text
    assert "247.05 MW +0.02% holds" in text and "15 units 15 units +0% consistent" in text


def test_a_bound_met_only_at_the_published_precision_is_not_said_to_be_passed():
    # memphis-2025-permit: 15 x 16.47 MW = 247.05 MW against 'at most 247 MW': it holds at the figure's precision,
    # but the reason read 'emiss gives 247.1 MW, 0.0500 MW (+0.0 %) above the bound' beside 'holds'.
    import json

    r = CliRunner().invoke(cli, ["check", "--preset", "memphis-2025-permit", "--format", "json"])
    assert r.exit_code == 0
    claim = next(c for c in json.loads(r.stdout)["presets"][0]["claims"] if c["output"] == "capacity")
    assert claim["kind"] == "at-most" and claim["verdict"] == "holds"
    assert claim["estimate"]["value"] == pytest.approx(15 * 16.47)
    # (a capacity in the digits its ratings carry: 247.05 and 0.05 MW, where human()'s four figures wrote 247.1 and 0.0500)
    assert claim["why"] == "emiss gives 247.05 MW, at the bound at the published figure's precision (0.05 MW above it)"
    # a bound passed by a clear margin still says so: memphis's 99 MW against 'at least 35 MW', 64 MW above
    r = CliRunner().invoke(cli, ["check", "--preset", "memphis", "--format", "json"])
    claim = next(c for c in json.loads(r.stdout)["presets"][0]["claims"] if c["output"] == "capacity")
    assert claim["why"] == "emiss gives 99 MW, 64 MW (+182.9 %) above the bound"


GOOD_SITE = '[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncount = 2\ncapacity = "5 MW"\nheat_rate = "9695 Btu/kWh"\n'


NH3_CAP_CLAIM = GOOD_SITE + ('[[claims]]\noutput = "nh3"\nvalue = "5 short_ton/year"\nkind = "cap"\nwho = "x"\n'
                             'when = "2025-01-01"\nsource = "x"\n')


NOT_EMITTED = "the cap limits no rate here: the units emit no NH3 in normal operation"


def test_a_cap_claim_on_a_pollutant_not_emitted_is_said_not_a_traceback(run, preset_file):
    # no SCR, so no ammonia: the rate the cap allows was inf lb/MMBtu; 'check --format json' died on it (allow_nan=False)
    path = preset_file(NH3_CAP_CLAIM)
    code, out, err = run("check", "--preset", path, "--format", "json")
    assert (code, err) == (0, "")
    (claim,) = json.loads(out)["presets"][0]["claims"]
    assert claim["verdict"] == "met"
    assert claim["implied"] == {"input": None, "value": None, "unit": None, "range": None, "plausible": False,
                                "feasible": True, "problem": NOT_EMITTED}
    code, out, err = run("check", "--preset", path)
    assert code == 0 and NOT_EMITTED in out and "inf" not in out  # was 'the cap allows NH3 factor ... up to inf lb/MMBtu'


SITE = ('[preset]\ntitle = "t"\n[[fleet]]\nname = "CT"\ncount = 2\ncapacity = "5 MW"\nheat_rate = "9695 Btu/kWh"\n'
        '[[claims]]\noutput = "nox"\nvalue = "10 short_ton/year"\nwho = "w"\nwhen = "2024"\nsource = "s"\n')


@pytest.mark.parametrize(("given", "says"), [
    # an unknown key: exit 2 (a usage error, for a preset's data) and no file named, 'claim given bogus: ...'
    ('{ bogus = "1" }', "site.toml: claims[0].given.bogus: unknown setting 'bogus'; known: "),
    # a value no preset may hold: 'claim given hours: ...', and 'presets validate' said the file was ok
    ('{ hours = "9000 h" }', "site.toml: claims[0].given.hours: '9000 h' must be above 0 and at most 8760 h"),
])
def test_a_claims_condition_is_the_presets_data_named_by_its_key(run, preset_file, given, says):
    path = preset_file(SITE + f"given = {given}\n")
    code, out, err = run("check", "--preset", path)
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {says}") and len(err.strip().splitlines()) == 1
    code, out, err = run("presets", "validate", path)  # as a variant's 'set' is judged: the same words
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {says}")
    assert run("presets", "validate", preset_file(SITE + 'given = { hours = "5000 h" }\n', name="ok.toml"))[0] == 0


def test_a_variants_unknown_key_is_the_presets_data_in_check_too(run, preset_file):
    # 'presets validate' exited 1 for it and 'check' 2, a usage error, though nothing on the command line was wrong
    path = preset_file(SITE + '[[variants]]\nlabel = "a"\nset = { bogus = "1" }\n')
    for command in (("check", "--preset", path), ("presets", "validate", path)):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.startswith("Error: site.toml: variants[0].set.bogus: unknown setting 'bogus'"), command


@pytest.mark.parametrize("implies", ["heatrate", "bogus"])
def test_a_claims_implies_that_names_no_input_is_refused(run, preset_file, implies):
    # 'what it would take' passed it over without a word and answered with another input: 'operating hours per year
    # = 581.8 hour/year' for a claim whose source spoke of the heat rate
    path = preset_file(SITE + f'implies = "{implies}"\n')
    says = (f"Error: site.toml: claims[0].implies: '{implies}' names no input of this preset; give one of heat_rate, "
            "factor, hours, capacity_factor, household_demand, household_use\n")
    for command in (("check", "--preset", path), ("presets", "validate", path)):
        code, out, err = run(*command)
        assert (code, out) == (1, ""), command
        assert err.startswith(says), command
    # the inputs it may name, and a ranged input of the preset by its key
    for implies in ("heat-rate", "hours", "factor"):
        assert run("check", "--preset", preset_file(SITE + f'implies = "{implies}"\n', name="ok.toml"))[0] == 0
    ranged = SITE.replace('count = 2\n', 'count = { value = 2, low = 1, high = 4 }\n') + 'implies = "count"\n'
    assert run("check", "--preset", preset_file(ranged, name="ranged.toml"))[0] == 0


@pytest.mark.parametrize(("tolerance", "says"), [
    # 200 tons about 130 made every estimate from 0 to 330 tons 'consistent', where '154%' is refused
    ('"200 short_ton/year"', "tolerance '200 short_ton/year' must be below the figure itself ('130 short_ton/year'), as "
                             "a percentage must be below 100 %"),
    ('"130 short_ton/year"', "tolerance '130 short_ton/year' must be below the figure itself ('130 short_ton/year'), as "
                             "a percentage must be below 100 %"),
    # the unit it expected was written 'pound / year', where the value's own message says 'lb/yr'
    ('"5 MW"', "'5 MW' is a power; expected a figure in the output's unit, e.g. lb/yr"),
])
def test_a_claims_tolerance_in_the_outputs_unit_is_below_the_figure(run, preset_file, tolerance, says):
    site = SITE.replace('value = "10 short_ton/year"', 'value = "130 short_ton/year"')
    code, out, err = run("check", "--preset", preset_file(site + f"tolerance = {tolerance}\n"))
    assert (code, out) == (1, "")
    assert err == f"Error: site.toml: claims[0].tolerance: {says}\n"
    assert run("check", "--preset", preset_file(site + 'tolerance = "129 short_ton/year"\n', name="ok.toml"))[0] == 0


def test_the_check_pages_variants_are_headed_by_names_not_ids(run, run_json, tmp_path):
    page = tmp_path / "c.html"
    code, out, err = run("check", "--preset", "memphis-2025-selc", "--html", str(page))
    assert code == 0, err
    heads = re.findall(r'<th class="num" scope="col">([^<]*)</th>', page.read_text())
    assert {"Fleet capacity, MW", "NOx, short tons/yr", "Formaldehyde, short tons/yr", "Households (headline), homes"} \
        <= set(heads), heads
    assert not [h for h in heads if h.split(" ")[0] in ("nox", "hcho", "capacity", "households")], heads
    # the JSON keeps its keys
    (doc,) = run_json("check", "--preset", "memphis-2025-selc")["presets"]
    assert set(doc["variants"][0]["headline"]) == {"units", "capacity", "nox", "co2e", "households"}
