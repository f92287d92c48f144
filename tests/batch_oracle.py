"""The batch record as a document, built from one Result the slow, obvious way: the oracle the batch sink's NDJSON
lines are held to (tests only; the sink writes whole blocks without a dict per record)."""

from __future__ import annotations

import csv
import io
from typing import Any, Sequence

from emiss.batch.lines import LinesSink
from emiss.core.model import Result
from emiss.report.views import mass_per_lb, output_entry, selected

BATCH_OUTPUTS = ("capacity", "generation", "heat_input", "fuel")


def record_warnings(result: Result, only: Sequence[str] | None) -> list[str]:
    """Return a record's warnings from its own full build, the slow way: what the build warns of (those of one input's
    value last, by their text), each range the record gives, taken at its centre, then each shown total that is a
    lower bound."""
    sc = result.scenario
    said = [w for w in sc.warnings if w not in sc.value_warnings] + sorted(sc.value_warnings)
    said += [f"{u.name}: the range is taken at its central value, {u.central:,.6g}{' ' + u.unit if u.unit else ''}; a batch row "
             "is one value ('emiss estimate --samples N' gives its spread)" for u in sc.uncertain if u.source == "batch record"]
    e = result.emissions
    for p in selected(only):
        why = ([] if e[p].complete else ["incomplete: no factor for " + "; ".join(e[p].missing)]) + (
            ["at least: " + "; ".join(e[p].at_least)] if e[p].at_least else [])
        if why:
            said.append(f"{p}: the total is a lower bound ({'; '.join(why)})")
    return said


def record_doc(record: Any, result: Result, only: Sequence[str] | None) -> dict[str, Any]:
    """Return the compact output of one batch record: the same keys and numbers as 'estimate --format json', and its
    warnings when it has any."""
    sc = result.scenario
    per = mass_per_lb(result)
    unit = f"{sc.mass_unit} / year"
    out: dict[str, Any] = {"id": record.id, "record": record.number}
    for name in BATCH_OUTPUTS:
        out[name] = output_entry(name, result)
    out["heat_input"]["basis"] = "HHV"
    out["households"] = {"value": result.households, "method": sc.households_method}
    out["emissions"] = {p: {"value": result.emissions[p].lb_per_year * per, "unit": unit, "complete": result.emissions[p].complete}
                        for p in selected(only)}
    if said := record_warnings(result, only):
        out["warnings"] = said
    return out


def error_doc(record: Any, exc: Any) -> dict[str, Any]:
    """Return the output of a record that failed."""
    return {"id": record.id, "record": record.number, "error": {"message": exc.message, "field": exc.where or None}}


def sink_line(sink: LinesSink, record: Any, result: Result, index: int = -1) -> str:
    """Return one record's CSV/TSV line as ``sink`` writes it, the slow way: each number as repr() writes it (row
    ``index`` of the result, or its one value), the cells as csv.writer writes them (the reference a block's text
    must equal), its warnings in the cell before the empty error cell."""
    numbers, method = sink.columns.arrays(result)
    texts = [repr(float(v[max(index, 0)] if getattr(v, "ndim", 0) else v)) for v in numbers]
    head = str(record.id) if type(record.id) is int else sink._id_cell(record.id)
    buf = io.StringIO()
    warned = "; ".join(record_warnings(result, sink.columns.ids))
    csv.writer(buf, delimiter=sink.sep, lineterminator="\n").writerow([record.number, *texts[:5], method, *texts[5:], warned, ""])
    return head + sink.sep + buf.getvalue()
