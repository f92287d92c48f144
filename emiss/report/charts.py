"""Charts for people who will not read the numbers. The only module that imports matplotlib, and only when asked.

Every chart has a title that says what is shown, axis labels with units, the source line under it, and is
readable in grayscale (hatching and gray levels, never colour alone).
"""

from __future__ import annotations

import io
import math
import re
from typing import Any, Sequence

from emiss.core.outputs import OUTPUTS, short_tons

GRAYS = ("0.15", "0.55", "0.8", "0.35", "0.65")
HATCHES = ("", "//", "..", "xx", "\\\\")
CRITERIA = ("nox", "co", "voc", "pm", "so2", "hcho", "hap")


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "path", "axes.spines.top": False,
                         "axes.spines.right": False, "figure.dpi": 100})
    return plt


def _source(fig: Any, text: str) -> None:
    fig.text(0.01, 0.01, "Source: " + text, fontsize=7, color="0.25", wrap=True, va="bottom")


def emissions_chart(result: Any) -> Any:
    """Bars of annual emissions per pollutant (log scale) with the thresholds that apply; partial totals hatched."""
    plt = _plt()
    ids = [p for p in CRITERIA if p in result.emissions]
    tons = [short_tons(result.emissions[p].lb_per_year) for p in ids]
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for i, (p, v) in enumerate(zip(ids, tons)):
        e = result.emissions[p]
        ax.bar(i, max(v, 1e-3), color="0.45" if e.complete else "white", edgecolor="0.1", hatch="" if e.complete else "//",
               label=None)
        ax.text(i, max(v, 1e-3) * 1.15, f"{v:,.0f}" if v >= 10 else f"{v:.2g}", ha="center", fontsize=8)
    marks = {}
    for s in result.screening:
        if s.pollutant in ids and (s.threshold_id.startswith("title_v") or s.threshold_id.startswith("hap")):
            marks[s.pollutant] = s.threshold_tons
    for p, t in marks.items():
        i = ids.index(p)
        ax.plot([i - 0.4, i + 0.4], [t, t], color="black", linestyle="--", linewidth=1.2)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color="black", linestyle="--", label="major-source threshold (Title V; HAP 10 / 25)"),
               Patch(facecolor="0.45", edgecolor="0.1", label="complete total")]
    if any(not result.emissions[p].complete for p in ids):
        handles.append(Patch(facecolor="white", edgecolor="0.1", hatch="//", label="incomplete: some units have no factor"))
    ax.set_yscale("log")
    ax.set_xticks(range(len(ids)), [p.upper() if p != "hcho" else "HCHO" for p in ids])
    ax.set_ylabel("US short tons per year (log scale)")
    sc = result.scenario
    ax.set_title(f"Annual emissions against major-source thresholds\n{sc.title or sc.name}", fontsize=10, loc="left")
    ax.legend(handles=handles, fontsize=7, frameon=False, loc="upper right")
    fig.subplots_adjust(bottom=0.2, top=0.84)
    _source(fig, "emiss estimate; factors from EPA AP-42 s.3.1/3.2 and 40 CFR 98 (see the tables); thresholds: Clean Air Act "
                 "s.302(j), s.112 (screening, not an applicability determination)")
    return fig


def tornado_chart(output: str, central: float, swings: Sequence[Any], scale: float, unit: str) -> Any:
    """A tornado: the output with each uncertain input at its low and high end, largest swing on top."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(swings) + 1.8))
    c = central * scale
    for i, s in enumerate(reversed(list(swings))):
        lo, hi = s.low_output * scale, s.high_output * scale
        ax.barh(i, lo - c, left=c, color="0.75", edgecolor="0.1", hatch="..")
        ax.barh(i, hi - c, left=c, color="0.35", edgecolor="0.1")
    ax.axvline(c, color="black", linewidth=1)
    ax.set_yticks(range(len(swings)), [s.name for s in reversed(list(swings))], fontsize=7)
    ax.set_xlabel(f"{output} ({unit})")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor="0.75", edgecolor="0.1", hatch="..", label="input at its low end"),
                       Patch(facecolor="0.35", edgecolor="0.1", label="input at its high end")],
              fontsize=7, frameon=False, loc="lower right")
    ax.set_title(f"What moves {output}: each uncertain input from low to high, the others central", fontsize=10, loc="left")
    fig.subplots_adjust(left=0.42, bottom=0.18)
    _source(fig, "emiss sensitivity; the preset's ranges (normal and lognormal inputs: P5 to P95)")
    return fig


def distribution_chart(samples: dict[str, Any], ids: Sequence[str], title: str) -> Any:
    """Histograms of Monte Carlo samples, one panel per pollutant, with P5, P50 and P95 marked."""
    import numpy as np

    plt = _plt()
    ids = [p for p in ids if p in samples][:6]
    cols = 2 if len(ids) > 1 else 1
    rows = math.ceil(len(ids) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(7.5, 2.3 * rows + 0.9), squeeze=False)
    for ax, p in zip(axes.flat, ids):
        v = short_tons(np.asarray(samples[p]))
        ax.hist(v, bins=40, color="0.6", edgecolor="0.3")
        for q, style in zip(np.percentile(v, [5, 50, 95]), (":", "-", ":")):
            ax.axvline(q, color="black", linestyle=style, linewidth=1)
        q5, q50, q95 = np.percentile(v, [5, 50, 95])
        ax.set_title(f"{p}: P5 {q5:,.0f}, P50 {q50:,.0f}, P95 {q95:,.0f}" if q5 >= 10 else f"{p}: P5 {q5:.3g}, P50 {q50:.3g}, P95 {q95:.3g}",
                     fontsize=8, loc="left")
        ax.set_xlabel("US short tons per year", fontsize=8)
        ax.set_yticks([])
        from matplotlib.ticker import FuncFormatter, MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:,.0f}" if abs(x) >= 10 else f"{x:.2g}"))
    for ax in list(axes.flat)[len(ids):]:
        ax.axis("off")
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    fig.subplots_adjust(hspace=0.75, bottom=0.16, top=0.86)
    _source(fig, "emiss Monte Carlo over the preset's ranges; solid line P50, dotted P5 and P95")
    return fig


def grouped_chart(labels: Sequence[str], series: dict[str, Sequence[float]], ylabel: str, title: str, source: str,
                  *, log: bool = True) -> Any:
    """Grouped bars: one group per category, one bar per series (compare's columns, cluster sizes)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    n = max(len(series), 1)
    width = 0.8 / n
    for k, (name, values) in enumerate(series.items()):
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(labels))]
        ax.bar(xs, [max(v or 0, 1e-3) for v in values], width, label=name, color=GRAYS[k % len(GRAYS)],
               hatch=HATCHES[k % len(HATCHES)], edgecolor="0.1")
    ax.set_xticks(range(len(labels)), labels)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False)
    fig.subplots_adjust(bottom=0.2)
    _source(fig, source)
    return fig


def claims_chart(pc: Any, ranges: dict[int, tuple[float, float]]) -> Any:
    """For each claim: the published figure or range, emiss's estimate, and the range the preset's inputs allow."""
    plt = _plt()
    claims = list(pc.claims)
    fig, axes = plt.subplots(len(claims), 1, figsize=(7.5, 1.0 * len(claims) + 1.2), squeeze=False)
    for k, (ax, c) in enumerate(zip(axes.flat, claims)):
        scale = OUTPUTS[c.claim.output].shown[0]
        lo, hi = c.claim.low * scale, c.claim.high * scale
        est = c.estimate * scale
        if k in ranges:
            r0, r1 = (x * scale for x in ranges[k])
            ax.plot([r0, r1], [0, 0], color="0.6", linewidth=8, solid_capstyle="butt", label="range the inputs allow (P5-P95)")
        if hi > lo:
            ax.plot([lo, hi], [0, 0], color="black", linewidth=3, label="published range")
        else:
            ax.plot([lo], [0], marker="|", markersize=18, color="black", markeredgewidth=2.5, linestyle="", label="published")
        ax.plot([est], [0], marker="o", markersize=7, color="white", markeredgecolor="black", linestyle="", label="emiss estimate")
        unit = "short tons/yr" if scale != 1.0 else "" if c.claim.output in ("units", "households") else c.claim.output
        ax.set_yticks([])
        ax.set_title(f"{c.claim.output} ({unit}) - {c.claim.who.split(',')[0]}, {c.claim.when}: {c.verdict}", fontsize=8, loc="left")
        xs = [lo, hi, est] + (list(x * scale for x in ranges[k]) if k in ranges else [])
        pad = (max(xs) - min(xs)) * 0.15 or max(abs(est), 1) * 0.15
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        for side in ("left", "top", "right"):
            ax.spines[side].set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    for ax in axes.flat[1:]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, fontsize=7, frameon=False, loc="upper right", ncol=2)
    fig.suptitle(f"Published figures against emiss: {pc.name}", fontsize=10, x=0.01, ha="left")
    fig.subplots_adjust(hspace=1.2, top=1 - 0.9 / (len(claims) + 1.2), bottom=0.25 / (len(claims) * 0.3 + 0.4))
    _source(fig, "the claims' sources (see the tables); emiss check")
    return fig


def save(fig: Any, path: str) -> None:
    """Save ``fig`` as SVG or PNG by the file's suffix."""
    suffix = path.rsplit(".", 1)[-1].lower()
    if suffix not in ("svg", "png"):
        from emiss.errors import InputError

        raise InputError(f"'{path}' must end in .svg or .png", where="--chart", usage=True)
    fig.savefig(path, format=suffix, metadata={"Date": None} if suffix == "svg" else None)
    _plt().close(fig)


def svg_text(fig: Any) -> str:
    """Return ``fig`` as inline SVG text (for the HTML report)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    _plt().close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    return re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)  # RDF namespaces only; nothing to load
