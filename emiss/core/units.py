"""The one pint registry, strict quantity parsing, and EPA Method 19. The only module that imports pint.

A quantity is one number and one unit expression (see the README's "Input grammar"). Text that pint would
quietly bend (a dropped minus sign, a trailing number, a comment after '#', an angle taken as a fraction,
a thousand-Btu 'MBtu') is refused with a message that names what was wrong.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from emiss import data
from emiss.errors import InputError

# Exact conversions by definition, kept as the divisors the figures are computed with (lb / 2000 is exact where
# lb x 0.0005 need not be): the only place they are written.
LB_PER_SHORT_TON = 2000.0  # US short ton = 2,000 lb exactly (NIST Handbook 44, App. C)
BTU_PER_MMBTU = 1e6  # MMBtu = one million Btu (definition)
KW_PER_MW = 1e3  # SI prefix


def _definitions() -> tuple[str, ...]:
    """Units pint lacks, and emiss's one year, each defined from units pint has."""
    year = data.constant("hours_per_year")
    return (
        "MMBtu = 1e6 * british_thermal_unit",
        "kBtu = 1e3 * british_thermal_unit",
        "scf = foot ** 3",  # standard cubic foot: a volume at standard conditions
        "dscf = foot ** 3",  # dry standard cubic foot
        "Mscf = 1e3 * scf = Mcf",
        "MMscf = 1e6 * scf = MMcf",
        "lbmol = pound / gram * mole",  # pound-mole
        # One year everywhere: the modelled year of constants.toml (8,760 h), not pint's 365.25-day year,
        # so that lb/h, lb/day, tpy and '0.5 year' all agree with the annual totals.
        f"year = {year.value} * hour = a = yr = annum",
        "tpy = short_ton / year",
        "brake_horsepower = horsepower = bhp",  # engine ratings: mechanical (brake) horsepower, 745.7 W, not boiler hp
    )


# Spellings that mean different things to different readers: refused rather than guessed (tested as a table).
REFUSED = {
    "MBtu": "'MBtu' means a thousand Btu to the gas industry but a million to SI prefixes; write 'kBtu' or 'MMBtu'",
    "mBtu": "'mBtu' is a thousand Btu in the HVAC trade but a milli-Btu to SI prefixes; write 'kBtu' or 'MMBtu'",
    "Mbtu": "'Mbtu' may mean a thousand or a million Btu; write 'kBtu' or 'MMBtu'",
    "mbtu": "'mbtu' may mean a thousand or a million Btu; write 'kBtu' or 'MMBtu'",
    "MBH": "'MBH' (thousand Btu per hour) is refused as ambiguous; write 'kBtu/h'",
    "mbh": "'mbh' (thousand Btu per hour) is refused as ambiguous; write 'kBtu/h'",
    "mmBtu": "write 'MMBtu' for a million Btu",
    "mmbtu": "write 'MMBtu' for a million Btu",
    "MMBH": "write 'MMBtu/h' for a million Btu per hour",
    "ppm": "give a stack concentration with its oxygen basis, e.g. '2 ppmvd@15%O2'",
    "ppmv": "give a stack concentration with its oxygen basis, e.g. '2 ppmvd@15%O2'",
    "ppmvd": "give a stack concentration with its oxygen basis, e.g. '2 ppmvd@15%O2'",
}
# Units people type in the wrong case: an unknown name that matches one of these but for case gets a hint.
CASE_HINTS = {u.lower(): u for u in ("MW", "kW", "GW", "W", "MWh", "kWh", "GWh", "Btu", "kBtu", "MMBtu", "scf", "Mscf", "MMscf",
                                     "lb", "kg", "tpy", "hour")}
# Root units that are not physical amounts of anything emiss reads: an angle is not a fraction.
_FOREIGN_ROOTS = {"radian": "an angle", "steradian": "a solid angle", "bit": "an amount of information",
                  "count": "a count of things", "decibel": "a logarithmic unit", "neper": "a logarithmic unit"}
# Characters people paste for a minus sign: normalised to '-' (stated in the README's input grammar).
_MINUS = {0x2212: "-", 0xFE63: "-", 0xFF0D: "-"}
# Dashes that could mean a minus or a range: refused by name.
_DASHES = {"\u2013": "an en dash", "\u2014": "an em dash", "\u2012": "a figure dash", "\u2010": "a hyphen (U+2010)",
           "\u2011": "a non-breaking hyphen"}
_SPACES = {0x00A0: " ", 0x2009: " ", 0x202F: " ", 0x2007: " "}

_registry: Any = None


def ureg() -> Any:
    """Return the process-wide unit registry, building it on first use (never from a pickle cache)."""
    global _registry
    if _registry is None:
        import logging  # only with pint: not on every start (~2 ms)

        import pint

        reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="warn")
        log = logging.getLogger("pint")
        level = log.level
        log.setLevel(logging.ERROR)  # emiss redefines 'year' on purpose
        try:
            for line in _definitions():
                reg.define(line)
        finally:
            log.setLevel(level)
        pint.set_application_registry(reg)
        _registry = reg
    return _registry


def _pint_errors() -> tuple[type[BaseException], ...]:
    """Return the exception types pint's parser raises on arbitrary text (found by fuzzing)."""
    import tokenize

    import pint

    return (pint.PintError, ValueError, TypeError, AttributeError, KeyError, AssertionError, SyntaxError,
            tokenize.TokenError, ZeroDivisionError, OverflowError, IndexError, RecursionError)


# Digits are ASCII 0-9 only: '\u0662' (Arabic-Indic two) or a full-width digit is not read as a number.
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_CONC = re.compile(
    rf"^\s*(?P<value>{_NUMBER})\s*(?P<unit>ppm(?:v?d?|dv)|mg\s*/\s*(?:Nm3|Nm\^3|Nm\*\*3|m3N|Nm³))\s*(?:@|at)\s*(?P<o2>{_NUMBER})\s*%\s*O2\s*$",
    re.IGNORECASE,
)
_WET = re.compile(r"^ppmv$", re.IGNORECASE)  # 'ppmv' without 'd': a wet (as measured) concentration
_QTY = re.compile(rf"^\s*(?P<number>{_NUMBER}|[-+]?nan|[-+]?inf(?:inity)?)\s*(?P<unit>.*?)\s*$", re.IGNORECASE)
_HYPHENATED = re.compile(r"(?<![A-Za-z_])([A-Za-z_]+)-([A-Za-z_]+)(?![A-Za-z_])")
_UNIT_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_\u00b5\u03bc\u00b0][A-Za-z0-9_\u00b5\u03bc\u00b0]*)|(?P<op>\*\*|\*|/|\^|\(|\))"
                         r"|(?P<int>[-+]?\d+)|(?P<pct>%))")
_DIMENSIONS = {
    "a power": {"[mass]": 1, "[length]": 2, "[time]": -3},
    "an energy": {"[mass]": 1, "[length]": 2, "[time]": -2},
    "a time": {"[time]": 1},
    "a mass": {"[mass]": 1},
    "a mass per time": {"[mass]": 1, "[time]": -1},
    "a plain number": {},
    # the others a user is likely to give where one of those is wanted (said as pint's '[length]^-2 * [time]^2' before)
    "a mass per energy (an emission factor such as lb/MMBtu)": {"[length]": -2, "[time]": 2},
    "a temperature": {"[temperature]": 1},
    "a length": {"[length]": 1},
    "a volume": {"[length]": 3},
    "a volume per time": {"[length]": 3, "[time]": -1},
    "a speed": {"[length]": 1, "[time]": -1},
}


def clean_text(text: str) -> str:
    """Normalise pasted minus signs and spaces; refuse dashes that could be a minus or a range."""
    for ch, name in _DASHES.items():
        if ch in text:
            raise InputError(f"'{text}' contains {name} (U+{ord(ch):04X}); write a negative number with '-' "
                             f"and a range with '..', e.g. '0.6..1.0'", usage=True)
    return text.translate(_MINUS).translate(_SPACES)


@dataclass(frozen=True)
class Concentration:
    """A dry stack concentration corrected to ``o2_percent`` oxygen: ppm by volume, or mg per normal m3 (0 degC, 1 atm)."""

    ppm: float
    o2_percent: float
    mg_per_nm3: float | None = None  # as given, when the value was a mass concentration (ppm is then left to the caller)

    def __str__(self) -> str:
        if self.mg_per_nm3 is not None:
            return f"{self.mg_per_nm3:g} mg/Nm3@{self.o2_percent:g}%O2"
        return f"{self.ppm:g} ppmvd@{self.o2_percent:g}%O2"


# The words after a figure that say what it is of ('10 lb/h per unit', '180 lb/h all units'): each unit, or the
# whole facility (every unit together). A permit limit takes both (permit_limits.split_per); a factor per hour, which
# is each unit's rate, takes the first (factors.parse_factor).
PER_WORDS = {"per unit": "unit", "per turbine": "unit", "per engine": "unit", "each": "unit",
             "per facility": "facility", "all units": "facility", "per fleet": "facility", "fleet": "facility"}
_PER_TAIL = re.compile(r"\s*(?:,\s*)?\b(" + "|".join(w.replace(" ", r"\s+") for w in PER_WORDS) + r")\s*$", re.IGNORECASE)


def per_tail(text: str) -> tuple[str, str, str]:
    """Split a figure's text into (the figure, what it is of: 'unit', 'facility' or '' when the words are not there,
    the words as written in lower case)."""
    m = _PER_TAIL.search(text)
    if m is None:
        return text, "", ""
    words = " ".join(m.group(1).lower().split())
    return text[:m.start()].strip(), PER_WORDS[words], words


def parse_concentration(text: str, *, where: str = "") -> Concentration | None:
    """Return the concentration written in ``text`` (e.g. '2 ppmvd@15%O2'), or None if it is not one; ``where`` names
    the input in a refusal."""
    m = _CONC.match(clean_text(text))
    if not m:
        return None
    if _WET.match(m.group("unit")):
        raise InputError(f"'{text}': 'ppmv' is a wet (as measured) concentration; give it on a dry basis with its oxygen "
                         "reference, e.g. '2 ppmvd@15%O2'", where=where, usage=True)
    value, o2 = float(m.group("value")), float(m.group("o2"))
    for v in (value, o2):
        if not math.isfinite(v):
            raise InputError(f"'{text}' is not a finite concentration", where=where, usage=True)
    if m.group("unit").lower().startswith("mg"):
        return Concentration(math.nan, o2, value)
    return Concentration(value, o2)


@dataclass(frozen=True)
class Parsed:
    """A number and its unit text, with what the unit is (dimensions, denominators, whether it is %)."""

    number: float
    unit: str
    dims: dict[str, float]
    denominators: tuple[str, ...]
    percent: bool


# ---- the cache of unit-string facts ----------------------------------------------------------------
# Facts about unit strings, kept across runs so that a repeat run needs no unit registry at all. Each
# fact is derived from pint the first time a unit string is seen (never typed in by hand). The file is
# used only from a folder private to the user, carries a checksum, and is checked value by value: a
# damaged or edited cache is ignored and rewritten, never believed.
_cache: dict[str, dict[str, Any]] = {"info": {}, "mult": {}}
_cache_state = {"loaded": False, "dirty": False}


def _private_folder() -> str | None:
    """Return emiss's cache folder if it is (or can be made) private to this user; else None."""
    if os.environ.get("EMISS_NO_CACHE"):
        return None
    folder = os.environ.get("EMISS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "emiss")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
    except OSError:
        return None
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    if not mine or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not os.access(folder, os.W_OK):
        return None
    return folder


def _cache_file() -> str | None:
    folder = _private_folder()
    if folder is None:
        return None
    import hashlib

    from emiss.version import __version__

    tag = hashlib.sha256("\n".join(_definitions()).encode()).hexdigest()[:16]
    return os.path.join(folder, f"units-{__version__}-{tag}.json")


def _digest(body: dict[str, Any]) -> str:
    import hashlib  # only when the cache file is read or written: not on every start

    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _valid_info(v: Any) -> bool:
    return (isinstance(v, list) and len(v) == 3 and isinstance(v[0], dict) and isinstance(v[1], list)
            and isinstance(v[2], bool) and all(isinstance(k, str) and isinstance(x, (int, float)) and math.isfinite(x)
                                               for k, x in v[0].items()) and all(isinstance(n, str) for n in v[1]))


def _load_cache() -> None:
    if _cache_state["loaded"]:
        return
    _cache_state["loaded"] = True
    path = _cache_file()
    if path is None or not os.path.isfile(path):
        return
    try:
        st = os.stat(path)
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        body = {"info": doc["info"], "mult": doc["mult"]}
        if doc.get("sha256") != _digest(body):
            return
        info = {k: v for k, v in body["info"].items() if isinstance(k, str) and _valid_info(v)}
        mult = {k: float(v) for k, v in body["mult"].items()
                if isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v != 0}
        if len(info) != len(body["info"]) or len(mult) != len(body["mult"]):
            return  # one bad entry and the whole file is suspect
        _cache["info"].update(info)
        _cache["mult"].update(mult)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pass  # a damaged cache is ignored and rewritten


def save_cache() -> None:
    """Write the unit facts learnt in this run, if any, for the next run (best effort)."""
    if not _cache_state["dirty"]:
        return
    path = _cache_file()
    if path is None:
        return
    body = {"info": _cache["info"], "mult": _cache["mult"]}
    import tempfile  # only when the cache is written: not on every start

    try:
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({**body, "sha256": _digest(body)}, fh)
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


# ---- parsing -----------------------------------------------------------------------------------------

def _check_unit_text(text: str, unit: str) -> None:
    """Refuse anything in a unit expression beyond unit names, * / ** ^ ( ) and integer exponents."""
    if unit in ("%", "percent"):
        return
    pos, prev, depth = 0, "", 0
    while pos < len(unit):
        m = _UNIT_TOKEN.match(unit, pos)
        if not m or m.end() == pos:
            bad = unit[pos:].strip()[:1] or unit[pos:]
            hint = " (a comment)" if bad == "#" else (" (write decimals with '.', no thousands separators)" if bad == "," else "")
            raise InputError(f"'{text}': '{bad}'{hint} cannot be part of a unit; a quantity is one number and one unit, e.g. '16 MW'",
                             usage=True)
        if m.group("int") is not None and prev not in ("**", "^"):
            raise InputError(f"'{text}' has a second number ('{m.group('int').strip()}'); a quantity is one number and one unit, "
                             "e.g. '16 MW' (a range is written LOW..HIGH)", usage=True)
        if m.group("pct") is not None:
            raise InputError(f"'{text}': '%' may only stand alone, as in '85%'", usage=True)
        name = m.group("name")
        if name in REFUSED:
            raise InputError(f"'{text}': {REFUSED[name]}", usage=True)
        if prev == "(" and m.group("op") == ")":
            raise InputError(f"'{text}' has an empty bracket '()'; a quantity is one number and one unit, e.g. '2 lb/h'",
                             usage=True)
        prev = m.group("op") or ""
        depth += (prev == "(") - (prev == ")")
        if depth < 0:
            break
        pos = m.end()
    # '16 MW/' and 'lb/(MMBtu' reached pint, whose parser failed an assertion or a tokenizer ('EOF in multi-line ...')
    if depth:
        raise InputError(f"'{text}' has a bracket without its pair; a quantity is one number and one unit, e.g. '2 lb/h'",
                         usage=True)
    if prev in ("*", "/", "**", "^"):
        raise InputError(f"'{text}' ends in '{prev}': a unit is whole, e.g. '16 MW' or '2 lb/h'", usage=True)


def _case_hint(unit: str) -> str:
    """Return '; did you mean ...?' when a word of ``unit`` is a known unit but for its case ('mw' -> 'MW')."""
    import re

    fixed = [(w, CASE_HINTS[w.lower()]) for w in re.findall(r"[A-Za-z_]+", unit) if w.lower() in CASE_HINTS and w != CASE_HINTS[w.lower()]]
    if not fixed:
        return ""
    better = re.sub(r"[A-Za-z_]+", lambda m: CASE_HINTS.get(m.group(0).lower(), m.group(0)), unit)
    return f"; did you mean '{better}'? (unit names are case-sensitive: {', '.join(f'{a} -> {b}' for a, b in fixed)})"


def unit_info(unit: str) -> tuple[dict[str, float], tuple[str, ...], bool]:
    """Return the dimensions, the denominator unit names and whether ``unit`` is percent."""
    _load_cache()
    hit = _cache["info"].get(unit)
    if hit is not None:
        return hit[0], tuple(hit[1]), hit[2]
    try:
        units = ureg().parse_units(unit) if unit else ureg().dimensionless
        dims = {k: float(v) for k, v in ureg().get_dimensionality(units).items()}
        items = dict(units._units) if hasattr(units, "_units") else {}
        roots = dict(ureg().get_root_units(units)[1]._units) if unit else {}
    except _pint_errors() as exc:
        raise InputError(f"unknown unit '{unit}' ({_short(exc)}){_case_hint(unit)}", usage=True) from None
    for root, what in _FOREIGN_ROOTS.items():
        if root in roots:
            raise InputError(f"'{unit}' is {what}, not a unit emiss can use", usage=True)
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
    except _pint_errors() as exc:
        raise DimensionError(str(exc)) from None
    _remember("mult", key, value)
    return value


class DimensionError(ValueError):
    """Two units cannot be converted into each other."""


def parse(text: str | float | int, *, where: str) -> Parsed:
    """Split ``text`` into a finite number and a known unit; one-line errors name ``where``."""
    try:
        return _parse_text(text) if isinstance(text, str) else _parse_other(text)
    except InputError as exc:
        raise InputError(exc.message, where=where, usage=True) from None


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> Parsed:
    figure, _, words = per_tail(text)
    if words:  # pint reads 'per unit' as two units of its own: '16 MW per unit' was 'of dimension [mass]^1 * ...'
        raise InputError(f"'{text}': '{words}' is not part of a unit; what a figure is of is read only by --limit and "
                         f"--factor (and their preset keys): give the figure alone, e.g. '{figure}'", usage=True)
    return _parse_other(text)


def value_kind(value: Any) -> str:
    """Name what a value that is neither text nor a number is (Parquet and DataFrames carry many types)."""
    import datetime
    import decimal
    import enum

    if value is None:
        return "empty"
    kinds = ((bytes, "binary data"), (bytearray, "binary data"), (datetime.datetime, "a timestamp"), (datetime.date, "a date"),
             (datetime.time, "a time of day"), (datetime.timedelta, "a duration"), (decimal.Decimal, "a Decimal"),
             (list, "a list"), (tuple, "a list"), (dict, "an object"), (enum.Enum, "an Enum member"), (type, "a class"),
             (set, "a set"), (frozenset, "a set"), (complex, "a complex number"))
    kind = type(value)
    what = next((name for t, name in kinds if isinstance(value, t)), None)
    if what is None and callable(value):
        what = "a function"
    elif what is None and (kind.__module__, kind.__name__) == ("numpy", "ndarray"):
        what = "an array"
    elif what is None and kind.__module__ == "builtins" and kind.__name__.islower():  # Python's own names read as
        what = f"{'an' if kind.__name__[:1] in 'aeiou' else 'a'} {kind.__name__}"  # words: an int, a str
    elif what is None:  # a class of a library's or the caller's own (IPv4Address, Exception, UUID): named, not
        what = f"a value of type {kind.__qualname__}"  # given an article guessed from its spelling ('a Enum')
    shown = value.__qualname__ if isinstance(value, type) else str(value)
    return f"{what} ({shown[:40]}{'...' if len(shown) > 40 else ''})"


def _parse_other(text: Any) -> Parsed:
    if isinstance(text, bool):
        raise InputError(f"expected a quantity, got {text!r}", usage=True)
    if isinstance(text, int):
        try:
            value = float(text)
        except OverflowError:
            raise InputError(f"{text} is too large to be a quantity", usage=True) from None
        if value != text:
            raise InputError(f"{text} is too large to be represented exactly", usage=True)
        return Parsed(value, "", {}, (), False)
    if isinstance(text, float):
        _check_finite(text, str(text))
        return Parsed(text, "", {}, (), False)
    if not isinstance(text, str):
        raise InputError(f"is {value_kind(text)}, not a quantity; give a number, with its unit where it has one", usage=True)
    if not text.strip():
        raise InputError("is empty; give a number, with its unit where it has one", usage=True)
    clean = text if text.isascii() else clean_text(text)
    if not text.isascii() and any(c.isdecimal() and not c.isascii() for c in clean):
        raise InputError(f"cannot read '{text}' as a quantity: numbers are written with the digits 0-9", usage=True)
    m = _QTY.match(clean)
    if not m:
        raise InputError(f"cannot read '{text}' as a quantity: it must start with a number, e.g. '16 MW'", usage=True)
    number = float(m.group("number"))
    _check_finite(number, text)
    try:
        unit, dims, den, pct = _unit(m.group("unit"))
    except InputError:
        _explain_unit(text, m.group("unit"))  # the same check, with the text in the message
        raise
    return Parsed(number, unit, dims, den, pct)


def unit_as_written(text: str) -> str:
    """Return the unit part of a quantity's text as the user wrote it ('g/bhp-hr' in '0.5 g/bhp-hr', where parse gives
    the unit it reads, 'g/(bhp*hr)'), for a message that names it; '' when the text does not start with a number."""
    m = _QTY.match(text if text.isascii() else clean_text(text))
    return m.group("unit") if m else ""


@lru_cache(maxsize=4096)
def _unit(raw: str) -> tuple[str, dict[str, float], tuple[str, ...], bool]:
    """Check and describe the unit part of a quantity once per distinct spelling (every record of a batch reuses it)."""
    unit = _HYPHENATED.sub(r"(\1*\2)", raw)  # 'g/bhp-hr' is grams per (bhp x hour), as the trade writes it
    _check_unit_text(raw, unit)
    if unit == "%":
        unit = "percent"
    dims, den, pct = unit_info(unit)
    return unit, dims, den, pct


def _explain_unit(text: str, raw: str) -> None:
    """Raise the unit error of ``raw`` with the whole quantity ``text`` named in the message."""
    unit = _HYPHENATED.sub(r"(\1*\2)", raw)
    _check_unit_text(text, unit)
    try:
        unit_info("percent" if unit == "%" else unit)
    except InputError as exc:
        raise InputError(f"cannot read '{text}' as a quantity: {exc.message}", usage=True) from None


def _check_finite(value: float, text: str) -> None:
    if not math.isfinite(value):
        raise InputError(f"'{text}' is not a finite number", usage=True)


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def describe(dims: dict[str, float]) -> str:
    """Name a dimension for people ("a power", "a mass", ...)."""
    for name, d in _DIMENSIONS.items():
        if dims == d:
            return name
    return "of dimension " + (" * ".join(f"{k}^{v:g}" for k, v in dims.items()) or "none")


def is_dimension(p: Parsed, reference_unit: str) -> bool:
    """Return whether ``p`` has the dimensions of ``reference_unit``."""
    return p.dims == unit_info(reference_unit)[0]


def convert(text: str | float | int, to: str, *, where: str, expect: str, bare: str | None = None) -> float:
    """Parse ``text`` and return its magnitude in unit ``to``.

    ``expect`` names the kind of quantity for the error message (e.g. "a power such as '16 MW'").
    ``bare``, if given, is the unit a plain number is taken to be in; without it a plain number is refused.
    """
    p = parse(text, where=where)
    if not p.unit and bare is None and to:
        raise InputError(f"'{text}' has no unit; expected {expect}", where=where, usage=True)
    unit = bare if (bare is not None and not p.unit) else p.unit
    try:
        value = p.number * multiplier(unit, to)
    except DimensionError:
        raise InputError(f"'{text}' is {describe(p.dims)}; expected {expect}", where=where, usage=True) from None
    _check_finite(value, str(text))
    return value


def fraction(text: str | float | int, *, where: str) -> float:
    """Parse a fraction written as 0.85 or '85%' (nothing else: an angle or a count is not a fraction)."""
    p = parse(text, where=where)
    if p.unit not in ("", "percent"):
        raise InputError(f"'{text}' is not a fraction; write e.g. 0.85 or '85%'", where=where, usage=True)
    return p.number / 100 if p.unit == "percent" else p.number


def count(text: str | float | int, *, where: str) -> float:
    """Parse a count (homes, units, GPUs) written as a plain number: '50000%' is 500 homes to ``fraction``, and no
    one counting homes writes a percent."""
    p = parse(text, where=where)
    if p.unit:
        raise InputError(f"'{text}' is not a count; write a plain number, e.g. 50000", where=where, usage=True)
    return p.number


def method19_lb_per_mmbtu(ppm: Any, o2_percent: Any, *, mw_lb_per_lbmol: float, fd_dscf_per_mmbtu: float,
                          molar_volume_scf_per_lbmol: float, o2_air_percent: float) -> Any:
    """Convert dry stack concentrations (ppm, at ``o2_percent`` oxygen) to lb per MMBtu of heat input (HHV) by EPA
    Method 19: floats or numpy arrays alike (one value is an array of one; the same operations in the same order).

    E = C_d * F_d * 20.9 / (20.9 - %O2), with C_d [lb/dscf] = ppm * 1e-6 * MW / molar volume. The caller checks
    that the oxygen reference lies in [0, 20.9) (factors.concentration_values).
    """
    k_lb_per_scf_ppm = mw_lb_per_lbmol / molar_volume_scf_per_lbmol * 1e-6  # ppm = 1e-6 by volume
    return ppm * k_lb_per_scf_ppm * fd_dscf_per_mmbtu * o2_air_percent / (o2_air_percent - o2_percent)


_PPM_UNIT = re.compile(r"^\s*ppmvd\s*@\s*((?:\d+(?:\.\d*)?|\.\d+))\s*%\s*O2\s*$", re.ASCII)


@lru_cache(maxsize=256)
def ppmvd_reference(unit_text: str) -> float | None:
    """Return the O2 reference of a plain 'ppmvd@X%O2' unit text (what follows a number), or None for anything else
    (which the one-value grammar, parse_concentration, reads or refuses)."""
    m = _PPM_UNIT.match(unit_text) if unit_text.isascii() else None
    return float(m.group(1)) if m else None


def unit_name(unit_text: str) -> str | None:
    """Return the unit a quantity's unit text means, as parse() names it ('%' is 'percent'), or None when the text
    is not a unit emiss reads (the one-value path then says why). Cached per distinct text."""
    try:
        return _unit(unit_text.strip())[0] if unit_text.strip() else ""
    except InputError:
        return None