"""Uncertain inputs at work: sample them all at once (Monte Carlo) or swing each in turn (sensitivity)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from emiss import data
from emiss.core.calc import estimate
from emiss.errors import InputError
from emiss.core.model import Num, Path, Result, Scenario
from emiss.core.outputs import OUTPUTS, TARGETS, output
from emiss.inputs.fields import POSSIBLE_LIMITS

MIN_SAMPLES = 2  # a spread (P5..P95) needs two draws at least
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
    out = {}
    for name, arr in arrays.items():
        p5, p50, p95 = percentiles(arr, SPREAD_PERCENTILES)
        out[name] = Spread(p5, p50, p95, float(arr.mean()))
    return out


SPREAD_PERCENTILES = (5, 50, 95)  # the P5/P50/P95 of a Spread
# The pilot sample that brackets each wanted rank (see _order_statistics): its size, the bracket's half-width in
# standard deviations of the rank's position in it, and the fewest values worth it (below, one np.partition over them
# all is as quick). Measured on 100,000 samples: 4,000 and 4 sigma take ~0.6 ms an output, np.percentile ~1.4 ms.
PILOT_SIZE = 4000
PILOT_SIGMAS = 4
NARROW_FROM = 5 * PILOT_SIZE


def percentiles(values: Any, qs: Sequence[float]) -> list[float]:
    """Return the percentiles ``qs`` (0 to 100) of the 1-D float array ``values``, bit for bit as ``np.percentile``
    computes them by default (method 'linear'; a NaN among the values makes every percentile NaN; where 0.0 and -0.0
    tie, either may come back, as from numpy's own partition).

    np.percentile partitions the whole array around eight ranks and imports numpy.ma on the way (~8 ms, through
    np.unique); here a value repeated along the array (a stride of 0: an output no sampled input reaches) is read once,
    and only the values near each wanted rank are partitioned.
    """
    import numpy as np

    if values.ndim != 1 or values.shape[0] == 0:
        raise ValueError("percentiles needs a 1-D array with at least one value")
    if values.strides == (0,):  # the same value throughout: each percentile is numpy's of that one value
        values = values[:1]
    n = values.shape[0]
    if np.isnan(values).any():
        return [math.nan] * len(qs)
    # numpy's 'linear' method (Hyndman & Fan's 7th), step by step as numpy.lib._function_base_impl._quantile takes it:
    # virtual index (n - 1) q; its floor and the next rank; at or past the last rank both are the last rank and gamma is
    # measured from the index -1 that numpy gives them there.
    plan = []
    for q in qs:
        virtual = (n - 1) * (q / 100)
        if virtual >= n - 1:
            plan.append((n - 1, n - 1, virtual - (-1)))
        else:
            below = math.floor(virtual)
            plan.append((below, below + 1, virtual - below))
    stats = _order_statistics(values, sorted({k for lo, hi, _ in plan for k in (lo, hi)}))
    out = []
    for lo, hi, gamma in plan:
        a, b = stats[lo], stats[hi]
        diff = b - a  # numpy's _lerp: from the nearer end, so that gamma 1 gives b exactly
        out.append(b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma)
    return out


def _order_statistics(values: Any, ranks: list[int]) -> dict[int, float]:
    """Return ``{k: the k-th smallest of values}`` for the sorted 0-based ``ranks`` (``values`` without NaN).

    With many values, a strided pilot sample brackets each wanted rank between two of its values lo and hi; if the
    values below lo number at most the rank and those up to hi more than it, the rank falls among the values in
    [lo, hi] (at the rank less the count below lo), which are few to partition. A bracket that misses (rarely, or
    for values whose strided sample is unlike the rest) leaves its ranks to one partition of all the values. Either
    way each result is a value of the array at its exact rank: the same as a full sort's.
    """
    import numpy as np

    n = values.shape[0]
    out: dict[int, float] = {}
    rest = list(ranks)
    if n >= NARROW_FROM:
        pilot = np.sort(values[:: n // PILOT_SIZE])
        m = pilot.shape[0]
        rest = []
        for group in _neighbours(ranks):
            share = group[0] / n
            width = PILOT_SIGMAS * math.sqrt(m * share * (1 - share)) + 2
            j = share * m
            lo_at, hi_at = math.floor(j - width), math.ceil(j + width)
            below, inside = 0, None
            if lo_at >= 0:
                inside = values >= pilot[lo_at]
                below = n - int(np.count_nonzero(inside))
            if hi_at < m:
                up_to_hi = values <= pilot[hi_at]
                inside = up_to_hi if inside is None else np.logical_and(inside, up_to_hi, out=inside)
            near = values.copy() if inside is None else np.compress(inside, values)
            if below <= group[0] and group[-1] < below + near.shape[0]:
                at = [k - below for k in group]
                near.partition(at)
                out.update((k, float(near[i])) for k, i in zip(group, at))
            else:
                rest += group
    if rest:
        whole = np.partition(values, rest)
        out.update((k, float(whole[k])) for k in rest)
    return out


def _neighbours(ranks: list[int]) -> list[list[int]]:
    """Split sorted ranks into runs of consecutive ones (a percentile's two ranks, and percentiles that share one)."""
    groups: list[list[int]] = []
    for k in ranks:
        if groups and k == groups[-1][-1] + 1:
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def sample_outputs(sc: Scenario, samples: int, seed: int | None) -> dict[str, Any]:
    """Return each annual output over ``samples`` draws of every uncertain input (numpy arrays, catalogue units)."""
    if not sc.uncertain:
        raise InputError("no input is uncertain: give a range (e.g. --capacity-factor 0.6..1.0) or a preset with ranges",
                         where="--samples", usage=True)
    if not MIN_SAMPLES <= samples <= MAX_SAMPLES:
        raise InputError(f"{samples} samples: give from {MIN_SAMPLES} to {MAX_SAMPLES:,}", where="--samples", usage=True)
    try:
        import numpy as np
    except ImportError:
        raise InputError("Monte Carlo needs numpy: pip install numpy", where="--samples") from None
    rng = np.random.default_rng(seed)
    values = {u.path: u.dist.sample(rng, samples) for u in sc.uncertain}
    _check_samples(sc, values)
    r = estimate(sc.with_values(values), screen_thresholds=False)
    return {name: np.broadcast_to(np.asarray(output(name).read(r), dtype=float), (samples,)) for name in TARGETS}


def _possible(sc: Scenario, path: Path) -> tuple[float, float]:
    """Return the least and most an uncertain input at ``path`` may be (limits.toml's possible ranges: a capacity factor
    up to 1, whole units from 1, hours up to the year's, a heat rate from 3,412.14 Btu/kWh); 0..inf otherwise."""
    if path[0] == "capacity_factor":
        return 0.0, data.limit("capacity_factor").possible[1]
    if path[0] == "hours":
        return 0.0, sc.year_hours
    if path[-1] == "count":
        return data.limit("count").possible[0], math.inf
    if path[0] != "factor" and str(path[-1]) in POSSIBLE_LIMITS:
        return data.limit(POSSIBLE_LIMITS[str(path[-1])]).possible
    return 0.0, math.inf


LARGE_BOUND = 1e5  # from here a bound is written with thousands separators (':g' turns 1,000,000 into '1e+06')


def _bound(v: float) -> str:
    """Return a bound as the messages write it: '1', '8760', 'inf', and a large one in full ('1,000,000', not '1e+06')."""
    return f"{v:,.0f}" if LARGE_BOUND <= abs(v) < math.inf else f"{v:g}"


def _check_samples(sc: Scenario, values: dict[Path, Num]) -> None:
    """Refuse distributions that draw impossible values (a capacity factor above 1, negative sizes)."""
    for u in sc.uncertain:
        arr = values[u.path]
        lo, hi = float(arr.min()), float(arr.max())
        limit_lo, limit_hi = _possible(sc, u.path)
        if lo < limit_lo or hi > limit_hi:
            raise InputError(f"the distribution of '{u.name}' draws values outside {_bound(limit_lo)}..{_bound(limit_hi)} "
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


def sensitivity(sc: Scenario, output_id: str, *, base: Result | None = None) -> tuple[float, list[Swing]]:
    """Return the central output and one swing per uncertain input, largest first. ``base`` is ``estimate(sc)`` when
    the caller has it already (the CLI reads the chart's thresholds from it)."""
    out = output(output_id, allowed=tuple(OUTPUTS))
    central = out.read(base if base is not None else estimate(sc))
    swings = []
    for u in sc.uncertain:
        lo, hi = u.dist.bounds()
        least, most = _possible(sc, u.path)
        if lo < least or hi > most:  # a normal input's P5 below zero (a heat rate of -1,757 Btu/kWh gave negative NOx)
            raise InputError(f"the distribution of '{u.name}' swings to values outside {_bound(least)}..{_bound(most)} (P5 "
                             f"{lo:,.6g}, P95 {hi:,.6g}); narrow it or use a bounded one", where="sensitivity")
        lo_out = out.read(estimate(sc.with_values({u.path: lo})))
        hi_out = out.read(estimate(sc.with_values({u.path: hi})))
        swings.append(Swing(u.name, lo, hi, u.unit, lo_out, hi_out, u.source))
    swings.sort(key=lambda s: s.size, reverse=True)
    return central, swings
