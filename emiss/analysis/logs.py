"""Reading operating logs and EPA exports: CAMPD hourly, daily and annual CSVs, eGRID unit-file rows, plain logs.

A file is opened by its bytes (gzip and Parquet by their magic numbers, CSV otherwise) and read row by row: a
Parquet file one record batch at a time, a CSV through csv.reader, so memory stays bounded by the batch. Every row
comes out as a list of strings in the order of the header; the layout says which column is which.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from typing import Any, Iterator

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
    """Yield the rows; a row with fewer cells than the header is an error naming its line (a blank line is none)."""
    try:
        for row in reader:
            if len(row) < width:
                if not row:
                    continue
                raise InputError(f"line {reader.line_num} has {len(row)} cell(s) where the header has {width}", where=where)
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
