"""The batch command: many scenarios from NDJSON, CSV or Parquet, one result per record."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
from typing import Any, Iterator

import click

from emiss.errors import printable

from emiss.cli.app import (
    CliError, _error, _isatty, _quiet_pipe, cli, format_option, mass_unit_option, only_option, overrides_from,
    scenario_options,
)


@contextlib.contextmanager
def _start_frozen() -> Iterator[None]:
    """Keep what start-up made out of the cycle collector's scans for a batch run. A block of 8,192 records makes some
    100,000 short-lived objects with no cycles; at Python's default threshold (700 allocations) the collector ran about
    290 times per 100,000 records, ~0.15 s of a ~1.9 s run on the development machine (measured with gc.callbacks).
    emiss.cli.main already runs it every START_GC_THRESHOLD (20,000) allocations (~60 runs, ~0.02 s); here the modules
    imported are frozen too, so those runs do not scan them. Cycles are still collected, so memory stays flat."""
    import gc

    freeze = gc.get_freeze_count() == 0  # a program that froze objects itself keeps them frozen as it chose
    if freeze:
        gc.freeze()
    try:
        yield
    finally:  # as it was (the CLI may be called in-process, e.g. by tests)
        if freeze:
            gc.unfreeze()


@cli.command()
@scenario_options()
@click.option("--input", "input_path", default="-", metavar="FILE", help="Records to read (default: standard input); NDJSON, a JSON array, CSV or TSV, plain, UTF-16 or gzip.")
@click.option("--input-format", type=click.Choice(["auto", "ndjson", "jsonl", "csv", "tsv"]), default="auto", show_default=True,
              help="Format of the records; auto looks at the first line.")
@format_option("ndjson", "jsonl", "csv", "tsv", "parquet", default="ndjson")
@click.option("--output-format", "output_format", type=click.Choice(["ndjson", "jsonl", "csv", "tsv", "parquet"]),
              help="The same as --format (the name data tools expect).")
@click.option("--output", "output_path", default="-", metavar="FILE",
              help="Where to write the results (default: standard output; Parquet needs a file). Without a format, a "
                   ".parquet, .csv, .tsv, .ndjson or .jsonl name gives it.")
@click.option("--preset-dir", "preset_dir", metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="A folder whose preset files records may name (without it, records name shipped presets only).")
@only_option
@mass_unit_option
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of reporting it and going on.")
@click.option("--echo", is_flag=True, help="Add each record's inputs to its result (NDJSON 'input'; CSV column 'input').")
@click.option("--flags", is_flag=True, help="Add whether each result crosses a threshold set (above.title_v, above.psd, above.hap), as estimate's "
                   "screening judges it: the operation the record gives, as enforceable limits cap it; and the same at its "
                   "potential to emit (above_at_potential.*: every hour of the year, as the limits cap it, since fewer hours "
                   "are not an enforceable limit; unknown (null) at part load where the operation given crosses nothing).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no closing summary line on stderr (bad records, errors and warnings are still reported).")
@click.pass_context
@_start_frozen()
def batch(ctx: click.Context, input_path: str, input_format: str, fmt: str, output_format: str | None, output_path: str,
          preset_dir: str | None, only: list[str] | None, strict: bool, echo: bool, flags: bool, quiet: bool, **kw: Any) -> None:
    """Estimate many scenarios, one per input record (NDJSON, CSV or Parquet), streaming one result per record.

    Each record overrides the base scenario (the options here, e.g. --preset) with fields named like the
    estimate options: turbines, capacity, heat_rate, capacity_factor, hours, control, factor.nox (or
    {"factor": {"nox": ...}}), household_use, ... and preset (a shipped preset, or a file under
    --preset-dir). An id field passes through. A bad record is reported on stderr with its number (and, in
    NDJSON output, as an "error" object); the others are still written, and the exit code is 1 at the end. What a
    single estimate of a record would warn of goes with its result ('warnings', a key in NDJSON, a column in CSV,
    TSV and Parquet) and on stderr.
    SIGTERM, SIGHUP or Ctrl-C end the run after the block being written, with everything before it written.

    \b
    Examples:
      emiss batch --preset memphis < examples/scenarios.ndjson > results.ndjson
      emiss batch --input units.csv --format csv
      python examples/make_scenarios.py | emiss batch --format ndjson | jq -c 'select(.emissions.nox.value > 100)'
      printf '{"id":"a","turbines":4,"capacity":"16 MW"}\\n' | emiss batch --heat-rate "9695 Btu/kWh"
    """
    import time

    from emiss.batch.run import output_format as format_of

    started = time.perf_counter()
    given = fmt if ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT else None
    if output_format is not None:
        if given is not None and given != output_format:
            raise CliError("give --format or --output-format, not both", 2)
        given = output_format
    try:
        fmt = format_of(output_path, given)
    except ValueError as exc:
        raise CliError(str(exc), 2) from None
    if fmt == "parquet" and output_path == "-":
        raise CliError("--output-format parquet needs --output FILE (Parquet is not a stream)", 2)
    if fmt == "parquet" and (echo or flags):
        raise CliError("--echo and --flags go with ndjson, csv or tsv output", 2)
    from emiss.batch.columnar import Engine
    from emiss.batch.read import read_records
    from emiss.batch.records import error_text
    from emiss.batch.results import ResultColumns
    from emiss.batch.run import ending, run, summary
    from emiss.core.model import Spec
    from emiss.inputs.presets import load
    from emiss.inputs.scenario import mass_unit_name

    preset = kw.get("preset")
    engine = Engine(load(preset) if preset is not None else Spec(), overrides_from(kw), preset_dir)
    stream = _input_stream(input_path)
    columns = ResultColumns(only, mass_unit_name(kw.get("mass_unit")), flags=flags, echo=echo)
    if fmt == "parquet":
        from emiss.batch.parquet import ParquetSink

        sink: Any = ParquetSink(output_path, columns)
    else:
        from emiss.batch.lines import LinesSink

        sink = LinesSink(_text_output(output_path), fmt, columns)
    progress = None if quiet else _progress(input_path, stream)
    warned = _Warnings(columns)
    try:
        threaded = not _regular_file(stream)  # a pipe is read by a thread, so records are estimated as they come
        outcome = run(engine.chunks(read_records(stream, input_format), threaded=threaded), sink, strict=strict,
                      on_error=lambda record, exc: _error(error_text(record, exc)), on_progress=progress.tick if progress else None,
                      on_written=warned)
    except BrokenPipeError:  # a reader such as head closed the pipe: end quietly, without waiting on the input
        _quiet_pipe()
        os._exit(0)
    finally:
        if progress:
            progress.close()
    code, message = ending(outcome, strict)
    if warned.hidden:
        _error(f"batch: {warned.hidden:,} more warning(s) not shown; {warned.rows:,} record(s) have warnings in all"
               + " (each result carries its record's, under 'warnings')",
               prefix="")
    if not quiet:  # one closing line on stderr (stdout stays the results only)
        _error(summary(outcome, time.perf_counter() - started, warned.rows), prefix="")
    if message:
        _error(message, prefix="" if outcome.stopped else "Error: ")
    if engine.reading():  # stopped before the input ended: the reader thread still waits on it, so leave at once
        for stream_ in (sys.stdout, sys.stderr):
            try:
                stream_.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    if code:
        sys.exit(code)


SHOWN_WARNINGS = 20  # distinct warnings said on stderr, each once with the first record that has it (emiss's choice:
# a screenful; a run whose every record warns would otherwise bury its errors)


class _Warnings:
    """Say each distinct warning of a batch's records once on stderr, with the first record that has it, up to
    SHOWN_WARNINGS of them; count the rest and the records with any (run's on_written)."""

    def __init__(self, columns: Any) -> None:
        self.columns = columns
        self.seen: set[str] = set()
        self.rows = self.hidden = 0

    def __call__(self, block: Any, outcomes: Any, written: int) -> None:
        from emiss.batch.records import error_text
        from emiss.errors import InputError

        for i, texts in self.columns.notes(outcomes).items():
            if i >= written or i in outcomes.errors:
                continue
            self.rows += 1
            for text in texts:
                if text in self.seen:
                    continue
                self.seen.add(text)
                if len(self.seen) > SHOWN_WARNINGS:
                    self.hidden += 1
                else:
                    _error(error_text(block.record(i), InputError(text)), prefix="Warning: ")


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
        return getattr(sys.stdin, "buffer", sys.stdin)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"--input: cannot read '{printable(path)}' ({exc.strerror or exc})", 1) from None


def _text_output(path: str) -> Any:
    """Return a block-buffered writer on the file ``path``, or for '-' on stdout (even under PYTHONUNBUFFERED;
    sys.stdout itself where there is no fd, or a terminal)."""
    if path != "-":
        try:
            return open(path, "w", buffering=1 << 16, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise CliError(f"--output: cannot write '{printable(path)}' ({exc.strerror or exc})", 1) from None
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

