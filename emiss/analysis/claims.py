"""Published figures as data: each claim's verdict against an estimate (a preset's [[claims]] are read into
Claims by inputs/published.py).

A claim has a kind, and its verdict fits the kind:

    point     about a figure, within a tolerance       consistent | higher | lower
    at-least  a lower bound                            holds | fails
    at-most   an upper bound                           holds | fails
    range     LOW..HIGH                                inside | above | below
    cap       a permit limit the plant must meet       met | exceeded

Every comparison is made at the published figure's own precision: emiss's figure is rounded to the last digit the
claim was published with (247.05 MW against "up to 247 MW" is 247, which holds), so the figure emiss prints,
claimed back at 0 %, is consistent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from emiss.core.model import Claim

OK = ("consistent", "holds", "inside", "met")
FAILED = ("higher", "lower", "fails", "above", "below", "exceeded")
CALIBRATED = "calibrated"  # reproduced by calibration, not an independent check
NOT_COMPARABLE = "not-comparable"  # about another plant, fleet or date
_SLACK = 1e-9  # in units of the published figure's last digit: float noise, never a real difference


@dataclass(frozen=True)
class Verdict:
    """A claim judged: the word, how far emiss's figure is from the claim (signed, catalogue unit and %)."""

    word: str
    difference: float  # estimate - reference (the figure, or the nearest edge of a bound or range; 0 inside a range)
    difference_pct: float
    reference: float


def _steps(x: float, quantum: float | None) -> float:
    """Return ``x`` in whole steps of the published figure's last digit (rounded half up); ``x`` itself without one."""
    return math.floor(x / quantum + 0.5) if quantum else x


def judge(claim: Claim, estimate: float) -> Verdict:
    """Judge ``estimate`` (the output's catalogue unit) against the claim, at the claim's published precision."""
    q = claim.quantum
    est = _steps(estimate, q)

    def edge(x: float) -> float:
        return x / q if q else x

    slack = _SLACK * max(1.0, abs(est))
    lo, hi = claim.low, claim.high
    if claim.kind == "point":
        band = claim.tolerance_abs if claim.tolerance_abs is not None else claim.tolerance * lo
        below, above = est < edge(lo - band) - slack, est > edge(lo + band) + slack
        word = "higher" if above else "lower" if below else "consistent"
        ref = lo
    elif claim.kind == "at-least":
        word = "fails" if est < edge(lo) - slack else "holds"
        ref = lo
    elif claim.kind in ("at-most", "cap"):
        over = est > edge(hi) + slack
        word = ("exceeded" if over else "met") if claim.kind == "cap" else ("fails" if over else "holds")
        ref = hi
    else:
        if est < edge(lo) - slack:
            word, ref = "below", lo
        elif est > edge(hi) + slack:
            word, ref = "above", hi
        else:
            word, ref = "inside", estimate
    diff = 0.0 if word == "inside" else estimate - ref
    return Verdict(word, diff, 100 * diff / ref if ref else 0.0, ref)


def verdict(claim: Claim, estimate: float) -> tuple[str, float]:
    """Return (verdict, difference in %) for ``estimate``: see ``judge``."""
    v = judge(claim, estimate)
    return v.word, v.difference_pct


def target(claim: Claim, estimate: float) -> float:
    """Return the figure a solve should aim at to make the claim true: the nearest edge it allows."""
    if claim.kind == "at-least":
        return claim.low
    if claim.kind in ("at-most", "cap"):
        return claim.high
    if claim.kind == "range":
        return claim.high if estimate > claim.high else claim.low
    return claim.low
