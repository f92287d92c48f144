"""Charts for people who will not read the numbers. The only module that imports matplotlib, and only when asked.

What a graphics desk asks of a chart, and every chart here keeps: linear axes that start at zero (never a log
bar); one unit per axis (quantities in different units get a panel each: small multiples); an interval
wherever a range is known; a title that says what is shown, axis labels with units, the source under it;
readable in grayscale (hatching and gray levels, never colour alone); numbers written in the margins, never
over a threshold line. Figures are sized for a phone: 5 in wide (480 px in the SVG), every text at least
11 pt, so that shrunk to a 390 px screen's 374 px column text still renders at >= 11 px (11 pt = 14.7 px,
x 374 / 480 = 11.4 px). SVG text stays text (selectable, measurable), in DejaVu Sans.
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from typing import Any, Sequence

from emiss import data
from emiss.core.outputs import short_tons
from emiss.report.views import to_spread

GRAYS = ("0.15", "0.55", "0.8", "0.35", "0.65")
HATCHES = ("", "//", "..", "xx", "\\\\")
CRITERIA = ("nox", "co", "voc", "pm", "so2", "hcho", "hap")
# the word beside a chart's tons (US short tons a year, as every threshold is): 'tons' as US readers say it, never
# 't', the symbol of the metric tonne, which labels read '130 of 100 t' and '(t = US short tons a year)' misused
TONS = "tons"
WIDTH_IN = 5.0  # figure width: 480 px in the SVG, shown at up to 1.25 x on a desktop page and 0.78 x on a phone
FONT_PT = 11  # the smallest text anywhere in a chart
TITLE_PT = 12
WRAP_TITLE = 44  # characters per line of a 12 pt bold title across 5 in (360 pt; DejaVu Sans bold averages ~0.65 em)
WRAP_TEXT = 50  # characters per line of 11 pt text across 5 in (~0.6 em a character, with a margin)
# characters of an 11 pt legend entry that fit beside its swatch in half the figure's width ('4: memphis-2025-permit'
# and 'major-source threshold', 22 each, just fit; '3: memphis expected actual' beside them ran off the right edge)
LEGEND_HALF = 22
LEGEND_WHOLE = 44  # the same across the whole width, one entry a line


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": FONT_PT, "axes.titlesize": FONT_PT,
                         "axes.labelsize": FONT_PT, "xtick.labelsize": FONT_PT, "ytick.labelsize": FONT_PT,
                         "legend.fontsize": FONT_PT, "figure.titlesize": TITLE_PT, "svg.fonttype": "none",
                         "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100, "svg.hashsalt": "emiss"})
    return plt


def name(p: str) -> str:
    """Return a pollutant's short name for a chart (NOx, not nox), as the tables name it (data.pollutant_name)."""
    return data.pollutant_name(p)


def wrap(text: str, width: int = WRAP_TEXT) -> str:
    """Return ``text`` broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) or text


def _figure(height: float) -> Any:
    return _plt().figure(figsize=(WIDTH_IN, height), layout="constrained")


def _canvas(height: float, legend_lines: int) -> tuple[Any, Any, Any]:
    """Return a figure, a band at its top for the legend (its own space: it never covers the title or the data),
    and the subfigure that holds the axes."""
    band = 0.3 * legend_lines + 0.15
    fig = _figure(height + band)
    top, body = fig.subfigures(2, 1, height_ratios=[band, height])
    return fig, top, body


def _legend(band: Any, handles: list[Any], ncol: int = 2) -> None:
    band.legend(handles=handles, loc="center left", ncol=ncol, frameon=False, borderaxespad=0, handlelength=1.8)


def _source(fig: Any, text: str) -> None:
    """Put the source line under a figure laid out by hand (report/measured.py's track chart)."""
    fig.text(0.01, 0.01, wrap("Source: " + text), fontsize=FONT_PT, color="0.25", va="bottom")


def _frame(fig: Any, title: str, source: str) -> None:
    """Give a figure its title (wrapped, never cut) and its source line (wrapped, under everything)."""
    fig.suptitle(wrap(title, WRAP_TITLE), x=0.02, ha="left", fontsize=TITLE_PT, fontweight="bold")
    fig.supxlabel(wrap("Source: " + source), x=0.02, ha="left", fontsize=FONT_PT, color="0.25")


def tons(v: float) -> str:
    """Return short tons for a label: whole tons from 10 up, two significant figures below."""
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.2g}"


def major_thresholds(result: Any) -> dict[str, float]:
    """Return, per pollutant, the lowest major-source threshold that applies (Title V, its ozone variants, HAP), tpy."""
    out: dict[str, float] = {}
    for s in result.screening:
        if s.threshold_id.startswith(("title_v", "hap")):
            out[s.pollutant] = min(out.get(s.pollutant, math.inf), s.threshold_tons)
    return out


def annual_limits(result: Any) -> dict[str, float]:
    """Return the scenario's annual permit limits (a preset's [[limits]] and --limit), per pollutant, in short tons for
    the facility (a per-unit cap times the units; left out on unlike groups, which have no one facility figure)."""
    out: dict[str, float] = {}
    counts = [g.count for g in result.groups]
    for lim in result.scenario.limits:
        if lim.kind == "annual" and (cap := lim.for_facility(counts)) is not None:
            out[lim.pollutant] = min(out.get(lim.pollutant, math.inf), short_tons(cap))
    return out


def emissions_chart(result: Any, *, spread: dict[str, Any] | None = None, limits: bool = True, title: str = "",
                    ranges: dict[str, Any] | None = None) -> Any:
    """Each pollutant as a share of its major-source threshold: one linear axis in percent, the tons written beside.

    With ``spread`` (Monte Carlo P5/P50/P95 per pollutant, lb/yr), the bar is the P50 and a whisker spans P5-P95,
    the central estimate a circle. Without it, ``ranges`` (the same, from the preset's ranges) gives the whisker
    beside the central bar. With ``limits`` (the default: a page whose finding names a permit limit shows it), the
    permit's own annual caps are marked (as a share of the same threshold) and the part of a bar above its cap is
    cross-hatched, so an exceeded limit shows without the numbers. Partial totals (a unit without a factor) are hatched.
    """
    thr = major_thresholds(result)
    ids = [p for p in CRITERIA if p in result.emissions and p in thr]
    caps = annual_limits(result) if limits else {}
    over = [p for p in ids if p in caps and _shown(result, p, spread) > caps[p]]
    partial = any(not result.emissions[p].complete for p in ids)
    # the legend's entries, two a line: threshold, bar, then a whisker (and a circle), a cap, over a cap, partial
    entries = 2 + (2 if spread else 1 if ranges else 0) + bool(caps) + bool(over) + partial
    fig, band, body = _canvas(0.62 * len(ids) + 2.4, math.ceil(entries / 2))
    ax = body.add_subplot()
    labels = []
    for i, p in enumerate(ids):
        y = len(ids) - 1 - i
        e = result.emissions[p]
        central = short_tons(e.lb_per_year)
        s = spread.get(p) if spread else None
        r = ranges.get(p) if (ranges and not spread) else None
        shown = short_tons(s.p50) if s else central
        pct = 100 * shown / thr[p]
        ax.barh(y, pct, height=0.6, color="0.55" if e.complete else "white", edgecolor="0.1", hatch="" if e.complete else "//")
        if s or r:
            lo, hi = (100 * short_tons(v) / thr[p] for v in ((s or r).p5, (s or r).p95))
            ax.errorbar(pct, y, xerr=[[max(pct - lo, 0)], [max(hi - pct, 0)]], fmt="none", ecolor="black", elinewidth=1.4,
                        capsize=4)
        if s:
            ax.plot(100 * central / thr[p], y, marker="o", markersize=6, markerfacecolor="white", markeredgecolor="black",
                    linestyle="")
        if p in caps:
            if p in over:  # the part above the permit's cap, cross-hatched over the bar
                ax.barh(y, pct - 100 * caps[p] / thr[p], left=100 * caps[p] / thr[p], height=0.6, color="white",
                        edgecolor="0.1", hatch="xxx")
            ax.plot(100 * caps[p] / thr[p], y, marker="D", markersize=7, color="black", linestyle="")
        # a P50 is rounded as the tables and cards round it, to two figures of its P5-P95 spread (180, not 178)
        label = to_spread(shown, short_tons(s.p5), short_tons(s.p95)) if s else tons(shown)
        labels.append(f"{name(p)}\n{label} of {tons(thr[p])} {TONS}")
    ax.set_yticks(range(len(ids)), list(reversed(labels)))
    ax.axvline(100, color="black", linestyle="--", linewidth=1.4)
    ax.set_xlim(0, None)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(_count))  # 1,500 %, as the tables write thousands (it read 1500)
    ax.set_xlabel(f"% of the major-source threshold\n({TONS}: US short tons a year)")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color="black", linestyle="--", label="threshold (100 %)"),
               Patch(facecolor="0.55", edgecolor="0.1", label="P50 of the Monte Carlo" if spread else "estimate")]
    if spread:
        handles += [Line2D([], [], color="black", marker="|", markersize=10, linestyle="-", label="P5 to P95"),
                    Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="black", linestyle="",
                           label="central estimate")]
    elif ranges:
        handles.append(Line2D([], [], color="black", marker="|", markersize=10, linestyle="-",
                              label="P5-P95, preset ranges"))
    if caps:
        handles.append(Line2D([], [], marker="D", color="black", linestyle="", label="permit limit"))
    if over:
        handles.append(Patch(facecolor="white", edgecolor="0.1", hatch="xxx", label="above the permit limit"))
    if partial:
        handles.append(Patch(facecolor="white", edgecolor="0.1", hatch="//", label="partial: a unit has no factor"))
    _legend(band, handles)
    sc = result.scenario
    _frame(fig, title or f"Annual emissions as a share of the major-source thresholds: {sc.title or sc.name}",
           "emiss; factors EPA AP-42 s.3.1/3.2 and 40 CFR 98 (see the tables); thresholds Clean Air Act s.302(j) and "
           f"s.112 (HAP 10 {TONS} one, 25 {TONS} all), a screening, not an applicability determination")
    return fig


def _shown(result: Any, p: str, spread: dict[str, Any] | None) -> float:
    """Return the short tons a bar of the emissions chart shows: the Monte Carlo P50 with ``spread``, else the estimate."""
    s = spread.get(p) if spread else None
    return short_tons(s.p50) if s else short_tons(result.emissions[p].lb_per_year)


def shared_thresholds(results: Sequence[Any]) -> dict[str, float]:
    """Return, per pollutant, the major-source threshold (short tons a year) that applies to every one of ``results``
    alike; a pollutant whose threshold differs between them (another ozone area) is left out."""
    each = [major_thresholds(r) for r in results if r is not None]
    if not each:
        return {}
    return {p: t for p, t in each[0].items() if all(e.get(p) == t for e in each[1:])}


BREAK_BELOW = 0.25  # draws spanning less than this share of their largest value would be a sliver of bars against a zero
#                     baseline (a 500,000 t +- 2 % CO2e: 30 bins in 2 % of the panel): their axis is broken instead, marked
BREAK_GAP = 0.12  # the share of a broken axis between its '0' and the first value past the break (where the marks are)
TICK_CHAR_SHARE = 0.02  # a tick label's half-width per character, as a share of a half-width panel (11 pt: ~3.4 pt of ~170)
TICK_GAP = 0.04  # the least space between two tick labels, as a share of the panel
BREAK_PAD = 0.08  # room either side of the draws on a broken axis, as a share of their span
AXIS_ROOM = 1.04  # an axis from zero ends this far past its largest draw or mark, so the last bar is not on the frame
NEAR_SPANS = 2  # a mark within this many spans of the draws widens a broken axis to show it; a farther one is said
BREAK_MARK = 0.012  # half a '//' stroke's width, as a share of the axis (its gap in the axis line is four of them)


def _sliver(lo: float, hi: float) -> bool:
    """Return whether draws from ``lo`` to ``hi`` (short tons) would be a sliver of bars on an axis from zero."""
    return lo >= 0 and hi > 0 and hi - lo < BREAK_BELOW * hi


def _spaced(left: float, right: float, start: float) -> list[float]:
    """Return as many round ticks from ``start`` to ``right`` (up to five) as leave a gap between their labels, on an
    axis from ``left``; on a broken axis (``start`` > ``left``, where '0' and the break are drawn) the first keeps clear
    of them too. Panels are half the figure wide: '2,500,000' and '5,000,000' ran into one another."""
    from matplotlib.ticker import MaxNLocator

    def share(a: float, b: float) -> float:
        return (b - a) / (right - left)

    for n in (4, 3, 2, 1):
        ticks = [t for t in MaxNLocator(n).tick_values(start, right) if start <= t <= right]
        first = [left] if start > left else []  # the broken axis's '0' (one character) and its marks
        edges = first + ticks
        widths = [1] * len(first) + [len(tons(t)) for t in ticks]
        clear = all(share(a, b) >= TICK_CHAR_SHARE * (wa + wb) + TICK_GAP
                    for a, b, wa, wb in zip(edges, edges[1:], widths, widths[1:]))
        if clear and (not first or not ticks or share(left, ticks[0]) >= BREAK_GAP + TICK_CHAR_SHARE * widths[1]):
            return ticks
    return ticks[-1:]


def _axis_from_zero(ax: Any, lo: float, hi: float, marks: Sequence[float]) -> tuple[float, float] | None:
    """Draw a histogram's x axis from zero, as every chart here; or, where the draws (``lo``..``hi``, all >= 0) would be a
    sliver against it, a broken axis: '0', the break marked '//' on the axis line, then the draws' own span.

    ``marks`` (P5, P50, P95, the central estimate, a threshold) widen the axis to show them, except a mark that would
    squeeze a broken axis again. Return the view of a broken axis (start, end), or None for one from zero.
    """
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter
    from matplotlib.transforms import blended_transform_factory

    if not _sliver(lo, hi):
        right = max([hi, *marks]) * AXIS_ROOM
        ax.set_xlim(0, right)
        ax.set_xticks(_spaced(0, right, 0))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: tons(x)))
        return None
    pad = (hi - lo) * BREAK_PAD or hi * BREAK_PAD * BREAK_BELOW
    near = [m for m in marks if lo - NEAR_SPANS * (hi - lo) <= m <= hi + NEAR_SPANS * (hi - lo)]  # shown; a far one said
    start, end = min([lo, *near]) - pad, max([hi, *near]) + pad
    zero = start - BREAK_GAP / (1 - BREAK_GAP) * (end - start)  # where '0' is drawn, left of the break
    ticks = _spaced(zero, end, start)
    ax.set_xlim(zero, end)
    ax.set_xticks([zero, *ticks], ["0", *(tons(t) for t in ticks)])
    at = zero + (start - zero) * 0.5
    tr = blended_transform_factory(ax.transData, ax.transAxes)  # x in tons, y in the panel's height
    half = (end - zero) * BREAK_MARK
    ax.add_patch(Rectangle((at - 2 * half, -0.02), 4 * half, 0.04, transform=tr, color="white", clip_on=False,
                           zorder=4))  # a gap in the axis line
    for dx in (-half, half):
        ax.plot([at + dx - half, at + dx + half], [-0.04, 0.04], transform=tr, color="black", linewidth=1.4,
                clip_on=False, zorder=5, gid="axis-break")
    return start, end


def distribution_chart(samples: dict[str, Any], ids: Sequence[str], title: str, *, central: dict[str, float] | None = None,
                       thresholds: dict[str, float] | None = None) -> Any:
    """Histograms of Monte Carlo samples, one panel per pollutant (short tons, linear, from zero): P5, P50 and P95 dotted
    and solid, the central estimate and the threshold marked, and the share of draws above the threshold written.

    A panel whose draws would be a sliver against zero has a broken axis instead: '0', the break marked '//' on the
    axis line (and in the legend), then the draws' span; a threshold far off that span is written, not drawn.
    """
    import numpy as np

    central = central or {}
    thresholds = thresholds or {}
    ids = [p for p in ids if p in samples][:6]
    cols = 2 if len(ids) > 1 else 1
    rows = math.ceil(len(ids) / cols)
    drawn = {p: short_tons(np.asarray(samples[p], dtype=float)) for p in ids}
    broken = any(_sliver(float(v.min()), float(v.max())) for v in drawn.values() if v.size)
    entries = 2 + bool(central) + bool(thresholds) + broken  # the legend's, two a line
    fig, band, body = _canvas(2.5 * rows + 1.6, math.ceil(entries / 2))
    axes = body.subplots(rows, cols, squeeze=False)
    for ax, p in zip(axes.flat, ids):
        v = drawn[p]
        ax.hist(v, bins=30, color="0.75", edgecolor="0.35")
        q5, q50, q95 = np.percentile(v, [5, 50, 95])
        marks = [q5, q50, q95] + ([short_tons(central[p])] if p in central else []) + ([thresholds[p]] if p in thresholds else [])
        view = _axis_from_zero(ax, float(v.min()), float(v.max()), marks)
        for q, style in ((q5, ":"), (q50, "-"), (q95, ":")):
            ax.axvline(q, color="0.3", linestyle=style, linewidth=1.2)
        if p in central:
            ax.axvline(short_tons(central[p]), color="black", linestyle="-.", linewidth=1.6)
        head = f"{name(p)}: P50 {to_spread(float(q50), float(q5), float(q95))} {TONS}"  # as the tables round it
        if p in thresholds:
            t = thresholds[p]
            head += f"\nP(above {tons(t)} {TONS}) = {100 * float(np.mean(v > t)):.0f} %"
            if view is None or view[0] <= t <= view[1]:
                ax.axvline(t, color="black", linestyle="--", linewidth=2)
            else:
                head += "\n(threshold off the axis)"
        ax.set_title(head, loc="left")
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.3", linestyle="-", label="P50"), Line2D([], [], color="0.3", linestyle=":", label="P5, P95")]
    if central:
        handles.append(Line2D([], [], color="black", linestyle="-.", label="central estimate"))
    if thresholds:
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=2, label="major-source threshold"))
    if broken:
        handles.append(Line2D([], [], color="black", marker="$//$", markersize=12, linestyle="",
                              label="axis break after 0"))
    _legend(band, handles)
    body.supylabel("draws", fontsize=FONT_PT)
    _frame(fig, title, "emiss Monte Carlo over the preset's ranges; axes in US short tons a year, from zero")
    return fig


def tornado_chart(output: str, central: float, swings: Sequence[Any], scale: float, unit: str,
                  threshold: float | None = None) -> Any:
    """A tornado: the output with each uncertain input at its low and high end, largest swing on top. ``threshold``
    (a pollutant's major-source threshold, in the axis' unit) is drawn dashed across it, as on the other charts: which
    swings take the output across it reads without the numbers (memphis's NOx factor spans 33 to 411 tons, Title V's
    100 between them)."""
    every = list(swings)
    swings = [s for s in every if s.low_output != s.high_output]  # an input that moves nothing gets no empty row
    fig, band, body = _canvas(0.55 * len(swings) + 2.0, 2)
    ax = body.add_subplot()
    c = central * scale
    for i, s in enumerate(reversed(swings)):
        lo, hi = s.low_output * scale, s.high_output * scale
        ax.barh(i, lo - c, left=c, color="0.75", edgecolor="0.1", hatch="..")
        ax.barh(i, hi - c, left=c, color="0.35", edgecolor="0.1")
    ax.axvline(c, color="black", linewidth=1)
    if threshold is not None:
        ax.axvline(threshold, color="black", linestyle="--", linewidth=1.4)
    if c >= 0 and all(min(s.low_output, s.high_output) >= 0 for s in swings):
        ax.set_xlim(0, None)  # from zero, as every chart here: a swing that halves the output looks like half of it
    ax.set_yticks(range(len(swings)), [wrap(data.input_name(s.name), 22) for s in reversed(swings)])
    ax.set_xlabel(f"{name(output)} ({unit})")
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    # the line the bars grow from, named with its value: unlabelled, it read as an axis or a threshold
    _legend(band, [Patch(facecolor="0.75", edgecolor="0.1", hatch="..", label="input low"),
                   Patch(facecolor="0.35", edgecolor="0.1", label="input high"),
                   Line2D([], [], color="black", linewidth=1, label=f"all inputs central: {tons(c)}")]
            + ([Line2D([], [], color="black", linestyle="--", linewidth=1.4,
                       label=f"major-source threshold: {tons(threshold)}")] if threshold is not None else []))
    _frame(fig, f"What moves {name(output)}: each uncertain input from low to high, the others central",
           "emiss sensitivity; the preset's ranges (normal and lognormal inputs: P5 to P95)"
           + (f"; {len(every) - len(swings)} inputs that do not move it left out" if len(every) > len(swings) else ""))
    return fig


def panels_chart(labels: Sequence[str], panels: dict[str, Sequence[float]], title: str, source: str, *,
                 series: dict[str, dict[str, Any]] | None = None, xlabel: str = "",
                 thresholds: dict[str, float] | None = None, cols: int | None = None,
                 written: dict[str, Sequence[str]] | None = None, apart: tuple[str, str] | None = None) -> Any:
    """Small multiples: one panel per quantity, each on its own linear axis in its own unit (the panel's title).

    ``panels`` maps a panel title (with its unit) to one value per label (cluster sizes). ``series``, instead, maps
    a panel title to {series name: one value per label} (compare's scenarios), drawn as grouped bars.
    ``thresholds`` maps a panel title to a major-source threshold in the panel's unit, drawn dashed across it (a bar
    above the line is above the threshold, read without the numbers).
    ``cols``: panels side by side (default: two from four panels up). ``written`` maps a panel title to a text per
    label, written under that label (a bar too short to see beside the others still has its figure in the margin).
    ``apart`` (what the bars are, what the last bar is) draws the last label's bar apart, white and hatched, and
    names both in the legend (cluster --versus: the clusters on turbines, then a grid-powered site).
    """
    thresholds = {k: v for k, v in (thresholds or {}).items() if k in (series or panels)}
    keys = list(series or panels)
    cols = cols or (2 if len(keys) > 3 else 1)
    rows = math.ceil(len(keys) / cols)
    names = list(next(iter(series.values())).keys()) if series else []
    texts = [f"{k + 1}: {n}" for k, n in enumerate(names)] + list(apart or ())
    # two entries a line while each fits half the width; else one a line (a longer one ran off the figure's edge)
    ncol = 2 if all(len(t) <= LEGEND_HALF for t in texts) else 1
    entry_width = LEGEND_HALF + 4 if ncol == 2 else LEGEND_WHOLE
    tall = max((wrap(t, entry_width).count("\n") + 1 for t in texts), default=0)
    entries = len(texts) + bool(thresholds)
    fig, band, body = _canvas(2.3 * rows + 1.4, math.ceil(entries / ncol) * max(tall, 1) if entries else 0)
    axes = body.subplots(rows, cols, squeeze=False)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    for ax, key in zip(axes.flat, keys):
        if series:
            n = max(len(names), 1)
            for k, s in enumerate(names):
                if series[key][s] is not None:
                    ax.bar([k], [series[key][s]], 0.8, color=GRAYS[k % len(GRAYS)], hatch=HATCHES[k % len(HATCHES)],
                           edgecolor="0.1")
            ax.set_xticks(range(n), [str(k + 1) if series[key][s] is not None else f"{k + 1}: n/a" for k, s in enumerate(names)])
            ax.set_xlim(-0.6, n - 0.4)
        else:
            values = [v or 0 for v in panels[key]]
            near = len(labels) - (1 if apart else 0)
            ax.bar(range(near), values[:near], 0.6, color="0.55", edgecolor="0.1")
            if apart:
                ax.bar([near], values[near:], 0.6, color="white", edgecolor="0.1", hatch="//")
            under = (written or {}).get(key)
            ax.set_xticks(range(len(labels)), [f"{lb}\n{w}" if w else lb for lb, w in zip(labels, under)] if under else labels)
        ax.set_title(wrap(key, 24 if cols == 2 else WRAP_TEXT), loc="left")
        ax.set_ylim(0, None)
        if key in thresholds:
            ax.axhline(thresholds[key], color="black", linestyle="--", linewidth=1.4)
            ax.set_ylim(0, max(ax.get_ylim()[1], 1.1 * thresholds[key]))  # the line is always inside the panel
        ax.yaxis.set_major_locator(MaxNLocator(3))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: tons(x)))
    for ax in list(axes.flat)[len(keys):]:
        ax.axis("off")
    if xlabel:
        body.supxlabel(xlabel, fontsize=FONT_PT)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=GRAYS[k % len(GRAYS)], hatch=HATCHES[k % len(HATCHES)], edgecolor="0.1",
                     label=wrap(f"{k + 1}: {s}", entry_width)) for k, s in enumerate(names)]
    if apart:
        handles += [Patch(facecolor="0.55", edgecolor="0.1", label=wrap(apart[0], entry_width)),
                    Patch(facecolor="white", edgecolor="0.1", hatch="//", label=wrap(apart[1], entry_width))]
    if thresholds:
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.4, label="major-source threshold"))
    if handles:
        _legend(band, handles, ncol)
    _frame(fig, title, source)
    return fig


def _count(x: float, _: Any = None) -> str:
    """Return an axis tick with thousands separators (49,600, not 49600), and up to three significant figures below 10."""
    return f"{x:,.0f}" if abs(x) >= 10 or x == 0 else f"{x:.3g}"


def claim_span(claim: Any, scale: float, right: float) -> tuple[float, float]:
    """Return the span of the axis a claim allows, scaled: a figure with its tolerance, a range, the side of a bound
    ('at least' up to the axis' right end ``right``; 'at most' and a cap down to zero)."""
    lo, hi = claim.low * scale, claim.high * scale
    if claim.kind == "point":
        band = (claim.tolerance_abs if claim.tolerance_abs is not None else claim.tolerance * claim.low) * scale
        return lo - band, lo + band
    if claim.kind == "at-least":
        return lo, right
    if claim.kind in ("at-most", "cap"):
        return min(0.0, hi), hi
    return lo, hi


def _claim_label(claim: Any, headline: str) -> str:
    """Return what a claim's panel shows, with its unit, as the tables name it: 'NOx (short tons/yr)', 'Fleet capacity
    (MW)', 'Units (count)', 'Households, capacity view (homes)'; the titles said 'units' and 'households', with no unit
    and no view. ``headline``: the households view a claim without its own basis is judged on."""
    from emiss.core.outputs import OUTPUTS
    from emiss.report.views import output_name

    out = claim.output
    if out in data.POLLUTANTS:
        return f"{name(out)} (short tons/yr)"
    if out == "units":
        return "Units (count)"
    if out == "households":
        return f"Households, {claim.basis or headline} view (homes)"
    unit = OUTPUTS[out].short_unit if out in OUTPUTS else ""
    return output_name(out) + (f" ({unit})" if unit else "")


def claims_chart(pc: Any, ranges: dict[int, tuple[float, float]]) -> Any:
    """For each claim: the published figure or range, emiss's estimate, and the range the preset's inputs allow.

    Each panel is a linear axis from zero (a difference looks as big as it is, 247.00 against 247.05 MW as close as
    it is), with the span the claim allows shaded (its tolerance, or the side of a bound or cap): an estimate inside
    it agrees, and an estimate that does not (higher, lower, fails, above, below, exceeded) is a filled marker, so
    the verdict reads without the numbers.
    """
    from emiss.analysis.claims import FAILED
    from emiss.report.checks import VERDICT_WORDS
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    claims = list(pc.claims)
    failed = any(c.verdict in FAILED for c in claims)
    handles = [Line2D([], [], color="black", linewidth=3, label="published (range or figure)"),
               Patch(facecolor="0.88", label="what the claim allows (its tolerance; the side of a bound or cap)"),
               Line2D([], [], marker="o", markersize=8, color="white", markeredgecolor="black", linestyle="",
                      label="emiss estimate")]
    if failed:
        handles.append(Line2D([], [], marker="o", markersize=8, color="black", linestyle="",
                              label="emiss estimate: the claim does not hold"))
    if ranges:
        handles.append(Line2D([], [], color="0.6", linewidth=8, label="range the inputs allow (P5-P95)"))
    for h in handles:
        h.set_label(wrap(h.get_label(), 44))
    # the band holds every line of the legend (one entry a line), so it never runs into the title or the panels
    fig, band, body = _canvas(1.45 * len(claims) + 1.4, sum(h.get_label().count("\n") + 1 for h in handles))
    axes = body.subplots(len(claims), 1, squeeze=False)
    for k, (ax, c) in enumerate(zip(axes.flat, claims)):
        scale = short_tons(1.0) if c.claim.output in data.POLLUTANTS else 1.0
        lo, hi = c.claim.low * scale, c.claim.high * scale
        est = c.estimate * scale
        xs = [lo, hi, est] + (list(x * scale for x in ranges[k]) if k in ranges else [])
        span = claim_span(c.claim, scale, max(xs))
        xs += [x for x in span if math.isfinite(x)]
        pad = (max(xs) - min(min(xs), 0)) * 0.08 or max(abs(est), 1) * 0.15
        left, right = (0.0 if min(xs) >= 0 else min(xs) - pad), max(xs) + pad
        s0, s1 = claim_span(c.claim, scale, right)
        ax.axvspan(max(s0, left), min(s1, right), color="0.88", zorder=0, linewidth=0)
        if k in ranges:
            r0, r1 = (x * scale for x in ranges[k])
            ax.plot([r0, r1], [0, 0], color="0.6", linewidth=8, solid_capstyle="butt")
        if hi > lo:
            ax.plot([lo, hi], [0, 0], color="black", linewidth=3)
        else:
            ax.plot([lo], [0], marker="|", markersize=18, color="black", markeredgewidth=2.5, linestyle="")
        bad = c.verdict in FAILED
        ax.plot([est], [0], marker="o", markersize=8, color="black" if bad else "white", markeredgecolor="black",
                linestyle="", zorder=3)
        label = _claim_label(c.claim, pc.result.scenario.households_method)
        ax.set_yticks([])
        verdict = VERDICT_WORDS.get(c.verdict, c.verdict)  # in the tables' words: 'not comparable', not its id
        ax.set_title(wrap(f"{label}, {c.claim.who.split(',')[0]}, {c.claim.when}: {verdict}"), loc="left")
        ax.set_xlim(left, right)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(_count))
        for side in ("left", "top", "right"):
            ax.spines[side].set_visible(False)
    _legend(band, handles, ncol=1)
    # named as the page and the tables name the preset (its title), its id after it: a chart taken on its own by a
    # graphics desk said only 'southaven-2025'
    named = f"{pc.title} ({pc.name})" if pc.title else pc.name
    _frame(fig, f"Published figures against emiss: {named}", "the claims' sources (see the tables); emiss check")
    return fig


def chart_paths(paths: Sequence[str], slugs: Sequence[str]) -> list[tuple[int, str]]:
    """Return (chart index, file) for each chart to save: every --chart FILE gets the first chart; a command that
    draws several (Monte Carlo, check --all) writes the others beside it as FILE-<slug>.<suffix>."""
    out = []
    for path in paths:
        stem, _, suffix = path.rpartition(".")
        for i, slug in enumerate(slugs):
            out.append((i, path if i == 0 else f"{stem}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', slug).strip('-')}.{suffix}"))
    return out


def save(fig: Any, path: str, *, close: bool = True, svg: str | None = None) -> None:
    """Save ``fig`` as SVG or PNG by the file's suffix (PNG at 200 dpi: 1,000 px wide). ``svg``: the figure's SVG text
    already rendered this run (render_svg), written as it is instead of drawing the figure again."""
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix not in ("svg", "png"):
        from emiss.errors import InputError

        raise InputError(f"'{path}' must end in .svg or .png", where="--chart", usage=True)
    if suffix == "svg" and svg is not None:
        with open(path, "w", encoding="utf-8") as fh:  # as matplotlib writes an SVG file: text, UTF-8
            fh.write(svg)
    else:
        fig.savefig(path, format=suffix, metadata={"Date": None} if suffix == "svg" else None, dpi=200 if suffix == "png" else None)
    if close:
        _plt().close(fig)


def render_svg(fig: Any) -> str:
    """Return ``fig`` drawn as an SVG file's text (what save writes to FILE.svg). A run draws each figure once and
    gives this text to every --chart FILE.svg and to the HTML page (inline_svg)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def inline_svg(text: str) -> str:
    """Return an SVG file's text as inline SVG for the HTML report: from its <svg> element, without its metadata."""
    text = text[text.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF namespaces only; nothing to load

