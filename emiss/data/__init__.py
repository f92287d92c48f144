"""The shipped tables: constants, emission-factor library, thresholds, catalog and limits, each value with its source.

Read once per process from the TOML files beside this module; nothing here imports pint, click or rich.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent
POLLUTANTS = ("nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2", "ch4", "n2o", "co2e", "nh3")
CONTROLS = ("uncontrolled", "water-steam", "lean-premix")  # turbines: the rows of AP-42 Table 3.1-1 (by combustor)
COMBUSTORS = ("diffusion", "water-steam", "dry-low-nox")  # turbines: the combustor sets the level before add-on controls
COMBUSTOR_ROWS = dict(zip(COMBUSTORS, CONTROLS))  # the AP-42 Table 3.1-1 row of each combustor
LEGACY_CONTROLS = dict(zip(CONTROLS, COMBUSTORS))  # emiss <= 0.3 spelled combustors as --control values
ADDONS = ("none", "scr", "oxidation-catalyst", "scr+oxcat", "nscr")  # add-on controls (engine_controls.toml)
KINDS = ("turbine", "engine")
ENGINE_TYPES = ("2slb", "4slb", "4srb")
METHANE_BASES = ("reporting", "physical")


@dataclass(frozen=True)
class Constant:
    """A built-in value with its unit and citation."""

    key: str
    value: Any
    unit: str
    source: str
    status: str


@dataclass(frozen=True)
class LibraryFactor:
    """One emission factor from the built-in library."""

    pollutant: str
    kinds: tuple[str, ...]
    control: str
    value: float
    unit: str
    source: str
    status: str
    note: str = ""
    engine_type: str = ""  # "" for any; 2slb, 4slb, 4srb for AP-42 s.3.2
    load: str = "any"  # "full" (90-105 %), "part" (< 90 %) or "any"
    basis: str = ""  # for methane: "reporting" (40 CFR 98) or "physical" (AP-42); "" for any
    rating: str = ""  # AP-42 data-quality rating, where transcribed
    filterable: float | None = None  # PM: the filterable part of the total, same unit


@dataclass(frozen=True)
class Threshold:
    """A major-source threshold used for regulatory screening."""

    id: str
    program: str
    pollutants: tuple[str, ...]
    value: float
    unit: str
    source: str
    status: str
    set: str = ""


@dataclass(frozen=True)
class Area:
    """An area's attainment status and its major-source threshold for NOx and VOC."""

    id: str
    name: str
    nox_voc: float  # in ``unit``
    unit: str
    source: str
    status: str

@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Return a parsed data file of emiss/data (read once per process)."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=None)
def constant(key: str) -> Constant:
    """Return the built-in constant ``key`` from constants.toml."""
    raw = load("constants.toml")[key]
    return Constant(key, raw["value"], raw.get("unit", ""), raw["source"], raw["status"])


def gwp_sets() -> dict[str, dict[str, Any]]:
    """Return the global-warming-potential sets by name (AR4, AR5, AR6)."""
    return dict(load("constants.toml")["gwp"])


def pollutant_names() -> dict[str, str]:
    """Return the long name of each pollutant id."""
    return {k: v["name"] for k, v in load("factors.toml")["pollutants"].items()}


def concentration_mw_key(pollutant: str) -> str | None:
    """Return the constants key of the molecular weight Method 19 uses for ``pollutant``, if any."""
    return load("factors.toml")["concentration_mw"].get(pollutant)


def factor_library_version() -> str:
    """Return the version string of the factor library."""
    return str(load("factors.toml")["meta"]["version"])


@lru_cache(maxsize=None)
def library_factors() -> tuple[LibraryFactor, ...]:
    """Return every factor of the library, the HAP totals (turbines and each engine type) included."""
    raw = load("factors.toml")
    out = [
        LibraryFactor(f["pollutant"], tuple(f["kinds"]), f["control"], float(f["value"]), f["unit"], f["source"], f["status"],
                      f.get("note", ""), f.get("engine_type", ""), f.get("load", "any"), f.get("basis", ""), f.get("rating", ""),
                      f.get("filterable"))
        for f in raw["factor"]
    ]
    total = raw["hap_total"]
    components = raw["hap_component"]
    out.append(LibraryFactor(
        "hap", tuple(total["kinds"]), "any", sum(float(c["value"]) for c in components), total["unit"], total["source"],
        total["status"], "sum of " + ", ".join(f"{c['name']} {c['value']:.2g}" for c in components)))
    engine_total = raw["engine_hap_total"]
    for et in ENGINE_TYPES:
        parts = [c for c in raw["engine_hap_component"] if c["engine_type"] == et]
        status = "secondary" if all(c["status"] == "secondary" for c in parts) else "recalled"
        out.append(LibraryFactor(
            "hap", tuple(engine_total["kinds"]), "uncontrolled", sum(float(c["value"]) for c in parts), engine_total["unit"],
            engine_total["source"] + f" ({et})", status, "sum of " + ", ".join(f"{c['name']} {c['value']:.2g}" for c in parts),
            engine_type=et))
    return tuple(out)


@lru_cache(maxsize=None)
def library_factor(pollutant: str, kind: str, control: str, engine_type: str = "", load: str = "full",
                   basis: str = "reporting") -> LibraryFactor | None:
    """Return the library factor for ``pollutant`` from a unit of ``kind`` (turbine control level, or engine type and
    load band, uncontrolled), on methane basis ``basis``; None if the library has none."""
    for f in library_factors():
        if f.pollutant != pollutant or kind not in f.kinds or f.basis not in ("", basis):
            continue
        if kind == "engine":
            if f.engine_type not in ("", engine_type) or f.load not in ("any", load) or f.control not in ("any", "uncontrolled"):
                continue
        elif f.control not in ("any", control) or f.engine_type:
            continue
        return f
    return None


@dataclass(frozen=True)
class EngineControl:
    """An add-on control (turbines and engines): per unit type (turbine, 2slb, 4slb, 4srb) and pollutant, a cited
    reduction ('reduction', a fraction) or outlet level ('outlet', a factor text), each with its source and status."""

    id: str
    name: str
    applies_to: tuple[str, ...]
    effects: dict[str, dict[str, dict[str, Any]]]
    needs: tuple[str, ...]
    note: str
    aliases: tuple[str, ...]

    def effect(self, unit_type: str, pollutant: str) -> dict[str, Any] | None:
        """Return this control's effect on ``pollutant`` for ``unit_type`` ('turbine' or an engine type), or None."""
        return self.effects.get(unit_type, {}).get(pollutant)


@lru_cache(maxsize=None)
def engine_controls() -> dict[str, EngineControl]:
    """Return the add-on controls by id (a control 'same_as' others takes their effects, then its own)."""
    raw = {c["id"]: c for c in load("engine_controls.toml")["control"]}
    out = {}
    for cid, c in raw.items():
        effects: dict[str, dict[str, dict[str, Any]]] = {}
        for part in [raw[b] for b in c.get("same_as", ())] + [c]:
            for unit_type, pols in part.get("effect", {}).items():
                effects.setdefault(unit_type, {}).update(pols)
        out[cid] = EngineControl(cid, c["name"], tuple(c["applies_to"]), effects, tuple(c.get("needs", ())), c.get("note", ""),
                                 tuple(c.get("aliases", ())))
    return out


def engine_control(name: str) -> EngineControl | None:
    """Return the engine control called ``name`` (id or alias), or None."""
    key = name.strip().lower()
    for c in engine_controls().values():
        if key == c.id or key in c.aliases:
            return c
    return None


@lru_cache(maxsize=None)
def thresholds() -> tuple[Threshold, ...]:
    """Return the regulatory screening thresholds."""
    return tuple(
        Threshold(t["id"], t["program"], tuple(t["pollutants"]), float(t["value"]), t["unit"], t["source"], t["status"], t.get("set", ""))
        for t in load("thresholds.toml")["threshold"]
    )


@lru_cache(maxsize=None)
def areas() -> dict[str, Area]:
    """Return the area classifications by id."""
    return {a["id"]: Area(a["id"], a["name"], float(a["nox_voc"]), a["unit"], a["source"], a["status"]) for a in load("thresholds.toml")["area"]}


@lru_cache(maxsize=None)
def thresholds_for(area: str = "attainment") -> tuple[Threshold, ...]:
    """Return the thresholds that apply in ``area``: Title V for NOx and VOC at the area's level, the rest as shipped."""
    a = areas()[area]
    out = []
    for t in thresholds():
        if t.id == "title_v" and (a.nox_voc, a.unit) != (t.value, t.unit):
            keep = tuple(p for p in t.pollutants if p not in ("nox", "voc"))
            out.append(Threshold(t.id, t.program, keep, t.value, t.unit, t.source, t.status, t.set))
            out.append(Threshold("title_v_ozone", f"Title V major source in an {a.name} area (NOx, VOC)", ("nox", "voc"), a.nox_voc,
                                 a.unit, a.source, a.status, t.set))
        else:
            out.append(t)
    return tuple(out)


@dataclass(frozen=True)
class Limit:
    """What an input may be (``possible``: outside is an error) and usually is (``plausible``: outside, a warning)."""

    key: str
    unit: str
    possible: tuple[float, float]
    plausible: tuple[float, float]
    source: str


@lru_cache(maxsize=None)
def limit(key: str) -> Limit:
    """Return the limits of input ``key`` from limits.toml."""
    raw = load("limits.toml")[key]
    lo, hi = raw["possible"]
    plausible = raw.get("plausible") or [lo, raw.get("plausible_max", hi)]
    return Limit(key, raw["unit"], (float(lo), float(hi)), (float(plausible[0]), float(plausible[1])), raw["source"])


@dataclass(frozen=True)
class Curve:
    """A unit's output and heat rate against ambient temperature, and its heat rate against load (percent points)."""

    id: str
    name: str
    temperature_c: tuple[float, ...]
    output: tuple[float, ...]
    heat_rate: tuple[float, ...]
    load: tuple[float, ...]
    part_load: tuple[float, ...]
    source: str
    status: str


@lru_cache(maxsize=None)
def curves() -> dict[str, Curve]:
    """Return the performance curves by id (performance.toml)."""
    out = {}
    for cid, c in load("performance.toml")["curve"].items():
        out[cid] = Curve(cid, c["name"], tuple(c.get("temperature_c", ())), tuple(c.get("output", ())), tuple(c.get("heat_rate", ())),
                         tuple(c.get("load", ())), tuple(c.get("part_load", ())), c["source"], c["status"])
    return out


def interpolate(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float | None:
    """Return ys at x by linear interpolation, or None when x lies outside xs."""
    if not xs or x < xs[0] or x > xs[-1]:
        return None
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return ys[-1]
