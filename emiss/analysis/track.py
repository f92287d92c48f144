"""12-month rolling compliance: monthly totals per unit and facility from operating logs, summed over the last twelve
months and set against annual caps (short tons per 12 months).

A log is read once, row by row (CAMPD hourly or daily exports, or a plain date/unit log); memory holds one
accumulator per unit and month and one bit per unit and hour seen (for repeats), never the rows; a file with a
repeated unit-hour is read again to compare the repeat's cells with the first row's. Pollutants the
log measures are summed as measured; others are estimated from the log's heat input, hours, fuel or MWh with the
preset's factors for the unit's fleet group. Every cell says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from emiss.analysis.logs import (HOURS_SLACK, PLAIN_AMOUNTS, Layout, detect, differing_repeat, heat_bound, mass_bound,
                                 month_hours, month_index, month_of, month_text, number, open_rows, refuse_heat,
                                 refuse_mass)
from emiss.core.outputs import megawatts, pounds, short_tons
from emiss.data import pollutant_name
from emiss.errors import InputError, printable

WINDOW = 12  # months in a rolling sum
ROWS, HOURS, HEAT, DUPS, NOHEAT, OPROWS = range(6)  # accumulator slots; then per measured pollutant: lb, rows, substituted
BASE = 6
INF = float("inf")
SHOWN = 5  # dates named in a note before "..."
WHOLE = 1 << 24  # the bit of a row for a whole day (or a whole month, in a monthly log)
HOUR_BITS = WHOLE - 1  # the bits of the day's 24 hours
MISSING = "missing"  # the basis of a month with no row for a unit, before its first row or after its last
TONS_UNIT = "short_ton"  # the unit of a row's tons, rolling_tons, cap_tons and margin_tons, as pint and the other CSVs
# of emiss spell it (estimate's 'short_ton / year', cluster's 'short_ton'): US short tons of 2,000 lb
LOWER = ", a lower bound"  # after a facility month's basis when a unit's month lacks days, hours or blank rows' values


@dataclass(frozen=True)
class Cap:
    """An annual cap compared with 12-month rolling sums."""

    pollutant: str
    tons: float  # short tons per 12 months
    text: str
    source: str


@dataclass
class Rates:
    """How to estimate one logged unit: heat input per operating hour, per MWh and per scf, and lb/MMBtu per pollutant."""

    group: str
    mmbtu_per_hour: float
    mmbtu_per_mwh: float
    mmbtu_per_scf: float
    lb_per_mmbtu: dict[str, float]


@dataclass
class _Unit:
    months: dict[int, list[float]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)  # date -> bit mask of hours (bit 24: a row for the whole period)
    whole: dict[int, bool] = field(default_factory=dict)  # month -> given as a whole month (True) or by day/hour (False)
    dup_dates: list[str] = field(default_factory=list)
    rates: Rates | None = None
    count: int = 1  # the units a row of it is for: a [[fleet]] group logged whole under its bare name, its count


class Tracker:
    """Accumulates logs into unit-months; ``result`` does the rolling sums."""

    def __init__(self, caps: Iterable[Cap] = (), *, scenario: Any = None) -> None:
        self.caps = {c.pollutant: c for c in caps}
        self.scenario = scenario
        self.units: dict[str, _Unit] = {}
        self.measured: list[str] = []  # pollutants some log measures, in order of appearance
        self.files: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self._groups = _group_rates(scenario) if scenario is not None else {}

    # ---- reading -----------------------------------------------------------------------------------------------------
    def add(self, path: str) -> None:
        """Read one log file into the accumulators."""
        where = printable(path)
        header, rows = open_rows(path)
        layout = detect(header, where=where)
        if layout.kind in ("campd-annual", "egrid-unit"):
            raise InputError(f"a {layout.kind} file has no months; 12-month rolling sums need an hourly or daily log "
                             "(CAMPD hourly or daily export, or a plain log with a date per row)", where=where)
        meas = _measured_columns(layout, where)
        for pol, *_ in meas:
            if pol not in self.measured:
                self.measured.append(pol)
        pols = [m[0] for m in meas]
        self.width = BASE + 3 * len(self.measured)
        slots = [(BASE + 3 * self.measured.index(p), i, mult, ind, p, mass_bound(p, 1.0)) for p, i, mult, ind in meas]
        self._adding = path  # the file being read: _check_repeats reads it again
        n = self._read(layout, rows, slots, where)
        self.files.append({"file": path, "layout": layout.kind, "rows": n, "measured": pols})

    def _unit(self, key: str, where: str) -> _Unit:
        u = self.units.get(key)
        if u is None:
            if not key or key == "/":
                raise InputError("the unit is empty: every row names its unit", where=where)
            u = self.units[key] = _Unit()
            if self.scenario is not None:
                u.rates = self._rates_for(key, where)
                name, sep, _ = key.partition("#")
                if not sep:  # the group logged whole: a row sums its units, its hours are their unit-hours
                    u.count = int(self._groups[" ".join(name.split()).lower()][1])
        return u

    def _rates_for(self, key: str, where: str) -> Rates:
        name, _, k = key.partition("#")
        g = self._groups.get(" ".join(name.split()).lower())
        count = int(g[1]) if g else 0
        if g is None or (k and not (k.isascii() and k.isdigit() and 1 <= int(k) <= count)):
            known = ", ".join(f"'{r.group}' (or '{r.group}#1'..'#{int(c)}')" for r, c in self._groups.values())
            raise InputError(f"unit '{printable(key)}' is not described by the preset '{self.scenario.name}'; its units "
                             f"are its [[fleet]] groups by name: {known}", where=where)
        return g[0]

    def _read(self, layout: Layout, rows: Iterator[list[str]], slots: list[tuple[int, int, float, int, str, float]],
              where: str) -> int:
        kind = layout.kind
        c = layout.col
        if kind == "plain":
            i_unit, i_date, i_hour = c("unit"), c("date"), c("hour")
            amount = next(a for a in ("heat_input_mmbtu", "hours", "fuel_scf", "mwh") if c(a) >= 0)
            i_amt, i_op = c(amount), c("hours")
        else:
            i_fac, i_u, i_date = c("Facility ID"), c("Unit ID"), c("Date")
            i_hour = c("Hour") if kind == "campd-hourly" else -1
            i_op = c("Operating Time") if kind == "campd-hourly" else c("Sum of the Operating Time")
            i_amt, amount = c("Heat Input (mmBtu)"), "heat_input_mmbtu"
        width = self.width
        heat_per_h = heat_bound(1.0)  # MMBtu; bounds are per hour, times the hours a row covers
        cur_key: Any = None
        cur_ukey = ""
        cur_month = ""
        cur_whole = False
        acc: list[float] = []
        unit = _Unit()
        repeats: dict[tuple[str, str, int], list[int]] = {}  # (unit, day, hour bit) -> the lines repeating it
        line = 1
        for row in rows:
            line += 1
            key = row[i_unit] if kind == "plain" else (row[i_fac], row[i_u])
            date = row[i_date]
            month = date[:7]
            if key != cur_key or month != cur_month:
                ukey = key if kind == "plain" else f"{key[0]}/{key[1]}"
                cur_ukey = ukey.strip()
                unit = self._unit(cur_ukey, f"{where} line {line}")
                m = month_of(date, f"{where} line {line}")
                acc = unit.months.get(m)
                if acc is None:
                    acc = unit.months[m] = [0.0] * width
                elif len(acc) < width:
                    acc.extend([0.0] * (width - len(acc)))
                cur_key, cur_month = key, month
                cur_whole = unit.whole.setdefault(m, len(date.rstrip()) <= 7)
            if (len(date.rstrip()) <= 7) != cur_whole:  # a month given whole and by day too would be counted twice
                raise InputError(f"{_name(cur_key)} {month} is given both as a whole month and by day or hour; "
                                 "give one or the other", where=f"{where} line {line}")
            day = date[:10]
            if i_hour >= 0:
                h = row[i_hour]
                if not (h.isascii() and h.isdigit()) or int(h) > 23:  # ascii: '²' is a digit int() cannot read
                    raise InputError(f"hour '{printable(h)[:20]}' must be 0-23", where=f"{where} line {line}")
                bit = 1 << int(h)  # _bit's, inline: an hourly log's rows are millions
            else:
                bit = _bit(date, None)
            mask = unit.seen.get(day)
            if mask is None:
                month_of(day, f"{where} line {line}")  # checks the day once per unit and date
                mask = 0
            if mask & bit:  # counted once here; _check_repeats (a second read) refuses it unless every cell is equal
                acc[DUPS] += 1
                repeats.setdefault((cur_ukey, day, bit), []).append(line)
                if len(unit.dup_dates) < SHOWN:  # the first few are named; all are counted
                    unit.dup_dates.append(f"{day} {row[i_hour]}h" if i_hour >= 0 else date.strip())
                continue
            if (bit == WHOLE and mask & HOUR_BITS) or (bit & HOUR_BITS and mask & WHOLE):  # a day and an hour of it
                raise InputError(f"{_name(cur_key)} {day} is given both as a whole day and by hour; give one or "
                                 "the other", where=f"{where} line {line}")  # would be counted twice
            unit.seen[day] = mask | bit
            acc[ROWS] += 1
            cover = 1 if bit < WHOLE else 24 if len(date.rstrip()) > 7 else month_hours(m)  # hours the row is for
            try:
                op = 1.0
                if i_op >= 0 and row[i_op]:  # a blank operating time is not known to be zero: the row counts as
                    op = float(row[i_op])     # operating, its amounts as given (a blank amount makes the month partial)
                    if not 0.0 <= op < INF:
                        raise ValueError
                    if op == 0.0:
                        amounts = [i_amt] if i_amt != i_op else []
                        for i in amounts + [sl[1] for sl in slots]:  # fuel or pounds in an hour the unit did not run
                            if i >= 0 and row[i] and float(row[i]) != 0.0:  # are not a quiet zero
                                raise InputError(f"{layout.header[i]} is {printable(row[i])[:20]} but the operating time "
                                                 f"is 0: the log contradicts itself", where=f"{where} line {line}")
                        continue
                    span = 1 if bit < WHOLE else 24 if len(date.rstrip()) > 7 else 0  # an hour's row, a day's, a month's
                    span *= unit.count  # a group logged whole: the unit-hours of its units
                    if span and op > span * (1 + HOURS_SLACK):  # e.g. minutes in CAMPD's 'Operating Time' (0-1 h)
                        # a time in the date (a Parquet timestamp, '2024-01-01 00:00:00') made a day's row an hour's
                        why = (f" (its date '{printable(date.strip())[:25]}' names an hour; a day's row is dated YYYY-MM-DD, "
                               "a month's YYYY-MM)" if span == unit.count and i_hour < 0 else "")
                        raise InputError(f"{layout.header[i_op]} {printable(row[i_op])[:20]} is more than the {span} h the row "
                                         f"covers{why}", where=f"{where} line {line}")
                    acc[HOURS] += op
                    if acc[HOURS] > month_hours(m) * unit.count * (1 + HOURS_SLACK):
                        its = ("; a unit cannot run longer than the month" if unit.count == 1 else
                               f" for its {unit.count} units logged whole ({month_hours(m) * unit.count:,} unit-hours); its "
                               "units cannot run longer than the month")
                        raise InputError(f"{_name(cur_key)} {month}: {acc[HOURS]:,.6g} operating hours in a "
                                         f"month of {month_hours(m)} h{its}", where=f"{where} line {line}")
                acc[OPROWS] += 1
                a = row[i_amt]
                if a:
                    v = float(a)
                    if not 0.0 <= v < INF:
                        raise ValueError
                    if amount == "heat_input_mmbtu":
                        if v > heat_per_h * cover:
                            refuse_heat(cover, said=f"{_name(cur_key)}, column '{layout.header[i_amt]}': "
                                        f"{printable(a)[:40]} MMBtu", where=f"{where} line {line}")
                        acc[HEAT] += v
                    elif unit.rates is not None:  # without a preset, hours, fuel or MWh are not needed (nothing to estimate)
                        heat = _to_heat(unit.rates, amount, v)
                        if heat > heat_per_h * cover:
                            refuse_heat(cover, said=f"{_name(cur_key)}, column '{layout.header[i_amt]}': "
                                        f"{printable(a)[:40]} ({heat:,.6g} MMBtu at the preset's rates)",
                                        where=f"{where} line {line}")
                        acc[HEAT] += heat
                else:
                    acc[NOHEAT] += 1
                for slot, i, mult, ind, pol, most_per_h in slots:
                    v = row[i]
                    if v:
                        x = float(v)
                        if not 0.0 <= x < INF:
                            raise ValueError
                        if x * mult > most_per_h * cover:  # mass_bound(pol, cover), per hour once per file
                            refuse_mass(pol, cover, per=mult, said=f"{_name(cur_key)}, column '{layout.header[i]}': "
                                        f"{printable(v)[:40]}", where=f"{where} line {line}")
                        acc[slot] += x * mult
                        acc[slot + 1] += 1
                        if ind >= 0 and "Substitute" in row[ind]:
                            acc[slot + 2] += 1
            except ValueError:
                for i in [i_op, i_amt] + [sl[1] for sl in slots]:  # find the cell and say which: always raises
                    if i >= 0 and row[i]:
                        number(row[i], where=f"{where} line {line}", column=layout.header[i])
                raise
        if repeats:
            self._check_repeats(repeats, where)
        return line - 1

    def _check_repeats(self, repeats: dict[tuple[str, str, int], list[int]], where: str) -> None:
        """Refuse a repeated unit-hour (day, month) unless its rows are equal in every cell.

        The first read keeps one bit per unit and hour, not the rows, so the rows are compared by reading the files
        again, the earlier ones too (a log given twice repeats across files): only when a repeat was found.
        """
        differs = differing_repeat([f["file"] for f in self.files] + [self._adding], repeats, _key_of)
        if differs is not None:
            _refuse_repeat(*differs, where)

    # ---- results -----------------------------------------------------------------------------------------------------
    def result(self) -> dict[str, Any]:
        """Return the tracking document: rows per unit/facility, pollutant and month, caps, first crossings, notes."""
        if not self.units:
            raise InputError("the log has no rows", where=", ".join(printable(f["file"]) for f in self.files))
        pols = list(dict.fromkeys(list(self.caps) + self.measured))
        for p in self.caps:
            if p not in self.measured and self.scenario is None:
                raise InputError(f"{p}: the log has no measured {p} and no --preset describes its units to estimate it "
                                 "from; give a preset, or a log with measured pounds", where="--limit")
        first = min(min(u.months) for u in self.units.values())
        last = max(max(u.months) for u in self.units.values())
        months = list(range(first, last + 1))
        notes = list(self.notes)
        rows: list[dict[str, Any]] = []
        # a facility month's tons: None until a unit gives a value (a month no unit gave one for has none, not 0)
        facility: dict[str, list[tuple[float | None, set[str], bool]]] = {p: [(None, set(), True) for _ in months]
                                                                           for p in pols}
        missing = []
        partial = []
        repeated = []  # units with rows equal in every cell to an earlier one, counted once
        absent = self._absent()
        for name in sorted([*self.units, *absent]):
            if name in absent:  # a unit of the preset with no row at all: every month missing, every window incomplete
                notes.append(f"{name}: no rows in the log, though the preset '{self.scenario.name}' describes it "
                             f"({absent[name]}): missing data, not zero ('{MISSING}'), so the facility's sums are lower "
                             "bounds and every window is incomplete. A unit that did not run is a row with 0 operating "
                             "hours")
                missing.append({"unit": name, "from": month_text(months[0]), "to": month_text(months[-1]),
                                "months": len(months)})
                for p in pols:
                    cells = [(None, MISSING, False)] * len(months)
                    rows += self._rolling(name, p, months, cells, cap=None)
                    for i in range(len(months)):
                        t, b, _ = facility[p][i]
                        facility[p][i] = (t, b | {MISSING}, False)
                continue
            u = self.units[name]
            part = coverage(u)
            notes += self._unit_notes(name, u, months, part)
            missing += [{"unit": name, "from": month_text(a), "to": month_text(b), "months": b - a + 1}
                        for a, b, _ in missing_spans(min(u.months), max(u.months), months)]
            partial += [{"unit": name, "month": month_text(m), "logged": a, "of": b, "by": by}
                        for m, (a, b, by) in sorted(part.items())]
            dups = int(sum(a[DUPS] for a in u.months.values()))
            if dups:
                repeated.append({"unit": name, "rows": dups})
            for p in pols:
                cells = [self._cell(u, m, p, part) for m in months]
                rows += self._rolling(name, p, months, cells, cap=None)
                for i, (tons, basis, ok) in enumerate(cells):
                    t, b, k = facility[p][i]
                    facility[p][i] = (t if tons is None else tons if t is None else t + tons, b | {basis}, k and ok)
        first_crossing: dict[str, str | None] = {}
        for p in pols:
            cells = [(t, _merge(b), ok) for t, b, ok in facility[p]]
            frows = self._rolling("facility", p, months, cells, cap=self.caps.get(p))
            rows += frows
            if p in self.caps:
                first_crossing[p] = next((r["month"] for r in frows if r["crossed"] is True), None)
                notes += _unknown_notes(pollutant_name(p), frows)
        return {"files": self.files, "unit": "short ton", "months": [month_text(m) for m in months],
                "caps": [{"pollutant": c.pollutant, "cap_tons": c.tons, "text": c.text, "source": c.source}
                         for c in self.caps.values()],
                "first_crossing": first_crossing, "missing": missing, "partial": partial, "repeated": repeated, "notes": notes,
                "rows": rows}

    def _absent(self) -> dict[str, str]:
        """Return the units the preset describes that no log names (unit -> its group, said), or none without a preset.

        A group named bare ('CT') in the log is taken as logged whole under its name (its rows may be the group's);
        otherwise each of its units is named 'NAME#k' (a group of one: 'NAME' or 'NAME#1').
        """
        if self.scenario is None:
            return {}
        logged = set()
        for key in self.units:
            name, _, k = key.partition("#")
            logged.add((" ".join(name.split()).lower(), str(int(k)) if k.isascii() and k.isdigit() else k))
        out = {}
        for key, (rates, count) in self._groups.items():
            if (key, "") in logged:
                continue
            n = int(count)
            for k in range(1, n + 1):
                if (key, str(k)) not in logged:
                    out[rates.group if n == 1 else f"{rates.group}#{k}"] = \
                        f"[[fleet]] group '{rates.group}'" + (f", unit {k} of {n}" if n > 1 else "")
        return out

    def _cell(self, u: _Unit, m: int, p: str, part: dict[int, tuple[int, int, str]]) -> tuple[float | None, str, bool]:
        """Return a unit's month of ``p``: short tons (None when the unit gave no value for it: a gap, a month missing,
        a pollutant not measured), basis and whether the month is whole; a month its rows cover only in part
        (``part``, from ``coverage``) is missing data: its tons a lower bound, never whole."""
        tons, basis, ok = self._whole_cell(u, m, p)
        if m in part:
            logged, of, by = part[m]
            return tons, f"{basis}, {logged} of {of} {by} logged", False
        return tons, basis, ok

    def _whole_cell(self, u: _Unit, m: int, p: str) -> tuple[float | None, str, bool]:
        acc = u.months.get(m)
        if acc is None:
            if m < min(u.months) or m > max(u.months):  # before a unit's first row or after its last: missing data
                return None, MISSING, False        # (a regulator's term), not zero; a 0 h row is what says 'idle'
            return None, "gap", False
        if p in self.measured:
            slot = BASE + 3 * self.measured.index(p)
            if slot < len(acc) and acc[slot + 1] > 0:
                missing = int(acc[OPROWS] - acc[slot + 1])
                if missing <= 0:
                    return short_tons(acc[slot]), "measured", True
                return short_tons(acc[slot]), f"measured, {missing} operating row(s) blank", False
        if u.rates is not None and p in u.rates.lb_per_mmbtu:
            return short_tons(u.rates.lb_per_mmbtu[p] * acc[HEAT]), "estimated", acc[NOHEAT] == 0
        if acc[HOURS] == 0 and acc[HEAT] == 0 and acc[NOHEAT] == 0:  # a row with blanks is not known to be idle
            return 0.0, "not operating", True
        return None, "not measured", False  # rows, but no value for p: unknown, not 0

    def _rolling(self, unit: str, p: str, months: list[int], cells: list[tuple[float | None, str, bool]],
                 cap: Cap | None) -> list[dict[str, Any]]:
        """Return one row per month: its tons (None, null in JSON, for a month with no value) and the 12-month sum of
        the months with a value (a window holding one without is incomplete: its cells say so)."""
        out = []
        for i, m in enumerate(months):
            lo = max(0, i - WINDOW + 1)
            window = cells[lo:i + 1]
            rolling = sum(t for t, _, _ in window if t is not None)
            complete = i + 1 >= WINDOW and all(ok for _, _, ok in window)
            row = {"unit": unit, "pollutant": p, "month": month_text(m), "tons": cells[i][0], "basis": cells[i][1],
                   "rolling_tons": rolling, "window_months": len(window), "window_complete": complete,
                   "cap_tons": cap.tons if cap else None, "margin_tons": cap.tons - rolling if cap else None,
                   "crossed": crossed(rolling, complete, cap), "tons_unit": TONS_UNIT}
            out.append(row)
        return out

    def _unit_notes(self, name: str, u: _Unit, months: list[int], part: dict[int, tuple[int, int, str]]) -> list[str]:
        notes = []
        lo, hi = min(u.months), max(u.months)
        for a, b, why in missing_spans(lo, hi, months):
            notes.append(f"{name}: no rows in {_span(a, b)} ({b - a + 1} month(s) of the log {why}): missing data, "
                         f"not zero ('{MISSING}'); the windows holding them are incomplete. A month the unit was idle "
                         "or not yet in service is a row with 0 operating hours")
        gaps = [month_text(m) for m in range(lo, hi + 1) if m not in u.months]
        if gaps:
            notes.append(f"{name}: {len(gaps)} month(s) with no row (a gap, not zero; windows holding them are marked "
                         f"incomplete): {_some(gaps)}")
        dups = int(sum(a[DUPS] for a in u.months.values()))
        if dups:
            more = f", ... ({dups - len(u.dup_dates)} more)" if dups > len(u.dup_dates) else ""
            notes.append(f"{name}: {dups} repeated row(s) equal in every cell to an earlier one (a log exported or given "
                         f"twice) counted once: {', '.join(u.dup_dates)}{more}")
        if part:
            said = [f"{month_text(m)}: {a} of {b} {by} logged" for m, (a, b, by) in sorted(part.items())]
            more = f"; ... ({len(said) - SHOWN} more)" if len(said) > SHOWN else ""
            notes.append(f"{name} {'; '.join(said[:SHOWN])}{more}: month(s) only partly logged are missing data, not "
                         "complete: their sums are lower bounds and the windows holding them are incomplete. A day or "
                         "hour the unit did not run is a row with 0 operating hours")
        blank = {}
        subst = {}
        for p in self.measured:
            slot = BASE + 3 * self.measured.index(p)
            b = [month_text(m) for m, a in sorted(u.months.items()) if slot < len(a) and a[OPROWS] > a[slot + 1]]
            if b:
                blank[p] = b
            s = sum(int(a[slot + 2]) for a in u.months.values() if slot < len(a))
            if s:
                subst[p] = s
        for p, b in blank.items():
            notes.append(f"{name}: {pollutant_name(p)} blank in some operating rows (left out of the sum, not taken as zero) in {_some(b)}")
        for p, s in subst.items():
            notes.append(f"{name}: {s} hour(s) of {pollutant_name(p)} are substitute data (as reported; counted in the sums)")
        nh = sum(int(a[NOHEAT]) for a in u.months.values())
        if nh:
            notes.append(f"{name}: {nh} operating row(s) without heat input or operating amount")
        hours = sum(a[HOURS] for a in u.months.values())
        if u.count > 1 and hours:  # 600 h of a group of 15 is not 15 units for 600 h each: said, as it is read
            notes.append(f"{name}: logged whole, the {u.count} units of its [[fleet]] group together: its operating hours "
                         f"are unit-hours, the sum over its units ({hours:,.6g} h in all, {hours / u.count:,.4g} h a unit on "
                         f"average), and what they give is estimated at one unit's rate; name each unit '{name}#k' to log "
                         "it on its own")
        return notes


def coverage(u: _Unit) -> dict[int, tuple[int, int, str]]:
    """Return the months a unit's rows cover only in part: month -> (logged, in the month, 'days' or 'hours').

    A month is whole when every day of it has a row (a daily log), or every hour (an hourly log; a day's row
    counts 24): a row with 0 operating hours counts, as the explicit zero that says the unit did not run, but an
    hour or a day with no row is missing data, not zero. A month given as one row is whole.
    """
    hours: dict[int, int] = {}
    by_hour: set[int] = set()
    for day, mask in u.seen.items():
        if len(day.rstrip()) <= len("YYYY-MM"):  # a whole month's row
            continue
        m = month_index(day)
        if mask & HOUR_BITS:
            by_hour.add(m)
        hours[m] = hours.get(m, 0) + (24 if mask & WHOLE else (mask & HOUR_BITS).bit_count())
    out = {}
    for m, h in hours.items():
        full = month_hours(m)
        if h < full:
            out[m] = (h, full, "hours") if m in by_hour else (h // 24, full // 24, "days")
    return out


def missing_spans(lo: int, hi: int, months: list[int]) -> list[tuple[int, int, str]]:
    """Return a unit's missing months as (first, last, why): the log's months before its first row and after its last.

    Both are missing data, not zero: a unit that stops reporting has not stopped emitting, and one whose rows start
    late may have run before (the months before the whole log are unknown too, for every unit: the same rule). A row
    with 0 operating hours is what says a unit was idle or not yet in service.
    """
    spans = ((months[0], lo - 1, f"before its first row, {month_text(lo)}"),
             (hi + 1, months[-1], f"after its last row, {month_text(hi)}"))
    return [(a, b, why) for a, b, why in spans if a <= b]


def _span(a: int, b: int) -> str:
    return month_text(a) if a == b else f"{month_text(a)} to {month_text(b)}"


def crossed(rolling: float, complete: bool, cap: Cap | None) -> bool | None:
    """Return whether a 12-month sum crosses its cap, as the screening judges a partial total (core/calc.screen).

    True when the sum is above the cap, even from an incomplete window: its sum leaves months or rows out, so it
    is a lower bound, and a lower bound above the cap is a crossing. None (unknown) when the window is incomplete and
    its sum is at or under the cap: the months it lacks could carry it over. False only when the window is complete
    and at or under the cap. None too without a cap (a unit's rows, a pollutant with no cap; cap_tons is null then):
    a row with no cap to cross did not "not cross" one.
    """
    if cap is None:
        return None
    if rolling > cap.tons:
        return True
    return False if complete else None


def _unknown_notes(p: str, rows: list[dict[str, Any]]) -> list[str]:
    """Say which of a capped pollutant's facility windows are unknown, and why a log's first months are among them."""
    unknown = [r["month"] for r in rows if r["crossed"] is None]
    if not unknown:
        return []
    early = min(WINDOW - 1, len(rows))
    why = (f". The windows ending in the log's first {early} month(s) reach back before it: the months before a log "
           "are taken as unknown, not zero (for units that first ran in the log's first month, those sums are whole "
           "and under the cap)") if any(r["crossed"] is None for r in rows[:early]) else ""
    latest = f"; the latest, {rows[-1]['month']}, is one" if rows[-1]["crossed"] is None else ""
    return [f"{p}: {len(unknown)} of {len(rows)} 12-month window(s) are unknown ('crossed' null in JSON): incomplete, "
            f"with a sum under the cap that is only a lower bound: {_some(unknown)}{latest}{why}"]


def _bit(date: str, hour: str | None) -> int:
    """Return the bit a row takes in its unit-day's mask: its hour's, or WHOLE for a row for a whole day or month."""
    if hour is not None:
        return 1 << int(hour)
    if len(date) > 12 and date[10] in "T ":  # a plain log's 'YYYY-MM-DD HH:MM'
        hh = date[11:13]
        return 1 << int(hh) if hh.isascii() and hh.isdigit() and int(hh) < 24 else 1 << 25
    return WHOLE


def _key_of(layout: Layout) -> Any:
    """Return a function giving a row's (unit as named, day, hour bit): the key a repeated row shares."""
    c = layout.col
    if layout.kind == "plain":
        i_unit, i_date, i_hour = c("unit"), c("date"), c("hour")
        return lambda row: (row[i_unit].strip(), row[i_date][:10],
                            _bit(row[i_date], row[i_hour] if i_hour >= 0 else None))
    i_fac, i_u, i_date, i_hour = c("Facility ID"), c("Unit ID"), c("Date"), c("Hour")
    return lambda row: (f"{row[i_fac]}/{row[i_u]}".strip(), row[i_date][:10],
                        _bit(row[i_date], row[i_hour] if i_hour >= 0 else None))


FALL_BACK = {10: range(25, 32), 11: range(1, 8)}  # month -> days a Sunday ends daylight-saving time: the EU's last
# Sunday of October, the US's first of November
FALL_BACK_HOURS = 1 << 1 | 1 << 2  # the hour repeated: 01:00 in the US (02:00 DST -> 01:00), 02:00 in the EU


def _refuse_repeat(key: tuple[str, str, int], a: tuple[str, int], b: tuple[str, int], where: str) -> None:
    """Refuse two rows for one unit-hour (day, month) that differ: which to keep, or whether both are real, is the
    log keeper's call (a double export repeats every cell; two real hours need a clock without a repeated hour)."""
    import datetime

    unit, day, bit = key
    what = f"{day} hour {bit.bit_length() - 1}" if bit & HOUR_BITS else day
    at = f"line {a[1]}" + ("" if a[0] == b[0] else f" of {printable(a[0])}")
    hint = ""
    try:
        d = datetime.date.fromisoformat(day)
    except ValueError:
        d = None
    if d is not None and bit & FALL_BACK_HOURS and d.weekday() == 6 and d.day in FALL_BACK.get(d.month, ()):
        hint = (". If these are the two hours of the night daylight-saving time ends, the log is in local clock time, "
                "where that hour happens twice: log in standard time or UTC (CAMPD exports are in standard time), or "
                "give the two hours as one row with their sums")
    raise InputError(f"{_name(unit)} {what} has two rows that differ ({at} and this one): a unit's hour (day, month) has one "
                     "row; a repeat equal in every cell, as in a log exported twice, is counted once and said. Keep "
                     f"the right row, or one row with the sums{hint}", where=f"{printable(b[0])} line {b[1]}")


def _name(key: Any) -> str:
    """Return a log row's unit as the output names it: a plain log's text, a CAMPD export's 'facility/unit'."""
    return printable(key if isinstance(key, str) else "/".join(key))[:40]


def _merge(bases: set[str]) -> str:
    """Return the facility's basis for a month from its units': one word, 'mixed: ...', and ', a lower bound' when a
    unit's month is only partly logged or has blank rows (its own basis says which; the facility's sum lacks them)."""
    plain = {b.split(",")[0] for b in bases}
    said = plain.pop() if len(plain) == 1 else "mixed: " + ", ".join(sorted(plain))
    return said + (LOWER if any("," in b for b in bases) else "")


def _some(items: list[str]) -> str:
    return ", ".join(items[:SHOWN]) + (f", ... ({len(items) - SHOWN} more)" if len(items) > SHOWN else "")


def _to_heat(rates: Rates | None, amount: str, value: float) -> float:
    if rates is None:
        raise InputError(f"the log gives {amount}, not heat input: estimating needs --preset (the units' heat rate)",
                         where="--preset")
    per = {"hours": rates.mmbtu_per_hour, "mwh": rates.mmbtu_per_mwh, "fuel_scf": rates.mmbtu_per_scf}[amount]
    return value * per


def _measured_columns(layout: Layout, where: str = "the log") -> list[tuple[str, int, float, int]]:
    """Return (pollutant, column, lb per unit of the column, indicator column) for each measured pollutant."""
    c = layout.col
    if layout.kind == "campd-hourly":
        cols = (("nox", "NOx Mass (lbs)", 1.0), ("so2", "SO2 Mass (lbs)", 1.0), ("co2", "CO2 Mass (short tons)", pounds(1.0)))
        return [(p, c(name), mult, c(f"{name.split(' (')[0]} Measure Indicator")) for p, name, mult in cols]
    if layout.kind == "campd-daily":
        cols = (("nox", "NOx Mass (short tons)"), ("so2", "SO2 Mass (short tons)"), ("co2", "CO2 Mass (short tons)"))
        return [(p, c(name), pounds(1.0), -1) for p, name in cols]  # lb in a short ton
    from emiss.data import POLLUTANTS

    read = {f"{p}_lb" for p in POLLUTANTS}
    for name in layout.header:  # a pollutant's column in another spelling would be passed over, and the pollutant
        pol = re.match(r"([a-z0-9]+)(?![a-z0-9])", name)  # estimated instead: 'nox_lbs', 'nox (lb)', 'co_tons'
        if pol and pol.group(1) in POLLUTANTS and name not in read:
            raise InputError(f"column '{printable(name)}' is not read: measured {pol.group(1)} is a column "
                             f"'{pol.group(1)}_lb', in pounds (a plain log's columns: date, unit, one of "
                             f"heat_input_mmbtu, hours, fuel_scf, mwh, and <pollutant>_lb)", where=where)
        # so would an amount's: 'heat_input' beside 'hours' was passed over, and the pollutants estimated from the hours
        if re.match(r"(heat|fuel|mwh)(?![a-z])", name) and name not in PLAIN_AMOUNTS:
            raise InputError(f"column '{printable(name)}' is not read: what a unit did is a column heat_input_mmbtu "
                             f"(MMBtu), fuel_scf (standard cubic feet) or mwh (a plain log's columns: date, unit, one of "
                             f"heat_input_mmbtu, hours, fuel_scf, mwh, and <pollutant>_lb)", where=where)
    return [(p, c(f"{p}_lb"), 1.0, -1) for p in POLLUTANTS if c(f"{p}_lb") >= 0]


def _group_rates(scenario: Any) -> dict[str, tuple[Rates, float]]:
    """Return, per fleet group name (lower case), the rates of one unit of it and the group's unit count."""
    from emiss.core.calc import estimate

    res = estimate(scenario, screen_thresholds=False)
    out = {}
    for g, gr in zip(scenario.groups, res.groups):
        heat_h = gr.heat_input_mmbtu_h  # all units of the group, MMBtu/h HHV at the scenario's load
        per_unit = heat_h / g.count
        mw = megawatts(g.count * g.capacity_kw * g.output_fraction)
        lb = {p: v / heat_h for p, v in gr.lb_per_hour.items()} if heat_h else {}
        out[" ".join(g.name.split()).lower()] = (Rates(g.name, per_unit, heat_h / mw, scenario.fuel_hhv, lb), g.count)
    return out


def cap_from_limit(limit: Any) -> Cap:
    """Return the 12-month cap of an annual permit limit (emiss.inputs.permit_limits.Limit), or an error for other kinds
    and for a cap per unit (the rolling sums set against caps are the facility's)."""
    if limit.kind != "annual":
        raise InputError(f"{limit.pollutant}: '{printable(limit.text)}' is not a cap per year; 12-month rolling sums "
                         f"compare with tons per year, e.g. {limit.pollutant}='87 tpy'", where="--limit", usage=True)
    if limit.per == "unit":
        raise InputError(f"{limit.pollutant}: '{printable(limit.shown)}' is a cap per unit; track sets the facility's "
                         f"12-month sums against caps: give the facility's cap in tons per year, e.g. "
                         f"{limit.pollutant}='87 tpy'", where="--limit", usage=True)
    return Cap(limit.pollutant, short_tons(limit.value), limit.text, limit.source)
