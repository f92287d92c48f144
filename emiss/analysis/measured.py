"""Measured beside estimated: CAMPD exports and eGRID unit-file rows summed per unit and period, with emiss's estimate
for the same heat input and controls on both bases (AP-42 and the measured classes) and the ratio measured / estimated.

Files are read row by row; memory holds one accumulator per unit and period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emiss.analysis.logs import (HOURS_SLACK, Layout, detect, differing_repeat, heat_bound, mass_bound, month_of, number,
                                 open_rows, period_hours, refuse_heat, refuse_mass, year_of)
from emiss.data import pollutant_name
from emiss.data.measured import lookup, parse_controls, size_band
from emiss.core.outputs import pounds
from emiss.errors import InputError, printable

POLS = ("nox", "so2", "co2")
AP42_CONTROL = {"none": "uncontrolled", "water-steam": "water-steam", "dry-low-nox": "lean-premix",
                "scr": "uncontrolled", "water-steam+scr": "water-steam", "dry-low-nox+scr": "lean-premix"}
WHOLE = 1 << 24  # the bit of a row for a whole day or year (a daily or annual export's)
HOUR_BITS = WHOLE - 1  # the bits of a day's 24 hours (an hourly export's)
ROW_HOURS = {"campd-hourly": 1.0, "campd-daily": 24.0}  # the hours one row of an export covers; a year's row: below
LEAP_YEAR_HOURS = 8784.0  # an eGRID row's year is not in the row: the longest year, 366 days
GAS = ("natural gas", "pipeline natural gas", "ng")
TURBINE = ("combustion turbine", "combined cycle", "gt", "ct")


@dataclass
class _Acc:
    unit: str
    period: str
    facility: str = ""
    unit_type: str = ""
    fuel: str = ""
    controls: str = ""
    rows: int = 0
    hours: float = 0.0
    heat: float = 0.0
    lb: dict[str, float] = field(default_factory=lambda: dict.fromkeys(POLS, 0.0))
    present: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POLS, 0))
    substituted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POLS + ("heat",), 0))
    operating: int = 0
    no_heat: int = 0
    no_hours: int = 0  # rows with the operating time blank, counted as operating: their amounts are kept
    # per pollutant, the rows with both its mass and the heat input: what a rate (lb/MMBtu) and a ratio may divide
    paired_lb: dict[str, float] = field(default_factory=lambda: dict.fromkeys(POLS, 0.0))
    paired_heat: dict[str, float] = field(default_factory=lambda: dict.fromkeys(POLS, 0.0))
    by: str = ""  # how a dated export gives the period: 'hours' (hourly), 'days' (daily); '' for a whole year's row
    logged: int = 0  # the hours (days) of the period with a row, a 0 h row included (set by coverage)
    of: int = 0  # the hours (days) in the period


def _columns(layout: Layout) -> dict[str, Any]:
    """Return the column positions and mass multipliers (to lb) of a layout."""
    c = layout.col
    if layout.kind == "egrid-unit":
        return {"unit": (c("orispl"), c("unitid")), "facility": c("pname"), "period": -1, "hours": c("hrsop"),
                "heat": c("htian"), "type": c("prmvr"), "fuel": c("fuelu1"), "controls": c("noxctldv"),
                "mass": {p: (c(f"{p}an"), pounds(1.0), -1, c("noxansrc" if p == "nox" else f"{p}src")) for p in POLS},
                "heat_src": c("htiansrc")}
    hourly = layout.kind == "campd-hourly"
    mass = {"nox": ("NOx Mass (lbs)", 1.0) if hourly else ("NOx Mass (short tons)", pounds(1.0)),
            "so2": ("SO2 Mass (lbs)", 1.0) if hourly else ("SO2 Mass (short tons)", pounds(1.0)),
            "co2": ("CO2 Mass (short tons)", pounds(1.0))}  # lb in a short ton
    return {"unit": (c("Facility ID"), c("Unit ID")), "facility": c("Facility Name"),
            "period": c("Year") if layout.kind == "campd-annual" else c("Date"),
            "hours": c("Operating Time") if hourly else c("Sum of the Operating Time"), "heat": c("Heat Input (mmBtu)"),
            "type": c("Unit Type"), "fuel": c("Primary Fuel Type"), "controls": c("NOx Controls"),
            "mass": {p: (c(name), mult, c(f"{name.split(' (')[0]} Measure Indicator"), -1) for p, (name, mult) in mass.items()},
            "heat_ind": c("Heat Input Measure Indicator"), "hour": c("Hour") if hourly else -1}


def read(paths: list[str], *, period: str = "year") -> tuple[list[_Acc], list[str]]:
    """Return the accumulators per unit and period of every file, and notes on what was left out."""
    accs: dict[tuple[str, str], _Acc] = {}
    notes: list[str] = []
    seen: dict[tuple[str, str], int] = {}  # (unit, date) -> the hours seen (a bit each), across every file
    years: dict[tuple[str, str], str] = {}  # (unit, year) -> how a CAMPD export gives it: whole, or by day or hour
    dups = 0
    repeats: set[tuple[str, str, int]] = set()  # (unit, date, hour bit) given more than once
    for path in paths:
        where = printable(path)
        header, rows = open_rows(path)
        layout = detect(header, where=where)
        if layout.kind == "plain":
            raise InputError("a plain operating log has no measured heat input per unit and controls; `emiss measured` "
                             "reads CAMPD exports and eGRID unit-file rows (use `emiss track` for plain logs)", where=where)
        cols = _columns(layout)
        fi, ui = cols["unit"]
        estimated = 0
        checked = ""  # the last date found to be a day of the calendar: an hourly export's rows share theirs 24 times
        for line, row in enumerate(rows, start=2):
            at = f"{where} line {line}"
            if _egrid_estimated(layout, cols, row):
                estimated += 1
                continue
            key = f"{row[fi].strip()}/{row[ui].strip()}"
            if cols["period"] < 0:
                p = "eGRID"
            elif layout.kind == "campd-annual":
                p = str(year_of(row[cols["period"]], at))
            else:
                p = row[cols["period"]][:7 if period == "month" else 4]
            date = row[cols["period"]].strip() if cols["period"] >= 0 else ""
            # track's rules for a day and an hour: '01/05/2024' ended in a traceback, '2024-02-30' counted as a day of
            # the year, and hour 24 was said to be 'in both a daily and an hourly export'
            if layout.kind in ROW_HOURS and date != checked:
                month_of(date, at)
                checked = date
            hour = row[cols["hour"]] if cols.get("hour", -1) >= 0 else ""
            if layout.kind == "campd-hourly" and not (hour.isascii() and hour.isdigit() and int(hour) <= 23):
                raise InputError(f"hour '{printable(hour)[:20]}' must be 0-23", where=at)  # ascii: '²' is a digit
            bit = 1 << int(hour) if hour else WHOLE  # an hour 0-23 (checked above) in an hourly export; none in others
            mask = seen.get((key, date), 0)
            if mask & bit:  # the same unit and hour (or day, or year) again: counted once, and said, when every cell
                dups += 1     # is equal (checked below, by reading the files again); refused when any differs
                repeats.add((key, date, bit))
                continue
            if (bit == WHOLE and mask & HOUR_BITS) or (bit & HOUR_BITS and mask & WHOLE):
                raise InputError(f"{printable(key)[:40]} {printable(date)[:12]} is in both a daily and an hourly export (or "
                                 "given both whole and by hour): it would be counted twice; give one", where=at)
            if layout.kind.startswith("campd-"):  # a year given whole and by day or hour
                year, whole = (date, "campd-annual") if layout.kind == "campd-annual" else (date[:4], "")
                other = years.setdefault((key, year), whole or "by day or hour")
                if other != (whole or "by day or hour"):
                    raise InputError(f"{printable(key)[:40]} {printable(year)[:12]} is in both an annual export and a daily "
                                     "or hourly one: it would be counted twice; give one", where=at)
            seen[(key, date)] = mask | bit
            acc = accs.get((key, p))
            if acc is None:
                cell = lambda name: row[cols[name]] if cols[name] >= 0 else ""  # noqa: E731 - an optional column may be absent
                acc = accs[(key, p)] = _Acc(key, p, facility=cell("facility"), unit_type=cell("type"), fuel=cell("fuel"),
                                            controls=cell("controls"))
            acc.rows += 1
            if layout.kind in ROW_HOURS:  # a dated export: its coverage of the period is counted after the reading
                acc.by = "hours" if layout.kind == "campd-hourly" or acc.by == "hours" else "days"
            span = _row_hours(layout.kind, date)
            t = row[cols["hours"]]
            op = number(t, where=at, column=layout.header[cols["hours"]]) if t else None  # blank: not known to be zero
            if op is not None and op > span * (1 + HOURS_SLACK):
                raise InputError(f"{printable(key)[:40]}, column '{layout.header[cols['hours']]}': {printable(t)[:40]} h is "
                                 f"more than the {span:,.0f} h the row covers; a unit cannot run longer", where=at)
            if op == 0.0:
                for i in [cols["heat"]] + [m[0] for m in cols["mass"].values()]:  # heat or mass in a row that did not
                    if i >= 0 and row[i] and number(row[i], where=at, column=layout.header[i]) != 0.0:  # run: no quiet zero
                        raise InputError(f"{layout.header[i]} is {printable(row[i])[:20]} but the operating time is 0: the "
                                         "file contradicts itself", where=at)
                continue
            acc.operating += 1
            if op is None:
                acc.no_hours += 1
            else:
                acc.hours += op
            h = row[cols["heat"]]
            heat = None
            if h:
                heat = number(h, where=at, column=layout.header[cols["heat"]])
                if heat > heat_bound(span):
                    refuse_heat(span, said=f"{printable(key)[:40]}, column '{layout.header[cols['heat']]}': "
                                f"{printable(h)[:40]} MMBtu", where=at)
                acc.heat += heat
                hi = cols.get("heat_ind", -1)
                if hi >= 0 and "Substitute" in row[hi]:
                    acc.substituted["heat"] += 1
            else:
                acc.no_heat += 1
            for pol, (i, mult, ind, src) in cols["mass"].items():
                if i < 0 or not row[i] or (src >= 0 and row[src] != "EPA/CAMD"):
                    continue
                lb = number(row[i], where=at, column=layout.header[i]) * mult
                if lb > mass_bound(pol, span):
                    refuse_mass(pol, span, per=mult, said=f"{printable(key)[:40]}, column '{layout.header[i]}': "
                                f"{printable(row[i])[:40]}", where=at)
                acc.lb[pol] += lb
                acc.present[pol] += 1
                if heat is not None:  # a rate's numerator and denominator from the same rows
                    acc.paired_lb[pol] += lb
                    acc.paired_heat[pol] += heat
                if ind >= 0 and "Substitute" in row[ind]:
                    acc.substituted[pol] += 1
        if estimated:
            notes.append(f"{where}: {estimated} eGRID row(s) left out: heat input or NOx not measured (src is not EPA/CAMD)")
    if repeats:
        _check_repeats(paths, repeats)
    coverage(accs, seen, period)
    if dups:
        notes.append(f"{dups} duplicate row(s) left out: the same unit and period given twice (within or across files), "
                     "equal in every cell")
    return list(accs.values()), notes


def coverage(accs: dict[tuple[str, str], _Acc], seen: dict[tuple[str, str], int], period: str) -> None:
    """Count, for each unit and period of an hourly or daily export, the hours (days) of the period that have a row.

    As track counts a month: a period is whole only when every hour (every day, for a daily export; a day's row
    counts 24 hours) has a row, a row with 0 operating hours included, the explicit zero that says the unit did not
    run; an hour or a day with no row is missing data, so the period's masses, hours and heat input are of its logged
    part only. An annual export's row and an eGRID row are a whole year each.
    """
    hours: dict[tuple[str, str], int] = {}
    for (key, date), mask in seen.items():
        if len(date) < len("YYYY-MM-DD"):  # an annual export's year, an eGRID row's ''
            continue
        k = (key, date[:7 if period == "month" else 4])
        hours[k] = hours.get(k, 0) + (24 if mask & WHOLE else (mask & HOUR_BITS).bit_count())
    for k, acc in accs.items():
        if not acc.by:
            continue
        per = 24 if acc.by == "days" else 1
        of = period_hours(int(acc.period[:4]), int(acc.period[5:7]) if period == "month" else 0)
        acc.logged, acc.of = hours.get(k, 0) // per, of // per


def _row_hours(kind: str, date: str) -> float:
    """Return the hours one row covers: an hour, a day, or a year (an annual export's own year; eGRID's: 366 days)."""
    if kind in ROW_HOURS:
        return ROW_HOURS[kind]
    if kind == "campd-annual" and date.isdigit():
        y = int(date)
        return 24.0 * (366 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 365)
    return LEAP_YEAR_HOURS


def _lb_per_mmbtu(pollutant: str, control: str) -> tuple[float, str] | None:
    from emiss.core.units import multiplier
    from emiss.data import library_factor

    f = library_factor(pollutant, "turbine", control)
    return (f.value * multiplier(f.unit, "lb/MMBtu"), f.source) if f else None


def compare(accs: list[_Acc]) -> tuple[list[dict[str, Any]], list[str]]:
    """Return one row per unit and period: hours, heat input, measured mass and rate, estimates on both bases, ratios;
    and notes, naming a pollutant as the tables do ('NOx'; the rows' keys keep the id, 'nox_lb')."""
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for a in sorted(accs, key=lambda x: (x.unit, x.period)):
        parsed = parse_controls(a.controls)
        gas_turbine = a.fuel.strip().lower() in GAS and any(a.unit_type.strip().lower().startswith(t) for t in TURBINE)
        band = size_band(a.heat / a.hours) if a.hours > 0 else ""
        row: dict[str, Any] = {"unit": a.unit, "facility": a.facility, "period": a.period, "unit_type": a.unit_type,
                               "fuel": a.fuel, "controls": a.controls, "class": parsed.cls or "", "size_band": band,
                               "operating_hours": a.hours, "heat_input_mmbtu": a.heat, "rows": a.rows,
                               "operating_rows": a.operating, "rows_without_heat_input": a.no_heat,
                               "substituted_heat_input": a.substituted["heat"],
                               # a period an hourly or daily export covers only in part: its sums are of the logged
                               # part (a lower bound); an annual export's and an eGRID row are a whole year
                               "period_complete": not a.by or a.logged >= a.of, "period_logged": a.logged if a.by else None,
                               "period_of": a.of if a.by else None, "period_by": a.by or None}
        if a.by and a.logged < a.of:
            notes.append(f"{a.unit} {a.period}: only {a.logged:,} of its {a.of:,} {a.by} have a row (a partial period): the "
                         f"masses, hours and heat input are of those {a.by} only, a lower bound for the period, not its "
                         f"total; rates and ratios are of the rows given. A{'n hour' if a.by == 'hours' else ' day'} "
                         "the unit did not run is a row with 0 operating hours")
        if not gas_turbine:
            notes.append(f"{a.unit} {a.period}: {a.unit_type or '?'} on {a.fuel or '?'}: emiss estimates gas turbines "
                         "only; measured values shown without an estimate")
        elif parsed.cls is None:
            notes.append(f"{a.unit} {a.period}: controls '{printable(a.controls)}' name no measured class "
                         f"({', '.join(parsed.other)}); measured values shown without an estimate")
        for pol in POLS:
            have = a.present[pol] > 0
            lb = a.lb[pol] if have else None
            row[f"{pol}_lb"] = lb
            # the rate, and the ratios below, from the rows giving both the mass and the heat input: a row with the
            # mass blank (or the heat input blank) would otherwise count on one side of the division only
            pl, ph = a.paired_lb[pol], a.paired_heat[pol]
            row[f"{pol}_lb_per_mmbtu"] = pl / ph if have and ph > 0 else None
            row[f"{pol}_missing_rows"] = a.operating - a.present[pol]
            row[f"{pol}_substituted_rows"] = a.substituted[pol]
            ap42 = meas = ap42_p = meas_p = None  # the estimates for the period's heat, and for the paired rows' heat
            if gas_turbine and parsed.cls is not None and a.heat > 0:
                f = _lb_per_mmbtu(pol, AP42_CONTROL[parsed.cls] if pol == "nox" else "any")
                ap42, ap42_p = (f[0] * a.heat, f[0] * ph) if f else (None, None)
                m = lookup(parsed.cls, pol, band or "all")
                meas, meas_p = (m.p50 * a.heat, m.p50 * ph) if m else (None, None)
            row[f"{pol}_estimate_ap42_lb"] = ap42
            row[f"{pol}_estimate_measured_lb"] = meas
            # measured / estimated for the same heat input: the paired rows' (every row's, and then to the bit the
            # period's mass over its estimate, when no row lacks the mass or the heat input)
            row[f"{pol}_ratio_ap42"] = pl / ap42_p if lb is not None and ap42_p else None
            row[f"{pol}_ratio_measured"] = pl / meas_p if lb is not None and meas_p else None
            if row[f"{pol}_missing_rows"] > 0:
                notes.append(f"{a.unit} {a.period}: {pollutant_name(pol)} blank in {row[f'{pol}_missing_rows']} operating row(s): the measured "
                             "total leaves them out (not zero); its rate and ratios are of the rows giving both mass and heat input")
            if a.substituted[pol]:
                notes.append(f"{a.unit} {a.period}: {a.substituted[pol]} row(s) of {pollutant_name(pol)} are substitute data (as reported)")
        if a.no_hours:
            notes.append(f"{a.unit} {a.period}: {a.no_hours} row(s) with the operating time blank: counted as operating "
                         "(their heat input and masses are kept), their hours left out of the operating hours")
        if a.no_heat:
            notes.append(f"{a.unit} {a.period}: {a.no_heat} operating row(s) without heat input: rates and estimates "
                         "leave them out")
        rows.append(row)
    if any(r["class"] and "scr" in r["class"] for r in rows):
        notes.append("AP-42 s.3.1 has no factor for SCR: the AP-42 estimate of a unit with SCR uses its combustor's factor "
                     "without SCR")
    return rows, notes


def _egrid_estimated(layout: Layout, cols: dict[str, Any], row: list[str]) -> bool:
    """Return whether a row is an eGRID row whose heat input or NOx EPA estimated (not measured): left out."""
    return layout.kind == "egrid-unit" and (row[cols["heat_src"]] != "EPA/CAMD" or row[cols["mass"]["nox"][3]] != "EPA/CAMD")


def _check_repeats(paths: list[str], repeats: set[tuple[str, str, int]]) -> None:
    """Refuse a unit's hour (day, year) given twice with different values: which row is right is not emiss's call."""
    differs = differing_repeat(paths, repeats, _key_of)
    if differs is None:
        return
    (unit, date, bit), (first, first_line), (path, line) = differs
    what = f"{date} hour {bit.bit_length() - 1}" if bit != WHOLE else (date or "eGRID row")
    at = f"line {first_line}" + ("" if first == path else f" of {printable(first)}")
    raise InputError(f"{printable(unit)[:40]} {printable(what)[:30]} has two rows that differ ({at} and this "
                     "one): a unit's hour (day, year) has one row; a repeat equal in every cell, as in a file "
                     "given twice, is counted once and said. Keep the right row", where=f"{printable(path)} line {line}")


def _key_of(layout: Layout) -> Any:
    """Return a function giving a row's (unit, period, hour bit), as read() keys it; None for a row read() leaves out."""
    cols = _columns(layout)
    fi, ui = cols["unit"]

    def key(row: list[str]) -> Any:
        if _egrid_estimated(layout, cols, row):
            return None
        date = row[cols["period"]].strip() if cols["period"] >= 0 else ""
        hour = row[cols["hour"]] if cols.get("hour", -1) >= 0 else ""
        return (f"{row[fi].strip()}/{row[ui].strip()}", date, 1 << int(hour) if hour else WHOLE)  # read() checked it
    return key
