"""The worst-case hourly rate of each emission unit over a range of ambient temperatures (``pte --ambient-range``).

A gas turbine gives more output, and burns more fuel an hour, the colder the air: a permit's short-term limits are
set at the coldest ambient the site sees. emiss scans the unit's maker's curve (performance.toml), applying it the
way ``--ambient`` does (the scenario is rebuilt at each temperature; no second derating), and keeps the largest lb/h
of each pollutant. Beyond the curve's ends it refuses, as ``--ambient`` does: emiss does not extrapolate a curve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from emiss import data
from emiss.core.model import Given
from emiss.errors import InputError
from emiss.inputs import fields

OPTION = "--ambient-range"


@dataclass(frozen=True)
class Worst:
    """One unit group's largest rate of one pollutant over the range, and the ambient where it occurs."""

    lb_per_hour_all: float
    lb_per_hour_each: float
    ambient_c: float | None  # None: the unit has no curve and runs at ISO throughout


def parse_range(text: str) -> tuple[float, float]:
    """Return LOW..HIGH ('-10C..40C', '14F..104F') as two temperatures in degC, low first."""
    parts = re.split(r"\s*\.\.\s*", str(text).strip())
    if len(parts) != 2 or not all(parts):
        raise InputError(f"'{text}' is not a range; write LOW..HIGH, e.g. -10C..40C or 14F..104F", where=OPTION, usage=True)
    lo, hi = (fields.ambient(Given(p, "", "cli", "user", "", OPTION)) for p in parts)
    if lo > hi:
        raise InputError(f"'{text}' runs from high to low; write the lower temperature first", where=OPTION, usage=True)
    return lo, hi


def candidates(curve: Any, lo: float, hi: float) -> list[float]:
    """Return the temperatures where a unit's hourly rate can peak within [lo, hi].

    The rate is proportional to heat input = output x heat rate; both are linear between the curve's points, so on
    each segment the rate is a quadratic in temperature: its largest value is at a segment's end (the range's ends
    or a curve point inside it) or at the vertex of a concave segment, which is added when it falls inside.
    """
    t, o, h = list(curve.temperature_c), list(curve.output), list(curve.heat_rate)
    out = {lo, hi} | {x for x in t if lo < x < hi}
    for i in range(len(t) - 1):
        dt = t[i + 1] - t[i]
        b, d = (o[i + 1] - o[i]) / dt, (h[i + 1] - h[i]) / dt  # slopes; (o_i + b x)(h_i + d x), x = T - t_i
        if b * d < 0:  # concave: the vertex is a maximum
            x = -(o[i] * d + h[i] * b) / (2 * b * d)
            if 0 < x < dt and lo < t[i] + x < hi:
                out.add(t[i] + x)
    return sorted(out)


def check_envelope(groups: Any, lo: float, hi: float) -> None:
    """Refuse a range that reaches beyond a unit's curve, naming the curve's range (the envelope rule of --ambient)."""
    for g in groups:
        c = data.curves().get(g.curve) if g.curve else None
        if c is not None and c.temperature_c and (lo < c.temperature_c[0] or hi > c.temperature_c[-1]):
            raise InputError(f"{lo:g}..{hi:g} degC reaches outside the maker's curve of '{g.name}' ({c.temperature_c[0]:g} to "
                             f"{c.temperature_c[-1]:g} degC, {c.name}): emiss does not extrapolate it", where=OPTION, usage=True)


def worst_case(groups: Any, lo: float, hi: float, at: Callable[[float], Any]) -> dict[str, dict[str, Worst]]:
    """Return, per group name and pollutant, the largest full-load lb/h over [lo, hi] degC and where it occurs.

    ``groups`` are the scenario's groups (their ``curve``); ``at(T)`` returns the estimate with the ambient at T degC,
    built as ``--ambient`` builds it. A group without a curve runs at ISO at every temperature: its rate, with no
    ambient.
    """
    check_envelope(groups, lo, hi)
    temps = sorted({x for g in groups if g.curve and g.curve in data.curves()
                    for x in candidates(data.curves()[g.curve], lo, hi)}) or [lo]
    best: dict[str, dict[str, Worst]] = {}
    for t in temps:
        result = at(t)
        for g, gr in zip(groups, result.groups):
            mine = best.setdefault(g.name, {})
            for p, rate in gr.lb_per_hour.items():
                if p not in mine or rate > mine[p].lb_per_hour_all:
                    mine[p] = Worst(rate, rate / gr.count, t if g.curve else None)
    return best


def curve_range(name: str) -> Mapping[str, Any] | None:
    """Return a curve's name and temperature range (for the output), or None without one."""
    c = data.curves().get(name) if name else None
    if c is None or not c.temperature_c:
        return None
    return {"name": c.name, "low": c.temperature_c[0], "high": c.temperature_c[-1], "unit": "degC", "source": c.source,
            "status": c.status}
