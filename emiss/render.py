"""Renderers: one Result, many encodings. The only module that imports rich (lazily)."""

from __future__ import annotations

import csv
import json
import math
import os
from typing import IO, Any, Iterable

from .calc import BTU_PER_MMBTU, KW_PER_MW
from . import report
from .errors import printable
from .model import FORM_UNITS, Result

FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "value", "methods")
TABLE_WIDTH = 110  # columns when not writing to a terminal: wide enough to keep rows whole when pasted
STATUS_MARK = {"calibrated": "CALIBRATED", "assumed": "assumed", "recalled": "unverified"}


def human(v: float) -> str:
    """Round ``v`` for people: about four significant figures, thousands separated."""
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:,.2f}"
    digits = 2 - int(math.floor(math.log10(a)))
    return f"{v:.{digits}f}"


def sig4(v: float) -> str:
    """Four significant figures, with thousands separators instead of an exponent for large values."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


def to_spread(v: float, lo: float, hi: float) -> str:
    """Round ``v`` to two significant figures of the spread hi - lo (no false precision)."""
    width = abs(hi - lo)
    if width == 0 or not math.isfinite(width):
        return human(v)
    digits = 1 - int(math.floor(math.log10(width)))
    r = round(v, digits)
    return f"{r:,.{max(digits, 0)}f}"


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (leading = + - @, tab, CR) or a terminal would obey."""
    if isinstance(value, str):
        if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            value = "'" + value
        return printable(value)
    return value


def write_json(doc: Any, out: IO[str]) -> None:
    """Write one JSON document."""
    json.dump(doc, out, indent=2, allow_nan=False, ensure_ascii=False)
    out.write("\n")


def write_rows(rows: list[dict[str, Any]], out: IO[str], fmt: str, fields: Iterable[str] = report.ROW_FIELDS, *, header: bool = True) -> None:
    """Write flat rows as csv, tsv or ndjson."""
    fields = list(fields)
    if fmt == "ndjson":
        for r in rows:
            out.write(json.dumps(r, allow_nan=False, ensure_ascii=False) + "\n")
        return
    w = csv.DictWriter(out, fieldnames=fields, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n", extrasaction="ignore")
    if header:
        w.writeheader()
    for r in rows:
        w.writerow({k: (repr(v) if isinstance(v, float) else safe_cell(v)) for k, v in r.items()})


def write(result: Result, fmt: str, out: IO[str], *, only: list[str] | None = None, color: bool | None = None,
          spread: dict[str, Any] | None = None) -> None:
    """Write ``result`` to ``out`` in format ``fmt`` (with Monte Carlo percentiles when ``spread`` is given)."""
    if fmt == "json":
        write_json(report.to_dict(result, only=only, spread=spread), out)
    elif fmt in ("csv", "tsv", "ndjson"):
        write_rows(report.rows(result, only=only, spread=spread), out, fmt, report.ROW_FIELDS + (("p5", "p50", "p95") if spread else ()))
    elif fmt == "value":
        (p,) = report.selected(result, only)
        out.write(repr(result.emissions[p].lb_per_year * report.units.multiplier("lb", result.scenario.mass_unit)) + "\n")
    elif fmt == "markdown":
        out.write(markdown(result, only=only, spread=spread))
    elif fmt == "methods":
        out.write(report.methods_text(result, only=only))
    else:
        table(result, out, only=only, color=color, spread=spread)


def _result_rows(result: Result) -> list[tuple[str, str, str, str]]:
    sc = result.scenario
    n = sum(g.count for g in sc.groups)
    heat_h = result.heat_input_mmbtu / result.hours
    headline = sc.households_method
    return [
        ("Fleet capacity", human(result.capacity_kw / KW_PER_MW), "MW", f"{n} units in {len(sc.groups)} group(s)"),
        ("Operation", human(result.hours), "full-load h/yr", sc.operation_basis),
        ("Generation", human(result.generation_mwh), "MWh/yr", "electricity out"),
        ("Heat input", human(result.heat_input_mmbtu), "MMBtu/yr (HHV)", f"{human(heat_h)} MMBtu/h"),
        ("Fuel", human(result.fuel_scf * report.units.multiplier("scf", "MMscf")), "million scf/yr",
         f"at {sc.fuel_hhv * BTU_PER_MMBTU:,.0f} Btu/scf (HHV)"),
        ("Households" + (" (headline)" if headline == "energy" else ""), human(result.households_energy), "homes",
         f"energy view: generation / {sc.household_use_kwh:,.0f} kWh/yr per home"),
        ("Households" + (" (headline)" if headline == "capacity" else ""), human(result.households_capacity), "homes",
         f"capacity view: capacity / {sc.household_demand_kw:g} kW per home"),
    ]


def _sources(result: Result, ids: list[str]) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Number the distinct factor sources, so that tables can cite them as [n]."""
    numbers: dict[str, int] = {}
    for p in ids:
        for x in report.factor_entries(result, p):
            numbers.setdefault(x["source"], len(numbers) + 1)
    return numbers, [(f"[{n}]", src) for src, n in numbers.items()]


def _factor_cell(result: Result, p: str, numbers: dict[str, int]) -> tuple[str, str]:
    e = result.emissions[p]
    if p == "co2e":
        sc = result.scenario
        return f"CO2 + {sc.gwp_ch4:g} CH4 + {sc.gwp_n2o:g} N2O", f"GWP {sc.gwp_set}"
    entries = report.factor_entries(result, p)
    text = " / ".join(dict.fromkeys(x["as_given"] for x in entries)) or "none"
    if e.missing:
        groups = result.scenario.groups
        covered = sum(g.count for g in groups if g.name not in e.missing)
        text += f" ({covered} of {sum(g.count for g in groups)} units)"
    refs = sorted({numbers[x["source"]] for x in entries})
    marks = sorted({STATUS_MARK[x["status"]] for x in entries if x["status"] in STATUS_MARK})
    return text, "".join(f"[{n}]" for n in refs) + (" " + ", ".join(marks) if marks else "")


SCREEN_COLUMNS = (("title_v",), ("psd_other", "psd_listed"), ("hap_single", "hap_combined"))


def _screen_cells(result: Result, p: str) -> list[str]:
    by_id = {s.threshold_id: s for s in result.screening if s.pollutant == p}
    cells = []
    for ids in SCREEN_COLUMNS:
        hits = [by_id[i] for i in ids if i in by_id]
        if not hits:
            cells.append("-")
            continue
        crossed = [s for s in hits if s.crossed]
        if not crossed:
            cells.append("below")
        elif len(crossed) == len(hits):
            cells.append("ABOVE")
        else:
            cells.append(f"ABOVE {crossed[0].threshold_tons:g} only")
    return cells


def _isatty(out: IO[str]) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def table(result: Result, out: IO[str], *, only: list[str] | None = None, color: bool | None = None,
          spread: dict[str, Any] | None = None, console: Any = None) -> None:
    """Draw the result as rich tables: results, emissions, screening, assumptions, notes."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if console is None:
        console = _console(out, color=color)
    sc = result.scenario
    ids = report.selected(result, only)
    numbers, source_list = _sources(result, ids)
    to_tonne = report.units.multiplier("lb", "metric_ton")

    def new_table(title: str, *cols: tuple[str, str], limits: dict[str, int] | None = None) -> Any:
        t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
        for name, just in cols:
            t.add_column(name, justify=just, overflow="fold", max_width=(limits or {}).get(name))
        return t

    if sc.title:
        console.print(Text(sc.title, style="bold"))
    f_table = new_table("Fleet", ("Group", "left"), ("Kind", "left"), ("Units", "right"), ("MW each", "right"),
                        ("Heat rate HHV", "right"), ("Control", "left"))
    for g in sc.groups:
        f_table.add_row(*(Text(c) for c in (g.name, g.kind, str(g.count), f"{g.capacity_kw / KW_PER_MW:g}",
                                            f"{g.heat_rate_hhv:,.0f} Btu/kWh", g.control if g.kind == "turbine" else "-")))
    console.print(f_table)
    t = new_table("Results", ("Quantity", "left"), ("Value", "right"), ("Unit", "left"), ("Basis", "left"))
    for row in _result_rows(result):
        t.add_row(*(Text(c) for c in row))
    console.print(t)

    custom = sc.mass_unit not in ("short_ton", "metric_ton")
    cols = [("Pollutant", "left"), ("short tons/yr", "right"), ("tonnes/yr", "right")]
    if custom:
        cols.append((f"{sc.mass_unit}/yr", "right"))
    if spread:
        cols.append(("P5 .. P95 short tons/yr", "right"))
    cols += [("lb/h", "right"), ("Factor used", "left"), ("Source", "left")]
    e_table = new_table("Emissions per year, whole fleet (short tons = US 2,000 lb; tonnes = 1,000 kg)", *cols)
    incomplete = False
    for p in ids:
        e = result.emissions[p]
        incomplete |= not e.complete
        tons = e.lb_per_year / report.LB_PER_SHORT_TON
        if spread:
            sp = spread[p]
            lo, hi = sp.p5 / report.LB_PER_SHORT_TON, sp.p95 / report.LB_PER_SHORT_TON
            t_lo, t_hi = lo * report.LB_PER_SHORT_TON * to_tonne, hi * report.LB_PER_SHORT_TON * to_tonne
            cells = [p + ("" if e.complete else " *"), to_spread(tons, lo, hi), to_spread(e.lb_per_year * to_tonne, t_lo, t_hi)]
        else:
            cells = [p + ("" if e.complete else " *"), human(tons), human(e.lb_per_year * to_tonne)]
        if custom:
            cells.append(human(e.lb_per_year * report.units.multiplier("lb", sc.mass_unit)))
        if spread:
            cells.append(f"{to_spread(lo, lo, hi)} .. {to_spread(hi, lo, hi)}")
        cells += [human(e.lb_per_hour), *_factor_cell(result, p, numbers)]
        e_table.add_row(*(Text(c) for c in cells))
    console.print(e_table)
    if spread:
        u = sc.uncertain
        console.print(Text(f"P5 .. P95: Monte Carlo over {len(u)} uncertain input(s): " + "; ".join(
            f"{x.name} {x.dist.describe(sig4)} {x.unit}".rstrip() for x in u) + ". Central values and P5-P95 are rounded to the spread."))
    if incomplete:
        lacking = sorted({g for p in ids for g in result.emissions[p].missing})
        console.print(Text("* incomplete: no factor for " + ", ".join(lacking) + ", so the total covers only the other units "
                           "(give one with --factor POLLUTANT=QTY or in the preset)."))
    for ref, src in source_list:
        console.print(Text(f"{ref} {src}"))

    regulated = [p for p in ids if any(s.pollutant == p for s in result.screening)]
    if regulated:
        console.print()
        s_table = new_table("Regulatory screening: annual emissions vs major-source thresholds, all in US short tons/yr",
                            ("Pollutant", "left"), ("short tons/yr", "right"), ("Title V (100)", "left"),
                            ("PSD (250; 100 listed)", "left"), ("HAP (10 one / 25 all)", "left"))
        for p in regulated:
            e = result.emissions[p]
            s_table.add_row(Text(p + ("" if e.complete else " *")), Text(human(e.lb_per_year / report.LB_PER_SHORT_TON)),
                            *(Text(c, style="bold" if c.startswith("ABOVE") else "") for c in _screen_cells(result, p)))
        console.print(s_table)
        console.print(Text(report.SCREENING_NOTE))

    console.print()
    a_table = new_table("Assumptions (sources listed below)", ("Input", "left"), ("Value", "right"), ("Unit", "left"),
                        ("Status", "left"), ("From", "left"), ("Source", "left"))
    first_new = len(numbers) + 1
    for a in sc.assumptions:
        value = f"{a.value:,.6g}" if isinstance(a.value, float) else str(a.value)
        ref = numbers.setdefault(a.source + (f" ({a.note})" if a.note else ""), len(numbers) + 1)
        a_table.add_row(*(Text(str(c)) for c in (a.name, value, a.unit, a.status, a.layer, f"[{ref}]")))
    for p in ids:
        by_factor: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for x in report.factor_entries(result, p):
            by_factor.setdefault((x["as_given"], x["source"]), []).append(x)
        for same in by_factor.values():
            x = same[0]
            who = "all units" if len(same) == len(sc.groups) else ", ".join(y["group"] for y in same)
            equiv = "" if x["as_given"].endswith(x["unit"]) else f"= {human(x['value'])} {x['unit']}"
            a_table.add_row(*(Text(str(c)) for c in (f"factor {p} ({who})", x["as_given"], equiv, x["status"], x["layer"],
                                                     f"[{numbers[x['source']]}]")))
    console.print(a_table)
    for src, n in numbers.items():
        if n >= first_new:
            console.print(Text(f"[{n}] {src}"))
    console.print()
    console.print(Text("Notes", style="bold"))
    for n in list(sc.notes) + [report.TONS_NOTE]:
        console.print(Text("- " + n))


def markdown(result: Result, *, only: list[str] | None = None, spread: dict[str, Any] | None = None) -> str:
    """Return the results and emissions as Markdown tables, ready to paste."""
    sc = result.scenario
    lines = [f"**{_md(sc.title)}**\n" if sc.title else "", "| Quantity | Value | Unit | Basis |", "|---|---:|---|---|"]
    lines += [f"| {' | '.join(_md(c) for c in row)} |" for row in _result_rows(result)]
    extra = " P5 .. P95 short tons/yr |" if spread else ""
    lines += ["", f"| Pollutant | US short tons/yr | metric tonnes/yr |{extra} lb/h | Factor | Source |",
              "|---|---:|---:|" + ("---:|" if spread else "") + "---:|---|---|"]
    ids = report.selected(result, only)
    numbers, source_list = _sources(result, ids)
    to_tonne = report.units.multiplier("lb", "metric_ton")
    for p in ids:
        e = result.emissions[p]
        text, source = _factor_cell(result, p, numbers)
        tons = e.lb_per_year / report.LB_PER_SHORT_TON
        cells = [p + ("" if e.complete else " (incomplete)")]
        if spread:
            lo, hi = spread[p].p5 / report.LB_PER_SHORT_TON, spread[p].p95 / report.LB_PER_SHORT_TON
            cells += [to_spread(tons, lo, hi), to_spread(e.lb_per_year * to_tonne, lo * report.LB_PER_SHORT_TON * to_tonne,
                                                         hi * report.LB_PER_SHORT_TON * to_tonne),
                      f"{to_spread(lo, lo, hi)} .. {to_spread(hi, lo, hi)}"]
        else:
            cells += [human(tons), human(e.lb_per_year * to_tonne)]
        cells += [human(e.lb_per_hour), _md(text), _md(source)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [""] + [f"{ref} {_md(src)}  " for ref, src in source_list]
    lines += ["", f"_{report.TONS_NOTE}_", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_cluster(results: list[Any], fmt: str, out: IO[str]) -> None:
    """Write one or more cluster results: side by side for people, one document (or a list) for machines."""
    docs = [report.cluster_dict(cr) for cr in results]
    if fmt == "json":
        write_json(docs[0] if len(docs) == 1 else docs, out)
        return
    if fmt in ("csv", "tsv", "ndjson"):
        rows = [{"gpus": d["gpus"], "quantity": path, "value": report.pick(d, path), "unit": unit}
                for d in docs for path, _, unit in report.CLUSTER_ROWS]
        write_rows(rows, out, fmt, ("gpus", "quantity", "value", "unit"))
        return
    header = ["Quantity", "Unit"] + [f"{d['gpus']:,} {d['gpu']['id'].upper()}" for d in docs]
    def cell(v: Any) -> str:
        return f"{v:,}" if isinstance(v, int) else human(float(v))

    body = [[label, unit] + [cell(report.pick(d, path)) for d in docs] for path, label, unit in report.CLUSTER_ROWS]
    first = results[0]
    model = first.plan.unit["name"] if first.plan.unit else f"{first.plan.unit_capacity_kw / KW_PER_MW:g} MW units"
    period = docs[0]["per_gpu"]["period"]
    notes = [
        f"Units: {model}, derate {first.plan.derate:g}, {first.plan.redundancy} spare; running units follow the load at full-load heat rate.",
        f"IT load = servers x {first.plan.server_kw:g} kW per {first.plan.gpu['gpus_per_server']}-GPU server x (1 + {first.plan.network_storage:g}); "
        f"facility = IT x PUE {first.plan.pue:g}. Per-GPU figures are per {period}.",
    ]
    console = _side_by_side(out, fmt, "From GPUs to turbines", header, body, notes, bullet="")
    if console is None:
        return
    from rich.text import Text

    console.print(Text("Sources", style="bold"))
    seen = []
    for a in first.plan.assumptions:
        if a.source not in seen and a.layer != "cli":
            seen.append(a.source)
    for p in ("nox", "co2", "ch4", "n2o"):
        for f in docs[0]["emissions"][p]["factors"]:
            if f["source"] not in seen:
                seen.append(f["source"])
    for i, s in enumerate(seen, 1):
        console.print(Text(f"[{i}] {s}"))


def write_catalog(units_: dict[str, Any], gpus: dict[str, Any], fmt: str, out: IO[str]) -> None:
    """Write the unit and GPU catalog."""
    if fmt == "json":
        write_json({"units": list(units_.values()), "gpus": list(gpus.values())}, out)
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    t = Table(title="Generating units (NOx/CO in ppmvd@15%O2; heat rate LHV, ISO)", box=box.SIMPLE_HEAD, title_justify="left")
    for c in ("id", "kind", "capacity", "heat rate", "NOx", "NOx low", "NOx with SCR", "CO", "status"):
        t.add_column(c)
    for u in units_.values():
        t.add_row(*(Text(str(x)) for x in (u["id"], u["kind"], u["capacity"], u["heat_rate"], u["nox_ppm"], u.get("nox_ppm_low", "-"),
                                            u["nox_ppm_controlled"], u.get("co_ppm", "-"),
                                            "unverified" if u["status"] == "recalled" else u["status"])))
    console.print(t)
    g = Table(title="GPUs and reference servers", box=box.SIMPLE_HEAD, title_justify="left")
    for c in ("id", "name", "GPU power", "server power", "GPUs/server", "status"):
        g.add_column(c)
    for x in gpus.values():
        g.add_row(*(Text(str(v)) for v in (x["id"], x["name"], x["gpu_power"], x["server_power"], x["gpus_per_server"],
                                            "unverified" if x["status"] == "recalled" else x["status"])))
    console.print(g)
    console.print(Text("Sources", style="bold"))
    for e in list(units_.values()) + list(gpus.values()):
        console.print(Text(f"{e['id']}: {e['source']}" + (f"; with SCR: {e['controlled_source']}" if "controlled_source" in e else "")))


def _console(out: IO[str], *, color: bool | None = None) -> Any:
    """Return a rich console on ``out``: plain text and a fixed width unless ``out`` is a terminal."""
    from rich.console import Console

    tty = _isatty(out)
    width = None if tty else int(os.environ.get("COLUMNS") or TABLE_WIDTH)
    return Console(file=out, highlight=False, width=width, no_color=(color is False) or not tty)


def solution_dict(sol: Any) -> dict[str, Any]:
    """Return a solve result as a JSON-ready dictionary."""
    from .vary import factor_views, output_label

    doc: dict[str, Any] = {
        "vary": sol.vary, "value": sol.value, "unit": sol.unit, "needed": sol.needed, "feasible": sol.feasible,
        "problem": sol.problem or None,
        "target": {"output": sol.target_output, "value": sol.target_value,
                   "unit": "pound / year" if sol.target_output in report.library.POLLUTANTS else output_label(sol.target_output, "")},
    }
    if sol.vary.startswith("factor:"):
        doc["factor"] = factor_views(sol.scenario, sol.vary.split(":", 1)[1], sol.value, sol.result)
    doc["estimate"] = report.to_dict(sol.result)
    return doc


def write_solution(sol: Any, fmt: str, out: IO[str]) -> None:
    """Write a solve result."""
    doc = solution_dict(sol)
    if fmt == "json":
        write_json(doc, out)
        return
    from rich.text import Text

    console = _console(out)
    tgt = doc["target"]
    shown_target = (f"{tgt['value'] / report.LB_PER_SHORT_TON:,.4g} short tons/yr" if tgt["unit"] == "pound / year"
                    else f"{tgt['value']:,.6g} {tgt['unit']}".strip())
    console.print(Text(f"To reach {sol.target_output} = {shown_target}, {sol.vary} must be:", style="bold"))
    if "factor" in doc:
        fv = doc["factor"]
        console.print(Text(f"  {fv['lb/MMBtu']:.4g} lb/MMBtu (HHV heat input)"))
        if "ppmvd@15%O2" in fv:
            console.print(Text(f"  {fv['ppmvd@15%O2']:.4g} ppmvd @ 15 % O2 (EPA Method 19)"))
        console.print(Text(f"  {fv['lb/MWh']:.4g} lb/MWh (at this fleet's heat rate)"))
        if fv["placement"]:
            console.print(Text(f"  that is {fv['placement']}"))
        refs = ", ".join(f"{k} {v:.3g}" for k, v in fv["references"].items())
        console.print(Text(f"  (reference levels in lb/MMBtu: {refs})"))
    else:
        console.print(Text(f"  {sol.value:,.6g} {sol.unit}".rstrip()))
    if not sol.feasible:
        console.print(Text(f"Infeasible: {sol.problem}.", style="bold"))
    console.print(Text("The estimate at this value:", style="bold"))
    table(sol.result, out, only=None, color=False)


def write_sensitivity(output: str, central: float, swings: list[Any], mass_unit: str, fmt: str, out: IO[str]) -> None:
    """Write one-at-a-time swings, largest first: a tornado of bars, or rows."""
    from .vary import output_label

    scale = 1 / report.LB_PER_SHORT_TON if output in report.library.POLLUTANTS else 1.0
    unit = "short tons/yr" if scale != 1.0 else output_label(output, mass_unit)
    rows = [{"input": s.name, "low": s.low_input, "high": s.high_input, "input_unit": s.unit,
             "output_at_low": s.low_output * scale, "output_at_high": s.high_output * scale,
             "swing": (s.high_output - s.low_output) * scale, "output_unit": unit, "source": s.source} for s in swings]
    if fmt == "json":
        write_json({"output": output, "central": central * scale, "unit": unit, "swings": rows}, out)
        return
    if fmt in ("csv", "tsv", "ndjson"):
        write_rows(rows, out, fmt, list(rows[0]))
        return
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    width = 22
    biggest = max((abs(v - central) for s in swings for v in (s.low_output, s.high_output)), default=0) or 1
    t = Table(title=f"Sensitivity of {output} ({unit}); central value {human(central * scale)}", title_justify="left",
              box=None, title_style="bold")
    t.add_column("Input (low .. high)", max_width=40)
    t.add_column("at low", justify="right", no_wrap=True)
    t.add_column("", justify="right", no_wrap=True, min_width=width)
    t.add_column("", justify="left", no_wrap=True, min_width=width + 1)
    t.add_column("at high", justify="right", no_wrap=True)
    for s in swings:
        def bar(v: float) -> tuple[str, str]:
            n = round(width * abs(v - central) / biggest)
            return ("#" * n, "") if v < central else ("", "#" * n)
        lo_l, lo_r = bar(s.low_output)
        hi_l, hi_r = bar(s.high_output)
        left = (lo_l if len(lo_l) >= len(hi_l) else hi_l).rjust(width)
        right = (lo_r if len(lo_r) >= len(hi_r) else hi_r).ljust(width)
        label = f"{s.name} ({human(s.low_input)} .. {human(s.high_input)} {s.unit})".replace(" )", ")")
        t.add_row(Text(label), Text(human(s.low_output * scale)), Text(left, style="red"), Text("|" + right, style="green"),
                  Text(human(s.high_output * scale)))
    console.print(t)
    console.print(Text("Each bar: the output with that one input at its low and high end, all others central "
                       "(normal and lognormal inputs: P5 and P95)."))


def write_compare(tbl: Any, fmt: str, out: IO[str], *, only: list[str] | None = None) -> None:
    """Write scenarios side by side with differences against the first."""
    from .compare import ROWS

    rows_spec = [(o, u) for o, u in ROWS if o not in report.library.POLLUTANTS or only is None or o in only]
    cols = tbl.columns
    records = []
    for output, unit in rows_spec:
        values = [c.value(output) for c in cols]
        first = values[0]
        for c, v in zip(cols, values):
            diff = None if v is None or first is None else v - first
            pct = None if diff is None or not first else 100 * diff / first
            records.append({"output": output, "unit": unit, "scenario": c.label, "value": v, "diff": diff, "pct": pct})
    if fmt == "json":
        doc = {"scenarios": [{"label": c.label, "estimate": report.to_dict(c.result, only=only) if c.result else None,
                              "note": c.note or None} for c in cols],
               "rows": [{"output": o, "unit": u, "values": [c.value(o) for c in cols]} for o, u in rows_spec],
               "notes": tbl.notes}
        write_json(doc, out)
        return
    if fmt in ("csv", "tsv", "ndjson"):
        write_rows(records, out, fmt, ("output", "unit", "scenario", "value", "diff", "pct"))
        return

    def cell(v: float | None, first: float | None, is_first: bool) -> str:
        if v is None:
            return "n/a"
        if is_first or first is None:
            return human(v)
        if first == 0:
            return human(v) + (" (=)" if v == 0 else "")
        pct = 100 * (v - first) / first
        return f"{human(v)} ({pct:+.0f}%)" if abs(pct) >= 0.5 or pct == 0 else f"{human(v)} ({pct:+.1f}%)"

    body = [[o, u] + [cell(c.value(o), cols[0].value(o), i == 0) + ("" if c.complete(o) else " *") for i, c in enumerate(cols)]
            for o, u in rows_spec]
    header = ["Output", "Unit"] + [c.label for c in cols]
    notes = list(tbl.notes)
    if any(not c.complete(o) for c in cols for o, _ in rows_spec):
        notes.append("* incomplete: some units have no factor for this pollutant (e.g. reciprocating engines without a "
                     "verified AP-42 s.3.2 factor), so the figure covers only the others.")
    _side_by_side(out, fmt, "Scenarios compared (differences against the first column)", header, body, notes)


def export(result: Result, *, svg: str | None, html: str | None, only: list[str] | None = None,
           spread: dict[str, Any] | None = None) -> None:
    """Save the rendered tables as SVG and/or HTML (rich's console export) for people without a terminal."""
    import io

    from rich.console import Console

    console = Console(record=True, file=io.StringIO(), width=TABLE_WIDTH, highlight=False)
    table(result, console.file, only=only, spread=spread, console=console)
    title = result.scenario.title or "emiss estimate"
    if svg:
        console.save_svg(svg, title=title, clear=False)
    if html:
        console.save_html(html, clear=False)


def write_factors(fmt: str, out: IO[str]) -> None:
    """Write the factor library and the constants."""
    from . import library

    rows = [{"pollutant": f.pollutant, "kinds": ", ".join(f.kinds), "control": f.control, "value": f.value, "unit": f.unit,
             "basis": "heat input, HHV", "source": f.source, "edition": _edition(f.source), "rating": "not transcribed",
             "status": f.status, "note": f.note} for f in library.library_factors()]
    consts = []
    for key in ("hours_per_year", "hhv_lhv_ratio", "fuel_hhv", "method19_fd", "method19_o2_air", "molar_volume",
                "mw_no2", "mw_co", "mw_ch4", "household_use", "household_demand", "default_heat_rate", "default_control", "default_gwp"):
        c = library.constant(key)
        consts.append({"name": key, "value": c.value, "unit": c.unit, "source": c.source, "status": c.status})
    if fmt == "json":
        write_json({"factor_library": library.factor_library_version(), "factors": rows, "constants": consts}, out)
        return
    if fmt == "csv":
        write_rows(rows, out, "csv", list(rows[0]))
        return
    from rich.table import Table
    from rich.text import Text
    from rich import box

    console = _console(out)
    t = Table(title=f"Emission-factor library {library.factor_library_version()} (per MMBtu of heat input, HHV)",
              box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for c in ("pollutant", "applies to", "control", "value", "unit", "status", "source"):
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*(Text(str(x)) for x in (r["pollutant"], r["kinds"], r["control"], f"{r['value']:g}", r["unit"], r["status"], r["source"])))
    console.print(t)
    c_table = Table(title="Constants and defaults", box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for c in ("name", "value", "unit", "status", "source"):
        c_table.add_column(c, overflow="fold")
    for r in consts:
        c_table.add_row(*(Text(str(x)) for x in (r["name"], r["value"], r["unit"], r["status"], r["source"])))
    console.print(c_table)
    console.print(Text("AP-42 data-quality ratings are not yet transcribed into the library; see the AP-42 tables named."))


def _edition(source: str) -> str:
    if "AP-42" in source:
        return "AP-42 5th ed., s.3.1 (April 2000)"
    if "Part 98" in source:
        return "40 CFR 98 Subpart C (as amended 2013)"
    return ""


def write_preset(sc: Any, fmt: str, out: IO[str]) -> None:
    """Print a preset's resolved inputs: assumptions with sources, and its ranges."""
    doc = {"name": sc.name, "title": sc.title, "description": sc.description, "notes": list(sc.notes),
           "fleet": [{"name": g.name, "kind": g.kind, "count": g.count, "capacity_mw": g.capacity_kw / KW_PER_MW,
                      "heat_rate": g.heat_rate, "heat_rate_basis": g.basis, "control": g.control} for g in sc.groups],
           "assumptions": report.assumption_dicts(sc.assumptions),
           "factors": {p: {"as_given": f.text, "value": f.value, "unit": FORM_UNITS[f.form], "source": f.source, "status": f.status}
                       for p, f in sc.fleet_factors.items()},
           "ranges": [{"name": u.name, "distribution": u.dist.describe(), "central": u.central, "unit": u.unit, "source": u.source}
                      for u in sc.uncertain]}
    if fmt == "json":
        write_json(doc, out)
        return
    from rich.table import Table
    from rich.text import Text
    from rich import box

    console = _console(out)
    console.print(Text(sc.title or sc.name, style="bold"))
    if sc.description:
        console.print(Text(sc.description))
    t = Table(box=box.SIMPLE_HEAD)
    for c in ("Input", "Value", "Unit", "Status", "From", "Source"):
        t.add_column(c, overflow="fold")
    for a in sc.assumptions:
        t.add_row(*(Text(str(x)) for x in (a.name, f"{a.value:,.6g}" if isinstance(a.value, float) else a.value, a.unit, a.status, a.layer, a.source)))
    for p, f in sc.fleet_factors.items():
        t.add_row(*(Text(str(x)) for x in (f"factor {p}", f.text, "", f.status, f.layer, f.source)))
    for g in sc.groups:
        for p, f in g.factors.items():
            t.add_row(*(Text(str(x)) for x in (f"factor {p} ({g.name})", f.text, "", f.status, f.layer, f.source)))
    console.print(t)
    if sc.uncertain:
        r = Table(title="Ranges (used by --samples and 'emiss sensitivity')", box=box.SIMPLE_HEAD, title_justify="left")
        for c in ("Input", "Distribution", "Central", "Unit"):
            r.add_column(c, overflow="fold")
        for u in sc.uncertain:
            r.add_row(Text(u.name), Text(u.dist.describe(sig4)), Text(sig4(u.central)), Text(u.unit))
        console.print(r)


def _side_by_side(out: IO[str], fmt: str, title: str, header: list[str], body: list[list[str]], notes: list[str],
                  *, bullet: str = "- ") -> Any:
    """Write columns of scenarios (label and unit first) as Markdown or a rich table; return the console (rich)."""
    if fmt == "markdown":
        lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|---|---|" + "---:|" * (len(header) - 2)]
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in body]
        out.write("\n".join(lines + [""] + [f"- {_md(n)}" for n in notes]) + "\n")
        return None
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(out)
    t = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", title_style="bold")
    for i, h in enumerate(header):
        t.add_column(h, justify="right" if i >= 2 else "left")
    for row in body:
        t.add_row(*(Text(c) for c in row))
    console.print(t)
    for n in notes:
        console.print(Text(bullet + n))
    return console
