"""The one table of scenario inputs: option name, preset key, batch field, scenario path and validator.

The scenario builder, batch records, ``solve --vary``, the CLI options and the preset loader all read
this table, so an input is declared once. Each validator takes a ``Given`` (a raw value and where it came
from) and returns the value in the field's canonical unit, or raises a one-line ``InputError``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Callable

from emiss import data
from emiss.core import units
from emiss.data import CONTROLS, ENGINE_TYPES, METHANE_BASES
from emiss.errors import InputError
from emiss.core.model import Given, Path


def _fail(g: Given, message: str) -> InputError:
    return InputError(message, where=g.where, usage=g.usage)


def _parse(g: Given) -> units.Parsed:
    try:
        return units.parse(g.value, where=g.where)
    except InputError as exc:
        raise _fail(g, exc.message) from None


def _convert(g: Given, to: str, expect: str, bare: str | None = None) -> float:
    try:
        return units.convert(g.value, to, where=g.where, expect=expect, bare=bare)
    except InputError as exc:
        raise _fail(g, exc.message) from None


def _fraction(g: Given) -> float:
    try:
        return units.fraction(g.value, where=g.where)
    except InputError as exc:
        raise _fail(g, exc.message) from None


def ratio(g: Given) -> float:
    """Return a plain number, written as a fraction, a percentage or a ratio (e.g. a lognormal's gsd)."""
    return _fraction(g)


def _within(g: Given, value: float, key: str, what: str, unit: str = "") -> float:
    """Refuse ``value`` outside the possible range of limits.toml ``key`` (zero or less: a usage error; too large: a data error)."""
    lim = data.limit(key)
    lo, hi = lim.possible
    u = f" {unit}" if unit else ""
    if value <= 0 and key in _OPEN_BELOW:
        raise _fail(g, f"'{g.value}' must be more than zero ({what})")
    if value < lo:
        raise _fail(g, f"'{g.value}' ({value:,.6g}{u}) is below {lo:,.6g}{u}, the least a {what} can be")
    if value > hi:
        raise InputError(f"'{g.value}' ({value:,.6g}{u}) is too large: a {what} is at most {hi:,.6g}{u} ({lim.source})",
                         where=g.where, usage=False)
    return value


_OPEN_BELOW = ("capacity_factor", "hours", "heat_rate", "capacity", "household_use", "household_demand")


def count(g: Given) -> int:
    """Return a whole number of units (at least 1)."""
    v = g.value
    if isinstance(v, bool):
        raise _fail(g, f"expected a whole number of units, got {v!r}")
    if isinstance(v, int):
        n = v
    else:
        text = str(v).strip().replace("_", "")
        try:
            n = int(text)
        except ValueError:
            try:
                q = units.parse(text, where=g.where)
            except InputError:
                raise _fail(g, f"'{v}' is not a whole number of units") from None
            if q.unit or q.number != math.floor(q.number):
                raise _fail(g, f"'{v}' is not a whole number of units") from None
            n = int(q.number)
    lo, hi = data.limit("count").possible
    if n < lo:
        raise _fail(g, f"'{v}' must be at least {lo:,.0f} unit")
    if n > hi:
        raise InputError(f"'{v}' units is too large: at most {hi:,.0f} ({data.limit('count').source})", where=g.where, usage=False)
    return n


def capacity(g: Given) -> float:
    """Return a unit's rated output in kW."""
    kw = _convert(g, "kW", "a power such as '16 MW' or '2500 kW'")
    return _within(g, kw, "capacity", "capacity per unit", "kW")


def heat_rate(g: Given) -> float:
    """Return a heat rate in Btu/kWh (as given, LHV or HHV); an efficiency such as '35%' is converted."""
    q = _parse(g)
    if q.unit == "percent" or (not q.unit and 0 < q.number <= 1):
        eff = q.number / 100 if q.unit == "percent" else q.number
        if not 0 < eff <= 1:
            raise _fail(g, f"efficiency '{g.value}' must be above 0 % and at most 100 %")
        return units.multiplier("", "Btu/kWh") / eff  # heat rate = 1 / efficiency (3,412.14 Btu/kWh at 100 %)
    if not q.unit:
        raise _fail(g, f"'{g.value}' has no unit; give a heat rate such as '9695 Btu/kWh' or an efficiency such as '35%'")
    hr = _convert(g, "Btu/kWh", "a heat rate such as '9695 Btu/kWh' or an efficiency such as '35%'")
    return _within(g, hr, "heat_rate", "heat rate (3,412 Btu/kWh is 100 % efficient)", "Btu/kWh")


def capacity_factor(g: Given) -> float:
    """Return a capacity factor above 0 and at most 1."""
    x = _fraction(g)
    if not 0 < x <= 1:
        raise _fail(g, f"capacity factor '{g.value}' must be above 0 and at most 1 (or 100%)")
    return x


def hours(g: Given) -> float:
    """Return full-load hours per modelled year (a bare number is hours; '5000 h/yr' and '0.5 year' work)."""
    text = g.value
    per_time = isinstance(text, str) and "/" in text
    year = data.constant("hours_per_year").value
    x = _convert(g, "hour/year" if per_time else "hour", "operating hours such as '5000 h' or 5000", bare="hour")
    if not 0 < x <= year:
        raise _fail(g, f"'{g.value}' must be above 0 and at most {year} h (the hours in the modelled year)")
    return x


def hhv_lhv(g: Given) -> float:
    """Return the fuel's HHV/LHV ratio."""
    x = _fraction(g)
    lo, hi = data.limit("hhv_lhv").possible
    if not lo <= x <= hi:
        raise _fail(g, f"HHV/LHV ratio {x:g} is outside {lo:g}-{hi:g} (natural gas: about 1.108)")
    return x


def household_use(g: Given) -> float:
    """Return electricity use per home in kWh per year; an energy needs its period ('900 kWh/month')."""
    q = _parse(g)
    if q.number <= 0:
        raise _fail(g, f"'{g.value}' must be more than zero (use per home)")
    if q.unit and units.is_dimension(q, "kWh"):
        raise _fail(g, f"'{g.value}' is an energy; give it per period, e.g. '{g.value}/month' for a monthly bill "
                       "or '10791 kWh/yr' for a year")
    kwh = _convert(g, "kWh/year", "electricity use per home per year such as '10791 kWh/yr'", bare="kWh/year")
    return _within(g, kwh, "household_use", "use per home", "kWh/yr")


def upstream_leak(g: Given) -> float:
    """Return the share of the gas produced lost as methane before the site: a fraction, a percentage or a cited name."""
    named = data.load("constants.toml").get("upstream_leak", {})
    key = str(g.value).strip().lower()
    if key in named:
        return float(named[key]["value"])
    try:
        x = _fraction(g)
    except InputError:
        raise _fail(g, f"'{g.value}' is not a leak rate; give a fraction of the gas produced (e.g. 2.3%) or a cited "
                       f"name: {', '.join(named)}") from None
    if not 0 <= x < 1:
        raise _fail(g, f"'{g.value}' must be from 0 to below 100 % of the gas produced (e.g. 2.3% or {', '.join(named)})")
    return x


def household_demand(g: Given) -> float:
    """Return capacity per home in kW."""
    kw = _convert(g, "kW", "a power per home such as '1.2 kW'", bare="kW")
    return _within(g, kw, "household_demand", "demand per home", "kW")


_TEMP = re.compile(r"^\s*([-+\u2212]?\d+(?:\.\d*)?)\s*(?:°|deg)?\s*([CF])\s*$", re.IGNORECASE)


def ambient(g: Given) -> float:
    """Return an ambient temperature in degC ('35C', '95 F', '35 degC', '308 K'); a bare number is refused (C or F?)."""
    text = units.clean_text(str(g.value))
    m = _TEMP.match(text) or re.match(r"^\s*([-+]?\d+(?:\.\d*)?)\s*(degC|degF|K|celsius|fahrenheit|kelvin)\s*$", text, re.IGNORECASE)
    if not m:
        raise _fail(g, f"'{g.value}' is not a temperature; write e.g. '35C', '95F' or '308 K'")
    x, scale = float(m.group(1)), m.group(2).lower()
    # offset scales: degF -> degC is (F - 32) x 5/9; K -> degC is K - 273.15 (definitions)
    c = (x - 32) * 5 / 9 if scale in ("f", "degf", "fahrenheit") else (x - 273.15 if scale in ("k", "kelvin") else x)
    if not -60 <= c <= 60:
        raise _fail(g, f"'{g.value}' ({c:.1f} degC) is not an ambient temperature on Earth's surface (-60 to 60 degC)")
    return c


def load(g: Given) -> float:
    """Return a unit load as a fraction of its available output, above 0 and at most 1."""
    x = _fraction(g)
    if not 0 < x <= 1:
        raise _fail(g, f"load '{g.value}' must be above 0 and at most 100 %")
    return x


def choice(g: Given, allowed: tuple[str, ...]) -> str:
    """Return ``g``'s text if it is one of ``allowed``."""
    v = str(g.value).strip().lower()
    if v not in allowed:
        raise _fail(g, f"'{g.value}' is not one of {', '.join(allowed)}")
    return v


@dataclass(frozen=True)
class Field:
    """One scenario input, declared once."""

    name: str  # override key and batch field, e.g. "capacity_factor"
    option: str  # command-line option, e.g. "--capacity-factor"
    preset: str  # preset key: "fleet.count" (per group) or "operation.capacity_factor"
    scope: str  # "group" or "scenario"
    attr: str  # the Scenario or Group attribute it sets
    unit: str  # the canonical unit of attr
    parse: Callable[[Given], Any] | None  # validator; None for choices and names
    limit: str  # limits.toml key for the plausible range ("" when none)
    label: str  # how the output names it
    help: str
    metavar: str = "QTY"
    choices: tuple[str, ...] = ()
    vary: str = ""  # name for 'solve --vary' and scenario paths ("" if not variable)

    def path(self, group: int = 0) -> Path:
        """Return where this input sits in a Scenario."""
        return ("group", group, self.attr) if self.scope == "group" else (self.attr,)


ENGINE_CONTROLS = ("uncontrolled", "oxidation-catalyst", "nscr", "scr", "scr+oxcat")  # engines: engine_controls.toml
BASES = ("lhv", "hhv")
METHODS = ("energy", "capacity", "co2")

FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("turbine_model", "--turbine-model", "fleet.catalog", "group", "model", "", None, "", "model",
          "A unit from 'emiss catalog' (e.g. smt-130): its capacity, heat rate and NOx/CO levels; needs --turbines.",
          metavar="ID"),
    Field("turbines", "--turbines", "fleet.count", "group", "count", "", count, "count", "units",
          "Number of identical units; with --capacity replaces the preset's fleet.", metavar="N", vary="turbines"),
    Field("capacity", "--capacity", "fleet.capacity", "group", "capacity_kw", "kW", capacity, "capacity", "capacity per unit",
          "Rated capacity per unit, e.g. '16.5 MW' or '2500 kW'.", vary="capacity"),
    Field("heat_rate", "--heat-rate", "fleet.heat_rate", "group", "heat_rate", "Btu/kWh", heat_rate, "heat_rate", "heat rate",
          "Heat rate, e.g. '9695 Btu/kWh', or an efficiency such as '35%'.", vary="heat-rate"),
    Field("heat_rate_basis", "--heat-rate-basis", "fleet.heat_rate_basis", "group", "basis", "", None, "", "heat-rate basis",
          "Basis of the heat rate (default lhv, as makers quote it).", choices=BASES),
    Field("control", "--control", "fleet.control", "group", "control", "", None, "", "control",
          "Control: for turbines an AP-42 Table 3.1-1 level (uncontrolled, water-steam, lean-premix), which replaces the "
          "NOx and CO factors of the layers below it; for engines an add-on control (uncontrolled, oxidation-catalyst, "
          "nscr, scr, scr+oxcat). Applied to the groups it fits.",
          choices=tuple(dict.fromkeys(CONTROLS + ENGINE_CONTROLS))),
    Field("engine_type", "--engine-type", "fleet.engine_type", "group", "engine_type", "", None, "", "engine type",
          "AP-42 s.3.2 engine type of engine groups: 2slb, 4slb (default) or 4srb (2-stroke lean-burn, 4-stroke lean-burn, "
          "4-stroke rich-burn).", choices=ENGINE_TYPES),
    Field("capacity_factor", "--capacity-factor", "operation.capacity_factor", "scenario", "capacity_factor", "",
          capacity_factor, "capacity_factor", "capacity factor", "Fraction of the year at full load: 0.85 or '85%'.",
          metavar="X", vary="capacity-factor"),
    Field("ambient", "--ambient", "operation.ambient", "scenario", "ambient", "degC", ambient, "", "ambient temperature",
          "Ambient temperature, e.g. '35C' or '95F': turbines with a maker's curve are derated (output and heat rate); "
          "others run at ISO (15 degC) and the output says so.", metavar="TEMP"),
    Field("load", "--load", "operation.load", "scenario", "load", "", load, "", "unit load",
          "Load while running, as a fraction of available output, e.g. 60%: part-load heat rate from the maker's or a generic "
          "curve; engines below 90 % use AP-42's part-load band.", metavar="X"),
    Field("area", "--area", "preset.area", "scenario", "area", "", None, "", "area status",
          "The site's ozone status for the screening thresholds: attainment (default), ozone-marginal, ozone-moderate, "
          "ozone-serious, ozone-severe, ozone-extreme.",
          choices=("attainment", "ozone-marginal", "ozone-moderate", "ozone-serious", "ozone-severe", "ozone-extreme")),
    Field("hours", "--hours", "operation.hours", "scenario", "hours", "hour/year", hours, "hours", "operating hours per year",
          "Full-load operating hours per year, at most 8760 (e.g. 5000, '5000 h' or '0.5 year').", vary="hours"),
    Field("household_use", "--household-use", "households.use", "scenario", "household_use_kwh", "kWh/year", household_use,
          "household_use", "households: use per home", "Electricity use per home per year (energy view), e.g. '10791 kWh/yr'.",
          vary="household-use"),
    Field("household_demand", "--household-demand", "households.demand", "scenario", "household_demand_kw", "kW",
          household_demand, "household_demand", "households: demand per home", "Capacity per home (capacity view), e.g. '2 kW'.",
          vary="household-demand"),
    Field("households_method", "--households-method", "households.method", "scenario", "households_method", "", None, "",
          "households: headline method", "Which household figure is the headline: energy (generation / use per home), capacity (capacity / demand per home) or co2 (CO2 / EPA's CO2 of a home's energy use).", choices=METHODS),
    Field("upstream_leak", "--upstream-leak", "constants.upstream_leak", "scenario", "upstream_leak", "", upstream_leak, "",
          "upstream methane leak", "Methane lost before the gas reaches the site, as a share of the gas produced, e.g. 2.3% or "
          "alvarez-2018 (Science 2018); shown apart from the stack's emissions.", metavar="RATE"),
    Field("hhv_lhv", "--hhv-lhv", "constants.hhv_lhv", "scenario", "hhv_lhv", "", hhv_lhv, "hhv_lhv", "HHV/LHV ratio",
          "HHV/LHV ratio of the fuel (default 1.108).", metavar="X"),
    Field("gwp", "--gwp", "constants.gwp", "scenario", "gwp_set", "", None, "", "GWP set",
          "GWP set for co2e (default AR5, 100-year; AR6-20 is the 20-year horizon).", choices=("AR4", "AR5", "AR6", "AR6-20")),
    Field("methane_basis", "--methane-basis", "constants.methane_basis", "scenario", "methane_basis", "", None, "",
          "methane basis", "Which methane emissions.ch4 and co2e carry: reporting (40 CFR 98 Table C-2, default) or "
          "physical (AP-42: what leaves the stack, methane slip included). JSON carries both.", choices=METHANE_BASES),
    Field("mass_unit", "--mass-unit", "", "scenario", "mass_unit", "", None, "", "mass unit",
          "Mass unit for emissions in machine formats (default short_ton; e.g. metric_ton, lb, kg).", metavar="UNIT"),
)}

FACTOR_PREFIX = "factor."
VARY = {f.vary: f for f in FIELDS.values() if f.vary}


def factor_key(pollutant: str) -> str:
    """Return the override key of a factor for ``pollutant``."""
    return FACTOR_PREFIX + pollutant


def factor_path(scope: int | str, pollutant: str) -> Path:
    """Return where a factor sits in a Scenario: a group's (scope = index) or the fleet's (scope = 'fleet')."""
    return ("factor", scope, pollutant)


def option_name(key: str) -> str:
    """Return the command-line spelling of an override key."""
    if key.startswith(FACTOR_PREFIX):
        return f"--factor {key[len(FACTOR_PREFIX):]}"
    f = FIELDS.get(key)
    return f.option if f else key


def plausible(key: str, value: float) -> bool:
    """Return whether ``value`` lies in the plausible range of limits.toml ``key``."""
    lo, hi = data.limit(key).plausible
    return lo <= value <= hi


def check_text(name: str, text: str, *, where: str) -> str:
    """Check a command-line value for field ``name`` (a range end by end, each as a full value); return it stripped."""
    from emiss.core.dist import split_range

    field = FIELDS[name]
    text = text.strip()
    if field.parse is None:
        return text
    try:
        parts = split_range(text)
    except InputError as exc:
        raise InputError(exc.message, where=where, usage=True) from None
    for part in parts or [text]:
        field.parse(Given(part, "command line", "cli", "user", "", where))
    return text
