"""Many scenarios through one process: read records, estimate each, hand each result to a sink, as a stream.

Input is NDJSON (or a JSON array), CSV or TSV, plain, UTF-16 or gzip-compressed, detected from its first
bytes. A record that cannot be read or computed becomes an error for that record alone; the others go on.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import itertools
import json
import math
import re
import signal
import threading
import time
from dataclasses import dataclass
from typing import IO, Any, Callable, Iterable, Iterator

import orjson

from emiss.inputs import fields
from emiss.core.calc import estimate
from emiss.errors import EmissError, InputError
from emiss.inputs.fields import FIELDS
from emiss.core.model import Given, Result, Scenario, Spec
from emiss.inputs.presets import load
from emiss.batch.records import _CANONICAL, PASS_THROUGH, Record, canonical_key  # noqa: F401 - Record is part of this module's interface
from emiss.inputs.scenario import apply_overrides, build

INPUT_FORMATS = ("auto", "ndjson", "jsonl", "csv", "tsv")
FLUSH_SECONDS = 0.25  # output reaches a pipe at least this often, even from a slow producer


def _normalise(raw: dict[str, Any], number: int) -> Record:
    if _CANONICAL.issuperset(raw):  # the common case: keys already as emiss names them
        settings = dict(raw)
        rid = settings.pop("id", None)
        if type(rid) is float and not math.isfinite(rid):
            rid = str(rid)
        values = settings.values()
        if None in values or "" in values:
            settings = {k: v for k, v in settings.items() if v is not None and v != ""}
        return Record(number, rid, settings)
    rid = raw.get("id")
    if isinstance(rid, float) and not math.isfinite(rid):
        rid = str(rid)  # NaN/Infinity are not JSON; keep the id as text
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        if key in PASS_THROUGH or value is None or value == "":
            continue
        k = canonical_key(key)
        if k is None:  # 'factor' or 'factors': an object of pollutant -> factor
            if isinstance(value, dict):
                for pol, v in value.items():
                    if v not in (None, ""):
                        settings[fields.factor_key(str(pol).strip().lower())] = v
                continue
            k = str(key).strip().replace("-", "_")  # not an object: an unknown field, said when it is built
        if k in settings:
            return Record(number, rid, {}, f"sets '{k}' twice")
        settings[k] = value
    return Record(number, rid, settings)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        keys = [k for k, _ in pairs]
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"the key '{dup}' appears twice")
    return out


def open_input(stream: IO[bytes]) -> tuple[IO[bytes], str]:
    """Return a byte stream of UTF-8 text from ``stream`` (gzip and UTF-16 undone) and the encoding found."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(4)[:4]
    if head[:2] == b"\x1f\x8b":
        return open_input(gzip.GzipFile(fileobj=buffered))  # type: ignore[arg-type]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        text = io.TextIOWrapper(buffered, encoding="utf-16", newline="")
        return _Utf8(text), "utf-16"
    return buffered, "utf-8"


class _Utf8(io.RawIOBase):
    """Re-encode a text stream as UTF-8 bytes, line by line."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text

    def readable(self) -> bool:
        return True

    def __iter__(self) -> Iterator[bytes]:  # type: ignore[override]
        for line in self.text:
            yield line.encode("utf-8")


def read_records(stream: IO[bytes], fmt: str = "auto", *, lazy: bool = False, tables: bool = False) -> Iterator[Any]:
    """Yield records from NDJSON, a JSON array, CSV/TSV or Parquet bytes, one at a time (memory stays flat).

    With ``lazy``, NDJSON lines are yielded as Lines, to be read by the consumer (line_block): a reading thread
    then only reads, and the parse is done where the records are estimated. With ``tables``, a
    Parquet batch is yielded as one Table.
    """
    try:
        source, _ = open_input(stream)
        if hasattr(source, "peek") and source.peek(4)[:4] == b"PAR1":
            yield from _parquet(source, tables)
            return
        lines = iter(source)
        first = b""
        for line in lines:
            if line.strip():
                first = line
                break
    except (OSError, EOFError, UnicodeError) as exc:
        raise InputError(f"cannot read the input ({exc})", where="batch input") from None
    if not first:
        return
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    fmt = "ndjson" if fmt == "jsonl" else fmt
    if fmt == "auto":
        fmt = _detect(first)
    if fmt == "ndjson":
        stripped = first.strip()
        if stripped.startswith(b"[") and not _parses(stripped):
            yield from _json_array(first, lines)
        else:
            yield from _ndjson(first, lines, lazy, source)
    else:
        yield from _delimited(first, lines, "\t" if fmt == "tsv" else ",", source if lazy else None)


TABLE_ROWS = 65536  # Parquet rows read, estimated and written together (one row group); emiss's choice: 16,384 and
# 32,768 were no faster per million rows on the development machine, and 65,536 keeps the row groups large


def _parquet(source: IO[bytes], tables: bool = False) -> Iterator[Any]:
    """Yield records from a Parquet file (pyarrow, the 'parquet' extra), batch by batch; with ``tables``, each
    batch as one Table (rows go one by one only when the column names cannot be read as fields)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("the input is Parquet: pip install 'emiss[parquet]'", where="batch input") from None
    try:
        pf = pq.ParquetFile(source if source.seekable() else io.BytesIO(source.read()))
    except Exception as exc:  # noqa: BLE001 - pyarrow raises its own family of errors for a damaged file
        raise InputError(f"cannot read the Parquet input ({str(exc).splitlines()[0][:120]})", where="batch input") from None
    from emiss.batch.tables import table_from_arrow

    from emiss.batch.behind import ahead

    number = 0
    batches = pf.iter_batches(batch_size=TABLE_ROWS)
    for batch in ahead(batches) if tables else batches:  # decoding the next batch overlaps this one's estimate
        table = table_from_arrow(batch, number + 1)
        if table is None:  # the names are not fields as they stand: row by row, each row says what is wrong
            for row in batch.to_pylist():
                number += 1
                yield _normalise({k: v for k, v in row.items() if v is not None}, number)
            continue
        if tables:
            yield table
        else:
            for i in range(table.n):
                yield table.record(i)
        number += table.n


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
        return True
    except ValueError:
        return False


def _detect(first: bytes) -> str:
    """NDJSON when the first line is JSON (or opens an object or array); else CSV, or TSV when tabs and no commas."""
    s = first.strip()
    if s[:1] in (b"{", b"[") or _parses(s):
        return "ndjson"
    return "tsv" if b"\t" in first and b"," not in first else "csv"


def _decode(line: bytes) -> str:
    return line.decode("utf-8")


class Lines:
    """Consecutive non-blank NDJSON lines, read but not parsed; the first is record number ``start``."""

    __slots__ = ("lines", "start")

    def __init__(self, lines: list[bytes], start: int) -> None:
        self.lines = lines
        self.start = start


READ_BYTES = 1 << 16  # what one read of a lazy NDJSON or CSV input asks for (a pipe gives what it has, at once)


def _ndjson(first: bytes, rest: Iterable[bytes], lazy: bool = False, source: Any = None) -> Iterator[Any]:
    if lazy and hasattr(source, "read1"):
        yield from _ndjson_reads(first, source)
        return
    number = 0
    for line in itertools.chain((first,), rest):
        if not line.strip():
            continue
        number += 1
        yield Lines([line], number) if lazy else json_record(line, number)


def _ndjson_reads(first: bytes, source: Any) -> Iterator[Lines]:
    """Yield the lines of ``source`` after ``first`` as Lines, one read at a time (_reads), so a slow producer's
    records come through at once and a fast one's in bulk. The lines are what iterating the file gives (up to
    and including each newline), blank lines left out."""
    yield Lines([first], 1)
    number = 2
    for block in _reads(source):
        parts = block.split(b"\n")
        last = parts.pop()  # '' when the block ends with a newline; else the input's unterminated last line
        lines = [part + b"\n" for part in parts if part.strip()] + ([last] if last.strip() else [])
        if lines:
            yield Lines(lines, number)
            number += len(lines)


def _reads(source: Any) -> Iterator[bytes]:
    """Yield what each read of ``source`` returns (what has arrived, up to READ_BYTES), cut after its last newline
    (the rest goes with the next read), then whatever follows the last newline of the input."""
    tail = b""
    while data := source.read1(READ_BYTES):
        data = tail + data
        cut = data.rfind(b"\n") + 1
        data, tail = data[:cut], data[cut:]
        if data:
            yield data
    if tail:
        yield tail


_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by surrogateescape
_KEY = re.compile(rb'"\s*:')  # every key of an object ends with this, so a flat object has exactly one per key
_BIG = 2.0**63  # orjson reads an integer beyond 64 bits as a float this large; the exact reader keeps it whole
_ZEROS = bytes.maketrans(b"123456789", b"000000000")  # every digit read as a zero
_NINETEEN = b"0" * 19  # 2**63 has 19 digits: a run of 19 digits, seen through _ZEROS


_PLAIN = frozenset((str, int, float, bool, type(None)))


def _fast(line: bytes) -> dict[str, Any] | None:
    """Return a line's object as orjson reads it, or None when the exact reader must read it: invalid JSON, NaN,
    nested values, an integer beyond 64 bits (orjson reads it as a float), or a key written twice (orjson keeps
    the last, the exact reader refuses it)."""
    try:
        raw = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if type(raw) is not dict:
        return None
    types = list(map(type, raw.values()))
    if not _PLAIN.issuperset(types):
        return None
    if float in types and not all(-_BIG < v < _BIG for v in raw.values() if type(v) is float):
        return None
    if b"\\" in line:  # an escaped quote could hide a key: count the keys themselves
        return raw if len(_KEY.findall(line)) == len(raw) else None
    # Without a backslash every '"' opens or closes a key or a string value, and nothing is nested, so the text
    # holds exactly the keys orjson shows when it holds 2 x (keys + string values) quotes; a repeated key adds two.
    return raw if line.count(b'"') == 2 * (len(raw) + types.count(str)) else None


def json_record(line: bytes | str, number: int) -> Record:
    if isinstance(line, bytes):  # the fast reader, taken only when it must give what the exact reader gives
        raw = _fast(line)
        if raw is not None:
            return _normalise(raw, number)
    try:
        raw = json.loads(_decode(line) if isinstance(line, bytes) else line, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        return Record(number, None, {}, "is not UTF-8 text")
    except RecursionError:
        return Record(number, None, {}, "is not valid JSON (nested too deeply)")
    except ValueError as exc:
        return Record(number, None, {}, f"is not valid JSON ({exc.args[0] if exc.args else exc})")
    if not isinstance(raw, dict):
        return Record(number, None, {}, "is not a JSON object")
    return _normalise(raw, number)


def line_block(lines: list[bytes], start: int) -> Any:
    """Read consecutive non-blank NDJSON lines, numbered from ``start``, as one block of rows: DictRows when one
    orjson call reads them all exactly as the line-by-line reader would read each, else RecordRows (each line
    read alone, so that each says what is wrong with it)."""
    from emiss.batch.tables import DictRows, RecordRows

    bulk = _bulk(lines)
    if bulk is not None:
        return DictRows(*bulk, start)
    return RecordRows([json_record(line, start + i) for i, line in enumerate(lines)])


def _bulk(lines: list[bytes]) -> tuple[list[dict[str, Any]], list[tuple[str, ...]]] | None:
    """Return the objects of ``lines`` read by one orjson call, with each object's keys in order, or None when
    that could differ from reading them one by one (json_record, then _normalise).

    The tests are on the text, so that no value has to be looked at one by one; each is sure, not exact (a
    string that holds 'null' or '[' sends the block the slow way, which is only slower):
    - every line starts with '{' and ends with '}' (the joins are '}\n,{'): no object can then span two lines,
      as a JSON string cannot hold a raw newline, so the array holds one object per line exactly when it holds
      as many objects as lines;
    - no backslash, so no string holds a '"': a '"' followed by ':' then ends a key and nothing else; with no
      whitespace after any '"', every key ends so, and a key written twice (orjson keeps the last, the exact
      reader refuses it) shows as more of them than keys read;
    - one '{' per line, no '[' and no 'null': no nested value, no null; no '""': no empty string;
    - the keys are already emiss's names (what _normalise would rename goes the slow way).
    """
    n = len(lines)
    if not n or lines[0][:1] != b"{" or lines[-1].rstrip()[-1:] != b"}":
        return None
    joined = b",".join(lines)
    joins = joined.count(b"}\n,{") + (joined.count(b"}\r\n,{") if b"\r" in joined else 0)
    if joins != n - 1 or b"\\" in joined or b'""' in joined or b"[" in joined or b"null" in joined or joined.count(b"{") != n:
        return None
    try:
        dicts = orjson.loads(b"[" + joined + b"]")
    except orjson.JSONDecodeError:
        return None
    if len(dicts) != n:
        return None
    # orjson reads an integer beyond 64 bits (19 digits or more) as a float: look at the floats only if the text
    # holds such a run of digits (found as 19 zeros once every digit is read as a zero: a regular expression
    # here costs more than the parse on some inputs)
    if _NINETEEN in joined.translate(_ZEROS) and not all(-_BIG < v < _BIG for d in dicts for v in d.values() if type(v) is float):
        return None
    shapes = list(map(tuple, dicts))
    if b'" ' in joined or b'"\t' in joined or b'"\r' in joined or joined.count(b'":') != sum(map(len, shapes)):
        return None  # whitespace after a quote (it may stand before a key's ':'), or a key written twice
    if not _CANONICAL.issuperset(itertools.chain.from_iterable(set(shapes))):
        return None
    return dicts, shapes


def _json_array(first: bytes, rest: Iterable[bytes]) -> Iterator[Record]:
    """Read a whole JSON array of objects (held in memory: use NDJSON for large inputs)."""
    text = b"".join(itertools.chain((first,), rest))
    try:
        items = json.loads(_decode(text), object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"the input looks like a JSON array but is not valid JSON ({exc})", where="batch input") from None
    for number, item in enumerate(items, 1):
        if isinstance(item, dict):
            yield _normalise(item, number)
        else:
            yield Record(number, None, {}, "is not a JSON object")


class CsvRows:
    """Consecutive CSV/TSV rows with as many cells as the header, every column name a field as it stands: read
    but not yet turned into records (the columnar engine makes one Table of them, tables.table_from_rows); the
    first is record number ``start``."""

    __slots__ = ("header", "rows", "start")

    def __init__(self, header: list[str], rows: list[list[str]], start: int) -> None:
        self.header = header
        self.rows = rows
        self.start = start


def _delimited(first: bytes, rest: Iterable[bytes], delimiter: str, source: Any = None) -> Iterator[Any]:
    """Yield the records of CSV/TSV lines. With ``source`` (a lazy read, for the columnar engine), the input is
    read a buffer at a time, as NDJSON is, and runs of plain rows under a header of field names come as
    CsvRows; a row that cannot be read, or a header that needs renaming, gives records as before."""
    reads = hasattr(source, "read1")
    state = {"boundary": False, "undecoded": False}  # the last line handed over ends a read; a read was not UTF-8

    def text_lines() -> Iterator[str]:
        if not reads:  # line by line: each line is a read of its own
            for line in itertools.chain((first,), rest):
                text = line.decode("utf-8", errors="surrogateescape")
                state["undecoded"] = state["undecoded"] or _UNDECODED.search(text) is not None
                state["boundary"] = True
                yield text
            return
        state["boundary"] = True
        yield first.decode("utf-8", errors="surrogateescape")
        for block in _reads(source):
            text = block.decode("utf-8", errors="surrogateescape")
            state["undecoded"] = state["undecoded"] or _UNDECODED.search(text) is not None
            lines = [part + "\n" for part in text.split("\n")]
            last = lines.pop()[:-1]  # '' when the block ends with a newline; else the input's unterminated last line
            if last:
                lines.append(last)
            state["boundary"] = False
            for k, line in enumerate(lines, 1):
                state["boundary"] = k == len(lines)
                yield line

    reader = csv.reader(text_lines(), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise InputError(f"cannot read the CSV header ({exc})", where="batch input") from None
    if any(_UNDECODED.search(h) for h in header):
        raise InputError("the header line is not UTF-8 text", where="batch input")
    if not any(header):
        raise InputError("the CSV header is empty", where="batch input")
    dup = next((h for h in header if h and header.count(h) > 1), None)
    if dup is not None:
        raise InputError(f"the CSV header names the column '{dup}' twice", where="batch input")
    if reads and _CANONICAL.issuperset(header):
        yield from _csv_rows(reader, header, state)
        return
    for item in _csv_rows(reader, header, state):  # one record per row (the names may need renaming)
        if isinstance(item, CsvRows):
            for k, row in enumerate(item.rows):
                yield _normalise(dict(zip(header, row)), item.start + k)
        else:
            yield item


def _csv_rows(reader: Any, header: list[str], state: dict[str, bool]) -> Iterator[Any]:
    """Yield CsvRows of plain rows (as many cells as the header, all UTF-8), handed over at the end of each read
    (what has arrived is estimated at once), and a Record for a row that is not plain, which says why. Blank rows
    are no record and take no number."""
    width = len(header)
    at = header.index("id") if "id" in header else -1
    rows: list[list[str]] = []
    number = start = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if rows:
                yield CsvRows(header, rows, start)
                rows = []
            number += 1
            yield Record(number, None, {}, f"cannot be read as CSV ({exc})")
            continue
        if (row and row[0].strip()) or any(cell.strip() for cell in row):  # else a blank row: no record
            number += 1
            if len(row) == width and not (state["undecoded"] and any(_UNDECODED.search(cell) for cell in row)):
                if not rows:
                    start = number
                rows.append(row)
            else:
                if rows:
                    yield CsvRows(header, rows, start)
                    rows = []
                if any(_UNDECODED.search(cell) for cell in row):
                    yield Record(number, None, {}, "is not UTF-8 text")
                else:
                    yield Record(number, row[at] if 0 <= at < len(row) else None, {}, f"has {len(row)} cells but the header has {width}")
        if rows and state["boundary"]:
            yield CsvRows(header, rows, start)
            rows = []
    if rows:
        yield CsvRows(header, rows, start)


class Runner:
    """Estimate records on top of one base scenario.

    The first record of each shape (the same fields, and the same values for the fields that change the
    structure, such as preset or control) is built in full and kept as a template; later records of that
    shape only check their values with the field validators and set them into the template
    (Scenario.with_values), which gives the same result as a full build. Repeated records are remembered.
    """

    MEMO_SIZE = 4096  # distinct scenarios remembered; a repeated record is not computed twice
    TEMPLATES = 256  # record shapes kept
    FAST = ("turbines", "capacity", "heat_rate", "capacity_factor", "hours", "household_use", "household_demand")

    def __init__(self, base: Spec, base_overrides: dict[str, Any]) -> None:
        self.base_overrides = dict(base_overrides)
        self.base = apply_overrides(base, base_overrides)
        self.presets: dict[str, Spec] = {}
        self.memo: dict[Any, Result] = {}
        self.templates: dict[Any, Scenario] = {}

    def spec_for(self, record: Record) -> Spec:
        """Return the layered inputs of ``record`` on top of the base (or of the preset it names)."""
        settings = dict(record.settings)
        preset = settings.pop("preset", None)
        base = self.base
        if preset:
            if preset not in self.presets:
                self.presets[preset] = apply_overrides(load(str(preset)), self.base_overrides)
            base = self.presets[preset]
        for key in settings:
            if not key.startswith((fields.FACTOR_PREFIX, "fleet.", "group.")) and key not in FIELDS:
                raise InputError(f"unknown field '{key}'; fields: id, preset, {', '.join(FIELDS)}, factor.<pollutant>, "
                                 "fleet.N.<field>, group.<name>.<field>", where=key)
        return apply_overrides(base, settings, layer="record", where=lambda k: k)

    def run(self, record: Record) -> Result:
        """Estimate one record (raises EmissError with the field in ``where``)."""
        if record.error:
            raise InputError(record.error)
        try:
            # the type is part of the key: true == 1 to Python, but not to a record's validator
            key = tuple(sorted((k, type(v).__name__, v) for k, v in record.settings.items()))
            hash(key)
        except TypeError:  # a list or object as a value: not remembered (it will fail validation anyway)
            key = None
        hit = self.memo.get(key) if key is not None else None
        if hit is not None:
            return hit
        result = self._compute(record, key)
        if key is not None:
            if len(self.memo) >= self.MEMO_SIZE:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = result
        return result

    def build_template(self, record: Record, shape: Any) -> Scenario:
        """Build ``record`` in full and keep it as the template of its shape."""
        scenario = build(self.spec_for(record))
        if len(self.templates) < self.TEMPLATES:
            self.templates[shape] = scenario
        return scenario

    def _compute(self, record: Record, key: Any) -> Result:
        if key is None:
            return estimate(build(self.spec_for(record)))
        fast = tuple(k for k, _, v in key if is_fast(k, record.settings) and not _is_range(v))
        shape = (fast, tuple(item for item in key if item[0] not in fast))
        template = self.templates.get(shape)
        if template is None:
            return estimate(self.build_template(record, shape))
        return estimate(self._fill(template, record.settings, fast))

    @staticmethod
    def _fill(template: Scenario, settings: dict[str, Any], fast: tuple[str, ...]) -> Scenario:
        """Check each fast field with its validator, as a full build does, and set it into the template."""
        values: dict[Any, Any] = {}
        for k in fast:
            g = Given(settings[k], "batch record", "record", "user", "", k)
            if k.startswith(fields.FACTOR_PREFIX):
                from emiss.core.factors import parse_factor

                pol = k[len(fields.FACTOR_PREFIX):]
                values[fields.factor_path("fleet", pol)] = parse_factor(pol, g.value, where=k, source=g.source,
                                                                        status=g.status, layer=g.layer)
                continue
            v = FIELDS[k].parse(g)
            for path in template_paths(FIELDS[k], template):
                values[path] = v
        return template.with_values(values)


def template_paths(field: Any, template: Scenario) -> list[Any]:
    """Return where a fleet-wide field goes in a template: every group for a group's field (only heat rate can be
    set for a fleet of several groups; the build refuses the others), else the scenario."""
    return [field.path(i) for i in range(len(template.groups))] if field.scope == "group" else [field.path(0)]


def is_fast(key: str, settings: dict[str, Any]) -> bool:
    """Return whether a record's field can be set straight into a template of its shape.

    A record that also sets fields of one group (``fleet.N.x``, ``group.<name>.x``) is built in full: those
    are applied after the fleet-wide fields, which a template could not reproduce.
    """
    if not (key in Runner.FAST or key.startswith(fields.FACTOR_PREFIX)):
        return False
    return not any(k.startswith(("fleet.", "group.")) for k in settings)


def _is_range(value: Any) -> bool:
    return isinstance(value, str) and ".." in value


@dataclass
class Outcome:
    """The counts of a batch run."""

    written: int = 0
    failed: int = 0
    stopped: int = 0  # the signal that ended the run early, if any


class _Stop(Exception):
    """A termination signal arrived: finish the line being written, flush, and stop."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def one_by_one(records: Iterable[Record], runner: Runner) -> Iterator[list[tuple[Record, Result | None, int, EmissError | None]]]:
    """Estimate records one at a time (the reference path; the columnar engine must give the same)."""
    for record in records:
        try:
            result = runner.run(record)
        except EmissError as exc:
            yield [(record, None, 0, exc)]
        else:
            yield [(record, result, -1, None)]


def process(blocks: Iterable[tuple[Any, Any]], *, texts: Callable[[Any, Any], tuple[list[Any], dict[int, EmissError]]],
            on_error: Callable[[Record, EmissError], str], write: Callable[[list[str]], Any], flush: Callable[[], None],
            strict: bool = False, on_progress: Callable[[int], None] | None = None) -> Outcome:
    """Write each block's lines (``texts`` gives a row's line, or its error, or one text for a block where no row
    failed; ``on_error`` the line of an error) in row order, as one list to ``write`` (a writelines); flush on a timer; stop cleanly on SIGTERM, SIGHUP or SIGINT; with ``strict``, stop after the
    first failed row.

    Output is flushed at least every FLUSH_SECONDS while records are slow to come, and never in the middle
    of a line: a signal waits until the chunk being written is whole.
    """
    outcome = Outcome()
    lock = threading.Lock()
    state = {"writing": False, "pending": 0, "done": False}

    def handler(signum: int, _frame: Any) -> None:
        if state["writing"]:
            state["pending"] = signum
        else:
            raise _Stop(signum)

    def guarded(fn: Callable[[], None]) -> None:
        with lock:
            state["writing"] = True
            try:
                fn()
            finally:
                state["writing"] = False
        if state["pending"]:
            raise _Stop(state["pending"])

    def ticker() -> None:
        while not state["done"]:
            time.sleep(FLUSH_SECONDS)
            with lock:
                if not state["done"]:
                    state["writing"] = True
                    try:
                        flush()
                    except (OSError, ValueError):
                        return
                    finally:
                        state["writing"] = False

    previous = {}
    main = threading.current_thread() is threading.main_thread()
    if main:
        for sig in (signal.SIGTERM, signal.SIGINT) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()):
            previous[sig] = signal.signal(sig, handler)
    thread = threading.Thread(target=ticker, daemon=True)
    thread.start()
    try:
        for block, outcomes in blocks:
            lines, errors = texts(block, outcomes)
            stop = False
            for i in sorted(errors):
                lines[i] = on_error(block.record(i), errors[i])
                outcome.failed += 1
                if strict:
                    del lines[i + 1:]
                    stop = True
                    break
            rows = len(lines) if errors else block.n  # with no error, the lines may be one text for the block
            outcome.written += rows
            guarded(lambda: write(lines))
            if on_progress is not None and rows:
                on_progress(block.numbers[rows - 1])
            if stop:
                break
    except _Stop as stop_signal:
        outcome.stopped = stop_signal.signum
    finally:
        state["done"] = True
        with lock:
            state["writing"] = True
        for sig, old in previous.items():
            signal.signal(sig, old)
    flush()
    return outcome
