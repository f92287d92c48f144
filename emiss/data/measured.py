"""The measured table (measured.toml) and its rules: the control-string parser, size bands, weighted percentiles.

The table (emiss/data/measured.toml) is written by tools/measured_factors.py from EPA's eGRID unit file; this
module holds the rules that script applies, so the `measured` and `track` commands classify CAMPD control
strings the same way. Nothing here imports pint, click or rich.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

CLASSES = ("none", "water-steam", "dry-low-nox", "dry-low-nox+scr", "water-steam+scr", "scr")
POLLUTANTS = ("nox", "co2", "so2")
# Size bands by average heat input while operating (MMBtu/h, HHV): lower edge inclusive, upper exclusive. The edges are
# a choice, not a rule: 250 MMBtu/h is the size the PSD listed category uses (40 CFR 52.21(b)(1)(i)(a)), and above
# 1,000 MMBtu/h (about 90 MW) are the large frame units.
SIZE_BANDS = (("0-250", 0.0, 250.0), ("250-1000", 250.0, 1000.0), ("1000+", 1000.0, float("inf")))

_TOKENS = {
    "water injection": "water",
    "steam injection": "steam",
    "dry low nox burners": "dln",
    "selective catalytic reduction": "scr",
    "ammonia injection": "nh3",  # the SCR reagent; on its own it names no class
}
_NONE = {"", "na", "none"}
_DATED = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class ControlParse:
    """What a CAMD NOx control string says: the class (None when it names no class), and why not."""

    text: str
    cls: str | None
    changed: bool = False  # a control began or was retired within the period ("(Began ...)", "(Retired ...)")
    other: tuple[str, ...] = ()  # controls outside the six classes (Other, Overfire Air, ...)


def parse_controls(text: object) -> ControlParse:
    """Return the NOx control class of a CAMD control string (parts joined by ',' or '|'; empty or NA = none).

    A dry-low-NOx combustor decides the class even when water or steam injection is also listed; ammonia
    injection counts only as SCR's reagent; a control dated "(Began ...)" or "(Retired ...)" marks the
    string as changed within the period.
    """
    raw = "" if text is None else str(text)
    changed = bool(_DATED.search(raw))
    body = _DATED.sub("", raw)
    parts = [" ".join(p.split()).lower() for p in re.split(r"[,|]", body)]
    found: set[str] = set()
    other: list[str] = []
    for part in parts:
        if part in _NONE:
            continue
        if part in _TOKENS:
            found.add(_TOKENS[part])
        else:
            other.append(part)
    if "nh3" in found and "scr" not in found:
        other.append("ammonia injection")
    if other:
        return ControlParse(raw, None, changed, tuple(other))
    dln, ws, scr = "dln" in found, bool(found & {"water", "steam"}), "scr" in found
    if dln:
        cls = "dry-low-nox+scr" if scr else "dry-low-nox"
    elif ws:
        cls = "water-steam+scr" if scr else "water-steam"
    else:
        cls = "scr" if scr else "none"
    return ControlParse(raw, cls, changed)


def class_for(combustor: str, addons: Iterable[str] = ()) -> str:
    """Return the measured class for a turbine's combustor (diffusion, water-steam, dry-low-nox; or the AP-42 rows
    uncontrolled, water-steam, lean-premix) and its add-on controls (any containing SCR, e.g. 'scr+oxcat')."""
    scr = any("scr" in a.lower().split("+") for a in addons)
    base = {"uncontrolled": "none", "diffusion": "none", "none": "none", "water-steam": "water-steam",
            "lean-premix": "dry-low-nox", "dry-low-nox": "dry-low-nox"}.get(combustor)
    if base is None:
        raise ValueError(f"no measured class for combustor '{combustor}'")
    if not scr:
        return base
    return "scr" if base == "none" else f"{base}+scr"


def size_band(mmbtu_per_hour: float) -> str:
    """Return the size band of an average heat input while operating (MMBtu/h, HHV)."""
    for name, lo, hi in SIZE_BANDS:
        if lo <= mmbtu_per_hour < hi:
            return name
    raise ValueError(f"heat input rate {mmbtu_per_hour} MMBtu/h is not a non-negative number")


def weighted_quantile(pairs: list[tuple[float, float]], q: float) -> float:
    """Return the lower weighted quantile of (value, weight) pairs sorted by value: the first value at which the
    cumulative weight reaches q of the total."""
    total = sum(w for _, w in pairs)
    acc = 0.0
    for value, weight in pairs:
        acc += weight
        if acc >= q * total:
            return value
    return pairs[-1][0]


@dataclass(frozen=True)
class MeasuredClass:
    """One row of the measured table: a class, pollutant and size band with its unit count and percentiles."""

    cls: str
    pollutant: str
    size_band: str
    count: int
    heat_input: float
    p10: float
    p50: float
    p90: float
    unit: str
    source: str


@lru_cache(maxsize=None)
def table() -> tuple[dict[str, object], tuple[MeasuredClass, ...]]:
    """Return the shipped measured table: its meta block and its rows."""
    from emiss.data import load

    raw = load("measured.toml")
    meta = dict(raw["meta"])
    rows = tuple(MeasuredClass(r["class"], r["pollutant"], r["size_band"], int(r["count"]), float(r["heat_input"]),
                               float(r["p10"]), float(r["p50"]), float(r["p90"]), r["unit"], meta["source"])
                 for r in raw["class"])
    return meta, rows


MIN_BAND_UNITS = 10  # a size band with fewer units than this is not used: the class's row for all sizes is (a choice)


def lookup(cls: str, pollutant: str = "nox", band: str = "all") -> MeasuredClass | None:
    """Return the measured row for a class, pollutant and size band, or the class's row for all sizes when the band
    has fewer than MIN_BAND_UNITS units; None when the class has no row."""
    rows = table()[1]
    for want in (band, "all"):
        for r in rows:
            if r.cls == cls and r.pollutant == pollutant and r.size_band == want and (
                    want == "all" or r.count >= MIN_BAND_UNITS):
                return r
    return None


def all_units(pollutant: str) -> MeasuredClass | None:
    """Return the row for every monitored gas turbine together (all classes and sizes), if the table has one."""
    from emiss.data import load

    raw = load("measured.toml")
    for r in raw.get("all_units", ()):
        if r["pollutant"] == pollutant:
            return MeasuredClass("all", pollutant, "all", int(r["count"]), float(r["heat_input"]), float(r["p10"]),
                                 float(r["p50"]), float(r["p90"]), r["unit"], raw["meta"]["source"])
    return None
