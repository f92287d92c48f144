"""Third review: solve, limit, replay and the Monte Carlo columns: answers a reader could misread or that were wrong."""

from __future__ import annotations

import pytest


def _margin_rows(out: str) -> dict[str, list[str]]:
    lines = out.splitlines()
    start = next(i for i, x in enumerate(lines) if x.strip().startswith("Pollutant")) + 2
    rows = {}
    for x in lines[start:]:
        if not x.strip():
            break
        cells = x.split()
        rows[cells[0]] = cells
    return rows


def test_limit_writes_the_ghg_threshold_in_full_not_with_an_exponent(run):
    # memphis under the PSD significant emission rates: CO2e 522,272 short tons/yr all year against 75,000 tpy binds at
    # a capacity factor of 75,000 / 522,272 = 0.1436 (shown 0.143). The table wrote that threshold '7.5e+04'.
    code, out, _ = run("limit", "--preset", "memphis", "--under", "psd-ser", "--vary", "capacity-factor")
    rows = _margin_rows(out)
    assert code == 0 and "a capacity factor of 0.143 " in out
    assert rows["CO2e"][:3] == ["CO2e", "(binds)", "75,000"] and "e+" not in out
    assert rows["VOC"][1] == "40" and rows["PM"][1] == "10"  # the small ones as stated


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


def test_a_monte_carlo_run_without_a_seed_can_be_replayed(run, tmp_path):
    # --samples without --seed drew from a fresh generator and kept seed null, so 'emiss replay' drew other samples
    # and reported 45-odd percentiles as changed (exit 1): a false alarm over a manifest nobody edited
    path = tmp_path / "run.json"
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--manifest", str(path))
    assert code == 0
    import json

    seed = json.loads(path.read_text())["inputs"]["run"]["seed"]
    assert isinstance(seed, int) and 0 <= seed < 2**32
    code, out, _ = run("replay", str(path))
    assert code == 0 and "every number matches" in out


def test_replay_of_an_old_manifest_without_a_seed_says_why_the_percentiles_cannot_match(run, tmp_path):
    import json

    path = tmp_path / "run.json"
    assert run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1", "--manifest", str(path))[0] == 0
    m = json.loads(path.read_text())
    m["inputs"]["run"]["seed"] = None  # as written before: no seed kept
    from emiss.report.methods import inputs_sha256

    m["inputs_sha256"] = inputs_sha256(m["inputs"])
    path.write_text(json.dumps(m))
    code, out, _ = run("replay", str(path))
    # 19 numbers (7 results + 12 pollutants) are compared; P5/P50/P95 of 12 pollutants and 4 quantities (48) are not
    assert code == 1 and "does NOT match: seed" in out
    assert "its 48 Monte Carlo percentiles were drawn without a seed" in out and "ok   all 19 numbers match" in out


@pytest.mark.parametrize("width", [80, 100, 120])
def test_the_monte_carlo_table_crops_no_source_or_flag(width):
    # emiss estimate --preset memphis --samples N at 100 columns drew the Source column cut at its edge: '[1] CALIBRA',
    # '[6][7] unverif', '[11][12' (footnote 12 lost). Every character of a cell must be drawn: wrapped, left out with a
    # note, or the table stacked one block per row, never cut.
    from collections import Counter

    from emiss.analysis.uncertainty import monte_carlo
    from emiss.core.calc import estimate
    from emiss.inputs.presets import load
    from emiss.inputs.scenario import build
    from emiss.report.estimate import estimate_view
    from emiss.report.render import Terminal, view_text
    from emiss.report.views import Table, cell_parts

    sc = build(load("memphis"))
    view = estimate_view(estimate(sc), spread=monte_carlo(sc, 200, 1))
    table = next(b for b in view if isinstance(b, Table) and b.title.startswith("Emissions per year"))
    out = view_text([table], Terminal(width=width))
    assert max(len(x) for x in out.splitlines()) <= width
    source = table.columns.index(next(c for c in table.columns if c.name == "Source"))
    given = Counter(ch for r in table.rows for ch in cell_parts(r[source])[0] if not ch.isspace())
    assert not given - Counter(ch for ch in out if not ch.isspace())
    for word in ("CALIBRATED", "unverified", "[11][12]"):
        assert word in out, (width, word)


def test_monte_carlo_columns_are_in_tonnes_when_the_run_is(run, run_json):
    # --mass-unit metric_ton: the first mass column, the JSON's p5/p50/p95 and the page's cards are tonnes; the P50
    # and P5 .. P95 columns were short tons ('P50 short tons/yr 180' beside '120 tonnes/yr'). Memphis NOx, 2,000
    # draws, seed 1: P50 = 177.7 short tons x 0.90718474 = 161.2 t, shown to two figures of its P5-P95 spread
    # (64.5 .. 327.6 t, a width of 263: to the ten) as 160, and P5 .. P95 as 60 .. 330.
    args = ("estimate", "--preset", "memphis", "--samples", "2000", "--seed", "1", "--only", "nox", "--mass-unit", "metric_ton")
    nox = run_json(*args)["emissions"]["nox"]
    assert nox["p50"] == pytest.approx(177.7 * 0.90718474, rel=2e-3) and nox["unit"] == "metric_ton / year"
    code, out, _ = run(*args, "--format", "markdown")
    head = next(x for x in out.splitlines() if x.startswith("| Pollutant | tonnes/yr"))
    row = next(x for x in out.splitlines() if x.startswith("| NOx |"))
    cells = dict(zip([c.strip() for c in head.split("|")], [c.strip() for c in row.split("|")]))
    assert code == 0 and cells["P50 tonnes/yr"] == "160" and cells["P5 .. P95 tonnes/yr"] == "60 .. 330"
    assert cells["short tons/yr"] == "130"  # 129.8 short tons beside, to the same ten


def test_limit_at_part_load_says_the_hours_are_at_that_load(run, run_json):
    # memphis --load 50%: turbines 4 x 113.4 MMBtu/h (Titan 130 part-load curve) x 0.015 lb/MMBtu CO = 6.80 lb/h;
    # gensets 14 x 23.63 MMBtu/h x 0.5 (no part-load curve) x 0.557 lb/MMBtu (AP-42 4SLB below 90 %) = 92.1 lb/h;
    # 98.9 lb/h in all, so 100 tpy allows 200,000 / 98.9 = 2,021 h a year AT 50 % LOAD. Read as full-load hours the
    # figure is unsafe: 2,021 full-load hours give 78.64 x 2,021 / 8,760 = 18.1 tpy of formaldehyde against 10.
    code, out, _ = run("limit", "--preset", "memphis", "--under", "title-v", "--load", "50%")
    assert code == 0 and out.startswith("The largest operation that keeps every pollutant under: 2,021 h/yr at 50% load (CO binds")
    doc = run_json("limit", "--preset", "memphis", "--under", "title-v", "--load", "50%")
    assert doc["load"] == 0.5 and doc["value"] == pytest.approx(200_000 / 98.94, rel=1e-3)
    code, out, _ = run("limit", "--preset", "memphis", "--under", "title-v")
    assert out.startswith("The largest operation that keeps every pollutant under: 1,113 h/yr (Formaldehyde binds")  # full load: as before


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


def test_presets_show_lists_the_permits_limits(run, run_json):
    # presets/memphis-2025-permit.toml has six [[limits]] (12-month caps, tpy): NOx 87, CO 94, VOC 85, PM 73, HAPs 14,
    # formaldehyde 9.8. They cap the PTE (pte, limit and estimate call the site a synthetic minor by them), yet
    # 'presets show', which says it prints every resolved value, showed none of them.
    doc = run_json("presets", "show", "memphis-2025-permit")
    assert [(x["pollutant"], x["limit"], x["per"]) for x in doc["limits"]] == [
        ("nox", "87 tpy", "facility"), ("co", "94 tpy", "facility"), ("voc", "85 tpy", "facility"),
        ("pm", "73 tpy", "facility"), ("hap", "14 tpy", "facility"), ("hcho", "9.8 tpy", "facility")]
    code, out, _ = run("presets", "show", "memphis-2025-permit")
    assert code == 0 and "Permit limits" in out and "9.8 tpy" in out
    # the table names the pollutants as every other table does (the JSON above keeps the ids)
    limits = [line.split()[:2] for line in out.split("Permit limits")[1].splitlines() if "tpy" in line]
    assert limits == [["NOx", "87"], ["CO", "94"], ["VOC", "85"], ["PM", "73"], ["HAPs", "combined"], ["Formaldehyde", "9.8"]]
    assert run_json("presets", "show", "memphis")["limits"] == []


def test_compare_does_not_call_part_load_hours_full_load(run):
    # memphis --load 50%: 99 MW x 0.5 x 8,760 h = 433,620 MWh, i.e. 4,380 equivalent full-load hours; the row said
    # '8,760 full-load h/yr' beside that generation. The estimate calls them 'h/yr' ('8,760 h/yr at 50% load').
    code, out, _ = run("compare", "--preset", "memphis", "--load", "50%", "--capacity-factor", "0.5", "--only", "nox",
                       "--format", "markdown")
    row = next(x for x in out.splitlines() if x.startswith("| Operation |"))
    assert code == 0 and [c.strip() for c in row.split("|")][1:6] == ["Operation", "h/yr", "8,760", "4,380 (-50%)", "8,760 (+0%)"]
    assert "Operation: hours a year at each scenario's load" in out and "load 50%: at 50% load" in out
    gen = next(x for x in out.splitlines() if x.startswith("| Generation |"))
    assert "433,620 (-50%)" in gen.split("|")[-2]
    code, out, _ = run("compare", "--preset", "memphis", "--capacity-factor", "0.5", "--only", "nox", "--format", "markdown")
    assert "| Operation | full-load h/yr |" in out  # no part load: as before


def _hr_preset(tmp_path, value: str, sd: str):
    p = tmp_path / "hr.toml"
    p.write_text(f'[preset]\ntitle = "hr"\n[[fleet]]\nname = "a"\ncount = 2\ncapacity = "5 MW"\n'
                 f'heat_rate = {{ value = "{value}", dist = "normal", sd = "{sd}" }}\n')
    return str(p)


def test_a_heat_rates_sd_is_a_spread_not_a_heat_rate(tmp_path, run, run_json):
    # 9,695 +/- 250 Btu/kWh (normal) was refused: the sd was read as a heat rate, and 250 Btu/kWh is under 3,412.14
    # (100 % efficient). It is a spread: P5 and P95 = 9,695 -/+ 1.6449 x 250 = 9,283.8 and 10,106.2 Btu/kWh, and NOx
    # (per heat input) swings in proportion: central x 9,283.8 / 9,695 and x 10,106.2 / 9,695.
    path = _hr_preset(tmp_path, "9695 Btu/kWh", "250 Btu/kWh")
    doc = run_json("sensitivity", "--preset", path)
    s = doc["swings"][0]
    assert s["low"] == pytest.approx(9695 - 1.6448536 * 250) and s["high"] == pytest.approx(9695 + 1.6448536 * 250)
    assert s["output_at_high"] / doc["central"] == pytest.approx(s["high"] / 9695, rel=1e-9)
    code, _, err = run("presets", "validate", _hr_preset(tmp_path, "9695 Btu/kWh", "2%"))
    assert code == 1 and "sd '2%' is not a heat rate's spread" in err  # Btu/kWh is a ratio: '2%' read as 68 Btu/kWh


def test_sensitivity_refuses_a_swing_to_an_impossible_value(tmp_path, run):
    # 4,000 +/- 3,500 Btu/kWh (normal): P5 = 4,000 - 1.6449 x 3,500 = -1,757 Btu/kWh, which sensitivity used, giving
    # -27.3 short tons of NOx at the low end; --samples refused the same distribution. Both refuse, naming the range.
    path = _hr_preset(tmp_path, "4000 Btu/kWh", "3500 Btu/kWh")
    code, out, err = run("sensitivity", "--preset", path)
    assert (code, out) == (1, "") and "swings to values outside 3412.14..1,000,000 (P5 -1,756.99, P95 9,756.99)" in err
    # and --samples now refuses draws under 3,412.14 Btu/kWh (over 100 % efficient), not only below zero:
    # 3,800 +/- 250 draws down to about 3,800 - 3.2 x 250 = 3,000 in 500 draws
    code, _, err = run("estimate", "--preset", _hr_preset(tmp_path, "3800 Btu/kWh", "250 Btu/kWh"), "--samples", "500", "--seed", "1")
    assert code == 1 and "draws values outside 3412.14..1,000,000" in err
