"""The bases of NOx and CO2: AP-42 or the measured classes of monitored turbines for NOx (--basis), Part 98 or the
monitored-unit (Part 75) rate for CO2 (--co2-basis).

The measured values come from emiss/data/measured.toml (EPA eGRID2021 unit file, Part 75 CEMS); see
tools/measured_factors.py. A factor given by the user or a preset wins on every basis.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any

from emiss.core.model import Factor
from emiss.core.outputs import mmbtu

NOX_BASES = ("ap42", "measured")
CO2_BASES = ("part98", "part75")


def unit_heat_input(group: Any) -> float:
    """Return one unit's heat input while running, MMBtu/h (HHV), the central value when inputs are arrays."""
    rate = mmbtu(group.capacity_kw * group.output_fraction * group.heat_rate_hhv)
    mean = getattr(rate, "mean", None)
    return float(mean()) if callable(mean) else float(rate)


def turbine_class(group: Any) -> str | None:
    """Return the measured NOx class of a turbine group (its combustor and add-on controls), None when none fits."""
    from emiss.data.measured import class_for

    if group.kind != "turbine":
        return None
    combustor = getattr(group, "combustor", "")  # the combustor and its add-on control, where the two are apart
    try:
        return class_for(combustor, [group.control]) if combustor else class_for(group.control)
    except ValueError:
        return None


def measured_nox(group: Any) -> tuple[Factor, Any] | None:
    """Return the measured-class NOx factor of a turbine group (P50, lb/MMBtu) and its table row, or None."""
    from emiss.data.measured import size_band

    cls = turbine_class(group)
    if cls is None:
        return None
    return _measured_nox(cls, size_band(max(unit_heat_input(group), 0.0)))


def by_band(group: Any) -> Factor | None:
    """Return the measured-class NOx factor for the group's own size band, element by element when its capacity or
    heat rate is an array (a batch of records): a template's factor must follow each record's size."""
    from emiss.data.measured import SIZE_BANDS, size_band

    cls = turbine_class(group)
    if cls is None:
        return None
    rate = mmbtu(group.capacity_kw * group.output_fraction * group.heat_rate_hhv)
    if not hasattr(rate, "shape") or getattr(rate, "ndim", 0) == 0:
        made = _measured_nox(cls, size_band(max(float(rate), 0.0)))
        return made[0] if made else None
    import numpy as np

    value = np.empty(rate.shape)
    for name, lo, hi in SIZE_BANDS:
        made = _measured_nox(cls, name)
        if made is None:
            return None
        value[(rate >= lo) & (rate < hi)] = made[0].value
    first = _measured_nox(cls, "all")
    assert first is not None
    return replace(first[0], value=value, source=first[0].source.replace("all sizes", "by each record's size band"))


def refit(group: Any, f: Factor) -> Factor:
    """Return the built-in measured NOx factor refitted to the group's size band (a sampled value is kept as drawn)."""
    if not is_measured(f) or not isinstance(f.value, float):
        return f
    return by_band(group) or f


@lru_cache(maxsize=64)
def _measured_nox(cls: str, band: str) -> tuple[Factor, Any] | None:
    from emiss.data.measured import lookup

    row = lookup(cls, "nox", band)
    if row is None:
        return None
    where = "all sizes" if row.size_band == "all" else f"size band {row.size_band} MMBtu/h"
    f = Factor("nox", "input", row.p50, f"{row.p50:g} lb/MMBtu (measured P50)",
               f"{row.source}: heat-input-weighted P50 of {row.count} monitored gas turbines, class {cls}, {where}",
               "measured", "built-in", f"P10 {row.p10:g}, P90 {row.p90:g} lb/MMBtu (the range --samples draws from)")
    return f, row


def part75_co2() -> tuple[Factor, Any] | None:
    """Return the monitored-unit CO2 factor (P50 of every monitored gas turbine, lb/MMBtu) and its row, or None."""
    from emiss.data.measured import all_units

    row = all_units("co2")
    if row is None:
        return None
    f = Factor("co2", "input", row.p50, f"{row.p50:g} lb/MMBtu (Part 75, monitored)",
               f"{row.source}: heat-input-weighted P50 of the CO2 rate of {row.count} monitored gas turbines (40 CFR 75)",
               "measured", "built-in", f"P10 {row.p10:g}, P90 {row.p90:g} lb/MMBtu")
    return f, row


def is_measured(f: Factor | None) -> bool:
    """Return whether ``f`` is the built-in measured-class NOx factor (not one given by anybody)."""
    return f is not None and f.status == "measured" and f.layer == "built-in" and f.pollutant == "nox"


def from_library(group: Any, given: Factor | None) -> bool:
    """Return whether a group's factor ``given`` (None: none given) is the library's, which a basis may replace: none
    given, or the one its combustor set (a library level, whatever its layer)."""
    return given is None or (given.pollutant in getattr(group, "combustor_set", ()) and group.factors.get(given.pollutant) is given)
