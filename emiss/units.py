"""The one pint registry, quantity parsing with dimension checks, and EPA Method 19."""

from __future__ import annotations

import math
import os
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import InputError

# Units pint lacks, defined from the units it has (no bare numbers: each is a definition).
_DEFINITIONS = (
    "MMBtu = 1e6 * british_thermal_unit",
    "kBtu = 1e3 * british_thermal_unit",
    "scf = foot ** 3",  # standard cubic foot: a volume at standard conditions
    "dscf = foot ** 3",  # dry standard cubic foot
    "Mscf = 1e3 * scf = Mcf",
    "MMscf = 1e6 * scf = MMcf",
    "lbmol = pound / gram * mole",  # pound-mole
)

# Spellings that mean different things to different readers: refused rather than guessed.
_AMBIGUOUS = {
    "MBtu": "'MBtu' means a thousand Btu to the gas industry but a million to SI prefixes; write 'kBtu' or 'MMBtu'",
    "mmBtu": "write 'MMBtu' for a million Btu",
    "ppm": "give a stack concentration with its oxygen basis, e.g. '2 ppmvd@15%O2'",
}

_registry: Any = None


def _cache_folder() -> str | None:
    """Return a writable folder for pint's parsed-definitions cache, or None to build without one."""
    if os.environ.get("EMISS_NO_CACHE"):
        return None
    base = os.environ.get("EMISS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "emiss"
    )
    folder = os.path.join(base, "pint")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _new_registry(pint: Any) -> Any:
    """Build a registry, from pint's cache when one is usable (about 10x faster), else from scratch."""
    folder = _cache_folder()
    if folder is not None:
        try:
            return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=folder)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ValueError, TypeError, ImportError):
            pass  # an unreadable or foreign cache: fall back to building from the definitions
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


def ureg() -> Any:
    """Return the process-wide unit registry, building it on first use."""
    global _registry
    if _registry is None:
        import pint

        reg = _new_registry(pint)
        for line in _DEFINITIONS:
            reg.define(line)
        pint.set_application_registry(reg)
        _registry = reg
    return _registry


def pint_errors() -> tuple[type[BaseException], ...]:
    """Return the exception types that parsing a quantity may raise."""
    import tokenize

    import pint

    # pint's parser can fail in many ways on arbitrary text (found by fuzzing: ')' raises TokenError)
    return (pint.PintError, ValueError, TypeError, AttributeError, KeyError, AssertionError, SyntaxError,
            tokenize.TokenError, ZeroDivisionError, OverflowError, IndexError, RecursionError)


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_CONC = re.compile(
    rf"^\s*(?P<value>{_NUMBER})\s*ppm(?:v?d?|dv)\s*(?:@|at)\s*(?P<o2>{_NUMBER})\s*%\s*O2\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Concentration:
    """A stack concentration in ppm by volume, dry, corrected to ``o2_percent`` oxygen."""

    ppm: float
    o2_percent: float

    def __str__(self) -> str:
        return f"{self.ppm:g} ppmvd@{self.o2_percent:g}%O2"


def parse_concentration(text: str) -> Concentration | None:
    """Return the concentration written in ``text`` (e.g. '2 ppmvd@15%O2'), or None if it is not one."""
    m = _CONC.match(text)
    if not m:
        return None
    return Concentration(float(m.group("value")), float(m.group("o2")))


_QTY = re.compile(rf"^\s*(?P<number>{_NUMBER}|nan|[-+]?inf(?:inity)?)\s*(?P<unit>.*?)\s*$", re.IGNORECASE)
_AMBIGUOUS_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, _AMBIGUOUS)) + r")(?![A-Za-z])")
_DIMENSIONS = {
    "a power": {"[mass]": 1, "[length]": 2, "[time]": -3},
    "an energy": {"[mass]": 1, "[length]": 2, "[time]": -2},
    "a time": {"[time]": 1},
    "a mass": {"[mass]": 1},
    "a plain number": {},
}


@dataclass(frozen=True)
class Parsed:
    """A number and its unit text, with what the unit is (dimensions, denominators, whether it is %)."""

    number: float
    unit: str
    dims: dict[str, float]
    denominators: tuple[str, ...]
    percent: bool


# Facts about unit strings, kept across runs so that a repeat run needs no unit registry at all.
# Each fact is derived from pint the first time a unit string is seen (never typed in by hand).
_cache: dict[str, dict[str, Any]] = {"info": {}, "mult": {}}
_cache_state = {"loaded": False, "dirty": False}


def _cache_file() -> str | None:
    folder = _cache_folder()
    if folder is None:
        return None
    import hashlib

    from . import __version__

    tag = hashlib.sha1("\n".join(_DEFINITIONS).encode()).hexdigest()[:10]
    return os.path.join(os.path.dirname(folder), f"units-{__version__}-{tag}.json")


def _load_cache() -> None:
    if _cache_state["loaded"]:
        return
    _cache_state["loaded"] = True
    path = _cache_file()
    if path is None or not os.path.exists(path):
        return
    import json

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data.get("info"), dict) and isinstance(data.get("mult"), dict):
            _cache["info"].update(data["info"])
            _cache["mult"].update(data["mult"])
    except (OSError, ValueError, AttributeError):
        pass  # a damaged cache is ignored and rewritten


def save_cache() -> None:
    """Write the unit facts learnt in this run, if any, for the next run (best effort)."""
    if not _cache_state["dirty"]:
        return
    path = _cache_file()
    if path is None:
        return
    import json
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_cache, fh)
        os.replace(tmp, path)
        _cache_state["dirty"] = False
    except OSError:
        pass


def _remember(kind: str, key: str, value: Any) -> None:
    _cache[kind][key] = value
    if not _cache_state["dirty"]:
        _cache_state["dirty"] = True
        import atexit

        atexit.register(save_cache)


def unit_info(unit: str, *, where: str = "") -> tuple[dict[str, float], tuple[str, ...], bool]:
    """Return the dimensions, the denominator unit names and whether ``unit`` is percent."""
    _load_cache()
    hit = _cache["info"].get(unit)
    if hit is not None:
        return hit[0], tuple(hit[1]), hit[2]
    try:
        units = ureg().parse_units(unit) if unit else ureg().dimensionless
        dims = {k: float(v) for k, v in ureg().get_dimensionality(units).items()}
        items = dict(units._units) if hasattr(units, "_units") else {}
    except pint_errors() as exc:
        raise InputError(f"unknown unit '{unit}' ({_short(exc)})", where=where, usage=True) from None
    info = (dims, tuple(n for n, e in items.items() if e < 0), str(units) == "percent")
    _remember("info", unit, [info[0], list(info[1]), info[2]])
    return info


def multiplier(unit: str, to: str) -> float:
    """Return the factor that turns a magnitude in ``unit`` into one in ``to`` (raises DimensionError)."""
    key = f"{unit}|{to}"
    _load_cache()
    hit = _cache["mult"].get(key)
    if hit is not None:
        return hit
    try:
        value = float(ureg().Quantity(1.0, unit or "").to(to).magnitude)
    except pint_errors() as exc:
        raise DimensionError(str(exc)) from None
    _remember("mult", key, value)
    return value


class DimensionError(ValueError):
    """Two units cannot be converted into each other."""



def parse(text: str | float | int, *, where: str) -> Parsed:
    """Split ``text`` into a finite number and a known unit; one-line errors name ``where``."""
    if isinstance(text, str):
        try:
            return _parse_text(text)
        except InputError as exc:
            raise InputError(exc.message, where=where, usage=True) from None
    return _parse_other(text, where=where)


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> Parsed:
    return _parse_other(text, where="")


def _parse_other(text: Any, *, where: str) -> Parsed:
    if isinstance(text, bool):
        raise InputError(f"expected a quantity, got {text!r}", where=where, usage=True)
    if isinstance(text, (int, float)):
        _check_finite(float(text), str(text), where)
        return Parsed(float(text), "", {}, (), False)
    if not isinstance(text, str) or not text.strip():
        raise InputError("is empty; give a number with a unit, e.g. '16 MW'", where=where, usage=True)
    bad = _AMBIGUOUS_RE.search(text)
    if bad:
        raise InputError(f"'{text}': {_AMBIGUOUS[bad.group(1)]}", where=where, usage=True)
    m = _QTY.match(text)
    if m:
        number, unit = float(m.group("number")), m.group("unit")
    else:
        try:
            q = ureg().Quantity(text.strip())
        except pint_errors() as exc:
            raise InputError(f"cannot read '{text}' as a quantity ({_short(exc)})", where=where, usage=True) from None
        if not hasattr(q, "magnitude"):
            q = ureg().Quantity(float(q), "")
        number, unit = float(q.magnitude), str(q.units)
    _check_finite(number, text, where)
    try:
        dims, den, pct = unit_info(unit, where=where)
    except InputError as exc:
        raise InputError(f"cannot read '{text}' as a quantity: {exc.message}", where=where, usage=True) from None
    return Parsed(number, unit, dims, den, pct)


def _check_finite(value: float, text: str, where: str) -> None:
    if not math.isfinite(value):
        raise InputError(f"'{text}' is not a finite number", where=where, usage=True)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def describe(dims: dict[str, float]) -> str:
    """Name a dimension for people ("a power", "a mass", ...)."""
    for name, d in _DIMENSIONS.items():
        if dims == d:
            return name
    return "of dimension " + (" * ".join(f"{k}^{v:g}" for k, v in dims.items()) or "none")


def convert(text: str | float | int, to: str, *, where: str, expect: str, bare: str | None = None) -> float:
    """Parse ``text`` and return its magnitude in unit ``to``.

    ``expect`` names the kind of quantity for the error message (e.g. "a power such as '16 MW'").
    ``bare``, if given, is the unit a plain number is taken to be in.
    """
    p = parse(text, where=where)
    unit = bare if (bare is not None and not p.unit) else p.unit
    try:
        return p.number * multiplier(unit, to)
    except DimensionError:
        raise InputError(f"'{text}' is {describe(p.dims)}; expected {expect}", where=where, usage=True) from None


def fraction(text: str | float | int, *, where: str) -> float:
    """Parse a fraction written as 0.85 or '85%'; return the plain number."""
    p = parse(text, where=where)
    if p.dims:
        raise InputError(f"'{text}' is not a fraction; write e.g. 0.85 or '85%'", where=where, usage=True)
    return p.number * multiplier(p.unit, "")


def method19_lb_per_mmbtu(conc: Concentration, *, mw_lb_per_lbmol: float, fd_dscf_per_mmbtu: float,
                          molar_volume_scf_per_lbmol: float, o2_air_percent: float) -> float:
    """Convert a dry stack concentration to lb per MMBtu of heat input (HHV) by EPA Method 19.

    E = C_d * F_d * 20.9 / (20.9 - %O2), with C_d [lb/dscf] = ppm * 1e-6 * MW / molar volume.
    """
    if not 0 <= conc.o2_percent < o2_air_percent:
        raise InputError(
            f"oxygen reference {conc.o2_percent:g}% is outside 0-{o2_air_percent:g}%", usage=True
        )
    k_lb_per_scf_ppm = mw_lb_per_lbmol / molar_volume_scf_per_lbmol * 1e-6  # ppm = 1e-6 by volume
    return conc.ppm * k_lb_per_scf_ppm * fd_dscf_per_mmbtu * o2_air_percent / (o2_air_percent - conc.o2_percent)
