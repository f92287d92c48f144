"""Published figures checked: each claim of a preset against what emiss computes, and what it would take to be true."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emiss.analysis import claims as cl
from emiss.core.calc import estimate
from emiss.errors import EmissError
from emiss.core.model import Claim, Result, Scenario, Spec, Uncertain
from emiss.core.outputs import OUTPUTS
from emiss.inputs.presets import available, load
from emiss.inputs.scenario import apply_overrides, build
from emiss.analysis.solve import solve_path
from emiss.analysis.uncertainty import monte_carlo, sensitivity


@dataclass(frozen=True)
class Implied:
    """The value of the most decisive uncertain input that would make a claim true, and whether it is plausible."""

    input: str
    value: float
    unit: str
    low: float
    high: float
    plausible: bool
    feasible: bool
    problem: str


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
    checks = tuple(check_claim(sc, result, c, spec) for c in sc.claims)
    variants = []
    for v in spec.variants:
        overrides = {str(k): val for k, val in v["set"].items()}
        variants.append((str(v.get("label", "variant")), str(v.get("note", "")),
                         estimate(build(apply_overrides(spec, overrides, layer="record", where=lambda k, w=v["where"]: f"{w}.set.{k}")))))
    return PresetCheck(sc.name, sc.title, sc.date, result, checks, tuple(variants))


def check_claim(sc: Scenario, result: Result, claim: Claim, spec: Any) -> ClaimCheck:
    """Compare one claim with the estimate (under the claim's own condition, if it has one)."""
    note = ""
    if claim.given:
        sc = build(apply_overrides(spec, dict(claim.given), layer="record", where=lambda k: f"claim given {k}"))
        result = estimate(sc)
        note = "under the claim's condition: " + ", ".join(f"{k} = {v}" for k, v in claim.given)
    value = float(OUTPUTS[claim.output].read(result))
    verdict, diff = cl.verdict(claim, value)
    ranked = _decisive(sc, claim.output)
    implied = None
    if verdict != "consistent" and ranked:
        implied = _implied(sc, claim, value, ranked[0])
    return ClaimCheck(claim, value, verdict, diff, implied, tuple(u.name for u in ranked), note)


def _decisive(sc: Scenario, output: str) -> list[Uncertain]:
    """Return the uncertain inputs that move ``output``, the largest swing first."""
    try:
        _, swings = sensitivity(sc, output)
    except EmissError:
        return []
    by_name = {u.name: u for u in sc.uncertain}
    return [by_name[s.name] for s in swings if s.size > 0 and s.name in by_name]


def _implied(sc: Scenario, claim: Claim, value: float, u: Uncertain) -> Implied | None:
    goal = cl.target(claim, value)
    try:
        sol = solve_path(sc, claim.output, goal, u.path, u.central, u.unit, label=u.name)
    except EmissError as exc:
        return Implied(u.name, float("nan"), u.unit, *u.dist.bounds(), False, False, exc.message)
    lo, hi = u.dist.bounds()
    x = sol.needed
    return Implied(u.name, x, u.unit, lo, hi, sol.feasible and lo <= x <= hi, sol.feasible, sol.problem)


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
            if c.output in spread and not c.given}
