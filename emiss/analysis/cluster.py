"""From GPUs to turbines: IT load, facility load, units needed, then the ordinary estimate."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

from emiss.inputs import catalog
from emiss import data
from emiss.core import units
from emiss.core.calc import estimate
from emiss.errors import InputError
from emiss.core.outputs import megawatts
from emiss.core.model import Assumption, Result, Spec
from emiss.inputs.overrides import apply_overrides
from emiss.inputs.scenario import build

ROUNDING_SLACK = 1e-9  # so that 64.0000000001 units of load rounds to 64, not 65
PLAN_SOURCE = ("the cluster plan (emiss cluster): worked out from the GPUs, server power, PUE, utilisation and unit "
               "capacity (units sized for the maximum load; those running share the average), not an input")


@dataclass(frozen=True)
class Plan:
    """The power chain for one GPU count."""

    gpus: int
    gpu: dict[str, Any]
    servers: int
    server_kw: float
    it_kw: float
    facility_kw: float
    pue: float
    network_storage: float
    unit: dict[str, Any] | None
    unit_capacity_kw: float
    derate: float
    redundancy: int
    running: int
    total: int
    run_hours: float
    assumptions: tuple[Assumption, ...]
    utilisation: float = 1.0  # the share of maximum server power drawn on average (1: maximum, a ceiling)
    utilisation_name: str = "maximum"

    @property
    def average_kw(self) -> float:
        """Return the facility load drawn on average: the maximum (facility_kw) x utilisation."""
        return self.facility_kw * self.utilisation


@dataclass(frozen=True)
class ClusterResult:
    """A plan and the estimate of the turbines that carry it."""

    plan: Plan
    result: Result

    def per_gpu(self, pollutant: str) -> float:
        """Return pounds of ``pollutant`` per GPU over the modelled period."""
        return self.result.emissions[pollutant].lb_per_year / self.plan.gpus


def parse_redundancy(text: str | int | None) -> int:
    """Read 'N', 'N+1', 'N+2' or a plain number of spare units."""
    if text is None:
        return 0
    t = str(text).strip().upper().replace(" ", "")
    if t == "N":
        return 0
    if t.startswith("N+"):
        t = t[2:]
    if not re.fullmatch(r"[0-9]{1,4}", t):
        raise InputError(f"'{text}' is not a redundancy; write N, N+1, N+2 ...", where="--redundancy", usage=True)
    return int(t)


def plan(*, gpus: int, gpu_id: str, unit_id: str | None, unit_capacity: str | None, pue: str | None,
         network_storage: str | None, derate: str | None, redundancy: str | None, hours: str | None,
         gpu_hours: str | None, utilisation: str | None = None) -> Plan:
    """Work out the power chain and the number of units for ``gpus`` GPUs.

    The units are sized for the maximum facility load (every server at its maximum power); what they burn follows
    the average, the maximum x ``utilisation`` (default 1, 'maximum': the estimate is then a ceiling).
    """
    if isinstance(gpus, bool) or not isinstance(gpus, int) or gpus < 1:
        raise InputError(f"'{gpus}' must be a whole number of GPUs, at least 1", where="--gpus", usage=True)
    g = catalog.gpu(gpu_id)
    defaults = catalog.cluster_defaults()
    notes: list[Assumption] = []
    per_server = int(g["gpus_per_server"])
    servers = math.ceil(gpus / per_server - ROUNDING_SLACK)
    server_kw = units.convert(g["server_power"], "kW", where="catalog", expect="a power")
    notes.append(Assumption(f"{g['id']}: server power ({per_server} GPUs)", server_kw, "kW", g["source"], "catalog", g["status"]))

    def fraction(value: str | None, key: str, option: str, lo: float, hi: float) -> float:
        if value is None:
            d = defaults[key]
            notes.append(Assumption(key.replace("_", " "), d["value"], "", d["source"], "built-in", d["status"]))
            return float(d["value"])
        x = units.fraction(value, where=option)
        if not lo <= x <= hi:
            raise InputError(f"'{value}' must be between {lo:g} and {hi:g}", where=option, usage=True)
        notes.append(Assumption(key.replace("_", " "), x, "", "command line", "cli", "user"))
        return x

    net = fraction(network_storage, "network_storage", "--network-storage", 0.0, 1.0)
    def named_or_fraction(value: str | None, key: str, option: str, lo: float, hi: float) -> tuple[float, str | None]:
        """Return a value given by a name from the catalog's '<key>_choices' (with its source) or as a number."""
        choices = defaults.get(f"{key}_choices", {})
        name = value.strip().lower() if value is not None else None
        if name in choices:
            c = choices[name]
            notes.append(Assumption(f"{key} ({name})", c["value"], "", c["source"], "cli", c["status"]))
            return float(c["value"]), name
        try:
            return fraction(value, key, option, lo, hi), None
        except InputError as exc:
            raise InputError(f"{exc.message}; or a name: {', '.join(choices)}", where=option, usage=True) from None

    p, _ = named_or_fraction(pue, "pue", "--pue", 1.0, 3.0)
    util, util_name = named_or_fraction(utilisation, "utilisation", "--utilisation", 0.0, 1.0)
    if util_name is None:
        if util <= 0:
            raise InputError(f"'{utilisation}' must be above 0 and at most 1 (1 = maximum server power)", where="--utilisation", usage=True)
        util_name = "maximum" if util == 1 else "given"
    it_kw = servers * server_kw * (1 + net)
    facility_kw = it_kw * p
    unit = None
    if unit_capacity is not None:
        cap_kw = units.convert(unit_capacity, "kW", where="--turbine-capacity", expect="a power such as '16.5 MW'")
        if cap_kw <= 0:
            raise InputError(f"'{unit_capacity}' must be more than zero", where="--turbine-capacity", usage=True)
    else:
        unit = catalog.unit(unit_id or "smt-130")
        cap_kw = units.convert(unit["capacity"], "kW", where="catalog", expect="a power")
    d = 1.0 if derate is None else units.fraction(derate, where="--derate")
    if not 0 < d <= 1:
        raise InputError(f"'{derate}' must be above 0 and at most 1", where="--derate", usage=True)
    if derate is not None:
        notes.append(Assumption("site derate (output / rated)", d, "", "command line", "cli", "user"))
    spare = parse_redundancy(redundancy)
    running = max(1, math.ceil(facility_kw / (cap_kw * d) - ROUNDING_SLACK))
    most = data.limit("count").possible[1]
    if running + spare > most:  # named by the options that size it, not as 'the plan's count' (exit 1) once built
        raise InputError(f"{running + spare:,} units ({running:,} running for {megawatts(facility_kw):,.0f} MW, {megawatts(cap_kw * d):g} MW "
                         f"each, and {spare:,} spare) are more than a fleet may have ({most:,.0f}); check --gpus, the unit's "
                         "capacity, --derate and --redundancy", where="--gpus", usage=True)
    year_c = data.constant("hours_per_year")
    year = units.convert(f"{year_c.value} {year_c.unit}", "hour", where="hours_per_year", expect="hours")
    if hours is not None and gpu_hours is not None:
        raise InputError("give --run-hours or --gpu-hours, not both", where="--gpu-hours", usage=True)
    if gpu_hours is not None:
        run_hours = units.convert(gpu_hours, "hour", where="--gpu-hours", expect="GPU-hours such as '5e6 h'", bare="hour") / gpus
    elif hours is not None:
        run_hours = units.convert(hours, "hour", where="--run-hours", expect="hours such as '2000 h'", bare="hour")
    else:
        run_hours = year
    if not 0 < run_hours <= year:
        given = f"{gpu_hours} over {gpus:,} GPUs, a run of {run_hours:,.3g} h per GPU," if gpu_hours else \
            f"a run of {run_hours:,.0f} h per GPU"  # ',.0f' wrote -1 h over 100,000 GPUs as '-0 h'
        raise InputError(f"{given} must be above 0 and at most {year:,.0f} h (one year)",
                         where="--gpu-hours" if gpu_hours else "--run-hours", usage=True)
    return Plan(gpus, g, servers, server_kw, it_kw, facility_kw, p, net, unit, cap_kw, d, spare, running,
                running + spare, run_hours, tuple(notes), util, util_name)


def part_load_curve(p: Plan) -> Any:
    """Return the part-load heat-rate curve the estimate applies to the plan's units (data.Curve), or None (engines
    have none shipped: they run at their full-load heat rate)."""
    curve = data.curves().get(str(p.unit.get("performance"))) if p.unit is not None else None
    return data.part_load_curve(curve, p.unit.get("kind", "turbine") if p.unit is not None else "turbine")


def lowest_load(p: Plan) -> tuple[float, str]:
    """Return the lowest load a unit of the plan is run at (a fraction of rated output) and why: the end of its
    part-load curve, or for a dry-low-NOx unit the end of its premix range where its NOx guarantee holds, whichever
    is higher (0 without either)."""
    curve = part_load_curve(p)
    lows = [(curve.load[0] / 100, "the end of the part-load curve")] if curve is not None else [(0.0, "")]
    premix = None
    if p.unit is not None and p.unit.get("combustor") == "dry-low-nox":  # the unit's own range, else the shipped one
        premix = p.unit.get("premix") or data.load("performance.toml")["premix"]["dry-low-nox"]  # (as the estimate does)
    if premix:
        lows.append((premix["load"][0] / 100, "where the dry-low-NOx premix range ends"))
    return max(lows)


def operation(p: Plan) -> tuple[int, float, float]:
    """Return how many units run, the load each carries (a fraction of its rated output) and the share of the run's
    hours they run.

    The units that carry the maximum facility load run all the time and share the average load evenly, so each runs
    at part load (92 % of output for 182.3 MW on 12 units of 16.5 MW), at the part-load heat rate of its curve; the
    load is what the plan gives, not full-load-equivalent hours. When that share would fall below the lowest load of
    the curve, or of a dry-low-NOx unit's premix range (a low --utilisation), fewer units run, as many as keep each at
    or above it: an operator shuts units down rather than run them all near idle or out of premix, and emiss does not
    extrapolate a curve. A single unit still below it runs
    at that lowest load for the share of the hours that gives the average (it cycles).
    """
    n = p.running
    load = p.average_kw / (n * p.unit_capacity_kw)
    lowest = lowest_load(p)[0]
    if load >= lowest:
        return n, load, 1.0
    n = max(1, math.floor(p.average_kw / (p.unit_capacity_kw * lowest) * (1 - ROUNDING_SLACK)))
    load = p.average_kw / (n * p.unit_capacity_kw)
    if load >= lowest:
        return n, load, 1.0
    return 1, lowest, load / lowest


def operation_doc(p: Plan) -> dict[str, Any]:
    """Return the basis of the estimate's operation: running units, their load and heat rate, and a sentence saying it."""
    n, load, duty = operation(p)
    curve = part_load_curve(p)
    pct = data.interpolate(curve.load, curve.part_load, load * 100) if curve is not None and load < 1 else None
    year_c = data.constant("hours_per_year")
    year = units.convert(f"{year_c.value} {year_c.unit}", "hour", where="hours_per_year", expect="hours")
    hours = p.run_hours * duty
    when = "all year" if hours >= year else f"for {hours:,.0f} h" + (f" of {p.run_hours:,.0f}" if duty < 1 else "")
    low, why = lowest_load(p)
    fewer = f" (fewer than the {p.running} sized for the maximum: {low * 100:g} % load is {why})" if n < p.running else ""
    rate = (f"at the part-load heat rate, {pct:.1f} % of the full-load heat rate ({curve.name})" if pct is not None else
            "at the full-load heat rate" + (" (no part-load curve is shipped for engines)" if curve is None and load < 1 else ""))
    who = (f"1 unit{fewer} runs {when} and carries the average load, {load * 100:.1f} % of its rated output" if n == 1 else
           f"{n} units{fewer} run {when} and share the average load, {load * 100:.1f} % of rated output each")
    text = f"{who}, {rate}; not full-load-equivalent hours."
    return {"running": n, "load": load, "hours": hours, "heat_rate_percent_of_full_load": pct,
            "basis": "part load" if load < 1 else "full load", "text": text}


def run(p: Plan, *, base: Spec | None = None, overrides: dict[str, Any] | None = None) -> ClusterResult:
    """Estimate the emissions of the units that carry plan ``p`` (they share the average load at part load; spares
    stay idle)."""
    overrides = dict(overrides or {})
    n, load, duty = operation(p)
    # The whole fleet (spares included, so that its count and capacity are the installed ones) at the running units'
    # load, for the hours of the running units spread over it: n x run_hours unit-hours in all, generation
    # total x capacity x load x hours = the average load x run_hours, as before; heat input at the part-load heat rate.
    hours = p.run_hours * duty * n / p.total
    fleet: dict[str, Any] = {"turbines": str(p.total), "hours": f"{hours!r} h", "load": repr(load)}
    if p.unit is not None:
        fleet["turbine_model"] = p.unit["id"]
    else:
        fleet["capacity"] = f"{p.unit_capacity_kw!r} kW"
    overrides.pop("capacity_factor", None)
    spec = apply_overrides(base or Spec(name="cluster"), {**overrides, **fleet})
    # The count, hours and load are the plan's, worked out by emiss from the GPUs, PUE, utilisation and unit, not
    # typed on the command line: said so (as solve's and check's values are, at the top layer, status 'derived')
    # With units idle (spares, or those the plan shuts down), the hours are the running units' spread over every unit
    # installed: the assumption 'operating hours per year (at 92% load)' then says so, and what a running unit runs
    spread = (f"{n} running unit(s) x {p.run_hours * duty:,.0f} h at {load:.0%} load, spread over the {p.total} "
              f"installed ({p.total - n} idle): the hours of each unit of the estimate's fleet of {p.total}; a running "
              "unit runs operation.hours") if n < p.total else ""
    for values, key in ((spec.fleet[0].fields, "count"), (spec.settings, "hours"), (spec.settings, "load")):
        values[key] = replace(values[key], source=PLAN_SOURCE, layer="record", status="derived", where=f"the plan's {key}",
                              note=spread if key == "hours" else values[key].note)
    return ClusterResult(p, estimate(build(spec)))
