"""Data work: a DataFrame (pandas or polars) or a dict of columns in, one result row per input row out.

The rows go through the same columnar engine as 'emiss batch', so the numbers are the CLI's. The function is pure
(a partition in, a frame out), so it runs unchanged over Dask partitions (ddf.map_partitions(emiss.estimate_frame))
or as a Spark mapInPandas function. pandas and polars are optional: whichever the input is, the output is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from emiss.batch.records import normalise as _normalise
from emiss.batch.runner import Runner
from emiss.batch.columnar import Engine
from emiss.core.model import Spec
from emiss.inputs.presets import load
from emiss.batch.results import ResultColumns
from emiss.inputs.scenario import mass_unit_name
from emiss.batch.tables import missing, table_from_columns


def _columns(frame: Any) -> tuple[str, dict[str, list[Any]]]:
    """Return the kind of ``frame`` ('pandas', 'polars', 'dict') and its columns as lists of Python values."""
    kind = type(frame).__module__.split(".")[0]
    if kind == "pandas":
        return kind, {str(c): frame[c].tolist() for c in frame.columns}
    if kind == "polars":
        return kind, {c: frame[c].to_list() for c in frame.columns}
    if isinstance(frame, dict):
        columns = {str(k): list(v) for k, v in frame.items()}
        if len({len(v) for v in columns.values()}) > 1:
            raise ValueError("estimate_frame: the columns of the dict have different lengths")
        return "dict", columns
    raise TypeError(f"estimate_frame takes a pandas or polars DataFrame or a dict of columns, not {type(frame).__name__}")


def estimate_frame(frame: Any, preset: str | None = None, *, only: Any = None, mass_unit: str | None = None,
                   **overrides: Any) -> Any:
    """Estimate one scenario per row of ``frame`` (columns named like the batch fields: turbines, capacity,
    capacity_factor, factor.nox, ...; an 'id' column passes through) on top of ``preset`` and ``overrides``.

    Returns a frame of the input's kind with the batch CSV's columns (each carrying its unit in its name) and an
    'error' column, one row per input row, in order.
    """
    kind, raw = _columns(frame)
    base = load(preset) if preset is not None else Spec()
    fixed = {("factor." + k[len("factor_"):] if k.startswith("factor_") else k): v for k, v in overrides.items()}
    runner = Runner(base, {**fixed, **({"mass_unit": mass_unit} if mass_unit else {})})
    encoder = ResultColumns(list(only) if only else None, mass_unit_name(mass_unit))
    names = encoder.fields
    n = len(next(iter(raw.values()))) if raw else 0
    table = table_from_columns(raw, 1)
    if table is not None:
        blocks: Any = [table]
    else:  # columns that are not fields as they stand: row by row, so that each row says what is wrong
        blocks = (_normalise({k: v[i] for k, v in raw.items() if not missing(v[i])}, i + 1) for i in range(n))
    values = np.full((len(names) - 4, n), np.nan)
    method: list[Any] = [None] * n
    errors: list[Any] = [None] * n
    ids: list[Any] = [None] * n
    for block, outcomes in Engine(runner).tables(blocks):
        v, m, e = encoder.block(block.n, outcomes)
        rows = np.asarray(block.numbers, dtype=np.intp) - 1
        for k, column in enumerate(v):
            values[k, rows] = column
        for j, i in enumerate(rows.tolist()):
            method[i], ids[i] = m[j], block.ids[j]
        for j, exc in e.items():
            errors[int(rows[j])] = f"{exc.where + ': ' if exc.where else ''}{exc.message}"
    failed = np.array([x is not None for x in errors], dtype=bool)
    numeric = names[2:7] + names[8:-1]
    data: dict[str, Any] = {"id": ids, "record": list(range(1, n + 1))}
    data.update({name: values[k] for k, name in enumerate(names[2:7])})
    data["households_method"] = method
    data.update({name: values[5 + k] for k, name in enumerate(names[8:-1])})
    data["error"] = errors
    if kind == "pandas":
        import pandas as pd

        df = pd.DataFrame(data, columns=names)
        df.index = frame.index
        return df
    if kind == "polars":
        import polars as pl

        return pl.DataFrame([pl.Series(name, data[name], nan_to_null=True) if name in numeric else pl.Series(name, data[name])
                             for name in names])
    return {name: ([None if f else x for x, f in zip(data[name].tolist(), failed)] if name in numeric else data[name])
            for name in names}
