"""The estimate: its JSON document, flat rows and the view people read (fleet, results, emissions, screening,
assumptions, sources), and the per-unit tables."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable, Sequence

from emiss.version import __version__
from emiss import data
from emiss.core import units
from emiss.core.calc import SCREEN_COLUMNS
from emiss.core.model import Result
from emiss.inputs.permit_limits import shown_text, split_per
from emiss.report import screening
from emiss.report.methods import manifest
from emiss.core.outputs import (OUTPUTS, U_HEAT_H, U_LB_H, U_MW, U_TONNES_YR, UNIT_NAMES, btu, megawatts, table_unit,
                                  short_tons)
from emiss.data import input_name, pollutant_name
from emiss.report.views import (POLLUTANT_COLUMN, SCREENING_NOTE, SER_NOTE, SPREAD_FIELDS, STATUS_MARK, TONS_NOTE, YEAR_NOTE, Cell, Column, Line, Table, View, capacity_text,
                                TPY_NOTE, assumption_dicts, assumption_value, factor_entries, human, mass_per_lb, output_entry, lb_to, selected, sig4,
                                to_spread)



def estimate_doc(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None,
                 run: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the whole estimate as a JSON-ready dictionary (full precision, units beside every number)."""
    sc = result.scenario
    per_lb = mass_per_lb(result)
    to_tonne = lb_to("metric_ton")
    emissions = {}
    for p in selected(only):
        e = result.emissions[p]
        emissions[p] = {
            "name": e.name, "value": e.lb_per_year * per_lb, "unit": f"{sc.mass_unit} / year",
            "short_tons": short_tons(e.lb_per_year), "metric_tonnes": e.lb_per_year * to_tonne,
            "per_hour": {"value": e.lb_per_hour, "unit": U_LB_H}, "complete": e.complete,
            "missing_groups": list(e.missing), "factors": factor_entries(result, p),
            "not_applicable_groups": list(e.not_applicable), "at_least": list(e.at_least),
        }
        if spread:
            emissions[p].update({k: getattr(spread[p], k) * per_lb for k in SPREAD_FIELDS})
        if result.emissions[p].lb_startup:
            emissions[p]["startup_shutdown"] = {"value": result.emissions[p].lb_startup * per_lb, "unit": f"{sc.mass_unit} / year"}
        if p == "nox" and result.nox_bases:  # AP-42 and measured side by side, whichever basis is chosen
            emissions[p]["basis"] = sc.nox_basis
            for basis, m in result.nox_bases.items():
                emissions[p][basis] = {"value": m["nox"] * per_lb, "unit": f"{sc.mass_unit} / year", "complete": m["complete"]}
        if p == "co2":
            emissions[p]["basis"] = sc.co2_basis
        if p in ("ch4", "co2e") and result.methane:
            emissions[p]["basis"] = sc.methane_basis
            for basis, m in result.methane.items():
                emissions[p][basis] = {"value": m[p] * per_lb, "unit": f"{sc.mass_unit} / year", "complete": m["complete"]}
        if p in ("ch4", "co2e") and sc.upstream_leak:
            lb = result.upstream_ch4_lb * (sc.gwp_ch4 if p == "co2e" else 1.0)
            emissions[p]["upstream"] = {"value": lb * per_lb, "unit": f"{sc.mass_unit} / year", "leak_rate": sc.upstream_leak,
                                        "source": sc.upstream_leak_source, "in_total": False}
    shown = set(emissions)
    doc = {
        "emiss_version": __version__,
        "factor_library": data.factor_library_version(),
        "scenario": {"name": sc.name, "title": sc.title, "description": sc.description, "operation": sc.operation_basis,
                     "hours_per_year": result.hours, "capacity_factor": sc.capacity_factor},
        "fleet": [{"name": g.name, "kind": g.kind, "model": g.model, "count": g.count,
                   "capacity_per_unit": {"value": megawatts(g.capacity_kw), "unit": U_MW},
                   "heat_rate_hhv": {"value": g.heat_rate_hhv, "unit": "british_thermal_unit / kilowatt_hour"},
                   "combustor": g.combustor or None, "control": g.control} for g in sc.groups],
        "capacity": output_entry("capacity", result),
        "generation": output_entry("generation", result),
        "heat_input": {**output_entry("heat_input", result), "basis": "HHV", "per_hour": output_entry("heat_input.per_hour", result)},
        "fuel": {**output_entry("fuel", result), "basis": "standard cubic feet at the Part 98 default HHV"},
        "emissions": emissions,
        "households": {"value": result.households, "method": sc.households_method,
                       "energy": {"value": result.households_energy, "kwh_per_home_year": sc.household_use_kwh},
                       "capacity": {"value": result.households_capacity, "kw_per_home": sc.household_demand_kw},
                       # the CO2 view, where it is the headline: the figure 'value' carries, with what it divides by
                       **({"co2": {"value": result.households_co2,
                                   "co2_tonnes_per_home_year": sc.household_co2_lb / units.multiplier("metric_ton", "lb")}}
                          if sc.households_method == "co2" else {})},
        "groups": group_dicts(result, only),
        "limits": limit_dicts(result),
        "screening": [screening.entry(s) for s in result.screening if s.pollutant in shown],
        "screening_summary": screening.summary(result),
        "screening_note": SCREENING_NOTE,
        # the thresholds the potential to emit (all year) crosses though the hours given stay below them
        "screening_at_potential": [screening.entry(s) for s in screening.at_potential(result)],
        "assumptions": assumption_dicts(sc.assumptions),
        "warnings": list(sc.warnings),
        "notes": list(sc.notes) + [TONS_NOTE, YEAR_NOTE],
        "manifest": manifest(result, run),
    }
    if spread:
        doc["monte_carlo"] = {
            "uncertain_inputs": [{"name": u.name, "distribution": u.dist.kind, "low": u.dist.bounds()[0],
                                  "high": u.dist.bounds()[1], "central": u.central, "unit": u.unit, "source": u.source}
                                 for u in sc.uncertain],
            "households": {k: getattr(spread["households"], k) for k in SPREAD_FIELDS},
        }
    return doc


def limit_dicts(result: Result) -> list[dict[str, Any]]:
    """Return each permit limit beside the estimate in the limit's own terms, with the margin left."""
    from emiss.analysis.permit import compare

    return [compare(result, lim) for lim in result.scenario.limits]


def limits_view(result: Result, numbers: dict[str, int] | None = None) -> View:
    """Return the permit limits table (nothing when the scenario has none).

    With ``numbers`` (the view's source numbering, source -> n) each row's Source is its number, '[n]', and the sources
    this table numbers first are listed below it, as the emissions and assumptions tables list theirs: a source written
    out in the row (a permit's name, date and words, ~200 characters) left no room for it at 100 columns, and the table
    dropped the column."""
    rows = limit_dicts(result)
    if not rows:
        return []
    # still left out where even '[n]' does not fit (80 columns): the table then keeps a line a row
    source = Column("Source", optional=True) if numbers is not None else Column("Source", fold=True, optional=True)
    t = Table("Permit limits", (POLLUTANT_COLUMN, Column("Limit"), Column("Per"), Column("Estimate", "right"),
                                Column("Margin", "right"), Column("Unit"), Column("Within?"), source))
    notes = []
    listed: dict[str, int] = {}  # the sources this table numbers first, listed below it
    for r in rows:
        annual = r["kind"] == "annual"  # an annual limit is in pounds a year, shown in short tons a year
        shown = short_tons if annual else (lambda v: v)
        # 'tpy', as the Limit cell beside it says: 'short tons/yr' wrapped as 'short' over 'tons/yr' in every row of
        # pte's table at 80 columns, where the table has no column to spare for it
        unit = "tpy" if annual else UNIT_NAMES[r["limit"]["unit"]]
        ok = "yes" if r["within"] else "NO"
        if not r["complete"] and r["within"]:
            ok = "incomplete"
        figure = split_per(r["limit"]["as_given"], where="limit")[0]  # its 'per unit' words are the Per column
        cited = r["source"]
        if numbers is not None:
            if cited not in numbers:
                listed[cited] = numbers[cited] = len(numbers) + 1
            cited = f"[{numbers[cited]}]"
        t.rows.append((pollutant_name(r["pollutant"]), figure, r["per"], human(shown(r["estimate"]["value"])),
                       human(shown(r["margin"]["value"])), unit, Cell(ok, "" if r["within"] else "alert"), cited))
        if r["per"] == "unit" and len(result.groups) > 1 and r["group"] is not None:
            notes.append(f"{pollutant_name(r['pollutant'])} {shown_text(r['limit']['as_given'], 'unit')}: compared with a unit of "
                         f"{r['group']}, whose units emit the most in its terms.")
        if r["note"]:
            notes.append(r["note"][0].upper() + r["note"][1:] + ".")
    per = "Per: unit, each unit's figure (the unit that emits the most) against the limit; facility, every unit together."
    return [t, Line(per), *(Line(n) for n in dict.fromkeys(notes)), *(Line(f"[{n}] {src}") for src, n in listed.items())]


def group_dicts(result: Result, only: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Return each emission unit group with its annual mass and full-load rate per pollutant (what permit tables show)."""
    sc = result.scenario
    per_lb = mass_per_lb(result)
    ids = selected(only)
    return [{"name": g.name, "kind": g.kind, "count": g.count,
             "capacity_per_unit": {"value": megawatts(g.capacity_kw), "unit": U_MW},
             "heat_input": {"value": g.heat_input_mmbtu_h, "unit": U_HEAT_H, "basis": "HHV, all units of the group"},
             "emissions": {p: {"value": g.lb_per_year[p] * per_lb, "unit": f"{sc.mass_unit} / year",
                               "per_hour": {"value": g.lb_per_hour[p], "unit": U_LB_H},
                               "per_hour_each": {"value": g.lb_per_hour[p] / g.count, "unit": U_LB_H}}
                           for p in ids if p in g.lb_per_year}}
            for g in result.groups]


def estimate_rows(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Return the estimate as flat rows (quantity, value, unit, note [, p5, p50, p95]) for csv, tsv and ndjson."""
    sc = result.scenario
    mc = (lambda name: {k: getattr(spread[name], k) for k in SPREAD_FIELDS}) if spread else (lambda name: {})
    n = sum(int(g.count) for g in sc.groups)
    notes = {"capacity": f"{n} units", "hours": sc.operation_basis, "heat_input": "HHV", "fuel": "standard cubic feet",
             "households": f"headline, {sc.households_method} view",
             "households.energy": f"{sc.household_use_kwh:g} kWh/yr per home",
             "households.capacity": f"{sc.household_demand_kw:g} kW per home"}
    out = []
    for name in ("capacity", "hours", "generation", "heat_input", "fuel", "households", "households.energy", "households.capacity"):
        o = OUTPUTS[name]
        out.append({"quantity": name, "value": o.read(result), "unit": o.unit, "note": notes.get(name, ""),
                    **(mc(name) if name == "households" else {})})
    per_lb, to_tonne = mass_per_lb(result), lb_to("metric_ton")
    for p in selected(only):
        e = result.emissions[p]
        note = e.lower_bound
        out.append({"quantity": f"emissions.{p}", "value": e.lb_per_year * per_lb, "unit": f"{sc.mass_unit} / year", "note": note,
                    **({k: getattr(spread[p], k) * per_lb for k in SPREAD_FIELDS} if spread else {})})
        out.append({"quantity": f"emissions.{p}.metric_tonnes", "value": e.lb_per_year * to_tonne, "unit": U_TONNES_YR, "note": note})
        out.append({"quantity": f"emissions.{p}.per_hour", "value": e.lb_per_hour, "unit": U_LB_H, "note": note})
    return out


def value_of(result: Result, pollutant: str) -> float:
    """Return one pollutant's annual mass in the scenario's mass unit (the 'value' format)."""
    return result.emissions[pollutant].lb_per_year * mass_per_lb(result)


def _sources(result: Result, ids: list[str]) -> dict[str, int]:
    """Number the distinct factor sources, so that tables can cite them as [n]."""
    numbers: dict[str, int] = {}
    for p in ids:
        for x in factor_entries(result, p):
            numbers.setdefault(x["source"], len(numbers) + 1)
    return numbers


def _factor_text(sc: Any, entries: list[dict[str, Any]]) -> str:
    """Return the factors of a pollutant: one for all as given; several each with its group named as briefly as tells
    them apart (its kind; else what sets its factor: combustor or engine type, add-on control; else its name; the
    units' own tables below give each group's in full) and the unit said once: '0.015 lb/MMBtu (turbines) vs 0.317
    (engines)' ('a / b' would read as a division); a factor not verified says so beside it, '(CALIBRATED)', '(engines,
    unverified)', so that a reader knows which of two it is."""
    def mark(x: dict[str, Any]) -> str:
        return STATUS_MARK.get(x["status"], "")

    if len(set(x["as_given"] for x in entries)) <= 1:
        marks = sorted({mark(x) for x in entries} - {""})
        return entries[0]["as_given"] + "".join(f" ({m})" for m in marks) if entries else "none"

    def kind(g: Any) -> str:
        return "turbines" if g.kind == "turbine" else "engines"

    def label(g: Any) -> str:  # what sets a unit's factor: its combustor or engine type, and its add-on control
        what = f"{g.combustor or 'turbine'} turbines" if g.kind == "turbine" else f"{g.engine_type or 'reciprocating'} engines"
        return what + (f", {g.control}" if g.control not in ("", "none", "uncontrolled") else "")

    for name in (kind, label, lambda g: g.name):
        by_name = {g.name: name(g) for g in sc.groups}
        labels = [by_name.get(x["group"], "") for x in entries]
        if len(set(labels)) == len(labels) and all(labels):
            break
    else:
        labels = [x["group"] for x in entries]
    unit = entries[0]["as_given"].partition(" ")[2]
    parts = []
    for i, (x, label) in enumerate(zip(entries, labels)):
        number, _, u = x["as_given"].partition(" ")
        parts.append(f"{number if i and u == unit else x['as_given']} ({label}{', ' + mark(x) if mark(x) else ''})")
    return " vs ".join(parts)


def _factor_cell(result: Result, p: str, numbers: dict[str, int]) -> tuple[str, str]:
    e = result.emissions[p]
    sc = result.scenario
    if p == "co2e":
        return f"CO2 + {sc.gwp_ch4:g} CH4 + {sc.gwp_n2o:g} N2O", f"GWP {sc.gwp_set}"
    entries = factor_entries(result, p)
    text = _factor_text(sc, entries)
    if e.missing:
        covered = sum(int(g.count) for g in sc.groups if g.name not in e.missing)
        text += f" ({covered} of {sum(int(g.count) for g in sc.groups)} units)"
    refs = sorted({numbers[x["source"]] for x in entries})
    return text, "".join(f"[{n}]" for n in refs)




def _screen_cells(result: Result, p: str) -> list[Cell]:
    by_id = {s.threshold_id: s for s in result.screening if s.pollutant == p}
    cells = []
    for ids in SCREEN_COLUMNS:
        text, alert = screening.cell([by_id[i] for i in ids if i in by_id])
        cells.append(Cell(text, "alert" if alert else ""))
    return cells


def result_lines(result: Result) -> list[tuple[str, str, str, str]]:
    """Return the headline quantities as (quantity, value, unit, basis) for people."""
    sc = result.scenario
    n = sum(int(g.count) for g in sc.groups)
    headline = sc.households_method
    return [
        ("Fleet capacity", capacity_text(OUTPUTS["capacity"].read(result)), "MW", f"{n} units in {len(sc.groups)} group(s)"),
        # at part load the hours are hours running at that load, not full-load equivalents
        ("Operation", human(result.hours), "full-load h/yr" if sc.load is None or sc.load >= 1 else "h/yr", sc.operation_basis),
        ("Generation", human(result.generation_mwh), "MWh/yr", "electricity out"),
        ("Heat input", human(result.heat_input_mmbtu), "MMBtu/yr (HHV)", f"{human(OUTPUTS['heat_input.per_hour'].read(result))} MMBtu/h"),
        ("Fuel", human(result.fuel_scf * units.multiplier("scf", "MMscf")), "million scf/yr", f"at {btu(sc.fuel_hhv):,.0f} Btu/scf (HHV)"),
        # each named by its view, as the outputs catalogue names them; the headline marked
        ("Households, energy view" + (" (headline)" if headline == "energy" else ""), human(result.households_energy),
         "homes", f"generation / {sc.household_use_kwh:,.0f} kWh/yr per home"),
        ("Households, capacity view" + (" (headline)" if headline == "capacity" else ""), human(result.households_capacity),
         "homes", f"capacity / {sc.household_demand_kw:g} kW per home"),
        *([("Households, CO2 view (headline)", human(result.households_co2), "homes",
            f"CO2 / {sc.household_co2_lb * units.multiplier('lb', 't'):.3g} tonnes per home's energy use a year")]
          if headline == "co2" else []),
    ]


def control_text(g: Any) -> str:
    """Return a group's combustor and add-on control as the fleet table shows them (e.g. 'dry-low-nox + scr+oxcat')."""
    parts = [x for x in (g.combustor, g.control if g.control != "none" else "") if x]
    return " + ".join(parts) or "-"


def estimate_view(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None) -> View:
    """Return the estimate as people read it: fleet, results, emissions, screening, assumptions, sources, notes."""
    sc = result.scenario
    ids = [p for p in selected(only) if only or len(result.emissions[p].not_applicable) < len(sc.groups)]  # NH3 only with SCR
    numbers = _sources(result, ids)
    first_sources = dict(numbers)
    to_tonne = lb_to("metric_ton")
    view: View = []
    if sc.title:
        view.append(Line(sc.title, "bold"))
    from emiss.report.checks import calibrated_inputs

    calibrated = calibrated_inputs(result)
    if calibrated:
        view.append(Line("Calibrated to reproduce published figures, so not an independent check of them: "
                         + "; ".join(map(input_name, calibrated)) + "."))
    from emiss.report.page import page_finding

    # the finding next (a page has its own lead); the calibrated inputs are said on the line above
    view += [Line("Finding: " + page_finding(result, calibrated=not calibrated), "finding"), Line()]
    fleet = Table("Fleet", (Column("Group", fold=True), Column("Kind"), Column("Units", "right"), Column("MW each", "right"),
                            Column("Heat rate HHV", "right"), Column("Control")))
    for g in sc.groups:
        fleet.rows.append((g.name, g.kind, str(g.count), f"{megawatts(g.capacity_kw):g}", f"{g.heat_rate_hhv:,.0f} Btu/kWh",
                           control_text(g)))
    view.append(fleet)
    res = Table("Results", (Column("Quantity"), Column("Value", "right"), Column("Unit"), Column("Basis", fold=True)))
    res.rows.extend(result_lines(result))
    view.append(res)
    for w in sc.warnings:
        view.append(Line("Warning: " + w, "bold"))
    if sc.upstream_leak:
        up = result.upstream_ch4_lb
        view.append(Line(f"Upstream methane, before the gas reaches the site (not in the totals below): "
                         f"{human(short_tons(up))} short tons of CH4 a year at a leak of {sc.upstream_leak:.3g} of the "
                         f"gas produced, {human(up * sc.gwp_ch4 * to_tonne)} tonnes CO2e ({sc.gwp_set}, CH4 x {sc.gwp_ch4:g}). "
                         f"Source: {sc.upstream_leak_source}."))

    custom = sc.mass_unit not in ("short_ton", "metric_ton")
    per_mass = mass_per_lb(result)
    tonnes_first = sc.mass_unit == "metric_ton"  # --mass-unit metric_ton: its column first (short tons beside it)
    # beside a Monte Carlo spread the second mass column (tonnes, or short tons after metric_ton) is the one a narrow
    # terminal may leave out, said in the note, rather than crop the sources or draw the table one block per pollutant
    cols = [POLLUTANT_COLUMN, Column("short tons/yr", "right"), Column("tonnes/yr", "right", secondary=bool(spread))]
    if tonnes_first:
        cols[1], cols[2] = Column("tonnes/yr", "right"), Column("short tons/yr", "right", secondary=bool(spread))
    if custom:
        cols.append(Column(f"{sc.mass_unit}/yr", "right"))
    if spread:  # in the first mass column's unit, as the JSON's p50 and the page's cards (tonnes with metric_ton)
        mc_unit = "tonnes" if tonnes_first else "short tons"
        cols += [Column(f"P50 {mc_unit}/yr", "right"), Column(f"P5 .. P95 {mc_unit}/yr", "right")]
    cols += [Column("lb/h", "right")]
    # where the table must wrap, the numbers' headings wrap ('short' over 'tons/yr') before the factor folds further,
    # and the sources ('[11][12]', 'GWP AR5'; whether a factor is verified is said beside it) keep their own width
    cols = [replace(c, wrap_heading=c.align == "right") for c in cols] + [Column("Factor used", fold=True), Column("Source")]
    em = Table("Emissions per year, whole fleet (short tons = US 2,000 lb; tonnes = 1,000 kg)", tuple(cols))
    incomplete = False
    for p in ids:
        e = result.emissions[p]
        incomplete |= not e.complete
        tons = short_tons(e.lb_per_year)
        name = pollutant_name(p) + ("" if e.complete else " *") + (" >=" if e.at_least else "")  # NOx, not nox
        if spread:
            sp = spread[p]
            lo, mid, hi = (short_tons(x) for x in (sp.p5, sp.p50, sp.p95))
            cells = [name, to_spread(tons, lo, hi), to_spread(e.lb_per_year * to_tonne, sp.p5 * to_tonne, sp.p95 * to_tonne)]
        else:
            cells = [name, human(tons), human(e.lb_per_year * to_tonne)]
        if custom:
            cells.append(human(e.lb_per_year * per_mass))
        if spread:
            if tonnes_first:
                lo, mid, hi = (x * to_tonne for x in (sp.p5, sp.p50, sp.p95))
            cells += [to_spread(mid, lo, hi), f"{to_spread(lo, lo, hi)} .. {to_spread(hi, lo, hi)}"]
        cells += [human(e.lb_per_hour), *_factor_cell(result, p, numbers)]
        if tonnes_first:
            cells[1], cells[2] = cells[2], cells[1]
        em.rows.append(tuple(cells))
        if e.lb_startup:
            su = short_tons(e.lb_startup)
            pair = [human(e.lb_startup * to_tonne), human(su)] if tonnes_first else [human(su), human(e.lb_startup * to_tonne)]
            em.rows.append(tuple(["  of which startup/shutdown", *pair] + [""] * (len(cols) - 3)))
    view.append(em)
    if spread:
        u = sc.uncertain
        view.append(Line(f"P5 .. P95: Monte Carlo over {len(u)} uncertain input(s): " + "; ".join(
            f"{input_name(x.name)} {x.dist.describe(sig4)} {table_unit(x.unit)}".rstrip() for x in u) + ". Central values and percentiles are rounded to the spread."))
    least = sorted({why for p in ids for why in result.emissions[p].at_least})
    if least:
        view.append(Line(">= at least: a guaranteed level does not hold where the unit runs (" + "; ".join(least) + ")."))
    if incomplete:
        lacking = sorted({g for p in ids for g in result.emissions[p].missing})
        view.append(Line("* incomplete: no factor for " + ", ".join(lacking) + ", so the total covers only the other units "
                         "(give one with --factor POLLUTANT=QTY or in the preset)."))
    for src, n in first_sources.items():
        view.append(Line(f"[{n}] {src}"))
    if result.nox_bases and "nox" in ids and {"ap42", "measured"} <= set(result.nox_bases):
        ap, me = result.nox_bases["ap42"], result.nox_bases["measured"]
        if _any_differs(ap["nox"], me["nox"]):  # equal when a NOx factor is given: it wins on both bases
            view.append(Line(f"NOx: the table is on the {'AP-42' if sc.nox_basis == 'ap42' else 'measured'} basis (--basis). "
                             f"AP-42: {human(short_tons(ap['nox']))} short tons/yr; measured (P50 of monitored US "
                             f"turbines with the same controls, 'emiss factors --measured'): "
                             f"{human(short_tons(me['nox']))} short tons/yr."))
    if result.methane and ("ch4" in ids or "co2e" in ids):
        rep, phys = result.methane.get("reporting"), result.methane.get("physical")
        view.append(Line(f"Methane: CH4 and CO2e above are on the {sc.methane_basis} basis. Reporting (40 CFR 98): "
                         f"{human(short_tons(rep['ch4']))} short tons CH4, {human(short_tons(rep['co2e']))} short tons CO2e; "
                         f"physical (AP-42, methane slip): {human(short_tons(phys['ch4']))} short tons CH4, "
                         f"{human(short_tons(phys['co2e']))} short tons CO2e (GWP {sc.gwp_set}, {sc.gwp_horizon}-year)."
                         + ("" if phys["complete"] else " The physical total leaves out units without an AP-42 methane factor.")))
    view += unit_tables(result, ids)

    regulated = [p for p in ids if any(s.pollutant == p for s in result.screening)]
    if regulated:
        view.append(Line())
        area = data.areas()[sc.area]
        level = {x.id: x.value for x in data.thresholds()}  # the headings name the levels of the shipped table
        title_v = (f"Title V ({level['title_v']:g})" if area.nox_voc == level["title_v"]
                   else f"Title V ({level['title_v']:g}; NOx, VOC {area.nox_voc:g})")
        psd = f"PSD ({level['psd_listed']:g}, listed)" if sc.psd_category else f"PSD ({level['psd_other']:g})"
        capped = {p: t for p in regulated if (t := screening.limited_tons(result, p)) is not None}
        limited_col = (Column("as limited", "right"),) if capped else ()
        scr = Table(f"Regulatory screening: annual emissions vs major-source thresholds, all in US short tons/yr ({area.name})",
                    (POLLUTANT_COLUMN, Column("unrestricted" if capped else "short tons/yr", "right"), *limited_col,
                     Column(title_v), Column(psd), Column(f"HAP ({level['hap_single']:g} / {level['hap_combined']:g})"),
                     Column("PSD SER (change)", optional=True)))
        for p in regulated:
            e = result.emissions[p]
            shown = (human(capped[p]) if p in capped else "-",) if capped else ()
            free = screening.unrestricted_tons(result, p) if capped else None
            scr.rows.append((pollutant_name(p) + ("" if e.complete else " *"), human(short_tons(e.lb_per_year) if free is None else free), *shown,
                             *_screen_cells(result, p)))
        view.append(scr)
        view.append(Line(f"HAP ({level['hap_single']:g} / {level['hap_combined']:g}): {level['hap_single']:g} short tons/yr of any one "
                         f"hazardous air pollutant, {level['hap_combined']:g} of all of them combined."))
        if any(p in regulated for p in ("hcho", "hap")) and (line := screening.catalyst_hcho_note(result)):
            view.append(Line(line))
        # 'tpy' first appears here (then in the caps and the permit limits): said once, as the PTE view says it
        view.append(Line(TPY_NOTE))
        view.append(Line(f"PSD at 100 tpy: the preset states a listed source category ({sc.psd_category})." if sc.psd_category else
                         "PSD at 250 tpy: a simple-cycle turbine or engine plant is none of the source categories listed at "
                         "100 tpy (a fossil fuel-fired steam electric plant of more than 250 MMBtu/h is; a preset states one "
                         "with psd_category)."))
        if any("ABOVE" in row[-1].text for row in scr.rows):  # the column's last: what an 'ABOVE' there means
            view.append(Line(SER_NOTE))
        if capped or sc.limits:
            view.append(Line(screening.summary(result)))
            view += [Line(x) for x in screening.cap_lines(result)]
        if line := screening.potential_line(result):
            view.append(Line(line, "bold"))
        before = set(numbers)
        view += limits_view(result, numbers)
        first_sources.update({src: n for src, n in numbers.items() if src not in before})  # listed under the table
        view.append(Line(SCREENING_NOTE))

    view.append(Line())
    asm = Table("Assumptions (sources listed below)", (Column("Input", fold=True), Column("Value", "right", fold=True),
                                                      Column("Unit", fold=True), Column("Status"), Column("From", optional=True),
                                                      Column("Source")))
    for a in sc.assumptions:
        value = assumption_value(a.value)
        ref = numbers.setdefault(a.source + (f" ({a.note})" if a.note else ""), len(numbers) + 1)
        asm.rows.append((input_name(a.name), value, table_unit(a.unit), a.status, a.layer, f"[{ref}]"))
    for p in ids:
        by_factor: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for x in factor_entries(result, p):
            by_factor.setdefault((x["as_given"], x["source"]), []).append(x)
        for same in by_factor.values():
            x = same[0]
            who = "all units" if len(same) == len(sc.groups) else ", ".join(y["group"] for y in same)
            # the number under Value and its unit under Unit, as every other row; a factor given in another unit than
            # emiss computes in gets a second row with the converted value (it once sat under 'Unit' as '= 0.0291
            # lb/MMBtu', which a phone, reading each cell as 'heading: text', showed as 'Unit: = 0.0291 lb/MMBtu')
            number, unit = split_given(x["as_given"])
            # a rate per time is each unit's: '5 tpy' for 4 units is 20 tpy
            each = " per unit" if x["form"] == "time" else ""
            ref, name = f"[{numbers[x['source']]}]", input_name(f"factor {p} ({who})")
            asm.rows.append((name, number, unit + each if unit else unit, x["status"], x["layer"], ref))
            if not x["as_given"].endswith(x["unit"]) and _number(number) != x["value"]:  # ('5 lb/h' is 5 lb/hour)
                asm.rows.append((f"{name}, converted", human(x["value"]), x["unit"] + each, x["status"], x["layer"], ref))
    view.append(asm)
    for src, n in numbers.items():
        if src not in first_sources:
            view.append(Line(f"[{n}] {src}"))
    view += [Line(), Line("Notes", "bold")]
    view += [Line("- " + n) for n in list(sc.notes) + [TONS_NOTE]]
    return view


# a number as a factor may be written ahead of its unit: '7.9', '2e-3', '1,000', '.5' (with or without a space after),
# or a range of them, LOW..HIGH or LOW..MODE..HIGH ('2..5 ppmvd@15%O2' was shown as '2.' and '.5 ppmvd@15%O2')
_ONE_NUMBER = r"[-+]?(?:\d[\d,_]*(?:\.(?!\.)\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_GIVEN_NUMBER = re.compile(rf"\s*({_ONE_NUMBER}(?:\s*\.\.\s*{_ONE_NUMBER}){{0,2}})\s*(.*)", re.S)


def split_given(text: str) -> tuple[str, str]:
    """Return a factor's text as given split into its number and its unit ('7.9 ppmvd@15%O2' -> ('7.9', 'ppmvd@15%O2'));
    text that does not start with a number, or has no unit after it, is all number ('x' -> ('x', ''))."""
    m = _GIVEN_NUMBER.fullmatch(text)
    if m is None or not m.group(2).strip() or m.group(2)[0].isdigit():
        return text, ""
    return m.group(1), m.group(2).strip()


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return None


def unit_tables(result: Result, ids: Sequence[str]) -> View:
    """Return one table per emission unit group, as permit applications show them: lb/h each, lb/h all, tons/yr all."""
    view: View = []
    unit = result.scenario.mass_unit  # tons a year in the asked mass unit (--mass-unit)
    label = {"short_ton": "short tons", "metric_ton": "tonnes"}.get(unit, unit)
    per = lb_to(unit)
    for g in result.groups:
        heat_each = g.heat_input_mmbtu_h / g.count if g.count else 0.0
        t = Table(f"Emission unit: {g.name} ({g.count} x {megawatts(g.capacity_kw):g} MW {g.kind}, "
                  f"{human(heat_each)} MMBtu/h each, HHV)",
                  (POLLUTANT_COLUMN, Column("lb/h each", "right"), Column("lb/h all", "right"),
                   Column(f"{label}/yr all", "right"), Column("Factor", fold=True)))
        for p in ids:
            if p not in g.lb_per_year:
                t.rows.append((pollutant_name(p), "-", "-", "-", "no factor"))
                continue
            f = g.factors.get(p)
            factor = f.text if f is not None else f"CO2 + {result.scenario.gwp_ch4:g} CH4 + {result.scenario.gwp_n2o:g} N2O"
            if f is not None and f.status in STATUS_MARK:
                factor += f" ({STATUS_MARK[f.status]})"
            t.rows.append((pollutant_name(p), human(g.lb_per_hour[p] / g.count), human(g.lb_per_hour[p]), human(g.lb_per_year[p] * per),
                           factor))
        view.append(t)
    return view


def _any_differs(a: Any, b: Any) -> bool:
    try:
        return bool(a != b)
    except ValueError:  # numpy arrays
        return bool((a != b).any())
