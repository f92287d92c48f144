"""Columnar batch: records in chunks, values as numpy arrays, one vectorised estimate per record shape.

A chunk of records is grouped by shape (which fields they set, and the values of the fields that change the
structure, such as preset or control). Each shape's first record is built in full (the template); the others'
values are split into number and unit, converted with one look-up per distinct unit string, checked as arrays
with the same limits as one value, and set into the template as arrays. A record whose value fails a check is
passed to the one-value validator, so its error message is the same word for word. Results are the same as
'emiss estimate' to the last digit: the arithmetic is the same operations in the same order, on arrays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from . import data, fields, units
from .batch import Record, Runner, is_fast, template_paths
from .calc import estimate
from .errors import EmissError, InputError
from .factors import parse_factor
from .fields import FIELDS
from .model import Given, Result, Scenario

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


def _column(field: str, raws: list[Any]) -> tuple[np.ndarray, list[int]]:
    """Return one field's canonical values for a list of raw values, and the positions that need the one-value path."""
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
    lo, hi, open_below = _bounds(field)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(out) | (out > hi) | ((out <= lo) if open_below else (out < lo))
        if field == "turbines":
            bad |= out != np.floor(out)
    slow_set = set(slow)
    return out, slow + [int(i) for i in np.flatnonzero(bad) if int(i) not in slow_set]


def _form(key: str, raw: Any) -> str:
    """Return the form of a factor (per heat input, per MWh, ...) from its unit alone, so that records of one form
    are estimated together; '' when it cannot be told cheaply (the one-value parser then decides)."""
    if type(raw) is not str or not raw.isascii():
        return ""
    if "ppm" in raw or "mg/" in raw:
        return "input"
    m = _NUM.match(raw)
    return _unit_form(m.group(2)) if m else ""


@lru_cache(maxsize=1024)
def _unit_form(raw_unit: str) -> str:
    from .factors import _form_of

    try:
        unit, dims, den, pct = units._unit(raw_unit)
    except InputError:
        return ""
    return _form_of(units.Parsed(1.0, unit, dims, den, pct)) or ""


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

    def chunks(self, records: Iterable[Record]) -> Iterator[list[tuple[Record, Result | None, int, EmissError | None]]]:
        """Yield, per chunk, (record, array result, index into it, error) in input order.

        Records are read by a background thread; a chunk is what has arrived (up to CHUNK), so a fast producer
        gets full chunks and a slow one gets its records estimated and written as they come.
        """
        import queue
        import threading

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
        out: list[Any] = [None] * len(chunk)
        groups: dict[Any, list[int]] = {}
        layouts: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for i, rec in enumerate(chunk):
            if rec.error:
                out[i] = (rec, None, 0, InputError(rec.error))
                continue
            settings = rec.settings
            names = tuple(settings)
            layout = layouts.get(names)
            if layout is None:  # which fields can vary as arrays, and which fix the structure, once per key list
                fast_keys = tuple(sorted(k for k in names if is_fast(k, settings)))
                layout = layouts[names] = (fast_keys, tuple(sorted(k for k in names if k not in fast_keys)))
            fast, fixed = layout
            try:
                shape_fixed = tuple((k, type(settings[k]).__name__, settings[k]) for k in fixed)
                ranged = tuple(k for k in fast if type(settings[k]) is str and ".." in settings[k])
                forms = tuple(_form(k, settings[k]) for k in fast if k.startswith(fields.FACTOR_PREFIX))
                shape = (fast, shape_fixed, ranged, forms)
                hash(shape)
            except TypeError:
                out[i] = self._single(rec)
                continue
            groups.setdefault(shape, []).append(i)
        for (fast, _, ranged, _), positions in groups.items():
            if ranged:  # a range is not a fast value: these records go the full way, shape by shape
                for i in positions:
                    out[i] = self._single(chunk[i])
                continue
            self._shape(chunk, fast, positions, out)
        return out

    def _single(self, rec: Record) -> tuple[Record, Result | None, int, EmissError | None]:
        try:
            return rec, self.runner.run(rec), -1, None
        except EmissError as exc:
            return rec, None, 0, exc

    def _shape(self, chunk: Sequence[Record], fast: tuple[str, ...], positions: list[int], out: list[Any]) -> None:
        template = None
        for i in positions:  # the first record that builds is the template (the others fail as they would alone)
            rec = chunk[i]
            shape_key = (fast, tuple(sorted((k, type(v).__name__, v) for k, v in rec.settings.items() if k not in fast)))
            template = self.runner.templates.get(shape_key)
            if template is not None:
                break
            try:
                template = self.runner.build_template(rec, shape_key)
                break
            except EmissError as exc:
                out[i] = (rec, None, 0, exc)
        positions = [i for i in positions if out[i] is None]
        if template is None or not positions:
            return
        ok = np.ones(len(positions), dtype=bool)
        values: dict[Any, Any] = {}
        for k in fast:
            raws = [chunk[i].settings[k] for i in positions]
            if k.startswith(fields.FACTOR_PREFIX):
                arr, forms = self._factors(k, raws, positions, chunk, ok, out)
                if len(forms) > 1:  # mixed forms (lb/MMBtu and lb/MWh): these records go one by one
                    for j, i in enumerate(positions):
                        if ok[j]:
                            out[i] = self._single(chunk[i])
                            ok[j] = False
                    continue
                values[fields.factor_path("fleet", k[len(fields.FACTOR_PREFIX):])] = (arr, forms.pop() if forms else "input")
                continue
            arr, slow = _column(k, raws)
            for j in slow:
                try:
                    arr[j] = _one(k, raws[j])
                except EmissError as exc:
                    if ok[j]:
                        out[positions[j]] = (chunk[positions[j]], None, 0, exc)
                    ok[j] = False
            for path in template_paths(FIELDS[k], template):
                values[path] = arr
        keep = np.flatnonzero(ok)
        if keep.size == 0:
            return
        from .model import Factor

        vals = {}
        for path, v in values.items():
            if isinstance(v, tuple):
                arr, form = v
                base = template.fleet_factors.get(path[2])
                if base is None or base.form != form:
                    base = Factor(path[2], form, 0.0, "", "batch record", "user", "record")
                vals[path] = Factor(base.pollutant, form, arr[keep], base.text, base.source, base.status, base.layer, base.note)
            else:
                vals[path] = v[keep]
        try:
            result = estimate(template.with_values(vals), screen_thresholds=False)
        except EmissError:  # an overflow in one record: estimate them one by one, so only that one fails
            for j in keep:
                out[positions[j]] = self._single(chunk[positions[j]])
            return
        for n, j in enumerate(keep):  # -1: the result is one value (no field varies), shared by these records
            out[positions[j]] = (chunk[positions[j]], result, n if vals else -1, None)

    def _factors(self, key: str, raws: list[Any], positions: list[int], chunk: Sequence[Record], ok: np.ndarray,
                 out: list[Any]) -> tuple[np.ndarray, set[str]]:
        pol = key[len(fields.FACTOR_PREFIX):]
        arr = np.empty(len(raws))
        forms: set[str] = set()
        slow = self._ppm(pol, raws, arr, ok, forms)
        for j, raw in enumerate(raws):
            if not ok[j] or j not in slow:
                continue
            try:
                f = parse_factor(pol, raw, where=key, source="batch record", status="user", layer="record")
            except EmissError as exc:
                out[positions[j]] = (chunk[positions[j]], None, 0, exc)
                ok[j] = False
                continue
            arr[j] = f.value
            forms.add(f.form)
        return arr, forms

    @staticmethod
    def _ppm(pol: str, raws: list[Any], arr: np.ndarray, ok: np.ndarray, forms: set[str]) -> set[int]:
        """Convert plain 'N ppmvd@X%O2' factors as arrays, by EPA Method 19 in the same order of operations as one value;
        return the positions left for the one-value parser (anything else, and anything out of range)."""
        mw_key = data.concentration_mw_key(pol)
        ppm = np.full(len(raws), np.nan)
        o2 = np.full(len(raws), np.nan)
        slow = set()
        for j, raw in enumerate(raws):
            m = _PPM.match(raw) if mw_key and type(raw) is str and raw.isascii() else None
            if m is None:
                slow.add(j)
            else:
                ppm[j], o2[j] = float(m.group(1)), float(m.group(2))
        if len(slow) == len(raws):
            return slow
        k = data.constant(mw_key).value / data.constant("molar_volume").value * 1e-6  # as units.method19_lb_per_mmbtu
        fd, air = data.constant("method19_fd").value, data.constant("method19_o2_air").value
        with np.errstate(invalid="ignore", divide="ignore"):
            value = ppm * k * fd * air / (air - o2)
            good = np.isfinite(value) & (value >= 0) & (o2 >= 0) & (o2 < air) & np.isfinite(ppm)
        for j in np.flatnonzero(~good):
            slow.add(int(j))
        fast = [j for j in range(len(raws)) if j not in slow and ok[j]]
        if fast:
            arr[fast] = value[fast]
            forms.add("input")
        return slow
