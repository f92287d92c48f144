"""Reading batch input: decoding (gzip, UTF-16, a BOM, CR-only line ends) and format detection (NDJSON, a JSON
array, CSV/TSV, Parquet), then the records themselves, handed on in blocks that the columnar engine reads at once:
NDJSON lines not yet parsed (Lines), plain CSV rows (CsvRows), Parquet batches (tables.Table), or Records.

A record that cannot be read becomes an error for that record alone; input that cannot be read at all (a damaged
gzip, a gzip inside a gzip) is one InputError, raised where it is met: what was read before it is kept.
"""

from __future__ import annotations

import codecs
import collections
import csv
import gzip
import io
import itertools
import json
import re
import zlib
from typing import IO, Any, Iterable, Iterator, NamedTuple

import orjson

from emiss.batch.records import _CANONICAL, Record, normalise
from emiss.errors import InputError

READ_BYTES = 1 << 16  # what one read of an NDJSON or CSV input asks for (a pipe gives what it has, at once)
TABLE_ROWS = 65536  # Parquet rows read, estimated and written together (one row group); emiss's choice: 16,384 and
# 32,768 were no faster per million rows on the development machine, and 65,536 keeps the row groups large


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        keys = [k for k, _ in pairs]
        dup = next(k for k in keys if keys.count(k) > 1)
        raise ValueError(f"the key '{dup}' appears twice")
    return out


def _bad(why: str) -> InputError:
    return InputError(why, where="batch input")


def open_input(stream: IO[bytes]) -> Any:
    """Return a byte stream of UTF-8 text (or Parquet) from ``stream``: gzip, UTF-16 and CR-only line ends undone."""
    source: Any = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if source.peek(2)[:2] == b"\x1f\x8b":
        source = io.BufferedReader(gzip.GzipFile(fileobj=source))  # type: ignore[arg-type]
        if source.peek(2)[:2] == b"\x1f\x8b":
            raise _bad("the input is a gzip inside a gzip; emiss undoes one gzip layer (gunzip it once first)")
    head = source.peek(4)[:4]
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return _utf8(io.TextIOWrapper(source, encoding="utf-16", newline=""))  # lines end at LF, CRLF or CR
    start = source.peek(READ_BYTES)[:READ_BYTES]
    if head != b"PAR1" and b"\r" in start and b"\n" not in start:
        # lines that end with a carriage return alone (classic Mac OS): read as the lines they are
        return _utf8(io.TextIOWrapper(source, encoding="utf-8", errors="surrogateescape", newline=None))
    return source


def _utf8(text: IO[str]) -> Iterator[bytes]:
    """Re-encode a text stream as UTF-8 bytes, line by line."""
    return (line.encode("utf-8", "surrogateescape") for line in text)


def read_records(stream: IO[bytes], fmt: str = "auto") -> Iterator[Any]:
    """Yield the records of NDJSON, a JSON array, CSV/TSV or Parquet bytes in blocks, as they arrive (memory stays
    flat): Lines, CsvRows, Tables or Records, for the engine (columnar.Engine) to read and estimate."""
    try:
        yield from _read(stream, fmt)
    except (OSError, EOFError, zlib.error, UnicodeError) as exc:  # a damaged or truncated gzip, UTF-16 that is not
        raise _bad(f"cannot read the input ({exc})") from None


def _read(stream: IO[bytes], fmt: str) -> Iterator[Any]:
    source = open_input(stream)
    if hasattr(source, "peek") and source.peek(4)[:4] == b"PAR1":
        yield from _parquet(source)
        return
    lines = iter(source)
    first = next((line for line in lines if line.strip()), b"")
    if not first:
        return
    if first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8):]
    fmt = "ndjson" if fmt == "jsonl" else fmt
    if fmt == "auto":
        fmt = _detect(first)
    if fmt != "ndjson":
        yield from _delimited(first, lines, "\t" if fmt == "tsv" else ",", source)
    elif first.lstrip().startswith(b"["):  # a JSON array (read whole), or NDJSON whose first line is an array
        rest = list(lines)
        if _parses(first.strip()) and any(line.strip() for line in rest):
            yield from _ndjson(first, rest, None)
        else:
            yield from _json_array(first, rest)
    else:
        yield from _ndjson(first, lines, source)


_ID_TYPES = ("string", "large_string", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
             "float", "double", "bool", "null")


def _parquet(source: IO[bytes]) -> Iterator[Any]:
    """Yield the batches of a Parquet file (pyarrow, the 'parquet' extra) as Tables; rows one by one (Records)
    only when the column names cannot be read as fields."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise _bad("the input is Parquet: pip install 'emiss[parquet]'") from None
    try:
        pf = pq.ParquetFile(source if source.seekable() else io.BytesIO(source.read()))
    except Exception as exc:  # noqa: BLE001 - pyarrow raises its own family of errors for a damaged file
        raise _bad(f"cannot read the Parquet input ({str(exc).splitlines()[0][:120]})") from None
    schema = pf.schema_arrow
    kind = str(schema.field("id").type) if "id" in schema.names else "null"
    if kind not in _ID_TYPES and not kind.startswith(("dictionary<values=string,", "dictionary<values=large_string,")):
        raise _bad(f"the Parquet column 'id' holds {schema.field('id').type} values; an id is text or a number (cast it)")
    from emiss.batch.behind import ahead
    from emiss.batch.tables import table_or_records

    number = 0
    for batch in ahead(pf.iter_batches(batch_size=TABLE_ROWS)):  # decoding the next batch overlaps this one's estimate
        # a row read one by one keeps '' (an id '' stays ''), as it always has
        yield from table_or_records(batch.schema.names, batch.columns, batch.num_rows, number + 1, lambda v: v is None)
        number += batch.num_rows


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


class Lines(NamedTuple):
    """Consecutive non-blank NDJSON lines, read but not parsed; the first is record number ``start``."""

    lines: list[bytes]
    start: int


def _ndjson(first: bytes, rest: Iterable[bytes], source: Any) -> Iterator[Lines]:
    """Yield NDJSON lines as Lines: one read at a time where the source reads so (_reads), so a slow producer's
    records come through at once and a fast one's in bulk; else line by line. Blank lines are left out."""
    yield Lines([first], 1)
    number = 2
    for block in _reads(source) if hasattr(source, "read1") else rest:  # (a line of ``rest`` is a block of one)
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
_SPACED = re.compile(rb'"[ \t\r]')  # whitespace after a quote (one pass, not one per character)
_PLAIN = frozenset((str, int, float, bool, type(None)))  # the types of JSON's scalars as orjson reads them (no nesting)


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
    """Return one NDJSON line as a Record, or a Record that says why the line cannot be read."""
    if isinstance(line, bytes):  # the fast reader, taken only when it must give what the exact reader gives
        raw = _fast(line)
        if raw is not None:
            return normalise(raw, number)
    try:
        raw = json.loads(line.decode("utf-8") if isinstance(line, bytes) else line, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError:
        return Record(number, None, {}, "is not UTF-8 text")
    except RecursionError:
        return Record(number, None, {}, "is not valid JSON (nested too deeply)")
    except ValueError as exc:
        return Record(number, None, {}, f"is not valid JSON ({exc.args[0] if exc.args else exc})")
    if not isinstance(raw, dict):
        return Record(number, None, {}, "is not a JSON object")
    return normalise(raw, number)


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
    if _SPACED.search(joined) or joined.count(b'":') != sum(map(len, shapes)):
        return None  # whitespace after a quote (it may stand before a key's ':'), or a key written twice
    if not _CANONICAL.issuperset(itertools.chain.from_iterable(set(shapes))):
        return None
    return dicts, shapes


def _json_array(first: bytes, rest: Iterable[bytes]) -> Iterator[Record]:
    """Read a whole JSON array of objects (held in memory: use NDJSON for large inputs)."""
    text = b"".join(itertools.chain((first,), rest))
    try:
        items = json.loads(text.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"the input looks like a JSON array but is not valid JSON ({exc})") from None
    for number, item in enumerate(items, 1):
        if isinstance(item, dict):
            yield normalise(item, number)
        else:
            yield Record(number, None, {}, "is not a JSON object")


class CsvRows(NamedTuple):
    """Consecutive CSV/TSV rows with as many cells as the header, every column name a field as it stands, held as
    columns (tables.Cells): read but not yet turned into records (the columnar engine makes one Table of them,
    tables.table_from_rows); the first is record number ``start``."""

    header: list[str]
    rows: Any
    start: int


class _Blocks:
    """CSV/TSV input a block at a time (a read, or a line where the source is read line by line), and the
    csv.reader that reads the blocks queued for it (queue): its lines are handed over as it asks for them, and
    when a row goes on past a block (a quoted newline), the next block is queued for it at once."""

    def __init__(self, blocks: Iterator[bytes], delimiter: str) -> None:
        self.blocks = blocks
        self.delimiter = delimiter
        self.pending: collections.deque[str] = collections.deque()  # lines queued, not yet read
        self.undecoded = False  # a block was not UTF-8: its rows are looked at cell by cell
        self.reader = csv.reader(self._lines(), delimiter=delimiter)

    def queue(self, block: bytes) -> None:
        """Queue the lines of ``block`` for the reader."""
        text = block.decode("utf-8", errors="surrogateescape")
        self.undecoded = self.undecoded or _UNDECODED.search(text) is not None
        lines = [part + "\n" for part in text.split("\n")]
        last = lines.pop()[:-1]  # '' when the block ends with a newline; else the input's unterminated last line
        if last:
            lines.append(last)
        self.pending.extend(lines)

    def _lines(self) -> Iterator[str]:
        while True:
            while self.pending:
                yield self.pending.popleft()
            block = next(self.blocks, None)  # a row goes on past the lines queued
            if block is None:
                return
            self.queue(block)


def _delimited(first: bytes, rest: Iterable[bytes], delimiter: str, source: Any = None) -> Iterator[Any]:
    """Yield the records of CSV/TSV lines: runs of plain rows under a header of field names as CsvRows (read a
    buffer at a time where ``source`` reads so, as NDJSON is); a row that cannot be read, or every row under a
    header that needs renaming, as a Record."""
    reads = hasattr(source, "read1")
    src = _Blocks(itertools.chain((first,), _reads(source) if reads else rest), delimiter)
    try:
        header = [h.strip() for h in next(src.reader)]
    except csv.Error as exc:
        raise _bad(f"cannot read the CSV header ({exc})") from None
    if any(_UNDECODED.search(h) for h in header):
        raise _bad("the header line is not UTF-8 text")
    if not any(header):
        raise _bad("the CSV header is empty")
    dup = next((h for h in header if h and header.count(h) > 1), None)
    if dup is not None:
        raise _bad(f"the CSV header names the column '{dup}' twice")
    if _CANONICAL.issuperset(header):
        yield from _csv_rows(src, header, reads)
        return
    for item in _csv_rows(src, header, reads):  # one record per row (the names may need renaming)
        if isinstance(item, CsvRows):
            for k, row in enumerate(item.rows):
                yield normalise(dict(zip(header, row)), item.start + k)
        else:
            yield item


def _csv_rows(src: _Blocks, header: list[str], whole: bool) -> Iterator[Any]:
    """Yield CsvRows of plain rows (as many cells as the header, all UTF-8), handed over at the end of each block
    (what has arrived is estimated at once), and a Record for a row that is not plain, which says why. Blank rows
    are no record and take no number. With ``whole`` (a block is a read, not a line), a block that begins
    between two rows is read at once where it can be (_plain_cells); else csv.reader reads it line by line."""
    from emiss.batch.tables import Cells

    width = len(header)
    at = header.index("id") if "id" in header else -1
    number = 0
    while True:
        if not src.pending:  # the reader is between two rows
            block = next(src.blocks, None)
            if block is None:
                return
            cells = _plain_cells(block, width, src.delimiter) if whole else None
            if cells is not None:
                if len(cells):
                    yield CsvRows(header, cells, number + 1)
                    number += len(cells)
                continue
            src.queue(block)
        rows: list[list[str]] = []
        start = number + 1
        while src.pending:  # up to the end of the block (or of the one a row goes on into)
            try:
                row = next(src.reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row, why = None, f"cannot be read as CSV ({exc})"
            if row is not None and not ((row and row[0].strip()) or any(cell.strip() for cell in row)):
                continue  # a blank row: no record
            number += 1
            if row is not None and len(row) == width and not (src.undecoded and any(_UNDECODED.search(cell) for cell in row)):
                if not rows:
                    start = number
                rows.append(row)
                continue
            if rows:
                yield CsvRows(header, Cells.of_rows(rows, width), start)
                rows = []
            if row is None:
                yield Record(number, None, {}, why)
            elif any(_UNDECODED.search(cell) for cell in row):
                yield Record(number, None, {}, "is not UTF-8 text")
            else:
                yield Record(number, row[at] if 0 <= at < len(row) else None, {}, f"has {len(row)} cells but the header has {width}")
        if rows:
            yield CsvRows(header, Cells.of_rows(rows, width), start)


# the first byte of a line that may be blank (every cell whitespace): ASCII whitespace, and any byte of a
# character beyond ASCII (a few are whitespace: U+0085, U+00A0, U+3000 ...); the delimiter is added per input
_MAYBE_BLANK = bytes(int(c >= 0x80 or chr(c).isspace()) for c in range(256))


def _plain_cells(block: bytes, width: int, delimiter: str) -> Any:
    """Return the rows of a block of whole CSV/TSV lines as columns (tables.Cells), read at once, blank rows left
    out; or None when csv.reader must read the block line by line, as it may read it otherwise.

    A line csv.reader reads as ``line.split(delimiter)`` (its line end dropped) when it holds no quote, no NUL
    and no carriage return but in a CR LF line end (tests/test_csv_blocks.py holds the two to the same rows). The
    block must also be UTF-8, no longer than csv's field limit, and every line hold the header's cell count:
    a row that is not plain goes the exact way, which says what is wrong with it."""
    if b'"' in block or b"\x00" in block or len(block) > csv.field_size_limit():
        return None
    import numpy as np

    from emiss.batch.tables import Cells

    code = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(code == 10)  # where each line ends (the last may end with the input)
    n = len(ends) + (not block.endswith(b"\n"))
    if b"\r" in block:  # every CR must end a line, before its LF; then the CRs are dropped at once
        crs = np.flatnonzero(code == 13)
        if crs[-1] + 1 == len(block) or not (code[crs + 1] == 10).all():
            return None
        block = block.replace(b"\r", b"")
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if n > len(ends):
        ends = np.append(ends, len(code))
    else:
        text = text[:-1]
    seps = np.flatnonzero(code == ord(delimiter))
    # the delimiters before each line end: (width - 1) more on every line
    if len(seps) != (width - 1) * n or not np.array_equal(np.searchsorted(seps, ends), np.arange(1, n + 1) * (width - 1)):
        return None
    flat = text.replace("\n", delimiter).split(delimiter)
    columns = [flat[k::width] for k in range(width)]
    firsts = code[np.concatenate(([0], ends[:-1] + 1))]
    maybe = np.flatnonzero(np.frombuffer(_MAYBE_BLANK, dtype=bool)[firsts] | (firsts == ord(delimiter))).tolist()
    blank = [i for i in maybe if not any(column[i].strip() for column in columns)]
    if blank:  # no record, and no number
        keep = [True] * n
        for i in blank:
            keep[i] = False
        columns = [list(itertools.compress(column, keep)) for column in columns]
    return Cells(columns, n - len(blank))
