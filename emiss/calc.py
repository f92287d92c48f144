"""Pure calculation: a validated Scenario in, a Result out. No I/O, no units data."""

from __future__ import annotations

import math
from typing import Any, Mapping

from . import data
from .errors import InputError
from .factors import library_to_factor
from .model import Factor, Group, Num, PollutantResult, Result, Scenario, Screening

LB_PER_SHORT_TON = 2000.0  # US short ton = 2,000 lb exactly (NIST Handbook 44, App. C)
BTU_PER_MMBTU = 1e6  # MMBtu = one million Btu (definition)
KW_PER_MW = 1e3  # SI prefix
CALCULATED = tuple(p for p in data.POLLUTANTS if p != "co2e")


def group_factor(scenario: Scenario, group: Group, pollutant: str) -> Factor | None:
    """Return the factor used for ``pollutant`` in ``group``: the highest layer wins, the group's on a tie."""
    own = group.factors.get(pollutant)
    fleet = scenario.fleet_factors.get(pollutant)
    if own is not None and (fleet is None or own.rank >= fleet.rank):
        return own
    if fleet is not None:
        return fleet
    lib = data.library_factor(pollutant, group.kind, group.control)
    if lib is None:
        return None
    return library_to_factor(lib)


def _pounds(factor: Factor, *, count: Num, hours: Num, generation_mwh: Num, heat_mmbtu: Num, fuel_scf: Num) -> Num:
    if factor.form == "input":
        return factor.value * heat_mmbtu
    if factor.form == "output":
        return factor.value * generation_mwh
    if factor.form == "time":
        return factor.value * count * hours
    return factor.value * fuel_scf


def estimate(scenario: Scenario, *, screen_thresholds: bool = True) -> Result:
    """Compute generation, heat input, fuel, emissions, households and screening for ``scenario``.

    Every input may be a float or a numpy array (one value per sample); with arrays, leave
    ``screen_thresholds`` off (a screening compares one number with a threshold).
    """
    hours = scenario.hours
    capacity_kw = 0.0
    generation = heat = fuel = 0.0
    pounds = dict.fromkeys(CALCULATED, 0.0)
    missing: dict[str, list[str]] = {p: [] for p in CALCULATED}
    used: dict[str, list[tuple[str, Factor]]] = {p: [] for p in CALCULATED}
    for g in scenario.groups:
        kw = g.count * g.capacity_kw
        g_gen = kw * hours / KW_PER_MW
        g_heat = kw * hours * g.heat_rate_hhv / BTU_PER_MMBTU
        g_fuel = g_heat / scenario.fuel_hhv
        capacity_kw += kw
        generation += g_gen
        heat += g_heat
        fuel += g_fuel
        for p in CALCULATED:
            f = group_factor(scenario, g, p)
            if f is None:
                missing[p].append(g.name)
                continue
            used[p].append((g.name, f))
            pounds[p] += _pounds(f, count=g.count, hours=hours, generation_mwh=g_gen, heat_mmbtu=g_heat, fuel_scf=g_fuel)

    pounds["co2e"] = pounds["co2"] + scenario.gwp_ch4 * pounds["ch4"] + scenario.gwp_n2o * pounds["n2o"]
    missing["co2e"] = sorted({m for p in ("co2", "ch4", "n2o") for m in missing[p]})
    used["co2e"] = []
    _check_finite(capacity_kw, generation, heat, fuel, *pounds.values())
    names = data.pollutant_names()
    emissions = {
        p: PollutantResult(
            id=p,
            name=names[p],
            lb_per_year=pounds[p],
            lb_per_hour=pounds[p] / hours,
            complete=not missing[p],
            missing=tuple(missing[p]),
            factors=tuple(used[p]),
        )
        for p in data.POLLUTANTS
    }
    homes_energy = generation * KW_PER_MW / scenario.household_use_kwh
    homes_capacity = capacity_kw / scenario.household_demand_kw
    _check_finite(homes_energy, homes_capacity)
    return Result(
        scenario=scenario,
        capacity_kw=capacity_kw,
        hours=hours,
        generation_mwh=generation,
        heat_input_mmbtu=heat,
        fuel_scf=fuel,
        emissions=emissions,
        households_energy=homes_energy,
        households_capacity=homes_capacity,
        screening=screen(emissions) if screen_thresholds else (),
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


def screen(emissions: Mapping[str, PollutantResult]) -> tuple[Screening, ...]:
    """Compare annual emissions with the major-source thresholds (a screening, not a legal determination)."""
    rows = []
    for t in data.thresholds():
        for p in t.pollutants:
            tons = emissions[p].lb_per_year / LB_PER_SHORT_TON
            rows.append(Screening(t.id, t.program, p, tons, t.value, tons >= t.value, t.source))
    return tuple(rows)
