"""The Parquet sink of a batch (pyarrow, the 'parquet' extra): each block's results as one Arrow table, gathered
into row groups of read.TABLE_ROWS and written on a background thread (behind.Behind) while the next block is
estimated. close() writes what is gathered and the footer, so a run stopped by a signal leaves a readable file of
whole records.

The columns are built from numpy buffers: pyarrow imports pandas (when it is installed) the first time it
converts a Python or numpy object (pa.array, pa.scalar), about 0.4 s here, more than estimating a million rows.
Ids pass through unchanged: whole numbers as an int64 column when the first block's ids are all whole numbers,
else text (a string as it is, anything else as its JSON text); an id the column cannot hold fails its record.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emiss.batch.behind import Behind
from emiss.batch.lines import id_text
from emiss.batch import read
from emiss.batch.records import error_text
from emiss.batch.results import ResultColumns, joined
from emiss.errors import EmissError, InputError, printable

_INT64 = (-(2**63), 2**63 - 1)


class ParquetSink:
    """Write a batch's results to the Parquet file ``path`` (write(block, outcomes), close())."""

    def __init__(self, path: str, columns: ResultColumns) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("--output-format parquet needs pyarrow: pip install 'emiss[parquet]'") from None
        self.pa, self.pq, self.columns = pa, pq, columns
        try:
            self.file = open(path, "wb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise InputError(f"cannot write '{printable(path)}' ({exc.strerror or exc})", where="--output") from None
        self.writer: Any = None
        self.behind: Any = None
        self.int_ids: bool | None = None  # the id column's type, set by the first block
        self.pending: list[Any] = []  # blocks of NDJSON or CSV rows (8,192) gathered into row groups of TABLE_ROWS
        self.rows = 0

    def _open(self) -> None:
        pa = self.pa
        names = self.columns.fields
        types = [pa.int64() if self.int_ids else pa.string(), pa.int64()] + [pa.float64()] * 5 + [pa.string()] + \
            [pa.float64()] * (len(names) - 10) + [pa.string()] * 2  # ..., warnings, error
        self.schema = pa.schema(list(zip(names, types)))
        # ids are mostly distinct (no dictionary); the numbers are full-precision doubles that snappy does not
        # shrink, so they are stored plain, which halves the writing time for the same file size
        self.writer = self.pq.ParquetWriter(self.file, self.schema, use_dictionary=["households_method", "error", "warnings"],
                                            compression={n: "NONE" if t == pa.float64() else "SNAPPY" for n, t in zip(names, types)})
        self.behind = Behind(self.writer.write_table)

    def write(self, block: Any, outcomes: Any, strict: bool = False) -> tuple[int, dict[int, EmissError]]:
        """Add a block's rows (with ``strict``, up to the first failed row); return the rows added and the failed
        rows' errors (a failed row keeps its id and number, its numbers are null and 'error' says why)."""
        pa = self.pa
        if self.behind is not None:
            self.behind.check()  # a write that failed ends the run here, not a row group later
        values, method, errors = self.columns.block(block.n, outcomes)
        if self.int_ids is None:
            col = block.id_arrow()
            self.int_ids = pa.types.is_integer(col.type) if col is not None else (
                any(type(i) is int for i in block.ids) and all(i is None or type(i) is int for i in block.ids))
            self._open()
        ids = self._ids(block, errors)
        if strict and errors:
            first = min(errors)
            errors = {first: errors[first]}
        texts: list[Any] = [None] * block.n
        for i, exc in errors.items():
            texts[i] = printable(error_text(block.record(i), exc))
        failed = np.zeros(block.n, dtype=bool)
        failed[list(errors)] = True
        floats = [numbers(pa, v, failed if errors else None) for v in values]
        how = strings(pa, method)
        counted = block.numbers  # a range for a Table (the usual case): the record numbers without a Python loop
        record = np.arange(counted.start, counted.stop) if isinstance(counted, range) else np.fromiter(counted, np.int64, block.n)
        said = {i: joined(w) for i, w in self.columns.notes(outcomes).items() if i not in errors}
        columns = [ids, numbers(pa, record, kind=pa.int64()), *floats[:5], how, *floats[5:],
                   strings(pa, [said.get(i) for i in range(block.n)]) if said else pa.nulls(block.n, pa.string()),
                   strings(pa, texts) if errors else pa.nulls(block.n, pa.string())]
        table = pa.Table.from_arrays(columns, schema=self.schema)
        if strict and errors:
            table = table.slice(0, min(errors) + 1)
        self.pending.append(table)
        if sum(map(len, self.pending)) >= read.TABLE_ROWS:
            self.behind.put(pa.concat_tables(self.pending))
            self.pending = []
        return len(table), errors

    def _ids(self, block: Any, errors: dict[int, EmissError]) -> Any:
        """Return a block's ids as the id column's type; an id it cannot hold is an error of its row."""
        pa = self.pa
        col = block.id_arrow()
        if col is not None and (pa.types.is_integer(col.type) or pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            if not self.int_ids:
                return col.cast(pa.string())
            import pyarrow.compute as pc

            if pa.types.is_integer(col.type) and (col.type != pa.uint64() or (pc.max(col).as_py() or 0) <= _INT64[1]):
                return col.cast(pa.int64())  # a uint64 id of 2**63 or more goes below: an error of its row
        out: list[Any] = []
        for i, rid in enumerate(block.ids):
            if rid is not None and self.int_ids and (type(rid) is not int or not _INT64[0] <= rid <= _INT64[1]):
                errors[i] = InputError("the Parquet id column holds whole numbers (as the first records' ids are); this id "
                                       "is not a 64-bit whole number", where="id")
                rid = None
            elif rid is not None and not self.int_ids:
                rid = id_text(rid)
                try:
                    rid.encode("utf-8")
                except UnicodeEncodeError:
                    errors[i] = InputError("the id is not Unicode text (it holds a lone surrogate), which Parquet text cannot "
                                           "hold; use --format ndjson", where="id")
                    rid = None
            out.append(rid)
        if self.int_ids:
            present = np.array([x is not None for x in out], dtype=bool)
            return numbers(pa, np.array([0 if x is None else x for x in out], dtype=np.int64), ~present, pa.int64())
        return strings(pa, out)

    def close(self, failing: bool = False) -> None:
        """Write the rows gathered and the file's footer (when ``failing``, the error under way is the one to say)."""
        try:
            if self.writer is None:
                self.int_ids = False
                self._open()
            if self.pending and not (failing and self.behind.failed):
                self.behind.put(self.pa.concat_tables(self.pending))
            self.pending = []
            self.behind.close(raise_errors=not failing)
            self.writer.close()
        finally:
            self.file.close()


def numbers(pa: Any, values: np.ndarray, missing: np.ndarray | None = None, kind: Any = None) -> Any:
    """Return a float64 (or ``kind``, int64) array of ``values`` (null where ``missing``)."""
    kind = kind or pa.float64()
    values = np.ascontiguousarray(values, dtype=np.int64 if kind == pa.int64() else np.float64)
    validity = None
    if missing is not None and missing.any():
        validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(values)],
                                 null_count=int(missing.sum()) if validity is not None else 0)


def strings(pa: Any, values: list[Any]) -> Any:
    """Return a string array of a list of texts (None: null); one text for every row (a block's households method,
    as a rule) is written without a loop over the values."""
    n = len(values)
    if n and values[0] is not None and values.count(values[0]) == n:
        data = values[0].encode("utf-8")
        offsets, present, blob = np.arange(n + 1, dtype=np.int64) * len(data), np.ones(n, dtype=bool), data * n
    else:
        encoded = [None if v is None else v.encode("utf-8") for v in values]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter((0 if e is None else len(e) for e in encoded), np.int64, n), out=offsets[1:])
        present = np.fromiter((e is not None for e in encoded), bool, n)
        blob = b"".join(e for e in encoded if e)
    validity = None if present.all() else pa.py_buffer(np.packbits(present, bitorder="little"))
    return pa.Array.from_buffers(pa.large_string(), n, [validity, pa.py_buffer(offsets), pa.py_buffer(blob)],
                                 null_count=int(n - present.sum())).cast(pa.string())
