"""The shipped tables: constants, emission-factor library, thresholds, catalog and limits, each value with its source.

Read once per process from the TOML files beside this module and checked against their schema (``SCHEMAS``) as they
are read: a missing, unknown or mistyped key is a one-line ``DataError`` naming the file, the entry and the key.
Nothing here imports pint, click or rich.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from emiss.errors import DataError

# The folder of the data files. ``DATA_DIR`` (a pathlib.Path) is made on first use (module __getattr__): pathlib, with
# urllib.parse and ipaddress, is not imported at every start for it; the files are read by their text paths.
_HERE = os.path.dirname(os.path.realpath(__file__))


def __getattr__(name: str) -> Any:
    if name == "DATA_DIR":
        from pathlib import Path

        globals()["DATA_DIR"] = folder = Path(_HERE)
        return folder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _read(name: str) -> str:
    """Return the text of data file ``name`` (from DATA_DIR where it was set, as tests do, else this folder)."""
    with open(os.path.join(globals().get("DATA_DIR", _HERE), name), encoding="utf-8") as fh:
        return fh.read()


@lru_cache(maxsize=None)
def _pollutants() -> dict[str, dict[str, Any]]:
    """Return factors.toml [pollutants] by id, in file order, reading only that table (the whole library takes ~20 ms
    to parse, and the ids are needed by --help)."""
    name = "factors.toml"
    lines = _read(name).splitlines()
    try:
        start = lines.index("[pollutants]") + 1
    except ValueError:
        raise DataError(f"{name}: no [pollutants] table") from None
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    try:
        table = tomllib.loads("\n".join(lines[start:end]))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: [pollutants]: {exc}") from None
    for pid, entry in table.items():
        _check_entry(name, "pollutants", pid, entry, SCHEMAS[name]["pollutants"])
    return table


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

# ---- schemas: what each table's entries hold ----------------------------------------------------------------
# A key's kind: "text", "number" (not a boolean), "integer", "flag", "list", "table", several joined by "|", or "any";
# a key ending in "?" is optional. A file's schema maps a table to the schema of its entries (an array of tables, or a
# table of tables); "*" maps each top-level table of the file. Files without a schema are only parsed.

_SOURCED = {"source": "text", "status": "text"}
_CONSTANT = {"value": "any", "unit?": "text", "basis?": "text", **_SOURCED, "name?": "text"}  # name: as `emiss factors` shows it
SCHEMAS: dict[str, dict[str, dict[str, str]]] = {
    "catalog.toml": {
        "unit": {"id": "text", "aliases?": "list", "name": "text", "kind": "text", "capacity": "text", "heat_rate": "text",
                 "nox_ppm?": "number", "nox_ppm_low?": "number", "nox_ppm_controlled?": "number", "co_ppm?": "number",
                 "control?": "text", "engine_type?": "text", "performance?": "text", "controlled_source?": "text",
                 "combustor?": "text", "premix?": "table", "nox?": "text", "co?": "text", **_SOURCED},
        "gpu": {"id": "text", "name": "text", "gpu_power": "text", "server_power": "text", "gpus_per_server": "integer", **_SOURCED},
    },
    "factors.toml": {
        "pollutants": {"name": "text", "short": "text", "regulated": "flag"},
        "factor": {"pollutant": "text", "kinds": "list", "control": "text", "value": "number", "unit": "text", "note?": "text",
                   "filterable?": "number", "basis?": "text", "rating?": "text", "engine_type?": "text", "load?": "text", **_SOURCED},
        "hap_component": {"name": "text", "value": "number"},
        "engine_hap_component": {"engine_type": "text", "name": "text", "value": "number", "rating": "text", "status": "text"},
    },
    "thresholds.toml": {
        "threshold": {"id": "text", "set": "text", "program": "text", "pollutants": "list", "value": "number", "unit": "text", **_SOURCED},
        "area": {"id": "text", "name": "text", "nox_voc": "number", "unit": "text", **_SOURCED},
    },
    "constants.toml": {"*": _CONSTANT, "gwp": {"ch4": "number", "n2o": "number", "unit": "text", "horizon": "integer", **_SOURCED},
                       "upstream_leak": _CONSTANT},
    "limits.toml": {"*": {"unit": "text", "possible": "list", "plausible?": "list", "plausible_max?": "number", "source": "text",
                          "status?": "text"}},
    "performance.toml": {"curve": {"name": "text", "temperature_c?": "list", "output?": "list", "heat_rate?": "list", "load?": "list",
                                   "part_load?": "list", **_SOURCED},
                         "premix": {"load": "list", "ambient_c_min": "number", **_SOURCED}},
    "engine_controls.toml": {"control": {"id": "text", "aliases?": "list", "name": "text", "applies_to": "list", "note?": "text",
                                         "reduction?": "table", "outlet?": "table", "effect?": "table", "needs?": "list",
                                         "same_as?": "text|list"}},
    "health.toml": {"bpt": {"pollutant": "text", "egu": "number", "industrial_point": "number", "unit": "text", **_SOURCED}},
    "egrid.toml": {"subregion": {"name": "text", "co2?": "number", "ch4?": "number", "n2o?": "number", "unit": "text", "source": "text",
                                 "co2e?": "number", "co2e_edition?": "text", "co2e_source?": "text", "co2e_status?": "text"}},
}
_KINDS = {"text": (str,), "number": (int, float), "integer": (int,), "flag": (bool,), "list": (list,), "table": (dict,)}
_KIND_NAMES = {"text": "text", "number": "a number", "integer": "a whole number", "flag": "true or false", "list": "a list",
               "table": "a table"}


def _check_entry(name: str, table: str, entry_id: str, entry: Any, schema: dict[str, str]) -> None:
    """Raise a DataError naming file, table, entry and key if ``entry`` lacks a key, has an unknown one or a mistyped value."""
    where = f"{name}: {table} '{entry_id}'"
    if not isinstance(entry, dict):
        raise DataError(f"{where}: must be a table of keys")
    keys = {k.rstrip("?"): (kind, not k.endswith("?")) for k, kind in schema.items()}
    for key in entry:
        if key not in keys:
            import difflib

            close = difflib.get_close_matches(key, list(keys), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise DataError(f"{where}: unknown key '{key}'{hint}; known: {', '.join(keys)}")
    for key, (kind, required) in keys.items():
        if key not in entry:
            if required:
                raise DataError(f"{where}: missing key '{key}'")
            continue
        value = entry[key]
        kinds = kind.split("|")  # "text|list": either
        if kind != "any" and not any(isinstance(value, _KINDS[k]) and not (k in ("number", "integer") and isinstance(value, bool))
                                     for k in kinds):
            raise DataError(f"{where}: '{key}' must be {' or '.join(_KIND_NAMES[k] for k in kinds)}, not {value!r}")


def check(name: str, raw: dict[str, Any]) -> None:
    """Check a parsed data file against its schema (see SCHEMAS); raise a one-line DataError at the first problem."""
    schema = SCHEMAS.get(name, {})
    for table, value in raw.items():
        entry_schema = schema.get(table, schema.get("*"))
        if entry_schema is None:
            continue
        if "*" in schema and table not in schema:  # a top-level table that is itself one entry (constants, limits)
            _check_entry(name, "table", table, value, entry_schema)
        elif isinstance(value, list):
            for i, e in enumerate(value, 1):
                label = e.get("id", e.get("pollutant", e.get("name", f"#{i}"))) if isinstance(e, dict) else f"#{i}"
                _check_entry(name, f"[[{table}]]", str(label), e, entry_schema)
        elif isinstance(value, dict):
            for key, e in value.items():
                _check_entry(name, f"[{table}]", key, e, entry_schema)
        else:
            raise DataError(f"{name}: '{table}' must be a table")


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Return a parsed data file of emiss/data (read once per process), checked against its schema."""
    try:
        raw = tomllib.loads(_read(name))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: {exc}") from None
    except OSError as exc:
        raise DataError(f"{name}: cannot read it: {exc.strerror or exc}") from None
    check(name, raw)
    if name == "factors.toml":
        for i, f in enumerate(raw["factor"], 1):
            if f["pollutant"] not in POLLUTANTS:
                raise DataError(f"{name}: [[factor]] #{i}: 'pollutant' is '{f['pollutant']}', not one of [pollutants]: {', '.join(POLLUTANTS)}")
    if name == "catalog.toml":
        for u in raw["unit"]:
            if u["kind"] not in KINDS:
                raise DataError(f"{name}: [[unit]] '{u['id']}': 'kind' is '{u['kind']}', not one of {', '.join(KINDS)}")
    return raw


POLLUTANTS = tuple(_pollutants())  # factors.toml [pollutants], in file order


@lru_cache(maxsize=None)
def constant(key: str) -> Constant:
    """Return the built-in constant ``key`` from constants.toml."""
    raw = load("constants.toml")[key]
    return Constant(key, raw["value"], raw.get("unit", ""), raw["source"], raw["status"])


def constant_name(key: str) -> str:
    """Return the name people read for built-in constant ``key`` ('Method 19: F-factor Fd' for 'method19_fd'), or the key
    where constants.toml gives none."""
    return str(load("constants.toml")[key].get("name", key))


def state_codes() -> dict[str, str]:
    """Return the two-digit numeric state code (ANSI/FIPS) of each US state and outlying area, by postal code."""
    codes = load("states.toml")["state"]
    for alpha, code in codes.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isdigit()):
            raise DataError(f"states.toml: [state] '{alpha}': must be two digits in quotes, not {code!r}")
    return dict(codes)


def gwp_sets() -> dict[str, dict[str, Any]]:
    """Return the global-warming-potential sets by name (AR4, AR5, AR6)."""
    return dict(load("constants.toml")["gwp"])


def pollutant_names() -> dict[str, str]:
    """Return the long name of each pollutant id."""
    return {k: v["name"] for k, v in load("factors.toml")["pollutants"].items()}


def short_names() -> dict[str, str]:
    """Return the name readers know each pollutant id by ('nox' -> 'NOx', 'pm' -> 'PM (PM2.5, total)')."""
    return {k: v["short"] for k, v in _pollutants().items()}


def pollutant_name(pollutant: str, *, in_text: bool = False) -> str:
    """Return a pollutant's name for a table row or a sentence: its short name without the bracket ('nox' -> 'NOx',
    'pm' -> 'PM', 'hcho' -> 'Formaldehyde'); the id for one factors.toml does not name. ``in_text``: as running text
    gives it mid-sentence ('formaldehyde'; see ``name_in_text``)."""
    name = short_names().get(pollutant, pollutant).split(" (")[0]
    return name_in_text(name) if in_text else name


def name_in_text(name: str) -> str:
    """Return a pollutant's name as running text gives it mid-sentence: a common noun in lower case ('Formaldehyde' ->
    'formaldehyde', 'Methane' -> 'methane'), an acronym or formula as it is ('NOx', 'CO2e', 'HAPs combined',
    'PM (PM2.5, total)'). A table cell or a heading keeps the capital: this is for sentences only."""
    first = name.split(" ", 1)[0]
    # a common noun is capitalised only at the start of a cell; an acronym has a capital after its first letter
    return name[0].lower() + name[1:] if first[1:].isalpha() and first[1:].islower() else name


# An input's name is built with ids ('factor nox (all units)', 'Solar SMT-130 turbines: factor nox'): the JSON's and
# the CSV's 'name', which scripts select on, keeps them. People read it with the names the tables give pollutants
# ('NOx factor (all units)'), so that a sentence does not say 'factor nox' beside 'the NOx factor'. A factor's name is an
# optional '<group>: ', then 'factor <pollutant id>', then an optional ' (<which units>)' and ', converted'.
_FACTOR_NAME = re.compile(r"(?P<head>.*: )?factor (?P<pol>[a-z0-9]+)(?P<tail>(?: \(.*\))?(?:, converted)?)", re.S)


@lru_cache(maxsize=1)
def _named_inputs() -> dict[str, str]:
    """Return the other input names that carry ids or constants' keys (as inputs/scenario.py builds them), as people
    read them."""
    return {"methane basis of ch4 and co2e": f"methane basis of the {pollutant_name('ch4')} and {pollutant_name('co2e')} figures",
            "Method 19: fd": "Method 19: F-factor Fd", "Method 19: molar_volume": "Method 19: molar volume",
            "Method 19: o2_air": "Method 19: O2 in dry air"}


def input_name(name: str) -> str:
    """Return an input's name as tables, notes and pages give it: each pollutant id as the tables name the pollutant
    ('factor nox (all units)' -> 'NOx factor (all units)', 'methane basis of ch4 and co2e' -> 'methane basis of the
    Methane and CO2e figures'); any other name as it is. The JSON keeps the name as built."""
    if (named := _named_inputs().get(name)) is not None:
        return named
    m = _FACTOR_NAME.fullmatch(name)
    if m is None or m["pol"] not in short_names():
        return name
    return f"{m['head'] or ''}{pollutant_name(m['pol'])} factor{m['tail']}"


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
class Bounds:
    """What an input may be (``possible``: outside is an error) and usually is (``plausible``: outside, a warning)."""

    key: str
    unit: str
    possible: tuple[float, float]
    plausible: tuple[float, float]
    source: str


@lru_cache(maxsize=None)
def limit(key: str) -> Bounds:
    """Return the bounds of input ``key`` from limits.toml."""
    raw = load("limits.toml")[key]
    lo, hi = raw["possible"]
    plausible = raw.get("plausible") or [lo, raw.get("plausible_max", hi)]
    return Bounds(key, raw["unit"], (float(lo), float(hi)), (float(plausible[0]), float(plausible[1])), raw["source"])


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


def part_load_curve(curve: Curve | None, kind: str) -> Curve | None:
    """Return the part-load heat-rate curve of a unit: its own maker's curve where it has one, else the generic turbine
    curve for a turbine; None for an engine (none is shipped: it runs at its full-load heat rate)."""
    if curve is not None and curve.part_load:
        return curve
    return curves()["generic-turbine"] if kind == "turbine" else None


def interpolate(xs: tuple[float, ...], ys: tuple[float, ...], x: float) -> float | None:
    """Return ys at x by linear interpolation, or None when x lies outside xs."""
    if not xs or x < xs[0] or x > xs[-1]:
        return None
    for (x0, y0), (x1, y1) in zip(zip(xs, ys), zip(xs[1:], ys[1:])):
        if x0 <= x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return ys[-1]
