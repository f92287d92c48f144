"""Renderers: one Result, many encodings. The only module that imports rich (lazily)."""

from __future__ import annotations

import csv
import json
import math
import os
from typing import IO, Any, Iterable

from . import report
from .model import Result

FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "value")
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


def safe_cell(value: Any) -> Any:
    """Neutralise text that a spreadsheet would run as a formula (leading = + - @, tab, CR)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
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


def write(result: Result, fmt: str, out: IO[str], *, only: list[str] | None = None, color: bool | None = None) -> None:
    """Write ``result`` to ``out`` in format ``fmt``."""
    if fmt == "json":
        write_json(report.to_dict(result, only=only), out)
    elif fmt in ("csv", "tsv", "ndjson"):
        write_rows(report.rows(result, only=only), out, fmt)
    elif fmt == "value":
        (p,) = report.selected(result, only)
        out.write(repr(report.to_dict(result, only=[p])["emissions"][p]["value"]) + "\n")
    elif fmt == "markdown":
        out.write(markdown(result, only=only))
    else:
        table(result, out, only=only, color=color)


def _result_rows(result: Result) -> list[tuple[str, str, str, str]]:
    sc = result.scenario
    n = sum(g.count for g in sc.groups)
    heat_h = result.heat_input_mmbtu / result.hours
    headline = sc.households_method
    return [
        ("Fleet capacity", human(result.capacity_kw / 1000), "MW", f"{n} units in {len(sc.groups)} group(s)"),
        ("Operation", human(result.hours), "full-load h/yr", sc.operation_basis),
        ("Generation", human(result.generation_mwh), "MWh/yr", "electricity out"),
        ("Heat input", human(result.heat_input_mmbtu), "MMBtu/yr (HHV)", f"{human(heat_h)} MMBtu/h"),
        ("Fuel", human(result.fuel_scf / 1e6), "million scf/yr", f"at {sc.fuel_hhv * 1e6:,.0f} Btu/scf (HHV)"),
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


def table(result: Result, out: IO[str], *, only: list[str] | None = None, color: bool | None = None) -> None:
    """Draw the result as rich tables: results, emissions, screening, assumptions, notes."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    width = None if _isatty(out) else int(os.environ.get("COLUMNS") or TABLE_WIDTH)
    console = Console(file=out, no_color=color is False, highlight=False, width=width)
    sc = result.scenario
    ids = report.selected(result, only)
    numbers, source_list = _sources(result, ids)
    to_tonne = report.units.conversion("lb", "metric_ton")

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
        f_table.add_row(*(Text(c) for c in (g.name, g.kind, str(g.count), f"{g.capacity_kw / 1000:g}",
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
    cols += [("lb/h", "right"), ("Factor used", "left"), ("Source", "left")]
    e_table = new_table("Emissions per year, whole fleet (short tons = US 2,000 lb; tonnes = 1,000 kg)", *cols)
    incomplete = False
    for p in ids:
        e = result.emissions[p]
        incomplete |= not e.complete
        cells = [p + ("" if e.complete else " *"), human(e.lb_per_year / report.LB_PER_SHORT_TON), human(e.lb_per_year * to_tonne)]
        if custom:
            cells.append(human(e.lb_per_year * report.mass_per_year_factor(sc.mass_unit)))
        cells += [human(e.lb_per_hour), *_factor_cell(result, p, numbers)]
        e_table.add_row(*(Text(c) for c in cells))
    console.print(e_table)
    if incomplete:
        lacking = sorted({g for p in ids for g in result.emissions[p].missing})
        console.print(Text("* incomplete: no factor for " + ", ".join(lacking) + ", so the total covers only the other units "
                           "(give one with --factor POLLUTANT=QTY or in the preset)."))
    for ref, src in source_list:
        console.print(Text(f"{ref} {src}"))

    regulated = [p for p in ids if any(s.pollutant == p for s in result.screening)]
    if regulated:
        s_table = new_table("Regulatory screening: annual emissions vs major-source thresholds", ("Pollutant", "left"),
                            ("short tons/yr", "right"), ("Title V (100 tpy)", "left"),
                            ("PSD (250 tpy; 100 listed)", "left"), ("HAP (10 one / 25 all)", "left"))
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
        seen = set()
        for x in report.factor_entries(result, p):
            key = (x["as_given"], x["source"])
            if key in seen:
                continue
            seen.add(key)
            groups = [y["group"] for y in report.factor_entries(result, p) if (y["as_given"], y["source"]) == key]
            who = "all units" if len(groups) == len(sc.groups) else ", ".join(groups)
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


def markdown(result: Result, *, only: list[str] | None = None) -> str:
    """Return the results and emissions as Markdown tables, ready to paste."""
    sc = result.scenario
    lines = [f"**{_md(sc.title)}**\n" if sc.title else "", "| Quantity | Value | Unit | Basis |", "|---|---:|---|---|"]
    lines += [f"| {' | '.join(_md(c) for c in row)} |" for row in _result_rows(result)]
    lines += ["", "| Pollutant | US short tons/yr | metric tonnes/yr | lb/h | Factor | Source |", "|---|---:|---:|---:|---|---|"]
    ids = report.selected(result, only)
    numbers, source_list = _sources(result, ids)
    for p in ids:
        e = result.emissions[p]
        text, source = _factor_cell(result, p, numbers)
        lines.append(
            f"| {p}{'' if e.complete else ' (incomplete)'} | {human(e.lb_per_year / report.LB_PER_SHORT_TON)} | "
            f"{human(e.lb_per_year * report.units.conversion('lb', 'metric_ton'))} | {human(e.lb_per_hour)} | {_md(text)} | {_md(source)} |"
        )
    lines += [""] + [f"{ref} {_md(src)}  " for ref, src in source_list]
    lines += ["", f"_{report.TONS_NOTE}_", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
