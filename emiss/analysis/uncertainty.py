"""Uncertain inputs at work: sample them all at once (Monte Carlo) or swing each in turn (sensitivity)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from emiss import data
from emiss.core.calc import estimate
from emiss.errors import InputError
from emiss.core.model import Num, Path, Scenario
from emiss.core.outputs import OUTPUTS, TARGETS, output

MAX_SAMPLES = 5_000_000  # keeps the sample arrays (a few dozen of them, 8 bytes a value) within a few GB


@dataclass(frozen=True)
class Spread:
    """Percentiles of one output over the samples, in its base unit."""

    p5: float
    p50: float
    p95: float
    mean: float


def monte_carlo(sc: Scenario, samples: int, seed: int | None) -> dict[str, Spread]:
    """Sample every uncertain input at once (vectorised with numpy) and return each output's spread."""
    return spreads(sample_outputs(sc, samples, seed))


def spreads(arrays: dict[str, Any]) -> dict[str, Spread]:
    """Return the P5/P50/P95 and mean of each output's samples."""
    import numpy as np

    out = {}
    for name, arr in arrays.items():
        p5, p50, p95 = np.percentile(arr, [5, 50, 95])
        out[name] = Spread(float(p5), float(p50), float(p95), float(arr.mean()))
    return out


def sample_outputs(sc: Scenario, samples: int, seed: int | None) -> dict[str, Any]:
    """Return each annual output over ``samples`` draws of every uncertain input (numpy arrays, catalogue units)."""
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
    r = estimate(sc.with_values(values), screen_thresholds=False)
    return {name: np.broadcast_to(np.asarray(output(name).read(r), dtype=float), (samples,)) for name in TARGETS}


def _check_samples(sc: Scenario, values: dict[Path, Num]) -> None:
    """Refuse distributions that draw impossible values (a capacity factor above 1, negative sizes)."""
    for u in sc.uncertain:
        arr = values[u.path]
        lo, hi = float(arr.min()), float(arr.max())
        # the possible ranges of limits.toml: a capacity factor up to 1, whole units from 1; hours up to the year's
        limit_hi = data.limit("capacity_factor").possible[1] if u.path[0] == "capacity_factor" else (
            sc.year_hours if u.path[0] == "hours" else math.inf)
        limit_lo = data.limit("count").possible[0] if u.path[-1] == "count" else 0.0
        if lo < limit_lo or hi > limit_hi:
            raise InputError(f"the distribution of '{u.name}' draws values outside {limit_lo:g}..{limit_hi:g} "
                             f"(from {lo:g} to {hi:g}); narrow it or use a bounded one", where="--samples")


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


def sensitivity(sc: Scenario, output_id: str) -> tuple[float, list[Swing]]:
    """Return the central output and one swing per uncertain input, largest first."""
    out = output(output_id, allowed=tuple(OUTPUTS))
    central = out.read(estimate(sc))
    swings = []
    for u in sc.uncertain:
        lo, hi = u.dist.bounds()
        lo_out = out.read(estimate(sc.with_values({u.path: lo})))
        hi_out = out.read(estimate(sc.with_values({u.path: hi})))
        swings.append(Swing(u.name, lo, hi, u.unit, lo_out, hi_out, u.source))
    swings.sort(key=lambda s: s.size, reverse=True)
    return central, swings
