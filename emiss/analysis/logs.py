"""Reading operating logs and EPA exports: CAMPD hourly, daily and annual CSVs, eGRID unit-file rows, plain logs.

A file is opened by its bytes (gzip and Parquet by their magic numbers, CSV otherwise) and read row by row: a
Parquet file one record batch at a time, a CSV through csv.reader, so memory stays bounded by the batch. Every row
comes out as a list of strings in the order of the header; the layout says which column is which.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import gzip
import io
import math
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, NoReturn

from emiss.errors import InputError, printable

# Column names exactly as CAMPD writes them (REFERENCE.md s.11), the ones each layout needs.
CAMPD_ID = ("Facility ID", "Unit ID")
CAMPD_HOURLY = CAMPD_ID + ("Date", "Hour", "Operating Time", "Heat Input (mmBtu)", "NOx Mass (lbs)", "SO2 Mass (lbs)",
                           "CO2 Mass (short tons)")
CAMPD_DAILY = CAMPD_ID + ("Date", "Sum of the Operating Time", "Heat Input (mmBtu)", "NOx Mass (short tons)",
                          "SO2 Mass (short tons)", "CO2 Mass (short tons)")
CAMPD_ANNUAL = CAMPD_ID + ("Year", "Sum of the Operating Time", "Heat Input (mmBtu)", "NOx Mass (short tons)",
                           "SO2 Mass (short tons)", "CO2 Mass (short tons)")
EGRID_UNIT = ("orispl", "unitid", "prmvr", "fuelu1", "hrsop", "htian", "noxan", "so2an", "co2an", "htiansrc", "noxansrc",
              "co2src", "so2src", "noxctldv")
# The whole header of an hourly export, in EPA's order (REFERENCE.md s.11): what a test or benchmark log is written with.
CAMPD_HOURLY_EXPORT = ("State", "Facility Name", "Facility ID", "Unit ID", "Associated Stacks", "Date", "Hour", "Operating Time",
                       "Gross Load (MW)", "Steam Load (1000 lb/hr)", "SO2 Mass (lbs)", "SO2 Mass Measure Indicator",
                       "SO2 Rate (lbs/mmBtu)", "SO2 Rate Measure Indicator", "CO2 Mass (short tons)",
                       "CO2 Mass Measure Indicator", "CO2 Rate (short tons/mmBtu)", "CO2 Rate Measure Indicator",
                       "NOx Mass (lbs)", "NOx Mass Measure Indicator", "NOx Rate (lbs/mmBtu)", "NOx Rate Measure Indicator",
                       "Heat Input (mmBtu)", "Heat Input Measure Indicator", "Primary Fuel Type", "Secondary Fuel Type",
                       "Unit Type", "SO2 Controls", "NOx Controls", "PM Controls", "Hg Controls", "Program Code")
PLAIN = ("date", "unit")
PARQUET_BATCH = 65_536  # rows read from a Parquet log at a time: memory stays bounded (as batch's row groups)
PLAIN_AMOUNTS = ("heat_input_mmbtu", "hours", "fuel_scf", "mwh")  # one of these: what the unit did
LAYOUTS = {"campd-hourly": CAMPD_HOURLY, "campd-daily": CAMPD_DAILY, "campd-annual": CAMPD_ANNUAL, "egrid-unit": EGRID_UNIT}


@dataclass(frozen=True)
class Layout:
    """Which export a header is, and where its columns are."""

    kind: str
    header: tuple[str, ...]
    index: dict[str, int]

    def col(self, name: str) -> int:
        """Return the position of column ``name``, or -1 when the file does not have it."""
        return self.index.get(name, -1)


def detect(header: list[str], *, where: str) -> Layout:
    """Return the layout of a header, or an error naming the columns each layout expects and those found."""
    clean = tuple(h.strip().lstrip("\ufeff") for h in header)
    twice = sorted({h for h in clean if h and [x.lower() for x in clean].count(h.lower()) > 1})
    if twice:  # which of two 'nox_lb' columns counts would be a silent choice
        raise InputError(f"the header names a column twice: {', '.join(printable(h) for h in twice)}", where=where)
    index = {h: i for i, h in enumerate(clean)}
    lower = {h.lower(): i for i, h in enumerate(clean)}
    for kind, need in LAYOUTS.items():
        if all(n in index for n in need):
            return Layout(kind, clean, index)
    if all(n in lower for n in PLAIN) and any(a in lower for a in PLAIN_AMOUNTS):
        return Layout("plain", tuple(h.lower() for h in clean), lower)
    found = ", ".join(clean[:40]) + (", ..." if len(clean) > 40 else "")
    raise InputError(
        "unknown layout: expected a CAMPD hourly export (" + ", ".join(CAMPD_HOURLY) + "), daily (" + ", ".join(CAMPD_DAILY)
        + "), annual (" + ", ".join(CAMPD_ANNUAL) + "), eGRID unit-file rows (" + ", ".join(EGRID_UNIT) + ") or a plain log "
        "(date, unit and one of " + ", ".join(PLAIN_AMOUNTS) + "; optional <pollutant>_lb); found: " + printable(found),
        where=where)


def period_hours(year: int, month: int = 0) -> int:
    """Return the hours in a calendar month (1-12) of ``year``, or in the whole year (month 0)."""
    return 24 * (calendar.monthrange(year, month)[1] if month else 365 + calendar.isleap(year))


_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
YEARS = (1900, 2200)  # the years a log may hold: continuous emission monitoring began in the 1970s (40 CFR 60, 1971)


# A log records what has happened: a date after today is a typo ('2052' for '2025'), and a month of it would be summed
# as logged. Today is UTC's, and a day later is allowed: a log kept in a time zone ahead of UTC (to UTC+14) is there.
FUTURE_SLACK = datetime.timedelta(days=1)


def latest_day() -> datetime.date:
    """Return the latest day a log may hold: today (UTC) and a day's slack."""
    return datetime.datetime.now(datetime.timezone.utc).date() + FUTURE_SLACK


def _refuse_future(what: str, text: str, latest: datetime.date, where: str) -> NoReturn:
    raise InputError(f"{what} '{printable(text)[:30]}' is in the future (today is {latest - FUTURE_SLACK:%Y-%m-%d}, UTC): "
                     "a log records what has happened", where=where)


def year_of(text: str, where: str) -> int:
    """Return the year of an annual export's row ('2023'), refusing one that is not four digits, outside YEARS or to
    come (it was the row's period as written: 'abcd' or '23' was a period of its own, a year's hours taken as 8,784)."""
    t = text.strip()
    if not (len(t) == 4 and t.isascii() and t.isdigit()) or not YEARS[0] <= int(t) <= YEARS[1]:
        raise InputError(f"year '{printable(text)[:30]}' must be YYYY, {YEARS[0]} to {YEARS[1]}", where=where)
    latest = latest_day()
    if int(t) > latest.year:
        _refuse_future("year", t, latest, where)
    return int(t)


def month_of(text: str, where: str) -> int:
    """Return the month index of a log's date 'YYYY-MM-DD' (or 'YYYY-MM'), refusing a date no calendar has, or one to
    come."""
    m = _DATE.match(text)
    if not m or not 1 <= int(m.group(2)) <= 12 or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        raise InputError(f"date '{printable(text)[:30]}' must be YYYY-MM-DD (or YYYY-MM in a monthly plain log)", where=where)
    if not YEARS[0] <= int(m.group(1)) <= YEARS[1]:
        raise InputError(f"date '{printable(text)[:30]}': the year must be {YEARS[0]} to {YEARS[1]} (no power-plant log "
                         "is older, and a typo would make a window of thousands of months)", where=where)
    if m.group(3) is None and len(text.rstrip()) > len("YYYY-MM"):  # '2024-01-5': a day, but which? (and not
        raise InputError(f"date '{printable(text)[:30]}' must be YYYY-MM-DD (or YYYY-MM in a monthly plain log)",
                         where=where)  # the same day as '2024-01-05': counted twice, and its month's coverage wrong)
    index = month_index(text)
    days = month_hours(index) // 24
    if m.group(3) and int(m.group(3)) > days:  # '2024-02-30' would count as a day of February: a month's coverage
        raise InputError(f"date '{printable(text)[:30]}' is not a day: {month_text(index)} has {days} days", where=where)
    latest = latest_day()
    day = datetime.date(index // 12, index % 12 + 1, int(m.group(3))) if m.group(3) else None
    if index > latest.year * 12 + latest.month - 1 or (day is not None and day > latest):
        _refuse_future("date", text, latest, where)
    return index


def month_index(text: str) -> int:
    """Return year * 12 + month - 1 for 'YYYY-MM...' (months count from year 0)."""
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def month_text(index: int) -> str:
    """Return 'YYYY-MM' for a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_hours(index: int) -> int:
    """Return the hours in a calendar month (its index: year x 12 + month - 1)."""
    return period_hours(index // 12, index % 12 + 1)


def open_rows(path: str) -> tuple[list[str], Iterator[list[str]]]:
    """Return the header and an iterator over the rows (lists of strings) of a CSV, gzip CSV or Parquet file."""
    where = printable(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the iterator
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", where=where) from None
    magic = raw.read(4)
    raw.seek(0)
    if magic == b"PAR1":
        raw.close()
        return _parquet(path, where)
    stream = gzip.open(raw, "rt", encoding="utf-8-sig", newline="") if magic[:2] == b"\x1f\x8b" else \
        io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        stream.close()
        raise InputError("the file is empty (no header row)", where=where) from None
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        stream.close()
        raise InputError(f"not a readable CSV, gzip CSV or Parquet file ({exc.__class__.__name__})", where=where) from None
    return header, _guarded(reader, stream, where, len(header))


def _guarded(reader: Any, stream: io.IOBase, where: str, width: int) -> Iterator[list[str]]:
    """Yield the rows; a row with fewer cells than the header is an error naming its line (a blank line is none), and
    so is one with more, unless they are blank (trailing commas): '120,000' unquoted is two cells, and every cell after
    it would be read in the column to its left."""
    try:
        for row in reader:
            if len(row) < width:
                if not row:
                    continue
                raise InputError(f"line {reader.line_num} has {len(row)} cell(s) where the header has {width}", where=where)
            if len(row) > width and any(c.strip() for c in row[width:]):
                raise InputError(f"line {reader.line_num} has {len(row)} cell(s) where the header has {width} (a number "
                                 f"written with a thousands separator, such as 120,000, is two cells unless quoted)",
                                 where=where)
            yield row
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        raise InputError(f"cannot read past line {getattr(reader, 'line_num', '?')} ({exc.__class__.__name__}: "
                         f"{printable(str(exc))[:120]})", where=where) from None
    finally:
        stream.close()


def _parquet(path: str, where: str) -> tuple[list[str], Iterator[list[str]]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'emiss[parquet]'", where=where) from None
    try:
        pf = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise InputError(f"not a readable Parquet file ({printable(str(exc))[:120]})", where=where) from None
    header = list(pf.schema_arrow.names)

    def rows() -> Iterator[list[str]]:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH):
            cols = [["" if v is None else str(v) for v in c.to_pylist()] for c in batch.columns]
            yield from (list(r) for r in zip(*cols))

    return header, rows()


# ---- what no unit can reach ----------------------------------------------------------------------------------------
# Bounds on one row of a log or an export (an hour, a day, a month or a year of one unit): a value beyond them cannot
# be a measurement (a typo, a unit slip, a corrupt cell), and it is refused, not summed and shown with an exponent.
# They are loose on purpose: a real unit's value is far inside them. `emiss measured` and `emiss track` both use them.
MAX_HEAT_MMBTU_PER_H = 30_000.0  # one unit's heat input in an hour: the largest fossil units (about 1,300 MW at
# 10,000-12,000 Btu/kWh) fire 13,000-16,000 MMBtu/h; twice that holds any unit CAMPD or eGRID reports
MW_C, MW_CO2 = 12.011, 44.009  # lb/lbmol, IUPAC standard atomic weights: what a pound of carbon becomes as CO2
GENERIC_LB_PER_MMBTU = 400.0  # CO2's bound below, the largest factor of any combustion product: no pollutant without
# a bound of its own is justified above it (a fuel's own mass per MMBtu, all of which could leave unburned or as ash,
# is under it too: wet wood at about 4,500 Btu/lb is 220 lb/MMBtu)


def _max_lb_per_mmbtu() -> dict[str, float]:
    """Return the most of each pollutant any fuel's combustion can emit per MMBtu it releases (HHV), lb/MMBtu."""
    from emiss.data import POLLUTANTS, constant, load

    co2 = GENERIC_LB_PER_MMBTU  # pure carbon gives 3.664 lb CO2 per lb at 14,100 Btu/lb, 260 lb/MMBtu, the most of any
    # fuel (the hydrogen of others adds heat, not CO2); 40 CFR 98 Table C-1's highest is 118.17 kg = 260.5 lb/MMBtu
    carbon = co2 * MW_C / MW_CO2  # lb of carbon per MMBtu at most: 109.2
    nox = 10.0  # about three times the highest NOx factor in AP-42 for any combustor: 3.17 lb/MMBtu (Table 3.2-1,
    #             2-stroke lean-burn gas engines, uncontrolled) and 3.2 (Table 3.4-1, large diesel engines)
    ch4 = math.ceil(carbon * constant("mw_ch4").value / MW_C)  # all the carbon as methane (unburned fuel): 146
    gwp = load("constants.toml")["gwp"].values()  # a log's CO2e may use any GWP set: the largest of each
    bounds = {
        "nox": nox,
        "so2": 20.0,  # all of a fuel's sulfur as SO2 (2 lb per lb S): 5 % sulfur coal at 10,000 Btu/lb gives 10 lb/MMBtu
        "co2": co2,
        "co": math.ceil(carbon * constant("mw_co").value / MW_C),  # all the carbon as CO: 255 (AP-42's highest CO
        #   factor, gasoline engines, Table 3.3-1: 62.7 lb/MMBtu)
        "ch4": ch4,
        "hcho": math.ceil(carbon * constant("mw_hcho").value / MW_C),  # all the carbon as formaldehyde: 273
        "n2o": nox,  # from the same nitrogen as NOx, and lighter per pound of it (N2O 44/28, NO2 46/14 lb per lb N);
        #   40 CFR 98 Table C-2's highest N2O factor is 4.2E-03 kg/MMBtu, about 0.01 lb
        "co2e": math.ceil(co2 + max(g["ch4"] for g in gwp) * ch4 + max(g["n2o"] for g in gwp) * nox),  # each part at
        #   its own bound, the largest GWPs (CH4 82.5, 20-year; N2O 298, AR4): loose, as a carbon split cannot max both
    }
    # voc, pm, hap, nh3: no bound of their own is justified (VOC and HAP weigh more or less per pound of carbon by
    # compound, particles are ash and unburned fuel, ammonia slip is whatever is injected and not reacted): the generic
    return {p: bounds.get(p, GENERIC_LB_PER_MMBTU) for p in POLLUTANTS}


MAX_LB_PER_MMBTU = _max_lb_per_mmbtu()
NAMES = {"nox": "NOx", "co": "CO", "voc": "VOC", "pm": "PM", "so2": "SO2", "hcho": "formaldehyde", "hap": "HAP",
         "co2": "CO2", "ch4": "CH4", "n2o": "N2O", "co2e": "CO2e", "nh3": "NH3"}  # as an error message names them


def heat_bound(hours: float) -> float:
    """Return the most heat input (MMBtu) any unit can burn in ``hours``."""
    return MAX_HEAT_MMBTU_PER_H * hours


def mass_bound(pollutant: str, hours: float) -> float:
    """Return the most ``pollutant`` (lb) any unit can emit in ``hours``: its bound per MMBtu at the most heat input."""
    return MAX_LB_PER_MMBTU[pollutant] * MAX_HEAT_MMBTU_PER_H * hours  # in this order: measured's bound, to the bit


def refuse_heat(hours: float, *, said: str, where: str) -> NoReturn:
    """Refuse a heat input above ``heat_bound(hours)``; ``said`` names the cell ("unit, column 'x': 1e9 MMBtu")."""
    raise InputError(f"{said} is more than any unit can burn in the {hours:,.0f} h the row covers: at most "
                     f"{heat_bound(hours):,.0f} MMBtu ({MAX_HEAT_MMBTU_PER_H:,.0f} MMBtu/h, twice the largest fossil "
                     "unit's)", where=where)


def refuse_mass(pollutant: str, hours: float, *, per: float, said: str, where: str) -> NoReturn:
    """Refuse a mass above ``mass_bound(pollutant, hours)``; ``per`` is lb per unit of the column (1 for pounds, 2,000
    for short tons), ``said`` names the cell ("unit, column 'x': 1e9")."""
    unit = "lb" if per == 1.0 else "short tons"
    raise InputError(f"{said} {unit} is more {NAMES[pollutant]} than any unit can emit in the {hours:,.0f} h the row "
                     f"covers: at most {mass_bound(pollutant, hours) / per:,.0f} {unit} ({MAX_LB_PER_MMBTU[pollutant]:g} "
                     f"lb/MMBtu, more than any fuel gives, at {MAX_HEAT_MMBTU_PER_H:,.0f} MMBtu/h, twice the largest "
                     "fossil unit's heat input)", where=where)


HOURS_SLACK = 1e-9  # relative: operating times written or summed in fractions of an hour may round just above the hours


def differing_repeat(paths: list[str], repeats: Any, key_of: Callable[[Layout], Callable[[list[str]], Any]]) -> Any:
    """Read the logs again and return the first repeated row whose cells differ from its first row's, as (key, (file,
    line) of the first, (file, line) of the repeat), or None when every repeat is equal in every cell.

    A reader keeps one bit per unit and hour, not the rows, so the rows of a repeat (its key in ``repeats``, made by
    ``key_of(layout)(row)``, None for a row the reader leaves out) are compared by reading the files again: only when a
    repeat was found. Raises RuntimeError when a repeat is not met again (the two reads keyed a row differently)."""
    first: dict[Any, tuple[str, int, int]] = {}  # key -> (file, line, hash of its cells)
    for path in paths:
        header, rows = open_rows(path)
        layout = detect(header, where=printable(path))
        keyof = key_of(layout)
        for line, row in enumerate(rows, start=2):
            key = keyof(row)
            if key is None or key not in repeats:
                continue
            cells = hash((layout.kind, *row))  # 64 bits: two unequal rows hashing alike is a 1 in 2**64 chance
            seen = first.setdefault(key, (path, line, cells))
            if seen[2] != cells:
                return key, seen[:2], (path, line)
    if set(repeats) - first.keys():
        raise RuntimeError(f"emiss bug: repeated rows not found on a second read of {', '.join(map(printable, paths))}")
    return None


def number(text: str, *, where: str, column: str) -> float:
    """Return a non-negative finite number from a cell, or a one-line error naming the file, line and column."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"column '{printable(column)}': '{printable(text)[:40]}' is not a number", where=where) from None
    if not (0.0 <= value < float("inf")):
        raise InputError(f"column '{printable(column)}': {printable(text)[:40]} must be a finite number of zero or more",
                         where=where)
    return value
