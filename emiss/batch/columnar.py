"""Columnar batch: rows in blocks, values as numpy arrays, one vectorised estimate per shape.

A block is a chunk of records (NDJSON, CSV) or a Table of columns (Parquet, DataFrames). Its rows are grouped by
shape (which fields they set, and the values of the fields that change the structure, such as preset or control).
Each shape's first row that builds is built in full (the template); the others' values are read as columns
(inputs/arrays.py splits them; fields.convert and factors.factor_values, the one reader of a value and of a column,
convert them once per distinct unit and check the same limits) and set into the template as arrays. A value that
fails a check is passed to the one-value validator, so its error message is the same word for word. Results are
the same as 'emiss estimate' to the last digit: the arithmetic is the same operations in the same order, on arrays.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Iterator

import numpy as np

from emiss.batch.behind import Ahead
from emiss.inputs import fields
from emiss.batch.read import CsvRows, Lines, line_block
from emiss.batch.records import Record
from emiss.core.calc import estimate
from emiss.errors import EmissError, InputError, printable
from emiss.core.factors import UNIT_FORMS, beyond_the_gas, most_for_unit, parse_factor
from emiss import data
from emiss.inputs.arrays import FORMS, column, column_arrow, factor_column, factor_column_arrow, one
from emiss.inputs.fields import FIELDS
from emiss.inputs.presets import available, load
from emiss.inputs.overrides import apply_overrides
from emiss.inputs.scenario import build, off_rating, per_year
from emiss.core.model import Factor, Result, Scenario, Spec
from emiss.batch.tables import RecordRows, Table, table_from_rows

# the fields (with factor.<pollutant>) whose values are read as columns and set straight into a template of their shape
FAST = ("turbines", "capacity", "heat_rate", "capacity_factor", "hours", "household_use", "household_demand")
TIME = FORMS.index("time")  # a factor per hour, or per year or month (model.FORM_UNITS)
TEMPLATES = 256  # record shapes whose template is kept from one block to the next
CHUNK = 8192  # rows estimated together (emiss's choice: the array work outweighs the per-block work, and memory stays flat)
# a record's range is estimated at one value: said as a warning of its row
RANGE_TAKEN = ("{name}: the range is taken at its central value, {central:,.6g}{unit}; a batch row is one value "
               "('emiss estimate --samples N' gives its spread)")
STOP_WAIT = 0.05  # seconds a run that ended early waits for the reading thread to end (one waiting on a silent producer
# is left running, and the CLI leaves at once: Engine.reading)


def _row_count(item: Any) -> int:
    """Return how many rows an item of read_records holds."""
    return len(item.lines) if isinstance(item, Lines) else len(item.rows) if isinstance(item, CsvRows) else getattr(item, "n", 1)


class Engine:
    """Estimate chunks of records, vectorised by shape, in input order, on top of one base scenario; a record may
    name a shipped preset, or a preset file under ``preset_dir`` (a folder given on the command line), and nothing
    else."""

    def __init__(self, base: Spec, base_overrides: dict[str, Any], preset_dir: str | None = None) -> None:
        self.base_overrides = dict(base_overrides)
        self.base = apply_overrides(base, base_overrides)
        self.preset_dir: Any = None
        if preset_dir:
            from pathlib import Path  # only for --preset-dir: not at every start

            self.preset_dir = Path(preset_dir).resolve()
        self.presets: dict[str, Spec] = {}
        self.templates: dict[Any, Scenario] = {}  # one fully built scenario per record shape
        self.reader: Any = None

    def _preset(self, name: Any) -> Spec:
        text = str(name)
        if "/" not in text and "\\" not in text and not text.endswith(".toml"):
            return load(text)  # a shipped preset's name (an unknown one is refused with the names there are)
        if self.preset_dir is not None:
            from pathlib import Path

            path = Path(text) if Path(text).is_absolute() else self.preset_dir / text
            if path.resolve().is_relative_to(self.preset_dir):
                return load(str(path))
        shipped = ", ".join(available())
        if self.preset_dir is None:
            raise InputError(f"'{printable(text)[:80]}' is a file; a record may name a shipped preset ({shipped}), and files "
                             "only under a folder given with --preset-dir DIR", where="preset")
        raise InputError(f"'{printable(text)[:80]}' is not under --preset-dir {printable(str(self.preset_dir))}; a record "
                         f"may name a shipped preset ({shipped}) or a file under that folder", where="preset")

    def spec_for(self, record: Record) -> Spec:
        """Return the layered inputs of ``record`` on top of the base (or of the preset it names)."""
        settings = dict(record.settings)
        preset = settings.pop("preset", None)
        base = self.base
        if preset:
            if preset not in self.presets:
                self.presets[preset] = apply_overrides(self._preset(preset), self.base_overrides)
            base = self.presets[preset]
        for key in settings:
            if key == "upstream_leak":  # its methane is shown apart from the totals; a batch row has no place for it
                raise InputError("upstream_leak is for 'emiss estimate' (shown apart from the totals); a batch row has no "
                                 "column for it", where=key)
            if not key.startswith((fields.FACTOR_PREFIX, "fleet.", "group.")) and key not in FIELDS:
                raise InputError(f"unknown field '{key}'; fields: id, preset, {', '.join(FIELDS)}, factor.<pollutant>, "
                                 "fleet.N.<field>, group.<name>.<field>", where=key)
        return apply_overrides(base, settings, layer="record", where=lambda k: k, unset=record.unset)

    def run(self, record: Record) -> Result:
        """Estimate one record, built in full (raises EmissError with the field in ``where``)."""
        if record.error:
            raise InputError(record.error)
        return estimate(build(self.spec_for(record)))

    def reading(self) -> bool:
        """Return whether the input is still being read (the run ended before the input did)."""
        return self.reader is not None and self.reader.thread.is_alive()

    def chunks(self, items: Iterable[Any], *, threaded: bool = True) -> Iterator[tuple[Any, Outcomes]]:
        """Yield (block, outcomes) in input order, for what read_records yields, gathered as tables() gathers it.

        With ``threaded``, the input is read by a background thread (behind.Ahead, up to CHUNK rows ahead) and a
        block is what has arrived (up to CHUNK rows), so a fast producer gets full blocks and a slow one gets its
        records estimated and written as they come. An input that never makes the reader wait (a regular file:
        ``threaded=False``) is read in this thread, block by block, which spares the hand-over between threads."""
        if not threaded:
            yield from self.tables(items)
            return
        self.reader = Ahead(items, CHUNK, _row_count)
        try:
            for run in self.reader.runs():
                yield from self.tables(run)
        finally:
            self.reader.stop(STOP_WAIT)

    def tables(self, items: Iterable[Any]) -> Iterator[tuple[Any, Outcomes]]:
        """Yield (block, outcomes) in input order, without a thread: a Table as it is, consecutive NDJSON Lines
        read together (read.line_block), consecutive CSV rows as one Table (tables.table_from_rows), consecutive
        records as RecordRows, up to CHUNK rows a block."""
        rows: Any = []  # the rows gathered, all of one kind: records, NDJSON lines, or CSV rows (tables.Cells)
        kind: Any = None  # Record, Lines, or the CSV rows' header
        start = 0

        def flush(upto: int = 0) -> Iterator[tuple[Any, Outcomes]]:
            nonlocal rows, start  # with ``upto``, only whole blocks of CHUNK rows; else everything
            while rows and len(rows) >= upto:
                part, rows = rows[:CHUNK], rows[CHUNK:]
                block = (RecordRows(part) if kind is Record else line_block(part, start) if kind is Lines
                         else table_from_rows(kind, part, start))
                yield block, self.outcomes(block)
                start += len(part)

        for item in items:
            if isinstance(item, Table):
                yield from flush()
                yield item, self.outcomes(item)
                continue
            new, more, first = ((Lines, item.lines, item.start) if isinstance(item, Lines) else
                                (item.header, item.rows, item.start) if isinstance(item, CsvRows) else (Record, [item], 0))
            if rows and new is not kind:
                yield from flush()
            if not rows:
                kind, start, rows = new, first, more[:0]  # CSV rows come as columns (tables.Cells)
            rows.extend(more)
            if len(rows) >= CHUNK:
                yield from flush(CHUNK)
        yield from flush()

    @np.errstate(over="ignore", invalid="ignore")  # a result that is not finite is its rows' error, said once each
    def outcomes(self, src: Any) -> Outcomes:
        """Estimate every row of ``src`` (a Table, or records as RecordRows) vectorised by shape."""
        out = Outcomes()
        for names, positions in src.groups(out):
            # the fields set straight into a template of the shape; a record that also sets fields of one group
            # (fleet.N.x, group.<name>.x) is built in full: those are applied after the fleet-wide fields, which a
            # template could not reproduce
            whole = any(k.startswith(("fleet.", "group.")) for k in names)
            fast = () if whole else tuple(sorted(k for k in names if k in FAST or k.startswith(fields.FACTOR_PREFIX)))
            fixed = tuple(sorted(k for k in names if k not in fast))
            if not fixed:
                self._shape(src, fast, (fast, ()), positions, out)
                continue
            groups: dict[Any, list[int]] = {}  # the fields that fix the structure (preset, control ...) split further
            for i in np.asarray(positions).tolist():
                try:
                    key = tuple((k, type(v).__name__, v) for k in fixed for v in (src.value(i, k),))
                    hash(key)
                except TypeError:  # a list or object as a value: it fails alone, the one-value way
                    self._single(src, i, out)
                    continue
                groups.setdefault(key, []).append(i)
            for key, group in groups.items():
                self._shape(src, fast, (fast, key), group, out)
        return out

    def _single(self, src: Any, i: int, out: Outcomes) -> None:
        try:
            result = out.singles[i] = self.run(src.record(i))
        except EmissError as exc:
            out.errors[i] = exc.with_traceback(None)  # its traceback holds this frame, and so a cycle back to ``out``
            return
        if said := _said(result.scenario):
            out.warnings[i] = said

    def _shape(self, src: Any, fast: tuple[str, ...], shape: Any, positions: Any, out: Outcomes) -> None:
        # shape: the fast fields and the other fields' (name, type, value), the key of its template; positions: the
        # rows of the shape, an array (a list from records); nothing below goes row by row in Python but for the
        # rows left aside, so the numpy and Arrow work releases the GIL (Dask's threads)
        positions = np.asarray(positions, dtype=np.intp)
        # 1. every fast column read as numbers; a value that is not a plain number in a known unit is left aside
        columns: dict[str, tuple[np.ndarray, list[int], np.ndarray | None]] = {}
        for k in fast:
            arrow = src.arrow(k, positions)
            if k.startswith(fields.FACTOR_PREFIX):
                pol = k[len(fields.FACTOR_PREFIX):]
                read = factor_column_arrow(pol, arrow) if arrow is not None else None
                columns[k] = read or factor_column(pol, src.raws(k, positions))
            else:
                read = column_arrow(k, arrow) if arrow is not None else None
                columns[k] = (*(read or column(k, src.raws(k, positions))), None)
        # 2. a row with a range ('0.5..0.9') in any field is not one value, and a row with a list or an object as
        # a value is never set into a template (Engine.run builds it in full): either goes the full way, alone
        # (neither reads as a number, so it is always among the values left aside); so does a row whose factor is a
        # mass per year, whose warning counts the units that take it
        ranged: set[int] = set()
        for k, (_, slow, forms) in columns.items():
            for j in slow:
                v = src.value(int(positions[j]), k)
                if (type(v) is str and ".." in v) or isinstance(v, (list, dict)):
                    ranged.add(j)
            if forms is not None:
                ranged.update(_per_year_rows(src, k, positions, forms))
        for j in ranged:
            self._single(src, int(positions[j]), out)
        ok = np.ones(len(positions), dtype=bool)
        ok[list(ranged)] = False
        # 3. the template: the first row that builds (the others before it fail as they would alone)
        template = self.templates.get(shape) if ok.any() else None
        for j in map(int, np.flatnonzero(ok)) if template is None else ():  # lazily: the first row usually builds
            try:
                template = build(self.spec_for(src.record(int(positions[j]))))
            except EmissError as exc:
                out.errors[int(positions[j])] = exc.with_traceback(None)
                ok[j] = False
                continue
            if len(self.templates) < TEMPLATES:
                self.templates[shape] = template
            break
        if template is None or not ok.any():
            return
        # 4. the values left aside, the one-value way, column by column in the order a single record is checked
        for k in fast:
            arr, slow, forms = columns[k]
            for j in slow:
                if not ok[j]:
                    continue
                raw = src.value(int(positions[j]), k)
                try:
                    if forms is None:
                        arr[j] = one(k, raw)
                    else:
                        pol = k[len(fields.FACTOR_PREFIX):]
                        f = parse_factor(pol, raw, where=k, source=fields.RECORD_SOURCE, status="user", layer="record")
                        arr[j], forms[j] = f.value, FORMS.index(f.form)
                except EmissError:  # built in full, the record says what a full build finds first
                    self._single(src, int(positions[j]), out)
                    ok[j] = False
        # a capacity a quarter or more from a catalog model's rating, where the row gives it or the count: that row is
        # built alone, and says it as a single estimate does (scenario.off_rating; a rare row, a figure of something else)
        for g in template.groups if ("capacity" in fast or "turbines" in fast) else ():
            cap = columns["capacity"][0] if "capacity" in fast else g.capacity_kw
            for j in np.flatnonzero(ok & off_rating(cap, g.rating_kw)).tolist():
                self._single(src, int(positions[j]), out)
                ok[j] = False
        # a factor per MWh or per hour more than the whole gas for the row's units (its own capacity or heat rate): that
        # row is built alone, and refused as a single estimate is (factors.beyond_the_gas); the others are kept
        keep = np.flatnonzero(ok)
        over = _beyond_the_gas(template, fast, columns, keep) if keep.size else None
        if over is not None and over.any():
            for j in keep[over].tolist():
                self._single(src, int(positions[j]), out)
            keep = keep[~over]
        if keep.size == 0:
            return
        # 5. one vectorised estimate per combination of factor forms (lb/MMBtu and lb/MWh need different arithmetic)
        factor_keys = [k for k in fast if columns[k][2] is not None]
        codes = np.stack([columns[k][2][keep] for k in factor_keys]) if factor_keys else np.zeros((0, len(keep)), np.int8)
        if (codes == codes[:, :1]).all():  # one form per factor for every row (the common case)
            parts = [(codes[:, 0], keep)]
        else:
            combos, inverse = np.unique(codes, axis=1, return_inverse=True)
            parts = [(combos[:, g], keep[inverse.reshape(-1) == g]) for g in range(combos.shape[1])]
        # the template's warnings but those of its own values, and each row's own unusual values
        common = _said(template, values=False)
        said = _unusual(fast, columns, keep)
        for combo, sel in parts:
            forms_of = {k: FORMS[c] for k, c in zip(factor_keys, combo.tolist())}
            if self._estimate(src, template, fast, columns, forms_of, sel, positions, out) and (common or said):
                for j in sel.tolist():
                    if w := common + tuple(sorted(said.get(j, ()))):
                        out.warnings[int(positions[j])] = w

    def _estimate(self, src: Any, template: Scenario, fast: tuple[str, ...], columns: dict[str, Any],
                  forms_of: dict[str, str], sel: np.ndarray, rows: np.ndarray, out: Outcomes) -> bool:
        """Estimate the rows ``sel`` of a shape at once (True), or one by one when that overflows (False)."""
        vals: dict[Any, Any] = {}
        every = len(sel) == len(rows)  # every row of the shape: the columns as they are, no copy
        for k in fast:
            arr = columns[k][0] if every else columns[k][0][sel]
            if k in forms_of:
                pol, form = k[len(fields.FACTOR_PREFIX):], forms_of[k]
                path = fields.factor_path("fleet", pol)
                base = template.fleet_factors.get(path[2])
                if base is None or base.form != form:
                    base = Factor(path[2], form, 0.0, "", fields.RECORD_SOURCE, "user", "record")
                vals[path] = Factor(base.pollutant, form, arr, base.text, base.source, base.status, base.layer, base.note)
            else:  # a group's field goes to every group (only heat rate may be set for a fleet of several: the build says so)
                field = FIELDS[k]
                for i in range(len(template.groups) if field.scope == "group" else 1):
                    vals[field.path(i)] = arr
        try:
            result = estimate(template.with_values(vals), screen_thresholds=False)
        except EmissError:  # an overflow in one record: estimate them one by one, so only that one fails
            for i in (rows if every else rows[sel]).tolist():
                self._single(src, i, out)
            return False
        out.groups.append((result, rows if every else rows[sel], not vals))  # shared: one value (no field varies) for all these rows
        return True


def _beyond_the_gas(template: Scenario, fast: tuple[str, ...], columns: dict[str, Any], keep: np.ndarray) -> np.ndarray | None:
    """Return which rows ``keep`` of a shape have a factor per MWh or per hour more than the whole gas for the units that
    take it (factors.beyond_the_gas, on arrays): the row's own factor against every group, and where the row sets the
    capacity or heat rate, the template's factors against the row's units. None when nothing a row sets can be
    (the template itself was judged when it was built)."""
    given = {k[len(fields.FACTOR_PREFIX):]: columns[k] for k in fast if k.startswith(fields.FACTOR_PREFIX)}
    varied = {FIELDS[k].path(i): columns[k][0][keep] for k in ("capacity", "heat_rate") if k in fast
              for i in range(len(template.groups))}
    unit_codes = [FORMS.index(form) for form in UNIT_FORMS]
    per_unit = {p: c for p, c in given.items() if np.isin(c[2][keep], unit_codes).any()}  # mostly none: no arithmetic then
    if not varied and not per_unit:
        return None
    sc = template.with_values(varied) if varied else template
    over = np.zeros(len(keep), dtype=bool)
    if varied:  # the row's factor takes the place of each group's own and the fleet's (a record's is the highest layer)
        groups = [replace(g, factors={p: f for p, f in g.factors.items() if p not in given}) for g in sc.groups]
        fleet = {p: f for p, f in sc.fleet_factors.items() if p not in given}
        for *_, o in beyond_the_gas(groups, fleet, sc.uncertain):
            over |= o
    for p, (values, _, codes) in per_unit.items():
        value, code = values[keep], codes[keep]
        for form, c in zip(UNIT_FORMS, unit_codes):
            for g in sc.groups:
                most = most_for_unit(p, form, g)
                if most is not None:
                    over |= (code == c) & (value > most)
    return over


def _said(sc: Scenario, values: bool = True) -> tuple[str, ...]:
    """Return what a scenario's build warns of (those of one input's value last, in order of their text, unless not
    ``values``), and each range of a record it takes at its centre (a preset's ranges are its uncertainty, for
    --samples: its central values are its estimate, as in 'emiss estimate')."""
    return (tuple(w for w in sc.warnings if w not in sc.value_warnings) + (tuple(sorted(sc.value_warnings)) if values else ())
            + tuple(RANGE_TAKEN.format(name=u.name, central=u.central, unit=f" {u.unit}" if u.unit else "")
                    for u in sc.uncertain if u.source == fields.RECORD_SOURCE))


def _per_year_rows(src: Any, k: str, positions: np.ndarray, forms: np.ndarray) -> list[int]:
    """Return the rows of a shape whose factor ``k`` is a mass per year or month (scenario.per_year), read once per
    distinct text after the number (a sweep of '2.1 lb/h', '2.2 lb/h' ... asks once)."""
    rows = np.flatnonzero(forms == TIME)
    known: dict[str, bool] = {}
    out = []
    for j, v in zip(rows.tolist(), src.raws(k, positions[rows]) if rows.size else ()):
        text = str(v)
        parts = text.split(None, 1)
        tail = parts[1] if len(parts) == 2 else text
        if tail not in known:
            known[tail] = per_year(text)
        if known[tail]:
            out.append(j)
    return out


def _unusual(fast: tuple[str, ...], columns: dict[str, Any], keep: np.ndarray) -> dict[int, tuple[str, ...]]:
    """Return, for the rows ``keep`` of a shape whose values fall outside a field's plausible range, the warning a
    single estimate gives (fields.unusual), by row (the range compared at once, the text made for those rows only)."""
    out: dict[int, tuple[str, ...]] = {}
    for k in fast:
        field = FIELDS.get(k)
        if field is None or not field.limit:
            continue
        lo, hi = data.limit(field.limit).plausible
        values = columns[k][0]
        for j in keep[~((values[keep] >= lo) & (values[keep] <= hi))].tolist():
            out[j] = out.get(j, ()) + (fields.unusual(k, field, float(values[j])),)
    return out


class Outcomes:
    """What a block of rows came to: errors and one-off results by row, vectorised results with their rows (a
    result's arrays hold one element per row, in order; a shared result holds one value for all), and the warnings
    of the rows that have any, as a single estimate of the row would give them (and a range taken at its centre)."""

    __slots__ = ("errors", "singles", "groups", "warnings", "notes")

    def __init__(self) -> None:
        self.errors: dict[int, EmissError] = {}
        self.singles: dict[int, Result] = {}
        self.groups: list[tuple[Result, np.ndarray, bool]] = []
        self.warnings: dict[int, tuple[str, ...]] = {}
        self.notes: dict[int, tuple[str, ...]] | None = None  # the warnings with the shown totals' lower bounds (results.ResultColumns.notes)
