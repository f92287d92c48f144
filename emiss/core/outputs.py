"""The one catalogue of outputs: every quantity a command can report, its unit, how to read it from a Result, and
what it is shown in.

JSON documents, rows, compare columns, cluster rows, batch records, solve targets and sensitivity outputs
are all built from this table. Units are strings a stock pint registry parses; pollutant masses are read
in pounds and shown in US short tons a year in tables, compare, sensitivity and check (``Output.shown``), and in the
scenario's mass unit in the estimate's JSON. The conversions between the units figures are computed in and the
units they are shown in (``short_tons``, ``megawatts``, ``btu``) and the one map of unit names for tables
(``UNIT_NAMES``) are here, so that no document builder types a conversion by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from emiss.core.model import Num
from emiss.core.units import BTU_PER_MMBTU, KW_PER_MW, LB_PER_SHORT_TON
from emiss.data import POLLUTANTS
from emiss.errors import InputError

# Unit strings a stock pint registry parses (MMBtu and scf are not in stock pint: 'mega' Btu = 1e6 Btu).
U_MW = "megawatt"
U_MWH_YR = "megawatt_hour / year"
U_HEAT_YR = "megabritish_thermal_unit / year"
U_HEAT_H = "megabritish_thermal_unit / hour"
U_FUEL_YR = "foot ** 3 / year"  # standard cubic feet (40 CFR 98: 60 degF, 14.7 psia)
U_LB_YR = "pound / year"
U_LB_H = "pound / hour"
U_HOURS_YR = "hour / year"
U_HOMES = "dimensionless"
U_TONS_YR = "short_ton / year"
U_TONNES_YR = "metric_ton / year"

# The one map from a unit as pint spells it to the unit as a table shows it.
UNIT_NAMES = {
    "dimensionless": "", "kilowatt": "kW", "megawatt": "MW", "megawatt_hour": "MWh", "short_ton": "short tons",
    "metric_ton": "tonnes", "kilogram": "kg", U_TONS_YR: "short tons/yr", U_LB_H: "lb/h",
    "pound / megabritish_thermal_unit": "lb/MMBtu", U_HOURS_YR: "h/yr", "kilowatt_hour / year": "kWh/yr",
}
# Units as the data files and fields spell them, as a stock pint registry parses them.
_PINT_NAMES = {"": "dimensionless", "kW": "kilowatt", "h/year": "hour / year", "hour/year": "hour / year",
               "kWh/year": "kilowatt_hour / year", "Btu/kWh": "british_thermal_unit / kilowatt_hour",
               "lb/MMBtu": "pound / megabritish_thermal_unit", "lb/MWh": "pound / megawatt_hour", "lb/hour": "pound / hour",
               "lb/scf": "pound / foot ** 3"}


def pint_unit(unit: str) -> str:
    """Return ``unit`` spelled as a stock pint registry parses it."""
    return _PINT_NAMES.get(unit, unit)


def table_unit(unit: str) -> str:
    """Return ``unit`` (as a data file or field spells it) in the tables' words: 'h/yr', not 'hour/year'."""
    return UNIT_NAMES.get(pint_unit(unit), unit)


def short_tons(lb: Any) -> Any:
    """Return a mass in pounds in US short tons (2,000 lb)."""
    return lb / LB_PER_SHORT_TON


def megawatts(kw: Any) -> Any:
    """Return a power in kW in MW."""
    return kw / KW_PER_MW


def kilowatts(mw: Any) -> Any:
    """Return a power (or an energy) in MW (MWh) in kW (kWh)."""
    return mw * KW_PER_MW


def pounds(tons: Any) -> Any:
    """Return a mass in US short tons in pounds."""
    return tons * LB_PER_SHORT_TON


def btu(mmbtu: Any) -> Any:
    """Return an energy in MMBtu in Btu."""
    return mmbtu * BTU_PER_MMBTU


def mmbtu(btu: Any) -> Any:
    """Return an energy in Btu in MMBtu."""
    return btu / BTU_PER_MMBTU


@dataclass(frozen=True)
class Output:
    """One reportable quantity."""

    id: str
    label: str  # for people
    unit: str  # the unit of ``read``'s value, as a stock pint registry parses it
    short_unit: str  # for tables
    read: Callable[[Any], Num]
    pollutant: str = ""  # the pollutant id of an emissions output

    @property
    def shown(self) -> tuple[float, str, str]:
        """Return (multiplier from ``unit``, pint unit, table unit) in which tables, compare, sensitivity and check show
        it: a pollutant's annual mass in US short tons a year, anything else in its own unit."""
        if self.pollutant and self.unit == U_LB_YR:
            return 1 / LB_PER_SHORT_TON, U_TONS_YR, UNIT_NAMES[U_TONS_YR]
        return 1.0, self.unit, self.short_unit


def _pollutant(p: str) -> Output:
    return Output(p, p, U_LB_YR, "lb/yr", lambda r: r.emissions[p].lb_per_year, pollutant=p)


def _pollutant_rate(p: str) -> Output:
    return Output(f"{p}.per_hour", f"{p} at full load", U_LB_H, "lb/h", lambda r: r.emissions[p].lb_per_hour, pollutant=p)


OUTPUTS: dict[str, Output] = {o.id: o for o in (
    Output("capacity", "Fleet capacity", U_MW, "MW", lambda r: megawatts(r.capacity_kw)),
    Output("units", "Units", U_HOMES, "units", lambda r: sum(g.count for g in r.scenario.groups)),
    Output("hours", "Operation", U_HOURS_YR, "full-load h/yr", lambda r: r.hours),
    Output("generation", "Generation", U_MWH_YR, "MWh/yr", lambda r: r.generation_mwh),
    Output("heat_input", "Heat input", U_HEAT_YR, "MMBtu/yr (HHV)", lambda r: r.heat_input_mmbtu),
    Output("heat_input.per_hour", "Heat input per hour", U_HEAT_H, "MMBtu/h (HHV)", lambda r: r.heat_input_mmbtu / r.hours),
    Output("fuel", "Fuel", U_FUEL_YR, "scf/yr", lambda r: r.fuel_scf),
    Output("households", "Households (headline)", U_HOMES, "homes", lambda r: r.households),
    Output("households.energy", "Households, energy view", U_HOMES, "homes", lambda r: r.households_energy),
    Output("households.capacity", "Households, capacity view", U_HOMES, "homes", lambda r: r.households_capacity),
    Output("households.co2", "Households, CO2 view", U_HOMES, "homes", lambda r: r.households_co2),
    *(_pollutant(p) for p in POLLUTANTS),
    *(_pollutant_rate(p) for p in POLLUTANTS),
)}

# What solve can aim at and sensitivity can swing (the annual outputs).
TARGETS = POLLUTANTS + ("households", "generation", "heat_input", "fuel")
# The rows of a side-by-side comparison.
COMPARE = ("capacity", "hours", "generation", "heat_input", "households") + POLLUTANTS


def output(name: str, *, where: str = "--output", allowed: tuple[str, ...] = TARGETS) -> Output:
    """Return the output called ``name`` (one of ``allowed``), or raise a usage error listing them."""
    if name not in allowed:
        raise InputError(f"unknown output '{name}'; known: {', '.join(allowed)}", where=where, usage=True)
    return OUTPUTS[name]


# ---- the cluster's own outputs (read from a ClusterResult: plan and result) ----
def _cluster(path: str) -> Callable[[Any], Num]:
    if path in OUTPUTS:
        o = OUTPUTS[path]
        return lambda cr: o.read(cr.result)
    return {
        "gpus": lambda cr: cr.plan.gpus,
        "power.it": lambda cr: megawatts(cr.plan.it_kw),
        "power.facility": lambda cr: megawatts(cr.plan.facility_kw),
        "turbines.count": lambda cr: cr.plan.total,
    }[path]


CLUSTER: tuple[Output, ...] = (
    Output("gpus", "GPUs", U_HOMES, "", _cluster("gpus")),
    Output("power.it", "IT load", U_MW, "MW", _cluster("power.it")),
    Output("power.facility", "Facility load", U_MW, "MW", _cluster("power.facility")),
    Output("turbines.count", "Units (running + spare)", U_HOMES, "", _cluster("turbines.count")),
    Output("generation", "Generation", U_MWH_YR, "MWh", _cluster("generation")),
    Output("nox", "NOx", U_LB_YR, "short tons", _cluster("nox"), pollutant="nox"),
    Output("co2e", "CO2e", U_LB_YR, "tonnes", _cluster("co2e"), pollutant="co2e"),
    Output("households.energy", "Households, energy view", U_HOMES, "homes", _cluster("households.energy")),
)
