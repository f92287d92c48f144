"""Permit limits as a preset's [[limits]] or --limit state them: a pollutant and a figure in tpy, lb/h, lb/MMBtu or
ppmvd@15%O2, read into a Limit (annual, hourly or per heat input) that analysis/permit.py compares with the estimate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emiss.core import units
from emiss.core.factors import check_pollutant, parse_factor
from emiss.errors import InputError


# Periods between an hour and a year: a cap per month or week is its own kind of limit (each month under it), not a
# rate to be scaled to a year or an hour, so it is refused rather than converted.
CALENDAR_PERIODS = ("week", "fortnight", "month", "quarter")


@dataclass(frozen=True)
class Limit:
    """A permit limit for one pollutant: annual (lb/yr), hourly at full load (lb/h), or per heat input (lb/MMBtu)."""

    pollutant: str
    kind: str
    value: float  # lb/yr, lb/h or lb/MMBtu
    text: str
    source: str
    status: str


def parse_limit(pollutant: str, text: Any, *, where: str, source: str = "command line", status: str = "user") -> Limit:
    """Read a limit in tpy, ton/yr, lb/h, lb/MMBtu or ppmvd@15%O2."""
    text = str(text).strip()
    check_pollutant(pollutant, where=where)
    if units.parse_concentration(text) is not None:
        f = parse_factor(pollutant, text, where=where, source=source, status=status, layer="cli")
        return Limit(pollutant, "input", f.value, text, source, status)
    p = units.parse(text, where=where)
    calendar = [d for d in p.denominators if d in CALENDAR_PERIODS]
    if calendar:  # read as a rate, 87 ton/month would be a 1,044 tpy cap, which a 200-ton month would still meet
        raise InputError(f"{pollutant}: '{text}' is a cap per {calendar[0]}, which emiss does not compare: give the permit's annual "
                         "cap in tons per year ('87 tpy', a 12-month sum) or its hourly rate ('20 lb/h')", where=where, usage=True)
    short_period = any(d in ("hour", "minute", "second", "day") for d in p.denominators)  # 'lb/h' is an hourly limit
    kinds = (("hourly", "lb/hour"), ("annual", "lb/year")) if short_period else (("annual", "lb/year"), ("hourly", "lb/hour"))
    for kind, unit in kinds + (("input", "lb/MMBtu"),):
        try:
            value = p.number * units.multiplier(p.unit, unit)
        except units.DimensionError:
            continue
        if value <= 0:
            raise InputError(f"'{text}' must be more than zero", where=where, usage=True)
        return Limit(pollutant, kind, value, text, source, status)
    raise InputError(f"'{text}' is not a limit; give tons per year ('87 tpy'), a rate ('20 lb/h'), or per heat input "
                     "('0.01 lb/MMBtu', '2 ppmvd@15%O2')", where=where, usage=True)
