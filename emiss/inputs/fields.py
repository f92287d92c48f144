"""The one table of scenario inputs: option name, preset key, batch field, scenario path and validator.

The scenario builder, batch records, ``solve --vary``, the CLI options and the preset loader all read
this table, so an input is declared once. Each validator takes a ``Given`` (a raw value and where it came
from) and returns the value in the field's canonical unit, or raises a one-line ``InputError``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

from emiss import data
from emiss.core import units
from emiss.data import ADDONS, COMBUSTORS, CONTROLS, ENGINE_TYPES, METHANE_BASES
from emiss.errors import InputError
from emiss.core.model import Given, Path


@lru_cache(maxsize=None)
def builtin(key: str) -> Given:
    """Return built-in constant ``key`` (constants.toml) as a value given at the built-in layer, with its source."""
    c = data.constant(key)
    value = f"{c.value} {c.unit}" if c.unit and isinstance(c.value, (int, float)) else c.value
    return Given(value, c.source, "built-in", c.status, "", f"built-in {key}")


def _fail(g: Given, message: str) -> InputError:
    return InputError(message, where=g.where, usage=g.usage)


def _parse(g: Given) -> units.Parsed:
    try:
        return units.parse(g.value, where=g.where)
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


# ---- quantities: one reader for one value and for a column of values --------------------------------
# A value is read in two steps. (a) Its text becomes a number and a unit: units.parse for one value (the whole
# grammar, with its messages); inputs/arrays.py for a Python list or an Arrow column (one unit text per distinct
# spelling). (b) Here, written once: what the unit means for the field (unit_rule, once per distinct unit), then
# the number's conversion and bounds (convert), on a float or on a numpy array of floats alike -- the same
# operations in the same order, so a column gives each value's number to the last bit, and a single value needs
# no numpy. A value that fails gets a reason code; _explain turns the code into the value's one-line message.

OK, NOT_READ, NO_UNIT, DIMENSION, NOT_FINITE, NOT_POSITIVE, BELOW, ABOVE, NOT_FRACTION, RANGE, ENERGY, NOT_WHOLE = range(12)
MUL, PERCENT, EFFICIENCY, EFFICIENCY_PERCENT = -1, -2, -3, -4  # how a unit turns a number into the value (codes > 0 refuse)
QUANTITIES = ("turbines", "capacity", "heat_rate", "capacity_factor", "hours", "household_use", "household_demand", "load")
_EXPECT = {"capacity": "a power such as '16 MW' or '2500 kW'", "hours": "operating hours such as '5000 h' or 5000",
           "heat_rate": "a heat rate such as '9695 Btu/kWh' or an efficiency such as '35%'",
           "household_use": "electricity use per home per year such as '10791 kWh/yr'",
           "household_demand": "a power per home such as '1.2 kW'"}
_BARE = {"hours": "hour", "household_use": "kWh/year", "household_demand": "kW"}  # the unit of a plain number, where one is read
_WITHIN = {"capacity": ("capacity per unit", "kW"), "heat_rate": ("heat rate (3,412 Btu/kWh is 100 % efficient)", "Btu/kWh"),
           "household_use": ("use per home", "kWh/yr"), "household_demand": ("demand per home", "kW")}  # checked against limits.toml


@lru_cache(maxsize=2048)
def unit_rule(name: str, unit: str | None) -> tuple[int, float]:
    """Return how quantity field ``name`` reads a number in ``unit`` (as units.parse names it; None: not a unit):
    (MUL, m) for number x m, (PERCENT, 100) for number / 100, (EFFICIENCY[_PERCENT], 3,412.14 Btu/kWh) for an
    efficiency, or (code, nan) for a unit the field refuses."""
    if unit is None:
        return NOT_READ, math.nan
    if name == "turbines":
        return (MUL, 1.0) if unit == "" else (NOT_WHOLE, math.nan)
    if name in ("capacity_factor", "load"):
        return {"": (MUL, 1.0), "percent": (PERCENT, 100.0)}.get(unit, (NOT_FRACTION, math.nan))
    if name == "heat_rate" and unit in ("", "percent"):
        # heat rate = 1 / efficiency (3,412.14 Btu/kWh at 100 %); a plain number is an efficiency only up to 1
        return (EFFICIENCY if unit == "" else EFFICIENCY_PERCENT), units.multiplier("", "Btu/kWh")
    if unit == "":
        if name not in _BARE:
            return NO_UNIT, math.nan
        unit = _BARE[name]
    elif name == "household_use" and units.unit_info(unit)[0] == units.unit_info("kWh")[0]:
        return ENERGY, math.nan
    to = ("hour/year" if "/" in unit else "hour") if name == "hours" else FIELDS[name].unit
    try:
        return MUL, units.multiplier(unit, to)
    except units.DimensionError:
        return DIMENSION, math.nan


def _bounds(name: str) -> tuple[float, float]:
    if name == "turbines":
        return data.limit("count").possible
    if name == "hours":
        return 0.0, float(data.constant("hours_per_year").value)
    if name in _WITHIN:
        return data.limit(name).possible
    return 0.0, 1.0


def _infinite(v: Any) -> Any:
    return (abs(v) >= math.inf) | (v != v)


def convert(name: str, number: Any, how: Any, m: Any) -> tuple[Any, Any]:
    """Return the canonical values of quantity field ``name`` and each value's reason code (OK = 0), for numbers
    (a float, or a numpy array) read in units whose rules (unit_rule) are ``how`` and ``m`` (likewise)."""
    one = not hasattr(number, "shape")
    if one:  # one value: only its own arithmetic (no division by zero to guard)
        if how == MUL:
            value = number * m
        elif how == PERCENT:
            value = number / 100
        elif how in (EFFICIENCY, EFFICIENCY_PERCENT):
            eff = number / 100 if how == EFFICIENCY_PERCENT else number
            value = m / eff if eff else math.inf  # as numpy divides: an efficiency that underflows to 0 is infinite
        else:
            value = math.nan
        return value, next((code for bad, code in _checks(name, number, how, value) if bad), OK)
    import numpy as np

    with np.errstate(all="ignore"):
        if not hasattr(how, "shape"):  # one rule for the whole column (one unit): only its own arithmetic
            value = (number * m if how == MUL else number / 100 if how == PERCENT else
                     m / (number / 100 if how == EFFICIENCY_PERCENT else number) if how in (EFFICIENCY, EFFICIENCY_PERCENT)
                     else np.full(len(number), math.nan))
        else:
            value = np.where(how == PERCENT, number / 100, number * m)
            eff = np.where(how == EFFICIENCY_PERCENT, number / 100, number)
            value = np.where((how == EFFICIENCY) | (how == EFFICIENCY_PERCENT), m / eff, value)
        codes = np.zeros(len(number), dtype=np.int8)
        for bad, code in reversed(_checks(name, number, how, value)):  # the first failed check gives the reason
            if bad is not False:
                codes = np.where(bad, code, codes)
    return value, codes


def _checks(name: str, number: Any, how: Any, value: Any) -> list[tuple[Any, Any]]:
    """Return the checks of quantity field ``name``, in the order a value meets them: (failed, reason) each."""
    lo, hi = _bounds(name)
    mul = how == MUL
    checks: list[tuple[Any, Any]] = []
    if name == "household_use":
        checks.append((number <= 0, NOT_POSITIVE))  # before the unit: a use per home must be more than zero
    checks.append((how > 0, how))
    if name == "turbines":
        checks += [((number % 1 != 0) | _infinite(number), NOT_WHOLE), (value < lo, BELOW), (value > hi, ABOVE)]
    elif name == "heat_rate":
        checks += [((how == EFFICIENCY) & ((number <= 0) | (number > 1)), NO_UNIT),
                   ((how == EFFICIENCY_PERCENT) & ((number <= 0) | (number > 100)), RANGE),
                   # an efficiency so small that the heat rate is past the possible range (or overflows: '5e-324%')
                   (((how == EFFICIENCY) | (how == EFFICIENCY_PERCENT)) & ~(value <= hi), ABOVE)]
    if name in _WITHIN:
        checks += [(mul & _infinite(value), NOT_FINITE), (mul & (value <= 0), NOT_POSITIVE), (mul & (value < lo), BELOW),
                   (mul & (value > hi), ABOVE)]
    elif name == "hours":
        checks += [(_infinite(value), NOT_FINITE), ((value <= 0) | (value > hi) | (value != value), RANGE)]
    elif name != "turbines" and name != "heat_rate":
        checks.append(((value <= 0) | (value > hi) | (value != value), RANGE))
    return checks


def _quantity(g: Given, name: str, number: float | None = None, unit: str | None = None) -> float:
    """Read one value of quantity field ``name`` (an array of one, in effect); raise its message if it fails."""
    if number is None:
        p = _parse(g)
        number, unit = p.number, p.unit
    how, m = unit_rule(name, unit)
    value, code = convert(name, number, how, m)
    if code:
        raise _explain(g, name, code, unit or "", value)
    return value


def _explain(g: Given, name: str, code: int, unit: str, value: float) -> InputError:
    """Return the one-line error of value ``g`` of field ``name`` that failed with reason ``code``."""
    v = g.value
    lo, hi = _bounds(name)
    if name == "turbines":
        lim = data.limit("count")
        if code == BELOW:
            return _fail(g, f"'{v}' must be at least {lo:,.0f} unit")
        if code == ABOVE:
            return InputError(f"'{v}' units is too large: at most {hi:,.0f} ({lim.source})", where=g.where, usage=False)
        return _fail(g, f"'{v}' is not a whole number of units")
    what, u = _WITHIN.get(name, ("", ""))
    u = f" {u}" if u else ""
    messages = {
        NO_UNIT: f"'{v}' has no unit; " + ("give " if name == "heat_rate" else "expected ") + _EXPECT.get(name, ""),
        DIMENSION: f"'{v}' is {units.describe(units.unit_info(unit)[0])}; expected {_EXPECT.get(name, '')}",
        NOT_FINITE: f"'{v}' is not a finite number",
        NOT_POSITIVE: f"'{v}' must be more than zero ({what})",
        BELOW: f"'{v}' ({value:,.6g}{u}) is below {lo:,.6g}{u}, the least a {what} can be",
        NOT_FRACTION: f"'{v}' is not a fraction; write e.g. 0.85 or '85%'",
        ENERGY: f"'{v}' is an energy; give it per period, e.g. '{v}/month' for a monthly bill or '10791 kWh/yr' for a year",
        RANGE: {"capacity_factor": f"capacity factor '{v}' must be above 0 and at most 1 (or 100%)",
                "load": f"load '{v}' must be above 0 and at most 100 %",
                "heat_rate": f"efficiency '{v}' must be above 0 % and at most 100 %",
                "hours": f"'{v}' must be above 0 and at most {data.constant('hours_per_year').value} h (the hours in the modelled year)",
                }.get(name, ""),
    }
    if code == ABOVE:
        return InputError(f"'{v}' ({value:,.6g}{u}) is too large: a {what} is at most {hi:,.6g}{u} ({data.limit(name).source})",
                          where=g.where, usage=False)
    return _fail(g, messages.get(code) or f"'{v}' cannot be read")


def count(g: Given) -> int:
    """Return a whole number of units (at least 1): written with the digits 0-9 (no '_' and no other script's digits)."""
    v = g.value
    if isinstance(v, bool):
        raise _fail(g, f"expected a whole number of units, got {v!r}")
    if isinstance(v, int):
        if abs(v) > 2**53:  # beyond what a float holds exactly: too many (or too few) anyway
            raise _explain(g, "turbines", ABOVE if v > 0 else BELOW, "", 0.0)
        return int(_quantity(g, "turbines", float(v), ""))
    if not isinstance(v, (str, float, list, tuple, dict)):  # binary, a timestamp, a duration, a Decimal ... (Parquet)
        raise _fail(g, f"'{v}' is {units.value_kind(v)}, not a whole number of units")
    text = str(v).strip()
    try:
        if not text.isascii() or "_" in text:
            raise InputError("not a number")
        p = units.parse(text, where=g.where)
    except InputError:
        raise _fail(g, f"'{v}' is not a whole number of units") from None
    return int(_quantity(g, "turbines", p.number, p.unit))


def capacity(g: Given) -> float:
    """Return a unit's rated output in kW."""
    return _quantity(g, "capacity")


def heat_rate(g: Given) -> float:
    """Return a heat rate in Btu/kWh (as given, LHV or HHV); an efficiency such as '35%' is converted."""
    return _quantity(g, "heat_rate")


def capacity_factor(g: Given) -> float:
    """Return a capacity factor above 0 and at most 1."""
    return _quantity(g, "capacity_factor")


def hours(g: Given) -> float:
    """Return full-load hours per modelled year (a bare number is hours; '5000 h/yr' and '0.5 year' work)."""
    return _quantity(g, "hours")


def hhv_lhv(g: Given) -> float:
    """Return the fuel's HHV/LHV ratio."""
    x = _fraction(g)
    lo, hi = data.limit("hhv_lhv").possible
    if not lo <= x <= hi:
        raise _fail(g, f"HHV/LHV ratio {x:g} is outside {lo:g}-{hi:g} (natural gas: about 1.108)")
    return x


def household_use(g: Given) -> float:
    """Return electricity use per home in kWh per year; an energy needs its period ('900 kWh/month')."""
    return _quantity(g, "household_use")


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
    return _quantity(g, "household_demand")


_TEMP = re.compile(r"^\s*([-+\u2212]?\d+(?:\.\d*)?)\s*(?:°|deg)?\s*([CF])\s*$", re.IGNORECASE)
# a temperature with its scale, any of C, F, K (degC, degF, celsius, ...): used for stack exit temperatures
TEMPERATURE = re.compile(r"^\s*([-+\u2212]?\d+(?:\.\d*)?)\s*(?:°|deg)?\s*(C|F|K|celsius|fahrenheit|kelvin)\s*$", re.IGNORECASE)


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
    return _quantity(g, "load")


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
          "Heat rate, e.g. '9695 Btu/kWh', or an efficiency such as '35%'. On a preset of several groups it replaces "
          "every group's (said in a warning); refused where they mix turbines and engines.", vary="heat-rate"),
    Field("heat_rate_basis", "--heat-rate-basis", "fleet.heat_rate_basis", "group", "basis", "", None, "", "heat-rate basis",
          "Basis of the heat rate (default lhv, as makers quote it). On a preset of several groups it replaces every "
          "group's (said in a warning where that changes a group's own).", choices=BASES),
    Field("combustor", "--combustor", "fleet.combustor", "group", "combustor", "", None, "", "combustor",
          "Turbine combustor: diffusion, water-steam or dry-low-nox. It sets the NOx and CO levels before add-on controls "
          "(the catalog's own levels for its model's combustor, else AP-42 Table 3.1-1's), replacing those of the layers below "
          "it. Engines take --engine-type.", choices=COMBUSTORS),
    Field("control", "--control", "fleet.control", "group", "control", "", None, "", "add-on control",
          "Add-on control: none, scr, oxidation-catalyst, scr+oxcat (turbines, lean-burn engines) or nscr (rich-burn engines); "
          "cited outlet levels or reductions per pollutant and unit type, ammonia slip with SCR. Applied to the groups it fits. "
          "The old values uncontrolled, water-steam and lean-premix are combustors and are read as --combustor.",
          choices=tuple(dict.fromkeys(ADDONS + CONTROLS))),
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
    Field("upstream_leak", "--upstream-leak", "constants.upstream_leak", "scenario", "upstream_leak", "", upstream_leak, "upstream_leak",
          "upstream methane leak", "Methane lost before the gas reaches the site, as a share of the gas produced, e.g. 2.3% or "
          "alvarez-2018 (Science 2018); shown apart from the stack's emissions.", metavar="RATE"),
    Field("hhv_lhv", "--hhv-lhv", "constants.hhv_lhv", "scenario", "hhv_lhv", "", hhv_lhv, "hhv_lhv", "HHV/LHV ratio",
          "HHV/LHV ratio of the fuel (default 1.108).", metavar="X"),
    Field("gwp", "--gwp", "constants.gwp", "scenario", "gwp_set", "", None, "", "GWP set",
          "GWP set for co2e (default AR5, 100-year; AR6-20 is the 20-year horizon).", choices=("AR4", "AR5", "AR6", "AR6-20")),
    Field("methane_basis", "--methane-basis", "constants.methane_basis", "scenario", "methane_basis", "", None, "",
          "methane basis", "Which methane emissions.ch4 and co2e carry: reporting (40 CFR 98 Table C-2, default) or "
          "physical (AP-42: what leaves the stack, methane slip included). JSON carries both.", choices=METHANE_BASES),
    Field("basis", "--basis", "constants.basis", "scenario", "nox_basis", "", None, "", "NOx basis",
          "Turbine NOx from AP-42 (ap42, default) or from the measured class of monitored US turbines with the same "
          "controls (measured: P50, with P10..P90 as its range for --samples; 'emiss factors --measured').",
          choices=("ap42", "measured")),
    Field("co2_basis", "--co2-basis", "constants.co2_basis", "scenario", "co2_basis", "", None, "", "CO2 basis",
          "CO2 from 40 CFR 98 Table C-1 (part98, default: 116.98 lb/MMBtu) or as monitored units report it under "
          "40 CFR 75 (part75: 118.9 lb/MMBtu, eGRID2021).", choices=("part98", "part75")),
    Field("mass_unit", "--mass-unit", "", "scenario", "mass_unit", "", None, "", "mass unit",
          "Mass unit for emissions (default short_ton; e.g. metric_ton, lb, kg): in machine formats, the page's cards, and the "
          "first mass column and per-unit tables of the table and Markdown.", metavar="UNIT"),
)}

# The sizes and rates whose possible range (limits.toml) is more than 'not below zero', by the last element of their
# path (a Scenario or Group attribute): estimate refuses a heat rate under 3,412.14 Btu/kWh (over 100 % efficient), so
# a value solve finds or a distribution draws beyond such a range is no answer either
POSSIBLE_LIMITS = {FIELDS[n].path(0)[-1]: FIELDS[n].limit for n in ("heat_rate", "capacity", "household_use", "household_demand")}

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


RECORD_SOURCE = "batch record"  # the source a batch record's values carry (their layer is "record")


def plausible(key: str, value: float) -> bool:
    """Return whether ``value`` lies in the plausible range of limits.toml ``key``."""
    lo, hi = data.limit(key).plausible
    return lo <= value <= hi


def unusual(where: str, field: Field, value: float) -> str:
    """Return the warning for a value of ``field`` outside its plausible range (limits.toml), '' inside it: the one
    text a single estimate and a batch row give."""
    if not field.limit or plausible(field.limit, value):
        return ""
    lo, hi = data.limit(field.limit).plausible
    return (f"{where or field.name}: {value:,.6g} {field.unit} is unusual for {field.label} "
            f"(usually {lo:,.6g} to {hi:,.6g}); check the value and its unit").replace("  ", " ")


class Read(str):
    """The text of a command-line value (stripped), carrying what its reader made of it: ``key`` names the reader
    (a field name, or factor.<pollutant>) and ``values`` maps each end of a range (or the whole text) to its reading.
    The option's type reads a value once, where it enters; the scenario builder takes these readings instead of
    reading the text again (see reader_of)."""

    key: str
    values: dict[str, Any]

    def __new__(cls, text: str, key: str, values: dict[str, Any]) -> "Read":
        self = super().__new__(cls, text)
        self.key, self.values = key, values
        return self


def reader_of(value: Any, key: str, parse: Callable[[Given], Any]) -> Callable[[Given], Any]:
    """Return ``parse``, or for a value the command line already read with reader ``key`` (a Read), a reader that
    hands back those readings (a text it did not read, such as a range's midpoint, is still parsed)."""
    if not isinstance(value, Read) or value.key != key:
        return parse
    done = value.values

    def read(g: Given) -> Any:
        v = g.value
        return done[v] if isinstance(v, str) and v in done else parse(g)

    return read


def check_text(name: str, text: str, *, where: str) -> str:
    """Read a command-line value for field ``name`` (a range end by end, each as a full value) and return it stripped,
    as a Read carrying each end's reading, so that the scenario builder does not read it again."""
    from emiss.core.dist import split_range

    field = FIELDS[name]
    text = text.strip()
    if field.parse is None:
        return text
    try:
        parts = split_range(text)
    except InputError as exc:
        raise InputError(exc.message, where=where, usage=True) from None
    values = {}
    for part in parts or [text]:
        values[part] = field.parse(Given(part, "command line", "cli", "user", "", where))
    return Read(text, name, values)
