"""How a figure was made: the reproducibility manifest and the methods paragraph with its step-by-step calculation."""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from typing import Any, Iterable

from emiss.version import __version__
from emiss import data
from emiss.core import units
from emiss.core.outputs import megawatts, mmbtu, short_tons
from emiss.core.model import FORM_UNITS, Result
from emiss.report.views import capacity_text, lb_to, selected


@lru_cache(maxsize=None)
def _data_file_hashes() -> dict[str, str]:
    """Return the SHA-256 of each shipped data file, read once per process."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.DATA_DIR.glob("*.toml"))}


def inputs_sha256(inputs: dict[str, Any]) -> str:
    """Return the SHA-256 of a manifest's inputs, as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def manifest(result: Result, run: dict[str, Any] | None = None, *, recipe: dict[str, Any] | None = None,
             results: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return what is needed to reproduce a figure: versions, data-file hashes, resolved inputs and their hash.

    The hash covers every input that can change a printed number: the fleet, factors, ranges and their
    distributions, and the run's own settings (samples, seed, mass unit, pollutants shown).
    """
    sc = result.scenario
    inputs = {
        "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_kw": g.capacity_kw, "heat_rate": g.heat_rate,
                   "basis": g.basis, "combustor": g.combustor or None, "control": g.control} for g in sc.groups],
        "hours": sc.hours, "hhv_lhv": sc.hhv_lhv, "fuel_hhv": sc.fuel_hhv, "household_use_kwh": sc.household_use_kwh,
        "household_demand_kw": sc.household_demand_kw, "households_method": sc.households_method, "gwp": sc.gwp_set,
        "mass_unit": sc.mass_unit,
        "factors": {p: [{"group": g, "form": f.form, "value": f.value, "as_given": f.text, "layer": f.layer}
                        for g, f in result.emissions[p].factors] for p in data.POLLUTANTS if p != "co2e"},
        "uncertain": [{"name": u.name, "path": [str(x) for x in u.path], "distribution": u.dist.kind,
                       "parameters": [u.dist.a, u.dist.b] + ([] if math.isnan(u.dist.c) else [u.dist.c]), "central": u.central}
                      for u in sc.uncertain],
        "run": dict(run or {}),
        "layers": [{"name": a.name, "layer": a.layer, "status": a.status} for a in sc.assumptions],
    }
    out = {"emiss_version": __version__, "factor_library": data.factor_library_version(),
           "data_files_sha256": _data_file_hashes(), "scenario": sc.name, "inputs": inputs, "inputs_sha256": inputs_sha256(inputs)}
    if recipe is not None:  # how to run it again (emiss replay): the preset and the options as given
        out["recipe"] = recipe
    if results is not None:  # the numbers it gave, in full precision, for emiss replay to compare
        out["results"] = results
    return out


def methods_text(result: Result, *, only: Iterable[str] | None = None) -> str:
    """Return a plain-language methods paragraph and the step-by-step calculation for one pollutant."""
    sc = result.scenario
    pol = selected(only)[0]
    e = result.emissions[pol]
    n = sum(int(g.count) for g in sc.groups)
    groups = "; ".join(
        f"{g.count} x {megawatts(g.capacity_kw):g} MW {g.kind}{'s' if g.count > 1 else ''} ({g.name}) at {g.heat_rate:,.0f} Btu/kWh {g.basis.upper()}"
        for g in sc.groups)
    flagged = [(data.input_name(a.name), a.status) for a in sc.assumptions if a.status in ("calibrated", "assumed")]
    name = data.pollutant_name(pol)  # 'NOx', as the tables name it
    flagged += [(f"{name} factor", f.status) for _, f in e.factors if f.status in ("calibrated", "assumed")]
    tons = short_tons(e.lb_per_year)
    tonnes = e.lb_per_year * lb_to("metric_ton")
    lines = [
        f"Methods. Emissions were estimated with emiss {__version__} (factor library {data.factor_library_version()}) "
        f"for {sc.title or sc.name}: {n} units ({groups}), {capacity_text(megawatts(result.capacity_kw))} MW in all, operated at "
        f"{sc.operation_basis}. Heat input (higher heating value, HHV) is capacity x hours x heat rate; heat rates quoted "
        f"on a lower-heating-value basis were raised by the HHV/LHV ratio {sc.hhv_lhv:g}. Emission factors per unit of heat "
        f"input come from EPA AP-42 section 3.1 (April 2000) for turbines, section 3.2 (July 2000) for reciprocating engines, and from 40 CFR Part 98 Tables C-1 and C-2 for "
        f"greenhouse gases, unless the scenario gives its own; stack concentrations (ppmvd at 15 % O2) are converted with "
        f"EPA Method 19 (Fd {data.constant('method19_fd').value:,} dscf/MMBtu). CO2-equivalent uses {sc.gwp_set} {sc.gwp_horizon}-year GWPs (CH4 {sc.gwp_ch4:g}, "
        f"N2O {sc.gwp_n2o:g}). Results are in US short tons (2,000 lb) and metric tonnes (1,000 kg). "
        f"Household equivalents divide generation by {sc.household_use_kwh:,.0f} kWh per home per year (energy view: "
        f"{result.households_energy:,.0f} homes) or capacity by {sc.household_demand_kw:g} kW per home (capacity view: "
        f"{result.households_capacity:,.0f} homes); the headline uses the {sc.households_method} view.",
    ]
    from emiss.report.checks import calibrated_inputs

    calibrated = calibrated_inputs(result)
    if calibrated:
        lines.append("Calibrated to reproduce published figures (so those figures are reproduced by calibration, not "
                     "checked independently): " + "; ".join(map(data.input_name, calibrated)) + ".")
    if flagged:
        lines.append("Values chosen rather than measured: " + "; ".join(dict.fromkeys(f"{a} ({s})" for a, s in flagged)) + ".")
    if not e.complete:
        lines.append(f"The {name} total covers only the units with a factor; none was available for: {', '.join(e.missing)}.")
    if e.lower_bound:  # a guarantee that does not hold here (a dry-low-NOx unit outside its premix range)
        lines.append(f"The {name} total is only a lower bound, not the total ({e.lower_bound}).")
    lines += ["", f"Step by step for {name} ({e.name}):",
              "1. Capacity: " + " + ".join(f"{g.count} x {megawatts(g.capacity_kw):g} MW" for g in sc.groups) + f" = {capacity_text(megawatts(result.capacity_kw))} MW.",
              f"2. Operation: {result.hours:,.0f} full-load hours per year.",
              f"3. Generation: {capacity_text(megawatts(result.capacity_kw))} MW x {result.hours:,.0f} h = {result.generation_mwh:,.0f} MWh/yr."]
    many = len(sc.groups) > 1
    for i, g in enumerate(sc.groups):
        heat = mmbtu(g.count * g.capacity_kw * result.hours * g.heat_rate_hhv)
        conv = f" ({g.heat_rate:,.0f} LHV x {sc.hhv_lhv:g})" if g.basis == "lhv" else ""
        lines.append(f"4{_letter(i) if many else ''}. Heat input, {g.name}: {g.count} x {g.capacity_kw:,.0f} kW x {result.hours:,.0f} h x "
                     f"{g.heat_rate_hhv:,.1f} Btu/kWh HHV{conv} = {heat:,.0f} MMBtu/yr.")
    for i, (group, f) in enumerate(e.factors):
        detail = ""
        conc = units.parse_concentration(f.text)
        if conc is not None:
            mw = data.constant(data.concentration_mw_key(pol)).value
            vol, fd, air = (data.constant(k).value for k in ("molar_volume", "method19_fd", "method19_o2_air"))
            detail = (f" = {conc.ppm:g} ppm x ({mw:g} lb/lb-mol / {vol:g} scf/lb-mol x 1e-6) x {fd:,} dscf/MMBtu x "
                      f"{air:g}/({air:g} - {conc.o2_percent:g})")
        lines.append(f"5{_letter(i) if len(e.factors) > 1 else ''}. Factor, {group}: {f.text}{detail} = {f.value:.5g} {FORM_UNITS[f.form]} [{f.source}].")
    least = "at least " if e.lower_bound else ""
    lines.append(f"6. Emissions: {least}{e.lb_per_year:,.0f} lb/yr = {tons:,.1f} short tons/yr = {tonnes:,.1f} metric tonnes/yr.")
    return "\n".join(lines) + "\n"


def _letter(i: int) -> str:
    """Return a, b, ... z, aa, ab, ... for step i (no limit on the number of groups)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s
