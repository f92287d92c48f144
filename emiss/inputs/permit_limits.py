"""Permit limits as a preset's [[limits]] or --limit state them: a pollutant and a figure in tpy, lb/h, lb/MMBtu or
ppmvd@15%O2, read into a Limit (annual, hourly or per heat input) that analysis/permit.py compares with the estimate.

A limit is for the whole facility unless it says it is per emission unit ('10 lb/h per unit', or per = "unit" in
[[limits]]): permits usually state hourly limits per unit ("each turbine shall not exceed 10 lb/hr NOx")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from emiss.core import units
from emiss.core.units import PER_WORDS, per_tail
from emiss.core.factors import check_pollutant, parse_factor, unit_form
from emiss.errors import InputError


# Periods between an hour and a year: a cap per month or week is its own kind of limit (each month under it), not a
# rate to be scaled to a year or an hour, so it is refused rather than converted.
CALENDAR_PERIODS = ("week", "fortnight", "month", "quarter")

# What a limit is of, as a preset's [[limits]] key `per` says it (the words of startup_shutdown's events_per): each
# emission unit, or the whole facility (every unit together; what a limit that says neither is read as).
PER = ("unit", "facility")
_PER_SLASH = re.compile(r"/\s*(unit|turbine|engine)\s*$", re.IGNORECASE)  # '10 lb/h/turbine': pint has no such unit


@dataclass(frozen=True)
class Limit:
    """A permit limit for one pollutant: annual (lb/yr), hourly at full load (lb/h), or per heat input (lb/MMBtu)."""

    pollutant: str
    kind: str
    value: float  # lb/yr, lb/h or lb/MMBtu
    text: str
    source: str
    status: str
    per: str = "facility"  # "unit": each emission unit's figure is held to it; "facility": the whole facility's (PER)
    per_stated: bool = False  # the permit's text or the preset said which (a bare 'lb/h' is read for the facility)

    @property
    def shown(self) -> str:
        """The limit as given, with 'per unit' added where only a preset's `per` key says so."""
        return shown_text(self.text, self.per)

    def for_facility(self, counts: Sequence[Any]) -> Any:
        """Return the limit as the whole facility's figure (lb/yr, lb/h or lb/MMBtu), given the unit count of each fleet
        group, or None where there is no one such figure: a per-unit annual or hourly limit on unlike groups (each
        group's units are held to it on their own). A per-unit limit on one group is its count times the limit; a
        limit per heat input is the same for each unit and for the facility."""
        if self.per != "unit" or self.kind == "input":
            return self.value
        return self.value * counts[0] if len(counts) == 1 else None


def shown_text(text: str, per: str) -> str:
    """Return a limit's text as given, with 'per unit' added where it is per unit and its text does not say so."""
    return text + (" per unit" if per == "unit" and not per_tail(text)[1] else "")


def split_per(text: str, *, where: str) -> tuple[str, str]:
    """Split a limit's text into its figure and what it is of ('unit', 'facility', or '' when it does not say)."""
    figure, per, words = per_tail(text)
    if not per:
        slash = _PER_SLASH.search(text)
        if slash:
            raise InputError(f"'{text}': say '{text[:slash.start()].strip()} per unit' (each {slash.group(1).lower()}) "
                             f"or give the whole facility's figure; words after the figure: {', '.join(PER_WORDS)}",
                             where=where, usage=True)
        return text, ""
    if figure.endswith("/"):  # '10 lb/h/fleet': the words read as a unit's last part
        said = words if words.startswith("per ") or words in ("each", "all units") else f"per {words}"
        raise InputError(f"'{text}': say '{figure[:-1].strip()} {said}' or give the figure alone (the whole "
                         f"facility's); words after the figure: {', '.join(PER_WORDS)}", where=where, usage=True)
    return figure, per


def parse_limit(pollutant: str, text: Any, *, where: str, source: str = "command line", status: str = "user",
                per: str = "") -> Limit:
    """Read a limit in tpy, ton/yr, lb/h, lb/MMBtu or ppmvd@15%O2, for each unit or the whole facility.

    What it is of comes from words after the figure ('10 lb/h per unit', PER_WORDS) or ``per`` (a preset's key, one
    of PER); a limit that says neither is the whole facility's, as it always was. The two must agree where both are given.
    """
    text = str(text).strip()
    check_pollutant(pollutant, where=where)
    per = str(per).strip().lower()
    if per and per not in PER:
        raise InputError(f"per = '{per}' is not allowed: say whether the limit is of each unit or of the whole facility "
                         f"(per = \"unit\" or \"facility\")", where=f"{where}.per", usage=True)
    figure, said = split_per(text, where=where)
    if per and said and per != said:
        raise InputError(f"'{text}' is per {said}, but per = \"{per}\": say it once", where=where, usage=True)
    per = per or said
    basis = {"per": per or "facility", "per_stated": bool(per)}
    if not figure:
        raise InputError(f"'{text}' has no figure; give e.g. '10 lb/h per unit'", where=where, usage=True)
    if units.parse_concentration(figure, where=where) is not None:
        f = parse_factor(pollutant, figure, where=where, source=source, status=status, layer="cli")
        return Limit(pollutant, "input", f.value, text, source, status, **basis)
    p = units.parse(figure, where=where)
    calendar = [d for d in p.denominators if d in CALENDAR_PERIODS]
    if calendar:  # read as a rate, 87 ton/month would be a 1,044 tpy cap, which a 200-ton month would still meet
        raise InputError(f"{pollutant}: '{text}' is a cap per {calendar[0]}, which emiss does not compare: give the permit's annual "
                         "cap in tons per year ('87 tpy', a 12-month sum) or its hourly rate ('20 lb/h')", where=where, usage=True)
    form = unit_form(p.unit)
    if form is not None and form[0] == "output":  # lb/MWh of electricity made: converted as heat input it is ~3x too lax
        raise InputError(f"{pollutant}: '{text}' is per unit of energy output (an output-based limit, per MWh or bhp-hr made), which emiss does not "
                         "compare: give the permit's limit per heat input ('0.01 lb/MMBtu', '2 ppmvd@15%O2'), its hourly "
                         "rate ('20 lb/h') or its annual cap ('87 tpy')", where=where, usage=True)
    short_period = any(d in ("hour", "minute", "second", "day") for d in p.denominators)  # 'lb/h' is an hourly limit
    kinds = (("hourly", "lb/hour"), ("annual", "lb/year")) if short_period else (("annual", "lb/year"), ("hourly", "lb/hour"))
    for kind, unit in kinds + (("input", "lb/MMBtu"),):
        try:
            value = p.number * units.multiplier(p.unit, unit)
        except units.DimensionError:
            continue
        if value <= 0:
            raise InputError(f"'{text}' must be more than zero", where=where, usage=True)
        return Limit(pollutant, kind, value, text, source, status, **basis)
    raise InputError(f"'{text}' is not a limit; give tons per year ('87 tpy'), a rate ('20 lb/h'), or per heat input "
                     "('0.01 lb/MMBtu', '2 ppmvd@15%O2')", where=where, usage=True)


# What a kind of limit holds, in the words of the one-line refusal of two of it for one pollutant.
KIND_WORDS = {"annual": "a cap per year", "hourly": "an hourly limit", "input": "a limit per heat input (lb/MMBtu, ppmvd)"}


def parse_limits(items: Sequence[tuple[str, Any]], *, where: str = "--limit") -> tuple[Limit, ...]:
    """Read the POLLUTANT=QTY pairs of --limit, refusing two of one kind for one pollutant.

    A permit may hold an annual cap and a short-term limit (lb/h, ppmvd) for one pollutant, each judged on its own;
    two of the same kind (both tons per year of the facility, say) would leave which one holds to a silent choice.
    The kind is what the limit limits (a year's mass, an hour's, a mass per heat input) and, for a mass, of what:
    each unit or the facility (a limit per heat input is the same for a unit and for the facility)."""
    out = tuple(parse_limit(pollutant, text, where=where) for pollutant, text in items)
    one_of_a_kind(out, [where] * len(out), usage=True)
    return out


def one_of_a_kind(limits: Sequence[Limit], wheres: Sequence[str], *, usage: bool) -> None:
    """Refuse two limits of one kind for one pollutant (parse_limits' rule), naming the second by its ``wheres`` entry:
    the option (a usage error) or a preset's file and key (its data)."""
    seen: dict[tuple[str, str, str], Limit] = {}
    for lim, where in zip(limits, wheres):
        key = _kind(lim)
        if key in seen:
            of = "" if lim.kind == "input" else " of each unit" if lim.per == "unit" else " of the facility"
            raise InputError(f"{lim.pollutant}: '{seen[key].text}' and '{lim.text}' are both {KIND_WORDS[lim.kind]}{of}; "
                             "give one", where=where, usage=usage)
        seen[key] = lim


def _kind(lim: Limit) -> tuple[str, str, str]:
    """What a limit limits, for one pollutant: the kind, and for a mass, of each unit or of the facility."""
    return lim.pollutant, lim.kind, "" if lim.kind == "input" else lim.per


def on_top(preset: Sequence[Limit], given: Sequence[Limit]) -> tuple[Limit, ...]:
    """Return a preset's limits with those given on top: a given limit replaces the preset's of its kind for its
    pollutant, in its place (as any option replaces a preset's value; two of one kind given are refused,
    ``one_of_a_kind``), the rest kept.

    'estimate --preset memphis-2025-permit --limit nox="90 tpy"' judged both the permit's 87 tpy and the 90 given, and
    the screening held NOx at the lower; 'track' already replaced the preset's cap."""
    left = {_kind(lim): lim for lim in given}
    kept = tuple(left.pop(_kind(lim), lim) for lim in preset)  # replaced in its place, so tables keep the preset's order
    return kept + tuple(lim for lim in given if _kind(lim) in left)
