"""Questions about a scenario: set one input (solve), swing each (sensitivity), sample all (Monte Carlo)."""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from . import library, units
from .calc import estimate
from .errors import InputError
from .model import Factor, Result, Scenario

VARY_NAMES = ("capacity-factor", "hours", "turbines", "capacity", "heat-rate", "household-use", "household-demand")
OUTPUTS = library.POLLUTANTS + ("households", "generation", "heat_input", "fuel")
MAX_SAMPLES = 5_000_000  # keeps the sample arrays (a few dozen of them, 8 bytes a value) within a few GB


def _with(obj: Any, changes: dict[str, Any]) -> Any:
    """Return a copy of frozen dataclass ``obj`` with ``changes`` (much cheaper than dataclasses.replace)."""
    new = copy.copy(obj)
    for k, v in changes.items():
        object.__setattr__(new, k, v)
    return new


def apply(sc: Scenario, values: dict[tuple[Any, ...], Any]) -> Scenario:
    """Return ``sc`` with the inputs at ``values`` (path -> number or numpy array) replaced."""
    group_changes: dict[int, dict[str, Any]] = {}
    fleet = None
    changes: dict[str, Any] = {}
    for path, v in values.items():
        head = path[0]
        if head == "group":
            group_changes.setdefault(path[1], {})[path[2]] = v
        elif head == "factor":
            scope, pol = path[1], path[2]
            if scope == "fleet":
                fleet = dict(sc.fleet_factors) if fleet is None else fleet
                if isinstance(v, Factor):
                    fleet[pol] = v
                else:
                    base = fleet.get(pol) or Factor(pol, "input", 0.0, "", "solved by emiss", "derived", "record")
                    fleet[pol] = _with(base, {"value": v})
            else:
                gc = group_changes.setdefault(scope, {})
                fs = gc.setdefault("factors", dict(sc.groups[scope].factors))
                fs[pol] = v if isinstance(v, Factor) else _with(fs[pol], {"value": v})
        elif head == "capacity_factor":
            changes.update(capacity_factor=v, hours=v * sc.year_hours)
        elif head == "hours":
            changes.update(hours=v, capacity_factor=v / sc.year_hours)
        else:
            changes[head] = v
    ratio_changed = "hhv_lhv" in changes
    ratio = changes.get("hhv_lhv", sc.hhv_lhv)
    groups = []
    for i, g in enumerate(sc.groups):
        gc = group_changes.get(i)
        if gc is None and not ratio_changed:
            groups.append(g)
            continue
        gc = dict(gc or {})
        hr = gc.get("heat_rate", g.heat_rate)
        gc["heat_rate_hhv"] = hr * ratio if g.basis == "lhv" else hr
        groups.append(_with(g, gc))
    changes["groups"] = tuple(groups)
    if fleet is not None:
        changes["fleet_factors"] = fleet
    return _with(sc, changes)


def output_value(r: Result, name: str) -> Any:
    """Return an output in its base unit: lb/yr for pollutants, homes, MWh/yr, MMBtu/yr, scf/yr."""
    if name in library.POLLUTANTS:
        return r.emissions[name].lb_per_year
    if name == "households":
        return r.households
    return {"generation": r.generation_mwh, "heat_input": r.heat_input_mmbtu, "fuel": r.fuel_scf}[name]


OUTPUT_UNITS = {"households": "", "generation": "MWh/year", "heat_input": "MMBtu/year", "fuel": "scf/year"}


def output_label(name: str, mass_unit: str) -> str:
    """Return the unit an output is shown in."""
    return OUTPUT_UNITS.get(name, f"{mass_unit}/year")


# ---- Monte Carlo ----

@dataclass(frozen=True)
class Spread:
    """Percentiles of one output over the samples, in its base unit."""

    p5: float
    p50: float
    p95: float
    mean: float


def monte_carlo(sc: Scenario, samples: int, seed: int | None) -> dict[str, Spread]:
    """Sample every uncertain input at once (vectorised with numpy) and return each output's spread."""
    if not sc.uncertain:
        raise InputError("no input is uncertain: give a range (e.g. --capacity-factor 0.6..1.0) or a preset with ranges",
                         where="--samples", usage=True)
    if not 2 <= samples <= MAX_SAMPLES:
        raise InputError(f"{samples} samples: give from 2 to {MAX_SAMPLES:,}", where="--samples", usage=True)
    try:
        import numpy as np
    except ImportError:
        raise InputError("Monte Carlo needs numpy: pip install numpy", where="--samples") from None
    rng = np.random.default_rng(seed)
    values = {u.path: u.dist.sample(rng, samples) for u in sc.uncertain}
    _check_samples(sc, values)
    r = estimate(apply(sc, values))
    out = {}
    for name in OUTPUTS:
        arr = np.broadcast_to(np.asarray(output_value(r, name), dtype=float), (samples,))
        p5, p50, p95 = np.percentile(arr, [5, 50, 95])
        out[name] = Spread(float(p5), float(p50), float(p95), float(arr.mean()))
    return out


def _check_samples(sc: Scenario, values: dict[tuple[Any, ...], Any]) -> None:
    """Refuse distributions that draw impossible values (a capacity factor above 1, negative sizes)."""
    for u in sc.uncertain:
        arr = values[u.path]
        lo, hi = float(arr.min()), float(arr.max())
        limit_hi = 1.0 if u.path[0] == "capacity_factor" else (sc.year_hours if u.path[0] == "hours" else math.inf)
        limit_lo = 1.0 if u.path[-1] == "count" else 0.0
        if lo < limit_lo or hi > limit_hi:
            raise InputError(f"the distribution of '{u.name}' draws values outside {limit_lo:g}..{limit_hi:g} "
                             f"(from {lo:g} to {hi:g}); narrow it or use a bounded one", where="--samples")


# ---- sensitivity ----

@dataclass(frozen=True)
class Swing:
    """The output with one input at its low and at its high end, others at their central values."""

    name: str
    low_input: float
    high_input: float
    unit: str
    low_output: float
    high_output: float
    source: str

    @property
    def size(self) -> float:
        """Return the absolute swing of the output."""
        return abs(self.high_output - self.low_output)


def sensitivity(sc: Scenario, output: str) -> tuple[float, list[Swing]]:
    """Return the central output and one swing per uncertain input, largest first."""
    check_output(output)
    central = output_value(estimate(sc), output)
    swings = []
    for u in sc.uncertain:
        lo, hi = u.dist.bounds()
        lo_out = output_value(estimate(apply(sc, {u.path: lo})), output)
        hi_out = output_value(estimate(apply(sc, {u.path: hi})), output)
        swings.append(Swing(u.name, lo, hi, u.unit, lo_out, hi_out, u.source))
    swings.sort(key=lambda s: s.size, reverse=True)
    return central, swings


def check_output(name: str) -> None:
    """Raise a usage error for an unknown output name."""
    if name not in OUTPUTS:
        raise InputError(f"unknown output '{name}'; known: {', '.join(OUTPUTS)}", where="--output", usage=True)


# ---- solve ----

@dataclass(frozen=True)
class Solution:
    """The input value that makes an output hit a target, and the estimate there."""

    vary: str
    value: float  # in ``unit``
    unit: str
    needed: float  # the exact value before rounding (turbines) or limits
    feasible: bool
    problem: str
    target_output: str
    target_value: float  # base unit
    result: Result
    scenario: Scenario


def _path_for(sc: Scenario, vary: str) -> tuple[tuple[Any, ...], float, str]:
    """Return (path, central value, unit) of a --vary name."""
    if vary.startswith("factor:"):
        pol = vary.split(":", 1)[1].strip().lower()
        if pol not in library.POLLUTANTS or pol == "co2e":
            raise InputError(f"cannot vary the factor of '{pol}'; give factor:<pollutant> with one of "
                             f"{', '.join(p for p in library.POLLUTANTS if p != 'co2e')}", where="--vary", usage=True)
        return ("factor", "fleet", pol), 0.0, "lb/MMBtu"
    if vary not in VARY_NAMES:
        raise InputError(f"unknown input '{vary}'; known: {', '.join(VARY_NAMES)}, factor:<pollutant>", where="--vary", usage=True)
    if vary == "capacity-factor":
        return ("capacity_factor",), sc.capacity_factor, ""
    if vary == "hours":
        return ("hours",), sc.hours, "h/year"
    if vary == "household-use":
        return ("household_use_kwh",), sc.household_use_kwh, "kWh/year"
    if vary == "household-demand":
        return ("household_demand_kw",), sc.household_demand_kw, "kW"
    if len(sc.groups) != 1:
        raise InputError(f"--vary {vary} needs a fleet of one group; this one has {len(sc.groups)}", where="--vary", usage=True)
    g = sc.groups[0]
    field, value, unit = {"turbines": ("count", g.count, ""), "capacity": ("capacity_kw", g.capacity_kw, "kW"),
                          "heat-rate": ("heat_rate", g.heat_rate, f"Btu/kWh {g.basis.upper()}")}[vary]
    return ("group", 0, field), float(value), unit


def parse_target(text: str) -> tuple[str, float]:
    """Read 'nox=130 short_ton/year' or 'households=50000'; return (output, value in base unit)."""
    name, sep, qty = text.partition("=")
    name = name.strip().lower()
    if not sep or not qty.strip():
        raise InputError(f"'{text}' must look like OUTPUT=VALUE, e.g. nox=\"130 short_ton/year\"", where="--target", usage=True)
    if name not in OUTPUTS:
        raise InputError(f"unknown output '{name}'; known: {', '.join(OUTPUTS)}", where="--target", usage=True)
    if name in library.POLLUTANTS:
        p = units.parse(qty.strip(), where="--target")
        if not p.unit:
            raise InputError(f"'{qty.strip()}' has no unit; write e.g. '130 short_ton/year'", where="--target", usage=True)
        value = units.convert(qty.strip(), "lb/year", where="--target", expect="a mass per year such as '130 short_ton/year'")
    elif name == "households":
        value = units.fraction(qty.strip(), where="--target")
    else:
        value = units.convert(qty.strip(), {"generation": "MWh/year", "heat_input": "MMBtu/year", "fuel": "scf/year"}[name],
                              where="--target", expect=f"a {name.replace('_', ' ')} per year")
    if not value > 0:
        raise InputError("the target must be more than zero", where="--target", usage=True)
    return name, value


def _root(f: Callable[[float], float], x0: float, target: float) -> float:
    """Find x with f(x) = target for a monotonic f: a secant step is exact when f is linear; else bisect."""
    x0 = x0 if x0 > 0 else 1.0
    y0 = f(x0)
    x1 = x0 * 2
    y1 = f(x1)
    for _ in range(60):
        if y1 == y0:
            break
        x2 = x1 + (target - y1) * (x1 - x0) / (y1 - y0)
        if not math.isfinite(x2):
            break
        x0, y0, x1 = x1, y1, x2
        y1 = f(x1)
        if abs(y1 - target) <= 1e-12 * abs(target):
            return x1
    raise InputError("no value of this input reaches the target (the output does not depend on it)", where="--vary")


def solve(sc: Scenario, *, target: str, vary: str) -> Solution:
    """Find the value of input ``vary`` that makes the target output hit its value."""
    name, goal = parse_target(target)
    path, x0, unit = _path_for(sc, vary)
    if path[0] == "factor":
        # solve for one fleet-wide factor per unit of heat input, starting from the fleet's present average
        pol = path[2]
        now = estimate(sc)
        x0 = now.emissions[pol].lb_per_year / now.heat_input_mmbtu if now.heat_input_mmbtu else 0.1
        fleet = dict(sc.fleet_factors)
        fleet[pol] = Factor(pol, "input", x0, f"{x0:g} lb/MMBtu", "solved by emiss solve", "derived", "record")
        sc = replace(sc, fleet_factors=fleet)

    def f(x: float) -> float:
        return float(output_value(estimate(apply(sc, {path: x})), name))

    if path[0] == "factor":
        base = f(0.0)
        x = _root(lambda v: f(v) - base, x0 if x0 > 0 else 0.1, goal - base)
    else:
        x = _root(f, x0, goal)
    needed = x
    problems = []
    if x < 0:
        problems.append(f"it would need a negative value ({x:.4g} {unit})")
    if path[0] == "capacity_factor" and x > 1:
        problems.append(f"it would need a capacity factor of {x:.4g}, above 1 (more than full load all year)")
    if path[0] == "hours" and x > sc.year_hours:
        problems.append(f"it would need {x:,.0f} h, more than the {sc.year_hours:,.0f} h in a year")
    if path[-1] == "count":
        whole = math.ceil(x - 1e-9)
        if abs(whole - x) > 1e-9:
            problems.append(f"it would need {x:.4g} units; {whole} whole units overshoot the target")
        x = float(max(whole, 1))
    final = apply(sc, {path: x})
    return Solution(vary, x, unit, needed, not problems, "; ".join(problems), name, goal, estimate(final), final)


def factor_views(sc: Scenario, pollutant: str, lb_per_mmbtu: float, result: Result) -> dict[str, Any]:
    """Express a solved input-based factor as lb/MMBtu, ppmvd@15%O2 (where defined) and lb/MWh, and place it."""
    from .factors import concentration_to_input
    from .units import Concentration

    views: dict[str, Any] = {"lb/MMBtu": lb_per_mmbtu}
    one_ppm = None
    if library.concentration_mw_key(pollutant):
        one_ppm = concentration_to_input(pollutant, Concentration(1.0, 15.0), where="solve")
        views["ppmvd@15%O2"] = lb_per_mmbtu / one_ppm
    views["lb/MWh"] = lb_per_mmbtu * result.heat_input_mmbtu / result.generation_mwh
    refs = []
    for f in library.library_factors():
        if f.pollutant == pollutant and "turbine" in f.kinds and f.control != "any":
            refs.append((f"AP-42 {f.control}", units.convert(f"{f.value} {f.unit}", "lb/MMBtu", where="library", expect="")))
    if pollutant == "nox" and one_ppm:
        refs += [("SCR-class 2 ppm", 2 * one_ppm), ("dry-low-NOx 15 ppm", 15 * one_ppm), ("dry-low-NOx 25 ppm", 25 * one_ppm)]  # catalog.toml: SoLoNOx 15/25 ppm; SCR about 2-2.5 ppm
    refs.sort(key=lambda r: r[1])
    below = [r for r in refs if r[1] <= lb_per_mmbtu * (1 + 1e-9)]
    above = [r for r in refs if r[1] > lb_per_mmbtu * (1 + 1e-9)]
    if below and above:
        place = f"between {below[-1][0]} and {above[0][0]}"
    elif above:
        place = f"below {above[0][0]}"
    elif below:
        place = f"above {below[-1][0]}"
    else:
        place = ""
    views["placement"] = place
    views["references"] = {name: v for name, v in refs}
    return views

