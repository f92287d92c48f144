"""Many scenarios through one process: read records, estimate each, yield compact results as a stream."""

from __future__ import annotations

import csv
import itertools
import json
import math
from dataclasses import dataclass
from typing import IO, Any, Iterable, Iterator

from . import library, units
from .calc import KW_PER_MW, estimate
from .errors import EmissError, InputError
from .model import Given, Result, Scenario
from .presets import Spec, load
from .scenario import OVERRIDE_KEYS, _Builder, apply_overrides, build
from .vary import apply

INPUT_FORMATS = ("auto", "ndjson", "csv", "tsv")
PASS_THROUGH = ("id",)


@dataclass(frozen=True)
class Record:
    """One input record: its 1-based number, its id (if any), its settings, or why it could not be read."""

    number: int
    id: Any
    settings: dict[str, Any]
    error: str = ""


def _normalise(raw: dict[str, Any], number: int) -> Record:
    rid = raw.get("id")
    if isinstance(rid, float) and not math.isfinite(rid):
        rid = str(rid)  # NaN/Infinity are not JSON; keep the id as text
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        if key in PASS_THROUGH:
            continue
        if value is None or value == "":
            continue
        k = str(key).strip().replace("-", "_")
        if k in ("factor", "factors") and isinstance(value, dict):
            for pol, v in value.items():
                if v not in (None, ""):
                    settings[f"factor.{str(pol).strip().lower()}"] = v
            continue
        if k.startswith(("factor:", "factor_")):
            k = "factor." + k[7:]
        if k.startswith("factor."):
            k = "factor." + k[7:].lower()
        settings[k] = value
    return Record(number, rid, settings)


def read_records(stream: IO[bytes], fmt: str = "auto") -> Iterator[Record]:
    """Yield records from NDJSON or CSV/TSV bytes, one at a time (memory stays flat)."""
    lines = iter(stream)
    first = b""
    for line in lines:
        if line.strip():
            first = line
            break
    if not first:
        return
    if fmt == "auto":
        stripped = first.lstrip()
        fmt = "ndjson" if stripped.startswith(b"{") else ("tsv" if b"\t" in first and b"," not in first else "csv")
    if fmt == "ndjson":
        yield from _ndjson(first, lines)
    else:
        yield from _delimited(first, lines, "\t" if fmt == "tsv" else ",")


def _decode(line: bytes) -> str:
    return line.decode("utf-8").lstrip("\ufeff")


def _ndjson(first: bytes, rest: Iterable[bytes]) -> Iterator[Record]:
    number = 0
    for line in itertools.chain((first,), rest):
        if not line.strip():
            continue
        number += 1
        try:
            raw = json.loads(_decode(line))
        except UnicodeDecodeError:
            yield Record(number, None, {}, "is not UTF-8 text")
            continue
        except ValueError as exc:
            yield Record(number, None, {}, f"is not valid JSON ({exc.args[0] if exc.args else exc})")
            continue
        if not isinstance(raw, dict):
            yield Record(number, None, {}, "is not a JSON object")
            continue
        yield _normalise(raw, number)


def _delimited(first: bytes, rest: Iterable[bytes], delimiter: str) -> Iterator[Record]:
    try:
        header = next(csv.reader([_decode(first)], delimiter=delimiter))
    except UnicodeDecodeError:
        raise InputError("the header line is not UTF-8 text", where="batch input") from None
    header = [h.strip() for h in header]
    if not any(header):
        raise InputError("the CSV header is empty", where="batch input")
    number = 0
    for line in rest:
        if not line.strip():
            continue
        number += 1
        try:
            text = _decode(line)
        except UnicodeDecodeError:
            yield Record(number, None, {}, "is not UTF-8 text")
            continue
        row = next(csv.reader([text], delimiter=delimiter))
        if len(row) > len(header):
            yield Record(number, row[header.index("id")] if "id" in header else None, {},
                         f"has {len(row)} cells but the header has {len(header)}")
            continue
        yield _normalise(dict(zip(header, row)), number)


class Runner:
    """Estimate records on top of one base scenario.

    The first record of each shape (the same fields, and the same values for the fields that change the
    structure, such as preset or control) is built in full and kept as a template; later records of that
    shape only convert and check their values and set them into the template (vary.apply), which gives the
    same result as a full build at a fraction of the cost. Repeated records are remembered outright.
    """

    MEMO_SIZE = 4096  # distinct scenarios remembered; a repeated record is not computed twice
    TEMPLATES = 256  # record shapes kept
    FAST = ("turbines", "capacity", "heat_rate", "capacity_factor", "hours", "household_use", "household_demand")

    def __init__(self, base: Spec, base_overrides: dict[str, Any]) -> None:
        self.base_overrides = dict(base_overrides)
        self.base = apply_overrides(base, base_overrides)
        self.presets: dict[str, Spec] = {}
        self.memo: dict[Any, Result] = {}
        self.templates: dict[Any, Any] = {}
        self.checker = _Builder(Spec())

    def spec_for(self, record: Record) -> Spec:
        settings = dict(record.settings)
        preset = settings.pop("preset", None)
        base = self.base
        if preset:
            if preset not in self.presets:
                self.presets[preset] = apply_overrides(load(str(preset)), self.base_overrides)
            base = self.presets[preset]
        for key in settings:
            if not key.startswith("factor.") and key not in OVERRIDE_KEYS:
                raise InputError(
                    f"unknown field '{key}'; fields: id, preset, {', '.join(OVERRIDE_KEYS)}, factor.<pollutant>",
                    where=key,
                )
        return apply_overrides(base, settings, layer="record", where=lambda k: k)

    def run(self, record: Record) -> Result:
        """Estimate one record (raises EmissError with the field in ``where``)."""
        if record.error:
            raise InputError(record.error)
        try:
            key = tuple(sorted(record.settings.items()))
            hash(key)
        except TypeError:  # a list or object as a value: not remembered (it will fail validation anyway)
            key = None
        hit = self.memo.get(key) if key is not None else None
        if hit is not None:
            return hit
        result = self._compute(record, key)
        if key is not None:
            if len(self.memo) >= self.MEMO_SIZE:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = result
        return result

    def _shape(self, key: tuple[tuple[str, Any], ...]) -> Any:
        fast = tuple(k for k, v in key if (k in self.FAST or k.startswith("factor.")) and not _is_range(v))
        fixed = tuple((k, v) for k, v in key if k not in fast)
        return fast, fixed

    def _compute(self, record: Record, key: Any) -> Result:
        if key is None:
            return estimate(build(self.spec_for(record)))
        shape = self._shape(key)
        template = self.templates.get(shape)
        if template is None:
            scenario = build(self.spec_for(record))
            if len(self.templates) < self.TEMPLATES:
                self.templates[shape] = scenario
            return estimate(scenario)
        return estimate(self._fill(template, record.settings, shape[0]))

    def _fill(self, template: Scenario, settings: dict[str, Any], fast: tuple[str, ...]) -> Scenario:
        """Check each fast field like a full build does, and set it into the template scenario."""
        b = self.checker
        values: dict[tuple[Any, ...], Any] = {}
        groups = range(len(template.groups))
        for k in fast:
            g = Given(settings[k], "batch record", "record", "user", "", k)
            if k == "turbines":
                values[("group", 0, "count")] = b.count(g)
            elif k == "capacity":
                values[("group", 0, "capacity_kw")] = b.capacity(g)
            elif k == "heat_rate":
                hr = b.heat_rate(g)
                values.update({("group", i, "heat_rate"): hr for i in groups})
            elif k == "capacity_factor":
                values[("capacity_factor",)] = b.capacity_factor(g)
            elif k == "hours":
                values[("hours",)] = b.hours(g, template.year_hours)
            elif k == "household_use":
                values[("household_use_kwh",)] = b.household_use(g)
            elif k == "household_demand":
                values[("household_demand_kw",)] = b.demand(g)
            else:
                pol = k[len("factor."):]
                values[("factor", "fleet", pol)] = b.factor(pol, g)
        return apply(template, values)


def _is_range(value: Any) -> bool:
    return isinstance(value, str) and ".." in value


class LineCache:
    """NDJSON bodies of results already written, so a repeated scenario costs one dictionary look-up."""

    SIZE = 4096  # result bodies kept; cleared when full

    def __init__(self, only: list[str] | None) -> None:
        self.only = only
        self.bodies: dict[int, tuple[Result, str]] = {}  # the result is kept so that its id() stays unique

    def line(self, record: Record, result: Result) -> str:
        """Return the NDJSON line of ``record`` (identical to json.dumps(result_record(...)))."""
        entry = self.bodies.get(id(result))
        if entry is not None and entry[0] is result:
            body = entry[1]
        else:
            doc = result_record(record, result, self.only)
            del doc["id"], doc["record"]
            body = json.dumps(doc, ensure_ascii=False, allow_nan=False)[1:]
            if len(self.bodies) >= self.SIZE:
                self.bodies.clear()
            self.bodies[id(result)] = (result, body)
        head = json.dumps({"id": record.id, "record": record.number}, ensure_ascii=False)
        return head[:-1] + ", " + body + "\n"


def result_record(record: Record, result: Result, only: list[str] | None) -> dict[str, Any]:
    """Return the compact output of one record: same keys and numbers as 'emiss estimate --format json'."""
    sc = result.scenario
    per = units.multiplier("lb", sc.mass_unit)
    unit = f"{sc.mass_unit} / year"
    ids = [p for p in library.POLLUTANTS if only is None or p in only]
    out: dict[str, Any] = {"id": record.id, "record": record.number}
    out["capacity"] = {"value": result.capacity_kw / KW_PER_MW, "unit": "megawatt"}
    out["generation"] = {"value": result.generation_mwh, "unit": "megawatt_hour / year"}
    out["heat_input"] = {"value": result.heat_input_mmbtu, "unit": "megabritish_thermal_unit / year", "basis": "HHV"}
    out["fuel"] = {"value": result.fuel_scf, "unit": "foot ** 3 / year"}
    out["households"] = {"value": result.households, "method": sc.households_method}
    out["emissions"] = {
        p: {"value": result.emissions[p].lb_per_year * per, "unit": unit, "complete": result.emissions[p].complete}
        for p in ids
    }
    return out


def flat_fields(only: list[str] | None, mass_unit: str = "short_ton") -> list[str]:
    """Return the CSV/TSV column names of batch output."""
    ids = [p for p in library.POLLUTANTS if only is None or p in only]
    return (["id", "record", "capacity_mw", "generation_mwh_yr", "heat_input_mmbtu_yr", "fuel_scf_yr", "households",
             "households_method"] + [f"{p}_{mass_unit}_yr" for p in ids] + ["error"])


def flat_row(doc: dict[str, Any], mass_unit: str) -> dict[str, Any]:
    """Flatten one result record for CSV/TSV."""
    row = {
        "id": doc["id"], "record": doc["record"], "capacity_mw": doc["capacity"]["value"],
        "generation_mwh_yr": doc["generation"]["value"], "heat_input_mmbtu_yr": doc["heat_input"]["value"],
        "fuel_scf_yr": doc["fuel"]["value"], "households": doc["households"]["value"],
        "households_method": doc["households"]["method"], "error": "",
    }
    for p, e in doc["emissions"].items():
        row[f"{p}_{mass_unit}_yr"] = e["value"]
    return row


def error_record(record: Record, exc: EmissError) -> dict[str, Any]:
    """Return the output of a record that failed."""
    return {"id": record.id, "record": record.number, "error": {"message": exc.message, "field": exc.where or None}}


def error_text(record: Record, exc: EmissError) -> str:
    """Return the one-line stderr message for a failed record."""
    ident = f" (id {record.id})" if record.id not in (None, "") else ""
    field = f"{exc.where}: " if exc.where else ""
    return f"record {record.number}{ident}: {field}{exc.message}"

