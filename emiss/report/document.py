"""Every document emiss prints, as plain data: JSON-ready dicts, flat rows, and views (tables and lines of text).

Nothing here imports rich or click; ``render`` encodes what this module builds. Numbers in dicts and rows
keep full precision with a pint-parseable unit beside them; only views round for people.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Sequence

from emiss import __version__
from emiss import data
from emiss.core import units
from emiss.core.calc import BTU_PER_MMBTU, KW_PER_MW, LB_PER_SHORT_TON
from emiss.core.model import FORM_UNITS, Result, Scenario
from emiss.report.outputs import CLUSTER, COMPARE, OUTPUTS, U_HEAT_H, U_LB_H, U_MW

SCREENING_NOTE = (
    "Screening against Clean Air Act major-source thresholds, not a legal applicability determination: "
    "applicability rests on potential to emit (8,760 h at the maximum rate unless enforceably limited), "
    "nonattainment areas have lower thresholds, and the permitting authority decides."
)
TONS_NOTE = "short_ton is the US ton of 2,000 lb; metric_ton (tonne) is 1,000 kg = 1.1023 short tons."
YEAR_NOTE = ("'year' in every unit is emiss's modelled year of 8,760 h (constants.toml hours_per_year); stock pint's "
             "'year' is 365.25 days, 0.08 % longer.")
STATUS_MARK = {"calibrated": "CALIBRATED", "assumed": "assumed", "recalled": "unverified"}
ROW_FIELDS = ("quantity", "value", "unit", "note")
SPREAD_FIELDS = ("p5", "p50", "p95")


# ---- views: what a person reads, as data ---------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """A table column: its heading, alignment, and whether long text may wrap (fold) in it."""

    name: str
    align: str = "left"
    fold: bool = False
    optional: bool = False  # may be left out where the table would not fit the width


@dataclass(frozen=True)
class Cell:
    """A table cell with a style: 'alert' (a threshold crossed), 'bold', 'low' or 'high' (tornado bars)."""

    text: str
    style: str = ""


@dataclass(frozen=True)
class Table:
    """A titled table of text cells."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    plain: bool = False  # no rules or header line (a tornado chart)


@dataclass(frozen=True)
class Line:
    """One paragraph of text."""

    text: str = ""
    style: str = ""


View = list[Any]  # Tables and Lines, in reading order


# ---- numbers for people ------------------------------------------------------------------------------

def human(v: float) -> str:
    """Round ``v`` for people: about four significant figures, thousands separated."""
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:,.2f}"
    digits = 2 - int(math.floor(math.log10(a)))
    return f"{v:.{digits}f}"


def sig4(v: float) -> str:
    """Four significant figures, with thousands separators instead of an exponent for large values."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def to_spread(v: float, lo: float, hi: float) -> str:
    """Round ``v`` to two significant figures of the spread hi - lo (no false precision)."""
    width = abs(hi - lo)
    if width == 0 or not math.isfinite(width):
        return human(v)
    digits = 1 - int(math.floor(math.log10(width)))
    r = round(v, digits)
    return f"{r:,.{max(digits, 0)}f}"


def selected(only: Iterable[str] | None) -> list[str]:
    """Return the pollutant ids to show, in library order."""
    wanted = set(only or data.POLLUTANTS)
    return [p for p in data.POLLUTANTS if p in wanted]


def _per_lb(unit: str) -> float:
    return units.multiplier("lb", unit)


def _mass_per_lb(result: Result) -> float:
    """Return the factor from lb to the scenario's mass unit, refusing one in which a result would not be a finite number."""
    from emiss.errors import InputError

    per = _per_lb(result.scenario.mass_unit)
    biggest = max((abs(e.lb_per_year) for e in result.emissions.values()), default=0.0)
    if not math.isfinite(biggest * per):
        raise InputError(f"'{result.scenario.mass_unit}' is too small a unit: the results would not be finite numbers; "
                         "use short_ton, metric_ton, lb or kg", where="--mass-unit", usage=True)
    return per


# ---- estimate --------------------------------------------------------------------------------------------

def assumption_dicts(assumptions: Iterable[Any]) -> list[dict[str, Any]]:
    """Return assumptions as JSON objects (name, value, unit, source, layer, status, note)."""
    return [{"name": a.name, "value": a.value, "unit": a.unit, "source": a.source, "layer": a.layer,
             "status": a.status, "note": a.note} for a in assumptions]


def factor_entries(result: Result, pollutant: str) -> list[dict[str, Any]]:
    """Return the factors used for ``pollutant``, one per group."""
    return [{"group": group, "value": f.value, "unit": f.unit, "form": f.form, "as_given": f.text, "source": f.source,
             "status": f.status, "layer": f.layer} for group, f in result.emissions[pollutant].factors]


def _o(name: str, result: Result) -> dict[str, Any]:
    out = OUTPUTS[name]
    return {"value": out.read(result), "unit": out.unit}


def estimate_doc(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None,
                 run: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the whole estimate as a JSON-ready dictionary (full precision, units beside every number)."""
    sc = result.scenario
    per_lb = _mass_per_lb(result)
    to_tonne = _per_lb("metric_ton")
    emissions = {}
    for p in selected(only):
        e = result.emissions[p]
        emissions[p] = {
            "name": e.name, "value": e.lb_per_year * per_lb, "unit": f"{sc.mass_unit} / year",
            "short_tons": e.lb_per_year / LB_PER_SHORT_TON, "metric_tonnes": e.lb_per_year * to_tonne,
            "per_hour": {"value": e.lb_per_hour, "unit": U_LB_H}, "complete": e.complete,
            "missing_groups": list(e.missing), "factors": factor_entries(result, p),
        }
        if spread:
            emissions[p].update({k: getattr(spread[p], k) * per_lb for k in SPREAD_FIELDS})
        if result.emissions[p].lb_startup:
            emissions[p]["startup_shutdown"] = {"value": result.emissions[p].lb_startup * per_lb, "unit": f"{sc.mass_unit} / year"}
        if p in ("ch4", "co2e") and result.methane:
            emissions[p]["basis"] = sc.methane_basis
            for basis, m in result.methane.items():
                emissions[p][basis] = {"value": m[p] * per_lb, "unit": f"{sc.mass_unit} / year", "complete": m["complete"]}
    shown = set(emissions)
    doc = {
        "emiss_version": __version__,
        "factor_library": data.factor_library_version(),
        "scenario": {"name": sc.name, "title": sc.title, "description": sc.description, "operation": sc.operation_basis,
                     "hours_per_year": result.hours, "capacity_factor": sc.capacity_factor},
        "fleet": [{"name": g.name, "kind": g.kind, "model": g.model, "count": g.count,
                   "capacity_per_unit": {"value": g.capacity_kw / KW_PER_MW, "unit": U_MW},
                   "heat_rate_hhv": {"value": g.heat_rate_hhv, "unit": "british_thermal_unit / kilowatt_hour"},
                   "control": g.control if g.kind == "turbine" else None} for g in sc.groups],
        "capacity": _o("capacity", result),
        "generation": _o("generation", result),
        "heat_input": {**_o("heat_input", result), "basis": "HHV", "per_hour": _o("heat_input.per_hour", result)},
        "fuel": {**_o("fuel", result), "basis": "standard cubic feet at the Part 98 default HHV"},
        "emissions": emissions,
        "households": {"value": result.households, "method": sc.households_method,
                       "energy": {"value": result.households_energy, "kwh_per_home_year": sc.household_use_kwh},
                       "capacity": {"value": result.households_capacity, "kw_per_home": sc.household_demand_kw}},
        "groups": group_dicts(result, only),
        "limits": limit_dicts(result),
        "screening": [{"id": s.threshold_id, "program": s.program, "pollutant": s.pollutant, "emitted": s.tons_per_year,
                       "threshold": s.threshold_tons, "unit": "short_ton / year", "crossed": s.crossed, "complete": s.complete,
                       "state": screening_state(s), "source": s.source}
                      for s in result.screening if s.pollutant in shown],
        "screening_note": SCREENING_NOTE,
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


def limits_view(result: Result) -> View:
    """Return the permit limits table (nothing when the scenario has none)."""
    rows = limit_dicts(result)
    if not rows:
        return []
    t = Table("Permit limits", (Column("Pollutant"), Column("Limit", fold=True), Column("Estimate", "right"),
                                Column("Margin", "right"), Column("Within?"), Column("Source", fold=True, optional=True)))
    short = {"pound / year": "short tons/yr", "pound / hour": "lb/h", "pound / megabritish_thermal_unit": "lb/MMBtu"}
    for r in rows:
        scale = 1 / LB_PER_SHORT_TON if r["kind"] == "annual" else 1.0
        unit = short[r["limit"]["unit"]]
        ok = "yes" if r["within"] else "NO"
        if not r["complete"] and r["within"]:
            ok = "incomplete"
        t.rows.append((r["pollutant"], r["limit"]["as_given"], f"{human(r['estimate']['value'] * scale)} {unit}",
                       f"{human(r['margin']['value'] * scale)} {unit}", Cell(ok, "" if r["within"] else "alert"), r["source"]))
    return [t]


def screening_state(s: Any) -> str:
    """Name a screening row's state: 'above', 'below', 'above (at least)' or 'incomplete'."""
    if s.crossed is None:
        return "incomplete"
    if s.crossed:
        return "above" if s.complete else "above (at least)"
    return "below"


def group_dicts(result: Result, only: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Return each emission unit group with its annual mass and full-load rate per pollutant (what permit tables show)."""
    sc = result.scenario
    per_lb = _mass_per_lb(result)
    ids = selected(only)
    return [{"name": g.name, "kind": g.kind, "count": g.count,
             "capacity_per_unit": {"value": g.capacity_kw / KW_PER_MW, "unit": U_MW},
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
    per_lb, to_tonne = _mass_per_lb(result), _per_lb("metric_ton")
    for p in selected(only):
        e = result.emissions[p]
        note = "" if e.complete else "incomplete: no factor for " + "; ".join(e.missing)
        out.append({"quantity": f"emissions.{p}", "value": e.lb_per_year * per_lb, "unit": f"{sc.mass_unit} / year", "note": note,
                    **({k: getattr(spread[p], k) * per_lb for k in SPREAD_FIELDS} if spread else {})})
        out.append({"quantity": f"emissions.{p}.metric_tonnes", "value": e.lb_per_year * to_tonne, "unit": "metric_ton / year", "note": note})
        out.append({"quantity": f"emissions.{p}.per_hour", "value": e.lb_per_hour, "unit": U_LB_H, "note": note})
    return out


def value_of(result: Result, pollutant: str) -> float:
    """Return one pollutant's annual mass in the scenario's mass unit (the 'value' format)."""
    return result.emissions[pollutant].lb_per_year * _mass_per_lb(result)


def _sources(result: Result, ids: list[str]) -> dict[str, int]:
    """Number the distinct factor sources, so that tables can cite them as [n]."""
    numbers: dict[str, int] = {}
    for p in ids:
        for x in factor_entries(result, p):
            numbers.setdefault(x["source"], len(numbers) + 1)
    return numbers


def _factor_cell(result: Result, p: str, numbers: dict[str, int]) -> tuple[str, str]:
    e = result.emissions[p]
    sc = result.scenario
    if p == "co2e":
        return f"CO2 + {sc.gwp_ch4:g} CH4 + {sc.gwp_n2o:g} N2O", f"GWP {sc.gwp_set}"
    entries = factor_entries(result, p)
    text = " / ".join(dict.fromkeys(x["as_given"] for x in entries)) or "none"
    if e.missing:
        covered = sum(int(g.count) for g in sc.groups if g.name not in e.missing)
        text += f" ({covered} of {sum(int(g.count) for g in sc.groups)} units)"
    refs = sorted({numbers[x["source"]] for x in entries})
    marks = sorted({STATUS_MARK[x["status"]] for x in entries if x["status"] in STATUS_MARK})
    return text, "".join(f"[{n}]" for n in refs) + (" " + ", ".join(marks) if marks else "")


SCREEN_COLUMNS = (("title_v", "title_v_ozone"), ("psd_other", "psd_listed"), ("hap_single", "hap_combined"),
                  ("ser_nox", "ser_co", "ser_voc", "ser_so2", "ser_pm25", "ser_ghg"))


def _screen_cells(result: Result, p: str) -> list[Cell]:
    by_id = {s.threshold_id: s for s in result.screening if s.pollutant == p}
    cells = []
    for ids in SCREEN_COLUMNS:
        hits = [by_id[i] for i in ids if i in by_id]
        crossed = [s for s in hits if s.crossed]
        unknown = [s for s in hits if s.crossed is None]
        least = "" if all(s.complete for s in hits) else " (at least)"
        if not hits:
            cells.append(Cell("-"))
        elif crossed and len(crossed) == len(hits):
            cells.append(Cell("ABOVE" + least, "alert"))
        elif crossed:
            cells.append(Cell(f"ABOVE {crossed[0].threshold_tons:g} only{least}", "alert"))
        elif unknown:
            cells.append(Cell("incomplete"))  # a partial total is never 'below'
        else:
            cells.append(Cell("below"))
    return cells


def result_lines(result: Result) -> list[tuple[str, str, str, str]]:
    """Return the headline quantities as (quantity, value, unit, basis) for people."""
    sc = result.scenario
    n = sum(int(g.count) for g in sc.groups)
    headline = sc.households_method
    return [
        ("Fleet capacity", human(OUTPUTS["capacity"].read(result)), "MW", f"{n} units in {len(sc.groups)} group(s)"),
        ("Operation", human(result.hours), "full-load h/yr", sc.operation_basis),
        ("Generation", human(result.generation_mwh), "MWh/yr", "electricity out"),
        ("Heat input", human(result.heat_input_mmbtu), "MMBtu/yr (HHV)", f"{human(OUTPUTS['heat_input.per_hour'].read(result))} MMBtu/h"),
        ("Fuel", human(result.fuel_scf * units.multiplier("scf", "MMscf")), "million scf/yr", f"at {sc.fuel_hhv * BTU_PER_MMBTU:,.0f} Btu/scf (HHV)"),
        ("Households" + (" (headline)" if headline == "energy" else ""), human(result.households_energy), "homes",
         f"energy view: generation / {sc.household_use_kwh:,.0f} kWh/yr per home"),
        ("Households" + (" (headline)" if headline == "capacity" else ""), human(result.households_capacity), "homes",
         f"capacity view: capacity / {sc.household_demand_kw:g} kW per home"),
    ]


def estimate_view(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None) -> View:
    """Return the estimate as people read it: fleet, results, emissions, screening, assumptions, sources, notes."""
    sc = result.scenario
    ids = selected(only)
    numbers = _sources(result, ids)
    first_sources = dict(numbers)
    to_tonne = _per_lb("metric_ton")
    view: View = []
    if sc.title:
        view.append(Line(sc.title, "bold"))
    fleet = Table("Fleet", (Column("Group", fold=True), Column("Kind"), Column("Units", "right"), Column("MW each", "right"),
                            Column("Heat rate HHV", "right"), Column("Control")))
    for g in sc.groups:
        fleet.rows.append((g.name, g.kind, str(g.count), f"{g.capacity_kw / KW_PER_MW:g}", f"{g.heat_rate_hhv:,.0f} Btu/kWh",
                           g.control if g.kind == "turbine" else "-"))
    view.append(fleet)
    res = Table("Results", (Column("Quantity"), Column("Value", "right"), Column("Unit"), Column("Basis", fold=True)))
    res.rows.extend(result_lines(result))
    view.append(res)
    for w in sc.warnings:
        view.append(Line("Warning: " + w, "bold"))

    custom = sc.mass_unit not in ("short_ton", "metric_ton")
    per_mass = _mass_per_lb(result)
    cols = [Column("Pollutant"), Column("short tons/yr", "right"), Column("tonnes/yr", "right")]
    if custom:
        cols.append(Column(f"{sc.mass_unit}/yr", "right"))
    if spread:
        cols += [Column("P50", "right"), Column("P5 .. P95 short tons/yr", "right")]
    cols += [Column("lb/h", "right"), Column("Factor used", fold=True), Column("Source", fold=True)]
    em = Table("Emissions per year, whole fleet (short tons = US 2,000 lb; tonnes = 1,000 kg)", tuple(cols))
    incomplete = False
    for p in ids:
        e = result.emissions[p]
        incomplete |= not e.complete
        tons = e.lb_per_year / LB_PER_SHORT_TON
        name = p + ("" if e.complete else " *")
        if spread:
            sp = spread[p]
            lo, mid, hi = (x / LB_PER_SHORT_TON for x in (sp.p5, sp.p50, sp.p95))
            cells = [name, to_spread(tons, lo, hi), to_spread(e.lb_per_year * to_tonne, sp.p5 * to_tonne, sp.p95 * to_tonne)]
        else:
            cells = [name, human(tons), human(e.lb_per_year * to_tonne)]
        if custom:
            cells.append(human(e.lb_per_year * per_mass))
        if spread:
            cells += [to_spread(mid, lo, hi), f"{to_spread(lo, lo, hi)} .. {to_spread(hi, lo, hi)}"]
        cells += [human(e.lb_per_hour), *_factor_cell(result, p, numbers)]
        em.rows.append(tuple(cells))
        if e.lb_startup:
            su = e.lb_startup / LB_PER_SHORT_TON
            em.rows.append(tuple(["  of which startup/shutdown", human(su), human(e.lb_startup * to_tonne)]
                                 + [""] * (len(cols) - 3)))
    view.append(em)
    if spread:
        u = sc.uncertain
        view.append(Line(f"P5 .. P95: Monte Carlo over {len(u)} uncertain input(s): " + "; ".join(
            f"{x.name} {x.dist.describe(sig4)} {x.unit}".rstrip() for x in u) + ". Central values and percentiles are rounded to the spread."))
    if incomplete:
        lacking = sorted({g for p in ids for g in result.emissions[p].missing})
        view.append(Line("* incomplete: no factor for " + ", ".join(lacking) + ", so the total covers only the other units "
                         "(give one with --factor POLLUTANT=QTY or in the preset)."))
    for src, n in first_sources.items():
        view.append(Line(f"[{n}] {src}"))
    if result.methane and ("ch4" in ids or "co2e" in ids):
        rep, phys = result.methane.get("reporting"), result.methane.get("physical")
        view.append(Line(f"Methane: ch4 and co2e above are on the {sc.methane_basis} basis. Reporting (40 CFR 98): "
                         f"{human(rep['ch4'] / LB_PER_SHORT_TON)} short tons CH4, {human(rep['co2e'] / LB_PER_SHORT_TON)} CO2e; "
                         f"physical (AP-42, methane slip): {human(phys['ch4'] / LB_PER_SHORT_TON)} short tons CH4, "
                         f"{human(phys['co2e'] / LB_PER_SHORT_TON)} CO2e (GWP {sc.gwp_set}, {sc.gwp_horizon}-year)."
                         + ("" if phys["complete"] else " The physical total leaves out units without an AP-42 methane factor.")))
    view += unit_tables(result, ids)

    regulated = [p for p in ids if any(s.pollutant == p for s in result.screening)]
    if regulated:
        view.append(Line())
        area = data.areas()[sc.area]
        title_v = "Title V (100)" if area.nox_voc == 100 else f"Title V (100; NOx, VOC {area.nox_voc:g})"
        scr = Table(f"Regulatory screening: annual emissions vs major-source thresholds, all in US short tons/yr ({area.name})",
                    (Column("Pollutant"), Column("short tons/yr", "right"), Column(title_v),
                     Column("PSD (250; 100 listed)"), Column("HAP (10 one / 25 all)"),
                     Column("PSD SER (change)", optional=True)))
        for p in regulated:
            e = result.emissions[p]
            scr.rows.append((p + ("" if e.complete else " *"), human(e.lb_per_year / LB_PER_SHORT_TON), *_screen_cells(result, p)))
        view.append(scr)
        view += limits_view(result)
        view.append(Line(SCREENING_NOTE))

    view.append(Line())
    asm = Table("Assumptions (sources listed below)", (Column("Input", fold=True), Column("Value", "right", fold=True),
                                                      Column("Unit", fold=True), Column("Status"), Column("From", optional=True),
                                                      Column("Source")))
    for a in sc.assumptions:
        value = f"{a.value:,.6g}" if isinstance(a.value, float) else str(a.value)
        ref = numbers.setdefault(a.source + (f" ({a.note})" if a.note else ""), len(numbers) + 1)
        asm.rows.append((a.name, value, a.unit, a.status, a.layer, f"[{ref}]"))
    for p in ids:
        by_factor: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for x in factor_entries(result, p):
            by_factor.setdefault((x["as_given"], x["source"]), []).append(x)
        for same in by_factor.values():
            x = same[0]
            who = "all units" if len(same) == len(sc.groups) else ", ".join(y["group"] for y in same)
            equiv = "" if x["as_given"].endswith(x["unit"]) else f"= {human(x['value'])} {x['unit']}"
            asm.rows.append((f"factor {p} ({who})", x["as_given"], equiv, x["status"], x["layer"], f"[{numbers[x['source']]}]"))
    view.append(asm)
    for src, n in numbers.items():
        if src not in first_sources:
            view.append(Line(f"[{n}] {src}"))
    view += [Line(), Line("Notes", "bold")]
    view += [Line("- " + n) for n in list(sc.notes) + [TONS_NOTE]]
    return view


def unit_tables(result: Result, ids: Sequence[str]) -> View:
    """Return one table per emission unit group, as permit applications show them: lb/h each, lb/h all, tons/yr all."""
    view: View = []
    for g in result.groups:
        heat_each = g.heat_input_mmbtu_h / g.count if g.count else 0.0
        t = Table(f"Emission unit: {g.name} ({g.count} x {g.capacity_kw / KW_PER_MW:g} MW {g.kind}, "
                  f"{human(heat_each)} MMBtu/h each, HHV)",
                  (Column("Pollutant"), Column("lb/h each", "right"), Column("lb/h all", "right"),
                   Column("short tons/yr all", "right"), Column("Factor", fold=True)))
        for p in ids:
            if p not in g.lb_per_year:
                t.rows.append((p, "-", "-", "-", "no factor"))
                continue
            f = g.factors.get(p)
            factor = f.text if f is not None else f"CO2 + {result.scenario.gwp_ch4:g} CH4 + {result.scenario.gwp_n2o:g} N2O"
            if f is not None and f.status in STATUS_MARK:
                factor += f" ({STATUS_MARK[f.status]})"
            t.rows.append((p, human(g.lb_per_hour[p] / g.count), human(g.lb_per_hour[p]), human(g.lb_per_year[p] / LB_PER_SHORT_TON),
                           factor))
        view.append(t)
    return view


@lru_cache(maxsize=None)
def _data_file_hashes() -> dict[str, str]:
    """Return the SHA-256 of each shipped data file, read once per process."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.DATA_DIR.glob("*.toml"))}


def manifest(result: Result, run: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return what is needed to reproduce a figure: versions, data-file hashes, resolved inputs and their hash.

    The hash covers every input that can change a printed number: the fleet, factors, ranges and their
    distributions, and the run's own settings (samples, seed, mass unit, pollutants shown).
    """
    sc = result.scenario
    inputs = {
        "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_kw": g.capacity_kw, "heat_rate": g.heat_rate,
                   "basis": g.basis, "control": g.control} for g in sc.groups],
        "hours": sc.hours, "hhv_lhv": sc.hhv_lhv, "fuel_hhv": sc.fuel_hhv, "household_use_kwh": sc.household_use_kwh,
        "household_demand_kw": sc.household_demand_kw, "households_method": sc.households_method, "gwp": sc.gwp_set,
        "mass_unit": sc.mass_unit,
        "factors": {p: [{"group": g, "form": f.form, "value": f.value, "as_given": f.text, "layer": f.layer}
                        for g, f in result.emissions[p].factors] for p in data.POLLUTANTS if p != "co2e"},
        "uncertain": [{"name": u.name, "path": [str(x) for x in u.path], "distribution": u.dist.kind,
                       "parameters": [u.dist.a, u.dist.b] + ([] if math.isnan(u.dist.c) else [u.dist.c]), "central": u.central}
                      for u in sc.uncertain],
        "run": dict(run or {}),
        "layers": [{"name": a.name, "layer": a.layer, "status": a.status} for a in sc.assumptions],
    }
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return {"emiss_version": __version__, "factor_library": data.factor_library_version(),
            "data_files_sha256": _data_file_hashes(), "scenario": sc.name, "inputs": inputs,
            "inputs_sha256": hashlib.sha256(canonical.encode()).hexdigest()}


def methods_text(result: Result, *, only: Iterable[str] | None = None) -> str:
    """Return a plain-language methods paragraph and the step-by-step calculation for one pollutant."""
    sc = result.scenario
    pol = selected(only)[0]
    e = result.emissions[pol]
    n = sum(int(g.count) for g in sc.groups)
    groups = "; ".join(
        f"{g.count} x {g.capacity_kw / KW_PER_MW:g} MW {g.kind}{'s' if g.count > 1 else ''} ({g.name}) at {g.heat_rate:,.0f} Btu/kWh {g.basis.upper()}"
        for g in sc.groups)
    flagged = [(a.name, a.status) for a in sc.assumptions if a.status in ("calibrated", "assumed")]
    flagged += [(f"{pol} factor", f.status) for _, f in e.factors if f.status in ("calibrated", "assumed")]
    tons = e.lb_per_year / LB_PER_SHORT_TON
    tonnes = e.lb_per_year * _per_lb("metric_ton")
    lines = [
        f"Methods. Emissions were estimated with emiss {__version__} (factor library {data.factor_library_version()}) "
        f"for {sc.title or sc.name}: {n} units ({groups}), {result.capacity_kw / KW_PER_MW:,.1f} MW in all, operated at "
        f"{sc.operation_basis}. Heat input (higher heating value, HHV) is capacity x hours x heat rate; heat rates quoted "
        f"on a lower-heating-value basis were raised by the HHV/LHV ratio {sc.hhv_lhv:g}. Emission factors per unit of heat "
        f"input come from EPA AP-42 section 3.1 (April 2000) for turbines, section 3.2 (July 2000) for reciprocating engines, and from 40 CFR Part 98 Tables C-1 and C-2 for "
        f"greenhouse gases, unless the scenario gives its own; stack concentrations (ppmvd at 15 % O2) are converted with "
        f"EPA Method 19 (Fd {data.constant('method19_fd').value:,} dscf/MMBtu). CO2-equivalent uses {sc.gwp_set} {sc.gwp_horizon}-year GWPs (CH4 {sc.gwp_ch4:g}, "
        f"N2O {sc.gwp_n2o:g}). Results are in US short tons (2,000 lb) and metric tonnes (1,000 kg). "
        f"Household equivalents divide generation by {sc.household_use_kwh:,.0f} kWh per home per year (energy view: "
        f"{result.households_energy:,.0f} homes) or capacity by {sc.household_demand_kw:g} kW per home (capacity view: "
        f"{result.households_capacity:,.0f} homes); the headline uses the {sc.households_method} view.",
    ]
    if flagged:
        lines.append("Values chosen rather than measured: " + "; ".join(dict.fromkeys(f"{a} ({s})" for a, s in flagged)) + ".")
    if not e.complete:
        lines.append(f"The {pol} total covers only the units with a factor; none was available for: {', '.join(e.missing)}.")
    lines += ["", f"Step by step for {pol} ({e.name}):",
              "1. Capacity: " + " + ".join(f"{g.count} x {g.capacity_kw / KW_PER_MW:g} MW" for g in sc.groups) + f" = {result.capacity_kw / KW_PER_MW:,.4g} MW.",
              f"2. Operation: {result.hours:,.0f} full-load hours per year.",
              f"3. Generation: {result.capacity_kw / KW_PER_MW:,.4g} MW x {result.hours:,.0f} h = {result.generation_mwh:,.0f} MWh/yr."]
    many = len(sc.groups) > 1
    for i, g in enumerate(sc.groups):
        heat = g.count * g.capacity_kw * result.hours * g.heat_rate_hhv / BTU_PER_MMBTU
        conv = f" ({g.heat_rate:,.0f} LHV x {sc.hhv_lhv:g})" if g.basis == "lhv" else ""
        lines.append(f"4{_letter(i) if many else ''}. Heat input, {g.name}: {g.count} x {g.capacity_kw:,.0f} kW x {result.hours:,.0f} h x "
                     f"{g.heat_rate_hhv:,.1f} Btu/kWh HHV{conv} = {heat:,.0f} MMBtu/yr.")
    for i, (group, f) in enumerate(e.factors):
        detail = ""
        conc = units.parse_concentration(f.text)
        if conc is not None:
            mw = data.constant(data.concentration_mw_key(pol)).value
            vol, fd, air = (data.constant(k).value for k in ("molar_volume", "method19_fd", "method19_o2_air"))
            detail = (f" = {conc.ppm:g} ppm x ({mw:g} lb/lb-mol / {vol:g} scf/lb-mol x 1e-6) x {fd:,} dscf/MMBtu x "
                      f"{air:g}/({air:g} - {conc.o2_percent:g})")
        lines.append(f"5{_letter(i) if len(e.factors) > 1 else ''}. Factor, {group}: {f.text}{detail} = {f.value:.5g} {FORM_UNITS[f.form]} [{f.source}].")
    lines.append(f"6. Emissions: {e.lb_per_year:,.0f} lb/yr = {tons:,.1f} short tons/yr = {tonnes:,.1f} metric tonnes/yr.")
    return "\n".join(lines) + "\n"


def _letter(i: int) -> str:
    """Return a, b, ... z, aa, ab, ... for step i (no limit on the number of groups)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s


# ---- batch records -------------------------------------------------------------------------------------

BATCH_OUTPUTS = ("capacity", "generation", "heat_input", "fuel")


def record_doc(record: Any, result: Result, only: Sequence[str] | None) -> dict[str, Any]:
    """Return the compact output of one batch record: the same keys and numbers as 'estimate --format json'."""
    sc = result.scenario
    per = _mass_per_lb(result)
    unit = f"{sc.mass_unit} / year"
    out: dict[str, Any] = {"id": record.id, "record": record.number}
    for name in BATCH_OUTPUTS:
        out[name] = _o(name, result)
    out["heat_input"]["basis"] = "HHV"
    out["households"] = {"value": result.households, "method": sc.households_method}
    out["emissions"] = {p: {"value": result.emissions[p].lb_per_year * per, "unit": unit, "complete": result.emissions[p].complete}
                        for p in selected(only)}
    return out


def batch_fields(only: Sequence[str] | None, mass_unit: str) -> list[str]:
    """Return the CSV/TSV columns of batch output, each carrying its unit."""
    return (["id", "record", "capacity_mw", "generation_mwh_yr", "heat_input_mmbtu_yr", "fuel_scf_yr", "households",
             "households_method"] + [f"{p}_{mass_unit}_yr" for p in selected(only)] + ["error"])


def error_doc(record: Any, exc: Any) -> dict[str, Any]:
    """Return the output of a record that failed."""
    return {"id": record.id, "record": record.number, "error": {"message": exc.message, "field": exc.where or None}}


def error_text(record: Any, exc: Any) -> str:
    """Return the one-line message for a failed record."""
    ident = f" (id {record.id})" if record.id not in (None, "") else ""
    where = f"{exc.where}: " if exc.where else ""
    return f"record {record.number}{ident}: {where}{exc.message}"


# ---- cluster ---------------------------------------------------------------------------------------------

def cluster_doc(cr: Any) -> dict[str, Any]:
    """Return one cluster result as a JSON-ready dictionary (the estimate's keys plus power and turbines)."""
    p = cr.plan
    doc = estimate_doc(cr.result)
    period = "GPU-year" if p.run_hours >= cr.result.scenario.year_hours else f"GPU over a {p.run_hours:,.0f} h run"
    doc.update(
        gpus=p.gpus,
        gpu={"id": p.gpu["id"], "name": p.gpu["name"], "server_power": {"value": p.server_kw, "unit": "kilowatt"},
             "gpus_per_server": p.gpu["gpus_per_server"], "source": p.gpu["source"], "status": p.gpu["status"]},
        power={"it": {"value": p.it_kw / KW_PER_MW, "unit": U_MW}, "facility": {"value": p.facility_kw / KW_PER_MW, "unit": U_MW},
               "pue": p.pue, "network_storage": p.network_storage, "servers": p.servers},
        turbines={"count": p.total, "running": p.running, "spare": p.redundancy, "model": p.unit["id"] if p.unit else None,
                  "capacity_per_unit": {"value": p.unit_capacity_kw / KW_PER_MW, "unit": U_MW}, "derate": p.derate,
                  "load_fraction": p.facility_kw / (p.total * p.unit_capacity_kw)},
        run_hours=p.run_hours,
        per_gpu={"period": period,
                 "nox": {"value": cr.per_gpu("nox") * _per_lb("kg"), "unit": "kilogram"},
                 "co2e": {"value": cr.per_gpu("co2e") * _per_lb("metric_ton"), "unit": "metric_ton"}},
    )
    doc["assumptions"] = assumption_dicts(p.assumptions) + doc["assumptions"]
    return doc


# (catalogue output, label, mass unit for pollutants) -> the cluster rows; per-GPU rows follow.
_CLUSTER_ROWS = (("gpus", "GPUs", ""), ("power.it", "IT load", ""), ("power.facility", "Facility load", ""),
                 ("turbines.count", "Units (running + spare)", ""), ("generation", "Generation", ""),
                 ("nox", "NOx", "short_ton"), ("nox", "NOx", "metric_ton"), ("co2e", "CO2e", "metric_ton"),
                 ("households.energy", "Households (energy view)", ""))
_CLUSTER = {o.id: o for o in CLUSTER}
_SHORT = {"short_ton": "short tons", "metric_ton": "tonnes", "kilogram": "kg"}


def cluster_rows(results: Sequence[Any]) -> list[dict[str, Any]]:
    """Return cluster results as rows (gpus, quantity, label, value, unit), with pint-parseable units."""
    rows = []
    for cr in results:
        for name, label, mass in _CLUSTER_ROWS:
            o = _CLUSTER[name]
            v = o.read(cr)
            unit = o.unit
            if mass:
                v, unit = v * _per_lb(mass), f"{mass}"
            rows.append({"gpus": cr.plan.gpus, "quantity": name if not mass else f"{name}.{mass}", "label": label,
                         "value": v, "unit": unit.replace(" / year", "") if name == "generation" else unit})
        per = cluster_doc_per_gpu(cr)
        rows.append({"gpus": cr.plan.gpus, "quantity": "per_gpu.nox", "label": "NOx per GPU", "value": per["nox"], "unit": "kilogram"})
        rows.append({"gpus": cr.plan.gpus, "quantity": "per_gpu.co2e", "label": "CO2e per GPU", "value": per["co2e"], "unit": "metric_ton"})
    return rows


def cluster_doc_per_gpu(cr: Any) -> dict[str, float]:
    """Return NOx (kg) and CO2e (t) per GPU over the modelled period."""
    return {"nox": cr.per_gpu("nox") * _per_lb("kg"), "co2e": cr.per_gpu("co2e") * _per_lb("metric_ton")}


def cluster_view(results: Sequence[Any]) -> View:
    """Return cluster results side by side, with the chain of assumptions and sources."""
    rows = cluster_rows(results)
    n = len(_CLUSTER_ROWS) + 2
    header = ["Quantity", "Unit"] + [f"{cr.plan.gpus:,} {cr.plan.gpu['id'].upper()}" for cr in results]
    body = []
    for i in range(n):
        r0 = rows[i]
        unit = {"megawatt": "MW", "megawatt_hour": "MWh", "dimensionless": ""}.get(r0["unit"], _SHORT.get(r0["unit"], r0["unit"]))
        if r0["quantity"].startswith("households"):
            unit = "homes"
        cells = []
        for j in range(len(results)):
            v = rows[j * n + i]["value"]
            cells.append(f"{v:,}" if isinstance(v, int) else human(float(v)))
        body.append([r0["label"], unit] + cells)
    first = results[0]
    p = first.plan
    model = p.unit["name"] if p.unit else f"{p.unit_capacity_kw / KW_PER_MW:g} MW units"
    period = "GPU-year" if p.run_hours >= first.result.scenario.year_hours else f"GPU over a {p.run_hours:,.0f} h run"
    notes = [f"Units: {model}, derate {p.derate:g}, {p.redundancy} spare; running units follow the load at full-load heat rate.",
             f"IT load = servers x {p.server_kw:g} kW per {p.gpu['gpus_per_server']}-GPU server x (1 + {p.network_storage:g}); "
             f"facility = IT x PUE {p.pue:g}. Per-GPU figures are per {period}."]
    view = side_by_side("From GPUs to turbines", header, body, notes, bullet="")
    view.append(Line("Sources", "bold"))
    seen: list[str] = []
    for a in p.assumptions:
        if a.source not in seen and a.layer != "cli":
            seen.append(a.source)
    for pol in ("nox", "co2", "ch4", "n2o"):
        for _, f in first.result.emissions[pol].factors:
            if f.source not in seen:
                seen.append(f.source)
    view += [Line(f"[{i}] {s}") for i, s in enumerate(seen, 1)]
    return view


def side_by_side(title: str, header: list[str], body: list[list[str]], notes: list[str], *, bullet: str = "- ") -> View:
    """Return columns of scenarios (label and unit first) as a table followed by notes."""
    t = Table(title, tuple(Column(h, "right" if i >= 2 else "left", fold=i == 0) for i, h in enumerate(header)))
    t.rows.extend(tuple(r) for r in body)
    return [t] + [Line(bullet + n) for n in notes]


# ---- compare ---------------------------------------------------------------------------------------------

def _compare_specs(only: Sequence[str] | None) -> list[str]:
    return [o for o in COMPARE if o not in data.POLLUTANTS or only is None or o in only]


def _compare_value(col: Any, output: str) -> float | None:
    v = col.value(output)
    return None if v is None else (v / LB_PER_SHORT_TON if output in data.POLLUTANTS else v)


def _compare_unit(output: str) -> str:
    return "short_ton / year" if output in data.POLLUTANTS else OUTPUTS[output].unit


def compare_doc(tbl: Any, only: Sequence[str] | None) -> dict[str, Any]:
    """Return a comparison as a JSON-ready dictionary: each scenario's estimate and the compared rows."""
    specs = _compare_specs(only)
    return {"scenarios": [{"label": c.label, "estimate": estimate_doc(c.result, only=only) if c.result else None,
                           "note": c.note or None} for c in tbl.columns],
            "rows": [{"output": o, "unit": _compare_unit(o), "values": [_compare_value(c, o) for c in tbl.columns]} for o in specs],
            "notes": tbl.notes}


def compare_rows(tbl: Any, only: Sequence[str] | None) -> list[dict[str, Any]]:
    """Return a comparison as rows (output, unit, scenario, value, diff, pct)."""
    records = []
    for o in _compare_specs(only):
        values = [_compare_value(c, o) for c in tbl.columns]
        first = values[0]
        for c, v in zip(tbl.columns, values):
            diff = None if v is None or first is None else v - first
            pct = None if diff is None or not first else 100 * diff / first
            records.append({"output": o, "unit": _compare_unit(o), "scenario": c.label, "value": v, "diff": diff, "pct": pct})
    return records


def compare_view(tbl: Any, only: Sequence[str] | None) -> View:
    """Return scenarios side by side with differences (%) against the first column."""
    cols = tbl.columns
    specs = _compare_specs(only)

    def cell(v: float | None, first: float | None, is_first: bool) -> str:
        if v is None:
            return "n/a"
        if is_first or first is None:
            return human(v)
        if first == 0:
            return human(v) + (" (=)" if v == 0 else "")
        pct = 100 * (v - first) / first
        return f"{human(v)} ({pct:+.0f}%)" if abs(pct) >= 0.5 or pct == 0 else f"{human(v)} ({pct:+.1f}%)"

    short = {"capacity": "MW", "hours": "full-load h/yr", "generation": "MWh/yr", "heat_input": "MMBtu/yr (HHV)", "households": "homes"}
    body = [[o, short.get(o, "short tons/yr")] + [cell(_compare_value(c, o), _compare_value(cols[0], o), i == 0) + ("" if c.complete(o) else " *")
                                                  for i, c in enumerate(cols)] for o in specs]
    notes = list(tbl.notes)
    if any(not c.complete(o) for c in cols for o in specs):
        notes.append("* incomplete: some units have no factor for this pollutant (e.g. reciprocating engines without a "
                     "verified AP-42 s.3.2 factor), so the figure covers only the others.")
    return side_by_side("Scenarios compared (differences against the first column)", ["Output", "Unit"] + [c.label for c in cols], body, notes)


# ---- solve and sensitivity -----------------------------------------------------------------------------

def solution_doc(sol: Any, factor_views: dict[str, Any] | None) -> dict[str, Any]:
    """Return a solve result as a JSON-ready dictionary."""
    out = OUTPUTS[sol.target_output]
    doc: dict[str, Any] = {
        "vary": sol.vary, "value": sol.value, "unit": sol.unit, "needed": sol.needed, "feasible": sol.feasible,
        "problem": sol.problem or None,
        "target": {"output": sol.target_output, "value": sol.target_value, "unit": out.unit},
    }
    if factor_views is not None:
        doc["factor"] = factor_views
    doc["estimate"] = estimate_doc(sol.result)
    return doc


def solution_view(sol: Any, doc: dict[str, Any]) -> View:
    """Return a solve result for people: the value needed, its other forms, and the estimate there."""
    tgt = doc["target"]
    shown = (f"{tgt['value'] / LB_PER_SHORT_TON:,.4g} short tons/yr" if sol.target_output in data.POLLUTANTS
             else f"{tgt['value']:,.6g} {OUTPUTS[sol.target_output].short_unit}".strip())
    view: View = [Line(f"To reach {sol.target_output} = {shown}, {sol.vary} must be:", "bold")]
    if "factor" in doc:
        fv = doc["factor"]
        view.append(Line(f"  {fv['lb/MMBtu']:.4g} lb/MMBtu (HHV heat input)"))
        if "ppmvd@15%O2" in fv:
            view.append(Line(f"  {fv['ppmvd@15%O2']:.4g} ppmvd @ 15 % O2 (EPA Method 19)"))
        view.append(Line(f"  {fv['lb/MWh']:.4g} lb/MWh (at this fleet's heat rate)"))
        if fv["placement"]:
            view.append(Line(f"  that is {fv['placement']}"))
        refs = ", ".join(f"{k} {v:.3g}" for k, v in fv["references"].items())
        view.append(Line(f"  (reference levels in lb/MMBtu: {refs})"))
    else:
        view.append(Line(f"  {sol.value:,.6g} {sol.unit}".rstrip()))
    if not sol.feasible:
        view.append(Line(f"Infeasible: {sol.problem}.", "bold"))
    view.append(Line("The estimate at this value:", "bold"))
    return view + estimate_view(sol.result)


def output_scale(output: str) -> tuple[float, str, str]:
    """Return (multiplier from the catalogue unit, pint unit, short unit) in which an output is shown."""
    if output in data.POLLUTANTS:
        return 1 / LB_PER_SHORT_TON, "short_ton / year", "short tons/yr"
    o = OUTPUTS[output]
    return 1.0, o.unit, o.short_unit


def sensitivity_doc(output: str, central: float, swings: Sequence[Any]) -> dict[str, Any]:
    """Return one-at-a-time swings as a JSON-ready dictionary (units pint parses)."""
    scale, unit, _ = output_scale(output)
    return {"output": output, "central": central * scale, "unit": unit, "swings": sensitivity_rows(output, swings)}


def sensitivity_rows(output: str, swings: Sequence[Any]) -> list[dict[str, Any]]:
    """Return one row per uncertain input: its ends, the output at each, and the swing."""
    scale, unit, _ = output_scale(output)
    return [{"input": s.name, "low": s.low_input, "high": s.high_input, "input_unit": _pint_unit(s.unit),
             "output_at_low": s.low_output * scale, "output_at_high": s.high_output * scale,
             "swing": (s.high_output - s.low_output) * scale, "output_unit": unit, "source": s.source} for s in swings]


_PINT_NAMES = {"": "dimensionless", "kW": "kilowatt", "h/year": "hour / year", "hour/year": "hour / year",
               "kWh/year": "kilowatt_hour / year", "Btu/kWh": "british_thermal_unit / kilowatt_hour",
               "lb/MMBtu": "pound / megabritish_thermal_unit", "lb/MWh": "pound / megawatt_hour", "lb/hour": "pound / hour",
               "lb/scf": "pound / foot ** 3"}


def _pint_unit(unit: str) -> str:
    """Return ``unit`` spelled as a stock pint registry parses it."""
    return _PINT_NAMES.get(unit, unit)


def sensitivity_view(output: str, central: float, swings: Sequence[Any]) -> View:
    """Return a tornado of bars, largest swing first."""
    scale, _, unit = output_scale(output)
    width = 22
    biggest = max((abs(v - central) for s in swings for v in (s.low_output, s.high_output)), default=0) or 1
    t = Table(f"Sensitivity of {output} ({unit}); central value {human(central * scale)}",
              (Column("Input (low .. high)", fold=True), Column("at low", "right"), Column("", "right"), Column(""),
               Column("at high", "right")), plain=True)
    for s in swings:
        def bar(v: float) -> tuple[str, str]:
            k = round(width * abs(v - central) / biggest)
            return ("#" * k, "") if v < central else ("", "#" * k)
        lo_l, lo_r = bar(s.low_output)
        hi_l, hi_r = bar(s.high_output)
        left = (lo_l if len(lo_l) >= len(hi_l) else hi_l).rjust(width)
        right = (lo_r if len(lo_r) >= len(hi_r) else hi_r).ljust(width)
        label = f"{s.name} ({human(s.low_input)} .. {human(s.high_input)} {s.unit})".replace(" )", ")")
        t.rows.append((label, human(s.low_output * scale), Cell(left, "low"), Cell("|" + right, "high"), human(s.high_output * scale)))
    return [t, Line("Each bar: the output with that one input at its low and high end, all others central "
                    "(normal and lognormal inputs: P5 and P95).")]


# ---- the shipped tables ----------------------------------------------------------------------------------

CONSTANT_KEYS = ("hours_per_year", "hhv_lhv_ratio", "fuel_hhv", "method19_fd", "method19_o2_air", "molar_volume",
                 "mw_no2", "mw_co", "mw_ch4", "household_use", "household_demand", "default_heat_rate", "default_control", "default_gwp")


def factor_rows() -> list[dict[str, Any]]:
    """Return every library factor with unit, basis, source and status."""
    return [{"pollutant": f.pollutant, "kinds": ", ".join(f.kinds), "control": f.control, "value": f.value, "unit": f.unit,
             "basis": "heat input, HHV", "source": f.source, "edition": _edition(f.source), "rating": "not transcribed",
             "status": f.status, "note": f.note} for f in data.library_factors()]


def factors_doc() -> dict[str, Any]:
    """Return the factor library and the constants."""
    consts = [{"name": k, "value": (c := data.constant(k)).value, "unit": c.unit, "source": c.source, "status": c.status}
              for k in CONSTANT_KEYS]
    return {"factor_library": data.factor_library_version(), "factors": factor_rows(), "constants": consts}


def factors_view() -> View:
    """Return the factor library and the constants for people."""
    doc = factors_doc()
    t = Table(f"Emission-factor library {doc['factor_library']} (per MMBtu of heat input, HHV)",
              tuple(Column(c, fold=c == "source") for c in ("pollutant", "applies to", "control", "value", "unit", "status", "source")))
    t.rows.extend((r["pollutant"], r["kinds"], r["control"], f"{r['value']:g}", r["unit"], r["status"], r["source"]) for r in doc["factors"])
    c = Table("Constants and defaults", tuple(Column(x, fold=x == "source") for x in ("name", "value", "unit", "status", "source")))
    c.rows.extend((r["name"], str(r["value"]), r["unit"], r["status"], r["source"]) for r in doc["constants"])
    return [t, c, Line("AP-42 data-quality ratings are not yet transcribed into the library; see the AP-42 tables named.")]


def _edition(source: str) -> str:
    if "AP-42" in source:
        return "AP-42 5th ed., s.3.2 (July 2000)" if "s.3.2" in source else "AP-42 5th ed., s.3.1 (April 2000)"
    if "Part 98" in source:
        return "40 CFR 98 Subpart C (as amended 2013)"
    return ""


def catalog_doc(units_: dict[str, Any], gpus: dict[str, Any]) -> dict[str, Any]:
    """Return the unit and GPU catalog."""
    return {"units": list(units_.values()), "gpus": list(gpus.values())}


def catalog_view(units_: dict[str, Any], gpus: dict[str, Any]) -> View:
    """Return the unit and GPU catalog for people, with sources."""
    def status(s: str) -> str:
        return "unverified" if s == "recalled" else s

    t = Table("Generating units (NOx/CO in ppmvd@15%O2; heat rate LHV, ISO)",
              tuple(Column(c) for c in ("id", "kind", "capacity", "heat rate", "NOx", "NOx low", "NOx with SCR", "CO", "status")))
    t.rows.extend((u["id"], u["kind"] + (f" {u['engine_type']}" if "engine_type" in u else ""), u["capacity"], u["heat_rate"],
                   str(u.get("nox_ppm", "-")), str(u.get("nox_ppm_low", "-")), str(u.get("nox_ppm_controlled", "-")),
                   str(u.get("co_ppm", "-")), status(u["status"])) for u in units_.values())
    g = Table("GPUs and reference servers", tuple(Column(c) for c in ("id", "name", "GPU power", "server power", "GPUs/server", "status")))
    g.rows.extend((x["id"], x["name"], x["gpu_power"], x["server_power"], str(x["gpus_per_server"]), status(x["status"])) for x in gpus.values())
    view: View = [t, g, Line("Sources", "bold")]
    for e in list(units_.values()) + list(gpus.values()):
        view.append(Line(f"{e['id']}: {e['source']}" + (f"; with SCR: {e['controlled_source']}" if "controlled_source" in e else "")))
    return view


def preset_doc(sc: Scenario) -> dict[str, Any]:
    """Return a preset's resolved inputs: assumptions with sources, factors and ranges."""
    return {"name": sc.name, "title": sc.title, "description": sc.description, "notes": list(sc.notes),
            "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_mw": g.capacity_kw / KW_PER_MW,
                       "heat_rate": g.heat_rate, "heat_rate_basis": g.basis, "control": g.control} for g in sc.groups],
            "assumptions": assumption_dicts(sc.assumptions),
            "factors": {p: {"as_given": f.text, "value": f.value, "unit": f.unit, "source": f.source, "status": f.status}
                        for p, f in sc.fleet_factors.items()},
            "ranges": [{"name": u.name, "distribution": u.dist.describe(), "central": u.central, "unit": u.unit, "source": u.source}
                       for u in sc.uncertain],
            "warnings": list(sc.warnings)}


def preset_view(sc: Scenario) -> View:
    """Return a preset's resolved inputs for people."""
    view: View = [Line(sc.title or sc.name, "bold")]
    if sc.description:
        view.append(Line(sc.description))
    t = Table("", tuple(Column(c, fold=c in ("Input", "Source")) for c in ("Input", "Value", "Unit", "Status", "From", "Source")))
    for a in sc.assumptions:
        t.rows.append((a.name, f"{a.value:,.6g}" if isinstance(a.value, float) else str(a.value), a.unit, a.status, a.layer, a.source))
    for p, f in sc.fleet_factors.items():
        t.rows.append((f"factor {p}", f.text, "", f.status, f.layer, f.source))
    for g in sc.groups:
        for p, f in g.factors.items():
            t.rows.append((f"factor {p} ({g.name})", f.text, "", f.status, f.layer, f.source))
    view.append(t)
    if sc.uncertain:
        r = Table("Ranges (used by --samples and 'emiss sensitivity')", (Column("Input", fold=True), Column("Distribution"),
                                                                        Column("Central"), Column("Unit")))
        r.rows.extend((u.name, u.dist.describe(sig4), sig4(u.central), u.unit) for u in sc.uncertain)
        view.append(r)
    view += [Line("Warning: " + w, "bold") for w in sc.warnings]
    return view


# ---- check: published figures against the estimate ----------------------------------------------------

def _implied_doc(i: Any) -> dict[str, Any] | None:
    if i is None:
        return None
    doc = {"input": i.input, "value": i.value if math.isfinite(i.value) else None, "unit": _pint_unit(i.unit),
           "range": {"low": i.low, "high": i.high}, "plausible": i.plausible, "feasible": i.feasible, "problem": i.problem or None}
    ppm = _as_ppm(i)
    if ppm is not None:
        doc["ppmvd@15%O2"] = ppm
    return doc


def _as_ppm(i: Any) -> float | None:
    """Return a solved per-heat-input factor as ppmvd@15%O2 (Method 19), where the pollutant has a molecular weight."""
    if i is None or i.unit != "lb/MMBtu" or not math.isfinite(i.value) or "factor" not in i.input:
        return None
    pol = i.input.split("factor ", 1)[1].split()[0]
    key = data.concentration_mw_key(pol)
    if key is None:
        return None
    from emiss.core.factors import concentration_to_input

    return i.value / concentration_to_input(pol, units.Concentration(1.0, 15.0), where="check")


def check_doc(checks: Sequence[Any]) -> dict[str, Any]:
    """Return checked claims as the JSON document of 'emiss check'."""
    presets = []
    for pc in checks:
        claims_out = []
        for c in pc.claims:
            scale, unit, _ = output_scale(c.claim.output)
            cl = c.claim
            published: dict[str, Any] = ({"value": cl.low * scale, "unit": unit} if cl.low == cl.high
                                         else {"low": cl.low * scale, "high": cl.high * scale, "unit": unit})
            published.update(relation=cl.relation, as_published=cl.text, tolerance=cl.tolerance)
            claims_out.append({
                "output": cl.output, "published": published, "estimate": {"value": c.estimate * scale, "unit": unit},
                "difference_pct": c.difference_pct, "verdict": c.verdict, "implied": _implied_doc(c.implied),
                "decided_by": list(c.decided_by), "condition": dict(cl.given) or None,
                "source": {"who": cl.who, "when": cl.when, "source": cl.source, "quote": cl.quote, "status": cl.status},
                "note": " ".join(x for x in (cl.note, c.note) if x) or None,
            })
        presets.append({"preset": pc.name, "title": pc.title, "date": pc.date, "claims": claims_out,
                        "headline": _headline(pc.result),
                        "variants": [{"label": label, "note": note or None, "headline": _headline(r)} for label, note, r in pc.variants]})
    return {"presets": presets}


def _headline(r: Result) -> dict[str, Any]:
    return {"units": sum(int(g.count) for g in r.scenario.groups), "capacity": _o("capacity", r),
            "nox": {"value": r.emissions["nox"].lb_per_year / LB_PER_SHORT_TON, "unit": "short_ton / year",
                    "complete": r.emissions["nox"].complete},
            "co2e": {"value": r.emissions["co2e"].lb_per_year * _per_lb("metric_ton"), "unit": "metric_ton / year"},
            "households": {"value": r.households, "method": r.scenario.households_method}}


CHECK_FIELDS = ("preset", "date", "output", "published", "published_unit", "relation", "estimate", "unit", "difference_pct",
                "verdict", "implied_input", "implied_value", "implied_unit", "plausible", "who", "when", "source")


def check_rows(checks: Sequence[Any]) -> list[dict[str, Any]]:
    """Return one row per claim for csv/tsv/ndjson."""
    rows = []
    for p in check_doc(checks)["presets"]:
        for c in p["claims"]:
            pub = c["published"]
            i = c["implied"] or {}
            rows.append({"preset": p["preset"], "date": p["date"], "output": c["output"],
                         "published": pub.get("value", f"{pub.get('low')}..{pub.get('high')}"), "published_unit": pub["unit"],
                         "relation": pub["relation"], "estimate": c["estimate"]["value"], "unit": c["estimate"]["unit"],
                         "difference_pct": c["difference_pct"], "verdict": c["verdict"], "implied_input": i.get("input", ""),
                         "implied_value": i.get("value", ""), "implied_unit": i.get("unit", ""), "plausible": i.get("plausible", ""),
                         "who": c["source"]["who"], "when": c["source"]["when"], "source": c["source"]["source"]})
    return rows


def _num(output: str, v: float) -> str:
    return f"{v:,.0f}" if output == "units" else human(v)


def _fmt_published(c: Any) -> str:
    cl = c.claim
    scale, _, short = output_scale(cl.output)
    if cl.relation == "range":
        return f"{_num(cl.output, cl.low * scale)}..{_num(cl.output, cl.high * scale)} {short}"
    word = {"at least": "at least ", "at most": "at most "}.get(cl.relation, "")
    return f"{word}{_num(cl.output, cl.low * scale)} {short}"


def _fmt_implied(c: Any) -> str:
    i = c.implied
    if c.verdict == "consistent":
        return ""
    if i is None:
        return "no range in the preset moves it"
    if not math.isfinite(i.value):
        return f"{i.input}: {i.problem}"
    ppm = _as_ppm(i)
    lo, hi = i.low, i.high
    if ppm is not None:
        per = ppm / i.value
        shown, lo, hi, unit = f"{sig4(ppm)} ppmvd@15%O2", lo * per, hi * per, " ppm"
    else:
        shown, unit = f"{sig4(i.value)} {i.unit}".strip(), ""
    where = "inside" if i.plausible else "outside"
    return f"{i.input} = {shown} ({where} the preset's range, {sig4(lo)}..{sig4(hi)}{unit})"


def check_view(checks: Sequence[Any], *, timeline: bool = False) -> View:
    """Return each preset's claims side by side with emiss's figures, then (for several presets) the timeline."""
    view: View = []
    for pc in checks:
        view.append(Line(f"{pc.title or pc.name}" + (f" ({pc.date})" if pc.date else ""), "bold"))
        t = Table(f"Published figures checked: preset {pc.name}",
                  (Column("Claim", fold=True), Column("Published", fold=True), Column("emiss", "right", fold=True),
                   Column("Diff", "right"), Column("Verdict"), Column("What it would take", fold=True)))
        refs: list[str] = []
        for c in pc.claims:
            scale, _, short = output_scale(c.claim.output)
            ref = f"{c.claim.who}, {c.claim.when}: {c.claim.source}" + (f' "{c.claim.quote}"' if c.claim.quote else "")
            if ref not in refs:
                refs.append(ref)
            label = f"{c.claim.output} [{refs.index(ref) + 1}]"
            if c.claim.given:
                label += " if " + ", ".join(f"{k.replace('factor.', '')} {v}" for k, v in c.claim.given)
            style = "" if c.verdict == "consistent" else "alert"
            t.rows.append((label, _fmt_published(c), f"{_num(c.claim.output, c.estimate * scale)} {short}",
                           f"{c.difference_pct:+.0f}%", Cell(c.verdict, style), _fmt_implied(c)))
        view.append(t)
        view += [Line(f"[{n}] {r}") for n, r in enumerate(refs, 1)]
        if pc.variants:
            outs = list(dict.fromkeys(c.claim.output for c in pc.claims if c.claim.output not in ("units",)))
            v = Table("What the preset's sourced alternatives give", (Column("Variant", fold=True),) +
                      tuple(Column(f"{o} ({output_scale(o)[2]})", "right") for o in outs))
            for label, _, r in [("as the preset stands", "", pc.result)] + list(pc.variants):
                v.rows.append((label,) + tuple(human(OUTPUTS[o].read(r) * output_scale(o)[0]) for o in outs))
            view.append(v)
        view.append(Line())
    view.append(Line("Verdict: 'consistent' within the claim's tolerance (10 % unless it says otherwise); 'higher' or "
                     "'lower': emiss's figure from the preset's inputs, against the figure or the nearest edge of its range. "
                     "'What it would take': the value of the input that moves this figure most (of the preset's ranges) "
                     "that would make the claim true."))
    if timeline and len(checks) > 1:
        view += [Line()] + timeline_view(checks)
    return view


def timeline_view(checks: Sequence[Any]) -> View:
    """Return the presets of one story in date order with their headline figures and how their claims fare."""
    t = Table("Timeline: the record, preset by preset", (Column("Date"), Column("Preset"), Column("Units", "right"),
                                                         Column("MW", "right"), Column("NOx short tons/yr", "right", fold=True),
                                                         Column("Claims consistent", "right", fold=True),
                                                         Column("Homes", "right", optional=True),
                                                         Column("CO2e tonnes/yr", "right", fold=True, optional=True)))
    for pc in sorted(checks, key=lambda p: (p.date or "9999", p.name)):
        h = _headline(pc.result)
        ok = sum(1 for c in pc.claims if c.verdict == "consistent")
        t.rows.append((pc.date or "-", pc.name, str(h["units"]), human(h["capacity"]["value"]), human(h["nox"]["value"]),
                       f"{ok} of {len(pc.claims)}", human(h["households"]["value"]), human(h["co2e"]["value"])))
    return [t, Line("Each row: the preset's central inputs, potential to emit unless the preset says otherwise.")]


# ---- permit: potential to emit per emission unit, and the operating limit ----------------------------------

def pte_doc(result: Result, uncontrolled: Result | None) -> dict[str, Any]:
    """Return the potential-to-emit document: each emission unit's factors and rates, and the facility total."""
    units_out = []
    for i, g in enumerate(result.groups):
        pols = {}
        for p in data.POLLUTANTS:
            if p not in g.lb_per_year:
                pols[p] = None
                continue
            f = g.factors.get(p)
            entry = {"factor": ({"as_given": f.text, "value": f.value, "unit": _pint_unit(f.unit), "source": f.source,
                                 "status": f.status} if f is not None else None),
                     "lb_per_hour_each": {"value": g.lb_per_hour[p] / g.count, "unit": U_LB_H},
                     "lb_per_hour_all": {"value": g.lb_per_hour[p], "unit": U_LB_H},
                     "tons_per_year_all": {"value": g.lb_per_year[p] / LB_PER_SHORT_TON, "unit": "short_ton / year"}}
            if uncontrolled is not None and p in uncontrolled.groups[i].lb_per_year:
                entry["uncontrolled_tons_per_year_all"] = {"value": uncontrolled.groups[i].lb_per_year[p] / LB_PER_SHORT_TON,
                                                           "unit": "short_ton / year"}
            if p == "pm":
                entry.update(pm_split(f, g.lb_per_year[p]))
            pols[p] = entry
        units_out.append({"name": g.name, "kind": g.kind, "count": g.count,
                          "rating_each": {"value": g.capacity_kw / KW_PER_MW, "unit": U_MW},
                          "heat_input_each": {"value": g.heat_input_mmbtu_h / g.count, "unit": U_HEAT_H, "basis": "HHV"},
                          "control": result.scenario.groups[i].control, "pollutants": pols})
    facility = {p: {"value": e.lb_per_year / LB_PER_SHORT_TON, "unit": "short_ton / year", "complete": e.complete,
                    **({"uncontrolled": uncontrolled.emissions[p].lb_per_year / LB_PER_SHORT_TON} if uncontrolled else {})}
                for p, e in result.emissions.items()}
    return {"units": units_out, "facility": facility, "area": result.scenario.area,
            "screening": estimate_doc(result)["screening"], "limits": limit_dicts(result),
            "note": "Potential to emit: every unit at its rated output for the hours stated (8,760 h unless limited)."}


def pm_split(f: Any, lb_year: float) -> dict[str, Any]:
    """Return PM as permits list it: filterable PM, PM10 and PM2.5 (filterable + condensable; all of it fine for gas)."""
    tons = lb_year / LB_PER_SHORT_TON
    share = getattr(f, "filterable_share", None)
    return {"pm_filterable": {"value": tons * share, "unit": "short_ton / year"} if share is not None else None,
            "pm10": {"value": tons, "unit": "short_ton / year"}, "pm25": {"value": tons, "unit": "short_ton / year"}}


def pte_view(result: Result, uncontrolled: Result | None) -> View:
    """Return the potential to emit as a permit application shows it: a table per emission unit, then the facility."""
    doc = pte_doc(result, uncontrolled)
    view: View = [Line(f"Potential to emit: {result.scenario.title or result.scenario.name}", "bold")]
    refs: dict[str, int] = {}
    for u in doc["units"]:
        cols = [Column("Pollutant"), Column("Factor", fold=True), Column("lb/h each", "right"), Column("lb/h all", "right"),
                Column("tpy all", "right")]
        if uncontrolled is not None:
            cols.append(Column("tpy uncontrolled", "right"))
        t = Table(f"Emission unit: {u['name']} ({u['count']} x {u['rating_each']['value']:g} MW {u['kind']}, "
                  f"{human(u['heat_input_each']['value'])} MMBtu/h each, HHV)", tuple(cols))
        for p, e in u["pollutants"].items():
            if e is None:
                t.rows.append((p, "no factor", "-", "-", "-") + (("-",) if uncontrolled is not None else ()))
                continue
            f = e["factor"]
            fac = "CO2 + GWP-weighted CH4, N2O" if f is None else f"{f['as_given']} [{refs.setdefault(f['source'], len(refs) + 1)}]"
            if f is not None and f["status"] in STATUS_MARK:
                fac += f" ({STATUS_MARK[f['status']]})"
            row = [p, fac, human(e["lb_per_hour_each"]["value"]), human(e["lb_per_hour_all"]["value"]), human(e["tons_per_year_all"]["value"])]
            if uncontrolled is not None:
                row.append(human(e["uncontrolled_tons_per_year_all"]["value"]) if "uncontrolled_tons_per_year_all" in e else "-")
            t.rows.append(tuple(row))
            if p == "pm":
                filt = e["pm_filterable"]
                for label, v in (("  PM filterable", filt), ("  PM10", e["pm10"]), ("  PM2.5", e["pm25"])):
                    t.rows.append((label, "" if v else "the factor gives total PM only", "", "",
                                   human(v["value"]) if v else "n/a") + (("",) if uncontrolled is not None else ()))
        view.append(t)
    cols = [Column("Pollutant"), Column("Facility tpy", "right")]
    if uncontrolled is not None:
        cols.append(Column("Uncontrolled tpy", "right"))
    f_t = Table("Facility total (potential to emit)", tuple(cols))
    for p, e in doc["facility"].items():
        row = [p + ("" if e["complete"] else " *"), human(e["value"])]
        if uncontrolled is not None:
            row.append(human(e["uncontrolled"]))
        f_t.rows.append(tuple(row))
    view.append(f_t)
    view += [Line(f"[{n}] {src}") for src, n in refs.items()]
    view += limits_view(result)
    view.append(Line(doc["note"]))
    return view


def limit_doc(ol: Any) -> dict[str, Any]:
    """Return an operating-limit answer as the JSON document of 'emiss limit'."""
    from emiss.analysis.permit import DISCLAIMER

    return {"vary": ol.vary, "value": ol.value if ol.status != "infeasible" else None, "unit": ol.unit, "status": ol.status,
            "binding": ol.binding, "threshold": {"value": ol.threshold_lb / LB_PER_SHORT_TON, "unit": "short_ton / year",
                                                 "name": ol.threshold_name},
            "margins": {p: {"value": v / LB_PER_SHORT_TON, "unit": "short_ton / year"} for p, v in ol.margins.items()},
            "message": ol.message, "note": DISCLAIMER, "estimate": estimate_doc(ol.result)}


def limit_view(ol: Any) -> View:
    """Return an operating-limit answer for people."""
    from emiss.analysis.permit import DISCLAIMER

    if ol.status == "infeasible":
        head = f"No operating limit keeps every pollutant under: {ol.message}."
    elif ol.status == "no limit needed":
        head = f"No limit needed: {ol.message}."
    else:
        shown = {"hour / year": f"{ol.value:,.0f} h/yr", "dimensionless": f"a capacity factor of {ol.value:.3f}",
                 "foot ** 3 / year": f"{ol.value / 1e6:,.1f} million scf of fuel a year"}[ol.unit]
        head = f"The largest operation that keeps every pollutant under: {shown} ({ol.message})."
    t = Table("Margin left under each threshold at that operation", (Column("Pollutant"), Column("Left, short tons/yr", "right")))
    for p, v in sorted(ol.margins.items(), key=lambda kv: kv[1]):
        tons = v / LB_PER_SHORT_TON
        t.rows.append((p + (" (binds)" if p == ol.binding else ""), human(0.0 if abs(tons) < 1e-9 else tons)))
    return [Line(head, "bold"), t, Line(DISCLAIMER)]


# ---- reports: headline figures, health screening, COBRA, spreadsheets ---------------------------------------

def headline_figures(result: Result) -> list[tuple[str, tuple[str, str], str, str]]:
    """Return the figures a reader sees first: (label, (shown, exact), unit, JSON key)."""
    sc = result.scenario
    e = result.emissions
    out = [("NOx a year", e["nox"].lb_per_year / LB_PER_SHORT_TON, "US short tons", "emissions.nox.short_tons"),
           ("CO2e a year", e["co2e"].lb_per_year * _per_lb("metric_ton"), "metric tonnes", "emissions.co2e.metric_tonnes"),
           ("Formaldehyde a year", e["hcho"].lb_per_year / LB_PER_SHORT_TON, "US short tons", "emissions.hcho.short_tons"),
           ("Capacity", OUTPUTS["capacity"].read(result), "MW", "capacity.value"),
           ("Households (headline)", result.households, f"{sc.households_method} view", "households.value")]
    return [(label, (human(v), repr(float(v))), unit, key) for label, v, unit, key in out]


def finding(result: Result) -> str:
    """Return the first sentence a reader sees: what the figures are and what crosses a threshold."""
    sc = result.scenario
    e = result.emissions
    above = sorted({s.pollutant for s in result.screening if s.crossed and s.threshold_id.startswith(("title_v", "hap"))})
    n = sum(int(g.count) for g in sc.groups)
    text = (f"{n} units, {human(result.capacity_kw / KW_PER_MW)} MW, {sc.operation_basis}: about "
            f"{human(e['nox'].lb_per_year / LB_PER_SHORT_TON)} US short tons of NOx and "
            f"{human(e['co2e'].lb_per_year * _per_lb('metric_ton'))} tonnes of CO2e a year.")
    if above:
        names = {"nox": "NOx", "co": "CO", "voc": "VOC", "pm": "PM", "so2": "SO2", "hcho": "formaldehyde", "hap": "HAPs combined"}
        text += " Above a major-source threshold: " + ", ".join(names.get(p, p) for p in above) + "."
    flagged = sorted({a.name for a in sc.assumptions if a.status == "calibrated"})
    if flagged:
        text += " Calibrated to reproduce published figures, not measured: " + "; ".join(flagged) + "."
    return text


def health_doc(result: Result) -> dict[str, Any]:
    """Return a national-average health-damage screening: tons times EPA's dollars per ton, as a range."""
    raw = data.load("health.toml")
    meta = raw["meta"]
    rows = []
    low = high = 0.0
    complete = True
    for b in raw["bpt"]:
        e = result.emissions[b["pollutant"]]
        complete &= e.complete
        tons = e.lb_per_year / LB_PER_SHORT_TON
        currency, _, per = b["unit"].partition("/")
        if currency != "USD" or per != "short_ton":  # the table below is per US short ton; another unit needs code
            raise ValueError(f"health.toml: bpt {b['pollutant']} is in {b['unit']}; emiss reads USD/short_ton")
        lo, hi = tons * b["egu"], tons * b["industrial_point"]
        low, high = low + lo, high + hi
        rows.append({"pollutant": b["pollutant"], "short_tons": tons, "usd_per_ton": {"low": b["egu"], "high": b["industrial_point"]},
                     "damage": {"low": lo, "high": hi, "unit": f"USD{meta['dollar_year']} / year"}, "source": b["source"],
                     "status": b["status"]})
    return {"label": "national-average screening, not a health impact assessment", "rows": rows,
            "total": {"low": low, "high": high, "unit": f"USD{meta['dollar_year']} / year"}, "complete": complete,
            "edition": meta["edition"], "dollar_year": meta["dollar_year"], "discount_rate": meta["discount_rate"],
            "mortality": meta["mortality"], "note": meta["note"], "deaths": None}


def health_view(result: Result) -> View:
    """Return the health screening for people."""
    doc = health_doc(result)
    t = Table(f"Health damage, national-average screening ({doc['dollar_year']} dollars a year, {doc['discount_rate']} discount rate)",
              (Column("Pollutant"), Column("short tons/yr", "right"), Column("$ per ton (EGU .. industrial)", "right"),
               Column("Damage, $ a year", "right")))
    for r in doc["rows"]:
        t.rows.append((r["pollutant"], human(r["short_tons"]), f"{r['usd_per_ton']['low']:,} .. {r['usd_per_ton']['high']:,}",
                       f"{sig4(r['damage']['low'])} .. {sig4(r['damage']['high'])}"))
    t.rows.append(("total", "", "", f"{sig4(doc['total']['low'])} .. {sig4(doc['total']['high'])}"))
    return [t, Line(f"{doc['label'].capitalize()}: EPA benefit-per-ton values ({doc['edition']}; {doc['mortality']}). "
                    f"{doc['note']}. Premature deaths per ton are not shipped (not found in a copy).")]


COBRA_FIELDS = ("FIPS", "STATE", "COUNTY", "TIER1NAME", "NOx_REDUCTIONS_TONS", "SO2_REDUCTIONS_TONS", "PM25_REDUCTIONS_TONS",
                "VOCS_REDUCTIONS_TONS", "NH3_REDUCTIONS_TONS")


def cobra_rows(result: Result, fips: str, state: str, county: str) -> list[dict[str, Any]]:
    """Return the county emissions-change row COBRA imports (its 'AVERT-format' CSV): short tons a year, an increase positive.

    Columns and sign as EPA's COBRA reads them (USEPA/COBRA cobra_console/units/EmissionsRecord.cs, AvertRec; USEPA/AVERT
    writes the same file): TIER1NAME 'FUEL COMB. ELEC. UTIL.'; a positive value is an increase. NH3 is not estimated (0).
    """
    e = result.emissions
    tons = {p: e[p].lb_per_year / LB_PER_SHORT_TON for p in ("nox", "so2", "pm", "voc")}
    return [{"FIPS": fips, "STATE": state, "COUNTY": county, "TIER1NAME": "FUEL COMB. ELEC. UTIL.",
             "NOx_REDUCTIONS_TONS": tons["nox"], "SO2_REDUCTIONS_TONS": tons["so2"], "PM25_REDUCTIONS_TONS": tons["pm"],
             "VOCS_REDUCTIONS_TONS": tons["voc"], "NH3_REDUCTIONS_TONS": 0.0}]


def estimate_sheets(result: Result, *, with_claims: Sequence[Any] = ()) -> dict[str, list[dict[str, Any]]]:
    """Return the spreadsheet of an estimate: results, emissions, per-unit, assumptions, screening, claims."""
    doc = estimate_doc(result)
    emissions = [{"pollutant": p, "short_tons_per_year": e["short_tons"], "metric_tonnes_per_year": e["metric_tonnes"],
                  "lb_per_hour": e["per_hour"]["value"], "complete": e["complete"],
                  "factors": "; ".join(f"{f['group']}: {f['as_given']}" for f in e["factors"]),
                  "sources": "; ".join(dict.fromkeys(f["source"] for f in e["factors"]))} for p, e in doc["emissions"].items()]
    units = [{"emission_unit": g["name"], "kind": g["kind"], "count": g["count"], "pollutant": p,
              "short_tons_per_year_all": x["value"] if "short_ton" in x["unit"] else None,
              "lb_per_hour_each": x["per_hour_each"]["value"], "lb_per_hour_all": x["per_hour"]["value"]}
             for g in doc["groups"] for p, x in g["emissions"].items()]
    screening = [{k: s[k] for k in ("program", "pollutant", "emitted", "threshold", "state", "source")} for s in doc["screening"]]
    sheets = {"Results (units in header)": [{"quantity": r["quantity"], "value": r["value"], "unit": r["unit"], "note": r["note"]}
                                            for r in estimate_rows(result)],
              "Emissions (short tons per yr)": emissions, "Per emission unit": units, "Assumptions and sources": doc["assumptions"],
              "Screening (short tons per yr)": screening}
    if with_claims:
        sheets["Claims"] = check_rows(with_claims)
    return sheets
