"""Data work: a DataFrame (pandas or polars), a pyarrow Table or a dict of columns in, one result row per input row out.

The rows go through the same columnar engine as 'emiss batch', so the numbers are the CLI's. A pandas, polars or
pyarrow input is handed to the engine as Arrow columns (no per-value Python work: Arrow splits the texts, numpy
converts and estimates, and both release the GIL, so Dask's threaded scheduler runs partitions side by side). A
pandas object column that Arrow cannot hold as one type (text beside numbers) is read as a list of values.

The function is pure (a partition in, a frame out): ddf.map_partitions(emiss.estimate_frame, meta=...) or a Spark
mapInPandas function. ``record`` counts the rows of each call from 1, so under Dask each partition counts from 1:
join on ``id`` or on the index, which a pandas result keeps. pandas and polars are optional: whichever the input
is, the output is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emiss.batch.columnar import Engine
from emiss.batch.read import TABLE_ROWS
from emiss.batch.tables import table_or_records
from emiss.core.factors import check_only
from emiss.core.model import Given, Spec
from emiss.errors import InputError
from emiss.inputs.presets import load
from emiss.inputs.scenario import check_mass_unit
from emiss.batch.results import ResultColumns, joined

_WHERE = "estimate_frame"


def _refuse(message: str) -> InputError:
    return InputError(message, where=_WHERE, usage=True)


def _arrow(col: Any) -> Any:
    """Return an Arrow column as one Array the readers take (polars' string views as large strings)."""
    import pyarrow as pa

    if hasattr(col, "combine_chunks"):
        col = col.combine_chunks()
    if str(col.type) in ("string_view", "binary_view"):
        col = col.cast(pa.large_string() if str(col.type) == "string_view" else pa.large_binary())
    return col


def _pandas_column(series: Any) -> Any:
    """Return a pandas column as an Arrow Array, or as a list of values when Arrow cannot hold it as one type.

    NaN is a value (an error where a number is read), as on every other path; not set is said the ways pandas
    says it apart from NaN: None in an object column, pd.NA (NaN too, which pandas stores as NA) in a nullable
    dtype (Float64, Int64, string), NaT."""
    import pyarrow as pa

    try:
        return _arrow(pa.array(series, from_pandas=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError):
        return series.to_numpy(dtype=object).tolist()  # table_from_arrays clears what is missing()


def _columns(frame: Any) -> tuple[str, list[str], list[Any], int]:
    """Return the kind of ``frame`` ('pandas', 'polars', 'pyarrow', 'dict'), its column names, its columns (Arrow
    Arrays or lists) and its row count; refuse anything else, and a column name given twice."""
    kind = type(frame).__module__.split(".")[0]
    name = type(frame).__name__
    if kind == "pandas":
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            raise _refuse(f"takes a DataFrame, not a pandas {name} (for one column, use series.to_frame())")
        names = [str(c) for c in frame.columns]
        columns = [_pandas_column(frame.iloc[:, i]) for i in range(len(names))] if len(set(names)) == len(names) else []
        kind_n = len(frame)
    elif kind == "polars":
        import polars as pl

        if not isinstance(frame, pl.DataFrame):
            hint = " (call .collect() first)" if isinstance(frame, pl.LazyFrame) else ""
            raise _refuse(f"takes a DataFrame, not a polars {name}{hint}")
        table = frame.to_arrow()
        names, columns, kind_n = table.schema.names, [_arrow(c) for c in table.columns], table.num_rows
    elif kind == "pyarrow" and hasattr(frame, "schema") and hasattr(frame, "num_rows"):
        names, columns, kind_n = list(frame.schema.names), [_arrow(c) for c in frame.columns], frame.num_rows
    elif isinstance(frame, dict):
        names = [str(k) for k in frame]
        columns = [list(v) for v in frame.values()]
        if len({len(v) for v in columns}) > 1:
            raise _refuse("the columns of the dict have different lengths")
        kind, kind_n = "dict", len(columns[0]) if columns else 0
    else:
        raise _refuse(f"takes a pandas or polars DataFrame, a pyarrow Table or a dict of columns, not {kind}.{name}")
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise _refuse(f"the column '{twice}' appears twice; name each column once")
    return kind, names, columns, kind_n


def _blocks(names: list[str], columns: list[Any], n: int) -> Any:
    """Yield the input as Tables of up to TABLE_ROWS rows (Arrow slices share memory), or as records when the
    column names are not fields as they stand (then each row says what is wrong)."""
    for start in range(0, n, TABLE_ROWS):
        part = [c[start:start + TABLE_ROWS] if isinstance(c, list) else c.slice(start, TABLE_ROWS) for c in columns]
        yield from table_or_records(names, part, min(TABLE_ROWS, n - start), start + 1)


def estimate_frame(frame: Any, preset: str | None = None, *, only: Any = None, mass_unit: str | None = None,
                   **overrides: Any) -> Any:
    """Estimate one scenario per row of ``frame`` (columns named like the batch fields: turbines, capacity,
    capacity_factor, factor.nox, ...; an 'id' column passes through unchanged) on top of ``preset`` and
    ``overrides``.

    Returns a frame of the input's kind with the batch CSV's columns (each number's unit in its name), whose last
    two are 'warnings' (what a single estimate of the row warns of, joined by '; ', as batch's NDJSON lists them; None
    where there is nothing to say) and 'error' (None where the row was estimated), one row per input row, in order; ``record`` counts the rows of this call from 1. ``estimate_frame(df.head(0))`` has the columns and types of a full result (Dask's meta).
    """
    wanted = check_only(only)
    unit = check_mass_unit(Given(mass_unit, _WHERE, "record", where="mass_unit")) if mass_unit is not None else "short_ton"
    kind, names, columns, n = _columns(frame)
    base = load(preset) if preset is not None else Spec()
    fixed = {("factor." + k[len("factor_"):] if k.startswith("factor_") else k): v for k, v in overrides.items()}
    engine = Engine(base, {**fixed, **({"mass_unit": mass_unit} if mass_unit else {})})
    encoder = ResultColumns(wanted, unit)
    out_names = encoder.fields  # ..., 'warnings', 'error'
    values = np.empty((len(out_names) - 5, n))  # every row is written below (NaN where it failed)
    method = np.full(n, None, dtype=object)
    errors = np.full(n, None, dtype=object)
    warned = np.full(n, None, dtype=object)
    for block, outcomes in engine.tables(_blocks(names, columns, n)):
        v, m, e = encoder.block(block.n, outcomes)
        numbers = block.numbers  # a range for a Table: its rows as a slice, copied without holding the GIL
        rows: Any = slice(numbers.start - 1, numbers.stop - 1) if isinstance(numbers, range) else np.asarray(numbers, dtype=np.intp) - 1
        for k, column in enumerate(v):
            values[k, rows] = column
        method[rows] = m[0] if m and m.count(m[0]) == len(m) else m
        for j, exc in e.items():
            errors[numbers[j] - 1] = str(exc)  # 'where: message'
        for j, texts in encoder.notes(outcomes).items():
            if j not in e:
                warned[numbers[j] - 1] = joined(texts)
    ids = columns[names.index("id")] if "id" in names else None
    return _output(kind, frame, ids, values, method, errors, warned, out_names)


def _output(kind: str, frame: Any, ids: Any, values: np.ndarray, method: np.ndarray, errors: np.ndarray, warned: np.ndarray,
            names: list[str]) -> Any:
    """Return the result columns as a frame of the input's kind: the numbers ``values`` (outputs x rows, NaN where a
    row failed) as floats (null where a row failed, but in pandas), the text columns as text or None."""
    n = len(method)
    numeric = [k for k in names if k not in ("id", "record", "households_method", "error", "warnings")]
    record = np.arange(1, n + 1, dtype=np.int64)
    if kind == "pandas":
        import pandas as pd

        # the numbers as one float block, straight from the (outputs x rows) array: no copy
        df = pd.DataFrame(values.T, columns=numeric, index=frame.index, copy=False)
        df.insert(0, "id", frame["id"] if ids is not None else pd.Series([None] * n, index=frame.index, dtype=object))
        df.insert(1, "record", record)
        for at, name, texts in ((7, "households_method", method), (len(names) - 2, "warnings", warned), (len(names) - 1, "error", errors)):
            df.insert(at, name, pd.Series(texts, index=frame.index, dtype=object, copy=False))  # (a copy: 1 ms per 500,000 rows, GIL held)
        return df
    if kind == "dict":
        failed = [x is not None for x in errors]
        out = dict(zip(numeric, ([None if f else x for x, f in zip(c, failed)] for c in values.tolist())))
        out.update(id=list(ids) if ids is not None else [None] * n, record=record.tolist(), households_method=method.tolist(),
                   error=errors.tolist(), warnings=warned.tolist())
        return {name: out[name] for name in names}
    import pyarrow as pa

    arrays = dict(zip(numeric, (pa.array(c, mask=np.isnan(c), type=pa.float64()) for c in values)))
    arrays.update(id=ids if ids is not None else pa.nulls(n, pa.string()), record=pa.array(record),
                  households_method=pa.array(method.tolist(), type=pa.string()), error=pa.array(errors.tolist(), type=pa.string()),
                  warnings=pa.array(warned.tolist(), type=pa.string()))
    table = pa.table([arrays[name] for name in names], names=names)
    if kind == "pyarrow":
        return table
    import polars as pl

    return pl.from_arrow(table).with_columns(frame["id"]) if ids is not None else pl.from_arrow(table)  # the id as it was (an Enum too)
