"""Batch results as columns: what each output sink writes, in the batch CSV's column order and units, from a
block's outcomes (columnar.Outcomes), whose results hold arrays of one element per row."""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson

from emiss.core.calc import SCREEN_COLUMNS, screen
from emiss.core.units import multiplier
from emiss.data import POLLUTANTS
from emiss.errors import InputError, printable
from emiss.core.outputs import OUTPUTS

TOO_LARGE = "the inputs are too large: a result is not a finite number (check the units and magnitudes)"
QUANTITIES = ("capacity", "generation", "heat_input", "fuel", "households")
FLAGS = dict(zip(("title_v", "psd", "hap"), SCREEN_COLUMNS))  # the table's screening columns, by threshold id


class ResultColumns:
    """The outputs of a batch (``fields``: id, record, the five quantities, the households method, each pollutant
    in ``mass_unit``, the flags and the echoed input when asked, error) and their values per block."""

    def __init__(self, only: Any, mass_unit: str, *, flags: bool = False, echo: bool = False) -> None:
        wanted = set(only or POLLUTANTS)
        self.ids = [p for p in POLLUTANTS if p in wanted]
        self.mass_unit = mass_unit
        self.flags = flags
        self.echo = echo
        self.fields = (["id", "record", "capacity_mw", "generation_mwh_yr", "heat_input_mmbtu_yr", "fuel_scf_yr", "households",
                        "households_method"] + [f"{p}_{mass_unit}_yr" for p in self.ids] + [f"above_{k}" for k in FLAGS if flags]
                       + [f"above_at_potential_{k}" for k in FLAGS if flags]
                       + (["input"] if echo else []) + ["warnings", "error"])
        self._above: tuple[Any, Any] = (None, None)

    def arrays(self, result: Any, mass_unit: str | None = None) -> tuple[list[Any], str]:
        """Return a result's numbers in ``fields`` order (the five quantities, then each pollutant in ``mass_unit``,
        by default the asked one), each an array (one element per row) or one value, and its households method."""
        per = multiplier("lb", mass_unit or self.mass_unit)  # from the canonical pounds, whatever the record's mass_unit
        numbers = [OUTPUTS[name].read(result) for name in QUANTITIES]
        return numbers + [result.emissions[p].lb_per_year * per for p in self.ids], result.scenario.households_method

    @np.errstate(over="ignore", invalid="ignore")  # a result that is not finite is its rows' error, said once each
    def block(self, rows: int, outcomes: Any) -> tuple[list[Any], Any, dict[int, Any]]:
        """Return a block's output as columns: the numbers (one float array per output, NaN where a row failed),
        the households method of each row as a list (None where it failed), and the failed rows' errors by row
        (a result that is not finite in the asked unit is an error of its rows)."""
        errors = dict(outcomes.errors)
        parts = [(r, g) for r, g, _ in outcomes.groups] + [(r, np.array([i])) for i, r in outcomes.singles.items()]
        if len(parts) == 1 and len(parts[0][1]) == rows and not errors:  # one result for every row, in order
            numbers, how = self.arrays(parts[0][0])
            columns = [np.asarray(v, dtype=np.float64) if getattr(v, "ndim", 0) else np.full(rows, float(v)) for v in numbers]
            if all(bool(np.isfinite(c).all()) for c in columns):
                return columns, [how] * rows, errors
        width = len(QUANTITIES) + len(self.ids)
        values = np.full((width, rows), np.nan)
        method = np.full(rows, None, dtype=object)
        for result, where in parts:
            numbers, how = self.arrays(result)
            part = np.empty((width, len(where)))
            for k, v in enumerate(numbers):
                part[k] = v  # one value is the same for every row of the part
            finite = np.isfinite(part).all(axis=0)
            if not finite.all():
                for i in where[~finite].tolist():
                    errors[i] = InputError(TOO_LARGE)
                where, part = where[finite], part[:, finite]
            values[:, where] = part
            method[where] = how
        return list(values), method.tolist(), dict(sorted(errors.items()))

    def notes(self, outcomes: Any) -> dict[int, tuple[str, ...]]:
        """Return the warnings of each row that has any (kept with the outcomes, which every sink and the run loop
        ask): what a single estimate of the row would warn of (columnar.Outcomes.warnings), then, for each pollutant
        shown whose total is only a lower bound, why."""
        if outcomes.notes is not None:
            return outcomes.notes
        out = dict(outcomes.warnings)
        parts = [(r, rows) for r, rows, _ in outcomes.groups] + [(r, [i]) for i, r in outcomes.singles.items()]
        for result, rows in parts:
            bounds = tuple(f"{p}: the total is a lower bound ({why})" for p in self.ids if (why := result.emissions[p].lower_bound))
            if not bounds:
                continue
            for i in (rows.tolist() if hasattr(rows, "tolist") else rows):
                out[i] = out.get(i, ()) + bounds
        outcomes.notes = dict(sorted(out.items()))
        return outcomes.notes

    def above(self, result: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """Return, per threshold set, whether each of a result's rows crosses it (True if any threshold of the set
        is crossed, None when a partial total stays below, else False; one value, or one per row): at the operation
        the row gives, as estimate's table screens it, and at its potential to emit, as estimate's
        screening_at_potential judges it (the rules, and why fewer hours are not a limit: batch --flags' help).

        The potential is at least the operation given, so a set the row crosses is crossed at its potential too;
        beyond that, at part load it is unknown (None): the potential is at full load, which the row does not give."""
        if self._above[0] is result:
            return self._above[1]
        sc = result.scenario
        given = _flags(result)
        if sc.load is not None and sc.load < 1:
            at_full = {name: [None] * len(v) for name, v in given.items()}
        else:
            from emiss.core.calc import estimate

            at_full = _flags(estimate(sc.with_values({("hours",): sc.year_hours}), screen_thresholds=False))
        potential = {}
        for name, now in given.items():  # crossed where the operation given crosses, else as the full year says
            full = at_full[name]
            potential[name] = [True if now[i % len(now)] is True else full[i % len(full)] for i in range(max(len(now), len(full)))]
        self._above = (result, (given, potential))
        return given, potential


def joined(said: tuple[str, ...]) -> str:
    """Return a row's warnings as one text, each printable, joined by '; ' (the CSV/TSV and Parquet 'warnings' cell,
    estimate_frame's 'warnings')."""
    return "; ".join(map(printable, said))


def _flags(result: Any) -> dict[str, list[Any]]:
    """Return, per threshold set, whether each of a result's rows crosses it, as estimate's screening judges it."""
    sc = result.scenario
    rows = screen(result.emissions, sc.area, limits=sc.limits, heat_mmbtu=result.heat_input_mmbtu, psd_category=sc.psd_category,
                  groups=result.groups)
    out = {}
    for name, ids in FLAGS.items():
        crossed: Any = False
        unknown: Any = False
        for s in rows:
            if s.threshold_id in ids:
                c = np.asarray(s.crossed, dtype=object)
                crossed = crossed | (c == True)  # noqa: E712 - elementwise on an object array
                unknown = unknown | np.equal(c, None)
        arr, unk = np.broadcast_arrays(np.atleast_1d(crossed), np.atleast_1d(unknown))  # one value, or one per row
        out[name] = [None if u and not a else bool(a) for a, u in zip(arr.tolist(), unk.tolist())]
    return out


def reprs(values: Any) -> list[str]:
    """Return repr() of each float of ``values`` (a list or an array), as json.dumps writes it: orjson's shortest
    digits, the same text for 1e-4 <= |x| < 1e16 (where neither writes an exponent); outside that, repr()."""
    x = np.ascontiguousarray(values, dtype=np.float64)
    texts = orjson.dumps(x, option=orjson.OPT_SERIALIZE_NUMPY)[1:-1].decode().split(",") if x.size else []
    a = np.abs(x)
    for i in np.flatnonzero(~(((a >= 1e-4) & (a < 1e16)) | (x == 0))).tolist():
        texts[i] = repr(float(x[i]))
    return texts
