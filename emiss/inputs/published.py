"""A preset's [[claims]]: published figures (who said what, when, about which output) read into Claims.

A claim is one figure or LOW..HIGH in an output's unit, of a kind (point, at-least, at-most, range, cap) with a
tolerance for a point; the figure's published precision (its last digit) is kept, so that a verdict
(analysis/claims.py) compares at that precision.
"""

from __future__ import annotations

import math
import re
from typing import Any

from emiss.core import units
from emiss.core.dist import split_range
from emiss.core.model import Claim
from emiss.core.outputs import OUTPUTS
from emiss.errors import InputError

KINDS = ("point", "at-least", "at-most", "range", "cap")
RELATIONS = ("about", "at least", "at most", "range")  # the older spelling of a kind, still read
RELATION_OF = {"point": "about", "at-least": "at least", "at-most": "at most", "range": "range", "cap": "at most"}
KIND_OF = {"about": "point", "at least": "at-least", "at most": "at-most", "range": "range"}
BASES = ("capacity", "energy", "co2")
DEFAULT_TOLERANCE = 0.10  # a published "about" figure within 10 % is consistent, unless the claim says otherwise
# (a count of units is exact: 35 turbines is not "about" 35)
CLAIM_OUTPUTS = tuple(o for o in OUTPUTS if not o.endswith(".per_hour") or o.split(".")[0] in ("nox", "co", "heat_input"))
WHOLE = ("units", "households", "households.energy", "households.capacity")  # counted things: whole numbers, at least 1
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)")


def parse_claim(raw: dict[str, Any], *, where: str) -> Claim:
    """Read one [[claims]] table; errors name the preset, the claim and what is allowed (exit 1: preset data)."""
    try:
        return _parse(raw, where)
    except InputError as exc:
        if exc.usage:  # a bad value in a preset is bad data, not a bad command line
            raise InputError(exc.message, where=exc.where or where) from None
        raise


def _parse(raw: dict[str, Any], where: str) -> Claim:
    output = str(raw.get("output", "")).strip().lower()
    if output not in OUTPUTS:
        raise InputError(f"output '{output}' is not one emiss reports; known: {', '.join(CLAIM_OUTPUTS)}", where=f"{where}.output")
    if "value" not in raw:
        raise InputError("has no value (e.g. value = \"130 short_ton/year\" or \"1200..2100 short_ton/year\")", where=where)
    text = str(raw["value"]).strip()
    out = OUTPUTS[output]
    try:
        parts = split_range(text) or [text]
    except InputError as exc:
        raise InputError(exc.message, where=f"{where}.value") from None
    if len(parts) == 3:
        raise InputError("a claim is one figure or LOW..HIGH, not three", where=f"{where}.value")
    values = [_to_catalogue(part, out.unit, out.short_unit, f"{where}.value") for part in parts]
    for part, v in zip(parts, values):
        if not math.isfinite(v) or v <= 0:
            raise InputError(f"'{part}' must be a figure above zero (a published amount is never negative or nil)", where=f"{where}.value")
        if output in WHOLE and abs(v - round(v)) > 1e-9:
            raise InputError(f"'{part}' must be a whole number of {out.short_unit}", where=f"{where}.value")
    if len(values) == 2 and not values[0] < values[1]:
        raise InputError(f"'{text}' is not a range: write LOW..HIGH with LOW below HIGH", where=f"{where}.value")
    kind = _kind(raw, len(values), output, where)
    tolerance, tolerance_abs = (0.0 if output == "units" else DEFAULT_TOLERANCE), None  # a count of units is exact
    if "tolerance" in raw:
        if kind != "point":
            raise InputError(f"a tolerance belongs to a point claim; {'an' if kind[0] in 'aeiou' else 'a'} {kind} claim is judged at its published precision",
                             where=f"{where}.tolerance")
        tolerance, tolerance_abs = _tolerance(raw["tolerance"], out.unit, out.short_unit, f"{where}.tolerance")
        if tolerance_abs is not None and tolerance_abs >= values[0]:  # a percentage's own rule: below 100 % of it
            raise InputError(f"tolerance {raw['tolerance']!r} must be below the figure itself ('{text}'), as a "
                             "percentage must be below 100 %", where=f"{where}.tolerance")
    given = raw.get("given", {})
    if not isinstance(given, dict):
        raise InputError("given must be a table of overrides, e.g. given = { \"factor.nox\" = \"2 ppmvd@15%O2\" }", where=f"{where}.given")
    for k in ("who", "when", "source"):
        if not str(raw.get(k, "")).strip():
            raise InputError(f"needs '{k}': every published figure says who published it, when, and where", where=where)
    scope, about = read_scope(raw.get("scope"), f"{where}.scope")
    basis = str(raw.get("basis", "")).strip().lower()
    if basis and (output != "households" or basis not in BASES):
        raise InputError(f"basis '{basis}' is for a households claim: one of {', '.join(BASES)}", where=f"{where}.basis")
    return Claim(output, values[0], values[-1], RELATION_OF[kind], text, str(raw["who"]), str(raw["when"]), str(raw["source"]),
                 str(raw.get("quote", "")), str(raw.get("status", "reported")), tolerance, tuple(sorted(given.items())),
                 str(raw.get("note", "")), kind=kind, tolerance_abs=tolerance_abs,
                 quantum=quantum(parts[-1], values[-1]), scope=scope, about=about,
                 implies=str(raw.get("implies", "")).strip().lower().replace("-", "_"), basis=basis)


def _kind(raw: dict[str, Any], n: int, output: str, where: str) -> str:
    kind = str(raw.get("kind", "")).strip().lower()
    relation = str(raw.get("relation", "")).strip().lower()
    if kind and kind not in KINDS:
        raise InputError(f"kind '{kind}' is not one of {', '.join(KINDS)}", where=f"{where}.kind")
    if relation and relation not in RELATIONS:
        raise InputError(f"relation '{relation}' is not one of {', '.join(RELATIONS)} (or give kind: {', '.join(KINDS)})",
                         where=f"{where}.relation")
    if kind and relation and RELATION_OF[kind] != relation:
        raise InputError(f"kind '{kind}' and relation '{relation}' disagree; give kind only", where=f"{where}.relation")
    kind = kind or KIND_OF.get(relation, "range" if n == 2 else "point")
    if (kind == "range") != (n == 2):
        raise InputError("a LOW..HIGH value goes with kind 'range' (and only it)", where=f"{where}.kind")
    if kind == "cap" and not OUTPUTS[output].pollutant:
        raise InputError(f"a cap limits an emission; '{output}' is not one", where=f"{where}.kind")
    return kind


def _tolerance(value: Any, unit: str, short: str, where: str) -> tuple[float, float | None]:
    """Read a point's tolerance: a fraction or percentage, or a quantity in the claim's own unit."""
    try:
        t = units.fraction(value, where=where)
    except InputError:
        if unit == "dimensionless":
            raise InputError(f"tolerance {value!r} must be a fraction or a percentage, e.g. '5%'", where=where) from None
        a = _to_catalogue(str(value), unit, short, where)  # 'e.g. lb/yr', as the value's message says
        if not math.isfinite(a) or a < 0:
            raise InputError(f"tolerance {value!r} must be zero or more", where=where) from None
        return 0.0, a
    if not 0 <= t < 1:
        raise InputError(f"tolerance {value!r} must be from 0 to below 100 %", where=where)
    return t, None


def read_scope(raw: Any, where: str) -> tuple[str, str]:
    """Read a claim's scope: the preset it is about (a name, or { preset, about }); ("", "") when it has none."""
    if raw is None:
        return "", ""
    if isinstance(raw, str) and raw.strip():
        return raw.strip().lower(), ""
    if isinstance(raw, dict) and str(raw.get("preset", "")).strip() and set(raw) <= {"preset", "about"}:
        return str(raw["preset"]).strip().lower(), str(raw.get("about", "")).strip()
    raise InputError("scope names the preset the claim is about: scope = \"NAME\" or { preset = \"NAME\", about = \"...\" }", where=where)


def _to_catalogue(text: str, unit: str, short: str, where: str) -> float:
    try:
        if unit == "dimensionless":
            return units.count(text, where=where)
        return units.convert(text, unit, where=where, expect=f"a figure in the output's unit, e.g. {short}")
    except InputError as exc:
        raise InputError(exc.message, where=where) from None


# The inputs a claim's ``implies`` may name whatever the preset's ranges (analysis/check.py solves for each); besides
# them, any uncertain input of the preset by its key ('count', 'capacity_kw', 'hhv_lhv') or its name
IMPLIES = ("heat_rate", "factor", "hours", "capacity_factor", "household_demand", "household_use")


def names_uncertain(implies: str, u: Any) -> bool:
    """Return whether a claim's ``implies`` names the uncertain input ``u``: its key, its name, or part of its name."""
    return implies in (str(u.path[-1]), u.name.lower()) or implies in u.name.lower().replace(" ", "_")


def check_implies(claim: Claim, uncertain: Any, *, where: str) -> None:
    """Refuse a claim's ``implies`` that names no input of the preset: 'what it would take' passed it over without a
    word and solved for another input ('implies = "heatrate"' gave operating hours)."""
    if not claim.implies or claim.implies in IMPLIES or any(names_uncertain(claim.implies, u) for u in uncertain):
        return
    keys = list(IMPLIES) + sorted({str(u.path[-1]) for u in uncertain} - set(IMPLIES))
    raise InputError(f"'{claim.implies}' names no input of this preset; give one of {', '.join(keys)}",
                     where=f"{where}.implies")


def quantum(part: str, value: float) -> float | None:
    """Return the published figure's last digit in the catalogue unit ('9.8 short_ton/year' -> 0.1 short ton, in lb)."""
    from decimal import Decimal, InvalidOperation  # only for a published figure: not on every start

    m = _NUMBER.match(part)
    if not m:
        return None
    try:
        number = Decimal(m.group(1))
    except InvalidOperation:
        return None
    if number == 0:
        return None
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int):
        return None
    return abs(value / float(number)) * 10.0 ** exponent
