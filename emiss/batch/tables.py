"""Blocks of input rows held as columns, for the columnar engine: from Parquet, a DataFrame or a dict of lists, from
CSV rows, from NDJSON objects read in one go (DictRows) and from records (RecordRows).

A column is a list of raw values or a pyarrow Array (pyarrow is imported only for an Arrow table). A value that
is None or '' is not set, as in a record; NaN is a value (an error where a number is read). A Record is made for
a row only when one is needed: a template, a value the one-value path reads, an error.
"""

from __future__ import annotations

import itertools
import math
import operator
from typing import Any, Iterator

import numpy as np

from emiss.batch.records import PASS_THROUGH, Record, canonical_key, normalise
from emiss.errors import InputError


class Table:
    """A block of ``n`` input rows as columns, the first numbered ``start`` (1-based, as records are): what the engine
    reads (groups, raws, value, arrow, record) and the sinks write (ids, numbers, id_arrow, record)."""

    def __init__(self, columns: dict[str, Any], ids: Any, start: int, n: int, shapes: list[Any] | None = None) -> None:
        self.columns = columns  # canonical field name -> list of values, or a pyarrow Array (null: not set)
        self._ids = ids  # a list, a pyarrow Array, or None (no id column)
        self.n = n
        self.numbers: Any = range(start, start + n)  # each row's record number
        # rows read as objects: each row's keys in the order its record sets them (which bad field a full build
        # reports first), None for a row that could not be read; None for rows of columns
        self.shapes = shapes
        self._lists: dict[str, list[Any]] = {}
        self.full: set[str] = set()  # list columns known to hold no None (every row sets them)

    @property
    def ids(self) -> list[Any]:
        """Return each row's id (None where there is none)."""
        if self._ids is None:
            return [None] * self.n
        if isinstance(self._ids, list):
            return self._ids
        self._ids = [_id(v) for v in self._ids.to_pylist()]
        return self._ids

    def id_arrow(self) -> Any:
        """Return the id column as a pyarrow Array when the table came from Arrow, else None."""
        return None if self._ids is None or isinstance(self._ids, list) else self._ids

    def record(self, i: int) -> Record:
        """Return row ``i`` as a Record (its set values only)."""
        names = self.columns if self.shapes is None else self.shapes[i]
        values = {k: self.value(i, k) for k in names if k in self.columns}
        settings = {k: v for k, v in values.items() if v is not None}
        rid = self._ids[i] if isinstance(self._ids, list) else None if self._ids is None else _id(self._ids[i].as_py())
        return Record(self.numbers[i], rid, settings, unset=tuple(k for k, v in values.items() if v is None))

    def value(self, i: int, key: str) -> Any:
        """Return the raw value of column ``key`` in row ``i`` (None: not set)."""
        col = self.columns[key]
        if isinstance(col, list):
            return col[i]
        return self._lists[key][i] if key in self._lists else col[i].as_py()

    def raws(self, key: str, positions: Any) -> list[Any]:
        """Return the raw values of column ``key`` in the rows ``positions`` (an Arrow column's converted once)."""
        col = self.columns[key]
        if not isinstance(col, list):
            if key not in self._lists:
                self._lists[key] = col.to_pylist()
            col = self._lists[key]
        return list(col) if len(positions) == self.n else [col[i] for i in np.asarray(positions).tolist()]

    def arrow(self, key: str, positions: Any) -> Any:
        """Return the rows ``positions`` of a column as a pyarrow Array, or None for a list column."""
        col = self.columns[key]
        if isinstance(col, list):
            return None
        return col if len(positions) == self.n else col.take(np.asarray(positions, dtype=np.int64))

    def present(self, key: str) -> np.ndarray:
        """Return which rows set column ``key``."""
        col = self.columns[key]
        if isinstance(col, list):
            if key in self.full:
                return np.ones(self.n, dtype=bool)
            return np.fromiter(map(operator.is_not, col, itertools.repeat(None)), dtype=bool, count=self.n)
        if col.null_count == 0:
            return np.ones(self.n, dtype=bool)
        if col.null_count == len(col) or col.buffers()[0] is None:  # every row null (a column of Arrow's null type)
            return np.zeros(self.n, dtype=bool)
        bits = np.unpackbits(np.frombuffer(col.buffers()[0], dtype=np.uint8), bitorder="little")  # Arrow's validity bitmap
        return bits[col.offset:col.offset + self.n].astype(bool)

    def groups(self, _out: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
        """Yield (field names, rows in input order) per set of fields the rows set: from the rows' shapes (the
        same fields in another order are one shape), else from the columns' presence masks at once."""
        if self.shapes is not None:
            shapes = self.shapes
            if shapes and shapes.count(shapes[0]) == self.n:  # the common case: every row sets the same keys
                by_names = {shapes[0]: list(range(self.n))}
            else:
                by_names = {}
                for i, names in enumerate(shapes):
                    by_names.setdefault(names, []).append(i)
            by_set: dict[tuple[str, ...], list[list[int]]] = {}
            for names, rows in by_names.items():
                if names is not None:
                    by_set.setdefault(tuple(sorted(k for k in names if k in self.columns)), []).append(rows)
            for names, lists in by_set.items():
                yield names, lists[0] if len(lists) == 1 else sorted(itertools.chain.from_iterable(lists))
            return
        names = list(self.columns)
        masks = [self.present(k) for k in names]
        if all(m.all() for m in masks):  # the common case: every row sets every column
            yield tuple(names), np.arange(self.n)
            return
        rows, inverse = np.unique(np.stack(masks, axis=1), axis=0, return_inverse=True)
        for g, kind in enumerate(rows):
            yield tuple(k for k, on in zip(names, kind.tolist()) if on), np.flatnonzero(inverse.reshape(-1) == g)


class DictRows(Table):
    """NDJSON objects read in one go (read.line_block), already in emiss's field names, with no null or empty value,
    as a Table of list columns: ``shapes`` holds each object's keys in order, its 'id' key is the row's id."""

    def __init__(self, dicts: list[dict[str, Any]], shapes: list[tuple[str, ...]], start: int) -> None:
        if shapes and shapes.count(shapes[0]) == len(shapes):  # the common case: every object sets the same keys
            columns = {k: list(map(operator.itemgetter(k), dicts)) for k in shapes[0] if k != "id"}
        else:
            keys = dict.fromkeys(k for names in dict.fromkeys(shapes) for k in names if k != "id")
            columns = {k: list(map(dict.get, dicts, itertools.repeat(k))) for k in keys}
        super().__init__(columns, list(map(dict.get, dicts, itertools.repeat("id"))), start, len(dicts), shapes)
        # kept with the block, so that the objects are freed with their values: freed apart, they left the allocator's
        # pools half used, and the next block's parse took ~30% longer
        self.dicts = dicts


class RecordRows(Table):
    """Records as a Table of list columns (their numbers need not follow each other); a record that could not be
    read is an error of its row."""

    def __init__(self, records: list[Record]) -> None:
        keys = dict.fromkeys(k for r in records for k in r.settings)
        columns = {k: [r.settings.get(k) for r in records] for k in keys}
        super().__init__(columns, [r.id for r in records], 0, len(records),
                         [None if r.error else tuple(r.settings) for r in records])
        self.records = records
        self.numbers = [r.number for r in records]

    def record(self, i: int) -> Record:
        """Return record ``i``."""
        return self.records[i]

    def groups(self, out: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
        """Yield (field names, rows) per set of fields; a record that could not be read is an error here."""
        for i, r in enumerate(self.records):
            if r.error:
                out.errors[i] = InputError(r.error)
        return super().groups(out)


def _names(names: list[str]) -> dict[str, str] | None:
    """Return {column name: field} for the columns that are fields, or None when two columns name one field or
    a column is a 'factors' object (the rows then go record by record, and each says what is wrong)."""
    out: dict[str, str] = {}
    for name in names:
        if name in PASS_THROUGH:
            continue
        k = canonical_key(name)
        if k is None or k in out.values():
            return None
        out[name] = k
    return out if len(set(names)) == len(names) else None


class Cells:
    """CSV/TSV rows held as columns (one list of cell texts per header column): gathered, cut and counted as a
    list of rows would be (extend, slices, len), and read back as rows when iterated."""

    __slots__ = ("columns", "n")

    def __init__(self, columns: list[list[str]], n: int) -> None:
        self.columns = columns
        self.n = n

    @classmethod
    def of_rows(cls, rows: list[list[str]], width: int) -> Cells:
        """Return rows of ``width`` cells as columns."""
        return cls([list(c) for c in zip(*rows)] if rows else [[] for _ in range(width)], len(rows))

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return zip(*self.columns)

    def __getitem__(self, part: slice) -> Cells:
        return Cells([c[part] for c in self.columns], len(range(self.n)[part]))

    def extend(self, other: Cells) -> None:
        """Add the rows of ``other`` after these."""
        for mine, more in zip(self.columns, other.columns):
            mine.extend(more)
        self.n += other.n


def table_from_rows(header: list[str], rows: Cells, start: int) -> Table:
    """Return a Table of CSV/TSV rows under a header of field names (batch.CsvRows): an empty cell is not set,
    and the id is the cell as written (an empty id stays ''), as _normalise reads the same row."""
    columns: dict[str, Any] = {}
    ids = None
    full = set()
    for name, values in zip(header, rows.columns):
        if name == "id":
            ids = values
        elif "" in values:
            columns[name] = [v if v != "" else None for v in values]
        else:
            columns[name] = values
            full.add(name)
    table = Table(columns, ids, start, len(rows))
    table.full = full
    return table


def missing(v: Any) -> bool:
    """Return whether a cell is not set: None, '' (and pandas' NA and NaT). NaN is a value, and an error where a
    number is read, on every path (NDJSON, CSV, Parquet, pandas, polars)."""
    t = type(v)
    return v is None or (t is str and v == "") or t.__name__ in ("NAType", "NaTType")


def table_from_arrays(names: list[str], columns: list[Any], n: int, start: int) -> Table | None:
    """Return a Table of named columns, each a pyarrow Array ('' cleared to null) or a list of Python values (None,
    '' and pandas' NA: not set), or None (see _names). An id '' stays '', as a CSV or NDJSON row keeps it."""
    fields = _names(names)
    if fields is None:
        return None
    out: dict[str, Any] = {}
    ids = None
    for name, col in zip(names, columns):
        if isinstance(col, list):
            keep = str if name == "id" else type(None)  # an id '' stays '', as a CSV or NDJSON row keeps it
            col = [None if missing(v) and type(v) is not keep else v for v in col]
        else:
            import pyarrow as pa
            import pyarrow.compute as pc

            if name != "id" and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) and len(col) and pc.min(pc.binary_length(col)).as_py() == 0:
                col = pc.if_else(pc.equal(pc.binary_length(col), 0), pa.nulls(len(col), col.type), col)
            if name == "id" and pa.types.is_floating(col.type):
                col = col.to_pylist()  # read by _id: NaN is no id
        if name == "id":
            ids = list(map(_id, col)) if isinstance(col, list) else col
        elif name in fields:
            out[fields[name]] = col
    return Table(out, ids, start, n)


def table_or_records(names: list[str], columns: list[Any], n: int, start: int, unset: Any = missing) -> Iterator[Any]:
    """Yield a Table of named columns (table_from_arrays); or, when the names are not fields as they stand, each row
    as a Record, which says what is wrong, its values that are ``unset`` left out."""
    table = table_from_arrays(names, columns, n, start)
    if table is not None:
        yield table
        return
    lists = [c if isinstance(c, list) else c.to_pylist() for c in columns]
    for i, row in enumerate(zip(*lists)):  # (a name given twice: the last column's value, as pyarrow's rows hold it)
        yield normalise({k: v for k, v in dict(zip(names, row)).items() if not unset(v)}, start + i)


def _id(v: Any) -> Any:
    if type(v) is float and v != v:
        return None
    return str(v) if type(v) is float and not math.isfinite(v) else v
