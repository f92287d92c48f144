"""Data work: a DataFrame (pandas or polars) or a dict of columns in, one result row per input row out.

The rows go through the same columnar engine as 'emiss batch', so the numbers are the CLI's. The function is pure
(a partition in, a frame out), so it runs unchanged over Dask partitions (ddf.map_partitions(emiss.estimate_frame))
or as a Spark mapInPandas function. pandas and polars are optional: whichever the input is, the output is.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

from .batch import Record, Runner, _normalise
from .columnar import Engine
from .errors import EmissError
from .model import Spec
from .presets import load
from .render import BatchLines
from .scenario import mass_unit_name


def _rows(frame: Any) -> tuple[str, list[dict[str, Any]]]:
    """Return the kind of ``frame`` ('pandas', 'polars', 'dict') and its rows as dicts, missing cells left out."""
    kind = type(frame).__module__.split(".")[0]
    if kind == "pandas":
        rows = frame.to_dict("records")
    elif kind == "polars":
        rows = frame.to_dicts()
    elif isinstance(frame, dict):
        names = list(frame)
        columns = [list(frame[n]) for n in names]
        rows = [dict(zip(names, values)) for values in zip(*columns)] if names else []
        kind = "dict"
    else:
        raise TypeError(f"estimate_frame takes a pandas or polars DataFrame or a dict of columns, not {type(frame).__name__}")
    return kind, [{k: v for k, v in r.items() if v is not None and not (isinstance(v, float) and math.isnan(v))} for r in rows]


def estimate_frame(frame: Any, preset: str | None = None, *, only: Any = None, mass_unit: str | None = None,
                   **overrides: Any) -> Any:
    """Estimate one scenario per row of ``frame`` (columns named like the batch fields: turbines, capacity,
    capacity_factor, factor.nox, ...; an 'id' column passes through) on top of ``preset`` and ``overrides``.

    Returns a frame of the input's kind with the batch CSV's columns (each carrying its unit in its name) and an
    'error' column, one row per input row, in order.
    """
    kind, rows = _rows(frame)
    base = load(preset) if preset is not None else Spec()
    fixed = {("factor." + k[len("factor_"):] if k.startswith("factor_") else k): v for k, v in overrides.items()}
    runner = Runner(base, {**fixed, **({"mass_unit": mass_unit} if mass_unit else {})})
    encoder = BatchLines("values", list(only) if only else None, mass_unit_name(mass_unit))
    columns = encoder.fields
    out: list[list[Any]] = []

    def records() -> Iterator[Record]:
        for number, raw in enumerate(rows, 1):
            yield _normalise(raw, number)

    for chunk in Engine(runner).chunks(records()):
        for rec, result, index, exc in chunk:
            if exc is None:
                try:  # a result that cannot be written (not finite) fails its row only, as in `emiss batch`
                    out.append(encoder.values(rec, result, index))
                    continue
                except EmissError as err:
                    exc = err
            out.append([rec.id, rec.number] + [None] * (len(columns) - 3) + [f"{exc.where + ': ' if exc.where else ''}{exc.message}"])
    data = {name: [row[i] for row in out] for i, name in enumerate(columns)}
    if kind == "pandas":
        import pandas as pd

        df = pd.DataFrame(data, columns=columns)
        df.index = frame.index
        return df
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(data)
    return data
