"""Charts a graphics desk accepts (issue 25, item 1): linear axes, one unit per axis, intervals where a range is known,
thresholds and limits marked, text legible on a phone, --chart repeatable and covering every preset;
each figure closed once written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import flat as _flat

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def memphis():
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from

    return estimate(scenario_from("memphis", {}))


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _axes(fig):
    return [ax for ax in fig.get_axes() if ax.axison]


def test_emissions_chart_is_linear_a_share_of_each_threshold_and_legible(memphis):
    from emiss.report import charts

    fig = charts.emissions_chart(memphis)
    (ax,) = _axes(fig)
    assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
    # NOx 129.8 short tons against Title V's 100: the bar ends at 129.8 %
    nox = memphis.emissions["nox"].lb_per_year / 2000
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert round(100 * nox / 100, 6) in widths
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "NOx\n130 of 100 tons" in labels and "Formaldehyde\n" in "".join(labels)  # names, not ids, and the tons beside
    # US short tons, never 't' (the tonne's symbol): it read '130 of 100 t' over '(t = US short tons a year)'
    assert not any(label.endswith(" t") for label in labels) and "(tons: US short tons a year)" in ax.get_xlabel()
    # 5 in wide (480 px in the SVG) and no text under 11 pt: on a 390 px phone (374 px column) 11 pt = 14.7 px x 374/480 = 11.4 px
    assert fig.get_figwidth() == 5.0
    assert min(t.get_fontsize() for t in _texts(fig)) >= 11


def test_emissions_chart_writes_thousands_on_its_percent_axis(memphis):
    from emiss.report import charts

    fig = charts.emissions_chart(memphis)
    (ax,) = _axes(fig)
    fmt = ax.xaxis.get_major_formatter()  # memphis's formaldehyde is ~790 % of its 10 t: the axis runs past 1,000 %
    assert [fmt(x, 0) for x in (0, 250, 1500)] == ["0", "250", "1,500"]
    charts._plt().close(fig)


def test_samples_give_intervals_and_the_chart_changes_with_them(memphis, tmp_path, run):
    code, _, err = run("estimate", "--preset", "memphis", "--chart", str(tmp_path / "a.svg"))
    assert code == 0, err
    code, _, err = run("estimate", "--preset", "memphis", "--samples", "300", "--seed", "2", "--chart", str(tmp_path / "b.svg"),
                       "--chart", str(tmp_path / "b.png"))
    assert code == 0, err
    a, b = (tmp_path / "a.svg").read_text(), (tmp_path / "b.svg").read_text()
    # without --samples the whisker comes from the preset's ranges; with them the bar is the P50
    assert a != b and "P5-P95, preset ranges" in a and "P50 of the Monte Carlo" in b and "P50 of the Monte Carlo" not in a
    assert (tmp_path / "b.png").read_bytes()[:4] == b"\x89PNG"  # --chart given twice: SVG and PNG
    mc = (tmp_path / "b-monte-carlo.svg").read_text()  # the histograms beside it, with the threshold and P(above) written
    assert "major-source threshold" in mc and re.search(r"P\(above 100 tons\) = \d+ %", mc)
    assert "log" not in re.sub(r"<[^>]*>", " ", a + b)  # no axis says 'log scale'


def test_distribution_marks_threshold_central_and_share_above():
    import numpy as np

    from emiss.report import charts

    # 1,000 draws 0..999 short tons (x 2,000 lb): 899 of them (101..999) are above 100 t -> P(above) = 89.9 % -> "90 %"
    samples = {"nox": np.arange(1000) * 2000.0}
    fig = charts.distribution_chart(samples, ["nox"], "t", central={"nox": 500 * 2000.0}, thresholds={"nox": 100.0})
    (ax,) = _axes(fig)
    assert "P(above 100 tons) = 90 %" in ax.get_title(loc="left")
    xs = {round(line.get_xdata()[0], 6) for line in ax.get_lines()}
    assert {100.0, 500.0} <= xs  # threshold and central estimate drawn


def test_distribution_axis_starts_at_zero_unless_the_draws_would_be_a_sliver():
    import numpy as np

    from emiss.report import charts

    # draws 300..700 t: their span (400 t) is 57 % of their top, so the axis runs from zero and the bars keep 4/7 of it
    fig = charts.distribution_chart({"nox": np.linspace(300, 700, 1001) * 2000.0}, ["nox"], "t", thresholds={"nox": 100.0})
    (ax,) = _axes(fig)
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] >= 700
    assert "axis-break" not in charts.inline_svg(charts.render_svg(fig))
    charts._plt().close(fig)
    # draws 495..505 t: a span of 2 % of their top; from zero they would fill 2 % of the panel, one or two bars wide.
    # The axis is broken instead: '0', the marks, then the draws over most of the panel; Title V's 100 t lies 39 spans
    # below them, so it is written, not drawn (a line there would squeeze the draws again)
    fig = charts.distribution_chart({"nox": np.linspace(495, 505, 1001) * 2000.0}, ["nox"], "t", thresholds={"nox": 100.0})
    (ax,) = _axes(fig)
    left, right = ax.get_xlim()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "0" and ax.get_xticks()[0] == left and len(labels) >= 2
    assert (505 - 495) / (right - left) > 0.6
    title = ax.get_title(loc="left")
    assert "P(above 100 tons) = 100 %" in title and "threshold off the axis" in title
    assert 100.0 not in {round(line.get_xdata()[0], 6) for line in ax.get_lines() if len(line.get_xdata()) == 2
                         and line.get_xdata()[0] == line.get_xdata()[1]}
    svg = charts.inline_svg(charts.render_svg(fig))
    charts._plt().close(fig)
    assert svg.count('id="axis-break') == 2 and "axis break after 0" in svg  # the marks on the axis, and in the legend


@pytest.mark.parametrize("low, high", [(3.5e6, 7.5e6), (60, 540), (495, 505), (5.2e6, 5.4e6)])
def test_distribution_tick_labels_never_run_into_one_another(low, high):
    import numpy as np

    from emiss.report import charts

    # two half-width panels: southaven-2026's CO2e drew '2,500,000' and '5,000,000' touching on an axis from zero
    draws = np.linspace(low, high, 1001) * 2000.0
    fig = charts.distribution_chart({"nox": draws, "co2e": draws}, ["nox", "co2e"], "t")
    fig.canvas.draw()
    for ax in _axes(fig):
        boxes = sorted((b.x0, b.x1) for b in (t.get_window_extent() for t in ax.get_xticklabels() if t.get_text()))
        gap = 11 / 72 * fig.dpi * 0.3  # at least a space of 11 pt text between two labels (~4.6 px)
        assert len(boxes) >= 2 and all(right + gap < left for (_, right), (left, _) in zip(boxes, boxes[1:])), boxes
    charts._plt().close(fig)


def test_pte_chart_shows_the_permits_own_limits(tmp_path, run):
    code, _, err = run("pte", "--preset", "memphis-2025-permit", "--chart", str(tmp_path / "p.svg"))
    assert code == 0, err
    assert "permit limit" in (tmp_path / "p.svg").read_text()


def test_check_all_chart_covers_every_preset_each_legend_clear(tmp_path, run, monkeypatch):
    # one run: the JSON on stdout names the presets checked, the charts go to their files, and each chart, as the
    # command draws it (with its ranges: 2,000 draws), keeps its legend off the title and the panels.
    # memphis-2025-selc has the longest legend: a wrapped entry, a claim that does not hold, and the inputs' range
    from emiss.report import charts

    drawn = []
    real = charts.claims_chart

    def checked(pc, ranges):
        fig = real(pc, ranges)
        _legend_clear(fig)
        drawn.append((pc.name, bool(ranges)))
        return fig

    monkeypatch.setattr(charts, "claims_chart", checked)
    code, out, err = run("check", "--all", "--chart", str(tmp_path / "c.svg"), "--format", "json")
    assert code == 0, err
    names = [p["preset"] for p in json.loads(out)["presets"]]
    written = sorted(p.name for p in tmp_path.glob("c*.svg"))
    assert len(written) == len(names) >= 2 and all(f"c-{n}.svg" in written for n in names[1:]), written
    assert [n for n, _ in drawn] == names and ("memphis-2025-selc", True) in drawn


@pytest.mark.parametrize("args", [["sensitivity", "--preset", "memphis"], ["compare", "--preset", "memphis", "--grid"],
                                  ["cluster", "--gpus", "100000", "--gpus", "200000"], ["check", "--preset", "memphis-2025-permit"]])
def test_every_command_with_something_to_draw_draws_linear_legible_charts(args, monkeypatch, run, tmp_path):
    # each command's charts go to --chart (a PNG here) and into the --html page; every figure the page holds has
    # linear axes and no text under 11 pt. (One run checks both: two tests ran each command once for each.)
    from emiss.report import charts

    seen = []
    real = charts.render_svg  # each figure drawn for the page (and any --chart FILE.svg), once

    def spy(fig):
        seen.append(([(ax.get_xscale(), ax.get_yscale()) for ax in _axes(fig)], min(t.get_fontsize() for t in _texts(fig))))
        return real(fig)

    monkeypatch.setattr(charts, "render_svg", spy)
    code, _, err = run(*args, "--chart", str(tmp_path / "c.png"), "--html", str(tmp_path / "p.html"))
    assert code == 0, err
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "p.html").read_text()
    assert seen and all(s == ("linear", "linear") for scales, _ in seen for s in scales) and all(m >= 11 for _, m in seen)


def test_tornado_leaves_out_inputs_that_move_nothing_and_keeps_its_title():
    from types import SimpleNamespace as S

    from emiss.report import charts

    swings = [S(name="a long input name that wraps", low_output=1.0, high_output=3.0), S(name="idle", low_output=2.0, high_output=2.0)]
    fig = charts.tornado_chart("nox", 2.0, swings, 1.0, "short tons/yr")
    (ax,) = _axes(fig)
    assert len(ax.get_yticklabels()) == 1
    assert "central" in fig._suptitle.get_text()  # the whole title, wrapped, not cut


def test_a_chart_names_every_pollutant_as_the_tables_do():
    from types import SimpleNamespace as S

    from emiss.report import charts

    # charts kept a copy of the names without ammonia: a tornado of nh3 said 'nh3 (short tons/yr)' where the tables
    # say NH3 (factors.toml's short name)
    fig = charts.tornado_chart("nh3", 2.0, [S(name="factor nh3", low_output=1.0, high_output=3.0)], 1.0, "short tons/yr")
    (ax,) = _axes(fig)
    assert ax.get_xlabel() == "NH3 (short tons/yr)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["NH3 factor"]


def test_sensitivity_chart_marks_the_major_source_threshold(run, tmp_path):
    # memphis: the NOx factor's range takes NOx from 32.87 to 410.8 short tons, across Title V's 100 tpy (the lowest
    # major-source threshold for NOx in an attainment area); the tornado draws it dashed and names it, as the other
    # charts do. Households have no threshold: no line
    from matplotlib.lines import Line2D

    from emiss.report import charts

    code, _, err = run("sensitivity", "--preset", "memphis", "--chart", str(tmp_path / "t.svg"))
    assert code == 0, err
    assert "major-source threshold: 100" in (tmp_path / "t.svg").read_text()
    code, _, err = run("sensitivity", "--preset", "memphis", "--output", "households", "--chart", str(tmp_path / "h.svg"))
    assert code == 0, err
    assert "major-source threshold" not in (tmp_path / "h.svg").read_text()
    from types import SimpleNamespace as S

    fig = charts.tornado_chart("nox", 260_000.0, [S(name="hours", low_output=130_000.0, high_output=260_000.0)], 1 / 2000,
                               "short tons/yr", 100.0)
    (ax,) = _axes(fig)
    dashed = [ln for ln in ax.get_lines() if isinstance(ln, Line2D) and ln.get_linestyle() == "--"]
    assert [tuple(ln.get_xdata()) for ln in dashed] == [(100.0, 100.0)]


def test_the_track_chart_says_when_a_cap_is_crossed_in_legible_text_with_nothing_over_the_data():
    # a log of 2 short tons a month (4,000 lb) against a 20 tpy cap: 10 months sum 20 (not above), the 11th 22,
    # so the panel names 2024-11; its months before the 12th are incomplete windows, drawn hollow
    from emiss.report.measured import track_chart

    months = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01"]
    rows = []
    for i, m in enumerate(months):
        rolling = 2.0 * min(i + 1, 12)
        rows.append({"unit": "facility", "pollutant": "nox", "month": m, "tons": 2.0, "rolling_tons": rolling,
                     "window_complete": i >= 11, "crossed": True if rolling > 20 else (None if i < 11 else False)})
    doc = {"rows": rows, "caps": [{"pollutant": "nox", "cap_tons": 20.0, "text": "20 tpy"}], "files": [{"file": "log.csv"}]}
    fig = track_chart(doc)
    texts = [t.get_text() for t in _texts(fig)]
    assert "NOx, short tons: above the cap (20 tpy) from 2024-11" in texts
    assert {"above the cap", "annual cap", "incomplete: a lower bound"} <= set(texts)
    assert min(t.get_fontsize() for t in _texts(fig)) >= 11  # the house floor (the chart had 7 pt ticks and legend)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    (ax,) = _axes(fig)
    box = ax.get_window_extent(renderer)
    from matplotlib.legend import Legend

    (legend,) = fig.findobj(Legend)
    assert not legend.get_window_extent(renderer).overlaps(box)  # the legend sat on the cap line, in the axes
    assert all(t.get_window_extent(renderer).x1 <= fig.bbox.x1 + 1 for t in _texts(fig))  # nothing cut at the right


@pytest.fixture(scope="module")
def permit_check():
    from emiss.analysis.check import check_preset

    return check_preset("memphis-2025-permit")


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _legend_clear(fig) -> None:
    """The legend (in its band) overlaps no axes (data, ticks, panel titles) and not the figure's title."""
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    (legend,) = [lg for sub in fig.subfigs for lg in sub.legends]
    box = legend.get_window_extent(renderer)
    for ax in _axes(fig):
        assert not _overlaps(box, ax.get_tightbbox(renderer)), ax.get_title(loc="left")
    assert not _overlaps(box, fig._suptitle.get_window_extent(renderer))


def test_claims_chart_starts_at_zero_and_shows_a_claim_that_fails_without_the_numbers(permit_check):
    from emiss.report import charts

    fig = charts.claims_chart(permit_check, {})
    axes = _axes(fig)
    assert len(axes) == len(permit_check.claims) >= 2
    filled = {}
    for ax, c in zip(axes, permit_check.claims):
        # linear from zero: 247.05 MW against 'up to 247 MW' sits on its cap, not at the other end of a zoomed axis
        assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0, ax.get_title(loc="left")
        (est,) = [line for line in ax.get_lines() if line.get_marker() == "o"]
        filled[c.verdict] = filled.get(c.verdict, set()) | {est.get_markerfacecolor()}
        if c.claim.kind == "cap":  # a cap allows zero up to the cap: the shaded span
            (span,) = [p for p in ax.patches if p.get_facecolor()[:3] == pytest.approx((0.88,) * 3)]
            x0, x1 = span.get_x(), span.get_x() + span.get_width()
            assert (x0, x1) == pytest.approx((0.0, c.claim.high / 2000))  # lb/yr -> short tons
    # the permit's PM cap is exceeded (76.7 tpy against its cap): a filled marker; met and holding claims are open
    assert filled["exceeded"] == {"black"} and filled["met"] == {"white"}
    _legend_clear(fig)
    assert min(t.get_fontsize() for t in _texts(fig)) >= 11


def test_claim_span_and_ticks_with_thousands():
    from types import SimpleNamespace as S

    from emiss.report import charts

    point = S(kind="point", low=50000.0, high=50000.0, tolerance=0.10, tolerance_abs=None)
    assert charts.claim_span(point, 1.0, 9e9) == pytest.approx((45000.0, 55000.0))  # 50,000 +- 10 %
    assert charts.claim_span(S(kind="at-least", low=35.0, high=35.0), 1.0, 120.0) == (35.0, 120.0)
    assert charts.claim_span(S(kind="at-most", low=247.0, high=247.0), 1.0, 300.0) == (0.0, 247.0)
    assert charts.claim_span(S(kind="range", low=2.0, high=4.0), 2.0, 10.0) == (4.0, 8.0)
    assert [charts._count(x) for x in (49600.0, 0.0, 2.5)] == ["49,600", "0", "2.5"]


def test_estimate_chart_marks_the_permits_caps_and_hatches_what_is_above_one():
    from emiss.core.calc import estimate
    from emiss.inputs.scenario import scenario_from
    from emiss.report import charts

    result = estimate(scenario_from("memphis-2025-permit", {}))
    fig = charts.emissions_chart(result)  # estimate's chart: the page's finding names the PM limit, so the chart shows it
    (ax,) = _axes(fig)
    caps = charts.annual_limits(result)
    thr = charts.major_thresholds(result)
    over = [p for p in ax.patches if p.get_hatch() == "xxx"]
    # only PM is above its cap: the cross-hatched part runs from the cap to the estimate, as shares of Title V's 100 t
    pm = result.emissions["pm"].lb_per_year / 2000
    assert len(over) == 1 and pm > caps["pm"]
    assert over[0].get_x() == pytest.approx(100 * caps["pm"] / thr["pm"])
    assert over[0].get_x() + over[0].get_width() == pytest.approx(100 * pm / thr["pm"])
    diamonds = [line for line in ax.get_lines() if line.get_marker() == "D"]
    assert len(diamonds) == len(caps) >= 5
    _legend_clear(fig)
    assert not [p for p in charts.emissions_chart(result, limits=False).axes[0].patches if p.get_hatch() == "xxx"]




def test_tornado_axis_starts_at_zero():
    from types import SimpleNamespace as S

    from emiss.report import charts

    # operating hours halve NOx: 2,094 -> 1,047 t; from zero the bar is half the axis, not most of a 1,000..2,300 one
    fig = charts.tornado_chart("nox", 2094.0, [S(name="hours", low_output=1047.0, high_output=2094.0)], 1.0, "short tons/yr")
    (ax,) = _axes(fig)
    assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0


def test_shared_thresholds_only_where_every_scenario_has_the_same_one():
    from types import SimpleNamespace as S

    from emiss.report import charts

    def result(nox, voc):
        return S(screening=[S(threshold_id="title_v", pollutant="nox", threshold_tons=nox),
                            S(threshold_id="title_v_ozone_serious", pollutant="voc", threshold_tons=voc)])

    # NOx 100 in both; VOC 50 (an ozone area) against 100: no one line can stand for both; a grid column has no result
    assert charts.shared_thresholds([result(100.0, 50.0), result(100.0, 100.0), None]) == {"nox": 100.0}
    assert charts.shared_thresholds([None]) == {}


def _threshold_lines(monkeypatch, check=None):
    """Return a list that gets, for each chart the report draws, each panel's title and the heights of its dashed
    (threshold) lines; ``check(fig)`` is called on each figure too."""
    from emiss.report import charts

    seen = []
    real = charts.render_svg  # each figure drawn for the page (and any --chart FILE.svg), once

    def spy(fig):
        seen.append({ax.get_title(loc="left"): [ln.get_ydata()[0] for ln in ax.get_lines() if ln.get_linestyle() == "--"]
                     for ax in _axes(fig)})
        if check is not None:
            check(fig)
        return real(fig)

    monkeypatch.setattr(charts, "render_svg", spy)
    return seen


def test_compare_and_cluster_charts_draw_the_threshold_across_their_panels(monkeypatch, run, tmp_path):
    heights = []  # each panel's bar heights, for the CO2e unit below (the same run)

    def check(fig):
        _legend_clear(fig)
        heights.append({ax.get_title(loc="left"): [p.get_height() for p in ax.patches] for ax in _axes(fig)})

    seen = _threshold_lines(monkeypatch, check)
    code, out, err = run("compare", "memphis", "memphis-2025-permit", "--html", str(tmp_path / "p.html"), "--format", "json")
    assert code == 0, err
    _compare_chart_draws_co2e_in_the_tables_unit(heights[0], json.loads(out))
    code, _, err = run("cluster", "--gpus", "100000", "--gpus", "200000", "--html", str(tmp_path / "p.html"))
    assert code == 0, err
    compare, cluster = seen
    # Title V's 100 t for NOx, and the HAP program's 10 t (one HAP: formaldehyde) and 25 t (all HAPs) in Shelby County
    assert compare["NOx, short tons/yr"] == [100.0] and compare["Formaldehyde, short\ntons/yr"] == [10.0]
    assert compare["HAPs combined, short\ntons/yr"] == [25.0] and compare["CO2e, thousand short\ntons/yr"] == []
    assert cluster["NOx (US short tons a year)"] == [100.0] and cluster["Facility load (MW)"] == []


def test_a_monte_carlo_p50_is_rounded_in_the_charts_as_in_the_table(memphis):
    # One rule for a P50 shown beside its P5-P95 spread: two significant figures of the spread (views.to_spread), as the
    # table and the cards round it. memphis --samples 2000 gave NOx P50 ~178 t, P5 ~72, P95 ~362: spread ~290 -> tens, "180"
    # in the table and cards, "178" in the chart's label and the histogram's title.
    from types import SimpleNamespace

    import numpy as np

    from emiss.report import charts

    spread = {"nox": SimpleNamespace(p5=72 * 2000.0, p50=178 * 2000.0, p95=362 * 2000.0)}
    fig = charts.emissions_chart(memphis, spread=spread)
    (ax,) = _axes(fig)
    assert "NOx\n180 of 100 tons" in [t.get_text() for t in ax.get_yticklabels()]
    charts._plt().close(fig)
    # 1,001 draws evenly 30..326 t: P50 = 178, P5 = 30 + 0.05 x 296 = 44.8, P95 = 311.2; spread 266.4 -> tens: 180
    fig = charts.distribution_chart({"nox": np.linspace(30, 326, 1001) * 2000.0}, ["nox"], "t")
    (ax,) = _axes(fig)
    assert ax.get_title(loc="left") == "NOx: P50 180 tons"
    charts._plt().close(fig)


def test_the_table_and_the_charts_show_one_p50(tmp_path, run):
    code, out, err = run("estimate", "--preset", "memphis", "--samples", "2000", "--seed", "1", "--only", "nox",
                         "--chart", str(tmp_path / "c.svg"))
    assert code == 0, err
    row = next(line.split() for line in out.splitlines() if line.split()[:1] == ["NOx"])
    p50 = row[3]  # nox, short tons, tonnes, P50, ...
    assert f"{p50} of 100 tons" in (tmp_path / "c.svg").read_text()
    assert f"P50 {p50} tons" in (tmp_path / "c-monte-carlo.svg").read_text()
    from emiss.report import charts

    charts._plt().close("all")  # --chart without --html leaves its figures open in the process (cli/app.py _reports)


def _compare_chart_draws_co2e_in_the_tables_unit(panels, doc):
    # the table gives CO2e in short tons; the chart's panel read thousand metric tonnes (522,272 short tons drawn 473.8)
    # (checked on the compare run of the test above: the figure its page drew and the JSON it printed)
    co2e = [k for k in panels if k.startswith("CO2e")]
    assert co2e == ["CO2e, thousand short\ntons/yr"]
    table = [s["estimate"]["emissions"]["co2e"] for s in doc["scenarios"]]
    assert {t["unit"] for t in table} == {"short_ton / year"}
    assert panels[co2e[0]] == pytest.approx([t["value"] / 1000 for t in table], rel=1e-12)


def test_a_cluster_run_shorter_than_a_year_is_charted_over_the_run(monkeypatch, run, tmp_path):
    # --gpu-hours 2e7 on 20,000 GPUs: a run of 2e7 / 20,000 = 1,000 h, its tons summed over the run (the table says
    # 'short tons', not 'short tons/yr'): the panels say 'over the 1,000 h run', and the annual major-source threshold
    # (100 tpy) is not drawn against a run's total
    seen = _threshold_lines(monkeypatch)
    code, _, err = run("cluster", "--gpus", "20000", "--gpu", "b200", "--gpu-hours", "2e7 h", "--html", str(tmp_path / "p.html"))
    assert code == 0, err
    titles = " | ".join(t.replace("\n", " ") for t in seen[0])
    assert "a year" not in titles and "NOx (US short tons over the 1,000 h run)" in titles
    assert all(lines == [] for lines in seen[0].values())


def test_a_claims_chart_names_the_preset_and_its_verdicts_as_the_tables_do():
    # southaven-2025's NOx claim is about another fleet: the tables say 'not comparable', and the chart said the
    # verdict's id, 'not-comparable'; its title gave only the preset's id, which a graphics desk cannot read
    from emiss.analysis.check import check_preset
    from emiss.report import charts

    pc = check_preset("southaven-2025")
    assert "not-comparable" in [c.verdict for c in pc.claims] and pc.title
    fig = charts.claims_chart(pc, {})
    texts = " ".join(t.get_text().replace("\n", " ") for t in _texts(fig))
    assert ": not comparable" in texts and "not-comparable" not in texts
    assert f"Published figures against emiss: {pc.title} (southaven-2025)" in texts


def test_the_cluster_chart_says_one_panel_per_quantity_not_per_unit(monkeypatch, run, tmp_path):
    # 'one panel per unit' read as one panel per turbine (emiss calls its generating units 'units')
    from emiss.report import charts

    seen = []
    real = charts.render_svg  # each figure drawn for the page (and any --chart FILE.svg), once

    def spy(fig):
        seen.append(" ".join(t.get_text().replace("\n", " ") for t in _texts(fig)))
        return real(fig)

    monkeypatch.setattr(charts, "render_svg", spy)
    code, _, err = run("cluster", "--gpus", "100000", "--html", str(tmp_path / "p.html"))
    assert code == 0, err
    assert "(one panel per quantity)" in seen[0] and "per unit" not in seen[0]


def test_sensitivity_chart_takes_its_thresholds_from_the_central_estimate(run, tmp_path, monkeypatch):
    # the chart ran one more estimate of the same scenario for the major-source thresholds
    pytest.importorskip("matplotlib")
    import json

    import emiss.analysis.uncertainty as uncertainty
    import emiss.core.calc as calc

    real, calls = calc.estimate, []

    def counted(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(calc, "estimate", counted)
    monkeypatch.setattr(uncertainty, "estimate", counted)
    code, out, err = run("sensitivity", "--preset", "memphis", "--chart", str(tmp_path / "t.svg"), "--format", "json")
    assert code == 0, err
    swings = len(json.loads(out)["swings"])
    assert swings >= 2 and len(calls) == 1 + 2 * swings  # the central estimate, then each input at its low and high end


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


def test_the_check_chart_names_each_panel_with_its_unit():
    # memphis' four claims; the panels said 'units, ...' and 'households, ...' (no unit, no view) and 'capacity (MW)'
    from emiss.analysis.check import check_preset
    from emiss.report import charts

    fig = charts.claims_chart(check_preset("memphis"), {})
    titles = [ax.get_title(loc="left").replace("\n", " ").split(",")[0] for ax in fig.axes if ax.get_title(loc="left")]
    charts._plt().close(fig)
    # the households claim is on the capacity view (50,000 homes from 99 MW at 2 kW a home)
    assert titles == ["Units (count)", "NOx (short tons/yr)", "Households", "Fleet capacity (MW)"]
    fig = charts.claims_chart(check_preset("memphis"), {})
    assert fig.axes[2].get_title(loc="left").replace("\n", " ").startswith("Households, capacity view (homes), CNBC")
    charts._plt().close(fig)


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_chart_files_close_their_figures(tmp_path, run):
    # pyplot warns past 20 open figures. Each run draws 2 figures (estimate with --samples: emissions and Monte
    # Carlo) or 1 (track); after each run as many are open as before it (the old code left 2, then 1 more each)
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1",
                     "--chart", str(tmp_path / "a.svg"))
    assert code == 0 and len(plt.get_fignums()) == before
    log = str(EXAMPLES / "track-log.csv")
    code, _, _ = run("track", log, "--limit", "nox=87 tpy", "--chart", str(tmp_path / "t.svg"))
    assert code == 0 and len(plt.get_fignums()) == before
    # a chart that cannot be written (its folder does not exist) closes them too
    code, _, err = run("track", log, "--chart", str(tmp_path / "no" / "t.svg"))
    assert code == 1 and "cannot write" in err and len(plt.get_fignums()) == before
    # with --html as well: the page's SVG text and the file are both written, the file as without --html
    code, _, _ = run("estimate", "--preset", "memphis", "--samples", "200", "--seed", "1",
                     "--chart", str(tmp_path / "h.svg"), "--html", str(tmp_path / "h.html"))
    assert code == 0 and len(plt.get_fignums()) == before
    assert (tmp_path / "h.svg").read_bytes() == (tmp_path / "a.svg").read_bytes()


def test_a_compare_legend_of_long_labels_stays_inside_the_chart():
    from emiss.report import charts

    names = ["memphis PTE uncontrolled", "memphis PTE controlled", "memphis expected actual", "memphis-2025-permit"]
    series = {"NOx, short tons/yr": dict(zip(names, (129.8, 129.8, 129.8, 85.65))),
              "CO, short tons/yr": dict(zip(names, (504.5, 504.5, 504.5, 78.22)))}
    fig = charts.panels_chart([], {}, "Scenarios side by side", "emiss compare", series=series,
                              thresholds={"NOx, short tons/yr": 100.0})
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        (legend,) = [lg for sub in fig.subfigs for lg in sub.legends]
        texts = legend.get_texts()
        assert len(texts) == 5
        # every entry whole inside the figure: '3: memphis expected actual' beside '4: ...' ran off the right edge
        assert all(t.get_window_extent(renderer).x1 <= fig.bbox.x1 + 1 for t in texts), \
            [(t.get_text(), t.get_window_extent(renderer).x1, fig.bbox.x1) for t in texts]
    finally:
        import matplotlib.pyplot as plt

        plt.close(fig)
