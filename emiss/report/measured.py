"""Documents and views of measured data: the measured-factor classes, `emiss measured` and `emiss track`.

Builds dicts, rows and views (no rich, no click); render encodes them.
"""

from __future__ import annotations

from typing import Any

from emiss.analysis.track import MISSING, SHOWN

from emiss.data import pollutant_name
from emiss.report.views import EXACT_INTEGERS, Cell, Column, Document, Line, Table, View, human

MEASURED_FIELDS = ("class", "pollutant", "size_band", "count", "p10", "p50", "p90", "unit", "source")
AP42_CONTROL = {"none": "uncontrolled", "water-steam": "water-steam", "dry-low-nox": "lean-premix",
                "scr": "uncontrolled", "water-steam+scr": "water-steam", "dry-low-nox+scr": "lean-premix"}


def measured_rows() -> list[dict[str, Any]]:
    """Return the measured classes, one row per class, pollutant and size band ("all" first)."""
    from emiss.data.measured import table

    return [{"class": r.cls, "pollutant": r.pollutant, "size_band": r.size_band, "count": r.count, "p10": r.p10,
             "p50": r.p50, "p90": r.p90, "unit": r.unit, "source": r.source} for r in table()[1]]


def _ap42(cls: str, pollutant: str) -> str:
    from emiss.data import library_factor

    if pollutant == "co2":
        f = library_factor("co2", "turbine", "any")
    else:
        f = library_factor(pollutant, "turbine", AP42_CONTROL[cls])
    if f is None:
        return "-"
    from emiss.core.units import multiplier

    return f"{f.value * multiplier(f.unit, 'lb/MMBtu'):.4g}"


def measured_view() -> View:
    """Return the measured classes beside the library factor emiss uses for the same combustor (lb/MMBtu, HHV)."""
    from emiss.data.measured import table

    meta, rows = table()
    tables: list[Table] = []
    for pollutant in dict.fromkeys(r.pollutant for r in rows):
        # one table per pollutant, so the table fits 80 columns without folding a number
        t = Table(f"Measured {pollutant_name(pollutant)} of monitored gas turbines, lb/MMBtu (HHV), "
                  "heat-input-weighted percentiles",
                  # a class and a band are never broken inside: 'water-steam+sc' over 'r' in the SO2 table at 80
                  tuple(Column(c, align="left" if c in ("class", "band") else "right", whole=c in ("class", "band"))
                        for c in ("class", "band", "units", "P10", "P50", "P90", "library")))
        for r in rows:
            if r.pollutant == pollutant:
                t.rows.append((r.cls, r.size_band, str(r.count), f"{r.p10:.3g}", f"{r.p50:.3g}", f"{r.p90:.3g}",
                               _ap42(r.cls, r.pollutant) if r.size_band == "all" else ""))
        tables.append(t)
    ex = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in meta["excluded"].items() if k != "not_measured_gas_turbine")
    return [*tables, Line(f"Source: {meta['source']} (sha256 {meta['sha256'][:12]}…, status {meta['status']}); "
                    f"{meta['units']} units. Left out: {ex}."),
            Line("Library factor: AP-42 s.3.1 Table 3.1-1 for the combustor (no add-on control: AP-42 has no SCR "
                 "factor), Part 98 Table C-1 for CO2, AP-42 Table 3.1-2a for SO2."),
            Line(f"Size band: {meta['size_band']}. Quantiles: {meta['quantiles']}.")]


TRACK_FIELDS = ("unit", "pollutant", "month", "tons", "basis", "rolling_tons", "window_months", "window_complete",
                "cap_tons", "margin_tons", "crossed", "tons_unit")  # tons_unit last: added, the columns before it kept


# the 'crossed' column of the track table: an incomplete window under its cap is unknown, never 'no'
CROSSED = "#b00000"  # a window above its cap on the track chart: the table's alert red, and a shape of its own in grey
MONTH_LABELS = 6  # month labels under a track panel at most: 'YYYY-MM' at 11 pt, turned 30 degrees, across 5 in
CROSSED_CELL = {True: Cell("yes", "alert"), None: Cell("unknown", "bold"), False: "no"}
# left out where a track table would otherwise be stacked (60 columns): how a month's tons were had, how many months a
# window holds (with a cap: 'crossed' says 'unknown' for an incomplete one), a unit's last sum and its bases; the
# month's tons, the sums, the margin to the cap and the verdict stay
TRACK_SECONDARY = ("basis", "months in window", "last 12-month sum", "bases")


def _t(x: float | None) -> str:
    """Tons for the track tables: three decimals below 100, one above, an exponent where digits would be noise."""
    return "-" if x is None else f"{x:,.3f}" if abs(x) < 100 else f"{x:,.1f}" if abs(x) < EXACT_INTEGERS else f"{x:.4g}"


def track_view(doc: dict[str, Any]) -> View:
    """Return the facility's monthly and 12-month rolling sums per pollutant against its cap, then each unit's peak."""
    view: View = []
    pols = list(dict.fromkeys(r["pollutant"] for r in doc["rows"]))
    caps = {c["pollutant"]: c for c in doc["caps"]}
    for p in pols:
        cap = caps.get(p)
        title = f"{pollutant_name(p)} for the facility, short tons: month and 12-month rolling sum" + \
            (f" against the cap of {_t(cap['cap_tons'])} ({cap['text']}; {cap['source']})" if cap else " (no cap given)")
        heads = ("month", "tons", "basis", "12-month sum", "months in window", "margin") + (("crossed",) if cap else ())
        # without a cap there is no 'crossed' (the window column says '(incomplete)') and no margin ('-' a row)
        spare = TRACK_SECONDARY if cap else tuple(c for c in TRACK_SECONDARY if c != "months in window") + ("margin",)
        t = Table(title, tuple(Column(c, align="left" if c in ("month", "basis", "crossed") else "right",
                                      secondary=c in spare) for c in heads))
        for r in doc["rows"]:
            if r["unit"] == "facility" and r["pollutant"] == p:
                # 'unknown' in the crossed column says the window is incomplete: said once, the table fits 80 columns
                said = r["window_complete"] or (cap is not None and r["crossed"] is None)
                window = f"{r['window_months']}" + ("" if said else " (incomplete)")
                margin = Cell(_t(r["margin_tons"]), "alert") if r["crossed"] else _t(r["margin_tons"])
                tons = _t(r["tons"])  # a month no unit gave a value for has no tons (null in JSON): '-', not 0.000
                t.rows.append((r["month"], tons, r["basis"], _t(r["rolling_tons"]), window, margin)
                              + ((CROSSED_CELL[r["crossed"]],) if cap else ()))
        view.append(t)
    u = Table("Each unit's highest 12-month rolling sum, short tons",
              tuple(Column(c, align="left" if c in ("unit", "pollutant", "in", "bases") else "right",
                           secondary=c in TRACK_SECONDARY)
                    for c in ("unit", "pollutant", "highest 12-month sum", "in", "last 12-month sum", "bases")))
    peaks: dict[tuple[str, str], dict[str, Any]] = {}
    last: dict[tuple[str, str], dict[str, Any]] = {}
    bases: dict[tuple[str, str], set[str]] = {}
    for r in doc["rows"]:
        if r["unit"] == "facility":
            continue
        k = (r["unit"], r["pollutant"])
        if k not in peaks or r["rolling_tons"] > peaks[k]["rolling_tons"]:
            peaks[k] = r
        last[k] = r
        bases.setdefault(k, set()).add(r["basis"].split(",")[0])
    for k, r in peaks.items():
        if bases[k] == {MISSING}:  # a unit of the preset no log names: its sums are not 0.000 but not known at all
            u.rows.append((k[0], pollutant_name(k[1]), "unknown", "-", "unknown", MISSING))
            continue
        u.rows.append((k[0], pollutant_name(k[1]), _t(r["rolling_tons"]), r["month"], _t(last[k]["rolling_tons"]), ", ".join(sorted(bases[k]))))
    view.append(u)
    for p, month in doc["first_crossing"].items():
        c = caps[p]
        if month:
            row = next(r for r in doc["rows"] if r["unit"] == "facility" and r["pollutant"] == p and r["month"] == month)
            view.append(Line(f"{pollutant_name(p)}: the 12-month sum crosses the cap of {_t(c['cap_tons'])} short tons first in {month} "
                             f"({_t(row['rolling_tons'])})", "alert"))
        else:
            fac = [r for r in doc["rows"] if r["unit"] == "facility" and r["pollutant"] == p]
            whole = sum(1 for r in fac if r["window_complete"])
            unknown = sum(1 for r in fac if r["crossed"] is None)
            if whole == 0:  # nothing judged: no window holds twelve whole months yet
                view.append(Line(f"{pollutant_name(p)}: no complete 12-month window yet, so the cap of {_t(c['cap_tons'])} short tons "
                                 "cannot be judged; the sums so far stay under it", "bold"))
            elif unknown:  # a partial sum under the cap is a lower bound: never 'stays under'
                latest = fac[-1]["crossed"] is None
                view.append(Line(f"{pollutant_name(p)}: no 12-month sum is above the cap of {_t(c['cap_tons'])} short tons; {whole} "
                                 f"complete window(s) stay under it, {unknown} incomplete one(s) are unknown"
                                 + (f", the latest ({fac[-1]['month']}) among them" if latest else ""),
                                 "bold" if latest else ""))
            else:
                view.append(Line(f"{pollutant_name(p)}: every 12-month sum stays under the cap of {_t(c['cap_tons'])} short tons "
                                 f"({whole} complete window(s) of {len(fac)})"))
    view += [Line(n) for n in doc["notes"]]
    view.append(Line("A window is incomplete when it has fewer than 12 months of log or holds a gap, a month missing "
                     "for a unit, a month only partly logged, a blank or an estimate without heat input; tons are US "
                     "short tons (2,000 lb)."))
    if caps:
        view.append(Line("crossed: yes when the 12-month sum is above the cap, even from an incomplete window (its sum is "
                         "a lower bound); unknown when an incomplete window's sum is under the cap; no when a complete "
                         "window's sum is at or under it."))
    return view


def track_chart(doc: dict[str, Any]) -> Any:
    """Draw the facility's 12-month rolling sums against the caps, one panel per pollutant, in the house layout
    (charts._canvas and _frame: the legend in its own band, the title and source never over the data): each month's
    tons as a bar, the rolling sum as a line, a window that leaves months or rows out hollow (a lower bound), a
    window above its cap as a filled triangle, and the panel's title naming the first month above it."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from emiss.report.charts import _canvas, _frame, _legend, name, tons

    pols = list(dict.fromkeys(r["pollutant"] for r in doc["rows"]))
    caps = {c["pollutant"]: c for c in doc["caps"]}
    fig, band, body = _canvas(2.3 * len(pols) + 0.9, 3 if caps else 2)
    axes = body.subplots(len(pols), 1, squeeze=False)
    shown = {"part": False, "above": False}  # the legend keys only what some panel draws
    for ax, p in zip(axes[:, 0], pols):
        rows = [r for r in doc["rows"] if r["unit"] == "facility" and r["pollutant"] == p]
        xs = list(range(len(rows)))
        ax.bar(xs, [0.0 if r["tons"] is None else r["tons"] for r in rows], 0.7, color="0.8")  # no value: no bar
        ax.plot(xs, [r["rolling_tons"] for r in rows], color="0.15", marker="o", markersize=4)
        part = [i for i, r in enumerate(rows) if not r["window_complete"]]
        ax.plot(part, [rows[i]["rolling_tons"] for i in part], linestyle="none", marker="o", markersize=5,
                markerfacecolor="white", markeredgecolor="0.15")
        above = [i for i, r in enumerate(rows) if r["crossed"] is True]
        shown["part"], shown["above"] = shown["part"] or bool(part), shown["above"] or bool(above)
        ax.plot(above, [rows[i]["rolling_tons"] for i in above], linestyle="none", marker="^", markersize=8, color=CROSSED)
        title = f"{name(p)}, short tons"
        if p in caps:
            ax.axhline(caps[p]["cap_tons"], color="black", linestyle="--", linewidth=1.2)
            title += f": above the cap ({caps[p]['text']}) from {rows[above[0]]['month']}" if above else f", cap {caps[p]['text']}"
        ax.set_title(title, loc="left")
        ax.set_ylim(0, None)
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: tons(x)))
        step = -(-len(rows) // MONTH_LABELS)
        ax.set_xticks(xs[::step], [r["month"] for r in rows][::step], rotation=30, ha="right")
    # in two columns, filled down: the long label second, so that both columns fit across 5 in
    handles = [Line2D([], [], color="0.15", marker="o", markersize=4, label="12-month sum")]
    if shown["above"]:
        handles.append(Line2D([], [], linestyle="none", marker="^", markersize=8, color=CROSSED, label="above the cap"))
    if caps:
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.2, label="annual cap"))
    if shown["part"]:
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=5, markerfacecolor="white",
                              markeredgecolor="0.15", label="incomplete: a lower bound"))
    handles.append(Patch(facecolor="0.8", label="the month's tons"))
    _legend(band, handles)
    _frame(fig, "12-month rolling sums against the caps (facility)",
           "operating log " + ", ".join(f["file"] for f in doc["files"]) + "; emiss track")
    return fig


MEASURED_CMP_FIELDS = ("unit", "facility", "period", "unit_type", "fuel", "controls", "class", "size_band", "operating_hours",
                       "heat_input_mmbtu", "rows", "operating_rows", "rows_without_heat_input", "substituted_heat_input") + tuple(
    f"{p}_{k}" for p in ("nox", "so2", "co2") for k in ("lb", "lb_per_mmbtu", "missing_rows", "substituted_rows",
                                                          "estimate_ap42_lb", "estimate_measured_lb", "ratio_ap42",
                                                          "ratio_measured")) + (
    "period_complete", "period_logged", "period_of", "period_by")  # added after the columns already there


def _g(x: float | None, fmt: str = ".3g") -> str:
    return "-" if x is None else format(x, fmt)


# The tables of `emiss measured`, one per question so that each fits 80 columns unwrapped (ten columns in one wrapped
# its headings at 100): what was read per unit and period, then per pollutant the measured rate beside each estimate
# and measured / estimated. Every pollutant table heads its columns alike: 'measured', 'est. <basis>', '/<basis>'.
MEASURED_TABLES = (
    ("NOx, lb/MMBtu (HHV): measured beside estimated", "nox",
     (("AP-42", "nox_estimate_ap42_lb", "nox_ratio_ap42"), ("P50", "nox_estimate_measured_lb", "nox_ratio_measured")),
     (".3g", ".3g", ".2f")),
    ("CO2, lb/MMBtu (HHV): measured beside estimated", "co2",
     (("Part 98", "co2_estimate_ap42_lb", "co2_ratio_ap42"),), (".4g", ".4g", ".3f")),
    ("SO2, lb/MMBtu (HHV): measured beside estimated", "so2",
     (("AP-42", "so2_estimate_ap42_lb", "so2_ratio_ap42"),), (".2g", ".2g", ".2f")),
)  # (title, pollutant, (basis heading, estimate key, ratio key) each, formats of the measured, estimate and ratio)


SECOND_BASIS = "the P50 (measured-class) estimate and ratio"  # what a narrow terminal's note says was left out


def _hours(h: float) -> str:
    """Operating hours as read: whole hours as a whole number, a fraction kept (CAMPD's op_time is a fraction of an
    hour: '2.5' was printed '2', rounded half to even)."""
    return f"{h:,.0f}" if h == int(h) else human(h)


def compare_view(rows: list[dict[str, Any]], notes: list[str]) -> View:
    """Return, per unit and period, the operating hours and heat input read, then each pollutant's measured rate beside
    the estimates (lb/MMBtu) and measured / estimated, for people."""
    def left(c: str) -> bool:
        return c in ("unit", "period", "class")

    # the facility by name beside the unit's ids ('3/6A' is EPA's plant code and unit id, which no reader knows as
    # Barry, Alabama); the tables after it keep to the ids, to fit 80 columns
    read = Table("Read per unit and period: hours and heat input",
                 tuple(Column(c, align="left" if left(c) or c == "facility" else "right", fold=c == "facility",
                              secondary=c == "facility")
                       for c in ("unit", "facility", "period", "class", "hours", "MMBtu")))
    tables = [read]
    for r in rows:
        period = r["period"] + ("" if r["period_complete"] else " *")  # a partial period: its sums are a lower bound
        read.rows.append((r["unit"], r["facility"] or "-", period, r["class"] or "-", _hours(r["operating_hours"]),
                          f"{r['heat_input_mmbtu'] or 0.0:,.0f}"))
    for title, pol, bases, (f_rate, f_est, f_ratio) in MEASURED_TABLES:
        heads = ("unit", "period", "measured", *(f"est. {b}" for b, _, _ in bases), *(f"/{b}" for b, _, _ in bases))
        # the measured-class (P50) basis, the second, may go where the table would be drawn one row per block (60
        # columns), its estimate and ratio together, said in a note; the AP-42 basis, emiss's default, stays
        t = Table(title, tuple(Column(c, align="left" if left(c) else "right", secondary=c.endswith("P50"),
                                      group=SECOND_BASIS if c.endswith("P50") else "") for c in heads))
        for r in rows:
            heat = r["heat_input_mmbtu"] or 0.0
            t.rows.append((r["unit"], r["period"], _g(r[f"{pol}_lb_per_mmbtu"], f_rate),
                           *(_g(r[est] / heat if heat and r[est] is not None else None, f_est) for _, est, _ in bases),
                           *(_g(r[ratio], f_ratio) for _, _, ratio in bases)))
        tables.append(t)
    from emiss.data.measured import table

    meta = table()[0]
    part = partial_periods(rows)
    star = [Line("* a partial period: its rows cover only part of it (each said below), so its masses, hours and heat "
                 "input are a lower bound for the period.")] if part else []
    return [*tables, *star, *(Line(n) for n in notes),
            Line("est.: the estimate for the same heat input; /: measured / estimated; MMBtu: heat input, HHV; class: the "
                 "unit's NOx controls. AP-42: s.3.1 Table 3.1-1 for the unit's combustor; P50: the heat-input-weighted median of monitored "
                 f"units of the same class and size band ({meta['source']}); CO2: 40 CFR 98 Table C-1; SO2: AP-42 "
                 "Table 3.1-2a. Masses, P50-based SO2 and CO2 estimates and counts are in --format json/csv.")]


def partial_periods(rows: list[dict[str, Any]]) -> str:
    """Say the periods an export covers only in part: '55/GT1 2024: 3 of 8,784 hours', the first few ('' when none)."""
    part = [f"{r['unit']} {r['period']}: {r['period_logged']:,} of {r['period_of']:,} {r['period_by']}"
            for r in rows if not r["period_complete"]]
    return "; ".join(part[:SHOWN]) + (f"; ... ({len(part) - SHOWN} more)" if len(part) > SHOWN else "")


def measured_document() -> Document:
    """Return the measured classes: a view with the library factor beside, the rows as JSON and as flat rows."""
    return Document(view=measured_view, data=measured_rows, rows=measured_rows, fields=MEASURED_FIELDS)


def track_document(doc: dict[str, Any]) -> Document:
    """Return what `emiss track` prints: the view, the whole document as JSON, one row per unit, pollutant and month.

    An unknown crossing (null in JSON and NDJSON) is written 'unknown' in CSV and TSV, where an empty cell would read
    as 'no'; a row with no cap (a unit's, or a pollutant's without one) has nothing to cross: null in JSON, an empty
    cell in CSV and TSV, as its cap_tons and margin_tons. When the latest window of a capped pollutant is unknown, the machine formats say so on stderr as well
    (the table says it in its summary line): exit 0 then means no crossing was found, not that none happened.
    """
    def flat(fmt: str) -> str:
        import io

        from emiss.report.render import write_rows

        buf = io.StringIO()
        write_rows(({**r, "crossed": "unknown"} if r["crossed"] is None and r["cap_tons"] is not None else r
                    for r in doc["rows"]), buf, fmt, TRACK_FIELDS)
        return buf.getvalue()

    latest: dict[str, dict[str, Any]] = {}
    for r in doc["rows"]:
        if r["unit"] == "facility":
            latest[r["pollutant"]] = r
    open_ = [f"{pollutant_name(p, in_text=True)} {r['month']} ({_t(r['rolling_tons'])} of {_t(r['cap_tons'])} short tons, a lower bound)"
             for p, r in latest.items() if r["crossed"] is None and r["cap_tons"] is not None]
    said = ("the latest 12-month window is incomplete and not above its cap, so whether it crosses is unknown: "
            + "; ".join(open_)) if open_ else ""
    gone = [f"{m['unit']} {m['from']}" + (f" to {m['to']}" if m["to"] != m["from"] else "") for m in doc.get("missing", ())]
    if gone:  # the rows say 'missing' per unit and month; a reader of the machine formats is told which units, once
        said += ("; " if said else "") + ("months with no rows for a unit that has rows in others are missing data, "
                                          "not zero (basis 'missing'): " + "; ".join(gone))
    part = [f"{m['unit']} {m['month']} ({m['logged']} of {m['of']} {m['by']})" for m in doc.get("partial", ())]
    if part:  # as 'missing': the rows say it per unit and month, the machine formats' reader is told once
        more = f"; ... ({len(part) - SHOWN} more)" if len(part) > SHOWN else ""
        said += ("; " if said else "") + ("months only partly logged are missing data, their sums lower bounds: "
                                          + "; ".join(part[:SHOWN]) + more)
    twice = [f"{r['unit']} ({r['rows']})" for r in doc.get("repeated", ())]
    if twice:  # nothing is left out unsaid: a machine format's reader is told of the rows counted once, as the table's
        said += ("; " if said else "") + ("rows equal in every cell to an earlier one (a log exported or given twice) "
                                          "counted once: " + "; ".join(twice))
    return Document(view=lambda: track_view(doc), data=lambda: doc, rows=lambda: doc["rows"], fields=TRACK_FIELDS,
                    texts={"csv": lambda: flat("csv"), "tsv": lambda: flat("tsv")},
                    notes=dict.fromkeys(("json", "csv", "tsv", "ndjson"), said) if said else {})


def compare_document(rows: list[dict[str, Any]], notes: list[str]) -> Document:
    """Return what `emiss measured` prints: the view, {rows, notes} as JSON, the rows flat. A partial period (an
    export covering only part of it) is said on stderr for CSV, TSV and NDJSON, which have no notes, as track says a
    partly logged month: its rows' period_complete is false."""
    part = partial_periods(rows)
    said = (f"periods only partly covered by the rows (period_complete false): {part}; their masses, hours and heat "
            "input are of the logged part, a lower bound") if part else ""
    return Document(view=lambda: compare_view(rows, notes), data=lambda: {"rows": rows, "notes": notes}, rows=lambda: rows,
                    fields=MEASURED_CMP_FIELDS, notes=dict.fromkeys(("csv", "tsv", "ndjson"), said) if said else {})
