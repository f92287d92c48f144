"""The analysis documents: cluster, compare, solve, sensitivity, potential to emit and the operating limit."""

from __future__ import annotations

import math
from typing import Any, Sequence

from emiss import data
from emiss.core import units
from emiss.core.model import Result, set_value_text
from emiss.report import screening
from emiss.report.estimate import estimate_doc, estimate_view, limit_dicts, limits_view
from emiss.core.outputs import (CLUSTER, COMPARE, OUTPUTS, U_HEAT_H, U_LB_H, U_MW, U_TONS_YR, UNIT_NAMES, megawatts, pint_unit, table_unit,
                                  short_tons)
from emiss.data import input_name, pollutant_name
from emiss.report.views import (POLLUTANT_COLUMN, SER_LIMIT_NOTE, STATUS_MARK, Cell, Column, Line, Table, View, assumption_dicts, human, output_name, output_text, output_scale, lb_to,
                                TPY_NOTE, side_by_side, sig4)


# ---- cluster ---------------------------------------------------------------------------------------------

# What turbines.load_fraction is (its value kept: the share of the installed fleet the load uses), beside it in JSON:
# it is not the load a running unit carries when there are spares or fewer units run, which operation.load is.
LOAD_FRACTION_BASIS = ("the average facility load / the capacity of every unit installed, spares included (count x "
                       "capacity_per_unit): the share of the fleet the load uses; each running unit's load is operation.load")

def cluster_doc(cr: Any) -> dict[str, Any]:
    """Return one cluster result as a JSON-ready dictionary (the estimate's keys plus power and turbines)."""
    p = cr.plan
    doc = estimate_doc(cr.result)
    period = "GPU-year" if p.run_hours >= cr.result.scenario.year_hours else f"GPU over a {p.run_hours:,.0f} h run"
    doc.update(
        gpus=p.gpus,
        gpu={"id": p.gpu["id"], "name": p.gpu["name"], "server_power": {"value": p.server_kw, "unit": "kilowatt"},
             "gpus_per_server": p.gpu["gpus_per_server"], "source": p.gpu["source"], "status": p.gpu["status"]},
        power={"it": {"value": megawatts(p.it_kw), "unit": U_MW}, "facility": {"value": megawatts(p.facility_kw), "unit": U_MW},
               "basis": "maximum server power (a ceiling; the units are sized for it)",
               "facility_average": {"value": megawatts(p.average_kw), "unit": U_MW},
               "utilisation": {"value": p.utilisation, "name": p.utilisation_name},
               "pue": p.pue, "network_storage": p.network_storage, "servers": p.servers},
        turbines={"count": p.total, "running": p.running, "spare": p.redundancy, "model": p.unit["id"] if p.unit else None,
                  "capacity_per_unit": {"value": megawatts(p.unit_capacity_kw), "unit": U_MW}, "derate": p.derate,
                  "load_fraction": p.average_kw / (p.total * p.unit_capacity_kw),
                  "load_fraction_basis": LOAD_FRACTION_BASIS},
        run_hours=p.run_hours,
        per_gpu={"period": period,
                 "nox": {"value": cr.per_gpu("nox") * lb_to("kg"), "unit": "kilogram"},
                 "co2e": {"value": cr.per_gpu("co2e") * lb_to("metric_ton"), "unit": "metric_ton"}},
    )
    doc["assumptions"] = assumption_dicts(p.assumptions) + doc["assumptions"]
    return doc


# (catalogue output, label, mass unit for pollutants) -> the cluster rows; per-GPU rows follow.
_CLUSTER_ROWS = (("gpus", "GPUs", ""), ("power.it", "IT load", ""), ("power.facility", "Facility load (maximum)", ""),
                 ("turbines.count", "Units (running + spare)", ""), ("generation", "Generation", ""),
                 ("nox", "NOx", "short_ton"), ("nox", "NOx", "metric_ton"), ("co2e", "CO2e", "metric_ton"),
                 ("households.energy", OUTPUTS["households.energy"].label, ""))  # as estimate's Results name it
_CLUSTER = {o.id: o for o in CLUSTER}
_CLUSTER_TOTALS = ("generation", "nox.short_ton", "nox.metric_ton", "co2e.metric_ton")  # rows summed over the run


def cluster_rows(results: Sequence[Any]) -> list[dict[str, Any]]:
    """Return cluster results as rows (gpus, quantity, label, value, unit), with pint-parseable units."""
    rows = []
    for cr in results:
        for name, label, mass in _CLUSTER_ROWS:
            o = _CLUSTER[name]
            v = o.read(cr)
            unit = o.unit
            if mass:
                v, unit = v * lb_to(mass), f"{mass}"
            rows.append({"gpus": cr.plan.gpus, "quantity": name if not mass else f"{name}.{mass}", "label": label,
                         "value": v, "unit": unit.replace(" / year", "") if name == "generation" else unit})
        per = cluster_doc_per_gpu(cr)
        rows.append({"gpus": cr.plan.gpus, "quantity": "per_gpu.nox", "label": "NOx per GPU", "value": per["nox"], "unit": "kilogram"})
        rows.append({"gpus": cr.plan.gpus, "quantity": "per_gpu.co2e", "label": "CO2e per GPU", "value": per["co2e"], "unit": "metric_ton"})
    return rows


def cluster_doc_per_gpu(cr: Any) -> dict[str, float]:
    """Return NOx (kg) and CO2e (t) per GPU over the modelled period."""
    return {"nox": cr.per_gpu("nox") * lb_to("kg"), "co2e": cr.per_gpu("co2e") * lb_to("metric_ton")}


def cluster_view(results: Sequence[Any]) -> View:
    """Return cluster results side by side, with the chain of assumptions and sources."""
    rows = cluster_rows(results)
    n = len(_CLUSTER_ROWS) + 2
    header = ["Quantity", "Unit"] + [f"{cr.plan.gpus:,} {cr.plan.gpu['id'].upper()}" for cr in results]
    body = []
    # totals over the run: a year's when every run is the whole year (the rows' units leave out '/ year' for a run of
    # fewer hours), said as such: 'NOx 802.7 short tons' did not say over what
    yearly = all(cr.plan.run_hours >= cr.result.scenario.year_hours for cr in results)
    for i in range(n):
        r0 = rows[i]
        unit = UNIT_NAMES.get(r0["unit"], r0["unit"])
        if r0["quantity"].startswith("households"):
            unit = "homes"
        elif yearly and r0["quantity"] in _CLUSTER_TOTALS:
            unit += "/yr"
        cells = []
        for j in range(len(results)):
            v = rows[j * n + i]["value"]
            cells.append(f"{v:,}" if isinstance(v, int) else human(float(v)))
        body.append([r0["label"], unit] + cells)
    first = results[0]
    p = first.plan
    model = p.unit["name"] if p.unit else f"{megawatts(p.unit_capacity_kw):g} MW units"
    period = "GPU-year" if p.run_hours >= first.result.scenario.year_hours else f"GPU over a {p.run_hours:,.0f} h run"
    notes = [f"Units: {model}, site derate {p.derate:g} (output / rated), {p.redundancy} spare (idle); the units that run "
             "share the average load (Operation, below: how many, at what load and heat rate).",
             f"IT load = servers x {p.server_kw:g} kW per {p.gpu['gpus_per_server']}-GPU server x (1 + {p.network_storage:g}); "
             f"facility = IT x PUE {p.pue:g}. Per-GPU figures are per {period}.",
             ("Every server at its maximum power all the time (utilisation 'maximum'): generation, fuel and emissions are a "
              "ceiling, not an expected figure; --utilisation sets the average draw (e.g. h100-training, 0.76 measured)."
              if p.utilisation == 1 else
              f"The units are sized for the maximum load; they burn fuel for the average, {p.utilisation:.0%} of it "
              f"(utilisation {p.utilisation_name}).")]
    view = side_by_side("From GPUs to turbines", header, body, notes, bullet="")
    view.append(Line("Sources", "bold"))
    seen: list[str] = []
    for a in p.assumptions:
        if a.source not in seen and a.layer != "cli":
            seen.append(a.source)
    for pol in ("nox", "co2", "ch4", "n2o"):
        for _, f in first.result.emissions[pol].factors:
            if f.source not in seen:
                seen.append(f.source)
    view += [Line(f"[{i}] {s}") for i, s in enumerate(seen, 1)]
    return view

# ---- compare ---------------------------------------------------------------------------------------------

def _compare_specs(only: Sequence[str] | None) -> list[str]:
    return [o for o in COMPARE if o not in data.POLLUTANTS or only is None or o in only]


def _compare_value(col: Any, output: str) -> float | None:
    v = col.value(output)
    return None if v is None else (short_tons(v) if output in data.POLLUTANTS else v)


def _none_emitted(col: Any, output: str) -> bool:
    """Return whether no unit of a compared scenario emits ``output`` at all (NH3 where no unit has SCR): its 0 is
    'not emitted', not an estimate of nothing, and the table says '-' (JSON and CSV keep the estimate's 0)."""
    res = col.result
    return (res is not None and output in data.POLLUTANTS and output not in col.pounds
            and len(res.emissions[output].not_applicable) == len(res.groups))


def _compare_unit(output: str) -> str:
    return output_scale(output)[1]


def compare_doc(tbl: Any, only: Sequence[str] | None) -> dict[str, Any]:
    """Return a comparison as a JSON-ready dictionary: each scenario's estimate and the compared rows."""
    specs = _compare_specs(only)
    return {"scenarios": [{"label": c.label, "estimate": estimate_doc(c.result, only=only) if c.result else None,
                           "note": c.note or None} for c in tbl.columns],
            "rows": [{"output": o, "unit": _compare_unit(o), "values": [_compare_value(c, o) for c in tbl.columns]} for o in specs],
            "notes": tbl.notes}


def compare_rows(tbl: Any, only: Sequence[str] | None) -> list[dict[str, Any]]:
    """Return a comparison as rows (output, unit, scenario, value, diff, pct)."""
    records = []
    for o in _compare_specs(only):
        values = [_compare_value(c, o) for c in tbl.columns]
        first = values[0]
        for c, v in zip(tbl.columns, values):
            diff = None if v is None or first is None else v - first
            pct = None if diff is None or not first else 100 * diff / first
            records.append({"output": o, "unit": _compare_unit(o), "scenario": c.label, "value": v, "diff": diff, "pct": pct})
    return records


def _at_least(c: Any, output: str) -> tuple[str, ...]:
    """Return why a compared scenario's total of ``output`` is only a lower bound (none: it is whole, or no estimate)."""
    if c.result is None or output not in data.POLLUTANTS or output in c.pounds:
        return ()
    return tuple(c.result.emissions[output].at_least)


def compare_view(tbl: Any, only: Sequence[str] | None) -> View:
    """Return scenarios side by side with differences (%) against the first column."""
    cols = tbl.columns
    specs = _compare_specs(only)

    def cell(o: str, v: float | None, first: float | None, is_first: bool) -> str:
        if v is None:
            return "n/a"
        text = output_text(o, v)
        if is_first or first is None:
            return text
        if first == 0:
            return text + (" (=)" if v == 0 else "")
        pct = 100 * (v - first) / first
        return f"{text} ({pct:+.0f}%)" if abs(pct) >= 0.5 or pct == 0 else f"{text} ({pct:+.1f}%)"

    def shown(c: Any, o: str, first: float | None, is_first: bool) -> str:
        if _none_emitted(c, o):  # no unit of it emits o (NH3 without SCR): '-', as pte and the estimate show it
            return "-"
        return (cell(o, _compare_value(c, o), None if _none_emitted(cols[0], o) else first, is_first) + ("" if c.complete(o) else " *")
                + (" >=" if _at_least(c, o) else ""))

    # a pollutant by its name, as the estimate's emissions table ('NOx', not the id 'nox'); any other output by the
    # catalogue's label, as the estimate's results table ('Heat input', not 'heat_input')
    body = [[pollutant_name(o) if o in data.POLLUTANTS else OUTPUTS[o].label, output_scale(o)[2]] + [shown(c, o, _compare_value(cols[0], o), i == 0)
                                                  for i, c in enumerate(cols)] for o in specs]
    notes = list(tbl.notes)
    # hours at a part load (--load) are not full-load hours: the estimate's unit for them is 'h/yr', and so is this row's
    part = [c for c in cols if c.result is not None and c.result.scenario.load is not None and c.result.scenario.load < 1]
    if part and "hours" in specs:
        body[specs.index("hours")][1] = "h/yr"
        notes.append("Operation: hours a year at each scenario's load, full-load hours except where it runs at part load ("
                     + "; ".join(f"{c.label}: at {c.result.scenario.load:.0%} load" for c in part) + ").")
    dashed = [c.label for c in cols if any(_none_emitted(c, o) for o in specs)]
    if dashed:  # name the columns: the permit view's 'PTE controlled' has SCR where its 'PTE uncontrolled' has none
        notes.append("'-': no unit of that scenario emits it (0 in JSON and CSV): NH3 is the ammonia slip of SCR, and "
                     + ("no scenario here has a unit with SCR." if len(dashed) == len(cols) else
                        "no unit has SCR in " + ", ".join(dashed) + "."))
    least = sorted({why for c in cols for o in specs for why in _at_least(c, o)})
    if least:  # as the estimate's emissions table marks and says it: CO 347.8 at 40 % load was shown as a plain figure
        notes.append(">= at least: a guaranteed level does not hold where the unit runs (" + "; ".join(least) + ").")
    if any(not c.complete(o) for c in cols for o in specs):
        notes.append("* incomplete: some units have no factor for this pollutant (e.g. reciprocating engines without a "
                     "verified AP-42 s.3.2 factor), so the figure covers only the others.")
    return side_by_side("Scenarios compared (differences against the first column)", ["Output", "Unit"] + [c.label for c in cols], body, notes)


# ---- solve and sensitivity -----------------------------------------------------------------------------

def solution_doc(sol: Any, factor_views: dict[str, Any] | None) -> dict[str, Any]:
    """Return a solve result as a JSON-ready dictionary."""
    out = OUTPUTS[sol.target_output]
    doc: dict[str, Any] = {
        "vary": sol.vary, "value": sol.value, "unit": sol.unit, "needed": sol.needed, "feasible": sol.feasible,
        "problem": sol.problem or None,
        "target": {"output": sol.target_output, "value": sol.target_value, "unit": out.unit},
    }
    if factor_views is not None:
        doc["factor"] = factor_views
    # the target's total is only a lower bound at the value found (outside a premix range, units without a factor):
    # the true total is at least the target there, so the value that reaches it is this one or less
    doc["lower_bound"] = _lower_bound(sol) is not None
    doc["estimate"] = estimate_doc(sol.result)
    return doc


def _lower_bound(sol: Any) -> str | None:
    """Return why the solved output's total is only a lower bound ('at least'), or None when it is whole: the reason
    the result carries (PollutantResult.lower_bound, as estimate's rows say it)."""
    if sol.target_output not in data.POLLUTANTS:
        return None
    return sol.result.emissions[sol.target_output].lower_bound or None


def solution_view(sol: Any, doc: dict[str, Any]) -> View:
    """Return a solve result for people: the value needed, its other forms, and the estimate there."""
    tgt = doc["target"]
    shown = (f"{short_tons(tgt['value']):,.4g} short tons/yr" if sol.target_output in data.POLLUTANTS
             else f"{tgt['value']:,.6g} {OUTPUTS[sol.target_output].short_unit}".strip())
    target = pollutant_name(sol.target_output) if sol.target_output in data.POLLUTANTS else sol.target_output  # 'NOx'
    view: View = [Line(f"To reach {target} = {shown}, {sol.vary} must be:", "bold")]
    if "factor" in doc:
        fv = doc["factor"]
        # the digits the estimate's 'Factor used' column writes for the same value (the factor's text): 0.029147 in both,
        # where this line once said 0.02915
        view.append(Line(f"  {set_value_text(fv['lb/MMBtu'])} lb/MMBtu (HHV heat input)"))
        if "ppmvd@15%O2" in fv:
            view.append(Line(f"  {fv['ppmvd@15%O2']:.4g} ppmvd @ 15 % O2 (EPA Method 19)"))
        view.append(Line(f"  {fv['lb/MWh']:.4g} lb/MWh (at this fleet's heat rate)"))
        if fv["placement"]:
            view.append(Line(f"  that is {fv['placement']}"))
        refs = ", ".join(f"{k} {v:.3g}" for k, v in fv["references"].items())
        view.append(Line(f"  (reference levels in lb/MMBtu: {refs})"))
    else:
        view.append(Line(f"  {sol.value:,.6g} {sol.unit}".rstrip()))
    if not sol.feasible:
        view.append(Line(f"Infeasible: {sol.problem}.", "bold"))
    least = _lower_bound(sol)
    if least:
        view.append(Line(f"At least: the {pollutant_name(sol.target_output, in_text=True)} total is only a lower bound here ({least}), so at this value "
                         "it is the target or more: the target is reached at this value or a smaller one.", "bold"))
    view.append(Line("The estimate at this value (results and emissions; --format json gives all of it):", "bold"))
    full = estimate_view(sol.result)
    keep = [b for b in full if isinstance(b, Table) and (b.title == "Results" or b.title.startswith("Emissions per year"))]
    finding = [b for b in full if isinstance(b, Line) and b.style == "finding"]
    return view + finding + keep

def sensitivity_doc(output: str, central: float, swings: Sequence[Any]) -> dict[str, Any]:
    """Return one-at-a-time swings as a JSON-ready dictionary (units pint parses)."""
    scale, unit, _ = output_scale(output)
    return {"output": output, "central": central * scale, "unit": unit, "swings": sensitivity_rows(output, swings)}


def sensitivity_rows(output: str, swings: Sequence[Any]) -> list[dict[str, Any]]:
    """Return one row per uncertain input: its ends, the output at each, and the swing."""
    scale, unit, _ = output_scale(output)
    return [{"input": s.name, "low": s.low_input, "high": s.high_input, "input_unit": pint_unit(s.unit),
             "output_at_low": s.low_output * scale, "output_at_high": s.high_output * scale,
             "swing": (s.high_output - s.low_output) * scale, "output_unit": unit, "source": s.source} for s in swings]

# The longest half-bar of the tornado, in characters: at 22 the table (label, two values, two half-bars) no longer fit
# 80 columns and every bar was folded onto two lines ('######  |####...' over '##  ####'); at 16 it fits.
TORNADO_BAR = 16  # characters of the longest half-bar: both halves beside the labels and figures fit 80 columns
# what the note says a narrow terminal left out: both half-bars go together (one alone would be half a tornado)
BARS = "the tornado's bars"


def _end(low: float, high: float) -> str:
    """Return an input's range for people: whole numbers as such (a count of units '14 .. 31', not '14.00 .. 31.00')."""
    if all(float(v).is_integer() and abs(v) < EXACT_WHOLE for v in (low, high)):
        return f"{low:,.0f} .. {high:,.0f}"
    return f"{human(low)} .. {human(high)}"


EXACT_WHOLE = 1e15  # below this a whole float is shown with all its digits (a float holds every integer to 2**53)


def sensitivity_view(output: str, central: float, swings: Sequence[Any]) -> View:
    """Return a tornado of bars, largest swing first."""
    scale, _, unit = output_scale(output)
    width = TORNADO_BAR  # characters of the longest half-bar
    biggest = max((abs(v - central) for s in swings for v in (s.low_output, s.high_output)), default=0) or 1
    t = Table(f"Sensitivity of {output_name(output).split(' (')[0]} ({unit}); central value {human(central * scale)}",
              (Column("Input (low .. high)", fold=True), Column("at low", "right"),
               # secondary: where the table would be drawn one row per block (60 columns) the bars fall apart into loose
               # '####' lines; both are left out instead, said in the note
               Column("", "right", secondary=True, group=BARS), Column("", secondary=True, group=BARS),
               Column("at high", "right")), plain=True)
    for s in swings:
        def bar(v: float) -> tuple[str, str]:
            k = round(width * abs(v - central) / biggest)
            return ("#" * k, "") if v < central else ("", "#" * k)
        lo_l, lo_r = bar(s.low_output)
        hi_l, hi_r = bar(s.high_output)
        left = (lo_l if len(lo_l) >= len(hi_l) else hi_l).rjust(width)
        right = (lo_r if len(lo_r) >= len(hi_r) else hi_r).ljust(width)
        label = f"{input_name(s.name)} ({_end(s.low_input, s.high_input)} {table_unit(s.unit)})".replace(" )", ")")
        t.rows.append((label, human(s.low_output * scale), Cell(left, "low"), Cell("|" + right, "high"), human(s.high_output * scale)))
    return [t, Line("Each bar: the output with that one input at its low and high end, all others central "
                    "(normal and lognormal inputs: P5 and P95).")]

# ---- permit: potential to emit per emission unit, and the operating limit ----------------------------------

def pte_doc(result: Result, uncontrolled: Result | None, worst: Any = None) -> dict[str, Any]:
    """Return the potential-to-emit document: each emission unit's factors and rates, and the facility total.

    ``worst``: (low, high, rates) from analysis.worstcase for ``--ambient-range``, or None."""
    from emiss.report.application import both_forms, startup_doc, worst_doc

    units_out = []
    for i, g in enumerate(result.groups):
        pols = {}
        for p in data.POLLUTANTS:
            if p not in g.lb_per_year:
                pols[p] = None
                continue
            f = g.factors.get(p)
            entry = {"factor": ({"as_given": f.text, "value": f.value, "unit": pint_unit(f.unit), "source": f.source,
                                 "status": f.status, **both_forms(f)} if f is not None else None),
                     "lb_per_hour_each": {"value": g.lb_per_hour[p] / g.count, "unit": U_LB_H},
                     "lb_per_hour_all": {"value": g.lb_per_hour[p], "unit": U_LB_H},
                     "tons_per_year_all": {"value": short_tons(g.lb_per_year[p]), "unit": U_TONS_YR}}
            if uncontrolled is not None and p in uncontrolled.groups[i].lb_per_year:
                entry["uncontrolled_tons_per_year_all"] = {"value": short_tons(uncontrolled.groups[i].lb_per_year[p]),
                                                           "unit": U_TONS_YR}
            if p == "pm":
                entry.update(pm_split(f, g.lb_per_year[p]))
            pols[p] = entry
        units_out.append({"name": g.name, "kind": g.kind, "count": g.count,
                          "rating_each": {"value": megawatts(g.capacity_kw), "unit": U_MW},
                          "heat_input_each": {"value": g.heat_input_mmbtu_h / g.count, "unit": U_HEAT_H, "basis": "HHV"},
                          "combustor": result.scenario.groups[i].combustor or None,
                          "control": result.scenario.groups[i].control, "pollutants": pols})
        sg = result.scenario.groups[i]
        units_out[-1].update({"unit_ids": list(sg.unit_ids) or None, "stack": sg.stack, "startup_shutdown": startup_doc(sg, g)})
        if worst is not None:
            units_out[-1]["worst_case_hourly"] = worst_doc(g.name, sg.curve, worst[2].get(g.name, {}))
    facility = {p: {"value": short_tons(e.lb_per_year), "unit": U_TONS_YR, "complete": e.complete,
                    **({"uncontrolled": short_tons(uncontrolled.emissions[p].lb_per_year)} if uncontrolled else {})}
                for p, e in result.emissions.items()}
    sc = result.scenario
    doc = {"units": units_out, "facility": facility, "area": sc.area,
           "screening": estimate_doc(result)["screening"], "limits": limit_dicts(result),
           "operation": {"hours_per_year": float(result.hours), "basis": sc.operation_basis},
           "note": _pte_note(result)}
    if worst is not None:
        doc["ambient_range"] = {"low": worst[0], "high": worst[1], "unit": "degC"}
    return doc


def _pte_note_full() -> str:
    """Return the PTE note of a full year at full load."""
    return "Potential to emit: every unit at its rated output for the hours stated (8,760 h unless limited)."


def _pte_note(result: Result) -> str:
    """Return what the PTE's tons rest on: the full year at full load, or (hours, a capacity factor or a part load
    given) the operation as given, which is the PTE only where an enforceable limit holds the units to it."""
    sc = result.scenario
    if float(result.hours) >= sc.year_hours and (sc.load is None or sc.load >= 1):
        return _pte_note_full()
    return (f"Potential to emit as operated here: {sc.operation_basis}, not the full year at full load (8,760 h); the "
            "tons per year are the PTE only if an enforceable limit holds the units to this operation.")


def pm_split(f: Any, lb_year: float) -> dict[str, Any]:
    """Return PM as permits list it: filterable PM, PM10 and PM2.5 (filterable + condensable; all of it fine for gas)."""
    tons = short_tons(lb_year)
    share = getattr(f, "filterable_share", None)
    return {"pm_filterable": {"value": tons * share, "unit": U_TONS_YR} if share is not None else None,
            "pm10": {"value": tons, "unit": U_TONS_YR}, "pm25": {"value": tons, "unit": U_TONS_YR}}


def pte_view(result: Result, uncontrolled: Result | None, worst: Any = None) -> View:
    """Return the potential to emit as a permit application shows it: a table per emission unit, then the facility."""
    from emiss.report.application import both_forms_text, startup_rows, unit_lines, worst_view

    doc = pte_doc(result, uncontrolled, worst)
    view: View = [Line(f"Potential to emit: {result.scenario.title or result.scenario.name}", "bold")]
    if doc["note"] != _pte_note_full():
        view.append(Line(doc["note"]))  # said first too: every ton below rests on it
    refs: dict[str, int] = {}
    for u in doc["units"]:
        cols = [POLLUTANT_COLUMN, Column("Factor (both forms)", fold=True), Column("lb/h each", "right"), Column("lb/h all", "right"),
                Column("tpy all", "right")]
        if uncontrolled is not None:
            cols.append(Column("tpy uncontrolled", "right"))
        t = Table(f"Emission unit: {u['name']} ({u['count']} x {u['rating_each']['value']:g} MW {u['kind']}, "
                  f"{human(u['heat_input_each']['value'])} MMBtu/h each, HHV)", tuple(cols))
        for p, e in u["pollutants"].items():
            if e is None:
                if u["name"] in result.emissions[p].not_applicable:
                    continue  # not emitted by this unit (NH3 without SCR): not a missing factor
                t.rows.append((pollutant_name(p), "no factor", "-", "-", "-") + (("-",) if uncontrolled is not None else ()))
                continue
            f = e["factor"]
            fac = ("CO2 + GWP-weighted CH4, N2O" if f is None
                   else f"{both_forms_text(f)} [{refs.setdefault(f['source'], len(refs) + 1)}]")
            if f is not None and f["status"] in STATUS_MARK:
                fac += f" ({STATUS_MARK[f['status']]})"
            row = [pollutant_name(p), fac, human(e["lb_per_hour_each"]["value"]), human(e["lb_per_hour_all"]["value"]), human(e["tons_per_year_all"]["value"])]
            if uncontrolled is not None:
                row.append(human(e["uncontrolled_tons_per_year_all"]["value"]) if "uncontrolled_tons_per_year_all" in e else "-")
            t.rows.append(tuple(row))
            if p == "pm":
                filt = e["pm_filterable"]
                for label, v in (("  PM filterable", filt), ("  PM10", e["pm10"]), ("  PM2.5", e["pm25"])):
                    t.rows.append((label, "" if v else "the factor gives total PM only", "", "",
                                   human(v["value"]) if v else "n/a") + (("",) if uncontrolled is not None else ()))
        t.rows.extend(startup_rows(u, len(cols)))
        view.append(t)
        view += unit_lines(u)
    cols = [POLLUTANT_COLUMN, Column("Facility tpy", "right")]
    if uncontrolled is not None:
        cols.append(Column("Uncontrolled tpy", "right"))
    f_t = Table("Facility total (potential to emit)", tuple(cols))
    for p, e in doc["facility"].items():
        if len(result.emissions[p].not_applicable) == len(result.groups):
            continue  # no unit emits it (NH3 without SCR)
        row = [pollutant_name(p) + ("" if e["complete"] else " *"), human(e["value"])]
        if uncontrolled is not None:  # '-' as the unit table: before add-on controls no unit emits it (no SCR: no NH3)
            none = len(uncontrolled.emissions[p].not_applicable) == len(uncontrolled.groups)
            row.append("-" if none else human(e["uncontrolled"]))
        f_t.rows.append(tuple(row))
    view.append(f_t)
    if worst is not None:
        view += worst_view(doc)
    view += [Line(f"[{n}] {src}") for src, n in refs.items()]
    if result.scenario.limits:
        view += [Line(screening.summary(result))] + [Line(x) for x in screening.cap_lines(result)]
    view += limits_view(result, refs)
    if uncontrolled is not None:
        view.append(Line(_uncontrolled_note(result)))
    if line := screening.catalyst_hcho_note(result):
        view.append(Line(line))
    view += [Line(doc["note"]), Line(TPY_NOTE)]
    return view


def _uncontrolled_note(result: Result) -> str:
    """Return what the 'uncontrolled' column is: before add-on controls, each unit at its own combustor or engine type.
    A permit reviewer reads 'uncontrolled' as AP-42 Table 3.1-1's uncontrolled (diffusion-flame) row, 0.32 lb/MMBtu
    NOx; a dry-low-NOx unit's column is its combustor's level (the SMT-130's 25 ppm, 0.092 lb/MMBtu), which is not it."""
    design = "; ".join(f"{g.name}: {g.engine_type or 'engine'}" if g.kind == "engine" else
                       f"{g.name}: {g.combustor or 'diffusion'} combustor" for g in result.scenario.groups)
    return ("Uncontrolled: before add-on controls (SCR, oxidation catalyst, NSCR), every unit at its own combustor or "
            f"engine type ({design}); not AP-42's 'uncontrolled' diffusion-flame factor unless that is the combustor.")


AS_LIMITED_REL = 1e-9  # a PTE this far below the estimate, relatively, is held there by a limit, not rounding


def limit_doc(ol: Any) -> dict[str, Any]:
    """Return an operating-limit answer as the JSON document of 'emiss limit'."""
    from emiss.analysis.permit import DISCLAIMER

    return {"vary": ol.vary, "value": ol.value if ol.status != "infeasible" else None, "unit": ol.unit, "status": ol.status,
            # nothing binds when no limit is needed: 'closest' names the pollutant nearest its threshold instead
            "binding": ol.binding if ol.status == "limit" else None,
            "closest": ol.binding if ol.status == "no limit needed" else None, "threshold": {"value": short_tons(ol.threshold_lb), "unit": U_TONS_YR,
                                                 "name": ol.threshold_name},
            "margins": {p: {"value": short_tons(ol.margins[p]), "unit": U_TONS_YR} for p in ol.order()},  # as the table lists them
            "message": ol.message, "note": DISCLAIMER,
            "load": ol.result.scenario.load,  # the units' load while running (--load), a fraction; null: full load
            "estimate": estimate_doc(ol.result)}


def limit_view(ol: Any) -> View:
    """Return an operating-limit answer for people."""
    from emiss.analysis.permit import DISCLAIMER

    if ol.status == "infeasible":
        head = f"No operating limit keeps every pollutant under: {ol.message}."
    elif ol.status == "no limit needed":
        head = f"No limit needed: {ol.message}."
    else:
        # rounded down (toward safety): the figure a reader copies keeps every pollutant under, as the exact value does
        shown = {"hour / year": f"{math.floor(ol.value):,} h/yr", "dimensionless": f"a capacity factor of {math.floor(ol.value * 1e3) / 1e3:.3f}",
                 "foot ** 3 / year": f"{math.floor(ol.value * units.multiplier('scf', 'MMscf') * 10) / 10:,.1f} million scf of fuel a year"}[ol.unit]
        load = ol.result.scenario.load
        if load is not None and load < 1 and ol.unit != "foot ** 3 / year":
            # hours at part load are not full-load hours: at full load the same hours emit more (memphis at 50 %: 2,021
            # h/yr keeps CO under 100 tpy, while 2,021 full-load hours give 18 tpy of formaldehyde against 10)
            shown += f" at {load:.0%} load"
        head = f"The largest operation that keeps every pollutant under: {shown} ({ol.message})."
    # the order the mark follows: the pollutant that binds (or is over, or the closest: the largest share), then by share
    # each pollutant's own threshold (10 tpy of one HAP beside 100 of a criteria pollutant), and a pollutant that an
    # enforceable permit limit holds below the estimate said to be so: the margins are of the PTE as limited, and 'pm
    # 27.00 left' beside the 76.72 the estimate and pte show read as a mistake
    t = Table("Margin under each threshold, largest share first",
              (Column("Pollutant"), Column("Threshold, short tons/yr", "right"), Column("Left, short tons/yr", "right"),
               Column("Share of threshold", "right")))
    mark = " (binds)" if ol.status == "limit" else " (closest)" if ol.status == "no limit needed" else " (over)"
    held = []
    for p in ol.order():
        tons = short_tons(ol.margins[p])
        threshold = ol.thresholds.get(p)
        if threshold is not None and ol.status != "infeasible":
            estimate = ol.result.emissions[p].lb_per_year
            limited = threshold - ol.margins[p] < estimate * (1 - AS_LIMITED_REL)
            if limited:
                held.append(f"{pollutant_name(p, in_text=True)} {human(short_tons(threshold - ol.margins[p]))} (estimate {human(short_tons(estimate))})")
        else:
            limited = False
        t.rows.append((pollutant_name(p) + (mark if p == ol.binding else "") + (" (as limited)" if limited else ""),
                       # as thresholds are stated (9.8, 100), and 75,000 tpy of CO2e in full, not '7.5e+04'
                       sig4(short_tons(threshold)) if threshold is not None else "",
                       human(0.0 if abs(tons) < 1e-9 else tons), _share(ol.share(p)) if p in ol.thresholds else ""))
    view: View = [Line(head, "bold"), t]
    if held:
        view.append(Line("As limited: the potential to emit as the permit's enforceable limits hold it, short tons/yr, as the "
                         "screening judges it: " + "; ".join(held) + "."))
    if ol.binding in ("hcho", "hap") and (line := screening.catalyst_hcho_note(ol.result)):
        view.append(Line(line))  # the hours rest on formaldehyde before the catalyst: they are a lower bound on what it allows
    if "psd-ser" in ol.under:
        view.append(Line(SER_LIMIT_NOTE))
    return view + [Line(DISCLAIMER)]


# A share of a threshold shown as a percentage with one decimal up to this many times the threshold; beyond it (a cap
# of 1e-300 tpy) the digits of '{:.1%}' ran to hundreds and pushed the table apart: four significant figures instead.
SHARE_IN_FULL = 1e6


def _share(share: float) -> str:
    """Return a share of a threshold for people: '85.3%', or '1.482e+293%' where one decimal would be hundreds of digits."""
    return f"{share:.1%}" if abs(share) < SHARE_IN_FULL else f"{share * 100:.4g}%"
