"""Pure calculation: a validated Scenario in, a Result out. No I/O, no printing.

Every magnitude may be a float or a numpy array (one value per Monte Carlo sample).
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache
from typing import Any, Mapping

from emiss import data
from emiss.errors import InputError
from emiss.core import bases
from emiss.core.factors import library_to_factor, parse_factor
from emiss.core.model import Factor, Group, GroupResult, Num, PollutantResult, Result, Scenario, Screening
from emiss.core.units import BTU_PER_MMBTU, KW_PER_MW, LB_PER_SHORT_TON  # defined in the units room; also read from here

CALCULATED = tuple(p for p in data.POLLUTANTS if p != "co2e")
ENGINE_LOAD = "full"  # AP-42 s.3.2 load band 90-105 %: emiss models operation as full-load hours (constants.toml)
# Status of a derived value: the least certain of what it was derived from.
_CERTAINTY = ("verified", "measured", "convention", "derived", "secondary", "reported", "user", "assumed", "calibrated", "recalled")


def weaker(a: str, b: str) -> str:
    """Return the less certain of two statuses."""
    rank = {s: i for i, s in enumerate(_CERTAINTY)}
    return a if rank.get(a, len(rank)) >= rank.get(b, len(rank)) else b


def group_factor(scenario: Scenario, group: Group, pollutant: str, basis: str | None = None) -> Factor | None:
    """Return the factor used for ``pollutant`` in ``group``.

    A factor given for the group or the fleet wins (the higher layer, the group's on a tie); otherwise the
    library's, by unit kind and control level (turbines) or engine type, load band and add-on control (engines).
    Methane has two bases: the reporting convention (40 CFR 98) and what leaves the stack (AP-42).
    """
    own = group.factors.get(pollutant)
    fleet = scenario.fleet_factors.get(pollutant)
    if own is not None and (fleet is None or own.rank >= fleet.rank):
        return own
    if fleet is not None:
        return fleet
    return _library(pollutant, group.kind, group.control, group.engine_type, basis or scenario.methane_basis, group.load_band)


@lru_cache(maxsize=1024)
def _library(pollutant: str, kind: str, control: str, engine_type: str, basis: str, load: str = ENGINE_LOAD) -> Factor | None:
    lib = data.library_factor(pollutant, kind, control, engine_type, load, basis)
    if lib is None:
        return None
    f = library_to_factor(lib)
    if kind == "engine" and control != "uncontrolled":
        f = _with_engine_control(f, control)
    return f


def _with_engine_control(f: Factor, control_id: str) -> Factor:
    """Apply an engine control's cited outlet level or reduction to an uncontrolled library factor."""
    control = data.engine_controls()[control_id]
    if f.pollutant in control.outlets:
        o = control.outlets[f.pollutant]
        out = parse_factor(f.pollutant, o["value"], where=f"engine control {control.id}", source=o["source"],
                           status=o["status"], layer="built-in", note=f"outlet level with {control.name}")
        return out
    if f.pollutant in control.reductions:
        r = control.reductions[f.pollutant]
        kept = 1 - float(r["value"])
        return replace(f, value=f.value * kept, text=f"{f.text} less {float(r['value']):.0%} ({control.name})",
                       source=f"{f.source}; less {float(r['value']):.0%}: {r['source']}", status=weaker(f.status, r["status"]),
                       note=f"uncontrolled AP-42 factor reduced by {control.name}")
    return f


def _pounds(factor: Factor, *, count: Num, hours: Num, generation_mwh: Num, heat_mmbtu: Num, fuel_scf: Num) -> Num:
    if factor.form == "input":
        return factor.value * heat_mmbtu
    if factor.form == "output":
        return factor.value * generation_mwh
    if factor.form == "time":
        return factor.value * count * hours
    return factor.value * fuel_scf


def _hap_floor(scenario: Scenario, g: Group, hap: Factor, hcho: Factor | None, hap_lb: Num, hcho_lb: Num, heat: Num) -> Num:
    """Return the group's HAP total: never below its formaldehyde.

    A library HAP total is rebuilt as (the other listed HAPs) + (the formaldehyde actually used), so a controlled
    or user-given formaldehyde moves the total with it. A user-given total below formaldehyde is an error.
    """
    if hap.layer != "built-in":
        if _any(hap_lb < hcho_lb * (1 - 1e-12)):
            raise InputError(f"{g.name}: the HAP total ({hap.text}) is less than its formaldehyde ({hcho.text if hcho else ''}); "
                             "a total cannot be below one of its parts", where="factor hap")
        return hap_lb
    lib_hcho = data.library_factor("hcho", g.kind, g.control, g.engine_type, g.load_band)
    lib_hap = data.library_factor("hap", g.kind, g.control, g.engine_type, g.load_band)
    if lib_hcho is None or lib_hap is None:
        return hap_lb
    others = (lib_hap.value - lib_hcho.value) * heat * (hap.value / lib_hap.value if lib_hap.value else 1.0)
    return others + hcho_lb


def _kept_share(g: Group, hours: Num) -> Num:
    """Return the share of a unit's operating hours outside its startups and shutdowns (event hours replace normal ones)."""
    su = g.startup
    per_unit = su.hours if su.per == "unit" else su.hours / g.count
    if not su.hours:
        return 1.0
    if _any(hours < per_unit * (1 - 1e-12)):
        raise InputError(f"{g.name}: its startups and shutdowns take {per_unit:,.4g} h a year per unit, more than its "
                         f"{_show(hours)} h of operation; event hours are part of the operating hours", where="hours")
    return 1 - per_unit / hours


def _per_hour(lb: Num, hours: Num) -> Num:
    try:
        return lb / hours
    except ZeroDivisionError:  # no operation: no rate to speak of
        return 0.0


def _show(x: Any) -> str:
    try:
        return f"{float(x):,.4g}"
    except TypeError:  # numpy arrays
        return f"as few as {float(x.min()):,.4g}"


def _any(x: Any) -> bool:
    try:
        return bool(x)
    except ValueError:  # numpy arrays
        return bool(x.any())


def estimate(scenario: Scenario, *, screen_thresholds: bool = True) -> Result:
    """Compute generation, heat input, fuel, emissions (fleet and per group), households and screening for ``scenario``.

    Every input may be a float or a numpy array (one value per sample); with arrays, leave
    ``screen_thresholds`` off (a screening compares one number with a threshold).
    """
    hours = scenario.hours
    capacity_kw = 0.0
    generation = heat = fuel = 0.0
    pounds = dict.fromkeys(CALCULATED, 0.0)
    missing: dict[str, list[str]] = {p: [] for p in CALCULATED}
    used: dict[str, list[tuple[str, Factor]]] = {p: [] for p in CALCULATED}
    other_basis = "physical" if scenario.methane_basis == "reporting" else "reporting"
    ch4_other = 0.0
    ch4_other_missing = False
    per_group = []
    startup_lb: dict[str, Num] = {}
    with_events = any(g.startup is not None and g.startup.lb_per_event for g in scenario.groups)
    fleet_rate: dict[str, Num] = {}  # lb/h at full load, only where event hours replace normal hours
    nox_bases: dict[str, Num] = {}
    for g in scenario.groups:
        kw = g.count * g.capacity_kw
        g_gen = kw * g.output_fraction * hours / KW_PER_MW  # output while running: rated x ambient derate x load
        g_heat = g_gen * KW_PER_MW * g.heat_rate_hhv / BTU_PER_MMBTU
        g_fuel = g_heat / scenario.fuel_hhv
        capacity_kw += kw
        generation += g_gen
        heat += g_heat
        fuel += g_fuel
        amounts = dict(count=g.count, hours=hours, generation_mwh=g_gen, heat_mmbtu=g_heat, fuel_scf=g_fuel)
        su = g.startup if g.startup is not None and g.startup.lb_per_event else None
        kept = _kept_share(g, hours) if su is not None else 1.0  # of the operating hours, the share outside the events
        evented = set(su.lb_per_event) if su is not None else set()
        g_lb: dict[str, Num] = {}
        rates: dict[str, Num] = {}
        factors: dict[str, Factor] = {}
        for p in CALCULATED:
            f = group_factor(scenario, g, p)
            if f is None:
                missing[p].append(g.name)
                continue
            if p == "nox" and scenario.nox_basis == "measured":
                f = bases.refit(g, f)  # a template's measured factor follows each record's size band
            factors[p] = f
            used[p].append((g.name, f))
            full = _pounds(f, **amounts)  # as if every operating hour were a normal hour
            if with_events:
                rates[p] = _per_hour(full, hours)
            g_lb[p] = full * kept if p in evented else full
            if p == "hcho":
                hcho_full = full
        if "nox" in factors:  # NOx on both bases, whichever is chosen (--basis)
            for b, f in bases.alternatives(scenario, g, factors["nox"]).items():
                nox_bases[b] = nox_bases.get(b, 0.0) + _pounds(f, **amounts) * (kept if "nox" in evented else 1.0)
        if "hap" in factors and "hcho" in g_lb:
            hap_kept = kept if "hap" in evented else 1.0
            g_lb["hap"] = _hap_floor(scenario, g, factors["hap"], factors.get("hcho"), g_lb["hap"], g_lb["hcho"], g_heat * hap_kept)
            if "hcho" in evented and "hap" not in evented and factors["hap"].layer != "built-in":
                g_lb["hap"] = g_lb["hap"] - hcho_full * (1 - kept)  # a given total's formaldehyde of the event hours
            if with_events:
                rates["hap"] = _hap_floor(scenario, g, factors["hap"], factors.get("hcho"), rates["hap"], rates["hcho"],
                                          _per_hour(g_heat, hours))
        g_su: dict[str, Num] = {}
        if su is not None:  # startups and shutdowns: their own pounds, per unit or for the group as the preset states
            n_events = su.events * (g.count if su.per == "unit" else 1)
            for p, per_event in su.lb_per_event.items():
                g_su[p] = n_events * per_event
            if "hcho" in g_su and "hap" not in g_su and "hap" in g_lb:
                g_su["hap"] = g_su["hcho"]  # event formaldehyde is a HAP; the other HAPs ran at the normal rate
            for p, lb in g_su.items():
                g_lb[p] = g_lb.get(p, 0.0) + lb
            if "hap" in g_lb and "hcho" in g_lb and _any(g_lb["hap"] < g_lb["hcho"] * (1 - 1e-12)):
                raise InputError(f"{g.name}: with its startups and shutdowns, HAP ({g_lb['hap']:g} lb) would be less than its "
                                 f"formaldehyde ({g_lb['hcho']:g} lb): give per-event HAP at least the per-event formaldehyde",
                                 where="startup_shutdown")
            if all(p in g_lb for p in ("co2", "ch4", "n2o")) and any(p in g_su for p in ("co2", "ch4", "n2o")):
                g_su["co2e"] = g_su.get("co2", 0.0) + scenario.gwp_ch4 * g_su.get("ch4", 0.0) + scenario.gwp_n2o * g_su.get("n2o", 0.0)
            for p, lb in g_su.items():
                startup_lb[p] = startup_lb.get(p, 0.0) + lb
        alt = group_factor(scenario, g, "ch4", other_basis)
        if alt is None:
            ch4_other_missing = True
        else:
            ch4_other = ch4_other + _pounds(alt, **amounts) * (kept if "ch4" in evented else 1.0) + g_su.get("ch4", 0.0)
        if all(p in g_lb for p in ("co2", "ch4", "n2o")):
            g_lb["co2e"] = g_lb["co2"] + scenario.gwp_ch4 * g_lb["ch4"] + scenario.gwp_n2o * g_lb["n2o"]
            if with_events:
                rates["co2e"] = rates["co2"] + scenario.gwp_ch4 * rates["ch4"] + scenario.gwp_n2o * rates["n2o"]
        for p, lb in g_lb.items():
            if p != "co2e":
                pounds[p] = pounds[p] + lb
        for p, r in rates.items():
            if p != "co2e":
                fleet_rate[p] = fleet_rate.get(p, 0.0) + r
        per_group.append(GroupResult(g.name, g.kind, g.count, g.capacity_kw, g_heat / hours, g_lb, factors, g_su, hours,
                                     {p: rates[p] for p in g_lb} if with_events else None))

    pounds["co2e"] = pounds["co2"] + scenario.gwp_ch4 * pounds["ch4"] + scenario.gwp_n2o * pounds["n2o"]
    missing["co2e"] = sorted({m for p in ("co2", "ch4", "n2o") for m in missing[p]})
    used["co2e"] = []
    co2e_other = pounds["co2"] + scenario.gwp_ch4 * ch4_other + scenario.gwp_n2o * pounds["n2o"]
    _check_finite(capacity_kw, generation, heat, fuel, ch4_other, *pounds.values())
    names = data.pollutant_names()
    if with_events:
        fleet_rate["co2e"] = fleet_rate.get("co2", 0.0) + scenario.gwp_ch4 * fleet_rate.get("ch4", 0.0) + scenario.gwp_n2o * fleet_rate.get("n2o", 0.0)
    emissions = {
        p: PollutantResult(id=p, name=names[p], lb_per_year=pounds[p], complete=not missing[p], missing=tuple(missing[p]),
                           factors=tuple(used[p]), lb_startup=startup_lb.get(p, 0.0), hours=hours,
                           rate=fleet_rate.get(p, 0.0) if with_events else None)
        for p in data.POLLUTANTS
    }
    methane = {scenario.methane_basis: {"ch4": pounds["ch4"], "co2e": pounds["co2e"], "complete": not missing["ch4"]},
               other_basis: {"ch4": ch4_other, "co2e": co2e_other, "complete": not ch4_other_missing}}
    homes_energy = generation * KW_PER_MW / scenario.household_use_kwh
    homes_capacity = capacity_kw / scenario.household_demand_kw
    _check_finite(homes_energy, homes_capacity)
    return Result(
        scenario=scenario, capacity_kw=capacity_kw, hours=hours, generation_mwh=generation, heat_input_mmbtu=heat,
        fuel_scf=fuel, emissions=emissions, households_energy=homes_energy, households_capacity=homes_capacity,
        screening=screen(emissions, scenario.area, limits=scenario.limits, heat_mmbtu=heat,
                         psd_category=scenario.psd_category) if screen_thresholds else (), groups=tuple(per_group), methane=methane,
        nox_bases={b: {"nox": lb + startup_lb.get("nox", 0.0), "complete": not missing["nox"]} for b, lb in nox_bases.items()},
    )


def _check_finite(*values: Any) -> None:
    """Refuse results that overflow (e.g. a capacity of 1e300 MW) rather than print 'inf'."""
    total = sum(values)  # one inf or nan anywhere makes the sum non-finite
    try:
        ok = math.isfinite(total)
    except TypeError:  # numpy arrays (Monte Carlo)
        import numpy as np

        ok = bool(np.isfinite(total).all())
    if not ok:
        raise InputError("the inputs are too large: a result is not a finite number (check the units and magnitudes)")


# The threshold sets read together, each as one column of the screening table and one batch flag: Title V (the
# area's NOx/VOC level beside the rest), PSD (a listed source category or any other), HAP (one or all), and the PSD
# significant emission rates. A set is crossed when any of its thresholds is.
SCREEN_COLUMNS = (("title_v", "title_v_ozone"), ("psd_other", "psd_listed"), ("hap_single", "hap_combined"),
                  ("ser_nox", "ser_co", "ser_voc", "ser_so2", "ser_pm25", "ser_ghg"))


def screen(emissions: Mapping[str, PollutantResult], area: str = "attainment", *, limits: tuple[Any, ...] = (),
           heat_mmbtu: float = 0.0, psd_category: str = "") -> tuple[Screening, ...]:
    """Compare the potential to emit with the major-source thresholds (a screening, not a legal determination).

    The PTE is the estimate, capped where an enforceable limit (``limits``: a preset's [[limits]] or --limit) is
    lower: ``crossed`` refers to the PTE as limited, and a row below a threshold only by a limit is a synthetic
    minor. PSD screens at 100 tpy only for a listed source category (``psd_category``), else at 250 tpy.
    A total that leaves out some units is never 'below' a threshold: it is unknown (crossed = None) unless
    the known part alone already crosses it (crossed = True, 'at least'). On a batch's arrays, each is an array.
    """
    caps = enforceable_caps(emissions, limits, heat_mmbtu)
    rows = []
    for t in applicable_thresholds(area, psd_category):
        for p in t.pollutants:
            e = emissions[p]
            unrestricted = e.lb_per_year / LB_PER_SHORT_TON
            cap = caps.get(p)
            limited = cap is not None
            tons = min(cap[0], e.lb_per_year) / LB_PER_SHORT_TON if cap is not None else unrestricted
            crossed: Any = tons >= t.value
            free: Any = unrestricted >= t.value
            if getattr(crossed, "ndim", 0):  # one per batch row: None where a partial total stays below
                import numpy as np

                crossed = crossed if e.complete else np.where(crossed, True, None)
                free = free if e.complete else np.where(free, True, None)
            elif not e.complete:
                crossed = crossed or None
                free = free or None
            rows.append(Screening(t.id, t.program, p, tons, t.value, crossed, t.source, e.complete, limited,
                                  unrestricted, cap[1] if cap is not None else "", free))
    return tuple(rows)


def applicable_thresholds(area: str = "attainment", psd_category: str = "") -> tuple[Any, ...]:
    """Return the thresholds that apply: the area's, with PSD at 100 tpy for a listed source category, else at 250 tpy."""
    drop = "psd_other" if psd_category else "psd_listed"
    return tuple(t for t in data.thresholds_for(area) if t.id != drop)


def enforceable_caps(emissions: Mapping[str, PollutantResult], limits: tuple[Any, ...], heat_mmbtu: float) -> dict[str, tuple[float, str]]:
    """Return pollutant -> (the lowest annual emissions its enforceable limits allow, lb/yr; that limit as given).

    An annual limit caps the year directly; an hourly or per-heat-input limit caps the hours outside startups
    and shutdowns in proportion (the estimate's own rate scaled down to the limit), events held as estimated.
    """
    out: dict[str, tuple[float, str]] = {}
    for lim in limits:
        e = emissions.get(lim.pollutant)
        if e is None:
            continue
        normal = e.lb_per_year - e.lb_startup
        if lim.kind == "annual":
            lb = lim.value
        else:
            now = e.lb_per_hour if lim.kind == "hourly" else (e.lb_per_hour * e.hours / heat_mmbtu if heat_mmbtu else 0.0)
            if not now:
                continue
            lb = e.lb_startup + normal * min(1.0, lim.value / now)
        if lim.pollutant not in out or lb < out[lim.pollutant][0]:
            out[lim.pollutant] = (lb, f"{lim.text}: {lim.source}")
    return out
