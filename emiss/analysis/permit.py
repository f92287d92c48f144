"""For the permit engineer: limits from a permit compared with the estimate, and the operating limit that keeps
every pollutant under a set of thresholds (a synthetic-minor limit, as far as the numbers go)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from emiss import data
from emiss.core import units
from emiss.core.calc import estimate
from emiss.core.units import LB_PER_SHORT_TON
from emiss.errors import InputError
from emiss.core.factors import check_pollutant, parse_factor
from emiss.core.model import Result, Scenario

SETS = ("title-v", "psd", "hap", "psd-ser", "limits")
VARY = ("hours", "capacity-factor", "fuel")
DISCLAIMER = ("An operating limit found here is only what the numbers allow: whether a limit is enforceable as a "
              "practical matter (monitoring, recordkeeping, reporting) is the permitting authority's call.")


@dataclass(frozen=True)
class Limit:
    """A permit limit for one pollutant: annual (lb/yr), hourly at full load (lb/h), or per heat input (lb/MMBtu)."""

    pollutant: str
    kind: str
    value: float  # lb/yr, lb/h or lb/MMBtu
    text: str
    source: str
    status: str


_KIND_UNIT = {"annual": "pound / year", "hourly": "pound / hour", "input": "pound / megabritish_thermal_unit"}


def parse_limit(pollutant: str, text: Any, *, where: str, source: str = "command line", status: str = "user") -> Limit:
    """Read a limit in tpy, ton/yr, lb/h, lb/MMBtu or ppmvd@15%O2."""
    text = str(text).strip()
    check_pollutant(pollutant, where=where)
    if units.parse_concentration(text) is not None:
        f = parse_factor(pollutant, text, where=where, source=source, status=status, layer="cli")
        return Limit(pollutant, "input", f.value, text, source, status)
    p = units.parse(text, where=where)
    short_period = any(d in ("hour", "minute", "second", "day") for d in p.denominators)  # 'lb/h' is an hourly limit
    kinds = (("hourly", "lb/hour"), ("annual", "lb/year")) if short_period else (("annual", "lb/year"), ("hourly", "lb/hour"))
    for kind, unit in kinds + (("input", "lb/MMBtu"),):
        try:
            value = p.number * units.multiplier(p.unit, unit)
        except units.DimensionError:
            continue
        if value <= 0:
            raise InputError(f"'{text}' must be more than zero", where=where, usage=True)
        return Limit(pollutant, kind, value, text, source, status)
    raise InputError(f"'{text}' is not a limit; give tons per year ('87 tpy'), a rate ('20 lb/h'), or per heat input "
                     "('0.01 lb/MMBtu', '2 ppmvd@15%O2')", where=where, usage=True)


def compare(result: Result, limit: Limit) -> dict[str, Any]:
    """Compare one limit with the estimate: the estimate in the limit's terms, the margin, and whether it is within."""
    e = result.emissions[limit.pollutant]
    if limit.kind == "annual":
        est = e.lb_per_year
    elif limit.kind == "hourly":
        est = e.lb_per_hour
    else:
        est = (e.lb_per_year - e.lb_startup) / result.heat_input_mmbtu if result.heat_input_mmbtu else 0.0
    return {"pollutant": limit.pollutant, "kind": limit.kind, "limit": {"value": limit.value, "unit": _KIND_UNIT[limit.kind],
            "as_given": limit.text}, "estimate": {"value": est, "unit": _KIND_UNIT[limit.kind]},
            "margin": {"value": limit.value - est, "unit": _KIND_UNIT[limit.kind]}, "within": est <= limit.value * (1 + 1e-12),
            "complete": e.complete, "source": limit.source, "status": limit.status}


@dataclass(frozen=True)
class OperatingLimit:
    """The largest operation that keeps every pollutant of a set under its threshold."""

    vary: str
    value: float
    unit: str
    binding: str  # pollutant id
    threshold_lb: float
    threshold_name: str
    margins: dict[str, float]  # pollutant -> lb/yr left under its threshold at the limit
    status: str  # "limit", "no limit needed", "infeasible"
    message: str
    result: Result  # the estimate at the limit (or at full operation)


def _targets(sc: Scenario, under: tuple[str, ...], limits: tuple[Limit, ...]) -> dict[str, tuple[float, str]]:
    """Return pollutant -> (lowest annual threshold in lb/yr, its name) for the sets in ``under``."""
    out: dict[str, tuple[float, str]] = {}
    for t in data.thresholds_for(sc.area):
        if t.set in under:
            for p in t.pollutants:
                lb = t.value * LB_PER_SHORT_TON
                if p not in out or lb < out[p][0]:
                    out[p] = (lb, f"{t.program} ({t.value:g} tpy)")
    if "limits" in under:
        for lim in limits:
            if lim.kind == "annual" and (lim.pollutant not in out or lim.value < out[lim.pollutant][0]):
                out[lim.pollutant] = (lim.value, f"permit limit {lim.text}")
    return out


def operating_limit(sc: Scenario, *, under: tuple[str, ...], vary: str = "hours", limits: tuple[Limit, ...] = ()) -> OperatingLimit:
    """Find the largest hours/yr (or capacity factor, or fuel) that keeps every pollutant under its threshold.

    Emissions are linear in operation: lb(h) = a x h + b, where b is what startups and shutdowns add whatever the
    hours; so each pollutant allows h = (T - b) / a, and the smallest of these binds.
    """
    bad = [u for u in under if u not in SETS]
    if bad:
        raise InputError(f"unknown set '{bad[0]}'; known: {', '.join(SETS)}", where="--under", usage=True)
    if vary not in VARY:
        raise InputError(f"cannot vary '{vary}'; known: {', '.join(VARY)}", where="--vary", usage=True)
    targets = _targets(sc, under, limits)
    if not targets:
        raise InputError(f"no annual threshold or limit in {', '.join(under)}", where="--under", usage=True)
    full = sc.with_values({("hours",): sc.year_hours})
    r = estimate(full)
    year = sc.year_hours
    allowed: dict[str, float] = {}
    for p, (lb, _) in targets.items():
        e = r.emissions[p]
        per_hour = (e.lb_per_year - e.lb_startup) / year
        allowed[p] = math.inf if per_hour <= 0 else (lb - e.lb_startup) / per_hour
    binding = min(allowed, key=lambda p: allowed[p])
    hours = allowed[binding]
    lb, name = targets[binding]
    if hours >= year:
        status, hours, msg = "no limit needed", year, f"every pollutant stays under at {year:,.0f} h/yr: no operating limit is needed"
    elif hours <= 0:
        status, msg = "infeasible", (f"{binding} is over its threshold even at zero hours (startups and shutdowns alone): "
                                     "no operating limit keeps it under")
    else:
        status, msg = "limit", f"{binding} binds: {name}"
    at = estimate(sc.with_values({("hours",): max(min(hours, year), 1e-9)}))
    margins = {p: lb_t - at.emissions[p].lb_per_year for p, (lb_t, _) in targets.items()}
    value, unit = _express(vary, max(hours, 0.0), year, at)
    return OperatingLimit(vary, value, unit, binding, lb, name, margins, status, msg, at)


def _express(vary: str, hours: float, year: float, at: Result) -> tuple[float, str]:
    if vary == "hours":
        return hours, "hour / year"
    if vary == "capacity-factor":
        return hours / year, "dimensionless"
    return at.fuel_scf, "foot ** 3 / year"  # standard cubic feet
