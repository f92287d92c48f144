"""Published figures checked: each claim of a preset against what emiss computes, and what it would take to be true."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from emiss import data
from emiss.core import units
from emiss.analysis import claims as cl
from emiss.analysis import permit
from emiss.analysis.solve import solve_path
from emiss.analysis.uncertainty import monte_carlo, sensitivity
from emiss.core.calc import estimate
from emiss.core.model import Claim, Path, Result, Scenario, Spec, Uncertain
from emiss.errors import EmissError
from emiss.inputs.presets import available, load
from emiss.inputs.published import names_uncertain
from emiss.inputs.scenario import build, build_with
from emiss.core.outputs import OUTPUTS

NONE_REACHES = "no single input within its range reaches it"
CALIBRATED_NOTE = "reproduced by calibration, not an independent check"
# The possible range of each kind of input (limits.toml): what it would take never leaves it.
LIMIT_OF = {"hours": "hours", "capacity_factor": "capacity_factor", "count": "count", "capacity": "capacity",
            "heat_rate": "heat_rate", "hhv_lhv": "hhv_lhv", "household_use_kwh": "household_use",
            "household_demand_kw": "household_demand"}

# Inputs a claim can name with ``implies`` that need no range in the preset: (label, Scenario attribute, unit).
SCALARS = {"hours": ("operating hours per year", "hours", "hour/year"),
           "capacity_factor": ("capacity factor", "capacity_factor", ""),
           "household_demand": ("households: demand per home", "household_demand_kw", "kW"),
           "household_use": ("households: use per home", "household_use_kwh", "kWh/year")}


@dataclass(frozen=True)
class Implied:
    """The value of one input that would make a claim true, and whether it lies in the preset's (or a plausible) range.

    ``input`` is empty when no single input within its possible range reaches the claim (``problem`` says so).
    """

    input: str
    value: float
    unit: str
    low: float  # the preset's range of the input (or, without one, its plausible range)
    high: float
    plausible: bool
    feasible: bool
    problem: str
    possible: tuple[float, float] = (0.0, math.inf)
    detail: str = ""  # e.g. the heat input a fleet-average heat rate means
    range_kind: str = "preset"  # what low..high is: "preset" (the preset's range) or "plausible" (limits.toml)


@dataclass(frozen=True)
class ClaimCheck:
    """One claim, the estimate of the same output, the verdict, and what the claim implies."""

    claim: Claim
    estimate: float  # in the output's catalogue unit
    verdict: str
    difference_pct: float
    implied: Implied | None
    decided_by: tuple[str, ...]  # the uncertain inputs that swing this output most, largest first
    note: str = ""
    difference: float = 0.0  # estimate - the claim's figure or nearest edge, catalogue unit
    judged: str = ""  # the verdict on the figures alone, under 'calibrated' (e.g. 'consistent')
    calibrated_by: tuple[str, ...] = ()  # the calibrated inputs that reproduce this claim
    about: str = ""  # for 'not-comparable': what the claim is about

    @property
    def failed(self) -> bool:
        """True when the figures disagree with the claim (not for calibrated or not-comparable claims)."""
        return self.verdict in cl.FAILED


@dataclass(frozen=True)
class PresetCheck:
    """A preset's claims checked, with its headline result and its named variants."""

    name: str
    title: str
    date: str
    result: Result
    claims: tuple[ClaimCheck, ...]
    variants: tuple[tuple[str, str, Result], ...]  # (label, note, result)


def check_preset(preset: str | Spec) -> PresetCheck:
    """Estimate a preset (a name, a path or one already loaded) from its central values and check its claims."""
    spec = load(preset) if isinstance(preset, str) else preset
    sc = build(spec)
    result = estimate(sc)
    names = {spec.name.lower(), *(str(a).lower() for a in getattr(spec, "aliases", ()) or ())}
    # every claim of the preset was read (build refuses a preset with a bad one), so each Claim is its raw entry's
    checks = tuple(check_claim(sc, result, c, spec, names=names, where=f"{raw.get('where', f'claims[{i}]')}.given")
                   for i, (c, raw) in enumerate(zip(sc.claims, spec.claims)))
    variants = []
    for v in spec.variants:
        overrides = {str(k): val for k, val in v["set"].items()}
        variants.append((str(v.get("label", "variant")), str(v.get("note", "")),
                         estimate(build_with(spec, overrides, where=f"{v['where']}.set"))))
    return PresetCheck(sc.name, sc.title, sc.date, result, checks, tuple(variants))


def check_presets(names: list[str] | tuple[str, ...]) -> list[PresetCheck]:
    """Check presets given by name or path, each once (a name and its alias, or the same name twice, count once)."""
    seen: set[str] = set()
    out = []
    for n in names:
        spec = load(n)
        if spec.name in seen:
            continue
        seen.add(spec.name)
        out.append(check_preset(spec))
    return out


def claim_value(result: Result, claim: Claim) -> float:
    """Return emiss's figure for the claim's output; a households claim on its own basis (capacity, energy, co2)."""
    if claim.output == "households" and claim.basis:
        return households_by(result, claim.basis)
    return float(OUTPUTS[claim.output].read(result))


def on_basis(claim: Claim) -> Claim:
    """Return a households claim as the output its basis reads: households.capacity, .energy or .co2."""
    if claim.output != "households" or not claim.basis:
        return claim
    return replace(claim, output=f"households.{claim.basis}")


def households_by(result: Result, basis: str) -> float:
    """Return homes on one basis: capacity / demand per home, generation / use per home, or CO2 / a home's CO2 (EPA)."""
    return float(OUTPUTS[f"households.{basis}"].read(result))


def check_claim(sc: Scenario, result: Result, claim: Claim, spec: Any, *, names: set[str] | None = None,
                where: str = "claim.given") -> ClaimCheck:
    """Compare one claim with the estimate (under the claim's own condition, if it has one; ``where`` names it in an
    error, e.g. 'site.toml: claims[0].given')."""
    note = ""
    if claim.given:
        sc = build_with(spec, dict(claim.given), where=where)
        result = estimate(sc)
        note = "under the claim's condition: " + ", ".join(f"{k} = {v}" for k, v in claim.given)
    published, claim = claim, on_basis(claim)
    value = claim_value(result, claim)
    v = cl.judge(claim, value)
    if claim.scope and names is not None and claim.scope not in names:
        about = claim.about or f"preset {claim.scope}"
        return ClaimCheck(published, value, cl.NOT_COMPARABLE, v.difference_pct, None, (), note, v.difference,
                          v.word, (), about)
    ranked = _decisive(sc, claim.output)
    calibrated = calibrated_by(sc, result, claim, ranked)
    if calibrated and v.word not in cl.FAILED:  # reproduced by calibration; a figure it does not reproduce is judged
        return ClaimCheck(published, value, cl.CALIBRATED, v.difference_pct, None, tuple(u.name for u in ranked), note,
                          v.difference, v.word, calibrated)
    implied = None
    if claim.kind == "cap":
        implied = implied_by_cap(sc, result, claim, ranked)
    elif v.word in cl.FAILED:
        implied = what_it_would_take(sc, claim, value, ranked)
    return ClaimCheck(published, value, v.word, v.difference_pct, implied, tuple(u.name for u in ranked), note,
                      v.difference, v.word, calibrated)


def implied_by_cap(sc: Scenario, result: Result, claim: Claim, ranked: list[Uncertain]) -> Implied | None:
    """Return what a cap claim implies for the input it constrains (the pollutant's rate per heat input), as the
    limits code computes it for a [[limits]] entry: one computation, permit.implied_by_cap."""
    pol = OUTPUTS[claim.output].pollutant
    if OUTPUTS[claim.output].unit != OUTPUTS[pol].unit:  # a cap per hour is a limit's business, not an annual cap's
        return None
    p = permit.implied_by_cap(result, pol, claim.high)
    if p.lb_per_mmbtu < 0:
        return Implied("", math.nan, "", math.nan, math.nan, False, False, f"the cap {p.says}")
    if math.isinf(p.lb_per_mmbtu):  # the pollutant is not emitted here: the cap holds at any rate
        return Implied("", math.nan, "", math.nan, math.nan, False, True, f"the cap {p.says}")
    u = next((x for x in ranked if x.path[:1] == ("factor",) and x.path[-1] == pol), None)
    lo, hi = u.dist.bounds() if u is not None else (math.nan, math.nan)
    detail = f"at the level used here, {permit.hours_allowed(p.hours)} h/yr" if p.hours is not None and p.hours < float(result.hours) else ""
    return Implied(u.name if u is not None else f"factor {pol} (all units)", p.lb_per_mmbtu, "lb/MMBtu", lo, hi,
                   lo <= p.lb_per_mmbtu <= hi, True, "", (0.0, math.inf), detail, "preset" if u is not None else "none")


def calibrated_by(sc: Scenario, result: Result, claim: Claim, ranked: list[Uncertain]) -> tuple[str, ...]:
    """Return the inputs with status 'calibrated' that set this claim's figure (none: the check is independent)."""
    out: list[str] = []
    pol = OUTPUTS[claim.output].pollutant
    if pol and pol in result.emissions:
        out += [f"factor {pol}" for _, f in result.emissions[pol].factors if f.status == "calibrated"]
    calibrated = [a.name for a in sc.assumptions if a.status == "calibrated"]
    if claim.output.startswith("households"):
        basis = claim.basis or claim.output.partition(".")[2] or sc.households_method
        word = {"capacity": "demand", "energy": "use"}.get(basis, "")
        out += [a for a in calibrated if word and a.startswith("households:") and word in a]
    else:
        out += [a for a in calibrated if any(a.startswith(u.name) for u in ranked)]
    return tuple(dict.fromkeys(out))


def _decisive(sc: Scenario, output: str) -> list[Uncertain]:
    """Return the uncertain inputs that move ``output``, the largest swing first."""
    try:
        _, swings = sensitivity(sc, output)
    except EmissError:
        return []
    by_name = {u.name: u for u in sc.uncertain}
    return [by_name[s.name] for s in swings if s.size > 0 and s.name in by_name]


def possible_range(sc: Scenario, path: Path) -> tuple[float, float]:
    """Return what an input may be at all (limits.toml; hours at most the modelled year; a factor zero or more)."""
    key = LIMIT_OF.get(str(path[-1]))
    if key is None:
        return (0.0, math.inf)
    lo, hi = data.limit(key).possible
    if key == "hours":
        hi = min(hi, sc.year_hours)
    return (lo, hi)


def what_it_would_take(sc: Scenario, claim: Claim, value: float, ranked: list[Uncertain]) -> Implied:
    """Find one input, within what it may possibly be, that makes the claim true.

    The input the claim names (``implies``) is tried first; then the preset's uncertain inputs, the largest swing
    first, preferring one whose value stays inside the preset's range. Every answer is checked by estimating again
    with it and judging the claim; an answer outside the input's possible range is never given.
    """
    if claim.implies:
        named = _named(sc, claim, value, ranked)
        if named is not None and named.feasible:
            return named
    candidates = list(ranked)
    if not any(u.path == ("hours",) for u in sc.uncertain):  # operation is always a lever, with or without a range
        candidates.append(Uncertain("operating hours per year", ("hours",), None, float(sc.hours), "hour/year", "the preset"))
    found = [i for i in (_solve(sc, claim, value, u) for u in candidates) if i is not None and i.feasible]
    for i in found:
        if i.plausible:
            return i
    if found:
        return found[0]
    return Implied("", math.nan, "", math.nan, math.nan, False, False, NONE_REACHES)


def _named(sc: Scenario, claim: Claim, value: float, ranked: list[Uncertain]) -> Implied | None:
    if claim.implies == "heat_rate":
        return _fleet_heat_rate(sc, claim, value)
    for u in ranked + [u for u in sc.uncertain if u not in ranked]:
        if names_uncertain(claim.implies, u):
            return _solve(sc, claim, value, u)
    pol = OUTPUTS[claim.output].pollutant
    if claim.implies == "factor" and pol:
        return _solve(sc, claim, value, Uncertain(f"factor {pol} (all units)", ("factor", "fleet", pol), None, 0.0, "lb/MMBtu", ""))
    scalar = SCALARS.get(claim.implies)
    if scalar is None:
        return None
    name, attr, unit = scalar
    return _solve(sc, claim, value, Uncertain(name, (attr,), None, float(getattr(sc, attr)), unit, ""))


def _solve(sc: Scenario, claim: Claim, value: float, u: Uncertain) -> Implied | None:
    goal = cl.target(claim, value)
    try:
        sol = solve_path(sc, claim.output, goal, u.path, u.central, u.unit, label=u.name)
    except EmissError:
        return None
    x = sol.needed
    if not math.isfinite(x):
        return None
    plo, phi = possible_range(sc, u.path)
    kind = "preset" if u.dist is not None else "plausible"
    if u.dist is not None:
        lo, hi = u.dist.bounds()
    elif str(u.path[-1]) in LIMIT_OF:
        lo, hi = data.limit(LIMIT_OF[str(u.path[-1])]).plausible
    else:
        lo, hi, kind = 0.0, math.inf, "none"
    candidates = [x]
    if u.path[-1] == "count":
        candidates = [float(math.ceil(x - 1e-9)), float(math.floor(x + 1e-9))]
    for c in candidates:
        if not plo <= c <= phi:
            continue
        try:
            got = claim_value(estimate(sc.with_values({u.path: c})), claim) if u.path[0] != "factor" else claim_value(sol.result, claim)
        except EmissError:
            continue
        if cl.judge(claim, got).word in cl.OK:
            return Implied(u.name, c, u.unit, lo, hi, lo <= c <= hi, True, "", (plo, phi), range_kind=kind)
    return None


def _fleet_heat_rate(sc: Scenario, claim: Claim, value: float) -> Implied | None:
    """Solve for one factor on every unit's heat rate; report it as the fleet-average heat rate (HHV) it means."""
    goal = cl.target(claim, value)
    paths = [("group", i, "heat_rate") for i in range(len(sc.groups))]
    base = [float(g.heat_rate) for g in sc.groups]

    def at(k: float) -> tuple[float, Result]:
        r = estimate(sc.with_values({p: h * k for p, h in zip(paths, base)}))
        return claim_value(r, claim), r

    k0, y0 = 1.0, value
    k1 = goal / value if value else 2.0
    try:
        for _ in range(30):
            y1, r = at(k1)
            if abs(y1 - goal) <= 1e-9 * abs(goal) or y1 == y0:
                break
            k0, k1, y0 = k1, k1 + (goal - y1) * (k1 - k0) / (y1 - y0), y1
        y1, r = at(k1)
    except EmissError:
        return None
    lim = data.limit("heat_rate")
    fleet = r.heat_input_mmbtu * units.multiplier("MMBtu/MWh", "Btu/kWh") / r.generation_mwh if r.generation_mwh else math.nan  # HHV
    feasible = all(lim.possible[0] <= h * k1 <= lim.possible[1] for h in base) and cl.judge(claim, y1).word in cl.OK
    per_hour = r.heat_input_mmbtu / r.hours if r.hours else math.nan
    return Implied("heat rate (fleet average, HHV)", fleet, "Btu/kWh", lim.plausible[0], lim.plausible[1],
                   lim.plausible[0] <= fleet <= lim.plausible[1], feasible, "" if feasible else NONE_REACHES,
                   lim.possible, f"heat input {per_hour:,.0f} MMBtu/h (HHV)", "plausible")


def check_all() -> list[PresetCheck]:
    """Check every shipped preset that carries claims, in date order."""
    out = []
    for name in available():
        spec = load(name)
        if spec.claims:
            out.append(check_preset(spec))
    return sorted(out, key=lambda p: (p.date or "9999", p.name))


def claim_ranges(pc: PresetCheck, samples: int = 2000, seed: int = 1) -> dict[int, tuple[float, float]]:
    """Return, for each claim of a checked preset (by position), the P5-P95 range its output takes over the preset's
    ranges (2,000 draws, seed 1: a chart's band, reproducible run to run)."""
    sc = pc.result.scenario
    if not sc.uncertain:
        return {}
    try:
        spread = monte_carlo(sc, samples, seed)
    except (EmissError, ImportError):
        return {}
    return {i: (spread[c.output].p5, spread[c.output].p95) for i, c in enumerate(sc.claims)
            if c.output in spread and not c.given and not c.basis}
