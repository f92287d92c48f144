"""Site presets of kind "compute-site" (a grid-powered machine such as Jean Zay) and the comparison with clusters.

They live in presets/sites/ (not beside the turbine presets: they have no fleet to estimate). Each figure carries its
source and status; the site's [[claims]] (figures published about it) are judged with the claims' own rules.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from emiss import data
from emiss.analysis import claims as cl
from emiss.inputs.published import DEFAULT_TOLERANCE, quantum, read_scope
from emiss.core import units
from emiss.core.model import Claim
from emiss.errors import InputError
from emiss.inputs.presets import preset_dirs

SITE_OUTPUTS = {"gpus": "GPUs", "pflops": "PFLOP/s", "cpu_cores": "CPU cores"}
SITE_KEYS = ("name", "kind", "title", "date", "power", "notes", "gpus", "energy", "intensity", "intensity_previous")


@dataclass(frozen=True)
class Figure:
    """One sourced figure of a site, in its canonical unit."""

    value: float
    unit: str
    source: str
    status: str
    year: int | None = None
    basis: str = ""


@dataclass(frozen=True)
class Site:
    """A grid-powered compute site: GPUs, energy a year and the grid's carbon intensity, each with its source."""

    name: str
    title: str
    date: str
    gpus: Figure
    gpu_model: str
    energy_mwh: Figure  # MWh a year
    intensity: Figure  # g CO2e per kWh
    previous: Figure | None
    notes: tuple[str, ...]
    claims: tuple[tuple[Claim, str], ...]  # (claim, verdict) against the site's own figures

    @property
    def average_mw(self) -> float:
        """Return the average power draw in MW: energy a year / the hours of a year (constants.toml hours_per_year)."""
        return self.energy_mwh.value / float(data.constant("hours_per_year").value)

    def co2e_tonnes(self, intensity: Figure | None = None) -> float:
        """Return CO2e a year in tonnes: MWh x g/kWh, converted (1,000 kWh/MWh, 1e6 g/t)."""
        return self.energy_mwh.value * (intensity or self.intensity).value / units.multiplier("metric_ton", "MWh * g / kWh")


def site_names() -> list[str]:
    """Return the names of the shipped site presets."""
    return sorted({p.stem for d in preset_dirs() for p in (d / "sites").glob("*.toml")})


def load_site(name: str) -> Site:
    """Read a site preset by name (presets/sites/NAME.toml); errors name the file and the key (exit 1)."""
    key = name.strip().lower()
    path = next((d / "sites" / f"{key}.toml" for d in preset_dirs() if (d / "sites" / f"{key}.toml").is_file()), None)
    if path is None:
        raise InputError(f"'{name}' is not a site preset; known: {', '.join(site_names())}", where="--versus", usage=True)
    return read_site(path, f"sites/{path.name}")


def site_problems(path: str) -> list[str] | None:
    """Return a site preset file's problems (empty when it is fine), or None when the file is not a site preset (no
    [site] table): 'emiss presets validate' checks a site preset as 'cluster --versus' reads it."""
    from pathlib import Path

    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeError, tomllib.TOMLDecodeError):
        return None  # the turbine presets' reader says what is wrong with the file
    if "site" not in raw:
        return None
    try:
        _site(raw, Path(path).stem, Path(path).name)  # the file read once: its TOML as read_site would read it
    except InputError as exc:
        return [str(exc)]
    return []


def read_site(path: Any, where: str) -> Site:
    """Read the site preset at ``path``, naming it ``where`` in errors."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"cannot be read: {exc}", where=where) from None
    return _site(raw, path.stem, where)


def _site(raw: dict[str, Any], key: str, where: str) -> Site:
    """Return the Site a site preset's TOML describes (``key``, the file's stem, names it when it gives no name)."""
    site = raw.get("site", {})
    unknown = sorted(set(site) - set(SITE_KEYS))
    if unknown or site.get("kind") != "compute-site":
        raise InputError(f"[site] needs kind = \"compute-site\" and only the keys {', '.join(SITE_KEYS)}", where=where)
    gpus = _figure(site, "gpus", "", where)
    energy = _figure(site, "energy", "MWh/year", where)
    intensity = _figure(site, "intensity", "g/kWh", where)
    previous = _figure(site, "intensity_previous", "g/kWh", where) if "intensity_previous" in site else None
    figures = {"gpus": gpus.value}
    judged = []
    for i, c in enumerate(raw.get("claims", [])):
        claim = _claim(c, f"{where}: claims[{i}]")
        if claim.scope and claim.scope != site.get("name"):
            judged.append((claim, cl.NOT_COMPARABLE))
        elif claim.output in figures:
            judged.append((claim, cl.judge(claim, figures[claim.output]).word))
        else:
            raise InputError(f"the site has no figure for '{claim.output}' to judge it by", where=f"{where}: claims[{i}]")
    return Site(str(site.get("name", key)), str(site.get("title", key)), str(site.get("date", "")), gpus,
                str(site["gpus"].get("model", "")), energy, intensity, previous, tuple(site.get("notes", [])), tuple(judged))


def _figure(site: dict[str, Any], key: str, unit: str, where: str) -> Figure:
    raw = site.get(key)
    if not isinstance(raw, dict) or "value" not in raw or not str(raw.get("source", "")).strip():
        raise InputError(f"[site.{key}] needs a value and its source", where=where)
    text = str(raw["value"])
    value = float(raw["value"]) if not unit else units.convert(text, unit, where=f"{where}: site.{key}", expect=f"a figure in {unit}")
    if not value > 0:
        raise InputError(f"site.{key} must be above zero", where=where)
    return Figure(value, unit, str(raw["source"]), str(raw.get("status", "reported")), raw.get("year"), str(raw.get("basis", "")))


def _claim(raw: dict[str, Any], where: str) -> Claim:
    output = str(raw.get("output", "")).strip().lower()
    if output not in SITE_OUTPUTS:
        raise InputError(f"output '{output}' is not one a site has; known: {', '.join(SITE_OUTPUTS)}", where=where)
    for k in ("who", "when", "source"):
        if not str(raw.get(k, "")).strip():
            raise InputError(f"needs '{k}': every published figure says who published it, when, and where", where=where)
    value = float(raw.get("value", 0))
    if not value > 0:
        raise InputError("value must be a figure above zero", where=where)
    scope, about = read_scope(raw.get("scope"), f"{where}.scope")
    return Claim(output, value, value, "about", str(raw["value"]), str(raw["who"]), str(raw["when"]), str(raw["source"]),
                 str(raw.get("quote", "")), str(raw.get("status", "reported")), DEFAULT_TOLERANCE, (), str(raw.get("note", "")),
                 kind="point", quantum=quantum(str(raw["value"]), value), scope=scope, about=about)
