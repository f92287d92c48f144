"""The one catalogue of outputs: every quantity a command can report, its unit, and how to read it from a Result.

JSON documents, rows, compare columns, cluster rows, batch records, solve targets and sensitivity outputs
are all built from this table. Units are strings a stock pint registry parses; pollutant masses are read
in pounds and converted to the scenario's mass unit by the document builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from emiss.core.calc import KW_PER_MW
from emiss.data import POLLUTANTS
from emiss.errors import InputError
from emiss.core.model import Num

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


@dataclass(frozen=True)
class Output:
    """One reportable quantity."""

    id: str
    label: str  # for people
    unit: str  # the unit of ``read``'s value, as a stock pint registry parses it
    short_unit: str  # for tables
    read: Callable[[Any], Num]
    pollutant: str = ""  # the pollutant id of an emissions output


def _pollutant(p: str) -> Output:
    return Output(p, p, U_LB_YR, "lb/yr", lambda r: r.emissions[p].lb_per_year, pollutant=p)


def _pollutant_rate(p: str) -> Output:
    return Output(f"{p}.per_hour", f"{p} at full load", U_LB_H, "lb/h", lambda r: r.emissions[p].lb_per_hour, pollutant=p)


OUTPUTS: dict[str, Output] = {o.id: o for o in (
    Output("capacity", "Fleet capacity", U_MW, "MW", lambda r: r.capacity_kw / KW_PER_MW),
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
        "power.it": lambda cr: cr.plan.it_kw / KW_PER_MW,
        "power.facility": lambda cr: cr.plan.facility_kw / KW_PER_MW,
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
    Output("households.energy", "Households (energy view)", U_HOMES, "homes", _cluster("households.energy")),
)
