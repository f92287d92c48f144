"""The parts of the potential to emit that a permit application shows beside the rates: emission-unit ids, stack
parameters, startup/shutdown rows, each factor in both forms, and the worst-case hourly rate over an ambient range."""

from __future__ import annotations

from typing import Any, Mapping

from emiss import data
from emiss.core.outputs import U_LB_H, U_TONS_YR, short_tons
from emiss.report.views import STATUS_MARK, Column, Line, Table, View, human
from emiss.report.workbook import ppm_at_15

STACK_WORDS = {"height": "height", "diameter": "diameter", "exit_temperature": "exit temperature", "exit_velocity": "exit velocity"}


def both_forms(f: Any) -> dict[str, Any]:
    """Return a heat-input factor as lb/MMBtu (HHV) and as ppmvd at 15 % O2 (EPA Method 19; None where the pollutant
    has no molecular weight for it, or the factor is not per heat input)."""
    if f is None or f.form != "input":
        return {"lb_per_mmbtu": None, "ppmvd_at_15_o2": None}
    ppm = ppm_at_15(f.pollutant, f.value)
    return {"lb_per_mmbtu": {"value": f.value, "unit": "lb/MMBtu", "basis": "HHV"},
            "ppmvd_at_15_o2": {"value": ppm, "unit": "ppmvd@15%O2"} if ppm is not None else None}


def both_forms_text(f: Mapping[str, Any]) -> str:
    """Return a factor as given, with its other form after it: '2 ppmvd@15%O2 = 0.00737 lb/MMBtu',
    '0.0021 lb/MMBtu = 1.63 ppmvd@15%O2' (a form the pollutant has no conversion for is left out)."""
    text = f["as_given"]
    lb, ppm = f.get("lb_per_mmbtu"), f.get("ppmvd_at_15_o2")
    given_ppm = "ppm" in text.lower()
    if given_ppm and lb:
        return f"{text} = {human(lb['value'])} lb/MMBtu"
    if not given_ppm and ppm:
        return f"{text} = {human(ppm['value'])} ppmvd@15%O2"
    if not given_ppm and lb and "lb/mmbtu" not in text.lower().replace(" ", ""):
        return f"{text} = {human(lb['value'])} lb/MMBtu"
    return text


def startup_doc(g: Any, gr: Any) -> dict[str, Any] | None:
    """Return a group's startups and shutdowns as their own rows: events, hours, and per pollutant the pounds per
    event and the tons a year they add (already part of the pollutant's tpy)."""
    su = g.startup
    if su is None:
        return None
    n = g.count if su.per == "unit" else 1  # the preset's counts are per unit or for the whole group
    return {"events_per_year_all": su.events * n, "hours_per_year_all": {"value": su.hours * n, "unit": "hour / year"},
            "events_per": su.per, "source": su.source, "status": su.status,
            "pollutants": {p: {"lb_per_event": {"value": lb, "unit": "lb"},
                               "tons_per_year_all": {"value": short_tons(gr.lb_startup.get(p, 0.0)), "unit": U_TONS_YR}}
                           for p, lb in su.lb_per_event.items()}}


def worst_doc(name: str, curve: str, worst: Mapping[str, Any]) -> dict[str, Any]:
    """Return one group's worst-case hourly rates (from analysis.worstcase) as JSON."""
    from emiss.analysis.worstcase import curve_range

    rng = curve_range(curve)
    out = {}
    for p, w in worst.items():
        out[p] = {"lb_per_hour": {"value": w.lb_per_hour_all, "unit": U_LB_H}, "lb_per_hour_each": {"value": w.lb_per_hour_each, "unit": U_LB_H},
                  "ambient": {"value": w.ambient_c, "unit": "degC"} if w.ambient_c is not None else None,
                  "curve": rng, "note": "" if rng else f"{name}: no ambient-temperature curve is shipped for this unit; the ISO rate"}
    return out


def stack_text(stack: Mapping[str, Any]) -> str:
    """Return a group's stack parameters in one line, with the source."""
    unit_words = {"m": "m", "degC": "degC", "m/s": "m/s"}
    parts = [f"{STACK_WORDS[k]} {human(v['value'])} {unit_words[v['unit']]}" for k, v in stack["values"].items()]
    mark = f" ({STATUS_MARK[stack['status']]})" if stack["status"] in STATUS_MARK else ""
    return f"Stack: {', '.join(parts)}{mark} [{stack['source']}]"


def unit_lines(u: Mapping[str, Any]) -> View:
    """Return the lines under a unit's PTE table: its ids, its stack, and what its startup rows mean."""
    out: View = []
    if u.get("unit_ids"):
        out.append(Line(f"Emission units: {', '.join(u['unit_ids'])}"))
    if u.get("stack"):
        out.append(Line(stack_text(u["stack"])))
    su = u.get("startup_shutdown")
    if su is not None:
        per = "per unit" if su["events_per"] == "unit" else "for the group"
        if su["pollutants"]:
            out.append(Line(f"Startup/shutdown rows: {su['events_per_year_all']:,g} events and {human(su['hours_per_year_all']['value'])} h "
                            f"a year in all ({per} in the preset); their tons are part of the pollutant's tpy above "
                            f"(event hours replace normal hours) [{su['source']}]"))
        else:
            out.append(Line(f"Startups/shutdowns: {su['events_per_year_all']:,g} events and {human(su['hours_per_year_all']['value'])} h a year "
                            f"in all, without pounds per event: they add nothing here"))
    return out


def startup_rows(u: Mapping[str, Any], width: int) -> list[tuple[str, ...]]:
    """Return a unit's startup/shutdown rows for its PTE table (pollutant, what, blanks, tpy, blanks to ``width``)."""
    su = u.get("startup_shutdown")
    rows: list[tuple[str, ...]] = []
    for p, e in (su or {}).get("pollutants", {}).items():
        row = (f"  {data.pollutant_name(p)} startup/shutdown", f"{human(e['lb_per_event']['value'])} lb/event x {su['events_per_year_all']:,g}",
               "", "", human(e["tons_per_year_all"]["value"]))
        rows.append(row + ("",) * (width - len(row)))
    return rows


def worst_view(doc: Mapping[str, Any]) -> View:
    """Return the worst-case hourly rate table that follows the PTE tables."""
    rng = doc["ambient_range"]
    t = Table(f"Worst-case hourly rate over {rng['low']:g} to {rng['high']:g} degC (full load, the maker's curve)",
              (Column("Emission unit"), Column("Pollutant"), Column("lb/h each", "right"), Column("lb/h all", "right"),
               Column("at ambient", "right")))
    notes: dict[str, str] = {}
    for u in doc["units"]:
        for p in data.POLLUTANTS:
            w = u["worst_case_hourly"].get(p)
            if w is None:
                continue
            at = f"{w['ambient']['value']:.1f} degC" if w["ambient"] else "ISO (no curve)"
            t.rows.append((u["name"], p, human(w["lb_per_hour_each"]["value"]), human(w["lb_per_hour"]["value"]), at))
            c = w["curve"]
            notes[u["name"]] = (f"'{u['name']}': {c['name']}, {c['low']:g} to {c['high']:g} degC [{c['source']}] ({c['status']})" if c
                                else f"'{u['name']}': no ambient-temperature curve is shipped for this unit: the ISO (15 degC) rate")
    return [t] + [Line(n) for n in notes.values()]
