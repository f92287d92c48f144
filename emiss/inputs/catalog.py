"""The catalog of generating units and GPUs (emiss/data/catalog.toml), looked up by id or alias."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from emiss.data import load
from emiss.errors import InputError
from emiss.core.model import Given, GroupSpec


@lru_cache(maxsize=None)
def units() -> dict[str, dict[str, Any]]:
    """Return the generating units by id."""
    return {u["id"]: u for u in load("catalog.toml")["unit"]}


@lru_cache(maxsize=None)
def gpus() -> dict[str, dict[str, Any]]:
    """Return the GPUs (with their reference servers) by id."""
    return {g["id"]: g for g in load("catalog.toml")["gpu"]}


def cluster_defaults() -> dict[str, dict[str, Any]]:
    """Return the cluster defaults (network/storage allowance, PUE) with their sources."""
    return dict(load("catalog.toml")["cluster"])


def _find(table: dict[str, dict[str, Any]], key: str, what: str, where: str) -> dict[str, Any]:
    k = str(key).strip().lower()
    if k in table:
        return table[k]
    for entry in table.values():
        if k in entry.get("aliases", ()):
            return entry
    names = sorted(table) + sorted(a for e in table.values() for a in e.get("aliases", ()))
    import difflib  # only for a 'did you mean' after a miss: not on every start

    close = difflib.get_close_matches(k, names, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    raise InputError(f"unknown {what} '{key}'{hint}; known: {', '.join(sorted(table))}", where=where, usage=True)


def unit(key: str, *, where: str = "--turbine-model") -> dict[str, Any]:
    """Return the catalog unit ``key`` (id or alias)."""
    return _find(units(), key, "turbine model", where)


def gpu(key: str, *, where: str = "--gpu") -> dict[str, Any]:
    """Return the catalog GPU ``key``."""
    return _find(gpus(), key, "GPU", where)


def catalog_group(model: str, *, where: str, name: str | None = None) -> GroupSpec:
    """Return a fleet group pre-filled from catalog unit ``model`` (layer 'catalog')."""
    entry = unit(model, where=where)
    src, status = entry["source"], entry["status"]

    def cat(value: Any, source: str = src) -> Given:
        return Given(value, source, "catalog", status, "", f"catalog {entry['id']}")

    g = GroupSpec(name=name or entry["name"], where=f"catalog {entry['id']}")
    g.fields.update(kind=cat(entry["kind"]), model=cat(entry["name"]), capacity=cat(entry["capacity"]),
                    heat_rate=cat(entry["heat_rate"]), heat_rate_basis=cat("lhv"))
    g.fields["catalog_capacity"] = g.fields["capacity"]  # kept when a capacity given replaces it, to compare the two
    if "combustor" in entry:  # the combustor sets the unit's levels before add-on controls
        g.fields["combustor"] = g.fields["catalog_combustor"] = cat(entry["combustor"])
    if "premix" in entry:  # where a dry-low-NOx combustor's levels hold: load and ambient ranges
        g.fields["premix"] = cat(entry["premix"], entry["premix"].get("source", src))
    if "nox_ppm_controlled" in entry:  # the unit's NOx after SCR
        g.fields["controlled_nox"] = cat(f"{entry['nox_ppm_controlled']} ppmvd@15%O2", entry.get("controlled_source", src))
    if "engine_type" in entry:
        g.fields["engine_type"] = cat(entry["engine_type"])
    if "performance" in entry:
        g.fields["performance"] = cat(entry["performance"])
    if "nox_ppm" in entry:
        g.factors["nox"] = cat(f"{entry['nox_ppm']} ppmvd@15%O2", src + " (maker's standard NOx level)")
    if "co_ppm" in entry:
        g.factors["co"] = cat(f"{entry['co_ppm']} ppmvd@15%O2", src + " (CO level)")
    for pol in ("nox", "co"):  # a level in another form than ppm (g/kWh, mg/Nm3 at x % O2)
        if pol in entry:
            g.factors[pol] = cat(entry[pol], src + f" ({pol.upper()} level)")
    return g
