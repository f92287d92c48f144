"""The batch command: many scenarios from NDJSON, CSV or Parquet, one result per record."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from typing import Any, Iterator

import click

from emiss.errors import EmissError, printable

from emiss.cli.app import (
    CliError, _error, _isatty, _quiet_pipe, cli, format_option, mass_unit_option, only_option, overrides_from,
    scenario_options,
)


@cli.command()
@scenario_options()
@click.option("--input", "input_path", default="-", metavar="FILE", help="Records to read (default: standard input); NDJSON, a JSON array, CSV or TSV, plain, UTF-16 or gzip.")
@click.option("--input-format", type=click.Choice(["auto", "ndjson", "jsonl", "csv", "tsv"]), default="auto", show_default=True,
              help="Format of the records; auto looks at the first line.")
@format_option("ndjson", "jsonl", "csv", "tsv", "parquet", default="ndjson")
@click.option("--output-format", "output_format", type=click.Choice(["ndjson", "jsonl", "csv", "tsv", "parquet"]),
              help="The same as --format (the name data tools expect).")
@click.option("--output", "output_path", default="-", metavar="FILE", help="Where to write the results (default: standard output; Parquet needs a file).")
@only_option
@mass_unit_option
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of reporting it and going on.")
@click.option("--echo", is_flag=True, help="Add each record's inputs to its result (NDJSON 'input'; CSV column 'input').")
@click.option("--flags", is_flag=True, help="Add whether each result crosses a threshold set (above.title_v, above.psd, above.hap).")
def batch(input_path: str, input_format: str, fmt: str, output_format: str | None, output_path: str, only: list[str] | None,
          strict: bool, echo: bool, flags: bool, **kw: Any) -> None:
    """Estimate many scenarios, one per input record (NDJSON or CSV), streaming one result per record.

    Each record overrides the base scenario (the options here, e.g. --preset) with fields named like the
    estimate options: turbines, capacity, heat_rate, capacity_factor, hours, control, factor.nox (or
    {"factor": {"nox": ...}}), household_use, ... and preset. An id field passes through. A bad record
    is reported on stderr with its number (and, in NDJSON output, as an "error" object); the others are
    still written, and the exit code is 1 at the end. SIGTERM, SIGHUP or Ctrl-C end the run after the
    line being written, with everything before it flushed.

    \b
    Examples:
      emiss batch --preset memphis < examples/scenarios.ndjson > results.ndjson
      emiss batch --input units.csv --format csv
      python examples/make_scenarios.py | emiss batch --format ndjson | jq -c 'select(.emissions.nox.value > 100)'
      printf '{"id":"a","turbines":4,"capacity":"16 MW"}\\n' | emiss batch --heat-rate "9695 Btu/kWh"
    """
    if output_format is not None:
        if fmt != "ndjson" and fmt != output_format:
            raise CliError("give --format or --output-format, not both", 2)
        fmt = output_format
    fmt = "ndjson" if fmt == "jsonl" else fmt
    if fmt == "parquet" and output_path == "-":
        raise CliError("--output-format parquet needs --output FILE (Parquet is not a stream)", 2)
    with _few_collections():
        _batch(input_path, input_format, fmt, output_path, only, strict, echo, flags, kw)


def _batch(input_path: str, input_format: str, fmt: str, output_path: str, only: list[str] | None, strict: bool,
           echo: bool, flags: bool, kw: dict[str, Any]) -> None:
    from emiss.batch import stream as b
    from emiss.report import document as doc
    from emiss.report import render
    from emiss.core.model import Spec
    from emiss.inputs.presets import load
    from emiss.inputs.scenario import mass_unit_name

    from emiss.batch.columnar import Engine

    preset = kw.get("preset")
    runner = b.Runner(load(preset) if preset is not None else Spec(), overrides_from(kw))
    stream = _input_stream(input_path)
    mass = mass_unit_name(kw.get("mass_unit"))
    if fmt == "parquet":
        if echo or flags:
            raise CliError("--echo and --flags go with ndjson, csv or tsv output", 2)
        _batch_parquet(runner, stream, input_format, output_path, only, mass, strict)
        return
    out = _buffered_stdout() if output_path == "-" else _output_file(output_path)
    lines = render.BatchLines(fmt, only, mass, echo=echo, flags=flags)
    columns = lines.fields
    if fmt != "ndjson":
        out.write(render.BatchLines.header(columns, fmt))

    def on_error(record: Any, exc: EmissError) -> str:
        _error(doc.error_text(record, exc))
        if fmt == "ndjson":
            return render.json_line(doc.error_doc(record, exc))
        buf = io.StringIO()
        render.write_rows([{"id": record.id, "record": record.number, "error": doc.error_text(record, exc)}], buf, fmt,
                          columns, header=False)
        return buf.getvalue()

    progress = _progress(input_path, stream)
    engine = Engine(runner)
    try:
        threaded = not _regular_file(stream)  # a pipe is read by a thread, so records are estimated as they come
        outcome = b.process(engine.chunks(b.read_records(stream, input_format, lazy=True), threaded=threaded),
                            texts=lines.texts, on_error=on_error,
                            write=out.writelines, flush=out.flush, strict=strict, on_progress=progress.tick if progress else None)
    except BrokenPipeError:  # a reader such as head closed the pipe: end quietly, without waiting on the input
        _quiet_pipe()
        os._exit(0)
    finally:
        if progress:
            progress.close()
    if engine.reading():  # stopped before the input ended: the reader thread still waits on it, so leave at once
        code, message = _batch_end(outcome, strict)
        if message:
            _error(message, prefix="" if outcome.stopped else "Error: ")
        for stream_ in (out, sys.stdout, sys.stderr):
            try:
                stream_.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    code, message = _batch_end(outcome, strict)
    if outcome.stopped:
        _error(message, prefix="")
        sys.exit(code)
    if code:
        raise CliError(message, code)


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Tune Python's cycle collector for a batch run. A block of 8,192 records makes some 100,000 short-lived
    objects with no cycles, and at the default threshold (700 allocations) the collector ran about 290 times per
    100,000 records, taking ~0.15 s of a ~1.9 s run on the development machine (measured with gc.callbacks).
    Modules already imported are frozen out of its scans; it runs every 20,000 allocations: ~60 runs, ~0.02 s.
    Cycles are still collected, so memory stays flat."""
    import gc

    before = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0  # a program that froze objects itself keeps them frozen as it chose
    if freeze:
        gc.freeze()
    gc.set_threshold(20_000, 10, 10)
    try:
        yield
    finally:  # as it was (the CLI may be called in-process, e.g. by tests)
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()


def _batch_end(outcome: Any, strict: bool) -> tuple[int, str]:
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


def _output_file(path: str) -> Any:
    try:
        return open(path, "w", buffering=1 << 16, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise CliError(f"--output: cannot write '{printable(path)}' ({exc.strerror or exc})", 1) from None


def _batch_parquet(runner: Any, stream: Any, input_format: str, path: str, only: Any, mass: str, strict: bool) -> None:
    """Write batch results to a Parquet file, chunk by chunk (pyarrow, the 'parquet' extra)."""
    from emiss.batch import stream as b
    from emiss.report import render
    from emiss.batch.behind import Behind
    from emiss.batch.columnar import Engine

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise CliError("--output-format parquet needs pyarrow: pip install 'emiss[parquet]'", 1) from None
    encoder = render.BatchLines("values", only, mass)
    names = encoder.fields
    types = [pa.string(), pa.int64()] + [pa.float64()] * 5 + [pa.string()] + [pa.float64()] * (len(names) - 9) + [pa.string()]
    schema = pa.schema(list(zip(names, types)))
    failed = written = 0
    try:
        # ids are mostly distinct (no dictionary); the numbers are full-precision doubles that snappy does not
        # shrink, so they are stored plain, which halves the writing time for the same file size
        writer = pq.ParquetWriter(path, schema, use_dictionary=["households_method", "error"],
                                  compression={n: "NONE" if t == pa.float64() else "SNAPPY" for n, t in zip(names, types)})
    except OSError as exc:
        raise CliError(f"--output: cannot write '{printable(path)}' ({exc.strerror or exc})", 1) from None
    behind = Behind(writer.write_table)
    pending: list[Any] = []  # blocks of NDJSON or CSV rows (8,192) gathered into row groups of b.TABLE_ROWS
    with writer:
        try:
            for block, outcomes in Engine(runner).tables(b.read_records(stream, input_format, lazy=True, tables=True)):
                behind.check()  # a write that failed ends the run here, not a row group later
                table, errors = _parquet_table(encoder, schema, block, outcomes, strict)
                pending.append(table)
                if sum(map(len, pending)) >= b.TABLE_ROWS:
                    behind.put(pa.concat_tables(pending))
                    pending = []
                written += len(table)
                failed += len(errors)
                if strict and failed:
                    break
            if pending:
                behind.put(pa.concat_tables(pending))
        except BaseException:
            behind.close(raise_errors=False)  # the writes handed over end before the file closes; this error is the one to say
            raise
        behind.close()
    if written == 0:
        raise CliError("batch: the input has no records", 1)
    if strict and failed:
        raise CliError(f"stopped at the first bad record (--strict), after {written} record(s)", 1)
    if failed:
        raise CliError(f"batch: {failed} of {written} record(s) failed (see the messages above)", 1)


def _parquet_table(encoder: Any, schema: Any, block: Any, outcomes: Any, strict: bool = False) -> tuple[Any, dict[int, Any]]:
    """Return a block's results as one Arrow table of ``schema`` and the failed rows' errors (each said on
    stderr; a failed row keeps its id and record number, its numbers are null and 'error' says why). With
    ``strict``, the table ends at the first failed row, as the NDJSON and CSV output do."""
    from emiss.batch import arrowcols
    from emiss.report import document as doc

    import numpy as np
    import pyarrow as pa

    values, method, errors = encoder.block(block.n, outcomes)
    if strict and errors:
        first = min(errors)
        errors = {first: errors[first]}
    texts: list[Any] = [None] * block.n
    for i, exc in errors.items():
        texts[i] = doc.error_text(block.record(i), exc)
        _error(texts[i])
    failed_rows = np.isnan(values[0]) if errors else None
    numbers = [arrowcols.floats(pa, v, failed_rows) for v in values]
    if block.n and not errors and method.count(method[0]) == block.n:  # one households method for the block
        how = arrowcols.same_text(pa, method[0], block.n)
    else:
        how = arrowcols.texts(pa, method)
    counted = block.numbers  # a range for a Table (the usual case): the record numbers without a Python loop
    record = np.arange(counted.start, counted.stop) if isinstance(counted, range) else np.fromiter(counted, np.int64, block.n)
    columns = [arrowcols.ids(pa, block), arrowcols.integers(pa, record), *numbers[:5],
               how, *numbers[5:], arrowcols.texts(pa, texts) if errors else pa.nulls(block.n, pa.string())]
    table = pa.Table.from_arrays(columns, schema=schema)
    return (table.slice(0, min(errors) + 1) if strict and errors else table), errors


def _regular_file(stream: Any) -> bool:
    """Return whether ``stream`` is a regular file (reading it never waits on a producer)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _input_stream(path: str) -> Any:
    if path == "-":
        if sys.stdin is None:
            raise CliError("--input: standard input is closed; give --input FILE", 1)
        try:
            sys.stdin.fileno()
            return sys.stdin.buffer
        except (OSError, ValueError, AttributeError):
            return getattr(sys.stdin, "buffer", sys.stdin)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"--input: cannot read '{printable(path)}' ({exc.strerror or exc})", 1) from None


def _buffered_stdout() -> Any:
    """Return a block-buffered writer on stdout (even under PYTHONUNBUFFERED); sys.stdout where there is no fd."""
    if sys.stdout is None:
        raise CliError("standard output is closed; nothing could be written", 1)
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return sys.stdout
    if os.isatty(fd):
        return sys.stdout
    sys.stdout.flush()
    return open(fd, "w", buffering=1 << 16, encoding="utf-8", errors="replace", newline="\n", closefd=False)


def _progress(path: str, stream: Any) -> Any:
    """Return a progress bar on stderr when stderr is a terminal, else None."""
    if not _isatty(sys.stderr):
        return None
    from emiss.report.render import Progress

    size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else 0
    return Progress(size, stream.tell)

