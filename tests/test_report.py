"""A report people would publish (issue 13): charts, a self-contained page checked in a real browser, spreadsheets,
COBRA, and the health screening; report files named for another format or that cannot be written."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from emiss.cli import cli

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"  # kept as CI artifacts


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _lookup(doc, key):
    cur = doc
    for part in key.split("."):
        cur = cur[part]
    return cur


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from click.testing import CliRunner

    from emiss.cli import cli

    out = tmp_path_factory.mktemp("report")
    page = out / "memphis.html"
    r = CliRunner().invoke(cli, ["estimate", "--preset", "memphis", "--html", str(page), "--chart", str(out / "chart.svg"),
                                 "--xlsx", str(out / "memphis.xlsx"), "--samples", "500", "--seed", "3", "--format", "json"])
    assert r.exit_code == 0, r.stderr
    return page, json.loads(r.stdout), out


def test_page_is_self_contained_and_escaped(report, tmp_path, run):
    page, _, _ = report
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<title>xAI Colossus" in html
    for loader in ('src="http', "src='http", 'href="http', "url(http", "@import", "<link", "<script"):
        assert loader not in html, loader  # no fonts, scripts, images or CSS from a network
    evil = tmp_path / "evil.toml"
    evil.write_text('[preset]\ntitle = "<script>alert(1)</script>"\n[[fleet]]\nname = "<img src=x onerror=alert(1)>"\n'
                    'count = 1\ncapacity = "5 MW"\n')
    code, _, err = run("estimate", "--preset", str(evil), "--html", str(tmp_path / "e.html"))
    assert code == 0, err
    text = (tmp_path / "e.html").read_text()
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;" in text


def test_cards_give_the_unit_a_line_of_its_own_and_the_p50_column_its_unit(report):
    page, _, _ = report
    html = page.read_text(encoding="utf-8")
    cards = html.split('<ul class="figures">')[1].split("</ul>")[0]
    labels = re.findall(r'<span class="label">([^<]*)</span>', cards)
    units = re.findall(r'<span class="unit">([^<]*)</span>', cards)
    # in brackets after the label they nested: 'Households (headline) (capacity view; calibrated)'
    assert labels == ["NOx, P50", "CO2e, P50", "Formaldehyde, P50", "Capacity", "Households (headline)"]
    assert units == ["US short tons a year; calibrated factor", "US short tons a year", "US short tons a year", "MW",
                     "capacity view; calibrated"]
    # the Monte Carlo P50 column says its unit beside 'short tons/yr' and 'tonnes/yr' (a phone read 'P50: 180')
    assert 'data-label="P50 short tons/yr"' in html and 'data-label="P50"' not in html


def test_chart_file_is_an_svg_with_title_units_and_source(report):
    _, _, out = report
    svg = (out / "chart.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


SMALLEST_CHART_TEXT = """() => Math.min(...Array.from(document.querySelectorAll('figure svg text')).map(
    t => { const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))"""
SIDEWAYS = """() => Array.from(document.querySelectorAll('body *')).filter(e => !e.closest('thead')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for this module's browser tests: starting playwright's driver and the browser costs about
    a second, so they share it (each test opens its own context, with the network off)."""
    chromium = _chromium()
    if chromium is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium: the browser test cannot be skipped there")
        pytest.skip("chromium is not installed at /usr/bin/chromium: apt-get install chromium (see the README, 'Development and tests')")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install -e '.[test]'")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


def test_the_page_in_a_real_browser_at_desktop_and_phone_widths(report, browser):
    page_path, doc, _ = report
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, width in (("desktop", 1280), ("phone", 390)):
        context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
        page = context.new_page()
        outside: list[str] = []
        failed: list[str] = []
        page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(("file:", "data:", "about:")) else None)
        page.on("requestfailed", lambda req: failed.append(req.url))
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        assert outside == [] and failed == [], (outside, failed)
        assert page.title().startswith("xAI Colossus")
        assert page.locator("h1").count() == 1 and page.locator("h2", has_text="xAI Colossus").count() == 0  # one title
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
        assert page.evaluate(SIDEWAYS) == [], f"{name}: something runs past the screen or scrolls sideways"
        smallest = page.evaluate(SMALLEST_CHART_TEXT)
        assert smallest >= 11, f"{name}: chart text renders at {smallest:.1f} px"
        # the cards: P50s (with --samples) in the JSON's mass unit, each equal to the JSON's number
        values = page.eval_on_selector_all("[data-key]", "els => els.map(e => [e.dataset.key, e.dataset.value])")
        assert len(values) >= 4 and any(k == "emissions.nox.p50" for k, _ in values)
        for key, value in values:
            assert float(value) == pytest.approx(_lookup(doc, key), rel=1e-12), key
        assert "P5-P95" in page.inner_text(".figures")
        # the finding comes first and names the calibrated inputs
        lead = page.inner_text("p.lead")
        assert page.evaluate("document.querySelector('p.lead').getBoundingClientRect().top < document.querySelector('nav').getBoundingClientRect().top")
        calibrated = [a["name"] for a in doc["assumptions"] if a["status"] == "calibrated"]
        assert calibrated and all(n in lead for n in calibrated) and "NOx factor" in lead
        # names, not ids; contents that lead somewhere; the provenance footer
        assert page.locator("td", has_text="Formaldehyde").count() >= 1 and page.locator("td:text-is('hcho')").count() == 0
        for href in page.eval_on_selector_all("nav a", "els => els.map(e => e.getAttribute('href'))"):
            assert page.locator(href).count() == 1, href
        foot = page.inner_text("footer")
        assert doc["manifest"]["inputs_sha256"] in foot and "emiss estimate --preset memphis" in foot
        assert re.search(r"Run date \(UTC\)\s+\d{4}-\d{2}-\d{2}", foot) and "factors.toml" in foot
        page.screenshot(path=str(SHOTS / f"memphis-{name}-{width}.png"), full_page=True)
        context.close()


def test_spreadsheet_numbers_are_numbers_and_text_is_never_a_formula(report, tmp_path, run):
    openpyxl = pytest.importorskip("openpyxl")
    _, doc, out = report
    wb = openpyxl.load_workbook(out / "memphis.xlsx")
    assert {"Emissions (short tons per yr)", "Per emission unit", "Assumptions and sources"} <= set(wb.sheetnames)
    ws = wb["Emissions (short tons per yr)"]
    header = [c.value for c in ws[1]]
    nox = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "nox")
    assert nox[header.index("Short tons a year")] == pytest.approx(doc["emissions"]["nox"]["short_tons"])
    evil = tmp_path / "f.toml"
    evil.write_text('[preset]\ntitle = "x"\n[[fleet]]\nname = "=HYPERLINK(\\"http://x\\")"\ncount = 1\ncapacity = "5 MW"\n')
    code, _, err = run("estimate", "--preset", str(evil), "--xlsx", str(tmp_path / "f.xlsx"))
    assert code == 0, err
    cells = [c for row in openpyxl.load_workbook(tmp_path / "f.xlsx")["Per emission unit"].iter_rows() for c in row]
    named = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert named and all(c.data_type == "s" for c in named)


def test_cobra_export_columns_and_sign(run):
    code, out, err = run("estimate", "--preset", "memphis", "--format", "cobra")
    assert code == 0 and "NH3 is the ammonia slip" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["FIPS", "STATE", "COUNTY", "TIER1NAME", "NOx_REDUCTIONS_TONS", "SO2_REDUCTIONS_TONS",
                             "PM25_REDUCTIONS_TONS", "VOCS_REDUCTIONS_TONS", "NH3_REDUCTIONS_TONS"]
    assert rows[0]["FIPS"] == "47157" and rows[0]["TIER1NAME"] == "FUEL COMB. ELEC. UTIL."
    assert float(rows[0]["NOx_REDUCTIONS_TONS"]) == pytest.approx(129.82, rel=1e-4)  # an increase is positive
    code, out, err = run("estimate", "--turbines", "1", "--capacity", "5 MW", "--format", "cobra")
    assert code == 2 and "fips" in err


def test_health_screening_by_hand(run_json):
    doc = run_json("estimate", "--preset", "memphis", "--health")
    h = doc["health"]
    e = doc["emissions"]
    # low: EGU $/ton (140,000 PM2.5; 40,000 SO2; 6,000 NOx) x short tons; high: industrial point sources (540,000; 97,000; 15,000)
    low = 140_000 * e["pm"]["short_tons"] + 40_000 * e["so2"]["short_tons"] + 6_000 * e["nox"]["short_tons"]
    high = 540_000 * e["pm"]["short_tons"] + 97_000 * e["so2"]["short_tons"] + 15_000 * e["nox"]["short_tons"]
    assert h["total"]["low"] == pytest.approx(low) and h["total"]["high"] == pytest.approx(high)
    assert "screening" in h["label"] and h["dollar_year"] == 2015 and h["deaths"] is None


def test_monte_carlo_table_shows_p50(run):
    code, out, _ = run("estimate", "--preset", "memphis", "--samples", "2000", "--seed", "1", "--only", "nox")
    assert code == 0 and "P50" in out


def test_pte_page_has_its_own_cards_and_names_the_limits_it_exceeds(run_json):
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report import page

    result = estimate(scenario_from("memphis-2025-permit", {}))
    doc = run_json("pte", "--preset", "memphis-2025-permit")
    cards = page.headline_cards(result, pte=True)
    assert not any("Households" in c[0] for c in cards)
    for label, (shown, exact), unit, key, _ in cards:
        assert float(exact) == pytest.approx(_lookup(doc, key), rel=1e-12), key
    lead = page.page_finding(result, pte=True)
    # PM 76.72 short tons against the permit's 73 tpy: above; NOx 85.65 under 87: not named
    pm = doc["facility"]["pm"]["value"]
    assert pm > 73 and f"above the permit's own annual limit: PM (PM2.5, total) at {pm:.2f} tpy against its cap of 73 tpy" in lead
    assert "NOx at" not in lead
    depth, deepest = 0, 0  # brackets never nest: it read 'PM (PM2.5, total) (76.72 against 73 tpy)' inside a sentence
    for ch in lead:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    assert deepest == 1


def test_health_dollars_are_rounded_as_a_screening_deserves():
    from emiss.report.health import dollars

    # two significant figures: 4,808,254 -> 4.8 million; 18,546,124 -> 19 million; 443,604 -> 440,000
    assert [dollars(4_808_254), dollars(18_546_124), dollars(443_604), dollars(0)] == ["$4.8 million", "$19 million", "$440,000", "$0"]


def test_solve_and_fail_above_answer_with_a_summary(run):
    code, out, err = run("estimate", "--preset", "memphis", "--fail-above", "nox=100")
    assert code == 3 and out.startswith("Finding:") and "Emissions per year" in out and "Fleet" not in out
    code, out, _ = run("solve", "--preset", "memphis", "--target", "nox=100 short_ton/year", "--vary", "capacity-factor")
    assert code == 0 and "Emissions per year" in out and "Assumptions" not in out and len(out.splitlines()) < 60


def test_html_names_pollutants_in_output_columns_and_leaves_terminal_bars_out():
    from emiss.report.html import view_html
    from emiss.report.views import Cell, Column, Table

    t = Table("Compared", (Column("Output"), Column("at low", "right"), Column(""), Column(""), Column("at high", "right")))
    t.rows.append(("hcho", "1.0", Cell("  ##", "low"), Cell("|###", "high"), "3.0"))
    t.rows.append(("capacity", "2.0", Cell("   #", "low"), Cell("|", "high"), "2.5"))
    page = view_html([t], title="x")
    assert ">Formaldehyde</td>" in page and ">capacity</td>" in page  # an id named; other words as they are
    assert "#" not in page.split("<table>")[1] and page.count('<th ') == 3  # the tornado's text bars: the chart draws them
    css = page.split("<style>")[1].split("</style>")[0]
    # a cell may break a word only where it would overflow (break-word), never to make its column narrower (anywhere)
    assert re.search(r"th, td \{[^}]*overflow-wrap: break-word", css) and "nowrap" not in css


def test_check_page_opens_with_its_finding(run, tmp_path):
    code, _, err = run("check", "--preset", "memphis-2025-permit", "--html", str(tmp_path / "c.html"))
    assert code == 0, err
    lead = re.search(r'<p class="lead">([^<]*)</p>', (tmp_path / "c.html").read_text()).group(1)
    # the permit's 8 claims: 15 units (consistent), 247 MW (a bound, holds), six caps of which PM's 73 tpy is exceeded
    assert lead == "8 published figures: 1 consistent, 1 holds, 5 met, 1 exceeded; not borne out: PM exceeded."


def test_check_page_shows_each_presets_title_and_lead_once(run, tmp_path):
    code, _, err = run("check", "--preset", "memphis", "--preset", "memphis-2025-permit", "--html", str(tmp_path / "c.html"))
    assert code == 0, err
    page = (tmp_path / "c.html").read_text()
    # the fact-check sheet and the table beside emiss's figures each repeated the preset's title and lead line
    # memphis: 4 claims, two bounds that hold (18 units, 35 MW), NOx and households calibrated (the preset's own notes)
    memphis = ("<p>4 published figures: 2 holds, 2 calibrated. Calibrated to reproduce published figures, not measured: "
               "households: demand per home (capacity view); NOx factor.</p>")
    # the permit: 15 units, 247 MW at most, six caps of which PM's 73 tpy is exceeded
    permit = "<p>8 published figures: 1 consistent, 1 holds, 5 met, 1 exceeded.</p>"
    assert page.count(memphis) == 1 and page.count(permit) == 1
    assert page.count("on-site gas generation, August 2024 (2024-08)</h2>") == 1
    assert page.count("the 15 turbines permitted in July 2025 (2025-07)</h2>") == 1
    # each preset's claims beside emiss's figures are still there, after its own sources and before the next preset
    first = page.index("<caption>Published figures checked: preset memphis</caption>")
    assert page.index("<p>Sources:</p>") < first < page.index(permit)
    assert page.count("<caption>Published figures checked: preset memphis-2025-permit</caption>") == 1


WORDS_BROKEN = """() => { const out = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.textContent.matchAll(/[^\\s-]+/g)) {  // a line may break after a hyphen
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        if (new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top))).size > 1) out.push(m[0]);
      } } }
  return out; }"""


def test_a_wide_table_on_a_desktop_keeps_its_words_whole_and_fits(run, tmp_path, browser):
    page_path = tmp_path / "c.html"
    code, _, err = run("compare", "memphis", "memphis-2025-permit", "memphis-2025-selc", "southaven-2025", "southaven-2026",
                       "--html", str(page_path))
    assert code == 0, err
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    page.goto(page_path.as_uri())
    # 'capacity' was drawn 'capacit / y' and 'generation' 'genera / tion': the columns were squeezed to let the
    # numbers stay on one line
    assert page.evaluate(WORDS_BROKEN) == []
    wide = page.evaluate("() => Array.from(document.querySelectorAll('.table-wrap')).filter(e => e.scrollWidth > e.clientWidth + 1).length")
    assert wide == 0  # five scenarios fit a desktop page without a scroll bar
    context.close()


def test_sensitivity_page_opens_with_what_moves_the_output_most(run, tmp_path):
    code, out, err = run("sensitivity", "--preset", "memphis", "--html", str(tmp_path / "s.html"))
    assert code == 0, err
    html = (tmp_path / "s.html").read_text()
    # the terminal's top row: the NOx factor from 32.87 to 410.8 short tons/yr, around a central 129.8
    top = out.splitlines()[2].split()
    assert top[:3] == ["NOx", "factor", "(all"] and "32.87" in top and top[-1] == "410.8"
    # (each number kept on one line with its unit by a non-breaking space)
    assert '<p class="lead">NOx is 129.8&nbsp;short tons/yr at the central inputs; NOx factor (all units) moves it most: ' \
           "32.87 at its low end, 410.8 at its high end.</p>" in html
    assert "<h1>Sensitivity of NOx: " in html and "What moves NOx:" in html


def test_cluster_page_opens_with_the_load_the_units_and_the_thresholds(run, tmp_path):
    code, _, err = run("cluster", "--gpus", "1000", "--gpu", "h100", "--html", str(tmp_path / "c.html"))
    assert code == 0, err
    lead = re.search(r'<p class="lead">([^<]*)</p>', (tmp_path / "c.html").read_text()).group(1)
    # 1,000 GPUs / 8 a server = 125 servers x 10.2 kW = 1,275 kW; x 1.1 (network, storage) = 1,402.5 kW IT;
    # x PUE 1.3 = 1,823.25 kW = 1.82 MW: one 16.5 MW unit, far below every threshold
    assert lead == "1,000 H100 GPUs need 1.82&nbsp;MW at the facility, 1&nbsp;unit running, below every major-source threshold."


def test_html_headings_long_titles_warnings_and_contents_listed_once():
    from emiss.report.html import view_html
    from emiss.report.views import Column, Line, Table

    title = "xAI Colossus 2, Southaven MS: the permanent plant permitted in March 2026 (41 turbines, about 1.2 GW) (2026-03)"
    assert len(title) > 90  # it was a plain paragraph: its section had no heading and no entry in the contents
    sheet = Table("Fact check", (Column("#"),))
    sheet.rows.append(("1",))
    page = view_html([Line("Warning: a unit has no factor", "bold"), Line("A", "bold"), sheet, Line(title, "bold"), sheet],
                     title="Published figures, checked")
    assert f">{title}</h2>" in page and "<p><strong>Warning: a unit has no factor</strong></p>" in page
    nav = page.split("<nav")[1].split("</nav>")[0]
    assert nav.count(">Fact check<") == 1 and page.count("<caption>Fact check</caption>") == 2 and "Warning" not in nav


def test_compare_page_opens_with_the_scenarios_that_emit_most_and_least(run, tmp_path):
    code, _, err = run("compare", "--preset", "memphis", "--combustor", "diffusion", "--combustor", "dry-low-nox",
                       "--html", str(tmp_path / "c.html"))
    assert code == 0, err
    lead = re.search(r'<p class="lead">([^<]*)</p>', (tmp_path / "c.html").read_text()).group(1)
    # a diffusion combustor emits the most NOx and the preset (calibrated to 130 t) the least; the combustor does not
    # change the fuel burnt, so CO2e is the same in all three
    assert lead.startswith("3 scenarios, US short tons a year: most NOx: combustor diffusion (")
    assert "least: memphis (129.8); CO2e is the same in every scenario (522,272)." in lead


def test_the_page_finding_names_part_load_and_hours_beyond_a_year_for_what_they_are():
    # --load 50 %: 8,760 h at half load is neither 8,760 full-load hours nor the potential to emit (full output all
    # year); an operation beyond the year (an infeasible solve's 67,478 h) is not 'all year' either
    from dataclasses import replace

    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report.page import page_finding

    half = page_finding(estimate(scenario_from("memphis", {"load": "50%"})))
    assert half.startswith("At 8,760 hours a year at 50% load, the 18 units") and "potential to emit" not in half
    full = page_finding(estimate(scenario_from("memphis", {})))
    assert full.startswith("At 8,760 full-load hours a year (all year: potential to emit), the 18 units")
    sc = scenario_from("memphis", {})
    beyond = page_finding(estimate(replace(sc, hours=67_478.0)))
    assert beyond.startswith("At 67,478 full-load hours a year (more than the 8,760 h in a year)")


def test_fewer_hours_than_the_year_are_screened_beside_the_potential_to_emit(run, run_json):
    # memphis at 3,000 h: NOx 44.46 tpy is below Title V (100), but the potential to emit is every hour of the year,
    # 44.46 x 8,760 / 3,000 = 129.8 tpy, above; VOC 60.72 -> 177.3 above Title V; CO 172.8 -> 504.5 above PSD (250).
    # Hours a user gives are not an enforceable limit, so the screening says what the potential to emit crosses.
    part = run_json("estimate", "--preset", "memphis", "--hours", "3000")
    later = {(e["pollutant"], e["id"]): e["emitted"] for e in part["screening_at_potential"]}
    assert set(later) == {("nox", "title_v"), ("voc", "title_v"), ("co", "psd_other")}
    now = {(e["pollutant"], e["id"]): e["emitted"] for e in part["screening"]}
    for key, tons in later.items():
        assert tons == pytest.approx(now[key] * 8760 / 3000, rel=1e-12)  # no startups in memphis: tons scale with hours
    assert run_json("estimate", "--preset", "memphis")["screening_at_potential"] == []  # the full year already is the PTE
    # the 2025 permit's caps hold every pollutant under its threshold all year, so nothing more is crossed
    assert run_json("estimate", "--preset", "memphis-2025-permit", "--hours", "3000")["screening_at_potential"] == []
    assert run_json("estimate", "--preset", "memphis", "--load", "50%")["screening_at_potential"] == []
    # hours limit found are the operating limit to make enforceable: not set against the full year
    assert run_json("limit", "--preset", "memphis", "--under", "title-v")["estimate"]["screening_at_potential"] == []
    code, out, _ = run("estimate", "--preset", "memphis", "--hours", "3000")
    text = " ".join(out.split())
    assert code == 0 and "not the 3,000 h/yr given (hours are not an enforceable limit here), more thresholds are crossed: " \
                         "NOx 129.8 tpy, above Title V (100); VOC 177.3 tpy, above Title V (100); CO 504.5 tpy, above PSD (250)" in text
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report.page import page_finding

    finding = page_finding(estimate(scenario_from("memphis", {"hours": "3000"})))
    assert "for CO, formaldehyde and HAPs combined; as potential to emit (8,760 h a year: the hours given are not an " \
           "enforceable limit) also above one for NOx and VOC" in finding


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_a_page_that_cannot_be_written_is_named_in_one_line(run):
    # a full disk fails at the close, with no file name: the message read "cannot write ''" (in-process: the page is
    # written and closed inside the command; what happens at the process's exit is the workbook's case, below)
    code, out, err = run("estimate", "--preset", "memphis", "--html", "/dev/full", "--only", "nox", "--format", "value")
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["Error: cannot write '/dev/full': No space left on device"]


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("option", ["--xlsx"])
def test_a_report_file_that_cannot_be_written_is_named_in_one_line(option):
    # a full disk fails at the close, with no file name: the message read "cannot write ''"; for --xlsx openpyxl's
    # zip file was closed again at exit and printed a traceback ('Exception ignored in ZipFile.__del__'): a process
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                        os.environ.get("PYTHONPATH", "")])}  # this tree's emiss
    r = subprocess.run([sys.executable, "-m", "emiss", "estimate", "--preset", "memphis", option, "/dev/full",
                        "--only", "nox", "--format", "value"], capture_output=True, text=True, timeout=120, env=env)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr.strip().splitlines() == ["Error: cannot write '/dev/full': No space left on device"]


# ---- a report file named like another format is refused -------------------------------------------------------------

@pytest.mark.parametrize("option, name, message", [
    ("--xlsx", "out.csv", "--xlsx: '{p}' ends in .csv, but --xlsx writes an Excel workbook; give a name ending in .xlsx"),
    ("--xlsx", "out.xls", "--xlsx: '{p}' ends in .xls, but --xlsx writes an Excel workbook; give a name ending in .xlsx"),
    ("--html", "page.png", "--html: '{p}' ends in .png, but --html writes an HTML page; give a name ending in .html or .htm"),
    ("--manifest", "run.CSV", "--manifest: '{p}' ends in .csv, but --manifest writes JSON; give a name ending in .json"),
    ("--svg", "t.png", "--svg: '{p}' ends in .png, but --svg writes an SVG image; give a name ending in .svg"),
    ("--chart", "c.txt", "--chart: '{p}' must end in .svg or .png"),
])
def test_a_report_file_named_as_another_format_is_refused(run, tmp_path, option, name, message):
    # '--xlsx out.csv' wrote a workbook under a CSV name (a CSV reader then fails on a zip file) and '--html page.png'
    # a page no image viewer opens; --chart already refused a name that is neither .svg nor .png. Nothing is written.
    path = str(tmp_path / name)
    code, out, err = run("estimate", "--preset", "memphis", option, path, "--only", "nox", "--format", "value")
    assert (code, out, err.strip()) == (2, "", "Error: " + message.format(p=path))
    assert list(tmp_path.iterdir()) == []


def test_a_report_file_with_its_own_or_no_ending_is_written(run, tmp_path):
    # upper case is the same ending; a name with none (a device, 'report') is written as asked
    code, out, err = run("estimate", "--preset", "memphis", "--html", str(tmp_path / "PAGE.HTM"), "--manifest",
                         str(tmp_path / "run"), "--only", "nox", "--format", "value")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["PAGE.HTM", "run"]


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_page_finding_names_a_factor_as_the_tables_do(tmp_path):
    out = tmp_path / "x.html"
    r = _run("estimate", "--preset", "memphis", "--html", str(out))
    assert r.exit_code == 0, r.stderr
    lead = out.read_text(encoding="utf-8").split('<p class="lead">')[1].split("</p>")[0]
    # memphis's PM and HAP factors are unverified (status 'recalled'): named as the Assumptions table names them
    assert "the PM factor and the HAPs combined factor." in lead
    assert "PM (PM2.5, total) factor" not in lead and "PM (PM2.5, total) factor" not in r.stdout


def test_the_page_keeps_a_number_on_one_line_with_its_unit(tmp_path):
    out = tmp_path / "x.html"
    r = _run("estimate", "--preset", "memphis-2025-permit", "--html", str(out))
    assert r.exit_code == 0, r.stderr
    page = out.read_text(encoding="utf-8")
    # the permit's NOx cap: '87 tpy' in its Limit cell broke as '87' over 'tpy' in a narrow cell
    assert '<td data-label="Limit">87&nbsp;tpy</td>' in page
    assert '<td data-label="Limit">9.8&nbsp;tpy</td>' in page
    assert "0.0066&nbsp;lb/MMBtu" in page and "8,760&nbsp;h/yr" in page and "10,742&nbsp;Btu/kWh" in page
    # a number inside a word, or one followed by a word that is no unit, is left as it was
    assert "SMT-130 turbines" in page and "SMT-130&nbsp;" not in page and "01156-01PC" in page
    assert "&#x27;87&nbsp;tons of smog-forming NOx" in page and "&#x27;&nbsp;" not in page
    assert "&nbsp;against" not in page


def test_the_methods_paragraph_says_a_lower_bound_total_is_one(run):
    # one SMT-130 at 40 % load, outside SoLoNOx's premix range (50-100 %): its 25 ppm NOx is only 'at least'; the
    # paragraph to paste said '6. Emissions: 78,944 lb/yr = 39.5 short tons/yr' with the caveat on stderr alone
    code, out, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "40%", "--format", "methods")
    assert code == 0
    assert ("The NOx total is only a lower bound, not the total (at least: Solar Turbines Titan 130 / SMT-130 mobile "
            "turbine generator: 40% load is outside its premix range (50-100 % load)).\n") in out
    assert "6. Emissions: at least 78,944 lb/yr = 39.5 short tons/yr = 35.8 metric tonnes/yr.\n" in out
    # CO2 does not rest on the guarantee: no caveat
    code, out, err = run("estimate", "--turbine-model", "smt-130", "--turbines", "1", "--load", "40%", "--format",
                         "methods", "--only", "co2")
    assert "lower bound" not in out and "6. Emissions: 100,257,347 lb/yr" in out


@pytest.mark.parametrize("command", [("compare", "--preset", "memphis", "--grid"), ("pte", "--preset", "memphis"),
                                     ("check", "--preset", "memphis"), ("cluster", "--gpus", "100"),
                                     ("sensitivity", "--preset", "memphis")])
def test_two_report_files_of_one_name_are_refused_as_estimate_refuses_them(run, tmp_path, command):
    # '--html out --xlsx out' (a name with no ending is written as given) wrote the page, then the workbook over it
    out = tmp_path / "out"
    code, stdout, err = run(*command, "--html", str(out), "--xlsx", str(out))
    assert (code, stdout) == (2, "")
    assert err == "Error: two of --html, --chart and --xlsx name the same file; give each its own\n"
    assert not out.exists()


def test_the_pages_capacity_card_says_99_mw():
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report.page import headline_cards

    memphis = estimate(scenario_from("memphis", {}))

    card = next(c for c in headline_cards(memphis) if c[0] == "Capacity")
    assert card[1] == ("99", "99.0")  # the card's text, and the full-precision value the page keeps beside it


def _at(width: int, *args: str) -> str:
    res = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert res.exit_code == 0, res.stderr
    return res.stdout


def test_the_page_indents_sub_rows_as_the_terminal_does(tmp_path):
    # pte's '  PM filterable' under PM: the page collapsed its two spaces and drew it as a pollutant's row of its own
    page = tmp_path / "pte.html"
    _at(100, "pte", "--preset", "memphis-2025-permit", "--html", str(page))
    html = page.read_text()
    assert '<td class="sub" data-label="Pollutant">PM filterable</td>' in html
    assert '<td data-label="Pollutant">PM</td>' in html  # the pollutant's own row is not indented
    assert "td.sub { padding-left:" in html


# NOx 7.9 ppmvd@15%O2 = 7.9 x 46.01/385.3e6 x 8,710 x 20.9/(20.9 - 15) = 0.029107 lb/MMBtu, shown to 3 figures
NOX_LB_MMBTU = "0.0291"


def test_the_phone_page_never_says_unit_is_an_equation(tmp_path, run):
    page = tmp_path / "p.html"
    code, _, err = run("estimate", "--preset", "memphis", "--html", str(page))
    assert code == 0, err
    text = page.read_text()
    assert '<td data-label="Unit">=' not in text
    assert f'<td class="num" data-label="Value">{NOX_LB_MMBTU}</td><td data-label="Unit">lb/MMBtu</td>' in text
