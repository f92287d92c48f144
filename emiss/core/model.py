"""Input and result types. Magnitudes are plain floats (or numpy arrays, for Monte Carlo) in the unit each field names.

``Spec`` and ``GroupSpec`` hold inputs as given (before validation); ``Scenario`` holds validated inputs
and is frozen: a varied copy is a new value made by ``Scenario.with_values``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Mapping, Union

if TYPE_CHECKING:
    import numpy as np

# A magnitude: one value, or one value per Monte Carlo sample.
Num = Union[float, "np.ndarray"]
# Where an input sits in a Scenario: ("group", i, attr), ("factor", i | "fleet", pollutant) or (attr,).
Path = tuple[Any, ...]

# Where a value came from, in increasing precedence.
LAYERS = ("built-in", "catalog", "preset", "cli", "record")


@dataclass(frozen=True)
class Given:
    """A raw value as a user, preset or the library gave it, with where it came from."""

    value: Any
    source: str
    layer: str
    status: str = "user"
    note: str = ""
    where: str = ""
    dist: tuple[str, dict[str, Any]] | None = None  # (kind, raw parameters) when the value is uncertain

    @property
    def rank(self) -> int:
        """Return the precedence of this value's layer (higher wins)."""
        return LAYERS.index(self.layer)

    @property
    def usage(self) -> bool:
        """Return whether a problem with this value is a command-line usage error (exit 2)."""
        return self.layer == "cli"


@dataclass(frozen=True)
class Claim:
    """A published figure: what it speaks of, its value (or range, or bound), who said it, when, and where."""

    output: str  # an output id of the catalogue (e.g. "nox", "households", "capacity", "units")
    low: float  # in the output's catalogue unit; low == high for a single figure
    high: float
    relation: str  # "about", "at least", "at most", "range"
    text: str  # the figure as published, e.g. "1200..2100 short_ton/year"
    who: str
    when: str
    source: str
    quote: str = ""
    status: str = "reported"
    tolerance: float = 0.10  # relative; a figure within it is "consistent"; claims.py always passes its own (DEFAULT_TOLERANCE)
    given: tuple[tuple[str, Any], ...] = ()  # a condition of the claim, as overrides (e.g. "if every unit ran at 2 ppm")
    note: str = ""
    kind: str = "point"  # "point", "at-least", "at-most", "range" or "cap" (a permit limit the plant must meet)
    tolerance_abs: float | None = None  # a point's tolerance as a quantity in the output's catalogue unit (else ``tolerance``)
    quantum: float | None = None  # the published figure's last digit, in the catalogue unit: comparisons are made at it
    scope: str = ""  # the preset the claim is about (empty: whichever carries it)
    about: str = ""  # what the claim is about, in words (printed when it is not comparable here)
    implies: str = ""  # the input the claim's source speaks of, tried first for "what it would take"
    basis: str = ""  # a households claim's basis: capacity, energy or co2


@dataclass(frozen=True)
class Startup:
    """Startups and shutdowns of a group: how many a year, their hours, and pounds per event by pollutant.

    ``per`` says what the counts are of, as the preset states it (``events_per``): "unit" (each unit of the group
    has ``events`` a year, ``hours`` in all) or "facility" (the group as a whole has them). Event hours are part of
    the operating hours: for a pollutant with event emissions they replace normal hours, they never add to them.
    """

    events: float  # per year, per unit or for the group (``per``)
    hours: float  # per year, all events together, per unit or for the group (``per``)
    lb_per_event: Mapping[str, float]
    source: str
    status: str
    per: str = "unit"  # "unit" or "facility"


@dataclass
class GroupSpec:
    """One fleet group as given, before validation."""

    name: str
    fields: dict[str, Given] = field(default_factory=dict)
    factors: dict[str, Given] = field(default_factory=dict)
    where: str = ""
    replaced: dict[str, Given] = field(default_factory=dict)  # the group's own values a fleet-wide one replaced, by field


@dataclass
class Spec:
    """All the layered inputs of a scenario, before validation."""

    name: str = "custom"
    title: str = ""
    description: str = ""
    location: str = ""
    notes: list[str] = field(default_factory=list)
    fleet: list[GroupSpec] = field(default_factory=list)
    settings: dict[str, Given] = field(default_factory=dict)
    factors: dict[str, Given] = field(default_factory=dict)
    path: str = ""
    egrid_subregion: str = ""
    date: str = ""
    claims: list[Claim] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)  # named variations a check shows beside the claims
    limits: list[dict[str, Any]] = field(default_factory=list)  # permit limits as given ([[limits]])
    site: dict[str, str] = field(default_factory=dict)  # where the site is: fips, state, county

    def copy(self) -> Spec:
        """Return a copy whose containers can be changed without touching this one."""
        return replace(
            self,
            notes=list(self.notes),
            fleet=[replace(g, fields=dict(g.fields), factors=dict(g.factors), replaced=dict(g.replaced)) for g in self.fleet],
            settings=dict(self.settings),
            factors=dict(self.factors),
        )


@dataclass(frozen=True)
class Uncertain:
    """An input given as a range or distribution: where it goes in the Scenario, and its Dist."""

    name: str
    path: Path
    dist: Any
    central: float
    unit: str
    source: str


@dataclass(frozen=True)
class Assumption:
    """One input of the estimate as the output shows it."""

    name: str
    value: Any
    unit: str
    source: str
    layer: str
    status: str
    note: str = ""


# The source shown for an operation a command found (emiss solve --vary hours, emiss limit) rather than one given.
OPERATION_SOURCE = "the operation the command solved for (emiss solve, limit), not an input"

FORM_UNITS = {"input": "lb/MMBtu", "output": "lb/MWh", "time": "lb/hour", "fuel": "lb/scf"}


@dataclass(frozen=True)
class Factor:
    """An emission factor, normalised to one of four forms.

    form "input": lb per MMBtu of heat input (HHV); "output": lb per MWh generated;
    "time": lb per operating hour per unit; "fuel": lb per scf of fuel.
    """

    pollutant: str
    form: str
    value: Num
    text: str
    source: str
    status: str
    layer: str
    note: str = ""
    filterable_share: float | None = None  # PM: the filterable share of the total, where the source splits it

    @property
    def rank(self) -> int:
        """Return the precedence of this factor's layer (higher wins)."""
        return LAYERS.index(self.layer)

    @property
    def unit(self) -> str:
        """Return the unit of ``value``."""
        return FORM_UNITS[self.form]


def factor_taken(own: Factor | None, fleet: Factor | None) -> Factor | None:
    """Return the factor a group uses for one pollutant: its own, unless a fleet-wide one was given at a higher layer
    (a record's or the command line's '--factor nox=...' over a preset group's own)."""
    return own if own is not None and (fleet is None or own.rank >= fleet.rank) else fleet


@dataclass(frozen=True)
class Group:
    """Identical units sharing capacity, heat rate and factors."""

    name: str
    kind: str
    count: Num
    capacity_kw: Num
    heat_rate_hhv: Num  # Btu per kWh, HHV
    control: str
    model: str = ""
    factors: Mapping[str, Factor] = field(default_factory=dict)
    heat_rate: Num = 0.0  # Btu per kWh on the basis below, as given
    basis: str = "hhv"
    engine_type: str = ""  # engines: 2slb, 4slb or 4srb (AP-42 s.3.2); "" for turbines
    startup: Startup | None = None
    output_fraction: Num = 1.0  # output while running, as a fraction of rated: ambient derate x load
    hr_factor: Num = 1.0  # heat rate multiplier for ambient temperature and part load (1 at ISO, full load)
    load_band: str = "full"  # AP-42 s.3.2 engine load band: "full" (90-105 %) or "part" (below 90 %)
    combustor: str = ""  # turbines: diffusion, water-steam or dry-low-nox (the level before add-on controls); "" for engines
    control_rank: int = 0  # the layer rank of the add-on control: a factor given at this layer or above is the level after it
    control_levels: Mapping[str, Factor] = field(default_factory=dict)  # the unit's own levels after its add-on (catalog)
    outside_premix: str = ""  # why a dry-low-NOx combustor's guaranteed levels do not hold here ("" when they do)
    combustor_set: tuple[str, ...] = ()  # pollutants whose factor the combustor set: levels before add-on controls at any layer
    unit_ids: tuple[str, ...] = ()  # the permit's emission-unit ids, one per unit (empty: none given)
    stack: Mapping[str, Any] | None = None  # stack parameters for dispersion modelling (presets.STACK_KEYS), with source
    curve: str = ""  # the maker's performance curve (performance.toml) the unit's ambient derate reads, "" if none
    rating_kw: Num = 0.0  # a catalog model's rated capacity per unit, to compare a capacity given with (0: no model)

    @property
    def unit_type(self) -> str:
        """Return what an add-on control's effects are keyed by: 'turbine' or the engine type."""
        return self.engine_type if self.kind == "engine" else "turbine"

    @property
    def library_row(self) -> str:
        """Return the AP-42 Table 3.1-1 row of this unit's combustor (engines: 'uncontrolled', AP-42 s.3.2)."""
        from emiss.data import COMBUSTOR_ROWS

        return COMBUSTOR_ROWS.get(self.combustor, "uncontrolled")


@dataclass(frozen=True)
class Scenario:
    """Validated inputs of one estimate."""

    name: str
    title: str
    groups: tuple[Group, ...]
    hours: Num  # equivalent full-load hours per year
    capacity_factor: Num
    operation_basis: str
    fleet_factors: Mapping[str, Factor]
    fuel_hhv: float  # MMBtu per scf
    household_use_kwh: Num  # kWh per home per year
    household_demand_kw: Num  # kW per home
    households_method: str  # "energy", "capacity" or "co2"
    gwp_set: str
    gwp_ch4: float
    gwp_n2o: float
    mass_unit: str
    assumptions: tuple[Assumption, ...]
    notes: tuple[str, ...] = ()
    description: str = ""
    hhv_lhv: Num = 1.0
    year_hours: float = 8760.0  # hours in the modelled year (constants.toml hours_per_year)
    egrid_subregion: str = ""
    uncertain: tuple[Uncertain, ...] = ()
    warnings: tuple[str, ...] = ()
    # of the warnings, those that follow from one input's value (an unusual value, a factor per year): a batch row
    # set into this scenario's shape with other values says its own instead
    value_warnings: tuple[str, ...] = ()
    area: str = "attainment"  # ozone classification of the site, for the screening thresholds
    methane_basis: str = "reporting"  # which methane emissions.ch4 and co2e carry: "reporting" or "physical"
    household_co2_lb: float = float("nan")  # lb CO2 per home per year (co2 view; constants.toml home_energy_co2)
    upstream_leak: Num = 0.0  # share of the methane in the gas produced lost before the site (0: not asked)
    upstream_leak_source: str = ""
    gwp_horizon: int = 100  # years of the GWP set
    date: str = ""  # when the scenario describes (a preset's [preset] date)
    claims: tuple[Claim, ...] = ()
    limits: tuple[Any, ...] = ()  # inputs.permit_limits.Limit: enforceable limits from a permit: compared with the estimate, cap the PTE
    psd_category: str = ""  # one of the 28 PSD source categories listed in 40 CFR 52.21(b)(1)(i)(a), where the preset states one
    site: tuple[tuple[str, str], ...] = ()  # fips, state, county (for the COBRA export)
    nox_basis: str = "ap42"  # turbine NOx from AP-42 or from the measured classes (--basis)
    co2_basis: str = "part98"  # CO2 from 40 CFR 98 or from monitored units, Part 75 (--co2-basis)
    load: float | None = None  # the units' load (--load), a fraction of available output; None: full load

    def _operation_changes(self, hours: Num, cf: Num, *, by_capacity_factor: bool) -> dict[str, Any]:
        """Return the operation's description and assumption row for one new operation (solve, limit): a copy at
        1,114 h must not say 'potential to emit: 8,760 h/yr' beside its numbers. Arrays (Monte Carlo, batch; given, or
        the scenario's own, as when batch --flags puts rows of different hours at the full year) and an unchanged value
        keep the scenario's own."""
        if not isinstance(hours, (int, float)) or not isinstance(self.hours, (int, float)) or hours == self.hours:
            return {}
        if by_capacity_factor:
            row = Assumption("capacity factor", cf, "", OPERATION_SOURCE, "record", "derived",
                             f"applied as {hours:,.1f} equivalent full-load hours of {self.year_hours:,.0f}")
        else:
            row = Assumption(hours_name(self.load), hours, "h/year", OPERATION_SOURCE, "record", "derived")
        rows, placed = [], False
        for a in self.assumptions:
            if a.name in OPERATION_ASSUMPTIONS or a.name.startswith(OPERATION_ASSUMPTIONS[0]):
                if not placed:
                    rows.append(row)
                    placed = True
                continue
            rows.append(a)
        basis = operation_basis(hours, self.year_hours, cf if by_capacity_factor else None, solved=True, load=self.load)
        return {"operation_basis": basis, "assumptions": tuple(rows if placed else [*rows, row])}

    def with_values(self, values: Mapping[Path, Num | Factor]) -> Scenario:
        """Return a copy with the inputs at ``values`` (path -> number, numpy array or Factor) replaced."""
        group_changes: dict[int, dict[str, Any]] = {}
        fleet: dict[str, Factor] | None = None
        changes: dict[str, Any] = {}
        for path, v in values.items():
            head = path[0]
            if head == "group":
                group_changes.setdefault(path[1], {})[path[2]] = v
            elif head == "factor":
                scope, pol = path[1], path[2]
                if scope == "fleet":
                    fleet = dict(self.fleet_factors) if fleet is None else fleet
                    fleet[pol] = _factor_with(fleet.get(pol), pol, v)
                else:
                    gc = group_changes.setdefault(scope, {})
                    fs = gc.setdefault("factors", dict(self.groups[scope].factors))
                    fs[pol] = _factor_with(fs.get(pol), pol, v)
            elif head == "capacity_factor":
                changes.update(capacity_factor=v, hours=v * self.year_hours)
                changes.update(self._operation_changes(v * self.year_hours, v, by_capacity_factor=True))
            elif head == "hours":
                changes.update(hours=v, capacity_factor=v / self.year_hours)
                changes.update(self._operation_changes(v, v / self.year_hours, by_capacity_factor=False))
            else:
                changes[head] = v
        ratio = changes.get("hhv_lhv", self.hhv_lhv)
        groups = []
        for i, g in enumerate(self.groups):
            gc = group_changes.get(i)
            if gc is None and "hhv_lhv" not in changes:
                groups.append(g)
                continue
            gc = dict(gc or {})
            hr = gc.get("heat_rate", g.heat_rate)
            gc["heat_rate_hhv"] = (hr * ratio if g.basis == "lhv" else hr) * g.hr_factor
            groups.append(replace(g, **gc))
        changes["groups"] = tuple(groups)
        if fleet is not None:
            changes["fleet_factors"] = fleet
        return replace(self, **changes)


def _factor_with(base: Factor | None, pollutant: str, v: Num | Factor) -> Factor:
    if isinstance(v, Factor):
        return v
    if base is None:
        base = Factor(pollutant, "input", 0.0, "", "set by emiss", "derived", "record")
    if isinstance(v, (int, float)) and isinstance(base.value, (int, float)) and v != base.value:
        # one new value (solve, sensitivity): the text shown as the factor used must be that value, not the one replaced
        return replace(base, value=v, text=f"{set_value_text(v)} {base.unit}")
    return replace(base, value=v)


def set_value_text(v: float) -> str:
    """Return a value a command set (solve, sensitivity) as its text shows it: six significant figures (Python's
    'g'), the form the factor's text ('as_given') carries, so that every line naming the value writes the same digits."""
    return f"{v:g}"


def operation_basis(hours: float, year: float, capacity_factor: float | None = None, *, solved: bool = False,
                    load: float | None = None) -> str:
    """Return how the output names the operation: a capacity factor given, the full year (potential to emit), or hours.

    An operation a command solved for keeps a decimal and says so: an allowance of 1,113.9 h shown as '1114 h' would
    be more than the limit allows. Units at part load (``load`` below 1) are not at full load, and a year of them is
    not the potential to emit, which is at the maximum rate."""
    if load is not None and load < 1:
        shown = f"{hours:,.1f}" if solved and hours != year else _whole_hours(hours)
        if capacity_factor is not None:
            shown = f"capacity factor {capacity_factor:{'.6g' if solved else 'g'}}: {shown}"
        return f"{shown} h/yr at {load:.0%} load{', solved for' if solved and hours != year else ''}"
    if solved and hours != year:
        if capacity_factor is not None:
            return f"capacity factor {capacity_factor:.6g} ({hours:,.1f} equivalent full-load h/yr), solved for"
        return f"{hours:,.1f} full-load h/yr, solved for"
    if capacity_factor is not None:
        return f"capacity factor {capacity_factor:g} ({_whole_hours(capacity_factor * year)} equivalent full-load h/yr)"
    if hours == year:
        return f"potential to emit: {year:,.0f} h/yr at full load"
    return f"{_whole_hours(hours)} full-load h/yr"


def _whole_hours(hours: float) -> str:
    """Return hours to the hour with thousands separated, as every figure shown (8,760), or to three figures below ten
    (0.5 h is not '0 h')."""
    return f"{hours:,.0f}" if hours >= 10 else f"{hours:.3g}"


# The names under which the scenario builder records the operation (inputs.scenario.Builder.operation).
OPERATION_ASSUMPTIONS = ("operating hours per year", "operating hours per year (full load)", "capacity factor")


def hours_name(load: float | None) -> str:
    """Return the name of the hours a user gives: at full load, or at the units' part load (--load), where they
    are hours running at that load, not full-load equivalents."""
    return "operating hours per year (full load)" if load is None or load >= 1 else f"operating hours per year (at {load:.0%} load)"


@dataclass(frozen=True)
class PollutantResult:
    """Annual emissions of one pollutant for the whole fleet."""

    id: str
    name: str
    lb_per_year: Num
    complete: bool
    missing: tuple[str, ...]  # groups without a factor
    factors: tuple[tuple[str, Factor], ...]  # (group name, factor used)
    lb_startup: Num = 0.0  # of lb_per_year, the part from startups and shutdowns
    hours: Num = 8760.0  # the operating hours behind lb_per_year (the scenario's, always given by calc)
    not_applicable: tuple[str, ...] = ()  # groups that do not emit it (NH3 without SCR): not missing, the total is complete
    at_least: tuple[str, ...] = ()  # why the total is a lower bound (a guarantee that does not hold where the unit runs)
    rate: Num | None = None  # lb/h at full load, whole fleet, where event hours replace normal hours (calc gives it then)

    @property
    def lower_bound(self) -> str:
        """Why the total is only a lower bound ('' when it is the total): units without a factor, or a dry-low-NOx
        guarantee that does not hold where a unit runs (its 'at least')."""
        parts = [] if self.complete else ["incomplete: no factor for " + "; ".join(self.missing)]
        if self.at_least:
            parts.append("at least: " + "; ".join(self.at_least))
        return "; ".join(parts)

    @cached_property
    def lb_per_hour(self) -> Num:
        """At full load, whole fleet: the pounds of the year less startups, over the operating hours (computed
        when asked: a batch of a million rows never asks)."""
        if self.rate is not None:
            return self.rate
        return (self.lb_per_year - self.lb_startup) / self.hours


@dataclass(frozen=True)
class Screening:
    """One pollutant compared with one major-source threshold.

    ``tons_per_year`` is the potential to emit as limited: the estimate, or an enforceable limit where one applies
    (``limited``) and is lower; ``unrestricted_tons`` is the PTE without the limits and, where there are limits, before
    the add-on controls (a permit's controls are its conditions as its caps are). ``crossed`` refers to the PTE as
    limited; it is None when the total leaves out some units and the known part alone stays below the threshold.
    """

    threshold_id: str
    program: str
    pollutant: str
    tons_per_year: float
    threshold_tons: float
    crossed: bool | None
    source: str
    complete: bool = True
    limited: bool = False  # an enforceable limit applies to the pollutant (tons_per_year = the lower of it and the estimate)
    unrestricted_tons: float | None = None  # without the limits (and, where limits exist, before add-on controls)
    limit_text: str = ""  # the lowest limit that applies, as given, with its source
    unrestricted_crossed: bool | None = None  # whether the estimate without the limits crosses the threshold
    lower_bound: bool = False  # the total covers every unit but is only 'at least' (a guarantee outside its range)

    @property
    def state(self) -> str:
        """Name the state: 'above', 'below', 'above (at least)', 'incomplete' or 'synthetic minor' (below by a limit)."""
        if self.crossed is None:
            return "incomplete"
        if self.crossed:
            return "above" if self.complete else "above (at least)"
        if self.limited and self.unrestricted_crossed is not False:
            return "synthetic minor"
        return "below"

    @property
    def explanation(self) -> str:
        """Say in one line what the state rests on (the enforceable limit, or the threshold's own scope)."""
        if self.state == "synthetic minor":
            return (f"synthetic minor: below {self.program} ({self.threshold_tons:g} tpy) by an enforceable limit "
                    f"({self.limit_text}); unrestricted (no limits, no add-on controls) "
                    f"{'at least ' if self.unrestricted_crossed is None else ''}{self.unrestricted_tons:,.4g} tpy")
        return ""


@dataclass(frozen=True)
class GroupResult:
    """One emission unit group: its annual pounds and its full-load pounds per hour, per pollutant."""

    name: str
    kind: str
    count: Num
    capacity_kw: Num  # per unit
    heat_input_mmbtu_h: Num  # all units of the group, HHV
    lb_per_year: Mapping[str, Num]  # all units of the group; a pollutant without a factor is absent
    factors: Mapping[str, Factor]
    lb_startup: Mapping[str, Num] = field(default_factory=dict)  # of lb_per_year, from startups and shutdowns
    hours: Num = 8760.0  # the operating hours behind lb_per_year (the scenario's, always given by calc)
    rates: Mapping[str, Num] | None = None  # lb/h at full load where event hours replace normal hours (calc gives it then)

    @cached_property
    def lb_per_hour(self) -> Mapping[str, Num]:
        """All units of the group, at full load: the year's pounds less startups, over the operating hours."""
        if self.rates is not None:
            return dict(self.rates)
        return {p: (lb - self.lb_startup.get(p, 0.0)) / self.hours for p, lb in self.lb_per_year.items()}


@dataclass(frozen=True)
class Result:
    """Everything an estimate computes."""

    scenario: Scenario
    capacity_kw: Num
    hours: Num
    generation_mwh: Num
    heat_input_mmbtu: Num  # HHV
    fuel_scf: Num
    emissions: Mapping[str, PollutantResult]
    households_energy: Num
    households_capacity: Num
    screening: tuple[Screening, ...] = ()
    groups: tuple[GroupResult, ...] = ()
    methane: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # basis -> {ch4, co2e (lb/yr), complete}
    nox_bases: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # ap42, measured -> {nox (lb/yr), complete}
    upstream_ch4_lb: Num = 0.0  # methane lost upstream for the gas burnt (--upstream-leak), apart from the stack's

    @property
    def households(self) -> Num:
        """Return the headline household figure, by the scenario's method."""
        method = self.scenario.households_method
        if method == "co2":
            return self.households_co2
        return self.households_energy if method == "energy" else self.households_capacity

    @property
    def households_co2(self) -> Num:
        """Return the homes whose energy use emits as much CO2 in a year (EPA's CO2 per home, in the Scenario)."""
        return self.emissions["co2"].lb_per_year / self.scenario.household_co2_lb
