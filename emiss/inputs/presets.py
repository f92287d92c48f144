"""Find, read and check TOML presets. A preset is data only: it is parsed, never executed."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from emiss.inputs.catalog import catalog_group
from emiss.data import POLLUTANTS
from emiss.core import units
from emiss.core.dist import from_table
from emiss.errors import InputError, PresetError, printable
from emiss.inputs.fields import FIELDS
from emiss.core.model import Given, GroupSpec, Spec

if TYPE_CHECKING:
    from pathlib import Path

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

TOP_KEYS = ("preset", "fleet", "operation", "factors", "households", "constants", "claims", "variants", "limits")
LIMIT_KEYS = ("pollutant", "value", "per", "source", "status", "note")
PRESET_KEYS = ("name", "title", "description", "location", "egrid_subregion", "notes", "date", "aliases", "area",
               "fips", "state", "county", "psd_category")
_STRUCTURE = ("name", "catalog", "kind", "model", "factors", "source", "note", "startup_shutdown", "performance", "unit_ids",
              "stack")
CLAIM_KEYS = ("output", "value", "relation", "tolerance", "who", "when", "source", "quote", "status", "given", "note",
              "kind", "scope", "implies", "basis")
VARIANT_KEYS = ("label", "set", "source", "note")
STARTUP_KEYS = ("events", "events_per", "hours", "hours_per_event", "per_event", "rate", "source", "status", "note")
# a group's stack, for dispersion modelling: key -> (unit emiss keeps it in, what it is)
STACK_QUANTITIES = {"height": ("m", "a height such as '25 m' or '82 ft'"), "diameter": ("m", "a diameter such as '2.9 m'"),
                    "exit_temperature": ("degC", "a temperature such as '480 C', '900 F' or '750 K'"),
                    "exit_velocity": ("m/s", "a velocity such as '30 m/s' or '98 ft/s'")}
STACK_KEYS = tuple(STACK_QUANTITIES) + ("source", "status", "note")


def _table_keys(table: str) -> dict[str, str]:
    """Return preset key -> field name for one preset table, read from the field table."""
    return {f.preset.split(".", 1)[1]: f.name for f in FIELDS.values() if f.preset.startswith(table + ".")}


GROUP_KEYS = tuple(dict.fromkeys(_STRUCTURE + tuple(k for k in _table_keys("fleet") if k != "catalog")))
SETTING_TABLES = {t: _table_keys(t) for t in ("operation", "households", "constants")}
VALUE_KEYS = ("value", "low", "high", "mode", "dist", "sd", "gsd", "source", "status", "note")
STATUSES = ("verified", "secondary", "recalled", "derived", "convention", "calibrated", "assumed", "reported", "user")


def preset_dirs() -> list[Path]:
    """Return the folders searched for presets: the installed package's, then (in a source checkout) the top-level one."""
    from pathlib import Path  # pathlib (with urllib.parse, ipaddress) only where a path is handled: not at every start

    here = Path(__file__).resolve().parent.parent  # the emiss package folder
    dirs = [here / "presets"]
    if (here.parent / "pyproject.toml").is_file():  # a checkout, not site-packages: never load site-packages/presets
        dirs.append(here.parent / "presets")
    return [d for d in dirs if d.is_dir()]


def available() -> list[str]:
    """Return the names of the shipped presets."""
    names = {p.stem for d in preset_dirs() for p in d.glob("*.toml") if _NAME.match(p.stem)}
    return sorted(names)


@lru_cache(maxsize=1)  # the preset folders are fixed for the process: read them once, not per unknown name
def aliases() -> dict[str, Path]:
    """Return the other names shipped presets answer to (their [preset] aliases)."""
    out: dict[str, Path] = {}
    for d in preset_dirs():
        for path in sorted(d.glob("*.toml")):
            try:
                meta = tomllib.loads(path.read_text(encoding="utf-8-sig")).get("preset", {})
            except (OSError, ValueError):
                continue
            for a in meta.get("aliases", []) if isinstance(meta.get("aliases"), list) else []:
                out.setdefault(str(a), path)
    return out


def resolve(name_or_path: str | os.PathLike[str]) -> Path:
    """Return the file for a preset name, or for a path (which must end in .toml or contain a slash; a pathlib.Path
    is a path)."""
    if isinstance(name_or_path, os.PathLike):
        name_or_path = os.fspath(name_or_path)
    if not isinstance(name_or_path, str):  # the Python API: a number, a dict, bytes, ... (the command line gives text)
        raise PresetError(f"is {units.value_kind(name_or_path)}, not a preset; give a preset name "
                          f"({', '.join(available())}) or a path to a .toml file", where="--preset", usage=True)
    text = name_or_path.strip()
    if not text:
        raise PresetError(f"is empty; give a preset name ({', '.join(available())}) or a path to a .toml file",
                          where="--preset", usage=True)
    if "/" in text or "\\" in text or text.endswith(".toml"):
        from pathlib import Path

        path = Path(text).expanduser()
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise PresetError(f"no such preset file '{printable(text)}'", where="--preset", usage=True) from None
        except (OSError, ValueError) as exc:
            raise PresetError(f"cannot open '{printable(text)[:80]}' ({getattr(exc, 'strerror', None) or exc})",
                              where="--preset", usage=True) from None
        if not stat.S_ISREG(mode):
            raise PresetError(f"'{printable(text)[:80]}' is {_file_kind(mode)}, not a preset file; give a .toml file",
                              where="--preset", usage=True)
        return path
    if not _NAME.match(text) or len(text) > 100:
        raise PresetError(
            f"'{printable(text)[:80]}' is not a preset name (lower-case letters, digits, '-' and '_'); give a path to a .toml file instead",
            where="--preset", usage=True,
        )
    for d in preset_dirs():
        candidate = d / f"{text}.toml"
        if candidate.is_file():
            return candidate
    alias = aliases().get(text)
    if alias is not None:
        return alias
    if any((d / "sites" / f"{text}.toml").is_file() for d in preset_dirs()):
        raise PresetError(_site_message(text, f"'{text}' is "), where="--preset", usage=True)
    known = available()
    hint = _suggest(text, known)
    raise PresetError(
        f"unknown preset '{text}'{hint}; available: {', '.join(known) or 'none'}", where="--preset", usage=True
    )


def _file_kind(mode: int) -> str:
    """Name what a path that is not a regular file is."""
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def _suggest(word: str, choices: Any) -> str:
    import difflib  # only for a 'did you mean' after a miss: not on every start

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def load(name_or_path: str) -> Spec:
    """Read and check a preset, returning its layered inputs."""
    path, raw = read(name_or_path)
    return from_dict(raw, label=printable(path.name), path=str(path))


def parse(text: str, *, label: str, path: str = "") -> Spec:
    """Parse preset TOML ``text``; ``label`` names it in errors."""
    return from_dict(_toml(text.lstrip("\ufeff"), label), label=label, path=path)


def _toml(text: str, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"invalid TOML: {exc}", where=label) from None
    except RecursionError:
        raise PresetError("invalid TOML: nested too deeply", where=label) from None


class _Problems:
    """Raise at the first problem, or (when validating) collect them all and go on."""

    def __init__(self, label: str, collect: bool) -> None:
        self.label = label
        self.collect = collect
        self.found: list[str] = []

    def __call__(self, message: str, where: str = "") -> None:
        err = PresetError(message, where=f"{self.label}: {where}" if where else self.label)
        if not self.collect:
            raise err
        self.found.append(str(err))


def _keys(table: Any, allowed: tuple[str, ...], where: str, problem: _Problems) -> dict[str, Any]:
    if not isinstance(table, dict):
        problem(f"{where} must be a table")
        return {}
    out = {}
    for key, value in table.items():
        if key not in allowed:
            problem(f"unknown key '{where + '.' if where else ''}{key}'{_suggest(key, allowed)}; allowed: {', '.join(allowed)}")
        else:
            out[key] = value
    return out


def _given(raw: Any, *, where: str, problem: _Problems, default_source: str) -> Given | None:
    label = problem.label
    if isinstance(raw, dict):
        raw = _keys(raw, VALUE_KEYS, where, problem)
        try:
            dist = from_table(raw, where)
        except InputError as exc:
            problem(exc.message, where)
            return None
        if "value" not in raw and dist is None:
            problem(f"{where} has no 'value' (or low/high range)")
            return None
        status = raw.get("status", "user")
        if status not in STATUSES:
            problem(f"{where}.status '{status}' is unknown{_suggest(str(status), STATUSES)}; allowed: {', '.join(STATUSES)}")
            return None
        for k in ("source", "note"):
            if k in raw and not isinstance(raw[k], str):
                problem(f"{where}.{k} must be text")
                return None
        return Given(raw.get("value"), raw.get("source", default_source), "preset", status, raw.get("note", ""), f"{label}: {where}", dist)
    if isinstance(raw, (list, dict)) or raw is None:
        problem(f"{where} must be a value or a table with 'value' and 'source'")
        return None
    return Given(raw, default_source, "preset", "user", "", f"{label}: {where}")


def from_dict(data: dict[str, Any], *, label: str, path: str = "", problems: list[str] | None = None) -> Spec:
    """Check a parsed preset and return its layered inputs (with ``problems``, collect errors instead of raising)."""
    problem = _Problems(label, problems is not None)
    try:
        return _from_dict(data, label=label, path=path, problem=problem)
    finally:
        if problems is not None:
            problems.extend(problem.found)


def _list(value: Any, where: str, problem: _Problems) -> list[Any]:
    if not isinstance(value, list):
        problem(f"{where} must be an array of tables ([[{where}]])")
        return []
    return value


def _clean(value: Any) -> Any:
    """Make every string of a parsed preset safe to print (no terminal escapes or bidi overrides)."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {printable(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _stem(label: str) -> str:
    """Return a file name's stem as pathlib.Path(label).stem gives it."""
    from pathlib import Path

    return Path(label).stem


def _site_message(name: str, subject: str = "") -> str:
    """Return what a compute-site preset given to --preset is, and which command reads it, in one line: the shipped
    site ``name`` by that name; another such file (``name`` not shipped) as --versus takes one, by a shipped name."""
    shipped = any((d / "sites" / f"{name}.toml").is_file() for d in preset_dirs())
    reader = f"`emiss cluster --versus {name}` reads it" if shipped else "`emiss cluster --versus SITE` reads a site shipped in presets/sites/"
    return f"{subject}a compute-site preset (presets/sites/), not a fleet to estimate: {reader}"


def _from_dict(data: dict[str, Any], *, label: str, path: str, problem: _Problems) -> Spec:
    """Check a parsed preset table by table and return its layered inputs (``problem`` raises or collects)."""
    if isinstance(data, dict) and "site" in data and "fleet" not in data:
        # a [site] table and no fleet: a compute site (presets/sites/, as 'cluster --versus' reads it), which
        # 'unknown key site; allowed: ...' left a reader to work out
        raise PresetError(_site_message(_stem(label)), where=label)
    data = _keys(_clean(data), TOP_KEYS, "", problem)
    nosource = f"preset {label} (no source given)"
    spec = _meta(_keys(data.get("preset", {}), PRESET_KEYS, "preset", problem), label=label, path=path, problem=problem)
    _entries(spec, data, label=label, problem=problem)
    fleet = data.get("fleet", [])
    if not isinstance(fleet, list):
        problem("fleet must be an array of tables ([[fleet]])")
        fleet = []
    spec.fleet = [_group(g, i, label=label, nosource=nosource, problem=problem) for i, g in enumerate(fleet)]
    _distinct_names(spec.fleet, problem)
    for pol, raw in _keys(data.get("factors", {}), _pollutant_keys(), "factors", problem).items():
        given = _given(raw, where=f"factors.{pol}", problem=problem, default_source=nosource)
        if given is not None:
            spec.factors[pol] = given
    for table, keys in SETTING_TABLES.items():
        values = _keys(data.get(table, {}), tuple(keys), table, problem)
        if table == "operation" and len(values) > 1:
            problem("operation: give hours or capacity_factor, not both")
        for k, raw in values.items():
            given = _given(raw, where=f"{table}.{k}", problem=problem, default_source=nosource)
            if given is not None:
                spec.settings[keys[k]] = given
    return spec


def _meta(meta: dict[str, Any], *, label: str, path: str, problem: _Problems) -> Spec:
    """Return the Spec a preset's [preset] table describes: names, notes, the site and its area."""
    for k in ("name", "title", "description", "location", "egrid_subregion", "date"):
        if k in meta and not isinstance(meta[k], str):
            problem(f"preset.{k} must be text")
            meta.pop(k)
    notes = meta.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        problem("preset.notes must be a list of text")
        notes = []
    spec = Spec(name=meta.get("name", _stem(label)), title=meta.get("title", ""), description=meta.get("description", ""),
                location=meta.get("location", ""), notes=list(notes), path=path, egrid_subregion=meta.get("egrid_subregion", ""),
                date=meta.get("date", ""))
    spec.site = _site(meta, problem)
    for key in ("area", "psd_category"):  # psd_category: one of the PSD source categories listed at 100 tpy, where one applies
        if key in meta:
            given = _given(meta[key], where=f"preset.{key}", problem=problem, default_source=f"preset {label} (no source given)")
            if given is not None:
                spec.settings[key] = given
    return spec


def _site(meta: dict[str, Any], problem: _Problems) -> dict[str, str]:
    """Return the site (fips, state, county) of [preset]: a county FIPS code is five digits (an integer is zero-padded:
    1001 is 01001), the state a US postal code, and the code's first two digits the state's (data/states.toml)."""
    from emiss.data import state_codes

    site: dict[str, str] = {}
    if "state" in meta:
        state = meta["state"]
        codes = state_codes()
        if not isinstance(state, str) or state.strip().upper() not in codes:
            problem(f"preset.state: '{printable(str(state))[:40]}' is not a US state or territory postal code; known: {', '.join(codes)}")
        else:
            site["state"] = state.strip().upper()
    if "fips" in meta:
        fips = meta["fips"]
        if isinstance(fips, int) and not isinstance(fips, bool) and 1000 <= fips <= 99999:
            fips = f"{fips:05d}"
        if not (isinstance(fips, str) and len(fips) == 5 and fips.isascii() and fips.isdigit()):
            problem(f"preset.fips: '{printable(str(meta['fips']))[:40]}' is not a county FIPS code: five digits, the state's two "
                    "then the county's three, e.g. \"47157\" (Shelby County, TN) or 1001 for 01001")
        elif "state" in site and fips[:2] != state_codes()[site["state"]]:
            problem(f"preset.fips: '{fips}' is in state {fips[:2]}, not {site['state']} ({state_codes()[site['state']]}); "
                    "its first two digits are the state's code")
        else:
            site["fips"] = fips
    if "county" in meta:
        if not isinstance(meta["county"], str):
            problem("preset.county must be text")
        else:
            site["county"] = meta["county"]
    return site


def _entries(spec: Spec, data: dict[str, Any], *, label: str, problem: _Problems) -> None:
    """Add a preset's [[claims]], [[limits]] and [[variants]] to ``spec``, each checked for its keys."""
    for i, c in enumerate(_list(data.get("claims", []), "claims", problem)):
        c = _keys(c, CLAIM_KEYS, f"claims[{i}]", problem)
        if c:
            spec.claims.append({**c, "where": f"{label}: claims[{i}]"})
    for i, lim in enumerate(_list(data.get("limits", []), "limits", problem)):
        lim = _keys(lim, LIMIT_KEYS, f"limits[{i}]", problem)
        if lim:
            spec.limits.append({**lim, "where": f"{label}: limits[{i}]"})
    for i, v in enumerate(_list(data.get("variants", []), "variants", problem)):
        v = _keys(v, VARIANT_KEYS, f"variants[{i}]", problem)
        if v and not isinstance(v.get("set"), dict):
            problem(f"variants[{i}] needs a 'set' table of overrides, e.g. set = {{ \"factor.nox\" = \"25 ppmvd@15%O2\" }}")
        elif v:
            spec.variants.append({**v, "where": f"{label}: variants[{i}]"})


def _distinct_names(fleet: list[GroupSpec], problem: _Problems) -> None:
    """Refuse two [[fleet]] groups of one name: a setting by name (a record's group.<name>.heat_rate) reached only the
    first, and track's log and check's uncertain inputs, keyed by name, kept only one of them."""
    seen: dict[str, int] = {}
    for i, gs in enumerate(fleet):
        key = " ".join(gs.name.split()).casefold()  # as track matches a log's unit to its group: case and spacing aside
        if key in seen:
            problem(f"fleet[{i}].name: '{gs.name}' is also the name of fleet[{seen[key]}]; give each group a name of its own")
        else:
            seen[key] = i


def _group(g: Any, i: int, *, label: str, nosource: str, problem: _Problems) -> GroupSpec:
    """Return fleet group ``i`` of a preset: its catalog unit (if any), then its own fields and factors over it."""
    where = f"fleet[{i}]"
    g = _keys(g, GROUP_KEYS, where, problem)
    src = g.get("source", nosource)
    if not isinstance(src, str):
        problem(f"{where}.source must be text")
        src = nosource
    name = g.get("name", f"group {i + 1}")
    if not isinstance(name, str):
        problem(f"{where}.name must be text")
        name = f"group {i + 1}"
    gs = GroupSpec(name=name, where=f"{label}: {where}")
    if "catalog" in g:
        try:
            gs = catalog_group(str(g["catalog"]), where=f"{label}: {where}.catalog", name=name)
        except InputError as exc:
            problem(exc.message, f"{where}.catalog")
        gs.where = f"{label}: {where}"
    if "startup_shutdown" in g:
        su = _keys(g["startup_shutdown"], STARTUP_KEYS, f"{where}.startup_shutdown", problem)
        gs.fields["startup_shutdown"] = Given(su, su.get("source", src), "preset", su.get("status", "user"), su.get("note", ""),
                                              f"{label}: {where}.startup_shutdown")
    if "unit_ids" in g:
        ids, ids_src, ids_status = g["unit_ids"], src, "user"
        if isinstance(ids, dict):  # sourced like any value: { value = [...], source = "...", status = "..." }
            t = _keys(ids, ("value", "source", "status", "note"), f"{where}.unit_ids", problem)
            ids, ids_src, ids_status = t.get("value"), str(t.get("source", src)), str(t.get("status", "user"))
        if isinstance(ids, str) and ids.strip():
            ids = ids.strip()
        elif isinstance(ids, list) and ids and all(isinstance(x, str) and x.strip() for x in ids):
            ids = [x.strip() for x in ids]
            if len(set(ids)) < len(ids):
                problem("unit_ids name a unit twice; each emission unit has its own id", f"{where}.unit_ids")
        else:
            problem("unit_ids must be a list of ids, one per unit (e.g. [\"CT-1\", \"CT-2\"]), or a prefix (e.g. \"CT-\")",
                    f"{where}.unit_ids")
            ids = None
        if ids is not None:
            gs.fields["unit_ids"] = Given(ids, ids_src, "preset", ids_status, "", f"{label}: {where}.unit_ids")
    if "stack" in g:
        st = _keys(g["stack"], STACK_KEYS, f"{where}.stack", problem)
        values = {}
        for k, (unit, expect) in STACK_QUANTITIES.items():
            if k in st:
                try:
                    values[k] = (stack_quantity(k, st[k], where=f"{label}: {where}.stack.{k}"), unit, str(st[k]))
                except InputError as exc:
                    problem(exc.message, f"{where}.stack.{k}")
        if values:
            gs.fields["stack"] = Given(values, st.get("source", src), "preset", st.get("status", "user"), st.get("note", ""),
                                       f"{label}: {where}.stack")
    for k in GROUP_KEYS:
        if k in ("name", "catalog", "factors", "source", "note", "startup_shutdown", "unit_ids", "stack") or k not in g:
            continue
        given = _given(g[k], where=f"{where}.{k}", problem=problem, default_source=src)
        if given is not None:
            gs.fields[k] = given
    for pol, raw in _keys(g.get("factors", {}), _pollutant_keys(), f"{where}.factors", problem).items():
        given = _given(raw, where=f"{where}.factors.{pol}", problem=problem, default_source=src)
        if given is not None:
            gs.factors[pol] = given
    return gs


def read(name_or_path: str) -> tuple[Path, dict[str, Any]]:
    """Return a preset's file and its parsed TOML (errors name the file)."""
    path = resolve(name_or_path)
    label = printable(path.name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PresetError(f"cannot read the file ({exc.strerror})", where=label) from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is allowed
    except UnicodeDecodeError:
        raise PresetError("is not UTF-8 text", where=label) from None
    return path, _toml(text, label)


def _pollutant_keys() -> tuple[str, ...]:
    return tuple(p for p in POLLUTANTS if p != "co2e")


def stack_quantity(key: str, raw: Any, *, where: str) -> float:
    """Return a stack parameter in the unit emiss keeps it in (STACK_QUANTITIES): m, m, degC or m/s; one-line errors."""
    from emiss.inputs.fields import TEMPERATURE

    unit, expect = STACK_QUANTITIES[key]
    if key != "exit_temperature":
        v = units.convert(raw, unit, where=where, expect=expect)
        if not v > 0:
            raise InputError(f"'{raw}' is not positive; expected {expect}", where=where)
        return v
    m = TEMPERATURE.match(units.clean_text(str(raw))) if isinstance(raw, str) else None
    if not m:
        raise InputError(f"'{raw}' is not a temperature; expected {expect}", where=where)
    x, scale = float(m.group(1).replace("\u2212", "-")), m.group(2).lower()
    # offset scales, by definition: degF -> degC is (F - 32) x 5/9; K -> degC is K - 273.15
    c = (x - 32) * 5 / 9 if scale in ("f", "degf", "fahrenheit") else (x - 273.15 if scale in ("k", "kelvin") else x)
    if c <= -273.15:
        raise InputError(f"'{raw}' is at or below absolute zero; expected {expect}", where=where)
    return c
