"""Published figures as data: a preset's [[claims]] read into Claims, and each one's verdict against an estimate."""

from __future__ import annotations

from typing import Any

from emiss.core import units
from emiss.core.dist import split_range
from emiss.errors import InputError
from emiss.core.model import Claim
from emiss.core.outputs import OUTPUTS

RELATIONS = ("about", "at least", "at most", "range")
DEFAULT_TOLERANCE = 0.10  # a published "about" figure within 10 % is consistent, unless the claim says otherwise
CLAIM_OUTPUTS = tuple(o for o in OUTPUTS if not o.endswith(".per_hour") or o.split(".")[0] in ("nox", "co", "heat_input"))


def parse_claim(raw: dict[str, Any], *, where: str) -> Claim:
    """Read one [[claims]] table; errors name the preset, the claim and what is allowed."""
    output = str(raw.get("output", "")).strip().lower()
    if output not in OUTPUTS:
        raise InputError(f"output '{output}' is not one emiss reports; known: {', '.join(CLAIM_OUTPUTS)}", where=f"{where}.output")
    if "value" not in raw:
        raise InputError("has no value (e.g. value = \"130 short_ton/year\" or \"1200..2100 short_ton/year\")", where=where)
    text = str(raw["value"]).strip()
    out = OUTPUTS[output]
    try:
        parts = split_range(text) or [text]
        values = [_to_catalogue(part, out.unit, out.short_unit, where) for part in parts]
    except InputError as exc:
        raise InputError(exc.message, where=f"{where}.value") from None
    if len(values) == 3:
        raise InputError("a claim is one figure or LOW..HIGH, not three", where=f"{where}.value")
    low, high = min(values), max(values)
    relation = str(raw.get("relation", "range" if len(values) == 2 else "about")).strip().lower()
    if relation not in RELATIONS:
        raise InputError(f"relation '{relation}' is not one of {', '.join(RELATIONS)}", where=f"{where}.relation")
    if (relation == "range") != (len(values) == 2):
        raise InputError("a LOW..HIGH value goes with relation 'range' (and only it)", where=f"{where}.relation")
    tolerance = DEFAULT_TOLERANCE
    if "tolerance" in raw:
        tolerance = units.fraction(raw["tolerance"], where=f"{where}.tolerance")
        if not 0 <= tolerance < 1:
            raise InputError(f"tolerance {raw['tolerance']!r} must be from 0 to below 100 %", where=f"{where}.tolerance")
    given = raw.get("given", {})
    if not isinstance(given, dict):
        raise InputError("given must be a table of overrides, e.g. given = { \"factor.nox\" = \"2 ppmvd@15%O2\" }", where=f"{where}.given")
    for k in ("who", "when", "source"):
        if not str(raw.get(k, "")).strip():
            raise InputError(f"needs '{k}': every published figure says who published it, when, and where", where=where)
    return Claim(output, low, high, relation, text, str(raw["who"]), str(raw["when"]), str(raw["source"]),
                 str(raw.get("quote", "")), str(raw.get("status", "reported")), tolerance, tuple(sorted(given.items())),
                 str(raw.get("note", "")))


def _to_catalogue(text: str, unit: str, short: str, where: str) -> float:
    if unit == "dimensionless":
        return units.fraction(text, where=where)
    return units.convert(text, unit, where=where, expect=f"a figure in the output's unit, e.g. {short}")


def verdict(claim: Claim, estimate: float) -> tuple[str, float]:
    """Return ('consistent' | 'higher' | 'lower', difference in %) for ``estimate``.

    'higher' means emiss gives more than the published figure allows (beyond the tolerance). The difference
    is against the figure for 'about', against the nearest edge for a range or a bound (0 when inside).
    """
    t = claim.tolerance
    lo, hi = claim.low, claim.high
    if claim.relation == "at least":
        lo, hi = lo * (1 - t), float("inf")
    elif claim.relation == "at most":
        lo, hi = 0.0, hi * (1 + t)
    else:
        lo, hi = lo * (1 - t), hi * (1 + t)
    if claim.relation == "about":
        ref = claim.low
    elif claim.relation == "at least" or (claim.relation == "range" and estimate < claim.low):
        ref = claim.low if estimate < claim.low else estimate  # inside: no difference
    elif claim.relation == "at most" or (claim.relation == "range" and estimate > claim.high):
        ref = claim.high if estimate > claim.high else estimate
    else:
        ref = estimate  # inside the range
    diff = 100 * (estimate - ref) / ref if ref else 0.0
    if lo <= estimate <= hi:
        return "consistent", diff
    return ("higher" if estimate > hi else "lower"), diff


def target(claim: Claim, estimate: float) -> float:
    """Return the figure a solve should aim at to make the claim true: the nearest edge it allows."""
    if claim.relation == "at least":
        return claim.low
    if claim.relation == "at most":
        return claim.high
    if claim.relation == "range":
        return claim.high if estimate > claim.high else claim.low
    return claim.low
