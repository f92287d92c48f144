"""The one pint registry, quantity parsing with dimension checks, and EPA Method 19."""

from __future__ import annotations

import math
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

_DIMENSION_NAMES = {
    "power": "[mass] * [length] ** 2 / [time] ** 3",
    "energy": "[mass] * [length] ** 2 / [time] ** 2",
    "time": "[time]",
    "mass": "[mass]",
    "dimensionless": "",
}

_registry: Any = None


def ureg() -> Any:
    """Return the process-wide unit registry, building it on first use."""
    global _registry
    if _registry is None:
        import pint

        reg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
        for line in _DEFINITIONS:
            reg.define(line)
        pint.set_application_registry(reg)
        _registry = reg
    return _registry


def pint_errors() -> tuple[type[BaseException], ...]:
    """Return the exception types that parsing a quantity may raise."""
    import pint

    return (pint.PintError, ValueError, TypeError, AttributeError, KeyError, AssertionError, SyntaxError)


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


def _check_finite(value: float, text: str, where: str) -> None:
    if not math.isfinite(value):
        raise InputError(f"'{text}' is not a finite number", where=where, usage=True)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> Any:
    return ureg().Quantity(text)


def quantity(text: str | float | int, *, where: str) -> Any:
    """Parse ``text`` into a pint quantity, with a one-line error naming ``where`` if it fails."""
    reg = ureg()
    if isinstance(text, bool):
        raise InputError(f"expected a quantity, got {text!r}", where=where, usage=True)
    if isinstance(text, (int, float)):
        _check_finite(float(text), str(text), where)
        return reg.Quantity(float(text), "")
    if not isinstance(text, str) or not text.strip():
        raise InputError("is empty; give a number with a unit, e.g. '16 MW'", where=where, usage=True)
    for word, why in _AMBIGUOUS.items():
        if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", text):
            raise InputError(f"'{text}': {why}", where=where, usage=True)
    try:
        q = _parse_cached(text.strip())
    except pint_errors() as exc:
        raise InputError(f"cannot read '{text}' as a quantity ({_short(exc)})", where=where, usage=True) from None
    if not hasattr(q, "magnitude"):
        q = reg.Quantity(float(q), "")
    _check_finite(float(q.magnitude), text, where)
    return q


def _short(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return msg[:120]


def convert(text: str | float | int, to: str, *, where: str, expect: str, bare: str | None = None) -> float:
    """Parse ``text`` and return its magnitude in unit ``to``.

    ``expect`` names the kind of quantity for the error message (e.g. "a power such as '16 MW'").
    ``bare``, if given, is the unit a plain number is taken to be in.
    """
    q = quantity(text, where=where)
    if bare is not None and q.dimensionless and not _has_units(q):
        q = ureg().Quantity(q.magnitude, bare)
    try:
        return float(q.to(to).magnitude)
    except pint_errors():
        raise InputError(
            f"'{text}' is {_describe(q)}; expected {expect}", where=where, usage=True
        ) from None


def _has_units(q: Any) -> bool:
    return bool(q.unit_items()) if hasattr(q, "unit_items") else bool(q._units)


def _describe(q: Any) -> str:
    if q.dimensionless:
        return "a plain number"
    for name, dims in _DIMENSION_NAMES.items():
        if str(q.dimensionality) == dims:
            return f"a{'n' if name[0] in 'aeiou' else ''} {name}"
    return f"in {q.units:~} ({q.dimensionality})"


def fraction(text: str | float | int, *, where: str) -> float:
    """Parse a fraction written as 0.85 or '85%'; return the plain number."""
    q = quantity(text, where=where)
    try:
        return float(q.to("dimensionless").magnitude)
    except pint_errors():
        raise InputError(f"'{text}' is not a fraction; write e.g. 0.85 or '85%'", where=where, usage=True) from None


def unit_text(unit: str) -> str:
    """Return ``unit`` in pint's canonical long form, e.g. 'short_ton / year' (it must parse)."""
    return str(ureg().parse_units(unit))


def conversion(from_unit: str, to_unit: str) -> float:
    """Return the factor that turns a magnitude in ``from_unit`` into one in ``to_unit``."""
    return float(ureg().Quantity(1.0, from_unit).to(to_unit).magnitude)


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
