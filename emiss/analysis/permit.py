"""For the permit engineer: limits from a permit compared with the estimate, and the operating limit that keeps
every pollutant under a set of thresholds (a synthetic-minor limit, as far as the numbers go)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from emiss import data
from emiss.core import units
from emiss.core.calc import REL_NOISE, annual_caps, applicable_thresholds, as_limited, enforceable_caps, estimate
from emiss.core.outputs import pounds, short_tons
from emiss.errors import InputError
from emiss.inputs.permit_limits import Limit
from emiss.core.model import Path, Result, Scenario

SETS = ("title-v", "psd", "hap", "psd-ser", "limits")
VARY = ("hours", "capacity-factor", "fuel")
DISCLAIMER = ("An operating limit found here is only what the numbers allow: whether a limit is enforceable as a "
              "practical matter (monitoring, recordkeeping, reporting) is the permitting authority's call.")


_KIND_UNIT = {"annual": "pound / year", "hourly": "pound / hour", "input": "pound / megabritish_thermal_unit"}


def compare(result: Result, limit: Limit) -> dict[str, Any]:
    """Compare one limit with the estimate: the estimate in the limit's terms, the margin, and whether it is within.

    A limit per unit (``per`` "unit") is compared with the unit that emits the most in its terms (``group`` names its
    group); one for the facility (``per`` "facility", also what a limit that says neither is read as) with the whole
    facility's figure. ``note`` says, for an hourly limit read for a facility of several units without saying so, that
    permits usually state hourly limits per unit ('' otherwise).
    """
    # 'complete' below is whether the figure is the total: not a lower bound, of units without a factor or of a
    # guarantee that does not hold where a unit runs ('at least'), which was called 'within' its limit
    e = result.emissions[limit.pollutant]
    group = None
    if limit.per == "unit":
        est, group = unit_estimate(result, limit)
    elif limit.kind == "annual":
        est = e.lb_per_year
    elif limit.kind == "hourly":
        est = e.lb_per_hour
    else:
        est = e.lb_per_hour * result.hours / result.heat_input_mmbtu if result.heat_input_mmbtu else 0.0  # at full load, events aside
    return {"pollutant": limit.pollutant, "kind": limit.kind, "limit": {"value": limit.value, "unit": _KIND_UNIT[limit.kind],
            "as_given": limit.text}, "estimate": {"value": est, "unit": _KIND_UNIT[limit.kind]},
            "margin": {"value": limit.value - est, "unit": _KIND_UNIT[limit.kind]}, "within": est <= limit.value * (1 + REL_NOISE),
            "complete": not e.lower_bound, "source": limit.source, "status": limit.status, "per": limit.per, "group": group,
            "note": bare_hourly_note(result, limit) or bare_rate_note(result, limit, est)}


def unit_estimate(result: Result, limit: Limit) -> tuple[float, str | None]:
    """Return the estimate of the unit that emits the most in a per-unit limit's terms (lb/yr with its startups and
    shutdowns, lb/h at full load, or lb/MMBtu at full load), and the name of its group (None: no group has a factor)."""
    p = limit.pollutant
    worst: tuple[float, str | None] = (0.0, None)
    for g in result.groups:
        if p not in g.lb_per_year or not g.count:
            continue
        if limit.kind == "annual":
            each = g.lb_per_year[p] / g.count
        elif limit.kind == "hourly":
            each = g.lb_per_hour[p] / g.count
        else:
            each = g.lb_per_hour[p] / g.heat_input_mmbtu_h if g.heat_input_mmbtu_h else 0.0
        if worst[1] is None or each > worst[0]:
            worst = (each, g.name)
    return worst


def units_of(result: Result) -> Any:
    """Return how many emission units the estimate's fleet has (every group's count)."""
    return sum(g.count for g in result.groups)


def bare_hourly_note(result: Result, limit: Limit) -> str:
    """Say that an hourly limit which does not say what it is of was read for the whole facility, where the facility has
    several units (permits usually state hourly limits per unit); '' otherwise."""
    n = units_of(result)
    if limit.kind != "hourly" or limit.per_stated or getattr(n, "ndim", 0) or not n > 1:
        return ""
    return (f"the {limit.pollutant} limit '{limit.text}' is read for the whole facility (all {n:,.6g} units together, "
            f"{limit.value / n:,.4g} lb/h each); permits usually state hourly limits per unit: if this one is, give "
            f"{limit.pollutant}='{limit.text} per unit' (in a preset's [[limits]]: per = \"unit\"); "
            f"'{limit.text} per facility' says the whole facility")


def bare_rate_note(result: Result, limit: Limit, average: float) -> str:
    """Say that a limit per heat input (lb/MMBtu, ppm) which does not say what it is of was compared with the facility's
    average rate, where a unit runs above the limit although the average is within it (unlike groups: the 0.008
    lb/MMBtu PM of memphis is met on average, 0.0077, but its gensets run at 0.0100); '' otherwise."""
    if limit.kind != "input" or limit.per_stated or len(result.groups) < 2 or average > limit.value * (1 + REL_NOISE):
        return ""
    worst, group = unit_estimate(result, limit)
    if group is None or getattr(worst, "ndim", 0) or not worst > limit.value * (1 + REL_NOISE):
        return ""
    return (f"the {limit.pollutant} limit '{limit.text}' is read for the whole facility and met by its average rate "
            f"({average:.4g} lb/MMBtu), but {group} run at {worst:.4g} lb/MMBtu, above it; a limit per unit of heat "
            f"input usually applies to each unit: if this one does, give {limit.pollutant}='{limit.text} per unit' "
            f"(in a preset's [[limits]]: per = \"unit\")")


@dataclass(frozen=True)
class Implied:
    """What an annual cap on one pollutant implies for the input it constrains, everything else held as estimated."""

    pollutant: str
    cap_lb: float  # the cap, lb/yr
    estimate_lb: float  # the pollutant as estimated, lb/yr (startups and shutdowns included)
    event_lb: float  # of estimate_lb, what startups and shutdowns give (held as they are)
    present_lb_per_mmbtu: float  # the fleet-average rate per heat input (HHV) outside the events now
    lb_per_mmbtu: float  # the fleet-average rate that meets the cap at the estimate's hours (negative: the events alone exceed it)
    ppmvd: float | None  # lb_per_mmbtu as ppmvd@15%O2 (EPA Method 19), where defined for the pollutant
    present_ppmvd: float | None
    hours: float | None  # hours/yr at the present rates that meet the cap (None: the pollutant has no hourly emissions)
    binds: bool  # the estimate is above the cap: the cap, not the equipment as modelled, sets the PTE
    text: str  # one line for people
    says: str = ""  # the same without its subject ("implies 0.00809 lb/MMBtu (3.6 ppmvd@15%O2) at 8,760 h/yr, ...")


def hours_allowed(hours: float) -> str:
    """Return hours a cap allows for people: rounded down, as ``emiss limit`` shows them (8,335.7 h is '8,335', since
    8,336 h would cross the cap)."""
    return f"{math.floor(hours):,}"


PPM_DIGITS = 2  # significant figures of a cap's implied ppm, as a permit writes a level ('3.6 ppm'), unless more are needed


def implied_by_cap(result: Result, pollutant: str, cap_lb_per_year: float) -> Implied:
    """Return what an annual cap on ``pollutant`` implies, at the scenario of ``result``.

    The cap constrains the pollutant's rate per heat input (the emission level the equipment must reach at the
    estimate's hours: 94 tpy of CO for the 15 SMT-130s of the 2025 permit at 8,760 h is about 3.6 ppmvd@15%O2,
    a catalyst level) or, at the present rate, the hours a year. Startup and shutdown emissions are held as they are.
    ``claims`` calls this for a claim of kind 'cap'; ``screening`` shows it beside each enforceable limit.
    """
    from emiss.core.factors import concentration_to_input

    e = result.emissions[pollutant]
    total, events = float(e.lb_per_year), float(e.lb_startup)
    heat = float(result.heat_input_mmbtu)
    normal = total - events
    per_hour = float(e.lb_per_hour)  # full load, events aside: the year is per_hour x hours + (the events, less the hours they replace)
    present = per_hour * float(result.hours) / heat if heat else 0.0
    needed = present * (cap_lb_per_year - events) / normal if normal > 0 else (math.inf if cap_lb_per_year >= events else -1.0)
    one_ppm = None
    if data.concentration_mw_key(pollutant):
        one_ppm = concentration_to_input(pollutant, units.Concentration(1.0, 15.0), where="cap")  # lb/MMBtu per ppmvd@15%O2
    ppm = needed / one_ppm if one_ppm else None
    ppm_now = present / one_ppm if one_ppm else None
    hours = (cap_lb_per_year - (total - per_hour * float(result.hours))) / per_hour if per_hour > 0 else None
    tons = short_tons(cap_lb_per_year)
    if needed < 0:
        says = f"is below what startups and shutdowns alone give ({short_tons(events):.4g} tpy)"
    elif math.isinf(needed):  # nothing emitted in normal operation (NH3 without SCR): no rate, however high, reaches it
        says = f"limits no rate here: the units emit no {data.pollutant_name(pollutant, in_text=True)} in normal operation"
    else:
        digits = PPM_DIGITS
        # two figures unless they hide the difference: 87 tpy of NOx implies 2.03 ppm against the 2 ppm used, which two
        # figures print as '2' and '2' beside '2% above'; then as many as tell them apart (up to the lb/MMBtu's three)
        while ppm is not None and ppm_now is not None and digits < 3 and f"{ppm:.{digits}g}" == f"{ppm_now:.{digits}g}":
            digits += 1
        level = f"{needed:.3g} lb/MMBtu" + (f" ({ppm:.{digits}g} ppmvd@15%O2)" if ppm is not None else "")
        # the rate used here to three figures, as the pte table converts it ('0.295 ppmvd@15%O2'): at two the same
        # factor read 0.3 in this sentence and 0.295 in the table above it
        now = f"{present:.3g} lb/MMBtu" + (f" ({ppm_now:.3g} ppmvd@15%O2)" if ppm_now is not None else "")
        says = f"implies {level} at {float(result.hours):,.0f} h/yr"
        if present > 0:
            change = needed / present - 1
            if f"{abs(change):.0%}" == "0%":  # a cap at the estimate (or within half a percent) said '0% above' it
                says += f", {'the same as' if abs(change) <= REL_NOISE else 'within 1% of'} the {now} used here"
            else:
                says += f", {abs(change):.0%} {'below' if change < 0 else 'above'} the {now} used here"
        if hours is not None and hours < float(result.hours):
            says += f"; at the level used here, {hours_allowed(hours)} h/yr"
    text = f"the {tons:.4g} tpy {data.pollutant_name(pollutant, in_text=True)} cap {says}"
    return Implied(pollutant, cap_lb_per_year, total, events, present, needed, ppm, ppm_now, hours,
                   total > cap_lb_per_year * (1 + REL_NOISE), text, says)


@dataclass(frozen=True)
class OperatingLimit:
    """The largest operation that keeps every pollutant of a set under its threshold."""

    vary: str
    value: float
    unit: str
    binding: str  # pollutant id
    threshold_lb: float
    threshold_name: str
    margins: dict[str, float]  # pollutant -> lb/yr left under its threshold at the limit
    status: str  # "limit", "no limit needed", "infeasible"
    message: str
    result: Result  # the estimate at the limit (or at full operation)
    thresholds: dict[str, float] = field(default_factory=dict)  # pollutant -> its threshold, lb/yr
    under: tuple[str, ...] = ()  # the sets of thresholds asked for (SETS)

    def share(self, p: str) -> float:
        """Return the share of its threshold pollutant ``p`` takes at the operation found (0 when it is not known)."""
        t = self.thresholds.get(p)
        return (t - self.margins[p]) / t if t else 0.0

    def order(self) -> list[str]:
        """Return the pollutants nearest their threshold first: the one that binds (or is over, or the closest: the
        largest share), then by share of the threshold."""
        return sorted(self.margins, key=lambda p: (p != self.binding, -self.share(p)))


TITLE_V_HAP = ("hap_single", "hap_combined")  # a HAP major source needs a Title V permit too (CAA s.501(2)(B), 40 CFR 70.2)


def _targets(sc: Scenario, under: tuple[str, ...], limits: tuple[Limit, ...]) -> dict[str, tuple[float, str]]:
    """Return pollutant -> (lowest annual threshold in lb/yr, its name) for the sets in ``under``.

    'title-v' takes in the HAP major-source thresholds (10 tpy of one HAP, 25 tpy combined): a major source of
    HAPs needs a Title V permit as a major source of a criteria pollutant does. PSD is at 250 tpy unless the
    scenario states one of the listed source categories (then 100 tpy).
    """
    out: dict[str, tuple[float, str]] = {}
    for t in applicable_thresholds(sc.area, sc.psd_category):
        if t.set in under or ("title-v" in under and t.id in TITLE_V_HAP):
            name = f"{t.program} ({t.value:,g} tpy)"
            if t.id in TITLE_V_HAP and "title-v" in under and "hap" not in under:
                name = f"Title V, as a {t.program} ({t.value:,g} tpy)"
            for p in t.pollutants:
                lb = pounds(t.value)
                if p not in out or lb < out[p][0]:
                    out[p] = (lb, name)
    if "limits" in under:
        for lim in limits:
            if lim.kind != "annual":
                continue
            value = lim.for_facility([g.count for g in sc.groups])
            if value is None:  # the search follows the facility's totals: a cap on each of unlike units is none of them
                raise InputError(f"{lim.pollutant}: the permit limit '{lim.shown}' holds each unit, and the fleet's "
                                 f"groups ({', '.join(g.name for g in sc.groups)}) are unlike: --under limits searches "
                                 "the facility's annual totals, so give the facility's cap (tpy, without 'per unit'), "
                                 "or one group", where="--under", usage=True)
            if lim.pollutant not in out or value < out[lim.pollutant][0]:
                out[lim.pollutant] = (value, f"permit limit {lim.shown}")
    return out


def _no_annual_limit(limits: tuple[Limit, ...]) -> None:
    """Refuse '--under limits' with no annual limit to stay under (every other set has annual thresholds). A rate
    (lb/h, lb/MMBtu, ppm) holds in every hour the units run: fewer hours never bring a rate under it, and an answer in
    hours from 8,760 h x lb/h would let the units run over their rate in each of those hours, so none is given."""
    others = ", ".join(s for s in SETS if s != "limits")
    rates = [f"{lim.pollutant} {lim.shown}" for lim in limits if lim.kind != "annual"]
    if rates:
        raise InputError(f"limits: the permit limits here are rates ({'; '.join(rates)}), which hold in every hour the units "
                         "run, so no number of hours brings them under; give an annual limit (e.g. --limit nox='87 tpy') "
                         f"or thresholds ({others}); 'emiss estimate --limit' compares a rate with the fleet",
                         where="--under", usage=True)
    raise InputError(f"limits: no permit limit is given; give an annual one (e.g. --limit nox='87 tpy', or [[limits]] in "
                     f"the preset) or thresholds ({others})", where="--under", usage=True)


def _event_hours(sc: Scenario) -> float:
    """Return the most hours a year any unit spends in startups and shutdowns with event emissions (its floor of operation)."""
    most = 0.0
    for g in sc.groups:
        su = g.startup
        if su is not None and su.lb_per_event:
            most = max(most, su.hours if su.per == "unit" else su.hours / float(g.count))
    return most


def _caps(sc: Scenario, targets: dict[str, tuple[float, str]]) -> tuple[Limit, ...]:
    """Return the scenario's enforceable limits that cap the potential to emit compared with ``targets``.

    The PTE is the estimate as its enforceable limits cap it (40 CFR 52.21(b)(4); 40 CFR 70.2 'potential to emit'), as
    the screening reads it: a pollutant held under a threshold by a cap needs no operating limit. An annual limit at or
    above a pollutant's target cannot bring it under that target, and one that is itself the target (--under limits:
    the hours that meet the permit's cap) must not cap what is compared with it, so those are left out.
    """
    counts = [g.count for g in sc.groups]
    return tuple(lim for lim in sc.limits
                 if not (lim.kind == "annual" and lim.pollutant in targets and (v := lim.for_facility(counts)) is not None
                         and v >= targets[lim.pollutant][0]))


def _limited(r: Result, caps: tuple[Limit, ...]) -> dict[str, float]:
    """Return pollutant -> lb/yr of the PTE as ``caps`` limit it (the estimate where no cap is lower).

    An hourly or per-heat-input cap scales the hours outside startups and shutdowns by a factor that does not change
    with the hours, so the limited PTE stays linear in operation, as the estimate is.
    """
    held = enforceable_caps(r.emissions, caps, r.heat_input_mmbtu, r.groups)
    return {p: as_limited(e, held.get(p)) for p, e in r.emissions.items()}


def _partial(r: Result, targets: dict[str, tuple[float, str]], caps: tuple[Limit, ...] = ()) -> str:
    """Say which target pollutant's total is only a lower bound (units without a factor, a guarantee that does not hold
    where the unit runs), and why; '' when every total is whole. Hours found from a lower bound are only an upper
    bound on what the pollutant allows. An annual cap under the target (in ``caps``) holds it whatever is left out."""
    held = annual_caps(caps, r.groups)
    for p in targets:
        e = r.emissions[p]
        if e.lower_bound and p not in held:
            return f"{data.pollutant_name(p)}: its total is only a lower bound ({e.lower_bound})"
    return ""


def _over(r: Result, targets: dict[str, tuple[float, str]], caps: tuple[Limit, ...] = ()) -> list[str]:
    """Return the pollutants whose PTE (as ``caps`` limit it) is at or above their threshold (a major-source threshold
    is '... or more')."""
    lb_now = _limited(r, caps)
    return [p for p, (lb, _) in targets.items() if not lb_now[p] < lb]


def operating_limit(sc: Scenario, *, under: tuple[str, ...], vary: str = "hours", limits: tuple[Limit, ...] = ()) -> OperatingLimit:
    """Find the largest hours/yr (or capacity factor, or fuel) that keeps every pollutant under its threshold.

    Emissions are linear in operation above the hours of the startups and shutdowns: lb(h) = a x h + b (b is what
    the events add, less the normal hours they replace); so each pollutant allows h = (T - b) / a, the smallest
    binds. Each pollutant is the PTE as the scenario's enforceable limits cap it (``_caps``), as estimate's screening
    reads it. That h is then stepped down toward safety until the recomputed PTE, at the value as reported (hours,
    or capacity factor), is under every threshold: fed back into ``estimate``, its screening holds (and
    ``--fail-above``, which reads the estimate before caps, for every pollutant no cap holds under its threshold).
    """
    bad = [u for u in under if u not in SETS]
    if not under:
        raise InputError(f"no set given; give one or more of {', '.join(SETS)}, comma-separated", where="--under", usage=True)
    if bad:
        raise InputError(f"unknown set '{bad[0]}'; known: {', '.join(SETS)}", where="--under", usage=True)
    if vary not in VARY:
        raise InputError(f"cannot vary '{vary}'; known: {', '.join(VARY)}", where="--vary", usage=True)
    targets = _targets(sc, under, limits)
    if not targets:
        _no_annual_limit(limits)
    year = sc.year_hours
    floor = _event_hours(sc)
    caps = _caps(sc, targets)
    r = estimate(sc.with_values({("hours",): year}), screen_thresholds=False)
    low = (year + floor) / 2
    r_low = estimate(sc.with_values({("hours",): low}), screen_thresholds=False)
    at_year, at_low = _limited(r, caps), _limited(r_low, caps)
    allowed: dict[str, float] = {}
    for p, (lb, _) in targets.items():
        top, bottom = at_year[p], at_low[p]
        slope = (top - bottom) / (year - low)
        allowed[p] = math.inf if slope <= 0 else year - (top - lb) / slope
    binding = min(allowed, key=lambda p: allowed[p])
    hours = allowed[binding]
    lb, name = targets[binding]
    path, to_value = (("capacity_factor",), 1 / year) if vary == "capacity-factor" else (("hours",), 1.0)
    if not _over(r, targets, caps) and (partial := _partial(r, targets, caps)):
        raise InputError(f"{partial}, so it cannot be shown to stay under all year (the screening never calls such a "
                         "total below a threshold)")
    if not _over(r, targets, caps):
        status, msg = "no limit needed", f"every pollutant stays under at {year:,.0f} h/yr"
        # the closest is the largest share of its threshold all year, as the table orders them: the hours each would
        # allow are a line drawn past the year, through any cap that holds it (a cap at 73 tpy never reaches 100)
        binding = max(targets, key=lambda p: at_year[p] / targets[p][0])
        x, at = year * to_value, estimate(sc.with_values({("hours",): year}))
    elif hours > floor and (partial := _partial(r, targets, caps)):
        raise InputError(f"{partial}, so no operating limit can be shown to keep it under (the screening never calls "
                         "such a total below a threshold)")
    elif hours <= floor:
        status = "infeasible"
        msg = (f"{data.pollutant_name(binding)} is over its threshold even at the least operation ({floor:,.4g} h/yr, "
               f"{'the hours of its startups and shutdowns' if floor else 'zero hours'}): no operating limit keeps it under")
        x, at = floor * to_value, estimate(sc.with_values({("hours",): max(floor, 1e-9)}))
    else:
        status, msg = "limit", f"{data.pollutant_name(binding)} binds: {name}"
        x, at = _hold(sc, path, min(hours, year) * to_value, targets, caps)
    at_lb = _limited(at, caps)
    margins = {p: lb_t - at_lb[p] for p, (lb_t, _) in targets.items()}
    if vary == "fuel":
        value, unit = at.fuel_scf, "foot ** 3 / year"  # standard cubic feet
    else:
        value, unit = x, ("dimensionless" if vary == "capacity-factor" else "hour / year")
    return OperatingLimit(vary, value, unit, binding, lb, name, margins, status, msg, at,
                          thresholds={p: lb_t for p, (lb_t, _) in targets.items()}, under=tuple(under))


def _hold(sc: Scenario, path: Path, x: float, targets: dict[str, tuple[float, str]],
          caps: tuple[Limit, ...] = ()) -> tuple[float, Result]:
    """Step ``x`` (hours or capacity factor) down toward safety until the recomputed PTE (as ``caps`` limit it) is
    under every threshold."""
    step = math.ulp(x)
    for _ in range(200):
        r = estimate(sc.with_values({path: x}), screen_thresholds=False)
        if not _over(r, targets, caps):
            return x, estimate(sc.with_values({path: x}))  # the answer's estimate, screened
        x -= step
        step *= 2
    raise InputError("no operation keeps every pollutant under (the estimate does not fall with operation)", where="--vary")
