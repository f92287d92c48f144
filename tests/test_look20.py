"""Display leftovers a reader would notice (s20): one figure written the same way wherever it appears."""

from __future__ import annotations

import re


def _flat(text: str) -> str:
    """Return rendered text with its line wrapping undone, so an assertion does not depend on the width."""
    return re.sub(r"\s+", " ", text)


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


def test_a_capacity_is_written_with_the_digits_its_ratings_carry():
    from emiss.report.views import capacity_text

    assert capacity_text(4 * 16 + 14 * 2.5) == "99"  # memphis: 64 + 35 = 99 MW exactly; human() wrote '99.00'
    assert capacity_text(15 * 16.47) == "247.05"  # the 2025 permit: a float sum of 247.04999999999998; was '247.1'
    assert capacity_text(17 * 16.5 + 16 * 37.77 + 8 * 39.4) == "1,200.02"  # southaven-2026: 280.5 + 604.32 + 315.2
    assert capacity_text(35 * 2.5 * 0.95 / 1.07) == "77.69"  # a derated figure (77.6869...) is not exact: four figures


def test_every_command_writes_memphis_capacity_as_99_mw(run):
    # 4 x 16 MW + 14 x 2.5 MW = 99 MW: estimate's results, compare's row, check's claim and timeline wrote '99.00'
    code, out, err = run("estimate", "--preset", "memphis")
    assert code == 0, err
    assert re.search(r"^  Fleet capacity +99 +MW +18 units", out, re.M), out[:2000]
    code, out, err = run("compare", "memphis", "memphis-2025-permit")
    assert code == 0, err
    row = next(line for line in out.splitlines() if line.strip().startswith("Fleet capacity"))
    assert row.split()[2:] == ["MW", "99", "247.05", "(+150%)"], row  # 15 x 16.47 = 247.05 MW
    code, out, err = run("check", "--all")
    assert code == 0, err
    flat = _flat(out)
    assert "at least 35 MW 99 MW +183% holds" in flat
    assert "2024-08 memphis 18 99 129.8" in flat and "2025-07 memphis-2025-permit 15 247.05 85.65" in flat
    assert "99.00" not in out
    code, out, err = run("estimate", "--preset", "memphis", "--format", "methods")
    assert code == 0, err
    assert "99 MW in all" in out and "1. Capacity: 4 x 16 MW + 14 x 2.5 MW = 99 MW." in out  # was '99.0 MW in all'


def test_the_pages_capacity_card_says_99_mw():
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report.page import headline_cards

    memphis = estimate(scenario_from("memphis", {}))

    card = next(c for c in headline_cards(memphis) if c[0] == "Capacity")
    assert card[1] == ("99", "99.0")  # the card's text, and the full-precision value the page keeps beside it


def test_a_chart_written_to_a_file_and_the_page_is_drawn_once(run, tmp_path, monkeypatch):
    # --chart x.svg with --html page.html drew each figure twice (the file, then the page's copy); now the SVG text is
    # drawn once a run and both take it, so the file and the page's figure are the same text
    from matplotlib.figure import Figure

    calls = []
    real = Figure.savefig

    def counted(self, *args, **kwargs):
        calls.append(kwargs.get("format"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counted)
    svg, page = tmp_path / "x.svg", tmp_path / "page.html"
    code, _, err = run("cluster", "--gpus", "100000", "--chart", str(svg), "--html", str(page))
    assert code == 0, err
    assert calls == ["svg"]  # one figure, one drawing
    text = svg.read_text(encoding="utf-8")
    inline = re.sub(r"<metadata>.*?</metadata>", "", text[text.index("<svg"):], flags=re.S)
    assert inline in page.read_text(encoding="utf-8")


def test_the_cluster_chart_draws_the_site_it_is_set_beside(run, tmp_path, monkeypatch):
    # cluster --versus set the clusters beside a grid site in its table, but the chart drew only the clusters
    from matplotlib.figure import Figure

    seen = []
    real = Figure.savefig

    def spy(fig, *args, **kwargs):
        seen.append({ax.get_title(loc="left"): ([p.get_height() for p in ax.patches], [t.get_text() for t in ax.get_xticklabels()])
                     for ax in fig.get_axes() if ax.get_title(loc="left")})
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    code, _, err = run("cluster", "--gpus", "100000", "--versus", "jean-zay-2024", "--chart", str(tmp_path / "x.svg"))
    assert code == 0, err
    (panels,) = seen
    # jean-zay-2024: 17 GWh a year / 8,760 h = 1.9406 MW; 17,000 MWh x 21.7 kg/MWh = 368.9 t CO2e (0.3689 thousand);
    # per GPU 368.9 / 1,456 = 0.25336 t; no fuel burnt on site, so no NOx there
    expected = {"Power (MW): facility load; the site's average draw": 17_000 / 8_760,
                "NOx on site (US short tons a year)": 0.0,
                "CO2e (thousand metric tonnes a year)": 17_000 * 21.7 / 1e3 / 1e3,
                "CO2e per GPU (metric tonnes a year)": 17_000 * 21.7 / 1e3 / 1_456}
    assert set(panels) == set(expected)
    for title, want in expected.items():
        heights, ticks = panels[title]
        assert len(heights) == 2 and abs(heights[-1] - want) <= 1e-9 + 1e-6 * want, (title, heights)
        assert "(grid)" in ticks[-1] and ticks[0].startswith("100,000\n")  # each bar's figure under its label
    assert panels["Power (MW): facility load; the site's average draw"][1][-1].endswith("\n1.94")
    assert panels["CO2e per GPU (metric tonnes a year)"][1][-1].endswith("\n0.253")
    svg = (tmp_path / "x.svg").read_text(encoding="utf-8")
    assert "jean-zay-2024: grid-powered, no NOx on site" in svg  # the legend names the hatched bar


def test_compare_only_draws_the_pollutants_it_names(run, tmp_path, monkeypatch):
    # compare --only co2 --chart: the chart kept only its own eight pollutants, found none and failed with a traceback
    from matplotlib.figure import Figure

    seen = []
    real = Figure.savefig

    def spy(fig, *args, **kwargs):
        seen.append({ax.get_title(loc="left"): [p.get_height() for p in ax.patches] for ax in fig.get_axes()
                     if ax.get_title(loc="left")})
        return real(fig, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", spy)
    code, _, err = run("compare", "--preset", "memphis", "--combustor", "diffusion", "--only", "nh3,co2",
                       "--chart", str(tmp_path / "c.svg"))
    assert code == 0, err
    (panels,) = seen
    # CO2 = 53.06 kg/MMBtu x 8,920,299 MMBtu = 473,311 tonnes = 521,736 short tons (907.18474 kg), in thousands; a
    # combustor does not move it. NH3: no unit has SCR, so no scenario emits it ('-' in the table): no empty panel,
    # named under the chart instead
    assert list(panels) == ["CO2, thousand short tons/yr"]
    assert all(abs(h - 53.06 * 8_920_299 / 907.18474 / 1e3) < 0.01 for h in panels["CO2, thousand short tons/yr"])
    assert "no scenario emits NH3" in _flat(re.sub(r"<[^>]+>", " ", (tmp_path / "c.svg").read_text(encoding="utf-8")))
    code, _, err = run("compare", "--preset", "memphis", "--combustor", "diffusion", "--only", "nh3",
                       "--chart", str(tmp_path / "n.svg"))
    assert code == 2 and "--chart: this command has nothing to draw" in err  # was a traceback


def test_estimate_only_co2_draws_its_monte_carlo_panel(run, tmp_path):
    # estimate --only co2 --samples --chart: the histograms kept five pollutants, none of them CO2: a traceback
    code, _, err = run("estimate", "--preset", "memphis", "--only", "co2", "--samples", "50", "--seed", "1",
                       "--chart", str(tmp_path / "e.svg"))
    assert code == 0, err
    assert "CO2: P50" in (tmp_path / "e-monte-carlo.svg").read_text(encoding="utf-8")


def test_only_says_what_it_leaves_and_compare_does_so(run):
    code, out, err = run("compare", "--help")
    assert code == 0, err
    assert ("the figures that are not a pollutant's (capacity, generation, heat input, households) are still shown"
            in _flat(out))
    code, out, err = run("compare", "--preset", "memphis", "--combustor", "diffusion", "--only", "nox")
    assert code == 0, err
    firsts = [line.split()[0] for line in out.split("\n\n")[1].splitlines()[2:]]
    assert firsts == ["Fleet", "Operation", "Generation", "Heat", "Households", "NOx"], firsts
