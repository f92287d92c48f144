"""The one run loop of a batch, written once for every sink (lines.LinesSink for NDJSON, CSV and TSV;
parquet.ParquetSink), with the closing message and exit code."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from emiss.errors import EmissError, printable

EXTENSIONS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv", ".tsv": "tsv", ".ndjson": "ndjson", ".jsonl": "ndjson"}
COMPRESSED = (".gz", ".gzip", ".bz2", ".xz", ".zst", ".zip")  # batch writes plain text: a compressed name would lie


@dataclass
class Outcome:
    """The counts of a batch run."""

    written: int = 0
    failed: int = 0
    stopped: int = 0  # the signal that ended the run early, if any


class _Stop(Exception):
    """A termination signal arrived (its number is the run's ``pending``): finish the block being written, close the
    sink, and stop."""


def output_format(path: str, given: str | None) -> str:
    """Return the output format: ``given`` (ndjson when None), or the one a known extension of ``path`` names.
    Raises ValueError when the two disagree."""
    if path.lower().endswith(COMPRESSED):  # ('-', standard output, ends with no extension)
        raise ValueError(f"--output '{printable(path)}' names a compressed file, but batch writes plain output; "
                         "pipe it instead, e.g. emiss batch ... | gzip > results.csv.gz")
    named = next((f for s, f in EXTENSIONS.items() if path.lower().endswith(s)), None)
    given = "ndjson" if given == "jsonl" else given
    if named and given and named != given:
        raise ValueError(f"--output '{printable(path)}' names a {named} file but the format asked is {given}; give one of them")
    return given or named or "ndjson"


def run(blocks: Iterable[tuple[Any, Any]], sink: Any, *, on_error: Callable[[Any, EmissError], None], strict: bool = False,
        on_progress: Callable[[int], None] | None = None, on_written: Callable[[Any, Any, int], None] | None = None) -> Outcome:
    """Write each block's rows to ``sink`` in order; report each failed row to ``on_error`` (record, error), and
    each block to ``on_written`` (block, outcomes, rows written: its warnings are said there); stop cleanly on
    SIGTERM, SIGHUP or SIGINT (a Parquet file gets its footer), or with ``strict`` after the first failed row;
    close the sink; return the counts.

    A signal that arrives while a block is written (or the sink closed) waits until that is done, so the count of
    rows written is what the sink holds."""
    outcome = Outcome()
    state = {"writing": False, "closing": False, "pending": 0}

    def handler(signum: int, _frame: Any) -> None:
        if state["writing"] or state["closing"]:
            state["pending"] = state["pending"] or signum
        else:
            state["pending"], state["closing"] = signum, True  # one stop only: a later signal waits for the sink to close
            raise _Stop

    previous = {}
    failing = True
    try:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT) + ((signal.SIGHUP,) if hasattr(signal, "SIGHUP") else ()):
                previous[sig] = signal.signal(sig, handler)
        for block, outcomes in blocks:
            state["writing"] = True
            try:  # the rows are counted with the write: a signal cannot fall between them
                rows, errors = sink.write(block, outcomes, strict)
                outcome.written += rows
                outcome.failed += len(errors)
            finally:
                state["writing"] = False
            for i in sorted(errors):
                on_error(block.record(i), errors[i])
            if on_written is not None:
                on_written(block, outcomes, rows)
            if state["pending"]:
                state["closing"] = True
                raise _Stop
            if on_progress is not None and rows:
                on_progress(block.numbers[rows - 1])
            if strict and errors:
                break
        failing = False
    except _Stop:
        failing = False
    finally:
        state["closing"] = True  # from here a signal only waits: the sink is closed whole
        try:
            sink.close(failing)
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old)
    outcome.stopped = state["pending"]
    return outcome


def summary(outcome: Outcome, seconds: float, warned: int = 0) -> str:
    """Return the one-line account of a run: records read, results written, errors, records with warnings (when
    any), seconds."""
    results = outcome.written - outcome.failed
    return (f"batch: {outcome.written:,} record(s), {results:,} result(s), {outcome.failed:,} error(s)"
            + (f", {warned:,} with warnings" if warned else "") + f" in {seconds:.2f} s" + (" (stopped early)" if outcome.stopped else ""))


def ending(outcome: Outcome, strict: bool) -> tuple[int, str]:
    """Return the exit code and closing message of a batch run."""
    if outcome.stopped:
        return 128 + outcome.stopped, f"stopped by signal {outcome.stopped} after {outcome.written} record(s); everything before was written"
    if strict and outcome.failed:
        return 1, f"stopped at the first bad record (--strict), after {outcome.written} record(s)"
    if outcome.written == 0:
        return 1, "batch: the input has no records"
    if outcome.failed:
        return 1, f"batch: {outcome.failed} of {outcome.written} record(s) failed (see the messages above)"
    return 0, ""
