"""The command line: parse options, call the library, print through the renderers. The only click user."""

from __future__ import annotations

import io
import json
import os
import sys
from typing import Any, Callable

import click

from . import __version__
from .errors import EmissError, printable

FLUSH_SECONDS = 0.25  # batch output reaches a pipe at least this often, even from a slow producer
FORMATS = ("table", "json", "csv", "tsv", "ndjson", "markdown", "value", "methods")
POLLUTANT_IDS = ("nox", "co", "voc", "pm", "so2", "hcho", "hap", "co2", "ch4", "n2o", "co2e")


class CliError(click.ClickException):
    """A one-line error with the exit code of the library error behind it."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class EmissGroup(click.Group):
    """A group that prints every error as one line on stderr and ends quietly on a closed pipe."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - click's signature
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message(), err=True)  # a command is missing: show the help, not an error line
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {printable(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt):
            click.echo("Aborted.", err=True)
            sys.exit(130)  # 128 + SIGINT, the shell convention for an interrupted command
        except BrokenPipeError:
            _quiet_pipe()
            sys.exit(0)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a reader that closed the pipe early (e.g. head) ends the run quietly, exit 0."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _quiet_pipe()
            raise click.exceptions.Exit(0) from None


def _quiet_pipe() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(fn: Callable[[], Any]) -> Any:
    """Call ``fn``, turning the library's errors into one-line CLI errors."""
    try:
        return fn()
    except EmissError as exc:
        raise CliError(str(exc), exc.exit_code) from None


def emit(text: str) -> None:
    """Write finished output to stdout in one piece."""
    sys.stdout.write(text)
    sys.stdout.flush()


def parse_factor_options(values: tuple[str, ...]) -> dict[str, str]:
    """Turn repeated POLLUTANT=QTY options into override keys."""
    out: dict[str, str] = {}
    for item in values:
        pol, sep, qty = item.partition("=")
        pol = pol.strip().lower()
        if not sep or not qty.strip():
            raise CliError(f"--factor: '{item}' must look like POLLUTANT=QTY, e.g. nox=\"2 ppmvd@15%O2\"", 2)
        if pol not in POLLUTANT_IDS:
            raise CliError(f"--factor: unknown pollutant '{pol}'; known: {', '.join(POLLUTANT_IDS)}", 2)
        out[f"factor.{pol}"] = qty.strip()
    return out


def parse_only(value: str | None) -> list[str] | None:
    """Turn --only nox,co into a list of pollutant ids."""
    if not value:
        return None
    ids = [v.strip().lower() for v in value.split(",") if v.strip()]
    for p in ids:
        if p not in POLLUTANT_IDS:
            raise CliError(f"--only: unknown pollutant '{p}'; known: {', '.join(POLLUTANT_IDS)}", 2)
    return ids


def parse_limits(values: tuple[str, ...]) -> list[tuple[str, float, float, str]]:
    """Read --fail-above POLLUTANT=QTY items: (pollutant, limit in lb/yr, factor to the shown unit, shown unit)."""
    from .units import convert

    out = []
    for item in values:
        pol, sep, qty = item.partition("=")
        pol, qty = pol.strip().lower(), qty.strip()
        if not sep or not qty or pol not in POLLUTANT_IDS:
            raise CliError(f"--fail-above: '{item}' must look like POLLUTANT=QTY with a pollutant id, e.g. nox=100", 2)
        unit = "short_ton/year"
        try:
            float(qty)
            qty = f"{qty} {unit}"
        except ValueError:
            unit = qty.split(None, 1)[1] if " " in qty else unit
        lb = run(lambda q=qty: convert(q, "lb/year", where="--fail-above", expect="a mass per year such as '100 short_ton/year'"))
        per = run(lambda u=unit: convert(f"1 {u}", "lb/year", where="--fail-above", expect="a mass per year"))
        out.append((pol, lb, 1 / per, unit))
    return out


def _side_files(result: Any, ids: list[str] | None, spread: Any, manifest_path: str | None, svg_path: str | None,
                html_path: str | None) -> None:
    """Write the optional manifest, SVG and HTML files; a file that cannot be written is a one-line error."""
    try:
        if manifest_path:
            from .render import write_json
            from .report import manifest

            with open(manifest_path, "w", encoding="utf-8") as fh:
                write_json(manifest(result), fh)
        if svg_path or html_path:
            from .render import export

            export(result, svg=svg_path, html=html_path, only=ids, spread=spread)
    except OSError as exc:
        raise CliError(f"cannot write '{exc.filename}': {exc.strerror}", 1) from None


def scenario_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that describe a scenario (shared by every command that estimates)."""
    options = [
        click.option("--preset", metavar="NAME|PATH", help="A shipped preset (e.g. memphis) or a path to a .toml file."),
        click.option("--turbine-model", metavar="ID", help="A unit from 'emiss catalog' (e.g. smt-130): its capacity, heat rate and NOx/CO levels; needs --turbines."),
        click.option("--turbines", metavar="N", help="Number of identical units; with --capacity replaces the preset's fleet."),
        click.option("--capacity", metavar="QTY", help="Rated capacity per unit, e.g. '16.5 MW' or '2500 kW'."),
        click.option("--heat-rate", metavar="QTY", help="Heat rate, e.g. '9695 Btu/kWh', or an efficiency such as '35%'."),
        click.option("--heat-rate-basis", type=click.Choice(["lhv", "hhv"]), help="Basis of the heat rate (default lhv, as makers quote it)."),
        click.option("--capacity-factor", metavar="X", help="Fraction of the year at full load: 0.85 or '85%'."),
        click.option("--hours", metavar="QTY", help="Full-load operating hours per year, at most 8760 (e.g. 5000 or '5000 h')."),
        click.option("--control", type=click.Choice(["uncontrolled", "water-steam", "lean-premix"]), help="AP-42 Table 3.1-1 control level for turbines."),
        click.option("--factor", "factors", multiple=True, metavar="POLLUTANT=QTY", help="Emission factor, e.g. nox='2 ppmvd@15%O2', co2='53.06 kg/MMBtu', nox='0.3 lb/MWh'. Repeatable; applies to every unit. Numbers may be ranges: LOW..HIGH or LOW..MODE..HIGH."),
        click.option("--household-use", metavar="QTY", help="Electricity use per home per year (energy view), e.g. '10791 kWh/yr'."),
        click.option("--household-demand", metavar="QTY", help="Capacity per home (capacity view), e.g. '2 kW'."),
        click.option("--households-method", type=click.Choice(["energy", "capacity"]), help="Which household figure is the headline."),
        click.option("--hhv-lhv", metavar="X", help="HHV/LHV ratio of the fuel (default 1.108)."),
        click.option("--gwp", type=click.Choice(["AR4", "AR5", "AR6"], case_sensitive=False), help="GWP-100 set for co2e (default AR5)."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


def overrides_from(kw: dict[str, Any]) -> dict[str, Any]:
    """Collect the scenario options a command received into override keys."""
    from .scenario import OVERRIDE_KEYS

    out = {k: kw.get(k) for k in OVERRIDE_KEYS if kw.get(k) is not None}
    out.update(parse_factor_options(kw.get("factors") or ()))
    return out


@click.group(cls=EmissGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="emiss", message="%(prog)s %(version)s")
def cli() -> None:
    """Estimate the emissions of on-site gas turbines and engines, with every assumption and source shown.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
    """


@cli.command()
@scenario_options
@click.option("--only", metavar="POLLUTANT[,POLLUTANT...]", help=f"Show only these pollutants ({', '.join(POLLUTANT_IDS)}).")
@click.option("--mass-unit", metavar="UNIT", help="Mass unit for emissions in machine formats (default short_ton; e.g. metric_ton, lb, kg).")
@click.option("--fail-above", multiple=True, metavar="POLLUTANT=QTY", help="Exit 3 if a pollutant's annual emissions exceed QTY (default unit short tons/yr), e.g. nox=100.")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE", help="Also write the run manifest (versions, inputs and their hash) as JSON to FILE.")
@click.option("--svg", "svg_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE", help="Also save the tables as an SVG image.")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, writable=True), metavar="FILE", help="Also save the tables as an HTML page.")
@click.option("--samples", type=int, metavar="N", help="Monte Carlo: sample every uncertain input N times and report P5/P50/P95.")
@click.option("--seed", type=int, metavar="S", help="Random seed for --samples (same seed, same percentiles).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format.")
def estimate(fmt: str, only: str | None, samples: int | None, seed: int | None, fail_above: tuple[str, ...],
             manifest_path: str | None, svg_path: str | None, html_path: str | None, **kw: Any) -> None:
    """Estimate annual emissions, energy, fuel and households for a fleet.

    \b
    Examples:
      emiss estimate --preset memphis
      emiss estimate --preset memphis --format json | jq .emissions.nox
      emiss estimate --turbines 15 --capacity "16.5 MW" --heat-rate "9695 Btu/kWh" --factor nox="2 ppmvd@15%O2"
      nox=$(emiss estimate --preset memphis --only nox --format value)
      emiss estimate --preset memphis --capacity-factor 60% --format csv
      emiss estimate --preset memphis --samples 100000 --seed 1     # P5/P50/P95 from the preset's ranges
      emiss estimate --preset memphis --capacity-factor 0.6..1.0 --samples 10000
      emiss estimate --preset memphis --format methods       # a paragraph to paste, and the NOx arithmetic
      emiss estimate --preset memphis --fail-above nox=100; echo $?   # 3 when crossed
      emiss estimate --preset memphis --html report.html --svg report.svg --manifest run.json
    """
    ids = parse_only(only)
    limits = parse_limits(fail_above)
    if fmt == "value" and (not ids or len(ids) != 1):
        raise CliError("--format value needs exactly one pollutant in --only, e.g. --only nox", 2)
    overrides = overrides_from(kw)
    from .calc import estimate as compute
    from .render import write
    from .scenario import scenario_from

    scenario = run(lambda: scenario_from(kw.get("preset"), overrides))
    result = run(lambda: compute(scenario))
    spread = None
    if samples is not None:
        from .vary import monte_carlo

        spread = run(lambda: monte_carlo(scenario, samples, seed))
    buf = io.StringIO()
    run(lambda: write(result, fmt, buf, only=ids, color=None if sys.stdout.isatty() else False, spread=spread))
    _side_files(result, ids, spread, manifest_path, svg_path, html_path)
    emit(buf.getvalue())
    crossed = [f"{p} {result.emissions[p].lb_per_year * per:,.4g} {unit} is above {limit * per:,.4g}"
               for p, limit, per, unit in limits if result.emissions[p].lb_per_year > limit]
    if crossed:
        raise CliError("--fail-above: " + "; ".join(crossed), 3)




@cli.command()
@scenario_options
@click.option("--input", "input_path", type=click.Path(dir_okay=False, allow_dash=True), default="-", metavar="FILE",
              help="Records to read (default: standard input).")
@click.option("--input-format", type=click.Choice(["auto", "ndjson", "csv", "tsv"]), default="auto", show_default=True,
              help="Format of the records; auto looks at the first line.")
@click.option("--format", "fmt", type=click.Choice(["ndjson", "csv", "tsv"]), default="ndjson", show_default=True,
              help="Output format: one result per record, written as it is computed.")
@click.option("--only", metavar="POLLUTANT[,POLLUTANT...]", help="Report only these pollutants.")
@click.option("--mass-unit", metavar="UNIT", help="Mass unit for emissions (default short_ton).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of reporting it and going on.")
def batch(input_path: str, input_format: str, fmt: str, only: str | None, strict: bool, **kw: Any) -> None:
    """Estimate many scenarios, one per input record (NDJSON or CSV), streaming one result per record.

    Each record overrides the base scenario (the options here, e.g. --preset) with fields named like the
    estimate options: turbines, capacity, heat_rate, capacity_factor, hours, control, factor.nox (or
    {"factor": {"nox": ...}}), household_use, ... and preset. An id field passes through. A bad record
    is reported on stderr with its number (and, in NDJSON output, as an "error" object); the others are
    still written, and the exit code is 1 at the end.

    \b
    Examples:
      emiss batch --preset memphis < scenarios.ndjson > results.ndjson
      emiss batch --input units.csv --format csv
      python make_scenarios.py | emiss batch --format ndjson | jq -c 'select(.emissions.nox.value > 100)'
      printf '{"id":"a","turbines":4,"capacity":"16 MW"}\n' | emiss batch --heat-rate "9695 Btu/kWh"
    """
    from . import batch as b
    from .presets import Spec, load
    from .render import write_rows
    from .scenario import mass_unit_name

    ids = parse_only(only)
    overrides = overrides_from(kw)
    preset = kw.get("preset")
    base = run(lambda: load(preset) if preset else Spec())
    runner = run(lambda: b.Runner(base, overrides))
    lines = b.LineCache(ids)
    stream = sys.stdin.buffer if input_path == "-" else _open_input(input_path)
    out = _buffered_stdout()
    progress = _Progress(input_path) if sys.stderr.isatty() else None
    failed = written = 0
    fields: list[str] | None = None
    interactive = out.isatty()
    import time

    last_flush = time.monotonic()
    try:
        for record in run(lambda: b.read_records(stream, input_format)):
            try:
                result = runner.run(record)
            except EmissError as exc:
                failed += 1
                click.echo(f"Error: {printable(b.error_text(record, exc))}", err=True)
                if fmt == "ndjson":
                    out.write(json.dumps(b.error_record(record, exc), ensure_ascii=False) + "\n")
                else:
                    fields = fields or b.flat_fields(ids, mass_unit_name(kw.get("mass_unit")))
                    if not written:
                        write_rows([], out, fmt, fields)
                    write_rows([{"id": record.id, "record": record.number, "error": b.error_text(record, exc)}], out, fmt, fields, header=False)
                written += 1
                if strict:
                    raise CliError(f"stopped at record {record.number} (--strict)", 1) from None
                continue
            if fmt == "ndjson":
                out.write(lines.line(record, result))
            else:
                doc = b.result_record(record, result, ids)
                mass = result.scenario.mass_unit
                fields = fields or b.flat_fields(ids, mass)
                write_rows([b.flat_row(doc, mass)], out, fmt, fields, header=not written)
            written += 1
            now = time.monotonic()
            if interactive or now - last_flush > FLUSH_SECONDS:
                out.flush()
                last_flush = now
            if progress:
                progress.tick(record.number, stream)
    finally:
        if progress:
            progress.done()
    out.flush()
    if written == 0 and failed == 0:
        raise CliError("batch: the input has no records", 1)
    if failed:
        raise CliError(f"batch: {failed} of {written} record(s) failed (see the messages above)", 1)


def _buffered_stdout() -> Any:
    """Return a block-buffered writer on stdout (even under PYTHONUNBUFFERED); sys.stdout where there is no fd."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return sys.stdout
    if os.isatty(fd):
        return sys.stdout
    sys.stdout.flush()
    return open(fd, "w", buffering=1 << 16, encoding="utf-8", newline="\n", closefd=False)


def _open_input(path: str) -> Any:
    try:
        return open(path, "rb")
    except OSError as exc:
        raise CliError(f"--input: cannot read '{path}' ({exc.strerror})", 1) from None


class _Progress:
    """A one-line progress counter on stderr (only when stderr is a terminal)."""

    def __init__(self, path: str) -> None:
        import time

        self.start = self.last = time.monotonic()
        self.size = os.path.getsize(path) if path != "-" and os.path.isfile(path) else 0
        self.shown = False

    def tick(self, n: int, stream: Any = None) -> None:
        import time

        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        rate = n / max(now - self.start, 1e-9)
        bar = ""
        if self.size and stream is not None:
            try:
                done = min(stream.tell() / self.size, 1.0)
                bar = f"[{'#' * int(done * 30):<30}] {done:4.0%} "
            except (OSError, ValueError):
                bar = ""
        sys.stderr.write(f"\r{bar}{n:,} records, {rate:,.0f}/s ")
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()




@cli.command()
@click.option("--gpus", "gpu_counts", multiple=True, required=True, type=int, metavar="N",
              help="Number of GPUs; repeat to compare sizes side by side (e.g. --gpus 100000 --gpus 200000).")
@click.option("--gpu", "gpu_id", default="h100", show_default=True, metavar="ID", help="GPU from 'emiss catalog' (a100, h100, h200, b200, gb200).")
@click.option("--turbine-model", metavar="ID", help="Generating unit from 'emiss catalog' (default smt-130).")
@click.option("--turbine-capacity", metavar="QTY", help="Or a unit capacity, e.g. '34 MW' (heat rate from --heat-rate).")
@click.option("--redundancy", metavar="N+K", help="Spare units on top of those needed, e.g. N+1 (default N).")
@click.option("--derate", metavar="X", help="Site output as a fraction of rated, e.g. 0.9 for hot weather (default 1).")
@click.option("--pue", metavar="X", help="Power usage effectiveness: facility / IT load (default 1.56, Uptime 2024).")
@click.option("--network-storage", metavar="X", help="Allowance for networking and storage over server power (default 10%).")
@click.option("--hours", metavar="QTY", help="Length of one run, e.g. '2000 h' (default: a full year).")
@click.option("--gpu-hours", metavar="QTY", help="Total GPU-hours of one training run, e.g. '5e7 h'.")
@click.option("--heat-rate", metavar="QTY", help="Heat rate for --turbine-capacity units (LHV unless --heat-rate-basis hhv).")
@click.option("--heat-rate-basis", type=click.Choice(["lhv", "hhv"]))
@click.option("--control", type=click.Choice(["uncontrolled", "water-steam", "lean-premix"]))
@click.option("--factor", "factors", multiple=True, metavar="POLLUTANT=QTY", help="Emission factor for every unit, e.g. nox='2 ppmvd@15%O2'.")
@click.option("--household-use", metavar="QTY")
@click.option("--gwp", type=click.Choice(["AR4", "AR5", "AR6"], case_sensitive=False))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "ndjson", "markdown"]), default="table", show_default=True)
def cluster(gpu_counts: tuple[int, ...], gpu_id: str, fmt: str, **kw: Any) -> None:
    """From GPUs to turbines: IT load, facility load, units needed, emissions and per-GPU intensity.

    IT load = servers x server power x (1 + network/storage allowance); facility load = IT load x PUE;
    units = ceil(facility load / (unit capacity x derate)) + spares. The running units follow the load at
    their full-load heat rate; spares stay idle.

    \b
    Examples:
      emiss cluster --gpus 100000 --gpu h100
      emiss cluster --gpus 100000 --gpus 200000 --gpu h100 --turbine-model smt-130
      emiss cluster --gpus 100000 --gpu h100 --format json | jq .power.facility
      emiss cluster --gpus 100000 --gpu h100 --redundancy N+1 --derate 0.9 --factor nox="2 ppmvd@15%O2"
      emiss cluster --gpus 20000 --gpu b200 --gpu-hours "2e7 h"
    """
    from . import cluster as cl
    from .render import write_cluster

    overrides = overrides_from({k: kw.get(k) for k in ("heat_rate", "heat_rate_basis", "control", "household_use", "gwp", "factors")})
    if kw.get("turbine_model") and kw.get("turbine_capacity"):
        raise CliError("give --turbine-model or --turbine-capacity, not both", 2)
    results = []
    for n in gpu_counts:
        p = run(lambda n=n: cl.plan(gpus=n, gpu_id=gpu_id, unit_id=kw.get("turbine_model"), unit_capacity=kw.get("turbine_capacity"),
                                     pue=kw.get("pue"), network_storage=kw.get("network_storage"), derate=kw.get("derate"),
                                     redundancy=kw.get("redundancy"), hours=kw.get("hours"), gpu_hours=kw.get("gpu_hours")))
        results.append(run(lambda p=p: cl.run(p, overrides=overrides)))
    buf = io.StringIO()
    write_cluster(results, fmt, buf)
    emit(buf.getvalue())


@cli.command(name="catalog")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def catalog_cmd(fmt: str) -> None:
    """List the generating units and GPUs that --turbine-model, presets and 'emiss cluster' know.

    \b
    Examples:
      emiss catalog
      emiss catalog --format json | jq '.units[] | {id, capacity, heat_rate}'
    """
    from . import catalog
    from .render import write_catalog

    buf = io.StringIO()
    write_catalog(catalog.units(), catalog.gpus(), fmt, buf)
    emit(buf.getvalue())


def _scenario(kw: dict[str, Any]) -> Any:
    from .scenario import scenario_from

    return run(lambda: scenario_from(kw.get("preset"), overrides_from(kw)))


@cli.command()
@scenario_options
@click.option("--target", required=True, metavar="OUTPUT=VALUE", help="The figure to reach, e.g. nox='130 short_ton/year' or households=50000.")
@click.option("--vary", required=True, metavar="INPUT", help="The input to solve for: capacity-factor, hours, turbines, capacity, heat-rate, household-use, household-demand or factor:<pollutant>.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def solve(target: str, vary: str, fmt: str, **kw: Any) -> None:
    """Work backwards: find the value of one input that makes an output hit a target.

    A solved emission factor is shown as lb/MMBtu (HHV), ppmvd@15%O2 and lb/MWh, and placed among the
    built-in control levels. An infeasible answer (a capacity factor above 1, a fractional number of units,
    a negative value) is said plainly with the value it would need, and the exit code is 1.

    \b
    Examples:
      emiss solve --preset memphis --target "nox=130 short_ton/year" --vary factor:nox
      emiss solve --preset memphis --target "nox=1000 short_ton/year" --vary capacity-factor
      emiss solve --turbines 15 --capacity "16.5 MW" --target "households=50000" --vary household-use
    """
    from .render import write_solution
    from .vary import solve as do_solve

    sc = _scenario(kw)
    sol = run(lambda: do_solve(sc, target=target, vary=vary.strip().lower()))
    buf = io.StringIO()
    write_solution(sol, fmt, buf)
    emit(buf.getvalue())
    if not sol.feasible:
        raise CliError(f"infeasible: {sol.problem}", 1)


@cli.command()
@scenario_options
@click.option("--output", "output", default="nox", show_default=True, metavar="OUTPUT", help="Output to swing: a pollutant id, households, generation, heat_input or fuel.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "ndjson"]), default="table", show_default=True)
def sensitivity(output: str, fmt: str, **kw: Any) -> None:
    """Swing each uncertain input from its low to its high end, one at a time, and rank them (a tornado).

    Uncertain inputs are the ranges and distributions of the preset or of the options
    (e.g. --capacity-factor 0.6..1.0); normal and lognormal inputs swing from P5 to P95.

    \b
    Examples:
      emiss sensitivity --preset memphis
      emiss sensitivity --preset memphis --output co2e --format json
      emiss sensitivity --turbines 4 --capacity "16 MW" --capacity-factor 0.5..1 --factor nox="2..25 ppmvd@15%O2"
    """
    from .render import write_sensitivity
    from .vary import sensitivity as swing

    sc = _scenario(kw)
    central, swings = run(lambda: swing(sc, output.strip().lower()))
    if not swings:
        raise CliError("no input is uncertain: give ranges (e.g. --capacity-factor 0.6..1.0) or a preset with ranges", 1)
    buf = io.StringIO()
    write_sensitivity(output.strip().lower(), central, swings, sc.mass_unit, fmt, buf)
    emit(buf.getvalue())


COMPARE_VARIATIONS = ("turbines", "capacity", "heat_rate", "heat_rate_basis", "capacity_factor", "hours", "control", "factor",
                      "household_use", "household_demand", "households_method", "hhv_lhv", "gwp", "turbine_model")


@cli.command()
@click.argument("presets", nargs=-1, metavar="[PRESET...]")
@click.option("--preset", "base_preset", metavar="NAME|PATH", help="Base scenario when no PRESET argument is given.")
@click.option("--turbine-model", multiple=True, metavar="ID", help="A variation: the base with these catalog units (keeps the count).")
@click.option("--turbines", multiple=True, metavar="N", help="A variation per value (single-group fleets).")
@click.option("--capacity", multiple=True, metavar="QTY", help="A variation per value (single-group fleets).")
@click.option("--heat-rate", multiple=True, metavar="QTY", help="A variation per value.")
@click.option("--capacity-factor", multiple=True, metavar="X", help="A variation per value.")
@click.option("--hours", multiple=True, metavar="QTY", help="A variation per value.")
@click.option("--control", multiple=True, type=click.Choice(["uncontrolled", "water-steam", "lean-premix"]), help="A variation per value (turbine groups; clears preset NOx/CO factors).")
@click.option("--factor", multiple=True, metavar="POLLUTANT=QTY", help="A variation per value.")
@click.option("--household-use", multiple=True, metavar="QTY", help="A variation per value.")
@click.option("--household-demand", multiple=True, metavar="QTY", help="A variation per value.")
@click.option("--households-method", multiple=True, type=click.Choice(["energy", "capacity"]), help="A variation per value.")
@click.option("--heat-rate-basis", multiple=True, type=click.Choice(["lhv", "hhv"]), help="A variation per value.")
@click.option("--hhv-lhv", multiple=True, metavar="X", help="A variation per value.")
@click.option("--gwp", multiple=True, type=click.Choice(["AR4", "AR5", "AR6"], case_sensitive=False), help="A variation per value.")
@click.option("--grid", is_flag=True, help="Add the same electricity drawn from the grid (eGRID subregion rates).")
@click.option("--subregion", metavar="ID", help="eGRID subregion for --grid (default: the preset's, else US).")
@click.option("--permit-view", is_flag=True, help="Potential to emit (8,760 h, uncontrolled) | controlled PTE | expected actual.")
@click.option("--only", metavar="POLLUTANT[,POLLUTANT...]", help="Show only these pollutants.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "ndjson", "markdown"]), default="table", show_default=True)
def compare(presets: tuple[str, ...], base_preset: str | None, grid: bool, subregion: str | None, permit_view: bool,
            only: str | None, fmt: str, **variations: Any) -> None:
    """Compare scenarios side by side, with differences (absolute and %) against the first column.

    Scenarios are PRESET arguments (names or .toml files), and one variation of the first scenario for
    every value of a variation option.

    \b
    Examples:
      emiss compare --preset memphis --control uncontrolled --control lean-premix --factor nox="2 ppmvd@15%O2"
      emiss compare memphis my-site.toml
      emiss compare --preset memphis --grid
      emiss compare --preset memphis --permit-view --capacity-factor 0.6
    """
    from . import compare as cmp
    from .render import write_compare

    ids = parse_only(only)
    sources = list(presets) or ([base_preset] if base_preset else [])
    if not sources:
        raise CliError("compare: give at least one PRESET (or --preset)", 2)
    items = [(opt, v) for opt in COMPARE_VARIATIONS for v in (variations.get(opt) or ())]
    if permit_view:
        items = [i for i in items if i[0] not in ("capacity_factor", "hours")]
    table = run(lambda: cmp.build_table(sources, items, grid=grid, subregion=subregion, permit_view=permit_view,
                                  operation={k: variations.get(k) for k in ("capacity_factor", "hours")} if permit_view else None))
    if len(table.columns) < 2:
        raise CliError("compare: nothing to compare; give two presets, a variation option, --grid or --permit-view", 2)
    buf = io.StringIO()
    write_compare(table, fmt, buf, only=ids)
    emit(buf.getvalue())


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def factors(fmt: str) -> None:
    """List the built-in emission-factor library and constants, each with unit, basis, source and status.

    \b
    Examples:
      emiss factors
      emiss factors --format json | jq '.factors[] | select(.pollutant == "nox")'
    """
    from .render import write_factors

    buf = io.StringIO()
    write_factors(fmt, buf)
    emit(buf.getvalue())


@cli.group()
def presets() -> None:
    """List, show and check presets (TOML data files; a preset never runs code).

    \b
    Examples:
      emiss presets list
      emiss presets show memphis
      emiss presets validate my-site.toml
    """


@presets.command(name="list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def presets_list(fmt: str) -> None:
    """List the shipped presets.

    \b
    Examples:
      emiss presets list
      emiss presets list --format json
    """
    from .presets import available, load
    from .render import write_json

    items = [run(lambda n=n: load(n)) for n in available()]
    rows = [{"name": s.name, "title": s.title, "path": s.path} for s in items]
    buf = io.StringIO()
    if fmt == "json":
        write_json(rows, buf)
    else:
        for r in rows:
            buf.write(f"{r['name']}\t{r['title']}\n")
    emit(buf.getvalue())


@presets.command(name="show")
@click.argument("name", metavar="NAME|PATH")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def presets_show(name: str, fmt: str) -> None:
    """Print a preset with every resolved value, its source and its range.

    \b
    Examples:
      emiss presets show memphis
      emiss presets show ./my-site.toml --format json
    """
    from .render import write_preset
    from .scenario import scenario_from

    sc = run(lambda: scenario_from(name))
    buf = io.StringIO()
    write_preset(sc, fmt, buf)
    emit(buf.getvalue())


@presets.command(name="validate")
@click.argument("paths", nargs=-1, required=True, metavar="FILE...")
def presets_validate(paths: tuple[str, ...]) -> None:
    """Check preset files and report every problem at once (exit 1 if any).

    \b
    Examples:
      emiss presets validate my-site.toml
      emiss presets validate presets/*.toml
    """
    from .presets import validate

    bad = 0
    for p in paths:
        problems = validate(p)
        if problems:
            bad += 1
            for msg in problems:
                click.echo(f"Error: {printable(msg)}", err=True)
        else:
            emit(f"{p}: ok\n")
    if bad:
        raise CliError(f"{bad} of {len(paths)} preset file(s) have problems", 1)


def main() -> None:
    """Run the command line (the 'emiss' console script)."""
    cli(prog_name="emiss")
