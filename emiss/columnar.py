"""Columnar batch: records in chunks, values as numpy arrays, one vectorised estimate per record shape.

A chunk of records is grouped by shape (which fields they set, and the values of the fields that change the
structure, such as preset or control). Each shape's first record is built in full (the template); the others'
values are split into number and unit, converted with one look-up per distinct unit string, checked as arrays
with the same limits as one value, and set into the template as arrays. A record whose value fails a check is
passed to the one-value validator, so its error message is the same word for word. Results are the same as
'emiss estimate' to the last digit: the arithmetic is the same operations in the same order, on arrays.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from . import data, fields, units
from .batch import Record, Runner, is_fast, json_record, template_paths
from .calc import estimate
from .errors import EmissError, InputError
from .factors import parse_factor
from .fields import FIELDS
from .model import Given, Result, Scenario
from .tables import Table

CHUNK = 8192  # records estimated together
_PPM = re.compile(r"^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*ppmvd\s*@\s*((?:\d+(?:\.\d*)?|\.\d+))\s*%\s*O2\s*$")
_NUM = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


@dataclass
class Shaped:
    """The records of one shape in a chunk: their positions, and the arrays set into the template."""

    template: Scenario
    positions: list[int]
    values: dict[Any, Any]


_CANON = {"capacity": "kW", "household_demand": "kW", "hours": "hour", "heat_rate": "Btu/kWh", "household_use": "kWh/year"}
_BARE = {"hours": "hour", "household_demand": "kW", "household_use": "kWh/year"}  # what a plain number means, as the validator reads it


@lru_cache(maxsize=1024)
def _op(field: str, raw_unit: str) -> tuple[str, float] | None:
    """Return how the one-value validator turns a number in ``raw_unit`` into ``field``'s canonical value — ('mul', m)
    for number x m, ('div', 100) for a percentage — or None when the value must go the one-value way."""
    if field == "turbines":
        return ("mul", 1.0) if raw_unit == "" else None
    if field == "capacity_factor":
        return {"": ("mul", 1.0), "%": ("div", 100.0)}.get(raw_unit)
    if field == "heat_rate" and raw_unit in ("", "%"):
        return None  # an efficiency, or a missing unit
    if field not in _CANON or (field == "hours" and "/" in raw_unit):
        return None
    try:
        unit = units._unit(raw_unit)[0] if raw_unit else _BARE.get(field)
        if unit is None or units.unit_info(unit)[0] != units.unit_info(_CANON[field])[0]:
            return None
        if field == "household_use" and raw_unit and units.unit_info(unit)[0] == units.unit_info("kWh")[0]:
            return None
        return "mul", units.multiplier(unit, _CANON[field])
    except (InputError, units.DimensionError):
        return None


def _bounds(field: str) -> tuple[float, float, bool]:
    """Return (low, high, open below) of a field's possible range, as its one-value validator checks it."""
    if field == "turbines":
        lo, hi = data.limit("count").possible
        return lo, hi, False
    if field == "capacity_factor":
        return 0.0, 1.0, True
    if field == "hours":
        return 0.0, float(data.constant("hours_per_year").value), True
    lo, hi = data.limit(field).possible
    return lo, hi, True


_TAIL = "".join(chr(c) for c in range(65, 91)) + "".join(chr(c) for c in range(97, 123)) + "%/ "  # a unit's last characters
_NUMBERS = frozenset((int, float))


def _split(raws: list[Any]) -> tuple[list[float], list[str]] | None:
    """Split a column of values into numbers and unit texts, or return None when one of them is not a plain
    'number[ unit]' (the caller then reads the column value by value).

    The number is what is left when the unit's letters, '%', '/' and spaces are stripped from the end, as float()
    reads it. That is the number _NUM finds, for ASCII text without '_' (float() reads '1_000', _NUM does not);
    'inf' and 'nan' lose their letters and fail here, and a number float() reads as not finite fails the range check.
    """
    kinds = set(map(type, raws))
    if kinds <= _NUMBERS:
        return [float(v) for v in raws], [""] * len(raws)
    if kinds != {str}:
        return None
    texts = [v.rstrip(_TAIL) for v in raws]
    joined = "".join(texts)
    if not joined.isascii() or "_" in joined:
        return None
    try:
        numbers = list(map(float, texts))
    except ValueError:
        return None
    return numbers, [v[len(t):] for v, t in zip(raws, texts)]


def _column(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    """Return one field's canonical values for a list of raw values, and the positions that need the one-value path."""
    split = _split(raws)
    if split is None:
        return _column_one_by_one(field, raws)
    numbers, unit_texts = split
    kinds = set(unit_texts)
    slow: list[int] = []
    if len(kinds) == 1:  # the common case: one unit for the whole column
        op = _op(field, unit_texts[0].strip())
        if op is None:
            return np.zeros(len(raws)), list(range(len(raws)))
        out = np.array(numbers) * op[1] if op[0] == "mul" else np.array(numbers) / op[1]
    else:
        out = np.zeros(len(raws))
        ops = {u: _op(field, u.strip()) for u in kinds}
        for i, (number, u) in enumerate(zip(numbers, unit_texts)):
            op = ops[u]
            if op is None:
                slow.append(i)
            elif op[0] == "mul":
                out[i] = number * op[1]
            else:
                out[i] = number / op[1]
    return out, _out_of_range(field, out, slow)


def _column_one_by_one(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    out = np.zeros(len(raws))
    slow: list[int] = []
    for i, v in enumerate(raws):
        t = type(v)
        if t is int or t is float:
            number, raw_unit = v, ""
        elif t is str and v.isascii() and (m := _NUM.match(v)) is not None:
            number, raw_unit = float(m.group(1)), m.group(2)
        else:
            slow.append(i)
            continue
        op = _op(field, raw_unit)
        if op is None:
            slow.append(i)
        elif op[0] == "mul":
            out[i] = number * op[1]
        else:
            out[i] = number / op[1]
    return out, _out_of_range(field, out, slow)


def _out_of_range(field: str, out: np.ndarray, slow: list[int]) -> list[int]:
    """Return ``slow`` and the positions whose value is outside the field's possible range (the one-value
    validator then says why)."""
    lo, hi, open_below = _bounds(field)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(out) | (out > hi) | ((out <= lo) if open_below else (out < lo))
        if field == "turbines":
            bad |= out != np.floor(out)
    if not bad.any():
        return slow
    slow_set = set(slow)
    return slow + [int(i) for i in np.flatnonzero(bad) if int(i) not in slow_set]


def _one(field: str, raw: Any) -> Any:
    """Check one value the one-value way (the message of a bad value is the same as for a single estimate)."""
    return FIELDS[field].parse(Given(raw, "batch record", "record", "user", "", field))


@dataclass
class _Failure:
    """An error raised while reading the input, carried to the main thread."""

    exc: BaseException


class Engine:
    """Estimate chunks of records, vectorised by shape, in input order."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.reader: Any = None

    def reading(self) -> bool:
        """Return whether the input is still being read (the run ended before the input did)."""
        return self.reader is not None and self.reader.is_alive()

    def chunks(self, records: Iterable[Record], *, threaded: bool = True
               ) -> Iterator[list[tuple[Record, Result | None, int, EmissError | None]]]:
        """Yield, per chunk, (record, array result, index into it, error) in input order.

        Records are read by a background thread; a chunk is what has arrived (up to CHUNK), so a fast producer
        gets full chunks and a slow one gets its records estimated and written as they come. An input that never
        makes the reader wait (a regular file: ``threaded=False``) is read in this thread, chunk by chunk, which
        spares the hand-over between threads.
        """
        import queue
        import threading

        if not threaded:
            it = iter(records)
            while chunk := list(itertools.islice(it, CHUNK)):
                yield self.run(chunk)
            return

        q: queue.Queue[Any] = queue.Queue(maxsize=16)  # at most 16 x 512 records read ahead: memory stays flat
        end = object()

        def reader() -> None:
            batch: list[Any] = []
            try:
                for r in records:
                    batch.append(r)
                    # hand records over in batches while the estimator is busy, at once when it waits for them
                    if len(batch) >= 512 or q.empty():
                        q.put(batch)
                        batch = []
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it there
                batch.append(_Failure(exc))
            batch.append(end)
            q.put(batch)

        self.reader = threading.Thread(target=reader, daemon=True)
        self.reader.start()
        done = False
        while not done:
            batch = q.get()
            chunk: list[Record] = []
            failure = None
            while True:
                for item in batch:
                    if item is end:
                        done = True
                    elif isinstance(item, _Failure):
                        failure = item.exc
                    elif type(item) is tuple:  # an NDJSON line read but not parsed (read_records(lazy=True))
                        chunk.append(json_record(*item))
                    else:
                        chunk.append(item)
                if done or failure is not None or len(chunk) >= CHUNK:
                    break
                try:
                    batch = q.get_nowait()
                except queue.Empty:
                    break
            for start in range(0, len(chunk), CHUNK):
                yield self.run(chunk[start:start + CHUNK])
            if failure is not None:
                raise failure

    def run(self, chunk: Sequence[Record]) -> list[tuple[Record, Result | None, int, EmissError | None]]:
        """Estimate a chunk of records; return (record, result, index into the result's arrays or -1, error) each."""
        return self.outcomes(_Records(chunk)).tuples(chunk)

    def tables(self, items: Iterable[Any]) -> Iterator[tuple[Any, Outcomes]]:
        """Yield (block, outcomes) for Tables and for chunks of records (as _Records), in input order: for output
        written as columns (Parquet, DataFrames)."""
        pending: list[Record] = []
        for item in items:
            if isinstance(item, Table):
                if pending:
                    yield _Records(pending), self.outcomes(_Records(pending))
                    pending = []
                yield item, self.outcomes(item)
                continue
            pending.append(json_record(*item) if type(item) is tuple else item)
            if len(pending) >= CHUNK:
                yield _Records(pending), self.outcomes(_Records(pending))
                pending = []
        if pending:
            yield _Records(pending), self.outcomes(_Records(pending))

    def outcomes(self, src: Any) -> Outcomes:
        """Estimate every row of ``src`` (a Table, or records as _Records) vectorised by shape."""
        out = Outcomes()
        for names, positions in src.groups(out):
            present = dict.fromkeys(names)
            fast = tuple(sorted(k for k in names if is_fast(k, present)))
            fixed = tuple(sorted(k for k in names if k not in fast))
            if not fixed:
                self._shape(src, fast, positions, out)
                continue
            groups: dict[Any, list[int]] = {}  # the fields that fix the structure (preset, control ...) split further
            for i in positions:
                try:
                    key = tuple((k, type(v).__name__, v) for k in fixed for v in (src.value(i, k),))
                    hash(key)
                except TypeError:  # a list or object as a value: it fails alone, the one-value way
                    self._single(src, i, out)
                    continue
                groups.setdefault(key, []).append(i)
            for group in groups.values():
                self._shape(src, fast, group, out)
        return out

    def _single(self, src: Any, i: int, out: Outcomes) -> None:
        try:
            out.singles[i] = self.runner.run(src.record(i))
        except EmissError as exc:
            out.errors[i] = exc

    def _shape(self, src: Any, fast: tuple[str, ...], positions: list[int], out: Outcomes) -> None:
        # 1. every fast column read as numbers; a value that is not a plain number in a known unit is left aside
        columns: dict[str, tuple[np.ndarray, list[int], list[str] | None]] = {}
        for k in fast:
            arrow = src.arrow(k, positions)
            read = None
            if k.startswith(fields.FACTOR_PREFIX):
                pol = k[len(fields.FACTOR_PREFIX):]
                read = _factor_column_arrow(pol, arrow) if arrow is not None else None
                columns[k] = read or _factor_column(pol, src.raws(k, positions))
            else:
                read = _column_arrow(k, arrow) if arrow is not None else None
                columns[k] = (*(read or _column(k, src.raws(k, positions))), None)
        # 2. a row with a range ('0.5..0.9') in any field is not one value: it goes the full way, alone
        # (a range never reads as a number, so it is always among the values left aside)
        ranged: set[int] = set()
        for k, (_, slow, _) in columns.items():
            for j in slow:
                v = src.value(positions[j], k)
                if type(v) is str and ".." in v:
                    ranged.add(j)
        for j in ranged:
            self._single(src, positions[j], out)
        ok = np.ones(len(positions), dtype=bool)
        ok[list(ranged)] = False
        # 3. the template: the first row that builds (the others before it fail as they would alone)
        template = None
        for j in np.flatnonzero(ok).tolist():
            rec = src.record(positions[j])
            shape_key = (fast, tuple(sorted((k, type(v).__name__, v) for k, v in rec.settings.items() if k not in fast)))
            template = self.runner.templates.get(shape_key)
            if template is not None:
                break
            try:
                template = self.runner.build_template(rec, shape_key)
                break
            except EmissError as exc:
                out.errors[positions[j]] = exc
                ok[j] = False
        if template is None or not ok.any():
            return
        # 4. the values left aside, the one-value way, column by column in the order a single record is checked
        for k in fast:
            arr, slow, forms = columns[k]
            for j in slow:
                if not ok[j]:
                    continue
                raw = src.value(positions[j], k)
                try:
                    if forms is None:
                        arr[j] = _one(k, raw)
                    else:
                        pol = k[len(fields.FACTOR_PREFIX):]
                        f = parse_factor(pol, raw, where=k, source="batch record", status="user", layer="record")
                        arr[j], forms[j] = f.value, f.form
                except EmissError as exc:
                    out.errors[positions[j]] = exc
                    ok[j] = False
        keep = np.flatnonzero(ok)
        if keep.size == 0:
            return
        # 5. one vectorised estimate per combination of factor forms (lb/MMBtu and lb/MWh need different arithmetic)
        factor_keys = [k for k in fast if columns[k][2] is not None]
        parts: list[tuple[dict[str, str], np.ndarray]] = []
        if factor_keys:
            form_lists = [columns[k][2] for k in factor_keys]
            if all(len(set(fl)) == 1 for fl in form_lists):  # type: ignore[arg-type]
                parts = [({k: fl[0] for k, fl in zip(factor_keys, form_lists)}, keep)]  # type: ignore[index]
            else:
                combos: dict[tuple[str, ...], list[int]] = {}
                for j in keep.tolist():
                    combos.setdefault(tuple(fl[j] for fl in form_lists), []).append(j)  # type: ignore[index]
                parts = [(dict(zip(factor_keys, combo)), np.array(js, dtype=np.intp)) for combo, js in combos.items()]
        else:
            parts = [({}, keep)]
        rows = np.asarray(positions, dtype=np.intp)
        for forms_of, sel in parts:
            self._estimate(src, template, fast, columns, forms_of, sel, rows, out)

    def _estimate(self, src: Any, template: Scenario, fast: tuple[str, ...], columns: dict[str, Any],
                  forms_of: dict[str, str], sel: np.ndarray, rows: np.ndarray, out: Outcomes) -> None:
        from .model import Factor

        vals: dict[Any, Any] = {}
        for k in fast:
            arr = columns[k][0][sel]
            if k in forms_of:
                pol, form = k[len(fields.FACTOR_PREFIX):], forms_of[k]
                path = fields.factor_path("fleet", pol)
                base = template.fleet_factors.get(path[2])
                if base is None or base.form != form:
                    base = Factor(path[2], form, 0.0, "", "batch record", "user", "record")
                vals[path] = Factor(base.pollutant, form, arr, base.text, base.source, base.status, base.layer, base.note)
            else:
                for path in template_paths(FIELDS[k], template):
                    vals[path] = arr
        try:
            result = estimate(template.with_values(vals), screen_thresholds=False)
        except EmissError:  # an overflow in one record: estimate them one by one, so only that one fails
            for i in rows[sel].tolist():
                self._single(src, i, out)
            return
        out.groups.append((result, rows[sel], not vals))  # shared: one value (no field varies) for all these rows


class Outcomes:
    """What a block of rows came to: errors and one-off results by row, and vectorised results with their rows
    (a result's arrays hold one element per row, in order; a shared result holds one value for all)."""

    __slots__ = ("errors", "singles", "groups")

    def __init__(self) -> None:
        self.errors: dict[int, EmissError] = {}
        self.singles: dict[int, Result] = {}
        self.groups: list[tuple[Result, np.ndarray, bool]] = []

    def tuples(self, chunk: Sequence[Record]) -> list[tuple[Record, Result | None, int, EmissError | None]]:
        out: list[Any] = [None] * len(chunk)
        for i, exc in self.errors.items():
            out[i] = (chunk[i], None, 0, exc)
        for i, result in self.singles.items():
            out[i] = (chunk[i], result, -1, None)
        for result, rows, shared in self.groups:
            for n, i in enumerate(rows.tolist()):
                out[i] = (chunk[i], result, -1 if shared else n, None)
        return out


class _Records:
    """A chunk of records seen as a block of rows (the interface a Table has)."""

    def __init__(self, chunk: Sequence[Record]) -> None:
        self.chunk = chunk
        self.n = len(chunk)

    def arrow(self, key: str, positions: list[int]) -> None:
        return None

    def id_arrow(self) -> None:
        return None

    @property
    def ids(self) -> list[Any]:
        return [r.id for r in self.chunk]

    @property
    def numbers(self) -> list[int]:
        return [r.number for r in self.chunk]

    def record(self, i: int) -> Record:
        return self.chunk[i]

    def value(self, i: int, key: str) -> Any:
        return self.chunk[i].settings[key]

    def raws(self, key: str, positions: list[int]) -> list[Any]:
        chunk = self.chunk
        return [chunk[i].settings[key] for i in positions]

    def groups(self, out: Outcomes) -> Iterator[tuple[tuple[str, ...], list[int]]]:
        """Yield (field names, rows) per set of fields; a record that could not be read is an error here."""
        by_names: dict[tuple[str, ...], list[int]] = {}
        for i, rec in enumerate(self.chunk):  # one dict look-up per record: grouped by the fields they set
            if rec.error:
                out.errors[i] = InputError(rec.error)
            else:
                by_names.setdefault(tuple(rec.settings), []).append(i)
        # the same fields in another order are the same shape: one group, in input order (the first row of a shape
        # that builds is its template for the rows after it, as when records go one at a time)
        by_set: dict[tuple[str, ...], list[list[int]]] = {}
        for names, positions in by_names.items():
            by_set.setdefault(tuple(sorted(names)), []).append(positions)
        for names, lists in by_set.items():
            yield names, lists[0] if len(lists) == 1 else sorted(i for p in lists for i in p)


def _factor_column(pol: str, raws: list[Any]) -> tuple[np.ndarray, list[int], list[str]]:
    """Return a factor column in its canonical form: the values, the positions the one-value parser must read, and
    each value's form ('input' for per heat input). Plain 'N ppmvd@X%O2' values are converted here as arrays, by
    EPA Method 19 in the same order of operations as units.method19_lb_per_mmbtu."""
    n = len(raws)
    arr = np.zeros(n)
    forms = ["input"] * n
    mw_key = data.concentration_mw_key(pol)
    ppm = np.full(n, np.nan)
    o2 = np.full(n, np.nan)
    slow: list[int] = []
    split = _split_ppm(raws) if mw_key else None
    if split is None:
        for j, raw in enumerate(raws):
            m = _PPM.match(raw) if mw_key and type(raw) is str and raw.isascii() else None
            if m is None:
                slow.append(j)
            else:
                ppm[j], o2[j] = float(m.group(1)), float(m.group(2))
    else:
        numbers, refs = split
        ppm[:] = numbers
        for u in set(refs):
            ref = _ppm_reference(u)
            idx = [j for j, r in enumerate(refs) if r == u] if len(set(refs)) > 1 else range(n)
            if ref is None:
                slow.extend(idx)
            else:
                o2[list(idx)] = ref
        slow.sort()
    if len(slow) == n:
        return arr, _linear_factors(pol, raws, slow, arr, forms), forms
    k = data.constant(mw_key).value / data.constant("molar_volume").value * 1e-6  # as units.method19_lb_per_mmbtu
    fd, air = data.constant("method19_fd").value, data.constant("method19_o2_air").value
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        value = ppm * k * fd * air / (air - o2)
        good = np.isfinite(value) & (value >= 0) & (o2 >= 0) & (o2 < air) & np.isfinite(ppm)
    arr[good] = value[good]
    slow_set = set(slow)
    slow = _linear_factors(pol, raws, slow, arr, forms)
    return arr, slow + [j for j in np.flatnonzero(~good).tolist() if j not in slow_set], forms


def _linear_factors(pol: str, raws: list[Any], slow: list[int], arr: np.ndarray, forms: list[str]) -> list[int]:
    """Convert the factors at ``slow`` written as 'number unit' in a unit that is a fixed multiple of a canonical
    form (lb/MMBtu, g/kWh, lb/h, lb/MMscf ...): value = number x multiplier, as factors._parse computes it, with the
    multiplier found once per unit. Return the positions still left for the one-value parser."""
    left: list[int] = []
    for j in slow:
        v = raws[j]
        if type(v) is not str or not v.isascii():
            left.append(j)
            continue
        text = v.rstrip(_TAIL)
        try:
            number = float(text) if "_" not in text else math.nan
        except ValueError:
            number = math.nan
        linear = _linear_factor(pol, v[len(text):].strip()) if number >= 0 and number < math.inf else None
        if linear is None:
            left.append(j)  # not a number, negative or not finite, or a unit to read the one-value way
            continue
        forms[j] = linear[0]
        arr[j] = number * linear[1]
    return left


@lru_cache(maxsize=1024)
def _linear_factor(pol: str, unit_text: str) -> tuple[str, float] | None:
    """Return (form, multiplier) of a factor unit that is a fixed multiple of its canonical form, else None."""
    from .model import FORM_UNITS

    text = f"1 {unit_text}"
    try:
        if not unit_text or units.parse_concentration(text) is not None:
            return None
        form = parse_factor(pol, text, where="", source="", status="", layer="").form
        return form, units.multiplier(units.parse(text, where="").unit, FORM_UNITS[form])
    except (EmissError, ValueError):
        return None


def _split_ppm(raws: list[Any]) -> tuple[list[float], list[str]] | None:
    """Split 'N ppmvd@X%O2' values at their first space into numbers and reference texts, or return None (the caller
    then matches each value with _PPM). No sign is allowed, as in _PPM; the same care as _split for float()."""
    if set(map(type, raws)) != {str}:
        return None
    parts = [v.partition(" ") for v in raws]
    texts = [p[0] for p in parts]
    joined = "".join(texts)
    if not joined.isascii() or "_" in joined or "+" in joined or "-" in joined.replace("e-", "").replace("E-", ""):
        return None
    try:
        numbers = list(map(float, texts))
    except ValueError:
        return None
    return numbers, [p[2] for p in parts]


_PPM_REF = re.compile(r"^\s*ppmvd\s*@\s*((?:\d+(?:\.\d*)?|\.\d+))\s*%\s*O2\s*$")


@lru_cache(maxsize=256)
def _ppm_reference(text: str) -> float | None:
    """Return the O2 reference of a 'ppmvd@X%O2' unit text, or None when the text is anything else."""
    m = _PPM_REF.match(text) if text.isascii() else None
    return float(m.group(1)) if m else None


# ---- Arrow columns (Parquet): the same reading as _split/_column and _split_ppm/_factor_column, done by Arrow ----
# compute. Arrow's text-to-float cast is correctly rounded, as float() is, so the numbers are the same; anything
# these readers are not sure of returns None and the column is read the Python way.

_ARROW_NUMPY = {"int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64, "uint8": np.uint8, "uint16": np.uint16,
                "uint32": np.uint32, "uint64": np.uint64, "float": np.float32, "double": np.float64}


def _numpy(arr: Any) -> np.ndarray:
    """Return a null-free Arrow array of numbers as numpy, read from its buffer (pyarrow's own to_numpy imports
    pandas when pandas is installed, which costs more than the whole conversion)."""
    if hasattr(arr, "combine_chunks"):
        arr = arr.combine_chunks()
    dtype = np.dtype(_ARROW_NUMPY[str(arr.type)])
    return np.frombuffer(arr.buffers()[1], dtype=dtype)[arr.offset:arr.offset + len(arr)]


def _arrow_numbers(texts: Any) -> np.ndarray | None:
    """Return the float values of an Arrow text array that holds only numbers, else None.

    Arrow's cast reads a decimal number (sign, digits, point, exponent) and the words inf, infinity and nan, and
    nothing else: no spaces, no '_', no other digits than 0-9 (tests/test_frames.py holds it to that). The texts
    given here never end in a letter, or give a number that is not finite and so goes the Python way: what the
    cast reads is then exactly the number _NUM reads."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        return _numpy(pc.cast(texts, pa.float64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # beyond float range: the Python way says why
        return None


def _arrow_units(col: Any, texts: Any) -> tuple[list[str], np.ndarray] | None:
    """Return (distinct unit texts, each row's index into them): what follows each row's number."""
    import pyarrow.compute as pc

    tail = pc.subtract(pc.binary_length(col), pc.binary_length(texts))
    lengths = pc.unique(tail).to_pylist()
    if len(lengths) != 1:
        return None
    if lengths[0] == 0:
        return [""], np.zeros(len(col), dtype=np.intp)
    first = col[0].as_py()[-lengths[0]:]
    if pc.all(pc.ends_with(col, pattern=first)).as_py():  # one unit (the tails are all this long)
        return [first], np.zeros(len(col), dtype=np.intp)
    enc = pc.dictionary_encode(pc.utf8_slice_codeunits(col, start=-lengths[0]))
    return enc.dictionary.to_pylist(), _numpy(enc.indices)


def _column_arrow(field: str, col: Any) -> tuple[np.ndarray, list[int]] | None:
    """Read one field's Arrow column as _column reads the same values, or return None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if col.null_count:
        return None
    if str(t) in _ARROW_NUMPY:
        numbers, units, index = _numpy(col).astype(np.float64), [""], None
    elif pa.types.is_string(t) or pa.types.is_large_string(t):
        if not pc.all(pc.string_is_ascii(col)).as_py():
            return None
        texts = pc.utf8_rtrim(col, characters=_TAIL)
        numbers = _arrow_numbers(texts)
        split = _arrow_units(col, texts) if numbers is not None else None
        if split is None:
            return None
        units, index = split
    else:
        return None
    ops = [_op(field, u.strip()) for u in units]
    if any(op is None for op in ops):
        return None  # a unit the fast path does not take: the Python way sorts each value out
    if len(ops) == 1:
        out = numbers * ops[0][1] if ops[0][0] == "mul" else numbers / ops[0][1]
    else:
        mul = np.array([op[1] if op[0] == "mul" else 1.0 for op in ops])[index]
        div = np.array([op[1] if op[0] == "div" else 1.0 for op in ops])[index]
        is_div = np.array([op[0] == "div" for op in ops])[index]
        out = np.where(is_div, numbers / div, numbers * mul)
    return out, _out_of_range(field, out, [])


def _factor_column_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], list[str]] | None:
    """Read an Arrow column of 'N ppmvd@X%O2' factors as _factor_column does, or return None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    mw_key = data.concentration_mw_key(pol)
    if col.null_count or not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return None
    if not pc.all(pc.string_is_ascii(col)).as_py():
        return None
    parts = pc.split_pattern(col, pattern=" ", max_splits=1)
    if not mw_key or pc.min(pc.list_value_length(parts)).as_py() != 2:
        return _linear_factors_arrow(pol, col)
    texts = pc.list_element(parts, 0)
    if pc.any(pc.match_substring(texts, "+")).as_py() or pc.any(pc.match_substring(texts, "-")).as_py():
        return None  # no sign, as in _PPM (an exponent's sign included: rare enough to go the Python way)
    ppm = _arrow_numbers(texts)
    if ppm is None:
        return _linear_factors_arrow(pol, col)
    enc = pc.dictionary_encode(pc.list_element(parts, 1))
    refs = [_ppm_reference(u) for u in enc.dictionary.to_pylist()]
    if any(r is None for r in refs):
        return _linear_factors_arrow(pol, col)
    o2 = np.array(refs, dtype=np.float64)[_numpy(enc.indices)]
    n = len(col)
    k = data.constant(mw_key).value / data.constant("molar_volume").value * 1e-6  # as units.method19_lb_per_mmbtu
    fd, air = data.constant("method19_fd").value, data.constant("method19_o2_air").value
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        value = ppm * k * fd * air / (air - o2)
        good = np.isfinite(value) & (value >= 0) & (o2 >= 0) & (o2 < air) & np.isfinite(ppm)
    arr = np.where(good, value, 0.0)
    return arr, np.flatnonzero(~good).tolist(), ["input"] * n


def _linear_factors_arrow(pol: str, col: Any) -> tuple[np.ndarray, list[int], list[str]] | None:
    """Read an Arrow column of factors in units that are fixed multiples of a canonical form as _linear_factors
    does, or return None."""
    import pyarrow.compute as pc

    texts = pc.utf8_rtrim(col, characters=_TAIL)
    numbers = _arrow_numbers(texts)
    split = _arrow_units(col, texts) if numbers is not None else None
    if split is None:
        return None
    unit_texts, index = split
    linear = [_linear_factor(pol, u.strip()) for u in unit_texts]
    if any(x is None for x in linear):
        return None
    multipliers = np.array([x[1] for x in linear])  # type: ignore[index]
    names = [x[0] for x in linear]  # type: ignore[index]
    with np.errstate(invalid="ignore", over="ignore"):
        value = numbers * multipliers[index]
        good = (numbers >= 0) & np.isfinite(numbers)
    forms = [names[i] for i in index.tolist()] if len(names) > 1 else [names[0]] * len(col)
    return np.where(good, value, 0.0), np.flatnonzero(~good).tolist(), forms
