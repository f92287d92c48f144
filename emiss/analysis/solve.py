"""Work backwards: the value of one input that makes an output hit a target."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from emiss import data
from emiss.inputs import fields
from emiss.core import units
from emiss.core.calc import estimate
from emiss.errors import InputError
from emiss.core.factors import WHOLE_GAS_PPM, beyond_the_gas, concentration_to_input, most_per_heat_input
from emiss.core.model import Factor, Path, Result, Scenario, set_value_text
from emiss.core.outputs import OUTPUTS, output


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


def _path_for(sc: Scenario, vary: str) -> tuple[Path, float, str]:
    """Return (path, central value, unit) of a --vary name (a field's 'vary' name or factor:<pollutant>)."""
    if vary.startswith("factor:"):
        pol = vary.split(":", 1)[1].strip().lower()
        if pol not in data.POLLUTANTS or pol == "co2e":
            raise InputError(f"cannot vary the factor of '{pol}'; give factor:<pollutant> with one of "
                             f"{', '.join(p for p in data.POLLUTANTS if p != 'co2e')}", where="--vary", usage=True)
        return fields.factor_path("fleet", pol), 0.0, "lb/MMBtu"
    field = fields.VARY.get(vary)
    if field is None:
        raise InputError(f"unknown input '{vary}'; known: {', '.join(fields.VARY)}, factor:<pollutant>", where="--vary", usage=True)
    if field.scope == "group" and len(sc.groups) != 1:
        raise InputError(f"--vary {vary} needs a fleet of one group; this one has {len(sc.groups)}", where="--vary", usage=True)
    path = field.path(0)
    holder = sc.groups[0] if field.scope == "group" else sc
    unit = f"Btu/kWh {sc.groups[0].basis.upper()}" if field.name == "heat_rate" else field.unit
    return path, float(getattr(holder, field.attr)), unit


def parse_target(text: str) -> tuple[str, float]:
    """Read 'nox=130 short_ton/year' or 'households=50000'; return (output, value in the output's catalogue unit)."""
    name, sep, qty = text.partition("=")
    name, qty = name.strip().lower(), qty.strip()
    if not sep or not qty:
        raise InputError(f"'{text}' must look like OUTPUT=VALUE, e.g. nox=\"130 short_ton/year\"", where="--target", usage=True)
    out = output(name, where="--target")
    if out.unit == "dimensionless":
        value = units.count(qty, where="--target")  # homes, units: a plain number
    else:
        p = units.parse(qty, where="--target")
        if p.unit and units.is_dimension(p, out.unit.rsplit(" / ", 1)[0]):
            raise InputError(f"'{qty}' has no period; write it per year, e.g. '{qty}/year'", where="--target", usage=True)
        expect = "a mass per year such as '130 short_ton/year'" if out.pollutant else f"{out.label.lower()} per year, e.g. in {out.short_unit}"
        value = units.convert(qty, out.unit, where="--target", expect=expect)
    if not value > 0:
        raise InputError("the target must be more than zero", where="--target", usage=True)
    return name, value


# How far _bisect looks either side of the starting value: 2**64 times larger or smaller (1.8e19), past any input
BRACKET_DOUBLINGS = 64
# Halvings of the bracket's ratio: from 2**64 to within 1e-15 of 1 takes about 64 + 50; a few more for safety
BISECT_STEPS = 200
ROOT_REL = 1e-12  # a root is found when the output is this close to the target, relatively (secant and bisection)
SECANT_STEPS = 60  # secant steps before bisecting (emiss's choice: a linear output takes one, a smooth curve a handful)


def _root(f: Callable[[float], float], x0: float, target: float) -> float:
    """Find x with f(x) = target for a monotonic f: a secant step is exact when f is linear; else bisect."""
    x0 = start = x0 if x0 > 0 else 1.0
    y0 = f(x0)
    x1 = x0 * 2
    y1 = f(x1)
    for _ in range(SECANT_STEPS):
        if y1 == y0:
            break
        x2 = x1 + (target - y1) * (x1 - x0) / (y1 - y0)
        if not math.isfinite(x2):
            break
        x0, y0, x1 = x1, y1, x2
        y1 = f(x1)
        if abs(y1 - target) <= ROOT_REL * abs(target):
            return x1
    return _bisect(f, start, target)


def _bisect(f: Callable[[float], float], x0: float, target: float) -> float:
    """Find x > 0 with f(x) = target for a monotonic f the secant could not follow: households = generation / use is a
    1/x curve, on which a secant step from below the target lands at a negative use and never comes back. Widen a
    bracket around ``x0`` by doublings until the output crosses the target, then halve it (geometrically)."""
    y0 = f(x0) - target
    if y0 == 0:
        return x0
    a = b = None
    for k in range(1, BRACKET_DOUBLINGS + 1):
        for x in (x0 * 2.0 ** k, x0 / 2.0 ** k):
            y = f(x) - target
            if y == 0:
                return x
            if (y > 0) != (y0 > 0):
                a, b = (x0, x) if x > x0 else (x, x0)
                break
        if a is not None:
            break
    if a is None or b is None:
        depends = f(x0 * 2) != f(x0)
        raise InputError("no value of this input reaches the target" + (
            "" if depends else " (the output does not depend on it)"), where="--vary")
    ya = f(a) - target
    for _ in range(BISECT_STEPS):
        m = math.sqrt(a * b)
        y = f(m) - target
        if abs(y) <= ROOT_REL * abs(target) or not a < m < b:
            return m
        if (y > 0) == (ya > 0):
            a, ya = m, y
        else:
            b = m
    return math.sqrt(a * b)


def solve(sc: Scenario, *, target: str, vary: str) -> Solution:
    """Find the value of input ``vary`` that makes the target output hit its value."""
    name, goal = parse_target(target)
    path, x0, unit = _path_for(sc, vary)
    return solve_path(sc, name, goal, path, x0, unit, label=vary)


def solve_path(sc: Scenario, name: str, goal: float, path: Path, x0: float, unit: str, *, label: str) -> Solution:
    """Find the value at ``path`` (any input of the Scenario) that makes output ``name`` equal ``goal``."""
    if path[0] == "factor" and path[1] == "fleet":
        # solve for one fleet-wide factor per unit of heat input, starting from the fleet's present average
        pol = path[2]
        now = estimate(sc)
        x0 = now.emissions[pol].lb_per_year / now.heat_input_mmbtu if now.heat_input_mmbtu else 0.1
        fleet = dict(sc.fleet_factors)
        fleet[pol] = Factor(pol, "input", x0, f"{set_value_text(x0)} lb/MMBtu", "solved by emiss solve", "derived", "record")
        sc = replace(sc, fleet_factors=fleet)

    def f(x: float) -> float:
        try:
            return float(OUTPUTS[name].read(estimate(sc.with_values({path: x}))))
        except (ZeroDivisionError, OverflowError):
            raise InputError(f"the target {goal:.4g} is out of reach: {label} would have to be {x:.4g} {unit}".rstrip(),
                             where="--target", usage=True) from None

    if path[0] == "factor":
        base = f(0.0)
        x = _root(lambda v: f(v) - base, x0 if x0 > 0 else 0.1, goal - base)
    else:
        x = _root(f, x0, goal)
    needed = x
    problems = []
    if x <= 0 and path[0] != "factor":
        problems.append(f"it would need a value of {x:.4g} {unit}".rstrip() + ", not more than zero")
        x = x0  # the estimate shown is at the starting value
    elif x < 0:
        problems.append(f"it would need a negative value ({x:.4g} {unit})")
    top = data.limit("capacity_factor").possible[1]  # 1: full load all year (limits.toml)
    if path[0] == "capacity_factor" and x > top:
        problems.append(f"it would need a capacity factor of {x:.4g}, above {top:g} (more than full load all year)")
    if path[0] == "hours" and x > sc.year_hours:
        problems.append(f"it would need {x:,.0f} h, more than the {sc.year_hours:,.0f} h in a year")
    # estimate refuses a value outside its possible range, so a solved value outside it is infeasible
    bound = fields.POSSIBLE_LIMITS.get(str(path[-1])) if path[0] != "factor" else None
    if bound and x > 0:  # what estimate refuses is not an answer either: a heat rate under 3,412 Btu/kWh is over 100 %
        lo, hi = data.limit(bound).possible
        if not lo <= x <= hi:
            edge = f"below {lo:,.10g} {data.limit(bound).unit}, the least possible" if x < lo else \
                f"above {hi:,.10g} {data.limit(bound).unit}, the most possible"
            why = " (100 % efficient)" if bound == "heat_rate" and x < lo else ""
            problems.append(f"it would need {x:,.6g} {unit}".rstrip() if x < 1e6 else f"it would need {x:,.0f} {unit}".rstrip())
            problems[-1] += f", {edge}{why}"
    if path[0] == "factor" and x > 0 and data.concentration_mw_key(str(path[-1])):
        # estimate refuses more than the whole gas (1,000,000 ppmvd@15%O2, factors.most_per_heat_input): a solved
        # factor above it is no answer either
        ppm = x / concentration_to_input(str(path[-1]), units.Concentration(1.0, 15.0), where="solve")
        if x > most_per_heat_input(str(path[-1])):
            problems.append(f"it would need {x:.4g} {unit} ({ppm:.4g} ppmvd@15%O2), more than the whole gas (at most "
                            f"{WHOLE_GAS_PPM:,.0f} ppmvd)")
    if path[0] != "factor" and x > 0:
        # estimate refuses a factor per MWh or per hour above the whole gas for the units that take it; a capacity or
        # heat rate solved for makes that bound anew (factors.beyond_the_gas), so a value that breaks it is no answer
        at = sc.with_values({path: x})
        for i, pol, fpath, most, _ in beyond_the_gas(at.groups, at.fleet_factors, at.uncertain)[:1]:
            f = at.fleet_factors[pol] if fpath[1] == "fleet" else at.groups[i].factors[pol]
            problems.append(f"it would need {x:,.6g} {unit}".rstrip() + f", at which the {data.pollutant_name(pol)} factor "
                            f"'{f.text}' is more than the whole gas for '{at.groups[i].name}' (at most {most:,.6g} {f.unit})")
    if path[-1] == "count":
        whole = math.ceil(x - 1e-9)
        if 0 < x and whole < 1:  # a fraction of one unit: the least whole count, 1, already overshoots
            scale, _, short = OUTPUTS[name].shown
            one = float(OUTPUTS[name].read(estimate(sc.with_values({path: 1.0})))) * scale
            problems.append(f"it would need {x:.4g} units, less than one; 1 gives {one:,.4g}" + (f" {short}" if short else ""))
        elif abs(whole - x) > 1e-9:
            # both whole neighbours with what they give: for homes the count above is the answer (4 SMT-130 supply
            # 50,000 homes), for a cap on emissions the count below is (1 unit stays under 100 tpy where 2 give 143)
            scale, _, short = OUTPUTS[name].shown
            gives = [(n, float(OUTPUTS[name].read(estimate(sc.with_values({path: float(n)})))) * scale)
                     for n in (whole - 1, whole) if n >= 1]
            said = ", ".join(f"{n} give{'s' if n == 1 else ''} {v:,.0f}" if v >= 1000 else
                             f"{n} give{'s' if n == 1 else ''} {v:,.4g}" for n, v in gives)
            problems.append(f"it would need {x:.4g} units; {whole} whole units overshoot the target ({said}"
                            + (f" {short})" if short else ")"))
        x = float(max(whole, 1))
    final = sc.with_values({path: x})
    return Solution(label, x, unit, needed, not problems, "; ".join(problems), name, goal, estimate(final), final)


def factor_views(sc: Scenario, pollutant: str, lb_per_mmbtu: float, result: Result) -> dict[str, Any]:
    """Express a solved input-based factor as lb/MMBtu, ppmvd@15%O2 (where defined) and lb/MWh, and place it."""
    views: dict[str, Any] = {"lb/MMBtu": lb_per_mmbtu}
    one_ppm = None
    if data.concentration_mw_key(pollutant):
        one_ppm = concentration_to_input(pollutant, units.Concentration(1.0, 15.0), where="solve")
        views["ppmvd@15%O2"] = lb_per_mmbtu / one_ppm
    views["lb/MWh"] = lb_per_mmbtu * result.heat_input_mmbtu / result.generation_mwh
    refs = []
    for f in data.library_factors():
        if f.pollutant == pollutant and "turbine" in f.kinds and f.control != "any":
            refs.append((f"AP-42 {f.control}", units.convert(f"{f.value} {f.unit}", "lb/MMBtu", where="library", expect="")))
    if pollutant == "nox" and one_ppm:
        from emiss.inputs.catalog import unit

        smt = unit("smt-130", where="solve")  # catalog.toml: SoLoNOx guarantees and the permitted SCR level, with sources
        refs += [(f"SCR-class {smt['nox_ppm_controlled']:g} ppm", smt["nox_ppm_controlled"] * one_ppm),
                 (f"dry-low-NOx {smt['nox_ppm_low']:g} ppm", smt["nox_ppm_low"] * one_ppm),
                 (f"dry-low-NOx {smt['nox_ppm']:g} ppm", smt["nox_ppm"] * one_ppm)]
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

