"""The regulatory screening as plain data: one JSON entry per row, the text of a table cell, and the lines that say
what each enforceable limit implies. Nothing here imports rich or click."""

from __future__ import annotations

from typing import Any, Sequence

from emiss.core.outputs import short_tons
from emiss.core.model import OPERATION_SOURCE, Result, Screening
from emiss.data import pollutant_name
from emiss.report.views import human

SHORT_PROGRAMS = {"title": "Title V", "psd": "PSD", "hap": "HAP"}  # a threshold's program by its id's first word
MAJOR = ("title_v", "title_v_ozone", "psd_listed", "psd_other", "hap_single", "hap_combined")


def entry(s: Screening) -> dict[str, Any]:
    """Return one screening row as JSON: the PTE as limited (``emitted``), the unrestricted PTE, and the state."""
    return {"id": s.threshold_id, "program": s.program, "pollutant": s.pollutant, "emitted": s.tons_per_year,
            "threshold": s.threshold_tons, "unit": "short_ton / year", "crossed": s.crossed, "complete": s.complete,
            "state": state(s), "source": s.source, "limited": s.limited,
            "unrestricted": s.tons_per_year if s.unrestricted_tons is None else s.unrestricted_tons,
            "unrestricted_crossed": s.crossed if s.unrestricted_crossed is None and not s.limited else s.unrestricted_crossed,
            "limit": s.limit_text or None,
            # every unit counted, but at a level that is only 'at least' (crossed null below the threshold, not a gap)
            "lower_bound": bool(s.lower_bound)}


def state(s: Screening) -> str:
    """Name a row's state: 'above', 'below', 'above (at least)', 'incomplete', 'synthetic minor' (a major-source
    threshold kept by an enforceable limit) or 'below by a limit' (any other threshold)."""
    st = s.state
    if st == "synthetic minor" and s.threshold_id not in MAJOR:
        return "below by a limit"
    return st


def cell(hits: Sequence[Screening]) -> tuple[str, bool]:
    """Return the text of one screening cell (the rows of one program for one pollutant) and whether it alerts."""
    if not hits:
        return "-", False
    crossed = [s for s in hits if s.crossed]
    unknown = [s for s in hits if s.crossed is None]
    least = "" if all(s.complete and not s.lower_bound for s in hits) else " (at least)"
    if crossed and len(crossed) == len(hits):
        return "ABOVE" + least, True
    if crossed:
        return f"ABOVE {crossed[0].threshold_tons:g} only{least}", True
    if unknown:  # a partial total is never 'below'; nor is one of every unit that is only a lower bound
        return ("incomplete" if any(not s.complete for s in unknown) else "unknown (lower bound)"), False
    kept = [s for s in hits if state(s) in ("synthetic minor", "below by a limit")]
    if kept:
        return ("synthetic minor" if kept[0].threshold_id in MAJOR else "below by a limit"), False
    return "below", False


def limited_tons(result: Result, pollutant: str) -> float | None:
    """Return the PTE as limited of ``pollutant`` in short tons/yr, or None when no enforceable limit applies to it."""
    for s in result.screening:
        if s.pollutant == pollutant and s.limited:
            return s.tons_per_year
    return None


def unrestricted_tons(result: Result, pollutant: str) -> float | None:
    """Return the unrestricted PTE of ``pollutant`` in short tons/yr (before limits and, where they exist, add-on
    controls), or None when it is not screened."""
    for s in result.screening:
        if s.pollutant == pollutant:
            return s.tons_per_year if s.unrestricted_tons is None else s.unrestricted_tons
    return None


def summary(result: Result) -> str:
    """Return one line on the facility: major, synthetic minor (below every major-source threshold by a limit), or minor."""
    rows = [s for s in result.screening if s.threshold_id in MAJOR]
    # by id, as before; each said by the name readers know (NOx, not nox)
    above = [f"{pollutant_name(p, in_text=True)} ({program})" for p, program in sorted({(s.pollutant, s.program) for s in rows if s.crossed})]
    kept = [pollutant_name(p, in_text=True) for p in sorted({s.pollutant for s in rows if s.state == "synthetic minor"})]
    if above:
        return "Major source by this screening: " + "; ".join(above) + "."
    unknown = [s for s in rows if s.crossed is None]
    if unknown:  # before 'synthetic minor': that says below *every* threshold
        partial = any(not s.complete for s in unknown)
        if partial and any(s.complete for s in unknown):
            return "Incomplete: a total that leaves out some units, or is only a lower bound, cannot be shown below a threshold."
        if partial:
            return "Incomplete: a total that leaves out some units cannot be shown below a threshold."
        # every unit is counted, but at a level that is only 'at least' (a dry-low-NOx guarantee outside its range)
        return "Unknown: a total that is only a lower bound cannot be shown below a threshold."
    if kept:
        return ("Synthetic minor: below every major-source threshold by enforceable limits (" + ", ".join(kept)
                + " would cross one without the permit's limits and add-on controls).")
    return "Below every major-source threshold without any limit."


_LAST: list[Any] = [None, []]  # the last result at_potential judged, and its rows: the text, the JSON and the page's
# finding of one run each ask, and each answer is a second estimate


def at_potential(result: Result) -> list[Screening]:
    """Return the major-source rows the operation given stays below but the potential to emit crosses: the same
    scenario at every hour of the year (as its enforceable limits cap it), when the hours or capacity factor given
    are fewer. A permit judges the potential to emit; hours are part of it only where an enforceable limit sets
    them, and emiss has no limit on hours, so fewer hours are the user's operation, not the PTE. Empty at the full
    year, at part load (the potential to emit is at full load, which the hours alone do not give), for an operation
    a command found (solve, limit: the hours to make enforceable) and for sampled hours (Monte Carlo)."""
    sc = result.scenario
    if getattr(result.hours, "ndim", 0) or float(result.hours) >= sc.year_hours or (sc.load is not None and sc.load < 1):
        return []
    if any(a.source == OPERATION_SOURCE for a in sc.assumptions):
        return []
    if _LAST[0] is not result:
        from emiss.core.calc import estimate

        now = {(s.pollutant, s.threshold_id): s.crossed for s in result.screening}
        full = estimate(sc.with_values({("hours",): sc.year_hours}))
        _LAST[:] = [result, [s for s in full.screening if s.threshold_id in MAJOR and s.crossed
                             and now.get((s.pollutant, s.threshold_id)) is False]]
    return list(_LAST[1])


def potential_line(result: Result) -> str:
    """Return the sentence that says which thresholds the potential to emit crosses though the operation given
    stays below them (at_potential), or '' when there are none."""
    rows = at_potential(result)
    if not rows:
        return ""
    year = result.scenario.year_hours
    crossed = "; ".join(f"{pollutant_name(s.pollutant, in_text=True)} {human(s.tons_per_year)} tpy, above {SHORT_PROGRAMS[s.threshold_id.split('_')[0]]} "
                        f"({s.threshold_tons:g})" for s in rows)
    limited = ", as the enforceable limits cap it" if result.scenario.limits else ""
    return (f"As potential to emit ({year:,.0f} h at full output{limited}), not the {float(result.hours):,.0f} h/yr given (hours "
            f"are not an enforceable limit here), more thresholds are crossed: {crossed}. A permit judges the potential to "
            f"emit unless an enforceable limit sets the hours (emiss pte --hours {year:.0f}).")


def cap_lines(result: Result) -> list[str]:
    """Return, for each annual enforceable limit, what it implies for the rate per heat input (and the hours)."""
    from emiss.analysis.permit import implied_by_cap

    out = []
    seen = set()
    counts = [g.count for g in result.groups]
    for lim in result.scenario.limits:
        cap = lim.for_facility(counts) if lim.kind == "annual" else None  # None: per unit, on unlike groups
        if cap is None or (lim.pollutant, cap) in seen or not result.heat_input_mmbtu:
            continue
        seen.add((lim.pollutant, cap))
        imp = implied_by_cap(result, lim.pollutant, cap)
        # the estimate as the tables round it (8.25, not 8.253, beside the Permit limits table's 8.25)
        binds = "binds" if imp.binds else f"does not bind: estimate {human(short_tons(imp.estimate_lb))} tpy"
        each = f", {short_tons(cap):,.4g} tpy for the {counts[0]:,.6g} units," if lim.per == "unit" else ""
        out.append(f"{pollutant_name(lim.pollutant)} cap {lim.shown}{each} ({binds}) {imp.says}.")
    return out


CATALYST_CONTROLS = ("oxidation-catalyst", "scr+oxcat")  # the add-on controls that include an oxidation catalyst


def catalyst_hcho_note(result: Result) -> str:
    """Return a note when turbines with an oxidation catalyst carry AP-42's formaldehyde before it ('' otherwise).

    No cited catalyst level for turbine formaldehyde is shipped (engine_controls.toml has none), so those units keep
    AP-42 Table 3.1-3's 7.1E-04 lb/MMBtu: the formaldehyde and HAP screening is an upper estimate for them, and a
    'HAP: ABOVE' (southaven-2026: 36.2 tpy) may rest on it alone."""
    names = [sg.name for sg, g in zip(result.scenario.groups, result.groups)
             if sg.kind == "turbine" and sg.control in CATALYST_CONTROLS and (f := g.factors.get("hcho")) is not None
             and f.layer == "built-in" and "AP-42" in f.source]
    if not names:
        return ""
    return ("Formaldehyde and HAPs: " + ", ".join(names) + " have an oxidation catalyst but carry AP-42's factor before "
            "it (Table 3.1-3, 7.1E-04 lb/MMBtu; no cited catalyst level for turbine formaldehyde is shipped), so their "
            "formaldehyde and HAP figures are an upper estimate: the HAP screening may overstate them.")

