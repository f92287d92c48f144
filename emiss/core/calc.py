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
from emiss.core.model import Factor, Group, GroupResult, factor_taken, Num, PollutantResult, Result, Scenario, Screening
from emiss.core.outputs import kilowatts, megawatts, mmbtu, short_tons

CALCULATED = tuple(p for p in data.POLLUTANTS if p != "co2e")
PREMIX_BOUND = ("nox", "co")  # the levels a dry-low-NOx combustor guarantees only within its premix range
# Relative float noise: a sum or product of a few dozen doubles can be off by a few ulps (2.2e-16 each), never by this;
# comparisons that must not flip on rounding (HAP >= its formaldehyde, a cap met) allow for it and for nothing more.
REL_NOISE = 1e-12
ENGINE_LOAD = "full"  # AP-42 s.3.2 load band 90-105 %: emiss models operation as full-load hours (constants.toml)
# Status of a derived value: the least certain of what it was derived from.
_CERTAINTY = ("verified", "measured", "convention", "derived", "secondary", "reported", "user", "assumed", "calibrated", "recalled")


def weaker(a: str, b: str) -> str:
    """Return the less certain of two statuses."""
    rank = {s: i for i, s in enumerate(_CERTAINTY)}
    return a if rank.get(a, len(rank)) >= rank.get(b, len(rank)) else b


def group_factor(scenario: Scenario, group: Group, pollutant: str, basis: str | None = None) -> Factor | None:
    """Return the factor used for ``pollutant`` in ``group``.

    Two layers: the level before add-on controls (a factor given for the group or the fleet, the higher layer
    winning, the group's on a tie; else the library's, by the turbine's combustor or the engine's type and load
    band), then the add-on control's cited outlet level or reduction. A factor given at the control's layer or
    above is the level after the control. Methane has two bases: the reporting convention (40 CFR 98) and what
    leaves the stack (AP-42).
    """
    if pollutant == "nox" and scenario.nox_basis == "measured" and bases.is_measured(group.factors.get("nox")):
        return bases.refit(group, group.factors["nox"])  # the class already holds the add-on control: none applied again
    given = _given_factor(scenario, group, pollutant)
    if given is not None and (group.control == "none" or (given.rank >= group.control_rank and not _before(group, given))):
        return given
    if pollutant in group.control_levels:
        return group.control_levels[pollutant]
    if given is not None:
        return with_control(given, group.control, group.unit_type)
    return _library(pollutant, group.kind, group.library_row, group.engine_type, basis or scenario.methane_basis,
                    group.load_band, group.control)


def _nox_bases(scenario: Scenario, group: Group, used: Factor) -> dict[str, Factor]:
    """Return the NOx factor of ``group`` on each basis: the one in use for the chosen basis; for the other, AP-42 with
    the add-on control (in place of a measured class) or the measured class (in place of the library's); a factor
    given by the user, a preset or the catalog is the same on both."""
    other, alt = ("ap42", used) if scenario.nox_basis == "measured" else ("measured", used)
    if group.kind == "turbine":
        if other == "ap42" and bases.is_measured(used):
            alt = _library("nox", group.kind, group.library_row, group.engine_type, scenario.methane_basis, group.load_band,
                           group.control) or used
        elif other == "measured" and "nox" not in group.control_levels and bases.from_library(
                group, _given_factor(scenario, group, "nox")):
            alt = bases.by_band(group) or used
    return {scenario.nox_basis: used, other: alt}


def _before(group: Group, f: Factor) -> bool:
    """Return whether ``f`` is a level before add-on controls whatever its layer (one the combustor set)."""
    return f.pollutant in group.combustor_set and group.factors.get(f.pollutant) is f


def _given_factor(scenario: Scenario, group: Group, pollutant: str) -> Factor | None:
    return factor_taken(group.factors.get(pollutant), scenario.fleet_factors.get(pollutant))


def acts_on(group: Group, pollutant: str) -> bool:
    """Return whether the group's add-on control changes ``pollutant``."""
    if group.control == "none":
        return False
    return pollutant in group.control_levels or data.engine_controls()[group.control].effect(group.unit_type, pollutant) is not None


def applicable(scenario: Scenario, group: Group, pollutant: str) -> bool:
    """Return whether the group emits ``pollutant`` at all: ammonia only where an SCR (or a given NH3 factor) is."""
    if pollutant != "nh3":
        return True
    return acts_on(group, "nh3") or _given_factor(scenario, group, "nh3") is not None


@lru_cache(maxsize=1024)
def _library(pollutant: str, kind: str, row: str, engine_type: str, basis: str, load: str = ENGINE_LOAD,
             control: str = "none") -> Factor | None:
    lib = data.library_factor(pollutant, kind, row, engine_type, load, basis)
    f = library_to_factor(lib) if lib is not None else None
    return with_control(f, control, engine_type or "turbine", pollutant)


def with_control(f: Factor | None, control_id: str, unit_type: str, pollutant: str | None = None) -> Factor | None:
    """Apply an add-on control's cited outlet level or reduction for ``unit_type`` to the level before it.

    An outlet level never raises a lower level (a catalyst does not add emissions), value by value where the level is
    an array of samples or rows; a reduction of nothing is nothing.
    """
    pollutant = pollutant or (f.pollutant if f is not None else "")
    if control_id == "none":
        return f
    control = data.engine_controls()[control_id]
    e = control.effect(unit_type, pollutant)
    if e is None:
        return f
    ceiling = " (a regulatory ceiling, not a measured level)" if e.get("kind") == "ceiling" else ""
    if "outlet" in e:
        out = _outlet(pollutant, e["outlet"], e["source"], e["status"], f"level after {control.name}{ceiling}")
        if f is not None and f.form == out.form:
            below = f.value <= out.value  # one bool, or one per sample or row
            if bool(below if not hasattr(below, "all") else below.all()):
                return replace(f, note=(f.note + "; " if f.note else "") + f"kept: below {control.name}'s {e['outlet']}")
            if hasattr(below, "any") and below.any():  # values on both sides: each is what it alone would give
                import numpy as np  # only for arrays (Monte Carlo samples, batch rows): a single estimate never imports it

                return replace(out, value=np.where(below, f.value, out.value),
                               note=f"{out.note}; each value below it kept ({f.text})")
        return out
    if f is None:
        return None
    r = float(e["reduction"])
    return replace(f, value=f.value * (1 - r), text=f"{f.text} less {r:.0%} ({control.name})",
                   source=f"{f.source}; less {r:.0%}: {e['source']}", status=weaker(f.status, e["status"]),
                   note=f"level before add-on controls reduced by {control.name}{ceiling}")


@lru_cache(maxsize=64)
def _outlet(pollutant: str, text: str, source: str, status: str, note: str) -> Factor:
    return parse_factor(pollutant, text, where="add-on control", source=source, status=status, layer="built-in", note=note)


def before_controls(scenario: Scenario) -> Scenario:
    """Return ``scenario`` with every add-on control removed: each unit at its own combustor or engine type.

    This is what 'uncontrolled' means everywhere (pte, compare --permit-view, JSON): a factor given at a control's
    layer or above was the level after that control, so for the pollutants the control acts on it gives way to the
    highest level given below the control's layer, else to the catalog's or the library's.
    """
    groups = []
    for g in scenario.groups:
        if g.control == "none":
            groups.append(replace(g, factors={p: f for p in data.POLLUTANTS if (f := _given_factor(scenario, g, p)) is not None}))
            continue
        kept: dict[str, Factor] = {}
        for p in data.POLLUTANTS:
            candidates = [f for f in (g.factors.get(p), scenario.fleet_factors.get(p)) if f is not None]
            if acts_on(g, p):
                candidates = [f for f in candidates if f.rank < g.control_rank or _before(g, f)]
            if candidates:
                kept[p] = max(candidates, key=lambda f: f.rank + (0.5 if f is g.factors.get(p) else 0))
        groups.append(replace(g, control="none", control_rank=0, control_levels={}, factors=kept, combustor_set=()))
    return replace(scenario, groups=tuple(groups), fleet_factors={})


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
        if _any(hap_lb < hcho_lb * (1 - REL_NOISE)):
            raise InputError(f"{g.name}: the HAP total ({hap.text}) is less than its formaldehyde ({hcho.text if hcho else ''}); "
                             "a total cannot be below one of its parts", where="factor hap")
        return hap_lb
    lib_hcho = data.library_factor("hcho", g.kind, g.library_row, g.engine_type, g.load_band)
    lib_hap = data.library_factor("hap", g.kind, g.library_row, g.engine_type, g.load_band)
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
    if _any(hours < per_unit * (1 - REL_NOISE)):
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
    not_applicable: dict[str, list[str]] = {p: [] for p in CALCULATED}
    at_least: dict[str, list[str]] = {p: [] for p in CALCULATED}
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
        g_gen = megawatts(kw * g.output_fraction * hours)  # output while running: rated x ambient derate x load
        g_heat = mmbtu(kilowatts(g_gen) * g.heat_rate_hhv)
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
            if not applicable(scenario, g, p):
                not_applicable[p].append(g.name)
                continue
            f = group_factor(scenario, g, p)
            if f is None:
                missing[p].append(g.name)
                continue
            if g.outside_premix and p in PREMIX_BOUND and f.layer in ("built-in", "catalog") and not acts_on(g, p):
                at_least[p].append(f"{g.name}: {g.outside_premix}")
            factors[p] = f
            used[p].append((g.name, f))
            full = _pounds(f, **amounts)  # as if every operating hour were a normal hour
            if with_events:
                rates[p] = _per_hour(full, hours)
            g_lb[p] = full * kept if p in evented else full
            if p == "hcho":
                hcho_full = full
        if "nox" in factors:  # NOx on both bases, whichever is chosen (--basis)
            for b, f in _nox_bases(scenario, g, factors["nox"]).items():
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
            if "hap" in g_lb and "hcho" in g_lb and _any(g_lb["hap"] < g_lb["hcho"] * (1 - REL_NOISE)):
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
                                     {p: rates.get(p, 0.0) for p in g_lb} if with_events else None))

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
                           factors=tuple(used.get(p, ())), lb_startup=startup_lb.get(p, 0.0), hours=hours,
                           not_applicable=tuple(not_applicable.get(p, ())), at_least=tuple(at_least.get(p, ())),
                           rate=fleet_rate.get(p, 0.0) if with_events else None)
        for p in data.POLLUTANTS
    }
    methane = {scenario.methane_basis: {"ch4": pounds["ch4"], "co2e": pounds["co2e"], "complete": not missing["ch4"]},
               other_basis: {"ch4": ch4_other, "co2e": co2e_other, "complete": not ch4_other_missing}}
    upstream = upstream_methane(fuel, scenario.upstream_leak) if scenario.upstream_leak else 0.0
    homes_energy = kilowatts(generation) / scenario.household_use_kwh
    homes_capacity = capacity_kw / scenario.household_demand_kw
    _check_finite(homes_energy, homes_capacity)
    return Result(
        scenario=scenario, capacity_kw=capacity_kw, hours=hours, generation_mwh=generation, heat_input_mmbtu=heat,
        fuel_scf=fuel, emissions=emissions, households_energy=homes_energy, households_capacity=homes_capacity,
        screening=screen(emissions, scenario.area, limits=scenario.limits, heat_mmbtu=heat, psd_category=scenario.psd_category,
                         unrestricted=_unrestricted(scenario), groups=tuple(per_group)) if screen_thresholds else (),
        groups=tuple(per_group), methane=methane,
        nox_bases={b: {"nox": lb + startup_lb.get("nox", 0.0), "complete": not missing["nox"]} for b, lb in nox_bases.items()},
        upstream_ch4_lb=upstream,
    )


def upstream_methane(fuel_scf: Num, leak: Num) -> Num:
    """Return lb of methane lost before the site for ``fuel_scf`` burnt, ``leak`` being the share of the methane produced
    that is lost: produced = delivered / (1 - leak), so lost = delivered x leak / (1 - leak) (Alvarez et al. 2018's basis:
    emissions as a share of gross production)."""
    share = float(data.constant("methane_fraction").value)  # by volume
    lb_per_scf = float(data.constant("mw_ch4").value) / float(data.constant("molar_volume").value)
    return fuel_scf * share * lb_per_scf * leak / (1 - leak)


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


def _unrestricted(scenario: Scenario) -> Mapping[str, PollutantResult] | None:
    """Return the emissions without enforceable conditions where the scenario has limits: before add-on controls.

    A permit that caps emissions also requires the controls that meet the caps; controls count toward the potential
    to emit only as enforceable conditions (40 CFR 52.21(b)(4)), so without the permit the unit runs at its own
    combustor or engine type. Without limits there is nothing to set apart: None (the estimate itself).
    """
    if not scenario.limits or all(g.control == "none" for g in scenario.groups):
        return None
    return estimate(before_controls(scenario), screen_thresholds=False).emissions


def screen(emissions: Mapping[str, PollutantResult], area: str = "attainment", *, limits: tuple[Any, ...] = (),
           heat_mmbtu: float = 0.0, psd_category: str = "",
           unrestricted: Mapping[str, PollutantResult] | None = None,
           groups: tuple[GroupResult, ...] = ()) -> tuple[Screening, ...]:
    """Compare the potential to emit with the major-source thresholds (a screening, not a legal determination).

    The PTE is the estimate, capped where an enforceable limit (``limits``: a preset's [[limits]] or --limit) is
    lower: ``crossed`` refers to the PTE as limited, and a row below a threshold only by a limit (and the add-on
    controls a permit with limits requires: ``unrestricted``, the emissions before them) is a synthetic minor. PSD screens at 100 tpy only for a listed source category (``psd_category``), else at 250 tpy.
    A total that leaves out some units is never 'below' a threshold: it is unknown (crossed = None) unless
    the known part alone already crosses it (crossed = True, 'at least'), or an enforceable annual limit under the
    threshold holds it below whatever the estimate leaves out. On a batch's arrays, each is an array. A limit per unit
    holds each group's units (``groups``, the estimate's per group) to it.
    """
    caps = enforceable_caps(emissions, limits, heat_mmbtu, groups)
    annual = annual_caps(limits, groups)
    rows = []
    for t in applicable_thresholds(area, psd_category):
        for p in t.pollutants:
            e = emissions[p]
            held = p in annual and short_tons(annual[p]) < t.value  # the PTE as limited is under it, known or not
            free_lb = unrestricted[p].lb_per_year if unrestricted is not None and unrestricted[p].complete else e.lb_per_year
            free_tons = short_tons(free_lb)
            cap = caps.get(p)
            limited = cap is not None
            tons = short_tons(as_limited(e, cap))
            crossed: Any = tons >= t.value
            free: Any = free_tons >= t.value
            unknown = (not e.complete) or bool(e.at_least)
            u = unrestricted[p] if unrestricted is not None else e  # the unrestricted total has its own gaps and bounds
            free_unknown = unknown or (not u.complete) or bool(u.at_least)
            if getattr(crossed, "ndim", 0):  # one per batch row: None where a partial total stays below
                import numpy as np

                if unknown and getattr(held, "ndim", 0):  # a cap per unit: each row's units bound it on their own
                    crossed = np.where(crossed | held, crossed, None)
                elif unknown and not held:
                    crossed = np.where(crossed, True, None)
                free = np.where(free, True, None) if free_unknown else free
            else:  # a partial or lower-bound total is never 'below' (unless an annual cap holds it)
                if unknown and not held:
                    crossed = crossed or None
                if free_unknown:
                    free = free or None
            rows.append(Screening(t.id, t.program, p, tons, t.value, crossed, t.source, e.complete, limited,
                                  free_tons, cap[1] if cap is not None else "", free, lower_bound=bool(e.at_least)))
    return tuple(rows)


def applicable_thresholds(area: str = "attainment", psd_category: str = "") -> tuple[Any, ...]:
    """Return the thresholds that apply: the area's, with PSD at 100 tpy for a listed source category, else at 250 tpy."""
    drop = "psd_other" if psd_category else "psd_listed"
    return tuple(t for t in data.thresholds_for(area) if t.id != drop)


def enforceable_caps(emissions: Mapping[str, PollutantResult], limits: tuple[Any, ...], heat_mmbtu: float,
                     groups: tuple[GroupResult, ...] = ()) -> dict[str, tuple[float, str]]:
    """Return pollutant -> (the lowest annual emissions its enforceable limits allow, lb/yr; that limit as given).

    An annual limit caps the year directly; an hourly or per-heat-input limit caps the hours outside startups
    and shutdowns in proportion (the estimate's own rate scaled down to the limit), events held as estimated.
    A limit per unit does the same for each group of ``groups`` (the estimate's per group), with the group's count
    times the limit (or, per heat input, the limit itself) in place of the facility's figure, the groups then added.
    """
    out: dict[str, tuple[float, str]] = {}
    for lim in limits:
        e = emissions.get(lim.pollutant)
        if e is None:
            continue
        normal = e.lb_per_year - e.lb_startup
        if lim.per == "unit":
            lb = _unit_cap(lim, groups)
            if lb is None:
                continue
        elif lim.kind == "annual":
            lb = lim.value
        elif getattr(e.lb_per_year, "ndim", 0):  # a batch's rows: a row with no rate to scale keeps its estimate
            import numpy as np

            now = e.lb_per_hour if lim.kind == "hourly" else e.lb_per_hour * e.hours / heat_mmbtu
            with np.errstate(divide="ignore", invalid="ignore"):
                lb = e.lb_startup + normal * np.where(now > 0, np.minimum(1.0, lim.value / now), 1.0)
        else:
            now = e.lb_per_hour if lim.kind == "hourly" else (e.lb_per_hour * e.hours / heat_mmbtu if heat_mmbtu else 0.0)
            if not now:
                continue
            lb = e.lb_startup + normal * min(1.0, lim.value / now)
        text = f"{lim.shown}: {lim.source}"
        if lim.pollutant in out and (getattr(lb, "ndim", 0) or getattr(out[lim.pollutant][0], "ndim", 0)):
            out[lim.pollutant] = (_least(out[lim.pollutant][0], lb), f"{out[lim.pollutant][1]}; {text}")  # per row, the lower
        elif lim.pollutant not in out or lb < out[lim.pollutant][0]:
            out[lim.pollutant] = (lb, text)
    return out


def _unit_cap(lim: Any, groups: tuple[GroupResult, ...]) -> Num | None:
    """Return the annual emissions a per-unit limit allows, lb/yr: each group held to its count times the limit (per
    heat input: the limit), as enforceable_caps holds the facility; None where no group has a rate to scale."""
    if not groups:
        raise ValueError(f"a per-unit limit ({lim.pollutant} {lim.text}) needs the estimate's groups")
    total: Num = 0.0
    scaled = False
    p = lim.pollutant
    for g in groups:
        lb = g.lb_per_year.get(p)
        if lb is None:  # no factor (or not emitted): not in the estimate either
            continue
        if lim.kind == "annual":
            total = total + _least(lb, lim.value * g.count)
            scaled = True
            continue
        events = g.lb_startup.get(p, 0.0)
        rate = g.lb_per_hour[p]
        if lim.kind == "hourly":
            now, allowed = rate, lim.value * g.count
        else:
            now, allowed = _per_hour(rate, g.heat_input_mmbtu_h), lim.value
        if getattr(now, "ndim", 0) or getattr(allowed, "ndim", 0):  # a batch's rows: a row with no rate keeps its estimate
            import numpy as np

            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(now > 0, np.minimum(1.0, allowed / np.where(now > 0, now, 1.0)), 1.0)
            scaled = True
        elif now:
            share = min(1.0, allowed / now)
            scaled = True
        else:
            share = 1.0
        total = total + events + (lb - events) * share
    return total if scaled else None


def annual_caps(limits: tuple[Any, ...], groups: tuple[GroupResult, ...] = ()) -> dict[str, Num]:
    """Return pollutant -> its lowest annual limit, lb/yr: a bound on the PTE as limited, whatever the estimate leaves out.

    A per-unit annual limit bounds the facility at the limit times every unit of ``groups`` (those without a factor
    too): on a batch's rows, one bound per row (their own counts).
    """
    out: dict[str, Num] = {}
    units = sum(g.count for g in groups)
    for lim in limits:
        if lim.kind != "annual":
            continue
        if lim.per == "unit":
            if not groups:
                continue
            value = lim.value * units
        else:
            value = lim.value
        out[lim.pollutant] = value if lim.pollutant not in out else _least(out[lim.pollutant], value)
    return out


def as_limited(e: PollutantResult, cap: tuple[Num, str] | None) -> Num:
    """Return a pollutant's potential to emit as limited, lb/yr: the estimate, or its cap (enforceable_caps) where lower."""
    return e.lb_per_year if cap is None else _least(cap[0], e.lb_per_year)


def _least(a: Num, b: Num) -> Num:
    """The lesser of two values, element by element where either is an array (one value per batch row)."""
    if getattr(a, "ndim", 0) or getattr(b, "ndim", 0):
        import numpy as np

        return np.minimum(a, b)
    return min(a, b)
