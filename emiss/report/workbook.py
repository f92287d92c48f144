"""The spreadsheet (openpyxl, imported only when asked): a workbook a permit reviewer can audit.

An estimate's workbook holds an Inputs sheet (one row per emission unit, every input a number with its unit in the
header) and, per emission unit, a sheet of live formulas from those inputs to its results (generation, heat input,
lb/h = factor x the factor's basis per hour, tons a year = lb/h x hours / 2,000 plus startups), then the facility
totals as sums of the units' cells, so the calculation traces cell by cell. emiss writes its own value beside each
formula's result. Tables (assumptions, screening, claims) follow as plain sheets. Numbers are numbers with a format
of sensible digits; units are plain words in headers; text from a preset is always text, never a formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from emiss.core.outputs import btu, megawatts, short_tons
from emiss.errors import printable

# Units as people write them, for headers and unit columns (pint's spellings are for machines).
_WORDS = (("megabritish_thermal_unit", "MMBtu"), ("british_thermal_unit", "Btu"), ("megawatt_hour", "MWh"),
          ("kilowatt_hour", "kWh"), ("megawatt", "MW"), ("kilowatt", "kW"), ("metric_ton", "metric tonnes"),
          ("short_ton", "short tons"), ("pound", "lb"), ("foot ** 3", "scf"), ("hour", "h"), ("dimensionless", ""))
FORM_BASIS = {"input": ("Heat input, MMBtu an hour (HHV)", "lb per MMBtu (HHV)"), "output": ("Generation, MWh an hour", "lb per MWh"),
              "time": ("Units running", "lb an hour per unit"), "fuel": ("Fuel, scf an hour", "lb per scf")}


def plain_unit(unit: str) -> str:
    """Return a pint unit string in plain words: 'megabritish_thermal_unit / year' -> 'MMBtu a year'."""
    text = str(unit)
    for machine, word in _WORDS:
        text = text.replace(machine, word)
    text = re.sub(r"\s*/\s*year$", " a year", text)
    text = re.sub(r"\s*/\s*h$", " an hour", text)
    return text.replace(" / ", " per ").strip()


def header_words(key: str) -> str:
    """Return a row key as a header in plain words: 'short_tons_per_year' -> 'Short tons a year'."""
    text = key.replace("_per_year", " a year").replace("_per_hour", " an hour").replace("lb_", "lb ").replace("_", " ")
    return text[:1].upper() + text[1:]


def number_format(v: float) -> str:
    """Return an Excel number format with sensible digits for ``v`` (about four significant figures)."""
    a = abs(v)
    if a == 0 or a >= 1000:
        return "#,##0"
    if a >= 10:
        return "#,##0.0"
    if a >= 1:
        return "0.000"
    if a >= 0.001:
        return "0.00000"
    return "0.000E+00"


@dataclass
class Book:
    """An estimate's workbook: the result (and, for a PTE, the result before add-on controls) and the plain sheets."""

    result: Any
    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    uncontrolled: Any = None
    pte: bool = False

    def save(self, path: str) -> None:
        """Write the workbook to ``path``."""
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        _calculation(wb, self.result, self.uncontrolled, pte=self.pte)
        for name, rows in self.sheets.items():
            _table(wb, name, rows)
        _save(wb, path)


def write_xlsx(path: str, sheets: Any) -> None:
    """Write a workbook: a ``Book`` (inputs, formulas, tables) or plain sheets, one per table, numbers as numbers."""
    if hasattr(sheets, "save"):
        sheets.save(path)
        return
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        _table(wb, name, rows)
    _save(wb, path)


def _save(wb: Any, path: str) -> None:
    """Write ``wb`` to ``path`` in one write: saved straight to a file that fails (a full disk), openpyxl's zip file was
    left open and closed again at exit, printing a traceback ('Exception ignored in ZipFile.__del__')."""
    import io

    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())


def _text(cell: Any, value: Any) -> None:
    cell.value = printable(str(value))
    cell.data_type = "s"  # a string that starts with '=' stays text, never a formula


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Write one value: a number with its format, a bool, or text that is never a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.number_format = number_format(float(value))
    else:
        _text(cell, value)
    return cell


def _dress(ws: Any, header_row: int, ncols: int, last_row: int, *, widths: dict[int, int] | None = None) -> None:
    """Bold header, frozen below it, a filter over the table, columns as wide as their contents (within reason)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for c in range(1, ncols + 1):
        cell = ws.cell(row=header_row, column=c)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(ncols)}{max(last_row, header_row)}"
    for c in range(1, ncols + 1):
        if widths and c in widths:
            width = widths[c]
        else:
            cells = [ws.cell(row=r, column=c).value for r in range(header_row + 1, last_row + 1)]
            lengths = [min(len(f"{v:,.4g}" if isinstance(v, float) else str(v)), 60) for v in cells
                       if v is not None and not str(v).startswith("=")]
            head = max((len(w) for w in str(ws.cell(row=header_row, column=c).value or "").split()), default=4)
            width = max([head, 10] + lengths)
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, 62)


def _table(wb: Any, name: str, rows: list[dict[str, Any]]) -> None:
    """A plain sheet: one row per dict, headers in plain words, unit columns in plain words."""
    ws = wb.create_sheet(printable(name)[:31])
    if not rows:
        _text(ws.cell(row=1, column=1), "(none)")
        return
    keys = list(dict.fromkeys(k for r in rows for k in r))
    for c, k in enumerate(keys, 1):
        _text(ws.cell(row=1, column=c), header_words(k))
    for i, r in enumerate(rows, 2):
        for c, k in enumerate(keys, 1):
            v = r.get(k)
            if isinstance(v, (dict, list)):
                v = "; ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else "; ".join(map(str, v))
            _put(ws, i, c, plain_unit(v) if k == "unit" and isinstance(v, str) else v)
    _dress(ws, 1, len(keys), len(rows) + 1)


# ---- the calculation, as formulas -------------------------------------------------------------------------

INPUT_COLUMNS = (("name", "Emission unit"), ("count", "Units (number)"), ("kw", "Rated output per unit, kW"),
                 ("fraction", "Output while running, fraction of rated (ambient x load)"), ("hours", "Operating hours a year"),
                 ("heat_rate", "Heat rate, Btu per kWh (HHV)"), ("fuel_hhv", "Fuel heating value, MMBtu per scf (HHV)"),
                 ("starts", "Startups and shutdowns a year, per unit"))
CONSTANTS = (("lb_per_ton", "lb per US short ton", 1 / short_tons(1.0)), ("kw_per_mw", "kW per MW", 1 / megawatts(1.0)),
             ("btu_per_mmbtu", "Btu per MMBtu", btu(1.0)))  # the units room's constants, read through the output catalogue


def ppm_at_15(pollutant: str, lb_per_mmbtu: float) -> float | None:
    """Return a lb/MMBtu (HHV) factor as ppmvd at 15 % O2 by EPA Method 19 (the same constants emiss reads ppm with),
    or None for a pollutant without a molecular weight for it."""
    from emiss import data
    from emiss.core.factors import concentration_values

    if data.concentration_mw_key(pollutant) is None:
        return None
    per_ppm = float(concentration_values(pollutant, 1.0, 15.0)[0])  # Method 19 is linear in ppm
    return lb_per_mmbtu / per_ppm if per_ppm else None


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _calculation(wb: Any, result: Any, uncontrolled: Any, *, pte: bool) -> None:
    """Write the Inputs sheet, one formula sheet per emission unit and the Facility sheet."""
    from openpyxl.styles import Font

    sc = result.scenario
    ws = wb.create_sheet("Inputs")
    for c, (_, head) in enumerate(INPUT_COLUMNS, 1):
        _text(ws.cell(row=1, column=c), head)
    col = {k: i for i, (k, _) in enumerate(INPUT_COLUMNS, 1)}
    for r, g in enumerate(sc.groups, 2):
        values = {"name": g.name, "count": float(g.count), "kw": float(g.capacity_kw), "fraction": float(g.output_fraction),
                  "hours": float(result.hours), "heat_rate": float(g.heat_rate_hhv), "fuel_hhv": float(sc.fuel_hhv),
                  "starts": float(g.startup.events) if g.startup is not None else 0.0}
        for k, v in values.items():
            _put(ws, r, col[k], v)
    last = len(sc.groups) + 1
    _dress(ws, 1, len(INPUT_COLUMNS), last)
    # constants and global-warming potentials below the table, each named, with its value and source
    r0 = last + 3
    ws.cell(row=r0 - 1, column=1, value="Constants").font = Font(bold=True)
    const_ref = {}
    for i, (key, label, value) in enumerate(CONSTANTS + (("gwp_ch4", "GWP of CH4 (CO2e per CH4)", float(sc.gwp_ch4)),
                                                         ("gwp_n2o", "GWP of N2O (CO2e per N2O)", float(sc.gwp_n2o)),
                                                         ("year_hours", "Hours in the modelled year", float(sc.year_hours)))):
        _text(ws.cell(row=r0 + i, column=1), label)
        _put(ws, r0 + i, 2, float(value))
        const_ref[key] = f"Inputs!$B${r0 + i}"

    from emiss.core.calc import CALCULATED

    pollutants = [p for p in CALCULATED] + ["co2e"]
    rows_at: dict[str, int] = {}
    unit_sheets = []
    for gi, g in enumerate(result.groups):
        title = printable(f"Unit {gi + 1} {g.name}")[:31].rstrip()
        title = re.sub(r"[\[\]:*?/\\]", "-", title)
        u = wb.create_sheet(title)
        unit_sheets.append(title)
        inp = {k: f"Inputs!${chr(64 + col[k])}${gi + 2}" for k in col}
        _text(u.cell(row=1, column=1), f"Emission unit {gi + 1}: {g.name}")
        u.cell(row=1, column=1).font = Font(bold=True, size=12)
        basics = [("Units (number)", f"={inp['count']}", "units"),
                  ("Generation, MWh a year", f"={inp['count']}*{inp['kw']}*{inp['fraction']}*{inp['hours']}/{const_ref['kw_per_mw']}", "MWh a year"),
                  ("Heat input, MMBtu a year (HHV)", f"=B4*{const_ref['kw_per_mw']}*{inp['heat_rate']}/{const_ref['btu_per_mmbtu']}",
                   "MMBtu a year"),
                  ("Heat input, MMBtu an hour (HHV), all units", f"=B5/{inp['hours']}", "MMBtu an hour"),
                  ("Heat input, MMBtu an hour (HHV), each unit", "=B6/B3", "MMBtu an hour"),
                  ("Generation, MWh an hour", f"=B4/{inp['hours']}", "MWh an hour"),
                  ("Fuel, scf an hour", f"=B6/{inp['fuel_hhv']}", "scf an hour")]
        for i, (label, formula, unit) in enumerate(basics, 3):
            _text(u.cell(row=i, column=1), label)
            u.cell(row=i, column=2, value=formula).number_format = "#,##0.00"
            _text(u.cell(row=i, column=3), unit)
        basis_cell = {"input": "$B$6", "output": "$B$8", "time": "$B$3", "fuel": "$B$9"}
        head_row = 11
        heads = ["Pollutant", "Factor", "Factor unit", "Factor basis an hour (cell)", "lb an hour, all units",
                 "lb per startup and shutdown, each unit", "Startups and shutdowns, lb a year", "Short tons a year",
                 "emiss's short tons a year", "Short tons a year at 8,760 h (unlimited)", "Factor as given", "Factor source"]
        if uncontrolled is not None:
            heads.append("Short tons a year before add-on controls")
        if pte:
            heads += ["PM10, short tons a year", "PM2.5, short tons a year", "Filterable PM, short tons a year",
                      "Factor as ppmvd at 15 % O2 (EPA Method 19)"]
        for c, h in enumerate(heads, 1):
            _text(u.cell(row=head_row, column=c), h)
        r = head_row
        for p in pollutants:
            r += 1
            rows_at[p] = r
            _text(u.cell(row=r, column=1), p)
            if p == "co2e":
                if all(x in g.lb_per_year for x in ("co2", "ch4", "n2o")):
                    _text(u.cell(row=r, column=2), "CO2 + GWP x CH4 + GWP x N2O")
                    u.cell(row=r, column=8, value=f"=H{rows_at['co2']}+{const_ref['gwp_ch4']}*H{rows_at['ch4']}"
                                                    f"+{const_ref['gwp_n2o']}*H{rows_at['n2o']}").number_format = "#,##0.0"
                    _put(u, r, 9, short_tons(g.lb_per_year["co2e"]))
                continue
            f = g.factors.get(p)
            if f is None or p not in g.lb_per_year:
                _text(u.cell(row=r, column=2), "no factor")
                continue
            value = float(f.value)
            sg = sc.groups[gi]
            amount = {"input": g.heat_input_mmbtu_h, "output": sg.count * sg.capacity_kw * megawatts(sg.output_fraction),
                      "time": g.count, "fuel": g.heat_input_mmbtu_h / sc.fuel_hhv}[f.form]
            effective = float(g.lb_per_hour[p] / amount) if amount else value
            rebuilt = abs(effective - value) > 1e-9 * max(abs(value), 1e-300)
            if rebuilt:  # a library HAP total is rebuilt as the other listed HAPs + the formaldehyde used (calc._hap_floor)
                value = effective
            per_event = float(sg.startup.lb_per_event.get(p, 0.0)) if sg.startup is not None else 0.0
            _put(u, r, 2, value)
            _text(u.cell(row=r, column=3), FORM_BASIS[f.form][1])
            u.cell(row=r, column=4, value=f"={basis_cell[f.form]}").number_format = "#,##0.00"
            u.cell(row=r, column=5, value=f"=B{r}*D{r}").number_format = "#,##0.000"
            _put(u, r, 6, per_event)
            u.cell(row=r, column=7, value=f"={inp['count']}*{inp['starts']}*F{r}").number_format = "#,##0.0"
            u.cell(row=r, column=8, value=f"=(E{r}*{inp['hours']}+G{r})/{const_ref['lb_per_ton']}").number_format = "#,##0.000"
            _put(u, r, 9, short_tons(float(g.lb_per_year[p])))
            u.cell(row=r, column=10, value=f"=(E{r}*{const_ref['year_hours']}+G{r})/{const_ref['lb_per_ton']}").number_format = "#,##0.000"
            _text(u.cell(row=r, column=11), f.text + (" (effective factor: the other listed HAPs + the formaldehyde used)"
                                                      if rebuilt else ""))
            _text(u.cell(row=r, column=12), f.source)
            c = 13
            if uncontrolled is not None:
                ug = uncontrolled.groups[gi]
                if p in ug.lb_per_year:
                    _put(u, r, c, short_tons(float(ug.lb_per_year[p])))
                c += 1
            if pte and p == "pm":
                # gas-fired PM is all fine: PM10 = PM2.5 = the total (filterable + condensable); filterable where the source splits it
                u.cell(row=r, column=c, value=f"=H{r}").number_format = "#,##0.000"
                u.cell(row=r, column=c + 1, value=f"=H{r}").number_format = "#,##0.000"
                if f.filterable_share is not None:
                    u.cell(row=r, column=c + 2, value=f"=H{r}*{float(f.filterable_share)!r}").number_format = "#,##0.000"
            if pte and f.form == "input":
                ppm = ppm_at_15(p, value)
                if ppm is not None:
                    _put(u, r, c + 3, ppm)
        _dress(u, head_row, len(heads), r, widths={1: 44, 2: 14, 3: 20, 11: 28, 12: 40})
        u.freeze_panes = u.cell(row=head_row + 1, column=2)

    fac = wb.create_sheet("Facility", 1)
    heads = ["Pollutant", "Short tons a year (sum of the units' formulas)", "emiss's short tons a year", "Complete (every unit has a factor)"]
    limits = {}
    counts = [g.count for g in sc.groups]
    for lim in sc.limits:  # per pollutant the lowest annual cap (the one that binds); a per-unit cap on unlike groups
        figure = lim.for_facility(counts) if lim.kind == "annual" else None  # has no facility figure: left out
        if figure is not None and (lim.pollutant not in limits or figure < limits[lim.pollutant][1]):
            limits[lim.pollutant] = (lim, figure)
    if limits:
        heads += ["Permit limit, short tons a year", "Margin, short tons a year (limit - estimate)", "Limit as given"]
    for c, h in enumerate(heads, 1):
        _text(fac.cell(row=1, column=c), h)
    for i, p in enumerate(pollutants, 2):
        _text(fac.cell(row=i, column=1), p)
        refs = [f"{_q(s)}!H{rows_at[p]}" for s in unit_sheets]
        fac.cell(row=i, column=2, value=f"=SUM({','.join(refs)})" if refs else 0).number_format = "#,##0.000"
        _put(fac, i, 3, short_tons(float(result.emissions[p].lb_per_year)))
        _put(fac, i, 4, bool(result.emissions[p].complete))
        if p in limits:
            lim, figure = limits[p]
            _put(fac, i, 5, short_tons(float(figure)))
            fac.cell(row=i, column=6, value=f"=E{i}-B{i}").number_format = "#,##0.000"
            _text(fac.cell(row=i, column=7), lim.shown + (f" (x {counts[0]:,.6g} units)" if lim.per == "unit" else ""))
    _dress(fac, 1, len(heads), len(pollutants) + 1)


def estimate_book(result: Any, *, uncontrolled: Any = None, pte: bool = False, claims: Any = (), worst: Any = None) -> Book:
    """Return an estimate's (or, with ``pte``, a potential-to-emit) workbook: inputs, formulas per emission unit, the
    facility with the permit's limits and margins, then results, emissions, assumptions, screening and claims.
    A PTE workbook also has a Stacks sheet (emission units and stack parameters, for dispersion modelling) and, with
    ``worst`` (the --ambient-range scan), a Worst-case hourly sheet."""
    from emiss.report.health import estimate_sheets

    sheets = estimate_sheets(result, with_claims=claims)
    if pte:
        sheets["Stacks"] = stack_rows(result)
        if worst is not None:
            sheets["Worst-case hourly"] = worst_rows(result, worst)
    return Book(result, sheets, uncontrolled=uncontrolled, pte=pte)


STACK_COLUMNS = (("height", "stack_height_m"), ("diameter", "stack_diameter_m"), ("exit_temperature", "exit_temperature_degC"),
                 ("exit_velocity", "exit_velocity_m_per_s"))


def stack_rows(result: Any) -> list[dict[str, Any]]:
    """Return one row per emission unit (per unit id where the preset names them): its stack, with source and status."""
    rows = []
    for g in result.scenario.groups:
        st = g.stack or {"values": {}, "source": "", "status": ""}
        for uid in g.unit_ids or ("",):
            row: dict[str, Any] = {"emission_unit": g.name, "unit_id": uid or None}
            for k, col in STACK_COLUMNS:
                v = st["values"].get(k)
                row[col] = v["value"] if v else None
            row.update({"source": st["source"] or "no stack parameters given", "status": st["status"] or None})
            rows.append(row)
    return rows


def worst_rows(result: Any, worst: Any) -> list[dict[str, Any]]:
    """Return the worst-case hourly rate per emission unit and pollutant over the ambient range, and where it occurs."""
    lo, hi, rates = worst
    rows = []
    for g in result.scenario.groups:
        for p, w in rates.get(g.name, {}).items():
            rows.append({"emission_unit": g.name, "pollutant": p, "lb_per_hour_each_unit": w.lb_per_hour_each,
                         "lb_per_hour_all_units": w.lb_per_hour_all, "ambient_degC": w.ambient_c,
                         "range_scanned_degC": f"{lo:g} to {hi:g}",
                         "curve": g.curve or "none: the ISO rate"})
    return rows
