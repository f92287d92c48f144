"""A Result as plain data: the JSON document and the flat rows every machine format shares."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

from . import __version__, library, units
from .calc import BTU_PER_MMBTU, KW_PER_MW, LB_PER_SHORT_TON
from .model import FORM_UNITS, Result

# Unit strings a stock pint registry parses (MMBtu and scf are not in stock pint).
U_MW = "megawatt"
U_MWH_YR = "megawatt_hour / year"
U_HEAT_YR = "megabritish_thermal_unit / year"  # pint's 'mega' Btu = 1e6 Btu = MMBtu
U_HEAT_H = "megabritish_thermal_unit / hour"
U_FUEL_YR = "foot ** 3 / year"  # standard cubic feet (40 CFR 98: 60 degF, 14.7 psia)
U_LB_H = "pound / hour"
SCREENING_NOTE = (
    "Screening against Clean Air Act major-source thresholds, not a legal applicability determination: "
    "applicability rests on potential to emit (8,760 h at the maximum rate unless enforceably limited), "
    "nonattainment areas have lower thresholds, and the permitting authority decides."
)
TONS_NOTE = "short_ton is the US ton of 2,000 lb; metric_ton (tonne) is 1,000 kg = 1.1023 short tons."


def assumption_dicts(assumptions: Iterable[Any]) -> list[dict[str, Any]]:
    """Return assumptions as JSON objects (name, value, unit, source, layer, status, note)."""
    return [{"name": a.name, "value": a.value, "unit": a.unit, "source": a.source, "layer": a.layer,
             "status": a.status, "note": a.note} for a in assumptions]


def selected(result: Result, only: Iterable[str] | None) -> list[str]:
    """Return the pollutant ids to show, in library order."""
    wanted = set(only or library.POLLUTANTS)
    return [p for p in library.POLLUTANTS if p in wanted]


def factor_entries(result: Result, pollutant: str) -> list[dict[str, Any]]:
    """Return the factors used for ``pollutant``, one per group."""
    return [
        {
            "group": group,
            "value": f.value,
            "unit": FORM_UNITS[f.form],
            "form": f.form,
            "as_given": f.text,
            "source": f.source,
            "status": f.status,
            "layer": f.layer,
        }
        for group, f in result.emissions[pollutant].factors
    ]


def to_dict(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the whole result as a JSON-ready dictionary (full precision, units beside every number)."""
    sc = result.scenario
    per_lb = units.multiplier("lb", sc.mass_unit)
    to_tonne = units.multiplier("lb", "metric_ton")
    emissions = {}
    for p in selected(result, only):
        e = result.emissions[p]
        emissions[p] = {
            "name": e.name,
            "value": e.lb_per_year * per_lb,
            "unit": f"{sc.mass_unit} / year",
            "short_tons": e.lb_per_year / LB_PER_SHORT_TON,
            "metric_tonnes": e.lb_per_year * to_tonne,
            "per_hour": {"value": e.lb_per_hour, "unit": U_LB_H},
            "complete": e.complete,
            "missing_groups": list(e.missing),
            "factors": factor_entries(result, p),
        }
        if spread:
            emissions[p].update({k: getattr(spread[p], k) * per_lb for k in ("p5", "p50", "p95")})
    shown = set(emissions)
    return {
        "emiss_version": __version__,
        "factor_library": library.factor_library_version(),
        "scenario": {
            "name": sc.name,
            "title": sc.title,
            "description": sc.description,
            "operation": sc.operation_basis,
            "hours_per_year": result.hours,
            "capacity_factor": sc.capacity_factor,
        },
        "fleet": [
            {
                "name": g.name,
                "kind": g.kind,
                "model": g.model,
                "count": g.count,
                "capacity_per_unit": {"value": g.capacity_kw / KW_PER_MW, "unit": U_MW},
                "heat_rate_hhv": {"value": g.heat_rate_hhv, "unit": "british_thermal_unit / kilowatt_hour"},
                "control": g.control if g.kind == "turbine" else None,
            }
            for g in sc.groups
        ],
        "capacity": {"value": result.capacity_kw / KW_PER_MW, "unit": U_MW},
        "generation": {"value": result.generation_mwh, "unit": U_MWH_YR},
        "heat_input": {"value": result.heat_input_mmbtu, "unit": U_HEAT_YR, "basis": "HHV",
                       "per_hour": {"value": result.heat_input_mmbtu / result.hours, "unit": U_HEAT_H}},
        "fuel": {"value": result.fuel_scf, "unit": U_FUEL_YR, "basis": "standard cubic feet at the Part 98 default HHV"},
        "emissions": emissions,
        "households": {
            "value": result.households,
            "method": sc.households_method,
            "energy": {"value": result.households_energy, "kwh_per_home_year": sc.household_use_kwh},
            "capacity": {"value": result.households_capacity, "kw_per_home": sc.household_demand_kw},
        },
        "screening": [
            {
                "id": s.threshold_id,
                "program": s.program,
                "pollutant": s.pollutant,
                "emitted": s.tons_per_year,
                "threshold": s.threshold_tons,
                "unit": "short_ton / year",
                "crossed": s.crossed,
                "source": s.source,
            }
            for s in result.screening
            if s.pollutant in shown
        ],
        "screening_note": SCREENING_NOTE,
        "assumptions": assumption_dicts(sc.assumptions),
        "notes": list(sc.notes) + [TONS_NOTE],
        "manifest": manifest(result),
        **({"monte_carlo": {
            "uncertain_inputs": [{"name": u.name, "distribution": u.dist.kind, "low": u.dist.bounds()[0], "high": u.dist.bounds()[1],
                                  "central": u.central, "unit": u.unit, "source": u.source} for u in sc.uncertain],
            "households": {k: getattr(spread["households"], k) for k in ("p5", "p50", "p95")},
        }} if spread else {}),
    }


ROW_FIELDS = ("quantity", "value", "unit", "note")


def rows(result: Result, *, only: Iterable[str] | None = None, spread: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Return the result as flat rows (quantity, value, unit, note), shared by csv, tsv and ndjson."""
    doc = to_dict(result, only=only, spread=spread)
    out = [
        {"quantity": "capacity", "value": doc["capacity"]["value"], "unit": U_MW, "note": f"{sum(g.count for g in result.scenario.groups)} units"},
        {"quantity": "hours", "value": result.hours, "unit": "hour / year", "note": result.scenario.operation_basis},
        {"quantity": "generation", "value": doc["generation"]["value"], "unit": U_MWH_YR, "note": ""},
        {"quantity": "heat_input", "value": doc["heat_input"]["value"], "unit": U_HEAT_YR, "note": "HHV"},
        {"quantity": "fuel", "value": doc["fuel"]["value"], "unit": U_FUEL_YR, "note": "standard cubic feet"},
        {"quantity": "households", "value": doc["households"]["value"], "unit": "", "note": f"headline, {result.scenario.households_method} view",
         **({k: getattr(spread["households"], k) for k in ("p5", "p50", "p95")} if spread else {})},
        {"quantity": "households.energy", "value": result.households_energy, "unit": "", "note": f"{result.scenario.household_use_kwh:g} kWh/yr per home"},
        {"quantity": "households.capacity", "value": result.households_capacity, "unit": "", "note": f"{result.scenario.household_demand_kw:g} kW per home"},
    ]
    for p, e in doc["emissions"].items():
        note = "" if e["complete"] else "incomplete: no factor for " + "; ".join(e["missing_groups"])
        out.append({"quantity": f"emissions.{p}", "value": e["value"], "unit": e["unit"], "note": note,
                    **({k: e[k] for k in ("p5", "p50", "p95")} if spread else {})})
        out.append({"quantity": f"emissions.{p}.metric_tonnes", "value": e["metric_tonnes"], "unit": "metric_ton / year", "note": note})
        out.append({"quantity": f"emissions.{p}.per_hour", "value": e["per_hour"]["value"], "unit": U_LB_H, "note": note})
    return out


def cluster_dict(cr: Any) -> dict[str, Any]:
    """Return one cluster result as a JSON-ready dictionary (the estimate's keys plus power and turbines)."""
    p = cr.plan
    doc = to_dict(cr.result)
    lb_to_kg = units.multiplier("lb", "kg")
    period = "GPU-year" if p.run_hours >= cr.result.scenario.year_hours else f"GPU over a {p.run_hours:,.0f} h run"
    doc.update(
        gpus=p.gpus,
        gpu={"id": p.gpu["id"], "name": p.gpu["name"], "server_power": {"value": p.server_kw, "unit": "kilowatt"},
             "gpus_per_server": p.gpu["gpus_per_server"], "source": p.gpu["source"], "status": p.gpu["status"]},
        power={
            "it": {"value": p.it_kw / KW_PER_MW, "unit": U_MW},
            "facility": {"value": p.facility_kw / KW_PER_MW, "unit": U_MW},
            "pue": p.pue,
            "network_storage": p.network_storage,
            "servers": p.servers,
        },
        turbines={
            "count": p.total,
            "running": p.running,
            "spare": p.redundancy,
            "model": p.unit["id"] if p.unit else None,
            "capacity_per_unit": {"value": p.unit_capacity_kw / KW_PER_MW, "unit": U_MW},
            "derate": p.derate,
            "load_fraction": p.facility_kw / (p.total * p.unit_capacity_kw),
        },
        run_hours=p.run_hours,
        per_gpu={
            "period": period,
            "nox": {"value": cr.per_gpu("nox") * lb_to_kg, "unit": "kilogram"},
            "co2e": {"value": cr.per_gpu("co2e") * units.multiplier("lb", "metric_ton"), "unit": "metric_ton"},
        },
    )
    doc["assumptions"] = assumption_dicts(p.assumptions) + doc["assumptions"]
    return doc


CLUSTER_ROWS = (
    ("gpus", "GPUs", ""),
    ("power.it", "IT load", "MW"),
    ("power.facility", "Facility load", "MW"),
    ("turbines.count", "Units (running + spare)", ""),
    ("generation", "Generation", "MWh"),
    ("emissions.nox.short_tons", "NOx", "short tons"),
    ("emissions.nox.metric_tonnes", "NOx", "tonnes"),
    ("emissions.co2e.metric_tonnes", "CO2e", "tonnes"),
    ("households", "Households (energy view)", "homes"),
    ("per_gpu.nox", "NOx per GPU", "kg"),
    ("per_gpu.co2e", "CO2e per GPU", "tonnes"),
)


def pick(doc: dict[str, Any], path: str) -> Any:
    """Return the number at dotted ``path`` of ``doc`` (the 'value' of a {value, unit} object)."""
    cur: Any = doc
    for part in path.split("."):
        cur = cur[part]
    return cur["value"] if isinstance(cur, dict) and "value" in cur else cur


@lru_cache(maxsize=None)
def _data_file_hashes() -> dict[str, str]:
    """Return the SHA-256 (first 16 hex digits) of each data file, read once per process."""
    import hashlib

    return {name: hashlib.sha256((library.DATA_DIR / name).read_bytes()).hexdigest()[:16]
            for name in ("constants.toml", "factors.toml", "thresholds.toml", "catalog.toml", "egrid.toml")}


def manifest(result: Result) -> dict[str, Any]:
    """Return what is needed to reproduce a figure: versions, data-file hashes, resolved inputs and their hash."""
    import hashlib
    import json

    sc = result.scenario
    data_files = _data_file_hashes()
    inputs = {
        "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_kw": g.capacity_kw, "heat_rate": g.heat_rate,
                   "basis": g.basis, "control": g.control} for g in sc.groups],
        "hours": sc.hours, "hhv_lhv": sc.hhv_lhv, "fuel_hhv": sc.fuel_hhv, "household_use_kwh": sc.household_use_kwh,
        "household_demand_kw": sc.household_demand_kw, "households_method": sc.households_method, "gwp": sc.gwp_set,
        "factors": {p: [{"group": g, "form": f.form, "value": f.value, "as_given": f.text, "layer": f.layer}
                        for g, f in result.emissions[p].factors] for p in library.POLLUTANTS if p != "co2e"},
        "layers": [{"name": a.name, "layer": a.layer, "status": a.status} for a in sc.assumptions],
    }
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return {
        "emiss_version": __version__,
        "factor_library": library.factor_library_version(),
        "data_files_sha256": data_files,
        "scenario": sc.name,
        "inputs": inputs,
        "inputs_sha256": hashlib.sha256(canonical.encode()).hexdigest(),
    }


def methods_text(result: Result, *, only: Iterable[str] | None = None) -> str:
    """Return a plain-language methods paragraph and the step-by-step calculation for one pollutant."""
    sc = result.scenario
    pol = selected(result, only)[0]
    e = result.emissions[pol]
    n = sum(g.count for g in sc.groups)
    groups = "; ".join(
        f"{g.count} x {g.capacity_kw / KW_PER_MW:g} MW {g.kind}{'s' if g.count > 1 else ''} ({g.name}) at {g.heat_rate:,.0f} Btu/kWh {g.basis.upper()}"
        for g in sc.groups)
    flagged = [a for a in sc.assumptions if a.status in ("calibrated", "assumed")]
    flagged += [type("F", (), {"name": f"{pol} factor", "status": f.status})() for _, f in e.factors if f.status in ("calibrated", "assumed")]
    tons = e.lb_per_year / LB_PER_SHORT_TON
    tonnes = e.lb_per_year * units.multiplier("lb", "metric_ton")
    lines = [
        f"Methods. Emissions were estimated with emiss {__version__} (factor library {library.factor_library_version()}) "
        f"for {sc.title or sc.name}: {n} units ({groups}), {result.capacity_kw / KW_PER_MW:,.1f} MW in all, operated at "
        f"{sc.operation_basis}. Heat input (higher heating value, HHV) is capacity x hours x heat rate; heat rates quoted "
        f"on a lower-heating-value basis were raised by the HHV/LHV ratio {sc.hhv_lhv:g}. Emission factors per unit of heat "
        f"input come from EPA AP-42 section 3.1 (April 2000) for turbines and from 40 CFR Part 98 Tables C-1 and C-2 for "
        f"greenhouse gases, unless the scenario gives its own; stack concentrations (ppmvd at 15 % O2) are converted with "
        f"EPA Method 19 (Fd {library.constant('method19_fd').value:,} dscf/MMBtu). CO2-equivalent uses {sc.gwp_set} 100-year GWPs (CH4 {sc.gwp_ch4:g}, "
        f"N2O {sc.gwp_n2o:g}). Results are in US short tons (2,000 lb) and metric tonnes (1,000 kg). "
        f"Household equivalents divide generation by {sc.household_use_kwh:,.0f} kWh per home per year (energy view: "
        f"{result.households_energy:,.0f} homes) or capacity by {sc.household_demand_kw:g} kW per home (capacity view: "
        f"{result.households_capacity:,.0f} homes); the headline uses the {sc.households_method} view.",
    ]
    if flagged:
        named = dict.fromkeys(f"{a.name} ({a.status})" for a in flagged)
        lines.append("Values chosen rather than measured: " + "; ".join(named) + ".")
    if not e.complete:
        lines.append(f"The {pol} total covers only the units with a factor; none was available for: {', '.join(e.missing)}.")
    lines += ["", f"Step by step for {pol} ({e.name}):",
              "1. Capacity: " + " + ".join(f"{g.count} x {g.capacity_kw / KW_PER_MW:g} MW" for g in sc.groups) + f" = {result.capacity_kw / KW_PER_MW:,.4g} MW.",
              f"2. Operation: {result.hours:,.0f} full-load hours per year.",
              f"3. Generation: {result.capacity_kw / KW_PER_MW:,.4g} MW x {result.hours:,.0f} h = {result.generation_mwh:,.0f} MWh/yr."]
    for letter, g in zip("abcdefghijklmnopqrstuvwxyz", sc.groups):
        heat = g.count * g.capacity_kw * result.hours * g.heat_rate_hhv / BTU_PER_MMBTU
        conv = f" ({g.heat_rate:,.0f} LHV x {sc.hhv_lhv:g})" if g.basis == "lhv" else ""
        lines.append(f"4{letter if len(sc.groups) > 1 else ''}. Heat input, {g.name}: {g.count} x {g.capacity_kw:,.0f} kW x {result.hours:,.0f} h x "
                     f"{g.heat_rate_hhv:,.1f} Btu/kWh HHV{conv} = {heat:,.0f} MMBtu/yr.")
    for letter, (group, f) in zip("abcdefghijklmnopqrstuvwxyz", e.factors):
        detail = ""
        conc = units.parse_concentration(f.text)
        if conc is not None:
            mw = library.constant(library.concentration_mw_key(pol)).value
            vol, fd, air = (library.constant(k).value for k in ("molar_volume", "method19_fd", "method19_o2_air"))
            detail = (f" = {conc.ppm:g} ppm x ({mw:g} lb/lb-mol / {vol:g} scf/lb-mol x 1e-6) x {fd:,} dscf/MMBtu x "
                      f"{air:g}/({air:g} - {conc.o2_percent:g})")
        lines.append(f"5{letter if len(e.factors) > 1 else ''}. Factor, {group}: {f.text}{detail} = {f.value:.5g} {FORM_UNITS[f.form]} [{f.source}].")
    lines.append(f"6. Emissions: {e.lb_per_year:,.0f} lb/yr = {tons:,.1f} short tons/yr = {tonnes:,.1f} metric tonnes/yr.")
    return "\n".join(lines) + "\n"
