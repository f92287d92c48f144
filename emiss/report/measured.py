"""Documents and views of measured data: the measured-factor classes, `emiss measured` and `emiss track`.

Builds dicts, rows and views (no rich, no click); render encodes them.
"""

from __future__ import annotations

from typing import Any

from emiss.report.document import Column, Line, Table, View

MEASURED_FIELDS = ("class", "pollutant", "size_band", "count", "p10", "p50", "p90", "unit", "source")
AP42_CONTROL = {"none": "uncontrolled", "water-steam": "water-steam", "dry-low-nox": "lean-premix",
                "scr": "uncontrolled", "water-steam+scr": "water-steam", "dry-low-nox+scr": "lean-premix"}


def measured_rows() -> list[dict[str, Any]]:
    """Return the measured classes, one row per class, pollutant and size band ("all" first)."""
    from emiss.analysis.measured_classes import table

    return [{"class": r.cls, "pollutant": r.pollutant, "size_band": r.size_band, "count": r.count, "p10": r.p10,
             "p50": r.p50, "p90": r.p90, "unit": r.unit, "source": r.source} for r in table()[1]]


def _ap42(cls: str, pollutant: str) -> str:
    from emiss.data import library_factor

    if pollutant == "co2":
        f = library_factor("co2", "turbine", "any")
    else:
        f = library_factor(pollutant, "turbine", AP42_CONTROL[cls])
    if f is None:
        return "-"
    from emiss.core.units import multiplier

    return f"{f.value * multiplier(f.unit, 'lb/MMBtu'):.4g}"


def measured_view() -> View:
    """Return the measured classes beside the library factor emiss uses for the same combustor (lb/MMBtu, HHV)."""
    from emiss.analysis.measured_classes import table

    meta, rows = table()
    t = Table("Measured rates of monitored gas turbines, lb/MMBtu (HHV), heat-input-weighted percentiles",
              tuple(Column(c, align="right" if c not in ("class", "pollutant", "size band") else "left")
                    for c in ("class", "pollutant", "size band", "units", "P10", "P50", "P90", "library factor")))
    for r in rows:
        t.rows.append((r.cls, r.pollutant, r.size_band, str(r.count), f"{r.p10:.4g}", f"{r.p50:.4g}", f"{r.p90:.4g}",
                       _ap42(r.cls, r.pollutant) if r.size_band == "all" else ""))
    ex = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in meta["excluded"].items() if k != "not_measured_gas_turbine")
    return [t, Line(f"Source: {meta['source']} (sha256 {meta['sha256'][:12]}…, status {meta['status']}); "
                    f"{meta['units']} units. Left out: {ex}."),
            Line("Library factor: AP-42 s.3.1 Table 3.1-1 for the combustor (no add-on control: AP-42 has no SCR "
                 "factor), Part 98 Table C-1 for CO2, AP-42 Table 3.1-2a for SO2."),
            Line(f"Size band: {meta['size_band']}. Quantiles: {meta['quantiles']}.")]
